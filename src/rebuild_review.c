/*
 * Rebuild: the review workflow of a run.  Each record is a file of the
 * run's folder committed by the person who acted:
 *   reports/run-N-report-M.{xml,pdf,json}  an issued report, tagged
 *                                          run-N-report-M
 *   reviews/review-K.json                  a sign-off, tagged run-N-review-K
 *   attestations/attestation-K.json        an attested precondition
 *   waivers/waiver-K.json                  a waiver of a criterion of run
 *                                          N or of the defect run N opened
 *   defects/defect-D-change-K.json         a change to the defect run N
 *                                          opened
 * Rows that point at other rows (a review at its report, a waiver at its
 * defect) are linked through the run and the tags, not through the ids
 * the records quote.
 */
#include <stdlib.h>
#include <string.h>

#include "rebuild.h"
#include "store_review.h"

static const char *
json_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Count a tag that is missing or names another commit. */
static void
check_tag(struct rebuild *rb, const char *tag)
{
	char hex[41];

	if (evrepo_tag_commit(rb->ws->repo, tag, hex) != 0 ||
	    strcmp(hex, rb->commit->id) != 0)
		rb->st->tags_missing++;
	fp_clear_error();
}

/* The report tagged tag: 0 and the row, or FP_ENOTFOUND. */
static int
find_report(struct rebuild *rb, const char *tag, struct store_report *out)
{
	struct store_report *v = NULL;
	size_t n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_report_all(rb->ws->store, &v, &n)) != 0)
		return rc;
	rc = FP_ENOTFOUND;
	for (size_t i = 0; i < n && rc != 0; i++) {
		if (strcmp(v[i].tag, tag) != 0)
			continue;
		*out = v[i];
		memset(&v[i], 0, sizeof(v[i]));
		rc = 0;
	}
	store_report_list_free(v, n);
	return rc;
}

/* The SHA-256 of an issued file of the commit, or "" when it has none. */
static int
issued_sha(struct rebuild *rb, const char *rel, char sha[65])
{
	char *data = NULL;
	size_t len;
	int rc;

	sha[0] = '\0';
	rc = evrepo_read(rb->ws->repo, rb->commit->id, rel, (size_t)1 << 30,
	    &data, &len);
	if (rc == FP_ENOTFOUND) {
		fp_clear_error();
		return 0;
	}
	if (rc == 0)
		fp_sha256_hex(data, len, sha);
	free(data);
	return rc;
}

int
rebuild_report(struct rebuild *rb, long run, const char *rest)
{
	struct store_report found;
	struct store_evaluation ev = { 0 };
	const char *name = rest + strlen("reports/"), *digits;
	char *dir = workspace_run_dir(run), *prefix, *tag = NULL, *rel;
	char xml_sha[65], pdf_sha[65], record_sha[65], *evidence = NULL;
	json_t *record = NULL, *signer;
	fp_time issued;
	int rc = 0;

	/* Only run-N-report-M.*: the reviewed copies are the reviews'. */
	prefix = xasprintf("run-%ld-report-", run);
	if (strncmp(name, prefix, strlen(prefix)) != 0)
		goto out;
	digits = name + strlen(prefix);
	if (strspn(digits, "0123456789") == 0 ||
	    digits[strspn(digits, "0123456789")] != '.')
		goto out;
	tag = xstrndup(name, strlen(prefix) + strspn(digits, "0123456789"));
	/* The files of one issue are one commit: the first restores it. */
	if ((rc = find_report(rb, tag, &found)) != FP_ENOTFOUND) {
		store_report_release(&found);
		goto out;
	}
	rc = 0;

	rel = xasprintf("%s/reports/%s.json", dir, tag);
	rc = rebuild_read_json(rb, rel, &record, record_sha);
	free(rel);
	if (rc == FP_ENOTFOUND) {
		fp_clear_error();
		rc = 0;
	}
	rel = xasprintf("%s/reports/%s.xml", dir, tag);
	if (rc == 0)
		rc = issued_sha(rb, rel, xml_sha);
	free(rel);
	rel = xasprintf("%s/reports/%s.pdf", dir, tag);
	if (rc == 0)
		rc = issued_sha(rb, rel, pdf_sha);
	free(rel);
	if (rc != 0)
		goto out;
	/* A report issued before its record names the evidence commit in
	 * its commit message, as "evidence commit: ID". */
	evidence = record && json_str(record, "evidence_commit") ?
	    xstrdup(json_str(record, "evidence_commit")) :
	    rebuild_field(rb->commit->message, "evidence commit");
	if (evidence == NULL) {
		rc = fp_fail(FP_EINVAL, "report '%s' names no evidence commit",
		    tag);
		goto out;
	}
	issued = rebuild_clock(rb, rebuild_json_time(record, "issued_at"));
	/* A report covers the run's latest evaluation when it is issued. */
	if ((rc = store_evaluation_latest(rb->ws->store, run, &ev)) != 0 ||
	    (rc = store_report_insert(rb->ws->store, run, ev.id,
	    xml_sha[0] ? xml_sha : NULL, pdf_sha[0] ? pdf_sha : NULL,
	    evidence, rb->commit->id, tag, issued)) != 0)
		goto out;
	check_tag(rb, tag);
	rb->st->reports++;
	/* NOTE: a report issued before its record (run-N-report-M.json)
	 * existed gets no signer, so the separation of duties identifies
	 * its executor by name only, not by certificate. */
	signer = json_object_get(record, "signer");
	if (json_str(signer, "name") == NULL) {
		rb->st->signers_missing++;
		goto out;
	}
	rc = store_report_set_signer(rb->ws->store, tag, json_str(signer,
	    "name"), json_str(signer, "subject"), json_str(signer,
	    "spki_sha256"));
out:
	store_evaluation_release(&ev);
	json_decref(record);
	free(evidence);
	free(tag);
	free(prefix);
	free(dir);
	return rc;
}

