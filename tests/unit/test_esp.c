/*
 * Tests of the flow aggregator (flow_table.c) and of the ESP judgement
 * around a failover (esp_flows.c): sequence-number analysis, segments
 * and their bound, echo pairs, and the flags that no daemon has to log.
 *
 * The per-SPI counts of the corpus captures were read with tshark 4.0.17
 * (Debian 12) from the same files, with -e esp.spi -e esp.sequence -e
 * frame.len and the filter 'esp && !icmp && !icmpv6'.  The filter drops
 * the ESP headers that tshark decodes inside ICMP errors.
 *
 * Run from the top of the source tree, which contains tests/data.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "esp_flows.h"
#include "flow_table.h"
#include "importer.h"

#define SEC	1000000LL
#define MS	1000LL
#define T0	1796413700000000LL	/* 2026-12-04T19:48:20Z */

extern const struct fp_importer fp_importer_pcap;

static struct fp_packet
esp_packet(long number, fp_time ts, uint32_t spi, uint32_t seq)
{
	struct fp_packet p;

	memset(&p, 0, sizeof(p));
	p.number = number;
	p.ts = ts;
	p.wire_len = 150;
	p.proto = FP_PKT_ESP;
	p.udp_encap = 1;
	p.spi = spi;
	p.seq = seq;
	p.ttl = 64;
	snprintf(p.src, sizeof(p.src), "198.51.100.10");
	snprintf(p.dst, sizeof(p.dst), "198.51.100.1");
	snprintf(p.src_mac, sizeof(p.src_mac), "02:00:00:00:00:0a");
	snprintf(p.dst_mac, sizeof(p.dst_mac), "02:00:00:00:00:01");
	return p;
}

/* Add packets with sequence numbers seq[0..n), 10 ms apart. */
static long
add_seqs(struct flow_table *ft, long number, fp_time *t, const uint32_t *seq,
    size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct fp_packet p = esp_packet(++number, *t, 0x3dbcca57,
		    seq[i]);

		assert_int_equal(flow_table_add(ft, &p), 0);
		*t += 10 * MS;
	}
	return number;
}

static void
test_sequence_in_order(void **state)
{
	struct flow_table *ft = flow_table_new();
	uint32_t seq[10];
	fp_time t = T0;
	const struct flow *f;

	(void)state;
	for (int i = 0; i < 10; i++)
		seq[i] = (uint32_t)i + 1;
	add_seqs(ft, 0, &t, seq, 10);
	assert_int_equal(flow_table_count(ft), 1);
	f = flow_table_get(ft, 0);
	assert_int_equal(f->packets, 10);
	assert_int_equal(f->bytes, 1500);
	assert_int_equal(f->seq_first, 1);
	assert_int_equal(f->seq_last, 10);
	assert_int_equal(f->seq_gaps, 0);
	assert_int_equal(f->seq_missing, 0);
	assert_int_equal(f->seq_repeats, 0);
	assert_int_equal(f->seq_restarts, 0);
	assert_int_equal(f->n_anomalies, 0);
	assert_int_equal(f->spacing, 10 * MS);
	flow_table_free(ft);
}

static void
test_sequence_gap_late_repeat(void **state)
{
	static const uint32_t seq[] = { 1, 2, 5, 6, 3, 5, 7 };
	struct flow_table *ft = flow_table_new();
	fp_time t = T0;
	const struct flow *f;

	(void)state;
	add_seqs(ft, 0, &t, seq, sizeof(seq) / sizeof(seq[0]));
	f = flow_table_get(ft, 0);
	assert_int_equal(f->seq_gaps, 1);
	/* 3 and 4 skipped, 3 came late. */
	assert_int_equal(f->seq_missing, 1);
	assert_int_equal(f->seq_late, 1);
	assert_int_equal(f->seq_repeats, 1);
	assert_int_equal(f->seq_restarts, 0);
	assert_int_equal(f->seq_min, 1);
	assert_int_equal(f->seq_max, 7);
	assert_int_equal(f->anomalies[0].kind, FLOW_SEQ_GAP);
	assert_int_equal(f->anomalies[0].packet, 3);
	assert_int_equal(f->anomalies[0].previous, 2);
	flow_table_free(ft);
}

