/*
 * The review workflow in the store: issued reports and their signers,
 * reviewers' sign-offs, attestations of preconditions, waivers, and the
 * life of design defects (open -> fixed -> verified).
 *
 * Invariants: review, attestation, waiver and defect_change rows are
 * append-only.  Each names the record file and the commit that hold the
 * same statement in the evidence repository, and the caller commits the
 * record first and inserts the row afterwards.  Only
 * store_defect_verify() (store.h), called by the evaluation of a run that
 * proves the fix, sets a defect to verified.
 */
#ifndef FP_STORE_REVIEW_H
#define FP_STORE_REVIEW_H

#include <stddef.h>

#include "store.h"

/* An issued report, with the run's executor for the separation of duties. */
struct store_report {
	long id;
	long run;
	long evaluation;
	char *xml_sha256;	/* NULL when no XML was issued */
	char *pdf_sha256;	/* NULL when no PDF was issued */
	char *evidence_commit;
	char *commit_id;
	char *tag;		/* run-ID-report-N */
	fp_time issued_at;
	char *signer_name;	/* NULL for reports issued before version 2 */
	char *signer_subject;
	char *signer_spki_sha256;
	char *executed_by;	/* of the report's run */
};

/* The latest report of a run; FP_ENOTFOUND when none was issued. */
int store_report_latest(struct store *s, long run, struct store_report *out);
/* Every issued report of every run, oldest first. */
int store_report_all(struct store *s, struct store_report **out,
    size_t *count);
/* Record who signed the report tagged tag. */
int store_report_set_signer(struct store *s, const char *tag,
    const char *name, const char *subject, const char *spki_sha256);
void store_report_release(struct store_report *r);
void store_report_list_free(struct store_report *v, size_t count);

/* The location of a row's statement in the evidence repository. */
struct store_record {
	char *path;		/* record file in the working tree */
	char *sha256;		/* of that file */
	char *commit_id;	/* commit that added it */
};

void store_record_release(struct store_record *rec);

struct store_review {
	long id;
	long run;
	long report;
	long evaluation;
	char *reviewer;
	char *decision;		/* approve, reject */
	char *comment;
	fp_time reviewed_at;
	char *report_pdf_sha256;
	char *report_xml_sha256;
	char *signed_pdf_sha256;
	char *signed_xml_sha256;
	char *cert_subject;
	char *cert_spki_sha256;
	char *tag;		/* run-ID-review-N */
	struct store_record record;
};

int store_review_insert(struct store *s, struct store_review *r);
/* The reviews of a run, oldest first. */
int store_review_list(struct store *s, long run, struct store_review **out,
    size_t *count);
void store_review_list_free(struct store_review *v, size_t count);

struct store_attestation {
	long id;
	long run;
	char *precondition;
	char *attested_by;
	char *note;
	fp_time attested_at;
	struct store_record record;
};

int store_attestation_insert(struct store *s, struct store_attestation *a);
int store_attestation_list(struct store *s, long run,
    struct store_attestation **out, size_t *count);
void store_attestation_list_free(struct store_attestation *v, size_t count);

/* A waiver targets either a criterion of a run or a defect. */
struct store_waiver {
	long id;
	long run;		/* 0 for a defect waiver */
	char *criterion;	/* NULL for a defect waiver */
	long defect;		/* 0 for a criterion waiver */
	char *justification;
	char *approver;
	fp_time expires_at;
	fp_time created_at;
	struct store_record record;
};

int store_waiver_insert(struct store *s, struct store_waiver *w);
/*
 * The waivers of a run's criteria and of the defect the run opened
 * (run > 0), or every waiver (run == 0), oldest first.
 */
int store_waiver_list(struct store *s, long run, struct store_waiver **out,
    size_t *count);
void store_waiver_list_free(struct store_waiver *v, size_t count);

struct store_defect {
	long id;
	long run;
	char *tunnel;
	int scenario;
	char *verdict;
	char *cause;
	char *status;		/* open, fixed, verified */
	fp_time opened_at;
	char *owner;		/* NULL until assigned */
	fp_time due_at;		/* FP_TIME_NONE when not set */
	char *evidence;		/* JSON text, NULL for defects of version 1 */
	fp_time fixed_at;
	char *fixed_by;
	fp_time closed_at;	/* when a passing run verified it */
	long closed_by_run;	/* that run, 0 when none */
};

int store_defect_get(struct store *s, long id, struct store_defect *out);
/* Defects oldest first; with open_only, those not yet verified. */
int store_defect_list(struct store *s, int open_only,
    struct store_defect **out, size_t *count);
/* Set the due date and the evidence of a new defect, where still unset. */
int store_defect_plan(struct store *s, long id, fp_time due_at,
    const char *evidence);
/*
 * Change a defect: owner and due date when not NULL / FP_TIME_NONE, and
 * mark it fixed at the instant at when fixed_by is not NULL.  Returns
 * FP_EDENIED when the defect is verified already.
 */
int store_defect_update(struct store *s, long id, const char *owner,
    fp_time due_at, const char *fixed_by, fp_time at);
void store_defect_release(struct store_defect *d);
void store_defect_list_free(struct store_defect *v, size_t count);

struct store_defect_change {
	long id;
	long defect;
	char *actor;
	char *change;		/* "owner=Ana Engineer", "status=fixed", ... */
	fp_time changed_at;
	struct store_record record;
};

int store_defect_change_insert(struct store *s, struct store_defect_change *c);
int store_defect_change_list(struct store *s, long defect,
    struct store_defect_change **out, size_t *count);
void store_defect_change_list_free(struct store_defect_change *v,
    size_t count);

#endif
