/*
 * XML-DSig for failproof's XML reports, with xmlsec1 over OpenSSL: an
 * enveloped signature over the whole document (Reference URI=""), and a
 * verifier that accepts only that form.  No other module calls xmlsec.
 */
#ifndef FP_XML_SIGN_H
#define FP_XML_SIGN_H

#include <stddef.h>

#include <libxml/tree.h>

/* Largest XML file the verifier reads, in bytes. */
#define XML_SIGN_MAX_FILE (64 * 1024 * 1024)

/*
 * Initialise libxml2, xmlsec and xmlsec's OpenSSL back end, and route
 * xmlsec's error messages into the error context instead of stderr.
 * Does nothing when already initialised, so the signing and verifying
 * functions call it themselves.  Returns 0 or FP_ECRYPTO.
 *
 * NOTE: xmlSecInit() (xmlsec 1.2.37) replaces libxml2's external entity
 * loader for the whole process with one that loads only the document
 * itself, so until xml_sign_shutdown() no parser in failproof can load
 * an external entity or DTD.
 */
int xml_sign_init(void);

/*
 * Shut xmlsec down and restore libxml2's external entity loader.  Does
 * nothing when xmlsec is not initialised.  Call once before exit.
 * libxml2 itself stays initialised for other modules.
 */
void xml_sign_shutdown(void);

/*
 * Parse XML from memory the safe way: no network, no entity substitution,
 * no DTD loading, and any DOCTYPE declaration rejected as soon as the
 * parser reaches it, so no entity it declares is ever read.  Whitespace
 * is kept exactly.  name labels messages ("'report.xml' line 3: ...").
 * Returns 0 with *out set, or FP_EINVAL with *out NULL.
 */
int xml_read_memory(const char *data, size_t len, const char *name,
    xmlDocPtr *out);

/*
 * Add an enveloped XML-DSig signature as the last child of the document's
 * root: exclusive C14N, RSA-SHA256 or ECDSA-SHA256 after the key's type,
 * one Reference URI="" with the enveloped-signature transform, an XPath
 * Filter 2.0 transform that subtracts reviewers' sign-offs (see
 * signoff_form.h), exclusive C14N and a SHA-256 digest, and the
 * certificate in KeyInfo/X509Data.  The key and certificate are PEM files.  The key must
 * be RSA of 2048 bits or more, or EC, and match the certificate, which
 * must be valid now.  A document that already contains a
 * ds:Signature is rejected, because a second enveloped signature over the
 * whole document would invalidate the first.
 */
int xml_sign_doc(xmlDocPtr doc, const char *key_pem, const char *cert_pem);

/*
 * Sign a reviewer's sign-off: signoff is a <reviewer-signoff> with an
 * xml:id, appended to the root of a report signed by xml_sign_doc().
 * The signature becomes its last child and covers the sign-off and the
 * report signature (the form in signoff_form.h).  Key and certificate
 * are checked as by xml_sign_doc().  Returns 0, FP_EINVAL when the
 * report signature does not exclude sign-offs or the sign-off is not
 * in place, or FP_ECRYPTO.
 */
int xml_sign_signoff(xmlNodePtr signoff, const char *key_pem,
    const char *cert_pem);

/* The certificate that made one ds:Signature. */
struct xml_signer {
	char *subject;		/* "CN=failproof test signer, O=Example" */
	char *fingerprint;	/* SHA-256 of the DER certificate, in hex */
	int trusted;		/* 1 if it chains to the trusted certificate */
	char *signoff_id;	/* xml:id of a reviewer's sign-off, or NULL
				   for the report signature */
};

struct xml_verify_result {
	size_t n_signers;
	struct xml_signer *signers;	/* one per ds:Signature, in order */
	char *evidence_commit;	/* from <provenance>, or NULL */
};

/*
 * Verify every ds:Signature in the XML file at path.  Each must be the
 * report signature, an enveloped signature over the whole document
 * (Reference URI="") that may subtract reviewers' sign-offs, or a
 * sign-off signature, in the forms of signoff_form.h, with C14N or
 * exclusive C14N, SHA-256/384/512 digests and an RSA or ECDSA
 * signature, and carry its certificate in KeyInfo/X509Data.  Other
 * references, transforms and key sources are rejected, so verifying never
 * opens a file or a URL the document names.
 *
 * With trusted_cert_pem, each signer's certificate must chain to that
 * certificate, and only to it: the system's CA store is not used.
 * Without it, the certificate in KeyInfo is used as it is and every
 * signer is marked untrusted: the signature is intact, but anyone could
 * have made it.
 * NOTE: the chain is checked at the current time, so a report signed with
 * a certificate that has since expired fails against trusted_cert_pem.
 *
 * Returns 0 with *out filled, to be released with
 * xml_verify_result_release().  On failure *out is empty and the code is
 * FP_EVERIFY when a signature does not verify, with the cause in the
 * message (for example a digest mismatch after the document was
 * reformatted).  It is FP_EINVAL when the file is not well-formed XML,
 * contains a DOCTYPE or is too large, and FP_EIO when it cannot be read.
 */
int xml_verify_file(const char *path, const char *trusted_cert_pem,
    struct xml_verify_result *out);

/* Verify a document in memory like xml_verify_file(); name labels messages. */
int xml_verify_memory(const char *data, size_t len, const char *name,
    const char *trusted_cert_pem, struct xml_verify_result *out);

void xml_verify_result_release(struct xml_verify_result *res);

#endif
