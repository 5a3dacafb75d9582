/*
 * The streaming flow aggregator (see flow_table.h).  Flows are found
 * through an open-addressing hash of their key.  The table keeps no
 * packet, only counters, sequence state and segments.
 *
 * ESP sequence analysis follows the anti-replay rules of RFC 4303
 * section 3.4.3: a receiver accepts a number above the highest it has
 * seen, and one within its window that it has not seen.  The sender's
 * numbers are tracked with a FLOW_SEQ_WINDOW-bit map below the highest
 * so that a repeat is told from a late (reordered) packet.  A number
 * further back than the window is a restart: a sender that lost its
 * counter, as a standby does when state sync copies an SA without it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow_table.h"

#define HASH_SLOTS		(2 * (FLOW_MAX_ESP + FLOW_MAX_CLEAR))
#define SPACING_LIMIT		1000000		/* 1 s */
#define MAX_RESTART_ANOMALIES	16
#define MAX_OTHER_ANOMALIES	4
/* A jump from this high to this low is a 32-bit wrap (extended
 * sequence numbers, RFC 4304), not a restart. */
#define SEQ_WRAP_HIGH		0xffff0000u
#define SEQ_WRAP_LOW		0x00010000u
/*
 * Times further from 1970 than this (73,000 years) are not aggregated:
 * a corrupt time stamp counts as untimed, and the difference of any two
 * aggregated times fits in fp_time.
 */
#define TIME_LIMIT		(INT64_C(1) << 61)

struct flow_state {
	struct flow f;
	/* ESP: sender's highest number and the window below it */
	int seq_started;
	uint32_t send_top;
	uint64_t window;
	uint32_t recv_top;	/* highest number ever, the receiver's view */
	int restart_pending;
	size_t restart_index;	/* in f.anomalies, or FLOW_MAX_ANOMALIES */
	/* mean spacing */
	fp_time prev_ts;
	fp_time spacing_sum;
	int64_t spacing_n;
	/* ICMP echo requests: one bit per sequence number seen */
	unsigned char *echo_seen;
};

struct flow_table {
	struct flow_state **flows;
	size_t n_flows;
	size_t cap_flows;
	size_t n_esp;
	size_t n_clear;
	size_t slots[HASH_SLOTS];	/* index + 1 into flows, 0 empty */
	size_t segments;		/* in all paths */
	int64_t rows;
	struct flow_table_stats stats;
};

struct flow_table *
flow_table_new(void)
{
	return xcalloc(1, sizeof(struct flow_table));
}

void
flow_release(struct flow *f)
{
	for (size_t i = 0; i < f->n_paths; i++) {
		free(f->paths[i].segments);
		f->paths[i].segments = NULL;
		f->paths[i].n_segments = 0;
		f->paths[i].cap_segments = 0;
	}
}

void
flow_table_free(struct flow_table *ft)
{
	if (ft == NULL)
		return;
	for (size_t i = 0; i < ft->n_flows; i++) {
		flow_release(&ft->flows[i]->f);
		free(ft->flows[i]->echo_seen);
		free(ft->flows[i]);
	}
	free(ft->flows);
	free(ft);
}

size_t
flow_table_count(const struct flow_table *ft)
{
	return ft->n_flows;
}

const struct flow *
flow_table_get(const struct flow_table *ft, size_t i)
{
	return i < ft->n_flows ? &ft->flows[i]->f : NULL;
}

void
flow_table_stats(const struct flow_table *ft, struct flow_table_stats *out)
{
	*out = ft->stats;
}

static const char *const kind_names[] = {
	[FLOW_ESP] = "esp", [FLOW_ICMP] = "icmp", [FLOW_UDP] = "udp",
	[FLOW_TCP] = "tcp",
};

static const char *const anomaly_names[] = {
	[FLOW_SEQ_GAP] = "gap", [FLOW_SEQ_REPEAT] = "repeat",
	[FLOW_SEQ_LATE] = "late", [FLOW_SEQ_RESTART] = "restart",
};

const char *
flow_kind_name(enum flow_kind kind)
{
	if (kind >= FLOW_ESP && kind <= FLOW_TCP)
		return kind_names[kind];
	return "?";
}

enum flow_kind
flow_kind_from_name(const char *name)
{
	for (int k = FLOW_ESP; k <= FLOW_TCP; k++)
		if (name != NULL && strcmp(name, kind_names[k]) == 0)
			return (enum flow_kind)k;
	return 0;
}

