/*
 * Tests of the timeline importer: the five lab drills' events.log (the
 * KILL: and HA: markers), failproof's JSON Lines format, a markers file,
 * zones, bad lines and detection.
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

#include "importer.h"

extern const struct fp_importer fp_importer_timeline;

struct kept_event {
	long line;
	fp_time ts;
	char *kind;
	char *host;
	char *detail;
	char *message;
};

struct collected {
	struct kept_event events[64];
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
keep_event(void *ctx, const struct fp_event *ev)
{
	struct collected *c = ctx;
	struct kept_event *k;

	assert_true(c->count < 64);
	k = &c->events[c->count++];
	k->line = ev->line;
	k->ts = ev->ts;
	k->kind = dup_or_null(ev->kind);
	k->host = dup_or_null(ev->host);
	k->detail = dup_or_null(ev->detail);
	k->message = dup_or_null(ev->message);
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
		free(c->events[i].kind);
		free(c->events[i].host);
		free(c->events[i].detail);
		free(c->events[i].message);
	}
	for (long i = 0; i < c->warnings && i < 16; i++)
		free(c->warning_text[i]);
	memset(c, 0, sizeof(*c));
}

static int
import_opts(const char *rel, const char *tz, const char *markers,
    struct collected *c)
{
	struct fp_import_opts opts = { 0 };
	struct fp_sink sink = { .ctx = c, .event = keep_event,
	    .warn = keep_warning };
	char *path = xasprintf("%s/%s", srcdir, rel);
	char *mpath = markers ? xasprintf("%s/%s", srcdir, markers) : NULL;
	int rc;

	opts.display_name = fp_basename(rel);
	opts.tz = tz;
	opts.markers = mpath;
	rc = fp_importer_timeline.run(path, &opts, &sink);
	free(path);
	free(mpath);
	return rc;
}

static int
import(const char *rel, struct collected *c)
{
	return import_opts(rel, NULL, NULL, c);
}

static size_t
count_kind(const struct collected *c, const char *kind)
{
	size_t n = 0;

	for (size_t i = 0; i < c->count; i++)
		n += strcmp(c->events[i].kind, kind) == 0;
	return n;
}

static const struct kept_event *
first_kind(const struct collected *c, const char *kind)
{
	for (size_t i = 0; i < c->count; i++)
		if (strcmp(c->events[i].kind, kind) == 0)
			return &c->events[i];
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

/* One drill's events.log: its entries, KILL: line and markers. */
static void
check_drill(const char *drill, size_t entries, long kill_line,
    const char *kill_time, size_t notes)
{
	struct collected c = { 0 };
	const struct kept_event *e;
	char *rel = xasprintf("tests/data/drills/%s/events.log", drill);

	assert_int_equal(import(rel, &c), 0);
	assert_int_equal(c.count, entries);
	assert_int_equal(count_kind(&c, "failure_injected"), 1);
	assert_int_equal(count_kind(&c, "takeover"), 2);
	assert_int_equal(count_kind(&c, "traffic_start"), 2);
	assert_int_equal(count_kind(&c, "note"), notes);
	e = first_kind(&c, "failure_injected");
	assert_int_equal(e->line, kill_line);
	assert_int_equal(e->ts, iso(kill_time));
	assert_string_equal(e->detail, "process-kill");
	assert_non_null(strstr(e->message, "KILL: kill -9"));
	assert_null(e->host);
	/* The times carry +00:00: no zone warning. */
	assert_int_equal(c.warnings, 0);
	collected_free(&c);
	free(rel);
}

static void
drill_a_events(void **state)
{
	(void)state;
	check_drill("A-dataplane-failover", 20, 13,
	    "2026-12-04T19:49:25.750Z", 15);
}

static void
drill_b1_events(void **state)
{
	(void)state;
	check_drill("B1-peer-reject-identity", 20, 13,
	    "2026-12-04T19:43:49.652Z", 15);
}

static void
drill_b4_events(void **state)
{
	(void)state;
	check_drill("B4-controlplane-loss", 19, 13,
	    "2026-12-04T19:50:17.952Z", 14);
}

static void
drill_c_events(void **state)
{
	(void)state;
	check_drill("C-ctrlplane-interrupt", 21, 12,
	    "2026-12-04T19:53:31.064Z", 16);
}

static void
drill_d_events(void **state)
{
	(void)state;
	check_drill("D-state-drift-ha-sync", 20, 14,
	    "2026-12-04T19:42:45.964Z", 15);
}

/* The first HA: line of drill A is the earliest takeover. */
static void
drill_a_takeovers(void **state)
{
	struct collected c = { 0 };
	const struct kept_event *e;

	(void)state;
	assert_int_equal(import("tests/data/drills/A-dataplane-failover/"
	    "events.log", &c), 0);
	e = first_kind(&c, "takeover");
	assert_int_equal(e->line, 14);
	assert_int_equal(e->ts, iso("2026-12-04T19:49:28.754Z"));
	assert_null(e->detail);
	e = first_kind(&c, "traffic_start");
	assert_int_equal(e->ts, iso("2026-12-04T19:49:13.153Z"));
	collected_free(&c);
}

