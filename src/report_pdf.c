/*
 * The PDF report writer of one run.  It draws with the helpers of
 * pdf_draw.c, which it shares with the quarterly report.
 *
 * The layout is a single flowing column on A4 pages.  It starts with the
 * title, a verdict box and key-value tables for document control and run
 * facts.  Tables for preconditions, criteria, the decision path, loss
 * windows, findings and evidence follow, with a timeline chart between
 * them, and the sign-off block ends the report.  A cursor (w->y) moves
 * down the page.  Every block calls ensure_space() before it draws, and
 * table rows that do not fit continue on a new page under a repeated
 * header.  Footers with
 * "Page i of n" are drawn last, once the page count is known.
 *
 * Text comes from evidence files and user input, so every string passes
 * through clean_text() before it reaches libharu.  Invalid UTF-8 and
 * characters outside the Basic Multilingual Plane become U+FFFD, and
 * control characters become spaces.
 *
 * NOTE: libharu 2.3.0 writes a ToUnicode CMap that poppler 22.12 reports
 * as "Invalid 'begincidrange' operator" on stderr.  pdftotext still
 * extracts the text, non-ASCII letters included, as the unit tests check.
 */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hpdf.h>

#include "pdf_draw.h"
#include "report.h"
#include "report_pdf.h"
#include "util.h"

#define MAX_HOST_LANES	10
#define MAX_SERIES_LANES 10

/* Evidence references as "fw-a.log:1042, capture.pcap#17". */
static char *
format_refs(const struct rpt_refs *refs)
{
	struct fp_buf b = { 0 };
	size_t i;

	fp_buf_puts(&b, "");
	for (i = 0; i < refs->n; i++) {
		const struct rpt_ref *ref = &refs->v[i];
		const char *unit = ref->unit ? ref->unit : "";

		if (i > 0)
			fp_buf_puts(&b, ", ");
		fp_buf_puts(&b, ref->file ? ref->file : "?");
		if (ref->number <= 0)
			continue;
		if (strcmp(unit, "line") == 0)
			fp_buf_printf(&b, ":%ld", ref->number);
		else if (strcmp(unit, "packet") == 0)
			fp_buf_printf(&b, "#%ld", ref->number);
		else
			fp_buf_printf(&b, " %s %ld", unit, ref->number);
	}
	return fp_buf_detach(&b);
}

/* Colour of an event tick in the timeline, by the event kind's family. */
static const struct rgb *
event_colour(const char *kind)
{
	static const char *const ha[] = { "ha_failover", "ha_sync",
	    "ha_ike_sa_activated", "operator_reset", NULL };
	static const char *const up[] = { "ike_sa_established",
	    "child_sa_established", "child_sa_rekeyed", "tunnel_up", NULL };
	static const char *const negotiation[] = { "ike_init_sent",
	    "ike_init_received", "ike_message", "dpd_sent", "nat_detected",
	    NULL };
	static const char *const down[] = { "ike_sa_deleted",
	    "child_sa_deleted", NULL };
	size_t i;

	if (kind == NULL)
		return &grey;
	for (i = 0; ha[i] != NULL; i++)
		if (strcmp(kind, ha[i]) == 0)
			return &purple;
	for (i = 0; up[i] != NULL; i++)
		if (strcmp(kind, up[i]) == 0)
			return &green;
	for (i = 0; negotiation[i] != NULL; i++)
		if (strcmp(kind, negotiation[i]) == 0)
			return &blue;
	for (i = 0; down[i] != NULL; i++)
		if (strcmp(kind, down[i]) == 0)
			return &grey;
	return &red;	/* failures, timeouts, rejections, tunnel_down */
}

static void
title_block(struct pdfw *w)
{
	const struct report *r = w->r;
	char *line, *when;

	draw_text(w, w->bold, SIZE_TITLE, &ink, MARGIN_X, w->y - SIZE_TITLE,
	    "VPN HA failover test report");
	w->y -= SIZE_TITLE * LEADING + 2;

	when = format_time(r->generated_at);
	line = xasprintf("%s \xc2\xb7 run %ld \xc2\xb7 tunnel %s \xc2\xb7 "
	    "generated %s", or_dash(r->procedure_id), r->run_id,
	    or_dash(r->tunnel), when);
	paragraph(w, w->regular, SIZE_BODY, &muted, line);
	free(line);
	free(when);
	w->y -= 6;
}

