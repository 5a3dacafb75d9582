/*
 * Tests of the iperf3 importer on hard cases 11 ("-nan" in an interval
 * without packets) and 12 (a run that died, with text after the JSON).
 * Drills A and B1 are iperf 3.12 runs with -u -R whose client JSON embeds
 * the server's.  The public results in tests/data/harness are an iperf
 * 3.0.7 UDP client and a JSON array of two iperf 3.6 server results.
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
#include "sample_sink.h"

extern const struct fp_importer fp_importer_iperf3;

static const char *srcdir = ".";

static int
run_on(const char *path, const char *name, struct collected *c)
{
	struct fp_import_opts opts = { 0 };
	struct fp_sink sink = { c, NULL, keep_sample, NULL, keep_warning,
	    NULL, NULL, NULL };

	opts.display_name = name;
	return fp_importer_iperf3.run(path, &opts, &sink);
}

static int
import(const char *rel, struct collected *c)
{
	char *path = xasprintf("%s/%s", srcdir, rel);
	int rc = run_on(path, fp_basename(rel), c);

	free(path);
	return rc;
}

/*
 * Import a copy of a file below the tree with text put before it and its
 * lines after the first keep_lines dropped (keep_lines < 0 keeps all).
 */
static int
import_variant(const char *rel, const char *before, int keep_lines,
    struct collected *c)
{
	char tmp[] = "/tmp/fp-iperf3-XXXXXX", line[1024];
	char *path = xasprintf("%s/%s", srcdir, rel);
	FILE *in, *out;
	int fd, rc;

	in = fopen(path, "r");
	assert_non_null(in);
	fd = mkstemp(tmp);
	assert_true(fd >= 0);
	out = fdopen(fd, "w");
	assert_non_null(out);
	fputs(before, out);
	for (int i = 0; (keep_lines < 0 || i < keep_lines) &&
	    fgets(line, sizeof(line), in); i++)
		fputs(line, out);
	fclose(in);
	fclose(out);
	rc = run_on(tmp, fp_basename(rel), c);
	unlink(tmp);
	free(path);
	return rc;
}

static int
has_warning(const struct collected *c, const char *text)
{
	for (long i = 0; i < c->warnings && i < 64; i++)
		if (strstr(c->warning_text[i], text) != NULL)
			return 1;
	return 0;
}

/* 1796413763 is 2026-12-04T19:49:23Z. */
#define T0 INT64_C(1796413763000000)

/*
 * Hard case 11: the second interval has no packet and "-nan" loss; it
 * must read as an outage second, never as 0 % loss.
 */
static void
case11_nan_interval(void **state)
{
	struct collected c = { 0 };
	const struct fp_sample *s;

	(void)state;
	assert_int_equal(import("tests/data/cases/"
	    "11-iperf3-udp-nan-zero-interval.input.json", &c), 0);
	assert_int_equal(c.count, 4);
	s = &c.samples[0].s;
	assert_int_equal(s->t_start, T0);
	assert_int_equal(s->t_end, T0 + 1000105);
	assert_int_equal(s->delivered, 100);
	assert_int_equal(s->lost, 0);
	assert_int_equal(s->resolution, 1000000);
	assert_string_equal(s->src, "203.0.113.100");
	assert_string_equal(s->dst, "192.0.2.100");
	assert_string_equal(s->source, "iperf3");
	s = &c.samples[1].s;
	assert_int_equal(s->t_start, T0 + 1000105);
	assert_int_equal(s->delivered, 0);
	assert_int_equal(s->offered, -1);
	assert_int_equal(s->lost, -1);
	assert_int_equal(s->bytes, 0);
	assert_non_null(strstr(s->note, "no packet received"));
	s = &c.samples[2].s;
	assert_int_equal(s->offered, 200);
	assert_int_equal(s->lost, 150);
	assert_int_equal(s->delivered, 50);
	assert_int_equal(s->bytes, 62500);
	assert_int_equal(c.samples[3].s.delivered, 100);
	/* Both "-nan" are reported with their position. */
	assert_int_equal(c.warnings, 2);
	assert_int_equal(c.warning_lines[0], 69);
	assert_non_null(strstr(c.warning_text[0], "column 22: -nan is not a "
	    "JSON number"));
	assert_int_equal(c.warning_lines[1], 81);
	collected_free(&c);
}

