/*
 * recon_db.c - ORD-11 courier bill import, matching and flags; reads.
 *
 * Import, all in one transaction:
 *   1. the bill row (one per courier key and month);
 *   2. each CSV row: tracking number, weight, fee read (orders/ship.h,
 *      orders/recon.h) or the row rejected by line, column and reason; the
 *      line matched to an order by tracking_no, else by the platform's
 *      tracking number; flagged duplicate / billed before / unknown / weight
 *      (recon_line_flags) and stored;
 *   3. the fee check over the stored lines (recon_fee_outliers), which needs
 *      the whole bill: medians per started kilogram;
 *   4. the orders we shipped with this courier in the month that the bill
 *      lacks, stored as "missing" rows;
 *   5. the counts on the bill row, and the audit row.
 */
#include "orders/recon_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "db/db.h"
#include "io/csv.h"
#include "io/xlsx.h"
#include "io/taobao_format.h"
#include "lib/cal.h"
#include "lib/xalloc.h"
#include "orders/ship.h"
#include "lib/common.h"

enum { RC_TRACKING, RC_WEIGHT, RC_FEE, RC__COUNT };

static const char *const tracking_aliases[] = { "快递单号", "物流单号", "运单编号", "单号", "面单号",
						"tracking_no", NULL };
static const char *const weight_aliases[] = {
	"重量(kg)", "重量（kg）", "重量(KG)", "重量(公斤)", "重量（公斤）", "计费重量", "计费重量(kg)",
	"结算重量", "结算重量(kg)", "weight_kg", "重量(g)", "重量（g）", "重量(克)", "重量（克）",
	"计费重量(g)", "weight_g", NULL };
static const char *const fee_aliases[] = { "费用", "金额", "快递费", "运费(元)", "运费（元）", "结算金额",
					   "应付金额", "总费用", "fee", NULL };

static const struct csv_column bill_cols[RC__COUNT] = {
	{ "运单号", 1, tracking_aliases },
	{ "重量", 1, weight_aliases },
	{ "运费", 1, fee_aliases },
};

struct recon_counts {
	int64_t rows, lines, matched, rejected, diff;
	int64_t flag[RECON_FLAG_COUNT];
	int64_t fee_total_fen, weight_total_g, weight_over_g;
};

struct billing {
	struct db *db;
	const struct auth_user *who;
	const struct recon_import *in;
	int64_t bill_id, from_utc, to_utc, now;
	char key[SHIP_KEY_MAX];
	char period[8];
	int unit_kg;
	char col_names[RC__COUNT][128];
	struct recon_counts c;
	json_t *errors, *brackets;
};

static int nomem(struct err *err)
{
	return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
}

static void count_flags(struct recon_counts *c, unsigned flags)
{
	for (int i = 0; i < RECON_FLAG_COUNT; i++)
		if (flags & (1u << i))
			c->flag[i]++;
	if (flags)
		c->diff++;
}

/* ---------------------------------------------------------------- the bill row */

