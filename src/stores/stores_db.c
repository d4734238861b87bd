/*
 * stores_db.c - storage of stores, with audit rows and X-5 visibility.
 */
#include "stores/stores.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "db/db.h"
#include "lib/xalloc.h"
#include "lib/common.h"

#define STORE_COLS "id, code, name, platform, active, version, created_utc, updated_utc"

static void read_store(struct db_stmt *st, struct store *s)
{
	memset(s, 0, sizeof *s);
	s->id = db_col_int(st, 0);
	snprintf(s->code, sizeof s->code, "%s", db_col_text(st, 1));
	snprintf(s->name, sizeof s->name, "%s", db_col_text(st, 2));
	snprintf(s->platform, sizeof s->platform, "%s", db_col_text(st, 3));
	s->active = (int)db_col_int(st, 4);
	s->version = db_col_int(st, 5);
	s->created_utc = db_col_int(st, 6);
	s->updated_utc = db_col_int(st, 7);
}

static char *store_json_new(const struct store *s)
{
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:b,s:I}", "id", (json_int_t)s->id, "code",
			      s->code, "name", s->name, "platform", s->platform, "active",
			      s->active, "version", (json_int_t)s->version);
	char *text = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	char *copy = text ? xstrdup(text) : NULL;
	free(text); /* jansson's allocation */
	return copy;
}

static int audit_store(struct db *db, const struct auth_user *who, const char *action,
		       const struct store *before, const struct store *after, int64_t now,
		       struct err *err)
{
	char *b = before ? store_json_new(before) : NULL;
	char *a = store_json_new(after);
	int rc;

	if ((before && !b) || !a) {
		rc = err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	} else {
		struct audit_entry e = { who, "store", after->code, action, b, a, now };
		rc = audit_write(db, &e, err);
	}
	xfree(b);
	xfree(a);
	return rc;
}

int store_get(struct db *db, const char *code, struct store *out, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT " STORE_COLS " FROM stores WHERE code = ?", &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, code);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		read_store(st, out);
	db_done(st);
	if (rc == DB_DONE)
		return err_setf(err, ERR_NOT_FOUND, "code", "店铺 %s 不存在", "no store %s", code,
				code);
	return rc < 0 ? rc : 0;
}

int store_create(struct db *db, const struct auth_user *who, const char *code, const char *name,
		 const char *platform, int64_t now_utc, struct store *out, struct err *err)
{
	struct db_stmt *st;
	int rc = store_code_check(code, err);

	if (!rc)
		rc = store_name_check(name, err);
	if (!rc)
		rc = store_platform_check(platform, err);
	if (!rc)
		rc = db_begin(db, err);
	if (rc)
		return rc;
	rc = db_prepare(db, "INSERT INTO stores (code, name, platform, created_utc, updated_utc)"
			    " VALUES (?, ?, ?, ?, ?)",
			&st, err);
	if (rc)
		goto fail;
	db_bind_text(st, 1, code);
	db_bind_text(st, 2, name);
	db_bind_text(st, 3, platform);
	db_bind_int(st, 4, now_utc);
	db_bind_int(st, 5, now_utc);
	rc = db_run(st, err);
	db_done(st);
	if (rc == ERR_CONFLICT) {
		err_init(err);
		rc = err_setf(err, ERR_CONFLICT, "code", "店铺代码 %s 已存在",
			      "store code %s is taken", code, code);
	}
	if (!rc)
		rc = store_get(db, code, out, err);
	if (!rc)
		rc = audit_store(db, who, "create", NULL, out, now_utc, err);
	if (rc)
		goto fail;
	return db_commit(db, err);
fail:
	db_rollback(db);
	return rc;
}

static int store_write(struct db *db, const struct store *s, int64_t old_version, int64_t now,
		       struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "UPDATE stores SET name = ?, platform = ?, active = ?,"
				" version = version + 1, updated_utc = ? WHERE id = ? AND version = ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, s->name);
	db_bind_text(st, 2, s->platform);
	db_bind_int(st, 3, s->active);
	db_bind_int(st, 4, now);
	db_bind_int(st, 5, s->id);
	db_bind_int(st, 6, old_version);
	rc = db_run(st, err);
	int64_t n = db_changes(st);
	db_done(st);
	if (!rc && n != 1)
		rc = err_set(err, ERR_CONFLICT, "version", "店铺已被他人修改,请刷新后重试",
			     "the store was changed by someone else; reload and retry");
	return rc;
}

static int store_apply(struct store *s, const struct store_change *c, struct err *err)
{
	int rc = 0;
	if (c->name) {
		rc = store_name_check(c->name, err);
		if (rc)
			return rc;
		snprintf(s->name, sizeof s->name, "%s", c->name);
	}
	if (c->platform) {
		rc = store_platform_check(c->platform, err);
		if (rc)
			return rc;
		snprintf(s->platform, sizeof s->platform, "%s", c->platform);
	}
	if (c->active >= 0)
		s->active = c->active;
	return 0;
}

int store_update(struct db *db, const struct auth_user *who, const char *code,
		 const struct store_change *c, int64_t now_utc, struct store *out,
		 struct err *err)
{
	struct store before;
	int rc = db_begin(db, err);

	if (rc)
		return rc;
	rc = store_get(db, code, &before, err);
	if (!rc && before.version != c->expect_version)
		rc = err_set(err, ERR_CONFLICT, "version", "店铺已被他人修改,请刷新后重试",
			     "the store was changed by someone else; reload and retry");
	*out = before;
	if (!rc)
		rc = store_apply(out, c, err);
	if (!rc)
		rc = store_write(db, out, before.version, now_utc, err);
	if (!rc)
		rc = store_get(db, code, out, err);
	if (!rc)
		rc = audit_store(db, who, "update", &before, out, now_utc, err);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, err);
}

/* a user with rows in user_stores sees only those stores; without, all. */
#define VISIBLE_WHERE \
	" WHERE (NOT EXISTS (SELECT 1 FROM user_stores WHERE user_id = ?)" \
	" OR id IN (SELECT store_id FROM user_stores WHERE user_id = ?))"

int store_each_visible(struct db *db, int64_t user_id, int (*fn)(const struct store *s, void *ctx),
		       void *ctx, struct err *err)
{
	struct db_stmt *st;
	struct store s;
	int rc = db_prepare(db, "SELECT " STORE_COLS " FROM stores" VISIBLE_WHERE " ORDER BY code",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, user_id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		read_store(st, &s);
		rc = fn(&s, ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

int store_visible(struct db *db, int64_t user_id, const char *code, struct store *out,
		  struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT " STORE_COLS " FROM stores" VISIBLE_WHERE " AND code = ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, user_id);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, code);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		read_store(st, out);
	db_done(st);
	if (rc == DB_DONE)
		return err_setf(err, ERR_NOT_FOUND, "code", "店铺 %s 不存在", "no store %s", code,
				code);
	return rc < 0 ? rc : 0;
}
