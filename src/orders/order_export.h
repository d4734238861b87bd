/*
 * order_export.h - the order list as an Excel workbook:
 *
 *   GET /api/v1/orders?<the list's filters>&format=xlsx  -> 订单导出.xlsx
 *
 * The list endpoint (order_http.c) decodes the filters and the route has
 * checked the role (the list's readers); this writes every matching order,
 * newest first, not one page: at most ORDER_EXPORT_MAX rows, and a filter
 * that matches more is refused with 422 rather than cut short silently.
 * Receiver phone and address are masked for roles that don't see customer
 * data, by the same rule as the JSON list (role_sees_customer_pii + lib/mask).
 * Order, tracking and phone numbers are text cells; 实付金额 is a money cell.
 */
#ifndef ORDERS_ORDER_EXPORT_H
#define ORDERS_ORDER_EXPORT_H

#include "lib/err.h"
#include "orders/order_db.h"

struct http_req;
struct http_resp;

#define ORDER_EXPORT_MAX 100000

/* 1 when the request asks for a file (a format= other than json). */
int order_export_wanted(struct http_req *req);

/* Answers the request with the workbook of the orders f matches (f's page and
 * page_size are ignored). ERR_INVALID for a format other than xlsx,
 * ERR_UNPROCESSABLE over ORDER_EXPORT_MAX orders. */
int order_export_list(struct http_req *req, struct http_resp *resp, const struct order_filter *f,
		      struct err *err) WUR;

#endif
