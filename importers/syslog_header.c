/*
 * Syslog headers: the time stamp, host and program before a message.
 *
 * Recognised after an optional <PRI>:
 *   RFC 5424    1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG
 *               (Check Point's Log Exporter writes it without a PRI)
 *   RFC 3164    Mmm dd hh:mm:ss[.frac] [HOST] [TAG[pid]:] MSG
 *   dated       Mmm dd yyyy hh:mm:ss[.frac][:] [HOST [:]] MSG
 *               (Cisco ASA and FTD buffer and syslog time stamps)
 *               Mmm dd hh:mm:ss.frac: MSG (pluto's own log file)
 *               yyyy Mmm dd hh:mm:ss HOST MSG (OSSEC and Wazuh archives)
 *   ISO 8601    YYYY-MM-DDThh:mm:ss[.frac][zone] [HOST] [TAG[pid]:] MSG
 *               (rsyslog, journalctl -o short-iso, charon's file log)
 *               YYYY-MM-DD hh:mm:ss[.frac][:] MSG (racoon's log file,
 *               the ScreenOS event table)
 *   VPN 3000    seq MM/DD/YYYY hh:mm:ss.mmm SEV=n CLASS/n RPT=n MSG
 * A line that starts with none of these is bare: the message alone.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "syslog_frame.h"

static const char *const month_names[] = {
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
	"nov", "dec",
};

int
syslog_digits(const char *s, int n, int *out)
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

int
syslog_month(const char *s)
{
	for (int i = 0; i < 12; i++)
		if (strncasecmp(s, month_names[i], 3) == 0)
			return i + 1;
	return 0;
}

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
syslog_days_in_month(int64_t y, int m)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	return m == 2 && is_leap(y) ? 29 : mdays[m - 1];
}

char *
syslog_excerpt(const char *s, size_t len)
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

int
syslog_is_charon_thread_tag(const char *p)
{
	return isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
	    p[2] == '[' && isupper((unsigned char)p[3]) &&
	    isupper((unsigned char)p[4]) && isupper((unsigned char)p[5]) &&
	    p[6] == ']' && (p[7] == ' ' || p[7] == '\0');
}

int
syslog_is_journal_marker(const char *line)
{
	size_t len = strlen(line);

	return len >= 6 && strncmp(line, "-- ", 3) == 0 &&
	    strcmp(line + len - 3, " --") == 0;
}

static const char *
skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
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

/*
 * After a time stamp: the strongSwan file log's thread tag, or
 * [HOST] [TAG:] MSG.
 */
