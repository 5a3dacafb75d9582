/* failproof evaluate ID: classify the run and judge its criteria. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "evaluate.h"

enum { OPT_JSON, OPT_COUNT };

static const struct cli_option options[] = {
	[OPT_JSON] = { "json", NULL, "print the result as one JSON object" },
	{ NULL, NULL, NULL },
};

static const char *
str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "-";
}

static void
print_ms(const char *label, json_t *v)
{
	if (json_is_integer(v))
		printf("%-14s %lld.%03lld s\n", label,
		    (long long)json_integer_value(v) / 1000,
		    (long long)json_integer_value(v) % 1000);
	else
		printf("%-14s open: traffic did not recover before the "
		    "evidence ends\n", label);
}

static void
print_text(json_t *o)
{
	size_t i;
	json_t *c;

	printf("run %lld: verdict %s", (long long)json_integer_value(
	    json_object_get(o, "run")), str(o, "verdict"));
	if (json_is_string(json_object_get(o, "cause")))
		printf(" / %s", str(o, "cause"));
	printf(" (outcome %s)\n", str(o, "outcome"));
	printf("%s\n", str(o, "summary"));
	printf("outcome: %s\n\n", str(o, "outcome_reason"));
	printf("%-14s %s, standby %s, peer %s (%s)\n", "primary",
	    str(o, "primary"), str(o, "standby"), str(o, "peer"),
	    str(o, "roles_source"));
	printf("%-14s %s (%s)\n", "failover at", str(o, "failover_at"),
	    str(o, "failover_source"));
	print_ms("MTTR", json_object_get(o, "mttr_ms"));
	print_ms("loss window", json_object_get(o, "loss_window_ms"));
	printf("\ncriteria:\n");
	json_array_foreach(json_object_get(o, "criteria"), i, c)
		printf("  %-22s %-13s %s\n", str(c, "id"), str(c, "result"),
		    str(c, "reason"));
	printf("\ndecision path:\n");
	json_array_foreach(json_object_get(o, "decision_path"), i, c)
		printf("  Q%lld %s %s: %s\n", (long long)json_integer_value(
		    json_object_get(c, "question")), str(c, "text"),
		    str(c, "answer"), str(c, "explanation"));
	if (json_is_object(json_object_get(o, "defect")))
		printf("\ndesign defect %lld opened\n", (long long)
		    json_integer_value(json_object_get(json_object_get(o,
		    "defect"), "id")));
}

static int
run_evaluate(const struct cli_context *ctx, int argc, char **argv)
{
	const char *values[OPT_COUNT] = { NULL };
	struct workspace *ws = NULL;
	json_t *result = NULL;
	int first, status = 0;
	long id;

	first = cli_parse(&cmd_evaluate, argc, argv, values);
	if (first < 0)
		return first == -2 ? 0 : EXIT_USAGE;
	if (first != argc - 1) {
		cli_usage(&cmd_evaluate, stderr);
		return EXIT_USAGE;
	}
	if (fp_parse_long(argv[first], 1, 1L << 40, &id) != 0) {
		cli_error("evaluate");
		return EXIT_USAGE;
	}
	if (cli_workspace_open(ctx, "evaluate", &ws) != 0)
		return 1;
	if (evaluate_run(ws, id, &result) != 0) {
		status = cli_error("evaluate");
		goto out;
	}
	if (values[OPT_JSON]) {
		char *text = json_dumps(result, JSON_INDENT(2) |
		    JSON_PRESERVE_ORDER);

		puts(text);
		free(text);
	} else if (ctx->verbosity >= 0) {
		print_text(result);
	}
out:
	json_decref(result);
	workspace_close(ws);
	return status;
}

const struct cli_command cmd_evaluate = {
	"evaluate", "[--json] ID",
	"Classify a run with the procedure's decision tree, judge its "
	"criteria, measure MTTR and the loss window.",
	options, run_evaluate,
};
