/*
 * A reviewer's sign-off in the XML report: a <reviewer-signoff> element
 * appended to a signed report and signed by the reviewer (the form is in
 * signoff_form.h), so the report signature stays valid.
 */
#ifndef FP_SIGNOFF_XML_H
#define FP_SIGNOFF_XML_H

#include <stddef.h>

#include "util.h"

/* What the sign-off states; every string is required. */
struct signoff {
	const char *id;		/* xml:id, "review-1" */
	const char *reviewer;
	const char *decision;	/* approve, reject */
	const char *comment;
	fp_time at;
	const char *report_tag;	/* the issued report it covers */
	const char *report_xml_sha256;
	const char *evidence_commit;
	const char *cert_subject;
	const char *cert_spki_sha256;
};

/*
 * Append the sign-off to the signed XML report in data (name labels
 * messages), validate the result against schema/report.xsd, sign the
 * sign-off with the PEM key and certificate, and verify every signature
 * of the result.  On success *out (free()) holds the bytes to archive.
 * Returns 0, FP_EINVAL for a document that is not a failproof report or
 * text that XML cannot hold, FP_EVERIFY when the input does not verify,
 * or FP_ECRYPTO.
 */
int signoff_xml_sign(const char *data, size_t len, const char *name,
    const struct signoff *so, const char *key_pem, const char *cert_pem,
    char **out, size_t *out_len);

#endif
