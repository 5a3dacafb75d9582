/*
 * Tests of the syslog importer on real files: the charon file logs of the
 * five failproof lab drills (tests/data/drills), the same messages in RFC
 * 3164 and RFC 5424 framing (tests/data/syslog), and hard cases 01, 02
 * and 04 (tests/data/cases).  Expected times, SPIs and counts were read
 * from the files with grep.
 *
 * Framing tests add the rule folder tests/data/syslog/any-rules, whose
 * rule turns every charon message into a tunnel_up event, so each line's
 * time, host and message can be checked.
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
#include "rules.h"

extern const struct fp_importer fp_importer_syslog;

/* An event with its own copies of the strings. */
struct kept_event {
	struct fp_event ev;
	char *s[16];
};

struct collected {
	struct kept_event *events;
	size_t count;
	size_t cap;
	long warnings;
	long warning_lines[64];
	char *warning_text[64];
};

static const char *srcdir = ".";

static const char *
keep(struct kept_event *k, int slot, const char *s)
{
	k->s[slot] = s != NULL ? xstrdup(s) : NULL;
	return k->s[slot];
}

static int
keep_event(void *ctx, const struct fp_event *ev)
{
	struct collected *c = ctx;
	struct kept_event *k;

	if (c->count == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 64;
		c->events = xrealloc(c->events, c->cap * sizeof(*c->events));
	}
	k = &c->events[c->count++];
	k->ev = *ev;
	k->ev.host = keep(k, 0, ev->host);
	k->ev.kind = keep(k, 1, ev->kind);
	k->ev.direction = keep(k, 2, ev->direction);
	k->ev.conn = keep(k, 3, ev->conn);
	k->ev.local_addr = keep(k, 4, ev->local_addr);
	k->ev.peer_addr = keep(k, 5, ev->peer_addr);
	k->ev.local_id = keep(k, 6, ev->local_id);
	k->ev.peer_id = keep(k, 7, ev->peer_id);
	k->ev.ike_spi_i = keep(k, 8, ev->ike_spi_i);
	k->ev.ike_spi_r = keep(k, 9, ev->ike_spi_r);
	k->ev.spi_in = keep(k, 10, ev->spi_in);
	k->ev.spi_out = keep(k, 11, ev->spi_out);
	k->ev.exchange = keep(k, 12, ev->exchange);
	k->ev.notify = keep(k, 13, ev->notify);
	k->ev.detail = keep(k, 14, ev->detail);
	k->ev.message = keep(k, 15, ev->message);
	return 0;
}

static void
keep_warning(void *ctx, long line, const char *msg)
{
	struct collected *c = ctx;

	if (c->warnings < 64) {
		c->warning_lines[c->warnings] = line;
		c->warning_text[c->warnings] = xstrdup(msg);
	}
	c->warnings++;
}

static void
collected_free(struct collected *c)
{
	for (size_t i = 0; i < c->count; i++)
		for (int j = 0; j < 16; j++)
			free(c->events[i].s[j]);
	for (long i = 0; i < c->warnings && i < 64; i++)
		free(c->warning_text[i]);
	free(c->events);
	memset(c, 0, sizeof(*c));
}

/* Import a file below the source tree; returns the importer's status. */
static int
import(const char *rel, struct fp_import_opts *opts, struct collected *c)
{
	struct fp_sink sink = { c, keep_event, NULL, NULL, keep_warning,
	    NULL, NULL, NULL };
	char *path = xasprintf("%s/%s", srcdir, rel);
	int rc;

	opts->display_name = fp_basename(rel);
	rc = fp_importer_syslog.run(path, opts, &sink);
	free(path);
	return rc;
}

/* Import text written to a temporary file named name. */
static int
import_text(const char *text, const char *name, struct fp_import_opts *opts,
    struct collected *c)
{
	struct fp_sink sink = { c, keep_event, NULL, NULL, keep_warning,
	    NULL, NULL, NULL };
	char path[] = "/tmp/fp-syslog-XXXXXX";
	int fd, rc;
	FILE *f;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	opts->display_name = name;
	rc = fp_importer_syslog.run(path, opts, &sink);
	unlink(path);
	return rc;
}

