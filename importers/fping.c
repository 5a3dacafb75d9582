/*
 * The fping importer: the per-request lines of "fping -D -l" (loop) or
 * "fping -D -c N" (count), from one or more targets, as fping 4 and 5
 * print them:
 *
 *   [1796420245.24748] 10.200.0.2 : [10], 64 bytes, 0.052 ms (0.047 avg, 0% loss)
 *   [1796420245.64749] 10.200.0.2 : [11], timed out (0.047 avg, 8% loss)
 *
 * A reply is one sample that proves delivery both ways at the time -D
 * printed.  A "timed out" line is printed when the request's timeout
 * expires, which can be after the replies to later requests: a reply and
 * the timeout of the request before it often share a moment.  So a lost
 * request is placed at its send time instead.  That time is interpolated
 * from the send times of the replied requests around it (reply time
 * minus round trip), which fping spaces by its -p period.
 *
 * The summary lines ("xmt/rcv/%loss = 40/25/37%") are checked against
 * the requests.  ICMP error lines, the -s statistics, -Q interim reports
 * and duplicates carry nothing the samples lack and are skipped; any
 * other line is a warning.  Without -D fping prints no times (and in its
 * default mode "is alive" lines without them), so such a file is
 * rejected.  The file is read twice: first for the send times of the
 * replies, then to emit the samples in line order.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importer.h"
#include "ping_time.h"

/* Longer lines are not fping output. */
#define FPING_MAX_LINE 4096
/* fping pings a few targets in a drill; more are ignored with a warning. */
#define FPING_MAX_TARGETS 64
/* Requests per target: ten days at -p 200. */
#define FPING_MAX_SEQ (1L << 22)

#define USEC_PER_SEC INT64_C(1000000)

enum line_kind {
	LINE_JUNK,
	LINE_BLANK,
	LINE_REPLY,
	LINE_TIMEOUT,
	LINE_SUMMARY,
	LINE_OTHER,		/* known lines without a sample */
	LINE_UNTIMED,		/* default mode: "is alive" without -D */
};

struct fping_line {
	enum line_kind kind;
	int has_time;
	fp_time t;
	char target[64];
	long seq;
	long bytes;
	double rtt_ms;
	long xmt;		/* summary */
	long rcv;
};

/* The send time of a replied request. */
struct anchor {
	long seq;
	fp_time sent;
};

struct target {
	char name[64];
	struct anchor *anchors;	/* by line order, sorted by seq later */
	size_t n_anchors;
	size_t cap_anchors;
	fp_time period;
	/* the first and last timeout line, for a target that never replied */
	long first_lost_seq;
	fp_time first_lost_printed;
	long last_lost_seq;
	fp_time last_lost_printed;
	long replies;
	long timeouts;
	long max_seq;
	int have_summary;
	long sum_xmt;
	long sum_rcv;
	long sum_line;
};

struct fping_import {
	const struct fp_import_opts *opts;
	struct fp_sink *sink;
	const char *name;
	const char *src;
	struct target targets[FPING_MAX_TARGETS];
	size_t n_targets;
	long timed_lines;
	long untimed_lines;
	long junk_lines;
	int warned_targets;
};

