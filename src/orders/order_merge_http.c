/*
 * order_merge_http.c - the ORD-10 API: merged shipments and split parcels.
 *
 *   GET  /api/v1/orders/merge-candidates?store=CODE
 *        -> {"groups":[{"buyer_nick","receiver_name","orders":[{id,order_no,stage,version,
 *            item_qty,paid_fen,item_title}]}]}
 *   POST /api/v1/orders/merge          {"ids":[...],"versions"?:[...]}
 *        -> {"merge_group":G,"orders":[...]}
 *   POST /api/v1/orders/{id}/unmerge   {"version"?} -> {"orders":[...]} (the former members)
 *   POST /api/v1/orders/{id}/split     {"version"?,"parcels":[[{"line_no","qty"}],...]}
 *        -> 201 the parcels answer
 *   POST /api/v1/orders/{id}/unsplit   {"version"?} -> the parcels answer
 *   GET  /api/v1/orders/{id}/parcels   -> {"id","stage","version","merge_group","members":[...],
 *            "split_parcels","parcels":[{"parcel_no","stage","courier","tracking_no",
 *            "weight_g","shipped_at","version","lines":[{"line_no","qty"}]}]}
 *   POST /api/v1/orders/{id}/parcels/{no}/{print|pick|verify|pack|ship|cancel}
 *        {"version"? (the parcel's),"weight_g","courier","tracking_no","reason"}
 *        -> the parcels answer
 * Merge, unmerge, split and unsplit: ORDER_AUDITORS. Parcel actions: the roles of
 * the same order action (warehouse for print/pick/pack/ship, boss or lead for a
 * verify override, editors for cancel).
 */
#include "orders/order_merge_db.h"

#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "lib/arena.h"
#include "lib/cal.h"
#include "orders/order_db.h"
#include "stores/stores.h"
#include "lib/common.h"

#define ORDER_READERS                                                                         \
	(ROLE_BIT(ROLE_BOSS) | ROLE_BIT(ROLE_OPERATIONS) | ROLE_BIT(ROLE_CS_PRESALE) |         \
	 ROLE_BIT(ROLE_CS_AFTERSALE) | ROLE_BIT(ROLE_CS_LEAD) | ROLE_BIT(ROLE_CS_MENTOR) |     \
	 ROLE_BIT(ROLE_WAREHOUSE) | ROLE_BIT(ROLE_FINANCE))
#define ORDER_EDITORS                                                                         \
	(ROLE_BIT(ROLE_BOSS) | ROLE_BIT(ROLE_CS_LEAD) | ROLE_BIT(ROLE_CS_PRESALE) |            \
	 ROLE_BIT(ROLE_CS_AFTERSALE))
#define ORDER_AUDITORS (ORDER_EDITORS | ROLE_BIT(ROLE_WAREHOUSE))
#define WAREHOUSE_ROLES (ROLE_BIT(ROLE_BOSS) | ROLE_BIT(ROLE_CS_LEAD) | ROLE_BIT(ROLE_WAREHOUSE))

static int nomem(struct err *err)
{
	return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
}

static int parse_id(const char *s, const char *field, int64_t *out, struct err *err)
{
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || *end || v <= 0)
		return err_set(err, ERR_NOT_FOUND, field, "订单不存在", "no such order");
	*out = v;
	return 0;
}

/* An empty body is an empty object. */
static int body_read(struct http_req *req, json_t **body, struct err *err)
{
	*body = NULL;
	if (!req->body_len) {
		*body = json_object();
		return *body ? 0 : nomem(err);
	}
	return http_body_object(req, body, err);
}

static json_t *order_brief(const struct order *o)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:I,s:I,s:I,s:s,s:s,s:s}", "id", (json_int_t)o->id,
			 "order_no", o->platform_order_no, "stage", order_stage_name(o->stage),
			 "stage_label", order_stage_label_zh(o->stage), "version",
			 (json_int_t)o->version, "item_qty", (json_int_t)o->item_qty, "paid_fen",
			 (json_int_t)o->paid_fen, "item_title", o->item_title, "courier", o->courier,
			 "tracking_no", o->tracking_no);
}

/* ---------------------------------------------------------------- candidates */

struct cand_ctx {
	json_t *groups, *cur;
	int64_t cur_no;
};

static int cand_add(const struct order *o, int64_t group_no, void *p)
{
	struct cand_ctx *c = p;
	if (group_no != c->cur_no) {
		c->cur = json_array();
		json_array_append_new(c->groups,
				      json_pack("{s:I,s:s,s:s,s:o}", "group", (json_int_t)group_no,
						"buyer_nick", o->buyer_nick, "receiver_name",
						o->receiver_name, "orders", c->cur));
		c->cur_no = group_no;
	}
	return json_array_append_new(c->cur, order_brief(o)) ? ERR_NOMEM : 0;
}

