/*
 * auth_http.c - login, logout, the current user, and user administration.
 *
 *   POST  /api/v1/auth/login   {"username","password"} -> {"token","user":{...}} + cookie
 *   POST  /api/v1/auth/logout
 *   GET   /api/v1/auth/me
 *   GET   /api/v1/users[?unmask=1]        boss, hr, cs_lead (phones masked unless boss/hr
 *                                         ask for unmask=1, which is audited as an export)
 *   POST  /api/v1/users                   boss
 *   PATCH /api/v1/users/{id}              boss (with "version": stale -> 409)
 */
#include "auth/auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/auth_db.h"
#include "config.h"
#include "db/db.h"
#include "http/http.h"
#include "lib/arena.h"
#include "lib/mask.h"
#include "lib/sb.h"
#include "lib/common.h"

#define SESSION_COOKIE "dianpu_session"

static int add_code(const char *code, void *arr)
{
	return json_array_append_new(arr, json_string(code)) ? ERR_NOMEM : 0;
}

/* The user as the API shows it; "stores" lists the stores the user is limited
 * to, empty when the user sees all. */
static json_t *user_json(struct http_req *req, const struct user_row *u, int show_phone)
{
	struct arena *a = req->arena;
	struct err ignored = ERR_INIT;
	json_t *stores = json_array();
	if (user_store_codes(req->db, u->id, add_code, stores, &ignored))
		json_array_clear(stores);
	const char *phone = u->phone;
	if (!show_phone && *u->phone) {
		struct sb sb;
		sb_init_arena(&sb, a, 256);
		mask_phone(u->phone, &sb);
		phone = sb_take(&sb, &ignored);
		err_init(&ignored);
		if (!phone)
			phone = "****";
	}
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:b,s:I,s:I,s:o}", "id", (json_int_t)u->id,
			 "username", u->username, "display_name", u->display_name, "role",
			 role_name(u->role), "role_label", role_label_zh(u->role), "phone", phone,
			 "disabled", u->disabled, "version", (json_int_t)u->version, "created_utc",
			 (json_int_t)u->created_utc, "stores", stores);
}

static int login_check_limits(struct http_req *req, const char *username,
			      const struct auth_limits *lim, struct err *err)
{
	int64_t fu, fa;
	int rc = login_failures(req->db, username, req->address, req->now_utc - lim->window_s,
				&fu, &fa, err);
	if (rc)
		return rc;
	if (!auth_login_allowed(lim, fu, fa))
		return err_setf(err, ERR_RATE_LIMITED, "", "登录失败次数过多,请 %d 分钟后再试",
				"too many failed logins; try again in %d minutes",
				lim->window_s / 60, lim->window_s / 60);
	return 0;
}

static int login_verify(struct http_req *req, const char *username, const char *password,
			struct user_row *u, struct err *err)
{
	struct err lookup = ERR_INIT;
	int rc = user_get_by_name(req->db, username, u, &lookup);
	int ok;

	if (rc && rc != ERR_NOT_FOUND)
		return err_set(err, rc, lookup.field, lookup.msg_zh, lookup.msg_en);
	/* Unknown users still pay for a hash check, so timing does not reveal names. */
	ok = auth_password_verify(rc ? auth_dummy_hash() : u->password_hash, password) &&
	     !rc && !u->disabled;
	rc = login_record(req->db, username, req->address, ok, req->now_utc, err);
	if (rc)
		return rc;
	if (!ok)
		return err_set(err, ERR_UNAUTHORIZED, "password", "用户名或密码错误",
			       "wrong username or password");
	return 0;
}

