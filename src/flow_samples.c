/*
 * Helpers shared by the producers of derived traffic samples: the sample
 * array, path directions, address prefixes and the two facts about a
 * capture that tell where it was taken (the side of each inner host, the
 * capture host's own address).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "flow_samples.h"

void
derived_add(struct derived_samples *d, const struct fp_sample *s,
    const char *file)
{
	struct stored_sample *ss;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->v = xrealloc(d->v, d->cap * sizeof(*d->v));
	}
	ss = &d->v[d->n++];
	memset(ss, 0, sizeof(*ss));
	ss->s = *s;
	ss->file = file;
}

static int
by_group_then_time(const void *x, const void *y)
{
	const struct stored_sample *a = x, *b = y;
	int c;

	if ((c = strcmp(a->s.source, b->s.source)) != 0 ||
	    (c = strcmp(a->file, b->file)) != 0 ||
	    (c = strcmp(a->s.src, b->s.src)) != 0)
		return c;
	if (a->s.t_start != b->s.t_start)
		return a->s.t_start < b->s.t_start ? -1 : 1;
	return a->s.t_end < b->s.t_end ? -1 : a->s.t_end > b->s.t_end;
}

static int
same_group(const struct stored_sample *a, const struct stored_sample *b)
{
	return strcmp(a->s.source, b->s.source) == 0 &&
	    strcmp(a->file, b->file) == 0 && strcmp(a->s.src, b->s.src) == 0;
}

static void
add_quiet(struct derived_samples *d, const struct stored_sample *next,
    fp_time from)
{
	struct fp_sample quiet = next->s;

	quiet.both_directions = 0;
	quiet.t_start = from;
	quiet.t_end = next->s.t_start;
	quiet.offered = 0;
	quiet.delivered = 0;
	quiet.lost = -1;
	quiet.bytes = 0;
	quiet.note = "no packets";
	derived_add(d, &quiet, next->file);
}

/* The silences of one source, file and direction, v sorted by time. */
static void
add_group_silences(struct derived_samples *d, const struct stored_sample *v,
    size_t n, fp_time failover)
{
	fp_time reach = FP_TIME_NONE;

	for (size_t k = 0; k < n; k++) {
		const struct stored_sample *ss = &v[k];
		fp_time gap = 3 * ss->s.resolution;

		if (ss->s.delivered <= 0)
			continue;
		if (gap < 1000000)
			gap = 1000000;
		if (reach != FP_TIME_NONE && ss->s.t_start - reach >= gap)
			add_quiet(d, ss, reach);
		else if (reach == FP_TIME_NONE && failover != FP_TIME_NONE &&
		    ss->s.t_start - failover >= gap)
			add_quiet(d, ss, failover);
		if (reach == FP_TIME_NONE || ss->s.t_end > reach)
			reach = ss->s.t_end;
	}
}

void
derived_add_silences(struct derived_samples *d, size_t first,
    fp_time failover)
{
	size_t n = d->n - first, start = 0;
	struct stored_sample *v;

	if (n == 0)
		return;
	/* Work on a sorted copy: adding to d moves its array. */
	v = xcalloc(n, sizeof(*v));
	memcpy(v, d->v + first, n * sizeof(*v));
	qsort(v, n, sizeof(*v), by_group_then_time);
	for (size_t i = 1; i <= n; i++) {
		if (i < n && same_group(&v[start], &v[i]))
			continue;
		add_group_silences(d, v + start, i - start, failover);
		start = i;
	}
	free(v);
}

void
derived_release(struct derived_samples *d)
{
	free(d->v);
	memset(d, 0, sizeof(*d));
}

int
endpoint_is_wildcard(const char *e)
{
	return e == NULL || *e == '\0' || strcmp(e, "local") == 0 ||
	    strcmp(e, "localhost") == 0;
}

/* Does a concrete address stand at a path endpoint that may be a wildcard? */
static int
end_matches(const char *path_end, const char *address, const char *other_end,
    const char *other_address)
{
	if (endpoint_is_wildcard(path_end))
		return !endpoint_is_wildcard(other_end) &&
		    strcmp(other_end, other_address) == 0;
	return strcmp(path_end, address) == 0;
}

int
path_direction(const struct traffic_path *p, const char *src,
    const char *dst)
{
	if (p->a == NULL || p->b == NULL || src == NULL || dst == NULL)
		return 0;
	if (end_matches(p->a, src, p->b, dst) &&
	    end_matches(p->b, dst, p->a, src))
		return 1;
	if (end_matches(p->b, src, p->a, dst) &&
	    end_matches(p->a, dst, p->b, src))
		return 2;
	return 0;
}

