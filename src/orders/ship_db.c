/*
 * ship_db.c - ORD-9 the tracking-number import and the bulk-ship export.
 *
 * Import, one CSV or XLSX row at a time (io/xlsx.h xlsx_table), each in its
 * own transaction:
 *   1. clean and check the cells (orders/ship.h);
 *   2. find the order by (store, 订单编号); when no order has that number and
 *      it reads "<order no>-K" (order_parcel_code_parse, as the parcel's
 *      waybill prints it), parcel K of that split order (ORD-10);
 *   3. shipped already with this number -> unchanged; with another -> refused;
 *      any stage but packed -> refused naming the stage; a split order's own
 *      number -> refused: its parcels ship, each by its "<order no>-K";
 *   4. the number on another order or parcel -> refused, unless that order is
 *      the same buyer at the same address in the same store (one parcel,
 *      ORD-10 merge) and, for a parcel, not another parcel of its own order;
 *   5. order_act(SHIP), or for a parcel order_parcel_act(SHIP) (its stock, its
 *      tracking number; the order follows its parcels), which joins this
 *      transaction and writes the timeline event and the audit row.
 * A refusal rolls back only its row; a database failure stops the import (the
 * rows before it stay shipped, and a re-run skips them as unchanged).
 */
#include "orders/ship_db.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "db/db.h"
#include "io/csv.h"
#include "io/xlsx.h"
#include "io/taobao_format.h"
#include "lib/sb.h"
#include "orders/order.h"
#include "orders/order_db.h"
#include "orders/order_merge_db.h"
#include "orders/ship.h"
#include "lib/common.h"

enum { SC_ORDER_NO, SC_COURIER, SC_TRACKING, SC__COUNT };

static const char *const order_no_aliases[] = { "订单号", "主订单编号", "平台订单号", "淘宝订单号",
						"订单ID", "order_no", NULL };
static const char *const courier_aliases[] = { "快递公司", "物流公司名称", "快递公司名称", "快递",
					       "courier", NULL };
static const char *const tracking_aliases[] = { "运单号", "快递单号", "运单编号", "物流编号",
						"tracking_no", NULL };

static const struct csv_column ship_cols[SC__COUNT] = {
	{ "订单编号", 1, order_no_aliases },
	{ "物流公司", 1, courier_aliases },
	{ "物流单号", 1, tracking_aliases },
};

struct shipper {
	struct db *db;
	const struct auth_user *who;
	int64_t store_id, now;
	int64_t rows, shipped, unchanged, rejected;
	char col_names[SC__COUNT][128]; /* as the file's header wrote them */
	json_t *errors;
};

/* A cleaned row. */
struct ship_line {
	long line;
	char order_no[SHIP_ORDER_NO_MAX + 1];
	char courier[SHIP_COURIER_MAX * 4 + 1];
	char tracking[SHIP_TRACKING_MAX + 1];
};

/* Row outcomes besides 0 = shipped. */
enum { ROW_UNCHANGED = 1, ROW_REFUSED = 2 };

static int reject(struct shipper *s, long line, int col, const char *reason)
{
	s->rejected++;
	if (json_array_size(s->errors) >= SHIP_ERRORS_KEPT)
		return 0;
	json_t *e = json_pack("{s:I,s:s,s:s}", "line", (json_int_t)line, "column",
			      col >= 0 ? s->col_names[col] : "", "reason", reason);
	if (!e || json_array_append_new(s->errors, e))
		return ERR_NOMEM;
	return 0;
}

/* ---------------------------------------------------------------- cells */

/* The cleaned cell into out; -1 when it does not fit. */
static int cell_copy(const char *raw, int waybill, char *out, size_t cap)
{
	size_t start, n = waybill ? taobao_waybill_span(raw, strlen(raw), &start)
				  : csv_clean_span(raw, strlen(raw), &start);
	if (n >= cap)
		return -1;
	memcpy(out, raw + start, n);
	out[n] = '\0';
	return 0;
}

