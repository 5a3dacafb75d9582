/*
 * Reviewer sign-off.  A review covers the latest issued report of a run
 * and is rejected when the reviewer is the executor.  The reviewed files
 * are copies of the issued ones with the reviewer's signature added, so
 * the issued files stay as they were and each review is one commit.
 *
 * Files of run N and review K:
 *   runs/run-000N/reports/run-N-review-K.pdf, .xml   reviewer-signed copies
 *   runs/run-000N/reviews/review-K.json              the record
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "change.h"
#include "pdf_sign.h"
#include "pdf_verify.h"
#include "review.h"
#include "review_record.h"
#include "schedule.h"
#include "signoff_cert.h"
#include "signoff_xml.h"

/* Maximum length of the comment quoted in the PDF signature's /Reason,
 * in bytes. */
#define REASON_COMMENT_MAX 200

/* Everything one review works with, released together. */
struct review_ctx {
	struct fp_run run;
	struct store_report report;
	struct store_evaluation evaluation;
	struct cert_identity cert;
	struct store_review *reviews;	/* earlier reviews of the run */
	size_t n_reviews;
	long number;			/* K of review-K */
	char *dir;			/* runs/run-000N */
	char *base_pdf;			/* working-tree paths it starts from */
	char *base_xml;
	char *rel_pdf;			/* paths it writes */
	char *rel_xml;
	char *rel_record;
	char pdf_sha[65];
	char xml_sha[65];
};

static void
ctx_release(struct review_ctx *c)
{
	fp_run_release(&c->run);
	store_report_release(&c->report);
	store_evaluation_release(&c->evaluation);
	cert_identity_release(&c->cert);
	store_review_list_free(c->reviews, c->n_reviews);
	free(c->dir);
	free(c->base_pdf);
	free(c->base_xml);
	free(c->rel_pdf);
	free(c->rel_xml);
	free(c->rel_record);
}

static int
check_request(const struct review_request *req)
{
	int rc;

	if ((rc = actor_name_check(req->reviewer, "--reviewer")) != 0)
		return rc;
	if (req->decision == NULL || (strcmp(req->decision, "approve") != 0 &&
	    strcmp(req->decision, "reject") != 0))
		return fp_fail(FP_EINVAL, "invalid --decision '%s': use "
		    "approve or reject", req->decision ? req->decision : "");
	if (req->comment == NULL || strspn(req->comment, " \t\r\n") ==
	    strlen(req->comment))
		return fp_fail(FP_EINVAL, "--comment is required: say what "
		    "the review checked or why it rejects the result");
	return 0;
}

/* The report must still show the run as it is. */
static int
check_report_current(const struct review_ctx *c)
{
	if (c->report.evaluation != c->evaluation.id)
		return fp_fail(FP_EINVAL, "run %ld was evaluated again after "
		    "report '%s' was issued: issue a new report with "
		    "'failproof report %ld' and review that", c->run.id,
		    c->report.tag, c->run.id);
	if (c->run.changed_at > c->report.issued_at)
		return fp_fail(FP_EINVAL, "run %ld changed after report '%s' "
		    "was issued (new evidence or an attestation): evaluate it "
		    "again and issue a new report before the review",
		    c->run.id, c->report.tag);
	return 0;
}

/*
 * A reviewer who changed the tunnel in the review period (the calendar
 * quarter of the drill, UTC) implemented what the run tests.
 */
static int
check_change_authors(struct workspace *ws, const struct review_request *req,
    const struct review_ctx *c)
{
	struct store_change *v = NULL;
	struct quarter q;
	char period[QUARTER_STRLEN];
	size_t n = 0;
	int rc;

	q = quarter_of(c->run.failover_at != FP_TIME_NONE ?
	    c->run.failover_at : c->run.created_at);
	if ((rc = store_change_list(ws->store, &v, &n)) != 0)
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *name = NULL, *email = NULL;

		if (strcmp(v[i].tunnel, c->run.tunnel) != 0 ||
		    v[i].changed_at < quarter_start(q) ||
		    v[i].changed_at >= quarter_end(q))
			continue;
		if (change_split_actor(v[i].changed_by, &name, &email) == 0 &&
		    (actor_same(req->reviewer, name) ||
		    (c->cert.common_name != NULL &&
		    actor_same(c->cert.common_name, name)))) {
			quarter_format(q, period);
			rc = fp_fail(FP_EDENIED, "reviewer '%s' made change "
			    "'%s' to tunnel '%s' in %s, the run's review "
			    "period: the procedure requires a reviewer who did "
			    "not implement what the test checks", req->reviewer,
			    v[i].ref, c->run.tunnel, period);
		}
		free(name);
		free(email);
	}
	store_change_list_free(v, n);
	return rc;
}

