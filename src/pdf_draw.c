/*
 * Drawing helpers shared by the PDF writers, moved out of report_pdf.c
 * unchanged except where they read the run report: the running header,
 * the footer text and the document information are now arguments.
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
#include "report_pdf.h"
#include "util.h"

const struct rgb ink = { 0.10f, 0.10f, 0.12f };
const struct rgb muted = { 0.38f, 0.38f, 0.42f };
const struct rgb rule = { 0.75f, 0.75f, 0.78f };
const struct rgb header_fill = { 0.91f, 0.92f, 0.94f };
const struct rgb stripe_fill = { 0.97f, 0.97f, 0.98f };
const struct rgb green = { 0.12f, 0.50f, 0.20f };
const struct rgb red = { 0.78f, 0.12f, 0.12f };
const struct rgb amber = { 0.80f, 0.50f, 0.00f };
const struct rgb blue = { 0.16f, 0.36f, 0.72f };
const struct rgb purple = { 0.50f, 0.22f, 0.62f };
const struct rgb grey = { 0.55f, 0.55f, 0.58f };

void
on_hpdf_error(HPDF_STATUS error, HPDF_STATUS detail, void *arg)
{
	struct pdfw *w = arg;

	if (w->error == HPDF_OK) {
		w->error = error;
		w->error_detail = detail;
	}
}

/*
 * Copy s as valid UTF-8 that libharu can draw.  NULL becomes "".  Control
 * characters become spaces, except '\n' when keep_newlines is set.
 */