/* Parse an address into 16 bytes; returns the family's bit count or 0. */
static int
parse_address(const char *text, unsigned char out[16])
{
	struct in_addr v4;

	memset(out, 0, 16);
	if (inet_pton(AF_INET, text, &v4) == 1) {
		memcpy(out, &v4, 4);
		return 32;
	}
	if (inet_pton(AF_INET6, text, out) == 1)
		return 128;
	return 0;
}

static int
prefix_contains(const char *prefix, size_t len, const unsigned char *addr,
    int addr_bits)
{
	char text[64];
	unsigned char net[16];
	const char *slash;
	long bits;
	int family;

	if (len == 0 || len >= sizeof(text))
		return 0;
	memcpy(text, prefix, len);
	text[len] = '\0';
	slash = strchr(text, '/');
	if (slash != NULL)
		text[slash - text] = '\0';
	family = parse_address(text, net);
	if (family == 0 || family != addr_bits)
		return 0;
	bits = family;
	if (slash != NULL && fp_parse_long(slash + 1, 0, family, &bits) != 0)
		return 0;
	for (long i = 0; i < bits; i++) {
		unsigned mask = 0x80u >> (i % 8);

		if ((net[i / 8] & mask) != (addr[i / 8] & mask))
			return 0;
	}
	return 1;
}

int
address_in_prefixes(const char *address, const char *list)
{
	unsigned char addr[16];
	int bits;

	if (address == NULL || list == NULL)
		return 0;
	if ((bits = parse_address(address, addr)) == 0)
		return 0;
	while (*list != '\0') {
		size_t len;

		list += strspn(list, " ,");
		len = strcspn(list, " ,");
		if (prefix_contains(list, len, addr, bits))
			return 1;
		list += len;
	}
	return 0;
}

void
spi_hex(uint32_t spi, char out[9])
{
	snprintf(out, 9, "%08x", spi);
}

/* Hops a packet took from a host with one of the usual initial TTLs. */
static int
hops(unsigned ttl)
{
	if (ttl <= 64)
		return (int)(64 - ttl);
	if (ttl <= 128)
		return (int)(128 - ttl);
	return (int)(255 - ttl);
}

static const struct stored_flow *
reverse_flow(const struct evidence_set *set, const struct stored_flow *sf)
{
	for (size_t i = 0; i < set->n_flows; i++) {
		const struct stored_flow *r = &set->flows[i];

		if (r->evidence == sf->evidence && r->f.kind == sf->f.kind &&
		    strcmp(r->f.src, sf->f.dst) == 0 &&
		    strcmp(r->f.dst, sf->f.src) == 0 && r->f.ttl_max > 0)
			return r;
	}
	return NULL;
}

int
clear_flow_crossed(const struct evidence_set *set,
    const struct stored_flow *sf)
{
	const struct stored_flow *r;
	int h;

	if (sf->f.kind == FLOW_ESP || sf->f.ttl_max == 0)
		return -1;
	/* The largest TTL: the fewest hops any of its packets took. */
	h = hops(sf->f.ttl_max);
	if (h < 2)
		return 0;
	r = reverse_flow(set, sf);
	if (r != NULL && hops(r->f.ttl_max) >= h)
		return -1;	/* both far away: taken between gateways */
	return 1;
}

int
capture_sides_has(const char *const *v, size_t n, const char *address)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], address) == 0)
			return 1;
	return 0;
}

static void
side_add(const char ***v, size_t *n, const char *address)
{
	if (capture_sides_has(*v, *n, address))
		return;
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = address;
}

void
capture_sides_find(const struct evidence_set *set, const char *host,
    struct capture_sides *out)
{
	memset(out, 0, sizeof(*out));
	out->host = host;
	if (host == NULL)
		return;
	for (size_t i = 0; i < set->n_flows; i++) {
		const struct stored_flow *sf = &set->flows[i];
		int crossed;

		if (sf->capture_host == NULL ||
		    strcasecmp(sf->capture_host, host) != 0)
			continue;
		crossed = clear_flow_crossed(set, sf);
		if (crossed == 1) {
			side_add(&out->far, &out->n_far, sf->f.src);
			side_add(&out->near, &out->n_near, sf->f.dst);
		} else if (crossed == 0) {
			side_add(&out->near, &out->n_near, sf->f.src);
			side_add(&out->far, &out->n_far, sf->f.dst);
		}
	}
}

