/*
 * Enveloped XML-DSig signatures over a whole document, and reviewers'
 * sign-off signatures beside them (signoff_form.h), made and checked with
 * xmlsec1 and its OpenSSL back end.
 *
 * The verifier takes nothing from the document on trust.  References must
 * be URI="" (the whole document) or, in a sign-off, the sign-off's own
 * xml:id; XPath filters must be failproof's fixed ones; transforms and
 * algorithms come from a short allow-list, and keys come only from the
 * certificate in KeyInfo/X509Data.  Trust is decided here, with an OpenSSL store that
 * contains the caller's certificate and nothing else.
 * xmlsec's own certificate check is switched off because its store also
 * trusts the system's default CA paths (xmlsec 1.2.37 calls
 * X509_STORE_set_default_paths).
 *
 * When a signature does not verify, the verifier tries again on copies of
 * the document whose whitespace is normalised the way common tools
 * re-indent a file.  If a copy verifies, the message says the document
 * was reformatted, which is the usual reason a report that nobody edited
 * stops verifying.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/templates.h>
#include <xmlsec/crypto.h>
#include <xmlsec/errors.h>
#include <xmlsec/openssl/evp.h>
#include <xmlsec/openssl/x509.h>

#include "report_xml.h"
#include "signoff_form.h"
#include "util.h"
#include "xml_sign.h"

#define DSIG_NS "http://www.w3.org/2000/09/xmldsig#"

/* Smallest RSA key the signer accepts, in bits. */
#define MIN_RSA_BITS 2048

static const char *const WHITESPACE_HINT =
    "the document was reformatted or its whitespace changed after "
    "signing (whitespace is part of the signed content: keep the file "
    "exactly as failproof wrote it)";

/* A copy of a library message without trailing newlines and spaces. */
static char *
trim_message(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	return xstrndup(s ? s : "", n);
}

/* Set by xml_sign_init(), cleared by xml_sign_shutdown(). */
static int xmlsec_ready;

/* libxml2's external entity loader before xmlSecInit() replaced it. */
static xmlExternalEntityLoader saved_entity_loader;

/*
 * xmlsec's messages during one operation.  xmlsec logs the failing check
 * first and then one "xmlsec library function failed" line per caller,
 * so the first message with another reason is the informative one.
 */
static struct {
	char detail[512];	/* first message not from XMLSEC_FAILED */
	char fallback[512];	/* first message of any reason */
	int unknown_algorithm;	/* an Algorithm URI unknown to xmlsec */
	int reasons[32];
	size_t n_reasons;
} xmlsec_log;

static void
xmlsec_log_clear(void)
{
	memset(&xmlsec_log, 0, sizeof(xmlsec_log));
}

static int
xmlsec_log_has(int reason)
{
	for (size_t i = 0; i < xmlsec_log.n_reasons; i++)
		if (xmlsec_log.reasons[i] == reason)
			return 1;
	return 0;
}

/* Return the most specific xmlsec message, or a fixed text if none. */
static const char *
xmlsec_log_text(void)
{
	if (xmlsec_log.detail[0] != '\0')
		return xmlsec_log.detail;
	if (xmlsec_log.fallback[0] != '\0')
		return xmlsec_log.fallback;
	return "xmlsec reported no detail";
}

static void
xmlsec_error(const char *file, int line, const char *func,
    const char *object, const char *subject, int reason, const char *msg)
{
	const char *reason_text = "error";
	struct fp_buf entry = { 0 };
	char *text;

	(void)file;
	(void)line;
	(void)func;
	(void)object;
	if (xmlsec_log.n_reasons < sizeof(xmlsec_log.reasons) /
	    sizeof(xmlsec_log.reasons[0]))
		xmlsec_log.reasons[xmlsec_log.n_reasons++] = reason;
	/* xmlsec 1.2.37 reports an unregistered Algorithm URI this way. */
	if (subject != NULL &&
	    strcmp(subject, "xmlSecTransformIdListFindByHref") == 0)
		xmlsec_log.unknown_algorithm = 1;

	for (xmlSecSize i = 0; xmlSecErrorsGetMsg(i) != NULL; i++) {
		if (xmlSecErrorsGetCode(i) == reason) {
			reason_text = xmlSecErrorsGetMsg(i);
			break;
		}
	}
	text = trim_message(msg);
	if (strcmp(text, "NULL") == 0)
		text[0] = '\0';
	if (reason == XMLSEC_ERRORS_R_XMLSEC_FAILED && text[0] != '\0') {
		/* "xmlsec library function failed" adds nothing to the text. */
		fp_buf_puts(&entry, text);
	} else {
		fp_buf_puts(&entry, reason_text);
		if (reason != XMLSEC_ERRORS_R_XMLSEC_FAILED &&
		    subject != NULL && strcmp(subject, "unknown") != 0)
			fp_buf_printf(&entry, " (%s)", subject);
		if (text[0] != '\0')
			fp_buf_printf(&entry, ": %s", text);
	}
	free(text);

	if (reason != XMLSEC_ERRORS_R_XMLSEC_FAILED &&
	    xmlsec_log.detail[0] == '\0')
		snprintf(xmlsec_log.detail, sizeof(xmlsec_log.detail), "%s",
		    entry.data);
	if (xmlsec_log.fallback[0] == '\0')
		snprintf(xmlsec_log.fallback, sizeof(xmlsec_log.fallback),
		    "%s", entry.data);
	fp_buf_free(&entry);
}

/*
 * libxml2 reports some errors of xmlsec's transforms through its global
 * handlers, which print to stderr by default.  While this module works
 * they are kept quiet; the outcome is reported through the return code.
 */
struct libxml_quiet {
	xmlStructuredErrorFunc structured;
	void *structured_ctx;
	xmlGenericErrorFunc generic;
	void *generic_ctx;
};

static void
ignore_structured(void *ctx, xmlErrorPtr error)
{
	(void)ctx;
	(void)error;
}