static void
frame_rest(const char *p, struct frame *fr)
{
	size_t n, tag;

	p = skip_blanks(p);
	if (syslog_is_charon_thread_tag(p)) {
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
 * After a Cisco ASA stamp: ": MSG", "HOST : MSG", "HOST: MSG" or
 * "HOST MSG", where MSG starts with '%'.
 */
static void
frame_rest_dated(const char *p, struct frame *fr)
{
	size_t n;

	if (*p == ':') {
		fr->message = skip_blanks(p + 1);
		return;
	}
	p = skip_blanks(p);
	if (*p == '%') {
		fr->message = p;
		return;
	}
	n = strcspn(p, " \t:");
	if (n > 0 && n < sizeof(fr->host)) {
		memcpy(fr->host, p, n);
		fr->host[n] = '\0';
		p = skip_blanks(p + n);
		if (*p == ':')
			p = skip_blanks(p + 1);
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

	if ((n = fp_time_parse_iso(p, &fr->ts)) == 0)
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

/* "YYYY-MM-DD" followed by 'T' or a blank: the shape of an ISO stamp. */
static int
looks_iso(const char *p)
{
	int v;

	return syslog_digits(p, 4, &v) == 0 && p[4] == '-' &&
	    syslog_digits(p + 5, 2, &v) == 0 && p[7] == '-' &&
	    syslog_digits(p + 8, 2, &v) == 0 && (p[10] == 'T' || p[10] == ' ');
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

/* "hh:mm:ss[.frac]" at q into fr; returns its length or 0. */
static size_t
parse_clock(const char *q, struct frame *fr)
{
	const char *start = q;
	int h, mi, s, frac = 0;
	int64_t us = 0;

	if (syslog_digits(q, 2, &h) || q[2] != ':' ||
	    syslog_digits(q + 3, 2, &mi) || q[5] != ':' ||
	    syslog_digits(q + 6, 2, &s))
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
	fr->time_of_day = ((int64_t)h * 3600 + mi * 60 + s) * USEC_PER_SEC +
	    us;
	fr->frac_digits = frac;
	fr->has_time = 1;
	if (h > 23 || mi > 59 || s > 60)
		fr->has_time = -1;
	return (size_t)(q - start);
}

/*
 * "Mmm dd hh:mm:ss[.frac]" with the day padded by a blank, a zero or
 * both, optionally with the year after the day (Cisco) or before the
 * month (OSSEC).  Sets fr->framing to FRAME_DATED when a year is there.
 */
static size_t
parse_3164_stamp(const char *p, struct frame *fr)
{
	const char *q = p;
	int month, day, year = 0, after_day;
	size_t n;

	if (syslog_digits(q, 4, &year) == 0 && q[4] == ' ')
		q += 5;
	else
		year = 0;
	if ((month = syslog_month(q)) == 0 || (q[3] != ' ' && q[3] != '\t'))
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
	if (year == 0 && syslog_digits(q, 4, &after_day) == 0 && q[4] == ' ') {
		year = after_day;
		q += 5;
	}
	if ((n = parse_clock(q, fr)) == 0)
		return 0;
	q += n;
	if (*q != ' ' && *q != '\t' && *q != '\0' && *q != ':')
		return 0;
	fr->month = month;
	fr->day = day;
	fr->framing = year > 0 ? FRAME_DATED : FRAME_RFC3164;
	if (year > 0 && fr->has_time > 0) {
		if (day < 1 || day > syslog_days_in_month(year, month))
			fr->has_time = -1;
		else
			fr->ts = fp_days_from_civil(year, (unsigned)month,
			    (unsigned)day) * USEC_PER_DAY + fr->time_of_day;
	}
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

/*
 * The text the rules see for an RFC 5424 line: MSG, or the structured
 * data when MSG is empty (Check Point's Log Exporter, Junos), with
 * "MSGID: " in front when there is a MSGID (Junos writes its event tag
 * there, as its BSD format writes "TAG: text").
 */
static const char *
message_5424(const char *msgid, const char *sd, size_t sd_len,
    const char *msg, struct fp_buf *scratch)
{
	if (*msg == '\0' && !(sd_len == 1 && *sd == '-')) {
		msg = sd;
	} else {
		sd_len = strlen(msg);
		sd = msg;
	}
	if (*msgid == '\0')
		return msg;
	scratch->len = 0;
	fp_buf_printf(scratch, "%s: ", msgid);
	fp_buf_append(scratch, sd, *msg == '\0' ? 0 : strlen(sd));
	return scratch->data;
}

static int
frame_5424(const char *p, struct frame *fr, struct fp_buf *scratch,
    char *err, size_t errlen)
{
	char msgid[64];
	const char *sd;
	size_t n;
	char *ex;

	fr->framing = FRAME_RFC5424;
	if (*p != '1' || p[1] != ' ') {
		ex = syslog_excerpt(p, strcspn(p, " "));
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
			ex = syslog_excerpt(p, strcspn(p, " "));
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
	    (p = header_field(p, msgid, sizeof(msgid))) == NULL) {
		snprintf(err, errlen, "incomplete RFC 5424 header: expected "
		    "HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA after "
		    "the timestamp");
		return -1;
	}
	sd = p;
	if ((p = skip_structured_data(p)) == NULL ||
	    (*p != ' ' && *p != '\0')) {
		snprintf(err, errlen, "invalid RFC 5424 structured data: "
		    "expected '-' or [ID name=\"value\"] elements");
		return -1;
	}
	n = (size_t)(p - sd);
	if (*p == ' ')
		p++;
	if ((unsigned char)p[0] == 0xef && (unsigned char)p[1] == 0xbb &&
	    (unsigned char)p[2] == 0xbf)
		p += 3;
	fr->message = message_5424(msgid, sd, n, p, scratch);
	return 0;
}

/* "31220 06/01/2005 19:05:22.120 SEV=8 ...": the VPN 3000 event log. */
static size_t
parse_vpn3000(const char *p, struct frame *fr)
{
	const char *q = p;
	int a, b, year, month, day;
	size_t n;

	while (isdigit((unsigned char)*q))
		q++;
	if (q == p || *q != ' ')
		return 0;
	q++;
	if (syslog_digits(q, 2, &a) || q[2] != '/' ||
	    syslog_digits(q + 3, 2, &b) || q[5] != '/' ||
	    syslog_digits(q + 6, 4, &year) || q[10] != ' ')
		return 0;
	if ((n = parse_clock(q + 11, fr)) == 0 ||
	    strncmp(q + 11 + n, " SEV=", 5) != 0)
		return 0;
	/* The concentrator writes MM/DD/YYYY; a first number above 12 can
	 * only be a day. */
	month = a > 12 ? b : a;
	day = a > 12 ? a : b;
	fr->framing = FRAME_VPN3000;
	if (month < 1 || month > 12 || day < 1 ||
	    day > syslog_days_in_month(year, month))
		fr->has_time = -1;
	else
		fr->ts = fp_days_from_civil(year, (unsigned)month,
		    (unsigned)day) * USEC_PER_DAY + fr->time_of_day;
	fr->message = q + 11 + n + 1;
	return (size_t)(fr->message - p);
}

int
syslog_frame_line(const char *line, struct frame *fr, struct fp_buf *scratch,
    char *err, size_t errlen)
{
	const char *p = line;
	size_t n;
	int pri;
	char *ex;

	memset(fr, 0, sizeof(*fr));
	if ((pri = parse_pri(p)) < 0) {
		ex = syslog_excerpt(p, strcspn(p, " "));
		snprintf(err, errlen, "invalid syslog PRI \"%s\": expected "
		    "<0> to <191>", ex);
		free(ex);
		return -1;
	}
	fr->has_pri = pri > 0;
	p += pri;
	if (pri > 0 && isdigit((unsigned char)p[0]) && (p[1] == ' ' ||
	    (isdigit((unsigned char)p[1]) && p[2] == ' ')))
		return frame_5424(p, fr, scratch, err, errlen);
	if (pri == 0 && p[0] == '1' && p[1] == ' ' && looks_iso(p + 2))
		return frame_5424(p, fr, scratch, err, errlen);

	if ((n = parse_3164_stamp(p, fr)) > 0) {
		/* A colon right after the stamp: pluto's log file, which has
		 * no host and no TAG. */
		if (fr->framing == FRAME_DATED)
			frame_rest_dated(p + n, fr);
		else if (p[n] == ':')
			fr->message = skip_blanks(p + n + 1);
		else
			frame_rest(p + n, fr);
		goto check_time;
	}
	if (looks_iso(p)) {
		if ((n = parse_iso(p, fr)) == 0 || (p[n] != ' ' &&
		    p[n] != '\t' && p[n] != '\0' && p[n] != ':')) {
			ex = syslog_excerpt(p, strcspn(p + 11, " \t") + 11);
			snprintf(err, errlen, "invalid ISO 8601 time stamp "
			    "\"%s\": expected YYYY-MM-DDThh:mm:ss with an "
			    "optional fraction and zone", ex);
			free(ex);
			return -1;
		}
		fr->framing = FRAME_ISO;
		if (p[10] == ' ' || p[n] == ':')
			fr->message = skip_blanks(p + n + (p[n] == ':'));
		else
			frame_rest(p + n, fr);
		return 0;
	}
	if (parse_vpn3000(p, fr) > 0)
		goto check_time;

	fr->framing = FRAME_BARE;
	fr->message = p;
	return 0;

check_time:
	if (fr->has_time < 0 && fr->framing == FRAME_RFC3164) {
		snprintf(err, errlen, "invalid time of day in the RFC 3164 "
		    "time stamp: expected hh:mm:ss from 00:00:00 to 23:59:60");
		return -1;
	}
	if (fr->has_time < 0) {
		snprintf(err, errlen, "invalid date or time of day in the "
		    "time stamp: expected a real date and hh:mm:ss from "
		    "00:00:00 to 23:59:60");
		return -1;
	}
	return 0;
}