static int merge_candidates(struct http_req *req, struct http_resp *resp, struct err *err)
{
	const char *code = http_query(req, "store");
	struct store s;
	struct cand_ctx c = { json_array(), NULL, 0 };
	int rc = code && *code ? store_get(req->db, code, &s, err)
			       : err_set(err, ERR_UNPROCESSABLE, "store", "需要 store(店铺代码)",
					 "store (the store code) is required");
	if (!rc)
		rc = order_merge_candidates(req->db, req->arena, s.id, req->user.id, cand_add, &c, err);
	if (rc == ERR_NOMEM && !err->code)
		rc = nomem(err);
	if (rc) {
		json_decref(c.groups);
		return rc;
	}
	resp->json = json_pack("{s:s,s:o}", "store", code, "groups", c.groups);
	return resp->json ? 0 : nomem(err);
}

/* ---------------------------------------------------------------- merge */

static int read_id_array(json_t *body, const char *name, int required, int64_t *out,
			 size_t *n, struct err *err)
{
	json_t *arr = json_object_get(body, name), *v;
	size_t i;
	*n = 0;
	if (!arr && !required)
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) > ORDER_MERGE_MAX)
		return err_setf(err, ERR_UNPROCESSABLE, name, "%s 应为至多 20 个整数的数组",
				"%s must be an array of at most 20 integers", name);
	json_array_foreach(arr, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return err_setf(err, ERR_UNPROCESSABLE, name, "%s 中应为正整数",
					"%s must hold positive integers", name);
		out[i] = json_integer_value(v);
	}
	*n = json_array_size(arr);
	return 0;
}

static int members_json(struct http_req *req, const int64_t *ids, size_t n, json_t **out,
			struct err *err)
{
	*out = json_array();
	for (size_t i = 0; i < n; i++) {
		struct order o;
		int rc = order_get(req->db, req->arena, ids[i], req->user.id, &o, err);
		if (rc == ERR_NOT_FOUND) {
			*err = (struct err)ERR_INIT;
			continue;
		}
		if (rc) {
			json_decref(*out);
			return rc;
		}
		json_array_append_new(*out, order_brief(&o));
	}
	return 0;
}

static int orders_merge(struct http_req *req, struct http_resp *resp, struct err *err)
{
	json_t *body = NULL, *members = NULL;
	int64_t ids[ORDER_MERGE_MAX], versions[ORDER_MERGE_MAX], group = 0;
	size_t n = 0, nv = 0;
	int rc = body_read(req, &body, err);

	if (!rc)
		rc = read_id_array(body, "ids", 1, ids, &n, err);
	if (!rc)
		rc = read_id_array(body, "versions", 0, versions, &nv, err);
	if (!rc && nv && nv != n)
		rc = err_set(err, ERR_UNPROCESSABLE, "versions", "versions 应与 ids 一一对应",
			     "versions must match ids one to one");
	if (!rc)
		rc = order_merge(req->db, &req->user, ids, nv ? versions : NULL, n, req->now_utc,
				 &group, err);
	json_decref(body);
	if (!rc)
		rc = members_json(req, ids, n, &members, err);
	if (rc)
		return rc;
	resp->json = json_pack("{s:I,s:o}", "merge_group", (json_int_t)group, "orders", members);
	return resp->json ? 0 : nomem(err);
}

static int version_read(json_t *body, int64_t *v, struct err *err)
{
	return json_int_field(body, "version", 0, 1, INT64_MAX, v, err);
}

static int orders_unmerge(struct http_req *req, struct http_resp *resp, struct err *err)
{
	json_t *body = NULL, *members = NULL;
	struct order o;
	int64_t id, version = 0, *ids = NULL;
	size_t n = 0;
	int rc = parse_id(http_param(req, "id"), "id", &id, err);

	if (!rc)
		rc = body_read(req, &body, err);
	if (!rc)
		rc = version_read(body, &version, err);
	json_decref(body);
	if (!rc)
		rc = order_get(req->db, req->arena, id, req->user.id, &o, err);
	if (!rc && o.merge_group)
		rc = order_merge_members(req->db, req->arena, o.merge_group, &ids, &n, err);
	if (!rc)
		rc = order_unmerge(req->db, &req->user, id, version, req->now_utc, err);
	if (!rc)
		rc = members_json(req, ids, n, &members, err);
	if (rc)
		return rc;
	resp->json = json_pack("{s:o}", "orders", members);
	return resp->json ? 0 : nomem(err);
}

/* ---------------------------------------------------------------- parcels answer */

