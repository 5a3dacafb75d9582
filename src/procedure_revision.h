/*
 * Document control of the test procedure: each revision is a procedure
 * row in the store and a file in the evidence repository, with its
 * author, change summary, approver and status (draft, approved,
 * superseded).  A run records the procedure row it ran under, so a
 * report can flag a run under a revision that was not approved then.
 */
#ifndef FP_PROCEDURE_REVISION_H
#define FP_PROCEDURE_REVISION_H

#include "store_quarterly.h"
#include "workspace.h"

/*
 * Record a new revision from the definition file at path as a draft:
 * validated against schema/procedure.xsd, archived as
 * procedure/revisions/REVISION.xml in one commit authored by author.
 * FP_EINVAL when that revision number is recorded already, or the file
 * is invalid.  *procedure receives the row id.
 */
int procedure_revise(struct workspace *ws, const char *path,
    const char *author, const char *summary, long *procedure);

/*
 * Approve the latest row of a revision: a draft becomes approved and the
 * approved revision before it superseded, and the definition becomes
 * procedure/procedure.xml.  Approving the approved revision again records
 * its periodic review.  at is when the approver signed it (FP_TIME_NONE:
 * now), so an approval given on paper can be recorded with its date.
 * One commit authored by the approver.  FP_EDENIED
 * when the approver is the revision's author or the revision is
 * superseded; FP_ENOTFOUND when no row has that revision.
 */
int procedure_approve(struct workspace *ws, const char *revision,
    const char *approver, fp_time at);

/*
 * Store the effect of an approval committed as commit on the rows revs
 * (store_revision_list()), inside the caller's transaction.  A draft
 * target becomes approved by approver at the instant at, and the
 * revision approved before it is superseded.  For a target approved
 * already, the approval is its periodic review.
 */
int procedure_control_approve(struct store *s, struct store_revision *revs,
    size_t n, struct store_revision *target, const char *approver,
    fp_time at, const char *commit);

#endif
