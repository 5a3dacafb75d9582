/*
 * Measurements, validation criteria, preconditions and findings of one
 * run.  A criterion about traffic is decided only by traffic evidence;
 * a criterion without the evidence to decide it is inconclusive.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asymmetry.h"
#include "classify_internal.h"

static const char *
criterion_title(const struct classify_input *in, const char *id)
{
	const struct procedure_item *c = procedure_criterion(in->procedure, id);

	return c ? c->title : id;
}

static struct ev_judgement *
criterion(const struct classify_input *in, struct evaluation *ev,
    const char *id, const char *result, char *reason)
{
	struct ev_judgement *j = &ev->criteria[ev->n_criteria++];

	j->id = id;
	j->title = criterion_title(in, id);
	j->result = result;
	j->reason = reason;
	return j;
}

/* Milliseconds, rounded to the nearest. */
static int64_t
us_to_ms(fp_time us)
{
	return (us + 500) / 1000;
}

static void
add_window(struct evaluation *ev, const struct traffic_direction *d,
    const struct traffic_view *v, fp_time failover)
{
	struct ev_window *w;

	if (ev->n_windows == sizeof(ev->windows) / sizeof(ev->windows[0]))
		return;
	w = &ev->windows[ev->n_windows++];
	w->direction = xstrdup(d->label);
	w->source = v->source;
	w->resolution_ms = v->resolution / 1000;
	w->best = v == d->best;
	/* Nothing delivered before (scenario 1 fails the unit during the
	 * negotiation): the window opens at the failure itself. */
	w->start = v->last_before != FP_TIME_NONE ? v->last_before : failover;
	w->end = v->first_after;
	w->ms = w->end == FP_TIME_NONE ? -1 : us_to_ms(w->end - w->start);
	view_ref(v->last_before_sample, &w->refs);
	view_ref(v->first_after_sample, &w->refs);
}

void
measure(const struct classify_input *in, const struct traffic_analysis *ta,
    const struct facts *f, struct evaluation *ev)
{
	const struct fact *child = &f->new_child;

	for (int i = 0; i < 2; i++)
		for (size_t k = 0; k < ta->dir[i].n_views; k++)
			add_window(ev, &ta->dir[i], &ta->dir[i].views[k],
			    in->failover);

	/* The maximum over directions of the window each direction is judged by. */
	for (size_t i = 0; i < ev->n_windows; i++) {
		if (!ev->windows[i].best)
			continue;
		if (ev->windows[i].ms < 0) {
			ev->loss_window_ms = -1;
			break;
		}
		if (ev->windows[i].ms > ev->loss_window_ms)
			ev->loss_window_ms = ev->windows[i].ms;
	}
	if (ta->recovered) {
		ev->mttr_ms = us_to_ms(ta->recovered_at - in->failover);
		ev->mttr_source = ta->recovery_view->source;
		ev->mttr_resolution_ms = ta->recovery_view->resolution / 1000;
		view_ref(ta->recovery_view->first_after_sample, &ev->mttr_refs);
	}
	if (fact_seen(child)) {
		ev->child_sa_ms = us_to_ms(child->ts - in->failover);
		fact_ref(child, &ev->child_sa_refs);
	}
}

static void
judge_new_sas(const struct classify_input *in, const struct facts *f,
    struct evaluation *ev)
{
	struct ev_judgement *j;
	int evidence = f->standby_logs || f->peer_logs || f->captures;

	if (fact_seen(&f->new_ike)) {
		j = criterion(in, ev, "new-ike-sa", "pass", xstrdup("a new IKE "
		    "SA was established with the standby after the failover"));
		fact_ref(&f->new_ike, &j->refs);
	} else if (evidence) {
		j = criterion(in, ev, "new-ike-sa", "fail",
		    fact_seen(&f->inherited) ? xstrdup("no new IKE SA: the "
		    "standby only activated the SA it inherited through state "
		    "sync") : xstrdup("no IKE SA was established with the "
		    "standby after the failover"));
		fact_ref(&f->inherited, &j->refs);
	} else {
		criterion(in, ev, "new-ike-sa", "inconclusive", xstrdup("no "
		    "log or capture from the standby or the peer"));
	}

	if (fact_seen(&f->new_child)) {
		j = criterion(in, ev, "new-child-sa", "pass", xstrdup("a new "
		    "CHILD SA was established after the failover"));
		fact_ref(&f->new_child, &j->refs);
	} else if (evidence) {
		criterion(in, ev, "new-child-sa", "fail", xstrdup("no CHILD SA "
		    "was established after the failover"));
	} else {
		criterion(in, ev, "new-child-sa", "inconclusive", xstrdup("no "
		    "log or capture from the standby or the peer"));
	}
}

static void
judge_traffic(const struct classify_input *in,
    const struct traffic_analysis *ta, const struct facts *f,
    struct evaluation *ev)
{
	struct ev_judgement *j;
	struct asymmetry asym;

