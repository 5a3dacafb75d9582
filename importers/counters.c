/*
 * The counters importer: snapshots of SA and error counters read from a
 * device, one fp_counter per value.
 *
 *   swanctl --list-sas        bytes and packets of each CHILD SA, in and
 *                             out, with its SPIs, addresses and traffic
 *                             selectors
 *   ip -s xfrm state          bytes and packets of each kernel SA, and
 *                             its replay and integrity errors
 *   /proc/net/xfrm_stat       the kernel's IPsec error counters
 *   show crypto ipsec sa      Cisco IOS and ASA: packets encapsulated
 *                             and decapsulated per SA pair, and errors
 *
 * A file may hold several of these, and several hosts: the failproof lab
 * writes "===== HOST (ISO 8601 time) =====" before each host's snapshot
 * and "--- COMMAND" before each command's output.  A Cisco prompt
 * ("router#show crypto ipsec sa") names the host, and a line holding
 * only an ISO 8601 time (the output of date -Is) gives the time.  Without
 * a time in the file, the import's --at is the snapshot's time; without
 * either, the import fails.  The host is the file's, else --host.
 *
 * The direction of an ip xfrm state SA is known when the same snapshot
 * lists the host's addresses (ip addr or ip -br addr): an SA to one of
 * them is inbound.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importer.h"

#define COUNTERS_MAX_LINE	8192
#define MAX_OWN			32
#define TS_TEXT			256

enum section {
	SEC_NONE = 0,		/* no marker: recognise each line */
	SEC_SWANCTL,
	SEC_XFRM,
	SEC_XFRM_STAT,
	SEC_ADDR,
	SEC_CISCO,
	SEC_OTHER,		/* a command this importer does not read */
};

/* A swanctl CHILD SA while its lines are read. */
struct child_sa {
	int open;
	char conn[128];
	char local_addr[46];
	char remote_addr[46];
	fp_time installed;
	int have[2];		/* in, out */
	char spi[2][9];
	int64_t bytes[2];
	int64_t packets[2];
	long line[2];
	char local_ts[TS_TEXT];
	char remote_ts[TS_TEXT];
};

/* An ip xfrm state entry while its lines are read. */
struct xfrm_state {
	int open;
	int esp;
	char src[46];
	char dst[46];
	char spi[9];
	char sel_src[64];
	char sel_dst[64];
	int want_current;	/* the next line has bytes and packets */
	int want_stats;
	int64_t bytes;
	int64_t packets;
	long line;
	int have_stats;
	int64_t replay;
	int64_t failed;
	long stats_line;
};

/* A Cisco SA pair (one crypto map entry and proxy pair). */
struct cisco_sa {
	int open;
	char map[128];
	char local_addr[46];
	char remote_addr[46];
	char local_ts[96];
	char remote_ts[96];
	char in_spi[9];
	char out_spi[9];
	int in_section;		/* 1 inbound esp sas, 2 outbound, 0 other */
	int64_t encaps;
	int64_t decaps;
	long encaps_line;
	long decaps_line;
	int64_t replay;		/* -1 when not shown */
	long replay_line;
	int64_t invalid_sa;
	long invalid_line;
	int64_t recv_errors;
	long recv_line;
};

struct counters_import {
	const struct fp_import_opts *opts;
	struct fp_sink *sink;
	const char *name;
	long line;
	enum section section;
	char host[128];
	fp_time ts;
	long emitted;
	long bad;
	long first_bad;
	char first_error[256];
	size_t n_own;
	char own[MAX_OWN][46];
	char ike_conn[64];		/* the swanctl IKE SA being read */
	char ike_local[46];
	char ike_remote[46];
	struct child_sa child;
	struct xfrm_state xs;
	struct cisco_sa cs;
};

static int detect(const unsigned char *, size_t);
static int run(const char *, const struct fp_import_opts *, struct fp_sink *);

const struct fp_importer fp_importer_counters = {
	"counters", "SA and error counters: swanctl --list-sas, ip -s xfrm "
	"state, /proc/net/xfrm_stat, show crypto ipsec sa", detect, run
};

static int
has(const unsigned char *head, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(head + i, needle, n) == 0)
			return 1;
	return 0;
}

