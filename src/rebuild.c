/*
 * Rebuilding a workspace's store from its evidence repository.  The
 * repository is the record: every command that changes the store commits
 * a record of the change, one commit each, so replaying the commits of
 * main in order makes the same store calls in the same order.  Rows get
 * the ids they had, unless a crash made the store index a commit late,
 * and the times their records state.  A record without a time of its own
 * (one written before records carried it) gets the time of its commit,
 * whole seconds, moved past the instant replayed before it so that
 * comparisons such as "the run changed after the review" keep their
 * result.
 *
 * What each commit holds, and what replays it:
 *   procedure/procedure.xml, procedure/revisions/, procedure/approvals/,
 *   tunnels/, changes/                    rebuild_schedule.c
 *   runs/run-N/run.txt                    the run (first commit) or a
 *                                         change to it (later ones)
 *   runs/run-N/evidence/FILE.import       FILE parsed again
 *   runs/run-N/evaluation.json            one evaluation, with the
 *                                         defects it opened or verified
 *   runs/run-N/{reports,reviews,attestations,waivers,defects}/
 *                                         rebuild_review.c
 * Anything else (quarterly reports, files a user committed) has no row.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "defect.h"
#include "evaluate.h"
#include "import.h"
#include "rebuild.h"
#include "store_quarterly.h"
#include "store_review.h"

/* Records are small; an evaluation with its evidence lists is the
 * largest. */
#define RECORD_MAX ((size_t)64 << 20)

fp_time
rebuild_clock(struct rebuild *rb, fp_time stated)
{
	fp_time t = stated;

	if (t == FP_TIME_NONE) {
		t = (fp_time)rb->commit->time * 1000000;
		if (t <= rb->clock)
			t = rb->clock + 1;
	}
	if (t > rb->clock)
		rb->clock = t;
	fp_now_pin(t);
	return t;
}

int
rebuild_read(struct rebuild *rb, const char *rel, char **text, size_t *len)
{
	return evrepo_read(rb->ws->repo, rb->commit->id, rel, RECORD_MAX,
	    text, len);
}

int
rebuild_read_json(struct rebuild *rb, const char *rel, json_t **out,
    char sha256[65])
{
	json_error_t jerr;
	char *text = NULL;
	size_t len;
	int rc;

	*out = NULL;
	if ((rc = rebuild_read(rb, rel, &text, &len)) != 0)
		return rc;
	fp_sha256_hex(text, len, sha256);
	*out = json_loadb(text, len, 0, &jerr);
	free(text);
	if (*out == NULL)
		return fp_fail(FP_EINVAL, "'%s' line %d: invalid JSON record: "
		    "%s", rel, jerr.line, jerr.text);
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return fp_fail(FP_EINVAL, "'%s' is not a JSON object", rel);
	}
	return 0;
}

fp_time
rebuild_json_time(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	fp_time t;

	if (s == NULL || fp_time_parse_iso(s, &t) != strlen(s))
		return FP_TIME_NONE;
	return t;
}

char *
rebuild_field(const char *text, const char *key)
{
	size_t n = strlen(key);

	for (const char *line = text; line != NULL && *line != '\0';
	    line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, key, n) == 0 && line[n] == ':' &&
		    line[n + 1] == ' ') {
			const char *value = line + n + 2;

			if (strncmp(value, "-\n", 2) == 0 ||
			    strcmp(value, "-") == 0)
				return NULL;
			return xstrndup(value, strcspn(value, "\n"));
		}
	}
	return NULL;
}

fp_time
rebuild_field_time(const char *text, const char *key)
{
	char *value = rebuild_field(text, key);
	fp_time t = FP_TIME_NONE;

	if (value != NULL && fp_time_parse_iso(value, &t) != strlen(value))
		t = FP_TIME_NONE;
	free(value);
	return t;
}

