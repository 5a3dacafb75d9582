/*
 * Evaluation of a run: inputs from the store, the pure classifier, and
 * the JSON result that is stored, committed and printed.  The JSON field
 * names are a contract with users' scripts (see README.md).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "defect.h"
#include "evaluate.h"
#include "evaluation.h"
#include "review_judge.h"
#include "waiver.h"

struct roles {
	const char *primary;
	const char *standby;
	const char *peer;
	char *source;
};

static json_t *
time_json(fp_time t)
{
	char buf[FP_TIME_STRLEN];

	if (t == FP_TIME_NONE)
		return json_null();
	fp_time_format(t, buf, sizeof(buf));
	return json_string(buf);
}

static json_t *
opt_int(int64_t v)
{
	return v < 0 ? json_null() : json_integer(v);
}

static json_t *
opt_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *
ev_refs_json(const struct ev_refs *r)
{
	json_t *a = json_array();

	for (size_t i = 0; i < r->n; i++)
		json_array_append_new(a, json_pack("{s:s, s:I}", "file",
		    r->v[i].file, r->v[i].unit, (json_int_t)r->v[i].number));
	return a;
}

static json_t *
judgements_json(const struct ev_judgement *v, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:o}",
		    "id", v[i].id, "title", v[i].title, "result", v[i].result,
		    "reason", v[i].reason ? v[i].reason : "",
		    "evidence", ev_refs_json(&v[i].refs)));
	return a;
}

static json_t *
evaluation_json(const struct fp_run *run, const struct roles *roles,
    fp_time failover, const char *failover_source, int64_t max_outage_ms,
    const struct evaluation *ev)
{
	json_t *o, *a;

	o = json_pack("{s:I, s:s, s:i, s:s, s:s, s:o, s:o, s:o, s:s?}",
	    "run", (json_int_t)run->id, "tunnel", run->tunnel,
	    "scenario", run->scenario, "method", run->method,
	    "executed_by", run->executed_by,
	    "primary", opt_str(roles->primary),
	    "standby", opt_str(roles->standby), "peer", opt_str(roles->peer),
	    "roles_source", roles->source);
	json_object_set_new(o, "failover_at", time_json(failover));
	json_object_set_new(o, "failover_source", json_string(failover_source));
	json_object_set_new(o, "observed_until", time_json(ev->window_end));
	json_object_set_new(o, "max_outage_ms", json_integer(max_outage_ms));
	json_object_set_new(o, "verdict", json_string(ev->verdict));
	json_object_set_new(o, "cause", opt_str(ev->cause));
	json_object_set_new(o, "outcome", json_string(ev->outcome));
	json_object_set_new(o, "outcome_reason",
	    json_string(ev->outcome_reason ? ev->outcome_reason : ""));
	json_object_set_new(o, "outcome_evidence",
	    ev_refs_json(&ev->outcome_refs));
	json_object_set_new(o, "summary", json_string(ev->summary));
	json_object_set_new(o, "mttr_ms", opt_int(ev->mttr_ms));
	json_object_set_new(o, "mttr_source", opt_str(ev->mttr_source));
	json_object_set_new(o, "mttr_resolution_ms", ev->mttr_ms < 0 ?
	    json_null() : json_integer(ev->mttr_resolution_ms));
	json_object_set_new(o, "mttr_evidence", ev_refs_json(&ev->mttr_refs));
	json_object_set_new(o, "child_sa_ms", opt_int(ev->child_sa_ms));
	json_object_set_new(o, "child_sa_evidence",
	    ev_refs_json(&ev->child_sa_refs));
	json_object_set_new(o, "loss_window_ms", opt_int(ev->loss_window_ms));

	a = json_array();
	for (size_t i = 0; i < ev->n_windows; i++) {
		const struct ev_window *w = &ev->windows[i];

		json_array_append_new(a, json_pack("{s:s, s:s, s:o, s:o, s:o, "
		    "s:I, s:b, s:o}", "direction", w->direction, "source",
		    w->source, "start", time_json(w->start), "end",
		    time_json(w->end), "ms", opt_int(w->ms), "resolution_ms",
		    (json_int_t)w->resolution_ms, "used", w->best,
		    "evidence", ev_refs_json(&w->refs)));
	}
	json_object_set_new(o, "loss_windows", a);
	json_object_set_new(o, "criteria",
	    judgements_json(ev->criteria, ev->n_criteria));
	json_object_set_new(o, "preconditions",
	    judgements_json(ev->preconditions, ev->n_preconditions));

	a = json_array();
	for (size_t i = 0; i < ev->n_answers; i++) {
		const struct ev_answer *q = &ev->answers[i];

		json_array_append_new(a, json_pack("{s:i, s:s, s:s, s:s, s:o}",
		    "question", q->question, "text", q->text, "answer",
		    q->yes ? "yes" : "no", "explanation",
		    q->explanation ? q->explanation : "",
		    "evidence", ev_refs_json(&q->refs)));
	}
	json_object_set_new(o, "decision_path", a);

	a = json_array();
	for (size_t i = 0; i < ev->n_findings; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "id",
		    ev->findings[i].id, "text", ev->findings[i].text));
	json_object_set_new(o, "findings", a);
	return o;
}

static int
event_is(const struct stored_event *se, const char *kind)
{
	return strcmp(se->e.kind, kind) == 0;
}

/*
 * The failover instant: stated with --failover-at, else the first failure
 * injection in a timeline, else the earliest HA takeover that a device
 * logged or a timeline recorded.  *evidence is the event it came from.
 */
