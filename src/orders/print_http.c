/*
 * print_http.c - batch printing to PDF (ORD-7): waybills, picking lists and
 * delivery notes for up to PRINT_MAX_ORDERS orders at once, one PDF per call.
 *
 *   POST /api/v1/print/waybills       {"ids":[...], "size":"100x180"|"76x130",
 *                                      "sender":{"name","phone","address"}?}
 *                                  or  {"parcels":[{"order_id","parcel_no"},...],
 *                                      "size", "sender"?}  (ORD-10, one or the other)
 *   POST /api/v1/print/picklists      {"ids":[...]}
 *   POST /api/v1/print/delivery-notes {"ids":[...], "size":"a4"|"241x140"}
 * answer application/pdf.
 *
 * Design:
 *   - All or nothing. Every id must be an order the user may see (X-5; else 404
 *     naming it) at a stage where the paper makes sense; when any is not, the
 *     answer is 422 listing every refused order in error.orders, and nothing is
 *     printed or changed. A partial batch printed silently would leave parcels
 *     without labels that nobody notices.
 *   - Waybills move each order audited -> waybill_printed through
 *     order_act(PRINT), which records the ORD-3 event (who/when) and the audit
 *     row; an order already printed is reprinted (lost or damaged label) and
 *     gets a "print" event again. The stage actions of the whole batch run in
 *     one transaction that commits only when the PDF rendered (print_db.h:
 *     on PostgreSQL the two overlap): if rendering fails nothing changed; if an
 *     order changed in between (cancelled), the batch rolls back and the
 *     answer names it.
 *   - Parcels (ORD-10): a split order's waybills are printed per parcel, one
 *     page each with the order's receiver and only that parcel's lines and
 *     quantities, a "包裹 K/N" mark, and as barcode the parcel's tracking
 *     number or else "<order no>-K". The same all-or-nothing rule: an unknown
 *     order or parcel is a 404 naming it; a parcel that cannot be printed
 *     (shipped, cancelled) or whose order is held or cancelled makes a 422
 *     listing every refused parcel in error.parcels. Each parcel moves
 *     audited -> waybill_printed (reprint allowed) through
 *     order_parcel_act(PRINT): its event and audit row, the batch in one
 *     transaction as for orders.
 *   - Pages follow the order of ids; a picking list follows the pick path.
 *   - The receiver's phone is masked when the store's policy says
 *     orders.mask_phone_on_waybill (on waybills and delivery notes alike).
 *   - Delivery notes carry the receiver's phone and address: each batch writes
 *     a pii_export audit row. (A waybill batch is recorded per order by its
 *     print events.)
 * The 422 refusal is the one answer built here rather than from the err alone:
 * the error body of lib/err's table plus the list, with that table's status.
 */
#include "orders/order.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "http/http.h"
#include "io/pdf.h"
#include "lib/arena.h"
#include "lib/cal.h"
#include "lib/mask.h"
#include "lib/sb.h"
#include "orders/order_db.h"
#include "orders/order_merge_db.h"
#include "orders/print_db.h"
#include "policy/policy_db.h"
#include "stores/stores.h"
#include "lib/common.h"

#define PRINTERS (ROLE_BIT(ROLE_BOSS) | ROLE_BIT(ROLE_CS_LEAD) | ROLE_BIT(ROLE_WAREHOUSE))
#define PRINT_MAX_ORDERS 1000
#define PRINT_PDF_MAX ((size_t)256 << 20)

static int nomem(struct err *err)
{
	return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
}

/* ---------------------------------------------------------------- the batch */

struct items {
	struct order_item *v;
	size_t n, cap;
	struct arena *a;
};

struct shop {
	int64_t store_id;
	const char *name;
	int mask_phone;
};

struct batch {
	struct order *orders;
	struct items *items; /* per order */
	size_t n;
	struct shop shops[16]; /* stores seen; more than 16 are looked up again */
	size_t nshops;
};

static int id_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* "ids": 1..PRINT_MAX_ORDERS distinct positive integers. */
static int read_ids(struct http_req *req, json_t *body, int64_t **ids, size_t *n, struct err *err)
{
	json_t *arr = json_object_get(body, "ids"), *v;
	size_t i;
	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > PRINT_MAX_ORDERS)
		return err_set(err, ERR_UNPROCESSABLE, "ids", "ids 应为 1–1000 个订单编号的数组",
			       "ids must be an array of 1-1000 order ids");
	*n = json_array_size(arr);
	*ids = arena_alloc(req->arena, *n * sizeof **ids);
	int64_t *sorted = arena_alloc(req->arena, *n * sizeof *sorted);
	if (!*ids || !sorted)
		return nomem(err);
	json_array_foreach(arr, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return err_set(err, ERR_UNPROCESSABLE, "ids", "ids 中的订单编号应为正整数",
				       "ids must hold positive integers");
		(*ids)[i] = sorted[i] = json_integer_value(v);
	}
	qsort(sorted, *n, sizeof *sorted, id_cmp);
	for (i = 1; i < *n; i++)
		if (sorted[i] == sorted[i - 1])
			return err_setf(err, ERR_UNPROCESSABLE, "ids", "订单 %lld 重复出现",
					"order %lld appears twice", (long long)sorted[i]);
	return 0;
}

