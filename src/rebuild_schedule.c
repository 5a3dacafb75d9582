/*
 * Rebuild: the procedure's document control and the test schedule.  The
 * records are procedure/procedure.xml (the definition in force),
 * procedure/revisions/REV.xml with its record REV.json,
 * procedure/approvals/REV-TIME.txt, tunnels/NAME.txt and
 * changes/TUNNEL/TIME-KIND.txt.  Revisions recorded before REV.json
 * existed take their author and summary from the commit, which
 * procedure_revise() authors with them.
 */
#include <stdlib.h>
#include <string.h>

#include "change.h"
#include "procedure.h"
#include "procedure_revision.h"
#include "rebuild.h"

/* Store a definition as procedure_revise() and init do; an unchanged one
 * is the row it was already. */
static int
put_definition(struct rebuild *rb, const char *path, long *id)
{
	struct store_procedure row = { 0 };
	struct procedure p;
	char *text = NULL;
	size_t len;
	int rc;

	if ((rc = rebuild_read(rb, path, &text, &len)) != 0)
		return rc;
	rc = procedure_load_text(text, path, &p);
	free(text);
	if (rc != 0)
		return rc;
	row.procedure_id = p.id;
	row.revision = p.revision;
	row.title = p.title;
	row.change_category = p.change_category;
	row.review_cycle = p.review_cycle;
	row.max_outage_ms = p.max_outage_ms;
	row.sha256 = p.sha256;
	row.definition = p.xml;
	rc = store_procedure_put(rb->ws->store, &row);
	*id = row.id;
	procedure_release(&p);
	return rc;
}

int
rebuild_procedure(struct rebuild *rb, const char *path)
{
	long id;

	rebuild_clock(rb, FP_TIME_NONE);
	return put_definition(rb, path, &id);
}

/* The author as procedure_revise() was given it: a name, or a name and
 * an email. */
static char *
commit_author(const struct evrepo_commit *c)
{
	if (c->email == NULL || *c->email == '\0' ||
	    strcmp(c->email, CHANGE_NO_EMAIL) == 0)
		return xstrdup(c->author);
	return xasprintf("%s <%s>", c->author, c->email);
}

/* The summary procedure_revise() put after the message's first line. */
static char *
commit_summary(const struct evrepo_commit *c)
{
	const char *body = strstr(c->message, "\n\n");
	size_t len;

	if (body == NULL)
		return NULL;
	body += 2;
	len = strlen(body);
	if (len > 0 && body[len - 1] == '\n')
		len--;
	return xstrndup(body, len);
}

int
rebuild_revision(struct rebuild *rb, const char *path)
{
	struct store_revision control = { 0 };
	char *record_path, sha[65];
	json_t *record = NULL;
	int rc;

	record_path = xasprintf("%.*s.json", (int)(strlen(path) - 4), path);
	rc = rebuild_read_json(rb, record_path, &record, sha);
	if (rc == FP_ENOTFOUND) {
		fp_clear_error();
		rc = 0;
	}
	if (rc != 0)
		goto out;
	if (record != NULL) {
		const char *author = json_string_value(json_object_get(record,
		    "author"));
		const char *summary = json_string_value(json_object_get(record,
		    "summary"));

		control.author = author ? xstrdup(author) : NULL;
		control.summary = summary ? xstrdup(summary) : NULL;
		control.revised_at = rebuild_json_time(record, "revised_at");
	} else {
		control.author = commit_author(rb->commit);
		control.summary = commit_summary(rb->commit);
		control.revised_at = FP_TIME_NONE;
		rb->st->old_records++;
	}
	control.revised_at = rebuild_clock(rb, control.revised_at);
	if ((rc = put_definition(rb, path, &control.procedure)) != 0)
		goto out;
	control.status = "draft";
	control.approved_at = control.reviewed_at = FP_TIME_NONE;
	control.superseded_at = FP_TIME_NONE;
	control.commit_id = (char *)rb->commit->id;
	rc = store_revision_put(rb->ws->store, &control);
out:
	free(control.author);
	free(control.summary);
	json_decref(record);
	free(record_path);
	return rc;
}

