/*
 * failproof waive (--run ID --criterion ID | --defect ID)
 * --justification TEXT --approver NAME --expires DATE: accept a
 * criterion's result or a defect until a date.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "schedule.h"
#include "waiver.h"

enum {
	OPT_RUN, OPT_CRITERION, OPT_DEFECT, OPT_JUSTIFICATION, OPT_APPROVER,
	OPT_EXPIRES, OPT_COUNT
};

static const struct cli_option options[] = {
	[OPT_RUN] = { "run", "ID", "the run whose criterion is waived" },
	[OPT_CRITERION] = { "criterion", "ID", "the criterion, such as "
	    "no-asymmetric-routing" },
	[OPT_DEFECT] = { "defect", "ID", "or the design defect that is "
	    "waived" },
	[OPT_JUSTIFICATION] = { "justification", "TEXT", "why the risk is "
	    "accepted" },
	[OPT_APPROVER] = { "approver", "NAME", "who accepts it; not the "
	    "run's executor" },
	[OPT_EXPIRES] = { "expires", "DATE", "end of the waiver, 2027-03-31 "
	    "(00:00 UTC) or ISO 8601; afterwards the item is not reviewed" },
	{ NULL, NULL, NULL },
};

static int
parse_id(const char *text, long *out)
{
	if (text == NULL) {
		*out = 0;
		return 0;
	}
	return fp_parse_long(text, 1, 1L << 40, out);
}

static int
run_waive(const struct cli_context *ctx, int argc, char **argv)
{
	const char *values[OPT_COUNT] = { NULL };
	struct waiver_request req = { 0 };
	struct store_waiver w = { 0 };
	struct workspace *ws = NULL;
	char expires[FP_TIME_STRLEN];
	int first, status = 0;

	first = cli_parse(&cmd_waive, argc, argv, values);
	if (first < 0)
		return first == -2 ? 0 : EXIT_USAGE;
	if (first != argc) {
		cli_usage(&cmd_waive, stderr);
		return EXIT_USAGE;
	}
	if (parse_id(values[OPT_RUN], &req.run) != 0 ||
	    parse_id(values[OPT_DEFECT], &req.defect) != 0) {
		cli_error("waive");
		return EXIT_USAGE;
	}
	if (values[OPT_EXPIRES] != NULL) {
		fp_time expires;

		if (schedule_parse_date("--expires", values[OPT_EXPIRES],
		    &expires) != 0) {
			cli_error("waive");
			return EXIT_USAGE;
		}
	}
	req.criterion = values[OPT_CRITERION];
	req.justification = values[OPT_JUSTIFICATION];
	req.approver = values[OPT_APPROVER];
	req.expires = values[OPT_EXPIRES];
	if (workspace_open(ctx->dir, &ws) != 0 ||
	    waiver_create(ws, &req, &w) != 0) {
		status = cli_error("waive");
		goto out;
	}
	if (ctx->verbosity >= 0) {
		fp_time_format_ms(w.expires_at, expires, sizeof(expires));
		printf("waiver %ld recorded: expires %s (UTC)\n", w.id,
		    expires);
	}
out:
	waiver_release(&w);
	workspace_close(ws);
	return status;
}

const struct cli_command cmd_waive = {
	"waive", "(--run ID --criterion ID | --defect ID) --justification TEXT "
	"--approver NAME --expires DATE",
	"Waive a criterion of a run or a defect until a date; an expired "
	"waiver leaves the item not reviewed.",
	options, run_waive,
};
