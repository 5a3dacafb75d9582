/*
 * The failure classifier: the decision tree of the procedure, asked in a
 * fixed order, each answer recorded with the evidence that gave it.
 *
 *   1. traffic recovered both ways within the threshold  -> pass
 *   2. no IKE negotiation with an outcome after failover -> control-plane-loss
 *   3. standby's IKE SA up, traffic not both ways in time -> state-drift
 *   4. the peer rejects the standby                       -> peer-rejection
 *   5. otherwise                                          -> transient-timing
 *
 * This file and the ones it calls read only their input: the same
 * evidence always gives the same verdict.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify_internal.h"

void
ev_refs_add(struct ev_refs *r, const char *file, const char *unit,
    long number)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->v[i].file, file) == 0 &&
		    strcmp(r->v[i].unit, unit) == 0 && r->v[i].number == number)
			return;
	r->v = xrealloc(r->v, (r->n + 1) * sizeof(*r->v));
	r->v[r->n].file = file;
	r->v[r->n].unit = unit;
	r->v[r->n].number = number;
	r->n++;
}

void
view_ref(const struct stored_sample *ss, struct ev_refs *refs)
{
	const char *unit = "line";

	if (ss == NULL)
		return;
	if (strcmp(ss->s.source, "iperf3") == 0)
		unit = "interval";
	else if (strcmp(ss->s.source, "esp") == 0 ||
	    strcmp(ss->s.source, "clear") == 0)
		unit = "packet";
	ev_refs_add(refs, ss->file, unit, ss->s.line);
}

char *
format_seconds(int64_t ms)
{
	return xasprintf("%lld.%03lld s", (long long)(ms / 1000),
	    (long long)(ms % 1000));
}

static struct ev_answer *
answer(struct evaluation *ev, int question, const char *text, int yes,
    char *explanation)
{
	struct ev_answer *a = &ev->answers[ev->n_answers++];

	a->question = question;
	a->text = text;
	a->yes = yes;
	a->explanation = explanation;
	return a;
}

static void
conclude(struct evaluation *ev, const char *verdict, const char *cause)
{
	ev->verdict = verdict;
	ev->cause = cause;
}

/* Question 1, and MTTR. */
static int
ask_recovered(const struct classify_input *in, const struct traffic_analysis *ta,
    struct evaluation *ev)
{
	struct ev_answer *a;
	char *mttr;

	if (!ta->have_both) {
		answer(ev, 1, Q1_TEXT, 0, xstrdup(ta->n_samples == 0 ?
		    "no traffic evidence was imported (SA status alone proves "
		    "nothing)" : "the traffic evidence covers only one "
		    "direction"));
		return 0;
	}
	if (!ta->recovered) {
		answer(ev, 1, Q1_TEXT, 0, xstrdup("traffic was not delivered "
		    "again in both directions before the evidence ends"));
		return 0;
	}
	mttr = format_seconds(ev->mttr_ms);
	if (ev->mttr_ms > in->max_outage_ms || ta->dropped_again) {
		a = answer(ev, 1, Q1_TEXT, 0, ta->dropped_again ?
		    xasprintf("traffic came back after %s but stopped again",
		    mttr) : xasprintf("traffic came back after %s, more than "
		    "the maximum outage of %lld ms", mttr,
		    (long long)in->max_outage_ms));
	} else {
		a = answer(ev, 1, Q1_TEXT, 1, xasprintf("traffic was delivered "
		    "in both directions %s after the failover (maximum outage "
		    "%lld ms)", mttr, (long long)in->max_outage_ms));
	}
	free(mttr);
	view_ref(ta->recovery_view->first_after_sample, &a->refs);
	return a->yes;
}

static const char *
control_plane_cause(const struct facts *f, struct ev_answer *a)
{
	if (fact_seen(&f->unanswered)) {
		fact_ref(&f->unanswered, &a->refs);
		return "negotiation-frozen";
	}
	if (!fact_seen(&f->peer_noticed))
		return "dpd-mismatch";
	fact_ref(&f->peer_noticed, &a->refs);
	return "ike-state-reset";
}

/* Question 2: was an IKE exchange with an outcome observed? */
static int
ask_negotiation(const struct classify_input *in, const struct facts *f,
    struct evaluation *ev)
{
	struct ev_answer *a;
	const char *cause;

