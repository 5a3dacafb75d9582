/*
 * The tshark importer: a capture summary written by
 *
 *   tshark -r CAPTURE -T fields -E header=y -E separator=, \
 *       -e frame.time_epoch -e ip.src -e ip.dst -e esp.spi ...
 *
 * as the same packet records a capture gives.  The header line names the
 * fields; any subset in any order is accepted as long as it has
 * frame.time_epoch.  The separator is the one between the first two
 * header names (tab, the default, or , ; | space); values may be quoted
 * (-E quote=d or s).  Unknown fields are ignored.
 *
 * A field with several values (an ICMP error quoting the packet that
 * caused it, a tunnel) is written with tshark's aggregator, "," by
 * default.  The first value is the outer header's, which is the one
 * kept.  When the separator is "," too, such a line has more fields
 * than the header and cannot be split reliably: it is reported as a
 * warning and skipped (export with -E aggregator=/ or -E occurrence=f).
 * A value that is not of its field's type makes the line bad.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "importer.h"

/* Longer lines are not tshark output. */
#define TSHARK_MAX_LINE 65536
/* Bad lines reported before the rest are only counted. */
#define TSHARK_MAX_REPORTED 50

enum field {
	F_UNKNOWN = 0,
	F_TIME, F_NUMBER, F_LEN, F_INTERFACE,
	F_ETH_SRC, F_ETH_DST,
	F_IP_SRC, F_IP_DST, F_IP_TTL, F_IP_PROTO,
	F_IP6_SRC, F_IP6_DST, F_IP6_HLIM,
	F_UDP_SPORT, F_UDP_DPORT, F_TCP_SPORT, F_TCP_DPORT,
	F_ESP_SPI, F_ESP_SEQ,
	F_IKE_ISPI, F_IKE_RSPI, F_IKE_EXCHANGE, F_IKE_VERSION, F_IKE_FLAGS,
	F_IKE_MSGID,
	F_ICMP_TYPE, F_ICMP_ID, F_ICMP_SEQ,
	F_COUNT
};

static const struct {
	const char *name;
	enum field field;
} field_names[] = {
	{ "frame.time_epoch", F_TIME },
	{ "frame.number", F_NUMBER },
	{ "frame.len", F_LEN },
	{ "frame.interface_id", F_INTERFACE },
	{ "eth.src", F_ETH_SRC },
	{ "eth.dst", F_ETH_DST },
	{ "ip.src", F_IP_SRC },
	{ "ip.dst", F_IP_DST },
	{ "ip.ttl", F_IP_TTL },
	{ "ip.proto", F_IP_PROTO },
	{ "ipv6.src", F_IP6_SRC },
	{ "ipv6.dst", F_IP6_DST },
	{ "ipv6.hlim", F_IP6_HLIM },
	{ "udp.srcport", F_UDP_SPORT },
	{ "udp.dstport", F_UDP_DPORT },
	{ "tcp.srcport", F_TCP_SPORT },
	{ "tcp.dstport", F_TCP_DPORT },
	{ "esp.spi", F_ESP_SPI },
	{ "esp.sequence", F_ESP_SEQ },
	{ "isakmp.ispi", F_IKE_ISPI },
	{ "isakmp.rspi", F_IKE_RSPI },
	/* tshark 4.0 names it exchangetype; later releases exchtype. */
	{ "isakmp.exchangetype", F_IKE_EXCHANGE },
	{ "isakmp.exchtype", F_IKE_EXCHANGE },
	{ "isakmp.version", F_IKE_VERSION },
	{ "isakmp.flags", F_IKE_FLAGS },
	{ "isakmp.messageid", F_IKE_MSGID },
	{ "icmp.type", F_ICMP_TYPE },
	{ "icmpv6.type", F_ICMP_TYPE },
	{ "icmp.ident", F_ICMP_ID },
	{ "icmpv6.echo.identifier", F_ICMP_ID },
	{ "icmp.seq", F_ICMP_SEQ },
	{ "icmpv6.echo.sequence_number", F_ICMP_SEQ },
};

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

