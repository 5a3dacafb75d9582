/*
 * Tests of the review workflow's pure parts: who counts as the same
 * person, defect due dates from the review cycle and waiver states at
 * their expiry.  The swanctl.conf importer is tested on the lab drills'
 * configurations (tests/data/config) and on broken copies of them.
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

#include "defect.h"
#include "importer.h"
#include "review_record.h"
#include "waiver.h"

extern const struct fp_importer fp_importer_config;

static const char *srcdir = ".";

/* 2026-12-04T19:49:25.750Z, drill A's kill. */
#define DRILL_A_KILL INT64_C(1796413765750000)

struct kept_event {
	long line;
	fp_time ts;
	char *host;
	char *conn;
	char *local_addr;
	char *peer_addr;
	char *local_id;
	char *peer_id;
	char *detail;
};

struct collected {
	struct kept_event events[16];
	size_t count;
	long warnings;
	long first_warning_line;
	int partial;
};

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

	assert_true(c->count < 16);
	k = &c->events[c->count++];
	k->line = ev->line;
	k->ts = ev->ts;
	assert_string_equal(ev->kind, "config");
	k->host = dup_or_null(ev->host);
	k->conn = dup_or_null(ev->conn);
	k->local_addr = dup_or_null(ev->local_addr);
	k->peer_addr = dup_or_null(ev->peer_addr);
	k->local_id = dup_or_null(ev->local_id);
	k->peer_id = dup_or_null(ev->peer_id);
	k->detail = dup_or_null(ev->detail);
	return 0;
}

static void
keep_warning(void *ctx, long line, const char *msg)
{
	struct collected *c = ctx;

	(void)msg;
	if (c->warnings++ == 0)
		c->first_warning_line = line;
}

static void
keep_partial(void *ctx, const char *why)
{
	struct collected *c = ctx;

	(void)why;
	c->partial = 1;
}

static void
collected_free(struct collected *c)
{
	for (size_t i = 0; i < c->count; i++) {
		struct kept_event *k = &c->events[i];

		free(k->host);
		free(k->conn);
		free(k->local_addr);
		free(k->peer_addr);
		free(k->local_id);
		free(k->peer_id);
		free(k->detail);
	}
	memset(c, 0, sizeof(*c));
}

static int
import_config(const char *path, struct collected *c)
{
	struct fp_import_opts opts = { 0 };
	struct fp_sink sink = {
		.ctx = c,
		.event = keep_event,
		.warn = keep_warning,
		.partial = keep_partial,
	};

	opts.display_name = path;
	opts.host = "gw";
	opts.reference = DRILL_A_KILL;
	return fp_importer_config.run(path, &opts, &sink);
}

static char *
data_path(const char *rel)
{
	return xasprintf("%s/tests/data/config/%s", srcdir, rel);
}

/* A copy of a data file with one line replaced, in a temporary file. */
static char *
copy_replacing(const char *rel, const char *from, const char *to)
{
	char *src = data_path(rel), *data = NULL, *hit, *path;
	size_t len = 0;
	FILE *f;
	int fd;

	assert_int_equal(fp_read_file(src, 1 << 20, &data, &len), 0);
	hit = strstr(data, from);
	assert_non_null(hit);
	path = xstrdup("/tmp/failproof-config-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fwrite(data, 1, (size_t)(hit - data), f);
	fputs(to, f);
	fputs(hit + strlen(from), f);
	fclose(f);
	free(data);
	free(src);
	return path;
}

/* Names */

static void
same_person_ignores_case_and_spacing(void **state)
{
	(void)state;
	assert_true(actor_same("Ana Engineer", "Ana Engineer"));
	assert_true(actor_same("  ana   ENGINEER ", "Ana Engineer"));
	assert_true(actor_same("Ana\tEngineer\n", "ana engineer"));
}

static void
different_people_differ(void **state)
{
	(void)state;
	assert_false(actor_same("Ana Engineer", "Ana Engineers"));
	assert_false(actor_same("Ana Engineer", "Ana"));
	assert_false(actor_same("AnaEngineer", "Ana Engineer"));
	assert_false(actor_same("Ana Engineer", NULL));
}

static void
names_are_checked(void **state)
{
	(void)state;
	assert_int_equal(actor_name_check("Bo Reviewer", "--reviewer"), 0);
	assert_int_equal(actor_name_check("   ", "--reviewer"), FP_EINVAL);
	assert_int_equal(actor_name_check("Bo <bo@example.org>",
	    "--reviewer"), FP_EINVAL);
	assert_int_equal(actor_name_check("Bo\x1b[2J", "--reviewer"),
	    FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "--reviewer"));
}

