/*
 * Building the quarterly model.  Every run whose drill took place in the
 * period is included with its latest evaluation.  Statistics compare the
 * period with the QUARTERLY_HISTORY calendar quarters before it.
 *
 * Run flags: a run is flagged when the procedure revision it ran under
 * was a draft, not yet approved, or already superseded at the time of
 * the drill, or when that revision's last approval or review was more
 * than one review cycle (the rest of its quarter and the next) earlier;
 * and for every finding its evaluation recorded (status-only evidence,
 * a graceful switchover as the only method, timers never validated).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "procedure.h"
#include "quarterly.h"
#include "schedule_load.h"

#define US_PER_DAY (86400LL * 1000000)

int
quarterly_period(const char *quarter, const char *from, const char *to,
    char **label, fp_time *start, fp_time *end)
{
	char a[16], b[16];
	struct quarter q;
	int rc;

	if ((quarter != NULL) == (from != NULL || to != NULL) ||
	    (quarter == NULL && (from == NULL || to == NULL)))
		return fp_fail(FP_EINVAL, "give --quarter such as 2026Q4, or "
		    "both --from and --to");
	if (quarter != NULL) {
		char text[QUARTER_STRLEN];

		if ((rc = quarter_parse(quarter, &q)) != 0)
			return rc;
		*start = quarter_start(q);
		*end = quarter_end(q);
		quarter_format(q, text);
		*label = xstrdup(text);
		return 0;
	}
	if ((rc = schedule_parse_date("--from", from, start)) != 0 ||
	    (rc = schedule_parse_date("--to", to, end)) != 0)
		return rc;
	/* --to names the last day of the period. */
	*end = (*end / US_PER_DAY + 1) * US_PER_DAY;
	if (*end <= *start)
		return fp_fail(FP_EINVAL, "--to %s is before --from %s", to,
		    from);
	schedule_format_day(*start, a);
	schedule_format_day(*end - 1, b);
	*label = xasprintf("%s..%s", a, b);
	return 0;
}

static void
add_flag(struct q_run *r, const char *id, char *text)
{
	r->flags = xrealloc(r->flags, (r->n_flags + 1) * sizeof(*r->flags));
	r->flags[r->n_flags].id = xstrdup(id);
	r->flags[r->n_flags].text = text;
	r->n_flags++;
}

static void
add_finding(struct quarterly *q, const char *id, const char *tunnel,
    int scenario, long run, char *text)
{
	struct q_finding *f;

	q->findings = xrealloc(q->findings, (q->n_findings + 1) *
	    sizeof(*q->findings));
	f = &q->findings[q->n_findings++];
	f->id = xstrdup(id);
	f->tunnel = tunnel ? xstrdup(tunnel) : NULL;
	f->scenario = scenario;
	f->run = run;
	f->text = text;
}

static char *
format_day(fp_time t)
{
	char day[16];

	schedule_format_day(t, day);
	return xstrdup(day);
}

/* The revision's status at the drill, and its flag. */
static void
judge_revision(struct q_run *r, const struct store_revision *rev)
{
	fp_time review, valid_until;
	char *day;

	if (rev == NULL) {
		r->revision_status = xstrdup("unknown");
		return;
	}
	r->revision = xstrdup(rev->revision);
	if (rev->approved_at == FP_TIME_NONE) {
		r->revision_status = xstrdup("draft");
		add_flag(r, "draft-revision", xasprintf("ran under revision %s "
		    "of the procedure, a draft that was never approved",
		    rev->revision));
		return;
	}
	if (rev->approved_at > r->at) {
		r->revision_status = xstrdup("unapproved");
		day = format_day(rev->approved_at);
		add_flag(r, "unapproved-revision", xasprintf("ran under "
		    "revision %s of the procedure before it was approved on "
		    "%s", rev->revision, day));
		free(day);
		return;
	}
	if (rev->superseded_at != FP_TIME_NONE && rev->superseded_at <= r->at) {
		r->revision_status = xstrdup("superseded");
		add_flag(r, "superseded-revision", xasprintf("ran under "
		    "revision %s of the procedure after a later revision "
		    "superseded it", rev->revision));
		return;
	}
	r->revision_status = xstrdup("approved");
	review = rev->approved_at;
	if (rev->reviewed_at != FP_TIME_NONE && rev->reviewed_at <= r->at)
		review = rev->reviewed_at;
	valid_until = quarter_end(quarter_add(quarter_of(review), 1));
	if (r->at >= valid_until) {
		day = format_day(review);
		add_flag(r, "revision-review-overdue", xasprintf("ran under "
		    "revision %s of the procedure, last approved or reviewed "
		    "on %s: outside its quarterly review cycle",
		    rev->revision, day));
		free(day);
	}
}

