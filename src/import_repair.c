/*
 * Repairing the store from the evidence repository.  An import commits
 * the archived file and its ".import" sidecar to git before the SQLite
 * transaction commits.  If the process dies between the two, the next
 * open finds a committed file the store does not index, and parses it
 * again from the archived copy.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"

struct import_meta {
	long run;
	char kind[32];
	char sha256[65];
	char host[256];
	char tz[64];
	int year;
	int strict;
};

static int
has_control(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20)
			return 1;
	return 0;
}

int
import_write_meta(struct workspace *ws, const char *rel, long run,
    const char *kind, const char *sha256, const struct fp_import_opts *opts)
{
	char *meta_rel, *text;
	int rc;

	if (has_control(opts->host) || has_control(opts->tz))
		return fp_fail(FP_EINVAL, "--host and --tz must not contain "
		    "control characters");
	text = xasprintf("run: %ld\nkind: %s\nsha256: %s\nhost: %s\ntz: %s\n"
	    "year: %d\nstrict: %d\n", run, kind, sha256,
	    opts->host ? opts->host : "", opts->tz ? opts->tz : "",
	    opts->year, opts->strict);
	meta_rel = xasprintf("%s%s", rel, IMPORT_META_SUFFIX);
	rc = evrepo_add_data(ws->repo, meta_rel, text, strlen(text));
	free(meta_rel);
	free(text);
	return rc;
}

static int
read_meta(const char *path, struct import_meta *m)
{
	char line[512];
	FILE *f = fopen(path, "r");

	memset(m, 0, sizeof(*m));
	if (f == NULL)
		return FP_EIO;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *value = strstr(line, ": ");

		line[strcspn(line, "\n")] = '\0';
		if (value == NULL)
			continue;
		*value = '\0';
		value += 2;
		if (strcmp(line, "run") == 0)
			m->run = strtol(value, NULL, 10);
		else if (strcmp(line, "kind") == 0)
			snprintf(m->kind, sizeof(m->kind), "%s", value);
		else if (strcmp(line, "sha256") == 0)
			snprintf(m->sha256, sizeof(m->sha256), "%s", value);
		else if (strcmp(line, "host") == 0)
			snprintf(m->host, sizeof(m->host), "%s", value);
		else if (strcmp(line, "tz") == 0)
			snprintf(m->tz, sizeof(m->tz), "%s", value);
		else if (strcmp(line, "year") == 0)
			m->year = (int)strtol(value, NULL, 10);
		else if (strcmp(line, "strict") == 0)
			m->strict = (int)strtol(value, NULL, 10);
	}
	fclose(f);
	return m->run > 0 && m->kind[0] && strlen(m->sha256) == 64 ? 0 :
	    FP_EINVAL;
}

/* Parse one committed file the store lacks, in its own transaction. */
static int
reindex(struct workspace *ws, const char *rel, const struct import_meta *m,
    const char *head)
{
	const struct fp_importer *imp = fp_importer_find(m->kind);
	struct fp_import_opts opts = { 0 };
	struct store_evidence ev = { 0 };
	struct import_result res;
	struct fp_run run = { 0 };
	char *copy = evrepo_path(ws->repo, rel);
	int rc;

	memset(&res, 0, sizeof(res));
	if (imp == NULL) {
		free(copy);
		return fp_fail(FP_EINVAL, "'%s%s' names the unknown kind '%s'",
		    rel, IMPORT_META_SUFFIX, m->kind);
	}
	if ((rc = store_run_get(ws->store, m->run, &run)) != 0) {
		free(copy);
		return rc;
	}
	opts.display_name = fp_basename(rel);
	opts.host = m->host[0] ? m->host : NULL;
	opts.tz = m->tz[0] ? m->tz : NULL;
	opts.year = m->year;
	opts.strict = m->strict;
	opts.reference = run.failover_at != FP_TIME_NONE ? run.failover_at :
	    run.created_at;
	ev.run = m->run;
	ev.name = (char *)fp_basename(rel);
	ev.kind = (char *)imp->kind;
	ev.host = (char *)opts.host;
	ev.sha256 = (char *)m->sha256;
	ev.repo_path = (char *)rel;
	ev.commit_id = (char *)head;
	ev.imported_at = fp_now();
	if ((rc = store_begin(ws->store)) == 0) {
		rc = import_parse_archived(ws, imp, copy, &opts, &ev, &res);
		if (rc == 0)
			rc = store_run_touch(ws->store, m->run);
		if (rc == 0)
			rc = store_commit(ws->store);
		else
			store_rollback(ws->store);
	}
	import_result_release(&res);
	fp_run_release(&run);
	free(copy);
	return rc;
}

static int
indexed(const struct store_evidence *v, size_t n, const char *rel)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].repo_path, rel) == 0)
			return 1;
	return 0;
}

static int
repair_run_dir(struct workspace *ws, const char *evdir_rel,
    const struct store_evidence *v, size_t n, const char *head,
    int *repaired, int *discarded)
{
	char *abs = evrepo_path(ws->repo, evdir_rel);
	size_t suffix = strlen(IMPORT_META_SUFFIX);
	struct dirent *de;
	DIR *d = opendir(abs);
	int rc = 0;

	free(abs);
	if (d == NULL)
		return 0;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		struct import_meta m;
		char *meta_rel, *rel, *meta_abs;

		if (de->d_name[0] == '.')
			continue;
		/* A file missing from the last commit was left by an import
		 * that died before committing, so nothing refers to it. */
		rel = xasprintf("%s/%s", evdir_rel, de->d_name);
		if (!evrepo_has_path(ws->repo, head, rel)) {
			evrepo_discard(ws->repo, rel);
			(*discarded)++;
			free(rel);
			continue;
		}
		free(rel);
		if (len <= suffix || strcmp(de->d_name + len - suffix,
		    IMPORT_META_SUFFIX) != 0)
			continue;
		meta_rel = xasprintf("%s/%s", evdir_rel, de->d_name);
		rel = xstrndup(meta_rel, strlen(meta_rel) - suffix);
		meta_abs = evrepo_path(ws->repo, meta_rel);
		/* Only a file in the last commit with its recorded hash is
		 * indexed again. */
		if (!indexed(v, n, rel) && read_meta(meta_abs, &m) == 0 &&
		    evrepo_check_file(ws->repo, head, rel, m.sha256) == 0) {
			rc = reindex(ws, rel, &m, head);
			if (rc == 0)
				(*repaired)++;
		}
		free(meta_abs);
		free(rel);
		free(meta_rel);
	}
	closedir(d);
	return rc;
}

int
import_repair(struct workspace *ws, int *repaired, int *discarded)
{
	struct store_evidence *v = NULL;
	char head[41], *runs;
	struct dirent *de;
	size_t n = 0;
	DIR *d;
	int rc = 0;

	*repaired = *discarded = 0;
	if (evrepo_head(ws->repo, head) != 0)
		return 0;
	runs = evrepo_path(ws->repo, "runs");
	d = opendir(runs);
	free(runs);
	if (d == NULL)
		return 0;
	if ((rc = store_evidence_all(ws->store, &v, &n)) != 0)
		goto out;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		char *evdir;

		if (strncmp(de->d_name, "run-", 4) != 0)
			continue;
		evdir = xasprintf("runs/%s/evidence", de->d_name);
		rc = repair_run_dir(ws, evdir, v, n, head, repaired, discarded);
		free(evdir);
	}
out:
	store_evidence_list_free(v, n);
	closedir(d);
	if (rc != 0)
		fp_fail_context(rc, "cannot index evidence the repository holds "
		    "but the store lacks");
	return rc;
}