/* Defect due dates */

static fp_time
utc(int y, unsigned m, unsigned d, int hour)
{
	return (fp_days_from_civil(y, m, d) * 86400 + hour * 3600) *
	    INT64_C(1000000);
}

static void
quarterly_due_date(void **state)
{
	fp_time due;

	(void)state;
	assert_int_equal(defect_due("quarterly", utc(2026, 12, 4, 19), &due),
	    0);
	assert_true(due == utc(2027, 3, 4, 19));
}

static void
due_date_keeps_to_the_month_end(void **state)
{
	fp_time due;

	(void)state;
	/* 30 November + 3 months: 28 February, or the 29th in a leap year. */
	assert_int_equal(defect_due("quarterly", utc(2026, 11, 30, 10), &due),
	    0);
	assert_true(due == utc(2027, 2, 28, 10));
	assert_int_equal(defect_due("Quarterly", utc(2027, 11, 30, 10), &due),
	    0);
	assert_true(due == utc(2028, 2, 29, 10));
	assert_int_equal(defect_due("monthly", utc(2027, 1, 31, 0), &due), 0);
	assert_true(due == utc(2027, 2, 28, 0));
	assert_int_equal(defect_due("annually", utc(2028, 2, 29, 0), &due), 0);
	assert_true(due == utc(2029, 2, 28, 0));
}

static void
unknown_cycle_has_no_due_date(void **state)
{
	fp_time due = 0;

	(void)state;
	assert_int_equal(defect_due("fortnightly", utc(2027, 1, 1, 0), &due),
	    FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "'fortnightly'"));
}

/* Waivers */

static void
waiver_expires_at_its_instant(void **state)
{
	struct store_waiver w = { 0 };

	(void)state;
	w.expires_at = utc(2027, 1, 1, 0);
	assert_true(waiver_active(&w, w.expires_at - 1));
	assert_false(waiver_active(&w, w.expires_at));
}

static void
waiver_status_of_a_criterion(void **state)
{
	struct store_waiver v[2] = { { 0 } };
	const struct store_waiver *which = NULL;
	fp_time now = utc(2027, 6, 1, 0);

	(void)state;
	v[0].run = 1;
	v[0].criterion = "no-asymmetric-routing";
	v[0].expires_at = utc(2027, 1, 1, 0);
	v[1].defect = 4;
	v[1].expires_at = utc(2028, 1, 1, 0);

	assert_string_equal(waiver_status(v, 2, 1, "no-asymmetric-routing", 0,
	    now, &which), "not-reviewed");
	assert_ptr_equal(which, &v[0]);
	assert_string_equal(waiver_status(v, 2, 1, "no-asymmetric-routing", 0,
	    utc(2026, 12, 31, 0), NULL), "waived");
	assert_null(waiver_status(v, 2, 2, "no-asymmetric-routing", 0, now,
	    NULL));
	assert_null(waiver_status(v, 2, 1, "new-ike-sa", 0, now, NULL));
	assert_string_equal(waiver_status(v, 2, 0, NULL, 4, now, &which),
	    "waived");
	assert_ptr_equal(which, &v[1]);
}

static void
expired_waiver_description_names_the_zone(void **state)
{
	struct store_waiver w = { 0 };
	char *text;

	(void)state;
	w.run = 3;
	w.criterion = "no-asymmetric-routing";
	w.approver = "Cy Approver";
	w.justification = "no capture point at the standby";
	w.expires_at = utc(2027, 1, 1, 0);
	text = waiver_describe(&w, utc(2027, 1, 2, 0));
	assert_string_equal(text, "criterion no-asymmetric-routing of run 3 "
	    "not reviewed: the waiver by Cy Approver expired "
	    "2027-01-01T00:00:00.000Z (UTC): no capture point at the standby");
	free(text);
}

/* The swanctl.conf importer */

