/*
 * inventory_http.c - the inventory API (INV-1 .. INV-6): the route table, and
 * the catalogue: products, SKUs (combos, shelves), warehouses and locations.
 * Stock, lists, stocktakes and the report are in inventory_stock_http.c.
 *
 *   GET/POST   /api/v1/products                GET/PATCH /api/v1/products/{code}
 *   GET/POST   /api/v1/skus?q=&product=&combo=&page=&page_size=
 *   GET/PATCH  /api/v1/skus/{code}             (PATCH needs version; stale -> 409)
 *   PUT        /api/v1/skus/{code}/parts       {"version","parts":[{"sku","qty"}]}
 *   PUT        /api/v1/skus/{code}/locations   {"warehouse"?,"locations":["A-01-01"]}
 *   GET/POST   /api/v1/warehouses              GET /api/v1/warehouses/{code}
 *   POST       /api/v1/warehouses/{code}/locations {"code","pick_order"}
 *   POST       /api/v1/stock/receive | adjust | return
 *   GET        /api/v1/stock?sku=&warehouse=&q=&available_le=&page=&page_size=
 *   GET        /api/v1/stock/ledger?sku=&warehouse=&reason=&ref_type=&ref_id=
 *   GET        /api/v1/stock/verify            stock == SUM(ledger), row by row
 *   GET        /api/v1/stock/out-of-stock | delist [?format=csv] | restocked?since=
 *   GET        /api/v1/stock/export            platform stock file (CSV)
 *   GET/POST   /api/v1/stocktakes              GET /api/v1/stocktakes/{id}
 *   PUT        /api/v1/stocktakes/{id}/counts  POST /api/v1/stocktakes/{id}/approve|cancel
 *   GET        /api/v1/reports/sell-through?from=&to=&slow_days=
 */
#include "inventory/inventory_db.h"

#include <stdlib.h>
#include <string.h>

#include "inventory/inventory_http_int.h"
#include "lib/arena.h"
#include "lib/cal.h"
#include "lib/money.h"
#include "lib/common.h"

#define PARTS_BODY_MAX 100
#define LOCATIONS_BODY_MAX 50

/* ---------------------------------------------------------------- shared helpers */

json_t *inv_http_time(int64_t utc)
{
	char buf[CAL_BUF];
	return utc ? json_string(cal_format_iso(utc, buf)) : json_null();
}

const char *inv_http_q(struct http_req *req, const char *name)
{
	const char *s = http_query(req, name);
	return s && *s ? s : NULL;
}

int inv_http_page(struct http_req *req, int64_t *page, int64_t *page_size, struct err *err)
{
	int rc = http_query_int(req, "page", 1, 1000000, 1, page, err);
	if (!rc)
		rc = http_query_int(req, "page_size", 1, 500, 50, page_size, err);
	return rc;
}

int inv_http_list(struct http_resp *resp, json_t *items, int64_t total, int64_t page,
		  int64_t page_size)
{
	resp->json = json_pack("{s:o,s:I,s:I,s:I}", "items", items, "total", (json_int_t)total,
			       "page", (json_int_t)page, "page_size", (json_int_t)page_size);
	return resp->json ? 0 : ERR_NOMEM;
}

static int append(json_t *arr, json_t *v)
{
	return json_array_append_new(arr, v) ? ERR_NOMEM : 0;
}

static int fail_with(json_t *j, int rc)
{
	json_decref(j);
	return rc;
}

/* ---------------------------------------------------------------- products */

static json_t *product_json(const struct inv_product *p)
{
	json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:I,s:I,s:I}", "code", p->code, "title", p->title,
			      "material", p->material, "style", p->style, "price_fen",
			      (json_int_t)p->price_fen, "skus", (json_int_t)p->skus, "version",
			      (json_int_t)p->version);
	json_object_set_new(j, "created_at", inv_http_time(p->created_utc));
	json_object_set_new(j, "updated_at", inv_http_time(p->updated_utc));
	return j;
}

static int product_add(const struct inv_product *p, void *arr)
{
	return append(arr, product_json(p));
}

static int products_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
	int64_t page, size, total = 0;
	json_t *items = json_array();
	int rc = inv_http_page(req, &page, &size, err);
	if (!rc)
		rc = inv_product_list(req->db, req->arena, page, size, product_add, items, &total, err);
	return rc ? fail_with(items, rc) : inv_http_list(resp, items, total, page, size);
}

