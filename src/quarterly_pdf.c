/*
 * The quarterly report as a PDF, laid out in a single flowing column like
 * the run report (report_pdf.c).  It has tables for coverage, runs,
 * statistics, failback symmetry, defects, waivers and findings, and a
 * line chart of the median MTTR of each tunnel over the last quarters.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf.h>

#include "pdf_draw.h"
#include "quarterly_pdf.h"

/* Tunnels drawn in the chart; the table lists every one. */
#define CHART_MAX_TUNNELS 8

static const struct rgb *const line_colours[CHART_MAX_TUNNELS] = {
	&blue, &red, &green, &purple, &amber, &grey, &ink, &muted,
};

static void
title_block(struct pdfw *w, const struct quarterly *q)
{
	char *line, *when;

	draw_text(w, w->bold, SIZE_TITLE, &ink, MARGIN_X, w->y - SIZE_TITLE,
	    "VPN HA quarterly compliance report");
	w->y -= SIZE_TITLE * LEADING + 2;
	when = format_time(q->generated_at);
	line = xasprintf("%s \xc2\xb7 period %s \xc2\xb7 generated %s",
	    or_dash(q->procedure_id), q->label, when);
	paragraph(w, w->regular, SIZE_BODY, &muted, line);
	free(line);
	free(when);
	w->y -= 6;
}

static void
summary(struct pdfw *w, const struct quarterly *q)
{
	size_t registered = 0, passed = 0, open = 0, pending = 0;
	char *from, *to;

	for (size_t i = 0; i < q->n_tunnels; i++)
		registered += q->tunnels[i].registered;
	for (size_t i = 0; i < q->n_runs; i++) {
		passed += q->runs[i].verdict &&
		    strcmp(q->runs[i].verdict, "pass") == 0;
		pending += strcmp(q->runs[i].signoff, "pending") == 0;
	}
	for (size_t i = 0; i < q->n_defects; i++)
		open += q->defects[i].open_at_end;

	heading(w, "Summary");
	from = format_time(q->from);
	to = format_time(q->to);
	fact_owned(w, "Period", xasprintf("%s (from %s to %s, end "
	    "excluded)", q->label, from, to));
	free(from);
	free(to);
	fact_owned(w, "Tunnels", xasprintf("%zu registered, %zu in the "
	    "report", registered, q->n_tunnels));
	fact_owned(w, "Runs", xasprintf("%zu, of which %zu with verdict pass",
	    q->n_runs, passed));
	fact_owned(w, "Sign-off", xasprintf("%zu of %zu runs still pending",
	    pending, q->n_runs));
	fact_owned(w, "Defects", xasprintf("%zu in the period, %zu open at "
	    "its end", q->n_defects, open));
	fact_owned(w, "Findings", xasprintf("%zu", q->n_findings));
}

static void
document_control(struct pdfw *w, const struct quarterly *q)
{
	struct column cols[] = {
		{ "Revision", 10, 0, 0 },
		{ "Status", 12, 0, 0 },
		{ "Author", 16, 0, 0 },
		{ "Approved", 26, 0, 0 },
		{ "Change summary", 36, 0, 0 },
	};
	char *cells[5];

	heading(w, "Document control");
	fact(w, "Procedure", q->procedure_id);
	fact(w, "Title", q->procedure_title);
	fact(w, "Review cycle", q->review_cycle);
	fact_owned(w, "Maximum outage", format_ms(q->max_outage_ms));
	if (q->max_spread_ms >= 0) {
		char *spread = format_ms(q->max_spread_ms);

		fact_owned(w, "Repeatability", xasprintf("MTTR spread "
		    "(maximum - minimum) at most %s", spread));
		free(spread);
	} else {
		fact(w, "Repeatability", "no tolerance set");
	}
	w->y -= 4;
	if (q->n_revisions == 0)
		return;
	table_begin(w, cols, 5);
	for (size_t i = 0; i < q->n_revisions; i++) {
		const struct q_revision *r = &q->revisions[i];
		char *when = format_time(r->approved_at);

		cells[0] = xstrdup(r->revision);
		cells[1] = xstrdup(r->status);
		cells[2] = xstrdup(or_dash(r->author));
		cells[3] = r->approved_by ? xasprintf("%s\n%s", r->approved_by,
		    when) : xstrdup("not approved");
		cells[4] = xstrdup(or_dash(r->summary));
		table_row(w, cells, i);
		free_cells(cells, 5);
		free(when);
	}
	table_end(w);
}

