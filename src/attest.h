/*
 * Attestations: where the evidence cannot decide a precondition (no
 * configuration of one side, logs not imported), a named person states
 * that it held.  The evaluation shows such a precondition as attested,
 * never as met: it was stated, not observed.
 */
#ifndef FP_ATTEST_H
#define FP_ATTEST_H

#include "evaluation.h"
#include "store_review.h"
#include "workspace.h"

/*
 * Record that precondition (an id of the run's procedure) held for run,
 * as one record file and one commit authored by `by`, then a store row.
 * The run counts as changed, so its sign-off becomes stale and it must
 * be evaluated again.  out receives the row (release with
 * attest_release()).  FP_ENOTFOUND for an unknown run or precondition,
 * FP_EINVAL for an empty name or note.
 */
int attest_record(struct workspace *ws, long run, const char *precondition,
    const char *by, const char *note, struct store_attestation *out);
void attest_release(struct store_attestation *a);

/*
 * Mark each precondition of ev that the evidence left undetermined and
 * that has an attestation as "attested", with the latest attestation as
 * the reason.  Met and not-met results are never changed.
 */
int attest_apply(struct workspace *ws, long run, struct evaluation *ev);

#endif
