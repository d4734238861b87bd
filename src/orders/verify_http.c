/*
 * verify_http.c - the scan-to-verify API (ORD-8), driven by a keyboard-wedge
 * scanner in the console: every scan is one POST, with the session the console
 * is on.
 *
 *   POST /api/v1/verify/scan              {"code":"...", "session":ID?}
 *        - a code of the session's goods counts one piece (or is an over-scan);
 *        - else a waybill code (tracking or platform order number) of a picked
 *          order opens that order's session, or re-opens its unfinished one;
 *          for a split order (ORD-10) a parcel's code (its tracking number or
 *          "<order no>-K", the barcode its waybill carries) opens that
 *          parcel's session: only its goods, and completing it verifies only
 *          that parcel (then POST /orders/{id}/parcels/{K}/pack packs it);
 *        - else, inside a session, it is wrong goods: ok:false, session blocked.
 *   GET  /api/v1/verify/{session}         the session and its last scans
 *   POST /api/v1/verify/{session}/removed the wrong piece was taken out (counts kept)
 *   POST /api/v1/verify/{session}/reset   start over (counts back to 0)
 *   POST /api/v1/verify/{session}/confirm {"idx":N}: an uncoded line checked by eye
 *
 * Every answer carries {"ok","outcome","complete","line","remaining","message",
 * "message_en","session"}; a mismatch is ok:false with a 200, not an HTTP error,
 * because it is what the packer needs to read, not a failed request. The scan
 * that completes a session moves the order to verified (verify_db.h).
 */
#include "orders/verify_db.h"

#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "lib/arena.h"
#include "lib/cal.h"
#include "lib/sb.h"
#include "lib/common.h"

#define VERIFIERS (ROLE_BIT(ROLE_BOSS) | ROLE_BIT(ROLE_WAREHOUSE))

static json_t *time_json(int64_t utc)
{
	char buf[CAL_BUF];
	return utc ? json_string(cal_format_iso(utc, buf)) : json_null();
}

static json_t *line_json(const struct verify_line *l, size_t idx)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:I,s:I,s:I,s:b}", "idx", (json_int_t)idx, "sku_code",
			 l->sku_code, "title", l->title, "attrs", l->attrs, "line_no",
			 (json_int_t)l->line_no, "expected", (json_int_t)l->expected, "scanned",
			 (json_int_t)l->scanned, "coded", l->key[0] != '\0');
}

static json_t *remaining_json(const struct verify_session *s)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < s->n; i++) {
		const struct verify_line *l = &s->lines[i];
		if (l->scanned >= l->expected)
			continue;
		json_t *j = line_json(l, i);
		json_object_set_new(j, "left", json_integer(l->expected - l->scanned));
		json_array_append_new(arr, j);
	}
	return arr;
}

static json_t *session_json(const struct verify_view *v)
{
	int64_t expected = 0, scanned = 0;
	json_t *lines = json_array();
	for (size_t i = 0; i < v->s.n; i++) {
		expected += v->s.lines[i].expected;
		scanned += v->s.lines[i].scanned;
		json_array_append_new(lines, line_json(&v->s.lines[i], i));
	}
	int blocked = v->s.status == VERIFY_BLOCKED;
	json_t *j = json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:b,s:s,s:s,s:b,s:I,s:I,s:I,s:o,s:o,s:o}", "id",
			 (json_int_t)v->id, "order_id", (json_int_t)v->order_id, "order_no",
			 v->order_no, "store", v->store_code, "order_stage",
			 order_stage_name(v->order_stage), "status", verify_status_name(v->s.status),
			 "blocked", blocked, "block_code", blocked ? v->s.block_code : "",
			 "block_reason", blocked ? verify_outcome_name(v->s.block_why) : "",
			 "complete", v->s.status == VERIFY_COMPLETE, "expected_qty",
			 (json_int_t)expected, "scanned_qty", (json_int_t)scanned, "remaining_qty",
			 (json_int_t)verify_remaining(&v->s), "lines", lines, "opened_at",
			 time_json(v->opened_utc), "completed_at", time_json(v->completed_utc));
	/* ORD-10: which parcel (null for an order's session), of how many, its stage */
	json_object_set_new(j, "parcel_no", v->parcel_no ? json_integer(v->parcel_no) : json_null());
	json_object_set_new(j, "parcel_count",
			    v->parcel_no ? json_integer(v->parcel_count) : json_null());
	json_object_set_new(j, "parcel_stage",
			    v->parcel_no ? json_string(order_stage_name(v->parcel_stage)) : json_null());
	return j;
}

/* ---------------------------------------------------------------- answers */

static const char *text_take(struct sb *sb)
{
	struct err ignored = ERR_INIT;
	const char *t = sb_take(sb, &ignored);
	return t ? t : "";
}

static const char *step_message(struct http_req *req, const struct verify_view *v,
				const struct verify_step *st, const char *lang)
{
	struct sb sb;
	sb_init_arena(&sb, req->arena, 4096);
	verify_message(&v->s, st, lang, &sb);
	return text_take(&sb);
}

