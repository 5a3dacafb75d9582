/*
 * Tests of the syslog framings that vendors and daemons write: the Cisco
 * ASA buffer stamp, FortiOS and other key=value times, PAN-OS CSV, LEEF,
 * CEF, pluto's and racoon's log files, journalctl -o short-iso, the VPN
 * 3000 event log; and of hostile or damaged input: a 1 MB line, NUL
 * bytes, invalid UTF-8, a line cut short.  Times are checked in UTC to
 * the microsecond.
 *
 * The rule folder tests/data/syslog/every-rules turns every message into
 * an event of vendor "every", so each line's time, host and message can
 * be checked whatever the shipped rules make of it.  Lines written here
 * by hand follow the vendors' formats; the real samples are in
 * tests/data/syslog and tested by test_vendor.c.
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

struct seen {
	long line;
	fp_time ts;
	char *host;
	char *message;
};

/* The "every" events and the warnings of one import. */
struct collected {
	struct seen ev[32];
	int n;
	char *kinds;		/* kinds of the shipped rules' events */
	int warnings;
	char *warning[8];
	long warning_line[8];
};

static const char *srcdir = ".";

static int
keep_event(void *ctx, const struct fp_event *e)
{
	struct collected *c = ctx;
	char *k;

	if (strcmp(e->vendor, "every") != 0) {
		k = xasprintf("%s%s%s", c->kinds ? c->kinds : "",
		    c->kinds ? " " : "", e->kind);
		free(c->kinds);
		c->kinds = k;
		return 0;
	}
	if (c->n == 32)
		return 0;
	c->ev[c->n].line = e->line;
	c->ev[c->n].ts = e->ts;
	c->ev[c->n].host = e->host ? xstrdup(e->host) : NULL;
	c->ev[c->n].message = xstrdup(e->message);
	c->n++;
	return 0;
}

static void
keep_warning(void *ctx, long line, const char *msg)
{
	struct collected *c = ctx;

	if (c->warnings < 8) {
		c->warning[c->warnings] = xstrdup(msg);
		c->warning_line[c->warnings] = line;
	}
	c->warnings++;
}

static void
collected_free(struct collected *c)
{
	for (int i = 0; i < c->n; i++) {
		free(c->ev[i].host);
		free(c->ev[i].message);
	}
	for (int i = 0; i < c->warnings && i < 8; i++)
		free(c->warning[i]);
	free(c->kinds);
	memset(c, 0, sizeof(*c));
}

/* Import len bytes of text as a file; returns the importer's status. */
static int
import_bytes(const char *text, size_t len, struct fp_import_opts *opts,
    struct collected *c)
{
	struct fp_sink sink = { 0 };
	const char *dirs[2] = { NULL, NULL };
	char path[] = "/tmp/fp-framing-XXXXXX", *every;
	int fd, rc;
	FILE *f;

	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
	every = xasprintf("%s/tests/data/syslog/every-rules", srcdir);
	dirs[0] = every;
	sink.ctx = c;
	sink.event = keep_event;
	sink.warn = keep_warning;
	opts->rule_dirs = dirs;
	if (opts->display_name == NULL)
		opts->display_name = "test.log";
	rc = fp_importer_syslog.run(path, opts, &sink);
	unlink(path);
	free(every);
	return rc;
}

static int
import_text(const char *text, struct fp_import_opts *opts,
    struct collected *c)
{
	return import_bytes(text, strlen(text), opts, c);
}

static fp_time
iso(const char *s)
{
	fp_time t = 0;

	assert_int_not_equal(fp_time_parse_iso(s, &t), 0);
	return t;
}

static void
cisco_asa_buffer_stamps(void **state)
{
	struct fp_import_opts opts = { .host = "fallback" };
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_text(
	    "Jan 31 2020 17:24:03: %ASA-4-402119: IPSEC: x\n"
	    "<164>Jan 31 2020 17:24:04 asa01 : %ASA-6-602303: IPSEC: y\n"
	    "Feb 29 2020 23:59:59.250 asa02 %FTD-5-750006: z\n",
	    &opts, &c), 0);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.ev[0].ts, iso("2020-01-31T17:24:03Z"));
	assert_string_equal(c.ev[0].host, "fallback");
	assert_string_equal(c.ev[0].message, "%ASA-4-402119: IPSEC: x");
	assert_int_equal(c.ev[1].ts, iso("2020-01-31T17:24:04Z"));
	assert_string_equal(c.ev[1].host, "asa01");
	assert_string_equal(c.ev[1].message, "%ASA-6-602303: IPSEC: y");
	assert_int_equal(c.ev[2].ts, iso("2020-02-29T23:59:59.25Z"));
	assert_string_equal(c.ev[2].host, "asa02");
	collected_free(&c);

	/* The year is in the stamp: 29 February 2021 does not exist. */
	assert_int_equal(import_text(
	    "Feb 29 2021 10:00:00: %ASA-4-402119: IPSEC: x\n", &opts, &c),
	    FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "'test.log' line 1: invalid "
	    "date"));
	collected_free(&c);
}