/* Parse a run.txt as workspace_run_create() and _update() write it. */
static int
parse_run(const char *path, const char *text, struct fp_run *run)
{
	char *v;

	run->failover_at = FP_TIME_NONE;
	run->max_outage_ms = -1;
	if ((v = rebuild_field(text, "run")) != NULL)
		run->id = strtol(v, NULL, 10);
	free(v);
	if ((v = rebuild_field(text, "scenario")) != NULL)
		run->scenario = (int)strtol(v, NULL, 10);
	free(v);
	if ((v = rebuild_field(text, "max-outage-ms")) != NULL)
		run->max_outage_ms = strtoll(v, NULL, 10);
	free(v);
	run->tunnel = rebuild_field(text, "tunnel");
	run->method = rebuild_field(text, "method");
	run->executed_by = rebuild_field(text, "executed-by");
	run->primary = rebuild_field(text, "primary");
	run->standby = rebuild_field(text, "standby");
	run->peer = rebuild_field(text, "peer");
	run->failover_at = rebuild_field_time(text, "failover-at");
	run->created_at = rebuild_field_time(text, "created-at");
	if (run->id <= 0 || !run->tunnel || !run->method || !run->executed_by)
		return fp_fail(FP_EINVAL, "'%s' is not a complete run record",
		    path);
	return 0;
}

/* The first run.txt of a run records it; a later one changes its
 * method, roles, failover instant or maximum outage. */
static int
restore_run(struct rebuild *rb, long id, const char *path)
{
	struct fp_run run = { 0 }, stored = { 0 };
	char *text = NULL;
	size_t len;
	int rc;

	if ((rc = rebuild_read(rb, path, &text, &len)) != 0 ||
	    (rc = parse_run(path, text, &run)) != 0)
		goto out;
	if (run.id != id) {
		rc = fp_fail(FP_EINVAL, "'%s' records run %ld", path, run.id);
		goto out;
	}
	rc = store_run_get(rb->ws->store, id, &stored);
	if (rc == FP_ENOTFOUND) {
		fp_clear_error();
		rb->st->old_records += run.created_at == FP_TIME_NONE;
		rebuild_clock(rb, run.created_at);
		/* The run ran under the procedure row that was the latest
		 * when it was recorded, as workspace_run_create() chose. */
		if ((rc = store_procedure_latest(rb->ws->store,
		    &run.procedure)) == 0 &&
		    (rc = store_run_insert(rb->ws->store, &run)) == 0)
			rb->st->runs++;
	} else if (rc == 0) {
		rebuild_clock(rb, FP_TIME_NONE);
		rc = store_run_update(rb->ws->store, &run);
	}
out:
	fp_run_release(&stored);
	fp_run_release(&run);
	free(text);
	return rc;
}

/*
 * Put the clock offsets the sidecar records where the store differs.
 * NOTE: 'import --clock-offset' stores an offset before it archives
 * anything, so an offset given with an import that archived no file (the
 * same bytes again, or a file that failed) is in no commit, and a rebuild
 * cannot restore it.
 */
static int
restore_offsets(struct rebuild *rb, long run, const struct import_meta *m)
{
	struct store_clock_offset *v = NULL;
	size_t n = 0;
	int rc;

	if (m->n_offsets == 0)
		return 0;
	if ((rc = store_clock_offset_list(rb->ws->store, run, &v, &n)) != 0)
		return rc;
	for (size_t i = 0; i < m->n_offsets && rc == 0; i++) {
		int found = 0, same = 0;

		for (size_t k = 0; k < n; k++) {
			if (strcmp(v[k].host, m->offsets[i].host) != 0)
				continue;
			found = 1;
			same = v[k].offset == m->offsets[i].offset;
		}
		if (same)
			continue;
		rc = store_clock_offset_put(rb->ws->store, run,
		    m->offsets[i].host, m->offsets[i].offset);
		if (rc == 0 && !found)
			rb->st->clock_offsets++;
	}
	store_clock_offset_list_free(v, n);
	return rc;
}

