/*
 * import_write.c - the storage end of every order importer: one order with its
 * lines, inserted, left alone or updated (with an audit row), in the caller's
 * batch transaction. Moved here unchanged from import_taobao.c so the generic
 * template shares it; the content hash is the same function over the same
 * fields, so orders imported before the move stay "unchanged".
 */
#include "orders/import_write.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "db/db.h"
#include "inventory/inventory_db.h"
#include "lib/arena.h"
#include "lib/log.h"
#include "lib/sb.h"
#include "lib/xalloc.h"
#include "orders/address.h"
#include "orders/order.h"
#include "orders/phone.h"
#include "policy/policy.h"
#include "lib/common.h"

struct import_line *import_lines_add(struct arena *a, struct import_lines *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4;
		struct import_line *nv = arena_alloc(a, cap * sizeof *nv);
		if (!nv)
			return NULL;
		if (l->n)
			memcpy(nv, l->v, l->n * sizeof *nv);
		l->v = nv;
		l->cap = cap;
	}
	struct import_line *it = &l->v[l->n++];
	memset(it, 0, sizeof *it);
	it->title = it->outer = it->attrs = it->package = it->note = it->status = it->sku = "";
	return it;
}

int import_writer_reject(struct import_writer *w, const char *file, long line,
			 const char *column, const struct err *why)
{
	w->c->rejected++;
	if (!w->sink || !w->sink->reject)
		return 0;
	return w->sink->reject(w->sink->ctx, file, line, column, why->msg_zh);
}

/* ORD-6 on import: parse the address and the phone; failures only flag the order. */
static void row_checks(struct import_writer *w, struct import_order *o)
{
	struct addr_result ar;
	struct err ignored = ERR_INIT;
	o->province = o->city = o->district = "";
	if (w->addrs && addr_parse(w->addrs, o->address, strlen(o->address), &ar, &ignored) == 0) {
		o->address_ok = 1;
		o->province = ar.province.name;
		o->city = addr_city_label(&ar);
		o->district = ar.district.name;
	}
	struct phone ph;
	err_init(&ignored);
	o->phone_ok = phone_parse(o->phone, strlen(o->phone), &ph, &ignored) == 0;
	if (o->phone_ok) {
		const char *p = arena_strdup(w->arena, ph.norm);
		o->phone = p ? p : o->phone;
	}
}

/* FNV-1a over the platform's fields: equal hashes mean "unchanged" on re-import.
 * Not a security hash; a collision could at worst skip one update. */
static void hash_add(uint64_t *h, const char *s)
{
	for (; *s; s++) {
		*h ^= (unsigned char)*s;
		*h *= UINT64_C(1099511628211);
	}
	*h ^= 0x1f;
	*h *= UINT64_C(1099511628211);
}

/* The same bytes as "%lld" (the hash of orders imported before stays equal),
 * without snprintf's cost: 9 integers per order and 2 per line. */
static void hash_int(uint64_t *h, int64_t v)
{
	char buf[24];
	char *p = buf + sizeof buf;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	*--p = '\0';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	hash_add(h, p);
}

static void row_hash(const struct import_order *o, const struct import_lines *l, char out[17])
{
	uint64_t h = UINT64_C(14695981039346656037);
	const char *s[] = { o->order_no, o->nick, o->alipay, o->status, o->message, o->receiver,
			    o->address, o->ship_method, o->phone, o->title, o->tracking,
			    o->courier, o->memo };
	const int64_t n[] = { o->goods_fen, o->postage_fen, o->total_fen, o->paid_fen,
			      o->refund_fen, o->created_utc, o->paid_utc, o->kinds, o->qty };
	for (size_t i = 0; i < ARRAY_SIZE(s); i++)
		hash_add(&h, s[i]);
	for (size_t i = 0; i < ARRAY_SIZE(n); i++)
		hash_int(&h, n[i]);
	for (size_t i = 0; i < l->n; i++) {
		const struct import_line *it = &l->v[i];
		const char *t[] = { it->title, it->outer, it->attrs, it->package, it->note,
				    it->status, it->sku };
		hash_int(&h, it->price_fen);
		hash_int(&h, it->qty);
		for (size_t k = 0; k < ARRAY_SIZE(t); k++)
			hash_add(&h, t[k]);
	}
	for (int i = 15; i >= 0; i--, h >>= 4) /* "%016llx" */
		out[i] = "0123456789abcdef"[h & 15];
	out[16] = '\0';
}