static int bill_existing(struct db *db, const char *key, const char *period, int64_t *id,
			 struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT id FROM courier_bills WHERE courier_key = ? AND period = ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, key);
	db_bind_text(st, 2, period);
	rc = db_step(st, err);
	*id = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int bill_insert(struct billing *b, struct err *err)
{
	struct db_stmt *st;
	int64_t old;
	int rc = bill_existing(b->db, b->key, b->period, &old, err);
	if (!rc && old)
		return err_setf(err, ERR_CONFLICT, "period", "该快递公司 %s 的账单已导入(账单 %lld)",
				"this courier's bill for %s is already imported (bill %lld)", b->period,
				(long long)old);
	if (!rc)
		rc = db_prepare(b->db, "INSERT INTO courier_bills (courier, courier_key, period, filename,"
				       " weight_tolerance_g, fee_tolerance_pct, fee_min_lines, imported_utc,"
				       " user_id, username) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
				&st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, b->in->courier);
	db_bind_text(st, 2, b->key);
	db_bind_text(st, 3, b->period);
	db_bind_text(st, 4, b->in->filename ? b->in->filename : "");
	db_bind_int(st, 5, b->in->pol.weight_tolerance_g);
	db_bind_int(st, 6, b->in->pol.fee_tolerance_pct);
	db_bind_int(st, 7, b->in->pol.fee_min_lines);
	db_bind_int(st, 8, b->now);
	if (b->who)
		db_bind_int(st, 9, b->who->id);
	else
		db_bind_null(st, 9);
	db_bind_text(st, 10, b->who ? b->who->username : "system");
	rc = db_step(st, err);
	if (rc == DB_ROW)
		b->bill_id = db_col_int(st, 0);
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* ---------------------------------------------------------------- one line */

struct bill_line {
	long line;
	char tracking[SHIP_TRACKING_MAX + 1];
	int64_t weight_g, fee_fen;
	int64_t order_id, our_weight_g; /* 0 / -1 when unknown / unweighed */
	unsigned flags;
};

static int reject(struct billing *b, long line, int col, const char *reason)
{
	b->c.rejected++;
	if (json_array_size(b->errors) >= RECON_ERRORS_KEPT)
		return 0;
	json_t *e = json_pack("{s:I,s:s,s:s}", "line", (json_int_t)line, "column",
			      col >= 0 ? b->col_names[col] : "", "reason", reason);
	return e && !json_array_append_new(b->errors, e) ? 0 : ERR_NOMEM;
}

/* The cleaned cell (csv_clean; for tracking numbers also the "No:" prefix). */
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

static int line_parse(const struct billing *b, const struct csv_record *rec, const int *ix,
		      struct bill_line *l, int *col, struct err *why)
{
	char cell[128];
	memset(l, 0, sizeof *l);
	l->line = rec->line;
	l->our_weight_g = -1;
	*col = RC_TRACKING;
	if (cell_copy(csv_field(rec, ix[RC_TRACKING]), 1, cell, sizeof cell))
		return err_set(why, ERR_UNPROCESSABLE, "", "运单号过长", "tracking number too long");
	if (ship_tracking_norm(cell, l->tracking, why))
		return ERR_UNPROCESSABLE;
	*col = RC_WEIGHT;
	if (cell_copy(csv_field(rec, ix[RC_WEIGHT]), 0, cell, sizeof cell) ||
	    recon_weight_parse(cell, b->unit_kg, &l->weight_g, why))
		return err_set(why, ERR_UNPROCESSABLE, "", "重量无法识别", "weight not understood");
	*col = RC_FEE;
	if (cell_copy(csv_field(rec, ix[RC_FEE]), 0, cell, sizeof cell) ||
	    recon_fee_parse(cell, &l->fee_fen, why))
		return err_set(why, ERR_UNPROCESSABLE, "", "运费无法识别", "fee not understood");
	return 0;
}

/* Our order for a tracking number: ours first, then the platform's. */
static int line_match(struct db *db, struct bill_line *l, struct err *err)
{
	static const char *const sql[2] = {
		"SELECT id, weight_g FROM orders WHERE tracking_no = ? ORDER BY id LIMIT 1",
		"SELECT id, weight_g FROM orders WHERE platform_tracking_no = ? ORDER BY id LIMIT 1",
	};
	for (int i = 0; i < 2 && !l->order_id; i++) {
		struct db_stmt *st;
		int rc = db_prepare(db, sql[i], &st, err);
		if (rc)
			return rc;
		db_bind_text(st, 1, l->tracking);
		rc = db_step(st, err);
		if (rc == DB_ROW) {
			l->order_id = db_col_int(st, 0);
			l->our_weight_g = db_col_is_null(st, 1) ? -1 : db_col_int(st, 1);
		}
		db_done(st);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int exists(struct db *db, const char *sql, int64_t id, const char *text, const char *text2,
		  int *found, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, sql, &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, text);
	if (text2)
		db_bind_text(st, 3, text2);
	rc = db_step(st, err);
	*found = rc == DB_ROW;
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int line_flag(struct billing *b, struct bill_line *l, struct err *err)
{
	int dup = 0, before = 0;
	int rc = line_match(b->db, l, err);
	if (!rc)
		rc = exists(b->db, "SELECT 1 FROM courier_bill_lines WHERE bill_id = ? AND tracking_no = ?"
				   " AND line_no > 0 LIMIT 1",
			    b->bill_id, l->tracking, NULL, &dup, err);
	if (!rc)
		rc = exists(b->db, "SELECT 1 FROM courier_bill_lines l JOIN courier_bills b ON b.id = l.bill_id"
				   " WHERE l.bill_id <> ? AND l.tracking_no = ? AND b.courier_key = ?"
				   " AND l.line_no > 0 LIMIT 1",
			    b->bill_id, l->tracking, b->key, &before, err);
	l->flags = recon_line_flags(l->order_id != 0, l->weight_g, l->our_weight_g,
				    b->in->pol.weight_tolerance_g, dup, before);
	return rc;
}

static void bind_opt(struct db_stmt *st, int idx, int has, int64_t v)
{
	if (has)
		db_bind_int(st, idx, v);
	else
		db_bind_null(st, idx);
}

/* billed: 0 on a missing row (no weight, no fee from the bill). */
static int line_insert(struct billing *b, const struct bill_line *l, int billed, struct err *err)
{
	struct db_stmt *st;
	int both = billed && l->order_id && l->our_weight_g >= 0;
	int rc = db_prepare(b->db, "INSERT INTO courier_bill_lines (bill_id, line_no, tracking_no,"
				   " weight_g, fee_fen, order_id, our_weight_g, weight_diff_g, flags)"
				   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, b->bill_id);
	db_bind_int(st, 2, l->line);
	db_bind_text(st, 3, l->tracking);
	bind_opt(st, 4, billed, l->weight_g);
	bind_opt(st, 5, billed, l->fee_fen);
	bind_opt(st, 6, l->order_id != 0, l->order_id);
	bind_opt(st, 7, l->order_id && l->our_weight_g >= 0, l->our_weight_g);
	bind_opt(st, 8, both, l->weight_g - l->our_weight_g);
	db_bind_int(st, 9, l->flags);
	rc = db_run(st, err);
	db_done(st);
	return rc;
}

static void line_count(struct recon_counts *c, const struct bill_line *l)
{
	c->lines++;
	c->matched += l->order_id != 0;
	c->fee_total_fen += l->fee_fen;
	c->weight_total_g += l->weight_g;
	if (l->flags & RECON_WEIGHT_OVER)
		c->weight_over_g += l->weight_g - l->our_weight_g;
	count_flags(c, l->flags);
}

/* ---------------------------------------------------------------- rows */

static int read_header(struct xlsx_table *c, struct billing *b, int *ix, struct err *err)
{
	struct csv_record rec;
	int rc = xlsx_table_next(c, &rec, err);
	if (rc == 0)
		return err_set(err, ERR_UNPROCESSABLE, "file", "账单文件是空的", "the bill file is empty");
	if (rc < 0)
		return rc;
	rc = csv_map_header(&rec, bill_cols, RC__COUNT, ix, err);
	for (int i = 0; !rc && i < RC__COUNT; i++)
		if (cell_copy(csv_field(&rec, ix[i]), 0, b->col_names[i], sizeof b->col_names[i]))
			snprintf(b->col_names[i], sizeof b->col_names[i], "%s", bill_cols[i].name);
	if (!rc)
		b->unit_kg = recon_header_unit_kg(b->col_names[RC_WEIGHT]);
	return rc;
}

static int row_take(struct billing *b, const struct csv_record *rec, const int *ix,
		    struct err *err)
{
	struct bill_line l;
	struct err why = ERR_INIT;
	int col;
	if (line_parse(b, rec, ix, &l, &col, &why))
		return reject(b, rec->line, col, why.msg_zh);
	int rc = line_flag(b, &l, err);
	if (!rc)
		rc = line_insert(b, &l, 1, err);
	if (!rc)
		line_count(&b->c, &l);
	return rc;
}

static int rows_run(struct xlsx_table *c, struct billing *b, const int *ix, struct err *err)
{
	struct csv_record rec;
	int rc = 0;
	while (!rc) {
		struct err rerr = ERR_INIT;
		int got = xlsx_table_next(c, &rec, &rerr);
		if (got == 0)
			break;
		b->c.rows++;
		if (got < 0 && !xlsx_table_fatal(c))
			rc = reject(b, rec.line, -1, rerr.msg_zh);
		else if (got < 0)
			rc = err_set(err, got, rerr.field, rerr.msg_zh, rerr.msg_en);
		else
			rc = row_take(b, &rec, ix, err);
	}
	return rc == ERR_NOMEM ? nomem(err) : rc;
}

/* ---------------------------------------------------------------- fees */

static int fees_load(struct billing *b, struct recon_fee **out, size_t *n, struct err *err)
{
	struct db_stmt *st;
	size_t cap = (size_t)b->c.lines + 1;
	struct recon_fee *v = xmalloc(cap * sizeof *v);
	int rc = v ? db_prepare(b->db, "SELECT id, weight_g, fee_fen, flags FROM courier_bill_lines"
				      " WHERE bill_id = ? AND line_no > 0",
				&st, err)
		   : nomem(err);
	*out = v;
	*n = 0;
	if (rc)
		return rc;
	db_bind_int(st, 1, b->bill_id);
	while ((rc = db_step(st, err)) == DB_ROW && *n < cap) {
		v[*n].id = db_col_int(st, 0);
		v[*n].weight_g = db_col_int(st, 1);
		v[*n].fee_fen = db_col_int(st, 2);
		v[*n].flags = (unsigned)db_col_int(st, 3);
		(*n)++;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static void bracket_add(const struct recon_bracket *br, void *ctx)
{
	json_t *j = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:b}", "kg", (json_int_t)br->kg, "lines",
			      (json_int_t)br->lines, "median_fen", (json_int_t)br->median_fen,
			      "fee_per_kg_fen", (json_int_t)(br->median_fen / br->kg), "total_fen",
			      (json_int_t)br->total_fen, "high", (json_int_t)br->high, "judged",
			      br->judged);
	json_array_append_new(ctx, j);
}

static int fee_mark(struct billing *b, const struct recon_fee *f, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(b->db, "UPDATE courier_bill_lines SET flags = ? WHERE id = ?", &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, f->flags);
	db_bind_int(st, 2, f->id);
	rc = db_run(st, err);
	db_done(st);
	/* the line's other flags were counted when it was stored */
	b->c.flag[__builtin_ctz(RECON_FEE_HIGH)]++;
	if (f->flags == RECON_FEE_HIGH)
		b->c.diff++;
	return rc;
}

static int fees_check(struct billing *b, struct err *err)
{
	struct recon_fee *v;
	size_t n;
	int rc = fees_load(b, &v, &n, err);
	if (!rc)
		recon_fee_outliers(v, n, &b->in->pol, bracket_add, b->brackets);
	for (size_t i = 0; !rc && i < n; i++)
		if (v[i].flags & RECON_FEE_HIGH)
			rc = fee_mark(b, &v[i], err);
	xfree(v);
	return rc;
}

/* ---------------------------------------------------------------- missing */

struct shipped {
	int64_t order_id, weight_g;
	char tracking[SHIP_TRACKING_MAX + 1];
};

/* Our orders shipped in the month with this courier (by courier key) whose
 * tracking number the bill lacks. Collected before inserting, so the reading
 * statement never sees its own inserts. */
static int missing_collect(struct billing *b, struct shipped **out, size_t *n, struct err *err)
{
	struct db_stmt *st;
	size_t cap = 0;
	int rc = db_prepare(b->db, "SELECT o.id, o.weight_g, o.tracking_no, o.courier FROM orders o"
				   " WHERE o.stage IN ('shipped', 'delivered') AND o.tracking_no <> ''"
				   " AND EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = o.id"
				   " AND e.action = 'ship' AND e.at_utc >= ? AND e.at_utc < ?)"
				   " AND NOT EXISTS (SELECT 1 FROM courier_bill_lines l"
				   " WHERE l.bill_id = ? AND l.tracking_no = o.tracking_no) ORDER BY o.id",
			    &st, err);
	*out = NULL;
	*n = 0;
	if (rc)
		return rc;
	db_bind_int(st, 1, b->from_utc);
	db_bind_int(st, 2, b->to_utc);
	db_bind_int(st, 3, b->bill_id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		char key[SHIP_KEY_MAX];
		const char *tn = db_col_text(st, 2);
		ship_courier_key(db_col_text(st, 3), key, sizeof key);
		if (strcmp(key, b->key) != 0 || strlen(tn) > SHIP_TRACKING_MAX)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			struct shipped *grown = xrealloc(*out, cap * sizeof **out);
			if (!grown) {
				rc = nomem(err);
				break;
			}
			*out = grown;
		}
		struct shipped *s = &(*out)[(*n)++];
		s->order_id = db_col_int(st, 0);
		s->weight_g = db_col_is_null(st, 1) ? -1 : db_col_int(st, 1);
		snprintf(s->tracking, sizeof s->tracking, "%s", tn);
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int missing_add(struct billing *b, struct err *err)
{
	struct shipped *v;
	size_t n;
	int rc = missing_collect(b, &v, &n, err);
	for (size_t i = 0; !rc && i < n; i++) {
		struct bill_line l = { .line = 0, .order_id = v[i].order_id,
				       .our_weight_g = v[i].weight_g, .flags = RECON_MISSING };
		snprintf(l.tracking, sizeof l.tracking, "%s", v[i].tracking);
		rc = line_insert(b, &l, 0, err);
		count_flags(&b->c, l.flags);
	}
	xfree(v);
	return rc;
}

/* ---------------------------------------------------------------- summary */

static json_t *flags_json(const int64_t *flag)
{
	json_t *o = json_object();
	for (int i = 0; i < RECON_FLAG_COUNT; i++)
		json_object_set_new(o, recon_flag_name(i), json_integer(flag[i]));
	return o;
}

static char *json_text_new(json_t *j)
{
	char *t = j ? json_dumps(j, JSON_COMPACT) : NULL;
	char *copy = t ? xstrdup(t) : NULL;
	free(t); /* jansson's allocation */
	return copy;
}

static int bill_finish(struct billing *b, const char *errors, const char *brackets,
		       struct err *err)
{
	struct db_stmt *st;
	const struct recon_counts *c = &b->c;
	int rc = db_prepare(b->db, "UPDATE courier_bills SET n_rows = ?, n_lines = ?, n_matched = ?,"
				   " n_unknown = ?, n_duplicate = ?, n_billed_before = ?, n_weight_over = ?,"
				   " n_weight_under = ?, n_unweighed = ?, n_fee_high = ?, n_missing = ?,"
				   " n_rejected = ?, n_diff = ?, fee_total_fen = ?, weight_total_g = ?,"
				   " weight_over_g = ?, brackets = ?, errors = ? WHERE id = ?",
			    &st, err);
	if (rc)
		return rc;
	int i = 1;
	db_bind_int(st, i++, c->rows);
	db_bind_int(st, i++, c->lines);
	db_bind_int(st, i++, c->matched);
	for (int f = 0; f < RECON_FLAG_COUNT; f++)
		db_bind_int(st, i++, c->flag[f]);
	db_bind_int(st, i++, c->rejected);
	db_bind_int(st, i++, c->diff);
	db_bind_int(st, i++, c->fee_total_fen);
	db_bind_int(st, i++, c->weight_total_g);
	db_bind_int(st, i++, c->weight_over_g);
	db_bind_text(st, i++, brackets);
	db_bind_text(st, i++, errors);
	db_bind_int(st, i, b->bill_id);
	rc = db_run(st, err);
	db_done(st);
	return rc;
}

static int bill_audit(struct billing *b, struct err *err)
{
	char id[32];
	const struct recon_counts *c = &b->c;
	json_t *j = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:o}", "courier", b->in->courier,
			      "period", b->period, "lines", (json_int_t)c->lines, "matched",
			      (json_int_t)c->matched, "rejected", (json_int_t)c->rejected, "diff",
			      (json_int_t)c->diff, "fee_total_fen", (json_int_t)c->fee_total_fen,
			      "flags", flags_json(c->flag));
	char *after = json_text_new(j);
	json_decref(j);
	if (!after)
		return nomem(err);
	snprintf(id, sizeof id, "%lld", (long long)b->bill_id);
	struct audit_entry e = { b->who, "courier_bill", id, "import", NULL, after, b->now };
	int rc = audit_write(b->db, &e, err);
	xfree(after);
	return rc;
}

static int bill_close(struct billing *b, struct err *err)
{
	char *errors = json_text_new(b->errors), *brackets = json_text_new(b->brackets);
	int rc = errors && brackets ? bill_finish(b, errors, brackets, err) : nomem(err);
	if (!rc)
		rc = bill_audit(b, err);
	xfree(errors);
	xfree(brackets);
	return rc;
}

/* ---------------------------------------------------------------- import */

static int billing_init(struct billing *b, const struct recon_import *in, struct err *err)
{
	const struct recon_policy *p = &in->pol;
	int rc = recon_period_parse(in->period, &b->from_utc, &b->to_utc, b->period, err);
	if (rc)
		return rc;
	ship_courier_key(in->courier, b->key, sizeof b->key);
	if (!*b->key)
		return err_set(err, ERR_UNPROCESSABLE, "courier", "缺少快递公司", "courier is required");
	if (p->weight_tolerance_g < 0 || p->weight_tolerance_g > 100000)
		return err_set(err, ERR_UNPROCESSABLE, "tolerance_g", "重量容差应为 0–100000 克",
			       "tolerance_g must be 0-100000 grams");
	if (p->fee_tolerance_pct < 0 || p->fee_tolerance_pct > 1000)
		return err_set(err, ERR_UNPROCESSABLE, "fee_tolerance_pct", "运费容差应为 0–1000 %",
			       "fee_tolerance_pct must be 0-1000");
	if (p->fee_min_lines < 1 || p->fee_min_lines > 100000)
		return err_set(err, ERR_UNPROCESSABLE, "fee_min_lines", "fee_min_lines 应为 1–100000",
			       "fee_min_lines must be 1-100000");
	b->errors = json_array();
	b->brackets = json_array();
	return b->errors && b->brackets ? 0 : nomem(err);
}

static int import_steps(struct billing *b, struct xlsx_table *c, struct err *err)
{
	int ix[RC__COUNT];
	int rc = bill_insert(b, err);
	if (!rc)
		rc = read_header(c, b, ix, err);
	if (!rc)
		rc = rows_run(c, b, ix, err);
	if (!rc)
		rc = fees_check(b, err);
	if (!rc)
		rc = missing_add(b, err);
	if (!rc)
		rc = bill_close(b, err);
	return rc;
}

int recon_bill_import(struct db *db, const struct auth_user *who, const struct recon_import *in,
		      int fd, int64_t now_utc, int64_t *bill_id, struct err *err)
{
	struct billing b = { .db = db, .who = who, .in = in, .now = now_utc };
	struct xlsx_table c;
	int rc = billing_init(&b, in, err);

	*bill_id = 0;
	xlsx_table_init_fd(&c, fd);
	if (!rc)
		rc = db_begin(db, err);
	if (!rc) {
		rc = import_steps(&b, &c, err);
		if (rc)
			db_rollback(db);
		else
			rc = db_commit(db, err);
	}
	xlsx_table_release(&c);
	json_decref(b.errors);
	json_decref(b.brackets);
	if (!rc)
		*bill_id = b.bill_id;
	return rc;
}

/* ---------------------------------------------------------------- reads */

#define BILL_COLS \
	"id, courier, period, filename, imported_utc, username, weight_tolerance_g," \
	" fee_tolerance_pct, fee_min_lines, n_rows, n_lines, n_matched, n_rejected, n_diff," \
	" fee_total_fen, weight_total_g, weight_over_g, n_unknown, n_duplicate, n_billed_before," \
	" n_weight_over, n_weight_under, n_unweighed, n_fee_high, n_missing, brackets, errors"

static json_t *parsed(const char *text)
{
	json_t *j = text ? json_loads(text, 0, NULL) : NULL;
	return j ? j : json_array();
}

static json_t *bill_row_json(struct db_stmt *st, int with_details)
{
	static const char *const keys[] = { "weight_tolerance_g", "fee_tolerance_pct", "fee_min_lines",
					    "rows", "lines", "matched", "rejected", "diff",
					    "fee_total_fen", "weight_total_g", "weight_over_g" };
	int64_t flag[RECON_FLAG_COUNT];
	char at[32];
	json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)db_col_int(st, 0),
			      "courier", db_col_text(st, 1), "period", db_col_text(st, 2), "filename",
			      db_col_text(st, 3), "imported_at", cal_format_iso(db_col_int(st, 4), at),
			      "user", db_col_text(st, 5));
	for (size_t i = 0; j && i < ARRAY_SIZE(keys); i++)
		json_object_set_new(j, keys[i], json_integer(db_col_int(st, 6 + (int)i)));
	for (int i = 0; i < RECON_FLAG_COUNT; i++)
		flag[i] = db_col_int(st, 17 + i);
	json_object_set_new(j, "flags", flags_json(flag));
	if (with_details) {
		json_object_set_new(j, "brackets", parsed(db_col_text(st, 25)));
		json_object_set_new(j, "errors", parsed(db_col_text(st, 26)));
	}
	return j;
}

