/*
 * verify_db.h - scan-to-verify sessions in the database (ORD-8).
 *
 * A session is opened by scanning an order's waybill while the order is picked:
 * its expected lines are taken from the order's items then, together with the
 * order's version. Each later action (scan, confirm, removed, reset) is one
 * transaction: the state machine of verify.h runs on the stored state, the
 * counts and status are written back with a version check (two scanners on one
 * session: the second gets ERR_CONFLICT), and the action is recorded in
 * verify_scans with who/when, refused scans included. The scan that completes
 * the session moves the order picked -> verified through order_act(VERIFY) in
 * the same transaction, so the order is verified exactly when its session is
 * complete. If the order changed after the session opened (an ORD-4 edit, a
 * hold) the session is voided and the packer scans the waybill again.
 */
#ifndef ORDERS_VERIFY_DB_H
#define ORDERS_VERIFY_DB_H

#include <stdint.h>

#include "auth/auth.h"
#include "orders/order.h"
#include "orders/verify.h"

struct db;
struct arena;

/* A stored session: the state machine's view plus who and when. Strings and
 * lines live in the arena given to verify_load. */
struct verify_view {
	int64_t id, order_id, store_id, order_version, version;
	const char *order_no, *store_code;
	enum order_stage order_stage;
	struct verify_session s;
	int64_t opened_utc, updated_utc, completed_utc; /* completed 0 = not yet */
};

/* The order a waybill's barcode names (our tracking number, the platform's, or
 * the platform order number) among the stores user_id may see, preferring a
 * picked one. ERR_NOT_FOUND when none; ERR_CONFLICT when several picked orders
 * share the code. *stage says whether it can be verified. */
int verify_find_order(struct db *db, int64_t user_id, const char *code, int64_t *order_id,
		      enum order_stage *stage, struct err *err) WUR;

/* Opens the picked order's session, or returns its unfinished one (voiding it
 * first if the order changed since), and records the waybill scan.
 * ERR_UNPROCESSABLE unless the order is picked or when it has no goods. */
int verify_open(struct db *db, const struct auth_user *who, int64_t order_id, const char *code,
		int64_t now_utc, int64_t *session_id, struct err *err) WUR;

/* The session with its lines; ERR_NOT_FOUND unless its order is visible to user_id (0 = any). */
int verify_load(struct db *db, struct arena *a, int64_t id, int64_t user_id,
		struct verify_view *out, struct err *err) WUR;

enum verify_act {
	VERIFY_ACT_SCAN,    /* code: a SKU code */
	VERIFY_ACT_CONFIRM, /* idx: an uncoded line checked by eye */
	VERIFY_ACT_REMOVED, /* the wrong piece was taken out */
	VERIFY_ACT_RESET,   /* start over */
};

/* Applies one action to session id (see above); step gets the outcome of a scan
 * or confirm. Refused scans are recorded and are not errors (step says so);
 * a confirm/removed/reset the state forbids is ERR_UNPROCESSABLE. When the order
 * changed since the session opened the session is voided (committed) and the
 * answer is ERR_CONFLICT asking for the waybill again. */
int verify_apply(struct db *db, const struct auth_user *who, int64_t id, enum verify_act act,
		 const char *code, int64_t idx, int64_t now_utc, struct verify_step *step,
		 struct err *err) WUR;

struct verify_scan_row {
	int64_t at_utc, line_idx; /* line_idx -1 when none */
	const char *username, *code, *action, *outcome;
};
/* The session's recorded actions, newest first, at most limit. */
int verify_scans_each(struct db *db, int64_t session_id, int64_t limit,
		      int (*fn)(const struct verify_scan_row *r, void *ctx), void *ctx,
		      struct err *err) WUR;

#endif
