/*
 * Tests of the JUnit importer on hard case 16 (nested suites, <skipped>
 * against skips=, missing and empty times), the pytest and Robot
 * Framework --xunit results of the harness corpus, the empty and the
 * truncated file, and a DOCTYPE that must be rejected.
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

extern const struct fp_importer fp_importer_junit;

struct kept_step {
	struct fp_step st;
	char *name;
	char *suite;
	char *message;
	char *output;
	char *detail;
	char *zone;
};

struct collected {
	struct kept_step steps[32];
	size_t count;
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

	if (c->count == 32)
		return 0;
	k = &c->steps[c->count++];
	k->st = *st;
	k->name = dup_or_null(st->name);
	k->suite = dup_or_null(st->suite);
	k->message = dup_or_null(st->message);
	k->output = dup_or_null(st->output);
	k->detail = dup_or_null(st->detail);
	k->zone = dup_or_null(st->zone);
	k->st.zone = k->zone;
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
	for (size_t i = 0; i < c->count; i++) {
		free(c->steps[i].name);
		free(c->steps[i].suite);
		free(c->steps[i].message);
		free(c->steps[i].output);
		free(c->steps[i].detail);
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
	return fp_importer_junit.run(path, &opts, &sink);
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

/* Import text written to a temporary file. */
static int
import_text(const char *text, struct collected *c)
{
	char tmp[] = "/tmp/fp-junit-XXXXXX";
	int fd = mkstemp(tmp), rc;
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	rc = run_on(tmp, "constructed.xml", NULL, c);
	unlink(tmp);
	return rc;
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

/*
 * Hard case 16: six cases at three depths; failure, error and skipped
 * kept apart; absent and empty times unknown; counts checked, not used.
 */
static void
case16_nested_suites(void **state)
{
	struct collected c = { 0 };
	const struct fp_step *s;
	fp_time t0 = iso("2026-12-04T19:49:20Z");

	(void)state;
	assert_int_equal(import("tests/data/cases/"
	    "16-junit-nested-skipped-notime.input.xml", &c), 0);
	assert_int_equal(c.count, 6);

	assert_string_equal(c.steps[0].name, "test_tunnel_up_before_kill");
	assert_string_equal(c.steps[0].suite, "drill.scenario2 / "
	    "preconditions");
	s = &c.steps[0].st;
	assert_string_equal(s->status, "passed");
	assert_string_equal(s->kind, "test");
	assert_int_equal(s->duration, 840000);
	assert_int_equal(s->start, t0);
	assert_int_equal(s->end, t0 + 840000);
	assert_int_equal(s->start_derived, 1);
	assert_string_equal(s->zone, "UTC (--tz not given)");
	assert_int_equal(s->line, 8);
	assert_string_equal(c.steps[0].detail, "{\"classname\":"
	    "\"drill.scenario2.preconditions\",\"properties\":{\"drill\":"
	    "\"A-dataplane-failover\"}}");

	assert_string_equal(c.steps[1].name, "test_standby_in_sync");
	assert_string_equal(c.steps[1].st.status, "skipped");
	assert_string_equal(c.steps[1].message, "HA sync not configured on "
	    "this pair");
	assert_int_equal(c.steps[1].st.duration, -1);
	assert_int_equal(c.steps[1].st.end, FP_TIME_NONE);

	assert_string_equal(c.steps[2].suite, "drill.scenario2 / failover");
	assert_int_equal(c.steps[2].st.start, t0 + 840000);
	assert_int_equal(c.steps[2].st.duration, 120000);

	assert_string_equal(c.steps[3].name, "test_traffic_recovers_within_5s");
	assert_string_equal(c.steps[3].st.status, "failed");
	assert_string_equal(c.steps[3].message, "first reply 6.40 s after "
	    "kill");
	assert_non_null(strstr(c.steps[3].output, "assert 6.40 <= 5.0"));
	assert_non_null(strstr(c.steps[3].output, "--- system-out ---\n"
	    "[1796413765.958462] no answer yet for icmp_seq=6"));
	assert_int_equal(c.steps[3].st.duration, 9870000);
	assert_non_null(strstr(c.steps[3].detail,
	    "\"type\":\"AssertionError\""));

	assert_string_equal(c.steps[4].name, "test_old_sas_deleted");
	assert_string_equal(c.steps[4].st.status, "error");
	assert_string_equal(c.steps[4].message, "ssh to 198.51.100.2 timed "
	    "out");
	assert_int_equal(c.steps[4].st.duration, -1);
	assert_int_equal(c.steps[4].st.start, t0 + 840000 + 120000 + 9870000);
	assert_int_equal(c.steps[4].st.end, FP_TIME_NONE);

	/* After the failover suite the clock moves by its time, 9.99 s. */
	assert_string_equal(c.steps[5].name, "test_report_collected");
	assert_string_equal(c.steps[5].suite, "drill.scenario2");
	assert_string_equal(c.steps[5].st.status, "passed");
	assert_int_equal(c.steps[5].st.start, t0 + 840000 + 9990000);
	assert_int_equal(c.steps[5].st.duration, -1);

	assert_true(has_warning(&c, "3: suite 'drill.scenario2' declares "
	    "counts that do not match its test cases, tests=\"5\" but 6 test "
	    "cases"));
	assert_true(has_warning(&c, "read as UTC (--tz not given)"));
	collected_free(&c);
}

/* The suite timestamp has no zone: --tz moves every start. */
static void
case16_in_zone(void **state)
{
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_tz("tests/data/cases/"
	    "16-junit-nested-skipped-notime.input.xml", "Europe/Berlin", &c),
	    0);
	assert_int_equal(c.steps[0].st.start, iso("2026-12-04T18:49:20Z"));
	assert_string_equal(c.steps[0].st.zone, "Europe/Berlin (--tz)");
	collected_free(&c);
}