static int
detect(const unsigned char *head, size_t len)
{
	if (has(head, len, "--- swanctl --list-sas") ||
	    has(head, len, "#pkts encaps:") ||
	    has(head, len, "XfrmInNoStates") ||
	    (has(head, len, "lifetime current:") &&
	    has(head, len, "proto esp spi 0x")))
		return 90;
	if (has(head, len, ", IKEv2, ") && has(head, len, " bytes, ") &&
	    has(head, len, " packets"))
		return 80;
	return 0;
}

static void
warn(struct counters_import *ci, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
warn(struct counters_import *ci, long line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ci->sink->warn != NULL)
		ci->sink->warn(ci->sink->ctx, line, msg);
}

static void
bad_line(struct counters_import *ci, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
bad_line(struct counters_import *ci, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ci->bad++ == 0) {
		ci->first_bad = ci->line;
		snprintf(ci->first_error, sizeof(ci->first_error), "%s", msg);
	}
	warn(ci, ci->line, "%s", msg);
}

static const char *
skip_space(const char *p)
{
	while (*p != '\0' && isspace((unsigned char)*p))
		p++;
	return p;
}

static size_t
indent_of(const char *line)
{
	return (size_t)(skip_space(line) - line);
}

static int
starts(const char *p, const char *prefix)
{
	return strncmp(p, prefix, strlen(prefix)) == 0;
}

/* Copy the word at p (up to a space or one of stop) into dst. */
static const char *
copy_word(char *dst, size_t size, const char *p, const char *stop)
{
	size_t n = 0;

	while (p[n] != '\0' && !isspace((unsigned char)p[n]) &&
	    strchr(stop, p[n]) == NULL)
		n++;
	snprintf(dst, size, "%.*s", (int)n, p);
	return p + n;
}

/* Normalise an SPI ("0x20C196D", "DC15BF68", "c1aa2f1d") to 8 digits. */
static int
normal_spi(char out[9], const char *text)
{
	unsigned long long v;
	char *end;

	if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
		text += 2;
	if (!isxdigit((unsigned char)*text))
		return -1;
	errno = 0;
	v = strtoull(text, &end, 16);
	if (errno != 0 || v > 0xffffffffULL || end - text > 8)
		return -1;
	snprintf(out, 9, "%08llx", v);
	return 0;
}

static int
parse_count(const char *p, int64_t *out)
{
	char *end;
	long long v;

	if (!isdigit((unsigned char)*p))
		return -1;
	errno = 0;
	v = strtoll(p, &end, 10);
	if (errno != 0)
		return -1;
	*out = v;
	return 0;
}

/* The number after "label" in line, or -1 when the label is absent. */
static int
count_after(const char *line, const char *label, int64_t *out)
{
	const char *p = strstr(line, label);

	if (p == NULL)
		return -1;
	p = skip_space(p + strlen(label));
	if (*p == ':')
		p = skip_space(p + 1);
	return parse_count(p, out);
}

static int
emit(struct counters_import *ci, struct fp_counter *c)
{
	if (ci->ts == FP_TIME_NONE)
		return fp_fail(FP_EINVAL, "'%s' line %ld: the file gives no "
		    "time for this snapshot: pass the time it was taken with "
		    "--at ISO8601", ci->name, c->line);
	c->ts = ci->ts;
	c->host = ci->host[0] != '\0' ? ci->host : ci->opts->host;
	ci->emitted++;
	if (ci->sink->counter == NULL)
		return 0;
	return ci->sink->counter(ci->sink->ctx, c);
}

static void
counter_init(struct fp_counter *c, const char *tool, const char *name,
    long line)
{
	memset(c, 0, sizeof(*c));
	c->tool = tool;
	c->name = name;
	c->line = line;
	c->installed = FP_TIME_NONE;
	c->packets = c->bytes = c->value = -1;
}

static int
text_or_null(const char *s)
{
	return s[0] != '\0';
}

