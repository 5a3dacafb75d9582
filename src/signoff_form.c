/*
 * Structural checks of signed XML reports: where each ds:Signature sits,
 * what its references point at and which XPath filters they apply.  The
 * XPath expressions are compared as text with fixed prefix bindings, so
 * a document cannot widen what a filter removes from the signed content.
 */
#include <stdlib.h>
#include <string.h>

#include "report_xml.h"
#include "signoff_form.h"
#include "util.h"

#define DSIG_NS "http://www.w3.org/2000/09/xmldsig#"
#define DSIG_ENVELOPED DSIG_NS "enveloped-signature"
#define NO_FILTER "the XPath filter of the sign-off form is missing"

static int
is_element(xmlNodePtr node, const char *ns, const char *local)
{
	return node != NULL && node->type == XML_ELEMENT_NODE &&
	    node->ns != NULL && xmlStrEqual(node->ns->href, BAD_CAST ns) &&
	    xmlStrEqual(node->name, BAD_CAST local);
}

static xmlNodePtr
first_child(xmlNodePtr parent, const char *ns, const char *local)
{
	for (xmlNodePtr cur = parent ? parent->children : NULL; cur != NULL;
	    cur = cur->next)
		if (is_element(cur, ns, local))
			return cur;
	return NULL;
}

static size_t
count_children(xmlNodePtr parent, const char *ns, const char *local)
{
	size_t n = 0;

	for (xmlNodePtr cur = parent->children; cur != NULL; cur = cur->next)
		if (is_element(cur, ns, local))
			n++;
	return n;
}

static int
is_signoff(xmlNodePtr node)
{
	return is_element(node, REPORT_XML_NS, SIGNOFF_ELEMENT) &&
	    node->parent != NULL && node->parent->type == XML_ELEMENT_NODE &&
	    node->parent->parent != NULL &&
	    node->parent->parent->type == XML_DOCUMENT_NODE;
}

enum signature_role
signature_role(xmlNodePtr sig)
{
	xmlNodePtr parent = sig->parent;

	if (parent != NULL && parent->type == XML_ELEMENT_NODE &&
	    parent->parent != NULL &&
	    parent->parent->type == XML_DOCUMENT_NODE)
		return SIGNATURE_REPORT;
	if (is_signoff(parent))
		return SIGNATURE_SIGNOFF;
	return SIGNATURE_MISPLACED;
}

/* The xml:id of a sign-off, or NULL; free with xmlFree(). */
static xmlChar *
signoff_id(xmlNodePtr signoff)
{
	return xmlGetNsProp(signoff, BAD_CAST "id", XML_XML_NAMESPACE);
}

/* The text of an XPath filter without surrounding white space. */
static char *
trimmed_text(xmlNodePtr node)
{
	xmlChar *text = xmlNodeGetContent(node);
	const char *p = text ? (const char *)text : "";
	size_t len;
	char *out;

	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	len = strlen(p);
	while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t' ||
	    p[len - 1] == '\n' || p[len - 1] == '\r'))
		len--;
	out = xstrndup(p, len);
	xmlFree(text);
	return out;
}

static int
prefix_bound(xmlNodePtr node, const char *prefix, const char *href)
{
	xmlNsPtr ns = xmlSearchNs(node->doc, node, BAD_CAST prefix);

	return ns != NULL && xmlStrEqual(ns->href, BAD_CAST href);
}

/*
 * Check the XPath Filter 2.0 transforms of a reference: there must be
 * exactly `expected` of them (0 or 1), with the given filter type and
 * expression.  *enveloped is set when the enveloped transform is present.
 */