int
rebuild_approval(struct rebuild *rb, const char *path)
{
	struct store_revision *revs = NULL, *target = NULL;
	char *text = NULL, *procedure = NULL, *revision = NULL;
	char *approver = NULL;
	size_t len, n = 0;
	fp_time at;
	int rc;

	if ((rc = rebuild_read(rb, path, &text, &len)) != 0)
		return rc;
	procedure = rebuild_field(text, "procedure");
	revision = rebuild_field(text, "revision");
	if ((approver = rebuild_field(text, "approval")) == NULL)
		approver = rebuild_field(text, "review");
	at = rebuild_field_time(text, "at");
	if (procedure == NULL || revision == NULL || approver == NULL ||
	    at == FP_TIME_NONE) {
		rc = fp_fail(FP_EINVAL, "'%s' is not a complete approval "
		    "record", path);
		goto out;
	}
	if ((rc = store_revision_list(rb->ws->store, &revs, &n)) != 0)
		goto out;
	/* procedure_approve() approves the latest row of the revision. */
	for (size_t i = 0; i < n; i++)
		if (strcmp(revs[i].procedure_id, procedure) == 0 &&
		    strcmp(revs[i].revision, revision) == 0)
			target = &revs[i];
	if (target == NULL) {
		rc = fp_fail(FP_ENOTFOUND, "'%s' approves revision %s, which "
		    "no earlier commit records", path, revision);
		goto out;
	}
	rebuild_clock(rb, FP_TIME_NONE);
	rc = procedure_control_approve(rb->ws->store, revs, n, target,
	    approver, at, rb->commit->id);
	if (rc == 0)
		rb->st->approvals++;
out:
	store_revision_list_free(revs, n);
	free(approver);
	free(revision);
	free(procedure);
	free(text);
	return rc;
}

int
rebuild_tunnel(struct rebuild *rb, const char *path)
{
	struct store_tunnel t = { 0 };
	char *text = NULL, *ike = NULL;
	size_t len;
	int rc;

	if ((rc = rebuild_read(rb, path, &text, &len)) != 0)
		return rc;
	t.name = rebuild_field(text, "tunnel");
	t.units = rebuild_field(text, "units");
	t.peer = rebuild_field(text, "peer");
	t.vendor = rebuild_field(text, "vendor");
	t.added_by = rebuild_field(text, "added-by");
	ike = rebuild_field(text, "ike-version");
	t.ike_version = ike ? (int)strtol(ike, NULL, 10) : 0;
	if (!t.name || !t.units || !t.peer || !t.vendor) {
		rc = fp_fail(FP_EINVAL, "'%s' is not a complete tunnel record",
		    path);
		goto out;
	}
	/* tunnel_add() registers a name once; a later commit of the file
	 * is not a registration. */
	if ((rc = store_tunnel_exists(rb->ws->store, t.name)) != 0) {
		rc = rc < 0 ? rc : 0;
		goto out;
	}
	t.added_at = rebuild_field_time(text, "added-at");
	rb->st->old_records += t.added_at == FP_TIME_NONE;
	t.added_at = rebuild_clock(rb, t.added_at);
	t.record_path = (char *)path;
	t.commit_id = (char *)rb->commit->id;
	if ((rc = store_tunnel_insert(rb->ws->store, &t)) == 0)
		rb->st->tunnels++;
out:
	free(t.name);
	free(t.units);
	free(t.peer);
	free(t.vendor);
	free(t.added_by);
	free(ike);
	free(text);
	return rc;
}

int
rebuild_change(struct rebuild *rb, const char *path)
{
	struct store_change c = { 0 };
	char *text = NULL;
	size_t len;
	int rc;

	if ((rc = rebuild_read(rb, path, &text, &len)) != 0)
		return rc;
	c.tunnel = rebuild_field(text, "tunnel");
	c.kind = rebuild_field(text, "kind");
	c.changed_by = rebuild_field(text, "changed-by");
	c.ref = rebuild_field(text, "ref");
	c.changed_at = rebuild_field_time(text, "changed-at");
	if (!c.tunnel || !c.kind || !c.changed_by || !c.ref ||
	    c.changed_at == FP_TIME_NONE) {
		rc = fp_fail(FP_EINVAL, "'%s' is not a complete change record",
		    path);
		goto out;
	}
	c.recorded_at = rebuild_field_time(text, "recorded-at");
	rb->st->old_records += c.recorded_at == FP_TIME_NONE;
	c.recorded_at = rebuild_clock(rb, c.recorded_at);
	c.record_path = (char *)path;
	c.commit_id = (char *)rb->commit->id;
	if ((rc = store_change_insert(rb->ws->store, &c)) == 0)
		rb->st->changes++;
out:
	free(c.tunnel);
	free(c.kind);
	free(c.changed_by);
	free(c.ref);
	free(text);
	return rc;
}
