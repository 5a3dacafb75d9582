/*
 * One import is one SQLite transaction and one git commit.  The file is
 * copied into the working tree first and the copy is parsed, so what is
 * archived is exactly what was read.  The commit happens before the
 * transaction commits: a crash between the two leaves a commit the store
 * does not index, never a row pointing at evidence the repository lacks.
 */
#include <errno.h>
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
	const char *unit;	/* "line", or "packet" for captures */
	struct flow_table *flows;	/* a capture's packets, aggregated */
};

/* Add one stored event of kind to the result's count per kind. */
static void
import_count_kind(struct import_result *res, const char *kind)
{
	size_t i;

	for (i = 0; i < res->n_kinds; i++) {
		if (strcmp(res->kinds[i].kind, kind) == 0) {
			res->kinds[i].count++;
			return;
		}
	}
	res->kinds = xrealloc(res->kinds, (i + 1) * sizeof(*res->kinds));
	snprintf(res->kinds[i].kind, sizeof(res->kinds[i].kind), "%s", kind);
	res->kinds[i].count = 1;
	res->n_kinds++;
}

static int
sink_event(void *c, const struct fp_event *ev)
{
	struct import_ctx *ctx = c;

	/* An event without a time cannot be placed on the timeline; the
	 * importer has warned about its line and the file stays archived. */
	if (ev->ts == FP_TIME_NONE) {
		ctx->res->untimed++;
		return 0;
	}
	ctx->res->events++;
	import_count_kind(ctx->res, ev->kind);
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
	if (ctx->flows == NULL)
		ctx->flows = flow_table_new();
	if (!flow_table_add(ctx->flows, p))
		return 0;
	return store_packet_insert(ctx->store, ctx->evidence, p);
}

static int
sink_counter(void *c, const struct fp_counter *counter)
{
	struct import_ctx *ctx = c;

	ctx->res->counters++;
	return store_counter_insert(ctx->store, ctx->evidence, counter);
}

static int
sink_step(void *c, const struct fp_step *st)
{
	struct import_ctx *ctx = c;

	ctx->res->steps++;
	return store_step_insert(ctx->store, ctx->evidence, st);
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
	    xasprintf("%s %ld: %s", ctx->unit, line, msg) : xstrdup(msg);
}

static void
sink_partial(void *c, const char *why)
{
	struct import_ctx *ctx = c;

	free(ctx->res->partial);
	ctx->res->partial = xstrdup(why);
}

/*
 * Store the flows a capture's packets were aggregated into, and warn
 * about what the flow table's bounds left out.
 */
static int
store_flows(struct import_ctx *ctx)
{
	struct flow_table_stats stats;
	char *msg;
	int rc = 0;

	if (ctx->flows == NULL)
		return 0;
	for (size_t i = 0; i < flow_table_count(ctx->flows) && rc == 0; i++)
		rc = store_flow_insert(ctx->store, ctx->evidence,
		    flow_table_get(ctx->flows, i));
	flow_table_stats(ctx->flows, &stats);
	if (stats.unflowed_packets > 0) {
		msg = xasprintf("%lld packets belong to flows beyond the "
		    "first %d ESP and %d other flows and are not counted",
		    (long long)stats.unflowed_packets, FLOW_MAX_ESP,
		    FLOW_MAX_CLEAR);
		sink_warn(ctx, 0, msg);
		free(msg);
	}
	if (stats.untimed_packets > 0) {
		msg = xasprintf("%lld packets have no time stamp, or one more "
		    "than 73,000 years from 1970, and are not counted in flows",
		    (long long)stats.untimed_packets);
		sink_warn(ctx, 0, msg);
		free(msg);
	}
	if (stats.rows_dropped > 0) {
		msg = xasprintf("%lld packets that are neither IKE, ESP, ICMP "
		    "echo, UDP nor TCP were counted but not stored (the "
		    "first %d were)", (long long)stats.rows_dropped,
		    FLOW_MAX_ROWS);
		sink_warn(ctx, 0, msg);
		free(msg);
	}
	return rc;
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
			    "syslog, pcap, tshark, counters, iperf3, ping, "
			    "fping, junit, robot, chaos, timeline or config",
			    kind, name);
		return imp;
	}
	imp = fp_importer_detect(path);
	if (imp == NULL)
		fp_fail(FP_EINVAL, "cannot tell what kind of evidence '%s' "
		    "is: pass --kind syslog|pcap|tshark|counters|iperf3|ping|"
		    "fping|junit|robot|chaos|timeline|config", name);
	return imp;
}