	if (!ta->have_both) {
		criterion(in, ev, "traffic-resumed", "inconclusive",
		    xstrdup(ta->n_samples == 0 ? "no traffic evidence: SA "
		    "status lines cannot prove that traffic resumed" :
		    "traffic evidence covers one direction only"));
	} else if (fact_seen(&f->operator_reset)) {
		j = criterion(in, ev, "traffic-resumed", "fail", xstrdup("the "
		    "tunnel was reset by hand"));
		fact_ref(&f->operator_reset, &j->refs);
	} else if (ta->recovered) {
		j = criterion(in, ev, "traffic-resumed", "pass", xasprintf(
		    "traffic was delivered again in both directions (%s)",
		    ta->recovery_view->source));
		for (int i = 0; i < 2; i++)
			if (ta->dir[i].best)
				view_ref(ta->dir[i].best->first_after_sample,
				    &j->refs);
	} else {
		/* Name the data-plane fault that kept the packets out. */
		j = criterion(in, ev, "traffic-resumed", "fail",
		    f->data_plane == NULL ? xstrdup("traffic was not "
		    "delivered again in both directions before the evidence "
		    "ends") : xasprintf("traffic was not delivered again in "
		    "both directions before the evidence ends: %s",
		    f->data_plane));
		fact_ref(&f->invalid_spi, &j->refs);
		fact_ref(&f->seq_restart, &j->refs);
		fact_ref(&f->replay, &j->refs);
	}

	asymmetry_judge(in, ta, &asym);
	if (asym.result != NULL) {
		j = criterion(in, ev, "no-asymmetric-routing", asym.result,
		    asym.reason);
		j->refs = asym.refs;
	} else if (!f->standby_captures)
		criterion(in, ev, "no-asymmetric-routing", "inconclusive",
		    xstrdup("no capture taken at the standby: captures at the "
		    "peer alone cannot show the path of each direction"));
	else if (ta->recovered)
		criterion(in, ev, "no-asymmetric-routing", "pass", xstrdup(
		    "the standby's capture shows the recovered traffic"));
	else
		criterion(in, ev, "no-asymmetric-routing", "inconclusive",
		    xstrdup("traffic did not recover in both directions"));

	if (ev->mttr_ms >= 0) {
		char *s = format_seconds(ev->mttr_ms);

		j = criterion(in, ev, "mttr-recorded", "pass", xasprintf(
		    "MTTR %s from %s (resolution %lld ms)", s, ev->mttr_source,
		    (long long)ev->mttr_resolution_ms));
		free(s);
		for (size_t i = 0; i < ev->mttr_refs.n; i++)
			ev_refs_add(&j->refs, ev->mttr_refs.v[i].file,
			    ev->mttr_refs.v[i].unit, ev->mttr_refs.v[i].number);
	} else if (ta->have_both) {
		criterion(in, ev, "mttr-recorded", "fail", xstrdup("traffic "
		    "never recovered in both directions: the loss window is "
		    "open and there is no MTTR"));
	} else {
		criterion(in, ev, "mttr-recorded", "inconclusive", xstrdup(
		    "MTTR needs traffic evidence for both directions"));
	}
}

static void
judge_old_sas(const struct classify_input *in, const struct facts *f,
    struct evaluation *ev)
{
	struct ev_judgement *j;

	if (!f->peer_logs) {
		criterion(in, ev, "old-sas-removed", "inconclusive", xstrdup(
		    "no log from the peer shows what happened to the old SAs"));
	} else if (fact_seen(&f->old_removed)) {
		j = criterion(in, ev, "old-sas-removed", "pass", xstrdup("the "
		    "peer removed the SAs of the failed primary"));
		fact_ref(&f->old_removed, &j->refs);
	} else {
		criterion(in, ev, "old-sas-removed", "fail", xstrdup(
		    fact_seen(&f->inherited) ? "the SAs negotiated by the "
		    "primary stayed in use (inherited through state sync)" :
		    "the peer kept the SAs of the failed primary through the "
		    "observation window"));
	}
}

void
judge_criteria(const struct classify_input *in,
    const struct traffic_analysis *ta, const struct facts *f,
    struct evaluation *ev)
{
	judge_new_sas(in, f, ev);
	judge_traffic(in, ta, f, ev);
	judge_old_sas(in, f, ev);
}

static struct ev_judgement *
precondition(const struct classify_input *in, struct evaluation *ev,
    const char *id, const char *result, char *reason)
{
	struct ev_judgement *j = &ev->preconditions[ev->n_preconditions++];

	j->id = id;
	j->title = id;
	for (size_t i = 0; i < in->procedure->n_preconditions; i++)
		if (strcmp(in->procedure->preconditions[i].id, id) == 0)
			j->title = in->procedure->preconditions[i].title;
	j->result = result;
	j->reason = reason;
	return j;
}

void
judge_preconditions(const struct classify_input *in,
    const struct traffic_analysis *ta, const struct facts *f,
    struct evaluation *ev)
{
	struct ev_judgement *j;
	int delivered_before = 0, offered_before = 0;

