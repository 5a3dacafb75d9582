/*
 * The review workflow's part of the report model: the sign-off with its
 * staleness, and the records (attestations, sign-offs, waivers, defect
 * changes) that the report lists beside the evidence files.
 */
#include <stdlib.h>
#include <string.h>

#include "review.h"
#include "review_report.h"
#include "waiver.h"

static struct rpt_record *
add_record(struct report *r, const char *kind, const struct store_record *rec,
    const char *actor, fp_time at, char *summary)
{
	struct rpt_record *x;

	r->records = xrealloc(r->records, (r->n_records + 1) *
	    sizeof(*r->records));
	x = &r->records[r->n_records++];
	x->kind = xstrdup(kind);
	x->path = xstrdup(rec->path);
	x->sha256 = xstrdup(rec->sha256);
	x->commit = xstrdup(rec->commit_id);
	x->actor = xstrdup(actor);
	x->at = at;
	x->summary = summary;
	return x;
}

static int
load_attestations(struct workspace *ws, struct report *r)
{
	struct store_attestation *v = NULL;
	size_t n = 0;
	int rc;

	if ((rc = store_attestation_list(ws->store, r->run_id, &v, &n)) != 0)
		return rc;
	for (size_t i = 0; i < n; i++)
		add_record(r, "attestation", &v[i].record, v[i].attested_by,
		    v[i].attested_at, xasprintf("precondition %s attested: %s",
		    v[i].precondition, v[i].note));
	store_attestation_list_free(v, n);
	return 0;
}

static int
load_reviews(struct workspace *ws, struct report *r)
{
	struct store_review *v = NULL;
	size_t n = 0;
	int rc;

	if ((rc = store_review_list(ws->store, r->run_id, &v, &n)) != 0)
		return rc;
	for (size_t i = 0; i < n; i++)
		add_record(r, "review", &v[i].record, v[i].reviewer,
		    v[i].reviewed_at, xasprintf("%s report %s: %s",
		    strcmp(v[i].decision, "approve") == 0 ? "approved" :
		    "rejected", v[i].tag, v[i].comment));
	store_review_list_free(v, n);
	return 0;
}

static int
load_waivers(struct workspace *ws, struct report *r, fp_time now)
{
	struct store_waiver *v = NULL;
	size_t n = 0;
	int rc;

	if ((rc = store_waiver_list(ws->store, r->run_id, &v, &n)) != 0)
		return rc;
	for (size_t i = 0; i < n; i++)
		add_record(r, "waiver", &v[i].record, v[i].approver,
		    v[i].created_at, waiver_describe(&v[i], now));
	store_waiver_list_free(v, n);
	return 0;
}

static int
load_defect_changes(struct workspace *ws, struct report *r, long defect)
{
	struct store_defect_change *v = NULL;
	size_t n = 0;
	int rc;

	if ((rc = store_defect_change_list(ws->store, defect, &v, &n)) != 0)
		return rc;
	for (size_t i = 0; i < n; i++)
		add_record(r, "defect-change", &v[i].record, v[i].actor,
		    v[i].changed_at, xasprintf("defect %ld: %s", defect,
		    v[i].change));
	store_defect_change_list_free(v, n);
	return 0;
}

int
review_report_fill(struct workspace *ws, struct report *r, long defect)
{
	struct review_state st;
	int rc;

	if ((rc = review_state_load(ws, r->run_id, &st)) != 0)
		return rc;
	if (st.reviewed) {
		r->reviewer = st.reviewer;
		r->review_decision = st.decision;
		r->review_comment = st.comment;
		r->reviewed_at = st.reviewed_at;
		r->review_stale = st.stale;
		r->review_stale_reason = st.stale_reason;
		st.reviewer = st.decision = st.comment = NULL;
		st.stale_reason = NULL;
	}
	review_state_release(&st);

	if ((rc = load_attestations(ws, r)) != 0 ||
	    (rc = load_reviews(ws, r)) != 0 ||
	    (rc = load_waivers(ws, r, r->generated_at)) != 0)
		return rc;
	if (defect > 0)
		rc = load_defect_changes(ws, r, defect);
	return rc;
}

void
review_report_free(struct report *r)
{
	for (size_t i = 0; i < r->n_records; i++) {
		free(r->records[i].kind);
		free(r->records[i].path);
		free(r->records[i].sha256);
		free(r->records[i].commit);
		free(r->records[i].actor);
		free(r->records[i].summary);
	}
	free(r->records);
	r->records = NULL;
	r->n_records = 0;
	free(r->review_comment);
	free(r->review_stale_reason);
	r->review_comment = r->review_stale_reason = NULL;
}
