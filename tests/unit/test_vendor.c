/*
 * Tests of the vendor rules on every vendor sample in tests/data/syslog
 * (README.md there gives each file's source): for each file, the line
 * accounting, the count of events per kind, and every field of the first
 * event of each kind.
 *
 * The expected lines were produced by importing each file and were then
 * checked by hand against the log lines and the vendors' message
 * references (see the comments of the rule files in importers/rules).  An event is
 * written as "LINE TIME VENDOR KIND HOST field=value...", with "-" for a
 * line without a time; lines without a host get "gw" from the options.
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
#include "rules.h"

extern const struct fp_importer fp_importer_syslog;

struct vendor_case {
	const char *file;
	int skip_bad;		/* the file has bad lines by design */
	const char *stats;
	const char *counts;	/* "kind=n" for each kind, by name */
	const char *const *first;	/* the first event of each kind */
};

/* The events of one import, written out. */
struct written {
	char **events;
	size_t n;
};

static const char *srcdir = ".";

static int
write_event(void *ctx, const struct fp_event *e)
{
	struct written *w = ctx;
	struct fp_buf b = { 0 };
	char ts[FP_TIME_STRLEN];
	const char *const fields[][2] = {
		{ "direction", e->direction }, { "conn", e->conn },
		{ "local_addr", e->local_addr }, { "peer_addr", e->peer_addr },
		{ "local_id", e->local_id }, { "peer_id", e->peer_id },
		{ "ike_spi_i", e->ike_spi_i }, { "ike_spi_r", e->ike_spi_r },
		{ "spi_in", e->spi_in }, { "spi_out", e->spi_out },
		{ "exchange", e->exchange }, { "notify", e->notify },
		{ "detail", e->detail },
	};

	if (e->ts == FP_TIME_NONE)
		snprintf(ts, sizeof(ts), "-");
	else
		fp_time_format(e->ts, ts, sizeof(ts));
	fp_buf_printf(&b, "%ld %s %s %s %s", e->line, ts, e->vendor, e->kind,
	    e->host);
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (fields[i][1] != NULL)
			fp_buf_printf(&b, " %s=%s", fields[i][0], fields[i][1]);
	if (e->msgid >= 0)
		fp_buf_printf(&b, " msgid=%ld", e->msgid);
	if (e->is_response >= 0)
		fp_buf_printf(&b, " resp=%d", e->is_response);
	w->events = xrealloc(w->events, (w->n + 1) * sizeof(*w->events));
	w->events[w->n++] = fp_buf_detach(&b);
	return 0;
}

static void
ignore_warning(void *ctx, long line, const char *msg)
{
	(void)ctx;
	(void)line;
	(void)msg;
}

/* The kind of a written event: its fourth word. */
static size_t
kind_of(const char *ev, const char **kind)
{
	const char *p = ev;

	for (int i = 0; i < 3; i++)
		p = strchr(p, ' ') + 1;
	*kind = p;
	return strcspn(p, " ");
}

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "kind=n" for each kind, by name. */
static char *
count_kinds(const struct written *w)
{
	char **kinds = xcalloc(w->n + 1, sizeof(*kinds));
	struct fp_buf b = { 0 };
	const char *k;
	size_t len;

	for (size_t i = 0; i < w->n; i++) {
		len = kind_of(w->events[i], &k);
		kinds[i] = xstrndup(k, len);
	}
	qsort(kinds, w->n, sizeof(*kinds), compare_strings);
	fp_buf_puts(&b, "");
	for (size_t i = 0; i < w->n; ) {
		size_t j = i;

		while (j < w->n && strcmp(kinds[j], kinds[i]) == 0)
			j++;
		fp_buf_printf(&b, "%s%s=%zu", i > 0 ? " " : "", kinds[i],
		    j - i);
		i = j;
	}
	for (size_t i = 0; i < w->n; i++)
		free(kinds[i]);
	free(kinds);
	return fp_buf_detach(&b);
}

/* The first written event of the kind that expected has. */
static const char *
first_of_kind(const struct written *w, const char *expected)
{
	const char *k, *want;
	size_t len = kind_of(expected, &want), klen;

	for (size_t i = 0; i < w->n; i++) {
		klen = kind_of(w->events[i], &k);
		if (klen == len && memcmp(k, want, len) == 0)
			return w->events[i];
	}
	return "";
}

static void
check_case(const struct vendor_case *vc)
{
	struct fp_line_stats st;
	struct fp_import_opts opts = { .host = "gw", .year = 2026,
	    .stats = &st };
	struct written w = { 0 };
	struct fp_sink sink = { 0 };
	char *path, *stats, *counts;
	int rc;

	sink.ctx = &w;
	sink.event = write_event;
	sink.warn = ignore_warning;
	opts.skip_bad = vc->skip_bad;
	opts.display_name = vc->file;
	path = xasprintf("%s/tests/data/syslog/%s", srcdir, vc->file);
	rc = fp_importer_syslog.run(path, &opts, &sink);
	if (rc != 0)
		fail_msg("%s: %s", vc->file, fp_errmsg());

	stats = xasprintf("lines %ld bad %ld continued %ld unmatched %ld "
	    "ike %ld untimed %ld", st.lines, st.bad, st.continued,
	    st.unmatched, st.unmatched_ike, st.untimed);
	assert_string_equal(stats, vc->stats);
	counts = count_kinds(&w);
	assert_string_equal(counts, vc->counts);
	for (size_t i = 0; vc->first[i] != NULL; i++)
		assert_string_equal(first_of_kind(&w, vc->first[i]),
		    vc->first[i]);

	for (size_t i = 0; i < w.n; i++)
		free(w.events[i]);
	free(w.events);
	free(stats);
	free(counts);
	free(path);
}

