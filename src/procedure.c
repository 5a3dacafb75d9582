/*
 * Loading the procedure definition.  The document is parsed without
 * network access or entity expansion, a DOCTYPE is rejected, and the
 * result must validate against schema/procedure.xsd before any field is
 * read.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "paths.h"
#include "procedure.h"
#include "util.h"

#define PROCEDURE_NS "urn:failproof:procedure:1"
#define DEFINITION_LIMIT (1 << 20)

struct schema_errors {
	struct fp_buf text;
	int count;
};

static void
collect_error(void *ctx, const xmlError *err)
{
	struct schema_errors *e = ctx;

	if (e->count++ < 5)
		fp_buf_printf(&e->text, "%sline %d: %s", e->text.len ? "; " : "",
		    err->line, err->message ? err->message : "invalid");
	while (e->text.len > 0 && e->text.data[e->text.len - 1] == '\n')
		e->text.data[--e->text.len] = '\0';
}

static int
validate(xmlDocPtr doc, const char *name)
{
	struct schema_errors errs = { { 0 }, 0 };
	xmlSchemaParserCtxtPtr pctx = NULL;
	xmlSchemaValidCtxtPtr vctx = NULL;
	xmlSchemaPtr schema = NULL;
	char *xsd;
	int rc = 0;

	xsd = fp_data_path("schema/procedure.xsd");
	if (xsd == NULL)
		return FP_ENOTFOUND;
	pctx = xmlSchemaNewParserCtxt(xsd);
	schema = pctx ? xmlSchemaParse(pctx) : NULL;
	if (schema == NULL) {
		rc = fp_fail(FP_EINVAL, "cannot load the schema '%s'", xsd);
		goto out;
	}
	vctx = xmlSchemaNewValidCtxt(schema);
	xmlSchemaSetValidStructuredErrors(vctx, (xmlStructuredErrorFunc)
	    collect_error, &errs);
	if (xmlSchemaValidateDoc(vctx, doc) != 0)
		rc = fp_fail(FP_EINVAL, "procedure '%s' does not match "
		    "schema/procedure.xsd: %s", name,
		    errs.text.data ? errs.text.data : "invalid");
out:
	fp_buf_free(&errs.text);
	xmlSchemaFreeValidCtxt(vctx);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pctx);
	free(xsd);
	return rc;
}

static xmlNodePtr
child(xmlNodePtr node, const char *name)
{
	for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

static char *
child_text(xmlNodePtr node, const char *name)
{
	xmlNodePtr c = child(node, name);
	xmlChar *t;
	char *s;

	if (c == NULL)
		return NULL;
	t = xmlNodeGetContent(c);
	s = xstrdup(t ? (const char *)t : "");
	xmlFree(t);
	return s;
}

static char *
attr(xmlNodePtr node, const char *name)
{
	xmlChar *v = xmlGetProp(node, (const xmlChar *)name);
	char *s;

	if (v == NULL)
		return NULL;
	s = xstrdup((const char *)v);
	xmlFree(v);
	return s;
}

static void
read_items(xmlNodePtr parent, const char *name, size_t *n,
    struct procedure_item **items)
{
	size_t count = 0;

	for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, name) == 0)
			count++;
	*items = xcalloc(count, sizeof(**items));
	*n = 0;
	for (xmlNodePtr c = parent ? parent->children : NULL; c; c = c->next) {
		struct procedure_item *it;
		char *v;

		if (c->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)c->name, name) != 0)
			continue;
		it = &(*items)[(*n)++];
		it->id = attr(c, "id");
		it->title = child_text(c, "title");
		it->text = child_text(c, "text");
		it->kind = attr(c, "kind");
		if ((v = attr(c, "number")) != NULL)
			it->number = (int)strtol(v, NULL, 10);
		free(v);
		if ((v = attr(c, "needs-traffic")) != NULL)
			it->needs_traffic = strcmp(v, "true") == 0 ||
			    strcmp(v, "1") == 0;
		free(v);
	}
}

static void
read_fields(xmlNodePtr root, struct procedure *p)
{
	xmlNodePtr dc = child(root, "document-control");
	char *v;

	p->id = attr(root, "id");
	p->title = child_text(dc, "title");
	p->revision = child_text(dc, "revision");
	p->change_category = child_text(dc, "change-category");
	p->review_cycle = child_text(dc, "review-cycle");
	v = attr(child(root, "threshold"), "max-outage-ms");
	p->max_outage_ms = v ? strtoll(v, NULL, 10) : 5000;
	free(v);
	v = attr(child(root, "repeatability"), "max-spread-ms");
	p->max_spread_ms = v ? strtoll(v, NULL, 10) : -1;
	free(v);
	read_items(child(root, "preconditions"), "precondition",
	    &p->n_preconditions, &p->preconditions);
	read_items(child(root, "criteria"), "criterion", &p->n_criteria,
	    &p->criteria);
	read_items(child(root, "scenarios"), "scenario", &p->n_scenarios,
	    &p->scenarios);
}

int
procedure_load_text(const char *xml, const char *name, struct procedure *out)
{
	xmlDocPtr doc;
	xmlNodePtr root;
	size_t len = strlen(xml);
	int rc;

	memset(out, 0, sizeof(*out));
	if (len > DEFINITION_LIMIT)
		return fp_fail(FP_EINVAL, "procedure '%s' is larger than %d "
		    "bytes", name, DEFINITION_LIMIT);
	doc = xmlReadMemory(xml, (int)len, name, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL) {
		const xmlError *e = xmlGetLastError();

		return fp_fail(FP_EINVAL, "procedure '%s' line %d: not "
		    "well-formed XML: %s", name, e ? e->line : 0,
		    e && e->message ? e->message : "parse error");
	}
	if (doc->intSubset != NULL) {
		rc = fp_fail(FP_EINVAL, "procedure '%s': a DOCTYPE is not "
		    "allowed; remove it", name);
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (root == NULL || root->ns == NULL ||
	    strcmp((const char *)root->ns->href, PROCEDURE_NS) != 0) {
		rc = fp_fail(FP_EINVAL, "procedure '%s': the root element must "
		    "be <procedure xmlns=\"%s\">", name, PROCEDURE_NS);
		goto out;
	}
	if ((rc = validate(doc, name)) != 0)
		goto out;
	read_fields(root, out);
	out->xml = xstrdup(xml);
	out->sha256 = xmalloc(65);
	fp_sha256_hex(xml, len, out->sha256);
out:
	xmlFreeDoc(doc);
	return rc;
}

int
procedure_load_file(const char *path, struct procedure *out)
{
	char *owned = NULL, *data = NULL;
	size_t len;
	int rc;

	if (path == NULL) {
		owned = fp_data_path("templates/vpn-ha-failover-test.xml");
		if (owned == NULL)
			return FP_ENOTFOUND;
		path = owned;
	}
	rc = fp_read_file(path, DEFINITION_LIMIT, &data, &len);
	if (rc == 0 && memchr(data, '\0', len) != NULL)
		rc = fp_fail(FP_EINVAL, "procedure '%s' contains a NUL byte",
		    path);
	if (rc == 0)
		rc = procedure_load_text(data, fp_basename(path), out);
	free(data);
	free(owned);
	return rc;
}

static void
items_free(struct procedure_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(items[i].id);
		free(items[i].title);
		free(items[i].text);
		free(items[i].kind);
	}
	free(items);
}

void
procedure_release(struct procedure *p)
{
	free(p->id);
	free(p->title);
	free(p->revision);
	free(p->change_category);
	free(p->review_cycle);
	items_free(p->preconditions, p->n_preconditions);
	items_free(p->criteria, p->n_criteria);
	items_free(p->scenarios, p->n_scenarios);
	free(p->sha256);
	free(p->xml);
	memset(p, 0, sizeof(*p));
}

const struct procedure_item *
procedure_scenario(const struct procedure *p, int number)
{
	for (size_t i = 0; i < p->n_scenarios; i++)
		if (p->scenarios[i].number == number)
			return &p->scenarios[i];
	return NULL;
}

const struct procedure_item *
procedure_criterion(const struct procedure *p, const char *id)
{
	for (size_t i = 0; i < p->n_criteria; i++)
		if (strcmp(p->criteria[i].id, id) == 0)
			return &p->criteria[i];
	return NULL;
}
