/* io/pdf and io/barcode (ORD-7): waybills of both sizes, picking lists and delivery
 * notes, checked with poppler's pdftotext/pdfinfo (Chinese text must be extractable,
 * page counts and sizes exact), the Code128 module pattern, bad input, threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>

#include <cmocka.h>

#include "io/barcode.h"
#include "io/pdf.h"
#include "lib/sb.h"
#include "lib/xalloc.h"
#include "lib/common.h"

/* ---------------------------------------------------------------- sanitizers */

/* The ASan build of this binary runs with tests/lsan.supp's patterns built
 * in (fontconfig's caches; a cairo 1.16 CFF-subset leak), so `make test` needs
 * no environment. Full stacks: the patterns must see past the allocating
 * library. Harmless in other builds. */
const char *__asan_default_options(void);
const char *__lsan_default_suppressions(void);

const char *__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so\nleak:cairo_surface_finish\n";
}

/* ---------------------------------------------------------------- helpers */

/* Writes the PDF to a temp file and runs `cmd FILE tail`; returns its stdout
 * (xfree it). With squeeze, all ASCII whitespace is dropped, so text that
 * pdftotext split over lines or spaced out still matches. */
static char *run_tool(const struct sb *pdf, const char *cmd, const char *tail, int squeeze)
{
	char path[] = "/tmp/dianpu-test-pdf-XXXXXX";
	int fd = mkstemp(path);
	struct sb line = SB_INIT, res = SB_INIT;
	struct err err = ERR_INIT;
	char buf[4096];
	size_t got;
	FILE *p;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, pdf->buf, pdf->len), (ssize_t)pdf->len);
	close(fd);
	sb_addf(&line, "%s %s %s 2>/dev/null", cmd, path, tail);
	p = popen(line.buf, "r");
	assert_non_null(p);
	while ((got = fread(buf, 1, sizeof buf, p)) > 0)
		for (size_t i = 0; i < got; i++)
			if (!squeeze || !(buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\t' ||
					  buf[i] == '\r' || buf[i] == '\f'))
				sb_addc(&res, buf[i]);
	assert_int_equal(pclose(p), 0);
	unlink(path);
	sb_release(&line);
	char *s = sb_take(&res, &err);
	assert_non_null(s);
	return s;
}

/* Text of pages first..last (0 = to the end), whitespace squeezed out. */
static char *pdf_text(const struct sb *pdf, int first, int last)
{
	char cmd[80];

	if (last)
		snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 -f %d -l %d", first, last);
	else
		snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 -f %d", first);
	return run_tool(pdf, cmd, "-", 1);
}

/* pdfinfo's page count, and the first page's size in points. */
static int pdf_pages(const struct sb *pdf, double *w_pt, double *h_pt)
{
	char *info = run_tool(pdf, "pdfinfo", "", 0);
	const char *p = strstr(info, "Pages:");
	const char *s = strstr(info, "Page size:");
	int pages;

	assert_non_null(p);
	assert_non_null(s);
	pages = (int)strtol(p + strlen("Pages:"), NULL, 10);
	assert_int_equal(sscanf(s, "Page size: %lf x %lf pts", w_pt, h_pt), 2);
	xfree(info);
	return pages;
}

static void assert_has(const char *text, const char *needle)
{
	if (!strstr(text, needle))
		fail_msg("\"%s\" not in the PDF's text: %.400s", needle, text);
}

static const struct pdf_waybill wb_zhang = {
	.tracking_no = "YT1234567890",
	.order_no = "3521889923331029",
	.courier = "圆通速递",
	.receiver_name = "张三",
	.receiver_phone = "138****5678",
	.receiver_address = "浙江省杭州市西湖区文三路90号",
	.sender_name = "好物小铺",
	.sender_phone = "0571-****6666",
	.sender_address = "浙江省杭州市余杭区良睦路1399号",
	.items_text = "纯棉T恤 白色 XL ×2\n运动袜 ×3",
	.memo = "周末送货",
};

/* ---------------------------------------------------------------- barcode */

/* Code128 as independently known: Start B = 211214 = 11010010000, Start C =
 * 211232 = 11010011100, Stop = 2331112 = 1100011101011; every symbol is 11
 * modules of 3 bars and 3 spaces, starts with a bar, and its bars cover an
 * even number of modules (the code's parity check). */
