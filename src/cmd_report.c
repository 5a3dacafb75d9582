/*
 * failproof report ID --xml FILE --pdf FILE --key KEY --cert CERT: issue
 * the signed reports of a run.  Issuing is one commit holding both files
 * and a tag naming the run and the report number.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "pdf_sign.h"
#include "pdf_verify.h"
#include "report_model.h"
#include "report_pdf.h"
#include "report_xml.h"
#include "signer.h"
#include "signoff_cert.h"
#include "store_review.h"

enum { OPT_XML, OPT_PDF, OPT_KEY, OPT_CERT, OPT_SIGNER, OPT_COUNT };

static const struct cli_option options[] = {
	[OPT_XML] = { "xml", "FILE", "write the signed XML report here" },
	[OPT_PDF] = { "pdf", "FILE", "write the signed PDF report here" },
	[OPT_KEY] = { "key", "KEY.pem", "private key that signs (RSA or "
	    "ECDSA P-256, PEM)" },
	[OPT_CERT] = { "cert", "CERT.pem", "X.509 certificate of that key" },
	[OPT_SIGNER] = { "signer", "NAME", "name shown in the PDF signature "
	    "(default: the run's executor)" },
	{ NULL, NULL, NULL },
};

/*
 * The record of an issue, runs/run-000N/reports/run-N-report-M.json: what
 * the store keeps of it besides the files and the tag, so that a rebuild
 * restores the signer and the time.
 */
static int
add_report_record(struct workspace *ws, const char *rel, long run,
    const char *tag, long evaluation, const char *evidence_commit,
    const char *xml_sha, const char *pdf_sha, fp_time issued_at,
    const char *signer, const struct cert_identity *id)
{
	char when[FP_TIME_STRLEN], *text;
	json_t *o;
	int rc;

	fp_time_format(issued_at, when, sizeof(when));
	o = json_pack("{s:I, s:s, s:I, s:s, s:s?, s:s?, s:s, s:{s:s, s:s, "
	    "s:s}}", "run", (json_int_t)run, "report", tag, "evaluation",
	    (json_int_t)evaluation, "evidence_commit", evidence_commit,
	    "xml_sha256", xml_sha[0] ? xml_sha : NULL, "pdf_sha256",
	    pdf_sha[0] ? pdf_sha : NULL, "issued_at", when, "signer", "name",
	    signer, "subject", id->subject, "spki_sha256", id->spki_sha256);
	text = o ? json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	if (text == NULL)
		return fp_fail(FP_EINVAL, "cannot write the record of report "
		    "'%s'", tag);
	rc = evrepo_add_data(ws->repo, rel, text, strlen(text));
	free(text);
	return rc;
}

/*
 * Verify the PDF just signed, as 'verify' will: some keys OpenSSL signs
 * with (an EC key with compressed points, say) give a signature poppler
 * rejects, and such a report must not be issued.
 */
static int
check_signed_pdf(const char *path)
{
	struct pdf_verify_result res = { 0 };
	int rc = pdf_verify(path, &res);

	pdf_verify_result_free(&res);
	if (rc != 0)
		return fp_fail_context(rc, "the signed PDF '%s' does not verify; "
		    "sign with another key (RSA 2048, or ECDSA P-256 in the "
		    "default uncompressed form)", path);
	return 0;
}