static fp_time
find_failover(const struct fp_run *run, const struct evidence_set *set,
    const char **source, const struct stored_event **evidence)
{
	*evidence = NULL;
	if (run->failover_at != FP_TIME_NONE) {
		*source = "stated with --failover-at";
		return run->failover_at;
	}
	for (size_t i = 0; i < set->n_events; i++)
		if (event_is(&set->events[i], "failure_injected")) {
			*source = "failure injection in the timeline";
			*evidence = &set->events[i];
			return set->events[i].e.ts;
		}
	for (size_t i = 0; i < set->n_events; i++)
		if (event_is(&set->events[i], "ha_failover") ||
		    event_is(&set->events[i], "ha_ike_sa_activated") ||
		    event_is(&set->events[i], "takeover")) {
			*source = "earliest HA takeover in the logs";
			*evidence = &set->events[i];
			return set->events[i].e.ts;
		}
	*source = "unknown";
	return FP_TIME_NONE;
}

/* The method of the timeline's first failure injection, or NULL. */
static const char *
timeline_method(const struct evidence_set *set)
{
	for (size_t i = 0; i < set->n_events; i++)
		if (event_is(&set->events[i], "failure_injected"))
			return set->events[i].e.detail;
	return NULL;
}

/*
 * A failover instant outside the time the evidence covers cannot be
 * judged: it is a wrong --failover-at (a zone or a date mistyped), not a
 * failed failover.
 */
static int
check_within_evidence(const struct evidence_set *set, fp_time failover,
    long run)
{
	fp_time first = FP_TIME_NONE, last = FP_TIME_NONE;
	char a[FP_TIME_STRLEN], b[FP_TIME_STRLEN], f[FP_TIME_STRLEN];

	for (size_t i = 0; i < set->n_events; i++) {
		fp_time t = set->events[i].e.ts;

		if (first == FP_TIME_NONE || t < first)
			first = t;
		if (last == FP_TIME_NONE || t > last)
			last = t;
	}
	for (size_t i = 0; i < set->n_samples; i++) {
		if (first == FP_TIME_NONE || set->samples[i].s.t_start < first)
			first = set->samples[i].s.t_start;
		if (last == FP_TIME_NONE || set->samples[i].s.t_end > last)
			last = set->samples[i].s.t_end;
	}
	for (size_t i = 0; i < set->n_packets; i++) {
		fp_time t = set->packets[i].p.ts;

		if (first == FP_TIME_NONE || t < first)
			first = t;
		if (last == FP_TIME_NONE || t > last)
			last = t;
	}
	if (first == FP_TIME_NONE || (failover > first && failover < last))
		return 0;
	fp_time_format_ms(first, a, sizeof(a));
	fp_time_format_ms(last, b, sizeof(b));
	fp_time_format_ms(failover, f, sizeof(f));
	return fp_fail(FP_EINVAL, "run %ld: the failover instant %s is outside "
	    "the evidence, which covers %s to %s: check the date and zone of "
	    "--failover-at", run, f, a, b);
}

static const char *
first_host_with(const struct evidence_set *set, const char *kind,
    fp_time after, const char *not1, const char *not2)
{
	for (size_t i = 0; i < set->n_events; i++) {
		const struct fp_event *e = &set->events[i].e;

		if (e->host == NULL || e->ts <= after || strcmp(e->kind, kind))
			continue;
		if ((not1 && strcasecmp(e->host, not1) == 0) ||
		    (not2 && strcasecmp(e->host, not2) == 0))
			continue;
		return e->host;
	}
	return NULL;
}

