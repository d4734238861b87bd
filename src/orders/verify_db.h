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
 *
 * ORD-10: a split order is verified parcel by parcel. Its parcel's waybill
 * code (the parcel's tracking number, or "<order no>-K" as printed) opens a
 * session over the quantities that parcel carries, taken with the parcel's
 * version; the completing scan moves that parcel picked -> verified through
 * order_parcel_act(VERIFY), which derives the order's stage from its parcels
 * (order_merge_db.h). Such a session is voided when the parcel changed or left
 * picked, or its order was held or cancelled. The order's own number opens
 * nothing for a split order: the answer asks for the parcel's code.
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
	/* ORD-10, a parcel's session: parcel_no K of parcel_count, the parcel's
	 * version when the session opened, its version and stage now (cancelled
	 * when the parcel is gone); parcel_no 0 for an order's session */
	int64_t parcel_no, parcel_count, parcel_version, parcel_version_now;
	enum order_stage parcel_stage;
	struct verify_session s;
	int64_t opened_utc, updated_utc, completed_utc; /* completed 0 = not yet */
};

/* What a waybill's barcode names: an order, or parcel K of a split order. */
struct verify_target {
	int64_t order_id;
	int64_t parcel_no;     /* 0: the whole order */
	enum order_stage stage; /* the parcel's for a parcel */
};

/* The order or parcel a waybill's barcode names (code normalised,
 * verify_code_norm): an order's tracking number, the platform's, or the
 * platform order number; a parcel's tracking number or "<order no>-K"; among
 * the stores user_id may see, preferring one that can be verified now (picked;
 * for a split order, a picked parcel). ERR_NOT_FOUND when none; ERR_CONFLICT
 * when several that can be verified share the code. */
int verify_find_waybill(struct db *db, int64_t user_id, const char *code,
			struct verify_target *out, struct err *err) WUR;

/* Opens the session of the picked order or parcel t, or returns its unfinished
 * one (voiding it first if the order or parcel changed since), and records the
 * waybill scan. ERR_UNPROCESSABLE unless it is picked (and, for a parcel, its
 * order is neither held nor cancelled), for a split order's own number, or
 * when there are no goods. */
int verify_open(struct db *db, const struct auth_user *who, const struct verify_target *t,
		const char *code, int64_t now_utc, int64_t *session_id, struct err *err) WUR;

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
