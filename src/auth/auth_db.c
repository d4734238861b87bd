/*
 * auth_db.c - storage of users, sessions and login attempts.
 */
#include "auth/auth_db.h"

#include <jansson.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "db/db.h"
#include "lib/xalloc.h"
#include "lib/common.h"

#define USER_COLS "id, username, display_name, role, phone, disabled, version," \
		  " created_utc, updated_utc, password_hash"

static void copy_col(struct db_stmt *st, int col, char *dst, size_t n)
{
	const char *s = db_col_text(st, col);
	size_t len = s ? strlen(s) : 0;
	if (len >= n)
		len = n - 1;
	memcpy(dst, s ? s : "", len);
	dst[len] = '\0';
}

static void read_user(struct db_stmt *st, struct user_row *u)
{
	memset(u, 0, sizeof *u);
	u->id = db_col_int(st, 0);
	copy_col(st, 1, u->username, sizeof u->username);
	copy_col(st, 2, u->display_name, sizeof u->display_name);
	enum role r = ROLE_CS_PRESALE;
	if (role_parse(db_col_text(st, 3) ? db_col_text(st, 3) : "", &r))
		r = ROLE__COUNT; /* an unknown role in the table grants nothing */
	u->role = r;
	copy_col(st, 4, u->phone, sizeof u->phone);
	u->disabled = (int)db_col_int(st, 5);
	u->version = db_col_int(st, 6);
	u->created_utc = db_col_int(st, 7);
	u->updated_utc = db_col_int(st, 8);
	copy_col(st, 9, u->password_hash, sizeof u->password_hash);
}

static int user_query_one(struct db *db, const char *sql, int64_t id, const char *name,
			  struct user_row *out, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, sql, &st, err);
	if (rc)
		return rc;
	if (name)
		db_bind_text(st, 1, name);
	else
		db_bind_int(st, 1, id);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		read_user(st, out);
	db_done(st);
	if (rc == DB_DONE)
		return err_set(err, ERR_NOT_FOUND, "user", "用户不存在", "no such user");
	return rc < 0 ? rc : 0;
}

int user_get(struct db *db, int64_t id, struct user_row *out, struct err *err)
{
	return user_query_one(db, "SELECT " USER_COLS " FROM users WHERE id = ?", id, NULL, out,
			      err);
}

int user_get_by_name(struct db *db, const char *username, struct user_row *out,
		     struct err *err)
{
	return user_query_one(db, "SELECT " USER_COLS " FROM users WHERE username = ?", 0,
			      username, out, err);
}

char *user_audit_json_new(const struct user_row *u)
{
	json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:b,s:I}", "id", (json_int_t)u->id,
			      "username", u->username, "display_name", u->display_name, "role",
			      role_name(u->role), "phone", u->phone, "disabled", u->disabled,
			      "version", (json_int_t)u->version);
	char *text = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(o);
	if (!text)
		return NULL;
	char *copy = xstrdup(text);
	free(text); /* jansson's own allocation */
	return copy;
}

static int user_validate_new(const struct user_new *u, struct err *err)
{
	int rc = auth_username_check(u->username, err);
	if (rc)
		return rc;
	if ((unsigned)u->role >= ROLE__COUNT)
		return err_set(err, ERR_UNPROCESSABLE, "role", "未知角色", "unknown role");
	return auth_password_check(u->password, err);
}

static int audit_user(struct db *db, const struct auth_user *who, const char *action,
		      const struct user_row *before, const struct user_row *after, int64_t now,
		      struct err *err)
{
	char id[32];
	char *b = before ? user_audit_json_new(before) : NULL;
	char *a = after ? user_audit_json_new(after) : NULL;
	int rc;

	if ((before && !b) || (after && !a)) {
		rc = err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
		goto out;
	}
	snprintf(id, sizeof id, "%lld", (long long)(after ? after->id : before->id));
	struct audit_entry e = { who, "user", id, action, b, a, now };
	rc = audit_write(db, &e, err);
out:
	xfree(b);
	xfree(a);
	return rc;
}

