/*
 * Tests of the ping importer on hard case 14 (a capture that ends inside
 * an outage) and drill A's ping -D -O -i 0.2 output.  The public iputils
 * captures in tests/data/harness add total loss, ICMP errors, IPv6 with a
 * host name, output without -D times and injected junk lines.  Expected
 * times are the -D stamps of the files.
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

extern const struct fp_importer fp_importer_ping;

static const char *srcdir = ".";

static int
run_on(const char *path, const char *name, struct fp_import_opts *opts,
    struct collected *c)
{
	struct fp_sink sink = { c, NULL, keep_sample, NULL, keep_warning,
	    NULL, NULL, NULL };

	opts->display_name = name;
	return fp_importer_ping.run(path, opts, &sink);
}

static int
import(const char *rel, struct fp_import_opts *opts, struct collected *c)
{
	char *path = xasprintf("%s/%s", srcdir, rel);
	int rc = run_on(path, fp_basename(rel), opts, c);

	free(path);
	return rc;
}

/* Import the first lines of a file below the tree, from a copy. */
static int
import_head(const char *rel, int lines, struct fp_import_opts *opts,
    struct collected *c)
{
	char tmp[] = "/tmp/fp-ping-XXXXXX", line[512];
	char *path = xasprintf("%s/%s", srcdir, rel);
	FILE *in, *out;
	int fd, rc;

	in = fopen(path, "r");
	assert_non_null(in);
	fd = mkstemp(tmp);
	assert_true(fd >= 0);
	out = fdopen(fd, "w");
	assert_non_null(out);
	for (int i = 0; i < lines && fgets(line, sizeof(line), in); i++)
		fputs(line, out);
	fclose(in);
	fclose(out);
	rc = run_on(tmp, fp_basename(rel), opts, c);
	unlink(tmp);
	free(path);
	return rc;
}

static int
import_text(const char *text, struct fp_import_opts *opts,
    struct collected *c)
{
	char tmp[] = "/tmp/fp-ping-XXXXXX";
	int fd, rc;
	FILE *f;

	fd = mkstemp(tmp);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	rc = run_on(tmp, "ping.txt", opts, c);
	unlink(tmp);
	return rc;
}

static fp_time
iso(const char *s)
{
	fp_time t = 0;

	assert_int_not_equal(fp_time_parse_iso(s, &t), 0);
	return t;
}

static long
count_delivered(const struct collected *c, int delivered)
{
	long n = 0;

	for (size_t i = 0; i < c->count; i++)
		n += c->samples[i].s.delivered == delivered;
	return n;
}

static int
has_warning(const struct collected *c, const char *text)
{
	for (long i = 0; i < c->warnings && i < 64; i++)
		if (strstr(c->warning_text[i], text) != NULL)
			return 1;
	return 0;
}

/*
 * Hard case 14: replies for seq 1-5, "no answer yet" for 6-9, and seq 10
 * lost with no line at all; only the summary counts it.
 */
static void
case14_trailing_loss(void **state)
{
	static const char *const times[] = {
		"2026-12-04T19:49:24.960511Z", "2026-12-04T19:49:25.159633Z",
		"2026-12-04T19:49:25.359378Z", "2026-12-04T19:49:25.559944Z",
		"2026-12-04T19:49:25.759579Z", "2026-12-04T19:49:26.158345Z",
		"2026-12-04T19:49:26.358606Z", "2026-12-04T19:49:26.558300Z",
		"2026-12-04T19:49:26.758418Z",
	};
	struct fp_import_opts opts = { .host = "lan" };
	struct collected c = { 0 };
	const struct fp_sample *s;

	(void)state;
	assert_int_equal(import("tests/data/cases/"
	    "14-ping-trailing-loss-unreported.input.txt", &opts, &c), 0);
	assert_int_equal(c.count, 10);
	for (size_t i = 0; i < 9; i++) {
		s = &c.samples[i].s;
		assert_int_equal(s->t_start, iso(times[i]));
		assert_int_equal(s->t_end, s->t_start);
		assert_int_equal(s->delivered, i < 5);
		assert_int_equal(s->lost, i >= 5);
		assert_int_equal(s->offered, 1);
		assert_int_equal(s->both_directions, 1);
		assert_string_equal(s->src, "lan");
		assert_string_equal(s->dst, "203.0.113.100");
		assert_string_equal(s->source, "ping");
	}
	assert_string_equal(c.samples[5].s.note, "no answer yet");
	/* Seq 10: one interval (0.2 s) after the last marker, derived. */
	s = &c.samples[9].s;
	assert_int_equal(s->delivered, 0);
	assert_int_equal(s->lost, 1);
	assert_true(s->t_start > iso("2026-12-04T19:49:26.955Z"));
	assert_true(s->t_start < iso("2026-12-04T19:49:26.962Z"));
	assert_true(s->resolution > 199000 && s->resolution < 201000);
	assert_non_null(strstr(s->note, "derived time"));
	assert_int_equal(s->line, 13);
	/* The summary and rtt lines agree with the replies. */
	assert_int_equal(c.warnings, 0);
	collected_free(&c);
}

