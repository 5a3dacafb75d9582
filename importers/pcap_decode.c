/*
 * Packet decoding for the capture importer.  Every header is read only
 * after checking that the captured bytes contain it, so a hostile length
 * field can end the decoding early but never read past the frame.
 *
 * The link layers are Ethernet with 802.1Q and 802.1ad tags, Linux cooked
 * capture v1 and v2, BSD loopback and raw IP.  Above them: IPv4 (RFC 791),
 * IPv6 and its extension headers (RFC 8200), AH (RFC 4302), ESP (RFC
 * 4303), UDP encapsulation on port 4500 (RFC 3948), IKEv2 (RFC 7296) and
 * ISAKMP for IKEv1 (RFC 2408).
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pcap_decode.h"

#define ETHERTYPE_IPV4		0x0800
#define ETHERTYPE_IPV6		0x86dd
#define ETHERTYPE_VLAN		0x8100	/* 802.1Q */
#define ETHERTYPE_QINQ		0x88a8	/* 802.1ad service tag */
#define ETHERTYPE_QINQ_OLD	0x9100	/* pre-standard QinQ */
#define ETHERTYPE_MIN		0x0600	/* smaller values are 802.3 lengths */
#define ARPHRD_ETHER		1

#define PORT_IKE		500
#define PORT_NATT		4500

#define IKE_HEADER_LEN		28
#define IKE_FLAG_ENCRYPTION	0x01	/* IKEv1: payloads are encrypted */
#define IKE_FLAG_INITIATOR	0x08	/* IKEv2 */
#define IKE_FLAG_RESPONSE	0x20	/* IKEv2 */
#define IKEV1_PAYLOAD_NOTIFY	11
#define IKEV2_PAYLOAD_NOTIFY	41
#define IKEV2_PAYLOAD_SK	46	/* encrypted and authenticated */
#define IKEV2_PAYLOAD_SKF	53	/* encrypted fragment, RFC 7383 */

#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

struct decoder {
	struct fp_packet *pkt;
	int cut;		/* the capture kept only the frame's start */
	int fragment;		/* first fragment of a larger IP datagram */
};

struct code_name {
	unsigned code;
	const char *name;
};

