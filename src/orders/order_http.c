/*
 * order_http.c - the orders API (ORD-3 ORD-4 ORD-5 ORD-13).
 *
 *   GET   /api/v1/orders?store=&stage=&exception=1&status=&from=&to=&buyer=&receiver=
 *                       &phone4=&sku=&tracking=&order_no=&page=&page_size=
 *                       [&format=xlsx: all pages as 订单导出.xlsx, order_export.h]
 *   GET   /api/v1/orders/{id}              order, items, memos, timeline, tasks
 *   PATCH /api/v1/orders/{id}              ORD-4 edit: receiver fields, or one item line
 *   POST  /api/v1/orders/{id}/{action}     audit hold release print pick verify pack ship
 *                                          deliver cancel
 *   POST  /api/v1/orders/batch/{action}    {"ids":[...]} -> a result per order
 *   POST  /api/v1/orders/{id}/memos        {"kind","value"[,"before"]}
 *   POST  /api/v1/orders/{id}/resolve      {"note"[,"version"]}: out of the exception queue
 *   GET   /api/v1/tasks?role=&status=&order_id=;  POST /api/v1/tasks/{id}/done
 *   GET   /api/v1/reports/orders?store=CODE[&from=&to=]
 * Receiver phone and address are masked for roles that don't need them (SPEC section 0).
 */
#include "orders/order.h"

#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "lib/arena.h"
#include "lib/cal.h"
#include "lib/mask.h"
#include "lib/sb.h"
#include "orders/order_db.h"
#include "orders/order_export.h"
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

static const char *masked(struct http_req *req, const char *s, int address)
{
	if (role_sees_customer_pii(req->user.role) || !*s)
		return s;
	struct sb sb;
	struct err ignored = ERR_INIT;
	sb_init_arena(&sb, req->arena, 4096);
	if (address)
		mask_address(s, &sb);
	else
		mask_phone(s, &sb);
	const char *m = sb_take(&sb, &ignored);
	return m ? m : "****";
}

static json_t *time_json(int64_t utc)
{
	char buf[CAL_BUF];
	return utc ? json_string(cal_format_iso(utc, buf)) : json_null();
}

/* The order's fields as JSON members (no braces), written straight into sb:
 * the list endpoint writes fifty of these per page, and building them as jansson
 * objects first cost more than the database query. */
static void order_fields(struct sb *b, struct http_req *req, const struct order *o)
{
	char ts[CAL_BUF];
	sb_addf(b, "\"id\":%lld,\"store\":", (long long)o->id);
	http_json_str(b, o->store_code);
	const struct { const char *k, *v; } text[] = {
		{ "order_no", o->platform_order_no }, { "buyer_nick", o->buyer_nick },
		{ "receiver_name", o->receiver_name },
		{ "receiver_phone", masked(req, o->receiver_phone, 0) },
		{ "receiver_address", masked(req, o->receiver_address, 1) },
		{ "province", o->province }, { "city", o->city }, { "district", o->district },
		{ "platform_status", o->platform_status }, { "stage", order_stage_name(o->stage) },
		{ "stage_label", order_stage_label_zh(o->stage) }, { "hold_reason", o->hold_reason },
		{ "exception", o->exception }, { "buyer_message", o->buyer_message },
		{ "seller_memo", o->seller_memo }, { "item_title", o->item_title },
		{ "courier", *o->courier ? o->courier : o->platform_courier },
		{ "tracking_no", *o->tracking_no ? o->tracking_no : o->platform_tracking_no },
	};
	for (size_t i = 0; i < ARRAY_SIZE(text); i++) {
		sb_addf(b, ",\"%s\":", text[i].k);
		http_json_str(b, text[i].v);
	}
	sb_addf(b, ",\"goods_fen\":%lld,\"postage_fen\":%lld,\"total_fen\":%lld,\"paid_fen\":%lld,"
		   "\"item_qty\":%lld,\"version\":%lld",
		(long long)o->goods_fen, (long long)o->postage_fen, (long long)o->total_fen,
		(long long)o->paid_fen, (long long)o->item_qty, (long long)o->version);
	sb_adds(b, ",\"hold_from\":");
	if (o->stage == ORDER_STAGE_ON_HOLD)
		http_json_str(b, order_stage_name(o->hold_from));
	else
		sb_adds(b, "null");
	if (o->weight_g >= 0)
		sb_addf(b, ",\"weight_g\":%lld", (long long)o->weight_g);
	else
		sb_adds(b, ",\"weight_g\":null");
	/* ORD-10: the merged parcel's primary order, and the parcels of a split */
	if (o->merge_group)
		sb_addf(b, ",\"merge_group\":%lld", (long long)o->merge_group);
	else
		sb_adds(b, ",\"merge_group\":null");
	sb_addf(b, ",\"split_parcels\":%lld", (long long)o->split_parcels);
	sb_adds(b, ",\"created_at\":");
	if (o->created_utc)
		http_json_str(b, cal_format_iso(o->created_utc, ts));
	else
		sb_adds(b, "null");
	sb_adds(b, ",\"paid_at\":");
	if (o->paid_utc)
		http_json_str(b, cal_format_iso(o->paid_utc, ts));
	else
		sb_adds(b, "null");
}