/* ORD-3/ORD-13: where a new order starts, and why a person must look at it. */
static enum order_stage first_stage(struct import_writer *w, const struct import_order *o, struct sb *why)
{
	switch (o->pstatus) {
	case ORDER_PS_SHIPPED:
		return ORDER_STAGE_SHIPPED; /* never audited for shipping again */
	case ORDER_PS_SUCCESS:
		return ORDER_STAGE_DELIVERED;
	case ORDER_PS_CLOSED:
	case ORDER_PS_REFUND_CLOSED:
		return ORDER_STAGE_CANCELLED;
	case ORDER_PS_PAID:
		break;
	default:
		return ORDER_STAGE_PENDING_AUDIT; /* waits for payment */
	}
	struct order_audit_facts f = { o->pstatus, o->address_ok, o->phone_ok, 1,
				       o->refund_fen > 0, *o->message != '\0', *o->memo != '\0' };
	unsigned reasons = order_audit_check(&f);
	if (reasons) {
		order_audit_reasons_text(reasons, "zh", why);
		return ORDER_STAGE_PENDING_AUDIT;
	}
	return w->pol && w->pol->auto_audit ? ORDER_STAGE_AUDITED : ORDER_STAGE_PENDING_AUDIT;
}

/* stage: the order's, copied onto its lines for the list's stage + SKU index
 * (migration 0009; a trigger keeps it when the order moves on). */
static int items_insert(struct import_writer *w, int64_t order_id, const char *stage,
			const struct import_lines *l, struct err *err)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct import_line *it = &l->v[i];
		struct db_stmt *st;
		int rc = db_prepare(w->db, "INSERT INTO order_items (order_id, line_no, title,"
					    " price_fen, qty, external_code, attrs, package_info, memo,"
					    " platform_status, sku_code, stage)"
					    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				    &st, err);
		if (rc)
			return rc;
		db_bind_int(st, 1, order_id);
		db_bind_int(st, 2, (int64_t)i + 1);
		db_bind_text_ref(st, import_line_bind(st, 3, it), stage);
		rc = db_run(st, err);
		db_done(st);
		if (rc)
			return rc;
	}
	return 0;
}

int import_line_bind(struct db_stmt *st, int first, const struct import_line *it)
{
	int i = first;
	db_bind_text_ref(st, i++, it->title);
	db_bind_int(st, i++, it->price_fen);
	db_bind_int(st, i++, it->qty);
	db_bind_text_ref(st, i++, it->outer);
	db_bind_text_ref(st, i++, it->attrs);
	db_bind_text_ref(st, i++, it->package);
	db_bind_text_ref(st, i++, it->note);
	db_bind_text_ref(st, i++, it->status);
	db_bind_text_ref(st, i++, it->sku);
	return i;
}

static int64_t qty_of(const struct import_order *o, const struct import_lines *l)
{
	int64_t q = 0;
	for (size_t i = 0; i < l->n; i++)
		q += l->v[i].qty;
	return l->n ? q : o->qty;
}

/* Binds the platform's fields shared by INSERT and UPDATE, from index 1; returns the next. */
static int bind_platform(struct db_stmt *st, const struct import_order *o, const struct import_lines *l)
{
	int i = 1;
	const char *s[] = { o->nick, o->alipay, o->receiver, o->phone, o->address, o->province,
			    o->city, o->district, o->ship_method };
	for (size_t k = 0; k < ARRAY_SIZE(s); k++)
		db_bind_text_ref(st, i++, s[k]);
	const int64_t m[] = { o->goods_fen, o->postage_fen, o->total_fen, o->paid_fen, o->refund_fen };
	for (size_t k = 0; k < ARRAY_SIZE(m); k++)
		db_bind_int(st, i++, m[k]);
	db_bind_text_ref(st, i++, o->status);
	db_bind_text_ref(st, i++, o->message);
	db_bind_text_ref(st, i++, o->memo);
	db_bind_text_ref(st, i++, l->n ? l->v[0].title : o->title);
	db_bind_int(st, i++, l->n ? (int64_t)l->n : o->kinds);
	db_bind_int(st, i++, qty_of(o, l));
	db_bind_text_ref(st, i++, o->courier);
	db_bind_text_ref(st, i++, o->tracking);
	db_bind_int(st, i++, o->created_utc);
	if (o->paid_utc)
		db_bind_int(st, i++, o->paid_utc);
	else
		db_bind_null(st, i++);
	return i;
}

