/* failproof rebuild: rebuild the store from the evidence repository. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "workspace.h"

static const struct cli_option options[] = {
	{ NULL, NULL, NULL },
};

static void
report_stats(const char *dir, const struct rebuild_stats *st)
{
	if (st->moved_to)
		printf("moved the old store to %s\n", st->moved_to);
	printf("rebuilt the store of %s: %d runs, %d evidence files, "
	    "%d evaluations, %d defects\n", dir, st->runs, st->evidence,
	    st->evaluations, st->defects);
	printf("  review: %d reports, %d reviews, %d attestations, %d waivers, "
	    "%d defect changes\n", st->reports, st->reviews,
	    st->attestations, st->waivers, st->defect_changes);
	printf("  schedule: %d procedure rows, %d approvals, %d tunnels, "
	    "%d change records, %d clock offsets\n", st->procedures,
	    st->approvals, st->tunnels, st->changes, st->clock_offsets);
}

/* What the repository could not give back in full: warnings on stderr. */
static void
report_gaps(const struct rebuild_stats *st)
{
	if (st->signers_missing > 0)
		fprintf(stderr, "failproof: rebuild: warning: %d reports were "
		    "issued before reports recorded their signer: their "
		    "signer's name and certificate are not restored, so a "
		    "review is checked against the executor's name only\n",
		    st->signers_missing);
	if (st->tags_missing > 0)
		fprintf(stderr, "failproof: rebuild: warning: %d report or "
		    "review tags are missing or name another commit: the "
		    "records are restored from their commits\n",
		    st->tags_missing);
	if (st->rules_differ > 0)
		fprintf(stderr, "failproof: rebuild: warning: %d syslog files "
		    "were parsed again with vendor rules other than those of "
		    "their import (a --rules folder is gone, or rule files "
		    "changed): their events may differ\n", st->rules_differ);
	if (st->old_sidecars > 0)
		fprintf(stderr, "failproof: rebuild: warning: %d evidence files "
		    "have sidecars from before they recorded --clock-offset, "
		    "--markers, --rules, --skip-bad and --at: they were parsed "
		    "again without these options\n", st->old_sidecars);
	if (st->old_records > 0)
		fprintf(stderr, "failproof: rebuild: warning: %d records were "
		    "written before records stated their time and, for "
		    "tunnels, who registered them: their rows take the time "
		    "of their commit, to the second\n", st->old_records);
	if (st->changes_refused > 0)
		fprintf(stderr, "failproof: rebuild: %d defect changes were "
		    "committed after their defect was verified: the store "
		    "rejected them then and rejects them again\n",
		    st->changes_refused);
}

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
	if (ctx->verbosity >= 0)
		report_stats(ctx->dir, &st);
	report_gaps(&st);
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
