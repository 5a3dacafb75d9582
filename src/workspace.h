/*
 * A workspace: a git repository (the evidence repository) with the SQLite
 * store in .failproof/store.db, which git ignores.  The store is the
 * index; the repository is the record.
 */
#ifndef FP_WORKSPACE_H
#define FP_WORKSPACE_H

#include "evrepo.h"
#include "store.h"

struct workspace {
	char *dir;
	struct store *store;
	struct evrepo *repo;
	int repaired;		/* imports indexed again on open */
	int discarded;		/* uncommitted files of dead imports removed */
	int lock_fd;		/* .failproof/lock, held while open */
};

/* Create DIR (it must not hold a workspace yet) and record the procedure. */
int workspace_create(const char *dir, const char *procedure_path,
    struct workspace **out, long *procedure_id);
int workspace_open(const char *dir, struct workspace **out);
/* Take the workspace lock (.failproof/lock), waiting for other commands. */
int workspace_lock(struct workspace *ws);

/* Counts of the rows a rebuild restored and of the records it could not
 * restore in full. */
struct rebuild_stats {
	int runs;
	int evidence;
	int evaluations;
	int defects;
	int procedures;		/* procedure rows: the first and each revision */
	int approvals;		/* approvals and periodic reviews */
	int tunnels;
	int changes;		/* change records */
	int clock_offsets;
	int reports;
	int reviews;
	int attestations;
	int waivers;
	int defect_changes;
	int tags_missing;	/* report and review tags absent or elsewhere */
	int signers_missing;	/* reports issued without a signer record */
	int rules_differ;	/* syslog files parsed with other vendor rules */
	int old_sidecars;	/* evidence whose sidecar lacks the options */
	int old_records;	/* records without the time they now state */
	int changes_refused;	/* defect changes the store refused back then */
	char *moved_to;		/* where the old store went, or NULL */
};

/*
 * Rebuild the store of DIR from its evidence repository by replaying the
 * commits of main in order.  That restores the procedure with its
 * revisions and approvals, tunnels and change records, and every run
 * record.  It parses every archived evidence file again, and restores
 * every evaluation with the defects it opened or verified, issued
 * reports, sign-offs, attestations, waivers and defect changes.  Each row
 * gets the time its record states, else the time of its commit.  An
 * existing store is moved aside, and moved back when the rebuild fails.
 */
int workspace_rebuild(const char *dir, struct workspace **out,
    struct rebuild_stats *stats);
void workspace_close(struct workspace *ws);

/* Folder of a run's records and evidence inside the repository. */
char *workspace_run_dir(long run);

/*
 * Write a record (run.txt, evaluation.json, ...) into the run's folder of
 * the repository and commit it with message; commit receives the id.
 */
int workspace_record(struct workspace *ws, long run, const char *name,
    const char *text, const char *message, char commit[41]);

/* Record a new run: one store row and one commit.  Sets run->id. */
int workspace_run_create(struct workspace *ws, struct fp_run *run);
/* Record a change to a run's mutable facts; what names the change. */
int workspace_run_update(struct workspace *ws, const struct fp_run *run,
    const char *what);

#endif
