/*
 * The Chaos Toolkit importer: a journal.json that "chaos run" writes
 * (chaoslib 1.x).  Every activity becomes a step, and so does the
 * experiment as a whole.
 *
 * Steps and their suites, in the journal's order:
 *   - the probes of the steady-state hypothesis before the method
 *     ("steady state before"), after it ("steady state after") and
 *     during it ("steady state during");
 *   - the method's actions and probes ("method");
 *   - the rollbacks ("rollbacks");
 *   - the experiment itself, with the journal's start and end.
 *
 * Status: an activity that raised ("status": "failed") is "error",
 * because the harness could not carry it out.  A steady-state probe
 * whose tolerance was not met is "failed", and "skipped" stays
 * "skipped".  The experiment's
 * status "completed" is "passed" unless the journal records a deviation,
 * "failed" (the steady state deviated after the method) is "failed", and
 * "aborted" and "interrupted" are "error": the drill stopped early.
 *
 * chaoslib writes times without a zone; they are read in --tz, UTC by
 * default, and each step records the zone used.  A step's line is the
 * line of its "start" value, which is unique within a journal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* A journal embeds the activities' output, which can be large. */
#define CHAOS_MAX_BYTES ((size_t)64 << 20)
/* Activity output nests; the corpus journal nests 9 levels deep. */
#define CHAOS_MAX_DEPTH 64
/* Captured output kept per step. */
#define CHAOS_MAX_OUTPUT (64 * 1024)

struct chaos_import {
	const struct fp_import_opts *opts;
	struct fp_sink *sink;
	const char *name;
	const char *data;	/* the journal's text, for line numbers */
	size_t len;
	struct harness_zone zone;
	char *zone_note;
	const char *title;
	long steps;
	int zoneless;
};

