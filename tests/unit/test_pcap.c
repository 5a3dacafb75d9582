/*
 * Tests of the capture importer: whole files from tests/data/pcap through
 * fp_importer_pcap.run() into a sink that keeps every packet, and frames
 * built here through fp_pcap_decode().
 *
 * The counts and field values of the real captures were read with tshark
 * 4.0.17 (Debian 12) from the same files.  The filter behind each number
 * is given beside it.  tshark also decodes the packet quoted inside an
 * ICMP error, so its ESP and IKE counts exclude ICMP.
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
#include "pcap_decode.h"

#define DATA	"tests/data/pcap/"

extern const struct fp_importer fp_importer_pcap;

/* A sink that keeps a copy of every packet, warning and partial note. */
struct capture {
	struct fp_packet *packets;
	size_t count;
	size_t cap;
	long warnings;
	long first_warning;		/* packet number, 0 when none */
	char warning[512];
	int partials;
	char partial[1024];
};

static int
keep_packet(void *ctx, const struct fp_packet *p)
{
	struct capture *c = ctx;

	if (c->count == c->cap) {
		c->cap = c->cap == 0 ? 1024 : c->cap * 2;
		c->packets = xrealloc(c->packets, c->cap * sizeof(*p));
	}
	c->packets[c->count++] = *p;
	return 0;
}

static void
keep_warning(void *ctx, long number, const char *msg)
{
	struct capture *c = ctx;

	if (c->warnings++ == 0) {
		c->first_warning = number;
		snprintf(c->warning, sizeof(c->warning), "%s", msg);
	}
}

static void
keep_partial(void *ctx, const char *why)
{
	struct capture *c = ctx;

	c->partials++;
	snprintf(c->partial, sizeof(c->partial), "%s", why);
}

/* Import path into c; returns what the importer returns. */
static int
import_file(const char *path, int strict, struct capture *c)
{
	struct fp_import_opts opts;
	struct fp_sink sink;

	memset(c, 0, sizeof(*c));
	memset(&sink, 0, sizeof(sink));
	memset(&opts, 0, sizeof(opts));
	sink.ctx = c;
	sink.packet = keep_packet;
	sink.warn = keep_warning;
	sink.partial = keep_partial;
	opts.display_name = fp_basename(path);
	opts.strict = strict;
	fp_clear_error();
	return fp_importer_pcap.run(path, &opts, &sink);
}

static void
capture_free(struct capture *c)
{
	free(c->packets);
	memset(c, 0, sizeof(*c));
}

/* The packet with 1-based number n. */
static const struct fp_packet *
packet(const struct capture *c, long n)
{
	assert_true(n >= 1 && (size_t)n <= c->count);
	assert_int_equal(c->packets[n - 1].number, n);
	return &c->packets[n - 1];
}

static size_t
count_proto(const struct capture *c, enum fp_packet_proto proto)
{
	size_t i, n = 0;

	for (i = 0; i < c->count; i++)
		if (c->packets[i].proto == proto)
			n++;
	return n;
}

static size_t
count_spi(const struct capture *c, uint32_t spi)
{
	size_t i, n = 0;

	for (i = 0; i < c->count; i++)
		if (c->packets[i].proto == FP_PKT_ESP &&
		    c->packets[i].spi == spi)
			n++;
	return n;
}

static size_t
count_exchange(const struct capture *c, int version, int exchange)
{
	size_t i, n = 0;

	for (i = 0; i < c->count; i++)
		if (c->packets[i].proto == FP_PKT_IKE &&
		    c->packets[i].ike_version == version &&
		    c->packets[i].exchange == exchange)
			n++;
	return n;
}

static fp_time
iso(const char *s)
{
	fp_time t;

	assert_int_not_equal(fp_time_parse_iso(s, &t), 0);
	return t;
}

/*
 * Drill A: fwa negotiates with the peer, is killed at 19:49:25.750, and
 * fwb takes over the address and negotiates a new IKE SA at 19:49:28.782.
 */
static void
test_drill_a_counts(void **state)
{
	struct capture c;

	(void)state;
	assert_int_equal(import_file(DATA "drill-A-peer-wan.pcap", 0, &c), 0);
	assert_int_equal(c.count, 5002);		/* capinfos -c */
	/* tshark -Y 'isakmp && !icmp' */
	assert_int_equal(count_proto(&c, FP_PKT_IKE), 10);
	/* tshark -Y 'esp && !icmp' */
	assert_int_equal(count_proto(&c, FP_PKT_ESP), 4970);
	assert_int_equal(count_proto(&c, FP_PKT_ICMP), 9);	/* -Y icmp */
	assert_int_equal(count_proto(&c, FP_PKT_NAT_KEEPALIVE), 0);
	/* 12 ARP and one IGMP packet. */
	assert_int_equal(count_proto(&c, FP_PKT_OTHER), 13);
	/* tshark -Y 'esp && !icmp' -T fields -e esp.spi | sort | uniq -c */
	assert_int_equal(count_spi(&c, 0x89076de4), 1583);
	assert_int_equal(count_spi(&c, 0xcc975eb3), 70);
	assert_int_equal(count_spi(&c, 0x821dcbb0), 162);
	assert_int_equal(count_spi(&c, 0x4fddda66), 3155);
	/* IKE_SA_INIT, IKE_AUTH and INFORMATIONAL, both directions. */
	assert_int_equal(count_exchange(&c, 2, 34), 4);
	assert_int_equal(count_exchange(&c, 2, 35), 4);
	assert_int_equal(count_exchange(&c, 2, 37), 2);
	assert_int_equal(c.warnings, 0);
	assert_int_equal(c.partials, 0);
	capture_free(&c);
}

static void
test_drill_a_ike_sa_init(void **state)
{
	const struct fp_packet *p;
	struct capture c;

	(void)state;
	assert_int_equal(import_file(DATA "drill-A-peer-wan.pcap", 0, &c), 0);

	p = packet(&c, 5);		/* the first IKE_SA_INIT */
	assert_int_equal(p->proto, FP_PKT_IKE);
	assert_int_equal(p->ike_version, 2);
	assert_int_equal(p->exchange, 34);
	assert_string_equal(fp_ike_exchange_name(2, p->exchange),
	    "IKE_SA_INIT");
	assert_int_equal(p->is_initiator, 1);
	assert_int_equal(p->is_response, 0);
	assert_int_equal(p->msgid, 0);
	assert_int_equal(p->udp_encap, 0);
	assert_int_equal(p->sport, 500);
	assert_int_equal(p->dport, 500);
	assert_string_equal(p->ike_spi_i, "8f57db84a5247eae");
	assert_string_equal(p->ike_spi_r, "0000000000000000");
	assert_string_equal(p->src, "198.51.100.10");
	assert_string_equal(p->dst, "198.51.100.1");
	assert_string_equal(p->src_mac, "22:e2:f6:7c:73:ba");	/* fwa */
	assert_int_equal(p->ts, iso("2026-12-04T19:49:12.029848Z"));
	/* The snapshot length of 200 cuts the payloads: no notify. */
	assert_string_equal(p->notify, "");

	p = packet(&c, 6);		/* its response */
	assert_int_equal(p->is_initiator, 0);
	assert_int_equal(p->is_response, 1);
	assert_string_equal(p->ike_spi_r, "7834fd3141ba4f6c");

	p = packet(&c, 7);		/* IKE_AUTH after the NAT-T float */
	assert_int_equal(p->proto, FP_PKT_IKE);
	assert_int_equal(p->exchange, 35);
	assert_int_equal(p->msgid, 1);
	assert_int_equal(p->udp_encap, 1);
	assert_int_equal(p->dport, 4500);

	p = packet(&c, 1676);		/* fwb's IKE_SA_INIT after takeover */
	assert_int_equal(p->exchange, 34);
	assert_int_equal(p->is_initiator, 1);
	assert_string_equal(p->ike_spi_i, "560a6d2fa02de871");
	assert_string_equal(p->src, "198.51.100.10");
	assert_string_equal(p->src_mac, "36:ce:e9:2c:e7:14");	/* fwb */
	assert_int_equal(p->ts, iso("2026-12-04T19:49:28.782224Z"));
	capture_free(&c);
}