/*
 * The verdict box: coloured border and bar, "Verdict: <id>" in large type,
 * then the cause, the summary and the key figures.
 */
static void
verdict_box(struct pdfw *w)
{
	const struct report *r = w->r;
	const struct rgb *c = verdict_colour(r->verdict);
	struct rgb tint = { 1 - (1 - c->r) * 0.10f, 1 - (1 - c->g) * 0.10f,
	    1 - (1 - c->b) * 0.10f };
	struct lines body = { 0 };
	char *verdict, *mttr, *loss, *max, *text;
	float lead = SIZE_BODY * LEADING, height, top, x = MARGIN_X + 16;
	size_t i;

	verdict = xasprintf("Verdict: %s", or_dash(r->verdict));
	max = format_ms(r->max_outage_ms);
	if (r->mttr_ms >= 0) {
		char *ms = format_ms(r->mttr_ms);

		mttr = xasprintf("MTTR: %s", ms);
		free(ms);
	} else {
		mttr = xstrdup("MTTR: not recovered");
	}
	if (r->loss_window_ms >= 0) {
		char *ms = format_ms(r->loss_window_ms);

		loss = xasprintf("Longest loss window: %s", ms);
		free(ms);
	} else {
		loss = xstrdup("Longest loss window: open (traffic did not "
		    "come back)");
	}

	text = xasprintf("Cause: %s\n%s", is_blank(r->cause) ? "none" :
	    r->cause, or_dash(r->summary));
	wrap_text(w->regular, SIZE_BODY, text, CONTENT_W - 32, &body);
	free(text);

	height = 12 + SIZE_TITLE * LEADING + body.n * lead + 6 +
	    (SIZE_BODY + 2) * LEADING + lead + 10;
	ensure_space(w, height + 8);
	top = w->y;

	fill_rect(w, &tint, MARGIN_X, top - height, CONTENT_W, height);
	fill_rect(w, c, MARGIN_X, top - height, 5, height);
	set_stroke(w, c);
	HPDF_Page_SetLineWidth(w->page, 1.2f);
	HPDF_Page_Rectangle(w->page, MARGIN_X, top - height, CONTENT_W,
	    height);
	HPDF_Page_Stroke(w->page);

	w->y = top - 12;
	draw_text(w, w->bold, SIZE_TITLE, c, x, w->y - SIZE_TITLE + 2, verdict);
	w->y -= SIZE_TITLE * LEADING;
	for (i = 0; i < body.n; i++) {
		draw_clean(w, i == 0 ? w->bold : w->regular, SIZE_BODY, &ink, x,
		    w->y - SIZE_BODY, body.v[i]);
		w->y -= lead;
	}
	w->y -= 6;
	draw_text(w, w->bold, SIZE_BODY + 2, &ink, x, w->y - SIZE_BODY - 2,
	    mttr);
	w->y -= (SIZE_BODY + 2) * LEADING;
	text = xasprintf("%s \xc2\xb7 maximum outage allowed: %s", loss, max);
	draw_text(w, w->regular, SIZE_BODY, &ink, x, w->y - SIZE_BODY, text);
	free(text);

	w->y = top - height - 8;
	lines_free(&body);
	free(verdict);
	free(mttr);
	free(loss);
	free(max);
}

static void
document_control(struct pdfw *w)
{
	const struct report *r = w->r;

	heading(w, "Document control");
	fact(w, "Procedure", r->procedure_id);
	fact(w, "Title", r->procedure_title);
	fact(w, "Revision", r->procedure_revision);
	fact(w, "Change category", r->change_category);
	fact(w, "Review cycle", r->review_cycle);
}

