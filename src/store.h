/*
 * The SQLite store of a workspace: procedures, runs, the index of archived
 * evidence with its normalised records, evaluations, defects and issued
 * reports.  sqlite3 is used only here.
 *
 * Invariants: foreign keys are on; the schema version is PRAGMA
 * user_version; evidence and its records are only ever added; one import
 * is one transaction (store_begin .. store_commit), so a failed import
 * leaves no row behind.
 */
#ifndef FP_STORE_H
#define FP_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "flow_table.h"
#include "model.h"

struct store;

/* Create a new database file with the current schema. */
int store_create(const char *path, struct store **out);
/* Open an existing database, upgrading an older schema. */
int store_open(const char *path, struct store **out);
void store_close(struct store *s);

int store_begin(struct store *s);
int store_commit(struct store *s);
void store_rollback(struct store *s);

struct store_procedure {
	long id;
	char *procedure_id;
	char *revision;
	char *title;
	char *change_category;
	char *review_cycle;
	int64_t max_outage_ms;
	char *sha256;
	char *definition;	/* the template XML as loaded */
};

int store_procedure_put(struct store *s, struct store_procedure *p);
int store_procedure_get(struct store *s, long id, struct store_procedure *out);
int store_procedure_latest(struct store *s, long *id);
void store_procedure_release(struct store_procedure *p);

struct fp_run {
	long id;
	long procedure;
	char *tunnel;
	int scenario;
	char *method;
	char *executed_by;
	char *primary;		/* NULL when not stated */
	char *standby;
	char *peer;
	fp_time failover_at;	/* FP_TIME_NONE when not stated */
	int64_t max_outage_ms;	/* -1: the procedure's default */
	fp_time created_at;
	fp_time changed_at;
};

int store_run_insert(struct store *s, struct fp_run *run);
int store_run_get(struct store *s, long id, struct fp_run *out);
int store_run_touch(struct store *s, long id);
/* Store the method, roles, failover instant and maximum outage of run. */
int store_run_update(struct store *s, const struct fp_run *run);
void fp_run_release(struct fp_run *run);

struct store_evidence {
	long id;
	long run;
	char *name;
	char *kind;
	char *host;
	char *sha256;
	int64_t size;
	char *repo_path;
	char *commit_id;
	fp_time imported_at;
	long records;
	char *partial;
};

/* Returns 0 when found, FP_ENOTFOUND when the run has no such file. */
int store_evidence_find(struct store *s, long run, const char *sha256,
    struct store_evidence *out);
int store_evidence_insert(struct store *s, struct store_evidence *e);
int store_evidence_set_commit(struct store *s, long id, const char *commit);
int store_evidence_finish(struct store *s, long id, long records,
    const char *partial);
int store_evidence_list(struct store *s, long run,
    struct store_evidence **out, size_t *count);
/* Every evidence file of every run, oldest first. */
int store_evidence_all(struct store *s, struct store_evidence **out,
    size_t *count);
void store_evidence_release(struct store_evidence *e);
void store_evidence_list_free(struct store_evidence *v, size_t count);

int store_event_insert(struct store *s, long evidence,
    const struct fp_event *ev);
int store_sample_insert(struct store *s, long evidence,
    const struct fp_sample *sm);
int store_packet_insert(struct store *s, long evidence,
    const struct fp_packet *p);
/* A capture's flow with its paths, segments and anomalies, and a counter
 * reading (store_traffic.c). */
int store_flow_insert(struct store *s, long evidence, const struct flow *f);
int store_counter_insert(struct store *s, long evidence,
    const struct fp_counter *c);
/*
 * Call fn for each event of run, by time then file and line, with the
 * name of the file it came from (store_events.c).  kind NULL means every
 * kind.  A nonzero return from fn stops the walk and is returned.
 */
int store_event_each(struct store *s, long run, const char *kind,
    int (*fn)(void *ctx, const struct fp_event *ev, const char *file),
    void *ctx);

/* A correction added to the time stamps of one host of a run. */
struct store_clock_offset {
	char *host;
	fp_time offset;		/* microseconds */
	fp_time set_at;
};

/* Set or replace the clock offset of host in run (store_events.c). */
int store_clock_offset_put(struct store *s, long run, const char *host,
    fp_time offset);