/*
 * Hard case 12: three intervals, then "error", an empty "end" and a text
 * line after the JSON.  The intervals are kept; the error is on the last
 * sample's note and in a warning.
 */
static void
case12_error_and_trailing_text(void **state)
{
	static const int64_t bytes[] = { 11796480, 11665408, 1441792 };
	struct collected c = { 0 };
	const struct fp_sample *s;

	(void)state;
	assert_int_equal(import("tests/data/cases/"
	    "12-iperf3-error-partial-trailing-text.input.json", &c), 0);
	assert_int_equal(c.count, 3);
	for (size_t i = 0; i < 3; i++) {
		s = &c.samples[i].s;
		assert_int_equal(s->bytes, bytes[i]);
		assert_int_equal(s->delivered, -1);
		assert_string_equal(s->src, "192.0.2.100");
		assert_string_equal(s->dst, "203.0.113.100");
	}
	assert_int_equal(c.samples[0].s.t_start, T0);
	assert_int_equal(c.samples[2].s.t_end, T0 + 3000089);
	assert_string_equal(c.samples[2].s.note, "iperf3 error: error - "
	    "control socket has closed unexpectedly; sender side: delivery "
	    "unknown; 12 TCP retransmits");
	assert_int_equal(c.warnings, 2);
	assert_int_equal(c.warning_lines[0], 125);
	assert_non_null(strstr(c.warning_text[0], "text after the JSON "
	    "document ignored"));
	assert_int_equal(c.warning_lines[1], 123);
	assert_non_null(strstr(c.warning_text[1], "iperf3 reported the error "
	    "\"error - control socket has closed unexpectedly\""));
	assert_non_null(strstr(c.warning_text[1], "of the 10 s requested"));
	collected_free(&c);
}

/* Case 12 without its trailing line, and behind a warning line. */
static void
case12_variants(void **state)
{
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_variant("tests/data/cases/"
	    "12-iperf3-error-partial-trailing-text.input.json", "", 124, &c),
	    0);
	assert_int_equal(c.count, 3);
	assert_int_equal(c.warnings, 1);
	assert_non_null(strstr(c.samples[2].s.note, "iperf3 error: "));
	collected_free(&c);

	assert_int_equal(import_variant("tests/data/cases/"
	    "12-iperf3-error-partial-trailing-text.input.json",
	    "warning: UDP block size 1460 exceeds TCP MSS\n", -1, &c), 0);
	assert_int_equal(c.count, 3);
	assert_int_equal(c.warning_lines[0], 1);
	assert_non_null(strstr(c.warning_text[0], "text before the JSON "
	    "document ignored"));
	assert_int_equal(c.samples[0].s.t_start, T0);
	collected_free(&c);
}

/*
 * Drill A ran with -u -R, so the client received.  The server's intervals
 * inside the client JSON are the sender's view of the same direction, so
 * they are left out.
 */
static void
drill_a_receiver_intervals(void **state)
{
	struct collected c = { 0 };
	int64_t lost = 0, empty = 0;

	(void)state;
	assert_int_equal(import("tests/data/drills/A-dataplane-failover/"
	    "lan.iperf3-client.json", &c), 0);
	assert_int_equal(c.count, 45);
	for (size_t i = 0; i < c.count; i++) {
		const struct fp_sample *s = &c.samples[i].s;

		assert_string_equal(s->src, "203.0.113.100");
		assert_string_equal(s->dst, "192.0.2.100");
		if (s->lost > 0)
			lost += s->lost;
		empty += s->delivered == 0;
	}
	assert_int_equal(lost, 305);
	assert_int_equal(empty, 2);
	assert_int_equal(c.samples[13].s.delivered, 0);
	assert_int_equal(c.samples[13].s.t_start,
	    INT64_C(1796413753000000) + 13000998);
	assert_int_equal(c.samples[15].s.offered, 392);
	assert_int_equal(c.samples[15].s.delivered, 87);
	/* iperf 3.12 writes start.target_bitrate twice: expected, silent. */
	assert_false(has_warning(&c, "duplicate object key"));
	collected_free(&c);
}