static int product_fields(json_t *body, struct inv_product_fields *f, int create,
			  struct err *err)
{
	int rc = 0;
	memset(f, 0, sizeof *f);
	f->price_fen = -1;
	if (create)
		rc = json_str_field(body, "code", 1, INV_CODE_MAX, &f->code, err);
	else
		rc = json_int_field(body, "version", 1, 1, INT64_MAX, &f->expect_version, err);
	if (!rc)
		rc = json_str_field(body, "title", create, INV_TITLE_MAX, &f->title, err);
	if (!rc)
		rc = json_str_field(body, "material", 0, 100, &f->material, err);
	if (!rc)
		rc = json_str_field(body, "style", 0, 100, &f->style, err);
	if (!rc)
		rc = json_int_field(body, "price_fen", 0, 0, MONEY_MAX_FEN, &f->price_fen, err);
	return rc;
}

/* The product with its SKUs. */
static int product_answer(struct http_req *req, struct http_resp *resp, const char *code,
			  struct err *err);

static int products_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct inv_product_fields f;
	json_t *body = NULL;
	int64_t id;
	int rc = http_body_object(req, &body, err);
	if (!rc)
		rc = product_fields(body, &f, 1, err);
	if (!rc)
		rc = inv_product_create(req->db, &req->user, &f, req->now_utc, &id, err);
	if (!rc)
		rc = product_answer(req, resp, f.code, err);
	json_decref(body);
	if (!rc)
		resp->status = 201;
	return rc;
}

static int products_patch(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct inv_product_fields f;
	json_t *body = NULL;
	int rc = http_body_object(req, &body, err);
	if (!rc)
		rc = product_fields(body, &f, 0, err);
	if (!rc)
		rc = inv_product_update(req->db, &req->user, http_param(req, "code"), &f,
					req->now_utc, err);
	json_decref(body);
	return rc ? rc : product_answer(req, resp, http_param(req, "code"), err);
}

static int products_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
	return product_answer(req, resp, http_param(req, "code"), err);
}

/* ---------------------------------------------------------------- SKUs */

static json_t *sku_json(const struct inv_sku *s)
{
	json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:I,s:b,s:b,s:I}", "code", s->code,
			      "product_code", s->product_code, "title", s->title, "attrs", s->attrs,
			      "price_fen", (json_int_t)s->price_fen, "is_combo", s->is_combo,
			      "active", s->active, "version", (json_int_t)s->version);
	json_object_set_new(j, "created_at", inv_http_time(s->created_utc));
	json_object_set_new(j, "updated_at", inv_http_time(s->updated_utc));
	return j;
}

static int sku_add(const struct inv_sku *s, void *arr)
{
	return append(arr, sku_json(s));
}

static int product_answer(struct http_req *req, struct http_resp *resp, const char *code,
			  struct err *err)
{
	struct inv_product p;
	struct inv_sku_filter f = { NULL, code, -1, 1, 500 };
	json_t *skus = json_array();
	int64_t total;
	int rc = inv_product_get(req->db, req->arena, code, &p, err);
	if (!rc)
		rc = inv_sku_list(req->db, req->arena, &f, sku_add, skus, &total, err);
	if (rc)
		return fail_with(skus, rc);
	json_t *j = product_json(&p);
	json_object_set_new(j, "sku_list", skus);
	resp->json = json_pack("{s:o}", "product", j);
	return 0;
}

static int skus_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct inv_sku_filter f = { inv_http_q(req, "q"), inv_http_q(req, "product"), -1, 1, 50 };
	json_t *items = json_array();
	int64_t combo, total = 0;
	int rc = inv_http_page(req, &f.page, &f.page_size, err);
	if (!rc)
		rc = http_query_int(req, "combo", 0, 1, -1, &combo, err);
	f.combo = (int)combo;
	if (!rc && f.q && strlen(f.q) > 100)
		rc = err_set(err, ERR_INVALID, "q", "搜索词太长", "search text too long");
	if (!rc)
		rc = inv_sku_list(req->db, req->arena, &f, sku_add, items, &total, err);
	return rc ? fail_with(items, rc) : inv_http_list(resp, items, total, f.page, f.page_size);
}

static int part_add(const struct inv_part_row *p, void *arr)
{
	return append(arr, json_pack("{s:s,s:s,s:I,s:I}", "sku", p->code, "title", p->title, "qty",
				     (json_int_t)p->qty, "available", (json_int_t)p->available));
}

