/*
 * Loading what the schedule needs from the store: registered tunnels,
 * every run with its latest verdict, the change records and the
 * procedure's scenarios.  The due list and the quarterly report both
 * start from this.
 */
#ifndef FP_SCHEDULE_LOAD_H
#define FP_SCHEDULE_LOAD_H

#include "schedule.h"
#include "store_quarterly.h"

#define SCHEDULE_MAX_SCENARIOS 16

struct schedule_data {
	struct store_tunnel *tunnels;
	size_t n_tunnels;
	struct store_run_summary *runs;
	size_t n_runs;
	struct store_change *changes;
	size_t n_changes;
	int scenarios[SCHEDULE_MAX_SCENARIOS];
	size_t n_scenarios;

	/* The same records as schedule_due() takes them. */
	struct schedule_tunnel *sched_tunnels;
	struct schedule_run *sched_runs;
	struct schedule_change *sched_changes;
};

/*
 * When a run's drill took place: the failover instant stated at
 * 'run new', else the one its evaluation found, else when the run was
 * recorded.
 */
fp_time run_summary_time(const struct store_run_summary *r);

int schedule_load(struct store *s, struct schedule_data *out);
/* Compute the due list at `at`; free *items with free(). */
void schedule_data_due(const struct schedule_data *d, fp_time at,
    struct due_item **items, size_t *n_items);
void schedule_data_release(struct schedule_data *d);

#endif
