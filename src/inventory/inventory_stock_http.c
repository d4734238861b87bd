/*
 * inventory_stock_http.c - stock handlers: movements, stock and ledger lists,
 * the ledger check, the out-of-stock / delist / restock lists with their CSV
 * files for the platform, stocktakes, and the sell-through report. The routes
 * are listed in inventory_http.c.
 *
 * CSV files are UTF-8 with a BOM and CRLF line ends, which Excel opens
 * correctly; text cells starting with = + - @ get a leading ' so a spreadsheet
 * never runs them as formulas. The same lists come as Excel workbooks with
 * format=xlsx (io/xlsx.h: SKU codes are text cells, quantities numbers).
 */
#include "inventory/inventory_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inventory/inventory_http_int.h"
#include "io/xlsx.h"
#include "lib/arena.h"
#include "lib/cal.h"
#include "lib/sb.h"
#include "lib/common.h"

#define COUNTS_BODY_MAX 5000
#define CSV_MAX ((size_t)64 << 20)

static int append(json_t *arr, json_t *v)
{
	return json_array_append_new(arr, v) ? ERR_NOMEM : 0;
}

static int fail_with(json_t *j, int rc)
{
	json_decref(j);
	return rc;
}

static int parse_id(const char *s, int64_t *out, struct err *err)
{
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || *end || v <= 0)
		return err_set(err, ERR_NOT_FOUND, "id", "盘点单不存在", "no such stocktake");
	*out = v;
	return 0;
}

static int time_query(struct http_req *req, const char *name, int64_t def, int64_t *out,
		      struct err *err)
{
	const char *s = inv_http_q(req, name);
	struct err why = ERR_INIT; /* the parameter's name is the field, not cal's "time" */
	*out = def;
	if (!s || !cal_parse(s, out, &why))
		return 0;
	return err_setf(err, ERR_INVALID, name, "参数 %s 不是有效时间,应为 YYYY-MM-DD[ HH:MM:SS]",
			"parameter %s is not a valid time; use YYYY-MM-DD[ HH:MM:SS]", name, name);
}

/* ---------------------------------------------------------------- movements */

static int move_read(json_t *body, struct inv_move *m, int64_t lo, struct err *err)
{
	int rc;
	memset(m, 0, sizeof *m);
	rc = json_str_field(body, "sku", 1, INV_CODE_MAX, &m->sku, err);
	if (!rc)
		rc = json_str_field(body, "warehouse", 0, INV_WH_CODE_MAX, &m->warehouse, err);
	if (!rc)
		rc = json_int_field(body, "qty", 1, lo, INV_QTY_MAX, &m->qty, err);
	if (!rc)
		rc = json_str_field(body, "reason", 0, 200, &m->note, err);
	return rc;
}

static int move_answer(struct http_resp *resp, const struct inv_move *m,
		       const struct inv_level *l)
{
	resp->json = json_pack("{s:{s:s,s:s,s:I,s:I,s:I}}", "stock", "sku", m->sku, "warehouse",
			       m->warehouse ? m->warehouse : "", "on_hand", (json_int_t)l->on_hand,
			       "reserved", (json_int_t)l->reserved, "available",
			       (json_int_t)inv_available(l));
	return 0;
}

static int movement(struct http_req *req, struct http_resp *resp, int adjust, struct err *err)
{
	struct inv_move m;
	struct inv_level after;
	json_t *body = NULL;
	int rc = http_body_object(req, &body, err);
	if (!rc)
		rc = move_read(body, &m, adjust ? -INV_QTY_MAX : 1, err);
	if (!rc && adjust)
		rc = inv_adjust(req->db, &req->user, &m, req->now_utc, &after, err);
	else if (!rc)
		rc = inv_receive(req->db, &req->user, &m, req->now_utc, &after, err);
	if (!rc)
		rc = move_answer(resp, &m, &after);
	json_decref(body);
	return rc;
}

int inv_h_receive(struct http_req *req, struct http_resp *resp, struct err *err)
{
	return movement(req, resp, 0, err);
}

int inv_h_adjust(struct http_req *req, struct http_resp *resp, struct err *err)
{
	return movement(req, resp, 1, err);
}