static int item_keep(const struct order_item *it, void *p)
{
	struct items *l = p;
	if (l->n == l->cap) { /* arena memory: grow by copying */
		size_t cap = l->cap ? l->cap * 2 : 4;
		struct order_item *v = arena_alloc(l->a, cap * sizeof *v);
		if (!v)
			return ERR_NOMEM;
		if (l->n)
			memcpy(v, l->v, l->n * sizeof *v);
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *it; /* strings are in the arena already */
	return 0;
}

static int load_orders(struct http_req *req, const int64_t *ids, size_t n, struct batch *b,
		       struct err *err)
{
	memset(b, 0, sizeof *b);
	b->orders = arena_calloc(req->arena, n * sizeof *b->orders);
	b->items = arena_calloc(req->arena, n * sizeof *b->items);
	if (!b->orders || !b->items)
		return nomem(err);
	for (size_t i = 0; i < n; i++) {
		struct err e1 = ERR_INIT;
		struct order *o = &b->orders[b->n];
		int64_t self = ids[i], *member = &self;
		size_t members = 1;
		int rc = order_get(req->db, req->arena, ids[i], req->user.id, o, &e1);
		if (rc == ERR_NOT_FOUND)
			return err_setf(err, ERR_NOT_FOUND, "ids", "订单 %lld 不存在",
					"no such order: %lld", (long long)ids[i]);
		if (rc) {
			*err = e1;
			return rc;
		}
		/* ORD-10: a merged group is one parcel: one paper with every member's
		 * goods, however many of its orders the batch names */
		size_t k;
		for (k = 0; o->merge_group && k < b->n && b->orders[k].merge_group != o->merge_group; k++)
			;
		if (o->merge_group && k < b->n)
			continue;
		if (o->merge_group)
			rc = order_merge_members(req->db, req->arena, o->merge_group, &member, &members, err);
		b->items[b->n].a = req->arena;
		for (k = 0; !rc && k < members; k++)
			rc = order_items_each(req->db, req->arena, member[k], item_keep, &b->items[b->n], err);
		if (rc)
			return rc == ERR_NOMEM && !err->code ? nomem(err) : rc;
		b->n++;
	}
	return 0;
}

/* The store's name and masking rule, looked up once per store of the batch. */
static int shop_of(struct http_req *req, struct batch *b, const struct order *o,
		   struct shop *out, struct err *err)
{
	for (size_t i = 0; i < b->nshops; i++) {
		if (b->shops[i].store_id == o->store_id) {
			*out = b->shops[i];
			return 0;
		}
	}
	struct store s;
	struct policy p;
	int64_t version;
	int rc = store_get(req->db, o->store_code, &s, err);
	if (!rc)
		rc = policy_load(req->db, o->store_id, &p, &version, err);
	if (rc)
		return rc;
	out->store_id = o->store_id;
	out->name = arena_strdup(req->arena, s.name);
	out->mask_phone = p.mask_phone_on_waybill;
	if (!out->name)
		return nomem(err);
	if (b->nshops < ARRAY_SIZE(b->shops))
		b->shops[b->nshops++] = *out;
	return 0;
}

static const char *phone_for_paper(struct http_req *req, const struct shop *sh, const char *phone)
{
	if (!sh->mask_phone || !*phone)
		return phone;
	struct sb sb;
	struct err ignored = ERR_INIT;
	sb_init_arena(&sb, req->arena, 256);
	mask_phone(phone, &sb);
	const char *m = sb_take(&sb, &ignored);
	return m ? m : "****";
}

/* ---------------------------------------------------------------- refusals */

typedef int (*stage_ok_fn)(const struct order *o);

static int print_stage_ok(const struct order *o)
{
	enum order_stage to;
	struct err ignored = ERR_INIT;
	return order_next_stage(o->stage, o->hold_from, ORDER_ACT_PRINT, &to, &ignored) == 0;
}

static int picklist_stage_ok(const struct order *o)
{
	return o->stage == ORDER_STAGE_AUDITED || o->stage == ORDER_STAGE_WAYBILL_PRINTED ||
	       o->stage == ORDER_STAGE_PICKED;
}

static int note_stage_ok(const struct order *o)
{
	return o->stage >= ORDER_STAGE_AUDITED && o->stage <= ORDER_STAGE_PACKED;
}

static void refusal_text(const struct batch *b, size_t refused, size_t first, const char *what_zh,
			 const char *what_en, struct err *err)
{
	const struct order *o = &b->orders[first];
	char zh[256], en[256];
	snprintf(zh, sizeof zh, "%zu 个订单不能打印%s(如订单 %s 处于「%s」阶段),整批未打印", refused,
		 what_zh, o->platform_order_no, order_stage_label_zh(o->stage));
	snprintf(en, sizeof en, "%zu order(s) cannot get %s (e.g. order %s is at stage %s);"
		 " nothing was printed", refused, what_en, o->platform_order_no,
		 order_stage_name(o->stage));
	err_set(err, ERR_UNPROCESSABLE, "ids", zh, en);
}

/* The 422 answer: e's body with the refused list under error.<key> (consumed). */
static int refuse_answer(struct http_req *req, struct http_resp *resp, const struct err *e,
			 const char *key, json_t *list)
{
	resp->json = http_error_json(e, req->lang);
	json_object_set_new(json_object_get(resp->json, "error"), key, list);
	resp->status = err_http_status(e->code);
	return 1;
}

/* 1 when some orders are refused: resp then holds the 422 listing them all. */
static int refuse_stages(struct http_req *req, struct http_resp *resp, const struct batch *b,
			 stage_ok_fn ok, const char *what_zh, const char *what_en)
{
	json_t *list = json_array();
	size_t refused = 0, first = 0;
	for (size_t i = 0; i < b->n; i++) {
		const struct order *o = &b->orders[i];
		if (ok(o))
			continue;
		if (!refused++)
			first = i;
		json_array_append_new(list, json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)o->id,
						      "order_no", o->platform_order_no, "stage",
						      order_stage_name(o->stage), "stage_label",
						      order_stage_label_zh(o->stage)));
	}
	if (!refused) {
		json_decref(list);
		return 0;
	}
	struct err e = ERR_INIT;
	refusal_text(b, refused, first, what_zh, what_en, &e);
	return refuse_answer(req, resp, &e, "orders", list);
}