static void check_code128(const char *text, const char *start, int symbols)
{
	struct barcode bc;
	struct err err = ERR_INIT;
	struct sb pat = SB_INIT;

	assert_int_equal(barcode_code128(text, &bc, "t", &err), 0);
	/* start + data + check symbol, 11 modules each, then the 13-module stop */
	assert_int_equal(bc.modules, symbols * 11 + 13);
	assert_int_equal(bc.nbars, (size_t)(symbols * 3 + 4));
	barcode_pattern(&bc, &pat);
	assert_int_equal(pat.len, (size_t)bc.modules);
	assert_memory_equal(pat.buf, start, 11);
	assert_string_equal(pat.buf + pat.len - 13, "1100011101011");
	assert_int_equal(bc.bars[0].x, 0); /* no quiet zone inside the symbol */
	for (int s = 0; s < symbols; s++) {
		const char *m = pat.buf + s * 11;
		int runs = 0, bar_modules = 0;
		assert_int_equal(m[0], '1');
		assert_int_equal(m[10], '0');
		for (int k = 0; k < 11; k++) {
			if (k == 0 || m[k] != m[k - 1])
				runs++;
			if (m[k] == '1')
				bar_modules++;
		}
		assert_int_equal(runs, 6);
		assert_int_equal(bar_modules % 2, 0);
	}
	sb_release(&pat);
}

static void test_barcode_code128(void **state)
{
	(void)state;
	/* Start B, Y, T, Code C, 12 34 56 78 90, check = 10 symbols */
	check_code128("YT1234567890", "11010010000", 10);
	/* all digits: Start C, five pairs, check */
	check_code128("1234567890", "11010011100", 7);
	/* a 19-digit Taobao order number: C for 18 digits, then B for the last */
	check_code128("3521889923331029123", "11010011100", 13);
}

static void test_barcode_fit(void **state)
{
	struct barcode bc;
	struct err err = ERR_INIT;

	(void)state;
	assert_int_equal(barcode_code128("YT1234567890", &bc, "t", &err), 0);
	assert_int_equal(bc.modules, 123);
	/* 123 modules + 10 quiet modules each side = 143 */
	assert_true(barcode_fit(&bc, 143.0, 5.0, 0.1) == 1.0);
	assert_true(barcode_fit(&bc, 286.0, 5.0, 0.1) == 2.0);
	assert_true(barcode_fit(&bc, 1000.0, 1.5, 0.1) == 1.5); /* capped */
	assert_true(barcode_fit(&bc, 142.0, 5.0, 1.0) == 0.0);  /* too thin */
	assert_true(barcode_fit(&bc, 0.0, 5.0, 0.0) == 0.0);
}

static void test_barcode_bad_input(void **state)
{
	static const char *bad[] = { "", "运单123", "AB\tC", "\x7f",
				     "0123456789012345678901234567890123456789012345678" };
	struct barcode bc;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct err err = ERR_INIT;
		assert_int_equal(barcode_code128(bad[i], &bc, "waybills[0].tracking_no", &err),
				 ERR_INVALID);
		assert_string_equal(err.field, "waybills[0].tracking_no");
		assert_int_equal(bc.nbars, 0);
	}
	struct err err = ERR_INIT;
	assert_int_equal(barcode_code128(NULL, &bc, "x", &err), ERR_INVALID);
	/* the longest accepted text still works */
	err_init(&err);
	assert_int_equal(barcode_code128("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuv",
					 &bc, "x", &err), 0);
	assert_true(bc.nbars > 100);
}

/* ---------------------------------------------------------------- waybills */

static void waybills_ok(enum pdf_waybill_size size, double w_pt, double h_pt)
{
	struct pdf_waybill w[3] = { wb_zhang, wb_zhang, wb_zhang };
	struct sb out = SB_INIT;
	struct err err = ERR_INIT;
	double pw, ph;

	w[1].receiver_name = "欧阳娜娜";
	w[1].tracking_no = "SF1400000000123";
	w[2].tracking_no = NULL; /* the order number becomes the barcode */
	w[2].receiver_name = "李四";
	assert_int_equal(pdf_waybills(w, 3, size, &out, &err), 0);
	assert_memory_equal(out.buf, "%PDF-", 5);
	assert_int_equal(pdf_pages(&out, &pw, &ph), 3);
	assert_true(pw > w_pt - 0.01 && pw < w_pt + 0.01);
	assert_true(ph > h_pt - 0.01 && ph < h_pt + 0.01);

	char *t = pdf_text(&out, 1, 1);
	assert_has(t, "张三");
	assert_has(t, "浙江省杭州市西湖区文三路90号");
	assert_has(t, "YT1234567890");
	assert_has(t, "138****5678");
	assert_has(t, "圆通速递");
	assert_has(t, "好物小铺");
	assert_has(t, "纯棉T恤");
	assert_has(t, "周末送货");
	assert_has(t, "3521889923331029");
	xfree(t);
	t = pdf_text(&out, 2, 2);
	assert_has(t, "欧阳娜娜");
	assert_has(t, "SF1400000000123");
	xfree(t);
	t = pdf_text(&out, 3, 3);
	assert_has(t, "李四");
	assert_has(t, "3521889923331029");
	assert_null(strstr(t, "YT1234567890"));
	xfree(t);
	sb_release(&out);
}