char *
clean_text(const char *s, int keep_newlines)
{
	static const char replacement[] = "\xef\xbf\xbd";	/* U+FFFD */
	struct fp_buf b = { 0 };
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	fp_buf_puts(&b, "");
	while (*p != '\0') {
		uint32_t cp;
		size_t n, i;

		if (*p < 0x80) {
			if (*p == '\n' && keep_newlines)
				fp_buf_append(&b, "\n", 1);
			else if (*p < 0x20 || *p == 0x7f)
				fp_buf_append(&b, " ", 1);
			else
				fp_buf_append(&b, p, 1);
			p++;
			continue;
		}
		if ((*p & 0xe0) == 0xc0) {
			n = 2;
			cp = *p & 0x1f;
		} else if ((*p & 0xf0) == 0xe0) {
			n = 3;
			cp = *p & 0x0f;
		} else if ((*p & 0xf8) == 0xf0) {
			n = 4;
			cp = *p & 0x07;
		} else {
			fp_buf_puts(&b, replacement);
			p++;
			continue;
		}
		for (i = 1; i < n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				break;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if (i < n || (n == 2 && cp < 0x80) ||
		    (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
			fp_buf_puts(&b, replacement);
			p += i;
			continue;
		}
		if (cp >= 0x10000 || (cp >= 0x80 && cp < 0xa0))
			fp_buf_puts(&b, cp >= 0x10000 ? replacement : " ");
		else
			fp_buf_append(&b, p, n);
		p += n;
	}
	return fp_buf_detach(&b);
}

int
is_blank(const char *s)
{
	return s == NULL || *s == '\0';
}

const char *
or_dash(const char *s)
{
	return is_blank(s) ? "\xe2\x80\x94" : s;	/* em dash */
}

char *
format_time(fp_time t)
{
	char buf[FP_TIME_STRLEN];

	if (t == FP_TIME_NONE)
		return xstrdup("\xe2\x80\x94");
	fp_time_format_ms(t, buf, sizeof(buf));
	return xstrdup(buf);
}

/* The same with a space for the "T", so a narrow cell wraps between the
 * date and the time. */
char *
format_time_cell(fp_time t)
{
	char *s = format_time(t), *sep = strchr(s, 'T');

	if (sep != NULL)
		*sep = ' ';
	return s;
}

/* "3.084 s" from milliseconds. */
char *
format_ms(int64_t ms)
{
	int64_t whole = ms / 1000, frac = ms % 1000;

	if (ms < 0)
		return xstrdup("\xe2\x80\x94");
	return xasprintf("%" PRId64 ".%03" PRId64 " s", whole, frac);
}

char *
format_size(int64_t bytes)
{
	if (bytes < 0)
		return xstrdup("\xe2\x80\x94");
	if (bytes < 1024)
		return xasprintf("%" PRId64 " B", bytes);
	if (bytes < 1024 * 1024)
		return xasprintf("%.1f KiB", bytes / 1024.0);
	return xasprintf("%.1f MiB", bytes / (1024.0 * 1024.0));
}

const struct rgb *
result_colour(const char *result)
{
	if (result == NULL)
		return &ink;
	if (strcmp(result, "pass") == 0 || strcmp(result, "met") == 0 ||
	    strcmp(result, "attested") == 0 || strcmp(result, "approved") == 0)
		return &green;
	if (strcmp(result, "fail") == 0 || strcmp(result, "not-met") == 0 ||
	    strcmp(result, "rejected") == 0)
		return &red;
	if (strcmp(result, "inconclusive") == 0 ||
	    strcmp(result, "undetermined") == 0)
		return &amber;
	return &ink;
}

const struct rgb *
verdict_colour(const char *verdict)
{
	if (verdict == NULL || strcmp(verdict, "inconclusive") == 0 ||
	    strcmp(verdict, "errored") == 0)
		return &amber;
	if (strcmp(verdict, "pass") == 0)
		return &green;
	return &red;
}

void
set_fill(struct pdfw *w, const struct rgb *c)
{
	HPDF_Page_SetRGBFill(w->page, c->r, c->g, c->b);
}

void
set_stroke(struct pdfw *w, const struct rgb *c)
{
	HPDF_Page_SetRGBStroke(w->page, c->r, c->g, c->b);
}

float
text_width(HPDF_Font font, float size, const char *s)
{
	HPDF_TextWidth tw;

	if (*s == '\0')
		return 0;
	tw = HPDF_Font_TextWidth(font, (const HPDF_BYTE *)s, strlen(s));
	return tw.width * size / 1000.0f;
}

/* Draw one line of already clean text with its baseline at y. */
void
draw_clean(struct pdfw *w, HPDF_Font font, float size,
    const struct rgb *c, float x, float y, const char *s)
{
	if (*s == '\0')
		return;
	set_fill(w, c);
	HPDF_Page_SetFontAndSize(w->page, font, size);
	HPDF_Page_BeginText(w->page);
	HPDF_Page_TextOut(w->page, x, y, s);
	HPDF_Page_EndText(w->page);
}

void
draw_text(struct pdfw *w, HPDF_Font font, float size,
    const struct rgb *c, float x, float y, const char *s)
{
	char *clean = clean_text(s, 0);

	draw_clean(w, font, size, c, x, y, clean);
	free(clean);
}

void
fill_rect(struct pdfw *w, const struct rgb *c, float x, float y,
    float width, float height)
{
	set_fill(w, c);
	HPDF_Page_Rectangle(w->page, x, y, width, height);
	HPDF_Page_Fill(w->page);
}

void
stroke_line(struct pdfw *w, const struct rgb *c, float line_width,
    float x0, float y0, float x1, float y1)
{
	set_stroke(w, c);
	HPDF_Page_SetLineWidth(w->page, line_width);
	HPDF_Page_MoveTo(w->page, x0, y0);
	HPDF_Page_LineTo(w->page, x1, y1);
	HPDF_Page_Stroke(w->page);
}

void
lines_push(struct lines *l, const char *s, size_t len)
{
	l->v = xrealloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n++] = xstrndup(s, len);
}

void
lines_free(struct lines *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Length in bytes of the longest prefix of s (whole characters, at least
 * one) whose width fits. */
static size_t
fitting_prefix(HPDF_Font font, float size, const char *s, size_t len,
    float width)
{
	size_t best = 0, i = 0;
	char *tmp = xmalloc(len + 1);

	while (i < len) {
		size_t next = i + 1;

		while (next < len && ((unsigned char)s[next] & 0xc0) == 0x80)
			next++;
		memcpy(tmp, s, next);
		tmp[next] = '\0';
		if (best > 0 && text_width(font, size, tmp) > width)
			break;
		best = next;
		i = next;
	}
	free(tmp);
	return best;
}

/*
 * Break one paragraph of clean text into lines no wider than width: at
 * spaces where possible, inside a word (a hash, a path) where it must.
 */
static void
wrap_paragraph(HPDF_Font font, float size, const char *text, float width,
    struct lines *out)
{
	struct fp_buf line = { 0 };
	const char *p = text;

	fp_buf_puts(&line, "");
	while (*p != '\0') {
		const char *end;
		size_t wlen, keep;

		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		end = strchr(p, ' ');
		wlen = end ? (size_t)(end - p) : strlen(p);

		keep = line.len;
		if (line.len > 0)
			fp_buf_append(&line, " ", 1);
		fp_buf_append(&line, p, wlen);
		p += wlen;
		if (text_width(font, size, line.data) <= width)
			continue;

		/* The word does not fit: close the line before it. */
		if (keep > 0) {
			lines_push(out, line.data, keep);
			memmove(line.data, line.data + keep + 1,
			    line.len - keep);
			line.len -= keep + 1;
		}
		while (text_width(font, size, line.data) > width) {
			size_t n = fitting_prefix(font, size, line.data,
			    line.len, width);

			lines_push(out, line.data, n);
			memmove(line.data, line.data + n, line.len - n + 1);
			line.len -= n;
		}
	}
	if (line.len > 0 || out->n == 0)
		lines_push(out, line.data, line.len);
	fp_buf_free(&line);
}

/* Wrap any text (NULL allowed) into lines, starting a new one at '\n'. */
void
wrap_text(HPDF_Font font, float size, const char *text, float width,
    struct lines *out)
{
	char *clean = clean_text(text, 1);
	char *p = clean, *nl;

	while ((nl = strchr(p, '\n')) != NULL) {
		*nl = '\0';
		wrap_paragraph(font, size, p, width, out);
		p = nl + 1;
	}
	wrap_paragraph(font, size, p, width, out);
	free(clean);
}

/* Start a new page with the running header and, inside a table, the
 * table's header. */
void
new_page(struct pdfw *w)
{
	w->page = HPDF_AddPage(w->doc);
	HPDF_Page_SetSize(w->page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	w->pages = xrealloc(w->pages, (w->n_pages + 1) * sizeof(*w->pages));
	w->pages[w->n_pages++] = w->page;
	w->y = BODY_TOP;

	if (w->n_pages > 1 && w->running_head != NULL) {
		draw_text(w, w->regular, SIZE_SMALL, &muted, MARGIN_X,
		    PAGE_H - 36, w->running_head);
		stroke_line(w, &rule, 0.5f, MARGIN_X, PAGE_H - 40,
		    PAGE_W - MARGIN_X, PAGE_H - 40);
	}
	if (w->table != NULL)
		draw_table_header(w);
}

/* Make room for height points below the cursor, on a new page if needed. */
void
ensure_space(struct pdfw *w, float height)
{
	if (w->y - height < MARGIN_BOTTOM)
		new_page(w);
}

void
heading(struct pdfw *w, const char *title)
{
	ensure_space(w, 64);
	w->y -= 14;
	draw_text(w, w->bold, SIZE_HEADING, &ink, MARGIN_X, w->y - SIZE_HEADING,
	    title);
	w->y -= SIZE_HEADING + 4;
	stroke_line(w, &rule, 0.75f, MARGIN_X, w->y, PAGE_W - MARGIN_X, w->y);
	w->y -= 6;
}

/* A wrapped paragraph across the text column. */
void
paragraph(struct pdfw *w, HPDF_Font font, float size, const struct rgb *c,
    const char *text)
{
	struct lines l = { 0 };
	float lead = size * LEADING;
	size_t i;

	wrap_text(font, size, text, CONTENT_W, &l);
	for (i = 0; i < l.n; i++) {
		ensure_space(w, lead);
		draw_clean(w, font, size, c, MARGIN_X, w->y - size, l.v[i]);
		w->y -= lead;
	}
	lines_free(&l);
	w->y -= 2;
}

void
draw_table_header(struct pdfw *w)
{
	float lead = SIZE_TABLE * LEADING, x = MARGIN_X, height;
	size_t i;

	height = lead + 2 * CELL_PAD;
	fill_rect(w, &header_fill, MARGIN_X, w->y - height, CONTENT_W, height);
	for (i = 0; i < w->table_columns; i++) {
		draw_text(w, w->bold, SIZE_TABLE, &ink, x + CELL_PAD,
		    w->y - CELL_PAD - SIZE_TABLE, w->table[i].title);
		x += w->table[i].width;
	}
	w->y -= height;
}

/* Start a table: scale the column widths to the text column, draw the
 * header and keep it for page breaks. */
void
table_begin(struct pdfw *w, struct column *cols, size_t n)
{
	float total = 0;
	size_t i;

	for (i = 0; i < n; i++)
		total += cols[i].width;
	for (i = 0; i < n; i++)
		cols[i].width = cols[i].width * CONTENT_W / total;
	ensure_space(w, 3 * SIZE_TABLE * LEADING + 4 * CELL_PAD);
	w->table = cols;
	w->table_columns = n;
	draw_table_header(w);
}

void
table_end(struct pdfw *w)
{
	w->table = NULL;
	w->table_columns = 0;
	w->y -= 6;
}

static HPDF_Font
column_font(struct pdfw *w, const struct column *col)
{
	if (col->mono)
		return w->mono;
	return col->result ? w->bold : w->regular;
}

static float
column_size(const struct column *col)
{
	return col->mono ? SIZE_SMALL : SIZE_TABLE;
}

/*
 * Draw one row.  A row taller than the space left continues on the next
 * page: whole when it fits a fresh page, line by line when it does not.
 */
void
table_row(struct pdfw *w, char *const *cells, size_t row_index)
{
	struct lines wrapped[MAX_COLUMNS];
	const struct column *cols = w->table;
	size_t n = w->table_columns, i, done = 0, total = 0;
	float lead = SIZE_TABLE * LEADING;
	float page_capacity;

	page_capacity = BODY_TOP - MARGIN_BOTTOM - 2 * lead - 4 * CELL_PAD;
	memset(wrapped, 0, sizeof(wrapped));
	for (i = 0; i < n; i++) {
		wrap_text(column_font(w, &cols[i]), column_size(&cols[i]),
		    cells[i], cols[i].width - 2 * CELL_PAD, &wrapped[i]);
		if (wrapped[i].n > total)
			total = wrapped[i].n;
	}

	while (done < total) {
		float avail = w->y - MARGIN_BOTTOM - 2 * CELL_PAD;
		size_t fit = avail > 0 ? (size_t)(avail / lead) : 0, chunk, k;
		float x = MARGIN_X, height;

		if (fit < total - done && (fit == 0 ||
		    (done == 0 && total * lead <= page_capacity))) {
			new_page(w);
			continue;
		}
		chunk = total - done < fit ? total - done : fit;
		height = chunk * lead + 2 * CELL_PAD;
		if (row_index % 2 == 1)
			fill_rect(w, &stripe_fill, MARGIN_X, w->y - height,
			    CONTENT_W, height);
		for (i = 0; i < n; i++) {
			const struct rgb *c = cols[i].result ?
			    result_colour(cells[i]) : &ink;
			HPDF_Font font = column_font(w, &cols[i]);
			float size = column_size(&cols[i]);

			for (k = 0; k < chunk && done + k < wrapped[i].n; k++)
				draw_clean(w, font, size, c, x + CELL_PAD,
				    w->y - CELL_PAD - SIZE_TABLE - k * lead,
				    wrapped[i].v[done + k]);
			x += cols[i].width;
		}
		w->y -= height;
		stroke_line(w, &rule, 0.3f, MARGIN_X, w->y, PAGE_W - MARGIN_X,
		    w->y);
		done += chunk;
	}

	for (i = 0; i < n; i++)
		lines_free(&wrapped[i]);
}

void
free_cells(char **cells, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(cells[i]);
		cells[i] = NULL;
	}
}

/* A two-column table of labels and values, without a header. */
void
fact(struct pdfw *w, const char *label, const char *value)
{
	struct lines l = { 0 };
	float lead = SIZE_BODY * LEADING, label_w = 150;
	size_t i;

	wrap_text(w->regular, SIZE_BODY, or_dash(value),
	    CONTENT_W - label_w - 2 * w->indent, &l);
	for (i = 0; i < l.n; i++) {
		ensure_space(w, lead);
		if (i == 0)
			draw_text(w, w->bold, SIZE_BODY, &muted,
			    MARGIN_X + w->indent, w->y - SIZE_BODY, label);
		draw_clean(w, w->regular, SIZE_BODY, &ink,
		    MARGIN_X + w->indent + label_w, w->y - SIZE_BODY, l.v[i]);
		w->y -= lead;
	}
	lines_free(&l);
}

void
fact_owned(struct pdfw *w, const char *label, char *value)
{
	fact(w, label, value);
	free(value);
}

/* A tick step of 1, 2 or 5 times a power of ten seconds, for 4-10 ticks. */
double
chart_step(double span_s)
{
	double step = pow(10, floor(log10(span_s / 5)));

	if (span_s / step > 20)
		step *= 5;
	else if (span_s / step > 10)
		step *= 2;
	return step;
}

void
legend_item(struct pdfw *w, float *x, float y, const struct rgb *c,
    const char *label)
{
	fill_rect(w, c, *x, y, 7, 7);
	draw_text(w, w->regular, SIZE_SMALL, &ink, *x + 10, y, label);
	*x += 14 + text_width(w->regular, SIZE_SMALL, label) + 10;
}

/* Draw the footer of every page: left text and "Page i of n". */
void
footers(struct pdfw *w, const char *left)
{
	char *right;
	size_t i;

	for (i = 0; i < w->n_pages; i++) {
		w->page = w->pages[i];
		right = xasprintf("Page %zu of %zu", i + 1, w->n_pages);
		stroke_line(w, &rule, 0.5f, MARGIN_X, 40, PAGE_W - MARGIN_X,
		    40);
		draw_text(w, w->regular, SIZE_SMALL, &muted, MARGIN_X, 30,
		    left);
		draw_text(w, w->regular, SIZE_SMALL, &muted, PAGE_W - MARGIN_X -
		    text_width(w->regular, SIZE_SMALL, right), 30, right);
		free(right);
	}
}

int
is_commit(const char *s)
{
	size_t i;

	if (s == NULL || strlen(s) != 40)
		return 0;
	for (i = 0; i < 40; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Document information: ASCII only, because libharu writes these strings
 * without a text encoding. */
void
set_info(struct pdfw *w, const char *title, const char *evidence_commit,
    fp_time generated_at)
{
	HPDF_Date date = { 1970, 1, 1, 0, 0, 0, 'Z', 0, 0 };
	char *keywords, *creator;
	time_t secs;
	struct tm tm;

	keywords = xasprintf("%s%s", REPORT_PDF_COMMIT_KEYWORD,
	    evidence_commit);
	creator = xasprintf("failproof %s", FP_VERSION);
	HPDF_SetInfoAttr(w->doc, HPDF_INFO_TITLE, title);
	HPDF_SetInfoAttr(w->doc, HPDF_INFO_AUTHOR, "failproof");
	HPDF_SetInfoAttr(w->doc, HPDF_INFO_CREATOR, creator);
	HPDF_SetInfoAttr(w->doc, HPDF_INFO_KEYWORDS, keywords);
	if (generated_at != FP_TIME_NONE) {
		secs = (time_t)(generated_at / 1000000);
		gmtime_r(&secs, &tm);
		date.year = tm.tm_year + 1900;
		date.month = tm.tm_mon + 1;
		date.day = tm.tm_mday;
		date.hour = tm.tm_hour;
		date.minutes = tm.tm_min;
		date.seconds = tm.tm_sec;
		HPDF_SetInfoDateAttr(w->doc, HPDF_INFO_CREATION_DATE, date);
	}
	free(keywords);
	free(creator);
}

int
load_fonts(struct pdfw *w)
{
	static const char *const paths[] = { FONT_REGULAR, FONT_BOLD,
	    FONT_MONO };
	HPDF_Font *fonts[] = { &w->regular, &w->bold, &w->mono };
	const char *name;
	size_t i;

	for (i = 0; i < 3; i++) {
		if (access(paths[i], R_OK) != 0)
			return fp_fail(FP_EIO, "font '%s' not found: install "
			    "the fonts-dejavu-core package", paths[i]);
		name = HPDF_LoadTTFontFromFile(w->doc, paths[i], HPDF_TRUE);
		if (name == NULL)
			return fp_fail(FP_EIO, "cannot load font '%s': "
			    "libharu error 0x%04X", paths[i],
			    (unsigned)w->error);
		*fonts[i] = HPDF_GetFont(w->doc, name, "UTF-8");
		if (*fonts[i] == NULL)
			return fp_fail(FP_EIO, "cannot load font '%s': "
			    "libharu error 0x%04X", paths[i],
			    (unsigned)w->error);
	}
	return 0;
}
