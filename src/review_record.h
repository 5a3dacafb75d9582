/*
 * Helpers of the review workflow: the names of the people who act, and
 * the record files that keep each sign-off, attestation, waiver and
 * defect change in the evidence repository as a commit authored by the
 * person who acted.
 */
#ifndef FP_REVIEW_RECORD_H
#define FP_REVIEW_RECORD_H

#include <jansson.h>

#include "procedure.h"
#include "store_review.h"
#include "workspace.h"

/*
 * Check a person's name given with an option such as "--reviewer": it
 * must contain a visible character and no control character, '<' or '>'
 * (git author names cannot hold them).  Returns 0 or FP_EINVAL.
 */
int actor_name_check(const char *name, const char *option);

/*
 * Whether two names denote the same person: equal after trimming,
 * collapsing inner white space and ignoring ASCII case.
 * NOTE: letters outside ASCII are compared byte for byte, so "Ána" and
 * "ÁNA" count as two people.
 */
int actor_same(const char *a, const char *b);

/*
 * A path "DIR/PREFIX-N.json" in the working tree whose N is one more
 * than the highest in use.  *number receives N.
 */
char *record_next_path(struct workspace *ws, const char *dir,
    const char *prefix, long *number);

/*
 * Write body as indented JSON to rel in the working tree and commit it
 * with actor as the author and message as the commit message.  The
 * author's email is CHANGE_NO_EMAIL, because actors give none.  On
 * success out receives the path, the SHA-256 of the file and the commit,
 * to be released with store_record_release().  On failure the file is
 * removed from the working tree and the index.
 */
int record_commit(struct workspace *ws, const char *rel, json_t *body,
    const char *actor, const char *message, struct store_record *out);

/* Load the procedure a run is judged against. */
int record_run_procedure(struct workspace *ws, const struct fp_run *run,
    struct procedure *out);

/* Copy a file of the workspace to dst, replacing dst through a
 * temporary file beside it. */
int record_export(const char *src, const char *dst);

/* "2027-03-31T00:00:00.000Z", or JSON null for FP_TIME_NONE. */
json_t *record_time_json(fp_time t);

#endif
