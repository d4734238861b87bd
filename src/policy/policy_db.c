#include "policy/policy_db.h"

#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "db/db.h"
#include "policy/policy_json.h"
#include "lib/xalloc.h"
#include "lib/common.h"

/* The newest document's text and version; *text NULL when none. Caller xfrees. */
static int newest(struct db *db, int64_t store_id, char **text, int64_t *version,
		  struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT version, doc FROM policies WHERE store_id = ?"
				" ORDER BY version DESC LIMIT 1",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, store_id);
	*text = NULL;
	*version = 0;
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		*version = db_col_int(st, 0);
		*text = xstrdup(db_col_text(st, 1));
		if (!*text)
			rc = err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

int policy_load(struct db *db, int64_t store_id, struct policy *p, int64_t *version,
		struct err *err)
{
	char *text;
	int rc = newest(db, store_id, &text, version, err);

	policy_defaults(p);
	if (rc || !text)
		return rc;
	json_t *doc = json_loads(text, 0, NULL);
	xfree(text);
	if (!doc)
		return err_set(err, ERR_INTERNAL, "policy", "已保存的策略无法解析",
			       "the saved policy cannot be parsed");
	rc = policy_from_json(doc, p, err);
	json_decref(doc);
	return rc;
}

static char *dump(const struct policy *p)
{
	json_t *doc = policy_to_json(p);
	char *s = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(12));
	json_decref(doc);
	return s;
}

static int insert_version(struct db *db, const struct auth_user *who, int64_t store_id,
			  int64_t version, const char *doc, int64_t now, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "INSERT INTO policies (store_id, version, doc, created_by,"
				" created_utc) VALUES (?, ?, ?, ?, ?)",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, store_id);
	db_bind_int(st, 2, version);
	db_bind_text(st, 3, doc);
	if (who)
		db_bind_int(st, 4, who->id);
	else
		db_bind_null(st, 4);
	db_bind_int(st, 5, now);
	rc = db_run(st, err);
	db_done(st);
	return rc;
}

int policy_save(struct db *db, const struct auth_user *who, int64_t store_id,
		const char *store_code, const struct policy *p, int64_t expect_version,
		int64_t now_utc, int64_t *new_version, struct err *err)
{
	struct policy before;
	int64_t current;
	char *b = NULL, *a = NULL;
	int rc = db_begin(db, err);

	if (rc)
		return rc;
	rc = policy_load(db, store_id, &before, &current, err);
	if (!rc && current != expect_version)
		rc = err_setf(err, ERR_CONFLICT, "version",
			      "策略已被他人修改(当前版本 %lld),请刷新后重试",
			      "the policy was changed by someone else (now version %lld); reload and retry",
			      (long long)current, (long long)current);
	if (!rc) {
		b = dump(&before);
		a = dump(p);
		if (!a || !b)
			rc = err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	}
	/* The unique (store_id, version) key turns a racing writer into 409 too. */
	if (!rc)
		rc = insert_version(db, who, store_id, current + 1, a, now_utc, err);
	if (!rc) {
		struct audit_entry e = { who, "policy", store_code, "update", b, a, now_utc };
		rc = audit_write(db, &e, err);
	}
	free(a); /* both from json_dumps, jansson's malloc */
	free(b);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	*new_version = current + 1;
	return db_commit(db, err);
}
