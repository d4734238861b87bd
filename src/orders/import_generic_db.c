/*
 * import_generic_db.c - the generic template's import: streaming, idempotent,
 * one transaction per batch (import_generic.h has the rules).
 *
 * Pass 1 reads the file (CSV or XLSX, io/xlsx.h xlsx_table) row by row and
 * stages each row, typed, in a temporary table keyed by (订单编号, line): the
 * lines of an order may be anywhere in the file, and a million rows do not
 * belong in memory. A row that fails the row rules is reported at once and
 * staged as "bad" so the rest of its order is held back too.
 * Pass 2 walks the staged order numbers in key order, a chunk at a time,
 * loads each order's rows, folds them (generic_order_merge) and writes the
 * order with its lines through the shared writer (import_write.h), a chunk
 * per transaction. Memory: one chunk of order numbers and one order's rows.
 */
#include "orders/import_generic.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/db.h"
#include "io/xlsx.h"
#include "lib/arena.h"
#include "lib/common.h"

#define STAGE_BATCH 5000 /* rows per staging transaction */
#define ORDER_CHUNK 2000 /* orders per writing transaction */
#define FILE_LABEL "generic"

struct gimporter {
	struct import_writer w;
	struct xlsx_table t;
	int ix[GENERIC_COL__COUNT];
	char names[GENERIC_COL__COUNT][64]; /* the header text of each column, as the file has it */
	int fd;
	int64_t bytes_total;
};

static int reject(struct gimporter *g, long line, int col, const struct err *why)
{
	const char *name = col >= 0 && col < GENERIC_COL__COUNT ? g->names[col] : "";
	return import_writer_reject(&g->w, FILE_LABEL, line, name, why);
}

/* ---------------------------------------------------------------- pass 1: stage rows */

static int stage_create(struct db *db, struct err *err)
{
	static const char cols[] =
		"(order_no TEXT NOT NULL, line BIGINT NOT NULL, bad INTEGER NOT NULL, status TEXT,"
		" buyer TEXT, receiver TEXT, phone TEXT, address TEXT, message TEXT, memo TEXT,"
		" courier TEXT, tracking TEXT, created_utc BIGINT, paid_utc BIGINT, postage_fen BIGINT,"
		" paid_fen BIGINT, title TEXT, sku TEXT, price_fen BIGINT, qty BIGINT,"
		" PRIMARY KEY (order_no, line))";
	char ddl[1024];
	int sqlite = strcmp(db_engine_name(db), "sqlite") == 0;
	snprintf(ddl, sizeof ddl, "CREATE TEMP TABLE IF NOT EXISTS import_generic %s%s", cols,
		 sqlite ? " WITHOUT ROWID; PRAGMA temp.cache_size = -8192" : "");
	int rc = db_exec(db, ddl, err);
	return rc ? rc : db_exec(db, "DELETE FROM import_generic", err);
}

static void bind_opt(struct db_stmt *st, int i, int64_t v)
{
	if (v == GENERIC_UNSET)
		db_bind_null(st, i);
	else
		db_bind_int(st, i, v);
}

