/*
 * The timeline importer: when traffic started and stopped, when and how
 * the failure was injected, when the standby took over.  It reads two
 * forms, and the first line that is not blank decides which.
 *
 * JSON Lines, failproof's own format (docs/harness.md), one object a line:
 *
 *   {"time": "2026-12-04T19:49:25.750Z", "event": "failure-injected",
 *    "host": "fwa", "method": "process-kill", "text": "kill -9 31537"}
 *
 * "time" and "event" are required; "host", "method" and "text" are
 * optional; any other member is ignored with a warning.
 *
 * Plain text, one entry a line: an ISO 8601 time, blanks, then free text,
 * as the lab drills' events.log writes it.  An entry whose text starts
 * with a marker is that marker's event; every other entry is a note.  The
 * default markers are below; --markers names a file that replaces them.
 * A line that starts with a blank continues the previous entry.
 *
 * Every entry becomes an event of kind failure_injected, takeover,
 * failback, traffic_start, traffic_stop or note, with the method in
 * detail and the text in message.  Times without a zone are read in
 * --tz (UTC by default) and the import reports the zone.  A line that is neither
 * an entry nor a continuation is a bad line: all of them are reported,
 * then the import fails.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

/* Longer lines are bad lines; real timeline entries are short. */
#define TIMELINE_MAX_LINE 65536
/* A markers file is a handful of lines. */
#define MARKERS_MAX_BYTES (64 * 1024)
#define MARKERS_MAX 64

struct event_name {
	const char *name;	/* as written in timelines and marker files */
	const char *kind;	/* the event kind stored */
};

static const struct event_name event_names[] = {
	{ "traffic-start", "traffic_start" },
	{ "failure-injected", "failure_injected" },
	{ "takeover", "takeover" },
	{ "failback", "failback" },
	{ "traffic-stop", "traffic_stop" },
	{ "note", "note" },
};

static const char *const methods[] = {
	"process-kill", "power", "link-down", "graceful",
};

struct marker {
	const char *kind;
	const char *method;	/* NULL: the entry does not say */
	char *text;
};

/* The markers the lab drills' events.log uses, and their counterparts. */
static const struct {
	const char *kind;
	const char *method;
	const char *text;
} default_markers[] = {
	{ "failure_injected", "process-kill", "KILL:" },
	{ "takeover", NULL, "HA:" },
	{ "traffic_start", NULL, "TRAFFIC START:" },
	{ "traffic_stop", NULL, "TRAFFIC STOP:" },
	{ "failback", NULL, "FAILBACK:" },
};

struct timeline_import {
	const struct fp_import_opts *opts;
	struct fp_sink *sink;
	const char *name;
	struct harness_zone zone;
	struct marker markers[MARKERS_MAX];
	size_t n_markers;

	long entries;
	long bad_lines;
	long first_bad;
	char first_bad_reason[512];
	fp_time last_ts;

	/* the text entry waiting for continuation lines */
	int pending;
	long pending_line;
	fp_time pending_ts;
	const struct marker *pending_marker;
	struct fp_buf pending_text;
};