int inv_h_return(struct http_req *req, struct http_resp *resp, struct err *err)
{
	const char *sku, *note = NULL;
	int64_t order_id = 0, qty = 0;
	json_t *body = NULL;
	int rc = http_body_object(req, &body, err);
	if (!rc)
		rc = json_int_field(body, "order_id", 1, 1, INT64_MAX, &order_id, err);
	if (!rc)
		rc = json_str_field(body, "sku", 1, INV_CODE_MAX, &sku, err);
	if (!rc)
		rc = json_int_field(body, "qty", 1, 1, INV_QTY_MAX, &qty, err);
	if (!rc)
		rc = json_str_field(body, "reason", 0, 200, &note, err);
	if (!rc)
		rc = inv_order_return(req->db, &req->user, order_id, sku, qty, note, req->now_utc, err);
	json_decref(body);
	if (!rc)
		resp->json = json_pack("{s:b}", "ok", 1);
	return rc;
}

/* ---------------------------------------------------------------- stock and ledger */

static int stock_add(const struct inv_stock_row *r, void *arr)
{
	json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I}", "sku", r->sku, "title",
			      r->title, "attrs", r->attrs, "warehouse", r->warehouse, "location",
			      r->location, "on_hand", (json_int_t)r->on_hand, "reserved",
			      (json_int_t)r->reserved, "available", (json_int_t)r->available);
	json_object_set_new(j, "out_since", inv_http_time(r->out_since));
	return append(arr, j);
}

int inv_h_stock(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct inv_stock_filter f = { inv_http_q(req, "sku"), inv_http_q(req, "warehouse"),
				      inv_http_q(req, "q"), 0, 0, 1, 50 };
	json_t *items = json_array();
	int64_t total = 0;
	int rc = inv_http_page(req, &f.page, &f.page_size, err);
	f.has_avail_le = inv_http_q(req, "available_le") != NULL;
	if (!rc)
		rc = http_query_int(req, "available_le", -INV_QTY_MAX, INV_QTY_MAX, 0, &f.avail_le,
				    err);
	if (!rc && f.q && strlen(f.q) > 100)
		rc = err_set(err, ERR_INVALID, "q", "搜索词太长", "search text too long");
	if (!rc)
		rc = inv_stock_list(req->db, req->arena, &f, stock_add, items, &total, err);
	return rc ? fail_with(items, rc) : inv_http_list(resp, items, total, f.page, f.page_size);
}

static int ledger_add(const struct inv_ledger_row *r, void *arr)
{
	json_t *j = json_pack("{s:I,s:s,s:s,s:I,s:I,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)r->id,
			      "sku", r->sku, "warehouse", r->warehouse, "on_hand_delta",
			      (json_int_t)r->on_hand_delta, "reserved_delta",
			      (json_int_t)r->reserved_delta, "reason", r->reason, "ref_type",
			      r->ref_type, "ref_id", r->ref_id, "note", r->note, "user", r->username);
	json_object_set_new(j, "at", inv_http_time(r->at_utc));
	return append(arr, j);
}

int inv_h_ledger(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct inv_ledger_filter f = { inv_http_q(req, "sku"), inv_http_q(req, "warehouse"),
				       inv_http_q(req, "reason"), inv_http_q(req, "ref_type"),
				       inv_http_q(req, "ref_id"), 1, 50 };
	struct inv_level sum = { 0, 0 };
	json_t *items = json_array();
	int64_t total = 0;
	int rc = inv_http_page(req, &f.page, &f.page_size, err);
	if (!rc)
		rc = inv_ledger_list(req->db, req->arena, &f, ledger_add, items, &total, &sum, err);
	if (!rc)
		rc = inv_http_list(resp, items, total, f.page, f.page_size);
	else
		json_decref(items);
	if (!rc)
		json_object_set_new(resp->json, "sum",
				    json_pack("{s:I,s:I}", "on_hand", (json_int_t)sum.on_hand,
					      "reserved", (json_int_t)sum.reserved));
	return rc;
}

static int mismatch_add(const struct inv_mismatch *m, void *arr)
{
	return append(arr, json_pack("{s:s,s:s,s:{s:I,s:I},s:{s:I,s:I}}", "sku", m->sku,
				     "warehouse", m->warehouse, "stock", "on_hand",
				     (json_int_t)m->stock.on_hand, "reserved",
				     (json_int_t)m->stock.reserved, "ledger", "on_hand",
				     (json_int_t)m->ledger.on_hand, "reserved",
				     (json_int_t)m->ledger.reserved));
}

