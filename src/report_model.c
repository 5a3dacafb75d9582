/*
 * The report model is read from the stored evaluation (the same JSON that
 * 'evaluate --json' prints), so a report always shows exactly what was
 * evaluated.  Only the timeline and the chart series are read from the
 * evidence itself.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "procedure.h"
#include "report_model.h"
#include "review_report.h"

#define TIMELINE_MAX 160
#define SERIES_BIN 500000	/* chart bin, microseconds */

static char *
dup_str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? xstrdup(s) : NULL;
}

static int64_t
get_ms(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (int64_t)json_integer_value(v) : -1;
}

static fp_time
get_time(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	fp_time t;

	if (s == NULL || fp_time_parse_iso(s, &t) == 0)
		return FP_TIME_NONE;
	return t;
}

static const char *
sha_of(const struct report *r, const char *file)
{
	for (size_t i = 0; i < r->n_evidence; i++)
		if (strcmp(r->evidence[i].name, file) == 0)
			return r->evidence[i].sha256;
	return NULL;
}

static void
load_refs(const struct report *r, json_t *array, struct rpt_refs *out)
{
	size_t i;
	json_t *v;

	out->n = json_array_size(array);
	out->v = xcalloc(out->n, sizeof(*out->v));
	json_array_foreach(array, i, v) {
		const char *key;
		json_t *val;

		json_object_foreach(v, key, val) {
			if (strcmp(key, "file") == 0) {
				out->v[i].file = xstrdup(json_string_value(val));
			} else {
				out->v[i].unit = xstrdup(key);
				out->v[i].number = (long)json_integer_value(val);
			}
		}
		if (out->v[i].file == NULL)
			out->v[i].file = xstrdup("?");
		if (out->v[i].unit == NULL)
			out->v[i].unit = xstrdup("file");
		if (sha_of(r, out->v[i].file))
			out->v[i].sha256 = xstrdup(sha_of(r, out->v[i].file));
	}
}

static void
load_judgements(struct report *r, json_t *array, int criteria)
{
	size_t n = json_array_size(array), i;
	json_t *v;

	if (criteria) {
		r->n_criteria = n;
		r->criteria = xcalloc(n, sizeof(*r->criteria));
	} else {
		r->n_preconditions = n;
		r->preconditions = xcalloc(n, sizeof(*r->preconditions));
	}
	json_array_foreach(array, i, v) {
		if (criteria) {
			struct rpt_criterion *c = &r->criteria[i];

			c->id = dup_str(v, "id");
			c->title = dup_str(v, "title");
			c->result = dup_str(v, "result");
			c->reason = dup_str(v, "reason");
			load_refs(r, json_object_get(v, "evidence"), &c->refs);
		} else {
			struct rpt_precondition *p = &r->preconditions[i];

			p->id = dup_str(v, "id");
			p->title = dup_str(v, "title");
			p->result = dup_str(v, "result");
			p->reason = dup_str(v, "reason");
			load_refs(r, json_object_get(v, "evidence"), &p->refs);
		}
	}
}

static void
load_result(struct report *r, json_t *o)
{
	size_t i;
	json_t *v;

	r->primary = dup_str(o, "primary");
	r->standby = dup_str(o, "standby");
	r->peer = dup_str(o, "peer");
	r->roles_source = dup_str(o, "roles_source");
	r->failover_at = get_time(o, "failover_at");
	r->failover_source = dup_str(o, "failover_source");
	r->max_outage_ms = get_ms(o, "max_outage_ms");
	r->verdict = dup_str(o, "verdict");
	r->cause = dup_str(o, "cause");
	r->outcome = dup_str(o, "outcome");
	r->summary = dup_str(o, "summary");
	r->mttr_ms = get_ms(o, "mttr_ms");
	r->mttr_source = dup_str(o, "mttr_source");
	r->mttr_resolution_ms = get_ms(o, "mttr_resolution_ms");
	r->child_sa_ms = get_ms(o, "child_sa_ms");
	r->loss_window_ms = get_ms(o, "loss_window_ms");
	r->evidence_commit = dup_str(o, "evidence_commit");

	load_judgements(r, json_object_get(o, "preconditions"), 0);
	load_judgements(r, json_object_get(o, "criteria"), 1);

	v = json_object_get(o, "decision_path");
	r->n_steps = json_array_size(v);
	r->steps = xcalloc(r->n_steps, sizeof(*r->steps));
	json_array_foreach(json_object_get(o, "decision_path"), i, v) {
		r->steps[i].question = (int)get_ms(v, "question");
		r->steps[i].question_text = dup_str(v, "text");
		r->steps[i].answer = dup_str(v, "answer");
		r->steps[i].explanation = dup_str(v, "explanation");
		load_refs(r, json_object_get(v, "evidence"), &r->steps[i].refs);
	}

	v = json_object_get(o, "loss_windows");
	r->n_loss_windows = json_array_size(v);
	r->loss_windows = xcalloc(r->n_loss_windows, sizeof(*r->loss_windows));
	json_array_foreach(json_object_get(o, "loss_windows"), i, v) {
		struct rpt_loss_window *w = &r->loss_windows[i];

		w->direction = dup_str(v, "direction");
		w->start = get_time(v, "start");
		w->end = get_time(v, "end");
		w->ms = get_ms(v, "ms");
		w->source = dup_str(v, "source");
		w->resolution_ms = get_ms(v, "resolution_ms");
		load_refs(r, json_object_get(v, "evidence"), &w->refs);
	}

	v = json_object_get(o, "findings");
	r->n_findings = json_array_size(v);
	r->findings = xcalloc(r->n_findings, sizeof(*r->findings));
	json_array_foreach(json_object_get(o, "findings"), i, v) {
		r->findings[i].id = dup_str(v, "id");
		r->findings[i].text = dup_str(v, "text");
	}
}

