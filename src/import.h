/*
 * Importing one evidence file into a run: archive it byte for byte in the
 * evidence repository, parse it with its importer and store the records,
 * all or nothing.
 */
#ifndef FP_IMPORT_H
#define FP_IMPORT_H

#include "importer.h"
#include "workspace.h"

struct import_result {
	int duplicate;		/* the same bytes were already imported */
	long evidence_id;
	char kind[32];
	char sha256[65];
	char commit[41];
	long events;
	long samples;
	long packets;
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

#endif