static void
drill_a_ha_unit(void **state)
{
	char *path = data_path("drill-a-fwa.swanctl.conf");
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_config(path, &c), 0);
	assert_int_equal(c.count, 2);
	/* The child closes first, so its event comes first. */
	assert_string_equal(c.events[0].detail, "scope=child child=site "
	    "local_ts=192.0.2.0/24 remote_ts=203.0.113.0/24 "
	    "esp_proposals=aes256gcm16-x25519 start_action=none "
	    "dpd_action=restart rekey_time=1h");
	assert_int_equal(c.events[0].line, 20);
	assert_string_equal(c.events[1].detail, "scope=ike version=2 "
	    "local_addrs=198.51.100.10 remote_addrs=198.51.100.1 "
	    "proposals=aes256-sha256-x25519 dpd_delay=10s rekey_time=4h");
	assert_int_equal(c.events[1].line, 3);
	for (size_t i = 0; i < c.count; i++) {
		assert_string_equal(c.events[i].conn, "ha-vpn");
		assert_string_equal(c.events[i].host, "gw");
		assert_string_equal(c.events[i].local_addr, "198.51.100.10");
		assert_string_equal(c.events[i].peer_addr, "198.51.100.1");
		assert_string_equal(c.events[i].local_id,
		    "vpn-ha.example.com");
		assert_string_equal(c.events[i].peer_id, "peer.example.net");
		assert_true(c.events[i].ts == DRILL_A_KILL);
	}
	assert_int_equal(c.warnings, 0);
	collected_free(&c);
	free(path);
}

static void
drill_b4_peer_dpd(void **state)
{
	char *path = data_path("drill-b4-peer.swanctl.conf");
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_config(path, &c), 0);
	assert_int_equal(c.count, 2);
	assert_non_null(strstr(c.events[1].detail, " dpd_delay=300s "));
	assert_null(strstr(c.events[1].detail, "rekey_time"));
	assert_non_null(strstr(c.events[1].detail, " unique=replace"));
	collected_free(&c);
	free(path);
}

static void
broken_syntax_names_the_line(void **state)
{
	char *path = copy_replacing("drill-a-fwa.swanctl.conf",
	    "    rekey_time = 4h\n", "    rekey_time 4h\n");
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_config(path, &c), FP_EINVAL);
	assert_int_equal(c.first_warning_line, 9);
	assert_non_null(strstr(fp_errmsg(), "line 9: invalid swanctl.conf "
	    "syntax (1 bad lines)"));
	collected_free(&c);
	unlink(path);
	free(path);
}

static void
unclosed_section_is_an_error(void **state)
{
	char *path = copy_replacing("drill-a-fwa.swanctl.conf",
	    "      }\n    }\n  }\n}\n", "      }\n    }\n  }\n");
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_config(path, &c), FP_EINVAL);
	assert_int_equal(c.first_warning_line, 2);
	collected_free(&c);
	unlink(path);
	free(path);
}

static void
include_makes_the_import_partial(void **state)
{
	char *path = copy_replacing("drill-a-fwa.swanctl.conf",
	    "connections {\n", "include conf.d/*.conf\nconnections {\n");
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_config(path, &c), 0);
	assert_int_equal(c.partial, 1);
	assert_int_equal(c.warnings, 1);
	collected_free(&c);
	unlink(path);
	free(path);
}

static void
detects_swanctl_not_syslog(void **state)
{
	static const char conf[] = "# gw\nconnections {\n  a {\n";
	static const char log[] = "Dec  4 19:49:25 fwb charon: 09[IKE] "
	    "connections {x}\n";

	(void)state;
	assert_int_equal(fp_importer_config.detect((const unsigned char *)
	    conf, sizeof(conf) - 1), 80);
	assert_int_equal(fp_importer_config.detect((const unsigned char *)
	    log, sizeof(log) - 1), 0);
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
		cmocka_unit_test(same_person_ignores_case_and_spacing),
		cmocka_unit_test(different_people_differ),
		cmocka_unit_test(names_are_checked),
		cmocka_unit_test(quarterly_due_date),
		cmocka_unit_test(due_date_keeps_to_the_month_end),
		cmocka_unit_test(unknown_cycle_has_no_due_date),
		cmocka_unit_test(waiver_expires_at_its_instant),
		cmocka_unit_test(waiver_status_of_a_criterion),
		cmocka_unit_test(expired_waiver_description_names_the_zone),
		cmocka_unit_test(drill_a_ha_unit),
		cmocka_unit_test(drill_b4_peer_dpd),
		cmocka_unit_test(broken_syntax_names_the_line),
		cmocka_unit_test(unclosed_section_is_an_error),
		cmocka_unit_test(include_makes_the_import_partial),
		cmocka_unit_test(detects_swanctl_not_syslog),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
