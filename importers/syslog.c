/*
 * The syslog importer: frames each line, then hands the message to the
 * vendor rules (rules.c), which emit the events.
 *
 * Framings, recognised line by line:
 *   RFC 5424  <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG
 *   RFC 3164  [<PRI>]Mmm dd hh:mm:ss [HOST] [TAG[pid]:] MSG
 *   ISO       YYYY-MM-DDThh:mm:ss[.frac][zone] [HOST] [TAG[pid]:] MSG
 *             (rsyslog's file format and strongSwan's file log)
 * After an RFC 3164 or ISO time stamp a charon thread tag ("05[IKE] ")
 * means the line is strongSwan's file log, which has no host and no TAG.
 *
 * RFC 3164 stamps have no year: it is --year for the first line, else the
 * year that puts the first line nearest the run date.  From there the
 * year goes up by one whenever a stamp would fall more than half a year
 * before the previous one, so time never runs backwards across
 * 31 December.  Stamps without a zone are local time in --tz (a TZ
 * database name), UTC by default.
 *
 * A line that starts with a blank and cannot be framed continues the
 * previous line (multi-line messages written raw).  A line no rule wants
 * is not an event and not an error.  A line that cannot be framed is a
 * bad line, and so is one without a host (from the line or --host) when a
 * rule makes an event of it.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "importer.h"
#include "rules.h"

/*
 * Longer lines are bad lines.  RFC 5424 receivers must accept 480 octets
 * and should accept 2048, so real syslog messages are far shorter.
 */
#define SYSLOG_MAX_LINE 65536

#define USEC_PER_SEC INT64_C(1000000)
#define USEC_PER_DAY (INT64_C(86400) * USEC_PER_SEC)
/* A stamp this far before the previous one starts a new year. */
#define YEAR_WRAP (INT64_C(183) * USEC_PER_DAY)

enum framing {
	FRAME_RFC5424,
	FRAME_RFC3164,
	FRAME_ISO,
};

/* One line taken apart.  message points into the line. */
struct frame {
	enum framing framing;
	int has_time;		/* 0 for an RFC 5424 NILVALUE stamp */
	int zoned;		/* the stamp carried its zone: ts is UTC */
	fp_time ts;		/* UTC when zoned, else civil time as if UTC */
	int month;		/* RFC 3164: 1..12, the year is inferred */
	int day;
	fp_time time_of_day;
	int frac_digits;
	char host[256];		/* "" when the line has none */
	char program[64];	/* "" when the line has none */
	const char *message;
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

	int year;		/* year of the last RFC 3164 stamp, 0 before */
	fp_time last_3164;

	long bad_lines;
	char first_bad[1024];
	int warned_fraction;

	int have_prev;		/* for raw continuation lines */
	fp_time prev_ts;
	char prev_host[256];
	char prev_program[64];
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
	imp->sink->warn(imp->sink->ctx, line, msg);
	if (imp->bad_lines++ == 0)
		snprintf(imp->first_bad, sizeof(imp->first_bad),
		    "'%s' line %ld: %s", imp->name, line, msg);
}

/* Copy at most 40 bytes of s for a message, control bytes escaped. */
static char *
excerpt(const char *s, size_t len)
{
	char *cut, *esc;

	cut = xstrndup(s, len > 40 ? 40 : len);
	esc = fp_escape(cut);
	free(cut);
	if (len <= 40)
		return esc;
	cut = xasprintf("%s...", esc);
	free(esc);
	return cut;
}

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int64_t y, int m)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	return m == 2 && is_leap(y) ? 29 : mdays[m - 1];
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

/* Parse exactly n digits. */
static int
digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* "05[IKE] ": a charon thread number and log group. */
static int
is_charon_thread_tag(const char *p)
{
	return isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
	    p[2] == '[' && isupper((unsigned char)p[3]) &&
	    isupper((unsigned char)p[4]) && isupper((unsigned char)p[5]) &&
	    p[6] == ']' && (p[7] == ' ' || p[7] == '\0');
}

