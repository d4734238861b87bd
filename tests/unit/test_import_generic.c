/* ORD-2 generic order template: header names and aliases, one row's cells
 * (amounts, quantities, status, times, order number, line needs), and the rows
 * of one order folded together (merged cells, disagreements, defaults). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "io/csv.h"
#include "lib/arena.h"
#include "lib/cal.h"
#include "lib/sb.h"
#include "lib/xalloc.h"
#include "orders/import_generic.h"
#include "orders/order.h"

#define HEADER                                                                                \
	"订单编号,店铺订单状态,买家昵称,收货人,联系电话,收货地址,下单时间,付款时间,商品标题,商家编码,单价," \
	"数量,运费,实付金额,买家留言,卖家备注,快递公司,运单号\r\n"

/* The template's first example row, column by column. */
static const char *const base[GENERIC_COL__COUNT] = {
	"GEN1", "买家已付款，等待卖家发货", "小林", "林小姐", "13812345678", "浙江省 杭州市 西湖区 文三路90号",
	"2026-11-11 10:00:00", "2026-11-11 10:01:30", "纯棉T恤", "TS-WHT-L", "59.00", "2", "0.00",
	"153.50", "", "", "", "",
};

/* A CSV row from base with column `col` replaced by `value` (col < 0: none). */
static void row_text(struct sb *out, int col, const char *value)
{
	for (int c = 0; c < GENERIC_COL__COUNT; c++) {
		const char *v = c == col ? value : base[c];
		if (c)
			sb_addc(out, ',');
		sb_addc(out, '"');
		for (const char *p = v; *p; p++) {
			if (*p == '"')
				sb_addc(out, '"');
			sb_addc(out, *p);
		}
		sb_addc(out, '"');
	}
	sb_adds(out, "\r\n");
}

struct parsed {
	struct arena *a;
	struct csv c;
	int ix[GENERIC_COL__COUNT];
	int header_rc;
	struct err header_err;
};

static void parsed_open(struct parsed *p, const char *text)
{
	struct csv_record rec;
	memset(p, 0, sizeof *p);
	p->a = arena_new(4096);
	assert_non_null(p->a);
	csv_init_mem(&p->c, text, strlen(text), NULL);
	err_init(&p->header_err);
	assert_int_equal(csv_next(&p->c, &rec, &p->header_err), 1);
	p->header_rc = csv_map_header(&rec, generic_columns, GENERIC_COL__COUNT, p->ix, &p->header_err);
}

/* The next data row parsed: its rc, *bad and err. */
static int parsed_next(struct parsed *p, struct generic_row *r, enum generic_col *bad, struct err *err)
{
	struct csv_record rec;
	struct err rerr = ERR_INIT;
	assert_int_equal(csv_next(&p->c, &rec, &rerr), 1);
	return generic_row_parse(&rec, p->ix, p->a, r, bad, err);
}

static void parsed_close(struct parsed *p)
{
	csv_release(&p->c);
	arena_free(p->a);
}

/* ---------------------------------------------------------------- header */

static void test_header(void **state)
{
	static const struct {
		const char *header;
		int ok;
		const char *missing[4]; /* names the message must hold */
	} cases[] = {
		{ HEADER, 1, { NULL } },
		/* order free, extra columns ignored, only the required ones */
		{ "备注,收货地址,收货人,买家昵称,订单编号\r\n", 1, { NULL } },
		/* English aliases, any case, a BOM */
		{ "\xEF\xBB\xBFORDER_NO,buyer,receiver_name,receiver_address,price,qty,status\r\n", 1, { NULL } },
		/* Taobao's names are understood too */
		{ "订单编号,买家会员名,收货人姓名,收货地址,宝贝标题,价格,购买数量\r\n", 1, { NULL } },
		{ "订单编号,买家昵称\r\n", 0, { "收货人", "收货地址" } },
		{ "商品标题,单价\r\n", 0, { "订单编号", "买家昵称", "收货人", "收货地址" } },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct parsed p;
		parsed_open(&p, cases[i].header);
		assert_int_equal(p.header_rc, cases[i].ok ? 0 : ERR_UNPROCESSABLE);
		for (int k = 0; k < 4 && cases[i].missing[k]; k++)
			assert_non_null(strstr(p.header_err.msg_zh, cases[i].missing[k]));
		parsed_close(&p);
	}
	struct parsed p;
	parsed_open(&p, "备注,收货地址,收货人,买家昵称,订单编号\r\n");
	assert_int_equal(p.ix[GENERIC_COL_ORDER_NO], 4);
	assert_int_equal(p.ix[GENERIC_COL_ADDRESS], 1);
	assert_int_equal(p.ix[GENERIC_COL_PRICE], -1);
	parsed_close(&p);
	assert_string_equal(generic_col_english(GENERIC_COL_TRACKING), "tracking_no");
}