static void
ignore_generic(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

static void
libxml_quiet_begin(struct libxml_quiet *q)
{
	q->structured = xmlStructuredError;
	q->structured_ctx = xmlStructuredErrorContext;
	q->generic = xmlGenericError;
	q->generic_ctx = xmlGenericErrorContext;
	xmlSetStructuredErrorFunc(NULL, ignore_structured);
	xmlSetGenericErrorFunc(NULL, ignore_generic);
}

static void
libxml_quiet_end(const struct libxml_quiet *q)
{
	xmlSetStructuredErrorFunc(q->structured_ctx, q->structured);
	xmlSetGenericErrorFunc(q->generic_ctx, q->generic);
}

int
xml_sign_init(void)
{
	int stage = 0, rc;

	if (xmlsec_ready)
		return 0;

	xmlInitParser();
	xmlsec_log_clear();
	saved_entity_loader = xmlGetExternalEntityLoader();
	if (xmlSecInit() < 0) {
		rc = fp_fail(FP_ECRYPTO, "cannot initialise xmlsec");
		goto fail;
	}
	stage = 1;
	xmlSecErrorsSetCallback(xmlsec_error);
	if (xmlSecCheckVersion() != 1) {
		rc = fp_fail(FP_ECRYPTO, "the xmlsec library loaded is not "
		    "compatible with the version failproof was built with "
		    "(%s): rebuild failproof", XMLSEC_VERSION);
		goto fail;
	}
	if (xmlSecCryptoAppInit(NULL) < 0) {
		rc = fp_fail(FP_ECRYPTO, "cannot initialise xmlsec's OpenSSL "
		    "back end: %s", xmlsec_log_text());
		goto fail;
	}
	stage = 2;
	if (xmlSecCryptoInit() < 0) {
		rc = fp_fail(FP_ECRYPTO, "cannot initialise xmlsec's OpenSSL "
		    "back end: %s", xmlsec_log_text());
		goto fail;
	}
	/* Again: xmlSecCryptoInit() installs the back end's own callback. */
	xmlSecErrorsSetCallback(xmlsec_error);
	xmlsec_ready = 1;
	return 0;

fail:
	if (stage >= 2)
		xmlSecCryptoAppShutdown();
	if (stage >= 1)
		xmlSecShutdown();
	xmlSetExternalEntityLoader(saved_entity_loader);
	return rc;
}

void
xml_sign_shutdown(void)
{
	if (!xmlsec_ready)
		return;
	xmlSecCryptoShutdown();
	xmlSecCryptoAppShutdown();
	xmlSecShutdown();
	xmlSetExternalEntityLoader(saved_entity_loader);
	xmlsec_ready = 0;
}

/* Safe parsing */

struct read_state {
	int doctype_line;
};

/*
 * Called by the parser when it reaches <!DOCTYPE, before the internal
 * subset: stopping here means no entity declaration is ever parsed.
 */
static void
reject_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
    const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct read_state *state = ctxt->_private;

	(void)name;
	(void)external_id;
	(void)system_id;
	state->doctype_line = xmlSAX2GetLineNumber(ctx);
	if (state->doctype_line <= 0)
		state->doctype_line = 1;
	xmlStopParser(ctxt);
}

int
xml_read_memory(const char *data, size_t len, const char *name,
    xmlDocPtr *out)
{
	struct read_state state = { 0 };
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;
	xmlErrorPtr err;
	char *msg;
	int rc = 0;

	*out = NULL;
	if (len > XML_SIGN_MAX_FILE)
		return fp_fail(FP_EINVAL, "'%s' is larger than the limit of "
		    "%d bytes for an XML report", name, XML_SIGN_MAX_FILE);

	xmlInitParser();
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL)
		return fp_fail(FP_EIO, "'%s': cannot create an XML parser: "
		    "out of memory", name);
	ctxt->_private = &state;
	ctxt->sax->internalSubset = reject_doctype;

	doc = xmlCtxtReadMemory(ctxt, data, (int)len, NULL, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (state.doctype_line > 0) {
		rc = fp_fail(FP_EINVAL, "'%s' line %d: DOCTYPE declarations "
		    "are not allowed: a failproof report never has one, and "
		    "its entities could read other files", name,
		    state.doctype_line);
		goto out;
	}
	if (doc == NULL || !ctxt->wellFormed) {
		err = xmlCtxtGetLastError(ctxt);
		msg = trim_message(err ? err->message : "unknown error");
		rc = fp_fail(FP_EINVAL, "'%s' line %d: not well-formed XML: "
		    "%s", name, err ? err->line : 0, msg);
		free(msg);
		goto out;
	}
	if (xmlDocGetRootElement(doc) == NULL) {
		rc = fp_fail(FP_EINVAL, "'%s': the XML document has no root "
		    "element", name);
		goto out;
	}
	*out = doc;
	doc = NULL;
out:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return rc;
}

/* Tree helpers */

static int
is_dsig_element(xmlNodePtr node, const char *local)
{
	return node->type == XML_ELEMENT_NODE && node->ns != NULL &&
	    xmlStrEqual(node->ns->href, BAD_CAST DSIG_NS) &&
	    xmlStrEqual(node->name, BAD_CAST local);
}

/* Collect the ds:Signature elements under node in document order. */
static void
find_signatures(xmlNodePtr node, xmlNodePtr **list, size_t *n)
{
	for (xmlNodePtr cur = node; cur != NULL; cur = cur->next) {
		if (cur->type != XML_ELEMENT_NODE)
			continue;
		if (is_dsig_element(cur, "Signature")) {
			*list = xrealloc(*list, (*n + 1) * sizeof(**list));
			(*list)[(*n)++] = cur;
			continue;
		}
		find_signatures(cur->children, list, n);
	}
}

static xmlNodePtr
nth_signature(xmlDocPtr doc, size_t index)
{
	xmlNodePtr *list = NULL, found = NULL;
	size_t n = 0;

	find_signatures(xmlDocGetRootElement(doc), &list, &n);
	if (index < n)
		found = list[index];
	free(list);
	return found;
}

/* Remove the whitespace-only text nodes below node. */
static void
strip_blank_text(xmlNodePtr node)
{
	xmlNodePtr cur, next;

	for (cur = node->children; cur != NULL; cur = next) {
		next = cur->next;
		if (cur->type == XML_TEXT_NODE && xmlIsBlankNode(cur)) {
			xmlUnlinkNode(cur);
			xmlFreeNode(cur);
		} else if (cur->type == XML_ELEMENT_NODE) {
			strip_blank_text(cur);
		}
	}
}