const char *
flow_anomaly_name(enum flow_anomaly_kind kind)
{
	if (kind >= FLOW_SEQ_GAP && kind <= FLOW_SEQ_RESTART)
		return anomaly_names[kind];
	return "?";
}

enum flow_anomaly_kind
flow_anomaly_from_name(const char *name)
{
	for (int k = FLOW_SEQ_GAP; k <= FLOW_SEQ_RESTART; k++)
		if (name != NULL && strcmp(name, anomaly_names[k]) == 0)
			return (enum flow_anomaly_kind)k;
	return 0;
}

/* The flow a packet belongs to, as a key in a zeroed struct flow. */
static int
packet_key(const struct fp_packet *p, struct flow *key)
{
	memset(key, 0, sizeof(*key));
	key->icmp_type = -1;
	key->icmp_id = -1;
	switch (p->proto) {
	case FP_PKT_ESP:
		key->kind = FLOW_ESP;
		key->spi = p->spi;
		key->udp_encap = p->udp_encap;
		break;
	case FP_PKT_ICMP:
		if (p->icmp_id < 0 || (p->icmp_type != 0 &&
		    p->icmp_type != 8 && p->icmp_type != 128 &&
		    p->icmp_type != 129))
			return 0;
		key->kind = FLOW_ICMP;
		key->icmp_type = p->icmp_type;
		key->icmp_id = p->icmp_id;
		break;
	case FP_PKT_UDP:
	case FP_PKT_TCP:
		key->kind = p->proto == FP_PKT_UDP ? FLOW_UDP : FLOW_TCP;
		key->sport = p->sport;
		key->dport = p->dport;
		break;
	default:
		return 0;
	}
	if (p->src[0] == '\0' || p->dst[0] == '\0')
		return 0;
	memcpy(key->src, p->src, sizeof(key->src));
	memcpy(key->dst, p->dst, sizeof(key->dst));
	return 1;
}

static uint64_t
hash_bytes(uint64_t h, const void *data, size_t len)
{
	const unsigned char *b = data;

	for (size_t i = 0; i < len; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;	/* FNV-1a */
	}
	return h;
}

static uint64_t
key_hash(const struct flow *k)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	uint32_t v[6] = { (uint32_t)k->kind, k->spi, k->sport, k->dport,
	    (uint32_t)k->icmp_type, (uint32_t)k->icmp_id };

	h = hash_bytes(h, v, sizeof(v));
	h = hash_bytes(h, k->src, strlen(k->src));
	h = hash_bytes(h, "|", 1);
	return hash_bytes(h, k->dst, strlen(k->dst));
}

static int
key_equal(const struct flow *a, const struct flow *b)
{
	return a->kind == b->kind && a->spi == b->spi &&
	    a->sport == b->sport && a->dport == b->dport &&
	    a->icmp_type == b->icmp_type && a->icmp_id == b->icmp_id &&
	    strcmp(a->src, b->src) == 0 && strcmp(a->dst, b->dst) == 0;
}

/*
 * Find the flow with key k, or create it when create is set and the
 * kind's maximum allows.  NULL when it does not exist.
 */
static struct flow_state *
lookup(struct flow_table *ft, const struct flow *k, int create)
{
	size_t i = (size_t)(key_hash(k) % HASH_SLOTS);
	struct flow_state *fs;

	while (ft->slots[i] != 0) {
		fs = ft->flows[ft->slots[i] - 1];
		if (key_equal(&fs->f, k))
			return fs;
		i = (i + 1) % HASH_SLOTS;
	}
	if (!create)
		return NULL;
	if (k->kind == FLOW_ESP ? ft->n_esp == FLOW_MAX_ESP :
	    ft->n_clear == FLOW_MAX_CLEAR)
		return NULL;
	if (k->kind == FLOW_ESP)
		ft->n_esp++;
	else
		ft->n_clear++;

	fs = xcalloc(1, sizeof(*fs));
	fs->f = *k;
	fs->f.first = fs->f.last = FP_TIME_NONE;
	fs->restart_index = FLOW_MAX_ANOMALIES;
	fs->prev_ts = FP_TIME_NONE;
	if (ft->n_flows == ft->cap_flows) {
		ft->cap_flows = ft->cap_flows ? ft->cap_flows * 2 : 64;
		ft->flows = xrealloc(ft->flows,
		    ft->cap_flows * sizeof(*ft->flows));
	}
	ft->flows[ft->n_flows++] = fs;
	ft->slots[i] = ft->n_flows;
	return fs;
}

