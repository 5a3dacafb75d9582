/*
 * The ".import" sidecars, and parsing archived evidence again from them.
 * An import commits the archived file and its sidecar to git before the
 * SQLite transaction commits.  If the process dies between the two, the
 * next open finds a committed file the store does not index, and parses
 * it again from the archived copy.  A rebuild of the store parses every
 * archived file again the same way.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "import.h"
#include "paths.h"

static int
has_control(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20)
			return 1;
	return 0;
}

/* Whether dir is the workspace's own rules/ folder, which every import
 * and every rebuild loads anyway. */
static int
is_workspace_rules(struct workspace *ws, const char *dir)
{
	char *own = xasprintf("%s/rules", ws->dir);
	int same = strcmp(own, dir) == 0;

	free(own);
	return same;
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add "NAME SHA-256" of each *.rules file of dir to text, by name, as
 * the syslog importer loads them. */
static void
digest_dir(const char *dir, struct fp_buf *text)
{
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);

		if (de->d_name[0] == '.' || len <= 6 ||
		    strcmp(de->d_name + len - 6, ".rules") != 0)
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	fp_qsort(names, n, sizeof(*names), compare_names);
	for (size_t i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", dir, names[i]), hex[65];

		if (fp_sha256_file(path, hex) != 0) {
			fp_clear_error();
			snprintf(hex, sizeof(hex), "unreadable");
		}
		fp_buf_printf(text, "%s %s\n", names[i], hex);
		free(path);
		free(names[i]);
	}
	free(names);
}

/*
 * The SHA-256 of the vendor rules a syslog file is parsed with: the
 * shipped rules, then the folders dirs, file by file.  A rebuild compares
 * it with the one the sidecar recorded to tell whether the rules changed.
 */
static void
rules_digest(const char *const *dirs, char hex[65])
{
	struct fp_buf text = { 0 };
	char *shipped = fp_data_path("rules");

	if (shipped != NULL)
		digest_dir(shipped, &text);
	fp_clear_error();
	for (size_t i = 0; dirs != NULL && dirs[i] != NULL; i++) {
		fp_buf_puts(&text, "--\n");
		digest_dir(dirs[i], &text);
	}
	fp_sha256_hex(text.data ? text.data : "", text.len, hex);
	fp_buf_free(&text);
	free(shipped);
}

int
import_write_meta(struct workspace *ws, const char *rel, long run,
    const char *kind, const char *sha256, const struct fp_import_opts *opts,
    const char *markers_sha256, fp_time imported_at)
{
	char when[FP_TIME_STRLEN], digest[65], *meta_rel;
	struct fp_buf text = { 0 };
	int rc;

	if (has_control(opts->host) || has_control(opts->tz))
		return fp_fail(FP_EINVAL, "--host and --tz must not contain "
		    "control characters");
	for (size_t i = 0; i < opts->n_clock_offsets; i++)
		if (has_control(opts->clock_offsets[i].host))
			return fp_fail(FP_EINVAL, "a --clock-offset host must "
			    "not contain control characters");
	fp_buf_printf(&text, "run: %ld\nkind: %s\nsha256: %s\nhost: %s\n"
	    "tz: %s\nyear: %d\nstrict: %d\nskip-bad: %d\n", run, kind, sha256,
	    opts->host ? opts->host : "", opts->tz ? opts->tz : "",
	    opts->year, opts->strict, opts->skip_bad);
	if (opts->at != 0) {
		fp_time_format(opts->at, when, sizeof(when));
		fp_buf_printf(&text, "at: %s\n", when);
	}
	if (markers_sha256 != NULL)
		fp_buf_printf(&text, "markers-sha256: %s\n", markers_sha256);
	/* Only the syslog importer loads vendor rules. */
	for (size_t i = 0; strcmp(kind, "syslog") == 0 && opts->rule_dirs &&
	    opts->rule_dirs[i] != NULL; i++) {
		char real[PATH_MAX];
		const char *dir = opts->rule_dirs[i];

		if (is_workspace_rules(ws, dir))
			continue;
		if (realpath(dir, real) != NULL)
			dir = real;
		if (has_control(dir)) {
			fp_buf_free(&text);
			return fp_fail(FP_EINVAL, "--rules must not contain "
			    "control characters");
		}
		fp_buf_printf(&text, "rules: %s\n", dir);
	}
	if (strcmp(kind, "syslog") == 0) {
		rules_digest(opts->rule_dirs, digest);
		fp_buf_printf(&text, "rules-sha256: %s\n", digest);
	}
	/* Every offset of the run, whichever host the file is of: together
	 * the sidecars restore the run's clock offsets. */
	for (size_t i = 0; i < opts->n_clock_offsets; i++)
		fp_buf_printf(&text, "clock-offset: %s=%lld\n",
		    opts->clock_offsets[i].host,
		    (long long)opts->clock_offsets[i].offset);
	fp_time_format(imported_at, when, sizeof(when));
	fp_buf_printf(&text, "imported-at: %s\n", when);

	meta_rel = xasprintf("%s%s", rel, IMPORT_META_SUFFIX);
	rc = evrepo_add_data(ws->repo, meta_rel, text.data, text.len);
	free(meta_rel);
	fp_buf_free(&text);
	return rc;
}

