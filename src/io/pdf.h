/*
 * pdf.h - batch printing as PDF: waybills, picking lists, delivery notes (ORD-7).
 *
 * Each function renders a whole batch into ONE PDF document appended to `out`
 * (the caller's struct sb; its size cap bounds the document). The inputs are
 * plain structs of borrowed UTF-8 strings, decoupled from the order model:
 * the caller decides what goes on paper, in which order, and with what
 * masking (a phone is printed exactly as given, so mask it first when the
 * store's policy says so). NULL strings print as empty.
 *
 * Rendering: cairo (PDF surface, every shape a vector) + pango for text,
 * in Noto Sans CJK SC (Debian fonts-noto-cjk). Fonts are embedded as subsets
 * with ToUnicode maps, so the Chinese text can be searched, copied and
 * extracted (pdftotext). Barcodes are Code128 from io/barcode.h, drawn as
 * rectangles. Text never leaves its box: single-line fields are ellipsized
 * ("…"), multi-line fields wrap and stop at the box height with "…"; an
 * optional line with no room left (the stub of a crowded label) is left out.
 * Each field prints at most its first 1 KiB.
 *
 * Errors: 0, or
 *   ERR_INVALID   empty batch, a required field missing, text that is not
 *                 UTF-8, a number that cannot be a barcode, a negative
 *                 quantity; err->field names the item ("waybills[3].receiver_name");
 *   ERR_TOO_LARGE more than PDF_MAX_ITEMS items, or out's cap reached;
 *   ERR_NOMEM, ERR_INTERNAL (no CJK font installed, cairo failure).
 * On error `out` is cut back to its length at the call, so nothing half-written
 * stays behind (unless out already carried a sticky error).
 *
 * Threads: safe to call from several threads at once. Each call has its own
 * cairo surface and pango context; pango's cairo font map is per thread (pango
 * >= 1.32.6), so a worker thread pays the font loading once, on its first
 * call; fontconfig is initialised once per process under pthread_once.
 * Nothing is shared between calls apart from those libraries' own locked caches.
 *
 * Memory: the PDF is built in `out` (about 3 KB a waybill page); pango keeps
 * its font caches per thread for the thread's life. cairo 1.16 (Debian 12)
 * loses about 0.8 KB per embedded CJK font (two per call) when a document is
 * finished: a cairo bug, suppressed for LeakSanitizer in tests/lsan.supp.
 */
#ifndef IO_PDF_H
#define IO_PDF_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"

struct sb;

/* A sanity bound on one call (waybills, pick lines or delivery notes). The
 * HTTP layer sets the business limit (1,000 orders per print job). */
#define PDF_MAX_ITEMS 10000

/* ---------------------------------------------------------------- waybills */

/* 电子面单 paper sizes, width x height in mm. One page per waybill, at exactly
 * this size (100 x 180 mm = 283.46 x 510.24 pt). */
enum pdf_waybill_size {
	PDF_WAYBILL_100x180, /* 二联 thermal label */
	PDF_WAYBILL_76x130,  /* 一联 small thermal label */
};

struct pdf_waybill {
	const char *tracking_no;      /* barcode; when empty, the order number is */
	const char *order_no;
	const char *courier;          /* "圆通速递" */
	const char *receiver_name;    /* required */
	const char *receiver_phone;   /* already masked by the caller if policy says so */
	const char *receiver_address; /* required; printed in full, wrapped */
	const char *sender_name;
	const char *sender_phone;
	const char *sender_address;
	const char *items_text;       /* 品名/数量, e.g. "T恤 白 XL ×2\n袜子 ×1" */
	const char *memo;             /* 备注 */
	const char *parcel;           /* ORD-10 "包裹 1/2" on the label of one parcel of a
				       * split order (head and stub); empty for a whole order */
};

/* Renders n waybills (1..PDF_MAX_ITEMS), in the given order, one per page.
 * tracking_no, else order_no, must be printable ASCII of at most
 * BARCODE_MAX_TEXT characters; it is the Code128 barcode and is printed under it. */
int pdf_waybills(const struct pdf_waybill *w, size_t n, enum pdf_waybill_size size,
		 struct sb *out, struct err *err) WUR;

/* ---------------------------------------------------------------- picking list */

/* One line of a picking list: a SKU to take from a shelf location. */
struct pdf_pick_line {
	const char *location; /* shelf location, "A-03-2" */
	const char *sku;
	const char *title;
	const char *attrs;    /* 规格: "白色 XL" */
	int qty;              /* pieces to pick, >= 0 */
	int orders;           /* orders that need it, >= 0 */
};

/* A4 portrait picking list (拣货单): title on every page, a table whose
 * header row repeats on each page, page numbers "第 p/N 页", a total row.
 * Lines print in the order given: the caller sorts them in pick-path
 * (shelf-location) order. title may be NULL. n is 1..PDF_MAX_ITEMS. */
int pdf_picklist(const char *title, const struct pdf_pick_line *lines, size_t n,
		 struct sb *out, struct err *err) WUR;

/* ---------------------------------------------------------------- delivery notes */

enum pdf_note_size {
	PDF_NOTE_A4,     /* 210 x 297 mm portrait */
	PDF_NOTE_241x140, /* 241 x 140 mm, the 二等分 continuous form of dot-matrix printers */
};

struct pdf_note_line {
	const char *sku;
	const char *title;
	const char *attrs;
	int qty;           /* >= 0 */
	int64_t price_fen; /* unit price; the line prints qty x price */
};

/* 发货单: one per order, packed with the goods. Totals are the caller's (the
 * order's own figures); this module only multiplies qty x price per line. */
struct pdf_delivery_note {
	const char *order_no;       /* required */
	const char *shop_name;      /* title: "<shop> 发货单" */
	const char *order_time;     /* preformatted by the caller: "2026-11-24 16:17" */
	const char *buyer;          /* buyer nick */
	const char *receiver_name;
	const char *receiver_phone; /* already masked if policy says so */
	const char *receiver_address;
	const struct pdf_note_line *lines;
	size_t nlines;              /* 0..PDF_MAX_ITEMS */
	int64_t goods_fen;          /* 商品金额 */
	int64_t shipping_fen;       /* 运费 */
	int64_t discount_fen;       /* 优惠, printed as a deduction */
	int64_t paid_fen;           /* 实付 */
	const char *buyer_message;  /* 买家留言 */
	const char *seller_memo;    /* 卖家备注 (only if the shop wants it printed) */
	const char *footer;         /* e.g. "感谢惠顾，如有问题请联系客服" */
};

/* Renders n delivery notes (1..PDF_MAX_ITEMS); each starts on a new page
 * and continues on further pages ("续", header row repeated) when its lines
 * don't fit; page numbers count within each note. */
int pdf_delivery_notes(const struct pdf_delivery_note *notes, size_t n,
		       enum pdf_note_size size, struct sb *out, struct err *err) WUR;

#endif