static fp_time
iso(const char *s)
{
	fp_time t = 0;

	assert_int_not_equal(fp_time_parse_iso(s, &t), 0);
	return t;
}

static size_t
count_kind(const struct collected *c, const char *kind)
{
	size_t n = 0;

	for (size_t i = 0; i < c->count; i++)
		n += strcmp(c->events[i].ev.kind, kind) == 0;
	return n;
}

/* The nth (from 0) event of a kind; fails the test when there is none. */
static const struct fp_event *
nth_kind(const struct collected *c, const char *kind, size_t nth)
{
	for (size_t i = 0; i < c->count; i++)
		if (strcmp(c->events[i].ev.kind, kind) == 0 && nth-- == 0)
			return &c->events[i].ev;
	fail_msg("no %s event", kind);
	return NULL;
}

static void
drill_a_fwb_new_sas(void **state)
{
	struct fp_import_opts opts = { .host = "fwb" };
	struct collected c = { 0 };
	const struct fp_event *ev;

	(void)state;
	assert_int_equal(import("tests/data/drills/A-dataplane-failover/"
	    "fwb.charon.log", &opts, &c), 0);
	ev = nth_kind(&c, "ike_init_sent", 0);
	assert_int_equal(ev->ts, iso("2026-12-04T19:49:28.781Z"));
	assert_string_equal(ev->peer_addr, "198.51.100.1");
	ev = nth_kind(&c, "ike_sa_established", 0);
	assert_int_equal(ev->ts, iso("2026-12-04T19:49:28.792Z"));
	assert_int_equal(ev->line, 191);
	assert_string_equal(ev->host, "fwb");
	assert_string_equal(ev->conn, "ha-vpn");
	assert_string_equal(ev->local_id, "vpn-ha.example.com");
	assert_string_equal(ev->peer_id, "peer.example.net");
	ev = nth_kind(&c, "child_sa_established", 0);
	assert_int_equal(ev->ts, iso("2026-12-04T19:49:28.793Z"));
	assert_string_equal(ev->spi_in, "4fddda66");
	assert_string_equal(ev->spi_out, "821dcbb0");
	assert_int_equal(count_kind(&c, "ike_sa_established"), 1);
	assert_int_equal(c.warnings, 0);
	collected_free(&c);
}

static void
drill_a_peer_duplicate(void **state)
{
	struct fp_import_opts opts = { .host = "peer" };
	struct collected c = { 0 };
	const struct fp_event *ev;

	(void)state;
	assert_int_equal(import("tests/data/drills/A-dataplane-failover/"
	    "peer.charon.log", &opts, &c), 0);
	ev = nth_kind(&c, "duplicate_identity", 0);
	assert_int_equal(ev->ts, iso("2026-12-04T19:49:28.789Z"));
	assert_string_equal(ev->peer_id, "vpn-ha.example.com");
	assert_string_equal(ev->detail, "initial-contact");
	assert_int_equal(count_kind(&c, "child_sa_established"), 2);
	ev = nth_kind(&c, "child_sa_established", 1);
	assert_string_equal(ev->spi_in, "821dcbb0");
	assert_string_equal(ev->spi_out, "4fddda66");
	collected_free(&c);
}

static void
drill_b1_peer_rejects(void **state)
{
	struct fp_import_opts opts = { .host = "peer" };
	struct collected c = { 0 };
	const struct fp_event *ev;

	(void)state;
	assert_int_equal(import("tests/data/drills/B1-peer-reject-identity/"
	    "peer.charon.log", &opts, &c), 0);
	assert_int_equal(count_kind(&c, "ike_auth_failed"), 1);
	ev = nth_kind(&c, "ike_auth_failed", 0);
	assert_int_equal(ev->ts, iso("2026-12-04T19:43:52.695Z"));
	assert_string_equal(ev->direction, "sent");
	assert_string_equal(ev->notify, "AUTHENTICATION_FAILED");
	assert_string_equal(ev->exchange, "IKE_AUTH");
	ev = nth_kind(&c, "peer_config_missing", 0);
	assert_int_equal(ev->ts, iso("2026-12-04T19:43:52.695Z"));
	assert_int_equal(ev->line, 211);
	assert_string_equal(ev->peer_id, "fwb-node.example.com");
	assert_string_equal(ev->peer_addr, "198.51.100.10");
	collected_free(&c);
}