/* Copy the evaluation's own findings (prohibited assumptions) as flags. */
static void
evaluation_flags(struct q_run *r)
{
	json_t *root, *v;
	size_t i;

	if (r->result_json == NULL)
		return;
	root = json_loads(r->result_json, 0, NULL);
	json_array_foreach(json_object_get(root, "findings"), i, v) {
		const char *id = json_string_value(json_object_get(v, "id"));
		const char *text = json_string_value(json_object_get(v,
		    "text"));

		if (id != NULL)
			add_flag(r, id, xstrdup(text ? text : id));
	}
	json_decref(root);
}

static const struct store_revision *
find_revision(const struct store_revision *revs, size_t n, long procedure)
{
	for (size_t i = 0; i < n; i++)
		if (revs[i].procedure == procedure)
			return &revs[i];
	return NULL;
}

static int
compare_signoff(const void *key, const void *elem)
{
	long run = *(const long *)key;
	const struct store_signoff_row *row = elem;

	return (run > row->run) - (run < row->run);
}

static int
compare_run_time(const void *a, const void *b)
{
	const struct q_run *x = a, *y = b;

	if (x->at != y->at)
		return (x->at > y->at) - (x->at < y->at);
	return (x->id > y->id) - (x->id < y->id);
}

/* The runs of the period, with their flags, sign-off and defect. */
static int
load_runs(struct workspace *ws, struct quarterly *q,
    const struct schedule_data *d, const struct store_revision *revs,
    size_t n_revs, const struct store_defect_row *defects, size_t n_defects)
{
	struct store_signoff_row *signoffs = NULL;
	size_t n_signoffs = 0;
	int rc;

	if ((rc = store_signoff_rows(ws->store, &signoffs, &n_signoffs)) != 0)
		return rc;
	q->runs = xcalloc(d->n_runs + 1, sizeof(*q->runs));
	for (size_t i = 0; i < d->n_runs && rc == 0; i++) {
		const struct store_run_summary *s = &d->runs[i];
		const struct store_signoff_row *so;
		fp_time at = d->sched_runs[i].at;
		struct q_run *r;

		if (at < q->from || at >= q->to)
			continue;
		r = &q->runs[q->n_runs++];
		r->id = s->id;
		r->tunnel = xstrdup(s->tunnel);
		r->scenario = s->scenario;
		r->at = at;
		r->method = xstrdup(s->method);
		r->executed_by = xstrdup(s->executed_by);
		r->evaluated = s->evaluation != 0;
		r->verdict = s->verdict ? xstrdup(s->verdict) : NULL;
		r->cause = s->cause ? xstrdup(s->cause) : NULL;
		r->outcome = s->outcome ? xstrdup(s->outcome) : NULL;
		r->mttr_ms = r->evaluated ? s->mttr_ms : -1;
		r->loss_window_ms = r->evaluated ? s->loss_window_ms : -1;
		r->evaluated_at = s->evaluated_at;
		r->evidence_commit = s->evidence_commit ?
		    xstrdup(s->evidence_commit) : NULL;
		r->procedure = s->procedure;
		r->reviewed_at = FP_TIME_NONE;
		if (r->evaluated)
			rc = store_evaluation_json(ws->store, s->evaluation,
			    &r->result_json);

		judge_revision(r, find_revision(revs, n_revs, s->procedure));
		if (!r->evaluated)
			add_flag(r, "not-evaluated", xstrdup("the run was "
			    "never evaluated: run 'failproof evaluate'"));
		evaluation_flags(r);

		so = n_signoffs ? bsearch(&r->id, signoffs, n_signoffs,
		    sizeof(*signoffs), compare_signoff) : NULL;
		if (so == NULL) {
			r->signoff = xstrdup("pending");
		} else {
			/* A sign-off given before the run last changed
			 * approves nothing that the report now shows. */
			r->signoff = xstrdup(so->stale ? "stale" :
			    strcmp(so->decision, "approve") == 0 ? "approved" :
			    "rejected");
			r->reviewer = xstrdup(so->reviewer);
			r->reviewed_at = so->reviewed_at;
		}
		for (size_t k = 0; k < n_defects; k++)
			if (defects[k].run == r->id)
				r->defect = defects[k].id;
	}
	store_signoff_rows_free(signoffs, n_signoffs);
	fp_qsort(q->runs, q->n_runs, sizeof(*q->runs), compare_run_time);
	return rc;
}

