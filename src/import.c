/*
 * One import is one SQLite transaction and one git commit.  The file is
 * copied into the working tree first and the copy is parsed, so what is
 * archived is exactly what was read.  The commit happens before the
 * transaction commits: a crash between the two leaves a commit the store
 * does not index, never a row pointing at evidence the repository lacks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import.h"

#define MAX_WARNINGS 200

struct import_ctx {
	struct store *store;
	long evidence;
	struct import_result *res;
	int failed;
};

static int
sink_event(void *c, const struct fp_event *ev)
{
	struct import_ctx *ctx = c;

	/* An event without a time cannot be placed on the timeline; the
	 * importer has warned about its line and the file stays archived. */
	if (ev->ts == FP_TIME_NONE)
		return 0;
	ctx->res->events++;
	return store_event_insert(ctx->store, ctx->evidence, ev);
}

static int
sink_sample(void *c, const struct fp_sample *s)
{
	struct import_ctx *ctx = c;

	ctx->res->samples++;
	return store_sample_insert(ctx->store, ctx->evidence, s);
}

static int
sink_packet(void *c, const struct fp_packet *p)
{
	struct import_ctx *ctx = c;

	ctx->res->packets++;
	return store_packet_insert(ctx->store, ctx->evidence, p);
}

static void
sink_warn(void *c, long line, const char *msg)
{
	struct import_ctx *ctx = c;
	struct import_result *res = ctx->res;

	if (res->n_warnings >= MAX_WARNINGS) {
		res->warnings_dropped++;
		return;
	}
	res->warnings = xrealloc(res->warnings,
	    (res->n_warnings + 1) * sizeof(*res->warnings));
	res->warnings[res->n_warnings++] = line > 0 ?
	    xasprintf("line %ld: %s", line, msg) : xstrdup(msg);
}

static void
sink_partial(void *c, const char *why)
{
	struct import_ctx *ctx = c;

	free(ctx->res->partial);
	ctx->res->partial = xstrdup(why);
}

/* A repository path for the file that no earlier import of the run uses. */
static char *
archive_path(struct workspace *ws, long run, const char *name)
{
	char *dir = workspace_run_dir(run), *rel, *abs;
	struct stat st;

	rel = xasprintf("%s/evidence/%s", dir, name);
	for (int i = 2; ; i++) {
		abs = evrepo_path(ws->repo, rel);
		if (stat(abs, &st) != 0) {
			free(abs);
			break;
		}
		free(abs);
		free(rel);
		rel = xasprintf("%s/evidence/%d-%s", dir, i, name);
	}
	free(dir);
	return rel;
}

static const struct fp_importer *
choose_importer(const char *path, const char *kind, const char *name)
{
	const struct fp_importer *imp;

	if (kind != NULL) {
		imp = fp_importer_find(kind);
		if (imp == NULL)
			fp_fail(FP_EINVAL, "unknown kind '%s' for '%s': use "
			    "syslog, pcap, iperf3 or ping", kind, name);
		return imp;
	}
	imp = fp_importer_detect(path);
	if (imp == NULL)
		fp_fail(FP_EINVAL, "cannot tell what kind of evidence '%s' "
		    "is: pass --kind syslog|pcap|iperf3|ping", name);
	return imp;
}

int
import_parse_archived(struct workspace *ws, const struct fp_importer *imp,
    const char *copy, const struct fp_import_opts *opts,
    struct store_evidence *ev, struct import_result *res)
{
	struct import_ctx ctx = { ws->store, 0, res, 0 };
	struct fp_sink sink = { &ctx, sink_event, sink_sample, sink_packet,
	    sink_warn, sink_partial };
	int rc;

	if ((rc = store_evidence_insert(ws->store, ev)) != 0)
		return rc;
	ctx.evidence = ev->id;
	res->evidence_id = ev->id;
	if ((rc = imp->run(copy, opts, &sink)) != 0)
		return rc;
	return store_evidence_finish(ws->store, ev->id,
	    res->events + res->samples + res->packets, res->partial);
}

