/*
 * The syslog importer: reads a file line by line, frames each line
 * (syslog_header.c, syslog_body.c), then hands the message to the vendor
 * rules (rules.c), which emit the events.
 *
 * The time of a line is the one its body carries when that has a date
 * (the device's own clock, see syslog_body.c), else the header's.
 * RFC 3164 stamps have no year: it is --year for the first line, else
 * the year that puts the first line nearest the run date.  From there the
 * year goes up by one whenever a stamp would fall more than half a year
 * before the previous one, so time never runs backwards across
 * 31 December.  Stamps without a zone are local time in --tz (a TZ
 * database name), UTC by default.  A --clock-offset for the line's host
 * is added last.
 *
 * A file whose first line has no time is bare (a message per line, as
 * test fixtures and consoles write them): its events have no time, and
 * the importer reports how many.  In a file that starts with a time, a
 * line without a header is a bad line, unless it continues the line
 * before: it starts with a blank, or follows a message that ends with a
 * colon or another continuation line.
 *
 * Every line read is blank, bad, a continuation or a message.  A message
 * no rule wants is not an error: it is counted as unmatched, and the
 * first few of those that mention IKE, IPsec or HA are kept as samples.
 * A bad line (an invalid time stamp, a line longer than SYSLOG_MAX_LINE,
 * a NUL byte) is reported with its number; the import fails after the
 * whole file was read, unless skip_bad is set.  Invalid UTF-8 bytes are
 * replaced by U+FFFD before the rules see the line.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rules.h"
#include "syslog_frame.h"

/*
 * Longer lines are bad lines.  RFC 5424 receivers must accept 480 octets
 * and should accept 2048; the longest line of the vendor samples in
 * tests/data/syslog (a Check Point Log Exporter record) is about 4 KB.
 */
#define SYSLOG_MAX_LINE 65536

/* A stamp this far before the previous one starts a new year. */
#define YEAR_WRAP (INT64_C(183) * USEC_PER_DAY)

/* Lines without a time that get a warning of their own. */
#define UNTIMED_WARNINGS 5

enum file_mode {
	MODE_UNKNOWN,
	MODE_TIMED,		/* the first message had a time */
	MODE_BARE,		/* the first message had none */
};

/* The time zone of stamps without one, set for the length of an import. */
struct zone {
	int utc;
	int active;		/* TZ was changed and must be restored */
	char *saved;		/* the caller's TZ, NULL when it was unset */
};

struct syslog_import {
	const struct fp_import_opts *opts;
	struct fp_sink *sink;
	const char *name;
	struct zone zone;
	struct rules_matcher *matcher;
	struct fp_line_stats own_stats;
	struct fp_line_stats *stats;
	enum file_mode mode;

	int year;		/* year of the last RFC 3164 stamp, 0 before */
	fp_time last_3164;

	long bad_lines;
	char first_bad[1024];
	int warned_fraction;
	int warned_utf8;
	long first_untimed;

	int have_prev;		/* for continuation lines */
	int prev_colon;		/* the previous message ends with ':' */
	int prev_continued;	/* the previous line was a continuation */
	fp_time prev_ts;
	char prev_host[256];
	char prev_program[64];

	struct fp_buf scratch;	/* a message rebuilt by the framing */
	struct fp_buf repaired;	/* a line with its invalid UTF-8 replaced */
};

static const char *const month_names[] = {
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
	"nov", "dec",
};