static void
run_facts(struct pdfw *w)
{
	const struct report *r = w->r;
	char *when;

	heading(w, "Run");
	fact_owned(w, "Run id", xasprintf("%ld", r->run_id));
	fact(w, "Tunnel", r->tunnel);
	if (r->scenario > 0)
		fact_owned(w, "Scenario", xasprintf("%d \xe2\x80\x94 %s",
		    r->scenario, or_dash(r->scenario_title)));
	else
		fact(w, "Scenario", r->scenario_title);
	fact(w, "Method", r->method);
	fact(w, "Executed by", r->executed_by);
	fact(w, "Primary", r->primary);
	fact(w, "Standby", r->standby);
	fact(w, "Peer", r->peer);
	fact(w, "Roles determined", r->roles_source);
	when = format_time(r->failover_at);
	fact_owned(w, "Failover instant", xasprintf("%s (source: %s)", when,
	    or_dash(r->failover_source)));
	free(when);
	fact_owned(w, "Maximum outage used", format_ms(r->max_outage_ms));
	fact_owned(w, "Run recorded", format_time(r->created_at));
	fact_owned(w, "Evaluated", format_time(r->evaluated_at));
}

static void
preconditions(struct pdfw *w)
{
	const struct report *r = w->r;
	struct column cols[] = {
		{ "Precondition", 30, 0, 0 },
		{ "Result", 14, 0, 1 },
		{ "Reason", 33, 0, 0 },
		{ "Evidence", 23, 0, 0 },
	};
	char *cells[4] = { 0 };
	size_t i;

	heading(w, "Preconditions");
	if (r->n_preconditions == 0) {
		paragraph(w, w->regular, SIZE_BODY, &muted,
		    "No preconditions were recorded.");
		return;
	}
	table_begin(w, cols, 4);
	for (i = 0; i < r->n_preconditions; i++) {
		const struct rpt_precondition *p = &r->preconditions[i];

		cells[0] = xasprintf("%s\n%s", or_dash(p->title),
		    or_dash(p->id));
		cells[1] = xstrdup(or_dash(p->result));
		cells[2] = xstrdup(or_dash(p->reason));
		cells[3] = format_refs(&p->refs);
		table_row(w, cells, i);
		free_cells(cells, 4);
	}
	table_end(w);
}

static void
criteria(struct pdfw *w)
{
	const struct report *r = w->r;
	struct column cols[] = {
		{ "Criterion", 30, 0, 0 },
		{ "Result", 14, 0, 1 },
		{ "Reason", 33, 0, 0 },
		{ "Evidence", 23, 0, 0 },
	};
	char *cells[4] = { 0 };
	size_t i;

	heading(w, "Validation criteria");
	if (r->n_criteria == 0) {
		paragraph(w, w->regular, SIZE_BODY, &muted,
		    "No criteria were evaluated.");
		return;
	}
	table_begin(w, cols, 4);
	for (i = 0; i < r->n_criteria; i++) {
		const struct rpt_criterion *c = &r->criteria[i];

		cells[0] = xasprintf("%s\n%s", or_dash(c->title),
		    or_dash(c->id));
		cells[1] = xstrdup(or_dash(c->result));
		cells[2] = xstrdup(or_dash(c->reason));
		cells[3] = format_refs(&c->refs);
		table_row(w, cells, i);
		free_cells(cells, 4);
	}
	table_end(w);
}

static void
decision_path(struct pdfw *w)
{
	const struct report *r = w->r;
	struct column cols[] = {
		{ "Q", 5, 0, 0 },
		{ "Question", 30, 0, 0 },
		{ "Answer", 9, 0, 0 },
		{ "Explanation", 34, 0, 0 },
		{ "Evidence", 22, 0, 0 },
	};
	char *cells[5] = { 0 };
	size_t i;

	heading(w, "Decision path");
	if (r->n_steps == 0) {
		paragraph(w, w->regular, SIZE_BODY, &muted,
		    "The classifier recorded no steps.");
		return;
	}
	table_begin(w, cols, 5);
	for (i = 0; i < r->n_steps; i++) {
		const struct rpt_step *s = &r->steps[i];

		cells[0] = xasprintf("%d", s->question);
		cells[1] = xstrdup(or_dash(s->question_text));
		cells[2] = xstrdup(or_dash(s->answer));
		cells[3] = xstrdup(or_dash(s->explanation));
		cells[4] = format_refs(&s->refs);
		table_row(w, cells, i);
		free_cells(cells, 5);
	}
	table_end(w);
}

