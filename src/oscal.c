/*
 * OSCAL JSON documents, built with jansson.  The OSCAL schemas reject
 * unknown keys, empty arrays and strings with leading or trailing
 * whitespace, so every list is added only when it has an item, and
 * every string passes through text() first.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>

#include <jansson.h>

#include "oscal.h"
#include "procedure.h"

/* Evidence files of one run, with the UUIDs of their observations. */
struct run_files {
	struct store_evidence *files;
	size_t n;
	char (*uuids)[37];
};

struct exporter {
	struct workspace *ws;
	const struct quarterly *q;
	struct procedure procedure;
	char tool_uuid[37];
	json_t *parties;		/* name -> party uuid */
	json_t *risk_uuids;		/* defect id -> risk uuid */
};

/* A random UUID, version 4 (RFC 9562). */
static void
uuid4(char out[37])
{
	unsigned char b[16];
	size_t got = 0;

	while (got < sizeof(b)) {
		ssize_t n = getrandom(b + got, sizeof(b) - got, 0);

		if (n > 0)
			got += (size_t)n;
		else if (errno != EINTR)
			abort();	/* the kernel always has entropy */
	}
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
	    b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

/* A string OSCAL accepts: trimmed, and a fallback when empty. */
static json_t *
text(const char *s, const char *fallback)
{
	const char *end;

	if (s != NULL)
		while (isspace((unsigned char)*s))
			s++;
	if (s == NULL || *s == '\0')
		return json_string(fallback);
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	return json_stringn(s, (size_t)(end - s));
}

static json_t *
timestamp(fp_time t)
{
	char buf[FP_TIME_STRLEN];

	fp_time_format(t, buf, sizeof(buf));
	return json_string(buf);
}

static void
add_prop(json_t *props, const char *name, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	json_array_append_new(props, json_pack("{s:s, s:s, s:o}", "name", name,
	    "ns", OSCAL_NS, "value", text(value, "-")));
}

static void
add_prop_long(json_t *props, const char *name, long value)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", value);
	add_prop(props, name, buf);
}

/* Set key to array only when it has items: OSCAL rejects empty lists. */
static void
set_list(json_t *o, const char *key, json_t *array)
{
	if (json_array_size(array) > 0)
		json_object_set_new(o, key, array);
	else
		json_decref(array);
}

static json_t *
metadata(const struct exporter *x, const char *title)
{
	json_t *m = json_object();

	json_object_set_new(m, "title", json_string(title));
	json_object_set_new(m, "last-modified",
	    timestamp(x->q->generated_at));
	json_object_set_new(m, "version", json_string(x->q->label));
	json_object_set_new(m, "oscal-version", json_string(OSCAL_VERSION));
	return m;
}

/* The UUID of a person, made once per name. */
static const char *
party(struct exporter *x, const char *name)
{
	json_t *v = json_object_get(x->parties, name);
	char id[37];

	if (v == NULL) {
		uuid4(id);
		json_object_set_new(x->parties, name, json_string(id));
		v = json_object_get(x->parties, name);
	}
	return json_string_value(v);
}

static json_t *
party_list(const struct exporter *x)
{
	json_t *list = json_array();
	const char *name;
	json_t *v;

	json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "uuid",
	    x->tool_uuid, "type", "organization", "name",
	    "failproof " FP_VERSION));
	json_object_foreach(x->parties, name, v)
		json_array_append_new(list, json_pack("{s:O, s:s, s:o}", "uuid",
		    v, "type", "person", "name", text(name, "unknown")));
	return list;
}

static json_t *
roles(void)
{
	return json_pack("[{s:s, s:s}, {s:s, s:s}, {s:s, s:s}]",
	    "id", "tester", "title", "Engineer who ran the test",
	    "id", "assessor", "title", "Reviewer who signed off the result",
	    "id", "tool", "title", "Tool that judged the evidence");
}

/* The catalogue */

