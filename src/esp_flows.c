/*
 * ESP flows around the failover (see esp_flows.h).  A flow's segments are
 * cut into pieces at the failover and at the bounds of every drop and of
 * the receiver's activity.  Each piece is delivered, dropped for a known
 * reason, or unanswered.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "esp_flows.h"

/* Events closer than this to a packet count as about it: a log line and
 * a capture taken on one host share its clock, up to the time it takes
 * to write the line. */
#define LOG_TOLERANCE		100000
/* Packets in flight when an SA is deleted still arrive this long after. */
#define DELETE_GRACE		1000000
/* ESP sent this long to a unit that sent no ESP back is a dead SPI. */
#define DEAD_SPI_MIN		1000000
/* How long a unit counts as alive after its last ESP. */
#define ALIVE_MIN		1000000
#define OPEN_END		INT64_MAX

struct interval {
	fp_time from;
	fp_time to;
	long packet;		/* the packet that starts it, 0 when none */
};

struct ivset {
	size_t n;
	size_t cap;
	struct interval *v;	/* sorted, disjoint */
};

static void
ivset_add(struct ivset *s, fp_time from, fp_time to, long packet)
{
	size_t i = 0, k;

	while (i < s->n && s->v[i].to < from)
		i++;
	k = i;
	while (k < s->n && s->v[k].from <= to) {
		if (s->v[k].from < from) {
			from = s->v[k].from;
			packet = s->v[k].packet;
		}
		if (s->v[k].to > to)
			to = s->v[k].to;
		k++;
	}
	if (k == i) {
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 8;
			s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
		}
		memmove(&s->v[i + 1], &s->v[i], (s->n - i) * sizeof(*s->v));
		s->n++;
	} else if (k > i + 1) {
		memmove(&s->v[i + 1], &s->v[k], (s->n - k) * sizeof(*s->v));
		s->n -= k - i - 1;
	}
	s->v[i].from = from;
	s->v[i].to = to;
	s->v[i].packet = packet;
}

static int
ivset_contains(const struct ivset *s, fp_time t)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (s->v[mid].to < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && s->v[lo].from <= t;
}

/* The activity of a receiver after the failover, cached by capture. */
struct alive {
	const char *file;
	const char *address;
	const char *mac;
	struct ivset set;
};

struct esp_ctx {
	const struct evidence_set *set;
	fp_time failover;
	size_t n_alive;
	struct alive *alive;
	size_t n_own;
	const char **own_file;
	const char **own;
};

static const char *
own_address(struct esp_ctx *ec, const char *file)
{
	for (size_t i = 0; i < ec->n_own; i++)
		if (strcmp(ec->own_file[i], file) == 0)
			return ec->own[i];
	ec->own_file = xrealloc(ec->own_file,
	    (ec->n_own + 1) * sizeof(*ec->own_file));
	ec->own = xrealloc(ec->own, (ec->n_own + 1) * sizeof(*ec->own));
	ec->own_file[ec->n_own] = file;
	ec->own[ec->n_own] = capture_own_address(ec->set, file);
	return ec->own[ec->n_own++];
}

/*
 * When the unit at address (and mac) sent ESP after the failover in this
 * capture: each of its segments, kept alive ALIVE_MIN (or three packet
 * spacings) past its end.
 */
static const struct ivset *
alive_of(struct esp_ctx *ec, const char *file, const char *address,
    const char *mac)
{
	struct alive *a;

	for (size_t i = 0; i < ec->n_alive; i++) {
		a = &ec->alive[i];
		if (strcmp(a->file, file) == 0 &&
		    strcmp(a->address, address) == 0 &&
		    strcmp(a->mac, mac) == 0)
			return &a->set;
	}
	ec->alive = xrealloc(ec->alive, (ec->n_alive + 1) * sizeof(*ec->alive));
	a = &ec->alive[ec->n_alive++];
	memset(a, 0, sizeof(*a));
	a->file = file;
	a->address = address;
	a->mac = mac;
	for (size_t i = 0; i < ec->set->n_flows; i++) {
		const struct stored_flow *sf = &ec->set->flows[i];
		fp_time keep = 3 * sf->f.spacing;

		if (sf->f.kind != FLOW_ESP || strcmp(sf->file, file) != 0 ||
		    strcmp(sf->f.src, address) != 0)
			continue;
		if (keep < ALIVE_MIN)
			keep = ALIVE_MIN;
		for (size_t k = 0; k < sf->f.n_paths; k++) {
			const struct flow_path *pa = &sf->f.paths[k];

			if (strcmp(pa->src_mac, mac) != 0)
				continue;
			for (size_t g = 0; g < pa->n_segments; g++) {
				const struct flow_segment *sg = &pa->segments[g];

				if (sg->end < ec->failover)
					continue;
				if (sg->start > ec->failover)
					ivset_add(&a->set, sg->start,
					    sg->end + keep, sg->first_packet);
				else
					ivset_add(&a->set, ec->failover,
					    sg->end + keep, sg->last_packet);
			}
		}
	}
	return &a->set;
}