#define PLATFORM_COLS \
	"buyer_nick, buyer_alipay, receiver_name, receiver_phone, receiver_address, province," \
	" city, district, shipping_method, goods_fen, postage_fen, total_fen, paid_fen," \
	" refund_fen, platform_status, buyer_message, seller_memo, item_title, item_kinds," \
	" item_qty, platform_courier, platform_tracking_no, created_utc, paid_utc"

static int auto_audit_event(struct import_writer *w, int64_t order_id, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(w->db, "INSERT INTO order_events (order_id, at_utc, username, action,"
				    " from_stage, to_stage, detail) VALUES (?, ?, 'system', 'audit',"
				    " 'pending_audit', 'audited', 'auto')",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, order_id);
	db_bind_int(st, 2, w->now);
	rc = db_run(st, err);
	db_done(st);
	return rc;
}

/* Inserts a new order with its items; *done = 0 when the order already exists
 * (ON CONFLICT DO NOTHING), which spares new orders a lookup first. */
/* ORD-13 + INV-1: an order passing every other rule is audited only when its
 * stock can be reserved; otherwise it waits in the exception queue. The check
 * comes first because a failed reservation would roll back the whole batch. */
/* Every item names a SKU we stock (what a pre-sale reservation still needs). */
static int items_known(struct import_writer *w, int64_t id, int *ok, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(w->db, "SELECT COUNT(*) FROM order_items i LEFT JOIN skus k"
				    " ON k.sku_code = i.sku_code WHERE i.order_id = ? AND k.id IS NULL",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, id);
	rc = db_step(st, err);
	*ok = rc == DB_ROW && db_col_int(st, 0) == 0;
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int auto_audit_stock(struct import_writer *w, int64_t id, struct err *err)
{
	struct db_stmt *st;
	int ok = 0, presale = w->pol && w->pol->allow_presale_oversell;
	int rc = presale ? items_known(w, id, &ok, err) : inv_order_check(w->db, id, &ok, err);
	if (rc)
		return rc;
	if (ok) {
		rc = inv_order_reserve(w->db, w->who, id, w->pol && w->pol->allow_presale_oversell,
				       w->now, err);
		return rc ? rc : auto_audit_event(w, id, err);
	}
	rc = db_prepare(w->db, "UPDATE orders SET stage = 'pending_audit',"
				" exception = '库存不足或商家编码未知' WHERE id = ?",
			&st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, id);
	rc = db_run(st, err);
	db_done(st);
	return rc;
}

static int order_insert(struct import_writer *w, const struct import_order *o, const struct import_lines *l,
			const char *hash, int *done, struct err *err)
{
	struct db_stmt *st;
	struct sb why;
	int64_t id = 0;
	sb_init_arena(&why, w->arena, 1024);
	enum order_stage stage = first_stage(w, o, &why);
#define ORDER_INSERT "INSERT INTO orders (" PLATFORM_COLS ", store_id, platform_order_no," \
		     " stage, exception, content_hash, import_id, imported_utc, updated_utc)" \
		     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?," \
		     " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" \
		     " ON CONFLICT (store_id, platform_order_no) DO NOTHING"
	/* SQLite: the rowid without RETURNING, whose ephemeral table cost a fifth
	 * of each insert. */
	int last_id = db_has_last_id(w->db);
	int rc = db_prepare(w->db, last_id ? ORDER_INSERT : ORDER_INSERT " RETURNING id", &st, err);
	*done = 0;
	if (rc)
		return rc;
	int i = bind_platform(st, o, l);
	db_bind_int(st, i++, w->store_id);
	db_bind_text_ref(st, i++, o->order_no);
	db_bind_text_ref(st, i++, order_stage_name(stage));
	db_bind_text_ref(st, i++, why.buf);
	db_bind_text_ref(st, i++, hash);
	db_bind_int(st, i++, w->import_id);
	db_bind_int(st, i++, w->now);
	db_bind_int(st, i++, w->now);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		id = db_col_int(st, 0);
	else if (rc == DB_DONE && last_id)
		id = db_last_id(st);
	db_done(st);
	if (rc < 0)
		return rc;
	if (!id)
		return 0; /* already there */
	*done = 1;
	rc = items_insert(w, id, order_stage_name(stage), l, err);
	if (!rc && stage == ORDER_STAGE_AUDITED)
		rc = w->stock_in_use ? auto_audit_stock(w, id, err) : auto_audit_event(w, id, err);
	if (!rc)
		w->c->inserted++;
	return rc;
}

struct existing {
	int64_t id, version;
	const char *hash, *stage, *status, *tracking, *courier;
	int64_t paid_fen;
};

static int existing_find(struct import_writer *w, const char *order_no, struct existing *e,
			 int *found, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(w->db, "SELECT id, version, content_hash, stage, platform_status,"
				    " platform_tracking_no, platform_courier, paid_fen FROM orders"
				    " WHERE store_id = ? AND platform_order_no = ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, w->store_id);
	db_bind_text_ref(st, 2, order_no);
	rc = db_step(st, err);
	*found = rc == DB_ROW;
	if (*found) {
		e->id = db_col_int(st, 0);
		e->version = db_col_int(st, 1);
		e->hash = arena_strdup(w->arena, db_col_text(st, 2));
		e->stage = arena_strdup(w->arena, db_col_text(st, 3));
		e->status = arena_strdup(w->arena, db_col_text(st, 4));
		e->tracking = arena_strdup(w->arena, db_col_text(st, 5));
		e->courier = arena_strdup(w->arena, db_col_text(st, 6));
		e->paid_fen = db_col_int(st, 7);
		if (!e->hash || !e->stage || !e->status || !e->tracking || !e->courier)
			rc = err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static char *platform_json_new(const char *status, const char *tracking, const char *courier,
			       int64_t paid_fen, const char *raw_phone)
{
	json_t *j = json_pack("{s:s,s:s,s:s,s:I}", "platform_status", status, "tracking_no",
			      tracking, "courier", courier, "paid_fen", (json_int_t)paid_fen);
	if (j && raw_phone)
		json_object_set_new(j, "source", json_string("import"));
	char *text = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(j);
	char *copy = text ? xstrdup(text) : NULL;
	free(text); /* jansson's allocation */
	return copy;
}

/* The platform changed the order: new platform fields, same internal stage. When
 * the platform closed an order we are still fulfilling, a person must act (ORD-4),
 * so it goes to the exception queue rather than being cancelled silently. */
static int order_update(struct import_writer *w, const struct import_order *o, const struct import_lines *l,
			const char *hash, const struct existing *e, struct err *err)
{
	struct db_stmt *st;
	enum order_stage stage = ORDER_STAGE_PENDING_AUDIT;
	int closed_midway = (o->pstatus == ORDER_PS_CLOSED || o->pstatus == ORDER_PS_REFUND_CLOSED) &&
			    !order_stage_parse(e->stage, &stage) && stage != ORDER_STAGE_CANCELLED &&
			    stage != ORDER_STAGE_SHIPPED && stage != ORDER_STAGE_DELIVERED;
	int rc = db_prepare(w->db, "UPDATE orders SET (" PLATFORM_COLS ") = (?, ?, ?, ?, ?, ?, ?,"
				    " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?),"
				    " exception = CASE WHEN ? = 1 THEN '平台订单已关闭,请处理' ELSE exception END,"
				    " content_hash = ?, import_id = ?, version = version + 1, updated_utc = ?"
				    " WHERE id = ?",
			    &st, err);
	if (rc)
		return rc;
	int i = bind_platform(st, o, l);
	db_bind_int(st, i++, closed_midway);
	db_bind_text_ref(st, i++, hash);
	db_bind_int(st, i++, w->import_id);
	db_bind_int(st, i++, w->now);
	db_bind_int(st, i++, e->id);
	rc = db_run(st, err);
	db_done(st);
	if (!rc)
		rc = db_prepare(w->db, "DELETE FROM order_items WHERE order_id = ?", &st, err);
	if (!rc) {
		db_bind_int(st, 1, e->id);
		rc = db_run(st, err);
		db_done(st);
	}
	if (!rc)
		rc = items_insert(w, e->id, e->stage, l, err);
	char *b = platform_json_new(e->status, e->tracking, e->courier, e->paid_fen, NULL);
	char *a = platform_json_new(o->status, o->tracking, o->courier, o->paid_fen, NULL);
	if (!rc && (!a || !b))
		rc = err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	if (!rc) {
		char id[32];
		snprintf(id, sizeof id, "%lld", (long long)e->id);
		struct audit_entry ae = { w->who, "order", id, "import_update", b, a, w->now };
		rc = audit_write(w->db, &ae, err);
	}
	xfree(a);
	xfree(b);
	if (!rc)
		w->c->updated++;
	return rc;
}

/* ---------------------------------------------------------------- batches */

int import_writer_arena_reset(struct import_writer *w, struct err *err)
{
	arena_free(w->arena);
	w->arena = arena_new(1 << 16);
	if (!w->arena)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	return 0;
}

int import_writer_batch_end(struct import_writer *w, int64_t bytes, struct err *err)
{
	int rc = db_commit(w->db, err);
	if (!rc)
		rc = import_writer_arena_reset(w, err);
	if (rc)
		return rc;
	if (w->sink && w->sink->progress)
		rc = w->sink->progress(w->sink->ctx, bytes, w->c);
	return rc ? rc : db_begin(w->db, err);
}

/* ---------------------------------------------------------------- the writer */

int import_write_order(struct import_writer *w, struct import_order *o,
		       const struct import_lines *l, struct err *err)
{
	struct existing e;
	char hash[17];
	int found, inserted;

	row_checks(w, o);
	row_hash(o, l, hash);
	int rc = order_insert(w, o, l, hash, &inserted, err);
	if (rc || inserted)
		return rc;
	rc = existing_find(w, o->order_no, &e, &found, err);
	if (rc)
		return rc;
	if (!found)
		return err_set(err, ERR_CONFLICT, "", "订单导入冲突,请重试", "order import conflict; retry");
	if (strcmp(e.hash, hash) == 0) {
		w->c->unchanged++;
		return 0;
	}
	return order_update(w, o, l, hash, &e, err);
}

int import_writer_init(struct import_writer *w, struct db *db, const struct auth_user *who,
		       int64_t store_id, int64_t import_id, const struct addr_table *addrs,
		       const struct policy *pol, int64_t now_utc, const struct import_sink *sink,
		       struct import_counts *counts, struct err *err)
{
	memset(w, 0, sizeof *w);
	memset(counts, 0, sizeof *counts);
	w->db = db;
	w->who = who;
	w->store_id = store_id;
	w->import_id = import_id;
	w->now = now_utc;
	w->addrs = addrs;
	w->pol = pol;
	w->sink = sink;
	w->c = counts;
	w->arena = arena_new(1 << 16);
	if (!w->arena)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	db_bulk_mode(db, 1);
	return inv_catalog_in_use(db, &w->stock_in_use, err);
}

static int stored_orders(struct db *db, int64_t *n, struct err *err)
{
	struct db_stmt *st;
	/* the highest id stands in for the count, which would walk a big table */
	int rc = db_prepare(db, "SELECT COALESCE(MAX(id), 0) FROM orders", &st, err);
	if (rc)
		return rc;
	rc = db_step(st, err);
	*n = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc < 0 ? rc : 0;
}

int import_writer_defer_indexes(struct import_writer *w, int64_t expected_orders, struct err *err)
{
	static const char *const tables[] = { "orders", "order_items" };
	const char *mode = getenv("DIANPU_IMPORT_DEFER_INDEXES");
	int64_t stored = 0;
	/* first what an earlier, killed import left away */
	int rc = db_indexes_restore(w->db, err);
	if (rc || (mode && strcmp(mode, "never") == 0))
		return rc;
	if (!(mode && strcmp(mode, "always") == 0)) {
		if (expected_orders < IMPORT_DEFER_MIN_ORDERS)
			return 0;
		rc = stored_orders(w->db, &stored, err);
		if (rc || expected_orders < stored)
			return rc;
	}
	rc = db_indexes_defer(w->db, tables, ARRAY_SIZE(tables), w->now, &w->indexes_away, err);
	if (!rc && w->indexes_away)
		log_info("event=import_indexes_deferred expected_orders=%lld stored=%lld",
			 (long long)expected_orders, (long long)stored);
	return rc;
}

int import_writer_finish(struct import_writer *w, struct err *err)
{
	int rc = w->indexes_away ? db_indexes_restore(w->db, err) : 0;
	if (!rc)
		w->indexes_away = 0;
	return rc;
}

void import_writer_release(struct import_writer *w)
{
	struct err err = ERR_INIT;
	/* an import that failed: its ANALYZE below wants the indexes back (a
	 * failure here leaves them on record for the next open or import) */
	if (w->db && w->indexes_away && db_indexes_restore(w->db, &err))
		log_warn("event=import_indexes_restore_failed detail=\"%s\"", err.msg_en);
	w->indexes_away = 0;
	if (w->db)
		db_bulk_mode(w->db, 0);
	arena_free(w->arena);
	w->arena = NULL;
	w->db = NULL;
}