static json_t *
catalog(struct exporter *x)
{
	const struct procedure *p = &x->procedure;
	json_t *controls = json_array(), *group, *doc;
	char id[37];

	for (size_t i = 0; i < p->n_criteria; i++) {
		const struct procedure_item *c = &p->criteria[i];
		json_t *props = json_array(), *part;
		char *part_id = xasprintf("%s_smt", c->id);

		add_prop(props, "kind", c->kind);
		add_prop(props, "needs-traffic", c->needs_traffic ? "true" :
		    "false");
		part = json_pack("{s:s, s:s, s:o}", "id", part_id, "name",
		    "statement", "prose", text(c->text, c->title));
		json_array_append_new(controls, json_pack("{s:s, s:o, s:o, "
		    "s:[o]}", "id", c->id, "title", text(c->title, c->id),
		    "props", props, "parts", part));
		free(part_id);
	}
	group = json_pack("{s:s, s:o, s:o}", "id", "vpn-ha-failover-test",
	    "title", text(p->title, p->id), "controls", controls);
	uuid4(id);
	doc = json_pack("{s:{s:s, s:o, s:[o]}}", "catalog", "uuid", id,
	    "metadata", metadata(x, "VPN-HA-FAILOVER-TEST criteria"),
	    "groups", group);
	return doc;
}

/* Assessment results */

static int
load_files(struct exporter *x, const struct q_run *r, struct run_files *f)
{
	int rc;

	memset(f, 0, sizeof(*f));
	rc = store_evidence_list(x->ws->store, r->id, &f->files, &f->n);
	if (rc != 0)
		return rc;
	f->uuids = xcalloc(f->n + 1, sizeof(*f->uuids));
	for (size_t i = 0; i < f->n; i++)
		uuid4(f->uuids[i]);
	return 0;
}

static void
free_files(struct run_files *f)
{
	store_evidence_list_free(f->files, f->n);
	free(f->uuids);
}

static void
add_observations(const struct q_run *r, const struct run_files *f,
    json_t *list)
{
	for (size_t i = 0; i < f->n; i++) {
		const struct store_evidence *e = &f->files[i];
		json_t *props = json_array(), *evidence_props = json_array();
		char *desc, *where;

		add_prop_long(props, "run", r->id);
		add_prop(props, "tunnel", r->tunnel);
		add_prop(props, "evidence-kind", e->kind);
		add_prop(props, "host", e->host);
		add_prop(evidence_props, "sha256", e->sha256);
		add_prop(evidence_props, "commit", e->commit_id);
		desc = xasprintf("%s evidence of run %ld (tunnel %s, scenario "
		    "%d), SHA-256 %s", e->kind, r->id, r->tunnel, r->scenario,
		    e->sha256);
		where = xasprintf("archived byte for byte in the evidence "
		    "repository, commit %s", e->commit_id);
		json_array_append_new(list, json_pack("{s:s, s:o, s:o, s:o, "
		    "s:[s], s:o, s:[{s:s, s:o, s:o}]}", "uuid", f->uuids[i],
		    "title", text(e->name, "evidence"), "description",
		    text(desc, "evidence"), "props", props, "methods", "TEST",
		    "collected", timestamp(e->imported_at),
		    "relevant-evidence", "href", e->repo_path, "description",
		    text(where, "archived"), "props", evidence_props));
		free(desc);
		free(where);
	}
}

static const char *
observation_of(const struct run_files *f, const char *file)
{
	for (size_t i = 0; i < f->n; i++)
		if (file != NULL && strcmp(f->files[i].name, file) == 0)
			return f->uuids[i];
	return NULL;
}

