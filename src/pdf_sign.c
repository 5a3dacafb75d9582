/*
 * PDF signing by incremental update, and the scanner it shares with the
 * verifier.
 *
 * libharu writes a whole document and cannot update one.  So pdf_sign()
 * reads the file with the scanner below and appends the objects a
 * signature needs with their own cross-reference section.  The signature
 * goes into a /Contents placeholder that the signed byte range leaves out:
 *
 *   [0, ByteRange[1])            signed: the file up to "<" of /Contents
 *   <hex digits of the CMS>      not signed: the signature itself
 *   [ByteRange[2], end of file)  signed: the rest of the update
 *
 * NOTE: the scanner reads what failproof writes: classic cross-reference
 * tables chained by /Prev, with no cross-reference streams, object streams
 * or encryption.  A file re-saved by another tool in that form is rejected
 * with a message, never guessed at.  Text strings without a byte order
 * mark are read as Latin-1, which differs from PDFDocEncoding in 0x80-0x9f.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "pdf_sign.h"
#include "util.h"

/* Room for the DER signature in bytes.  An RSA-2048 signature with its
 * self-signed certificate measured 1372 bytes, so this leaves room for
 * RSA-4096 and longer certificates. */
#define SIG_CAPACITY		8192
/* Nesting of arrays and dictionaries. */
#define MAX_DEPTH		64
#define MAX_REVISIONS		4096
#define MAX_PAGE_TREE_DEPTH	32
#define MAX_SECRET_SIZE		(1024 * 1024)

/* ---- scanner ---------------------------------------------------------- */

enum token_type {
	TOK_END,
	TOK_ERROR,
	TOK_NUMBER,
	TOK_NAME,
	TOK_STRING,
	TOK_HEX_STRING,
	TOK_ARRAY_OPEN,
	TOK_ARRAY_CLOSE,
	TOK_DICT_OPEN,
	TOK_DICT_CLOSE,
	TOK_KEYWORD,
};

struct token {
	enum token_type type;
	size_t start;
	size_t end;
};

static int
is_white(unsigned char c)
{
	return c == '\0' || c == '\t' || c == '\n' || c == '\f' ||
	    c == '\r' || c == ' ';
}

static int
is_delimiter(unsigned char c)
{
	return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' ||
	    c == ']' || c == '{' || c == '}' || c == '/' || c == '%';
}

/* Skip whitespace and comments. */
static size_t
skip_space(const struct pdf_file *pf, size_t pos)
{
	while (pos < pf->len) {
		if (pf->data[pos] == '%') {
			while (pos < pf->len && pf->data[pos] != '\n' &&
			    pf->data[pos] != '\r')
				pos++;
		} else if (is_white(pf->data[pos])) {
			pos++;
		} else {
			break;
		}
	}
	return pos;
}

static int
is_number(const char *s, size_t len)
{
	size_t i = 0, digits = 0, dots = 0;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	for (; i < len; i++) {
		if (isdigit((unsigned char)s[i]))
			digits++;
		else if (s[i] == '.' && dots++ == 0)
			continue;
		else
			return 0;
	}
	return digits > 0;
}

static void
next_token(const struct pdf_file *pf, size_t *pos, struct token *t)
{
	const char *d = pf->data;
	size_t i = skip_space(pf, *pos);
	int depth;

	t->start = i;
	t->type = TOK_ERROR;
	if (i >= pf->len) {
		t->type = TOK_END;
		t->end = *pos = i;
		return;
	}
	switch (d[i]) {
	case '(':
		for (depth = 1, i++; i < pf->len && depth > 0; i++) {
			if (d[i] == '\\')
				i++;
			else if (d[i] == '(')
				depth++;
			else if (d[i] == ')')
				depth--;
		}
		if (depth == 0)
			t->type = TOK_STRING;
		break;
	case '<':
		if (i + 1 < pf->len && d[i + 1] == '<') {
			t->type = TOK_DICT_OPEN;
			i += 2;
			break;
		}
		for (i++; i < pf->len && d[i] != '>'; i++)
			if (!isxdigit((unsigned char)d[i]) && !is_white(d[i]))
				break;
		if (i < pf->len && d[i] == '>') {
			t->type = TOK_HEX_STRING;
			i++;
		}
		break;
	case '>':
		if (i + 1 < pf->len && d[i + 1] == '>') {
			t->type = TOK_DICT_CLOSE;
			i += 2;
		}
		break;
	case '[':
		t->type = TOK_ARRAY_OPEN;
		i++;
		break;
	case ']':
		t->type = TOK_ARRAY_CLOSE;
		i++;
		break;
	case '/':
		for (i++; i < pf->len && !is_white(d[i]) &&
		    !is_delimiter(d[i]); i++)
			;
		t->type = TOK_NAME;
		break;
	case ')':
	case '{':
	case '}':
		break;
	default:
		while (i < pf->len && !is_white(d[i]) && !is_delimiter(d[i]))
			i++;
		t->type = is_number(d + t->start, i - t->start) ?
		    TOK_NUMBER : TOK_KEYWORD;
		break;
	}
	t->end = i;
	*pos = i;
}

static int
token_is(const struct pdf_file *pf, const struct token *t, const char *word)
{
	size_t n = strlen(word);

	return t->end - t->start == n &&
	    memcmp(pf->data + t->start, word, n) == 0;
}

static int
token_is_integer(const struct pdf_file *pf, const struct token *t)
{
	return t->type == TOK_NUMBER &&
	    memchr(pf->data + t->start, '.', t->end - t->start) == NULL;
}

static int
syntax_error(size_t pos)
{
	return fp_fail(FP_EINVAL, "invalid PDF syntax at offset %zu", pos);
}

static int
parse_value_at(const struct pdf_file *pf, size_t *pos, struct pdf_value *out,
    int depth)
{
	struct token t, t2, t3;
	struct pdf_value item;
	size_t save;
	int rc;

	if (depth > MAX_DEPTH)
		return fp_fail(FP_EINVAL, "PDF objects nested deeper than %d "
		    "levels at offset %zu", MAX_DEPTH, *pos);
	next_token(pf, pos, &t);
	out->start = t.start;
	out->end = t.end;
	switch (t.type) {
	case TOK_NUMBER:
		out->kind = PDF_NUMBER;
		if (!token_is_integer(pf, &t))
			return 0;
		save = *pos;
		next_token(pf, pos, &t2);
		if (token_is_integer(pf, &t2)) {
			next_token(pf, pos, &t3);
			if (t3.type == TOK_KEYWORD && token_is(pf, &t3, "R")) {
				out->kind = PDF_REF;
				out->end = t3.end;
				return 0;
			}
		}
		*pos = save;
		return 0;
	case TOK_NAME:
		out->kind = PDF_NAME;
		return 0;
	case TOK_STRING:
		out->kind = PDF_STRING;
		return 0;
	case TOK_HEX_STRING:
		out->kind = PDF_HEX_STRING;
		return 0;
	case TOK_KEYWORD:
		if (token_is(pf, &t, "true") || token_is(pf, &t, "false")) {
			out->kind = PDF_BOOL;
			return 0;
		}
		if (token_is(pf, &t, "null")) {
			out->kind = PDF_NULL;
			return 0;
		}
		return syntax_error(t.start);
	case TOK_ARRAY_OPEN:
		out->kind = PDF_ARRAY;
		for (;;) {
			save = *pos;
			next_token(pf, pos, &t2);
			if (t2.type == TOK_ARRAY_CLOSE)
				break;
			*pos = save;
			rc = parse_value_at(pf, pos, &item, depth + 1);
			if (rc != 0)
				return rc;
		}
		out->end = t2.end;
		return 0;
	case TOK_DICT_OPEN:
		out->kind = PDF_DICT;
		for (;;) {
			next_token(pf, pos, &t2);
			if (t2.type == TOK_DICT_CLOSE)
				break;
			if (t2.type != TOK_NAME)
				return syntax_error(t2.start);
			rc = parse_value_at(pf, pos, &item, depth + 1);
			if (rc != 0)
				return rc;
		}
		out->end = t2.end;
		return 0;
	default:
		return syntax_error(t.start);
	}
}

