/*
 * Signing a PDF report by incremental update, and the small PDF scanner
 * that the signer and the verifier (pdf_verify.c) share.
 */
#ifndef FP_PDF_SIGN_H
#define FP_PDF_SIGN_H

#include <stddef.h>

/*
 * Append a signature to the PDF at path: an incremental update with a
 * signature dictionary (adbe.pkcs7.detached, a CMS SignedData over SHA-256
 * that includes the signer's certificate), an invisible signature field on
 * the first page and the updated page and catalog.  The signature covers
 * the whole file as it is after the update, so a file signed once can be
 * signed again and both signatures stay valid.
 *
 * key_path and cert_path name PEM files: an unencrypted RSA or ECDSA
 * private key and the matching X.509 certificate.  Ed25519 and Ed448 keys
 * are rejected because OpenSSL 3.0 CMS cannot sign with them.  signer_name
 * and reason (UTF-8, may be NULL) become /Name and /Reason.  The file is
 * replaced through a temporary file in the same directory.
 *
 * Returns 0, FP_EIO when a file cannot be read or written, FP_EINVAL when
 * the PDF has a layout the scanner does not support or the key is
 * unusable, or FP_ECRYPTO when OpenSSL fails.
 */
int pdf_sign(const char *path, const char *key_path, const char *cert_path,
    const char *signer_name, const char *reason);

/* Largest PDF that pdf_sign() and pdf_verify() read, in bytes. */
#define PDF_MAX_FILE_SIZE	(512UL * 1024 * 1024)

/*
 * The scanner.  It reads files with classic cross-reference tables, such
 * as libharu and pdf_sign() write: each revision is an "xref" table, a
 * trailer, "startxref" and "%%EOF".  It does not read cross-reference
 * streams, object streams or encrypted files, and it never decodes stream
 * data.  Values are spans into the file's bytes, so nothing is copied.
 */

enum pdf_kind {
	PDF_NULL,
	PDF_BOOL,
	PDF_NUMBER,
	PDF_STRING,		/* literal string, with its parentheses */
	PDF_HEX_STRING,		/* with its angle brackets */
	PDF_NAME,		/* with its slash */
	PDF_ARRAY,
	PDF_DICT,
	PDF_REF,		/* "12 0 R" */
};

/* One value: its kind and the bytes [start, end) that spell it. */
struct pdf_value {
	enum pdf_kind kind;
	size_t start;
	size_t end;
};

struct pdf_ref {
	long num;
	int gen;
};

/* One entry of a cross-reference table. */
struct pdf_xref_entry {
	long num;
	int gen;
	size_t offset;		/* of "num gen obj" */
	int in_use;		/* 0 for an "f" (free) entry */
};

/*
 * One revision: the original file or one incremental update.  Bytes
 * [start, end) belong to it, end being one past "%%EOF" and its
 * end-of-line marker.
 */
struct pdf_revision {
	size_t start;
	size_t xref;		/* offset of the "xref" keyword */
	size_t end;
	size_t n_entries;
	struct pdf_xref_entry *entries;
	struct pdf_value trailer;	/* the trailer dictionary */
	struct pdf_ref root;
	struct pdf_ref info;	/* num 0 when the trailer has no /Info */
	long size;		/* trailer /Size */
};

struct pdf_file {
	const char *data;
	size_t len;
	size_t n_revisions;
	struct pdf_revision *revisions;	/* oldest first */
};

/* An indirect object as defined in, or inherited by, one revision. */
struct pdf_object {
	struct pdf_ref ref;
	size_t offset;		/* of "num gen obj" */
	struct pdf_value value;
	int is_stream;
	size_t stream_start;	/* first byte of the stream data */
};

/*
 * Read the revisions of the PDF in data, following the "startxref" nearest
 * the end and each trailer's /Prev.  The bytes must outlive pf.  Bytes
 * after the last "%%EOF" are allowed: pf->revisions[n - 1].end is where
 * the last revision stops.  Returns 0 or FP_EINVAL with a message.
 */
int pdf_file_parse(struct pdf_file *pf, const char *data, size_t len);
void pdf_file_release(struct pdf_file *pf);

/*
 * Find object num in revision rev (an index into pf->revisions): its latest
 * definition in that revision or an earlier one.  Returns 0,
 * FP_ENOTFOUND when the object is absent or free, or FP_EINVAL when the
 * bytes at its offset are not that object.
 */
int pdf_object_find(const struct pdf_file *pf, size_t rev, long num,
    struct pdf_object *out);

/*
 * Parse the value that starts at *pos (after whitespace and comments) and
 * move *pos past it.  Returns 0 or FP_EINVAL.
 */
int pdf_value_parse(const struct pdf_file *pf, size_t *pos,
    struct pdf_value *out);

/*
 * Look key (without the slash) up in a dictionary.  Returns 1 and the
 * value, 0 when the key is absent, FP_EINVAL when the dictionary is
 * malformed or contains the key twice.
 */
int pdf_dict_get(const struct pdf_file *pf, const struct pdf_value *dict,
    const char *key, struct pdf_value *out);

/*
 * Step through a dictionary's entries or an array's items, starting with
 * *pos = 0.  Each call returns 1 with the next entry, 0 at the end, or
 * FP_EINVAL.
 */
int pdf_dict_next(const struct pdf_file *pf, const struct pdf_value *dict,
    size_t *pos, struct pdf_value *key, struct pdf_value *value);
int pdf_array_next(const struct pdf_file *pf, const struct pdf_value *array,
    size_t *pos, struct pdf_value *item);

/* Whether a name value (or key) spells key, after #xx escapes. */
int pdf_name_is(const struct pdf_file *pf, const struct pdf_value *name,
    const char *key);

/* Convert a value.  Each returns 0, or FP_EINVAL when the value has
 * another kind or is out of range. */
int pdf_value_ref(const struct pdf_file *pf, const struct pdf_value *v,
    struct pdf_ref *out);
int pdf_value_long(const struct pdf_file *pf, const struct pdf_value *v,
    long long *out);
int pdf_value_real(const struct pdf_file *pf, const struct pdf_value *v,
    double *out);

/*
 * Decode a literal or hex string into bytes, and a text string (UTF-16BE
 * with a byte order mark, or PDFDocEncoding read as Latin-1) into UTF-8.
 * Both return a new NUL-terminated string or NULL when v is no string.
 */
char *pdf_string_bytes(const struct pdf_file *pf, const struct pdf_value *v,
    size_t *len);
char *pdf_text_string(const struct pdf_file *pf, const struct pdf_value *v);

/*
 * Resolve v in revision rev: a reference becomes the referred object's
 * value, any other value is copied.  Returns 0, FP_ENOTFOUND or FP_EINVAL.
 */
int pdf_resolve(const struct pdf_file *pf, size_t rev,
    const struct pdf_value *v, struct pdf_value *out);

/* Whether two values are spelled with the same tokens, ignoring how the
 * whitespace between them differs. */
int pdf_value_same(const struct pdf_file *pf, const struct pdf_value *a,
    const struct pdf_value *b);

#endif