static void
coverage(struct pdfw *w, const struct quarterly *q)
{
	struct column cols[MAX_COLUMNS];
	char *cells[MAX_COLUMNS], titles[MAX_COLUMNS][24];
	size_t n_scen = 0, row = 0;

	heading(w, "Coverage: tunnel \xc3\x97 scenario");
	if (q->n_tunnels == 0) {
		paragraph(w, w->regular, SIZE_BODY, &muted, "No tunnel is "
		    "registered and no run took place in the period.");
		return;
	}
	n_scen = q->n_cells / q->n_tunnels;
	if (n_scen > MAX_COLUMNS - 2)
		n_scen = MAX_COLUMNS - 2;
	cols[0] = (struct column){ "Tunnel", 30, 0, 0 };
	for (size_t s = 0; s < n_scen; s++) {
		snprintf(titles[s], sizeof(titles[s]), "Scenario %d",
		    q->cells[s].scenario);
		cols[1 + s] = (struct column){ titles[s], 16, 0, 1 };
	}
	cols[1 + n_scen] = (struct column){ "Passed / runs", 18, 0, 0 };
	table_begin(w, cols, n_scen + 2);
	for (size_t t = 0; t < q->n_tunnels; t++, row++) {
		size_t runs = 0, passed = 0;

		cells[0] = xasprintf("%s%s", q->tunnels[t].name,
		    q->tunnels[t].registered ? "" : "\n(not registered)");
		for (size_t s = 0; s < n_scen; s++) {
			const struct q_cell *c = &q->cells[t * (q->n_cells /
			    q->n_tunnels) + s];

			cells[1 + s] = xstrdup(c->result);
			runs += c->runs;
			passed += c->passed;
		}
		cells[1 + n_scen] = xasprintf("%zu / %zu", passed, runs);
		table_row(w, cells, row);
		free_cells(cells, n_scen + 2);
	}
	table_end(w);
}

static void
runs(struct pdfw *w, const struct quarterly *q)
{
	struct column cols[] = {
		{ "Run", 5, 0, 0 },
		{ "Tunnel, scenario", 16, 0, 0 },
		{ "Drill", 14, 0, 0 },
		{ "Verdict", 16, 0, 0 },
		{ "Cause", 15, 0, 0 },
		{ "MTTR", 11, 0, 0 },
		{ "Revision", 13, 0, 0 },
		{ "Sign-off", 12, 0, 0 },
	};
	char *cells[8];

	heading(w, "Runs");
	if (q->n_runs == 0) {
		paragraph(w, w->regular, SIZE_BODY, &muted,
		    "No run took place in the period.");
		return;
	}
	table_begin(w, cols, 8);
	for (size_t i = 0; i < q->n_runs; i++) {
		const struct q_run *r = &q->runs[i];

		cells[0] = xasprintf("%ld", r->id);
		cells[1] = xasprintf("%s\nscenario %d", r->tunnel, r->scenario);
		cells[2] = format_time_cell(r->at);
		cells[3] = r->verdict ? xasprintf("%s\n%s", r->verdict,
		    or_dash(r->outcome)) : xstrdup("not evaluated");
		cells[4] = xstrdup(or_dash(r->cause));
		cells[5] = r->mttr_ms >= 0 ? format_ms(r->mttr_ms) :
		    xstrdup(r->evaluated ? "not recovered" : "\xe2\x80\x94");
		cells[6] = xasprintf("%s\n%s", or_dash(r->revision),
		    r->revision_status);
		cells[7] = r->reviewer ? xasprintf("%s\n%s", r->signoff,
		    r->reviewer) : xstrdup(r->signoff);
		table_row(w, cells, i);
		free_cells(cells, 8);
	}
	table_end(w);
}

