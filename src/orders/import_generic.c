/*
 * import_generic.c - the generic order template's rules: its columns, one row
 * parsed and checked, the rows of one order folded into the order and its
 * lines. Pure: no storage, no clock; the caller passes the arena. The storage
 * side is import_generic_db.c.
 */
#include "orders/import_generic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/taobao_format.h"
#include "lib/arena.h"
#include "lib/cal.h"
#include "lib/money.h"
#include "orders/order.h"
#include "lib/common.h"

/* ---------------------------------------------------------------- columns */

#define ALIASES(...) ((const char *const[]){ __VA_ARGS__, NULL })

const struct csv_column generic_columns[GENERIC_COL__COUNT] = {
	[GENERIC_COL_ORDER_NO] = { "订单编号", 1, ALIASES("order_no", "订单号", "order_id") },
	[GENERIC_COL_STATUS] = { "店铺订单状态", 0, ALIASES("status", "平台状态", "订单状态") },
	[GENERIC_COL_BUYER] = { "买家昵称", 1, ALIASES("buyer", "买家会员名", "buyer_nick") },
	[GENERIC_COL_RECEIVER] = { "收货人", 1, ALIASES("receiver_name", "收货人姓名") },
	[GENERIC_COL_PHONE] = { "联系电话", 0, ALIASES("receiver_phone", "联系手机", "手机", "phone") },
	[GENERIC_COL_ADDRESS] = { "收货地址", 1, ALIASES("receiver_address", "address") },
	[GENERIC_COL_CREATED] = { "下单时间", 0, ALIASES("created_at", "订单创建时间") },
	[GENERIC_COL_PAID_AT] = { "付款时间", 0, ALIASES("paid_at", "订单付款时间") },
	[GENERIC_COL_TITLE] = { "商品标题", 0, ALIASES("title", "宝贝标题", "标题") },
	[GENERIC_COL_SKU] = { "商家编码", 0, ALIASES("sku_code", "sku") },
	[GENERIC_COL_PRICE] = { "单价", 0, ALIASES("price", "价格") },
	[GENERIC_COL_QTY] = { "数量", 0, ALIASES("qty", "购买数量") },
	[GENERIC_COL_POSTAGE] = { "运费", 0, ALIASES("postage", "邮费") },
	[GENERIC_COL_PAID] = { "实付金额", 0, ALIASES("paid", "买家实际支付金额") },
	[GENERIC_COL_MESSAGE] = { "买家留言", 0, ALIASES("buyer_message") },
	[GENERIC_COL_MEMO] = { "卖家备注", 0, ALIASES("seller_memo", "订单备注") },
	[GENERIC_COL_COURIER] = { "快递公司", 0, ALIASES("courier", "物流公司") },
	[GENERIC_COL_TRACKING] = { "运单号", 0, ALIASES("tracking_no", "物流单号", "快递单号") },
};

const char *generic_col_english(enum generic_col c)
{
	return (unsigned)c < GENERIC_COL__COUNT ? generic_columns[c].aliases[0] : "";
}

const char *const generic_template_rows[2][GENERIC_COL__COUNT] = {
	{ "GEN20261111001", "买家已付款，等待卖家发货", "小林爱买", "林小姐", "13812345678",
	  "浙江省 杭州市 西湖区 文三路90号", "2026-11-11 10:00:00", "2026-11-11 10:01:30",
	  "纯棉T恤 白色 L码", "TS-WHT-L", "59.00", "2", "0.00", "153.50", "请尽快发货", "", "", "" },
	{ "GEN20261111001", "买家已付款，等待卖家发货", "小林爱买", "林小姐", "13812345678",
	  "浙江省 杭州市 西湖区 文三路90号", "2026-11-11 10:00:00", "2026-11-11 10:01:30",
	  "帆布托特包 米色", "BAG-01", "35.50", "1", "0.00", "153.50", "请尽快发货", "", "", "" },
};

/* ---------------------------------------------------------------- one row */

/* The cleaned cell (csv_clean: spaces, ="…", apostrophe) in the arena; NULL when out of memory. */
static const char *cell(const struct csv_record *rec, const int *ix, enum generic_col c,
			struct arena *a)
{
	size_t start;
	const char *raw = csv_field(rec, ix[c]);
	size_t n = csv_clean_span(raw, strlen(raw), &start);
	return n ? arena_strndup(a, raw + start, n) : "";
}

