/*
 * Tests of the counters importer on real snapshots: the lab drills'
 * swanctl --list-sas, Cisco ASA and IOS show crypto ipsec sa from
 * ntc-templates and a /proc/net/xfrm_stat (tests/data/traffic/README.md).
 * Where no real sample was at hand, short inputs are built here in the
 * layout of the tools: ip -s xfrm state as iproute2 prints it, and bare
 * swanctl output.
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
#include <unistd.h>

#include "importer.h"
#include "sa_counters.h"

#define SEC 1000000LL
#define DRILL "tests/data/drills/D-state-drift-ha-sync/"
#define TRAFFIC "tests/data/traffic/"

extern const struct fp_importer fp_importer_counters;

/* A counter with copies of its strings. */
struct kept_counter {
	struct fp_counter c;
	char text[12][96];
};

/* Each counter is allocated alone: its strings point into it. */
struct collected {
	struct kept_counter **v;
	size_t n;
	long warnings;
	char warning[512];
};

static const char *
keep_text(struct kept_counter *k, int i, const char *s)
{
	if (s == NULL)
		return NULL;
	snprintf(k->text[i], sizeof(k->text[i]), "%s", s);
	return k->text[i];
}

static int
keep_counter(void *ctx, const struct fp_counter *c)
{
	struct collected *col = ctx;
	struct kept_counter *k;

	col->v = xrealloc(col->v, (col->n + 1) * sizeof(*col->v));
	k = col->v[col->n++] = xcalloc(1, sizeof(*k));
	k->c = *c;
	k->c.host = keep_text(k, 0, c->host);
	k->c.tool = keep_text(k, 1, c->tool);
	k->c.name = keep_text(k, 2, c->name);
	k->c.conn = keep_text(k, 3, c->conn);
	k->c.spi = keep_text(k, 4, c->spi);
	k->c.direction = keep_text(k, 5, c->direction);
	k->c.src = keep_text(k, 6, c->src);
	k->c.dst = keep_text(k, 7, c->dst);
	k->c.local_ts = keep_text(k, 8, c->local_ts);
	k->c.remote_ts = keep_text(k, 9, c->remote_ts);
	return 0;
}

static void
keep_warning(void *ctx, long line, const char *msg)
{
	struct collected *col = ctx;

	(void)line;
	if (col->warnings++ == 0)
		snprintf(col->warning, sizeof(col->warning), "%s", msg);
}

static int
import(const char *path, const char *host, fp_time at, struct collected *col)
{
	struct fp_import_opts opts;
	struct fp_sink sink;

	memset(col, 0, sizeof(*col));
	memset(&opts, 0, sizeof(opts));
	memset(&sink, 0, sizeof(sink));
	sink.ctx = col;
	sink.counter = keep_counter;
	sink.warn = keep_warning;
	opts.display_name = fp_basename(path);
	opts.host = host;
	opts.at = at;
	fp_clear_error();
	return fp_importer_counters.run(path, &opts, &sink);
}

static void
collected_free(struct collected *col)
{
	for (size_t i = 0; i < col->n; i++)
		free(col->v[i]);
	free(col->v);
	memset(col, 0, sizeof(*col));
}

