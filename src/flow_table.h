/*
 * Flows: the traffic of a capture aggregated while it is read, so that
 * the memory an import needs does not grow with the number of packets.
 *
 * A flow is one direction of one conversation: an ESP SPI from a source
 * to a destination, the echo requests (or replies) of one ICMP echo id
 * between two hosts, or a UDP or TCP port pair.  Each flow keeps its
 * counts and its ESP sequence analysis.  Per link-layer path (the MAC
 * pair and interface, which distinguish the units of an HA pair that
 * share an address) it keeps the segments of activity: runs of packets
 * separated by less than the path's gap.  A silence of at least the gap
 * ends a segment, so the times of the last packet before an outage and
 * the first after it are kept exactly.
 *
 * Bounds: at most FLOW_MAX_ESP ESP flows and FLOW_MAX_CLEAR other flows
 * per capture, FLOW_MAX_PATHS paths per flow, and FLOW_SEGMENT_BUDGET
 * segments in all.  When the segments exceed the budget, the path with
 * the most segments doubles its gap and merges the segments closer than
 * it, so a long capture loses timing resolution, never packets or bytes.
 */
#ifndef FP_FLOW_TABLE_H
#define FP_FLOW_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

#define FLOW_MAX_ESP		2048
#define FLOW_MAX_CLEAR		2048
#define FLOW_MAX_PATHS		8
#define FLOW_MAX_ANOMALIES	32
#define FLOW_SEGMENT_BUDGET	(1 << 18)
/* The gap of a new path: silences shorter than this are not outages. */
#define FLOW_FIRST_GAP		50000
/* Bits of the sequence window that separates repeats from late packets. */
#define FLOW_SEQ_WINDOW		64

enum flow_kind {
	FLOW_ESP = 1,
	FLOW_ICMP,		/* ICMP or ICMPv6 echo requests or replies */
	FLOW_UDP,
	FLOW_TCP,
};

/* A run of packets with no silence of the path's gap or longer. */
struct flow_segment {
	fp_time start;
	fp_time end;
	long first_packet;
	long last_packet;
	int64_t packets;
	int64_t bytes;
};

/*
 * The packets of a flow that share a MAC pair, an interface and, for ESP
 * in UDP, a port pair: a NAT that maps the flow anew starts a new path.
 */
struct flow_path {
	char src_mac[18];	/* "" when the link has no MAC */
	char dst_mac[18];
	unsigned interface;
	unsigned sport;		/* ESP in UDP; 0 otherwise */
	unsigned dport;
	int64_t packets;
	int64_t bytes;
	fp_time gap;		/* a silence this long starts a segment */
	size_t n_segments;
	size_t cap_segments;
	struct flow_segment *segments;	/* by start time */
};

enum flow_anomaly_kind {
	FLOW_SEQ_GAP = 1,	/* sequence numbers skipped */
	FLOW_SEQ_REPEAT,	/* a number seen before, within the window */
	FLOW_SEQ_LATE,		/* a skipped number that came later */
	FLOW_SEQ_RESTART,	/* the sender went back beyond the window */
};

/*
 * One sequence-number event.  After a restart, a receiver whose
 * anti-replay window has seen the numbers before drops every packet up
 * to the highest number it had: replay_top.  The first later packet
 * above it is the first that the receiver accepts again.
 */
struct flow_anomaly {
	enum flow_anomaly_kind kind;
	fp_time ts;
	long packet;
	uint32_t seq;
	uint32_t previous;	/* the highest number before this packet */
	uint32_t replay_top;	/* restart: the highest number ever seen */
	fp_time accepted_ts;	/* restart: FP_TIME_NONE when none came */
	long accepted_packet;
	int64_t below;		/* restart: packets at or below replay_top */
};

struct flow {
	enum flow_kind kind;
	char src[46];
	char dst[46];
	uint32_t spi;		/* ESP */
	unsigned sport;		/* UDP, TCP */
	unsigned dport;
	int icmp_type;		/* ICMP echo: request or reply type */
	int icmp_id;
	int udp_encap;		/* ESP in UDP 4500 */
	int64_t packets;
	int64_t bytes;		/* on the wire, link-layer header included */
	fp_time first;
	fp_time last;
	long first_packet;
	long last_packet;
	fp_time spacing;	/* mean interval under 1 s; 0 when unknown */
	unsigned ttl_min;	/* 0 when unknown */
	unsigned ttl_max;
	/* ESP sequence numbers */
	uint32_t seq_first;
	uint32_t seq_last;
	uint32_t seq_min;
	uint32_t seq_max;
	int64_t seq_gaps;	/* jumps forward */
	int64_t seq_missing;	/* numbers skipped and never seen later */
	int64_t seq_repeats;
	int64_t seq_late;
	int64_t seq_restarts;
	/* ICMP echo replies to a request that the capture contains */
	int64_t echo_pairs;
	size_t n_paths;
	struct flow_path paths[FLOW_MAX_PATHS];
	size_t n_anomalies;
	struct flow_anomaly anomalies[FLOW_MAX_ANOMALIES];
	int64_t anomalies_dropped;
};

struct flow_table;

struct flow_table *flow_table_new(void);
void flow_table_free(struct flow_table *ft);

/*
 * Add one decoded packet.  Returns 1 when the packet is not aggregated
 * and the caller should keep it as a packet record (IKE always; NAT
 * keepalives, other ICMP and other protocols up to FLOW_MAX_ROWS), else
 * 0.  Packets without a time are counted but not aggregated.
 */
#define FLOW_MAX_ROWS		65536
int flow_table_add(struct flow_table *ft, const struct fp_packet *p);

size_t flow_table_count(const struct flow_table *ft);
/* The i-th flow, in the order of their first packet. */
const struct flow *flow_table_get(const struct flow_table *ft, size_t i);

/* Counts of what the bounds left out, for the import's warnings. */
struct flow_table_stats {
	int64_t unflowed_packets;	/* flows over the maximum */
	int64_t untimed_packets;
	int64_t rows_dropped;		/* packet records over FLOW_MAX_ROWS */
	int coarsened;			/* a gap was doubled */
};
void flow_table_stats(const struct flow_table *ft,
    struct flow_table_stats *out);

/* "esp", "icmp", "udp" or "tcp". */
const char *flow_kind_name(enum flow_kind kind);
enum flow_kind flow_kind_from_name(const char *name);
const char *flow_anomaly_name(enum flow_anomaly_kind kind);
enum flow_anomaly_kind flow_anomaly_from_name(const char *name);

/* Release the segments of a flow that is not in a table. */
void flow_release(struct flow *f);

#endif