/* A finding per criterion the run's evaluation judged. */
static void
add_findings(struct exporter *x, const struct q_run *r, json_t *eval,
    const struct run_files *f, json_t *list)
{
	json_t *c, *risk = NULL;
	char defect[32];
	size_t i;

	snprintf(defect, sizeof(defect), "%ld", r->defect);
	if (r->defect != 0)
		risk = json_object_get(x->risk_uuids, defect);
	json_array_foreach(json_object_get(eval, "criteria"), i, c) {
		const char *id = json_string_value(json_object_get(c, "id"));
		const char *result = json_string_value(json_object_get(c,
		    "result"));
		json_t *observations, *ref, *finding, *props, *seen;
		const char *reason;
		char uuid[37], *title;
		size_t k;

		if (id == NULL || result == NULL)
			continue;
		observations = json_array();
		seen = json_object();
		json_array_foreach(json_object_get(c, "evidence"), k, ref) {
			const char *obs = observation_of(f, json_string_value(
			    json_object_get(ref, "file")));

			if (obs == NULL || json_object_get(seen, obs) != NULL)
				continue;
			json_object_set_new(seen, obs, json_true());
			json_array_append_new(observations, json_pack("{s:s}",
			    "observation-uuid", obs));
		}
		json_decref(seen);
		reason = strcmp(result, "pass") == 0 ? "pass" :
		    strcmp(result, "fail") == 0 ? "fail" : "other";
		props = json_array();
		add_prop_long(props, "run", r->id);
		add_prop(props, "result", result);
		uuid4(uuid);
		title = xasprintf("Run %ld, %s: %s", r->id, id, result);
		finding = json_pack("{s:s, s:s, s:o, s:o, s:{s:s, s:s, s:{s:s, "
		    "s:s}}}", "uuid", uuid, "title", title, "description",
		    text(json_string_value(json_object_get(c, "reason")),
		    result), "props", props, "target", "type", "objective-id",
		    "target-id", id, "status", "state",
		    strcmp(result, "pass") == 0 ? "satisfied" : "not-satisfied",
		    "reason", reason);
		free(title);
		set_list(finding, "related-observations", observations);
		if (risk != NULL)
			json_object_set_new(finding, "related-risks",
			    json_pack("[{s:O}]", "risk-uuid", risk));
		json_array_append_new(list, finding);
	}
}

static void
log_entry(json_t *list, const struct q_run *r, const char *title,
    fp_time start, fp_time end, const char *description)
{
	json_t *entry, *props;
	char uuid[37], *full;

	if (start == FP_TIME_NONE)
		return;
	props = json_array();
	uuid4(uuid);
	full = xasprintf("Run %ld: %s", r->id, title);
	add_prop_long(props, "run", r->id);
	add_prop(props, "tunnel", r->tunnel);
	entry = json_pack("{s:s, s:s, s:o, s:o, s:o}", "uuid", uuid, "title",
	    full, "description", text(description, title), "start",
	    timestamp(start), "props", props);
	if (end != FP_TIME_NONE)
		json_object_set_new(entry, "end", timestamp(end));
	json_array_append_new(list, entry);
	free(full);
}

static fp_time
json_time(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	fp_time t;

	if (s == NULL || fp_time_parse_iso(s, &t) == 0)
		return FP_TIME_NONE;
	return t;
}

