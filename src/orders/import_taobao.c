/*
 * import_taobao.c - streaming, idempotent import of the Taobao/Tmall exports.
 *
 * Pass 1 stages the items file (宝贝报表) in a temporary table keyed by 订单编号,
 * because the two files need not list orders in the same order and a million
 * orders' items do not belong in memory. Pass 2 reads the orders file row by
 * row and writes batches of orders, each order with its items, one transaction
 * per batch. A content hash of the platform's fields tells "unchanged" from
 * "updated" on a re-import.
 */
#include "orders/import_taobao.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "db/db.h"
#include "io/csv.h"
#include "io/taobao_format.h"
#include "inventory/inventory_db.h"
#include "lib/arena.h"
#include "lib/cal.h"
#include "lib/money.h"
#include "lib/sb.h"
#include "lib/xalloc.h"
#include "orders/address.h"
#include "orders/order.h"
#include "orders/phone.h"
#include "policy/policy.h"
#include "lib/common.h"

#define BATCH_ORDERS 5000
#define BATCH_ITEMS 5000

struct importer {
	struct db *db;
	const struct auth_user *who;
	int64_t store_id, import_id, now;
	const struct addr_table *addrs;
	const struct policy *pol;
	const struct import_sink *sink;
	struct import_counts *c;
	struct arena *arena; /* per batch */
	struct sb clean;
	int64_t bytes_done;
	int stock_in_use; /* any SKU in the catalogue: auto-audit then reserves stock */
};

static int reject(struct importer *im, const char *file, long line, const char *column,
		  const struct err *why)
{
	im->c->rejected++;
	if (!im->sink || !im->sink->reject)
		return 0;
	return im->sink->reject(im->sink->ctx, file, line, column, why->msg_zh);
}

/* A cleaned copy of a field in the batch arena (csv_clean: spaces, ="…", apostrophe). */
static const char *cell(struct importer *im, const struct csv_record *rec, int idx)
{
	size_t start;
	const char *raw = csv_field(rec, idx);
	size_t n = csv_clean_span(raw, strlen(raw), &start);
	const char *s = arena_strndup(im->arena, raw + start, n);
	return s ? s : "";
}

static const char *code_cell(struct importer *im, const struct csv_record *rec, int idx)
{
	const char *s = cell(im, rec, idx);
	return taobao_is_placeholder(s) ? "" : s;
}

/* ---------------------------------------------------------------- pass 1: items */

enum { IC_ORDER_NO, IC_TITLE, IC_PRICE, IC_QTY, IC_OUTER, IC_PROPS, IC_PACKAGE, IC_NOTE,
       IC_STATUS, IC_SKU, IC__COUNT };

static const struct csv_column item_cols[IC__COUNT] = {
	{ TAOBAO_ITEM_COL_ORDER_NO, 1, NULL }, { TAOBAO_ITEM_COL_TITLE, 1, NULL },
	{ TAOBAO_ITEM_COL_PRICE, 1, NULL },    { TAOBAO_ITEM_COL_QTY, 1, NULL },
	{ TAOBAO_ITEM_COL_OUTER_ID, 0, NULL }, { TAOBAO_ITEM_COL_PROPS, 0, NULL },
	{ TAOBAO_ITEM_COL_PACKAGE, 0, NULL },  { TAOBAO_ITEM_COL_NOTE, 0, NULL },
	{ TAOBAO_ITEM_COL_STATUS, 0, NULL },   { TAOBAO_ITEM_COL_SKU_CODE, 0, NULL },
};

/* The stage is keyed by (order_no, line), the physical line of the item row. On
 * SQLite it is a WITHOUT ROWID table: the key is the table, so each staged row is
 * written to one B-tree instead of a table and an index. */