/* The old CHILD SA's SPIs end and the new ones start around packet 1676. */
static void
test_drill_a_spis_around_failover(void **state)
{
	const struct fp_packet *p;
	long old_last = 0, new_first = 0;
	struct capture c;
	size_t i;

	(void)state;
	assert_int_equal(import_file(DATA "drill-A-peer-wan.pcap", 0, &c), 0);
	for (i = 0; i < c.count; i++) {
		p = &c.packets[i];
		if (p->proto != FP_PKT_ESP)
			continue;
		if (p->spi == 0x89076de4 || p->spi == 0xcc975eb3)
			old_last = p->number;
		else if (new_first == 0)
			new_first = p->number;
	}
	/* tshark -Y 'esp.spi == 0x89076de4 && !icmp': last frame 1679 */
	assert_int_equal(old_last, 1679);
	/* tshark -Y 'esp.spi == 0x4fddda66': first frame 1681 */
	assert_int_equal(new_first, 1681);

	p = packet(&c, 1681);
	assert_int_equal(p->spi, 0x4fddda66);
	assert_int_equal(p->seq, 1);
	assert_int_equal(p->udp_encap, 1);
	assert_string_equal(p->src, "198.51.100.1");
	p = packet(&c, 1685);
	assert_int_equal(p->spi, 0x821dcbb0);
	assert_int_equal(p->seq, 1);
	assert_string_equal(p->src, "198.51.100.10");
	p = packet(&c, 1361);		/* fwa gone: port unreachable */
	assert_int_equal(p->proto, FP_PKT_ICMP);
	assert_int_equal(p->icmp_type, 3);
	assert_int_equal(p->icmp_id, -1);
	capture_free(&c);
}

/* IKEv1 main mode and quick mode over IPv6, then ESP. */
static void
test_ikev1_over_ipv6(void **state)
{
	const struct fp_packet *p;
	struct capture c;

	(void)state;
	assert_int_equal(import_file(DATA "arkime__IKEv1.pcap", 0, &c), 0);
	assert_int_equal(c.count, 309);
	/* tshark -Y isakmp; -Y 'isakmp.exchangetype == 2' and == 32 */
	assert_int_equal(count_proto(&c, FP_PKT_IKE), 13);
	assert_int_equal(count_exchange(&c, 1, 2), 7);
	assert_int_equal(count_exchange(&c, 1, 32), 6);
	/* tshark -Y esp -T fields -e esp.spi | sort | uniq -c */
	assert_int_equal(count_proto(&c, FP_PKT_ESP), 296);
	assert_int_equal(count_spi(&c, 0x3d71315a), 148);
	assert_int_equal(count_spi(&c, 0xe8f1f49c), 74);
	assert_int_equal(count_spi(&c, 0x8905e940), 74);
	assert_int_equal(c.warnings, 0);

	p = packet(&c, 1);
	assert_int_equal(p->proto, FP_PKT_IKE);
	assert_int_equal(p->ike_version, 1);
	assert_string_equal(fp_ike_exchange_name(1, p->exchange), "ID_PROT");
	assert_string_equal(p->src, "2003:51:6012::2");
	assert_string_equal(p->dst, "2003:51:6012::4");
	/* First message, responder cookie still zero: the initiator's. */
	assert_int_equal(p->is_initiator, 1);
	assert_int_equal(p->is_response, 0);
	capture_free(&c);
}

/* tshark -T fields -e isakmp.ispi -e isakmp.rspi */
static void
test_ikev1_main_mode_spis(void **state)
{
	const struct fp_packet *p;
	struct capture c;

	(void)state;
	assert_int_equal(import_file(
	    DATA "suricata-verify__ikev1-isakmp-main-mode.pcap", 0, &c), 0);
	assert_int_equal(c.count, 9);
	assert_int_equal(count_exchange(&c, 1, 2), 6);
	assert_int_equal(count_exchange(&c, 1, 32), 3);
	p = packet(&c, 2);
	assert_string_equal(p->ike_spi_i, "e47a591fd057587f");
	assert_string_equal(p->ike_spi_r, "a00b8ef0902bb8ec");
	/* IKEv1 has no response flag. */
	assert_int_equal(p->is_response, -1);
	assert_int_equal(p->is_initiator, -1);
	capture_free(&c);
}

/* IKEv1 floating from 500 to 4500, keepalives, ESP in UDP. */
static void
test_natt_keepalives(void **state)
{
	const struct fp_packet *p;
	struct capture c;

	(void)state;
	assert_int_equal(import_file(DATA "tcpdump__isakmp4500.pcap", 0, &c),
	    0);
	assert_int_equal(c.count, 35);
	assert_int_equal(count_proto(&c, FP_PKT_IKE), 15);	/* -Y isakmp */
	assert_int_equal(count_proto(&c, FP_PKT_ESP), 8);	/* -Y esp */
	assert_int_equal(count_spi(&c, 0xf4dc0ae5), 8);
	/* tshark -Y 'udp.length == 9': frames 18, 23, 28 and 34 */
	assert_int_equal(count_proto(&c, FP_PKT_NAT_KEEPALIVE), 4);
	assert_int_equal(packet(&c, 18)->proto, FP_PKT_NAT_KEEPALIVE);
	assert_int_equal(packet(&c, 34)->proto, FP_PKT_NAT_KEEPALIVE);
	assert_int_equal(count_proto(&c, FP_PKT_OTHER), 8);	/* ARP */

	p = packet(&c, 3);
	assert_int_equal(p->proto, FP_PKT_IKE);
	assert_int_equal(p->udp_encap, 0);
	assert_string_equal(p->src_mac, "10:00:00:de:ad:ba");
	assert_string_equal(p->dst_mac, "10:00:00:64:64:23");
	p = packet(&c, 7);
	assert_int_equal(p->proto, FP_PKT_IKE);
	assert_int_equal(p->udp_encap, 1);
	assert_int_equal(p->sport, 4500);
	p = packet(&c, 12);
	assert_int_equal(p->proto, FP_PKT_ESP);
	assert_int_equal(p->udp_encap, 1);
	assert_int_equal(p->seq, 1);
	p = packet(&c, 35);		/* encrypted: no notify can be read */
	assert_string_equal(fp_ike_exchange_name(1, p->exchange),
	    "INFORMATIONAL_V1");
	assert_int_equal(p->msgid, 0x02bdc64f);
	assert_string_equal(p->notify, "");
	capture_free(&c);
}

