/*
 * failproof due [--json] [--at DATE]: for each registered tunnel and
 * scenario, the last passing run, when the next one is due, and whether
 * it is overdue, missing or needs a re-test after a change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "schedule_load.h"
#include "workspace.h"

enum { OPT_JSON, OPT_AT, OPT_COUNT };

static const struct cli_option options[] = {
	[OPT_JSON] = { "json", NULL, "print JSON instead of a table" },
	[OPT_AT] = { "at", "DATE", "judge the schedule as of this date or "
	    "ISO 8601 time (default: now)" },
	{ NULL, NULL, NULL },
};

/* The last day before an exclusive end, "2027-03-31". */
static void
format_due(fp_time due_at, char buf[16])
{
	schedule_format_day(due_at - 1, buf);
}

static json_t *
item_json(const struct due_item *it)
{
	char day[16], when[FP_TIME_STRLEN];
	json_t *o = json_object();

	format_due(it->due_at, day);
	json_object_set_new(o, "tunnel", json_string(it->tunnel));
	json_object_set_new(o, "scenario", json_integer(it->scenario));
	json_object_set_new(o, "status", json_string(due_status_name(
	    it->status)));
	json_object_set_new(o, "due_by", json_string(day));
	json_object_set_new(o, "last_pass_run", it->last_pass_run ?
	    json_integer(it->last_pass_run) : json_null());
	if (it->last_pass_at != FP_TIME_NONE) {
		fp_time_format_ms(it->last_pass_at, when, sizeof(when));
		json_object_set_new(o, "last_pass_at", json_string(when));
	} else {
		json_object_set_new(o, "last_pass_at", json_null());
	}
	json_object_set_new(o, "last_run", it->last_run ?
	    json_integer(it->last_run) : json_null());
	json_object_set_new(o, "last_verdict", it->last_verdict ?
	    json_string(it->last_verdict) : json_null());
	if (it->change != NULL) {
		fp_time_format_ms(it->change->at, when, sizeof(when));
		json_object_set_new(o, "change", json_pack("{s:I, s:s, s:s, "
		    "s:s}", "id", (json_int_t)it->change->id, "kind",
		    it->change->kind, "at", when, "ref", it->change->ref));
	} else {
		json_object_set_new(o, "change", json_null());
	}
	return o;
}

static void
print_table(const struct due_item *items, size_t n)
{
	printf("%-20s %-8s %-22s %-10s %s\n", "TUNNEL", "SCENARIO",
	    "LAST PASS", "DUE BY", "STATUS");
	for (size_t i = 0; i < n; i++) {
		const struct due_item *it = &items[i];
		char day[16], last[40] = "none", *name = fp_escape(it->tunnel);

		format_due(it->due_at, day);
		if (it->last_pass_run) {
			char pass_day[16];

			schedule_format_day(it->last_pass_at, pass_day);
			snprintf(last, sizeof(last), "%s (run %ld)", pass_day,
			    it->last_pass_run);
		}
		printf("%-20s %-8d %-22s %-10s %s", name, it->scenario, last,
		    day, due_status_name(it->status));
		if (it->change != NULL) {
			char *ref = fp_escape(it->change->ref);

			printf(" (%s change %ld: %s)", it->change->kind,
			    it->change->id, ref);
			free(ref);
		}
		putchar('\n');
		free(name);
	}
}

static int
run_due(const struct cli_context *ctx, int argc, char **argv)
{
	const char *values[OPT_COUNT] = { NULL };
	struct schedule_data d;
	struct workspace *ws = NULL;
	struct due_item *items = NULL;
	size_t n = 0;
	fp_time at = fp_now();
	int first, status = 0;

	first = cli_parse(&cmd_due, argc, argv, values);
	if (first < 0)
		return first == -2 ? 0 : EXIT_USAGE;
	if (first != argc) {
		fprintf(stderr, "failproof: due: unexpected argument '%s'\n",
		    argv[first]);
		return EXIT_USAGE;
	}
	if (values[OPT_AT] != NULL &&
	    schedule_parse_date("--at", values[OPT_AT], &at) != 0) {
		cli_error("due");
		return EXIT_USAGE;
	}
	if (workspace_open(ctx->dir, &ws) != 0 ||
	    schedule_load(ws->store, &d) != 0) {
		status = cli_error("due");
		workspace_close(ws);
		return status;
	}
	schedule_data_due(&d, at, &items, &n);
	if (values[OPT_JSON] != NULL) {
		json_t *list = json_array();
		char *text;

		for (size_t i = 0; i < n; i++)
			json_array_append_new(list, item_json(&items[i]));
		text = json_dumps(list, JSON_INDENT(2));
		puts(text);
		free(text);
		json_decref(list);
	} else if (d.n_tunnels == 0) {
		fprintf(stderr, "failproof: due: no tunnel is registered: "
		    "register one with 'failproof tunnel add'\n");
	} else {
		print_table(items, n);
	}
	free(items);
	schedule_data_release(&d);
	workspace_close(ws);
	return status;
}

const struct cli_command cmd_due = {
	"due", "[--json] [--at DATE]",
	"List, per tunnel and scenario, the last passing run and when the "
	"next is due.",
	options, run_due,
};
