/*
 * static.c - serves the web console (web/dist) at "/".
 *
 * Everything outside /api/ is a file of the built console. Vite names its
 * bundles by content hash under /assets/, so those may be cached for a year;
 * index.html must be revalidated so a new build is picked up. The console is a
 * single-page app: a path that is not a file (/orders/42) gets index.html and
 * the router in the browser takes over, while a missing /assets/ file is a
 * real 404 (answering HTML for a script would only hide the error).
 */
#include "http/static.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/common.h"

static const struct {
	const char *ext;
	const char *type;
} types[] = {
	{ ".html", "text/html; charset=utf-8" },
	{ ".js", "text/javascript; charset=utf-8" },
	{ ".mjs", "text/javascript; charset=utf-8" },
	{ ".css", "text/css; charset=utf-8" },
	{ ".json", "application/json" },
	{ ".map", "application/json" },
	{ ".svg", "image/svg+xml" },
	{ ".png", "image/png" },
	{ ".jpg", "image/jpeg" },
	{ ".ico", "image/x-icon" },
	{ ".woff", "font/woff" },
	{ ".woff2", "font/woff2" },
	{ ".ttf", "font/ttf" },
	{ ".txt", "text/plain; charset=utf-8" },
	{ ".wav", "audio/wav" },
};

/* The console's own rules for the browser: scripts only from this server;
 * Element Plus sets inline styles; PDFs and exports are previewed from blob: URLs. */
#define CSP                                                                                     \
	"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "             \
	"img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "               \
	"frame-src 'self' blob:; object-src 'self' blob:; base-uri 'self'; frame-ancestors 'self'"

static const char *content_type(const char *path)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	if (dot && (!slash || dot > slash))
		for (size_t i = 0; i < ARRAY_SIZE(types); i++)
			if (strcmp(dot, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

/* Only plain relative names: no "..", no hidden files, no backslashes or NULs
 * hidden by percent-decoding (libmicrohttpd has decoded the URL already). */
int http_static_path_ok(const char *path)
{
	if (path[0] != '/' || strlen(path) >= 256)
		return 0;
	for (const char *p = path; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == '\\' || c == 0x7f)
			return 0;
		if (c == '/' && p[1] == '.')
			return 0; /* "..", "./", ".env" */
	}
	return 1;
}

static int open_file(const char *dir, const char *path, struct stat *st)
{
	char full[PATH_MAX];
	int n = snprintf(full, sizeof full, "%s%s", dir, path);
	if (n < 0 || (size_t)n >= sizeof full)
		return -1;
	int fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		return -1;
	}
	return fd;
}

static enum MHD_Result queue_text(struct MHD_Connection *conn, unsigned status, const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text,
								  MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	enum MHD_Result ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static void add_headers(struct MHD_Response *r, const char *path, int is_index)
{
	MHD_add_response_header(r, "Content-Type", content_type(path));
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "same-origin");
	if (strncmp(path, "/assets/", 8) == 0) {
		MHD_add_response_header(r, "Cache-Control", "public, max-age=31536000, immutable");
	} else {
		MHD_add_response_header(r, "Cache-Control", "no-cache");
	}
	if (is_index) {
		MHD_add_response_header(r, "Content-Security-Policy", CSP);
		MHD_add_response_header(r, "X-Frame-Options", "SAMEORIGIN");
	}
}

enum MHD_Result http_static_serve(const char *dir, struct MHD_Connection *conn,
				  const char *method, const char *path, int *status)
{
	struct stat st;
	int fd = -1, is_index = 0;

	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		*status = 405;
		return queue_text(conn, 405, "method not allowed\n");
	}
	if (!dir || !*dir) {
		*status = 404;
		return queue_text(conn, 404, "控制台未构建(运行 make 构建 web/dist,或用 --web 指定目录)\n"
					     "the web console is not built (run make, or pass --web DIR)\n");
	}
	if (!http_static_path_ok(path)) {
		*status = 404;
		return queue_text(conn, 404, "not found\n");
	}
	if (strcmp(path, "/") != 0)
		fd = open_file(dir, path, &st);
	if (fd < 0 && strncmp(path, "/assets/", 8) != 0) {
		path = "/index.html";
		is_index = 1;
		fd = open_file(dir, path, &st);
	}
	if (fd < 0) {
		*status = 404;
		return queue_text(conn, 404, "not found\n");
	}
	/* libmicrohttpd sends the file with sendfile() and closes fd itself. */
	struct MHD_Response *r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	if (!r) {
		close(fd);
		return MHD_NO;
	}
	add_headers(r, path, is_index || strcmp(path, "/index.html") == 0);
	*status = 200;
	enum MHD_Result ret = MHD_queue_response(conn, 200, r);
	MHD_destroy_response(r);
	return ret;
}

/* --web, else web/dist beside the binary's build directory (build/dianpu →
 * ../web/dist) or under the working directory, where `make` puts it. */
void http_static_find_dir(const char *configured, char *out, size_t cap)
{
	char exe[PATH_MAX], cand[PATH_MAX];
	struct stat st;

	out[0] = '\0';
	if (configured && *configured) {
		snprintf(out, cap, "%s", configured);
		size_t n = strlen(out);
		while (n > 1 && out[n - 1] == '/')
			out[--n] = '\0';
		return;
	}
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(cand, sizeof cand, "%.*s/../web/dist", PATH_MAX - 16, exe);
			if (stat(cand, &st) == 0 && S_ISDIR(st.st_mode)) {
				snprintf(out, cap, "%s", cand);
				return;
			}
		}
	}
	if (stat("web/dist/index.html", &st) == 0)
		snprintf(out, cap, "web/dist");
}