/* Emit the in and out counters of the swanctl CHILD SA being read. */
static int
flush_child(struct counters_import *ci)
{
	struct child_sa *ch = &ci->child;
	int rc = 0;

	for (int d = 0; d < 2 && ch->open && rc == 0; d++) {
		struct fp_counter c;
		int in = d == 0;

		if (!ch->have[d])
			continue;
		counter_init(&c, "swanctl", "sa", ch->line[d]);
		c.conn = ch->conn;
		c.spi = ch->spi[d];
		c.direction = in ? "in" : "out";
		if (text_or_null(ch->local_addr) &&
		    text_or_null(ch->remote_addr)) {
			c.src = in ? ch->remote_addr : ch->local_addr;
			c.dst = in ? ch->local_addr : ch->remote_addr;
		}
		c.local_ts = text_or_null(ch->local_ts) ? ch->local_ts : NULL;
		c.remote_ts = text_or_null(ch->remote_ts) ? ch->remote_ts :
		    NULL;
		c.installed = ch->installed;
		c.packets = ch->packets[d];
		c.bytes = ch->bytes[d];
		rc = emit(ci, &c);
	}
	ch->open = 0;
	return rc;
}

/* "  local  'peer.example.net' @ 198.51.100.1[4500]" */
static void
ike_address(char *dst, size_t size, const char *p)
{
	const char *at = strstr(p, " @ ");

	if (at != NULL)
		copy_word(dst, size, at + 3, "[");
}

/* "    in  3dbcca57 (-|0x00000064),   5882 bytes,    71 packets, 7s ago" */
static int
child_counter(struct counters_import *ci, const char *p, int d)
{
	struct child_sa *ch = &ci->child;
	char spi[16];
	const char *q;

	q = skip_space(copy_word(spi, sizeof(spi), skip_space(p), ","));
	while (*q == '(') {
		const char *close = strchr(q, ')');

		if (close == NULL)
			break;
		q = skip_space(close + 1);
	}
	if (normal_spi(ch->spi[d], spi) != 0 || *q != ',' ||
	    parse_count(skip_space(q + 1), &ch->bytes[d]) != 0 ||
	    count_after(q, "bytes,", &ch->packets[d]) != 0) {
		bad_line(ci, "invalid SA counter line: expected \"in|out SPI, "
		    "N bytes, N packets\"");
		return 0;
	}
	ch->have[d] = 1;
	ch->line[d] = ci->line;
	return 0;
}

/* A line of swanctl --list-sas output; returns 1 when it was one. */
static int
swanctl_line(struct counters_import *ci, const char *line, int *rc)
{
	struct child_sa *ch = &ci->child;
	size_t indent = indent_of(line);
	const char *p = line + indent;

	if (indent == 0 && strstr(p, ": #") != NULL &&
	    strstr(p, ", IKEv") != NULL) {
		/* A new IKE SA. */
		*rc = flush_child(ci);
		copy_word(ci->ike_conn, sizeof(ci->ike_conn), p, ":");
		ci->ike_local[0] = ci->ike_remote[0] = '\0';
		return 1;
	}
	if (indent == 2 && starts(p, "local ") && strstr(p, " @ ")) {
		ike_address(ci->ike_local, sizeof(ci->ike_local), p);
		return 1;
	}
	if (indent == 2 && starts(p, "remote ") && strstr(p, " @ ")) {
		ike_address(ci->ike_remote, sizeof(ci->ike_remote), p);
		return 1;
	}
	if (indent == 2 && strstr(p, ": #") != NULL &&
	    strstr(p, ", reqid ") != NULL) {
		char child[64];

		*rc = flush_child(ci);
		memset(ch, 0, sizeof(*ch));
		ch->open = 1;
		ch->installed = FP_TIME_NONE;
		copy_word(child, sizeof(child), p, ":");
		snprintf(ch->conn, sizeof(ch->conn), "%s/%s", ci->ike_conn,
		    child);
		snprintf(ch->local_addr, sizeof(ch->local_addr), "%s",
		    ci->ike_local);
		snprintf(ch->remote_addr, sizeof(ch->remote_addr), "%s",
		    ci->ike_remote);
		return 1;
	}
	if (!ch->open || indent < 4)
		return 0;
	if (starts(p, "installed ")) {
		int64_t ago;

		/* An SA older than a century is a corrupt line. */
		if (parse_count(p + 10, &ago) == 0 && ago < INT64_C(3) << 30 &&
		    ci->ts != FP_TIME_NONE)
			ch->installed = ci->ts - ago * 1000000;
		return 1;
	}
	if (starts(p, "in ") || starts(p, "out ")) {
		*rc = child_counter(ci, p + (p[0] == 'i' ? 2 : 3),
		    p[0] == 'i' ? 0 : 1);
		return 1;
	}
	if (starts(p, "local ") || starts(p, "remote ")) {
		int local = p[0] == 'l';

		snprintf(local ? ch->local_ts : ch->remote_ts, TS_TEXT, "%s",
		    skip_space(p + (local ? 6 : 7)));
		return 1;
	}
	return 1;	/* another line of the CHILD SA */
}

