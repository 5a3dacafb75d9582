/* failproof import --run ID PATH...: archive and parse evidence files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cli.h"
#include "import.h"

enum { OPT_RUN, OPT_KIND, OPT_HOST, OPT_TZ, OPT_YEAR, OPT_STRICT,
	OPT_RULES, OPT_SKIP_BAD, OPT_SHOW_UNMATCHED, OPT_CLOCK_OFFSET,
	OPT_MARKERS, OPT_AT, OPT_COUNT };

static const struct cli_option options[] = {
	[OPT_RUN] = { "run", "ID", "run the evidence belongs to (required)" },
	[OPT_KIND] = { "kind", "KIND", "syslog, pcap, tshark, counters, "
	    "iperf3, ping, fping, junit, robot, chaos or timeline (default: "
	    "detected from the content)" },
	[OPT_HOST] = { "host", "NAME", "host of lines that name none, and "
	    "where a capture was taken" },
	[OPT_TZ] = { "tz", "ZONE", "time zone of timestamps without one, "
	    "e.g. Europe/Berlin (default: UTC)" },
	[OPT_YEAR] = { "year", "YYYY", "year of RFC 3164 timestamps "
	    "(default: inferred from the run date)" },
	[OPT_STRICT] = { "strict", NULL, "reject a capture whose last record "
	    "is cut short instead of importing it in part" },
	[OPT_RULES] = { "rules", "DIR", "extra folder of vendor rule files, "
	    "loaded after the shipped ones and the workspace's rules/" },
	[OPT_SKIP_BAD] = { "skip-bad", NULL, "report bad lines (an invalid "
	    "time stamp, a cut line) and import the rest of the file" },
	[OPT_SHOW_UNMATCHED] = { "show-unmatched", NULL, "print the first "
	    "unmatched lines that mention IKE, IPsec or HA" },
	[OPT_CLOCK_OFFSET] = { "clock-offset", "HOST=[+-]DUR[,...]",
	    "add DUR (e.g. -1.5s, 200ms) to HOST's time stamps in this "
	    "run, now and in later imports" },
	[OPT_MARKERS] = { "markers", "FILE", "timeline marker file that "
	    "replaces the default markers (KILL:, HA:, ...)" },
	[OPT_AT] = { "at", "ISO8601", "when a counter snapshot without a "
	    "time of its own was taken (UTC unless the time has a zone)" },
	{ NULL, NULL, NULL },
};

static void
report_result(const struct cli_context *ctx, const char *path,
    const struct import_result *res, int failed)
{
	char *name = fp_escape(path);

	for (size_t i = 0; i < res->n_warnings && ctx->verbosity >= 0; i++) {
		char *w = fp_escape(res->warnings[i]);

		fprintf(stderr, "failproof: import: warning: '%s' %s\n", name,
		    w);
		free(w);
	}
	if (res->warnings_dropped > 0 && ctx->verbosity >= 0)
		fprintf(stderr, "failproof: import: '%s': %zu more warnings "
		    "not shown\n", name, res->warnings_dropped);
	if (!failed && res->partial != NULL) {
		char *reason = fp_escape(res->partial);

		fprintf(stderr, "failproof: import: warning: '%s' was imported "
		    "in part: %s\n", name, reason);
		free(reason);
	}
	if (failed) {
		/* The error itself is printed by the caller. */
	} else if (res->duplicate) {
		if (ctx->verbosity >= 0)
			printf("%s: already imported (same SHA-256 %.12s, "
			    "commit %.12s); nothing to do\n", name,
			    res->sha256, res->commit);
	} else if (ctx->verbosity >= 0) {
		printf("%s: %s, %ld events, %ld samples, %ld packets, "
		    "%ld steps, ", name, res->kind, res->events, res->samples,
		    res->packets, res->steps);
		if (res->counters > 0)
			printf("%ld counters, ", res->counters);
		printf("sha256 %.12s, commit %.12s%s%s\n", res->sha256,
		    res->commit, res->partial ? "; PARTIAL: " : "",
		    res->partial ? res->partial : "");
	}
	free(name);
}

static int
compare_kinds(const void *a, const void *b)
{
	return strcmp(((const struct import_kind_count *)a)->kind,
	    ((const struct import_kind_count *)b)->kind);
}

