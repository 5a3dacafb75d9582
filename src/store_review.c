/* Issued reports, reviews, attestations and waivers in the store. */
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"
#include "store_review.h"

#define REPORT_COLUMNS "r.id, r.run, r.evaluation, r.xml_sha256, " \
	"r.pdf_sha256, r.evidence_commit, r.commit_id, r.tag, r.issued_at, " \
	"r.signer_name, r.signer_subject, r.signer_spki_sha256, u.executed_by"

static void
read_report(sqlite3_stmt *st, struct store_report *r)
{
	r->id = sqlite3_column_int64(st, 0);
	r->run = sqlite3_column_int64(st, 1);
	r->evaluation = sqlite3_column_int64(st, 2);
	r->xml_sha256 = col_text(st, 3);
	r->pdf_sha256 = col_text(st, 4);
	r->evidence_commit = col_text(st, 5);
	r->commit_id = col_text(st, 6);
	r->tag = col_text(st, 7);
	r->issued_at = col_time(st, 8);
	r->signer_name = col_text(st, 9);
	r->signer_subject = col_text(st, 10);
	r->signer_spki_sha256 = col_text(st, 11);
	r->executed_by = col_text(st, 12);
}

int
store_report_latest(struct store *s, long run, struct store_report *out)
{
	sqlite3_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = prepare(s, "SELECT " REPORT_COLUMNS " FROM report r JOIN run u "
	    "ON u.id = r.run WHERE r.run = ? ORDER BY r.id DESC LIMIT 1", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, run);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return fp_fail(FP_ENOTFOUND, "run %ld has no issued report: "
		    "issue one with 'failproof report %ld' first", run, run);
	}
	read_report(st, out);
	sqlite3_finalize(st);
	return 0;
}

int
store_report_all(struct store *s, struct store_report **out, size_t *count)
{
	sqlite3_stmt *st = NULL;
	size_t n = 0, cap = 0;
	struct store_report *v = NULL;
	int rc;

	*out = NULL;
	*count = 0;
	rc = prepare(s, "SELECT " REPORT_COLUMNS " FROM report r JOIN run u "
	    "ON u.id = r.run ORDER BY r.id", &st);
	if (rc != 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc(v, cap * sizeof(*v));
		}
		memset(&v[n], 0, sizeof(v[n]));
		read_report(st, &v[n++]);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		store_report_list_free(v, n);
		return db_fail(s, "cannot list the issued reports");
	}
	*out = v;
	*count = n;
	return 0;
}

int
store_report_set_signer(struct store *s, const char *tag, const char *name,
    const char *subject, const char *spki_sha256)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "UPDATE report SET signer_name = ?, signer_subject = ?, "
	    "signer_spki_sha256 = ? WHERE tag = ?", &st);
	if (rc != 0)
		return rc;
	bind_text(st, 1, name);
	bind_text(st, 2, subject);
	bind_text(st, 3, spki_sha256);
	bind_text(st, 4, tag);
	rc = step_done(s, st, "cannot record the report's signer");
	sqlite3_finalize(st);
	return rc;
}

void
store_report_release(struct store_report *r)
{
	free(r->xml_sha256);
	free(r->pdf_sha256);
	free(r->evidence_commit);
	free(r->commit_id);
	free(r->tag);
	free(r->signer_name);
	free(r->signer_subject);
	free(r->signer_spki_sha256);
	free(r->executed_by);
	memset(r, 0, sizeof(*r));
}

void
store_report_list_free(struct store_report *v, size_t count)
{
	for (size_t i = 0; i < count; i++)
		store_report_release(&v[i]);
	free(v);
}

static void
bind_record(sqlite3_stmt *st, int first, const struct store_record *rec)
{
	bind_text(st, first, rec->path);
	bind_text(st, first + 1, rec->sha256);
	bind_text(st, first + 2, rec->commit_id);
}

static void
read_record(sqlite3_stmt *st, int first, struct store_record *rec)
{
	rec->path = col_text(st, first);
	rec->sha256 = col_text(st, first + 1);
	rec->commit_id = col_text(st, first + 2);
}

void
store_record_release(struct store_record *rec)
{
	free(rec->path);
	free(rec->sha256);
	free(rec->commit_id);
	memset(rec, 0, sizeof(*rec));
}