	if (fact_seen(&f->ha_sync)) {
		j = precondition(in, ev, "stateful-failover-verified", "met",
		    xstrdup("the standby logged HA state sync before the "
		    "failover"));
		fact_ref(&f->ha_sync, &j->refs);
	} else {
		precondition(in, ev, "stateful-failover-verified",
		    "undetermined", xstrdup("no HA sync message from the "
		    "standby before the failover"));
	}
	judge_lifetimes(in, ev);
	if (f->primary_logs && f->standby_logs && f->peer_logs)
		precondition(in, ev, "logging-enabled", "met", xstrdup("IKE "
		    "messages were logged by the primary, the standby and the "
		    "peer"));
	else
		precondition(in, ev, "logging-enabled", "undetermined",
		    xasprintf("no log imported from%s%s%s",
		    f->primary_logs ? "" : " the primary",
		    f->standby_logs ? "" : " the standby",
		    f->peer_logs ? "" : " the peer"));

	for (int i = 0; i < 2; i++)
		for (size_t k = 0; k < ta->dir[i].n_views; k++) {
			const struct traffic_view *v = &ta->dir[i].views[k];

			if (v->last_before != FP_TIME_NONE &&
			    in->failover - v->last_before <= 60000000)
				delivered_before = 1;
			if (v->first_offered != FP_TIME_NONE &&
			    v->first_offered < in->failover)
				offered_before = 1;
		}
	if (delivered_before || (in->run->scenario == 1 && offered_before))
		precondition(in, ev, "traffic-before-failure", "met", xstrdup(
		    delivered_before ? "traffic was delivered in the minute "
		    "before the failover" : "sustained traffic was offered "
		    "during the negotiation (scenario 1)"));
	else
		precondition(in, ev, "traffic-before-failure",
		    ta->n_samples ? "not-met" : "undetermined", xstrdup(
		    ta->n_samples ? "no traffic was delivered in the minute "
		    "before the failover" : "no traffic evidence"));
}

static void
finding(struct evaluation *ev, const char *id, char *text)
{
	if (ev->n_findings < sizeof(ev->findings) / sizeof(ev->findings[0])) {
		ev->findings[ev->n_findings].id = id;
		ev->findings[ev->n_findings].text = text;
		ev->n_findings++;
	} else {
		free(text);
	}
}

void
note_findings(const struct classify_input *in,
    const struct traffic_analysis *ta, const struct facts *f,
    struct evaluation *ev)
{
	(void)f;
	if (ta->n_samples == 0)
		finding(ev, "status-only-evidence", xstrdup("The only recovery "
		    "evidence is SA status: an SA that is up proves no "
		    "traffic."));
	if (in->run->method != NULL && strcmp(in->run->method, "graceful") == 0)
		finding(ev, "graceful-switchover", xstrdup("The failure was a "
		    "graceful switchover, which the procedure does not accept "
		    "as the only method."));
	judge_timeline(in, ev);
	judge_harness(in, ta, ev);
	note_timers(in, ev);
}

void
decide_outcome(struct evaluation *ev)
{
	int fail = 0, inconclusive = 0;

	for (size_t i = 0; i < ev->n_criteria; i++) {
		if (strcmp(ev->criteria[i].result, "fail") == 0)
			fail = 1;
		else if (strcmp(ev->criteria[i].result, "inconclusive") == 0)
			inconclusive = 1;
	}
	if (strcmp(ev->verdict, "inconclusive") == 0)
		ev->outcome = fail ? "failed" : "inconclusive";
	else if (strcmp(ev->verdict, "pass") != 0 || fail)
		ev->outcome = "failed";
	else
		ev->outcome = inconclusive ? "inconclusive" : "passed";
	/* A drill that did not run properly proves nothing either way. */
	if (harness_errored(ev))
		ev->outcome = "errored";
	else if (outcome_blocked(ev))
		ev->outcome = "blocked";
	explain_outcome(ev);

	if (strcmp(ev->outcome, "errored") == 0)
		ev->summary = xstrdup("The drill did not run properly (see the "
		    "harness-error finding): the run is neither passed nor a "
		    "design defect.");
	else if (strcmp(ev->outcome, "blocked") == 0)
		ev->summary = xstrdup("A precondition was not met, so the "
		    "failure was not injected as the procedure requires: the "
		    "run is neither passed nor a design defect.");
	else if (strcmp(ev->verdict, "pass") == 0)
		ev->summary = xstrdup("Traffic recovered in both directions "
		    "within the maximum outage.");
	else if (strcmp(ev->verdict, "inconclusive") == 0)
		ev->summary = xstrdup("The evidence cannot decide whether the "
		    "failover worked.");
	else if (ev->cause != NULL)
		ev->summary = xasprintf("The failover failed: %s (%s).",
		    ev->verdict, ev->cause);
	else
		ev->summary = xasprintf("The failover failed: %s.",
		    ev->verdict);
}