static int stage_create(struct db *db, struct err *err)
{
	const char *sqlite_ddl =
		"CREATE TEMP TABLE IF NOT EXISTS import_items (order_no TEXT NOT NULL,"
		" line BIGINT NOT NULL, title TEXT, price_fen BIGINT, qty BIGINT, outer_id TEXT,"
		" attrs TEXT, package TEXT, note TEXT, status TEXT, sku_code TEXT,"
		" PRIMARY KEY (order_no, line)) WITHOUT ROWID;"
		" PRAGMA temp.cache_size = -8192";
	const char *pg_ddl =
		"CREATE TEMP TABLE IF NOT EXISTS import_items (order_no TEXT NOT NULL,"
		" line BIGINT NOT NULL, title TEXT, price_fen BIGINT, qty BIGINT, outer_id TEXT,"
		" attrs TEXT, package TEXT, note TEXT, status TEXT, sku_code TEXT,"
		" PRIMARY KEY (order_no, line))";
	int rc = db_exec(db, strcmp(db_engine_name(db), "sqlite") == 0 ? sqlite_ddl : pg_ddl, err);
	if (!rc)
		rc = db_exec(db, "DELETE FROM import_items", err);
	return rc;
}

static int positive_int(const char *s, int64_t max, int64_t *out)
{
	char *end;
	long long v;
	if (!*s)
		return -1;
	v = strtoll(s, &end, 10);
	if (*end || v <= 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

static int item_parse(struct importer *im, const struct csv_record *rec, const int *ix,
		      int64_t *price, int64_t *qty, const char **bad_col, struct err *err)
{
	if (!*cell(im, rec, ix[IC_ORDER_NO])) {
		*bad_col = TAOBAO_ITEM_COL_ORDER_NO;
		return err_set(err, ERR_UNPROCESSABLE, "", "缺少订单编号", "order number missing");
	}
	const char *p = cell(im, rec, ix[IC_PRICE]);
	if (money_parse(p, price, err)) {
		*bad_col = TAOBAO_ITEM_COL_PRICE;
		return ERR_UNPROCESSABLE;
	}
	if (positive_int(cell(im, rec, ix[IC_QTY]), 1000000, qty)) {
		*bad_col = TAOBAO_ITEM_COL_QTY;
		return err_setf(err, ERR_UNPROCESSABLE, "", "购买数量「%s」不是正整数",
				"quantity \"%s\" is not a positive whole number",
				csv_field(rec, ix[IC_QTY]));
	}
	return 0;
}

static int item_stage(struct importer *im, const struct csv_record *rec, const int *ix,
		      struct err *err)
{
	struct db_stmt *st;
	struct err why = ERR_INIT;
	const char *col = "";
	int64_t price = 0, qty = 0;

	if (item_parse(im, rec, ix, &price, &qty, &col, &why))
		return reject(im, "items", rec->line, col, &why);
	int rc = db_prepare(im->db, "INSERT INTO import_items (order_no, line, title, price_fen, qty,"
				    " outer_id, attrs, package, note, status, sku_code)"
				    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			    &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, cell(im, rec, ix[IC_ORDER_NO]));
	db_bind_int(st, 2, rec->line);
	db_bind_text(st, 3, cell(im, rec, ix[IC_TITLE]));
	db_bind_int(st, 4, price);
	db_bind_int(st, 5, qty);
	db_bind_text(st, 6, code_cell(im, rec, ix[IC_OUTER]));
	db_bind_text(st, 7, cell(im, rec, ix[IC_PROPS]));
	db_bind_text(st, 8, cell(im, rec, ix[IC_PACKAGE]));
	db_bind_text(st, 9, cell(im, rec, ix[IC_NOTE]));
	db_bind_text(st, 10, cell(im, rec, ix[IC_STATUS]));
	db_bind_text(st, 11, code_cell(im, rec, ix[IC_SKU]));
	rc = db_run(st, err);
	db_done(st);
	return rc;
}

/* Reads the header; a file without the required columns fails the whole import. */
static int read_header(struct csv *r, const char *file, const struct csv_column *cols, size_t n,
		       int *ix, struct err *err)
{
	struct csv_record rec;
	int rc = csv_next(r, &rec, err);
	if (rc == 0)
		return err_setf(err, ERR_UNPROCESSABLE, file, "%s 文件是空的", "the %s file is empty",
				file, file);
	if (rc < 0)
		return rc;
	return csv_map_header(&rec, cols, n, ix, err);
}

/* A per-record CSV error (bad bytes, too long) rejects that row; a fatal one
 * (read error, not a CSV text at all) stops the import. */
static int csv_row_error(struct importer *im, const struct csv *r, const char *file, int rc,
			 long line, struct err *rerr, struct err *err)
{
	if (!csv_fatal(r) && (rc == ERR_INVALID || rc == ERR_TOO_LARGE)) {
		int r2 = reject(im, file, line, "", rerr);
		err_init(rerr);
		return r2;
	}
	return err_set(err, rc, rerr->field, rerr->msg_zh, rerr->msg_en);
}

static int stage_items(struct importer *im, int fd, struct err *err)
{
	struct csv r;
	struct csv_record rec;
	int ix[IC__COUNT], rc, n = 0;

	csv_init_fd(&r, fd, NULL);
	rc = stage_create(im->db, err);
	if (!rc)
		rc = read_header(&r, "items", item_cols, IC__COUNT, ix, err);
	if (!rc)
		rc = db_begin(im->db, err);
	while (!rc) {
		struct err rerr = ERR_INIT;
		int got = csv_next(&r, &rec, &rerr);
		if (got == 0)
			break;
		if (got < 0) {
			rc = csv_row_error(im, &r, "items", got, rec.line, &rerr, err);
			continue;
		}
		rc = item_stage(im, &rec, ix, err);
		if (!rc && ++n % BATCH_ITEMS == 0) {
			arena_free(im->arena);
			im->arena = arena_new(1 << 16);
			rc = im->arena ? 0 : err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
		}
	}
	if (!rc)
		rc = db_commit(im->db, err);
	else if (im->db)
		db_rollback(im->db);
	csv_release(&r);
	return rc;
}

/* ---------------------------------------------------------------- pass 2: orders */

enum { OC_ORDER_NO, OC_NICK, OC_ALIPAY, OC_GOODS, OC_POSTAGE, OC_TOTAL, OC_PAID, OC_STATUS,
       OC_MESSAGE, OC_RECEIVER, OC_ADDRESS, OC_SHIP_METHOD, OC_PHONE, OC_MOBILE, OC_CREATED,
       OC_PAID_AT, OC_TITLE, OC_KINDS, OC_WAYBILL, OC_COURIER, OC_MEMO, OC_QTY, OC_REFUND,
       OC__COUNT };

static const struct csv_column order_cols[OC__COUNT] = {
	{ TAOBAO_COL_ORDER_NO, 1, NULL },    { TAOBAO_COL_BUYER_NICK, 1, NULL },
	{ TAOBAO_COL_BUYER_ALIPAY, 0, NULL }, { TAOBAO_COL_GOODS_DUE, 0, NULL },
	{ TAOBAO_COL_POSTAGE, 0, NULL },     { TAOBAO_COL_TOTAL, 0, NULL },
	{ TAOBAO_COL_PAID, 1, NULL },        { TAOBAO_COL_STATUS, 1, NULL },
	{ TAOBAO_COL_BUYER_MESSAGE, 0, NULL }, { TAOBAO_COL_RECEIVER, 1, NULL },
	{ TAOBAO_COL_ADDRESS, 1, NULL },     { TAOBAO_COL_SHIP_METHOD, 0, NULL },
	{ TAOBAO_COL_PHONE, 0, NULL },       { TAOBAO_COL_MOBILE, 0, NULL },
	{ TAOBAO_COL_CREATED, 1, NULL },     { TAOBAO_COL_PAID_AT, 0, NULL },
	{ TAOBAO_COL_TITLE, 0, NULL },       { TAOBAO_COL_KINDS, 0, NULL },
	{ TAOBAO_COL_WAYBILL, 0, NULL },     { TAOBAO_COL_COURIER, 0, NULL },
	{ TAOBAO_COL_MEMO, 0, NULL },        { TAOBAO_COL_QTY_TOTAL, 0, NULL },
	{ TAOBAO_COL_REFUND, 0, NULL },
};

/* One order row, cleaned and typed; strings in the batch arena. */
struct irow {
	long line;
	const char *order_no, *nick, *alipay, *status, *message, *receiver, *address, *ship_method;
	const char *phone, *title, *tracking, *courier, *memo;
	const char *province, *city, *district;
	int64_t goods_fen, postage_fen, total_fen, paid_fen, refund_fen;
	int64_t created_utc, paid_utc, kinds, qty;
	enum order_pstatus pstatus;
	int address_ok, phone_ok;
};

static int money_cell(struct importer *im, const struct csv_record *rec, int idx, int required,
		      int64_t *out, struct err *err)
{
	const char *s = cell(im, rec, idx);
	*out = 0;
	if (!*s && !required)
		return 0;
	return money_parse(s, out, err);
}

static int time_cell(struct importer *im, const struct csv_record *rec, int idx, int required,
		     int64_t *out, struct err *err)
{
	const char *s = cell(im, rec, idx);
	*out = 0;
	if (!*s && !required)
		return 0;
	return cal_parse(s, out, err);
}

static int count_cell(struct importer *im, const struct csv_record *rec, int idx, int64_t *out)
{
	const char *s = cell(im, rec, idx);
	*out = 0;
	return *s ? positive_int(s, 1000000, out) : 0;
}

static const char *waybill(struct importer *im, const struct csv_record *rec, int idx)
{
	const char *raw = csv_field(rec, idx);
	size_t start, n = taobao_waybill_span(raw, strlen(raw), &start);
	const char *s = arena_strndup(im->arena, raw + start, n);
	return s ? s : "";
}

/* The typed fields a row must have; *col names the column at fault. */
static int row_values(struct importer *im, const struct csv_record *rec, const int *ix,
		      struct irow *o, const char **col, struct err *err)
{
	struct { int idx; int required; int64_t *out; } money[] = {
		{ OC_GOODS, 0, &o->goods_fen }, { OC_POSTAGE, 0, &o->postage_fen },
		{ OC_TOTAL, 0, &o->total_fen }, { OC_PAID, 1, &o->paid_fen },
		{ OC_REFUND, 0, &o->refund_fen },
	};
	for (size_t i = 0; i < ARRAY_SIZE(money); i++) {
		*col = order_cols[money[i].idx].name;
		if (money_cell(im, rec, ix[money[i].idx], money[i].required, money[i].out, err))
			return ERR_UNPROCESSABLE;
	}
	*col = TAOBAO_COL_CREATED;
	if (time_cell(im, rec, ix[OC_CREATED], 1, &o->created_utc, err))
		return ERR_UNPROCESSABLE;
	*col = TAOBAO_COL_PAID_AT;
	if (time_cell(im, rec, ix[OC_PAID_AT], 0, &o->paid_utc, err))
		return ERR_UNPROCESSABLE;
	*col = TAOBAO_COL_KINDS;
	if (count_cell(im, rec, ix[OC_KINDS], &o->kinds))
		return err_set(err, ERR_UNPROCESSABLE, "", "宝贝种类不是正整数", "item kinds is not a positive number");
	*col = TAOBAO_COL_QTY_TOTAL;
	if (count_cell(im, rec, ix[OC_QTY], &o->qty))
		return err_set(err, ERR_UNPROCESSABLE, "", "宝贝总数量不是正整数", "item quantity is not a positive number");
	return 0;
}

static int row_parse(struct importer *im, const struct csv_record *rec, const int *ix,
		     struct irow *o, const char **col, struct err *err)
{
	memset(o, 0, sizeof *o);
	o->line = rec->line;
	o->order_no = cell(im, rec, ix[OC_ORDER_NO]);
	*col = TAOBAO_COL_ORDER_NO;
	if (!*o->order_no || strlen(o->order_no) > 64)
		return err_set(err, ERR_UNPROCESSABLE, "", "订单编号为空或过长",
			       "order number is empty or too long");
	o->status = cell(im, rec, ix[OC_STATUS]);
	o->pstatus = order_pstatus_parse(o->status);
	*col = TAOBAO_COL_STATUS;
	if (o->pstatus == ORDER_PS_UNKNOWN)
		return err_setf(err, ERR_UNPROCESSABLE, "", "无法识别的订单状态「%s」",
				"unknown order status \"%s\"", o->status);
	int rc = row_values(im, rec, ix, o, col, err);
	if (rc)
		return rc;
	o->nick = cell(im, rec, ix[OC_NICK]);
	o->alipay = cell(im, rec, ix[OC_ALIPAY]);
	o->message = cell(im, rec, ix[OC_MESSAGE]);
	o->receiver = cell(im, rec, ix[OC_RECEIVER]);
	o->address = cell(im, rec, ix[OC_ADDRESS]);
	o->ship_method = cell(im, rec, ix[OC_SHIP_METHOD]);
	o->title = cell(im, rec, ix[OC_TITLE]);
	o->tracking = waybill(im, rec, ix[OC_WAYBILL]);
	o->courier = code_cell(im, rec, ix[OC_COURIER]);
	o->memo = cell(im, rec, ix[OC_MEMO]);
	const char *mobile = cell(im, rec, ix[OC_MOBILE]);
	o->phone = *mobile ? mobile : cell(im, rec, ix[OC_PHONE]);
	return 0;
}

/* ORD-6 on import: parse the address and the phone; failures only flag the order. */
static void row_checks(struct importer *im, struct irow *o)
{
	struct addr_result ar;
	struct err ignored = ERR_INIT;
	o->province = o->city = o->district = "";
	if (im->addrs && addr_parse(im->addrs, o->address, strlen(o->address), &ar, &ignored) == 0) {
		o->address_ok = 1;
		o->province = ar.province.name;
		o->city = addr_city_label(&ar);
		o->district = ar.district.name;
	}
	struct phone ph;
	err_init(&ignored);
	o->phone_ok = phone_parse(o->phone, strlen(o->phone), &ph, &ignored) == 0;
	if (o->phone_ok) {
		const char *p = arena_strdup(im->arena, ph.norm);
		o->phone = p ? p : o->phone;
	}
}

/* ---------------------------------------------------------------- writing */

struct iitem {
	int64_t line, price_fen, qty;
	const char *title, *outer, *attrs, *package, *note, *status, *sku;
};

struct iitems {
	struct iitem *v;
	size_t n, cap;
};

static int items_push(struct importer *im, struct iitems *l, struct db_stmt *st)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4;
		struct iitem *nv = arena_alloc(im->arena, cap * sizeof *nv);
		if (!nv)
			return ERR_NOMEM;
		if (l->n)
			memcpy(nv, l->v, l->n * sizeof *nv);
		l->v = nv;
		l->cap = cap;
	}
	struct iitem *it = &l->v[l->n++];
	it->line = db_col_int(st, 0);
	it->price_fen = db_col_int(st, 2);
	it->qty = db_col_int(st, 3);
	const char **text[] = { &it->title, &it->outer, &it->attrs, &it->package, &it->note,
				&it->status, &it->sku };
	const int cols[] = { 1, 4, 5, 6, 7, 8, 9 };
	for (size_t i = 0; i < ARRAY_SIZE(cols); i++) {
		const char *s = db_col_text(st, cols[i]);
		*text[i] = arena_strdup(im->arena, s ? s : "");
		if (!*text[i])
			return ERR_NOMEM;
	}
	return 0;
}

