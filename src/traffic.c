/*
 * Per-direction traffic analysis.  Each source is judged on its own, at
 * its own resolution, so a coarse one-second iperf3 interval never blurs
 * the exact timestamp of a ping reply; per direction the finest source
 * that saw delivery gives the figures.  Between sources of the same
 * resolution the better evidence wins: clear-side flows, then ESP, then
 * SA counters, then the harness.
 */
#include <stdlib.h>
#include <string.h>

#include "clear_flows.h"
#include "esp_flows.h"
#include "sa_counters.h"
#include "traffic.h"

/* Endpoint names that mean "the host the harness ran on". */
static int
is_wildcard(const char *e)
{
	return e == NULL || *e == '\0' || strcmp(e, "local") == 0 ||
	    strcmp(e, "localhost") == 0;
}

/*
 * The two endpoints of the measured path: the concrete pair seen most
 * often.  A sample with a wildcard endpoint belongs to the path that
 * shares its other endpoint.
 */
static void
find_endpoints(const struct evidence_set *set, const char **a, const char **b)
{
	long best = 0;

	*a = *b = NULL;
	for (size_t i = 0; i < set->n_samples; i++) {
		const struct fp_sample *s = &set->samples[i].s;
		long count = 0;

		if (is_wildcard(s->src) || is_wildcard(s->dst))
			continue;
		for (size_t j = 0; j < set->n_samples; j++) {
			const struct fp_sample *t = &set->samples[j].s;

			if (!is_wildcard(t->src) && !is_wildcard(t->dst) &&
			    ((strcmp(t->src, s->src) == 0 &&
			    strcmp(t->dst, s->dst) == 0) ||
			    (strcmp(t->src, s->dst) == 0 &&
			    strcmp(t->dst, s->src) == 0)))
				count++;
		}
		if (count > best) {
			best = count;
			*a = s->src;
			*b = s->dst;
		}
	}
	if (*a != NULL)
		return;
	/* Only wildcard samples: take the first concrete endpoint. */
	for (size_t i = 0; i < set->n_samples; i++) {
		const struct fp_sample *s = &set->samples[i].s;

		if (!is_wildcard(s->dst)) {
			*a = "local";
			*b = s->dst;
			return;
		}
		if (!is_wildcard(s->src)) {
			*a = s->src;
			*b = "local";
			return;
		}
	}
}

static int
same_endpoint(const char *sample_end, const char *path_end,
    const char *sample_other, const char *path_other)
{
	if (is_wildcard(sample_end))
		return !is_wildcard(sample_other) &&
		    strcmp(sample_other, path_other) == 0;
	return strcmp(sample_end, path_end) == 0;
}

/* Which directions of the path (a->b is 0) a sample measures: a bit set. */
static int
sample_directions(const struct fp_sample *s, const char *a, const char *b)
{
	int mask = 0;

	if (a == NULL)
		return 0;
	if (same_endpoint(s->src, a, s->dst, b) &&
	    same_endpoint(s->dst, b, s->src, a))
		mask |= 1;
	if (same_endpoint(s->src, b, s->dst, a) &&
	    same_endpoint(s->dst, a, s->src, b))
		mask |= 2;
	if (s->both_directions && mask)
		mask = 3;
	return mask;
}

/* One view per source and file; the readings of counters, taken in
 * several files, form one series. */
static int
view_has(const struct traffic_view *v, const struct stored_sample *ss)
{
	return strcmp(v->source, ss->s.source) == 0 &&
	    (strcmp(ss->s.source, SOURCE_COUNTERS) == 0 ||
	    strcmp(v->file, ss->file) == 0);
}

static struct traffic_view *
view_for(struct traffic_direction *d, const struct stored_sample *ss)
{
	for (size_t i = 0; i < d->n_views; i++)
		if (view_has(&d->views[i], ss))
			return &d->views[i];
	d->views = xrealloc(d->views, (d->n_views + 1) * sizeof(*d->views));
	memset(&d->views[d->n_views], 0, sizeof(*d->views));
	d->views[d->n_views].source = ss->s.source;
	d->views[d->n_views].file = ss->file;
	d->views[d->n_views].first_offered = FP_TIME_NONE;
	d->views[d->n_views].last_before = FP_TIME_NONE;
	d->views[d->n_views].first_after = FP_TIME_NONE;
	d->views[d->n_views].last_sample = FP_TIME_NONE;
	d->views[d->n_views].flowed_until = FP_TIME_NONE;
	return &d->views[d->n_views++];
}

static int
delivered(const struct fp_sample *s)
{
	return s->delivered > 0 || (s->delivered < 0 && s->bytes > 0);
}

static int
undelivered(const struct fp_sample *s)
{
	return s->delivered == 0;
}

/* The gap that counts as traffic stopping again at this resolution. */
static fp_time
drop_gap(fp_time resolution)
{
	fp_time gap = 3 * resolution;

	return gap > 1000000 ? gap : 1000000;
}

