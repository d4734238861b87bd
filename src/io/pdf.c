/*
 * pdf.c - waybills, picking lists and delivery notes as PDF (ORD-7).
 *
 * Design
 * ------
 * A `struct doc` is one PDF being written: a cairo PDF surface streaming
 * into the caller's sb, one cairo context, and one pango context, layout
 * and font description that every text on every page reuses (only the text,
 * size, weight, width and height limit change), so a 1,000-page batch
 * creates those objects once. cairo collects the glyphs used and embeds
 * subset fonts (with ToUnicode maps) when the document is finished.
 *
 * Units are PDF points (1/72 in) in cairo's user space; page layouts are
 * written in millimetres through MM(). Every text is drawn into a box:
 * doc_text() lays the text out at the box width; when it is taller than
 * the box, doc_fit() keeps the lines that fit and ends the last with "…"
 * (pango's own height limit keeps one line per paragraph whatever the
 * height, so it can't be trusted with multi-line fields). A box too short
 * for even one line is left empty rather than overlap the next.
 *
 * Pagination of the tables (picking list, delivery notes) uses fixed row
 * heights, so the page count "第 p/N 页" is known before drawing: flow_*()
 * is the one place that decides where a page breaks, used both to count
 * and to draw.
 *
 * Threads: see pdf.h. Nothing here is static and mutable except the
 * pthread_once for fontconfig.
 */
#include "io/pdf.h"

#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>

#include "io/barcode.h"
#include "lib/money.h"
#include "lib/sb.h"
#include "lib/utf8.h"
#include "lib/common.h"

#define MM(x) ((x) * 72.0 / 25.4)

/* Noto Sans CJK SC first (fonts-noto-cjk); the others only if a system has
 * another CJK family instead. Latin text and digits use the same font. */
#define PDF_FONT_FAMILY "Noto Sans CJK SC,Source Han Sans SC,WenQuanYi Micro Hei,sans-serif"

/* Longest text given to pango per field, in bytes: far more than any box
 * shows, and it bounds the shaping work for a hostile or broken input. */
#define PDF_TEXT_MAX 1024

/* The thinnest bar we print: 0.2 mm is two dots of a 203 dpi thermal head. */
#define PDF_MODULE_MIN MM(0.2)

#define EPS 0.01

/* doc_text() flags */
#define T_BOLD 1u
#define T_CENTER 2u
#define T_RIGHT 4u
#define T_LINE 8u    /* one line, ellipsized; newlines become spaces */
#define T_VCENTER 16u /* centre vertically in the box */

/* ================================================================ doc */

struct doc {
	cairo_surface_t *surface;
	cairo_t *cr;
	PangoContext *pc;
	PangoLayout *layout;
	PangoFontDescription *font;
	struct sb *out;
	struct sb clean;  /* scratch: text after doc_clean() */
	struct sb fit;    /* scratch: text after doc_fit() */
	double w, h;      /* page size, pt */
	double last_w;    /* width of the last text drawn, pt */
};

static pthread_once_t fc_once = PTHREAD_ONCE_INIT;
static int fc_ok;

static void fc_init_once(void)
{
	fc_ok = FcInit() ? 1 : 0;
}