static void
warn(struct timeline_import *imp, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
warn(struct timeline_import *imp, long line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	imp->sink->warn(imp->sink->ctx, line, msg);
}

static void
bad_line(struct timeline_import *imp, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
bad_line(struct timeline_import *imp, long line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	imp->sink->warn(imp->sink->ctx, line, msg);
	if (imp->bad_lines++ == 0) {
		imp->first_bad = line;
		snprintf(imp->first_bad_reason, sizeof(imp->first_bad_reason),
		    "%s", msg);
	}
}

static const char *
kind_of(const char *name)
{
	for (size_t i = 0; i < sizeof(event_names) / sizeof(event_names[0]);
	    i++)
		if (strcmp(event_names[i].name, name) == 0)
			return event_names[i].kind;
	return NULL;
}

static const char *
known_method(const char *s)
{
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(methods[i], s) == 0)
			return methods[i];
	return NULL;
}

static void
markers_free(struct timeline_import *imp)
{
	for (size_t i = 0; i < imp->n_markers; i++)
		free(imp->markers[i].text);
	imp->n_markers = 0;
}

static void
use_default_markers(struct timeline_import *imp)
{
	for (size_t i = 0; i < sizeof(default_markers) /
	    sizeof(default_markers[0]); i++) {
		imp->markers[i].kind = default_markers[i].kind;
		imp->markers[i].method = default_markers[i].method;
		imp->markers[i].text = xstrdup(default_markers[i].text);
	}
	imp->n_markers = sizeof(default_markers) / sizeof(default_markers[0]);
}

/* Cut the next blank-separated field from *p. */
static char *
next_field(char **p)
{
	char *start = *p, *end;

	while (*start == ' ' || *start == '\t')
		start++;
	if (*start == '\0')
		return NULL;
	end = start;
	while (*end != '\0' && *end != ' ' && *end != '\t')
		end++;
	if (*end != '\0')
		*end++ = '\0';
	*p = end;
	return start;
}

/*
 * Read a markers file: one marker a line, "EVENT METHOD TEXT" where
 * METHOD is "-" when the entry does not say how the failure was caused
 * and TEXT, the rest of the line, is what an entry's text starts with.
 * Lines starting with '#' are comments.
 */
static int
load_markers(struct timeline_import *imp, const char *path)
{
	char *data = NULL, *line, *next, *p, *event, *method;
	const char *mname = imp->opts->markers_name ?
	    imp->opts->markers_name : fp_basename(path);
	size_t len;
	long lineno = 0;
	int rc;

	if ((rc = harness_read(path, mname, MARKERS_MAX_BYTES, &data,
	    &len)) != 0)
		return rc;
	for (line = data; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		if (*line != '\0' && line[strlen(line) - 1] == '\r')
			line[strlen(line) - 1] = '\0';
		p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0' || *p == '#')
			continue;
		event = next_field(&p);
		method = next_field(&p);
		while (*p == ' ' || *p == '\t')
			p++;
		if (event == NULL || method == NULL || *p == '\0') {
			rc = fp_fail(FP_EINVAL, "markers file '%s' line %ld: "
			    "expected EVENT METHOD TEXT, such as "
			    "\"failure-injected process-kill KILL:\"", mname,
			    lineno);
			goto out;
		}
		if (kind_of(event) == NULL) {
			rc = fp_fail(FP_EINVAL, "markers file '%s' line %ld: "
			    "unknown event '%s': use traffic-start, "
			    "failure-injected, takeover, failback, "
			    "traffic-stop or note", mname, lineno, event);
			goto out;
		}
		if (strcmp(method, "-") != 0 && known_method(method) == NULL) {
			rc = fp_fail(FP_EINVAL, "markers file '%s' line %ld: "
			    "unknown method '%s': use process-kill, power, "
			    "link-down, graceful or -", mname, lineno, method);
			goto out;
		}
		if (imp->n_markers == MARKERS_MAX) {
			rc = fp_fail(FP_EINVAL, "markers file '%s' has more "
			    "than %d markers", mname, MARKERS_MAX);
			goto out;
		}
		imp->markers[imp->n_markers].kind = kind_of(event);
		imp->markers[imp->n_markers].method = strcmp(method, "-") == 0 ?
		    NULL : known_method(method);
		imp->markers[imp->n_markers].text = xstrdup(p);
		imp->n_markers++;
	}
	if (imp->n_markers == 0)
		rc = fp_fail(FP_EINVAL, "markers file '%s' has no markers",
		    mname);
out:
	free(data);
	return rc;
}

static int
emit(struct timeline_import *imp, long line, fp_time ts, const char *kind,
    const char *host, const char *method, const char *text)
{
	struct fp_event ev = { 0 };

	if (imp->last_ts != FP_TIME_NONE && ts < imp->last_ts)
		warn(imp, line, "this entry is %.3f s earlier than the one "
		    "before it: check the clock of the host that wrote the "
		    "timeline", (double)(imp->last_ts - ts) / 1e6);
	imp->last_ts = ts;
	ev.line = line;
	ev.ts = ts;
	ev.host = host != NULL ? host : imp->opts->host;
	ev.kind = kind;
	ev.detail = method;
	ev.message = text;
	ev.is_response = -1;
	ev.msgid = -1;
	imp->entries++;
	return imp->sink->event(imp->sink->ctx, &ev);
}

static int
flush_pending(struct timeline_import *imp)
{
	const struct marker *m = imp->pending_marker;
	int rc;

	if (!imp->pending)
		return 0;
	imp->pending = 0;
	rc = emit(imp, imp->pending_line, imp->pending_ts,
	    m ? m->kind : "note", NULL, m ? m->method : NULL,
	    imp->pending_text.data ? imp->pending_text.data : "");
	imp->pending_text.len = 0;
	if (imp->pending_text.data)
		imp->pending_text.data[0] = '\0';
	return rc;
}

static const struct marker *
match_marker(const struct timeline_import *imp, const char *text)
{
	for (size_t i = 0; i < imp->n_markers; i++)
		if (strncmp(text, imp->markers[i].text,
		    strlen(imp->markers[i].text)) == 0)
			return &imp->markers[i];
	return NULL;
}

static int
text_line(struct timeline_import *imp, char *line, long lineno)
{
	const char *text;
	fp_time ts;
	size_t n;
	int zoned, rc;

	if (*line == ' ' || *line == '\t') {
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line == '\0')
			return 0;
		if (!imp->pending) {
			bad_line(imp, lineno, "continuation line before any "
			    "entry: expected an ISO 8601 time at the start");
			return 0;
		}
		fp_buf_puts(&imp->pending_text, "\n");
		fp_buf_puts(&imp->pending_text, line);
		return 0;
	}
	if (*line == '\0')
		return 0;
	n = harness_parse_time(&imp->zone, line, &ts, &zoned);
	if (n == 0 || (line[n] != '\0' && line[n] != ' ' && line[n] != '\t')) {
		char *esc = fp_escape(line), *cut = harness_cut(esc, 40);

		bad_line(imp, lineno, "no ISO 8601 time at the start of \"%s\": "
		    "expected an entry such as \"2026-12-04T19:49:25.750Z "
		    "KILL: ...\"", cut);
		free(cut);
		free(esc);
		return 0;
	}
	if ((rc = flush_pending(imp)) != 0)
		return rc;
	text = line + n;
	while (*text == ' ' || *text == '\t')
		text++;
	imp->pending = 1;
	imp->pending_line = lineno;
	imp->pending_ts = ts;
	imp->pending_marker = match_marker(imp, text);
	imp->pending_text.len = 0;
	fp_buf_puts(&imp->pending_text, text);
	return 0;
}