static int parcel_add(const struct order_parcel *p, void *ctx)
{
	json_t *arr = ctx, *lines = json_array();
	char ts[CAL_BUF];
	for (size_t i = 0; i < p->n_lines; i++)
		json_array_append_new(lines, json_pack("{s:I,s:I}", "line_no",
						       (json_int_t)p->lines[i].line_no, "qty",
						       (json_int_t)p->lines[i].qty));
	json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:o}", "parcel_no", (json_int_t)p->parcel_no,
			      "stage", order_stage_name(p->stage), "stage_label",
			      order_stage_label_zh(p->stage), "courier", p->courier, "tracking_no",
			      p->tracking_no, "version", (json_int_t)p->version, "lines", lines);
	if (!j)
		return ERR_NOMEM;
	json_object_set_new(j, "weight_g", p->weight_g >= 0 ? json_integer(p->weight_g) : json_null());
	json_object_set_new(j, "shipped_at", p->shipped_utc
						 ? json_string(cal_format_iso(p->shipped_utc, ts))
						 : json_null());
	return json_array_append_new(arr, j) ? ERR_NOMEM : 0;
}

static int parcels_answer(struct http_req *req, struct http_resp *resp, int64_t id,
			  struct err *err)
{
	struct order o;
	json_t *parcels = json_array(), *members = NULL;
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = order_get(req->db, req->arena, id, req->user.id, &o, err);
	if (!rc)
		rc = order_parcels_each(req->db, req->arena, id, parcel_add, parcels, err);
	if (!rc && o.merge_group)
		rc = order_merge_members(req->db, req->arena, o.merge_group, &ids, &n, err);
	if (!rc)
		rc = members_json(req, ids, n, &members, err);
	if (rc == ERR_NOMEM && !err->code)
		rc = nomem(err);
	if (rc) {
		json_decref(parcels);
		return rc;
	}
	resp->json = json_pack("{s:I,s:s,s:s,s:I,s:s,s:s,s:o,s:I,s:o}", "id", (json_int_t)o.id,
			       "order_no", o.platform_order_no, "stage", order_stage_name(o.stage),
			       "version", (json_int_t)o.version, "courier", o.courier, "tracking_no",
			       o.tracking_no, "members", members, "split_parcels",
			       (json_int_t)o.split_parcels, "parcels", parcels);
	if (resp->json)
		json_object_set_new(resp->json, "merge_group",
				    o.merge_group ? json_integer(o.merge_group) : json_null());
	return resp->json ? 0 : nomem(err);
}

static int orders_parcels(struct http_req *req, struct http_resp *resp, struct err *err)
{
	int64_t id;
	int rc = parse_id(http_param(req, "id"), "id", &id, err);
	return rc ? rc : parcels_answer(req, resp, id, err);
}

/* ---------------------------------------------------------------- split */

/* "parcels": [[{"line_no","qty"}, ...], ...] into arena arrays. */
static int parcels_read(struct http_req *req, json_t *body, struct order_parcel_in **out,
			size_t *n, struct err *err)
{
	json_t *arr = json_object_get(body, "parcels"), *p, *l;
	size_t i, k;
	if (!json_is_array(arr) || json_array_size(arr) > ORDER_SPLIT_MAX)
		return err_set(err, ERR_UNPROCESSABLE, "parcels",
			       "parcels 应为包裹数组,每个包裹是 {line_no, qty} 的数组(至多 20 个包裹)",
			       "parcels must be an array (at most 20) of arrays of {line_no, qty}");
	*n = json_array_size(arr);
	*out = arena_calloc(req->arena, (*n ? *n : 1) * sizeof **out);
	if (!*out)
		return nomem(err);
	json_array_foreach(arr, i, p) {
		if (!json_is_array(p) || json_array_size(p) > 256)
			return err_setf(err, ERR_UNPROCESSABLE, "parcels",
					"第 %zu 个包裹应为 {line_no, qty} 的数组",
					"parcel %zu must be an array of {line_no, qty}", i + 1);
		struct order_parcel_line *lines =
			arena_calloc(req->arena, (json_array_size(p) + 1) * sizeof *lines);
		if (!lines)
			return nomem(err);
		json_array_foreach(p, k, l) {
			json_t *ln = json_object_get(l, "line_no"), *q = json_object_get(l, "qty");
			if (!json_is_object(l) || !json_is_integer(ln) || !json_is_integer(q) ||
			    json_integer_value(ln) < 1 || json_integer_value(ln) > 10000 ||
			    json_integer_value(q) < -1000000 || json_integer_value(q) > 1000000)
				return err_setf(err, ERR_UNPROCESSABLE, "parcels",
						"第 %zu 个包裹:每行应为 {line_no, qty} 整数",
						"parcel %zu: each line must be {line_no, qty} integers", i + 1);
			lines[k].line_no = json_integer_value(ln);
			lines[k].qty = json_integer_value(q);
		}
		(*out)[i].lines = lines;
		(*out)[i].n = json_array_size(p);
	}
	return 0;
}