/* IKEv2 notify message types, from the IANA "IKEv2 Parameters" registry. */
static const struct code_name ikev2_notify_names[] = {
	{ 1, "UNSUPPORTED_CRITICAL_PAYLOAD" },
	{ 4, "INVALID_IKE_SPI" },
	{ 5, "INVALID_MAJOR_VERSION" },
	{ 7, "INVALID_SYNTAX" },
	{ 9, "INVALID_MESSAGE_ID" },
	{ 11, "INVALID_SPI" },
	{ 14, "NO_PROPOSAL_CHOSEN" },
	{ 17, "INVALID_KE_PAYLOAD" },
	{ 24, "AUTHENTICATION_FAILED" },
	{ 34, "SINGLE_PAIR_REQUIRED" },
	{ 35, "NO_ADDITIONAL_SAS" },
	{ 36, "INTERNAL_ADDRESS_FAILURE" },
	{ 37, "FAILED_CP_REQUIRED" },
	{ 38, "TS_UNACCEPTABLE" },
	{ 39, "INVALID_SELECTORS" },
	{ 40, "UNACCEPTABLE_ADDRESSES" },
	{ 41, "UNEXPECTED_NAT_DETECTED" },
	{ 42, "USE_ASSIGNED_HoA" },
	{ 43, "TEMPORARY_FAILURE" },
	{ 44, "CHILD_SA_NOT_FOUND" },
	{ 45, "INVALID_GROUP_ID" },
	{ 46, "AUTHORIZATION_FAILED" },
	{ 47, "STATE_NOT_FOUND" },
	{ 16384, "INITIAL_CONTACT" },
	{ 16385, "SET_WINDOW_SIZE" },
	{ 16386, "ADDITIONAL_TS_POSSIBLE" },
	{ 16387, "IPCOMP_SUPPORTED" },
	{ 16388, "NAT_DETECTION_SOURCE_IP" },
	{ 16389, "NAT_DETECTION_DESTINATION_IP" },
	{ 16390, "COOKIE" },
	{ 16391, "USE_TRANSPORT_MODE" },
	{ 16392, "HTTP_CERT_LOOKUP_SUPPORTED" },
	{ 16393, "REKEY_SA" },
	{ 16394, "ESP_TFC_PADDING_NOT_SUPPORTED" },
	{ 16395, "NON_FIRST_FRAGMENTS_ALSO" },
	{ 16396, "MOBIKE_SUPPORTED" },
	{ 16397, "ADDITIONAL_IP4_ADDRESS" },
	{ 16398, "ADDITIONAL_IP6_ADDRESS" },
	{ 16399, "NO_ADDITIONAL_ADDRESSES" },
	{ 16400, "UPDATE_SA_ADDRESSES" },
	{ 16401, "COOKIE2" },
	{ 16402, "NO_NATS_ALLOWED" },
	{ 16403, "AUTH_LIFETIME" },
	{ 16404, "MULTIPLE_AUTH_SUPPORTED" },
	{ 16405, "ANOTHER_AUTH_FOLLOWS" },
	{ 16406, "REDIRECT_SUPPORTED" },
	{ 16407, "REDIRECT" },
	{ 16408, "REDIRECTED_FROM" },
	{ 16409, "TICKET_LT_OPAQUE" },
	{ 16410, "TICKET_REQUEST" },
	{ 16411, "TICKET_ACK" },
	{ 16412, "TICKET_NACK" },
	{ 16413, "TICKET_OPAQUE" },
	{ 16414, "LINK_ID" },
	{ 16415, "USE_WESP_MODE" },
	{ 16416, "ROHC_SUPPORTED" },
	{ 16417, "EAP_ONLY_AUTHENTICATION" },
	{ 16418, "CHILDLESS_IKEV2_SUPPORTED" },
	{ 16419, "QUICK_CRASH_DETECTION" },
	{ 16420, "IKEV2_MESSAGE_ID_SYNC_SUPPORTED" },
	{ 16421, "IPSEC_REPLAY_COUNTER_SYNC_SUPPORTED" },
	{ 16422, "IKEV2_MESSAGE_ID_SYNC" },
	{ 16423, "IPSEC_REPLAY_COUNTER_SYNC" },
	{ 16424, "SECURE_PASSWORD_METHODS" },
	{ 16425, "PSK_PERSIST" },
	{ 16426, "PSK_CONFIRM" },
	{ 16427, "ERX_SUPPORTED" },
	{ 16428, "IFOM_CAPABILITY" },
	{ 16429, "SENDER_REQUEST_ID" },
	{ 16430, "IKEV2_FRAGMENTATION_SUPPORTED" },
	{ 16431, "SIGNATURE_HASH_ALGORITHMS" },
	{ 16432, "CLONE_IKE_SA_SUPPORTED" },
	{ 16433, "CLONE_IKE_SA" },
	{ 16434, "PUZZLE" },
	{ 16435, "USE_PPK" },
	{ 16436, "PPK_IDENTITY" },
	{ 16437, "NO_PPK_AUTH" },
	{ 16438, "INTERMEDIATE_EXCHANGE_SUPPORTED" },
	{ 16439, "IP4_ALLOWED" },
	{ 16440, "IP6_ALLOWED" },
	{ 16441, "ADDITIONAL_KEY_EXCHANGE" },
	{ 16442, "USE_AGGFRAG" },
};

/*
 * IKEv1 notify message types: RFC 2408 section 3.14.1, the IPsec DOI
 * (RFC 2407 section 4.6.3) and dead peer detection (RFC 3706).  The names
 * use underscores so that the classifier matches them with IKEv2's.
 */
