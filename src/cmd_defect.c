/*
 * failproof defect ID set [--owner NAME] [--due DATE] [--status fixed]
 * [--by NAME]: change a design defect.  Verifying it is left to a
 * passing run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "defect.h"

enum { OPT_OWNER, OPT_DUE, OPT_STATUS, OPT_BY, OPT_COUNT };

static const struct cli_option options[] = {
	[OPT_OWNER] = { "owner", "NAME", "who fixes the design" },
	[OPT_DUE] = { "due", "DATE", "due date, 2027-03-31 (00:00 UTC) or ISO "
	    "8601" },
	[OPT_STATUS] = { "status", "fixed", "the owner's claim that it is "
	    "fixed; a passing re-run verifies it" },
	[OPT_BY] = { "by", "NAME", "who makes the change (default: the "
	    "owner)" },
	{ NULL, NULL, NULL },
};

static int
run_defect(const struct cli_context *ctx, int argc, char **argv)
{
	const char *values[OPT_COUNT] = { NULL };
	struct defect_change_request req = { 0 };
	struct workspace *ws = NULL;
	int first, status = 0;

	first = cli_parse(&cmd_defect, argc, argv, values);
	if (first < 0)
		return first == -2 ? 0 : EXIT_USAGE;
	if (first != argc - 2 || strcmp(argv[first + 1], "set") != 0) {
		cli_usage(&cmd_defect, stderr);
		return EXIT_USAGE;
	}
	if (fp_parse_long(argv[first], 1, 1L << 40, &req.id) != 0) {
		cli_error("defect");
		return EXIT_USAGE;
	}
	req.owner = values[OPT_OWNER];
	req.due = values[OPT_DUE];
	req.status = values[OPT_STATUS];
	req.actor = values[OPT_BY];
	if (workspace_open(ctx->dir, &ws) != 0 || defect_set(ws, &req) != 0)
		status = cli_error("defect");
	else if (ctx->verbosity >= 0)
		printf("defect %ld changed\n", req.id);
	workspace_close(ws);
	return status;
}

const struct cli_command cmd_defect = {
	"defect", "ID set [--owner NAME] [--due DATE] [--status fixed] "
	"[--by NAME]",
	"Set a defect's owner or due date, or mark it fixed; a passing re-run "
	"of its tunnel and scenario verifies it.",
	options, run_defect,
};
