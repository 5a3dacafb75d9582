/*
 * Tests of the vendor rule engine: the loader's errors (each names the
 * file and line), the matcher's field order, continued-by, preceded-by
 * and program filters, and the shipped strongSwan rules against charon
 * 5.9 and 6.0 wording, one message per rule.
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

#include "rules.h"

/* Copies of the events a matcher emitted. */
struct collected {
	struct fp_event ev[16];
	char *strings[16][17];
	int count;
};

static const char *srcdir = ".";

static const char *
keep(struct collected *c, int slot, const char *s)
{
	if (s == NULL)
		return NULL;
	c->strings[c->count][slot] = xstrdup(s);
	return c->strings[c->count][slot];
}

static int
collect(void *ctx, const struct fp_event *ev)
{
	struct collected *c = ctx;
	struct fp_event *e;

	if (c->count == 16)
		return 0;
	e = &c->ev[c->count];
	*e = *ev;
	e->host = keep(c, 0, ev->host);
	e->kind = keep(c, 1, ev->kind);
	e->direction = keep(c, 2, ev->direction);
	e->conn = keep(c, 3, ev->conn);
	e->local_addr = keep(c, 4, ev->local_addr);
	e->peer_addr = keep(c, 5, ev->peer_addr);
	e->local_id = keep(c, 6, ev->local_id);
	e->peer_id = keep(c, 7, ev->peer_id);
	e->ike_spi_i = keep(c, 8, ev->ike_spi_i);
	e->ike_spi_r = keep(c, 9, ev->ike_spi_r);
	e->spi_in = keep(c, 10, ev->spi_in);
	e->spi_out = keep(c, 11, ev->spi_out);
	e->exchange = keep(c, 12, ev->exchange);
	e->notify = keep(c, 13, ev->notify);
	e->detail = keep(c, 14, ev->detail);
	e->message = keep(c, 15, ev->message);
	c->count++;
	return 0;
}

static void
collected_free(struct collected *c)
{
	for (int i = 0; i < c->count; i++)
		for (int j = 0; j < 17; j++)
			free(c->strings[i][j]);
	memset(c, 0, sizeof(*c));
}

/* Feed lines (host "gw", program "charon", line numbers from 1). */
static void
feed_lines(const struct rules *set, struct collected *c,
    const char *const *lines)
{
	struct rules_matcher *m = rules_matcher_new(set, collect, c);

	for (int i = 0; lines[i] != NULL; i++) {
		struct rules_message msg = { i + 1, 1000000 * (i + 1), "gw",
		    "charon", lines[i] };

		assert_int_equal(rules_matcher_feed(m, &msg), 0);
	}
	assert_int_equal(rules_matcher_finish(m), 0);
	rules_matcher_free(m);
}

/* Write text to a new rule file in a new folder; returns the folder. */
static char *
rule_dir_with(const char *text)
{
	char tmpl[] = "/tmp/fp-rules-XXXXXX", *dir, *path;
	FILE *f;

	dir = mkdtemp(tmpl);
	assert_non_null(dir);
	path = xasprintf("%s/test.rules", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	free(path);
	return xstrdup(dir);
}

static void
remove_rule_dir(char *dir)
{
	char *path = xasprintf("%s/test.rules", dir);

	unlink(path);
	rmdir(dir);
	free(path);
	free(dir);
}

/* Load text as a rule file; returns the status, the message in errmsg. */
static int
load_text(const char *text, char **dir_out)
{
	const char *dirs[2] = { NULL, NULL };
	struct rules *set = NULL;
	int rc;

	*dir_out = rule_dir_with(text);
	dirs[0] = *dir_out;
	rc = rules_load_dirs(&set, dirs);
	rules_free(set);
	return rc;
}

static void
loader_unknown_keyword_names_line(void **state)
{
	char *dir, *expected;
	int rc;

	(void)state;
	rc = load_text("vendor t\n\nrule dpd_sent\n\tmach ^x$\n", &dir);
	assert_int_equal(rc, FP_EINVAL);
	expected = xasprintf("'%s/test.rules' line 4: unknown keyword "
	    "'mach'", dir);
	assert_non_null(strstr(fp_errmsg(), expected));
	free(expected);
	remove_rule_dir(dir);
}

static void
loader_regex_error_gives_offset(void **state)
{
	char *dir;
	int rc;

	(void)state;
	rc = load_text("vendor t\nrule dpd_sent\n\tmatch ^(abc$\n", &dir);
	assert_int_equal(rc, FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "test.rules' line 3: invalid "
	    "regex at offset 6: missing closing parenthesis"));
	remove_rule_dir(dir);
}