/* The failover timeline of a run, from its evaluation. */
static void
add_timeline(const struct q_run *r, json_t *eval, json_t *list)
{
	fp_time failover = json_time(eval, "failover_at");
	json_int_t child = json_integer_value(json_object_get(eval,
	    "child_sa_ms"));
	json_t *w;
	size_t i;
	char *text_;

	text_ = xasprintf("The primary was failed (%s, source: %s).",
	    r->method, json_string_value(json_object_get(eval,
	    "failover_source")) ? json_string_value(json_object_get(eval,
	    "failover_source")) : "unknown");
	log_entry(list, r, "failover", failover, failover, text_);
	free(text_);
	if (failover != FP_TIME_NONE && json_is_integer(json_object_get(eval,
	    "child_sa_ms")))
		log_entry(list, r, "standby CHILD SA established",
		    failover + child * 1000, failover + child * 1000,
		    "The standby and the peer had a new CHILD SA.");
	json_array_foreach(json_object_get(eval, "loss_windows"), i, w) {
		const char *dir = json_string_value(json_object_get(w,
		    "direction"));
		char *title, *desc;

		if (json_object_get(w, "used") != json_true())
			continue;
		title = xasprintf("loss window %s", dir ? dir : "");
		desc = xasprintf("No %s packet delivered in this direction "
		    "(source %s).", dir ? dir : "", json_string_value(
		    json_object_get(w, "source")) ? json_string_value(
		    json_object_get(w, "source")) : "unknown");
		log_entry(list, r, title, json_time(w, "start"),
		    json_time(w, "end"), desc);
		free(title);
		free(desc);
	}
	if (failover != FP_TIME_NONE && r->mttr_ms >= 0)
		log_entry(list, r, "traffic restored in both directions",
		    failover + r->mttr_ms * 1000, failover + r->mttr_ms * 1000,
		    "Traffic was delivered again in both directions (MTTR).");
	log_entry(list, r, "end of the observation window",
	    json_time(eval, "observed_until"), json_time(eval,
	    "observed_until"), "The last traffic evidence of the run.");
}

static json_t *
risk_of(struct exporter *x, const struct q_defect *d)
{
	json_t *props = json_array(), *risk;
	const char *status;
	char uuid[37], key[32], *title, *desc, *statement;

	status = strcmp(d->status, "verified") == 0 ||
	    strcmp(d->status, "closed") == 0 ? "closed" :
	    strcmp(d->status, "fixed") == 0 ? "remediating" : "open";
	snprintf(key, sizeof(key), "%ld", d->id);
	uuid4(uuid);
	json_object_set_new(x->risk_uuids, key, json_string(uuid));
	add_prop_long(props, "defect", d->id);
	add_prop_long(props, "run", d->run);
	add_prop(props, "tunnel", d->tunnel);
	add_prop_long(props, "scenario", d->scenario);
	add_prop(props, "verdict", d->verdict);
	add_prop(props, "cause", d->cause);
	add_prop(props, "defect-status", d->status);
	title = xasprintf("Design defect %ld: %s on tunnel %s, scenario %d",
	    d->id, d->verdict, d->tunnel, d->scenario);
	desc = xasprintf("Run %ld failed the failover test with verdict %s%s"
	    "%s.", d->run, d->verdict, d->cause ? ", cause " : "",
	    d->cause ? d->cause : "");
	statement = xasprintf("A failover of tunnel %s may not recover within "
	    "the maximum outage until a later run of scenario %d passes.",
	    d->tunnel, d->scenario);
	risk = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s}", "uuid", uuid,
	    "title", title, "description", desc, "statement", statement,
	    "props", props, "status", status);
	free(title);
	free(desc);
	free(statement);
	return risk;
}

static json_t *
attestation(struct exporter *x, const struct q_run *r)
{
	char *prose, *when = NULL, buf[FP_TIME_STRLEN];
	json_t *a;

	if (r->reviewer == NULL)
		return NULL;
	if (r->reviewed_at != FP_TIME_NONE) {
		fp_time_format(r->reviewed_at, buf, sizeof(buf));
		when = buf;
	}
	if (strcmp(r->signoff, "stale") == 0)
		prose = xasprintf("The sign-off by %s of run %ld (tunnel %s, "
		    "scenario %d)%s%s is stale: the run changed after the "
		    "review.", r->reviewer, r->id, r->tunnel, r->scenario,
		    when ? " on " : "", when ? when : "");
	else
		prose = xasprintf("%s %s the result of run %ld (tunnel %s, "
		    "scenario %d, verdict %s)%s%s.", r->reviewer, r->signoff,
		    r->id, r->tunnel, r->scenario, r->verdict ? r->verdict :
		    "none", when ? " on " : "", when ? when : "");
	a = json_pack("{s:[{s:s, s:[s]}], s:[{s:s, s:s, s:s}]}",
	    "responsible-parties", "role-id", "assessor", "party-uuids",
	    party(x, r->reviewer), "parts", "name", "sign-off", "title",
	    "Reviewer sign-off", "prose", prose);
	free(prose);
	return a;
}

