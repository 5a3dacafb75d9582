/* failproof import --run ID PATH...: archive and parse evidence files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "import.h"

enum { OPT_RUN, OPT_KIND, OPT_HOST, OPT_TZ, OPT_YEAR, OPT_STRICT,
	OPT_RULES, OPT_COUNT };

static const struct cli_option options[] = {
	[OPT_RUN] = { "run", "ID", "run the evidence belongs to (required)" },
	[OPT_KIND] = { "kind", "KIND", "syslog, pcap, iperf3 or ping "
	    "(default: detected from the content)" },
	[OPT_HOST] = { "host", "NAME", "host of lines that name none, and "
	    "where a capture was taken" },
	[OPT_TZ] = { "tz", "ZONE", "time zone of timestamps without one, "
	    "e.g. Europe/Berlin (default: UTC)" },
	[OPT_YEAR] = { "year", "YYYY", "year of RFC 3164 timestamps "
	    "(default: inferred from the run date)" },
	[OPT_STRICT] = { "strict", NULL, "reject a capture whose last record "
	    "is cut short instead of importing it in part" },
	[OPT_RULES] = { "rules", "DIR", "extra folder of vendor rule files" },
	{ NULL, NULL, NULL },
};

static void
report_result(const struct cli_context *ctx, const char *path,
    const struct import_result *res, int failed)
{
	char *name = fp_escape(path);

	for (size_t i = 0; i < res->n_warnings && ctx->verbosity >= 0; i++) {
		char *w = fp_escape(res->warnings[i]);

		fprintf(stderr, "failproof: import: warning: '%s' %s\n", name,
		    w);
		free(w);
	}
	if (res->warnings_dropped > 0 && ctx->verbosity >= 0)
		fprintf(stderr, "failproof: import: '%s': %zu more warnings "
		    "not shown\n", name, res->warnings_dropped);
	if (failed) {
		/* The error itself is printed by the caller. */
	} else if (res->duplicate) {
		if (ctx->verbosity >= 0)
			printf("%s: already imported (same SHA-256 %.12s, "
			    "commit %.12s); nothing to do\n", name,
			    res->sha256, res->commit);
	} else if (ctx->verbosity >= 0) {
		printf("%s: %s, %ld events, %ld samples, %ld packets, "
		    "sha256 %.12s, commit %.12s%s%s\n", name, res->kind,
		    res->events, res->samples, res->packets, res->sha256,
		    res->commit, res->partial ? "; PARTIAL: " : "",
		    res->partial ? res->partial : "");
	}
	free(name);
}

static int
run_import(const struct cli_context *ctx, int argc, char **argv)
{
	const char *values[OPT_COUNT] = { NULL };
	const char *rule_dirs[2] = { NULL, NULL };
	struct fp_import_opts opts = { 0 };
	struct workspace *ws = NULL;
	struct fp_run run = { 0 };
	long id, year = 0;
	int first, status = 0;

	first = cli_parse(&cmd_import, argc, argv, values);
	if (first < 0)
		return first == -2 ? 0 : EXIT_USAGE;
	if (values[OPT_RUN] == NULL || first >= argc) {
		fprintf(stderr, "failproof: import: --run ID and at least one "
		    "file are required\n");
		return EXIT_USAGE;
	}
	if (fp_parse_long(values[OPT_RUN], 1, 1L << 40, &id) != 0 ||
	    (values[OPT_YEAR] && fp_parse_long(values[OPT_YEAR], 1970, 9999,
	    &year) != 0)) {
		cli_error("import");
		return EXIT_USAGE;
	}
	if (cli_workspace_open(ctx, "import", &ws) != 0)
		return 1;
	if (store_run_get(ws->store, id, &run) != 0) {
		status = cli_error("import");
		goto out;
	}
	rule_dirs[0] = values[OPT_RULES];
	opts.host = values[OPT_HOST];
	opts.tz = values[OPT_TZ];
	opts.year = (int)year;
	opts.strict = values[OPT_STRICT] != NULL;
	opts.rule_dirs = rule_dirs;
	opts.reference = run.failover_at != FP_TIME_NONE ? run.failover_at :
	    run.created_at;

	for (int i = first; i < argc; i++) {
		struct import_result res;

		if (import_file(ws, &run, argv[i], values[OPT_KIND], &opts,
		    &res) != 0) {
			report_result(ctx, argv[i], &res, 1);
			status = cli_error("import");
			import_result_release(&res);
			break;
		}
		report_result(ctx, argv[i], &res, 0);
		import_result_release(&res);
	}
out:
	fp_run_release(&run);
	workspace_close(ws);
	return status;
}

const struct cli_command cmd_import = {
	"import", "--run ID [--kind K] [--host NAME] FILE...",
	"Archive evidence files in the workspace and store what they show; "
	"each file is one transaction and one commit.",
	options, run_import,
};