static const char *const barracuda_cloudgen_vpn_sekoia_first[] = {
	"2 - barracuda tunnel_down gw conn=IPSEC-v2-EXAMPLE "
	    "detail=no transport",
	NULL
};

static const char *const checkpoint_vpn_ike_wazuh_first[] = {
	"4 2019-05-15T16:27:08.000000Z checkpoint ike_sa_deleted "
	    "HOSTNAME direction=received peer_addr=198.18.1.66 "
	    "ike_spi_i=891f38892b0e6bd6 ike_spi_r=d71409f32c496d13",
	"1 2019-05-15T16:26:19.000000Z checkpoint proposal_mismatch "
	    "HOSTNAME direction=sent conn=partnerb.example "
	    "peer_addr=198.18.1.66 ike_spi_i=ec39c6c9c5d3669c "
	    "detail=Main Mode Failed to match proposal: Transform: "
	    "AES-256, SHA256, Pre-shared secret, Group 2 (1024 bit); "
	    "Reason: Wrong value for: Hash Algorithm",
	NULL
};

static const char *const checkpoint_vpn_keyinstall_sekoia_first[] = {
	"1 2021-04-12T18:43:20.000000Z checkpoint "
	    "child_sa_established gw conn=Lab_to_Foo "
	    "peer_addr=198.18.7.1 ike_spi_i=c1d26a716fed4717 "
	    "ike_spi_r=6b57dcc95790f11f detail=Quick Mode completion "
	    "[UDP (IPv4)\\].",
	NULL
};

static const char *const cisco_asa_decap_policy_mismatch_tracked_route_blog_first[] = {
	NULL
};

static const char *const cisco_asa_ftd_failover_wazuh_first[] = {
	"1 - cisco-asa ha_failover gw detail=Lost Failover "
	    "communications with mate on interface WLC-LAN_inside",
	NULL
};

static const char *const cisco_asa_ftd_vpn_sekoia_first[] = {
	"6 - cisco-asa cert_invalid gw direction=sent "
	    "peer_id=UID=U11111111,CN=JOHN DOE,OU=Unit,O=URAAA,C=US "
	    "detail=no certificate map matched",
	"7 - cisco-asa dpd_timeout gw conn=EXAMPLE "
	    "peer_addr=198.18.7.1 peer_id=Username detail=SVC DPD "
	    "failure",
	"3 - cisco-asa ike_auth_failed gw direction=sent "
	    "local_addr=198.18.14.2 peer_addr=198.18.7.1 "
	    "peer_id=Username detail=Failed to authenticate the IKE SA",
	"5 - cisco-asa ike_sa_deleted gw conn=EXAMPLE "
	    "peer_addr=198.18.7.1 peer_id=Username detail=Idle Timeout",
	"1 - cisco-asa ike_sa_established gw local_addr=198.18.14.2 "
	    "peer_addr=198.18.7.1 peer_id=admin detail=New Connection "
	    "Established",
	"2 - cisco-asa proposal_mismatch gw direction=sent "
	    "local_addr=198.18.14.2 peer_addr=HOSTNAME peer_id=User1 "
	    "notify=TS_UNACCEPTABLE detail=There was no IPSEC policy "
	    "found for received TS",
	NULL
};

static const char *const cisco_asa_ikev1_l2l_debug_establish_blog_first[] = {
	"80 2010-05-23T13:15:26.000000Z cisco-asa "
	    "child_sa_established gw conn=198.18.29.22 "
	    "peer_addr=198.18.29.22 spi_in=850a79e0 spi_out=2cc7158d "
	    "detail=Initiator",
	"2 2010-05-23T13:15:25.000000Z cisco-asa ike_init_sent gw "
	    "direction=sent peer_addr=198.18.29.22 detail=713041",
	"8 2010-05-23T13:15:25.000000Z cisco-asa ike_message gw "
	    "direction=sent peer_addr=198.18.29.22 detail=0",
	"50 2010-05-23T13:15:26.000000Z cisco-asa "
	    "ike_sa_established gw conn=198.18.29.22 "
	    "peer_addr=198.18.29.22 detail=713119",
	NULL
};

static const char *const cisco_asa_ikev1_mm_wait_msg4_invalid_cookie_blog_first[] = {
	"2 2010-06-10T17:36:05.000000Z cisco-asa ike_init_sent gw "
	    "direction=sent peer_addr=233.22.22.233 detail=713041",
	"7 2010-06-10T17:36:05.000000Z cisco-asa ike_message gw "
	    "direction=sent peer_addr=233.22.22.233 detail=0",
	"28 2010-06-10T17:36:13.000000Z cisco-asa invalid_spi gw "
	    "direction=received peer_addr=233.22.22.233 "
	    "notify=INVALID_COOKIE detail=unknown IKE SPI",
	"25 2010-06-10T17:36:13.000000Z cisco-asa retransmit gw "
	    "direction=sent peer_addr=233.22.22.233 detail=0",
	NULL
};

static const char *const cisco_asa_ipsec_datapath_patterns_first[] = {
	"3 - cisco-asa child_sa_established gw "
	    "local_addr=198.18.40.178 peer_addr=192.168.2.2 "
	    "peer_id=admin spi_out=f81283 detail=outbound",
	"2 - cisco-asa replay_check_failed gw direction=received "
	    "local_addr=10.10.1.1 peer_addr=198.18.39.4 spi_in=1b86506b "
	    "detail=0x28B",
	NULL
};