static int loc_add(const struct inv_sku_loc *l, void *arr)
{
	return append(arr, json_pack("{s:s,s:s,s:I}", "warehouse", l->warehouse, "location",
				     l->location, "pick_order", (json_int_t)l->pick_order));
}

static int level_add(const struct inv_stock_level *l, void *arr)
{
	return append(arr, json_pack("{s:s,s:I,s:I,s:I}", "warehouse", l->warehouse, "on_hand",
				     (json_int_t)l->on_hand, "reserved", (json_int_t)l->reserved,
				     "available", (json_int_t)l->available));
}

/* The SKU with its recipe, shelves and stock per warehouse. */
static int sku_answer(struct http_req *req, struct http_resp *resp, const char *code,
		      struct err *err)
{
	struct inv_sku s;
	json_t *parts = json_array(), *locs = json_array(), *stock = json_array();
	int rc = inv_sku_get(req->db, req->arena, code, &s, err);
	if (!rc)
		rc = inv_sku_parts_each(req->db, s.id, "", part_add, parts, err);
	if (!rc)
		rc = inv_sku_locations_each(req->db, s.id, loc_add, locs, err);
	if (!rc)
		rc = inv_sku_stock_each(req->db, &s, level_add, stock, err);
	if (rc) {
		json_decref(parts);
		json_decref(locs);
		return fail_with(stock, rc);
	}
	json_t *j = sku_json(&s);
	json_object_set_new(j, "parts", parts);
	json_object_set_new(j, "locations", locs);
	json_object_set_new(j, "stock", stock);
	resp->json = json_pack("{s:o}", "sku", j);
	return 0;
}

static int sku_fields(json_t *body, struct inv_sku_fields *f, int create, struct err *err)
{
	int rc;
	memset(f, 0, sizeof *f);
	f->price_fen = -1;
	f->active = -1;
	if (create)
		rc = json_str_field(body, "code", 1, INV_CODE_MAX, &f->code, err);
	else
		rc = json_int_field(body, "version", 1, 1, INT64_MAX, &f->expect_version, err);
	if (!rc)
		rc = json_str_field(body, "title", create, INV_TITLE_MAX, &f->title, err);
	if (!rc)
		rc = json_str_field(body, "product_code", 0, INV_CODE_MAX, &f->product_code, err);
	if (!rc)
		rc = json_str_field(body, "attrs", 0, INV_TITLE_MAX, &f->attrs, err);
	if (!rc)
		rc = json_int_field(body, "price_fen", 0, 0, MONEY_MAX_FEN, &f->price_fen, err);
	if (!rc)
		rc = json_bool_field(body, "active", 0, &f->active, err);
	return rc;
}

static int skus_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct inv_sku_fields f;
	json_t *body = NULL;
	int64_t id;
	int rc = http_body_object(req, &body, err);
	if (!rc)
		rc = sku_fields(body, &f, 1, err);
	if (!rc)
		rc = inv_sku_create(req->db, &req->user, &f, req->now_utc, &id, err);
	if (!rc)
		rc = sku_answer(req, resp, f.code, err);
	json_decref(body);
	if (!rc)
		resp->status = 201;
	return rc;
}

static int skus_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
	return sku_answer(req, resp, http_param(req, "code"), err);
}

static int skus_patch(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct inv_sku_fields f;
	json_t *body = NULL;
	int rc = http_body_object(req, &body, err);
	if (!rc)
		rc = sku_fields(body, &f, 0, err);
	if (!rc)
		rc = inv_sku_update(req->db, &req->user, http_param(req, "code"), &f, req->now_utc,
				    err);
	json_decref(body);
	return rc ? rc : sku_answer(req, resp, http_param(req, "code"), err);
}

static int parts_read(struct http_req *req, json_t *body, struct inv_part_in **out, size_t *n,
		      struct err *err)
{
	json_t *arr = json_object_get(body, "parts"), *v;
	size_t i;
	if (!json_is_array(arr) || json_array_size(arr) > PARTS_BODY_MAX)
		return err_set(err, ERR_UNPROCESSABLE, "parts", "parts 应为 [{\"sku\",\"qty\"}] 数组",
			       "parts must be an array of {\"sku\",\"qty\"}");
	*n = json_array_size(arr);
	*out = arena_calloc(req->arena, (*n + 1) * sizeof **out);
	if (!*out)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	json_array_foreach(arr, i, v) {
		int rc = json_is_object(v) ? 0 : err_set(err, ERR_UNPROCESSABLE, "parts",
							 "parts 的每一项应为对象",
							 "each part must be an object");
		if (!rc)
			rc = json_str_field(v, "sku", 1, INV_CODE_MAX, &(*out)[i].code, err);
		if (!rc)
			rc = json_int_field(v, "qty", 1, 1, INV_PART_QTY_MAX, &(*out)[i].qty, err);
		if (rc)
			return rc;
	}
	return 0;
}