static int parse_id(const char *s, int64_t *out, struct err *err)
{
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || *end || v <= 0)
		return err_set(err, ERR_NOT_FOUND, "id", "订单不存在", "no such order");
	*out = v;
	return 0;
}

/* ---------------------------------------------------------------- list */

struct list_ctx {
	struct http_req *req;
	struct sb *out;
	int n;
};

static int list_add(const struct order *o, void *p)
{
	struct list_ctx *c = p;
	sb_adds(c->out, c->n++ ? ",{" : "{");
	order_fields(c->out, c->req, o);
	sb_addc(c->out, '}');
	return c->out->err;
}

static int time_query(struct http_req *req, const char *name, int64_t *out, struct err *err)
{
	const char *s = http_query(req, name);
	*out = 0;
	if (!s || !*s)
		return 0;
	return cal_parse(s, out, err) ? err_setf(err, ERR_INVALID, name, "参数 %s 不是有效时间",
						 "parameter %s is not a valid time", name)
				      : 0;
}

static int store_query(struct http_req *req, int64_t *store_id, struct err *err)
{
	const char *code = http_query(req, "store");
	struct store s;
	*store_id = 0;
	if (!code || !*code)
		return 0;
	int rc = store_visible(req->db, req->user.id, code, &s, err);
	if (!rc)
		*store_id = s.id;
	return rc;
}

static const char *q(struct http_req *req, const char *name)
{
	const char *s = http_query(req, name);
	return s && *s ? s : NULL;
}

static int filter_from_query(struct http_req *req, struct order_filter *f, struct err *err)
{
	enum order_stage stage;
	int rc;

	memset(f, 0, sizeof *f);
	f->user_id = req->user.id;
	rc = store_query(req, &f->store_id, err);
	if (!rc)
		rc = http_query_int(req, "page", 1, 1000000, 1, &f->page, err);
	if (!rc)
		rc = http_query_int(req, "page_size", 1, 500, 50, &f->page_size, err);
	int64_t exc = 0;
	if (!rc)
		rc = http_query_int(req, "exception", 0, 1, 0, &exc, err);
	f->exception_only = (int)exc;
	if (!rc)
		rc = time_query(req, "from", &f->from_utc, err);
	if (!rc)
		rc = time_query(req, "to", &f->to_utc, err);
	f->stage = q(req, "stage");
	if (!rc && f->stage && order_stage_parse(f->stage, &stage))
		rc = err_set(err, ERR_INVALID, "stage", "未知的订单阶段", "unknown stage");
	f->platform_status = q(req, "status");
	f->buyer = q(req, "buyer");
	f->receiver = q(req, "receiver");
	f->phone_last4 = q(req, "phone4");
	f->sku = q(req, "sku");
	f->tracking_no = q(req, "tracking");
	f->order_no = q(req, "order_no");
	int64_t merged = 0, split = 0;
	if (!rc)
		rc = http_query_int(req, "merged", 0, 1, 0, &merged, err);
	if (!rc)
		rc = http_query_int(req, "split", 0, 1, 0, &split, err);
	f->merged_only = (int)merged;
	f->split_only = (int)split;
	return rc;
}

