/*
 * import_job.c - bookkeeping of an import: the job row, progress after every
 * committed batch (so a console can show a progress bar and a crash leaves an
 * honest record), the first rejected rows, the audit row.
 */
#include "orders/import_job.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "audit/audit.h"
#include "db/db.h"
#include "lib/xalloc.h"
#include "orders/address.h"
#include "orders/import_generic.h"
#include "orders/import_taobao.h"
#include "policy/policy_db.h"
#include "lib/common.h"

int import_job_create(struct db *db, const struct auth_user *who, int64_t store_id,
		      const char *kind, const char *filename, int64_t bytes_total, int64_t now_utc,
		      int64_t *id, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "INSERT INTO imports (store_id, kind, status, filename, bytes_total,"
				" user_id, started_utc) VALUES (?, ?, 'running', ?, ?, ?, ?) RETURNING id",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, store_id);
	db_bind_text(st, 2, kind);
	db_bind_text(st, 3, filename);
	db_bind_int(st, 4, bytes_total);
	if (who)
		db_bind_int(st, 5, who->id);
	else
		db_bind_null(st, 5);
	db_bind_int(st, 6, now_utc);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	return rc < 0 ? rc : 0;
}

struct job_ctx {
	struct db *db;
	int64_t id;
	json_t *errors;
	int64_t rejected;
};

static int on_reject(void *p, const char *file, long line, const char *column, const char *reason)
{
	struct job_ctx *c = p;
	if (++c->rejected > IMPORT_ERRORS_KEPT)
		return 0;
	json_t *e = json_pack("{s:s,s:i,s:s,s:s}", "file", file, "line", (json_int_t)line, "column",
			      column ? column : "", "reason", reason ? reason : "");
	return e && json_array_append_new(c->errors, e) == 0 ? 0 : ERR_NOMEM;
}

static int on_progress(void *p, int64_t bytes, const struct import_counts *n)
{
	struct job_ctx *c = p;
	struct err err = ERR_INIT;
	struct db_stmt *st;
	int rc = db_prepare(c->db, "UPDATE imports SET bytes_done = ?, rows_total = ?, inserted = ?,"
				   " updated = ?, unchanged = ?, rejected = ? WHERE id = ?",
			    &st, &err);
	if (rc)
		return rc;
	db_bind_int(st, 1, bytes);
	db_bind_int(st, 2, n->rows);
	db_bind_int(st, 3, n->inserted);
	db_bind_int(st, 4, n->updated);
	db_bind_int(st, 5, n->unchanged);
	db_bind_int(st, 6, n->rejected);
	db_bind_int(st, 7, c->id);
	rc = db_run(st, &err);
	db_done(st);
	return rc;
}

static json_t *result_json(int64_t id, const struct import_counts *n, json_t *errors)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:O}", "import_id", (json_int_t)id, "rows",
			 (json_int_t)n->rows, "inserted", (json_int_t)n->inserted, "updated",
			 (json_int_t)n->updated, "unchanged", (json_int_t)n->unchanged, "rejected",
			 (json_int_t)n->rejected, "errors", errors);
}

static int job_finish(struct db *db, const struct auth_user *who, int64_t id, int failed,
		      const struct import_counts *n, json_t *errors, const char *message,
		      struct err *err)
{
	struct db_stmt *st;
	char *errs = json_dumps(errors, JSON_COMPACT);
	int64_t now = (int64_t)time(NULL);
	int rc = errs ? db_begin(db, err) : err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");

	if (!rc)
		rc = db_prepare(db, "UPDATE imports SET status = ?, rows_total = ?, inserted = ?,"
				    " updated = ?, unchanged = ?, rejected = ?, errors = ?, message = ?,"
				    " finished_utc = ?, bytes_done = CASE WHEN ? = 0 THEN bytes_total"
				    " ELSE bytes_done END WHERE id = ?",
				&st, err);
	if (!rc) {
		db_bind_text(st, 1, failed ? "failed" : "done");
		db_bind_int(st, 2, n->rows);
		db_bind_int(st, 3, n->inserted);
		db_bind_int(st, 4, n->updated);
		db_bind_int(st, 5, n->unchanged);
		db_bind_int(st, 6, n->rejected);
		db_bind_text(st, 7, errs);
		db_bind_text(st, 8, message);
		db_bind_int(st, 9, now);
		db_bind_int(st, 10, failed);
		db_bind_int(st, 11, id);
		rc = db_run(st, err);
		db_done(st);
	}
	if (!rc) {
		char sid[32], after[256];
		snprintf(sid, sizeof sid, "%lld", (long long)id);
		snprintf(after, sizeof after,
			 "{\"status\":\"%s\",\"rows\":%lld,\"inserted\":%lld,\"updated\":%lld,"
			 "\"unchanged\":%lld,\"rejected\":%lld}",
			 failed ? "failed" : "done", (long long)n->rows, (long long)n->inserted,
			 (long long)n->updated, (long long)n->unchanged, (long long)n->rejected);
		struct audit_entry e = { who, "import", sid, "import", NULL, after, now };
		rc = audit_write(db, &e, err);
	}
	rc = rc ? (db_rollback(db), rc) : db_commit(db, err);
	free(errs); /* jansson's allocation */
	return rc;
}