static char *
write_temp(const char *text)
{
	char *path = xstrdup("/tmp/fp-counters-XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static const struct fp_counter *
find(const struct collected *col, const char *host, const char *name,
    const char *spi, const char *direction)
{
	for (size_t i = 0; i < col->n; i++) {
		const struct fp_counter *c = &col->v[i]->c;

		if ((host == NULL || (c->host && strcmp(c->host, host) == 0)) &&
		    strcmp(c->name, name) == 0 &&
		    (spi == NULL || (c->spi && strcmp(c->spi, spi) == 0)) &&
		    (direction == NULL || (c->direction &&
		    strcmp(c->direction, direction) == 0)))
			return c;
	}
	fail_msg("no counter %s %s %s", name, spi ? spi : "-",
	    direction ? direction : "-");
	return NULL;
}

static fp_time
iso(const char *s)
{
	fp_time t;

	assert_int_equal(fp_time_parse_iso(s, &t), strlen(s));
	return t;
}

/* The lab's snapshot just before the kill: three hosts, one time each. */
static void
test_drill_snapshot(void **state)
{
	struct collected col;
	const struct fp_counter *c;

	(void)state;
	assert_int_equal(import(DRILL "state-2-just-before-kill.txt", NULL, 0,
	    &col), 0);
	assert_int_equal(col.n, 6);
	c = find(&col, "peer", "sa", "3dbcca57", "in");
	assert_int_equal(c->ts, iso("2026-12-04T19:42:45.868Z"));
	assert_string_equal(c->tool, "swanctl");
	assert_string_equal(c->conn, "site-ha/site");
	assert_int_equal(c->packets, 71);
	assert_int_equal(c->bytes, 5882);
	assert_int_equal(c->installed, c->ts - 13 * SEC);
	assert_string_equal(c->src, "198.51.100.10");
	assert_string_equal(c->dst, "198.51.100.1");
	assert_string_equal(c->local_ts, "203.0.113.0/24");
	assert_string_equal(c->remote_ts, "192.0.2.0/24");
	c = find(&col, "peer", "sa", "c1aa2f1d", "out");
	assert_int_equal(c->packets, 1271);
	assert_int_equal(c->bytes, 639744);
	assert_string_equal(c->src, "198.51.100.1");
	c = find(&col, "fwb", "sa", "c1aa2f1d", "in");
	assert_int_equal(c->packets, 0);
	assert_int_equal(c->ts, iso("2026-12-04T19:42:45.932Z"));
	collected_free(&col);
}

/* After the takeover the primary's daemon is gone: no SA, no error. */
static void
test_drill_primary_unreachable(void **state)
{
	struct collected col;

	(void)state;
	assert_int_equal(import(DRILL "state-3-after-takeover.txt", NULL, 0,
	    &col), 0);
	assert_int_equal(col.n, 4);
	for (size_t i = 0; i < col.n; i++)
		assert_string_not_equal(col.v[i]->c.host, "fwa");
	assert_int_equal(find(&col, "fwb", "sa", "c1aa2f1d", "in")->packets,
	    309);
	assert_int_equal(find(&col, "fwb", "sa", "3dbcca57", "out")->packets,
	    15);
	assert_int_equal(col.warnings, 0);
	collected_free(&col);
}

static void
test_cisco_asa(void **state)
{
	fp_time at = iso("2026-12-04T10:00:00Z");
	struct collected col;
	const struct fp_counter *c;

	(void)state;
	assert_int_equal(import(TRAFFIC
	    "ntc-templates__cisco_asa_show_crypto_ipsec_sa.raw", "asa", at,
	    &col), 0);
	assert_int_equal(col.n, 9);
	c = find(&col, "asa", "sa", "32f752ff", "in");
	assert_int_equal(c->ts, at);
	assert_string_equal(c->tool, "cisco");
	assert_string_equal(c->conn, "COLO-MAP");
	assert_int_equal(c->packets, 23606461);
	assert_int_equal(c->bytes, -1);
	assert_string_equal(c->src, "8.8.8.8");
	assert_string_equal(c->dst, "172.16.248.119");
	assert_string_equal(c->local_ts, "172.16.122.32/28");
	assert_string_equal(c->remote_ts, "172.30.1.153/32");
	c = find(&col, "asa", "sa", "50023ddc", "out");
	assert_int_equal(c->packets, 13915315);
	c = find(&col, "asa", "sa", "1e8246fc", "in");
	assert_int_equal(c->packets, 1145);
	assert_string_equal(c->local_ts, "0.0.0.0/0");
	assert_int_equal(find(&col, "asa", "recv-errors", "32f752ff",
	    "in")->value, 0);
	collected_free(&col);
}

static void
test_cisco_ios_detail(void **state)
{
	fp_time at = iso("2026-12-04T10:00:00Z");
	struct collected col;
	const struct fp_counter *c;

	(void)state;
	assert_int_equal(import(TRAFFIC
	    "ntc-templates__cisco_ios_show_crypto_ipsec_sa_detail.raw", NULL,
	    at, &col), 0);
	assert_int_equal(col.n, 8);
	c = find(&col, NULL, "sa", "abcd1234", "in");
	assert_int_equal(c->packets, 4112421);
	assert_string_equal(c->conn, "Tunnel1-head-0");
	assert_string_equal(c->src, "2.2.2.2");
	c = find(&col, NULL, "sa", "1234abcd", "out");
	assert_int_equal(c->packets, 4981028);
	c = find(&col, NULL, "replay-failed", "1234dcba", "in");
	assert_int_equal(c->value, 1);
	assert_int_equal(c->line, 75);
	assert_int_equal(find(&col, NULL, "invalid-sa", "abcd1234",
	    "in")->value, 0);
	collected_free(&col);
}

/* A Cisco prompt names the host; a line of ISO 8601 gives the time. */
static void
test_prompt_and_time_line(void **state)
{
	struct collected col;
	char *path = write_temp("2026-12-04T19:42:51Z\n"
	    "vpn-gw1#show crypto ipsec sa\n\n"
	    "interface: Tunnel1\n"
	    "    Crypto map tag: Tunnel1-head-0, local addr 192.0.2.1\n"
	    "   local  ident (addr/mask/prot/port): "
	    "(10.1.0.0/255.255.255.0/0/0)\n"
	    "   remote ident (addr/mask/prot/port): "
	    "(10.2.0.0/255.255.0.0/0/0)\n"
	    "   current_peer 198.51.100.7 port 500\n"
	    "    #pkts encaps: 7, #pkts encrypt: 7, #pkts digest: 7\n"
	    "    #pkts decaps: 10, #pkts decrypt: 10, #pkts verify: 10\n"
	    "     current outbound spi: 0x5C9D8B1C(1553828636)\n"
	    "     inbound esp sas:\n"
	    "      spi: 0x20C196D(34347373)\n");
	const struct fp_counter *c;

	(void)state;
	assert_int_equal(import(path, "ignored", 0, &col), 0);
	c = find(&col, "vpn-gw1", "sa", "020c196d", "in");
	assert_int_equal(c->ts, iso("2026-12-04T19:42:51Z"));
	assert_int_equal(c->packets, 10);
	assert_string_equal(c->local_ts, "10.1.0.0/24");
	assert_string_equal(c->remote_ts, "10.2.0.0/16");
	assert_int_equal(find(&col, "vpn-gw1", "sa", "5c9d8b1c",
	    "out")->packets, 7);
	collected_free(&col);
	unlink(path);
	free(path);
}

/*
 * ip -s xfrm state with the host's addresses from ip -br addr: the SA to
 * 192.0.2.1 is inbound.  Both replay counters are anti-replay drops.
 */
static void
test_xfrm_state(void **state)
{
	struct collected col;
	char *path = write_temp("===== gw (2026-12-04T19:42:51Z) =====\n"
	    "--- ip -br addr\n"
	    "eth0             UP             192.0.2.1/24 \n"
	    "--- ip -s xfrm state\n"
	    "src 192.0.2.1 dst 198.51.100.7\n"
	    "\tproto esp spi 0xc02b62a8(3224068776) reqid 1(0x00000001) "
	    "mode tunnel\n"
	    "\treplay-window 32 seq 0x00000000 flag af-unspec (0x00100000)\n"
	    "\tsel src 10.1.0.0/24 dst 10.2.0.0/24 uid 0\n"
	    "\tlifetime current:\n"
	    "\t  252(bytes), 3(packets)\n"
	    "\t  add 2026-12-04 19:40:00 use 2026-12-04 19:41:00\n"
	    "\tstats:\n"
	    "\t  replay-window 0 replay 0 failed 0\n"
	    "src 198.51.100.7 dst 192.0.2.1\n"
	    "\tproto esp spi 0x0badcafe(195939070) reqid 1(0x00000001) "
	    "mode tunnel\n"
	    "\tsel src 10.2.0.0/24 dst 10.1.0.0/24 uid 0\n"
	    "\tlifetime current:\n"
	    "\t  8400(bytes), 100(packets)\n"
	    "\t  add 2026-12-04 19:40:00 use 2026-12-04 19:41:00\n"
	    "\tstats:\n"
	    "\t  replay-window 2 replay 1 failed 4\n"
	    "--- /proc/net/xfrm_stat (non-zero)\n"
	    "XfrmInStateSeqError     \t3\n");
	const struct fp_counter *c;

	(void)state;
	assert_int_equal(import(path, NULL, 0, &col), 0);
	c = find(&col, "gw", "sa", "c02b62a8", "out");
	assert_int_equal(c->packets, 3);
	assert_int_equal(c->bytes, 252);
	assert_string_equal(c->local_ts, "10.1.0.0/24");
	c = find(&col, "gw", "sa", "0badcafe", "in");
	assert_int_equal(c->packets, 100);
	assert_string_equal(c->src, "198.51.100.7");
	assert_string_equal(c->local_ts, "10.1.0.0/24");
	assert_string_equal(c->remote_ts, "10.2.0.0/24");
	assert_int_equal(find(&col, "gw", "replay", "0badcafe", "in")->value,
	    3);
	assert_int_equal(find(&col, "gw", "integrity-failed", "0badcafe",
	    "in")->value, 4);
	c = find(&col, "gw", "XfrmInStateSeqError", NULL, NULL);
	assert_int_equal(c->value, 3);
	assert_string_equal(c->tool, "xfrm_stat");
	collected_free(&col);
	unlink(path);
	free(path);
}

static void
test_xfrm_stat(void **state)
{
	struct collected col;

	(void)state;
	assert_int_equal(import(TRAFFIC "xfrm_stat.txt", "lab",
	    iso("2026-12-04T22:05:29Z"), &col), 0);
	assert_int_equal(col.n, 32);
	assert_int_equal(find(&col, "lab", "XfrmInNoStates", NULL,
	    NULL)->value, 0);
	assert_int_equal(find(&col, "lab", "XfrmInNoStates", NULL,
	    NULL)->line, 4);
	collected_free(&col);
}

/* swanctl output without a time needs --at; with it, --at is used. */
static void
test_time_from_at(void **state)
{
	static const char text[] =
	    "site-ha: #1, ESTABLISHED, IKEv2, 8a27e7f235aaa513_i "
	    "9cb415a109343d03_r*\n"
	    "  local  'peer.example.net' @ 198.51.100.1[4500]\n"
	    "  remote 'vpn-ha.example.com' @ 198.51.100.10[4500]\n"
	    "  site: #1, reqid 1, INSTALLED, TUNNEL-in-UDP, "
	    "ESP:AES_GCM_16-256\n"
	    "    installed 20s ago, rekeying in 3405s, expires in 3940s\n"
	    "    in  3dbcca57 (-|0x00000064),   5882 bytes,    71 packets,"
	    "     7s ago\n"
	    "    out c1aa2f1d, 962880 bytes,  1883 packets,     0s ago\n"
	    "    local  203.0.113.0/24 203.0.114.0/24\n"
	    "    remote 192.0.2.0/24\n";
	fp_time at = iso("2026-12-04T19:42:51.990Z");
	struct collected col;
	char *path = write_temp(text);
	const struct fp_counter *c;

	(void)state;
	assert_int_equal(import(path, "peer", 0, &col), FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "--at"));
	assert_non_null(strstr(fp_errmsg(), "line 6"));
	collected_free(&col);

	assert_int_equal(import(path, "peer", at, &col), 0);
	assert_int_equal(col.n, 2);
	c = find(&col, "peer", "sa", "3dbcca57", "in");
	assert_int_equal(c->ts, at);
	assert_int_equal(c->installed, at - 20 * SEC);
	assert_int_equal(c->packets, 71);
	assert_string_equal(c->local_ts, "203.0.113.0/24 203.0.114.0/24");
	collected_free(&col);
	unlink(path);
	free(path);
}

static void
test_bad_counter_line(void **state)
{
	struct collected col;
	char *path = write_temp("2026-12-04T19:42:51Z\n"
	    "site-ha: #1, ESTABLISHED, IKEv2, 8a27e7f235aaa513_i "
	    "9cb415a109343d03_r*\n"
	    "  site: #1, reqid 1, INSTALLED, TUNNEL-in-UDP, ESP\n"
	    "    in  3dbcca57, many bytes, 71 packets\n");

	(void)state;
	assert_int_equal(import(path, NULL, 0, &col), FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "line 4"));
	assert_non_null(strstr(fp_errmsg(), "N bytes"));
	assert_int_equal(col.warnings, 1);
	collected_free(&col);
	unlink(path);
	free(path);
}

