/*
 * server.c - libmicrohttpd glue: one request in, one JSON answer out.
 *
 * Flow of a request: libmicrohttpd calls handle() once with no body, then with
 * each body chunk, then a last time with none. The body is gathered (over the
 * configured limit it is discarded and the answer is 413); then dispatch()
 * matches a route, takes a database connection from the pool, checks the
 * session and the role, runs the handler and encodes its result or its error.
 * Each request has an arena, freed when the request completes, and writes one
 * log line: id, method, path, status, ms, user.
 */
#include "http/http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "auth/auth_db.h"
#include "config.h"
#include "db/db.h"
#include "lib/arena.h"
#include "lib/log.h"
#include "lib/sb.h"
#include "lib/xalloc.h"
#include "http/static.h"
#include "http/upload.h"
#include "lib/common.h"

struct http_server {
	struct MHD_Daemon *d;
	const struct config *cfg;
	struct db_pool *pool;
	size_t max_body;
	atomic_int active;
	atomic_uint_fast64_t next_id;
	uint32_t id_prefix;
	char web_dir[512]; /* the console's files; "" when not built */
};

struct conn_ctx {
	struct arena *arena;
	struct sb body;
	struct http_upload *upload; /* upload routes: the body streams to temp files */
	int too_large;
	int early_status;           /* an upload refused before its body was read */
	struct timespec start;
};

static const struct http_route *const route_tables[] = {
	health_routes, auth_routes, store_routes, policy_routes, audit_routes,
	order_merge_routes, /* before order_routes: /orders/merge-candidates, /orders/{id}/split */
	order_routes,
	import_routes,
	print_routes, verify_routes,
	inventory_routes,
	shipping_routes, recon_routes, handover_routes,
};

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static const char *client_address(struct MHD_Connection *conn, struct arena *a)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char buf[INET6_ADDRSTRLEN] = "";

	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr,
				  buf, sizeof buf);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
				  sizeof buf);
	}
	return arena_strdup(a, buf);
}

static const char *request_lang(struct MHD_Connection *conn)
{
	const char *al = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Language");
	return al && strncmp(al, "en", 2) == 0 ? "en" : "zh";
}

static int queue_json(struct MHD_Connection *conn, int status, json_t *body,
		      const char *set_cookie)
{
	char *text = json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(12));
	struct MHD_Response *r;
	int ret;

	if (!text)
		text = strdup("{\"error\":{\"code\":\"out_of_memory\",\"message\":\"\",\"field\":\"\"}}");
	if (!text)
		return MHD_NO;
	r = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(text); /* jansson's buffer: allocated by its malloc */
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", "application/json; charset=utf-8");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (set_cookie)
		MHD_add_response_header(r, "Set-Cookie", set_cookie);
	ret = MHD_queue_response(conn, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

static int queue_raw(struct MHD_Connection *conn, int status, const struct http_resp *resp)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		resp->raw_len, (void *)resp->raw, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", resp->content_type);
	/* API answers written without jansson are as private as queue_json's */
	if (strncmp(resp->content_type, "application/json", 16) == 0)
		MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	/* downloads (exports) carry their file name, and may hold customer data */
	if (resp->content_disposition) {
		MHD_add_response_header(r, "Content-Disposition", resp->content_disposition);
		MHD_add_response_header(r, "Cache-Control", "no-store");
	}
	int ret = MHD_queue_response(conn, (unsigned)status, r);
	MHD_destroy_response(r);
	return ret;
}

static const struct http_route *find_route(struct http_req *req, int *path_known)
{
	*path_known = 0;
	for (size_t t = 0; t < ARRAY_SIZE(route_tables); t++) {
		for (const struct http_route *r = route_tables[t]; r->method; r++) {
			req->n_params = 0;
			if (!http_route_match(r->pattern, req->path, req))
				continue;
			*path_known = 1;
			if (strcmp(r->method, req->method) == 0)
				return r;
		}
	}
	return NULL;
}

/* A random per-process prefix and a counter: unique across processes without a
 * getrandom() call per request. */
static void request_id(struct http_server *s, char out[17])
{
	uint64_t n = atomic_fetch_add(&s->next_id, 1);
	snprintf(out, 17, "%08x%08x", s->id_prefix, (unsigned)(n & 0xffffffffu));
}

static const char *session_token(struct http_req *req)
{
	const char *h = http_header(req, "Authorization");
	if (h && strncasecmp(h, "Bearer ", 7) == 0)
		return h + 7;
	return http_cookie(req, "dianpu_session");
}