static void
measurements(struct pdfw *w)
{
	const struct report *r = w->r;
	struct column cols[] = {
		{ "Direction", 22, 0, 0 },
		{ "Last before", 16, 0, 0 },
		{ "First after", 16, 0, 0 },
		{ "Window", 10, 0, 0 },
		{ "Source", 14, 0, 0 },
		{ "Evidence", 22, 0, 0 },
	};
	char *cells[6] = { 0 };
	size_t i;

	heading(w, "Measurements");
	if (r->mttr_ms >= 0) {
		char *ms = format_ms(r->mttr_ms);
		char *res = format_ms(r->mttr_resolution_ms);

		fact_owned(w, "MTTR", xasprintf("%s (source: %s, resolution "
		    "%s)", ms, or_dash(r->mttr_source), res));
		free(ms);
		free(res);
	} else {
		fact(w, "MTTR", "not recovered: traffic did not flow again "
		    "in both directions within the observation window");
	}
	if (r->child_sa_ms >= 0)
		fact_owned(w, "Failure to stable CHILD SA",
		    format_ms(r->child_sa_ms));
	if (r->loss_window_ms >= 0)
		fact_owned(w, "Longest loss window",
		    format_ms(r->loss_window_ms));
	else
		fact(w, "Longest loss window", "open (no delivery after the "
		    "outage)");
	w->y -= 4;

	if (r->n_loss_windows == 0)
		return;
	table_begin(w, cols, 6);
	for (i = 0; i < r->n_loss_windows; i++) {
		const struct rpt_loss_window *lw = &r->loss_windows[i];
		char *res = format_ms(lw->resolution_ms);

		cells[0] = xstrdup(or_dash(lw->direction));
		cells[1] = format_time_cell(lw->start);
		cells[2] = lw->end == FP_TIME_NONE ? xstrdup("none (open)") :
		    format_time_cell(lw->end);
		cells[3] = lw->ms >= 0 ? format_ms(lw->ms) : xstrdup("open");
		cells[4] = xasprintf("%s, resolution %s", or_dash(lw->source),
		    res);
		cells[5] = format_refs(&lw->refs);
		table_row(w, cells, i);
		free_cells(cells, 6);
		free(res);
	}
	table_end(w);
}

/* The time span the chart shows: every event, bin and the failover. */
static void
chart_range(const struct report *r, fp_time *from, fp_time *to)
{
	fp_time lo = INT64_MAX, hi = INT64_MIN;
	size_t i;

	if (r->failover_at != FP_TIME_NONE)
		lo = hi = r->failover_at;
	for (i = 0; i < r->n_timeline; i++) {
		fp_time t = r->timeline[i].ts;

		if (t == FP_TIME_NONE)
			continue;
		lo = t < lo ? t : lo;
		hi = t > hi ? t : hi;
	}
	for (i = 0; i < r->n_series; i++) {
		const struct rpt_series *s = &r->series[i];
		fp_time end;

		if (s->start == FP_TIME_NONE || s->bin <= 0 || s->n == 0)
			continue;
		end = s->start + (fp_time)s->n * s->bin;
		lo = s->start < lo ? s->start : lo;
		hi = end > hi ? end : hi;
	}
	if (lo == INT64_MAX) {
		lo = 0;
		hi = 1000000;
	}
	if (hi - lo < 1000000)
		hi = lo + 1000000;
	*from = lo - (hi - lo) / 50;
	*to = hi + (hi - lo) / 50;
}

static size_t
host_lanes(const struct report *r, const char **hosts, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < r->n_timeline; i++) {
		const char *h = r->timeline[i].host ? r->timeline[i].host : "";

		for (j = 0; j < n; j++)
			if (strcmp(hosts[j], h) == 0)
				break;
		if (j == n && n < max)
			hosts[n++] = h;
	}
	return n;
}