/* FortiOS: date= time= tz=, and eventtime= for the fraction. */
static void
fortios_key_value_times(void **state)
{
	struct fp_import_opts opts = { .host = "fgt" };
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_text(
	    "<189>date=2020-04-23 time=12:32:47 devname=\"fw\" "
	    "logid=\"0101037127\" type=\"event\" subtype=\"vpn\" "
	    "tz=\"-0500\"\n"
	    "date=2020-04-23 time=12:32:47 devname=fw "
	    "eventtime=1587663167123456789 tz=\"-0500\" subtype=vpn\n"
	    "date=2020-04-23 time=12:32:47 devname=fw subtype=vpn\n",
	    &opts, &c), 0);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.ev[0].ts, iso("2020-04-23T17:32:47Z"));
	assert_int_equal(c.ev[1].ts, iso("2020-04-23T17:32:47.123456Z"));
	/* No tz= field: the device's local time, UTC without --tz. */
	assert_int_equal(c.ev[2].ts, iso("2020-04-23T12:32:47Z"));
	collected_free(&c);

	/* An eventtime= in another second is ignored, not trusted. */
	assert_int_equal(import_text(
	    "date=2020-04-23 time=12:32:47 eventtime=1587231168339114138 "
	    "tz=\"-0500\" subtype=vpn\n", &opts, &c), 0);
	assert_int_equal(c.ev[0].ts, iso("2020-04-23T17:32:47Z"));
	collected_free(&c);

	opts.tz = "America/New_York";
	assert_int_equal(import_text(
	    "date=2020-04-23 time=12:32:47 devname=fw subtype=vpn\n",
	    &opts, &c), 0);
	assert_int_equal(c.ev[0].ts, iso("2020-04-23T16:32:47Z"));
	collected_free(&c);
}

/* SonicWall and Stormshield put the date and time in one time= field. */
static void
sonicwall_stormshield_times(void **state)
{
	struct fp_import_opts opts = { .host = "fw" };
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_text(
	    "id=NSA sn=0017C5 time=\"2019-03-14 16:37:19 UTC\" fw=1.2.3.4 "
	    "msg=\"x\"\n"
	    "id=firewall time=\"2023-07-04 11:27:09\" fw=\"SN1\" tz=+0200 "
	    "msg=\"y\"\n", &opts, &c), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.ev[0].ts, iso("2019-03-14T16:37:19Z"));
	assert_int_equal(c.ev[1].ts, iso("2023-07-04T09:27:09Z"));
	collected_free(&c);

	assert_int_equal(import_text(
	    "id=firewall time=\"2023-07-04 11:27:09\" tz=+2x00 msg=\"y\"\n",
	    &opts, &c), FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "line 1: invalid tz=+2x00"));
	collected_free(&c);
}

/*
 * PAN-OS CSV: the generated time (field 7) in the device's zone, or a
 * high-resolution ISO 8601 field with its zone when there is one.
 */
static void
panos_csv_times(void **state)
{
	struct fp_import_opts opts = { .tz = "Europe/Berlin", .host = "pa" };
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_text(
	    "<14>Feb 22 21:32:20 pa-fw-2 1,2019/10/06 15:46:26,0097,SYSTEM,"
	    "vpn,0,2019/10/19 15:39:29,,ike-send-p2-delete,To-NET,0,0,"
	    "general,informational,\"IKE protocol IPSec SA delete message "
	    "sent to peer. SPI:0xA1CD910F.\",18249042,0x8000000000000000\n"
	    "1,2024/01/05 10:00:00,0097,SYSTEM,vpn,0,2024/01/05 10:00:00,,"
	    "ike-nego-p1-start,gw,0,0,general,informational,\"x\",1,0x0,0,"
	    "0,0,0,,pa,0,0,2024-01-05T09:00:00.123+01:00\n", &opts, &c), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.ev[0].ts, iso("2019-10-19T13:39:29Z"));
	assert_string_equal(c.ev[0].host, "pa-fw-2");
	assert_int_equal(c.ev[1].ts, iso("2024-01-05T08:00:00.123Z"));
	/* The shipped rule still finds the delete in the CSV body. */
	assert_string_equal(c.kinds, "child_sa_deleted");
	collected_free(&c);
}

