/*
 * policy_http.c - GET/PUT /api/v1/stores/{code}/policy and GET /api/v1/policy/schema.
 *
 * GET answers {"store","version","policy":{...every key, defaults filled in}}.
 * PUT takes {"version":N,"policy":{...}}: the keys given overlay the defaults
 * (not the previous version), so the body is the whole policy a store wants;
 * a stale version is 409, a bad value 422 naming "section.key".
 */
#include "policy/policy.h"

#include "http/http.h"
#include "policy/policy_db.h"
#include "policy/policy_json.h"
#include "stores/stores.h"
#include "lib/common.h"

static int policy_answer(struct http_req *req, struct http_resp *resp, const struct store *s,
			 struct err *err)
{
	struct policy p;
	int64_t version;
	int rc = policy_load(req->db, s->id, &p, &version, err);
	if (rc)
		return rc;
	resp->json = json_pack("{s:s,s:I,s:o}", "store", s->code, "version", (json_int_t)version,
			       "policy", policy_to_json(&p));
	return 0;
}

static int policy_get(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct store s;
	int rc = store_visible(req->db, req->user.id, http_param(req, "code"), &s, err);
	if (rc)
		return rc;
	return policy_answer(req, resp, &s, err);
}

static int policy_put(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct store s;
	struct policy p;
	int64_t expect, saved;
	json_t *body;
	int rc = store_visible(req->db, req->user.id, http_param(req, "code"), &s, err);

	if (rc)
		return rc;
	rc = http_body_object(req, &body, err);
	if (rc)
		return rc;
	rc = json_int_field(body, "version", 1, 0, INT64_MAX, &expect, err);
	if (!rc && !json_object_get(body, "policy"))
		rc = err_set(err, ERR_UNPROCESSABLE, "policy", "缺少字段 policy",
			     "field policy is required");
	policy_defaults(&p);
	if (!rc)
		rc = policy_from_json(json_object_get(body, "policy"), &p, err);
	if (!rc)
		rc = policy_save(req->db, &req->user, s.id, s.code, &p, expect, req->now_utc, &saved,
				 err);
	json_decref(body);
	if (rc)
		return rc;
	return policy_answer(req, resp, &s, err);
}

static int policy_schema(struct http_req *req, struct http_resp *resp, struct err *err)
{
	UNUSED(req);
	UNUSED(err);
	resp->json = json_pack("{s:o}", "fields", policy_schema_json());
	return 0;
}

const struct http_route policy_routes[] = {
	{ "GET", "/api/v1/stores/{code}/policy", policy_get, ROLES_STAFF },
	{ "PUT", "/api/v1/stores/{code}/policy", policy_put, ROLE_BIT(ROLE_BOSS) },
	{ "GET", "/api/v1/policy/schema", policy_schema, ROLES_STAFF },
	{ NULL, NULL, NULL, 0 },
};