/*
 * Draw the timeline chart.  Each host has a lane with a tick per event,
 * coloured by kind.  Each traffic series has a lane with a bar per bin,
 * scaled to the series' largest bin.  A red line marks the failover, and
 * the axis counts seconds from it (from the start when it is unknown).
 */
static void
timeline_chart(struct pdfw *w)
{
	const struct report *r = w->r;
	const char *hosts[MAX_HOST_LANES];
	size_t n_hosts, n_series, lanes, i, j;
	float lane_h = 22, label_w = 110, x0, x1, top, bottom, scale;
	fp_time from, to, origin;
	double step, t;
	char *text;

	n_hosts = host_lanes(r, hosts, MAX_HOST_LANES);
	n_series = r->n_series < MAX_SERIES_LANES ? r->n_series :
	    MAX_SERIES_LANES;
	lanes = n_hosts + n_series;
	ensure_space(w, lanes * lane_h + 110);
	heading(w, "Timeline");
	if (lanes == 0) {
		paragraph(w, w->regular, SIZE_BODY, &muted,
		    "No events or traffic samples to chart.");
		return;
	}

	chart_range(r, &from, &to);
	origin = r->failover_at != FP_TIME_NONE ? r->failover_at : from;
	x0 = MARGIN_X + label_w;
	x1 = PAGE_W - MARGIN_X;
	scale = (x1 - x0) / (float)(to - from);
	top = w->y - 4;
	bottom = top - lanes * lane_h;

	/* Lane backgrounds and labels. */
	for (i = 0; i < lanes; i++) {
		float ly = top - (i + 1) * lane_h;
		const char *label = i < n_hosts ?
		    (*hosts[i] ? hosts[i] : "(no host)") :
		    or_dash(r->series[i - n_hosts].label);
		HPDF_Font font = i < n_hosts ? w->bold : w->regular;
		struct lines l = { 0 };

		if (i % 2 == 0)
			fill_rect(w, &stripe_fill, x0, ly, x1 - x0, lane_h);
		wrap_text(font, SIZE_SMALL, label, label_w - 6, &l);
		if (l.n == 1) {
			draw_clean(w, font, SIZE_SMALL, &ink, MARGIN_X,
			    ly + lane_h / 2 - 2, l.v[0]);
		} else {
			draw_clean(w, font, SIZE_SMALL, &ink, MARGIN_X,
			    ly + lane_h / 2 + 2, l.v[0]);
			draw_clean(w, font, SIZE_SMALL, &ink, MARGIN_X,
			    ly + lane_h / 2 - 7, l.v[1]);
		}
		lines_free(&l);
	}

	/* Event ticks. */
	for (i = 0; i < r->n_timeline; i++) {
		const struct rpt_timeline_event *e = &r->timeline[i];
		const char *h = e->host ? e->host : "";
		float x, ly;

		if (e->ts == FP_TIME_NONE)
			continue;
		for (j = 0; j < n_hosts; j++)
			if (strcmp(hosts[j], h) == 0)
				break;
		if (j == n_hosts)
			continue;
		x = x0 + (e->ts - from) * scale;
		ly = top - (j + 1) * lane_h;
		stroke_line(w, event_colour(e->kind), 1.0f, x, ly + 3, x,
		    ly + lane_h - 3);
	}

	/* Delivered packets per bin. */
	for (i = 0; i < n_series; i++) {
		const struct rpt_series *s = &r->series[i];
		float ly = top - (n_hosts + i + 1) * lane_h;
		int64_t peak = 0;

		if (s->start == FP_TIME_NONE || s->bin <= 0)
			continue;
		for (j = 0; j < s->n; j++)
			peak = s->delivered[j] > peak ? s->delivered[j] : peak;
		for (j = 0; j < s->n; j++) {
			fp_time at = s->start + (fp_time)j * s->bin;
			float bx = x0 + (at - from) * scale;
			float bw = s->bin * scale;

			bw = bw > 1.2f ? bw - 0.4f : bw;
			if (s->delivered[j] < 0)
				fill_rect(w, &header_fill, bx, ly + 2, bw,
				    lane_h - 4);
			else if (s->delivered[j] == 0)
				fill_rect(w, &red, bx, ly + 2, bw, 1.5f);
			else
				fill_rect(w, &blue, bx, ly + 2, bw,
				    (lane_h - 5) * s->delivered[j] /
				    (float)(peak > 0 ? peak : 1));
		}
	}

	/* Axis, grid and labels. */
	stroke_line(w, &ink, 0.5f, x0, bottom, x1, bottom);
	step = chart_step((to - from) / 1e6);
	for (t = ceil((from - origin) / 1e6 / step) * step;
	    origin + t * 1e6 <= to; t += step) {
		float x = x0 + (origin + t * 1e6 - from) * scale;
		char label[32];

		stroke_line(w, &rule, 0.3f, x, bottom, x, top);
		stroke_line(w, &ink, 0.5f, x, bottom, x, bottom - 3);
		snprintf(label, sizeof(label), "%+g s", fabs(t) < 1e-9 ? 0 : t);
		draw_text(w, w->regular, SIZE_SMALL, &ink,
		    x - text_width(w->regular, SIZE_SMALL, label) / 2,
		    bottom - 11, label);
	}
	if (r->failover_at != FP_TIME_NONE) {
		float x = x0 + (r->failover_at - from) * scale;

		stroke_line(w, &red, 1.2f, x, bottom, x, top + 4);
		draw_text(w, w->bold, SIZE_SMALL, &red, x + 2, top + 1,
		    "failover");
	}

	w->y = bottom - 22;
	if (r->failover_at != FP_TIME_NONE) {
		char *when = format_time(r->failover_at);

		text = xasprintf("Seconds relative to the failover at %s.",
		    when);
		free(when);
	} else {
		text = xstrdup("Seconds from the start of the evidence; the "
		    "failover instant is unknown.");
	}
	if (r->n_series > n_series || r->n_timeline > 0) {
		size_t hidden_series = r->n_series - n_series;
		const char *extra[MAX_HOST_LANES + 1];
		size_t all_hosts = host_lanes(r, extra, MAX_HOST_LANES + 1);

		if (hidden_series > 0 || all_hosts > n_hosts) {
			char *more = xasprintf("%s Lanes not shown: %zu traffic"
			    " series%s.", text, hidden_series,
			    all_hosts > n_hosts ? " and further hosts" : "");

			free(text);
			text = more;
		}
	}
	paragraph(w, w->regular, SIZE_SMALL, &muted, text);
	free(text);

	ensure_space(w, 14);
	{
		float x = MARGIN_X, y = w->y - 8;

		legend_item(w, &x, y, &purple, "HA, failover");
		legend_item(w, &x, y, &green, "SA established");
		legend_item(w, &x, y, &blue, "negotiation, delivered packets");
		legend_item(w, &x, y, &red, "error, no delivery");
		legend_item(w, &x, y, &grey, "SA deleted");
		legend_item(w, &x, y, &header_fill, "not measured");
	}
	w->y -= 18;
}