/* ---------------------------------------------------------------- common */

struct job {
	json_t *body;
	int64_t *ids;
	size_t n;
	struct batch b;
};

/* The orders of j->body's ids. */
static int job_load(struct http_req *req, struct job *j, struct err *err)
{
	int rc = read_ids(req, j->body, &j->ids, &j->n, err);
	if (!rc)
		rc = load_orders(req, j->ids, j->n, &j->b, err);
	if (!rc)
		j->n = j->b.n; /* merged orders share one paper */
	return rc;
}

static int job_start(struct http_req *req, struct job *j, struct err *err)
{
	memset(j, 0, sizeof *j);
	int rc = http_body_object(req, &j->body, err);
	return rc ? rc : job_load(req, j, err);
}

static int pdf_answer(struct http_resp *resp, struct sb *pdf, struct err *err)
{
	resp->raw_len = pdf->len;
	resp->raw = sb_take(pdf, err);
	resp->content_type = "application/pdf";
	return resp->raw ? 0 : err->code;
}

/* "title attrs ×qty" lines, for a waybill's goods box. */
static const char *items_text(struct http_req *req, const struct items *l)
{
	struct sb sb;
	struct err ignored = ERR_INIT;
	sb_init_arena(&sb, req->arena, 64 * 1024);
	for (size_t i = 0; i < l->n; i++)
		sb_addf(&sb, "%s%s%s%s ×%lld", i ? "\n" : "", l->v[i].title, *l->v[i].attrs ? " " : "",
			l->v[i].attrs, (long long)l->v[i].qty);
	const char *t = sb_take(&sb, &ignored);
	return t ? t : "";
}

/* ---------------------------------------------------------------- waybills */

struct sender {
	const char *name, *phone, *address;
};

static int read_waybill_opts(json_t *body, enum pdf_waybill_size *size, struct sender *snd,
			     struct err *err)
{
	const char *sz = NULL;
	json_t *s = json_object_get(body, "sender");
	int rc = json_str_field(body, "size", 0, 10, &sz, err);
	memset(snd, 0, sizeof *snd);
	*size = PDF_WAYBILL_100x180;
	if (!rc && sz && strcmp(sz, "76x130") == 0)
		*size = PDF_WAYBILL_76x130;
	else if (!rc && sz && strcmp(sz, "100x180") != 0)
		rc = err_set(err, ERR_UNPROCESSABLE, "size", "面单尺寸应为 100x180 或 76x130",
			     "size must be 100x180 or 76x130");
	if (rc || !s || json_is_null(s))
		return rc;
	if (!json_is_object(s))
		return err_set(err, ERR_UNPROCESSABLE, "sender", "sender 应为对象",
			       "sender must be an object");
	rc = json_str_field(s, "name", 0, 100, &snd->name, err);
	if (!rc)
		rc = json_str_field(s, "phone", 0, 30, &snd->phone, err);
	if (!rc)
		rc = json_str_field(s, "address", 0, 200, &snd->address, err);
	return rc;
}

static const char *first_set(const char *a, const char *b, const char *c)
{
	return *a ? a : *b ? b : c;
}

/* One order's waybill: its receiver (masked per the store's policy), the
 * sender, the goods of l. A parcel's caller then sets its own number and mark. */