/*
 * A host that logged nothing of IKE before the failover but logged after
 * it: a standby that took the shared address without negotiating.
 */
static const char *
silent_before(const struct evidence_set *set, fp_time failover)
{
	const char *rejected[16];
	size_t n_rejected = 0;

	for (size_t i = 0; i < set->n_events; i++) {
		const struct fp_event *e = &set->events[i].e;
		int before = 0;

		/* Timeline notes name the harness host, not a gateway. */
		if (e->host == NULL || e->ts <= failover ||
		    strcmp(e->kind, "note") == 0 ||
		    strcmp(e->kind, "traffic_start") == 0 ||
		    strcmp(e->kind, "traffic_stop") == 0)
			continue;
		for (size_t k = 0; k < n_rejected && !before; k++)
			before = strcasecmp(rejected[k], e->host) == 0;
		if (before)
			continue;
		for (size_t k = 0; k < set->n_events && !before; k++) {
			const struct fp_event *b = &set->events[k].e;

			before = b->ts <= failover && b->host != NULL &&
			    strcasecmp(b->host, e->host) == 0 &&
			    (strcmp(b->kind, "ike_sa_established") == 0 ||
			    strcmp(b->kind, "ike_init_sent") == 0);
		}
		if (!before)
			return e->host;
		if (n_rejected < 16)
			rejected[n_rejected++] = e->host;
	}
	return NULL;
}

/* The time of the last event a host logged. */
static fp_time
last_event_of(const struct evidence_set *set, const char *host)
{
	for (size_t i = set->n_events; i > 0; i--)
		if (set->events[i - 1].e.host != NULL &&
		    strcasecmp(set->events[i - 1].e.host, host) == 0)
			return set->events[i - 1].e.ts;
	return FP_TIME_NONE;
}

/*
 * Pick the primary among the hosts other than the standby that held or
 * initiated an IKE SA before the failover: the one that fell silent
 * first, since the failed unit stops logging.  The peer is the other.
 */
static void
infer_primary_and_peer(const struct evidence_set *set, fp_time failover,
    struct roles *r)
{
	const char *hosts[8];
	size_t n = 0;

	for (size_t i = 0; i < set->n_events && n < 8; i++) {
		const struct fp_event *e = &set->events[i].e;
		int known = 0;

		if (e->host == NULL || e->ts > failover ||
		    (strcmp(e->kind, "ike_sa_established") != 0 &&
		    strcmp(e->kind, "ike_init_sent") != 0) ||
		    (r->standby && strcasecmp(e->host, r->standby) == 0))
			continue;
		for (size_t k = 0; k < n; k++)
			known |= strcasecmp(hosts[k], e->host) == 0;
		if (!known)
			hosts[n++] = e->host;
	}
	for (size_t k = 0; k < n; k++) {
		const char *h = hosts[k];

		if (r->primary == NULL && (r->peer == NULL ||
		    strcasecmp(h, r->peer) != 0)) {
			int earliest = 1;

			for (size_t j = 0; j < n; j++)
				if (j != k && (r->peer == NULL ||
				    strcasecmp(hosts[j], r->peer) != 0) &&
				    last_event_of(set, hosts[j]) <
				    last_event_of(set, h))
					earliest = 0;
			if (earliest)
				r->primary = h;
		}
	}
	for (size_t k = 0; k < n && r->peer == NULL; k++)
		if (r->primary == NULL || strcasecmp(hosts[k], r->primary) != 0)
			r->peer = hosts[k];
}

/*
 * Infer the roles the run does not state.  The standby is the host that
 * took over or initiated after the failover; the primary and the peer
 * come from infer_primary_and_peer().
 */
static void
infer_roles(const struct fp_run *run, const struct evidence_set *set,
    fp_time failover, struct roles *r)
{
	int stated_primary = run->primary != NULL;
	int stated_standby = run->standby != NULL;
	int stated_peer = run->peer != NULL;

	r->primary = run->primary;
	r->standby = run->standby;
	r->peer = run->peer;
	if (r->standby == NULL && failover != FP_TIME_NONE) {
		r->standby = first_host_with(set, "ha_failover", failover,
		    NULL, NULL);
		if (r->standby == NULL)
			r->standby = first_host_with(set, "ike_init_sent",
			    failover, r->primary, r->peer);
		if (r->standby == NULL)
			r->standby = silent_before(set, failover);
	}
	if (r->primary == NULL || r->peer == NULL)
		infer_primary_and_peer(set, failover, r);
	if (stated_primary && stated_standby && stated_peer)
		r->source = xstrdup("stated");
	else
		r->source = xstrdup("inferred from the logs: the standby took "
		    "over or initiated after the failover, the primary is the "
		    "host with an IKE SA before it that fell silent first, the "
		    "peer the other one");
}

