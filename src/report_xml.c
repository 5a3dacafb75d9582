/*
 * The XML report writer.  report_xml_build() turns the report model into
 * a document; report_xml_write() indents it, validates it against
 * schema/report.xsd, signs it and writes the signed bytes unchanged.
 *
 * Indentation happens before signing and never after: an enveloped
 * signature covers whitespace, so re-indenting a signed report breaks it.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include "paths.h"
#include "report.h"
#include "report_xml.h"
#include "util.h"
#include "xml_sign.h"

/* Maximum schema errors listed in a message.  The rest are only counted. */
#define MAX_LISTED_ERRORS 10

/*
 * The causes each verdict allows.  XSD 1.0 cannot tie one attribute's
 * values to another's, so report_xml_validate() checks this table.
 */
static const struct {
	const char *verdict;
	const char *causes[4];
} verdict_causes[] = {
	{ "pass", { NULL } },
	{ "control-plane-loss",
	    { "negotiation-frozen", "dpd-mismatch", "ike-state-reset" } },
	{ "state-drift", { "spi-mismatch", "replay-window", "nat-binding" } },
	{ "peer-rejection", { "identity-binding", "certificate-binding",
	    "proposal-mismatch" } },
	{ "transient-timing", { "slow-recovery", "intermittent" } },
	{ "inconclusive", { "insufficient-evidence" } },
};

/* Text for XML */

/*
 * Decode the UTF-8 sequence at s into *cp.  Returns its length, or 0 when
 * it is not valid UTF-8 (overlong forms and surrogates included).
 */
static size_t
utf8_decode(const unsigned char *s, uint32_t *cp)
{
	size_t len, i;
	uint32_t min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xe0) == 0xc0) {
		len = 2, min = 0x80, *cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3, min = 0x800, *cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4, min = 0x10000, *cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return len;
}

/* The Char production of XML 1.0. */
static int
is_xml_char(uint32_t cp)
{
	return cp == 0x9 || cp == 0xa || cp == 0xd ||
	    (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) ||
	    (cp >= 0x10000 && cp <= 0x10ffff);
}

/*
 * Copy s for an XML text or attribute value.  Evidence text comes from
 * devices and logs, so it may contain bytes that are not UTF-8 or
 * characters XML 1.0 cannot represent.  Each such byte becomes "\xNN",
 * the form fp_escape() uses for a terminal.
 */
static char *
xml_text(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	struct fp_buf b = { 0 };
	uint32_t cp;
	size_t len;

	while (*p != '\0') {
		len = utf8_decode(p, &cp);
		if (len == 0 || !is_xml_char(cp)) {
			fp_buf_printf(&b, "\\x%02x", *p);
			p++;
			continue;
		}
		fp_buf_append(&b, p, len);
		p += len;
	}
	return fp_buf_detach(&b);
}

/* Building */

/* Set when libxml2 could not allocate a node: the build then fails. */
struct builder {
	int failed;
};

static xmlNodePtr
add_element(struct builder *b, xmlNodePtr parent, const char *name)
{
	xmlNodePtr node = NULL;

	if (parent != NULL)
		node = xmlNewChild(parent, NULL, BAD_CAST name, NULL);
	if (node == NULL)
		b->failed = 1;
	return node;
}

/* Add an element containing text, or nothing when text is NULL. */
static xmlNodePtr
add_text_element(struct builder *b, xmlNodePtr parent, const char *name,
    const char *text)
{
	xmlNodePtr node = NULL;
	char *safe;

	if (text == NULL)
		return NULL;
	safe = xml_text(text);
	if (parent != NULL)
		node = xmlNewTextChild(parent, NULL, BAD_CAST name,
		    BAD_CAST safe);
	if (node == NULL)
		b->failed = 1;
	free(safe);
	return node;
}