/*
 * The separation of duties.  The executor is known by the run's
 * executed_by and by every certificate that signed a report of one of
 * their runs.
 */
static int
check_separation(struct workspace *ws, const struct review_request *req,
    const struct review_ctx *c)
{
	struct store_report *reports = NULL;
	size_t n = 0;
	int rc;

	if (actor_same(req->reviewer, c->run.executed_by))
		return fp_fail(FP_EDENIED, "reviewer '%s' ran this test (run "
		    "%ld was executed by '%s'): the procedure requires a "
		    "reviewer who did not implement or run it", req->reviewer,
		    c->run.id, c->run.executed_by);
	/* The certificate names its holder, so a certificate issued to
	 * the executor signs for the executor, whatever --reviewer is. */
	if (c->cert.common_name != NULL &&
	    actor_same(c->cert.common_name, c->run.executed_by))
		return fp_fail(FP_EDENIED, "the certificate '%s' is issued to "
		    "'%s', who ran this test: the reviewer signs with their "
		    "own certificate", req->cert_pem, c->cert.common_name);
	if ((rc = store_report_all(ws->store, &reports, &n)) != 0)
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct store_report *r = &reports[i];
		int same_key, same_subject;

		if (r->run != c->run.id &&
		    !actor_same(r->executed_by, c->run.executed_by))
			continue;
		if (r->run == c->run.id && actor_same(req->reviewer,
		    r->signer_name)) {
			rc = fp_fail(FP_EDENIED, "reviewer '%s' signed report "
			    "'%s' of run %ld: the procedure requires a reviewer "
			    "who did not implement or run the test",
			    req->reviewer, r->tag, c->run.id);
			break;
		}
		same_key = r->signer_spki_sha256 != NULL &&
		    strcmp(r->signer_spki_sha256, c->cert.spki_sha256) == 0;
		/* NOTE: subjects are compared as RFC 2253 text, ignoring
		 * case; attributes in another order still differ. */
		same_subject = r->signer_subject != NULL &&
		    strcasecmp(r->signer_subject, c->cert.subject) == 0;
		if (same_key || same_subject)
			rc = fp_fail(FP_EDENIED, "the certificate '%s' has the "
			    "%s of the certificate that signed report '%s' for "
			    "'%s', who executed the run: a reviewer signs with "
			    "their own certificate and key", req->cert_pem,
			    same_key ? "public key" : "subject", r->tag,
			    r->executed_by);
	}
	store_report_list_free(reports, n);
	if (rc == 0)
		rc = check_change_authors(ws, req, c);
	return rc;
}

/* Check that a working-tree file still has the SHA-256 recorded for it. */
static int
check_archived(struct workspace *ws, const char *rel, const char *sha256)
{
	char *abs = evrepo_path(ws->repo, rel), hex[65];
	int rc;

	rc = fp_sha256_file(abs, hex);
	free(abs);
	if (rc != 0)
		return rc;
	if (strcmp(hex, sha256) != 0)
		return fp_fail(FP_EVERIFY, "'%s' in the workspace has SHA-256 "
		    "%s, not the %s recorded when it was issued", rel, hex,
		    sha256);
	return 0;
}

/*
 * Find the files the review starts from: those of the latest earlier
 * review of the same report, so every reviewer's signature accumulates,
 * else the issued files.
 */
