/*
 * Waivers: an approver accepts, with a justification and until an
 * expiry, that a criterion of a run or a design defect stays as it is.
 * A waiver never turns a result into a pass.  While it is active the
 * item is "waived".  Once it expires (compared in UTC) the item is "not
 * reviewed" until someone waives it anew.
 */
#ifndef FP_WAIVER_H
#define FP_WAIVER_H

#include <jansson.h>

#include "store_review.h"
#include "workspace.h"

struct waiver_request {
	long run;		/* with criterion */
	const char *criterion;
	long defect;		/* or a defect alone */
	const char *justification;
	const char *approver;
	const char *expires;	/* "2027-03-31" (00:00 UTC) or ISO 8601 */
};

/*
 * Record a waiver: one record file and one commit authored by the
 * approver, then a store row; out receives the row.  FP_EINVAL for an
 * invalid request or an expiry that is not in the future, FP_ENOTFOUND
 * for an unknown run, criterion or defect, FP_EDENIED when the approver
 * executed the run or the defect is verified already.
 */
int waiver_create(struct workspace *ws, const struct waiver_request *req,
    struct store_waiver *out);
/* Free the fields of one waiver that waiver_create() filled. */
void waiver_release(struct store_waiver *w);

/* Whether w is in force at now: it expires at expires_at, exclusive. */
int waiver_active(const struct store_waiver *w, fp_time now);

/*
 * The review status of a criterion of a run (defect 0) or of a defect
 * (criterion NULL) under the waivers v: "waived" when one is active at
 * now, "not-reviewed" when all have expired, NULL when none applies.
 * *which receives the waiver that decided it (the latest).
 */
const char *waiver_status(const struct store_waiver *v, size_t n, long run,
    const char *criterion, long defect, fp_time now,
    const struct store_waiver **which);

/* One line for reports: target, state at now with the zone, approver,
 * justification. */
char *waiver_describe(const struct store_waiver *w, fp_time now);

/* {id, approver, justification, expires, status} of w at now. */
json_t *waiver_json(const struct store_waiver *w, fp_time now);

/*
 * Add "review" ("waived" or "not-reviewed") and "waiver" to each
 * criterion of an evaluation result that a waiver of the run covers,
 * judged at now.
 */
int waiver_annotate(struct workspace *ws, long run, json_t *result,
    fp_time now);

#endif