/*
 * A standby that inherited the SA without its counter starts again at 1:
 * the receiver drops every packet up to the 100 it had seen, and accepts
 * 101 again.
 */
static void
test_sequence_restart_replay(void **state)
{
	struct flow_table *ft = flow_table_new();
	uint32_t seq[150];
	fp_time t = T0, restart_at;
	const struct flow *f;
	const struct flow_anomaly *a;

	(void)state;
	for (int i = 0; i < 100; i++)
		seq[i] = (uint32_t)i + 1;
	add_seqs(ft, 0, &t, seq, 100);
	restart_at = t;
	for (int i = 0; i < 150; i++)
		seq[i] = (uint32_t)i + 1;
	add_seqs(ft, 100, &t, seq, 150);

	f = flow_table_get(ft, 0);
	assert_int_equal(f->seq_restarts, 1);
	assert_int_equal(f->seq_gaps, 0);
	assert_int_equal(f->n_anomalies, 1);
	a = &f->anomalies[0];
	assert_int_equal(a->kind, FLOW_SEQ_RESTART);
	assert_int_equal(a->ts, restart_at);
	assert_int_equal(a->packet, 101);
	assert_int_equal(a->seq, 1);
	assert_int_equal(a->previous, 100);
	assert_int_equal(a->replay_top, 100);
	assert_int_equal(a->below, 100);
	assert_int_equal(a->accepted_packet, 201);
	assert_int_equal(a->accepted_ts, restart_at + 100 * 10 * MS);
	flow_table_free(ft);
}

/* With extended sequence numbers the low 32 bits wrap: no restart. */
static void
test_sequence_wrap(void **state)
{
	static const uint32_t seq[] = { 0xfffffffe, 0xffffffff, 0, 1, 2 };
	struct flow_table *ft = flow_table_new();
	fp_time t = T0;

	(void)state;
	add_seqs(ft, 0, &t, seq, 5);
	assert_int_equal(flow_table_get(ft, 0)->seq_restarts, 0);
	assert_int_equal(flow_table_get(ft, 0)->seq_gaps, 0);
	flow_table_free(ft);
}

/* A silence of the path's gap or longer ends a segment, exactly. */
static void
test_segments_split_at_silence(void **state)
{
	struct flow_table *ft = flow_table_new();
	const struct flow_path *pa;
	long n = 0;

	(void)state;
	for (int i = 0; i < 100; i++) {
		struct fp_packet p;

		n++;
		p = esp_packet(n, T0 + i * 10 * MS, 1, (uint32_t)n);
		flow_table_add(ft, &p);
	}
	for (int i = 0; i < 50; i++) {
		struct fp_packet p;

		n++;
		p = esp_packet(n, T0 + 3 * SEC + i * 10 * MS, 1, (uint32_t)n);
		flow_table_add(ft, &p);
	}
	pa = &flow_table_get(ft, 0)->paths[0];
	assert_int_equal(pa->n_segments, 2);
	assert_int_equal(pa->segments[0].start, T0);
	assert_int_equal(pa->segments[0].end, T0 + 990 * MS);
	assert_int_equal(pa->segments[0].packets, 100);
	assert_int_equal(pa->segments[0].last_packet, 100);
	assert_int_equal(pa->segments[1].start, T0 + 3 * SEC);
	assert_int_equal(pa->segments[1].first_packet, 101);
	assert_int_equal(pa->segments[1].packets, 50);
	flow_table_free(ft);
}