/* RFC 5685 redirect, then a rejection by the second gateway. */
static void
test_notify_names(void **state)
{
	const struct fp_packet *p;
	struct capture c;

	(void)state;
	assert_int_equal(import_file(DATA "scapy__ikev2_notify_redirect.pcap",
	    0, &c), 0);
	assert_int_equal(c.count, 4);
	/* tshark -T fields -e isakmp.notify.msgtype: 16389,16388,... */
	assert_string_equal(packet(&c, 1)->notify,
	    "NAT_DETECTION_DESTINATION_IP");
	assert_string_equal(packet(&c, 2)->notify, "REDIRECT");
	assert_string_equal(packet(&c, 3)->notify,
	    "NAT_DETECTION_DESTINATION_IP");
	p = packet(&c, 4);
	assert_string_equal(p->notify, "NO_PROPOSAL_CHOSEN");
	assert_int_equal(p->is_response, 1);
	assert_int_equal(p->sport, 500);
	assert_int_equal(p->dport, 10952);
	assert_string_equal(p->ike_spi_r, "63cc9c1919de33e7");
	capture_free(&c);
}

/* BSD loopback link type, with placeholder timestamps. */
static void
test_null_link_type(void **state)
{
	const struct fp_packet *p;
	struct capture c;

	(void)state;
	assert_int_equal(import_file(DATA "tcpdump__ikev2pI2.pcap", 0, &c), 0);
	assert_int_equal(c.count, 2);
	p = packet(&c, 1);
	assert_int_equal(p->proto, FP_PKT_IKE);
	assert_int_equal(p->exchange, 34);
	assert_string_equal(p->src, "192.1.2.45");
	assert_string_equal(p->src_mac, "");
	assert_int_equal(p->ts, 86400LL * 1000000);
	p = packet(&c, 2);
	assert_int_equal(p->exchange, 35);
	assert_string_equal(p->ike_spi_r, "c02e7a3031a03188");
	capture_free(&c);
}

static void
test_pcapng_one_interface(void **state)
{
	struct capture c;

	(void)state;
	assert_int_equal(import_file(DATA "ndpi__esp.pcapng", 0, &c), 0);
	assert_int_equal(c.count, 6);
	assert_int_equal(count_proto(&c, FP_PKT_IKE), 4);
	assert_int_equal(count_spi(&c, 0x2360b0e3), 1);
	assert_int_equal(count_spi(&c, 0xf0092cb5), 1);
	assert_string_equal(packet(&c, 1)->notify, "NAT_DETECTION_SOURCE_IP");
	assert_int_equal(packet(&c, 1)->ts,
	    iso("2020-04-19T23:58:43.655842Z"));
	capture_free(&c);
}

/* Three interfaces with snapshot lengths 8192, 262144 and 65535. */
static void
test_pcapng_snaplens_differ(void **state)
{
	const struct fp_packet *p;
	struct capture c;
	int rc;

	(void)state;
	rc = import_file(DATA "pcapplusplus__ipsec.pcapng", 0, &c);
#ifndef FP_HAVE_WIRETAP
	/* libpcap 1.10 rejects the file: an error, never 0 packets. */
	assert_int_equal(rc, FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "libwiretap"));
	capture_free(&c);
	skip();
#endif
	assert_int_equal(rc, 0);
	assert_int_equal(c.count, 3);
	p = packet(&c, 1);		/* ESP behind AH */
	assert_int_equal(p->interface, 0);
	assert_int_equal(p->proto, FP_PKT_ESP);
	assert_int_equal(p->spi, 0x48dac2e4);
	assert_int_equal(p->seq, 3);
	assert_int_equal(p->ts, iso("2008-06-21T12:38:47.042805Z"));
	p = packet(&c, 2);
	assert_int_equal(p->interface, 2);
	assert_int_equal(p->spi, 0x49507636);
	assert_int_equal(p->seq, 541414224);
	assert_string_equal(p->src, "2001:470:e5bf:1001:8519:2d1f:c57d:fc4f");
	p = packet(&c, 3);		/* AH over a tunnelled IPv4 packet */
	assert_int_equal(p->interface, 1);
	assert_int_equal(p->proto, FP_PKT_OTHER);
	assert_string_equal(p->src, "192.168.12.1");
	capture_free(&c);
}

/* Ethernet and Linux cooked interfaces in one pcapng file. */
static void
test_pcapng_mixed_link_types(void **state)
{
	const struct fp_packet *p;
	struct capture c;
	int rc;

	(void)state;
	rc = import_file(DATA "pcapng-mixed-linktypes.pcapng", 0, &c);
#ifndef FP_HAVE_WIRETAP
	assert_int_equal(rc, FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "type 113"));
	capture_free(&c);
	skip();
#endif
	assert_int_equal(rc, 0);
	assert_int_equal(c.count, 3);
	assert_int_equal(c.warnings, 0);

	p = packet(&c, 1);
	assert_int_equal(p->interface, 0);
	assert_int_equal(p->ts, iso("2026-12-04T19:49:25.768123Z"));
	assert_int_equal(p->proto, FP_PKT_IKE);
	assert_int_equal(p->exchange, 34);
	assert_int_equal(p->is_response, 0);
	assert_string_equal(p->src, "198.51.100.1");
	assert_string_equal(p->dst, "203.0.113.2");
	assert_string_equal(p->ike_spi_i, "5d1f0e2c3b4a5968");
	assert_string_equal(p->ike_spi_r, "0000000000000000");

	p = packet(&c, 2);		/* Linux cooked: one address */
	assert_int_equal(p->interface, 1);
	assert_int_equal(p->ts, iso("2026-12-04T19:49:25.780456Z"));
	assert_int_equal(p->proto, FP_PKT_ESP);
	assert_int_equal(p->udp_encap, 1);
	assert_int_equal(p->spi, 0xc1a2b3d4);
	assert_int_equal(p->seq, 1);
	assert_string_equal(p->src, "203.0.113.2");
	assert_int_equal(p->sport, 4500);
	assert_string_equal(p->src_mac, "02:00:00:00:00:03");
	assert_string_equal(p->dst_mac, "");

	p = packet(&c, 3);
	assert_int_equal(p->interface, 0);
	assert_int_equal(p->ts, iso("2026-12-04T19:49:25.791004Z"));
	assert_int_equal(p->is_response, 1);
	assert_string_equal(p->ike_spi_r, "a1b2c3d4e5f60718");
	capture_free(&c);
}

