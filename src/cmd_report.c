/*
 * failproof report ID --xml FILE --pdf FILE --key KEY --cert CERT: issue
 * the signed reports of a run.  Issuing is one commit holding both files
 * and a tag naming the run and the report number.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pdf_sign.h"
#include "report_model.h"
#include "report_pdf.h"
#include "report_xml.h"
#include "signer.h"
#include "review.h"

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

static int
archive_reports(struct workspace *ws, const struct report *r, long evaluation,
    const char *xml, const char *pdf, const char *signer, const char *cert)
{
	char xml_sha[65] = "", pdf_sha[65] = "", commit[41], *dir, *tag;
	char *rel_xml = NULL, *rel_pdf = NULL, *msg;
	long count = 0;
	int rc;

	if ((rc = store_report_count(ws->store, r->run_id, &count)) != 0)
		return rc;
	dir = workspace_run_dir(r->run_id);
	tag = xasprintf("run-%ld-report-%ld", r->run_id, count + 1);
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
		    r->evidence_commit, commit, tag);
	/* Who signed, so that the signer cannot review the run. */
	if (rc == 0)
		rc = review_record_signer(ws, tag, signer, cert);
out:
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
