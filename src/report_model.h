/* Building the report model of a run from the store. */
#ifndef FP_REPORT_MODEL_H
#define FP_REPORT_MODEL_H

#include "report.h"
#include "workspace.h"

/*
 * Fill r from the run, its procedure, its latest evaluation and its
 * evidence.  Fails when the run changed after that evaluation, since the
 * report would not show what the store holds.
 */
int report_model_load(struct workspace *ws, long run, struct report *r,
    long *evaluation_id);

#endif