static int orders_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct order_filter f;
	struct sb out;
	struct list_ctx c = { req, &out, 0 };
	int64_t total = 0;
	int rc = filter_from_query(req, &f, err);

	/* format=xlsx: every matching order as a workbook (order_export_http.c) */
	if (!rc && order_export_wanted(req))
		return order_export_list(req, resp, &f, err);
	sb_init_arena(&out, req->arena, (size_t)64 << 20);
	sb_adds(&out, "{\"items\":[");
	if (!rc)
		rc = order_list(req->db, &f, req->arena, list_add, &c, &total, err);
	if (rc)
		return rc;
	/* total stops counting at ORDER_COUNT_CAP; the console shows "1000+" then */
	sb_addf(&out, "],\"total\":%lld,\"total_capped\":%s,\"page\":%lld,\"page_size\":%lld}",
		(long long)(total >= ORDER_COUNT_CAP ? ORDER_COUNT_CAP - 1 : total),
		total >= ORDER_COUNT_CAP ? "true" : "false", (long long)f.page,
		(long long)f.page_size);
	resp->raw_len = out.len;
	resp->raw = sb_take(&out, err);
	resp->content_type = "application/json; charset=utf-8";
	return resp->raw ? 0 : err->code;
}

/* ---------------------------------------------------------------- detail */

static int item_add(const struct order_item *it, void *arr)
{
	json_t *j = json_pack("{s:I,s:s,s:I,s:I,s:s,s:s,s:s,s:s,s:s}", "line_no",
			      (json_int_t)it->line_no, "title", it->title, "price_fen",
			      (json_int_t)it->price_fen, "qty", (json_int_t)it->qty, "sku_code",
			      it->sku_code, "attrs", it->attrs, "external_code", it->external_code,
			      "package_info", it->package_info, "platform_status", it->platform_status);
	return json_array_append_new(arr, j) ? ERR_NOMEM : 0;
}

static int event_add_json(const struct order_event *e, void *arr)
{
	json_t *j = json_object();
	json_object_set_new(j, "at", time_json(e->at_utc));
	json_object_set_new(j, "user", json_string(e->username ? e->username : ""));
	json_object_set_new(j, "action", json_string(e->action ? e->action : ""));
	json_object_set_new(j, "from_stage", e->from_stage ? json_string(e->from_stage) : json_null());
	json_object_set_new(j, "to_stage", e->to_stage ? json_string(e->to_stage) : json_null());
	json_object_set_new(j, "detail", json_string(e->detail ? e->detail : ""));
	return json_array_append_new(arr, j) ? ERR_NOMEM : 0;
}

static int memo_add_json(const struct order_memo_row *m, void *arr)
{
	json_t *j = json_pack("{s:I,s:o,s:s,s:s,s:s,s:s}", "id", (json_int_t)m->id, "at",
			      time_json(m->at_utc), "kind", m->kind, "value", m->value, "text",
			      m->text, "author", m->author);
	return json_array_append_new(arr, j) ? ERR_NOMEM : 0;
}

static json_t *task_json(const struct order_task *t)
{
	json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "id", (json_int_t)t->id, "kind",
			      t->kind, "role", t->role, "status", t->status, "text", t->text,
			      "note", t->note ? t->note : "", "created_at", time_json(t->created_utc),
			      "done_at", time_json(t->done_utc));
	json_object_set_new(j, "order_id", t->order_id ? json_integer(t->order_id) : json_null());
	json_object_set_new(j, "order_no", json_string(t->order_no ? t->order_no : ""));
	json_object_set_new(j, "store", json_string(t->store_code ? t->store_code : ""));
	return j;
}

static int task_add_json(const struct order_task *t, void *arr)
{
	return json_array_append_new(arr, task_json(t)) ? ERR_NOMEM : 0;
}

/* The imported event is the order's row itself: one timeline line without one
 * event row per imported order. */
static json_t *timeline_start(const struct order *o)
{
	return json_pack("{s:o,s:s,s:s,s:n,s:s,s:s}", "at", time_json(o->imported_utc), "user",
			 "import", "action", "import", "from_stage", "to_stage", "pending_audit",
			 "detail", o->platform_status);
}

/* The same fields as a jansson object, for answers that add to it. */
static json_t *order_object(struct http_req *req, const struct order *o, struct err *err)
{
	struct sb b;
	sb_init_arena(&b, req->arena, (size_t)1 << 20);
	sb_addc(&b, '{');
	order_fields(&b, req, o);
	sb_addc(&b, '}');
	const char *text = sb_take(&b, err);
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;
	if (text && !j)
		err_set(err, ERR_INTERNAL, "", "内部错误", "internal error");
	return j;
}