/* ---------------------------------------------------------------- one row */

static void test_row_cells(void **state)
{
	static const struct {
		int col;
		const char *value;
		int bad_col; /* -1: the row is good */
		const char *reason; /* substring of the zh reason */
	} cases[] = {
		{ -1, NULL, -1, NULL },
		{ GENERIC_COL_PRICE, "12.345", GENERIC_COL_PRICE, "最多两位小数" },
		{ GENERIC_COL_PRICE, "-1.00", GENERIC_COL_PRICE, "负数" },
		{ GENERIC_COL_PRICE, "abc", GENERIC_COL_PRICE, "单价「abc」" },
		{ GENERIC_COL_PRICE, "¥59.00", -1, NULL },
		{ GENERIC_COL_PRICE, "", -1, NULL },
		{ GENERIC_COL_QTY, "0", GENERIC_COL_QTY, "整数" },
		{ GENERIC_COL_QTY, "2.5", GENERIC_COL_QTY, "整数" },
		{ GENERIC_COL_QTY, "-3", GENERIC_COL_QTY, "整数" },
		{ GENERIC_COL_QTY, "1000001", GENERIC_COL_QTY, "整数" },
		{ GENERIC_COL_QTY, "", -1, NULL },
		{ GENERIC_COL_POSTAGE, "1.2.3", GENERIC_COL_POSTAGE, "运费" },
		{ GENERIC_COL_PAID, "-5", GENERIC_COL_PAID, "负数" },
		{ GENERIC_COL_STATUS, "已经发货啦", GENERIC_COL_STATUS, "无法识别的订单状态" },
		{ GENERIC_COL_STATUS, "shipped", -1, NULL },
		{ GENERIC_COL_STATUS, "买家已付款,等待卖家发货", -1, NULL },
		{ GENERIC_COL_CREATED, "2026-13-01 00:00:00", GENERIC_COL_CREATED, "下单时间" },
		{ GENERIC_COL_PAID_AT, "yesterday", GENERIC_COL_PAID_AT, "付款时间" },
		{ GENERIC_COL_CREATED, "2026/11/11 10:00", -1, NULL },
		{ GENERIC_COL_ORDER_NO, "", GENERIC_COL_ORDER_NO, "订单编号为空" },
		{ GENERIC_COL_ORDER_NO, "=\"2026111100012345678\"", -1, NULL },
		{ GENERIC_COL_ORDER_NO,
		  "12345678901234567890123456789012345678901234567890123456789012345",
		  GENERIC_COL_ORDER_NO, "过长" },
		{ GENERIC_COL_TITLE, "", -1, NULL }, /* the SKU code is enough */
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sb text = SB_INIT;
		struct parsed p;
		struct generic_row r;
		struct err err = ERR_INIT;
		enum generic_col bad = GENERIC_COL__COUNT;
		sb_adds(&text, HEADER);
		row_text(&text, cases[i].col, cases[i].value);
		parsed_open(&p, text.buf);
		assert_int_equal(p.header_rc, 0);
		int rc = parsed_next(&p, &r, &bad, &err);
		if (cases[i].bad_col < 0) {
			assert_int_equal(rc, 0);
		} else {
			assert_int_equal(rc, ERR_UNPROCESSABLE);
			assert_int_equal(bad, cases[i].bad_col);
			if (!strstr(err.msg_zh, cases[i].reason))
				fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err.msg_zh, cases[i].reason);
			assert_true(err.msg_en[0] != '\0');
		}
		parsed_close(&p);
		sb_release(&text);
	}
}