/* What the packer reads when a waybill scan (re)opens a session:
 * "订单 X:…" or, for a parcel, "订单 X 包裹 K/N:…". */
static const char *open_message(struct http_req *req, const struct verify_view *v, int en)
{
	struct sb sb;
	long long left = (long long)verify_remaining(&v->s);
	sb_init_arena(&sb, req->arena, 4096);
	sb_addf(&sb, en ? "order %s" : "订单 %s", v->order_no);
	if (v->parcel_no)
		sb_addf(&sb, en ? " parcel %lld/%lld" : " 包裹 %lld/%lld", (long long)v->parcel_no,
			(long long)v->parcel_count);
	if (v->s.status == VERIFY_BLOCKED)
		sb_addf(&sb, en ? ": a wrong item (%s) is still open; take it out and press"
				  " \"removed\", or start over"
				: ":有错货未处理(%s),请先取出后点「已取出」,或重新验货",
			v->s.block_code);
	else
		sb_addf(&sb, en ? ": scan the goods, %lld piece(s) to go" : ":请逐件扫描商品,还差 %lld 件",
			left);
	return text_take(&sb);
}

struct answer {
	int ok;
	const char *outcome;
	int line;             /* -1: none */
	const char *zh, *en;
};

static void answer_set(struct http_resp *resp, const struct verify_view *v,
		       const struct answer *a)
{
	json_t *line = a->line >= 0 && (size_t)a->line < v->s.n
			       ? line_json(&v->s.lines[a->line], (size_t)a->line)
			       : json_null();
	resp->json = json_pack("{s:b,s:s,s:b,s:o,s:o,s:s,s:s,s:o}", "ok", a->ok, "outcome",
			       a->outcome, "complete", v->s.status == VERIFY_COMPLETE, "line", line,
			       "remaining", remaining_json(&v->s), "message", a->zh, "message_en",
			       a->en, "session", session_json(v));
}

static int answer_opened(struct http_req *req, struct http_resp *resp, int64_t sid,
			 struct err *err)
{
	struct verify_view v;
	int rc = verify_load(req->db, req->arena, sid, req->user.id, &v, err);
	if (rc)
		return rc;
	struct answer a = { 1, "opened", -1, open_message(req, &v, 0), open_message(req, &v, 1) };
	answer_set(resp, &v, &a);
	return 0;
}

static int answer_step(struct http_req *req, struct http_resp *resp, int64_t sid,
		       const struct verify_step *st, struct err *err)
{
	struct verify_view v;
	int rc = verify_load(req->db, req->arena, sid, req->user.id, &v, err);
	if (rc)
		return rc;
	int ok = st->outcome == VERIFY_COUNTED || st->outcome == VERIFY_COMPLETED;
	struct answer a = { ok, verify_outcome_name(st->outcome), st->line,
			    step_message(req, &v, st, "zh"), step_message(req, &v, st, "en") };
	answer_set(resp, &v, &a);
	return 0;
}

/* ---------------------------------------------------------------- scan */

static int parse_session(const char *s, int64_t *out, struct err *err)
{
	char *end;
	long long v = s ? strtoll(s, &end, 10) : 0;
	if (!s || *end || v <= 0)
		return err_set(err, ERR_NOT_FOUND, "session", "验货记录不存在", "no such verification");
	*out = v;
	return 0;
}

static int has_key(const struct verify_view *v, const char *key)
{
	for (size_t i = 0; i < v->s.n; i++)
		if (v->s.lines[i].key[0] && strcmp(v->s.lines[i].key, key) == 0)
			return 1;
	return 0;
}

/* The code as a waybill: opens its order's or parcel's session. *none when
 * nothing has it. */
static int try_waybill(struct http_req *req, struct http_resp *resp, const char *code,
		       const char *key, int *none, struct err *err)
{
	struct err lookup = ERR_INIT;
	struct verify_target t;
	int64_t sid;
	int rc = verify_find_waybill(req->db, req->user.id, key, &t, &lookup);
	*none = rc == ERR_NOT_FOUND;
	if (rc) {
		*err = lookup;
		return rc;
	}
	rc = verify_open(req->db, &req->user, &t, code, req->now_utc, &sid, err);
	return rc ? rc : answer_opened(req, resp, sid, err);
}

static int scan_in_session(struct http_req *req, struct http_resp *resp, int64_t sid,
			   const char *code, const char *key, struct err *err)
{
	struct verify_view v;
	struct verify_step st;
	int none = 0;
	int rc = verify_load(req->db, req->arena, sid, req->user.id, &v, err);
	if (rc)
		return rc;
	/* the session's own goods first: a SKU code that is also some order's
	 * number must still count as goods here */
	if (key[0] && !has_key(&v, key)) {
		struct err e2 = ERR_INIT;
		rc = try_waybill(req, resp, code, key, &none, &e2);
		if (!none) {
			if (rc)
				*err = e2;
			return rc;
		}
	}
	rc = verify_apply(req->db, &req->user, sid, VERIFY_ACT_SCAN, code, 0, req->now_utc, &st, err);
	return rc ? rc : answer_step(req, resp, sid, &st, err);
}

