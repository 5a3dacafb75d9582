/*
 * The ping importer: iputils "ping -D -O" output, one sample per echo
 * request that has a line (a reply, "no answer yet", an ICMP error), plus
 * one per request that the summary counts but no line reports.
 *
 * A reply proves delivery both ways at the time -D printed.  With -O,
 * ping prints "no answer yet for icmp_seq=N" when it sends request N+1,
 * so the last request of a capture that ends in an outage never gets a
 * line: the summary's "N packets transmitted" is the only evidence of
 * it, and its time is derived from the interval between requests, which
 * the output does not state and is measured from the other lines.
 *
 * Without -D the output has no times at all.  The importer then takes
 * the run's reference time as the send time of the first request and
 * derives the others from the interval.  Each such sample is marked
 * "derived time" and the import warns.  Without a reference time the file
 * is rejected.
 *
 * Lines that are not ping output are warnings, not errors, as long as the
 * file has ping output at all.  The summary is checked against the lines.
 * The file is read twice: the first pass finds whether it has -D times
 * and reads the summary, the second emits the samples in line order.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importer.h"
#include "ping_time.h"

/* Longer lines are not ping output. */
#define PING_MAX_LINE 4096
/*
 * Lines for later requests are ignored with a warning.  This bounds the
 * per-request table to 64 MB: ten days of requests at -i 0.2.
 */
#define PING_MAX_REQUESTS (1L << 22)

#define USEC_PER_SEC INT64_C(1000000)

enum seq_state {
	SEQ_UNSEEN = 0,
	SEQ_REPLIED,
	SEQ_LOST,
};

struct seq_info {
	fp_time t;		/* time of the request's first line */
	unsigned char state;
};

struct ping_summary {
	int found;
	long line;
	long transmitted;
	long received;
	long errors;		/* "+N errors", 0 when absent */
	double loss_percent;
	long time_ms;		/* -1 when absent */
	int have_rtt;
	long rtt_line;
	double rtt_min;
	double rtt_avg;
	double rtt_max;
};

struct ping_import {
	const struct fp_import_opts *opts;
	struct fp_sink *sink;
	const char *name;
	const char *src;
	char target[64];

	int timestamps;		/* the output has -D times */
	fp_time derived_start;	/* send time of seq 1 without -D */
	fp_time interval;	/* without -D: from the summary, or 1 s */
	struct ping_summary sum;

	struct seq_info *seqs;	/* indexed by request number */
	long nseqs;
	long lines;		/* lines in the file */
	long first_seq;		/* -1 until a request is seen */
	long max_seq;
	long seq_base;		/* 65536 per wrap of icmp_seq */
	long last_raw_seq;

	long replies;
	long icmp_errors;
	double rtt_sum;
	double rtt_min;
	double rtt_max;
	long rtt_count;
	int saw_ping_output;	/* a line of the file is ping output */
	long junk_lines;
};

/* One line taken apart. */
enum line_kind {
	LINE_JUNK,
	LINE_BLANK,
	LINE_HEADER,
	LINE_REPLY,
	LINE_NO_ANSWER,
	LINE_ICMP_ERROR,
	LINE_SUMMARY,
	LINE_RTT,
	LINE_OTHER,		/* known lines that carry nothing: PATTERN, pipe */
};

struct ping_line {
	enum line_kind kind;
	int has_time;
	fp_time t;
	long seq;		/* raw icmp_seq */
	long bytes;
	double rtt_ms;		/* NAN when the reply has no time= */
	int duplicate;
	int trailing_text;	/* a reply followed by unexpected text */
	char from[64];
	char error[96];		/* ICMP error text */
};

static void
warn(struct ping_import *imp, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
warn(struct ping_import *imp, long line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	imp->sink->warn(imp->sink->ctx, line, msg);
}

/* The count written as "+N what" in s ("+3 errors"), 0 when absent. */
static long
plus_count(const char *s, const char *what)
{
	const char *p = strstr(s, what), *start;

	if (p == NULL)
		return 0;
	start = p;
	while (start > s && isdigit((unsigned char)start[-1]))
		start--;
	if (start == p || start == s || start[-1] != '+')
		return 0;
	return strtol(start, NULL, 10);
}

/* The number after "key" in s, or -1. */
static long
number_after(const char *s, const char *key)
{
	const char *p = strstr(s, key);
	long v = 0;

	if (p == NULL)
		return -1;
	p += strlen(key);
	if (!isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p)) {
		if (v > 1000000000)
			return -1;
		v = v * 10 + (*p++ - '0');
	}
	return v;
}