int
pdf_value_parse(const struct pdf_file *pf, size_t *pos, struct pdf_value *out)
{
	return parse_value_at(pf, pos, out, 0);
}

int
pdf_name_is(const struct pdf_file *pf, const struct pdf_value *name,
    const char *key)
{
	const char *d = pf->data;
	size_t i = name->start + 1;

	if (name->end <= name->start || d[name->start] != '/')
		return 0;
	while (i < name->end) {
		int c = (unsigned char)d[i];

		if (c == '#' && i + 2 < name->end &&
		    isxdigit((unsigned char)d[i + 1]) &&
		    isxdigit((unsigned char)d[i + 2])) {
			char hex[3] = { d[i + 1], d[i + 2], '\0' };

			c = (int)strtol(hex, NULL, 16);
			i += 3;
		} else {
			i++;
		}
		if (*key == '\0' || (unsigned char)*key != c)
			return 0;
		key++;
	}
	return *key == '\0';
}

int
pdf_dict_next(const struct pdf_file *pf, const struct pdf_value *dict,
    size_t *pos, struct pdf_value *key, struct pdf_value *value)
{
	struct token t;
	int rc;

	if (dict->kind != PDF_DICT)
		return fp_fail(FP_EINVAL, "expected a dictionary at offset %zu",
		    dict->start);
	if (*pos == 0)
		*pos = dict->start + 2;
	if (*pos >= dict->end)
		return 0;
	next_token(pf, pos, &t);
	if (t.type == TOK_DICT_CLOSE)
		return 0;
	if (t.type != TOK_NAME)
		return syntax_error(t.start);
	key->kind = PDF_NAME;
	key->start = t.start;
	key->end = t.end;
	if ((rc = pdf_value_parse(pf, pos, value)) != 0)
		return rc;
	return 1;
}

int
pdf_array_next(const struct pdf_file *pf, const struct pdf_value *array,
    size_t *pos, struct pdf_value *item)
{
	struct token t;
	size_t save;
	int rc;

	if (array->kind != PDF_ARRAY)
		return fp_fail(FP_EINVAL, "expected an array at offset %zu",
		    array->start);
	if (*pos == 0)
		*pos = array->start + 1;
	if (*pos >= array->end)
		return 0;
	save = *pos;
	next_token(pf, pos, &t);
	if (t.type == TOK_ARRAY_CLOSE)
		return 0;
	*pos = save;
	if ((rc = pdf_value_parse(pf, pos, item)) != 0)
		return rc;
	return 1;
}

int
pdf_dict_get(const struct pdf_file *pf, const struct pdf_value *dict,
    const char *key, struct pdf_value *out)
{
	struct pdf_value k, v;
	size_t pos = 0;
	int rc, found = 0;

	while ((rc = pdf_dict_next(pf, dict, &pos, &k, &v)) == 1) {
		if (!pdf_name_is(pf, &k, key))
			continue;
		if (found)
			return fp_fail(FP_EINVAL, "the dictionary at offset "
			    "%zu contains /%s twice", dict->start, key);
		*out = v;
		found = 1;
	}
	return rc < 0 ? rc : found;
}

static int
copy_number(const struct pdf_file *pf, const struct pdf_value *v, char *buf,
    size_t size)
{
	size_t n = v->end - v->start;

	if (v->kind != PDF_NUMBER || n >= size)
		return fp_fail(FP_EINVAL, "expected a number at offset %zu",
		    v->start);
	memcpy(buf, pf->data + v->start, n);
	buf[n] = '\0';
	return 0;
}

int
pdf_value_long(const struct pdf_file *pf, const struct pdf_value *v,
    long long *out)
{
	char buf[32], *end;
	int rc;

	if ((rc = copy_number(pf, v, buf, sizeof(buf))) != 0)
		return rc;
	errno = 0;
	*out = strtoll(buf, &end, 10);
	if (errno != 0 || *end != '\0')
		return fp_fail(FP_EINVAL, "expected an integer at offset %zu",
		    v->start);
	return 0;
}

int
pdf_value_real(const struct pdf_file *pf, const struct pdf_value *v,
    double *out)
{
	char buf[64], *end;
	int rc;

	if ((rc = copy_number(pf, v, buf, sizeof(buf))) != 0)
		return rc;
	*out = strtod(buf, &end);
	if (*end != '\0')
		return fp_fail(FP_EINVAL, "expected a number at offset %zu",
		    v->start);
	return 0;
}

int
pdf_value_ref(const struct pdf_file *pf, const struct pdf_value *v,
    struct pdf_ref *out)
{
	struct pdf_value num, gen;
	struct token t;
	size_t pos = v->start;
	long long n, g;

	if (v->kind != PDF_REF)
		return fp_fail(FP_EINVAL, "expected an indirect reference at "
		    "offset %zu", v->start);
	next_token(pf, &pos, &t);
	num = (struct pdf_value){ PDF_NUMBER, t.start, t.end };
	next_token(pf, &pos, &t);
	gen = (struct pdf_value){ PDF_NUMBER, t.start, t.end };
	if (pdf_value_long(pf, &num, &n) != 0 ||
	    pdf_value_long(pf, &gen, &g) != 0 || n < 0 || n > LONG_MAX ||
	    g < 0 || g > 65535)
		return fp_fail(FP_EINVAL, "invalid indirect reference at "
		    "offset %zu", v->start);
	out->num = (long)n;
	out->gen = (int)g;
	return 0;
}

static int
hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	return tolower(c) - 'a' + 10;
}

