/*
 * ship_http.c - the ORD-9 shipping API.
 *
 *   POST /api/v1/shipping/tracking   multipart: store=CODE, file=CSV (GBK or UTF-8) or .xlsx
 *        (detected by content; errors then name the sheet's row numbers)
 *        columns by name: 订单编号, 物流公司, 物流单号 (aliases in ship_db.c);
 *        a split order's parcel K is named "<order no>-K" (ORD-10)
 *        -> {"rows","shipped","unchanged","rejected","errors":[{"line","column","reason"}]}
 *   GET  /api/v1/shipping/export?store=CODE[&from=&to=]
 *        -> the Taobao/Tmall bulk-ship CSV (format in orders/ship.h) of the
 *           store's orders shipped in [from, to) (ship time, Shanghai).
 * Single orders ship through POST /api/v1/orders/{id}/ship.
 */
#include "orders/ship_db.h"

#include <string.h>
#include <unistd.h>

#include "http/http.h"
#include "http/upload.h"
#include "lib/cal.h"
#include "lib/sb.h"
#include "orders/ship.h"
#include "stores/stores.h"
#include "lib/common.h"

#define SHIPPERS (ROLE_BIT(ROLE_WAREHOUSE) | ROLE_BIT(ROLE_BOSS) | ROLE_BIT(ROLE_CS_LEAD))
#define SHIP_EXPORT_MAX ((size_t)256 << 20)

static int tracking_upload(struct http_req *req, struct http_resp *resp, struct err *err)
{
	const struct http_upload_file *f;
	const char *code;
	struct store s;
	json_t *result = NULL;
	int rc;

	if (!req->upload)
		return err_set(err, ERR_INVALID, "", "上传应为 multipart/form-data",
			       "an upload must be multipart/form-data");
	code = http_upload_field(req->upload, "store");
	f = http_upload_get_file(req->upload, "file");
	if (!code || !*code)
		return err_set(err, ERR_UNPROCESSABLE, "store", "缺少字段 store", "field store is required");
	if (!f)
		return err_set(err, ERR_UNPROCESSABLE, "file", "缺少上传文件 file",
			       "the file (part \"file\") is required");
	rc = store_visible(req->db, req->user.id, code, &s, err);
	if (rc)
		return rc;
	if (lseek(f->fd, 0, SEEK_SET) != 0)
		return err_set(err, ERR_IO, "", "无法读取上传的文件", "cannot read the uploaded file");
	rc = ship_tracking_import(req->db, &req->user, s.id, f->fd, req->now_utc, &result, err);
	if (!rc)
		resp->json = result;
	return rc;
}

static int time_query(struct http_req *req, const char *name, int64_t *out, struct err *err)
{
	const char *v = http_query(req, name);
	*out = 0;
	if (!v || !*v)
		return 0;
	if (cal_parse(v, out, err))
		return err_setf(err, ERR_INVALID, name, "参数 %s 不是有效时间",
				"parameter %s is not a valid time", name);
	return 0;
}

static int export_row(const struct ship_row *r, void *ctx)
{
	struct sb *sb = ctx;
	const char *platform = ship_courier_platform_name(r->courier);
	ship_csv_field(sb, r->order_no);
	sb_addc(sb, ',');
	ship_csv_field(sb, platform ? platform : r->courier);
	sb_addc(sb, ',');
	ship_csv_field(sb, r->tracking_no);
	sb_adds(sb, "\r\n");
	return 0;
}

static int ship_export(struct http_req *req, struct http_resp *resp, struct err *err)
{
	const char *code = http_query(req, "store");
	struct store s;
	struct sb sb;
	int64_t from, to;
	int rc = code && *code ? store_visible(req->db, req->user.id, code, &s, err)
			       : err_set(err, ERR_INVALID, "store", "缺少参数 store",
					 "parameter store is required");
	if (!rc)
		rc = time_query(req, "from", &from, err);
	if (!rc)
		rc = time_query(req, "to", &to, err);
	if (rc)
		return rc;
	sb_init_arena(&sb, req->arena, SHIP_EXPORT_MAX);
	sb_adds(&sb, SHIP_EXPORT_HEADER);
	rc = ship_export_each(req->db, s.id, from, to, export_row, &sb, err);
	if (rc)
		return rc;
	size_t len = sb.len;
	char *body = sb_take(&sb, err);
	if (!body)
		return err->code;
	resp->raw = body;
	resp->raw_len = len;
	resp->content_type = "text/csv; charset=utf-8";
	return 0;
}

const struct http_route shipping_routes[] = {
	{ "POST", "/api/v1/shipping/tracking", tracking_upload, SHIPPERS, HTTP_ROUTE_UPLOAD },
	{ "GET", "/api/v1/shipping/export", ship_export, SHIPPERS },
	{ NULL, NULL, NULL, 0, 0 },
};