static int
flush_xfrm(struct counters_import *ci)
{
	struct xfrm_state *xs = &ci->xs;
	const char *dir = NULL;
	struct fp_counter c;
	int rc = 0;

	if (!xs->open || !xs->esp) {
		xs->open = 0;
		return 0;
	}
	for (size_t i = 0; i < ci->n_own; i++) {
		if (strcmp(ci->own[i], xs->dst) == 0)
			dir = "in";
		else if (strcmp(ci->own[i], xs->src) == 0)
			dir = "out";
	}
	if (xs->packets >= 0) {
		counter_init(&c, "xfrm", "sa", xs->line);
		c.spi = xs->spi;
		c.direction = dir;
		c.src = xs->src;
		c.dst = xs->dst;
		/* The selectors are the SA's source and destination. */
		if (dir != NULL && text_or_null(xs->sel_src)) {
			int in = strcmp(dir, "in") == 0;

			c.local_ts = in ? xs->sel_dst : xs->sel_src;
			c.remote_ts = in ? xs->sel_src : xs->sel_dst;
		}
		c.packets = xs->packets;
		c.bytes = xs->bytes;
		rc = emit(ci, &c);
	}
	if (rc == 0 && xs->have_stats) {
		counter_init(&c, "xfrm", "replay", xs->stats_line);
		c.spi = xs->spi;
		c.direction = dir;
		c.src = xs->src;
		c.dst = xs->dst;
		c.value = xs->replay;
		rc = emit(ci, &c);
		if (rc == 0) {
			c.name = "integrity-failed";
			c.value = xs->failed;
			rc = emit(ci, &c);
		}
	}
	xs->open = 0;
	return rc;
}

/* A line of ip -s xfrm state; returns 1 when it was one. */
static int
xfrm_line(struct counters_import *ci, const char *line, int *rc)
{
	struct xfrm_state *xs = &ci->xs;
	const char *p = skip_space(line);
	int64_t window, replay, failed;
	char spi[16];

	if (starts(line, "src ") && strstr(line, " dst ") != NULL) {
		*rc = flush_xfrm(ci);
		memset(xs, 0, sizeof(*xs));
		xs->open = 1;
		xs->packets = xs->bytes = -1;
		copy_word(xs->src, sizeof(xs->src), line + 4, "");
		copy_word(xs->dst, sizeof(xs->dst), strstr(line, " dst ") + 5,
		    "");
		return 1;
	}
	if (!xs->open || (line[0] != ' ' && line[0] != '\t'))
		return 0;
	if (starts(p, "proto ")) {
		const char *s = strstr(p, " spi ");

		xs->esp = starts(p, "proto esp ");
		if (s != NULL)
			copy_word(spi, sizeof(spi), s + 5, "(");
		if (xs->esp && (s == NULL || normal_spi(xs->spi, spi) != 0)) {
			bad_line(ci, "invalid xfrm state line: expected "
			    "\"proto esp spi 0xSPI\"");
			xs->esp = 0;
		}
	} else if (starts(p, "sel src ")) {
		copy_word(xs->sel_src, sizeof(xs->sel_src), p + 8, "");
		if (strstr(p, " dst ") != NULL)
			copy_word(xs->sel_dst, sizeof(xs->sel_dst),
			    strstr(p, " dst ") + 5, "");
	} else if (starts(p, "lifetime current:")) {
		xs->want_current = 1;
	} else if (xs->want_current && strstr(p, "(bytes),") != NULL) {
		xs->want_current = 0;
		if (parse_count(p, &xs->bytes) != 0 ||
		    parse_count(skip_space(strstr(p, "(bytes),") + 8),
		    &xs->packets) != 0)
			bad_line(ci, "invalid lifetime line: expected \"N(bytes), "
			    "N(packets)\"");
		xs->line = ci->line;
	} else if (starts(p, "stats:")) {
		xs->want_stats = 1;
	} else if (xs->want_stats && starts(p, "replay-window ")) {
		xs->want_stats = 0;
		if (count_after(p, "replay-window", &window) != 0 ||
		    count_after(p, " replay ", &replay) != 0 ||
		    count_after(p, " failed ", &failed) != 0) {
			bad_line(ci, "invalid stats line: expected "
			    "\"replay-window N replay N failed N\"");
			return 1;
		}
		/* Both are anti-replay drops: outside the window, or seen. */
		xs->replay = window > INT64_MAX - replay ? INT64_MAX :
		    window + replay;
		xs->failed = failed;
		xs->have_stats = 1;
		xs->stats_line = ci->line;
	}
	return 1;
}