static void
loader_unknown_kind_names_line(void **state)
{
	char *dir;
	int rc;

	(void)state;
	rc = load_text("vendor t\n# comment\nrule tunnel_sideways\n"
	    "\tmatch ^x$\n", &dir);
	assert_int_equal(rc, FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "line 3: unknown event kind "
	    "'tunnel_sideways'"));
	remove_rule_dir(dir);
}

static void
loader_unknown_group_names_line(void **state)
{
	char *dir;
	int rc;

	(void)state;
	rc = load_text("vendor t\nrule dpd_sent\n\tmatch ^(?<spi>\\S+)$\n",
	    &dir);
	assert_int_equal(rc, FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "line 3: unknown capture group "
	    "name 'spi'"));
	remove_rule_dir(dir);
}

static void
loader_rule_without_match(void **state)
{
	char *dir;
	int rc;

	(void)state;
	rc = load_text("vendor t\nrule dpd_sent\n\tliteral x\n"
	    "rule dpd_timeout\n\tmatch ^y$\n", &dir);
	assert_int_equal(rc, FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "line 2: rule 'dpd_sent' has no "
	    "match line"));
	remove_rule_dir(dir);
}

static void
loader_bad_set_and_count(void **state)
{
	char *dir;
	int rc;

	(void)state;
	rc = load_text("vendor t\nrule dpd_sent\n\tmatch ^x$\n"
	    "\tset direction sideways\n\tset colour red\n", &dir);
	assert_int_equal(rc, FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "line 4: invalid direction "
	    "'sideways'"));
	assert_non_null(strstr(fp_errmsg(), "(1 more errors in the file)"));
	remove_rule_dir(dir);
}

static void
loader_statement_outside_section(void **state)
{
	char *dir;
	int rc;

	(void)state;
	rc = load_text("rule dpd_sent\n\tmatch ^x$\n", &dir);
	assert_int_equal(rc, FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "line 1: 'rule' before the first "
	    "'vendor' line"));
	remove_rule_dir(dir);
}

static void
loader_missing_folder(void **state)
{
	const char *dirs[] = { "/nonexistent/fp-rules", NULL };
	struct rules *set = NULL;

	(void)state;
	assert_int_equal(rules_load_dirs(&set, dirs), FP_EIO);
	assert_null(set);
	assert_non_null(strstr(fp_errmsg(), "/nonexistent/fp-rules"));
}

static void
shipped_rules_load_and_cache(void **state)
{
	const struct rules *a = NULL, *b = NULL, *c = NULL;
	char *dir = rule_dir_with("vendor extra\nrule dpd_sent\n"
	    "\tmatch ^ping me$\n");
	const char *extra[] = { dir, NULL };

	(void)state;
	assert_int_equal(rules_load(&a, NULL), 0);
	assert_non_null(a);
	assert_int_equal(rules_load(&b, NULL), 0);
	assert_ptr_equal(a, b);
	assert_int_equal(rules_load(&c, extra), 0);
	assert_non_null(c);
	rules_release();
	remove_rule_dir(dir);
}

static void
matcher_field_order(void **state)
{
	const char *lines[] = { "07[IKE] <pfx|3> one two", NULL };
	struct collected c = { 0 };
	struct rules *set;
	char *dir = rule_dir_with(
	    "vendor t\nprefix ^[0-9]{2}\\[[A-Z]{3}\\] "
	    "(?:<(?<conn>[^|>]*)\\|[0-9]+> )?\n"
	    "rule dpd_sent\n\tmatch ^one (?<detail>\\S+)$\n"
	    "\tset detail constant\n\tset direction sent\n"
	    "rule dpd_timeout\n\tmatch ^one\n\tset conn from-set\n");
	const char *dirs[] = { dir, NULL };

	(void)state;
	assert_int_equal(rules_load_dirs(&set, dirs), 0);
	feed_lines(set, &c, lines);
	assert_int_equal(c.count, 2);
	assert_string_equal(c.ev[0].kind, "dpd_sent");
	assert_string_equal(c.ev[0].conn, "pfx");
	assert_string_equal(c.ev[0].detail, "two");
	assert_string_equal(c.ev[0].direction, "sent");
	assert_string_equal(c.ev[0].host, "gw");
	assert_string_equal(c.ev[0].message, "07[IKE] <pfx|3> one two");
	assert_string_equal(c.ev[1].kind, "dpd_timeout");
	assert_string_equal(c.ev[1].conn, "from-set");
	collected_free(&c);
	rules_free(set);
	remove_rule_dir(dir);
}