static int row_parse(const struct csv_record *rec, const int *ix, struct ship_line *r, int *col,
		     struct err *why)
{
	char raw_tracking[SHIP_TRACKING_MAX * 2];
	r->line = rec->line;
	*col = SC_ORDER_NO;
	if (cell_copy(csv_field(rec, ix[SC_ORDER_NO]), 0, r->order_no, sizeof r->order_no))
		return err_set(why, ERR_UNPROCESSABLE, "", "订单编号过长", "order number too long");
	if (ship_order_no_check(r->order_no, why))
		return ERR_UNPROCESSABLE;
	*col = SC_COURIER;
	if (cell_copy(csv_field(rec, ix[SC_COURIER]), 0, r->courier, sizeof r->courier))
		return err_set(why, ERR_UNPROCESSABLE, "", "物流公司名称过长", "courier name too long");
	if (!*r->courier)
		return err_set(why, ERR_UNPROCESSABLE, "", "缺少物流公司", "courier missing");
	*col = SC_TRACKING;
	if (cell_copy(csv_field(rec, ix[SC_TRACKING]), 1, raw_tracking, sizeof raw_tracking))
		return err_set(why, ERR_UNPROCESSABLE, "", "快递单号过长", "tracking number too long");
	if (ship_tracking_norm(raw_tracking, r->tracking, why))
		return ERR_UNPROCESSABLE;
	*col = -1;
	return 0;
}

/* ---------------------------------------------------------------- checks */

/* What a row ships: an order, or (parcel_no set) parcel K of a split order,
 * whose own id, version, stage and tracking number are then the parcel's. */
struct ship_target {
	int64_t id, version;
	enum order_stage stage;
	int64_t split_parcels;
	char order_no[SHIP_ORDER_NO_MAX + 1];
	char tracking[SHIP_TRACKING_MAX * 2];
	int64_t parcel_no, parcel_id, parcel_version;
	enum order_stage parcel_stage;
	char parcel_tracking[SHIP_TRACKING_MAX * 2];
};

static enum order_stage stage_of(const char *s)
{
	enum order_stage st = ORDER_STAGE_PENDING_AUDIT;
	return s && !order_stage_parse(s, &st) ? st : ORDER_STAGE_PENDING_AUDIT;
}

static int target_find(struct db *db, int64_t store_id, const char *order_no,
		       struct ship_target *t, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT id, version, stage, tracking_no, split_parcels FROM orders"
				" WHERE store_id = ? AND platform_order_no = ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, store_id);
	db_bind_text(st, 2, order_no);
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		const char *tn = db_col_text(st, 3);
		t->id = db_col_int(st, 0);
		t->version = db_col_int(st, 1);
		t->stage = stage_of(db_col_text(st, 2));
		snprintf(t->tracking, sizeof t->tracking, "%s", tn ? tn : "");
		t->split_parcels = db_col_int(st, 4);
		snprintf(t->order_no, sizeof t->order_no, "%s", order_no);
		t->parcel_no = 0;
	}
	db_done(st);
	return rc;
}

/* ORD-10: parcel k of the order t found; DB_ROW or DB_DONE (no such parcel). */
static int parcel_find(struct db *db, int64_t k, struct ship_target *t, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT id, version, stage, tracking_no FROM order_parcels"
				" WHERE order_id = ? AND parcel_no = ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, t->id);
	db_bind_int(st, 2, k);
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		const char *tn = db_col_text(st, 3);
		t->parcel_no = k;
		t->parcel_id = db_col_int(st, 0);
		t->parcel_version = db_col_int(st, 1);
		t->parcel_stage = stage_of(db_col_text(st, 2));
		snprintf(t->parcel_tracking, sizeof t->parcel_tracking, "%s", tn ? tn : "");
	}
	db_done(st);
	return rc;
}

/* Another order or parcel already holding the tracking number, named into
 * other ("" when none): "X" or "X 包裹 K". The same buyer at the same address
 * in the same store shares a parcel (ORD-10 merge), so that is no clash;
 * another parcel of the order itself is (parcel_id: the row's parcel, 0 for
 * the order itself, whose parcels do not ship alone). */
