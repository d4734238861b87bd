/*
 * taobao_gen.h - synthetic Taobao/Tmall order exports for tests and benchmarks.
 *
 * Writes an 订单报表 and a 宝贝报表 in the seller-center format described in
 * taobao_format.h: GBK (or UTF-8), CRLF, the real 47 and 10 column headers,
 * and a fraction of rows carrying each quirk real exports have. The output is
 * a pure function of (orders, seed, utf8, bom): no clock, no environment, so
 * the same arguments give byte-identical files. Rows are written as they are
 * made, so memory stays flat for any number of orders.
 *
 * Invariants the tests rely on:
 *   - 订单编号 is unique, 19 digits, and every 宝贝报表 row's 订单编号 is in the
 *     订单报表; each order has 1-3 item rows (1.5 on average);
 *   - sum(价格 x 购买数量) over an order's items = 买家应付货款;
 *   - 总金额 = 买家应付货款 + 买家应付邮费;
 *   - 买家实际支付金额 = 总金额 - 天猫卡券抵扣 - 集分宝抵扣 >= 0;
 *   - 订单付款时间 is empty exactly for unpaid orders (等待买家付款, and 交易关闭
 *     closed before payment);
 *   - 订单创建时间 lies in the 30 days before a date fixed by the seed.
 */
#ifndef IO_TAOBAO_GEN_H
#define IO_TAOBAO_GEN_H

#include <stdint.h>
#include <stdio.h>

#include "lib/err.h"

struct taobao_gen_opts {
	long orders;   /* number of orders, >= 0 */
	uint64_t seed; /* any value */
	int utf8;      /* 1: UTF-8 instead of GBK */
	int bom;       /* 1: with utf8, start each file with a BOM */
};

struct taobao_gen_stats {
	long orders, items;
	uint64_t orders_bytes, items_bytes; /* bytes written to each file */
	int64_t end_utc; /* orders were created in [end_utc - 30 days, end_utc) */
};

#define TAOBAO_GEN_MAX_ORDERS 100000000L

/* Writes both files. The FILEs are borrowed (not closed); write errors are
 * ERR_IO. stats may be NULL. */
int taobao_gen_write(FILE *orders_out, FILE *items_out, const struct taobao_gen_opts *opts,
		     struct taobao_gen_stats *stats, struct err *err) WUR;

#endif
