/*
 * Decoding of one captured frame into a struct fp_packet: the link-layer
 * header, IPv4 or IPv6, then UDP, TCP, ICMP, ESP and the IKE header.
 * The capture readers in pcap.c call it for every packet record.  It reads
 * only the bytes it is given and never allocates.
 */
#ifndef FP_PCAP_DECODE_H
#define FP_PCAP_DECODE_H

#include <stddef.h>

#include "../src/model.h"

/*
 * Link-layer header types: the LINKTYPE_* values of the tcpdump.org
 * registry, plus the DLT_* values that libpcap returns in their place
 * (DLT_RAW is 12, or 14 on OpenBSD, where the file has LINKTYPE_RAW 101).
 */
#define FP_LINKTYPE_NULL	0
#define FP_LINKTYPE_ETHERNET	1
#define FP_DLT_RAW		12
#define FP_DLT_RAW_OPENBSD	14
#define FP_LINKTYPE_RAW		101
#define FP_LINKTYPE_LOOP	108
#define FP_LINKTYPE_LINUX_SLL	113
#define FP_LINKTYPE_IPV4	228
#define FP_LINKTYPE_IPV6	229
#define FP_LINKTYPE_LINUX_SLL2	276

/* Return 1 when fp_pcap_decode() understands the link type, else 0. */
int fp_pcap_linktype_supported(int linktype);

/*
 * Decode a frame of caplen captured bytes.  The caller sets pkt->number,
 * ts, wire_len and interface and zeroes the rest; the decoder fills the
 * other members and sets the unknown ones to -1 (is_response, is_initiator,
 * icmp_type, icmp_id, icmp_seq).  A frame cut by the snapshot length
 * (caplen < wire_len) or an IP fragment ends the IKE payload walk without
 * a warning.  Returns 0, or FP_EINVAL with an fp_fail() message when a
 * header is malformed or too short to classify the packet.  pkt then keeps
 * what was decoded before that header.
 */
int fp_pcap_decode(struct fp_packet *pkt, int linktype,
    const unsigned char *frame, size_t caplen);

/*
 * Write the name of IKE notify message type `type` (IKEv2 when version
 * is 2, else IKEv1) into buf, or its decimal number when it has none.
 */
void fp_ike_notify_name(int version, unsigned type, char *buf, size_t size);

#endif
