/*
 * The JUnit importer: JUnit/xUnit XML as pytest, Robot Framework --xunit,
 * Jenkins and Maven write it.  Every <testcase>, at any depth of nested
 * <testsuite> elements under a <testsuites> or <testsuite> root, becomes
 * one step; its suite is the path of suite names from the outermost.
 *
 * Status: <error> is "error" (the harness could not check), <failure> is
 * "failed" (the check about the system failed), <skipped> (or the older
 * <skip>) is "skipped", anything else "passed".  A case with several of
 * them takes the first in that order.  The message is the element's
 * message attribute, else the first line of its text; the text itself
 * and <system-out> and <system-err> are kept as the step's output.
 *
 * Times: a case's "time" is its duration; an empty, missing or invalid
 * time is unknown, never 0.  A case's start is its own timestamp
 * attribute when it has one.  Otherwise it is derived from the enclosing
 * suite's timestamp plus the durations of the cases before it, which
 * holds for frameworks that run cases one after another.  Once one of
 * those durations is unknown, so are the starts after it.  NOTE: cases run in parallel (pytest
 * -n) get derived starts that are too late.  Timestamps without a zone
 * are read in --tz, UTC by default, and each step records the zone used.
 *
 * The counts a suite declares (tests, failures, errors, skipped, skips,
 * skip) are compared with its cases and reported when they disagree,
 * never used.  Properties of the suites and of the case, its class name,
 * file and line go into the step's detail as a JSON object.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "harness.h"

/* Larger results are rejected: the whole document is held in memory. */
#define JUNIT_MAX_BYTES ((size_t)64 << 20)
/* Captured output kept per step. */
#define JUNIT_MAX_OUTPUT (64 * 1024)

#define USEC_PER_SEC INT64_C(1000000)

struct counts {
	long tests;
	long failures;
	long errors;
	long skipped;
};

struct junit_import {
	const struct fp_import_opts *opts;
	struct fp_sink *sink;
	const char *name;
	struct harness_zone zone;
	char *zone_note;
	long cases;
	int zoneless;		/* a timestamp had no zone */
};

