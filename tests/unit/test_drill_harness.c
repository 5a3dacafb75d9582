/*
 * The harness files of the five lab drills (lan.ping.txt,
 * lan.iperf3-client.json, remote.iperf3-server.json), and the ping and
 * iperf3 files of the harness corpus not covered elsewhere.  The drills'
 * figures were measured independently from the raw files when the
 * drills were recorded: echo replies, reply gaps, lost packets and
 * intervals without packets.
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

extern const struct fp_importer fp_importer_ping;
extern const struct fp_importer fp_importer_iperf3;

struct totals {
	size_t samples;
	size_t delivered;		/* samples with delivery */
	size_t empty;			/* samples with nothing delivered */
	int64_t offered;
	int64_t lost;
	size_t errors;			/* notes starting "iperf3 error: " */
	size_t retransmit_notes;
	fp_time first;
	fp_time last;
	/* the last delivery before and the first after a reference time */
	fp_time reference;
	fp_time before;
	fp_time after;
};

static const char *srcdir = ".";

static int
count_sample(void *ctx, const struct fp_sample *s)
{
	struct totals *t = ctx;

	t->samples++;
	if (s->delivered > 0) {
		t->delivered++;
		if (s->t_end < t->reference &&
		    (t->before == FP_TIME_NONE || s->t_end > t->before))
			t->before = s->t_end;
		if (s->t_start >= t->reference && t->after == FP_TIME_NONE)
			t->after = s->t_start;
	}
	t->empty += s->delivered == 0;
	t->offered += s->offered > 0 ? s->offered : 0;
	t->lost += s->lost > 0 ? s->lost : 0;
	if (s->note != NULL && strncmp(s->note, "iperf3 error: ", 14) == 0)
		t->errors++;
	if (s->note != NULL && strstr(s->note, "TCP retransmits") != NULL)
		t->retransmit_notes++;
	if (t->first == FP_TIME_NONE || s->t_start < t->first)
		t->first = s->t_start;
	if (t->last == FP_TIME_NONE || s->t_start > t->last)
		t->last = s->t_start;
	return 0;
}

static void
ignore_warning(void *ctx, long line, const char *msg)
{
	(void)ctx;
	(void)line;
	(void)msg;
}

static fp_time
iso(const char *s)
{
	fp_time t;

	assert_true(fp_time_parse_iso(s, &t) > 0);
	return t;
}

static void
import(const struct fp_importer *imp, const char *rel, const char *ref,
    fp_time reference, struct totals *t)
{
	struct fp_import_opts opts = { 0 };
	struct fp_sink sink = { .ctx = t, .sample = count_sample,
	    .warn = ignore_warning };
	char *path = xasprintf("%s/%s", srcdir, rel);

	memset(t, 0, sizeof(*t));
	t->first = t->last = t->before = t->after = FP_TIME_NONE;
	t->reference = ref != NULL ? iso(ref) : INT64_MAX;
	opts.display_name = fp_basename(rel);
	opts.reference = reference;
	assert_int_equal(imp->run(path, &opts, &sink), 0);
	free(path);
}

/* One drill's ping: replies, lost requests and the gap around the KILL. */
static void
check_ping(const char *drill, const char *kill, size_t replies,
    size_t lost, const char *last_before, const char *first_after)
{
	char *rel = xasprintf("tests/data/drills/%s/lan.ping.txt", drill);
	struct totals t;

	import(&fp_importer_ping, rel, kill, 0, &t);
	assert_int_equal(t.delivered, replies);
	assert_int_equal(t.empty, lost);
	/* summary.json gives milliseconds, cut short. */
	assert_int_equal(t.before / 1000, iso(last_before) / 1000);
	if (first_after != NULL)
		assert_int_equal(t.after / 1000, iso(first_after) / 1000);
	else
		assert_int_equal(t.after, FP_TIME_NONE);
	free(rel);
}

static void
ping_of_drills(void **state)
{
	(void)state;
	check_ping("A-dataplane-failover", "2026-12-04T19:49:25.750Z", 210, 15,
	    "2026-12-04T19:49:25.566Z", "2026-12-04T19:49:28.834Z");
	check_ping("B1-peer-reject-identity", "2026-12-04T19:43:49.652Z", 62,
	    163, "2026-12-04T19:43:49.486Z", NULL);
	check_ping("B4-controlplane-loss", "2026-12-04T19:50:17.952Z", 62,
	    163, "2026-12-04T19:50:17.778Z", NULL);
	check_ping("D-state-drift-ha-sync", "2026-12-04T19:42:45.964Z", 139,
	    86, "2026-12-04T19:42:45.790Z", "2026-12-04T19:43:03.590Z");
}

