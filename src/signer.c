/* Signer key and certificate checks with OpenSSL. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "signer.h"
#include "util.h"

/* OpenSSL would otherwise prompt on the terminal for an encrypted key. */
static int
refuse_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

static int
check_key_type(EVP_PKEY *key, const char *key_path)
{
	int type = EVP_PKEY_get_base_id(key);

	if (type == EVP_PKEY_RSA) {
		if (EVP_PKEY_get_bits(key) < 2048)
			return fp_fail(FP_EINVAL, "the RSA key '%s' has %d bits: "
			    "use 2048 or more", key_path,
			    EVP_PKEY_get_bits(key));
		return 0;
	}
	if (type == EVP_PKEY_EC)
		return 0;
	if (type == EVP_PKEY_ED25519 || type == EVP_PKEY_ED448)
		return fp_fail(FP_EINVAL, "the key '%s' is an EdDSA key, which "
		    "OpenSSL 3.0 cannot use for CMS signatures: use an RSA or "
		    "ECDSA P-256 key", key_path);
	return fp_fail(FP_EINVAL, "the key '%s' is neither RSA nor ECDSA: use "
	    "an RSA or ECDSA P-256 key", key_path);
}

int
signer_check(const char *key_path, const char *cert_path)
{
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	FILE *f;
	int rc = 0;

	if ((f = fopen(key_path, "r")) == NULL)
		return fp_fail(FP_EIO, "cannot open the key '%s': %s", key_path,
		    strerror(errno));
	key = PEM_read_PrivateKey(f, NULL, refuse_passphrase, NULL);
	fclose(f);
	if (key == NULL) {
		rc = fp_fail(FP_EINVAL, "'%s' is not an unencrypted PEM private "
		    "key (an encrypted key must be decrypted first, e.g. with "
		    "'openssl pkey -in KEY -out PLAIN')", key_path);
		goto out;
	}
	if ((rc = check_key_type(key, key_path)) != 0)
		goto out;
	if ((f = fopen(cert_path, "r")) == NULL) {
		rc = fp_fail(FP_EIO, "cannot open the certificate '%s': %s",
		    cert_path, strerror(errno));
		goto out;
	}
	cert = PEM_read_X509(f, NULL, refuse_passphrase, NULL);
	fclose(f);
	if (cert == NULL) {
		rc = fp_fail(FP_EINVAL, "'%s' is not a PEM X.509 certificate",
		    cert_path);
		goto out;
	}
	if (X509_check_private_key(cert, key) != 1) {
		rc = fp_fail(FP_EINVAL, "the certificate '%s' does not belong "
		    "to the key '%s'", cert_path, key_path);
		goto out;
	}
	if (X509_cmp_current_time(X509_get0_notAfter(cert)) <= 0 ||
	    X509_cmp_current_time(X509_get0_notBefore(cert)) >= 0)
		rc = fp_fail(FP_EINVAL, "the certificate '%s' is not valid now: "
		    "check its validity period", cert_path);
out:
	X509_free(cert);
	EVP_PKEY_free(key);
	return rc;
}