char *
pdf_string_bytes(const struct pdf_file *pf, const struct pdf_value *v,
    size_t *len)
{
	const char *d = pf->data;
	struct fp_buf b = { 0 };
	size_t i;
	int nibble = -1;

	fp_buf_puts(&b, "");
	if (v->kind == PDF_HEX_STRING) {
		for (i = v->start + 1; i + 1 < v->end; i++) {
			if (!isxdigit((unsigned char)d[i]))
				continue;
			if (nibble < 0) {
				nibble = hex_value(d[i]);
			} else {
				char c = (char)(nibble << 4 | hex_value(d[i]));

				fp_buf_append(&b, &c, 1);
				nibble = -1;
			}
		}
		if (nibble >= 0) {
			char c = (char)(nibble << 4);

			fp_buf_append(&b, &c, 1);
		}
	} else if (v->kind == PDF_STRING) {
		for (i = v->start + 1; i + 1 < v->end; i++) {
			char c = d[i];

			if (c == '\r') {
				/* an end-of-line marker is read as '\n' */
				if (i + 2 < v->end && d[i + 1] == '\n')
					i++;
				c = '\n';
			} else if (c == '\\' && i + 2 < v->end) {
				c = d[++i];
				if (c >= '0' && c <= '7') {
					int n = 0, k;

					for (k = 0; k < 3 && i + 1 < v->end &&
					    d[i] >= '0' && d[i] <= '7'; k++)
						n = n * 8 + (d[i++] - '0');
					i--;
					c = (char)n;
				} else if (c == '\r' || c == '\n') {
					/* a line continuation */
					if (c == '\r' && i + 2 < v->end &&
					    d[i + 1] == '\n')
						i++;
					continue;
				} else {
					const char *esc = strchr("nrtbf", c);

					if (esc != NULL && c != '\0')
						c = "\n\r\t\b\f"[esc - "nrtbf"];
				}
			}
			fp_buf_append(&b, &c, 1);
		}
	} else {
		fp_buf_free(&b);
		return NULL;
	}
	if (len != NULL)
		*len = b.len;
	return fp_buf_detach(&b);
}