/* Merge the segments of a path that are closer than its gap. */
static void
merge_segments(struct flow_table *ft, struct flow_path *pa)
{
	size_t out = 0;

	for (size_t i = 1; i < pa->n_segments; i++) {
		struct flow_segment *a = &pa->segments[out];
		struct flow_segment *b = &pa->segments[i];

		if (b->start - a->end < pa->gap) {
			if (b->end > a->end) {
				a->end = b->end;
				a->last_packet = b->last_packet;
			}
			a->packets += b->packets;
			a->bytes += b->bytes;
		} else {
			pa->segments[++out] = *b;
		}
	}
	if (pa->n_segments > 0) {
		ft->segments -= pa->n_segments - (out + 1);
		pa->n_segments = out + 1;
	}
}

/* Keep the segments of all paths within FLOW_SEGMENT_BUDGET. */
static void
enforce_budget(struct flow_table *ft)
{
	while (ft->segments > FLOW_SEGMENT_BUDGET) {
		struct flow_path *largest = NULL;

		for (size_t i = 0; i < ft->n_flows; i++) {
			struct flow *f = &ft->flows[i]->f;

			for (size_t k = 0; k < f->n_paths; k++)
				if (largest == NULL || f->paths[k].n_segments >
				    largest->n_segments)
					largest = &f->paths[k];
		}
		/* Past TIME_LIMIT every silence is shorter: one segment. */
		largest->gap = largest->gap > TIME_LIMIT ? INT64_MAX :
		    largest->gap * 2;
		merge_segments(ft, largest);
		ft->stats.coarsened = 1;
	}
}

static struct flow_segment *
insert_segment(struct flow_table *ft, struct flow_path *pa, size_t at)
{
	if (pa->n_segments == pa->cap_segments) {
		pa->cap_segments = pa->cap_segments ? pa->cap_segments * 2 : 4;
		pa->segments = xrealloc(pa->segments,
		    pa->cap_segments * sizeof(*pa->segments));
	}
	memmove(&pa->segments[at + 1], &pa->segments[at],
	    (pa->n_segments - at) * sizeof(*pa->segments));
	pa->n_segments++;
	ft->segments++;
	memset(&pa->segments[at], 0, sizeof(pa->segments[at]));
	return &pa->segments[at];
}

static void
segment_take(struct flow_segment *s, fp_time ts, long number, int64_t bytes)
{
	if (s->packets == 0 || ts < s->start) {
		s->start = ts;
		s->first_packet = number;
	}
	if (s->packets == 0 || ts >= s->end) {
		s->end = ts;
		s->last_packet = number;
	}
	s->packets++;
	s->bytes += bytes;
}

/*
 * Add a packet to the segments of a path.  Captures are usually in time
 * order, so the common case touches only the last segment.  A packet
 * from the past is placed by binary search, and the segments it joins
 * are merged.
 */
static void
segment_add(struct flow_table *ft, struct flow_path *pa, fp_time ts,
    long number, int64_t bytes)
{
	struct flow_segment *s;
	size_t lo = 0, hi = pa->n_segments;

	if (pa->n_segments > 0) {
		s = &pa->segments[pa->n_segments - 1];
		if (ts >= s->start) {
			if (ts - s->end < pa->gap) {
				segment_take(s, ts, number, bytes);
				return;
			}
			s = insert_segment(ft, pa, pa->n_segments);
			segment_take(s, ts, number, bytes);
			enforce_budget(ft);
			return;
		}
	}

	/* lo: the number of segments that start at or before ts */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (pa->segments[mid].start <= ts)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && ts - pa->segments[lo - 1].end < pa->gap) {
		segment_take(&pa->segments[lo - 1], ts, number, bytes);
		merge_segments(ft, pa);
	} else if (lo < pa->n_segments &&
	    pa->segments[lo].start - ts < pa->gap) {
		segment_take(&pa->segments[lo], ts, number, bytes);
		merge_segments(ft, pa);
	} else {
		s = insert_segment(ft, pa, lo);
		segment_take(s, ts, number, bytes);
		enforce_budget(ft);
	}
}

