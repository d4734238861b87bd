/*
 * stores_http.c - GET/POST /api/v1/stores, GET/PATCH /api/v1/stores/{code}.
 * Everyone on the staff may list the stores they can see; only the boss
 * creates and changes them.
 */
#include "stores/stores.h"

#include "http/http.h"
#include "lib/common.h"

static json_t *store_json(const struct store *s)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:b,s:I,s:I,s:I}", "id", (json_int_t)s->id, "code",
			 s->code, "name", s->name, "platform", s->platform, "platform_label",
			 store_platform_label_zh(s->platform), "active", s->active, "version",
			 (json_int_t)s->version, "created_utc", (json_int_t)s->created_utc,
			 "updated_utc", (json_int_t)s->updated_utc);
}

static int add_one(const struct store *s, void *items)
{
	json_array_append_new(items, store_json(s));
	return 0;
}

static int stores_list(struct http_req *req, struct http_resp *resp, struct err *err)
{
	json_t *items = json_array();
	int rc = store_each_visible(req->db, req->user.id, add_one, items, err);
	if (rc) {
		json_decref(items);
		return rc;
	}
	resp->json = json_pack("{s:o}", "items", items);
	return 0;
}

static int stores_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct store s;
	int rc = store_visible(req->db, req->user.id, http_param(req, "code"), &s, err);
	if (rc)
		return rc;
	resp->json = json_pack("{s:o}", "store", store_json(&s));
	return 0;
}

static int stores_create(struct http_req *req, struct http_resp *resp, struct err *err)
{
	const char *code, *name, *platform;
	struct store s;
	json_t *body;
	int rc = http_body_object(req, &body, err);

	if (rc)
		return rc;
	rc = json_str_field(body, "code", 1, STORE_CODE_MAX, &code, err);
	if (!rc)
		rc = json_str_field(body, "name", 1, STORE_NAME_MAX, &name, err);
	if (!rc)
		rc = json_str_field(body, "platform", 1, 16, &platform, err);
	if (!rc)
		rc = store_create(req->db, &req->user, code, name, platform, req->now_utc, &s, err);
	if (!rc) {
		resp->status = 201;
		resp->json = json_pack("{s:o}", "store", store_json(&s));
	}
	json_decref(body);
	return rc;
}

static int stores_patch(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct store_change c = { .active = -1 };
	struct store s;
	json_t *body;
	int rc = http_body_object(req, &body, err);

	if (rc)
		return rc;
	rc = json_int_field(body, "version", 1, 1, INT64_MAX, &c.expect_version, err);
	if (!rc)
		rc = json_str_field(body, "name", 0, STORE_NAME_MAX, &c.name, err);
	if (!rc)
		rc = json_str_field(body, "platform", 0, 16, &c.platform, err);
	if (!rc)
		rc = json_bool_field(body, "active", 0, &c.active, err);
	if (!rc)
		rc = store_update(req->db, &req->user, http_param(req, "code"), &c, req->now_utc,
				  &s, err);
	if (!rc)
		resp->json = json_pack("{s:o}", "store", store_json(&s));
	json_decref(body);
	return rc;
}

const struct http_route store_routes[] = {
	{ "GET", "/api/v1/stores", stores_list, ROLES_STAFF },
	{ "POST", "/api/v1/stores", stores_create, ROLE_BIT(ROLE_BOSS) },
	{ "GET", "/api/v1/stores/{code}", stores_get, ROLES_STAFF },
	{ "PATCH", "/api/v1/stores/{code}", stores_patch, ROLE_BIT(ROLE_BOSS) },
	{ NULL, NULL, NULL, 0 },
};