int user_create(struct db *db, const struct auth_user *who, const struct user_new *u,
		int64_t now_utc, int64_t *id_out, struct err *err)
{
	char hash[AUTH_HASH_MAX];
	struct db_stmt *st;
	struct user_row row;
	int rc = user_validate_new(u, err);

	if (rc)
		return rc;
	rc = auth_password_hash(u->password, hash, err);
	if (rc)
		return rc;
	rc = db_begin(db, err);
	if (rc)
		return rc;
	rc = db_prepare(db, "INSERT INTO users (username, display_name, role, phone, password_hash,"
			    " created_utc, updated_utc) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
			&st, err);
	if (rc)
		goto fail;
	db_bind_text(st, 1, u->username);
	db_bind_text(st, 2, u->display_name ? u->display_name : "");
	db_bind_text(st, 3, role_name(u->role));
	db_bind_text(st, 4, u->phone ? u->phone : "");
	db_bind_text(st, 5, hash);
	db_bind_int(st, 6, now_utc);
	db_bind_int(st, 7, now_utc);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		*id_out = db_col_int(st, 0);
	db_done(st);
	if (rc == ERR_CONFLICT) {
		err_init(err);
		rc = err_setf(err, ERR_CONFLICT, "username", "用户名 %s 已存在",
			      "username %s is taken", u->username, u->username);
	}
	if (rc < 0)
		goto fail;
	rc = user_get(db, *id_out, &row, err);
	if (rc)
		goto fail;
	rc = audit_user(db, who, "create", NULL, &row, now_utc, err);
	if (rc)
		goto fail;
	return db_commit(db, err);
fail:
	db_rollback(db);
	return rc;
}

static int user_apply_change(struct user_row *u, const struct user_change *c, struct err *err)
{
	int rc;

	if (c->display_name)
		snprintf(u->display_name, sizeof u->display_name, "%s", c->display_name);
	if (c->phone) {
		if (strlen(c->phone) >= sizeof u->phone)
			return err_set(err, ERR_UNPROCESSABLE, "phone", "电话号码过长",
				       "phone number is too long");
		snprintf(u->phone, sizeof u->phone, "%s", c->phone);
	}
	if (c->role >= 0) {
		if (c->role >= ROLE__COUNT)
			return err_set(err, ERR_UNPROCESSABLE, "role", "未知角色", "unknown role");
		u->role = (enum role)c->role;
	}
	if (c->disabled >= 0)
		u->disabled = c->disabled;
	if (c->password) {
		rc = auth_password_check(c->password, err);
		if (rc)
			return rc;
		rc = auth_password_hash(c->password, u->password_hash, err);
		if (rc)
			return rc;
	}
	return 0;
}

static int user_store_row(struct db *db, const struct user_row *u, int64_t old_version,
			  int64_t now, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "UPDATE users SET display_name = ?, role = ?, phone = ?,"
				" disabled = ?, password_hash = ?, version = version + 1,"
				" updated_utc = ? WHERE id = ? AND version = ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, u->display_name);
	db_bind_text(st, 2, role_name(u->role));
	db_bind_text(st, 3, u->phone);
	db_bind_int(st, 4, u->disabled);
	db_bind_text(st, 5, u->password_hash);
	db_bind_int(st, 6, now);
	db_bind_int(st, 7, u->id);
	db_bind_int(st, 8, old_version);
	rc = db_run(st, err);
	int64_t changed = db_changes(st);
	db_done(st);
	if (rc)
		return rc;
	if (changed != 1)
		return err_set(err, ERR_CONFLICT, "version", "用户已被他人修改,请刷新后重试",
			       "the user was changed by someone else; reload and retry");
	return 0;
}

static int sessions_drop_for_user(struct db *db, int64_t user_id, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "DELETE FROM sessions WHERE user_id = ?", &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, user_id);
	rc = db_run(st, err);
	db_done(st);
	return rc;
}

int user_update(struct db *db, const struct auth_user *who, int64_t id,
		const struct user_change *c, int64_t now_utc, struct err *err)
{
	struct user_row before, after;
	int rc = db_begin(db, err);

	if (rc)
		return rc;
	rc = user_get(db, id, &before, err);
	if (rc)
		goto fail;
	if (c->expect_version != before.version) {
		rc = err_set(err, ERR_CONFLICT, "version", "用户已被他人修改,请刷新后重试",
			     "the user was changed by someone else; reload and retry");
		goto fail;
	}
	after = before;
	rc = user_apply_change(&after, c, err);
	if (rc)
		goto fail;
	rc = user_store_row(db, &after, before.version, now_utc, err);
	if (rc)
		goto fail;
	after.version = before.version + 1;
	/* A disabled account, a new role or a new password ends its open sessions. */
	if (after.disabled || after.role != before.role || c->password) {
		rc = sessions_drop_for_user(db, id, err);
		if (rc)
			goto fail;
	}
	rc = audit_user(db, who, after.disabled && !before.disabled ? "disable" : "update",
			&before, &after, now_utc, err);
	if (rc)
		goto fail;
	rc = db_commit(db, err);
	auth_session_cache_invalidate(); /* the caller's commit, if nested, must call again */
	return rc;
fail:
	db_rollback(db);
	return rc;
}

