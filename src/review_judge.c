/* Store-backed judgements of an evaluation (review_judge.h). */
#include <stdlib.h>
#include <string.h>

#include "attest.h"
#include "review_judge.h"
#include "schedule.h"
#include "store_quarterly.h"

static fp_time
run_time(fp_time failover_at, fp_time created_at)
{
	return failover_at != FP_TIME_NONE ? failover_at : created_at;
}

static int
note_graceful_only(struct workspace *ws, const struct fp_run *run,
    struct evaluation *ev)
{
	struct store_run_summary *v = NULL;
	struct quarter q = quarter_of(run_time(run->failover_at,
	    run->created_at));
	char period[QUARTER_STRLEN];
	size_t n = 0, runs = 0, graceful = 0;
	int rc;

	if ((rc = store_run_summaries(ws->store, &v, &n)) != 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		fp_time t = run_time(v[i].failover_at, v[i].created_at);

		if (strcmp(v[i].tunnel, run->tunnel) != 0 ||
		    t < quarter_start(q) || t >= quarter_end(q))
			continue;
		runs++;
		graceful += v[i].method != NULL &&
		    strcmp(v[i].method, "graceful") == 0;
	}
	store_run_summaries_free(v, n);
	if (runs == 0 || graceful != runs ||
	    ev->n_findings == sizeof(ev->findings) / sizeof(ev->findings[0]))
		return 0;
	quarter_format(q, period);
	ev->findings[ev->n_findings].id = "graceful-only";
	ev->findings[ev->n_findings].text = xasprintf("Every run of tunnel "
	    "'%s' in %s (%zu) used a graceful switchover: the procedure "
	    "requires a hard failure (power cut or process kill) as well.",
	    run->tunnel, period, runs);
	ev->n_findings++;
	return 0;
}

int
review_judge(struct workspace *ws, const struct fp_run *run,
    struct evaluation *ev)
{
	int rc;

	if ((rc = attest_apply(ws, run->id, ev)) != 0)
		return rc;
	return note_graceful_only(ws, run, ev);
}
