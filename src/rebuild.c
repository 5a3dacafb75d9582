/*
 * Rebuilding a workspace's store from its evidence repository.  The
 * repository is the record: procedure/procedure.xml, runs/run-NNNN/run.txt,
 * each archived file with its ".import" sidecar, and evaluation.json.
 * Defects are opened again from the evaluations; issued reports stay in
 * the repository's tags.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "import.h"
#include "procedure.h"
#include "workspace.h"

static int
restore_procedure(struct workspace *ws, long *id)
{
	struct store_procedure row = { 0 };
	struct procedure p;
	char *path = evrepo_path(ws->repo, "procedure/procedure.xml");
	int rc = procedure_load_file(path, &p);

	free(path);
	if (rc != 0)
		return fp_fail_context(rc, "procedure/procedure.xml");
	row.procedure_id = p.id;
	row.revision = p.revision;
	row.title = p.title;
	row.change_category = p.change_category;
	row.review_cycle = p.review_cycle;
	row.max_outage_ms = p.max_outage_ms;
	row.sha256 = p.sha256;
	row.definition = p.xml;
	rc = store_procedure_put(ws->store, &row);
	*id = row.id;
	procedure_release(&p);
	return rc;
}

static char *
field_value(char *line, const char *key)
{
	size_t n = strlen(key);

	if (strncmp(line, key, n) != 0 || line[n] != ':' || line[n + 1] != ' ')
		return NULL;
	line[strcspn(line, "\n")] = '\0';
	return strcmp(line + n + 2, "-") == 0 ? NULL : line + n + 2;
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* Parse a run.txt as workspace_run_create() writes it. */
static int
parse_run(const char *path, struct fp_run *run)
{
	char line[1024], *v;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return fp_fail(FP_EIO, "cannot read '%s': %s", path,
		    strerror(errno));
	run->failover_at = FP_TIME_NONE;
	run->max_outage_ms = -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		if ((v = field_value(line, "run")) != NULL)
			run->id = strtol(v, NULL, 10);
		else if ((v = field_value(line, "tunnel")) != NULL)
			run->tunnel = xstrdup(v);
		else if ((v = field_value(line, "scenario")) != NULL)
			run->scenario = (int)strtol(v, NULL, 10);
		else if ((v = field_value(line, "method")) != NULL)
			run->method = xstrdup(v);
		else if ((v = field_value(line, "executed-by")) != NULL)
			run->executed_by = xstrdup(v);
		else if ((v = field_value(line, "primary")) != NULL)
			run->primary = dup_or_null(v);
		else if ((v = field_value(line, "standby")) != NULL)
			run->standby = dup_or_null(v);
		else if ((v = field_value(line, "peer")) != NULL)
			run->peer = dup_or_null(v);
		else if ((v = field_value(line, "failover-at")) != NULL)
			fp_time_parse_iso(v, &run->failover_at);
		else if ((v = field_value(line, "max-outage-ms")) != NULL)
			run->max_outage_ms = strtoll(v, NULL, 10);
	}
	fclose(f);
	if (run->id <= 0 || !run->tunnel || !run->method || !run->executed_by)
		return fp_fail(FP_EINVAL, "'%s' is not a complete run record",
		    path);
	return 0;
}

/* The latest evaluation of a run, and the defect it opened. */
static int
restore_evaluation(struct workspace *ws, const struct fp_run *run,
    const char *path, int *count)
{
	struct store_evaluation row = { 0 };
	json_error_t jerr;
	char *text = NULL;
	json_t *o;
	size_t len;
	long defect;
	int rc;

	if (access(path, R_OK) != 0)
		return 0;
	if ((rc = fp_read_file(path, 64 << 20, &text, &len)) != 0)
		return rc;
	o = json_loadb(text, len, 0, &jerr);
	if (o == NULL) {
		free(text);
		return fp_fail(FP_EINVAL, "'%s' line %d: invalid JSON: %s", path,
		    jerr.line, jerr.text);
	}
	row.run = run->id;
	row.evaluated_at = fp_now();
	row.verdict = (char *)json_string_value(json_object_get(o, "verdict"));
	row.cause = (char *)json_string_value(json_object_get(o, "cause"));
	row.outcome = (char *)json_string_value(json_object_get(o, "outcome"));
	row.mttr_ms = json_is_integer(json_object_get(o, "mttr_ms")) ?
	    json_integer_value(json_object_get(o, "mttr_ms")) : -1;
	row.loss_window_ms = json_is_integer(json_object_get(o,
	    "loss_window_ms")) ? json_integer_value(json_object_get(o,
	    "loss_window_ms")) : -1;
	row.result_json = text;
	row.evidence_commit = (char *)json_string_value(json_object_get(o,
	    "evidence_commit"));
	if (row.verdict == NULL || row.outcome == NULL ||
	    row.evidence_commit == NULL)
		rc = fp_fail(FP_EINVAL, "'%s' lacks the verdict, outcome or "
		    "evidence commit", path);
	if (rc == 0)
		rc = store_evaluation_insert(ws->store, &row);
	if (rc == 0 && strcmp(row.outcome, "failed") == 0)
		rc = store_defect_open(ws->store, run, row.verdict, row.cause,
		    &defect);
	if (rc == 0)
		(*count)++;
	json_decref(o);
	free(text);
	return rc;
}

static int
restore_runs(struct workspace *ws, long procedure, struct rebuild_stats *st)
{
	char *runs = evrepo_path(ws->repo, "runs");
	struct dirent *de;
	DIR *d = opendir(runs);
	int rc = 0;

	free(runs);
	if (d == NULL)
		return 0;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		struct fp_run run = { 0 };
		char *path, *eval;

		if (strncmp(de->d_name, "run-", 4) != 0)
			continue;
		path = evrepo_path(ws->repo, "runs");
		eval = xasprintf("%s/%s/evaluation.json", path, de->d_name);
		free(path);
		path = xasprintf("%s/runs/%s/run.txt", ws->dir, de->d_name);
		rc = parse_run(path, &run);
		run.procedure = procedure;
		if (rc == 0)
			rc = store_run_insert(ws->store, &run);
		if (rc == 0)
			st->runs++;
		if (rc == 0)
			rc = restore_evaluation(ws, &run, eval, &st->evaluations);
		fp_run_release(&run);
		free(eval);
		free(path);
	}
	closedir(d);
	return rc;
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
	char *db = xasprintf("%s/.failproof/store.db", dir), *fpdir;
	long procedure = 0;
	int rc, discarded = 0;

	memset(st, 0, sizeof(*st));
	ws->dir = xstrdup(dir);
	ws->lock_fd = -1;
	fpdir = xasprintf("%s/.failproof", dir);
	mkdir(fpdir, 0700);
	free(fpdir);
	if ((rc = evrepo_open(dir, &ws->repo)) != 0 ||
	    (rc = workspace_lock(ws)) != 0 ||
	    (rc = move_aside(dir, st)) != 0 ||
	    (rc = store_create(db, &ws->store)) != 0 ||
	    (rc = store_begin(ws->store)) != 0)
		goto fail;
	if ((rc = restore_procedure(ws, &procedure)) != 0 ||
	    (rc = restore_runs(ws, procedure, st)) != 0) {
		store_rollback(ws->store);
		goto fail;
	}
	if ((rc = store_commit(ws->store)) != 0 ||
	    (rc = import_repair(ws, &st->evidence, &discarded)) != 0)
		goto fail;
	free(db);
	*out = ws;
	return 0;
fail:
	free(db);
	workspace_close(ws);
	return rc;
}