struct tshark_import {
	const struct fp_import_opts *opts;
	struct fp_sink *sink;
	const char *name;
	char sep;
	size_t n_columns;
	enum field *columns;
	long line;
	long bad;
	long first_bad;
	char first_error[256];
	long skipped;
};

static int detect(const unsigned char *, size_t);
static int run(const char *, const struct fp_import_opts *, struct fp_sink *);

const struct fp_importer fp_importer_tshark = {
	"tshark", "tshark -T fields export with a header line", detect, run
};

static enum field
field_of(const char *name, size_t len)
{
	for (size_t i = 0; i < NITEMS(field_names); i++)
		if (strlen(field_names[i].name) == len &&
		    memcmp(field_names[i].name, name, len) == 0)
			return field_names[i].field;
	return F_UNKNOWN;
}

/* The separator after the first header name, or 0 when there is none. */
static char
header_separator(const char *line, size_t len)
{
	size_t i = 0;

	if (i < len && (line[i] == '"' || line[i] == '\''))
		i++;
	while (i < len && (isalnum((unsigned char)line[i]) ||
	    line[i] == '.' || line[i] == '_' || line[i] == '-'))
		i++;
	if (i < len && (line[i] == '"' || line[i] == '\''))
		i++;
	if (i < len && strchr("\t,;| ", line[i]) != NULL)
		return line[i];
	return 0;
}

/* A header names frame.time_epoch and at least one other known field. */
static int
detect(const unsigned char *head, size_t len)
{
	const char *text = (const char *)head;
	size_t end = 0;
	int known = 0, time = 0;
	char sep;

	while (end < len && head[end] != '\n')
		end++;
	if ((sep = header_separator(text, end)) == 0)
		return 0;
	for (size_t i = 0; i < end;) {
		size_t n = 0, from = i, len;

		while (i + n < end && text[i + n] != sep)
			n++;
		i += n + 1;
		len = n;
		/* A quoted name (-E quote=d or s). */
		if (len >= 2 && (text[from] == '"' || text[from] == '\'')) {
			from++;
			len -= 2;
		}
		if (field_of(text + from, len) == F_TIME)
			time = 1;
		else if (field_of(text + from, len) != F_UNKNOWN)
			known++;
	}
	return time && known > 0 ? 100 : 0;
}

/*
 * Split line in place at sep; quoted values keep their separators.  The
 * fields point into line.  Returns the number of fields, or SIZE_MAX
 * when a quote is not closed.
 */
static size_t
split(char *line, char sep, char **fields, size_t max)
{
	size_t n = 0;
	char *p = line;

	for (;;) {
		char *start = p;

		if (*p == '"' || *p == '\'') {
			char q = *p++;

			start = p;
			while (*p != '\0' && *p != q)
				p++;
			if (*p != q)
				return SIZE_MAX;
			*p++ = '\0';
		} else {
			while (*p != '\0' && *p != sep)
				p++;
		}
		if (n < max)
			fields[n] = start;
		n++;
		if (*p == '\0')
			break;
		*p++ = '\0';
	}
	return n;
}

static void
warn(struct tshark_import *ti, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
warn(struct tshark_import *ti, long line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ti->sink->warn != NULL)
		ti->sink->warn(ti->sink->ctx, line, msg);
}

/*
 * The record number of the current line, which the import's warnings
 * call a packet: the frame number when the export has every frame.  0
 * for the header.
 */
static long
record_of(const struct tshark_import *ti)
{
	return ti->line > 1 ? ti->line - 1 : 0;
}

/* Report a bad line; the import fails once the file is read. */
static void
bad_line(struct tshark_import *ti, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
bad_line(struct tshark_import *ti, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ti->bad++ == 0) {
		ti->first_bad = ti->line;
		snprintf(ti->first_error, sizeof(ti->first_error), "%s", msg);
	}
	if (ti->bad <= TSHARK_MAX_REPORTED)
		warn(ti, record_of(ti), "%s", msg);
}

/* The first of several values that tshark joined with its aggregator. */
static char *
first_value(char *v, int *several)
{
	char *comma = strchr(v, ',');

	*several = comma != NULL;
	if (comma != NULL)
		*comma = '\0';
	return v;
}

