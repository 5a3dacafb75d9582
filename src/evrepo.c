/*
 * Evidence repository on libgit2.  Every change is staged through the
 * index and committed on main; nothing is ever rewritten, so the history
 * is the audit trail of the workspace.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "evrepo.h"
#include "util.h"

struct evrepo {
	git_repository *repo;
	char *workdir;		/* with a trailing slash */
};

static int
git_fail(const char *what)
{
	const git_error *e = git_error_last();

	return fp_fail(FP_EREPO, "evidence repository: %s: %s", what,
	    e && e->message ? e->message : "unknown error");
}

static int
repo_wrap(git_repository *repo, struct evrepo **out)
{
	struct evrepo *r = xcalloc(1, sizeof(*r));
	const char *wd = git_repository_workdir(repo);

	r->repo = repo;
	r->workdir = xstrdup(wd ? wd : "./");
	*out = r;
	return 0;
}

int
evrepo_init(const char *dir, struct evrepo **out)
{
	git_repository_init_options opts;
	git_repository *repo = NULL;

	git_libgit2_init();
	git_repository_init_options_init(&opts,
	    GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	opts.flags = GIT_REPOSITORY_INIT_MKPATH |
	    GIT_REPOSITORY_INIT_NO_REINIT;
	opts.initial_head = "main";
	if (git_repository_init_ext(&repo, dir, &opts) != 0)
		return git_fail("cannot create the repository");
	return repo_wrap(repo, out);
}

int
evrepo_open(const char *dir, struct evrepo **out)
{
	git_repository *repo = NULL;

	git_libgit2_init();
	if (git_repository_open_ext(&repo, dir, GIT_REPOSITORY_OPEN_NO_SEARCH,
	    NULL) != 0)
		return fp_fail(FP_ENOTFOUND, "'%s' is not a failproof "
		    "workspace (no git repository): create one with "
		    "'failproof init %s' or pass -C DIR", dir, dir);
	return repo_wrap(repo, out);
}

void
evrepo_free(struct evrepo *r)
{
	if (r == NULL)
		return;
	git_repository_free(r->repo);
	free(r->workdir);
	free(r);
	git_libgit2_shutdown();
}

char *
evrepo_path(struct evrepo *r, const char *rel)
{
	return xasprintf("%s%s", r->workdir, rel);
}

/* Create the parent folders of a working-tree path. */
static int
make_parents(const char *path)
{
	char *copy = xstrdup(path);
	int rc = 0;

	for (char *p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0755) != 0 && errno != EEXIST) {
			rc = fp_fail(FP_EIO, "cannot create '%s': %s", copy,
			    strerror(errno));
			break;
		}
		*p = '/';
	}
	free(copy);
	return rc;
}

int
evrepo_stage(struct evrepo *r, const char *rel)
{
	git_index *index = NULL;
	int rc = 0;

	if (git_repository_index(&index, r->repo) != 0)
		return git_fail("cannot read the index");
	if (git_index_add_bypath(index, rel) != 0 ||
	    git_index_write(index) != 0)
		rc = git_fail("cannot stage a file");
	git_index_free(index);
	return rc;
}

int
evrepo_add_data(struct evrepo *r, const char *rel, const void *data,
    size_t len)
{
	char *path = evrepo_path(r, rel), *tmp = NULL;
	FILE *f = NULL;
	int rc;

	if ((rc = make_parents(path)) != 0)
		goto out;
	tmp = xasprintf("%s.tmp", path);
	f = fopen(tmp, "wb");
	if (f == NULL || fwrite(data, 1, len, f) != len || fflush(f) != 0 ||
	    fsync(fileno(f)) != 0) {
		rc = fp_fail(FP_EIO, "cannot write '%s': %s", path,
		    strerror(errno));
		goto out;
	}
	fclose(f);
	f = NULL;
	if (rename(tmp, path) != 0) {
		rc = fp_fail(FP_EIO, "cannot write '%s': %s", path,
		    strerror(errno));
		goto out;
	}
	rc = evrepo_stage(r, rel);
out:
	if (f != NULL)
		fclose(f);
	if (tmp != NULL)
		unlink(tmp);
	free(tmp);
	free(path);
	return rc;
}

/*
 * Copy src to the working tree in chunks and stage it, so that archiving
 * a capture of any size needs the same memory.  libgit2 hashes and
 * writes the staged blob as a stream when no filter applies, which is
 * the case in a workspace (no .gitattributes).
 */