static void
leef_and_cef_times(void **state)
{
	struct fp_import_opts opts = { .host = "ngfw" };
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_text(
	    "LEEF:1.0|Forcepoint|Firewall|7.1.5|Generic|devTimeFormat=MMM "
	    "dd yyyy HH:mm:ss\tsrc=198.18.4.4\tdevTime=Aug 06 2025 14:13:16"
	    "\tmsg=VPN trigger\n"
	    "LEEF:2.0|Vendor|FW|1.0|Event|^|devTime=1754489596250^src=x\n"
	    "<134>CEF:0|Vendor|FW|1.0|100|IKE SA up|3|rt=1754489596500 "
	    "src=198.18.4.4\n"
	    "CEF:0|Vendor|FW|1.0|100|IKE SA up|3|src=198.18.4.4 "
	    "rt=Aug 06 2025 14:13:16.750 UTC dst=192.0.2.1\n",
	    &opts, &c), 0);
	assert_int_equal(c.n, 4);
	assert_int_equal(c.ev[0].ts, iso("2025-08-06T14:13:16Z"));
	assert_int_equal(c.ev[1].ts, iso("2025-08-06T14:13:16.250Z"));
	assert_int_equal(c.ev[2].ts, iso("2025-08-06T14:13:16.500Z"));
	assert_int_equal(c.ev[3].ts, iso("2025-08-06T14:13:16.750Z"));
	collected_free(&c);

	assert_int_equal(import_text(
	    "LEEF:1.0|Forcepoint|Firewall|7.1.5|Generic|devTimeFormat=MMM "
	    "dd yyyy HH:mm:ss\tdevTime=Aug 32 2025 14:13:16\n", &opts, &c),
	    FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "line 1: invalid LEEF devTime"));
	collected_free(&c);
}

/* pluto's and racoon's own log files, and journalctl -o short-iso. */
static void
daemon_file_logs(void **state)
{
	struct fp_import_opts opts = { .host = "gw", .year = 2026 };
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_text(
	    "Nov 18 14:49:43.848976: \"peer\" #5: DPD action - hold\n"
	    "2006-08-10 19:22:40: INFO: respond new phase 1 negotiation: "
	    "198.18.17.194[500]<=>198.18.20.44[500]\n"
	    "-- Logs begin at Fri 2026-12-04 19:00:00 UTC. --\n"
	    "2026-12-04T20:49:25+0100 fwb charon[12]: 05[IKE] sending DPD "
	    "request\n"
	    "-- Reboot --\n", &opts, &c), 0);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.ev[0].ts, iso("2026-11-18T14:49:43.848976Z"));
	assert_string_equal(c.ev[0].message, "\"peer\" #5: DPD action - "
	    "hold");
	assert_int_equal(c.ev[1].ts, iso("2006-08-10T19:22:40Z"));
	assert_string_equal(c.ev[1].host, "gw");
	assert_int_equal(c.ev[2].ts, iso("2026-12-04T19:49:25Z"));
	assert_string_equal(c.ev[2].host, "fwb");
	assert_string_equal(c.ev[2].message, "05[IKE] sending DPD request");
	assert_string_equal(c.kinds, "dpd_timeout ike_init_received "
	    "dpd_sent");
	collected_free(&c);
}

/* VPN 3000 writes MM/DD/YYYY, so 06/01 is the first of June. */
static void
vpn3000_event_log(void **state)
{
	struct fp_import_opts opts = { .host = "vpn3k" };
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_text(
	    "31326 06/01/2005 19:05:22.570 SEV=4 AUTH/84 RPT=1029 LAN-to-LAN "
	    "tunnel to headend device 198.18.10.78 connected\n", &opts, &c),
	    0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.ev[0].ts, iso("2005-06-01T19:05:22.570Z"));
	assert_string_equal(c.kinds, "tunnel_up");
	collected_free(&c);
}