static void
ctx_release(struct esp_ctx *ec)
{
	for (size_t i = 0; i < ec->n_alive; i++)
		free(ec->alive[i].set.v);
	free(ec->alive);
	free(ec->own_file);
	free(ec->own);
}

const char *
esp_flag_id(enum esp_flag_kind kind)
{
	switch (kind) {
	case ESP_SEQ_RESTART:
		return "seq-restart";
	case ESP_REPLAY_LOGGED:
		return "replay-logged";
	case ESP_INVALID_LOGGED:
		return "invalid-spi-logged";
	case ESP_DEAD_SPI:
		return "dead-spi";
	case ESP_AFTER_DELETE:
		return "after-delete";
	case ESP_NOT_NEGOTIATED:
		return "not-negotiated";
	case ESP_NAT_CHANGE:
		return "nat-change";
	}
	return "?";
}

static int
event_kind_is(const struct stored_event *se, const char *kind)
{
	return se->e.kind != NULL && strcmp(se->e.kind, kind) == 0;
}

static int
spi_is(const char *text, const char *hex)
{
	return text != NULL && strcasecmp(text, hex) == 0;
}

static struct esp_flag *
add_flag(struct esp_judgement *j, enum esp_flag_kind kind, fp_time from,
    fp_time to, long packet)
{
	struct esp_flag *fl;

	if (j->n_flags == ESP_MAX_FLAGS)
		return NULL;
	fl = &j->flags[j->n_flags++];
	memset(fl, 0, sizeof(*fl));
	fl->kind = kind;
	fl->from = from;
	fl->to = to;
	fl->packet = packet;
	fl->packets = -1;
	return fl;
}

/* Restarts of the sequence numbers: anti-replay drops until accepted. */
static void
flag_restarts(struct esp_ctx *ec, struct esp_judgement *j)
{
	const struct flow *f = &j->sf->f;

	for (size_t i = 0; i < f->n_anomalies; i++) {
		const struct flow_anomaly *a = &f->anomalies[i];
		struct esp_flag *fl;

		if (a->kind != FLOW_SEQ_RESTART)
			continue;
		fl = add_flag(j, ESP_SEQ_RESTART, a->ts, a->accepted_ts,
		    a->packet);
		if (fl == NULL)
			return;
		fl->packets = a->below;
		fl->after_failover = ec->failover != FP_TIME_NONE &&
		    a->ts > ec->failover && f->first < ec->failover;
	}
}

