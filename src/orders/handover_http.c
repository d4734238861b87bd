/*
 * handover_http.c - the ORD-12 handover sheet API (every staff role).
 *
 *   POST /api/v1/handovers        {"to_user":"name"|null, "to_role":"cs_presale"|null,
 *                                  "shift":"night", "store":"CODE"?, "note"?,
 *                                  "items":[{"text","order_id"?,"task_id"?}]} -> 201
 *   GET  /api/v1/handovers?open=1 sheets I sent or receive (all for a lead/boss);
 *                                 the open ones I am to acknowledge first ("mine")
 *   GET  /api/v1/handovers/suggest?store=CODE
 *                                 open items a leaving shift may hand over: open
 *                                 tasks (of my role; all for a lead/boss), orders
 *                                 on hold, orders waiting in the exception queue
 *   GET  /api/v1/handovers/{id}
 *   POST /api/v1/handovers/{id}/ack                 {"version"?}  receiver or lead/boss; twice 409
 *   POST /api/v1/handovers/{id}/items/{item}/done   tick an item
 */
#include "orders/handover_db.h"

#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "lib/arena.h"
#include "lib/cal.h"
#include "lib/sb.h"
#include "orders/order_db.h"
#include "stores/stores.h"
#include "lib/common.h"

#define SUGGEST_MAX 200

static json_t *time_json(int64_t utc)
{
	char buf[CAL_BUF];
	return utc ? json_string(cal_format_iso(utc, buf)) : json_null();
}

static json_t *opt_id(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

static int parse_id(const char *s, const char *field, int64_t *out, struct err *err)
{
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || *end || v <= 0)
		return err_set(err, ERR_NOT_FOUND, field, "交接单或事项不存在", "no such handover or item");
	*out = v;
	return 0;
}

static json_t *sheet_json(const struct handover *h, const struct auth_user *me)
{
	json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:I,s:I,s:I}", "id", (json_int_t)h->id,
			      "store", h->store, "from_user", h->from_username, "to_role",
			      role_name(h->parties.to_role), "shift", h->shift, "note", h->note,
			      "created_at", time_json(h->created_utc), "version", (json_int_t)h->version,
			      "items_total", (json_int_t)h->items, "items_open",
			      (json_int_t)h->items_open);
	json_object_set_new(j, "to_user", *h->to_username ? json_string(h->to_username) : json_null());
	json_object_set_new(j, "acknowledged", json_boolean(h->ack_utc != 0));
	json_object_set_new(j, "acknowledged_by",
			    h->ack_utc ? json_string(h->ack_username) : json_null());
	json_object_set_new(j, "acknowledged_at", time_json(h->ack_utc));
	json_object_set_new(j, "mine", json_boolean(!h->ack_utc &&
						    handover_is_receiver(&h->parties, me)));
	return j;
}

static int item_json_add(const struct handover_item *it, void *arr)
{
	json_t *j = json_pack("{s:I,s:I,s:s,s:o,s:s,s:o,s:b,s:o}", "id", (json_int_t)it->id, "pos",
			      (json_int_t)it->pos, "text", it->text, "order_id", opt_id(it->order_id),
			      "order_no", it->order_no, "task_id", opt_id(it->task_id), "done",
			      it->done, "done_at", time_json(it->done_utc));
	json_object_set_new(j, "done_by", it->done ? json_string(it->done_by) : json_null());
	return j && !json_array_append_new(arr, j) ? 0 : ERR_NOMEM;
}

static int sheet_answer(struct http_req *req, struct http_resp *resp, int64_t id,
			struct err *err)
{
	struct handover h;
	json_t *items = json_array();
	int rc = handover_get(req->db, req->arena, id, &req->user, &h, err);
	if (!rc)
		rc = handover_items_each(req->db, id, item_json_add, items, err);
	if (rc) {
		json_decref(items);
		return rc;
	}
	json_t *j = sheet_json(&h, &req->user);
	json_object_set_new(j, "items", items);
	resp->json = json_pack("{s:o}", "handover", j);
	return 0;
}

/* ---------------------------------------------------------------- create */