static void
put_utf8(struct fp_buf *b, unsigned long cp)
{
	char u[4];

	if (cp < 0x80) {
		u[0] = (char)cp;
		fp_buf_append(b, u, 1);
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		fp_buf_append(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		fp_buf_append(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		fp_buf_append(b, u, 4);
	}
}

char *
pdf_text_string(const struct pdf_file *pf, const struct pdf_value *v)
{
	const unsigned char *s;
	struct fp_buf b = { 0 };
	char *bytes;
	size_t len, i;

	if ((bytes = pdf_string_bytes(pf, v, &len)) == NULL)
		return NULL;
	s = (const unsigned char *)bytes;
	fp_buf_puts(&b, "");
	if (len >= 2 && s[0] == 0xfe && s[1] == 0xff) {
		for (i = 2; i + 1 < len; i += 2) {
			unsigned long cp = (unsigned long)s[i] << 8 | s[i + 1];

			if (cp >= 0xd800 && cp < 0xdc00 && i + 3 < len) {
				unsigned long lo =
				    (unsigned long)s[i + 2] << 8 | s[i + 3];

				if (lo >= 0xdc00 && lo < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) +
					    (lo - 0xdc00);
					i += 2;
				}
			}
			if (cp >= 0xd800 && cp < 0xe000)
				cp = 0xfffd;
			put_utf8(&b, cp);
		}
	} else if (len >= 3 && s[0] == 0xef && s[1] == 0xbb && s[2] == 0xbf) {
		fp_buf_append(&b, s + 3, len - 3);
	} else {
		for (i = 0; i < len; i++)
			put_utf8(&b, s[i]);
	}
	free(bytes);
	return fp_buf_detach(&b);
}

int
pdf_value_same(const struct pdf_file *pf, const struct pdf_value *a,
    const struct pdf_value *b)
{
	struct token ta, tb;
	size_t pa = a->start, pb = b->start;

	for (;;) {
		if (pa >= a->end || pb >= b->end)
			return pa >= a->end && pb >= b->end;
		next_token(pf, &pa, &ta);
		next_token(pf, &pb, &tb);
		if (ta.type != tb.type ||
		    ta.end - ta.start != tb.end - tb.start ||
		    memcmp(pf->data + ta.start, pf->data + tb.start,
		    ta.end - ta.start) != 0)
			return 0;
		if (ta.type == TOK_END || ta.type == TOK_ERROR)
			return ta.type == TOK_END;
		pa = skip_space(pf, pa);
		pb = skip_space(pf, pb);
	}
}

static void
revision_add_entry(struct pdf_revision *rev, long num, int gen, size_t offset,
    int in_use)
{
	rev->entries = xrealloc(rev->entries,
	    (rev->n_entries + 1) * sizeof(*rev->entries));
	rev->entries[rev->n_entries].num = num;
	rev->entries[rev->n_entries].gen = gen;
	rev->entries[rev->n_entries].offset = offset;
	rev->entries[rev->n_entries].in_use = in_use;
	rev->n_entries++;
}

static int
token_long(const struct pdf_file *pf, const struct token *t, long long *out)
{
	struct pdf_value v = { PDF_NUMBER, t->start, t->end };

	if (!token_is_integer(pf, t))
		return syntax_error(t->start);
	return pdf_value_long(pf, &v, out);
}

/* Read the xref table entries that follow "xref", up to "trailer". */
static int
parse_xref_entries(const struct pdf_file *pf, size_t *pos,
    struct pdf_revision *rev)
{
	struct token t, kind;
	long long first, count, offset, gen, i;
	int rc;

	for (;;) {
		next_token(pf, pos, &t);
		if (t.type == TOK_KEYWORD && token_is(pf, &t, "trailer"))
			return 0;
		if ((rc = token_long(pf, &t, &first)) != 0)
			return rc;
		next_token(pf, pos, &t);
		if ((rc = token_long(pf, &t, &count)) != 0)
			return rc;
		if (first < 0 || count < 0 || first > LONG_MAX - count ||
		    (unsigned long long)count > (pf->len - *pos) / 18)
			return fp_fail(FP_EINVAL, "invalid cross-reference "
			    "subsection at offset %zu", t.start);
		for (i = 0; i < count; i++) {
			next_token(pf, pos, &t);
			if ((rc = token_long(pf, &t, &offset)) != 0)
				return rc;
			next_token(pf, pos, &t);
			if ((rc = token_long(pf, &t, &gen)) != 0)
				return rc;
			next_token(pf, pos, &kind);
			if (kind.type != TOK_KEYWORD || (!token_is(pf, &kind,
			    "n") && !token_is(pf, &kind, "f")) ||
			    offset < 0 || gen < 0 || gen > 65535)
				return fp_fail(FP_EINVAL, "invalid cross-"
				    "reference entry at offset %zu", t.start);
			revision_add_entry(rev, (long)(first + i), (int)gen,
			    (size_t)offset, token_is(pf, &kind, "n"));
		}
	}
}

/* The end-of-file marker after "startxref N": "%%EOF" and one EOL. */
static int
parse_eof_marker(const struct pdf_file *pf, size_t pos, size_t *end)
{
	while (pos < pf->len && is_white(pf->data[pos]))
		pos++;
	if (pf->len - pos < 5 || memcmp(pf->data + pos, "%%EOF", 5) != 0)
		return fp_fail(FP_EINVAL, "missing %%%%EOF at offset %zu", pos);
	pos += 5;
	if (pos < pf->len && pf->data[pos] == '\r')
		pos++;
	if (pos < pf->len && pf->data[pos] == '\n')
		pos++;
	*end = pos;
	return 0;
}

/* Read one revision's xref table and trailer.  *prev is set to -1 when the
 * trailer has no /Prev. */
static int
parse_revision(const struct pdf_file *pf, size_t offset,
    struct pdf_revision *rev, long long *prev)
{
	struct pdf_value v;
	struct token t;
	size_t pos = offset;
	long long n;
	int rc;

	memset(rev, 0, sizeof(*rev));
	rev->xref = offset;
	next_token(pf, &pos, &t);
	if (t.start != offset || t.type != TOK_KEYWORD ||
	    !token_is(pf, &t, "xref"))
		return fp_fail(FP_EINVAL, "no cross-reference table at offset "
		    "%zu (cross-reference streams are not supported)", offset);
	if ((rc = parse_xref_entries(pf, &pos, rev)) != 0)
		return rc;
	if ((rc = pdf_value_parse(pf, &pos, &rev->trailer)) != 0)
		return rc;
	if (rev->trailer.kind != PDF_DICT)
		return fp_fail(FP_EINVAL, "the trailer at offset %zu is not a "
		    "dictionary", rev->trailer.start);

	if ((rc = pdf_dict_get(pf, &rev->trailer, "Root", &v)) != 1 ||
	    pdf_value_ref(pf, &v, &rev->root) != 0)
		return rc < 0 ? rc : fp_fail(FP_EINVAL, "the trailer at "
		    "offset %zu has no /Root reference", rev->trailer.start);
	if ((rc = pdf_dict_get(pf, &rev->trailer, "Info", &v)) < 0)
		return rc;
	if (rc == 1 && (rc = pdf_value_ref(pf, &v, &rev->info)) != 0)
		return rc;
	if ((rc = pdf_dict_get(pf, &rev->trailer, "Size", &v)) != 1 ||
	    pdf_value_long(pf, &v, &n) != 0 || n < 1 || n > LONG_MAX)
		return rc < 0 ? rc : fp_fail(FP_EINVAL, "the trailer at "
		    "offset %zu has no valid /Size", rev->trailer.start);
	rev->size = (long)n;
	*prev = -1;
	if ((rc = pdf_dict_get(pf, &rev->trailer, "Prev", &v)) < 0)
		return rc;
	if (rc == 1 && (pdf_value_long(pf, &v, prev) != 0 || *prev < 0))
		return fp_fail(FP_EINVAL, "invalid /Prev in the trailer at "
		    "offset %zu", rev->trailer.start);

	next_token(pf, &pos, &t);
	if (t.type != TOK_KEYWORD || !token_is(pf, &t, "startxref"))
		return fp_fail(FP_EINVAL, "missing startxref after the trailer "
		    "at offset %zu", rev->trailer.start);
	next_token(pf, &pos, &t);
	if (token_long(pf, &t, &n) != 0 || n != (long long)offset)
		return fp_fail(FP_EINVAL, "startxref at offset %zu does not "
		    "point to its cross-reference table", t.start);
	return parse_eof_marker(pf, pos, &rev->end);
}

static size_t
find_last(const char *data, size_t len, const char *word)
{
	size_t n = strlen(word), i;

	if (len < n)
		return SIZE_MAX;
	for (i = len - n + 1; i-- > 0;)
		if (memcmp(data + i, word, n) == 0)
			return i;
	return SIZE_MAX;
}

void
pdf_file_release(struct pdf_file *pf)
{
	size_t i;

	for (i = 0; i < pf->n_revisions; i++)
		free(pf->revisions[i].entries);
	free(pf->revisions);
	pf->revisions = NULL;
	pf->n_revisions = 0;
}

int
pdf_file_parse(struct pdf_file *pf, const char *data, size_t len)
{
	struct pdf_revision rev;
	struct token t;
	size_t pos, i;
	long long offset, prev;
	int rc;

	memset(pf, 0, sizeof(*pf));
	pf->data = data;
	pf->len = len;
	if (len < 8 || memcmp(data, "%PDF-", 5) != 0)
		return fp_fail(FP_EINVAL, "not a PDF file: it does not start "
		    "with %%PDF-");
	pos = find_last(data, len, "startxref");
	if (pos == SIZE_MAX)
		return fp_fail(FP_EINVAL, "no startxref found");
	pos += strlen("startxref");
	next_token(pf, &pos, &t);
	if ((rc = token_long(pf, &t, &offset)) != 0 || offset < 0 ||
	    (unsigned long long)offset >= len)
		return rc != 0 ? rc : fp_fail(FP_EINVAL, "startxref points "
		    "outside the file");

	while (offset >= 0) {
		if (pf->n_revisions == MAX_REVISIONS) {
			rc = fp_fail(FP_EINVAL, "more than %d revisions",
			    MAX_REVISIONS);
			goto fail;
		}
		if ((rc = parse_revision(pf, (size_t)offset, &rev, &prev))
		    != 0) {
			free(rev.entries);
			goto fail;
		}
		pf->revisions = xrealloc(pf->revisions,
		    (pf->n_revisions + 1) * sizeof(*pf->revisions));
		pf->revisions[pf->n_revisions++] = rev;
		if (prev >= offset) {
			rc = fp_fail(FP_EINVAL, "/Prev %lld does not point "
			    "before the cross-reference table at %lld", prev,
			    offset);
			goto fail;
		}
		offset = prev;
	}

	/* Oldest first; each revision starts where the one before ends. */
	for (i = 0; i < pf->n_revisions / 2; i++) {
		rev = pf->revisions[i];
		pf->revisions[i] = pf->revisions[pf->n_revisions - 1 - i];
		pf->revisions[pf->n_revisions - 1 - i] = rev;
	}
	for (i = 1; i < pf->n_revisions; i++) {
		if (pf->revisions[i - 1].end > pf->revisions[i].xref) {
			rc = fp_fail(FP_EINVAL, "revision %zu ends at %zu, "
			    "after the next cross-reference table at %zu", i,
			    pf->revisions[i - 1].end, pf->revisions[i].xref);
			goto fail;
		}
		pf->revisions[i].start = pf->revisions[i - 1].end;
	}
	return 0;

fail:
	pdf_file_release(pf);
	return rc;
}

int
pdf_object_find(const struct pdf_file *pf, size_t rev, long num,
    struct pdf_object *out)
{
	const struct pdf_xref_entry *entry = NULL;
	struct token t;
	long long n, g;
	size_t r, i, pos;
	int rc;

	for (r = rev + 1; r-- > 0 && entry == NULL;) {
		const struct pdf_revision *rv = &pf->revisions[r];

		for (i = 0; i < rv->n_entries; i++) {
			if (rv->entries[i].num == num) {
				entry = &rv->entries[i];
				break;
			}
		}
	}
	if (entry == NULL || !entry->in_use)
		return fp_fail(FP_ENOTFOUND, "object %ld not found", num);
	if (entry->offset >= pf->len)
		return fp_fail(FP_EINVAL, "object %ld: offset %zu is outside "
		    "the file", num, entry->offset);

	memset(out, 0, sizeof(*out));
	out->offset = pos = entry->offset;
	next_token(pf, &pos, &t);
	if (t.start != entry->offset || token_long(pf, &t, &n) != 0 ||
	    n != num)
		goto bad;
	next_token(pf, &pos, &t);
	if (token_long(pf, &t, &g) != 0 || g != entry->gen)
		goto bad;
	next_token(pf, &pos, &t);
	if (t.type != TOK_KEYWORD || !token_is(pf, &t, "obj"))
		goto bad;
	out->ref.num = num;
	out->ref.gen = entry->gen;
	if ((rc = pdf_value_parse(pf, &pos, &out->value)) != 0)
		return fp_fail_context(rc, "object %ld", num);

	next_token(pf, &pos, &t);
	if (t.type == TOK_KEYWORD && token_is(pf, &t, "stream")) {
		out->is_stream = 1;
		if (pos < pf->len && pf->data[pos] == '\r')
			pos++;
		if (pos < pf->len && pf->data[pos] == '\n')
			pos++;
		out->stream_start = pos;
	}
	return 0;

bad:
	return fp_fail(FP_EINVAL, "object %ld: the cross-reference offset %zu "
	    "does not point to \"%ld %d obj\"", num, entry->offset, num,
	    entry->gen);
}

int
pdf_resolve(const struct pdf_file *pf, size_t rev, const struct pdf_value *v,
    struct pdf_value *out)
{
	struct pdf_object obj;
	struct pdf_ref ref;
	int rc;

	if (v->kind != PDF_REF) {
		*out = *v;
		return 0;
	}
	if ((rc = pdf_value_ref(pf, v, &ref)) != 0)
		return rc;
	if ((rc = pdf_object_find(pf, rev, ref.num, &obj)) != 0)
		return rc;
	*out = obj.value;
	return 0;
}

/* ---- signing ---------------------------------------------------------- */

/* The objects the update writes or rewrites, read from the last revision. */
struct sign_plan {
	size_t rev;
	struct pdf_ref catalog;
	struct pdf_value catalog_dict;
	struct pdf_ref page;
	struct pdf_value page_dict;
	struct fp_buf annots;		/* the page's /Annots items */
	struct fp_buf fields;		/* the AcroForm's /Fields items */
	struct fp_buf acroform_rest;	/* other AcroForm entries */
	char *field_name;
	long sig_num;			/* the new /Sig dictionary */
	long widget_num;		/* the new field and widget */
};

static void
sign_plan_release(struct sign_plan *plan)
{
	fp_buf_free(&plan->annots);
	fp_buf_free(&plan->fields);
	fp_buf_free(&plan->acroform_rest);
	free(plan->field_name);
}

static void
put_raw(struct fp_buf *b, const struct pdf_file *pf, const struct pdf_value *v)
{
	fp_buf_append(b, pf->data + v->start, v->end - v->start);
}

/* Copy the items of an array (or of the array a reference points to). */
static int
collect_items(const struct pdf_file *pf, size_t rev, const struct pdf_value *v,
    struct fp_buf *out, size_t *count)
{
	struct pdf_value array, item;
	size_t pos = 0;
	int rc;

	if ((rc = pdf_resolve(pf, rev, v, &array)) != 0)
		return rc;
	if (array.kind != PDF_ARRAY)
		return fp_fail(FP_EINVAL, "expected an array at offset %zu",
		    array.start);
	while ((rc = pdf_array_next(pf, &array, &pos, &item)) == 1) {
		fp_buf_puts(out, " ");
		put_raw(out, pf, &item);
		(*count)++;
	}
	return rc;
}

/* Copy a dictionary's entries except the keys in skip (NULL-terminated). */
static int
copy_entries(const struct pdf_file *pf, const struct pdf_value *dict,
    const char *const *skip, struct fp_buf *out)
{
	struct pdf_value key, value;
	size_t pos = 0, i;
	int rc;

	while ((rc = pdf_dict_next(pf, dict, &pos, &key, &value)) == 1) {
		for (i = 0; skip[i] != NULL; i++)
			if (pdf_name_is(pf, &key, skip[i]))
				break;
		if (skip[i] != NULL)
			continue;
		fp_buf_puts(out, " ");
		put_raw(out, pf, &key);
		fp_buf_puts(out, " ");
		put_raw(out, pf, &value);
	}
	return rc;
}

static int
dict_name_is(const struct pdf_file *pf, const struct pdf_value *dict,
    const char *key, const char *name)
{
	struct pdf_value v;

	return pdf_dict_get(pf, dict, key, &v) == 1 && v.kind == PDF_NAME &&
	    pdf_name_is(pf, &v, name);
}

/* Follow /Pages and the first /Kids down to the first page. */
static int
find_first_page(const struct pdf_file *pf, struct sign_plan *plan)
{
	struct pdf_value v, node, kids;
	struct pdf_object obj;
	struct pdf_ref ref;
	size_t pos;
	int depth, rc;

	if ((rc = pdf_dict_get(pf, &plan->catalog_dict, "Pages", &v)) != 1 ||
	    (rc = pdf_value_ref(pf, &v, &ref)) != 0)
		return rc < 0 ? rc : fp_fail(FP_EINVAL, "the catalog has no "
		    "/Pages reference");
	for (depth = 0; depth < MAX_PAGE_TREE_DEPTH; depth++) {
		if ((rc = pdf_object_find(pf, plan->rev, ref.num, &obj)) != 0)
			return rc;
		node = obj.value;
		if (node.kind != PDF_DICT)
			return fp_fail(FP_EINVAL, "page tree node %ld is not a "
			    "dictionary", ref.num);
		if (dict_name_is(pf, &node, "Type", "Page")) {
			plan->page = ref;
			plan->page_dict = node;
			return 0;
		}
		if ((rc = pdf_dict_get(pf, &node, "Kids", &v)) != 1)
			return rc < 0 ? rc : fp_fail(FP_EINVAL, "page tree "
			    "node %ld has no /Kids", ref.num);
		if ((rc = pdf_resolve(pf, plan->rev, &v, &kids)) != 0)
			return rc;
		pos = 0;
		if ((rc = pdf_array_next(pf, &kids, &pos, &v)) != 1)
			return rc < 0 ? rc : fp_fail(FP_EINVAL, "the document "
			    "has no pages");
		if ((rc = pdf_value_ref(pf, &v, &ref)) != 0)
			return rc;
	}
	return fp_fail(FP_EINVAL, "the page tree is deeper than %d levels",
	    MAX_PAGE_TREE_DEPTH);
}

/*
 * Gather the AcroForm's fields and other entries, and pick a field name
 * "SignatureN" that no field has yet.
 */
static int
plan_form(const struct pdf_file *pf, struct sign_plan *plan)
{
	static const char *const skip[] = { "Fields", "SigFlags", NULL };
	struct pdf_value v, form, fields, item, field, name;
	size_t count = 0, pos = 0;
	char **names = NULL;
	size_t n_names = 0, i;
	long n;
	int rc;

	fp_buf_puts(&plan->fields, "");
	fp_buf_puts(&plan->acroform_rest, "");
	if ((rc = pdf_dict_get(pf, &plan->catalog_dict, "AcroForm", &v)) < 0)
		return rc;
	if (rc == 1) {
		if ((rc = pdf_resolve(pf, plan->rev, &v, &form)) != 0)
			return rc;
		if (form.kind != PDF_DICT)
			return fp_fail(FP_EINVAL, "/AcroForm is not a "
			    "dictionary");
		if ((rc = copy_entries(pf, &form, skip, &plan->acroform_rest))
		    < 0)
			return rc;
		if ((rc = pdf_dict_get(pf, &form, "Fields", &v)) < 0)
			return rc;
		if (rc == 1) {
			if ((rc = collect_items(pf, plan->rev, &v,
			    &plan->fields, &count)) < 0)
				return rc;
			if ((rc = pdf_resolve(pf, plan->rev, &v, &fields)) != 0)
				return rc;
		}
		while (count > 0 && (rc = pdf_array_next(pf, &fields, &pos,
		    &item)) == 1) {
			if (pdf_resolve(pf, plan->rev, &item, &field) != 0 ||
			    field.kind != PDF_DICT ||
			    pdf_dict_get(pf, &field, "T", &name) != 1)
				continue;
			names = xrealloc(names, (n_names + 1) *
			    sizeof(*names));
			names[n_names] = pdf_text_string(pf, &name);
			if (names[n_names] != NULL)
				n_names++;
		}
		if (rc < 0)
			goto out;
	}

	for (n = 1;; n++) {
		plan->field_name = xasprintf("Signature%ld", n);
		for (i = 0; i < n_names; i++)
			if (strcmp(names[i], plan->field_name) == 0)
				break;
		if (i == n_names)
			break;
		free(plan->field_name);
	}
	rc = 0;

out:
	for (i = 0; i < n_names; i++)
		free(names[i]);
	free(names);
	return rc;
}

static int
plan_update(const struct pdf_file *pf, struct sign_plan *plan)
{
	const struct pdf_revision *last;
	struct pdf_object obj;
	struct pdf_value v;
	size_t count = 0;
	int rc;

	plan->rev = pf->n_revisions - 1;
	last = &pf->revisions[plan->rev];
	if (last->end != pf->len)
		return fp_fail(FP_EINVAL, "%zu bytes follow the last %%%%EOF "
		    "at offset %zu", pf->len - last->end, last->end);

	plan->catalog = last->root;
	if ((rc = pdf_object_find(pf, plan->rev, last->root.num, &obj)) != 0)
		return fp_fail_context(rc, "document catalog");
	plan->catalog_dict = obj.value;
	if (plan->catalog_dict.kind != PDF_DICT)
		return fp_fail(FP_EINVAL, "the document catalog is not a "
		    "dictionary");
	if ((rc = find_first_page(pf, plan)) != 0)
		return rc;

	fp_buf_puts(&plan->annots, "");
	if ((rc = pdf_dict_get(pf, &plan->page_dict, "Annots", &v)) < 0)
		return rc;
	if (rc == 1 && (rc = collect_items(pf, plan->rev, &v, &plan->annots,
	    &count)) < 0)
		return rc;
	if ((rc = plan_form(pf, plan)) != 0)
		return rc;

	if (last->size > LONG_MAX - 2)
		return fp_fail(FP_EINVAL, "invalid trailer /Size %ld",
		    last->size);
	plan->sig_num = last->size;
	plan->widget_num = last->size + 1;
	return 0;
}

/*
 * Write a PDF text string: a literal string when the text is printable
 * ASCII, otherwise UTF-16BE with a byte order mark in hex.
 */
static void
put_text_string(struct fp_buf *b, const char *utf8)
{
	const unsigned char *p = (const unsigned char *)utf8;
	int ascii = 1;
	size_t i;

	for (i = 0; p[i] != '\0'; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			ascii = 0;
	if (ascii) {
		fp_buf_puts(b, "(");
		for (i = 0; p[i] != '\0'; i++) {
			if (p[i] == '(' || p[i] == ')' || p[i] == '\\')
				fp_buf_puts(b, "\\");
			fp_buf_append(b, &p[i], 1);
		}
		fp_buf_puts(b, ")");
		return;
	}

	fp_buf_puts(b, "<FEFF");
	while (*p != '\0') {
		unsigned long cp = 0xfffd;
		size_t n = 1, k;

		if (*p < 0x80) {
			cp = *p;
		} else if ((*p & 0xe0) == 0xc0) {
			n = 2;
			cp = *p & 0x1f;
		} else if ((*p & 0xf0) == 0xe0) {
			n = 3;
			cp = *p & 0x0f;
		} else if ((*p & 0xf8) == 0xf0) {
			n = 4;
			cp = *p & 0x07;
		}
		for (k = 1; k < n; k++) {
			if ((p[k] & 0xc0) != 0x80)
				break;
			cp = cp << 6 | (p[k] & 0x3f);
		}
		if (k < n || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000)) {
			cp = 0xfffd;
			n = k;
		}
		if (cp >= 0x10000) {
			cp -= 0x10000;
			fp_buf_printf(b, "%04lX%04lX", 0xd800 + (cp >> 10),
			    0xdc00 + (cp & 0x3ff));
		} else {
			fp_buf_printf(b, "%04lX", cp);
		}
		p += n;
	}
	fp_buf_puts(b, ">");
}

/* Offsets, in the whole file, of what the signature fills in later. */
struct placeholders {
	size_t byte_range;	/* first digit of the ByteRange numbers */
	size_t contents;	/* the "<" of /Contents */
};

#define BYTE_RANGE_PLACEHOLDER "0000000000 0000000000 0000000000 0000000000"

struct xref_item {
	long num;
	int gen;
	size_t offset;
};

static int
compare_xref_items(const void *a, const void *b)
{
	const struct xref_item *x = a, *y = b;

	return (x->num > y->num) - (x->num < y->num);
}

static void
put_object_start(struct fp_buf *u, size_t base, struct xref_item *item,
    long num, int gen)
{
	item->num = num;
	item->gen = gen;
	item->offset = base + u->len;
	fp_buf_printf(u, "%ld %d obj\n", num, gen);
}

/*
 * Build the update that follows the file's last byte (at offset base):
 * the /Sig dictionary with placeholders, the widget, the page and the
 * catalog, a cross-reference section and the trailer.
 */
static int
build_update(const struct pdf_file *pf, const struct sign_plan *plan,
    const char *signer_name, const char *reason, struct fp_buf *u,
    struct placeholders *ph)
{
	static const char *const page_skip[] = { "Annots", NULL };
	static const char *const catalog_skip[] = { "AcroForm", NULL };
	const struct pdf_revision *last = &pf->revisions[plan->rev];
	struct xref_item items[4];
	struct pdf_value id;
	size_t base = pf->len, xref_at, i, j;
	char date[32];
	int rc;
	time_t now = time(NULL);
	struct tm tm;

	fp_buf_puts(u, "");
	if (base > 0 && pf->data[base - 1] != '\n' &&
	    pf->data[base - 1] != '\r')
		fp_buf_puts(u, "\n");

	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "D:%Y%m%d%H%M%SZ", &tm);
	put_object_start(u, base, &items[0], plan->sig_num, 0);
	fp_buf_puts(u, "<< /Type /Sig /Filter /Adobe.PPKLite "
	    "/SubFilter /adbe.pkcs7.detached /ByteRange [");
	ph->byte_range = base + u->len;
	fp_buf_puts(u, BYTE_RANGE_PLACEHOLDER "] /Contents ");
	ph->contents = base + u->len;
	fp_buf_puts(u, "<");
	for (i = 0; i < 2 * SIG_CAPACITY; i++)
		fp_buf_append(u, "0", 1);
	fp_buf_printf(u, ">\n/M (%s)", date);
	if (signer_name != NULL) {
		fp_buf_puts(u, " /Name ");
		put_text_string(u, signer_name);
	}
	if (reason != NULL) {
		fp_buf_puts(u, " /Reason ");
		put_text_string(u, reason);
	}
	fp_buf_puts(u, " >>\nendobj\n");

	put_object_start(u, base, &items[1], plan->widget_num, 0);
	fp_buf_puts(u, "<< /Type /Annot /Subtype /Widget /FT /Sig /T ");
	put_text_string(u, plan->field_name);
	fp_buf_printf(u, " /V %ld 0 R /Rect [0 0 0 0] /F 132 /P %ld %d R "
	    ">>\nendobj\n", plan->sig_num, plan->page.num, plan->page.gen);

	put_object_start(u, base, &items[2], plan->page.num, plan->page.gen);
	fp_buf_puts(u, "<<");
	if ((rc = copy_entries(pf, &plan->page_dict, page_skip, u)) < 0)
		return rc;
	fp_buf_printf(u, " /Annots [%s %ld 0 R] >>\nendobj\n",
	    plan->annots.data, plan->widget_num);

	put_object_start(u, base, &items[3], plan->catalog.num,
	    plan->catalog.gen);
	fp_buf_puts(u, "<<");
	if ((rc = copy_entries(pf, &plan->catalog_dict, catalog_skip, u)) < 0)
		return rc;
	fp_buf_printf(u, " /AcroForm <<%s /Fields [%s %ld 0 R] /SigFlags 3 "
	    ">> >>\nendobj\n", plan->acroform_rest.data, plan->fields.data,
	    plan->widget_num);

	/* One subsection per run of consecutive object numbers. */
	fp_qsort(items, 4, sizeof(items[0]), compare_xref_items);
	xref_at = base + u->len;
	fp_buf_printf(u, "xref\n");
	for (i = 0; i < 4; i = j) {
		for (j = i + 1; j < 4 && items[j].num == items[j - 1].num + 1;
		    j++)
			;
		fp_buf_printf(u, "%ld %zu\n", items[i].num, j - i);
		for (; i < j; i++)
			fp_buf_printf(u, "%010zu %05d n\r\n", items[i].offset,
			    items[i].gen);
	}
	fp_buf_printf(u, "trailer\n<< /Size %ld /Root %ld %d R",
	    plan->widget_num + 1, last->root.num, last->root.gen);
	if (last->info.num > 0)
		fp_buf_printf(u, " /Info %ld %d R", last->info.num,
		    last->info.gen);
	if (pdf_dict_get(pf, &last->trailer, "ID", &id) == 1) {
		fp_buf_puts(u, " /ID ");
		put_raw(u, pf, &id);
	}
	fp_buf_printf(u, " /Prev %zu >>\nstartxref\n%zu\n%%%%EOF\n",
	    last->xref, xref_at);
	return 0;
}