static void
drill_b1_fwb_is_rejected(void **state)
{
	struct fp_import_opts opts = { .host = "fwb" };
	struct collected c = { 0 };
	const struct fp_event *ev;

	(void)state;
	assert_int_equal(import("tests/data/drills/B1-peer-reject-identity/"
	    "fwb.charon.log", &opts, &c), 0);
	ev = nth_kind(&c, "ike_auth_failed", 0);
	assert_int_equal(ev->ts, iso("2026-12-04T19:43:52.696Z"));
	assert_string_equal(ev->direction, "received");
	assert_string_equal(ev->notify, "AUTHENTICATION_FAILED");
	assert_int_equal(count_kind(&c, "ike_sa_established"), 0);
	collected_free(&c);
}

static void
drill_b4_fwb_invalid_spi(void **state)
{
	struct fp_import_opts opts = { .host = "fwb" };
	struct collected c = { 0 };
	const struct fp_event *ev;

	(void)state;
	assert_int_equal(import("tests/data/drills/B4-controlplane-loss/"
	    "fwb.charon.log", &opts, &c), 0);
	assert_int_equal(count_kind(&c, "invalid_spi"), 5631);
	ev = nth_kind(&c, "invalid_spi", 0);
	assert_int_equal(ev->ts, iso("2026-12-04T19:50:20.969Z"));
	assert_int_equal(ev->line, 119);
	assert_string_equal(ev->spi_in, "6c4f34a7");
	assert_string_equal(ev->detail, "seq 1581");
	assert_int_equal(count_kind(&c, "ike_init_sent"), 0);
	collected_free(&c);
}

static void
drill_c_fwb_child_sa(void **state)
{
	struct fp_import_opts opts = { .host = "fwb" };
	struct collected c = { 0 };
	const struct fp_event *ev;

	(void)state;
	assert_int_equal(import("tests/data/drills/C-ctrlplane-interrupt/"
	    "fwb.charon.log", &opts, &c), 0);
	ev = nth_kind(&c, "child_sa_established", 0);
	assert_int_equal(ev->ts, iso("2026-12-04T19:53:34.111Z"));
	assert_string_equal(ev->spi_in, "de75bfc4");
	assert_string_equal(ev->spi_out, "1ca45680");
	collected_free(&c);
}

static void
drill_c_peer_takeover(void **state)
{
	struct fp_import_opts opts = { .host = "peer" };
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import("tests/data/drills/C-ctrlplane-interrupt/"
	    "peer.charon.log", &opts, &c), 0);
	assert_int_equal(count_kind(&c, "duplicate_identity"), 1);
	assert_int_equal(count_kind(&c, "ike_sa_established"), 2);
	collected_free(&c);
}

static void
drill_d_peer_replay(void **state)
{
	struct fp_import_opts opts = { .host = "peer" };
	struct collected c = { 0 };
	const struct fp_event *ev;

	(void)state;
	assert_int_equal(import("tests/data/drills/D-state-drift-ha-sync/"
	    "peer.charon.log", &opts, &c), 0);
	assert_int_equal(count_kind(&c, "replay_check_failed"), 71);
	ev = nth_kind(&c, "replay_check_failed", 0);
	assert_int_equal(ev->ts, iso("2026-12-04T19:42:49.054Z"));
	assert_int_equal(ev->line, 265);
	assert_string_equal(ev->direction, "received");
	assert_string_equal(ev->spi_in, "3dbcca57");
	assert_string_equal(ev->peer_addr, "198.51.100.10");
	assert_string_equal(ev->local_addr, "198.51.100.1");
	assert_string_equal(ev->detail, "seq 1");
	ev = nth_kind(&c, "replay_check_failed", 70);
	assert_string_equal(ev->detail, "seq 71");
	collected_free(&c);
}

