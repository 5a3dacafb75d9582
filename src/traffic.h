/*
 * Traffic analysis: from the traffic samples of a run, per direction, the
 * last delivery before the failover, the first after it, whether traffic
 * dropped again, MTTR and the packet-loss windows.
 *
 * A direction is one way between the two endpoints of the measured path
 * ("192.0.2.100 -> 203.0.113.100").  A ping reply proves delivery both
 * ways; an iperf3 interval proves delivery from sender to receiver.
 * Capture flows and device counters add samples of their own
 * (flow_samples.h) when they map onto the path.
 */
#ifndef FP_TRAFFIC_H
#define FP_TRAFFIC_H

#include <stddef.h>

#include "store.h"

/* What one source (ping, iperf3, ...) shows for one direction. */
struct traffic_view {
	const char *source;
	const char *file;
	fp_time resolution;
	long samples;
	fp_time first_offered;		/* FP_TIME_NONE when unknown */
	fp_time last_before;		/* last delivery before the failover */
	const struct stored_sample *last_before_sample;
	fp_time first_after;		/* first delivery at or after it */
	const struct stored_sample *first_after_sample;
	int dropped_again;		/* traffic came back and stopped */
	const struct stored_sample *dropped_sample;
	int loss_after;			/* a loss seen at or after the failover */
	fp_time flowed_until;		/* last delivery after the failover
					 * but before the outage began */
	fp_time last_sample;		/* end of the source's evidence */
};

struct traffic_direction {
	char *label;			/* "a -> b" */
	size_t n_views;
	struct traffic_view *views;
	/* the view with the finest resolution that saw delivery, or NULL */
	const struct traffic_view *best;
};

struct traffic_analysis {
	fp_time failover;
	fp_time window_end;		/* latest sample of any source */
	long n_samples;
	/* the harness samples and the derived ones, by start time */
	size_t n_all;
	struct stored_sample *all;
	struct traffic_direction dir[2];
	int have_both;			/* evidence for both directions */
	int recovered;			/* delivery after failover both ways */
	int dropped_again;
	fp_time recovered_at;		/* the later first_after */
	const struct traffic_view *recovery_view;
};

/* Analyse the samples of set around the failover instant. */
void traffic_analyse(const struct evidence_set *set, fp_time failover,
    struct traffic_analysis *out);
void traffic_analysis_release(struct traffic_analysis *ta);

#endif