static void
note_sample(struct traffic_view *v, const struct stored_sample *ss,
    fp_time failover, fp_time *last_delivery)
{
	const struct fp_sample *s = &ss->s;

	v->samples++;
	if (v->last_sample == FP_TIME_NONE || s->t_end > v->last_sample)
		v->last_sample = s->t_end;
	if (v->first_offered == FP_TIME_NONE && s->offered != 0)
		v->first_offered = s->t_start;

	if (delivered(s)) {
		if (s->t_start < failover) {
			fp_time t = s->t_end < failover ? s->t_end : failover;

			if (v->last_before == FP_TIME_NONE ||
			    t > v->last_before) {
				v->last_before = t;
				v->last_before_sample = ss;
			}
		} else if (v->first_after == FP_TIME_NONE && !v->loss_after) {
			/* Still flowing after the stated instant: the outage
			 * has not begun yet. */
			v->last_before = s->t_end;
			v->last_before_sample = ss;
			v->flowed_until = s->t_end;
		} else if (v->first_after == FP_TIME_NONE) {
			v->first_after = s->t_start;
			v->first_after_sample = ss;
		}
		*last_delivery = s->t_end;
		return;
	}
	if (undelivered(s) && s->t_end >= failover)
		v->loss_after = 1;
	/* A loss after the recovery that lasts longer than a blip. */
	if (undelivered(s) && v->first_after != FP_TIME_NONE &&
	    !v->dropped_again && *last_delivery != FP_TIME_NONE &&
	    s->t_end - *last_delivery >= drop_gap(v->resolution)) {
		v->dropped_again = 1;
		v->dropped_sample = ss;
	}
}

/* Typical spacing of a source's samples, when they do not state it. */
static fp_time
median_spacing(const struct stored_sample *all, size_t n_all,
    const char *file)
{
	fp_time *gaps = NULL, prev = FP_TIME_NONE, result = 0;
	size_t n = 0;

	for (size_t i = 0; i < n_all; i++) {
		if (strcmp(all[i].file, file) != 0)
			continue;
		if (prev != FP_TIME_NONE && all[i].s.t_start > prev) {
			gaps = xrealloc(gaps, (n + 1) * sizeof(*gaps));
			gaps[n++] = all[i].s.t_start - prev;
		}
		prev = all[i].s.t_start;
	}
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && gaps[j - 1] > gaps[j]; j--) {
			fp_time t = gaps[j];

			gaps[j] = gaps[j - 1];
			gaps[j - 1] = t;
		}
	if (n > 0)
		result = gaps[n / 2];
	free(gaps);
	return result;
}

/* Rank of a source between views of the same resolution. */
static int
source_rank(const char *source)
{
	if (strcmp(source, SOURCE_CLEAR) == 0)
		return 0;
	if (strcmp(source, SOURCE_ESP) == 0)
		return 1;
	if (strcmp(source, SOURCE_COUNTERS) == 0)
		return 2;
	return 3;
}

/* Is v better evidence than best?  Resolutions within a tenth of each
 * other count as the same. */
static int
better_view(const struct traffic_view *v, const struct traffic_view *best)
{
	fp_time lo = v->resolution < best->resolution ? v->resolution :
	    best->resolution;
	fp_time diff = v->resolution - best->resolution;

	if (diff < 0)
		diff = -diff;
	if (diff * 10 > lo)
		return v->resolution < best->resolution;
	return source_rank(v->source) < source_rank(best->source);
}

static void
analyse_direction(const struct stored_sample *all, size_t n_all, int bit,
    const char *a, const char *b, fp_time failover,
    struct traffic_direction *d)
{
	d->label = xasprintf("%s -> %s", bit == 1 ? a : b, bit == 1 ? b : a);

	for (size_t i = 0; i < n_all; i++) {
		const struct stored_sample *ss = &all[i];
		struct traffic_view *v;

		if (!(sample_directions(&ss->s, a, b) & bit))
			continue;
		v = view_for(d, ss);
		if (v->samples == 0)
			v->resolution = ss->s.resolution > 0 ?
			    ss->s.resolution : median_spacing(all, n_all,
			    ss->file);
		/* Mark the view as seen so that it takes no later default. */
		v->samples = 1;
	}
	for (size_t k = 0; k < d->n_views; k++)
		d->views[k].samples = 0;
	for (size_t k = 0; k < d->n_views; k++) {
		struct traffic_view *v = &d->views[k];
		fp_time last_delivery = FP_TIME_NONE;

		for (size_t i = 0; i < n_all; i++) {
			const struct stored_sample *ss = &all[i];

			if (!view_has(v, ss) ||
			    !(sample_directions(&ss->s, a, b) & bit))
				continue;
			note_sample(v, ss, failover, &last_delivery);
		}
		/* No outage at all after the failover: traffic never
		 * stopped, so it "recovered" at its first delivery. */
		if (v->first_after == FP_TIME_NONE && !v->loss_after &&
		    v->flowed_until != FP_TIME_NONE) {
			v->first_after = v->flowed_until;
			v->first_after_sample = v->last_before_sample;
		}
		/* Evidence that ends inside a new outage. */
		if (v->first_after != FP_TIME_NONE && !v->dropped_again &&
		    last_delivery != FP_TIME_NONE &&
		    v->last_sample - last_delivery >= drop_gap(v->resolution))
			v->dropped_again = 1;
	}
	for (size_t k = 0; k < d->n_views; k++) {
		const struct traffic_view *v = &d->views[k];

		if (v->first_after == FP_TIME_NONE && v->last_before ==
		    FP_TIME_NONE)
			continue;
		if (d->best == NULL || better_view(v, d->best))
			d->best = v;
	}
}

