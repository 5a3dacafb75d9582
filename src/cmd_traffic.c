/*
 * failproof traffic ID [--json]: the traffic of a run per source, one
 * line per ESP SPI and direction, clear-side flow or SA counter series,
 * with the data-plane flags of each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "traffic_list.h"

enum { OPT_JSON, OPT_COUNT };

static const struct cli_option options[] = {
	[OPT_JSON] = { "json", NULL, "print the listing as one JSON object" },
	{ NULL, NULL, NULL },
};

static const char *
str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "-";
}

static void
print_count(json_t *v, int width)
{
	if (json_is_integer(v))
		printf(" %*lld", width, (long long)json_integer_value(v));
	else
		printf(" %*s", width, "-");
}

/* The SPI, or the ports or echo id of a clear-side flow. */
static void
print_key(json_t *f)
{
	char key[32];

	if (json_is_string(json_object_get(f, "direction")))
		snprintf(key, sizeof(key), "spi %s %s", str(f, "spi"),
		    str(f, "direction"));
	else if (json_is_string(json_object_get(f, "spi")))
		snprintf(key, sizeof(key), "spi %s", str(f, "spi"));
	else if (json_is_integer(json_object_get(f, "sport")))
		snprintf(key, sizeof(key), "%lld>%lld", (long long)
		    json_integer_value(json_object_get(f, "sport")),
		    (long long)json_integer_value(json_object_get(f, "dport")));
	else if (json_is_integer(json_object_get(f, "icmp_id")))
		snprintf(key, sizeof(key), "echo %s %lld",
		    json_integer_value(json_object_get(f, "icmp_type")) == 0 ||
		    json_integer_value(json_object_get(f, "icmp_type")) == 129 ?
		    "reply" : "request", (long long)json_integer_value(
		    json_object_get(f, "icmp_id")));
	else
		snprintf(key, sizeof(key), "-");
	printf(" %-18s", key);
}

static void
print_text(json_t *o)
{
	size_t i, k;
	json_t *f, *fl;

	printf("%-8s %-22s %-8s %-5s %-18s %-33s %8s %10s %-24s %-24s %5s "
	    "%5s\n", "source", "file", "host", "proto", "spi / ports",
	    "src -> dst", "packets", "bytes", "first", "last", "gaps", "rst");
	json_array_foreach(json_object_get(o, "flows"), i, f) {
		char path[96], *file = fp_escape(str(f, "file")), *host;

		snprintf(path, sizeof(path), "%s -> %s", str(f, "src"),
		    str(f, "dst"));
		host = fp_escape(str(f, "host"));
		printf("%-8s %-22.22s %-8.8s %-5s", str(f, "source"), file,
		    host, str(f, "protocol"));
		free(file);
		free(host);
		print_key(f);
		printf(" %-33.33s", path);
		print_count(json_object_get(f, "packets"), 8);
		print_count(json_object_get(f, "bytes"), 10);
		printf(" %-24s %-24s", str(f, "first"), str(f, "last"));
		print_count(json_object_get(f, "seq_gaps"), 5);
		print_count(json_object_get(f, "seq_restarts"), 5);
		putchar('\n');
		json_array_foreach(json_object_get(f, "flags"), k, fl)
			printf("  %s: %s\n", str(fl, "id"), str(fl, "text"));
	}
	json_array_foreach(json_object_get(o, "errors"), i, f)
		printf("counters %s %s: +%lld from %s to %s (%s)\n",
		    str(f, "host"), str(f, "name"), (long long)
		    json_integer_value(json_object_get(f, "delta")),
		    str(f, "from"), str(f, "to"), str(f, "cause"));
}

static int
run_traffic(const struct cli_context *ctx, int argc, char **argv)
{
	const char *values[OPT_COUNT] = { NULL };
	struct workspace *ws = NULL;
	json_t *result = NULL;
	int first, status = 0;
	long id;

	first = cli_parse(&cmd_traffic, argc, argv, values);
	if (first < 0)
		return first == -2 ? 0 : EXIT_USAGE;
	if (first != argc - 1) {
		cli_usage(&cmd_traffic, stderr);
		return EXIT_USAGE;
	}
	if (fp_parse_long(argv[first], 1, 1L << 40, &id) != 0) {
		cli_error("traffic");
		return EXIT_USAGE;
	}
	if (cli_workspace_open(ctx, "traffic", &ws) != 0)
		return 1;
	if (traffic_list(ws, id, &result) != 0) {
		status = cli_error("traffic");
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

const struct cli_command cmd_traffic = {
	"traffic", "[--json] ID",
	"List the traffic of a run per source: ESP per SPI and direction, "
	"clear-side flows and SA counters, with sequence gaps, restarts and "
	"data-plane faults.",
	options, run_traffic,
};