static int
crypto_fail(int code, const char *what)
{
	unsigned long e = ERR_peek_last_error();
	char detail[256];

	if (e == 0)
		return fp_fail(code, "%s", what);
	ERR_error_string_n(e, detail, sizeof(detail));
	ERR_clear_error();
	return fp_fail(code, "%s: %s", what, detail);
}

/* Read a file that contains a secret into a buffer of its exact size, so
 * the caller can wipe the one copy. */
static int
read_secret(const char *path, char **data, size_t *len)
{
	struct stat st;
	ssize_t n;
	size_t got = 0;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fp_fail(FP_EIO, "cannot open '%s': %s", path,
		    strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > MAX_SECRET_SIZE) {
		close(fd);
		return fp_fail(FP_EINVAL, "'%s' is not a regular file of at "
		    "most %d bytes", path, MAX_SECRET_SIZE);
	}
	buf = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (got != (size_t)st.st_size) {
		OPENSSL_cleanse(buf, got);
		free(buf);
		return fp_fail(FP_EIO, "cannot read '%s'", path);
	}
	buf[got] = '\0';
	*data = buf;
	*len = got;
	return 0;
}

/* OpenSSL must never prompt for a passphrase on the terminal. */
static int
no_passphrase(char *buf, int size, int rwflag, void *arg)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)arg;
	return -1;
}

