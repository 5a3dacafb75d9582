/* Registering tunnels. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "tunnel.h"

int
tunnel_check_name(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > TUNNEL_NAME_MAX || !isalnum((unsigned char)*name))
		goto invalid;
	for (const char *p = name; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '_' &&
		    *p != '-')
			goto invalid;
	return 0;
invalid:
	return fp_fail(FP_EINVAL, "invalid tunnel name '%s': use 1 to %d "
	    "letters, digits, '.', '_' or '-', starting with a letter or "
	    "digit", name, TUNNEL_NAME_MAX);
}

/* Whether units names at least two non-empty units. */
static int
check_units(const char *units)
{
	const char *p = units;
	size_t count = 0;

	for (;;) {
		size_t len = strcspn(p, ",");

		while (len > 0 && isspace((unsigned char)*p)) {
			p++;
			len--;
		}
		if (len == 0)
			break;
		count++;
		if (p[len] == '\0')
			break;
		p += len + 1;
	}
	if (count < 2 || strchr(units, '\n') != NULL)
		return fp_fail(FP_EINVAL, "invalid --units '%s': name the units "
		    "of the HA pair separated by a comma, such as fwa,fwb",
		    units);
	return 0;
}

static int
check_text(const char *option, const char *value)
{
	if (value == NULL || *value == '\0')
		return fp_fail(FP_EINVAL, "--%s is required", option);
	for (const unsigned char *p = (const unsigned char *)value; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return fp_fail(FP_EINVAL, "invalid --%s: it contains a "
			    "control character", option);
	return 0;
}

int
tunnel_add(struct workspace *ws, struct store_tunnel *t)
{
	char *text = NULL, *msg = NULL, commit[41], when[FP_TIME_STRLEN];
	int rc;

	if ((rc = tunnel_check_name(t->name)) != 0 ||
	    (rc = check_text("units", t->units)) != 0 ||
	    (rc = check_units(t->units)) != 0 ||
	    (rc = check_text("peer", t->peer)) != 0 ||
	    (rc = check_text("vendor", t->vendor)) != 0 ||
	    (t->added_by != NULL && (rc = check_text("by", t->added_by)) != 0))
		return rc;
	if (t->ike_version != 1 && t->ike_version != 2)
		return fp_fail(FP_EINVAL, "invalid IKE version %d: use 1 or 2",
		    t->ike_version);
	if ((rc = store_tunnel_exists(ws->store, t->name)) != 0)
		return rc < 0 ? rc : fp_fail(FP_EINVAL, "tunnel '%s' is "
		    "registered already: 'failproof tunnel list' shows it",
		    t->name);

	t->added_at = fp_now();
	fp_time_format(t->added_at, when, sizeof(when));
	t->record_path = xasprintf("tunnels/%s.txt", t->name);
	text = xasprintf("tunnel: %s\nunits: %s\npeer: %s\nvendor: %s\n"
	    "ike-version: %d\nadded-by: %s\nadded-at: %s\n", t->name,
	    t->units, t->peer, t->vendor, t->ike_version,
	    t->added_by ? t->added_by : "-", when);
	msg = xasprintf("Register tunnel %s\n\n%s", t->name, text);
	if ((rc = store_begin(ws->store)) != 0)
		goto out;
	rc = evrepo_add_data(ws->repo, t->record_path, text, strlen(text));
	if (rc == 0)
		rc = evrepo_commit(ws->repo, msg, commit);
	else
		evrepo_discard(ws->repo, t->record_path);
	if (rc == 0) {
		t->commit_id = xstrdup(commit);
		rc = store_tunnel_insert(ws->store, t);
	}
	if (rc == 0)
		rc = store_commit(ws->store);
	else
		store_rollback(ws->store);
out:
	free(text);
	free(msg);
	return rc;
}