static void
warn(struct chaos_import *imp, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
warn(struct chaos_import *imp, long line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	imp->sink->warn(imp->sink->ctx, line, msg);
}

static const char *
string(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* The line of the first "VALUE" string in the journal, else 1. */
static long
line_of_value(const struct chaos_import *imp, const char *value)
{
	char *quoted;
	const char *p;
	size_t n;

	if (value == NULL)
		return 1;
	quoted = xasprintf("\"%s\"", value);
	n = strlen(quoted);
	p = memmem(imp->data, imp->len, quoted, n);
	free(quoted);
	return p != NULL ? harness_line_at(imp->data, imp->len,
	    (size_t)(p - imp->data)) : 1;
}

static fp_time
journal_time(struct chaos_import *imp, json_t *obj, const char *key,
    long line)
{
	const char *s = string(obj, key);
	fp_time t;
	size_t n;
	int zoned;

	if (s == NULL)
		return FP_TIME_NONE;
	n = harness_parse_time(&imp->zone, s, &t, &zoned);
	if (n == 0 || s[n] != '\0') {
		warn(imp, line, "invalid \"%s\" \"%s\": expected ISO 8601; "
		    "the time is unknown", key, s);
		return FP_TIME_NONE;
	}
	if (!zoned)
		imp->zoneless = 1;
	return t;
}

/* The last line of an exception traceback, the error's own text. */
static char *
exception_text(json_t *run)
{
	json_t *exc = json_object_get(run, "exception");
	const char *last = NULL;
	size_t i;
	json_t *v;
	char *s, *end;

	if (json_is_string(exc))
		last = json_string_value(exc);
	json_array_foreach(exc, i, v)
		if (json_is_string(v) && json_string_length(v) > 0)
			last = json_string_value(v);
	if (last == NULL)
		return NULL;
	s = xstrdup(last);
	end = s + strlen(s);
	while (end > s && (end[-1] == '\n' || end[-1] == ' '))
		*--end = '\0';
	return s;
}

static char *
output_text(json_t *run)
{
	json_t *out = json_object_get(run, "output");
	char *dumped, *cut;

	if (out == NULL || json_is_null(out))
		return NULL;
	if (json_is_string(out))
		return harness_cut(json_string_value(out), CHAOS_MAX_OUTPUT);
	dumped = json_dumps(out, JSON_COMPACT | JSON_ENCODE_ANY);
	cut = harness_cut(dumped, CHAOS_MAX_OUTPUT);
	free(dumped);
	return cut;
}

/* One activity run: {"activity": {...}, "status", "start", "end", ...}. */
static int
activity(struct chaos_import *imp, json_t *run, const char *suite_part,
    const char *kind_override, int steady_state)
{
	json_t *act = json_object_get(run, "activity"), *detail, *tol;
	const char *status = string(run, "status"), *type;
	struct fp_step st = { 0 };
	char *suite, *message = NULL, *output, *detail_text;
	json_t *met = json_object_get(run, "tolerance_met");
	int rc;

	st.line = line_of_value(imp, string(run, "start"));
	if (!json_is_object(act)) {
		warn(imp, st.line, "an activity of the %s has no \"activity\" "
		    "object: skipped", suite_part);
		return 0;
	}
	type = string(act, "type");
	st.name = string(act, "name") ? string(act, "name") : "(unnamed)";
	st.kind = kind_override ? kind_override : type && strcmp(type,
	    "action") == 0 ? "action" : "probe";
	suite = xasprintf("%s / %s", imp->title, suite_part);
	st.suite = suite;
	st.start = journal_time(imp, run, "start", st.line);
	st.end = journal_time(imp, run, "end", st.line);
	st.duration = st.start != FP_TIME_NONE && st.end != FP_TIME_NONE ?
	    st.end - st.start : -1;
	st.zone = imp->zoneless && st.start != FP_TIME_NONE ? imp->zone_note :
	    NULL;

	if (status != NULL && strcmp(status, "failed") == 0) {
		st.status = "error";
		message = exception_text(run);
	} else if (status != NULL && strcmp(status, "skipped") == 0) {
		st.status = "skipped";
	} else if (steady_state && json_is_false(met)) {
		st.status = "failed";
		message = xstrdup("tolerance not met");
	} else if (status == NULL || strcmp(status, "succeeded") != 0) {
		st.status = "error";
		message = xasprintf("unknown activity status \"%s\"",
		    status ? status : "(none)");
		warn(imp, st.line, "%s", message);
	} else {
		st.status = "passed";
	}
	st.message = message;
	output = output_text(run);
	st.output = output;

	detail = json_object();
	if (type != NULL)
		json_object_set_new(detail, "type", json_string(type));
	if ((tol = json_object_get(act, "tolerance")) != NULL)
		json_object_set(detail, "tolerance", tol);
	if (json_is_boolean(met))
		json_object_set(detail, "tolerance_met", met);
	detail_text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
	st.detail = detail_text;

	imp->steps++;
	rc = imp->sink->step(imp->sink->ctx, &st);
	free(detail_text);
	json_decref(detail);
	free(output);
	free(message);
	free(suite);
	return rc;
}

static int
activities(struct chaos_import *imp, json_t *list, const char *suite_part,
    const char *kind_override, int steady_state)
{
	size_t i;
	json_t *run;
	int rc;

	if (list != NULL && !json_is_array(list)) {
		warn(imp, 0, "the %s is not a list: skipped", suite_part);
		return 0;
	}
	json_array_foreach(list, i, run)
		if (json_is_object(run) && (rc = activity(imp, run, suite_part,
		    kind_override, steady_state)) != 0)
			return rc;
	return 0;
}

static const char *
steady_state_word(json_t *phase)
{
	json_t *met = json_object_get(phase, "steady_state_met");

	if (!json_is_object(phase))
		return "not checked";
	return json_is_true(met) ? "met" : json_is_false(met) ? "not met" :
	    "unknown";
}

/* The experiment as a whole. */
static int
experiment(struct chaos_import *imp, json_t *root)
{
	const char *status = string(root, "status");
	json_t *states = json_object_get(root, "steady_states");
	json_t *deviated = json_object_get(root, "deviated");
	struct fp_step st = { 0 };
	char *message;
	int rc;

	st.line = line_of_value(imp, string(root, "start"));
	st.name = imp->title;
	st.kind = "experiment";
	st.start = journal_time(imp, root, "start", st.line);
	st.end = journal_time(imp, root, "end", st.line);
	st.duration = st.start != FP_TIME_NONE && st.end != FP_TIME_NONE ?
	    st.end - st.start : -1;
	st.zone = imp->zoneless && st.start != FP_TIME_NONE ? imp->zone_note :
	    NULL;
	if (status == NULL)
		status = "(none)";
	if (strcmp(status, "completed") == 0)
		st.status = json_is_true(deviated) ? "failed" : "passed";
	else if (strcmp(status, "failed") == 0)
		st.status = "failed";
	else
		st.status = "error";
	if (strcmp(status, "completed") && strcmp(status, "failed") &&
	    strcmp(status, "aborted") && strcmp(status, "interrupted"))
		warn(imp, st.line, "unknown experiment status \"%s\": recorded "
		    "as an error", status);
	message = xasprintf("status %s, %s; steady state before: %s, after: "
	    "%s", status, json_is_true(deviated) ? "deviated" :
	    json_is_false(deviated) ? "not deviated" : "deviation unknown",
	    steady_state_word(json_object_get(states, "before")),
	    steady_state_word(json_object_get(states, "after")));
	st.message = message;
	imp->steps++;
	rc = imp->sink->step(imp->sink->ctx, &st);
	free(message);
	return rc;
}

static int
read_journal(struct chaos_import *imp, json_t *root)
{
	json_t *states = json_object_get(root, "steady_states"), *during;
	json_t *exp = json_object_get(root, "experiment");
	int rc;

	if (!json_is_object(root) || (!json_is_object(exp) &&
	    json_object_get(root, "chaoslib-version") == NULL))
		return fp_fail(FP_EINVAL, "'%s' is not a Chaos Toolkit journal: "
		    "expected an object with \"experiment\" and "
		    "\"steady_states\"", imp->name);
	imp->title = string(exp, "title") ? string(exp, "title") :
	    "(untitled experiment)";
	if ((rc = activities(imp, json_object_get(json_object_get(states,
	    "before"), "probes"), "steady state before", NULL, 1)) != 0)
		return rc;
	during = json_object_get(states, "during");
	if (json_is_array(during) && (rc = activities(imp, during,
	    "steady state during", NULL, 1)) != 0)
		return rc;
	if ((rc = activities(imp, json_object_get(root, "run"), "method",
	    NULL, 0)) != 0 ||
	    (rc = activities(imp, json_object_get(json_object_get(states,
	    "after"), "probes"), "steady state after", NULL, 1)) != 0 ||
	    (rc = activities(imp, json_object_get(root, "rollbacks"),
	    "rollbacks", "rollback", 0)) != 0)
		return rc;
	return experiment(imp, root);
}

static int
chaos_run(const char *path, const struct fp_import_opts *opts,
    struct fp_sink *sink)
{
	struct chaos_import imp = { 0 };
	json_t *root = NULL;
	char *data = NULL;
	size_t len;
	int rc;

	imp.opts = opts;
	imp.sink = sink;
	imp.name = opts->display_name ? opts->display_name :
	    fp_basename(path);
	if (sink->step == NULL)
		return fp_fail(FP_EINVAL, "'%s': this import cannot store "
		    "experiment steps", imp.name);
	if ((rc = harness_zone_begin(&imp.zone, opts->tz)) != 0)
		return rc;
	imp.zone_note = xasprintf("%s (%s)", harness_zone_note(&imp.zone),
	    opts->tz ? "--tz" : "--tz not given");
	if ((rc = harness_read(path, imp.name, CHAOS_MAX_BYTES, &data,
	    &len)) != 0 || (rc = harness_json_parse(data, len, imp.name,
	    CHAOS_MAX_DEPTH, &root)) != 0)
		goto out;
	imp.data = data;
	imp.len = len;
	if ((rc = read_journal(&imp, root)) != 0)
		goto out;
	if (imp.zoneless)
		warn(&imp, 0, "the journal's times have no zone: they were read "
		    "as %s", imp.zone_note);
out:
	json_decref(root);
	free(data);
	free(imp.zone_note);
	harness_zone_end(&imp.zone);
	return rc;
}

static int
chaos_detect(const unsigned char *head, size_t len)
{
	char buf[4097];
	size_t n = len < sizeof(buf) - 1 ? len : sizeof(buf) - 1;
	const char *p;

	if (memchr(head, '\0', n) != NULL)
		return 0;
	memcpy(buf, head, n);
	buf[n] = '\0';
	for (p = buf; *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'; p++)
		;
	if (*p != '{')
		return 0;
	if (strstr(p, "\"chaoslib-version\"") != NULL ||
	    (strstr(p, "\"experiment\"") != NULL &&
	    strstr(p, "\"steady_states\"") != NULL))
		return 90;
	return 0;
}

const struct fp_importer fp_importer_chaos = {
	"chaos",
	"Chaos Toolkit journal.json (chaoslib 1.x)",
	chaos_detect,
	chaos_run,
};