static void
test_no_counters(void **state)
{
	struct collected col;
	char *path = write_temp("2026-12-04T19:42:51Z\nhello\n");

	(void)state;
	assert_int_equal(import(path, NULL, 0, &col), FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "no SA or error counter"));
	collected_free(&col);
	unlink(path);
	free(path);
}

static void
test_detect(void **state)
{
	static const char lab[] = "===== peer (2026-12-04T19:42:33Z) =====\n"
	    "--- swanctl --list-sas\n";
	static const char cisco[] = "    #pkts encaps: 4, #pkts encrypt: 4\n";
	static const char stat[] = "XfrmInError\t0\nXfrmInNoStates\t0\n";
	static const char other[] = "Dec  4 19:42:33 peer charon: hello\n";

	(void)state;
	assert_int_equal(fp_importer_counters.detect((const unsigned char *)
	    lab, sizeof(lab) - 1), 90);
	assert_int_equal(fp_importer_counters.detect((const unsigned char *)
	    cisco, sizeof(cisco) - 1), 90);
	assert_int_equal(fp_importer_counters.detect((const unsigned char *)
	    stat, sizeof(stat) - 1), 90);
	assert_int_equal(fp_importer_counters.detect((const unsigned char *)
	    other, sizeof(other) - 1), 0);
}