static const char *
member_string(struct timeline_import *imp, json_t *obj, const char *key,
    long lineno, int *bad)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		bad_line(imp, lineno, "\"%s\" must be a string", key);
		*bad = 1;
		return NULL;
	}
	return json_string_value(v);
}

static int
json_line(struct timeline_import *imp, const char *line, size_t len,
    long lineno)
{
	const char *time, *event, *host, *method, *text, *key, *kind;
	json_error_t err;
	json_t *obj, *v;
	fp_time ts;
	size_t n;
	int zoned, bad = 0, rc;

	obj = json_loadb(line, len, JSON_REJECT_DUPLICATES, &err);
	if (obj == NULL) {
		bad_line(imp, lineno, "column %d: invalid JSON: %s", err.column,
		    err.text);
		return 0;
	}
	if (!json_is_object(obj)) {
		bad_line(imp, lineno, "expected a JSON object with \"time\" "
		    "and \"event\"");
		json_decref(obj);
		return 0;
	}
	time = member_string(imp, obj, "time", lineno, &bad);
	event = member_string(imp, obj, "event", lineno, &bad);
	host = member_string(imp, obj, "host", lineno, &bad);
	method = member_string(imp, obj, "method", lineno, &bad);
	text = member_string(imp, obj, "text", lineno, &bad);
	if (bad)
		goto out;
	if (time == NULL || event == NULL) {
		bad_line(imp, lineno, "\"time\" and \"event\" are required");
		goto out;
	}
	n = harness_parse_time(&imp->zone, time, &ts, &zoned);
	if (n == 0 || time[n] != '\0') {
		bad_line(imp, lineno, "invalid \"time\" \"%s\": expected ISO "
		    "8601 such as 2026-12-04T19:49:25.750Z", time);
		goto out;
	}
	if ((kind = kind_of(event)) == NULL) {
		bad_line(imp, lineno, "unknown \"event\" \"%s\": use "
		    "traffic-start, failure-injected, takeover, failback, "
		    "traffic-stop or note", event);
		goto out;
	}
	if (method != NULL && known_method(method) == NULL) {
		bad_line(imp, lineno, "unknown \"method\" \"%s\": use "
		    "process-kill, power, link-down or graceful", method);
		goto out;
	}
	json_object_foreach(obj, key, v) {
		if (strcmp(key, "time") && strcmp(key, "event") &&
		    strcmp(key, "host") && strcmp(key, "method") &&
		    strcmp(key, "text"))
			warn(imp, lineno, "member \"%s\" is not part of the "
			    "timeline format: ignored", key);
	}
	rc = emit(imp, lineno, ts, kind, host, method ?
	    known_method(method) : NULL, text);
	json_decref(obj);
	return rc;
out:
	json_decref(obj);
	return 0;
}