static void
pytest_failure_and_skip(void **state)
{
	struct collected c = { 0 };
	fp_time t0 = iso("2020-09-04T16:18:04.966371Z");

	(void)state;
	assert_int_equal(import("tests/data/harness/"
	    "publish-unit-test-result__pytest_junit.fail.xml", &c), 0);
	assert_int_equal(c.count, 5);
	assert_string_equal(c.steps[0].st.status, "passed");
	assert_string_equal(c.steps[1].st.status, "skipped");
	assert_string_equal(c.steps[1].message, "get_available_devices only "
	    "supported in Spark 3.0 and above");
	assert_string_equal(c.steps[2].st.status, "passed");
	assert_string_equal(c.steps[3].name, "test_rsh_events");
	assert_string_equal(c.steps[3].st.status, "failed");
	assert_non_null(strstr(c.steps[3].message, "E   AssertionError: 143 "
	    "!= 0"));
	assert_string_equal(c.steps[4].st.status, "passed");
	assert_string_equal(c.steps[0].suite, "pytest");
	assert_int_equal(c.steps[0].st.start, t0);
	assert_int_equal(c.steps[0].st.duration, 6435000);
	assert_int_equal(c.steps[1].st.start, t0 + 6435000);
	assert_string_equal(c.steps[3].detail, "{\"classname\":"
	    "\"test.test_spark.SparkTests\",\"file\":\"test/test_spark.py\","
	    "\"line\":\"819\"}");
	assert_int_equal(c.steps[3].st.line, 17);
	/* The header agrees with the cases. */
	assert_false(has_warning(&c, "declares counts"));
	collected_free(&c);
}

static void
pytest_one_line(void **state)
{
	struct collected c = { 0 };
	size_t skipped = 0;

	(void)state;
	assert_int_equal(import("tests/data/harness/"
	    "publish-unit-test-result__pytest_junit.gloo.elastic.xml", &c), 0);
	assert_int_equal(c.count, 14);
	for (size_t i = 0; i < c.count; i++) {
		skipped += strcmp(c.steps[i].st.status, "skipped") == 0;
		assert_int_equal(c.steps[i].st.line, 1);
	}
	assert_int_equal(skipped, 4);
	assert_false(has_warning(&c, "declares counts"));
	collected_free(&c);
}

static void
empty_suite(void **state)
{
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import("tests/data/harness/"
	    "chaostoolkit-ansible__pytest_junit_empty.xml", &c), 0);
	assert_int_equal(c.count, 0);
	assert_true(has_warning(&c, "no test cases"));
	collected_free(&c);
}