int inv_h_verify(struct http_req *req, struct http_resp *resp, struct err *err)
{
	json_t *items = json_array();
	int64_t checked = 0, bad = 0;
	int rc = inv_verify(req->db, mismatch_add, items, &checked, &bad, err);
	if (rc)
		return fail_with(items, rc);
	resp->json = json_pack("{s:b,s:I,s:I,s:o}", "ok", bad == 0, "checked", (json_int_t)checked,
			       "mismatches", (json_int_t)bad, "items", items);
	return 0;
}

/* ---------------------------------------------------------------- CSV */

/* One text cell: quoted when it holds , " CR or LF; formula-guarded. */
static void csv_text(struct sb *sb, const char *s)
{
	int guard = *s == '=' || *s == '+' || *s == '-' || *s == '@';
	int quote = guard || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		sb_addc(sb, '"');
	if (guard)
		sb_addc(sb, '\'');
	for (; *s; s++) {
		if (*s == '"')
			sb_addc(sb, '"');
		sb_addc(sb, *s);
	}
	if (quote)
		sb_addc(sb, '"');
}

struct csv_out {
	struct sb sb;
	int platform; /* the platform file: 商家编码,标题,可用库存 with available >= 0 */
};

static int csv_row(const struct inv_listing_row *r, void *p)
{
	struct csv_out *c = p;
	csv_text(&c->sb, r->sku);
	sb_addc(&c->sb, ',');
	csv_text(&c->sb, r->title);
	if (c->platform) {
		/* the platform takes no negative stock: oversold is 0 for sale */
		sb_addf(&c->sb, ",%lld\r\n", (long long)(r->available > 0 ? r->available : 0));
		return 0;
	}
	sb_addc(&c->sb, ',');
	csv_text(&c->sb, r->attrs);
	sb_addf(&c->sb, ",%lld,%lld,%lld,", (long long)r->on_hand, (long long)r->reserved,
		(long long)r->available);
	if (r->out_since) {
		char buf[CAL_BUF];
		sb_adds(&c->sb, cal_format(r->out_since, buf));
	}
	sb_adds(&c->sb, "\r\n");
	return 0;
}

static void csv_start(struct csv_out *c, struct http_req *req, int platform)
{
	sb_init_arena(&c->sb, req->arena, CSV_MAX);
	c->platform = platform;
	sb_adds(&c->sb, "\xEF\xBB\xBF");
	sb_adds(&c->sb, platform ? "商家编码,标题,可用库存\r\n"
				 : "商家编码,标题,属性,现有库存,已占用,可用库存,缺货起始\r\n");
}

static int csv_finish(struct csv_out *c, struct http_resp *resp, struct err *err)
{
	size_t len = c->sb.len;
	char *body = sb_take(&c->sb, err);
	if (!body)
		return err->code ? err->code : ERR_NOMEM;
	resp->raw = body;
	resp->raw_len = len;
	resp->content_type = "text/csv; charset=utf-8";
	return 0;
}

/* ---------------------------------------------------------------- lists */

static json_t *listing_json(const struct inv_listing_row *r)
{
	json_t *j = json_pack("{s:s,s:s,s:s,s:b,s:I,s:I,s:I}", "sku", r->sku, "title", r->title,
			      "attrs", r->attrs, "is_combo", r->is_combo, "on_hand",
			      (json_int_t)r->on_hand, "reserved", (json_int_t)r->reserved,
			      "available", (json_int_t)r->available);
	json_object_set_new(j, "out_since", inv_http_time(r->out_since));
	if (r->restocked_utc)
		json_object_set_new(j, "restocked_at", inv_http_time(r->restocked_utc));
	if (r->is_combo)
		json_object_set_new(j, "short_parts", json_string(r->short_parts));
	return j;
}

static int listing_add(const struct inv_listing_row *r, void *arr)
{
	return append(arr, listing_json(r));
}

/* inv_out_of_stock, inv_delist and inv_listing_each have this shape. */
#define LISTER(name)                                                                        \
	int (*name)(struct db * db, struct arena * a, const char *warehouse,                \
		    int (*fn)(const struct inv_listing_row *r, void *ctx), void *ctx,        \
		    struct err *err)

