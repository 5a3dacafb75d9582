/*
 * Error context, allocation wrappers, string buffers and time helpers.
 *
 * The error message is process-wide: failproof is single-threaded, and the
 * command layer reads it right after a core call fails.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "util.h"

static char errbuf[2048];

static void
oom(void)
{
	fputs("failproof: out of memory\n", stderr);
	abort();
}

int
fp_fail(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, sizeof(errbuf), fmt, ap);
	va_end(ap);
	return code;
}

int
fp_fail_context(int code, const char *fmt, ...)
{
	char prefix[512], old[sizeof(errbuf)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, errbuf, sizeof(old));
	errbuf[0] = '\0';
	strncat(errbuf, prefix, sizeof(errbuf) - 1);
	if (old[0] != '\0') {
		strncat(errbuf, ": ", sizeof(errbuf) - strlen(errbuf) - 1);
		strncat(errbuf, old, sizeof(errbuf) - strlen(errbuf) - 1);
	}
	return code;
}

const char *
fp_errmsg(void)
{
	return errbuf;
}

void
fp_clear_error(void)
{
	errbuf[0] = '\0';
}

void *
xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (p == NULL)
		oom();
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	struct fp_buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	fp_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return fp_buf_detach(&b);
}

static void
buf_reserve(struct fp_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need <= b->cap)
		return;
	size_t old = b->cap;

	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < need)
		b->cap *= 2;
	b->data = xrealloc(b->data, b->cap);
	/* Zeroed so that a regex JIT reading past a string's end (PCRE2 may)
	 * never reads uninitialised memory. */
	memset(b->data + old, 0, b->cap - old);
}

void
fp_buf_append(struct fp_buf *b, const void *data, size_t len)
{
	buf_reserve(b, len);
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

void
fp_buf_puts(struct fp_buf *b, const char *s)
{
	fp_buf_append(b, s, strlen(s));
}

void
fp_buf_vprintf(struct fp_buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
fp_buf_printf(struct fp_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fp_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *
fp_buf_detach(struct fp_buf *b)
{
	char *s = b->data;

	if (s == NULL)
		s = xstrdup("");
	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

void
fp_buf_free(struct fp_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int64_t
fp_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
parse_digits(const char *s, int n, int *out)
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

static int
days_in_month(int y, int m)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : mdays[m - 1];
}

size_t
fp_time_parse_iso(const char *s, fp_time *out)
{
	int y, mo, d, h, mi, sec, frac_digits = 0;
	int64_t frac_us = 0, offset_s = 0;
	const char *p = s;

	if (parse_digits(p, 4, &y) || p[4] != '-' ||
	    parse_digits(p + 5, 2, &mo) || p[7] != '-' ||
	    parse_digits(p + 8, 2, &d) || (p[10] != 'T' && p[10] != ' ') ||
	    parse_digits(p + 11, 2, &h) || p[13] != ':' ||
	    parse_digits(p + 14, 2, &mi) || p[16] != ':' ||
	    parse_digits(p + 17, 2, &sec))
		return 0;
	p += 19;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || sec > 60)
		return 0;

	if (*p == '.' || *p == ',') {
		p++;
		if (!isdigit((unsigned char)*p))
			return 0;
		while (isdigit((unsigned char)*p)) {
			if (frac_digits < 6)
				frac_us = frac_us * 10 + (*p - '0');
			frac_digits++;
			p++;
		}
		if (frac_digits > 9)
			return 0;
		for (int i = frac_digits; i < 6; i++)
			frac_us *= 10;
	}

	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om, sign = *p == '-' ? -1 : 1;

		if (parse_digits(p + 1, 2, &oh))
			return 0;
		if (p[3] == ':' && parse_digits(p + 4, 2, &om) == 0)
			p += 6;
		else if (parse_digits(p + 3, 2, &om) == 0)
			p += 5;
		else
			return 0;
		if (oh > 23 || om > 59)
			return 0;
		offset_s = sign * (oh * 3600 + om * 60);
	}

	*out = ((fp_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + sec - offset_s) * 1000000) + frac_us;
	return (size_t)(p - s);
}

static void
time_split(fp_time t, struct tm *tm, long *us)
{
	time_t secs = (time_t)(t / 1000000);
	long rem = (long)(t % 1000000);

	if (rem < 0) {
		rem += 1000000;
		secs -= 1;
	}
	gmtime_r(&secs, tm);
	*us = rem;
}

void
fp_time_format(fp_time t, char *buf, size_t size)
{
	struct tm tm;
	long us;

	time_split(t, &tm, &us);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, us);
}

void
fp_time_format_ms(fp_time t, char *buf, size_t size)
{
	struct tm tm;
	long us;

	time_split(t, &tm, &us);
	snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, us / 1000);
}