static int
commit_import(struct workspace *ws, const struct fp_run *run,
    const struct store_evidence *ev, struct import_result *res)
{
	char *msg;
	int rc;

	msg = xasprintf("Import %s into run %ld\n\nkind: %s\nhost: %s\n"
	    "sha256: %s\nrecords: %ld events, %ld samples, %ld packets\n%s%s",
	    ev->name, run->id, ev->kind, ev->host ? ev->host : "-",
	    ev->sha256, res->events, res->samples, res->packets,
	    res->partial ? "partial: " : "", res->partial ? res->partial : "");
	rc = evrepo_commit(ws->repo, msg, res->commit);
	free(msg);
	if (rc != 0)
		return rc;
	if ((rc = store_evidence_set_commit(ws->store, ev->id,
	    res->commit)) != 0)
		return rc;
	return store_run_touch(ws->store, run->id);
}

int
import_file(struct workspace *ws, const struct fp_run *run, const char *path,
    const char *kind, const struct fp_import_opts *opts,
    struct import_result *res)
{
	const char *name = fp_basename(path);
	const struct fp_importer *imp;
	struct store_evidence ev = { 0 }, found;
	struct fp_import_opts o = *opts;
	char *rel = NULL, *copy = NULL, copy_sha[65];
	struct stat st;
	int rc, begun = 0, staged = 0;

	memset(res, 0, sizeof(*res));
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return fp_fail(FP_EIO, "cannot read '%s': not a regular file",
		    path);
	if ((rc = fp_sha256_file(path, res->sha256)) != 0)
		return rc;
	if (store_evidence_find(ws->store, run->id, res->sha256, &found) == 0) {
		res->duplicate = 1;
		res->evidence_id = found.id;
		snprintf(res->kind, sizeof(res->kind), "%s", found.kind);
		snprintf(res->commit, sizeof(res->commit), "%s",
		    found.commit_id);
		store_evidence_release(&found);
		return 0;
	}
	if ((imp = choose_importer(path, kind, name)) == NULL)
		return FP_EINVAL;
	snprintf(res->kind, sizeof(res->kind), "%s", imp->kind);

	rel = archive_path(ws, run->id, name);
	if ((rc = evrepo_add_copy(ws->repo, path, rel)) != 0)
		goto fail;
	staged = 1;
	if ((rc = import_write_meta(ws, rel, run->id, imp->kind, res->sha256,
	    opts)) != 0)
		goto fail;
	copy = evrepo_path(ws->repo, rel);
	if ((rc = fp_sha256_file(copy, copy_sha)) != 0)
		goto fail;
	if (strcmp(copy_sha, res->sha256) != 0) {
		rc = fp_fail(FP_EIO, "'%s' changed while it was being "
		    "archived: import it again once it is complete", name);
		goto fail;
	}

	ev.run = run->id;
	ev.name = (char *)name;
	ev.kind = (char *)imp->kind;
	ev.host = (char *)opts->host;
	ev.sha256 = res->sha256;
	ev.size = st.st_size;
	ev.repo_path = rel;
	ev.imported_at = fp_now();
	o.display_name = name;
	if ((rc = store_begin(ws->store)) != 0)
		goto fail;
	begun = 1;
	if ((rc = import_parse_archived(ws, imp, copy, &o, &ev, res)) != 0 ||
	    (rc = commit_import(ws, run, &ev, res)) != 0 ||
	    (rc = store_commit(ws->store)) != 0)
		goto fail;
	free(rel);
	free(copy);
	return 0;
fail:
	if (begun)
		store_rollback(ws->store);
	if (staged && res->commit[0] == '\0') {
		char *meta = xasprintf("%s%s", rel, IMPORT_META_SUFFIX);

		evrepo_discard(ws->repo, rel);
		evrepo_discard(ws->repo, meta);
		free(meta);
	}
	free(rel);
	free(copy);
	return rc;
}

void
import_result_release(struct import_result *res)
{
	for (size_t i = 0; i < res->n_warnings; i++)
		free(res->warnings[i]);
	free(res->warnings);
	free(res->partial);
	memset(res, 0, sizeof(*res));
}