/* Parse an unsigned number: decimal, or hexadecimal after "0x". */
static int
parse_number(const char *v, unsigned long long max, unsigned long long *out)
{
	char *end;
	int base = 10;

	if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X'))
		base = 16;
	if (!isxdigit((unsigned char)v[base == 16 ? 2 : 0]))
		return -1;
	errno = 0;
	*out = strtoull(v, &end, base);
	if (errno != 0 || *end != '\0' || *out > max)
		return -1;
	return 0;
}

/* frame.time_epoch: seconds with a fraction of up to nine digits. */
static int
parse_epoch(const char *v, fp_time *out)
{
	long long seconds = 0;
	long micro = 0, scale = 100000;
	const char *p = v;

	if (strchr(v, 'T') != NULL)
		return fp_time_parse_iso(v, out) == strlen(v) ? 0 : -1;
	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		if (seconds > (INT64_MAX / 1000000 - 10) / 10)
			return -1;
		seconds = seconds * 10 + (*p - '0');
	}
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++) {
			micro += scale * (*p - '0');
			scale /= 10;
		}
	if (*p != '\0')
		return -1;
	*out = (fp_time)seconds * 1000000 + micro;
	return 0;
}

static int
copy_text(char *dst, size_t size, const char *v)
{
	size_t len = strlen(v);

	if (len == 0 || len >= size)
		return -1;
	memcpy(dst, v, len + 1);
	return 0;
}

static int
parse_mac(char dst[18], const char *v)
{
	if (strlen(v) != 17)
		return -1;
	for (int i = 0; i < 17; i++) {
		if (i % 3 == 2 ? v[i] != ':' : !isxdigit((unsigned char)v[i]))
			return -1;
		dst[i] = (char)tolower((unsigned char)v[i]);
	}
	dst[17] = '\0';
	return 0;
}

static int
parse_ike_spi(char dst[17], const char *v)
{
	if (v[0] == '0' && v[1] == 'x')
		v += 2;
	if (strlen(v) != 16)
		return -1;
	for (int i = 0; i < 16; i++) {
		if (!isxdigit((unsigned char)v[i]))
			return -1;
		dst[i] = (char)tolower((unsigned char)v[i]);
	}
	dst[16] = '\0';
	return 0;
}

/* The values of one line, by field; NULL when absent or empty. */
struct values {
	char *v[F_COUNT];
	int several[F_COUNT];
};

static const char *
field_label(enum field f)
{
	for (size_t i = 0; i < NITEMS(field_names); i++)
		if (field_names[i].field == f)
			return field_names[i].name;
	return "?";
}

/* Parse a number field into *out; a bad value makes the line bad. */
static int
number_of(struct tshark_import *ti, const struct values *vs, enum field f,
    unsigned long long max, unsigned long long *out)
{
	if (vs->v[f] == NULL)
		return 0;
	if (parse_number(vs->v[f], max, out) != 0) {
		bad_line(ti, "invalid %s \"%.40s\": expected a number up to "
		    "%llu", field_label(f), vs->v[f], max);
		return -1;
	}
	return 1;
}

static int
fill_addresses(struct tshark_import *ti, const struct values *vs,
    struct fp_packet *p)
{
	enum field src = vs->v[F_IP_SRC] ? F_IP_SRC : F_IP6_SRC;
	enum field dst = vs->v[F_IP_DST] ? F_IP_DST : F_IP6_DST;
	unsigned long long ttl = 0;
	int rc;

