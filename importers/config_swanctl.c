/*
 * The configuration importer: strongSwan swanctl.conf, the settings a
 * gateway negotiates with.  Each connection becomes one event of kind
 * "config" (scope=ike) and each of its children one more (scope=child),
 * with the settings as "key=value" pairs in detail, exactly as written:
 * the evaluation applies strongSwan's defaults for what is missing, so
 * the report can say which timers rely on them.
 *
 * The file is streamed line by line.  The grammar read is the one
 * swanctl.conf files use: "name {" opens a section, "}" closes it,
 * "key = value" sets a value, "#" starts a comment.  Values keep their
 * text without quotes; white space inside a value (lists such as
 * "aes256-sha256, aes128-sha256") is removed.  "include" lines are not
 * followed: the import is then marked partial.
 *
 * A configuration states no time.  Its events take the run's reference
 * time (the failover instant, else when the run was recorded), which
 * places them before anything that follows the failover.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importer.h"

#define SWANCTL_MAX_LINE 4096
#define SWANCTL_MAX_DEPTH 16
#define SWANCTL_MAX_NAME 128

struct section {
	char name[SWANCTL_MAX_NAME];
	long line;
};

/* A connection or a child being read, emitted when its section closes. */
struct entry {
	int open;
	long line;
	char name[SWANCTL_MAX_NAME];
	struct fp_buf detail;
	char *local_addrs;
	char *remote_addrs;
	char *local_id;
	char *remote_id;
};

struct swanctl_import {
	const struct fp_import_opts *opts;
	struct fp_sink *sink;
	struct section stack[SWANCTL_MAX_DEPTH];
	int depth;
	struct entry conn;
	struct entry child;
	long connections;
	long first_bad;
	long bad;
	int partial;
};

static void
entry_reset(struct entry *e)
{
	fp_buf_free(&e->detail);
	free(e->local_addrs);
	free(e->remote_addrs);
	free(e->local_id);
	free(e->remote_id);
	memset(e, 0, sizeof(*e));
}

static void
bad_line(struct swanctl_import *imp, long line, const char *msg)
{
	imp->sink->warn(imp->sink->ctx, line, msg);
	if (imp->first_bad == 0)
		imp->first_bad = line;
	imp->bad++;
}

/* Copy a value without the quotes around it. */
static char *
unquote(const char *s)
{
	size_t len = strlen(s);

	if (len >= 2 && s[0] == '"' && s[len - 1] == '"')
		return xstrndup(s + 1, len - 2);
	return xstrdup(s);
}

/* Copy a value without quotes and without white space. */
static char *
clean_value(const char *s)
{
	size_t len = strlen(s);
	char *out = xmalloc(len + 1), *o = out;

	if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
		s++;
		len -= 2;
	}
	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)s[i]))
			*o++ = s[i];
	*o = '\0';
	return out;
}

static int
in_section(const struct swanctl_import *imp, int depth, const char *name)
{
	return imp->depth > depth &&
	    strcmp(imp->stack[depth].name, name) == 0;
}

/* Which part of a connection the current section is. */
static int
in_connection(const struct swanctl_import *imp)
{
	return imp->depth >= 2 && in_section(imp, 0, "connections");
}

static int
emit(struct swanctl_import *imp, const struct entry *e, const char *conn,
    const char *scope)
{
	struct fp_event ev = { 0 };
	char *detail, *message;
	int rc;

	ev.line = e->line;
	ev.ts = imp->opts->reference;
	ev.host = imp->opts->host;
	ev.kind = "config";
	ev.conn = conn;
	ev.local_addr = imp->conn.local_addrs;
	ev.peer_addr = imp->conn.remote_addrs;
	ev.local_id = imp->conn.local_id;
	ev.peer_id = imp->conn.remote_id;
	ev.is_response = -1;
	ev.msgid = -1;
	if (strcmp(scope, "child") == 0) {
		detail = xasprintf("scope=child child=%s%s%s", e->name,
		    e->detail.len ? " " : "", e->detail.len ? e->detail.data :
		    "");
		message = xasprintf("swanctl.conf child %s of connection %s",
		    e->name, conn);
	} else {
		detail = xasprintf("scope=ike%s%s", e->detail.len ? " " : "",
		    e->detail.len ? e->detail.data : "");
		message = xasprintf("swanctl.conf connection %s", conn);
	}
	ev.detail = detail;
	ev.message = message;
	rc = imp->sink->event(imp->sink->ctx, &ev);
	free(detail);
	free(message);
	return rc;
}

