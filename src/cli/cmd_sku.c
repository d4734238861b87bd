/*
 * cmd_sku.c - the catalogue and stock from the command line (INV-1, INV-2):
 *
 *   dianpu sku add --db URL CODE TITLE [--price 12.30] [--product CODE] [--attrs TEXT]
 *   dianpu sku list --db URL [--q TEXT]
 *   dianpu stock receive --db URL SKU QTY [--warehouse CODE] [--reason TEXT]
 *   dianpu stock list --db URL [--warehouse CODE]
 *   dianpu stock verify --db URL      stock == SUM(ledger) for every row; exit 1 if not
 *
 * Changes are made as "system" in the audit log and the ledger.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "db/db.h"
#include "inventory/inventory_db.h"
#include "lib/arena.h"
#include "lib/money.h"
#include "lib/common.h"

static int sku_usage(void)
{
	fprintf(stderr, "usage: dianpu sku add --db URL CODE TITLE [--price 12.30] [--product CODE]"
			" [--attrs TEXT]\n"
			"       dianpu sku list --db URL [--q TEXT]\n");
	return 2;
}

static int stock_usage(void)
{
	fprintf(stderr, "usage: dianpu stock receive --db URL SKU QTY [--warehouse CODE] [--reason TEXT]\n"
			"       dianpu stock list --db URL [--warehouse CODE]\n"
			"       dianpu stock verify --db URL\n");
	return 2;
}

static int open_db(int *argc, char **argv, struct db **db)
{
	struct config cfg;
	int rc = cli_config(&cfg, argc, argv);
	if (rc)
		return rc;
	return cli_open_db(&cfg, db) ? 1 : 0;
}

/* ---------------------------------------------------------------- sku */

static int sku_add(struct db *db, char **argv, const char *price, const char *product,
		   const char *attrs)
{
	struct err err = ERR_INIT;
	struct inv_sku_fields f = { argv[2], product, argv[3], attrs, 0, 1, 0 };
	int64_t id;
	char buf[MONEY_BUF];

	if (price && money_parse(price, &f.price_fen, &err))
		return cli_fail(&err);
	if (f.price_fen < 0) {
		fprintf(stderr, "错误: 价格不能为负 (error: the price cannot be negative)\n");
		return 2;
	}
	if (inv_sku_create(db, NULL, &f, (int64_t)time(NULL), &id, &err))
		return cli_fail(&err);
	printf("已创建商品 %s「%s」¥%s\n", f.code, f.title, money_format(f.price_fen, buf));
	return 0;
}

static int print_sku(const struct inv_sku *s, void *ctx)
{
	char buf[MONEY_BUF];
	UNUSED(ctx);
	printf("%s\t%s\t%s\t%s\t%s%s\n", s->code, s->title, s->attrs, money_format(s->price_fen, buf),
	       s->is_combo ? "combo" : "sku", s->active ? "" : "\tinactive");
	return 0;
}

static int sku_list(struct db *db, const char *q)
{
	struct err err = ERR_INIT;
	struct arena *a = arena_new(1 << 16);
	struct inv_sku_filter f = { q, NULL, -1, 1, 500 };
	int64_t total = 0;
	int rc = a ? 0 : err_set(&err, ERR_NOMEM, "", "内存不足", "out of memory");
	/* page by page, so a big catalogue is never held at once */
	for (; !rc; f.page++) {
		rc = inv_sku_list(db, a, &f, print_sku, NULL, &total, &err);
		if (rc || f.page * f.page_size >= total)
			break;
	}
	arena_free(a);
	return rc ? cli_fail(&err) : 0;
}