enum { FMT_JSON, FMT_CSV, FMT_XLSX };

/* format=json|csv|xlsx; def when absent. */
static int format_query(struct http_req *req, int def, int *fmt, struct err *err)
{
	const char *f = inv_http_q(req, "format");
	*fmt = def;
	if (!f)
		return 0;
	if (strcmp(f, "json") == 0 && def == FMT_JSON)
		*fmt = FMT_JSON;
	else if (strcmp(f, "csv") == 0)
		*fmt = FMT_CSV;
	else if (strcmp(f, "xlsx") == 0)
		*fmt = FMT_XLSX;
	else
		return err_set(err, ERR_INVALID, "format",
			       def == FMT_JSON ? "format 应为 json、csv 或 xlsx" : "format 应为 csv 或 xlsx",
			       def == FMT_JSON ? "format must be json, csv or xlsx"
					       : "format must be csv or xlsx");
	return 0;
}

/* ---------------------------------------------------------------- workbooks */

static const struct xlsx_col platform_cols[] = {
	{ "商家编码", 18 }, { "标题", 40 }, { "可用库存", 10 },
};
static const struct xlsx_col register_cols[] = {
	{ "商家编码", 18 }, { "标题", 40 }, { "属性", 24 },    { "现有库存", 10 },
	{ "已占用", 10 },   { "可用库存", 10 }, { "缺货起始", 20 },
};

struct xlsx_out {
	struct xlsx_writer *w;
	int platform;
};

static int xlsx_row(const struct inv_listing_row *r, void *p)
{
	struct xlsx_out *x = p;
	xlsx_cell_text(x->w, r->sku);
	xlsx_cell_text(x->w, r->title);
	if (x->platform) {
		/* as the CSV: the platform takes no negative stock */
		xlsx_cell_int(x->w, r->available > 0 ? r->available : 0);
	} else {
		xlsx_cell_text(x->w, r->attrs);
		xlsx_cell_int(x->w, r->on_hand);
		xlsx_cell_int(x->w, r->reserved);
		xlsx_cell_int(x->w, r->available);
		xlsx_cell_time(x->w, r->out_since);
	}
	xlsx_row_end(x->w);
	return 0;
}

static int xlsx_answer(struct http_req *req, struct http_resp *resp, const char *warehouse,
		       LISTER(lister), int platform, const char *name, const char *ascii,
		       struct err *err)
{
	struct xlsx_out x = { NULL, platform };
	const void *data;
	size_t len;
	int rc = platform ? xlsx_writer_new("库存", platform_cols, ARRAY_SIZE(platform_cols), &x.w, err)
			  : xlsx_writer_new("库存", register_cols, ARRAY_SIZE(register_cols), &x.w, err);
	if (rc)
		return rc;
	rc = lister(req->db, req->arena, warehouse, xlsx_row, &x, err);
	if (rc) {
		xlsx_writer_free(x.w);
		return rc;
	}
	rc = xlsx_writer_finish(x.w, req->arena, &data, &len, err);
	if (rc)
		return rc;
	resp->raw = data;
	resp->raw_len = len;
	resp->content_type = XLSX_CONTENT_TYPE;
	resp->content_disposition = xlsx_disposition(req->arena, name, ascii);
	return resp->content_disposition ? 0 : ERR_NOMEM;
}

/* JSON {"warehouse","items","total"} or, with format=csv / xlsx, the file
 * (the export is a file always: CSV unless format=xlsx). */
static int list_answer(struct http_req *req, struct http_resp *resp, LISTER(lister),
		       int platform, int force_csv, const char *name, const char *ascii,
		       struct err *err)
{
	struct inv_warehouse w;
	const char *wh = inv_http_q(req, "warehouse");
	int fmt;
	int rc = format_query(req, force_csv ? FMT_CSV : FMT_JSON, &fmt, err);
	if (!rc)
		rc = inv_warehouse_get(req->db, req->arena, wh, &w, err);
	if (rc)
		return rc;
	if (fmt == FMT_XLSX)
		return xlsx_answer(req, resp, w.code, lister, platform, name, ascii, err);
	if (fmt == FMT_CSV) {
		struct csv_out c;
		csv_start(&c, req, platform);
		rc = lister(req->db, req->arena, w.code, csv_row, &c, err);
		return rc ? rc : csv_finish(&c, resp, err);
	}
	json_t *items = json_array();
	rc = lister(req->db, req->arena, w.code, listing_add, items, err);
	if (rc)
		return fail_with(items, rc);
	resp->json = json_pack("{s:s,s:I,s:o}", "warehouse", w.code, "total",
			       (json_int_t)json_array_size(items), "items", items);
	return 0;
}

