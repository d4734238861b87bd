/*
 * upload.h - multipart/form-data uploads streamed to temporary files.
 *
 * Imports arrive as files far larger than a JSON body (a million orders is a
 * few hundred MB), so the server hands upload routes' bodies to this module
 * chunk by chunk: file parts go to temporary files (unlinked when the request
 * ends; a job that needs them longer dup()s the descriptor first), small text
 * parts are kept in memory. The total is capped; over the cap the upload fails
 * and the request gets 413.
 */
#ifndef HTTP_UPLOAD_H
#define HTTP_UPLOAD_H

#include <stdint.h>
#include <stddef.h>

struct MHD_Connection;

#define UPLOAD_MAX_FILES 4
#define UPLOAD_MAX_FIELDS 8

struct http_upload_file {
	char key[32];
	char filename[256];
	char path[256];
	int fd;
	int64_t size;
};

struct http_upload {
	void *pp; /* struct MHD_PostProcessor */
	struct http_upload_file files[UPLOAD_MAX_FILES];
	int nfiles;
	char keys[UPLOAD_MAX_FIELDS][32];
	char values[UPLOAD_MAX_FIELDS][256];
	int nfields;
	int64_t total, max;
	int too_large, failed;
};

/* NULL when the request is not multipart/form-data or memory runs out. */
struct http_upload *http_upload_new(struct MHD_Connection *conn, int64_t max_bytes);
/* 0, or -1 once the upload has failed (too large, disk full, malformed). */
int http_upload_feed(struct http_upload *u, const char *data, size_t n);
void http_upload_free(struct http_upload *u);

const char *http_upload_field(const struct http_upload *u, const char *key);
const struct http_upload_file *http_upload_get_file(const struct http_upload *u, const char *key);

#endif
