/*
 * Design defects and their change records in the store.  Opening a
 * defect and verifying it on a passing run live in store_verdict.c,
 * because the evaluation does both in its own transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"
#include "store_review.h"

#define DEFECT_COLUMNS "id, run, tunnel, scenario, verdict, cause, status, " \
	"opened_at, owner, due_at, evidence, fixed_at, fixed_by, closed_at, " \
	"closed_by_run"

static void
read_defect(sqlite3_stmt *st, struct store_defect *d)
{
	memset(d, 0, sizeof(*d));
	d->id = sqlite3_column_int64(st, 0);
	d->run = sqlite3_column_int64(st, 1);
	d->tunnel = col_text(st, 2);
	d->scenario = sqlite3_column_int(st, 3);
	d->verdict = col_text(st, 4);
	d->cause = col_text(st, 5);
	d->status = col_text(st, 6);
	d->opened_at = col_time(st, 7);
	d->owner = col_text(st, 8);
	d->due_at = col_time(st, 9);
	d->evidence = col_text(st, 10);
	d->fixed_at = col_time(st, 11);
	d->fixed_by = col_text(st, 12);
	d->closed_at = col_time(st, 13);
	d->closed_by_run = sqlite3_column_type(st, 14) == SQLITE_NULL ? 0 :
	    sqlite3_column_int64(st, 14);
}

int
store_defect_get(struct store *s, long id, struct store_defect *out)
{
	sqlite3_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = prepare(s, "SELECT " DEFECT_COLUMNS " FROM defect WHERE id = ?",
	    &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return fp_fail(FP_ENOTFOUND, "defect %ld not found: 'failproof "
		    "defects' lists them", id);
	}
	read_defect(st, out);
	sqlite3_finalize(st);
	return 0;
}

int
store_defect_list(struct store *s, int open_only, struct store_defect **out,
    size_t *count)
{
	sqlite3_stmt *st = NULL;
	struct store_defect *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	*out = NULL;
	*count = 0;
	rc = prepare(s, open_only ? "SELECT " DEFECT_COLUMNS " FROM defect "
	    "WHERE status != 'verified' ORDER BY id" :
	    "SELECT " DEFECT_COLUMNS " FROM defect ORDER BY id", &st);
	if (rc != 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			v = xrealloc(v, cap * sizeof(*v));
		}
		read_defect(st, &v[n++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		store_defect_list_free(v, n);
		return db_fail(s, "cannot list the defects");
	}
	*out = v;
	*count = n;
	return 0;
}

int
store_defect_plan(struct store *s, long id, fp_time due_at,
    const char *evidence)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "UPDATE defect SET due_at = coalesce(due_at, ?), "
	    "evidence = coalesce(evidence, ?) WHERE id = ?", &st);
	if (rc != 0)
		return rc;
	bind_time(st, 1, due_at);
	bind_text(st, 2, evidence);
	sqlite3_bind_int64(st, 3, id);
	rc = step_done(s, st, "cannot set the defect's due date");
	sqlite3_finalize(st);
	return rc;
}

int
store_defect_update(struct store *s, long id, const char *owner,
    fp_time due_at, const char *fixed_by, fp_time at)
{
	sqlite3_stmt *st = NULL;
	int rc;

	/* The status test in the statement keeps a verified defect as it
	 * is even if it was verified after the caller read it. */
	rc = prepare(s, "UPDATE defect SET owner = coalesce(?1, owner), "
	    "due_at = coalesce(?2, due_at), "
	    "status = CASE WHEN ?3 IS NULL THEN status ELSE 'fixed' END, "
	    "fixed_by = coalesce(?3, fixed_by), "
	    "fixed_at = CASE WHEN ?3 IS NULL THEN fixed_at ELSE ?4 END "
	    "WHERE id = ?5 AND status != 'verified'", &st);
	if (rc != 0)
		return rc;
	bind_text(st, 1, owner);
	bind_time(st, 2, due_at);
	bind_text(st, 3, fixed_by);
	sqlite3_bind_int64(st, 4, at);
	sqlite3_bind_int64(st, 5, id);
	rc = step_done(s, st, "cannot change the defect");
	sqlite3_finalize(st);
	if (rc == 0 && sqlite3_changes(s->db) == 0)
		return fp_fail(FP_EDENIED, "defect %ld is verified by a passing "
		    "run and can no longer change", id);
	return rc;
}

void
store_defect_release(struct store_defect *d)
{
	free(d->tunnel);
	free(d->verdict);
	free(d->cause);
	free(d->status);
	free(d->owner);
	free(d->evidence);
	free(d->fixed_by);
	memset(d, 0, sizeof(*d));
}

void
store_defect_list_free(struct store_defect *v, size_t count)
{
	for (size_t i = 0; i < count; i++)
		store_defect_release(&v[i]);
	free(v);
}

int
store_defect_change_insert(struct store *s, struct store_defect_change *c)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "INSERT INTO defect_change (defect, actor, change, "
	    "changed_at, record_path, record_sha256, commit_id) VALUES "
	    "(?, ?, ?, ?, ?, ?, ?)", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, c->defect);
	bind_text(st, 2, c->actor);
	bind_text(st, 3, c->change);
	sqlite3_bind_int64(st, 4, c->changed_at);
	bind_text(st, 5, c->record.path);
	bind_text(st, 6, c->record.sha256);
	bind_text(st, 7, c->record.commit_id);
	rc = step_done(s, st, "cannot record the defect change");
	sqlite3_finalize(st);
	if (rc == 0)
		c->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int
store_defect_change_list(struct store *s, long defect,
    struct store_defect_change **out, size_t *count)
{
	sqlite3_stmt *st = NULL;
	struct store_defect_change *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	*out = NULL;
	*count = 0;
	rc = prepare(s, "SELECT id, defect, actor, change, changed_at, "
	    "record_path, record_sha256, commit_id FROM defect_change WHERE "
	    "defect = ? ORDER BY id", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, defect);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_defect_change *c;

		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			v = xrealloc(v, cap * sizeof(*v));
		}
		c = &v[n++];
		memset(c, 0, sizeof(*c));
		c->id = sqlite3_column_int64(st, 0);
		c->defect = sqlite3_column_int64(st, 1);
		c->actor = col_text(st, 2);
		c->change = col_text(st, 3);
		c->changed_at = col_time(st, 4);
		c->record.path = col_text(st, 5);
		c->record.sha256 = col_text(st, 6);
		c->record.commit_id = col_text(st, 7);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		store_defect_change_list_free(v, n);
		return db_fail(s, "cannot list the defect's changes");
	}
	*out = v;
	*count = n;
	return 0;
}

void
store_defect_change_list_free(struct store_defect_change *v, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(v[i].actor);
		free(v[i].change);
		store_record_release(&v[i].record);
	}
	free(v);
}
