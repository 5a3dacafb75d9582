/* Procedures and runs in the store. */
#include <stdlib.h>

#include "store_internal.h"

int
store_procedure_put(struct store *s, struct store_procedure *p)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "SELECT id FROM procedure WHERE procedure_id = ? AND "
	    "revision = ? AND sha256 = ?", &st);
	if (rc != 0)
		return rc;
	bind_text(st, 1, p->procedure_id);
	bind_text(st, 2, p->revision);
	bind_text(st, 3, p->sha256);
	if (sqlite3_step(st) == SQLITE_ROW) {
		p->id = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		return 0;
	}
	sqlite3_finalize(st);

	rc = prepare(s, "INSERT INTO procedure (procedure_id, revision, title, "
	    "change_category, review_cycle, max_outage_ms, sha256, definition, "
	    "loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", &st);
	if (rc != 0)
		return rc;
	bind_text(st, 1, p->procedure_id);
	bind_text(st, 2, p->revision);
	bind_text(st, 3, p->title);
	bind_text(st, 4, p->change_category);
	bind_text(st, 5, p->review_cycle);
	sqlite3_bind_int64(st, 6, p->max_outage_ms);
	bind_text(st, 7, p->sha256);
	bind_text(st, 8, p->definition);
	sqlite3_bind_int64(st, 9, fp_now());
	rc = step_done(s, st, "cannot record the procedure");
	sqlite3_finalize(st);
	if (rc == 0)
		p->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int
store_procedure_get(struct store *s, long id, struct store_procedure *out)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "SELECT id, procedure_id, revision, title, "
	    "change_category, review_cycle, max_outage_ms, sha256, definition "
	    "FROM procedure WHERE id = ?", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return fp_fail(FP_ENOTFOUND, "procedure %ld not found", id);
	}
	out->id = sqlite3_column_int64(st, 0);
	out->procedure_id = col_text(st, 1);
	out->revision = col_text(st, 2);
	out->title = col_text(st, 3);
	out->change_category = col_text(st, 4);
	out->review_cycle = col_text(st, 5);
	out->max_outage_ms = sqlite3_column_int64(st, 6);
	out->sha256 = col_text(st, 7);
	out->definition = col_text(st, 8);
	sqlite3_finalize(st);
	return 0;
}

int
store_procedure_latest(struct store *s, long *id)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = prepare(s, "SELECT max(id) FROM procedure", &st)) != 0)
		return rc;
	if (sqlite3_step(st) != SQLITE_ROW ||
	    sqlite3_column_type(st, 0) == SQLITE_NULL) {
		sqlite3_finalize(st);
		return fp_fail(FP_ENOTFOUND, "the workspace has no procedure: "
		    "run 'failproof init' again");
	}
	*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return 0;
}

void
store_procedure_release(struct store_procedure *p)
{
	free(p->procedure_id);
	free(p->revision);
	free(p->title);
	free(p->change_category);
	free(p->review_cycle);
	free(p->sha256);
	free(p->definition);
}

int
store_run_insert(struct store *s, struct fp_run *run)
{
	sqlite3_stmt *st = NULL;
	fp_time now = fp_now();
	int rc;

	/* A run id given by the caller (a rebuild from the repository) is
	 * kept; 0 lets SQLite choose. */
	rc = prepare(s, "INSERT INTO run (procedure, tunnel, scenario, method, "
	    "executed_by, primary_host, standby_host, peer_host, failover_at, "
	    "max_outage_ms, created_at, changed_at, id) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st);
	if (rc != 0)
		return rc;
	if (run->id > 0)
		sqlite3_bind_int64(st, 13, run->id);
	else
		sqlite3_bind_null(st, 13);
	sqlite3_bind_int64(st, 1, run->procedure);
	bind_text(st, 2, run->tunnel);
	sqlite3_bind_int(st, 3, run->scenario);
	bind_text(st, 4, run->method);
	bind_text(st, 5, run->executed_by);
	bind_text(st, 6, run->primary);
	bind_text(st, 7, run->standby);
	bind_text(st, 8, run->peer);
	bind_time(st, 9, run->failover_at);
	bind_opt(st, 10, run->max_outage_ms);
	sqlite3_bind_int64(st, 11, now);
	sqlite3_bind_int64(st, 12, now);
	rc = step_done(s, st, "cannot record the run");
	sqlite3_finalize(st);
	if (rc != 0)
		return rc;
	run->id = sqlite3_last_insert_rowid(s->db);
	run->created_at = run->changed_at = now;
	return 0;
}

int
store_run_get(struct store *s, long id, struct fp_run *out)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "SELECT id, procedure, tunnel, scenario, method, "
	    "executed_by, primary_host, standby_host, peer_host, failover_at, "
	    "max_outage_ms, created_at, changed_at FROM run WHERE id = ?", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return fp_fail(FP_ENOTFOUND, "run %ld not found: 'failproof "
		    "run new' prints the id of a new run", id);
	}
	out->id = sqlite3_column_int64(st, 0);
	out->procedure = sqlite3_column_int64(st, 1);
	out->tunnel = col_text(st, 2);
	out->scenario = sqlite3_column_int(st, 3);
	out->method = col_text(st, 4);
	out->executed_by = col_text(st, 5);
	out->primary = col_text(st, 6);
	out->standby = col_text(st, 7);
	out->peer = col_text(st, 8);
	out->failover_at = col_time(st, 9);
	out->max_outage_ms = col_opt(st, 10);
	out->created_at = sqlite3_column_int64(st, 11);
	out->changed_at = sqlite3_column_int64(st, 12);
	sqlite3_finalize(st);
	return 0;
}

int
store_run_touch(struct store *s, long id)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "UPDATE run SET changed_at = ? WHERE id = ?", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, fp_now());
	sqlite3_bind_int64(st, 2, id);
	rc = step_done(s, st, "cannot update the run");
	sqlite3_finalize(st);
	return rc;
}

int
store_run_update(struct store *s, const struct fp_run *run)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "UPDATE run SET method = ?, primary_host = ?, "
	    "standby_host = ?, peer_host = ?, failover_at = ?, "
	    "max_outage_ms = ?, changed_at = ? WHERE id = ?", &st);
	if (rc != 0)
		return rc;
	bind_text(st, 1, run->method);
	bind_text(st, 2, run->primary);
	bind_text(st, 3, run->standby);
	bind_text(st, 4, run->peer);
	bind_time(st, 5, run->failover_at);
	bind_opt(st, 6, run->max_outage_ms);
	sqlite3_bind_int64(st, 7, fp_now());
	sqlite3_bind_int64(st, 8, run->id);
	rc = step_done(s, st, "cannot update the run");
	sqlite3_finalize(st);
	return rc;
}

void
fp_run_release(struct fp_run *run)
{
	free(run->tunnel);
	free(run->method);
	free(run->executed_by);
	free(run->primary);
	free(run->standby);
	free(run->peer);
}
