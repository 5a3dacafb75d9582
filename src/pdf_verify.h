/*
 * Offline verification of a signed PDF report: every signature's CMS value
 * (through poppler), the byte ranges the signatures cover, and what each
 * incremental update after the first signature changes.
 */
#ifndef FP_PDF_VERIFY_H
#define FP_PDF_VERIFY_H

#include <stddef.h>

#include "util.h"

struct pdf_signature {
	char *field;		/* fully qualified field name */
	char *signer;		/* certificate common name, or /Name */
	char *reason;		/* /Reason, or NULL */
	fp_time signed_at;	/* signing time, FP_TIME_NONE when unknown */
	/*
	 * SHA-256 of the signer's DER certificate in lower-case hex, "" when
	 * the CMS has none.  The certificate is not covered by the signature,
	 * so a caller that pins the expected signer compares this value.
	 */
	char cert_sha256[65];
	size_t range[4];	/* /ByteRange */
	int valid;		/* the CMS matches the signed bytes */
	int trusted;		/* the certificate has a trusted root */
	int whole_file;		/* signed bytes reach the file's end */
	char *status;		/* "signature valid, signer ..." */
};

struct pdf_verify_result {
	int ok;
	size_t n_signatures;
	struct pdf_signature *signatures;	/* in the order applied */
	/*
	 * Length of the file prefix that the last signature covers: the
	 * version of the document that was signed.  0 without signatures.
	 */
	size_t signed_length;
	char *message;		/* the verdict or every failure cause */
	char *keywords;		/* /Keywords of the document, or NULL */
};

/*
 * Verify the signatures of the PDF at path and fill out (released with
 * pdf_verify_result_free, also after an error).  The file verifies when
 * it contains at least one signature and each signature is
 * cryptographically valid and leaves out exactly its own /Contents.  The
 * last signature must cover the whole file.  Every incremental update
 * after the first signature may only add signature fields, invisible
 * signature widgets and their signature dictionaries.  A certificate
 * that no system root trusts, such as a self-signed one, does not fail
 * verification: each signature's status reports it.
 *
 * Returns 0 when the file verifies, FP_EVERIFY with out->message when it
 * does not, FP_EIO when it cannot be read, or FP_EINVAL when it is not a
 * PDF that the scanner in pdf_sign.h or poppler can read.
 */
int pdf_verify(const char *path, struct pdf_verify_result *out);

void pdf_verify_result_free(struct pdf_verify_result *result);

#endif