/* Reviews */

int
store_review_insert(struct store *s, struct store_review *r)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "INSERT INTO review (run, report, evaluation, reviewer, "
	    "decision, comment, reviewed_at, report_pdf_sha256, "
	    "report_xml_sha256, signed_pdf_sha256, signed_xml_sha256, "
	    "cert_subject, cert_spki_sha256, tag, record_path, record_sha256, "
	    "commit_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?)", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, r->run);
	sqlite3_bind_int64(st, 2, r->report);
	sqlite3_bind_int64(st, 3, r->evaluation);
	bind_text(st, 4, r->reviewer);
	bind_text(st, 5, r->decision);
	sqlite3_bind_text(st, 6, r->comment, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 7, r->reviewed_at);
	bind_text(st, 8, r->report_pdf_sha256);
	bind_text(st, 9, r->report_xml_sha256);
	bind_text(st, 10, r->signed_pdf_sha256);
	bind_text(st, 11, r->signed_xml_sha256);
	bind_text(st, 12, r->cert_subject);
	bind_text(st, 13, r->cert_spki_sha256);
	bind_text(st, 14, r->tag);
	bind_record(st, 15, &r->record);
	rc = step_done(s, st, "cannot record the review");
	sqlite3_finalize(st);
	if (rc == 0)
		r->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int
store_review_list(struct store *s, long run, struct store_review **out,
    size_t *count)
{
	sqlite3_stmt *st = NULL;
	struct store_review *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	*out = NULL;
	*count = 0;
	rc = prepare(s, "SELECT id, run, report, evaluation, reviewer, "
	    "decision, comment, reviewed_at, report_pdf_sha256, "
	    "report_xml_sha256, signed_pdf_sha256, signed_xml_sha256, "
	    "cert_subject, cert_spki_sha256, tag, record_path, record_sha256, "
	    "commit_id FROM review WHERE run = ? ORDER BY id", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, run);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_review *r;

		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			v = xrealloc(v, cap * sizeof(*v));
		}
		r = &v[n++];
		memset(r, 0, sizeof(*r));
		r->id = sqlite3_column_int64(st, 0);
		r->run = sqlite3_column_int64(st, 1);
		r->report = sqlite3_column_int64(st, 2);
		r->evaluation = sqlite3_column_int64(st, 3);
		r->reviewer = col_text(st, 4);
		r->decision = col_text(st, 5);
		r->comment = col_text(st, 6);
		r->reviewed_at = col_time(st, 7);
		r->report_pdf_sha256 = col_text(st, 8);
		r->report_xml_sha256 = col_text(st, 9);
		r->signed_pdf_sha256 = col_text(st, 10);
		r->signed_xml_sha256 = col_text(st, 11);
		r->cert_subject = col_text(st, 12);
		r->cert_spki_sha256 = col_text(st, 13);
		r->tag = col_text(st, 14);
		read_record(st, 15, &r->record);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		store_review_list_free(v, n);
		return db_fail(s, "cannot list the reviews");
	}
	*out = v;
	*count = n;
	return 0;
}

void
store_review_list_free(struct store_review *v, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(v[i].reviewer);
		free(v[i].decision);
		free(v[i].comment);
		free(v[i].report_pdf_sha256);
		free(v[i].report_xml_sha256);
		free(v[i].signed_pdf_sha256);
		free(v[i].signed_xml_sha256);
		free(v[i].cert_subject);
		free(v[i].cert_spki_sha256);
		free(v[i].tag);
		store_record_release(&v[i].record);
	}
	free(v);
}

/* Attestations */

int
store_attestation_insert(struct store *s, struct store_attestation *a)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "INSERT INTO attestation (run, precondition, "
	    "attested_by, note, attested_at, record_path, record_sha256, "
	    "commit_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, a->run);
	bind_text(st, 2, a->precondition);
	bind_text(st, 3, a->attested_by);
	sqlite3_bind_text(st, 4, a->note, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, a->attested_at);
	bind_record(st, 6, &a->record);
	rc = step_done(s, st, "cannot record the attestation");
	sqlite3_finalize(st);
	if (rc == 0)
		a->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int
