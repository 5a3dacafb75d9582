/*
 * SA and error counters (see sa_counters.h).  Readings are in time order
 * in the evidence set; a series is the readings of one counter on one
 * host.  A reading lower than the one before means the SA was installed
 * again with the same SPI, so the later value counts from zero.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sa_counters.h"

static int
same_text(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static int
same_series(const struct fp_counter *a, const struct fp_counter *b)
{
	return same_text(a->host, b->host) && same_text(a->name, b->name) &&
	    same_text(a->spi, b->spi) && same_text(a->direction, b->direction) &&
	    same_text(a->conn, b->conn);
}

static int
is_sa(const struct fp_counter *c)
{
	return c->name != NULL && strcmp(c->name, "sa") == 0;
}

/* The reading of the same series just before index i, or NULL. */
static const struct stored_counter *
previous_reading(const struct evidence_set *set, size_t i)
{
	for (size_t k = i; k-- > 0;)
		if (same_series(&set->counters[k].c, &set->counters[i].c))
			return &set->counters[k];
	return NULL;
}

/* Packets between two readings; the later one alone after a reinstall. */
static int64_t
delta(int64_t before, int64_t after)
{
	if (before < 0 || after < 0)
		return -1;
	return after >= before ? after - before : after;
}

static int
direction_on_path(const struct fp_counter *c, const struct traffic_path *p)
{
	const char *from, *to;
	int ab, ba;

	if (p->outer)
		return path_direction(p, c->src, c->dst);
	if (c->local_ts == NULL || c->remote_ts == NULL)
		return 0;
	from = strcmp(c->direction, "in") == 0 ? c->remote_ts : c->local_ts;
	to = strcmp(c->direction, "in") == 0 ? c->local_ts : c->remote_ts;
	ab = (endpoint_is_wildcard(p->a) || address_in_prefixes(p->a, from)) &&
	    address_in_prefixes(p->b, to);
	ba = (endpoint_is_wildcard(p->a) || address_in_prefixes(p->a, to)) &&
	    address_in_prefixes(p->b, from);
	if (ab == ba)
		return 0;
	return ab ? 1 : 2;
}

static void
add_interval(struct derived_samples *out, const struct stored_counter *sc,
    const struct traffic_path *path, int dir, fp_time from, int64_t packets,
    int64_t bytes)
{
	struct fp_sample s;

	memset(&s, 0, sizeof(s));
	s.line = sc->c.line;
	s.source = SOURCE_COUNTERS;
	s.src = dir == 1 ? path->a : path->b;
	s.dst = dir == 1 ? path->b : path->a;
	s.t_start = from;
	s.t_end = sc->c.ts;
	s.offered = -1;
	s.delivered = packets;
	s.lost = -1;
	s.bytes = bytes;
	s.resolution = sc->c.ts - from;
	s.note = packets == 0 ? "the counter did not move" : NULL;
	derived_add(out, &s, sc->file);
}

/*
 * Add a sample per pair of inbound readings.  A series of readings is
 * only as precise as its longest interval, which every sample of a
 * direction states as its resolution.
 *
 * NOTE: like an iperf3 interval, a pair that starts after the failover
 * counts as delivery from its first reading, so MTTR from counters is a
 * lower bound, off by up to the interval between snapshots.
 */
void
counters_derive(const struct evidence_set *set,
    const struct traffic_path *path, struct derived_samples *out)
{
	size_t first = out->n;
	fp_time widest[2] = { 0, 0 };

	for (size_t i = 0; i < set->n_counters; i++) {
		const struct stored_counter *sc = &set->counters[i], *prev;
		const struct fp_counter *c = &sc->c;
		int64_t packets, bytes;
		int dir;

		if (!is_sa(c) || c->direction == NULL ||
		    strcmp(c->direction, "in") != 0 || c->packets < 0)
			continue;
		if ((dir = direction_on_path(c, path)) == 0)
			continue;
		prev = previous_reading(set, i);
		if (prev != NULL && c->packets >= prev->c.packets) {
			packets = c->packets - prev->c.packets;
			bytes = delta(prev->c.bytes, c->bytes);
			add_interval(out, sc, path, dir, prev->c.ts, packets,
			    bytes);
		} else if (c->installed != FP_TIME_NONE &&
		    c->installed < c->ts) {
			/* The first reading of an SA, or one installed again:
			 * its counters start at the installation. */
			add_interval(out, sc, path, dir, c->installed,
			    c->packets, c->bytes);
		}
	}
	for (size_t i = first; i < out->n; i++) {
		int d = strcmp(out->v[i].s.src, path->a) == 0 ? 0 : 1;

		if (out->v[i].s.resolution > widest[d])
			widest[d] = out->v[i].s.resolution;
	}
	for (size_t i = first; i < out->n; i++)
		out->v[i].s.resolution = widest[strcmp(out->v[i].s.src,
		    path->a) == 0 ? 0 : 1];
}