static void
load_evidence(struct report *r, const struct evidence_set *set)
{
	r->n_evidence = set->n_files;
	r->evidence = xcalloc(set->n_files, sizeof(*r->evidence));
	for (size_t i = 0; i < set->n_files; i++) {
		const struct store_evidence *f = &set->files[i];
		struct rpt_evidence *e = &r->evidence[i];

		e->name = xstrdup(f->name);
		e->kind = xstrdup(f->kind);
		e->host = f->host ? xstrdup(f->host) : NULL;
		e->sha256 = xstrdup(f->sha256);
		e->commit = xstrdup(f->commit_id);
		e->size = f->size;
		e->records = f->records;
		e->partial = f->partial != NULL;
	}
}

static int
timeline_kind(const char *kind)
{
	static const char *const kinds[] = { "ike_init_sent",
	    "ike_sa_established", "ike_sa_deleted", "ike_auth_failed",
	    "proposal_mismatch", "cert_invalid", "duplicate_identity",
	    "peer_config_missing", "retransmit", "negotiation_timeout",
	    "child_sa_established", "child_sa_deleted", "dpd_sent",
	    "dpd_timeout", "invalid_spi", "replay_check_failed",
	    "ha_failover", "ha_sync", "ha_ike_sa_activated",
	    "operator_reset", NULL };

	for (size_t i = 0; kinds[i]; i++)
		if (strcmp(kind, kinds[i]) == 0)
			return 1;
	return 0;
}

/* Key events, one per host and kind per second so floods stay readable. */
static void
load_timeline(struct report *r, const struct evidence_set *set)
{
	r->timeline = xcalloc(TIMELINE_MAX, sizeof(*r->timeline));
	for (size_t i = 0; i < set->n_events && r->n_timeline < TIMELINE_MAX;
	    i++) {
		const struct fp_event *e = &set->events[i].e;
		int repeat = 0;

		if (!timeline_kind(e->kind))
			continue;
		for (size_t k = r->n_timeline; k > 0; k--) {
			const struct rpt_timeline_event *t = &r->timeline[k - 1];

			if (e->ts - t->ts > 1000000)
				break;
			if (strcmp(t->kind, e->kind) == 0 &&
			    strcmp(t->host ? t->host : "", e->host ?
			    e->host : "") == 0)
				repeat = 1;
		}
		if (repeat)
			continue;
		r->timeline[r->n_timeline].ts = e->ts;
		r->timeline[r->n_timeline].host = xstrdup(e->host ? e->host :
		    "?");
		r->timeline[r->n_timeline].kind = xstrdup(e->kind);
		r->timeline[r->n_timeline].label = xasprintf("%s %s",
		    e->kind, e->conn ? e->conn : "");
		r->n_timeline++;
	}
}