	if (vs->v[src] != NULL && copy_text(p->src, sizeof(p->src),
	    vs->v[src]) != 0) {
		bad_line(ti, "invalid %s \"%.60s\"", field_label(src),
		    vs->v[src]);
		return -1;
	}
	if (vs->v[dst] != NULL && copy_text(p->dst, sizeof(p->dst),
	    vs->v[dst]) != 0) {
		bad_line(ti, "invalid %s \"%.60s\"", field_label(dst),
		    vs->v[dst]);
		return -1;
	}
	if ((rc = number_of(ti, vs, vs->v[F_IP_TTL] ? F_IP_TTL : F_IP6_HLIM,
	    255, &ttl)) < 0)
		return -1;
	p->ttl = (unsigned)ttl;
	if ((vs->v[F_ETH_SRC] && parse_mac(p->src_mac, vs->v[F_ETH_SRC])) ||
	    (vs->v[F_ETH_DST] && parse_mac(p->dst_mac, vs->v[F_ETH_DST]))) {
		bad_line(ti, "invalid MAC address in eth.src or eth.dst");
		return -1;
	}
	return 0;
}

static int
fill_ports(struct tshark_import *ti, const struct values *vs,
    struct fp_packet *p, int *udp, int *tcp)
{
	unsigned long long sport = 0, dport = 0;
	int a, b;

	*udp = *tcp = 0;
	if ((a = number_of(ti, vs, F_UDP_SPORT, 65535, &sport)) < 0 ||
	    (b = number_of(ti, vs, F_UDP_DPORT, 65535, &dport)) < 0)
		return -1;
	if (a || b) {
		*udp = 1;
	} else {
		if ((a = number_of(ti, vs, F_TCP_SPORT, 65535, &sport)) < 0 ||
		    (b = number_of(ti, vs, F_TCP_DPORT, 65535, &dport)) < 0)
			return -1;
		*tcp = a || b;
	}
	p->sport = (unsigned)sport;
	p->dport = (unsigned)dport;
	return 0;
}

static int
fill_ike(struct tshark_import *ti, const struct values *vs,
    struct fp_packet *p)
{
	unsigned long long x = 0, version = 0, flags = 0, msgid = 0;

	if (parse_ike_spi(p->ike_spi_i, vs->v[F_IKE_ISPI]) != 0 ||
	    (vs->v[F_IKE_RSPI] != NULL &&
	    parse_ike_spi(p->ike_spi_r, vs->v[F_IKE_RSPI]) != 0)) {
		bad_line(ti, "invalid isakmp.ispi or isakmp.rspi: expected 16 "
		    "hex digits");
		return -1;
	}
	if (number_of(ti, vs, F_IKE_EXCHANGE, 255, &x) < 0 ||
	    number_of(ti, vs, F_IKE_VERSION, 255, &version) < 0 ||
	    number_of(ti, vs, F_IKE_FLAGS, 255, &flags) < 0 ||
	    number_of(ti, vs, F_IKE_MSGID, UINT32_MAX, &msgid) < 0)
		return -1;
	p->proto = FP_PKT_IKE;
	p->exchange = vs->v[F_IKE_EXCHANGE] ? (int)x : -1;
	/* isakmp.version is the version byte: major in the high nibble. */
	p->ike_version = version >= 0x10 ? (int)(version >> 4) :
	    (int)version;
	if (p->ike_version == 0)
		p->ike_version = p->exchange >= 34 ? 2 : 1;
	if (vs->v[F_IKE_FLAGS] != NULL && p->ike_version == 2) {
		p->is_initiator = (flags & 0x08) != 0;
		p->is_response = (flags & 0x20) != 0;
	}
	p->msgid = (uint32_t)msgid;
	return 0;
}

static int
fill_icmp(struct tshark_import *ti, const struct values *vs,
    struct fp_packet *p)
{
	unsigned long long type = 0, id = 0, seq = 0;
	int has_id, has_seq;

	if (number_of(ti, vs, F_ICMP_TYPE, 255, &type) < 0 ||
	    (has_id = number_of(ti, vs, F_ICMP_ID, 65535, &id)) < 0 ||
	    (has_seq = number_of(ti, vs, F_ICMP_SEQ, 65535, &seq)) < 0)
		return -1;
	p->proto = FP_PKT_ICMP;
	p->icmp_type = (int)type;
	if (has_id)
		p->icmp_id = (int)id;
	if (has_seq)
		p->icmp_seq = (int)seq;
	return 0;
}

