/*
 * import_http.c - POST /api/v1/imports (multipart: store, kind, orders, items;
 * or store, format=generic and one file part "file" or "orders" for the generic
 * template, CSV or XLSX, orders/import_generic.h) answers 202 {"import_id","status":"running"} at once and runs the import in
 * a thread of its own with its own database connection; GET /api/v1/imports/{id}
 * gives progress (bytes, percent, counts) and, when done, the result with the
 * rejected rows; GET /api/v1/imports/{id}/rejects?format=xlsx|csv (default
 * xlsx) gives those rows as a file: 行号, 列, 原因, 文件.
 */
#include "orders/import_job.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "db/db.h"
#include "http/http.h"
#include "http/upload.h"
#include "io/xlsx.h"
#include "lib/arena.h"
#include "lib/sb.h"
#include "lib/log.h"
#include "lib/xalloc.h"
#include "stores/stores.h"
#include "orders/import_template.h"
#include "lib/common.h"

#define IMPORTERS (ROLE_BIT(ROLE_BOSS) | ROLE_BIT(ROLE_OPERATIONS) | ROLE_BIT(ROLE_CS_LEAD) | \
		   ROLE_BIT(ROLE_WAREHOUSE))

struct job {
	char db_url[512];
	struct auth_user who;
	int64_t id, store_id;
	int generic;             /* the generic template (one file) rather than Taobao's two */
	int orders_fd, items_fd; /* dup()ed: the upload's own copies close with the request */
};

static void job_free(struct job *j)
{
	if (j->orders_fd >= 0)
		close(j->orders_fd);
	if (j->items_fd >= 0)
		close(j->items_fd);
	xfree(j);
}

static void *job_main(void *p)
{
	struct job *j = p;
	struct err err = ERR_INIT;
	struct db *db = NULL;
	json_t *result = NULL;
	const struct addr_table *addrs = import_addr_table(&err);

	if (addrs && db_open(j->db_url, &db, &err) == 0 &&
	    (j->generic ? import_job_run_generic(db, &j->who, j->id, j->store_id, j->orders_fd, addrs,
						 &result, &err)
			: import_job_run_taobao(db, &j->who, j->id, j->store_id, j->orders_fd,
						j->items_fd, addrs, &result, &err)) == 0)
		log_info("event=import_done id=%lld", (long long)j->id);
	else
		log_error("event=import_failed id=%lld error=\"%s\"", (long long)j->id, err.msg_en);
	json_decref(result);
	db_close(db);
	job_free(j);
	return NULL;
}

static int dup_file(const struct http_upload_file *f, int *out, struct err *err)
{
	*out = -1;
	if (!f)
		return 0;
	*out = dup(f->fd);
	if (*out < 0 || lseek(*out, 0, SEEK_SET) != 0)
		return err_set(err, ERR_IO, "", "无法读取上传的文件", "cannot read the uploaded file");
	return 0;
}

/* The generic template's one file: part "file", or "orders" as the Taobao form names it. */
static const struct http_upload_file *generic_file(const struct http_req *req)
{
	const struct http_upload_file *f = http_upload_get_file(req->upload, "file");
	return f ? f : http_upload_get_file(req->upload, "orders");
}

static int job_start(struct http_req *req, const struct store *s, struct job *j,
		     struct err *err)
{
	const struct http_upload_file *of =
		j->generic ? generic_file(req) : http_upload_get_file(req->upload, "orders");
	const struct http_upload_file *itf =
		j->generic ? NULL : http_upload_get_file(req->upload, "items");
	int64_t bytes = of->size + (itf ? itf->size : 0);
	pthread_t t;
	pthread_attr_t attr;

	snprintf(j->db_url, sizeof j->db_url, "%s", req->cfg->db);
	j->who = req->user;
	j->store_id = s->id;
	int rc = dup_file(of, &j->orders_fd, err);
	if (!rc)
		rc = dup_file(itf, &j->items_fd, err);
	if (!rc)
		rc = import_job_create(req->db, &req->user, s->id,
				       j->generic ? "generic-orders" : "taobao-orders", of->filename,
				       bytes, req->now_utc, &j->id, err);
	if (rc)
		return rc;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&t, &attr, job_main, j);
	pthread_attr_destroy(&attr);
	return rc ? err_set(err, ERR_INTERNAL, "", "无法启动导入任务", "cannot start the import") : 0;
}