void
capture_sides_release(struct capture_sides *cs)
{
	free(cs->far);
	free(cs->near);
	memset(cs, 0, sizeof(*cs));
}

struct mac_count {
	const char *mac;
	int64_t packets;
};

static int
unicast_mac(const char *mac)
{
	unsigned first;

	if (mac[0] == '\0' || strcmp(mac, "*") == 0 ||
	    sscanf(mac, "%2x", &first) != 1)
		return 0;
	return (first & 1) == 0;	/* the group bit */
}

static void
mac_add(struct mac_count **v, size_t *n, const char *mac, int64_t packets)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i].mac, mac) == 0) {
			(*v)[i].packets += packets;
			return;
		}
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n].mac = mac;
	(*v)[*n].packets = packets;
	(*n)++;
}

struct endpoint_macs {
	const char *address;
	const char *mac;	/* the first source MAC seen */
	int several;		/* it was seen with another one too */
};

static void
endpoint_add(struct endpoint_macs **v, size_t *n, const char *address,
    const char *mac)
{
	if (!unicast_mac(mac))
		return;
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*v)[i].address, address) == 0) {
			if (strcmp((*v)[i].mac, mac) != 0)
				(*v)[i].several = 1;
			return;
		}
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[*n].address = address;
	(*v)[*n].mac = mac;
	(*v)[*n].several = 0;
	(*n)++;
}

/* The one ESP or IKE endpoint of a capture with a single source MAC,
 * when another endpoint has several; NULL otherwise. */
static const char *
single_mac_endpoint(const struct evidence_set *set, const char *file)
{
	struct endpoint_macs *v = NULL;
	const char *single = NULL;
	size_t n = 0, n_single = 0, n_several = 0;

	for (size_t i = 0; i < set->n_flows; i++) {
		const struct stored_flow *sf = &set->flows[i];

		if (sf->f.kind != FLOW_ESP || strcmp(sf->file, file) != 0)
			continue;
		for (size_t k = 0; k < sf->f.n_paths; k++)
			endpoint_add(&v, &n, sf->f.src, sf->f.paths[k].src_mac);
	}
	for (size_t i = 0; i < set->n_packets; i++) {
		const struct stored_packet *sp = &set->packets[i];

		if (sp->p.proto == FP_PKT_IKE && strcmp(sp->file, file) == 0)
			endpoint_add(&v, &n, sp->p.src, sp->p.src_mac);
	}
	for (size_t i = 0; i < n; i++) {
		if (v[i].several) {
			n_several++;
		} else {
			n_single++;
			single = v[i].address;
		}
	}
	free(v);
	return n_single == 1 && n_several > 0 ? single : NULL;
}

const char *
capture_own_address(const struct evidence_set *set, const char *file)
{
	struct mac_count *macs = NULL;
	const char *own = NULL, *address = NULL;
	int64_t total = 0, best = 0, second = 0, sent = 0;
	size_t n = 0;

	for (size_t i = 0; i < set->n_flows; i++) {
		const struct stored_flow *sf = &set->flows[i];

		if (strcmp(sf->file, file) != 0)
			continue;
		for (size_t k = 0; k < sf->f.n_paths; k++) {
			const struct flow_path *pa = &sf->f.paths[k];

			if (!unicast_mac(pa->dst_mac) ||
			    !unicast_mac(pa->src_mac))
				continue;
			total += pa->packets;
			mac_add(&macs, &n, pa->src_mac, pa->packets);
			mac_add(&macs, &n, pa->dst_mac, pa->packets);
		}
	}
	for (size_t i = 0; i < n; i++)
		if (macs[i].packets > best) {
			second = best;
			best = macs[i].packets;
			own = macs[i].mac;
		} else if (macs[i].packets > second) {
			second = macs[i].packets;
		}
	if (own == NULL || best * 10 < total * 9)
		goto out;
	if (second * 10 >= total * 9) {
		/* Two hosts that only talk to each other. */
		address = single_mac_endpoint(set, file);
		goto out;
	}
	for (size_t i = 0; i < set->n_flows; i++) {
		const struct stored_flow *sf = &set->flows[i];

		if (strcmp(sf->file, file) != 0 || sf->f.kind != FLOW_ESP)
			continue;
		for (size_t k = 0; k < sf->f.n_paths; k++)
			if (strcmp(sf->f.paths[k].src_mac, own) == 0 &&
			    sf->f.paths[k].packets > sent) {
				sent = sf->f.paths[k].packets;
				address = sf->f.src;
			}
	}
out:
	free(macs);
	return address;
}
