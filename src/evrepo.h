/*
 * The evidence repository: the workspace's git repository (libgit2 is
 * used only here).  Raw evidence, run records and reports are files in
 * the working tree, and each import, evaluation and report is one commit
 * on branch main.
 */
#ifndef FP_EVREPO_H
#define FP_EVREPO_H

#include <stddef.h>
#include <stdint.h>

struct evrepo;

/* Create DIR as a new repository whose HEAD is refs/heads/main. */
int evrepo_init(const char *dir, struct evrepo **out);
int evrepo_open(const char *dir, struct evrepo **out);
void evrepo_free(struct evrepo *r);

/* Absolute path of a file of the working tree, newly allocated. */
char *evrepo_path(struct evrepo *r, const char *rel);

/* Copy a file byte for byte into the working tree at rel and stage it. */
int evrepo_add_copy(struct evrepo *r, const char *src, const char *rel);
/* Write data to rel in the working tree and stage it. */
int evrepo_add_data(struct evrepo *r, const char *rel, const void *data,
    size_t len);
/* Stage a file already written in the working tree. */
int evrepo_stage(struct evrepo *r, const char *rel);
/* Undo evrepo_add_*: unstage rel and delete it from the working tree. */
void evrepo_discard(struct evrepo *r, const char *rel);

/*
 * Commit the index to main with the given message; hex receives the new
 * commit id (41 bytes).  The author is the user's git identity, else
 * "failproof".
 */
int evrepo_commit(struct evrepo *r, const char *message, char hex[41]);
/*
 * Commit like evrepo_commit() with another author: the person who acted
 * (a reviewer, an approver), while the committer stays the user's git
 * identity.  libgit2 1.5 rejects an empty email and names containing
 * '<' or '>'.
 */
int evrepo_commit_as(struct evrepo *r, const char *name, const char *email,
    const char *message, char hex[41]);
/* The commit main points at; FP_ENOTFOUND on an empty repository. */
int evrepo_head(struct evrepo *r, char hex[41]);
/* Create an annotated tag on a commit. */
int evrepo_tag(struct evrepo *r, const char *name, const char *commit_hex,
    const char *message);
/* True when the name is free for a new tag. */
int evrepo_tag_exists(struct evrepo *r, const char *name);

/*
 * Check that a commit exists and that the file rel in its tree has the
 * given SHA-256.  Returns 0, FP_ENOTFOUND or FP_EVERIFY.
 */
int evrepo_check_file(struct evrepo *r, const char *commit_hex,
    const char *rel, const char *sha256);

/* True when the commit's tree contains the path rel. */
int evrepo_has_path(struct evrepo *r, const char *commit_hex,
    const char *rel);

/* One commit of main, as evrepo_walk() passes it. */
struct evrepo_commit {
	char id[41];
	int64_t time;		/* committer time, seconds since the epoch */
	const char *author;	/* author name */
	const char *email;	/* author email */
	const char *message;	/* the whole message, as committed */
	char **paths;		/* files it adds or changes, by path */
	size_t n_paths;
};

/*
 * Call fn for each commit of main, from the first to the one HEAD names,
 * following first parents, with the files each commit adds or changes
 * compared with its parent.  A nonzero return from fn stops the walk and
 * is returned.
 */
int evrepo_walk(struct evrepo *r,
    int (*fn)(void *ctx, const struct evrepo_commit *c), void *ctx);

/*
 * Read the file rel of a commit's tree into a new NUL-terminated buffer.
 * Returns 0, FP_ENOTFOUND, or FP_EINVAL when the file is larger than max
 * bytes.
 */
int evrepo_read(struct evrepo *r, const char *commit_hex, const char *rel,
    size_t max, char **data, size_t *len);

/* The commit a tag names; FP_ENOTFOUND when there is no such tag. */
int evrepo_tag_commit(struct evrepo *r, const char *name, char hex[41]);

/*
 * Check that the folder dir of a commit's tree contains a file with the
 * given SHA-256.  Returns 0, FP_ENOTFOUND (no such commit or folder) or
 * FP_EVERIFY (no file with that content).
 */
int evrepo_folder_has(struct evrepo *r, const char *commit_hex,
    const char *dir, const char *sha256);

#endif