static fp_time pinned_now = FP_TIME_NONE;

void
fp_now_pin(fp_time t)
{
	pinned_now = t;
}

fp_time
fp_now(void)
{
	struct timespec ts;

	if (pinned_now != FP_TIME_NONE)
		return pinned_now;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (fp_time)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int
fp_duration_parse(const char *s, fp_time *out)
{
	char *end;
	double v;
	double scale = 1e6;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno != 0 || v < 0 || v > 86400.0 * 366)
		return fp_fail(FP_EINVAL, "invalid duration '%s': expected "
		    "a number of seconds such as 5, 2.5s or 5000ms", s);
	if (strcmp(end, "ms") == 0)
		scale = 1e3;
	else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
		scale = 60e6;
	else if (*end != '\0' && strcmp(end, "s") != 0)
		return fp_fail(FP_EINVAL, "invalid duration '%s': unknown "
		    "unit '%s' (use s, ms or m)", s, end);
	*out = (fp_time)(v * scale + 0.5);
	return 0;
}

int
fp_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0 || v < min || v > max)
		return fp_fail(FP_EINVAL, "invalid number '%s': expected a "
		    "whole number from %ld to %ld", s, min, max);
	*out = v;
	return 0;
}

int
fp_read_file(const char *path, size_t limit, char **data, size_t *len)
{
	struct fp_buf b = { 0 };
	char chunk[65536];
	FILE *f;
	size_t n;

	f = fopen(path, "rb");
	if (f == NULL)
		return fp_fail(FP_EIO, "cannot open '%s': %s", path,
		    strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > limit) {
			fclose(f);
			fp_buf_free(&b);
			return fp_fail(FP_EINVAL, "'%s' is larger than the "
			    "limit of %zu bytes", path, limit);
		}
		fp_buf_append(&b, chunk, n);
	}
	if (ferror(f)) {
		fclose(f);
		fp_buf_free(&b);
		return fp_fail(FP_EIO, "cannot read '%s': %s", path,
		    strerror(errno));
	}
	fclose(f);
	*len = b.len;
	*data = fp_buf_detach(&b);
	return 0;
}

static void
hex_encode(const unsigned char *md, unsigned n, char *hex)
{
	static const char digits[] = "0123456789abcdef";

	for (unsigned i = 0; i < n; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[2 * n] = '\0';
}

void
fp_sha256_hex(const void *data, size_t len, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned n = 0;

	EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
	hex_encode(md, n, hex);
}

int
fp_sha256_file(const char *path, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE], chunk[65536];
	EVP_MD_CTX *ctx;
	unsigned n = 0;
	size_t got;
	FILE *f;
	int rc = 0;

	f = fopen(path, "rb");
	if (f == NULL)
		return fp_fail(FP_EIO, "cannot open '%s': %s", path,
		    strerror(errno));
	ctx = EVP_MD_CTX_new();
	if (ctx == NULL || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		rc = fp_fail(FP_ECRYPTO, "cannot start SHA-256");
		goto out;
	}
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		EVP_DigestUpdate(ctx, chunk, got);
	if (ferror(f)) {
		rc = fp_fail(FP_EIO, "cannot read '%s': %s", path,
		    strerror(errno));
		goto out;
	}
	EVP_DigestFinal_ex(ctx, md, &n);
	hex_encode(md, n, hex);
out:
	EVP_MD_CTX_free(ctx);
	fclose(f);
	return rc;
}

void
fp_qsort(void *base, size_t n, size_t size,
    int (*compare)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, compare);
}

const char *
fp_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Length of the valid UTF-8 sequence at s, or 0 when it is not one. */
static size_t
utf8_length(const unsigned char *s)
{
	size_t n;
	unsigned min;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		min = 0x80;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		min = 0x800;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		min = 0x10000;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

char *
fp_escape(const char *s)
{
	struct fp_buf b = { 0 };

	while (*s) {
		unsigned char c = (unsigned char)*s;
		size_t n = utf8_length((const unsigned char *)s);

		/* C1 controls (U+0080..U+009F) are terminal escapes too. */
		if (c < 0x20 || c == 0x7f || n == 0 ||
		    (n == 2 && c == 0xc2 && (unsigned char)s[1] < 0xa0)) {
			fp_buf_printf(&b, "\\x%02x", c);
			s++;
			continue;
		}
		fp_buf_append(&b, s, n);
		s += n;
	}
	return fp_buf_detach(&b);
}