static int
load_signer(const char *key_path, const char *cert_path, EVP_PKEY **key,
    X509 **cert)
{
	char *pem = NULL;
	size_t len = 0;
	BIO *bio = NULL;
	int rc, type;

	if ((rc = read_secret(key_path, &pem, &len)) != 0)
		return rc;
	bio = BIO_new_mem_buf(pem, (int)len);
	if (bio == NULL) {
		rc = crypto_fail(FP_ECRYPTO, "cannot read the private key");
		goto out;
	}
	*key = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
	if (*key == NULL) {
		rc = crypto_fail(FP_EINVAL, strstr(pem, "ENCRYPTED") != NULL ?
		    "the private key is encrypted: failproof needs an "
		    "unencrypted PEM key file (mode 0600)" :
		    "cannot read a PEM private key");
		fp_fail_context(rc, "'%s'", key_path);
		goto out;
	}
	type = EVP_PKEY_get_base_id(*key);
	if (type == EVP_PKEY_ED25519 || type == EVP_PKEY_ED448) {
		rc = fp_fail(FP_EINVAL, "'%s': %s keys cannot sign a PDF: "
		    "OpenSSL 3.0 cannot create CMS signatures with EdDSA; "
		    "use an ECDSA P-256 or RSA key", key_path,
		    type == EVP_PKEY_ED25519 ? "Ed25519" : "Ed448");
		goto out;
	}
	BIO_free(bio);
	bio = BIO_new_file(cert_path, "r");
	if (bio == NULL) {
		rc = fp_fail(FP_EIO, "cannot open '%s'", cert_path);
		goto out;
	}
	*cert = PEM_read_bio_X509(bio, NULL, no_passphrase, NULL);
	if (*cert == NULL) {
		rc = crypto_fail(FP_EINVAL, "cannot read a PEM certificate");
		fp_fail_context(rc, "'%s'", cert_path);
		goto out;
	}
	if (X509_check_private_key(*cert, *key) != 1) {
		ERR_clear_error();
		rc = fp_fail(FP_EINVAL, "the key '%s' does not match the "
		    "certificate '%s'", key_path, cert_path);
		goto out;
	}
	rc = 0;

out:
	BIO_free(bio);
	OPENSSL_cleanse(pem, len);
	free(pem);
	return rc;
}

