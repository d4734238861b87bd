/*
 * ship.h - ORD-9 shipping, the pure part: tracking numbers as people and
 * spreadsheets write them, courier names, and the platform's bulk-ship file.
 *
 * No storage, no clock. The tracking-number import and the export live in
 * ship_db.c (SQL) and ship_http.c / cli/cmd_ship.c (the shells).
 *
 * Courier names: a warehouse writes "圆通", the platform wants "圆通速递", a
 * courier's bill says "YTO". ship_courier_key() reduces all of them to one key
 * ("yto") so names compare; ship_courier_platform_name() gives the name the
 * Taobao/Tmall bulk-ship upload expects.
 */
#ifndef ORDERS_SHIP_H
#define ORDERS_SHIP_H

#include <stddef.h>

#include "lib/err.h"

struct sb;

#define SHIP_TRACKING_MIN 6
#define SHIP_TRACKING_MAX 40
#define SHIP_COURIER_MAX 40
#define SHIP_ORDER_NO_MAX 64
#define SHIP_KEY_MAX 64

/*
 * The platform's bulk-ship file (淘宝/天猫 卖家中心 → 发货 → 批量发货), as
 * ship_http.c writes it: UTF-8 with a BOM (so Excel opens it as UTF-8 rather
 * than the locale's GBK), CRLF line ends, one header row
 *   订单编号,物流公司,运单号
 * then one row per shipped order. Order numbers are written as plain digits,
 * not as ="…" (the upload reads the cell literally); a file opened and saved
 * again in Excel loses the digits of 19-digit numbers, so upload it as written.
 * The import accepts this file back (its 运单号 is an alias of 物流单号).
 */
#define SHIP_EXPORT_HEADER "\xEF\xBB\xBF" "订单编号,物流公司,运单号\r\n"

/* A cleaned tracking-number cell (csv_clean, "No:" prefix dropped) checked and
 * written in canonical form into out: ASCII letters upper-cased. Refused, with
 * a reason: empty; Excel's scientific notation ("7.51234E+13": the column was
 * a number and lost digits); characters other than letters, digits and '-';
 * fewer than SHIP_TRACKING_MIN or more than SHIP_TRACKING_MAX characters. */
int ship_tracking_norm(const char *cell, char out[SHIP_TRACKING_MAX + 1], struct err *err) WUR;

/* A cleaned order-number cell: not empty, not in scientific notation, at most
 * SHIP_ORDER_NO_MAX bytes. */
int ship_order_no_check(const char *cell, struct err *err) WUR;

/* The comparison key of a courier name into out (at most n-1 bytes, always
 * terminated): known couriers by any usual name ("圆通", "圆通速递", "YTO") give a
 * short ASCII key ("yto"); other names give themselves without spaces, ASCII
 * lower-cased, with trailing 速递/快递/速运/快运/物流/包裹 dropped. */
void ship_courier_key(const char *name, char *out, size_t n);

/* The platform's name for a known courier ("圆通速递"), or NULL. */
const char *ship_courier_platform_name(const char *name);

/* Appends one CSV field, quoted (with "" for quotes) only when it holds a
 * comma, quote, CR or LF. */
void ship_csv_field(struct sb *out, const char *s);

#endif