static void
matcher_continued_and_preceded(void **state)
{
	const char *lines[] = {
		"header SPI 0xAB12CD34",
		"drop",
		"  more 5",
		"drop",
		"unrelated",
		NULL,
	};
	struct collected c = { 0 };
	struct rules *set;
	char *dir = rule_dir_with(
	    "vendor t\nrule replay_check_failed\n\tmatch ^drop$\n"
	    "\tcontinued-by ^\\s+more (?<msgid>[0-9]+)$\n"
	    "\tpreceded-by ^header SPI (?<spi_in>\\S+)$\n");
	const char *dirs[] = { dir, NULL };

	(void)state;
	assert_int_equal(rules_load_dirs(&set, dirs), 0);
	feed_lines(set, &c, lines);
	assert_int_equal(c.count, 2);
	assert_int_equal(c.ev[0].line, 2);
	assert_int_equal(c.ev[0].msgid, 5);
	assert_string_equal(c.ev[0].spi_in, "ab12cd34");
	assert_string_equal(c.ev[0].message, "drop\n  more 5");
	assert_int_equal(c.ev[1].line, 4);
	assert_int_equal(c.ev[1].msgid, -1);
	assert_null(c.ev[1].spi_in);
	collected_free(&c);
	rules_free(set);
	remove_rule_dir(dir);
}

static void
matcher_program_filter(void **state)
{
	struct collected c = { 0 };
	struct rules_matcher *m;
	struct rules *set;
	struct rules_message kernel = { 1, 0, "gw", "kernel", "hit" };
	struct rules_message charon = { 2, 0, "gw", "charon", "hit" };
	struct rules_message file_log = { 3, 0, "gw", NULL, "hit" };
	char *dir = rule_dir_with("vendor t\nprogram charon\n"
	    "rule dpd_sent\n\tmatch ^hit$\n");
	const char *dirs[] = { dir, NULL };

	(void)state;
	assert_int_equal(rules_load_dirs(&set, dirs), 0);
	m = rules_matcher_new(set, collect, &c);
	assert_int_equal(rules_matcher_feed(m, &kernel), 0);
	assert_int_equal(rules_matcher_feed(m, &charon), 0);
	assert_int_equal(rules_matcher_feed(m, &file_log), 0);
	assert_int_equal(rules_matcher_finish(m), 0);
	assert_int_equal(c.count, 2);
	assert_int_equal(c.ev[0].line, 2);
	assert_int_equal(c.ev[1].line, 3);
	rules_matcher_free(m);
	collected_free(&c);
	rules_free(set);
	remove_rule_dir(dir);
}

/* One charon message and the event the shipped rules must make of it. */
struct wording {
	const char *message;
	const char *kind;
	const char *direction;
	const char *field;	/* "conn", "peer_id", ... or NULL */
	const char *value;
};

static const char *
event_field(const struct fp_event *ev, const char *field)
{
	static char number[32];

	if (strcmp(field, "conn") == 0)
		return ev->conn;
	if (strcmp(field, "peer_addr") == 0)
		return ev->peer_addr;
	if (strcmp(field, "local_id") == 0)
		return ev->local_id;
	if (strcmp(field, "peer_id") == 0)
		return ev->peer_id;
	if (strcmp(field, "spi_in") == 0)
		return ev->spi_in;
	if (strcmp(field, "spi_out") == 0)
		return ev->spi_out;
	if (strcmp(field, "exchange") == 0)
		return ev->exchange;
	if (strcmp(field, "notify") == 0)
		return ev->notify;
	if (strcmp(field, "detail") == 0)
		return ev->detail;
	if (strcmp(field, "msgid") == 0) {
		snprintf(number, sizeof(number), "%ld", ev->msgid);
		return number;
	}
	return NULL;
}