/*
 * Parse "TAG[pid]:" or "TAG:" at p and copy TAG into program.  Returns the
 * length of the token with its colon, or 0 when p does not start with a
 * TAG.
 */
static size_t
parse_tag(const char *p, char *program, size_t size)
{
	size_t n = 0, name_len;

	while (isalnum((unsigned char)p[n]) || p[n] == '-' || p[n] == '_' ||
	    p[n] == '.' || p[n] == '/')
		n++;
	name_len = n;
	if (name_len == 0 || name_len >= size)
		return 0;
	if (p[n] == '[') {
		n++;
		while (isdigit((unsigned char)p[n]) || p[n] == ' ')
			n++;
		if (p[n] != ']')
			return 0;
		n++;
	}
	if (p[n] != ':' || (p[n + 1] != ' ' && p[n + 1] != '\t' &&
	    p[n + 1] != '\0'))
		return 0;
	memcpy(program, p, name_len);
	program[name_len] = '\0';
	return n + 1;
}

static const char *
skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/*
 * After a time stamp: the strongSwan file log's thread tag, or
 * [HOST] [TAG:] MSG.
 */
static void
frame_rest(const char *p, struct frame *fr)
{
	size_t n, tag;

	p = skip_blanks(p);
	if (is_charon_thread_tag(p)) {
		fr->message = p;
		return;
	}
	if ((tag = parse_tag(p, fr->program, sizeof(fr->program))) > 0) {
		fr->message = p + tag + (p[tag] != '\0');
		return;
	}
	n = strcspn(p, " \t");
	if (n > 0 && n < sizeof(fr->host) && p[n] != '\0') {
		memcpy(fr->host, p, n);
		fr->host[n] = '\0';
		p = skip_blanks(p + n);
		if ((tag = parse_tag(p, fr->program,
		    sizeof(fr->program))) > 0)
			p += tag + (p[tag] != '\0');
	}
	fr->message = p;
}

/*
 * Parse an ISO 8601 stamp at p into fr->ts, fr->zoned and
 * fr->frac_digits.  Returns its length, or 0 when there is none.
 */
static size_t
parse_iso(const char *p, struct frame *fr)
{
	size_t n, end = 19;

	if ((n = fp_time_parse_iso(p, &fr->ts)) == 0 || p[10] != 'T')
		return 0;
	if (p[end] == '.' || p[end] == ',') {
		end++;
		while (isdigit((unsigned char)p[end]))
			end++;
		fr->frac_digits = (int)(end - 20);
	}
	fr->zoned = end < n;
	fr->has_time = 1;
	return n;
}

/* Parse an optional <PRI>: returns its length, 0 or -1 when invalid. */
static int
parse_pri(const char *p)
{
	int n = 1, v = 0;

	if (*p != '<')
		return 0;
	while (n <= 3 && isdigit((unsigned char)p[n])) {
		v = v * 10 + (p[n] - '0');
		n++;
	}
	if (n == 1 || p[n] != '>' || v > 191)
		return -1;
	return n + 1;
}

/* "Mmm dd hh:mm:ss[.frac]" with the day padded by a blank, a zero or both. */
static size_t
parse_3164_stamp(const char *p, struct frame *fr)
{
	const char *q = p;
	int month = 0, day, h, mi, s, frac = 0;
	int64_t us = 0;

	for (int i = 0; i < 12; i++)
		if (strncasecmp(q, month_names[i], 3) == 0)
			month = i + 1;
	if (month == 0 || (q[3] != ' ' && q[3] != '\t'))
		return 0;
	q = skip_blanks(q + 3);
	if (!isdigit((unsigned char)q[0]))
		return 0;
	day = q[0] - '0';
	q++;
	if (isdigit((unsigned char)*q))
		day = day * 10 + (*q++ - '0');
	if (*q != ' ' && *q != '\t')
		return 0;
	q = skip_blanks(q);
	if (digits(q, 2, &h) || q[2] != ':' || digits(q + 3, 2, &mi) ||
	    q[5] != ':' || digits(q + 6, 2, &s))
		return 0;
	q += 8;
	if (*q == '.' && isdigit((unsigned char)q[1])) {
		for (q++; isdigit((unsigned char)*q); q++) {
			if (frac < 6)
				us = us * 10 + (*q - '0');
			frac++;
		}
		for (int i = frac; i < 6; i++)
			us *= 10;
	}
	if (*q != ' ' && *q != '\t' && *q != '\0')
		return 0;
	fr->month = month;
	fr->day = day;
	fr->time_of_day = ((int64_t)h * 3600 + mi * 60 + s) * USEC_PER_SEC +
	    us;
	fr->frac_digits = frac;
	fr->has_time = 1;
	if (h > 23 || mi > 59 || s > 60)
		fr->has_time = -1;
	return (size_t)(q - p);
}

