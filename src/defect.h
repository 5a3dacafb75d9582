/*
 * Design defects: a failed run's finding, tracked until a later run of
 * the same tunnel and scenario passes.  A defect goes open -> fixed (its
 * owner's claim) -> verified; only the evaluation of a later passing run
 * that passes every criterion the failed run broke sets verified
 * (evaluate_verify_defects() in evaluate.h), never a user.
 */
#ifndef FP_DEFECT_H
#define FP_DEFECT_H

#include <jansson.h>

#include "store_review.h"
#include "workspace.h"

/*
 * The due date of a defect opened at opened: one review cycle later
 * ("monthly", "quarterly", "semi-annually", "annually" or "yearly", the
 * same day of the month or the month's last day).  Returns 0, or
 * FP_EINVAL for another cycle.
 */
int defect_due(const char *review_cycle, fp_time opened, fp_time *due);

/*
 * Give a newly opened defect of run its due date (one review cycle of the
 * procedure after opened) and its evidence (from the evaluation result),
 * where they are not set yet.  Runs inside the evaluation's transaction.
 */
int defect_plan(struct workspace *ws, const struct fp_run *run, long defect,
    fp_time opened, json_t *result);

/* The {id, status, owner, due_at} object 'evaluate --json' shows. */
json_t *defect_summary_json(struct workspace *ws, long defect);

struct defect_change_request {
	long id;
	const char *actor;	/* --by; NULL: the owner */
	const char *owner;	/* each NULL when not changed */
	const char *due;	/* "2027-03-31" or ISO 8601 */
	const char *status;	/* only "fixed" */
};

/*
 * Change a defect's owner, due date or status, as one record file and
 * one commit authored by the actor.  Marking it fixed needs an owner,
 * and only the owner may claim it.  FP_EDENIED for a verified defect
 * or a status other than fixed, FP_EINVAL for an invalid request.
 */
int defect_set(struct workspace *ws, const struct defect_change_request *req);

/* The defects as a JSON array, with waivers judged at now. */
int defect_list_json(struct workspace *ws, int open_only, fp_time now,
    json_t **out);

#endif