/* Signing */

/*
 * Load the key and its certificate, and choose the signature method from
 * the key type.
 */
static int
load_signing_key(const char *key_pem, const char *cert_pem,
    xmlSecKeyPtr *out, xmlSecTransformId *method)
{
	xmlSecKeyDataPtr value, x509_data;
	xmlSecKeyPtr key = NULL;
	EVP_PKEY *pkey;
	X509 *cert;
	int not_before, not_after, rc = 0;

	*out = NULL;
	key = xmlSecCryptoAppKeyLoad(key_pem, xmlSecKeyDataFormatPem, NULL,
	    NULL, NULL);
	if (key == NULL) {
		rc = fp_fail(FP_ECRYPTO, "cannot load the private key '%s': "
		    "%s (expected an unencrypted PEM RSA or EC key)", key_pem,
		    xmlsec_log_text());
		goto out;
	}

	value = xmlSecKeyGetValue(key);
	pkey = value ? xmlSecOpenSSLEvpKeyDataGetEvp(value) : NULL;
	if (pkey == NULL) {
		rc = fp_fail(FP_ECRYPTO, "'%s' holds no private key", key_pem);
		goto out;
	}
	if (xmlSecKeyDataCheckId(value, xmlSecKeyDataRsaId)) {
		if (EVP_PKEY_get_bits(pkey) < MIN_RSA_BITS) {
			rc = fp_fail(FP_EINVAL, "the RSA key '%s' has %d bits: "
			    "use a key of at least %d bits", key_pem,
			    EVP_PKEY_get_bits(pkey), MIN_RSA_BITS);
			goto out;
		}
		*method = xmlSecTransformRsaSha256Id;
	} else if (xmlSecKeyDataCheckId(value, xmlSecKeyDataEcdsaId)) {
		*method = xmlSecTransformEcdsaSha256Id;
	} else {
		rc = fp_fail(FP_EINVAL, "the key '%s' is of type %s: use an "
		    "RSA key of %d bits or more, or an EC key", key_pem,
		    OBJ_nid2sn(EVP_PKEY_get_base_id(pkey)), MIN_RSA_BITS);
		goto out;
	}

	if (xmlSecCryptoAppKeyCertLoad(key, cert_pem,
	    xmlSecKeyDataFormatPem) < 0) {
		rc = fp_fail(FP_ECRYPTO, "cannot load the certificate '%s': "
		    "%s (expected a PEM X.509 certificate)", cert_pem,
		    xmlsec_log_text());
		goto out;
	}
	x509_data = xmlSecKeyGetData(key, xmlSecKeyDataX509Id);
	cert = x509_data ? xmlSecOpenSSLKeyDataX509GetCert(x509_data, 0) :
	    NULL;
	if (cert == NULL) {
		rc = fp_fail(FP_ECRYPTO, "'%s' holds no certificate",
		    cert_pem);
		goto out;
	}
	if (X509_check_private_key(cert, pkey) != 1) {
		rc = fp_fail(FP_EINVAL, "the certificate '%s' does not match "
		    "the private key '%s'", cert_pem, key_pem);
		goto out;
	}
	not_before = X509_cmp_current_time(X509_get0_notBefore(cert));
	not_after = X509_cmp_current_time(X509_get0_notAfter(cert));
	if (not_before == 0 || not_after == 0) {
		rc = fp_fail(FP_EINVAL, "the certificate '%s' has an invalid "
		    "validity period", cert_pem);
		goto out;
	}
	if (not_before > 0) {
		rc = fp_fail(FP_EINVAL, "the certificate '%s' is not valid "
		    "yet: check its notBefore date and the system clock",
		    cert_pem);
		goto out;
	}
	if (not_after < 0) {
		rc = fp_fail(FP_EINVAL, "the certificate '%s' has expired: "
		    "sign with a current certificate", cert_pem);
		goto out;
	}

	*out = key;
	key = NULL;
out:
	ERR_clear_error();
	if (key != NULL)
		xmlSecKeyDestroy(key);
	return rc;
}

/* Add an XPath Filter 2.0 transform with a fixed expression to ref. */
static int
add_xpath_filter(xmlNodePtr ref, const char *filter, const char *expression)
{
	static const xmlChar *namespaces[] = {
		BAD_CAST "r", BAD_CAST REPORT_XML_NS,
		BAD_CAST "ds", BAD_CAST DSIG_NS,
		NULL,
	};
	xmlNodePtr t;

	t = xmlSecTmplReferenceAddTransform(ref, xmlSecTransformXPath2Id);
	if (t == NULL)
		return -1;
	return xmlSecTmplTransformAddXPath2(t, BAD_CAST filter,
	    BAD_CAST expression, namespaces);
}

/*
 * Build the ds:Signature template.  xmlsec fills in the values.  With
 * signoff_id NULL it is the report signature (see signoff_form.h);
 * otherwise the signature of the sign-off with that xml:id.
 */
