/*
 * failproof tunnel add|list: register the HA tunnels that the quarterly
 * schedule covers, and list them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tunnel.h"

enum { OPT_UNITS, OPT_PEER, OPT_VENDOR, OPT_IKE, OPT_BY, OPT_COUNT };

static const struct cli_option options[] = {
	[OPT_UNITS] = { "units", "A,B", "the units of the HA pair, "
	    "comma-separated (required for add)" },
	[OPT_PEER] = { "peer", "HOST", "the remote gateway (required for "
	    "add)" },
	[OPT_VENDOR] = { "vendor", "NAME", "vendor or platform, such as "
	    "strongswan (required for add)" },
	[OPT_IKE] = { "ike", "1|2", "IKE version (required for add)" },
	[OPT_BY] = { "by", "NAME", "who registers the tunnel" },
	{ NULL, NULL, NULL },
};

static int
add(struct workspace *ws, const char *name, const char **v)
{
	struct store_tunnel t = { 0 };
	long ike;
	int rc;

	if (!v[OPT_UNITS] || !v[OPT_PEER] || !v[OPT_VENDOR] || !v[OPT_IKE])
		return fp_fail(FP_EINVAL, "--units, --peer, --vendor and --ike "
		    "are required");
	if (fp_parse_long(v[OPT_IKE], 1, 2, &ike) != 0)
		return fp_fail(FP_EINVAL, "invalid --ike '%s': use 1 or 2",
		    v[OPT_IKE]);
	t.name = (char *)name;
	t.units = (char *)v[OPT_UNITS];
	t.peer = (char *)v[OPT_PEER];
	t.vendor = (char *)v[OPT_VENDOR];
	t.ike_version = (int)ike;
	t.added_by = (char *)v[OPT_BY];
	rc = tunnel_add(ws, &t);
	free(t.record_path);
	free(t.commit_id);
	return rc;
}

static int
list(struct workspace *ws)
{
	struct store_tunnel *v = NULL;
	size_t n = 0;
	int rc;

	if ((rc = store_tunnel_list(ws->store, &v, &n)) != 0)
		return rc;
	if (n > 0)
		printf("%-20s %-20s %-16s %-12s %s\n", "TUNNEL", "UNITS",
		    "PEER", "VENDOR", "IKE");
	for (size_t i = 0; i < n; i++) {
		char *name = fp_escape(v[i].name), *units = fp_escape(v[i].units);
		char *peer = fp_escape(v[i].peer), *vendor = fp_escape(v[i].vendor);

		printf("%-20s %-20s %-16s %-12s v%d\n", name, units, peer,
		    vendor, v[i].ike_version);
		free(name);
		free(units);
		free(peer);
		free(vendor);
	}
	store_tunnel_list_free(v, n);
	return 0;
}

static int
run_tunnel(const struct cli_context *ctx, int argc, char **argv)
{
	const char *values[OPT_COUNT] = { NULL };
	struct workspace *ws = NULL;
	const char *verb;
	int first, status = 0, rc;

	if (argc < 2 || (strcmp(argv[1], "add") != 0 &&
	    strcmp(argv[1], "list") != 0)) {
		int help = argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
		    strcmp(argv[1], "-h") == 0);

		cli_usage(&cmd_tunnel, help ? stdout : stderr);
		return help ? 0 : EXIT_USAGE;
	}
	verb = argv[1];
	first = cli_parse(&cmd_tunnel, argc - 1, argv + 1, values);
	if (first < 0)
		return first == -2 ? 0 : EXIT_USAGE;
	first++;
	if (strcmp(verb, "add") == 0 ? first != argc - 1 : first != argc) {
		fprintf(stderr, "failproof: tunnel %s: %s\n", verb,
		    strcmp(verb, "add") == 0 ? "name exactly one tunnel" :
		    "list takes no arguments");
		return EXIT_USAGE;
	}
	if (workspace_open(ctx->dir, &ws) != 0)
		return cli_error("tunnel");
	if (strcmp(verb, "add") == 0)
		rc = add(ws, argv[first], values);
	else
		rc = list(ws);
	if (rc == FP_EINVAL && strcmp(verb, "add") == 0 &&
	    strstr(fp_errmsg(), "registered already") == NULL) {
		cli_error("tunnel add");
		status = EXIT_USAGE;
	} else if (rc != 0) {
		status = cli_error(strcmp(verb, "add") == 0 ? "tunnel add" :
		    "tunnel list");
	} else if (strcmp(verb, "add") == 0 && ctx->verbosity >= 0) {
		printf("registered tunnel %s\n", argv[first]);
	}
	workspace_close(ws);
	return status;
}

const struct cli_command cmd_tunnel = {
	"tunnel", "add NAME --units A,B --peer HOST --vendor NAME --ike 1|2 | "
	"list",
	"Register the HA tunnels the quarterly schedule covers, or list them.",
	options, run_tunnel,
};