/* Print the line accounting and the events per kind of a syslog file. */
static void
report_lines(const struct cli_context *ctx, struct import_result *res,
    int show_unmatched)
{
	const struct fp_line_stats *st = &res->lines;

	if (ctx->verbosity < 0 || res->duplicate || st->lines == 0)
		return;
	printf("  lines: %ld read, %ld bad%s, %ld continued, %ld unmatched "
	    "(%ld mention IKE, IPsec or HA)\n", st->lines, st->bad,
	    st->bad > 0 ? " (skipped)" : "", st->continued, st->unmatched,
	    st->unmatched_ike);
	fp_qsort(res->kinds, res->n_kinds, sizeof(*res->kinds), compare_kinds);
	printf("  events:");
	for (size_t i = 0; i < res->n_kinds; i++)
		printf("%s %s %ld", i > 0 ? "," : "", res->kinds[i].kind,
		    res->kinds[i].count);
	printf("%s\n", res->n_kinds == 0 ? " none" : "");
	if (res->untimed > 0)
		printf("  not stored: %ld events from lines without a time "
		    "stamp\n", res->untimed);
	for (size_t i = 0; show_unmatched && i < st->n_samples; i++) {
		char *text = fp_escape(st->sample[i]);

		printf("  unmatched line %ld: %s\n", st->sample_line[i], text);
		free(text);
	}
	if (show_unmatched && (size_t)st->unmatched_ike > st->n_samples)
		printf("  (%ld more unmatched lines mention IKE, IPsec or "
		    "HA)\n", st->unmatched_ike - (long)st->n_samples);
}

/*
 * Store the offsets of --clock-offset "HOST=[+-]DUR,..." for the run,
 * then load every offset the run has into *out.
 */
static int
load_clock_offsets(struct workspace *ws, long run, const char *arg,
    struct store_clock_offset **stored, size_t *n_stored,
    struct fp_clock_offset **out)
{
	char *list = arg != NULL ? xstrdup(arg) : NULL, *item, *next;
	int rc = 0;

	for (item = list; item != NULL && rc == 0; item = next) {
		char *eq, *dur;
		fp_time offset;
		int sign = 1;

		if ((next = strchr(item, ',')) != NULL)
			*next++ = '\0';
		eq = strrchr(item, '=');
		if (eq == NULL || eq == item) {
			rc = fp_fail(FP_EINVAL, "invalid --clock-offset '%s': "
			    "expected HOST=+DURATION or HOST=-DURATION, such "
			    "as fwb=-1.5s", item);
			break;
		}
		*eq = '\0';
		dur = eq + 1;
		if (*dur == '+' || *dur == '-')
			sign = *dur++ == '-' ? -1 : 1;
		if ((rc = fp_duration_parse(dur, &offset)) == 0)
			rc = store_clock_offset_put(ws->store, run, item,
			    sign * offset);
	}
	free(list);
	if (rc != 0)
		return rc;
	if ((rc = store_clock_offset_list(ws->store, run, stored,
	    n_stored)) != 0)
		return rc;
	*out = xcalloc(*n_stored + 1, sizeof(**out));
	for (size_t i = 0; i < *n_stored; i++) {
		(*out)[i].host = (*stored)[i].host;
		(*out)[i].offset = (*stored)[i].offset;
	}
	return 0;
}

/*
 * Accept only zones of the TZ database (or UTC).  "+01:00" is no zone
 * name, and POSIX strings such as "UTC+1" mean one hour west of UTC,
 * the opposite of what most readers expect.
 */
static int
check_zone(const char *tz)
{
	char *path;
	int found;

	if (strcmp(tz, "UTC") == 0)
		return 0;
	if (tz[0] == '/' || strstr(tz, "..") != NULL ||
	    (strpbrk(tz, "+-") != NULL && strncmp(tz, "Etc/", 4) != 0 &&
	    strpbrk(tz, "0123456789") != NULL))
		return fp_fail(FP_EINVAL, "invalid --tz '%s': use a TZ database "
		    "name such as Europe/Berlin, or Etc/GMT-1 for a fixed "
		    "UTC+01:00", tz);
	path = xasprintf("/usr/share/zoneinfo/%s", tz);
	found = access(path, R_OK) == 0;
	free(path);
	if (!found)
		return fp_fail(FP_EINVAL, "unknown --tz '%s': it is not in the "
		    "TZ database (/usr/share/zoneinfo); use a name such as "
		    "Europe/Berlin", tz);
	return 0;
}