/* A pcap file whose third record declares 74 bytes and has 73. */
static void
test_pcap_cut_record_partial(void **state)
{
	const struct fp_packet *p;
	struct capture c;

	(void)state;
	assert_int_equal(import_file(
	    DATA "pcap-truncated-last-record.pcap", 0, &c), 0);
	assert_int_equal(c.count, 2);
	assert_int_equal(c.partials, 1);
	assert_non_null(strstr(c.partial, "packet 3"));
	assert_non_null(strstr(c.partial, "byte offset 204"));
	assert_non_null(strstr(c.partial, "74 bytes, 73 are present"));
	assert_non_null(strstr(c.partial, "2026-12-04T19:49:25.958377Z"));

	p = packet(&c, 1);
	assert_int_equal(p->ts, iso("2026-12-04T19:49:25.758402Z"));
	assert_int_equal(p->proto, FP_PKT_ESP);
	assert_int_equal(p->udp_encap, 0);
	assert_int_equal(p->spi, 0x5e6f7a8b);
	assert_int_equal(p->seq, 1021);
	p = packet(&c, 2);
	assert_int_equal(p->ts, iso("2026-12-04T19:49:25.759013Z"));
	assert_int_equal(p->spi, 0xc1a2b3d4);
	assert_int_equal(p->seq, 877);
	assert_string_equal(p->src, "203.0.113.2");
	capture_free(&c);
}

static void
test_pcap_cut_record_strict(void **state)
{
	struct capture c;

	(void)state;
	assert_int_equal(import_file(
	    DATA "pcap-truncated-last-record.pcap", 1, &c), FP_EINVAL);
	assert_int_equal(c.partials, 0);
	assert_non_null(strstr(fp_errmsg(),
	    "'pcap-truncated-last-record.pcap' packet 3"));
	assert_non_null(strstr(fp_errmsg(), "byte offset 204"));
	assert_non_null(strstr(fp_errmsg(), "without --strict"));
	capture_free(&c);
}

/* Write len bytes to dir/name and return the path (caller frees). */
static char *
write_file(const char *dir, const char *name, const void *data, size_t len)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *fp;

	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	return path;
}

static uint32_t
get32le(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
put32le(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = v >> 8 & 0xff;
	p[2] = v >> 16 & 0xff;
	p[3] = v >> 24;
}

/* A record length far beyond the snapshot length is a corrupt file. */
static void
test_corrupt_record_length(void **state)
{
	char dir[] = "/tmp/fp-test-pcap-XXXXXX", *path, *data;
	unsigned char *bytes;
	struct capture c;
	size_t len, second;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(fp_read_file(DATA "tcpdump__espudp1.pcap", 1 << 20,
	    &data, &len), 0);
	bytes = (unsigned char *)data;
	/* File header 24 bytes, record header 16, then the first packet. */
	second = 24 + 16 + get32le(bytes + 24 + 8);
	assert_true(second + 16 <= len);
	put32le(bytes + second + 8, 4294967);
	path = write_file(dir, "peer-wan.pcap", data, len);

	assert_int_equal(import_file(path, 0, &c), FP_EINVAL);
	assert_int_equal(c.count, 1);
	assert_string_equal(fp_errmsg(), "'peer-wan.pcap' packet 2: record "
	    "length 4294967 exceeds the snapshot length 1536: the file is "
	    "corrupt; re-export it from the capture tool");

	capture_free(&c);
	unlink(path);
	free(path);
	free(data);
	rmdir(dir);
}

static int
fail_after_three(void *ctx, const struct fp_packet *p)
{
	struct capture *c = ctx;

	keep_packet(ctx, p);
	if (c->count == 3)
		return fp_fail(FP_ESTORE, "store full");
	return 0;
}

/* The sink's error ends the import and is returned as it is. */
static void
test_sink_error_stops_import(void **state)
{
	struct fp_import_opts opts;
	struct fp_sink sink;
	struct capture c;

	(void)state;
	memset(&c, 0, sizeof(c));
	memset(&sink, 0, sizeof(sink));
	memset(&opts, 0, sizeof(opts));
	sink.ctx = &c;
	sink.packet = fail_after_three;
	opts.display_name = "drill-A-peer-wan.pcap";
	assert_int_equal(fp_importer_pcap.run(DATA "drill-A-peer-wan.pcap",
	    &opts, &sink), FP_ESTORE);
	assert_int_equal(c.count, 3);
	assert_string_equal(fp_errmsg(), "store full");
	capture_free(&c);
}

static void
test_not_a_capture(void **state)
{
	char dir[] = "/tmp/fp-test-pcap-XXXXXX", *path;
	static const char text[] = "Dec  4 19:49:25 fwa charon: hello\n";
	struct capture c;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = write_file(dir, "fw.pcap", text, sizeof(text) - 1);
	assert_int_equal(import_file(path, 0, &c), FP_EINVAL);
	assert_int_equal(c.count, 0);
	assert_non_null(strstr(fp_errmsg(), "'fw.pcap': not a pcap or pcapng "
	    "capture"));
	unlink(path);
	free(path);

	path = write_file(dir, "short.pcap", "\xd4\xc3", 2);
	assert_int_equal(import_file(path, 0, &c), FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "only 2 bytes"));
	unlink(path);
	free(path);

	assert_int_equal(import_file("tests/data/pcap/missing.pcap", 0, &c),
	    FP_ENOTFOUND);
	rmdir(dir);
}

/* A pcapng file cut inside its third packet block. */
static void
test_pcapng_cut_is_partial(void **state)
{
	char dir[] = "/tmp/fp-test-pcap-XXXXXX", *path;
	struct capture c;
	char *data;
	size_t len;
	int rc;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(fp_read_file(DATA "ndpi__esp.pcapng", 1 << 20, &data,
	    &len), 0);
	assert_true(len > 1000);
	path = write_file(dir, "cut.pcapng", data, 1000);

	rc = import_file(path, 0, &c);
	assert_int_equal(rc, 0);
	assert_int_equal(c.count, 2);
	assert_int_equal(c.partials, 1);
	assert_non_null(strstr(c.partial, "'cut.pcapng' packet 3"));
#ifdef FP_HAVE_WIRETAP
	/* The third packet block starts at 0x3c8 in ndpi__esp.pcapng. */
	assert_non_null(strstr(c.partial, "byte offset 968"));
#endif
	capture_free(&c);

	assert_int_equal(import_file(path, 1, &c), FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "'cut.pcapng' packet 3"));
	capture_free(&c);

	unlink(path);
	free(path);
	free(data);
	rmdir(dir);
}