static void
load_tunnels(struct quarterly *q, const struct schedule_data *d)
{
	q->tunnels = xcalloc(d->n_tunnels + q->n_runs + 1,
	    sizeof(*q->tunnels));
	for (size_t i = 0; i < d->n_tunnels; i++) {
		struct q_tunnel *t = &q->tunnels[q->n_tunnels++];

		t->name = xstrdup(d->tunnels[i].name);
		t->units = xstrdup(d->tunnels[i].units);
		t->peer = xstrdup(d->tunnels[i].peer);
		t->vendor = xstrdup(d->tunnels[i].vendor);
		t->ike_version = d->tunnels[i].ike_version;
		t->registered = 1;
	}
	/* Tunnels that ran drills without being registered. */
	for (size_t i = 0; i < q->n_runs; i++) {
		size_t k;

		for (k = 0; k < q->n_tunnels; k++)
			if (strcmp(q->tunnels[k].name, q->runs[i].tunnel) == 0)
				break;
		if (k < q->n_tunnels)
			continue;
		q->tunnels[q->n_tunnels++].name = xstrdup(q->runs[i].tunnel);
		add_finding(q, "unregistered-tunnel", q->runs[i].tunnel, 0,
		    q->runs[i].id, xasprintf("tunnel %s ran drills but is not "
		    "registered, so the schedule does not cover it",
		    q->runs[i].tunnel));
	}
}

static const char *
cell_result(const struct q_run *r)
{
	if (!r->evaluated)
		return "not-evaluated";
	if (strcmp(r->verdict, "pass") == 0)
		return "pass";
	if (strcmp(r->verdict, "inconclusive") == 0)
		return "inconclusive";
	return "fail";
}

static void
build_cells(struct quarterly *q, const struct schedule_data *d)
{
	q->cells = xcalloc(q->n_tunnels * d->n_scenarios + 1,
	    sizeof(*q->cells));
	for (size_t t = 0; t < q->n_tunnels; t++) {
		size_t tunnel_runs = 0;

		for (size_t s = 0; s < d->n_scenarios; s++) {
			struct q_cell *c = &q->cells[q->n_cells++];

			c->tunnel = q->tunnels[t].name;
			c->scenario = d->scenarios[s];
			c->result = "not-tested";
			for (size_t i = 0; i < q->n_runs; i++) {
				const struct q_run *r = &q->runs[i];

				if (r->scenario != c->scenario ||
				    strcmp(r->tunnel, c->tunnel) != 0)
					continue;
				c->runs++;
				if (r->verdict && strcmp(r->verdict, "pass") == 0)
					c->passed++;
				c->result = cell_result(r);
				c->latest_run = r->id;
			}
			tunnel_runs += c->runs;
		}
		if (tunnel_runs == 0 && q->tunnels[t].registered)
			add_finding(q, "no-run-in-period", q->tunnels[t].name,
			    0, 0, xasprintf("registered tunnel %s has no run "
			    "in %s", q->tunnels[t].name, q->label));
	}
}

/* Statistics */

/* Index of the quarter slot of t: 0..HISTORY-1 earlier, HISTORY period. */
static int
slot_of(const struct quarterly *q, fp_time t)
{
	struct quarter first = quarter_add(quarter_of(q->from),
	    -QUARTERLY_HISTORY);

	if (t >= q->from && t < q->to)
		return QUARTERLY_HISTORY;
	if (t >= q->from)
		return -1;
	for (int k = 0; k < QUARTERLY_HISTORY; k++) {
		struct quarter qk = quarter_add(first, k);

		if (t >= quarter_start(qk) && t < quarter_end(qk) &&
		    t < q->from)
			return k;
	}
	return -1;
}

struct sample {
	const char *tunnel;
	int scenario;
	int slot;
	int64_t mttr_ms;	/* -1: evaluated, not recovered */
};