static int imports_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
	const char *code = req->upload ? http_upload_field(req->upload, "store") : NULL;
	const char *kind = req->upload ? http_upload_field(req->upload, "kind") : NULL;
	const char *format = req->upload ? http_upload_field(req->upload, "format") : NULL;
	struct store s;
	int rc, generic;

	if (!req->upload)
		return err_set(err, ERR_INVALID, "", "上传应为 multipart/form-data",
			       "an upload must be multipart/form-data");
	if (!code)
		return err_set(err, ERR_UNPROCESSABLE, "store", "缺少字段 store", "field store is required");
	if (kind && strcmp(kind, "taobao-orders") != 0 && strcmp(kind, "generic-orders") != 0)
		return err_set(err, ERR_UNPROCESSABLE, "kind", "kind 应为 taobao-orders 或 generic-orders",
			       "kind must be taobao-orders or generic-orders");
	if (format && *format && strcmp(format, "taobao") != 0 && strcmp(format, "generic") != 0)
		return err_set(err, ERR_UNPROCESSABLE, "format", "format 应为 taobao 或 generic",
			       "format must be taobao or generic");
	generic = (format && strcmp(format, "generic") == 0) ||
		  (kind && strcmp(kind, "generic-orders") == 0);
	if (kind && format && *format &&
	    (strcmp(kind, "generic-orders") == 0) != (strcmp(format, "generic") == 0))
		return err_set(err, ERR_UNPROCESSABLE, "format", "format 与 kind 不一致",
			       "format and kind disagree");
	if (generic && !generic_file(req))
		return err_set(err, ERR_UNPROCESSABLE, "file", "缺少通用模板文件 file",
			       "the template file (part \"file\") is required");
	if (!generic && !http_upload_get_file(req->upload, "orders"))
		return err_set(err, ERR_UNPROCESSABLE, "orders", "缺少订单报表文件 orders",
			       "the orders file (part \"orders\") is required");
	rc = store_visible(req->db, req->user.id, code, &s, err);
	if (rc)
		return rc;
	struct job *j = xcalloc(1, sizeof *j);
	if (!j)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	j->orders_fd = j->items_fd = -1;
	j->generic = generic;
	rc = job_start(req, &s, j, err);
	if (rc) {
		job_free(j);
		return rc;
	}
	resp->status = 202;
	resp->json = json_pack("{s:I,s:s}", "import_id", (json_int_t)j->id, "status", "running");
	return 0;
}

static int imports_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
	char *end;
	const char *s = http_param(req, "id");
	long long id = strtoll(s, &end, 10);
	json_t *job;

	if (*end || id <= 0)
		return err_set(err, ERR_NOT_FOUND, "id", "导入任务不存在", "no such import");
	int rc = import_job_get(req->db, id, req->user.id, &job, err);
	if (!rc)
		resp->json = job;
	return rc;
}

/* ---------------------------------------------------------------- rejects */

#define REJECTS_CSV_MAX ((size_t)16 << 20)

static const struct xlsx_col reject_cols[] = {
	{ "行号", 8 }, { "列", 16 }, { "原因", 60 }, { "文件", 10 },
};

/* A CSV field: quoted when needed, and a leading = + - @ disarmed with ' so a
 * spreadsheet never runs a rejected cell's text as a formula. */
static void csv_cell(struct sb *b, const char *s)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		sb_addc(b, '"');
	if (strchr("=+-@", *s) && *s)
		sb_addc(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			sb_addc(b, '"');
		sb_addc(b, *s);
	}
	if (quote)
		sb_addc(b, '"');
}

static const char *jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static const char *file_label(const char *file)
{
	if (strcmp(file, "orders") == 0)
		return "订单报表";
	if (strcmp(file, "items") == 0)
		return "宝贝报表";
	if (strcmp(file, "generic") == 0)
		return "通用订单模板";
	return file;
}

/* The note row when more rows were rejected than the job kept. */
static const char *more_note(struct http_req *req, json_t *job, size_t listed)
{
	json_int_t rejected = json_integer_value(json_object_get(job, "rejected"));
	if (rejected <= (json_int_t)listed)
		return NULL;
	struct sb b;
	struct err ignored = ERR_INIT;
	sb_init_arena(&b, req->arena, 256);
	sb_addf(&b, "另有 %lld 行被拒绝,未列出(只保留前 %d 行)", (long long)(rejected - (json_int_t)listed),
		IMPORT_ERRORS_KEPT);
	return sb_take(&b, &ignored);
}

static int rejects_xlsx(struct http_req *req, struct http_resp *resp, json_t *job, int64_t id,
			struct err *err)
{
	json_t *errors = json_object_get(job, "errors"), *e;
	struct xlsx_writer *w;
	const void *data;
	size_t len, i;
	int rc = xlsx_writer_new("拒绝的行", reject_cols, ARRAY_SIZE(reject_cols), &w, err);
	if (rc)
		return rc;
	json_array_foreach(errors, i, e) {
		xlsx_cell_int(w, json_integer_value(json_object_get(e, "line")));
		xlsx_cell_text(w, jstr(e, "column"));
		xlsx_cell_text(w, jstr(e, "reason"));
		xlsx_cell_text(w, file_label(jstr(e, "file")));
		xlsx_row_end(w);
	}
	const char *note = more_note(req, job, json_array_size(errors));
	if (note) {
		xlsx_cell_blank(w);
		xlsx_cell_blank(w);
		xlsx_cell_text(w, note);
		xlsx_row_end(w);
	}
	rc = xlsx_writer_finish(w, req->arena, &data, &len, err);
	if (rc)
		return rc;
	char name[64];
	snprintf(name, sizeof name, "导入%lld-拒绝的行.xlsx", (long long)id);
	char ascii[64];
	snprintf(ascii, sizeof ascii, "import-%lld-rejects.xlsx", (long long)id);
	resp->raw = data;
	resp->raw_len = len;
	resp->content_type = XLSX_CONTENT_TYPE;
	resp->content_disposition = xlsx_disposition(req->arena, name, ascii);
	return resp->content_disposition ? 0 : err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
}