/* Skip the SD-ELEMENTs of RFC 5424.  Returns NULL when they are invalid. */
static const char *
skip_structured_data(const char *p)
{
	if (*p == '-')
		return p + 1;
	if (*p != '[')
		return NULL;
	while (*p == '[') {
		int quoted = 0;

		for (p++; *p != '\0'; p++) {
			if (quoted && *p == '\\' && p[1] != '\0')
				p++;
			else if (*p == '"')
				quoted = !quoted;
			else if (!quoted && *p == ']')
				break;
		}
		if (*p != ']')
			return NULL;
		p++;
	}
	return p;
}

/* Copy one RFC 5424 header field.  The NILVALUE "-" gives "". */
static const char *
header_field(const char *p, char *out, size_t size)
{
	size_t n = strcspn(p, " ");

	if (n == 0 || p[n] != ' ')
		return NULL;
	if (out != NULL) {
		out[0] = '\0';
		if (!(n == 1 && *p == '-')) {
			if (n >= size)
				n = size - 1;
			memcpy(out, p, n);
			out[n] = '\0';
		}
	}
	return p + n + 1;
}

static int
frame_5424(const char *p, struct frame *fr, char *err, size_t errlen)
{
	size_t n;
	char *ex;

	fr->framing = FRAME_RFC5424;
	if (*p != '1' || p[1] != ' ') {
		ex = excerpt(p, strcspn(p, " "));
		snprintf(err, errlen, "unsupported syslog version \"%s\": "
		    "expected 1 (RFC 5424)", ex);
		free(ex);
		return -1;
	}
	p += 2;
	if (p[0] == '-' && p[1] == ' ') {
		p += 2;
	} else {
		n = parse_iso(p, fr);
		if (n > 0 && p[n] == '\0') {
			snprintf(err, errlen, "incomplete RFC 5424 header: "
			    "expected HOSTNAME APP-NAME PROCID MSGID "
			    "STRUCTURED-DATA after the timestamp");
			return -1;
		}
		if (n == 0 || p[n] != ' ') {
			ex = excerpt(p, strcspn(p, " "));
			snprintf(err, errlen, "invalid RFC 5424 timestamp "
			    "\"%s\": expected ISO 8601 such as "
			    "2026-12-04T19:49:25.768Z", ex);
			free(ex);
			return -1;
		}
		p += n + 1;
	}
	if ((p = header_field(p, fr->host, sizeof(fr->host))) == NULL ||
	    (p = header_field(p, fr->program, sizeof(fr->program))) == NULL ||
	    (p = header_field(p, NULL, 0)) == NULL ||
	    (p = header_field(p, NULL, 0)) == NULL) {
		snprintf(err, errlen, "incomplete RFC 5424 header: expected "
		    "HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA after "
		    "the timestamp");
		return -1;
	}
	if ((p = skip_structured_data(p)) == NULL ||
	    (*p != ' ' && *p != '\0')) {
		snprintf(err, errlen, "invalid RFC 5424 structured data: "
		    "expected '-' or [ID name=\"value\"] elements");
		return -1;
	}
	if (*p == ' ')
		p++;
	if ((unsigned char)p[0] == 0xef && (unsigned char)p[1] == 0xbb &&
	    (unsigned char)p[2] == 0xbf)
		p += 3;
	fr->message = p;
	return 0;
}

/*
 * Take one line apart.  Returns 0, or -1 with err describing what is
 * wrong for a line that is not syslog.
 */