/*
 * Classify like the capture decoder: IKE, then ESP, ICMP, UDP, TCP.  A
 * line whose addresses have several values quotes another packet (an
 * ICMP error, a tunnel), so its ESP or IKE fields are the inner packet's
 * and do not make it ESP or IKE.
 */
static int
fill_packet(struct tshark_import *ti, const struct values *vs,
    struct fp_packet *p)
{
	unsigned long long spi = 0, seq = 0, proto = 0;
	int udp, tcp, quoting;

	quoting = vs->several[F_IP_SRC] || vs->several[F_IP6_SRC] ||
	    vs->several[F_IP_DST] || vs->several[F_IP6_DST];
	if (fill_addresses(ti, vs, p) != 0 ||
	    fill_ports(ti, vs, p, &udp, &tcp) != 0 ||
	    number_of(ti, vs, F_IP_PROTO, 255, &proto) < 0)
		return -1;

	if (vs->v[F_ICMP_TYPE] != NULL && (quoting ||
	    (vs->v[F_ESP_SPI] == NULL && vs->v[F_IKE_ISPI] == NULL)))
		return fill_icmp(ti, vs, p);
	if (quoting) {
		p->proto = FP_PKT_OTHER;
		return 0;
	}
	if (vs->v[F_IKE_ISPI] != NULL) {
		if (fill_ike(ti, vs, p) != 0)
			return -1;
		p->udp_encap = p->sport == 4500 || p->dport == 4500;
		return 0;
	}
	if (vs->v[F_ESP_SPI] != NULL) {
		if (number_of(ti, vs, F_ESP_SPI, UINT32_MAX, &spi) < 0 ||
		    number_of(ti, vs, F_ESP_SEQ, UINT32_MAX, &seq) < 0)
			return -1;
		p->proto = FP_PKT_ESP;
		p->spi = (uint32_t)spi;
		p->seq = (uint32_t)seq;
		p->udp_encap = udp;
		return 0;
	}
	if (udp)
		p->proto = FP_PKT_UDP;
	else if (tcp)
		p->proto = FP_PKT_TCP;
	return 0;
}

static int
read_header(struct tshark_import *ti, char *line, size_t len)
{
	char **names;
	size_t n;

	if ((ti->sep = header_separator(line, len)) == 0)
		return fp_fail(FP_EINVAL, "'%s' line 1: not a tshark field "
		    "header: export with 'tshark -T fields -E header=y'",
		    ti->name);
	names = xcalloc(len + 1, sizeof(*names));
	n = split(line, ti->sep, names, len + 1);
	if (n == SIZE_MAX) {
		free(names);
		return fp_fail(FP_EINVAL, "'%s' line 1: a header name has "
		    "an unclosed quote", ti->name);
	}
	ti->n_columns = n;
	ti->columns = xcalloc(n, sizeof(*ti->columns));
	for (size_t i = 0; i < n; i++) {
		ti->columns[i] = field_of(names[i], strlen(names[i]));
		if (ti->columns[i] == F_UNKNOWN)
			warn(ti, 0, "field \"%.60s\" is not used", names[i]);
	}
	free(names);
	for (size_t i = 0; i < n; i++)
		if (ti->columns[i] == F_TIME)
			return 0;
	return fp_fail(FP_EINVAL, "'%s' line 1: the header has no "
	    "frame.time_epoch field: export it with '-e frame.time_epoch'",
	    ti->name);
}