static void test_waybills_100x180(void **state)
{
	(void)state;
	/* 100 x 180 mm = 283.46 x 510.24 pt */
	waybills_ok(PDF_WAYBILL_100x180, 283.465, 510.236);
}

static void test_waybills_76x130(void **state)
{
	(void)state;
	/* 76 x 130 mm = 215.43 x 368.50 pt */
	waybills_ok(PDF_WAYBILL_76x130, 215.433, 368.504);
}

/* ORD-10: the label of one parcel of a split order carries its mark, in the
 * head and on the stub, at both sizes; the caller's parcel number is the
 * barcode. A mark that is not UTF-8 is refused like any field. */
static void test_waybills_parcel(void **state)
{
	struct pdf_waybill w = wb_zhang;
	struct err err = ERR_INIT;
	double pw, ph;

	(void)state;
	w.tracking_no = "3521889923331029-2";
	w.parcel = "包裹 2/3";
	for (int size = PDF_WAYBILL_100x180; size <= PDF_WAYBILL_76x130; size++) {
		struct sb out = SB_INIT;
		err_init(&err);
		assert_int_equal(pdf_waybills(&w, 1, size, &out, &err), 0);
		assert_int_equal(pdf_pages(&out, &pw, &ph), 1);
		char *t = pdf_text(&out, 1, 0);
		assert_has(t, "包裹2/3");
		assert_has(strstr(t, "包裹2/3") + 1, "包裹2/3"); /* head and stub */
		assert_has(t, "3521889923331029-2");
		assert_has(t, "圆通速递");
		assert_has(t, "订单号3521889923331029");
		xfree(t);
		sb_release(&out);
	}
	struct sb out = SB_INIT;
	err_init(&err);
	w.parcel = "\xff包裹";
	assert_int_equal(pdf_waybills(&w, 1, PDF_WAYBILL_100x180, &out, &err), ERR_INVALID);
	assert_string_equal(err.field, "waybills[0].parcel");
	assert_int_equal(out.len, 0);
	sb_release(&out);
}

static void test_waybills_long_text(void **state)
{
	struct pdf_waybill w = wb_zhang;
	struct sb addr = SB_INIT, name = SB_INIT, items = SB_INIT;
	struct err err = ERR_INIT;
	double pw, ph;

	(void)state;
	for (int i = 0; i < 200; i++)
		sb_adds(&addr, "浙江省杭州市西湖区文三路90号东部软件园");
	for (int i = 0; i < 50; i++)
		sb_adds(&name, "超长的收件人姓名");
	for (int i = 0; i < 300; i++)
		sb_addf(&items, "商品%d 规格 ×%d\r\n", i, i % 7 + 1);
	sb_adds(&items, "\x01\x02\t控制字符\x1b");
	w.receiver_address = addr.buf;
	w.receiver_name = name.buf;
	w.sender_address = addr.buf;
	w.items_text = items.buf;
	w.memo = items.buf;
	w.courier = "一个名字非常非常非常非常非常非常长的快递公司";
	w.order_no = "OD2026112400000000000000000000000001";

	for (int size = PDF_WAYBILL_100x180; size <= PDF_WAYBILL_76x130; size++) {
		struct sb out = SB_INIT;
		err_init(&err);
		assert_int_equal(pdf_waybills(&w, 1, size, &out, &err), 0);
		assert_int_equal(pdf_pages(&out, &pw, &ph), 1);
		char *t = pdf_text(&out, 1, 0);
		assert_has(t, "浙江省杭州市西湖区文三路90号");
		assert_has(t, "YT1234567890");
		assert_has(t, "超长的收件人");
		assert_has(t, "…"); /* ellipsized, not overflowing */
		assert_has(t, "商品0");
		xfree(t);
		sb_release(&out);
	}
	sb_release(&addr);
	sb_release(&name);
	sb_release(&items);
}

