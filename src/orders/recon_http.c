/*
 * recon_http.c - the ORD-11 courier bill API.
 *
 *   POST /api/v1/recon/courier-bills    multipart: courier, period ("2026-11"), file (CSV or .xlsx:
 *        运单号, 重量, 运费 by name), and optionally tolerance_g (default 100),
 *        fee_tolerance_pct (30), fee_min_lines (5) as form fields or query
 *        parameters -> 201 {"bill": summary with brackets and rejected rows}
 *   GET  /api/v1/recon/courier-bills?courier=&period=      -> {"items":[summary]}
 *   GET  /api/v1/recon/courier-bills/{id}?only=diff&flag=weight_over&page=&page_size=
 *        -> {"bill", "lines":[...], "total", "page", "page_size"}
 * What each flag means is in orders/recon.h.
 */
#include "orders/recon_db.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/http.h"
#include "http/upload.h"
#include "lib/common.h"

#define RECONCILERS (ROLE_BIT(ROLE_FINANCE) | ROLE_BIT(ROLE_BOSS) | ROLE_BIT(ROLE_WAREHOUSE))

/* A form field of the upload, else the query parameter of the same name. */
static const char *param(struct http_req *req, const char *name)
{
	const char *v = req->upload ? http_upload_field(req->upload, name) : NULL;
	if (!v || !*v)
		v = http_query(req, name);
	return v && *v ? v : NULL;
}

static int param_int(struct http_req *req, const char *name, int64_t lo, int64_t hi, int64_t def,
		     int64_t *out, struct err *err)
{
	const char *v = param(req, name);
	char *end;
	*out = def;
	if (!v)
		return 0;
	long long n = strtoll(v, &end, 10);
	if (*end || n < lo || n > hi)
		return err_setf(err, ERR_UNPROCESSABLE, name, "%s 应为 %lld–%lld 的整数",
				"%s must be a whole number %lld-%lld", name, (long long)lo,
				(long long)hi);
	*out = n;
	return 0;
}

static int import_args(struct http_req *req, struct recon_import *in, struct err *err)
{
	struct recon_policy def = RECON_POLICY_DEFAULT;
	memset(in, 0, sizeof *in);
	in->courier = param(req, "courier");
	in->period = param(req, "period");
	if (!in->courier || strlen(in->courier) > 160)
		return err_set(err, ERR_UNPROCESSABLE, "courier", "缺少快递公司 courier",
			       "field courier is required");
	if (!in->period)
		return err_set(err, ERR_UNPROCESSABLE, "period", "缺少账期 period(如 2026-11)",
			       "field period is required (e.g. 2026-11)");
	int rc = param_int(req, "tolerance_g", 0, 100000, def.weight_tolerance_g,
			   &in->pol.weight_tolerance_g, err);
	if (!rc)
		rc = param_int(req, "fee_tolerance_pct", 0, 1000, def.fee_tolerance_pct,
			       &in->pol.fee_tolerance_pct, err);
	if (!rc)
		rc = param_int(req, "fee_min_lines", 1, 100000, def.fee_min_lines,
			       &in->pol.fee_min_lines, err);
	return rc;
}

static int bills_import(struct http_req *req, struct http_resp *resp, struct err *err)
{
	const struct http_upload_file *f;
	struct recon_import in;
	int64_t id;
	int rc;

	if (!req->upload)
		return err_set(err, ERR_INVALID, "", "上传应为 multipart/form-data",
			       "an upload must be multipart/form-data");
	f = http_upload_get_file(req->upload, "file");
	rc = import_args(req, &in, err);
	if (rc)
		return rc;
	if (!f)
		return err_set(err, ERR_UNPROCESSABLE, "file", "缺少账单文件 file",
			       "the bill file (part \"file\") is required");
	in.filename = f->filename;
	if (lseek(f->fd, 0, SEEK_SET) != 0)
		return err_set(err, ERR_IO, "", "无法读取上传的文件", "cannot read the uploaded file");
	rc = recon_bill_import(req->db, &req->user, &in, f->fd, req->now_utc, &id, err);
	json_t *bill = NULL;
	if (!rc)
		rc = recon_bill_json(req->db, id, 1, &bill, err);
	if (rc)
		return rc;
	resp->status = 201;
	resp->json = json_pack("{s:o}", "bill", bill);
	return 0;
}

static int bills_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
	json_t *items;
	int rc = recon_bills_list(req->db, param(req, "courier"), param(req, "period"), &items, err);
	if (rc) {
		json_decref(items);
		return rc;
	}
	resp->json = json_pack("{s:o}", "items", items);
	return 0;
}

