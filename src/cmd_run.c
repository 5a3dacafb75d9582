/* failproof run new: record a drill run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "workspace.h"

enum {
	OPT_TUNNEL, OPT_SCENARIO, OPT_METHOD, OPT_EXECUTED_BY, OPT_PRIMARY,
	OPT_STANDBY, OPT_PEER, OPT_FAILOVER_AT, OPT_MAX_OUTAGE, OPT_COUNT
};

static const struct cli_option options[] = {
	[OPT_TUNNEL] = { "tunnel", "NAME", "tunnel under test (required)" },
	[OPT_SCENARIO] = { "scenario", "1|2|3", "procedure scenario "
	    "(required): 1 control plane, 2 data plane, 3 failback" },
	[OPT_METHOD] = { "method", "METHOD", "how the primary was failed "
	    "(required): process-kill, power, link-down or graceful" },
	[OPT_EXECUTED_BY] = { "executed-by", "NAME",
	    "engineer who ran the test (required)" },
	[OPT_PRIMARY] = { "primary", "HOST", "host name of the failed unit" },
	[OPT_STANDBY] = { "standby", "HOST", "host name of the unit that "
	    "takes over" },
	[OPT_PEER] = { "peer", "HOST", "host name of the remote gateway" },
	[OPT_FAILOVER_AT] = { "failover-at", "ISO8601", "instant the primary "
	    "was failed (default: the earliest HA takeover in the evidence)" },
	[OPT_MAX_OUTAGE] = { "max-outage", "DURATION", "maximum outage, "
	    "e.g. 5s or 2500ms (default: the procedure's)" },
	{ NULL, NULL, NULL },
};

static const char *const methods[] = { "process-kill", "power", "link-down",
	"graceful", NULL };

static int
check_args(const char **v, struct fp_run *run)
{
	long scenario;
	fp_time t;
	size_t n;
	int known = 0;

	if (!v[OPT_TUNNEL] || !v[OPT_SCENARIO] || !v[OPT_METHOD] ||
	    !v[OPT_EXECUTED_BY])
		return fp_fail(FP_EINVAL, "--tunnel, --scenario, --method and "
		    "--executed-by are required");
	if (fp_parse_long(v[OPT_SCENARIO], 1, 3, &scenario) != 0)
		return fp_fail(FP_EINVAL, "invalid --scenario '%s': use 1, 2 "
		    "or 3", v[OPT_SCENARIO]);
	for (size_t i = 0; methods[i]; i++)
		known |= strcmp(methods[i], v[OPT_METHOD]) == 0;
	if (!known)
		return fp_fail(FP_EINVAL, "invalid --method '%s': use "
		    "process-kill, power, link-down or graceful",
		    v[OPT_METHOD]);
	run->tunnel = (char *)v[OPT_TUNNEL];
	run->scenario = (int)scenario;
	run->method = (char *)v[OPT_METHOD];
	run->executed_by = (char *)v[OPT_EXECUTED_BY];
	run->primary = (char *)v[OPT_PRIMARY];
	run->standby = (char *)v[OPT_STANDBY];
	run->peer = (char *)v[OPT_PEER];
	run->failover_at = FP_TIME_NONE;
	run->max_outage_ms = -1;
	if (v[OPT_FAILOVER_AT] != NULL) {
		n = fp_time_parse_iso(v[OPT_FAILOVER_AT], &t);
		if (n == 0 || v[OPT_FAILOVER_AT][n] != '\0')
			return fp_fail(FP_EINVAL, "invalid --failover-at '%s': "
			    "expected ISO 8601 such as "
			    "2026-12-04T19:49:25.750Z", v[OPT_FAILOVER_AT]);
		run->failover_at = t;
	}
	if (v[OPT_MAX_OUTAGE] != NULL) {
		if (fp_duration_parse(v[OPT_MAX_OUTAGE], &t) != 0)
			return FP_EINVAL;
		run->max_outage_ms = t / 1000;
	}
	return 0;
}

static int
run_run(const struct cli_context *ctx, int argc, char **argv)
{
	const char *values[OPT_COUNT] = { NULL };
	struct workspace *ws = NULL;
	struct fp_run run = { 0 };
	int first, status = 0;

	if (argc < 2 || strcmp(argv[1], "new") != 0) {
		if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
		    strcmp(argv[1], "-h") == 0)) {
			cli_usage(&cmd_run, stdout);
			return 0;
		}
		cli_usage(&cmd_run, stderr);
		return EXIT_USAGE;
	}
	first = cli_parse(&cmd_run, argc - 1, argv + 1, values);
	if (first < 0)
		return first == -2 ? 0 : EXIT_USAGE;
	if (first < argc - 1) {
		fprintf(stderr, "failproof: run: unexpected argument '%s'\n",
		    argv[first + 1]);
		return EXIT_USAGE;
	}
	if (check_args(values, &run) != 0) {
		cli_error("run new");
		return EXIT_USAGE;
	}
	if (cli_workspace_open(ctx, "run new", &ws) != 0)
		return 1;
	if (workspace_run_create(ws, &run) != 0)
		status = cli_error("run new");
	else if (ctx->verbosity >= 0)
		printf("%ld\n", run.id);
	workspace_close(ws);
	return status;
}

const struct cli_command cmd_run = {
	"run", "new --tunnel NAME --scenario N --method M --executed-by NAME",
	"Record a failover drill run; prints its id as the last line.",
	options, run_run,
};