/* A pcapng block whose total length is absurd. */
static void
test_pcapng_corrupt_block(void **state)
{
	char dir[] = "/tmp/fp-test-pcap-XXXXXX", *path, *data;
	unsigned char *bytes;
	struct capture c;
	size_t len;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(fp_read_file(DATA "ndpi__esp.pcapng", 1 << 20, &data,
	    &len), 0);
	bytes = (unsigned char *)data;
	/* The second packet block starts at 0x218 = 536. */
	assert_int_equal(get32le(bytes + 536), 6);
	put32le(bytes + 536 + 4, 0xfffffff0);
	path = write_file(dir, "bad.pcapng", data, len);

	assert_int_equal(import_file(path, 0, &c), FP_EINVAL);
	assert_int_equal(c.count, 1);
	assert_non_null(strstr(fp_errmsg(), "'bad.pcapng' packet 2"));
#ifdef FP_HAVE_WIRETAP
	assert_non_null(strstr(fp_errmsg(), "re-export it"));
#else
	assert_non_null(strstr(fp_errmsg(), "libwiretap"));
#endif
	capture_free(&c);

	unlink(path);
	free(path);
	free(data);
	rmdir(dir);
}

/*
 * A pcapng timestamp has 64 bits, so a corrupt one can exceed the range
 * of fp_time in microseconds.  Such a value once overflowed the conversion.
 */
static void
test_pcapng_timestamp_out_of_range(void **state)
{
	char dir[] = "/tmp/fp-test-pcap-XXXXXX", *path, *data;
	unsigned char *bytes;
	struct capture c;
	size_t len;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(fp_read_file(DATA "ndpi__esp.pcapng", 1 << 20, &data,
	    &len), 0);
	bytes = (unsigned char *)data;
	/* The first packet block starts at 0x68; its timestamp at +12. */
	assert_int_equal(get32le(bytes + 104), 6);
	put32le(bytes + 104 + 12, 0xffffffff);
	path = write_file(dir, "time.pcapng", data, len);

	assert_int_equal(import_file(path, 0, &c), 0);
	assert_int_equal(c.count, 6);
	assert_int_equal(packet(&c, 1)->ts, FP_TIME_NONE);
	assert_int_equal(packet(&c, 1)->proto, FP_PKT_IKE);
	assert_int_equal(packet(&c, 2)->ts,
	    iso("2020-04-19T23:58:43.662778Z"));
	assert_int_equal(c.warnings, 1);
	assert_int_equal(c.first_warning, 1);
	assert_non_null(strstr(c.warning, "out of range"));
	capture_free(&c);

	unlink(path);
	free(path);
	free(data);
	rmdir(dir);
}

static void
test_detect_magic(void **state)
{
	static const unsigned char pcap_le[] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0 };
	static const unsigned char pcap_be[] = { 0xa1, 0xb2, 0xc3, 0xd4, 0, 2 };
	static const unsigned char nsec_le[] = { 0x4d, 0x3c, 0xb2, 0xa1, 2, 0 };
	static const unsigned char nsec_be[] = { 0xa1, 0xb2, 0x3c, 0x4d, 0, 2 };
	static const unsigned char ng_le[] = { 0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0,
	    0, 0, 0x4d, 0x3c, 0x2b, 0x1a };
	static const unsigned char ng_be[] = { 0x0a, 0x0d, 0x0d, 0x0a, 0, 0,
	    0, 0x1c, 0x1a, 0x2b, 0x3c, 0x4d };
	static const unsigned char text[] = "\n\r\r\nhello world";

	(void)state;
	assert_int_equal(fp_importer_pcap.detect(pcap_le, sizeof(pcap_le)),
	    100);
	assert_int_equal(fp_importer_pcap.detect(pcap_be, sizeof(pcap_be)),
	    100);
	assert_int_equal(fp_importer_pcap.detect(nsec_le, sizeof(nsec_le)),
	    100);
	assert_int_equal(fp_importer_pcap.detect(nsec_be, sizeof(nsec_be)),
	    100);
	assert_int_equal(fp_importer_pcap.detect(ng_le, sizeof(ng_le)), 100);
	assert_int_equal(fp_importer_pcap.detect(ng_be, sizeof(ng_be)), 100);
	assert_int_equal(fp_importer_pcap.detect(text, sizeof(text) - 1), 0);
	assert_int_equal(fp_importer_pcap.detect((const unsigned char *)
	    "<14>Dec", 7), 0);
	assert_int_equal(fp_importer_pcap.detect(pcap_le, 3), 0);
	assert_string_equal(fp_importer_pcap.kind, "pcap");
}

static void
test_names(void **state)
{
	char buf[48];

	(void)state;
	assert_string_equal(fp_ike_exchange_name(2, 37), "INFORMATIONAL");
	assert_string_equal(fp_ike_exchange_name(1, 32), "QUICK_MODE");
	assert_string_equal(fp_ike_exchange_name(1, 4), "AGGRESSIVE");
	assert_string_equal(fp_ike_exchange_name(2, 2), "");
	assert_string_equal(fp_ike_exchange_name(3, 34), "");
	assert_string_equal(fp_packet_proto_name(FP_PKT_NAT_KEEPALIVE),
	    "nat-keepalive");
	assert_string_equal(fp_packet_proto_name(FP_PKT_ESP), "esp");
	fp_ike_notify_name(2, 24, buf, sizeof(buf));
	assert_string_equal(buf, "AUTHENTICATION_FAILED");
	fp_ike_notify_name(2, 16390, buf, sizeof(buf));
	assert_string_equal(buf, "COOKIE");
	fp_ike_notify_name(1, 36136, buf, sizeof(buf));
	assert_string_equal(buf, "R_U_THERE");
	fp_ike_notify_name(1, 14, buf, sizeof(buf));
	assert_string_equal(buf, "NO_PROPOSAL_CHOSEN");
	fp_ike_notify_name(2, 50000, buf, sizeof(buf));
	assert_string_equal(buf, "50000");
}

/* Frames built byte by byte for the link types no real capture covers. */
struct frame {
	unsigned char b[600];
	size_t len;
};

static void
put(struct frame *f, const void *p, size_t n)
{
	assert_true(f->len + n <= sizeof(f->b));
	memcpy(f->b + f->len, p, n);
	f->len += n;
}

static void
put8(struct frame *f, unsigned v)
{
	unsigned char c = v & 0xff;

	put(f, &c, 1);
}

static void
put16(struct frame *f, unsigned v)
{
	put8(f, v >> 8);
	put8(f, v);
}

static void
put32(struct frame *f, uint32_t v)
{
	put16(f, v >> 16);
	put16(f, v & 0xffff);
}