/* Copy an address: the one in parentheses when the text has one. */
static void
copy_address(const char *s, size_t len, char *out, size_t size)
{
	const char *open = memchr(s, '(', len);
	size_t n;

	if (open != NULL) {
		len -= (size_t)(open + 1 - s);
		s = open + 1;
	}
	n = 0;
	while (n < len && (isxdigit((unsigned char)s[n]) || s[n] == ':' ||
	    s[n] == '.' || s[n] == '%' || isalnum((unsigned char)s[n]) ||
	    s[n] == '-'))
		n++;
	if (n >= size)
		n = size - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

static int
parse_reply(const char *p, struct ping_line *pl)
{
	const char *from, *colon, *t;
	char *end;

	pl->bytes = strtol(p, &end, 10);
	if (end == p || strncmp(end, " bytes from ", 12) != 0)
		return -1;
	from = end + 12;
	colon = strstr(from, ": icmp_seq=");
	if (colon == NULL)
		colon = strstr(from, ": icmp_req=");
	if (colon == NULL)
		return -1;
	copy_address(from, (size_t)(colon - from), pl->from,
	    sizeof(pl->from));
	if ((pl->seq = number_after(colon, "_seq=")) < 0 &&
	    (pl->seq = number_after(colon, "_req=")) < 0)
		return -1;
	pl->rtt_ms = NAN;
	if ((t = strstr(colon, " time=")) != NULL) {
		pl->rtt_ms = strtod(t + 6, &end);
		if (end == t + 6)
			return -1;
		t = end;
		if (strncmp(t, " ms", 3) == 0)
			t += 3;
		if (strncmp(t, " (DUP!)", 7) == 0) {
			pl->duplicate = 1;
			t += 7;
		}
		while (*t == ' ')
			t++;
		pl->trailing_text = *t != '\0';
	}
	pl->kind = LINE_REPLY;
	return 0;
}

/* "From 192.0.2.2 icmp_seq=63 Destination Net Unreachable" */
static int
parse_icmp_error(const char *p, struct ping_line *pl)
{
	const char *seq = strstr(p, " icmp_seq=");
	const char *text;

	if (seq == NULL)
		return -1;
	copy_address(p + 5, (size_t)(seq - p - 5), pl->from,
	    sizeof(pl->from));
	if ((pl->seq = number_after(seq, "icmp_seq=")) < 0)
		return -1;
	text = seq + 10;
	while (isdigit((unsigned char)*text))
		text++;
	while (*text == ' ')
		text++;
	snprintf(pl->error, sizeof(pl->error), "%s", *text ? text :
	    "ICMP error");
	pl->kind = LINE_ICMP_ERROR;
	return 0;
}

/*
 * "20 packets transmitted, 17 received, +3 errors, 15% packet loss,
 * time 19193ms"
 */
static int
parse_summary(const char *p, struct ping_summary *s)
{
	const char *loss;
	char *end;

	s->transmitted = strtol(p, &end, 10);
	if (end == p || strncmp(end, " packets transmitted, ", 22) != 0 ||
	    (s->received = number_after(end, "transmitted, ")) < 0)
		return -1;
	s->errors = plus_count(p, " errors");
	if ((loss = strstr(p, "% packet loss")) == NULL)
		return -1;
	while (loss > p && (isdigit((unsigned char)loss[-1]) ||
	    loss[-1] == '.'))
		loss--;
	s->loss_percent = strtod(loss, &end);
	if (end == loss)
		return -1;
	s->time_ms = number_after(p, "time ");
	s->found = 1;
	return 0;
}

/* "rtt min/avg/max/mdev = 1.090/1.422/2.410/0.499 ms" */
static int
parse_rtt(const char *p, struct ping_summary *s)
{
	const char *eq = strchr(p, '=');

	if (eq == NULL || sscanf(eq + 1, "%lf/%lf/%lf", &s->rtt_min,
	    &s->rtt_avg, &s->rtt_max) != 3)
		return -1;
	s->have_rtt = 1;
	return 0;
}

/* Classify one line, storing the summary lines in sum. */
static void
parse_line(const char *line, struct ping_line *pl, struct ping_summary *sum,
    long lineno)
{
	const char *p = line;
	size_t n;

	memset(pl, 0, sizeof(*pl));
	pl->kind = LINE_JUNK;
	if ((n = ping_time_parse(p, &pl->t)) > 0) {
		pl->has_time = 1;
		p += n;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0') {
		pl->kind = pl->has_time ? LINE_JUNK : LINE_BLANK;
		return;
	}
	if (strncmp(p, "PING ", 5) == 0) {
		pl->kind = LINE_HEADER;
		return;
	}
	if (strncmp(p, "PATTERN: ", 9) == 0 || strncmp(p, "pipe ", 5) == 0 ||
	    (strncmp(p, "--- ", 4) == 0 && strstr(p, " statistics ---"))) {
		pl->kind = LINE_OTHER;
		return;
	}
	if (strncmp(p, "no answer yet for icmp_seq=", 27) == 0) {
		pl->seq = number_after(p, "icmp_seq=");
		if (pl->seq >= 0)
			pl->kind = LINE_NO_ANSWER;
		return;
	}
	if (strncmp(p, "From ", 5) == 0) {
		parse_icmp_error(p, pl);
		return;
	}
	if (isdigit((unsigned char)*p) && strstr(p, " bytes from ") != NULL) {
		parse_reply(p, pl);
		return;
	}
	if (isdigit((unsigned char)*p) &&
	    strstr(p, " packets transmitted, ") != NULL) {
		if (parse_summary(p, sum) == 0) {
			sum->line = lineno;
			pl->kind = LINE_SUMMARY;
		}
		return;
	}
	if (strncmp(p, "rtt ", 4) == 0 || strncmp(p, "round-trip ", 11) == 0) {
		if (parse_rtt(p, sum) == 0) {
			sum->rtt_line = lineno;
			pl->kind = LINE_RTT;
		}
	}
}

/*
 * Read one line into b without its line ending.  Returns 1 for a line, 0
 * at the end, -1 on a read error.  A line longer than max, or with a NUL
 * byte, sets *too_long.
 */
static int
read_line(FILE *f, struct fp_buf *b, size_t max, int *too_long)
{
	int c, any = 0;
	char ch;

	b->len = 0;
	fp_buf_append(b, "", 0);
	*too_long = 0;
	while ((c = getc_unlocked(f)) != EOF) {
		any = 1;
		if (c == '\n')
			break;
		if (b->len >= max || c == '\0') {
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

/* The absolute request number of a raw icmp_seq, -1 when out of range. */
static long
absolute_seq(struct ping_import *imp, long raw)
{
	long seq;

	if (raw > 65535)
		return -1;
	if (imp->last_raw_seq >= 0 && raw + 32768 < imp->last_raw_seq)
		imp->seq_base += 65536;
	imp->last_raw_seq = raw;
	seq = imp->seq_base + raw;
	if (seq >= PING_MAX_REQUESTS)
		return -1;
	return seq;
}

static struct seq_info *
seq_slot(struct ping_import *imp, long seq)
{
	if (seq >= imp->nseqs) {
		long n = imp->nseqs ? imp->nseqs : 256;

		while (n <= seq)
			n *= 2;
		imp->seqs = xrealloc(imp->seqs, (size_t)n * sizeof(*imp->seqs));
		for (long i = imp->nseqs; i < n; i++) {
			imp->seqs[i].t = FP_TIME_NONE;
			imp->seqs[i].state = SEQ_UNSEEN;
		}
		imp->nseqs = n;
	}
	if (imp->first_seq < 0 || seq < imp->first_seq)
		imp->first_seq = seq;
	if (seq > imp->max_seq)
		imp->max_seq = seq;
	return &imp->seqs[seq];
}

/* Derive the send time of a request; iputils counts requests from 1. */
static fp_time
derived_send_time(const struct ping_import *imp, long seq)
{
	return imp->derived_start + (seq - 1) * imp->interval;
}

static int
emit_sample(struct ping_import *imp, long line, fp_time t, int delivered,
    long bytes, fp_time resolution, const char *note)
{
	struct fp_sample s = { 0 };

	s.line = line;
	s.source = "ping";
	s.src = imp->src;
	s.dst = imp->target[0] ? imp->target : NULL;
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
handle_reply(struct ping_import *imp, const struct ping_line *pl,
    long seq, long line)
{
	struct seq_info *si = seq_slot(imp, seq);
	fp_time t = pl->t;

	if (pl->trailing_text)
		warn(imp, line, "unexpected text after the reply for "
		    "icmp_seq=%ld: the reply is kept", pl->seq);
	if (pl->duplicate || si->state == SEQ_REPLIED)
		return 0;
	if (!imp->timestamps)
		t = derived_send_time(imp, seq) +
		    (isnan(pl->rtt_ms) ? 0 : (fp_time)(pl->rtt_ms * 1000));
	if (si->t == FP_TIME_NONE)
		si->t = t;
	si->state = SEQ_REPLIED;
	imp->replies++;
	if (!isnan(pl->rtt_ms)) {
		if (imp->rtt_count == 0 || pl->rtt_ms < imp->rtt_min)
			imp->rtt_min = pl->rtt_ms;
		if (imp->rtt_count == 0 || pl->rtt_ms > imp->rtt_max)
			imp->rtt_max = pl->rtt_ms;
		imp->rtt_sum += pl->rtt_ms;
		imp->rtt_count++;
	}
	if (!imp->timestamps)
		return emit_sample(imp, line, t, 1, pl->bytes, imp->interval,
		    "derived time");
	return emit_sample(imp, line, t, 1, pl->bytes, 0, "reply timestamp");
}

static int
handle_loss(struct ping_import *imp, const struct ping_line *pl,
    long seq, long line)
{
	struct seq_info *si = seq_slot(imp, seq);
	fp_time t = pl->t;
	char note[sizeof(pl->error) + sizeof(pl->from) + 32];

	if (pl->kind == LINE_ICMP_ERROR)
		imp->icmp_errors++;
	if (si->state != SEQ_UNSEEN)
		return 0;
	if (!imp->timestamps)
		t = derived_send_time(imp, pl->kind == LINE_NO_ANSWER ?
		    seq + 1 : seq);
	si->t = t;
	si->state = SEQ_LOST;
	if (pl->kind == LINE_ICMP_ERROR)
		snprintf(note, sizeof(note), "%s from %s%s", pl->error,
		    pl->from, imp->timestamps ? "" : " (derived time)");
	else
		snprintf(note, sizeof(note), "no answer yet%s",
		    imp->timestamps ? "" : " (derived time)");
	return emit_sample(imp, line, t, 0, 0,
	    imp->timestamps ? 0 : imp->interval, note);
}

static int
handle_line(struct ping_import *imp, const char *text, long line)
{
	struct ping_summary ignored = { 0 };
	struct ping_line pl;
	long seq;

	parse_line(text, &pl, &ignored, line);
	switch (pl.kind) {
	case LINE_BLANK:
	case LINE_OTHER:
	case LINE_SUMMARY:
	case LINE_RTT:
		return 0;
	case LINE_HEADER:
		if (imp->target[0] == '\0') {
			const char *dest = strstr(text, "PING ") + 5;

			copy_address(dest, strlen(dest), imp->target,
			    sizeof(imp->target));
		}
		return 0;
	case LINE_JUNK:
		imp->junk_lines++;
		warn(imp, line, "not ping output: line ignored");
		return 0;
	default:
		break;
	}

	if (imp->timestamps && !pl.has_time) {
		warn(imp, line, "line for icmp_seq=%ld has no -D time stamp "
		    "although the others do: line ignored", pl.seq);
		return 0;
	}
	if ((seq = absolute_seq(imp, pl.seq)) < 0) {
		warn(imp, line, "icmp_seq=%ld is out of range: line ignored",
		    pl.seq);
		return 0;
	}
	if (imp->target[0] == '\0' && pl.kind == LINE_REPLY)
		snprintf(imp->target, sizeof(imp->target), "%s", pl.from);
	if (pl.kind == LINE_REPLY)
		return handle_reply(imp, &pl, seq, line);
	return handle_loss(imp, &pl, seq, line);
}

static int
compare_times(const void *a, const void *b)
{
	fp_time x = *(const fp_time *)a, y = *(const fp_time *)b;

	return x < y ? -1 : x > y;
}

/*
 * The interval between requests: the median gap between the lines of
 * consecutive requests, else the summary's time over the requests sent
 * after the first.  0 when neither is known.
 */
static fp_time
measured_interval(const struct ping_import *imp)
{
	fp_time *gaps, result = 0;
	size_t n = 0;

	if (imp->first_seq >= 0) {
		gaps = xmalloc((size_t)(imp->max_seq - imp->first_seq + 1) *
		    sizeof(*gaps));
		for (long s = imp->first_seq; s < imp->max_seq; s++) {
			fp_time a = imp->seqs[s].t, b = imp->seqs[s + 1].t;

			if (a != FP_TIME_NONE && b != FP_TIME_NONE && b > a)
				gaps[n++] = b - a;
		}
		if (n > 0) {
			fp_qsort(gaps, n, sizeof(*gaps), compare_times);
			result = gaps[n / 2];
		}
		free(gaps);
	}
	if (result == 0 && imp->sum.found && imp->sum.time_ms > 0 &&
	    imp->sum.transmitted > 1)
		result = imp->sum.time_ms * 1000 / (imp->sum.transmitted - 1);
	return result;
}

/*
 * Derive the time of a request without a line from the nearest earlier
 * request: its time plus one interval per request in between.  For the
 * requests after the last line that is the moment ping would have printed
 * "no answer yet".  Before the first line, count back from the first one.
 */
static fp_time
unreported_time(const struct ping_import *imp, long seq, fp_time interval)
{
	for (long s = seq - 1; s >= 0 && s >= imp->first_seq; s--)
		if (s < imp->nseqs && imp->seqs[s].t != FP_TIME_NONE)
			return imp->seqs[s].t + (seq - s) * interval;
	for (long s = seq + 1; s < imp->nseqs; s++)
		if (imp->seqs[s].t != FP_TIME_NONE)
			return imp->seqs[s].t - (s - seq) * interval;
	return FP_TIME_NONE;
}

static int
emit_unreported_one(struct ping_import *imp, long seq, fp_time interval)
{
	fp_time t = unreported_time(imp, seq, interval);
	struct seq_info *si;
	char note[128];

	if (t == FP_TIME_NONE)
		return 0;
	si = seq_slot(imp, seq);
	si->state = SEQ_LOST;
	si->t = t;
	snprintf(note, sizeof(note), "no line for this request: lost by the "
	    "summary's count (derived time, interval %.3f s)",
	    (double)interval / USEC_PER_SEC);
	/* No line reports this request: cite the summary that counts it,
	 * else the file's last line, where the evidence of it ends. */
	return emit_sample(imp, imp->sum.found ? imp->sum.line :
	    imp->lines > 0 ? imp->lines : 1, t, 0, 0, interval, note);
}

/*
 * Emit a lost sample for the requests that no line reports.  The summary
 * sets how many: those it counts as lost, minus the lost lines.  The
 * requests after the last line come first (a capture that ends in an
 * outage), then gaps between lines.  Without a summary only gaps count,
 * and only when no line was ignored as junk.
 */
static int
emit_unreported(struct ping_import *imp)
{
	long first = imp->first_seq == 0 ? 0 : 1;
	long last = imp->max_seq, missing = 0, lost_lines = 0, budget;
	fp_time interval;
	int rc;

	if (imp->first_seq < 0)
		return 0;
	if (imp->sum.found)
		last = imp->sum.transmitted - (first == 0);
	for (long s = first; s <= last; s++) {
		if (s >= imp->nseqs || imp->seqs[s].state == SEQ_UNSEEN)
			missing++;
		else if (imp->seqs[s].state == SEQ_LOST)
			lost_lines++;
	}
	if (missing == 0)
		return 0;
	budget = imp->sum.found ?
	    imp->sum.transmitted - imp->sum.received - lost_lines :
	    imp->junk_lines == 0 ? missing : 0;
	if (budget < 0)
		budget = 0;
	if (budget < missing)
		warn(imp, imp->sum.found ? imp->sum.line : 0, "requests "
		    "without a line that the summary does not count as lost: "
		    "%ld, not imported (their lines may be among those "
		    "ignored)", missing - budget);
	interval = imp->timestamps ? measured_interval(imp) : imp->interval;
	if (budget == 0)
		return 0;
	if (interval <= 0) {
		warn(imp, imp->sum.line, "lost requests without a line: %ld, "
		    "not imported because no time can be derived for them",
		    budget);
		return 0;
	}

	for (long s = imp->max_seq + 1; s <= last && budget > 0; s++) {
		if ((rc = emit_unreported_one(imp, s, interval)) != 0)
			return rc;
		budget--;
	}
	for (long s = first; s < imp->max_seq && budget > 0; s++) {
		if (s < imp->nseqs && imp->seqs[s].state != SEQ_UNSEEN)
			continue;
		if ((rc = emit_unreported_one(imp, s, interval)) != 0)
			return rc;
		budget--;
	}
	return 0;
}

/* Compare the summary with the lines and warn where they disagree. */
static void
check_summary(struct ping_import *imp)
{
	const struct ping_summary *s = &imp->sum;
	double loss, tolerance;

	if (!s->found) {
		warn(imp, 0, "no summary (ping was stopped before it printed "
		    "one): the number of requests sent is unknown, so losses "
		    "after the last line cannot be counted");
		return;
	}
	if (s->received != imp->replies)
		warn(imp, s->line, "the summary counts %ld replies but %ld "
		    "requests have a reply line", s->received, imp->replies);
	if (imp->first_seq >= 0 &&
	    s->transmitted < imp->max_seq - imp->first_seq + 1)
		warn(imp, s->line, "the summary counts %ld requests sent but "
		    "lines go up to icmp_seq=%ld", s->transmitted,
		    imp->max_seq);
	if (s->errors != imp->icmp_errors)
		warn(imp, s->line, "the summary counts %ld ICMP errors but "
		    "the output has %ld error lines", s->errors,
		    imp->icmp_errors);
	if (s->transmitted > 0) {
		loss = 100.0 * (double)(s->transmitted - s->received) /
		    (double)s->transmitted;
		if (fabs(loss - s->loss_percent) > 0.01)
			warn(imp, s->line, "the summary's packet loss %g%% "
			    "does not match its counts (%.4g%%)",
			    s->loss_percent, loss);
	}
	if (!s->have_rtt || imp->rtt_count == 0)
		return;
	/* iputils prints an rtt with 3 significant digits from 1 ms up. */
	tolerance = 0.005 + 0.01 * s->rtt_max;
	if (fabs(s->rtt_min - imp->rtt_min) > tolerance ||
	    fabs(s->rtt_max - imp->rtt_max) > tolerance ||
	    fabs(s->rtt_avg - imp->rtt_sum / (double)imp->rtt_count) >
	    tolerance)
		warn(imp, s->rtt_line, "the summary's rtt min/avg/max "
		    "%.3f/%.3f/%.3f ms does not match the replies "
		    "(%.3f/%.3f/%.3f ms)", s->rtt_min, s->rtt_avg, s->rtt_max,
		    imp->rtt_min, imp->rtt_sum / (double)imp->rtt_count,
		    imp->rtt_max);
}

/* Read the file once for its -D times and summary, then rewind it. */
static int
prescan(struct ping_import *imp, FILE *f)
{
	struct fp_buf buf = { 0 };
	struct ping_line pl;
	long line = 0;
	int got, too_long;

	while ((got = read_line(f, &buf, PING_MAX_LINE, &too_long)) > 0) {
		line++;
		imp->lines = line;
		if (too_long)
			continue;
		parse_line(buf.data, &pl, &imp->sum, line);
		if (pl.has_time && pl.kind >= LINE_REPLY &&
		    pl.kind <= LINE_ICMP_ERROR)
			imp->timestamps = 1;
		if (pl.kind != LINE_JUNK && pl.kind != LINE_BLANK)
			imp->saw_ping_output = 1;
	}
	fp_buf_free(&buf);
	if (got < 0)
		return fp_fail(FP_EIO, "cannot read '%s': %s", imp->name,
		    strerror(errno));
	if (fseek(f, 0, SEEK_SET) != 0)
		return fp_fail(FP_EIO, "cannot rewind '%s': %s: import a "
		    "regular file", imp->name, strerror(errno));
	return 0;
}

/* Without -D: check that times can be derived, and from what. */
static int
setup_derived_times(struct ping_import *imp)
{
	const struct fp_import_opts *o = imp->opts;
	char when[FP_TIME_STRLEN];

	if (o->reference == 0 || o->reference == FP_TIME_NONE)
		return fp_fail(FP_EINVAL, "'%s' has no time stamps: record "
		    "ping with -D, or give the run a reference time (the "
		    "time the first request was sent)", imp->name);
	imp->derived_start = o->reference;
	imp->interval = USEC_PER_SEC;
	if (imp->sum.found && imp->sum.time_ms > 0 &&
	    imp->sum.transmitted > 1)
		imp->interval = imp->sum.time_ms * 1000 /
		    (imp->sum.transmitted - 1);
	fp_time_format_ms(o->reference, when, sizeof(when));
	warn(imp, 0, "no -D time stamps: times are derived, not measured: "
	    "the first request is taken as sent at %s (the run's reference "
	    "time) and one request every %.3f s", when,
	    (double)imp->interval / USEC_PER_SEC);
	return 0;
}

static int
ping_run(const char *path, const struct fp_import_opts *opts,
    struct fp_sink *sink)
{
	struct ping_import imp = { 0 };
	struct fp_buf buf = { 0 };
	FILE *f;
	long line = 0;
	int rc, got, too_long;

	imp.opts = opts;
	imp.sink = sink;
	imp.name = opts->display_name ? opts->display_name :
	    fp_basename(path);
	imp.src = opts->host != NULL ? opts->host : "local";
	imp.first_seq = -1;
	imp.max_seq = -1;
	imp.last_raw_seq = -1;
	imp.sum.time_ms = -1;

	f = fopen(path, "r");
	if (f == NULL)
		return fp_fail(FP_EIO, "cannot open '%s': %s", imp.name,
		    strerror(errno));
	if ((rc = prescan(&imp, f)) != 0)
		goto out;
	if (!imp.saw_ping_output) {
		rc = fp_fail(FP_EINVAL, "'%s' has no ping output: expected "
		    "the output of iputils ping -D -O", imp.name);
		goto out;
	}
	if (!imp.timestamps && (rc = setup_derived_times(&imp)) != 0)
		goto out;

	while ((got = read_line(f, &buf, PING_MAX_LINE, &too_long)) > 0) {
		line++;
		if (too_long) {
			imp.junk_lines++;
			warn(&imp, line, "not ping output (longer than %d "
			    "bytes or binary): line ignored", PING_MAX_LINE);
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
	if ((rc = emit_unreported(&imp)) != 0)
		goto out;
	check_summary(&imp);
out:
	fp_buf_free(&buf);
	free(imp.seqs);
	fclose(f);
	return rc;
}

/*
 * Score the first lines: a PING header, or lines that start (after a -D
 * time) the way reply and "no answer yet" lines do.
 */
static int
ping_detect(const unsigned char *head, size_t len)
{
	char buf[4097], *line, *next;
	struct ping_summary sum = { 0 };
	struct ping_line pl;
	int lines = 0, ping_lines = 0;

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
		parse_line(line, &pl, &sum, 0);
		if (pl.kind == LINE_BLANK)
			continue;
		lines++;
		if (pl.kind == LINE_HEADER && lines <= 2)
			return 90;
		if (pl.kind != LINE_JUNK)
			ping_lines++;
	}
	if (lines > 0 && ping_lines == lines)
		return 70;
	return 0;
}

const struct fp_importer fp_importer_ping = {
	"ping",
	"ping -D -O output (iputils), IPv4 and IPv6",
	ping_detect,
	ping_run,
};
