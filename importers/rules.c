/*
 * The vendor rule engine: loads rule files (the format is described in
 * rules.h), compiles each regex once with PCRE2, and turns framed
 * messages into events.
 *
 * A rule set does not change once loaded.  A matcher keeps the state of
 * one file: the events that wait for a continuation line, and the
 * previous line for preceded-by.  failproof is single-threaded, so one
 * match data block per regex is enough.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <pcre2.h>

#include "paths.h"
#include "rules.h"

enum field {
	F_DIRECTION,
	F_CONN,
	F_LOCAL_ADDR,
	F_PEER_ADDR,
	F_LOCAL_ID,
	F_PEER_ID,
	F_IKE_SPI_I,
	F_IKE_SPI_R,
	F_SPI_IN,
	F_SPI_OUT,
	F_EXCHANGE,
	F_IS_RESPONSE,
	F_MSGID,
	F_NOTIFY,
	F_DETAIL,
	NFIELDS
};

static const char *const field_names[NFIELDS] = {
	"direction", "conn", "local_addr", "peer_addr", "local_id", "peer_id",
	"ike_spi_i", "ike_spi_r", "spi_in", "spi_out", "exchange",
	"is_response", "msgid", "notify", "detail",
};

#define FIELD_LIST "conn, local_addr, peer_addr, local_id, peer_id, " \
	"ike_spi_i, ike_spi_r, spi_in, spi_out, exchange, msgid, " \
	"is_response, notify, detail or direction"

/* The event kinds of model.h. */
static const char *const event_kinds[] = {
	"ike_init_sent", "ike_init_received", "ike_sa_established",
	"ike_sa_deleted", "ike_auth_failed", "proposal_mismatch",
	"cert_invalid", "duplicate_identity", "peer_config_missing",
	"retransmit", "negotiation_timeout", "ike_message",
	"child_sa_established", "child_sa_rekeyed", "child_sa_deleted",
	"dpd_sent", "dpd_timeout", "invalid_spi", "replay_check_failed",
	"nat_detected", "nat_mapping_changed", "ha_failover", "ha_sync",
	"ha_ike_sa_activated", "operator_reset", "tunnel_up", "tunnel_down",
	NULL
};

struct regex {
	pcre2_code *code;		/* NULL when the statement is absent */
	pcre2_match_data *md;
	signed char *group_field;	/* field of each group number, or -1 */
	uint32_t ngroups;
};

struct rule {
	char *kind;
	char **literals;
	size_t *literal_lens;
	size_t nliterals;
	struct regex match;
	struct regex continued;
	struct regex preceded;
	char *set[NFIELDS];
};

struct vendor {
	char *name;
	char **programs;
	size_t nprograms;
	struct regex prefix;
	struct rule *rules;
	size_t nrules;
};

struct rules {
	struct vendor *vendors;
	size_t nvendors;
};

/* An event being assembled, which owns all its strings. */
struct draft {
	const char *kind;
	const char *vendor;		/* borrowed from the rule set */
	long line;
	fp_time ts;
	char *host;
	char *message;
	char *f[NFIELDS];
};

struct pending {
	struct draft d;
	const struct vendor *vendor;
	const struct rule *rule;
};

struct rules_matcher {
	const struct rules *set;
	int (*emit)(void *ctx, const struct fp_event *ev);
	void *ctx;
	struct pending *pending;
	size_t npending;
	size_t pending_cap;
	int have_prev;
	char *prev_host;
	char *prev_text;
	int last_matched;		/* the last line fed gave an event */
};

/* Loader state for one rule file. */
struct parser {
	struct rules *set;
	const char *path;
	long line;
	int errors;
	char first_error[1024];
	struct vendor *vendor;		/* current section or NULL */
	struct rule *rule;		/* current rule or NULL */
	long rule_line;
	int rule_has_match;
};

static struct rules *cached_set;
static char **cached_dirs;

/*
 * Words that make an unmatched line worth showing: IKE, IPsec, ESP and
 * HA terms of the vendors the shipped rules know, matched without case.
 */
