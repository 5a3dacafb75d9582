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

#endif