static struct rpt_series *
series_for(struct report *r, const struct stored_sample *ss, fp_time start,
    size_t bins)
{
	char *label;

	if (ss->s.both_directions)
		label = xasprintf("%s %s <-> %s", ss->s.source,
		    ss->s.src ? ss->s.src : "local", ss->s.dst ? ss->s.dst : "?");
	else
		label = xasprintf("%s %s -> %s", ss->s.source,
		    ss->s.src ? ss->s.src : "local", ss->s.dst ? ss->s.dst : "?");
	for (size_t i = 0; i < r->n_series; i++)
		if (strcmp(r->series[i].label, label) == 0) {
			free(label);
			return &r->series[i];
		}
	if (r->n_series == 4) {
		free(label);
		return NULL;
	}
	r->series = xrealloc(r->series, (r->n_series + 1) * sizeof(*r->series));
	r->series[r->n_series].label = label;
	r->series[r->n_series].start = start;
	r->series[r->n_series].bin = SERIES_BIN;
	r->series[r->n_series].n = bins;
	r->series[r->n_series].delivered = xmalloc(bins * sizeof(int64_t));
	for (size_t i = 0; i < bins; i++)
		r->series[r->n_series].delivered[i] = -1;
	return &r->series[r->n_series++];
}

static void
load_series(struct report *r, const struct evidence_set *set)
{
	fp_time start, end;
	size_t bins;

	if (set->n_samples == 0)
		return;
	start = set->samples[0].s.t_start;
	end = start;
	for (size_t i = 0; i < set->n_samples; i++)
		if (set->samples[i].s.t_end > end)
			end = set->samples[i].s.t_end;
	bins = (size_t)((end - start) / SERIES_BIN) + 1;
	if (bins > 20000)
		bins = 20000;
	for (size_t i = 0; i < set->n_samples; i++) {
		const struct stored_sample *ss = &set->samples[i];
		struct rpt_series *s = series_for(r, ss, start, bins);
		size_t bin = (size_t)((ss->s.t_start - start) / SERIES_BIN);
		int64_t n = ss->s.delivered;

		if (s == NULL || bin >= bins)
			continue;
		if (s->delivered[bin] < 0)
			s->delivered[bin] = 0;
		if (n > 0)
			s->delivered[bin] += n;
	}
}

static void
load_run(struct report *r, const struct fp_run *run,
    const struct procedure *p)
{
	const struct procedure_item *sc = procedure_scenario(p, run->scenario);

	r->procedure_id = xstrdup(p->id);
	r->procedure_title = xstrdup(p->title);
	r->procedure_revision = xstrdup(p->revision);
	r->change_category = xstrdup(p->change_category);
	r->review_cycle = xstrdup(p->review_cycle);
	r->run_id = run->id;
	r->tunnel = xstrdup(run->tunnel);
	r->scenario = run->scenario;
	r->scenario_title = xstrdup(sc ? sc->title : "unknown scenario");
	r->method = xstrdup(run->method);
	r->executed_by = xstrdup(run->executed_by);
	r->created_at = run->created_at;
}

/*
 * A clock offset corrects every time stamp of one host, and with them
 * every figure that uses that host's events.  The report states each
 * offset as a finding, so no corrected figure reads as a raw one.
 */
static int
load_clock_offsets(struct workspace *ws, long run, struct report *r)
{
	struct store_clock_offset *v = NULL;
	size_t n = 0;
	int rc;

	if ((rc = store_clock_offset_list(ws->store, run, &v, &n)) != 0)
		return rc;
	if (n > 0)
		r->findings = xrealloc(r->findings, (r->n_findings + n) *
		    sizeof(*r->findings));
	for (size_t i = 0; i < n; i++) {
		struct rpt_finding *f = &r->findings[r->n_findings++];
		fp_time us = v[i].offset < 0 ? -v[i].offset : v[i].offset;

		f->id = xstrdup("clock-offset");
		f->text = xasprintf("The time stamps of host %s were corrected "
		    "by %c%lld.%06lld s (--clock-offset); every time, MTTR and "
		    "window drawn from that host's events includes the "
		    "correction.", v[i].host, v[i].offset < 0 ? '-' : '+',
		    (long long)(us / 1000000), (long long)(us % 1000000));
	}
	store_clock_offset_list_free(v, n);
	return 0;
}