static const char *const cisco_asa_l2l_cryptomap_reject_blog_first[] = {
	"6 2014-12-04T12:37:51.000000Z cisco-asa ike_sa_deleted gw "
	    "conn=198.18.9.100 peer_addr=198.18.9.100 "
	    "peer_id=198.18.9.100 detail=crypto map policy not found",
	"1 2014-12-04T12:37:51.000000Z cisco-asa ike_sa_established "
	    "gw conn=198.18.9.100 peer_addr=198.18.9.100 detail=713119",
	"2 2014-12-04T12:37:51.000000Z cisco-asa proposal_mismatch "
	    "gw direction=sent conn=198.18.9.100 peer_addr=198.18.9.100 "
	    "detail=no matching crypto map entry for remote proxy "
	    "0.0.0.0/0.0.0.0/0/0 local proxy 0.0.0.0/0.0.0.0/0/0 on "
	    "interface OUTSIDE",
	NULL
};

static const char *const cisco_asa_l2l_establish_ukfast_docs_first[] = {
	"4 2017-08-24T16:58:43.000000Z cisco-asa "
	    "child_sa_established gw conn=198.18.8.24 "
	    "peer_addr=198.18.8.24 spi_in=2b4a1133 spi_out=ce8c73ac "
	    "detail=Responder",
	"2 2017-08-24T16:58:42.000000Z cisco-asa ike_sa_established "
	    "gw conn=198.18.8.24 peer_addr=198.18.8.24 detail=713119",
	NULL
};

static const char *const cisco_vpn3000_concentrator_ike_wazuh_first[] = {
	"19 2005-04-06T10:07:08.170000Z cisco-vpn3000 "
	    "ike_auth_failed gw direction=sent peer_addr=198.18.42.212 "
	    "detail=Unspecified",
	"1 2005-06-01T19:05:22.120000Z cisco-vpn3000 ike_message gw "
	    "direction=received peer_addr=198.18.10.78 msgid=0",
	"16 2005-06-01T19:05:22.570000Z cisco-vpn3000 tunnel_up gw "
	    "peer_addr=198.18.10.78",
	NULL
};

static const char *const clavister_ike_ipsec_ha_first[] = {
	"2 - clavister child_sa_rekeyed gw "
	    "conn=VPN_EXAMPLE_INTRANET local_addr=198.18.4.4 "
	    "peer_addr=198.18.4.4 spi_in=11111111 spi_out=22222222",
	"3 - clavister ike_sa_deleted gw conn=VPN_EXAMPLE "
	    "local_addr=198.18.4.4 peer_addr=198.18.11.8",
	"1 - clavister ike_sa_established gw local_addr=198.18.4.4 "
	    "peer_addr=198.18.11.8 ike_spi_i=6de8b28f11c541ad "
	    "ike_spi_r=6662761c9f754ed5 detail=rekeyed",
	"4 - clavister negotiation_timeout gw conn=VPN_JOHN_DOE "
	    "peer_addr=198.18.11.8 detail=Timed out",
	NULL
};

static const char *const forcepoint_ngfw_vpn_sekoia_first[] = {
	"1 2025-08-06T14:13:16.000000Z forcepoint ike_init_sent gw "
	    "direction=sent detail=tunnel 1082097949",
	NULL
};

static const char *const fortinet_fortigate_ipsec_elastic_first[] = {
	"2 2020-04-23T17:32:31.000000Z fortinet ike_init_sent gw "
	    "direction=sent conn=elasticvpn local_addr=198.18.6.13 "
	    "peer_addr=198.18.6.13 detail=main",
	"1 2020-04-23T17:32:47.000000Z fortinet proposal_mismatch "
	    "gw direction=sent conn=N/A local_addr=198.18.6.13 "
	    "peer_addr=198.18.6.13 detail=peer SA proposal not match "
	    "local policy",
	NULL
};

static const char *const fortinet_fortigate_ipsec_tunnel_up_issues_first[] = {
	"1 2020-07-01T09:03:38.000000Z fortinet tunnel_up "
	    "10.255.252.1 conn=xxx local_addr=y.y.y.y peer_addr=x.x.x.x "
	    "ike_spi_i=3f8b1600adbec9bb ike_spi_r=a6a690dea8aa6367",
	NULL
};

static const char *const fortinet_fortigate_vpn_ha_wazuh_first[] = {
	"1 2016-06-15T10:42:31.000000Z fortinet dpd_timeout gw "
	    "conn=BW local_addr=198.18.45.1 peer_addr=198.18.4.4 "
	    "detail=DPD failure",
	"3 2019-05-10T09:53:18.000000Z fortinet ha_failover gw "
	    "detail=Virtual cluster detected member join",
	NULL
};

static const char *const fortinet_fortigate_vpn_sekoia_first[] = {
	NULL
};

static const char *const juniper_netscreen_nsrp_ha_events_blog_first[] = {
	"1 2014-08-25T14:03:39.000000Z juniper-netscreen "
	    "ha_failover gw detail=ethernet2.",
	NULL
};

