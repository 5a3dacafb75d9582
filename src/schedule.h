/*
 * The test schedule: calendar quarters, and which tunnel and scenario is
 * due for a passing run by when.  The procedure's review cycle is
 * quarterly, so every registered tunnel needs a passing run of every
 * scenario in each calendar quarter (UTC), and again after a change
 * record.  Pure functions over the records the caller loaded.
 */
#ifndef FP_SCHEDULE_H
#define FP_SCHEDULE_H

#include <stddef.h>

#include "util.h"

struct quarter {
	int year;
	int number;		/* 1..4 */
};

/* Length of "2026Q4" with its NUL, with room for five-digit years. */
#define QUARTER_STRLEN 12

/* Parse "2026Q4" (or "2026q4"); returns 0 or FP_EINVAL with a message. */
int quarter_parse(const char *s, struct quarter *out);
struct quarter quarter_of(fp_time t);
/* The first instant of the quarter, and of the one n quarters later. */
fp_time quarter_start(struct quarter q);
struct quarter quarter_add(struct quarter q, int n);
/* The first instant after the quarter (an exclusive end). */
fp_time quarter_end(struct quarter q);
void quarter_format(struct quarter q, char buf[QUARTER_STRLEN]);
/* Compare two quarters like strcmp. */
int quarter_cmp(struct quarter a, struct quarter b);

/*
 * Parse a date "2026-12-31" (midnight UTC) or an ISO 8601 date-time;
 * returns 0 or FP_EINVAL naming the option.
 */
int schedule_parse_date(const char *option, const char *s, fp_time *out);
/* Format the calendar day of t, "2026-12-31". */
void schedule_format_day(fp_time t, char buf[16]);

/* The inputs: registered tunnels, runs and change records. */
struct schedule_tunnel {
	const char *name;
	fp_time added_at;
};

struct schedule_run {
	long id;
	const char *tunnel;
	int scenario;
	fp_time at;		/* when the drill ran */
	const char *verdict;	/* NULL when never evaluated */
};

struct schedule_change {
	long id;
	const char *tunnel;
	const char *kind;	/* crypto, timer, software, topology */
	fp_time at;
	const char *ref;
};

/* Status of a tunnel and scenario, in order of severity. */
enum due_status {
	DUE_CURRENT,		/* passed in this quarter */
	DUE_DUE,		/* a passing run is due by due_at */
	DUE_RETEST,		/* a change followed the last passing run */
	DUE_OVERDUE,		/* due_at has passed */
	DUE_MISSING,		/* never passed, and the first due date passed */
};

struct due_item {
	const char *tunnel;
	int scenario;
	long last_pass_run;	/* 0 when none */
	fp_time last_pass_at;	/* FP_TIME_NONE when none */
	long last_run;		/* the latest run of any verdict, 0 when none */
	const char *last_verdict;
	fp_time due_at;		/* exclusive: due before this instant */
	const struct schedule_change *change;	/* after the last pass */
	enum due_status status;
};

/*
 * For each tunnel and each scenario in scenarios[], find the last passing
 * run (verdict "pass") at or before `at`, and when the next one is due:
 *
 * - after a pass in quarter Q, by the end of quarter Q + 1;
 * - never passed: by the end of the quarter the tunnel was registered in;
 * - a change record after the last pass (any kind) makes a re-test due
 *   by the end of the change's quarter, if that is earlier.
 *
 * Runs and changes after `at` are ignored, so the schedule can be asked
 * for any past date.  *out (n_tunnels * n_scenarios items, tunnel-major)
 * points into the inputs, which must outlive it; free it with free().
 */
void schedule_due(const struct schedule_tunnel *tunnels, size_t n_tunnels,
    const int *scenarios, size_t n_scenarios,
    const struct schedule_run *runs, size_t n_runs,
    const struct schedule_change *changes, size_t n_changes, fp_time at,
    struct due_item **out, size_t *n_out);

/* "current", "due", "re-test required", "overdue", "missing". */
const char *due_status_name(enum due_status status);

#endif
