/*
 * ESP flows judged around the failover: which of their packets reached a
 * receiver that could accept them, and the data-plane faults that no
 * daemon has to log.
 *
 * ESP seen on the wire is not delivery.  A packet counts as delivered
 * unless one of these is known:
 *   - a sequence restart on an unchanged SPI: the receiver's anti-replay
 *     window has seen the numbers, so it drops every packet up to the
 *     highest number it had (RFC 4303 section 3.4.3);
 *   - the receiver logged anti-replay or unknown-SPI drops for the SPI;
 *   - the SA was deleted before the packet;
 *   - after the failover, the receiver (address and MAC, which
 *     distinguish the units of an HA pair) had not sent any ESP since
 *     the failover, so no unit there has an SA.  ESP to the capture host
 *     itself is exempt, since it arrived where it was captured.
 * Each cause is also a flag on the flow.  So is a NAT binding that
 * changed: ESP in UDP on an SPI that after the failover comes on other
 * ports, or from another address, than before it.
 */
#ifndef FP_ESP_FLOWS_H
#define FP_ESP_FLOWS_H

#include "flow_samples.h"

enum esp_flag_kind {
	ESP_SEQ_RESTART = 1,	/* anti-replay failure after a restart */
	ESP_REPLAY_LOGGED,	/* the receiver logged anti-replay drops */
	ESP_INVALID_LOGGED,	/* the receiver logged an unknown SPI */
	ESP_DEAD_SPI,		/* the active unit never answered */
	ESP_AFTER_DELETE,	/* ESP after its SA was deleted */
	ESP_NOT_NEGOTIATED,	/* no CHILD SA in the logs has the SPI */
	ESP_NAT_CHANGE,		/* new UDP ports or source after failover */
};

struct esp_flag {
	enum esp_flag_kind kind;
	fp_time from;		/* first packet concerned */
	fp_time to;		/* last one; FP_TIME_NONE: to the end */
	long packet;		/* a packet concerned, 0 when none */
	int64_t packets;	/* packets concerned, estimated; -1 unknown */
	const struct stored_event *event;	/* the log line, or NULL */
	int after_failover;
};

#define ESP_MAX_FLAGS 8

struct esp_judgement {
	const struct stored_flow *sf;
	size_t n_flags;
	struct esp_flag flags[ESP_MAX_FLAGS];
};

struct esp_analysis {
	fp_time failover;	/* FP_TIME_NONE: no failover-relative rule */
	size_t n;
	struct esp_judgement *v;	/* the ESP flows of the set, in order */
};

/* Judge every ESP flow of set; failover may be FP_TIME_NONE. */
void esp_analyse(const struct evidence_set *set, fp_time failover,
    struct esp_analysis *out);
void esp_analysis_release(struct esp_analysis *ea);

/* Stable id of a flag for users' scripts: "seq-restart", ... */
const char *esp_flag_id(enum esp_flag_kind kind);
/* One sentence on the flag, for reports and the traffic listing. */
char *esp_flag_text(const struct esp_judgement *j, const struct esp_flag *fl);

/*
 * The direction of path that an ESP flow carries (1, 2) or 0.  On an
 * outer path its addresses decide.  Else the traffic selectors of the SA
 * counters with its SPI decide, else the sides of the clear-side capture
 * taken on the same host.
 */
int esp_flow_direction(const struct evidence_set *set,
    const struct stored_flow *sf, const struct traffic_path *path);

/* Add a sample per delivered or dropped stretch of the ESP flows that
 * map onto path. */
void esp_derive(const struct evidence_set *set, const struct esp_analysis *ea,
    const struct traffic_path *path, struct derived_samples *out);

/*
 * The units an address was reached through after a moment: the MAC that
 * the latest ESP to it went to and the MAC the latest ESP from it came
 * from, in one capture.  Empty strings when unknown.
 */
struct esp_units {
	const char *file;
	const char *address;	/* the far end of the capture host */
	char to_mac[18];
	long to_packet;
	char from_mac[18];
	long from_packet;
};
/* Fill up to max entries, one per capture with ESP both ways after
 * since; returns how many. */
size_t esp_units_after(const struct evidence_set *set, fp_time since,
    struct esp_units *out, size_t max);

#endif
