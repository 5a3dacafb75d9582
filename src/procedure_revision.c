/*
 * Revising and approving the procedure.  A revision is the definition
 * procedure/revisions/REV.xml with the record REV.json (author, summary,
 * time); an approval or review is procedure/approvals/REV-TIME.txt.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "change.h"
#include "procedure.h"
#include "procedure_revision.h"
#include "review_record.h"

/* Check a revision string, which becomes part of a file name. */
static int
check_revision(const char *revision)
{
	if (*revision == '\0' || strlen(revision) > 32)
		goto invalid;
	for (const char *p = revision; *p != '\0'; p++)
		if (!(*p >= '0' && *p <= '9') && !(*p >= 'a' && *p <= 'z') &&
		    !(*p >= 'A' && *p <= 'Z') && *p != '.' && *p != '-')
			goto invalid;
	return 0;
invalid:
	return fp_fail(FP_EINVAL, "invalid revision '%s' in the procedure's "
	    "document control: use up to 32 letters, digits, '.' or '-'",
	    revision);
}

/* Commit the staged files with actor ("Name" or "Name <email>") as author. */
static int
commit_as(struct workspace *ws, const char *actor, const char *msg,
    char commit[41])
{
	char *name = NULL, *email = NULL;
	int rc;

	if ((rc = change_split_actor(actor, &name, &email)) == 0)
		rc = evrepo_commit_as(ws->repo, name, email, msg, commit);
	free(name);
	free(email);
	return rc;
}

/* Stage the record of a revision beside its definition. */
static int
add_revision_record(struct workspace *ws, const struct procedure *p,
    const char *author, const char *summary, fp_time at)
{
	char when[FP_TIME_STRLEN], *rel, *text;
	json_t *o;
	int rc;

	fp_time_format(at, when, sizeof(when));
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "procedure", p->id,
	    "revision", p->revision, "sha256", p->sha256, "author", author,
	    "summary", summary, "revised_at", when);
	text = o ? json_dumps(o, JSON_INDENT(2) | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	if (text == NULL)
		return fp_fail(FP_EINVAL, "cannot write the record of revision "
		    "%s", p->revision);
	rel = xasprintf("procedure/revisions/%s.json", p->revision);
	rc = evrepo_add_data(ws->repo, rel, text, strlen(text));
	free(rel);
	free(text);
	return rc;
}

int
procedure_revise(struct workspace *ws, const char *path, const char *author,
    const char *summary, long *procedure)
{
	struct store_revision *revs = NULL, control = { 0 };
	struct store_procedure row = { 0 };
	char *rel = NULL, *msg = NULL, commit[41];
	fp_time now = fp_now();
	struct procedure p;
	size_t n = 0;
	int rc;

	if (author == NULL || *author == '\0' || summary == NULL ||
	    *summary == '\0')
		return fp_fail(FP_EINVAL, "--author and --summary are required");
	if ((rc = procedure_load_file(path, &p)) != 0)
		return rc;
	if ((rc = check_revision(p.revision)) != 0 ||
	    (rc = store_revision_list(ws->store, &revs, &n)) != 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(revs[i].procedure_id, p.id) != 0 ||
		    strcmp(revs[i].revision, p.revision) != 0)
			continue;
		rc = fp_fail(FP_EINVAL, "revision %s of %s is recorded "
		    "already: raise <revision> in '%s'", p.revision, p.id,
		    path);
		goto out;
	}

	row.procedure_id = p.id;
	row.revision = p.revision;
	row.title = p.title;
	row.change_category = p.change_category;
	row.review_cycle = p.review_cycle;
	row.max_outage_ms = p.max_outage_ms;
	row.sha256 = p.sha256;
	row.definition = p.xml;
	rel = xasprintf("procedure/revisions/%s.xml", p.revision);
	msg = xasprintf("Revise procedure %s to revision %s (draft)\n\n%s\n",
	    p.id, p.revision, summary);
	if ((rc = store_begin(ws->store)) != 0)
		goto out;
	rc = store_procedure_put(ws->store, &row);
	if (rc == 0)
		rc = evrepo_add_data(ws->repo, rel, p.xml, strlen(p.xml));
	if (rc == 0)
		rc = add_revision_record(ws, &p, author, summary, now);
	if (rc == 0)
		rc = commit_as(ws, author, msg, commit);
	if (rc != 0) {
		char *record = xasprintf("procedure/revisions/%s.json",
		    p.revision);

		evrepo_discard(ws->repo, rel);
		evrepo_discard(ws->repo, record);
		free(record);
	}
	if (rc == 0) {
		control.procedure = row.id;
		control.status = "draft";
		control.author = (char *)author;
		control.summary = (char *)summary;
		control.revised_at = now;
		control.approved_at = control.reviewed_at = FP_TIME_NONE;
		control.superseded_at = FP_TIME_NONE;
		control.commit_id = commit;
		rc = store_revision_put(ws->store, &control);
	}
	if (rc == 0)
		rc = store_commit(ws->store);
	else
		store_rollback(ws->store);
	if (rc == 0)
		*procedure = row.id;