	if (fact_seen(&f->new_ike)) {
		a = answer(ev, 2, Q2_TEXT, 1, xstrdup("an IKE SA was "
		    "established with the standby after the failover"));
		fact_ref(&f->new_ike, &a->refs);
		return 1;
	}
	if (fact_seen(&f->rejection)) {
		a = answer(ev, 2, Q2_TEXT, 1, xstrdup("the negotiation ended "
		    "in an explicit rejection"));
		fact_ref(&f->rejection, &a->refs);
		return 1;
	}
	if (fact_seen(&f->answered)) {
		a = answer(ev, 2, Q2_TEXT, 1, xstrdup("a request on an SA the "
		    "standby inherited through state sync was answered"));
		fact_ref(&f->answered, &a->refs);
		return 1;
	}
	a = answer(ev, 2, Q2_TEXT, 0, NULL);
	cause = control_plane_cause(f, a);
	if (strcmp(cause, "negotiation-frozen") == 0)
		a->explanation = xasprintf("IKE requests were sent after the "
		    "failover but never answered (%ld retransmits or "
		    "give-ups)", f->unanswered.count);
	else if (strcmp(cause, "dpd-mismatch") == 0)
		a->explanation = xasprintf("no IKE exchange at all after the "
		    "failover, and the peer%s never noticed the loss within "
		    "the observation window (its dead peer detection is "
		    "slower than the window, or off)",
		    in->peer ? "" : " (unknown)");
	else
		a->explanation = xstrdup("no IKE exchange after the failover "
		    "although the peer noticed the loss, and nobody "
		    "re-initiated");
	conclude(ev, "control-plane-loss", cause);
	return 0;
}

static const char *
drift_cause(const struct facts *f, struct ev_answer *a)
{
	if (fact_seen(&f->invalid_spi)) {
		fact_ref(&f->invalid_spi, &a->refs);
		return "spi-mismatch";
	}
	if (fact_seen(&f->replay) || fact_seen(&f->seq_restart)) {
		fact_ref(&f->replay, &a->refs);
		fact_ref(&f->seq_restart, &a->refs);
		return "replay-window";
	}
	if (fact_seen(&f->nat_change)) {
		fact_ref(&f->nat_change, &a->refs);
		return "nat-binding";
	}
	return NULL;
}

/* Question 3: the standby's SA is up but traffic does not flow in time. */
static int
ask_drift(const struct classify_input *in, const struct facts *f,
    const struct traffic_analysis *ta, struct evaluation *ev)
{
	const struct fact *sa = fact_seen(&f->new_ike) ? &f->new_ike :
	    fact_seen(&f->inherited) ? &f->inherited : NULL;
	fp_time up;
	struct ev_answer *a;
	const char *cause;

	if (sa == NULL) {
		answer(ev, 3, Q3_TEXT, 0, xstrdup("no IKE SA with the standby "
		    "was up after the failover"));
		return 0;
	}
	up = sa == &f->inherited ? in->failover : sa->ts;
	/* Traffic that came back in time and dropped later is question 5's
	 * intermittent recovery, not drift. */
	if (ta->recovered &&
	    (ta->recovered_at - up) / 1000 <= in->max_outage_ms) {
		a = answer(ev, 3, Q3_TEXT, 0, xstrdup("traffic flowed in both "
		    "directions within the threshold once the standby's SA "
		    "was up"));
		fact_ref(sa, &a->refs);
		return 0;
	}
	if (!ta->have_both) {
		a = answer(ev, 3, Q3_TEXT, 0, xstrdup("the standby's SA was "
		    "up, but without traffic evidence for both directions "
		    "the data plane cannot be judged"));
		fact_ref(sa, &a->refs);
		return 0;
	}
	a = answer(ev, 3, Q3_TEXT, 1, NULL);
	fact_ref(sa, &a->refs);
	cause = drift_cause(f, a);
	a->explanation = xasprintf("the standby's IKE SA was up (%s) but "
	    "traffic did not flow in both directions within %lld ms of it%s%s",
	    sa == &f->inherited ? "inherited through state sync" :
	    "newly negotiated", (long long)in->max_outage_ms,
	    cause ? "; data-plane evidence: " : "",
	    cause == NULL ? "" : strcmp(cause, "spi-mismatch") == 0 ?
	    "ESP for an SPI the receiver does not have" :
	    strcmp(cause, "replay-window") == 0 ?
	    "ESP sequence numbers rejected by the anti-replay check" :
	    "the NAT mapping changed");
	conclude(ev, "state-drift", cause);
	return 1;
}

