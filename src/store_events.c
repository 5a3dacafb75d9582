/*
 * Queries over the stored events of a run, for the events command, and
 * the clock offsets that imports add to a host's time stamps.
 */
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

#define EVENT_COLUMNS "e.line, e.ts, e.host, e.kind, e.direction, " \
	"e.conn, e.local_addr, e.peer_addr, e.local_id, e.peer_id, " \
	"e.ike_spi_i, e.ike_spi_r, e.spi_in, e.spi_out, e.exchange, " \
	"e.is_response, e.msgid, e.notify, e.detail, e.message, e.vendor, " \
	"f.name"

/* Borrow the text of column i; valid until the next step. */
static const char *
col_borrow(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

int
store_event_each(struct store *s, long run, const char *kind,
    int (*fn)(void *ctx, const struct fp_event *ev, const char *file),
    void *ctx)
{
	sqlite3_stmt *st = NULL;
	struct fp_event ev;
	int rc, step;

	rc = prepare(s, "SELECT " EVENT_COLUMNS " FROM event e "
	    "JOIN evidence f ON f.id = e.evidence WHERE f.run = ?1 AND "
	    "(?2 IS NULL OR e.kind = ?2) ORDER BY e.ts, f.id, e.line, e.id",
	    &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, run);
	bind_text(st, 2, kind);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&ev, 0, sizeof(ev));
		ev.line = (long)sqlite3_column_int64(st, 0);
		ev.ts = col_time(st, 1);
		ev.host = col_borrow(st, 2);
		ev.kind = col_borrow(st, 3);
		ev.direction = col_borrow(st, 4);
		ev.conn = col_borrow(st, 5);
		ev.local_addr = col_borrow(st, 6);
		ev.peer_addr = col_borrow(st, 7);
		ev.local_id = col_borrow(st, 8);
		ev.peer_id = col_borrow(st, 9);
		ev.ike_spi_i = col_borrow(st, 10);
		ev.ike_spi_r = col_borrow(st, 11);
		ev.spi_in = col_borrow(st, 12);
		ev.spi_out = col_borrow(st, 13);
		ev.exchange = col_borrow(st, 14);
		ev.is_response = (int)col_opt(st, 15);
		ev.msgid = (long)col_opt(st, 16);
		ev.notify = col_borrow(st, 17);
		ev.detail = col_borrow(st, 18);
		ev.message = col_borrow(st, 19);
		ev.vendor = col_borrow(st, 20);
		if ((rc = fn(ctx, &ev, col_borrow(st, 21))) != 0)
			break;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_fail(s, "cannot read the events");
	sqlite3_finalize(st);
	return rc;
}

int
store_clock_offset_put(struct store *s, long run, const char *host,
    fp_time offset)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "INSERT INTO clock_offset (run, host, offset_us, "
	    "set_at) VALUES (?, ?, ?, ?) ON CONFLICT (run, host) DO UPDATE "
	    "SET offset_us = excluded.offset_us, set_at = excluded.set_at",
	    &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, run);
	bind_text(st, 2, host);
	sqlite3_bind_int64(st, 3, offset);
	sqlite3_bind_int64(st, 4, fp_now());
	rc = step_done(s, st, "cannot record the clock offset");
	sqlite3_finalize(st);
	return rc;
}

int
store_clock_offset_list(struct store *s, long run,
    struct store_clock_offset **out, size_t *count)
{
	struct store_clock_offset *v = NULL;
	sqlite3_stmt *st = NULL;
	size_t n = 0;
	int rc, step;

	*out = NULL;
	*count = 0;
	rc = prepare(s, "SELECT host, offset_us, set_at FROM clock_offset "
	    "WHERE run = ? ORDER BY host", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, run);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n].host = col_text(st, 0);
		v[n].offset = sqlite3_column_int64(st, 1);
		v[n].set_at = sqlite3_column_int64(st, 2);
		n++;
	}
	if (step != SQLITE_DONE) {
		rc = db_fail(s, "cannot read the clock offsets");
		sqlite3_finalize(st);
		store_clock_offset_list_free(v, n);
		return rc;
	}
	sqlite3_finalize(st);
	*out = v;
	*count = n;
	return 0;
}

void
store_clock_offset_list_free(struct store_clock_offset *v, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(v[i].host);
	free(v);
}