static xmlNodePtr
signature_template(xmlDocPtr doc, xmlSecTransformId method,
    const char *signoff_id)
{
	xmlNodePtr sig, ref, key_info, x509;
	char *uri;

	sig = xmlSecTmplSignatureCreateNsPref(doc, xmlSecTransformExclC14NId,
	    method, NULL, BAD_CAST "ds");
	if (sig == NULL)
		return NULL;
	if (signoff_id == NULL) {
		ref = xmlSecTmplSignatureAddReference(sig,
		    xmlSecTransformSha256Id, NULL, BAD_CAST "", NULL);
		if (ref == NULL ||
		    xmlSecTmplReferenceAddTransform(ref,
		    xmlSecTransformEnvelopedId) == NULL ||
		    add_xpath_filter(ref, "subtract",
		    SIGNOFF_EXCLUDE_XPATH) < 0 ||
		    xmlSecTmplReferenceAddTransform(ref,
		    xmlSecTransformExclC14NId) == NULL)
			goto fail;
	} else {
		uri = xasprintf("#%s", signoff_id);
		ref = xmlSecTmplSignatureAddReference(sig,
		    xmlSecTransformSha256Id, NULL, BAD_CAST uri, NULL);
		free(uri);
		if (ref == NULL ||
		    xmlSecTmplReferenceAddTransform(ref,
		    xmlSecTransformEnvelopedId) == NULL ||
		    xmlSecTmplReferenceAddTransform(ref,
		    xmlSecTransformExclC14NId) == NULL)
			goto fail;
		ref = xmlSecTmplSignatureAddReference(sig,
		    xmlSecTransformSha256Id, NULL, BAD_CAST "", NULL);
		if (ref == NULL ||
		    add_xpath_filter(ref, "intersect",
		    SIGNOFF_REPORT_XPATH) < 0 ||
		    xmlSecTmplReferenceAddTransform(ref,
		    xmlSecTransformExclC14NId) == NULL)
			goto fail;
	}
	key_info = xmlSecTmplSignatureEnsureKeyInfo(sig, NULL);
	x509 = key_info ? xmlSecTmplKeyInfoAddX509Data(key_info) : NULL;
	if (x509 == NULL || xmlSecTmplX509DataAddCertificate(x509) == NULL)
		goto fail;

	/*
	 * xmlsec separates template elements with newlines.  Without them
	 * SignedInfo is signed as one line, a form the verifier's
	 * whitespace diagnosis can restore exactly.
	 */
	strip_blank_text(sig);
	return sig;
fail:
	xmlFreeNode(sig);
	return NULL;
}

/*
 * Append the signature to root.  In an indented document it gets its own
 * line at the first indentation level, the place an indenter would give
 * it.  That whitespace is outside the signature, so it is signed content.
 */
static void
append_signature(xmlNodePtr root, xmlNodePtr sig)
{
	xmlNodePtr last = root->last;

	if (last != NULL && last->type == XML_TEXT_NODE &&
	    xmlIsBlankNode(last) && last->content != NULL &&
	    strchr((const char *)last->content, '\n') != NULL) {
		xmlNodeAddContent(last, BAD_CAST xmlTreeIndentString);
		xmlAddChild(root, sig);
		xmlAddChild(root, xmlNewText(BAD_CAST "\n"));
		return;
	}
	xmlAddChild(root, sig);
}

/* Undo append_signature() after signing failed. */
static void
remove_signature(xmlNodePtr sig)
{
	xmlNodePtr before = sig->prev, after = sig->next;
	size_t indent = strlen(xmlTreeIndentString), len;

	if (before != NULL && after != NULL && after->next == NULL &&
	    before->type == XML_TEXT_NODE && after->type == XML_TEXT_NODE) {
		len = (size_t)xmlStrlen(before->content);
		if (len >= indent)
			before->content[len - indent] = '\0';
		xmlUnlinkNode(after);
		xmlFreeNode(after);
	}
	xmlUnlinkNode(sig);
	xmlFreeNode(sig);
}

int
xml_sign_doc(xmlDocPtr doc, const char *key_pem, const char *cert_pem)
{
	xmlSecTransformId method = xmlSecTransformIdUnknown;
	xmlSecDSigCtxPtr dsig = NULL;
	xmlSecKeyPtr key = NULL;
	xmlNodePtr root, *existing = NULL, sig = NULL;
	struct libxml_quiet quiet;
	size_t n_existing = 0;
	int rc;

	if ((rc = xml_sign_init()) != 0)
		return rc;
	root = xmlDocGetRootElement(doc);
	if (root == NULL)
		return fp_fail(FP_EINVAL, "cannot sign an XML document "
		    "without a root element");
	find_signatures(root, &existing, &n_existing);
	free(existing);
	if (n_existing > 0)
		return fp_fail(FP_EINVAL, "the XML document is already signed: "
		    "a second enveloped signature would invalidate the first");

	libxml_quiet_begin(&quiet);
	xmlsec_log_clear();
	if ((rc = load_signing_key(key_pem, cert_pem, &key, &method)) != 0)
		goto out;

	sig = signature_template(doc, method, NULL);
	if (sig == NULL) {
		rc = fp_fail(FP_ECRYPTO, "cannot create the XML-DSig template: "
		    "%s", xmlsec_log_text());
		goto out;
	}
	append_signature(root, sig);

	dsig = xmlSecDSigCtxCreate(NULL);
	if (dsig == NULL) {
		rc = fp_fail(FP_ECRYPTO, "cannot create an xmlsec signature "
		    "context: %s", xmlsec_log_text());
		goto out;
	}
	dsig->signKey = key;
	key = NULL;
	if (xmlSecDSigCtxSign(dsig, sig) < 0 ||
	    dsig->status != xmlSecDSigStatusSucceeded) {
		rc = fp_fail(FP_ECRYPTO, "signing with '%s' failed: %s",
		    key_pem, xmlsec_log_text());
		goto out;
	}
	sig = NULL;
out:
	/* On failure the document is left as it was before the call. */
	if (sig != NULL)
		remove_signature(sig);
	if (dsig != NULL)
		xmlSecDSigCtxDestroy(dsig);
	if (key != NULL)
		xmlSecKeyDestroy(key);
	ERR_clear_error();
	libxml_quiet_end(&quiet);
	return rc;
}

