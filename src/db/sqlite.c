/*
 * sqlite.c - the embedded engine: WAL, busy timeout, foreign keys on.
 */
#include "db/db.h"

#include <pthread.h>
#include <sqlite3.h>
#include <string.h>

#include "lib/xalloc.h"
#include "lib/common.h"

#define SQLITE_BUSY_MS 10000

struct sq_db {
	struct db base;
	sqlite3 *h;
};

struct sq_stmt {
	struct db_stmt base;
	sqlite3_stmt *h;
	int64_t changes;
	int64_t last_id;
};

static sqlite3 *handle(struct db *db)
{
	return ((struct sq_db *)db)->h;
}

static int sq_error(sqlite3 *h, int rc, struct err *err, const char *what)
{
	int primary = rc & 0xff;
	if (primary == SQLITE_CONSTRAINT) {
		return err_setf(err, ERR_CONFLICT, "", "数据冲突:%s", "conflict: %s",
				sqlite3_errmsg(h), sqlite3_errmsg(h));
	}
	if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
		return err_set(err, ERR_BUSY, "", "数据库繁忙,请稍后重试", "database busy, try again");
	return db_fail(err, what, sqlite3_errmsg(h));
}

static pthread_once_t config_once = PTHREAD_ONCE_INIT;

/* Before SQLite initialises: connections are never shared between threads at
 * once (the pool hands each to one request), so SQLite's own mutexes and its
 * global memory statistics (one more lock per allocation) only cost time. */
static void sq_configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int sq_open(const char *target, struct db **out, struct err *err)
{
	struct sq_db *d = xcalloc(1, sizeof *d);
	int rc;

	pthread_once(&config_once, sq_configure);
	if (!d)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	rc = sqlite3_open_v2(target, &d->h,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		err_setf(err, ERR_IO, "db", "无法打开数据库 %s:%s", "cannot open database %s: %s",
			 target, d->h ? sqlite3_errmsg(d->h) : "", target, d->h ? sqlite3_errmsg(d->h) : "");
		sqlite3_close(d->h);
		xfree(d);
		return ERR_IO;
	}
	sqlite3_busy_timeout(d->h, SQLITE_BUSY_MS);
	sqlite3_extended_result_codes(d->h, 1);
	d->base.engine = DB_SQLITE;
	*out = &d->base;
	rc = db_sqlite_ops.exec(*out, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
				      " PRAGMA synchronous=NORMAL;", err);
	if (rc) {
		sqlite3_close(d->h);
		xfree(d);
		*out = NULL;
	}
	return rc;
}

static void sq_close(struct db *db)
{
	sqlite3_close_v2(handle(db));
	xfree(db);
}

static int sq_exec(struct db *db, const char *sql, struct err *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(handle(db), sql, NULL, NULL, &msg);
	sqlite3_free(msg);
	if (rc != SQLITE_OK)
		return sq_error(handle(db), rc, err, "exec");
	return 0;
}

static int sq_prepare(struct db *db, const char *sql, struct db_stmt **out, struct err *err)
{
	struct sq_stmt *st = xcalloc(1, sizeof *st);
	if (!st)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	int rc = sqlite3_prepare_v3(handle(db), sql, -1, SQLITE_PREPARE_PERSISTENT, &st->h, NULL);
	if (rc != SQLITE_OK) {
		xfree(st);
		return sq_error(handle(db), rc, err, "prepare");
	}
	*out = &st->base;
	return 0;
}

static sqlite3_stmt *sh(struct db_stmt *st)
{
	return ((struct sq_stmt *)st)->h;
}

static void sq_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	sqlite3_bind_int64(sh(st), idx, v);
}

static void sq_bind_text(struct db_stmt *st, int idx, const char *s)
{
	if (s)
		sqlite3_bind_text(sh(st), idx, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(sh(st), idx);
}

/* SQLITE_STATIC: no copy; db_done's sqlite3_clear_bindings drops the pointer. */
static void sq_bind_text_ref(struct db_stmt *st, int idx, const char *s)
{
	if (s)
		sqlite3_bind_text(sh(st), idx, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(sh(st), idx);
}

static void sq_bind_null(struct db_stmt *st, int idx)
{
	sqlite3_bind_null(sh(st), idx);
}

static int sq_step(struct db_stmt *st, struct err *err)
{
	struct sq_stmt *s = (struct sq_stmt *)st;
	sqlite3 *h = handle(st->db);
	int rc = sqlite3_step(s->h);

	if (rc == SQLITE_ROW)
		return DB_ROW;
	if (rc == SQLITE_DONE) {
		s->changes = sqlite3_changes64(h);
		s->last_id = s->changes ? sqlite3_last_insert_rowid(h) : 0;
		return DB_DONE;
	}
	return sq_error(h, rc, err, "step");
}

static int64_t sq_col_int(struct db_stmt *st, int col)
{
	return sqlite3_column_int64(sh(st), col);
}

static const char *sq_col_text(struct db_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(sh(st), col);
}

static int sq_col_is_null(struct db_stmt *st, int col)
{
	return sqlite3_column_type(sh(st), col) == SQLITE_NULL;
}

static int64_t sq_changes(struct db_stmt *st)
{
	return ((struct sq_stmt *)st)->changes;
}

static int64_t sq_last_id(struct db_stmt *st)
{
	return ((struct sq_stmt *)st)->last_id;
}

static void sq_reset(struct db_stmt *st)
{
	sqlite3_reset(sh(st));
	sqlite3_clear_bindings(sh(st));
}

static void sq_finalize(struct db_stmt *st)
{
	sqlite3_finalize(sh(st));
	xfree(st);
}

const struct db_ops db_sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.bind_int = sq_bind_int,
	.bind_text = sq_bind_text,
	.bind_null = sq_bind_null,
	.bind_text_ref = sq_bind_text_ref,
	.step = sq_step,
	.col_int = sq_col_int,
	.col_text = sq_col_text,
	.col_is_null = sq_col_is_null,
	.changes = sq_changes,
	.last_id = sq_last_id,
	.reset = sq_reset,
	.finalize = sq_finalize,
};

/* Online backup: pages are copied in steps so a running server keeps writing. */
int db_backup_sqlite(const char *url, const char *out_path, struct err *err)
{
	sqlite3 *src = NULL, *dst = NULL;
	sqlite3_backup *b;
	int rc = 0;

	if (strncmp(url, "sqlite:", 7) != 0)
		return err_set(err, ERR_INVALID, "db", "备份只支持 SQLite;PostgreSQL 请用 pg_dump",
			       "backup supports SQLite only; use pg_dump for PostgreSQL");
	if (sqlite3_open_v2(url + 7, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		rc = db_fail(err, "backup_open", sqlite3_errmsg(src));
		goto out;
	}
	if (sqlite3_open(out_path, &dst) != SQLITE_OK) {
		rc = db_fail(err, "backup_open_out", sqlite3_errmsg(dst));
		goto out;
	}
	sqlite3_busy_timeout(src, SQLITE_BUSY_MS);
	b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b) {
		rc = db_fail(err, "backup_init", sqlite3_errmsg(dst));
		goto out;
	}
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	rc = rc == SQLITE_DONE ? 0 : db_fail(err, "backup_step", sqlite3_errmsg(dst));
out:
	sqlite3_close(src);
	sqlite3_close(dst);
	return rc;
}
