/*
 * The iperf3 importer: "iperf3 --json" results from 3.0 to 3.16, client
 * or server side, a client result that embeds the server's
 * (server_output_json), or a JSON array of results.  One sample per
 * reporting interval and direction.
 *
 * The process that wrote a result measured what it sent or what it
 * received.  An interval is the receiver's when its "sender" member is
 * false.  Results older than 3.1 have no such member, so the role decides:
 * a client sends unless -R, a server receives unless -R.  Only the
 * receiver measures what was delivered.  Sender intervals are therefore kept
 * with delivered unknown, and only for directions that no receiver
 * interval of the file covers.
 *
 * What real files hold besides JSON, and how it is read:
 *   - "nan", "-nan", "inf" where iperf 3.0 divided by zero in an
 *     interval without packets: read as null (unknown) with a warning;
 *     the importer never turns them into 0 % loss;
 *   - a receiver interval with no packets, whatever its lost_percent
 *     reads: delivered 0, offered and lost unknown (the losses show up in
 *     a later interval, once a packet arrives);
 *   - text before the document (a warning line) or after it (a --logfile
 *     error line): ignored with a warning;
 *   - an "error" member (the test stopped early, "end" empty): the
 *     intervals before it are kept, the last sample's note starts with
 *     "iperf3 error: " and the error is also reported through
 *     sink->warn.  Whether it is evidence of the outage or makes the run
 *     errored is for the evaluation to decide.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "importer.h"

/*
 * Larger files are rejected before parsing, because jansson needs several
 * times the file's size in memory.  A one-stream interval takes about 600
 * bytes (tests/data/drills/A-dataplane-failover/lan.iperf3-client.json:
 * 56910 bytes for 45 client and 45 server intervals), so the limit allows
 * about two days of one-second intervals.
 */
#define IPERF3_MAX_BYTES ((size_t)128 << 20)

#define USEC_PER_SEC INT64_C(1000000)

/* A sample with its own copies of the strings it points to. */
struct pending_sample {
	struct fp_sample s;
	char *src;
	char *dst;
	char *note;
	int receiver;
	int doc;		/* index of the result it came from */
};

struct iperf3_import {
	const struct fp_import_opts *opts;
	struct fp_sink *sink;
	const char *name;
	long error_line;	/* line of the top-level "error" member */

	struct pending_sample *samples;
	size_t nsamples;
	size_t cap;
	int ndocs;
};

/* The JSON document cut out of the file. */
struct json_text {
	char *clean;		/* the document, non-numbers replaced by null */
	size_t clean_len;
	long first_line;	/* line of the document's first byte */
};

static void
warn(struct iperf3_import *imp, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
warn(struct iperf3_import *imp, long line, const char *fmt, ...)
{
	char msg[640];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	imp->sink->warn(imp->sink->ctx, line, msg);
}

/* Copy a line of hostile text for a message: at most 60 bytes, escaped. */
static char *
quote_line(const char *s, size_t len)
{
	char *cut, *esc, *out;

	cut = xstrndup(s, len > 60 ? 60 : len);
	esc = fp_escape(cut);
	free(cut);
	if (len <= 60)
		return esc;
	out = xasprintf("%s...", esc);
	free(esc);
	return out;
}

/*
 * The length of a NaN or infinity token at p ("nan", "-nan", "inf",
 * "-Infinity", ...) followed by a delimiter, or 0.
 */
static size_t
non_number_token(const char *p, const char *end)
{
	static const char *const words[] = { "nan", "infinity", "inf" };
	const char *q = p;

	if (q < end && (*q == '-' || *q == '+'))
		q++;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i]);

		if ((size_t)(end - q) >= n && strncasecmp(q, words[i], n) == 0 &&
		    (q + n == end || strchr(" \t\r\n,]}", q[n]) != NULL))
			return (size_t)(q + n - p);
	}
	return 0;
}

/*
 * Find the JSON document in data: skip lines before the first one that
 * starts with '{' or '[', copy the first complete value with non-numbers
 * replaced by null, and warn about the text around it.
 */