/*
 * Sign the bytes outside the /Contents placeholder: a detached CMS
 * SignedData over SHA-256 with the signer's certificate and the usual
 * signed attributes (content type, signing time, message digest).
 */
static int
cms_sign(EVP_PKEY *key, X509 *cert, const char *image, size_t len,
    const size_t range[4], unsigned char **der, int *der_len)
{
	const unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_PARTIAL |
	    CMS_NOSMIMECAP;
	CMS_ContentInfo *cms = NULL;
	BIO *in = NULL;
	int rc;

	if (len > INT_MAX) {
		rc = fp_fail(FP_EINVAL, "the PDF is too large to sign");
		goto out;
	}
	in = BIO_new(BIO_s_mem());
	if (in == NULL || BIO_write(in, image + range[0], (int)range[1]) !=
	    (int)range[1] || BIO_write(in, image + range[2], (int)range[3]) !=
	    (int)range[3]) {
		rc = crypto_fail(FP_ECRYPTO, "cannot buffer the signed bytes");
		goto out;
	}
	cms = CMS_sign(NULL, NULL, NULL, NULL, flags);
	if (cms == NULL ||
	    CMS_add1_signer(cms, cert, key, EVP_sha256(), flags) == NULL ||
	    CMS_final(cms, in, NULL, flags) != 1) {
		rc = crypto_fail(FP_ECRYPTO, "cannot create the CMS signature");
		goto out;
	}
	*der = NULL;
	*der_len = i2d_CMS_ContentInfo(cms, der);
	if (*der_len <= 0) {
		rc = crypto_fail(FP_ECRYPTO, "cannot encode the CMS signature");
		goto out;
	}
	rc = 0;

out:
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	return rc;
}