int
report_model_load(struct workspace *ws, long id, struct report *r,
    long *evaluation_id)
{
	struct store_evaluation ev = { 0 };
	struct store_procedure row = { 0 };
	struct procedure proc = { 0 };
	struct evidence_set set = { 0 };
	struct fp_run run = { 0 };
	json_error_t jerr;
	json_t *o = NULL;
	long defect;
	char *status = NULL;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = store_run_get(ws->store, id, &run)) != 0 ||
	    (rc = store_evaluation_latest(ws->store, id, &ev)) != 0)
		goto out;
	if (run.changed_at > ev.evaluated_at) {
		rc = fp_fail(FP_EINVAL, "run %ld changed after its last "
		    "evaluation: run 'failproof evaluate %ld' again", id, id);
		goto out;
	}
	if ((rc = store_procedure_get(ws->store, run.procedure, &row)) != 0 ||
	    (rc = procedure_load_text(row.definition, "stored procedure",
	    &proc)) != 0 ||
	    (rc = store_load_evidence(ws->store, id, &set)) != 0)
		goto out;
	o = json_loads(ev.result_json, 0, &jerr);
	if (o == NULL) {
		rc = fp_fail(FP_ESTORE, "the stored evaluation of run %ld is "
		    "not valid JSON (%s): evaluate the run again", id, jerr.text);
		goto out;
	}
	load_run(r, &run, &proc);
	load_evidence(r, &set);
	load_result(r, o);
	if ((rc = load_clock_offsets(ws, id, r)) != 0)
		goto out;
	load_timeline(r, &set);
	load_series(r, &set);
	r->evaluated_at = ev.evaluated_at;
	r->generated_at = fp_now();
	r->tool_version = xstrdup(FP_VERSION);
	if (store_defect_of_run(ws->store, id, &defect, &status) == 0) {
		r->defect_id = xasprintf("DEFECT-%04ld", defect);
		r->defect_status = status;
	} else {
		defect = 0;
	}
	if ((rc = review_report_fill(ws, r, defect)) != 0) {
		report_free(r);
		goto out;
	}
	*evaluation_id = ev.id;
out:
	json_decref(o);
	evidence_set_release(&set);
	procedure_release(&proc);
	store_procedure_release(&row);
	store_evaluation_release(&ev);
	fp_run_release(&run);
	return rc;
}

static void
refs_free(struct rpt_refs *refs)
{
	for (size_t i = 0; i < refs->n; i++) {
		free(refs->v[i].file);
		free(refs->v[i].unit);
		free(refs->v[i].sha256);
	}
	free(refs->v);
}

void
report_free(struct report *r)
{
	char **strings[] = { &r->procedure_id, &r->procedure_title,
	    &r->procedure_revision, &r->change_category, &r->review_cycle,
	    &r->tunnel, &r->scenario_title, &r->method, &r->executed_by,
	    &r->primary, &r->standby, &r->peer, &r->roles_source,
	    &r->failover_source, &r->verdict, &r->cause, &r->outcome,
	    &r->summary,
	    &r->mttr_source, &r->defect_id, &r->defect_status,
	    &r->evidence_commit, &r->tool_version, &r->reviewer,
	    &r->review_decision };

	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
		free(*strings[i]);
	review_report_free(r);
	for (size_t i = 0; i < r->n_preconditions; i++) {
		free(r->preconditions[i].id);
		free(r->preconditions[i].title);
		free(r->preconditions[i].result);
		free(r->preconditions[i].reason);
		refs_free(&r->preconditions[i].refs);
	}
	free(r->preconditions);
	for (size_t i = 0; i < r->n_criteria; i++) {
		free(r->criteria[i].id);
		free(r->criteria[i].title);
		free(r->criteria[i].result);
		free(r->criteria[i].reason);
		refs_free(&r->criteria[i].refs);
	}
	free(r->criteria);
	for (size_t i = 0; i < r->n_steps; i++) {
		free(r->steps[i].question_text);
		free(r->steps[i].answer);
		free(r->steps[i].explanation);
		refs_free(&r->steps[i].refs);
	}
	free(r->steps);
	for (size_t i = 0; i < r->n_loss_windows; i++) {
		free(r->loss_windows[i].direction);
		free(r->loss_windows[i].source);
		refs_free(&r->loss_windows[i].refs);
	}
	free(r->loss_windows);
	for (size_t i = 0; i < r->n_evidence; i++) {
		free(r->evidence[i].name);
		free(r->evidence[i].kind);
		free(r->evidence[i].host);
		free(r->evidence[i].sha256);
		free(r->evidence[i].commit);
	}
	free(r->evidence);
	for (size_t i = 0; i < r->n_timeline; i++) {
		free(r->timeline[i].host);
		free(r->timeline[i].kind);
		free(r->timeline[i].label);
	}
	free(r->timeline);
	for (size_t i = 0; i < r->n_series; i++) {
		free(r->series[i].label);
		free(r->series[i].delivered);
	}
	free(r->series);
	for (size_t i = 0; i < r->n_findings; i++) {
		free(r->findings[i].id);
		free(r->findings[i].text);
	}
	free(r->findings);
	memset(r, 0, sizeof(*r));
}