int
evrepo_add_copy(struct evrepo *r, const char *src, const char *rel)
{
	char *path = evrepo_path(r, rel), *tmp = NULL, chunk[65536];
	FILE *in = NULL, *out = NULL;
	size_t got;
	int rc;

	if ((rc = make_parents(path)) != 0)
		goto out;
	in = fopen(src, "rb");
	if (in == NULL) {
		rc = fp_fail(FP_EIO, "cannot open '%s': %s", src,
		    strerror(errno));
		goto out;
	}
	tmp = xasprintf("%s.tmp", path);
	out = fopen(tmp, "wb");
	if (out == NULL) {
		rc = fp_fail(FP_EIO, "cannot write '%s': %s", path,
		    strerror(errno));
		goto out;
	}
	while ((got = fread(chunk, 1, sizeof(chunk), in)) > 0)
		if (fwrite(chunk, 1, got, out) != got)
			break;
	if (ferror(in)) {
		rc = fp_fail(FP_EIO, "cannot read '%s': %s", src,
		    strerror(errno));
		goto out;
	}
	if (ferror(out) || fflush(out) != 0 || fsync(fileno(out)) != 0) {
		rc = fp_fail(FP_EIO, "cannot write '%s': %s", path,
		    strerror(errno));
		goto out;
	}
	fclose(out);
	out = NULL;
	if (rename(tmp, path) != 0) {
		rc = fp_fail(FP_EIO, "cannot write '%s': %s", path,
		    strerror(errno));
		goto out;
	}
	rc = evrepo_stage(r, rel);
out:
	if (in != NULL)
		fclose(in);
	if (out != NULL)
		fclose(out);
	if (tmp != NULL)
		unlink(tmp);
	free(tmp);
	free(path);
	return rc;
}

void
evrepo_discard(struct evrepo *r, const char *rel)
{
	git_index *index = NULL;
	char *path = evrepo_path(r, rel);

	if (git_repository_index(&index, r->repo) == 0) {
		git_index_remove_bypath(index, rel);
		git_index_write(index);
		git_index_free(index);
	}
	unlink(path);
	free(path);
}

static int
make_signature(struct evrepo *r, git_signature **sig)
{
	if (git_signature_default(sig, r->repo) == 0)
		return 0;
	if (git_signature_now(sig, "failproof", "failproof@localhost") != 0)
		return git_fail("cannot make a commit signature");
	return 0;
}

/* Commit the index with author (NULL: the committer) and message. */
static int
commit_index(struct evrepo *r, const git_signature *author,
    const char *message, char hex[41])
{
	git_signature *sig = NULL;
	git_index *index = NULL;
	git_tree *tree = NULL;
	git_commit *parent = NULL;
	git_reference *head = NULL;
	git_oid tree_id, commit_id;
	int rc = 0, nparents = 0;

	if ((rc = make_signature(r, &sig)) != 0)
		return rc;
	if (git_repository_index(&index, r->repo) != 0 ||
	    git_index_write_tree(&tree_id, index) != 0 ||
	    git_tree_lookup(&tree, r->repo, &tree_id) != 0) {
		rc = git_fail("cannot write the tree");
		goto out;
	}
	/* An empty repository has no HEAD: the first commit has no parent. */
	if (git_repository_head(&head, r->repo) == 0) {
		if (git_commit_lookup(&parent, r->repo,
		    git_reference_target(head)) != 0) {
			rc = git_fail("cannot read the current commit");
			goto out;
		}
		nparents = 1;
	}
	if (git_commit_create_v(&commit_id, r->repo, "HEAD",
	    author ? author : sig, sig, NULL, message, tree, nparents,
	    parent) != 0) {
		rc = git_fail("cannot commit");
		goto out;
	}
	git_oid_tostr(hex, 41, &commit_id);
out:
	git_reference_free(head);
	git_commit_free(parent);
	git_tree_free(tree);
	git_index_free(index);
	git_signature_free(sig);
	return rc;
}

int
evrepo_commit(struct evrepo *r, const char *message, char hex[41])
{
	return commit_index(r, NULL, message, hex);
}

int
evrepo_commit_as(struct evrepo *r, const char *name, const char *email,
    const char *message, char hex[41])
{
	git_signature *author = NULL;
	int rc;

	if (git_signature_now(&author, name, email ? email : "") != 0)
		return git_fail("invalid author name or email");
	rc = commit_index(r, author, message, hex);
	git_signature_free(author);
	return rc;
}

int
evrepo_head(struct evrepo *r, char hex[41])
{
	git_reference *head = NULL;

	if (git_repository_head(&head, r->repo) != 0)
		return fp_fail(FP_ENOTFOUND, "the evidence repository has no "
		    "commit yet");
	git_oid_tostr(hex, 41, git_reference_target(head));
	git_reference_free(head);
	return 0;
}

int
evrepo_tag_exists(struct evrepo *r, const char *name)
{
	git_reference *ref = NULL;
	char *refname = xasprintf("refs/tags/%s", name);
	int found = git_reference_lookup(&ref, r->repo, refname) == 0;

	git_reference_free(ref);
	free(refname);
	return found;
}