int inv_h_out_of_stock(struct http_req *req, struct http_resp *resp, struct err *err)
{
	return list_answer(req, resp, inv_out_of_stock, 0, 0, "缺货登记.xlsx", "out-of-stock.xlsx", err);
}

int inv_h_delist(struct http_req *req, struct http_resp *resp, struct err *err)
{
	return list_answer(req, resp, inv_delist, 1, 0, "下架清单.xlsx", "delist.xlsx", err);
}

int inv_h_export(struct http_req *req, struct http_resp *resp, struct err *err)
{
	return list_answer(req, resp, inv_listing_each, 1, 1, "库存同步.xlsx", "stock.xlsx", err);
}

int inv_h_restocked(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct inv_warehouse w;
	json_t *items;
	int64_t since;
	int rc = time_query(req, "since", req->now_utc - 7 * 86400, &since, err);
	if (!rc)
		rc = inv_warehouse_get(req->db, req->arena, inv_http_q(req, "warehouse"), &w, err);
	if (rc)
		return rc;
	items = json_array();
	rc = inv_restocked(req->db, req->arena, w.code, since, listing_add, items, err);
	if (rc)
		return fail_with(items, rc);
	resp->json = json_pack("{s:s,s:o,s:o}", "warehouse", w.code, "since", inv_http_time(since),
			       "items", items);
	return 0;
}

/* ---------------------------------------------------------------- stocktakes */

static json_t *sum_json(const struct inv_stocktake_sum *s)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "lines", (json_int_t)s->lines,
			 "counted", (json_int_t)s->counted, "uncounted", (json_int_t)s->uncounted,
			 "over_lines", (json_int_t)s->over_lines, "short_lines",
			 (json_int_t)s->short_lines, "over_qty", (json_int_t)s->over_qty,
			 "short_qty", (json_int_t)s->short_qty, "net", (json_int_t)s->net);
}

static json_t *stocktake_json(const struct inv_stocktake *s)
{
	json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:I}", "id", (json_int_t)s->id,
			      "warehouse", s->warehouse, "status", s->status, "locations",
			      s->locations, "note", s->note, "created_by", s->created_by,
			      "approved_by", s->approved_by, "version", (json_int_t)s->version);
	json_object_set_new(j, "created_at", inv_http_time(s->created_utc));
	json_object_set_new(j, "approved_at", inv_http_time(s->approved_utc));
	json_object_set_new(j, "summary", sum_json(&s->sum));
	return j;
}

static int sheet_add(const struct inv_stocktake *s, void *arr)
{
	return append(arr, stocktake_json(s));
}

static int line_add(const struct inv_stocktake_line *l, void *arr)
{
	json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:I,s:I}", "sku", l->sku, "title", l->title,
			      "attrs", l->attrs, "location", l->location, "pick_order",
			      (json_int_t)l->pick_order, "expected", (json_int_t)l->count.expected);
	json_object_set_new(j, "counted", l->count.has_count ? json_integer(l->count.counted)
							      : json_null());
	json_object_set_new(j, "variance", l->count.has_count ? json_integer(l->variance)
							       : json_null());
	return append(arr, j);
}

static int stocktake_answer(struct http_req *req, struct http_resp *resp, int64_t id,
			    struct err *err)
{
	struct inv_stocktake s;
	json_t *lines = json_array();
	int rc = inv_stocktake_get(req->db, req->arena, id, &s, err);
	if (!rc)
		rc = inv_stocktake_lines_each(req->db, req->arena, id, line_add, lines, err);
	if (rc)
		return fail_with(lines, rc);
	json_t *j = stocktake_json(&s);
	json_object_set_new(j, "lines", lines);
	resp->json = json_pack("{s:o}", "stocktake", j);
	return 0;
}