int user_each(struct db *db, int (*fn)(const struct user_row *u, void *ctx), void *ctx,
	      struct err *err)
{
	struct db_stmt *st;
	struct user_row u;
	int rc = db_prepare(db, "SELECT " USER_COLS " FROM users ORDER BY id", &st, err);
	if (rc)
		return rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		read_user(st, &u);
		rc = fn(&u, ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

int session_create(struct db *db, const char *token_hash, int64_t user_id, const char *address,
		   int64_t now_utc, int64_t expires_utc, struct err *err)
{
	struct db_stmt *st;
	/* Expired sessions are purged here, where they are cheap to find and few. */
	int rc = db_prepare(db, "DELETE FROM sessions WHERE expires_utc <= ?", &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, now_utc);
	rc = db_run(st, err);
	db_done(st);
	if (rc)
		return rc;
	rc = db_prepare(db, "INSERT INTO sessions (token_hash, user_id, address, created_utc,"
				" expires_utc) VALUES (?, ?, ?, ?, ?)",
			    &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, token_hash);
	db_bind_int(st, 2, user_id);
	db_bind_text(st, 3, address);
	db_bind_int(st, 4, now_utc);
	db_bind_int(st, 5, expires_utc);
	rc = db_run(st, err);
	db_done(st);
	return rc;
}

/* One query: the session, its user and the user's store limits. The
 * store codes are aggregated in SQL, each engine with its own spelling; codes
 * are [A-Za-z0-9_-] (store_code_check), so a comma separates them safely. */
#define PROFILE_SQL(stores) \
	"SELECT u.id, u.username, u.role, u.display_name, u.phone, u.version, u.created_utc," \
	" s.expires_utc, (" stores ")" \
	" FROM sessions s JOIN users u ON u.id = s.user_id" \
	" WHERE s.token_hash = ? AND s.expires_utc > ? AND u.disabled = 0"
/* SQLite 3.40 has no ORDER BY inside an aggregate; an ordered subquery under an
 * aggregate is not flattened, so group_concat sees the codes in order. */
#define PROFILE_STORES_SQLITE \
	"SELECT group_concat(c, ',') FROM (SELECT st.code AS c FROM user_stores us" \
	" JOIN stores st ON st.id = us.store_id WHERE us.user_id = u.id ORDER BY st.code)"
#define PROFILE_STORES_PG \
	"SELECT string_agg(st.code, ',' ORDER BY st.code) FROM user_stores us" \
	" JOIN stores st ON st.id = us.store_id WHERE us.user_id = u.id"

static int profile_query(struct db *db, const char *token_hash, int64_t now_utc,
			 struct auth_profile *out, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, db->engine == DB_POSTGRES ? PROFILE_SQL(PROFILE_STORES_PG)
							  : PROFILE_SQL(PROFILE_STORES_SQLITE),
			    &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, token_hash);
	db_bind_int(st, 2, now_utc);
	rc = db_step(st, err);
	if (rc == DB_ROW) {
		const char *stores = db_col_text(st, 8);
		out->user.id = db_col_int(st, 0);
		copy_col(st, 1, out->user.username, sizeof out->user.username);
		if (role_parse(db_col_text(st, 2) ? db_col_text(st, 2) : "", &out->user.role))
			rc = ERR_UNAUTHORIZED; /* an unknown role in the table grants nothing */
		copy_col(st, 3, out->display_name, sizeof out->display_name);
		copy_col(st, 4, out->phone, sizeof out->phone);
		out->version = db_col_int(st, 5);
		out->created_utc = db_col_int(st, 6);
		out->expires_utc = db_col_int(st, 7);
		out->stores_overflow = stores && strlen(stores) >= sizeof out->stores;
		copy_col(st, 8, out->stores, sizeof out->stores);
	}
	db_done(st);
	if (rc == DB_DONE || rc == ERR_UNAUTHORIZED)
		return err_set(err, ERR_UNAUTHORIZED, "", "登录已过期,请重新登录",
			       "session expired; please log in again");
	return rc < 0 ? rc : 0;
}

/*
 * The session cache: a request's session is checked twice (authenticate, then
 * /auth/me), and the console asks on every page, so the answer is kept per
 * thread, keyed by token hash, for at most SESSION_CACHE_TTL_S seconds.
 *
 * Safety within this process: every slot carries the generation it was read
 * under; auth_session_cache_invalidate() bumps the generation, which empties
 * every thread's cache at once. The generation is loaded before the query, so
 * a query racing with a logout or a disable is filed under the old generation
 * and never served. Logout, a password, role or disabled change and a new
 * store list thus take effect on the next request.
 *
 * The tradeoff: a change made by another process (the CLI's `user disable`,
 * `user passwd`, or another server on the same database) is not seen here
 * until a slot is SESSION_CACHE_TTL_S seconds old, so such a session may be
 * honoured for up to that long after it ended. The session's own expiry is
 * checked on every hit.
 */
#define SESSION_CACHE_SLOTS 32 /* per thread, direct-mapped by token hash */
#define SESSION_CACHE_TTL_S 2
#define SESSION_CACHE_STORES 256 /* longer store lists are not cached */

struct session_slot {
	uint64_t gen; /* 0: empty */
	int64_t filled_utc;
	char token_hash[AUTH_TOKEN_HEX];
	struct auth_user user;
	char display_name[128];
	char phone[40];
	int64_t version, created_utc, expires_utc;
	char stores[SESSION_CACHE_STORES];
};

static _Atomic uint64_t session_gen = 1;
static _Thread_local struct session_slot session_cache[SESSION_CACHE_SLOTS];

void auth_session_cache_invalidate(void)
{
	atomic_fetch_add(&session_gen, 1);
}

static struct session_slot *slot_of(const char *token_hash)
{
	unsigned h = 0;
	for (int i = 0; i < 8 && token_hash[i]; i++)
		h = h * 31u + (unsigned char)token_hash[i];
	return &session_cache[h % SESSION_CACHE_SLOTS];
}

static int slot_get(const struct session_slot *sl, const char *token_hash, int64_t now,
		    struct auth_profile *out)
{
	if (sl->gen != atomic_load(&session_gen) || now < sl->filled_utc ||
	    now >= sl->filled_utc + SESSION_CACHE_TTL_S || now >= sl->expires_utc ||
	    strcmp(sl->token_hash, token_hash) != 0)
		return 0;
	out->user = sl->user;
	memcpy(out->display_name, sl->display_name, sizeof out->display_name);
	memcpy(out->phone, sl->phone, sizeof out->phone);
	out->version = sl->version;
	out->created_utc = sl->created_utc;
	out->expires_utc = sl->expires_utc;
	memcpy(out->stores, sl->stores, sizeof sl->stores);
	out->stores_overflow = 0;
	return 1;
}

static void slot_put(struct session_slot *sl, uint64_t gen, const char *token_hash, int64_t now,
		     const struct auth_profile *p)
{
	if (p->stores_overflow || strlen(p->stores) >= sizeof sl->stores ||
	    strlen(token_hash) >= sizeof sl->token_hash) {
		sl->gen = 0;
		return;
	}
	sl->gen = gen;
	sl->filled_utc = now;
	snprintf(sl->token_hash, sizeof sl->token_hash, "%s", token_hash);
	sl->user = p->user;
	memcpy(sl->display_name, p->display_name, sizeof sl->display_name);
	memcpy(sl->phone, p->phone, sizeof sl->phone);
	sl->version = p->version;
	sl->created_utc = p->created_utc;
	sl->expires_utc = p->expires_utc;
	memcpy(sl->stores, p->stores, sizeof sl->stores);
}

int auth_session_profile(struct db *db, const char *token_hash, int64_t now_utc,
			 struct auth_profile *out, struct err *err)
{
	struct session_slot *sl = slot_of(token_hash);
	uint64_t gen = atomic_load(&session_gen); /* before the query: see above */
	int rc;

