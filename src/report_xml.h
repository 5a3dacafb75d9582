/*
 * The XML report: the report model serialised in the namespace
 * urn:failproof:report:1, checked against schema/report.xsd, signed with
 * XML-DSig and written byte for byte as signed.
 */
#ifndef FP_REPORT_XML_H
#define FP_REPORT_XML_H

#include <libxml/tree.h>

#include "report.h"

#define REPORT_XML_NS "urn:failproof:report:1"

/*
 * Build the report document from the model, without indentation and
 * without a signature.  Values the model marks absent (NULL,
 * FP_TIME_NONE, -1) are left out.  In text that is not valid UTF-8 or
 * contains characters XML cannot represent, those bytes are written as
 * \xNN.
 * On success *out is a new document the caller frees with xmlFreeDoc();
 * on failure it is NULL.
 */
int report_xml_build(const struct report *r, xmlDocPtr *out);

/*
 * Validate a report document against the XML schema at xsd_path, then
 * check that the verdict's cause belongs to the verdict.  Returns 0, or
 * FP_EINVAL with every schema error (line and element path) in the
 * message; FP_EIO when the schema cannot be read.
 */
int report_xml_validate(xmlDocPtr doc, const char *xsd_path);

/*
 * Build, indent, validate against the shipped schema/report.xsd and sign
 * the report with the PEM private key and certificate, then write the
 * signed bytes to path.  The file is written once, through a temporary
 * file in the same directory that is renamed over path, and it is never
 * re-indented after signing, so xmlsec1 --verify accepts it as written.
 * The serialised bytes are verified before they are written.
 */
int report_xml_write(const struct report *r, const char *path,
    const char *key_pem, const char *cert_pem);

#endif
