/*
 * The quarterly compliance model: everything the quarterly XML and PDF
 * and the OSCAL and JUnit exports show about one review period, gathered
 * from the store by quarterly_load() so the writers never query it.
 * Times are UTC microseconds; FP_TIME_NONE and -1 mark absent values.
 */
#ifndef FP_QUARTERLY_H
#define FP_QUARTERLY_H

#include <stddef.h>
#include <stdint.h>

#include "schedule.h"
#include "stats.h"
#include "workspace.h"

/* Earlier quarters compared with the period in statistics and chart. */
#define QUARTERLY_HISTORY 4

struct q_flag {
	char *id;		/* draft-revision, status-only-evidence, ... */
	char *text;
};

struct q_run {
	long id;
	char *tunnel;
	int scenario;
	fp_time at;		/* when the drill ran */
	char *method;
	char *executed_by;
	int evaluated;
	char *verdict;		/* NULL when not evaluated */
	char *cause;
	char *outcome;
	int64_t mttr_ms;	/* -1 when not recovered */
	int64_t loss_window_ms;
	fp_time evaluated_at;
	char *evidence_commit;
	char *result_json;	/* the stored evaluation, NULL when none */
	long procedure;		/* procedure row it ran under */
	char *revision;		/* that row's revision */
	char *revision_status;	/* its status when the run took place */
	char *signoff;		/* approved, rejected or pending */
	char *reviewer;		/* NULL while pending */
	fp_time reviewed_at;
	long defect;		/* the defect it opened, 0 when none */
	size_t n_flags;
	struct q_flag *flags;
};

/* One cell of the coverage matrix. */
struct q_cell {
	const char *tunnel;
	int scenario;
	size_t runs;
	size_t passed;		/* runs with verdict pass */
	const char *result;	/* pass, fail, inconclusive, not-evaluated,
				 * not-tested: of the latest run */
	long latest_run;	/* 0 when not tested */
};

/* MTTR of one tunnel and scenario in one quarter (or the period). */
struct q_stat {
	char label[QUARTER_STRLEN + 8];	/* "2026Q3", or "period" */
	struct mttr_stats st;
	size_t not_recovered;	/* evaluated runs without an MTTR */
	int repeatable;		/* 1, 0, or -1 when undecided */
};

struct q_stat_row {
	char *tunnel;
	int scenario;
	struct q_stat period;
	size_t n_history;
	struct q_stat history[QUARTERLY_HISTORY];	/* oldest first */
};

/* A scenario 3 run and the scenario 2 run it is paired with. */
struct q_failback {
	const char *tunnel;
	const struct q_run *failover;	/* scenario 2, NULL when none */
	const struct q_run *failback;	/* scenario 3 */
	int held;		/* both verdicts pass */
	int64_t difference_ms;	/* failback MTTR - failover MTTR, or -1 */
	int has_difference;
};

struct q_defect {
	long id;
	long run;
	char *tunnel;
	int scenario;
	char *verdict;
	char *cause;
	char *status;
	fp_time opened_at;
	fp_time closed_at;
	long closed_by_run;
	char *owner;
	int opened_in_period;
	int verified_in_period;
	int open_at_end;
	int64_t age_days;	/* at the end of the period, or when verified */
};

struct q_waiver {
	long id;
	long run;
	char *criterion;
	long defect;
	char *justification;
	char *approver;
	fp_time expires_at;
	int expired;		/* expired before the report was generated */
};

struct q_finding {
	char *id;		/* no-run-in-period, overdue, draft-revision... */
	char *tunnel;		/* NULL when not about one tunnel */
	int scenario;		/* 0 when not about one scenario */
	long run;		/* 0 when not about one run */
	char *text;
};

struct q_tunnel {
	char *name;
	char *units;		/* NULL for a tunnel that is not registered */
	char *peer;
	char *vendor;
	int ike_version;
	int registered;
};

struct q_revision {
	char *revision;
	char *status;
	char *author;
	char *summary;
	char *approved_by;
	fp_time approved_at;
	fp_time reviewed_at;
	fp_time superseded_at;
};

/* Median MTTR per tunnel per quarter, for the chart. */
struct q_series {
	const char *tunnel;
	int64_t median_ms[QUARTERLY_HISTORY + 1];	/* -1: no data */
};

struct quarterly {
	char *label;		/* "2026Q4" or "2026-10-01..2026-12-31" */
	fp_time from;		/* inclusive */
	fp_time to;		/* exclusive */
	char *procedure_id;
	char *procedure_title;
	char *review_cycle;
	int64_t max_outage_ms;
	int64_t max_spread_ms;	/* -1 when the procedure sets none */
	char history_labels[QUARTERLY_HISTORY + 1][QUARTER_STRLEN];

	size_t n_revisions;
	struct q_revision *revisions;
	size_t n_tunnels;
	struct q_tunnel *tunnels;
	size_t n_runs;
	struct q_run *runs;	/* in the period, by time */
	size_t n_cells;
	struct q_cell *cells;
	size_t n_stats;
	struct q_stat_row *stats;
	size_t n_failbacks;
	struct q_failback *failbacks;
	size_t n_defects;
	struct q_defect *defects;
	size_t n_waivers;
	struct q_waiver *waivers;
	size_t n_findings;
	struct q_finding *findings;
	size_t n_series;
	struct q_series *series;

	char *first_commit;	/* evidence commit of the earliest run */
	char *last_commit;	/* of the latest run */
	char *head_commit;	/* the repository when the report was made */
	fp_time generated_at;
};

/*
 * Parse --quarter Q, or --from DATE and --to DATE (inclusive day), into
 * a period.  Exactly one of the two forms must be given.
 */
int quarterly_period(const char *quarter, const char *from, const char *to,
    char **label, fp_time *start, fp_time *end);

/* Gather the model of the period [from, to). */
int quarterly_load(struct workspace *ws, const char *label, fp_time from,
    fp_time to, struct quarterly *out);
void quarterly_release(struct quarterly *q);

#endif