static int tracking_clash(struct db *db, int64_t order_id, int64_t parcel_id, const char *tracking,
			  char *other, size_t cap, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT p.platform_order_no FROM orders p, orders o"
				" WHERE o.id = ? AND p.tracking_no = ? AND p.id <> o.id"
				" AND NOT (p.store_id = o.store_id AND p.buyer_nick = o.buyer_nick"
				" AND p.receiver_address = o.receiver_address) LIMIT 1",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, order_id);
	db_bind_text(st, 2, tracking);
	rc = db_step(st, err);
	other[0] = '\0';
	if (rc == DB_ROW)
		snprintf(other, cap, "%s", db_col_text(st, 0));
	db_done(st);
	if (rc < 0 || *other)
		return rc < 0 ? rc : 0;
	rc = db_prepare(db, "SELECT q.platform_order_no, pp.parcel_no FROM order_parcels pp"
			    " JOIN orders q ON q.id = pp.order_id, orders o"
			    " WHERE o.id = ? AND pp.tracking_no = ? AND pp.id <> ?"
			    " AND (q.id = o.id OR NOT (q.store_id = o.store_id"
			    " AND q.buyer_nick = o.buyer_nick AND q.receiver_address = o.receiver_address))"
			    " LIMIT 1",
			&st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, order_id);
	db_bind_text(st, 2, tracking);
	db_bind_int(st, 3, parcel_id);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		snprintf(other, cap, "%s 包裹 %lld", db_col_text(st, 0), (long long)db_col_int(st, 1));
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* Finds what row r names: the order by its number, else parcel K by
 * "<order no>-K". ROW_REFUSED (why set) when neither exists. */
static int target_of(struct shipper *s, const struct ship_line *r, struct ship_target *t,
		     struct err *why, struct err *err)
{
	char no[SHIP_ORDER_NO_MAX + 1];
	int64_t k;
	int rc = target_find(s->db, s->store_id, r->order_no, t, err);
	if (rc != DB_DONE)
		return rc < 0 ? rc : 0;
	if (order_parcel_code_parse(r->order_no, no, sizeof no, &k) == 0) {
		rc = target_find(s->db, s->store_id, no, t, err);
		if (rc == DB_ROW)
			rc = parcel_find(s->db, k, t, err);
		if (rc == DB_ROW)
			return 0;
		if (rc < 0)
			return rc;
		if (t->id) { /* the order exists, its parcel K does not */
			if (t->split_parcels)
				err_setf(why, ERR_NOT_FOUND, "", "订单「%s」没有包裹 %lld(共 %lld 个包裹)",
					 "order \"%s\" has no parcel %lld (it has %lld)", no, (long long)k,
					 (long long)t->split_parcels);
			else
				err_setf(why, ERR_NOT_FOUND, "", "订单「%s」没有拆单,没有包裹 %lld",
					 "order \"%s\" is not split and has no parcel %lld", no, (long long)k);
			return ROW_REFUSED;
		}
	}
	err_setf(why, ERR_NOT_FOUND, "", "店铺中没有订单「%s」", "no order \"%s\" in the store",
		 r->order_no);
	return ROW_REFUSED;
}

/* ORD-10: the checks of step 3 for parcel K. */
static int parcel_check(const struct ship_line *r, const struct ship_target *t, int *col,
			struct err *why)
{
	if (t->parcel_stage == ORDER_STAGE_SHIPPED) {
		if (strcasecmp(t->parcel_tracking, r->tracking) == 0)
			return ROW_UNCHANGED;
		*col = SC_TRACKING;
		err_setf(why, ERR_UNPROCESSABLE, "",
			 "订单 %s 包裹 %lld/%lld 已发货,快递单号为 %s;发货后的更正请交售后处理",
			 "order %s parcel %lld/%lld was shipped with %s; corrections after shipping go"
			 " to after-sales",
			 t->order_no, (long long)t->parcel_no, (long long)t->split_parcels,
			 t->parcel_tracking);
		return ROW_REFUSED;
	}
	if (t->parcel_stage != ORDER_STAGE_PACKED) {
		char zh[256], en[256];
		snprintf(zh, sizeof zh, "订单 %s 包裹 %lld/%lld 阶段为「%s」,打包称重后才能发货",
			 t->order_no, (long long)t->parcel_no, (long long)t->split_parcels,
			 order_stage_label_zh(t->parcel_stage));
		snprintf(en, sizeof en, "order %s parcel %lld/%lld is %s; it ships once packed and weighed",
			 t->order_no, (long long)t->parcel_no, (long long)t->split_parcels,
			 order_stage_name(t->parcel_stage));
		err_set(why, ERR_UNPROCESSABLE, "", zh, en);
		return ROW_REFUSED;
	}
	return 0;
}