int recon_bill_json(struct db *db, int64_t bill_id, int with_details, json_t **out,
		    struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT " BILL_COLS " FROM courier_bills WHERE id = ?", &st, err);
	*out = NULL;
	if (rc)
		return rc;
	db_bind_int(st, 1, bill_id);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		*out = bill_row_json(st, with_details);
	db_done(st);
	if (rc == DB_DONE)
		return err_set(err, ERR_NOT_FOUND, "id", "账单不存在", "no such bill");
	if (rc < 0)
		return rc;
	return *out ? 0 : nomem(err);
}

int recon_bills_list(struct db *db, const char *courier, const char *period, json_t **items,
		     struct err *err)
{
	struct db_stmt *st;
	char key[SHIP_KEY_MAX];
	int rc = db_prepare(db, "SELECT " BILL_COLS " FROM courier_bills"
				" WHERE (CAST(? AS TEXT) IS NULL OR courier_key = ?)"
				" AND (CAST(? AS TEXT) IS NULL OR period = ?) ORDER BY id DESC LIMIT 500",
			    &st, err);
	*items = json_array();
	if (rc)
		return rc;
	if (courier)
		ship_courier_key(courier, key, sizeof key);
	db_bind_text(st, 1, courier ? key : NULL);
	db_bind_text(st, 2, courier ? key : NULL);
	db_bind_text(st, 3, period);
	db_bind_text(st, 4, period);
	while ((rc = db_step(st, err)) == DB_ROW)
		json_array_append_new(*items, bill_row_json(st, 0));
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* an order of a store the user may not see shows without its number. */
#define LINE_VISIBLE \
	" (CAST(? AS BIGINT) = 0 OR NOT EXISTS (SELECT 1 FROM user_stores WHERE user_id = ?)" \
	" OR o.store_id IN (SELECT store_id FROM user_stores WHERE user_id = ?))"

#define LINE_WHERE \
	" FROM courier_bill_lines l LEFT JOIN orders o ON o.id = l.order_id" \
	" LEFT JOIN stores s ON s.id = o.store_id WHERE l.bill_id = ?" \
	" AND (CAST(? AS BIGINT) = 0 OR l.flags <> 0)" \
	" AND (CAST(? AS BIGINT) = 0 OR (l.flags & ?) <> 0)"

static int lines_bind_where(struct db_stmt *st, int i, int64_t bill_id,
			    const struct recon_line_filter *f)
{
	db_bind_int(st, i++, bill_id);
	db_bind_int(st, i++, f->only_diff);
	db_bind_int(st, i++, f->flag);
	db_bind_int(st, i++, f->flag);
	return i;
}

static int lines_count(struct db *db, int64_t bill_id, const struct recon_line_filter *f,
		       int64_t *total, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT COUNT(*)" LINE_WHERE, &st, err);
	if (rc)
		return rc;
	lines_bind_where(st, 1, bill_id, f);
	rc = db_step(st, err);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc < 0 ? rc : 0;
}

static void line_read(struct db_stmt *st, struct recon_line *l)
{
	int visible = (int)db_col_int(st, 11);
	l->id = db_col_int(st, 0);
	l->line_no = db_col_int(st, 1);
	l->tracking_no = db_col_text(st, 2);
	l->has_billed = !db_col_is_null(st, 3);
	l->weight_g = l->has_billed ? db_col_int(st, 3) : -1;
	l->fee_fen = l->has_billed ? db_col_int(st, 4) : 0;
	l->order_id = visible ? db_col_int(st, 5) : 0;
	l->our_weight_g = db_col_is_null(st, 6) ? -1 : db_col_int(st, 6);
	l->has_diff = !db_col_is_null(st, 7);
	l->weight_diff_g = db_col_int(st, 7);
	l->flags = (unsigned)db_col_int(st, 8);
	l->order_no = visible && db_col_text(st, 9) ? db_col_text(st, 9) : "";
	l->store = visible && db_col_text(st, 10) ? db_col_text(st, 10) : "";
}

int recon_lines_each(struct db *db, int64_t bill_id, const struct recon_line_filter *f,
		     int (*fn)(const struct recon_line *l, void *ctx), void *ctx, int64_t *total,
		     struct err *err)
{
	struct db_stmt *st;
	struct recon_line l;
	int rc = lines_count(db, bill_id, f, total, err);
	if (!rc)
		rc = db_prepare(db, "SELECT l.id, l.line_no, l.tracking_no, l.weight_g, l.fee_fen,"
				    " l.order_id, l.our_weight_g, l.weight_diff_g, l.flags,"
				    " o.platform_order_no, s.code,"
				    " CASE WHEN" LINE_VISIBLE " THEN 1 ELSE 0 END" LINE_WHERE
				    " ORDER BY CASE WHEN l.line_no = 0 THEN 1 ELSE 0 END, l.line_no, l.id"
				    " LIMIT ? OFFSET ?",
				&st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, f->user_id);
	db_bind_int(st, 2, f->user_id);
	db_bind_int(st, 3, f->user_id);
	int i = lines_bind_where(st, 4, bill_id, f);
	db_bind_int(st, i++, f->page_size);
	db_bind_int(st, i, (f->page - 1) * f->page_size);
	while ((rc = db_step(st, err)) == DB_ROW) {
		line_read(st, &l);
		rc = fn(&l, ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}