/*
 * Read one line into b without its line ending.  Returns 1 for a line, 0
 * at the end, -1 on a read error; *too_long is set for a line over the
 * limit or with a NUL byte.
 */
static int
read_line(FILE *f, struct fp_buf *b, int *too_long)
{
	int c, any = 0;
	char ch;

	b->len = 0;
	fp_buf_append(b, "", 0);
	*too_long = 0;
	while ((c = getc(f)) != EOF) {
		any = 1;
		if (c == '\n')
			break;
		if (b->len >= TIMELINE_MAX_LINE || c == '\0') {
			*too_long = 1;
			continue;
		}
		ch = (char)c;
		fp_buf_append(b, &ch, 1);
	}
	if (ferror(f))
		return -1;
	if (b->len > 0 && b->data[b->len - 1] == '\r')
		b->data[--b->len] = '\0';
	return any;
}

static int
read_entries(struct timeline_import *imp, FILE *f)
{
	struct fp_buf buf = { 0 };
	long lineno = 0;
	int got, too_long, is_json = -1, rc = 0;
	char *line;

	while ((got = read_line(f, &buf, &too_long)) > 0) {
		lineno++;
		line = buf.data;
		if (lineno == 1 && strncmp(line, "\xef\xbb\xbf", 3) == 0)
			line += 3;
		if (too_long) {
			bad_line(imp, lineno, "longer than %d bytes or binary",
			    TIMELINE_MAX_LINE);
			continue;
		}
		if (is_json < 0) {
			const char *p = line;

			while (isspace((unsigned char)*p))
				p++;
			if (*p == '\0')
				continue;
			is_json = *p == '{';
		}
		if (is_json) {
			const char *p = line;

			while (isspace((unsigned char)*p))
				p++;
			if (*p != '\0')
				rc = json_line(imp, line, strlen(line), lineno);
		} else {
			rc = text_line(imp, line, lineno);
		}
		if (rc != 0)
			break;
	}
	if (rc == 0 && got < 0)
		rc = fp_fail(FP_EIO, "cannot read '%s': %s", imp->name,
		    strerror(errno));
	if (rc == 0)
		rc = flush_pending(imp);
	fp_buf_free(&buf);
	return rc;
}

static int
timeline_run(const char *path, const struct fp_import_opts *opts,
    struct fp_sink *sink)
{
	struct timeline_import imp = { 0 };
	FILE *f = NULL;
	int rc;