static unsigned action_roles(const char *action);

static const char *err_text(const struct http_req *req, const struct err *e)
{
	return strcmp(req->lang, "en") == 0 ? e->msg_en : e->msg_zh;
}

/* What the console may offer on this order: each action with the stage rule's
 * (or the role's) verdict, so a disabled button can say why. The API still
 * checks everything again when the action is posted. */
static json_t *actions_json(struct http_req *req, const struct order *o)
{
	static const char *const names[] = { "audit", "hold", "release", "print", "pick",
					     "verify", "pack", "ship", "deliver" };
	json_t *arr = json_array();
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct err e = ERR_INIT;
		enum order_action a;
		enum order_stage to;
		int rc = order_action_parse(names[i], &a);
		if (!rc && !(action_roles(names[i]) & ROLE_BIT(req->user.role)))
			rc = err_set(&e, ERR_FORBIDDEN, "action", "当前角色无权执行此订单操作",
				     "your role may not do this order action");
		/* a split order moves from print to ship by its parcels (ORD-10) */
		if (!rc && o->split_parcels > 0 && a >= ORDER_ACT_PRINT && a <= ORDER_ACT_SHIP)
			rc = err_set(&e, ERR_UNPROCESSABLE, "parcels", "订单已拆成多个包裹,请在包裹上操作",
				     "the order is split into parcels: act on the parcels");
		if (!rc)
			rc = order_next_stage(o->stage, o->hold_from, a, &to, &e);
		json_t *j = json_pack("{s:s,s:b}", "action", names[i], "allowed", !rc);
		if (rc)
			json_object_set_new(j, "reason", json_string(err_text(req, &e)));
		json_array_append_new(arr, j);
	}
	return arr;
}

/* The ORD-4 verdict for each kind of change at the order's stage: edited in
 * place, or with a warehouse task (named, so the console can say so before the
 * user confirms), or refused with the reason. */
static json_t *changes_json(struct http_req *req, const struct order *o)
{
	static const struct {
		const char *name;
		enum order_change kind;
	} kinds[] = { { "receiver", ORDER_CHANGE_RECEIVER },
		      { "items", ORDER_CHANGE_ITEMS },
		      { "cancel", ORDER_CHANGE_CANCEL } };
	static const char *const ways[] = { "in_place", "fix_papers", "reprint" };
	int editor = (ORDER_EDITORS & ROLE_BIT(req->user.role)) != 0;
	json_t *arr = json_array();
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		struct err e = ERR_INIT;
		struct order_change_rule r;
		int rc = editor ? order_change_rule(o->stage, o->hold_from, kinds[i].kind, &r, &e)
				: err_set(&e, ERR_FORBIDDEN, "", "当前角色无权修改订单",
					  "your role may not change orders");
		json_t *j = json_pack("{s:s,s:b}", "kind", kinds[i].name, "allowed", !rc);
		if (rc) {
			json_object_set_new(j, "reason", json_string(err_text(req, &e)));
		} else {
			json_object_set_new(j, "way", json_string(ways[r.way]));
			json_object_set_new(j, "task", json_string(order_task_name(r.task)));
			json_object_set_new(j, "task_text", json_string(r.task == ORDER_TASK_NONE
										 ? ""
										 : order_task_text_zh(r.task)));
		}
		json_array_append_new(arr, j);
	}
	return arr;
}

static int order_answer(struct http_req *req, struct http_resp *resp, int64_t id,
			struct err *err)
{
	struct order o;
	json_t *items = json_array(), *events = json_array(), *memos = json_array(),
	       *tasks = json_array();
	int rc = order_get(req->db, req->arena, id, req->user.id, &o, err);

	if (!rc)
		rc = order_items_each(req->db, req->arena, id, item_add, items, err);
	if (!rc)
		json_array_append_new(events, timeline_start(&o));
	if (!rc)
		rc = order_events_each(req->db, id, event_add_json, events, err);
	if (!rc)
		rc = order_memos_each(req->db, id, memo_add_json, memos, err);
	if (!rc)
		rc = order_tasks_each(req->db, NULL, NULL, id, req->user.id, task_add_json, tasks, err);
	if (rc) {
		json_decref(items);
		json_decref(events);
		json_decref(memos);
		json_decref(tasks);
		return rc;
	}
	json_t *j = order_object(req, &o, err);
	if (!j) {
		json_decref(items);
		json_decref(events);
		json_decref(memos);
		json_decref(tasks);
		return err->code;
	}
	json_object_set_new(j, "items", items);
	json_object_set_new(j, "timeline", events);
	json_object_set_new(j, "memos", memos);
	json_object_set_new(j, "tasks", tasks);
	json_object_set_new(j, "actions", actions_json(req, &o));
	json_object_set_new(j, "changes", changes_json(req, &o));
	resp->json = json_pack("{s:o}", "order", j);
	return 0;
}

