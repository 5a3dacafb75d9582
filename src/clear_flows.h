/*
 * Clear-side flows: ICMP echo, UDP and TCP between the protected hosts,
 * captured behind a gateway, as proof of delivery at the application
 * level.  A packet that crossed the tunnel before the capture point (its
 * time to live shows it, see flow_samples.h) was delivered through it.
 * A packet about to enter the tunnel proves nothing about its delivery,
 * except an echo request whose reply crossed back: that reply proves
 * the round trip.
 */
#ifndef FP_CLEAR_FLOWS_H
#define FP_CLEAR_FLOWS_H

#include "flow_samples.h"

/* Add a sample per stretch of the crossed clear flows that map onto an
 * inner path. */
void clear_derive(const struct evidence_set *set, fp_time failover,
    const struct traffic_path *path, struct derived_samples *out);

/*
 * Choose the path to measure when no harness measured one: the busiest
 * crossed clear-side flow (from its far host to its near one), else the
 * outer addresses of the busiest ESP conversation, else the outer
 * addresses of an SA counter.  Returns 0 when nothing gives a path.
 */
int traffic_path_from_flows(const struct evidence_set *set,
    struct traffic_path *out);

#endif