static void
drill_d_fwb_ha_takeover(void **state)
{
	struct fp_import_opts opts = { .host = "fwb" };
	struct collected c = { 0 };
	const struct fp_event *ev;

	(void)state;
	assert_int_equal(import("tests/data/drills/D-state-drift-ha-sync/"
	    "fwb.charon.log", &opts, &c), 0);
	ev = nth_kind(&c, "ha_ike_sa_activated", 0);
	assert_int_equal(ev->ts, iso("2026-12-04T19:42:47.121Z"));
	assert_string_equal(ev->conn, "ha-vpn");
	ev = nth_kind(&c, "ha_failover", 0);
	assert_int_equal(ev->ts, iso("2026-12-04T19:42:47.121Z"));
	ev = nth_kind(&c, "ha_sync", 1);
	assert_string_equal(ev->peer_id, "peer.example.net");
	assert_int_equal(count_kind(&c, "ike_sa_established"), 0);
	assert_int_equal(count_kind(&c, "ike_init_sent"), 0);
	collected_free(&c);
}

/*
 * The RFC 3164 and RFC 5424 copies of one charon's syslog give the same
 * events; RFC 3164 times are whole seconds, so the 5424 times are cut.
 */
static void
compare_framings(const char *rfc3164, const char *rfc5424, const char *host,
    size_t expected_events)
{
	struct fp_import_opts opts = { .host = host };
	struct collected a = { 0 }, b = { 0 };

	opts.reference = iso("2026-12-04T19:00:00Z");
	assert_int_equal(import(rfc3164, &opts, &a), 0);
	assert_int_equal(import(rfc5424, &opts, &b), 0);
	assert_int_equal(a.count, expected_events);
	assert_int_equal(b.count, expected_events);
	for (size_t i = 0; i < a.count && i < b.count; i++) {
		const struct fp_event *x = &a.events[i].ev;
		const struct fp_event *y = &b.events[i].ev;

		assert_string_equal(x->kind, y->kind);
		assert_int_equal(x->line, y->line);
		assert_int_equal(x->ts, y->ts - y->ts % 1000000);
		assert_string_equal(x->host, y->host);
		assert_string_equal(x->message, y->message);
		assert_int_equal(x->msgid, y->msgid);
		assert_int_equal(x->is_response, y->is_response);
		if (x->spi_in != NULL || y->spi_in != NULL)
			assert_string_equal(x->spi_in, y->spi_in);
		if (x->peer_id != NULL || y->peer_id != NULL)
			assert_string_equal(x->peer_id, y->peer_id);
		if (x->detail != NULL || y->detail != NULL)
			assert_string_equal(x->detail, y->detail);
	}
	collected_free(&a);
	collected_free(&b);
}

static void
framings_agree_drill_a_fwb(void **state)
{
	(void)state;
	compare_framings("tests/data/drills/A-dataplane-failover/"
	    "fwb.syslog-rfc3164.log", "tests/data/syslog/"
	    "A-fwb.syslog-rfc5424.log", NULL, 15);
}

static void
framings_agree_drill_d_peer(void **state)
{
	(void)state;
	compare_framings("tests/data/syslog/D-peer.syslog-rfc3164.log",
	    "tests/data/drills/D-state-drift-ha-sync/peer.syslog-rfc5424.log",
	    NULL, 87);
}

