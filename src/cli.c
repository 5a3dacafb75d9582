/* Option parsing and messages shared by the commands. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util.h"
#include "workspace.h"

void
cli_usage(const struct cli_command *cmd, FILE *out)
{
	fprintf(out, "usage: failproof [-C DIR] %s%s%s\n\n%s\n", cmd->name,
	    cmd->args ? " " : "", cmd->args ? cmd->args : "", cmd->summary);
	if (cmd->options == NULL || cmd->options[0].name == NULL)
		return;
	fputs("\noptions:\n", out);
	for (const struct cli_option *o = cmd->options; o->name; o++) {
		char left[64];

		snprintf(left, sizeof(left), "--%s%s%s", o->name,
		    o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(out, "  %-28s %s\n", left, o->help);
	}
}

int
cli_parse(const struct cli_command *cmd, int argc, char **argv,
    const char **values)
{
	struct option *longopts;
	size_t n = 0;
	int c, index;

	while (cmd->options && cmd->options[n].name)
		n++;
	longopts = xcalloc(n + 2, sizeof(*longopts));
	for (size_t i = 0; i < n; i++) {
		longopts[i].name = cmd->options[i].name;
		longopts[i].has_arg = cmd->options[i].arg ? required_argument :
		    no_argument;
		longopts[i].val = 0;
	}
	longopts[n].name = "help";
	longopts[n].val = 'h';

	optind = 1;
	opterr = 0;
	for (;;) {
		index = -1;
		c = getopt_long(argc, argv, "h", longopts, &index);
		if (c == -1)
			break;
		if (c == 'h') {
			cli_usage(cmd, stdout);
			free(longopts);
			return -2;
		}
		if (c == '?' || c == ':') {
			fprintf(stderr, "failproof: %s: invalid option '%s'\n",
			    cmd->name, argv[optind - 1]);
			fprintf(stderr, "run 'failproof %s --help' for the "
			    "options\n", cmd->name);
			free(longopts);
			return -1;
		}
		if (index >= 0 && (size_t)index < n)
			values[index] = optarg ? optarg : "1";
	}
	free(longopts);
	return optind;
}

int
cli_error(const char *cmd)
{
	char *msg = fp_escape(fp_errmsg());

	fprintf(stderr, "failproof: %s: %s\n", cmd, msg);
	free(msg);
	return 1;
}

int
cli_workspace_open(const struct cli_context *ctx, const char *cmd,
    struct workspace **ws)
{
	if (workspace_open(ctx->dir, ws) != 0) {
		*ws = NULL;
		return cli_error(cmd);
	}
	if ((*ws)->repaired > 0 && ctx->verbosity >= 0)
		fprintf(stderr, "failproof: %s: indexed %d evidence file(s) "
		    "that an interrupted import had committed but not "
		    "stored\n", cmd, (*ws)->repaired);
	if ((*ws)->discarded > 0 && ctx->verbosity >= 0)
		fprintf(stderr, "failproof: %s: removed %d file(s) that an "
		    "interrupted import had archived but not committed\n", cmd,
		    (*ws)->discarded);
	return 0;
}
