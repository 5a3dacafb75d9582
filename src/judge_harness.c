/*
 * Judgement of the drill itself from the harness: whether it ran
 * properly, and whether its timeline agrees with the run record.
 *
 * A harness error is an iperf3 result that ends in an "error", or a test
 * or experiment step with status "error" (the harness could not carry it
 * out).  One that happened after the failure, while the traffic evidence
 * shows the outage still open, is evidence of that outage: a dead tunnel
 * also stops iperf3 and cuts its control connection.  One before the
 * failure, one at a time when traffic flowed, or one whose time is unknown
 * makes the run errored, and so does a step that failed before the
 * failure: the drill did not run properly, which is neither a pass nor a
 * design defect.  A step that failed after the failure is an assertion
 * about the system and is reported, not judged here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify_internal.h"

/* How many incidents a finding names before it counts the rest. */
#define LISTED_INCIDENTS 3

/* The note the iperf3 importer puts on the last sample of a failed run. */
#define IPERF3_ERROR_NOTE "iperf3 error: "

/* Findings of one kind, collected before they are written. */
struct incidents {
	struct fp_buf text;
	long count;
};

static void
add_finding(struct evaluation *ev, const char *id, char *text)
{
	if (ev->n_findings < sizeof(ev->findings) / sizeof(ev->findings[0])) {
		ev->findings[ev->n_findings].id = id;
		ev->findings[ev->n_findings].text = text;
		ev->n_findings++;
	} else {
		free(text);
	}
}

