/*
 * failproof attest ID PRECONDITION --by NAME --note TEXT: state that a
 * precondition held where the evidence cannot show it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "attest.h"
#include "cli.h"

enum { OPT_BY, OPT_NOTE, OPT_COUNT };

static const struct cli_option options[] = {
	[OPT_BY] = { "by", "NAME", "who attests; the commit's author" },
	[OPT_NOTE] = { "note", "TEXT", "what was checked, and how" },
	{ NULL, NULL, NULL },
};

static int
run_attest(const struct cli_context *ctx, int argc, char **argv)
{
	const char *values[OPT_COUNT] = { NULL };
	struct store_attestation a = { 0 };
	struct workspace *ws = NULL;
	int first, status = 0;
	long id;

	first = cli_parse(&cmd_attest, argc, argv, values);
	if (first < 0)
		return first == -2 ? 0 : EXIT_USAGE;
	if (first != argc - 2 || !values[OPT_BY] || !values[OPT_NOTE]) {
		fprintf(stderr, "failproof: attest: a run id, a precondition, "
		    "--by and --note are required\n");
		return EXIT_USAGE;
	}
	if (fp_parse_long(argv[first], 1, 1L << 40, &id) != 0) {
		cli_error("attest");
		return EXIT_USAGE;
	}
	if (workspace_open(ctx->dir, &ws) != 0 ||
	    attest_record(ws, id, argv[first + 1], values[OPT_BY],
	    values[OPT_NOTE], &a) != 0)
		status = cli_error("attest");
	else if (ctx->verbosity >= 0)
		printf("run %ld: precondition %s attested (commit %.12s); "
		    "evaluate the run again\n", id, a.precondition,
		    a.record.commit_id);
	attest_release(&a);
	workspace_close(ws);
	return status;
}

const struct cli_command cmd_attest = {
	"attest", "ID PRECONDITION --by NAME --note TEXT",
	"Attest a precondition the evidence cannot decide; the run shows it "
	"as attested, not observed.",
	options, run_attest,
};