/* ---------------------------------------------------------------- one bill */

static json_t *opt_int(int has, int64_t v)
{
	return has ? json_integer(v) : json_null();
}

static const char *line_status(const struct recon_line *l)
{
	if (l->flags & RECON_MISSING)
		return "missing";
	return l->flags & RECON_UNKNOWN ? "unknown" : "matched";
}

static int line_add(const struct recon_line *l, void *arr)
{
	json_t *flags = json_array(), *reasons = json_array();
	for (int i = 0; i < RECON_FLAG_COUNT; i++) {
		if (!(l->flags & (1u << i)))
			continue;
		json_array_append_new(flags, json_string(recon_flag_name(i)));
		json_array_append_new(reasons, json_string(recon_flag_label_zh(i)));
	}
	json_t *j = json_pack("{s:I,s:s,s:s,s:o,s:o,s:o,s:s,s:s,s:o,s:o,s:o,s:o}", "line",
			      (json_int_t)l->line_no, "tracking_no", l->tracking_no, "status",
			      line_status(l), "weight_g", opt_int(l->has_billed, l->weight_g), "fee_fen",
			      opt_int(l->has_billed, l->fee_fen), "order_id",
			      opt_int(l->order_id != 0, l->order_id), "order_no", l->order_no, "store",
			      l->store, "our_weight_g", opt_int(l->our_weight_g >= 0, l->our_weight_g),
			      "weight_diff_g", opt_int(l->has_diff, l->weight_diff_g), "flags", flags,
			      "reasons", reasons);
	return j && !json_array_append_new(arr, j) ? 0 : ERR_NOMEM;
}

static int flag_query(struct http_req *req, unsigned *flag, struct err *err)
{
	const char *v = http_query(req, "flag");
	*flag = 0;
	if (!v || !*v)
		return 0;
	for (int i = 0; i < RECON_FLAG_COUNT; i++) {
		if (strcmp(v, recon_flag_name(i)) == 0) {
			*flag = 1u << i;
			return 0;
		}
	}
	return err_set(err, ERR_INVALID, "flag",
		       "flag 应为 unknown duplicate billed_before weight_over weight_under unweighed fee_high missing 之一",
		       "flag must be one of unknown duplicate billed_before weight_over weight_under unweighed fee_high missing");
}

static int lines_filter(struct http_req *req, struct recon_line_filter *f, struct err *err)
{
	const char *only = http_query(req, "only");
	memset(f, 0, sizeof *f);
	f->user_id = req->user.id;
	if (only && *only && strcmp(only, "diff") != 0 && strcmp(only, "all") != 0)
		return err_set(err, ERR_INVALID, "only", "only 应为 diff 或 all",
			       "only must be diff or all");
	f->only_diff = only && strcmp(only, "diff") == 0;
	int rc = flag_query(req, &f->flag, err);
	if (!rc)
		rc = http_query_int(req, "page", 1, 1000000, 1, &f->page, err);
	if (!rc)
		rc = http_query_int(req, "page_size", 1, 500, 100, &f->page_size, err);
	return rc;
}

static int bills_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct recon_line_filter f;
	json_t *bill = NULL, *lines = json_array();
	int64_t total = 0;
	char *end;
	const char *ids = http_param(req, "id");
	long long id = strtoll(ids, &end, 10);
	int rc = *end || id <= 0 ? err_set(err, ERR_NOT_FOUND, "id", "账单不存在", "no such bill")
				 : lines_filter(req, &f, err);
	if (!rc)
		rc = recon_bill_json(req->db, id, 1, &bill, err);
	if (!rc)
		rc = recon_lines_each(req->db, id, &f, line_add, lines, &total, err);
	if (rc) {
		json_decref(bill);
		json_decref(lines);
		return rc;
	}
	resp->json = json_pack("{s:o,s:o,s:I,s:I,s:I}", "bill", bill, "lines", lines, "total",
			       (json_int_t)total, "page", (json_int_t)f.page, "page_size",
			       (json_int_t)f.page_size);
	return 0;
}

const struct http_route recon_routes[] = {
	{ "POST", "/api/v1/recon/courier-bills", bills_import, RECONCILERS, HTTP_ROUTE_UPLOAD },
	{ "GET", "/api/v1/recon/courier-bills", bills_list, RECONCILERS },
	{ "GET", "/api/v1/recon/courier-bills/{id}", bills_get, RECONCILERS },
	{ NULL, NULL, NULL, 0, 0 },
};
