/*
 * Locating the data files failproof ships: templates/, schema/ and
 * importers/rules/.  A build run from its source tree finds them beside
 * the executable; an installed one under FP_DATADIR.  The environment
 * variable FAILPROOF_DATADIR overrides both.
 */
#ifndef FP_PATHS_H
#define FP_PATHS_H

/*
 * Return the path of a shipped data file such as "schema/report.xsd" or
 * "rules" (for importers/rules), newly allocated, or NULL with an error
 * set when it cannot be found.
 */
char *fp_data_path(const char *relative);

/* Remember argv[0] so the source tree beside the executable is found. */
void fp_paths_init(const char *argv0);

#endif