static int items_load(struct importer *im, const char *order_no, struct iitems *l,
		      struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(im->db, "SELECT line, title, price_fen, qty, outer_id, attrs, package,"
				    " note, status, sku_code FROM import_items WHERE order_no = ?"
				    " ORDER BY line",
			    &st, err);
	if (rc)
		return rc;
	memset(l, 0, sizeof *l);
	db_bind_text(st, 1, order_no);
	while ((rc = db_step(st, err)) == DB_ROW) {
		rc = items_push(im, l, st);
		if (rc)
			break;
	}
	db_done(st);
	if (rc == ERR_NOMEM)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	return rc < 0 ? rc : 0;
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

static void hash_int(uint64_t *h, int64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%lld", (long long)v);
	hash_add(h, buf);
}

static void row_hash(const struct irow *o, const struct iitems *l, char out[17])
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
		const struct iitem *it = &l->v[i];
		const char *t[] = { it->title, it->outer, it->attrs, it->package, it->note,
				    it->status, it->sku };
		hash_int(&h, it->price_fen);
		hash_int(&h, it->qty);
		for (size_t k = 0; k < ARRAY_SIZE(t); k++)
			hash_add(&h, t[k]);
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* ORD-3/ORD-13: where a new order starts, and why a person must look at it. */
static enum order_stage first_stage(struct importer *im, const struct irow *o, struct sb *why)
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
	return im->pol && im->pol->auto_audit ? ORDER_STAGE_AUDITED : ORDER_STAGE_PENDING_AUDIT;
}