static struct flow_path *
path_for(struct flow *f, const struct fp_packet *p)
{
	struct flow_path *pa;

	unsigned sport = 0, dport = 0;

	if (f->kind == FLOW_ESP && p->udp_encap) {
		sport = p->sport;
		dport = p->dport;
	}
	for (size_t i = 0; i < f->n_paths; i++) {
		pa = &f->paths[i];
		if (pa->interface == p->interface && pa->sport == sport &&
		    pa->dport == dport &&
		    strcmp(pa->src_mac, p->src_mac) == 0 &&
		    strcmp(pa->dst_mac, p->dst_mac) == 0)
			return pa;
	}
	if (f->n_paths < FLOW_MAX_PATHS) {
		pa = &f->paths[f->n_paths++];
		memcpy(pa->src_mac, p->src_mac, sizeof(pa->src_mac));
		memcpy(pa->dst_mac, p->dst_mac, sizeof(pa->dst_mac));
		pa->interface = p->interface;
		pa->sport = sport;
		pa->dport = dport;
		pa->gap = FLOW_FIRST_GAP;
		return pa;
	}
	/* The last path takes every further MAC pair: "*" marks it. */
	pa = &f->paths[FLOW_MAX_PATHS - 1];
	snprintf(pa->src_mac, sizeof(pa->src_mac), "*");
	snprintf(pa->dst_mac, sizeof(pa->dst_mac), "*");
	return pa;
}

static struct flow_anomaly *
note_anomaly(struct flow *f, enum flow_anomaly_kind kind,
    const struct fp_packet *p, uint32_t previous)
{
	size_t same = 0, limit;
	struct flow_anomaly *a;

	limit = kind == FLOW_SEQ_RESTART ? MAX_RESTART_ANOMALIES :
	    MAX_OTHER_ANOMALIES;
	for (size_t i = 0; i < f->n_anomalies; i++)
		if (f->anomalies[i].kind == kind)
			same++;
	if (same >= limit || f->n_anomalies == FLOW_MAX_ANOMALIES) {
		f->anomalies_dropped++;
		return NULL;
	}
	a = &f->anomalies[f->n_anomalies++];
	memset(a, 0, sizeof(*a));
	a->kind = kind;
	a->ts = p->ts;
	a->packet = p->number;
	a->seq = p->seq;
	a->previous = previous;
	a->accepted_ts = FP_TIME_NONE;
	return a;
}

/* The sender's side: gaps, repeats, late packets and restarts. */
static void
sequence_sender(struct flow_state *fs, const struct fp_packet *p)
{
	struct flow *f = &fs->f;
	uint32_t seq = p->seq, behind;
	struct flow_anomaly *a;

	if (seq > fs->send_top) {
		uint32_t ahead = seq - fs->send_top;

		if (ahead > 1) {
			f->seq_gaps++;
			f->seq_missing += ahead - 1;
			note_anomaly(f, FLOW_SEQ_GAP, p, fs->send_top);
		}
		fs->window = ahead >= FLOW_SEQ_WINDOW ? 0 :
		    fs->window << ahead;
		fs->window |= 1;
		fs->send_top = seq;
		return;
	}
	behind = fs->send_top - seq;
	if (behind < FLOW_SEQ_WINDOW) {
		if (fs->window & (UINT64_C(1) << behind)) {
			f->seq_repeats++;
			note_anomaly(f, FLOW_SEQ_REPEAT, p, fs->send_top);
		} else {
			fs->window |= UINT64_C(1) << behind;
			f->seq_late++;
			if (f->seq_missing > 0)
				f->seq_missing--;
			note_anomaly(f, FLOW_SEQ_LATE, p, fs->send_top);
		}
		return;
	}
	if (fs->send_top >= SEQ_WRAP_HIGH && seq < SEQ_WRAP_LOW) {
		/* The low 32 bits of an extended sequence number wrapped. */
		fs->send_top = seq;
		fs->recv_top = seq;
		fs->window = 1;
		return;
	}
	f->seq_restarts++;
	a = note_anomaly(f, FLOW_SEQ_RESTART, p, fs->send_top);
	if (a != NULL)
		a->replay_top = fs->recv_top;
	fs->restart_pending = 1;
	fs->restart_index = a != NULL ? (size_t)(a - f->anomalies) :
	    FLOW_MAX_ANOMALIES;
	fs->send_top = seq;
	fs->window = 1;
}

/*
 * The receiver's side: after a restart, packets up to the highest number
 * ever seen fall behind its anti-replay window, and the first one above
 * it is accepted again.
 */