static cairo_status_t doc_write(void *closure, const unsigned char *data, unsigned int len)
{
	struct sb *sb = closure;

	sb_add(sb, data, len);
	return sb->err ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static int doc_cairo_err(cairo_status_t st, const struct doc *d, struct err *err)
{
	if (d->out->err == ERR_TOO_LARGE)
		return err_set(err, ERR_TOO_LARGE, "", "PDF 文件超过大小上限，请减少每批数量",
			       "the PDF is over the size limit; print fewer at once");
	if (d->out->err || st == CAIRO_STATUS_NO_MEMORY || d->clean.err || d->fit.err)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	return err_setf(err, ERR_INTERNAL, "", "PDF 生成失败：%s", "PDF rendering failed: %s",
			cairo_status_to_string(st));
}

/* 1 when the fonts pango picks for Chinese text really have Chinese glyphs
 * (otherwise every character would print as an empty box). */
static int doc_has_cjk(struct doc *d)
{
	const gunichar probe = 0x6536; /* 收 */
	PangoFontDescription *desc = pango_font_description_copy(d->font);
	PangoFontset *fs;
	PangoFont *f;
	int ok = 0;

	pango_font_description_set_absolute_size(desc, 10 * PANGO_SCALE);
	fs = pango_context_load_fontset(d->pc, desc, pango_context_get_language(d->pc));
	if (fs) {
		f = pango_fontset_get_font(fs, probe);
		if (f) {
			ok = pango_font_has_char(f, probe);
			g_object_unref(f);
		}
		g_object_unref(fs);
	}
	pango_font_description_free(desc);
	return ok;
}

static void doc_release(struct doc *d)
{
	if (d->layout)
		g_object_unref(d->layout);
	if (d->pc)
		g_object_unref(d->pc);
	if (d->font)
		pango_font_description_free(d->font);
	if (d->cr)
		cairo_destroy(d->cr);
	if (d->surface)
		cairo_surface_destroy(d->surface);
	sb_release(&d->clean);
	sb_release(&d->fit);
	memset(d, 0, sizeof *d);
}

static int doc_open(struct doc *d, double w, double h, const char *title, struct sb *out,
		    struct err *err)
{
	cairo_font_options_t *fo;
	cairo_status_t st;

	memset(d, 0, sizeof *d);
	sb_init(&d->clean, 0);
	sb_init(&d->fit, 0);
	d->out = out;
	d->w = w;
	d->h = h;

	pthread_once(&fc_once, fc_init_once);
	if (!fc_ok)
		return err_set(err, ERR_INTERNAL, "", "字体配置（fontconfig）初始化失败",
			       "fontconfig failed to initialise");

	d->surface = cairo_pdf_surface_create_for_stream(doc_write, out, w, h);
	st = cairo_surface_status(d->surface);
	if (st)
		return doc_cairo_err(st, d, err);
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(d->surface, CAIRO_PDF_METADATA_CREATOR, "dianpu");
	d->cr = cairo_create(d->surface);
	st = cairo_status(d->cr);
	if (st)
		return doc_cairo_err(st, d, err);

	/* The thread's default font map (per thread since pango 1.32.6). Metrics
	 * unhinted and glyph positions unrounded: the page is vector output,
	 * laid out in points, not pixels. */
	d->pc = pango_cairo_create_context(d->cr);
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	pango_cairo_context_set_font_options(d->pc, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_round_glyph_positions(d->pc, FALSE);
	pango_context_set_language(d->pc, pango_language_from_string("zh-cn"));

	d->font = pango_font_description_new();
	pango_font_description_set_family(d->font, PDF_FONT_FAMILY);
	d->layout = pango_layout_new(d->pc);
	pango_layout_set_wrap(d->layout, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_ellipsize(d->layout, PANGO_ELLIPSIZE_END);

	if (!doc_has_cjk(d))
		return err_set(err, ERR_INTERNAL, "font",
			       "没有可用的中文字体，请安装 fonts-noto-cjk",
			       "no Chinese font installed (install fonts-noto-cjk)");
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	return 0;
}

/* Finishes the document: the fonts are subset and written now. */
static int doc_finish(struct doc *d, struct err *err)
{
	cairo_status_t st = cairo_status(d->cr);

	if (st)
		return doc_cairo_err(st, d, err);
	cairo_surface_finish(d->surface);
	st = cairo_surface_status(d->surface);
	if (st || d->out->err || d->clean.err || d->fit.err)
		return doc_cairo_err(st, d, err);
	return 0;
}

static void doc_next_page(struct doc *d)
{
	cairo_show_page(d->cr);
}

/* Text fit for pango: NULL is "", CR LF and CR become LF (spaces on
 * one-line fields), other control characters spaces, and the text stops
 * at PDF_TEXT_MAX bytes on a character boundary. Borrowed: valid until the
 * next call. Input is valid UTF-8 (checked up front). */
static const char *doc_clean(struct doc *d, const char *s, int one_line)
{
	const unsigned char *p;
	size_t n;

	if (!s)
		return "";
	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			break;
	n = (size_t)((const char *)p - s);
	if (!*p && n <= PDF_TEXT_MAX)
		return s;

	sb_reset(&d->clean);
	for (p = (const unsigned char *)s; *p; p++) {
		if ((size_t)((const char *)p - s) >= PDF_TEXT_MAX && (*p & 0xc0) != 0x80)
			break;
		if (*p == '\r' && p[1] == '\n')
			continue;
		if (*p == '\n' || *p == '\r')
			sb_addc(&d->clean, one_line ? ' ' : '\n');
		else if (*p < 0x20 || *p == 0x7f)
			sb_addc(&d->clean, ' ');
		else
			sb_addc(&d->clean, (char)*p);
	}
	return d->clean.err ? "" : d->clean.buf;
}

/* The lines of d->layout (holding s) that end within h, the last one
 * followed by "…": laid out again with ELLIPSIZE_END and the height limit,
 * it fits, since it has no paragraph break left to overflow. NULL when not
 * even the first line fits. */
static const char *doc_fit(struct doc *d, const char *s, double h)
{
	PangoLayoutIter *it = pango_layout_get_iter(d->layout);
	int end = -1, y0, y1;

	do {
		const PangoLayoutLine *ln = pango_layout_iter_get_line_readonly(it);
		pango_layout_iter_get_line_yrange(it, &y0, &y1);
		if ((double)y1 / PANGO_SCALE > h + EPS)
			break;
		end = ln->start_index + ln->length;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	if (end < 0)
		return NULL;
	sb_reset(&d->fit);
	sb_add(&d->fit, s, (size_t)end);
	sb_adds(&d->fit, "\xe2\x80\xa6"); /* … */
	return d->fit.err ? NULL : d->fit.buf;
}

/* Draws text in the box (x, y, w, h), top-aligned unless T_VCENTER; returns
 * the height used (<= h). d->last_w gets the width of the widest line. */
static double doc_text(struct doc *d, double x, double y, double w, double h, double size_pt,
		       unsigned flags, const char *text)
{
	PangoLayout *l = d->layout;
	int one = (flags & T_LINE) != 0;
	const char *s;
	int lw, lh;
	double tw, th, ty = y;

	d->last_w = 0;
	if (!text || !*text || w <= 0 || h <= 0)
		return 0;
	pango_font_description_set_weight(d->font, (flags & T_BOLD) ? PANGO_WEIGHT_BOLD
								     : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_absolute_size(d->font, size_pt * PANGO_SCALE);
	pango_layout_set_font_description(l, d->font);
	pango_layout_set_width(l, (int)(w * PANGO_SCALE));
	pango_layout_set_alignment(l, (flags & T_CENTER) ? PANGO_ALIGN_CENTER
				      : (flags & T_RIGHT) ? PANGO_ALIGN_RIGHT
							   : PANGO_ALIGN_LEFT);
	/* one line: height -1 is "one line per paragraph", and there is one */
	pango_layout_set_ellipsize(l, one ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
	pango_layout_set_height(l, -1);
	s = doc_clean(d, text, one);
	pango_layout_set_text(l, s, -1);
	pango_layout_get_size(l, &lw, &lh);
	if (!one && (double)lh / PANGO_SCALE > h + EPS) {
		s = doc_fit(d, s, h);
		if (!s)
			return 0;
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		pango_layout_set_height(l, (int)(h * PANGO_SCALE));
		pango_layout_set_text(l, s, -1);
		pango_layout_get_size(l, &lw, &lh);
	}
	tw = (double)lw / PANGO_SCALE;
	th = (double)lh / PANGO_SCALE;
	/* a box that can't hold one line stays empty rather than overlap its neighbour */
	if (th > h + EPS)
		return 0;
	if ((flags & T_VCENTER) && th < h)
		ty = y + (h - th) / 2;
	cairo_move_to(d->cr, x, ty);
	pango_cairo_show_layout(d->cr, l);
	d->last_w = tw < w ? tw : w;
	return th;
}

/* Height of one line of text at size_pt (Noto CJK's line spacing). */
static double line_h(double size_pt)
{
	return size_pt * 1.45;
}

static void doc_line(struct doc *d, double x0, double y0, double x1, double y1, double width,
		     int dashed)
{
	static const double dash[] = { MM(1.6), MM(1.0) };

	cairo_set_line_width(d->cr, width);
	if (dashed)
		cairo_set_dash(d->cr, dash, 2, 0);
	cairo_move_to(d->cr, x0, y0);
	cairo_line_to(d->cr, x1, y1);
	cairo_stroke(d->cr);
	if (dashed)
		cairo_set_dash(d->cr, NULL, 0, 0);
}

static void doc_box(struct doc *d, double x, double y, double w, double h, double width)
{
	cairo_set_line_width(d->cr, width);
	cairo_rectangle(d->cr, x, y, w, h);
	cairo_stroke(d->cr);
}

static void doc_fill(struct doc *d, double x, double y, double w, double h, double gray)
{
	cairo_set_source_rgb(d->cr, gray, gray, gray);
	cairo_rectangle(d->cr, x, y, w, h);
	cairo_fill(d->cr);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
}

/* Draws bc centred in (x, w) from y, h tall, module m points wide. */
static void doc_barcode(struct doc *d, const struct barcode *bc, double x, double y, double w,
			double h, double m)
{
	double x0 = x + (w - bc->modules * m) / 2;

	for (size_t i = 0; i < bc->nbars; i++)
		cairo_rectangle(d->cr, x0 + bc->bars[i].x * m, y, bc->bars[i].width * m, h);
	cairo_fill(d->cr);
}

/* ================================================================ input checks */

static int bad_field(struct err *err, const char *what, size_t i, const char *name,
		     const char *zh, const char *en)
{
	char field[64];
	char zh_msg[200];
	char en_msg[200];

	snprintf(field, sizeof field, "%s[%zu].%s", what, i, name);
	snprintf(zh_msg, sizeof zh_msg, "第 %zu 项：%s", i + 1, zh);
	snprintf(en_msg, sizeof en_msg, "item %zu: %s", i + 1, en);
	return err_set(err, ERR_INVALID, field, zh_msg, en_msg);
}

static int check_text(const char *s, struct err *err, const char *what, size_t i,
		      const char *name)
{
	if (s && !utf8_valid(s, strlen(s)))
		return bad_field(err, what, i, name, "不是有效的 UTF-8 文本",
				 "is not valid UTF-8 text");
	return 0;
}

static int empty(const char *s)
{
	return !s || !*s;
}

static int check_count(size_t n, const char *what, struct err *err)
{
	if (n == 0)
		return err_set(err, ERR_INVALID, what, "没有要打印的内容", "nothing to print");
	if (n > PDF_MAX_ITEMS)
		return err_setf(err, ERR_TOO_LARGE, what, "一次最多打印 %d 项",
				"at most %d items per print job", PDF_MAX_ITEMS);
	return 0;
}

/* Cuts out back to len after a failed render. */
static void out_truncate(struct sb *out, size_t len)
{
	if (out->len > len) {
		out->len = len;
		out->buf[len] = '\0';
	}
}

/* ================================================================ pagination */

/* Rows of fixed height flowing over pages: cap1 points of room on the
 * first page, capn on the others. The one place page breaks are decided. */
struct flow {
	double used, cap, capn;
	int page;
};

static void flow_init(struct flow *f, double cap1, double capn)
{
	f->used = 0;
	f->cap = cap1;
	f->capn = capn;
	f->page = 1;
}

/* 1 when h no longer fits on this page: the caller starts a new page. */
static int flow_break(struct flow *f, double h)
{
	if (f->used == 0 || f->used + h <= f->cap + EPS)
		return 0;
	f->used = 0;
	f->cap = f->capn;
	f->page++;
	return 1;
}

static int flow_pages(size_t nrows, double row_h, double tail_h, double cap1, double capn)
{
	struct flow f;

	flow_init(&f, cap1, capn);
	for (size_t i = 0; i < nrows; i++) {
		flow_break(&f, row_h);
		f.used += row_h;
	}
	flow_break(&f, tail_h);
	return f.page;
}

/* A table column: x offset and width in points, header text, alignment. */
struct col {
	double x, w;
	const char *head;
	unsigned align;
};

/* Lays out columns from widths given as fractions of the table width. */
static void cols_layout(struct col *c, size_t n, const double *frac, double x0, double width)
{
	double x = x0;

	for (size_t i = 0; i < n; i++) {
		c[i].x = x;
		c[i].w = frac[i] * width;
		x += c[i].w;
	}
}

static void table_header(struct doc *d, const struct col *c, size_t n, double y, double h,
			 double size_pt)
{
	double x0 = c[0].x, x1 = c[n - 1].x + c[n - 1].w;

	doc_fill(d, x0, y, x1 - x0, h, 0.88);
	for (size_t i = 0; i < n; i++)
		doc_text(d, c[i].x + MM(1), y, c[i].w - MM(2), h, size_pt,
			 T_BOLD | T_LINE | T_VCENTER | c[i].align, c[i].head);
	doc_box(d, x0, y, x1 - x0, h, 0.6);
}

/* Grid lines of one body row. */
static void table_row_lines(struct doc *d, const struct col *c, size_t n, double y, double h)
{
	double x0 = c[0].x, x1 = c[n - 1].x + c[n - 1].w;

	cairo_set_source_rgb(d->cr, 0.45, 0.45, 0.45);
	for (size_t i = 0; i <= n; i++) {
		double x = i < n ? c[i].x : x1;
		doc_line(d, x, y, x, y + h, 0.4, 0);
	}
	doc_line(d, x0, y + h, x1, y + h, 0.4, 0);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
}

/* A cell's text, vertically centred, padded 1 mm left and right and
 * 0.25 mm top and bottom (a 9 mm row holds two lines of 8 pt). */
static void cell(struct doc *d, const struct col *c, double y, double h, double size_pt,
		 unsigned flags, const char *text)
{
	doc_text(d, c->x + MM(1), y + MM(0.25), c->w - MM(2), h - MM(0.5), size_pt,
		 flags | T_VCENTER | c->align, text);
}

/* ================================================================ waybills */

/* Section heights in mm, from the top; they add up to h_mm - 2 * margin. */
struct wb_geom {
	double w_mm, h_mm, margin;
	double head, code, recv, send, items, memo, stub;
	double bar_h, stub_bar_h;  /* bar heights, mm */
	double tag_w;              /* the 收/寄 column, mm */
	double fs;                 /* font scale */
};

static const struct wb_geom wb_geoms[] = {
	[PDF_WAYBILL_100x180] = { 100, 180, 2, 12, 26, 30, 20, 28, 12, 48, 17, 9, 9, 1.0 },
	[PDF_WAYBILL_76x130] = { 76, 130, 1.5, 9, 20, 25, 15, 18, 8, 32, 12.5, 7, 7, 0.8 },
};

static const char *wb_code_text(const struct pdf_waybill *w)
{
	return !empty(w->tracking_no) ? w->tracking_no : w->order_no;
}

static int wb_check(const struct pdf_waybill *w, size_t i, struct err *err)
{
	static const char *const what = "waybills";
	const struct {
		const char *name, *s;
	} f[] = {
		{ "tracking_no", w->tracking_no }, { "order_no", w->order_no },
		{ "courier", w->courier }, { "receiver_name", w->receiver_name },
		{ "receiver_phone", w->receiver_phone },
		{ "receiver_address", w->receiver_address },
		{ "sender_name", w->sender_name }, { "sender_phone", w->sender_phone },
		{ "sender_address", w->sender_address }, { "items_text", w->items_text },
		{ "memo", w->memo }, { "parcel", w->parcel },
	};
	int rc;

	for (size_t k = 0; k < ARRAY_SIZE(f); k++) {
		rc = check_text(f[k].s, err, what, i, f[k].name);
		if (rc)
			return rc;
	}
	if (empty(w->tracking_no) && empty(w->order_no))
		return bad_field(err, what, i, "tracking_no", "运单号和订单号都为空，无法生成条码",
				 "no tracking number and no order number for the barcode");
	if (empty(w->receiver_name))
		return bad_field(err, what, i, "receiver_name", "收件人姓名为空",
				 "receiver name is empty");
	if (empty(w->receiver_address))
		return bad_field(err, what, i, "receiver_address", "收件地址为空",
				 "receiver address is empty");
	return 0;
}

/* Name and phone on one line: the name gets at most 60% of the width. */
static double wb_name_phone(struct doc *d, double x, double y, double w, double h, double size,
			    unsigned flags, const char *name, const char *phone)
{
	double used = doc_text(d, x, y, w * 0.6, h, size, flags | T_LINE, name);
	double nw = d->last_w > 0 ? d->last_w + MM(2.5) : 0;
	double used2 = doc_text(d, x + nw, y, w - nw, h, size, flags | T_LINE, phone);

	return used > used2 ? used : used2;
}

/* One block with a tag column on the left (收, 寄, 物品, 备注). */
static void wb_tag(struct doc *d, double x, double y, double tag_w, double h, double size,
		   const char *tag)
{
	doc_text(d, x, y, tag_w, h, size, T_BOLD | T_CENTER | T_VCENTER, tag);
	doc_line(d, x + tag_w, y, x + tag_w, y + h, 0.8, 0);
}

static int wb_page(struct doc *d, const struct wb_geom *g, const struct pdf_waybill *w, size_t i,
		   struct err *err)
{
	const double fs = g->fs;
	const double x0 = MM(g->margin), W = MM(g->w_mm - 2 * g->margin);
	const double tag = MM(g->tag_w);
	const double cx = x0 + tag + MM(1.5), cw = W - tag - MM(3);
	const char *code = wb_code_text(w);
	char field[64];
	struct barcode bc;
	double y = MM(g->margin), m, h, used;
	int rc;

	snprintf(field, sizeof field, "waybills[%zu].%s", i,
		 empty(w->tracking_no) ? "order_no" : "tracking_no");
	rc = barcode_code128(code, &bc, field, err);
	if (rc)
		return rc;
	m = barcode_fit(&bc, W - MM(4), MM(0.5), PDF_MODULE_MIN);
	if (!m)
		return err_set(err, ERR_INVALID, field, "单号太长，条码无法在面单上清晰打印",
			       "the number is too long for a readable barcode on this label");

	/* head: courier, and the order number at the right in what is left; a
	 * parcel's mark (ORD-10) goes under the order number, bold */
	h = MM(g->head);
	{
		const double rx = x0 + W * 0.4, rw = W * 0.6 - MM(2);
		const double rh = empty(w->parcel) ? h : h / 2;
		double right_w = 0;
		if (!empty(w->order_no)) {
			struct sb t = SB_INIT;
			sb_addf(&t, "订单号 %s", w->order_no);
			doc_text(d, rx, y, rw, rh, 7.5 * fs, T_LINE | T_RIGHT | T_VCENTER,
				 t.err ? "" : t.buf);
			right_w = d->last_w;
			sb_release(&t);
		}
		if (!empty(w->parcel)) {
			doc_text(d, rx, y + rh, rw, h - rh, 9 * fs, T_BOLD | T_LINE | T_RIGHT | T_VCENTER,
				 w->parcel);
			right_w = fmax(right_w, d->last_w);
		}
		doc_text(d, x0 + MM(2), y, W - MM(4) - right_w - MM(2), h, 16 * fs,
			 T_BOLD | T_LINE | T_VCENTER, empty(w->courier) ? "电子面单" : w->courier);
	}
	y += h;
	doc_line(d, x0, y, x0 + W, y, 0.8, 0);

	/* the barcode and its number */
	h = MM(g->code);
	{
		double bar_h = MM(g->bar_h), top = y + (h - bar_h - line_h(11 * fs)) / 2;
		doc_barcode(d, &bc, x0, top, W, bar_h, m);
		doc_text(d, x0, top + bar_h + MM(0.3), W, line_h(11 * fs), 11 * fs,
			 T_BOLD | T_LINE | T_CENTER, code);
	}
	y += h;
	doc_line(d, x0, y, x0 + W, y, 0.8, 0);

	/* receiver: name and phone big and bold, then the address */
	h = MM(g->recv);
	wb_tag(d, x0, y, tag, h, 18 * fs, "收");
	used = wb_name_phone(d, cx, y + MM(1), cw, h - MM(2), 12 * fs, T_BOLD, w->receiver_name,
			     w->receiver_phone);
	doc_text(d, cx, y + MM(1) + used + MM(0.5), cw, h - MM(2.5) - used, 10.5 * fs, T_BOLD,
		 w->receiver_address);
	y += h;
	doc_line(d, x0, y, x0 + W, y, 0.8, 0);

	/* sender */
	h = MM(g->send);
	wb_tag(d, x0, y, tag, h, 14 * fs, "寄");
	used = wb_name_phone(d, cx, y + MM(1), cw, h - MM(2), 8.5 * fs, 0, w->sender_name,
			     w->sender_phone);
	doc_text(d, cx, y + MM(1) + used + MM(0.3), cw, h - MM(2.3) - used, 8 * fs, 0,
		 w->sender_address);
	y += h;
	doc_line(d, x0, y, x0 + W, y, 0.8, 0);

	/* items and memo, smaller */
	h = MM(g->items);
	wb_tag(d, x0, y, tag, h, 8 * fs, "物品");
	doc_text(d, cx, y + MM(1), cw, h - MM(2), 8 * fs, 0, w->items_text);
	y += h;
	doc_line(d, x0, y, x0 + W, y, 0.8, 0);
	h = MM(g->memo);
	wb_tag(d, x0, y, tag, h, 8 * fs, "备注");
	doc_text(d, cx, y + MM(0.8), cw, h - MM(1.6), 8 * fs, 0, w->memo);
	y += h;
	doc_box(d, x0, MM(g->margin), W, y - MM(g->margin), 1.2);

	/* the stub below the cut line, kept by the courier or the receiver: its
	 * own frame, a smaller barcode, the parties in one line each, signature */
	{
		const double sfs = 7.5 * fs, top = y + MM(2), bot = MM(g->h_mm - g->margin);
		const double ix = x0 + MM(1.5), iw = W - MM(3), bottom = bot - MM(0.8);
		double bw = iw * 0.6, sm, sy = top + MM(1.2);
		struct sb t = SB_INIT;

		doc_line(d, 0, y + MM(1), d->w, y + MM(1), 0.6, 1);
		doc_box(d, x0, top, W, bot - top, 1.2);
		sm = barcode_fit(&bc, bw, MM(0.33), PDF_MODULE_MIN);
		if (!sm) { /* long number: the stub barcode takes the whole width */
			bw = iw;
			sm = barcode_fit(&bc, bw, m, PDF_MODULE_MIN);
		}
		doc_barcode(d, &bc, ix, sy, bw, MM(g->stub_bar_h), sm);
		doc_text(d, ix, sy + MM(g->stub_bar_h) + MM(0.2), bw, line_h(8 * fs), 8 * fs,
			 T_BOLD | T_LINE | T_CENTER, code);
		if (bw < iw) {
			double rx = ix + bw + MM(1.5), rw = iw - bw - MM(1.5), mw = 0;
			if (!empty(w->parcel)) { /* the parcel's mark at the courier's right */
				doc_text(d, rx, sy, rw, line_h(10 * fs), 8 * fs,
					 T_BOLD | T_LINE | T_RIGHT | T_VCENTER, w->parcel);
				mw = d->last_w > 0 ? d->last_w + MM(1) : 0;
			}
			used = doc_text(d, rx, sy, rw - mw, line_h(10 * fs), 10 * fs, T_BOLD | T_LINE,
					empty(w->courier) ? "电子面单" : w->courier);
			doc_text(d, rx, sy + used + MM(0.5), rw, MM(g->stub_bar_h) - used, 6.5 * fs,
				 0, w->order_no);
		}
		sy += MM(g->stub_bar_h) + line_h(8 * fs) + MM(0.8);
		doc_line(d, x0, sy - MM(0.4), x0 + W, sy - MM(0.4), 0.6, 0);

		sb_addf(&t, "收件人：%s  %s", w->receiver_name ? w->receiver_name : "",
			w->receiver_phone ? w->receiver_phone : "");
		sy += doc_text(d, ix, sy, iw, bottom - sy, 8 * fs, T_BOLD | T_LINE,
			       t.err ? "" : t.buf);
		sy += doc_text(d, ix, sy, iw, fmin(2 * line_h(sfs), bottom - sy - line_h(sfs)),
			       sfs, 0, w->receiver_address);
		if (!empty(w->sender_name) || !empty(w->sender_phone)) {
			sb_reset(&t);
			sb_addf(&t, "寄件人：%s  %s", w->sender_name ? w->sender_name : "",
				w->sender_phone ? w->sender_phone : "");
			sy += doc_text(d, ix, sy, iw, bottom - sy - line_h(sfs), sfs, T_LINE,
				       t.err ? "" : t.buf);
		}
		if (!empty(w->items_text)) {
			sb_reset(&t);
			sb_addf(&t, "物品：%s", w->items_text);
			doc_text(d, ix, sy, iw, bottom - sy - line_h(sfs), sfs, T_LINE,
				 t.err ? "" : t.buf);
		}
		doc_text(d, ix, bottom - line_h(sfs), iw, line_h(sfs), sfs, T_LINE,
			 "签收人：________________    签收时间：______年___月___日");
		sb_release(&t);
	}
	return 0;
}

int pdf_waybills(const struct pdf_waybill *w, size_t n, enum pdf_waybill_size size,
		 struct sb *out, struct err *err)
{
	const struct wb_geom *g;
	size_t start = out->len;
	struct doc d;
	int rc;

	if ((unsigned)size >= ARRAY_SIZE(wb_geoms))
		return err_set(err, ERR_INVALID, "size", "不支持的面单尺寸",
			       "unsupported waybill size");
	g = &wb_geoms[size];
	rc = check_count(n, "waybills", err);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		rc = wb_check(&w[i], i, err);
		if (rc)
			return rc;
	}

	rc = doc_open(&d, MM(g->w_mm), MM(g->h_mm), "电子面单", out, err);
	for (size_t i = 0; !rc && i < n; i++) {
		if (i)
			doc_next_page(&d);
		rc = wb_page(&d, g, &w[i], i, err);
	}
	if (!rc)
		rc = doc_finish(&d, err);
	doc_release(&d);
	if (rc)
		out_truncate(out, start);
	return rc;
}

/* ================================================================ picking list */

#define A4_W MM(210)
#define A4_H MM(297)
#define PL_MARGIN MM(12)
#define PL_TITLE_H MM(14)
#define PL_HEAD_H MM(7)
#define PL_ROW_H MM(9)
#define PL_FOOT_H MM(7)

static int pl_check(const struct pdf_pick_line *l, size_t i, struct err *err)
{
	static const char *const what = "lines";
	int rc;

	rc = check_text(l->location, err, what, i, "location");
	if (!rc)
		rc = check_text(l->sku, err, what, i, "sku");
	if (!rc)
		rc = check_text(l->title, err, what, i, "title");
	if (!rc)
		rc = check_text(l->attrs, err, what, i, "attrs");
	if (rc)
		return rc;
	if (l->qty < 0)
		return bad_field(err, what, i, "qty", "数量不能为负", "quantity is negative");
	if (l->orders < 0)
		return bad_field(err, what, i, "orders", "订单数不能为负",
				 "order count is negative");
	return 0;
}

/* Title block and footer of one picking-list page. */
static void pl_frame(struct doc *d, const char *title, const char *summary, int page, int pages)
{
	const double x0 = PL_MARGIN, W = A4_W - 2 * PL_MARGIN;
	struct sb t = SB_INIT;
	double used;

	sb_adds(&t, "拣货单");
	if (!empty(title))
		sb_addf(&t, "  %s", title);
	used = doc_text(d, x0, PL_MARGIN, W * 0.75, line_h(15), 15, T_BOLD | T_LINE,
			t.err ? "" : t.buf);
	doc_text(d, x0 + W * 0.75, PL_MARGIN, W * 0.25, used, 9, T_RIGHT | T_LINE | T_VCENTER,
		 summary);
	doc_line(d, x0, PL_MARGIN + PL_TITLE_H - MM(2), x0 + W, PL_MARGIN + PL_TITLE_H - MM(2),
		 1.0, 0);
	sb_reset(&t);
	sb_addf(&t, "第 %d / %d 页", page, pages);
	doc_text(d, x0, A4_H - PL_MARGIN - line_h(8), W, line_h(8), 8, T_CENTER | T_LINE,
		 t.err ? "" : t.buf);
	sb_release(&t);
}

int pdf_picklist(const char *title, const struct pdf_pick_line *lines, size_t n,
		 struct sb *out, struct err *err)
{
	static const double frac[] = { 0.045, 0.13, 0.16, 0.33, 0.165, 0.06, 0.065, 0.045 };
	struct col c[] = {
		{ 0, 0, "序号", T_CENTER }, { 0, 0, "库位", 0 },
		{ 0, 0, "SKU", 0 },         { 0, 0, "商品名称", 0 },
		{ 0, 0, "规格", 0 },        { 0, 0, "数量", T_RIGHT },
		{ 0, 0, "订单数", T_CENTER }, { 0, 0, "已拣", T_CENTER },
	};
	const double cap = A4_H - 2 * PL_MARGIN - PL_TITLE_H - PL_HEAD_H - PL_FOOT_H;
	const double top = PL_MARGIN + PL_TITLE_H + PL_HEAD_H;
	size_t start = out->len;
	long long qty_total = 0;
	struct sb t = SB_INIT, summary = SB_INIT;
	struct flow f;
	struct doc d;
	int pages, rc;

	_Static_assert(ARRAY_SIZE(frac) == ARRAY_SIZE(c), "one width per column");
	rc = check_count(n, "lines", err);
	if (!rc && title && !utf8_valid(title, strlen(title)))
		rc = err_set(err, ERR_INVALID, "title", "标题不是有效的 UTF-8 文本",
			     "the title is not valid UTF-8 text");
	for (size_t i = 0; !rc && i < n; i++) {
		rc = pl_check(&lines[i], i, err);
		qty_total += lines[i].qty;
	}
	if (rc)
		return rc;

	cols_layout(c, ARRAY_SIZE(c), frac, PL_MARGIN, A4_W - 2 * PL_MARGIN);
	pages = flow_pages(n, PL_ROW_H, PL_ROW_H, cap, cap);
	sb_addf(&summary, "%zu 行 · 共 %lld 件", n, qty_total);

	rc = doc_open(&d, A4_W, A4_H, "拣货单", out, err);
	if (rc)
		goto out;
	flow_init(&f, cap, cap);
	pl_frame(&d, title, summary.buf, 1, pages);
	table_header(&d, c, ARRAY_SIZE(c), top - PL_HEAD_H, PL_HEAD_H, 8.5);
	for (size_t i = 0; i <= n; i++) {
		double y;
		if (flow_break(&f, PL_ROW_H)) {
			doc_next_page(&d);
			pl_frame(&d, title, summary.buf, f.page, pages);
			table_header(&d, c, ARRAY_SIZE(c), top - PL_HEAD_H, PL_HEAD_H, 8.5);
		}
		y = top + f.used;
		f.used += PL_ROW_H;
		if (i == n) { /* the total row */
			sb_reset(&t);
			sb_addf(&t, "合计 %zu 行", n);
			doc_fill(&d, c[0].x, y, c[7].x + c[7].w - c[0].x, PL_ROW_H, 0.93);
			doc_text(&d, c[1].x + MM(1), y, c[4].x + c[4].w - c[1].x - MM(2), PL_ROW_H,
				 10, T_BOLD | T_LINE | T_VCENTER, t.err ? "" : t.buf);
			sb_reset(&t);
			sb_addf(&t, "%lld", qty_total);
			cell(&d, &c[5], y, PL_ROW_H, 11, T_BOLD | T_LINE, t.err ? "" : t.buf);
			doc_box(&d, c[0].x, y, c[7].x + c[7].w - c[0].x, PL_ROW_H, 0.8);
			break;
		}
		const struct pdf_pick_line *l = &lines[i];
		if (i % 2)
			doc_fill(&d, c[0].x, y, c[7].x + c[7].w - c[0].x, PL_ROW_H, 0.955);
		sb_reset(&t);
		sb_addf(&t, "%zu", i + 1);
		cell(&d, &c[0], y, PL_ROW_H, 8, T_LINE, t.err ? "" : t.buf);
		cell(&d, &c[1], y, PL_ROW_H, 10.5, T_BOLD | T_LINE, l->location);
		cell(&d, &c[2], y, PL_ROW_H, 8, 0, l->sku);
		cell(&d, &c[3], y, PL_ROW_H, 8, 0, l->title);
		cell(&d, &c[4], y, PL_ROW_H, 8, 0, l->attrs);
		sb_reset(&t);
		sb_addf(&t, "%d", l->qty);
		cell(&d, &c[5], y, PL_ROW_H, 12, T_BOLD | T_LINE, t.err ? "" : t.buf);
		sb_reset(&t);
		sb_addf(&t, "%d", l->orders);
		cell(&d, &c[6], y, PL_ROW_H, 8.5, T_LINE, t.err ? "" : t.buf);
		doc_box(&d, c[7].x + (c[7].w - MM(4)) / 2, y + (PL_ROW_H - MM(4)) / 2, MM(4), MM(4),
			0.7);
		table_row_lines(&d, c, ARRAY_SIZE(c), y, PL_ROW_H);
	}
	if (f.page != pages)
		BUG("picking list page count");
	rc = doc_finish(&d, err);
out:
	doc_release(&d);
	sb_release(&t);
	sb_release(&summary);
	if (rc)
		out_truncate(out, start);
	return rc;
}

/* ================================================================ delivery notes */

struct note_geom {
	double w_mm, h_mm, margin;
	double title, info, head, row, foot, cont_title; /* mm */
	double fs;
};

static const struct note_geom note_geoms[] = {
	[PDF_NOTE_A4] = { 210, 297, 12, 11, 21, 7, 8, 7, 9, 1.0 },
	[PDF_NOTE_241x140] = { 241, 140, 7, 8.5, 17, 6, 6.2, 5.5, 7, 0.85 },
};

static int note_check(const struct pdf_delivery_note *nt, size_t i, struct err *err)
{
	static const char *const what = "notes";
	const struct {
		const char *name, *s;
	} f[] = {
		{ "order_no", nt->order_no }, { "shop_name", nt->shop_name },
		{ "order_time", nt->order_time }, { "buyer", nt->buyer },
		{ "receiver_name", nt->receiver_name }, { "receiver_phone", nt->receiver_phone },
		{ "receiver_address", nt->receiver_address },
		{ "buyer_message", nt->buyer_message }, { "seller_memo", nt->seller_memo },
		{ "footer", nt->footer },
	};
	int64_t sub;
	int rc;

	for (size_t k = 0; k < ARRAY_SIZE(f); k++) {
		rc = check_text(f[k].s, err, what, i, f[k].name);
		if (rc)
			return rc;
	}
	if (empty(nt->order_no))
		return bad_field(err, what, i, "order_no", "订单号为空", "order number is empty");
	if (nt->nlines > PDF_MAX_ITEMS)
		return bad_field(err, what, i, "lines", "商品行太多", "too many lines");
	if (nt->nlines && !nt->lines)
		return bad_field(err, what, i, "lines", "缺少商品行", "lines missing");
	for (size_t k = 0; k < nt->nlines; k++) {
		const struct pdf_note_line *l = &nt->lines[k];
		char name[40];

		snprintf(name, sizeof name, "lines[%zu]", k);
		if (check_text(l->sku, err, what, i, name) ||
		    check_text(l->title, err, what, i, name) ||
		    check_text(l->attrs, err, what, i, name))
			return ERR_INVALID;
		if (l->qty < 0)
			return bad_field(err, what, i, name, "商品数量不能为负",
					 "a line's quantity is negative");
		if (__builtin_mul_overflow((int64_t)l->qty, l->price_fen, &sub) ||
		    sub > MONEY_MAX_FEN || sub < -MONEY_MAX_FEN)
			return bad_field(err, what, i, name, "商品金额超出范围",
					 "a line's amount is out of range");
	}
	return 0;
}

static const char *yuan(int64_t fen, char buf[MONEY_BUF])
{
	return money_format(fen, buf);
}

/* Heights of the block after the table: totals, message, memo. */
static double note_tail_h(const struct note_geom *g, const struct pdf_delivery_note *nt)
{
	double h = MM(g->row) + MM(1);

	if (!empty(nt->buyer_message))
		h += 2 * line_h(9 * g->fs) + MM(1);
	if (!empty(nt->seller_memo))
		h += line_h(9 * g->fs) + MM(1);
	return h;
}

static void note_footer(struct doc *d, const struct note_geom *g,
			const struct pdf_delivery_note *nt, int page, int pages)
{
	const double x0 = MM(g->margin), W = d->w - 2 * x0;
	const double y = d->h - MM(g->margin) - MM(g->foot);
	struct sb t = SB_INIT;

	doc_line(d, x0, y + MM(1), x0 + W, y + MM(1), 0.5, 0);
	doc_text(d, x0, y + MM(1.5), W * 0.75, MM(g->foot) - MM(1.5), 8 * g->fs,
		 T_LINE | T_VCENTER, nt->footer);
	sb_addf(&t, "第 %d / %d 页", page, pages);
	doc_text(d, x0 + W * 0.75, y + MM(1.5), W * 0.25, MM(g->foot) - MM(1.5), 8 * g->fs,
		 T_LINE | T_VCENTER | T_RIGHT, t.err ? "" : t.buf);
	sb_release(&t);
}

/* Title and order details on a note's first page; returns the y below them. */
static double note_first_head(struct doc *d, const struct note_geom *g,
			      const struct pdf_delivery_note *nt)
{
	const double fs = g->fs, x0 = MM(g->margin), W = d->w - 2 * x0;
	const double lh = line_h(9 * fs);
	double y = MM(g->margin);
	struct sb t = SB_INIT;

	if (!empty(nt->shop_name))
		sb_addf(&t, "%s  发货单", nt->shop_name);
	else
		sb_adds(&t, "发货单");
	doc_text(d, x0, y, W, MM(g->title), 15 * fs, T_BOLD | T_LINE | T_CENTER | T_VCENTER,
		 t.err ? "" : t.buf);
	y += MM(g->title);

	sb_reset(&t);
	sb_addf(&t, "订单号：%s", nt->order_no);
	doc_text(d, x0, y, W / 2, lh, 9 * fs, T_BOLD | T_LINE, t.err ? "" : t.buf);
	if (!empty(nt->order_time)) {
		sb_reset(&t);
		sb_addf(&t, "下单时间：%s", nt->order_time);
		doc_text(d, x0 + W / 2, y, W / 2, lh, 9 * fs, T_LINE, t.err ? "" : t.buf);
	}
	y += lh;
	if (!empty(nt->buyer)) {
		sb_reset(&t);
		sb_addf(&t, "买家：%s", nt->buyer);
		doc_text(d, x0, y, W / 2, lh, 9 * fs, T_LINE, t.err ? "" : t.buf);
	}
	sb_reset(&t);
	sb_addf(&t, "收货人：%s  %s", nt->receiver_name ? nt->receiver_name : "",
		nt->receiver_phone ? nt->receiver_phone : "");
	doc_text(d, x0 + W / 2, y, W / 2, lh, 9 * fs, T_LINE, t.err ? "" : t.buf);
	y += lh;
	sb_reset(&t);
	sb_addf(&t, "收货地址：%s", nt->receiver_address ? nt->receiver_address : "");
	doc_text(d, x0, y, W, MM(g->title + g->info) + MM(g->margin) - y, 9 * fs, 0,
		 t.err ? "" : t.buf);
	sb_release(&t);
	return MM(g->margin + g->title + g->info);
}

static double note_cont_head(struct doc *d, const struct note_geom *g,
			     const struct pdf_delivery_note *nt)
{
	const double x0 = MM(g->margin), W = d->w - 2 * x0;
	struct sb t = SB_INIT;

	sb_addf(&t, "发货单（续）  订单号：%s", nt->order_no);
	doc_text(d, x0, MM(g->margin), W, MM(g->cont_title), 11 * g->fs,
		 T_BOLD | T_LINE | T_VCENTER, t.err ? "" : t.buf);
	sb_release(&t);
	return MM(g->margin + g->cont_title);
}

static void note_tail(struct doc *d, const struct note_geom *g,
		      const struct pdf_delivery_note *nt, double y)
{
	const double fs = g->fs, x0 = MM(g->margin), W = d->w - 2 * x0;
	char a[MONEY_BUF], b[MONEY_BUF], c[MONEY_BUF], e[MONEY_BUF];
	struct sb t = SB_INIT;

	y += MM(1);
	sb_addf(&t, "商品金额 ¥%s    运费 ¥%s    优惠 -¥%s    实付 ¥%s", yuan(nt->goods_fen, a),
		yuan(nt->shipping_fen, b), yuan(nt->discount_fen, c), yuan(nt->paid_fen, e));
	doc_text(d, x0, y, W, MM(g->row), 10 * fs, T_BOLD | T_LINE | T_RIGHT | T_VCENTER,
		 t.err ? "" : t.buf);
	y += MM(g->row);
	if (!empty(nt->buyer_message)) {
		sb_reset(&t);
		sb_addf(&t, "买家留言：%s", nt->buyer_message);
		y += MM(1);
		doc_text(d, x0, y, W, 2 * line_h(9 * fs), 9 * fs, 0, t.err ? "" : t.buf);
		y += 2 * line_h(9 * fs);
	}
	if (!empty(nt->seller_memo)) {
		sb_reset(&t);
		sb_addf(&t, "卖家备注：%s", nt->seller_memo);
		y += MM(1);
		doc_text(d, x0, y, W, line_h(9 * fs), 9 * fs, T_LINE, t.err ? "" : t.buf);
	}
	sb_release(&t);
}

static void note_pages(struct doc *d, const struct note_geom *g,
		       const struct pdf_delivery_note *nt)
{
	static const double frac[] = { 0.06, 0.17, 0.35, 0.16, 0.07, 0.095, 0.095 };
	struct col c[] = {
		{ 0, 0, "序号", T_CENTER }, { 0, 0, "商品编码", 0 }, { 0, 0, "商品名称", 0 },
		{ 0, 0, "规格", 0 },        { 0, 0, "数量", T_RIGHT }, { 0, 0, "单价", T_RIGHT },
		{ 0, 0, "小计", T_RIGHT },
	};
	const double fs = g->fs, row = MM(g->row), head = MM(g->head);
	const double bottom = d->h - MM(g->margin) - MM(g->foot);
	const double top1 = MM(g->margin + g->title + g->info) + MM(1) + head;
	const double topn = MM(g->margin + g->cont_title) + head;
	const double tail = note_tail_h(g, nt);
	const int pages = flow_pages(nt->nlines, row, tail, bottom - top1, bottom - topn);
	char a[MONEY_BUF];
	struct sb t = SB_INIT;
	struct flow f;
	double top = top1;

	_Static_assert(ARRAY_SIZE(frac) == ARRAY_SIZE(c), "one width per column");
	cols_layout(c, ARRAY_SIZE(c), frac, MM(g->margin), d->w - 2 * MM(g->margin));
	flow_init(&f, bottom - top1, bottom - topn);
	note_first_head(d, g, nt);
	table_header(d, c, ARRAY_SIZE(c), top1 - head, head, 8.5 * fs);
	for (size_t i = 0; i < nt->nlines; i++) {
		const struct pdf_note_line *l = &nt->lines[i];
		double y;
		if (flow_break(&f, row)) {
			note_footer(d, g, nt, f.page - 1, pages);
			doc_next_page(d);
			top = note_cont_head(d, g, nt) + head;
			table_header(d, c, ARRAY_SIZE(c), top - head, head, 8.5 * fs);
		}
		y = top + f.used;
		f.used += row;
		sb_reset(&t);
		sb_addf(&t, "%zu", i + 1);
		cell(d, &c[0], y, row, 8 * fs, T_LINE, t.err ? "" : t.buf);
		cell(d, &c[1], y, row, 8 * fs, T_LINE, l->sku);
		cell(d, &c[2], y, row, 8 * fs, 0, l->title);
		cell(d, &c[3], y, row, 8 * fs, 0, l->attrs);
		sb_reset(&t);
		sb_addf(&t, "%d", l->qty);
		cell(d, &c[4], y, row, 9 * fs, T_BOLD | T_LINE, t.err ? "" : t.buf);
		cell(d, &c[5], y, row, 8.5 * fs, T_LINE, yuan(l->price_fen, a));
		/* no overflow: note_check() bounded qty x price */
		cell(d, &c[6], y, row, 8.5 * fs, T_LINE, yuan((int64_t)l->qty * l->price_fen, a));
		table_row_lines(d, c, ARRAY_SIZE(c), y, row);
	}
	if (flow_break(&f, tail)) {
		note_footer(d, g, nt, f.page - 1, pages);
		doc_next_page(d);
		top = note_cont_head(d, g, nt);
	}
	note_tail(d, g, nt, top + f.used);
	note_footer(d, g, nt, f.page, pages);
	if (f.page != pages)
		BUG("delivery note page count");
	sb_release(&t);
}

int pdf_delivery_notes(const struct pdf_delivery_note *notes, size_t n, enum pdf_note_size size,
		       struct sb *out, struct err *err)
{
	const struct note_geom *g;
	size_t start = out->len;
	struct doc d;
	int rc;

	if ((unsigned)size >= ARRAY_SIZE(note_geoms))
		return err_set(err, ERR_INVALID, "size", "不支持的纸张尺寸", "unsupported paper size");
	g = &note_geoms[size];
	rc = check_count(n, "notes", err);
	for (size_t i = 0; !rc && i < n; i++)
		rc = note_check(&notes[i], i, err);
	if (rc)
		return rc;

	rc = doc_open(&d, MM(g->w_mm), MM(g->h_mm), "发货单", out, err);
	for (size_t i = 0; !rc && i < n; i++) {
		if (i)
			doc_next_page(&d);
		note_pages(&d, g, &notes[i]);
	}
	if (!rc)
		rc = doc_finish(&d, err);
	doc_release(&d);
	if (rc)
		out_truncate(out, start);
	return rc;
}
