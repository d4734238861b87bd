/*
 * http.h - the HTTP shell: requests, responses, routes and JSON helpers.
 *
 * A handler decodes JSON into typed values, calls the core and storage, and
 * encodes the result. It never chooses a status for an error: it returns the
 * err code and the one table in lib/err.c decides (400/401/403/404/409/...).
 * The server has already matched the route, checked the session and the role,
 * and opened a database connection for the request before the handler runs.
 * Everything allocated for the request comes from req->arena.
 */
#ifndef HTTP_HTTP_H
#define HTTP_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "lib/err.h"

struct arena;
struct db;
struct config;
struct MHD_Connection;
struct http_upload;

#define HTTP_MAX_PARAMS 6

struct http_req {
	struct arena *arena;
	struct MHD_Connection *conn;
	const struct config *cfg;
	struct db *db;
	const char *method;
	const char *path;
	const char *body;
	size_t body_len;
	const char *lang;     /* "zh" or "en", from Accept-Language */
	const char *address;  /* client IP */
	int64_t now_utc;
	char id[17];          /* request id for the log */
	int n_params;
	const char *param_names[HTTP_MAX_PARAMS];
	const char *param_values[HTTP_MAX_PARAMS];
	const struct http_upload *upload; /* upload routes only */
	int authenticated;
	struct auth_user user;
	char session_hash[AUTH_TOKEN_HEX];
};

struct http_resp {
	int status;           /* 200 unless the handler sets another (201) */
	json_t *json;         /* body; the server frees it */
	const char *set_cookie;
	const char *content_type; /* for raw bodies */
	const void *raw;      /* raw body (arena or static memory) */
	size_t raw_len;
	/* raw bodies sent as a file: the whole Content-Disposition value, e.g.
	 * "attachment; filename=\"orders.xlsx\"; filename*=UTF-8''%E8%AE%A2..." */
	const char *content_disposition;
};

struct http_route {
	const char *method;
	const char *pattern;  /* "/api/v1/stores/{code}" */
	int (*fn)(struct http_req *req, struct http_resp *resp, struct err *err);
	unsigned roles;       /* ROLE_BIT mask; 0 = public, no session needed */
	unsigned flags;       /* HTTP_ROUTE_UPLOAD: multipart body streamed to files */
};

#define HTTP_ROUTE_UPLOAD 1u

/* Route tables, one per module; the server walks them in order. */
extern const struct http_route auth_routes[];
extern const struct http_route store_routes[];
extern const struct http_route policy_routes[];
extern const struct http_route audit_routes[];
extern const struct http_route health_routes[];
extern const struct http_route order_routes[], order_merge_routes[];
extern const struct http_route import_routes[];
extern const struct http_route print_routes[], verify_routes[];
extern const struct http_route inventory_routes[];
extern const struct http_route shipping_routes[], recon_routes[], handover_routes[];

/* router.c: 1 when pattern matches path (params stored in req). */
int http_route_match(const char *pattern, const char *path, struct http_req *req);
/* Path parameter by name, or NULL. */
const char *http_param(const struct http_req *req, const char *name);
/* Query-string argument by name, or NULL. */
const char *http_query(const struct http_req *req, const char *name);
const char *http_header(const struct http_req *req, const char *name);
const char *http_cookie(const struct http_req *req, const char *name);

/* json.c: the body as a JSON object (400 with a message when malformed). */
int http_body_object(struct http_req *req, json_t **out, struct err *err) WUR;
/* Typed field readers: missing + required -> 422 naming the field; wrong type -> 422. */
int json_str_field(json_t *obj, const char *name, int required, size_t max_len,
		   const char **out, struct err *err) WUR;
int json_int_field(json_t *obj, const char *name, int required, int64_t lo, int64_t hi,
		   int64_t *out, struct err *err) WUR;
int json_bool_field(json_t *obj, const char *name, int required, int *out, struct err *err) WUR;
/* Query parameter as a bounded integer (default when absent). */
int http_query_int(struct http_req *req, const char *name, int64_t lo, int64_t hi, int64_t def,
		   int64_t *out, struct err *err) WUR;

struct sb;
/* Appends s as a JSON string literal (quotes, backslash and control characters
 * escaped; UTF-8 passed through). For hot lists written without jansson. */
void http_json_str(struct sb *b, const char *s);

/* The error body {"error":{"code","message","field"}} in the request's language. */
json_t *http_error_json(const struct err *e, const char *lang);

struct db_pool;
struct http_server;
/* Starts listening; *port_out gets the bound port (useful with port 0). */
int http_server_start(const struct config *cfg, struct db_pool *pool,
		      struct http_server **out, int *port_out, struct err *err) WUR;
/* Stops accepting, lets running requests finish (up to grace_ms), then stops. */
void http_server_stop(struct http_server *s, int grace_ms);

#endif