static int
compare_sample(const void *a, const void *b)
{
	const struct sample *x = a, *y = b;
	int c = strcmp(x->tunnel, y->tunnel);

	if (c != 0)
		return c;
	if (x->scenario != y->scenario)
		return x->scenario - y->scenario;
	return x->slot - y->slot;
}

static void
summarise(struct q_stat *st, const struct sample *v, size_t n,
    int64_t max_spread_ms)
{
	int64_t *values = xcalloc(n + 1, sizeof(*values));
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (v[i].mttr_ms >= 0)
			values[k++] = v[i].mttr_ms;
		else
			st->not_recovered++;
	}
	mttr_stats_compute(values, k, &st->st);
	st->repeatable = mttr_repeatable(&st->st, max_spread_ms);
	free(values);
}

static void build_series(struct quarterly *q, struct sample *v, size_t n);

/* Group the evaluated runs by tunnel, scenario and quarter slot. */
static void
build_stats(struct quarterly *q, const struct schedule_data *d)
{
	struct sample *v = xcalloc(d->n_runs + 1, sizeof(*v));
	size_t n = 0, i = 0;

	for (size_t k = 0; k < d->n_runs; k++) {
		int slot = slot_of(q, d->sched_runs[k].at);

		if (slot < 0 || d->runs[k].evaluation == 0)
			continue;
		v[n].tunnel = d->runs[k].tunnel;
		v[n].scenario = d->runs[k].scenario;
		v[n].slot = slot;
		v[n].mttr_ms = d->runs[k].mttr_ms;
		n++;
	}
	fp_qsort(v, n, sizeof(*v), compare_sample);
	q->stats = xcalloc(n + 1, sizeof(*q->stats));
	while (i < n) {
		struct q_stat_row *row = &q->stats[q->n_stats++];
		size_t end = i;

		row->tunnel = xstrdup(v[i].tunnel);
		row->scenario = v[i].scenario;
		snprintf(row->period.label, sizeof(row->period.label), "%s",
		    q->history_labels[QUARTERLY_HISTORY]);
		mttr_stats_compute(NULL, 0, &row->period.st);
		row->period.repeatable = -1;
		while (end < n && strcmp(v[end].tunnel, v[i].tunnel) == 0 &&
		    v[end].scenario == row->scenario)
			end++;
		while (i < end) {
			size_t j = i;
			struct q_stat *st;

			while (j < end && v[j].slot == v[i].slot)
				j++;
			if (v[i].slot == QUARTERLY_HISTORY) {
				st = &row->period;
			} else {
				st = &row->history[row->n_history++];
				snprintf(st->label, sizeof(st->label), "%s",
				    q->history_labels[v[i].slot]);
			}
			summarise(st, &v[i], j - i, q->max_spread_ms);
			i = j;
		}
	}
	build_series(q, v, n);
	free(v);
}

static int
compare_sample_slot(const void *a, const void *b)
{
	const struct sample *x = a, *y = b;
	int c = strcmp(x->tunnel, y->tunnel);

	return c != 0 ? c : x->slot - y->slot;
}

/*
 * Median MTTR per tunnel and quarter slot, all scenarios together, from
 * the samples build_stats() collected.
 */
static void
build_series(struct quarterly *q, struct sample *v, size_t n)
{
	int64_t *values = xcalloc(n + 1, sizeof(*values));
	size_t i = 0, t = 0;

	q->series = xcalloc(q->n_tunnels + 1, sizeof(*q->series));
	for (size_t k = 0; k < q->n_tunnels; k++) {
		q->series[k].tunnel = q->tunnels[k].name;
		for (int slot = 0; slot <= QUARTERLY_HISTORY; slot++)
			q->series[k].median_ms[slot] = -1;
	}
	q->n_series = q->n_tunnels;

	fp_qsort(v, n, sizeof(*v), compare_sample_slot);
	while (i < n) {
		struct mttr_stats st;
		size_t j = i, count = 0;

		while (j < n && v[j].slot == v[i].slot &&
		    strcmp(v[j].tunnel, v[i].tunnel) == 0) {
			if (v[j].mttr_ms >= 0)
				values[count++] = v[j].mttr_ms;
			j++;
		}
		mttr_stats_compute(values, count, &st);
		/* Both lists are in name order, except unregistered tunnels. */
		if (t >= q->n_tunnels || strcmp(q->tunnels[t].name,
		    v[i].tunnel) != 0)
			for (t = 0; t < q->n_tunnels; t++)
				if (strcmp(q->tunnels[t].name, v[i].tunnel) ==
				    0)
					break;
		if (t < q->n_tunnels)
			q->series[t].median_ms[v[i].slot] = st.median_ms;
		i = j;
	}
	free(values);
}