static char *
format_stat(const struct q_stat *s)
{
	char *median, *text;

	if (s->st.n == 0)
		return xasprintf("%s: no recovery", s->label);
	median = format_ms(s->st.median_ms);
	text = xasprintf("%s: %s (%zu)", s->label, median, s->st.n);
	free(median);
	return text;
}

static void
statistics(struct pdfw *w, const struct quarterly *q)
{
	struct column cols[] = {
		{ "Tunnel, scenario", 19, 0, 0 },
		{ "Recovered", 11, 0, 0 },
		{ "Median", 9, 0, 0 },
		{ "p95", 9, 0, 0 },
		{ "Spread", 9, 0, 0 },
		{ "Repeatable", 11, 0, 0 },
		{ "Earlier quarters: median (runs)", 32, 0, 0 },
	};
	char *cells[7];
	struct fp_buf earlier = { 0 };

	heading(w, "MTTR statistics");
	paragraph(w, w->regular, SIZE_SMALL, &muted, "Median and nearest-rank "
	    "95th percentile over the runs that recovered; the spread is "
	    "the maximum minus the minimum. Recovery is repeatable when at "
	    "least two runs recovered and the spread is within the "
	    "procedure's tolerance.");
	if (q->n_stats == 0) {
		paragraph(w, w->regular, SIZE_BODY, &muted,
		    "No evaluated run in the period or the quarters before.");
		return;
	}
	table_begin(w, cols, 7);
	for (size_t i = 0; i < q->n_stats; i++) {
		const struct q_stat_row *row = &q->stats[i];
		const struct q_stat *p = &row->period;

		for (size_t k = 0; k < row->n_history; k++) {
			char *one = format_stat(&row->history[k]);

			fp_buf_printf(&earlier, "%s%s", k ? "\n" : "", one);
			free(one);
		}
		cells[0] = xasprintf("%s\nscenario %d", row->tunnel,
		    row->scenario);
		cells[1] = xasprintf("%zu of %zu", p->st.n, p->st.n +
		    p->not_recovered);
		cells[2] = format_ms(p->st.median_ms);
		cells[3] = format_ms(p->st.p95_ms);
		cells[4] = format_ms(p->st.spread_ms);
		cells[5] = xstrdup(p->repeatable > 0 ? "yes" :
		    p->repeatable == 0 ? "no" : "undecided");
		cells[6] = earlier.len ? fp_buf_detach(&earlier) :
		    xstrdup("none");
		table_row(w, cells, i);
		free_cells(cells, 7);
	}
	fp_buf_free(&earlier);
	table_end(w);
}

/*
 * A line chart of the median MTTR per tunnel: one column per quarter
 * (the earlier ones, then the period), one coloured line per tunnel,
 * and a dashed line at the maximum outage.
 */