static int auth_login(struct http_req *req, struct http_resp *resp, struct err *err)
{
	const struct config *cfg = req->cfg;
	struct auth_limits lim = { cfg->login_window_min * 60, cfg->login_max_fail_user,
				   cfg->login_max_fail_address, cfg->session_hours * 3600 };
	const char *username, *password;
	char token[AUTH_TOKEN_HEX], hash[AUTH_TOKEN_HEX];
	struct user_row u;
	json_t *body;
	int rc = http_body_object(req, &body, err);

	if (rc)
		return rc;
	rc = json_str_field(body, "username", 1, AUTH_USERNAME_MAX, &username, err);
	if (!rc)
		rc = json_str_field(body, "password", 1, AUTH_PASSWORD_MAX, &password, err);
	if (!rc)
		rc = login_check_limits(req, username, &lim, err);
	if (!rc)
		rc = login_verify(req, username, password, &u, err);
	if (rc)
		goto out;
	auth_token_new(token);
	auth_token_hash(token, hash);
	rc = session_create(req->db, hash, u.id, req->address, req->now_utc,
			    req->now_utc + lim.session_s, err);
	if (rc)
		goto out;
	char cookie[256];
	snprintf(cookie, sizeof cookie, SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d",
		 token, lim.session_s);
	resp->set_cookie = arena_strdup(req->arena, cookie);
	resp->json = json_pack("{s:s,s:I,s:o}", "token", token, "expires_utc",
			       (json_int_t)(req->now_utc + lim.session_s), "user",
			       user_json(req, &u, 1));
out:
	json_decref(body);
	return rc;
}

static int auth_logout(struct http_req *req, struct http_resp *resp, struct err *err)
{
	int rc = session_delete(req->db, req->session_hash, err);
	if (rc)
		return rc;
	resp->set_cookie = SESSION_COOKIE "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
	resp->json = json_pack("{s:b}", "ok", 1);
	return 0;
}

struct codes_out {
	struct sb *b;
	int n;
};

static int store_code_add(const char *code, void *p)
{
	struct codes_out *o = p;
	if (o->n++)
		sb_addc(o->b, ',');
	http_json_str(o->b, code);
	return 0;
}

/* The same document user_json() gives, written directly: /auth/me is asked on
 * every page of the console, so it skips jansson and the users query. */
static int auth_me(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct auth_profile p;
	struct sb b;
	int rc = auth_session_profile(req->db, req->session_hash, req->now_utc, &p, err);

	if (rc)
		return rc;
	sb_init_arena(&b, req->arena, 64 * 1024);
	sb_addf(&b, "{\"user\":{\"id\":%lld,\"username\":", (long long)p.user.id);
	http_json_str(&b, p.user.username);
	sb_adds(&b, ",\"display_name\":");
	http_json_str(&b, p.display_name);
	sb_adds(&b, ",\"role\":");
	http_json_str(&b, role_name(p.user.role));
	sb_adds(&b, ",\"role_label\":");
	http_json_str(&b, role_label_zh(p.user.role));
	sb_adds(&b, ",\"phone\":");
	http_json_str(&b, p.phone);
	/* a disabled user has no session, so "disabled" is always false here */
	sb_addf(&b, ",\"disabled\":false,\"version\":%lld,\"created_utc\":%lld,\"stores\":[",
		(long long)p.version, (long long)p.created_utc);
	if (p.stores_overflow) {
		/* more codes than the profile holds: read them, as user_json() does */
		struct sb codes;
		struct codes_out o = { &codes, 0 };
		struct err ignored = ERR_INIT;
		sb_init_arena(&codes, req->arena, 64 * 1024);
		if (user_store_codes(req->db, p.user.id, store_code_add, &o, &ignored) == 0)
			sb_add(&b, codes.buf, codes.len);
	} else {
		for (const char *c = p.stores; *c;) {
			size_t n = strcspn(c, ",");
			char code[AUTH_PROFILE_STORES_MAX];
			memcpy(code, c, n);
			code[n] = '\0';
			if (c != p.stores)
				sb_addc(&b, ',');
			http_json_str(&b, code);
			c += n + (c[n] == ',');
		}
	}
	sb_adds(&b, "]}}");
	resp->raw_len = b.len;
	resp->raw = sb_take(&b, err);
	resp->content_type = "application/json; charset=utf-8";
	return resp->raw ? 0 : err->code;
}