/* RFC 5424 with an offset: +10:00 is ten hours ahead of UTC. */
static void
offset_time_stamp(void **state)
{
	struct fp_import_opts opts = { 0 };
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_text(
	    "<30>1 2023-05-04T15:27:30.846+10:00 srx kmd 8961 "
	    "KMD_PM_SA_ESTABLISHED [junos@2636 a=\"b\"] Local gateway: "
	    "198.18.5.115, Remote gateway: 198.18.6.1, Direction: inbound, "
	    "SPI: 0xdc912544, AUX-SPI: 0\n", &opts, &c), 0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.ev[0].ts, iso("2023-05-04T05:27:30.846Z"));
	assert_string_equal(c.ev[0].host, "srx");
	assert_memory_equal(c.ev[0].message, "KMD_PM_SA_ESTABLISHED: Local "
	    "gateway", 36);
	assert_string_equal(c.kinds, "child_sa_established");
	collected_free(&c);
}

/* keepalived across New Year: the year goes up, time never goes back. */
static void
year_rollover_keepalived(void **state)
{
	struct fp_import_opts opts = { .year = 2025 };
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_text(
	    "Dec 31 23:59:59 lb1 Keepalived_vrrp[4474]: (VI_1) Entering "
	    "BACKUP STATE\n"
	    "Jan  1 00:00:02 lb1 Keepalived_vrrp[4474]: (VI_1) Entering "
	    "MASTER STATE\n", &opts, &c), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.ev[0].ts, iso("2025-12-31T23:59:59Z"));
	assert_int_equal(c.ev[1].ts, iso("2026-01-01T00:00:02Z"));
	assert_string_equal(c.kinds, "ha_failover ha_failover");
	collected_free(&c);
}

/* A line of 1 MB is bad, reported with its number, and not kept whole. */
static void
megabyte_line_is_bad(void **state)
{
	struct fp_import_opts opts = { .host = "gw" };
	struct collected c = { 0 };
	struct fp_line_stats st;
	size_t len = 1 << 20;
	struct fp_buf b = { 0 };
	char *x = xmalloc(len + 1);

	(void)state;
	memset(x, 'x', len);
	x[len] = '\0';
	fp_buf_printf(&b, "2026-12-04T19:49:25Z 05[IKE] sending DPD request\n"
	    "2026-12-04T19:49:26Z 05[IKE] %s\n"
	    "2026-12-04T19:49:27Z 05[IKE] sending DPD request\n", x);
	free(x);
	assert_int_equal(import_bytes(b.data, b.len, &opts, &c),
	    FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "'test.log' line 2: line longer "
	    "than 65536 bytes"));
	collected_free(&c);

	opts.skip_bad = 1;
	opts.stats = &st;
	assert_int_equal(import_bytes(b.data, b.len, &opts, &c),
	    0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.ev[1].line, 3);
	assert_int_equal(st.lines, 3);
	assert_int_equal(st.bad, 1);
	assert_int_equal(c.warning_line[0], 2);
	collected_free(&c);
	fp_buf_free(&b);
}

/* NUL bytes make a line bad; invalid UTF-8 is replaced, not rejected. */
static void
nul_bytes_and_invalid_utf8(void **state)
{
	static const char text[] =
	    "2026-12-04T19:49:25Z 05[IKE] bad \xff\xfe byte and \xc3\x28\n"
	    "2026-12-04T19:49:26Z 05[IKE] a NUL \0 inside\n"
	    "2026-12-04T19:49:27Z 05[IKE] caf\xc3\xa9 is fine\n";
	struct fp_import_opts opts = { .host = "gw" };
	struct collected c = { 0 };

	(void)state;
	assert_int_equal(import_bytes(text, sizeof(text) - 1, &opts, &c),
	    FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "line 2: line contains a NUL "
	    "byte"));
	collected_free(&c);

	opts.skip_bad = 1;
	assert_int_equal(import_bytes(text, sizeof(text) - 1, &opts, &c), 0);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.ev[0].message, "05[IKE] bad \xef\xbf\xbd"
	    "\xef\xbf\xbd byte and \xef\xbf\xbd(");
	assert_string_equal(c.ev[1].message, "05[IKE] caf\xc3\xa9 is fine");
	assert_non_null(strstr(c.warning[0], "invalid UTF-8 replaced"));
	assert_int_equal(c.warning_line[0], 1);
	collected_free(&c);
}

