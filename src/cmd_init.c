/* failproof init DIR: create a workspace. */
#include <stdio.h>

#include "cli.h"
#include "workspace.h"

enum { OPT_PROCEDURE };

static const struct cli_option options[] = {
	[OPT_PROCEDURE] = { "procedure", "FILE",
	    "procedure definition (default: the shipped VPN-HA-FAILOVER-TEST)" },
	{ NULL, NULL, NULL },
};

static int
run_init(const struct cli_context *ctx, int argc, char **argv)
{
	const char *values[1] = { NULL };
	struct workspace *ws = NULL;
	const char *dir;
	long procedure;
	int first;

	first = cli_parse(&cmd_init, argc, argv, values);
	if (first < 0)
		return first == -2 ? 0 : EXIT_USAGE;
	if (argc - first > 1) {
		cli_usage(&cmd_init, stderr);
		return EXIT_USAGE;
	}
	dir = first < argc ? argv[first] : ctx->dir;
	if (workspace_create(dir, values[OPT_PROCEDURE], &ws, &procedure) != 0)
		return cli_error("init");
	if (ctx->verbosity >= 0)
		printf("created workspace %s (procedure %ld recorded)\n", dir,
		    procedure);
	workspace_close(ws);
	return 0;
}

const struct cli_command cmd_init = {
	"init", "[DIR]",
	"Create a workspace: a git evidence repository with its SQLite store.",
	options, run_init,
};