static void
put_ethernet(struct frame *f, unsigned type)
{
	put(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	put16(f, type);
}

/* IPv4 from 198.51.100.1 to 203.0.113.2 with payload_len bytes. */
static void
put_ipv4(struct frame *f, unsigned proto, size_t payload_len,
    unsigned fragment)
{
	put8(f, 0x45);
	put8(f, 0);
	put16(f, 20 + payload_len);
	put16(f, 0x1234);
	put16(f, fragment);
	put8(f, 64);
	put8(f, proto);
	put16(f, 0);
	put(f, "\xc6\x33\x64\x01\xcb\x00\x71\x02", 8);
}

/* IPv6 from 2001:db8::1 to 2001:db8::2. */
static void
put_ipv6(struct frame *f, unsigned next, size_t payload_len)
{
	static const unsigned char addrs[32] = {
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
	};

	put32(f, 0x60000000);
	put16(f, payload_len);
	put8(f, next);
	put8(f, 64);
	put(f, addrs, sizeof(addrs));
}

static void
put_udp(struct frame *f, unsigned sport, unsigned dport, size_t payload_len)
{
	put16(f, sport);
	put16(f, dport);
	put16(f, 8 + payload_len);
	put16(f, 0);
}

/* An IKE header with SPIs 0102030405060708 and (rspi) 1112131415161718. */
static void
put_ike(struct frame *f, unsigned version, unsigned exchange,
    unsigned flags, unsigned next, uint32_t length)
{
	put(f, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	put(f, "\x11\x12\x13\x14\x15\x16\x17\x18", 8);
	put8(f, next);
	put8(f, version << 4);
	put8(f, exchange);
	put8(f, flags);
	put32(f, 7);
	put32(f, length);
}

/* An IKEv2 Notify payload header of plen bytes and notify type. */
static void
put_notify2(struct frame *f, unsigned next, unsigned plen, unsigned type)
{
	put8(f, next);
	put8(f, 0);
	put16(f, plen);
	put8(f, 0);		/* protocol */
	put8(f, 0);		/* SPI size */
	put16(f, type);
}

/*
 * Decode the first caplen bytes of f from an exactly sized copy, so that
 * AddressSanitizer catches any read past the captured bytes.
 */
static int
decode_frame(struct fp_packet *pkt, int linktype, const struct frame *f,
    size_t caplen, size_t wire_len)
{
	unsigned char *copy;
	int rc;

	copy = xmalloc(caplen > 0 ? caplen : 1);
	memcpy(copy, f->b, caplen);
	memset(pkt, 0, sizeof(*pkt));
	pkt->number = 1;
	pkt->wire_len = wire_len;
	rc = fp_pcap_decode(pkt, linktype, copy, caplen);
	free(copy);
	return rc;
}

static void
build_qinq_esp(struct frame *f)
{
	memset(f, 0, sizeof(*f));
	put_ethernet(f, 0x88a8);
	put16(f, 100);		/* service tag */
	put16(f, 0x8100);
	put16(f, 200);		/* customer tag */
	put16(f, 0x0800);
	put_ipv4(f, 17, 8 + 16, 0);
	put_udp(f, 4500, 4500, 16);
	put32(f, 0x0a0b0c0d);
	put32(f, 7);
	put(f, "\xaa\xbb\xcc\xdd\xee\xff\x00\x11", 8);
}

static void
test_decode_qinq_esp_in_udp(void **state)
{
	struct fp_packet pkt;
	struct frame f;

	(void)state;
	build_qinq_esp(&f);
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_ETHERNET, &f, f.len,
	    f.len), 0);
	assert_int_equal(pkt.proto, FP_PKT_ESP);
	assert_int_equal(pkt.udp_encap, 1);
	assert_int_equal(pkt.spi, 0x0a0b0c0d);
	assert_int_equal(pkt.seq, 7);
	assert_string_equal(pkt.src, "198.51.100.1");
	assert_string_equal(pkt.dst, "203.0.113.2");
	assert_string_equal(pkt.src_mac, "02:00:00:00:00:01");
	assert_string_equal(pkt.dst_mac, "02:00:00:00:00:02");
}

static void
build_sll2_ike(struct frame *f)
{
	memset(f, 0, sizeof(*f));
	put16(f, 0x0800);	/* protocol */
	put16(f, 0);
	put32(f, 3);		/* interface index */
	put16(f, 1);		/* ARPHRD_ETHER */
	put8(f, 4);		/* outgoing */
	put8(f, 6);
	put(f, "\x02\x00\x00\x00\x00\x07\x00\x00", 8);
	put_ipv4(f, 17, 8 + 28 + 8, 0);
	put_udp(f, 500, 500, 28 + 8);
	put_ike(f, 2, 34, 0x20, 41, 28 + 8);
	put_notify2(f, 0, 8, 14);
}

static void
test_decode_sll2_ike_notify(void **state)
{
	struct fp_packet pkt;
	struct frame f;

	(void)state;
	build_sll2_ike(&f);
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_LINUX_SLL2, &f, f.len,
	    f.len), 0);
	assert_int_equal(pkt.proto, FP_PKT_IKE);
	assert_int_equal(pkt.udp_encap, 0);
	assert_int_equal(pkt.ike_version, 2);
	assert_int_equal(pkt.is_response, 1);
	assert_int_equal(pkt.is_initiator, 0);
	assert_int_equal(pkt.msgid, 7);
	assert_string_equal(pkt.ike_spi_i, "0102030405060708");
	assert_string_equal(pkt.ike_spi_r, "1112131415161718");
	assert_string_equal(pkt.notify, "NO_PROPOSAL_CHOSEN");
	assert_string_equal(pkt.src_mac, "02:00:00:00:00:07");
	assert_string_equal(pkt.dst_mac, "");
}

static void
build_ipv6_ext_esp(struct frame *f)
{
	memset(f, 0, sizeof(*f));
	put_ipv6(f, 0, 8 + 8 + 16);		/* hop-by-hop options */
	put(f, "\x3c\x00\x01\x04\x00\x00\x00\x00", 8);	/* next: dest opts */
	put(f, "\x32\x00\x01\x04\x00\x00\x00\x00", 8);	/* next: ESP */
	put32(f, 0xdeadbeef);
	put32(f, 42);
	put(f, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
}

static void
test_decode_raw_ipv6_extension_headers(void **state)
{
	struct fp_packet pkt;
	struct frame f;

	(void)state;
	build_ipv6_ext_esp(&f);
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_RAW, &f, f.len, f.len),
	    0);
	assert_int_equal(pkt.proto, FP_PKT_ESP);
	assert_int_equal(pkt.spi, 0xdeadbeef);
	assert_int_equal(pkt.seq, 42);
	assert_int_equal(pkt.udp_encap, 0);
	assert_string_equal(pkt.src, "2001:db8::1");
	assert_string_equal(pkt.dst, "2001:db8::2");
	assert_string_equal(pkt.src_mac, "");
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_IPV6, &f, f.len,
	    f.len), 0);
	assert_int_equal(pkt.spi, 0xdeadbeef);
}