/*
 * A bare file (no time stamps, as consoles write it) gives events
 * without a time; a headerless line after a line ending in a colon
 * continues it.
 */
static void
bare_file_and_continuation(void **state)
{
	struct fp_import_opts opts = { .host = "gw" };
	struct fp_line_stats st;
	struct collected c = { 0 };

	(void)state;
	opts.stats = &st;
	assert_int_equal(import_text(
	    "%ASA-4-402119: IPSEC: x\n"
	    "\"west\" #1: sent IKE_SA_INIT request to 203.0.113.23:UDP/500\n",
	    &opts, &c), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.ev[0].ts, FP_TIME_NONE);
	/* The second line is also a Libreswan ike_message. */
	assert_int_equal(st.untimed, 3);
	collected_free(&c);

	assert_int_equal(import_text(
	    "May 23 2010 13:15:26: %ASA-7-713906: Transmitting Proxy Id:\n"
	    "Local subnet: 172.16.200.0 mask 255.255.255.0\n"
	    "Remote subnet: 192.168.1.0 Mask 255.255.255.0\n"
	    "May 23 2010 13:15:27: %ASA-7-713906: next\n", &opts, &c), 0);
	assert_int_equal(st.continued, 2);
	assert_int_equal(st.bad, 0);
	assert_int_equal(c.ev[3].ts, iso("2010-05-23T13:15:27Z"));
	collected_free(&c);
}

/* --clock-offset: the host's times move, other hosts' do not. */
static void
clock_offset_applies_per_host(void **state)
{
	struct fp_clock_offset offsets[] = { { "fwb", -1500000 } };
	struct fp_import_opts opts = { .year = 2026 };
	struct collected c = { 0 };

	(void)state;
	opts.clock_offsets = offsets;
	opts.n_clock_offsets = 1;
	assert_int_equal(import_text(
	    "Dec  4 19:49:25 fwa charon: 05[IKE] sending DPD request\n"
	    "Dec  4 19:49:25 fwb charon: 05[IKE] sending DPD request\n",
	    &opts, &c), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.ev[0].ts, iso("2026-12-04T19:49:25Z"));
	assert_int_equal(c.ev[1].ts, iso("2026-12-04T19:49:23.5Z"));
	collected_free(&c);
}

/* The unmatched lines that mention IKE are counted and kept as samples. */
static void
unmatched_lines_counted(void **state)
{
	struct fp_import_opts opts = { .host = "gw" };
	struct fp_sink sink = { 0 };
	struct fp_line_stats st;
	struct collected c = { 0 };
	char path[] = "/tmp/fp-framing-XXXXXX";
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_true(write(fd, "2026-12-04T19:49:25Z 05[IKE] sending DPD "
	    "request\n2026-12-04T19:49:26Z 05[IKE] some IKE_SA news\n"
	    "2026-12-04T19:49:27Z 05[LIB] nothing to see\n", 133) == 133);
	close(fd);
	sink.ctx = &c;
	sink.event = keep_event;
	sink.warn = keep_warning;
	opts.stats = &st;
	assert_int_equal(fp_importer_syslog.run(path, &opts, &sink), 0);
	unlink(path);
	assert_int_equal(st.lines, 3);
	assert_int_equal(st.unmatched, 2);
	assert_int_equal(st.unmatched_ike, 1);
	assert_int_equal(st.n_samples, 1);
	assert_int_equal(st.sample_line[0], 2);
	assert_string_equal(st.sample[0], "05[IKE] some IKE_SA news");
	collected_free(&c);
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
		cmocka_unit_test(cisco_asa_buffer_stamps),
		cmocka_unit_test(fortios_key_value_times),
		cmocka_unit_test(sonicwall_stormshield_times),
		cmocka_unit_test(panos_csv_times),
		cmocka_unit_test(leef_and_cef_times),
		cmocka_unit_test(daemon_file_logs),
		cmocka_unit_test(vpn3000_event_log),
		cmocka_unit_test(offset_time_stamp),
		cmocka_unit_test(year_rollover_keepalived),
		cmocka_unit_test(megabyte_line_is_bad),
		cmocka_unit_test(nul_bytes_and_invalid_utf8),
		cmocka_unit_test(bare_file_and_continuation),
		cmocka_unit_test(clock_offset_applies_per_host),
		cmocka_unit_test(unmatched_lines_counted),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
