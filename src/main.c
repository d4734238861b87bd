/*
 * main.c - the command table of `dianpu` [git.c].
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "config.h"
#include "lib/common.h"

static int cmd_version(int argc, char **argv)
{
	UNUSED(argc);
	UNUSED(argv);
	printf("dianpu %s\n", DIANPU_VERSION);
	return 0;
}

static int cmd_help(int argc, char **argv);

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "serve", cmd_serve, "运行 HTTP 服务 / run the HTTP API server" },
	{ "migrate", cmd_migrate, "升级数据库结构 / apply database migrations" },
	{ "demo", cmd_demo, "写入演示数据 / load demo data" },
	{ "import", cmd_import, "导入订单 taobao-orders|generic-orders / import seller-center exports, generic template" },
	{ "gen", cmd_gen, "生成测试数据 taobao-orders, 通用模板 generic-template / generate test exports, the template" },
	{ "order", cmd_order, "合并/拆单 merge|unmerge|split|unsplit|parcels / ORD-10 merged and split parcels" },
	{ "ship", cmd_ship, "发货 import|export 快递单号导入、批量发货文件 / tracking numbers, bulk-ship file" },
	{ "recon", cmd_recon, "快递对账 import|show / courier bill reconciliation" },
	{ "user", cmd_user, "用户管理 add|passwd|list|disable / manage users" },
	{ "store", cmd_store, "店铺管理 add|list / manage stores" },
	{ "sku", cmd_sku, "商品 add|list / SKUs (商家编码)" },
	{ "stock", cmd_stock, "库存 receive|list|verify / stock and its ledger" },
	{ "policy", cmd_policy, "店铺策略 show|set / show or set a store's policy" },
	{ "backup", cmd_backup, "在线备份 SQLite 数据库 / online SQLite backup" },
	{ "version", cmd_version, "版本 / print the version" },
	{ "help", cmd_help, "帮助 / this help" },
};

static int cmd_help(int argc, char **argv)
{
	UNUSED(argc);
	UNUSED(argv);
	fprintf(stderr, "dianpu %s - 店铺运营系统 / e-commerce operations\n\n"
			"usage: dianpu COMMAND [--db URL] [options] [args]\n\ncommands:\n",
		DIANPU_VERSION);
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(stderr, "  %-9s %s\n", commands[i].name, commands[i].help);
	fprintf(stderr, "\n");
	config_usage();
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		cmd_help(argc, argv);
		return 2;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "libsodium 初始化失败 (libsodium failed to initialise)\n");
		return 1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(argc, argv);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(argc, argv);
	fprintf(stderr, "未知命令 %s (unknown command %s); 见 dianpu help\n", argv[1], argv[1]);
	return 2;
}
