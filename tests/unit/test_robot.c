/*
 * Tests of the Robot Framework importer on output.xml from 2.8 to 7.0
 * (the harness corpus), a constructed drill whose suite setup failed, a
 * constructed output with an external entity aimed at /etc/passwd, and
 * a cut copy of a real output.
 *
 * Run from the top of the source tree, or set FP_SRCDIR to it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "importer.h"

extern const struct fp_importer fp_importer_robot;

/* Only the first KEPT steps are kept whole; all are counted. */
#define KEPT 40

struct kept_step {
	struct fp_step st;
	char *name;
	char *suite;
	char *message;
	char *zone;
};

struct collected {
	struct kept_step steps[KEPT];
	size_t count;
	size_t passed, failed, errors, skipped, tests;
	long warnings;
	char *warning_text[16];
};

static const char *srcdir = ".";

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int
keep_step(void *ctx, const struct fp_step *st)
{
	struct collected *c = ctx;
	struct kept_step *k;

	c->passed += strcmp(st->status, "passed") == 0;
	c->failed += strcmp(st->status, "failed") == 0;
	c->errors += strcmp(st->status, "error") == 0;
	c->skipped += strcmp(st->status, "skipped") == 0;
	c->tests += strcmp(st->kind, "test") == 0;
	if (c->count++ >= KEPT)
		return 0;
	k = &c->steps[c->count - 1];
	k->st = *st;
	k->name = dup_or_null(st->name);
	k->suite = dup_or_null(st->suite);
	k->message = dup_or_null(st->message);
	k->zone = dup_or_null(st->zone);
	return 0;
}

static void
keep_warning(void *ctx, long line, const char *msg)
{
	struct collected *c = ctx;

	if (c->warnings < 16)
		c->warning_text[c->warnings] = xasprintf("%ld: %s", line, msg);
	c->warnings++;
}

static void
collected_free(struct collected *c)
{
	for (size_t i = 0; i < c->count && i < KEPT; i++) {
		free(c->steps[i].name);
		free(c->steps[i].suite);
		free(c->steps[i].message);
		free(c->steps[i].zone);
	}
	for (long i = 0; i < c->warnings && i < 16; i++)
		free(c->warning_text[i]);
	memset(c, 0, sizeof(*c));
}

static int
run_on(const char *path, const char *name, const char *tz,
    struct collected *c)
{
	struct fp_import_opts opts = { 0 };
	struct fp_sink sink = { .ctx = c, .warn = keep_warning,
	    .step = keep_step };

	opts.display_name = name;
	opts.tz = tz;
	return fp_importer_robot.run(path, &opts, &sink);
}

static int
import_tz(const char *rel, const char *tz, struct collected *c)
{
	char *path = xasprintf("%s/%s", srcdir, rel);
	int rc = run_on(path, fp_basename(rel), tz, c);

	free(path);
	return rc;
}

static int
import(const char *rel, struct collected *c)
{
	return import_tz(rel, NULL, c);
}

static const struct kept_step *
step_named(const struct collected *c, const char *kind, const char *name)
{
	for (size_t i = 0; i < c->count && i < KEPT; i++)
		if (strcmp(c->steps[i].st.kind, kind) == 0 &&
		    strcmp(c->steps[i].name, name) == 0)
			return &c->steps[i];
	fail_msg("no %s step '%s'", kind, name);
	return NULL;
}

static int
has_warning(const struct collected *c, const char *text)
{
	for (long i = 0; i < c->warnings && i < 16; i++)
		if (strstr(c->warning_text[i], text) != NULL)
			return 1;
	return 0;
}

static fp_time
iso(const char *s)
{
	fp_time t;

	assert_true(fp_time_parse_iso(s, &t) > 0);
	return t;
}

/* Robot Framework 7: ISO start and elapsed seconds. */
static void
rf7_start_elapsed(void **state)
{
	struct collected c = { 0 };
	const struct kept_step *s;

	(void)state;
	assert_int_equal(import("tests/data/harness/"
	    "robot-plugin__rf7.0a1_inline_var_output.xml", &c), 0);
	assert_int_equal(c.count, 2);
	s = step_named(&c, "test", "Test Inline Var");
	assert_string_equal(s->suite, "Rf7");
	assert_string_equal(s->st.status, "passed");
	assert_int_equal(s->st.start, iso("2023-11-13T15:33:07.168330Z"));
	assert_int_equal(s->st.end, iso("2023-11-13T15:33:07.170078Z"));
	assert_int_equal(s->st.duration, 1748);
	assert_int_equal(s->st.line, 4);
	assert_string_equal(s->zone, "UTC (--tz not given)");
	s = step_named(&c, "keyword", "BuiltIn.Should Be Equal");
	assert_string_equal(s->suite, "Rf7.Test Inline Var");
	assert_int_equal(s->st.duration, 416);
	assert_true(has_warning(&c, "Robot Framework writes local time "
	    "without a zone: times were read as UTC (--tz not given)"));
	collected_free(&c);
}