/* The result of criterion id in an evaluation's JSON, or NULL. */
static const char *
criterion_result(json_t *evaluation, const char *id)
{
	size_t i;
	json_t *c;

	json_array_foreach(json_object_get(evaluation, "criteria"), i, c)
		if (strcmp(json_string_value(json_object_get(c, "id")) ?
		    json_string_value(json_object_get(c, "id")) : "", id) == 0)
			return json_string_value(json_object_get(c, "result"));
	return NULL;
}

/*
 * May this passing run verify the defect that failing_run opened?  Only
 * when its failure came after the failing run's, and every criterion
 * the failing run broke now passes: a pass without the evidence to judge
 * those criteria does not prove the design fixed.
 */
static int
verifies_defect(struct workspace *ws, json_t *result, long failing_run)
{
	struct store_evaluation failed = { 0 };
	struct fp_run old = { 0 };
	json_t *o = NULL, *c;
	fp_time now_at = FP_TIME_NONE;
	const char *s;
	int ok = 0;
	size_t i;

	if (store_run_get(ws->store, failing_run, &old) != 0 ||
	    store_evaluation_latest(ws->store, failing_run, &failed) != 0)
		goto out;
	s = json_string_value(json_object_get(result, "failover_at"));
	if (s == NULL || fp_time_parse_iso(s, &now_at) == 0)
		goto out;
	o = json_loads(failed.result_json, 0, NULL);
	s = json_string_value(json_object_get(o, "failover_at"));
	if (o == NULL || s == NULL) {
		if (old.failover_at != FP_TIME_NONE && now_at <= old.failover_at)
			goto out;
	} else {
		fp_time then;

		if (fp_time_parse_iso(s, &then) == 0 || now_at <= then)
			goto out;
	}
	ok = 1;
	json_array_foreach(json_object_get(o, "criteria"), i, c) {
		const char *id = json_string_value(json_object_get(c, "id"));
		const char *was = json_string_value(json_object_get(c,
		    "result"));
		const char *now = id ? criterion_result(result, id) : NULL;

		if (was && strcmp(was, "fail") == 0 &&
		    (now == NULL || strcmp(now, "pass") != 0))
			ok = 0;
	}
out:
	json_decref(o);
	store_evaluation_release(&failed);
	fp_run_release(&old);
	return ok;
}

int
evaluate_verify_defects(struct workspace *ws, const struct fp_run *run,
    json_t *result, fp_time now, int *closed)
{
	long *ids = NULL, *runs = NULL;
	size_t n = 0;
	int rc;

	*closed = 0;
	if ((rc = store_defect_candidates(ws->store, run, &ids, &runs, &n)) != 0)
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (!verifies_defect(ws, result, runs[i]))
			continue;
		rc = store_defect_verify(ws->store, ids[i], run->id, now);
		if (rc == 0)
			(*closed)++;
	}
	free(ids);
	free(runs);
	return rc;
}

