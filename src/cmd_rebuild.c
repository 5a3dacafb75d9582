/* failproof rebuild: rebuild the store from the evidence repository. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "workspace.h"

static const struct cli_option options[] = {
	{ NULL, NULL, NULL },
};

static int
run_rebuild(const struct cli_context *ctx, int argc, char **argv)
{
	struct rebuild_stats st;
	struct workspace *ws = NULL;
	const char *values[1] = { NULL };
	int first;

	first = cli_parse(&cmd_rebuild, argc, argv, values);
	if (first < 0)
		return first == -2 ? 0 : EXIT_USAGE;
	if (first != argc) {
		cli_usage(&cmd_rebuild, stderr);
		return EXIT_USAGE;
	}
	if (workspace_rebuild(ctx->dir, &ws, &st) != 0) {
		free(st.moved_to);
		return cli_error("rebuild");
	}
	if (ctx->verbosity >= 0) {
		if (st.moved_to)
			printf("moved the old store to %s\n", st.moved_to);
		printf("rebuilt the store of %s: %d runs, %d evidence files, "
		    "%d evaluations\n", ctx->dir, st.runs, st.evidence,
		    st.evaluations);
	}
	free(st.moved_to);
	workspace_close(ws);
	return 0;
}

const struct cli_command cmd_rebuild = {
	"rebuild", "",
	"Rebuild the workspace's SQLite store from its evidence repository "
	"(the old store is moved aside).",
	options, run_rebuild,
};