static int
extract_json(struct iperf3_import *imp, const char *data, size_t len,
    struct json_text *jt)
{
	struct fp_buf out = { 0 };
	size_t i = 0, j, line_start, end;
	long line = 1, column = 1;
	int depth = 0, in_string = 0;
	char *q;

	for (;;) {
		j = i;
		while (j < len && (data[j] == ' ' || data[j] == '\t' ||
		    data[j] == '\r'))
			j++;
		if (j < len && (data[j] == '{' || data[j] == '['))
			break;
		end = j;
		while (end < len && data[end] != '\n')
			end++;
		if (end >= len)
			return fp_fail(FP_EINVAL, "'%s' has no JSON document: "
			    "expected the output of iperf3 --json", imp->name);
		if (end > j) {
			q = quote_line(data + j, end - j);
			warn(imp, line, "text before the JSON document ignored: "
			    "\"%s\"", q);
			free(q);
		}
		i = end + 1;
		line++;
	}
	jt->first_line = line;
	line_start = i;
	i = j;

	for (; i < len; i++) {
		char c = data[i];
		size_t n;

		if (in_string) {
			if (c == '\\' && i + 1 < len) {
				fp_buf_append(&out, data + i, 2);
				i++;
				continue;
			}
			if (c == '"')
				in_string = 0;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			depth--;
		} else if ((n = non_number_token(data + i,
		    data + len)) > 0) {
			q = xstrndup(data + i, n);
			warn(imp, line, "column %ld: %s is not a JSON number: "
			    "read as unknown", column + (long)(i - line_start),
			    q);
			free(q);
			fp_buf_puts(&out, "null");
			i += n - 1;
			continue;
		}
		if (c == '\n') {
			line++;
			line_start = i + 1;
		}
		fp_buf_append(&out, &c, 1);
		if (depth == 0 && !in_string) {
			i++;
			break;
		}
	}

	while (i < len && isspace((unsigned char)data[i])) {
		if (data[i] == '\n')
			line++;
		i++;
	}
	if (i < len) {
		end = i;
		while (end < len && data[end] != '\n')
			end++;
		q = quote_line(data + i, end - i);
		warn(imp, line, "text after the JSON document ignored: \"%s\"",
		    q);
		free(q);
	}
	jt->clean_len = out.len;
	jt->clean = fp_buf_detach(&out);
	return 0;
}

/* The line of the last top-level "error" member, 0 when not found. */
static long
error_member_line(const char *data, size_t len)
{
	long line = 1, found = 0;

	for (size_t i = 0; i < len; i++) {
		if (data[i] == '\n')
			line++;
		else if (data[i] == '"' && len - i > 7 &&
		    memcmp(data + i, "\"error\"", 7) == 0)
			found = line;
	}
	return found;
}

static double
number(json_t *obj, const char *key, double absent)
{
	json_t *v = json_object_get(obj, key);

	return json_is_number(v) ? json_number_value(v) : absent;
}

static int
flag(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	if (json_is_boolean(v))
		return json_is_true(v);
	return json_is_integer(v) && json_integer_value(v) != 0;
}