static const struct code_name ikev1_notify_names[] = {
	{ 1, "INVALID_PAYLOAD_TYPE" },
	{ 2, "DOI_NOT_SUPPORTED" },
	{ 3, "SITUATION_NOT_SUPPORTED" },
	{ 4, "INVALID_COOKIE" },
	{ 5, "INVALID_MAJOR_VERSION" },
	{ 6, "INVALID_MINOR_VERSION" },
	{ 7, "INVALID_EXCHANGE_TYPE" },
	{ 8, "INVALID_FLAGS" },
	{ 9, "INVALID_MESSAGE_ID" },
	{ 10, "INVALID_PROTOCOL_ID" },
	{ 11, "INVALID_SPI" },
	{ 12, "INVALID_TRANSFORM_ID" },
	{ 13, "ATTRIBUTES_NOT_SUPPORTED" },
	{ 14, "NO_PROPOSAL_CHOSEN" },
	{ 15, "BAD_PROPOSAL_SYNTAX" },
	{ 16, "PAYLOAD_MALFORMED" },
	{ 17, "INVALID_KEY_INFORMATION" },
	{ 18, "INVALID_ID_INFORMATION" },
	{ 19, "INVALID_CERT_ENCODING" },
	{ 20, "INVALID_CERTIFICATE" },
	{ 21, "CERT_TYPE_UNSUPPORTED" },
	{ 22, "INVALID_CERT_AUTHORITY" },
	{ 23, "INVALID_HASH_INFORMATION" },
	{ 24, "AUTHENTICATION_FAILED" },
	{ 25, "INVALID_SIGNATURE" },
	{ 26, "ADDRESS_NOTIFICATION" },
	{ 27, "NOTIFY_SA_LIFETIME" },
	{ 28, "CERTIFICATE_UNAVAILABLE" },
	{ 29, "UNSUPPORTED_EXCHANGE_TYPE" },
	{ 30, "UNEQUAL_PAYLOAD_LENGTHS" },
	{ 16384, "CONNECTED" },
	{ 24576, "RESPONDER_LIFETIME" },
	{ 24577, "REPLAY_STATUS" },
	{ 24578, "INITIAL_CONTACT" },
	{ 36136, "R_U_THERE" },
	{ 36137, "R_U_THERE_ACK" },
};

/* IKEv2 exchange types, from the IANA "IKEv2 Parameters" registry. */
static const struct code_name ikev2_exchange_names[] = {
	{ 34, "IKE_SA_INIT" },
	{ 35, "IKE_AUTH" },
	{ 36, "CREATE_CHILD_SA" },
	{ 37, "INFORMATIONAL" },
	{ 38, "IKE_SESSION_RESUME" },
	{ 43, "IKE_INTERMEDIATE" },
	{ 44, "IKE_FOLLOWUP_KE" },
};

/*
 * IKEv1 exchange types (RFC 2408, RFC 2409, mode config's TRANSACTION),
 * spelled as in strongSwan's exchange_type_names, which its log lines
 * use, so that capture and syslog evidence name them alike.
 */
static const struct code_name ikev1_exchange_names[] = {
	{ 1, "BASE" },
	{ 2, "ID_PROT" },
	{ 3, "AUTH_ONLY" },
	{ 4, "AGGRESSIVE" },
	{ 5, "INFORMATIONAL_V1" },
	{ 6, "TRANSACTION" },
	{ 32, "QUICK_MODE" },
	{ 33, "NEW_GROUP_MODE" },
};

static const char *
find_name(const struct code_name *table, size_t count, unsigned code)
{
	size_t i;

	for (i = 0; i < count; i++) {
		if (table[i].code == code)
			return table[i].name;
	}
	return NULL;
}

const char *
fp_packet_proto_name(enum fp_packet_proto proto)
{
	switch (proto) {
	case FP_PKT_IKE:
		return "ike";
	case FP_PKT_ESP:
		return "esp";
	case FP_PKT_NAT_KEEPALIVE:
		return "nat-keepalive";
	case FP_PKT_ICMP:
		return "icmp";
	case FP_PKT_UDP:
		return "udp";
	case FP_PKT_TCP:
		return "tcp";
	case FP_PKT_OTHER:
		break;
	}
	return "other";
}

const char *
fp_ike_exchange_name(int version, int exchange)
{
	const char *name = NULL;

	if (exchange < 0)
		return "";
	if (version == 2)
		name = find_name(ikev2_exchange_names,
		    NITEMS(ikev2_exchange_names), (unsigned)exchange);
	else if (version == 1)
		name = find_name(ikev1_exchange_names,
		    NITEMS(ikev1_exchange_names), (unsigned)exchange);
	return name != NULL ? name : "";
}