int
xml_sign_signoff(xmlNodePtr signoff, const char *key_pem,
    const char *cert_pem)
{
	xmlSecTransformId method = xmlSecTransformIdUnknown;
	xmlSecDSigCtxPtr dsig = NULL;
	xmlSecKeyPtr key = NULL;
	xmlNodePtr sig = NULL, *existing = NULL;
	struct libxml_quiet quiet;
	xmlDocPtr doc = signoff->doc;
	xmlAttrPtr id_attr;
	xmlChar *id = NULL;
	size_t n_existing = 0;
	int rc;

	if ((rc = xml_sign_init()) != 0)
		return rc;
	if (!signoff_report_accepts(doc))
		return fp_fail(FP_EINVAL, "the report's XML signature does not "
		    "exclude reviewers' sign-offs, so a sign-off would break "
		    "it: the report was issued by an older failproof; issue "
		    "it again with 'failproof report'");
	id_attr = xmlHasNsProp(signoff, BAD_CAST "id", XML_XML_NAMESPACE);
	id = xmlGetNsProp(signoff, BAD_CAST "id", XML_XML_NAMESPACE);
	if (id == NULL || id_attr == NULL ||
	    signature_role(signoff->last ? signoff->last : signoff) ==
	    SIGNATURE_MISPLACED) {
		rc = fp_fail(FP_EINVAL, "a sign-off to sign must be a <"
		    SIGNOFF_ELEMENT "> child of the report with an xml:id");
		goto out_id;
	}
	find_signatures(signoff, &existing, &n_existing);
	free(existing);
	if (n_existing > 0) {
		rc = fp_fail(FP_EINVAL, "the sign-off is already signed");
		goto out_id;
	}
	/* A tree built in memory has no ID table entry for xml:id yet. */
	if (xmlGetID(doc, id) == NULL &&
	    xmlAddID(NULL, doc, id, id_attr) == NULL) {
		rc = fp_fail(FP_EINVAL, "the sign-off's xml:id '%s' is used by "
		    "another element", (const char *)id);
		goto out_id;
	}

	libxml_quiet_begin(&quiet);
	xmlsec_log_clear();
	if ((rc = load_signing_key(key_pem, cert_pem, &key, &method)) != 0)
		goto out;
	sig = signature_template(doc, method, (const char *)id);
	if (sig == NULL) {
		rc = fp_fail(FP_ECRYPTO, "cannot create the XML-DSig template: "
		    "%s", xmlsec_log_text());
		goto out;
	}
	xmlAddChild(signoff, sig);
	dsig = xmlSecDSigCtxCreate(NULL);
	if (dsig == NULL) {
		rc = fp_fail(FP_ECRYPTO, "cannot create an xmlsec signature "
		    "context: %s", xmlsec_log_text());
		goto out;
	}
	dsig->signKey = key;
	key = NULL;
	if (xmlSecDSigCtxSign(dsig, sig) < 0 ||
	    dsig->status != xmlSecDSigStatusSucceeded) {
		rc = fp_fail(FP_ECRYPTO, "signing the sign-off with '%s' "
		    "failed: %s", key_pem, xmlsec_log_text());
		goto out;
	}
	sig = NULL;
out:
	if (sig != NULL) {
		xmlUnlinkNode(sig);
		xmlFreeNode(sig);
	}
	if (dsig != NULL)
		xmlSecDSigCtxDestroy(dsig);
	if (key != NULL)
		xmlSecKeyDestroy(key);
	ERR_clear_error();
	libxml_quiet_end(&quiet);
out_id:
	xmlFree(id);
	return rc;
}

/* Verifying */

/* Return a signature's label: "signature" or "signature 2 of 3". */
static char *
signature_label(size_t index, size_t count)
{
	if (count == 1)
		return xstrdup("signature");
	return xasprintf("signature %zu of %zu", index + 1, count);
}