static const char *
error_cause(const char *name)
{
	static const char *const replay[] = { "XfrmInStateSeqError",
	    "replay", "replay-failed" };
	static const char *const invalid[] = { "XfrmInNoStates",
	    "invalid-spi", "invalid-sa" };

	for (size_t i = 0; i < sizeof(replay) / sizeof(replay[0]); i++)
		if (strcasecmp(name, replay[i]) == 0)
			return "replay-window";
	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
		if (strcasecmp(name, invalid[i]) == 0)
			return "spi-mismatch";
	return NULL;
}

size_t
counters_errors(const struct evidence_set *set, fp_time since,
    struct counter_change *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < set->n_counters && n < max; i++) {
		const struct stored_counter *sc = &set->counters[i], *prev;
		const char *cause;
		int64_t d;

		if (is_sa(&sc->c) || sc->c.value < 0 ||
		    (since != FP_TIME_NONE && sc->c.ts <= since))
			continue;
		if ((cause = error_cause(sc->c.name)) == NULL)
			continue;
		prev = previous_reading(set, i);
		/* Without an earlier reading the errors' time is unknown. */
		if (prev == NULL)
			continue;
		d = delta(prev->c.value, sc->c.value);
		if (d <= 0)
			continue;
		out[n].from = prev;
		out[n].to = sc;
		out[n].delta = d;
		out[n].cause = cause;
		n++;
	}
	return n;
}

void
counters_of_unit(const struct evidence_set *set, const char *host,
    fp_time since, struct unit_counters *out)
{
	memset(out, 0, sizeof(*out));
	if (host == NULL)
		return;
	for (size_t i = 0; i < set->n_counters; i++) {
		const struct stored_counter *sc = &set->counters[i], *prev;
		const struct fp_counter *c = &sc->c;
		int moved = 0, in;

		if (!is_sa(c) || c->host == NULL ||
		    strcasecmp(c->host, host) != 0 || c->ts <= since ||
		    c->direction == NULL || c->packets < 0)
			continue;
		out->readings++;
		out->last = sc;
		in = strcmp(c->direction, "in") == 0;
		prev = previous_reading(set, i);
		if (prev != NULL && prev->c.ts > since)
			moved = delta(prev->c.packets, c->packets) > 0;
		else if (c->installed != FP_TIME_NONE && c->installed > since)
			moved = c->packets > 0;
		if (moved && in && out->in_ref == NULL) {
			out->in_moved = 1;
			out->in_ref = sc;
		} else if (moved && !in && out->out_ref == NULL) {
			out->out_moved = 1;
			out->out_ref = sc;
		}
	}
}

size_t
counters_series(const struct evidence_set *set, struct sa_series **out)
{
	struct sa_series *v = NULL;
	size_t n = 0;

	for (size_t i = 0; i < set->n_counters; i++) {
		const struct stored_counter *sc = &set->counters[i];
		struct sa_series *s = NULL;

		if (!is_sa(&sc->c))
			continue;
		for (size_t k = 0; k < n; k++)
			if (same_series(&v[k].first->c, &sc->c))
				s = &v[k];
		if (s == NULL) {
			v = xrealloc(v, (n + 1) * sizeof(*v));
			s = &v[n++];
			memset(s, 0, sizeof(*s));
			s->first = sc;
			s->packets = s->bytes = 0;
		} else {
			int64_t dp = delta(s->last->c.packets, sc->c.packets);
			int64_t db = delta(s->last->c.bytes, sc->c.bytes);

			s->packets = dp < 0 || s->packets < 0 ? -1 :
			    s->packets + dp;
			s->bytes = db < 0 || s->bytes < 0 ? -1 : s->bytes + db;
		}
		s->last = sc;
		s->readings++;
	}
	*out = v;
	return n;
}