/* Parse an archived evidence file again, as its sidecar records. */
static int
restore_evidence(struct rebuild *rb, long run, const char *meta_path)
{
	struct store_evidence found;
	struct import_meta m = { 0 };
	char *text = NULL, *rel;
	size_t len;
	int rc, rules_differ = 0;

	rel = xstrndup(meta_path, strlen(meta_path) -
	    strlen(IMPORT_META_SUFFIX));
	/* The sidecar as the last commit has it: failproof never changes
	 * one, so a later version is a user's correction of an old one. */
	rc = evrepo_read(rb->ws->repo, rb->head, meta_path, RECORD_MAX, &text,
	    &len);
	if (rc == FP_ENOTFOUND) {
		fp_clear_error();
		rc = rebuild_read(rb, meta_path, &text, &len);
	}
	if (rc != 0)
		goto out;
	if (import_meta_parse(text, &m) != 0) {
		rc = fp_fail(FP_EINVAL, "'%s' is not a complete import record",
		    meta_path);
		goto out;
	}
	if (m.run != run) {
		rc = fp_fail(FP_EINVAL, "'%s' records run %ld", meta_path,
		    m.run);
		goto out;
	}
	if ((rc = evrepo_check_file(rb->ws->repo, rb->commit->id, rel,
	    m.sha256)) != 0)
		goto out;
	/* The same bytes archived twice for a run (an import repaired by
	 * hand, say) are one evidence row, as for a repeated import. */
	if (store_evidence_find(rb->ws->store, run, m.sha256, &found) == 0) {
		store_evidence_release(&found);
		goto out;
	}
	fp_clear_error();
	rebuild_clock(rb, m.imported_at);
	if ((rc = restore_offsets(rb, run, &m)) != 0)
		goto out;
	/* NOTE: a sidecar written before it recorded imported-at does not
	 * record --clock-offset, --markers, --rules, --skip-bad or --at
	 * either: its file is parsed without them, and the rebuild fails
	 * when the file cannot be read without them. */
	if ((rc = import_reindex(rb->ws, rel, &m, rb->commit->id,
	    &rules_differ)) != 0) {
		if (m.imported_at == FP_TIME_NONE)
			fp_fail_context(rc, "the sidecar was written before "
			    "sidecars recorded --skip-bad and --at, so the file "
			    "was read without them: add the line the import "
			    "needs (such as 'at: 2026-12-04T19:49:31Z' or "
			    "'skip-bad: 1') to the sidecar, commit it and "
			    "rebuild again");
		goto out;
	}
	if ((rc = store_run_touch(rb->ws->store, run)) != 0)
		goto out;
	rb->st->evidence++;
	rb->st->rules_differ += rules_differ;
	if (m.imported_at == FP_TIME_NONE)
		rb->st->old_sidecars++;
out:
	import_meta_release(&m);
	free(rel);
	free(text);
	return rc;
}

static int64_t
json_opt_int(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_integer(v) ? (int64_t)json_integer_value(v) : -1;
}

/*
 * One evaluation of a run, with what evaluate.c does to the defects in
 * the same transaction: a failed run opens its defect, a pass verifies
 * the earlier ones of its tunnel and scenario.
 */
static int
restore_evaluation(struct rebuild *rb, long id, const char *path)
{
	struct store_evaluation row = { 0 };
	struct fp_run run = { 0 };
	json_error_t jerr;
	char *text = NULL;
	json_t *o = NULL;
	size_t len;
	long defect;
	int rc, closed;

	if ((rc = rebuild_read(rb, path, &text, &len)) != 0 ||
	    (rc = store_run_get(rb->ws->store, id, &run)) != 0)
		goto out;
	if ((o = json_loadb(text, len, 0, &jerr)) == NULL) {
		rc = fp_fail(FP_EINVAL, "'%s' line %d: invalid JSON: %s", path,
		    jerr.line, jerr.text);
		goto out;
	}
	row.run = id;
	row.verdict = (char *)json_string_value(json_object_get(o, "verdict"));
	row.cause = (char *)json_string_value(json_object_get(o, "cause"));
	row.outcome = (char *)json_string_value(json_object_get(o, "outcome"));
	row.mttr_ms = json_opt_int(o, "mttr_ms");
	row.loss_window_ms = json_opt_int(o, "loss_window_ms");
	row.result_json = text;
	row.evidence_commit = (char *)json_string_value(json_object_get(o,
	    "evidence_commit"));
	if (row.verdict == NULL || row.outcome == NULL ||
	    row.evidence_commit == NULL) {
		rc = fp_fail(FP_EINVAL, "'%s' lacks the verdict, outcome or "
		    "evidence commit", path);
		goto out;
	}
	row.evaluated_at = rebuild_json_time(o, "evaluated_at");
	rb->st->old_records += row.evaluated_at == FP_TIME_NONE;
	row.evaluated_at = rebuild_clock(rb, row.evaluated_at);
	if (strcmp(row.outcome, "failed") == 0) {
		if ((rc = store_defect_open(rb->ws->store, &run, row.verdict,
		    row.cause, row.evaluated_at, &defect)) == 0)
			rc = defect_plan(rb->ws, &run, defect,
			    row.evaluated_at, o);
	} else if (strcmp(row.verdict, "pass") == 0 &&
	    strcmp(row.outcome, "errored") != 0 &&
	    strcmp(row.outcome, "blocked") != 0)
		rc = evaluate_verify_defects(rb->ws, &run, o,
		    row.evaluated_at, &closed);
	if (rc == 0)
		rc = store_evaluation_insert(rb->ws->store, &row);
	if (rc == 0)
		rb->st->evaluations++;
out:
	json_decref(o);
	fp_run_release(&run);
	free(text);
	return rc;
}