static int
assessment_results(struct exporter *x, json_t **out)
{
	const struct quarterly *q = x->q;
	json_t *observations = json_array(), *findings = json_array();
	json_t *risks = json_array(), *attestations = json_array();
	json_t *entries = json_array(), *controls = json_array();
	json_t *result, *props = json_array(), *meta, *a;
	char uuid[37], doc_uuid[37], *title, *desc;
	int rc = 0;

	for (size_t i = 0; i < q->n_defects; i++)
		json_array_append_new(risks, risk_of(x, &q->defects[i]));
	for (size_t i = 0; i < q->n_runs && rc == 0; i++) {
		const struct q_run *r = &q->runs[i];
		struct run_files f;
		json_t *eval;

		if ((rc = load_files(x, r, &f)) != 0)
			break;
		party(x, r->executed_by);
		add_observations(r, &f, observations);
		eval = r->result_json ? json_loads(r->result_json, 0, NULL) :
		    NULL;
		if (eval != NULL) {
			add_findings(x, r, eval, &f, findings);
			add_timeline(r, eval, entries);
		}
		json_decref(eval);
		if ((a = attestation(x, r)) != NULL)
			json_array_append_new(attestations, a);
		free_files(&f);
	}
	if (rc != 0)
		goto fail;

	for (size_t i = 0; i < x->procedure.n_criteria; i++)
		json_array_append_new(controls, json_pack("{s:s}",
		    "control-id", x->procedure.criteria[i].id));
	add_prop(props, "evidence-commit", q->head_commit);
	add_prop(props, "first-run-commit", q->first_commit);
	add_prop(props, "last-run-commit", q->last_commit);
	uuid4(uuid);
	title = xasprintf("%s failover tests, %s", q->procedure_id, q->label);
	desc = xasprintf("%zu runs of the %s procedure whose drills took "
	    "place in %s, judged by failproof from their archived evidence.",
	    q->n_runs, q->procedure_id, q->label);
	result = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:{s:[{s:o}]}}",
	    "uuid", uuid, "title", title, "description", desc, "start",
	    timestamp(q->from), "end", timestamp(q->to < q->generated_at ?
	    q->to : q->generated_at), "props", props, "reviewed-controls",
	    "control-selections", "include-controls", controls);
	free(title);
	free(desc);
	set_list(result, "attestations", attestations);
	if (json_array_size(entries) > 0)
		json_object_set_new(result, "assessment-log",
		    json_pack("{s:o}", "entries", entries));
	else
		json_decref(entries);
	set_list(result, "observations", observations);
	set_list(result, "risks", risks);
	set_list(result, "findings", findings);

	meta = metadata(x, "VPN HA failover assessment results");
	json_object_set_new(meta, "roles", roles());
	json_object_set_new(meta, "parties", party_list(x));
	uuid4(doc_uuid);
	*out = json_pack("{s:{s:s, s:o, s:{s:s, s:s}, s:[o]}}",
	    "assessment-results", "uuid", doc_uuid, "metadata", meta,
	    "import-ap", "href", OSCAL_CATALOG_FILE, "remarks",
	    "failproof keeps no separate assessment plan: the procedure's "
	    "catalogue defines what each run is judged against.",
	    "results", result);
	return 0;
fail:
	json_decref(observations);
	json_decref(findings);
	json_decref(risks);
	json_decref(attestations);
	json_decref(entries);
	json_decref(controls);
	json_decref(props);
	return rc;
}

/* POA&M */

