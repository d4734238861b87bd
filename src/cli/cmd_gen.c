/*
 * cmd_gen.c - dianpu gen taobao-orders --orders N --seed S [--utf8 [--bom]] ORDERS.csv ITEMS.csv
 *
 * Writes synthetic Taobao/Tmall seller-center exports (订单报表 and 宝贝报表)
 * for tests and benchmarks: GBK, CRLF, the real headers and quirks (see
 * io/taobao_gen.h). The same N and seed always give byte-identical files.
 *
 * dianpu gen generic-template OUT.csv|OUT.xlsx
 *
 * Writes the generic order template (orders/import_generic.h,
 * docs/import-generic.md): the header row and two example rows, one order of
 * two lines. .xlsx gives a workbook (every cell text), anything else a UTF-8
 * CSV with a BOM (so Excel opens it as UTF-8) and CRLF.
 */
#include "cli/cli.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/taobao_gen.h"
#include "orders/import_template.h"
#include "lib/common.h"

static int usage(void)
{
	fprintf(stderr,
		"用法 / usage: dianpu gen taobao-orders --orders N --seed S [--utf8 [--bom]] "
		"ORDERS.csv ITEMS.csv\n"
		"  生成淘宝/天猫卖家中心格式的订单报表与宝贝报表（GBK，CRLF），用于测试与基准。\n"
		"  writes seller-center order and item exports (GBK, CRLF) for tests and benchmarks.\n"
		"  --orders N  订单数 / number of orders (0..%ld)\n"
		"  --seed S    随机种子，决定全部内容与导出日期 / seed: fixes all content and the export date\n"
		"  --utf8      写 UTF-8 而非 GBK / write UTF-8 instead of GBK\n"
		"  --bom       与 --utf8 同用：文件以 BOM 开头 / with --utf8: start with a BOM\n"
		"       dianpu gen generic-template OUT.csv|OUT.xlsx\n"
		"  写出通用订单模板（表头与两行示例）/ writes the generic order template (header, two example rows)\n",
		TAOBAO_GEN_MAX_ORDERS);
	return 2;
}

/* A whole non-negative decimal number (no sign, no trailing text). */
static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

/* --name VALUE or --name=VALUE at argv[*i]; advances *i past a separate VALUE. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] != '\0' || *i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

static int gen_taobao(int argc, char **argv)
{
	struct taobao_gen_opts opts = { -1, 0, 0, 0 };
	struct taobao_gen_stats stats;
	struct err err = ERR_INIT;
	const char *paths[2];
	int n_paths = 0, have_seed = 0;
	uint64_t v;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val;
		if ((val = option_value(argc, argv, &i, "--orders")) != NULL) {
			if (parse_u64(val, &v) || v > (uint64_t)TAOBAO_GEN_MAX_ORDERS) {
				fprintf(stderr, "--orders 须为 0 到 %ld 的整数 (--orders must be 0..%ld)\n",
					TAOBAO_GEN_MAX_ORDERS, TAOBAO_GEN_MAX_ORDERS);
				return 2;
			}
			opts.orders = (long)v;
		} else if ((val = option_value(argc, argv, &i, "--seed")) != NULL) {
			if (parse_u64(val, &opts.seed)) {
				fprintf(stderr, "--seed 须为非负整数 (--seed must be a non-negative integer)\n");
				return 2;
			}
			have_seed = 1;
		} else if (strcmp(a, "--utf8") == 0) {
			opts.utf8 = 1;
		} else if (strcmp(a, "--bom") == 0) {
			opts.bom = 1;
		} else if (strncmp(a, "--", 2) == 0 || n_paths == 2) {
			fprintf(stderr, "无法识别的参数 %s (unexpected argument %s)\n", a, a);
			return usage();
		} else {
			paths[n_paths++] = a;
		}
	}
	if (opts.orders < 0 || !have_seed || n_paths != 2 || (opts.bom && !opts.utf8))
		return usage();

	FILE *fo = fopen(paths[0], "wb");
	if (!fo) {
		fprintf(stderr, "无法创建 %s (cannot create %s): %s\n", paths[0], paths[0],
			strerror(errno));
		return 1;
	}
	FILE *fi = fopen(paths[1], "wb");
	if (!fi) {
		fprintf(stderr, "无法创建 %s (cannot create %s): %s\n", paths[1], paths[1],
			strerror(errno));
		fclose(fo);
		return 1;
	}
	int rc = taobao_gen_write(fo, fi, &opts, &stats, &err);
	int close_failed = fclose(fo) != 0;
	close_failed |= fclose(fi) != 0;
	if (rc)
		return cli_fail(&err);
	if (close_failed) {
		fprintf(stderr, "写入文件失败 (failed to write the files): %s\n", strerror(errno));
		return 1;
	}
	fprintf(stderr, "订单报表 %s: %ld 单, %" PRIu64 " 字节 (orders: %ld, %" PRIu64 " bytes)\n",
		paths[0], stats.orders, stats.orders_bytes, stats.orders, stats.orders_bytes);
	fprintf(stderr, "宝贝报表 %s: %ld 行, %" PRIu64 " 字节 (items: %ld, %" PRIu64 " bytes)\n",
		paths[1], stats.items, stats.items_bytes, stats.items, stats.items_bytes);
	return 0;
}

/* ---------------------------------------------------------------- generic template */

static int gen_generic_template(int argc, char **argv)
{
	struct err err = ERR_INIT;

	if (argc != 2 || strncmp(argv[1], "--", 2) == 0)
		return usage();
	const char *path = argv[1];
	size_t n = strlen(path);
	int xlsx = n >= 5 && strcasecmp(path + n - 5, ".xlsx") == 0;
	FILE *f = fopen(path, "wb");
	if (!f) {
		fprintf(stderr, "无法创建 %s (cannot create %s): %s\n", path, path, strerror(errno));
		return 1;
	}
	int rc = generic_template_write(f, xlsx, &err);
	int close_failed = fclose(f) != 0;
	if (rc && err.code)
		return cli_fail(&err);
	if (rc || close_failed) {
		fprintf(stderr, "写入文件失败 (failed to write the file): %s\n", strerror(errno));
		return 1;
	}
	fprintf(stderr, "通用订单模板 %s: 表头与 2 行示例 (generic order template: header and 2 example rows)\n",
		path);
	return 0;
}

int cmd_gen(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage();
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "taobao-orders") == 0)
		return gen_taobao(argc - 1, argv + 1);
	if (strcmp(argv[1], "generic-template") == 0)
		return gen_generic_template(argc - 1, argv + 1);
	fprintf(stderr, "未知的生成器 %s (unknown generator %s)\n", argv[1], argv[1]);
	return usage();
}