/* "XfrmInNoStates          	0" */
static int
xfrm_stat_line(struct counters_import *ci, const char *line, int *rc)
{
	struct fp_counter c;
	char name[64];
	const char *p;
	int64_t v;

	if (!starts(line, "Xfrm"))
		return 0;
	p = skip_space(copy_word(name, sizeof(name), line, ""));
	if (parse_count(p, &v) != 0) {
		bad_line(ci, "invalid xfrm_stat line: expected \"NAME N\"");
		return 1;
	}
	counter_init(&c, "xfrm_stat", name, ci->line);
	c.value = v;
	*rc = emit(ci, &c);
	return 1;
}

/* "eth0@if4         UP             198.51.100.1/24 2001:db8::1/64" or
 * "    inet 198.51.100.1/24 brd ..." */
static int
address_line(struct counters_import *ci, const char *line)
{
	const char *p = skip_space(line);
	char word[64];

	if (starts(p, "inet ") || starts(p, "inet6 ")) {
		copy_word(word, sizeof(word), skip_space(strchr(p, ' ')), "/");
		if (ci->n_own < MAX_OWN)
			snprintf(ci->own[ci->n_own++], 46, "%.45s", word);
		return 1;
	}
	/* Brief form: name, state, then addresses with prefixes. */
	p = skip_space(copy_word(word, sizeof(word), p, ""));
	p = skip_space(copy_word(word, sizeof(word), p, ""));
	while (*p != '\0') {
		p = skip_space(copy_word(word, sizeof(word), p, ""));
		if (strchr(word, '/') != NULL && ci->n_own < MAX_OWN) {
			*strchr(word, '/') = '\0';
			snprintf(ci->own[ci->n_own++], 46, "%.45s", word);
		}
	}
	return 1;
}

static int
cisco_emit(struct counters_import *ci, const char *name, const char *spi,
    const char *dir, int64_t v, long line, int traffic)
{
	struct cisco_sa *cs = &ci->cs;
	struct fp_counter c;
	int in = strcmp(dir, "in") == 0;

	counter_init(&c, "cisco", name, line);
	c.conn = text_or_null(cs->map) ? cs->map : NULL;
	c.spi = text_or_null(spi) ? spi : NULL;
	c.direction = dir;
	if (text_or_null(cs->local_addr) && text_or_null(cs->remote_addr)) {
		c.src = in ? cs->remote_addr : cs->local_addr;
		c.dst = in ? cs->local_addr : cs->remote_addr;
	}
	c.local_ts = text_or_null(cs->local_ts) ? cs->local_ts : NULL;
	c.remote_ts = text_or_null(cs->remote_ts) ? cs->remote_ts : NULL;
	if (traffic)
		c.packets = v;
	else
		c.value = v;
	return emit(ci, &c);
}