/* Replay one file of runs/run-N/. */
static int
replay_run_path(struct rebuild *rb, const char *path)
{
	const char *rest, *base = fp_basename(path);
	size_t len = strlen(path), meta = strlen(IMPORT_META_SUFFIX);
	char *end;
	long run;

	run = strtol(path + strlen("runs/run-"), &end, 10);
	if (run <= 0 || *end != '/')
		return 0;
	rest = end + 1;
	if (strcmp(rest, "run.txt") == 0)
		return restore_run(rb, run, path);
	if (strcmp(rest, "evaluation.json") == 0)
		return restore_evaluation(rb, run, path);
	if (strncmp(rest, "evidence/", 9) == 0 && len > meta &&
	    strcmp(path + len - meta, IMPORT_META_SUFFIX) == 0)
		return restore_evidence(rb, run, path);
	if (strncmp(rest, "reports/", 8) == 0)
		return rebuild_report(rb, run, rest);
	if (strncmp(rest, "reviews/review-", 15) == 0)
		return rebuild_review(rb, run, path);
	if (strncmp(rest, "attestations/attestation-", 25) == 0)
		return rebuild_attestation(rb, run, path);
	if (strncmp(rest, "waivers/waiver-", 15) == 0)
		return rebuild_waiver(rb, run, path);
	if (strncmp(rest, "defects/defect-", 15) == 0 &&
	    strstr(base, "-change-") != NULL)
		return rebuild_defect_change(rb, run, path);
	return 0;
}

static int
replay_path(struct rebuild *rb, const char *path)
{
	size_t len = strlen(path);

	if (strncmp(path, "runs/run-", 9) == 0)
		return replay_run_path(rb, path);
	if (strcmp(path, "procedure/procedure.xml") == 0)
		return rebuild_procedure(rb, path);
	if (strncmp(path, "procedure/revisions/", 20) == 0 && len > 4 &&
	    strcmp(path + len - 4, ".xml") == 0)
		return rebuild_revision(rb, path);
	if (strncmp(path, "procedure/approvals/", 20) == 0)
		return rebuild_approval(rb, path);
	if (strncmp(path, "tunnels/", 8) == 0)
		return rebuild_tunnel(rb, path);
	if (strncmp(path, "changes/", 8) == 0)
		return rebuild_change(rb, path);
	return 0;
}

static int
replay_commit(void *ctx, const struct evrepo_commit *c)
{
	struct rebuild *rb = ctx;
	int rc = 0;

	rb->commit = c;
	for (size_t i = 0; i < c->n_paths && rc == 0; i++)
		if ((rc = replay_path(rb, c->paths[i])) != 0)
			fp_fail_context(rc, "commit %.12s, '%s'", c->id,
			    c->paths[i]);
	fp_now_pin(FP_TIME_NONE);
	return rc;
}