static void
jsonl_graceful(void **state)
{
	struct collected c = { 0 };
	const struct kept_event *e;

	(void)state;
	assert_int_equal(import("tests/data/timeline/A-graceful.timeline.jsonl",
	    &c), 0);
	assert_int_equal(c.count, 4);
	assert_string_equal(c.events[0].kind, "traffic_start");
	assert_string_equal(c.events[0].host, "lan");
	e = &c.events[1];
	assert_string_equal(e->kind, "failure_injected");
	assert_string_equal(e->detail, "graceful");
	assert_string_equal(e->host, "fwa");
	assert_int_equal(e->line, 2);
	assert_int_equal(e->ts, iso("2026-12-04T19:49:25.750Z"));
	assert_string_equal(e->message, "swanctl --terminate and HA release "
	    "on fwa");
	assert_string_equal(c.events[2].kind, "takeover");
	assert_string_equal(c.events[3].kind, "traffic_stop");
	assert_null(c.events[3].message);
	assert_int_equal(c.warnings, 0);
	collected_free(&c);
}

/* Times without a zone are read in --tz, with a warning naming it. */
static void
jsonl_zoneless_times(void **state)
{
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import("tests/data/timeline/zoneless.timeline.jsonl",
	    &c), 0);
	assert_int_equal(c.count, 2);
	assert_int_equal(c.events[0].ts, iso("2026-12-04T20:49:25.750Z"));
	assert_int_equal(c.events[0].line, 2);
	assert_string_equal(c.events[0].detail, "power");
	assert_string_equal(c.events[1].kind, "failback");
	assert_string_equal(c.events[1].detail, "graceful");
	assert_true(has_warning(&c, "member \"operator\" is not part of"));
	assert_true(has_warning(&c, "read as UTC (--tz not given)"));
	collected_free(&c);

	assert_int_equal(import_opts("tests/data/timeline/"
	    "zoneless.timeline.jsonl", "Europe/Berlin", NULL, &c), 0);
	/* 20:49:25.750 in Berlin in December (UTC+1) is 19:49:25.750Z. */
	assert_int_equal(c.events[0].ts, iso("2026-12-04T19:49:25.750Z"));
	assert_true(has_warning(&c, "read as Europe/Berlin (--tz)"));
	collected_free(&c);
}

/* Every bad line is reported, then the import fails. */
static void
jsonl_bad_lines(void **state)
{
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import("tests/data/timeline/bad-lines.timeline.jsonl",
	    &c), FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "'bad-lines.timeline.jsonl' line "
	    "2: unknown \"event\" \"switchover\""));
	assert_non_null(strstr(fp_errmsg(), "(4 bad lines in all)"));
	assert_true(has_warning(&c, "3: invalid \"time\" \"yesterday\""));
	assert_true(has_warning(&c, "4: \"host\" must be a string"));
	assert_true(has_warning(&c, "5: column"));
	collected_free(&c);
}

static void
markers_file(void **state)
{
	struct collected c = { 0 };
	const struct kept_event *e;

	(void)state;
	assert_int_equal(import_opts("tests/data/timeline/switchover.events.log",
	    NULL, "tests/data/timeline/switchover.markers", &c), 0);
	assert_int_equal(c.count, 4);
	assert_string_equal(c.events[0].kind, "traffic_start");
	e = &c.events[1];
	assert_string_equal(e->kind, "failure_injected");
	assert_string_equal(e->detail, "graceful");
	/* The indented line continues the entry. */
	assert_string_equal(e->message, "SWITCHOVER: requested on fwa "
	    "(hactl switchover)\nfwa released 198.51.100.10");
	assert_string_equal(c.events[2].kind, "takeover");
	assert_string_equal(c.events[3].kind, "traffic_stop");
	collected_free(&c);

	/* With the default markers the same file is only notes. */
	assert_int_equal(import("tests/data/timeline/switchover.events.log",
	    &c), 0);
	assert_int_equal(count_kind(&c, "note"), 4);
	collected_free(&c);
}

static void
markers_file_invalid(void **state)
{
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_opts("tests/data/timeline/switchover.events.log",
	    NULL, "tests/data/timeline/A-graceful.timeline.jsonl", &c),
	    FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "markers file "
	    "'A-graceful.timeline.jsonl' line 1: unknown event"));
	assert_int_equal(c.count, 0);
	collected_free(&c);
}

static void
text_line_without_time(void **state)
{
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import("tests/data/timeline/untimed.events.log", &c),
	    FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "'untimed.events.log' line 2: no "
	    "ISO 8601 time at the start of \"KILL: second kill"));
	collected_free(&c);
}

static void
not_a_timeline(void **state)
{
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import("tests/data/harness/"
	    "yardstick__iperf3_sample_output_udp.json", &c), FP_EINVAL);
	assert_int_equal(c.count, 0);
	collected_free(&c);
}

static void
detects_timelines(void **state)
{
	static const char *const files[] = {
		"tests/data/drills/A-dataplane-failover/events.log",
		"tests/data/drills/C-ctrlplane-interrupt/events.log",
		"tests/data/timeline/A-graceful.timeline.jsonl",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *path = xasprintf("%s/%s", srcdir, files[i]);
		const struct fp_importer *imp = fp_importer_detect(path);

		assert_non_null(imp);
		assert_string_equal(imp->kind, "timeline");
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
		cmocka_unit_test(drill_a_events),
		cmocka_unit_test(drill_b1_events),
		cmocka_unit_test(drill_b4_events),
		cmocka_unit_test(drill_c_events),
		cmocka_unit_test(drill_d_events),
		cmocka_unit_test(drill_a_takeovers),
		cmocka_unit_test(jsonl_graceful),
		cmocka_unit_test(jsonl_zoneless_times),
		cmocka_unit_test(jsonl_bad_lines),
		cmocka_unit_test(markers_file),
		cmocka_unit_test(markers_file_invalid),
		cmocka_unit_test(text_line_without_time),
		cmocka_unit_test(not_a_timeline),
		cmocka_unit_test(detects_timelines),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
