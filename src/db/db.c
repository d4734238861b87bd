/*
 * db.c - engine dispatch, the statement cache, transactions and the pool.
 */
#include "db/db.h"

#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/xalloc.h"
#include "lib/common.h"

struct db_cache_entry {
	struct db_cache_entry *next;
	const char *key; /* the caller's pointer */
	char *sql;
	struct db_stmt *st;
	int in_use;
};

int db_fail(struct err *err, const char *what, const char *detail)
{
	log_error("event=db_error what=%s detail=\"%s\"", what, detail ? detail : "");
	return err_setf(err, ERR_DB, "", "数据库错误(%s)", "database error (%s)", what, what);
}

int db_open(const char *url, struct db **out, struct err *err)
{
	const struct db_ops *ops;
	const char *target;

	*out = NULL;
	if (strncmp(url, "sqlite:", 7) == 0) {
		ops = &db_sqlite_ops;
		target = url + 7;
	} else if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) {
		ops = &db_pg_ops;
		target = url;
	} else {
		return err_set(err, ERR_INVALID, "db",
			       "数据库地址应为 sqlite:路径 或 postgres://…",
			       "database URL must be sqlite:PATH or postgres://...");
	}
	int rc = ops->open(target, out, err);
	if (rc)
		return rc;
	(*out)->ops = ops;
	memset((*out)->cache, 0, sizeof (*out)->cache);
	(*out)->tx_depth = 0;
	(*out)->defer_lock_fd = -1;
	return 0;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(db->cache); i++) {
		struct db_cache_entry *e = db->cache[i];
		while (e) {
			struct db_cache_entry *next = e->next;
			db->ops->finalize(e->st);
			xfree(e->sql);
			xfree(e);
			e = next;
		}
	}
	if (db->defer_lock_fd >= 0)
		close(db->defer_lock_fd); /* and with it the flock */
	db->ops->close(db);
}

const char *db_engine_name(const struct db *db)
{
	return db->engine == DB_SQLITE ? "sqlite" : "postgres";
}

int db_exec(struct db *db, const char *sql, struct err *err)
{
	return db->ops->exec(db, sql, err);
}

/* SQL is always a string literal (STYLE.md section 6), so its address is a cheap
 * and stable bucket key; strcmp() still confirms the text. */
static unsigned bucket_of(const char *sql, size_t n)
{
	return (unsigned)(((uintptr_t)sql >> 3) % n);
}

int db_prepare(struct db *db, const char *sql, struct db_stmt **out, struct err *err)
{
	unsigned b = bucket_of(sql, ARRAY_SIZE(db->cache));
	struct db_cache_entry *e;
	int rc;

	for (e = db->cache[b]; e; e = e->next) {
		if (!e->in_use && e->key == sql && strcmp(e->sql, sql) == 0) {
			e->in_use = 1;
			*out = e->st;
			return 0;
		}
	}
	rc = db->ops->prepare(db, sql, out, err);
	if (rc)
		return rc;
	(*out)->db = db;
	(*out)->cached = NULL;
	e = xcalloc(1, sizeof *e);
	char *copy = xstrdup(sql);
	if (!e || !copy) {
		/* Uncached still works; it is finalized at db_done. */
		xfree(e);
		xfree(copy);
		return 0;
	}
	e->sql = copy;
	e->key = sql;
	e->st = *out;
	e->in_use = 1;
	e->next = db->cache[b];
	db->cache[b] = e;
	(*out)->cached = e;
	return 0;
}

void db_bind_int(struct db_stmt *st, int idx, int64_t v)
{
	st->db->ops->bind_int(st, idx, v);
}

void db_bind_text(struct db_stmt *st, int idx, const char *s)
{
	st->db->ops->bind_text(st, idx, s);
}

void db_bind_text_ref(struct db_stmt *st, int idx, const char *s)
{
	if (st->db->ops->bind_text_ref)
		st->db->ops->bind_text_ref(st, idx, s);
	else
		st->db->ops->bind_text(st, idx, s);
}

void db_bind_null(struct db_stmt *st, int idx)
{
	st->db->ops->bind_null(st, idx);
}

int db_step(struct db_stmt *st, struct err *err)
{
	return st->db->ops->step(st, err);
}

int64_t db_col_int(struct db_stmt *st, int col)
{
	return st->db->ops->col_int(st, col);
}

const char *db_col_text(struct db_stmt *st, int col)
{
	return st->db->ops->col_text(st, col);
}

int db_col_is_null(struct db_stmt *st, int col)
{
	return st->db->ops->col_is_null(st, col);
}

int64_t db_changes(struct db_stmt *st)
{
	return st->db->ops->changes(st);
}

int db_has_last_id(const struct db *db)
{
	return db->ops->last_id != NULL;
}

int64_t db_last_id(struct db_stmt *st)
{
	if (!st->db->ops->last_id)
		BUG("db_last_id on an engine without it");
	return st->db->ops->last_id(st);
}

void db_done(struct db_stmt *st)
{
	if (!st)
		return;
	st->db->ops->reset(st);
	if (st->cached)
		st->cached->in_use = 0;
	else
		st->db->ops->finalize(st);
}

