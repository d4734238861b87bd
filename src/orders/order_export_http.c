/*
 * order_export_http.c - GET /api/v1/orders?...&format=xlsx (see order_export.h).
 *
 * The orders are read a page at a time, each page in an arena of its own that
 * is freed before the next, and each row goes to the workbook at once (which
 * libxlsxwriter keeps on disk in constant_memory mode), so a 100,000-order
 * export holds one page of orders in memory, plus the finished file.
 * Pages are taken by OFFSET, newest first: an order imported while the export
 * runs shifts later pages by one, so rows whose id is not below the last one
 * written are skipped rather than written twice.
 */
#include "orders/order_export.h"

#include <string.h>

#include "http/http.h"
#include "io/xlsx.h"
#include "lib/arena.h"
#include "lib/mask.h"
#include "lib/sb.h"
#include "stores/stores.h"
#include "lib/common.h"

#define EXPORT_PAGE 1000

static const struct xlsx_col export_cols[] = {
	{ "订单编号", 22 }, { "店铺", 14 },    { "买家会员名", 14 }, { "收货人", 10 },
	{ "联系电话", 14 }, { "收货地址", 40 }, { "平台状态", 22 },   { "处理阶段", 10 },
	{ "商品", 36 },     { "数量", 6 },      { "实付金额", 12 },   { "快递公司", 12 },
	{ "运单号", 18 },   { "下单时间", 20 }, { "付款时间", 20 },
};

struct store_name {
	int64_t id;
	const char *name;
};

struct exporter {
	struct http_req *req;
	struct xlsx_writer *w;
	struct store_name *stores;
	size_t n_stores, cap_stores;
	struct arena *page; /* the current page's arena: masked texts live here */
	int64_t last_id;    /* ids strictly below this are still to come */
	int64_t rows, got;
	int over;
};

int order_export_wanted(struct http_req *req)
{
	const char *f = http_query(req, "format");
	return f && *f && strcmp(f, "json") != 0;
}

static int store_add(const struct store *s, void *p)
{
	struct exporter *e = p;
	if (e->n_stores == e->cap_stores) {
		size_t cap = e->cap_stores ? e->cap_stores * 2 : 16;
		struct store_name *n = arena_alloc(e->req->arena, cap * sizeof *n);
		if (!n)
			return ERR_NOMEM;
		if (e->n_stores)
			memcpy(n, e->stores, e->n_stores * sizeof *n);
		e->stores = n;
		e->cap_stores = cap;
	}
	e->stores[e->n_stores].id = s->id;
	e->stores[e->n_stores].name = arena_strdup(e->req->arena, *s->name ? s->name : s->code);
	if (!e->stores[e->n_stores].name)
		return ERR_NOMEM;
	e->n_stores++;
	return 0;
}

static const char *store_name(const struct exporter *e, const struct order *o)
{
	for (size_t i = 0; i < e->n_stores; i++)
		if (e->stores[i].id == o->store_id)
			return e->stores[i].name;
	return o->store_code;
}

/* The same rule as the JSON list (order_http.c): roles that don't see
 * customer data get lib/mask's masked phone and address. */
static const char *masked(struct exporter *e, const char *s, int address)
{
	if (role_sees_customer_pii(e->req->user.role) || !*s)
		return s;
	struct sb sb;
	struct err ignored = ERR_INIT;
	sb_init_arena(&sb, e->page, 4096);
	if (address)
		mask_address(s, &sb);
	else
		mask_phone(s, &sb);
	const char *m = sb_take(&sb, &ignored);
	return m ? m : "****";
}

static int export_row(const struct order *o, void *p)
{
	struct exporter *e = p;
	struct xlsx_writer *w = e->w;
	e->got++;
	if (e->last_id && o->id >= e->last_id)
		return 0; /* shifted onto this page by a newer order: written already */
	e->last_id = o->id;
	if (e->rows >= ORDER_EXPORT_MAX) {
		e->over = 1;
		return 1; /* stop */
	}
	xlsx_cell_text(w, o->platform_order_no);
	xlsx_cell_text(w, store_name(e, o));
	xlsx_cell_text(w, o->buyer_nick);
	xlsx_cell_text(w, o->receiver_name);
	xlsx_cell_text(w, masked(e, o->receiver_phone, 0));
	xlsx_cell_text(w, masked(e, o->receiver_address, 1));
	xlsx_cell_text(w, o->platform_status);
	xlsx_cell_text(w, order_stage_label_zh(o->stage));
	xlsx_cell_text(w, o->item_title);
	xlsx_cell_int(w, o->item_qty);
	xlsx_cell_money(w, o->paid_fen);
	xlsx_cell_text(w, *o->courier ? o->courier : o->platform_courier);
	xlsx_cell_text(w, *o->tracking_no ? o->tracking_no : o->platform_tracking_no);
	xlsx_cell_time(w, o->created_utc);
	xlsx_cell_time(w, o->paid_utc);
	xlsx_row_end(w);
	e->rows++;
	return 0;
}

static int export_pages(struct exporter *e, const struct order_filter *filter, struct err *err)
{
	struct order_filter f = *filter;
	int rc = 0;
	f.page_size = EXPORT_PAGE;
	for (f.page = 1; !rc && !e->over; f.page++) {
		e->page = arena_new(0);
		if (!e->page)
			return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
		e->got = 0;
		rc = order_list(e->req->db, &f, e->page, export_row, e, NULL, err);
		arena_free(e->page);
		e->page = NULL;
		if (e->got < EXPORT_PAGE)
			break;
	}
	if (!rc && e->over)
		rc = err_setf(err, ERR_UNPROCESSABLE, "", "筛选出的订单超过 %d 条,请缩小时间范围或加上筛选条件再导出",
			      "more than %d orders match: narrow the time range or add a filter to export",
			      ORDER_EXPORT_MAX);
	return rc;
}

int order_export_list(struct http_req *req, struct http_resp *resp, const struct order_filter *f,
		      struct err *err)
{
	struct exporter e = { .req = req };
	const char *format = http_query(req, "format");
	const void *data;
	size_t len;

	if (strcmp(format, "xlsx") != 0)
		return err_set(err, ERR_INVALID, "format", "format 应为 xlsx 或 json",
			       "format must be xlsx or json");
	int rc = store_each_visible(req->db, req->user.id, store_add, &e, err);
	if (rc)
		return rc == ERR_NOMEM ? err_set(err, ERR_NOMEM, "", "内存不足", "out of memory") : rc;
	rc = xlsx_writer_new("订单", export_cols, ARRAY_SIZE(export_cols), &e.w, err);
	if (rc)
		return rc;
	rc = export_pages(&e, f, err);
	if (rc) {
		xlsx_writer_free(e.w);
		return rc;
	}
	rc = xlsx_writer_finish(e.w, req->arena, &data, &len, err);
	if (rc)
		return rc;
	resp->raw = data;
	resp->raw_len = len;
	resp->content_type = XLSX_CONTENT_TYPE;
	resp->content_disposition = xlsx_disposition(req->arena, "订单导出.xlsx", "orders.xlsx");
	return resp->content_disposition ? 0 : err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
}