static int item_read(json_t *v, size_t i, struct handover_item_new *it, struct err *err)
{
	int rc = json_is_object(v) ? 0
				   : err_setf(err, ERR_UNPROCESSABLE, "items", "第 %zu 项应为对象",
					      "item %zu must be an object", i + 1);
	if (!rc)
		rc = json_str_field(v, "text", 1, HANDOVER_TEXT_MAX, &it->text, err);
	if (!rc && !*it->text)
		rc = err_setf(err, ERR_UNPROCESSABLE, "text", "第 %zu 项没有内容", "item %zu is empty",
			      i + 1);
	if (!rc)
		rc = json_int_field(v, "order_id", 0, 1, INT64_MAX, &it->order_id, err);
	if (!rc)
		rc = json_int_field(v, "task_id", 0, 1, INT64_MAX, &it->task_id, err);
	return rc;
}

static int items_read(struct http_req *req, json_t *body, struct handover_new *h,
		      struct err *err)
{
	json_t *arr = json_object_get(body, "items"), *v;
	size_t i;
	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > HANDOVER_ITEMS_MAX)
		return err_set(err, ERR_UNPROCESSABLE, "items", "items 应为 1–200 项的数组",
			       "items must be an array of 1-200 entries");
	struct handover_item_new *items =
		arena_calloc(req->arena, json_array_size(arr) * sizeof *items);
	if (!items)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	json_array_foreach(arr, i, v) {
		int rc = item_read(v, i, &items[i], err);
		if (rc)
			return rc;
	}
	h->items = items;
	h->n_items = json_array_size(arr);
	return 0;
}

static int create_read(struct http_req *req, json_t *body, struct handover_new *h,
		       struct err *err)
{
	const char *store = NULL;
	struct store s;
	memset(h, 0, sizeof *h);
	int rc = json_str_field(body, "to_user", 0, AUTH_USERNAME_MAX, &h->to_username, err);
	if (!rc)
		rc = json_str_field(body, "to_role", 0, 32, &h->to_role, err);
	if (!rc)
		rc = json_str_field(body, "shift", 1, HANDOVER_SHIFT_MAX, &h->shift, err);
	if (!rc && !*h->shift)
		rc = err_set(err, ERR_UNPROCESSABLE, "shift", "缺少班次 shift", "field shift is required");
	if (!rc)
		rc = json_str_field(body, "note", 0, HANDOVER_NOTE_MAX, &h->note, err);
	if (!rc)
		rc = json_str_field(body, "store", 0, STORE_CODE_MAX, &store, err);
	if (!rc && store && *store)
		rc = store_visible(req->db, req->user.id, store, &s, err);
	if (!rc && store && *store)
		h->store_id = s.id;
	if (!rc)
		rc = items_read(req, body, h, err);
	return rc;
}

static int handovers_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct handover_new h;
	json_t *body = NULL;
	int64_t id = 0;
	int rc = http_body_object(req, &body, err);
	if (!rc)
		rc = create_read(req, body, &h, err);
	if (!rc)
		rc = handover_create(req->db, &req->user, &h, req->now_utc, &id, err);
	json_decref(body);
	if (rc)
		return rc;
	resp->status = 201;
	return sheet_answer(req, resp, id, err);
}

/* ---------------------------------------------------------------- reads */

struct list_ctx {
	const struct auth_user *me;
	json_t *items;
};

static int list_add(const struct handover *h, void *p)
{
	struct list_ctx *c = p;
	return json_array_append_new(c->items, sheet_json(h, c->me)) ? ERR_NOMEM : 0;
}

static int handovers_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct list_ctx c = { &req->user, json_array() };
	int64_t open;
	int rc = http_query_int(req, "open", 0, 1, 0, &open, err);
	if (!rc)
		rc = handover_list(req->db, req->arena, &req->user, (int)open, list_add, &c, err);
	if (rc) {
		json_decref(c.items);
		return rc;
	}
	resp->json = json_pack("{s:o}", "items", c.items);
	return 0;
}

static int handovers_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
	int64_t id;
	int rc = parse_id(http_param(req, "id"), "id", &id, err);
	return rc ? rc : sheet_answer(req, resp, id, err);
}

/* ---------------------------------------------------------------- suggest */

struct suggest_ctx {
	struct http_req *req;
	json_t *items;
	const char *kind;
};

static int suggest_push(struct suggest_ctx *c, const char *kind, const char *text,
			int64_t order_id, int64_t task_id, const char *order_no, const char *store)
{
	if (json_array_size(c->items) >= SUGGEST_MAX)
		return 0;
	json_t *j = json_pack("{s:s,s:s,s:o,s:o,s:s,s:s}", "kind", kind, "text", text, "order_id",
			      opt_id(order_id), "task_id", opt_id(task_id), "order_no",
			      order_no ? order_no : "", "store", store ? store : "");
	return j && !json_array_append_new(c->items, j) ? 0 : ERR_NOMEM;
}