void
fp_ike_notify_name(int version, unsigned type, char *buf, size_t size)
{
	const char *name;

	if (version == 2)
		name = find_name(ikev2_notify_names,
		    NITEMS(ikev2_notify_names), type);
	else
		name = find_name(ikev1_notify_names,
		    NITEMS(ikev1_notify_names), type);
	if (name != NULL)
		snprintf(buf, size, "%s", name);
	else
		snprintf(buf, size, "%u", type);
}

int
fp_pcap_linktype_supported(int linktype)
{
	switch (linktype) {
	case FP_LINKTYPE_NULL:
	case FP_LINKTYPE_ETHERNET:
	case FP_DLT_RAW:
	case FP_DLT_RAW_OPENBSD:
	case FP_LINKTYPE_RAW:
	case FP_LINKTYPE_LOOP:
	case FP_LINKTYPE_LINUX_SLL:
	case FP_LINKTYPE_IPV4:
	case FP_LINKTYPE_IPV6:
	case FP_LINKTYPE_LINUX_SLL2:
		return 1;
	}
	return 0;
}

static uint16_t
get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * MAC addresses, IKE SPIs and IPv4 addresses are formatted by hand:
 * snprintf() and inet_ntop() took over half of the import time of a 67 MB
 * capture of 414,416 packets (perf on a 2-vCPU Debian 12 machine).
 */
static const char hex_digits[] = "0123456789abcdef";

static void
format_mac(char out[18], const unsigned char *p)
{
	int i;

	for (i = 0; i < 6; i++) {
		out[3 * i] = hex_digits[p[i] >> 4];
		out[3 * i + 1] = hex_digits[p[i] & 0x0f];
		out[3 * i + 2] = i < 5 ? ':' : '\0';
	}
}

static void
format_hex64(char out[17], const unsigned char *p)
{
	int i;

	for (i = 0; i < 8; i++) {
		out[2 * i] = hex_digits[p[i] >> 4];
		out[2 * i + 1] = hex_digits[p[i] & 0x0f];
	}
	out[16] = '\0';
}

/* Dotted-quad text of an IPv4 address; out has room for 16 bytes. */
static void
format_ipv4(char *out, const unsigned char *p)
{
	int i;

	for (i = 0; i < 4; i++) {
		if (p[i] >= 100)
			*out++ = (char)('0' + p[i] / 100);
		if (p[i] >= 10)
			*out++ = (char)('0' + p[i] / 10 % 10);
		*out++ = (char)('0' + p[i] % 10);
		*out++ = i < 3 ? '.' : '\0';
	}
}

/* Return FP_EINVAL for a header that the frame does not contain in full. */
static int
short_header(const struct decoder *d, const char *what, size_t need,
    size_t have)
{
	if (d->cut)
		return fp_fail(FP_EINVAL, "%s cut by the snapshot length "
		    "(%zu of %zu bytes captured): capture with a larger "
		    "snapshot length to decode it", what, have, need);
	return fp_fail(FP_EINVAL, "malformed packet: %s incomplete "
	    "(%zu of %zu bytes present)", what, have, need);
}

/*
 * Walk the unencrypted payloads of an IKE message and keep the name of the
 * first Notify.  The walk stops at an IKEv2 SK or SKF payload, whose
 * content is encrypted, and silently at the end of the captured bytes.
 */