struct list_ctx {
	json_t *items;
	struct http_req *req;
	int unmask;
};

static int list_one(const struct user_row *u, void *p)
{
	struct list_ctx *c = p;
	int show = c->unmask || u->id == c->req->user.id;
	json_array_append_new(c->items, user_json(c->req, u, show));
	return 0;
}

/* Unmasked staff phones are personal data: who exported them is audited. */
static int audit_pii_export(struct http_req *req, size_t count, struct err *err)
{
	char after[96];
	snprintf(after, sizeof after, "{\"fields\":[\"phone\"],\"rows\":%zu}", count);
	struct audit_entry e = { &req->user, "pii_export", "users", "export", NULL, after,
				 req->now_utc };
	return audit_write(req->db, &e, err);
}

static int users_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
	const char *q = http_query(req, "unmask");
	struct list_ctx c = { json_array(), req, q && strcmp(q, "1") == 0 };
	int rc;

	if (c.unmask && !role_sees_staff_pii(req->user.role)) {
		json_decref(c.items);
		return err_set(err, ERR_FORBIDDEN, "unmask", "无权查看完整电话号码",
			       "not allowed to see unmasked phone numbers");
	}
	rc = user_each(req->db, list_one, &c, err);
	if (!rc && c.unmask)
		rc = audit_pii_export(req, json_array_size(c.items), err);
	if (rc) {
		json_decref(c.items);
		return rc;
	}
	resp->json = json_pack("{s:o}", "items", c.items);
	return 0;
}

static int role_field(json_t *body, int required, int *out, struct err *err)
{
	const char *s;
	enum role r;
	int rc = json_str_field(body, "role", required, 32, &s, err);

	if (rc || !s)
		return rc;
	if (role_parse(s, &r))
		return err_setf(err, ERR_UNPROCESSABLE, "role", "未知角色 %s", "unknown role %s", s, s);
	*out = (int)r;
	return 0;
}

#define USER_STORES_MAX 64

/* Optional "stores": ["code", ...]; *n = -1 when absent. */
static int stores_field(struct http_req *req, json_t *body, const char ***codes, int *n,
			struct err *err)
{
	json_t *v = json_object_get(body, "stores"), *item;
	size_t i;

	*n = -1;
	if (!v)
		return 0;
	if (!json_is_array(v) || json_array_size(v) > USER_STORES_MAX)
		return err_set(err, ERR_UNPROCESSABLE, "stores", "stores 应为店铺代码数组",
			       "stores must be an array of store codes");
	*codes = arena_alloc(req->arena, (json_array_size(v) + 1) * sizeof **codes);
	if (!*codes)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	json_array_foreach(v, i, item) {
		if (!json_is_string(item))
			return err_set(err, ERR_UNPROCESSABLE, "stores", "stores 应为店铺代码数组",
				       "stores must be an array of store codes");
		(*codes)[i] = json_string_value(item);
	}
	*n = (int)json_array_size(v);
	return 0;
}