static const struct wording strongswan_wording[] = {
	{ "13[IKE] initiating IKE_SA ha-vpn[1] to 198.51.100.1",
	    "ike_init_sent", "sent", "peer_addr", "198.51.100.1" },
	{ "13[IKE] initiating Main Mode IKE_SA v1[2] to 198.51.100.1",
	    "ike_init_sent", "sent", "conn", "v1" },
	{ "11[IKE] 198.51.100.10 is initiating an IKE_SA",
	    "ike_init_received", "received", "peer_addr", "198.51.100.10" },
	{ "11[IKE] 198.51.100.10 is initiating IKE_SA site-ha[2]",
	    "ike_init_received", "received", "conn", "site-ha" },
	{ "16[IKE] <ha-vpn|1> IKE_SA ha-vpn[1] established between "
	    "198.51.100.10[vpn-ha.example.com]...198.51.100.1"
	    "[peer.example.net]", "ike_sa_established", NULL, "peer_id",
	    "peer.example.net" },
	{ "09[IKE] IKE_SA home[2] rekeyed between 192.168.0.3[carol@"
	    "example.com]...192.168.0.2[moon.strongswan.org]",
	    "ike_sa_established", NULL, "detail", "rekeyed" },
	{ "13[IKE] deleting IKE_SA ha-vpn[1] between 198.51.100.10"
	    "[vpn-ha.example.com]...198.51.100.1[peer.example.net]",
	    "ike_sa_deleted", NULL, "local_id", "vpn-ha.example.com" },
	{ "13[IKE] IKE_SA deleted", "ike_sa_deleted", NULL, "detail",
	    "deleted" },
	{ "13[IKE] received DELETE for IKE_SA ha-vpn[1]", "ike_sa_deleted",
	    "received", "conn", "ha-vpn" },
	{ "15[IKE] destroying duplicate IKE_SA for peer "
	    "'vpn-ha.example.com', received INITIAL_CONTACT",
	    "duplicate_identity", NULL, "detail", "initial-contact" },
	{ "16[IKE] CHILD_SA site{1} established with SPIs 4fddda66_i "
	    "821dcbb0_o and TS 192.0.2.0/24 === 203.0.113.0/24",
	    "child_sa_established", NULL, "spi_out", "821dcbb0" },
	{ "10[IKE] inbound CHILD_SA net{3} established with SPIs cd159185_i "
	    "c5c4a85f_o and TS 10.3.0.1/32 === 10.1.0.0/24",
	    "child_sa_established", NULL, "spi_in", "cd159185" },
	{ "10[IKE] rekeyed CHILD_SA net{1} with SPIs cd5c1aef_i cb0c1fd9_o "
	    "with net{3} with SPIs cd159185_i c5c4a85f_o", "child_sa_rekeyed",
	    NULL, "spi_out", "c5c4a85f" },
	{ "10[IKE] closing CHILD_SA net{1} with SPIs cd5c1aef_i (168 bytes) "
	    "cb0c1fd9_o (168 bytes) and TS 10.3.0.1/32 === 10.1.0.0/24",
	    "child_sa_deleted", NULL, "spi_in", "cd5c1aef" },
	{ "05[IKE] CHILD_SA net{1} closed", "child_sa_deleted", NULL,
	    "detail", "net" },
	{ "12[IKE] received DELETE for ESP CHILD_SA with SPI cb0c1fd9",
	    "child_sa_deleted", "received", "spi_out", "cb0c1fd9" },
	{ "09[IKE] received AUTHENTICATION_FAILED notify error",
	    "ike_auth_failed", "received", "notify", "AUTHENTICATION_FAILED" },
	{ "09[ENC] generating IKE_AUTH response 1 [ N(AUTH_FAILED) ]",
	    "ike_auth_failed", "sent", "msgid", "1" },
	{ "07[ENC] generating IKE_SA_INIT response 0 [ N(NO_PROP) ]",
	    "proposal_mismatch", "sent", "notify", "NO_PROPOSAL_CHOSEN" },
	{ "07[IKE] received NO_PROPOSAL_CHOSEN notify error",
	    "proposal_mismatch", "received", "notify", "NO_PROPOSAL_CHOSEN" },
	{ "07[IKE] no acceptable proposal found", "proposal_mismatch", NULL,
	    NULL, NULL },
	{ "09[CFG] <2> no matching peer config found",
	    "peer_config_missing", NULL, NULL, NULL },
	{ "08[CFG] no trusted ECDSA public key found for 'gw.example.com'",
	    "cert_invalid", NULL, "peer_id", "gw.example.com" },
	{ "08[CFG] certificate status is not available", "cert_invalid",
	    NULL, NULL, NULL },
	{ "08[CFG] constraint check failed: identity 'x' required",
	    "cert_invalid", NULL, "detail", "identity 'x' required" },
	{ "08[CFG] no issuer certificate found for \"C=US, CN=gw\"",
	    "cert_invalid", NULL, "detail", "C=US, CN=gw" },
	{ "11[IKE] <site-ha|1> retransmit 1 of request with message ID 0",
	    "retransmit", "sent", "msgid", "0" },
	{ "07[IKE] giving up after 5 retransmits", "negotiation_timeout",
	    NULL, "detail", "5 retransmits" },
	{ "15[IKE] sending DPD request", "dpd_sent", "sent", NULL, NULL },
	{ "15[IKE] DPD check timed out, enforcing DPD action", "dpd_timeout",
	    NULL, NULL, NULL },
	{ "11[ENC] parsed IKE_SA_INIT response 0 [ SA KE No N(NATD_S_IP) ]",
	    "ike_message", "received", "exchange", "IKE_SA_INIT" },
	{ "13[ENC] generating INFORMATIONAL response 0 [ ]", "ike_message",
	    "sent", "msgid", "0" },
	{ "06[ESP] inbound ESP packet does not belong to an installed SA",
	    "invalid_spi", "received", NULL, NULL },
	{ "06[CFG] HA segment 1 activated, now active: 1", "ha_failover",
	    NULL, "detail", "HA segment 1 activated" },
	{ "06[CFG] no heartbeat received, taking all segments",
	    "ha_failover", NULL, "detail", "taking all segments" },
	{ "05[CFG] installed HA passive IKE_SA 'ha-vpn' 198.51.100.10"
	    "[vpn-ha.example.com]...198.51.100.1[peer.example.net]",
	    "ha_sync", NULL, "conn", "ha-vpn" },
	{ "05[CFG] installed HA CHILD_SA site{1} 192.0.2.0/24 === "
	    "203.0.113.0/24 (segment in: 1, out: 1)", "ha_sync", NULL,
	    NULL, NULL },
	{ "05[CFG] resyncing HA segment 1", "ha_sync", NULL, "detail",
	    "resyncing HA segment 1" },
	{ "06[IKE] <ha-vpn|1> IKE_SA ha-vpn[1] state change: PASSIVE => "
	    "ESTABLISHED", "ha_ike_sa_activated", NULL, "conn", "ha-vpn" },
	{ "11[IKE] remote host is behind NAT", "nat_detected", NULL,
	    "detail", "remote" },
	{ NULL, NULL, NULL, NULL, NULL },
};