/* Pair each scenario 3 run with the scenario 2 run of its tunnel. */
static void
build_failbacks(struct quarterly *q)
{
	q->failbacks = xcalloc(q->n_runs + 1, sizeof(*q->failbacks));
	for (size_t i = 0; i < q->n_runs; i++) {
		const struct q_run *back = &q->runs[i], *before = NULL;
		const struct q_run *after = NULL;
		struct q_failback *f;

		if (back->scenario != 3)
			continue;
		for (size_t k = 0; k < q->n_runs; k++) {
			const struct q_run *r = &q->runs[k];

			if (r->scenario != 2 || strcmp(r->tunnel,
			    back->tunnel) != 0)
				continue;
			if (r->at <= back->at)
				before = r;
			else if (after == NULL)
				after = r;
		}
		f = &q->failbacks[q->n_failbacks++];
		f->tunnel = back->tunnel;
		f->failback = back;
		f->failover = before ? before : after;
		f->held = f->failover && f->failover->verdict &&
		    back->verdict && strcmp(f->failover->verdict, "pass") ==
		    0 && strcmp(back->verdict, "pass") == 0;
		if (f->failover && f->failover->mttr_ms >= 0 &&
		    back->mttr_ms >= 0) {
			f->has_difference = 1;
			f->difference_ms = back->mttr_ms - f->failover->mttr_ms;
		}
	}
}

static void
build_defects(struct quarterly *q, const struct store_defect_row *rows,
    size_t n)
{
	fp_time end = q->generated_at < q->to ? q->generated_at : q->to;

	q->defects = xcalloc(n + 1, sizeof(*q->defects));
	for (size_t i = 0; i < n; i++) {
		const struct store_defect_row *r = &rows[i];
		int verified = r->closed_at != FP_TIME_NONE;
		struct q_defect *d;
		fp_time age_end;

		if (r->opened_at >= q->to)
			continue;
		if (verified && r->closed_at < q->from)
			continue;
		d = &q->defects[q->n_defects++];
		d->id = r->id;
		d->run = r->run;
		d->tunnel = xstrdup(r->tunnel);
		d->scenario = r->scenario;
		d->verdict = xstrdup(r->verdict);
		d->cause = r->cause ? xstrdup(r->cause) : NULL;
		d->status = xstrdup(r->status);
		d->opened_at = r->opened_at;
		d->closed_at = r->closed_at;
		d->closed_by_run = r->closed_by_run;
		d->owner = r->owner ? xstrdup(r->owner) : NULL;
		d->opened_in_period = r->opened_at >= q->from;
		d->verified_in_period = verified && r->closed_at < q->to;
		d->open_at_end = !verified || r->closed_at >= q->to;
		age_end = d->open_at_end ? end : r->closed_at;
		d->age_days = age_end > r->opened_at ?
		    (age_end - r->opened_at) / US_PER_DAY : 0;
	}
}

static int
load_waivers(struct workspace *ws, struct quarterly *q)
{
	struct store_waiver_row *rows = NULL;
	size_t n = 0;
	int rc;

	if ((rc = store_waiver_rows(ws->store, &rows, &n)) != 0)
		return rc;
	q->waivers = xcalloc(n + 1, sizeof(*q->waivers));
	for (size_t i = 0; i < n; i++) {
		struct q_waiver *w;

		if (rows[i].created_at >= q->to || rows[i].expires_at < q->from)
			continue;
		w = &q->waivers[q->n_waivers++];
		w->id = rows[i].id;
		w->run = rows[i].run;
		w->criterion = rows[i].criterion ?
		    xstrdup(rows[i].criterion) : NULL;
		w->defect = rows[i].defect;
		w->justification = xstrdup(rows[i].justification);
		w->approver = xstrdup(rows[i].approver);
		w->expires_at = rows[i].expires_at;
		w->expired = rows[i].expires_at < q->generated_at;
	}
	store_waiver_rows_free(rows, n);
	return 0;
}

