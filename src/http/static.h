/*
 * static.h - the web console's files, served at "/" beside the API.
 */
#ifndef HTTP_STATIC_H
#define HTTP_STATIC_H

#include <microhttpd.h>
#include <stddef.h>

/* Answers a GET/HEAD for a console file from dir (SPA fallback to index.html);
 * *status is set for the request log. */
enum MHD_Result http_static_serve(const char *dir, struct MHD_Connection *conn,
				  const char *method, const char *path, int *status);

/* 1 when path is a plain "/a/b.js" name that may be looked up under the directory. */
int http_static_path_ok(const char *path);

/* The directory to serve: the configured one, else web/dist where `make` builds it;
 * "" when there is none. */
void http_static_find_dir(const char *configured, char *out, size_t cap);

#endif