/* K of DIR/PREFIX-K.json, or 0. */
static long
record_number(const char *path, const char *prefix)
{
	const char *name = fp_basename(path);
	char *end;
	long n;

	if (strncmp(name, prefix, strlen(prefix)) != 0)
		return 0;
	n = strtol(name + strlen(prefix), &end, 10);
	return strcmp(end, ".json") == 0 ? n : 0;
}

static int
check_run(const json_t *o, long run, const char *path)
{
	const json_t *v = json_object_get(o, "run");

	if (json_is_integer(v) && json_integer_value(v) != run)
		return fp_fail(FP_EINVAL, "'%s' records run %lld", path,
		    (long long)json_integer_value(v));
	return 0;
}

int
rebuild_review(struct rebuild *rb, long run, const char *path)
{
	struct store_review row = { 0 };
	struct store_report report = { 0 };
	const json_t *covers, *cert, *signed_files;
	char sha[65], tag[64];
	json_t *o = NULL;
	long number = record_number(path, "review-");
	int rc;

	if (number <= 0)
		return 0;
	if ((rc = rebuild_read_json(rb, path, &o, sha)) != 0 ||
	    (rc = check_run(o, run, path)) != 0)
		goto out;
	covers = json_object_get(o, "covers");
	cert = json_object_get(o, "certificate");
	signed_files = json_object_get(o, "signed");
	if (json_str(covers, "report") == NULL ||
	    json_str(o, "reviewer") == NULL ||
	    json_str(o, "decision") == NULL || json_str(o, "comment") == NULL ||
	    json_str(cert, "subject") == NULL ||
	    json_str(cert, "spki_sha256") == NULL) {
		rc = fp_fail(FP_EINVAL, "'%s' is not a complete review record",
		    path);
		goto out;
	}
	rc = find_report(rb, json_str(covers, "report"), &report);
	if (rc == FP_ENOTFOUND)
		rc = fp_fail(FP_ENOTFOUND, "'%s' covers report '%s', which no "
		    "earlier commit issued", path, json_str(covers, "report"));
	if (rc != 0)
		goto out;
	snprintf(tag, sizeof(tag), "run-%ld-review-%ld", run, number);
	row.run = run;
	row.report = report.id;
	/* review_run() accepts only a report of the latest evaluation. */
	row.evaluation = report.evaluation;
	row.reviewer = (char *)json_str(o, "reviewer");
	row.decision = (char *)json_str(o, "decision");
	row.comment = (char *)json_str(o, "comment");
	row.reviewed_at = rebuild_clock(rb, rebuild_json_time(o,
	    "reviewed_at"));
	row.report_pdf_sha256 = (char *)json_str(covers, "pdf_sha256");
	row.report_xml_sha256 = (char *)json_str(covers, "xml_sha256");
	row.signed_pdf_sha256 = (char *)json_str(signed_files, "pdf_sha256");
	row.signed_xml_sha256 = (char *)json_str(signed_files, "xml_sha256");
	row.cert_subject = (char *)json_str(cert, "subject");
	row.cert_spki_sha256 = (char *)json_str(cert, "spki_sha256");
	row.tag = tag;
	row.record.path = (char *)path;
	row.record.sha256 = sha;
	row.record.commit_id = (char *)rb->commit->id;
	if ((rc = store_review_insert(rb->ws->store, &row)) != 0)
		goto out;
	check_tag(rb, tag);
	rb->st->reviews++;
out:
	store_report_release(&report);
	json_decref(o);
	return rc;
}

