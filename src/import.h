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
 * repository.  It records how the file was imported: the run, kind,
 * host, zone, year and the other options that change what the parser
 * stores.  So the store can be rebuilt from the repository alone.  A
 * timeline imported with --markers has the markers file archived beside
 * it as "<file>.markers".
 */
#define IMPORT_META_SUFFIX ".import"
#define IMPORT_MARKERS_SUFFIX ".markers"

/* The content of a sidecar.  Fields an older sidecar lacks are empty. */
struct import_meta {
	long run;
	char *kind;
	char *sha256;
	char *host;		/* NULL when none was given */
	char *tz;
	int year;
	int strict;
	int skip_bad;
	fp_time at;		/* --at, 0 when none */
	char *markers_sha256;	/* of the archived markers file, or NULL */
	char **rule_dirs;	/* --rules folders, absolute */
	size_t n_rule_dirs;
	char *rules_sha256;	/* of the vendor rules a syslog file met */
	struct fp_clock_offset *offsets;	/* the run's, hosts owned */
	size_t n_offsets;
	fp_time imported_at;	/* FP_TIME_NONE in older sidecars */
};

/*
 * Write and stage the sidecar of the archived file rel.  opts gives the
 * options recorded; markers_sha256 is the SHA-256 of the markers file
 * archived beside rel, or NULL.
 */
int import_write_meta(struct workspace *ws, const char *rel, long run,
    const char *kind, const char *sha256, const struct fp_import_opts *opts,
    const char *markers_sha256, fp_time imported_at);

/* Parse the text of a sidecar.  Returns 0 or FP_EINVAL. */
int import_meta_parse(const char *text, struct import_meta *out);
void import_meta_release(struct import_meta *m);

/*
 * Parse the archived file rel again as its sidecar m records it, inside
 * the caller's transaction; commit is the commit that archived it.  The
 * working-tree copies must still have their recorded SHA-256.  The vendor
 * rules are the shipped ones, the workspace's rules/ and the recorded
 * --rules folders that still exist; *rules_differ is set when a folder
 * is gone or the rule files are not those of the import.
 */
int import_reindex(struct workspace *ws, const char *rel,
    const struct import_meta *m, const char *commit, int *rules_differ);

/* Parse an archived copy into the store inside the caller's transaction. */
int import_parse_archived(struct workspace *ws, const struct fp_importer *imp,
    const char *copy, const struct fp_import_opts *opts,
    struct store_evidence *ev, struct import_result *res);

/*
 * Index the evidence that the repository's last commit contains but the
 * store lacks, which is what a crash between the git commit and the
 * SQLite commit of an import leaves.  repaired receives the number of
 * files indexed.  discarded receives the number of files removed that
 * no commit contains, left by an import killed before its commit.
 */
int import_repair(struct workspace *ws, int *repaired, int *discarded);

#endif