/* Findings from the schedule at the end of the period, and run flags. */
static void
build_findings(struct quarterly *q, const struct schedule_data *d)
{
	struct due_item *items = NULL;
	size_t n = 0;
	fp_time at = q->generated_at < q->to ? q->generated_at : q->to - 1;

	schedule_data_due(d, at, &items, &n);
	for (size_t i = 0; i < n; i++) {
		const struct due_item *it = &items[i];
		char day[16];

		schedule_format_day(it->due_at - 1, day);
		if (it->status == DUE_OVERDUE)
			add_finding(q, "overdue", it->tunnel, it->scenario, 0,
			    xasprintf("scenario %d of tunnel %s was due for a "
			    "passing run by %s", it->scenario, it->tunnel,
			    day));
		else if (it->status == DUE_MISSING)
			add_finding(q, "missing", it->tunnel, it->scenario, 0,
			    xasprintf("scenario %d of tunnel %s has never "
			    "passed; it was due by %s", it->scenario,
			    it->tunnel, day));
		else if (it->status == DUE_RETEST)
			add_finding(q, "retest-required", it->tunnel,
			    it->scenario, 0, xasprintf("a %s change to tunnel "
			    "%s (%s) followed the last passing run of "
			    "scenario %d; re-test due by %s",
			    it->change->kind, it->tunnel, it->change->ref,
			    it->scenario, day));
	}
	free(items);

	for (size_t i = 0; i < q->n_runs; i++)
		for (size_t k = 0; k < q->runs[i].n_flags; k++)
			add_finding(q, q->runs[i].flags[k].id,
			    q->runs[i].tunnel, q->runs[i].scenario,
			    q->runs[i].id, xasprintf("run %ld: %s",
			    q->runs[i].id, q->runs[i].flags[k].text));
}

/* The procedure of the latest approved revision, else of the latest row. */
static int
load_procedure(struct workspace *ws, struct quarterly *q,
    const struct store_revision *revs, size_t n)
{
	struct store_procedure row = { 0 };
	struct procedure p;
	long id = 0;
	int rc;

	for (size_t i = 0; i < n; i++)
		if (strcmp(revs[i].status, "approved") == 0)
			id = revs[i].procedure;
	if (id == 0 && (rc = store_procedure_latest(ws->store, &id)) != 0)
		return rc;
	if ((rc = store_procedure_get(ws->store, id, &row)) != 0)
		return rc;
	rc = procedure_load_text(row.definition, "procedure", &p);
	store_procedure_release(&row);
	if (rc != 0)
		return rc;
	q->procedure_id = xstrdup(p.id);
	q->procedure_title = xstrdup(p.title);
	q->review_cycle = xstrdup(p.review_cycle);
	q->max_outage_ms = p.max_outage_ms;
	q->max_spread_ms = p.max_spread_ms;
	procedure_release(&p);

	q->revisions = xcalloc(n + 1, sizeof(*q->revisions));
	for (size_t i = 0; i < n; i++) {
		struct q_revision *r = &q->revisions[q->n_revisions++];

		r->revision = xstrdup(revs[i].revision);
		r->status = xstrdup(revs[i].status);
		r->author = revs[i].author ? xstrdup(revs[i].author) : NULL;
		r->summary = revs[i].summary ? xstrdup(revs[i].summary) : NULL;
		r->approved_by = revs[i].approved_by ?
		    xstrdup(revs[i].approved_by) : NULL;
		r->approved_at = revs[i].approved_at;
		r->reviewed_at = revs[i].reviewed_at;
		r->superseded_at = revs[i].superseded_at;
	}
	return 0;
}

static void
find_commits(struct workspace *ws, struct quarterly *q)
{
	const struct q_run *first = NULL, *last = NULL;
	char head[41];

	for (size_t i = 0; i < q->n_runs; i++) {
		const struct q_run *r = &q->runs[i];

		if (r->evidence_commit == NULL)
			continue;
		if (first == NULL || r->evaluated_at < first->evaluated_at)
			first = r;
		if (last == NULL || r->evaluated_at >= last->evaluated_at)
			last = r;
	}
	if (first != NULL) {
		q->first_commit = xstrdup(first->evidence_commit);
		q->last_commit = xstrdup(last->evidence_commit);
	}
	if (evrepo_head(ws->repo, head) == 0)
		q->head_commit = xstrdup(head);
}

