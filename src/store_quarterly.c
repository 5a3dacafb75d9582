/*
 * Tunnels, change records, procedure revisions and the run summaries of
 * the quarterly report.  Defects, reviews and waivers belong to the
 * review workflow (store_review.h).  They are read here with plain
 * queries, so the report also works on a workspace whose schema has no
 * review tables, and on defects written before version 2.
 */
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"
#include "store_quarterly.h"

/* 1 when the table or column exists, else 0. */
static int
has_column(struct store *s, const char *table, const char *column)
{
	sqlite3_stmt *st = NULL;
	int found = 0;

	if (prepare(s, "SELECT 1 FROM pragma_table_info(?) WHERE name = ?",
	    &st) != 0)
		return 0;
	bind_text(st, 1, table);
	bind_text(st, 2, column);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* Append one zeroed element to a growing array. */
static void *
grow(void *array, size_t *count, size_t size)
{
	char *v = xrealloc(array, (*count + 1) * size);

	memset(v + *count * size, 0, size);
	(*count)++;
	return v;
}

/* Finish a stepping loop: SQLITE_DONE is success. */
static int
finish_rows(struct store *s, sqlite3_stmt *st, int rc, const char *what)
{
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(s, what);
	return 0;
}

/* Tunnels */

int
store_tunnel_insert(struct store *s, struct store_tunnel *t)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = store_tunnel_exists(s, t->name);
	if (rc < 0)
		return rc;
	if (rc == 1)
		return fp_fail(FP_EINVAL, "tunnel '%s' is registered already: "
		    "'failproof tunnel list' shows it", t->name);
	rc = prepare(s, "INSERT INTO tunnel (name, units, peer, vendor, "
	    "ike_version, added_at, added_by, record_path, commit_id) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", &st);
	if (rc != 0)
		return rc;
	bind_text(st, 1, t->name);
	bind_text(st, 2, t->units);
	bind_text(st, 3, t->peer);
	bind_text(st, 4, t->vendor);
	sqlite3_bind_int(st, 5, t->ike_version);
	bind_time(st, 6, t->added_at);
	bind_text(st, 7, t->added_by);
	bind_text(st, 8, t->record_path);
	bind_text(st, 9, t->commit_id);
	rc = step_done(s, st, "cannot record the tunnel");
	sqlite3_finalize(st);
	if (rc == 0)
		t->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int
store_tunnel_exists(struct store *s, const char *name)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = prepare(s, "SELECT 1 FROM tunnel WHERE name = ?", &st)) != 0)
		return rc;
	bind_text(st, 1, name);
	rc = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return rc;
}

int
store_tunnel_list(struct store *s, struct store_tunnel **out, size_t *count)
{
	struct store_tunnel *v = NULL;
	sqlite3_stmt *st = NULL;
	size_t n = 0;
	int rc;

	rc = prepare(s, "SELECT id, name, units, peer, vendor, ike_version, "
	    "added_at, added_by, record_path, commit_id FROM tunnel "
	    "ORDER BY name", &st);
	if (rc != 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_tunnel *t;

		v = grow(v, &n, sizeof(*v));
		t = &v[n - 1];
		t->id = sqlite3_column_int64(st, 0);
		t->name = col_text(st, 1);
		t->units = col_text(st, 2);
		t->peer = col_text(st, 3);
		t->vendor = col_text(st, 4);
		t->ike_version = sqlite3_column_int(st, 5);
		t->added_at = col_time(st, 6);
		t->added_by = col_text(st, 7);
		t->record_path = col_text(st, 8);
		t->commit_id = col_text(st, 9);
	}
	*out = v;
	*count = n;
	return finish_rows(s, st, rc, "cannot list the tunnels");
}

void
store_tunnel_list_free(struct store_tunnel *v, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(v[i].name);
		free(v[i].units);
		free(v[i].peer);
		free(v[i].vendor);
		free(v[i].added_by);
		free(v[i].record_path);
		free(v[i].commit_id);
	}
	free(v);
}