static int
walk_ike_payloads(struct decoder *d, const unsigned char *msg, size_t avail,
    uint32_t length)
{
	struct fp_packet *pkt = d->pkt;
	unsigned next = msg[16], notify, type_offset, plen;
	size_t offset = IKE_HEADER_LEN;

	if (pkt->ike_version == 2) {
		notify = IKEV2_PAYLOAD_NOTIFY;
		type_offset = 6;	/* generic header, protocol, SPI size */
	} else {
		notify = IKEV1_PAYLOAD_NOTIFY;
		type_offset = 10;	/* also a 4-byte DOI */
	}

	while (next != 0) {
		if (pkt->ike_version == 2 &&
		    (next == IKEV2_PAYLOAD_SK || next == IKEV2_PAYLOAD_SKF))
			break;
		if (offset + 4 > length)
			return fp_fail(FP_EINVAL, "malformed IKE message: "
			    "payload type %u at offset %zu starts past the "
			    "message length %u", next, offset, length);
		if (offset + 4 > avail)
			break;
		plen = get16(msg + offset + 2);
		if (plen < 4 || plen > length - offset)
			return fp_fail(FP_EINVAL, "malformed IKE message: "
			    "payload type %u at offset %zu has the invalid "
			    "length %u (message length %u)", next, offset,
			    plen, length);
		if (next == notify && pkt->notify[0] == '\0') {
			if (plen < type_offset + 2)
				return fp_fail(FP_EINVAL, "malformed IKE "
				    "message: notify payload at offset %zu "
				    "has %u bytes, fewer than its %u-byte "
				    "header", offset, plen, type_offset + 2);
			if (offset + type_offset + 2 > avail)
				break;
			fp_ike_notify_name(pkt->ike_version,
			    get16(msg + offset + type_offset), pkt->notify,
			    sizeof(pkt->notify));
		}
		next = msg[offset];
		offset += plen;
	}
	return 0;
}

/*
 * Decode the IKE message at msg.  avail bytes of it were captured, and
 * the UDP length leaves room for declared bytes.
 */
static int
decode_ike(struct decoder *d, const unsigned char *msg, size_t avail,
    size_t declared, int udp_encap)
{
	struct fp_packet *pkt = d->pkt;
	static const unsigned char zero_spi[8];
	unsigned major, flags;
	uint32_t length;

	if (avail < IKE_HEADER_LEN)
		return short_header(d, "IKE header", IKE_HEADER_LEN, avail);
	major = msg[17] >> 4;
	if (major != 1 && major != 2)
		return fp_fail(FP_EINVAL, "UDP payload on an IKE port is "
		    "not IKE: unknown major version %u", major);

	pkt->proto = FP_PKT_IKE;
	pkt->udp_encap = udp_encap;
	format_hex64(pkt->ike_spi_i, msg);
	format_hex64(pkt->ike_spi_r, msg + 8);
	pkt->ike_version = (int)major;
	pkt->exchange = msg[18];
	flags = msg[19];
	pkt->msgid = get32(msg + 20);
	length = get32(msg + 24);
	if (major == 2) {
		pkt->is_initiator = (flags & IKE_FLAG_INITIATOR) != 0;
		pkt->is_response = (flags & IKE_FLAG_RESPONSE) != 0;
	} else if (memcmp(msg + 8, zero_spi, sizeof(zero_spi)) == 0) {
		/*
		 * IKEv1 has no initiator or response flag.  Only the first
		 * message of an exchange, sent by the initiator before the
		 * responder chose its cookie, can be identified.
		 */
		pkt->is_initiator = 1;
		pkt->is_response = 0;
	}

	if (length < IKE_HEADER_LEN)
		return fp_fail(FP_EINVAL, "malformed IKE message: length %u "
		    "is shorter than the %d-byte header", length,
		    IKE_HEADER_LEN);
	if (length > declared)
		return fp_fail(FP_EINVAL, "malformed IKE message: length %u "
		    "exceeds the UDP payload of %zu bytes", length, declared);
	if (major == 1 && (flags & IKE_FLAG_ENCRYPTION))
		return 0;
	return walk_ike_payloads(d, msg, avail, length);
}

static int
decode_esp(struct decoder *d, const unsigned char *p, size_t len,
    int udp_encap)
{
	struct fp_packet *pkt = d->pkt;

	if (len < 8)
		return short_header(d, "ESP header", 8, len);
	pkt->proto = FP_PKT_ESP;
	pkt->udp_encap = udp_encap;
	pkt->spi = get32(p);
	pkt->seq = get32(p + 4);
	return 0;
}

/*
 * UDP port 4500 (RFC 3948): a single 0xff byte is a NAT keepalive, four
 * zero bytes (the non-ESP marker) precede IKE, and anything else is ESP.
 */
