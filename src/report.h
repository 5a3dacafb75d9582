/*
 * The report model: everything a PDF or XML report shows about one run,
 * gathered from the store by report_model_load() so the writers never
 * query the store themselves.  Times are UTC microseconds; FP_TIME_NONE
 * and -1 mark absent values.
 */
#ifndef FP_REPORT_H
#define FP_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* The source of a statement: a file and its line, packet or interval. */
struct rpt_ref {
	char *file;		/* evidence file name as archived */
	char *unit;		/* "line", "packet", "interval" or "run" */
	long number;		/* 0 when the whole file is meant */
	char *sha256;		/* of the evidence file, may be NULL */
};

struct rpt_refs {
	size_t n;
	struct rpt_ref *v;
};

struct rpt_criterion {
	char *id;		/* new-ike-sa, new-child-sa, traffic-resumed, ... */
	char *title;
	char *result;		/* pass, fail, inconclusive */
	char *reason;
	struct rpt_refs refs;
};

struct rpt_precondition {
	char *id;
	char *title;
	char *result;		/* met, not-met, undetermined, attested */
	char *reason;
	struct rpt_refs refs;
};

/* One answered question of the decision tree. */
struct rpt_step {
	int question;		/* 1..5 */
	char *question_text;
	char *answer;		/* yes, no */
	char *explanation;
	struct rpt_refs refs;
};

struct rpt_loss_window {
	char *direction;	/* "192.0.2.100 -> 203.0.113.100" */
	fp_time start;		/* last delivery before the outage */
	fp_time end;		/* first after it, FP_TIME_NONE when open */
	int64_t ms;		/* -1 when open */
	char *source;		/* "ping", "iperf3" */
	int64_t resolution_ms;
	struct rpt_refs refs;
};

struct rpt_evidence {
	char *name;
	char *kind;		/* syslog, pcap, iperf3, ping */
	char *host;		/* may be NULL */
	char *sha256;
	char *commit;		/* commit that archived it */
	int64_t size;
	long records;		/* events, samples or packets stored */
	int partial;
};

struct rpt_timeline_event {
	fp_time ts;
	char *host;
	char *kind;
	char *label;
};

/* Delivered packets per time bin for one direction, for the chart. */
struct rpt_series {
	char *label;
	fp_time start;
	fp_time bin;		/* bin width */
	size_t n;
	int64_t *delivered;	/* -1 where nothing was measured */
};

/*
 * A record of the review workflow kept in the evidence repository: an
 * attestation, a reviewer's sign-off, a waiver or a defect change.
 */
struct rpt_record {
	char *kind;		/* attestation, review, waiver, defect-change */
	char *path;		/* the record file in the repository */
	char *sha256;
	char *commit;		/* the commit that added it, authored by actor */
	char *actor;
	fp_time at;
	char *summary;		/* one line: what it states */
};

struct rpt_finding {
	char *id;		/* status-only-evidence, graceful-only, ... */
	char *text;
};

struct report {
	/* procedure (document control) */
	char *procedure_id;
	char *procedure_title;
	char *procedure_revision;
	char *change_category;
	char *review_cycle;

	/* run */
	long run_id;
	char *tunnel;
	int scenario;
	char *scenario_title;
	char *method;
	char *executed_by;
	char *primary;
	char *standby;
	char *peer;
	char *roles_source;	/* "stated" or how they were inferred */
	fp_time failover_at;
	char *failover_source;
	int64_t max_outage_ms;
	fp_time created_at;

	/* evaluation */
	char *verdict;		/* pass, control-plane-loss, ... */
	char *cause;		/* cause id or NULL */
	char *outcome;		/* passed, failed, errored, blocked, inconclusive */
	char *summary;		/* one sentence for the reader */
	int64_t mttr_ms;	/* -1 when traffic never recovered */
	char *mttr_source;
	int64_t mttr_resolution_ms;
	int64_t child_sa_ms;	/* failure to a stable CHILD SA, -1 when none */
	int64_t loss_window_ms;	/* longest direction, -1 when open */
	fp_time evaluated_at;

	size_t n_preconditions;
	struct rpt_precondition *preconditions;
	size_t n_criteria;
	struct rpt_criterion *criteria;
	size_t n_steps;
	struct rpt_step *steps;
	size_t n_loss_windows;
	struct rpt_loss_window *loss_windows;
	size_t n_evidence;
	struct rpt_evidence *evidence;
	size_t n_timeline;
	struct rpt_timeline_event *timeline;
	size_t n_series;
	struct rpt_series *series;
	size_t n_findings;
	struct rpt_finding *findings;
	size_t n_records;
	struct rpt_record *records;

	/* the defect opened by a failing run, or NULL */
	char *defect_id;
	char *defect_status;

	/* provenance */
	char *evidence_commit;	/* 40 hex digits */
	fp_time generated_at;
	char *tool_version;

	/* sign-off: NULL reviewer means pending */
	char *reviewer;
	char *review_decision;
	fp_time reviewed_at;
	char *review_comment;
	int review_stale;	/* the run changed after the sign-off */
	char *review_stale_reason;
};

void report_free(struct report *r);

#endif
