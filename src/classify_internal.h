/* Parts of the classifier shared between classify.c and judge.c. */
#ifndef FP_CLASSIFY_INTERNAL_H
#define FP_CLASSIFY_INTERNAL_H

#include "evaluation.h"
#include "facts.h"

#define Q1_TEXT "Did traffic recover in both directions within the " \
	"maximum outage?"
#define Q2_TEXT "Was an IKE negotiation with an outcome observed after " \
	"the failover?"
#define Q3_TEXT "Was an IKE SA with the standby up while traffic did not " \
	"flow in both directions within the maximum outage?"
#define Q4_TEXT "Did the peer actively reject the standby?"
#define Q5_TEXT "Did recovery miss the threshold for timing reasons only?"

void view_ref(const struct stored_sample *ss, struct ev_refs *refs);
char *format_seconds(int64_t ms);

void measure(const struct classify_input *in,
    const struct traffic_analysis *ta, const struct facts *f,
    struct evaluation *ev);
void judge_criteria(const struct classify_input *in,
    const struct traffic_analysis *ta, const struct facts *f,
    struct evaluation *ev);
void judge_preconditions(const struct classify_input *in,
    const struct traffic_analysis *ta, const struct facts *f,
    struct evaluation *ev);
void note_findings(const struct classify_input *in,
    const struct traffic_analysis *ta, const struct facts *f,
    struct evaluation *ev);
void decide_outcome(struct evaluation *ev);
/* judge_outcome.c: a not-met precondition blocks the run; the reason
 * and evidence of the outcome. */
int outcome_blocked(const struct evaluation *ev);
void explain_outcome(struct evaluation *ev);
/* judge_config.c: lifetimes and timers from imported configurations. */
void judge_lifetimes(const struct classify_input *in, struct evaluation *ev);
void note_timers(const struct classify_input *in, struct evaluation *ev);

/* judge_harness.c: harness errors, failed steps, the timeline. */
void judge_harness(const struct classify_input *in,
    const struct traffic_analysis *ta, struct evaluation *ev);
void judge_timeline(const struct classify_input *in, struct evaluation *ev);
int harness_errored(const struct evaluation *ev);

#endif