static void
mttr_chart(struct pdfw *w, const struct quarterly *q)
{
	const int slots = QUARTERLY_HISTORY + 1;
	float x0 = MARGIN_X + 40, x1 = PAGE_W - MARGIN_X - 10, height = 150;
	float top, bottom, step_x, x, lx;
	size_t drawn = 0, with_data = 0;
	int64_t peak = q->max_outage_ms;
	double step;
	char label[32];

	for (size_t i = 0; i < q->n_series; i++) {
		int any = 0;

		for (int s = 0; s < slots; s++) {
			if (q->series[i].median_ms[s] > peak)
				peak = q->series[i].median_ms[s];
			any |= q->series[i].median_ms[s] >= 0;
		}
		with_data += any;
	}
	ensure_space(w, height + 90);
	heading(w, "MTTR per tunnel over quarters");
	if (with_data == 0) {
		paragraph(w, w->regular, SIZE_BODY, &muted,
		    "No run recovered in the period or the quarters before.");
		return;
	}
	top = w->y - 8;
	bottom = top - height;
	step_x = (x1 - x0) / (float)(slots - 1);
	if (peak <= 0)
		peak = 1000;
	peak += peak / 10;

	/* Axes, the grid and its labels in seconds. */
	stroke_line(w, &ink, 0.5f, x0, bottom, x1, bottom);
	stroke_line(w, &ink, 0.5f, x0, bottom, x0, top);
	step = chart_step(peak / 1000.0);
	for (double t = 0; t * 1000 <= peak; t += step) {
		float y = bottom + (float)(t * 1000 / peak) * height;

		stroke_line(w, &rule, 0.3f, x0, y, x1, y);
		snprintf(label, sizeof(label), "%g s", t);
		draw_text(w, w->regular, SIZE_SMALL, &ink, x0 - 6 -
		    text_width(w->regular, SIZE_SMALL, label), y - 2, label);
	}
	for (int s = 0; s < slots; s++) {
		const char *text = q->history_labels[s];

		x = x0 + s * step_x;
		stroke_line(w, &ink, 0.5f, x, bottom, x, bottom - 3);
		draw_text(w, s == slots - 1 ? w->bold : w->regular, SIZE_SMALL,
		    &ink, x - text_width(w->regular, SIZE_SMALL, text) / 2,
		    bottom - 11, text);
	}
	if (q->max_outage_ms > 0) {
		float y = bottom + (float)q->max_outage_ms / peak * height;

		HPDF_Page_SetDash(w->page, (const HPDF_UINT16[]){ 3, 2 }, 2,
		    0);
		stroke_line(w, &red, 0.6f, x0, y, x1, y);
		HPDF_Page_SetDash(w->page, NULL, 0, 0);
		draw_text(w, w->regular, SIZE_SMALL, &red, x0 + 2, y + 2,
		    "maximum outage");
	}

	/* One line per tunnel with data, up to CHART_MAX_TUNNELS. */
	for (size_t i = 0; i < q->n_series && drawn < CHART_MAX_TUNNELS; i++) {
		const struct q_series *sr = &q->series[i];
		const struct rgb *c = line_colours[drawn];
		int pen = 0, any = 0;

		for (int s = 0; s < slots; s++)
			any |= sr->median_ms[s] >= 0;
		if (!any)
			continue;
		set_stroke(w, c);
		HPDF_Page_SetLineWidth(w->page, 1.2f);
		for (int s = 0; s < slots; s++) {
			float px = x0 + s * step_x, py;

			if (sr->median_ms[s] < 0) {
				pen = 0;
				continue;
			}
			py = bottom + (float)sr->median_ms[s] / peak * height;
			if (pen)
				HPDF_Page_LineTo(w->page, px, py);
			else
				HPDF_Page_MoveTo(w->page, px, py);
			pen = 1;
		}
		HPDF_Page_Stroke(w->page);
		for (int s = 0; s < slots; s++)
			if (sr->median_ms[s] >= 0)
				fill_rect(w, c, x0 + s * step_x - 1.5f, bottom +
				    (float)sr->median_ms[s] / peak * height -
				    1.5f, 3, 3);
		drawn++;
	}

	w->y = bottom - 24;
	lx = MARGIN_X;
	drawn = 0;
	for (size_t i = 0; i < q->n_series && drawn < CHART_MAX_TUNNELS; i++) {
		int any = 0;

		for (int s = 0; s < slots; s++)
			any |= q->series[i].median_ms[s] >= 0;
		if (!any)
			continue;
		if (lx > PAGE_W - MARGIN_X - 90) {
			lx = MARGIN_X;
			w->y -= 12;
		}
		legend_item(w, &lx, w->y, line_colours[drawn],
		    q->series[i].tunnel);
		drawn++;
	}
	w->y -= 14;
	if (with_data > drawn) {
		char *text = xasprintf("Median MTTR of all scenarios per "
		    "quarter. %zu more tunnels are in the statistics table "
		    "but not drawn.", with_data - drawn);

		paragraph(w, w->regular, SIZE_SMALL, &muted, text);
		free(text);
	} else {
		paragraph(w, w->regular, SIZE_SMALL, &muted, "Median MTTR of "
		    "all scenarios per quarter; a gap is a quarter without a "
		    "recovered run.");
	}
}

