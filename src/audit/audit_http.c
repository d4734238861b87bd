/*
 * audit_http.c - GET /api/v1/audit?entity=&entity_id=&limit=&before_id=
 * for the boss and the CS lead; newest first, paged by id.
 */
#include "audit/audit.h"

#include "db/db.h"
#include "http/http.h"
#include "lib/common.h"

static json_t *parse_or_null(const char *text)
{
	if (!text)
		return json_null();
	json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
	return v ? v : json_string(text);
}

static json_t *audit_row(struct db_stmt *st)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(db_col_int(st, 0)));
	json_object_set_new(o, "at_utc", json_integer(db_col_int(st, 1)));
	json_object_set_new(o, "user_id", db_col_is_null(st, 2) ? json_null()
								 : json_integer(db_col_int(st, 2)));
	json_object_set_new(o, "username", json_string(db_col_text(st, 3)));
	json_object_set_new(o, "entity", json_string(db_col_text(st, 4)));
	json_object_set_new(o, "entity_id", json_string(db_col_text(st, 5)));
	json_object_set_new(o, "action", json_string(db_col_text(st, 6)));
	json_object_set_new(o, "before", parse_or_null(db_col_text(st, 7)));
	json_object_set_new(o, "after", parse_or_null(db_col_text(st, 8)));
	return o;
}

static int audit_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
	const char *entity = http_query(req, "entity");
	const char *entity_id = http_query(req, "entity_id");
	int64_t limit, before_id;
	struct db_stmt *st;
	int rc;

	rc = http_query_int(req, "limit", 1, 500, 100, &limit, err);
	if (rc)
		return rc;
	rc = http_query_int(req, "before_id", 1, INT64_MAX, INT64_MAX, &before_id, err);
	if (rc)
		return rc;
	/* Optional filters as "? IS NULL OR col = ?" keep one cached statement. */
	rc = db_prepare(req->db,
			"SELECT id, at_utc, user_id, username, entity, entity_id, action,"
			" before_json, after_json FROM audit_log"
			" WHERE (CAST(? AS TEXT) IS NULL OR entity = ?)"
			" AND (CAST(? AS TEXT) IS NULL OR entity_id = ?)"
			" AND id < ? ORDER BY id DESC LIMIT ?",
			&st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, entity);
	db_bind_text(st, 2, entity);
	db_bind_text(st, 3, entity_id);
	db_bind_text(st, 4, entity_id);
	db_bind_int(st, 5, before_id);
	db_bind_int(st, 6, limit);
	json_t *items = json_array();
	while ((rc = db_step(st, err)) == DB_ROW)
		json_array_append_new(items, audit_row(st));
	db_done(st);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	resp->json = json_pack("{s:o}", "items", items);
	return 0;
}

const struct http_route audit_routes[] = {
	{ "GET", "/api/v1/audit", audit_list, ROLE_BIT(ROLE_BOSS) | ROLE_BIT(ROLE_CS_LEAD) },
	{ NULL, NULL, NULL, 0 },
};
