/*
 * Times carried inside the message body by the appliances' own formats.
 * A relay's syslog header gives the time the relay received the line;
 * the body gives the time the device wrote it, so the syslog importer
 * prefers a body time that has a date.
 *
 *   key=value   FortiOS date= time= [tz=] [eventtime=]; SonicWall and
 *               Stormshield time="YYYY-MM-DD hh:mm:ss[ UTC]" [tz=]
 *   CEF         rt= (milliseconds since 1970, or "MMM dd yyyy
 *               HH:mm:ss[.SSS][ zone]"), else end= or start=
 *   LEEF        devTime= in the devTimeFormat= pattern (Java
 *               SimpleDateFormat letters), or milliseconds since 1970
 *   PAN-OS CSV  the generated time (field 7), or a high-resolution ISO
 *               8601 field with its zone (PAN-OS 10 and later)
 *   Check Point time:"seconds since 1970" in the Log Exporter's fields
 *
 * Times without a zone are the device's local time, which the importer
 * converts with --tz.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "syslog_frame.h"

/*
 * Parse a zone at p: "Z", "UTC", "GMT", "+hh", "+hhmm" or "+hh:mm".
 * Returns its length (0 when there is none) and the offset east of UTC
 * in seconds, or -1 when it is invalid.
 */
static int
parse_zone(const char *p, int64_t *offset)
{
	int h = 0, m = 0, sign;

	*offset = 0;
	if (*p == 'Z')
		return 1;
	if (strncmp(p, "UTC", 3) == 0 || strncmp(p, "GMT", 3) == 0) {
		if (p[3] != '+' && p[3] != '-')
			return 3;
		p += 3;
		if (parse_zone(p, offset) <= 0)
			return -1;
		return 3 + parse_zone(p, offset);
	}
	if (*p != '+' && *p != '-')
		return 0;
	sign = *p == '-' ? -1 : 1;
	if (syslog_digits(p + 1, 2, &h))
		return -1;
	if (h > 23)
		return -1;
	if (p[3] == ':' && syslog_digits(p + 4, 2, &m) == 0) {
		if (m > 59)
			return -1;
		*offset = sign * (h * 3600 + m * 60);
		return 6;
	}
	if (syslog_digits(p + 3, 2, &m) == 0) {
		if (m > 59)
			return -1;
		*offset = sign * (h * 3600 + m * 60);
		return 5;
	}
	*offset = sign * h * 3600;
	return 3;
}

/*
 * The value of key in a "key=value key2=value2" body: quoted values end
 * at the closing quote (\" inside is kept), others at a blank.  Returns
 * a copy without the quotes, or NULL when the key is absent.
 */
static char *
kv_value(const char *body, const char *key)
{
	size_t klen = strlen(key);
	const char *p = body;

	while ((p = strstr(p, key)) != NULL) {
		const char *v = p + klen, *end;

		if ((p == body || p[-1] == ' ' || p[-1] == '\t') && *v == '=') {
			v++;
			if (*v == '"') {
				v++;
				for (end = v; *end && *end != '"'; end++)
					if (*end == '\\' && end[1] != '\0')
						end++;
			} else {
				end = v + strcspn(v, " \t");
			}
			return xstrndup(v, (size_t)(end - v));
		}
		p += klen;
	}
	return NULL;
}

/* A body that starts with key=value pairs (after blanks). */
static int
is_kv_body(const char *p)
{
	int pairs = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!isalpha((unsigned char)*p))
		return 0;
	while (*p != '\0' && pairs < 3) {
		size_t n = 0;

		while (isalnum((unsigned char)p[n]) || p[n] == '_' ||
		    p[n] == '-' || p[n] == '.')
			n++;
		if (n == 0 || p[n] != '=')
			return pairs >= 2;
		pairs++;
		p += n + 1;
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++)
				if (*p == '\\' && p[1] != '\0')
					p++;
			if (*p == '"')
				p++;
		} else {
			p += strcspn(p, " \t");
		}
		while (*p == ' ' || *p == '\t')
			p++;
	}
	return pairs >= 2;
}