static int
frame_line(const char *line, struct frame *fr, char *err, size_t errlen)
{
	const char *p = line;
	size_t n;
	int pri;
	char *ex;

	memset(fr, 0, sizeof(*fr));
	if ((pri = parse_pri(p)) < 0) {
		ex = excerpt(p, strcspn(p, " "));
		snprintf(err, errlen, "invalid syslog PRI \"%s\": expected "
		    "<0> to <191>", ex);
		free(ex);
		return -1;
	}
	p += pri;
	if (pri > 0 && isdigit((unsigned char)p[0]) && (p[1] == ' ' ||
	    (isdigit((unsigned char)p[1]) && p[2] == ' ')))
		return frame_5424(p, fr, err, errlen);

	if ((n = parse_3164_stamp(p, fr)) > 0) {
		fr->framing = FRAME_RFC3164;
		frame_rest(p + n, fr);
		return 0;
	}
	if ((n = parse_iso(p, fr)) > 0 &&
	    (p[n] == ' ' || p[n] == '\t' || p[n] == '\0')) {
		fr->framing = FRAME_ISO;
		frame_rest(p + n, fr);
		return 0;
	}
	ex = excerpt(p, strlen(p));
	snprintf(err, errlen, "no syslog header in \"%s\": expected RFC 5424 "
	    "(<PRI>1 TIMESTAMP HOST ...), RFC 3164 (Mmm dd hh:mm:ss HOST "
	    "TAG: ...) or an ISO 8601 time stamp", ex);
	free(ex);
	return -1;
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

/* Work out the UTC time of a framed line.  Returns -1 with err set. */
static int
frame_time(struct syslog_import *imp, const struct frame *fr, long line,
    fp_time *ts, char *err, size_t errlen)
{
	fp_time civil;

	if (!fr->has_time) {
		*ts = FP_TIME_NONE;
		return 0;
	}
	if (fr->has_time < 0) {
		snprintf(err, errlen, "invalid time of day in the RFC 3164 "
		    "time stamp: expected hh:mm:ss from 00:00:00 to 23:59:60");
		return -1;
	}
	if (fr->frac_digits > 6 && !imp->warned_fraction) {
		imp->sink->warn(imp->sink->ctx, line, "time stamp fraction "
		    "has more than 6 digits: times are kept to the "
		    "microsecond (reported once)");
		imp->warned_fraction = 1;
	}
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
		if (fr->day > days_in_month(imp->year, fr->month)) {
			snprintf(err, errlen, "invalid date %s %d in %d: the "
			    "month has %d days", month_names[fr->month - 1],
			    fr->day, imp->year,
			    days_in_month(imp->year, fr->month));
			return -1;
		}
	}
	if (zone_to_utc(&imp->zone, civil, ts) != 0) {
		snprintf(err, errlen, "time stamp cannot be converted from "
		    "time zone '%s'", imp->opts->tz);
		return -1;
	}
	return 0;
}

static int
emit_event(void *arg, const struct fp_event *ev)
{
	struct syslog_import *imp = arg;

	if (ev->host == NULL) {
		bad_line(imp, ev->line, "no host name for this %s event: the "
		    "line has none, so pass --host with the name of the host "
		    "that wrote the file", ev->kind);
		return 0;
	}
	if (ev->ts == FP_TIME_NONE)
		imp->sink->warn(imp->sink->ctx, ev->line, "the line has no "
		    "time stamp (RFC 5424 NILVALUE): its event is kept "
		    "without a time");
	return imp->sink->event(imp->sink->ctx, ev);
}

/*
 * Read one line into b without its line ending.  Returns 1 for a line, 0
 * at the end of the file, -1 on a read error.  A line longer than max
 * keeps its first max bytes and sets *too_long; a NUL byte sets *has_nul.
 */