static const char *
check_transforms(xmlNodePtr ref, int expected, const char *filter,
    const char *expression, int *enveloped)
{
	xmlNodePtr transforms = first_child(ref, DSIG_NS, "Transforms");
	int found = 0;

	*enveloped = 0;
	for (xmlNodePtr t = transforms ? transforms->children : NULL;
	    t != NULL; t = t->next) {
		xmlChar *alg;
		xmlNodePtr xpath;
		char *text;
		int is_xpath2, ok;

		if (!is_element(t, DSIG_NS, "Transform"))
			continue;
		alg = xmlGetNoNsProp(t, BAD_CAST "Algorithm");
		is_xpath2 = alg && xmlStrEqual(alg, BAD_CAST XPATH2_NS);
		if (alg && xmlStrEqual(alg, BAD_CAST DSIG_ENVELOPED))
			*enveloped = 1;
		xmlFree(alg);
		if (!is_xpath2)
			continue;
		if (++found > expected)
			return "an XPath filter that failproof does not use";
		xpath = first_child(t, XPATH2_NS, "XPath");
		if (xpath == NULL || count_children(t, XPATH2_NS, "XPath") != 1)
			return "an XPath filter with other than one expression";
		alg = xmlGetNoNsProp(xpath, BAD_CAST "Filter");
		ok = alg && xmlStrEqual(alg, BAD_CAST filter);
		xmlFree(alg);
		text = trimmed_text(xpath);
		ok = ok && strcmp(text, expression) == 0 &&
		    prefix_bound(xpath, "r", REPORT_XML_NS) &&
		    (strstr(expression, "ds:") == NULL ||
		    prefix_bound(xpath, "ds", DSIG_NS));
		free(text);
		if (!ok)
			return "an XPath filter other than failproof's";
	}
	if (found != expected)
		return NO_FILTER;
	return NULL;
}

static size_t
references(xmlNodePtr sig, xmlNodePtr refs[3])
{
	xmlNodePtr info = first_child(sig, DSIG_NS, "SignedInfo");
	size_t n = 0;

	for (xmlNodePtr cur = info ? info->children : NULL; cur != NULL;
	    cur = cur->next)
		if (is_element(cur, DSIG_NS, "Reference")) {
			if (n < 3)
				refs[n] = cur;
			n++;
		}
	return n;
}

static int
uri_is(xmlNodePtr ref, const char *expected)
{
	xmlChar *uri = xmlGetNoNsProp(ref, BAD_CAST "URI");
	int same = uri != NULL && xmlStrEqual(uri, BAD_CAST expected);

	xmlFree(uri);
	return same;
}

static int
form_fail(const char *name, const char *label, const char *what)
{
	return fp_fail(FP_EVERIFY, "'%s': %s: %s: failproof accepts only an "
	    "enveloped signature over the whole document, with reviewers' "
	    "sign-offs excluded, and sign-off signatures over their own "
	    "<" SIGNOFF_ELEMENT "> and the report signature", name, label,
	    what);
}

static int
check_report_signature(xmlNodePtr sig, const char *name, const char *label)
{
	xmlNodePtr refs[3] = { NULL };
	const char *problem;
	xmlChar *uri;
	int enveloped, fragment;

	if (references(sig, refs) != 1)
		return form_fail(name, label, "the report signature must have "
		    "exactly one reference");
	/* Other URI types are left to xmlsec, which names them. */
	uri = xmlGetNoNsProp(refs[0], BAD_CAST "URI");
	fragment = uri != NULL && uri[0] == '#';
	xmlFree(uri);
	if (fragment)
		return form_fail(name, label, "the report signature refers to "
		    "part of the document instead of all of it (URI=\"\")");
	/* Reports signed before sign-offs existed have no filter. */
	problem = check_transforms(refs[0], 1, "subtract",
	    SIGNOFF_EXCLUDE_XPATH, &enveloped);
	if (problem != NULL && strcmp(problem, NO_FILTER) != 0)
		return form_fail(name, label, problem);
	return 0;
}