/* Drops that the receiver logged for the SPI, and deletions. */
static void
flag_events(struct esp_ctx *ec, struct esp_judgement *j)
{
	const struct evidence_set *set = ec->set;
	const struct stored_event *first[2] = { NULL, NULL };
	const struct stored_event *deleted = NULL;
	fp_time last[2] = { 0, 0 };
	long count[2] = { 0, 0 };
	char hex[9];

	spi_hex(j->sf->f.spi, hex);
	for (size_t i = 0; i < set->n_events; i++) {
		const struct stored_event *se = &set->events[i];
		int k = event_kind_is(se, "replay_check_failed") ? 0 :
		    event_kind_is(se, "invalid_spi") ? 1 : -1;

		if (k >= 0 && spi_is(se->e.spi_in, hex)) {
			if (first[k] == NULL)
				first[k] = se;
			last[k] = se->e.ts;
			count[k]++;
		}
		if (deleted == NULL && event_kind_is(se, "child_sa_deleted") &&
		    (spi_is(se->e.spi_in, hex) || spi_is(se->e.spi_out, hex)))
			deleted = se;
	}
	for (int k = 0; k < 2; k++) {
		struct esp_flag *fl;

		if (first[k] == NULL)
			continue;
		fl = add_flag(j, k == 0 ? ESP_REPLAY_LOGGED :
		    ESP_INVALID_LOGGED, first[k]->e.ts - LOG_TOLERANCE,
		    last[k] + LOG_TOLERANCE, 0);
		if (fl == NULL)
			return;
		fl->event = first[k];
		fl->packets = count[k];
		fl->after_failover = ec->failover != FP_TIME_NONE &&
		    first[k]->e.ts > ec->failover;
	}
	if (deleted != NULL && j->sf->f.last > deleted->e.ts + DELETE_GRACE) {
		struct esp_flag *fl = add_flag(j, ESP_AFTER_DELETE,
		    deleted->e.ts + DELETE_GRACE, FP_TIME_NONE,
		    j->sf->f.last_packet);

		if (fl != NULL) {
			fl->event = deleted;
			fl->after_failover = ec->failover != FP_TIME_NONE &&
			    deleted->e.ts > ec->failover;
		}
	}
}

/* An SPI that no CHILD SA of the logs has, when the logs name SPIs. */
static void
flag_negotiated(struct esp_ctx *ec, struct esp_judgement *j)
{
	const struct evidence_set *set = ec->set;
	int named = 0;
	char hex[9];
	struct esp_flag *fl;

	spi_hex(j->sf->f.spi, hex);
	for (size_t i = 0; i < set->n_events; i++) {
		const struct stored_event *se = &set->events[i];

		if (!event_kind_is(se, "child_sa_established") &&
		    !event_kind_is(se, "child_sa_rekeyed"))
			continue;
		if (se->e.spi_in == NULL && se->e.spi_out == NULL)
			continue;
		named = 1;
		if (spi_is(se->e.spi_in, hex) || spi_is(se->e.spi_out, hex))
			return;
	}
	if (!named)
		return;
	fl = add_flag(j, ESP_NOT_NEGOTIATED, j->sf->f.first, j->sf->f.last,
	    j->sf->f.first_packet);
	if (fl != NULL) {
		fl->packets = j->sf->f.packets;
		fl->after_failover = ec->failover != FP_TIME_NONE &&
		    j->sf->f.first > ec->failover;
	}
}

/* Packets of a flow a drop reason covers: [from, to) intervals. */
static size_t
drops_of(const struct esp_judgement *j, struct interval *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < j->n_flags && n < max; i++) {
		const struct esp_flag *fl = &j->flags[i];

		if (fl->kind == ESP_NOT_NEGOTIATED ||
		    fl->kind == ESP_DEAD_SPI || fl->kind == ESP_NAT_CHANGE)
			continue;
		out[n].from = fl->from;
		out[n].to = fl->to == FP_TIME_NONE ? OPEN_END :
		    fl->kind == ESP_SEQ_RESTART ? fl->to : fl->to + 1;
		out[n].packet = fl->packet;
		n++;
	}
	return n;
}

struct piece {
	fp_time from;
	fp_time to;
	long packet;		/* a packet of the piece or just after it */
	int64_t packets;	/* estimated from the segment's rate */
	int64_t bytes;
	int dropped;		/* a drop reason covers it */
	int unanswered;		/* the receiver sent no ESP since failover */
};

typedef void (*piece_fn)(void *arg, const struct piece *pc);

static int
time_cmp(const void *a, const void *b)
{
	fp_time x = *(const fp_time *)a, y = *(const fp_time *)b;

	return x < y ? -1 : x > y;
}

static int
in_drops(const struct interval *drops, size_t n, fp_time t)
{
	for (size_t i = 0; i < n; i++)
		if (drops[i].from <= t && t < drops[i].to)
			return 1;
	return 0;
}

/*
 * A packet to cite for a piece that starts at t: the segment's first
 * packet, the sequence-number event's, or the receiver's first ESP when
 * the piece starts because the receiver came alive.  Inside a run of
 * packets the segment's last packet, at or after the piece, is cited.
 */
