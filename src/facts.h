/*
 * Facts about the control plane around a failover, read from the events
 * and captured packets of one run: what the decision tree and the
 * criteria ask.  Each fact keeps the first record that shows it.
 */
#ifndef FP_FACTS_H
#define FP_FACTS_H

#include "evaluation.h"

struct fact {
	fp_time ts;			/* valid when count > 0 */
	const struct stored_event *event;
	const struct stored_packet *packet;
	/* a record of a flow or counter: file, "packet" or "line", number */
	const char *file;
	const char *unit;
	long number;
	long count;
};

struct facts {
	fp_time failover;
	fp_time window_end;
	struct fact new_ike;		/* IKE SA established with the standby */
	struct fact new_child;		/* CHILD SA established after failover */
	struct fact new_ike_peer;	/* the same, as the peer logged them */
	struct fact new_child_peer;
	struct fact ha_sync;		/* state sync to the standby before it */
	struct fact inherited;		/* the standby activated a synced SA */
	struct fact answered;		/* response on an inherited SA */
	struct fact rejection;		/* the peer rejects the standby */
	const char *rejection_cause;
	struct fact unanswered;		/* retransmits, give-up */
	struct fact init_sent;		/* standby initiates */
	struct fact peer_noticed;	/* DPD timeout or SA deletion at peer */
	struct fact old_removed;	/* peer removes the primary's SA */
	struct fact invalid_spi;
	struct fact replay;
	struct fact seq_restart;	/* ESP sequence restarted, same SPI */
	char *data_plane;		/* what the flows or counters showed */
	struct fact nat_change;
	struct fact operator_reset;
	int standby_logs;		/* events from the standby exist */
	int peer_logs;
	int primary_logs;
	int captures;			/* IKE or ESP packets exist */
	int standby_captures;		/* a capture taken at the standby */
};

void facts_collect(const struct classify_input *in, fp_time window_end,
    struct facts *out);
void facts_release(struct facts *f);
/*
 * The data-plane facts of the capture flows and device counters
 * (traffic_facts.c): sequence restarts, ESP to an SPI the receiver does
 * not have, counted replay and invalid-SPI drops.
 */
void traffic_facts_collect(const struct classify_input *in,
    struct facts *f);

/* Add the record behind a fact to refs. */
void fact_ref(const struct fact *f, struct ev_refs *refs);
int fact_seen(const struct fact *f);

#endif
