/*
 * Tests of the Chaos Toolkit importer on the real chaoslib 1.19.0
 * journal of the harness corpus, and on copies of it changed the way a
 * failed, aborted or interrupted experiment writes its journal.
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

#include <jansson.h>

#include "importer.h"

extern const struct fp_importer fp_importer_chaos;

#define JOURNAL "tests/data/harness/chaostoolkit-ansible__journal.json"

struct kept_step {
	struct fp_step st;
	char *name;
	char *suite;
	char *message;
	char *zone;
	char *detail;
	size_t output_len;
};

struct collected {
	struct kept_step steps[16];
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

	assert_true(c->count < 16);
	k = &c->steps[c->count++];
	k->st = *st;
	k->name = dup_or_null(st->name);
	k->suite = dup_or_null(st->suite);
	k->message = dup_or_null(st->message);
	k->zone = dup_or_null(st->zone);
	k->detail = dup_or_null(st->detail);
	k->output_len = st->output ? strlen(st->output) : 0;
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
		free(c->steps[i].zone);
		free(c->steps[i].detail);
	}
	for (long i = 0; i < c->warnings && i < 16; i++)
		free(c->warning_text[i]);
	memset(c, 0, sizeof(*c));
}

static int
run_on(const char *path, const char *tz, struct collected *c)
{
	struct fp_import_opts opts = { 0 };
	struct fp_sink sink = { .ctx = c, .warn = keep_warning,
	    .step = keep_step };

	opts.display_name = "journal.json";
	opts.tz = tz;
	return fp_importer_chaos.run(path, &opts, &sink);
}

static int
import_tz(const char *tz, struct collected *c)
{
	char *path = xasprintf("%s/%s", srcdir, JOURNAL);
	int rc = run_on(path, tz, c);

	free(path);
	return rc;
}

static json_t *
load_journal(void)
{
	char *path = xasprintf("%s/%s", srcdir, JOURNAL);
	json_t *j = json_load_file(path, 0, NULL);

	assert_non_null(j);
	free(path);
	return j;
}

/* Import a changed copy of the journal, written with indentation. */
static int
import_json(json_t *j, struct collected *c)
{
	char tmp[] = "/tmp/fp-chaos-XXXXXX";
	int fd = mkstemp(tmp), rc;

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(json_dump_file(j, tmp, JSON_INDENT(2)), 0);
	rc = run_on(tmp, NULL, c);
	unlink(tmp);
	return rc;
}

static int
import_text(const char *text, struct collected *c)
{
	char tmp[] = "/tmp/fp-chaos-XXXXXX";
	int fd = mkstemp(tmp), rc;
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	rc = run_on(tmp, NULL, c);
	unlink(tmp);
	return rc;
}

