/*
 * Appending and signing a reviewer's sign-off in a signed XML report.
 * The report is parsed, the sign-off added without any text around it
 * (the report signature covers the text between elements), and the
 * document is serialised once after signing.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>
#include <libxml/xmlstring.h>

#include "paths.h"
#include "report_xml.h"
#include "signoff_form.h"
#include "signoff_xml.h"
#include "xml_sign.h"

/* Text a reviewer typed: UTF-8 without control characters but tab and
 * line breaks, which XML 1.0 cannot hold or a terminal would act on. */
static int
check_text(const char *text, const char *what)
{
	if (!xmlCheckUTF8(BAD_CAST text))
		return fp_fail(FP_EINVAL, "the %s is not valid UTF-8", what);
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r') ||
		    *p == 0x7f)
			return fp_fail(FP_EINVAL, "the %s contains the control "
			    "character \\x%02x", what, *p);
	return 0;
}

static xmlNodePtr
build_signoff(xmlDocPtr doc, xmlNodePtr root, const struct signoff *so)
{
	char at[FP_TIME_STRLEN];
	xmlNodePtr node, child;
	xmlNsPtr xml_ns;

	fp_time_format_ms(so->at, at, sizeof(at));
	node = xmlNewDocNode(doc, root->ns, BAD_CAST SIGNOFF_ELEMENT, NULL);
	xml_ns = xmlSearchNs(doc, root, BAD_CAST "xml");
	if (node == NULL || xml_ns == NULL) {
		xmlFreeNode(node);
		return NULL;
	}
	xmlSetNsProp(node, xml_ns, BAD_CAST "id", BAD_CAST so->id);
	xmlSetProp(node, BAD_CAST "decision", BAD_CAST so->decision);
	xmlSetProp(node, BAD_CAST "at", BAD_CAST at);
	xmlNewTextChild(node, root->ns, BAD_CAST "reviewer",
	    BAD_CAST so->reviewer);
	xmlNewTextChild(node, root->ns, BAD_CAST "comment",
	    BAD_CAST so->comment);
	child = xmlNewChild(node, root->ns, BAD_CAST "covers", NULL);
	xmlSetProp(child, BAD_CAST "report", BAD_CAST so->report_tag);
	xmlSetProp(child, BAD_CAST "xml-sha256",
	    BAD_CAST so->report_xml_sha256);
	xmlSetProp(child, BAD_CAST "evidence-commit",
	    BAD_CAST so->evidence_commit);
	child = xmlNewChild(node, root->ns, BAD_CAST "certificate", NULL);
	xmlSetProp(child, BAD_CAST "subject", BAD_CAST so->cert_subject);
	xmlSetProp(child, BAD_CAST "spki-sha256",
	    BAD_CAST so->cert_spki_sha256);
	return node;
}

int
signoff_xml_sign(const char *data, size_t len, const char *name,
    const struct signoff *so, const char *key_pem, const char *cert_pem,
    char **out, size_t *out_len)
{
	struct xml_verify_result check = { 0 };
	xmlNodePtr root, signoff;
	xmlDocPtr doc = NULL;
	xmlChar *text = NULL;
	char *xsd = NULL;
	int size = 0, rc;

	*out = NULL;
	*out_len = 0;
	if ((rc = check_text(so->reviewer, "reviewer's name")) != 0 ||
	    (rc = check_text(so->comment, "comment")) != 0)
		return rc;
	if ((rc = xml_sign_init()) != 0)
		return rc;
	/* The input must verify: a sign-off over a broken report is void. */
	if ((rc = xml_verify_memory(data, len, name, NULL, &check)) != 0)
		return rc;
	xml_verify_result_release(&check);
	if ((rc = xml_read_memory(data, len, name, &doc)) != 0)
		return rc;
	root = xmlDocGetRootElement(doc);
	if (root->ns == NULL ||
	    !xmlStrEqual(root->ns->href, BAD_CAST REPORT_XML_NS) ||
	    !xmlStrEqual(root->name, BAD_CAST "report")) {
		rc = fp_fail(FP_EINVAL, "'%s' is not a failproof XML report",
		    name);
		goto out;
	}

	signoff = build_signoff(doc, root, so);
	if (signoff == NULL) {
		rc = fp_fail(FP_EIO, "cannot build the sign-off: out of memory");
		goto out;
	}
	xmlAddChild(root, signoff);
	xsd = fp_data_path("schema/report.xsd");
	if (xsd == NULL) {
		rc = FP_ENOTFOUND;
		goto out;
	}
	if ((rc = report_xml_validate(doc, xsd)) != 0 ||
	    (rc = xml_sign_signoff(signoff, key_pem, cert_pem)) != 0) {
		fp_fail_context(rc, "'%s'", name);
		goto out;
	}

	xmlDocDumpMemoryEnc(doc, &text, &size, "UTF-8");
	if (text == NULL) {
		rc = fp_fail(FP_EIO, "cannot serialise the signed sign-off: "
		    "out of memory");
		goto out;
	}
	if ((rc = xml_verify_memory((const char *)text, (size_t)size, name,
	    NULL, &check)) != 0) {
		fp_fail_context(rc, "the signed sign-off does not verify "
		    "before it is written");
		goto out;
	}
	*out = xstrndup((const char *)text, (size_t)size);
	*out_len = (size_t)size;
out:
	xml_verify_result_release(&check);
	xmlFree(text);
	free(xsd);
	xmlFreeDoc(doc);
	return rc;
}
