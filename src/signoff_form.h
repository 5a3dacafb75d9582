/*
 * The two XML-DSig signatures a failproof XML report can carry, and the
 * checks that a document uses no other form.
 *
 * The report signature is a child of <report>.  Its one Reference has
 * URI="" and the transforms enveloped-signature, an XPath Filter 2.0
 * "subtract" of /r:report/r:reviewer-signoff, and a canonicalisation:
 * it covers the whole report except reviewers' sign-offs, which are
 * appended after it was made.
 *
 * A reviewer's sign-off is a <reviewer-signoff xml:id="review-N">
 * appended to <report> after the report signature, with no text around
 * it.  Its own ds:Signature, its last child, has two references:
 * URI="#review-N" (enveloped) for the sign-off itself, and URI="" with an
 * XPath Filter 2.0 "intersect" of /r:report/ds:Signature for the report
 * signature, which in turn covers the report.  xmlsec1 --verify checks
 * the first signature of a file; its --node-xpath option selects the
 * sign-off's, for example the second ds:Signature of the document.
 *
 * Only libxml2 is used here; xml_sign.c makes and checks the signatures.
 */
#ifndef FP_SIGNOFF_FORM_H
#define FP_SIGNOFF_FORM_H

#include <libxml/tree.h>

#define SIGNOFF_ELEMENT "reviewer-signoff"
#define XPATH2_NS "http://www.w3.org/2002/06/xmldsig-filter2"
/* Subtracted by the report signature: the sign-offs. */
#define SIGNOFF_EXCLUDE_XPATH "/r:report/r:reviewer-signoff"
/* Intersected by a sign-off signature: the report signature. */
#define SIGNOFF_REPORT_XPATH "/r:report/ds:Signature"

/* What a ds:Signature signs, by where it is in the document. */
enum signature_role {
	SIGNATURE_MISPLACED,
	SIGNATURE_REPORT,	/* a child of the root element */
	SIGNATURE_SIGNOFF,	/* the child of a root's reviewer-signoff */
};

enum signature_role signature_role(xmlNodePtr sig);

/*
 * Check the parts of a document's structure that xmlsec does not: at
 * most one report signature, every sign-off with a unique xml:id that
 * the document's ID table resolves to that element, exactly one
 * signature per sign-off, and a report signature that excludes the
 * sign-offs whenever a sign-off is present.  name labels messages.
 * Returns 0 or FP_EVERIFY.
 */
int signoff_document_check(xmlDocPtr doc, const char *name);

/*
 * Check one signature's placement, references and XPath filters against
 * the two forms above.  Algorithms and other transforms are left to
 * xmlsec's allow-lists.  Returns 0 or FP_EVERIFY naming name and label.
 */
int signoff_signature_check(xmlNodePtr sig, const char *name,
    const char *label);

/*
 * Whether the report signature of doc excludes sign-offs, so that a
 * sign-off can be appended without breaking it.
 */
int signoff_report_accepts(xmlDocPtr doc);

#endif
