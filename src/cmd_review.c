/*
 * failproof review ID --reviewer NAME --decision approve|reject
 * --comment TEXT --key KEY --cert CERT: sign off the latest issued report
 * of a run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "review.h"
#include "review_record.h"

enum {
	OPT_REVIEWER, OPT_DECISION, OPT_COMMENT, OPT_KEY, OPT_CERT, OPT_PDF,
	OPT_XML, OPT_COUNT
};

static const struct cli_option options[] = {
	[OPT_REVIEWER] = { "reviewer", "NAME", "who reviews; not the engineer "
	    "who ran the test" },
	[OPT_DECISION] = { "decision", "approve|reject", "the meaning of the "
	    "signature" },
	[OPT_COMMENT] = { "comment", "TEXT", "what the review checked, or why "
	    "it rejects" },
	[OPT_KEY] = { "key", "KEY.pem", "the reviewer's private key (RSA or "
	    "ECDSA P-256, PEM)" },
	[OPT_CERT] = { "cert", "CERT.pem", "the reviewer's X.509 certificate" },
	[OPT_PDF] = { "pdf", "FILE", "also write the signed-off PDF here" },
	[OPT_XML] = { "xml", "FILE", "also write the signed-off XML here" },
	{ NULL, NULL, NULL },
};

static int
export(const struct review_result *res, const char **v)
{
	int rc = 0;

	if (v[OPT_PDF] != NULL) {
		if (res->pdf_path == NULL)
			return fp_fail(FP_ENOTFOUND, "report '%s' has no PDF: "
			    "the review signed only the XML", res->report_tag);
		rc = record_export(res->pdf_path, v[OPT_PDF]);
	}
	if (rc == 0 && v[OPT_XML] != NULL) {
		if (res->xml_path == NULL)
			return fp_fail(FP_ENOTFOUND, "report '%s' has no XML: "
			    "the review signed only the PDF", res->report_tag);
		rc = record_export(res->xml_path, v[OPT_XML]);
	}
	return rc;
}

static int
run_review(const struct cli_context *ctx, int argc, char **argv)
{
	const char *values[OPT_COUNT] = { NULL };
	struct review_request req = { 0 };
	struct review_result res = { 0 };
	struct workspace *ws = NULL;
	int first, status = 0;

	first = cli_parse(&cmd_review, argc, argv, values);
	if (first < 0)
		return first == -2 ? 0 : EXIT_USAGE;
	if (first != argc - 1 || !values[OPT_REVIEWER] ||
	    !values[OPT_DECISION] || !values[OPT_COMMENT] ||
	    !values[OPT_KEY] || !values[OPT_CERT]) {
		fprintf(stderr, "failproof: review: a run id, --reviewer, "
		    "--decision, --comment, --key and --cert are required\n");
		return EXIT_USAGE;
	}
	if (fp_parse_long(argv[first], 1, 1L << 40, &req.run) != 0) {
		cli_error("review");
		return EXIT_USAGE;
	}
	if (strcmp(values[OPT_DECISION], "approve") != 0 &&
	    strcmp(values[OPT_DECISION], "reject") != 0) {
		fprintf(stderr, "failproof: review: invalid --decision '%s': use "
		    "approve or reject\n", values[OPT_DECISION]);
		return EXIT_USAGE;
	}
	req.reviewer = values[OPT_REVIEWER];
	req.decision = values[OPT_DECISION];
	req.comment = values[OPT_COMMENT];
	req.key_pem = values[OPT_KEY];
	req.cert_pem = values[OPT_CERT];

	if (workspace_open(ctx->dir, &ws) != 0 ||
	    review_run(ws, &req, &res) != 0 || export(&res, values) != 0) {
		status = cli_error("review");
		goto out;
	}
	if (ctx->verbosity >= 0) {
		char *who = fp_escape(req.reviewer);

		printf("run %ld: %s %s report %s (%s, commit %.12s)\n",
		    req.run, who, strcmp(req.decision, "approve") == 0 ?
		    "approved" : "rejected", res.report_tag, res.tag,
		    res.commit);
		if (res.pdf_path != NULL)
			printf("  pdf: %s (%zu signatures)\n", res.pdf_path,
			    res.pdf_signatures);
		if (res.xml_path != NULL)
			printf("  xml: %s\n", res.xml_path);
		free(who);
	}
out:
	review_result_release(&res);
	workspace_close(ws);
	return status;
}

const struct cli_command cmd_review = {
	"review", "ID --reviewer NAME --decision approve|reject --comment TEXT "
	"--key KEY.pem --cert CERT.pem",
	"Sign off the latest issued report of a run: the reviewer's signature "
	"is added to its PDF and XML.",
	options, run_review,
};