int
quarterly_load(struct workspace *ws, const char *label, fp_time from,
    fp_time to, struct quarterly *q)
{
	struct store_revision *revs = NULL;
	struct store_defect_row *defects = NULL;
	size_t n_revs = 0, n_defects = 0;
	struct schedule_data d;
	struct quarter first;
	int rc;

	memset(q, 0, sizeof(*q));
	memset(&d, 0, sizeof(d));
	q->label = xstrdup(label);
	q->from = from;
	q->to = to;
	q->generated_at = fp_now();
	first = quarter_add(quarter_of(from), -QUARTERLY_HISTORY);
	for (int k = 0; k < QUARTERLY_HISTORY; k++)
		quarter_format(quarter_add(first, k), q->history_labels[k]);
	snprintf(q->history_labels[QUARTERLY_HISTORY], QUARTER_STRLEN, "%s",
	    strlen(label) < QUARTER_STRLEN ? label : "period");

	if ((rc = schedule_load(ws->store, &d)) != 0 ||
	    (rc = store_revision_list(ws->store, &revs, &n_revs)) != 0 ||
	    (rc = store_defect_rows(ws->store, &defects, &n_defects)) != 0 ||
	    (rc = load_procedure(ws, q, revs, n_revs)) != 0 ||
	    (rc = load_runs(ws, q, &d, revs, n_revs, defects,
	    n_defects)) != 0 ||
	    (rc = load_waivers(ws, q)) != 0)
		goto out;
	load_tunnels(q, &d);
	build_cells(q, &d);
	build_stats(q, &d);
	build_failbacks(q);
	build_defects(q, defects, n_defects);
	build_findings(q, &d);
	find_commits(ws, q);
out:
	if (rc != 0)
		quarterly_release(q);
	store_revision_list_free(revs, n_revs);
	store_defect_rows_free(defects, n_defects);
	schedule_data_release(&d);
	return rc;
}

void
quarterly_release(struct quarterly *q)
{
	free(q->label);
	free(q->procedure_id);
	free(q->procedure_title);
	free(q->review_cycle);
	for (size_t i = 0; i < q->n_revisions; i++) {
		free(q->revisions[i].revision);
		free(q->revisions[i].status);
		free(q->revisions[i].author);
		free(q->revisions[i].summary);
		free(q->revisions[i].approved_by);
	}
	free(q->revisions);
	for (size_t i = 0; i < q->n_tunnels; i++) {
		free(q->tunnels[i].name);
		free(q->tunnels[i].units);
		free(q->tunnels[i].peer);
		free(q->tunnels[i].vendor);
	}
	free(q->tunnels);
	for (size_t i = 0; i < q->n_runs; i++) {
		struct q_run *r = &q->runs[i];

		free(r->tunnel);
		free(r->method);
		free(r->executed_by);
		free(r->verdict);
		free(r->cause);
		free(r->outcome);
		free(r->evidence_commit);
		free(r->result_json);
		free(r->revision);
		free(r->revision_status);
		free(r->signoff);
		free(r->reviewer);
		for (size_t k = 0; k < r->n_flags; k++) {
			free(r->flags[k].id);
			free(r->flags[k].text);
		}
		free(r->flags);
	}
	free(q->runs);
	free(q->cells);
	for (size_t i = 0; i < q->n_stats; i++)
		free(q->stats[i].tunnel);
	free(q->stats);
	free(q->failbacks);
	for (size_t i = 0; i < q->n_defects; i++) {
		free(q->defects[i].tunnel);
		free(q->defects[i].verdict);
		free(q->defects[i].cause);
		free(q->defects[i].status);
		free(q->defects[i].owner);
	}
	free(q->defects);
	for (size_t i = 0; i < q->n_waivers; i++) {
		free(q->waivers[i].criterion);
		free(q->waivers[i].justification);
		free(q->waivers[i].approver);
	}
	free(q->waivers);
	for (size_t i = 0; i < q->n_findings; i++) {
		free(q->findings[i].id);
		free(q->findings[i].tunnel);
		free(q->findings[i].text);
	}
	free(q->findings);
	free(q->series);
	free(q->first_commit);
	free(q->last_commit);
	free(q->head_commit);
	memset(q, 0, sizeof(*q));
}