static void
findings(struct pdfw *w)
{
	const struct report *r = w->r;
	struct column cols[] = {
		{ "Finding", 28, 0, 0 },
		{ "Detail", 72, 0, 0 },
	};
	char *cells[2] = { 0 };
	size_t i;

	heading(w, "Findings");
	if (r->n_findings == 0) {
		paragraph(w, w->regular, SIZE_BODY, &muted, "None.");
		return;
	}
	table_begin(w, cols, 2);
	for (i = 0; i < r->n_findings; i++) {
		cells[0] = xstrdup(or_dash(r->findings[i].id));
		cells[1] = xstrdup(or_dash(r->findings[i].text));
		table_row(w, cells, i);
		free_cells(cells, 2);
	}
	table_end(w);
}

/* "SHA-256 <first half> <second half>\ncommit <40 hex>", which wraps at
 * the spaces in a narrow column. */
static char *
format_digests(const struct rpt_evidence *e)
{
	struct fp_buf b = { 0 };
	size_t len = e->sha256 ? strlen(e->sha256) : 0;

	fp_buf_puts(&b, "SHA-256 ");
	if (len == 64) {
		fp_buf_append(&b, e->sha256, 32);
		fp_buf_puts(&b, " ");
		fp_buf_append(&b, e->sha256 + 32, 32);
	} else {
		fp_buf_puts(&b, or_dash(e->sha256));
	}
	fp_buf_printf(&b, "\ncommit %s", or_dash(e->commit));
	return fp_buf_detach(&b);
}

