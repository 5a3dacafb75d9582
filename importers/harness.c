/*
 * Helpers shared by the harness importers: zones of times written without
 * one, and safe loading of whole JSON and XML documents (harness.h).
 *
 * The zone code follows the syslog importer's: the TZ environment
 * variable is switched for the import and restored after it, so the C
 * library's mktime() does the conversion with the system's zone database.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "harness.h"

#define USEC_PER_SEC INT64_C(1000000)

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

int
harness_zone_begin(struct harness_zone *z, const char *tz)
{
	const char *old;

	memset(z, 0, sizeof(*z));
	if (tz == NULL || strcmp(tz, "UTC") == 0 || strcmp(tz, "Z") == 0 ||
	    strcmp(tz, "Etc/UTC") == 0) {
		z->utc = 1;
		z->name = tz;
		return 0;
	}
	if (!zone_known(tz))
		return fp_fail(FP_EINVAL, "unknown time zone '%s' for --tz: "
		    "expected a TZ database name such as Europe/Berlin, or "
		    "UTC", tz);
	z->name = tz;
	old = getenv("TZ");
	z->saved = old != NULL ? xstrdup(old) : NULL;
	setenv("TZ", tz, 1);
	tzset();
	z->active = 1;
	return 0;
}

void
harness_zone_end(struct harness_zone *z)
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
 * NOTE: in the hour that repeats when daylight saving time ends, mktime()
 * picks one of the two instants, and a time without a zone does not show
 * which one was meant.
 */
int
harness_zone_to_utc(struct harness_zone *z, fp_time civil, fp_time *out)
{
	time_t secs, local;
	int64_t us;
	struct tm tm;

	z->used = 1;
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
		return fp_fail(FP_EINVAL, "time cannot be converted from the "
		    "time zone '%s'", z->name);
	*out = (fp_time)local * USEC_PER_SEC + us;
	return 0;
}

size_t
harness_parse_time(struct harness_zone *z, const char *s, fp_time *out,
    int *zoned)
{
	size_t n = fp_time_parse_iso(s, out);
	const char *q;

	if (n == 0)
		return 0;
	/* fp_time_parse_iso reads 19 characters, a fraction, then a zone. */
	q = s + 19;
	if (*q == '.' || *q == ',')
		for (q++; isdigit((unsigned char)*q); q++)
			;
	*zoned = q < s + n;
	if (!*zoned && harness_zone_to_utc(z, *out, out) != 0)
		return 0;
	return n;
}

const char *
harness_zone_note(struct harness_zone *z)
{
	return z->name != NULL ? z->name : "UTC";
}

int
harness_read(const char *path, const char *name, size_t limit, char **data,
    size_t *len)
{
	struct fp_buf b = { 0 };
	char chunk[65536];
	FILE *f;
	size_t n;

	f = fopen(path, "rb");
	if (f == NULL)
		return fp_fail(FP_EIO, "cannot open '%s': %s", name,
		    strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > limit) {
			fclose(f);
			fp_buf_free(&b);
			return fp_fail(FP_EINVAL, "'%s' is larger than the "
			    "limit of %zu MiB for this kind of file: import "
			    "a smaller result", name, limit >> 20);
		}
		fp_buf_append(&b, chunk, n);
	}
	if (ferror(f)) {
		fclose(f);
		fp_buf_free(&b);
		return fp_fail(FP_EIO, "cannot read '%s': %s", name,
		    strerror(errno));
	}
	fclose(f);
	if (memchr(b.data ? b.data : "", '\0', b.len) != NULL) {
		fp_buf_free(&b);
		return fp_fail(FP_EINVAL, "'%s' contains NUL bytes: not a "
		    "text document", name);
	}
	*len = b.len;
	*data = b.data != NULL ? fp_buf_detach(&b) : xstrdup("");
	return 0;
}

long
harness_line_at(const char *data, size_t len, size_t off)
{
	long line = 1;

	for (size_t i = 0; i < off && i < len; i++)
		if (data[i] == '\n')
			line++;
	return line;
}

static long
column_at(const char *data, size_t off)
{
	size_t start = off;

	while (start > 0 && data[start - 1] != '\n')
		start--;
	return (long)(off - start) + 1;
}

int
harness_json_parse(const char *data, size_t len, const char *name,
    int max_depth, json_t **out)
{
	json_error_t err;
	int depth = 0, in_string = 0;
	json_t *root;

	for (size_t i = 0; i < len; i++) {
		char c = data[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '{' || c == '[') {
			if (++depth > max_depth)
				return fp_fail(FP_EINVAL, "'%s' line %ld column "
				    "%ld: JSON nested more than %d levels "
				    "deep: not accepted", name,
				    harness_line_at(data, len, i),
				    column_at(data, i), max_depth);
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	root = json_loadb(data, len, 0, &err);
	if (root == NULL)
		return fp_fail(FP_EINVAL, "'%s' line %d column %d: invalid "
		    "JSON: %s", name, err.line, err.column, err.text);
	*out = root;
	return 0;
}

/* Skip a comment or processing instruction at p; NULL when unterminated. */
static const char *
skip_markup(const char *p, const char *end, const char *close)
{
	size_t n = strlen(close);

	for (; p + n <= end; p++)
		if (memcmp(p, close, n) == 0)
			return p + n;
	return NULL;
}

/*
 * Walk the prolog of data: the XML declaration, comments, processing
 * instructions and blanks.  Returns the root element's '<', or NULL with
 * *doctype set to the DOCTYPE's position when there is one.
 */
static const char *
walk_prolog(const char *data, size_t len, const char **doctype)
{
	const char *p = data, *end = data + len;

	*doctype = NULL;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < end) {
		if (isspace((unsigned char)*p)) {
			p++;
		} else if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			if ((p = skip_markup(p + 4, end, "-->")) == NULL)
				return NULL;
		} else if (end - p >= 2 && memcmp(p, "<?", 2) == 0) {
			if ((p = skip_markup(p + 2, end, "?>")) == NULL)
				return NULL;
		} else if (end - p >= 2 && memcmp(p, "<!", 2) == 0) {
			/* DOCTYPE, or any other declaration: never allowed. */
			*doctype = p;
			return NULL;
		} else if (*p == '<') {
			return p;
		} else {
			return NULL;
		}
	}
	return NULL;
}