/* A reading in an evidence set, for the evaluation's counter rules. */
static void
reading(struct evidence_set *set, const char *file, long line,
    const char *host, const char *name, const char *spi, const char *dir,
    fp_time ts, int64_t value)
{
	struct stored_counter *sc;
	struct fp_counter *c;

	set->counters = xrealloc(set->counters,
	    (set->n_counters + 1) * sizeof(*set->counters));
	sc = &set->counters[set->n_counters++];
	memset(sc, 0, sizeof(*sc));
	sc->file = file;
	c = &sc->c;
	c->line = line;
	c->ts = ts;
	c->host = host;
	c->tool = "swanctl";
	c->name = name;
	c->spi = spi;
	c->direction = dir;
	c->installed = FP_TIME_NONE;
	c->packets = c->bytes = c->value = -1;
	if (strcmp(name, "sa") == 0) {
		c->packets = value;
		c->bytes = value * 100;
		c->src = strcmp(dir, "in") == 0 ? "198.51.100.10" :
		    "198.51.100.1";
		c->dst = strcmp(dir, "in") == 0 ? "198.51.100.1" :
		    "198.51.100.10";
		c->local_ts = "203.0.113.0/24";
		c->remote_ts = "192.0.2.0/24";
	} else {
		c->value = value;
	}
}