/* Case 14 without its summary (ping killed): seq 1-9, total unknown. */
static void
case14_without_summary(void **state)
{
	struct fp_import_opts opts = { 0 };
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_head("tests/data/cases/"
	    "14-ping-trailing-loss-unreported.input.txt", 10, &opts, &c), 0);
	assert_int_equal(c.count, 9);
	assert_int_equal(count_delivered(&c, 1), 5);
	assert_int_equal(count_delivered(&c, 0), 4);
	assert_string_equal(c.samples[0].s.src, "local");
	assert_true(has_warning(&c, "no summary"));
	collected_free(&c);
}

static void
drill_a_ping_gap(void **state)
{
	struct fp_import_opts opts = { 0 };
	struct collected c = { 0 };
	fp_time last_before = 0, first_after = 0;
	fp_time kill = iso("2026-12-04T19:49:25.750Z");

	(void)state;
	assert_int_equal(import("tests/data/drills/A-dataplane-failover/"
	    "lan.ping.txt", &opts, &c), 0);
	assert_int_equal(count_delivered(&c, 1), 210);
	/* 15 requests unanswered; two of them also got an ICMP error. */
	assert_int_equal(count_delivered(&c, 0), 15);
	for (size_t i = 0; i < c.count; i++) {
		const struct fp_sample *s = &c.samples[i].s;

		if (s->delivered != 1)
			continue;
		if (s->t_start < kill)
			last_before = s->t_start;
		else if (first_after == 0)
			first_after = s->t_start;
	}
	assert_int_equal(last_before, iso("2026-12-04T19:49:25.566363Z"));
	assert_int_equal(first_after, iso("2026-12-04T19:49:28.834391Z"));
	assert_string_equal(c.samples[62].s.note,
	    "Destination Net Unreachable from 192.0.2.2");
	assert_int_equal(c.warnings, 0);
	collected_free(&c);
}

/* 100 % loss: "no answer yet" for seq 1-4, seq 5 only in the summary. */
static void
total_loss(void **state)
{
	struct fp_import_opts opts = { 0 };
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import("tests/data/harness/jc__pi__ping-ip-O-D.out",
	    &opts, &c), 0);
	assert_int_equal(c.count, 5);
	assert_int_equal(count_delivered(&c, 0), 5);
	assert_int_equal(c.samples[0].s.t_start,
	    iso("2020-08-04T23:50:08.591169Z"));
	assert_int_equal(c.samples[4].s.t_start,
	    iso("2020-08-04T23:50:12.751167Z"));
	assert_int_equal(c.warnings, 0);
	collected_free(&c);
}

static void
ipv6_host_name(void **state)
{
	struct fp_import_opts opts = { 0 };
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import("tests/data/harness/"
	    "jc__ubuntu-18.04__ping6-hostname-O-D-p.out", &opts, &c), 0);
	assert_int_equal(c.count, 20);
	assert_int_equal(count_delivered(&c, 0), 2);
	assert_string_equal(c.samples[0].s.dst, "2a04:4e42:2d::323");
	assert_int_equal(c.samples[10].s.delivered, 0);
	assert_int_equal(c.samples[10].s.t_start,
	    iso("2020-07-18T20:09:53.166385Z"));
	assert_int_equal(c.warnings, 0);
	collected_free(&c);
}

static void
icmp_errors_without_times(void **state)
{
	struct fp_import_opts opts = { 0 };
	struct collected c = { 0 };

	(void)state;
	opts.reference = iso("2026-12-04T19:00:00Z");
	assert_int_equal(import("tests/data/harness/"
	    "jc__ubuntu-22.04__ping-dest-unreachable.out", &opts, &c), 0);
	assert_int_equal(c.count, 3);
	assert_int_equal(count_delivered(&c, 0), 3);
	assert_string_equal(c.samples[0].s.note, "Destination Host "
	    "Unreachable from 10.0.0.1 (derived time)");
	assert_int_equal(c.samples[0].s.t_start, opts.reference);
	/* The summary's "+3 errors" matches; only the derived-time note. */
	assert_int_equal(c.warnings, 1);
	assert_true(has_warning(&c, "times are derived, not measured"));
	collected_free(&c);
}

