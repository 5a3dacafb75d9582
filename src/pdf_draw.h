/*
 * The drawing vocabulary of the PDF writers (report_pdf.c for a run,
 * quarterly_pdf.c for a period): A4 geometry, colours, wrapped text,
 * key-value facts, tables that continue across pages under a repeated
 * header, footers and document information.  libharu is called only
 * here and in those writers.
 *
 * A writer keeps a struct pdfw, whose cursor (y) moves down the page.
 * Each block calls ensure_space() before it draws.  Text from evidence
 * or users goes through clean_text() (draw_text() and wrap_text() do it)
 * before it reaches libharu.
 */
#ifndef FP_PDF_DRAW_H
#define FP_PDF_DRAW_H

#include <stddef.h>

#include <hpdf.h>

#include "util.h"

#define FONT_DIR	"/usr/share/fonts/truetype/dejavu"
#define FONT_REGULAR	FONT_DIR "/DejaVuSans.ttf"
#define FONT_BOLD	FONT_DIR "/DejaVuSans-Bold.ttf"
#define FONT_MONO	FONT_DIR "/DejaVuSansMono.ttf"

/* A4 in points, and the margins of the text column. */
#define PAGE_W		595.276f
#define PAGE_H		841.89f
#define MARGIN_X	48.0f
#define MARGIN_TOP	56.0f
#define MARGIN_BOTTOM	56.0f
#define CONTENT_W	(PAGE_W - 2 * MARGIN_X)
#define BODY_TOP	(PAGE_H - MARGIN_TOP)

#define SIZE_TITLE	18.0f
#define SIZE_HEADING	12.0f
#define SIZE_BODY	9.0f
#define SIZE_TABLE	8.0f
#define SIZE_SMALL	7.0f
/* Line height as a multiple of the font size. */
#define LEADING		1.3f
#define CELL_PAD	3.0f

#define MAX_COLUMNS	8

struct rgb {
	float r, g, b;
};

extern const struct rgb ink, muted, rule, header_fill, stripe_fill, green,
    red, amber, blue, purple, grey;

/* One table column: heading, width in points, font and colouring. */
struct column {
	const char *title;
	float width;
	int mono;		/* hashes and commits */
	int result;		/* colour the cell by its result word */
};

struct lines {
	size_t n;
	char **v;
};

struct report;

/* Writer state: the document, the current page and the cursor. */
struct pdfw {
	const struct report *r;		/* the run report; NULL otherwise */
	HPDF_Doc doc;
	HPDF_Font regular;
	HPDF_Font bold;
	HPDF_Font mono;
	HPDF_Page page;
	HPDF_Page *pages;
	size_t n_pages;
	float y;			/* baseline cursor, top down */
	float indent;			/* inset of fact() in a box */
	HPDF_STATUS error;		/* first libharu error */
	HPDF_STATUS error_detail;
	char *running_head;		/* top line of pages after the first */

	/* the table being drawn, so a page break can repeat its header */
	const struct column *table;
	size_t table_columns;
};

/* libharu's error handler: keeps the first error in w (arg). */
void on_hpdf_error(HPDF_STATUS error, HPDF_STATUS detail, void *arg);
/* Load the DejaVu fonts into w; FP_EIO names a missing font package. */
int load_fonts(struct pdfw *w);
/* Title, Author "failproof", Creator, creation date and the Keywords
 * REPORT_PDF_COMMIT_KEYWORD followed by the evidence commit. */
void set_info(struct pdfw *w, const char *title, const char *evidence_commit,
    fp_time generated_at);
/* Whether s is 40 hex digits. */
int is_commit(const char *s);

/* Text: clean_text() returns valid UTF-8 that libharu can draw. */
char *clean_text(const char *s, int keep_newlines);
int is_blank(const char *s);
const char *or_dash(const char *s);
char *format_time(fp_time t);
char *format_time_cell(fp_time t);
char *format_ms(int64_t ms);
char *format_size(int64_t bytes);
const struct rgb *result_colour(const char *result);
const struct rgb *verdict_colour(const char *verdict);

/* Primitives. */
void set_fill(struct pdfw *w, const struct rgb *c);
void set_stroke(struct pdfw *w, const struct rgb *c);
float text_width(HPDF_Font font, float size, const char *s);
void draw_clean(struct pdfw *w, HPDF_Font font, float size,
    const struct rgb *c, float x, float y, const char *s);
void draw_text(struct pdfw *w, HPDF_Font font, float size,
    const struct rgb *c, float x, float y, const char *s);
void fill_rect(struct pdfw *w, const struct rgb *c, float x, float y,
    float width, float height);
void stroke_line(struct pdfw *w, const struct rgb *c, float line_width,
    float x0, float y0, float x1, float y1);
void lines_push(struct lines *l, const char *s, size_t len);
void lines_free(struct lines *l);
void wrap_text(HPDF_Font font, float size, const char *text, float width,
    struct lines *out);

/* Flow: pages, headings, paragraphs, tables, facts. */
void new_page(struct pdfw *w);
void ensure_space(struct pdfw *w, float height);
void heading(struct pdfw *w, const char *title);
void paragraph(struct pdfw *w, HPDF_Font font, float size,
    const struct rgb *c, const char *text);
void draw_table_header(struct pdfw *w);
void table_begin(struct pdfw *w, struct column *cols, size_t n);
void table_end(struct pdfw *w);
void table_row(struct pdfw *w, char *const *cells, size_t row_index);
void free_cells(char **cells, size_t n);
void fact(struct pdfw *w, const char *label, const char *value);
void fact_owned(struct pdfw *w, const char *label, char *value);

/* Charts and page furniture. */
double chart_step(double span_s);
void legend_item(struct pdfw *w, float *x, float y, const struct rgb *c,
    const char *label);
void footers(struct pdfw *w, const char *left);

#endif