#define T1 1796413365000000LL

/* Error counters count from the start: only a rise between two
 * readings after the failover is a fault, and its cause is named. */
static void
test_error_changes(void **state)
{
	struct evidence_set set;
	struct counter_change ch[4];

	(void)state;
	memset(&set, 0, sizeof(set));
	reading(&set, "s1.txt", 7, "peer", "XfrmInStateSeqError", NULL, NULL,
	    T1, 5);
	reading(&set, "s1.txt", 4, "peer", "XfrmInNoStates", NULL, NULL, T1,
	    0);
	reading(&set, "s2.txt", 7, "peer", "XfrmInStateSeqError", NULL, NULL,
	    T1 + 10 * SEC, 76);
	reading(&set, "s2.txt", 4, "peer", "XfrmInNoStates", NULL, NULL,
	    T1 + 10 * SEC, 0);
	reading(&set, "s2.txt", 9, "peer", "XfrmInError", NULL, NULL,
	    T1 + 10 * SEC, 9);
	assert_int_equal(counters_errors(&set, T1 + 5 * SEC, ch, 4), 1);
	assert_int_equal(ch[0].delta, 71);
	assert_string_equal(ch[0].cause, "replay-window");
	assert_string_equal(ch[0].from->file, "s1.txt");
	assert_string_equal(ch[0].to->file, "s2.txt");
	/* Readings up to the moment asked for do not count. */
	assert_int_equal(counters_errors(&set, T1 + 10 * SEC, ch, 4), 0);
	free(set.counters);
}