/* One job of either format: the import, then its outcome in the job row. */
static int job_run(struct db *db, const struct auth_user *who, int64_t id, int64_t store_id,
		   int generic, int orders_fd, int items_fd, const struct addr_table *addrs,
		   json_t **result, struct err *err)
{
	struct job_ctx c = { db, id, json_array(), 0 };
	struct import_sink sink = { on_reject, on_progress, &c };
	struct import_src src = { orders_fd, items_fd };
	struct import_counts n;
	struct policy pol;
	int64_t pv;
	int rc = policy_load(db, store_id, &pol, &pv, err);

	*result = NULL;
	memset(&n, 0, sizeof n);
	if (!rc && generic)
		rc = import_generic(db, who, store_id, id, orders_fd, addrs, &pol, (int64_t)time(NULL),
				    &sink, &n, err);
	else if (!rc)
		rc = import_taobao(db, who, store_id, id, &src, addrs, &pol, (int64_t)time(NULL),
				   &sink, &n, err);
	struct err ferr = ERR_INIT;
	int frc = job_finish(db, who, id, rc != 0, &n, c.errors, rc ? err->msg_zh : "", &ferr);
	if (!rc && frc)
		rc = err_set(err, frc, ferr.field, ferr.msg_zh, ferr.msg_en);
	if (!rc)
		*result = result_json(id, &n, c.errors);
	json_decref(c.errors);
	return rc;
}

int import_job_run_taobao(struct db *db, const struct auth_user *who, int64_t id,
			  int64_t store_id, int orders_fd, int items_fd,
			  const struct addr_table *addrs, json_t **result, struct err *err)
{
	return job_run(db, who, id, store_id, 0, orders_fd, items_fd, addrs, result, err);
}

int import_job_run_generic(struct db *db, const struct auth_user *who, int64_t id,
			   int64_t store_id, int fd, const struct addr_table *addrs,
			   json_t **result, struct err *err)
{
	return job_run(db, who, id, store_id, 1, fd, -1, addrs, result, err);
}

int import_job_get(struct db *db, int64_t id, int64_t user_id, json_t **out, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT i.id, s.code, i.kind, i.status, i.filename, i.rows_total,"
				" i.inserted, i.updated, i.unchanged, i.rejected, i.errors, i.message,"
				" i.bytes_done, i.bytes_total, i.started_utc, i.finished_utc"
				" FROM imports i JOIN stores s ON s.id = i.store_id WHERE i.id = ?"
				" AND (CAST(? AS BIGINT) = 0 OR NOT EXISTS (SELECT 1 FROM user_stores WHERE user_id = ?)"
				" OR i.store_id IN (SELECT store_id FROM user_stores WHERE user_id = ?))",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, user_id);
	db_bind_int(st, 3, user_id);
	db_bind_int(st, 4, user_id);
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		json_t *errors = json_loads(db_col_text(st, 10), 0, NULL);
		int64_t done = db_col_int(st, 12), total = db_col_int(st, 13);
		*out = json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:o,s:s,s:I,s:I,s:i,s:I,s:o}",
				 "id", (json_int_t)db_col_int(st, 0), "store", db_col_text(st, 1),
				 "kind", db_col_text(st, 2), "status", db_col_text(st, 3),
				 "filename", db_col_text(st, 4), "rows", (json_int_t)db_col_int(st, 5),
				 "inserted", (json_int_t)db_col_int(st, 6), "updated",
				 (json_int_t)db_col_int(st, 7), "unchanged", (json_int_t)db_col_int(st, 8),
				 "rejected", (json_int_t)db_col_int(st, 9), "errors",
				 errors ? errors : json_array(), "message", db_col_text(st, 11),
				 "bytes_done", (json_int_t)done, "bytes_total", (json_int_t)total,
				 "percent", total > 0 ? (int)(done * 100 / total) : 0, "started_utc",
				 (json_int_t)db_col_int(st, 14), "finished_utc",
				 db_col_is_null(st, 15) ? json_null() : json_integer(db_col_int(st, 15)));
	}
	db_done(st);
	if (rc == DB_DONE)
		return err_set(err, ERR_NOT_FOUND, "id", "导入任务不存在", "no such import");
	return rc < 0 ? rc : 0;
}

static struct addr_table *shared_addrs;
static struct err shared_addrs_err;
static pthread_once_t addrs_once = PTHREAD_ONCE_INIT;

static void addrs_build(void)
{
	const struct embed_file *f = &addr_division_files[0];
	if (addr_table_new((const char *)f->data, f->len, &shared_addrs, &shared_addrs_err))
		shared_addrs = NULL;
}

const struct addr_table *import_addr_table(struct err *err)
{
	pthread_once(&addrs_once, addrs_build);
	if (!shared_addrs)
		err_set(err, shared_addrs_err.code ? shared_addrs_err.code : ERR_INTERNAL, "divisions",
			shared_addrs_err.msg_zh, shared_addrs_err.msg_en);
	return shared_addrs;
}