/* Robot Framework --xunit: a <testsuite> root and the old skip=. */
static void
robot_xunit(void **state)
{
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import("tests/data/harness/"
	    "robot-plugin__robot_xunit_TEST-Suites.xml", &c), 0);
	assert_int_equal(c.count, 1);
	assert_string_equal(c.steps[0].name, "Another");
	assert_string_equal(c.steps[0].suite, "Suites");
	assert_string_equal(c.steps[0].st.status, "passed");
	assert_int_equal(c.steps[0].st.duration, 0);
	assert_int_equal(c.steps[0].st.start, FP_TIME_NONE);
	assert_null(c.steps[0].st.zone);
	assert_int_equal(c.warnings, 0);
	collected_free(&c);
}

/* A run that died mid-write: the position of the cut, nothing kept. */
static void
truncated_file(void **state)
{
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import("tests/data/harness/"
	    "publish-unit-test-result__pytest_corrupt-xml.xml", &c),
	    FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "'publish-unit-test-result__"
	    "pytest_corrupt-xml.xml' line 11 column 22: invalid XML"));
	assert_int_equal(c.count, 0);
	collected_free(&c);
}

static void
doctype_rejected(void **state)
{
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_text("<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE testsuite [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
	    "<testsuite name=\"s\"><testcase name=\"&x;\"/></testsuite>\n", &c),
	    FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "'constructed.xml' line 2 column "
	    "1: the document declares a DOCTYPE"));
	assert_int_equal(c.count, 0);
	collected_free(&c);
}

/* A case's own timestamp wins, and a zone in it is kept. */
static void
case_timestamp_and_errors(void **state)
{
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_text("<testsuites><testsuite name=\"a\" "
	    "timestamp=\"2026-12-04T19:49:20Z\" time=\"x\"><testcase name=\"t1\" "
	    "timestamp=\"2026-12-04T19:49:21.5+01:00\" time=\"1,000.5\">"
	    "<failure>first line\nsecond</failure><error message=\"e\"/>"
	    "</testcase><testcase name=\"t2\"><skip/></testcase></testsuite>"
	    "</testsuites>", &c), 0);
	assert_int_equal(c.count, 2);
	assert_int_equal(c.steps[0].st.start, iso("2026-12-04T18:49:21.5Z"));
	assert_int_equal(c.steps[0].st.start_derived, 0);
	assert_int_equal(c.steps[0].st.duration, 1000500000);
	assert_null(c.steps[0].st.zone);
	/* An error outranks a failure in the same case. */
	assert_string_equal(c.steps[0].st.status, "error");
	assert_string_equal(c.steps[0].message, "e");
	assert_string_equal(c.steps[1].st.status, "skipped");
	assert_true(has_warning(&c, "invalid time \"x\""));
	collected_free(&c);
}

static void
not_junit(void **state)
{
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import("tests/data/harness/"
	    "robot-plugin__rf7.0a1_inline_var_output.xml", &c), FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "the root element is <robot>"));
	collected_free(&c);
}

static void
detects_junit(void **state)
{
	static const char *const files[] = {
		"tests/data/cases/16-junit-nested-skipped-notime.input.xml",
		"tests/data/harness/publish-unit-test-result__pytest_junit."
		    "gloo.elastic.xml",
		"tests/data/harness/robot-plugin__robot_xunit_TEST-Suites.xml",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *path = xasprintf("%s/%s", srcdir, files[i]);
		const struct fp_importer *imp = fp_importer_detect(path);

		assert_non_null(imp);
		assert_string_equal(imp->kind, "junit");
		free(path);
	}
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
		cmocka_unit_test(case16_nested_suites),
		cmocka_unit_test(case16_in_zone),
		cmocka_unit_test(pytest_failure_and_skip),
		cmocka_unit_test(pytest_one_line),
		cmocka_unit_test(empty_suite),
		cmocka_unit_test(robot_xunit),
		cmocka_unit_test(truncated_file),
		cmocka_unit_test(doctype_rejected),
		cmocka_unit_test(case_timestamp_and_errors),
		cmocka_unit_test(not_junit),
		cmocka_unit_test(detects_junit),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