/* Two inbound readings give a sample, and a counter that stood still
 * shows that nothing was delivered. */
static void
test_derive_intervals(void **state)
{
	struct traffic_path path = { "local", "203.0.113.100", 0 };
	struct derived_samples d = { 0, 0, NULL };
	struct evidence_set set;

	(void)state;
	memset(&set, 0, sizeof(set));
	reading(&set, "s1.txt", 10, "peer", "sa", "3dbcca57", "in", T1, 71);
	reading(&set, "s1.txt", 11, "peer", "sa", "c1aa2f1d", "out", T1, 10);
	reading(&set, "s2.txt", 10, "peer", "sa", "3dbcca57", "in",
	    T1 + 6 * SEC, 71);
	reading(&set, "s3.txt", 10, "peer", "sa", "3dbcca57", "in",
	    T1 + 30 * SEC, 158);
	counters_derive(&set, &path, &d);
	assert_int_equal(d.n, 2);
	assert_string_equal(d.v[0].s.src, "local");
	assert_int_equal(d.v[0].s.delivered, 0);
	assert_int_equal(d.v[0].s.t_start, T1);
	assert_int_equal(d.v[1].s.delivered, 87);
	assert_int_equal(d.v[1].s.t_start, T1 + 6 * SEC);
	assert_string_equal(d.v[1].file, "s3.txt");
	/* The widest interval is every sample's resolution. */
	assert_int_equal(d.v[0].s.resolution, 24 * SEC);
	assert_int_equal(d.v[1].s.resolution, 24 * SEC);
	derived_release(&d);
	free(set.counters);
}

static void
test_unit_movement(void **state)
{
	struct evidence_set set;
	struct unit_counters u;

	(void)state;
	memset(&set, 0, sizeof(set));
	reading(&set, "s1.txt", 8, "fwb", "sa", "c1aa2f1d", "in",
	    T1 + 2 * SEC, 0);
	reading(&set, "s1.txt", 9, "fwb", "sa", "3dbcca57", "out",
	    T1 + 2 * SEC, 0);
	reading(&set, "s2.txt", 8, "fwb", "sa", "c1aa2f1d", "in",
	    T1 + 9 * SEC, 309);
	reading(&set, "s2.txt", 9, "fwb", "sa", "3dbcca57", "out",
	    T1 + 9 * SEC, 0);
	counters_of_unit(&set, "fwb", T1, &u);
	assert_int_equal(u.readings, 4);
	assert_true(u.in_moved);
	assert_false(u.out_moved);
	assert_string_equal(u.in_ref->file, "s2.txt");
	counters_of_unit(&set, "fwa", T1, &u);
	assert_int_equal(u.readings, 0);
	free(set.counters);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drill_snapshot),
		cmocka_unit_test(test_drill_primary_unreachable),
		cmocka_unit_test(test_cisco_asa),
		cmocka_unit_test(test_cisco_ios_detail),
		cmocka_unit_test(test_prompt_and_time_line),
		cmocka_unit_test(test_xfrm_state),
		cmocka_unit_test(test_xfrm_stat),
		cmocka_unit_test(test_time_from_at),
		cmocka_unit_test(test_bad_counter_line),
		cmocka_unit_test(test_no_counters),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_error_changes),
		cmocka_unit_test(test_derive_intervals),
		cmocka_unit_test(test_unit_movement),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