static const char *const juniper_srx_kmd_elastic_first[] = {
	"1 2023-05-04T05:27:30.846000Z juniper-srx "
	    "child_sa_established AB1234-ABC2-AB-AB01C-ABC "
	    "local_addr=198.18.5.112 peer_addr=198.18.6.0 "
	    "detail=outbound",
	"6 2023-07-04T00:21:11.590000Z juniper-srx "
	    "ike_sa_established AC004-PR-VPN01-DMZ "
	    "conn=IPSEC-PARTNERB-TUN1-PROD-VPN local_addr=10.8.10.115 "
	    "peer_addr=198.18.5.112 local_id=198.18.3.192 "
	    "peer_id=198.18.5.112 detail=Responder",
	"3 2023-05-04T05:19:33.984000Z juniper-srx "
	    "negotiation_timeout AB1234-A-AB-AB01C-ABC "
	    "conn=IPSEC-AAAAA-AAA1-PROD-VPN local_addr=198.18.5.112 "
	    "peer_addr=198.18.6.1 detail=Timed out",
	"7 2023-07-04T01:48:31.702000Z juniper-srx "
	    "proposal_mismatch AC004-PR-VPN01-DMZ direction=sent "
	    "conn=IPSEC-INT-ORMB-TUN2-VPN local_addr=10.32.64.128 "
	    "peer_addr=198.18.5.112 notify=TS_UNACCEPTABLE detail=Peer "
	    "proposed traffic-selectors are not in configured range",
	"12 2023-05-08T04:25:07.466000Z juniper-srx tunnel_down "
	    "AB1234-A-AB-AB01C-ABC conn=st0.60 detail=st0 link down",
	"11 2023-05-09T13:03:52.466000Z juniper-srx tunnel_up "
	    "AB1234-A-AB-AB01C-ABC conn=st0.60 detail=st0 link up",
	NULL
};

static const char *const keepalived_vrrp_transitions_issues_first[] = {
	"2 2026-07-08T10:25:14.000000Z keepalived ha_failover "
	    "SERVER2 conn=vi_2 detail=BACKUP",
	"73 2026-12-01T17:20:29.000000Z keepalived operator_reset "
	    "bran detail=v2.0.19",
	NULL
};

static const char *const libreswan_auth_cert_failures_first[] = {
	"24 - libreswan cert_invalid gw direction=sent conn=east "
	    "peer_id=E=testing@example.com,CN=Libreswan test CA for "
	    "mainca,OU=Test "
	    "Department,O=Libreswan,L=Toronto,ST=Ontario,C=CA "
	    "detail=SEC_ERROR_REVOKED_CERTIFICATE",
	"13 - libreswan child_sa_deleted gw conn=nss-cert-correct "
	    "detail=in=0B out=0B",
	"10 - libreswan child_sa_established gw "
	    "conn=nss-cert-correct",
	"20 - libreswan ike_auth_failed gw direction=sent "
	    "conn=nss-cert-incorrect detail=peer ID DER_ASN1_DN "
	    "'E=user-east@testing.example.com,CN=east.testing.libreswan.org,OU=Test "
	    "Department,O=Libreswan,L=Toronto,ST=Ontario,C=CA' does not "
	    "match expected 'C=CA, ST=Ontario, L=Toronto, O=Libreswan, "
	    "OU=Test Department, CN=road.testing.libreswan.org, "
	    "E=user-road@testing.example.com'",
	"4 - libreswan ike_init_sent gw direction=sent "
	    "conn=nss-cert-correct peer_addr=203.0.113.23 detail=2",
	"5 - libreswan ike_message gw direction=sent "
	    "conn=nss-cert-correct peer_addr=203.0.113.23 "
	    "exchange=IKE_SA_INIT resp=0",
	"14 - libreswan ike_sa_deleted gw conn=nss-cert-correct "
	    "detail=established IKE SA",
	"9 - libreswan ike_sa_established gw conn=nss-cert-correct "
	    "peer_id=C=CA, ST=Ontario, L=Toronto, O=Libreswan, OU=Test "
	    "Department, CN=east.testing.libreswan.org, "
	    "E=user-east@testing.example.com detail=initiator",
	"46 - libreswan negotiation_timeout gw conn=nss-cert-crl "
	    "exchange=STATE_MAIN_I3 detail=30 second timeout exceeded "
	    "after 0 retransmits",
	"11 - libreswan operator_reset gw conn=nss-cert-correct "
	    "detail=ipsec down",
	NULL
};

static const char *const libreswan_dpd_liveness_first[] = {
	"65 - libreswan child_sa_deleted gw "
	    "conn=westnet-eastnet-ipv4-psk-ikev2 detail=in=84B out=84B",
	"2 - libreswan child_sa_established gw conn=west-east",
	"3 - libreswan dpd_timeout gw conn=west-east "
	    "detail=clearing connection kind CK_PERMANENT",
	"5 - libreswan ike_init_sent gw direction=sent "
	    "conn=west-east detail=1",
	"6 - libreswan ike_message gw direction=sent conn=west-east "
	    "exchange=ID_PROT resp=0",
	"11 - libreswan ike_sa_established gw conn=west-east "
	    "detail=auth=RSA_SIG cipher=AES_CBC_256 integ=HMAC_SHA2_256 "
	    "group=MODP2048",
	"68 - libreswan retransmit gw direction=sent "
	    "conn=westnet-eastnet-ipv4-psk-ikev2 "
	    "detail=ESTABLISHED_IKE_SA",
	NULL
};

static const char *const libreswan_ikev1_lifecycle_first[] = {
	"11 - libreswan child_sa_established gw "
	    "conn=westnet-eastnet-ipv4-psk-ikev2",
	"3 - libreswan ike_init_sent gw direction=sent "
	    "conn=westnet-eastnet-ipv4-psk-ikev2 detail=1",
	"4 - libreswan ike_message gw direction=sent "
	    "conn=westnet-eastnet-ipv4-psk-ikev2 exchange=ID_PROT "
	    "resp=0",
	"8 - libreswan ike_sa_established gw "
	    "conn=westnet-eastnet-ipv4-psk-ikev2 "
	    "detail=auth=PRESHARED_KEY cipher=AES_CBC_256 "
	    "integ=HMAC_SHA2_256 group=MODP2048",
	NULL
};