static int rejects_csv(struct http_req *req, struct http_resp *resp, json_t *job, int64_t id,
		       struct err *err)
{
	json_t *errors = json_object_get(job, "errors"), *e;
	struct sb b;
	size_t i;
	sb_init_arena(&b, req->arena, REJECTS_CSV_MAX);
	sb_adds(&b, "\xEF\xBB\xBF行号,列,原因,文件\r\n");
	json_array_foreach(errors, i, e) {
		sb_addf(&b, "%lld,", (long long)json_integer_value(json_object_get(e, "line")));
		csv_cell(&b, jstr(e, "column"));
		sb_addc(&b, ',');
		csv_cell(&b, jstr(e, "reason"));
		sb_addc(&b, ',');
		csv_cell(&b, file_label(jstr(e, "file")));
		sb_adds(&b, "\r\n");
	}
	const char *note = more_note(req, job, json_array_size(errors));
	if (note) {
		sb_adds(&b, ",,");
		csv_cell(&b, note);
		sb_adds(&b, ",\r\n");
	}
	size_t len = b.len;
	char *body = sb_take(&b, err);
	if (!body)
		return err->code ? err->code : ERR_NOMEM;
	char name[64], ascii[64];
	snprintf(name, sizeof name, "导入%lld-拒绝的行.csv", (long long)id);
	snprintf(ascii, sizeof ascii, "import-%lld-rejects.csv", (long long)id);
	resp->raw = body;
	resp->raw_len = len;
	resp->content_type = "text/csv; charset=utf-8";
	resp->content_disposition = xlsx_disposition(req->arena, name, ascii);
	return resp->content_disposition ? 0 : err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
}

static int imports_rejects(struct http_req *req, struct http_resp *resp, struct err *err)
{
	char *end;
	const char *s = http_param(req, "id");
	const char *format = http_query(req, "format");
	long long id = strtoll(s, &end, 10);
	json_t *job;

	if (*end || id <= 0)
		return err_set(err, ERR_NOT_FOUND, "id", "导入任务不存在", "no such import");
	if (!format || !*format)
		format = "xlsx";
	if (strcmp(format, "xlsx") != 0 && strcmp(format, "csv") != 0)
		return err_set(err, ERR_INVALID, "format", "format 应为 xlsx 或 csv",
			       "format must be xlsx or csv");
	int rc = import_job_get(req->db, id, req->user.id, &job, err);
	if (rc)
		return rc;
	rc = strcmp(format, "xlsx") == 0 ? rejects_xlsx(req, resp, job, id, err)
					 : rejects_csv(req, resp, job, id, err);
	json_decref(job);
	return rc;
}

/* The generic order template (docs/import-generic.md) to fill in: ?format=xlsx|csv. */
static int imports_template(struct http_req *req, struct http_resp *resp, struct err *err)
{
	const char *format = http_query(req, "format");
	int xlsx = !format || !*format || strcmp(format, "xlsx") == 0;
	char *buf = NULL;
	size_t len = 0;

	if (!xlsx && strcmp(format, "csv") != 0)
		return err_set(err, ERR_INVALID, "format", "format 应为 xlsx 或 csv",
			       "format must be xlsx or csv");
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	int rc = generic_template_write(f, xlsx, err);
	if (fclose(f) != 0 && !rc)
		rc = err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	char *body = rc ? NULL : arena_alloc(req->arena, len ? len : 1);
	if (!rc && !body)
		rc = err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	if (!rc)
		memcpy(body, buf, len);
	free(buf); /* open_memstream's buffer comes from libc's malloc */
	if (rc)
		return rc;
	resp->raw = body;
	resp->raw_len = len;
	resp->content_type = xlsx ? XLSX_CONTENT_TYPE : "text/csv; charset=utf-8";
	resp->content_disposition =
		xlsx_disposition(req->arena, xlsx ? "通用订单模板.xlsx" : "通用订单模板.csv",
				 xlsx ? "order-template.xlsx" : "order-template.csv");
	return resp->content_disposition ? 0 : err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
}

const struct http_route import_routes[] = {
	{ "POST", "/api/v1/imports", imports_create, IMPORTERS, HTTP_ROUTE_UPLOAD },
	{ "GET", "/api/v1/imports/template", imports_template, IMPORTERS },
	{ "GET", "/api/v1/imports/{id}", imports_get, IMPORTERS },
	{ "GET", "/api/v1/imports/{id}/rejects", imports_rejects, IMPORTERS },
	{ NULL, NULL, NULL, 0, 0 },
};
