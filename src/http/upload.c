#include "http/upload.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/xalloc.h"
#include "lib/common.h"

static struct http_upload_file *file_for(struct http_upload *u, const char *key,
					 const char *filename)
{
	for (int i = 0; i < u->nfiles; i++)
		if (strcmp(u->files[i].key, key) == 0)
			return &u->files[i];
	if (u->nfiles == UPLOAD_MAX_FILES)
		return NULL;
	struct http_upload_file *f = &u->files[u->nfiles];
	const char *dir = getenv("TMPDIR");
	snprintf(f->path, sizeof f->path, "%s/dianpu-upload-XXXXXX", dir && *dir ? dir : "/tmp");
	f->fd = mkstemp(f->path);
	if (f->fd < 0)
		return NULL;
	snprintf(f->key, sizeof f->key, "%s", key);
	snprintf(f->filename, sizeof f->filename, "%s", filename);
	f->size = 0;
	u->nfiles++;
	return f;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int keep_field(struct http_upload *u, const char *key, const char *data, size_t off,
		      size_t size)
{
	int i;
	for (i = 0; i < u->nfields; i++)
		if (strcmp(u->keys[i], key) == 0)
			break;
	if (i == u->nfields) {
		if (u->nfields == UPLOAD_MAX_FIELDS)
			return 0; /* extra fields are ignored */
		snprintf(u->keys[i], sizeof u->keys[i], "%s", key);
		u->values[i][0] = '\0';
		u->nfields++;
	}
	size_t have = strlen(u->values[i]);
	if (off != have || have + size >= sizeof u->values[i])
		return -1;
	memcpy(u->values[i] + have, data, size);
	u->values[i][have + size] = '\0';
	return 0;
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *filename, const char *content_type,
			       const char *transfer_encoding, const char *data, uint64_t off,
			       size_t size)
{
	struct http_upload *u = cls;
	UNUSED(kind);
	UNUSED(content_type);
	UNUSED(transfer_encoding);
	if (!key)
		return MHD_YES;
	if (!filename)
		return keep_field(u, key, data, (size_t)off, size) ? MHD_NO : MHD_YES;
	struct http_upload_file *f = file_for(u, key, filename);
	if (!f || (size && write_all(f->fd, data, size))) {
		u->failed = 1;
		return MHD_NO;
	}
	f->size += (int64_t)size;
	return MHD_YES;
}

struct http_upload *http_upload_new(struct MHD_Connection *conn, int64_t max_bytes)
{
	struct http_upload *u = xcalloc(1, sizeof *u);
	if (!u)
		return NULL;
	u->max = max_bytes;
	u->pp = MHD_create_post_processor(conn, 64 * 1024, on_part, u);
	if (!u->pp) {
		xfree(u);
		return NULL;
	}
	return u;
}

int http_upload_feed(struct http_upload *u, const char *data, size_t n)
{
	if (u->failed || u->too_large)
		return -1;
	u->total += (int64_t)n;
	if (u->total > u->max) {
		u->too_large = 1;
		return -1;
	}
	if (MHD_post_process(u->pp, data, n) != MHD_YES) {
		u->failed = 1;
		return -1;
	}
	return 0;
}

void http_upload_free(struct http_upload *u)
{
	if (!u)
		return;
	if (u->pp)
		MHD_destroy_post_processor(u->pp);
	for (int i = 0; i < u->nfiles; i++) {
		close(u->files[i].fd);
		if (unlink(u->files[i].path))
			log_warn("event=upload_unlink_failed path=%s", u->files[i].path);
	}
	xfree(u);
}

const char *http_upload_field(const struct http_upload *u, const char *key)
{
	for (int i = 0; i < u->nfields; i++)
		if (strcmp(u->keys[i], key) == 0)
			return u->values[i];
	return NULL;
}

const struct http_upload_file *http_upload_get_file(const struct http_upload *u, const char *key)
{
	for (int i = 0; i < u->nfiles; i++)
		if (strcmp(u->files[i].key, key) == 0)
			return &u->files[i];
	return NULL;
}