/* The checks of step 3 for an order. */
static int order_check(const struct ship_line *r, const struct ship_target *t, int *col,
		       struct err *why)
{
	int shipped = t->stage == ORDER_STAGE_SHIPPED || t->stage == ORDER_STAGE_DELIVERED;
	if (shipped && strcasecmp(t->tracking, r->tracking) == 0)
		return ROW_UNCHANGED;
	if (t->split_parcels) { /* ORD-10: its parcels ship, each by its own code */
		err_setf(why, ERR_UNPROCESSABLE, "",
			 "订单已拆成 %lld 个包裹,请按包裹导入:订单编号写作 %s-1 至 %s-%lld",
			 "the order is split into %lld parcels; import each parcel as %s-1 to %s-%lld",
			 (long long)t->split_parcels, r->order_no, r->order_no,
			 (long long)t->split_parcels);
		return ROW_REFUSED;
	}
	if (shipped) {
		*col = SC_TRACKING;
		err_setf(why, ERR_UNPROCESSABLE, "", "订单已发货,快递单号为 %s;发货后的更正请交售后处理",
			 "the order was shipped with %s; corrections after shipping go to after-sales",
			 t->tracking);
		return ROW_REFUSED;
	}
	if (t->stage != ORDER_STAGE_PACKED) {
		char zh[160], en[160];
		snprintf(zh, sizeof zh, "订单阶段为「%s」,打包称重后才能发货",
			 order_stage_label_zh(t->stage));
		snprintf(en, sizeof en, "the order is %s; it ships once packed and weighed",
			 order_stage_name(t->stage));
		err_set(why, ERR_UNPROCESSABLE, "", zh, en);
		return ROW_REFUSED;
	}
	return 0;
}

/* ROW_UNCHANGED, ROW_REFUSED (why and *col set) or 0 when the order or parcel
 * may ship. */
static int row_check(struct shipper *s, const struct ship_line *r, struct ship_target *t,
		     int *col, struct err *why, struct err *err)
{
	char other[SHIP_ORDER_NO_MAX + 32] = "";
	int rc;
	*col = SC_ORDER_NO;
	memset(t, 0, sizeof *t);
	rc = target_of(s, r, t, why, err);
	if (!rc)
		rc = t->parcel_no ? parcel_check(r, t, col, why) : order_check(r, t, col, why);
	if (!rc)
		rc = tracking_clash(s->db, t->id, t->parcel_id, r->tracking, other, sizeof other, err);
	if (rc)
		return rc;
	if (*other) {
		*col = SC_TRACKING;
		err_setf(why, ERR_CONFLICT, "", "快递单号 %s 已用于订单 %s",
			 "tracking number %s is already on order %s", r->tracking, other);
		return ROW_REFUSED;
	}
	return 0;
}

/* A refusal the row reports, as opposed to a failure that stops the import. */
static int row_level(int code)
{
	return code == ERR_UNPROCESSABLE || code == ERR_CONFLICT || code == ERR_NOT_FOUND;
}

static int row_apply(struct shipper *s, const struct ship_line *r, struct err *err)
{
	struct ship_target t;
	struct err why = ERR_INIT;
	int col = -1;
	int rc = db_begin(s->db, err);
	if (rc)
		return rc;
	rc = row_check(s, r, &t, &col, &why, err);
	if (rc == 0 && t.parcel_no) {
		const char *platform = ship_courier_platform_name(r->courier);
		struct order_parcel_args a = { .expect_version = t.parcel_version,
					       .courier = platform ? platform : r->courier,
					       .tracking_no = r->tracking };
		rc = order_parcel_act(s->db, s->who, t.id, t.parcel_no, ORDER_ACT_SHIP, 0, &a, s->now,
				      &why);
		if (rc && row_level(rc)) {
			col = -1;
			rc = ROW_REFUSED;
		} else if (rc) {
			err_set(err, rc, why.field, why.msg_zh, why.msg_en);
		}
	} else if (rc == 0) {
		const char *platform = ship_courier_platform_name(r->courier);
		struct order_act_args a = { .expect_version = t.version,
					    .courier = platform ? platform : r->courier,
					    .tracking_no = r->tracking };
		rc = order_act(s->db, s->who, t.id, ORDER_ACT_SHIP, &a, s->now, &why);
		if (rc && row_level(rc)) {
			col = -1;
			rc = ROW_REFUSED;
		} else if (rc) {
			err_set(err, rc, why.field, why.msg_zh, why.msg_en);
		}
	}
	if (rc == 0) {
		s->shipped++;
		return db_commit(s->db, err);
	}
	db_rollback(s->db);
	if (rc == ROW_UNCHANGED)
		s->unchanged++;
	else if (rc == ROW_REFUSED)
		return reject(s, r->line, col, why.msg_zh);
	return rc < 0 ? rc : 0;
}