/* Hard case 01: the year goes up at the December to January step. */
static void
case01_year_rollover(void **state)
{
	static const char *const expected[] = {
		"2026-12-31T23:59:57Z", "2026-12-31T23:59:57Z",
		"2026-12-31T23:59:57Z", "2027-01-01T00:00:01Z",
		"2027-01-01T00:00:01Z", "2027-01-01T00:00:08Z",
		"2027-01-01T00:00:08Z", "2027-01-01T00:00:21Z",
		"2027-01-01T00:00:21Z", "2027-01-01T00:00:21Z",
	};
	const char *rules[] = { NULL, NULL };
	struct fp_import_opts by_year = { .year = 2026 };
	struct fp_import_opts by_reference = { 0 };
	struct collected a = { 0 }, b = { 0 };
	char *dir = xasprintf("%s/tests/data/syslog/any-rules", srcdir);

	(void)state;
	rules[0] = dir;
	by_year.rule_dirs = rules;
	by_reference.rule_dirs = rules;
	by_reference.reference = iso("2027-01-01T00:05:00Z");
	assert_int_equal(import("tests/data/cases/"
	    "01-rfc3164-year-rollover.input.log", &by_year, &a), 0);
	assert_int_equal(import("tests/data/cases/"
	    "01-rfc3164-year-rollover.input.log", &by_reference, &b), 0);
	assert_int_equal(count_kind(&a, "tunnel_up"), 10);
	assert_int_equal(count_kind(&b, "tunnel_up"), 10);
	for (size_t i = 0; i < 10; i++) {
		assert_int_equal(nth_kind(&a, "tunnel_up", i)->ts,
		    iso(expected[i]));
		assert_int_equal(nth_kind(&b, "tunnel_up", i)->ts,
		    iso(expected[i]));
	}
	/* DPD request to restart: 24 s, not a year. */
	assert_int_equal(nth_kind(&a, "ike_init_sent", 0)->ts -
	    nth_kind(&a, "dpd_sent", 0)->ts, 24000000);
	assert_int_equal(a.warnings, 0);
	free(dir);
	collected_free(&a);
	collected_free(&b);
}

/* Hard case 02: every padding of the day gives the same day. */
static void
case02_day_padding(void **state)
{
	static const char *const expected[] = {
		"2026-12-04T19:49:25Z", "2026-12-04T19:49:25Z",
		"2026-12-04T19:49:25Z", "2026-12-04T19:49:25Z",
		"2026-12-14T08:02:11Z", "2026-12-14T08:02:11Z",
	};
	static const char *const starts[] = {
		"05[IKE]", "05[ENC]", "05[NET]", "10[NET]", "14[IKE]",
		"14[NET]",
	};
	const char *rules[] = { NULL, NULL };
	struct fp_import_opts opts = { .year = 2026 };
	struct collected c = { 0 };
	char *dir = xasprintf("%s/tests/data/syslog/any-rules", srcdir);

	(void)state;
	rules[0] = dir;
	opts.rule_dirs = rules;
	assert_int_equal(import("tests/data/cases/"
	    "02-rfc3164-day-padding.input.log", &opts, &c), 0);
	assert_int_equal(count_kind(&c, "tunnel_up"), 6);
	for (size_t i = 0; i < 6; i++) {
		const struct fp_event *ev = nth_kind(&c, "tunnel_up", i);

		assert_int_equal(ev->ts, iso(expected[i]));
		assert_string_equal(ev->host, "fw-a");
		assert_memory_equal(ev->message, starts[i], 7);
	}
	free(dir);
	collected_free(&c);
}

static void
invalid_day_names_line(void **state)
{
	struct fp_import_opts opts = { .year = 2026, .host = "gw" };
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_text(
	    "<30>Feb 28 10:00:00 gw charon: 05[IKE] sending DPD request\n"
	    "<30>Feb 30 10:00:00 gw charon: 05[IKE] sending DPD request\n"
	    "<30>Feb  0 10:00:00 gw charon: 05[IKE] sending DPD request\n",
	    "days.log", &opts, &c), FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "'days.log' line 2: invalid "
	    "date feb 30 in 2026"));
	assert_non_null(strstr(fp_errmsg(), "(2 bad lines in all)"));
	assert_int_equal(c.warnings, 2);
	assert_int_equal(c.warning_lines[0], 2);
	assert_int_equal(c.warning_lines[1], 3);
	collected_free(&c);
}

