/*
 * defer_index.c - a big SQLite import drops its tables' secondary indexes
 * and builds them again at the end.
 *
 * Why: inserting a million orders one by one into nine orders indexes and two
 * item indexes, half of them on random keys (buyer, receiver, tracking no.),
 * was half of the import's time; CREATE INDEX sorts the same keys once, on
 * SQLite's worker threads, in a fraction of it (bench/RESULTS.md).
 *
 * Crash safety: the definitions go into deferred_indexes in the transaction
 * that drops the indexes, and each index is built and struck off the record
 * in one transaction, so an importer killed at any moment leaves on record
 * exactly what is missing. db_indexes_restore builds whatever is recorded;
 * db_migrate runs it on every open, before any new migration (the records
 * describe the schema they were taken from), and every import runs it first.
 * An import holds an exclusive flock on "<db>-import.lock" while its indexes
 * are away, and a restore from another process skips while that lock is
 * held; the kernel drops the lock with a killed process.
 *
 * PostgreSQL: nothing is deferred (its bulk path is another matter).
 */
#include "db/db.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/xalloc.h"
#include "lib/common.h"

/* Index names go into DROP INDEX as identifiers: ours are [a-z0-9_]. */
static int plain_name(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

/* Opens and flocks "<main db file>-import.lock"; -1 when there is no file
 * (in-memory) or another process holds it. Any other failure (say the file
 * belongs to another user) is logged: it would otherwise look like a lock
 * held forever. */
static int lock_take(struct db *db, int *fd, struct err *err)
{
	struct db_stmt *st;
	char path[4096] = "";
	int rc = db_prepare(db, "SELECT file FROM pragma_database_list WHERE name = 'main'", &st, err);
	if (rc)
		return rc;
	rc = db_step(st, err);
	if (rc == DB_ROW && db_col_text(st, 0))
		snprintf(path, sizeof path, "%s-import.lock", db_col_text(st, 0));
	db_done(st);
	*fd = -1;
	if (rc < 0 || strlen(path) <= strlen("-import.lock") || strlen(path) >= sizeof path - 1)
		return rc < 0 ? rc : 0;
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (*fd < 0) {
		log_warn("event=import_lock_failed path=\"%s\" errno=%d", path, errno);
		return 0;
	}
	if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK)
			log_warn("event=import_lock_failed path=\"%s\" errno=%d", path, errno);
		close(*fd);
		*fd = -1;
	}
	return 0;
}

static void lock_drop(struct db *db)
{
	if (db->defer_lock_fd >= 0) {
		flock(db->defer_lock_fd, LOCK_UN);
		close(db->defer_lock_fd);
	}
	db->defer_lock_fd = -1;
}

static int drop_recorded(struct db *db, struct err *err)
{
	struct db_stmt *st;
	char names[32][64];
	int n = 0;
	int rc = db_prepare(db, "SELECT d.name FROM deferred_indexes d JOIN sqlite_master m"
				" ON m.type = 'index' AND m.name = d.name", &st, err);
	if (rc)
		return rc;
	while ((rc = db_step(st, err)) == DB_ROW && n < (int)ARRAY_SIZE(names)) {
		const char *s = db_col_text(st, 0);
		if (plain_name(s) && strlen(s) < sizeof names[0])
			snprintf(names[n++], sizeof names[0], "%s", s);
	}
	db_done(st);
	for (int i = 0; rc >= 0 && i < n; i++) {
		char sql[128];
		snprintf(sql, sizeof sql, "DROP INDEX \"%.63s\"", names[i]);
		rc = db_exec(db, sql, err);
	}
	return rc < 0 ? rc : 0;
}

static int record_and_drop(struct db *db, const char *const *tables, size_t n, int64_t now,
			   struct err *err)
{
	int rc = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		struct db_stmt *st;
		/* UNIQUE indexes stay: the import relies on what they enforce */
		rc = db_prepare(db, "INSERT INTO deferred_indexes (name, sql, deferred_utc)"
				    " SELECT name, sql, ? FROM sqlite_master WHERE type = 'index'"
				    " AND tbl_name = ? AND sql LIKE 'CREATE INDEX %'"
				    " ON CONFLICT (name) DO UPDATE SET sql = excluded.sql,"
				    " deferred_utc = excluded.deferred_utc",
				&st, err);
		if (rc)
			break;
		db_bind_int(st, 1, now);
		db_bind_text(st, 2, tables[i]);
		rc = db_run(st, err);
		db_done(st);
	}
	return rc ? rc : drop_recorded(db, err);
}

int db_indexes_defer(struct db *db, const char *const *tables, size_t n, int64_t now_utc,
		     int *deferred, struct err *err)
{
	*deferred = 0;
	if (db->tx_depth)
		BUG("db_indexes_defer inside a transaction");
	if (db->engine != DB_SQLITE || db->defer_lock_fd >= 0)
		return 0;
	int rc = lock_take(db, &db->defer_lock_fd, err);
	if (rc || db->defer_lock_fd < 0)
		return rc; /* no file, or another import has them away already */
	rc = db_begin(db, err);
	if (!rc)
		rc = record_and_drop(db, tables, n, now_utc, err);
	if (!rc)
		rc = db_commit(db, err);
	else
		db_rollback(db);
	if (rc)
		lock_drop(db);
	*deferred = !rc;
	return rc;
}