/* ---------------------------------------------------------------- import */

static int read_header(struct xlsx_table *c, struct shipper *s, int *ix, struct err *err)
{
	struct csv_record rec;
	int rc = xlsx_table_next(c, &rec, err);
	if (rc == 0)
		return err_set(err, ERR_UNPROCESSABLE, "file", "文件是空的", "the file is empty");
	if (rc < 0)
		return rc;
	rc = csv_map_header(&rec, ship_cols, SC__COUNT, ix, err);
	for (int i = 0; !rc && i < SC__COUNT; i++)
		if (cell_copy(csv_field(&rec, ix[i]), 0, s->col_names[i], sizeof s->col_names[i]))
			snprintf(s->col_names[i], sizeof s->col_names[i], "%s", ship_cols[i].name);
	return rc;
}

static int rows_run(struct xlsx_table *c, struct shipper *s, const int *ix, struct err *err)
{
	struct csv_record rec;
	int rc = 0;
	while (!rc) {
		struct err rerr = ERR_INIT, why = ERR_INIT;
		struct ship_line r;
		int col;
		int got = xlsx_table_next(c, &rec, &rerr);
		if (got == 0)
			break;
		s->rows++;
		if (got < 0 && !xlsx_table_fatal(c))
			rc = reject(s, rec.line, -1, rerr.msg_zh);
		else if (got < 0)
			rc = err_set(err, got, rerr.field, rerr.msg_zh, rerr.msg_en);
		else if (row_parse(&rec, ix, &r, &col, &why))
			rc = reject(s, rec.line, col, why.msg_zh);
		else
			rc = row_apply(s, &r, err);
	}
	return rc;
}

int ship_tracking_import(struct db *db, const struct auth_user *who, int64_t store_id, int fd,
			 int64_t now_utc, json_t **result, struct err *err)
{
	struct shipper s = { .db = db, .who = who, .store_id = store_id, .now = now_utc };
	struct xlsx_table c;
	int ix[SC__COUNT];
	int rc;

	*result = NULL;
	s.errors = json_array();
	if (!s.errors)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	xlsx_table_init_fd(&c, fd);
	rc = read_header(&c, &s, ix, err);
	if (!rc)
		rc = rows_run(&c, &s, ix, err);
	xlsx_table_release(&c);
	if (rc) {
		json_decref(s.errors);
		return rc == ERR_NOMEM ? err_set(err, ERR_NOMEM, "", "内存不足", "out of memory") : rc;
	}
	*result = json_pack("{s:I,s:I,s:I,s:I,s:o}", "rows", (json_int_t)s.rows, "shipped",
			    (json_int_t)s.shipped, "unchanged", (json_int_t)s.unchanged, "rejected",
			    (json_int_t)s.rejected, "errors", s.errors);
	return *result ? 0 : err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
}

/* ---------------------------------------------------------------- export */

int ship_export_each(struct db *db, int64_t store_id, int64_t from_utc, int64_t to_utc,
		     int (*fn)(const struct ship_row *r, void *ctx), void *ctx,
		     struct err *err)
{
	struct db_stmt *st;
	struct ship_row r;
	/* The ship time is the ship event's: orders keep no column for it. */
	int rc = db_prepare(db, "SELECT x.platform_order_no, x.courier, x.tracking_no, x.at FROM"
				" (SELECT o.id, o.platform_order_no, o.courier, o.tracking_no,"
				" (SELECT MAX(e.at_utc) FROM order_events e WHERE e.order_id = o.id"
				" AND e.action = 'ship') AS at"
				" FROM orders o WHERE o.store_id = ? AND o.stage IN ('shipped', 'delivered')"
				" AND o.tracking_no <> '') x"
				" WHERE x.at IS NOT NULL AND (CAST(? AS BIGINT) = 0 OR x.at >= ?)"
				" AND (CAST(? AS BIGINT) = 0 OR x.at < ?) ORDER BY x.at, x.id",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, store_id);
	db_bind_int(st, 2, from_utc);
	db_bind_int(st, 3, from_utc);
	db_bind_int(st, 4, to_utc);
	db_bind_int(st, 5, to_utc);
	while ((rc = db_step(st, err)) == DB_ROW) {
		r.order_no = db_col_text(st, 0);
		r.courier = db_col_text(st, 1);
		r.tracking_no = db_col_text(st, 2);
		r.shipped_utc = db_col_int(st, 3);
		rc = fn(&r, ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}