int
rebuild_attestation(struct rebuild *rb, long run, const char *path)
{
	struct store_attestation a = { 0 };
	char sha[65];
	json_t *o = NULL;
	int rc;

	if (record_number(path, "attestation-") <= 0)
		return 0;
	if ((rc = rebuild_read_json(rb, path, &o, sha)) != 0 ||
	    (rc = check_run(o, run, path)) != 0)
		goto out;
	a.run = run;
	a.precondition = (char *)json_str(o, "precondition");
	a.attested_by = (char *)json_str(o, "attested_by");
	a.note = (char *)json_str(o, "note");
	if (!a.precondition || !a.attested_by || !a.note) {
		rc = fp_fail(FP_EINVAL, "'%s' is not a complete attestation "
		    "record", path);
		goto out;
	}
	a.attested_at = rebuild_clock(rb, rebuild_json_time(o,
	    "attested_at"));
	a.record.path = (char *)path;
	a.record.sha256 = sha;
	a.record.commit_id = (char *)rb->commit->id;
	/* An attestation changes the run, as in attest_record(). */
	if ((rc = store_attestation_insert(rb->ws->store, &a)) != 0 ||
	    (rc = store_run_touch(rb->ws->store, run)) != 0)
		goto out;
	rb->st->attestations++;
out:
	json_decref(o);
	return rc;
}

/* The defect run opened, which the records in its folder concern. */
static int
defect_of_run(struct rebuild *rb, long run, const char *path, long *id)
{
	if (store_defect_of_run(rb->ws->store, run, id, NULL) == 0)
		return 0;
	return fp_fail(FP_ENOTFOUND, "'%s' concerns the defect of run %ld, "
	    "which no earlier evaluation opened", path, run);
}

int
rebuild_waiver(struct rebuild *rb, long run, const char *path)
{
	struct store_waiver w = { 0 };
	char sha[65];
	json_t *o = NULL;
	int rc;

	if (record_number(path, "waiver-") <= 0)
		return 0;
	if ((rc = rebuild_read_json(rb, path, &o, sha)) != 0)
		goto out;
	w.criterion = (char *)json_str(o, "criterion");
	w.justification = (char *)json_str(o, "justification");
	w.approver = (char *)json_str(o, "approver");
	w.expires_at = rebuild_json_time(o, "expires_at");
	if (!w.justification || !w.approver || w.expires_at == FP_TIME_NONE) {
		rc = fp_fail(FP_EINVAL, "'%s' is not a complete waiver record",
		    path);
		goto out;
	}
	/* waiver_create() files a criterion's waiver under its run and a
	 * defect's under the run that opened it. */
	if (w.criterion != NULL) {
		w.run = run;
		rc = check_run(o, run, path);
	} else
		rc = defect_of_run(rb, run, path, &w.defect);
	if (rc != 0)
		goto out;
	w.created_at = rebuild_clock(rb, rebuild_json_time(o, "created_at"));
	w.record.path = (char *)path;
	w.record.sha256 = sha;
	w.record.commit_id = (char *)rb->commit->id;
	if ((rc = store_waiver_insert(rb->ws->store, &w)) == 0)
		rb->st->waivers++;
out:
	json_decref(o);
	return rc;
}

int
rebuild_defect_change(struct rebuild *rb, long run, const char *path)
{
	struct store_defect_change c = { 0 };
	const char *status;
	char sha[65];
	json_t *o = NULL;
	fp_time due;
	int rc;

	if ((rc = rebuild_read_json(rb, path, &o, sha)) != 0 ||
	    (rc = defect_of_run(rb, run, path, &c.defect)) != 0)
		goto out;
	c.actor = (char *)json_str(o, "actor");
	c.change = (char *)json_str(o, "change");
	if (c.actor == NULL || c.change == NULL) {
		rc = fp_fail(FP_EINVAL, "'%s' is not a complete defect change "
		    "record", path);
		goto out;
	}
	status = json_str(o, "status");
	due = rebuild_json_time(o, "due_at");
	c.changed_at = rebuild_clock(rb, rebuild_json_time(o, "changed_at"));
	rc = store_defect_update(rb->ws->store, c.defect, json_str(o, "owner"),
	    due, status != NULL ? c.actor : NULL, c.changed_at);
	/* defect_set() commits the record before the store refuses a change
	 * to a verified defect; the store had no row for it then either. */
	if (rc == FP_EDENIED) {
		fp_clear_error();
		rb->st->changes_refused++;
		rc = 0;
		goto out;
	}
	c.record.path = (char *)path;
	c.record.sha256 = sha;
	c.record.commit_id = (char *)rb->commit->id;
	if (rc == 0)
		rc = store_defect_change_insert(rb->ws->store, &c);
	if (rc == 0)
		rb->st->defect_changes++;
out:
	json_decref(o);
	return rc;
}