static int
read_record(struct tshark_import *ti, char *line)
{
	char **fields = xcalloc(ti->n_columns + 1, sizeof(*fields));
	struct values vs;
	struct fp_packet p;
	unsigned long long number = 0;
	size_t n;
	int rc = 0;

	memset(&vs, 0, sizeof(vs));
	n = split(line, ti->sep, fields, ti->n_columns);
	if (n == SIZE_MAX) {
		bad_line(ti, "a value has an unclosed quote");
		goto out;
	}
	if (n != ti->n_columns) {
		/* tshark's aggregator is the separator: several values. */
		if (n > ti->n_columns && ti->sep == ',') {
			ti->skipped++;
			warn(ti, record_of(ti), "%zu fields where the header has "
			    "%zu: a field has several values joined with ','; "
			    "the line is skipped (export with -E aggregator=/ "
			    "to keep such lines)", n, ti->n_columns);
		} else {
			bad_line(ti, "%zu fields where the header has %zu", n,
			    ti->n_columns);
		}
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		enum field f = ti->columns[i];

		if (f == F_UNKNOWN || fields[i][0] == '\0')
			continue;
		vs.v[f] = first_value(fields[i], &vs.several[f]);
	}

	memset(&p, 0, sizeof(p));
	p.number = ti->line - 1;
	p.is_response = p.is_initiator = -1;
	p.icmp_type = p.icmp_id = p.icmp_seq = -1;
	if (vs.v[F_TIME] == NULL || parse_epoch(vs.v[F_TIME], &p.ts) != 0) {
		bad_line(ti, "invalid frame.time_epoch \"%.40s\": expected "
		    "seconds since 1970", vs.v[F_TIME] ? vs.v[F_TIME] : "");
		goto out;
	}
	if (number_of(ti, &vs, F_NUMBER, LONG_MAX, &number) < 0)
		goto out;
	if (vs.v[F_NUMBER] != NULL && number == 0) {
		/* Packet numbers are 1-based, as tshark counts frames. */
		bad_line(ti, "invalid frame.number \"0\": frames are numbered "
		    "from 1");
		goto out;
	}
	if (vs.v[F_NUMBER] != NULL)
		p.number = (long)number;
	if (number_of(ti, &vs, F_LEN, UINT32_MAX, &number) < 0)
		goto out;
	p.wire_len = vs.v[F_LEN] ? (unsigned)number : 0;
	if (number_of(ti, &vs, F_INTERFACE, UINT32_MAX, &number) < 0)
		goto out;
	p.interface = vs.v[F_INTERFACE] ? (unsigned)number : 0;
	if (fill_packet(ti, &vs, &p) != 0)
		goto out;
	rc = ti->sink->packet(ti->sink->ctx, &p);
out:
	free(fields);
	return rc;
}

/*
 * Import the tshark export at path.  Returns 0, the first non-zero
 * return of sink->packet, or FP_EINVAL / FP_EIO with a message naming
 * the file and the first bad line.
 */
static int
run(const char *path, const struct fp_import_opts *opts,
    struct fp_sink *sink)
{
	struct tshark_import ti;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;
	int rc = 0;

	memset(&ti, 0, sizeof(ti));
	ti.opts = opts;
	ti.sink = sink;
	ti.name = opts->display_name ? opts->display_name : fp_basename(path);
	if ((f = fopen(path, "r")) == NULL)
		return fp_fail(errno == ENOENT ? FP_ENOTFOUND : FP_EIO,
		    "'%s': cannot open: %s", ti.name, strerror(errno));

	while ((len = getline(&line, &cap, f)) != -1) {
		ti.line++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len > TSHARK_MAX_LINE) {
			bad_line(&ti, "line of %zd bytes is too long for "
			    "tshark output", len);
			continue;
		}
		if (ti.line == 1) {
			if ((rc = read_header(&ti, line, (size_t)len)) != 0)
				goto out;
			continue;
		}
		if (len == 0)
			continue;
		if ((rc = read_record(&ti, line)) != 0)
			goto out;
	}
	if (ferror(f)) {
		rc = fp_fail(FP_EIO, "'%s': cannot read: %s", ti.name,
		    strerror(errno));
		goto out;
	}
	if (ti.line == 0) {
		rc = fp_fail(FP_EINVAL, "'%s' is empty: export the capture "
		    "with 'tshark -T fields -E header=y'", ti.name);
		goto out;
	}
	if (ti.bad > 0 && !opts->skip_bad)
		rc = fp_fail(FP_EINVAL, "'%s' line %ld: %s (%ld bad line%s in "
		    "all): fix the export, or import it with --skip-bad to "
		    "keep the good lines", ti.name, ti.first_bad,
		    ti.first_error, ti.bad, ti.bad == 1 ? "" : "s");
out:
	fclose(f);
	free(line);
	free(ti.columns);
	return rc;
}