static char *
dup_or_null(const char *s)
{
	return *s ? xstrdup(s) : NULL;
}

/* Add "HOST=MICROSECONDS" to the offsets; the host may contain '='. */
static void
add_offset(struct import_meta *m, const char *value)
{
	const char *eq = strrchr(value, '=');

	if (eq == NULL || eq == value)
		return;
	m->offsets = xrealloc(m->offsets, (m->n_offsets + 1) *
	    sizeof(*m->offsets));
	m->offsets[m->n_offsets].host = xstrndup(value,
	    (size_t)(eq - value));
	m->offsets[m->n_offsets].offset = strtoll(eq + 1, NULL, 10);
	m->n_offsets++;
}

int
import_meta_parse(const char *text, struct import_meta *m)
{
	char *copy = xstrdup(text), *line, *next;

	memset(m, 0, sizeof(*m));
	m->imported_at = FP_TIME_NONE;
	for (line = copy; line != NULL; line = next) {
		char *value;

		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((value = strstr(line, ": ")) == NULL)
			continue;
		*value = '\0';
		value += 2;
		if (strcmp(line, "run") == 0)
			m->run = strtol(value, NULL, 10);
		else if (strcmp(line, "kind") == 0 && m->kind == NULL)
			m->kind = xstrdup(value);
		else if (strcmp(line, "sha256") == 0 && m->sha256 == NULL)
			m->sha256 = xstrdup(value);
		else if (strcmp(line, "host") == 0 && m->host == NULL)
			m->host = dup_or_null(value);
		else if (strcmp(line, "tz") == 0 && m->tz == NULL)
			m->tz = dup_or_null(value);
		else if (strcmp(line, "year") == 0)
			m->year = (int)strtol(value, NULL, 10);
		else if (strcmp(line, "strict") == 0)
			m->strict = (int)strtol(value, NULL, 10);
		else if (strcmp(line, "skip-bad") == 0)
			m->skip_bad = (int)strtol(value, NULL, 10);
		else if (strcmp(line, "at") == 0)
			fp_time_parse_iso(value, &m->at);
		else if (strcmp(line, "markers-sha256") == 0 &&
		    m->markers_sha256 == NULL)
			m->markers_sha256 = xstrdup(value);
		else if (strcmp(line, "rules-sha256") == 0 &&
		    m->rules_sha256 == NULL)
			m->rules_sha256 = xstrdup(value);
		else if (strcmp(line, "rules") == 0) {
			m->rule_dirs = xrealloc(m->rule_dirs,
			    (m->n_rule_dirs + 1) * sizeof(*m->rule_dirs));
			m->rule_dirs[m->n_rule_dirs++] = xstrdup(value);
		} else if (strcmp(line, "clock-offset") == 0)
			add_offset(m, value);
		else if (strcmp(line, "imported-at") == 0)
			fp_time_parse_iso(value, &m->imported_at);
	}
	free(copy);
	if (m->run > 0 && m->kind != NULL && m->sha256 != NULL &&
	    strlen(m->sha256) == 64)
		return 0;
	import_meta_release(m);
	return FP_EINVAL;
}

void
import_meta_release(struct import_meta *m)
{
	free(m->kind);
	free(m->sha256);
	free(m->host);
	free(m->tz);
	free(m->markers_sha256);
	free(m->rules_sha256);
	for (size_t i = 0; i < m->n_rule_dirs; i++)
		free(m->rule_dirs[i]);
	free(m->rule_dirs);
	for (size_t i = 0; i < m->n_offsets; i++)
		free((char *)m->offsets[i].host);
	free(m->offsets);
	memset(m, 0, sizeof(*m));
}

static int
read_meta(const char *path, struct import_meta *m)
{
	char *text = NULL;
	size_t len;
	int rc;

	memset(m, 0, sizeof(*m));
	if (fp_read_file(path, 1 << 20, &text, &len) != 0) {
		fp_clear_error();
		return FP_EIO;
	}
	rc = import_meta_parse(text, m);
	free(text);
	return rc;
}

/* Check that the working-tree copy of rel still has the recorded hash. */
static int
check_copy(struct workspace *ws, const char *rel, const char *sha256)
{
	char *abs = evrepo_path(ws->repo, rel), hex[65];
	int rc;

	if ((rc = fp_sha256_file(abs, hex)) == 0 && strcmp(hex, sha256) != 0)
		rc = fp_fail(FP_EVERIFY, "'%s' in the working tree has SHA-256 "
		    "%.16s..., not the %.16s... its import recorded: restore "
		    "it with 'git -C %s checkout -- %s'", rel, hex, sha256,
		    ws->dir, rel);
	free(abs);
	return rc;
}

