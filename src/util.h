/*
 * Shared helpers: the error context that core functions fill and only the
 * command layer prints, allocation wrappers, a growable string buffer and
 * UTC time in microseconds.
 *
 * Out-of-memory is not an error the tool can recover from: the x* allocators
 * print a message and abort, so callers never test for NULL.
 */
#ifndef FP_UTIL_H
#define FP_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Status codes returned by core functions; 0 is success. */
enum fp_status {
	FP_OK = 0,
	FP_EINVAL = -1,		/* bad input: a file, an option, a value */
	FP_EIO = -2,		/* a file or the system failed */
	FP_ESTORE = -3,		/* the SQLite store failed */
	FP_EREPO = -4,		/* the evidence repository failed */
	FP_ENOTFOUND = -5,	/* a run, file or object does not exist */
	FP_EVERIFY = -6,	/* a signature or hash does not verify */
	FP_EDENIED = -7,	/* a rule of the procedure forbids the action */
	FP_ECRYPTO = -8,	/* OpenSSL or xmlsec failed */
};

/*
 * Record an error message (printf format) and return code, so a caller can
 * write "return fp_fail(FP_EINVAL, ...)".  The message replaces any earlier
 * one.
 */
int fp_fail(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prefix the current message with context such as "'fw-a.log'". */
int fp_fail_context(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Return the last message set by fp_fail, or "" when none. */
const char *fp_errmsg(void);
void fp_clear_error(void);

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Growable NUL-terminated byte buffer. */
struct fp_buf {
	char *data;
	size_t len;
	size_t cap;
};

void fp_buf_append(struct fp_buf *b, const void *data, size_t len);
void fp_buf_puts(struct fp_buf *b, const char *s);
void fp_buf_printf(struct fp_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void fp_buf_vprintf(struct fp_buf *b, const char *fmt, va_list ap);
/* Hand the string to the caller (never NULL) and reset the buffer. */
char *fp_buf_detach(struct fp_buf *b);
void fp_buf_free(struct fp_buf *b);

/* Microseconds since 1970-01-01T00:00:00Z. */
typedef int64_t fp_time;
#define FP_TIME_NONE INT64_MIN

/*
 * Parse an ISO 8601 date-time: "YYYY-MM-DDTHH:MM:SS", a fraction of up to
 * nine digits (kept to the microsecond), and "Z", "+HH:MM", "-HH:MM" or
 * "+HHMM".  Without a zone the time is UTC.  A space may replace the "T".
 * Returns the number of characters consumed, or 0 when the text is not
 * such a date-time.
 */
size_t fp_time_parse_iso(const char *s, fp_time *out);

/* Format as "2026-12-04T19:49:25.750123Z" (27 bytes with the NUL). */
#define FP_TIME_STRLEN 32
void fp_time_format(fp_time t, char *buf, size_t size);
/* Format with milliseconds: "2026-12-04T19:49:25.750Z". */
void fp_time_format_ms(fp_time t, char *buf, size_t size);

/* Days since the epoch for a proleptic Gregorian date. */
int64_t fp_days_from_civil(int64_t y, unsigned m, unsigned d);

/* Current time, or the time fp_now_pin() set while it is set. */
fp_time fp_now(void);
/*
 * Make fp_now() return t until it is called with FP_TIME_NONE.  Only a
 * rebuild of the store pins the time: it replays each record of the
 * repository at the time the record states, through the store calls the
 * commands themselves make.
 */
void fp_now_pin(fp_time t);

/*
 * Parse a duration such as "5", "5s", "5000ms", "2.5s" or "1m" into
 * microseconds (a bare number is seconds).  Returns 0 or FP_EINVAL.
 */
int fp_duration_parse(const char *s, fp_time *out);

/* Parse a whole decimal number; returns 0 or FP_EINVAL. */
int fp_parse_long(const char *s, long min, long max, long *out);

/* Read a whole file into memory (NUL-terminated); limit in bytes. */
int fp_read_file(const char *path, size_t limit, char **data, size_t *len);

/* Lower-case hex SHA-256 of a file (65 bytes with the NUL). */
int fp_sha256_file(const char *path, char hex[65]);
void fp_sha256_hex(const void *data, size_t len, char hex[65]);

/*
 * qsort() that accepts an empty array: qsort(NULL, 0, ...) is undefined
 * behaviour in C even though nothing is sorted.
 */
void fp_qsort(void *base, size_t n, size_t size,
    int (*compare)(const void *, const void *));

/* The last path component, without allocating. */
const char *fp_basename(const char *path);

/* Copy hostile text for a terminal: control bytes become \xNN. */
char *fp_escape(const char *s);

#endif