static int
load_trust_store(const char *path, X509_STORE **out)
{
	X509_STORE *store = NULL;
	BIO *bio = NULL;
	X509 *cert;
	int n = 0, rc = 0;

	*out = NULL;
	bio = BIO_new_file(path, "r");
	if (bio == NULL) {
		rc = fp_fail(FP_EIO, "cannot open the trusted certificate "
		    "'%s'", path);
		goto out;
	}
	store = X509_STORE_new();
	if (store == NULL) {
		rc = fp_fail(FP_ECRYPTO, "cannot create a certificate store");
		goto out;
	}
	while ((cert = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		X509_STORE_add_cert(store, cert);
		X509_free(cert);
		n++;
	}
	if (n == 0) {
		rc = fp_fail(FP_EINVAL, "'%s' holds no PEM certificate", path);
		goto out;
	}
	/* A trusted certificate need not be a self-signed root. */
	X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
	*out = store;
	store = NULL;
out:
	ERR_clear_error();
	X509_STORE_free(store);
	BIO_free(bio);
	return rc;
}

static xmlSecKeysMngrPtr
keys_manager_new(void)
{
	xmlSecKeysMngrPtr mngr = xmlSecKeysMngrCreate();

	if (mngr == NULL)
		return NULL;
	if (xmlSecCryptoAppDefaultKeysMngrInit(mngr) < 0) {
		xmlSecKeysMngrDestroy(mngr);
		return NULL;
	}
	return mngr;
}

/*
 * A verification context that accepts only failproof's signature form:
 * see the contract of xml_verify_file() in xml_sign.h.
 */
static xmlSecDSigCtxPtr
verify_ctx_new(xmlSecKeysMngrPtr mngr)
{
	const xmlSecTransformId c14n[] = {
		xmlSecTransformInclC14NId,
		xmlSecTransformInclC14NWithCommentsId,
		xmlSecTransformInclC14N11Id,
		xmlSecTransformInclC14N11WithCommentsId,
		xmlSecTransformExclC14NId,
		xmlSecTransformExclC14NWithCommentsId,
	};
	const xmlSecTransformId methods[] = {
		xmlSecTransformRsaSha256Id,
		xmlSecTransformRsaSha384Id,
		xmlSecTransformRsaSha512Id,
		xmlSecTransformEcdsaSha256Id,
		xmlSecTransformEcdsaSha384Id,
		xmlSecTransformEcdsaSha512Id,
	};
	const xmlSecTransformId digests[] = {
		xmlSecTransformSha256Id,
		xmlSecTransformSha384Id,
		xmlSecTransformSha512Id,
	};
	xmlSecDSigCtxPtr ctx;
	int failed = 0;

	ctx = xmlSecDSigCtxCreate(mngr);
	if (ctx == NULL)
		return NULL;
	ctx->flags |= XMLSEC_DSIG_FLAGS_IGNORE_MANIFESTS;
	/* "#id" only for sign-offs: signoff_signature_check() has checked
	 * that it names the signature's own sign-off. */
	ctx->enabledReferenceUris = xmlSecTransformUriTypeEmpty |
	    xmlSecTransformUriTypeSameDocument;
	ctx->keyInfoReadCtx.flags |=
	    XMLSEC_KEYINFO_FLAGS_X509DATA_DONT_VERIFY_CERTS;
	failed |= xmlSecPtrListAdd(&ctx->keyInfoReadCtx.enabledKeyData,
	    (xmlSecPtr)xmlSecKeyDataX509Id) < 0;

	for (size_t i = 0; i < sizeof(c14n) / sizeof(c14n[0]); i++) {
		failed |= xmlSecDSigCtxEnableSignatureTransform(ctx,
		    c14n[i]) < 0;
		failed |= xmlSecDSigCtxEnableReferenceTransform(ctx,
		    c14n[i]) < 0;
	}
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		failed |= xmlSecDSigCtxEnableSignatureTransform(ctx,
		    methods[i]) < 0;
	for (size_t i = 0; i < sizeof(digests) / sizeof(digests[0]); i++)
		failed |= xmlSecDSigCtxEnableReferenceTransform(ctx,
		    digests[i]) < 0;
	failed |= xmlSecDSigCtxEnableReferenceTransform(ctx,
	    xmlSecTransformEnvelopedId) < 0;
	failed |= xmlSecDSigCtxEnableReferenceTransform(ctx,
	    xmlSecTransformXPath2Id) < 0;

	if (failed) {
		xmlSecDSigCtxDestroy(ctx);
		return NULL;
	}
	return ctx;
}

static size_t
count_references(xmlNodePtr sig)
{
	size_t n = 0;

	for (xmlNodePtr si = sig->children; si != NULL; si = si->next) {
		if (!is_dsig_element(si, "SignedInfo"))
			continue;
		for (xmlNodePtr ref = si->children; ref != NULL;
		    ref = ref->next)
			if (is_dsig_element(ref, "Reference"))
				n++;
	}
	return n;
}

/* Return 1 when xmlsec computed every reference of sig and all matched. */
static int
references_match(xmlSecDSigCtxPtr ctx, xmlNodePtr sig)
{
	xmlSecSize n = xmlSecPtrListGetSize(&ctx->signedInfoReferences);
	xmlSecDSigReferenceCtxPtr ref;

	if (n == 0 || (size_t)n != count_references(sig))
		return 0;
	for (xmlSecSize i = 0; i < n; i++) {
		ref = xmlSecPtrListGetItem(&ctx->signedInfoReferences, i);
		if (ref == NULL || ref->status != xmlSecDSigStatusSucceeded)
			return 0;
	}
	return 1;
}

/* Return the URI of the first reference that failed, or NULL if none. */
static const char *
failed_reference_uri(xmlSecDSigCtxPtr ctx)
{
	xmlSecSize n = xmlSecPtrListGetSize(&ctx->signedInfoReferences);
	xmlSecDSigReferenceCtxPtr ref;

	for (xmlSecSize i = 0; i < n; i++) {
		ref = xmlSecPtrListGetItem(&ctx->signedInfoReferences, i);
		if (ref != NULL && ref->status != xmlSecDSigStatusSucceeded)
			return ref->uri ? (const char *)ref->uri : "";
	}
	return NULL;
}

enum variant {
	VARIANT_COMPACT,	/* every blank text node removed */
	VARIANT_INDENTED,	/* compact, then indented by libxml2 */
	VARIANT_SIGNATURE_COMPACT,	/* blanks removed in signatures only */
};

/* Copy doc and normalise the whitespace of the copy by variant. */
static xmlDocPtr
normalised_copy(xmlDocPtr doc, enum variant variant)
{
	xmlDocPtr copy, indented = NULL;
	xmlNodePtr *sigs = NULL;
	xmlChar *text = NULL;
	size_t n_sigs = 0;
	int len = 0;

	copy = xmlCopyDoc(doc, 1);
	if (copy == NULL)
		return NULL;
	if (variant == VARIANT_SIGNATURE_COMPACT) {
		find_signatures(xmlDocGetRootElement(copy), &sigs, &n_sigs);
		for (size_t i = 0; i < n_sigs; i++)
			strip_blank_text(sigs[i]);
		free(sigs);
		return copy;
	}
	strip_blank_text(xmlDocGetRootElement(copy));
	if (variant == VARIANT_COMPACT)
		return copy;

	xmlDocDumpFormatMemoryEnc(copy, &text, &len, "UTF-8", 1);
	xmlFreeDoc(copy);
	if (text == NULL)
		return NULL;
	if (xml_read_memory((const char *)text, (size_t)len, "copy",
	    &indented) != 0)
		indented = NULL;
	xmlFree(text);
	return indented;
}

/*
 * Whether the signature at index verifies once whitespace is normalised.
 * With references_only, a copy counts when its references match even if
 * the signature value does not, because the indenter may have changed
 * SignedInfo as well.
 */
static int
verifies_after_reformatting(xmlDocPtr doc, size_t index,
    xmlSecKeysMngrPtr mngr, int references_only)
{
	const enum variant variants[] = {
		VARIANT_COMPACT, VARIANT_INDENTED, VARIANT_SIGNATURE_COMPACT,
	};
	xmlSecDSigCtxPtr ctx;
	xmlNodePtr sig;
	xmlDocPtr copy;
	int ok = 0;

	for (size_t i = 0; !ok && i < sizeof(variants) / sizeof(variants[0]);
	    i++) {
		copy = normalised_copy(doc, variants[i]);
		if (copy == NULL)
			continue;
		sig = nth_signature(copy, index);
		ctx = sig ? verify_ctx_new(mngr) : NULL;
		if (ctx != NULL && xmlSecDSigCtxVerify(ctx, sig) == 0) {
			if (ctx->status == xmlSecDSigStatusSucceeded)
				ok = 1;
			else if (references_only)
				ok = references_match(ctx, sig);
		}
		if (ctx != NULL)
			xmlSecDSigCtxDestroy(ctx);
		xmlFreeDoc(copy);
	}
	return ok;
}

static char *
certificate_subject(X509 *cert)
{
	unsigned long flags;
	BIO *bio;
	char *data, *subject;
	long len;

	/* RFC 2253 order and escaping, ", " between RDNs, UTF-8 kept. */
	flags = (XN_FLAG_RFC2253 & ~XN_FLAG_SEP_MASK & ~ASN1_STRFLGS_ESC_MSB)
	    | XN_FLAG_SEP_CPLUS_SPC;
	bio = BIO_new(BIO_s_mem());
	if (bio == NULL)
		return xstrdup("(unknown subject)");
	X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0, flags);
	len = BIO_get_mem_data(bio, &data);
	subject = xstrndup(data, len > 0 ? (size_t)len : 0);
	BIO_free(bio);
	return subject;
}

