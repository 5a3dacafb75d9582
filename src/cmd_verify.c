/*
 * failproof verify FILE...: check the signatures of PDF and XML reports
 * and, inside a workspace, that the evidence they were built from is in
 * the evidence repository with the recorded SHA-256.
 *
 * Exit status: 0 when every file verifies, 3 (EXIT_NOT_VERIFIED) when one
 * does not, 1 when a file cannot be read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pdf_verify.h"
#include "report_cited.h"
#include "workspace.h"
#include "xml_sign.h"

enum { OPT_TRUSTED, OPT_COUNT };

static const struct cli_option options[] = {
	[OPT_TRUSTED] = { "trusted", "CERT.pem", "accept only signatures "
	    "that chain to this certificate" },
	{ NULL, NULL, NULL },
};

/*
 * Check every evidence file the report cites against the folder of its
 * run in the evidence commit the report names.  The store is not asked:
 * a lost or rebuilt index must not make a report look complete.
 */
static int
check_cited(struct workspace *ws, const struct report_cited *c,
    const char *name)
{
	char *dir;
	int rc = 0;

	if (c->n == 0)
		return fp_fail(FP_EVERIFY, "'%s' cites no evidence files", name);
	dir = xasprintf("runs/run-%04ld/evidence", c->run);
	for (size_t i = 0; i < c->n && rc == 0; i++)
		rc = evrepo_folder_has(ws->repo, c->commit, dir, c->sha256[i]);
	free(dir);
	if (rc == FP_ENOTFOUND)
		return fp_fail(FP_EVERIFY, "'%s': %s: the report's evidence is "
		    "not in this workspace", name, fp_errmsg());
	if (rc != 0)
		return fp_fail_context(FP_EVERIFY, "'%s': a cited evidence file "
		    "is missing or changed", name);
	printf("  evidence commit %.12s present, all %zu cited files match "
	    "their SHA-256\n", c->commit, c->n);
	return 0;
}

static int
verify_pdf(const char *path, struct workspace *ws)
{
	struct pdf_verify_result res = { 0 };
	struct report_cited cited = { 0 };
	int rc;

	rc = pdf_verify(path, &res);
	/* A PDF that reads but no longer parses after signing has been
	 * changed: that is a report that does not verify, not an I/O
	 * error. */
	if (rc == FP_EINVAL)
		rc = FP_EVERIFY;
	for (size_t i = 0; i < res.n_signatures; i++)
		printf("  signature %zu: %s by %s%s\n", i + 1,
		    res.signatures[i].valid ? "valid" : "INVALID",
		    res.signatures[i].signer ? res.signatures[i].signer : "?",
		    res.signatures[i].whole_file ? ", covers the whole file" :
		    "");
	if (rc == 0 && ws != NULL) {
		rc = report_cited_from_keywords(res.keywords, &cited);
		if (rc == 0)
			rc = check_cited(ws, &cited, path);
		report_cited_release(&cited);
	}
	pdf_verify_result_free(&res);
	return rc;
}

static int
verify_xml(const char *path, const char *trusted, struct workspace *ws)
{
	struct xml_verify_result res = { 0 };
	int rc;

	if ((rc = xml_sign_init()) != 0)
		return rc;
	rc = xml_verify_file(path, trusted, &res);
	for (size_t i = 0; rc == 0 && i < res.n_signers; i++)
		printf("  signature %zu: valid, signed by %s%s%s%s%s\n", i + 1,
		    res.signers[i].subject ? res.signers[i].subject : "?",
		    res.signers[i].trusted ? " (trusted)" : "",
		    res.signers[i].signoff_id ? ", reviewer's sign-off '" : "",
		    res.signers[i].signoff_id ? res.signers[i].signoff_id : "",
		    res.signers[i].signoff_id ? "'" : "");
	xml_verify_result_release(&res);
	if (rc == 0 && ws != NULL) {
		struct report_cited cited = { 0 };

		rc = report_cited_from_xml(path, &cited);
		if (rc == 0)
			rc = check_cited(ws, &cited, path);
		report_cited_release(&cited);
	}
	return rc;
}

static int
is_pdf(const char *path)
{
	char head[5] = "";
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return 0;
	if (fread(head, 1, 4, f) != 4)
		head[0] = '\0';
	fclose(f);
	return memcmp(head, "%PDF", 4) == 0;
}

static int
run_verify(const struct cli_context *ctx, int argc, char **argv)
{
	const char *values[OPT_COUNT] = { NULL };
	struct workspace *ws = NULL;
	int first, status = 0, rc;

	first = cli_parse(&cmd_verify, argc, argv, values);
	if (first < 0)
		return first == -2 ? 0 : EXIT_USAGE;
	if (first >= argc) {
		cli_usage(&cmd_verify, stderr);
		return EXIT_USAGE;
	}
	/* Without a workspace only the signatures are checked, and the
	 * output states that. */
	if (workspace_open(ctx->dir, &ws) != 0) {
		char *reason = fp_escape(fp_errmsg());

		printf("evidence not checked: %s\n", reason);
		free(reason);
		ws = NULL;
	}
	for (int i = first; i < argc; i++) {
		char *name = fp_escape(argv[i]);

		printf("%s:\n", name);
		rc = is_pdf(argv[i]) ? verify_pdf(argv[i], ws) :
		    verify_xml(argv[i], values[OPT_TRUSTED], ws);
		if (rc == 0) {
			printf("%s: verified\n", name);
		} else {
			cli_error("verify");
			if (rc == FP_EVERIFY && status != 1)
				status = EXIT_NOT_VERIFIED;
			else
				status = 1;
		}
		free(name);
	}
	workspace_close(ws);
	xml_sign_shutdown();
	return status;
}

const struct cli_command cmd_verify = {
	"verify", "[--trusted CERT.pem] FILE...",
	"Check the signatures of reports and, in a workspace, the evidence "
	"they cite. Exit status 3: a file does not verify.",
	options, run_verify,
};
