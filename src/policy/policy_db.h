/*
 * policy_db.h - versioned policy documents per store.
 * A store with no saved document runs on the defaults, as version 0.
 */
#ifndef POLICY_POLICY_DB_H
#define POLICY_POLICY_DB_H

#include <stdint.h>

#include "auth/auth.h"
#include "policy/policy.h"

struct db;

/* The policy in force for the store: defaults overlaid by the newest document. */
int policy_load(struct db *db, int64_t store_id, struct policy *p, int64_t *version,
		struct err *err) WUR;
/* Saves p as version expect_version + 1 (409 when another write came first), with its audit row. */
int policy_save(struct db *db, const struct auth_user *who, int64_t store_id,
		const char *store_code, const struct policy *p, int64_t expect_version,
		int64_t now_utc, int64_t *new_version, struct err *err) WUR;

#endif