static int items_insert(struct importer *im, int64_t order_id, const struct iitems *l,
			struct err *err)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct iitem *it = &l->v[i];
		struct db_stmt *st;
		int rc = db_prepare(im->db, "INSERT INTO order_items (order_id, line_no, title,"
					    " price_fen, qty, external_code, attrs, package_info, memo,"
					    " platform_status, sku_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
				    &st, err);
		if (rc)
			return rc;
		db_bind_int(st, 1, order_id);
		db_bind_int(st, 2, (int64_t)i + 1);
		db_bind_text(st, 3, it->title);
		db_bind_int(st, 4, it->price_fen);
		db_bind_int(st, 5, it->qty);
		db_bind_text(st, 6, it->outer);
		db_bind_text(st, 7, it->attrs);
		db_bind_text(st, 8, it->package);
		db_bind_text(st, 9, it->note);
		db_bind_text(st, 10, it->status);
		db_bind_text(st, 11, it->sku);
		rc = db_run(st, err);
		db_done(st);
		if (rc)
			return rc;
	}
	return 0;
}

static int64_t qty_of(const struct irow *o, const struct iitems *l)
{
	int64_t q = 0;
	for (size_t i = 0; i < l->n; i++)
		q += l->v[i].qty;
	return l->n ? q : o->qty;
}

