/*
 * failproof: turns the evidence of a VPN HA failover drill into a signed
 * verdict.  main() reads the global options, finds the command in the
 * table and picks the exit status; the commands do the rest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "paths.h"
#include "util.h"

static const struct cli_command *const commands[] = {
	&cmd_init, &cmd_run, &cmd_import, &cmd_evaluate, &cmd_report,
	&cmd_verify, &cmd_tunnel, &cmd_due, &cmd_change,
	&cmd_procedure, &cmd_events, &cmd_traffic, &cmd_review,
	&cmd_quarterly,
	&cmd_defects, &cmd_defect, &cmd_waive, &cmd_attest, &cmd_export,
	&cmd_rebuild, NULL
};

static void
usage(FILE *out)
{
	fputs("usage: failproof [-C DIR] [-q | -v] COMMAND [ARGS]\n\n"
	    "Turns the evidence of a VPN high-availability failover test "
	    "into a signed verdict.\n\ncommands:\n", out);
	for (size_t i = 0; commands[i]; i++)
		fprintf(out, "  %-10s %s\n", commands[i]->name,
		    commands[i]->summary);
	fputs("\noptions:\n"
	    "  -C DIR      the workspace (default: the current directory)\n"
	    "  -q          print only errors\n"
	    "  -v          print more detail (-vv for even more)\n"
	    "  --version   print the version\n\n"
	    "'failproof COMMAND --help' prints the options of a command.\n",
	    out);
}

int
main(int argc, char **argv)
{
	struct cli_context ctx = { ".", 0 };
	int i = 1;

	fp_paths_init(argv[0]);
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-C") == 0 && i + 1 < argc) {
			ctx.dir = argv[++i];
		} else if (strcmp(argv[i], "-q") == 0) {
			ctx.verbosity = -1;
		} else if (strcmp(argv[i], "-v") == 0) {
			ctx.verbosity = 1;
		} else if (strcmp(argv[i], "-vv") == 0) {
			ctx.verbosity = 2;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("failproof %s\n", FP_VERSION);
			return 0;
		} else if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "failproof: invalid option '%s'\n",
			    argv[i]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[i], "help") == 0) {
		usage(stdout);
		return 0;
	}
	for (size_t k = 0; commands[k]; k++)
		if (strcmp(commands[k]->name, argv[i]) == 0)
			return commands[k]->run(&ctx, argc - i, argv + i);
	fprintf(stderr, "failproof: '%s' is not a command; 'failproof help' "
	    "lists them\n", argv[i]);
	return EXIT_USAGE;
}