/* A packet from the past joins the segments it falls between. */
static void
test_segments_out_of_order(void **state)
{
	struct flow_table *ft = flow_table_new();
	const struct flow_path *pa;
	struct fp_packet p;

	(void)state;
	p = esp_packet(1, T0, 1, 1);
	flow_table_add(ft, &p);
	p = esp_packet(2, T0 + 80 * MS, 1, 2);
	flow_table_add(ft, &p);
	pa = &flow_table_get(ft, 0)->paths[0];
	assert_int_equal(pa->n_segments, 2);
	/* 40 ms from both, closer than the 50 ms gap: one run. */
	p = esp_packet(3, T0 + 40 * MS, 1, 3);
	flow_table_add(ft, &p);
	assert_int_equal(pa->n_segments, 1);
	assert_int_equal(pa->segments[0].start, T0);
	assert_int_equal(pa->segments[0].end, T0 + 80 * MS);
	assert_int_equal(pa->segments[0].packets, 3);
	assert_int_equal(pa->segments[0].last_packet, 2);
	/* An earlier packet far from both starts a segment of its own. */
	p = esp_packet(4, T0 - SEC, 1, 4);
	flow_table_add(ft, &p);
	assert_int_equal(pa->n_segments, 2);
	assert_int_equal(pa->segments[0].start, T0 - SEC);
	assert_int_equal(flow_table_get(ft, 0)->first, T0 - SEC);
	flow_table_free(ft);
}

/*
 * 300,000 packets 100 ms apart are 300,000 segments at the first gap:
 * the table coarsens the path to stay within its budget and keeps every
 * packet and byte.
 */
static void
test_segments_bounded(void **state)
{
	struct flow_table *ft = flow_table_new();
	struct flow_table_stats stats;
	const struct flow_path *pa;
	int64_t packets = 0;

	(void)state;
	for (long i = 0; i < 300000; i++) {
		struct fp_packet p = esp_packet(i + 1, T0 + i * 100 * MS, 7,
		    (uint32_t)i + 1);

		flow_table_add(ft, &p);
	}
	pa = &flow_table_get(ft, 0)->paths[0];
	assert_true(pa->n_segments <= FLOW_SEGMENT_BUDGET);
	assert_true(pa->gap > FLOW_FIRST_GAP);
	for (size_t i = 0; i < pa->n_segments; i++)
		packets += pa->segments[i].packets;
	assert_int_equal(packets, 300000);
	assert_int_equal(flow_table_get(ft, 0)->packets, 300000);
	assert_int_equal(flow_table_get(ft, 0)->bytes, 300000 * 150);
	flow_table_stats(ft, &stats);
	assert_int_equal(stats.coarsened, 1);
	flow_table_free(ft);
}

/* Each MAC pair is a path: the units of an HA pair stay apart. */
static void
test_paths_by_mac(void **state)
{
	struct flow_table *ft = flow_table_new();
	const struct flow *f;
	struct fp_packet p;

	(void)state;
	p = esp_packet(1, T0, 9, 1);
	flow_table_add(ft, &p);
	p = esp_packet(2, T0 + SEC, 9, 2);
	snprintf(p.src_mac, sizeof(p.src_mac), "02:00:00:00:00:0b");
	flow_table_add(ft, &p);
	f = flow_table_get(ft, 0);
	assert_int_equal(flow_table_count(ft), 1);
	assert_int_equal(f->n_paths, 2);
	assert_string_equal(f->paths[1].src_mac, "02:00:00:00:00:0b");
	assert_int_equal(f->paths[1].packets, 1);
	/* The sequence analysis spans the units. */
	assert_int_equal(f->seq_gaps, 0);
	flow_table_free(ft);
}

static struct fp_packet
echo_packet(long number, int type, int seq, int reverse)
{
	struct fp_packet p;

	memset(&p, 0, sizeof(p));
	p.number = number;
	p.ts = T0 + number * 100 * MS;
	p.wire_len = 98;
	p.proto = FP_PKT_ICMP;
	p.icmp_type = type;
	p.icmp_id = 2529;
	p.icmp_seq = seq;
	p.ttl = reverse ? 64 : 62;
	snprintf(p.src, sizeof(p.src), reverse ? "203.0.113.100" :
	    "192.0.2.100");
	snprintf(p.dst, sizeof(p.dst), reverse ? "192.0.2.100" :
	    "203.0.113.100");
	return p;
}

