/*
 * failproof events ID [--json] [--kind K]: list the normalised events of
 * a run, by time, with the file and line each came from.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "workspace.h"

enum { OPT_JSON, OPT_KIND, OPT_COUNT };

static const struct cli_option options[] = {
	[OPT_JSON] = { "json", NULL, "print a JSON array of objects" },
	[OPT_KIND] = { "kind", "KIND", "only events of this kind, such as "
	    "ike_sa_established" },
	{ NULL, NULL, NULL },
};

struct listing {
	int json;
	long count;
};

/* The optional fields, in the order the text listing prints them. */
static void
event_fields(const struct fp_event *ev, const char *names[16],
    const char *values[16], size_t *n)
{
	const char *const f[][2] = {
		{ "direction", ev->direction }, { "conn", ev->conn },
		{ "local_addr", ev->local_addr }, { "peer_addr", ev->peer_addr },
		{ "local_id", ev->local_id }, { "peer_id", ev->peer_id },
		{ "ike_spi_i", ev->ike_spi_i }, { "ike_spi_r", ev->ike_spi_r },
		{ "spi_in", ev->spi_in }, { "spi_out", ev->spi_out },
		{ "exchange", ev->exchange }, { "notify", ev->notify },
		{ "detail", ev->detail },
	};

	*n = 0;
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (f[i][1] == NULL)
			continue;
		names[*n] = f[i][0];
		values[(*n)++] = f[i][1];
	}
}

static void
json_set_text(json_t *o, const char *key, const char *v)
{
	json_object_set_new(o, key, v != NULL ? json_string(v) : json_null());
}

static int
print_json(struct listing *l, const struct fp_event *ev, const char *file)
{
	const char *names[16], *values[16];
	char ts[FP_TIME_STRLEN], *text;
	json_t *o = json_object(), *fields = json_object();
	size_t n;

	fp_time_format(ev->ts, ts, sizeof(ts));
	json_set_text(o, "ts", ts);
	json_set_text(o, "host", ev->host);
	json_set_text(o, "vendor", ev->vendor);
	json_set_text(o, "kind", ev->kind);
	event_fields(ev, names, values, &n);
	for (size_t i = 0; i < n; i++)
		json_set_text(fields, names[i], values[i]);
	if (ev->is_response >= 0)
		json_object_set_new(fields, "is_response",
		    json_boolean(ev->is_response));
	if (ev->msgid >= 0)
		json_object_set_new(fields, "msgid", json_integer(ev->msgid));
	json_object_set_new(o, "fields", fields);
	json_object_set_new(o, "source", json_pack("{s:s?,s:I}", "file",
	    file, "line", (json_int_t)ev->line));
	json_set_text(o, "message", ev->message);
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (text == NULL)
		return fp_fail(FP_EINVAL, "cannot write event at '%s' line %ld "
		    "as JSON", file, ev->line);
	printf("%s\n  %s", l->count > 0 ? "," : "", text);
	free(text);
	return 0;
}

static void
print_text(const struct fp_event *ev, const char *file)
{
	const char *names[16], *values[16];
	char ts[FP_TIME_STRLEN], *esc;
	size_t n;

	fp_time_format(ev->ts, ts, sizeof(ts));
	esc = fp_escape(ev->host != NULL ? ev->host : "-");
	printf("%s %s %s %s", ts, esc, ev->vendor != NULL ? ev->vendor : "-",
	    ev->kind);
	free(esc);
	event_fields(ev, names, values, &n);
	for (size_t i = 0; i < n; i++) {
		esc = fp_escape(values[i]);
		printf(" %s=%s", names[i], esc);
		free(esc);
	}
	if (ev->msgid >= 0)
		printf(" msgid=%ld", ev->msgid);
	esc = fp_escape(file != NULL ? file : "-");
	printf(" %s:%ld\n", esc, ev->line);
	free(esc);
}

static int
print_event(void *ctx, const struct fp_event *ev, const char *file)
{
	struct listing *l = ctx;
	int rc = 0;

	if (l->json)
		rc = print_json(l, ev, file);
	else
		print_text(ev, file);
	if (rc == 0)
		l->count++;
	return rc;
}

static int
run_events(const struct cli_context *ctx, int argc, char **argv)
{
	const char *values[OPT_COUNT] = { NULL };
	struct listing l = { 0 };
	struct workspace *ws = NULL;
	struct fp_run run = { 0 };
	int first, status = 0;
	long id;

	first = cli_parse(&cmd_events, argc, argv, values);
	if (first < 0)
		return first == -2 ? 0 : EXIT_USAGE;
	if (first + 1 != argc) {
		fprintf(stderr, "failproof: events: expected one run ID\n");
		return EXIT_USAGE;
	}
	if (fp_parse_long(argv[first], 1, 1L << 40, &id) != 0) {
		cli_error("events");
		return EXIT_USAGE;
	}
	if (cli_workspace_open(ctx, "events", &ws) != 0)
		return 1;
	if (store_run_get(ws->store, id, &run) != 0) {
		status = cli_error("events");
		goto out;
	}
	l.json = values[OPT_JSON] != NULL;
	if (l.json)
		printf("[");
	if (store_event_each(ws->store, id, values[OPT_KIND], print_event,
	    &l) != 0) {
		if (l.json)
			printf("\n]\n");
		status = cli_error("events");
		goto out;
	}
	if (l.json)
		printf("%s]\n", l.count > 0 ? "\n" : "");
	else if (l.count == 0 && ctx->verbosity >= 0)
		fprintf(stderr, "failproof: events: run %ld has no %s%sevents\n",
		    id, values[OPT_KIND] ? values[OPT_KIND] : "",
		    values[OPT_KIND] ? " " : "");
out:
	fp_run_release(&run);
	workspace_close(ws);
	return status;
}

const struct cli_command cmd_events = {
	"events", "ID [--json] [--kind KIND]",
	"List the normalised events of a run by time: host, vendor, kind, "
	"fields, and the file and line each came from.",
	options, run_events,
};