/* Hard case 04: fractions, offsets and NILVALUE fields. */
static void
case04_rfc5424_times(void **state)
{
	static const char *const expected[] = {
		"2026-12-04T19:49:25Z", "2026-12-04T19:49:25.7Z",
		"2026-12-04T19:49:25.768Z", "2026-12-04T19:49:25.768123Z",
		"2026-12-04T19:49:25.768123Z", "2026-12-04T19:49:25.768123Z",
		"2026-12-04T19:49:25.768123Z",
	};
	static const char *const starts[] = {
		"05[IKE]", "05[NET]", "10[NET]", "10[IKE]", "10[IKE]",
		"10[KNL]", "10[IKE]", "10[IKE]",
	};
	const char *rules[] = { NULL, NULL };
	struct fp_import_opts opts = { .host = "fallback" };
	struct collected c = { 0 };
	char *dir = xasprintf("%s/tests/data/syslog/any-rules", srcdir);
	const struct fp_event *ev;

	(void)state;
	rules[0] = dir;
	opts.rule_dirs = rules;
	assert_int_equal(import("tests/data/cases/"
	    "04-rfc5424-fraction-offset-nil.input.log", &opts, &c), 0);
	assert_int_equal(count_kind(&c, "tunnel_up"), 8);
	for (size_t i = 0; i < 8; i++) {
		ev = nth_kind(&c, "tunnel_up", i);
		assert_int_equal(ev->line, (long)i + 1);
		assert_memory_equal(ev->message, starts[i], 7);
		if (i < 7)
			assert_int_equal(ev->ts, iso(expected[i]));
		assert_string_equal(ev->host, i == 6 ? "fallback" : "fw-a");
	}
	/* Line 8 has a NILVALUE timestamp: no time, never time zero. */
	assert_int_equal(nth_kind(&c, "tunnel_up", 7)->ts, FP_TIME_NONE);
	/* Warnings: the 9-digit fraction on line 6, the missing time. */
	assert_int_equal(c.warnings, 2);
	assert_int_equal(c.warning_lines[0], 6);
	assert_non_null(strstr(c.warning_text[0], "more than 6 digits"));
	assert_int_equal(c.warning_lines[1], 8);
	assert_non_null(strstr(c.warning_text[1], "no time stamp"));
	free(dir);
	collected_free(&c);
}

static void
case04_missing_host_needs_option(void **state)
{
	struct fp_import_opts opts = { 0 };
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import("tests/data/cases/"
	    "04-rfc5424-fraction-offset-nil.input.log", &opts, &c),
	    FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "'04-rfc5424-fraction-offset-"
	    "nil.input.log' line 7: no host name"));
	assert_non_null(strstr(fp_errmsg(), "--host"));
	collected_free(&c);
}

static void
bad_timestamp_names_line(void **state)
{
	struct fp_import_opts opts = { 0 };
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_text(
	    "<30>1 2026-12-04T19:49:25Z fw-a charon - - - 05[IKE] sending "
	    "DPD request\n\n"
	    "<30>1 2026-13-01T10:00:00Z fw-a charon - - - 05[IKE] x\n",
	    "fw-a.log", &opts, &c), FP_EINVAL);
	assert_string_equal(fp_errmsg(), "'fw-a.log' line 3: invalid RFC 5424 "
	    "timestamp \"2026-13-01T10:00:00Z\": expected ISO 8601 such as "
	    "2026-12-04T19:49:25.768Z");
	assert_int_equal(c.warnings, 1);
	assert_int_equal(c.warning_lines[0], 3);
	/* The good line before it still reached the sink. */
	assert_int_equal(count_kind(&c, "dpd_sent"), 1);
	collected_free(&c);
}

static void
unframed_line_is_bad(void **state)
{
	struct fp_import_opts opts = { .host = "gw" };
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_text(
	    "2026-12-04T19:49:10.914 00[DMN] Starting IKE charon daemon\n"
	    "garbage that is not syslog\n", "gw.log", &opts, &c), FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "'gw.log' line 2: no syslog "
	    "header in \"garbage that is not syslog\""));
	collected_free(&c);
}

