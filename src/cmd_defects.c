/*
 * failproof defects [--open] [--json]: list the design defects with
 * their owner, due date, status and waiver.
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "defect.h"

enum { OPT_OPEN, OPT_JSON, OPT_COUNT };

static const struct cli_option options[] = {
	[OPT_OPEN] = { "open", NULL, "only defects not yet verified by a "
	    "passing run" },
	[OPT_JSON] = { "json", NULL, "print one JSON array" },
	{ NULL, NULL, NULL },
};

static const char *
str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "-";
}

static void
print_table(json_t *list)
{
	size_t i;
	json_t *d;

	if (json_array_size(list) == 0) {
		printf("no defects\n");
		return;
	}
	printf("%-5s %-9s %-16s %-3s %-5s %-36s %-18s %-10s %s\n", "id",
	    "status", "tunnel", "sc", "run", "verdict / cause", "owner", "due",
	    "review");
	json_array_foreach(list, i, d) {
		char *tunnel = fp_escape(str(d, "tunnel"));
		char *owner = fp_escape(str(d, "owner"));
		char *cause = xasprintf("%s%s%s", str(d, "verdict"),
		    json_is_string(json_object_get(d, "cause")) ? " / " : "",
		    json_is_string(json_object_get(d, "cause")) ?
		    str(d, "cause") : "");

		printf("%-5lld %-9s %-16s %-3lld %-5lld %-36s %-18s %-10.10s "
		    "%s%s", (long long)json_integer_value(json_object_get(d,
		    "id")), str(d, "status"), tunnel,
		    (long long)json_integer_value(json_object_get(d,
		    "scenario")), (long long)json_integer_value(
		    json_object_get(d, "run")), cause, owner, str(d, "due_at"),
		    str(d, "review"), json_is_true(json_object_get(d,
		    "overdue")) ? " (overdue)" : "");
		if (json_is_integer(json_object_get(d, "verified_by_run")))
			printf(" verified by run %lld", (long long)
			    json_integer_value(json_object_get(d,
			    "verified_by_run")));
		printf("\n");
		free(cause);
		free(owner);
		free(tunnel);
	}
}

static int
run_defects(const struct cli_context *ctx, int argc, char **argv)
{
	const char *values[OPT_COUNT] = { NULL };
	struct workspace *ws = NULL;
	json_t *list = NULL;
	int first, status = 0;

	first = cli_parse(&cmd_defects, argc, argv, values);
	if (first < 0)
		return first == -2 ? 0 : EXIT_USAGE;
	if (first != argc) {
		cli_usage(&cmd_defects, stderr);
		return EXIT_USAGE;
	}
	if (workspace_open(ctx->dir, &ws) != 0 ||
	    defect_list_json(ws, values[OPT_OPEN] != NULL, fp_now(),
	    &list) != 0) {
		status = cli_error("defects");
		goto out;
	}
	if (values[OPT_JSON]) {
		char *text = json_dumps(list, JSON_INDENT(2) |
		    JSON_PRESERVE_ORDER);

		puts(text);
		free(text);
	} else {
		print_table(list);
	}
out:
	json_decref(list);
	workspace_close(ws);
	return status;
}

const struct cli_command cmd_defects = {
	"defects", "[--open] [--json]",
	"List the design defects: status (open, fixed, verified), owner, due "
	"date, waiver.",
	options, run_defects,
};