/* Change records */

int
store_change_insert(struct store *s, struct store_change *c)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "INSERT INTO change_record (tunnel, kind, changed_at, "
	    "changed_by, ref, recorded_at, record_path, commit_id) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &st);
	if (rc != 0)
		return rc;
	bind_text(st, 1, c->tunnel);
	bind_text(st, 2, c->kind);
	bind_time(st, 3, c->changed_at);
	bind_text(st, 4, c->changed_by);
	bind_text(st, 5, c->ref);
	bind_time(st, 6, c->recorded_at);
	bind_text(st, 7, c->record_path);
	bind_text(st, 8, c->commit_id);
	rc = step_done(s, st, "cannot record the change");
	sqlite3_finalize(st);
	if (rc == 0)
		c->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int
store_change_list(struct store *s, struct store_change **out, size_t *count)
{
	struct store_change *v = NULL;
	sqlite3_stmt *st = NULL;
	size_t n = 0;
	int rc;

	rc = prepare(s, "SELECT id, tunnel, kind, changed_at, changed_by, ref, "
	    "recorded_at, record_path, commit_id FROM change_record "
	    "ORDER BY changed_at, id", &st);
	if (rc != 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_change *c;

		v = grow(v, &n, sizeof(*v));
		c = &v[n - 1];
		c->id = sqlite3_column_int64(st, 0);
		c->tunnel = col_text(st, 1);
		c->kind = col_text(st, 2);
		c->changed_at = col_time(st, 3);
		c->changed_by = col_text(st, 4);
		c->ref = col_text(st, 5);
		c->recorded_at = col_time(st, 6);
		c->record_path = col_text(st, 7);
		c->commit_id = col_text(st, 8);
	}
	*out = v;
	*count = n;
	return finish_rows(s, st, rc, "cannot list the change records");
}

void
store_change_list_free(struct store_change *v, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(v[i].tunnel);
		free(v[i].kind);
		free(v[i].changed_by);
		free(v[i].ref);
		free(v[i].record_path);
		free(v[i].commit_id);
	}
	free(v);
}

/* Procedure revisions */

int
store_revision_list(struct store *s, struct store_revision **out,
    size_t *count)
{
	struct store_revision *v = NULL;
	sqlite3_stmt *st = NULL;
	size_t n = 0;
	int rc;

	rc = prepare(s, "SELECT p.id, p.procedure_id, p.revision, p.sha256, "
	    "p.loaded_at, coalesce(c.status, 'draft'), c.author, c.summary, "
	    "c.revised_at, c.approved_by, c.approved_at, c.superseded_at, "
	    "c.commit_id, c.reviewed_by, c.reviewed_at FROM procedure p LEFT JOIN procedure_control c "
	    "ON c.procedure = p.id ORDER BY p.id", &st);
	if (rc != 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_revision *r;

		v = grow(v, &n, sizeof(*v));
		r = &v[n - 1];
		r->procedure = sqlite3_column_int64(st, 0);
		r->procedure_id = col_text(st, 1);
		r->revision = col_text(st, 2);
		r->sha256 = col_text(st, 3);
		r->loaded_at = col_time(st, 4);
		r->status = col_text(st, 5);
		r->author = col_text(st, 6);
		r->summary = col_text(st, 7);
		r->revised_at = col_time(st, 8);
		r->approved_by = col_text(st, 9);
		r->approved_at = col_time(st, 10);
		r->superseded_at = col_time(st, 11);
		r->commit_id = col_text(st, 12);
		r->reviewed_by = col_text(st, 13);
		r->reviewed_at = col_time(st, 14);
	}
	*out = v;
	*count = n;
	return finish_rows(s, st, rc, "cannot list the procedure revisions");
}