static void
time_zone_option(void **state)
{
	struct fp_import_opts opts = { .year = 2026, .tz = "Europe/Berlin",
	    .host = "from-option" };
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_text(
	    "Dec  4 20:49:25 gw charon[42]: 05[IKE] sending DPD request\n"
	    "2026-12-04T20:49:25.5 05[IKE] sending DPD request\n",
	    "tz.log", &opts, &c), 0);
	assert_int_equal(c.count, 2);
	assert_int_equal(c.events[0].ev.ts, iso("2026-12-04T19:49:25Z"));
	assert_string_equal(c.events[0].ev.host, "gw");
	assert_int_equal(c.events[1].ev.ts, iso("2026-12-04T19:49:25.5Z"));
	assert_string_equal(c.events[1].ev.host, "from-option");
	collected_free(&c);

	/* Summer time: UTC+2. */
	assert_int_equal(import_text(
	    "Jul  4 20:49:25 gw charon: 05[IKE] sending DPD request\n",
	    "tz.log", &opts, &c), 0);
	assert_int_equal(c.count, 1);
	assert_int_equal(c.events[0].ev.ts, iso("2026-07-04T18:49:25Z"));
	collected_free(&c);

	opts.tz = "Europe/Nowhere";
	assert_int_equal(import_text("Dec  4 20:49:25 gw charon: x\n",
	    "tz.log", &opts, &c), FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "unknown time zone "
	    "'Europe/Nowhere'"));
	collected_free(&c);
}

/*
 * A multi-line message written raw: the second line has no header and
 * starts with blanks, so it continues the first.
 */
static void
raw_continuation_line(void **state)
{
	struct fp_import_opts opts = { .host = "peer" };
	struct collected c = { 0 };
	const struct fp_event *ev;

	(void)state;
	assert_int_equal(import_text(
	    "2026-12-04T19:42:49.054Z 06[ESP] ESP sequence number "
	    "verification failed:\n"
	    "  src 198.51.100.10, dst 198.51.100.1, SPI 3dbcca57 [seq 9]\n",
	    "raw.log", &opts, &c), 0);
	assert_int_equal(c.count, 1);
	ev = nth_kind(&c, "replay_check_failed", 0);
	assert_int_equal(ev->line, 1);
	assert_string_equal(ev->spi_in, "3dbcca57");
	assert_string_equal(ev->detail, "seq 9");
	collected_free(&c);
}

static void
detects_syslog(void **state)
{
	char *path = xasprintf("%s/tests/data/cases/"
	    "04-rfc5424-fraction-offset-nil.input.log", srcdir);
	const struct fp_importer *imp;

	(void)state;
	imp = fp_importer_detect(path);
	assert_non_null(imp);
	assert_string_equal(imp->kind, "syslog");
	free(path);
	path = xasprintf("%s/tests/data/drills/B4-controlplane-loss/"
	    "fwb.charon.log", srcdir);
	imp = fp_importer_detect(path);
	assert_non_null(imp);
	assert_string_equal(imp->kind, "syslog");
	free(path);
}

static int
setup(void **state)
{
	char *datadir;

	(void)state;
	if (getenv("FP_SRCDIR") != NULL)
		srcdir = getenv("FP_SRCDIR");
	datadir = xasprintf("%s/importers", srcdir);
	setenv("FAILPROOF_DATADIR", datadir, 1);
	free(datadir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	rules_release();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(drill_a_fwb_new_sas),
		cmocka_unit_test(drill_a_peer_duplicate),
		cmocka_unit_test(drill_b1_peer_rejects),
		cmocka_unit_test(drill_b1_fwb_is_rejected),
		cmocka_unit_test(drill_b4_fwb_invalid_spi),
		cmocka_unit_test(drill_c_fwb_child_sa),
		cmocka_unit_test(drill_c_peer_takeover),
		cmocka_unit_test(drill_d_peer_replay),
		cmocka_unit_test(drill_d_fwb_ha_takeover),
		cmocka_unit_test(framings_agree_drill_a_fwb),
		cmocka_unit_test(framings_agree_drill_d_peer),
		cmocka_unit_test(case01_year_rollover),
		cmocka_unit_test(case02_day_padding),
		cmocka_unit_test(invalid_day_names_line),
		cmocka_unit_test(case04_rfc5424_times),
		cmocka_unit_test(case04_missing_host_needs_option),
		cmocka_unit_test(bad_timestamp_names_line),
		cmocka_unit_test(unframed_line_is_bad),
		cmocka_unit_test(time_zone_option),
		cmocka_unit_test(raw_continuation_line),
		cmocka_unit_test(detects_syslog),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