static void
test_echo_pairs(void **state)
{
	struct flow_table *ft = flow_table_new();
	struct fp_packet p;
	long n = 0;

	(void)state;
	for (int s = 1; s <= 3; s++) {
		p = echo_packet(++n, 8, s, 0);
		flow_table_add(ft, &p);
		p = echo_packet(++n, 0, s, 1);
		flow_table_add(ft, &p);
	}
	/* A reply to a request the capture does not contain. */
	p = echo_packet(++n, 0, 40, 1);
	flow_table_add(ft, &p);
	assert_int_equal(flow_table_count(ft), 2);
	assert_int_equal(flow_table_get(ft, 0)->icmp_type, 8);
	assert_int_equal(flow_table_get(ft, 0)->ttl_max, 62);
	assert_int_equal(flow_table_get(ft, 1)->icmp_type, 0);
	assert_int_equal(flow_table_get(ft, 1)->packets, 4);
	assert_int_equal(flow_table_get(ft, 1)->echo_pairs, 3);
	flow_table_free(ft);
}

/* IKE keeps its packet records; other protocols up to a bound. */
static void
test_packet_records(void **state)
{
	struct flow_table *ft = flow_table_new();
	struct flow_table_stats stats;
	struct fp_packet p;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.ts = T0;
	p.proto = FP_PKT_IKE;
	assert_int_equal(flow_table_add(ft, &p), 1);
	p = esp_packet(2, T0, 1, 1);
	assert_int_equal(flow_table_add(ft, &p), 0);
	memset(&p, 0, sizeof(p));
	p.ts = T0;
	p.proto = FP_PKT_OTHER;
	for (long i = 0; i < FLOW_MAX_ROWS; i++)
		assert_int_equal(flow_table_add(ft, &p), 1);
	assert_int_equal(flow_table_add(ft, &p), 0);
	flow_table_stats(ft, &stats);
	assert_int_equal(stats.rows_dropped, 1);
	flow_table_free(ft);
}

/* A sink that feeds the capture importer's packets to a flow table. */
static int
to_table(void *ctx, const struct fp_packet *p)
{
	flow_table_add(ctx, p);
	return 0;
}

static void
ignore_warning(void *ctx, long number, const char *msg)
{
	(void)ctx;
	(void)number;
	(void)msg;
}

static struct flow_table *
table_of(const char *path)
{
	struct flow_table *ft = flow_table_new();
	struct fp_import_opts opts;
	struct fp_sink sink;

	memset(&opts, 0, sizeof(opts));
	memset(&sink, 0, sizeof(sink));
	sink.ctx = ft;
	sink.packet = to_table;
	sink.warn = ignore_warning;
	opts.display_name = fp_basename(path);
	assert_int_equal(fp_importer_pcap.run(path, &opts, &sink), 0);
	return ft;
}

static const struct flow *
esp_flow(const struct flow_table *ft, uint32_t spi)
{
	for (size_t i = 0; i < flow_table_count(ft); i++)
		if (flow_table_get(ft, i)->kind == FLOW_ESP &&
		    flow_table_get(ft, i)->spi == spi)
			return flow_table_get(ft, i);
	fail_msg("no ESP flow with SPI %08x", spi);
	return NULL;
}

/* tshark: packets, bytes, lowest and highest sequence number per SPI. */
static void
test_corpus_drill_a(void **state)
{
	static const struct {
		uint32_t spi;
		const char *src;
		int64_t packets, bytes;
		uint32_t seq_min, seq_max;
	} want[] = {
		{ 0xcc975eb3, "198.51.100.10", 70, 11288, 1, 70 },
		{ 0x89076de4, "198.51.100.1", 1583, 927950, 1, 1583 },
		{ 0x4fddda66, "198.51.100.1", 3155, 1854898, 1, 3155 },
		{ 0x821dcbb0, "198.51.100.10", 162, 26124, 1, 162 },
	};
	struct flow_table *ft = table_of("tests/data/pcap/drill-A-peer-wan.pcap");

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct flow *f = esp_flow(ft, want[i].spi);

		assert_string_equal(f->src, want[i].src);
		assert_int_equal(f->packets, want[i].packets);
		assert_int_equal(f->bytes, want[i].bytes);
		assert_int_equal(f->seq_min, want[i].seq_min);
		assert_int_equal(f->seq_max, want[i].seq_max);
		assert_int_equal(f->seq_gaps, 0);
		assert_int_equal(f->seq_restarts, 0);
	}
	/* The old SA's packets went to fwa's MAC, then to fwb's. */
	assert_int_equal(esp_flow(ft, 0x89076de4)->n_paths, 2);
	flow_table_free(ft);
}