	if (slot_get(sl, token_hash, now_utc, out))
		return 0;
	rc = profile_query(db, token_hash, now_utc, out, err);
	if (rc) {
		if (strcmp(sl->token_hash, token_hash) == 0)
			sl->gen = 0;
		return rc;
	}
	slot_put(sl, gen, token_hash, now_utc, out);
	return 0;
}

int auth_session_user(struct db *db, const char *token_hash, int64_t now_utc,
		      struct auth_user *out, struct err *err)
{
	struct auth_profile p;
	int rc = auth_session_profile(db, token_hash, now_utc, &p, err);
	if (rc)
		return rc;
	*out = p.user;
	return 0;
}

int session_delete(struct db *db, const char *token_hash, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "DELETE FROM sessions WHERE token_hash = ?", &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, token_hash);
	rc = db_run(st, err);
	db_done(st);
	auth_session_cache_invalidate();
	return rc;
}

static int count_failures(struct db *db, const char *sql, const char *key, int64_t since,
			  int64_t *out, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, sql, &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, key);
	db_bind_int(st, 2, since);
	rc = db_step(st, err);
	*out = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc < 0 ? rc : 0;
}

int login_failures(struct db *db, const char *username, const char *address, int64_t since_utc,
		   int64_t *by_user, int64_t *by_address, struct err *err)
{
	int rc = count_failures(db, "SELECT COUNT(*) FROM login_attempts"
				    " WHERE username = ? AND at_utc >= ? AND ok = 0",
				username, since_utc, by_user, err);
	if (rc)
		return rc;
	return count_failures(db, "SELECT COUNT(*) FROM login_attempts"
				  " WHERE address = ? AND at_utc >= ? AND ok = 0",
			      address, since_utc, by_address, err);
}