#define IKE_WORDS "\\b(?:IKE(?:v[12])?|IKE_SA|CHILD_SA|ISAKMP|IPsec|ESP|" \
	"SPI|DPD|NAT-T|VPN|tunnel|phase[ -]?[12]|quick mode|main mode|" \
	"aggressive mode|VRRP|failover|cluster|NSRP|HA|MASTER|BACKUP|" \
	"pluto|charon|racoon|Keepalived(?:_vrrp)?)\\b"

static pcre2_code *ike_words;
static pcre2_match_data *ike_words_md;

static int
field_lookup(const char *name)
{
	for (int i = 0; i < NFIELDS; i++)
		if (strcmp(field_names[i], name) == 0)
			return i;
	return -1;
}

static int
kind_known(const char *kind)
{
	for (size_t i = 0; event_kinds[i] != NULL; i++)
		if (strcmp(event_kinds[i], kind) == 0)
			return 1;
	return 0;
}

static void
parse_error(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
parse_error(struct parser *p, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	if (p->errors++ > 0)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->first_error, sizeof(p->first_error), "'%s' line %ld: %s",
	    p->path, p->line, msg);
}

static void
regex_free(struct regex *re)
{
	pcre2_match_data_free(re->md);
	pcre2_code_free(re->code);
	free(re->group_field);
	memset(re, 0, sizeof(*re));
}

/*
 * Compile pattern into re and map its named groups to fields.  JIT
 * compilation is tried and silently skipped where PCRE2 was built
 * without it; pcre2_match() then uses the interpreter.
 */
static int
regex_compile(struct parser *p, struct regex *re, const char *pattern)
{
	uint32_t count = 0, entry_size = 0;
	PCRE2_SPTR table = NULL;
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE offset;
	int err;

	re->code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	    PCRE2_DUPNAMES, &err, &offset, NULL);
	if (re->code == NULL) {
		pcre2_get_error_message(err, msg, sizeof(msg));
		parse_error(p, "invalid regex at offset %zu: %s",
		    (size_t)offset, (const char *)msg);
		return -1;
	}
	(void)pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE);
	re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
	if (re->md == NULL) {
		fputs("failproof: out of memory\n", stderr);
		abort();
	}

	pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &re->ngroups);
	pcre2_pattern_info(re->code, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(re->code, PCRE2_INFO_NAMEENTRYSIZE, &entry_size);
	pcre2_pattern_info(re->code, PCRE2_INFO_NAMETABLE, &table);
	re->group_field = xmalloc(re->ngroups + 1);
	memset(re->group_field, -1, re->ngroups + 1);
	for (uint32_t i = 0; i < count; i++) {
		PCRE2_SPTR entry = table + (size_t)i * entry_size;
		unsigned group = (unsigned)entry[0] << 8 | entry[1];
		const char *name = (const char *)entry + 2;
		int field = field_lookup(name);

		if (field < 0) {
			parse_error(p, "unknown capture group name '%s': "
			    "expected %s", name, FIELD_LIST);
			return -1;
		}
		re->group_field[group] = (signed char)field;
	}
	return 0;
}

/* Normalise a field value.  Returns NULL when the value cannot be used. */
static char *
field_value(int field, const char *s, size_t len)
{
	char *v;

	while (len > 0 && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	if (len == 0)
		return NULL;

	switch (field) {
	case F_DIRECTION:
		if ((len == 4 && strncasecmp(s, "sent", 4) == 0) ||
		    (len == 7 && strncasecmp(s, "sending", 7) == 0) ||
		    (len == 10 && strncasecmp(s, "generating", 10) == 0) ||
		    (len == 8 && strncasecmp(s, "outbound", 8) == 0))
			return xstrdup("sent");
		if ((len == 8 && strncasecmp(s, "received", 8) == 0) ||
		    (len == 9 && strncasecmp(s, "receiving", 9) == 0) ||
		    (len == 6 && strncasecmp(s, "parsed", 6) == 0) ||
		    (len == 7 && strncasecmp(s, "inbound", 7) == 0))
			return xstrdup("received");
		return NULL;
	case F_IS_RESPONSE:
		if ((len == 7 && memcmp(s, "request", 7) == 0) ||
		    (len == 1 && *s == '0'))
			return xstrdup("request");
		if ((len == 8 && memcmp(s, "response", 8) == 0) ||
		    (len == 1 && *s == '1'))
			return xstrdup("response");
		return NULL;
	case F_MSGID:
		for (size_t i = 0; i < len; i++)
			if (!isdigit((unsigned char)s[i]))
				return NULL;
		if (len > 10)
			return NULL;
		return xstrndup(s, len);
	case F_IKE_SPI_I:
	case F_IKE_SPI_R:
	case F_SPI_IN:
	case F_SPI_OUT:
		if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
			s += 2;
			len -= 2;
		}
		for (size_t i = 0; i < len; i++)
			if (!isxdigit((unsigned char)s[i]))
				return NULL;
		v = xstrndup(s, len);
		for (char *c = v; *c; c++)
			*c = (char)tolower((unsigned char)*c);
		return v;
	default:
		return xstrndup(s, len);
	}
}

