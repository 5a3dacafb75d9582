/* Evaluations, design defects and issued reports in the store. */
#include <stdlib.h>

#include "store_internal.h"

int
store_evaluation_insert(struct store *s, struct store_evaluation *ev)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "INSERT INTO evaluation (run, evaluated_at, verdict, "
	    "cause, outcome, mttr_ms, loss_window_ms, result_json, "
	    "evidence_commit) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, ev->run);
	sqlite3_bind_int64(st, 2, ev->evaluated_at);
	bind_text(st, 3, ev->verdict);
	bind_text(st, 4, ev->cause);
	bind_text(st, 5, ev->outcome);
	bind_opt(st, 6, ev->mttr_ms);
	bind_opt(st, 7, ev->loss_window_ms);
	bind_text(st, 8, ev->result_json);
	bind_text(st, 9, ev->evidence_commit);
	rc = step_done(s, st, "cannot record the evaluation");
	sqlite3_finalize(st);
	if (rc == 0)
		ev->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int
store_evaluation_latest(struct store *s, long run, struct store_evaluation *out)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "SELECT id, run, evaluated_at, verdict, cause, outcome, "
	    "mttr_ms, loss_window_ms, result_json, evidence_commit FROM "
	    "evaluation WHERE run = ? ORDER BY id DESC LIMIT 1", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, run);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return fp_fail(FP_ENOTFOUND, "run %ld has not been evaluated: "
		    "run 'failproof evaluate %ld' first", run, run);
	}
	out->id = sqlite3_column_int64(st, 0);
	out->run = sqlite3_column_int64(st, 1);
	out->evaluated_at = sqlite3_column_int64(st, 2);
	out->verdict = col_text(st, 3);
	out->cause = col_text(st, 4);
	out->outcome = col_text(st, 5);
	out->mttr_ms = col_opt(st, 6);
	out->loss_window_ms = col_opt(st, 7);
	out->result_json = col_text(st, 8);
	out->evidence_commit = col_text(st, 9);
	sqlite3_finalize(st);
	return 0;
}

void
store_evaluation_release(struct store_evaluation *ev)
{
	free(ev->verdict);
	free(ev->cause);
	free(ev->outcome);
	free(ev->result_json);
	free(ev->evidence_commit);
}

int
store_defect_open(struct store *s, const struct fp_run *run,
    const char *verdict, const char *cause, fp_time at, long *id)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "INSERT INTO defect (run, tunnel, scenario, verdict, "
	    "cause, status, opened_at) VALUES (?, ?, ?, ?, ?, 'open', ?) "
	    "ON CONFLICT (run) DO UPDATE SET verdict = excluded.verdict, "
	    "cause = excluded.cause", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, run->id);
	bind_text(st, 2, run->tunnel);
	sqlite3_bind_int(st, 3, run->scenario);
	bind_text(st, 4, verdict);
	bind_text(st, 5, cause);
	sqlite3_bind_int64(st, 6, at);
	rc = step_done(s, st, "cannot open the defect");
	sqlite3_finalize(st);
	if (rc != 0)
		return rc;
	return store_defect_of_run(s, run->id, id, NULL);
}

int
store_defect_candidates(struct store *s, const struct fp_run *run,
    long **ids, long **runs, size_t *count)
{
	sqlite3_stmt *st = NULL;
	size_t n = 0;
	int rc;

	*ids = *runs = NULL;
	rc = prepare(s, "SELECT id, run FROM defect WHERE tunnel = ? AND "
	    "scenario = ? AND status IN ('open', 'fixed') AND run < ? "
	    "ORDER BY id", &st);
	if (rc != 0)
		return rc;
	bind_text(st, 1, run->tunnel);
	sqlite3_bind_int(st, 2, run->scenario);
	sqlite3_bind_int64(st, 3, run->id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		*ids = xrealloc(*ids, (n + 1) * sizeof(**ids));
		*runs = xrealloc(*runs, (n + 1) * sizeof(**runs));
		(*ids)[n] = (long)sqlite3_column_int64(st, 0);
		(*runs)[n] = (long)sqlite3_column_int64(st, 1);
		n++;
	}
	sqlite3_finalize(st);
	*count = n;
	return 0;
}

int
store_defect_verify(struct store *s, long defect, long run, fp_time at)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "UPDATE defect SET status = 'verified', closed_at = ?, "
	    "closed_by_run = ? WHERE id = ? AND status IN ('open', 'fixed')",
	    &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, at);
	sqlite3_bind_int64(st, 2, run);
	sqlite3_bind_int64(st, 3, defect);
	rc = step_done(s, st, "cannot verify the defect");
	sqlite3_finalize(st);
	return rc;
}

int
store_defect_of_run(struct store *s, long run, long *id, char **status)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "SELECT id, status FROM defect WHERE run = ?", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, run);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return FP_ENOTFOUND;
	}
	*id = sqlite3_column_int64(st, 0);
	if (status != NULL)
		*status = col_text(st, 1);
	sqlite3_finalize(st);
	return 0;
}

int
store_report_insert(struct store *s, long run, long evaluation,
    const char *xml_sha256, const char *pdf_sha256,
    const char *evidence_commit, const char *commit_id, const char *tag,
    fp_time issued_at)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "INSERT INTO report (run, evaluation, xml_sha256, "
	    "pdf_sha256, evidence_commit, commit_id, tag, issued_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_int64(st, 2, evaluation);
	bind_text(st, 3, xml_sha256);
	bind_text(st, 4, pdf_sha256);
	bind_text(st, 5, evidence_commit);
	bind_text(st, 6, commit_id);
	bind_text(st, 7, tag);
	sqlite3_bind_int64(st, 8, issued_at);
	rc = step_done(s, st, "cannot record the report");
	sqlite3_finalize(st);
	return rc;
}

int
store_report_count(struct store *s, long run, long *count)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "SELECT count(*) FROM report WHERE run = ?", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, run);
	*count = sqlite3_step(st) == SQLITE_ROW ?
	    (long)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return 0;
}