static int
decode_natt(struct decoder *d, const unsigned char *p, size_t avail,
    size_t declared)
{
	static const unsigned char non_esp_marker[4];

	if (declared == 1 && avail == 1 && p[0] == 0xff) {
		d->pkt->proto = FP_PKT_NAT_KEEPALIVE;
		return 0;
	}
	if (declared >= 4 && avail >= 4 &&
	    memcmp(p, non_esp_marker, sizeof(non_esp_marker)) == 0)
		return decode_ike(d, p + 4, avail - 4, declared - 4, 1);
	if (declared < 8)
		return fp_fail(FP_EINVAL, "malformed packet: UDP port 4500 "
		    "payload of %zu bytes is neither a NAT keepalive, IKE "
		    "nor ESP", declared);
	return decode_esp(d, p, avail, 1);
}

static int
decode_udp(struct decoder *d, const unsigned char *p, size_t len)
{
	struct fp_packet *pkt = d->pkt;
	size_t ulen, declared, avail;

	if (len < 8)
		return short_header(d, "UDP header", 8, len);
	pkt->proto = FP_PKT_UDP;
	pkt->sport = get16(p);
	pkt->dport = get16(p + 2);
	ulen = get16(p + 4);
	if (ulen < 8)
		return fp_fail(FP_EINVAL, "malformed packet: UDP length %zu "
		    "is shorter than the 8-byte header", ulen);
	declared = ulen - 8;
	avail = len - 8;
	if (declared < avail)
		avail = declared;
	else if (declared > avail && !d->cut && !d->fragment)
		return fp_fail(FP_EINVAL, "malformed packet: UDP length %zu "
		    "exceeds the %zu bytes of the IP payload", ulen, len);

	if (pkt->sport == PORT_NATT || pkt->dport == PORT_NATT)
		return decode_natt(d, p + 8, avail, declared);
	if (pkt->sport == PORT_IKE || pkt->dport == PORT_IKE)
		return decode_ike(d, p + 8, avail, declared, 0);
	return 0;
}

static int
decode_icmp(struct decoder *d, const unsigned char *p, size_t len,
    int version)
{
	struct fp_packet *pkt = d->pkt;
	int echo;

	if (len < 4)
		return short_header(d, "ICMP header", 4, len);
	pkt->proto = FP_PKT_ICMP;
	pkt->icmp_type = p[0];
	if (version == 6)
		echo = p[0] == 128 || p[0] == 129;
	else
		echo = p[0] == 0 || p[0] == 8;
	if (!echo)
		return 0;
	if (len < 8)
		return short_header(d, "ICMP echo header", 8, len);
	pkt->icmp_id = get16(p + 4);
	pkt->icmp_seq = get16(p + 6);
	return 0;
}

/* Decode the payload of IP protocol `proto` in an IPv4 or IPv6 packet. */
static int
decode_transport(struct decoder *d, unsigned proto, const unsigned char *p,
    size_t len, int version)
{
	struct fp_packet *pkt = d->pkt;
	size_t ahlen;

	/* AH authenticates but does not hide what follows it. */
	while (proto == IPPROTO_AH) {
		if (len < 2)
			return short_header(d, "AH header", 2, len);
		ahlen = ((size_t)p[1] + 2) * 4;
		if (ahlen > len)
			return short_header(d, "AH header", ahlen, len);
		proto = p[0];
		p += ahlen;
		len -= ahlen;
	}

	switch (proto) {
	case IPPROTO_ESP:
		return decode_esp(d, p, len, 0);
	case IPPROTO_UDP:
		return decode_udp(d, p, len);
	case IPPROTO_TCP:
		/*
		 * NOTE: IKE and ESP carried in TCP (RFC 8229) are reported
		 * as TCP: only the ports are decoded.
		 */
		if (len < 4)
			return short_header(d, "TCP header", 4, len);
		pkt->proto = FP_PKT_TCP;
		pkt->sport = get16(p);
		pkt->dport = get16(p + 2);
		return 0;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return decode_icmp(d, p, len, version);
	}
	return 0;
}