/* Question 4: the peer actively rejects the standby. */
static int
ask_rejection(const struct facts *f, struct evaluation *ev)
{
	struct ev_answer *a;

	if (!fact_seen(&f->rejection)) {
		answer(ev, 4, Q4_TEXT, 0, xstrdup("no rejection of the standby "
		    "by the peer was observed"));
		return 0;
	}
	a = answer(ev, 4, Q4_TEXT, 1, xasprintf("the peer rejected the "
	    "standby (%s)", f->rejection_cause));
	fact_ref(&f->rejection, &a->refs);
	conclude(ev, "peer-rejection", f->rejection_cause);
	return 1;
}

static void
ask_transient(const struct traffic_analysis *ta, struct evaluation *ev)
{
	struct ev_answer *a;

	if (!ta->recovered) {
		answer(ev, 5, Q5_TEXT, 0, xstrdup("the negotiation reached an "
		    "outcome but the evidence does not show traffic recovering "
		    "in both directions: the run cannot be classified"));
		conclude(ev, "inconclusive", "insufficient-evidence");
		return;
	}
	a = answer(ev, 5, Q5_TEXT, 1, ta->dropped_again ?
	    xstrdup("traffic came back and dropped again within the window") :
	    xstrdup("traffic came back and stayed, later than the threshold"));
	view_ref(ta->recovery_view->first_after_sample, &a->refs);
	conclude(ev, "transient-timing", ta->dropped_again ? "intermittent" :
	    "slow-recovery");
}

static int
have_control_plane_evidence(const struct facts *f)
{
	return f->standby_logs || f->peer_logs || f->captures;
}

void
classify(const struct classify_input *in, struct evaluation *out)
{
	struct traffic_analysis ta;
	struct facts f;

	memset(out, 0, sizeof(*out));
	out->mttr_ms = out->child_sa_ms = out->loss_window_ms = -1;
	traffic_analyse(in->set, in->failover, &ta);
	out->window_end = ta.window_end;
	if (out->window_end == FP_TIME_NONE && in->set->n_events > 0)
		out->window_end = in->set->events[in->set->n_events - 1].e.ts;
	facts_collect(in, out->window_end, &f);
	measure(in, &ta, &f, out);

	if (ask_recovered(in, &ta, out)) {
		conclude(out, "pass", NULL);
	} else if (!have_control_plane_evidence(&f)) {
		answer(out, 2, Q2_TEXT, 0, xstrdup("no log or capture from the "
		    "standby or the peer covers the failover"));
		conclude(out, "inconclusive", "insufficient-evidence");
	} else if (ask_negotiation(in, &f, out) &&
	    !ask_drift(in, &f, &ta, out) && !ask_rejection(&f, out)) {
		ask_transient(&ta, out);
	}

	judge_criteria(in, &ta, &f, out);
	judge_preconditions(in, &ta, &f, out);
	note_findings(in, &ta, &f, out);
	decide_outcome(out);
	facts_release(&f);
	traffic_analysis_release(&ta);
}

void
evaluation_release(struct evaluation *ev)
{
	for (size_t i = 0; i < ev->n_answers; i++) {
		free(ev->answers[i].explanation);
		free(ev->answers[i].refs.v);
	}
	for (size_t i = 0; i < ev->n_criteria; i++) {
		free(ev->criteria[i].reason);
		free(ev->criteria[i].refs.v);
	}
	for (size_t i = 0; i < ev->n_preconditions; i++) {
		free(ev->preconditions[i].reason);
		free(ev->preconditions[i].refs.v);
	}
	for (size_t i = 0; i < ev->n_windows; i++) {
		free(ev->windows[i].direction);
		free(ev->windows[i].refs.v);
	}
	for (size_t i = 0; i < ev->n_findings; i++)
		free(ev->findings[i].text);
	free(ev->mttr_refs.v);
	free(ev->child_sa_refs.v);
	free(ev->outcome_reason);
	free(ev->outcome_refs.v);
	free(ev->summary);
	memset(ev, 0, sizeof(*ev));
}