static void test_row_values(void **state)
{
	struct sb text = SB_INIT;
	struct parsed p;
	struct generic_row r;
	struct err err = ERR_INIT;
	enum generic_col bad;
	int64_t t;
	(void)state;
	sb_adds(&text, "订单编号,买家昵称,收货人,收货地址,商家编码,运单号,店铺订单状态,单价,数量,多余的列\r\n");
	sb_adds(&text, " =\"A-1\" ,小林,林小姐,杭州,无,No:YT123456789,success,¥1\xEF\xBC\x8C""234.50,,x\r\n");
	sb_adds(&text, "A-2,小林,林小姐,杭州,SKU-1,,,,3,\r\n");
	parsed_open(&p, text.buf);
	assert_int_equal(p.header_rc, 0);
	/* a placeholder SKU with no title is no line */
	assert_int_equal(parsed_next(&p, &r, &bad, &err), ERR_UNPROCESSABLE);
	assert_int_equal(bad, GENERIC_COL_TITLE);
	assert_string_equal(r.order_no, "A-1");
	assert_string_equal(r.tracking, "YT123456789");
	assert_string_equal(r.status, "交易成功");
	err_init(&err);
	assert_int_equal(parsed_next(&p, &r, &bad, &err), 0);
	assert_string_equal(r.sku, "SKU-1");
	assert_string_equal(r.status, "");
	assert_int_equal(r.price_fen, 0);
	assert_int_equal(r.qty, 3);
	assert_true(r.created_utc == GENERIC_UNSET && r.paid_fen == GENERIC_UNSET);
	assert_int_equal(r.line, 3);
	parsed_close(&p);
	sb_release(&text);

	sb_adds(&text, HEADER);
	row_text(&text, -1, NULL);
	parsed_open(&p, text.buf);
	assert_int_equal(parsed_next(&p, &r, &bad, &err), 0);
	assert_int_equal(r.price_fen, 5900);
	assert_int_equal(r.paid_fen, 15350);
	assert_int_equal(r.postage_fen, 0);
	assert_int_equal(cal_parse("2026-11-11 10:01:30", &t, &err), 0);
	assert_int_equal(r.paid_utc, t);
	parsed_close(&p);
	sb_release(&text);
}

/* ---------------------------------------------------------------- one order */

static int col_of(const char *english)
{
	for (int c = 0; c < GENERIC_COL__COUNT; c++)
		if (strcmp(generic_col_english((enum generic_col)c), english) == 0)
			return c;
	fail_msg("no column %s", english);
	return 0;
}

/* rows[i] = base with the changes of override[i] ("col=value;col=value"). */
static size_t order_rows(struct parsed *p, struct sb *text, const char *const *override, size_t n,
			 struct generic_row *rows)
{
	sb_adds(text, HEADER);
	for (size_t i = 0; i < n; i++) {
		const char *vals[GENERIC_COL__COUNT];
		char buf[512];
		memcpy(vals, base, sizeof vals);
		snprintf(buf, sizeof buf, "%s", override[i] ? override[i] : "");
		for (char *tok = buf, *next; tok && *tok; tok = next) {
			next = strchr(tok, ';');
			if (next)
				*next++ = '\0';
			char *eq = strchr(tok, '=');
			assert_non_null(eq);
			*eq = '\0';
			vals[col_of(tok)] = eq + 1;
		}
		for (int c = 0; c < GENERIC_COL__COUNT; c++) {
			if (c)
				sb_addc(text, ',');
			sb_adds(text, vals[c]);
		}
		sb_adds(text, "\r\n");
	}
	parsed_open(p, text->buf);
	for (size_t i = 0; i < n; i++) {
		struct err err = ERR_INIT;
		enum generic_col bad;
		if (parsed_next(p, &rows[i], &bad, &err))
			fail_msg("row %zu: %s", i, err.msg_zh);
	}
	return n;
}

struct merge_case {
	const char *name;
	const char *rows[3]; /* overrides per row; NULL ends */
	int bad_col;         /* -1: merges */
	const char *reason;
};