static int authenticate(struct http_req *req, unsigned roles, struct err *err)
{
	const char *token = session_token(req);
	int rc;

	if (!token || !*token)
		return err_set(err, ERR_UNAUTHORIZED, "", "请先登录", "please log in");
	auth_token_hash(token, req->session_hash);
	rc = auth_session_user(req->db, req->session_hash, req->now_utc, &req->user, err);
	if (rc)
		return rc;
	req->authenticated = 1;
	if (!(roles & ROLE_BIT(req->user.role))) {
		char zh[128], en[128];
		snprintf(zh, sizeof zh, "角色「%s」无权执行此操作", role_label_zh(req->user.role));
		snprintf(en, sizeof en, "role %s may not do this", role_name(req->user.role));
		return err_set(err, ERR_FORBIDDEN, "", zh, en);
	}
	return 0;
}

static int run_route(struct http_server *s, struct http_req *req, struct http_resp *resp,
		     struct err *err)
{
	int known, rc;
	const struct http_route *r = find_route(req, &known);

	if (!r) {
		if (known)
			return err_set(err, ERR_METHOD, "", "不支持此请求方法", "method not allowed");
		return err_set(err, ERR_NOT_FOUND, "", "接口不存在", "no such endpoint");
	}
	req->db = db_pool_get(s->pool);
	if (r->roles) {
		rc = authenticate(req, r->roles, err);
		if (rc)
			return rc;
	}
	return r->fn(req, resp, err);
}

static int dispatch(struct http_server *s, struct conn_ctx *ctx, struct MHD_Connection *conn,
		    const char *url, const char *method)
{
	struct http_req req = { 0 };
	struct http_resp resp = { 0 };
	struct err err = ERR_INIT;
	int rc, status, ret;

	req.arena = ctx->arena;
	req.conn = conn;
	req.cfg = s->cfg;
	req.method = method;
	req.path = url;
	req.body = ctx->body.buf;
	req.body_len = ctx->body.len;
	req.upload = ctx->upload;
	req.lang = request_lang(conn);
	req.address = client_address(conn, ctx->arena);
	req.now_utc = (int64_t)time(NULL);
	request_id(s, req.id);
	resp.status = 200;

	if (ctx->too_large || (ctx->upload && ctx->upload->too_large))
		rc = err_set(&err, ERR_TOO_LARGE, "", "请求体超过上限", "request body exceeds the limit");
	else if (ctx->upload && ctx->upload->failed)
		rc = err_set(&err, ERR_INVALID, "", "上传的表单无法读取(应为 multipart/form-data)",
			     "the uploaded form cannot be read (multipart/form-data expected)");
	else
		rc = run_route(s, &req, &resp, &err);
	if (req.db) {
		db_pool_put(s->pool, req.db);
		req.db = NULL;
	}
	if (rc) {
		status = err_http_status(err.code ? err.code : rc);
		if (!err.code)
			err_set(&err, rc, "", "内部错误", "internal error");
		json_decref(resp.json);
		resp.json = http_error_json(&err, req.lang);
		ret = queue_json(conn, status, resp.json, NULL);
	} else if (resp.raw) {
		status = resp.status;
		ret = queue_raw(conn, status, &resp);
	} else {
		status = resp.status;
		if (!resp.json)
			resp.json = json_object();
		ret = queue_json(conn, status, resp.json, resp.set_cookie);
	}
	json_decref(resp.json);
	log_info("event=request id=%s method=%s path=%s status=%d ms=%.2f user=%s%s%s", req.id,
		 method, url, status, ms_since(&ctx->start),
		 req.authenticated ? req.user.username : "-", rc ? " error=" : "",
		 rc ? err_code_name(err.code) : "");
	return ret;
}

/* Everything outside /api/ is the web console. */
static enum MHD_Result serve_console(struct http_server *s, struct conn_ctx *ctx,
				     struct MHD_Connection *conn, const char *url,
				     const char *method)
{
	int status = 500;
	enum MHD_Result ret = http_static_serve(s->web_dir, conn, method, url, &status);
	log_debug("event=request method=%s path=%s status=%d ms=%.2f", method, url, status,
		  ms_since(&ctx->start));
	return ret;
}

static const struct http_route *upload_route(struct http_req *req)
{
	int known;
	const struct http_route *r = find_route(req, &known);
	return r && (r->flags & HTTP_ROUTE_UPLOAD) ? r : NULL;
}

/* An upload route checks the session and role before the body is read, so an
 * anonymous client cannot make the server spool gigabytes first. */