static int
flush_cisco(struct counters_import *ci)
{
	struct cisco_sa *cs = &ci->cs;
	int rc = 0;

	if (!cs->open)
		return 0;
	if (cs->decaps >= 0)
		rc = cisco_emit(ci, "sa", cs->in_spi, "in", cs->decaps,
		    cs->decaps_line, 1);
	if (rc == 0 && cs->encaps >= 0)
		rc = cisco_emit(ci, "sa", cs->out_spi, "out", cs->encaps,
		    cs->encaps_line, 1);
	if (rc == 0 && cs->replay >= 0)
		rc = cisco_emit(ci, "replay-failed", cs->in_spi, "in",
		    cs->replay, cs->replay_line, 0);
	if (rc == 0 && cs->invalid_sa >= 0)
		rc = cisco_emit(ci, "invalid-sa", cs->in_spi, "in",
		    cs->invalid_sa, cs->invalid_line, 0);
	if (rc == 0 && cs->recv_errors >= 0)
		rc = cisco_emit(ci, "recv-errors", cs->in_spi, "in",
		    cs->recv_errors, cs->recv_line, 0);
	/* The map and local address stay for the next proxy pair. */
	cs->open = 0;
	cs->encaps = cs->decaps = cs->replay = cs->invalid_sa = -1;
	cs->recv_errors = -1;
	cs->in_spi[0] = cs->out_spi[0] = '\0';
	cs->local_ts[0] = cs->remote_ts[0] = cs->remote_addr[0] = '\0';
	cs->in_section = 0;
	return rc;
}

/* "(192.168.10.0/255.255.255.0/0/0)" as "192.168.10.0/24". */
static void
cisco_ident(char *dst, size_t size, const char *p)
{
	char addr[46], mask[46];
	unsigned a, b, c, d;
	int bits = 0;

	dst[0] = '\0';
	p = strchr(p, '(');
	if (p == NULL || (p = strchr(p + 1, '(')) == NULL)
		return;
	p = copy_word(addr, sizeof(addr), p + 1, "/");
	if (*p != '/')
		return;
	copy_word(mask, sizeof(mask), p + 1, "/");
	if (sscanf(mask, "%u.%u.%u.%u", &a, &b, &c, &d) == 4) {
		uint32_t m = a << 24 | b << 16 | c << 8 | d;

		while (m & 0x80000000u) {
			bits++;
			m <<= 1;
		}
		snprintf(dst, size, "%.45s/%d", addr, bits);
	} else {
		snprintf(dst, size, "%.45s/%.3s", addr, mask);	/* IPv6 */
	}
}

/* A line of show crypto ipsec sa; returns 1 when it was one. */
static int
cisco_line(struct counters_import *ci, const char *line, int *rc)
{
	struct cisco_sa *cs = &ci->cs;
	const char *p = skip_space(line);
	char word[64];
	int64_t v;

	if (starts(p, "interface: ") || starts(p, "Crypto map tag: ")) {
		*rc = flush_cisco(ci);
		if (starts(p, "Crypto map tag: ")) {
			const char *la = strstr(p, "local addr");

			copy_word(cs->map, sizeof(cs->map), p + 16, ",");
			if (la != NULL) {
				la = skip_space(la + 10);
				if (*la == ':')
					la = skip_space(la + 1);
				copy_word(cs->local_addr,
				    sizeof(cs->local_addr), la, ",");
			}
		}
		return 1;
	}
	if (starts(p, "local  ident") || starts(p, "local ident")) {
		*rc = flush_cisco(ci);
		cs->open = 1;
		cisco_ident(cs->local_ts, sizeof(cs->local_ts), p);
		return 1;
	}
	if (!cs->open)
		return starts(p, "protected vrf") || starts(p, "access-list");
	if (starts(p, "remote ident")) {
		cisco_ident(cs->remote_ts, sizeof(cs->remote_ts), p);
	} else if (starts(p, "current_peer")) {
		p = skip_space(p + 12);
		if (*p == ':')
			p = skip_space(p + 1);
		copy_word(cs->remote_addr, sizeof(cs->remote_addr), p, "");
	} else if (count_after(p, "#pkts encaps:", &v) == 0) {
		cs->encaps = v;
		cs->encaps_line = ci->line;
	} else if (count_after(p, "#pkts decaps:", &v) == 0) {
		cs->decaps = v;
		cs->decaps_line = ci->line;
	} else if (count_after(p, "replay failed (rcv)", &v) == 0) {
		cs->replay = v;
		cs->replay_line = ci->line;
	} else if (count_after(p, "#pkts invalid sa (rcv)", &v) == 0) {
		cs->invalid_sa = v;
		cs->invalid_line = ci->line;
	} else if (count_after(p, "#recv errors", &v) == 0) {
		cs->recv_errors = v;
		cs->recv_line = ci->line;
	} else if (starts(p, "local crypto endpt.:")) {
		const char *r = strstr(p, "remote crypto endpt.:");

		copy_word(cs->local_addr, sizeof(cs->local_addr),
		    skip_space(p + 20), ",/");
		if (r != NULL)
			copy_word(cs->remote_addr, sizeof(cs->remote_addr),
			    skip_space(r + 21), ",/");
	} else if (starts(p, "current outbound spi:")) {
		copy_word(word, sizeof(word), skip_space(p + 21), "(");
		normal_spi(cs->out_spi, word);
	} else if (starts(p, "current inbound spi")) {
		const char *colon = strchr(p, ':');

		if (colon != NULL) {
			copy_word(word, sizeof(word), skip_space(colon + 1),
			    "(");
			normal_spi(cs->in_spi, word);
		}
	} else if (starts(p, "inbound esp sas:")) {
		cs->in_section = 1;
	} else if (starts(p, "outbound esp sas:")) {
		cs->in_section = 2;
	} else if (starts(p, "inbound ") || starts(p, "outbound ")) {
		cs->in_section = 0;
	} else if (starts(p, "spi: ") && cs->in_section == 1 &&
	    cs->in_spi[0] == '\0') {
		copy_word(word, sizeof(word), p + 5, "(");
		normal_spi(cs->in_spi, word);
	}
	return 1;
}