static int waybill_of(struct http_req *req, struct batch *b, const struct order *o,
		      const struct items *l, const struct sender *snd, struct pdf_waybill *w,
		      struct err *err)
{
	struct shop sh;
	int rc = shop_of(req, b, o, &sh, err);
	if (rc)
		return rc;
	*w = (struct pdf_waybill){
		.tracking_no = first_set(o->tracking_no, o->platform_tracking_no, ""),
		.order_no = o->platform_order_no,
		.courier = first_set(o->courier, o->platform_courier, o->shipping_method),
		.receiver_name = o->receiver_name,
		.receiver_phone = phone_for_paper(req, &sh, o->receiver_phone),
		.receiver_address = o->receiver_address,
		.sender_name = snd->name ? snd->name : sh.name,
		.sender_phone = snd->phone,
		.sender_address = snd->address,
		.items_text = items_text(req, l),
	};
	return 0;
}

static int waybill_fill(struct http_req *req, struct job *j, const struct sender *snd,
			struct pdf_waybill *w, struct err *err)
{
	for (size_t i = 0; i < j->n; i++) {
		int rc = waybill_of(req, &j->b, &j->b.orders[i], &j->b.items[i], snd, &w[i], err);
		if (rc)
			return rc;
	}
	return 0;
}

struct waybill_render {
	const struct pdf_waybill *w;
	size_t n;
	enum pdf_waybill_size size;
	struct sb *pdf;
};

static int waybill_render(void *p, struct err *err)
{
	struct waybill_render *r = p;
	return pdf_waybills(r->w, r->n, r->size, r->pdf, err);
}

static int print_parcel_waybills(struct http_req *req, struct http_resp *resp, json_t *body,
				 struct err *err);

static int print_waybills(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct job j;
	struct sender snd;
	enum pdf_waybill_size size;
	struct sb pdf;
	int rc;

	memset(&j, 0, sizeof j);
	rc = http_body_object(req, &j.body, err);
	if (!rc && json_object_get(j.body, "parcels")) {
		rc = json_object_get(j.body, "ids")
			     ? err_set(err, ERR_UNPROCESSABLE, "parcels",
				       "ids 与 parcels 只能二选一:按订单或按包裹打印",
				       "give either ids or parcels: print orders or parcels, not both")
			     : print_parcel_waybills(req, resp, j.body, err);
		goto out;
	}
	if (!rc)
		rc = job_load(req, &j, err);
	if (!rc)
		rc = read_waybill_opts(j.body, &size, &snd, err);
	if (rc || refuse_stages(req, resp, &j.b, print_stage_ok, "面单", "a waybill"))
		goto out;
	struct pdf_waybill *w = arena_calloc(req->arena, j.n * sizeof *w);
	rc = w ? waybill_fill(req, &j, &snd, w, err) : nomem(err);
	sb_init_arena(&pdf, req->arena, PRINT_PDF_MAX);
	struct waybill_render r = { w, j.n, size, &pdf };
	if (!rc)
		rc = print_mark_printed(req->db, &req->user, j.b.orders, j.n, req->now_utc,
					waybill_render, &r, err);
	if (!rc)
		rc = pdf_answer(resp, &pdf, err);
out:
	json_decref(j.body);
	return rc;
}

/* ---------------------------------------------------------------- parcel waybills */

/* One parcel to print, as the body names it, with what was read for it. */
struct pref {
	int64_t order_id, parcel_no;
	size_t order;                 /* index into pjob.b.orders */
	const struct order_parcel *p; /* NULL until found */
};

/* The parcels of one order of the batch. */
struct oparcels {
	struct order_parcel *v;
	size_t n;
	struct arena *a;
};

struct pjob {
	struct pref *refs;
	size_t n;
	struct batch b;           /* the distinct orders, items = all the order's lines */
	struct oparcels *parcels; /* per order of b */
};

static int pref_cmp(const void *a, const void *b)
{
	const struct pref *x = a, *y = b;
	if (x->order_id != y->order_id)
		return x->order_id < y->order_id ? -1 : 1;
	return x->parcel_no < y->parcel_no ? -1 : x->parcel_no > y->parcel_no;
}