static int
find_base(struct workspace *ws, struct review_ctx *c)
{
	const struct store_review *prev = NULL;
	int rc = 0;

	for (size_t i = 0; i < c->n_reviews; i++)
		if (c->reviews[i].report == c->report.id)
			prev = &c->reviews[i];
	if (c->report.pdf_sha256 != NULL) {
		c->base_pdf = prev ? xasprintf("%s/reports/%s.pdf", c->dir,
		    prev->tag) : xasprintf("%s/reports/%s.pdf", c->dir,
		    c->report.tag);
		rc = check_archived(ws, c->base_pdf, prev ?
		    prev->signed_pdf_sha256 : c->report.pdf_sha256);
	}
	if (rc == 0 && c->report.xml_sha256 != NULL) {
		c->base_xml = prev ? xasprintf("%s/reports/%s.xml", c->dir,
		    prev->tag) : xasprintf("%s/reports/%s.xml", c->dir,
		    c->report.tag);
		rc = check_archived(ws, c->base_xml, prev ?
		    prev->signed_xml_sha256 : c->report.xml_sha256);
	}
	return rc;
}

static int
sign_pdf(struct workspace *ws, const struct review_request *req,
    struct review_ctx *c, struct review_result *out)
{
	struct pdf_verify_result before = { 0 }, after = { 0 };
	char *src = evrepo_path(ws->repo, c->base_pdf), *dst, *reason;
	int rc;

	dst = evrepo_path(ws->repo, c->rel_pdf);
	reason = xasprintf("%s by %s, reviewer (failproof sign-off of %s): "
	    "%.*s", strcmp(req->decision, "approve") == 0 ? "Approved" :
	    "Rejected", req->reviewer, c->report.tag, REASON_COMMENT_MAX,
	    req->comment);
	if ((rc = pdf_verify(src, &before)) != 0) {
		fp_fail_context(rc, "the PDF to sign off, '%s'", c->base_pdf);
		goto out;
	}
	if ((rc = evrepo_add_copy(ws->repo, src, c->rel_pdf)) != 0 ||
	    (rc = pdf_sign(dst, req->key_pem, req->cert_pem, req->reviewer,
	    reason)) != 0)
		goto out;
	if ((rc = pdf_verify(dst, &after)) != 0) {
		fp_fail_context(rc, "the signed-off PDF does not verify");
		goto out;
	}
	if (after.n_signatures != before.n_signatures + 1) {
		rc = fp_fail(FP_EVERIFY, "the signed-off PDF has %zu "
		    "signatures, expected %zu", after.n_signatures,
		    before.n_signatures + 1);
		goto out;
	}
	out->pdf_signatures = after.n_signatures;
	if ((rc = fp_sha256_file(dst, c->pdf_sha)) == 0)
		rc = evrepo_stage(ws->repo, c->rel_pdf);
out:
	pdf_verify_result_free(&before);
	pdf_verify_result_free(&after);
	free(reason);
	free(dst);
	free(src);
	return rc;
}

static int
sign_xml(struct workspace *ws, const struct review_request *req,
    struct review_ctx *c, fp_time now)
{
	struct signoff so = { 0 };
	char *src = evrepo_path(ws->repo, c->base_xml), *data = NULL;
	char *signed_xml = NULL, *id;
	size_t len = 0, signed_len = 0;
	int rc;

	id = xasprintf("review-%ld", c->number);
	so.id = id;
	so.reviewer = req->reviewer;
	so.decision = req->decision;
	so.comment = req->comment;
	so.at = now;
	so.report_tag = c->report.tag;
	so.report_xml_sha256 = c->report.xml_sha256;
	so.evidence_commit = c->report.evidence_commit;
	so.cert_subject = c->cert.subject;
	so.cert_spki_sha256 = c->cert.spki_sha256;
	if ((rc = fp_read_file(src, 64 * 1024 * 1024, &data, &len)) != 0 ||
	    (rc = signoff_xml_sign(data, len, c->base_xml, &so, req->key_pem,
	    req->cert_pem, &signed_xml, &signed_len)) != 0)
		goto out;
	fp_sha256_hex(signed_xml, signed_len, c->xml_sha);
	rc = evrepo_add_data(ws->repo, c->rel_xml, signed_xml, signed_len);
out:
	free(signed_xml);
	free(data);
	free(src);
	free(id);
	return rc;
}