/* Set an attribute, or nothing when value is NULL. */
static void
set_attr(struct builder *b, xmlNodePtr node, const char *name,
    const char *value)
{
	char *safe;

	if (value == NULL || node == NULL)
		return;
	safe = xml_text(value);
	if (xmlNewProp(node, BAD_CAST name, BAD_CAST safe) == NULL)
		b->failed = 1;
	free(safe);
}

static void
set_attr_int(struct builder *b, xmlNodePtr node, const char *name,
    int64_t value)
{
	char text[32];

	snprintf(text, sizeof(text), "%lld", (long long)value);
	set_attr(b, node, name, text);
}

/* Set a duration or count unless the model marks it unknown with -1. */
static void
set_attr_known(struct builder *b, xmlNodePtr node, const char *name,
    int64_t value)
{
	if (value >= 0)
		set_attr_int(b, node, name, value);
}

static void
set_attr_time(struct builder *b, xmlNodePtr node, const char *name,
    fp_time t)
{
	char text[FP_TIME_STRLEN];

	if (t == FP_TIME_NONE)
		return;
	fp_time_format(t, text, sizeof(text));
	set_attr(b, node, name, text);
}

static void
add_refs(struct builder *b, xmlNodePtr parent, const struct rpt_refs *refs)
{
	xmlNodePtr node;

	for (size_t i = 0; i < refs->n; i++) {
		const struct rpt_ref *ref = &refs->v[i];

		node = add_element(b, parent, "ref");
		set_attr(b, node, "file", ref->file);
		set_attr(b, node, "unit", ref->unit);
		if (ref->number > 0)
			set_attr_int(b, node, "number", ref->number);
		set_attr(b, node, "sha256", ref->sha256);
	}
}

static void
build_procedure(struct builder *b, xmlNodePtr root, const struct report *r)
{
	xmlNodePtr node = add_element(b, root, "procedure");

	set_attr(b, node, "id", r->procedure_id);
	set_attr(b, node, "revision", r->procedure_revision);
	set_attr(b, node, "change-category", r->change_category);
	set_attr(b, node, "review-cycle", r->review_cycle);
	add_text_element(b, node, "title", r->procedure_title);
}

static void
build_run(struct builder *b, xmlNodePtr root, const struct report *r)
{
	xmlNodePtr run, node;

	run = add_element(b, root, "run");
	set_attr_int(b, run, "id", r->run_id);
	set_attr_int(b, run, "max-outage-ms", r->max_outage_ms);
	set_attr_time(b, run, "created-at", r->created_at);

	add_text_element(b, run, "tunnel", r->tunnel);
	node = add_text_element(b, run, "scenario",
	    r->scenario_title ? r->scenario_title : "");
	set_attr_int(b, node, "number", r->scenario);
	add_text_element(b, run, "method", r->method);
	add_text_element(b, run, "executed-by", r->executed_by);

	node = add_element(b, run, "roles");
	set_attr(b, node, "source", r->roles_source);
	add_text_element(b, node, "primary", r->primary);
	add_text_element(b, node, "standby", r->standby);
	add_text_element(b, node, "peer", r->peer);

	node = add_element(b, run, "failover");
	set_attr_time(b, node, "at", r->failover_at);
	set_attr(b, node, "source", r->failover_source);
}

static void
build_verdict(struct builder *b, xmlNodePtr root, const struct report *r)
{
	xmlNodePtr node = add_element(b, root, "verdict");

	set_attr(b, node, "value", r->verdict);
	set_attr(b, node, "cause", r->cause);
	set_attr_time(b, node, "evaluated-at", r->evaluated_at);
	add_text_element(b, node, "summary", r->summary);
}

/*
 * The run's result against the whole procedure, as the evaluation stored
 * it; a model built without one derives it: passed only when the verdict
 * is pass and every criterion passes.
 */