static int
decode_ipv4(struct decoder *d, const unsigned char *p, size_t len)
{
	struct fp_packet *pkt = d->pkt;
	size_t header_len, total;
	unsigned fragment;

	if (len < 20)
		return short_header(d, "IPv4 header", 20, len);
	if (p[0] >> 4 != 4)
		return fp_fail(FP_EINVAL, "malformed packet: IP version %u "
		    "where IPv4 was expected", (unsigned)(p[0] >> 4));
	header_len = (size_t)(p[0] & 0x0f) * 4;
	if (header_len < 20)
		return fp_fail(FP_EINVAL, "malformed packet: IPv4 header "
		    "length %zu is shorter than 20 bytes", header_len);
	if (header_len > len)
		return short_header(d, "IPv4 header with options",
		    header_len, len);
	format_ipv4(pkt->src, p + 12);
	format_ipv4(pkt->dst, p + 16);
	pkt->ttl = p[8];

	/* A total length of 0 comes from TCP segmentation offload. */
	total = get16(p + 2);
	if (total != 0 && total < header_len)
		return fp_fail(FP_EINVAL, "malformed packet: IPv4 total "
		    "length %zu is shorter than its %zu-byte header", total,
		    header_len);
	if (total != 0 && total < len)
		len = total;	/* drop the Ethernet padding */
	else if (total > len && !d->cut)
		return fp_fail(FP_EINVAL, "malformed packet: IPv4 total "
		    "length %zu exceeds the %zu bytes of the frame", total,
		    len);

	fragment = get16(p + 6);
	if ((fragment & 0x1fff) != 0)
		return 0;	/* only the first fragment has the ports */
	if (fragment & 0x2000)
		d->fragment = 1;
	return decode_transport(d, p[9], p + header_len, len - header_len,
	    4);
}

static int
decode_ipv6(struct decoder *d, const unsigned char *p, size_t len)
{
	struct fp_packet *pkt = d->pkt;
	size_t payload_len, header_len;
	unsigned next;

	if (len < 40)
		return short_header(d, "IPv6 header", 40, len);
	if (p[0] >> 4 != 6)
		return fp_fail(FP_EINVAL, "malformed packet: IP version %u "
		    "where IPv6 was expected", (unsigned)(p[0] >> 4));
	inet_ntop(AF_INET6, p + 8, pkt->src, sizeof(pkt->src));
	inet_ntop(AF_INET6, p + 24, pkt->dst, sizeof(pkt->dst));
	pkt->ttl = p[7];

	/* A payload length of 0 announces a jumbogram (RFC 2675). */
	payload_len = get16(p + 4);
	len -= 40;
	if (payload_len != 0 && payload_len < len)
		len = payload_len;
	else if (payload_len > len && !d->cut)
		return fp_fail(FP_EINVAL, "malformed packet: IPv6 payload "
		    "length %zu exceeds the %zu bytes of the frame",
		    payload_len, len);
	next = p[6];
	p += 40;

	for (;;) {
		switch (next) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_ROUTING:
		case IPPROTO_DSTOPTS:
			if (len < 2)
				return short_header(d,
				    "IPv6 extension header", 2, len);
			header_len = ((size_t)p[1] + 1) * 8;
			break;
		case IPPROTO_FRAGMENT:
			if (len < 8)
				return short_header(d,
				    "IPv6 fragment header", 8, len);
			if ((get16(p + 2) & 0xfff8) != 0)
				return 0;	/* not the first fragment */
			if (p[3] & 0x01)
				d->fragment = 1;
			header_len = 8;
			break;
		default:
			return decode_transport(d, next, p, len, 6);
		}
		if (header_len > len)
			return short_header(d, "IPv6 extension header",
			    header_len, len);
		next = p[0];
		p += header_len;
		len -= header_len;
	}
}

/* Decode a payload of Ethernet type `type`, after any VLAN tags. */
static int
decode_ethertype(struct decoder *d, unsigned type, const unsigned char *p,
    size_t len)
{
	while (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ ||
	    type == ETHERTYPE_QINQ_OLD) {
		if (len < 4)
			return short_header(d, "VLAN tag", 4, len);
		type = get16(p + 2);
		p += 4;
		len -= 4;
	}

	switch (type) {
	case ETHERTYPE_IPV4:
		return decode_ipv4(d, p, len);
	case ETHERTYPE_IPV6:
		return decode_ipv6(d, p, len);
	}
	return 0;	/* ARP, LLDP, an 802.3 length: not IP */
}