static int
run_import(const struct cli_context *ctx, int argc, char **argv)
{
	const char *values[OPT_COUNT] = { NULL };
	const char *rule_dirs[3] = { NULL, NULL, NULL };
	struct store_clock_offset *stored = NULL;
	struct fp_clock_offset *offsets = NULL;
	size_t n_stored = 0, n_dirs = 0;
	char *ws_rules = NULL;
	struct stat sb;
	struct fp_import_opts opts = { 0 };
	struct workspace *ws = NULL;
	struct fp_run run = { 0 };
	long id, year = 0;
	int first, status = 0;

	first = cli_parse(&cmd_import, argc, argv, values);
	if (first < 0)
		return first == -2 ? 0 : EXIT_USAGE;
	if (values[OPT_RUN] == NULL || first >= argc) {
		fprintf(stderr, "failproof: import: --run ID and at least one "
		    "file are required\n");
		return EXIT_USAGE;
	}
	if (fp_parse_long(values[OPT_RUN], 1, 1L << 40, &id) != 0 ||
	    (values[OPT_YEAR] && fp_parse_long(values[OPT_YEAR], 1970, 9999,
	    &year) != 0)) {
		cli_error("import");
		return EXIT_USAGE;
	}
	if (values[OPT_AT] != NULL && (fp_time_parse_iso(values[OPT_AT],
	    &opts.at) != strlen(values[OPT_AT]) || opts.at == 0)) {
		fprintf(stderr, "failproof: import: invalid --at '%s': expected "
		    "an ISO 8601 date and time such as 2026-12-04T19:42:51Z\n",
		    values[OPT_AT]);
		return EXIT_USAGE;
	}
	if (cli_workspace_open(ctx, "import", &ws) != 0)
		return 1;
	if (store_run_get(ws->store, id, &run) != 0) {
		status = cli_error("import");
		goto out;
	}
	/* Rule folders: the workspace's rules/, then --rules. */
	ws_rules = xasprintf("%s/rules", ws->dir);
	if (stat(ws_rules, &sb) == 0 && S_ISDIR(sb.st_mode))
		rule_dirs[n_dirs++] = ws_rules;
	rule_dirs[n_dirs] = values[OPT_RULES];
	if ((status = load_clock_offsets(ws, id, values[OPT_CLOCK_OFFSET],
	    &stored, &n_stored, &offsets)) != 0) {
		status = cli_error("import");
		goto out;
	}
	opts.clock_offsets = offsets;
	opts.n_clock_offsets = n_stored;
	opts.skip_bad = values[OPT_SKIP_BAD] != NULL;
	opts.host = values[OPT_HOST];
	opts.tz = values[OPT_TZ];
	if (opts.tz != NULL && check_zone(opts.tz) != 0) {
		cli_error("import");
		status = EXIT_USAGE;
		goto out;
	}
	opts.markers = values[OPT_MARKERS];
	opts.year = (int)year;
	opts.strict = values[OPT_STRICT] != NULL;
	opts.rule_dirs = rule_dirs;
	opts.reference = run.failover_at != FP_TIME_NONE ? run.failover_at :
	    run.created_at;

	for (int i = first; i < argc; i++) {
		struct import_result res;

		if (import_file(ws, &run, argv[i], values[OPT_KIND], &opts,
		    &res) != 0) {
			report_result(ctx, argv[i], &res, 1);
			status = cli_error("import");
			import_result_release(&res);
			break;
		}
		report_result(ctx, argv[i], &res, 0);
		report_lines(ctx, &res, values[OPT_SHOW_UNMATCHED] != NULL);
		import_result_release(&res);
	}
out:
	free(offsets);
	store_clock_offset_list_free(stored, n_stored);
	free(ws_rules);
	fp_run_release(&run);
	workspace_close(ws);
	return status;
}

const struct cli_command cmd_import = {
	"import", "--run ID [--kind K] [--host NAME] FILE...",
	"Archive evidence files in the workspace and store what they show; "
	"each file is one transaction and one commit.",
	options, run_import,
};