static void
set_value(struct swanctl_import *imp, long line, const char *key,
    const char *value)
{
	struct entry *e;
	char *v, **id;

	if (!in_connection(imp))
		return;
	v = clean_value(value);
	if (imp->depth == 2) {
		e = &imp->conn;
		if (strcmp(key, "local_addrs") == 0 && e->local_addrs == NULL)
			e->local_addrs = xstrdup(v);
		else if (strcmp(key, "remote_addrs") == 0 &&
		    e->remote_addrs == NULL)
			e->remote_addrs = xstrdup(v);
	} else if (imp->depth == 3 && strcmp(key, "id") == 0) {
		/* An identity keeps its spaces: "CN=gw, O=Example". */
		id = strncmp(imp->stack[2].name, "local", 5) == 0 ?
		    &imp->conn.local_id :
		    strncmp(imp->stack[2].name, "remote", 6) == 0 ?
		    &imp->conn.remote_id : NULL;
		if (id != NULL && *id == NULL)
			*id = unquote(value);
		free(v);
		return;
	} else if (imp->depth == 4 && in_section(imp, 2, "children")) {
		e = &imp->child;
	} else {
		free(v);
		return;
	}
	if (v[0] == '\0' || strchr(key, '=') != NULL) {
		bad_line(imp, line, "a setting without a value");
		free(v);
		return;
	}
	fp_buf_printf(&e->detail, "%s%s=%s", e->detail.len ? " " : "", key,
	    v);
	free(v);
}

static int
open_section(struct swanctl_import *imp, long line, const char *name)
{
	if (imp->depth == SWANCTL_MAX_DEPTH) {
		bad_line(imp, line, "sections nested too deeply");
		return 0;
	}
	snprintf(imp->stack[imp->depth].name, SWANCTL_MAX_NAME, "%s", name);
	imp->stack[imp->depth].line = line;
	imp->depth++;
	if (imp->depth == 2 && in_section(imp, 0, "connections")) {
		entry_reset(&imp->conn);
		imp->conn.open = 1;
		imp->conn.line = line;
		snprintf(imp->conn.name, SWANCTL_MAX_NAME, "%s", name);
	} else if (imp->depth == 4 && in_connection(imp) &&
	    in_section(imp, 2, "children")) {
		entry_reset(&imp->child);
		imp->child.open = 1;
		imp->child.line = line;
		snprintf(imp->child.name, SWANCTL_MAX_NAME, "%s", name);
	}
	return 0;
}

static int
close_section(struct swanctl_import *imp, long line)
{
	int rc = 0;

	if (imp->depth == 0) {
		bad_line(imp, line, "'}' closes no section");
		return 0;
	}
	if (imp->depth == 4 && imp->child.open) {
		rc = emit(imp, &imp->child, imp->conn.name, "child");
		entry_reset(&imp->child);
	} else if (imp->depth == 2 && imp->conn.open) {
		rc = emit(imp, &imp->conn, imp->conn.name, "ike");
		entry_reset(&imp->conn);
		imp->connections++;
	}
	imp->depth--;
	return rc;
}

static char *
trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static int
valid_name(const char *s)
{
	if (*s == '\0' || strlen(s) >= SWANCTL_MAX_NAME)
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_' &&
		    *s != '.')
			return 0;
	return 1;
}

