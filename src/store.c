/*
 * SQLite store.  Migrations are the files schema/NNN-*.sql, applied in
 * order inside one transaction each; PRAGMA user_version records the last
 * one applied.  A database newer than this build is rejected rather than
 * guessed at.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "paths.h"
#include "store_internal.h"

int
db_fail(struct store *s, const char *what)
{
	return fp_fail(FP_ESTORE, "store '%s': %s: %s", s->path, what,
	    sqlite3_errmsg(s->db));
}

int
exec_sql(struct store *s, const char *sql, const char *what)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fp_fail(FP_ESTORE, "store '%s': %s: %s", s->path, what,
		    msg ? msg : "unknown error");
		sqlite3_free(msg);
		return FP_ESTORE;
	}
	return 0;
}

int
prepare(struct store *s, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK)
		return db_fail(s, "cannot prepare a statement");
	return 0;
}

void
bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v != NULL && *v != '\0')
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

void
bind_time(sqlite3_stmt *st, int i, fp_time t)
{
	if (t == FP_TIME_NONE)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, t);
}

void
bind_opt(sqlite3_stmt *st, int i, int64_t v)
{
	if (v < 0)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_int64(st, i, v);
}

char *
col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? xstrdup((const char *)t) : NULL;
}

int64_t
col_opt(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return -1;
	return sqlite3_column_int64(st, i);
}

fp_time
col_time(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return FP_TIME_NONE;
	return sqlite3_column_int64(st, i);
}

int
step_done(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(s, what);
	return 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Apply every schema/NNN-*.sql with NNN above the current version. */
static int
migrate(struct store *s)
{
	char *dir = NULL, **names = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *st = NULL;
	int version = 0, rc = 0;
	struct dirent *de;
	DIR *d = NULL;

	if ((rc = prepare(s, "PRAGMA user_version", &st)) != 0)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);

	dir = fp_data_path("schema");
	if (dir == NULL)
		return FP_ENOTFOUND;
	d = opendir(dir);
	if (d == NULL) {
		rc = fp_fail(FP_EIO, "cannot read the schema folder '%s'", dir);
		goto out;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (len < 8 || strcmp(de->d_name + len - 4, ".sql") != 0 ||
		    de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	fp_qsort(names, n, sizeof(*names), name_cmp);

	if (n > 0 && version > (int)strtol(names[n - 1], NULL, 10)) {
		rc = fp_fail(FP_ESTORE, "store '%s' has schema version %d, "
		    "newer than this failproof (%d): upgrade failproof",
		    s->path, version, (int)strtol(names[n - 1], NULL, 10));
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		int number = (int)strtol(names[i], NULL, 10);
		char *path, *sql = NULL, *pragma;
		size_t len;

		if (number <= version)
			continue;
		path = xasprintf("%s/%s", dir, names[i]);
		rc = fp_read_file(path, 1 << 20, &sql, &len);
		free(path);
		if (rc != 0)
			goto out;
		pragma = xasprintf("BEGIN; %s\nPRAGMA user_version = %d; "
		    "COMMIT;", sql, number);
		free(sql);
		rc = exec_sql(s, pragma, names[i]);
		free(pragma);
		if (rc != 0) {
			exec_sql(s, "ROLLBACK", "rollback");
			goto out;
		}
	}
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (d != NULL)
		closedir(d);
	free(dir);
	return rc;
}

static int
store_open_flags(const char *path, int flags, struct store **out)
{
	struct store *s = xcalloc(1, sizeof(*s));
	int rc;

	s->path = xstrdup(path);
	if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		rc = fp_fail(FP_ESTORE, "cannot open the store '%s': %s", path,
		    s->db ? sqlite3_errmsg(s->db) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(s->db, 5000);
	if ((rc = exec_sql(s, "PRAGMA foreign_keys = ON; "
	    "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;",
	    "cannot set the connection options")) != 0)
		goto fail;
	if ((rc = migrate(s)) != 0)
		goto fail;
	*out = s;
	return 0;
fail:
	store_close(s);
	return rc;
}

int
store_create(const char *path, struct store **out)
{
	return store_open_flags(path,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, out);
}

int
store_open(const char *path, struct store **out)
{
	return store_open_flags(path, SQLITE_OPEN_READWRITE, out);
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	sqlite3_finalize(s->ins_event);
	sqlite3_finalize(s->ins_sample);
	sqlite3_finalize(s->ins_packet);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

int
store_begin(struct store *s)
{
	return exec_sql(s, "BEGIN IMMEDIATE", "cannot begin a transaction");
}

int
store_commit(struct store *s)
{
	return exec_sql(s, "COMMIT", "cannot commit");
}

void
store_rollback(struct store *s)
{
	char *msg = NULL;

	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, &msg);
	sqlite3_free(msg);
}