static int skus_parts(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct inv_part_in *parts = NULL;
	json_t *body = NULL;
	int64_t version = 0;
	size_t n = 0;
	int rc = http_body_object(req, &body, err);
	if (!rc)
		rc = json_int_field(body, "version", 1, 1, INT64_MAX, &version, err);
	if (!rc)
		rc = parts_read(req, body, &parts, &n, err);
	if (!rc)
		rc = inv_sku_parts_set(req->db, &req->user, http_param(req, "code"), version, parts, n,
				       req->now_utc, err);
	json_decref(body);
	return rc ? rc : sku_answer(req, resp, http_param(req, "code"), err);
}

static int locations_read(struct http_req *req, json_t *body, const char ***out, size_t *n,
			  struct err *err)
{
	json_t *arr = json_object_get(body, "locations"), *v;
	size_t i;
	if (!json_is_array(arr) || json_array_size(arr) > LOCATIONS_BODY_MAX)
		return err_set(err, ERR_UNPROCESSABLE, "locations", "locations 应为库位代码数组",
			       "locations must be an array of location codes");
	*n = json_array_size(arr);
	*out = arena_calloc(req->arena, (*n + 1) * sizeof **out);
	if (!*out)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	json_array_foreach(arr, i, v) {
		if (!json_is_string(v))
			return err_set(err, ERR_UNPROCESSABLE, "locations", "库位代码应为文本",
				       "each location must be a string");
		(*out)[i] = json_string_value(v);
		int rc = inv_place_code_check((*out)[i], "locations", err);
		if (rc)
			return rc;
	}
	return 0;
}

static int skus_locations(struct http_req *req, struct http_resp *resp, struct err *err)
{
	const char **locs = NULL, *wh = NULL;
	json_t *body = NULL;
	size_t n = 0;
	int rc = http_body_object(req, &body, err);
	if (!rc)
		rc = json_str_field(body, "warehouse", 0, INV_WH_CODE_MAX, &wh, err);
	if (!rc)
		rc = locations_read(req, body, &locs, &n, err);
	if (!rc)
		rc = inv_sku_locations_set(req->db, &req->user, http_param(req, "code"), wh, locs, n,
					   req->now_utc, err);
	json_decref(body);
	return rc ? rc : sku_answer(req, resp, http_param(req, "code"), err);
}

/* ---------------------------------------------------------------- warehouses */

static json_t *wh_json(const struct inv_warehouse *w)
{
	json_t *j = json_pack("{s:s,s:s,s:b,s:I}", "code", w->code, "name", w->name, "is_default",
			      w->is_default, "locations_count", (json_int_t)w->locations);
	json_object_set_new(j, "created_at", inv_http_time(w->created_utc));
	return j;
}

static int wh_add(const struct inv_warehouse *w, void *arr)
{
	return append(arr, wh_json(w));
}

static int location_add(const struct inv_location *l, void *arr)
{
	return append(arr, json_pack("{s:s,s:I,s:I}", "code", l->code, "pick_order",
				     (json_int_t)l->pick_order, "skus", (json_int_t)l->skus));
}

static int wh_answer(struct http_req *req, struct http_resp *resp, const char *code,
		     struct err *err)
{
	struct inv_warehouse w;
	json_t *locs = json_array();
	int rc = inv_warehouse_get(req->db, req->arena, code, &w, err);
	if (!rc)
		rc = inv_location_each(req->db, w.id, location_add, locs, err);
	if (rc)
		return fail_with(locs, rc);
	json_t *j = wh_json(&w);
	json_object_set_new(j, "locations", locs);
	resp->json = json_pack("{s:o}", "warehouse", j);
	return 0;
}

static int warehouses_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
	json_t *items = json_array();
	int rc = inv_warehouse_each(req->db, req->arena, wh_add, items, err);
	if (rc)
		return fail_with(items, rc);
	resp->json = json_pack("{s:o}", "items", items);
	return 0;
}