int
import_parse_archived(struct workspace *ws, const struct fp_importer *imp,
    const char *copy, const struct fp_import_opts *opts,
    struct store_evidence *ev, struct import_result *res)
{
	struct import_ctx ctx = { ws->store, 0, res, 0, "line", NULL };
	struct fp_sink sink = { &ctx, sink_event, sink_sample, sink_packet,
	    sink_warn, sink_partial, sink_step, sink_counter };
	int rc;

	if (strcmp(imp->kind, "pcap") == 0 || strcmp(imp->kind, "tshark") == 0)
		ctx.unit = "packet";

	if ((rc = store_evidence_insert(ws->store, ev)) != 0)
		return rc;
	ctx.evidence = ev->id;
	res->evidence_id = ev->id;
	rc = imp->run(copy, opts, &sink);
	if (rc == 0)
		rc = store_flows(&ctx);
	flow_table_free(ctx.flows);
	if (rc != 0)
		return rc;
	return store_evidence_finish(ws->store, ev->id,
	    res->events + res->samples + res->packets + res->steps +
	    res->counters, res->partial);
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
	char *markers_rel = NULL, *markers = NULL, markers_sha[65];
	fp_time now = fp_now();
	struct stat st;
	int rc, begun = 0, staged = 0;

	memset(res, 0, sizeof(*res));
	if (stat(path, &st) != 0)
		return fp_fail(FP_EIO, "cannot read '%s': %s", path,
		    strerror(errno));
	if (!S_ISREG(st.st_mode))
		return fp_fail(FP_EINVAL, "cannot import '%s': not a regular "
		    "file", path);
	if (st.st_size == 0)
		return fp_fail(FP_EINVAL, "'%s' is empty: nothing to import",
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
	/* A timeline's markers decide what its lines become: they are
	 * archived beside it and the archived copy is what is read. */
	if (opts->markers != NULL && strcmp(imp->kind, "timeline") == 0) {
		markers_rel = xasprintf("%s%s", rel, IMPORT_MARKERS_SUFFIX);
		if ((rc = evrepo_add_copy(ws->repo, opts->markers,
		    markers_rel)) != 0)
			goto fail;
		markers = evrepo_path(ws->repo, markers_rel);
		if ((rc = fp_sha256_file(markers, markers_sha)) != 0)
			goto fail;
		o.markers = markers;
		o.markers_name = fp_basename(opts->markers);
	}
	if ((rc = import_write_meta(ws, rel, run->id, imp->kind, res->sha256,
	    opts, markers ? markers_sha : NULL, now)) != 0)
		goto fail;
	copy = evrepo_path(ws->repo, rel);
	if ((rc = fp_sha256_file(copy, copy_sha)) != 0)
		goto fail;
	/* Size and hash both describe the archived bytes, which are what
	 * is parsed. */
	if (stat(copy, &st) != 0 || strcmp(copy_sha, res->sha256) != 0) {
		rc = fp_fail(FP_EIO, "'%s' changed while it was being "
		    "archived: import it again once it is complete", name);
		goto fail;
	}

	ev.run = run->id;
	/* The archived name: two files of one name stay apart in citations. */
	ev.name = (char *)fp_basename(rel);
	ev.kind = (char *)imp->kind;
	ev.host = (char *)opts->host;
	ev.sha256 = res->sha256;
	ev.size = st.st_size;
	ev.repo_path = rel;
	ev.imported_at = now;
	o.display_name = name;
	o.stats = &res->lines;
	if ((rc = store_begin(ws->store)) != 0)
		goto fail;
	begun = 1;
	if ((rc = import_parse_archived(ws, imp, copy, &o, &ev, res)) != 0 ||
	    (rc = commit_import(ws, run, &ev, res)) != 0 ||
	    (rc = store_commit(ws->store)) != 0)
		goto fail;
	free(markers);
	free(markers_rel);
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
		if (markers_rel != NULL)
			evrepo_discard(ws->repo, markers_rel);
		free(meta);
	}
	free(markers);
	free(markers_rel);
	free(rel);
	free(copy);
	return rc;
}

void
import_result_release(struct import_result *res)
{
	for (size_t i = 0; i < res->n_warnings; i++)
		free(res->warnings[i]);
	free(res->kinds);
	free(res->warnings);
	free(res->partial);
	memset(res, 0, sizeof(*res));
}
