/*
 * failproof procedure show|revise|approve: document control of the test
 * procedure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "procedure_revision.h"
#include "schedule.h"

enum { OPT_AUTHOR, OPT_SUMMARY, OPT_BY, OPT_AT, OPT_COUNT };

static const struct cli_option options[] = {
	[OPT_AUTHOR] = { "author", "NAME", "revise: who wrote the revision "
	    "(required)" },
	[OPT_SUMMARY] = { "summary", "TEXT", "revise: what changed "
	    "(required)" },
	[OPT_BY] = { "by", "NAME", "approve: who approves; not the author "
	    "(required)" },
	[OPT_AT] = { "at", "DATE", "approve: when it was approved, a date "
	    "or ISO 8601 time (default: now)" },
	{ NULL, NULL, NULL },
};

static void
print_time(const char *label, fp_time t, const char *who)
{
	char when[FP_TIME_STRLEN];
	char *name;

	if (t == FP_TIME_NONE)
		return;
	fp_time_format_ms(t, when, sizeof(when));
	name = who ? fp_escape(who) : NULL;
	printf("  %-12s %s%s%s\n", label, when, name ? " by " : "",
	    name ? name : "");
	free(name);
}

static int
show(struct workspace *ws)
{
	struct store_revision *v = NULL;
	size_t n = 0;
	int rc;

	if ((rc = store_revision_list(ws->store, &v, &n)) != 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		char *summary = v[i].summary ? fp_escape(v[i].summary) : NULL;

		printf("%s revision %s: %s (procedure row %ld, sha256 %.16s)\n",
		    v[i].procedure_id, v[i].revision, v[i].status,
		    v[i].procedure, v[i].sha256);
		print_time("revised", v[i].revised_at, v[i].author);
		if (summary != NULL)
			printf("  %-12s %s\n", "summary", summary);
		print_time("approved", v[i].approved_at, v[i].approved_by);
		print_time("reviewed", v[i].reviewed_at, v[i].reviewed_by);
		print_time("superseded", v[i].superseded_at, NULL);
		free(summary);
	}
	store_revision_list_free(v, n);
	return 0;
}

static int
run_procedure(const struct cli_context *ctx, int argc, char **argv)
{
	const char *values[OPT_COUNT] = { NULL };
	struct workspace *ws = NULL;
	const char *verb;
	char *label;
	fp_time at = FP_TIME_NONE;
	long id = 0;
	int first, rc, status = 0, args;

	if (argc < 2 || (strcmp(argv[1], "show") != 0 &&
	    strcmp(argv[1], "revise") != 0 &&
	    strcmp(argv[1], "approve") != 0)) {
		int help = argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
		    strcmp(argv[1], "-h") == 0);

		cli_usage(&cmd_procedure, help ? stdout : stderr);
		return help ? 0 : EXIT_USAGE;
	}
	verb = argv[1];
	first = cli_parse(&cmd_procedure, argc - 1, argv + 1, values);
	if (first < 0)
		return first == -2 ? 0 : EXIT_USAGE;
	first++;
	args = strcmp(verb, "show") == 0 ? 0 : 1;
	if (argc - first != args) {
		fprintf(stderr, "failproof: procedure %s: %s\n", verb,
		    args ? "name one file (revise) or revision (approve)" :
		    "show takes no arguments");
		return EXIT_USAGE;
	}
	if (values[OPT_AT] != NULL &&
	    schedule_parse_date("--at", values[OPT_AT], &at) != 0) {
		cli_error("procedure");
		return EXIT_USAGE;
	}
	label = xasprintf("procedure %s", verb);
	if (workspace_open(ctx->dir, &ws) != 0) {
		status = cli_error(label);
		goto out;
	}
	if (strcmp(verb, "show") == 0)
		rc = show(ws);
	else if (strcmp(verb, "revise") == 0)
		rc = procedure_revise(ws, argv[first], values[OPT_AUTHOR],
		    values[OPT_SUMMARY], &id);
	else
		rc = procedure_approve(ws, argv[first], values[OPT_BY], at);
	if (rc != 0)
		status = cli_error(label);
	else if (strcmp(verb, "revise") == 0 && ctx->verbosity >= 0)
		printf("recorded procedure row %ld as a draft; approve it with "
		    "'failproof procedure approve REVISION --by NAME'\n", id);
	else if (strcmp(verb, "approve") == 0 && ctx->verbosity >= 0)
		printf("approved revision %s\n", argv[first]);
out:
	free(label);
	workspace_close(ws);
	return status;
}

const struct cli_command cmd_procedure = {
	"procedure", "show | revise FILE --author NAME --summary TEXT | "
	"approve REVISION --by NAME [--at DATE]",
	"Show the procedure's revisions, record a new one, or approve one.",
	options, run_procedure,
};