/* Binds the platform's fields shared by INSERT and UPDATE, from index 1; returns the next. */
static int bind_platform(struct db_stmt *st, const struct irow *o, const struct iitems *l)
{
	int i = 1;
	const char *s[] = { o->nick, o->alipay, o->receiver, o->phone, o->address, o->province,
			    o->city, o->district, o->ship_method };
	for (size_t k = 0; k < ARRAY_SIZE(s); k++)
		db_bind_text(st, i++, s[k]);
	const int64_t m[] = { o->goods_fen, o->postage_fen, o->total_fen, o->paid_fen, o->refund_fen };
	for (size_t k = 0; k < ARRAY_SIZE(m); k++)
		db_bind_int(st, i++, m[k]);
	db_bind_text(st, i++, o->status);
	db_bind_text(st, i++, o->message);
	db_bind_text(st, i++, o->memo);
	db_bind_text(st, i++, l->n ? l->v[0].title : o->title);
	db_bind_int(st, i++, l->n ? (int64_t)l->n : o->kinds);
	db_bind_int(st, i++, qty_of(o, l));
	db_bind_text(st, i++, o->courier);
	db_bind_text(st, i++, o->tracking);
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

static int auto_audit_event(struct importer *im, int64_t order_id, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(im->db, "INSERT INTO order_events (order_id, at_utc, username, action,"
				    " from_stage, to_stage, detail) VALUES (?, ?, 'system', 'audit',"
				    " 'pending_audit', 'audited', 'auto')",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, order_id);
	db_bind_int(st, 2, im->now);
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
static int items_known(struct importer *im, int64_t id, int *ok, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(im->db, "SELECT COUNT(*) FROM order_items i LEFT JOIN skus k"
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

static int auto_audit_stock(struct importer *im, int64_t id, struct err *err)
{
	struct db_stmt *st;
	int ok = 0, presale = im->pol && im->pol->allow_presale_oversell;
	int rc = presale ? items_known(im, id, &ok, err) : inv_order_check(im->db, id, &ok, err);
	if (rc)
		return rc;
	if (ok) {
		rc = inv_order_reserve(im->db, im->who, id, im->pol && im->pol->allow_presale_oversell,
				       im->now, err);
		return rc ? rc : auto_audit_event(im, id, err);
	}
	rc = db_prepare(im->db, "UPDATE orders SET stage = 'pending_audit',"
				" exception = '库存不足或商家编码未知' WHERE id = ?",
			&st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, id);
	rc = db_run(st, err);
	db_done(st);
	return rc;
}

static int order_insert(struct importer *im, const struct irow *o, const struct iitems *l,
			const char *hash, int *done, struct err *err)
{
	struct db_stmt *st;
	struct sb why;
	int64_t id = 0;
	sb_init_arena(&why, im->arena, 1024);
	enum order_stage stage = first_stage(im, o, &why);
	int rc = db_prepare(im->db, "INSERT INTO orders (" PLATFORM_COLS ", store_id, platform_order_no,"
				    " stage, exception, content_hash, import_id, imported_utc, updated_utc)"
				    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
				    " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
				    " ON CONFLICT (store_id, platform_order_no) DO NOTHING RETURNING id",
			    &st, err);
	*done = 0;
	if (rc)
		return rc;
	int i = bind_platform(st, o, l);
	db_bind_int(st, i++, im->store_id);
	db_bind_text(st, i++, o->order_no);
	db_bind_text(st, i++, order_stage_name(stage));
	db_bind_text(st, i++, why.buf);
	db_bind_text(st, i++, hash);
	db_bind_int(st, i++, im->import_id);
	db_bind_int(st, i++, im->now);
	db_bind_int(st, i++, im->now);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		id = db_col_int(st, 0);
	db_done(st);
	if (rc < 0 || rc == DB_DONE)
		return rc < 0 ? rc : 0;
	*done = 1;
	rc = items_insert(im, id, l, err);
	if (!rc && stage == ORDER_STAGE_AUDITED)
		rc = im->stock_in_use ? auto_audit_stock(im, id, err) : auto_audit_event(im, id, err);
	if (!rc)
		im->c->inserted++;
	return rc;
}

struct existing {
	int64_t id, version;
	const char *hash, *stage, *status, *tracking, *courier;
	int64_t paid_fen;
};

static int existing_find(struct importer *im, const char *order_no, struct existing *e,
			 int *found, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(im->db, "SELECT id, version, content_hash, stage, platform_status,"
				    " platform_tracking_no, platform_courier, paid_fen FROM orders"
				    " WHERE store_id = ? AND platform_order_no = ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, im->store_id);
	db_bind_text(st, 2, order_no);
	rc = db_step(st, err);
	*found = rc == DB_ROW;
	if (*found) {
		e->id = db_col_int(st, 0);
		e->version = db_col_int(st, 1);
		e->hash = arena_strdup(im->arena, db_col_text(st, 2));
		e->stage = arena_strdup(im->arena, db_col_text(st, 3));
		e->status = arena_strdup(im->arena, db_col_text(st, 4));
		e->tracking = arena_strdup(im->arena, db_col_text(st, 5));
		e->courier = arena_strdup(im->arena, db_col_text(st, 6));
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
static int order_update(struct importer *im, const struct irow *o, const struct iitems *l,
			const char *hash, const struct existing *e, struct err *err)
{
	struct db_stmt *st;
	enum order_stage stage = ORDER_STAGE_PENDING_AUDIT;
	int closed_midway = (o->pstatus == ORDER_PS_CLOSED || o->pstatus == ORDER_PS_REFUND_CLOSED) &&
			    !order_stage_parse(e->stage, &stage) && stage != ORDER_STAGE_CANCELLED &&
			    stage != ORDER_STAGE_SHIPPED && stage != ORDER_STAGE_DELIVERED;
	int rc = db_prepare(im->db, "UPDATE orders SET (" PLATFORM_COLS ") = (?, ?, ?, ?, ?, ?, ?,"
				    " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?),"
				    " exception = CASE WHEN ? = 1 THEN '平台订单已关闭,请处理' ELSE exception END,"
				    " content_hash = ?, import_id = ?, version = version + 1, updated_utc = ?"
				    " WHERE id = ?",
			    &st, err);
	if (rc)
		return rc;
	int i = bind_platform(st, o, l);
	db_bind_int(st, i++, closed_midway);
	db_bind_text(st, i++, hash);
	db_bind_int(st, i++, im->import_id);
	db_bind_int(st, i++, im->now);
	db_bind_int(st, i++, e->id);
	rc = db_run(st, err);
	db_done(st);
	if (!rc)
		rc = db_prepare(im->db, "DELETE FROM order_items WHERE order_id = ?", &st, err);
	if (!rc) {
		db_bind_int(st, 1, e->id);
		rc = db_run(st, err);
		db_done(st);
	}
	if (!rc)
		rc = items_insert(im, e->id, l, err);
	char *b = platform_json_new(e->status, e->tracking, e->courier, e->paid_fen, NULL);
	char *a = platform_json_new(o->status, o->tracking, o->courier, o->paid_fen, NULL);
	if (!rc && (!a || !b))
		rc = err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	if (!rc) {
		char id[32];
		snprintf(id, sizeof id, "%lld", (long long)e->id);
		struct audit_entry ae = { im->who, "order", id, "import_update", b, a, im->now };
		rc = audit_write(im->db, &ae, err);
	}
	xfree(a);
	xfree(b);
	if (!rc)
		im->c->updated++;
	return rc;
}

static int order_write(struct importer *im, struct irow *o, struct err *err)
{
	struct iitems l;
	struct existing e;
	char hash[17];
	int found, rc = items_load(im, o->order_no, &l, err);

	if (rc)
		return rc;
	row_checks(im, o);
	row_hash(o, &l, hash);
	int inserted;
	rc = order_insert(im, o, &l, hash, &inserted, err);
	if (rc || inserted)
		return rc;
	rc = existing_find(im, o->order_no, &e, &found, err);
	if (rc)
		return rc;
	if (!found)
		return err_set(err, ERR_CONFLICT, "", "订单导入冲突,请重试", "order import conflict; retry");
	if (strcmp(e.hash, hash) == 0) {
		im->c->unchanged++;
		return 0;
	}
	return order_update(im, o, &l, hash, &e, err);
}

/* ---------------------------------------------------------------- batches */

static int batch_end(struct importer *im, int64_t bytes, struct err *err)
{
	int rc = db_commit(im->db, err);
	if (rc)
		return rc;
	arena_free(im->arena);
	im->arena = arena_new(1 << 16);
	if (!im->arena)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	if (im->sink && im->sink->progress)
		rc = im->sink->progress(im->sink->ctx, bytes, im->c);
	return rc ? rc : db_begin(im->db, err);
}

static int order_row(struct importer *im, const struct csv_record *rec, const int *ix,
		     struct err *err)
{
	struct irow o;
	struct err why = ERR_INIT;
	const char *col = "";

	im->c->rows++;
	if (row_parse(im, rec, ix, &o, &col, &why))
		return reject(im, "orders", rec->line, col, &why);
	return order_write(im, &o, err);
}

static int64_t fd_offset(int fd)
{
	off_t off = lseek(fd, 0, SEEK_CUR);
	return off < 0 ? 0 : (int64_t)off;
}

static int import_orders(struct importer *im, int fd, struct err *err)
{
	struct csv r;
	struct csv_record rec;
	int ix[OC__COUNT], n = 0;

	csv_init_fd(&r, fd, NULL);
	int rc = read_header(&r, "orders", order_cols, OC__COUNT, ix, err);
	if (!rc)
		rc = db_begin(im->db, err);
	while (!rc) {
		struct err rerr = ERR_INIT;
		int got = csv_next(&r, &rec, &rerr);
		if (got == 0)
			break;
		if (got < 0) {
			im->c->rows++;
			rc = csv_row_error(im, &r, "orders", got, rec.line, &rerr, err);
			continue;
		}
		rc = order_row(im, &rec, ix, err);
		if (!rc && ++n % BATCH_ORDERS == 0)
			rc = batch_end(im, fd_offset(fd), err);
	}
	if (!rc)
		rc = db_commit(im->db, err);
	else
		db_rollback(im->db);
	if (!rc && im->sink && im->sink->progress)
		rc = im->sink->progress(im->sink->ctx, fd_offset(fd), im->c);
	csv_release(&r);
	return rc;
}

int import_taobao(struct db *db, const struct auth_user *who, int64_t store_id,
		  int64_t import_id, const struct import_src *src, const struct addr_table *addrs,
		  const struct policy *pol, int64_t now_utc, const struct import_sink *sink,
		  struct import_counts *out, struct err *err)
{
	struct importer im = { db, who, store_id, import_id, now_utc, addrs, pol, sink, out,
			       arena_new(1 << 16), SB_INIT, 0 };
	int rc = 0;

	memset(out, 0, sizeof *out);
	if (!im.arena)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	db_bulk_mode(db, 1);
	rc = inv_catalog_in_use(db, &im.stock_in_use, err);
	if (rc) {
		db_bulk_mode(db, 0);
		arena_free(im.arena);
		return rc;
	}
	if (src->items_fd >= 0)
		rc = stage_items(&im, src->items_fd, err);
	else
		rc = stage_create(db, err); /* an empty stage: orders without an items file */
	if (!rc)
		rc = import_orders(&im, src->orders_fd, err);
	struct err ignored = ERR_INIT;
	if (db_exec(db, "DELETE FROM import_items", &ignored))
		err_init(&ignored);
	db_bulk_mode(db, 0);
	arena_free(im.arena);
	sb_release(&im.clean);
	return rc;
}