static long
piece_packet(const struct flow *f, const struct flow_segment *sg, fp_time t,
    const struct ivset *alive)
{
	if (t == sg->start)
		return sg->first_packet;
	for (size_t i = 0; i < f->n_anomalies; i++) {
		if (f->anomalies[i].ts == t)
			return f->anomalies[i].packet;
		if (f->anomalies[i].kind == FLOW_SEQ_RESTART &&
		    f->anomalies[i].accepted_ts == t)
			return f->anomalies[i].accepted_packet;
	}
	for (size_t i = 0; alive != NULL && i < alive->n; i++)
		if (alive->v[i].from == t && alive->v[i].packet > 0)
			return alive->v[i].packet;
	return sg->last_packet;
}

/* Times inside a segment where a piece ends: its bounds, the failover,
 * and the bounds of the drops and of the receiver's activity. */
static size_t
segment_cuts(const struct esp_ctx *ec, const struct flow_segment *sg,
    const struct interval *drops, size_t n_drops, const struct ivset *alive,
    fp_time **cuts, size_t *cap)
{
	size_t n = 0, need = 3 + 2 * n_drops, first = 0;

	if (alive != NULL) {
		/* The activity intervals that overlap the segment. */
		size_t lo = 0, hi = alive->n;

		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (alive->v[mid].to < sg->start)
				lo = mid + 1;
			else
				hi = mid;
		}
		first = lo;
		for (size_t i = lo; i < alive->n &&
		    alive->v[i].from <= sg->end; i++)
			need += 2;
	}
	if (need > *cap) {
		*cap = need;
		*cuts = xrealloc(*cuts, *cap * sizeof(**cuts));
	}
	(*cuts)[n++] = sg->start;
	(*cuts)[n++] = sg->end;
	if (ec->failover > sg->start && ec->failover < sg->end)
		(*cuts)[n++] = ec->failover;
	for (size_t i = 0; i < n_drops; i++) {
		if (drops[i].from > sg->start && drops[i].from < sg->end)
			(*cuts)[n++] = drops[i].from;
		if (drops[i].to > sg->start && drops[i].to < sg->end)
			(*cuts)[n++] = drops[i].to;
	}
	for (size_t i = first; alive != NULL && i < alive->n &&
	    alive->v[i].from <= sg->end; i++) {
		if (alive->v[i].from > sg->start)
			(*cuts)[n++] = alive->v[i].from;
		if (alive->v[i].to < sg->end)
			(*cuts)[n++] = alive->v[i].to;
	}
	fp_qsort(*cuts, n, sizeof(**cuts), time_cmp);
	return n;
}

/*
 * Cut each segment of a path at the failover and at the bounds of the
 * drops and of the receiver's activity, and call fn for each piece.  A
 * piece's packets are estimated from its segment's rate.
 */
static void
walk_pieces(struct esp_ctx *ec, const struct stored_flow *sf,
    const struct flow_path *pa, const struct interval *drops, size_t n_drops,
    const struct ivset *alive, piece_fn fn, void *arg)
{
	fp_time *cuts = NULL;
	size_t cap = 0;

	for (size_t g = 0; g < pa->n_segments; g++) {
		const struct flow_segment *sg = &pa->segments[g];
		fp_time span = sg->end - sg->start;
		size_t n;

		n = segment_cuts(ec, sg, drops, n_drops, alive, &cuts, &cap);
		for (size_t i = 0; i + 1 < n; i++) {
			struct piece pc;
			fp_time mid;

			memset(&pc, 0, sizeof(pc));
			pc.from = cuts[i];
			pc.to = cuts[i + 1];
			if (pc.to == pc.from && span > 0)
				continue;
			mid = pc.from + (pc.to - pc.from) / 2;
			pc.packets = span > 0 ? (sg->packets * (pc.to -
			    pc.from) + span / 2) / span : sg->packets;
			if (pc.packets < 1)
				pc.packets = 1;
			pc.bytes = sg->packets > 0 ?
			    sg->bytes * pc.packets / sg->packets : 0;
			pc.packet = piece_packet(&sf->f, sg, pc.from, alive);
			pc.dropped = in_drops(drops, n_drops, mid);
			pc.unanswered = alive != NULL &&
			    ec->failover != FP_TIME_NONE &&
			    mid >= ec->failover && !ivset_contains(alive, mid);
			fn(arg, &pc);
			if (span == 0)
				break;
		}
	}
	free(cuts);
}