static void
bad_line(struct syslog_import *imp, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
bad_line(struct syslog_import *imp, long line, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	imp->stats->bad++;
	imp->sink->warn(imp->sink->ctx, line, msg);
	if (imp->bad_lines++ == 0)
		snprintf(imp->first_bad, sizeof(imp->first_bad),
		    "'%s' line %ld: %s", imp->name, line, msg);
}

/* Accept TZ database names and POSIX TZ strings such as "EST5EDT". */
static int
zone_known(const char *tz)
{
	const char *dir = getenv("TZDIR");
	char *path;
	int ok;

	if (*tz == ':')
		tz++;
	if (*tz == '\0' || strstr(tz, "..") != NULL)
		return 0;
	if (*tz == '/')
		return access(tz, R_OK) == 0;
	path = xasprintf("%s/%s", dir != NULL && *dir != '\0' ? dir :
	    "/usr/share/zoneinfo", tz);
	ok = access(path, R_OK) == 0;
	free(path);
	if (ok)
		return 1;
	for (const char *c = tz; *c; c++)
		if (isdigit((unsigned char)*c))
			return 1;
	return 0;
}

static int
zone_begin(struct zone *z, const char *tz)
{
	const char *old;

	memset(z, 0, sizeof(*z));
	if (tz == NULL || strcmp(tz, "UTC") == 0 || strcmp(tz, "Z") == 0 ||
	    strcmp(tz, "Etc/UTC") == 0) {
		z->utc = 1;
		return 0;
	}
	if (!zone_known(tz))
		return fp_fail(FP_EINVAL, "unknown time zone '%s' for --tz: "
		    "expected a TZ database name such as Europe/Berlin, or "
		    "UTC", tz);
	old = getenv("TZ");
	z->saved = old != NULL ? xstrdup(old) : NULL;
	setenv("TZ", tz, 1);
	tzset();
	z->active = 1;
	return 0;
}

static void
zone_end(struct zone *z)
{
	if (z->active) {
		if (z->saved != NULL)
			setenv("TZ", z->saved, 1);
		else
			unsetenv("TZ");
		tzset();
	}
	free(z->saved);
	memset(z, 0, sizeof(*z));
}

/*
 * Convert a civil time in the import's zone (encoded as if it were UTC)
 * to UTC.  NOTE: in the hour that repeats when DST ends, mktime() picks
 * one of the two instants, and a stamp without a zone does not show
 * which one was meant.
 */
static int
zone_to_utc(const struct zone *z, fp_time civil, fp_time *out)
{
	time_t secs, local;
	int64_t us;
	struct tm tm;

	if (z->utc) {
		*out = civil;
		return 0;
	}
	secs = (time_t)(civil / USEC_PER_SEC);
	us = civil % USEC_PER_SEC;
	if (us < 0) {
		us += USEC_PER_SEC;
		secs--;
	}
	gmtime_r(&secs, &tm);
	tm.tm_isdst = -1;
	local = mktime(&tm);
	if (local == (time_t)-1)
		return -1;
	*out = (fp_time)local * USEC_PER_SEC + us;
	return 0;
}

static fp_time
civil_3164(int64_t year, const struct frame *fr)
{
	return fp_days_from_civil(year, (unsigned)fr->month,
	    (unsigned)fr->day) * USEC_PER_DAY + fr->time_of_day;
}

/* The year among those around anchor that puts the stamp nearest it. */
static int
nearest_year(const struct frame *fr, fp_time anchor)
{
	int64_t y = 1970 + anchor / (USEC_PER_DAY * 36525 / 100);
	int64_t best = y;
	fp_time best_gap = INT64_MAX;

	for (int64_t cand = y - 2; cand <= y + 2; cand++) {
		fp_time gap = civil_3164(cand, fr) - anchor;

		if (gap < 0)
			gap = -gap;
		if (gap < best_gap) {
			best_gap = gap;
			best = cand;
		}
	}
	return (int)best;
}

/* Pick the year of an RFC 3164 stamp and return its civil time. */
static fp_time
infer_year(struct syslog_import *imp, const struct frame *fr, long line)
{
	const struct fp_import_opts *o = imp->opts;
	fp_time civil;
	char msg[256];

	if (imp->year == 0) {
		if (o->year > 0) {
			imp->year = o->year;
		} else if (o->reference != 0 &&
		    o->reference != FP_TIME_NONE) {
			imp->year = nearest_year(fr, o->reference);
		} else {
			imp->year = nearest_year(fr, fp_now());
			snprintf(msg, sizeof(msg), "RFC 3164 time stamps have "
			    "no year: %d was taken from today's date; pass "
			    "--year to set the year of the first line",
			    imp->year);
			imp->sink->warn(imp->sink->ctx, line, msg);
		}
		civil = civil_3164(imp->year, fr);
	} else {
		civil = civil_3164(imp->year, fr);
		if (civil < imp->last_3164 - YEAR_WRAP)
			civil = civil_3164(++imp->year, fr);
	}
	imp->last_3164 = civil;
	return civil;
}

static void
warn_fraction(struct syslog_import *imp, int frac_digits, long line)
{
	if (frac_digits > 6 && !imp->warned_fraction) {
		imp->sink->warn(imp->sink->ctx, line, "time stamp fraction "
		    "has more than 6 digits: times are kept to the "
		    "microsecond (reported once)");
		imp->warned_fraction = 1;
	}
}

/* Convert a civil time in the import's zone to UTC, or set err. */
static int
civil_to_utc(struct syslog_import *imp, fp_time civil, fp_time *ts,
    char *err, size_t errlen)
{
	if (zone_to_utc(&imp->zone, civil, ts) != 0) {
		snprintf(err, errlen, "time stamp cannot be converted from "
		    "time zone '%s'", imp->opts->tz);
		return -1;
	}
	return 0;
}

/* Work out the UTC time of a header.  Returns -1 with err set. */
static int
frame_time(struct syslog_import *imp, const struct frame *fr, long line,
    fp_time *ts, char *err, size_t errlen)
{
	fp_time civil;

	if (fr->has_time <= 0) {
		*ts = FP_TIME_NONE;
		return 0;
	}
	warn_fraction(imp, fr->frac_digits, line);
	if (fr->framing != FRAME_RFC3164) {
		civil = fr->ts;
		if (fr->zoned) {
			*ts = fr->ts;
			return 0;
		}
	} else {
		if (fr->day < 1 || fr->day > 31) {
			snprintf(err, errlen, "invalid day %d in the RFC 3164 "
			    "time stamp: expected 1 to 31", fr->day);
			return -1;
		}
		civil = infer_year(imp, fr, line);
		if (fr->day > syslog_days_in_month(imp->year, fr->month)) {
			snprintf(err, errlen, "invalid date %s %d in %d: the "
			    "month has %d days", month_names[fr->month - 1],
			    fr->day, imp->year,
			    syslog_days_in_month(imp->year, fr->month));
			return -1;
		}
	}
	return civil_to_utc(imp, civil, ts, err, errlen);
}

/* The time of a line: the body's when it has a date, else the header's. */
static int
line_time(struct syslog_import *imp, const struct frame *fr,
    const struct body_time *bt, long line, fp_time *ts, char *err,
    size_t errlen)
{
	if (bt->found <= 0)
		return frame_time(imp, fr, line, ts, err, errlen);
	warn_fraction(imp, bt->frac_digits, line);
	if (bt->zoned) {
		*ts = bt->ts;
		return 0;
	}
	return civil_to_utc(imp, bt->ts, ts, err, errlen);
}

static fp_time
clock_offset(const struct fp_import_opts *o, const char *host)
{
	for (size_t i = 0; i < o->n_clock_offsets; i++)
		if (host != NULL && strcmp(o->clock_offsets[i].host, host) == 0)
			return o->clock_offsets[i].offset;
	return 0;
}

static int
emit_event(void *arg, const struct fp_event *ev)
{
	struct syslog_import *imp = arg;
	struct fp_event copy = *ev;

	if (ev->host == NULL) {
		bad_line(imp, ev->line, "no host name for this %s event: the "
		    "line has none, so pass --host with the name of the host "
		    "that wrote the file", ev->kind);
		return 0;
	}
	if (ev->ts == FP_TIME_NONE) {
		if (imp->stats->untimed++ == 0)
			imp->first_untimed = ev->line;
		if (imp->stats->untimed <= UNTIMED_WARNINGS)
			imp->sink->warn(imp->sink->ctx, ev->line, "the line has "
			    "no time stamp (no header, or an RFC 5424 "
			    "NILVALUE): its event has no time and cannot be "
			    "placed on the timeline");
	} else {
		copy.ts += clock_offset(imp->opts, ev->host);
	}
	return imp->sink->event(imp->sink->ctx, &copy);
}

/*
 * Read one line into b without its line ending.  Returns 1 for a line, 0
 * at the end of the file, -1 on a read error.  A line longer than max
 * keeps its first max bytes and sets *too_long, so memory stays bounded;
 * a NUL byte sets *has_nul.
 */
static int
read_line(FILE *f, struct fp_buf *b, size_t max, int *too_long,
    int *has_nul)
{
	int c, any = 0;

	if (b->cap < 256) {
		/* Zeroed: PCRE2's JIT reads a little past the subject. */
		b->data = xrealloc(b->data, 256);
		memset(b->data, 0, 256);
		b->cap = 256;
	}
	b->len = 0;
	*too_long = *has_nul = 0;
	while ((c = getc_unlocked(f)) != EOF) {
		any = 1;
		if (c == '\n')
			break;
		if (c == '\0')
			*has_nul = 1;
		if (b->len >= max) {
			*too_long = 1;
			continue;
		}
		if (b->len + 1 >= b->cap) {
			b->cap *= 2;
			b->data = xrealloc(b->data, b->cap);
		}
		b->data[b->len++] = (char)c;
	}
	b->data[b->len] = '\0';
	if (ferror(f))
		return -1;
	if (!any)
		return 0;
	if (b->len > 0 && b->data[b->len - 1] == '\r')
		b->data[--b->len] = '\0';
	return 1;
}

/* Length of the UTF-8 sequence at p, or 0 when it is invalid. */
static size_t
utf8_sequence(const unsigned char *p)
{
	size_t n;
	uint32_t cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	cp = p[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

/*
 * Return the line with each byte that is not part of valid UTF-8
 * replaced by U+FFFD, warning once per file.
 */
static const char *
repair_utf8(struct syslog_import *imp, const char *text, long line)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t n;

	for (; *p != '\0'; p += n)
		if ((n = utf8_sequence(p)) == 0)
			break;
	if (*p == '\0')
		return text;
	imp->repaired.len = 0;
	fp_buf_append(&imp->repaired, text, (size_t)((const char *)p - text));
	for (; *p != '\0'; p += n) {
		if ((n = utf8_sequence(p)) == 0) {
			fp_buf_append(&imp->repaired, "\xef\xbf\xbd", 3);
			n = 1;
		} else {
			fp_buf_append(&imp->repaired, p, n);
		}
	}
	if (!imp->warned_utf8) {
		imp->sink->warn(imp->sink->ctx, line, "invalid UTF-8 replaced "
		    "by U+FFFD (reported once per file)");
		imp->warned_utf8 = 1;
	}
	return imp->repaired.data;
}

static void
count_unmatched(struct syslog_import *imp, const char *text, long line)
{
	struct fp_line_stats *st = imp->stats;
	size_t i;

	st->unmatched++;
	if (!rules_text_mentions_ike(text))
		return;
	st->unmatched_ike++;
	if (st->n_samples >= FP_UNMATCHED_SAMPLES)
		return;
	i = st->n_samples++;
	st->sample_line[i] = line;
	snprintf(st->sample[i], sizeof(st->sample[i]), "%s", text);
}

static int
feed(struct syslog_import *imp, const struct rules_message *msg,
    int continued)
{
	int rc;

	if ((rc = rules_matcher_feed(imp->matcher, msg)) != 0)
		return rc;
	if (continued)
		imp->stats->continued++;
	else if (!rules_matcher_last_matched(imp->matcher))
		count_unmatched(imp, msg->text, msg->line);
	return 0;
}

/* A headerless line that continues the message before it. */
static int
is_continuation(const struct syslog_import *imp, const char *text)
{
	if (!imp->have_prev)
		return 0;
	return text[0] == ' ' || text[0] == '\t' || imp->prev_colon ||
	    imp->prev_continued;
}

static int
feed_continuation(struct syslog_import *imp, const char *text, long line)
{
	struct rules_message msg = { 0 };

	msg.line = line;
	msg.ts = imp->prev_ts;
	msg.host = imp->prev_host[0] ? imp->prev_host : NULL;
	msg.program = imp->prev_program[0] ? imp->prev_program : NULL;
	msg.text = text;
	imp->prev_continued = 1;
	return feed(imp, &msg, 1);
}

/* Frame one non-empty line and feed it to the rules. */
static int
import_line(struct syslog_import *imp, const char *text, long line)
{
	struct rules_message msg = { 0 };
	struct body_time bt;
	struct frame fr;
	char err[512], *ex;
	fp_time ts;
	size_t len;

	if (syslog_is_journal_marker(text))
		return 0;
	if (syslog_frame_line(text, &fr, &imp->scratch, err,
	    sizeof(err)) != 0 ||
	    syslog_body_time(fr.message, &bt, err, sizeof(err)) != 0) {
		bad_line(imp, line, "%s", err);
		return 0;
	}
	if (fr.framing == FRAME_BARE && !fr.has_pri && bt.format == NULL) {
		if (is_continuation(imp, text))
			return feed_continuation(imp, text, line);
		if (imp->mode == MODE_TIMED) {
			ex = syslog_excerpt(text, strlen(text));
			bad_line(imp, line, "no syslog header in \"%s\": "
			    "expected RFC 5424 (<PRI>1 TIMESTAMP HOST ...), "
			    "RFC 3164 (Mmm dd hh:mm:ss HOST TAG: ...) or an "
			    "ISO 8601 time stamp", ex);
			free(ex);
			return 0;
		}
	}
	if (line_time(imp, &fr, &bt, line, &ts, err, sizeof(err)) != 0) {
		bad_line(imp, line, "%s", err);
		return 0;
	}
	if (imp->mode == MODE_UNKNOWN)
		imp->mode = ts != FP_TIME_NONE ? MODE_TIMED : MODE_BARE;

	if (fr.host[0] == '\0' && imp->opts->host != NULL)
		snprintf(fr.host, sizeof(fr.host), "%s", imp->opts->host);
	msg.line = line;
	msg.ts = ts;
	msg.host = fr.host[0] ? fr.host : NULL;
	msg.program = fr.program[0] ? fr.program : NULL;
	msg.text = fr.message;

	len = strlen(fr.message);
	while (len > 0 && (fr.message[len - 1] == ' ' ||
	    fr.message[len - 1] == '\t'))
		len--;
	imp->have_prev = 1;
	imp->prev_colon = len > 0 && fr.message[len - 1] == ':';
	imp->prev_continued = 0;
	imp->prev_ts = ts;
	memcpy(imp->prev_host, fr.host, sizeof(imp->prev_host));
	memcpy(imp->prev_program, fr.program, sizeof(imp->prev_program));
	return feed(imp, &msg, 0);
}

/* Report the end of the file: untimed events and the bad lines. */
static int
finish_file(struct syslog_import *imp)
{
	char msg[256];

	if (imp->stats->untimed > UNTIMED_WARNINGS) {
		snprintf(msg, sizeof(msg), "%ld events in all come from lines "
		    "without a time stamp, the first on line %ld",
		    imp->stats->untimed, imp->first_untimed);
		imp->sink->warn(imp->sink->ctx, 0, msg);
	}
	if (imp->bad_lines == 0 || imp->opts->skip_bad)
		return 0;
	if (imp->bad_lines > 1)
		return fp_fail(FP_EINVAL, "%s (%ld bad lines in all)",
		    imp->first_bad, imp->bad_lines);
	return fp_fail(FP_EINVAL, "%s", imp->first_bad);
}

static int
syslog_run(const char *path, const struct fp_import_opts *opts,
    struct fp_sink *sink)
{
	struct syslog_import imp = { 0 };
	const struct rules *set;
	struct fp_buf buf = { 0 };
	const char *text;
	FILE *f = NULL;
	long line = 0;
	int rc, got, too_long, has_nul;

	imp.opts = opts;
	imp.sink = sink;
	imp.stats = opts->stats != NULL ? opts->stats : &imp.own_stats;
	memset(imp.stats, 0, sizeof(*imp.stats));
	imp.name = opts->display_name ? opts->display_name :
	    fp_basename(path);
	if ((rc = rules_load(&set, opts->rule_dirs)) != 0)
		return rc;
	if ((rc = zone_begin(&imp.zone, opts->tz)) != 0)
		return rc;
	f = fopen(path, "r");
	if (f == NULL) {
		rc = fp_fail(FP_EIO, "cannot open '%s': %s", imp.name,
		    strerror(errno));
		goto out;
	}
	imp.matcher = rules_matcher_new(set, emit_event, &imp);

	while ((got = read_line(f, &buf, SYSLOG_MAX_LINE, &too_long,
	    &has_nul)) > 0) {
		line++;
		imp.stats->lines++;
		if (too_long) {
			bad_line(&imp, line, "line longer than %d bytes: not a "
			    "syslog message", SYSLOG_MAX_LINE);
			continue;
		}
		if (has_nul) {
			bad_line(&imp, line, "line contains a NUL byte: the "
			    "file is binary or damaged");
			continue;
		}
		if (buf.len == 0)
			continue;
		text = repair_utf8(&imp, buf.data, line);
		if ((rc = import_line(&imp, text, line)) != 0)
			goto out;
	}
	if (got < 0) {
		rc = fp_fail(FP_EIO, "cannot read '%s': %s", imp.name,
		    strerror(errno));
		goto out;
	}
	if ((rc = rules_matcher_finish(imp.matcher)) != 0)
		goto out;
	rc = finish_file(&imp);
out:
	rules_matcher_free(imp.matcher);
	fp_buf_free(&buf);
	fp_buf_free(&imp.scratch);
	fp_buf_free(&imp.repaired);
	if (f != NULL)
		fclose(f);
	zone_end(&imp.zone);
	return rc;
}

/*
 * A headerless line in a shape that only logs have: a Cisco message id,
 * CEF or LEEF, charon's thread tag, pluto's "conn" #serial.
 */
static int
looks_like_bare_log(const char *msg)
{
	struct body_time bt;
	char err[256];

	if (msg[0] == '%' && isupper((unsigned char)msg[1]))
		return 1;
	if (syslog_is_charon_thread_tag(msg))
		return 1;
	if (msg[0] == '"' && strstr(msg, "\" #") != NULL)
		return 1;
	syslog_body_time(msg, &bt, err, sizeof(err));
	return bt.format != NULL;
}

/* Score the first lines by how many of them frame as syslog. */
static int
syslog_detect(const unsigned char *head, size_t len)
{
	char line[1024], err[512];
	struct fp_buf scratch = { 0 };
	struct frame fr;
	size_t start = 0, n, full;
	int lines = 0, framed = 0, strong = 0, bare = 0;

	while (start < len && lines < 5) {
		const unsigned char *nl = memchr(head + start, '\n',
		    len - start);

		full = nl != NULL ? (size_t)(nl - head) - start : len - start;
		if (nl == NULL && start > 0)
			break;
		n = full < sizeof(line) ? full : sizeof(line) - 1;
		memcpy(line, head + start, n);
		line[n] = '\0';
		start += full + 1;
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if (memchr(line, '\0', n) != NULL) {
			fp_buf_free(&scratch);
			return 0;
		}
		if (n == 0)
			continue;
		lines++;
		if (syslog_frame_line(line, &fr, &scratch, err,
		    sizeof(err)) != 0)
			continue;
		if (fr.framing == FRAME_BARE && !fr.has_pri) {
			bare += looks_like_bare_log(fr.message);
			continue;
		}
		framed++;
		if (fr.framing == FRAME_RFC5424 || line[0] == '<' ||
		    syslog_is_charon_thread_tag(fr.message) || fr.program[0] ||
		    fr.framing == FRAME_DATED)
			strong++;
	}
	fp_buf_free(&scratch);
	if (lines > 0 && framed == 0 && bare == lines)
		return 40;
	if (lines == 0 || framed + bare < lines)
		return framed > 0 ? 20 : 0;
	return strong == framed ? 85 : 60;
}

const struct fp_importer fp_importer_syslog = {
	"syslog",
	"syslog lines: RFC 3164, RFC 5424, vendor and daemon log files",
	syslog_detect,
	syslog_run,
};
