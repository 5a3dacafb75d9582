/*
 * Store access for the schedule, document control and the quarterly
 * report: registered tunnels, change records, procedure revisions with
 * their approval, and one summary row per run with its latest
 * evaluation.  Defects, sign-offs and waivers are read here too,
 * from whichever columns the workspace's schema version has.
 *
 * Tunnel and change rows are append-only.  Callers commit the record
 * file to the evidence repository first and insert the row afterwards.
 */
#ifndef FP_STORE_QUARTERLY_H
#define FP_STORE_QUARTERLY_H

#include <stddef.h>

#include "store.h"

struct store_tunnel {
	long id;
	char *name;
	char *units;		/* "fwa,fwb" */
	char *peer;
	char *vendor;
	int ike_version;	/* 1 or 2 */
	fp_time added_at;
	char *added_by;		/* may be NULL */
	char *record_path;
	char *commit_id;
};

/* Returns FP_EINVAL when a tunnel of that name is registered already. */
int store_tunnel_insert(struct store *s, struct store_tunnel *t);
/* Registered tunnels by name. */
int store_tunnel_list(struct store *s, struct store_tunnel **out,
    size_t *count);
/* 1 when registered, 0 when not, or a negative FP_E* code. */
int store_tunnel_exists(struct store *s, const char *name);
void store_tunnel_list_free(struct store_tunnel *v, size_t count);

struct store_change {
	long id;
	char *tunnel;
	char *kind;		/* crypto, timer, software, topology */
	fp_time changed_at;
	char *changed_by;
	char *ref;
	fp_time recorded_at;
	char *record_path;
	char *commit_id;
};

int store_change_insert(struct store *s, struct store_change *c);
/* Every change record, oldest change first. */
int store_change_list(struct store *s, struct store_change **out,
    size_t *count);
void store_change_list_free(struct store_change *v, size_t count);

/* A procedure row with its document control. */
struct store_revision {
	long procedure;		/* procedure.id */
	char *procedure_id;	/* VPN-HA-FAILOVER-TEST */
	char *revision;		/* "1.0" */
	char *sha256;
	fp_time loaded_at;
	char *status;		/* draft, approved, superseded */
	char *author;		/* NULL when not recorded */
	char *summary;
	fp_time revised_at;	/* FP_TIME_NONE when not recorded */
	char *approved_by;
	fp_time approved_at;	/* the first approval */
	char *reviewed_by;	/* the latest periodic review, or NULL */
	fp_time reviewed_at;
	fp_time superseded_at;
	char *commit_id;
};

/* Every procedure row, oldest first; a row never approved is a draft. */
int store_revision_list(struct store *s, struct store_revision **out,
    size_t *count);
/* Insert or replace the document control of one procedure row. */
int store_revision_put(struct store *s, const struct store_revision *r);
void store_revision_list_free(struct store_revision *v, size_t count);

/* One run and its latest evaluation (evaluation 0 when never evaluated). */
struct store_run_summary {
	long id;
	long procedure;
	char *tunnel;
	int scenario;
	char *method;
	char *executed_by;
	fp_time failover_at;	/* as stated at 'run new', or FP_TIME_NONE */
	char *evaluated_failover;	/* ISO 8601 from the evaluation */
	fp_time created_at;
	long evaluation;
	fp_time evaluated_at;
	char *verdict;
	char *cause;
	char *outcome;
	int64_t mttr_ms;	/* -1 when not recovered */
	int64_t loss_window_ms;
	char *evidence_commit;
};

/* Every run, by id. */
int store_run_summaries(struct store *s, struct store_run_summary **out,
    size_t *count);
void store_run_summaries_free(struct store_run_summary *v, size_t count);
/* The stored evaluation JSON of an evaluation row. */
int store_evaluation_json(struct store *s, long evaluation, char **json);

struct store_defect_row {
	long id;
	long run;
	char *tunnel;
	int scenario;
	char *verdict;
	char *cause;
	char *status;		/* open, fixed, verified ("closed" before v2) */
	fp_time opened_at;
	fp_time closed_at;	/* FP_TIME_NONE while not verified */
	long closed_by_run;	/* 0 when none */
	char *owner;		/* NULL when the schema has no owner */
	fp_time due_at;
};

int store_defect_rows(struct store *s, struct store_defect_row **out,
    size_t *count);
void store_defect_rows_free(struct store_defect_row *v, size_t count);

/* The latest sign-off of a run. */
struct store_signoff_row {
	long run;
	char *reviewer;
	char *decision;		/* approve, reject */
	fp_time reviewed_at;
	char *comment;
	int stale;		/* the run changed after the review */
};

/* The latest review of each run that has one; none before schema 2. */
int store_signoff_rows(struct store *s, struct store_signoff_row **out,
    size_t *count);
void store_signoff_rows_free(struct store_signoff_row *v, size_t count);

struct store_waiver_row {
	long id;
	long run;		/* 0 for a defect waiver */
	char *criterion;
	long defect;		/* 0 for a criterion waiver */
	char *justification;
	char *approver;
	fp_time expires_at;
	fp_time created_at;
};

/* Every waiver, oldest first; none before schema 2. */
int store_waiver_rows(struct store *s, struct store_waiver_row **out,
    size_t *count);
void store_waiver_rows_free(struct store_waiver_row *v, size_t count);

#endif