static const char *
run_outcome(const struct report *r)
{
	int any_failed = 0, all_passed = r->n_criteria > 0;

	if (r->outcome != NULL)
		return r->outcome;
	if (r->verdict == NULL)
		return NULL;
	for (size_t i = 0; i < r->n_criteria; i++) {
		const char *result = r->criteria[i].result;

		if (result != NULL && strcmp(result, "fail") == 0)
			any_failed = 1;
		if (result == NULL || strcmp(result, "pass") != 0)
			all_passed = 0;
	}
	if (strcmp(r->verdict, "pass") == 0 && all_passed)
		return "passed";
	if (any_failed || (strcmp(r->verdict, "pass") != 0 &&
	    strcmp(r->verdict, "inconclusive") != 0))
		return "failed";
	return "inconclusive";
}

static void
build_metrics(struct builder *b, xmlNodePtr root, const struct report *r)
{
	xmlNodePtr metrics, node;

	metrics = add_element(b, root, "metrics");
	set_attr(b, metrics, "recovered", r->mttr_ms >= 0 ? "true" : "false");
	set_attr_known(b, metrics, "mttr-ms", r->mttr_ms);
	set_attr(b, metrics, "mttr-source", r->mttr_source);
	set_attr_known(b, metrics, "mttr-resolution-ms",
	    r->mttr_resolution_ms);
	set_attr_known(b, metrics, "child-sa-ms", r->child_sa_ms);
	set_attr_known(b, metrics, "loss-window-ms", r->loss_window_ms);

	for (size_t i = 0; i < r->n_loss_windows; i++) {
		const struct rpt_loss_window *w = &r->loss_windows[i];

		node = add_element(b, metrics, "loss-window");
		set_attr(b, node, "direction", w->direction);
		set_attr_time(b, node, "start", w->start);
		set_attr_time(b, node, "end", w->end);
		set_attr_known(b, node, "ms", w->ms);
		if (w->end == FP_TIME_NONE)
			set_attr(b, node, "open", "true");
		set_attr(b, node, "source", w->source);
		set_attr_known(b, node, "resolution-ms", w->resolution_ms);
		add_refs(b, node, &w->refs);
	}
}

static void
build_preconditions(struct builder *b, xmlNodePtr root,
    const struct report *r)
{
	xmlNodePtr list, node;

	list = add_element(b, root, "preconditions");
	for (size_t i = 0; i < r->n_preconditions; i++) {
		const struct rpt_precondition *p = &r->preconditions[i];

		node = add_element(b, list, "precondition");
		set_attr(b, node, "id", p->id);
		set_attr(b, node, "result", p->result);
		add_text_element(b, node, "title", p->title);
		add_text_element(b, node, "reason", p->reason);
		add_refs(b, node, &p->refs);
	}
}

static void
build_criteria(struct builder *b, xmlNodePtr root, const struct report *r)
{
	xmlNodePtr list, node;

	list = add_element(b, root, "criteria");
	for (size_t i = 0; i < r->n_criteria; i++) {
		const struct rpt_criterion *c = &r->criteria[i];

		node = add_element(b, list, "criterion");
		set_attr(b, node, "id", c->id);
		set_attr(b, node, "result", c->result);
		add_text_element(b, node, "title", c->title);
		add_text_element(b, node, "reason", c->reason);
		add_refs(b, node, &c->refs);
	}
}

static void
build_decision_path(struct builder *b, xmlNodePtr root,
    const struct report *r)
{
	xmlNodePtr list, node;

	list = add_element(b, root, "decision-path");
	for (size_t i = 0; i < r->n_steps; i++) {
		const struct rpt_step *s = &r->steps[i];

		node = add_element(b, list, "step");
		set_attr_int(b, node, "number", s->question);
		set_attr(b, node, "answer", s->answer);
		add_text_element(b, node, "question", s->question_text);
		add_text_element(b, node, "explanation", s->explanation);
		add_refs(b, node, &s->refs);
	}
}

