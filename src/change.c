/* Recording changes to tunnels, each a commit authored by its actor. */
#include <stdlib.h>
#include <string.h>

#include "change.h"

static const char *const kinds[] = { "crypto", "timer", "software",
	"topology", NULL };

int
change_check_kind(const char *kind)
{
	for (size_t i = 0; kinds[i] != NULL; i++)
		if (strcmp(kinds[i], kind) == 0)
			return 0;
	return fp_fail(FP_EINVAL, "invalid change kind '%s': use crypto, "
	    "timer, software or topology", kind);
}

int
change_split_actor(const char *actor, char **name, char **email)
{
	const char *lt = strchr(actor, '<'), *gt = strchr(actor, '>');
	size_t len;

	*name = *email = NULL;
	if (lt == NULL && gt == NULL) {
		*name = xstrdup(actor);
		*email = xstrdup(CHANGE_NO_EMAIL);
		return 0;
	}
	if (lt == NULL || gt == NULL || gt < lt || gt[1] != '\0' ||
	    lt == actor)
		return fp_fail(FP_EINVAL, "invalid --by '%s': give a name, or "
		    "a name and an email as \"Ana Engineer <ana@example.org>\"",
		    actor);
	len = (size_t)(lt - actor);
	while (len > 0 && actor[len - 1] == ' ')
		len--;
	*name = xstrndup(actor, len);
	*email = xstrndup(lt + 1, (size_t)(gt - lt - 1));
	return 0;
}

int
change_add(struct workspace *ws, struct store_change *c)
{
	char *name = NULL, *email = NULL, *text = NULL, *msg = NULL;
	char when[FP_TIME_STRLEN], stamp[FP_TIME_STRLEN], commit[41];
	char recorded[FP_TIME_STRLEN];
	size_t j = 0;
	int rc;

	if ((rc = change_check_kind(c->kind)) != 0)
		return rc;
	if (c->changed_by == NULL || *c->changed_by == '\0' ||
	    c->ref == NULL || *c->ref == '\0')
		return fp_fail(FP_EINVAL, "--by and --ref are required");
	if (strchr(c->ref, '\n') != NULL || strchr(c->changed_by, '\n'))
		return fp_fail(FP_EINVAL, "--by and --ref must be one line");
	if ((rc = store_tunnel_exists(ws->store, c->tunnel)) != 1)
		return rc < 0 ? rc : fp_fail(FP_ENOTFOUND, "tunnel '%s' is not "
		    "registered: register it with 'failproof tunnel add'",
		    c->tunnel);
	if ((rc = change_split_actor(c->changed_by, &name, &email)) != 0)
		return rc;

	/* The record's file name: the change time without separators. */
	fp_time_format(c->changed_at, when, sizeof(when));
	for (size_t i = 0; when[i] != '\0' && when[i] != '.'; i++)
		if (when[i] != '-' && when[i] != ':')
			stamp[j++] = when[i];
	stamp[j] = '\0';
	c->recorded_at = fp_now();
	fp_time_format(c->recorded_at, recorded, sizeof(recorded));
	c->record_path = xasprintf("changes/%s/%sZ-%s.txt", c->tunnel, stamp,
	    c->kind);
	text = xasprintf("tunnel: %s\nkind: %s\nchanged-at: %s\nchanged-by: "
	    "%s\nref: %s\nrecorded-at: %s\n", c->tunnel, c->kind, when,
	    c->changed_by, c->ref, recorded);
	msg = xasprintf("Record a %s change to tunnel %s\n\n%s", c->kind,
	    c->tunnel, text);

	if ((rc = store_begin(ws->store)) != 0)
		goto out;
	rc = evrepo_add_data(ws->repo, c->record_path, text, strlen(text));
	if (rc == 0)
		rc = evrepo_commit_as(ws->repo, name, email, msg, commit);
	else
		evrepo_discard(ws->repo, c->record_path);
	if (rc == 0) {
		c->commit_id = xstrdup(commit);
		rc = store_change_insert(ws->store, c);
	}
	if (rc == 0)
		rc = store_commit(ws->store);
	else
		store_rollback(ws->store);
out:
	free(name);
	free(email);
	free(text);
	free(msg);
	return rc;
}
