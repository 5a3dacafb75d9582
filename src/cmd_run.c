/* failproof run new | run set ID: record a drill run or correct it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

static int
roles_distinct(const struct fp_run *run)
{
	const char *r[3] = { run->primary, run->standby, run->peer };

	for (int a = 0; a < 3; a++)
		for (int b = a + 1; b < 3; b++)
			if (r[a] && r[b] && strcasecmp(r[a], r[b]) == 0)
				return fp_fail(FP_EINVAL, "--primary, --standby "
				    "and --peer must name three different "
				    "hosts");
	return 0;
}

/* Check every option given and copy it into run; the strings stay
 * borrowed from argv. */
static int
apply_options(const char **v, struct fp_run *run)
{
	long scenario;
	fp_time t;
	size_t n;
	int known = 0;

	for (int i = 0; i < OPT_COUNT; i++)
		if (v[i] != NULL && (*v[i] == '\0' || has_control(v[i])))
			return fp_fail(FP_EINVAL, "--%s must not be empty or hold "
			    "control characters", options[i].name);
	if (v[OPT_SCENARIO]) {
		if (fp_parse_long(v[OPT_SCENARIO], 1, 3, &scenario) != 0)
			return fp_fail(FP_EINVAL, "invalid --scenario '%s': use "
			    "1, 2 or 3", v[OPT_SCENARIO]);
		run->scenario = (int)scenario;
	}
	if (v[OPT_METHOD]) {
		for (size_t i = 0; methods[i]; i++)
			known |= strcmp(methods[i], v[OPT_METHOD]) == 0;
		if (!known)
			return fp_fail(FP_EINVAL, "invalid --method '%s': use "
			    "process-kill, power, link-down or graceful",
			    v[OPT_METHOD]);
		run->method = (char *)v[OPT_METHOD];
	}
	if (v[OPT_TUNNEL])
		run->tunnel = (char *)v[OPT_TUNNEL];
	if (v[OPT_EXECUTED_BY])
		run->executed_by = (char *)v[OPT_EXECUTED_BY];
	if (v[OPT_PRIMARY])
		run->primary = (char *)v[OPT_PRIMARY];
	if (v[OPT_STANDBY])
		run->standby = (char *)v[OPT_STANDBY];
	if (v[OPT_PEER])
		run->peer = (char *)v[OPT_PEER];
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
		if (t < 1000)
			return fp_fail(FP_EINVAL, "invalid --max-outage '%s': it "
			    "must be at least 1 ms", v[OPT_MAX_OUTAGE]);
		run->max_outage_ms = t / 1000;
	}
	return roles_distinct(run);
}

static int
check_new(const char **v, struct fp_run *run)
{
	if (!v[OPT_TUNNEL] || !v[OPT_SCENARIO] || !v[OPT_METHOD] ||
	    !v[OPT_EXECUTED_BY])
		return fp_fail(FP_EINVAL, "--tunnel, --scenario, --method and "
		    "--executed-by are required");
	run->failover_at = FP_TIME_NONE;
	run->max_outage_ms = -1;
	return apply_options(v, run);
}

/*
 * failproof run set ID OPTIONS: correct the method, roles, failover
 * instant or maximum outage of a run.  The tunnel, scenario and executor
 * are fixed once recorded: changing who ran a test would undo the
 * separation of duties.
 */
static int
run_set(const struct cli_context *ctx, const char **v, const char *id_text)
{
	struct workspace *ws = NULL;
	struct fp_run run = { 0 }, changed;
	struct fp_buf what = { 0 };
	long id;
	int status = 0;

	if (fp_parse_long(id_text, 1, 1L << 40, &id) != 0) {
		cli_error("run set");
		return EXIT_USAGE;
	}
	if (v[OPT_TUNNEL] || v[OPT_SCENARIO] || v[OPT_EXECUTED_BY]) {
		fprintf(stderr, "failproof: run set: the tunnel, scenario and "
		    "executor of a run cannot change: record a new run\n");
		return EXIT_USAGE;
	}
	for (int i = 0; i < OPT_COUNT; i++)
		if (v[i] != NULL)
			fp_buf_printf(&what, "%s--%s %s", what.len ? ", " : "",
			    options[i].name, v[i]);
	if (what.len == 0) {
		fprintf(stderr, "failproof: run set: nothing to change\n");
		return EXIT_USAGE;
	}
	if (cli_workspace_open(ctx, "run set", &ws) != 0) {
		fp_buf_free(&what);
		return 1;
	}
	if (store_run_get(ws->store, id, &run) != 0) {
		status = cli_error("run set");
		goto out;
	}
	changed = run;
	if (apply_options(v, &changed) != 0) {
		cli_error("run set");
		status = EXIT_USAGE;
		goto out;
	}
	if (workspace_run_update(ws, &changed, what.data) != 0)
		status = cli_error("run set");
	else if (ctx->verbosity >= 0)
		printf("run %ld changed: %s; evaluate it again\n", id, what.data);
out:
	fp_run_release(&run);
	fp_buf_free(&what);
	workspace_close(ws);
	return status;
}

static int
run_run(const struct cli_context *ctx, int argc, char **argv)
{
	const char *values[OPT_COUNT] = { NULL };
	struct workspace *ws = NULL;
	struct fp_run run = { 0 };
	int first, status = 0;

	if (argc >= 3 && strcmp(argv[1], "set") == 0) {
		first = cli_parse(&cmd_run, argc - 1, argv + 1, values);
		if (first < 0)
			return first == -2 ? 0 : EXIT_USAGE;
		if (first != argc - 2) {
			cli_usage(&cmd_run, stderr);
			return EXIT_USAGE;
		}
		return run_set(ctx, values, argv[first + 1]);
	}
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
	if (check_new(values, &run) != 0) {
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
	"run", "new --tunnel NAME --scenario N --method M --executed-by NAME | "
	"set ID [--failover-at T] [--max-outage D] [--method M] [roles]",
	"Record a failover drill run (prints its id as the last line), or "
	"correct its method, roles, failover instant or maximum outage.",
	options, run_run,
};
