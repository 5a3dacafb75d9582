/*
 * The quarterly XML writer.  The document is built with libxml2's tree
 * API, indented once, validated, signed and written without another
 * change, because an enveloped signature covers the whitespace too.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/tree.h>
#include <libxml/xmlstring.h>

#include "paths.h"
#include "quarterly_xml.h"
#include "report_xml.h"
#include "xml_sign.h"

/* Set when libxml2 could not allocate a node: the build then fails. */
struct builder {
	int failed;
};

/*
 * Copy s for XML: bytes that are not UTF-8, and characters XML 1.0
 * cannot hold, become "\xNN" as the run report writes them.
 */
static char *
xml_safe(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	struct fp_buf b = { 0 };

	fp_buf_puts(&b, "");
	while (*p != '\0') {
		int len = 4;
		int cp = xmlGetUTF8Char(p, &len);

		if (cp < 0 || !(cp == 0x9 || cp == 0xa || cp == 0xd ||
		    (cp >= 0x20 && cp <= 0xd7ff) ||
		    (cp >= 0xe000 && cp <= 0xfffd) || cp >= 0x10000)) {
			fp_buf_printf(&b, "\\x%02x", *p);
			p++;
			continue;
		}
		fp_buf_append(&b, p, (size_t)len);
		p += len;
	}
	return fp_buf_detach(&b);
}

static xmlNodePtr
element(struct builder *b, xmlNodePtr parent, const char *name,
    const char *text)
{
	xmlNodePtr node = NULL;
	char *safe = text ? xml_safe(text) : NULL;

	if (parent != NULL)
		node = xmlNewTextChild(parent, NULL, BAD_CAST name,
		    BAD_CAST safe);
	if (node == NULL)
		b->failed = 1;
	free(safe);
	return node;
}

static void
attr(struct builder *b, xmlNodePtr node, const char *name, const char *value)
{
	char *safe;

	if (value == NULL || node == NULL)
		return;
	safe = xml_safe(value);
	if (xmlNewProp(node, BAD_CAST name, BAD_CAST safe) == NULL)
		b->failed = 1;
	free(safe);
}

/* An integer attribute, left out when below min (-1 marks unknown). */
static void
attr_int(struct builder *b, xmlNodePtr node, const char *name,
    int64_t value, int64_t min)
{
	char text[32];

	if (value < min)
		return;
	snprintf(text, sizeof(text), "%lld", (long long)value);
	attr(b, node, name, text);
}

static void
attr_time(struct builder *b, xmlNodePtr node, const char *name, fp_time t)
{
	char text[FP_TIME_STRLEN];

	if (t == FP_TIME_NONE)
		return;
	fp_time_format(t, text, sizeof(text));
	attr(b, node, name, text);
}

static void
attr_bool(struct builder *b, xmlNodePtr node, const char *name, int value)
{
	attr(b, node, name, value ? "true" : "false");
}

static void
build_procedure(struct builder *b, xmlNodePtr root, const struct quarterly *q)
{
	xmlNodePtr node = element(b, root, "procedure", NULL), rev;

	attr(b, node, "id", q->procedure_id);
	attr(b, node, "review-cycle", q->review_cycle);
	attr_int(b, node, "max-outage-ms", q->max_outage_ms, 0);
	attr_int(b, node, "max-spread-ms", q->max_spread_ms, 0);
	element(b, node, "title", q->procedure_title);
	for (size_t i = 0; i < q->n_revisions; i++) {
		const struct q_revision *r = &q->revisions[i];

		rev = element(b, node, "revision", NULL);
		attr(b, rev, "number", r->revision);
		attr(b, rev, "status", r->status);
		attr(b, rev, "author", r->author);
		attr(b, rev, "approved-by", r->approved_by);
		attr_time(b, rev, "approved-at", r->approved_at);
		attr_time(b, rev, "reviewed-at", r->reviewed_at);
		attr_time(b, rev, "superseded-at", r->superseded_at);
		if (r->summary != NULL)
			element(b, rev, "summary", r->summary);
	}
}

