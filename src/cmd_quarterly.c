/*
 * failproof quarterly --quarter 2026Q4 --xml FILE --pdf FILE --key KEY
 * --cert CERT: issue the signed quarterly compliance report.  Issuing is
 * one commit holding both files and a tag quarterly-LABEL-N.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pdf_sign.h"
#include "quarterly_pdf.h"
#include "quarterly_xml.h"

enum {
	OPT_QUARTER, OPT_FROM, OPT_TO, OPT_XML, OPT_PDF, OPT_KEY, OPT_CERT,
	OPT_SIGNER, OPT_COUNT
};

static const struct cli_option options[] = {
	[OPT_QUARTER] = { "quarter", "YYYYQN", "the calendar quarter (UTC), "
	    "such as 2026Q4" },
	[OPT_FROM] = { "from", "DATE", "first day of another period, with "
	    "--to" },
	[OPT_TO] = { "to", "DATE", "last day of that period" },
	[OPT_XML] = { "xml", "FILE", "write the signed XML report here" },
	[OPT_PDF] = { "pdf", "FILE", "write the signed PDF report here" },
	[OPT_KEY] = { "key", "KEY.pem", "private key that signs (RSA or "
	    "ECDSA P-256, PEM)" },
	[OPT_CERT] = { "cert", "CERT.pem", "X.509 certificate of that key" },
	[OPT_SIGNER] = { "signer", "NAME", "name shown in the PDF signature "
	    "(default: failproof)" },
	{ NULL, NULL, NULL },
};

/* Label for a tag and a file name: "2026Q4" or "2026-10-01..2026-12-31". */
static char *
tag_label(const char *label)
{
	char *s = xstrdup(label);

	for (char *p = s; *p != '\0'; p++)
		if (*p == '.')
			*p = '_';
	return s;
}

static int
archive(struct workspace *ws, const struct quarterly *q, const char *xml,
    const char *pdf, char **tag_out)
{
	char xml_sha[65] = "", pdf_sha[65] = "", commit[41], *label, *tag;
	char *rel = NULL, *msg;
	int rc = 0, n = 1;

	label = tag_label(q->label);
	tag = xasprintf("quarterly-%s-%d", label, n);
	while (evrepo_tag_exists(ws->repo, tag)) {
		free(tag);
		tag = xasprintf("quarterly-%s-%d", label, ++n);
	}
	if (xml != NULL) {
		rel = xasprintf("quarterly/%s.xml", tag);
		if ((rc = fp_sha256_file(xml, xml_sha)) != 0 ||
		    (rc = evrepo_add_copy(ws->repo, xml, rel)) != 0)
			goto out;
		free(rel);
		rel = NULL;
	}
	if (pdf != NULL) {
		rel = xasprintf("quarterly/%s.pdf", tag);
		if ((rc = fp_sha256_file(pdf, pdf_sha)) != 0 ||
		    (rc = evrepo_add_copy(ws->repo, pdf, rel)) != 0)
			goto out;
	}
	msg = xasprintf("Issue the quarterly report %s\n\nruns: %zu\n"
	    "findings: %zu\nevidence commit: %s\nxml sha256: %s\n"
	    "pdf sha256: %s\n", q->label, q->n_runs, q->n_findings,
	    q->head_commit, xml_sha[0] ? xml_sha : "-",
	    pdf_sha[0] ? pdf_sha : "-");
	rc = evrepo_commit(ws->repo, msg, commit);
	if (rc == 0)
		rc = evrepo_tag(ws->repo, tag, commit, msg);
	free(msg);
out:
	free(rel);
	free(label);
	if (rc == 0)
		*tag_out = tag;
	else
		free(tag);
	return rc;
}

static int
issue(struct workspace *ws, const char **v, char **tag)
{
	struct quarterly q;
	fp_time from, to;
	char *label = NULL, *reason;
	int rc;

	if ((rc = quarterly_period(v[OPT_QUARTER], v[OPT_FROM], v[OPT_TO],
	    &label, &from, &to)) != 0)
		return rc;
	rc = quarterly_load(ws, label, from, to, &q);
	free(label);
	if (rc != 0)
		return rc;
	if (v[OPT_XML] && (rc = quarterly_xml_write(&q, v[OPT_XML],
	    v[OPT_KEY], v[OPT_CERT])) != 0)
		goto out;
	if (v[OPT_PDF]) {
		reason = xasprintf("Issued by failproof: quarterly report %s, "
		    "%zu runs, %zu findings", q.label, q.n_runs,
		    q.n_findings);
		rc = quarterly_pdf_write(&q, v[OPT_PDF]);
		if (rc == 0)
			rc = pdf_sign(v[OPT_PDF], v[OPT_KEY], v[OPT_CERT],
			    v[OPT_SIGNER] ? v[OPT_SIGNER] : "failproof",
			    reason);
		free(reason);
		if (rc != 0)
			goto out;
	}
	rc = archive(ws, &q, v[OPT_XML], v[OPT_PDF], tag);
out:
	quarterly_release(&q);
	return rc;
}

static int
run_quarterly(const struct cli_context *ctx, int argc, char **argv)
{
	const char *values[OPT_COUNT] = { NULL };
	struct workspace *ws = NULL;
	char *tag = NULL;
	int first, status = 0;

	first = cli_parse(&cmd_quarterly, argc, argv, values);
	if (first < 0)
		return first == -2 ? 0 : EXIT_USAGE;
	if (first != argc || (!values[OPT_XML] && !values[OPT_PDF]) ||
	    !values[OPT_KEY] || !values[OPT_CERT] ||
	    (!values[OPT_QUARTER] && (!values[OPT_FROM] || !values[OPT_TO]))) {
		fprintf(stderr, "failproof: quarterly: --quarter (or --from and "
		    "--to), --xml or --pdf, --key and --cert are required\n");
		return EXIT_USAGE;
	}
	/* A wrong period is a usage error, found before the workspace opens. */
	{
		char *label = NULL;
		fp_time from, to;

		if (quarterly_period(values[OPT_QUARTER], values[OPT_FROM],
		    values[OPT_TO], &label, &from, &to) != 0) {
			cli_error("quarterly");
			return EXIT_USAGE;
		}
		free(label);
	}
	if (workspace_open(ctx->dir, &ws) != 0 || issue(ws, values, &tag) != 0)
		status = cli_error("quarterly");
	else if (ctx->verbosity >= 0)
		printf("issued quarterly report %s:%s%s%s%s\n", tag,
		    values[OPT_XML] ? " " : "", values[OPT_XML] ?
		    values[OPT_XML] : "", values[OPT_PDF] ? " " : "",
		    values[OPT_PDF] ? values[OPT_PDF] : "");
	free(tag);
	workspace_close(ws);
	return status;
}

const struct cli_command cmd_quarterly = {
	"quarterly", "--quarter YYYYQN --xml FILE --pdf FILE --key KEY.pem "
	"--cert CERT.pem",
	"Issue the signed quarterly compliance report of a period.",
	options, run_quarterly,
};