int
store_revision_put(struct store *s, const struct store_revision *r)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "INSERT OR REPLACE INTO procedure_control (procedure, "
	    "status, author, summary, revised_at, approved_by, approved_at, "
	    "superseded_at, commit_id, reviewed_by, reviewed_at) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, r->procedure);
	bind_text(st, 2, r->status);
	bind_text(st, 3, r->author);
	bind_text(st, 4, r->summary);
	bind_time(st, 5, r->revised_at);
	bind_text(st, 6, r->approved_by);
	bind_time(st, 7, r->approved_at);
	bind_time(st, 8, r->superseded_at);
	bind_text(st, 9, r->commit_id);
	bind_text(st, 10, r->reviewed_by);
	bind_time(st, 11, r->reviewed_at);
	rc = step_done(s, st, "cannot record the revision's status");
	sqlite3_finalize(st);
	return rc;
}

void
store_revision_list_free(struct store_revision *v, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(v[i].procedure_id);
		free(v[i].revision);
		free(v[i].sha256);
		free(v[i].status);
		free(v[i].author);
		free(v[i].summary);
		free(v[i].approved_by);
		free(v[i].reviewed_by);
		free(v[i].commit_id);
	}
	free(v);
}

/* Runs and their latest evaluation */

int
store_run_summaries(struct store *s, struct store_run_summary **out,
    size_t *count)
{
	struct store_run_summary *v = NULL;
	sqlite3_stmt *st = NULL;
	size_t n = 0;
	int rc;

	rc = prepare(s, "SELECT r.id, r.procedure, r.tunnel, r.scenario, "
	    "r.method, r.executed_by, r.failover_at, r.created_at, e.id, "
	    "e.evaluated_at, e.verdict, e.cause, e.outcome, e.mttr_ms, "
	    "e.loss_window_ms, e.evidence_commit, "
	    "json_extract(e.result_json, '$.failover_at') FROM run r "
	    "LEFT JOIN evaluation e ON e.id = (SELECT max(id) FROM evaluation "
	    "WHERE run = r.id) ORDER BY r.id", &st);
	if (rc != 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_run_summary *r;

		v = grow(v, &n, sizeof(*v));
		r = &v[n - 1];
		r->id = sqlite3_column_int64(st, 0);
		r->procedure = sqlite3_column_int64(st, 1);
		r->tunnel = col_text(st, 2);
		r->scenario = sqlite3_column_int(st, 3);
		r->method = col_text(st, 4);
		r->executed_by = col_text(st, 5);
		r->failover_at = col_time(st, 6);
		r->created_at = col_time(st, 7);
		r->evaluation = sqlite3_column_int64(st, 8);
		r->evaluated_at = col_time(st, 9);
		r->verdict = col_text(st, 10);
		r->cause = col_text(st, 11);
		r->outcome = col_text(st, 12);
		r->mttr_ms = col_opt(st, 13);
		r->loss_window_ms = col_opt(st, 14);
		r->evidence_commit = col_text(st, 15);
		r->evaluated_failover = col_text(st, 16);
	}
	*out = v;
	*count = n;
	return finish_rows(s, st, rc, "cannot list the runs");
}

void
store_run_summaries_free(struct store_run_summary *v, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(v[i].tunnel);
		free(v[i].method);
		free(v[i].executed_by);
		free(v[i].evaluated_failover);
		free(v[i].verdict);
		free(v[i].cause);
		free(v[i].outcome);
		free(v[i].evidence_commit);
	}
	free(v);
}