/* The receiver's activity, or NULL when every packet reached it. */
static const struct ivset *
receiver_alive(struct esp_ctx *ec, const struct stored_flow *sf,
    const struct flow_path *pa)
{
	const char *own = own_address(ec, sf->file);

	if (ec->failover == FP_TIME_NONE ||
	    (own != NULL && strcmp(own, sf->f.dst) == 0))
		return NULL;
	return alive_of(ec, sf->file, sf->f.dst, pa->dst_mac);
}

/* The MAC the latest ESP to address went to, in one capture. */
static const char *
current_unit(struct esp_ctx *ec, const char *file, const char *address)
{
	const char *mac = NULL;
	fp_time latest = FP_TIME_NONE;

	for (size_t i = 0; i < ec->set->n_flows; i++) {
		const struct stored_flow *sf = &ec->set->flows[i];

		if (sf->f.kind != FLOW_ESP || strcmp(sf->file, file) != 0)
			continue;
		for (size_t k = 0; k < sf->f.n_paths; k++) {
			const struct flow_path *pa = &sf->f.paths[k];
			fp_time end;

			if (pa->n_segments == 0)
				continue;
			end = pa->segments[pa->n_segments - 1].end;
			if (strcmp(sf->f.dst, address) == 0 && end > latest) {
				latest = end;
				mac = pa->dst_mac;
			}
			if (strcmp(sf->f.src, address) == 0 && end > latest) {
				latest = end;
				mac = pa->src_mac;
			}
		}
	}
	return mac;
}

struct dead_scan {
	fp_time from;
	fp_time to;
	long packet;
	int64_t packets;
};

static void
dead_piece(void *arg, const struct piece *pc)
{
	struct dead_scan *d = arg;

	if (!pc->unanswered || pc->dropped)
		return;
	if (d->from == FP_TIME_NONE) {
		d->from = pc->from;
		d->packet = pc->packet;
	}
	d->to = pc->to;
	d->packets += pc->packets;
}

/* ESP to the unit now at the address, which never sent ESP back. */
static void
flag_dead_spi(struct esp_ctx *ec, struct esp_judgement *j)
{
	const struct stored_flow *sf = j->sf;
	struct interval drops[ESP_MAX_FLAGS];
	size_t n_drops = drops_of(j, drops, ESP_MAX_FLAGS);
	const char *unit;
	struct dead_scan d = { FP_TIME_NONE, FP_TIME_NONE, 0, 0 };
	struct esp_flag *fl;

	if (ec->failover == FP_TIME_NONE || sf->f.last <= ec->failover)
		return;
	unit = current_unit(ec, sf->file, sf->f.dst);
	for (size_t k = 0; k < sf->f.n_paths; k++) {
		const struct flow_path *pa = &sf->f.paths[k];
		const struct ivset *alive = receiver_alive(ec, sf, pa);

		if (alive == NULL || unit == NULL ||
		    strcmp(pa->dst_mac, unit) != 0)
			continue;
		walk_pieces(ec, sf, pa, drops, n_drops, alive, dead_piece, &d);
	}
	if (d.from == FP_TIME_NONE || d.to - d.from < DEAD_SPI_MIN)
		return;
	fl = add_flag(j, ESP_DEAD_SPI, d.from, d.to, d.packet);
	if (fl != NULL) {
		fl->packets = d.packets;
		fl->after_failover = 1;
	}
}

static int
path_before(const struct flow_path *pa, fp_time t)
{
	return pa->n_segments > 0 && pa->segments[0].start < t;
}

/* The first segment of a path that starts after t, or NULL. */
static const struct flow_segment *
segment_after(const struct flow_path *pa, fp_time t)
{
	for (size_t i = 0; i < pa->n_segments; i++)
		if (pa->segments[i].start > t)
			return &pa->segments[i];
	return NULL;
}

static void
flag_nat_change(struct esp_judgement *j, const struct flow_segment *sg)
{
	struct esp_flag *fl = add_flag(j, ESP_NAT_CHANGE, sg->start,
	    FP_TIME_NONE, sg->first_packet);

	if (fl != NULL)
		fl->after_failover = 1;
}

/*
 * A NAT binding that changed at the failover: the SPI's ESP in UDP uses
 * ports after it that it never used before it, or an SPI that came from
 * one address before the failover comes from another after it.
 */