static int verify_scan_http(struct http_req *req, struct http_resp *resp, struct err *err)
{
	json_t *body = NULL;
	const char *code = NULL;
	char key[VERIFY_CODE_MAX + 1];
	int64_t sid = 0;
	int none = 0;
	int rc = http_body_object(req, &body, err);

	if (!rc)
		rc = json_str_field(body, "code", 1, 200, &code, err);
	if (!rc)
		rc = json_int_field(body, "session", 0, 1, INT64_MAX, &sid, err);
	if (!rc) {
		if (verify_code_norm(code, key) < 0)
			key[0] = '\0';
		if (sid)
			rc = scan_in_session(req, resp, sid, code, key, err);
		else if (!key[0])
			rc = err_set(err, ERR_UNPROCESSABLE, "code", "扫描内容为空或过长",
				     "the scanned code is empty or too long");
		else
			rc = try_waybill(req, resp, code, key, &none, err);
	}
	json_decref(body);
	return rc;
}

/* ---------------------------------------------------------------- session */

static int scan_add_json(const struct verify_scan_row *r, void *arr)
{
	json_t *j = json_pack("{s:o,s:s,s:s,s:s,s:s}", "at", time_json(r->at_utc), "user",
			      r->username ? r->username : "", "code", r->code ? r->code : "",
			      "action", r->action ? r->action : "", "outcome",
			      r->outcome ? r->outcome : "");
	json_object_set_new(j, "line_idx", r->line_idx >= 0 ? json_integer(r->line_idx) : json_null());
	return json_array_append_new(arr, j) ? ERR_NOMEM : 0;
}

static int verify_get_http(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct verify_view v;
	int64_t sid;
	int rc = parse_session(http_param(req, "session"), &sid, err);
	if (!rc)
		rc = verify_load(req->db, req->arena, sid, req->user.id, &v, err);
	if (rc)
		return rc;
	json_t *scans = json_array();
	rc = verify_scans_each(req->db, sid, 100, scan_add_json, scans, err);
	if (rc) {
		json_decref(scans);
		return rc;
	}
	resp->json = json_pack("{s:o,s:o}", "session", session_json(&v), "scans", scans);
	return 0;
}

/* removed, reset, confirm: one action on a session the user may see. */
static int session_act(struct http_req *req, struct http_resp *resp, enum verify_act act,
		       int64_t idx, struct err *err)
{
	struct verify_view v;
	struct verify_step st = { VERIFY_COUNTED, -1 };
	int64_t sid;
	int rc = parse_session(http_param(req, "session"), &sid, err);
	if (!rc) /* X-5 before acting */
		rc = verify_load(req->db, req->arena, sid, req->user.id, &v, err);
	if (!rc)
		rc = verify_apply(req->db, &req->user, sid, act, "", idx, req->now_utc, &st, err);
	if (rc)
		return rc;
	if (act == VERIFY_ACT_CONFIRM)
		return answer_step(req, resp, sid, &st, err);
	rc = verify_load(req->db, req->arena, sid, req->user.id, &v, err);
	if (rc)
		return rc;
	struct answer a = { 1, act == VERIFY_ACT_RESET ? "reset" : "removed", -1,
			    open_message(req, &v, 0), open_message(req, &v, 1) };
	answer_set(resp, &v, &a);
	return 0;
}

static int verify_removed_http(struct http_req *req, struct http_resp *resp, struct err *err)
{
	return session_act(req, resp, VERIFY_ACT_REMOVED, 0, err);
}

static int verify_reset_http(struct http_req *req, struct http_resp *resp, struct err *err)
{
	return session_act(req, resp, VERIFY_ACT_RESET, 0, err);
}

static int verify_confirm_http(struct http_req *req, struct http_resp *resp, struct err *err)
{
	json_t *body = NULL;
	int64_t idx = -1;
	int rc = http_body_object(req, &body, err);
	if (!rc)
		rc = json_int_field(body, "idx", 1, 0, VERIFY_MAX_LINES, &idx, err);
	json_decref(body);
	return rc ? rc : session_act(req, resp, VERIFY_ACT_CONFIRM, idx, err);
}

const struct http_route verify_routes[] = {
	{ "POST", "/api/v1/verify/scan", verify_scan_http, VERIFIERS },
	{ "GET", "/api/v1/verify/{session}", verify_get_http, VERIFIERS },
	{ "POST", "/api/v1/verify/{session}/removed", verify_removed_http, VERIFIERS },
	{ "POST", "/api/v1/verify/{session}/reset", verify_reset_http, VERIFIERS },
	{ "POST", "/api/v1/verify/{session}/confirm", verify_confirm_http, VERIFIERS },
	{ NULL, NULL, NULL, 0 },
};
