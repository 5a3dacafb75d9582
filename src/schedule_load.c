/* Loading the schedule's records from the store. */
#include <stdlib.h>
#include <string.h>

#include "procedure.h"
#include "schedule_load.h"

fp_time
run_summary_time(const struct store_run_summary *r)
{
	fp_time t;

	if (r->failover_at != FP_TIME_NONE)
		return r->failover_at;
	if (r->evaluated_failover != NULL &&
	    fp_time_parse_iso(r->evaluated_failover, &t) > 0)
		return t;
	return r->created_at;
}

/* The scenario numbers of the workspace's latest procedure row. */
static int
load_scenarios(struct store *s, struct schedule_data *d)
{
	struct store_procedure row = { 0 };
	struct procedure p;
	long id;
	int rc;

	if ((rc = store_procedure_latest(s, &id)) != 0)
		return rc;
	if ((rc = store_procedure_get(s, id, &row)) != 0)
		return rc;
	rc = procedure_load_text(row.definition, "procedure", &p);
	store_procedure_release(&row);
	if (rc != 0)
		return rc;
	for (size_t i = 0; i < p.n_scenarios &&
	    d->n_scenarios < SCHEDULE_MAX_SCENARIOS; i++)
		d->scenarios[d->n_scenarios++] = p.scenarios[i].number;
	procedure_release(&p);
	return 0;
}

int
schedule_load(struct store *s, struct schedule_data *d)
{
	int rc;

	memset(d, 0, sizeof(*d));
	if ((rc = load_scenarios(s, d)) != 0 ||
	    (rc = store_tunnel_list(s, &d->tunnels, &d->n_tunnels)) != 0 ||
	    (rc = store_run_summaries(s, &d->runs, &d->n_runs)) != 0 ||
	    (rc = store_change_list(s, &d->changes, &d->n_changes)) != 0) {
		schedule_data_release(d);
		return rc;
	}

	d->sched_tunnels = xcalloc(d->n_tunnels + 1,
	    sizeof(*d->sched_tunnels));
	for (size_t i = 0; i < d->n_tunnels; i++) {
		d->sched_tunnels[i].name = d->tunnels[i].name;
		d->sched_tunnels[i].added_at = d->tunnels[i].added_at;
	}
	d->sched_runs = xcalloc(d->n_runs + 1, sizeof(*d->sched_runs));
	for (size_t i = 0; i < d->n_runs; i++) {
		d->sched_runs[i].id = d->runs[i].id;
		d->sched_runs[i].tunnel = d->runs[i].tunnel;
		d->sched_runs[i].scenario = d->runs[i].scenario;
		d->sched_runs[i].at = run_summary_time(&d->runs[i]);
		d->sched_runs[i].verdict = d->runs[i].verdict;
	}
	d->sched_changes = xcalloc(d->n_changes + 1,
	    sizeof(*d->sched_changes));
	for (size_t i = 0; i < d->n_changes; i++) {
		d->sched_changes[i].id = d->changes[i].id;
		d->sched_changes[i].tunnel = d->changes[i].tunnel;
		d->sched_changes[i].kind = d->changes[i].kind;
		d->sched_changes[i].at = d->changes[i].changed_at;
		d->sched_changes[i].ref = d->changes[i].ref;
	}
	return 0;
}

void
schedule_data_due(const struct schedule_data *d, fp_time at,
    struct due_item **items, size_t *n_items)
{
	schedule_due(d->sched_tunnels, d->n_tunnels, d->scenarios,
	    d->n_scenarios, d->sched_runs, d->n_runs, d->sched_changes,
	    d->n_changes, at, items, n_items);
}

void
schedule_data_release(struct schedule_data *d)
{
	store_tunnel_list_free(d->tunnels, d->n_tunnels);
	store_run_summaries_free(d->runs, d->n_runs);
	store_change_list_free(d->changes, d->n_changes);
	free(d->sched_tunnels);
	free(d->sched_runs);
	free(d->sched_changes);
	memset(d, 0, sizeof(*d));
}