static void
build_tunnels(struct builder *b, xmlNodePtr root, const struct quarterly *q)
{
	xmlNodePtr list = element(b, root, "tunnels", NULL), node;

	for (size_t i = 0; i < q->n_tunnels; i++) {
		const struct q_tunnel *t = &q->tunnels[i];

		node = element(b, list, "tunnel", NULL);
		attr(b, node, "name", t->name);
		attr_bool(b, node, "registered", t->registered);
		attr(b, node, "units", t->units);
		attr(b, node, "peer", t->peer);
		attr(b, node, "vendor", t->vendor);
		if (t->registered)
			attr_int(b, node, "ike-version", t->ike_version, 1);
	}

	list = element(b, root, "coverage", NULL);
	for (size_t i = 0; i < q->n_cells; i++) {
		const struct q_cell *c = &q->cells[i];

		node = element(b, list, "cell", NULL);
		attr(b, node, "tunnel", c->tunnel);
		attr_int(b, node, "scenario", c->scenario, 1);
		attr(b, node, "result", c->result);
		attr_int(b, node, "runs", (int64_t)c->runs, 0);
		attr_int(b, node, "passed", (int64_t)c->passed, 0);
		attr_int(b, node, "latest-run", c->latest_run, 1);
	}
}

static void
build_runs(struct builder *b, xmlNodePtr root, const struct quarterly *q)
{
	xmlNodePtr list = element(b, root, "runs", NULL), node, child;

	for (size_t i = 0; i < q->n_runs; i++) {
		const struct q_run *r = &q->runs[i];

		node = element(b, list, "run", NULL);
		attr_int(b, node, "id", r->id, 1);
		attr(b, node, "tunnel", r->tunnel);
		attr_int(b, node, "scenario", r->scenario, 1);
		attr_time(b, node, "at", r->at);
		attr(b, node, "method", r->method);
		attr(b, node, "executed-by", r->executed_by);
		attr(b, node, "verdict", r->verdict);
		attr(b, node, "cause", r->cause);
		attr(b, node, "outcome", r->outcome);
		attr_int(b, node, "mttr-ms", r->mttr_ms, 0);
		attr_int(b, node, "loss-window-ms", r->loss_window_ms, 0);
		attr(b, node, "revision", r->revision);
		attr(b, node, "revision-status", r->revision_status);
		attr(b, node, "evidence-commit", r->evidence_commit);
		attr_int(b, node, "defect", r->defect, 1);
		child = element(b, node, "signoff", NULL);
		attr(b, child, "status", r->signoff);
		attr(b, child, "reviewer", r->reviewer);
		attr_time(b, child, "at", r->reviewed_at);
		for (size_t k = 0; k < r->n_flags; k++) {
			child = element(b, node, "flag", r->flags[k].text);
			attr(b, child, "id", r->flags[k].id);
		}
	}
}

static void
build_stat(struct builder *b, xmlNodePtr parent, const char *name,
    const struct q_stat *s)
{
	xmlNodePtr node = element(b, parent, name, NULL);

	attr(b, node, "label", s->label);
	attr_int(b, node, "runs", (int64_t)(s->st.n + s->not_recovered), 0);
	attr_int(b, node, "not-recovered", (int64_t)s->not_recovered, 0);
	attr_int(b, node, "median-ms", s->st.median_ms, 0);
	attr_int(b, node, "p95-ms", s->st.p95_ms, 0);
	attr_int(b, node, "min-ms", s->st.min_ms, 0);
	attr_int(b, node, "max-ms", s->st.max_ms, 0);
	attr_int(b, node, "spread-ms", s->st.spread_ms, 0);
	attr(b, node, "repeatable", s->repeatable > 0 ? "yes" :
	    s->repeatable == 0 ? "no" : "undecided");
}