static int
check_signoff_signature(xmlNodePtr sig, const char *name, const char *label)
{
	xmlNodePtr refs[3] = { NULL };
	const char *problem;
	xmlChar *id;
	char *own;
	int enveloped, same;

	if (references(sig, refs) != 2)
		return form_fail(name, label, "a sign-off signature must have "
		    "exactly two references");
	id = signoff_id(sig->parent);
	own = xasprintf("#%s", id ? (const char *)id : "");
	same = id != NULL && uri_is(refs[0], own);
	free(own);
	xmlFree(id);
	if (!same)
		return form_fail(name, label, "the first reference of a "
		    "sign-off signature must be the xml:id of its own "
		    "<" SIGNOFF_ELEMENT ">");
	if ((problem = check_transforms(refs[0], 0, "", "", &enveloped)) != NULL)
		return form_fail(name, label, problem);
	if (!enveloped)
		return form_fail(name, label, "the sign-off reference lacks the "
		    "enveloped-signature transform");
	if (!uri_is(refs[1], ""))
		return form_fail(name, label, "the second reference of a "
		    "sign-off signature must be URI=\"\" filtered to the report "
		    "signature");
	problem = check_transforms(refs[1], 1, "intersect",
	    SIGNOFF_REPORT_XPATH, &enveloped);
	if (problem != NULL)
		return form_fail(name, label, problem);
	return 0;
}

int
signoff_signature_check(xmlNodePtr sig, const char *name, const char *label)
{
	switch (signature_role(sig)) {
	case SIGNATURE_REPORT:
		return check_report_signature(sig, name, label);
	case SIGNATURE_SIGNOFF:
		return check_signoff_signature(sig, name, label);
	default:
		return form_fail(name, label, "a ds:Signature must be the "
		    "report's (a child of the root element) or the last child "
		    "of a <" SIGNOFF_ELEMENT ">");
	}
}

int
signoff_report_accepts(xmlDocPtr doc)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), sig, refs[3] = { NULL };
	int enveloped;

	sig = first_child(root, DSIG_NS, "Signature");
	if (sig == NULL || references(sig, refs) != 1)
		return 0;
	return check_transforms(refs[0], 1, "subtract", SIGNOFF_EXCLUDE_XPATH,
	    &enveloped) == NULL;
}

int
signoff_document_check(xmlDocPtr doc, const char *name)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	size_t n_signoffs = 0;
	xmlAttrPtr owner;
	xmlChar *id;

	if (count_children(root, DSIG_NS, "Signature") > 1)
		return fp_fail(FP_EVERIFY, "'%s': the root element has more "
		    "than one ds:Signature: a report has one signature, and "
		    "reviewers sign inside their <" SIGNOFF_ELEMENT ">", name);
	for (xmlNodePtr cur = root->children; cur != NULL; cur = cur->next) {
		if (!is_element(cur, REPORT_XML_NS, SIGNOFF_ELEMENT))
			continue;
		n_signoffs++;
		id = signoff_id(cur);
		owner = id ? xmlGetID(doc, id) : NULL;
		/* A second element with the same xml:id would let a changed
		 * sign-off borrow the digest of an unchanged copy. */
		if (owner == NULL || owner->parent != cur) {
			fp_fail(FP_EVERIFY, "'%s' line %ld: <" SIGNOFF_ELEMENT
			    "> %s: its xml:id must be present and unique in "
			    "the document", name, xmlGetLineNo(cur),
			    id ? (const char *)id : "without xml:id");
			xmlFree(id);
			return FP_EVERIFY;
		}
		xmlFree(id);
		if (count_children(cur, DSIG_NS, "Signature") != 1)
			return fp_fail(FP_EVERIFY, "'%s' line %ld: a <"
			    SIGNOFF_ELEMENT "> must hold exactly one "
			    "ds:Signature, the reviewer's", name,
			    xmlGetLineNo(cur));
	}
	if (n_signoffs > 0 && !signoff_report_accepts(doc))
		return fp_fail(FP_EVERIFY, "'%s' has reviewers' sign-offs but "
		    "its report signature does not exclude them", name);
	return 0;
}
