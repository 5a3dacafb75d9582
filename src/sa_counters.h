/*
 * Device counters as traffic evidence.  Two readings of the same SA's
 * inbound counter on one host give the packets that host accepted
 * between them, and a counter that did not move is evidence that none
 * came.  An outbound counter shows only what was sent.  Error counters
 * (replay and invalid-SPI drops) that moved after the failover are
 * data-plane faults.
 */
#ifndef FP_SA_COUNTERS_H
#define FP_SA_COUNTERS_H

#include "flow_samples.h"

/* Add a sample per pair of inbound readings that maps onto path. */
void counters_derive(const struct evidence_set *set,
    const struct traffic_path *path, struct derived_samples *out);

/* An error counter that moved between two readings. */
struct counter_change {
	const struct stored_counter *from;	/* NULL: counted from zero */
	const struct stored_counter *to;
	int64_t delta;
	const char *cause;	/* "replay-window" or "spi-mismatch" */
};

/* Fill up to max error counters that moved in a reading taken after
 * since; returns how many. */
size_t counters_errors(const struct evidence_set *set, fp_time since,
    struct counter_change *out, size_t max);

/* The SA counters of one unit after the failover. */
struct unit_counters {
	int readings;		/* SA readings after the failover */
	int in_moved;
	int out_moved;
	const struct stored_counter *in_ref;	/* the reading that shows it */
	const struct stored_counter *out_ref;
	const struct stored_counter *last;	/* the latest SA reading */
};

void counters_of_unit(const struct evidence_set *set, const char *host,
    fp_time since, struct unit_counters *out);

/* The readings of one SA counter (host, SPI, direction), for the listing. */
struct sa_series {
	const struct stored_counter *first;
	const struct stored_counter *last;
	int readings;
	int64_t packets;	/* last minus first, or since install */
	int64_t bytes;
};

/* Group the SA readings by host, SPI and direction; returns the count
 * of series written to *out (newly allocated). */
size_t counters_series(const struct evidence_set *set,
    struct sa_series **out);

#endif