static void
failback(struct pdfw *w, const struct quarterly *q)
{
	struct column cols[] = {
		{ "Tunnel", 20, 0, 0 },
		{ "Failover (scenario 2)", 22, 0, 0 },
		{ "Failback (scenario 3)", 22, 0, 0 },
		{ "Both directions", 16, 0, 0 },
		{ "Failback - failover MTTR", 20, 0, 0 },
	};
	char *cells[5];

	heading(w, "Failback symmetry");
	if (q->n_failbacks == 0) {
		paragraph(w, w->regular, SIZE_BODY, &muted,
		    "No scenario 3 run in the period.");
		return;
	}
	table_begin(w, cols, 5);
	for (size_t i = 0; i < q->n_failbacks; i++) {
		const struct q_failback *f = &q->failbacks[i];
		char *mttr;

		cells[0] = xstrdup(f->tunnel);
		if (f->failover != NULL) {
			mttr = format_ms(f->failover->mttr_ms);
			cells[1] = xasprintf("run %ld: %s\nMTTR %s",
			    f->failover->id, or_dash(f->failover->verdict),
			    mttr);
			free(mttr);
		} else {
			cells[1] = xstrdup("no run in the period");
		}
		mttr = format_ms(f->failback->mttr_ms);
		cells[2] = xasprintf("run %ld: %s\nMTTR %s", f->failback->id,
		    or_dash(f->failback->verdict), mttr);
		free(mttr);
		cells[3] = xstrdup(f->held ? "held" : "did not hold");
		cells[4] = f->has_difference ? xasprintf("%+" PRId64 " ms",
		    f->difference_ms) : xstrdup("\xe2\x80\x94");
		table_row(w, cells, i);
		free_cells(cells, 5);
	}
	table_end(w);
}

static void
defects(struct pdfw *w, const struct quarterly *q)
{
	struct column cols[] = {
		{ "Defect", 8, 0, 0 },
		{ "Run, tunnel", 20, 0, 0 },
		{ "Verdict, cause", 22, 0, 0 },
		{ "Status", 14, 0, 0 },
		{ "Opened", 13, 0, 0 },
		{ "Verified", 13, 0, 0 },
		{ "Age", 10, 0, 0 },
	};
	char *cells[7];

	heading(w, "Design defects");
	if (q->n_defects == 0) {
		paragraph(w, w->regular, SIZE_BODY, &muted,
		    "No defect was open during the period.");
		return;
	}
	table_begin(w, cols, 7);
	for (size_t i = 0; i < q->n_defects; i++) {
		const struct q_defect *d = &q->defects[i];

		cells[0] = xasprintf("%ld", d->id);
		cells[1] = xasprintf("run %ld\n%s, scenario %d", d->run,
		    d->tunnel, d->scenario);
		cells[2] = xasprintf("%s\n%s", d->verdict, or_dash(d->cause));
		cells[3] = xasprintf("%s%s%s", d->status, d->opened_in_period ?
		    "\nopened in period" : "", d->open_at_end ?
		    "\nopen at end" : "");
		cells[4] = format_time_cell(d->opened_at);
		if (d->closed_at != FP_TIME_NONE) {
			char *when = format_time_cell(d->closed_at);

			cells[5] = xasprintf("%s\nby run %ld", when,
			    d->closed_by_run);
			free(when);
		} else {
			cells[5] = xstrdup("\xe2\x80\x94");
		}
		cells[6] = xasprintf("%" PRId64 " days", d->age_days);
		table_row(w, cells, i);
		free_cells(cells, 7);
	}
	table_end(w);
}

