/* Creating and opening workspaces. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import.h"
#include "procedure.h"
#include "workspace.h"

#define STORE_DIR ".failproof"
#define STORE_FILE ".failproof/store.db"

static const char gitignore[] =
    "# The SQLite index is rebuilt from the repository; it is not evidence.\n"
    ".failproof/\n";

char *
workspace_run_dir(long run)
{
	return xasprintf("runs/run-%04ld", run);
}

int
workspace_record(struct workspace *ws, long run, const char *name,
    const char *text, const char *message, char commit[41])
{
	char *dir = workspace_run_dir(run);
	char *rel = xasprintf("%s/%s", dir, name);
	int rc;

	rc = evrepo_add_data(ws->repo, rel, text, strlen(text));
	if (rc == 0)
		rc = evrepo_commit(ws->repo, message, commit);
	free(rel);
	free(dir);
	return rc;
}

int
workspace_run_create(struct workspace *ws, struct fp_run *run)
{
	char *text, *msg, commit[41];
	int rc;

	if ((rc = store_procedure_latest(ws->store, &run->procedure)) != 0)
		return rc;
	if ((rc = store_begin(ws->store)) != 0)
		return rc;
	if ((rc = store_run_insert(ws->store, run)) != 0) {
		store_rollback(ws->store);
		return rc;
	}
	text = xasprintf("run: %ld\ntunnel: %s\nscenario: %d\nmethod: %s\n"
	    "executed-by: %s\nprimary: %s\nstandby: %s\npeer: %s\n", run->id,
	    run->tunnel, run->scenario, run->method, run->executed_by,
	    run->primary ? run->primary : "-", run->standby ?
	    run->standby : "-", run->peer ? run->peer : "-");
	msg = xasprintf("Record run %ld on tunnel %s, scenario %d\n\n%s",
	    run->id, run->tunnel, run->scenario, text);
	rc = workspace_record(ws, run->id, "run.txt", text, msg, commit);
	free(msg);
	free(text);
	if (rc != 0) {
		store_rollback(ws->store);
		return rc;
	}
	return store_commit(ws->store);
}

static int
record_procedure(struct workspace *ws, const char *path, long *id)
{
	struct store_procedure row = { 0 };
	struct procedure p;
	int rc;

	if ((rc = procedure_load_file(path, &p)) != 0)
		return rc;
	row.procedure_id = p.id;
	row.revision = p.revision;
	row.title = p.title;
	row.change_category = p.change_category;
	row.review_cycle = p.review_cycle;
	row.max_outage_ms = p.max_outage_ms;
	row.sha256 = p.sha256;
	row.definition = p.xml;
	rc = store_procedure_put(ws->store, &row);
	if (rc == 0)
		rc = evrepo_add_data(ws->repo, "procedure/procedure.xml", p.xml,
		    strlen(p.xml));
	*id = row.id;
	procedure_release(&p);
	return rc;
}

int
workspace_create(const char *dir, const char *procedure_path,
    struct workspace **out, long *procedure_id)
{
	struct workspace *ws = xcalloc(1, sizeof(*ws));
	char *store_dir = NULL, *store_path = NULL, hex[41];
	struct stat st;
	int rc;

	ws->dir = xstrdup(dir);
	store_path = xasprintf("%s/%s", dir, STORE_FILE);
	if (stat(store_path, &st) == 0) {
		rc = fp_fail(FP_EINVAL, "'%s' already holds a failproof "
		    "workspace", dir);
		goto fail;
	}
	if ((rc = evrepo_init(dir, &ws->repo)) != 0)
		goto fail;
	store_dir = xasprintf("%s/%s", dir, STORE_DIR);
	if (mkdir(store_dir, 0700) != 0 && errno != EEXIST) {
		rc = fp_fail(FP_EIO, "cannot create '%s': %s", store_dir,
		    strerror(errno));
		goto fail;
	}
	if ((rc = store_create(store_path, &ws->store)) != 0)
		goto fail;
	if ((rc = evrepo_add_data(ws->repo, ".gitignore", gitignore,
	    strlen(gitignore))) != 0)
		goto fail;
	if ((rc = record_procedure(ws, procedure_path, procedure_id)) != 0)
		goto fail;
	if ((rc = evrepo_commit(ws->repo, "Create the failproof workspace\n\n"
	    "Records the test procedure the runs are judged against.\n",
	    hex)) != 0)
		goto fail;
	free(store_dir);
	free(store_path);
	*out = ws;
	return 0;
fail:
	free(store_dir);
	free(store_path);
	workspace_close(ws);
	return rc;
}

int
workspace_open(const char *dir, struct workspace **out)
{
	struct workspace *ws = xcalloc(1, sizeof(*ws));
	char *store_path = xasprintf("%s/%s", dir, STORE_FILE);
	int rc;

	ws->dir = xstrdup(dir);
	if (access(store_path, F_OK) != 0) {
		rc = fp_fail(FP_ENOTFOUND, "'%s' is not a failproof workspace: "
		    "create one with 'failproof init DIR' or pass -C DIR", dir);
		goto fail;
	}
	if ((rc = evrepo_open(dir, &ws->repo)) != 0 ||
	    (rc = store_open(store_path, &ws->store)) != 0 ||
	    (rc = import_repair(ws, &ws->repaired)) != 0)
		goto fail;
	free(store_path);
	*out = ws;
	return 0;
fail:
	free(store_path);
	workspace_close(ws);
	return rc;
}

void
workspace_close(struct workspace *ws)
{
	if (ws == NULL)
		return;
	store_close(ws->store);
	evrepo_free(ws->repo);
	free(ws->dir);
	free(ws);
}