static void
flag_nat(struct esp_ctx *ec, struct esp_judgement *j)
{
	const struct stored_flow *sf = j->sf;
	const struct flow *f = &sf->f;

	if (ec->failover == FP_TIME_NONE || !f->udp_encap)
		return;
	for (size_t k = 0; k < f->n_paths; k++) {
		const struct flow_path *pa = &f->paths[k];
		const struct flow_segment *sg = segment_after(pa,
		    ec->failover);
		int known = 0, before = 0;

		if (sg == NULL || path_before(pa, ec->failover))
			continue;
		for (size_t b = 0; b < f->n_paths; b++) {
			const struct flow_path *pb = &f->paths[b];

			if (!path_before(pb, ec->failover))
				continue;
			before = 1;
			if (pb->sport == pa->sport && pb->dport == pa->dport)
				known = 1;
		}
		if (before && !known) {
			flag_nat_change(j, sg);
			return;
		}
	}
	if (f->first <= ec->failover)
		return;
	for (size_t i = 0; i < ec->set->n_flows; i++) {
		const struct stored_flow *o = &ec->set->flows[i];

		if (o == sf || o->f.kind != FLOW_ESP || o->f.spi != f->spi ||
		    strcmp(o->file, sf->file) != 0 ||
		    strcmp(o->f.dst, f->dst) != 0 ||
		    strcmp(o->f.src, f->src) == 0 || o->f.first >= ec->failover)
			continue;
		for (size_t k = 0; k < f->n_paths; k++) {
			const struct flow_segment *sg = segment_after(
			    &f->paths[k], ec->failover);

			if (sg != NULL) {
				flag_nat_change(j, sg);
				return;
			}
		}
	}
}

void
esp_analyse(const struct evidence_set *set, fp_time failover,
    struct esp_analysis *out)
{
	struct esp_ctx ec = { set, failover, 0, NULL, 0, NULL, NULL };

	memset(out, 0, sizeof(*out));
	out->failover = failover;
	for (size_t i = 0; i < set->n_flows; i++)
		if (set->flows[i].f.kind == FLOW_ESP)
			out->n++;
	out->v = xcalloc(out->n + 1, sizeof(*out->v));
	out->n = 0;
	for (size_t i = 0; i < set->n_flows; i++) {
		struct esp_judgement *j;

		if (set->flows[i].f.kind != FLOW_ESP)
			continue;
		j = &out->v[out->n++];
		j->sf = &set->flows[i];
		flag_restarts(&ec, j);
		flag_events(&ec, j);
		flag_negotiated(&ec, j);
		flag_dead_spi(&ec, j);
		flag_nat(&ec, j);
	}
	ctx_release(&ec);
}

void
esp_analysis_release(struct esp_analysis *ea)
{
	free(ea->v);
	memset(ea, 0, sizeof(*ea));
}

char *
esp_flag_text(const struct esp_judgement *j, const struct esp_flag *fl)
{
	const struct flow *f = &j->sf->f;
	char hex[9], from[FP_TIME_STRLEN], to[FP_TIME_STRLEN];

	spi_hex(f->spi, hex);
	fp_time_format_ms(fl->from, from, sizeof(from));
	if (fl->to != FP_TIME_NONE)
		fp_time_format_ms(fl->to, to, sizeof(to));
	switch (fl->kind) {
	case ESP_SEQ_RESTART:
		return xasprintf("ESP sequence numbers of SPI %s (%s -> %s) "
		    "restarted at %s: the receiver's anti-replay check drops "
		    "%lld packets up to the highest number it had seen%s%s",
		    hex, f->src, f->dst, from, (long long)fl->packets,
		    fl->to == FP_TIME_NONE ? ", until the end of the capture" :
		    ", until ", fl->to == FP_TIME_NONE ? "" : to);
	case ESP_REPLAY_LOGGED:
		return xasprintf("the receiver logged %lld anti-replay drops "
		    "for SPI %s from %s", (long long)fl->packets, hex, from);
	case ESP_INVALID_LOGGED:
		return xasprintf("the receiver logged %lld packets for SPI %s, "
		    "which it does not have, from %s", (long long)fl->packets,
		    hex, from);
	case ESP_DEAD_SPI:
		return xasprintf("ESP for SPI %s went to %s from %s to %s "
		    "(about %lld packets) while that unit sent no ESP: it "
		    "holds no SA for the SPI", hex, f->dst, from, to,
		    (long long)fl->packets);
	case ESP_AFTER_DELETE:
		return xasprintf("ESP for SPI %s continued after its SA was "
		    "deleted (from %s)", hex, from);
	case ESP_NOT_NEGOTIATED:
		return xasprintf("no CHILD SA in the logs has SPI %s (%lld "
		    "packets from %s -> %s)", hex, (long long)fl->packets,
		    f->src, f->dst);
	case ESP_NAT_CHANGE:
		return xasprintf("after the failover ESP for SPI %s (%s -> %s) "
		    "comes on UDP ports or from an address it did not use "
		    "before, from %s: a NAT mapped it anew", hex, f->src,
		    f->dst, from);
	}
	return xstrdup("?");
}