int inv_h_stocktakes(struct http_req *req, struct http_resp *resp, struct err *err)
{
	const char *status = inv_http_q(req, "status");
	json_t *items = json_array();
	int rc = 0;
	if (status && strcmp(status, "open") && strcmp(status, "approved") &&
	    strcmp(status, "cancelled"))
		rc = err_set(err, ERR_INVALID, "status", "status 应为 open approved cancelled 之一",
			     "status must be open, approved or cancelled");
	if (!rc)
		rc = inv_stocktake_list(req->db, req->arena, status, sheet_add, items, err);
	if (rc)
		return fail_with(items, rc);
	resp->json = json_pack("{s:o}", "items", items);
	return 0;
}

static int strings_read(struct http_req *req, json_t *arr, const char *field, size_t max,
			const char ***out, size_t *n, struct err *err)
{
	json_t *v;
	size_t i;
	*n = 0;
	*out = NULL;
	if (!arr)
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) > max)
		return err_setf(err, ERR_UNPROCESSABLE, field, "%s 应为文本数组(最多 %zu 项)",
				"%s must be an array of strings (at most %zu)", field, max, field,
				max);
	*n = json_array_size(arr);
	*out = arena_calloc(req->arena, (*n + 1) * sizeof **out);
	if (!*out)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v))
			return err_setf(err, ERR_UNPROCESSABLE, field, "%s 的每一项应为文本",
					"each item of %s must be a string", field, field);
		(*out)[i] = json_string_value(v);
	}
	return 0;
}

int inv_h_stocktake_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
	const char *wh = NULL, *note = NULL, **locs = NULL;
	json_t *body = NULL;
	size_t n = 0;
	int64_t id;
	int rc = req->body_len ? http_body_object(req, &body, err) : 0;
	if (!rc && body)
		rc = json_str_field(body, "warehouse", 0, INV_WH_CODE_MAX, &wh, err);
	if (!rc && body)
		rc = json_str_field(body, "note", 0, 200, &note, err);
	if (!rc && body)
		rc = strings_read(req, json_object_get(body, "locations"), "locations", 200, &locs,
				  &n, err);
	if (!rc)
		rc = inv_stocktake_create(req->db, &req->user, wh, locs, n, note, req->now_utc, &id,
					  err);
	json_decref(body);
	if (!rc)
		rc = stocktake_answer(req, resp, id, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

int inv_h_stocktake_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
	int64_t id;
	int rc = parse_id(http_param(req, "id"), &id, err);
	return rc ? rc : stocktake_answer(req, resp, id, err);
}

/* The body is [{"sku","counted"}] or {"counts":[...]}. */
static int counts_read(struct http_req *req, json_t **body, struct inv_count_in **out,
		       size_t *n, struct err *err)
{
	json_error_t je;
	json_t *arr, *v;
	size_t i;
	*body = req->body_len ? json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &je)
			      : NULL;
	if (!*body)
		return err_set(err, ERR_INVALID, "", "请求体应为 JSON 数组 [{\"sku\",\"counted\"}]",
			       "the body must be a JSON array [{\"sku\",\"counted\"}]");
	arr = json_is_object(*body) ? json_object_get(*body, "counts") : *body;
	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > COUNTS_BODY_MAX)
		return err_setf(err, ERR_UNPROCESSABLE, "counts", "counts 应为 1–%d 项的数组",
				"counts must be an array of 1-%d items", COUNTS_BODY_MAX,
				COUNTS_BODY_MAX);
	*n = json_array_size(arr);
	*out = arena_calloc(req->arena, (*n + 1) * sizeof **out);
	if (!*out)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	json_array_foreach(arr, i, v) {
		int rc = json_is_object(v) ? 0 : err_set(err, ERR_UNPROCESSABLE, "counts",
							 "counts 的每一项应为 {\"sku\",\"counted\"}",
							 "each count must be {\"sku\",\"counted\"}");
		if (!rc)
			rc = json_str_field(v, "sku", 1, INV_CODE_MAX, &(*out)[i].sku, err);
		if (!rc)
			rc = json_int_field(v, "counted", 1, 0, INV_QTY_MAX, &(*out)[i].counted, err);
		if (rc)
			return rc;
	}
	return 0;
}