int db_run(struct db_stmt *st, struct err *err)
{
	int rc = db_step(st, err);
	return rc < 0 ? rc : 0;
}

int db_begin(struct db *db, struct err *err)
{
	if (db->tx_depth++ > 0)
		return 0;
	/* IMMEDIATE takes SQLite's write lock up front, so two writers wait on the
	 * busy timeout instead of deadlocking on a read-to-write upgrade. */
	int rc = db_exec(db, db->engine == DB_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN", err);
	if (rc)
		db->tx_depth = 0;
	return rc;
}

int db_commit(struct db *db, struct err *err)
{
	if (db->tx_depth <= 0)
		BUG("db_commit without db_begin");
	if (--db->tx_depth > 0)
		return 0;
	int rc = db_exec(db, "COMMIT", err);
	if (rc) {
		/* A failed COMMIT can leave SQLite inside the transaction (busy, or
		 * a deferred foreign key); end it. tx_depth is already 0 here, which
		 * would make db_rollback a no-op. */
		db->tx_depth = 1;
		db_rollback(db);
	}
	return rc;
}

void db_rollback(struct db *db)
{
	struct err ignored = ERR_INIT;
	if (db->tx_depth == 0)
		return;
	db->tx_depth = 0;
	if (db_exec(db, "ROLLBACK", &ignored))
		log_warn("event=rollback_failed");
}

void db_bulk_mode(struct db *db, int on)
{
	struct err ignored = ERR_INIT;
	/* After a bulk load the planner needs fresh statistics to pick, say, the buyer
	 * index over the stage index; a sampled ANALYZE takes a fraction of a second. */
	if (!on && db_exec(db, db->engine == DB_SQLITE ? "PRAGMA analysis_limit = 1000; ANALYZE"
							: "ANALYZE orders; ANALYZE order_items",
			   &ignored))
		log_warn("event=analyze_failed");
	if (db->engine != DB_SQLITE)
		return;
	/* While importing: a 24 MiB page cache (KiB when negative), and checkpoints
	 * every ~256 MiB of WAL instead of 4 MiB, so a page rewritten by many batches
	 * is copied into the database once, not once per batch. After: SQLite's
	 * defaults, and one checkpoint now. */
	const char *sql = on ? "PRAGMA cache_size = -24576; PRAGMA wal_autocheckpoint = 65536"
			     : "PRAGMA cache_size = -2000; PRAGMA wal_autocheckpoint = 1000;"
			       " PRAGMA wal_checkpoint(PASSIVE)";
	if (db_exec(db, sql, &ignored))
		log_warn("event=bulk_mode_failed");
}

/* ---------------------------------------------------------------- interned SQL */

#define INTERN_MAX 1024

static pthread_mutex_t intern_lock = PTHREAD_MUTEX_INITIALIZER;
static char *interned[INTERN_MAX];
static int n_interned;

const char *db_sql_intern(const char *sql)
{
	const char *found = NULL;
	pthread_mutex_lock(&intern_lock);
	for (int i = 0; i < n_interned && !found; i++)
		if (strcmp(interned[i], sql) == 0)
			found = interned[i];
	if (!found && n_interned < INTERN_MAX) {
		interned[n_interned] = xstrdup(sql);
		if (interned[n_interned])
			found = interned[n_interned++];
	}
	pthread_mutex_unlock(&intern_lock);
	return found;
}

/* ---------------------------------------------------------------- pool */

struct db_pool {
	pthread_mutex_t lock;
	pthread_cond_t freed;
	int size, nfree;
	struct db **conns;
	struct db **free_list;
};

int db_pool_open(const char *url, int size, struct db_pool **out, struct err *err)
{
	struct db_pool *p = xcalloc(1, sizeof *p);
	int rc = 0;

	*out = NULL;
	if (!p)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->freed, NULL);
	p->conns = xcalloc((size_t)size, sizeof *p->conns);
	p->free_list = xcalloc((size_t)size, sizeof *p->free_list);
	if (!p->conns || !p->free_list) {
		rc = err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
		goto out;
	}
	for (int i = 0; i < size; i++) {
		rc = db_open(url, &p->conns[i], err);
		if (rc)
			goto out;
		p->free_list[p->nfree++] = p->conns[i];
		p->size++;
	}
	*out = p;
	return 0;
out:
	db_pool_close(p);
	return rc;
}

struct db *db_pool_get(struct db_pool *p)
{
	pthread_mutex_lock(&p->lock);
	while (p->nfree == 0)
		pthread_cond_wait(&p->freed, &p->lock);
	struct db *db = p->free_list[--p->nfree];
	pthread_mutex_unlock(&p->lock);
	return db;
}

void db_pool_put(struct db_pool *p, struct db *db)
{
	/* A handler that returned mid-transaction must not leak it to the next request. */
	db_rollback(db);
	pthread_mutex_lock(&p->lock);
	p->free_list[p->nfree++] = db;
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->lock);
}

void db_pool_close(struct db_pool *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->size; i++)
		db_close(p->conns[i]);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->freed);
	xfree(p->conns);
	xfree(p->free_list);
	xfree(p);
}
