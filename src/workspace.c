/* Creating and opening workspaces. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import.h"
#include "procedure.h"
#include "workspace.h"

#define STORE_DIR ".failproof"
#define STORE_FILE ".failproof/store.db"
#define LOCK_FILE ".failproof/lock"

static const char gitignore[] =
    "# The SQLite index and the lock are not evidence.\n"
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

/* The run record committed as runs/run-NNNN/run.txt: every field, so the
 * store can be rebuilt from the repository. */
static char *
run_record_text(const struct fp_run *run)
{
	char failover[FP_TIME_STRLEN] = "-", created[FP_TIME_STRLEN];

	if (run->failover_at != FP_TIME_NONE)
		fp_time_format(run->failover_at, failover, sizeof(failover));
	fp_time_format(run->created_at, created, sizeof(created));
	return xasprintf("run: %ld\ntunnel: %s\nscenario: %d\nmethod: %s\n"
	    "executed-by: %s\nprimary: %s\nstandby: %s\npeer: %s\n"
	    "failover-at: %s\nmax-outage-ms: %lld\ncreated-at: %s\n",
	    run->id, run->tunnel, run->scenario, run->method,
	    run->executed_by, run->primary ? run->primary : "-",
	    run->standby ? run->standby : "-", run->peer ? run->peer : "-",
	    failover, (long long)run->max_outage_ms, created);
}

int
workspace_run_update(struct workspace *ws, const struct fp_run *run,
    const char *what)
{
	char *text, *msg, commit[41];
	int rc;

	if ((rc = store_begin(ws->store)) != 0)
		return rc;
	if ((rc = store_run_update(ws->store, run)) != 0) {
		store_rollback(ws->store);
		return rc;
	}
	text = run_record_text(run);
	msg = xasprintf("Change run %ld: %s\n\n%s", run->id, what, text);
	rc = workspace_record(ws, run->id, "run.txt", text, msg, commit);
	free(msg);
	free(text);
	if (rc != 0) {
		store_rollback(ws->store);
		return rc;
	}
	return store_commit(ws->store);
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
	text = run_record_text(run);
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

/*
 * Hold the workspace lock until workspace_close: git's index and the
 * SQLite transaction of one command must not interleave with another's.
 * A second command waits for the first to finish.  Where the lock file
 * cannot be written (a read-only workspace) a shared lock is taken.
 */
int
workspace_lock(struct workspace *ws)
{
	char *path = xasprintf("%s/%s", ws->dir, LOCK_FILE);
	int fd, op = LOCK_EX;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		op = LOCK_SH;
	}
	if (fd < 0 && errno == ENOENT) {
		/* A read-only workspace made before the lock file existed. */
		free(path);
		ws->lock_fd = -1;
		return 0;
	}
	if (fd < 0) {
		fp_fail(FP_EIO, "cannot open the workspace lock '%s': %s", path,
		    strerror(errno));
		free(path);
		return FP_EIO;
	}
	while (flock(fd, op) != 0) {
		if (errno == EINTR)
			continue;
		fp_fail(FP_EIO, "cannot lock the workspace '%s': %s", ws->dir,
		    strerror(errno));
		close(fd);
		free(path);
		return FP_EIO;
	}
	free(path);
	ws->lock_fd = fd;
	return 0;
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
	ws->lock_fd = -1;
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
	if ((rc = workspace_lock(ws)) != 0 ||
	    (rc = store_create(store_path, &ws->store)) != 0)
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
	ws->lock_fd = -1;
	if (access(store_path, F_OK) != 0) {
		char *git = xasprintf("%s/.git", dir);
		int repo = access(git, F_OK) == 0;

		free(git);
		rc = repo ? fp_fail(FP_ENOTFOUND, "the store of the workspace "
		    "'%s' is missing: rebuild it from the evidence repository "
		    "with 'failproof -C %s rebuild'", dir, dir) :
		    fp_fail(FP_ENOTFOUND, "'%s' is not a failproof workspace: "
		    "create one with 'failproof init DIR' or pass -C DIR", dir);
		goto fail;
	}
	if ((rc = workspace_lock(ws)) != 0 ||
	    (rc = evrepo_open(dir, &ws->repo)) != 0)
		goto fail;
	if ((rc = store_open(store_path, &ws->store)) != 0) {
		if (strstr(fp_errmsg(), "not a database") != NULL ||
		    strstr(fp_errmsg(), "malformed") != NULL)
			fp_fail_context(rc, "the store is damaged; rebuild it "
			    "from the evidence repository with 'failproof -C "
			    "%s rebuild'", dir);
		goto fail;
	}
	if ((rc = import_repair(ws, &ws->repaired, &ws->discarded)) != 0)
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
	if (ws->lock_fd >= 0)
		close(ws->lock_fd);
	free(ws->dir);
	free(ws);
}
