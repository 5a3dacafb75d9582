/*
 * The evaluation of one run: the decision tree's path and verdict, the
 * validation criteria and preconditions, MTTR and loss windows, each with
 * the evidence that decided it.  evaluate_run() fills it from the store;
 * classify() is the pure part, a function of the evidence alone.
 */
#ifndef FP_EVALUATION_H
#define FP_EVALUATION_H

#include <stddef.h>

#include <jansson.h>

#include "procedure.h"
#include "store.h"
#include "traffic.h"

/* One piece of evidence: a file and its line, packet or interval. */
struct ev_ref {
	const char *file;
	const char *unit;	/* "line", "packet", "interval" */
	long number;
};

struct ev_refs {
	size_t n;
	struct ev_ref *v;
};

struct ev_answer {
	int question;
	const char *text;
	int yes;
	char *explanation;
	struct ev_refs refs;
};

/* A judged criterion or precondition. */
struct ev_judgement {
	const char *id;
	const char *title;
	const char *result;
	char *reason;
	struct ev_refs refs;
};

struct ev_window {
	char *direction;
	const char *source;
	fp_time start;
	fp_time end;
	int64_t ms;		/* -1 when open */
	int64_t resolution_ms;
	int best;		/* the figure used for this direction */
	struct ev_refs refs;
};

struct ev_finding {
	const char *id;
	char *text;
};

/* Inputs of the pure classification. */
struct classify_input {
	const struct fp_run *run;
	const struct procedure *procedure;
	const struct evidence_set *set;
	const char *primary;
	const char *standby;
	const char *peer;
	fp_time failover;
	int64_t max_outage_ms;
};

struct evaluation {
	const char *verdict;
	const char *cause;
	const char *outcome;
	char *outcome_reason;	/* why, in one sentence (judge_outcome.c) */
	struct ev_refs outcome_refs;
	char *summary;
	fp_time window_end;

	int64_t mttr_ms;
	const char *mttr_source;
	int64_t mttr_resolution_ms;
	struct ev_refs mttr_refs;
	int64_t child_sa_ms;
	struct ev_refs child_sa_refs;
	int64_t loss_window_ms;

	size_t n_answers;
	struct ev_answer answers[5];
	size_t n_criteria;
	struct ev_judgement criteria[8];
	size_t n_preconditions;
	struct ev_judgement preconditions[8];
	size_t n_windows;
	struct ev_window windows[8];
	size_t n_findings;
	struct ev_finding findings[16];
};

void classify(const struct classify_input *in, struct evaluation *out);
void evaluation_release(struct evaluation *ev);

void ev_refs_add(struct ev_refs *r, const char *file, const char *unit,
    long number);
json_t *ev_refs_json(const struct ev_refs *r);

#endif