static void
build_statistics(struct builder *b, xmlNodePtr root,
    const struct quarterly *q)
{
	xmlNodePtr list = element(b, root, "mttr-statistics", NULL), node;

	for (size_t i = 0; i < q->n_stats; i++) {
		const struct q_stat_row *row = &q->stats[i];

		node = element(b, list, "group", NULL);
		attr(b, node, "tunnel", row->tunnel);
		attr_int(b, node, "scenario", row->scenario, 1);
		build_stat(b, node, "period", &row->period);
		for (size_t k = 0; k < row->n_history; k++)
			build_stat(b, node, "earlier", &row->history[k]);
	}

	list = element(b, root, "failback-symmetry", NULL);
	for (size_t i = 0; i < q->n_failbacks; i++) {
		const struct q_failback *f = &q->failbacks[i];
		char *text;

		if (f->failover == NULL)
			text = xasprintf("no scenario 2 run of tunnel %s in the "
			    "period to pair with", f->tunnel);
		else
			text = xasprintf("recovery %s in both directions of "
			    "failover", f->held ? "held" : "did not hold");
		node = element(b, list, "pair", text);
		free(text);
		attr(b, node, "tunnel", f->tunnel);
		attr_int(b, node, "failback-run", f->failback->id, 1);
		if (f->failover != NULL) {
			attr_int(b, node, "failover-run", f->failover->id, 1);
			attr_int(b, node, "failover-mttr-ms",
			    f->failover->mttr_ms, 0);
		}
		attr_bool(b, node, "held-both-directions", f->held);
		attr_int(b, node, "failback-mttr-ms", f->failback->mttr_ms, 0);
		if (f->has_difference)
			attr_int(b, node, "difference-ms", f->difference_ms,
			    INT64_MIN);
	}
}

static void
build_defects(struct builder *b, xmlNodePtr root, const struct quarterly *q)
{
	xmlNodePtr list = element(b, root, "defects", NULL), node;

	for (size_t i = 0; i < q->n_defects; i++) {
		const struct q_defect *d = &q->defects[i];

		node = element(b, list, "defect", NULL);
		attr_int(b, node, "id", d->id, 1);
		attr_int(b, node, "run", d->run, 1);
		attr(b, node, "tunnel", d->tunnel);
		attr_int(b, node, "scenario", d->scenario, 1);
		attr(b, node, "verdict", d->verdict);
		attr(b, node, "cause", d->cause);
		attr(b, node, "status", d->status);
		attr_time(b, node, "opened-at", d->opened_at);
		attr_time(b, node, "verified-at", d->closed_at);
		attr_int(b, node, "verified-by-run", d->closed_by_run, 1);
		attr(b, node, "owner", d->owner);
		attr_bool(b, node, "opened-in-period", d->opened_in_period);
		attr_bool(b, node, "verified-in-period", d->verified_in_period);
		attr_bool(b, node, "open-at-end", d->open_at_end);
		attr_int(b, node, "age-days", d->age_days, 0);
	}

	list = element(b, root, "waivers", NULL);
	for (size_t i = 0; i < q->n_waivers; i++) {
		const struct q_waiver *w = &q->waivers[i];

		node = element(b, list, "waiver", w->justification);
		attr_int(b, node, "id", w->id, 1);
		attr_int(b, node, "run", w->run, 1);
		attr(b, node, "criterion", w->criterion);
		attr_int(b, node, "defect", w->defect, 1);
		attr(b, node, "approver", w->approver);
		attr_time(b, node, "expires-at", w->expires_at);
		attr_bool(b, node, "expired", w->expired);
	}

	list = element(b, root, "findings", NULL);
	for (size_t i = 0; i < q->n_findings; i++) {
		const struct q_finding *f = &q->findings[i];

		node = element(b, list, "finding", f->text);
		attr(b, node, "id", f->id);
		attr(b, node, "tunnel", f->tunnel);
		attr_int(b, node, "scenario", f->scenario, 1);
		attr_int(b, node, "run", f->run, 1);
	}
}