static int users_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct user_new u = { 0 };
	int role = -1;
	int64_t id = 0;
	struct user_row row;
	json_t *body;
	int rc = http_body_object(req, &body, err);

	if (rc)
		return rc;
	rc = json_str_field(body, "username", 1, AUTH_USERNAME_MAX, &u.username, err);
	if (!rc)
		rc = json_str_field(body, "password", 1, AUTH_PASSWORD_MAX, &u.password, err);
	if (!rc)
		rc = role_field(body, 1, &role, err);
	if (!rc)
		rc = json_str_field(body, "display_name", 0, 60, &u.display_name, err);
	if (!rc)
		rc = json_str_field(body, "phone", 0, 30, &u.phone, err);
	u.role = (enum role)role;
	const char **codes = NULL;
	int ncodes = -1;
	if (!rc)
		rc = stores_field(req, body, &codes, &ncodes, err);
	if (!rc)
		rc = db_begin(req->db, err);
	if (!rc) {
		rc = user_create(req->db, &req->user, &u, req->now_utc, &id, err);
		if (!rc && ncodes >= 0)
			rc = user_stores_set(req->db, &req->user, id, codes, ncodes, req->now_utc, err);
		rc = rc ? (db_rollback(req->db), rc) : db_commit(req->db, err);
	}
	if (!rc)
		rc = user_get(req->db, id, &row, err);
	if (!rc) {
		resp->status = 201;
		resp->json = json_pack("{s:o}", "user", user_json(req, &row, 1));
	}
	json_decref(body);
	return rc;
}

static int parse_id(const char *s, int64_t *out, struct err *err)
{
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || *end || v <= 0)
		return err_set(err, ERR_NOT_FOUND, "id", "记录不存在", "no such record");
	*out = v;
	return 0;
}

static int users_patch(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct user_change c = { .role = -1, .disabled = -1 };
	struct user_row row;
	int64_t id = 0;
	json_t *body;
	int rc = parse_id(http_param(req, "id"), &id, err);

	if (rc)
		return rc;
	rc = http_body_object(req, &body, err);
	if (rc)
		return rc;
	rc = json_int_field(body, "version", 1, 1, INT64_MAX, &c.expect_version, err);
	if (!rc)
		rc = json_str_field(body, "display_name", 0, 60, &c.display_name, err);
	if (!rc)
		rc = json_str_field(body, "phone", 0, 30, &c.phone, err);
	if (!rc)
		rc = json_str_field(body, "password", 0, AUTH_PASSWORD_MAX, &c.password, err);
	if (!rc)
		rc = role_field(body, 0, &c.role, err);
	if (!rc)
		rc = json_bool_field(body, "disabled", 0, &c.disabled, err);
	if (!rc && id == req->user.id && (c.disabled == 1 || (c.role >= 0 && c.role != ROLE_BOSS)))
		rc = err_set(err, ERR_UNPROCESSABLE, "role", "不能停用自己或取消自己的店长角色",
			     "you cannot disable yourself or drop your own boss role");
	const char **codes = NULL;
	int ncodes = -1;
	if (!rc)
		rc = stores_field(req, body, &codes, &ncodes, err);
	if (!rc)
		rc = db_begin(req->db, err);
	if (!rc) {
		rc = user_update(req->db, &req->user, id, &c, req->now_utc, err);
		if (!rc && ncodes >= 0)
			rc = user_stores_set(req->db, &req->user, id, codes, ncodes, req->now_utc, err);
		rc = rc ? (db_rollback(req->db), rc) : db_commit(req->db, err);
		/* after the commit: a session read meanwhile may hold the old row */
		auth_session_cache_invalidate();
	}
	if (!rc)
		rc = user_get(req->db, id, &row, err);
	if (!rc)
		resp->json = json_pack("{s:o}", "user", user_json(req, &row, 1));
	json_decref(body);
	return rc;
}

const struct http_route auth_routes[] = {
	{ "POST", "/api/v1/auth/login", auth_login, 0 },
	{ "POST", "/api/v1/auth/logout", auth_logout, ROLES_ALL },
	{ "GET", "/api/v1/auth/me", auth_me, ROLES_ALL },
	{ "GET", "/api/v1/users", users_list,
	  ROLE_BIT(ROLE_BOSS) | ROLE_BIT(ROLE_HR) | ROLE_BIT(ROLE_CS_LEAD) },
	{ "POST", "/api/v1/users", users_create, ROLE_BIT(ROLE_BOSS) },
	{ "PATCH", "/api/v1/users/{id}", users_patch, ROLE_BIT(ROLE_BOSS) },
	{ NULL, NULL, NULL, 0 },
};