int
evrepo_tag(struct evrepo *r, const char *name, const char *commit_hex,
    const char *message)
{
	git_signature *sig = NULL;
	git_object *target = NULL;
	git_oid oid, tag_id;
	int rc;

	if ((rc = make_signature(r, &sig)) != 0)
		return rc;
	if (git_oid_fromstr(&oid, commit_hex) != 0 ||
	    git_object_lookup(&target, r->repo, &oid, GIT_OBJECT_COMMIT) != 0) {
		rc = git_fail("cannot find the commit to tag");
		goto out;
	}
	if (git_tag_create(&tag_id, r->repo, name, target, sig, message, 0) != 0)
		rc = git_fail("cannot create the tag");
out:
	git_object_free(target);
	git_signature_free(sig);
	return rc;
}

int
evrepo_check_file(struct evrepo *r, const char *commit_hex, const char *rel,
    const char *sha256)
{
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	char hex[65];
	git_oid oid;
	int rc = 0;

	if (git_oid_fromstr(&oid, commit_hex) != 0 ||
	    git_commit_lookup(&commit, r->repo, &oid) != 0) {
		rc = fp_fail(FP_ENOTFOUND, "commit %s is not in the evidence "
		    "repository", commit_hex);
		goto out;
	}
	if (git_commit_tree(&tree, commit) != 0 ||
	    git_tree_entry_bypath(&entry, tree, rel) != 0 ||
	    git_blob_lookup(&blob, r->repo, git_tree_entry_id(entry)) != 0) {
		rc = fp_fail(FP_ENOTFOUND, "'%s' is not in commit %.12s", rel,
		    commit_hex);
		goto out;
	}
	fp_sha256_hex(git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob),
	    hex);
	if (strcmp(hex, sha256) != 0)
		rc = fp_fail(FP_EVERIFY, "'%s' in commit %.12s has SHA-256 %s, "
		    "not %s", rel, commit_hex, hex, sha256);
out:
	git_blob_free(blob);
	git_tree_entry_free(entry);
	git_tree_free(tree);
	git_commit_free(commit);
	return rc;
}

int
evrepo_folder_has(struct evrepo *r, const char *commit_hex, const char *dir,
    const char *sha256)
{
	git_commit *commit = NULL;
	git_tree *tree = NULL, *folder = NULL;
	git_tree_entry *entry = NULL;
	git_oid oid;
	int rc = FP_EVERIFY;

	if (git_oid_fromstr(&oid, commit_hex) != 0 ||
	    git_commit_lookup(&commit, r->repo, &oid) != 0) {
		rc = fp_fail(FP_ENOTFOUND, "commit %s is not in the evidence "
		    "repository", commit_hex);
		goto out;
	}
	if (git_commit_tree(&tree, commit) != 0 ||
	    git_tree_entry_bypath(&entry, tree, dir) != 0 ||
	    git_tree_lookup(&folder, r->repo, git_tree_entry_id(entry)) != 0) {
		rc = fp_fail(FP_ENOTFOUND, "'%s' is not in commit %.12s", dir,
		    commit_hex);
		goto out;
	}
	for (size_t i = 0; i < git_tree_entrycount(folder) && rc != 0; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(folder, i);
		git_blob *blob = NULL;
		char hex[65];

		if (git_tree_entry_type(e) != GIT_OBJECT_BLOB ||
		    git_blob_lookup(&blob, r->repo, git_tree_entry_id(e)) != 0)
			continue;
		fp_sha256_hex(git_blob_rawcontent(blob),
		    (size_t)git_blob_rawsize(blob), hex);
		if (strcmp(hex, sha256) == 0)
			rc = 0;
		git_blob_free(blob);
	}
	if (rc != 0)
		fp_fail(FP_EVERIFY, "no file with SHA-256 %.16s... is in '%s' "
		    "of commit %.12s", sha256, dir, commit_hex);
out:
	git_tree_free(folder);
	git_tree_entry_free(entry);
	git_tree_free(tree);
	git_commit_free(commit);
	return rc;
}

int
evrepo_has_path(struct evrepo *r, const char *commit_hex, const char *rel)
{
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_oid oid;
	int found = 0;

	if (git_oid_fromstr(&oid, commit_hex) == 0 &&
	    git_commit_lookup(&commit, r->repo, &oid) == 0 &&
	    git_commit_tree(&tree, commit) == 0 &&
	    git_tree_entry_bypath(&entry, tree, rel) == 0)
		found = 1;
	git_tree_entry_free(entry);
	git_tree_free(tree);
	git_commit_free(commit);
	return found;
}

