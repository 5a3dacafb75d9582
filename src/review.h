/*
 * The reviewer's sign-off of a run: the separation of duties, the
 * reviewer's signature on the run's latest issued reports, and whether a
 * sign-off still covers the run as it is now.
 */
#ifndef FP_REVIEW_H
#define FP_REVIEW_H

#include "workspace.h"

struct review_request {
	long run;
	const char *reviewer;
	const char *decision;	/* approve, reject */
	const char *comment;
	const char *key_pem;
	const char *cert_pem;
};

struct review_result {
	long id;
	char tag[64];		/* run-ID-review-N */
	char commit[41];
	char *report_tag;	/* the issued report it covers */
	char *pdf_path;		/* reviewed files in the working tree, or NULL */
	char *xml_path;
	size_t pdf_signatures;	/* valid signatures in the reviewed PDF */
};

/*
 * Sign off the latest issued report of a run.  The review is rejected
 * with FP_EDENIED when the reviewer is the run's executor.  That is the
 * same name (trimmed, ignoring case), or a certificate with the subject
 * or public key of one that signed a report of this run or of another
 * run by the same executor, or the author of a change record of the
 * tunnel in the run's quarter.  It is rejected with FP_EINVAL when the
 * run changed after that report was issued.
 *
 * The reviewer signs a copy of the issued PDF (a further incremental
 * update, so the earlier signatures stay valid) and of the XML report (a
 * signed <reviewer-signoff>); both copies and a record file are one
 * commit authored by the reviewer, tagged run-ID-review-N.
 */
int review_run(struct workspace *ws, const struct review_request *req,
    struct review_result *out);
void review_result_release(struct review_result *res);

/*
 * Record who signed the issued report tagged tag: the signer's name and
 * the subject and public key of the certificate at cert_pem, which the
 * separation of duties compares with a reviewer's.
 */
int review_record_signer(struct workspace *ws, const char *tag,
    const char *name, const char *cert_pem);

/* The latest sign-off of a run as a report shows it. */
struct review_state {
	int reviewed;		/* 0: pending, the fields below are empty */
	char *reviewer;
	char *decision;		/* approve, reject */
	char *comment;
	fp_time reviewed_at;
	char *tag;		/* run-ID-review-N */
	int stale;		/* the run changed after the review */
	char *stale_reason;
};

/*
 * Fill out with the latest sign-off of run.  It is stale when the run
 * changed after it (run.changed_at, an import or an attestation) or
 * was evaluated again.
 */
int review_state_load(struct workspace *ws, long run,
    struct review_state *out);
void review_state_release(struct review_state *st);

#endif
