#include "audit/audit.h"

#include "db/db.h"
#include "lib/common.h"

int audit_write(struct db *db, const struct audit_entry *e, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db,
			    "INSERT INTO audit_log (at_utc, user_id, username, entity, entity_id,"
			    " action, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, e->at_utc);
	if (e->who) {
		db_bind_int(st, 2, e->who->id);
		db_bind_text(st, 3, e->who->username);
	} else {
		db_bind_null(st, 2);
		db_bind_text(st, 3, "system");
	}
	db_bind_text(st, 4, e->entity);
	db_bind_text(st, 5, e->entity_id);
	db_bind_text(st, 6, e->action);
	db_bind_text(st, 7, e->before_json);
	db_bind_text(st, 8, e->after_json);
	rc = db_run(st, err);
	db_done(st);
	return rc;
}
