/*
 * Evaluating a run: determine the roles and the failover instant, run the
 * classifier, store the result with the evidence commit it was built
 * from, open or close design defects, and commit the result to the
 * evidence repository.
 */
#ifndef FP_EVALUATE_H
#define FP_EVALUATE_H

#include <jansson.h>

#include "workspace.h"

/*
 * Evaluate run and return the result as the JSON object that
 * 'evaluate --json' prints (a new reference).
 */
int evaluate_run(struct workspace *ws, long run, json_t **result);

/*
 * Verify, at the instant now, the open or fixed defects of the run's
 * tunnel and scenario that this passing run proves fixed: its failure
 * came after theirs and every criterion their run failed passes in
 * result.  closed receives how many.  Runs inside the evaluation's
 * transaction; a rebuild replays evaluations through it too.
 */
int evaluate_verify_defects(struct workspace *ws, const struct fp_run *run,
    json_t *result, fp_time now, int *closed);

#endif