/* "YYYY-MM-DD" or "YYYY/MM/DD" at p; returns days since 1970 or -1. */
static int
parse_date(const char *p, char sep, int64_t *days)
{
	int y, m, d;

	if (syslog_digits(p, 4, &y) || p[4] != sep ||
	    syslog_digits(p + 5, 2, &m) || p[7] != sep ||
	    syslog_digits(p + 8, 2, &d))
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > syslog_days_in_month(y, m))
		return -1;
	*days = fp_days_from_civil(y, (unsigned)m, (unsigned)d);
	return 0;
}

/* "hh:mm:ss[.frac]" at p; returns its length or 0 when invalid. */
static size_t
parse_time_of_day(const char *p, fp_time *us, int *frac_digits)
{
	int h, mi, s, frac = 0;
	int64_t f = 0;
	const char *q = p + 8;

	if (syslog_digits(p, 2, &h) || p[2] != ':' ||
	    syslog_digits(p + 3, 2, &mi) || p[5] != ':' ||
	    syslog_digits(p + 6, 2, &s) || h > 23 || mi > 59 || s > 60)
		return 0;
	if (*q == '.' && isdigit((unsigned char)q[1])) {
		for (q++; isdigit((unsigned char)*q); q++) {
			if (frac < 6)
				f = f * 10 + (*q - '0');
			frac++;
		}
		for (int i = frac; i < 6; i++)
			f *= 10;
	}
	*us = ((int64_t)h * 3600 + mi * 60 + s) * USEC_PER_SEC + f;
	*frac_digits = frac;
	return (size_t)(q - p);
}

/* Apply a tz= field to a civil time.  Returns -1 when it is invalid. */
static int
apply_zone_field(const char *tz, struct body_time *bt)
{
	int64_t offset;
	int n;

	if (tz == NULL || *tz == '\0')
		return 0;
	n = parse_zone(tz, &offset);
	if (n <= 0 || tz[n] != '\0')
		return -1;
	bt->ts -= offset * USEC_PER_SEC;
	bt->zoned = 1;
	return 0;
}

/*
 * FortiOS eventtime= counts seconds, milliseconds, microseconds or
 * nanoseconds since 1970 by its number of digits.  When it falls in the
 * same second as date= and time=, it gives the fraction those lack.
 */
static void
apply_eventtime(const char *et, struct body_time *bt)
{
	size_t len = et != NULL ? strlen(et) : 0;
	int64_t v = 0;
	fp_time t;

	if (len < 10 || len > 19 || !bt->zoned)
		return;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)et[i]))
			return;
		v = v * 10 + (et[i] - '0');
	}
	if (len >= 19)
		t = v / 1000;
	else if (len >= 16)
		t = v;
	else if (len >= 13)
		t = v * 1000;
	else
		t = v * USEC_PER_SEC;
	if (t / USEC_PER_SEC != bt->ts / USEC_PER_SEC)
		return;
	bt->ts = t;
	if (len >= 16)
		bt->frac_digits = 6;
	else if (len >= 13)
		bt->frac_digits = 3;
}