static const struct kept_step *
step_in(const struct collected *c, const char *suite_part, const char *name)
{
	for (size_t i = 0; i < c->count; i++)
		if (strcmp(c->steps[i].name, name) == 0 &&
		    (suite_part == NULL ? c->steps[i].suite == NULL :
		    c->steps[i].suite != NULL &&
		    strstr(c->steps[i].suite, suite_part) != NULL))
			return &c->steps[i];
	fail_msg("no step '%s' in '%s'", name, suite_part ? suite_part : "");
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

static void
completed_journal(void **state)
{
	struct collected c = { 0 };
	const struct kept_step *s;

	(void)state;
	assert_int_equal(import_tz(NULL, &c), 0);
	assert_int_equal(c.count, 6);
	s = step_in(&c, "steady state before", "test-gather-fact");
	assert_string_equal(s->suite, "Test only / steady state before");
	assert_string_equal(s->st.kind, "probe");
	assert_string_equal(s->st.status, "passed");
	assert_int_equal(s->st.line, 135);
	assert_int_equal(s->st.start, iso("2021-02-21T20:46:02.796805Z"));
	assert_int_equal(s->st.end, iso("2021-02-21T20:46:05.300710Z"));
	assert_int_equal(s->st.duration, 2503905);
	assert_string_equal(s->zone, "UTC (--tz not given)");
	assert_non_null(strstr(s->detail, "\"tolerance_met\":true"));
	assert_true(s->output_len > 40000);
	s = step_in(&c, "method", "test-create-file");
	assert_string_equal(s->st.kind, "action");
	assert_string_equal(s->st.status, "passed");
	assert_int_equal(s->st.line, 212);
	s = step_in(&c, "method", "read-tls-cert-expiry-date");
	assert_string_equal(s->st.kind, "probe");
	s = step_in(&c, "steady state after", "test-gather-fact");
	assert_int_equal(s->st.line, 175);
	s = step_in(&c, "rollbacks", "swap-to-vald-cert");
	assert_string_equal(s->st.kind, "rollback");
	s = step_in(&c, NULL, "Test only");
	assert_string_equal(s->st.kind, "experiment");
	assert_string_equal(s->st.status, "passed");
	assert_int_equal(s->st.line, 98);
	assert_int_equal(s->st.start, iso("2021-02-21T20:46:02.796097Z"));
	assert_int_equal(s->st.end, iso("2021-02-21T20:46:10.958346Z"));
	assert_string_equal(s->message, "status completed, not deviated; "
	    "steady state before: met, after: met");
	assert_true(has_warning(&c, "the journal's times have no zone: they "
	    "were read as UTC (--tz not given)"));
	collected_free(&c);
}

static void
journal_in_zone(void **state)
{
	struct collected c = { 0 };
	const struct kept_step *s;

	(void)state;
	assert_int_equal(import_tz("Europe/Paris", &c), 0);
	s = step_in(&c, NULL, "Test only");
	/* Paris in February is UTC+1. */
	assert_int_equal(s->st.start, iso("2021-02-21T19:46:02.796097Z"));
	assert_string_equal(s->zone, "Europe/Paris (--tz)");
	collected_free(&c);
}

/* The steady state deviated after the method: a failure, not an error. */
static void
deviated_journal(void **state)
{
	struct collected c = { 0 };
	json_t *j = load_journal(), *after;
	const struct kept_step *s;

	(void)state;
	json_object_set_new(j, "status", json_string("failed"));
	json_object_set_new(j, "deviated", json_true());
	after = json_object_get(json_object_get(j, "steady_states"), "after");
	json_object_set_new(after, "steady_state_met", json_false());
	json_object_set_new(json_array_get(json_object_get(after, "probes"),
	    0), "tolerance_met", json_false());
	assert_int_equal(import_json(j, &c), 0);
	s = step_in(&c, "steady state after", "test-gather-fact");
	assert_string_equal(s->st.status, "failed");
	assert_string_equal(s->message, "tolerance not met");
	s = step_in(&c, NULL, "Test only");
	assert_string_equal(s->st.status, "failed");
	assert_string_equal(s->message, "status failed, deviated; steady "
	    "state before: met, after: not met");
	json_decref(j);
	collected_free(&c);
}

/* The steady state was not met before: the method never ran. */
static void
aborted_journal(void **state)
{
	struct collected c = { 0 };
	json_t *j = load_journal(), *before;
	const struct kept_step *s;

	(void)state;
	json_object_set_new(j, "status", json_string("aborted"));
	before = json_object_get(json_object_get(j, "steady_states"), "before");
	json_object_set_new(before, "steady_state_met", json_false());
	json_object_set_new(json_array_get(json_object_get(before, "probes"),
	    0), "tolerance_met", json_false());
	json_object_set_new(j, "run", json_array());
	json_object_set_new(json_object_get(j, "steady_states"), "after",
	    json_null());
	assert_int_equal(import_json(j, &c), 0);
	assert_int_equal(c.count, 3);
	s = step_in(&c, "steady state before", "test-gather-fact");
	assert_string_equal(s->st.status, "failed");
	s = step_in(&c, NULL, "Test only");
	assert_string_equal(s->st.status, "error");
	assert_string_equal(s->message, "status aborted, not deviated; steady "
	    "state before: not met, after: not checked");
	json_decref(j);
	collected_free(&c);
}

/* An action that raised, in an interrupted experiment. */
static void
interrupted_with_exception(void **state)
{
	struct collected c = { 0 };
	json_t *j = load_journal(), *run;
	const struct kept_step *s;

	(void)state;
	json_object_set_new(j, "status", json_string("interrupted"));
	run = json_array_get(json_object_get(j, "run"), 0);
	json_object_set_new(run, "status", json_string("failed"));
	json_object_set_new(run, "exception", json_pack("[s, s]",
	    "Traceback (most recent call last):\n",
	    "chaoslib.exceptions.ActivityFailed: ssh to fwa timed out\n"));
	assert_int_equal(import_json(j, &c), 0);
	s = step_in(&c, "method", "test-create-file");
	assert_string_equal(s->st.status, "error");
	assert_string_equal(s->message, "chaoslib.exceptions.ActivityFailed: "
	    "ssh to fwa timed out");
	s = step_in(&c, NULL, "Test only");
	assert_string_equal(s->st.status, "error");
	json_decref(j);
	collected_free(&c);
}

static void
truncated_journal(void **state)
{
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_text("{\n  \"chaoslib-version\": \"1.19.0\",\n"
	    "  \"status\": \"comp", &c), FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "'journal.json' line 3 column"));
	assert_non_null(strstr(fp_errmsg(), "invalid JSON"));
	assert_int_equal(c.count, 0);
	collected_free(&c);
}

static void
deep_nesting_rejected(void **state)
{
	struct collected c = { 0 };
	struct fp_buf b = { 0 };

	(void)state;
	fp_buf_puts(&b, "{\"experiment\": {}, \"steady_states\": ");
	for (int i = 0; i < 100; i++)
		fp_buf_puts(&b, "[");
	for (int i = 0; i < 100; i++)
		fp_buf_puts(&b, "]");
	fp_buf_puts(&b, "}");
	assert_int_equal(import_text(b.data, &c), FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "nested more than 64 levels"));
	fp_buf_free(&b);
	collected_free(&c);
}

static void
detects_journal(void **state)
{
	char *path = xasprintf("%s/%s", srcdir, JOURNAL);
	const struct fp_importer *imp = fp_importer_detect(path);

	(void)state;
	assert_non_null(imp);
	assert_string_equal(imp->kind, "chaos");
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
		cmocka_unit_test(completed_journal),
		cmocka_unit_test(journal_in_zone),
		cmocka_unit_test(deviated_journal),
		cmocka_unit_test(aborted_journal),
		cmocka_unit_test(interrupted_with_exception),
		cmocka_unit_test(truncated_journal),
		cmocka_unit_test(deep_nesting_rejected),
		cmocka_unit_test(detects_journal),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