store_attestation_list(struct store *s, long run,
    struct store_attestation **out, size_t *count)
{
	sqlite3_stmt *st = NULL;
	struct store_attestation *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	*out = NULL;
	*count = 0;
	rc = prepare(s, "SELECT id, run, precondition, attested_by, note, "
	    "attested_at, record_path, record_sha256, commit_id FROM "
	    "attestation WHERE run = ? ORDER BY id", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, run);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_attestation *a;

		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			v = xrealloc(v, cap * sizeof(*v));
		}
		a = &v[n++];
		memset(a, 0, sizeof(*a));
		a->id = sqlite3_column_int64(st, 0);
		a->run = sqlite3_column_int64(st, 1);
		a->precondition = col_text(st, 2);
		a->attested_by = col_text(st, 3);
		a->note = col_text(st, 4);
		a->attested_at = col_time(st, 5);
		read_record(st, 6, &a->record);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		store_attestation_list_free(v, n);
		return db_fail(s, "cannot list the attestations");
	}
	*out = v;
	*count = n;
	return 0;
}

void
store_attestation_list_free(struct store_attestation *v, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(v[i].precondition);
		free(v[i].attested_by);
		free(v[i].note);
		store_record_release(&v[i].record);
	}
	free(v);
}

/* Waivers */

int
store_waiver_insert(struct store *s, struct store_waiver *w)
{
	sqlite3_stmt *st = NULL;
	int rc;

	rc = prepare(s, "INSERT INTO waiver (run, criterion, defect, "
	    "justification, approver, expires_at, created_at, record_path, "
	    "record_sha256, commit_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    &st);
	if (rc != 0)
		return rc;
	if (w->run > 0)
		sqlite3_bind_int64(st, 1, w->run);
	else
		sqlite3_bind_null(st, 1);
	bind_text(st, 2, w->criterion);
	if (w->defect > 0)
		sqlite3_bind_int64(st, 3, w->defect);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_text(st, 4, w->justification, -1, SQLITE_TRANSIENT);
	bind_text(st, 5, w->approver);
	sqlite3_bind_int64(st, 6, w->expires_at);
	sqlite3_bind_int64(st, 7, w->created_at);
	bind_record(st, 8, &w->record);
	rc = step_done(s, st, "cannot record the waiver");
	sqlite3_finalize(st);
	if (rc == 0)
		w->id = sqlite3_last_insert_rowid(s->db);
	return rc;
}

int
store_waiver_list(struct store *s, long run, struct store_waiver **out,
    size_t *count)
{
	sqlite3_stmt *st = NULL;
	struct store_waiver *v = NULL;
	size_t n = 0, cap = 0;
	int rc;

	*out = NULL;
	*count = 0;
	rc = prepare(s, "SELECT id, run, criterion, defect, justification, "
	    "approver, expires_at, created_at, record_path, record_sha256, "
	    "commit_id FROM waiver WHERE ?1 = 0 OR run = ?1 OR defect IN "
	    "(SELECT id FROM defect WHERE run = ?1) ORDER BY id", &st);
	if (rc != 0)
		return rc;
	sqlite3_bind_int64(st, 1, run);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_waiver *w;

		if (n == cap) {
			cap = cap ? cap * 2 : 4;
			v = xrealloc(v, cap * sizeof(*v));
		}
		w = &v[n++];
		memset(w, 0, sizeof(*w));
		w->id = sqlite3_column_int64(st, 0);
		w->run = sqlite3_column_type(st, 1) == SQLITE_NULL ? 0 :
		    sqlite3_column_int64(st, 1);
		w->criterion = col_text(st, 2);
		w->defect = sqlite3_column_type(st, 3) == SQLITE_NULL ? 0 :
		    sqlite3_column_int64(st, 3);
		w->justification = col_text(st, 4);
		w->approver = col_text(st, 5);
		w->expires_at = col_time(st, 6);
		w->created_at = col_time(st, 7);
		read_record(st, 8, &w->record);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		store_waiver_list_free(v, n);
		return db_fail(s, "cannot list the waivers");
	}
	*out = v;
	*count = n;
	return 0;
}

void
store_waiver_list_free(struct store_waiver *v, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(v[i].criterion);
		free(v[i].justification);
		free(v[i].approver);
		store_record_release(&v[i].record);
	}
	free(v);
}