static int orders_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
	int64_t id;
	int rc = parse_id(http_param(req, "id"), &id, err);
	return rc ? rc : order_answer(req, resp, id, err);
}

/* ---------------------------------------------------------------- actions */

static unsigned action_roles(const char *action)
{
	enum order_action a;
	if (strcmp(action, "cancel") == 0)
		return ORDER_EDITORS;
	if (order_action_parse(action, &a))
		return 0;
	if (a == ORDER_ACT_AUDIT || a == ORDER_ACT_HOLD || a == ORDER_ACT_RELEASE)
		return ORDER_AUDITORS;
	/* ORD-8: goods are verified by scanning them (POST /api/v1/verify/scan); marking
	 * an order verified without a scan is a boss's or lead's override, timeline and
	 * audit showing who did it. */
	if (a == ORDER_ACT_VERIFY)
		return ROLE_BIT(ROLE_BOSS) | ROLE_BIT(ROLE_CS_LEAD);
	return WAREHOUSE_ROLES;
}

static int action_allowed(struct http_req *req, const char *action, struct err *err)
{
	unsigned roles = action_roles(action);
	if (!roles)
		return err_setf(err, ERR_NOT_FOUND, "action", "未知的订单操作 %s",
				"unknown order action %s", action, action);
	if (!(roles & ROLE_BIT(req->user.role)))
		return err_set(err, ERR_FORBIDDEN, "action", "当前角色无权执行此订单操作",
			       "your role may not do this order action");
	return 0;
}

struct act_body {
	struct order_act_args args;
	const char *reason;
};

static int act_body_read(struct http_req *req, json_t **body, struct act_body *b,
			 struct err *err)
{
	int rc = 0;
	memset(b, 0, sizeof *b);
	*body = NULL;
	if (!req->body_len)
		return 0;
	rc = http_body_object(req, body, err);
	if (!rc)
		rc = json_int_field(*body, "version", 0, 1, INT64_MAX, &b->args.expect_version, err);
	if (!rc)
		rc = json_int_field(*body, "weight_g", 0, 1, 100000, &b->args.weight_g, err);
	if (!rc)
		rc = json_str_field(*body, "courier", 0, 40, &b->args.courier, err);
	if (!rc)
		rc = json_str_field(*body, "tracking_no", 0, 40, &b->args.tracking_no, err);
	if (!rc)
		rc = json_str_field(*body, "reason", 0, 200, &b->reason, err);
	b->args.reason = b->reason;
	return rc;
}

static int run_action(struct http_req *req, int64_t id, const char *action,
		      const struct act_body *b, struct err *err)
{
	struct order o;
	enum order_action a;
	int rc = order_get(req->db, req->arena, id, req->user.id, &o, err);
	if (rc)
		return rc;
	if (strcmp(action, "cancel") == 0) {
		struct order_edit e = { .expect_version = b->args.expect_version,
					.kind = ORDER_CHANGE_CANCEL, .reason = b->reason };
		struct order_edit_result res;
		return order_edit_apply(req->db, &req->user, id, &e, req->now_utc, &res, err);
	}
	if (order_action_parse(action, &a))
		return err_set(err, ERR_NOT_FOUND, "action", "未知的订单操作", "unknown order action");
	return order_act(req->db, &req->user, id, a, &b->args, req->now_utc, err);
}

static int orders_action(struct http_req *req, struct http_resp *resp, struct err *err)
{
	const char *action = http_param(req, "action");
	struct act_body b;
	json_t *body = NULL;
	int64_t id;
	int rc = parse_id(http_param(req, "id"), &id, err);

	if (!rc)
		rc = action_allowed(req, action, err);
	if (!rc)
		rc = act_body_read(req, &body, &b, err);
	if (!rc)
		rc = run_action(req, id, action, &b, err);
	json_decref(body);
	return rc ? rc : order_answer(req, resp, id, err);
}