static const struct merge_case merge_cases[] = {
	{ "two lines agree", { "", "title=帆布包;sku_code=BAG-01;price=35.50;qty=1" }, -1, NULL },
	{ "merged cells: order cells only on the first row",
	  { "", "status=;buyer=;receiver_name=;receiver_phone=;receiver_address=;created_at=;paid_at=;"
		"postage=;paid=;title=帆布包;sku_code=BAG-01;price=35.50;qty=1" },
	  -1, NULL },
	{ "amounts compare as money: 153.5 = 153.50", { "", "paid=153.5" }, -1, NULL },
	{ "address disagrees", { "", "receiver_address=上海市 浦东新区 世纪大道1号" }, GENERIC_COL_ADDRESS,
	  "「收货地址」不一致(第 2 行与第 3 行)" },
	{ "status disagrees", { "", "", "status=交易成功" }, GENERIC_COL_STATUS, "第 2 行与第 4 行" },
	{ "paid amount disagrees", { "", "paid=150.00" }, GENERIC_COL_PAID, "实付金额" },
	{ "tracking disagrees", { "tracking_no=YT1", "tracking_no=YT2" }, GENERIC_COL_TRACKING, "运单号" },
	{ "no buyer on any row", { "buyer=", "buyer=" }, GENERIC_COL_BUYER, "买家昵称为空" },
	{ "no receiver", { "receiver_name=" }, GENERIC_COL_RECEIVER, "收货人为空" },
	{ "no address", { "receiver_address=" }, GENERIC_COL_ADDRESS, "收货地址为空" },
	{ "no times at all", { "created_at=;paid_at=" }, GENERIC_COL_CREATED, "下单时间和付款时间都为空" },
	{ "order time from the payment time", { "created_at=" }, -1, NULL },
	{ "defaults: status, postage, paid", { "status=;postage=;paid=" }, -1, NULL },
	{ "total out of range", { "price=90000000000000.00;qty=1000" }, GENERIC_COL_PRICE, "超出范围" },
};

static void test_merge(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof merge_cases / sizeof merge_cases[0]; i++) {
		const struct merge_case *mc = &merge_cases[i];
		struct sb text = SB_INIT;
		struct parsed p;
		struct generic_row rows[3];
		struct import_order o;
		struct import_lines l;
		struct err err = ERR_INIT;
		enum generic_col bad = GENERIC_COL__COUNT;
		size_t n = 0;
		while (n < 3 && mc->rows[n])
			n++;
		order_rows(&p, &text, mc->rows, n, rows);
		int rc = generic_order_merge(rows, n, p.a, &o, &l, &bad, &err);
		if (mc->bad_col < 0) {
			if (rc)
				fail_msg("%s: %s", mc->name, err.msg_zh);
			assert_int_equal(l.n, n);
		} else {
			if (rc != ERR_UNPROCESSABLE || (int)bad != mc->bad_col || !strstr(err.msg_zh, mc->reason))
				fail_msg("%s: rc %d col %d \"%s\"", mc->name, rc, (int)bad, err.msg_zh);
			assert_true(err.msg_en[0] != '\0');
		}
		parsed_close(&p);
		sb_release(&text);
	}
}

static void test_merge_values(void **state)
{
	struct sb text = SB_INIT;
	struct parsed p;
	struct generic_row rows[2];
	struct import_order o;
	struct import_lines l;
	struct err err = ERR_INIT;
	enum generic_col bad;
	int64_t paid_at;
	const char *const two[] = { "status=;postage=8.00;paid=",
				    "status=;buyer=;receiver_address=;postage=;paid=;"
				    "created_at=;title=帆布包;sku_code=BAG-01;price=35.50;qty=1" };
	(void)state;
	assert_int_equal(cal_parse("2026-11-11 10:01:30", &paid_at, &err), 0);
	order_rows(&p, &text, two, 2, rows);
	assert_int_equal(generic_order_merge(rows, 2, p.a, &o, &l, &bad, &err), 0);
	assert_string_equal(o.order_no, "GEN1");
	assert_string_equal(o.status, "买家已付款，等待卖家发货");
	assert_int_equal(o.pstatus, ORDER_PS_PAID);
	assert_string_equal(o.nick, "小林");
	assert_string_equal(o.address, "浙江省 杭州市 西湖区 文三路90号");
	assert_int_equal(o.goods_fen, 2 * 5900 + 3550);
	assert_int_equal(o.postage_fen, 800);
	assert_int_equal(o.total_fen, 2 * 5900 + 3550 + 800);
	assert_int_equal(o.paid_fen, o.total_fen);
	assert_int_equal(o.paid_utc, paid_at);
	assert_true(o.created_utc < paid_at);
	assert_int_equal(o.kinds, 2);
	assert_int_equal(o.qty, 3);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.v[0].line, 2);
	assert_int_equal(l.v[1].line, 3);
	assert_string_equal(l.v[1].sku, "BAG-01");
	assert_int_equal(l.v[1].price_fen, 3550);
	assert_string_equal(o.title, "纯棉T恤");

	/* the line limit, on copies of a parsed row (its strings live in p's arena) */
	struct arena *a = arena_new(4096);
	static struct generic_row many[GENERIC_ORDER_LINES_MAX + 1];
	for (size_t i = 0; i < GENERIC_ORDER_LINES_MAX + 1; i++)
		many[i] = rows[0];
	err_init(&err);
	assert_int_equal(generic_order_merge(many, GENERIC_ORDER_LINES_MAX + 1, a, &o, &l, &bad, &err),
			 ERR_UNPROCESSABLE);
	assert_non_null(strstr(err.msg_zh, "最多 500 行"));
	err_init(&err);
	assert_int_equal(generic_order_merge(many, GENERIC_ORDER_LINES_MAX, a, &o, &l, &bad, &err), 0);
	arena_free(a);
	parsed_close(&p);
	sb_release(&text);
}