/* Count the rows a replay leaves rather than the calls it makes:
 * a defect is opened once however often its run fails. */
static int
count_rows(struct workspace *ws, struct rebuild_stats *st)
{
	struct store_defect *defects = NULL;
	struct store_revision *revs = NULL;
	size_t n_defects = 0, n_revs = 0;
	int rc;

	if ((rc = store_defect_list(ws->store, 0, &defects, &n_defects)) != 0)
		return rc;
	store_defect_list_free(defects, n_defects);
	if ((rc = store_revision_list(ws->store, &revs, &n_revs)) != 0)
		return rc;
	store_revision_list_free(revs, n_revs);
	st->defects = (int)n_defects;
	st->procedures = (int)n_revs;
	return 0;
}

/* Remove the database files of path. */
static void
remove_store(const char *path)
{
	static const char *const suffixes[] = { "", "-wal", "-shm",
	    "-journal" };

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		char *file = xasprintf("%s%s", path, suffixes[i]);

		unlink(file);
		free(file);
	}
}

static int
move_aside(const char *dir, struct rebuild_stats *st)
{
	char *db = xasprintf("%s/.failproof/store.db", dir);
	char stamp[FP_TIME_STRLEN];
	int rc = 0;

	fp_time_format(fp_now(), stamp, sizeof(stamp));
	if (access(db, F_OK) == 0) {
		st->moved_to = xasprintf("%s.broken-%s", db, stamp);
		if (rename(db, st->moved_to) != 0)
			rc = fp_fail(FP_EIO, "cannot move '%s' aside: %s", db,
			    strerror(errno));
	}
	for (const char *suffix = "-wal"; rc == 0 && suffix;
	    suffix = strcmp(suffix, "-wal") == 0 ? "-shm" : NULL) {
		char *side = xasprintf("%s%s", db, suffix);

		unlink(side);
		free(side);
	}
	free(db);
	return rc;
}

int
workspace_rebuild(const char *dir, struct workspace **out,
    struct rebuild_stats *st)
{
	struct workspace *ws = xcalloc(1, sizeof(*ws));
	struct rebuild rb = { 0 };
	char *db = xasprintf("%s/.failproof/store.db", dir), *fpdir;
	int rc, repaired = 0, discarded = 0, created = 0;

	memset(st, 0, sizeof(*st));
	ws->dir = xstrdup(dir);
	ws->lock_fd = -1;
	fpdir = xasprintf("%s/.failproof", dir);
	mkdir(fpdir, 0700);
	free(fpdir);
	if ((rc = evrepo_open(dir, &ws->repo)) != 0 ||
	    (rc = workspace_lock(ws)) != 0 ||
	    (rc = move_aside(dir, st)) != 0)
		goto fail;
	created = 1;
	if ((rc = store_create(db, &ws->store)) != 0 ||
	    (rc = store_begin(ws->store)) != 0)
		goto fail;
	rb.ws = ws;
	rb.st = st;
	rb.clock = FP_TIME_NONE;
	if ((rc = evrepo_head(ws->repo, rb.head)) == 0)
		rc = evrepo_walk(ws->repo, replay_commit, &rb);
	fp_now_pin(FP_TIME_NONE);
	if (rc == 0)
		rc = count_rows(ws, st);
	if (rc != 0) {
		store_rollback(ws->store);
		goto fail;
	}
	/* Every committed file is indexed now; what remains is to remove
	 * the files of imports that died before their commit. */
	if ((rc = store_commit(ws->store)) != 0 ||
	    (rc = import_repair(ws, &repaired, &discarded)) != 0)
		goto fail;
	st->evidence += repaired;
	free(db);
	*out = ws;
	return 0;
fail:
	/* A store rebuilt in part would serve queries as if it were whole,
	 * so the old store, damaged or not, goes back where it was. */
	store_close(ws->store);
	ws->store = NULL;
	if (created) {
		remove_store(db);
		if (st->moved_to != NULL && rename(st->moved_to, db) == 0) {
			free(st->moved_to);
			st->moved_to = NULL;
		}
	}
	free(db);
	workspace_close(ws);
	return rc;
}