int login_record(struct db *db, const char *username, const char *address, int ok,
		 int64_t now_utc, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "INSERT INTO login_attempts (username, address, ok, at_utc)"
				" VALUES (?, ?, ?, ?)",
			    &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, username);
	db_bind_text(st, 2, address);
	db_bind_int(st, 3, ok);
	db_bind_int(st, 4, now_utc);
	rc = db_run(st, err);
	db_done(st);
	return rc;
}

static int user_has_store(struct db *db, int64_t user_id, const char *code)
{
	struct err ignored = ERR_INIT;
	struct db_stmt *st;
	if (db_prepare(db, "SELECT 1 FROM user_stores us JOIN stores s ON s.id = us.store_id"
			   " WHERE us.user_id = ? AND s.code = ?", &st, &ignored))
		return 0;
	db_bind_int(st, 1, user_id);
	db_bind_text(st, 2, code);
	int rc = db_step(st, &ignored);
	db_done(st);
	return rc == DB_ROW;
}

int user_store_codes(struct db *db, int64_t user_id,
		     int (*fn)(const char *code, void *ctx), void *ctx, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT s.code FROM user_stores us JOIN stores s ON s.id = us.store_id"
				" WHERE us.user_id = ? ORDER BY s.code",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, user_id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		rc = fn(db_col_text(st, 0), ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

static int codes_json_add(const char *code, void *arr)
{
	return json_array_append_new(arr, json_string(code)) ? ERR_NOMEM : 0;
}

static int stores_insert(struct db *db, int64_t user_id, const char *const *codes, int n,
			 struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "DELETE FROM user_stores WHERE user_id = ?", &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, user_id);
	rc = db_run(st, err);
	db_done(st);
	for (int i = 0; !rc && i < n; i++) {
		rc = db_prepare(db, "INSERT INTO user_stores (user_id, store_id)"
				    " SELECT ?, id FROM stores WHERE code = ?"
				    " ON CONFLICT DO NOTHING",
				&st, err);
		if (rc)
			return rc;
		db_bind_int(st, 1, user_id);
		db_bind_text(st, 2, codes[i]);
		rc = db_run(st, err);
		int64_t added = db_changes(st);
		db_done(st);
		if (!rc && added == 0 && !user_has_store(db, user_id, codes[i]))
			rc = err_setf(err, ERR_UNPROCESSABLE, "stores", "店铺 %s 不存在",
				      "no store %s", codes[i], codes[i]);
	}
	return rc;
}

static char *codes_json_new(struct db *db, int64_t user_id, struct err *err)
{
	json_t *arr = json_array();
	char *text = NULL, *copy = NULL;
	if (user_store_codes(db, user_id, codes_json_add, arr, err) == 0)
		text = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	if (text)
		copy = xstrdup(text);
	free(text); /* jansson's allocation */
	return copy;
}

int user_stores_set(struct db *db, const struct auth_user *who, int64_t user_id,
		    const char *const *codes, int n, int64_t now_utc, struct err *err)
{
	char id[32], *before = NULL, *after = NULL;
	int rc = db_begin(db, err);

	if (rc)
		return rc;
	before = codes_json_new(db, user_id, err);
	rc = before ? stores_insert(db, user_id, codes, n, err) : ERR_NOMEM;
	if (!rc)
		after = codes_json_new(db, user_id, err);
	if (!rc && !after)
		rc = ERR_NOMEM;
	if (!rc) {
		snprintf(id, sizeof id, "%lld", (long long)user_id);
		struct audit_entry e = { who, "user_stores", id, "update", before, after, now_utc };
		rc = audit_write(db, &e, err);
	}
	xfree(before);
	xfree(after);
	if (rc) {
		err_set(err, rc, "stores", "内存不足", "out of memory");
		db_rollback(db);
		return rc;
	}
	rc = db_commit(db, err);
	auth_session_cache_invalidate();
	return rc;
}
