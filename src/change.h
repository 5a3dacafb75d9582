/*
 * Change records: a crypto, timer, software or topology change to a
 * registered tunnel.  The procedure requires a re-test after any crypto
 * or timer change.  failproof treats every recorded kind the same, so a
 * change after a scenario's last passing run makes its re-test due.
 */
#ifndef FP_CHANGE_H
#define FP_CHANGE_H

#include "store_quarterly.h"
#include "workspace.h"

/*
 * The email of a commit author given by name only.  libgit2 1.5 rejects
 * an empty email, and the .invalid domain (RFC 2606) shows that none was
 * given.
 */
#define CHANGE_NO_EMAIL "unknown@failproof.invalid"

/*
 * Split an actor "Name" or "Name <email>" into a commit author's name
 * and email (CHANGE_NO_EMAIL when none is given).  FP_EINVAL when the
 * text is neither form.
 */
int change_split_actor(const char *actor, char **name, char **email);

/* Whether kind is crypto, timer, software or topology. */
int change_check_kind(const char *kind);

/*
 * Record c (tunnel, kind, changed_at, changed_by, ref) as the file
 * changes/TUNNEL/TIME-KIND.txt in one commit whose author is changed_by
 * ("Name" or "Name <email>"), then as a row.  Sets c->id, recorded_at,
 * record_path and commit_id.  FP_ENOTFOUND when the tunnel is not
 * registered, FP_EINVAL for an invalid field.
 */
int change_add(struct workspace *ws, struct store_change *c);

#endif