static json_t *
review_json(const struct review_request *req, const struct review_ctx *c,
    fp_time now)
{
	json_t *o;

	o = json_pack("{s:I, s:s, s:s, s:s, s:o}", "run", (json_int_t)c->run.id,
	    "reviewer", req->reviewer, "decision", req->decision,
	    "comment", req->comment, "reviewed_at", record_time_json(now));
	json_object_set_new(o, "covers", json_pack("{s:s, s:I, s:s?, s:s?, "
	    "s:s}", "report", c->report.tag, "evaluation",
	    (json_int_t)c->evaluation.id, "pdf_sha256", c->report.pdf_sha256,
	    "xml_sha256", c->report.xml_sha256, "evidence_commit",
	    c->report.evidence_commit));
	json_object_set_new(o, "certificate", json_pack("{s:s, s:s, s:s}",
	    "subject", c->cert.subject, "spki_sha256", c->cert.spki_sha256,
	    "sha256", c->cert.cert_sha256));
	json_object_set_new(o, "signed", json_pack("{s:s?, s:s?, s:s?, s:s?}",
	    "pdf", c->rel_pdf, "pdf_sha256", c->pdf_sha[0] ? c->pdf_sha : NULL,
	    "xml", c->rel_xml, "xml_sha256", c->xml_sha[0] ? c->xml_sha :
	    NULL));
	return o;
}

/* Commit the signed files and the record, tag it, and index it. */
static int
record_review(struct workspace *ws, const struct review_request *req,
    struct review_ctx *c, fp_time now, struct review_result *out)
{
	struct store_review row = { 0 };
	json_t *body;
	char *msg;
	int rc;

	body = review_json(req, c, now);
	msg = xasprintf("%s report %s of run %ld\n\nreviewer: %s\n"
	    "decision: %s\ncomment: %s\npdf sha256: %s\nxml sha256: %s\n"
	    "certificate: %s (public key sha256 %s)\n",
	    strcmp(req->decision, "approve") == 0 ? "Approve" : "Reject",
	    c->report.tag, c->run.id, req->reviewer, req->decision,
	    req->comment, c->report.pdf_sha256 ? c->report.pdf_sha256 : "-",
	    c->report.xml_sha256 ? c->report.xml_sha256 : "-",
	    c->cert.subject, c->cert.spki_sha256);
	rc = record_commit(ws, c->rel_record, body, req->reviewer, msg,
	    &row.record);
	json_decref(body);
	if (rc != 0) {
		free(msg);
		return rc;
	}
	snprintf(out->commit, sizeof(out->commit), "%s", row.record.commit_id);
	if ((rc = evrepo_tag(ws->repo, out->tag, out->commit, msg)) != 0)
		goto out;

	row.run = c->run.id;
	row.report = c->report.id;
	row.evaluation = c->evaluation.id;
	row.reviewer = (char *)req->reviewer;
	row.decision = (char *)req->decision;
	row.comment = (char *)req->comment;
	/* The record states milliseconds; the row keeps the same instant. */
	row.reviewed_at = now - now % 1000;
	row.report_pdf_sha256 = c->report.pdf_sha256;
	row.report_xml_sha256 = c->report.xml_sha256;
	row.signed_pdf_sha256 = c->pdf_sha[0] ? c->pdf_sha : NULL;
	row.signed_xml_sha256 = c->xml_sha[0] ? c->xml_sha : NULL;
	row.cert_subject = c->cert.subject;
	row.cert_spki_sha256 = c->cert.spki_sha256;
	row.tag = out->tag;
	rc = store_review_insert(ws->store, &row);
	out->id = row.id;
out:
	store_record_release(&row.record);
	free(msg);
	return rc;
}

static int
load_context(struct workspace *ws, const struct review_request *req,
    struct review_ctx *c)
{
	int rc;

	if ((rc = store_run_get(ws->store, req->run, &c->run)) != 0 ||
	    (rc = store_report_latest(ws->store, req->run, &c->report)) != 0 ||
	    (rc = store_evaluation_latest(ws->store, req->run,
	    &c->evaluation)) != 0 ||
	    (rc = store_review_list(ws->store, req->run, &c->reviews,
	    &c->n_reviews)) != 0)
		return rc;
	if ((rc = cert_identity_load(req->cert_pem, &c->cert)) != 0 ||
	    (rc = cert_identity_check_key(req->cert_pem, req->key_pem)) != 0)
		return rc;
	c->number = (long)c->n_reviews + 1;
	c->dir = workspace_run_dir(req->run);
	return 0;
}