/* Match subject against re.  Returns 1 on a match, 0 when there is none. */
static int
regex_match(const struct regex *re, const char *subject, size_t len)
{
	return pcre2_match(re->code, (PCRE2_SPTR)subject, len, 0, 0, re->md,
	    NULL) >= 0;
}

/*
 * Copy the named groups of re's last match in subject into d.  With
 * overwrite set they replace what d has, else they fill only empty fields.
 */
static void
regex_copy_groups(const struct regex *re, const char *subject,
    struct draft *d, int overwrite)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(re->md);
	uint32_t pairs = pcre2_get_ovector_count(re->md);

	for (uint32_t g = 1; g <= re->ngroups && g < pairs; g++) {
		int field = re->group_field[g];
		char *v;

		if (field < 0 || ov[2 * g] == PCRE2_UNSET)
			continue;
		if (!overwrite && d->f[field] != NULL)
			continue;
		v = field_value(field, subject + ov[2 * g],
		    ov[2 * g + 1] - ov[2 * g]);
		if (v == NULL)
			continue;
		free(d->f[field]);
		d->f[field] = v;
	}
}

static void
rule_free(struct rule *r)
{
	free(r->kind);
	for (size_t i = 0; i < r->nliterals; i++)
		free(r->literals[i]);
	free(r->literals);
	free(r->literal_lens);
	regex_free(&r->match);
	regex_free(&r->continued);
	regex_free(&r->preceded);
	for (int i = 0; i < NFIELDS; i++)
		free(r->set[i]);
}

void
rules_free(struct rules *set)
{
	if (set == NULL)
		return;
	for (size_t i = 0; i < set->nvendors; i++) {
		struct vendor *v = &set->vendors[i];

		free(v->name);
		for (size_t j = 0; j < v->nprograms; j++)
			free(v->programs[j]);
		free(v->programs);
		regex_free(&v->prefix);
		for (size_t j = 0; j < v->nrules; j++)
			rule_free(&v->rules[j]);
		free(v->rules);
	}
	free(set->vendors);
	free(set);
}

/* Check that the rule being closed is complete. */
static void
end_rule(struct parser *p)
{
	long line = p->line;

	if (p->rule != NULL && !p->rule_has_match) {
		p->line = p->rule_line;
		parse_error(p, "rule '%s' has no match line", p->rule->kind);
		p->line = line;
	}
	p->rule = NULL;
}

static void
stmt_vendor(struct parser *p, char *arg)
{
	struct rules *set = p->set;
	struct vendor *v;

	end_rule(p);
	for (const char *c = arg; *c; c++) {
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_') {
			parse_error(p, "invalid vendor name '%s': use letters, "
			    "digits, '-' and '_'", arg);
			break;
		}
	}
	set->vendors = xrealloc(set->vendors,
	    (set->nvendors + 1) * sizeof(*set->vendors));
	v = &set->vendors[set->nvendors++];
	memset(v, 0, sizeof(*v));
	v->name = xstrdup(arg);
	p->vendor = v;
}