static void test_waybills_bad_input(void **state)
{
	struct pdf_waybill w[2] = { wb_zhang, wb_zhang };
	struct sb out = SB_INIT;
	struct err err = ERR_INIT;

	(void)state;
	sb_adds(&out, "keep");
	assert_int_equal(pdf_waybills(w, 0, PDF_WAYBILL_100x180, &out, &err), ERR_INVALID);

	err_init(&err);
	w[1].receiver_name = "";
	assert_int_equal(pdf_waybills(w, 2, PDF_WAYBILL_100x180, &out, &err), ERR_INVALID);
	assert_string_equal(err.field, "waybills[1].receiver_name");
	assert_non_null(strstr(err.msg_zh, "收件人"));
	w[1] = wb_zhang;

	err_init(&err);
	w[0].receiver_address = NULL;
	assert_int_equal(pdf_waybills(w, 2, PDF_WAYBILL_76x130, &out, &err), ERR_INVALID);
	assert_string_equal(err.field, "waybills[0].receiver_address");
	w[0] = wb_zhang;

	err_init(&err);
	w[1].memo = "bad \xff\xfe utf-8";
	assert_int_equal(pdf_waybills(w, 2, PDF_WAYBILL_100x180, &out, &err), ERR_INVALID);
	assert_string_equal(err.field, "waybills[1].memo");
	w[1] = wb_zhang;

	err_init(&err);
	w[1].tracking_no = NULL;
	w[1].order_no = NULL;
	assert_int_equal(pdf_waybills(w, 2, PDF_WAYBILL_100x180, &out, &err), ERR_INVALID);
	assert_string_equal(err.field, "waybills[1].tracking_no");
	w[1] = wb_zhang;

	/* found while rendering: the first page is already drawn, and dropped */
	err_init(&err);
	w[1].tracking_no = "运单号";
	assert_int_equal(pdf_waybills(w, 2, PDF_WAYBILL_100x180, &out, &err), ERR_INVALID);
	assert_string_equal(err.field, "waybills[1].tracking_no");
	w[1] = wb_zhang;

	/* too long for readable bars on a 76 mm label */
	err_init(&err);
	w[0].tracking_no = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuv";
	assert_int_equal(pdf_waybills(w, 1, PDF_WAYBILL_76x130, &out, &err), ERR_INVALID);
	assert_string_equal(err.field, "waybills[0].tracking_no");
	w[0] = wb_zhang;

	err_init(&err);
	assert_int_equal(pdf_waybills(w, 1, (enum pdf_waybill_size)7, &out, &err), ERR_INVALID);
	err_init(&err);
	assert_int_equal(pdf_waybills(w, PDF_MAX_ITEMS + 1, PDF_WAYBILL_100x180, &out, &err),
			 ERR_TOO_LARGE);

	/* nothing was left behind in out */
	assert_string_equal(out.buf, "keep");
	sb_release(&out);
}

static void test_waybills_size_cap(void **state)
{
	struct pdf_waybill w[20];
	struct sb out;
	struct err err = ERR_INIT;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(w); i++)
		w[i] = wb_zhang;
	sb_init(&out, 20000);
	assert_int_equal(pdf_waybills(w, ARRAY_SIZE(w), PDF_WAYBILL_100x180, &out, &err),
			 ERR_TOO_LARGE);
	assert_int_equal(out.len, 0);
	sb_release(&out);

	/* allocation failure in our own buffer: a clean ERR_NOMEM */
	sb_init(&out, 0);
	err_init(&err);
	xalloc_fail_after(3);
	int rc = pdf_waybills(w, ARRAY_SIZE(w), PDF_WAYBILL_100x180, &out, &err);
	xalloc_fail_after(-1);
	assert_int_equal(rc, ERR_NOMEM);
	assert_int_equal(out.len, 0);
	sb_release(&out);
}

/* ---------------------------------------------------------------- threads */

static void *render_thread(void *arg)
{
	struct pdf_waybill w[25];
	struct sb out = SB_INIT;
	struct err err = ERR_INIT;
	int *rc = arg;

	for (size_t i = 0; i < ARRAY_SIZE(w); i++)
		w[i] = wb_zhang;
	*rc = pdf_waybills(w, ARRAY_SIZE(w), (*rc % 2) ? PDF_WAYBILL_76x130
							 : PDF_WAYBILL_100x180, &out, &err);
	if (!*rc && (out.len < 1000 || memcmp(out.buf, "%PDF-", 5)))
		*rc = 1;
	sb_release(&out);
	return NULL;
}

