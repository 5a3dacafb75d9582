/*
 * Checking a signer's key and certificate before anything is written, so
 * a wrong key is one clear message instead of a half-issued report.
 */
#ifndef FP_SIGNER_H
#define FP_SIGNER_H

/*
 * Check that key_path contains an unencrypted RSA (2048 bits or more) or
 * EC private key in PEM, that cert_path contains its X.509 certificate,
 * and that the certificate is valid now.  Never prompts for a
 * passphrase.
 */
int signer_check(const char *key_path, const char *cert_path);

#endif
