/*
 * router.c - path patterns with {name} segments, and request accessors.
 */
#include "http/http.h"

#include <microhttpd.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/common.h"

int http_route_match(const char *pattern, const char *path, struct http_req *req)
{
	const char *p = pattern, *s = path;
	int n = 0;

	while (*p && *s) {
		if (*p == '{') {
			const char *pe = strchr(p, '}');
			size_t seg = strcspn(s, "/");
			if (!pe || seg == 0 || n == HTTP_MAX_PARAMS)
				return 0;
			req->param_names[n] = arena_strndup(req->arena, p + 1, (size_t)(pe - p - 1));
			req->param_values[n] = arena_strndup(req->arena, s, seg);
			if (!req->param_names[n] || !req->param_values[n])
				return 0;
			n++;
			p = pe + 1;
			s += seg;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	if (*p || *s)
		return 0;
	req->n_params = n;
	return 1;
}

const char *http_param(const struct http_req *req, const char *name)
{
	for (int i = 0; i < req->n_params; i++)
		if (strcmp(req->param_names[i], name) == 0)
			return req->param_values[i];
	return NULL;
}

const char *http_query(const struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_header(const struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_cookie(const struct http_req *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}