/* "===== peer (2026-12-04T19:42:33.285+00:00) =====" */
static int
snapshot_header(struct counters_import *ci, const char *line)
{
	const char *open, *close;
	fp_time t;

	if (!starts(line, "===== "))
		return 0;
	open = strchr(line + 6, '(');
	close = open ? strchr(open, ')') : NULL;
	if (open == NULL || close == NULL) {
		bad_line(ci, "invalid snapshot header: expected \"===== HOST "
		    "(ISO 8601 time) =====\"");
		return 1;
	}
	if (fp_time_parse_iso(open + 1, &t) != (size_t)(close - open - 1)) {
		bad_line(ci, "invalid time in the snapshot header: expected "
		    "ISO 8601, as 2026-12-04T19:42:33.285Z");
		return 1;
	}
	snprintf(ci->host, sizeof(ci->host), "%.*s",
	    (int)(open - line - 7), line + 6);
	ci->ts = t;
	ci->n_own = 0;
	return 1;
}

static enum section
section_of(const char *command)
{
	if (strstr(command, "swanctl") != NULL)
		return SEC_SWANCTL;
	if (strstr(command, "xfrm_stat") != NULL)
		return SEC_XFRM_STAT;
	if (strstr(command, "xfrm state") != NULL ||
	    strstr(command, "xfrm s") != NULL)
		return SEC_XFRM;
	if (strstr(command, "crypto ipsec sa") != NULL)
		return SEC_CISCO;
	if (strstr(command, "ip -br addr") != NULL ||
	    strstr(command, "ip addr") != NULL ||
	    strstr(command, "ip -br a") != NULL)
		return SEC_ADDR;
	return SEC_OTHER;
}

static int
flush_all(struct counters_import *ci)
{
	int rc;

	if ((rc = flush_child(ci)) == 0 && (rc = flush_xfrm(ci)) == 0)
		rc = flush_cisco(ci);
	return rc;
}

/* "router#show crypto ipsec sa" names the host. */
static int
cisco_prompt(struct counters_import *ci, const char *line)
{
	const char *hash = strchr(line, '#');

	if (hash == NULL || hash == line || strstr(hash, "show ") == NULL ||
	    isspace((unsigned char)line[0]))
		return 0;
	for (const char *p = line; p < hash; p++)
		if (isspace((unsigned char)*p))
			return 0;
	snprintf(ci->host, sizeof(ci->host), "%.*s", (int)(hash - line),
	    line);
	ci->section = section_of(hash);
	return 1;
}