struct recorded {
	char *name[32], *sql[32];
	int n;
};

static void recorded_free(struct recorded *r)
{
	for (int i = 0; i < r->n; i++) {
		xfree(r->name[i]);
		xfree(r->sql[i]);
	}
	r->n = 0;
}

/* The recorded indexes, copied: building one changes the schema, which a
 * statement still stepping over the record would not survive. */
static int recorded_read(struct db *db, struct recorded *r, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT name, sql FROM deferred_indexes ORDER BY name", &st, err);
	if (rc)
		return rc;
	while ((rc = db_step(st, err)) == DB_ROW && r->n < (int)ARRAY_SIZE(r->name)) {
		r->name[r->n] = xstrdup(db_col_text(st, 0));
		r->sql[r->n] = xstrdup(db_col_text(st, 1));
		r->n++;
		if (!r->name[r->n - 1] || !r->sql[r->n - 1]) {
			rc = err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
			break;
		}
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* Builds one recorded index (unless it exists) and strikes it off the
 * record, in one transaction: a kill leaves either both or neither. */
static int build_one(struct db *db, const char *name, const char *sql, struct err *err)
{
	struct db_stmt *st;
	/* the text is SQLite's own copy of a CREATE INDEX of our schema; one
	 * statement, nothing after it */
	if (strncmp(sql, "CREATE INDEX ", 13) != 0 || strchr(sql, ';'))
		return err_setf(err, ERR_INTERNAL, "", "索引定义异常:%s", "odd index definition: %s",
				name, name);
	int rc = db_begin(db, err);
	if (!rc)
		rc = db_prepare(db, "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?",
				&st, err);
	if (!rc) {
		db_bind_text(st, 1, name);
		rc = db_step(st, err);
		db_done(st);
		rc = rc == DB_DONE ? db_exec(db, sql, err) : rc < 0 ? rc : 0;
	}
	if (!rc)
		rc = db_prepare(db, "DELETE FROM deferred_indexes WHERE name = ?", &st, err);
	if (!rc) {
		db_bind_text(st, 1, name);
		rc = db_run(st, err);
		db_done(st);
	}
	if (!rc)
		rc = db_commit(db, err);
	else
		db_rollback(db);
	return rc;
}

/* One transaction per index, so the write lock is held for one index at a
 * time and an index built stays built. One that fails stays on record and the
 * others are still built; the first failure is returned. */
static int build_recorded(struct db *db, int *built, struct err *err)
{
	struct recorded r = { .n = 0 };
	int first = recorded_read(db, &r, err);
	for (int i = 0; first != ERR_NOMEM && i < r.n; i++) {
		struct err one = ERR_INIT;
		int rc = build_one(db, r.name[i], r.sql[i], &one);
		if (!rc) {
			log_info("event=index_rebuilt name=%s", r.name[i]);
			(*built)++;
			continue;
		}
		log_warn("event=index_rebuild_failed name=%s detail=\"%s\"", r.name[i], one.msg_en);
		if (!first)
			first = err_set(err, rc, one.field, one.msg_zh, one.msg_en);
	}
	recorded_free(&r);
	return first;
}

static int has_recorded(struct db *db, int *any, struct err *err)
{
	struct db_stmt *st;
	/* before migration 0010 there is no record at all */
	int rc = db_prepare(db, "SELECT 1 FROM sqlite_master WHERE type = 'table'"
				" AND name = 'deferred_indexes'", &st, err);
	if (rc)
		return rc;
	rc = db_step(st, err);
	db_done(st);
	*any = 0;
	if (rc != DB_ROW)
		return rc < 0 ? rc : 0;
	rc = db_prepare(db, "SELECT 1 FROM deferred_indexes LIMIT 1", &st, err);
	if (rc)
		return rc;
	rc = db_step(st, err);
	*any = rc == DB_ROW;
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int build_with_threads(struct db *db, struct err *err)
{
	int built = 0;
	/* CREATE INDEX sorts its keys; a worker thread lets it use a second core.
	 * Each sorter holds up to the page cache's size in memory, so the cache
	 * shrinks first (an import's is 24 MiB) to keep the peak under 64 MB. */
	int rc = db_exec(db, "PRAGMA cache_size = -2048; PRAGMA threads = 2", err);
	if (!rc)
		rc = build_recorded(db, &built, err);
	struct err ignored = ERR_INIT;
	if (db_exec(db, "PRAGMA threads = 0; PRAGMA cache_size = -2000", &ignored))
		log_warn("event=pragma_threads_failed");
	/* DROP INDEX took the indexes' planner statistics with it */
	if (!rc && built)
		rc = db_exec(db, "PRAGMA analysis_limit = 1000; ANALYZE", err);
	return rc;
}

int db_indexes_restore(struct db *db, struct err *err)
{
	int any = 0, rc;
	if (db->tx_depth)
		BUG("db_indexes_restore inside a transaction");
	if (db->engine != DB_SQLITE)
		return 0;
	rc = has_recorded(db, &any, err);
	if (rc || !any) {
		lock_drop(db);
		return rc;
	}
	if (db->defer_lock_fd < 0) {
		rc = lock_take(db, &db->defer_lock_fd, err);
		if (rc || db->defer_lock_fd < 0)
			return rc; /* an import is running: it builds them when done */
	}
	rc = build_with_threads(db, err);
	lock_drop(db);
	return rc;
}