/* The template's example rows are one good order, as the docs promise. */
static void test_template_rows(void **state)
{
	struct sb text = SB_INIT;
	struct parsed p;
	struct generic_row rows[2];
	struct import_order o;
	struct import_lines l;
	struct err err = ERR_INIT;
	enum generic_col bad;
	(void)state;
	for (int c = 0; c < GENERIC_COL__COUNT; c++)
		sb_addf(&text, "%s%s", c ? "," : "", generic_columns[c].name);
	sb_adds(&text, "\r\n");
	for (int r = 0; r < 2; r++)
		for (int c = 0; c < GENERIC_COL__COUNT; c++)
			sb_addf(&text, "%s\"%s\"%s", c ? "," : "", generic_template_rows[r][c],
				c == GENERIC_COL__COUNT - 1 ? "\r\n" : "");
	parsed_open(&p, text.buf);
	assert_int_equal(p.header_rc, 0);
	for (int r = 0; r < 2; r++)
		assert_int_equal(parsed_next(&p, &rows[r], &bad, &err), 0);
	assert_int_equal(generic_order_merge(rows, 2, p.a, &o, &l, &bad, &err), 0);
	assert_int_equal(o.goods_fen + o.postage_fen, o.paid_fen);
	parsed_close(&p);
	sb_release(&text);
}

/* Out of memory at every allocation in turn: ERR_NOMEM, never a crash or a
 * half-filled row taken for a good one (ASan checks the rest). */
static void test_alloc_failure(void **state)
{
	struct csv_record recs[2];
	size_t lens[2][GENERIC_COL__COUNT];
	int ix[GENERIC_COL__COUNT];
	int done = 0, failed = 0;
	(void)state;
	for (int c = 0; c < GENERIC_COL__COUNT; c++)
		ix[c] = c;
	for (int r = 0; r < 2; r++) {
		for (int c = 0; c < GENERIC_COL__COUNT; c++)
			lens[r][c] = strlen(generic_template_rows[r][c]);
		recs[r].fields = generic_template_rows[r];
		recs[r].lens = lens[r];
		recs[r].n = GENERIC_COL__COUNT;
		recs[r].line = recs[r].end_line = r + 2;
	}
	for (long n = 0; n < 1000 && !done; n++) {
		struct arena *a = arena_new(64);
		struct generic_row rows[2];
		struct import_order o;
		struct import_lines l;
		struct err err = ERR_INIT;
		enum generic_col bad;
		int rc = 0;
		assert_non_null(a);
		xalloc_fail_after(n);
		for (int r = 0; r < 2 && !rc; r++)
			rc = generic_row_parse(&recs[r], ix, a, &rows[r], &bad, &err);
		if (!rc)
			rc = generic_order_merge(rows, 2, a, &o, &l, &bad, &err);
		xalloc_fail_after(-1);
		if (rc != 0 && rc != ERR_NOMEM)
			fail_msg("allocation %ld: rc %d %s", n, rc, err.msg_zh);
		failed += rc == ERR_NOMEM;
		if (!rc) {
			assert_int_equal(l.n, 2);
			assert_int_equal(o.paid_fen, 15350);
			done = 1;
		}
		arena_free(a);
	}
	assert_true(done && failed > 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_row_cells),
		cmocka_unit_test(test_row_values),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_merge_values),
		cmocka_unit_test(test_template_rows),
		cmocka_unit_test(test_alloc_failure),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