static char *
certificate_fingerprint(X509 *cert)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	struct fp_buf b = { 0 };

	if (X509_digest(cert, EVP_sha256(), md, &n) != 1)
		return xstrdup("");
	for (unsigned int i = 0; i < n; i++)
		fp_buf_printf(&b, "%02x", md[i]);
	return fp_buf_detach(&b);
}

/*
 * Check that cert chains to a certificate in store, using the other
 * certificates of the signature's X509Data as intermediates.  Returns
 * NULL when it does, or OpenSSL's reason.
 */
static const char *
untrusted_reason(X509_STORE *store, X509 *cert, xmlSecKeyDataPtr x509_data)
{
	STACK_OF(X509) *chain = NULL;
	X509_STORE_CTX *ctx = NULL;
	const char *reason = NULL;
	xmlSecSize n;

	chain = sk_X509_new_null();
	ctx = X509_STORE_CTX_new();
	if (chain == NULL || ctx == NULL) {
		reason = "cannot create a certificate chain: out of memory";
		goto out;
	}
	n = xmlSecOpenSSLKeyDataX509GetCertsSize(x509_data);
	for (xmlSecSize i = 0; i < n; i++) {
		X509 *c = xmlSecOpenSSLKeyDataX509GetCert(x509_data, i);

		if (c != NULL && c != cert)
			sk_X509_push(chain, c);
	}
	if (X509_STORE_CTX_init(ctx, store, cert, chain) != 1) {
		reason = "cannot start the certificate check";
		goto out;
	}
	if (X509_verify_cert(ctx) != 1)
		reason = X509_verify_cert_error_string(
		    X509_STORE_CTX_get_error(ctx));
out:
	X509_STORE_CTX_free(ctx);
	sk_X509_free(chain);
	ERR_clear_error();
	return reason;
}

/* Fail with the reason xmlsec could not process a signature. */
static int
processing_failure(const char *name, const char *label)
{
	if (xmlsec_log.unknown_algorithm ||
	    xmlsec_log_has(XMLSEC_ERRORS_R_TRANSFORM_DISABLED) ||
	    xmlsec_log_has(XMLSEC_ERRORS_R_INVALID_URI_TYPE) ||
	    xmlsec_log_has(XMLSEC_ERRORS_R_INVALID_TRANSFORM))
		return fp_fail(FP_EVERIFY, "'%s': %s: %s%s: failproof accepts "
		    "only an enveloped signature over the whole document "
		    "(Reference URI=\"\") with C14N or exclusive C14N, "
		    "SHA-256/384/512 digests and RSA or ECDSA", name, label,
		    xmlsec_log.unknown_algorithm ? "unknown algorithm: " : "",
		    xmlsec_log_text());
	if (xmlsec_log_has(XMLSEC_ERRORS_R_KEY_NOT_FOUND) ||
	    xmlsec_log_has(XMLSEC_ERRORS_R_KEY_DATA_NOT_FOUND))
		return fp_fail(FP_EVERIFY, "'%s': %s: no certificate in "
		    "KeyInfo/X509Data: failproof verifies only signatures that "
		    "carry the signer's X.509 certificate", name, label);
	return fp_fail(FP_EVERIFY, "'%s': %s: the signature cannot be "
	    "processed: %s", name, label, xmlsec_log_text());
}

/* Fail with the reason a processed signature is invalid. */
static int
invalid_signature(xmlDocPtr doc, size_t index, xmlSecKeysMngrPtr mngr,
    xmlSecDSigCtxPtr ctx, const char *name, const char *label)
{
	const char *uri = failed_reference_uri(ctx);

	if (uri != NULL) {
		int reformatted = verifies_after_reformatting(doc, index, mngr,
		    1);

		return fp_fail(FP_EVERIFY, "'%s': %s: digest mismatch for "
		    "Reference URI=\"%s\"%s: %s", name, label, uri,
		    uri[0] == '\0' ? " (the whole document, enveloped)" : "",
		    reformatted ? WHITESPACE_HINT :
		    "the signed content changed after signing");
	}
	if (verifies_after_reformatting(doc, index, mngr, 0))
		return fp_fail(FP_EVERIFY, "'%s': %s: the signature value does "
		    "not match SignedInfo: %s", name, label, WHITESPACE_HINT);
	return fp_fail(FP_EVERIFY, "'%s': %s: the signature value does not "
	    "match SignedInfo: SignedInfo or SignatureValue changed after "
	    "signing, or the signature was not made with the key of the "
	    "certificate in KeyInfo", name, label);
}

/*
 * Accept only the shape failproof writes: SignedInfo, SignatureValue and
 * KeyInfo, in that order, with nothing else.  A ds:Object (or any other
 * child) would carry content that no reference signs yet travels inside
 * the signature, where a reader may take it for signed text.
 */
static int
signature_shape_check(xmlNodePtr sig, const char *name, const char *label)
{
	static const char *const expected[] = { "SignedInfo",
	    "SignatureValue", "KeyInfo" };
	size_t i = 0;

	for (xmlNodePtr c = sig->children; c != NULL; c = c->next) {
		if (c->type == XML_TEXT_NODE && xmlIsBlankNode(c))
			continue;
		if (c->type != XML_ELEMENT_NODE || i == 3 ||
		    !is_dsig_element(c, expected[i]))
			return fp_fail(FP_EVERIFY, "'%s': %s: unexpected content "
			    "<%s> in the signature: failproof signatures hold "
			    "only SignedInfo, SignatureValue and KeyInfo", name,
			    label, c->name ? (const char *)c->name : "text");
		i++;
	}
	if (i != 3)
		return fp_fail(FP_EVERIFY, "'%s': %s: the signature lacks "
		    "SignedInfo, SignatureValue or KeyInfo", name, label);
	return 0;
}

/* Verify the signature at index and describe its signer in *signer. */
static int
verify_one(xmlDocPtr doc, size_t index, size_t count, const char *name,
    xmlSecKeysMngrPtr mngr, X509_STORE *trust, const char *trusted_pem,
    struct xml_signer *signer)
{
	xmlSecDSigCtxPtr ctx = NULL;
	xmlSecKeyDataPtr x509_data;
	xmlNodePtr sig;
	const char *reason;
	char *label;
	X509 *cert;
	int rc = 0;

