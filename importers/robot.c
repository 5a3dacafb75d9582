/*
 * The Robot Framework importer: output.xml from Robot Framework 2.8 to
 * 7.x, streamed with libxml2's reader so that large outputs are never
 * held whole.
 *
 * Steps: every test, every keyword directly under a test or a suite
 * (setups and teardowns included), and every ERROR message of the
 * <errors> section.  Nested keywords and control structures (FOR, IF,
 * TRY, WHILE) are not steps; their failures show in the keyword above
 * them.  A test's suite is the dotted path of suite names, as Robot
 * prints it; a keyword's suite is its test's or suite's path.
 *
 * Status: PASS is "passed", SKIP and NOT RUN are "skipped", and FAIL is
 * "failed".  A failed setup or teardown keyword is "error" instead, and
 * so is a failed test whose own body never ran or passed ("Setup
 * failed:", "Parent suite setup failed:", "Teardown failed:", "Parent
 * suite teardown failed:"), because the harness could not carry it out.
 *
 * Times: before Robot Framework 7 each <status> has starttime and endtime
 * as "20231116 17:35:01.773" ("N/A" when not run); from 7 on it has an
 * ISO 8601 start and the elapsed seconds.  Neither has a zone: Robot
 * writes local time, read here in --tz (UTC by default).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <strings.h>
#include <sys/stat.h>

#include <libxml/xmlreader.h>

#include "harness.h"

/* Larger outputs are rejected; the reader itself needs little memory. */
#define ROBOT_MAX_BYTES ((off_t)1 << 30)
/* The prolog check reads this much of the file. */
#define ROBOT_PROLOG_BYTES 65536
/* libxml2 stops at 256 levels without XML_PARSE_HUGE. */
#define ROBOT_MAX_DEPTH 256

enum frame_type {
	FRAME_SUITE,
	FRAME_TEST,
	FRAME_KW,
	FRAME_ERRORS,
	FRAME_OTHER,
};

struct frame {
	enum frame_type type;
	long line;
	char *name;
	char *path;		/* suite or test long name */
	char *kw_type;		/* SETUP, TEARDOWN, ... */
	char *id;
	int step;		/* a keyword that becomes a step */
	/* a test's keyword steps, emitted with the test */
	struct frame *kws;
	size_t n_kws;
	/* from the <status> child */
	int have_status;
	char *status;
	fp_time start;
	fp_time end;
	char *message;
};

struct robot_import {
	const struct fp_import_opts *opts;
	struct fp_sink *sink;
	const char *name;
	struct harness_zone zone;
	char *zone_note;
	struct frame *stack;
	size_t depth;
	size_t cap;
	long tests;
	long steps;
	long bad_times;
	int seen_root;
	/* the first error libxml2 reported */
	int error_line;
	int error_column;
	char error_text[256];
};