	imp.opts = opts;
	imp.sink = sink;
	imp.name = opts->display_name ? opts->display_name :
	    fp_basename(path);
	imp.last_ts = FP_TIME_NONE;
	if ((rc = harness_zone_begin(&imp.zone, opts->tz)) != 0)
		return rc;
	if (opts->markers != NULL)
		rc = load_markers(&imp, opts->markers);
	else
		use_default_markers(&imp);
	if (rc != 0)
		goto out;
	f = fopen(path, "r");
	if (f == NULL) {
		rc = fp_fail(FP_EIO, "cannot open '%s': %s", imp.name,
		    strerror(errno));
		goto out;
	}
	if ((rc = read_entries(&imp, f)) != 0)
		goto out;
	if (imp.bad_lines > 0) {
		rc = fp_fail(FP_EINVAL, "'%s' line %ld: %s (%ld bad lines in "
		    "all): fix the timeline and import it again", imp.name,
		    imp.first_bad, imp.first_bad_reason, imp.bad_lines);
		goto out;
	}
	if (imp.entries == 0) {
		rc = fp_fail(FP_EINVAL, "'%s' has no timeline entries: "
		    "expected JSON Lines with \"time\" and \"event\", or lines "
		    "that start with an ISO 8601 time", imp.name);
		goto out;
	}
	if (imp.zone.used)
		warn(&imp, 0, "times without a zone were read as %s%s",
		    harness_zone_note(&imp.zone), opts->tz ? " (--tz)" :
		    " (--tz not given)");
out:
	if (f != NULL)
		fclose(f);
	fp_buf_free(&imp.pending_text);
	markers_free(&imp);
	harness_zone_end(&imp.zone);
	return rc;
}

/* Does a text line start with a time followed by a default marker? */
static int
has_default_marker(const char *line)
{
	struct harness_zone z = { .utc = 1 };
	fp_time ts;
	size_t n;
	int zoned;

	n = harness_parse_time(&z, line, &ts, &zoned);
	if (n == 0 || (line[n] != ' ' && line[n] != '\t'))
		return -1;
	line += n;
	while (*line == ' ' || *line == '\t')
		line++;
	for (size_t i = 0; i < sizeof(default_markers) /
	    sizeof(default_markers[0]); i++)
		if (strncmp(line, default_markers[i].text,
		    strlen(default_markers[i].text)) == 0)
			return 1;
	return 0;
}

/*
 * Score the first bytes: a first line that is a JSON object with "time"
 * and "event", or lines that all start with a time, one of them followed
 * by a default marker.
 */
static int
timeline_detect(const unsigned char *head, size_t len)
{
	char buf[4097], *line, *next;
	int lines = 0, markers = 0, r;

	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	if (memchr(head, '\0', len) != NULL)
		return 0;
	memcpy(buf, head, len);
	buf[len] = '\0';
	for (line = buf; line != NULL; line = next) {
		next = strchr(line, '\n');
		if (next == NULL && line != buf)
			break;
		if (next != NULL)
			*next++ = '\0';
		if (*line == '\0' || *line == '\r')
			continue;
		if (*line == '{') {
			json_t *o = json_loads(line, 0, NULL);
			int ok = lines == 0 && json_is_object(o) &&
			    json_is_string(json_object_get(o, "time")) &&
			    json_is_string(json_object_get(o, "event"));

			json_decref(o);
			return ok ? 95 : 0;
		}
		if (*line == ' ' || *line == '\t')
			continue;
		if ((r = has_default_marker(line)) < 0)
			return 0;
		markers += r;
		lines++;
	}
	return lines > 0 && markers > 0 ? 80 : 0;
}

const struct fp_importer fp_importer_timeline = {
	"timeline",
	"drill timeline: failproof JSON Lines, or timestamped text lines "
	    "with markers such as KILL: and HA:",
	timeline_detect,
	timeline_run,
};