static void
incident(struct incidents *inc, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
incident(struct incidents *inc, const char *fmt, ...)
{
	va_list ap;

	if (inc->count++ >= LISTED_INCIDENTS)
		return;
	if (inc->text.len > 0)
		fp_buf_puts(&inc->text, "; ");
	va_start(ap, fmt);
	fp_buf_vprintf(&inc->text, fmt, ap);
	va_end(ap);
}

/* Write the finding "LEAD: incidents." and release inc. */
static void
write_finding(struct evaluation *ev, const char *id, const char *lead,
    struct incidents *inc)
{
	if (inc->count > 0)
		add_finding(ev, id, xasprintf("%s: %s%s.", lead, inc->text.data,
		    inc->count > LISTED_INCIDENTS ? "; and more" : ""));
	fp_buf_free(&inc->text);
}

/*
 * Is the outage still open at t?  Yes when t is after the failover and
 * some direction with traffic evidence had no delivery after the failover
 * yet at t.
 */
static int
outage_open_at(const struct traffic_analysis *ta, fp_time failover, fp_time t)
{
	if (t < failover)
		return 0;
	for (int i = 0; i < 2; i++) {
		const struct traffic_direction *d = &ta->dir[i];

		if (d->n_views == 0)
			continue;
		if (d->best == NULL || d->best->first_after == FP_TIME_NONE ||
		    t < d->best->first_after)
			return 1;
	}
	return 0;
}

/* The time and evidence of a harness error or failed step. */
struct when {
	fp_time t;		/* FP_TIME_NONE when unknown */
	const char *file;
	const char *unit;
	long number;
};

/*
 * Sort a harness error into errors that make the run errored and errors
 * the outage explains.
 */
static void
judge_error(const struct classify_input *in, const struct traffic_analysis *ta,
    const struct when *w, const char *what, struct incidents *errored,
    struct incidents *explained)
{
	char at[FP_TIME_STRLEN];

	if (w->t == FP_TIME_NONE) {
		incident(errored, "%s (%s %s %ld) at an unknown time, which no "
		    "outage can explain", what, w->file, w->unit, w->number);
		return;
	}
	fp_time_format_ms(w->t, at, sizeof(at));
	if (w->t < in->failover)
		incident(errored, "%s at %s (%s %s %ld), before the failure",
		    what, at, w->file, w->unit, w->number);
	else if (!outage_open_at(ta, in->failover, w->t))
		incident(errored, "%s at %s (%s %s %ld), after traffic had "
		    "recovered in both directions", what, at, w->file, w->unit,
		    w->number);
	else
		incident(explained, "%s at %s (%s %s %ld), during the outage",
		    what, at, w->file, w->unit, w->number);
}

static fp_time
step_time(const struct fp_step *st)
{
	return st->end != FP_TIME_NONE ? st->end : st->start;
}

void
judge_harness(const struct classify_input *in,
    const struct traffic_analysis *ta, struct evaluation *ev)
{
	struct incidents errored = { 0 }, explained = { 0 }, failed = { 0 };
	const struct evidence_set *set = in->set;
	const char *zone = NULL, *zone_file = NULL, *msg, *end;
	int other_zone_files = 0;
	struct when w;
	char *what;

	for (size_t i = 0; i < set->n_samples; i++) {
		const struct stored_sample *ss = &set->samples[i];

		if (ss->s.note == NULL || strncmp(ss->s.note, IPERF3_ERROR_NOTE,
		    strlen(IPERF3_ERROR_NOTE)) != 0)
			continue;
		msg = ss->s.note + strlen(IPERF3_ERROR_NOTE);
		end = strstr(msg, "; ");
		w = (struct when){ ss->s.t_end, ss->file, "interval",
		    ss->s.line };
		what = xasprintf("iperf3 stopped with \"%.*s\"", end ?
		    (int)(end - msg) : (int)strlen(msg), msg);
		judge_error(in, ta, &w, what, &errored, &explained);
		free(what);
	}

	for (size_t i = 0; i < set->n_steps; i++) {
		const struct stored_step *ss = &set->steps[i];
		const struct fp_step *st = &ss->st;

		if (st->zone != NULL && zone == NULL) {
			zone = st->zone;
			zone_file = ss->file;
		} else if (st->zone != NULL && strcmp(ss->file, zone_file)) {
			other_zone_files = 1;
		}
		w = (struct when){ step_time(st), ss->file, "line", st->line };
		if (strcmp(st->status, "error") == 0) {
			what = xasprintf("%s '%s' could not be carried out",
			    st->kind, st->name);
			judge_error(in, ta, &w, what, &errored, &explained);
			free(what);
		} else if (strcmp(st->status, "failed") == 0 &&
		    w.t != FP_TIME_NONE && w.t < in->failover) {
			char at[FP_TIME_STRLEN];

			fp_time_format_ms(w.t, at, sizeof(at));
			incident(&errored, "%s '%s' failed at %s (%s line %ld), "
			    "before the failure", st->kind, st->name, at,
			    ss->file, st->line);
		} else if (strcmp(st->status, "failed") == 0) {
			incident(&failed, "%s '%s' (%s line %ld)%s", st->kind,
			    st->name, ss->file, st->line, w.t == FP_TIME_NONE ?
			    " at an unknown time" : "");
		}
	}

	write_finding(ev, "harness-error", "The drill did not run properly, "
	    "so the run is errored", &errored);
	write_finding(ev, "harness-error-during-outage", "Harness errors "
	    "after the failure while traffic was out, counted as evidence of "
	    "the outage", &explained);
	write_finding(ev, "harness-step-failed", "Steps that failed after "
	    "the failure (the harness's own checks of the system)", &failed);
	if (zone != NULL)
		add_finding(ev, "harness-time-zone", xasprintf("Times written "
		    "without a zone in %s%s were read as %s.", zone_file,
		    other_zone_files ? " and other harness results" : "", zone));
}

/* The run's first failure injection in a timeline, or NULL. */
static const struct stored_event *
timeline_failure(const struct evidence_set *set)
{
	for (size_t i = 0; i < set->n_events; i++)
		if (strcmp(set->events[i].e.kind, "failure_injected") == 0)
			return &set->events[i];
	return NULL;
}

void
judge_timeline(const struct classify_input *in, struct evaluation *ev)
{
	const struct stored_event *fail = timeline_failure(in->set);
	const char *stated = in->run->method, *recorded;
	struct fp_buf text = { 0 };
	char a[FP_TIME_STRLEN], b[FP_TIME_STRLEN];
	fp_time diff;

	if (fail == NULL)
		return;
	recorded = fail->e.detail;
	if (recorded != NULL && strcmp(recorded, "graceful") == 0 &&
	    (stated == NULL || strcmp(stated, "graceful") != 0))
		add_finding(ev, "graceful-switchover", xasprintf("The timeline "
		    "records the failure as a graceful switchover (%s line "
		    "%ld), which the procedure does not accept as the only "
		    "method.", fail->file, fail->e.line));

	if (recorded != NULL && stated != NULL && strcmp(recorded, stated))
		fp_buf_printf(&text, "the run states the method %s but the "
		    "timeline records %s (%s line %ld)", stated, recorded,
		    fail->file, fail->e.line);
	diff = in->run->failover_at == FP_TIME_NONE ? 0 :
	    in->run->failover_at - fail->e.ts;
	/* A second covers a --failover-at typed from the timeline's text. */
	if (diff > 1000000 || diff < -1000000) {
		fp_time_format_ms(in->run->failover_at, a, sizeof(a));
		fp_time_format_ms(fail->e.ts, b, sizeof(b));
		fp_buf_printf(&text, "%sthe run states the failover at %s but "
		    "the timeline records the failure at %s (%s line %ld); "
		    "the stated time is used", text.len ? "; " : "", a, b,
		    fail->file, fail->e.line);
	}
	if (text.len > 0)
		add_finding(ev, "timeline-mismatch", xasprintf("The run record "
		    "and the timeline disagree: %s.", text.data));
	fp_buf_free(&text);
}

int
harness_errored(const struct evaluation *ev)
{
	for (size_t i = 0; i < ev->n_findings; i++)
		if (strcmp(ev->findings[i].id, "harness-error") == 0)
			return 1;
	return 0;
}
