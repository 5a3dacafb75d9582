/*
 * Registered tunnels: the HA pairs whose failover is tested every
 * quarter.  Registering one writes tunnels/NAME.txt to the evidence
 * repository in one commit and records the row in the store.
 */
#ifndef FP_TUNNEL_H
#define FP_TUNNEL_H

#include "store_quarterly.h"
#include "workspace.h"

/* Maximum length of a tunnel name, in bytes. */
#define TUNNEL_NAME_MAX 64

/*
 * Check a tunnel name: 1 to TUNNEL_NAME_MAX letters, digits, '.', '_'
 * or '-', starting with a letter or digit, because it names a file in
 * the repository.  Returns 0 or FP_EINVAL.
 */
int tunnel_check_name(const char *name);

/*
 * Validate and register t: name, units (at least two, separated by
 * commas), peer, vendor, ike_version, and added_by (may be NULL).  Sets
 * t->id and added_at, and allocates record_path and commit_id, which the
 * caller frees.  FP_EINVAL when the tunnel exists or a field is invalid.
 */
int tunnel_add(struct workspace *ws, struct store_tunnel *t);

#endif