out:
	store_revision_list_free(revs, n);
	procedure_release(&p);
	free(rel);
	free(msg);
	return rc;
}

/* Write the approval record and the current definition, then commit. */
static int
commit_approval(struct workspace *ws, const struct store_revision *r,
    const char *approver, const char *what, fp_time at, char commit[41])
{
	struct store_procedure row = { 0 };
	char when[FP_TIME_STRLEN], *rel, *text, *msg;
	int rc;

	if ((rc = store_procedure_get(ws->store, r->procedure, &row)) != 0)
		return rc;
	fp_time_format(at, when, sizeof(when));
	rel = xasprintf("procedure/approvals/%s-%.19s.txt", r->revision, when);
	text = xasprintf("procedure: %s\nrevision: %s\nsha256: %s\n%s: %s\n"
	    "at: %s\n", r->procedure_id, r->revision, r->sha256, what,
	    approver, when);
	msg = xasprintf("Record the %s of procedure %s revision %s\n\n%s",
	    what, r->procedure_id, r->revision, text);
	rc = evrepo_add_data(ws->repo, rel, text, strlen(text));
	if (rc == 0)
		rc = evrepo_add_data(ws->repo, "procedure/procedure.xml",
		    row.definition, strlen(row.definition));
	if (rc == 0)
		rc = commit_as(ws, approver, msg, commit);
	if (rc != 0)
		evrepo_discard(ws->repo, rel);
	free(rel);
	free(text);
	free(msg);
	store_procedure_release(&row);
	return rc;
}

int
procedure_control_approve(struct store *s, struct store_revision *revs,
    size_t n, struct store_revision *target, const char *approver,
    fp_time at, const char *commit)
{
	int rc = 0, review = strcmp(target->status, "approved") == 0;

	for (size_t i = 0; rc == 0 && !review && i < n; i++) {
		if (&revs[i] == target ||
		    strcmp(revs[i].status, "approved") != 0)
			continue;
		free(revs[i].status);
		revs[i].status = xstrdup("superseded");
		revs[i].superseded_at = at;
		rc = store_revision_put(s, &revs[i]);
	}
	if (rc != 0)
		return rc;
	free(target->status);
	target->status = xstrdup("approved");
	if (review) {
		free(target->reviewed_by);
		target->reviewed_by = xstrdup(approver);
		target->reviewed_at = at;
	} else {
		free(target->approved_by);
		target->approved_by = xstrdup(approver);
		target->approved_at = at;
	}
	free(target->commit_id);
	target->commit_id = xstrdup(commit);
	return store_revision_put(s, target);
}

int
procedure_approve(struct workspace *ws, const char *revision,
    const char *approver, fp_time at)
{
	struct store_revision *revs = NULL, *target = NULL;
	size_t n = 0;
	char commit[41];
	fp_time now = at != FP_TIME_NONE ? at : fp_now();

	/* An approval recorded afterwards may be dated back to when it was
	 * given on paper, never forward. */
	if (at != FP_TIME_NONE && at > fp_now())
		return fp_fail(FP_EINVAL, "an approval cannot be dated in the "
		    "future: --at must be now or earlier");
	int rc, review;

	if (approver == NULL || *approver == '\0')
		return fp_fail(FP_EINVAL, "--by is required");
	if ((rc = store_revision_list(ws->store, &revs, &n)) != 0)
		return rc;
	for (size_t i = 0; i < n; i++)
		if (strcmp(revs[i].revision, revision) == 0)
			target = &revs[i];
	if (target == NULL) {
		rc = fp_fail(FP_ENOTFOUND, "revision '%s' is not recorded: "
		    "'failproof procedure show' lists the revisions", revision);
		goto out;
	}
	if (strcmp(target->status, "superseded") == 0) {
		rc = fp_fail(FP_EDENIED, "revision %s is superseded: approve "
		    "the current revision instead", revision);
		goto out;
	}
	if (target->author != NULL && actor_same(target->author, approver)) {
		rc = fp_fail(FP_EDENIED, "%s wrote revision %s and cannot "
		    "approve it: another person must approve", approver,
		    revision);
		goto out;
	}
	review = strcmp(target->status, "approved") == 0;

	if ((rc = store_begin(ws->store)) != 0)
		goto out;
	rc = commit_approval(ws, target, approver, review ? "review" :
	    "approval", now, commit);
	if (rc == 0)
		rc = procedure_control_approve(ws->store, revs, n, target,
		    approver, now, commit);
	if (rc == 0)
		rc = store_commit(ws->store);
	else
		store_rollback(ws->store);
out:
	store_revision_list_free(revs, n);
	return rc;
}