/* "parcels": 1..PRINT_MAX_ORDERS distinct {order_id, parcel_no}, positive integers. */
static int read_parcels(struct http_req *req, json_t *body, struct pjob *pj, struct err *err)
{
	json_t *arr = json_object_get(body, "parcels"), *v;
	size_t i;
	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > PRINT_MAX_ORDERS)
		return err_set(err, ERR_UNPROCESSABLE, "parcels",
			       "parcels 应为 1–1000 个 {order_id, parcel_no} 的数组",
			       "parcels must be an array of 1-1000 {order_id, parcel_no}");
	pj->n = json_array_size(arr);
	pj->refs = arena_calloc(req->arena, pj->n * sizeof *pj->refs);
	struct pref *sorted = arena_alloc(req->arena, pj->n * sizeof *sorted);
	if (!pj->refs || !sorted)
		return nomem(err);
	json_array_foreach(arr, i, v) {
		json_t *o = json_object_get(v, "order_id"), *k = json_object_get(v, "parcel_no");
		if (!json_is_object(v) || !json_is_integer(o) || !json_is_integer(k) ||
		    json_integer_value(o) <= 0 || json_integer_value(k) <= 0)
			return err_setf(err, ERR_UNPROCESSABLE, "parcels",
					"parcels 第 %zu 项应为 {order_id, parcel_no} 正整数",
					"parcels item %zu must be {order_id, parcel_no} positive integers",
					i + 1);
		pj->refs[i].order_id = json_integer_value(o);
		pj->refs[i].parcel_no = json_integer_value(k);
		sorted[i] = pj->refs[i];
	}
	qsort(sorted, pj->n, sizeof *sorted, pref_cmp);
	for (i = 1; i < pj->n; i++)
		if (!pref_cmp(&sorted[i], &sorted[i - 1]))
			return err_setf(err, ERR_UNPROCESSABLE, "parcels",
					"订单 %lld 的包裹 %lld 重复出现",
					"order %lld parcel %lld appears twice",
					(long long)sorted[i].order_id, (long long)sorted[i].parcel_no);
	return 0;
}

static int parcel_keep(const struct order_parcel *p, void *ctx)
{
	struct oparcels *l = ctx;
	struct order_parcel *v = arena_alloc(l->a, (l->n + 1) * sizeof *v);
	if (!v)
		return ERR_NOMEM;
	if (l->n)
		memcpy(v, l->v, l->n * sizeof *v);
	v[l->n++] = *p; /* its strings and lines are in the arena */
	l->v = v;
	return 0;
}

/* Each distinct order once (X-5: one the user may not see is not found), with
 * its item lines and parcels; then each ref's parcel. */
static int load_parcels(struct http_req *req, struct pjob *pj, struct err *err)
{
	struct batch *b = &pj->b;
	memset(b, 0, sizeof *b);
	b->orders = arena_calloc(req->arena, pj->n * sizeof *b->orders);
	b->items = arena_calloc(req->arena, pj->n * sizeof *b->items);
	pj->parcels = arena_calloc(req->arena, pj->n * sizeof *pj->parcels);
	if (!b->orders || !b->items || !pj->parcels)
		return nomem(err);
	for (size_t i = 0; i < pj->n; i++) {
		struct pref *r = &pj->refs[i];
		size_t k;
		int rc = 0;
		for (k = 0; k < b->n && b->orders[k].id != r->order_id; k++)
			;
		if (k == b->n) {
			struct err e1 = ERR_INIT;
			rc = order_get(req->db, req->arena, r->order_id, req->user.id, &b->orders[k], &e1);
			if (rc == ERR_NOT_FOUND)
				return err_setf(err, ERR_NOT_FOUND, "parcels", "订单 %lld 不存在",
						"no such order: %lld", (long long)r->order_id);
			if (rc) {
				*err = e1;
				return rc;
			}
			b->items[k].a = pj->parcels[k].a = req->arena;
			rc = order_items_each(req->db, req->arena, r->order_id, item_keep, &b->items[k],
					      err);
			if (!rc)
				rc = order_parcels_each(req->db, req->arena, r->order_id, parcel_keep,
							&pj->parcels[k], err);
			if (rc)
				return rc == ERR_NOMEM && !err->code ? nomem(err) : rc;
			b->n++;
		}
		r->order = k;
		for (size_t p = 0; p < pj->parcels[k].n; p++)
			if (pj->parcels[k].v[p].parcel_no == r->parcel_no)
				r->p = &pj->parcels[k].v[p];
		if (!r->p)
			return err_setf(err, ERR_NOT_FOUND, "parcels", "订单 %s 没有包裹 %lld",
					"order %s has no parcel %lld", b->orders[k].platform_order_no,
					(long long)r->parcel_no);
	}
	return 0;
}

/* The stage that stops a parcel's waybill, or 0 when it may print: its held or
 * cancelled order's, else the parcel's own when print does not apply to it. */
static int parcel_refused(const struct order *o, const struct order_parcel *p,
			  enum order_stage *stage)
{
	enum order_stage to;
	struct err ignored = ERR_INIT;
	if (o->stage == ORDER_STAGE_ON_HOLD || o->stage == ORDER_STAGE_CANCELLED) {
		*stage = o->stage;
		return 1;
	}
	*stage = p->stage;
	return order_parcel_next(p->stage, ORDER_ACT_PRINT, 0, &to, &ignored) != 0;
}