/* Replace path with data through a temporary file in the same directory,
 * keeping the file mode. */
static int
replace_file(const char *path, const char *data, size_t len)
{
	char *tmp = xasprintf("%s.XXXXXX", path);
	struct stat st;
	size_t done = 0;
	ssize_t n;
	int fd, rc;

	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = fp_fail(FP_EIO, "cannot create a temporary file beside "
		    "'%s': %s", path, strerror(errno));
		free(tmp);
		return rc;
	}
	if (stat(path, &st) == 0)
		fchmod(fd, st.st_mode & 07777);
	while (done < len) {
		n = write(fd, data + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		done += (size_t)n;
	}
	if (done != len || fsync(fd) != 0) {
		rc = fp_fail(FP_EIO, "cannot write '%s': %s", tmp,
		    strerror(errno));
		close(fd);
		goto fail;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		rc = fp_fail(FP_EIO, "cannot replace '%s': %s", path,
		    strerror(errno));
		goto fail;
	}
	free(tmp);
	return 0;

fail:
	unlink(tmp);
	free(tmp);
	return rc;
}

int
pdf_sign(const char *path, const char *key_path, const char *cert_path,
    const char *signer_name, const char *reason)
{
	static const char hex[] = "0123456789abcdef";
	struct sign_plan plan;
	struct placeholders ph;
	struct pdf_file pf = { 0 };
	struct fp_buf update = { 0 }, image = { 0 };
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	unsigned char *der = NULL;
	char *data = NULL, numbers[sizeof(BYTE_RANGE_PLACEHOLDER)];
	size_t len = 0, range[4], i;
	int der_len = 0, rc;

	memset(&plan, 0, sizeof(plan));
	if ((rc = load_signer(key_path, cert_path, &key, &cert)) != 0)
		goto out;
	if ((rc = fp_read_file(path, PDF_MAX_FILE_SIZE, &data, &len)) != 0)
		goto out;
	if ((rc = pdf_file_parse(&pf, data, len)) != 0 ||
	    (rc = plan_update(&pf, &plan)) != 0) {
		fp_fail_context(rc, "'%s'", path);
		goto out;
	}

	if ((rc = build_update(&pf, &plan, signer_name, reason, &update,
	    &ph)) != 0) {
		fp_fail_context(rc, "'%s'", path);
		goto out;
	}
	fp_buf_append(&image, data, len);
	fp_buf_append(&image, update.data, update.len);

	range[0] = 0;
	range[1] = ph.contents;
	range[2] = ph.contents + 2 * SIG_CAPACITY + 2;
	range[3] = image.len - range[2];
	snprintf(numbers, sizeof(numbers), "%010zu %010zu %010zu %010zu",
	    range[0], range[1], range[2], range[3]);
	if (strlen(numbers) != strlen(BYTE_RANGE_PLACEHOLDER)) {
		rc = fp_fail(FP_EINVAL, "'%s' is too large to sign", path);
		goto out;
	}
	memcpy(image.data + ph.byte_range, numbers, strlen(numbers));

	if ((rc = cms_sign(key, cert, image.data, image.len, range, &der,
	    &der_len)) != 0)
		goto out;
	if (der_len > SIG_CAPACITY) {
		rc = fp_fail(FP_EINVAL, "the signature takes %d bytes, more "
		    "than the %d reserved", der_len, SIG_CAPACITY);
		goto out;
	}
	for (i = 0; i < (size_t)der_len; i++) {
		image.data[ph.contents + 1 + 2 * i] = hex[der[i] >> 4];
		image.data[ph.contents + 2 + 2 * i] = hex[der[i] & 15];
	}

	rc = replace_file(path, image.data, image.len);

out:
	sign_plan_release(&plan);
	pdf_file_release(&pf);
	fp_buf_free(&update);
	fp_buf_free(&image);
	OPENSSL_free(der);
	EVP_PKEY_free(key);
	X509_free(cert);
	free(data);
	return rc;
}