static void
stmt_program(struct parser *p, char *arg)
{
	struct vendor *v = p->vendor;
	size_t len;

	if (v->nrules > 0) {
		parse_error(p, "'program' must come before the first rule of "
		    "vendor '%s'", v->name);
		return;
	}
	while (*arg != '\0') {
		len = strcspn(arg, " \t");
		v->programs = xrealloc(v->programs,
		    (v->nprograms + 1) * sizeof(*v->programs));
		v->programs[v->nprograms++] = xstrndup(arg, len);
		arg += len;
		arg += strspn(arg, " \t");
	}
}

static void
stmt_prefix(struct parser *p, char *arg)
{
	struct vendor *v = p->vendor;

	if (v->nrules > 0) {
		parse_error(p, "'prefix' must come before the first rule of "
		    "vendor '%s'", v->name);
		return;
	}
	if (v->prefix.code != NULL) {
		parse_error(p, "vendor '%s' has a second 'prefix' line",
		    v->name);
		return;
	}
	regex_compile(p, &v->prefix, arg);
}

static void
stmt_rule(struct parser *p, char *arg)
{
	struct vendor *v = p->vendor;
	struct rule *r;

	end_rule(p);
	if (!kind_known(arg))
		parse_error(p, "unknown event kind '%s': see the list in "
		    "model.h", arg);
	v->rules = xrealloc(v->rules, (v->nrules + 1) * sizeof(*v->rules));
	r = &v->rules[v->nrules++];
	memset(r, 0, sizeof(*r));
	r->kind = xstrdup(arg);
	p->rule = r;
	p->rule_line = p->line;
	p->rule_has_match = 0;
}

static void
stmt_set(struct parser *p, char *arg)
{
	struct rule *r = p->rule;
	char *value;
	int field;

	value = arg + strcspn(arg, " \t");
	if (*value != '\0')
		*value++ = '\0';
	value += strspn(value, " \t");
	if ((field = field_lookup(arg)) < 0) {
		parse_error(p, "unknown field '%s' in 'set': expected %s", arg,
		    FIELD_LIST);
		return;
	}
	if (*value == '\0') {
		parse_error(p, "'set %s' has no value", arg);
		return;
	}
	free(r->set[field]);
	r->set[field] = field_value(field, value, strlen(value));
	if (r->set[field] != NULL)
		return;
	switch (field) {
	case F_DIRECTION:
		parse_error(p, "invalid direction '%s': expected sent or "
		    "received", value);
		break;
	case F_IS_RESPONSE:
		parse_error(p, "invalid is_response '%s': expected request "
		    "or response", value);
		break;
	case F_MSGID:
		parse_error(p, "invalid msgid '%s': expected a whole number",
		    value);
		break;
	default:
		parse_error(p, "invalid SPI '%s': expected hexadecimal "
		    "digits", value);
		break;
	}
}

static void
stmt_regex(struct parser *p, const char *keyword, struct regex *re,
    char *arg)
{
	if (re->code != NULL) {
		parse_error(p, "rule '%s' has a second '%s' line",
		    p->rule->kind, keyword);
		return;
	}
	regex_compile(p, re, arg);
}

static void
stmt_literal(struct parser *p, char *arg)
{
	struct rule *r = p->rule;

	r->literals = xrealloc(r->literals,
	    (r->nliterals + 1) * sizeof(*r->literals));
	r->literal_lens = xrealloc(r->literal_lens,
	    (r->nliterals + 1) * sizeof(*r->literal_lens));
	r->literal_lens[r->nliterals] = strlen(arg);
	r->literals[r->nliterals++] = xstrdup(arg);
}