static void
sequence_receiver(struct flow_state *fs, const struct fp_packet *p)
{
	struct flow *f = &fs->f;
	struct flow_anomaly *a = NULL;

	if (fs->restart_index < FLOW_MAX_ANOMALIES)
		a = &f->anomalies[fs->restart_index];
	if (fs->restart_pending && p->seq > fs->recv_top) {
		/* Every restart still waiting ends at this packet. */
		fs->restart_pending = 0;
		for (size_t i = 0; i < f->n_anomalies; i++) {
			a = &f->anomalies[i];
			if (a->kind == FLOW_SEQ_RESTART &&
			    a->accepted_ts == FP_TIME_NONE) {
				a->accepted_ts = p->ts;
				a->accepted_packet = p->number;
			}
		}
	} else if (fs->restart_pending && a != NULL) {
		a->below++;
	}
	if (p->seq > fs->recv_top)
		fs->recv_top = p->seq;
}

static void
sequence_add(struct flow_state *fs, const struct fp_packet *p)
{
	struct flow *f = &fs->f;

	if (!fs->seq_started) {
		fs->seq_started = 1;
		fs->send_top = fs->recv_top = p->seq;
		fs->window = 1;
		f->seq_first = f->seq_min = f->seq_max = p->seq;
	} else {
		sequence_sender(fs, p);
		sequence_receiver(fs, p);
	}
	f->seq_last = p->seq;
	if (p->seq < f->seq_min)
		f->seq_min = p->seq;
	if (p->seq > f->seq_max)
		f->seq_max = p->seq;
}

/* Echo pairing: a reply whose request this capture contains. */
static void
echo_add(struct flow_table *ft, struct flow_state *fs,
    const struct fp_packet *p)
{
	struct flow key = fs->f;
	struct flow_state *request;
	unsigned seq = (unsigned)p->icmp_seq & 0xffff;

	if (p->icmp_seq < 0)
		return;
	if (p->icmp_type == 8 || p->icmp_type == 128) {
		if (fs->echo_seen == NULL)
			fs->echo_seen = xcalloc(65536 / 8, 1);
		fs->echo_seen[seq / 8] |= (unsigned char)(1u << (seq % 8));
		return;
	}
	memcpy(key.src, fs->f.dst, sizeof(key.src));
	memcpy(key.dst, fs->f.src, sizeof(key.dst));
	key.icmp_type = p->icmp_type == 0 ? 8 : 128;
	request = lookup(ft, &key, 0);
	if (request != NULL && request->echo_seen != NULL &&
	    (request->echo_seen[seq / 8] & (1u << (seq % 8))))
		fs->f.echo_pairs++;
}

static int
keep_row(struct flow_table *ft)
{
	if (ft->rows >= FLOW_MAX_ROWS) {
		ft->stats.rows_dropped++;
		return 0;
	}
	ft->rows++;
	return 1;
}

int
flow_table_add(struct flow_table *ft, const struct fp_packet *p)
{
	struct flow_state *fs;
	struct flow_path *pa;
	struct flow key;
	struct flow *f;

	if (p->proto == FP_PKT_IKE)
		return 1;
	if (!packet_key(p, &key))
		return keep_row(ft);
	if (p->ts == FP_TIME_NONE || p->ts > TIME_LIMIT ||
	    p->ts < -TIME_LIMIT) {
		ft->stats.untimed_packets++;
		return 0;
	}
	if ((fs = lookup(ft, &key, 1)) == NULL) {
		ft->stats.unflowed_packets++;
		return 0;
	}

	f = &fs->f;
	if (f->packets == 0 || p->ts < f->first) {
		f->first = p->ts;
		f->first_packet = p->number;
	}
	if (f->packets == 0 || p->ts >= f->last) {
		f->last = p->ts;
		f->last_packet = p->number;
	}
	f->packets++;
	f->bytes += p->wire_len;
	if (p->ttl > 0) {
		if (f->ttl_min == 0 || p->ttl < f->ttl_min)
			f->ttl_min = p->ttl;
		if (p->ttl > f->ttl_max)
			f->ttl_max = p->ttl;
	}
	if (fs->prev_ts != FP_TIME_NONE && p->ts > fs->prev_ts &&
	    p->ts - fs->prev_ts < SPACING_LIMIT) {
		fs->spacing_sum += p->ts - fs->prev_ts;
		fs->spacing_n++;
		f->spacing = fs->spacing_sum / fs->spacing_n;
	}
	fs->prev_ts = p->ts;

	if (f->kind == FLOW_ESP)
		sequence_add(fs, p);
	else if (f->kind == FLOW_ICMP)
		echo_add(ft, fs, p);

	pa = path_for(f, p);
	pa->packets++;
	pa->bytes += p->wire_len;
	segment_add(ft, pa, p->ts, p->number, p->wire_len);
	return 0;
}
