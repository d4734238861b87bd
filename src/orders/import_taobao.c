/*
 * import_taobao.c - streaming, idempotent import of the Taobao/Tmall exports.
 *
 * Pass 1 stages the items file (宝贝报表) in a temporary table keyed by 订单编号,
 * because the two files need not list orders in the same order and a million
 * orders' items do not belong in memory. Pass 2 reads the orders file row by
 * row and writes batches of orders, each order with its items, one transaction
 * per batch. Each order goes through the shared writer (import_write.h): the
 * content hash that tells "unchanged" from "updated", the audit of updates,
 * ORD-6 checks and auto-audit.
 */
#include "orders/import_taobao.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/db.h"
#include "io/csv.h"
#include "io/taobao_format.h"
#include "lib/arena.h"
#include "lib/cal.h"
#include "lib/money.h"
#include "lib/sb.h"
#include "orders/import_ahead.h"
#include "orders/order.h"
#include "lib/common.h"

/* Orders per transaction. Each commit writes every page the batch dirtied to
 * the WAL, and the buyer, receiver and tracking-number indexes take their keys
 * in random order, so a batch dirties about as many pages as it has orders:
 * 5,000-order batches wrote 8.3 GB for a 1M-order import (a 0.9 GB database),
 * 50,000-order batches 3.3 GB. A batch holds SQLite's write lock for a few
 * seconds at most, well inside other connections' busy timeout. */
#define BATCH_ORDERS 50000
/* Orders between emptyings of the arena (memory stays flat within a batch). */
#define ARENA_ORDERS 500

struct importer {
	struct import_writer w; /* the shared storage end: batch arena, counts, sink */
	struct sb clean;
};

static int reject(struct importer *im, const char *file, long line, const char *column,
		  const struct err *why)
{
	return import_writer_reject(&im->w, file, line, column, why);
}

/* A cleaned copy of a field in the batch arena (csv_clean: spaces, ="…", apostrophe). */
static const char *cell(struct arena *a, const struct csv_record *rec, int idx)
{
	size_t start;
	const char *raw = csv_field(rec, idx);
	size_t n = csv_clean_span(raw, strlen(raw), &start);
	const char *s = arena_strndup(a, raw + start, n);
	return s ? s : "";
}