int
review_run(struct workspace *ws, const struct review_request *req,
    struct review_result *out)
{
	struct review_ctx c = { 0 };
	fp_time now = fp_now();
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = check_request(req)) != 0)
		return rc;
	if ((rc = load_context(ws, req, &c)) != 0 ||
	    (rc = check_report_current(&c)) != 0 ||
	    (rc = check_separation(ws, req, &c)) != 0)
		goto out;
	snprintf(out->tag, sizeof(out->tag), "run-%ld-review-%ld", c.run.id,
	    c.number);
	if (evrepo_tag_exists(ws->repo, out->tag)) {
		rc = fp_fail(FP_EREPO, "the evidence repository already has a "
		    "tag '%s' that the store does not know: rebuild the "
		    "store from the repository", out->tag);
		goto out;
	}
	if ((rc = find_base(ws, &c)) != 0)
		goto out;

	c.rel_record = xasprintf("%s/reviews/review-%ld.json", c.dir,
	    c.number);
	if (c.base_pdf != NULL) {
		c.rel_pdf = xasprintf("%s/reports/%s.pdf", c.dir, out->tag);
		if ((rc = sign_pdf(ws, req, &c, out)) != 0)
			goto fail;
	}
	if (c.base_xml != NULL) {
		c.rel_xml = xasprintf("%s/reports/%s.xml", c.dir, out->tag);
		if ((rc = sign_xml(ws, req, &c, now)) != 0)
			goto fail;
	}
	/* Once the commit exists the files are kept, even if indexing
	 * fails: the repository is the record. */
	if ((rc = record_review(ws, req, &c, now, out)) != 0) {
		if (out->commit[0] == '\0')
			goto fail;
		goto out;
	}
	out->report_tag = xstrdup(c.report.tag);
	out->pdf_path = c.rel_pdf ? evrepo_path(ws->repo, c.rel_pdf) : NULL;
	out->xml_path = c.rel_xml ? evrepo_path(ws->repo, c.rel_xml) : NULL;
	goto out;
fail:
	if (c.rel_pdf != NULL)
		evrepo_discard(ws->repo, c.rel_pdf);
	if (c.rel_xml != NULL)
		evrepo_discard(ws->repo, c.rel_xml);
out:
	ctx_release(&c);
	return rc;
}

void
review_result_release(struct review_result *res)
{
	free(res->report_tag);
	free(res->pdf_path);
	free(res->xml_path);
	memset(res, 0, sizeof(*res));
}

int
review_record_signer(struct workspace *ws, const char *tag, const char *name,
    const char *cert_pem)
{
	struct cert_identity id;
	int rc;

	if ((rc = cert_identity_load(cert_pem, &id)) != 0)
		return rc;
	rc = store_report_set_signer(ws->store, tag, name, id.subject,
	    id.spki_sha256);
	cert_identity_release(&id);
	return rc;
}

int
review_state_load(struct workspace *ws, long run, struct review_state *out)
{
	struct store_evaluation ev = { 0 };
	struct store_review *v = NULL;
	struct fp_run r = { 0 };
	const struct store_review *last;
	size_t n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_run_get(ws->store, run, &r)) != 0 ||
	    (rc = store_review_list(ws->store, run, &v, &n)) != 0)
		goto out;
	if (n == 0)
		goto out;
	last = &v[n - 1];
	out->reviewed = 1;
	out->reviewer = xstrdup(last->reviewer);
	out->decision = xstrdup(last->decision);
	out->comment = xstrdup(last->comment);
	out->reviewed_at = last->reviewed_at;
	out->tag = xstrdup(last->tag);
	rc = store_evaluation_latest(ws->store, run, &ev);
	if (rc == FP_ENOTFOUND)
		rc = 0;
	if (rc != 0)
		goto out;
	if (r.changed_at > last->reviewed_at) {
		out->stale = 1;
		out->stale_reason = xstrdup("the run changed after the review "
		    "(new evidence or an attestation)");
	} else if (ev.id != last->evaluation) {
		out->stale = 1;
		out->stale_reason = xstrdup("the run was evaluated again after "
		    "the review");
	}
out:
	store_evaluation_release(&ev);
	store_review_list_free(v, n);
	fp_run_release(&r);
	return rc;
}

void
review_state_release(struct review_state *st)
{
	free(st->reviewer);
	free(st->decision);
	free(st->comment);
	free(st->tag);
	free(st->stale_reason);
	memset(st, 0, sizeof(*st));
}