int
quarterly_xml_build(const struct quarterly *q, xmlDocPtr *out)
{
	struct builder b = { 0 };
	xmlDocPtr doc;
	xmlNodePtr root = NULL, node;
	xmlNsPtr ns = NULL;

	*out = NULL;
	doc = xmlNewDoc(BAD_CAST "1.0");
	if (doc != NULL)
		root = xmlNewDocNode(doc, NULL, BAD_CAST "quarterly-report",
		    NULL);
	if (root != NULL)
		ns = xmlNewNs(root, BAD_CAST QUARTERLY_XML_NS, NULL);
	if (ns == NULL) {
		xmlFreeNode(root);
		xmlFreeDoc(doc);
		return fp_fail(FP_EIO, "cannot build the quarterly XML: out of "
		    "memory");
	}
	xmlSetNs(root, ns);
	xmlDocSetRootElement(doc, root);
	attr(&b, root, "version", "1");

	node = element(&b, root, "period", NULL);
	attr(&b, node, "label", q->label);
	attr_time(&b, node, "from", q->from);
	attr_time(&b, node, "to", q->to);
	build_procedure(&b, root, q);
	build_tunnels(&b, root, q);
	build_runs(&b, root, q);
	build_statistics(&b, root, q);
	build_defects(&b, root, q);

	node = element(&b, root, "provenance", NULL);
	attr(&b, node, "evidence-commit", q->head_commit);
	attr(&b, node, "first-run-commit", q->first_commit);
	attr(&b, node, "last-run-commit", q->last_commit);
	attr_time(&b, node, "generated-at", q->generated_at);
	attr(&b, node, "tool-version", FP_VERSION);

	if (b.failed) {
		xmlFreeDoc(doc);
		return fp_fail(FP_EIO, "cannot build the quarterly XML: out of "
		    "memory");
	}
	*out = doc;
	return 0;
}

/* Write data to path through a temporary file renamed over it. */
static int
write_atomic(const char *path, const void *data, size_t len)
{
	char *tmp = xasprintf("%s.XXXXXX", path);
	mode_t mask;
	FILE *f = NULL;
	int fd, rc = 0;

	fd = mkstemp(tmp);
	if (fd < 0) {
		rc = fp_fail(FP_EIO, "cannot create a temporary file beside "
		    "'%s': %s", path, strerror(errno));
		free(tmp);
		return rc;
	}
	/* mkstemp() creates the file 0600; a report is not secret. */
	mask = umask(0);
	umask(mask);
	f = fdopen(fd, "wb");
	if (f == NULL || fwrite(data, 1, len, f) != len || fflush(f) != 0 ||
	    fchmod(fd, 0666 & ~mask) != 0 || fsync(fd) != 0) {
		rc = fp_fail(FP_EIO, "cannot write '%s': %s", tmp,
		    strerror(errno));
	}
	if (f != NULL)
		fclose(f);
	else
		close(fd);
	if (rc == 0 && rename(tmp, path) != 0)
		rc = fp_fail(FP_EIO, "cannot rename '%s' to '%s': %s", tmp,
		    path, strerror(errno));
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

int
quarterly_xml_write(const struct quarterly *q, const char *path,
    const char *key_pem, const char *cert_pem)
{
	struct xml_verify_result check = { 0 };
	xmlDocPtr built = NULL, doc = NULL;
	xmlChar *text = NULL;
	char *xsd = NULL;
	int len = 0, rc;

	if ((rc = xml_sign_init()) != 0 ||
	    (rc = quarterly_xml_build(q, &built)) != 0)
		goto out;
	xmlDocDumpFormatMemoryEnc(built, &text, &len, "UTF-8", 1);
	if (text == NULL) {
		rc = fp_fail(FP_EIO, "cannot serialise the quarterly XML: out "
		    "of memory");
		goto out;
	}
	if ((rc = xml_read_memory((const char *)text, (size_t)len, path,
	    &doc)) != 0)
		goto out;
	xmlFree(text);
	text = NULL;

	if ((xsd = fp_data_path("schema/quarterly.xsd")) == NULL) {
		rc = FP_ENOTFOUND;
		goto out;
	}
	if ((rc = report_xml_validate(doc, xsd)) != 0 ||
	    (rc = xml_sign_doc(doc, key_pem, cert_pem)) != 0) {
		fp_fail_context(rc, "'%s'", path);
		goto out;
	}
	xmlDocDumpMemoryEnc(doc, &text, &len, "UTF-8");
	if (text == NULL) {
		rc = fp_fail(FP_EIO, "cannot serialise the signed quarterly "
		    "report: out of memory");
		goto out;
	}
	if ((rc = xml_verify_memory((const char *)text, (size_t)len, path,
	    NULL, &check)) != 0) {
		fp_fail_context(rc, "the signed quarterly report does not "
		    "verify before it is written");
		goto out;
	}
	rc = write_atomic(path, text, (size_t)len);
out:
	xml_verify_result_release(&check);
	xmlFree(text);
	free(xsd);
	xmlFreeDoc(doc);
	xmlFreeDoc(built);
	return rc;
}