static int
kv_time(const char *body, struct body_time *bt, char *err, size_t errlen)
{
	char *date = kv_value(body, "date"), *time = kv_value(body, "time");
	char *tz = kv_value(body, "tz"), *et = kv_value(body, "eventtime");
	int64_t days, offset;
	fp_time tod;
	size_t n;
	int rc = 0, zl;

	bt->format = "key=value";
	if (date != NULL && time != NULL) {
		if (parse_date(date, '-', &days) != 0 ||
		    (n = parse_time_of_day(time, &tod, &bt->frac_digits)) == 0 ||
		    time[n] != '\0') {
			snprintf(err, errlen, "invalid date=%.16s time=%.16s: "
			    "expected date=YYYY-MM-DD time=hh:mm:ss", date,
			    time);
			rc = -1;
			goto out;
		}
		bt->ts = days * USEC_PER_DAY + tod;
		bt->found = 1;
	} else if (time != NULL && parse_date(time, '-', &days) == 0 &&
	    (time[10] == ' ' || time[10] == 'T')) {
		if ((n = parse_time_of_day(time + 11, &tod,
		    &bt->frac_digits)) == 0) {
			snprintf(err, errlen, "invalid time=\"%.32s\": "
			    "expected YYYY-MM-DD hh:mm:ss", time);
			rc = -1;
			goto out;
		}
		bt->ts = days * USEC_PER_DAY + tod;
		bt->found = 1;
		n += 11;
		while (time[n] == ' ')
			n++;
		if ((zl = parse_zone(time + n, &offset)) < 0 ||
		    time[n + (zl > 0 ? zl : 0)] != '\0') {
			snprintf(err, errlen, "invalid zone in time=\"%.32s\"",
			    time);
			rc = -1;
			goto out;
		}
		if (zl > 0) {
			bt->ts -= offset * USEC_PER_SEC;
			bt->zoned = 1;
		}
	} else if (time != NULL && parse_time_of_day(time, &tod,
	    &bt->frac_digits) > 0) {
		bt->found = -1;
		goto out;
	} else {
		goto out;
	}
	if (!bt->zoned && apply_zone_field(tz, bt) != 0) {
		snprintf(err, errlen, "invalid tz=%.16s: expected an offset "
		    "such as -0500 or +02:00", tz);
		rc = -1;
		goto out;
	}
	apply_eventtime(et, bt);
out:
	free(date);
	free(time);
	free(tz);
	free(et);
	return rc;
}

/*
 * Parse text against a Java SimpleDateFormat pattern (the letters y M d
 * H m s S z Z X and literal characters).  Returns 0 or -1.
 */
static int
parse_pattern(const char *text, const char *pattern, struct body_time *bt)
{
	int year = -1, month = 0, day = 0, h = 0, mi = 0, s = 0;
	int64_t frac = 0, offset = 0;
	const char *t = text, *p = pattern;
	int zoned = 0;

	while (*p != '\0') {
		char c = *p;
		size_t run = 1;
		int v, n;

		while (p[run] == c)
			run++;
		if (strchr("yMdHmsSzZX", c) == NULL) {
			if (*t != c)
				return -1;
			t++;
			p++;
			continue;
		}
		p += run;
		if (c == 'M' && run >= 3) {
			if ((month = syslog_month(t)) == 0)
				return -1;
			t += 3;
			continue;
		}
		if (c == 'z' || c == 'Z' || c == 'X') {
			if ((n = parse_zone(t, &offset)) <= 0)
				return -1;
			t += n;
			zoned = 1;
			continue;
		}
		if (c == 'y')
			n = 4;
		else if (c == 'S')
			n = (int)run;
		else
			n = 2;
		if (syslog_digits(t, n, &v))
			return -1;
		t += n;
		switch (c) {
		case 'y': year = v; break;
		case 'M': month = v; break;
		case 'd': day = v; break;
		case 'H': h = v; break;
		case 'm': mi = v; break;
		case 's': s = v; break;
		default:
			frac = v;
			for (int i = n; i < 6; i++)
				frac *= 10;
			bt->frac_digits = n;
			break;
		}
	}
	if (*t != '\0' || year < 0 || month < 1 || month > 12 || day < 1 ||
	    day > syslog_days_in_month(year, month) || h > 23 || mi > 59 ||
	    s > 60)
		return -1;
	bt->ts = fp_days_from_civil(year, (unsigned)month, (unsigned)day) *
	    USEC_PER_DAY + ((int64_t)h * 3600 + mi * 60 + s) * USEC_PER_SEC +
	    frac - offset * USEC_PER_SEC;
	bt->zoned = zoned;
	bt->found = 1;
	return 0;
}

/* Milliseconds since 1970 as a zoned time. */
static int
epoch_ms(const char *v, struct body_time *bt)
{
	int64_t ms = 0;
	size_t len = strlen(v);

	if (len < 10 || len > 15)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)v[i]))
			return -1;
		ms = ms * 10 + (v[i] - '0');
	}
	bt->ts = ms * 1000;
	bt->zoned = 1;
	bt->found = 1;
	bt->frac_digits = 3;
	return 0;
}

