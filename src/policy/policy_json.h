/*
 * policy_json.h - the policy document as JSON, driven by policy_fields.
 *
 * Document shape: {"orders":{"auto_audit":true,...},"pay":{"presale_rate":0.005,...},...}
 * Reading overlays the given struct (start from policy_defaults), so a document
 * may name only the numbers a store changed. Unknown sections or keys, wrong
 * types and out-of-range values fail with ERR_UNPROCESSABLE naming "section.key".
 */
#ifndef POLICY_POLICY_JSON_H
#define POLICY_POLICY_JSON_H

#include <jansson.h>

#include "policy/policy.h"

json_t *policy_to_json(const struct policy *p);
int policy_from_json(json_t *doc, struct policy *p, struct err *err) WUR;
/* The field table for editors: [{"key","type","min","max","default","help"}]. */
json_t *policy_schema_json(void);

#endif