static void
strongswan_wording_to_kinds(void **state)
{
	const struct rules *set;

	(void)state;
	assert_int_equal(rules_load(&set, NULL), 0);
	for (int i = 0; strongswan_wording[i].message != NULL; i++) {
		const struct wording *w = &strongswan_wording[i];
		const char *lines[] = { w->message, NULL };
		struct collected c = { 0 };
		int found = -1;

		feed_lines(set, &c, lines);
		for (int j = 0; j < c.count; j++)
			if (strcmp(c.ev[j].kind, w->kind) == 0)
				found = j;
		if (found < 0)
			fail_msg("no %s event for \"%s\"", w->kind, w->message);
		if (w->direction != NULL)
			assert_string_equal(c.ev[found].direction,
			    w->direction);
		if (w->field != NULL)
			assert_string_equal(event_field(&c.ev[found],
			    w->field), w->value);
		collected_free(&c);
	}
	rules_release();
}

/* Lines that look close to an event but are not one. */
static void
strongswan_near_misses(void **state)
{
	const char *lines[] = {
		"13[ENC] parsed IKE_INTERMEDIATE response 2 [ EF(1/3) ]",
		"10[IKE] outbound CHILD_SA net{3} established with SPIs "
		    "cd159185_i c5c4a85f_o and TS 10.3.0.1/32 === 10.1.0.0/24",
		"13[IKE] received retransmit of request with ID 1, "
		    "retransmitting response",
		"12[CFG]    dpd_delay = 10",
		"no thread prefix: sending DPD request",
		NULL,
	};
	const struct rules *set;
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(rules_load(&set, NULL), 0);
	feed_lines(set, &c, lines);
	assert_int_equal(c.count, 1);
	assert_string_equal(c.ev[0].kind, "retransmit");
	assert_string_equal(c.ev[0].direction, "received");
	collected_free(&c);
	rules_release();
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loader_unknown_keyword_names_line),
		cmocka_unit_test(loader_regex_error_gives_offset),
		cmocka_unit_test(loader_unknown_kind_names_line),
		cmocka_unit_test(loader_unknown_group_names_line),
		cmocka_unit_test(loader_rule_without_match),
		cmocka_unit_test(loader_bad_set_and_count),
		cmocka_unit_test(loader_statement_outside_section),
		cmocka_unit_test(loader_missing_folder),
		cmocka_unit_test(shipped_rules_load_and_cache),
		cmocka_unit_test(matcher_field_order),
		cmocka_unit_test(matcher_continued_and_preceded),
		cmocka_unit_test(matcher_program_filter),
		cmocka_unit_test(strongswan_wording_to_kinds),
		cmocka_unit_test(strongswan_near_misses),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