static int
read_line(FILE *f, struct fp_buf *b, size_t max, int *too_long,
    int *has_nul)
{
	int c, any = 0;
	char ch;

	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
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
		ch = (char)c;
		fp_buf_append(b, &ch, 1);
	}
	if (ferror(f))
		return -1;
	if (!any)
		return 0;
	if (b->len > 0 && b->data[b->len - 1] == '\r')
		b->data[--b->len] = '\0';
	if (b->data == NULL)
		fp_buf_append(b, "", 0);
	return 1;
}

/* Frame one non-empty line and feed it to the rules. */
static int
import_line(struct syslog_import *imp, const char *text, long line)
{
	struct rules_message msg = { 0 };
	struct frame fr;
	char err[512];
	fp_time ts;

	if (frame_line(text, &fr, err, sizeof(err)) != 0) {
		if ((text[0] == ' ' || text[0] == '\t') && imp->have_prev) {
			msg.line = line;
			msg.ts = imp->prev_ts;
			msg.host = imp->prev_host[0] ? imp->prev_host : NULL;
			msg.program = imp->prev_program[0] ?
			    imp->prev_program : NULL;
			msg.text = text;
			return rules_matcher_feed(imp->matcher, &msg);
		}
		bad_line(imp, line, "%s", err);
		return 0;
	}
	if (frame_time(imp, &fr, line, &ts, err, sizeof(err)) != 0) {
		bad_line(imp, line, "%s", err);
		return 0;
	}

	if (fr.host[0] == '\0' && imp->opts->host != NULL)
		snprintf(fr.host, sizeof(fr.host), "%s", imp->opts->host);
	msg.line = line;
	msg.ts = ts;
	msg.host = fr.host[0] ? fr.host : NULL;
	msg.program = fr.program[0] ? fr.program : NULL;
	msg.text = fr.message;

	imp->have_prev = 1;
	imp->prev_ts = ts;
	memcpy(imp->prev_host, fr.host, sizeof(imp->prev_host));
	memcpy(imp->prev_program, fr.program, sizeof(imp->prev_program));
	return rules_matcher_feed(imp->matcher, &msg);
}

static int
syslog_run(const char *path, const struct fp_import_opts *opts,
    struct fp_sink *sink)
{
	struct syslog_import imp = { 0 };
	const struct rules *set;
	struct fp_buf buf = { 0 };
	FILE *f = NULL;
	long line = 0;
	int rc, got, too_long, has_nul;

	imp.opts = opts;
	imp.sink = sink;
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
		if ((rc = import_line(&imp, buf.data, line)) != 0)
			goto out;
	}
	if (got < 0) {
		rc = fp_fail(FP_EIO, "cannot read '%s': %s", imp.name,
		    strerror(errno));
		goto out;
	}
	if ((rc = rules_matcher_finish(imp.matcher)) != 0)
		goto out;

	if (imp.bad_lines > 1)
		rc = fp_fail(FP_EINVAL, "%s (%ld bad lines in all)",
		    imp.first_bad, imp.bad_lines);
	else if (imp.bad_lines == 1)
		rc = fp_fail(FP_EINVAL, "%s", imp.first_bad);
out:
	rules_matcher_free(imp.matcher);
	fp_buf_free(&buf);
	if (f != NULL)
		fclose(f);
	zone_end(&imp.zone);
	return rc;
}

/* Score the first lines by how many of them frame as syslog. */
static int
syslog_detect(const unsigned char *head, size_t len)
{
	char line[1024], err[512];
	struct frame fr;
	size_t start = 0, n, full;
	int lines = 0, framed = 0, strong = 0;

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
		if (memchr(line, '\0', n) != NULL)
			return 0;
		if (n == 0)
			continue;
		lines++;
		if (frame_line(line, &fr, err, sizeof(err)) != 0)
			continue;
		framed++;
		if (fr.framing == FRAME_RFC5424 || line[0] == '<' ||
		    is_charon_thread_tag(fr.message) || fr.program[0])
			strong++;
	}
	if (lines == 0 || framed < lines)
		return framed > 0 ? 20 : 0;
	return strong == lines ? 85 : 60;
}

const struct fp_importer fp_importer_syslog = {
	"syslog",
	"syslog lines (RFC 3164, RFC 5424, strongSwan file log)",
	syslog_detect,
	syslog_run,
};