static void
no_times_needs_reference(void **state)
{
	struct fp_import_opts opts = { 0 };
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import("tests/data/harness/"
	    "jc__fedora32__ping6-ip-O-p.out", &opts, &c), FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "'jc__fedora32__ping6-ip-O-p.out' "
	    "has no time stamps: record ping with -D"));
	assert_int_equal(c.count, 0);
	collected_free(&c);
}

static void
no_times_derived_from_reference(void **state)
{
	struct fp_import_opts opts = { 0 };
	struct collected c = { 0 };

	(void)state;
	opts.reference = iso("2026-12-04T19:00:00Z");
	assert_int_equal(import("tests/data/harness/"
	    "jc__fedora32__ping6-ip-O-p.out", &opts, &c), 0);
	assert_int_equal(c.count, 20);
	assert_int_equal(count_delivered(&c, 0), 3);
	/* 19193 ms over 19 intervals. */
	assert_int_equal(c.samples[0].s.resolution, 1010157);
	assert_int_equal(c.samples[0].s.t_start, opts.reference + 34900);
	assert_string_equal(c.samples[0].s.note, "derived time");
	collected_free(&c);
}

static void
junk_lines_are_warnings(void **state)
{
	struct fp_import_opts opts = { 0 };
	struct collected c = { 0 };

	(void)state;
	opts.reference = iso("2026-12-04T19:00:00Z");
	assert_int_equal(import("tests/data/harness/"
	    "jc__centos-7.7__ping-ip-O-unparsedlines.out", &opts, &c), 0);
	/* Seq 4's reply line is one of the junk lines. */
	assert_int_equal(c.count, 19);
	assert_int_equal(count_delivered(&c, 1), 19);
	assert_true(has_warning(&c, "unexpected text after the reply for "
	    "icmp_seq=2"));
	assert_true(has_warning(&c, "the summary counts 20 replies but 19"));
	assert_int_equal(c.warning_lines[2], 5);
	assert_int_equal(c.warning_lines[3], 8);
	assert_int_equal(c.warning_lines[4], 14);
	collected_free(&c);
}

static void
summary_disagreement_warns(void **state)
{
	struct fp_import_opts opts = { 0 };
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_text(
	    "PING 192.0.2.1 (192.0.2.1) 56(84) bytes of data.\n"
	    "[1796413764.000000] 64 bytes from 192.0.2.1: icmp_seq=1 ttl=62 "
	    "time=1.00 ms\n"
	    "[1796413764.200000] 64 bytes from 192.0.2.1: icmp_seq=2 ttl=62 "
	    "time=3.00 ms\n\n"
	    "--- 192.0.2.1 ping statistics ---\n"
	    "2 packets transmitted, 1 received, 50% packet loss, time 200ms\n"
	    "rtt min/avg/max/mdev = 1.000/1.000/1.000/0.000 ms\n", &opts, &c),
	    0);
	assert_int_equal(c.count, 2);
	assert_true(has_warning(&c, "the summary counts 1 replies but 2"));
	assert_true(has_warning(&c, "does not match the replies"));
	collected_free(&c);
}

static void
not_ping_output(void **state)
{
	struct fp_import_opts opts = { 0 };
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_text("[1796413764.0] hello\nworld\n", &opts,
	    &c), FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "'ping.txt' has no ping output"));
	collected_free(&c);
}

static void
detects_ping(void **state)
{
	char *path = xasprintf("%s/tests/data/cases/"
	    "14-ping-trailing-loss-unreported.input.txt", srcdir);
	const struct fp_importer *imp = fp_importer_detect(path);

	(void)state;
	assert_non_null(imp);
	assert_string_equal(imp->kind, "ping");
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
		cmocka_unit_test(case14_trailing_loss),
		cmocka_unit_test(case14_without_summary),
		cmocka_unit_test(drill_a_ping_gap),
		cmocka_unit_test(total_loss),
		cmocka_unit_test(ipv6_host_name),
		cmocka_unit_test(icmp_errors_without_times),
		cmocka_unit_test(no_times_needs_reference),
		cmocka_unit_test(no_times_derived_from_reference),
		cmocka_unit_test(junk_lines_are_warnings),
		cmocka_unit_test(summary_disagreement_warns),
		cmocka_unit_test(not_ping_output),
		cmocka_unit_test(detects_ping),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
