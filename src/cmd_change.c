/*
 * failproof change add: record a change to a tunnel, which makes a
 * re-test due.
 */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "change.h"
#include "cli.h"
#include "schedule.h"

enum { OPT_TUNNEL, OPT_KIND, OPT_AT, OPT_BY, OPT_REF, OPT_COUNT };

static const struct cli_option options[] = {
	[OPT_TUNNEL] = { "tunnel", "NAME", "the registered tunnel that "
	    "changed (required)" },
	[OPT_KIND] = { "kind", "KIND", "crypto, timer, software or topology "
	    "(required)" },
	[OPT_AT] = { "at", "TIME", "when the change was made, ISO 8601 or "
	    "a date (required)" },
	[OPT_BY] = { "by", "NAME", "who made it, \"Name\" or \"Name "
	    "<email>\"; the commit's author (required)" },
	[OPT_REF] = { "ref", "TEXT", "change ticket or summary (required)" },
	{ NULL, NULL, NULL },
};

static int
check_args(const char **v, struct store_change *c)
{
	int rc;

	if (!v[OPT_TUNNEL] || !v[OPT_KIND] || !v[OPT_AT] || !v[OPT_BY] ||
	    !v[OPT_REF])
		return fp_fail(FP_EINVAL, "--tunnel, --kind, --at, --by and "
		    "--ref are required");
	if ((rc = change_check_kind(v[OPT_KIND])) != 0 ||
	    (rc = schedule_parse_date("--at", v[OPT_AT], &c->changed_at)) != 0)
		return rc;
	c->tunnel = (char *)v[OPT_TUNNEL];
	c->kind = (char *)v[OPT_KIND];
	c->changed_by = (char *)v[OPT_BY];
	c->ref = (char *)v[OPT_REF];
	return 0;
}

static int
run_change(const struct cli_context *ctx, int argc, char **argv)
{
	const char *values[OPT_COUNT] = { NULL };
	struct store_change c = { 0 };
	struct workspace *ws = NULL;
	int first, status = 0;

	if (argc < 2 || strcmp(argv[1], "add") != 0) {
		int help = argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
		    strcmp(argv[1], "-h") == 0);

		cli_usage(&cmd_change, help ? stdout : stderr);
		return help ? 0 : EXIT_USAGE;
	}
	first = cli_parse(&cmd_change, argc - 1, argv + 1, values);
	if (first < 0)
		return first == -2 ? 0 : EXIT_USAGE;
	if (first < argc - 1) {
		fprintf(stderr, "failproof: change add: unexpected argument "
		    "'%s'\n", argv[first + 1]);
		return EXIT_USAGE;
	}
	if (check_args(values, &c) != 0) {
		cli_error("change add");
		return EXIT_USAGE;
	}
	if (workspace_open(ctx->dir, &ws) != 0 || change_add(ws, &c) != 0)
		status = cli_error("change add");
	else if (ctx->verbosity >= 0)
		printf("recorded change %ld to tunnel %s in commit %.12s\n",
		    c.id, c.tunnel, c.commit_id);
	free(c.record_path);
	free(c.commit_id);
	workspace_close(ws);
	return status;
}

const struct cli_command cmd_change = {
	"change", "add --tunnel NAME --kind KIND --at TIME --by NAME --ref TEXT",
	"Record a change to a tunnel; its scenarios need a passing re-test.",
	options, run_change,
};
