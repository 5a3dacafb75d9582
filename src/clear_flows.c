/*
 * Clear-side flows as traffic samples (see clear_flows.h), and the choice
 * of the measured path when no harness named one.
 */
#include <stdlib.h>
#include <string.h>

#include "clear_flows.h"

/* An echo reply that crossed, whose request this capture contains. */
static int
proves_round_trip(const struct flow *f)
{
	return f->kind == FLOW_ICMP && (f->icmp_type == 0 ||
	    f->icmp_type == 129) && f->echo_pairs > 0;
}

static void
add_piece(struct derived_samples *out, const struct stored_flow *sf,
    const struct traffic_path *path, int dir, fp_time from, fp_time to,
    long packet, int64_t packets, int64_t bytes, fp_time resolution)
{
	struct fp_sample s;

	memset(&s, 0, sizeof(s));
	s.line = packet;
	s.source = SOURCE_CLEAR;
	s.src = dir == 1 ? path->a : path->b;
	s.dst = dir == 1 ? path->b : path->a;
	s.both_directions = proves_round_trip(&sf->f);
	s.t_start = from;
	s.t_end = to;
	s.offered = packets;
	s.delivered = packets;
	s.lost = 0;
	s.bytes = bytes;
	s.resolution = resolution;
	derived_add(out, &s, sf->file);
}

/* One segment, cut at the failover so that neither side claims it. */
static void
add_segment(struct derived_samples *out, const struct stored_flow *sf,
    const struct traffic_path *path, int dir, const struct flow_segment *sg,
    fp_time failover, fp_time resolution)
{
	fp_time span = sg->end - sg->start;
	int64_t before;

	if (failover == FP_TIME_NONE || failover <= sg->start ||
	    failover >= sg->end) {
		add_piece(out, sf, path, dir, sg->start, sg->end,
		    sg->first_packet, sg->packets, sg->bytes, resolution);
		return;
	}
	before = (sg->packets * (failover - sg->start) + span / 2) / span;
	if (before < 1)
		before = 1;
	if (before >= sg->packets)
		before = sg->packets > 1 ? sg->packets - 1 : 1;
	add_piece(out, sf, path, dir, sg->start, failover, sg->first_packet,
	    before, sg->bytes * before / sg->packets, resolution);
	add_piece(out, sf, path, dir, failover, sg->end, sg->last_packet,
	    sg->packets - before > 0 ? sg->packets - before : 1,
	    sg->bytes - sg->bytes * before / sg->packets, resolution);
}

void
clear_derive(const struct evidence_set *set, fp_time failover,
    const struct traffic_path *path, struct derived_samples *out)
{
	fp_time resolution[2] = { 0, 0 };
	int64_t busiest[2] = { 0, 0 };
	size_t first = out->n;
	int *dirs;

	if (path->outer)
		return;
	dirs = xcalloc(set->n_flows + 1, sizeof(*dirs));
	/* A direction's resolution: the packet spacing of its busiest flow. */
	for (size_t i = 0; i < set->n_flows; i++) {
		const struct stored_flow *sf = &set->flows[i];
		int d;

		if (sf->f.kind == FLOW_ESP ||
		    clear_flow_crossed(set, sf) != 1)
			continue;
		d = path_direction(path, sf->f.src, sf->f.dst);
		dirs[i] = d;
		if (d != 0 && sf->f.spacing > 0 &&
		    sf->f.packets > busiest[d - 1]) {
			busiest[d - 1] = sf->f.packets;
			resolution[d - 1] = sf->f.spacing;
		}
	}
	for (size_t i = 0; i < set->n_flows; i++) {
		const struct stored_flow *sf = &set->flows[i];
		fp_time res;

		if (dirs[i] == 0)
			continue;
		res = resolution[dirs[i] - 1] > 0 ? resolution[dirs[i] - 1] :
		    FLOW_FIRST_GAP;
		for (size_t k = 0; k < sf->f.n_paths; k++)
			for (size_t g = 0; g < sf->f.paths[k].n_segments; g++)
				add_segment(out, sf, path, dirs[i],
				    &sf->f.paths[k].segments[g], failover, res);
	}
	free(dirs);
	derived_add_silences(out, first, failover);
}

/* The unordered address pair of ESP flows with the most packets. */
static int
busiest_esp(const struct evidence_set *set, struct traffic_path *out)
{
	int64_t best = 0;

	for (size_t i = 0; i < set->n_flows; i++) {
		const struct stored_flow *sf = &set->flows[i];
		int64_t total = 0;

		if (sf->f.kind != FLOW_ESP)
			continue;
		for (size_t k = 0; k < set->n_flows; k++) {
			const struct flow *g = &set->flows[k].f;

			if (g->kind == FLOW_ESP &&
			    ((strcmp(g->src, sf->f.src) == 0 &&
			    strcmp(g->dst, sf->f.dst) == 0) ||
			    (strcmp(g->src, sf->f.dst) == 0 &&
			    strcmp(g->dst, sf->f.src) == 0)))
				total += g->packets;
		}
		if (total > best) {
			best = total;
			out->a = sf->f.src;
			out->b = sf->f.dst;
		}
	}
	return best > 0;
}

int
traffic_path_from_flows(const struct evidence_set *set,
    struct traffic_path *out)
{
	int64_t best = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < set->n_flows; i++) {
		const struct stored_flow *sf = &set->flows[i];

		if (sf->f.kind == FLOW_ESP || sf->f.packets <= best ||
		    clear_flow_crossed(set, sf) != 1)
			continue;
		best = sf->f.packets;
		out->a = sf->f.src;
		out->b = sf->f.dst;
	}
	if (best > 0)
		return 1;
	out->outer = 1;
	if (busiest_esp(set, out))
		return 1;
	for (size_t i = 0; i < set->n_counters; i++) {
		const struct fp_counter *c = &set->counters[i].c;

		if (strcmp(c->name, "sa") == 0 && c->src != NULL &&
		    c->dst != NULL) {
			out->a = c->src;
			out->b = c->dst;
			return 1;
		}
	}
	memset(out, 0, sizeof(*out));
	return 0;
}