static void test_threads(void **state)
{
	pthread_t th[4];
	int rc[4];

	(void)state;
	for (int i = 0; i < 4; i++) {
		rc[i] = i;
		assert_int_equal(pthread_create(&th[i], NULL, render_thread, &rc[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(rc[i], 0);
	}
}

/* ---------------------------------------------------------------- picking list */

static void test_picklist_pages(void **state)
{
	enum { N = 200 };
	static char loc[N][16], sku[N][16];
	struct pdf_pick_line l[N];
	struct sb out = SB_INIT;
	struct err err = ERR_INIT;
	double pw, ph;
	int pages;

	(void)state;
	for (int i = 0; i < N; i++) {
		snprintf(loc[i], sizeof loc[i], "A-%02d-%02d", i / 10 + 1, i % 10 + 1);
		snprintf(sku[i], sizeof sku[i], "SKU%05d", i);
		l[i] = (struct pdf_pick_line){ loc[i], sku[i],
					       i % 3 ? "纯棉短袖T恤 男女同款 夏季宽松"
						     : "一个很长很长很长很长很长很长很长很长很长很长很长很长的商品名称",
					       "白色 XL", i % 5 + 1, i % 4 + 1 };
	}
	assert_int_equal(pdf_picklist("2026-11-24 第3波次", l, N, &out, &err), 0);
	pages = pdf_pages(&out, &pw, &ph);
	/* A4 portrait; 27 rows a page, plus the total row: 201 rows -> 8 pages */
	assert_true(pw > 595.27 && pw < 595.29);
	assert_true(ph > 841.88 && ph < 841.90);
	assert_int_equal(pages, 8);
	for (int p = 1; p <= pages; p++) {
		char want[32];
		char *t = pdf_text(&out, p, p);
		/* the title and the header row on every page */
		assert_has(t, "拣货单");
		assert_has(t, "第3波次");
		assert_has(t, "库位");
		assert_has(t, "商品名称");
		assert_has(t, "订单数");
		snprintf(want, sizeof want, "第%d/%d页", p, pages);
		assert_has(t, want);
		/* rows in the order given: page p starts at row 27 (p - 1) */
		assert_has(t, loc[(p - 1) * 27]);
		if (p == 1)
			assert_has(t, "纯棉短袖T恤");
		if (p == pages) {
			assert_has(t, loc[N - 1]);
			assert_has(t, "合计200行");
		} else {
			assert_null(strstr(t, "合计"));
		}
		xfree(t);
	}
	sb_release(&out);
}

static void test_picklist_bad_input(void **state)
{
	struct pdf_pick_line l = { "A-01", "SKU1", "T恤", "白", 1, 1 };
	struct sb out = SB_INIT;
	struct err err = ERR_INIT;

	(void)state;
	assert_int_equal(pdf_picklist("x", &l, 0, &out, &err), ERR_INVALID);
	assert_int_equal(pdf_picklist("x", NULL, 0, &out, &err), ERR_INVALID);
	err_init(&err);
	l.qty = -1;
	assert_int_equal(pdf_picklist("x", &l, 1, &out, &err), ERR_INVALID);
	assert_string_equal(err.field, "lines[0].qty");
	l.qty = 1;
	err_init(&err);
	assert_int_equal(pdf_picklist("\xc3", &l, 1, &out, &err), ERR_INVALID);
	assert_string_equal(err.field, "title");
	assert_int_equal(out.len, 0);
	/* one line, no title: one page */
	err_init(&err);
	double pw, ph;
	assert_int_equal(pdf_picklist(NULL, &l, 1, &out, &err), 0);
	assert_int_equal(pdf_pages(&out, &pw, &ph), 1);
	sb_release(&out);
}

/* ---------------------------------------------------------------- delivery notes */

static void test_delivery_notes(void **state)
{
	enum { N = 50 };
	struct pdf_note_line lines[N];
	struct pdf_delivery_note nt[2];
	struct err err = ERR_INIT;
	double pw, ph;

	(void)state;
	for (int i = 0; i < N; i++)
		lines[i] = (struct pdf_note_line){ "SKU-TS-01", "纯棉短袖T恤", "白色 XL", 2, 4950 };
	nt[0] = (struct pdf_delivery_note){
		.order_no = "3521889923331029", .shop_name = "好物小铺",
		.order_time = "2026-11-24 16:17", .buyer = "tb_zhangsan",
		.receiver_name = "张三", .receiver_phone = "138****5678",
		.receiver_address = "浙江省杭州市西湖区文三路90号",
		.lines = lines, .nlines = 2,
		.goods_fen = 19800, .shipping_fen = 0, .discount_fen = 1000, .paid_fen = 18800,
		.buyer_message = "请帮忙包装好，送人的", .footer = "感谢惠顾，如有问题请联系客服",
	};
	nt[1] = nt[0];
	nt[1].order_no = "3521889923331030";
	nt[1].nlines = N;
	nt[1].buyer_message = NULL;

	for (int size = PDF_NOTE_A4; size <= PDF_NOTE_241x140; size++) {
		struct sb out = SB_INIT;
		err_init(&err);
		assert_int_equal(pdf_delivery_notes(nt, 2, size, &out, &err), 0);
		int pages = pdf_pages(&out, &pw, &ph);
		if (size == PDF_NOTE_A4) {
			assert_true(pw > 595.27 && pw < 595.29);
			/* note 1 on one page; note 2's 50 lines: 28 on its first
			 * page, 22 and the totals on the second */
			assert_int_equal(pages, 3);
		} else {
			assert_true(pw > 683.14 && pw < 683.16); /* 241 mm */
			assert_true(ph > 396.84 && ph < 396.86); /* 140 mm */
			assert_true(pages >= 5);
		}
		char *t = pdf_text(&out, 1, 1);
		assert_has(t, "好物小铺发货单");
		assert_has(t, "订单号：3521889923331029");
		assert_has(t, "张三");
		assert_has(t, "浙江省杭州市西湖区文三路90号");
		assert_has(t, "纯棉短袖T恤");
		assert_has(t, "99.00");     /* 2 x 49.50 */
		assert_has(t, "实付¥188.00");
		assert_has(t, "优惠-¥10.00");
		assert_has(t, "请帮忙包装好");
		assert_has(t, "第1/1页");
		xfree(t);
		t = pdf_text(&out, 3, 3);
		assert_has(t, "发货单（续）");
		assert_has(t, "3521889923331030");
		assert_has(t, "商品名称"); /* header row repeated */
		xfree(t);
		t = pdf_text(&out, pages, pages);
		assert_has(t, "实付¥188.00");
		xfree(t);
		sb_release(&out);
	}
}

static void test_delivery_notes_bad_input(void **state)
{
	struct pdf_note_line line = { "SKU", "T恤", "", 1, INT64_C(9000000000000000) };
	struct pdf_delivery_note nt = { .order_no = "1", .lines = &line, .nlines = 1 };
	struct sb out = SB_INIT;
	struct err err = ERR_INIT;
	double pw, ph;

	(void)state;
	line.qty = 2; /* 2 x 9e15 fen overflows the money range */
	assert_int_equal(pdf_delivery_notes(&nt, 1, PDF_NOTE_A4, &out, &err), ERR_INVALID);
	assert_string_equal(err.field, "notes[0].lines[0]");
	line.qty = 1;
	line.price_fen = 100;
	nt.order_no = NULL;
	err_init(&err);
	assert_int_equal(pdf_delivery_notes(&nt, 1, PDF_NOTE_A4, &out, &err), ERR_INVALID);
	assert_string_equal(err.field, "notes[0].order_no");
	err_init(&err);
	assert_int_equal(pdf_delivery_notes(&nt, 0, PDF_NOTE_A4, &out, &err), ERR_INVALID);
	/* no lines at all is still a note */
	nt.order_no = "1";
	nt.nlines = 0;
	err_init(&err);
	assert_int_equal(pdf_delivery_notes(&nt, 1, PDF_NOTE_241x140, &out, &err), 0);
	assert_int_equal(pdf_pages(&out, &pw, &ph), 1);
	sb_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_barcode_code128),
		cmocka_unit_test(test_barcode_fit),
		cmocka_unit_test(test_barcode_bad_input),
		cmocka_unit_test(test_waybills_100x180),
		cmocka_unit_test(test_waybills_76x130),
		cmocka_unit_test(test_waybills_long_text),
		cmocka_unit_test(test_waybills_parcel),
		cmocka_unit_test(test_waybills_bad_input),
		cmocka_unit_test(test_waybills_size_cap),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_picklist_pages),
		cmocka_unit_test(test_picklist_bad_input),
		cmocka_unit_test(test_delivery_notes),
		cmocka_unit_test(test_delivery_notes_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