/* Batch: each order in its own transaction, so one refusal does not stop the rest. */
static int orders_batch(struct http_req *req, struct http_resp *resp, struct err *err)
{
	const char *action = http_param(req, "action");
	struct act_body b;
	json_t *body = NULL, *ids, *v, *results;
	size_t i;
	int rc = action_allowed(req, action, err);

	if (!rc)
		rc = act_body_read(req, &body, &b, err);
	ids = body ? json_object_get(body, "ids") : NULL;
	if (!rc && (!json_is_array(ids) || json_array_size(ids) == 0 || json_array_size(ids) > 1000))
		rc = err_set(err, ERR_UNPROCESSABLE, "ids", "ids 应为 1–1000 个订单编号的数组",
			     "ids must be an array of 1-1000 order ids");
	if (rc) {
		json_decref(body);
		return rc;
	}
	b.args.expect_version = 0; /* a batch acts on what each order is now */
	results = json_array();
	int ok = 0, failed = 0;
	json_array_foreach(ids, i, v) {
		struct err e1 = ERR_INIT;
		int64_t id = json_is_integer(v) ? json_integer_value(v) : 0;
		int r = id > 0 ? run_action(req, id, action, &b, &e1)
			       : err_set(&e1, ERR_NOT_FOUND, "id", "订单不存在", "no such order");
		json_t *one = json_pack("{s:I,s:b}", "id", (json_int_t)id, "ok", !r);
		if (r) {
			json_t *ej = http_error_json(&e1, req->lang);
			json_object_set(one, "error", json_object_get(ej, "error"));
			json_decref(ej);
		}
		json_array_append_new(results, one);
		r ? failed++ : ok++;
	}
	json_decref(body);
	resp->json = json_pack("{s:o,s:i,s:i}", "results", results, "ok", ok, "failed", failed);
	return 0;
}

/* ---------------------------------------------------------------- edits and memos */

static int edit_read(json_t *body, struct order_edit *e, struct err *err)
{
	int rc;
	memset(e, 0, sizeof *e);
	rc = json_int_field(body, "version", 1, 1, INT64_MAX, &e->expect_version, err);
	if (!rc)
		rc = json_str_field(body, "receiver_name", 0, 50, &e->receiver_name, err);
	if (!rc)
		rc = json_str_field(body, "receiver_phone", 0, 30, &e->receiver_phone, err);
	if (!rc)
		rc = json_str_field(body, "receiver_address", 0, 200, &e->receiver_address, err);
	if (!rc)
		rc = json_int_field(body, "item_line", 0, 1, 10000, &e->item_line, err);
	if (!rc)
		rc = json_str_field(body, "sku_code", 0, 64, &e->sku_code, err);
	if (!rc)
		rc = json_str_field(body, "attrs", 0, 200, &e->attrs, err);
	if (!rc)
		rc = json_int_field(body, "qty", 0, 1, 9999, &e->qty, err);
	if (rc)
		return rc;
	int receiver = e->receiver_name || e->receiver_phone || e->receiver_address;
	int items = e->item_line || e->sku_code || e->attrs || e->qty;
	if (receiver == items)
		return err_set(err, ERR_UNPROCESSABLE, "", "一次修改收货信息或一行商品,二者选一",
			       "change either the receiver or one item line, one at a time");
	if (items && !e->item_line)
		return err_set(err, ERR_UNPROCESSABLE, "item_line", "修改商品需要 item_line",
			       "an item change needs item_line");
	e->kind = receiver ? ORDER_CHANGE_RECEIVER : ORDER_CHANGE_ITEMS;
	return 0;
}

static int orders_patch(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct order_edit e;
	struct order_edit_result res;
	struct order o;
	json_t *body = NULL;
	int64_t id;
	int rc = parse_id(http_param(req, "id"), &id, err);

	if (!rc)
		rc = order_get(req->db, req->arena, id, req->user.id, &o, err);
	if (!rc)
		rc = http_body_object(req, &body, err);
	if (!rc)
		rc = edit_read(body, &e, err);
	if (!rc)
		rc = order_edit_apply(req->db, &req->user, id, &e, req->now_utc, &res, err);
	json_decref(body);
	if (rc)
		return rc;
	rc = order_answer(req, resp, id, err);
	if (!rc) {
		static const char *const ways[] = { "in_place", "fix_papers", "reprint" };
		json_object_set_new(resp->json, "change",
				    json_pack("{s:s,s:s,s:s}", "way", ways[res.rule.way], "task",
					      order_task_name(res.rule.task), "task_text",
					      order_task_text_zh(res.rule.task)));
	}
	return rc;
}