static int warehouses_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
	const char *code, *name;
	json_t *body = NULL;
	int64_t id;
	int rc = http_body_object(req, &body, err);
	if (!rc)
		rc = json_str_field(body, "code", 1, INV_WH_CODE_MAX, &code, err);
	if (!rc)
		rc = json_str_field(body, "name", 1, 50, &name, err);
	if (!rc)
		rc = inv_warehouse_create(req->db, &req->user, code, name, req->now_utc, &id, err);
	if (!rc)
		rc = wh_answer(req, resp, code, err);
	json_decref(body);
	if (!rc)
		resp->status = 201;
	return rc;
}

static int warehouses_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
	return wh_answer(req, resp, http_param(req, "code"), err);
}

static int locations_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
	const char *code;
	json_t *body = NULL;
	int64_t pick = 0, id;
	int rc = http_body_object(req, &body, err);
	if (!rc)
		rc = json_str_field(body, "code", 1, INV_WH_CODE_MAX, &code, err);
	if (!rc)
		rc = json_int_field(body, "pick_order", 0, 0, 1000000, &pick, err);
	if (!rc)
		rc = inv_location_create(req->db, &req->user, http_param(req, "code"), code, pick,
					 req->now_utc, &id, err);
	if (!rc)
		resp->json = json_pack("{s:{s:s,s:I}}", "location", "code", code, "pick_order",
				       (json_int_t)pick);
	json_decref(body);
	if (!rc)
		resp->status = 201;
	return rc;
}

/* ---------------------------------------------------------------- routes */

/* Literal paths before {param} ones of the same shape (the router takes the first match). */
const struct http_route inventory_routes[] = {
	{ "GET", "/api/v1/products", products_list, INV_READERS },
	{ "POST", "/api/v1/products", products_create, INV_CATALOG },
	{ "GET", "/api/v1/products/{code}", products_get, INV_READERS },
	{ "PATCH", "/api/v1/products/{code}", products_patch, INV_CATALOG },
	{ "GET", "/api/v1/skus", skus_list, INV_READERS },
	{ "POST", "/api/v1/skus", skus_create, INV_CATALOG },
	{ "GET", "/api/v1/skus/{code}", skus_get, INV_READERS },
	{ "PATCH", "/api/v1/skus/{code}", skus_patch, INV_CATALOG },
	{ "PUT", "/api/v1/skus/{code}/parts", skus_parts, INV_CATALOG },
	{ "PUT", "/api/v1/skus/{code}/locations", skus_locations, INV_STOCK },
	{ "GET", "/api/v1/warehouses", warehouses_list, INV_READERS },
	{ "POST", "/api/v1/warehouses", warehouses_create, INV_STOCK },
	{ "GET", "/api/v1/warehouses/{code}", warehouses_get, INV_READERS },
	{ "POST", "/api/v1/warehouses/{code}/locations", locations_create, INV_STOCK },
	{ "GET", "/api/v1/stock", inv_h_stock, INV_READERS },
	{ "POST", "/api/v1/stock/receive", inv_h_receive, INV_STOCK },
	{ "POST", "/api/v1/stock/adjust", inv_h_adjust, INV_STOCK },
	{ "POST", "/api/v1/stock/return", inv_h_return, INV_STOCK },
	{ "GET", "/api/v1/stock/ledger", inv_h_ledger, INV_READERS },
	{ "GET", "/api/v1/stock/verify", inv_h_verify, INV_COUNTERS },
	{ "GET", "/api/v1/stock/out-of-stock", inv_h_out_of_stock, INV_READERS },
	{ "GET", "/api/v1/stock/delist", inv_h_delist, INV_READERS },
	{ "GET", "/api/v1/stock/restocked", inv_h_restocked, INV_READERS },
	{ "GET", "/api/v1/stock/export", inv_h_export, INV_READERS },
	{ "GET", "/api/v1/stocktakes", inv_h_stocktakes, INV_READERS },
	{ "POST", "/api/v1/stocktakes", inv_h_stocktake_create, INV_COUNTERS },
	{ "GET", "/api/v1/stocktakes/{id}", inv_h_stocktake_get, INV_READERS },
	{ "PUT", "/api/v1/stocktakes/{id}/counts", inv_h_stocktake_counts, INV_COUNTERS },
	{ "POST", "/api/v1/stocktakes/{id}/approve", inv_h_stocktake_approve, INV_APPROVERS },
	{ "POST", "/api/v1/stocktakes/{id}/cancel", inv_h_stocktake_cancel, INV_COUNTERS },
	{ "GET", "/api/v1/reports/sell-through", inv_h_sell_through, INV_READERS },
	{ NULL, NULL, NULL, 0 },
};
