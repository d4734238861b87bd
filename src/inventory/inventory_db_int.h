/*
 * inventory_db_int.h - private to src/inventory/inventory_*_db.c: the one
 * function that changes stock, lookups and the audit helper. Not for other
 * modules; they use inventory_db.h.
 */
#ifndef INVENTORY_INVENTORY_DB_INT_H
#define INVENTORY_INVENTORY_DB_INT_H

#include <jansson.h>
#include <stdint.h>

#include "auth/auth.h"
#include "inventory/inventory.h"

struct db;
struct db_stmt;
struct arena;

/* One change of one stock SKU in one warehouse, with its ledger facts. */
struct inv_delta {
	int64_t sku_id, wh_id;
	int64_t d_on_hand, d_reserved;
	const char *reason;   /* receive reserve release ship return adjust stocktake */
	const char *ref_type; /* "order", "stocktake", "manual" */
	const char *ref_id;
	const char *note;
	const char *sku_code; /* for messages */
};

/*
 * The only writer of stock: upserts the stock row, checks the new level with
 * inv_guard() (the row is locked by then, so a concurrent writer cannot slip
 * between check and write), writes the ledger row and keeps the out-of-stock
 * register. A refusal is ERR_UNPROCESSABLE (field `field`) naming the SKU; the
 * caller's transaction must then roll back, as the row was already updated.
 * Must run inside a transaction.
 */
int inv_db_stock_apply(struct db *db, const struct auth_user *who, const struct inv_delta *d,
		       int allow_oversell, const char *field, int64_t now_utc,
		       struct inv_level *after, struct err *err) WUR;

/* The level (zeros when no row). */
int inv_db_level(struct db *db, int64_t sku_id, int64_t wh_id, struct inv_level *out,
		 struct err *err) WUR;
/* A warehouse id by code; NULL or "" = the default. ERR_NOT_FOUND / ERR_UNPROCESSABLE
 * (no warehouse at all), field "warehouse". */
int inv_db_wh_id(struct db *db, const char *code, int64_t *id, struct err *err) WUR;
/* A SKU by code: ERR_NOT_FOUND field `field` when unknown. */
int inv_db_sku_id(struct db *db, const char *code, const char *field, int64_t *id,
		  int *is_combo, struct err *err) WUR;

/* Writes an audit row; steals before and after (either may be NULL). */
int inv_db_audit(struct db *db, const struct auth_user *who, const char *entity,
		 const char *entity_id, const char *action, json_t *before, json_t *after,
		 int64_t now_utc, struct err *err) WUR;

/* Column text copied into the arena ("" for NULL); NULL only when out of memory. */
const char *inv_db_col(struct db_stmt *st, int col, struct arena *a);

int inv_db_nomem(struct err *err);

/* Ends the transaction begun by the caller: rollback when rc, else commit. */
int inv_db_tx_end(struct db *db, int rc, struct err *err) WUR;
/* LIKE pattern for a substring search: lower-cased ASCII, % _ \ escaped
 * (use with ESCAPE '\'); NULL for an empty query. */
const char *inv_db_like(struct arena *a, const char *q);

#endif