static void
warn(struct robot_import *imp, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
warn(struct robot_import *imp, long line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	imp->sink->warn(imp->sink->ctx, line, msg);
}

static void
record_error(void *arg, xmlErrorPtr e)
{
	struct robot_import *imp = arg;
	size_t n;

	if (imp->error_text[0] != '\0' || e == NULL)
		return;
	imp->error_line = e->line;
	imp->error_column = e->int2;
	snprintf(imp->error_text, sizeof(imp->error_text), "%s",
	    e->message ? e->message : "parse error");
	n = strlen(imp->error_text);
	while (n > 0 && isspace((unsigned char)imp->error_text[n - 1]))
		imp->error_text[--n] = '\0';
}

static char *
get_attr(xmlTextReaderPtr r, const char *name)
{
	xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
	char *s;

	if (v == NULL)
		return NULL;
	s = xstrdup((const char *)v);
	xmlFree(v);
	return s;
}

/* The text inside the current element, trimmed; NULL when blank. */
static char *
inner_text(xmlTextReaderPtr r)
{
	xmlChar *v = xmlTextReaderReadString(r);
	char *start, *end, *s;

	if (v == NULL)
		return NULL;
	start = (char *)v;
	while (isspace((unsigned char)*start))
		start++;
	end = start + strlen(start);
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	s = end > start ? xstrndup(start, (size_t)(end - start)) : NULL;
	xmlFree(v);
	return s;
}

/*
 * Parse "20231116 17:35:01.773" (Robot Framework before 7) or ISO 8601
 * (from 7 on).  Returns 0, or -1 for text that is neither; "N/A" and an
 * empty value give FP_TIME_NONE.
 */
static int
parse_robot_time(struct robot_import *imp, const char *s, fp_time *out)
{
	char iso[40];
	int zoned;
	size_t n;

	*out = FP_TIME_NONE;
	if (s == NULL || *s == '\0' || strcmp(s, "N/A") == 0)
		return 0;
	if (strlen(s) >= 17 && s[8] == ' ' && isdigit((unsigned char)s[0])) {
		/* YYYYMMDD HH:MM:SS[.mmm] -> YYYY-MM-DDTHH:MM:SS[.mmm] */
		snprintf(iso, sizeof(iso), "%.4s-%.2s-%.2sT%s", s, s + 4, s + 6,
		    s + 9);
		s = iso;
	}
	n = harness_parse_time(&imp->zone, s, out, &zoned);
	if (n == 0 || s[n] != '\0') {
		*out = FP_TIME_NONE;
		return -1;
	}
	return 0;
}

static void
frame_free(struct frame *f)
{
	for (size_t i = 0; i < f->n_kws; i++)
		frame_free(&f->kws[i]);
	free(f->kws);
	free(f->name);
	free(f->path);
	free(f->kw_type);
	free(f->id);
	free(f->status);
	free(f->message);
	memset(f, 0, sizeof(*f));
}

static struct frame *
top(struct robot_import *imp)
{
	return imp->depth > 0 ? &imp->stack[imp->depth - 1] : NULL;
}

static struct frame *
push(struct robot_import *imp, enum frame_type type, long line)
{
	struct frame *f;

	if (imp->depth == imp->cap) {
		imp->cap = imp->cap ? imp->cap * 2 : 32;
		imp->stack = xrealloc(imp->stack, imp->cap * sizeof(*f));
	}
	f = &imp->stack[imp->depth++];
	memset(f, 0, sizeof(*f));
	f->type = type;
	f->line = line;
	f->start = f->end = FP_TIME_NONE;
	return f;
}

/* The nearest suite or test around the top frame. */
static const struct frame *
enclosing(const struct robot_import *imp, int tests_too)
{
	for (size_t i = imp->depth; i > 0; i--) {
		const struct frame *f = &imp->stack[i - 1];

		if (f->type == FRAME_SUITE || (tests_too &&
		    f->type == FRAME_TEST))
			return f;
	}
	return NULL;
}

static void
read_status(struct robot_import *imp, xmlTextReaderPtr r, struct frame *f,
    long line)
{
	char *status = get_attr(r, "status");
	char *start = get_attr(r, "starttime"), *end = get_attr(r, "endtime");
	char *start7 = get_attr(r, "start"), *elapsed = get_attr(r, "elapsed");
	fp_time t0, t1 = FP_TIME_NONE;
	int bad = 0;

	f->have_status = 1;
	free(f->status);
	f->status = status;
	bad |= parse_robot_time(imp, start7 ? start7 : start, &t0) != 0;
	if (start7 == NULL)
		bad |= parse_robot_time(imp, end, &t1) != 0;
	else if (elapsed != NULL && t0 != FP_TIME_NONE) {
		char *stop;
		double secs = strtod(elapsed, &stop);

		if (stop == elapsed || *stop != '\0' || !isfinite(secs) ||
		    secs < 0)
			bad = 1;
		else
			t1 = t0 + (fp_time)llround(secs * 1e6);
	}
	if (bad && imp->bad_times++ == 0)
		warn(imp, line, "invalid time in <status>: expected "
		    "\"20231116 17:35:01.773\" or ISO 8601; the step's time is "
		    "unknown");
	f->start = t0;
	f->end = t1;
	free(f->message);
	f->message = xmlTextReaderIsEmptyElement(r) ? NULL : inner_text(r);
	free(start);
	free(end);
	free(start7);
	free(elapsed);
}

static const char *
step_status(const char *robot_status)
{
	if (robot_status == NULL)
		return "error";
	if (strcmp(robot_status, "PASS") == 0)
		return "passed";
	if (strcmp(robot_status, "FAIL") == 0)
		return "failed";
	if (strcmp(robot_status, "SKIP") == 0 ||
	    strcmp(robot_status, "NOT RUN") == 0 ||
	    strcmp(robot_status, "NOT_RUN") == 0)
		return "skipped";
	return "error";
}

/* A failed test whose own body never ran or passed. */
static int
harness_failure(const char *message)
{
	static const char *const prefixes[] = { "Setup failed:",
	    "Parent suite setup failed:", "Teardown failed:",
	    "Parent suite teardown failed:" };

	for (size_t i = 0; message && i < sizeof(prefixes) /
	    sizeof(prefixes[0]); i++)
		if (strncmp(message, prefixes[i], strlen(prefixes[i])) == 0)
			return 1;
	return 0;
}

static int
emit(struct robot_import *imp, const struct frame *f, const char *suite,
    const char *kind, const char *status)
{
	struct fp_step st = { 0 };
	char *detail = NULL;
	int rc;

	/* jansson escapes the id: it is text from the file. */
	if (f->id != NULL) {
		json_t *o = json_pack("{s:s}", "id", f->id);

		detail = o ? json_dumps(o, JSON_COMPACT) : NULL;
		json_decref(o);
	}
	st.line = f->line;
	st.name = f->name && *f->name ? f->name : "(unnamed)";
	st.suite = suite;
	st.kind = kind;
	st.status = status;
	st.start = f->start;
	st.end = f->end;
	/* An end before the start is a broken clock, not a negative
	 * duration: the duration is unknown. */
	st.duration = f->start != FP_TIME_NONE && f->end != FP_TIME_NONE &&
	    f->end >= f->start ? f->end - f->start : -1;
	st.zone = f->start != FP_TIME_NONE ? imp->zone_note : NULL;
	st.message = f->message;
	st.detail = detail;
	imp->steps++;
	rc = imp->sink->step(imp->sink->ctx, &st);
	free(detail);
	return rc;
}

static int emit_keyword(struct robot_import *imp, const struct frame *f,
    const char *owner, int skipped_test);

/*
 * A test's keywords are emitted with it: a keyword that failed in a test
 * that Robot then skipped (--skiponfailure) is skipped too.
 */
static int
end_test(struct robot_import *imp, const struct frame *f)
{
	const struct frame *suite = enclosing(imp, 0);
	const char *status = step_status(f->status);
	int rc;

	for (size_t i = 0; i < f->n_kws; i++)
		if ((rc = emit_keyword(imp, &f->kws[i], f->path,
		    strcmp(status, "skipped") == 0)) != 0)
			return rc;
	imp->tests++;
	if (!f->have_status)
		warn(imp, f->line, "test '%s' has no <status>: recorded as an "
		    "error (the output may be cut short)", f->name ? f->name :
		    "");
	else if (strcmp(status, "failed") == 0 && harness_failure(f->message))
		status = "error";
	return emit(imp, f, suite ? suite->path : NULL, "test", status);
}

static int
emit_keyword(struct robot_import *imp, const struct frame *f,
    const char *owner, int skipped_test)
{
	const char *status = step_status(f->status), *kind = "keyword";

	if (f->kw_type != NULL && strcasecmp(f->kw_type, "setup") == 0)
		kind = "setup";
	else if (f->kw_type != NULL && strcasecmp(f->kw_type, "teardown") == 0)
		kind = "teardown";
	if (skipped_test && strcmp(status, "failed") == 0)
		status = "skipped";
	else if (strcmp(kind, "keyword") != 0 && strcmp(status, "failed") == 0)
		status = "error";
	return emit(imp, f, owner, kind, status);
}

/* A suite's keyword is a step now; a test's waits for the test. */
static int
end_keyword(struct robot_import *imp, struct frame *f)
{
	struct frame *owner = NULL;

	for (size_t i = imp->depth; i > 0 && owner == NULL; i--)
		if (imp->stack[i - 1].type == FRAME_SUITE ||
		    imp->stack[i - 1].type == FRAME_TEST)
			owner = &imp->stack[i - 1];
	if (owner == NULL || owner->type == FRAME_SUITE)
		return emit_keyword(imp, f, owner ? owner->path : NULL, 0);
	owner->kws = xrealloc(owner->kws, (owner->n_kws + 1) *
	    sizeof(*owner->kws));
	owner->kws[owner->n_kws++] = *f;
	memset(f, 0, sizeof(*f));
	return 0;
}

/* An ERROR message of the <errors> section: Robot could not run part of
 * the suite (a missing library, a syntax error). */
static int
error_message(struct robot_import *imp, xmlTextReaderPtr r, long line)
{
	char *level = get_attr(r, "level");
	char *ts = get_attr(r, "timestamp"), *t7 = get_attr(r, "time");
	struct frame f = { 0 };
	int rc = 0;

	if (level != NULL && strcmp(level, "ERROR") == 0) {
		f.line = line;
		f.name = xstrdup("Robot Framework execution error");
		if (parse_robot_time(imp, t7 ? t7 : ts, &f.start) != 0)
			warn(imp, line, "invalid time in an error message: its "
			    "time is unknown");
		f.end = f.start;
		f.message = xmlTextReaderIsEmptyElement(r) ? NULL :
		    inner_text(r);
		rc = emit(imp, &f, "errors", "error", "error");
		frame_free(&f);
	}
	free(level);
	free(ts);
	free(t7);
	return rc;
}

static char *
keyword_name(xmlTextReaderPtr r)
{
	char *name = get_attr(r, "name"), *lib = get_attr(r, "library"), *full;

	if (lib == NULL)
		lib = get_attr(r, "owner");
	if (lib == NULL || name == NULL || *lib == '\0') {
		free(lib);
		return name;
	}
	full = xasprintf("%s.%s", lib, name);
	free(lib);
	free(name);
	return full;
}

static int
start_element(struct robot_import *imp, xmlTextReaderPtr r, long line)
{
	const char *el = (const char *)xmlTextReaderConstLocalName(r);
	struct frame *parent = top(imp), *f;
	enum frame_type type = FRAME_OTHER;

	if (!imp->seen_root) {
		imp->seen_root = 1;
		if (strcmp(el, "robot") != 0)
			return fp_fail(FP_EINVAL, "'%s' line %ld: the root "
			    "element is <%s>: expected Robot Framework "
			    "output.xml with a <robot> root", imp->name, line,
			    el);
		push(imp, FRAME_OTHER, line);
		return 0;
	}
	if (imp->depth >= ROBOT_MAX_DEPTH)
		return fp_fail(FP_EINVAL, "'%s' line %ld: elements nested more "
		    "than %d deep: not accepted", imp->name, line,
		    ROBOT_MAX_DEPTH);
	if (strcmp(el, "status") == 0) {
		if (parent != NULL && parent->type != FRAME_OTHER &&
		    parent->type != FRAME_ERRORS)
			read_status(imp, r, parent, line);
	} else if (strcmp(el, "msg") == 0 && parent != NULL &&
	    parent->type == FRAME_ERRORS) {
		int rc = error_message(imp, r, line);

		if (rc != 0)
			return rc;
	}

	if (strcmp(el, "suite") == 0 && (imp->depth == 1 ||
	    (parent != NULL && parent->type == FRAME_SUITE)))
		type = FRAME_SUITE;
	else if (strcmp(el, "test") == 0 && parent != NULL &&
	    parent->type == FRAME_SUITE)
		type = FRAME_TEST;
	else if (strcmp(el, "kw") == 0)
		type = FRAME_KW;
	else if (strcmp(el, "errors") == 0 && imp->depth == 1)
		type = FRAME_ERRORS;
	f = push(imp, type, line);
	parent = imp->depth > 1 ? &imp->stack[imp->depth - 2] : NULL;
	if (type == FRAME_SUITE || type == FRAME_TEST) {
		const struct frame *s = enclosing(imp, 0);

		/* enclosing() finds f itself for a suite; look above it. */
		if (type == FRAME_SUITE)
			s = parent != NULL && parent->type == FRAME_SUITE ?
			    parent : NULL;
		f->name = get_attr(r, "name");
		f->id = get_attr(r, "id");
		f->path = s != NULL && s->path != NULL ?
		    xasprintf("%s.%s", s->path, f->name ? f->name : "") :
		    xstrdup(f->name ? f->name : "");
	} else if (type == FRAME_KW) {
		f->name = keyword_name(r);
		f->kw_type = get_attr(r, "type");
		f->step = parent != NULL && (parent->type == FRAME_SUITE ||
		    parent->type == FRAME_TEST);
	}
	return 0;
}

static int
end_element(struct robot_import *imp)
{
	struct frame *f = top(imp);
	int rc = 0;

	if (f == NULL)
		return 0;
	imp->depth--;
	/* The frame stays readable below the new top until it is freed. */
	if (f->type == FRAME_TEST)
		rc = end_test(imp, f);
	else if (f->type == FRAME_KW && f->step)
		rc = end_keyword(imp, f);
	frame_free(f);
	return rc;
}

static int
read_all(struct robot_import *imp, xmlTextReaderPtr r)
{
	int got, rc = 0;

	while (rc == 0 && (got = xmlTextReaderRead(r)) == 1) {
		int type = xmlTextReaderNodeType(r);
		xmlNodePtr node = xmlTextReaderCurrentNode(r);
		long line = node != NULL ? xmlGetLineNo(node) :
		    xmlTextReaderGetParserLineNumber(r);

		if (type == XML_READER_TYPE_DOCUMENT_TYPE)
			return fp_fail(FP_EINVAL, "'%s' line %ld: the document "
			    "declares a DOCTYPE, which Robot Framework never "
			    "writes: rejected", imp->name, line);
		if (type == XML_READER_TYPE_ELEMENT) {
			int empty = xmlTextReaderIsEmptyElement(r);

			rc = start_element(imp, r, line);
			if (rc == 0 && empty)
				rc = end_element(imp);
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			rc = end_element(imp);
		}
	}
	if (rc != 0)
		return rc;
	if (got < 0 || imp->error_text[0] != '\0')
		return fp_fail(FP_EINVAL, "'%s' line %d column %d: invalid "
		    "XML: %s", imp->name, imp->error_line, imp->error_column,
		    imp->error_text[0] ? imp->error_text : "parse error");
	return 0;
}

/* Reject a DOCTYPE before the reader parses the file. */
static int
check_prolog(struct robot_import *imp, const char *path)
{
	char buf[ROBOT_PROLOG_BYTES];
	size_t n;
	FILE *f;

	f = fopen(path, "rb");
	if (f == NULL)
		return fp_fail(FP_EIO, "cannot open '%s': %s", imp->name,
		    strerror(errno));
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return harness_xml_check_prolog(buf, n, imp->name);
}

static int
robot_run(const char *path, const struct fp_import_opts *opts,
    struct fp_sink *sink)
{
	struct robot_import imp = { 0 };
	xmlTextReaderPtr reader = NULL;
	struct stat st;
	int rc;

	imp.opts = opts;
	imp.sink = sink;
	imp.name = opts->display_name ? opts->display_name :
	    fp_basename(path);
	if (sink->step == NULL)
		return fp_fail(FP_EINVAL, "'%s': this import cannot store test "
		    "steps", imp.name);
	if (stat(path, &st) != 0)
		return fp_fail(FP_EIO, "cannot read '%s': %s", imp.name,
		    strerror(errno));
	if (st.st_size > ROBOT_MAX_BYTES)
		return fp_fail(FP_EINVAL, "'%s' is larger than the limit of "
		    "%lld MiB for Robot Framework output: split the run",
		    imp.name, (long long)(ROBOT_MAX_BYTES >> 20));
	if ((rc = check_prolog(&imp, path)) != 0)
		return rc;
	if ((rc = harness_zone_begin(&imp.zone, opts->tz)) != 0)
		return rc;
	imp.zone_note = xasprintf("%s (%s)", harness_zone_note(&imp.zone),
	    opts->tz ? "--tz" : "--tz not given");

	reader = xmlReaderForFile(path, NULL, harness_xml_options());
	if (reader == NULL) {
		rc = fp_fail(FP_EIO, "'%s': cannot open an XML reader",
		    imp.name);
		goto out;
	}
	xmlTextReaderSetStructuredErrorHandler(reader, record_error, &imp);
	if ((rc = read_all(&imp, reader)) != 0)
		goto out;
	if (!imp.seen_root) {
		rc = fp_fail(FP_EINVAL, "'%s' has no XML element: expected "
		    "Robot Framework output.xml", imp.name);
		goto out;
	}
	if (imp.tests == 0)
		warn(&imp, 0, "no tests: the output records no test steps");
	if (imp.zone.used)
		warn(&imp, 0, "Robot Framework writes local time without a "
		    "zone: times were read as %s", imp.zone_note);
out:
	while (imp.depth > 0)
		frame_free(&imp.stack[--imp.depth]);
	free(imp.stack);
	if (reader != NULL)
		xmlFreeTextReader(reader);
	free(imp.zone_note);
	harness_zone_end(&imp.zone);
	return rc;
}

static int
robot_detect(const unsigned char *head, size_t len)
{
	char root[32];

	if (harness_xml_root_name(head, len, root, sizeof(root)) != 0)
		return 0;
	return strcmp(root, "robot") == 0 ? 90 : 0;
}

const struct fp_importer fp_importer_robot = {
	"robot",
	"Robot Framework output.xml (2.8 to 7.x)",
	robot_detect,
	robot_run,
};