/* The files a commit adds or changes compared with its first parent. */
static int
changed_paths(git_repository *repo, git_commit *commit,
    struct evrepo_commit *out)
{
	git_commit *parent = NULL;
	git_tree *tree = NULL, *parent_tree = NULL;
	git_diff *diff = NULL;
	size_t n;
	int rc = 0;

	if (git_commit_tree(&tree, commit) != 0 ||
	    (git_commit_parentcount(commit) > 0 &&
	    (git_commit_parent(&parent, commit, 0) != 0 ||
	    git_commit_tree(&parent_tree, parent) != 0)) ||
	    git_diff_tree_to_tree(&diff, repo, parent_tree, tree, NULL) != 0) {
		rc = git_fail("cannot compare a commit with its parent");
		goto out;
	}
	n = git_diff_num_deltas(diff);
	out->paths = xcalloc(n + 1, sizeof(*out->paths));
	for (size_t i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		if (d->status == GIT_DELTA_ADDED ||
		    d->status == GIT_DELTA_MODIFIED ||
		    d->status == GIT_DELTA_TYPECHANGE)
			out->paths[out->n_paths++] = xstrdup(d->new_file.path);
	}
out:
	git_diff_free(diff);
	git_tree_free(parent_tree);
	git_tree_free(tree);
	git_commit_free(parent);
	return rc;
}

int
evrepo_walk(struct evrepo *r,
    int (*fn)(void *ctx, const struct evrepo_commit *c), void *ctx)
{
	git_revwalk *walk = NULL;
	git_oid oid;
	int rc = 0, step;

	if (git_revwalk_new(&walk, r->repo) != 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL |
	    GIT_SORT_REVERSE) != 0 ||
	    git_revwalk_push_head(walk) != 0) {
		git_revwalk_free(walk);
		return git_fail("cannot walk the history of main");
	}
	git_revwalk_simplify_first_parent(walk);
	while (rc == 0 && (step = git_revwalk_next(&oid, walk)) == 0) {
		struct evrepo_commit c = { 0 };
		const git_signature *author;
		git_commit *commit = NULL;

		if (git_commit_lookup(&commit, r->repo, &oid) != 0) {
			rc = git_fail("cannot read a commit of main");
			break;
		}
		git_oid_tostr(c.id, sizeof(c.id), &oid);
		c.time = (int64_t)git_commit_time(commit);
		author = git_commit_author(commit);
		c.author = author->name;
		c.email = author->email;
		c.message = git_commit_message(commit);
		if ((rc = changed_paths(r->repo, commit, &c)) == 0)
			rc = fn(ctx, &c);
		for (size_t i = 0; i < c.n_paths; i++)
			free(c.paths[i]);
		free(c.paths);
		git_commit_free(commit);
	}
	if (rc == 0 && step != GIT_ITEROVER)
		rc = git_fail("cannot walk the history of main");
	git_revwalk_free(walk);
	return rc;
}

int
evrepo_read(struct evrepo *r, const char *commit_hex, const char *rel,
    size_t max, char **data, size_t *len)
{
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	git_oid oid;
	size_t size;
	int rc = 0;

	*data = NULL;
	*len = 0;
	if (git_oid_fromstr(&oid, commit_hex) != 0 ||
	    git_commit_lookup(&commit, r->repo, &oid) != 0 ||
	    git_commit_tree(&tree, commit) != 0 ||
	    git_tree_entry_bypath(&entry, tree, rel) != 0 ||
	    git_blob_lookup(&blob, r->repo, git_tree_entry_id(entry)) != 0) {
		rc = fp_fail(FP_ENOTFOUND, "'%s' is not in commit %.12s", rel,
		    commit_hex);
		goto out;
	}
	size = (size_t)git_blob_rawsize(blob);
	if (size > max) {
		rc = fp_fail(FP_EINVAL, "'%s' in commit %.12s has %zu bytes, "
		    "more than the %zu a record may have", rel, commit_hex,
		    size, max);
		goto out;
	}
	*data = xmalloc(size + 1);
	memcpy(*data, git_blob_rawcontent(blob), size);
	(*data)[size] = '\0';
	*len = size;
out:
	git_blob_free(blob);
	git_tree_entry_free(entry);
	git_tree_free(tree);
	git_commit_free(commit);
	return rc;
}

int
evrepo_tag_commit(struct evrepo *r, const char *name, char hex[41])
{
	git_object *target = NULL;
	char *spec = xasprintf("refs/tags/%s^{commit}", name);
	int rc = 0;

	if (git_revparse_single(&target, r->repo, spec) != 0)
		rc = fp_fail(FP_ENOTFOUND, "the evidence repository has no tag "
		    "'%s'", name);
	else
		git_oid_tostr(hex, 41, git_object_id(target));
	git_object_free(target);
	free(spec);
	return rc;
}
