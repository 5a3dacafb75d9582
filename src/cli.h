/*
 * The command table and option parsing shared by the commands.  Each
 * command lists its options once; the same table drives getopt_long and
 * prints the command's --help.
 */
#ifndef FP_CLI_H
#define FP_CLI_H

#include <stdio.h>

/* Exit statuses, documented in README.md. */
#define EXIT_USAGE 2		/* invalid command line */
#define EXIT_NOT_VERIFIED 3	/* a report does not verify */

struct cli_option {
	const char *name;
	const char *arg;	/* metavariable, NULL for a flag */
	const char *help;
};

struct cli_context {
	const char *dir;	/* -C DIR, default "." */
	int verbosity;		/* -q = -1, -v = 1, -vv = 2 */
};

struct cli_command {
	const char *name;
	const char *args;	/* positional arguments for the usage line */
	const char *summary;
	const struct cli_option *options;
	int (*run)(const struct cli_context *ctx, int argc, char **argv);
};

/*
 * Parse argv against the command's options.  For each option found,
 * values[i] (i its index in the table) receives the argument, or "1" for
 * a flag; a repeated option keeps the last value.  Returns the index of
 * the first positional argument, or -1 after printing a usage error, or
 * -2 when --help was printed.
 */
int cli_parse(const struct cli_command *cmd, int argc, char **argv,
    const char **values);
void cli_usage(const struct cli_command *cmd, FILE *out);
/* Print "failproof: CMD: message" for the last error; return 1. */
int cli_error(const char *cmd);

struct workspace;

/*
 * Open the workspace of -C DIR; print a note on stderr when the store had
 * to index evidence an interrupted import left.  Returns 0 or prints the
 * error and returns 1.
 */
int cli_workspace_open(const struct cli_context *ctx, const char *cmd,
    struct workspace **ws);

extern const struct cli_command cmd_init, cmd_run, cmd_import, cmd_evaluate,
    cmd_report, cmd_verify, cmd_rebuild;
/* The normalised events of a run (cmd_events.c). */
extern const struct cli_command cmd_events;
/* Traffic per SPI, flow and SA counter (cmd_traffic.c). */
extern const struct cli_command cmd_traffic;
/* The review workflow: sign-off, defects, waivers, attestations. */
extern const struct cli_command cmd_review, cmd_defects, cmd_defect,
    cmd_waive, cmd_attest;

/* The quarterly schedule and compliance reports. */
extern const struct cli_command cmd_tunnel, cmd_due, cmd_change,
    cmd_procedure, cmd_quarterly, cmd_export;

#endif