/* The server's own file: sender side only, delivery unknown. */
static void
drill_a_server_side(void **state)
{
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import("tests/data/harness/"
	    "A-remote.iperf3-server.json", &c), 0);
	assert_true(c.count > 0);
	assert_string_equal(c.samples[0].s.src, "203.0.113.100");
	assert_string_equal(c.samples[0].s.dst, "192.0.2.100");
	assert_int_equal(c.samples[0].s.delivered, -1);
	assert_int_equal(c.samples[0].s.offered, 100);
	assert_false(has_warning(&c, "duplicate object key"));
	collected_free(&c);
}

/* Drill B1: the client was stopped by its timeout in the dead tunnel. */
static void
drill_b1_interrupted(void **state)
{
	struct collected c = { 0 };
	const struct fp_sample *last;

	(void)state;
	assert_int_equal(import("tests/data/drills/B1-peer-reject-identity/"
	    "lan.iperf3-client.json", &c), 0);
	assert_int_equal(c.count, 45);
	last = &c.samples[44].s;
	assert_int_equal(last->delivered, 0);
	assert_memory_equal(last->note, "iperf3 error: interrupt - the "
	    "client has terminated", 50);
	assert_true(has_warning(&c, "\"interrupt - the client has "
	    "terminated\""));
	collected_free(&c);
}

/* iperf 3.0.7 UDP client: no "sender" members, the role decides. */
static void
old_schema_sender(void **state)
{
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import("tests/data/harness/"
	    "yardstick__iperf3_sample_output_udp.json", &c), 0);
	assert_int_equal(c.count, 10);
	assert_int_equal(c.samples[0].s.offered, 275);
	assert_int_equal(c.samples[0].s.delivered, -1);
	assert_string_equal(c.samples[0].s.src, "10.0.1.2");
	assert_string_equal(c.samples[0].s.dst, "172.16.9.195");
	assert_int_equal(c.samples[0].s.t_start, INT64_C(1443491303000000));
	assert_int_equal(c.warnings, 0);
	collected_free(&c);
}

static void
array_of_results(void **state)
{
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import("tests/data/harness/"
	    "vue-iperf3-chart__data_server_array.json", &c), 0);
	assert_int_equal(c.count, 21);
	assert_string_equal(c.samples[0].s.dst, "192.168.250.1");
	assert_string_equal(c.samples[20].s.dst, "192.168.250.1");
	collected_free(&c);
}

static void
invalid_json_gives_position(void **state)
{
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_variant("tests/data/cases/"
	    "11-iperf3-udp-nan-zero-interval.input.json", "", 40, &c),
	    FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "'11-iperf3-udp-nan-zero-"
	    "interval.input.json' line 41 column"));
	assert_non_null(strstr(fp_errmsg(), "invalid JSON"));
	assert_int_equal(c.count, 0);
	collected_free(&c);
}

static void
detects_iperf3(void **state)
{
	char *path = xasprintf("%s/tests/data/cases/"
	    "12-iperf3-error-partial-trailing-text.input.json", srcdir);
	const struct fp_importer *imp = fp_importer_detect(path);

	(void)state;
	assert_non_null(imp);
	assert_string_equal(imp->kind, "iperf3");
	free(path);
}

static int
setup(void **state)
{
	(void)state;
	if (getenv("FP_SRCDIR") != NULL)
		srcdir = getenv("FP_SRCDIR");
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(case11_nan_interval),
		cmocka_unit_test(case12_error_and_trailing_text),
		cmocka_unit_test(case12_variants),
		cmocka_unit_test(drill_a_receiver_intervals),
		cmocka_unit_test(drill_a_server_side),
		cmocka_unit_test(drill_b1_interrupted),
		cmocka_unit_test(old_schema_sender),
		cmocka_unit_test(array_of_results),
		cmocka_unit_test(invalid_json_gives_position),
		cmocka_unit_test(detects_iperf3),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