/* The rule folders: the workspace's rules/, then the recorded --rules
 * folders that still exist, NULL-terminated. */
static const char **
rule_dirs(struct workspace *ws, const struct import_meta *m, char **own,
    int *rules_differ)
{
	const char **dirs = xcalloc(m->n_rule_dirs + 2, sizeof(*dirs));
	size_t n = 0;
	struct stat sb;

	*own = xasprintf("%s/rules", ws->dir);
	if (stat(*own, &sb) == 0 && S_ISDIR(sb.st_mode))
		dirs[n++] = *own;
	for (size_t i = 0; i < m->n_rule_dirs; i++) {
		if (stat(m->rule_dirs[i], &sb) == 0 && S_ISDIR(sb.st_mode))
			dirs[n++] = m->rule_dirs[i];
		else
			*rules_differ = 1;
	}
	return dirs;
}

int
import_reindex(struct workspace *ws, const char *rel,
    const struct import_meta *m, const char *commit, int *rules_differ)
{
	const struct fp_importer *imp = fp_importer_find(m->kind);
	struct fp_import_opts opts = { 0 };
	struct store_evidence ev = { 0 };
	struct import_result res;
	struct fp_run run = { 0 };
	char *copy = evrepo_path(ws->repo, rel), *markers_rel = NULL;
	char *markers = NULL, *own_rules = NULL;
	const char **dirs = NULL;
	struct stat st;
	int rc;

	memset(&res, 0, sizeof(res));
	*rules_differ = 0;
	if (imp == NULL) {
		rc = fp_fail(FP_EINVAL, "'%s%s' names the unknown kind '%s'",
		    rel, IMPORT_META_SUFFIX, m->kind);
		goto out;
	}
	if ((rc = store_run_get(ws->store, m->run, &run)) != 0 ||
	    (rc = check_copy(ws, rel, m->sha256)) != 0)
		goto out;
	if (m->markers_sha256 != NULL) {
		markers_rel = xasprintf("%s%s", rel, IMPORT_MARKERS_SUFFIX);
		if ((rc = check_copy(ws, markers_rel, m->markers_sha256)) != 0)
			goto out;
		markers = evrepo_path(ws->repo, markers_rel);
	}
	if (stat(copy, &st) != 0) {
		rc = fp_fail(FP_EIO, "cannot read '%s'", rel);
		goto out;
	}
	dirs = rule_dirs(ws, m, &own_rules, rules_differ);
	if (m->rules_sha256 != NULL) {
		char digest[65];

		rules_digest(dirs, digest);
		if (strcmp(digest, m->rules_sha256) != 0)
			*rules_differ = 1;
	}
	opts.display_name = fp_basename(rel);
	opts.host = m->host;
	opts.tz = m->tz;
	opts.year = m->year;
	opts.strict = m->strict;
	opts.skip_bad = m->skip_bad;
	opts.at = m->at;
	opts.markers = markers;
	opts.rule_dirs = dirs;
	opts.clock_offsets = m->offsets;
	opts.n_clock_offsets = m->n_offsets;
	opts.reference = run.failover_at != FP_TIME_NONE ? run.failover_at :
	    run.created_at;
	ev.run = m->run;
	ev.name = (char *)fp_basename(rel);
	ev.kind = (char *)imp->kind;
	ev.host = m->host;
	ev.sha256 = m->sha256;
	ev.size = st.st_size;
	ev.repo_path = (char *)rel;
	ev.commit_id = (char *)commit;
	ev.imported_at = m->imported_at != FP_TIME_NONE ? m->imported_at :
	    fp_now();
	rc = import_parse_archived(ws, imp, copy, &opts, &ev, &res);
out:
	import_result_release(&res);
	fp_run_release(&run);
	free(dirs);
	free(own_rules);
	free(markers);
	free(markers_rel);
	free(copy);
	return rc;
}

/* Parse one committed file the store lacks, in its own transaction. */
static int
reindex(struct workspace *ws, const char *rel, const struct import_meta *m,
    const char *head)
{
	int rc, rules_differ;

	if ((rc = store_begin(ws->store)) != 0)
		return rc;
	rc = import_reindex(ws, rel, m, head, &rules_differ);
	if (rc == 0)
		rc = store_run_touch(ws->store, m->run);
	if (rc == 0)
		rc = store_commit(ws->store);
	else
		store_rollback(ws->store);
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
		if (!indexed(v, n, rel) && read_meta(meta_abs, &m) == 0) {
			if (evrepo_check_file(ws->repo, head, rel,
			    m.sha256) == 0) {
				rc = reindex(ws, rel, &m, head);
				if (rc == 0)
					(*repaired)++;
			} else
				fp_clear_error();
			import_meta_release(&m);
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
