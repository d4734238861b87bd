/*
 * audit.h - the audit log: who changed what, when, before -> after.
 *
 * audit_write() is called inside the transaction of the change it records, so
 * a change and its audit row commit or roll back together. before/after are
 * JSON texts (NULL for create/delete); PII exports record what was exported.
 */
#ifndef AUDIT_AUDIT_H
#define AUDIT_AUDIT_H

#include <stdint.h>

#include "auth/auth.h"
#include "lib/err.h"

struct db;

struct audit_entry {
	const struct auth_user *who; /* NULL = the system or the CLI */
	const char *entity;          /* "store", "user", "policy", "pii_export" ... */
	const char *entity_id;
	const char *action;          /* "create", "update", "disable", "export" ... */
	const char *before_json;
	const char *after_json;
	int64_t at_utc;
};

int audit_write(struct db *db, const struct audit_entry *e, struct err *err) WUR;

#endif
