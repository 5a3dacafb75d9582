/*
 * The parts of an evaluation that need the store beyond the run's own
 * evidence: attestations of its preconditions, and findings about every
 * run of its tunnel in the review period.
 */
#ifndef FP_REVIEW_JUDGE_H
#define FP_REVIEW_JUDGE_H

#include "evaluation.h"
#include "workspace.h"

/*
 * Apply the run's attestations to ev's preconditions and add the
 * "graceful-only" finding when every run of the run's tunnel in its
 * calendar quarter (UTC) used a graceful switchover.
 */
int review_judge(struct workspace *ws, const struct fp_run *run,
    struct evaluation *ev);

#endif