/* Parse one statement, modifying line in place. */
static void
parse_statement(struct parser *p, char *line)
{
	char *keyword, *arg, *end;

	keyword = line + strspn(line, " \t");
	end = keyword + strlen(keyword);
	while (end > keyword && isspace((unsigned char)end[-1]))
		*--end = '\0';
	if (*keyword == '\0' || *keyword == '#')
		return;
	arg = keyword + strcspn(keyword, " \t");
	if (*arg != '\0')
		*arg++ = '\0';
	arg += strspn(arg, " \t");

	if (strcmp(keyword, "vendor") != 0 &&
	    strcmp(keyword, "program") != 0 &&
	    strcmp(keyword, "prefix") != 0 && strcmp(keyword, "rule") != 0 &&
	    strcmp(keyword, "match") != 0 &&
	    strcmp(keyword, "literal") != 0 && strcmp(keyword, "set") != 0 &&
	    strcmp(keyword, "continued-by") != 0 &&
	    strcmp(keyword, "preceded-by") != 0) {
		parse_error(p, "unknown keyword '%s': expected vendor, "
		    "program, prefix, rule, match, literal, set, "
		    "continued-by or preceded-by", keyword);
		return;
	}
	if (*arg == '\0') {
		parse_error(p, "'%s' needs an argument", keyword);
		return;
	}

	if (strcmp(keyword, "vendor") == 0) {
		stmt_vendor(p, arg);
		return;
	}
	if (p->vendor == NULL) {
		parse_error(p, "'%s' before the first 'vendor' line of the "
		    "file", keyword);
		return;
	}
	if (strcmp(keyword, "program") == 0) {
		stmt_program(p, arg);
		return;
	}
	if (strcmp(keyword, "prefix") == 0) {
		stmt_prefix(p, arg);
		return;
	}
	if (strcmp(keyword, "rule") == 0) {
		stmt_rule(p, arg);
		return;
	}
	if (p->rule == NULL) {
		parse_error(p, "'%s' outside a rule: start one with 'rule "
		    "KIND'", keyword);
		return;
	}
	if (strcmp(keyword, "match") == 0) {
		p->rule_has_match = 1;
		stmt_regex(p, keyword, &p->rule->match, arg);
	} else if (strcmp(keyword, "continued-by") == 0) {
		stmt_regex(p, keyword, &p->rule->continued, arg);
	} else if (strcmp(keyword, "preceded-by") == 0) {
		stmt_regex(p, keyword, &p->rule->preceded, arg);
	} else if (strcmp(keyword, "literal") == 0) {
		stmt_literal(p, arg);
	} else {
		stmt_set(p, arg);
	}
}

/* Add the vendors of one file to set. */
static int
load_file_into(struct rules *set, const char *path)
{
	struct parser p = { 0 };
	char *line = NULL;
	size_t cap = 0;
	FILE *f;
	int rc = 0;

	f = fopen(path, "r");
	if (f == NULL)
		return fp_fail(FP_EIO, "cannot open rule file '%s': %s", path,
		    strerror(errno));
	p.set = set;
	p.path = path;
	while (getline(&line, &cap, f) != -1) {
		p.line++;
		line[strcspn(line, "\r\n")] = '\0';
		parse_statement(&p, line);
	}
	if (ferror(f)) {
		rc = fp_fail(FP_EIO, "cannot read rule file '%s': %s", path,
		    strerror(errno));
		goto out;
	}
	end_rule(&p);
	if (p.errors > 1)
		rc = fp_fail(FP_EINVAL, "%s (%d more errors in the file)",
		    p.first_error, p.errors - 1);
	else if (p.errors == 1)
		rc = fp_fail(FP_EINVAL, "%s", p.first_error);
out:
	free(line);
	fclose(f);
	return rc;
}