static void
build_findings(struct builder *b, xmlNodePtr root, const struct report *r)
{
	xmlNodePtr list, node;

	list = add_element(b, root, "findings");
	for (size_t i = 0; i < r->n_findings; i++) {
		node = add_text_element(b, list, "finding",
		    r->findings[i].text ? r->findings[i].text : "");
		set_attr(b, node, "id", r->findings[i].id);
	}
}

static void
build_evidence(struct builder *b, xmlNodePtr root, const struct report *r)
{
	xmlNodePtr list, node;

	list = add_element(b, root, "evidence");
	for (size_t i = 0; i < r->n_evidence; i++) {
		const struct rpt_evidence *e = &r->evidence[i];

		node = add_element(b, list, "file");
		set_attr(b, node, "name", e->name);
		set_attr(b, node, "kind", e->kind);
		set_attr(b, node, "host", e->host);
		set_attr(b, node, "sha256", e->sha256);
		set_attr(b, node, "commit", e->commit);
		set_attr_known(b, node, "size", e->size);
		set_attr_known(b, node, "records", e->records);
		if (e->partial)
			set_attr(b, node, "partial", "true");
	}
	for (size_t i = 0; i < r->n_records; i++) {
		const struct rpt_record *x = &r->records[i];

		node = add_text_element(b, list, "record", x->summary);
		set_attr(b, node, "kind", x->kind);
		set_attr(b, node, "path", x->path);
		set_attr(b, node, "sha256", x->sha256);
		set_attr(b, node, "commit", x->commit);
		set_attr(b, node, "actor", x->actor);
		set_attr_time(b, node, "at", x->at);
	}
}

static void
build_timeline(struct builder *b, xmlNodePtr root, const struct report *r)
{
	xmlNodePtr list, node;

	list = add_element(b, root, "timeline");
	for (size_t i = 0; i < r->n_timeline; i++) {
		const struct rpt_timeline_event *e = &r->timeline[i];

		node = add_text_element(b, list, "event",
		    e->label ? e->label : "");
		set_attr_time(b, node, "at", e->ts);
		set_attr(b, node, "host", e->host);
		set_attr(b, node, "kind", e->kind);
	}
}

static void
build_traffic(struct builder *b, xmlNodePtr root, const struct report *r)
{
	xmlNodePtr list, node;
	struct fp_buf counts = { 0 };
	char *text;

	if (r->n_series == 0)
		return;
	list = add_element(b, root, "traffic");
	for (size_t i = 0; i < r->n_series; i++) {
		const struct rpt_series *s = &r->series[i];

		for (size_t j = 0; j < s->n; j++)
			fp_buf_printf(&counts, "%s%lld", j > 0 ? " " : "",
			    (long long)s->delivered[j]);
		text = fp_buf_detach(&counts);
		node = add_text_element(b, list, "series", text);
		free(text);
		set_attr(b, node, "label", s->label);
		set_attr_time(b, node, "start", s->start);
		if (s->bin > 0)
			set_attr_int(b, node, "bin-us", s->bin);
	}
}

static void
build_signoff(struct builder *b, xmlNodePtr root, const struct report *r)
{
	xmlNodePtr signoff, review;

	signoff = add_element(b, root, "signoff");
	if (r->reviewer == NULL) {
		add_element(b, signoff, "pending");
		return;
	}
	review = add_element(b, signoff, "review");
	set_attr(b, review, "decision", r->review_decision);
	set_attr_time(b, review, "at", r->reviewed_at);
	if (r->review_stale)
		set_attr(b, review, "stale", "true");
	add_text_element(b, review, "reviewer", r->reviewer);
}

