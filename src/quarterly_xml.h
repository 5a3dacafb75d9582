/*
 * The quarterly report as XML in the namespace urn:failproof:quarterly:1,
 * validated against schema/quarterly.xsd and signed with an enveloped
 * XML-DSig signature, like the report of a run.
 */
#ifndef FP_QUARTERLY_XML_H
#define FP_QUARTERLY_XML_H

#include <libxml/tree.h>

#include "quarterly.h"

#define QUARTERLY_XML_NS "urn:failproof:quarterly:1"

/* Build the unsigned, unindented document; *out is freed with xmlFreeDoc. */
int quarterly_xml_build(const struct quarterly *q, xmlDocPtr *out);

/*
 * Build, indent, validate against the shipped schema/quarterly.xsd, sign
 * with the PEM key and certificate, check the signature and write the
 * signed bytes to path (through a temporary file renamed over it).
 */
int quarterly_xml_write(const struct quarterly *q, const char *path,
    const char *key_pem, const char *cert_pem);

#endif