/* The first fragment of a large IKE_AUTH: only its start is present. */
static void
test_decode_ipv6_fragments(void **state)
{
	struct fp_packet pkt;
	struct frame f;

	(void)state;
	memset(&f, 0, sizeof(f));
	put_ipv6(&f, 44, 8 + 8 + 28 + 4);
	put(&f, "\x11\x00\x00\x01\x00\x00\x00\x09", 8);	/* offset 0, M */
	put_udp(&f, 4500, 4500, 4 + 1400);
	put32(&f, 0);				/* non-ESP marker */
	put_ike(&f, 2, 35, 0x08, 46, 1400);
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_IPV6, &f, f.len,
	    f.len), 0);
	assert_int_equal(pkt.proto, FP_PKT_IKE);
	assert_int_equal(pkt.udp_encap, 1);
	assert_int_equal(pkt.exchange, 35);
	assert_int_equal(pkt.is_initiator, 1);

	memset(&f, 0, sizeof(f));
	put_ipv6(&f, 44, 8 + 16);
	put(&f, "\x11\x00\x05\xa8\x00\x00\x00\x09", 8);	/* offset 1448 */
	put(&f, "\x00\x01\x02\x03\x04\x05\x06\x07", 8);
	put(&f, "\x00\x01\x02\x03\x04\x05\x06\x07", 8);
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_IPV6, &f, f.len,
	    f.len), 0);
	assert_int_equal(pkt.proto, FP_PKT_OTHER);
	assert_string_equal(pkt.src, "2001:db8::1");
}

static void
test_decode_ipv4_options_and_fragment(void **state)
{
	struct fp_packet pkt;
	struct frame f;

	(void)state;
	memset(&f, 0, sizeof(f));
	put_ethernet(&f, 0x0800);
	put8(&f, 0x46);				/* 24-byte header */
	put8(&f, 0);
	put16(&f, 24 + 8);
	put16(&f, 1);
	put16(&f, 0);
	put8(&f, 64);
	put8(&f, 1);				/* ICMP */
	put16(&f, 0);
	put(&f, "\xc6\x33\x64\x01\xcb\x00\x71\x02", 8);
	put(&f, "\x01\x01\x01\x00", 4);		/* NOP NOP NOP EOL */
	put(&f, "\x08\x00\x00\x00\x12\x34\x00\x07", 8);
	put(&f, "\x00\x00\x00\x00\x00\x00", 6);	/* Ethernet padding */
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_ETHERNET, &f, f.len,
	    f.len), 0);
	assert_int_equal(pkt.proto, FP_PKT_ICMP);
	assert_int_equal(pkt.icmp_type, 8);
	assert_int_equal(pkt.icmp_id, 0x1234);
	assert_int_equal(pkt.icmp_seq, 7);

	memset(&f, 0, sizeof(f));
	put_ipv4(&f, 17, 16, 185);		/* fragment offset 1480 */
	put(&f, "\x01\xf4\x01\xf4\x05\xdc\x00\x00", 8);
	put(&f, "\x00\x00\x00\x00\x00\x00\x00\x00", 8);
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_IPV4, &f, f.len,
	    f.len), 0);
	assert_int_equal(pkt.proto, FP_PKT_OTHER);
	assert_int_equal(pkt.sport, 0);
	assert_string_equal(pkt.src, "198.51.100.1");
}

static void
test_decode_loopback_byte_orders(void **state)
{
	struct fp_packet pkt;
	struct frame f;

	(void)state;
	memset(&f, 0, sizeof(f));
	put32(&f, 2);				/* LOOP: network order */
	put_ipv4(&f, 6, 20, 0);
	put16(&f, 443);
	put16(&f, 51000);
	put(&f, "\x00\x00\x00\x00\x00\x00\x00\x00\x50\x10\x00\x00\x00\x00"
	    "\x00\x00", 16);
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_LOOP, &f, f.len,
	    f.len), 0);
	assert_int_equal(pkt.proto, FP_PKT_TCP);
	assert_int_equal(pkt.sport, 443);
	assert_int_equal(pkt.dport, 51000);

	memset(&f, 0, sizeof(f));
	put32(&f, 30);				/* NULL, big-endian macOS */
	put_ipv6(&f, 58, 8);
	put(&f, "\x81\x00\x00\x00\xbe\xef\x00\x03", 8);	/* echo reply */
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_NULL, &f, f.len,
	    f.len), 0);
	assert_int_equal(pkt.proto, FP_PKT_ICMP);
	assert_int_equal(pkt.icmp_type, 129);
	assert_int_equal(pkt.icmp_id, 0xbeef);
	assert_int_equal(pkt.icmp_seq, 3);

	memset(&f, 0, sizeof(f));
	put(&f, "\x02\x00\x00\x00", 4);		/* NULL, little-endian */
	put_ipv4(&f, 50, 8, 0);
	put32(&f, 0x11223344);
	put32(&f, 9);
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_NULL, &f, f.len,
	    f.len), 0);
	assert_int_equal(pkt.proto, FP_PKT_ESP);
	assert_int_equal(pkt.spi, 0x11223344);
}

static void
test_decode_keepalive_and_short_natt(void **state)
{
	struct fp_packet pkt;
	struct frame f;

	(void)state;
	memset(&f, 0, sizeof(f));
	put_ipv4(&f, 17, 9, 0);
	put_udp(&f, 4500, 4500, 1);
	put8(&f, 0xff);
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_IPV4, &f, f.len,
	    f.len), 0);
	assert_int_equal(pkt.proto, FP_PKT_NAT_KEEPALIVE);

	memset(&f, 0, sizeof(f));
	put_ipv4(&f, 17, 11, 0);
	put_udp(&f, 4500, 4500, 3);
	put(&f, "\xff\xff\xff", 3);
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_IPV4, &f, f.len,
	    f.len), FP_EINVAL);
	assert_int_equal(pkt.proto, FP_PKT_UDP);
	assert_non_null(strstr(fp_errmsg(), "neither a NAT keepalive"));
}

/* IKEv2 with one notify of length plen inside a message of ike_len. */
static void
build_ike_notify(struct frame *f, unsigned plen, uint32_t ike_len)
{
	memset(f, 0, sizeof(*f));
	put_ipv4(f, 17, 8 + 28 + 8, 0);
	put_udp(f, 500, 500, 28 + 8);
	put_ike(f, 2, 34, 0x08, 41, ike_len);
	put_notify2(f, 0, plen, 16390);
}

static void
test_decode_bogus_ike_lengths(void **state)
{
	struct fp_packet pkt;
	struct frame f;

	(void)state;
	build_ike_notify(&f, 2, 36);
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_IPV4, &f, f.len,
	    f.len), FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "invalid length 2"));
	assert_int_equal(pkt.proto, FP_PKT_IKE);
	assert_string_equal(pkt.ike_spi_i, "0102030405060708");
	assert_string_equal(pkt.notify, "");

	build_ike_notify(&f, 60000, 36);
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_IPV4, &f, f.len,
	    f.len), FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "invalid length 60000"));

	build_ike_notify(&f, 8, 0xffffffff);
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_IPV4, &f, f.len,
	    f.len), FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "exceeds the UDP payload"));

	build_ike_notify(&f, 8, 20);
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_IPV4, &f, f.len,
	    f.len), FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "shorter than the 28-byte"));

	build_ike_notify(&f, 6, 36);		/* shorter than a notify */
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_IPV4, &f, f.len,
	    f.len), FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "notify payload"));

	build_ike_notify(&f, 8, 36);
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_IPV4, &f, f.len,
	    f.len), 0);
	assert_string_equal(pkt.notify, "COOKIE");
}