int cmd_sku(int argc, char **argv)
{
	const char *price = cli_take_option(&argc, argv, "--price");
	const char *product = cli_take_option(&argc, argv, "--product");
	const char *attrs = cli_take_option(&argc, argv, "--attrs");
	const char *q = cli_take_option(&argc, argv, "--q");
	struct db *db;
	int rc = open_db(&argc, argv, &db);

	if (rc)
		return rc;
	if (argc == 4 && strcmp(argv[1], "add") == 0)
		rc = sku_add(db, argv, price, product, attrs);
	else if (argc == 2 && strcmp(argv[1], "list") == 0)
		rc = sku_list(db, q);
	else
		rc = sku_usage();
	db_close(db);
	return rc;
}

/* ---------------------------------------------------------------- stock */

static int stock_receive(struct db *db, char **argv, const char *wh, const char *reason)
{
	struct err err = ERR_INIT;
	struct inv_level after;
	char *end;
	long long qty = strtoll(argv[3], &end, 10);

	if (*end || end == argv[3]) {
		fprintf(stderr, "错误: 数量应为整数 (error: QTY must be an integer)\n");
		return 2;
	}
	struct inv_move m = { argv[2], wh, qty, reason };
	if (inv_receive(db, NULL, &m, (int64_t)time(NULL), &after, &err))
		return cli_fail(&err);
	printf("已入库 %s ×%lld:现有 %lld,已占用 %lld,可用 %lld\n", m.sku, qty,
	       (long long)after.on_hand, (long long)after.reserved,
	       (long long)inv_available(&after));
	return 0;
}

static int print_stock(const struct inv_stock_row *r, void *ctx)
{
	UNUSED(ctx);
	printf("%s\t%s\t%s\t%lld\t%lld\t%lld\n", r->sku, r->warehouse, r->location,
	       (long long)r->on_hand, (long long)r->reserved, (long long)r->available);
	return 0;
}

static int stock_list(struct db *db, const char *wh)
{
	struct err err = ERR_INIT;
	struct arena *a = arena_new(1 << 16);
	struct inv_stock_filter f = { NULL, wh, NULL, 0, 0, 1, 500 };
	int64_t total = 0;
	int rc = a ? 0 : err_set(&err, ERR_NOMEM, "", "内存不足", "out of memory");
	printf("商家编码\t仓库\t库位\t现有\t占用\t可用\n");
	for (; !rc; f.page++) {
		rc = inv_stock_list(db, a, &f, print_stock, NULL, &total, &err);
		if (rc || f.page * f.page_size >= total)
			break;
	}
	arena_free(a);
	return rc ? cli_fail(&err) : 0;
}

static int print_mismatch(const struct inv_mismatch *m, void *ctx)
{
	UNUSED(ctx);
	printf("不一致 %s@%s: stock %lld/%lld, ledger %lld/%lld\n", m->sku, m->warehouse,
	       (long long)m->stock.on_hand, (long long)m->stock.reserved,
	       (long long)m->ledger.on_hand, (long long)m->ledger.reserved);
	return 0;
}

static int stock_verify(struct db *db)
{
	struct err err = ERR_INIT;
	int64_t checked = 0, bad = 0;
	if (inv_verify(db, print_mismatch, NULL, &checked, &bad, &err))
		return cli_fail(&err);
	printf("核对 %lld 行库存,%lld 行与流水不一致 (checked %lld, mismatched %lld)\n",
	       (long long)checked, (long long)bad, (long long)checked, (long long)bad);
	return bad ? 1 : 0;
}

int cmd_stock(int argc, char **argv)
{
	const char *wh = cli_take_option(&argc, argv, "--warehouse");
	const char *reason = cli_take_option(&argc, argv, "--reason");
	struct db *db;
	int rc = open_db(&argc, argv, &db);

	if (rc)
		return rc;
	if (argc == 4 && strcmp(argv[1], "receive") == 0)
		rc = stock_receive(db, argv, wh, reason);
	else if (argc == 2 && strcmp(argv[1], "list") == 0)
		rc = stock_list(db, wh);
	else if (argc == 2 && strcmp(argv[1], "verify") == 0)
		rc = stock_verify(db);
	else
		rc = stock_usage();
	db_close(db);
	return rc;
}