static const char *const libreswan_ikev2_lifecycle_first[] = {
	"49 - libreswan child_sa_deleted gw "
	    "conn=westnet-eastnet-ikev2a detail=in=84B out=84B",
	"9 - libreswan child_sa_established gw "
	    "conn=westnet-eastnet-ipv4-psk-ikev2",
	"46 - libreswan child_sa_rekeyed gw "
	    "conn=westnet-eastnet-ikev2a",
	"3 - libreswan ike_init_sent gw direction=sent "
	    "conn=westnet-eastnet-ipv4-psk-ikev2 peer_addr=203.0.113.23 "
	    "detail=2",
	"4 - libreswan ike_message gw direction=sent "
	    "conn=westnet-eastnet-ipv4-psk-ikev2 peer_addr=203.0.113.23 "
	    "exchange=IKE_SA_INIT resp=0",
	"22 - libreswan ike_sa_deleted gw conn=west "
	    "detail=ESTABLISHED_IKE_SA",
	"8 - libreswan ike_sa_established gw "
	    "conn=westnet-eastnet-ipv4-psk-ikev2 peer_id=@east "
	    "detail=initiator",
	"67 - libreswan operator_reset gw "
	    "conn=westnet-eastnet-ipv4-psk-ikev2 detail=ipsec down",
	"85 - libreswan retransmit gw direction=received "
	    "conn=westnet-eastnet-ipv4-psk-ikev2 exchange=IKE_SA_INIT",
	NULL
};

static const char *const libreswan_nat_t_first[] = {
	"45 - libreswan child_sa_deleted gw conn=road-eastnet-ikev2 "
	    "detail=in=84B out=84B",
	"14 - libreswan child_sa_established gw "
	    "conn=northnet-eastnet-nat",
	"3 - libreswan ike_init_sent gw direction=sent "
	    "conn=northnet-eastnet-nat detail=1",
	"4 - libreswan ike_message gw direction=sent "
	    "conn=northnet-eastnet-nat exchange=ID_PROT resp=0",
	"25 - libreswan ike_sa_deleted gw direction=received "
	    "conn=road-eastnet-ikev2 detail=revival after the peer's "
	    "delete",
	"11 - libreswan ike_sa_established gw "
	    "conn=northnet-eastnet-nat detail=auth=RSA_SIG "
	    "cipher=AES_CBC_256 integ=HMAC_SHA2_256 group=MODP2048",
	"14 - libreswan nat_detected gw conn=northnet-eastnet-nat "
	    "peer_addr=203.0.113.23 detail=NAT-T",
	"43 - libreswan operator_reset gw conn=road-eastnet-ikev2 "
	    "detail=ipsec down",
	NULL
};

static const char *const libreswan_negotiation_failures_first[] = {
	"36 - libreswan child_sa_deleted gw "
	    "conn=westnet-eastnet-ipv4-psk-ikev1 detail=QUICK_I1",
	"60 - libreswan child_sa_established gw "
	    "conn=road-eastnet-ikev2",
	"3 - libreswan ike_init_sent gw direction=sent "
	    "conn=westnet-eastnet detail=1",
	"4 - libreswan ike_message gw direction=sent "
	    "conn=westnet-eastnet exchange=ID_PROT resp=0",
	"6 - libreswan ike_sa_deleted gw conn=westnet-eastnet "
	    "detail=MAIN_I1",
	"21 - libreswan ike_sa_established gw "
	    "conn=westnet-eastnet-mismatch peer_id=@east "
	    "detail=initiator",
	"60 - libreswan nat_detected gw conn=road-eastnet-ikev2 "
	    "peer_addr=203.0.113.23 detail=NAT-T",
	"50 - libreswan negotiation_timeout gw "
	    "conn=road-eastnet-ikev2 exchange=IKE_SA_INIT_I detail=5 "
	    "second timeout exceeded after 4 retransmits",
	"9 - libreswan proposal_mismatch gw direction=received "
	    "conn=westnet-eastnet-ikev2 exchange=IKE_SA_INIT "
	    "notify=NO_PROPOSAL_CHOSEN",
	"42 - libreswan retransmit gw direction=sent "
	    "conn=road-eastnet-ikev2 exchange=IKE_SA_INIT resp=0",
	NULL
};

static const char *const libreswan_pluto_syslog_issues_first[] = {
	"13 2026-11-18T14:50:32.105566Z libreswan child_sa_deleted "
	    "gw conn=peerl-peerdpt2 detail=STATE_QUICK_R2",
	"16 2026-11-18T14:50:42.172228Z libreswan dpd_timeout gw "
	    "conn=peerl-peerdpt2 detail=restarting all connections that "
	    "share this peer",
	"74 2026-07-31T11:48:45.000000Z libreswan ike_auth_failed "
	    "Family direction=sent conn=l2tp-psk detail=Peer ID "
	    "'CN=myClient, O=Example' mismatched on first found "
	    "connection",
	"51 2026-07-15T11:01:44.000000Z libreswan ike_init_received "
	    "adm06vm01 direction=received "
	    "conn=private-or-clear#198.18.13.0/24 peer_addr=198.18.13.4",
	"37 2026-06-18T04:06:52.629727Z libreswan ike_message gw "
	    "direction=sent conn=partner-x/0x4 exchange=ID_PROT resp=0",
	"3 2026-07-04T08:54:38.000000Z libreswan ike_sa_deleted gw "
	    "conn=/1x3 detail=STATE_V2_PARENT_R1",
	"42 2026-06-18T04:06:53.201937Z libreswan "
	    "ike_sa_established gw conn=partner-x/0x4 "
	    "detail=auth=PRESHARED_KEY cipher=aes_256 integ=sha "
	    "group=MODP1536",
	"2 2026-07-04T08:54:38.000000Z libreswan "
	    "negotiation_timeout gw conn=/1x3 detail=deleting "
	    "incomplete state after 200 seconds",
	"59 2026-07-01T16:06:41.000000Z libreswan "
	    "peer_config_missing 475be817578b local_addr=172.17.0.2 "
	    "peer_addr=198.18.19.57 detail=no suitable connection",
	"22 2026-04-29T11:30:35.781481Z libreswan proposal_mismatch "
	    "gw direction=received conn=office_ipsec/3x0 "
	    "notify=NO_PROPOSAL_CHOSEN",
	"1 2026-07-04T08:54:38.000000Z libreswan retransmit gw "
	    "direction=received conn=/1x3 exchange=IKE_SA_INIT",
	NULL
};