static void
warn(struct junit_import *imp, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
warn(struct junit_import *imp, long line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	imp->sink->warn(imp->sink->ctx, line, msg);
}

static int
is_element(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	    strcmp((const char *)n->name, name) == 0;
}

/* An attribute's value, or NULL; the caller frees it with xmlFree. */
static char *
attr(const xmlNode *n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

static long
line_of(const xmlNode *n)
{
	return (long)xmlGetLineNo(n);
}

/*
 * A duration in seconds ("1.234", "1,234.5" from some Java writers);
 * -1 when absent, empty or invalid.
 */
static fp_time
parse_duration(struct junit_import *imp, const xmlNode *n)
{
	char *v = attr(n, "time"), *end, clean[64];
	size_t k = 0;
	double secs;

	if (v == NULL)
		return -1;
	for (const char *p = v; *p && k + 1 < sizeof(clean); p++)
		if (*p != ',')
			clean[k++] = *p;
	clean[k] = '\0';
	secs = strtod(clean, &end);
	if (end == clean || *end != '\0' || !isfinite(secs) || secs < 0 ||
	    secs > 1e9) {
		if (*v != '\0')
			warn(imp, line_of(n), "invalid time \"%s\": duration "
			    "unknown", v);
		xmlFree(v);
		return -1;
	}
	xmlFree(v);
	return (fp_time)llround(secs * 1e6);
}

/* A timestamp attribute, or FP_TIME_NONE; *zoneless when it had no zone. */
static fp_time
parse_timestamp(struct junit_import *imp, const xmlNode *n, int *zoneless)
{
	char *v = attr(n, "timestamp");
	fp_time t;
	size_t len;
	int zoned;

	*zoneless = 0;
	if (v == NULL)
		return FP_TIME_NONE;
	len = harness_parse_time(&imp->zone, v, &t, &zoned);
	if (len == 0 || v[len] != '\0') {
		if (*v != '\0')
			warn(imp, line_of(n), "invalid timestamp \"%s\": "
			    "expected ISO 8601; the start is unknown", v);
		xmlFree(v);
		return FP_TIME_NONE;
	}
	if (!zoned)
		imp->zoneless = *zoneless = 1;
	xmlFree(v);
	return t;
}

static long
count_attr(const xmlNode *n, const char *name)
{
	char *v = attr(n, name), *end;
	long c;

	if (v == NULL)
		return -1;
	c = strtol(v, &end, 10);
	if (end == v || *end != '\0' || c < 0)
		c = -1;
	xmlFree(v);
	return c;
}

/* The text of an element, trimmed; NULL when blank. */
static char *
text_of(const xmlNode *n)
{
	xmlChar *c = xmlNodeGetContent(n);
	char *s, *start, *end;

	if (c == NULL)
		return NULL;
	start = (char *)c;
	while (isspace((unsigned char)*start))
		start++;
	end = start + strlen(start);
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	s = end > start ? xstrndup(start, (size_t)(end - start)) : NULL;
	xmlFree(c);
	return s;
}

/* Add the <property> children of a <properties> element to obj. */
static void
add_properties(json_t *obj, const xmlNode *props)
{
	for (const xmlNode *p = props->children; p; p = p->next) {
		char *name, *value;

		if (!is_element(p, "property"))
			continue;
		name = attr(p, "name");
		value = attr(p, "value");
		if (value == NULL) {
			char *t = text_of(p);

			value = t ? (char *)xmlStrdup((xmlChar *)t) : NULL;
			free(t);
		}
		if (name != NULL)
			json_object_set_new(obj, name, json_string(value ?
			    value : ""));
		xmlFree(name);
		xmlFree(value);
	}
}

/* A suite's path and properties, and the clock of derived starts. */
struct suite_ctx {
	const char *path;	/* "outer / inner", NULL at the root */
	const char *name;	/* the suite's own name */
	json_t *properties;	/* inherited and own, by name */
	fp_time clock;		/* start of the next case, or FP_TIME_NONE */
	int zoneless;		/* the clock came from a time without a zone */
};

/* A suite's name without its parent's name as a prefix. */
static const char *
short_name(const char *name, const char *parent)
{
	size_t n = parent ? strlen(parent) : 0;

	if (n > 0 && strncmp(name, parent, n) == 0 && name[n] == '.' &&
	    name[n + 1] != '\0')
		return name + n + 1;
	return name;
}

static const char *const outcome_elements[] = { "error", "failure",
	"skipped", "skip" };
static const char *const outcome_status[] = { "error", "failed",
	"skipped", "skipped" };

static void
append_output(struct fp_buf *out, const char *label, char *text)
{
	if (text == NULL)
		return;
	if (out->len > 0)
		fp_buf_puts(out, "\n");
	if (label != NULL)
		fp_buf_printf(out, "--- %s ---\n", label);
	fp_buf_puts(out, text);
	free(text);
}

static int
testcase(struct junit_import *imp, const xmlNode *tc, struct suite_ctx *sc,
    struct counts *seen)
{
	struct fp_step st = { 0 };
	struct fp_buf out = { 0 };
	const xmlNode *outcome = NULL;
	json_t *detail = json_object(), *props;
	char *name = attr(tc, "name"), *classname = attr(tc, "classname");
	char *file = attr(tc, "file"), *line = attr(tc, "line");
	char *message = NULL, *type = NULL, *cut, *detail_text;
	fp_time own;
	int rc, zoneless;

	st.status = "passed";
	for (size_t k = 0; k < sizeof(outcome_elements) /
	    sizeof(outcome_elements[0]) && outcome == NULL; k++)
		for (const xmlNode *c = tc->children; c; c = c->next)
			if (is_element(c, outcome_elements[k])) {
				outcome = c;
				st.status = outcome_status[k];
				break;
			}
	if (outcome != NULL) {
		message = attr(outcome, "message");
		type = attr(outcome, "type");
		append_output(&out, NULL, text_of(outcome));
		if ((message == NULL || *message == '\0') && out.len > 0) {
			xmlFree(message);
			message = (char *)xmlStrndup((xmlChar *)out.data,
			    (int)strcspn(out.data, "\n"));
		}
	}
	for (const xmlNode *c = tc->children; c; c = c->next) {
		if (is_element(c, "system-out"))
			append_output(&out, "system-out", text_of(c));
		else if (is_element(c, "system-err"))
			append_output(&out, "system-err", text_of(c));
	}

	props = json_deep_copy(sc->properties);
	for (const xmlNode *c = tc->children; c; c = c->next)
		if (is_element(c, "properties"))
			add_properties(props, c);
	if (classname)
		json_object_set_new(detail, "classname", json_string(classname));
	if (file)
		json_object_set_new(detail, "file", json_string(file));
	if (line)
		json_object_set_new(detail, "line", json_string(line));
	if (type)
		json_object_set_new(detail, "type", json_string(type));
	if (json_object_size(props) > 0)
		json_object_set(detail, "properties", props);
	json_decref(props);

	st.line = line_of(tc);
	st.name = name && *name ? name : "(unnamed test case)";
	if (name == NULL || *name == '\0')
		warn(imp, st.line, "test case without a name");
	st.suite = sc->path;
	st.kind = "test";
	st.duration = parse_duration(imp, tc);
	own = parse_timestamp(imp, tc, &zoneless);
	st.start = own != FP_TIME_NONE ? own : sc->clock;
	st.start_derived = own == FP_TIME_NONE && st.start != FP_TIME_NONE;
	st.end = st.start != FP_TIME_NONE && st.duration >= 0 ?
	    st.start + st.duration : FP_TIME_NONE;
	/* The next case starts when this one ended. */
	sc->clock = st.end;
	if (own == FP_TIME_NONE)
		zoneless = sc->zoneless;
	st.zone = zoneless && st.start != FP_TIME_NONE ? imp->zone_note :
	    NULL;
	st.message = message;
	cut = harness_cut(out.data, JUNIT_MAX_OUTPUT);
	st.output = cut;
	detail_text = json_object_size(detail) ? json_dumps(detail,
	    JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	st.detail = detail_text;

	seen->tests++;
	if (strcmp(st.status, "failed") == 0)
		seen->failures++;
	else if (strcmp(st.status, "error") == 0)
		seen->errors++;
	else if (strcmp(st.status, "skipped") == 0)
		seen->skipped++;
	imp->cases++;
	rc = imp->sink->step(imp->sink->ctx, &st);

	free(detail_text);
	free(cut);
	fp_buf_free(&out);
	json_decref(detail);
	xmlFree(message);
	xmlFree(type);
	xmlFree(name);
	xmlFree(classname);
	xmlFree(file);
	xmlFree(line);
	return rc;
}

/* Compare the counts a suite declares with its cases. */
static void
check_counts(struct junit_import *imp, const xmlNode *suite,
    const char *label, const struct counts *seen)
{
	static const char *const skip_names[] = { "skipped", "skips", "skip" };
	long tests = count_attr(suite, "tests");
	long failures = count_attr(suite, "failures");
	long errors = count_attr(suite, "errors");
	long skipped = -1;
	struct fp_buf diff = { 0 };

	for (size_t i = 0; i < 3 && skipped < 0; i++)
		skipped = count_attr(suite, skip_names[i]);
	if (tests >= 0 && tests != seen->tests)
		fp_buf_printf(&diff, ", tests=\"%ld\" but %ld test cases",
		    tests, seen->tests);
	if (failures >= 0 && failures != seen->failures)
		fp_buf_printf(&diff, ", failures=\"%ld\" but %ld failed",
		    failures, seen->failures);
	if (errors >= 0 && errors != seen->errors)
		fp_buf_printf(&diff, ", errors=\"%ld\" but %ld with an error",
		    errors, seen->errors);
	if (skipped >= 0 && skipped != seen->skipped)
		fp_buf_printf(&diff, ", %ld skipped declared but %ld skipped",
		    skipped, seen->skipped);
	if (diff.len > 0)
		warn(imp, line_of(suite), "suite '%s' declares counts that do "
		    "not match its test cases%s: the cases are used", label,
		    diff.data);
	fp_buf_free(&diff);
}

static int walk(struct junit_import *imp, const xmlNode *parent,
    struct suite_ctx *sc, struct counts *seen, int depth);

static int
testsuite(struct junit_import *imp, const xmlNode *suite,
    struct suite_ctx *parent, struct counts *seen, int depth)
{
	struct suite_ctx sc = { 0 };
	struct counts mine = { 0 };
	char *name = attr(suite, "name"), *path = NULL;
	fp_time start, duration = parse_duration(imp, suite);
	const char *shown;
	int rc, zoneless;

	start = parse_timestamp(imp, suite, &zoneless);
	shown = short_name(name && *name ? name : "(unnamed suite)",
	    parent->name);
	path = parent->path ? xasprintf("%s / %s", parent->path, shown) :
	    xstrdup(shown);
	sc.path = path;
	sc.name = name && *name ? name : NULL;
	sc.properties = json_deep_copy(parent->properties);
	for (const xmlNode *c = suite->children; c; c = c->next)
		if (is_element(c, "properties"))
			add_properties(sc.properties, c);
	sc.clock = start != FP_TIME_NONE ? start : parent->clock;
	sc.zoneless = start != FP_TIME_NONE ? zoneless : parent->zoneless;

	rc = walk(imp, suite, &sc, &mine, depth + 1);
	if (rc == 0)
		check_counts(imp, suite, path, &mine);
	seen->tests += mine.tests;
	seen->failures += mine.failures;
	seen->errors += mine.errors;
	seen->skipped += mine.skipped;

	/* After the suite, the parent's clock moves by the suite's time. */
	if (start == FP_TIME_NONE)
		start = parent->clock;
	parent->clock = start != FP_TIME_NONE && duration >= 0 ?
	    start + duration : sc.clock;

	json_decref(sc.properties);
	free(path);
	xmlFree(name);
	return rc;
}

/* Libxml2 itself stops at 256 levels; suites nest a few deep. */
#define JUNIT_MAX_DEPTH 64

static int
walk(struct junit_import *imp, const xmlNode *parent, struct suite_ctx *sc,
    struct counts *seen, int depth)
{
	int rc = 0;

	if (depth > JUNIT_MAX_DEPTH)
		return fp_fail(FP_EINVAL, "'%s' line %ld: test suites nested "
		    "more than %d deep: not accepted", imp->name,
		    line_of(parent), JUNIT_MAX_DEPTH);
	for (const xmlNode *c = parent->children; c && rc == 0; c = c->next) {
		if (is_element(c, "testcase"))
			rc = testcase(imp, c, sc, seen);
		else if (is_element(c, "testsuite"))
			rc = testsuite(imp, c, sc, seen, depth);
		else if (is_element(c, "testsuites"))
			rc = walk(imp, c, sc, seen, depth + 1);
	}
	return rc;
}

static int
junit_run(const char *path, const struct fp_import_opts *opts,
    struct fp_sink *sink)
{
	struct junit_import imp = { 0 };
	struct suite_ctx root = { 0 };
	struct counts seen = { 0 };
	xmlDoc *doc = NULL;
	xmlNode *top;
	char *data = NULL;
	size_t len;
	int rc;

	imp.opts = opts;
	imp.sink = sink;
	imp.name = opts->display_name ? opts->display_name :
	    fp_basename(path);
	if (sink->step == NULL)
		return fp_fail(FP_EINVAL, "'%s': this import cannot store test "
		    "steps", imp.name);
	if ((rc = harness_zone_begin(&imp.zone, opts->tz)) != 0)
		return rc;
	imp.zone_note = xasprintf("%s (%s)", harness_zone_note(&imp.zone),
	    opts->tz ? "--tz" : "--tz not given");
	if ((rc = harness_read(path, imp.name, JUNIT_MAX_BYTES, &data,
	    &len)) != 0 || (rc = harness_xml_parse(data, len, imp.name,
	    &doc)) != 0)
		goto out;
	top = xmlDocGetRootElement(doc);
	if (top == NULL || (!is_element(top, "testsuites") &&
	    !is_element(top, "testsuite"))) {
		rc = fp_fail(FP_EINVAL, "'%s' line %ld: the root element is "
		    "<%s>: expected JUnit XML with a <testsuites> or "
		    "<testsuite> root", imp.name, top ? line_of(top) : 1L,
		    top ? (const char *)top->name : "none");
		goto out;
	}
	root.clock = FP_TIME_NONE;
	root.properties = json_object();
	if (is_element(top, "testsuite"))
		rc = testsuite(&imp, top, &root, &seen, 0);
	else
		rc = walk(&imp, top, &root, &seen, 0);
	json_decref(root.properties);
	if (rc != 0)
		goto out;
	if (is_element(top, "testsuites"))
		check_counts(&imp, top, "(all suites)", &seen);
	if (imp.cases == 0)
		warn(&imp, line_of(top), "no test cases: the run recorded no "
		    "steps");
	if (imp.zoneless)
		warn(&imp, 0, "timestamps without a zone were read as %s",
		    imp.zone_note);
out:
	xmlFreeDoc(doc);
	free(data);
	free(imp.zone_note);
	harness_zone_end(&imp.zone);
	return rc;
}

static int
junit_detect(const unsigned char *head, size_t len)
{
	char root[32];

	if (harness_xml_root_name(head, len, root, sizeof(root)) != 0)
		return 0;
	if (strcmp(root, "testsuites") == 0 || strcmp(root, "testsuite") == 0)
		return 90;
	return 0;
}

const struct fp_importer fp_importer_junit = {
	"junit",
	"JUnit/xUnit XML (pytest, Robot Framework --xunit, Jenkins, Maven)",
	junit_detect,
	junit_run,
};