/*
 * Robot Framework 6.1: a failed setup or teardown is an error, a failed
 * body is a failure.
 */
static void
rf6_setup_teardown_errors(void **state)
{
	struct collected c = { 0 };
	const struct kept_step *s;

	(void)state;
	assert_int_equal(import("tests/data/harness/"
	    "robotframework__rf6.1.1_atest_output_legacy.xml", &c), 0);
	assert_int_equal(c.count, 18);
	assert_int_equal(c.tests, 7);
	assert_int_equal(c.passed, 12);
	assert_int_equal(c.failed, 2);
	assert_int_equal(c.errors, 4);
	s = step_named(&c, "test", "Failing");
	assert_string_equal(s->st.status, "failed");
	assert_string_equal(s->message, "Hello!");
	assert_string_equal(s->suite, "Legacy");
	assert_int_equal(s->st.start, iso("2023-11-16T17:35:01.774Z"));
	assert_int_equal(s->st.end, iso("2023-11-16T17:35:01.775Z"));
	s = step_named(&c, "test", "Failing setup");
	assert_string_equal(s->st.status, "error");
	assert_string_equal(s->message, "Setup failed:\nHello!");
	s = step_named(&c, "test", "Failing teardown");
	assert_string_equal(s->st.status, "error");
	s = step_named(&c, "setup", "BuiltIn.Log");
	assert_string_equal(s->suite, "Legacy");
	assert_string_equal(s->st.status, "passed");
	collected_free(&c);
}

static void
rf5_control_structures(void **state)
{
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import("tests/data/harness/"
	    "robot-plugin__rf5.0b1_basic_new_features_output.xml", &c), 0);
	assert_int_equal(c.tests, 6);
	assert_int_equal(c.count, 12);
	assert_int_equal(c.passed, 12);
	collected_free(&c);
}

/* Robot Framework 4 added SKIP; keywords of a skipped test are skipped. */
static void
rf4_skip(void **state)
{
	struct collected c = { 0 };
	const struct kept_step *s;
	size_t test_pass = 0, test_fail = 0, test_skip = 0;

	(void)state;
	assert_int_equal(import("tests/data/harness/"
	    "robot-plugin__rf4.0b3_robot4_skip.xml", &c), 0);
	assert_int_equal(c.tests, 12);
	for (size_t i = 0; i < c.count; i++) {
		if (strcmp(c.steps[i].st.kind, "test") != 0)
			continue;
		test_pass += strcmp(c.steps[i].st.status, "passed") == 0;
		test_fail += strcmp(c.steps[i].st.status, "failed") == 0;
		test_skip += strcmp(c.steps[i].st.status, "skipped") == 0;
	}
	assert_int_equal(test_pass, 4);
	assert_int_equal(test_fail, 2);
	assert_int_equal(test_skip, 6);
	s = step_named(&c, "test", "Test 10 Will Always Fail But Is Skipped "
	    "On Failure");
	assert_string_equal(s->st.status, "skipped");
	/* Its failed BuiltIn.Fail came just before it, now skipped. */
	assert_string_equal(s[-1].name, "BuiltIn.Fail");
	assert_string_equal(s[-1].st.status, "skipped");
	s = step_named(&c, "test", "Test 8 Will Always Fail");
	assert_string_equal(s->message, "AssertionError");
	assert_string_equal(s[-1].st.status, "failed");
	collected_free(&c);
}

static void
rf28_nested_suites(void **state)
{
	struct collected c = { 0 };
	const struct kept_step *s;

	(void)state;
	assert_int_equal(import("tests/data/harness/"
	    "robot-plugin__rf2.8.5_submodule1_output.xml", &c), 0);
	assert_int_equal(c.count, 2);
	s = step_named(&c, "test", "Another");
	assert_string_equal(s->suite, "Suites.Haa");
	assert_int_equal(s->st.start, iso("2014-08-16T12:17:34.583Z"));
	assert_int_equal(s->st.end, iso("2014-08-16T12:17:34.589Z"));
	s = step_named(&c, "keyword", "BuiltIn.Log");
	assert_string_equal(s->suite, "Suites.Haa.Another");
	collected_free(&c);

	/* Local time in Helsinki in August is UTC+3. */
	assert_int_equal(import_tz("tests/data/harness/"
	    "robot-plugin__rf2.8.5_submodule1_output.xml", "Europe/Helsinki",
	    &c), 0);
	s = step_named(&c, "test", "Another");
	assert_int_equal(s->st.start, iso("2014-08-16T09:17:34.583Z"));
	assert_string_equal(s->zone, "Europe/Helsinki (--tz)");
	collected_free(&c);
}