/* The clock offsets of run, by host name; free with _list_free. */
int store_clock_offset_list(struct store *s, long run,
    struct store_clock_offset **out, size_t *count);
void store_clock_offset_list_free(struct store_clock_offset *v,
    size_t count);

/* A test or experiment step (store_harness.c). */
int store_step_insert(struct store *s, long evidence,
    const struct fp_step *st);

/* A stored record with the name and host of the file it came from. */
struct stored_event {
	struct fp_event e;	/* strings owned by the set */
	const char *file;
	int whole_seconds;	/* its file stamps whole seconds only */
};

struct stored_sample {
	struct fp_sample s;
	const char *file;
	const char *file_host;
};

struct stored_step {
	struct fp_step st;	/* strings owned by the set */
	const char *file;
};

struct stored_packet {
	struct fp_packet p;
	const char *file;
	const char *capture_host;	/* the import's --host, or NULL */
};

/* A flow of a capture (flow_table.h), with its file. */
struct stored_flow {
	struct flow f;
	long evidence;
	const char *file;
	const char *capture_host;	/* the import's --host, or NULL */
};

/* A counter reading, with its file. */
struct stored_counter {
	struct fp_counter c;	/* strings owned by the set */
	long evidence;
	const char *file;
};

/* Everything imported for one run, sorted by time. */
struct evidence_set {
	size_t n_events;
	struct stored_event *events;
	size_t n_samples;
	struct stored_sample *samples;
	size_t n_packets;
	struct stored_packet *packets;
	size_t n_files;
	struct store_evidence *files;
	/* interned strings, freed with the set */
	size_t n_strings;
	size_t cap_strings;
	char **strings;
	/* test and experiment steps, by start time; unknown times last */
	size_t n_steps;
	struct stored_step *steps;
	/* capture flows and device counters (store_traffic.c) */
	size_t n_flows;
	struct stored_flow *flows;
	size_t n_counters;
	struct stored_counter *counters;
};

int store_load_evidence(struct store *s, long run, struct evidence_set *out);
/* Add the steps of run to set (store_harness.c); evidence_set_release
 * frees them. */
int store_load_steps(struct store *s, long run, struct evidence_set *set);
/* Add the flows and counters of run to set (store_traffic.c);
 * evidence_set_release frees them with store_traffic_release. */
int store_load_traffic(struct store *s, long run, struct evidence_set *set);
void store_traffic_release(struct evidence_set *set);
void evidence_set_release(struct evidence_set *set);

struct store_evaluation {
	long id;
	long run;
	fp_time evaluated_at;
	char *verdict;
	char *cause;
	char *outcome;
	int64_t mttr_ms;
	int64_t loss_window_ms;
	char *result_json;
	char *evidence_commit;
};

int store_evaluation_insert(struct store *s, struct store_evaluation *ev);
/* The latest evaluation of a run; FP_ENOTFOUND when never evaluated. */
int store_evaluation_latest(struct store *s, long run,
    struct store_evaluation *out);
void store_evaluation_release(struct store_evaluation *ev);

/*
 * Open a defect for a failed run (once per run) and return its id, or
 * mark every open or fixed defect of the tunnel and scenario, opened by
 * an earlier run, as verified by this passing run.  at is the instant of
 * the evaluation that does it.
 */
int store_defect_open(struct store *s, const struct fp_run *run,
    const char *verdict, const char *cause, fp_time at, long *id);
/*
 * The defects a passing run of the same tunnel and scenario may verify:
 * open or fixed, opened by an earlier run.  ids and runs are allocated.
 */
int store_defect_candidates(struct store *s, const struct fp_run *run,
    long **ids, long **runs, size_t *count);
/* Mark one defect verified by run at the given time. */
int store_defect_verify(struct store *s, long defect, long run, fp_time at);
/* The defect opened by a run: 0 and its id and status, or FP_ENOTFOUND. */
int store_defect_of_run(struct store *s, long run, long *id, char **status);

int store_report_insert(struct store *s, long run, long evaluation,
    const char *xml_sha256, const char *pdf_sha256,
    const char *evidence_commit, const char *commit_id, const char *tag,
    fp_time issued_at);
int store_report_count(struct store *s, long run, long *count);

#endif