/* Decode by the first nibble, for link types that carry bare IP. */
static int
decode_ip(struct decoder *d, const unsigned char *p, size_t len)
{
	if (len < 1)
		return short_header(d, "IP header", 1, len);
	switch (p[0] >> 4) {
	case 4:
		return decode_ipv4(d, p, len);
	case 6:
		return decode_ipv6(d, p, len);
	}
	return fp_fail(FP_EINVAL, "malformed packet: IP version %u in a raw "
	    "IP frame", (unsigned)(p[0] >> 4));
}

/*
 * BSD loopback: a 4-byte address family, in the byte order of the
 * capturing host for LINKTYPE_NULL and in network order for LINKTYPE_LOOP.
 * AF_INET is 2 everywhere; AF_INET6 is 10 on Linux, 24 on NetBSD and
 * OpenBSD, 28 on FreeBSD and 30 on macOS.
 */
static int
decode_loopback(struct decoder *d, const unsigned char *p, size_t len,
    int network_order)
{
	uint32_t family;

	if (len < 4)
		return short_header(d, "loopback header", 4, len);
	family = get32(p);
	if (!network_order && family > 0xffff)
		family = (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
		    (uint32_t)p[1] << 8 | p[0];
	switch (family) {
	case 2:
		return decode_ipv4(d, p + 4, len - 4);
	case 10:
	case 24:
	case 28:
	case 30:
		return decode_ipv6(d, p + 4, len - 4);
	}
	return 0;
}

int
fp_pcap_decode(struct fp_packet *pkt, int linktype,
    const unsigned char *frame, size_t caplen)
{
	struct decoder d;

	pkt->proto = FP_PKT_OTHER;
	pkt->is_response = -1;
	pkt->is_initiator = -1;
	pkt->icmp_type = -1;
	pkt->icmp_id = -1;
	pkt->icmp_seq = -1;
	d.pkt = pkt;
	d.cut = caplen < pkt->wire_len;
	d.fragment = 0;

	switch (linktype) {
	case FP_LINKTYPE_ETHERNET:
		if (caplen < 14)
			return short_header(&d, "Ethernet header", 14, caplen);
		format_mac(pkt->dst_mac, frame);
		format_mac(pkt->src_mac, frame + 6);
		if (get16(frame + 12) < ETHERTYPE_MIN)
			return 0;	/* 802.3 with LLC: not IP */
		return decode_ethertype(&d, get16(frame + 12), frame + 14,
		    caplen - 14);
	case FP_LINKTYPE_LINUX_SLL:
		/* Packet type, address type and length, 8-byte address. */
		if (caplen < 16)
			return short_header(&d, "Linux cooked header", 16,
			    caplen);
		if (get16(frame + 2) == ARPHRD_ETHER && get16(frame + 4) == 6)
			format_mac(pkt->src_mac, frame + 6);
		return decode_ethertype(&d, get16(frame + 14), frame + 16,
		    caplen - 16);
	case FP_LINKTYPE_LINUX_SLL2:
		/* Protocol, reserved, interface index, then as in v1. */
		if (caplen < 20)
			return short_header(&d, "Linux cooked v2 header", 20,
			    caplen);
		if (get16(frame + 8) == ARPHRD_ETHER && frame[11] == 6)
			format_mac(pkt->src_mac, frame + 12);
		return decode_ethertype(&d, get16(frame), frame + 20,
		    caplen - 20);
	case FP_LINKTYPE_NULL:
		return decode_loopback(&d, frame, caplen, 0);
	case FP_LINKTYPE_LOOP:
		return decode_loopback(&d, frame, caplen, 1);
	case FP_DLT_RAW:
	case FP_DLT_RAW_OPENBSD:
	case FP_LINKTYPE_RAW:
		return decode_ip(&d, frame, caplen);
	case FP_LINKTYPE_IPV4:
		return decode_ipv4(&d, frame, caplen);
	case FP_LINKTYPE_IPV6:
		return decode_ipv6(&d, frame, caplen);
	}
	return fp_fail(FP_EINVAL, "link type %d is not supported", linktype);
}