int
harness_xml_check_prolog(const char *data, size_t len, const char *name)
{
	const char *doctype;

	if (len >= 2 && ((unsigned char)data[0] == 0xfe ||
	    (unsigned char)data[0] == 0xff || data[0] == '\0' ||
	    data[1] == '\0'))
		return fp_fail(FP_EINVAL, "'%s' is not UTF-8 encoded XML: "
		    "convert it to UTF-8 and import it again", name);
	if (walk_prolog(data, len, &doctype) == NULL && doctype != NULL)
		return fp_fail(FP_EINVAL, "'%s' line %ld column %ld: the "
		    "document declares a DOCTYPE, which harness results never "
		    "need: rejected, because its entities could read local "
		    "files or the network", name,
		    harness_line_at(data, len, (size_t)(doctype - data)),
		    column_at(data, (size_t)(doctype - data)));
	return 0;
}

int
harness_xml_options(void)
{
	/* No XML_PARSE_NOENT, XML_PARSE_DTDLOAD or XML_PARSE_HUGE: entities
	 * stay unexpanded, no DTD is loaded, libxml2's size and depth
	 * limits hold.  NOERROR and NOWARNING keep libxml2 off stderr. */
	return XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES;
}

/* A second guard behind the prolog check: stop at any DOCTYPE. */
static void
reject_internal_subset(void *ctx, const xmlChar *name,
    const xmlChar *external_id, const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = ctx;

	(void)name;
	(void)external_id;
	(void)system_id;
	ctxt->_private = ctxt;
	xmlStopParser(ctxt);
}

static char *
trimmed_message(const char *msg)
{
	char *s = xstrdup(msg ? msg : "parse error");
	size_t n = strlen(s);

	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

int
harness_xml_parse(const char *data, size_t len, const char *name,
    xmlDoc **out)
{
	xmlParserCtxtPtr ctxt;
	const xmlError *e;
	xmlDoc *doc;
	char *msg;
	int rc;

	if ((rc = harness_xml_check_prolog(data, len, name)) != 0)
		return rc;
	if (len > INT32_MAX)
		return fp_fail(FP_EINVAL, "'%s' is too large to parse", name);
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL)
		return fp_fail(FP_EIO, "'%s': cannot create an XML parser",
		    name);
	ctxt->sax->internalSubset = reject_internal_subset;
	doc = xmlCtxtReadMemory(ctxt, data, (int)len, NULL, NULL,
	    harness_xml_options());
	if (ctxt->_private != NULL || (doc != NULL &&
	    (doc->intSubset != NULL || doc->extSubset != NULL))) {
		rc = fp_fail(FP_EINVAL, "'%s': the document declares a "
		    "DOCTYPE, which harness results never need: rejected",
		    name);
	} else if (doc == NULL || !ctxt->wellFormed) {
		e = xmlCtxtGetLastError(ctxt);
		msg = trimmed_message(e ? e->message : NULL);
		rc = fp_fail(FP_EINVAL, "'%s' line %d column %d: invalid XML: "
		    "%s", name, e ? e->line : 0, e ? e->int2 : 0, msg);
		free(msg);
	} else {
		*out = doc;
		doc = NULL;
	}
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return rc;
}

int
harness_xml_root_name(const unsigned char *head, size_t len, char *buf,
    size_t size)
{
	const char *doctype, *p, *end = (const char *)head + len;
	size_t n = 0;

	p = walk_prolog((const char *)head, len, &doctype);
	if (p == NULL && doctype != NULL) {
		/* <!DOCTYPE name ...: detect by the declared root. */
		p = doctype + 9;
		while (p < end && *p == ' ')
			p++;
		p--;
	}
	if (p == NULL)
		return -1;
	for (p++; p < end && n + 1 < size && (isalnum((unsigned char)*p) ||
	    *p == '_' || *p == '-' || *p == ':' || *p == '.'); p++)
		buf[n++] = *p;
	buf[n] = '\0';
	return n > 0 ? 0 : -1;
}

char *
harness_cut(const char *s, size_t max)
{
	char *out;

	if (s == NULL)
		return NULL;
	if (strlen(s) <= max)
		return xstrdup(s);
	out = xmalloc(max + 48);
	memcpy(out, s, max);
	snprintf(out + max, 48, "\n[cut at %zu bytes]", max);
	return out;
}