/*
 * The value of key in a CEF extension, which runs to the blank before
 * the next "key=" (values may contain blanks).
 */
static char *
cef_value(const char *ext, const char *key)
{
	size_t klen = strlen(key);
	const char *p = ext;

	while ((p = strstr(p, key)) != NULL) {
		const char *v = p + klen, *end;

		if ((p == ext || p[-1] == ' ') && *v == '=') {
			v++;
			for (end = v; *end != '\0'; end++) {
				size_t n = 0;

				if (*end != ' ')
					continue;
				while (isalnum((unsigned char)end[1 + n]) ||
				    end[1 + n] == '_')
					n++;
				if (n > 0 && end[1 + n] == '=')
					break;
			}
			return xstrndup(v, (size_t)(end - v));
		}
		p += klen;
	}
	return NULL;
}

static const char *const cef_patterns[] = {
	"MMM dd yyyy HH:mm:ss.SSS zzz", "MMM dd yyyy HH:mm:ss zzz",
	"MMM dd yyyy HH:mm:ss.SSS", "MMM dd yyyy HH:mm:ss", NULL
};

static int
cef_time(const char *msg, struct body_time *bt, char *err, size_t errlen)
{
	static const char *const keys[] = { "rt", "end", "start", NULL };
	const char *ext = msg;
	char *v = NULL;

	bt->format = "CEF";
	/* The extension follows the seventh '|' of the header. */
	for (int bars = 0; bars < 7; bars++) {
		if ((ext = strchr(ext, '|')) == NULL)
			return 0;
		ext++;
	}
	for (int i = 0; keys[i] != NULL && v == NULL; i++)
		v = cef_value(ext, keys[i]);
	if (v == NULL)
		return 0;
	if (epoch_ms(v, bt) == 0) {
		free(v);
		return 0;
	}
	for (int i = 0; cef_patterns[i] != NULL; i++) {
		if (parse_pattern(v, cef_patterns[i], bt) == 0) {
			free(v);
			return 0;
		}
	}
	snprintf(err, errlen, "invalid CEF time \"%.40s\": expected "
	    "milliseconds since 1970 or MMM dd yyyy HH:mm:ss", v);
	free(v);
	return -1;
}

/*
 * LEEF 1.0 separates its attributes with a tab; LEEF 2.0 names the
 * separator in a sixth header field: a character, or its code as x09,
 * 0x09 or ^.
 */
static int
leef_time(const char *msg, struct body_time *bt, char *err, size_t errlen)
{
	const char *attrs = msg, *field6;
	char sep = '\t', *fmt = NULL, *tm = NULL, *copy, *tok, *save = NULL;
	char delims[2];
	int rc = 0, headers = strncmp(msg, "LEEF:2", 6) == 0 ? 6 : 5;

	bt->format = "LEEF";
	for (int bars = 0; bars < 5; bars++) {
		if ((attrs = strchr(attrs, '|')) == NULL)
			return 0;
		attrs++;
	}
	field6 = attrs;
	if (headers == 6) {
		attrs = strchr(field6, '|');
		if (attrs == NULL)
			return 0;
		if (field6[0] == 'x' || (field6[0] == '0' && field6[1] == 'x'))
			sep = (char)strtol(field6 + (field6[0] == '0' ? 2 : 1),
			    NULL, 16);
		else if (attrs > field6)
			sep = field6[0];
		attrs++;
	}
	delims[0] = sep;
	delims[1] = '\0';
	copy = xstrdup(attrs);
	for (tok = strtok_r(copy, delims, &save); tok != NULL;
	    tok = strtok_r(NULL, delims, &save)) {
		if (strncmp(tok, "devTimeFormat=", 14) == 0)
			fmt = tok + 14;
		else if (strncmp(tok, "devTime=", 8) == 0)
			tm = tok + 8;
	}
	if (tm != NULL && epoch_ms(tm, bt) != 0 && (fmt == NULL ||
	    parse_pattern(tm, fmt, bt) != 0)) {
		snprintf(err, errlen, "invalid LEEF devTime \"%.40s\": "
		    "expected the pattern of devTimeFormat \"%.40s\"", tm,
		    fmt != NULL ? fmt : "(milliseconds since 1970)");
		rc = -1;
	}
	free(copy);
	return rc;
}