/* IPv6 ESP whose sequence numbers start at 2. */
static void
test_corpus_arkime_ipv6(void **state)
{
	struct flow_table *ft = table_of("tests/data/pcap/arkime__IKEv1.pcap");
	const struct flow *f;

	(void)state;
	f = esp_flow(ft, 0x3d71315a);
	assert_string_equal(f->src, "2003:51:6012::2");
	assert_int_equal(f->packets, 148);
	assert_int_equal(f->bytes, 31672);
	f = esp_flow(ft, 0x8905e940);
	assert_int_equal(f->packets, 74);
	assert_int_equal(f->bytes, 16428);
	assert_int_equal(f->seq_first, 2);
	assert_int_equal(f->seq_max, 75);
	assert_int_equal(f->seq_gaps, 0);
	flow_table_free(ft);
}

/* An evidence set holding the flows of a table, for esp_analyse(). */
struct fixture {
	struct flow_table *ft;
	struct evidence_set set;
	size_t cap_events;
};

static void
fixture_flows(struct fixture *fx, const char *file)
{
	fx->set.n_flows = flow_table_count(fx->ft);
	fx->set.flows = calloc(fx->set.n_flows + 1, sizeof(*fx->set.flows));
	for (size_t i = 0; i < fx->set.n_flows; i++) {
		fx->set.flows[i].f = *flow_table_get(fx->ft, i);
		fx->set.flows[i].file = file;
		fx->set.flows[i].evidence = 1;
	}
}

static void
fixture_event(struct fixture *fx, fp_time ts, const char *kind,
    const char *spi_in, const char *spi_out)
{
	struct stored_event *se;

	if (fx->set.n_events == fx->cap_events) {
		fx->cap_events = fx->cap_events ? fx->cap_events * 2 : 8;
		fx->set.events = realloc(fx->set.events,
		    fx->cap_events * sizeof(*fx->set.events));
	}
	se = &fx->set.events[fx->set.n_events++];
	memset(se, 0, sizeof(*se));
	se->file = "peer.charon.log";
	se->e.line = (long)fx->set.n_events;
	se->e.ts = ts;
	se->e.host = "peer";
	se->e.kind = kind;
	se->e.spi_in = spi_in;
	se->e.spi_out = spi_out;
}

static void
fixture_release(struct fixture *fx)
{
	free(fx->set.flows);
	free(fx->set.events);
	flow_table_free(fx->ft);
}

/* Packets src -> dst on spi from t0 for duration, every step. */
static long
stream(struct flow_table *ft, long n, const char *src, const char *dst,
    const char *src_mac, const char *dst_mac, uint32_t spi, uint32_t seq,
    fp_time t0, fp_time duration, fp_time step)
{
	for (fp_time t = t0; t < t0 + duration; t += step) {
		struct fp_packet p = esp_packet(++n, t, spi, seq++);

		snprintf(p.src, sizeof(p.src), "%s", src);
		snprintf(p.dst, sizeof(p.dst), "%s", dst);
		snprintf(p.src_mac, sizeof(p.src_mac), "%s", src_mac);
		snprintf(p.dst_mac, sizeof(p.dst_mac), "%s", dst_mac);
		flow_table_add(ft, &p);
	}
	return n;
}

#define PEER	"198.51.100.1"
#define VIP	"198.51.100.10"
#define PEER_MAC "02:00:00:00:00:01"
#define FWA_MAC	"02:00:00:00:00:0a"
#define FWB_MAC	"02:00:00:00:00:0b"
#define FAILOVER (T0 + 20 * SEC)

