/*
 * inventory_http_int.h - private to src/inventory/inventory_*http.c: the
 * handlers of inventory_stock_http.c that the route table in inventory_http.c
 * lists, and helpers both files use.
 */
#ifndef INVENTORY_INVENTORY_HTTP_INT_H
#define INVENTORY_INVENTORY_HTTP_INT_H

#include "http/http.h"

/* Who may do what (SPEC section 0): warehouse and boss change stock; finance
 * approves stocktakes with the boss; operations and customer service read. */
#define INV_READERS                                                                           \
	(ROLE_BIT(ROLE_BOSS) | ROLE_BIT(ROLE_OPERATIONS) | ROLE_BIT(ROLE_CS_PRESALE) |         \
	 ROLE_BIT(ROLE_CS_AFTERSALE) | ROLE_BIT(ROLE_CS_LEAD) | ROLE_BIT(ROLE_CS_MENTOR) |     \
	 ROLE_BIT(ROLE_WAREHOUSE) | ROLE_BIT(ROLE_FINANCE))
#define INV_CATALOG (ROLE_BIT(ROLE_BOSS) | ROLE_BIT(ROLE_OPERATIONS) | ROLE_BIT(ROLE_WAREHOUSE))
#define INV_STOCK (ROLE_BIT(ROLE_BOSS) | ROLE_BIT(ROLE_WAREHOUSE))
#define INV_COUNTERS (ROLE_BIT(ROLE_BOSS) | ROLE_BIT(ROLE_WAREHOUSE) | ROLE_BIT(ROLE_FINANCE))
#define INV_APPROVERS (ROLE_BIT(ROLE_BOSS) | ROLE_BIT(ROLE_FINANCE))

#define INV_HANDLER(name) int name(struct http_req *req, struct http_resp *resp, struct err *err)

/* inventory_stock_http.c */
INV_HANDLER(inv_h_receive);
INV_HANDLER(inv_h_adjust);
INV_HANDLER(inv_h_return);
INV_HANDLER(inv_h_stock);
INV_HANDLER(inv_h_ledger);
INV_HANDLER(inv_h_verify);
INV_HANDLER(inv_h_out_of_stock);
INV_HANDLER(inv_h_delist);
INV_HANDLER(inv_h_restocked);
INV_HANDLER(inv_h_export);
INV_HANDLER(inv_h_stocktakes);
INV_HANDLER(inv_h_stocktake_create);
INV_HANDLER(inv_h_stocktake_get);
INV_HANDLER(inv_h_stocktake_counts);
INV_HANDLER(inv_h_stocktake_approve);
INV_HANDLER(inv_h_stocktake_cancel);
INV_HANDLER(inv_h_sell_through);

/* inventory_http.c */
json_t *inv_http_time(int64_t utc);          /* ISO 8601 UTC, or null for 0 */
const char *inv_http_q(struct http_req *req, const char *name); /* NULL when absent or empty */
/* page (1..) and page_size (1..500, default 50). */
int inv_http_page(struct http_req *req, int64_t *page, int64_t *page_size, struct err *err) WUR;
/* Takes a JSON array for resp->json or fails: frees items on error. */
int inv_http_list(struct http_resp *resp, json_t *items, int64_t total, int64_t page,
		  int64_t page_size);

#endif