int
report_xml_build(const struct report *r, xmlDocPtr *out)
{
	struct builder b = { 0 };
	xmlDocPtr doc = NULL;
	xmlNodePtr root, node;
	xmlNsPtr ns;

	*out = NULL;
	doc = xmlNewDoc(BAD_CAST "1.0");
	root = doc ? xmlNewDocNode(doc, NULL, BAD_CAST "report", NULL) : NULL;
	ns = root ? xmlNewNs(root, BAD_CAST REPORT_XML_NS, NULL) : NULL;
	if (ns == NULL) {
		xmlFreeNode(root);
		xmlFreeDoc(doc);
		return fp_fail(FP_EIO, "cannot build the report XML: out of "
		    "memory");
	}
	xmlSetNs(root, ns);
	xmlDocSetRootElement(doc, root);
	set_attr(&b, root, "version", "1");

	build_procedure(&b, root, r);
	build_run(&b, root, r);
	build_verdict(&b, root, r);
	if (run_outcome(r) != NULL) {
		node = add_element(&b, root, "outcome");
		set_attr(&b, node, "value", run_outcome(r));
	}
	build_metrics(&b, root, r);
	build_preconditions(&b, root, r);
	build_criteria(&b, root, r);
	build_decision_path(&b, root, r);
	build_findings(&b, root, r);
	if (r->defect_id != NULL) {
		node = add_element(&b, root, "defect");
		set_attr(&b, node, "id", r->defect_id);
		set_attr(&b, node, "status", r->defect_status);
	}
	build_evidence(&b, root, r);
	build_timeline(&b, root, r);
	build_traffic(&b, root, r);
	node = add_element(&b, root, "provenance");
	set_attr(&b, node, "evidence-commit", r->evidence_commit);
	set_attr_time(&b, node, "generated-at", r->generated_at);
	set_attr(&b, node, "tool-version", r->tool_version);
	build_signoff(&b, root, r);

	if (b.failed) {
		xmlFreeDoc(doc);
		return fp_fail(FP_EIO, "cannot build the report XML for run "
		    "%ld: out of memory", r->run_id);
	}
	*out = doc;
	return 0;
}

/* Validation */

/*
 * Return the element's path such as "/report/criteria/criterion[2]", with
 * local names and positions counted from 1.
 */
static char *
element_path(xmlNodePtr node)
{
	struct fp_buf path = { 0 };
	char *parent, *result;
	int position = 0, same = 0;

	if (node == NULL || node->type != XML_ELEMENT_NODE)
		return NULL;
	for (xmlNodePtr sib = node->parent ? node->parent->children : NULL;
	    sib != NULL; sib = sib->next) {
		if (sib->type != XML_ELEMENT_NODE ||
		    !xmlStrEqual(sib->name, node->name))
			continue;
		same++;
		if (sib == node)
			position = same;
	}
	parent = element_path(node->parent);
	fp_buf_printf(&path, "%s/%s", parent ? parent : "",
	    (const char *)node->name);
	if (same > 1)
		fp_buf_printf(&path, "[%d]", position);
	free(parent);
	result = fp_buf_detach(&path);
	return result;
}

struct error_list {
	struct fp_buf text;
	int count;
};

/* Copy libxml2's schema message without the report namespace and newline. */
static char *
schema_message(const char *message)
{
	const char *ns = "{" REPORT_XML_NS "}";
	struct fp_buf b = { 0 };
	const char *p = message ? message : "", *hit;
	size_t len;

	while ((hit = strstr(p, ns)) != NULL) {
		fp_buf_append(&b, p, (size_t)(hit - p));
		p = hit + strlen(ns);
	}
	fp_buf_puts(&b, p);
	len = b.len;
	while (len > 0 && (b.data[len - 1] == '\n' || b.data[len - 1] == ' '))
		b.data[--len] = '\0';
	b.len = len;
	return fp_buf_detach(&b);
}

static void
collect_error(void *ctx, xmlErrorPtr err)
{
	struct error_list *list = ctx;
	char *path, *message;

	if (err == NULL || err->level == XML_ERR_WARNING)
		return;
	list->count++;
	if (list->count > MAX_LISTED_ERRORS)
		return;
	path = element_path(err->node);
	message = schema_message(err->message);
	if (list->text.len > 0)
		fp_buf_puts(&list->text, "; ");
	fp_buf_printf(&list->text, "line %d", err->line);
	if (path != NULL)
		fp_buf_printf(&list->text, " (%s)", path);
	fp_buf_printf(&list->text, ": %s", message);
	free(path);
	free(message);
}