static const struct esp_flag *
flag_of(const struct esp_analysis *ea, uint32_t spi, enum esp_flag_kind k)
{
	for (size_t i = 0; i < ea->n; i++)
		for (size_t f = 0; f < ea->v[i].n_flags; f++)
			if (ea->v[i].sf->f.spi == spi &&
			    ea->v[i].flags[f].kind == k)
				return &ea->v[i].flags[f];
	return NULL;
}

/*
 * Drill D's shape: the standby sends on the inherited SPI from 1 again
 * after the failover; the other direction works.
 */
static void
test_flag_restart_after_failover(void **state)
{
	struct fixture fx = { flow_table_new(), { 0 }, 0 };
	struct esp_analysis ea;
	const struct esp_flag *fl;
	long n = 0;

	(void)state;
	n = stream(fx.ft, n, VIP, PEER, FWA_MAC, PEER_MAC, 0x3d, 1, T0,
	    20 * SEC, 200 * MS);
	n = stream(fx.ft, n, VIP, PEER, FWB_MAC, PEER_MAC, 0x3d, 1,
	    FAILOVER + 3 * SEC, 30 * SEC, 200 * MS);
	n = stream(fx.ft, n, PEER, VIP, PEER_MAC, FWA_MAC, 0xc1, 1, T0,
	    20 * SEC, 10 * MS);
	stream(fx.ft, n, PEER, VIP, PEER_MAC, FWB_MAC, 0xc1, 2001,
	    FAILOVER + 3 * SEC, 30 * SEC, 10 * MS);
	fixture_flows(&fx, "peer-wan.pcap");
	esp_analyse(&fx.set, FAILOVER, &ea);

	fl = flag_of(&ea, 0x3d, ESP_SEQ_RESTART);
	assert_non_null(fl);
	assert_true(fl->after_failover);
	assert_int_equal(fl->from, FAILOVER + 3 * SEC);
	/* 100 numbers seen before: the 101st packet after is accepted. */
	assert_int_equal(fl->packets, 100);
	assert_int_equal(fl->to, FAILOVER + 3 * SEC + 100 * 200 * MS);
	assert_null(flag_of(&ea, 0xc1, ESP_DEAD_SPI));
	assert_null(flag_of(&ea, 0x3d, ESP_DEAD_SPI));
	esp_analysis_release(&ea);
	fixture_release(&fx);
}

/*
 * Drill B4's shape: the peer keeps sending on the primary's SPI to the
 * standby's MAC, which never sends ESP: a dead SPI.  ESP sent to the
 * failed primary's MAC is the outage, not a flag.
 */
static void
test_flag_dead_spi(void **state)
{
	struct fixture fx = { flow_table_new(), { 0 }, 0 };
	struct esp_analysis ea;
	const struct esp_flag *fl;
	long n = 0;

	(void)state;
	n = stream(fx.ft, n, VIP, PEER, FWA_MAC, PEER_MAC, 0x57, 1, T0,
	    20 * SEC, 200 * MS);
	n = stream(fx.ft, n, PEER, VIP, PEER_MAC, FWA_MAC, 0x6c, 1, T0,
	    23 * SEC, 10 * MS);
	stream(fx.ft, n, PEER, VIP, PEER_MAC, FWB_MAC, 0x6c, 2301,
	    FAILOVER + 3 * SEC, 40 * SEC, 10 * MS);
	fixture_flows(&fx, "peer-wan.pcap");
	esp_analyse(&fx.set, FAILOVER, &ea);

	fl = flag_of(&ea, 0x6c, ESP_DEAD_SPI);
	assert_non_null(fl);
	assert_true(fl->after_failover);
	assert_int_equal(fl->from, FAILOVER + 3 * SEC);
	assert_true(fl->to >= FAILOVER + 42 * SEC);
	assert_true(fl->packets >= 3900);
	assert_null(flag_of(&ea, 0x57, ESP_DEAD_SPI));
	esp_analysis_release(&ea);
	fixture_release(&fx);
}