static int
derived_order(const void *x, const void *y)
{
	const struct stored_sample *a = x, *b = y;
	int c;

	if (a->s.t_start != b->s.t_start)
		return a->s.t_start < b->s.t_start ? -1 : 1;
	if ((c = strcmp(a->file, b->file)) != 0)
		return c;
	if (a->s.line != b->s.line)
		return a->s.line < b->s.line ? -1 : 1;
	return a->s.t_end < b->s.t_end ? -1 : a->s.t_end > b->s.t_end;
}

/*
 * The harness samples and the samples derived from flows and counters
 * for path, merged by start time (a harness sample first on a tie).
 */
static void
combine_samples(const struct evidence_set *set, fp_time failover,
    const struct traffic_path *path, struct traffic_analysis *out)
{
	struct derived_samples d = { 0, 0, NULL };
	struct esp_analysis ea;
	size_t i = 0, k = 0;

	clear_derive(set, failover, path, &d);
	esp_analyse(set, failover, &ea);
	esp_derive(set, &ea, path, &d);
	esp_analysis_release(&ea);
	counters_derive(set, path, &d);
	if (d.n > 1)
		fp_qsort(d.v, d.n, sizeof(*d.v), derived_order);

	out->n_all = set->n_samples + d.n;
	out->all = xcalloc(out->n_all + 1, sizeof(*out->all));
	for (size_t n = 0; n < out->n_all; n++) {
		if (k == d.n || (i < set->n_samples &&
		    set->samples[i].s.t_start <= d.v[k].s.t_start))
			out->all[n] = set->samples[i++];
		else
			out->all[n] = d.v[k++];
	}
	derived_release(&d);
}

void
traffic_analyse(const struct evidence_set *set, fp_time failover,
    struct traffic_analysis *out)
{
	struct traffic_path path = { NULL, NULL, 0 };
	const char *a, *b;

	memset(out, 0, sizeof(*out));
	out->failover = failover;
	out->window_end = FP_TIME_NONE;
	out->recovered_at = FP_TIME_NONE;
	out->n_samples = (long)set->n_samples;
	for (size_t i = 0; i < set->n_samples; i++)
		if (out->window_end == FP_TIME_NONE ||
		    set->samples[i].s.t_end > out->window_end)
			out->window_end = set->samples[i].s.t_end;

	find_endpoints(set, &a, &b);
	path.a = a;
	path.b = b;
	if (a == NULL && !traffic_path_from_flows(set, &path))
		return;
	a = path.a;
	b = path.b;
	combine_samples(set, failover, &path, out);
	out->n_samples = (long)out->n_all;
	for (size_t i = 0; i < out->n_all; i++)
		if (out->window_end == FP_TIME_NONE ||
		    out->all[i].s.t_end > out->window_end)
			out->window_end = out->all[i].s.t_end;

	analyse_direction(out->all, out->n_all, 1, a, b, failover,
	    &out->dir[0]);
	analyse_direction(out->all, out->n_all, 2, a, b, failover,
	    &out->dir[1]);

	out->have_both = out->dir[0].n_views > 0 && out->dir[1].n_views > 0;
	out->recovered = out->have_both;
	for (int i = 0; i < 2; i++) {
		const struct traffic_view *v = out->dir[i].best;

		if (v == NULL || v->first_after == FP_TIME_NONE) {
			out->recovered = 0;
			continue;
		}
		if (v->dropped_again)
			out->dropped_again = 1;
		if (out->recovered_at == FP_TIME_NONE ||
		    v->first_after > out->recovered_at) {
			out->recovered_at = v->first_after;
			out->recovery_view = v;
		}
	}
	if (!out->recovered) {
		out->recovered_at = FP_TIME_NONE;
		out->recovery_view = NULL;
	}
}

void
traffic_analysis_release(struct traffic_analysis *ta)
{
	for (int i = 0; i < 2; i++) {
		free(ta->dir[i].label);
		free(ta->dir[i].views);
	}
	free(ta->all);
	memset(ta, 0, sizeof(*ta));
}