static void
waivers(struct pdfw *w, const struct quarterly *q)
{
	struct column cols[] = {
		{ "Waiver", 8, 0, 0 },
		{ "Covers", 20, 0, 0 },
		{ "Justification", 38, 0, 0 },
		{ "Approver", 16, 0, 0 },
		{ "Expires", 18, 0, 0 },
	};
	char *cells[5];

	heading(w, "Waivers");
	if (q->n_waivers == 0) {
		paragraph(w, w->regular, SIZE_BODY, &muted,
		    "No waiver was in force during the period.");
		return;
	}
	table_begin(w, cols, 5);
	for (size_t i = 0; i < q->n_waivers; i++) {
		const struct q_waiver *v = &q->waivers[i];
		char *when = format_time_cell(v->expires_at);

		cells[0] = xasprintf("%ld", v->id);
		cells[1] = v->defect ? xasprintf("defect %ld", v->defect) :
		    xasprintf("run %ld\n%s", v->run, or_dash(v->criterion));
		cells[2] = xstrdup(v->justification);
		cells[3] = xstrdup(v->approver);
		cells[4] = xasprintf("%s%s", when, v->expired ? "\nexpired" :
		    "");
		table_row(w, cells, i);
		free_cells(cells, 5);
		free(when);
	}
	table_end(w);
}

static void
findings(struct pdfw *w, const struct quarterly *q)
{
	struct column cols[] = {
		{ "Finding", 22, 0, 0 },
		{ "Detail", 78, 0, 0 },
	};
	char *cells[2];

	heading(w, "Findings");
	if (q->n_findings == 0) {
		paragraph(w, w->regular, SIZE_BODY, &muted, "None.");
		return;
	}
	table_begin(w, cols, 2);
	for (size_t i = 0; i < q->n_findings; i++) {
		cells[0] = xstrdup(q->findings[i].id);
		cells[1] = xstrdup(q->findings[i].text);
		table_row(w, cells, i);
		free_cells(cells, 2);
	}
	table_end(w);
}

static void
provenance(struct pdfw *w, const struct quarterly *q)
{
	heading(w, "Provenance");
	fact(w, "Evidence commit", q->head_commit);
	fact(w, "First run's commit", q->first_commit);
	fact(w, "Last run's commit", q->last_commit);
	fact_owned(w, "Generated", format_time(q->generated_at));
	fact_owned(w, "Tool", xasprintf("failproof %s", FP_VERSION));
}

int
quarterly_pdf_write(const struct quarterly *q, const char *path)
{
	char *title = NULL, *footer = NULL;
	struct pdfw w;
	int rc;

	memset(&w, 0, sizeof(w));
	if (!is_commit(q->head_commit))
		return fp_fail(FP_EINVAL, "quarterly report %s: evidence commit "
		    "\"%s\" is not 40 hex digits", q->label,
		    q->head_commit ? q->head_commit : "");
	w.doc = HPDF_New(on_hpdf_error, &w);
	if (w.doc == NULL)
		return fp_fail(FP_EIO, "cannot create a PDF document");
	HPDF_UseUTFEncodings(w.doc);
	HPDF_SetCompressionMode(w.doc, HPDF_COMP_ALL);
	if ((rc = load_fonts(&w)) != 0)
		goto out;
	title = xasprintf("VPN HA quarterly compliance report, %s", q->label);
	set_info(&w, title, q->head_commit, q->generated_at);
	w.running_head = xasprintf("VPN HA quarterly compliance report "
	    "\xc2\xb7 %s", q->label);
	footer = xasprintf("failproof \xc2\xb7 %s \xc2\xb7 %s",
	    or_dash(q->procedure_id), q->label);

	new_page(&w);
	title_block(&w, q);
	summary(&w, q);
	document_control(&w, q);
	coverage(&w, q);
	runs(&w, q);
	statistics(&w, q);
	mttr_chart(&w, q);
	failback(&w, q);
	defects(&w, q);
	waivers(&w, q);
	findings(&w, q);
	provenance(&w, q);
	footers(&w, footer);

	if (w.error != HPDF_OK) {
		rc = fp_fail(FP_EIO, "'%s': cannot lay out the quarterly "
		    "report: libharu error 0x%04X (detail %u)", path,
		    (unsigned)w.error, (unsigned)w.error_detail);
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
	free(title);
	free(footer);
	return rc;
}