static int orders_memo(struct http_req *req, struct http_resp *resp, struct err *err)
{
	const char *kind_s, *value, *before;
	enum order_memo_kind kind;
	int64_t id, memo_id;
	struct order o;
	json_t *body = NULL;
	int rc = parse_id(http_param(req, "id"), &id, err);

	if (!rc)
		rc = order_get(req->db, req->arena, id, req->user.id, &o, err);
	if (!rc)
		rc = http_body_object(req, &body, err);
	if (!rc)
		rc = json_str_field(body, "kind", 1, 20, &kind_s, err);
	if (!rc)
		rc = json_str_field(body, "value", 1, 300, &value, err);
	if (!rc)
		rc = json_str_field(body, "before", 0, 200, &before, err);
	if (!rc && order_memo_parse(kind_s, &kind))
		rc = err_set(err, ERR_UNPROCESSABLE, "kind",
			     "备注类型应为 address attribute courier invoice card delivery_time note 之一",
			     "kind must be one of address attribute courier invoice card delivery_time note");
	if (!rc)
		rc = order_memo_add(req->db, &req->user, id, kind, before, value, req->now_utc,
				    &memo_id, err);
	json_decref(body);
	if (rc)
		return rc;
	resp->status = 201;
	return order_answer(req, resp, id, err);
}

static int orders_resolve(struct http_req *req, struct http_resp *resp, struct err *err)
{
	const char *note;
	int64_t id, version = 0;
	struct order o;
	json_t *body = NULL;
	int rc = parse_id(http_param(req, "id"), &id, err);

	if (!rc)
		rc = order_get(req->db, req->arena, id, req->user.id, &o, err);
	if (!rc)
		rc = http_body_object(req, &body, err);
	if (!rc)
		rc = json_str_field(body, "note", 1, 300, &note, err);
	if (!rc)
		rc = json_int_field(body, "version", 0, 1, INT64_MAX, &version, err);
	if (!rc)
		rc = order_resolve_exception(req->db, &req->user, id, version, note, req->now_utc, err);
	json_decref(body);
	return rc ? rc : order_answer(req, resp, id, err);
}

/* ---------------------------------------------------------------- tasks */

static int tasks_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
	json_t *items = json_array();
	int64_t order_id;
	int rc = http_query_int(req, "order_id", 0, INT64_MAX, 0, &order_id, err);
	if (!rc)
		rc = order_tasks_each(req->db, q(req, "role"), q(req, "status"), order_id, req->user.id,
				      task_add_json, items, err);
	if (rc) {
		json_decref(items);
		return rc;
	}
	resp->json = json_pack("{s:o}", "items", items);
	return 0;
}

static int tasks_done(struct http_req *req, struct http_resp *resp, struct err *err)
{
	const char *note = NULL;
	json_t *body = NULL;
	int64_t id;
	int rc = parse_id(http_param(req, "id"), &id, err);

	if (!rc && req->body_len)
		rc = http_body_object(req, &body, err);
	if (!rc && body)
		rc = json_str_field(body, "note", 0, 300, &note, err);
	if (!rc)
		rc = order_task_done(req->db, &req->user, id, note, req->now_utc, err);
	json_decref(body);
	if (!rc)
		resp->json = json_pack("{s:b}", "ok", 1);
	return rc;
}

/* ---------------------------------------------------------------- report */

static int group_add(const char *k, int64_t n, void *obj)
{
	return json_object_set_new(obj, k ? k : "", json_integer(n)) ? ERR_NOMEM : 0;
}

struct groups {
	json_t *status, *stage;
};

static int status_add(const char *k, int64_t n, void *p)
{
	return group_add(k, n, ((struct groups *)p)->status);
}

static int stage_add(const char *k, int64_t n, void *p)
{
	return group_add(k, n, ((struct groups *)p)->stage);
}