static void
warn(struct fping_import *imp, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
warn(struct fping_import *imp, long line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	imp->sink->warn(imp->sink->ctx, line, msg);
}

/* Copy the target name before " : ", without fping's alignment blanks. */
static const char *
read_target(const char *p, char *out, size_t size)
{
	const char *sep = strstr(p, " : ");
	size_t n;

	if (sep == NULL || sep == p)
		return NULL;
	n = (size_t)(sep - p);
	while (n > 0 && p[n - 1] == ' ')
		n--;
	if (n == 0 || n >= size || memchr(p, ' ', n) != NULL)
		return NULL;
	memcpy(out, p, n);
	out[n] = '\0';
	return sep + 3;
}

/* "[10], 64 bytes, 0.052 ms (...)" or "[11], timed out (...)" */
static void
parse_request(const char *p, struct fping_line *fl)
{
	char *end;

	if (*p != '[' || !isdigit((unsigned char)p[1]))
		return;
	fl->seq = strtol(p + 1, &end, 10);
	if (*end != ']' || strncmp(end, "], ", 3) != 0)
		return;
	p = end + 3;
	if (strncmp(p, "timed out", 9) == 0) {
		fl->kind = LINE_TIMEOUT;
		return;
	}
	fl->bytes = strtol(p, &end, 10);
	if (end == p || strncmp(end, " bytes, ", 8) != 0)
		return;
	p = end + 8;
	fl->rtt_ms = strtod(p, &end);
	if (end == p || strncmp(end, " ms", 3) != 0 || !isfinite(fl->rtt_ms) ||
	    fl->rtt_ms < 0)
		return;
	fl->kind = LINE_REPLY;
}

/* "10.200.0.2 : xmt/rcv/%loss = 20/12/40%, ..." */
static void
parse_summary(const char *p, struct fping_line *fl)
{
	if (sscanf(p, "xmt/rcv/%%loss = %ld/%ld/", &fl->xmt, &fl->rcv) == 2 &&
	    fl->xmt >= 0 && fl->rcv >= 0)
		fl->kind = LINE_SUMMARY;
}

/* Lines of -s statistics, -Q reports and ICMP errors. */
static int
is_known_other(const char *p)
{
	static const char *const words[] = { " targets", " alive",
	    " unreachable", " unknown addresses", " timeouts (waiting",
	    " ICMP Echos sent", " ICMP Echo Replies received",
	    " other ICMP received", " (min round trip time)",
	    " (avg round trip time)", " (max round trip time)",
	    " (elapsed real time)" };

	if (strncmp(p, "ICMP ", 5) == 0 && strstr(p, " from ") != NULL)
		return 1;
	if (p[0] == '[' && strlen(p) == 10 && p[3] == ':' && p[6] == ':' &&
	    p[9] == ']')
		return 1;
	/* -s right-aligns its numbers: "       2 targets". */
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (*p == ' ' && strstr(p, words[i]) != NULL)
			return 1;
	return 0;
}

static void
parse_line(const char *line, struct fping_line *fl)
{
	const char *p = line, *rest;
	size_t n;

	memset(fl, 0, sizeof(*fl));
	fl->kind = LINE_JUNK;
	if ((n = ping_time_parse(p, &fl->t)) > 0) {
		fl->has_time = 1;
		p += n;
	}
	if (*p == '\0' || strspn(p, " \t\r") == strlen(p)) {
		fl->kind = fl->has_time ? LINE_JUNK : LINE_BLANK;
		return;
	}
	if (is_known_other(p)) {
		fl->kind = LINE_OTHER;
		return;
	}
	if ((rest = read_target(p, fl->target, sizeof(fl->target))) != NULL) {
		if (strncmp(rest, "duplicate for [", 15) == 0) {
			fl->kind = LINE_OTHER;
			return;
		}
		if (*rest == '[') {
			parse_request(rest, fl);
			return;
		}
		if (strncmp(rest, "xmt/rcv/", 8) == 0) {
			parse_summary(rest, fl);
			return;
		}
		/* -C: "TARGET : 0.04 0.05 - 0.03" */
		if (isdigit((unsigned char)*rest) || *rest == '-') {
			fl->kind = LINE_OTHER;
			return;
		}
		return;
	}
	if (strstr(p, " is alive") != NULL || strstr(p, " is unreachable"))
		fl->kind = LINE_UNTIMED;
}

static struct target *
target_of(struct fping_import *imp, const char *name, long line)
{
	struct target *t;

	for (size_t i = 0; i < imp->n_targets; i++)
		if (strcmp(imp->targets[i].name, name) == 0)
			return &imp->targets[i];
	if (imp->n_targets == FPING_MAX_TARGETS) {
		if (!imp->warned_targets++)
			warn(imp, line, "more than %d targets: lines for the "
			    "others are ignored", FPING_MAX_TARGETS);
		return NULL;
	}
	t = &imp->targets[imp->n_targets++];
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->max_seq = -1;
	return t;
}

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
		if (b->len >= FPING_MAX_LINE || c == '\0') {
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
compare_anchors(const void *a, const void *b)
{
	const struct anchor *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
compare_times(const void *a, const void *b)
{
	fp_time x = *(const fp_time *)a, y = *(const fp_time *)b;

	return x < y ? -1 : x > y;
}

/* The request period: the median send-time step between replied requests. */
static fp_time
median_period(const struct target *t)
{
	fp_time *steps, result = 0;
	size_t n = 0;

	if (t->n_anchors < 2)
		return 0;
	steps = xmalloc((t->n_anchors - 1) * sizeof(*steps));
	for (size_t i = 1; i < t->n_anchors; i++) {
		long ds = t->anchors[i].seq - t->anchors[i - 1].seq;

		if (ds > 0)
			steps[n++] = (t->anchors[i].sent -
			    t->anchors[i - 1].sent) / ds;
	}
	if (n > 0) {
		fp_qsort(steps, n, sizeof(*steps), compare_times);
		result = steps[n / 2];
	}
	free(steps);
	return result;
}

/* First pass: the send times of the replied requests and the summaries. */
static int
prescan(struct fping_import *imp, FILE *f)
{
	struct fp_buf buf = { 0 };
	struct fping_line fl;
	struct target *t;
	long line = 0;
	int got, too_long;

	while ((got = read_line(f, &buf, &too_long)) > 0) {
		line++;
		if (too_long)
			continue;
		parse_line(buf.data, &fl);
		if (fl.kind == LINE_UNTIMED ||
		    ((fl.kind == LINE_REPLY || fl.kind == LINE_TIMEOUT) &&
		    !fl.has_time))
			imp->untimed_lines++;
		if ((fl.kind == LINE_REPLY || fl.kind == LINE_TIMEOUT) &&
		    fl.has_time)
			imp->timed_lines++;
		if (fl.kind == LINE_SUMMARY &&
		    (t = target_of(imp, fl.target, line)) != NULL) {
			t->have_summary = 1;
			t->sum_xmt = fl.xmt;
			t->sum_rcv = fl.rcv;
			t->sum_line = line;
		}
		if ((fl.kind != LINE_REPLY && fl.kind != LINE_TIMEOUT) ||
		    !fl.has_time || fl.seq > FPING_MAX_SEQ ||
		    (t = target_of(imp, fl.target, line)) == NULL)
			continue;
		if (fl.kind == LINE_TIMEOUT) {
			if (t->first_lost_printed == 0) {
				t->first_lost_seq = fl.seq;
				t->first_lost_printed = fl.t;
			}
			t->last_lost_seq = fl.seq;
			t->last_lost_printed = fl.t;
			continue;
		}
		if (t->n_anchors == t->cap_anchors) {
			t->cap_anchors = t->cap_anchors ? t->cap_anchors * 2 :
			    256;
			t->anchors = xrealloc(t->anchors, t->cap_anchors *
			    sizeof(*t->anchors));
		}
		t->anchors[t->n_anchors].seq = fl.seq;
		t->anchors[t->n_anchors].sent = fl.t -
		    (fp_time)llround(fl.rtt_ms * 1000);
		t->n_anchors++;
	}
	fp_buf_free(&buf);
	if (got < 0)
		return fp_fail(FP_EIO, "cannot read '%s': %s", imp->name,
		    strerror(errno));
	for (size_t i = 0; i < imp->n_targets; i++) {
		t = &imp->targets[i];
		if (t->n_anchors > 0)
			fp_qsort(t->anchors, t->n_anchors, sizeof(*t->anchors),
			    compare_anchors);
		t->period = median_period(t);
		/* No two replies: timeouts expire one period apart too. */
		if (t->period <= 0 && t->last_lost_seq > t->first_lost_seq)
			t->period = (t->last_lost_printed -
			    t->first_lost_printed) / (t->last_lost_seq -
			    t->first_lost_seq);
	}
	if (fseek(f, 0, SEEK_SET) != 0)
		return fp_fail(FP_EIO, "cannot rewind '%s': %s: import a "
		    "regular file", imp->name, strerror(errno));
	return 0;
}

/*
 * The send time of request seq: interpolated between the replied
 * requests around it, else one period per request from the nearest, else
 * the timeout line's time less one period.
 */
static fp_time
send_time(const struct target *t, long seq, fp_time printed, fp_time period)
{
	size_t lo = 0, hi = t->n_anchors;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (t->anchors[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* anchors[lo] is the first with a seq >= the lost one.  Hostile
	 * input can hold any times and sequence numbers, so the arithmetic
	 * is done in long double and checked before it becomes a time. */
	long double v;

	if (lo > 0 && lo < t->n_anchors) {
		const struct anchor *a = &t->anchors[lo - 1];
		const struct anchor *b = &t->anchors[lo];

		v = (long double)a->sent + ((long double)b->sent -
		    (long double)a->sent) * ((long double)seq - a->seq) /
		    ((long double)b->seq - a->seq);
	} else if (lo > 0) {
		v = (long double)t->anchors[lo - 1].sent +
		    ((long double)seq - t->anchors[lo - 1].seq) * period;
	} else if (lo < t->n_anchors) {
		v = (long double)t->anchors[lo].sent -
		    ((long double)t->anchors[lo].seq - seq) * period;
	} else {
		v = (long double)printed - period;
	}
	if (!(v > (long double)INT64_MIN / 2 && v < (long double)INT64_MAX / 2))
		return printed;
	return (fp_time)v;
}

static int
emit(struct fping_import *imp, long line, const char *target, fp_time t,
    int delivered, long bytes, fp_time resolution, const char *note)
{
	struct fp_sample s = { 0 };

	s.line = line;
	s.source = "fping";
	s.src = imp->src;
	s.dst = target;
	s.both_directions = 1;
	s.t_start = t;
	s.t_end = t;
	s.offered = 1;
	s.delivered = delivered;
	s.lost = !delivered;
	s.bytes = delivered ? bytes : 0;
	s.resolution = resolution;
	s.note = note;
	return imp->sink->sample(imp->sink->ctx, &s);
}

static int
handle_line(struct fping_import *imp, const char *text, long line)
{
	struct fping_line fl;
	struct target *t;
	fp_time period;
	char note[96];

	parse_line(text, &fl);
	switch (fl.kind) {
	case LINE_BLANK:
	case LINE_OTHER:
	case LINE_SUMMARY:
		return 0;
	case LINE_JUNK:
		imp->junk_lines++;
		warn(imp, line, "not fping output: line ignored");
		return 0;
	case LINE_UNTIMED:
		warn(imp, line, "fping's default mode prints no time: line "
		    "ignored (record with -D and -l or -c)");
		return 0;
	default:
		break;
	}
	if (!fl.has_time) {
		warn(imp, line, "request [%ld] to %s has no -D time stamp: line "
		    "ignored", fl.seq, fl.target);
		return 0;
	}
	if (fl.seq > FPING_MAX_SEQ) {
		warn(imp, line, "request [%ld] is out of range: line ignored",
		    fl.seq);
		return 0;
	}
	if ((t = target_of(imp, fl.target, line)) == NULL)
		return 0;
	if (fl.seq > t->max_seq)
		t->max_seq = fl.seq;
	if (fl.kind == LINE_REPLY) {
		t->replies++;
		return emit(imp, line, t->name, fl.t, 1, fl.bytes, 0,
		    "reply timestamp");
	}
	t->timeouts++;
	period = t->period > 0 ? t->period : USEC_PER_SEC;
	snprintf(note, sizeof(note), "timed out; send time derived from the "
	    "request schedule (period %.3f s)", (double)period / USEC_PER_SEC);
	return emit(imp, line, t->name, send_time(t, fl.seq, fl.t, period), 0,
	    0, period, note);
}

static void
check_summaries(struct fping_import *imp)
{
	for (size_t i = 0; i < imp->n_targets; i++) {
		const struct target *t = &imp->targets[i];

		if (!t->have_summary) {
			warn(imp, 0, "no summary for %s (fping was stopped "
			    "before it printed one): requests after the last "
			    "line are not counted", t->name);
			continue;
		}
		if (t->sum_rcv != t->replies)
			warn(imp, t->sum_line, "the summary for %s counts %ld "
			    "replies but %ld requests have a reply line",
			    t->name, t->sum_rcv, t->replies);
		if (t->sum_xmt != t->replies + t->timeouts)
			warn(imp, t->sum_line, "the summary for %s counts %ld "
			    "requests sent but %ld have a line", t->name,
			    t->sum_xmt, t->replies + t->timeouts);
	}
}

static int
fping_run(const char *path, const struct fp_import_opts *opts,
    struct fp_sink *sink)
{
	struct fping_import imp = { 0 };
	struct fp_buf buf = { 0 };
	FILE *f;
	long line = 0;
	int rc, got, too_long;

	imp.opts = opts;
	imp.sink = sink;
	imp.name = opts->display_name ? opts->display_name :
	    fp_basename(path);
	imp.src = opts->host != NULL ? opts->host : "local";
	f = fopen(path, "r");
	if (f == NULL)
		return fp_fail(FP_EIO, "cannot open '%s': %s", imp.name,
		    strerror(errno));
	if ((rc = prescan(&imp, f)) != 0)
		goto out;
	if (imp.timed_lines == 0) {
		rc = fp_fail(FP_EINVAL, "'%s' has no fping request lines with "
		    "-D time stamps%s: record fping with -D and -l or -c",
		    imp.name, imp.untimed_lines ? " (its lines have no "
		    "times)" : "");
		goto out;
	}
	while ((got = read_line(f, &buf, &too_long)) > 0) {
		line++;
		if (too_long) {
			imp.junk_lines++;
			warn(&imp, line, "not fping output (longer than %d "
			    "bytes or binary): line ignored", FPING_MAX_LINE);
			continue;
		}
		if ((rc = handle_line(&imp, buf.data, line)) != 0)
			goto out;
	}
	if (got < 0) {
		rc = fp_fail(FP_EIO, "cannot read '%s': %s", imp.name,
		    strerror(errno));
		goto out;
	}
	check_summaries(&imp);
out:
	for (size_t i = 0; i < imp.n_targets; i++)
		free(imp.targets[i].anchors);
	fp_buf_free(&buf);
	fclose(f);
	return rc;
}

/* Score the first lines: fping request lines with -D times. */
static int
fping_detect(const unsigned char *head, size_t len)
{
	char buf[4097], *line, *next;
	struct fping_line fl;
	int lines = 0, requests = 0;

	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	if (memchr(head, '\0', len) != NULL)
		return 0;
	memcpy(buf, head, len);
	buf[len] = '\0';
	for (line = buf; line != NULL && lines < 8; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		else if (line != buf)
			break;
		parse_line(line, &fl);
		if (fl.kind == LINE_BLANK)
			continue;
		lines++;
		if ((fl.kind == LINE_REPLY || fl.kind == LINE_TIMEOUT) &&
		    fl.has_time)
			requests++;
		else if (fl.kind == LINE_JUNK)
			return 0;
	}
	return requests > 0 ? 85 : 0;
}

const struct fp_importer fp_importer_fping = {
	"fping",
	"fping -D -l or -D -c output (fping 4 and 5), one or more targets",
	fping_detect,
	fping_run,
};