static const char *const paloalto_panos_ike_delete_layer3_first[] = {
	"1 2019-10-19T15:39:29.000000Z paloalto child_sa_deleted "
	    "NY-DC-FW-2.example.com direction=sent conn=To-FOO-BAR-NET "
	    "spi_in=a1cd910f",
	NULL
};

static const char *const paloalto_panos_system_vpn_first[] = {
	NULL
};

static const char *const racoon_ipsec_tools_ossec_first[] = {
	"7 2006-08-10T19:22:42.000000Z racoon child_sa_established "
	    "gw detail=ESP/Tunnel 198.18.20.44->198.18.17.194 "
	    "spi=188599340(0xb3dcc2c)",
	"22 2006-08-08T01:42:09.000000Z racoon ike_auth_failed gw "
	    "direction=sent peer_addr=198.18.34.88 detail=no pre-shared "
	    "key for the peer",
	"1 2006-08-10T19:22:40.000000Z racoon ike_init_received gw "
	    "direction=received local_addr=198.18.17.194 "
	    "peer_addr=198.18.20.44",
	"4 2006-08-10T19:22:41.000000Z racoon ike_sa_established gw "
	    "local_addr=198.18.17.114 peer_addr=198.18.20.44 "
	    "ike_spi_i=3ac2d5023f433d3e ike_spi_r=e2d682b6f4fc4830",
	"43 2006-07-22T08:19:43.000000Z racoon proposal_mismatch gw "
	    "direction=sent",
	NULL
};

static const char *const sonicwall_ipsec_antireplay_wazuh_first[] = {
	"1 2019-03-14T16:37:19.000000Z sonicwall "
	    "replay_check_failed gw direction=received "
	    "local_addr=172.29.168.2 peer_addr=198.18.35.2 "
	    "detail=Replay check failure",
	NULL
};

static const char *const stormshield_vpn_ike_first[] = {
	"2 2023-07-03T16:20:02.000000Z stormshield child_sa_deleted "
	    "gw direction=sent conn=vpn_sekoia local_addr=198.18.51.11 "
	    "peer_addr=198.18.29.22 spi_in=c848d405 spi_out=c287574b",
	"1 2023-07-04T09:27:09.000000Z stormshield nat_detected gw "
	    "local_addr=198.18.50.33 peer_addr=198.18.36.44 "
	    "ike_spi_i=3b77dce129c457dc ike_spi_r=57dd9eabc5b7f8dd "
	    "detail=Local NAT detected",
	NULL
};

static const char *const strongswan_charon_ikev2_rekey_delete_docker_first[] = {
	"111 - strongswan cert_invalid gw direction=sent "
	    "detail=certificate status is not available",
	"271 - strongswan child_sa_deleted gw spi_in=cd5c1aef "
	    "spi_out=cb0c1fd9 detail=net",
	"119 - strongswan child_sa_established gw spi_in=cd5c1aef "
	    "spi_out=cb0c1fd9 detail=net",
	"207 - strongswan child_sa_rekeyed gw "
	    "detail=ESP/0xcb0c1fd9/192.168.0.2",
	"2 - strongswan ike_init_sent gw direction=sent conn=home "
	    "peer_addr=192.168.0.2",
	"3 - strongswan ike_message gw direction=sent "
	    "exchange=IKE_SA_INIT msgid=0 resp=0",
	"443 - strongswan ike_sa_deleted gw conn=home "
	    "local_addr=192.168.0.3 peer_addr=192.168.0.2 "
	    "local_id=carol@example.com peer_id=moon.strongswan.org "
	    "detail=deleting",
	"115 - strongswan ike_sa_established gw conn=home "
	    "local_addr=192.168.0.3 peer_addr=192.168.0.2 "
	    "local_id=carol@example.com peer_id=moon.strongswan.org",
	NULL
};