static enum MHD_Result upload_start(struct http_server *s, struct conn_ctx *ctx,
				    struct MHD_Connection *conn, const char *url, const char *method)
{
	struct http_req req = { 0 };
	struct err err = ERR_INIT;
	req.arena = ctx->arena;
	req.conn = conn;
	req.method = method;
	req.path = url;
	req.now_utc = (int64_t)time(NULL);
	const struct http_route *r = upload_route(&req);
	if (!r)
		return MHD_YES;
	req.db = db_pool_get(s->pool);
	int rc = authenticate(&req, r->roles, &err);
	db_pool_put(s->pool, req.db);
	if (!rc) {
		ctx->upload = http_upload_new(conn, (int64_t)s->cfg->max_upload_mb << 20);
		if (!ctx->upload)
			rc = err_set(&err, ERR_INVALID, "", "上传应为 multipart/form-data",
				     "an upload must be multipart/form-data");
	}
	if (!rc)
		return MHD_YES;
	json_t *body = http_error_json(&err, request_lang(conn));
	int ret = queue_json(conn, err_http_status(rc), body, NULL);
	json_decref(body);
	log_info("event=request method=%s path=%s status=%d error=%s", method, url,
		 err_http_status(rc), err_code_name(rc));
	return ret == MHD_YES ? MHD_YES : MHD_NO;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_data_size, void **con_cls)
{
	struct http_server *s = cls;
	struct conn_ctx *ctx = *con_cls;

	UNUSED(version);
	if (!ctx) {
		ctx = xcalloc(1, sizeof *ctx);
		if (!ctx)
			return MHD_NO;
		ctx->arena = arena_new(16384);
		if (!ctx->arena) {
			xfree(ctx);
			return MHD_NO;
		}
		sb_init(&ctx->body, s->max_body + 1);
		clock_gettime(CLOCK_MONOTONIC, &ctx->start);
		*con_cls = ctx;
		atomic_fetch_add(&s->active, 1);
		return upload_start(s, ctx, conn, url, method);
	}
	if (*upload_data_size && ctx->upload) {
		http_upload_feed(ctx->upload, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (*upload_data_size) {
		/* Over the limit the rest is read and dropped, so the client gets a clean 413. */
		if (!ctx->too_large && ctx->body.len + *upload_data_size > s->max_body)
			ctx->too_large = 1;
		if (!ctx->too_large)
			sb_add(&ctx->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (strncmp(url, "/api/", 5) != 0)
		return serve_console(s, ctx, conn, url, method);
	return dispatch(s, ctx, conn, url, method) == MHD_YES ? MHD_YES : MHD_NO;
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;
	struct conn_ctx *ctx = *con_cls;

	UNUSED(conn);
	UNUSED(toe);
	if (!ctx)
		return;
	sb_release(&ctx->body);
	http_upload_free(ctx->upload);
	arena_free(ctx->arena);
	xfree(ctx);
	*con_cls = NULL;
	atomic_fetch_sub(&s->active, 1);
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, struct err *err)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	char *end;

	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	if (!colon || (size_t)(colon - listen) >= sizeof host)
		goto bad;
	snprintf(host, sizeof host, "%.*s", (int)(colon - listen), listen);
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535)
		goto bad;
	sa->sin_port = htons((uint16_t)port);
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof host, "127.0.0.1");
	if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
		goto bad;
	return 0;
bad:
	return err_setf(err, ERR_INVALID, "listen", "监听地址应为 IP:端口,例如 127.0.0.1:8080(收到 %s)",
			"listen address must be IP:PORT such as 127.0.0.1:8080 (got %s)", listen,
			listen);
}

int http_server_start(const struct config *cfg, struct db_pool *pool,
		      struct http_server **out, int *port_out, struct err *err)
{
	struct sockaddr_in sa;
	struct http_server *s;
	int rc = parse_listen(cfg->listen, &sa, err);

	if (rc)
		return rc;
	s = xcalloc(1, sizeof *s);
	if (!s)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	s->cfg = cfg;
	s->pool = pool;
	s->max_body = (size_t)cfg->max_body_kb * 1024;
	s->id_prefix = randombytes_random();
	http_static_find_dir(cfg->web, s->web_dir, sizeof s->web_dir);
	log_info("event=console dir=%s", s->web_dir[0] ? s->web_dir : "(none: run make to build web/dist)");
	s->d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG, 0, NULL, NULL,
				&handle, s, MHD_OPTION_SOCK_ADDR, &sa,
				MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->timeout_s,
				MHD_OPTION_CONNECTION_LIMIT, 4096u,
				MHD_OPTION_NOTIFY_COMPLETED, &completed, s, MHD_OPTION_END);
	if (!s->d) {
		xfree(s);
		return err_setf(err, ERR_IO, "listen", "无法在 %s 上监听(端口被占用?)",
				"cannot listen on %s (port in use?)", cfg->listen, cfg->listen);
	}
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	*port_out = di ? di->port : ntohs(sa.sin_port);
	*out = s;
	return 0;
}

void http_server_stop(struct http_server *s, int grace_ms)
{
	if (!s)
		return;
	/* Stop accepting; requests already in flight get the grace period to finish. */
	MHD_quiesce_daemon(s->d);
	for (int waited = 0; waited < grace_ms && atomic_load(&s->active) > 0; waited += 10)
		usleep(10000);
	MHD_stop_daemon(s->d);
	xfree(s);
}