static int
read_line(struct swanctl_import *imp, long line, char *text)
{
	char *s, *eq, *hash;
	size_t len;

	hash = strchr(text, '#');
	if (hash != NULL)
		*hash = '\0';
	s = trim(text);
	if (*s == '\0')
		return 0;
	if (strcmp(s, "}") == 0)
		return close_section(imp, line);
	if (strncmp(s, "include", 7) == 0 && isspace((unsigned char)s[7])) {
		imp->sink->warn(imp->sink->ctx, line, "include is not "
		    "followed: import the included file as well");
		imp->partial = 1;
		return 0;
	}
	eq = strchr(s, '=');
	len = strlen(s);
	if (eq == NULL && len > 1 && s[len - 1] == '{') {
		s[len - 1] = '\0';
		s = trim(s);
		if (!valid_name(s)) {
			bad_line(imp, line, "invalid section name");
			return open_section(imp, line, "?");
		}
		return open_section(imp, line, s);
	}
	if (eq == NULL) {
		bad_line(imp, line, "neither 'name {', '}' nor 'key = value'");
		return 0;
	}
	*eq = '\0';
	s = trim(s);
	if (!valid_name(s)) {
		bad_line(imp, line, "invalid setting name");
		return 0;
	}
	set_value(imp, line, s, trim(eq + 1));
	return 0;
}

static int
swanctl_run(const char *path, const struct fp_import_opts *opts,
    struct fp_sink *sink)
{
	struct swanctl_import imp = { 0 };
	char buf[SWANCTL_MAX_LINE + 2];
	const char *name = opts->display_name ? opts->display_name : path;
	long line = 0;
	FILE *f;
	int rc = 0;

	if (opts->reference == 0 || opts->reference == FP_TIME_NONE)
		return fp_fail(FP_EINVAL, "'%s': a configuration file states no "
		    "time: import it into a run, whose time it takes", name);
	f = fopen(path, "r");
	if (f == NULL)
		return fp_fail(FP_EIO, "cannot open '%s': %s", name,
		    strerror(errno));
	imp.opts = opts;
	imp.sink = sink;
	while (rc == 0 && fgets(buf, sizeof(buf), f) != NULL) {
		line++;
		if (strchr(buf, '\n') == NULL && !feof(f)) {
			int c;

			bad_line(&imp, line, "line longer than 4096 bytes");
			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			continue;
		}
		rc = read_line(&imp, line, buf);
	}
	if (rc == 0 && ferror(f))
		rc = fp_fail(FP_EIO, "cannot read '%s': %s", name,
		    strerror(errno));
	fclose(f);
	if (rc == 0 && imp.depth > 0)
		bad_line(&imp, imp.stack[imp.depth - 1].line, "section not "
		    "closed before the end of the file");
	if (rc == 0 && imp.bad > 0)
		rc = fp_fail(FP_EINVAL, "'%s' line %ld: invalid swanctl.conf "
		    "syntax (%ld bad lines): fix the file or import the "
		    "configuration 'swanctl --list-conns' was loaded from",
		    name, imp.first_bad, imp.bad);
	if (rc == 0 && imp.connections == 0)
		rc = fp_fail(FP_EINVAL, "'%s' has no connection in a "
		    "'connections' section: it is not a swanctl.conf with "
		    "tunnels", name);
	if (rc == 0 && imp.partial)
		sink->partial(sink->ctx, "include lines were not followed");
	entry_reset(&imp.conn);
	entry_reset(&imp.child);
	return rc;
}

/* A line "connections {" near the start of a text file. */
static int
swanctl_detect(const unsigned char *head, size_t len)
{
	const char *p = (const char *)head, *end = p + len;

	if (memchr(head, '\0', len) != NULL)
		return 0;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *stop = eol ? eol : end;

		while (p < stop && (*p == ' ' || *p == '\t'))
			p++;
		if (stop - p >= 11 && memcmp(p, "connections", 11) == 0) {
			p += 11;
			while (p < stop && (*p == ' ' || *p == '\t'))
				p++;
			if (p < stop && *p == '{')
				return 80;
		}
		p = eol ? eol + 1 : end;
	}
	return 0;
}

const struct fp_importer fp_importer_config = {
	"config",
	"strongSwan swanctl.conf: IKE and CHILD SA lifetimes, DPD, proposals",
	swanctl_detect,
	swanctl_run,
};