static json_t *
poam(struct exporter *x)
{
	const struct quarterly *q = x->q;
	json_t *items = json_array(), *risks = json_array(), *meta;
	char uuid[37];

	for (size_t i = 0; i < q->n_defects; i++) {
		const struct q_defect *d = &q->defects[i];
		json_t *risk, *props = json_array();
		char *title, *desc;

		if (!d->open_at_end)
			continue;
		risk = risk_of(x, d);
		add_prop_long(props, "defect", d->id);
		add_prop_long(props, "age-days", (long)d->age_days);
		add_prop(props, "owner", d->owner);
		title = xasprintf("Fix design defect %ld on tunnel %s, scenario "
		    "%d", d->id, d->tunnel, d->scenario);
		desc = xasprintf("Run %ld failed (%s%s%s); the defect stays "
		    "open until a later run of scenario %d on tunnel %s "
		    "passes.", d->run, d->verdict, d->cause ? ", " : "",
		    d->cause ? d->cause : "", d->scenario, d->tunnel);
		uuid4(uuid);
		json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:o, "
		    "s:[{s:O}]}", "uuid", uuid, "title", title, "description",
		    desc, "props", props, "related-risks", "risk-uuid",
		    json_object_get(risk, "uuid")));
		json_array_append_new(risks, risk);
		free(title);
		free(desc);
	}
	if (json_array_size(items) == 0) {
		json_decref(items);
		json_decref(risks);
		return NULL;
	}
	meta = metadata(x, "VPN HA failover design defects: plan of action "
	    "and milestones");
	uuid4(uuid);
	return json_pack("{s:{s:s, s:o, s:o, s:o}}",
	    "plan-of-action-and-milestones", "uuid", uuid, "metadata", meta,
	    "risks", risks, "poam-items", items);
}

static int
write_json(const char *dir, const char *name, json_t *doc)
{
	char *path = xasprintf("%s/%s", dir, name);
	int rc = 0;

	if (json_dump_file(doc, path, JSON_INDENT(2) | JSON_ENSURE_ASCII) != 0)
		rc = fp_fail(FP_EIO, "cannot write '%s'", path);
	free(path);
	return rc;
}

int
oscal_export(struct workspace *ws, const struct quarterly *q,
    const char *dir, int *wrote_poam)
{
	struct store_procedure row = { 0 };
	json_t *results = NULL, *cat = NULL, *plan = NULL;
	struct exporter x;
	long id;
	int rc;

	memset(&x, 0, sizeof(x));
	*wrote_poam = 0;
	if (mkdir(dir, 0777) != 0 && errno != EEXIST)
		return fp_fail(FP_EIO, "cannot create '%s': %s", dir,
		    strerror(errno));
	if ((rc = store_procedure_latest(ws->store, &id)) != 0 ||
	    (rc = store_procedure_get(ws->store, id, &row)) != 0)
		return rc;
	rc = procedure_load_text(row.definition, "procedure", &x.procedure);
	store_procedure_release(&row);
	if (rc != 0)
		return rc;
	x.ws = ws;
	x.q = q;
	x.parties = json_object();
	x.risk_uuids = json_object();
	uuid4(x.tool_uuid);

	cat = catalog(&x);
	if ((rc = assessment_results(&x, &results)) != 0)
		goto out;
	plan = poam(&x);
	if ((rc = write_json(dir, OSCAL_CATALOG_FILE, cat)) != 0 ||
	    (rc = write_json(dir, OSCAL_RESULTS_FILE, results)) != 0)
		goto out;
	if (plan != NULL) {
		rc = write_json(dir, OSCAL_POAM_FILE, plan);
		*wrote_poam = rc == 0;
	}
out:
	json_decref(cat);
	json_decref(results);
	json_decref(plan);
	json_decref(x.parties);
	json_decref(x.risk_uuids);
	procedure_release(&x.procedure);
	return rc;
}