/* The counters' traffic selectors of an SPI: the direction it carries. */
static int
direction_by_counters(const struct evidence_set *set, const char *hex,
    const struct traffic_path *path)
{
	for (size_t i = 0; i < set->n_counters; i++) {
		const struct fp_counter *c = &set->counters[i].c;
		const char *from, *to;
		int ab, ba;

		if (!spi_is(c->spi, hex) || c->direction == NULL ||
		    c->local_ts == NULL || c->remote_ts == NULL)
			continue;
		from = strcmp(c->direction, "in") == 0 ? c->remote_ts :
		    c->local_ts;
		to = strcmp(c->direction, "in") == 0 ? c->local_ts :
		    c->remote_ts;
		ab = (endpoint_is_wildcard(path->a) ||
		    address_in_prefixes(path->a, from)) &&
		    address_in_prefixes(path->b, to);
		ba = (endpoint_is_wildcard(path->a) ||
		    address_in_prefixes(path->a, to)) &&
		    address_in_prefixes(path->b, from);
		if (ab != ba)
			return ab ? 1 : 2;
	}
	return 0;
}

/* The side of the capture host the path's endpoints are on. */
static int
direction_by_sides(const struct evidence_set *set,
    const struct stored_flow *sf, const struct traffic_path *path)
{
	struct capture_sides cs;
	const char *own;
	int into, a_far, a_near, b_far, b_near, dir = 0;

	if (sf->capture_host == NULL)
		return 0;
	own = capture_own_address(set, sf->file);
	if (own == NULL)
		return 0;
	if (strcmp(sf->f.dst, own) == 0)
		into = 1;
	else if (strcmp(sf->f.src, own) == 0)
		into = 0;
	else
		return 0;
	capture_sides_find(set, sf->capture_host, &cs);
	a_far = !endpoint_is_wildcard(path->a) &&
	    capture_sides_has(cs.far, cs.n_far, path->a);
	a_near = !endpoint_is_wildcard(path->a) &&
	    capture_sides_has(cs.near, cs.n_near, path->a);
	b_far = capture_sides_has(cs.far, cs.n_far, path->b);
	b_near = capture_sides_has(cs.near, cs.n_near, path->b);
	/* a -> b goes into the capture host when a is far or b is near. */
	if ((a_far || b_near) && !a_near && !b_far)
		dir = into ? 1 : 2;
	else if ((a_near || b_far) && !a_far && !b_near)
		dir = into ? 2 : 1;
	capture_sides_release(&cs);
	return dir;
}

int
esp_flow_direction(const struct evidence_set *set,
    const struct stored_flow *sf, const struct traffic_path *path)
{
	char hex[9];
	int dir;

	if (path->outer)
		return path_direction(path, sf->f.src, sf->f.dst);
	spi_hex(sf->f.spi, hex);
	if ((dir = direction_by_counters(set, hex, path)) != 0)
		return dir;
	return direction_by_sides(set, sf, path);
}

struct derive_arg {
	struct derived_samples *out;
	const struct stored_flow *sf;
	const char *src;
	const char *dst;
	fp_time resolution;
};