static int
archive_reports(struct workspace *ws, const struct report *r, long evaluation,
    const char *xml, const char *pdf, const char *signer, const char *cert)
{
	char xml_sha[65] = "", pdf_sha[65] = "", commit[41], head[41];
	char *dir, *tag;
	char *rel_xml = NULL, *rel_pdf = NULL, *rel_record = NULL, *msg;
	struct cert_identity id = { 0 };
	fp_time now = fp_now();
	long count = 0;
	int rc;

	if ((rc = store_report_count(ws->store, r->run_id, &count)) != 0)
		return rc;
	/* Who signed, so that the signer cannot review the run. */
	if ((rc = cert_identity_load(cert, &id)) != 0)
		return rc;
	dir = workspace_run_dir(r->run_id);
	/* The repository, not the store, decides the number: an issued
	 * report is never replaced, even after the store was rebuilt. */
	if (evrepo_head(ws->repo, head) != 0)
		head[0] = '\0';
	for (;;) {
		char *pdf_probe, *xml_probe;
		int in_use;

		tag = xasprintf("run-%ld-report-%ld", r->run_id, count + 1);
		pdf_probe = xasprintf("%s/reports/%s.pdf", dir, tag);
		xml_probe = xasprintf("%s/reports/%s.xml", dir, tag);
		in_use = evrepo_tag_exists(ws->repo, tag) || (head[0] &&
		    (evrepo_has_path(ws->repo, head, pdf_probe) ||
		    evrepo_has_path(ws->repo, head, xml_probe)));
		free(pdf_probe);
		free(xml_probe);
		if (!in_use)
			break;
		free(tag);
		count++;
	}
	if (xml != NULL) {
		rel_xml = xasprintf("%s/reports/%s.xml", dir, tag);
		if ((rc = fp_sha256_file(xml, xml_sha)) != 0 ||
		    (rc = evrepo_add_copy(ws->repo, xml, rel_xml)) != 0)
			goto out;
	}
	if (pdf != NULL) {
		rel_pdf = xasprintf("%s/reports/%s.pdf", dir, tag);
		if ((rc = fp_sha256_file(pdf, pdf_sha)) != 0 ||
		    (rc = evrepo_add_copy(ws->repo, pdf, rel_pdf)) != 0)
			goto out;
	}
	rel_record = xasprintf("%s/reports/%s.json", dir, tag);
	if ((rc = add_report_record(ws, rel_record, r->run_id, tag, evaluation,
	    r->evidence_commit, xml_sha, pdf_sha, now, signer, &id)) != 0)
		goto out;
	msg = xasprintf("Issue report %ld of run %ld: %s\n\nevidence commit: "
	    "%s\nxml sha256: %s\npdf sha256: %s\n", count + 1, r->run_id,
	    r->verdict, r->evidence_commit, xml_sha[0] ? xml_sha : "-",
	    pdf_sha[0] ? pdf_sha : "-");
	rc = evrepo_commit(ws->repo, msg, commit);
	if (rc == 0)
		rc = evrepo_tag(ws->repo, tag, commit, msg);
	free(msg);
	if (rc == 0)
		rc = store_report_insert(ws->store, r->run_id, evaluation,
		    xml_sha[0] ? xml_sha : NULL, pdf_sha[0] ? pdf_sha : NULL,
		    r->evidence_commit, commit, tag, now);
	if (rc == 0)
		rc = store_report_set_signer(ws->store, tag, signer, id.subject,
		    id.spki_sha256);
out:
	cert_identity_release(&id);
	free(rel_record);
	free(rel_xml);
	free(rel_pdf);
	free(tag);
	free(dir);
	return rc;
}

static int
issue(struct workspace *ws, long id, const char **v)
{
	struct report r;
	long evaluation;
	char *reason;
	int rc;

	if ((rc = report_model_load(ws, id, &r, &evaluation)) != 0)
		return rc;
	if ((rc = signer_check(v[OPT_KEY], v[OPT_CERT])) != 0)
		goto out;
	if (v[OPT_XML] && (rc = report_xml_write(&r, v[OPT_XML], v[OPT_KEY],
	    v[OPT_CERT])) != 0)
		goto out;
	if (v[OPT_PDF]) {
		reason = xasprintf("Issued by failproof: run %ld verdict %s",
		    id, r.verdict);
		rc = report_pdf_write(&r, v[OPT_PDF]);
		if (rc == 0)
			rc = pdf_sign(v[OPT_PDF], v[OPT_KEY], v[OPT_CERT],
			    v[OPT_SIGNER] ? v[OPT_SIGNER] : r.executed_by,
			    reason);
		free(reason);
		if (rc == 0)
			rc = check_signed_pdf(v[OPT_PDF]);
		if (rc != 0)
			goto out;
	}
	rc = archive_reports(ws, &r, evaluation, v[OPT_XML], v[OPT_PDF],
	    v[OPT_SIGNER] ? v[OPT_SIGNER] : r.executed_by, v[OPT_CERT]);
out:
	report_free(&r);
	return rc;
}

static int
run_report(const struct cli_context *ctx, int argc, char **argv)
{
	const char *values[OPT_COUNT] = { NULL };
	struct workspace *ws = NULL;
	int first, status = 0;
	long id;

	first = cli_parse(&cmd_report, argc, argv, values);
	if (first < 0)
		return first == -2 ? 0 : EXIT_USAGE;
	if (first != argc - 1 || (!values[OPT_XML] && !values[OPT_PDF]) ||
	    !values[OPT_KEY] || !values[OPT_CERT]) {
		fprintf(stderr, "failproof: report: a run id, --xml or --pdf, "
		    "--key and --cert are required\n");
		return EXIT_USAGE;
	}
	if (fp_parse_long(argv[first], 1, 1L << 40, &id) != 0) {
		cli_error("report");
		return EXIT_USAGE;
	}
	if (cli_workspace_open(ctx, "report", &ws) != 0)
		return 1;
	if (issue(ws, id, values) != 0)
		status = cli_error("report");
	else if (ctx->verbosity >= 0)
		printf("issued report of run %ld:%s%s%s%s\n", id,
		    values[OPT_XML] ? " " : "", values[OPT_XML] ?
		    values[OPT_XML] : "", values[OPT_PDF] ? " " : "",
		    values[OPT_PDF] ? values[OPT_PDF] : "");
	workspace_close(ws);
	return status;
}

const struct cli_command cmd_report = {
	"report", "ID --xml FILE --pdf FILE --key KEY.pem --cert CERT.pem",
	"Issue the signed XML and PDF reports of an evaluated run.",
	options, run_report,
};
