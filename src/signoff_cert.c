/* Certificate identities for the separation of duties, with OpenSSL. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "signoff_cert.h"
#include "util.h"

static X509 *
read_cert(const char *path, int *rc)
{
	X509 *cert;
	FILE *f;

	f = fopen(path, "r");
	if (f == NULL) {
		*rc = fp_fail(FP_EIO, "cannot open the certificate '%s': %s",
		    path, strerror(errno));
		return NULL;
	}
	cert = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	ERR_clear_error();
	if (cert == NULL)
		*rc = fp_fail(FP_EINVAL, "'%s' holds no PEM X.509 "
		    "certificate", path);
	return cert;
}

static char *
subject_text(X509 *cert)
{
	unsigned long flags;
	char *data, *subject;
	long len;
	BIO *bio;

	/* The same form as the XML verifier prints: RFC 2253, ", ". */
	flags = (XN_FLAG_RFC2253 & ~XN_FLAG_SEP_MASK & ~ASN1_STRFLGS_ESC_MSB)
	    | XN_FLAG_SEP_CPLUS_SPC;
	bio = BIO_new(BIO_s_mem());
	if (bio == NULL)
		return xstrdup("");
	X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0, flags);
	len = BIO_get_mem_data(bio, &data);
	subject = xstrndup(data, len > 0 ? (size_t)len : 0);
	BIO_free(bio);
	return subject;
}

/* The last CN of the subject as UTF-8, or NULL without one. */
static char *
common_name(X509 *cert)
{
	X509_NAME *name = X509_get_subject_name(cert);
	int i = -1, last = -1;
	unsigned char *utf8 = NULL;
	char *cn;
	int len;

	while ((i = X509_NAME_get_index_by_NID(name, NID_commonName, i)) >= 0)
		last = i;
	if (last < 0)
		return NULL;
	len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(
	    X509_NAME_get_entry(name, last)));
	if (len < 0)
		return NULL;
	cn = xstrndup((const char *)utf8, (size_t)len);
	OPENSSL_free(utf8);
	return cn;
}

int
cert_identity_load(const char *path, struct cert_identity *out)
{
	unsigned char *der = NULL;
	X509 *cert;
	int len, rc = 0;

	memset(out, 0, sizeof(*out));
	if ((cert = read_cert(path, &rc)) == NULL)
		return rc;
	len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
	if (len <= 0) {
		rc = fp_fail(FP_EINVAL, "'%s': cannot encode the certificate's "
		    "public key", path);
		goto out;
	}
	fp_sha256_hex(der, (size_t)len, out->spki_sha256);
	OPENSSL_free(der);
	der = NULL;
	len = i2d_X509(cert, &der);
	if (len <= 0) {
		rc = fp_fail(FP_EINVAL, "'%s': cannot encode the certificate",
		    path);
		goto out;
	}
	fp_sha256_hex(der, (size_t)len, out->cert_sha256);
	out->subject = subject_text(cert);
	out->common_name = common_name(cert);
out:
	OPENSSL_free(der);
	X509_free(cert);
	ERR_clear_error();
	return rc;
}

int
cert_identity_check_key(const char *cert_path, const char *key_path)
{
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	FILE *f = NULL;
	int rc = 0;

	if ((cert = read_cert(cert_path, &rc)) == NULL)
		return rc;
	f = fopen(key_path, "r");
	if (f == NULL) {
		rc = fp_fail(FP_EIO, "cannot open the private key '%s': %s",
		    key_path, strerror(errno));
		goto out;
	}
	key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	if (key == NULL) {
		rc = fp_fail(FP_EINVAL, "'%s' holds no unencrypted PEM private "
		    "key", key_path);
		goto out;
	}
	if (X509_check_private_key(cert, key) != 1)
		rc = fp_fail(FP_EINVAL, "the private key '%s' does not belong "
		    "to the certificate '%s'", key_path, cert_path);
out:
	if (f != NULL)
		fclose(f);
	EVP_PKEY_free(key);
	X509_free(cert);
	ERR_clear_error();
	return rc;
}

void
cert_identity_release(struct cert_identity *id)
{
	free(id->common_name);
	free(id->subject);
	memset(id, 0, sizeof(*id));
}
