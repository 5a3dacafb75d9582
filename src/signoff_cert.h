/*
 * Identity of a signing certificate, for the separation of duties: who a
 * certificate names, and which public key it certifies.  Two certificates
 * with the same public key belong to whoever holds the private key, under
 * any name.
 */
#ifndef FP_SIGNOFF_CERT_H
#define FP_SIGNOFF_CERT_H

struct cert_identity {
	char *subject;		/* RFC 2253 order: "CN=Ana, O=Example" */
	char spki_sha256[65];	/* SHA-256 of the DER SubjectPublicKeyInfo */
	char cert_sha256[65];	/* SHA-256 of the DER certificate */
	char *common_name;	/* the subject's CN in UTF-8, or NULL */
};

/*
 * Read the first certificate of the PEM file at path.  Returns 0, FP_EIO
 * when the file cannot be read, or FP_EINVAL when it holds no PEM X.509
 * certificate.
 */
int cert_identity_load(const char *path, struct cert_identity *out);

/*
 * Check that the PEM private key at key_path belongs to the certificate
 * at cert_path: the separation of duties judges the certificate, so the
 * signature must be made with its key.  Returns 0, FP_EIO, or FP_EINVAL
 * when there is no key or it is another one.
 */
int cert_identity_check_key(const char *cert_path, const char *key_path);

void cert_identity_release(struct cert_identity *id);

#endif