static int suggest_task(const struct order_task *t, void *p)
{
	return suggest_push(p, "task", t->text, t->order_id, t->id, t->order_no, t->store_code);
}

static int suggest_order(const struct order *o, void *p)
{
	struct suggest_ctx *c = p;
	struct sb sb;
	struct err ignored = ERR_INIT;
	sb_init_arena(&sb, c->req->arena, 4096);
	if (strcmp(c->kind, "hold") == 0)
		sb_addf(&sb, "订单 %s 暂停中:%s", o->platform_order_no,
			*o->hold_reason ? o->hold_reason : "未写原因");
	else
		sb_addf(&sb, "订单 %s 异常待处理:%s", o->platform_order_no, o->exception);
	const char *text = sb_take(&sb, &ignored);
	return suggest_push(c, c->kind, text ? text : o->platform_order_no, o->id, 0,
			    o->platform_order_no, o->store_code);
}

static int suggest_orders(struct http_req *req, struct suggest_ctx *c, int64_t store_id,
			  struct err *err)
{
	struct order_filter f = { .user_id = req->user.id, .store_id = store_id,
				  .stage = "on_hold", .page = 1, .page_size = 100 };
	c->kind = "hold";
	int rc = order_list(req->db, &f, req->arena, suggest_order, c, NULL, err);
	if (rc)
		return rc;
	/* ORD-13: the queue is the orders still waiting for a person to audit */
	f.stage = "pending_audit";
	f.exception_only = 1;
	c->kind = "exception";
	return order_list(req->db, &f, req->arena, suggest_order, c, NULL, err);
}

static int handovers_suggest(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct suggest_ctx c = { req, json_array(), "" };
	const char *code = http_query(req, "store");
	const char *role = handover_is_lead(&req->user) ? NULL : role_name(req->user.role);
	struct store s = { 0 };
	int rc = code && *code ? store_visible(req->db, req->user.id, code, &s, err) : 0;
	if (!rc)
		rc = order_tasks_each(req->db, role, "open", 0, req->user.id, suggest_task, &c, err);
	if (!rc)
		rc = suggest_orders(req, &c, s.id, err);
	if (rc) {
		json_decref(c.items);
		return rc;
	}
	resp->json = json_pack("{s:o}", "items", c.items);
	return 0;
}

/* ---------------------------------------------------------------- changes */

static int handovers_ack(struct http_req *req, struct http_resp *resp, struct err *err)
{
	json_t *body = NULL;
	int64_t id, version = 0;
	int rc = parse_id(http_param(req, "id"), "id", &id, err);
	if (!rc && req->body_len)
		rc = http_body_object(req, &body, err);
	if (!rc && body)
		rc = json_int_field(body, "version", 0, 1, INT64_MAX, &version, err);
	json_decref(body);
	if (!rc)
		rc = handover_ack(req->db, &req->user, id, version, req->now_utc, err);
	return rc ? rc : sheet_answer(req, resp, id, err);
}

static int handovers_item_done(struct http_req *req, struct http_resp *resp, struct err *err)
{
	int64_t id, item;
	int rc = parse_id(http_param(req, "id"), "id", &id, err);
	if (!rc)
		rc = parse_id(http_param(req, "item"), "item", &item, err);
	if (!rc)
		rc = handover_item_done(req->db, &req->user, id, item, req->now_utc, err);
	return rc ? rc : sheet_answer(req, resp, id, err);
}

const struct http_route handover_routes[] = {
	{ "POST", "/api/v1/handovers", handovers_create, ROLES_STAFF },
	{ "GET", "/api/v1/handovers", handovers_list, ROLES_STAFF },
	{ "GET", "/api/v1/handovers/suggest", handovers_suggest, ROLES_STAFF },
	{ "GET", "/api/v1/handovers/{id}", handovers_get, ROLES_STAFF },
	{ "POST", "/api/v1/handovers/{id}/ack", handovers_ack, ROLES_STAFF },
	{ "POST", "/api/v1/handovers/{id}/items/{item}/done", handovers_item_done, ROLES_STAFF },
	{ NULL, NULL, NULL, 0, 0 },
};