int
rules_load_file(struct rules **out, const char *path)
{
	struct rules *set = xcalloc(1, sizeof(*set));
	int rc;

	*out = NULL;
	if ((rc = load_file_into(set, path)) != 0) {
		rules_free(set);
		return rc;
	}
	*out = set;
	return 0;
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
has_rules_suffix(const char *name)
{
	size_t len = strlen(name);

	return name[0] != '.' && len > 6 &&
	    strcmp(name + len - 6, ".rules") == 0;
}

/* Add every *.rules file of dir to set, in name order. */
static int
load_dir_into(struct rules *set, const char *dir)
{
	struct dirent *de;
	char **names = NULL, *path;
	size_t n = 0;
	DIR *d;
	int rc = 0;

	d = opendir(dir);
	if (d == NULL)
		return fp_fail(FP_EIO, "cannot open rule folder '%s': %s", dir,
		    strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (!has_rules_suffix(de->d_name))
			continue;
		names = xrealloc(names, (n + 1) * sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n == 0) {
		rc = fp_fail(FP_ENOTFOUND, "rule folder '%s' has no .rules "
		    "files", dir);
		goto out;
	}
	fp_qsort(names, n, sizeof(*names), compare_names);
	for (size_t i = 0; i < n && rc == 0; i++) {
		path = xasprintf("%s/%s", dir, names[i]);
		rc = load_file_into(set, path);
		free(path);
	}
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int
rules_load_dirs(struct rules **out, const char *const *dirs)
{
	struct rules *set = xcalloc(1, sizeof(*set));
	int rc = 0;

	*out = NULL;
	for (size_t i = 0; dirs != NULL && dirs[i] != NULL && rc == 0; i++)
		rc = load_dir_into(set, dirs[i]);
	if (rc != 0) {
		rules_free(set);
		return rc;
	}
	*out = set;
	return 0;
}

static void
free_dir_list(char **dirs)
{
	for (size_t i = 0; dirs != NULL && dirs[i] != NULL; i++)
		free(dirs[i]);
	free(dirs);
}

static int
same_dir_list(char *const *a, const char *const *b)
{
	size_t i;

	for (i = 0; a[i] != NULL && b[i] != NULL; i++)
		if (strcmp(a[i], b[i]) != 0)
			return 0;
	return a[i] == NULL && b[i] == NULL;
}

int
rules_load(const struct rules **out, const char *const *extra_dirs)
{
	struct rules *set;
	char *shipped, **dirs;
	size_t n = 0;
	int rc;

	*out = NULL;
	if ((shipped = fp_data_path("rules")) == NULL)
		return FP_ENOTFOUND;
	while (extra_dirs != NULL && extra_dirs[n] != NULL)
		n++;
	dirs = xcalloc(n + 2, sizeof(*dirs));
	dirs[0] = shipped;
	for (size_t i = 0; i < n; i++)
		dirs[i + 1] = xstrdup(extra_dirs[i]);

	if (cached_set != NULL &&
	    same_dir_list(cached_dirs, (const char *const *)dirs)) {
		free_dir_list(dirs);
		*out = cached_set;
		return 0;
	}
	if ((rc = rules_load_dirs(&set, (const char *const *)dirs)) != 0) {
		free_dir_list(dirs);
		return rc;
	}
	rules_release();
	cached_set = set;
	cached_dirs = dirs;
	*out = set;
	return 0;
}

int
rules_text_mentions_ike(const char *text)
{
	PCRE2_SIZE offset;
	int err;

	if (ike_words == NULL) {
		ike_words = pcre2_compile((PCRE2_SPTR)IKE_WORDS,
		    PCRE2_ZERO_TERMINATED, PCRE2_CASELESS, &err, &offset, NULL);
		if (ike_words == NULL) {
			fputs("failproof: the IKE word list does not compile\n",
			    stderr);
			abort();
		}
		(void)pcre2_jit_compile(ike_words, PCRE2_JIT_COMPLETE);
		ike_words_md = pcre2_match_data_create_from_pattern(ike_words,
		    NULL);
		if (ike_words_md == NULL) {
			fputs("failproof: out of memory\n", stderr);
			abort();
		}
	}
	return pcre2_match(ike_words, (PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED,
	    0, 0, ike_words_md, NULL) >= 0;
}

void
rules_release(void)
{
	pcre2_match_data_free(ike_words_md);
	pcre2_code_free(ike_words);
	ike_words_md = NULL;
	ike_words = NULL;
	rules_free(cached_set);
	free_dir_list(cached_dirs);
	cached_set = NULL;
	cached_dirs = NULL;
}

struct rules_matcher *
rules_matcher_new(const struct rules *set,
    int (*emit)(void *ctx, const struct fp_event *ev), void *ctx)
{
	struct rules_matcher *m = xcalloc(1, sizeof(*m));

	m->set = set;
	m->emit = emit;
	m->ctx = ctx;
	return m;
}

static void
draft_release(struct draft *d)
{
	free(d->host);
	free(d->message);
	for (int i = 0; i < NFIELDS; i++)
		free(d->f[i]);
	memset(d, 0, sizeof(*d));
}

static long
parse_msgid(const char *s)
{
	return s == NULL ? -1 : strtol(s, NULL, 10);
}

static int
emit_draft(struct rules_matcher *m, struct draft *d)
{
	struct fp_event ev = { 0 };
	const char *resp = d->f[F_IS_RESPONSE];
	int rc;

	ev.line = d->line;
	ev.ts = d->ts;
	ev.host = d->host;
	ev.kind = d->kind;
	ev.direction = d->f[F_DIRECTION];
	ev.conn = d->f[F_CONN];
	ev.local_addr = d->f[F_LOCAL_ADDR];
	ev.peer_addr = d->f[F_PEER_ADDR];
	ev.local_id = d->f[F_LOCAL_ID];
	ev.peer_id = d->f[F_PEER_ID];
	ev.ike_spi_i = d->f[F_IKE_SPI_I];
	ev.ike_spi_r = d->f[F_IKE_SPI_R];
	ev.spi_in = d->f[F_SPI_IN];
	ev.spi_out = d->f[F_SPI_OUT];
	ev.exchange = d->f[F_EXCHANGE];
	ev.is_response = resp == NULL ? -1 : strcmp(resp, "response") == 0;
	ev.msgid = parse_msgid(d->f[F_MSGID]);
	ev.notify = d->f[F_NOTIFY];
	ev.detail = d->f[F_DETAIL];
	ev.message = d->message;
	ev.vendor = d->vendor;
	rc = m->emit(m->ctx, &ev);
	draft_release(d);
	return rc;
}

static int
flush_pending(struct rules_matcher *m)
{
	int rc = 0;

	for (size_t i = 0; i < m->npending; i++) {
		if (rc == 0)
			rc = emit_draft(m, &m->pending[i].d);
		else
			draft_release(&m->pending[i].d);
	}
	m->npending = 0;
	return rc;
}

static int
same_host(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static int
program_applies(const struct vendor *v, const char *program)
{
	if (v->nprograms == 0 || program == NULL)
		return 1;
	for (size_t i = 0; i < v->nprograms; i++)
		if (strcmp(v->programs[i], program) == 0)
			return 1;
	return 0;
}

/*
 * Return the text of a message after the vendor's prefix, or the whole
 * text when the vendor has none or the prefix does not match.  *matched
 * is set to 1 only when the prefix matched.
 */
static const char *
after_prefix(const struct vendor *v, const char *text, struct draft *d,
    int *matched)
{
	PCRE2_SIZE *ov;

	*matched = 0;
	if (v->prefix.code == NULL)
		return text;
	if (!regex_match(&v->prefix, text, strlen(text)))
		return text;
	if (d != NULL)
		regex_copy_groups(&v->prefix, text, d, 1);
	*matched = 1;
	ov = pcre2_get_ovector_pointer(v->prefix.md);
	return text + ov[1];
}

/* Offer msg to the events that wait for a continuation line. */
static int
continue_pending(struct rules_matcher *m, const struct rules_message *msg)
{
	int consumed = 0, matched;

	if (!same_host(m->pending[0].d.host, msg->host))
		return 0;
	for (size_t i = 0; i < m->npending; i++) {
		struct pending *pe = &m->pending[i];
		const char *rest;
		char *joined;

		rest = after_prefix(pe->vendor, msg->text, NULL, &matched);
		if (!regex_match(&pe->rule->continued, rest, strlen(rest)))
			continue;
		regex_copy_groups(&pe->rule->continued, rest, &pe->d, 0);
		joined = xasprintf("%s\n%s", pe->d.message, rest);
		free(pe->d.message);
		pe->d.message = joined;
		consumed = 1;
	}
	return consumed;
}

static int
literals_present(const struct rule *r, const char *text, size_t len)
{
	for (size_t i = 0; i < r->nliterals; i++)
		if (memmem(text, len, r->literals[i],
		    r->literal_lens[i]) == NULL)
			return 0;
	return 1;
}

static void
remember_line(struct rules_matcher *m, const struct rules_message *msg)
{
	free(m->prev_host);
	free(m->prev_text);
	m->prev_host = msg->host != NULL ? xstrdup(msg->host) : NULL;
	m->prev_text = xstrdup(msg->text);
	m->have_prev = 1;
}

/* Fill d from the previous line when the rule's preceded-by matches it. */
static void
apply_preceded(struct rules_matcher *m, const struct vendor *v,
    const struct rule *r, const struct rules_message *msg, struct draft *d)
{
	const char *rest;
	int matched;

	if (r->preceded.code == NULL || !m->have_prev ||
	    !same_host(m->prev_host, msg->host))
		return;
	rest = after_prefix(v, m->prev_text, NULL, &matched);
	if (v->prefix.code != NULL && !matched)
		return;
	if (regex_match(&r->preceded, rest, strlen(rest)))
		regex_copy_groups(&r->preceded, rest, d, 0);
}

static void
push_pending(struct rules_matcher *m, struct draft *d,
    const struct vendor *v, const struct rule *r)
{
	struct pending *pe;

	if (m->npending == m->pending_cap) {
		m->pending_cap = m->pending_cap ? 2 * m->pending_cap : 4;
		m->pending = xrealloc(m->pending,
		    m->pending_cap * sizeof(*m->pending));
	}
	pe = &m->pending[m->npending++];
	pe->d = *d;
	pe->vendor = v;
	pe->rule = r;
	memset(d, 0, sizeof(*d));
}

/* Run the rules of one vendor section over msg. */
static int
match_vendor(struct rules_matcher *m, const struct vendor *v,
    const struct rules_message *msg)
{
	struct draft base = { 0 };
	const char *rest;
	size_t len;
	int matched, rc = 0;

	rest = after_prefix(v, msg->text, &base, &matched);
	if (v->prefix.code != NULL && !matched)
		goto out;
	len = strlen(rest);

	for (size_t i = 0; i < v->nrules && rc == 0; i++) {
		const struct rule *r = &v->rules[i];
		struct draft d;

		if (!literals_present(r, rest, len) ||
		    !regex_match(&r->match, rest, len))
			continue;
		memset(&d, 0, sizeof(d));
		m->last_matched = 1;
		d.kind = r->kind;
		d.vendor = v->name;
		d.line = msg->line;
		d.ts = msg->ts;
		d.host = msg->host != NULL ? xstrdup(msg->host) : NULL;
		d.message = xstrdup(msg->text);
		for (int f = 0; f < NFIELDS; f++) {
			if (r->set[f] != NULL)
				d.f[f] = xstrdup(r->set[f]);
			else if (base.f[f] != NULL)
				d.f[f] = xstrdup(base.f[f]);
		}
		regex_copy_groups(&r->match, rest, &d, 1);
		apply_preceded(m, v, r, msg, &d);
		if (r->continued.code != NULL)
			push_pending(m, &d, v, r);
		else
			rc = emit_draft(m, &d);
	}
out:
	draft_release(&base);
	return rc;
}

int
rules_matcher_feed(struct rules_matcher *m, const struct rules_message *msg)
{
	int consumed = 0, rc;

	m->last_matched = 0;
	if (m->npending > 0) {
		consumed = continue_pending(m, msg);
		if ((rc = flush_pending(m)) != 0)
			return rc;
		if (consumed) {
			m->last_matched = 1;
			remember_line(m, msg);
			return 0;
		}
	}

	for (size_t i = 0; i < m->set->nvendors; i++) {
		const struct vendor *v = &m->set->vendors[i];

		if (!program_applies(v, msg->program))
			continue;
		if ((rc = match_vendor(m, v, msg)) != 0)
			return rc;
	}
	remember_line(m, msg);
	return 0;
}

int
rules_matcher_last_matched(const struct rules_matcher *m)
{
	return m->last_matched;
}

int
rules_matcher_finish(struct rules_matcher *m)
{
	return flush_pending(m);
}

void
rules_matcher_free(struct rules_matcher *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->npending; i++)
		draft_release(&m->pending[i].d);
	free(m->pending);
	free(m->prev_host);
	free(m->prev_text);
	free(m);
}
