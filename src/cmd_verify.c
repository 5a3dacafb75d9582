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
#include "workspace.h"
#include "xml_sign.h"

enum { OPT_TRUSTED, OPT_COUNT };

static const struct cli_option options[] = {
	[OPT_TRUSTED] = { "trusted", "CERT.pem", "accept only signatures "
	    "that chain to this certificate" },
	{ NULL, NULL, NULL },
};

#define COMMIT_KEY "failproof-evidence-commit:"

/* Check the evidence commit and every archived file it holds. */
static int
check_evidence(struct workspace *ws, const char *commit, const char *name)
{
	struct store_evidence *v = NULL;
	size_t n = 0, checked = 0;
	char head[41];
	int rc;

	if (commit == NULL || strlen(commit) != 40)
		return fp_fail(FP_EVERIFY, "'%s' names no evidence commit",
		    name);
	if (evrepo_head(ws->repo, head) != 0)
		return FP_ENOTFOUND;
	if ((rc = store_evidence_all(ws->store, &v, &n)) != 0)
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++) {
		rc = evrepo_check_file(ws->repo, commit, v[i].repo_path,
		    v[i].sha256);
		if (rc == FP_ENOTFOUND && strstr(fp_errmsg(), "is not in "
		    "commit") != NULL)
			rc = 0;	/* archived after this report's evidence */
		else if (rc == 0)
			checked++;
	}
	store_evidence_list_free(v, n);
	if (rc == FP_ENOTFOUND)
		return fp_fail(FP_EVERIFY, "'%s': evidence commit %.12s is not "
		    "in this workspace", name, commit);
	if (rc != 0)
		return FP_EVERIFY;
	printf("  evidence commit %.12s present, %zu archived files match "
	    "their SHA-256\n", commit, checked);
	return 0;
}

static int
verify_pdf(const char *path, struct workspace *ws)
{
	struct pdf_verify_result res = { 0 };
	const char *commit = NULL;
	char hex[41] = "";
	int rc;

	rc = pdf_verify(path, &res);
	for (size_t i = 0; i < res.n_signatures; i++)
		printf("  signature %zu: %s by %s%s\n", i + 1,
		    res.signatures[i].valid ? "valid" : "INVALID",
		    res.signatures[i].signer ? res.signatures[i].signer : "?",
		    res.signatures[i].whole_file ? ", covers the whole file" :
		    "");
	if (rc == 0 && ws != NULL && res.keywords &&
	    (commit = strstr(res.keywords, COMMIT_KEY)) != NULL) {
		snprintf(hex, sizeof(hex), "%s", commit + strlen(COMMIT_KEY));
		rc = check_evidence(ws, hex, path);
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
		printf("  signature %zu: valid, signed by %s%s\n", i + 1,
		    res.signers[i].subject ? res.signers[i].subject : "?",
		    res.signers[i].trusted ? " (trusted)" : "");
	if (rc == 0 && ws != NULL)
		rc = check_evidence(ws, res.evidence_commit, path);
	xml_verify_result_release(&res);
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
	/* Without a workspace only the signatures are checked. */
	if (workspace_open(ctx->dir, &ws) != 0)
		ws = NULL;
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