/*
 * PAN-OS CSV: "FUTURE_USE,receive time,serial,TYPE,subtype,..." with the
 * generated time in the seventh field.
 */
static int
panos_time(const char *msg, struct body_time *bt)
{
	const char *f[64];
	size_t len[64], n = 0;
	const char *p = msg;
	int64_t days;
	fp_time tod;

	while (n < 64) {
		const char *start = p;

		if (*p == '"') {
			for (p++; *p && !(*p == '"' && p[1] != '"'); p++)
				if (*p == '"')
					p++;
			if (*p == '"')
				p++;
		} else {
			p += strcspn(p, ",");
		}
		f[n] = start;
		len[n++] = (size_t)(p - start);
		if (*p != ',')
			break;
		p++;
	}
	if (n < 8 || parse_date(f[1], '/', &days) != 0 || len[1] != 19 ||
	    !isupper((unsigned char)f[3][0]))
		return 0;
	bt->format = "PAN-OS CSV";
	for (size_t i = 8; i < n; i++) {
		fp_time t;
		size_t k;

		if (len[i] < 25 || len[i] > 40)
			continue;
		k = fp_time_parse_iso(f[i], &t);
		if (k == len[i] && f[i][10] == 'T' && (f[i][k - 1] == 'Z' ||
		    f[i][k - 3] == ':')) {
			bt->ts = t;
			bt->zoned = 1;
			bt->found = 1;
			bt->frac_digits = f[i][19] == '.' ? 3 : 0;
			return 0;
		}
	}
	if (len[6] == 19 && parse_date(f[6], '/', &days) == 0 &&
	    parse_time_of_day(f[6] + 11, &tod, &bt->frac_digits) == 8) {
		bt->ts = days * USEC_PER_DAY + tod;
		bt->found = 1;
	} else if (parse_time_of_day(f[1] + 11, &tod,
	    &bt->frac_digits) == 8) {
		parse_date(f[1], '/', &days);
		bt->ts = days * USEC_PER_DAY + tod;
		bt->found = 1;
	}
	return 0;
}

/* Check Point Log Exporter: time:"1557937579" among the fields. */
static int
checkpoint_time(const char *msg, struct body_time *bt)
{
	const char *p = strstr(msg, " time:\"");
	int64_t v = 0;
	int n = 0;

	if (p == NULL && strncmp(msg, "[time:\"", 7) == 0)
		p = msg;
	if (p == NULL)
		return 0;
	p = strchr(p, '"') + 1;
	for (; isdigit((unsigned char)p[n]) && n < 12; n++)
		v = v * 10 + (p[n] - '0');
	if (n < 9 || p[n] != '"')
		return 0;
	bt->format = "Check Point";
	bt->ts = v * USEC_PER_SEC;
	bt->zoned = 1;
	bt->found = 1;
	return 0;
}

int
syslog_body_time(const char *msg, struct body_time *bt, char *err,
    size_t errlen)
{
	const char *p = msg;

	memset(bt, 0, sizeof(*bt));
	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, "CEF:", 4) == 0)
		return cef_time(p, bt, err, errlen);
	if (strncmp(p, "LEEF:", 5) == 0)
		return leef_time(p, bt, err, errlen);
	if (*p == '[' || strncmp(p, "syslog[", 7) == 0)
		return checkpoint_time(p, bt);
	if (isdigit((unsigned char)*p) && strchr(p, ',') != NULL)
		return panos_time(p, bt);
	if (is_kv_body(p))
		return kv_time(p, bt, err, errlen);
	return 0;
}