static void
derive_piece(void *arg, const struct piece *pc)
{
	struct derive_arg *d = arg;
	struct fp_sample s;
	int delivered = !pc->dropped && !pc->unanswered;

	memset(&s, 0, sizeof(s));
	s.line = pc->packet;
	s.source = SOURCE_ESP;
	s.src = d->src;
	s.dst = d->dst;
	s.t_start = pc->from;
	s.t_end = pc->to;
	s.offered = pc->packets;
	s.delivered = delivered ? pc->packets : 0;
	s.lost = delivered ? 0 : pc->packets;
	s.bytes = delivered ? pc->bytes : 0;
	s.resolution = d->resolution;
	s.note = pc->dropped ? "dropped: a drop reason is known" :
	    pc->unanswered ? "not answered by the receiver" : NULL;
	derived_add(d->out, &s, d->sf->file);
}

void
esp_derive(const struct evidence_set *set, const struct esp_analysis *ea,
    const struct traffic_path *path, struct derived_samples *out)
{
	struct esp_ctx ec = { set, ea->failover, 0, NULL, 0, NULL, NULL };
	fp_time resolution[2] = { 0, 0 };
	int64_t busiest[2] = { 0, 0 };
	size_t first = out->n;
	int *dirs = xcalloc(ea->n + 1, sizeof(*dirs));

	/* A direction's resolution: the packet spacing of its busiest SPI. */
	for (size_t i = 0; i < ea->n; i++) {
		const struct flow *f = &ea->v[i].sf->f;

		dirs[i] = esp_flow_direction(set, ea->v[i].sf, path);
		if (dirs[i] != 0 && f->spacing > 0 &&
		    f->packets > busiest[dirs[i] - 1]) {
			busiest[dirs[i] - 1] = f->packets;
			resolution[dirs[i] - 1] = f->spacing;
		}
	}
	for (size_t i = 0; i < ea->n; i++) {
		const struct esp_judgement *j = &ea->v[i];
		struct interval drops[ESP_MAX_FLAGS];
		size_t n_drops = drops_of(j, drops, ESP_MAX_FLAGS);
		struct derive_arg d;

		if (dirs[i] == 0)
			continue;
		d.out = out;
		d.sf = j->sf;
		d.src = dirs[i] == 1 ? path->a : path->b;
		d.dst = dirs[i] == 1 ? path->b : path->a;
		d.resolution = resolution[dirs[i] - 1] > 0 ?
		    resolution[dirs[i] - 1] : FLOW_FIRST_GAP;
		for (size_t k = 0; k < j->sf->f.n_paths; k++) {
			const struct flow_path *pa = &j->sf->f.paths[k];

			walk_pieces(&ec, j->sf, pa, drops, n_drops,
			    receiver_alive(&ec, j->sf, pa), derive_piece, &d);
		}
	}
	free(dirs);
	ctx_release(&ec);
	derived_add_silences(out, first, ea->failover);
}

size_t
esp_units_after(const struct evidence_set *set, fp_time since,
    struct esp_units *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < set->n_files && n < max; i++) {
		const char *file = set->files[i].name;
		const char *own = capture_own_address(set, file);
		struct esp_units *u = &out[n];
		fp_time to_t = FP_TIME_NONE, from_t = FP_TIME_NONE;

		if (own == NULL)
			continue;
		memset(u, 0, sizeof(*u));
		u->file = file;
		for (size_t k = 0; k < set->n_flows; k++) {
			const struct stored_flow *sf = &set->flows[k];
			int to = strcmp(sf->f.src, own) == 0;

			if (sf->f.kind != FLOW_ESP ||
			    strcmp(sf->file, file) != 0 ||
			    (!to && strcmp(sf->f.dst, own) != 0))
				continue;
			for (size_t p = 0; p < sf->f.n_paths; p++) {
				const struct flow_path *pa = &sf->f.paths[p];
				const struct flow_segment *last;

				if (pa->n_segments == 0)
					continue;
				last = &pa->segments[pa->n_segments - 1];
				if (last->end <= since)
					continue;
				if (to && last->end > to_t) {
					to_t = last->end;
					u->address = sf->f.dst;
					snprintf(u->to_mac, sizeof(u->to_mac),
					    "%s", pa->dst_mac);
					u->to_packet = last->last_packet;
				} else if (!to && last->end > from_t) {
					from_t = last->end;
					snprintf(u->from_mac,
					    sizeof(u->from_mac), "%s",
					    pa->src_mac);
					u->from_packet = last->last_packet;
				}
			}
		}
		if (to_t != FP_TIME_NONE && from_t != FP_TIME_NONE)
			n++;
	}
	return n;
}