/* Drill A's shape: a new SA with the standby, which sends ESP at once. */
static void
test_flag_none_after_new_sa(void **state)
{
	struct fixture fx = { flow_table_new(), { 0 }, 0 };
	struct esp_analysis ea;
	long n = 0;

	(void)state;
	n = stream(fx.ft, n, VIP, PEER, FWA_MAC, PEER_MAC, 0xcc, 1, T0,
	    20 * SEC, 200 * MS);
	n = stream(fx.ft, n, PEER, VIP, PEER_MAC, FWA_MAC, 0x89, 1, T0,
	    23 * SEC, 10 * MS);
	n = stream(fx.ft, n, VIP, PEER, FWB_MAC, PEER_MAC, 0x82, 1,
	    FAILOVER + 3 * SEC, 30 * SEC, 200 * MS);
	stream(fx.ft, n, PEER, VIP, PEER_MAC, FWB_MAC, 0x4f, 1,
	    FAILOVER + 3 * SEC, 30 * SEC, 10 * MS);
	fixture_flows(&fx, "peer-wan.pcap");
	esp_analyse(&fx.set, FAILOVER, &ea);
	for (size_t i = 0; i < ea.n; i++)
		assert_int_equal(ea.v[i].n_flags, 0);
	esp_analysis_release(&ea);
	fixture_release(&fx);
}

/* The logs name the SPIs: ESP after a deletion, and an unknown SPI. */
static void
test_flag_from_logs(void **state)
{
	struct fixture fx = { flow_table_new(), { 0 }, 0 };
	struct esp_analysis ea;
	const struct esp_flag *fl;
	long n = 0;

	(void)state;
	n = stream(fx.ft, n, PEER, VIP, PEER_MAC, FWA_MAC, 0x6c, 1, T0,
	    30 * SEC, 100 * MS);
	stream(fx.ft, n, PEER, VIP, PEER_MAC, FWA_MAC, 0x77, 1, T0,
	    5 * SEC, 100 * MS);
	fixture_flows(&fx, "peer-wan.pcap");
	fixture_event(&fx, T0, "child_sa_established", "0000003d",
	    "0000006c");
	fixture_event(&fx, T0 + 10 * SEC, "child_sa_deleted", "0000003d",
	    "0000006c");
	fixture_event(&fx, T0 + 12 * SEC, "replay_check_failed", "0000006c",
	    NULL);
	esp_analyse(&fx.set, FAILOVER, &ea);

	fl = flag_of(&ea, 0x6c, ESP_AFTER_DELETE);
	assert_non_null(fl);
	assert_int_equal(fl->from, T0 + 11 * SEC);
	assert_false(fl->after_failover);
	fl = flag_of(&ea, 0x6c, ESP_REPLAY_LOGGED);
	assert_non_null(fl);
	assert_int_equal(fl->packets, 1);
	assert_non_null(fl->event);
	assert_null(flag_of(&ea, 0x6c, ESP_NOT_NEGOTIATED));
	assert_non_null(flag_of(&ea, 0x77, ESP_NOT_NEGOTIATED));
	esp_analysis_release(&ea);
	fixture_release(&fx);
}

static int
delivered_after(const struct derived_samples *d, fp_time t)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].s.delivered > 0 && d->v[i].s.t_start >= t)
			return 1;
	return 0;
}

/* Stream ESP in UDP on the given source port. */
static long
stream_port(struct flow_table *ft, long n, const char *src, unsigned sport,
    uint32_t spi, fp_time t0, fp_time duration)
{
	for (fp_time t = t0; t < t0 + duration; t += 100 * MS) {
		struct fp_packet p;

		n++;
		p = esp_packet(n, t, spi, (uint32_t)n);
		snprintf(p.src, sizeof(p.src), "%s", src);
		snprintf(p.dst, sizeof(p.dst), VIP);
		p.sport = sport;
		p.dport = 4500;
		flow_table_add(ft, &p);
	}
	return n;
}

