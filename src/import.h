/*
 * Importing one evidence file into a run: archive it byte for byte in the
 * evidence repository, parse it with its importer and store the records,
 * all or nothing.
 */
#ifndef FP_IMPORT_H
#define FP_IMPORT_H

#include "importer.h"
#include "workspace.h"

/* Events of one kind that an import stored. */
struct import_kind_count {
	char kind[32];
	long count;
};

struct import_result {
	int duplicate;		/* the same bytes were already imported */
	long evidence_id;
	char kind[32];
	char sha256[65];
	char commit[41];
	long events;
	long samples;
	long packets;
	long steps;		/* test and experiment steps */
	long counters;		/* SA and error counter readings */
	long untimed;		/* events without a time, not stored */
	struct import_kind_count *kinds;	/* stored events per kind */
	size_t n_kinds;
	struct fp_line_stats lines;	/* lines.lines is 0 for non-line kinds */
	char *partial;		/* why the file was imported in part */
	char **warnings;	/* one line each, with the line or packet */
	size_t n_warnings;
	size_t warnings_dropped;
};

/*
 * Import path into run.  kind may be NULL to detect it.  On failure the
 * store and the repository are as they were and the message names the
 * file and the line.
 */
int import_file(struct workspace *ws, const struct fp_run *run,
    const char *path, const char *kind, const struct fp_import_opts *opts,
    struct import_result *res);
void import_result_release(struct import_result *res);

/*
 * Each archived evidence file has a sidecar "<file>.import" in the
 * repository recording how it was imported (run, kind, host, zone,
 * year), so the store can be rebuilt from the repository alone.
 */
#define IMPORT_META_SUFFIX ".import"

int import_write_meta(struct workspace *ws, const char *rel, long run,
    const char *kind, const char *sha256, const struct fp_import_opts *opts);

/* Parse an archived copy into the store inside the caller's transaction. */
int import_parse_archived(struct workspace *ws, const struct fp_importer *imp,
    const char *copy, const struct fp_import_opts *opts,
    struct store_evidence *ev, struct import_result *res);

/*
 * Index the evidence that the repository's last commit holds but the
 * store lacks: what a crash between the git commit and the SQLite commit
 * of an import leaves.  repaired receives the number of files indexed;
 * discarded the number of files removed that no commit holds (what an
 * import killed before its commit left).
 */
int import_repair(struct workspace *ws, int *repaired, int *discarded);

#endif
