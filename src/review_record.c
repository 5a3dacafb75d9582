/* Names of actors and the record files of the review workflow. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "change.h"
#include "review_record.h"

int
actor_name_check(const char *name, const char *option)
{
	int visible = 0;

	if (name == NULL)
		return fp_fail(FP_EINVAL, "%s is required", option);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '<' || *p == '>')
			return fp_fail(FP_EINVAL, "invalid %s: a name may not "
			    "contain control characters, '<' or '>'", option);
		if (!isspace(*p))
			visible = 1;
	}
	if (!visible)
		return fp_fail(FP_EINVAL, "invalid %s: the name is empty",
		    option);
	return 0;
}

/* The next word of a name and its length, skipping white space. */
static const char *
next_word(const char *p, size_t *len)
{
	while (*p && isspace((unsigned char)*p))
		p++;
	*len = 0;
	while (p[*len] && !isspace((unsigned char)p[*len]))
		(*len)++;
	return p;
}

int
actor_same(const char *a, const char *b)
{
	size_t la, lb;

	if (a == NULL || b == NULL)
		return 0;
	for (;;) {
		a = next_word(a, &la);
		b = next_word(b, &lb);
		if (la != lb || (la > 0 && strncasecmp(a, b, la) != 0))
			return 0;
		if (la == 0)
			return 1;
		a += la;
		b += lb;
	}
}

char *
record_next_path(struct workspace *ws, const char *dir, const char *prefix,
    long *number)
{
	char *abs = evrepo_path(ws->repo, dir);
	size_t plen = strlen(prefix);
	struct dirent *de;
	long highest = 0;
	DIR *d;

	d = opendir(abs);
	while (d != NULL && (de = readdir(d)) != NULL) {
		char *end;
		long n;

		if (strncmp(de->d_name, prefix, plen) != 0 ||
		    de->d_name[plen] != '-')
			continue;
		n = strtol(de->d_name + plen + 1, &end, 10);
		if (strncmp(end, ".", 1) == 0 && n > highest)
			highest = n;
	}
	if (d != NULL)
		closedir(d);
	free(abs);
	*number = highest + 1;
	return xasprintf("%s/%s-%ld.json", dir, prefix, highest + 1);
}

int
record_commit(struct workspace *ws, const char *rel, json_t *body,
    const char *actor, const char *message, struct store_record *out)
{
	char sha[65], commit[41], *text;
	int rc;

	memset(out, 0, sizeof(*out));
	text = json_dumps(body, JSON_INDENT(2) | JSON_SORT_KEYS);
	if (text == NULL)
		return fp_fail(FP_EIO, "cannot serialise the record '%s'", rel);
	fp_sha256_hex(text, strlen(text), sha);
	rc = evrepo_add_data(ws->repo, rel, text, strlen(text));
	free(text);
	if (rc != 0)
		return rc;
	if ((rc = evrepo_commit_as(ws->repo, actor, CHANGE_NO_EMAIL, message,
	    commit)) != 0) {
		evrepo_discard(ws->repo, rel);
		return rc;
	}
	out->path = xstrdup(rel);
	out->sha256 = xstrdup(sha);
	out->commit_id = xstrdup(commit);
	return 0;
}

json_t *
record_time_json(fp_time t)
{
	char buf[FP_TIME_STRLEN];

	if (t == FP_TIME_NONE)
		return json_null();
	fp_time_format_ms(t, buf, sizeof(buf));
	return json_string(buf);
}

int
record_export(const char *src, const char *dst)
{
	char *data = NULL, *tmp;
	size_t len = 0;
	FILE *f;
	int rc;

	if ((rc = fp_read_file(src, (size_t)1 << 30, &data, &len)) != 0)
		return rc;
	tmp = xasprintf("%s.tmp", dst);
	f = fopen(tmp, "wb");
	if (f == NULL || fwrite(data, 1, len, f) != len || fflush(f) != 0) {
		rc = fp_fail(FP_EIO, "cannot write '%s': %s", dst,
		    strerror(errno));
		if (f != NULL)
			fclose(f);
		unlink(tmp);
		goto out;
	}
	if (fclose(f) != 0 || rename(tmp, dst) != 0) {
		rc = fp_fail(FP_EIO, "cannot write '%s': %s", dst,
		    strerror(errno));
		unlink(tmp);
	}
out:
	free(tmp);
	free(data);
	return rc;
}

int
record_run_procedure(struct workspace *ws, const struct fp_run *run,
    struct procedure *out)
{
	struct store_procedure row = { 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = store_procedure_get(ws->store, run->procedure, &row)) == 0)
		rc = procedure_load_text(row.definition, "stored procedure",
		    out);
	store_procedure_release(&row);
	return rc;
}
