/* Reading back the evidence a report cites. */
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "report_cited.h"
#include "report_pdf.h"
#include "util.h"
#include "xml_sign.h"

static int
is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return 1;
}

static void
add_sha(struct report_cited *c, const char *s)
{
	c->sha256 = xrealloc(c->sha256, (c->n + 1) * sizeof(*c->sha256));
	memcpy(c->sha256[c->n], s, 64);
	c->sha256[c->n][64] = '\0';
	c->n++;
}

int
report_cited_from_keywords(const char *keywords, struct report_cited *out)
{
	const char *p;

	memset(out, 0, sizeof(*out));
	p = keywords ? strstr(keywords, REPORT_PDF_COMMIT_KEYWORD) : NULL;
	if (p == NULL)
		return fp_fail(FP_EVERIFY, "the PDF names no evidence commit: "
		    "it was not issued by failproof");
	p += strlen(REPORT_PDF_COMMIT_KEYWORD);
	if (strlen(p) < 40 || !is_hex(p, 40))
		return fp_fail(FP_EVERIFY, "the PDF's evidence commit is not "
		    "a 40-digit commit id");
	memcpy(out->commit, p, 40);
	if ((p = strstr(keywords, "failproof-run:")) != NULL)
		out->run = strtol(p + strlen("failproof-run:"), NULL, 10);
	if ((p = strstr(keywords, "failproof-evidence:")) == NULL)
		return 0;
	p += strlen("failproof-evidence:");
	while (strlen(p) >= 64 && is_hex(p, 64)) {
		add_sha(out, p);
		p += 64;
		if (*p != ',')
			break;
		p++;
	}
	return 0;
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

static void
read_cited(xmlNodePtr root, struct report_cited *out)
{
	xmlChar *v;

	if ((v = xmlGetProp(child(root, "run"), BAD_CAST "id")) != NULL) {
		out->run = strtol((const char *)v, NULL, 10);
		xmlFree(v);
	}
	v = xmlGetProp(child(root, "provenance"), BAD_CAST "evidence-commit");
	if (v != NULL && strlen((const char *)v) == 40)
		memcpy(out->commit, v, 40);
	xmlFree(v);
	for (xmlNodePtr f = child(root, "evidence") ?
	    child(root, "evidence")->children : NULL; f; f = f->next) {
		if (f->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)f->name, "file") != 0)
			continue;
		v = xmlGetProp(f, BAD_CAST "sha256");
		if (v != NULL && strlen((const char *)v) == 64 &&
		    is_hex((const char *)v, 64))
			add_sha(out, (const char *)v);
		xmlFree(v);
	}
}

int
report_cited_from_xml(const char *path, struct report_cited *out)
{
	char *data = NULL;
	xmlDocPtr doc = NULL;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = fp_read_file(path, XML_SIGN_MAX_FILE, &data, &len)) != 0)
		return rc;
	rc = xml_read_memory(data, len, fp_basename(path), &doc);
	free(data);
	if (rc != 0)
		return rc;
	read_cited(xmlDocGetRootElement(doc), out);
	xmlFreeDoc(doc);
	if (out->commit[0] == '\0')
		return fp_fail(FP_EVERIFY, "'%s' names no evidence commit",
		    path);
	return 0;
}

void
report_cited_release(struct report_cited *c)
{
	free(c->sha256);
	memset(c, 0, sizeof(*c));
}