/* 1 when some parcels are refused: resp then holds the 422 listing them all. */
static int refuse_parcels(struct http_req *req, struct http_resp *resp, const struct pjob *pj)
{
	json_t *list = json_array();
	size_t refused = 0, first = 0;
	enum order_stage st, first_st = ORDER_STAGE_AUDITED;
	for (size_t i = 0; i < pj->n; i++) {
		const struct pref *r = &pj->refs[i];
		const struct order *o = &pj->b.orders[r->order];
		if (!parcel_refused(o, r->p, &st))
			continue;
		if (!refused++) {
			first = i;
			first_st = st;
		}
		json_array_append_new(list, json_pack("{s:I,s:s,s:I,s:s,s:s}", "order_id",
						      (json_int_t)o->id, "order_no", o->platform_order_no,
						      "parcel_no", (json_int_t)r->parcel_no, "stage",
						      order_stage_name(st), "stage_label",
						      order_stage_label_zh(st)));
	}
	if (!refused) {
		json_decref(list);
		return 0;
	}
	const struct pref *r = &pj->refs[first];
	const struct order *o = &pj->b.orders[r->order];
	char zh[256], en[256];
	struct err e = ERR_INIT;
	snprintf(zh, sizeof zh,
		 "%zu 个包裹不能打印面单(如订单 %s 包裹 %lld 处于「%s」阶段),整批未打印", refused,
		 o->platform_order_no, (long long)r->parcel_no, order_stage_label_zh(first_st));
	snprintf(en, sizeof en, "%zu parcel(s) cannot get a waybill (e.g. order %s parcel %lld is"
		 " at stage %s); nothing was printed", refused, o->platform_order_no,
		 (long long)r->parcel_no, order_stage_name(first_st));
	err_set(&e, ERR_UNPROCESSABLE, "parcels", zh, en);
	return refuse_answer(req, resp, &e, "parcels", list);
}

/* The order's lines that the parcel carries, at the parcel's quantities. */
static int parcel_items(struct http_req *req, const struct items *all,
			const struct order_parcel *p, struct items *out, struct err *err)
{
	memset(out, 0, sizeof *out);
	out->a = req->arena;
	for (size_t i = 0; i < p->n_lines; i++) {
		for (size_t k = 0; k < all->n; k++) {
			if (all->v[k].line_no != p->lines[i].line_no)
				continue;
			struct order_item it = all->v[k];
			it.qty = p->lines[i].qty;
			if (item_keep(&it, out))
				return nomem(err);
			break;
		}
	}
	return 0;
}

/* "<order no>-K", or with n set "包裹 K/N"; from the arena, NULL when out of memory. */
static const char *parcel_text(struct http_req *req, const char *order_no, int64_t k, size_t n)
{
	struct sb sb;
	struct err ignored = ERR_INIT;
	sb_init_arena(&sb, req->arena, 256);
	if (n)
		sb_addf(&sb, "包裹 %lld/%zu", (long long)k, n);
	else
		order_parcel_code_add(&sb, order_no, k);
	return sb_take(&sb, &ignored);
}

static int parcel_waybill(struct http_req *req, struct pjob *pj, const struct pref *r,
			  const struct sender *snd, struct pdf_waybill *w, struct err *err)
{
	const struct order *o = &pj->b.orders[r->order];
	const struct order_parcel *p = r->p;
	struct items l;
	int rc = parcel_items(req, &pj->b.items[r->order], p, &l, err);
	if (!rc)
		rc = waybill_of(req, &pj->b, o, &l, snd, w, err);
	if (rc)
		return rc;
	/* the parcel's number is its barcode until it has a tracking number */
	w->tracking_no = *p->tracking_no ? p->tracking_no
					 : parcel_text(req, o->platform_order_no, p->parcel_no, 0);
	w->courier = first_set(p->courier, w->courier, "");
	w->parcel = parcel_text(req, NULL, p->parcel_no, pj->parcels[r->order].n);
	return w->tracking_no && w->parcel ? 0 : nomem(err);
}

static int print_parcel_waybills(struct http_req *req, struct http_resp *resp, json_t *body,
				 struct err *err)
{
	struct pjob pj;
	struct sender snd;
	enum pdf_waybill_size size;
	struct sb pdf;
	int rc;

	memset(&pj, 0, sizeof pj);
	rc = read_parcels(req, body, &pj, err);
	if (!rc)
		rc = read_waybill_opts(body, &size, &snd, err);
	if (!rc)
		rc = load_parcels(req, &pj, err);
	if (rc || refuse_parcels(req, resp, &pj))
		return rc;
	struct pdf_waybill *w = arena_calloc(req->arena, pj.n * sizeof *w);
	struct print_parcel *pp = arena_calloc(req->arena, pj.n * sizeof *pp);
	rc = w && pp ? 0 : nomem(err);
	for (size_t i = 0; !rc && i < pj.n; i++) {
		rc = parcel_waybill(req, &pj, &pj.refs[i], &snd, &w[i], err);
		pp[i] = (struct print_parcel){ &pj.b.orders[pj.refs[i].order], pj.refs[i].parcel_no };
	}
	sb_init_arena(&pdf, req->arena, PRINT_PDF_MAX);
	struct waybill_render r = { w, pj.n, size, &pdf };
	if (!rc)
		rc = print_mark_parcels_printed(req->db, &req->user, pp, pj.n, req->now_utc,
						waybill_render, &r, err);
	return rc ? rc : pdf_answer(resp, &pdf, err);
}

