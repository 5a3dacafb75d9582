/* Helpers shared by the store's source files; nothing outside src/store*.c
 * includes this. */
#ifndef FP_STORE_INTERNAL_H
#define FP_STORE_INTERNAL_H

#include <sqlite3.h>

#include "store.h"

struct store {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *ins_event;
	sqlite3_stmt *ins_sample;
	sqlite3_stmt *ins_packet;
};

int db_fail(struct store *s, const char *what);
int exec_sql(struct store *s, const char *sql, const char *what);
int prepare(struct store *s, const char *sql, sqlite3_stmt **st);
void bind_text(sqlite3_stmt *st, int i, const char *v);
void bind_time(sqlite3_stmt *st, int i, fp_time t);
void bind_opt(sqlite3_stmt *st, int i, int64_t v);
char *col_text(sqlite3_stmt *st, int i);
int64_t col_opt(sqlite3_stmt *st, int i);
fp_time col_time(sqlite3_stmt *st, int i);
int step_done(struct store *s, sqlite3_stmt *st, const char *what);

#endif