static int
record_result(struct workspace *ws, const struct fp_run *run,
    const struct evaluation *ev, json_t *result)
{
	struct store_evaluation row = { 0 };
	char head[41], commit[41], *text, *msg;
	fp_time now = fp_now();
	long defect = 0;
	int rc, closed = 0;

	if ((rc = evrepo_head(ws->repo, head)) != 0)
		return rc;
	json_object_set_new(result, "evidence_commit", json_string(head));
	/* One instant for the evaluation and the defects it opens or
	 * verifies, recorded so that a rebuild restores the same times. */
	json_object_set_new(result, "evaluated_at", time_json(now));
	if ((rc = store_begin(ws->store)) != 0)
		return rc;
	if (strcmp(ev->outcome, "failed") == 0 &&
	    (rc = store_defect_open(ws->store, run, ev->verdict, ev->cause,
	    now, &defect)) == 0)
		rc = defect_plan(ws, run, defect, now, result);
	else if (strcmp(ev->verdict, "pass") == 0 &&
	    strcmp(ev->outcome, "errored") != 0 &&
	    strcmp(ev->outcome, "blocked") != 0)
		rc = evaluate_verify_defects(ws, run, result, now, &closed);
	if (rc != 0)
		goto fail;
	json_object_set_new(result, "defect", defect ?
	    defect_summary_json(ws, defect) : json_null());
	json_object_set_new(result, "defects_closed", json_integer(closed));

	text = json_dumps(result, JSON_INDENT(2) | JSON_SORT_KEYS);
	row.run = run->id;
	row.evaluated_at = now;
	row.verdict = (char *)ev->verdict;
	row.cause = (char *)ev->cause;
	row.outcome = (char *)ev->outcome;
	row.mttr_ms = ev->mttr_ms;
	row.loss_window_ms = ev->loss_window_ms;
	row.result_json = text;
	row.evidence_commit = head;
	rc = store_evaluation_insert(ws->store, &row);
	msg = xasprintf("Evaluate run %ld: %s%s%s\n\noutcome: %s\n"
	    "evidence commit: %s\n", run->id, ev->verdict,
	    ev->cause ? " / " : "", ev->cause ? ev->cause : "", ev->outcome,
	    head);
	if (rc == 0)
		rc = workspace_record(ws, run->id, "evaluation.json", text, msg,
		    commit);
	free(msg);
	free(text);
	if (rc != 0)
		goto fail;
	return store_commit(ws->store);
fail:
	store_rollback(ws->store);
	return rc;
}

int
evaluate_run(struct workspace *ws, long id, json_t **result)
{
	struct store_procedure row = { 0 };
	struct procedure proc = { 0 };
	struct evidence_set set = { 0 };
	struct fp_run run = { 0 };
	struct evaluation ev = { 0 };
	struct classify_input in = { 0 };
	struct roles roles = { 0 };
	const struct stored_event *failover_event;
	const char *failover_source;
	json_t *o = NULL, *refs;
	int rc;

	if ((rc = store_run_get(ws->store, id, &run)) != 0)
		return rc;
	if ((rc = store_procedure_get(ws->store, run.procedure, &row)) != 0 ||
	    (rc = procedure_load_text(row.definition, "stored procedure",
	    &proc)) != 0 ||
	    (rc = store_load_evidence(ws->store, id, &set)) != 0)
		goto out;
	if (set.n_files == 0) {
		rc = fp_fail(FP_EINVAL, "run %ld has no evidence: import the "
		    "drill's logs, captures and harness results with "
		    "'failproof import --run %ld FILE...'", id, id);
		goto out;
	}

	in.failover = find_failover(&run, &set, &failover_source,
	    &failover_event);
	if (in.failover == FP_TIME_NONE) {
		rc = fp_fail(FP_EINVAL, "run %ld: the failover instant is "
		    "unknown (no failure injection in a timeline, no HA "
		    "takeover in the evidence): import the drill's timeline, "
		    "or state it with 'failproof run new --failover-at "
		    "ISO8601'", id);
		goto out;
	}
	if ((rc = check_within_evidence(&set, in.failover, id)) != 0)
		goto out;
	infer_roles(&run, &set, in.failover, &roles);
	in.run = &run;
	in.procedure = &proc;
	in.set = &set;
	in.primary = roles.primary;
	in.standby = roles.standby;
	in.peer = roles.peer;
	in.max_outage_ms = run.max_outage_ms >= 0 ? run.max_outage_ms :
	    proc.max_outage_ms;

	classify(&in, &ev);
	if ((rc = review_judge(ws, &run, &ev)) != 0)
		goto out;
	o = evaluation_json(&run, &roles, in.failover, failover_source,
	    in.max_outage_ms, &ev);
	refs = json_array();
	if (failover_event != NULL)
		json_array_append_new(refs, json_pack("{s:s, s:I}", "file",
		    failover_event->file, "line",
		    (json_int_t)failover_event->e.line));
	json_object_set_new(o, "failover_evidence", refs);
	json_object_set_new(o, "timeline_method",
	    opt_str(timeline_method(&set)));
	if ((rc = waiver_annotate(ws, run.id, o, fp_now())) != 0) {
		json_decref(o);
		goto out;
	}
	if ((rc = record_result(ws, &run, &ev, o)) != 0) {
		json_decref(o);
		goto out;
	}
	*result = o;
out:
	evaluation_release(&ev);
	free(roles.source);
	evidence_set_release(&set);
	procedure_release(&proc);
	store_procedure_release(&row);
	fp_run_release(&run);
	return rc;
}