static xmlNodePtr
child_element(xmlNodePtr parent, const char *name)
{
	for (xmlNodePtr cur = parent->children; cur != NULL; cur = cur->next)
		if (cur->type == XML_ELEMENT_NODE &&
		    xmlStrEqual(cur->name, BAD_CAST name))
			return cur;
	return NULL;
}

/* Check that the verdict's cause is one of the verdict's causes. */
static int
check_cause(xmlDocPtr doc)
{
	xmlNodePtr node;
	xmlChar *verdict = NULL, *cause = NULL;
	struct fp_buf allowed = { 0 };
	int rc = 0, found = 0;
	size_t i, j;

	node = child_element(xmlDocGetRootElement(doc), "verdict");
	if (node == NULL)
		return 0;
	verdict = xmlGetNoNsProp(node, BAD_CAST "value");
	cause = xmlGetNoNsProp(node, BAD_CAST "cause");
	if (verdict == NULL || cause == NULL)
		goto out;

	for (i = 0; i < sizeof(verdict_causes) / sizeof(verdict_causes[0]);
	    i++)
		if (xmlStrEqual(verdict, BAD_CAST verdict_causes[i].verdict))
			break;
	if (i == sizeof(verdict_causes) / sizeof(verdict_causes[0]))
		goto out;
	for (j = 0; j < 4 && verdict_causes[i].causes[j] != NULL; j++) {
		if (xmlStrEqual(cause, BAD_CAST verdict_causes[i].causes[j]))
			found = 1;
		fp_buf_printf(&allowed, "%s%s", j > 0 ? ", " : "",
		    verdict_causes[i].causes[j]);
	}
	if (found)
		goto out;
	if (j == 0)
		rc = fp_fail(FP_EINVAL, "line %ld (/report/verdict): the "
		    "verdict 'pass' has no cause, but cause '%s' is given",
		    xmlGetLineNo(node), (const char *)cause);
	else
		rc = fp_fail(FP_EINVAL, "line %ld (/report/verdict): cause "
		    "'%s' does not belong to verdict '%s' (expected one of: "
		    "%s)", xmlGetLineNo(node), (const char *)cause,
		    (const char *)verdict, allowed.data);
out:
	fp_buf_free(&allowed);
	xmlFree(verdict);
	xmlFree(cause);
	return rc;
}

int
report_xml_validate(xmlDocPtr doc, const char *xsd_path)
{
	xmlSchemaParserCtxtPtr parser = NULL;
	xmlSchemaValidCtxtPtr validator = NULL;
	xmlSchemaPtr schema = NULL;
	struct error_list errors = { 0 };
	int rc = 0;

	if (access(xsd_path, R_OK) != 0)
		return fp_fail(FP_EIO, "cannot read the XML schema '%s': %s",
		    xsd_path, strerror(errno));

	parser = xmlSchemaNewParserCtxt(xsd_path);
	if (parser == NULL) {
		rc = fp_fail(FP_EIO, "cannot read the XML schema '%s'",
		    xsd_path);
		goto out;
	}
	xmlSchemaSetParserStructuredErrors(parser, collect_error, &errors);
	schema = xmlSchemaParse(parser);
	if (schema == NULL) {
		rc = fp_fail(FP_EIO, "the XML schema '%s' is invalid: %s",
		    xsd_path, errors.text.data ? errors.text.data : "");
		goto out;
	}

	validator = xmlSchemaNewValidCtxt(schema);
	if (validator == NULL) {
		rc = fp_fail(FP_EIO, "cannot start validating against '%s': "
		    "out of memory", xsd_path);
		goto out;
	}
	xmlSchemaSetValidStructuredErrors(validator, collect_error, &errors);
	if (xmlSchemaValidateDoc(validator, doc) != 0) {
		if (errors.count == 0)
			fp_buf_puts(&errors.text, "the validator stopped "
			    "without naming an error");
		if (errors.count > MAX_LISTED_ERRORS)
			fp_buf_printf(&errors.text, "; and %d more errors",
			    errors.count - MAX_LISTED_ERRORS);
		rc = fp_fail(FP_EINVAL, "the report XML does not match the "
		    "schema '%s': %s", xsd_path, errors.text.data);
		goto out;
	}
	rc = check_cause(doc);
out:
	fp_buf_free(&errors.text);
	xmlSchemaFreeValidCtxt(validator);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(parser);
	return rc;
}