	label = signature_label(index, count);
	sig = nth_signature(doc, index);
	ctx = verify_ctx_new(mngr);
	if (sig == NULL || ctx == NULL) {
		rc = fp_fail(FP_ECRYPTO, "'%s': %s: cannot create an xmlsec "
		    "verification context: %s", name, label,
		    xmlsec_log_text());
		goto out;
	}

	if ((rc = signature_shape_check(sig, name, label)) != 0 ||
	    (rc = signoff_signature_check(sig, name, label)) != 0)
		goto out;
	xmlsec_log_clear();
	if (xmlSecDSigCtxVerify(ctx, sig) < 0) {
		rc = processing_failure(name, label);
		goto out;
	}
	if (ctx->status != xmlSecDSigStatusSucceeded) {
		rc = invalid_signature(doc, index, mngr, ctx, name, label);
		goto out;
	}

	x509_data = ctx->signKey ?
	    xmlSecKeyGetData(ctx->signKey, xmlSecKeyDataX509Id) : NULL;
	cert = x509_data ? xmlSecOpenSSLKeyDataX509GetKeyCert(x509_data) :
	    NULL;
	if (cert == NULL) {
		rc = fp_fail(FP_EVERIFY, "'%s': %s: the signing key did not "
		    "come from a certificate in KeyInfo/X509Data", name,
		    label);
		goto out;
	}
	signer->subject = certificate_subject(cert);
	signer->fingerprint = certificate_fingerprint(cert);
	if (signature_role(sig) == SIGNATURE_SIGNOFF) {
		xmlChar *id = xmlGetNsProp(sig->parent, BAD_CAST "id",
		    XML_XML_NAMESPACE);

		signer->signoff_id = xstrdup(id ? (const char *)id : "");
		xmlFree(id);
	}
	if (trust == NULL)
		goto out;
	reason = untrusted_reason(trust, cert, x509_data);
	if (reason != NULL) {
		rc = fp_fail(FP_EVERIFY, "'%s': %s: the signature is intact "
		    "but its signer '%s' (SHA-256 fingerprint %s) is not "
		    "trusted by '%s': %s", name, label, signer->subject,
		    signer->fingerprint, trusted_pem, reason);
		goto out;
	}
	signer->trusted = 1;
out:
	if (ctx != NULL)
		xmlSecDSigCtxDestroy(ctx);
	free(label);
	return rc;
}

/* Return <provenance evidence-commit> of a failproof report, or NULL. */
static char *
evidence_commit(xmlDocPtr doc)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	xmlChar *value;
	char *commit;

	if (root->ns == NULL ||
	    !xmlStrEqual(root->ns->href, BAD_CAST REPORT_XML_NS))
		return NULL;
	for (xmlNodePtr cur = root->children; cur != NULL; cur = cur->next) {
		if (cur->type != XML_ELEMENT_NODE || cur->ns != root->ns ||
		    !xmlStrEqual(cur->name, BAD_CAST "provenance"))
			continue;
		value = xmlGetNoNsProp(cur, BAD_CAST "evidence-commit");
		if (value == NULL)
			return NULL;
		commit = xstrdup((const char *)value);
		xmlFree(value);
		return commit;
	}
	return NULL;
}

int
xml_verify_memory(const char *data, size_t len, const char *name,
    const char *trusted_cert_pem, struct xml_verify_result *out)
{
	struct xml_verify_result res = { 0 };
	xmlSecKeysMngrPtr mngr = NULL;
	X509_STORE *trust = NULL;
	struct libxml_quiet quiet;
	xmlNodePtr *sigs = NULL;
	xmlDocPtr doc = NULL;
	size_t n_sigs = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = xml_sign_init()) != 0)
		return rc;
	libxml_quiet_begin(&quiet);
	if ((rc = xml_read_memory(data, len, name, &doc)) != 0)
		goto out;

	find_signatures(xmlDocGetRootElement(doc), &sigs, &n_sigs);
	free(sigs);
	if (n_sigs == 0) {
		rc = fp_fail(FP_EVERIFY, "'%s' has no ds:Signature element: "
		    "the file is not signed", name);
		goto out;
	}
	if ((rc = signoff_document_check(doc, name)) != 0)
		goto out;
	if (trusted_cert_pem != NULL &&
	    (rc = load_trust_store(trusted_cert_pem, &trust)) != 0)
		goto out;
	mngr = keys_manager_new();
	if (mngr == NULL) {
		rc = fp_fail(FP_ECRYPTO, "cannot create an xmlsec keys "
		    "manager: %s", xmlsec_log_text());
		goto out;
	}

	res.signers = xcalloc(n_sigs, sizeof(*res.signers));
	res.n_signers = n_sigs;
	for (size_t i = 0; i < n_sigs; i++) {
		rc = verify_one(doc, i, n_sigs, name, mngr, trust,
		    trusted_cert_pem, &res.signers[i]);
		if (rc != 0)
			goto out;
	}
	res.evidence_commit = evidence_commit(doc);
	*out = res;
	memset(&res, 0, sizeof(res));
out:
	xml_verify_result_release(&res);
	if (mngr != NULL)
		xmlSecKeysMngrDestroy(mngr);
	X509_STORE_free(trust);
	xmlFreeDoc(doc);
	ERR_clear_error();
	libxml_quiet_end(&quiet);
	return rc;
}

int
xml_verify_file(const char *path, const char *trusted_cert_pem,
    struct xml_verify_result *out)
{
	char *data = NULL;
	size_t len = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = fp_read_file(path, XML_SIGN_MAX_FILE, &data, &len);
	if (rc != 0)
		return rc;
	rc = xml_verify_memory(data, len, path, trusted_cert_pem, out);
	free(data);
	return rc;
}

void
xml_verify_result_release(struct xml_verify_result *res)
{
	for (size_t i = 0; i < res->n_signers; i++) {
		free(res->signers[i].subject);
		free(res->signers[i].fingerprint);
		free(res->signers[i].signoff_id);
	}
	free(res->signers);
	free(res->evidence_commit);
	memset(res, 0, sizeof(*res));
}