static int stage_row(struct gimporter *g, const struct generic_row *r, int bad, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(g->w.db, "INSERT INTO import_generic (order_no, line, bad, status, buyer,"
				     " receiver, phone, address, message, memo, courier, tracking,"
				     " created_utc, paid_utc, postage_fen, paid_fen, title, sku, price_fen,"
				     " qty) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			    &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, r->order_no);
	db_bind_int(st, 2, r->line);
	db_bind_int(st, 3, bad);
	const char *t[] = { r->status, r->buyer, r->receiver, r->phone, r->address,
			    r->message, r->memo, r->courier, r->tracking };
	int i = 4;
	for (size_t k = 0; k < ARRAY_SIZE(t); k++)
		db_bind_text(st, i++, bad ? "" : t[k]);
	const int64_t n[] = { r->created_utc, r->paid_utc, r->postage_fen, r->paid_fen };
	for (size_t k = 0; k < ARRAY_SIZE(n); k++)
		bind_opt(st, i++, bad ? GENERIC_UNSET : n[k]);
	db_bind_text(st, i++, bad ? "" : r->title);
	db_bind_text(st, i++, bad ? "" : r->sku);
	db_bind_int(st, i++, bad ? 0 : r->price_fen);
	db_bind_int(st, i++, bad ? 1 : r->qty);
	rc = db_run(st, err);
	db_done(st);
	return rc;
}

static int row_one(struct gimporter *g, const struct csv_record *rec, struct err *err)
{
	struct generic_row r;
	struct err why = ERR_INIT;
	enum generic_col col = GENERIC_COL_ORDER_NO;

	g->w.c->rows++;
	int rc = generic_row_parse(rec, g->ix, g->w.arena, &r, &col, &why);
	if (rc == ERR_NOMEM)
		return err_set(err, rc, why.field, why.msg_zh, why.msg_en);
	if (!rc)
		return stage_row(g, &r, 0, err);
	rc = reject(g, rec->line, (int)col, &why);
	/* A bad row with a usable order number holds back the rest of its order. */
	if (!rc && r.order_no && *r.order_no)
		rc = stage_row(g, &r, 1, err);
	return rc;
}

static int64_t fd_offset(int fd)
{
	off_t off = lseek(fd, 0, SEEK_CUR);
	return off < 0 ? 0 : (int64_t)off;
}

/* Progress: staging is the first half of the job, writing the second. */
static int64_t stage_progress(const struct gimporter *g)
{
	int64_t off = xlsx_table_is_xlsx(&g->t) ? 0 : fd_offset(g->fd);
	return (off < g->bytes_total ? off : g->bytes_total) / 2;
}

static int read_header(struct gimporter *g, struct err *err)
{
	struct csv_record rec;
	int rc = xlsx_table_next(&g->t, &rec, err);
	if (rc == 0)
		return err_set(err, ERR_UNPROCESSABLE, "file", "文件是空的", "the file is empty");
	if (rc < 0)
		return rc;
	rc = csv_map_header(&rec, generic_columns, GENERIC_COL__COUNT, g->ix, err);
	if (rc)
		return rc;
	for (int i = 0; i < GENERIC_COL__COUNT; i++) {
		size_t start;
		const char *raw = csv_field(&rec, g->ix[i]);
		size_t n = csv_clean_span(raw, strlen(raw), &start);
		if (g->ix[i] < 0 || n >= sizeof g->names[i])
			snprintf(g->names[i], sizeof g->names[i], "%s", generic_columns[i].name);
		else
			snprintf(g->names[i], sizeof g->names[i], "%.*s", (int)n, raw + start);
	}
	return 0;
}

static int stage_rows(struct gimporter *g, struct err *err)
{
	struct csv_record rec;
	int n = 0;
	int rc = stage_create(g->w.db, err);

	if (!rc)
		rc = read_header(g, err);
	if (!rc)
		rc = db_begin(g->w.db, err);
	while (!rc) {
		struct err rerr = ERR_INIT;
		int got = xlsx_table_next(&g->t, &rec, &rerr);
		if (got == 0)
			break;
		if (got < 0) {
			/* A row the reader could not decode is rejected on its own (it has no
			 * order number to hold its order back with); a fatal error stops. */
			if (xlsx_table_fatal(&g->t) || (got != ERR_INVALID && got != ERR_TOO_LARGE)) {
				rc = err_set(err, got, rerr.field, rerr.msg_zh, rerr.msg_en);
				break;
			}
			g->w.c->rows++;
			rc = reject(g, rec.line, -1, &rerr);
			continue;
		}
		rc = row_one(g, &rec, err);
		if (!rc && ++n % STAGE_BATCH == 0)
			rc = import_writer_batch_end(&g->w, stage_progress(g), err);
	}
	if (!rc)
		rc = db_commit(g->w.db, err);
	else
		db_rollback(g->w.db);
	return rc;
}

/* ---------------------------------------------------------------- pass 2: orders */

static const char *col_text(struct arena *a, struct db_stmt *st, int i)
{
	const char *s = db_col_text(st, i);
	return arena_strdup(a, s ? s : "");
}

static int64_t col_opt(struct db_stmt *st, int i)
{
	return db_col_is_null(st, i) ? GENERIC_UNSET : db_col_int(st, i);
}

static int row_load(struct arena *a, struct db_stmt *st, const char *order_no,
		    struct generic_row *r)
{
	memset(r, 0, sizeof *r);
	r->order_no = order_no;
	r->line = (long)db_col_int(st, 0);
	const char **t[] = { &r->status, &r->buyer, &r->receiver, &r->phone, &r->address,
			     &r->message, &r->memo, &r->courier, &r->tracking };
	for (size_t k = 0; k < ARRAY_SIZE(t); k++) {
		*t[k] = col_text(a, st, 2 + (int)k);
		if (!*t[k])
			return ERR_NOMEM;
	}
	r->created_utc = col_opt(st, 11);
	r->paid_utc = col_opt(st, 12);
	r->postage_fen = col_opt(st, 13);
	r->paid_fen = col_opt(st, 14);
	r->title = col_text(a, st, 15);
	r->sku = col_text(a, st, 16);
	r->price_fen = db_col_int(st, 17);
	r->qty = db_col_int(st, 18);
	return r->title && r->sku ? 0 : ERR_NOMEM;
}

struct order_rows {
	struct generic_row *v;
	size_t n, cap;
	long bad_line; /* the first row rejected in pass 1, 0 when none */
	int over;      /* more rows than GENERIC_ORDER_LINES_MAX */
};

/* The good rows of one order in file order. Past the limit the rows are only
 * rejected, not kept, so an order of a million rows does not fill memory. */
static int order_load(struct gimporter *g, const char *order_no, struct order_rows *rows,
		      struct err *err)
{
	struct db_stmt *st;
	struct err why = ERR_INIT;
	int rc = db_prepare(g->w.db, "SELECT line, bad, status, buyer, receiver, phone, address,"
				     " message, memo, courier, tracking, created_utc, paid_utc,"
				     " postage_fen, paid_fen, title, sku, price_fen, qty"
				     " FROM import_generic WHERE order_no = ? ORDER BY line",
			    &st, err);
	if (rc)
		return rc;
	memset(rows, 0, sizeof *rows);
	db_bind_text(st, 1, order_no);
	err_setf(&why, ERR_UNPROCESSABLE, "order_no", "一个订单最多 %d 行,整单未导入",
		 "an order has at most %d rows; the order was not imported", GENERIC_ORDER_LINES_MAX);
	while ((rc = db_step(st, err)) == DB_ROW) {
		if (db_col_int(st, 1)) {
			/* rejected in pass 1: only remembered, it holds the order back */
			if (!rows->bad_line)
				rows->bad_line = (long)db_col_int(st, 0);
			continue;
		}
		if (rows->n == GENERIC_ORDER_LINES_MAX) {
			/* over the limit: reject what was kept, then each further row */
			for (size_t i = 0; !rows->over && i < rows->n; i++) {
				rc = reject(g, rows->v[i].line, GENERIC_COL_ORDER_NO, &why);
				if (rc)
					break;
			}
			rows->over = 1;
			rc = rc ? rc : reject(g, (long)db_col_int(st, 0), GENERIC_COL_ORDER_NO, &why);
			if (rc)
				break;
			continue;
		}
		if (rows->n == rows->cap) {
			size_t cap = rows->cap ? rows->cap * 2 : 4;
			struct generic_row *nv = arena_alloc(g->w.arena, cap * sizeof *nv);
			if (!nv) {
				rc = ERR_NOMEM;
				break;
			}
			if (rows->n)
				memcpy(nv, rows->v, rows->n * sizeof *nv);
			rows->v = nv;
			rows->cap = cap;
		}
		rc = row_load(g->w.arena, st, order_no, &rows->v[rows->n++]);
		if (rc)
			break;
	}
	db_done(st);
	if (rc == ERR_NOMEM)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	return rc < 0 ? rc : 0;
}

static int order_one(struct gimporter *g, const char *order_no, struct err *err)
{
	struct order_rows rows;
	struct import_order o;
	struct import_lines l;
	struct err why = ERR_INIT;
	enum generic_col col = GENERIC_COL_ORDER_NO;
	int rc = order_load(g, order_no, &rows, err);

	if (rc || rows.over)
		return rc;
	if (rows.bad_line) {
		/* Its bad row was reported in pass 1; the others are held back with it. */
		err_setf(&why, ERR_UNPROCESSABLE, "order_no", "同一订单的第 %ld 行有错误,整单未导入",
			 "line %ld of the same order is bad; the order was not imported", rows.bad_line);
		for (size_t i = 0; !rc && i < rows.n; i++)
			rc = reject(g, rows.v[i].line, GENERIC_COL_ORDER_NO, &why);
		return rc;
	}
	rc = generic_order_merge(rows.v, rows.n, g->w.arena, &o, &l, &col, &why);
	if (rc == ERR_NOMEM)
		return err_set(err, rc, why.field, why.msg_zh, why.msg_en);
	if (rc) {
		for (size_t i = 0; i < rows.n; i++) {
			rc = reject(g, rows.v[i].line, (int)col, &why);
			if (rc)
				return rc;
		}
		return 0;
	}
	return import_write_order(&g->w, &o, &l, err);
}

static int orders_total(struct db *db, int64_t *n, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT COUNT(DISTINCT order_no) FROM import_generic", &st, err);
	if (rc)
		return rc;
	rc = db_step(st, err);
	*n = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* The next chunk of order numbers after `after`, into the batch arena. */
static int chunk_load(struct gimporter *g, const char *after, const char ***nos, size_t *k,
		      struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(g->w.db, "SELECT DISTINCT order_no FROM import_generic WHERE order_no > ?"
				     " ORDER BY order_no LIMIT ?",
			    &st, err);
	*k = 0;
	if (rc)
		return rc;
	*nos = arena_alloc(g->w.arena, ORDER_CHUNK * sizeof **nos);
	if (!*nos) {
		db_done(st);
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	}
	db_bind_text(st, 1, after);
	db_bind_int(st, 2, ORDER_CHUNK);
	while ((rc = db_step(st, err)) == DB_ROW && *k < ORDER_CHUNK) {
		const char *s = col_text(g->w.arena, st, 0);
		if (!s) {
			rc = ERR_NOMEM;
			break;
		}
		(*nos)[(*k)++] = s;
	}
	db_done(st);
	if (rc == ERR_NOMEM)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	return rc < 0 ? rc : 0;
}

static int write_orders(struct gimporter *g, struct err *err)
{
	char last[GENERIC_ORDER_NO_MAX + 1] = "";
	int64_t total = 0, done = 0, half = g->bytes_total / 2;
	int rc = orders_total(g->w.db, &total, err);

	if (!rc)
		rc = db_begin(g->w.db, err);
	while (!rc) {
		const char **nos;
		size_t k;
		rc = chunk_load(g, last, &nos, &k, err);
		if (rc || k == 0)
			break;
		for (size_t i = 0; !rc && i < k; i++)
			rc = order_one(g, nos[i], err);
		if (rc)
			break;
		snprintf(last, sizeof last, "%s", nos[k - 1]);
		done += (int64_t)k;
		rc = import_writer_batch_end(&g->w, half + (total ? half * done / total : half), err);
		if (k < ORDER_CHUNK)
			break;
	}
	if (!rc)
		rc = db_commit(g->w.db, err);
	else
		db_rollback(g->w.db);
	return rc;
}

int import_generic(struct db *db, const struct auth_user *who, int64_t store_id,
		   int64_t import_id, int fd, const struct addr_table *addrs,
		   const struct policy *pol, int64_t now_utc, const struct import_sink *sink,
		   struct import_counts *out, struct err *err)
{
	struct gimporter g;
	struct stat sb;

	memset(&g, 0, sizeof g);
	g.fd = fd;
	g.bytes_total = fstat(fd, &sb) == 0 ? (int64_t)sb.st_size : 0;
	xlsx_table_init_fd(&g.t, fd);
	int rc = import_writer_init(&g.w, db, who, store_id, import_id, addrs, pol, now_utc, sink,
				    out, err);
	if (!rc)
		rc = stage_rows(&g, err);
	/* a template row is one order line, 150-300 bytes in CSV (XLSX is
	 * zipped, so its estimate stays low: only a big CSV counts as big) */
	if (!rc)
		rc = import_writer_defer_indexes(&g.w, g.bytes_total / 300, err);
	if (!rc)
		rc = write_orders(&g, err);
	if (!rc)
		rc = import_writer_finish(&g.w, err);
	struct err ignored = ERR_INIT;
	if (db_exec(db, "DELETE FROM import_generic", &ignored))
		err_init(&ignored);
	xlsx_table_release(&g.t);
	import_writer_release(&g.w);
	return rc;
}