static void
evidence(struct pdfw *w)
{
	const struct report *r = w->r;
	struct column cols[] = {
		{ "#", 4, 0, 0 },
		{ "File", 25, 0, 0 },
		{ "Kind, host", 14, 0, 0 },
		{ "Size, records", 12, 0, 0 },
		{ "Digest and archiving commit", 45, 1, 0 },
	};
	char *cells[5] = { 0 };
	size_t i;

	heading(w, "Evidence");
	if (r->n_evidence == 0) {
		paragraph(w, w->regular, SIZE_BODY, &muted,
		    "No evidence files are recorded for this run.");
		return;
	}
	table_begin(w, cols, 5);
	for (i = 0; i < r->n_evidence; i++) {
		const struct rpt_evidence *e = &r->evidence[i];
		char *size = format_size(e->size);

		cells[0] = xasprintf("%zu", i + 1);
		cells[1] = xstrdup(or_dash(e->name));
		cells[2] = xasprintf("%s%s\n%s", or_dash(e->kind),
		    e->partial ? " (partial)" : "", or_dash(e->host));
		cells[3] = e->records >= 0 ?
		    xasprintf("%s\n%ld records", size, e->records) :
		    xstrdup(size);
		cells[4] = format_digests(e);
		table_row(w, cells, i);
		free_cells(cells, 5);
		free(size);
	}
	table_end(w);
}

/* The review workflow's records: attestations, sign-offs, waivers and
 * defect changes, each a commit authored by the person who acted. */
static void
workflow_records(struct pdfw *w)
{
	const struct report *r = w->r;
	struct column cols[] = {
		{ "#", 4, 0, 0 },
		{ "Record", 46, 0, 0 },
		{ "By, at", 20, 0, 0 },
		{ "Digest and commit", 30, 1, 0 },
	};
	char *cells[4] = { 0 }, *when;

	if (r->n_records == 0)
		return;
	heading(w, "Review records");
	table_begin(w, cols, 4);
	for (size_t i = 0; i < r->n_records; i++) {
		const struct rpt_record *x = &r->records[i];

		cells[0] = xasprintf("%zu", i + 1);
		cells[1] = xasprintf("%s: %s\n%s", or_dash(x->kind),
		    or_dash(x->summary), or_dash(x->path));
		when = format_time(x->at);
		cells[2] = xasprintf("%s\n%s", or_dash(x->actor), when);
		free(when);
		cells[3] = xasprintf("SHA-256 %s\ncommit %s", or_dash(x->sha256),
		    or_dash(x->commit));
		table_row(w, cells, i);
		free_cells(cells, 4);
	}
	table_end(w);
}

static void
sign_off(struct pdfw *w)
{
	const struct report *r = w->r;
	float top, height = (4 + (r->review_stale != 0)) * SIZE_BODY * LEADING +
	    18;

	if (!is_blank(r->defect_id)) {
		heading(w, "Defect");
		fact_owned(w, "Defect", xasprintf("%s (%s)", r->defect_id,
		    is_blank(r->defect_status) ? "status unknown" :
		    r->defect_status));
	}

	heading(w, "Reviewer sign-off");
	ensure_space(w, height + 4);
	top = w->y;
	set_stroke(w, &rule);
	HPDF_Page_SetLineWidth(w->page, 0.8f);
	HPDF_Page_Rectangle(w->page, MARGIN_X, top - height, CONTENT_W, height);
	HPDF_Page_Stroke(w->page);
	w->y -= 8;
	w->indent = 10;
	if (is_blank(r->reviewer)) {
		fact(w, "Reviewer", "pending");
		fact(w, "Decision", "pending");
		fact(w, "Signed off", "\xe2\x80\x94");
	} else {
		fact(w, "Reviewer", r->reviewer);
		fact(w, "Decision", r->review_decision);
		fact_owned(w, "Signed off", format_time(r->reviewed_at));
		if (r->review_stale)
			fact_owned(w, "Status", xasprintf("stale: %s",
			    or_dash(r->review_stale_reason)));
	}
	fact(w, "Rule", "the reviewer must not be the engineer who ran the "
	    "test");
	w->indent = 0;
	w->y = top - height - 6;

	heading(w, "Provenance");
	fact(w, "Evidence commit", r->evidence_commit);
	fact_owned(w, "Generated", format_time(r->generated_at));
	fact_owned(w, "Tool", xasprintf("failproof %s",
	    is_blank(r->tool_version) ? FP_VERSION : r->tool_version));
}


