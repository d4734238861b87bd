/*
 * health_http.c - GET /api/v1/health, the one endpoint without a session:
 * load balancers and the tests ask it whether the server and its database answer.
 */
#include "http/http.h"

#include "db/db.h"
#include "lib/common.h"

static int health(struct http_req *req, struct http_resp *resp, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(req->db, "SELECT 1", &st, err);
	if (rc)
		return rc;
	rc = db_step(st, err);
	db_done(st);
	if (rc < 0)
		return rc;
	resp->json = json_pack("{s:s,s:s,s:s}", "status", "ok", "version", DIANPU_VERSION, "db",
			       db_engine_name(req->db));
	return 0;
}

const struct http_route health_routes[] = {
	{ "GET", "/api/v1/health", health, 0 },
	{ NULL, NULL, NULL, 0 },
};
