/* The review workflow's part of the report model (report.h). */
#ifndef FP_REVIEW_REPORT_H
#define FP_REVIEW_REPORT_H

#include "report.h"
#include "workspace.h"

/*
 * Fill the sign-off of r (reviewer, decision, time, comment, stale) and
 * its workflow records from the store; r->run_id and r->generated_at
 * must be set, and defect is the id of the run's defect or 0.  Waivers
 * are described as active or expired at r->generated_at.
 */
int review_report_fill(struct workspace *ws, struct report *r, long defect);

/* Free what review_report_fill() added; report_free() calls it. */
void review_report_free(struct report *r);

#endif
