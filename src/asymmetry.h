/*
 * The no-asymmetric-routing criterion from data-plane evidence: after
 * the failover, traffic must leave and return through the same unit.
 *
 * SA counters read on both units decide it.  The standby's inbound and
 * outbound counters moving while the primary's stand still passes.  One
 * unit carrying one direction and the other unit the other fails, and
 * so does the standby carrying one direction only.  Captures taken on the
 * units decide it the same way from their ESP.  A capture taken on a
 * third host can show a failure but never a pass: when the units share
 * an address and sit on its link, ESP to the address going to one MAC
 * while ESP from it comes from another shows two units at work, but one
 * MAC both ways may be a router in front of both.
 */
#ifndef FP_ASYMMETRY_H
#define FP_ASYMMETRY_H

#include "evaluation.h"
#include "traffic.h"

struct asymmetry {
	const char *result;	/* "pass", "fail"; NULL: no evidence decides */
	char *reason;
	struct ev_refs refs;
};

void asymmetry_judge(const struct classify_input *in,
    const struct traffic_analysis *ta, struct asymmetry *out);

#endif