/* At most 40 bytes of s for a message, cut at a character boundary. */
static int shown_len(const char *s)
{
	size_t n = strlen(s);
	if (n <= 40)
		return (int)n;
	n = 40;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

/* "单价「12.345」无效:金额最多两位小数" / "单价 (price) "12.345" is not valid: ..." */
static int bad_value(struct err *err, enum generic_col c, const char *value, const char *why_zh,
		     const char *why_en)
{
	char zh[sizeof err->msg_zh], en[sizeof err->msg_en];
	snprintf(zh, sizeof zh, "%s「%.*s」无效:%s", generic_columns[c].name, shown_len(value), value,
		 why_zh);
	snprintf(en, sizeof en, "%s (%s) \"%.*s\" is not valid: %s", generic_columns[c].name,
		 generic_col_english(c), shown_len(value), value, why_en);
	return err_set(err, ERR_UNPROCESSABLE, generic_col_english(c), zh, en);
}

static int money_cell(const char *s, enum generic_col c, int64_t *out, struct err *err)
{
	struct err why = ERR_INIT;
	if (!*s)
		return 0; /* the caller's default stays */
	if (money_parse(s, out, &why))
		return bad_value(err, c, s, why.msg_zh, why.msg_en);
	if (*out < 0)
		return bad_value(err, c, s, "金额不能为负数", "an amount cannot be negative");
	return 0;
}

static int time_cell(const char *s, enum generic_col c, int64_t *out, struct err *err)
{
	struct err why = ERR_INIT;
	if (!*s)
		return 0;
	if (cal_parse(s, out, &why))
		return bad_value(err, c, s, why.msg_zh, why.msg_en);
	return 0;
}

static int qty_cell(const char *s, int64_t *out, struct err *err)
{
	char *end;
	if (!*s)
		return 0;
	long long v = strtoll(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || v < 1 || v > GENERIC_QTY_MAX)
		return bad_value(err, GENERIC_COL_QTY, s, "应为 1 到 1000000 的整数",
				 "must be a whole number from 1 to 1000000");
	*out = v;
	return 0;
}

static const struct {
	const char *name;
	enum order_pstatus ps;
} status_names[] = {
	{ "wait_pay", ORDER_PS_WAIT_PAY },   { "paid", ORDER_PS_PAID },
	{ "wait_ship", ORDER_PS_PAID },      { "shipped", ORDER_PS_SHIPPED },
	{ "success", ORDER_PS_SUCCESS },     { "closed", ORDER_PS_CLOSED },
	{ "refund_closed", ORDER_PS_REFUND_CLOSED },
};

static int status_cell(const char *s, const char **out, struct err *err)
{
	*out = "";
	if (!*s)
		return 0;
	enum order_pstatus ps = order_pstatus_parse(s);
	for (size_t i = 0; ps == ORDER_PS_UNKNOWN && i < ARRAY_SIZE(status_names); i++)
		if (strcasecmp(s, status_names[i].name) == 0)
			ps = status_names[i].ps;
	if (ps == ORDER_PS_UNKNOWN)
		return bad_value(err, GENERIC_COL_STATUS, s, "无法识别的订单状态",
				 "unknown order status");
	*out = order_pstatus_text(ps);
	return 0;
}

static const char *tracking_cell(const struct csv_record *rec, const int *ix, struct arena *a)
{
	const char *raw = csv_field(rec, ix[GENERIC_COL_TRACKING]);
	size_t start, n = taobao_waybill_span(raw, strlen(raw), &start);
	return n ? arena_strndup(a, raw + start, n) : "";
}

static int nomem(struct err *err)
{
	return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
}

int generic_row_parse(const struct csv_record *rec, const int *ix, struct arena *a,
		      struct generic_row *r, enum generic_col *bad_col, struct err *err)
{
	const char **text[GENERIC_COL__COUNT] = {
		[GENERIC_COL_ORDER_NO] = &r->order_no, [GENERIC_COL_BUYER] = &r->buyer,
		[GENERIC_COL_RECEIVER] = &r->receiver, [GENERIC_COL_PHONE] = &r->phone,
		[GENERIC_COL_ADDRESS] = &r->address,   [GENERIC_COL_MESSAGE] = &r->message,
		[GENERIC_COL_MEMO] = &r->memo,         [GENERIC_COL_COURIER] = &r->courier,
		[GENERIC_COL_TITLE] = &r->title,       [GENERIC_COL_SKU] = &r->sku,
	};
	const char *raw[GENERIC_COL__COUNT];

	memset(r, 0, sizeof *r);
	r->line = rec->line;
	for (int c = 0; c < GENERIC_COL__COUNT; c++) {
		raw[c] = cell(rec, ix, (enum generic_col)c, a);
		if (!raw[c])
			return nomem(err);
		if (text[c])
			*text[c] = raw[c];
	}
	r->status = "";
	r->tracking = tracking_cell(rec, ix, a);
	if (!r->tracking)
		return nomem(err);
	if (taobao_is_placeholder(r->sku))
		r->sku = "";
	r->created_utc = r->paid_utc = r->postage_fen = r->paid_fen = GENERIC_UNSET;
	r->price_fen = 0;
	r->qty = 1;

	*bad_col = GENERIC_COL_ORDER_NO;
	if (!*r->order_no)
		return err_set(err, ERR_UNPROCESSABLE, "order_no", "订单编号为空(每一行都要填写订单编号)",
			       "order number is empty (every row needs one)");
	if (strlen(r->order_no) > GENERIC_ORDER_NO_MAX) {
		r->order_no = ""; /* unusable: no other row can share it */
		return err_set(err, ERR_UNPROCESSABLE, "order_no", "订单编号过长(最多 64 字节)",
			       "order number is too long (at most 64 bytes)");
	}
	*bad_col = GENERIC_COL_STATUS;
	if (status_cell(raw[GENERIC_COL_STATUS], &r->status, err))
		return ERR_UNPROCESSABLE;
	const struct { enum generic_col c; int64_t *out; } times[] = {
		{ GENERIC_COL_CREATED, &r->created_utc }, { GENERIC_COL_PAID_AT, &r->paid_utc },
	};
	for (size_t i = 0; i < ARRAY_SIZE(times); i++) {
		*bad_col = times[i].c;
		if (time_cell(raw[times[i].c], times[i].c, times[i].out, err))
			return ERR_UNPROCESSABLE;
	}
	const struct { enum generic_col c; int64_t *out; } money[] = {
		{ GENERIC_COL_PRICE, &r->price_fen }, { GENERIC_COL_POSTAGE, &r->postage_fen },
		{ GENERIC_COL_PAID, &r->paid_fen },
	};
	for (size_t i = 0; i < ARRAY_SIZE(money); i++) {
		*bad_col = money[i].c;
		if (money_cell(raw[money[i].c], money[i].c, money[i].out, err))
			return ERR_UNPROCESSABLE;
	}
	*bad_col = GENERIC_COL_QTY;
	if (qty_cell(raw[GENERIC_COL_QTY], &r->qty, err))
		return ERR_UNPROCESSABLE;
	*bad_col = GENERIC_COL_TITLE;
	if (!*r->title && !*r->sku)
		return err_set(err, ERR_UNPROCESSABLE, "title", "商品标题和商家编码至少填写一项",
			       "a line needs a title or a SKU code");
	return 0;
}

/* ---------------------------------------------------------------- one order */

struct text_field {
	enum generic_col c;
	size_t off; /* of the const char * in struct generic_row */
};

static const struct text_field order_texts[] = {
	{ GENERIC_COL_STATUS, offsetof(struct generic_row, status) },
	{ GENERIC_COL_BUYER, offsetof(struct generic_row, buyer) },
	{ GENERIC_COL_RECEIVER, offsetof(struct generic_row, receiver) },
	{ GENERIC_COL_PHONE, offsetof(struct generic_row, phone) },
	{ GENERIC_COL_ADDRESS, offsetof(struct generic_row, address) },
	{ GENERIC_COL_MESSAGE, offsetof(struct generic_row, message) },
	{ GENERIC_COL_MEMO, offsetof(struct generic_row, memo) },
	{ GENERIC_COL_COURIER, offsetof(struct generic_row, courier) },
	{ GENERIC_COL_TRACKING, offsetof(struct generic_row, tracking) },
};

static const struct text_field order_numbers[] = {
	{ GENERIC_COL_CREATED, offsetof(struct generic_row, created_utc) },
	{ GENERIC_COL_PAID_AT, offsetof(struct generic_row, paid_utc) },
	{ GENERIC_COL_POSTAGE, offsetof(struct generic_row, postage_fen) },
	{ GENERIC_COL_PAID, offsetof(struct generic_row, paid_fen) },
};

static const char *text_at(const struct generic_row *r, size_t off)
{
	return *(const char *const *)(const void *)((const char *)r + off);
}

static int64_t num_at(const struct generic_row *r, size_t off)
{
	return *(const int64_t *)(const void *)((const char *)r + off);
}

/* Rows i and j give column c different values. */
static int disagree(struct err *err, enum generic_col c, long line_a, long line_b)
{
	return err_setf(err, ERR_UNPROCESSABLE, generic_col_english(c),
			"同一订单的各行「%s」不一致(第 %ld 行与第 %ld 行),整单未导入",
			"rows of one order disagree on %s (lines %ld and %ld); the order was not imported",
			generic_columns[c].name, line_a, line_b);
}

static int missing(struct err *err, enum generic_col c)
{
	return err_setf(err, ERR_UNPROCESSABLE, generic_col_english(c), "%s为空,整单未导入",
			"%s is empty; the order was not imported", generic_columns[c].name);
}

int generic_order_merge(const struct generic_row *rows, size_t n, struct arena *a,
			struct import_order *o, struct import_lines *l, enum generic_col *bad_col,
			struct err *err)
{
	const char *text[ARRAY_SIZE(order_texts)];
	int64_t num[ARRAY_SIZE(order_numbers)];

	memset(o, 0, sizeof *o);
	memset(l, 0, sizeof *l);
	*bad_col = GENERIC_COL_ORDER_NO;
	if (n == 0)
		return err_set(err, ERR_UNPROCESSABLE, "order_no", "订单没有任何行", "the order has no rows");
	if (n > GENERIC_ORDER_LINES_MAX)
		return err_setf(err, ERR_UNPROCESSABLE, "order_no", "一个订单最多 %d 行,整单未导入",
				"an order has at most %d rows; the order was not imported",
				GENERIC_ORDER_LINES_MAX);
	/* Order-level cells: the first non-empty value wins, any other non-empty one disagrees. */
	for (size_t f = 0; f < ARRAY_SIZE(order_texts); f++) {
		size_t from = n;
		text[f] = "";
		for (size_t i = 0; i < n; i++) {
			const char *v = text_at(&rows[i], order_texts[f].off);
			if (!*v)
				continue;
			if (from == n) {
				from = i;
				text[f] = v;
			} else if (strcmp(v, text[f]) != 0) {
				*bad_col = order_texts[f].c;
				return disagree(err, order_texts[f].c, rows[from].line, rows[i].line);
			}
		}
	}
	for (size_t f = 0; f < ARRAY_SIZE(order_numbers); f++) {
		size_t from = n;
		num[f] = GENERIC_UNSET;
		for (size_t i = 0; i < n; i++) {
			int64_t v = num_at(&rows[i], order_numbers[f].off);
			if (v == GENERIC_UNSET)
				continue;
			if (from == n) {
				from = i;
				num[f] = v;
			} else if (v != num[f]) {
				*bad_col = order_numbers[f].c;
				return disagree(err, order_numbers[f].c, rows[from].line, rows[i].line);
			}
		}
	}
	o->line = rows[0].line;
	o->order_no = rows[0].order_no;
	o->status = *text[0] ? text[0] : order_pstatus_text(ORDER_PS_PAID);
	o->pstatus = order_pstatus_parse(o->status);
	o->nick = text[1];
	o->receiver = text[2];
	o->phone = text[3];
	o->address = text[4];
	o->message = text[5];
	o->memo = text[6];
	o->courier = text[7];
	o->tracking = text[8];
	o->alipay = o->ship_method = "";
	const enum generic_col need[] = { GENERIC_COL_BUYER, GENERIC_COL_RECEIVER, GENERIC_COL_ADDRESS };
	const char *have[] = { o->nick, o->receiver, o->address };
	for (size_t i = 0; i < ARRAY_SIZE(need); i++)
		if (!*have[i]) {
			*bad_col = need[i];
			return missing(err, need[i]);
		}
	o->paid_utc = num[1] == GENERIC_UNSET ? 0 : num[1];
	o->created_utc = num[0] != GENERIC_UNSET ? num[0] : o->paid_utc;
	if (num[0] == GENERIC_UNSET && num[1] == GENERIC_UNSET) {
		*bad_col = GENERIC_COL_CREATED;
		return err_set(err, ERR_UNPROCESSABLE, "created_at", "下单时间和付款时间都为空,整单未导入",
			       "neither the order time nor the payment time is given; the order was not imported");
	}

	/* Lines, and the amounts they add up to. */
	int64_t goods = 0, qty = 0;
	for (size_t i = 0; i < n; i++) {
		struct import_line *it = import_lines_add(a, l);
		if (!it)
			return nomem(err);
		it->line = rows[i].line;
		it->price_fen = rows[i].price_fen;
		it->qty = rows[i].qty;
		it->title = rows[i].title;
		it->sku = rows[i].sku;
		if (rows[i].price_fen > MONEY_MAX_FEN / rows[i].qty ||
		    goods > MONEY_MAX_FEN - rows[i].price_fen * rows[i].qty) {
			*bad_col = GENERIC_COL_PRICE;
			return err_set(err, ERR_UNPROCESSABLE, "price", "金额合计超出范围,整单未导入",
				       "the order's total is out of range; the order was not imported");
		}
		goods += rows[i].price_fen * rows[i].qty;
		qty += rows[i].qty;
	}
	o->goods_fen = goods;
	o->postage_fen = num[2] == GENERIC_UNSET ? 0 : num[2];
	if (o->postage_fen > MONEY_MAX_FEN - goods) {
		*bad_col = GENERIC_COL_POSTAGE;
		return err_set(err, ERR_UNPROCESSABLE, "postage", "金额合计超出范围,整单未导入",
			       "the order's total is out of range; the order was not imported");
	}
	o->total_fen = goods + o->postage_fen;
	o->paid_fen = num[3] == GENERIC_UNSET ? o->total_fen : num[3];
	o->title = l->v[0].title;
	o->kinds = (int64_t)n;
	o->qty = qty;
	return 0;
}