/* A NAT that maps the peer anew: other ports, or another address. */
static void
test_flag_nat_change(void **state)
{
	struct fixture fx = { flow_table_new(), { 0 }, 0 };
	struct esp_analysis ea;
	const struct esp_flag *fl;
	long n = 0;

	(void)state;
	n = stream_port(fx.ft, n, PEER, 4500, 0xaa, T0, 20 * SEC);
	n = stream_port(fx.ft, n, PEER, 61234, 0xaa, FAILOVER + 2 * SEC,
	    10 * SEC);
	n = stream_port(fx.ft, n, PEER, 4500, 0xbb, T0, 20 * SEC);
	stream_port(fx.ft, n, "203.0.113.9", 4500, 0xbb, FAILOVER + 2 * SEC,
	    10 * SEC);
	fixture_flows(&fx, "wan.pcap");
	esp_analyse(&fx.set, FAILOVER, &ea);

	fl = flag_of(&ea, 0xaa, ESP_NAT_CHANGE);
	assert_non_null(fl);
	assert_true(fl->after_failover);
	assert_int_equal(fl->from, FAILOVER + 2 * SEC);
	fl = flag_of(&ea, 0xbb, ESP_NAT_CHANGE);
	assert_non_null(fl);
	assert_int_equal(fl->from, FAILOVER + 2 * SEC);
	assert_int_equal(flow_table_get(fx.ft, 0)->n_paths, 2);
	assert_int_equal(flow_table_get(fx.ft, 0)->paths[1].sport, 61234);
	esp_analysis_release(&ea);
	fixture_release(&fx);
}

/* The restart's packets are dropped until the accepted one. */
static void
test_derive_restart_dropped(void **state)
{
	struct fixture fx = { flow_table_new(), { 0 }, 0 };
	struct traffic_path path = { VIP, PEER, 1 };
	struct derived_samples d = { 0, 0, NULL };
	struct esp_analysis ea;
	fp_time accepted = FAILOVER + 3 * SEC + 100 * 200 * MS;
	long n = 0;

	(void)state;
	n = stream(fx.ft, n, VIP, PEER, FWA_MAC, PEER_MAC, 0x3d, 1, T0,
	    20 * SEC, 200 * MS);
	n = stream(fx.ft, n, VIP, PEER, FWB_MAC, PEER_MAC, 0x3d, 1,
	    FAILOVER + 3 * SEC, 30 * SEC, 200 * MS);
	stream(fx.ft, n, PEER, VIP, PEER_MAC, FWB_MAC, 0xc1, 1, T0,
	    53 * SEC, 10 * MS);
	fixture_flows(&fx, "peer-wan.pcap");
	esp_analyse(&fx.set, FAILOVER, &ea);
	esp_derive(&fx.set, &ea, &path, &d);

	for (size_t i = 0; i < d.n; i++) {
		const struct fp_sample *s = &d.v[i].s;

		if (strcmp(s->src, VIP) != 0 || s->t_start < FAILOVER ||
		    s->delivered <= 0)
			continue;
		/* Nothing from the standby counts before the accepted one. */
		assert_true(s->t_start >= accepted);
	}
	assert_true(delivered_after(&d, accepted));
	derived_release(&d);
	esp_analysis_release(&ea);
	fixture_release(&fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sequence_in_order),
		cmocka_unit_test(test_sequence_gap_late_repeat),
		cmocka_unit_test(test_sequence_restart_replay),
		cmocka_unit_test(test_sequence_wrap),
		cmocka_unit_test(test_segments_split_at_silence),
		cmocka_unit_test(test_segments_out_of_order),
		cmocka_unit_test(test_segments_bounded),
		cmocka_unit_test(test_paths_by_mac),
		cmocka_unit_test(test_echo_pairs),
		cmocka_unit_test(test_packet_records),
		cmocka_unit_test(test_corpus_drill_a),
		cmocka_unit_test(test_corpus_arkime_ipv6),
		cmocka_unit_test(test_flag_restart_after_failover),
		cmocka_unit_test(test_flag_dead_spi),
		cmocka_unit_test(test_flag_none_after_new_sa),
		cmocka_unit_test(test_flag_from_logs),
		cmocka_unit_test(test_flag_nat_change),
		cmocka_unit_test(test_derive_restart_dropped),
	};

	setenv("FAILPROOF_DATADIR", ".", 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