static int day_add(int64_t day_start_utc, int64_t orders, int64_t paid_fen, void *arr)
{
	int y, m, d;
	char day[16];
	cal_civil_from_days(cal_shanghai_day(day_start_utc), &y, &m, &d);
	snprintf(day, sizeof day, "%04d-%02d-%02d", y, m, d);
	return json_array_append_new(arr, json_pack("{s:s,s:I,s:I}", "day", day, "orders",
						   (json_int_t)orders, "paid_total_fen",
						   (json_int_t)paid_fen))
		       ? ERR_NOMEM
		       : 0;
}

static int sku_add(const char *sku, const char *title, int64_t qty, int64_t sales_fen, void *arr)
{
	return json_array_append_new(arr, json_pack("{s:s,s:s,s:I,s:I}", "sku_code", sku, "title",
						   title ? title : "", "qty", (json_int_t)qty,
						   "sales_fen", (json_int_t)sales_fen))
		       ? ERR_NOMEM
		       : 0;
}

/* The dashboard's extras, asked for by name: by_day=1 (orders and paid total per
 * Shanghai day) and top_skus=N, both over [from, to) with to defaulting to now. */
static int report_extras(struct http_req *req, int64_t store_id, int64_t from, int64_t to,
			 json_t *out, struct err *err)
{
	int64_t by_day = 0, top = 0;
	int rc = http_query_int(req, "by_day", 0, 1, 0, &by_day, err);
	if (!rc)
		rc = http_query_int(req, "top_skus", 0, 50, 0, &top, err);
	if (rc || (!by_day && !top))
		return rc;
	if (!to)
		to = req->now_utc + 1;
	if (by_day) {
		json_t *days = json_array();
		json_object_set_new(out, "by_day", days);
		rc = order_report_days(req->db, store_id, from, to, day_add, days, err);
	}
	if (!rc && top) {
		json_t *skus = json_array();
		json_object_set_new(out, "top_skus", skus);
		rc = order_report_top_skus(req->db, store_id, from, to, top, sku_add, skus, err);
	}
	return rc;
}

static int reports_orders(struct http_req *req, struct http_resp *resp, struct err *err)
{
	const char *code = http_query(req, "store");
	struct order_report r = { 0 };
	struct groups g = { json_object(), json_object() };
	struct store s;
	int64_t from, to;
	int rc = code ? store_visible(req->db, req->user.id, code, &s, err)
		      : err_set(err, ERR_INVALID, "store", "缺少参数 store", "parameter store is required");

	if (!rc)
		rc = time_query(req, "from", &from, err);
	if (!rc)
		rc = time_query(req, "to", &to, err);
	if (!rc)
		rc = order_report(req->db, s.id, from, to, &r, status_add, stage_add, &g, err);
	if (rc) {
		json_decref(g.status);
		json_decref(g.stage);
		return rc;
	}
	resp->json = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:o,s:o}", "store", s.code, "orders",
			       (json_int_t)r.orders, "item_lines", (json_int_t)r.item_lines,
			       "items_qty", (json_int_t)r.items_qty, "buyers", (json_int_t)r.buyers,
			       "paid_total_fen", (json_int_t)r.paid_total_fen, "by_status", g.status,
			       "by_stage", g.stage);
	return report_extras(req, s.id, from, to, resp->json, err);
}

const struct http_route order_routes[] = {
	{ "GET", "/api/v1/orders", orders_list, ORDER_READERS },
	{ "POST", "/api/v1/orders/batch/{action}", orders_batch, ORDER_AUDITORS | WAREHOUSE_ROLES },
	{ "GET", "/api/v1/orders/{id}", orders_get, ORDER_READERS },
	{ "PATCH", "/api/v1/orders/{id}", orders_patch, ORDER_EDITORS },
	{ "POST", "/api/v1/orders/{id}/memos", orders_memo, ORDER_EDITORS },
	{ "POST", "/api/v1/orders/{id}/resolve", orders_resolve, ORDER_AUDITORS },
	{ "POST", "/api/v1/orders/{id}/{action}", orders_action, ORDER_AUDITORS | WAREHOUSE_ROLES },
	{ "GET", "/api/v1/tasks", tasks_list, ORDER_READERS },
	{ "POST", "/api/v1/tasks/{id}/done", tasks_done, ORDER_AUDITORS | WAREHOUSE_ROLES },
	{ "GET", "/api/v1/reports/orders", reports_orders, ORDER_READERS },
	{ NULL, NULL, NULL, 0 },
};