int
store_evaluation_json(struct store *s, long evaluation, char **json)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "SELECT result_json FROM evaluation WHERE id = ?", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, evaluation);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return fp_fail(FP_ENOTFOUND, "evaluation %ld not found",
		    evaluation);
	}
	*json = col_text(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/* Defects, sign-offs and waivers */

int
store_defect_rows(struct store *s, struct store_defect_row **out,
    size_t *count)
{
	struct store_defect_row *v = NULL;
	sqlite3_stmt *st = NULL;
	size_t n = 0;
	int rc, v2 = has_column(s, "defect", "owner");

	rc = prepare(s, v2 ? "SELECT id, run, tunnel, scenario, verdict, "
	    "cause, status, opened_at, closed_at, closed_by_run, owner, due_at "
	    "FROM defect ORDER BY id" : "SELECT id, run, tunnel, scenario, "
	    "verdict, cause, status, opened_at, closed_at, closed_by_run, "
	    "NULL, NULL FROM defect ORDER BY id", &st);
	if (rc != 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_defect_row *d;

		v = grow(v, &n, sizeof(*v));
		d = &v[n - 1];
		d->id = sqlite3_column_int64(st, 0);
		d->run = sqlite3_column_int64(st, 1);
		d->tunnel = col_text(st, 2);
		d->scenario = sqlite3_column_int(st, 3);
		d->verdict = col_text(st, 4);
		d->cause = col_text(st, 5);
		d->status = col_text(st, 6);
		d->opened_at = col_time(st, 7);
		d->closed_at = col_time(st, 8);
		d->closed_by_run = sqlite3_column_int64(st, 9);
		d->owner = col_text(st, 10);
		d->due_at = col_time(st, 11);
	}
	*out = v;
	*count = n;
	return finish_rows(s, st, rc, "cannot list the defects");
}

void
store_defect_rows_free(struct store_defect_row *v, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(v[i].tunnel);
		free(v[i].verdict);
		free(v[i].cause);
		free(v[i].status);
		free(v[i].owner);
	}
	free(v);
}

int
store_signoff_rows(struct store *s, struct store_signoff_row **out,
    size_t *count)
{
	struct store_signoff_row *v = NULL;
	sqlite3_stmt *st = NULL;
	size_t n = 0;
	int rc;

	*out = NULL;
	*count = 0;
	if (!has_column(s, "review", "reviewer"))
		return 0;
	rc = prepare(s, "SELECT v.run, v.reviewer, v.decision, v.reviewed_at, "
	    "v.comment, u.changed_at > v.reviewed_at FROM review v JOIN run u "
	    "ON u.id = v.run WHERE v.id IN (SELECT max(id) FROM review GROUP "
	    "BY run) ORDER BY v.run", &st);
	if (rc != 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_signoff_row *r;

		v = grow(v, &n, sizeof(*v));
		r = &v[n - 1];
		r->run = sqlite3_column_int64(st, 0);
		r->reviewer = col_text(st, 1);
		r->decision = col_text(st, 2);
		r->reviewed_at = col_time(st, 3);
		r->comment = col_text(st, 4);
		r->stale = sqlite3_column_int(st, 5);
	}
	*out = v;
	*count = n;
	return finish_rows(s, st, rc, "cannot list the sign-offs");
}

void
store_signoff_rows_free(struct store_signoff_row *v, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(v[i].reviewer);
		free(v[i].decision);
		free(v[i].comment);
	}
	free(v);
}

int
store_waiver_rows(struct store *s, struct store_waiver_row **out,
    size_t *count)
{
	struct store_waiver_row *v = NULL;
	sqlite3_stmt *st = NULL;
	size_t n = 0;
	int rc;

	*out = NULL;
	*count = 0;
	if (!has_column(s, "waiver", "expires_at"))
		return 0;
	rc = prepare(s, "SELECT id, run, criterion, defect, justification, "
	    "approver, expires_at, created_at FROM waiver ORDER BY id", &st);
	if (rc != 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_waiver_row *w;

		v = grow(v, &n, sizeof(*v));
		w = &v[n - 1];
		w->id = sqlite3_column_int64(st, 0);
		w->run = sqlite3_column_int64(st, 1);
		w->criterion = col_text(st, 2);
		w->defect = sqlite3_column_int64(st, 3);
		w->justification = col_text(st, 4);
		w->approver = col_text(st, 5);
		w->expires_at = col_time(st, 6);
		w->created_at = col_time(st, 7);
	}
	*out = v;
	*count = n;
	return finish_rows(s, st, rc, "cannot list the waivers");
}

void
store_waiver_rows_free(struct store_waiver_row *v, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(v[i].criterion);
		free(v[i].justification);
		free(v[i].approver);
	}
	free(v);
}