/* ---------------------------------------------------------------- picking list */

/* One item line of the batch, before grouping. */
struct pick_src {
	const struct order_item *it;
	size_t order_idx;
};

/* Grouped by 商家编码 + attributes; lines without a code by title + attributes. */
static int pick_key_cmp(const struct order_item *x, const struct order_item *y)
{
	int c = strcmp(x->sku_code, y->sku_code);
	if (!c && !*x->sku_code)
		c = strcmp(x->title, y->title);
	return c ? c : strcmp(x->attrs, y->attrs);
}

static int pick_src_cmp(const void *a, const void *b)
{
	const struct pick_src *x = a, *y = b;
	int c = pick_key_cmp(x->it, y->it);
	if (c)
		return c;
	return x->order_idx < y->order_idx ? -1 : x->order_idx > y->order_idx;
}

struct pick_group {
	struct pdf_pick_line line;
	int64_t pick_order;
	int located;
};

/* Pick path: located SKUs by pick_order then shelf code; the rest after them
 * by code, and lines without a code (found by title) at the very end. */
static int pick_group_cmp(const void *a, const void *b)
{
	const struct pick_group *x = a, *y = b;
	int c;
	if (x->located != y->located)
		return y->located - x->located;
	if (!*x->line.sku != !*y->line.sku)
		return !*x->line.sku - !*y->line.sku;
	if (x->pick_order != y->pick_order)
		return x->pick_order < y->pick_order ? -1 : 1;
	c = strcmp(x->line.location, y->line.location);
	if (!c)
		c = strcmp(x->line.sku, y->line.sku);
	if (!c)
		c = strcmp(x->line.title, y->line.title);
	return c ? c : strcmp(x->line.attrs, y->line.attrs);
}

static struct pick_src *pick_sources(struct http_req *req, const struct batch *b, size_t *n)
{
	size_t total = 0, k = 0;
	for (size_t i = 0; i < b->n; i++)
		total += b->items[i].n;
	struct pick_src *src = arena_alloc(req->arena, (total + 1) * sizeof *src);
	for (size_t i = 0; src && i < b->n; i++)
		for (size_t l = 0; l < b->items[i].n; l++)
			if (b->items[i].v[l].qty > 0)
				src[k++] = (struct pick_src){ &b->items[i].v[l], i };
	*n = k;
	if (src)
		qsort(src, k, sizeof *src, pick_src_cmp);
	return src;
}

/* Sums each run of equal keys into a group; orders counted once per group. */
static size_t pick_groups(const struct pick_src *src, size_t n, struct pick_group *g)
{
	size_t ng = 0;
	for (size_t i = 0; i < n; i++) {
		const struct order_item *it = src[i].it;
		int same = i && pick_key_cmp(src[i - 1].it, it) == 0;
		if (!same) {
			memset(&g[ng], 0, sizeof g[ng]);
			g[ng].line = (struct pdf_pick_line){ "", it->sku_code, it->title, it->attrs, 0, 0 };
			ng++;
		}
		struct pdf_pick_line *l = &g[ng - 1].line;
		l->qty += (int)it->qty;
		if (!same || src[i - 1].order_idx != src[i].order_idx)
			l->orders++;
	}
	return ng;
}

static int pick_locate(struct http_req *req, struct pick_group *g, size_t n, struct err *err)
{
	for (size_t i = 0; i < n; i++) {
		if (!*g[i].line.sku)
			continue;
		int rc = print_sku_location(req->db, req->arena, g[i].line.sku, &g[i].line.location,
					    &g[i].pick_order, &g[i].located, err);
		if (rc)
			return rc;
	}
	qsort(g, n, sizeof *g, pick_group_cmp);
	return 0;
}

static const char *pick_title(struct http_req *req, size_t orders)
{
	char when[CAL_BUF];
	struct sb sb;
	struct err ignored = ERR_INIT;
	sb_init_arena(&sb, req->arena, 256);
	cal_format(req->now_utc, when);
	sb_addf(&sb, "%zu 个订单 · %.16s", orders, when); /* pdf_picklist puts 拣货单 first */
	const char *t = sb_take(&sb, &ignored);
	return t ? t : "";
}