static const char *code_cell(struct arena *a, const struct csv_record *rec, int idx)
{
	const char *s = cell(a, rec, idx);
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

/* A staged item row as the reader thread parsed it. */
struct staged_item {
	const char *order_no;
	struct import_line l;
};

/* Runs on the reader thread (import_ahead.h). */
static int parse_item(const void *ctx, struct arena *a, const struct csv_record *rec, void *data,
		      const char **bad_col, struct err *err)
{
	const int *ix = ctx;
	struct staged_item *si = data;
	struct import_line *it = &si->l;
	si->order_no = cell(a, rec, ix[IC_ORDER_NO]);
	if (!*si->order_no) {
		*bad_col = TAOBAO_ITEM_COL_ORDER_NO;
		return err_set(err, ERR_UNPROCESSABLE, "", "缺少订单编号", "order number missing");
	}
	if (money_parse(cell(a, rec, ix[IC_PRICE]), &it->price_fen, err)) {
		*bad_col = TAOBAO_ITEM_COL_PRICE;
		return ERR_UNPROCESSABLE;
	}
	if (positive_int(cell(a, rec, ix[IC_QTY]), 1000000, &it->qty)) {
		*bad_col = TAOBAO_ITEM_COL_QTY;
		return err_setf(err, ERR_UNPROCESSABLE, "", "购买数量「%s」不是正整数",
				"quantity \"%s\" is not a positive whole number",
				csv_field(rec, ix[IC_QTY]));
	}
	it->line = rec->line;
	it->title = cell(a, rec, ix[IC_TITLE]);
	it->outer = code_cell(a, rec, ix[IC_OUTER]);
	it->attrs = cell(a, rec, ix[IC_PROPS]);
	it->package = cell(a, rec, ix[IC_PACKAGE]);
	it->note = cell(a, rec, ix[IC_NOTE]);
	it->status = cell(a, rec, ix[IC_STATUS]);
	it->sku = code_cell(a, rec, ix[IC_SKU]);
	return 0;
}

static int item_stage(struct importer *im, const struct staged_item *si, struct err *err)
{
	struct db_stmt *st;
	const struct import_line *it = &si->l;
	int rc = db_prepare(im->w.db, "INSERT INTO import_items (order_no, line, title, price_fen, qty,"
				    " outer_id, attrs, package, note, status, sku_code)"
				    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			    &st, err);
	if (rc)
		return rc;
	db_bind_text_ref(st, 1, si->order_no);
	db_bind_int(st, 2, it->line);
	import_line_bind(st, 3, it);
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

/* Reads one file through the reader thread (import_ahead.h) and hands its
 * rows to write, inside a transaction that write may commit in batches. */
static int read_file(struct importer *im, int fd, const char *file, const struct csv_column *cols,
		     size_t ncols, int *ix, ahead_parse_fn parse, size_t size,
		     int (*write)(struct importer *, struct ahead *, struct err *), struct err *err)
{
	struct csv r;
	struct ahead *ah = NULL;

	csv_init_fd(&r, fd, NULL);
	int rc = read_header(&r, file, cols, ncols, ix, err);
	if (!rc)
		rc = ahead_start(&r, fd, parse, ix, size, &ah, err);
	if (!rc)
		rc = db_begin(im->w.db, err);
	if (!rc) {
		rc = write(im, ah, err);
		if (!rc)
			rc = db_commit(im->w.db, err);
		else
			db_rollback(im->w.db);
	}
	ahead_stop(ah); /* before r goes: the reader thread uses it */
	csv_release(&r);
	return rc;
}

static int stage_rows(struct importer *im, struct ahead *ah, struct err *err)
{
	int rc = 0;
	while (!rc) {
		const struct ahead_row *row = ahead_next(ah, &rc, err);
		if (!row)
			break;
		rc = row->rejected ? reject(im, "items", row->line, row->column, row->why)
				   : item_stage(im, row->data, err);
	}
	return rc;
}

static int stage_items(struct importer *im, int fd, struct err *err)
{
	int ix[IC__COUNT];
	int rc = stage_create(im->w.db, err);
	return rc ? rc : read_file(im, fd, "items", item_cols, IC__COUNT, ix, parse_item,
				   sizeof(struct staged_item), stage_rows, err);
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

static int money_cell(struct arena *a, const struct csv_record *rec, int idx, int required,
		      int64_t *out, struct err *err)
{
	const char *s = cell(a, rec, idx);
	*out = 0;
	if (!*s && !required)
		return 0;
	return money_parse(s, out, err);
}

static int time_cell(struct arena *a, const struct csv_record *rec, int idx, int required,
		     int64_t *out, struct err *err)
{
	const char *s = cell(a, rec, idx);
	*out = 0;
	if (!*s && !required)
		return 0;
	return cal_parse(s, out, err);
}

static int count_cell(struct arena *a, const struct csv_record *rec, int idx, int64_t *out)
{
	const char *s = cell(a, rec, idx);
	*out = 0;
	return *s ? positive_int(s, 1000000, out) : 0;
}

static const char *waybill(struct arena *a, const struct csv_record *rec, int idx)
{
	const char *raw = csv_field(rec, idx);
	size_t start, n = taobao_waybill_span(raw, strlen(raw), &start);
	const char *s = arena_strndup(a, raw + start, n);
	return s ? s : "";
}

/* The typed fields a row must have; *col names the column at fault. */
static int row_values(struct arena *a, const struct csv_record *rec, const int *ix,
		      struct import_order *o, const char **col, struct err *err)
{
	struct { int idx; int required; int64_t *out; } money[] = {
		{ OC_GOODS, 0, &o->goods_fen }, { OC_POSTAGE, 0, &o->postage_fen },
		{ OC_TOTAL, 0, &o->total_fen }, { OC_PAID, 1, &o->paid_fen },
		{ OC_REFUND, 0, &o->refund_fen },
	};
	for (size_t i = 0; i < ARRAY_SIZE(money); i++) {
		*col = order_cols[money[i].idx].name;
		if (money_cell(a, rec, ix[money[i].idx], money[i].required, money[i].out, err))
			return ERR_UNPROCESSABLE;
	}
	*col = TAOBAO_COL_CREATED;
	if (time_cell(a, rec, ix[OC_CREATED], 1, &o->created_utc, err))
		return ERR_UNPROCESSABLE;
	*col = TAOBAO_COL_PAID_AT;
	if (time_cell(a, rec, ix[OC_PAID_AT], 0, &o->paid_utc, err))
		return ERR_UNPROCESSABLE;
	*col = TAOBAO_COL_KINDS;
	if (count_cell(a, rec, ix[OC_KINDS], &o->kinds))
		return err_set(err, ERR_UNPROCESSABLE, "", "宝贝种类不是正整数", "item kinds is not a positive number");
	*col = TAOBAO_COL_QTY_TOTAL;
	if (count_cell(a, rec, ix[OC_QTY], &o->qty))
		return err_set(err, ERR_UNPROCESSABLE, "", "宝贝总数量不是正整数", "item quantity is not a positive number");
	return 0;
}

static int row_parse(struct arena *a, const struct csv_record *rec, const int *ix,
		     struct import_order *o, const char **col, struct err *err)
{
	memset(o, 0, sizeof *o);
	o->line = rec->line;
	o->order_no = cell(a, rec, ix[OC_ORDER_NO]);
	*col = TAOBAO_COL_ORDER_NO;
	if (!*o->order_no || strlen(o->order_no) > 64)
		return err_set(err, ERR_UNPROCESSABLE, "", "订单编号为空或过长",
			       "order number is empty or too long");
	o->status = cell(a, rec, ix[OC_STATUS]);
	o->pstatus = order_pstatus_parse(o->status);
	*col = TAOBAO_COL_STATUS;
	if (o->pstatus == ORDER_PS_UNKNOWN)
		return err_setf(err, ERR_UNPROCESSABLE, "", "无法识别的订单状态「%s」",
				"unknown order status \"%s\"", o->status);
	int rc = row_values(a, rec, ix, o, col, err);
	if (rc)
		return rc;
	o->nick = cell(a, rec, ix[OC_NICK]);
	o->alipay = cell(a, rec, ix[OC_ALIPAY]);
	o->message = cell(a, rec, ix[OC_MESSAGE]);
	o->receiver = cell(a, rec, ix[OC_RECEIVER]);
	o->address = cell(a, rec, ix[OC_ADDRESS]);
	o->ship_method = cell(a, rec, ix[OC_SHIP_METHOD]);
	o->title = cell(a, rec, ix[OC_TITLE]);
	o->tracking = waybill(a, rec, ix[OC_WAYBILL]);
	o->courier = code_cell(a, rec, ix[OC_COURIER]);
	o->memo = cell(a, rec, ix[OC_MEMO]);
	const char *mobile = cell(a, rec, ix[OC_MOBILE]);
	o->phone = *mobile ? mobile : cell(a, rec, ix[OC_PHONE]);
	return 0;
}

/* ---------------------------------------------------------------- writing */

static int items_push(struct importer *im, struct import_lines *l, struct db_stmt *st)
{
	struct import_line *it = import_lines_add(im->w.arena, l);
	if (!it)
		return ERR_NOMEM;
	it->line = db_col_int(st, 0);
	it->price_fen = db_col_int(st, 2);
	it->qty = db_col_int(st, 3);
	const char **text[] = { &it->title, &it->outer, &it->attrs, &it->package, &it->note,
				&it->status, &it->sku };
	const int cols[] = { 1, 4, 5, 6, 7, 8, 9 };
	for (size_t i = 0; i < ARRAY_SIZE(cols); i++) {
		const char *s = db_col_text(st, cols[i]);
		*text[i] = arena_strdup(im->w.arena, s ? s : "");
		if (!*text[i])
			return ERR_NOMEM;
	}
	return 0;
}

static int items_load(struct importer *im, const char *order_no, struct import_lines *l,
		      struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(im->w.db, "SELECT line, title, price_fen, qty, outer_id, attrs, package,"
				    " note, status, sku_code FROM import_items WHERE order_no = ?"
				    " ORDER BY line",
			    &st, err);
	if (rc)
		return rc;
	memset(l, 0, sizeof *l);
	db_bind_text_ref(st, 1, order_no);
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

static int order_write(struct importer *im, struct import_order *o, struct err *err)
{
	struct import_lines l;
	int rc = items_load(im, o->order_no, &l, err);

	return rc ? rc : import_write_order(&im->w, o, &l, err);
}

/* The reader thread's half (import_ahead.h): one row of the orders file. */
static int parse_order(const void *ctx, struct arena *a, const struct csv_record *rec,
		       void *o, const char **col, struct err *why)
{
	return row_parse(a, rec, ctx, o, col, why);
}

/* The writer's half: each parsed row written or rejected, batches committed. */
static int write_rows(struct importer *im, struct ahead *ah, struct err *err)
{
	int n = 0, rc = 0;
	while (!rc) {
		const struct ahead_row *row = ahead_next(ah, &rc, err);
		if (!row)
			break;
		im->w.c->rows++;
		if (row->rejected) {
			rc = reject(im, "orders", row->line, row->column, row->why);
		} else {
			struct import_order o = *(const struct import_order *)row->data;
			rc = order_write(im, &o, err);
		}
		++n;
		if (!rc && n % BATCH_ORDERS == 0)
			rc = import_writer_batch_end(&im->w, ahead_offset(ah), err);
		else if (!rc && n % ARENA_ORDERS == 0)
			rc = import_writer_arena_reset(&im->w, err);
	}
	return rc;
}

static int import_orders(struct importer *im, int fd, struct err *err)
{
	int ix[OC__COUNT];
	int rc = read_file(im, fd, "orders", order_cols, OC__COUNT, ix, parse_order,
			   sizeof(struct import_order), write_rows, err);
	off_t end = lseek(fd, 0, SEEK_CUR);
	if (!rc && im->w.sink && im->w.sink->progress)
		rc = im->w.sink->progress(im->w.sink->ctx, end < 0 ? 0 : (int64_t)end, im->w.c);
	return rc;
}

/* Taobao's order report runs 300-500 bytes an order; the low end errs
 * towards calling an import big. 0 when the size is unknown (a pipe). */
static int64_t expected_orders(int fd)
{
	struct stat sb;
	return fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) ? (int64_t)sb.st_size / 300 : 0;
}

int import_taobao(struct db *db, const struct auth_user *who, int64_t store_id,
		  int64_t import_id, const struct import_src *src, const struct addr_table *addrs,
		  const struct policy *pol, int64_t now_utc, const struct import_sink *sink,
		  struct import_counts *out, struct err *err)
{
	struct importer im = { .clean = SB_INIT };
	int rc = import_writer_init(&im.w, db, who, store_id, import_id, addrs, pol, now_utc, sink,
				    out, err);

	if (!rc && src->items_fd >= 0)
		rc = stage_items(&im, src->items_fd, err);
	else if (!rc)
		rc = stage_create(db, err); /* an empty stage: orders without an items file */
	if (!rc)
		rc = import_writer_defer_indexes(&im.w, expected_orders(src->orders_fd), err);
	if (!rc)
		rc = import_orders(&im, src->orders_fd, err);
	if (!rc)
		rc = import_writer_finish(&im.w, err);
	struct err ignored = ERR_INIT;
	if (db_exec(db, "DELETE FROM import_items", &ignored))
		err_init(&ignored);
	import_writer_release(&im.w);
	sb_release(&im.clean);
	return rc;
}