/* 1.2 MB, 2001 tests: streamed. */
static void
rebot_large_output(void **state)
{
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import("tests/data/harness/"
	    "robot-plugin__rebot2.8.1_low_failure_output.xml", &c), 0);
	assert_int_equal(c.tests, 2001);
	assert_int_equal(c.count, 4002);
	assert_int_equal(c.failed, 2);
	assert_int_equal(c.passed, 4000);
	collected_free(&c);
}

static void
drill_suite_setup_error(void **state)
{
	struct collected c = { 0 };
	const struct kept_step *s;

	(void)state;
	assert_int_equal(import("tests/data/harness/"
	    "failproof__robot-drill-setup-error.xml", &c), 0);
	assert_int_equal(c.count, 5);
	s = step_named(&c, "error", "Robot Framework execution error");
	assert_string_equal(s->st.status, "error");
	assert_string_equal(s->suite, "errors");
	assert_int_equal(s->st.start, iso("2026-12-04T19:49:19.900Z"));
	assert_non_null(strstr(s->message, "Importing library 'SnmpLibrary' "
	    "failed"));
	s = step_named(&c, "setup", "HaLibrary.Verify Tunnel Up");
	assert_string_equal(s->st.status, "error");
	assert_string_equal(s->suite, "Failover Drill.Scenario 2");
	assert_int_equal(s->st.end, iso("2026-12-04T19:49:20.300Z"));
	s = step_named(&c, "test", "Kill Primary");
	assert_string_equal(s->st.status, "error");
	s = step_named(&c, "test", "Traffic Recovers Within 5 s");
	assert_string_equal(s->st.status, "failed");
	assert_string_equal(s->message, "first reply 6.40 s after kill");
	s = step_named(&c, "keyword", "HaLibrary.Wait For Replies");
	assert_string_equal(s->st.status, "failed");
	assert_string_equal(s->suite, "Failover Drill.Scenario 2.Traffic "
	    "Recovers Within 5 s");
	collected_free(&c);
}

/* An external entity aimed at /etc/passwd never reaches the parser. */
static void
xxe_rejected(void **state)
{
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import("tests/data/harness/"
	    "failproof__robot-xxe-doctype.xml", &c), FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "'failproof__robot-xxe-doctype."
	    "xml' line 2 column 1: the document declares a DOCTYPE"));
	assert_int_equal(c.count, 0);
	assert_null(strstr(fp_errmsg(), "root:"));
	collected_free(&c);
}

/* A cut output fails with the position of the cut. */
static void
truncated_output(void **state)
{
	struct collected c = { 0 };
	char tmp[] = "/tmp/fp-robot-XXXXXX", line[512];
	char *path = xasprintf("%s/tests/data/harness/"
	    "robotframework__rf6.1.1_atest_output_legacy.xml", srcdir);
	FILE *in = fopen(path, "r"), *out;
	int fd = mkstemp(tmp);

	(void)state;
	assert_non_null(in);
	assert_true(fd >= 0);
	out = fdopen(fd, "w");
	for (int i = 0; i < 40 && fgets(line, sizeof(line), in); i++)
		fputs(line, out);
	fclose(in);
	fclose(out);
	assert_int_equal(run_on(tmp, "cut-output.xml", NULL, &c), FP_EINVAL);
	/* libxml2 2.9's reader reports the cut at the end of line 40, its
	 * tree parser at line 41. */
	assert_non_null(strstr(fp_errmsg(), "'cut-output.xml' line 4"));
	assert_non_null(strstr(fp_errmsg(), "invalid XML"));
	unlink(tmp);
	free(path);
	collected_free(&c);
}

static void
not_robot(void **state)
{
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import("tests/data/harness/"
	    "robot-plugin__robot_xunit_TEST-Suites.xml", &c), FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "the root element is <testsuite>"));
	collected_free(&c);
}

static void
detects_robot(void **state)
{
	char *path = xasprintf("%s/tests/data/harness/"
	    "robot-plugin__rf4.0b3_robot4_skip.xml", srcdir);
	const struct fp_importer *imp = fp_importer_detect(path);

	(void)state;
	assert_non_null(imp);
	assert_string_equal(imp->kind, "robot");
	free(path);
}

static int
setup(void **state)
{
	const char *dir = getenv("FP_SRCDIR");

	(void)state;
	if (dir != NULL)
		srcdir = dir;
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rf7_start_elapsed),
		cmocka_unit_test(rf6_setup_teardown_errors),
		cmocka_unit_test(rf5_control_structures),
		cmocka_unit_test(rf4_skip),
		cmocka_unit_test(rf28_nested_suites),
		cmocka_unit_test(rebot_large_output),
		cmocka_unit_test(drill_suite_setup_error),
		cmocka_unit_test(xxe_rejected),
		cmocka_unit_test(truncated_output),
		cmocka_unit_test(not_robot),
		cmocka_unit_test(detects_robot),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