/* Scenario 1: no reply before the KILL, the first 3.107 s after it. */
static void
ping_of_drill_c(void **state)
{
	struct totals t;

	(void)state;
	import(&fp_importer_ping, "tests/data/drills/C-ctrlplane-interrupt/"
	    "lan.ping.txt", "2026-12-04T19:53:31.064Z", 0, &t);
	assert_int_equal(t.delivered, 150);
	assert_int_equal(t.empty, 50);
	assert_int_equal(t.before, FP_TIME_NONE);
	assert_int_equal(t.after / 1000, iso("2026-12-04T19:53:34.170Z") /
	    1000);
	assert_int_equal((t.after - iso("2026-12-04T19:53:31.064Z") + 500) /
	    1000, 3107);
}

/* One drill's client JSON: the receiver's intervals of remote -> lan. */
static void
check_client(const char *drill, size_t intervals, size_t empty,
    int64_t packets, int64_t lost, size_t errors)
{
	char *rel = xasprintf("tests/data/drills/%s/lan.iperf3-client.json",
	    drill);
	struct totals t;

	import(&fp_importer_iperf3, rel, NULL, 0, &t);
	assert_int_equal(t.samples, intervals);
	assert_int_equal(t.empty, empty);
	assert_int_equal(t.offered, packets);
	assert_int_equal(t.lost, lost);
	assert_int_equal(t.errors, errors);
	free(rel);
}

static void
iperf3_clients_of_drills(void **state)
{
	(void)state;
	/* The summaries count 4501 packets: the end totals hold one more
	 * than the intervals. */
	check_client("A-dataplane-failover", 45, 2, 4500, 305, 0);
	check_client("B1-peer-reject-identity", 45, 32, 1209, 0, 1);
	check_client("B4-controlplane-loss", 45, 32, 1209, 0, 1);
	check_client("C-ctrlplane-interrupt", 15, 0, 1500, 0, 0);
	check_client("D-state-drift-ha-sync", 45, 2, 4500, 301, 0);
}

/* The server sends (-R): sender intervals, delivery unknown. */
static void
check_server(const char *file, size_t intervals, int64_t offered,
    const char *first)
{
	char *rel = xasprintf("tests/data/harness/%s", file);
	struct totals t;

	import(&fp_importer_iperf3, rel, NULL, 0, &t);
	assert_int_equal(t.samples, intervals);
	assert_int_equal(t.delivered, 0);
	assert_int_equal(t.empty, 0);
	assert_int_equal(t.offered, offered);
	assert_int_equal(t.first, iso(first));
	free(rel);
}

static void
iperf3_servers_of_drills(void **state)
{
	(void)state;
	check_server("A-remote.iperf3-server.json", 46, 4501,
	    "2026-12-04T19:49:13Z");
	check_server("B1-remote.iperf3-server.json", 72, 7126,
	    "2026-12-04T19:43:37Z");
	check_server("B4-remote.iperf3-server.json", 72, 7139,
	    "2026-12-04T19:50:05Z");
	check_server("C-remote.iperf3-server.json", 16, 1501,
	    "2026-12-04T19:53:35Z");
	check_server("D-remote.iperf3-server.json", 46, 4501,
	    "2026-12-04T19:42:33Z");
}

/* ping -O -D to 127.0.0.1: 20 of 20, -D times from the first line on. */
static void
ping_clean_baseline(void **state)
{
	struct totals t;

	(void)state;
	import(&fp_importer_ping, "tests/data/harness/"
	    "jc__centos-7.7__ping-ip-O-D.out", NULL, 0, &t);
	assert_int_equal(t.samples, 20);
	assert_int_equal(t.delivered, 20);
	assert_int_equal(t.first, INT64_C(1595037214261953));
	assert_int_equal(t.last, INT64_C(1595037233343058));
}

/* Plain ping without -D: times derived from the run's reference. */
static void
ping_without_times(void **state)
{
	struct totals t;
	fp_time ref = iso("2015-01-01T00:00:00Z");

	(void)state;
	import(&fp_importer_ping, "tests/data/harness/perfkitbenchmarker__"
	    "ping.out", NULL, ref, &t);
	assert_int_equal(t.samples, 100);
	assert_int_equal(t.delivered, 100);
	assert_true(t.first >= ref && t.first < ref + 1000000);
}

/* iperf 3.0.7 TCP client: sender intervals with the retransmits noted. */
static void
iperf3_tcp_old_schema(void **state)
{
	struct totals t;

	(void)state;
	import(&fp_importer_iperf3, "tests/data/harness/yardstick__iperf3_"
	    "sample_output_tcp.json", NULL, 0, &t);
	assert_int_equal(t.samples, 10);
	assert_int_equal(t.delivered, 0);
	assert_int_equal(t.retransmit_notes, 2);
	assert_int_equal(t.first, INT64_C(1436254758000000));
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
		cmocka_unit_test(ping_of_drills),
		cmocka_unit_test(ping_of_drill_c),
		cmocka_unit_test(iperf3_clients_of_drills),
		cmocka_unit_test(iperf3_servers_of_drills),
		cmocka_unit_test(ping_clean_baseline),
		cmocka_unit_test(ping_without_times),
		cmocka_unit_test(iperf3_tcp_old_schema),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