static const char *
string(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static struct pending_sample *
new_sample(struct iperf3_import *imp)
{
	struct pending_sample *ps;

	if (imp->nsamples == imp->cap) {
		imp->cap = imp->cap ? 2 * imp->cap : 64;
		imp->samples = xrealloc(imp->samples,
		    imp->cap * sizeof(*imp->samples));
	}
	ps = &imp->samples[imp->nsamples++];
	memset(ps, 0, sizeof(*ps));
	return ps;
}

/* The endpoints and role of one result. */
struct result_info {
	int doc;
	const char *local;
	const char *remote;
	int udp;
	int sends_forward;	/* this process sends the "sum" data */
	int64_t timesecs;
};

/* Add the sample of one interval sum; sender: this process sent it. */
static void
add_interval(struct iperf3_import *imp, const struct result_info *ri,
    json_t *sum, int sender, long number_in_doc)
{
	struct pending_sample *ps = new_sample(imp);
	double start = number(sum, "start", NAN), end = number(sum, "end", NAN);
	double packets = number(sum, "packets", NAN);
	double lost = number(sum, "lost_packets", NAN);
	double retransmits = number(sum, "retransmits", NAN);
	char note[160] = "";

	ps->doc = ri->doc;
	ps->receiver = !sender;
	ps->src = xstrdup(sender ? ri->local : ri->remote);
	ps->dst = xstrdup(sender ? ri->remote : ri->local);
	ps->s.line = number_in_doc;
	ps->s.source = "iperf3";
	ps->s.both_directions = 0;
	ps->s.t_start = ri->timesecs * USEC_PER_SEC +
	    (fp_time)llround(start * 1e6);
	ps->s.t_end = ri->timesecs * USEC_PER_SEC + (fp_time)llround(end * 1e6);
	ps->s.bytes = (int64_t)number(sum, "bytes", -1);
	ps->s.resolution = USEC_PER_SEC;
	ps->s.offered = ps->s.delivered = ps->s.lost = -1;

	if (sender) {
		if (ri->udp && !isnan(packets))
			ps->s.offered = (int64_t)packets;
		snprintf(note, sizeof(note), "sender side: delivery unknown");
		if (!isnan(retransmits) && retransmits > 0)
			snprintf(note, sizeof(note), "sender side: delivery "
			    "unknown; %.0f TCP retransmits", retransmits);
	} else if (ri->udp && !isnan(packets) && packets == 0) {
		ps->s.delivered = 0;
		snprintf(note, sizeof(note), "no packet received: losses are "
		    "counted in a later interval");
	} else if (ri->udp && !isnan(packets) && !isnan(lost) &&
	    packets >= lost) {
		ps->s.offered = (int64_t)packets;
		ps->s.lost = (int64_t)lost;
		ps->s.delivered = ps->s.offered - ps->s.lost;
	} else if (ri->udp) {
		snprintf(note, sizeof(note), "packet counts missing or "
		    "inconsistent: delivery unknown");
	} else if (ps->s.bytes == 0) {
		ps->s.delivered = 0;
		snprintf(note, sizeof(note), "no data received");
	}
	if (flag(sum, "omitted"))
		snprintf(note + strlen(note), sizeof(note) - strlen(note),
		    "%somitted by iperf3 -O", note[0] ? "; " : "");
	ps->note = note[0] ? xstrdup(note) : NULL;
}

static const char *
first_host(json_t *start, const char *key)
{
	json_t *connected = json_object_get(start, "connected");

	return string(json_array_get(connected, 0), key);
}

/* Collect the samples of one result object. */
static int
add_result(struct iperf3_import *imp, json_t *res, const char *where)
{
	json_t *start, *intervals, *test, *iv, *embedded;
	struct result_info ri = { 0 };
	const char *error, *local, *remote;
	int server, reverse;
	size_t i, first = imp->nsamples;
	double duration;
	char requested[48] = "";

	start = json_object_get(res, "start");
	intervals = json_object_get(res, "intervals");
	if (!json_is_object(start))
		return fp_fail(FP_EINVAL, "'%s': %s has no \"start\" object: "
		    "not an iperf3 --json result", imp->name, where);
	test = json_object_get(start, "test_start");
	ri.doc = imp->ndocs++;
	ri.udp = string(test, "protocol") != NULL &&
	    strcmp(string(test, "protocol"), "UDP") == 0;
	server = json_object_get(start, "accepted_connection") != NULL &&
	    json_object_get(start, "connecting_to") == NULL;
	reverse = flag(test, "reverse");
	ri.sends_forward = server ? reverse : !reverse;

	local = first_host(start, "local_host");
	remote = first_host(start, "remote_host");
	if (remote == NULL)
		remote = string(json_object_get(start,
		    server ? "accepted_connection" : "connecting_to"), "host");
	if (local == NULL)
		local = imp->opts->host;
	ri.local = local != NULL ? local : "local";
	ri.remote = remote != NULL ? remote : "remote";

	if (json_array_size(intervals) > 0) {
		json_t *ts = json_object_get(json_object_get(start,
		    "timestamp"), "timesecs");

		if (!json_is_integer(ts))
			return fp_fail(FP_EINVAL, "'%s': %s has no integer "
			    "start.timestamp.timesecs: the intervals cannot be "
			    "placed in time", imp->name, where);
		ri.timesecs = json_integer_value(ts);
	}

	json_array_foreach(intervals, i, iv) {
		json_t *sum = json_object_get(iv, "sum");
		json_t *rev = json_object_get(iv, "sum_bidir_reverse");
		json_t *sender;

		if (!json_is_object(sum)) {
			warn(imp, 0, "interval %zu of %s has no \"sum\": "
			    "skipped", i + 1, where);
			continue;
		}
		sender = json_object_get(sum, "sender");
		add_interval(imp, &ri, sum, json_is_boolean(sender) ?
		    json_is_true(sender) : ri.sends_forward, (long)i + 1);
		if (json_is_object(rev)) {
			sender = json_object_get(rev, "sender");
			add_interval(imp, &ri, rev, json_is_boolean(sender) ?
			    json_is_true(sender) : !ri.sends_forward,
			    (long)i + 1);
		}
	}

	error = string(res, "error");
	if (error != NULL) {
		struct pending_sample *last = imp->nsamples > first ?
		    &imp->samples[imp->nsamples - 1] : NULL;
		double done = last ? number(json_object_get(json_array_get(
		    intervals, json_array_size(intervals) - 1), "sum"), "end",
		    0) : 0;
		char *note;

		duration = number(test, "duration", 0);
		if (duration > 0)
			snprintf(requested, sizeof(requested), " of the %.0f s "
			    "requested", duration);
		warn(imp, ri.doc == 0 ? imp->error_line : 0, "iperf3 reported "
		    "the error \"%s\"; its %zu intervals, up to %.1f s%s, are "
		    "kept", error, json_array_size(intervals), done,
		    requested);
		if (last != NULL) {
			note = xasprintf("iperf3 error: %s%s%s", error,
			    last->note ? "; " : "", last->note ? last->note :
			    "");
			free(last->note);
			last->note = note;
		}
	}

	embedded = json_object_get(res, "server_output_json");
	if (json_is_object(embedded))
		return add_result(imp, embedded, "server_output_json");
	return 0;
}

/*
 * Emit the samples, dropping sender intervals of the directions that
 * receiver intervals cover.
 */
static int
emit_samples(struct iperf3_import *imp)
{
	struct pending_sample **covered = NULL;
	size_t ncovered = 0;
	int rc = 0;

	for (size_t i = 0; i < imp->nsamples; i++) {
		struct pending_sample *ps = &imp->samples[i];
		size_t j;

		if (!ps->receiver)
			continue;
		for (j = 0; j < ncovered; j++)
			if (strcmp(covered[j]->src, ps->src) == 0 &&
			    strcmp(covered[j]->dst, ps->dst) == 0)
				break;
		if (j == ncovered) {
			covered = xrealloc(covered,
			    (ncovered + 1) * sizeof(*covered));
			covered[ncovered++] = ps;
		}
	}

	for (size_t i = 0; i < imp->nsamples && rc == 0; i++) {
		struct pending_sample *ps = &imp->samples[i];
		size_t j;

		for (j = 0; !ps->receiver && j < ncovered; j++)
			if (strcmp(covered[j]->src, ps->src) == 0 &&
			    strcmp(covered[j]->dst, ps->dst) == 0)
				break;
		if (!ps->receiver && j < ncovered)
			continue;
		ps->s.src = ps->src;
		ps->s.dst = ps->dst;
		ps->s.note = ps->note;
		rc = imp->sink->sample(imp->sink->ctx, &ps->s);
	}
	free(covered);
	return rc;
}

static int
iperf3_run(const char *path, const struct fp_import_opts *opts,
    struct fp_sink *sink)
{
	struct iperf3_import imp = { 0 };
	struct json_text jt = { 0 };
	json_error_t err;
	json_t *root = NULL, *res;
	char *data = NULL;
	size_t len, i;
	int rc;

	imp.opts = opts;
	imp.sink = sink;
	imp.name = opts->display_name ? opts->display_name :
	    fp_basename(path);
	if ((rc = fp_read_file(path, IPERF3_MAX_BYTES, &data, &len)) != 0)
		goto out;
	if (memchr(data, '\0', len) != NULL) {
		rc = fp_fail(FP_EINVAL, "'%s' contains NUL bytes: not iperf3 "
		    "JSON", imp.name);
		goto out;
	}
	if ((rc = extract_json(&imp, data, len, &jt)) != 0)
		goto out;
	imp.error_line = error_member_line(data, len);

	/*
	 * iperf 3.12 writes start.target_bitrate twice in every result, so
	 * that duplicate is expected and silent; any other duplicate member
	 * is a warning.  jansson keeps the last value.
	 */
	root = json_loadb(jt.clean, jt.clean_len, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL && strncmp(err.text, "duplicate object key", 20) == 0) {
		if (strstr(err.text, "target_bitrate") == NULL)
			warn(&imp, jt.first_line + err.line - 1, "%s: the last "
			    "value is used (later duplicates are not reported)",
			    err.text);
		root = json_loadb(jt.clean, jt.clean_len, 0, &err);
	}
	if (root == NULL) {
		rc = fp_fail(FP_EINVAL, "'%s' line %ld column %d: invalid JSON: "
		    "%s", imp.name, jt.first_line + err.line - 1, err.column,
		    err.text);
		goto out;
	}
	if (json_is_object(root)) {
		rc = add_result(&imp, root, "the result");
	} else if (json_is_array(root)) {
		imp.error_line = 0;
		json_array_foreach(root, i, res) {
			char where[48];

			snprintf(where, sizeof(where), "result %zu", i + 1);
			if (!json_is_object(res)) {
				rc = fp_fail(FP_EINVAL, "'%s': %s of the array "
				    "is not an object: expected iperf3 --json "
				    "results", imp.name, where);
				break;
			}
			if ((rc = add_result(&imp, res, where)) != 0)
				break;
		}
	} else {
		rc = fp_fail(FP_EINVAL, "'%s' holds a JSON %s: expected an "
		    "iperf3 --json result object", imp.name,
		    json_is_string(root) ? "string" : "value");
	}
	if (rc == 0)
		rc = emit_samples(&imp);
out:
	for (i = 0; i < imp.nsamples; i++) {
		free(imp.samples[i].src);
		free(imp.samples[i].dst);
		free(imp.samples[i].note);
	}
	free(imp.samples);
	json_decref(root);
	free(jt.clean);
	free(data);
	return rc;
}

/* The text after "key" and a colon, or NULL. */
static const char *
member_value(const char *s, const char *key)
{
	const char *p = strstr(s, key);

	if (p == NULL)
		return NULL;
	p += strlen(key);
	while (isspace((unsigned char)*p))
		p++;
	if (*p != ':')
		return NULL;
	p++;
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

/*
 * Score the first bytes: a JSON document whose "start" is an object and
 * that names iperf 3 or has its connection members.
 */
static int
iperf3_detect(const unsigned char *head, size_t len)
{
	char buf[4097];
	size_t n = len < sizeof(buf) - 1 ? len : sizeof(buf) - 1;
	const char *p, *start;

	if (memchr(head, '\0', n) != NULL)
		return 0;
	memcpy(buf, head, n);
	buf[n] = '\0';
	p = buf;
	while (isspace((unsigned char)*p))
		p++;
	if (*p != '{' && *p != '[' && (p = strstr(buf, "\n{")) == NULL)
		return 0;
	start = member_value(p, "\"start\"");
	if (start == NULL || *start != '{')
		return 0;
	if (strstr(start, "\"iperf 3") != NULL ||
	    strstr(start, "\"connecting_to\"") != NULL ||
	    strstr(start, "\"accepted_connection\"") != NULL ||
	    strstr(start, "\"connected\"") != NULL)
		return 90;
	return 0;
}

const struct fp_importer fp_importer_iperf3 = {
	"iperf3",
	"iperf3 --json results (3.0 to 3.16), client or server side",
	iperf3_detect,
	iperf3_run,
};