static const struct vendor_case cases[] = {
	{ "barracuda-cloudgen-vpn-sekoia.log", 0,
	    "lines 2 bad 0 continued 0 unmatched 1 ike 1 untimed 1",
	    "tunnel_down=1",
	    barracuda_cloudgen_vpn_sekoia_first },
	{ "checkpoint-vpn-ike-wazuh.log", 1,
	    "lines 5 bad 2 continued 0 unmatched 1 ike 1 untimed 0",
	    "ike_sa_deleted=1 proposal_mismatch=1",
	    checkpoint_vpn_ike_wazuh_first },
	{ "checkpoint-vpn-keyinstall-sekoia.log", 0,
	    "lines 1 bad 0 continued 0 unmatched 0 ike 0 untimed 0",
	    "child_sa_established=1",
	    checkpoint_vpn_keyinstall_sekoia_first },
	{ "cisco-asa-decap-policy-mismatch-tracked-route-blog.log", 1,
	    "lines 4 bad 2 continued 0 unmatched 2 ike 1 untimed 0",
	    "",
	    cisco_asa_decap_policy_mismatch_tracked_route_blog_first },
	{ "cisco-asa-ftd-failover-wazuh.log", 0,
	    "lines 6 bad 0 continued 0 unmatched 2 ike 2 untimed 4",
	    "ha_failover=4",
	    cisco_asa_ftd_failover_wazuh_first },
	{ "cisco-asa-ftd-vpn-sekoia.log", 0,
	    "lines 8 bad 0 continued 0 unmatched 1 ike 1 untimed 7",
	    "cert_invalid=1 dpd_timeout=1 ike_auth_failed=1 "
	    "ike_sa_deleted=1 ike_sa_established=1 proposal_mismatch=2",
	    cisco_asa_ftd_vpn_sekoia_first },
	{ "cisco-asa-ikev1-l2l-debug-establish-blog.log", 0,
	    "lines 89 bad 0 continued 2 unmatched 72 ike 23 untimed 0",
	    "child_sa_established=3 ike_init_sent=1 ike_message=10 "
	    "ike_sa_established=1",
	    cisco_asa_ikev1_l2l_debug_establish_blog_first },
	{ "cisco-asa-ikev1-mm-wait-msg4-invalid-cookie-blog.log", 0,
	    "lines 29 bad 0 continued 0 unmatched 21 ike 4 untimed 0",
	    "ike_init_sent=1 ike_message=5 invalid_spi=1 retransmit=1",
	    cisco_asa_ikev1_mm_wait_msg4_invalid_cookie_blog_first },
	{ "cisco-asa-ipsec-datapath-patterns.log", 0,
	    "lines 4 bad 0 continued 0 unmatched 1 ike 1 untimed 2",
	    "child_sa_established=1 replay_check_failed=2",
	    cisco_asa_ipsec_datapath_patterns_first },
	{ "cisco-asa-l2l-cryptomap-reject-blog.log", 0,
	    "lines 6 bad 0 continued 0 unmatched 3 ike 0 untimed 0",
	    "ike_sa_deleted=1 ike_sa_established=1 proposal_mismatch=1",
	    cisco_asa_l2l_cryptomap_reject_blog_first },
	{ "cisco-asa-l2l-establish-ukfast-docs.log", 0,
	    "lines 7 bad 0 continued 0 unmatched 3 ike 2 untimed 0",
	    "child_sa_established=3 ike_sa_established=1",
	    cisco_asa_l2l_establish_ukfast_docs_first },
	{ "cisco-vpn3000-concentrator-ike-wazuh.log", 0,
	    "lines 20 bad 0 continued 0 unmatched 16 ike 6 untimed 0",
	    "ike_auth_failed=1 ike_message=2 tunnel_up=1",
	    cisco_vpn3000_concentrator_ike_wazuh_first },
	{ "clavister-ike-ipsec-ha.log", 0,
	    "lines 6 bad 0 continued 0 unmatched 2 ike 2 untimed 4",
	    "child_sa_rekeyed=1 ike_sa_deleted=1 ike_sa_established=1 "
	    "negotiation_timeout=1",
	    clavister_ike_ipsec_ha_first },
	{ "forcepoint-ngfw-vpn-sekoia.log", 0,
	    "lines 1 bad 0 continued 0 unmatched 0 ike 0 untimed 0",
	    "ike_init_sent=1",
	    forcepoint_ngfw_vpn_sekoia_first },
	{ "fortinet-fortigate-ipsec-elastic.log", 0,
	    "lines 4 bad 0 continued 0 unmatched 0 ike 0 untimed 0",
	    "ike_init_sent=3 proposal_mismatch=1",
	    fortinet_fortigate_ipsec_elastic_first },
	{ "fortinet-fortigate-ipsec-tunnel-up-issues.log", 0,
	    "lines 2 bad 0 continued 0 unmatched 0 ike 0 untimed 0",
	    "tunnel_up=2",
	    fortinet_fortigate_ipsec_tunnel_up_issues_first },
	{ "fortinet-fortigate-vpn-ha-wazuh.log", 0,
	    "lines 3 bad 0 continued 0 unmatched 1 ike 1 untimed 0",
	    "dpd_timeout=1 ha_failover=1",
	    fortinet_fortigate_vpn_ha_wazuh_first },
	{ "fortinet-fortigate-vpn-sekoia.log", 0,
	    "lines 3 bad 0 continued 0 unmatched 3 ike 3 untimed 0",
	    "",
	    fortinet_fortigate_vpn_sekoia_first },
	{ "juniper-netscreen-nsrp-ha-events-blog.log", 0,
	    "lines 12 bad 0 continued 6 unmatched 0 ike 0 untimed 0",
	    "ha_failover=6",
	    juniper_netscreen_nsrp_ha_events_blog_first },
	{ "juniper-srx-kmd-elastic.log", 0,
	    "lines 15 bad 0 continued 0 unmatched 5 ike 0 untimed 0",
	    "child_sa_established=2 ike_sa_established=1 "
	    "negotiation_timeout=4 proposal_mismatch=1 tunnel_down=1 "
	    "tunnel_up=1",
	    juniper_srx_kmd_elastic_first },
	{ "keepalived-vrrp-transitions-issues.log", 0,
	    "lines 85 bad 0 continued 0 unmatched 64 ike 23 untimed 0",
	    "ha_failover=20 operator_reset=1",
	    keepalived_vrrp_transitions_issues_first },
	{ "libreswan-auth-cert-failures.log", 0,
	    "lines 110 bad 0 continued 0 unmatched 37 ike 21 untimed 73",
	    "cert_invalid=10 child_sa_deleted=1 child_sa_established=1 "
	    "ike_auth_failed=8 ike_init_sent=9 ike_message=31 "
	    "ike_sa_deleted=9 ike_sa_established=1 "
	    "negotiation_timeout=2 operator_reset=1",
	    libreswan_auth_cert_failures_first },
	{ "libreswan-dpd-liveness.log", 0,
	    "lines 110 bad 0 continued 0 unmatched 32 ike 26 untimed 78",
	    "child_sa_deleted=1 child_sa_established=18 dpd_timeout=7 "
	    "ike_init_sent=8 ike_message=34 ike_sa_established=8 "
	    "retransmit=2",
	    libreswan_dpd_liveness_first },
	{ "libreswan-ikev1-lifecycle.log", 0,
	    "lines 37 bad 0 continued 0 unmatched 14 ike 10 untimed 23",
	    "child_sa_established=4 ike_init_sent=4 ike_message=12 "
	    "ike_sa_established=3",
	    libreswan_ikev1_lifecycle_first },
	{ "libreswan-ikev2-lifecycle.log", 0,
	    "lines 94 bad 0 continued 0 unmatched 22 ike 22 untimed 72",
	    "child_sa_deleted=8 child_sa_established=8 "
	    "child_sa_rekeyed=6 ike_init_sent=6 ike_message=30 "
	    "ike_sa_deleted=4 ike_sa_established=8 operator_reset=1 "
	    "retransmit=1",
	    libreswan_ikev2_lifecycle_first },
	{ "libreswan-nat-t.log", 0,
	    "lines 47 bad 0 continued 0 unmatched 12 ike 8 untimed 41",
	    "child_sa_deleted=1 child_sa_established=6 ike_init_sent=4 "
	    "ike_message=17 ike_sa_deleted=2 ike_sa_established=4 "
	    "nat_detected=6 operator_reset=1",
	    libreswan_nat_t_first },
	{ "libreswan-negotiation-failures.log", 0,
	    "lines 63 bad 0 continued 0 unmatched 17 ike 13 untimed 47",
	    "child_sa_deleted=2 child_sa_established=1 ike_init_sent=6 "
	    "ike_message=15 ike_sa_deleted=5 ike_sa_established=3 "
	    "nat_detected=1 negotiation_timeout=1 proposal_mismatch=9 "
	    "retransmit=4",
	    libreswan_negotiation_failures_first },
	{ "libreswan-pluto-syslog-issues.log", 0,
	    "lines 89 bad 0 continued 0 unmatched 43 ike 15 untimed 0",
	    "child_sa_deleted=6 dpd_timeout=2 ike_auth_failed=6 "
	    "ike_init_received=2 ike_message=9 ike_sa_deleted=4 "
	    "ike_sa_established=1 negotiation_timeout=2 "
	    "peer_config_missing=1 proposal_mismatch=7 retransmit=7",
	    libreswan_pluto_syslog_issues_first },
	{ "paloalto-panos-ike-delete-layer3.log", 0,
	    "lines 1 bad 0 continued 0 unmatched 0 ike 0 untimed 0",
	    "child_sa_deleted=1",
	    paloalto_panos_ike_delete_layer3_first },
	{ "paloalto-panos-system-vpn.log", 0,
	    "lines 33 bad 0 continued 0 unmatched 33 ike 31 untimed 0",
	    "",
	    paloalto_panos_system_vpn_first },
	{ "racoon-ipsec-tools-ossec.log", 0,
	    "lines 45 bad 0 continued 0 unmatched 33 ike 6 untimed 0",
	    "child_sa_established=4 ike_auth_failed=1 "
	    "ike_init_received=4 ike_sa_established=2 "
	    "proposal_mismatch=1",
	    racoon_ipsec_tools_ossec_first },
	{ "sonicwall-ipsec-antireplay-wazuh.log", 0,
	    "lines 2 bad 0 continued 0 unmatched 0 ike 0 untimed 0",
	    "replay_check_failed=2",
	    sonicwall_ipsec_antireplay_wazuh_first },
	{ "stormshield-vpn-ike.log", 0,
	    "lines 2 bad 0 continued 0 unmatched 0 ike 0 untimed 0",
	    "child_sa_deleted=1 nat_detected=1",
	    stormshield_vpn_ike_first },
	{ "strongswan-charon-ikev2-rekey-delete-docker.log", 0,
	    "lines 449 bad 0 continued 0 unmatched 382 ike 107 untimed "
	    "67",
	    "cert_invalid=1 child_sa_deleted=8 child_sa_established=4 "
	    "child_sa_rekeyed=4 ike_init_sent=2 ike_message=43 "
	    "ike_sa_deleted=3 ike_sa_established=2",
	    strongswan_charon_ikev2_rekey_delete_docker_first },
};

static void
vendor_samples(void **state)
{
	size_t n = sizeof(cases) / sizeof(cases[0]);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		print_message("%s\n", cases[i].file);
		check_case(&cases[i]);
	}
}

/* A file that starts with a time stamp and then has bare lines fails as
 * a whole, naming the first bad line, unless bad lines are skipped. */
static void
mixed_framing_fails_without_skip(void **state)
{
	struct fp_import_opts opts = { .host = "gw", .year = 2026 };
	struct written w = { 0 };
	struct fp_sink sink = { 0 };
	char *path = xasprintf("%s/tests/data/syslog/"
	    "cisco-asa-decap-policy-mismatch-tracked-route-blog.log", srcdir);

	(void)state;
	sink.ctx = &w;
	sink.event = write_event;
	sink.warn = ignore_warning;
	opts.display_name = "decap.log";
	assert_int_equal(fp_importer_syslog.run(path, &opts, &sink),
	    FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "'decap.log' line 2: no syslog "
	    "header in \"%ASA-6-622001: Removing tracked"));
	assert_non_null(strstr(fp_errmsg(), "(2 bad lines in all)"));
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
		cmocka_unit_test(vendor_samples),
		cmocka_unit_test(mixed_framing_fails_without_skip),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