static int orders_split(struct http_req *req, struct http_resp *resp, struct err *err)
{
	json_t *body = NULL;
	struct order_parcel_in *parcels = NULL;
	size_t n = 0;
	int64_t id, version = 0;
	int rc = parse_id(http_param(req, "id"), "id", &id, err);

	if (!rc)
		rc = body_read(req, &body, err);
	if (!rc)
		rc = version_read(body, &version, err);
	if (!rc)
		rc = parcels_read(req, body, &parcels, &n, err);
	if (!rc)
		rc = order_split(req->db, &req->user, id, version, parcels, n, req->now_utc, err);
	json_decref(body);
	if (!rc)
		rc = parcels_answer(req, resp, id, err);
	if (!rc)
		resp->status = 201;
	return rc;
}

static int orders_unsplit(struct http_req *req, struct http_resp *resp, struct err *err)
{
	json_t *body = NULL;
	int64_t id, version = 0;
	int rc = parse_id(http_param(req, "id"), "id", &id, err);

	if (!rc)
		rc = body_read(req, &body, err);
	if (!rc)
		rc = version_read(body, &version, err);
	json_decref(body);
	if (!rc)
		rc = order_unsplit(req->db, &req->user, id, version, req->now_utc, err);
	return rc ? rc : parcels_answer(req, resp, id, err);
}

/* ---------------------------------------------------------------- parcel actions */

static unsigned parcel_roles(const char *action, enum order_action *act, int *cancel)
{
	*cancel = strcmp(action, "cancel") == 0;
	if (*cancel)
		return ORDER_EDITORS;
	if (order_action_parse(action, act) || *act < ORDER_ACT_PRINT || *act > ORDER_ACT_SHIP)
		return 0;
	if (*act == ORDER_ACT_VERIFY) /* as for orders: an override without the scan */
		return ROLE_BIT(ROLE_BOSS) | ROLE_BIT(ROLE_CS_LEAD);
	return WAREHOUSE_ROLES;
}

static int parcels_action(struct http_req *req, struct http_resp *resp, struct err *err)
{
	const char *action = http_param(req, "action");
	enum order_action act = ORDER_ACT_PRINT;
	int cancel;
	unsigned roles = parcel_roles(action ? action : "", &act, &cancel);
	struct order_parcel_args args = { 0 };
	json_t *body = NULL;
	int64_t id, no;
	int rc = parse_id(http_param(req, "id"), "id", &id, err);

	if (!rc)
		rc = parse_id(http_param(req, "no"), "parcel", &no, err);
	if (!rc && !roles)
		rc = err_setf(err, ERR_NOT_FOUND, "action", "未知的包裹操作 %s",
			      "unknown parcel action %s", action);
	if (!rc && !(roles & ROLE_BIT(req->user.role)))
		rc = err_set(err, ERR_FORBIDDEN, "action", "当前角色无权执行此包裹操作",
			     "your role may not do this parcel action");
	if (!rc)
		rc = body_read(req, &body, err);
	if (!rc)
		rc = version_read(body, &args.expect_version, err);
	if (!rc)
		rc = json_int_field(body, "weight_g", 0, 1, 100000, &args.weight_g, err);
	if (!rc)
		rc = json_str_field(body, "courier", 0, 40, &args.courier, err);
	if (!rc)
		rc = json_str_field(body, "tracking_no", 0, 40, &args.tracking_no, err);
	if (!rc)
		rc = json_str_field(body, "reason", 0, 200, &args.reason, err);
	if (!rc)
		rc = order_parcel_act(req->db, &req->user, id, no, act, cancel, &args, req->now_utc,
				      err);
	json_decref(body);
	return rc ? rc : parcels_answer(req, resp, id, err);
}

/* Before order_routes in the server's table: "/orders/merge-candidates" is not
 * an order id and "/orders/{id}/split" not an order action. */
const struct http_route order_merge_routes[] = {
	{ "GET", "/api/v1/orders/merge-candidates", merge_candidates, ORDER_AUDITORS },
	{ "POST", "/api/v1/orders/merge", orders_merge, ORDER_AUDITORS },
	{ "POST", "/api/v1/orders/{id}/unmerge", orders_unmerge, ORDER_AUDITORS },
	{ "POST", "/api/v1/orders/{id}/split", orders_split, ORDER_AUDITORS },
	{ "POST", "/api/v1/orders/{id}/unsplit", orders_unsplit, ORDER_AUDITORS },
	{ "GET", "/api/v1/orders/{id}/parcels", orders_parcels, ORDER_READERS },
	{ "POST", "/api/v1/orders/{id}/parcels/{no}/{action}", parcels_action,
	  ORDER_AUDITORS | WAREHOUSE_ROLES },
	{ NULL, NULL, NULL, 0, 0 },
};
