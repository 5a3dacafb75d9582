/*
 * failproof export oscal|junit --quarter Q: hand the facts of a period
 * to compliance tools (NIST OSCAL) and CI dashboards (JUnit XML).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "junit_export.h"
#include "oscal.h"

enum { OPT_QUARTER, OPT_FROM, OPT_TO, OPT_OUT, OPT_COUNT };

static const struct cli_option options[] = {
	[OPT_QUARTER] = { "quarter", "YYYYQN", "the calendar quarter (UTC), "
	    "such as 2026Q4" },
	[OPT_FROM] = { "from", "DATE", "first day of another period, with "
	    "--to" },
	[OPT_TO] = { "to", "DATE", "last day of that period" },
	[OPT_OUT] = { "out", "PATH", "oscal: the folder to write (default "
	    "oscal-LABEL); junit: the file (default junit-LABEL.xml)" },
	{ NULL, NULL, NULL },
};

static int
export(struct workspace *ws, const char *format, const char **v)
{
	struct quarterly q;
	fp_time from, to;
	char *label = NULL, *out;
	int rc, poam = 0;

	if ((rc = quarterly_period(v[OPT_QUARTER], v[OPT_FROM], v[OPT_TO],
	    &label, &from, &to)) != 0)
		return rc;
	rc = quarterly_load(ws, label, from, to, &q);
	free(label);
	if (rc != 0)
		return rc;
	if (strcmp(format, "oscal") == 0) {
		out = v[OPT_OUT] ? xstrdup(v[OPT_OUT]) :
		    xasprintf("oscal-%s", q.label);
		rc = oscal_export(ws, &q, out, &poam);
		if (rc == 0)
			printf("wrote %s/%s and %s/%s\n%s\n", out,
			    OSCAL_CATALOG_FILE, out, OSCAL_RESULTS_FILE, poam ?
			    "wrote the POA&M of the open defects" :
			    "no defect was open at the end of the period: no "
			    "POA&M written");
	} else {
		out = v[OPT_OUT] ? xstrdup(v[OPT_OUT]) :
		    xasprintf("junit-%s.xml", q.label);
		rc = junit_export(&q, out);
		if (rc == 0)
			printf("wrote %s: %zu test cases\n", out, q.n_runs);
	}
	free(out);
	quarterly_release(&q);
	return rc;
}

static int
run_export(const struct cli_context *ctx, int argc, char **argv)
{
	const char *values[OPT_COUNT] = { NULL };
	struct workspace *ws = NULL;
	const char *format;
	int first, status = 0;

	if (argc < 2 || (strcmp(argv[1], "oscal") != 0 &&
	    strcmp(argv[1], "junit") != 0)) {
		int help = argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
		    strcmp(argv[1], "-h") == 0);

		cli_usage(&cmd_export, help ? stdout : stderr);
		return help ? 0 : EXIT_USAGE;
	}
	format = argv[1];
	first = cli_parse(&cmd_export, argc - 1, argv + 1, values);
	if (first < 0)
		return first == -2 ? 0 : EXIT_USAGE;
	if (first != argc - 1 || (!values[OPT_QUARTER] &&
	    (!values[OPT_FROM] || !values[OPT_TO]))) {
		fprintf(stderr, "failproof: export: --quarter, or --from and "
		    "--to, is required\n");
		return EXIT_USAGE;
	}
	if (workspace_open(ctx->dir, &ws) != 0 || export(ws, format,
	    values) != 0)
		status = cli_error("export");
	workspace_close(ws);
	return status;
}

const struct cli_command cmd_export = {
	"export", "oscal|junit --quarter YYYYQN [--out PATH]",
	"Export a period as NIST OSCAL assessment results or JUnit XML.",
	options, run_export,
};