/* Writing */

/* Write data to path through a temporary file renamed over it. */
static int
write_file_atomic(const char *path, const void *data, size_t len)
{
	const char *p = data;
	char *tmp;
	mode_t mask;
	ssize_t n;
	int fd, rc = 0;

	tmp = xasprintf("%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = fp_fail(FP_EIO, "cannot create a temporary file beside "
		    "'%s': %s", path, strerror(errno));
		free(tmp);
		return rc;
	}
	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = fp_fail(FP_EIO, "cannot write '%s': %s", tmp,
			    strerror(errno));
			goto out;
		}
		p += n;
		len -= (size_t)n;
	}
	/* mkstemp() creates the file 0600; a report is not secret. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) != 0 || fsync(fd) != 0) {
		rc = fp_fail(FP_EIO, "cannot write '%s': %s", tmp,
		    strerror(errno));
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		rc = fp_fail(FP_EIO, "cannot write '%s': %s", tmp,
		    strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		rc = fp_fail(FP_EIO, "cannot rename '%s' to '%s': %s", tmp,
		    path, strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

int
report_xml_write(const struct report *r, const char *path,
    const char *key_pem, const char *cert_pem)
{
	struct xml_verify_result check = { 0 };
	xmlDocPtr built = NULL, doc = NULL;
	xmlChar *text = NULL;
	char *xsd = NULL;
	int len = 0, rc;

	if ((rc = report_xml_build(r, &built)) != 0)
		goto out;

	/* Indent now: after signing the bytes must not change. */
	xmlDocDumpFormatMemoryEnc(built, &text, &len, "UTF-8", 1);
	if (text == NULL) {
		rc = fp_fail(FP_EIO, "cannot serialise the report XML: out of "
		    "memory");
		goto out;
	}
	if ((rc = xml_read_memory((const char *)text, (size_t)len, path,
	    &doc)) != 0)
		goto out;
	xmlFree(text);
	text = NULL;

	xsd = fp_data_path("schema/report.xsd");
	if (xsd == NULL) {
		rc = FP_ENOTFOUND;
		goto out;
	}
	if ((rc = report_xml_validate(doc, xsd)) != 0) {
		fp_fail_context(rc, "'%s'", path);
		goto out;
	}
	if ((rc = xml_sign_doc(doc, key_pem, cert_pem)) != 0) {
		fp_fail_context(rc, "'%s'", path);
		goto out;
	}

	xmlDocDumpMemoryEnc(doc, &text, &len, "UTF-8");
	if (text == NULL) {
		rc = fp_fail(FP_EIO, "cannot serialise the signed report: out "
		    "of memory");
		goto out;
	}
	/* A signature that fails here is a defect of this writer. */
	if ((rc = xml_verify_memory((const char *)text, (size_t)len, path,
	    NULL, &check)) != 0) {
		fp_fail_context(rc, "the signed report does not verify before "
		    "it is written");
		goto out;
	}
	rc = write_file_atomic(path, text, (size_t)len);
out:
	xml_verify_result_release(&check);
	xmlFree(text);
	free(xsd);
	xmlFreeDoc(doc);
	xmlFreeDoc(built);
	return rc;
}