static void
test_decode_ikev1_notify(void **state)
{
	struct fp_packet pkt;
	struct frame f;

	(void)state;
	memset(&f, 0, sizeof(f));
	put_ipv4(&f, 17, 8 + 28 + 12, 0);
	put_udp(&f, 500, 500, 28 + 12);
	put_ike(&f, 1, 5, 0x00, 11, 28 + 12);
	put(&f, "\x00\x00\x00\x0c\x00\x00\x00\x01\x01\x00\x00\x18", 12);
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_IPV4, &f, f.len,
	    f.len), 0);
	assert_int_equal(pkt.ike_version, 1);
	assert_string_equal(pkt.notify, "AUTHENTICATION_FAILED");
	assert_int_equal(pkt.is_response, -1);
	assert_int_equal(pkt.is_initiator, -1);

	f.b[20 + 8 + 19] = 0x01;		/* the encryption flag */
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_IPV4, &f, f.len,
	    f.len), 0);
	assert_string_equal(pkt.notify, "");
}

static void
test_decode_snapshot_length_cut(void **state)
{
	struct fp_packet pkt;
	struct frame f;

	(void)state;
	/* The notify is beyond the captured bytes: no warning. */
	build_sll2_ike(&f);
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_LINUX_SLL2, &f,
	    f.len - 4, f.len), 0);
	assert_int_equal(pkt.proto, FP_PKT_IKE);
	assert_string_equal(pkt.notify, "");

	/* The IKE header itself is cut: a warning, and the packet is UDP. */
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_LINUX_SLL2, &f,
	    20 + 20 + 8 + 20, f.len), FP_EINVAL);
	assert_int_equal(pkt.proto, FP_PKT_UDP);
	assert_non_null(strstr(fp_errmsg(), "snapshot length"));

	/* The same bytes as a complete frame: the packet is malformed. */
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_LINUX_SLL2, &f,
	    20 + 20 + 8 + 20, 20 + 20 + 8 + 20), FP_EINVAL);
	assert_non_null(strstr(fp_errmsg(), "malformed"));
}

static void
test_decode_not_ike_and_not_ip(void **state)
{
	struct fp_packet pkt;
	struct frame f;

	(void)state;
	memset(&f, 0, sizeof(f));
	put_ipv4(&f, 17, 8 + 28, 0);
	put_udp(&f, 500, 500, 28);
	put_ike(&f, 3, 34, 0, 0, 28);		/* major version 3 */
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_RAW, &f, f.len,
	    f.len), FP_EINVAL);
	assert_int_equal(pkt.proto, FP_PKT_UDP);
	assert_non_null(strstr(fp_errmsg(), "major version 3"));

	memset(&f, 0, sizeof(f));
	put_ethernet(&f, 0x0806);		/* ARP */
	put(&f, "\x00\x01\x08\x00\x06\x04\x00\x01", 8);
	assert_int_equal(decode_frame(&pkt, FP_LINKTYPE_ETHERNET, &f, f.len,
	    f.len), 0);
	assert_int_equal(pkt.proto, FP_PKT_OTHER);
	assert_string_equal(pkt.src, "");
	assert_string_equal(pkt.src_mac, "02:00:00:00:00:01");
	assert_int_equal(pkt.is_response, -1);
	assert_int_equal(pkt.icmp_type, -1);

	assert_int_equal(decode_frame(&pkt, 105, &f, f.len, f.len),
	    FP_EINVAL);				/* 802.11 */
	assert_int_equal(fp_pcap_linktype_supported(105), 0);
	assert_int_equal(fp_pcap_linktype_supported(FP_DLT_RAW), 1);
}

/*
 * Every prefix of every frame above, as a complete frame and as one cut
 * by the snapshot length, decodes to 0 or FP_EINVAL; under ASan an
 * over-read fails the test.
 */
static void
test_decode_every_prefix(void **state)
{
	static const struct {
		void (*build)(struct frame *);
		int linktype;
	} frames[] = {
		{ build_qinq_esp, FP_LINKTYPE_ETHERNET },
		{ build_sll2_ike, FP_LINKTYPE_LINUX_SLL2 },
		{ build_ipv6_ext_esp, FP_LINKTYPE_RAW },
	};
	struct fp_packet pkt;
	struct frame f;
	size_t i, n;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(frames) / sizeof(frames[0]); i++) {
		frames[i].build(&f);
		for (n = 0; n <= f.len; n++) {
			rc = decode_frame(&pkt, frames[i].linktype, &f, n, n);
			assert_true(rc == 0 || rc == FP_EINVAL);
			rc = decode_frame(&pkt, frames[i].linktype, &f, n,
			    f.len);
			assert_true(rc == 0 || rc == FP_EINVAL);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_drill_a_counts),
		cmocka_unit_test(test_drill_a_ike_sa_init),
		cmocka_unit_test(test_drill_a_spis_around_failover),
		cmocka_unit_test(test_ikev1_over_ipv6),
		cmocka_unit_test(test_ikev1_main_mode_spis),
		cmocka_unit_test(test_natt_keepalives),
		cmocka_unit_test(test_notify_names),
		cmocka_unit_test(test_null_link_type),
		cmocka_unit_test(test_pcapng_one_interface),
		cmocka_unit_test(test_pcapng_snaplens_differ),
		cmocka_unit_test(test_pcapng_mixed_link_types),
		cmocka_unit_test(test_pcap_cut_record_partial),
		cmocka_unit_test(test_pcap_cut_record_strict),
		cmocka_unit_test(test_corrupt_record_length),
		cmocka_unit_test(test_sink_error_stops_import),
		cmocka_unit_test(test_not_a_capture),
		cmocka_unit_test(test_pcapng_cut_is_partial),
		cmocka_unit_test(test_pcapng_corrupt_block),
		cmocka_unit_test(test_pcapng_timestamp_out_of_range),
		cmocka_unit_test(test_detect_magic),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_decode_qinq_esp_in_udp),
		cmocka_unit_test(test_decode_sll2_ike_notify),
		cmocka_unit_test(test_decode_raw_ipv6_extension_headers),
		cmocka_unit_test(test_decode_ipv6_fragments),
		cmocka_unit_test(test_decode_ipv4_options_and_fragment),
		cmocka_unit_test(test_decode_loopback_byte_orders),
		cmocka_unit_test(test_decode_keepalive_and_short_natt),
		cmocka_unit_test(test_decode_bogus_ike_lengths),
		cmocka_unit_test(test_decode_ikev1_notify),
		cmocka_unit_test(test_decode_snapshot_length_cut),
		cmocka_unit_test(test_decode_not_ike_and_not_ip),
		cmocka_unit_test(test_decode_every_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