/*
 * The evidence commit, the run and the SHA-256 of every evidence file,
 * for the Keywords entry: 'failproof verify' checks each file against the
 * workspace from these without trusting the store.
 */
static char *
evidence_keywords(const struct report *r)
{
	struct fp_buf b = { 0 };

	fp_buf_printf(&b, "%s failproof-run:%ld failproof-evidence:",
	    r->evidence_commit ? r->evidence_commit : "", r->run_id);
	for (size_t i = 0; i < r->n_evidence; i++)
		fp_buf_printf(&b, "%s%s", i ? "," : "",
		    r->evidence[i].sha256 ? r->evidence[i].sha256 : "");
	return fp_buf_detach(&b);
}

int
report_pdf_write(const struct report *r, const char *path)
{
	char *evidence_keys;
	char *title = NULL, *footer = NULL;
	struct pdfw w;
	int rc;

	memset(&w, 0, sizeof(w));
	w.r = r;
	if (!is_commit(r->evidence_commit))
		return fp_fail(FP_EINVAL, "report of run %ld: evidence commit "
		    "\"%s\" is not 40 hex digits", r->run_id,
		    r->evidence_commit ? r->evidence_commit : "");

	w.doc = HPDF_New(on_hpdf_error, &w);
	if (w.doc == NULL)
		return fp_fail(FP_EIO, "cannot create a PDF document");
	HPDF_UseUTFEncodings(w.doc);
	HPDF_SetCompressionMode(w.doc, HPDF_COMP_ALL);
	if ((rc = load_fonts(&w)) != 0)
		goto out;
	title = xasprintf("VPN HA failover test report, run %ld", r->run_id);
	evidence_keys = evidence_keywords(r);
	set_info(&w, title, evidence_keys, r->generated_at);
	free(evidence_keys);
	w.running_head = xasprintf("VPN HA failover test report \xc2\xb7 "
	    "run %ld \xc2\xb7 %s", r->run_id, or_dash(r->tunnel));
	footer = xasprintf("failproof \xc2\xb7 %s \xc2\xb7 run %ld",
	    or_dash(r->procedure_id), r->run_id);

	new_page(&w);
	title_block(&w);
	verdict_box(&w);
	document_control(&w);
	run_facts(&w);
	preconditions(&w);
	criteria(&w);
	decision_path(&w);
	measurements(&w);
	timeline_chart(&w);
	findings(&w);
	evidence(&w);
	workflow_records(&w);
	sign_off(&w);
	footers(&w, footer);

	if (w.error != HPDF_OK) {
		rc = fp_fail(FP_EIO, "'%s': cannot lay out the report: libharu "
		    "error 0x%04X (detail %u)", path, (unsigned)w.error,
		    (unsigned)w.error_detail);
		goto out;
	}
	if (HPDF_SaveToFile(w.doc, path) != HPDF_OK) {
		rc = fp_fail(FP_EIO, "'%s': cannot write the PDF: libharu "
		    "error 0x%04X (detail %u)", path, (unsigned)w.error,
		    (unsigned)w.error_detail);
		unlink(path);
		goto out;
	}
	rc = 0;

out:
	HPDF_Free(w.doc);
	free(w.pages);
	free(w.running_head);
	free(footer);
	free(title);
	return rc;
}