static int
read_line(struct counters_import *ci, const char *line)
{
	int rc = 0;
	fp_time t;

	/* What was read belongs to the snapshot before this line. */
	if (starts(line, "===== ") || starts(line, "--- ")) {
		if ((rc = flush_all(ci)) != 0)
			return rc;
		if (starts(line, "--- "))
			ci->section = section_of(line + 4);
		else if (snapshot_header(ci, line))
			ci->section = SEC_NONE;
		return 0;
	}
	if (strchr(line, '#') != NULL && !isspace((unsigned char)line[0])) {
		if ((rc = flush_all(ci)) != 0)
			return rc;
		if (cisco_prompt(ci, line))
			return 0;
	}
	if (*skip_space(line) != '\0' && fp_time_parse_iso(skip_space(line),
	    &t) == strlen(skip_space(line))) {
		ci->ts = t;
		return 0;
	}

	switch (ci->section) {
	case SEC_SWANCTL:
		swanctl_line(ci, line, &rc);
		return rc;
	case SEC_XFRM:
		xfrm_line(ci, line, &rc);
		return rc;
	case SEC_XFRM_STAT:
		xfrm_stat_line(ci, line, &rc);
		return rc;
	case SEC_ADDR:
		address_line(ci, line);
		return 0;
	case SEC_CISCO:
		cisco_line(ci, line, &rc);
		return rc;
	case SEC_OTHER:
		return 0;
	case SEC_NONE:
		break;
	}
	/* No marker: the first kind of output that takes the line. */
	if (swanctl_line(ci, line, &rc) || rc != 0)
		return rc;
	if (xfrm_line(ci, line, &rc) || rc != 0)
		return rc;
	if (xfrm_stat_line(ci, line, &rc) || rc != 0)
		return rc;
	cisco_line(ci, line, &rc);
	return rc;
}

/*
 * Import the counter snapshot at path.  Returns 0, the first non-zero
 * return of sink->counter, or FP_EINVAL / FP_EIO with a message naming
 * the file and line.
 */
static int
run(const char *path, const struct fp_import_opts *opts,
    struct fp_sink *sink)
{
	struct counters_import *ci;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;
	int rc = 0;

	ci = xcalloc(1, sizeof(*ci));
	ci->opts = opts;
	ci->sink = sink;
	ci->name = opts->display_name ? opts->display_name :
	    fp_basename(path);
	ci->ts = opts->at != 0 ? opts->at : FP_TIME_NONE;
	ci->cs.encaps = ci->cs.decaps = ci->cs.replay = -1;
	ci->cs.invalid_sa = ci->cs.recv_errors = -1;
	if ((f = fopen(path, "r")) == NULL) {
		rc = fp_fail(errno == ENOENT ? FP_ENOTFOUND : FP_EIO,
		    "'%s': cannot open: %s", ci->name, strerror(errno));
		free(ci);
		return rc;
	}
	while ((len = getline(&line, &cap, f)) != -1) {
		ci->line++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len > COUNTERS_MAX_LINE) {
			bad_line(ci, "line of %zd bytes is too long for "
			    "counter output", len);
			continue;
		}
		if ((rc = read_line(ci, line)) != 0)
			goto out;
	}
	if (ferror(f)) {
		rc = fp_fail(FP_EIO, "'%s': cannot read: %s", ci->name,
		    strerror(errno));
		goto out;
	}
	if ((rc = flush_all(ci)) != 0)
		goto out;
	if (ci->bad > 0 && !opts->skip_bad)
		rc = fp_fail(FP_EINVAL, "'%s' line %ld: %s (%ld bad line%s in "
		    "all): fix the file, or import it with --skip-bad to keep "
		    "the good lines", ci->name, ci->first_bad,
		    ci->first_error, ci->bad, ci->bad == 1 ? "" : "s");
	else if (ci->emitted == 0)
		rc = fp_fail(FP_EINVAL, "'%s': no SA or error counter found: "
		    "expected the output of swanctl --list-sas, ip -s xfrm "
		    "state, /proc/net/xfrm_stat or show crypto ipsec sa",
		    ci->name);
out:
	fclose(f);
	free(line);
	free(ci);
	return rc;
}