static int print_picklists(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct job j;
	struct sb pdf;
	size_t nsrc = 0, ng = 0;
	int rc = job_start(req, &j, err);

	if (rc || refuse_stages(req, resp, &j.b, picklist_stage_ok, "拣货单", "a picking list"))
		goto out;
	struct pick_src *src = pick_sources(req, &j.b, &nsrc);
	struct pick_group *g = arena_alloc(req->arena, (nsrc + 1) * sizeof *g);
	rc = src && g ? 0 : nomem(err);
	if (!rc)
		ng = pick_groups(src, nsrc, g);
	if (!rc && ng == 0)
		rc = err_set(err, ERR_UNPROCESSABLE, "ids", "这些订单没有商品可拣",
			     "these orders have no goods to pick");
	if (!rc)
		rc = pick_locate(req, g, ng, err);
	struct pdf_pick_line *lines = arena_alloc(req->arena, (ng + 1) * sizeof *lines);
	if (!rc && !lines)
		rc = nomem(err);
	for (size_t i = 0; !rc && i < ng; i++)
		lines[i] = g[i].line;
	sb_init_arena(&pdf, req->arena, PRINT_PDF_MAX);
	if (!rc)
		rc = pdf_picklist(pick_title(req, j.n), lines, ng, &pdf, err);
	if (!rc)
		rc = pdf_answer(resp, &pdf, err);
out:
	json_decref(j.body);
	return rc;
}

/* ---------------------------------------------------------------- delivery notes */

static int read_note_size(json_t *body, enum pdf_note_size *size, struct err *err)
{
	const char *sz = NULL;
	int rc = json_str_field(body, "size", 0, 10, &sz, err);
	*size = PDF_NOTE_A4;
	if (!rc && sz && strcmp(sz, "241x140") == 0)
		*size = PDF_NOTE_241x140;
	else if (!rc && sz && strcmp(sz, "a4") != 0)
		rc = err_set(err, ERR_UNPROCESSABLE, "size", "发货单尺寸应为 a4 或 241x140",
			     "size must be a4 or 241x140");
	return rc;
}

static int note_fill(struct http_req *req, struct job *j, size_t i, struct pdf_delivery_note *d,
		     struct err *err)
{
	const struct order *o = &j->b.orders[i];
	const struct items *l = &j->b.items[i];
	struct shop sh;
	char when[CAL_BUF];
	int rc = shop_of(req, &j->b, o, &sh, err);
	if (rc)
		return rc;
	struct pdf_note_line *nl = arena_alloc(req->arena, (l->n + 1) * sizeof *nl);
	if (!nl)
		return nomem(err);
	for (size_t k = 0; k < l->n; k++)
		nl[k] = (struct pdf_note_line){ l->v[k].sku_code, l->v[k].title, l->v[k].attrs,
						l->v[k].qty > 0 ? (int)l->v[k].qty : 0,
						l->v[k].price_fen };
	int64_t discount = o->goods_fen + o->postage_fen - o->paid_fen;
	*d = (struct pdf_delivery_note){
		.order_no = o->platform_order_no,
		.shop_name = sh.name,
		.order_time = o->created_utc ? arena_strndup(req->arena, cal_format(o->created_utc, when), 16) : "",
		.buyer = o->buyer_nick,
		.receiver_name = o->receiver_name,
		.receiver_phone = phone_for_paper(req, &sh, o->receiver_phone),
		.receiver_address = o->receiver_address,
		.lines = nl,
		.nlines = l->n,
		.goods_fen = o->goods_fen,
		.shipping_fen = o->postage_fen,
		.discount_fen = discount > 0 ? discount : 0,
		.paid_fen = o->paid_fen,
		.buyer_message = o->buyer_message,
		.footer = "感谢惠顾,如有问题请联系客服",
	};
	return d->order_time ? 0 : nomem(err);
}

/* SPEC section 0: every export of personal data is logged. */
static int audit_notes(struct http_req *req, size_t n, struct err *err)
{
	char after[96];
	snprintf(after, sizeof after, "{\"what\":\"delivery_notes\",\"orders\":%zu}", n);
	struct audit_entry e = { &req->user, "pii_export", "delivery_notes", "export", NULL, after,
				 req->now_utc };
	return audit_write(req->db, &e, err);
}

static int print_notes(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct job j;
	struct sb pdf;
	enum pdf_note_size size;
	int rc = job_start(req, &j, err);

	if (!rc)
		rc = read_note_size(j.body, &size, err);
	if (rc || refuse_stages(req, resp, &j.b, note_stage_ok, "发货单", "a delivery note"))
		goto out;
	struct pdf_delivery_note *d = arena_calloc(req->arena, j.n * sizeof *d);
	rc = d ? 0 : nomem(err);
	for (size_t i = 0; !rc && i < j.n; i++)
		rc = note_fill(req, &j, i, &d[i], err);
	sb_init_arena(&pdf, req->arena, PRINT_PDF_MAX);
	if (!rc)
		rc = pdf_delivery_notes(d, j.n, size, &pdf, err);
	if (!rc)
		rc = audit_notes(req, j.n, err);
	if (!rc)
		rc = pdf_answer(resp, &pdf, err);
out:
	json_decref(j.body);
	return rc;
}

const struct http_route print_routes[] = {
	{ "POST", "/api/v1/print/waybills", print_waybills, PRINTERS },
	{ "POST", "/api/v1/print/picklists", print_picklists, PRINTERS },
	{ "POST", "/api/v1/print/delivery-notes", print_notes, PRINTERS },
	{ NULL, NULL, NULL, 0 },
};