int inv_h_stocktake_counts(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct inv_count_in *counts = NULL;
	json_t *body = NULL;
	size_t n = 0;
	int64_t id;
	int rc = parse_id(http_param(req, "id"), &id, err);
	if (!rc)
		rc = counts_read(req, &body, &counts, &n, err);
	if (!rc)
		rc = inv_stocktake_count(req->db, &req->user, id, counts, n, req->now_utc, err);
	json_decref(body);
	return rc ? rc : stocktake_answer(req, resp, id, err);
}

int inv_h_stocktake_approve(struct http_req *req, struct http_resp *resp, struct err *err)
{
	int64_t id;
	int rc = parse_id(http_param(req, "id"), &id, err);
	if (!rc)
		rc = inv_stocktake_approve(req->db, &req->user, id, req->now_utc, err);
	return rc ? rc : stocktake_answer(req, resp, id, err);
}

int inv_h_stocktake_cancel(struct http_req *req, struct http_resp *resp, struct err *err)
{
	int64_t id;
	int rc = parse_id(http_param(req, "id"), &id, err);
	if (!rc)
		rc = inv_stocktake_cancel(req->db, &req->user, id, req->now_utc, err);
	return rc ? rc : stocktake_answer(req, resp, id, err);
}

/* ---------------------------------------------------------------- sell-through */

struct report_ctx {
	json_t *items, *slow;
	int64_t to;
};

static int report_add(const struct inv_report_row *r, void *p)
{
	struct report_ctx *c = p;
	int rc = 0;
	if (r->slow) {
		json_t *j = json_pack("{s:s,s:s,s:s,s:I}", "sku", r->sku, "title", r->title, "attrs",
				      r->attrs, "on_hand", (json_int_t)r->p.on_hand_end);
		json_object_set_new(j, "last_sale_at", inv_http_time(r->p.last_sale_utc));
		json_object_set_new(j, "days_since_sale", r->days_since_sale >= 0
								 ? json_integer(r->days_since_sale)
								 : json_null());
		json_object_set_new(j, "first_stock_at", inv_http_time(r->p.first_stock_utc));
		rc = append(c->slow, j);
	}
	if (!rc && r->stocked)
		rc = append(c->items, json_pack("{s:s,s:s,s:I,s:I,s:I,s:b,s:b}", "sku", r->sku,
						"title", r->title, "sold_qty", (json_int_t)r->p.sold_qty,
						"on_hand_start", (json_int_t)r->p.on_hand_start,
						"on_hand_end", (json_int_t)r->p.on_hand_end, "sold",
						r->sold, "slow", r->slow));
	return rc;
}

static int period_query(struct http_req *req, int64_t *from, int64_t *to, int64_t *days,
			struct err *err)
{
	int rc = time_query(req, "to", req->now_utc, to, err);
	if (!rc)
		rc = time_query(req, "from", *to - 30 * 86400, from, err);
	if (!rc && *from >= *to)
		rc = err_set(err, ERR_INVALID, "from", "from 应早于 to", "from must be before to");
	if (!rc)
		rc = http_query_int(req, "slow_days", 1, INV_SLOW_DAYS_MAX, INV_SLOW_DAYS_DEFAULT,
				    days, err);
	return rc;
}

int inv_h_sell_through(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct report_ctx c = { json_array(), json_array(), 0 };
	struct inv_report r;
	int64_t from, to, days;
	int rc = period_query(req, &from, &to, &days, err);
	c.to = to;
	if (!rc)
		rc = inv_sell_through(req->db, req->arena, req->user.id, from, to, (int)days, &r,
				      report_add, &c, err);
	if (rc) {
		json_decref(c.items);
		return fail_with(c.slow, rc);
	}
	resp->json = json_pack("{s:o,s:o,s:I,s:I,s:I,s:I,s:f,s:I,s:I,s:o,s:o}", "from",
			       inv_http_time(from), "to", inv_http_time(to), "slow_days",
			       (json_int_t)days, "skus", (json_int_t)r.skus, "stocked_skus",
			       (json_int_t)r.stocked, "sold_skus", (json_int_t)r.sold,
			       "sell_through", (double)r.sell_through_ppm / 1e6, "sell_through_ppm",
			       (json_int_t)r.sell_through_ppm, "slow_skus", (json_int_t)r.slow,
			       "slow", c.slow, "items", c.items);
	return 0;
}
