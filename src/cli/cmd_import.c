/*
 * cmd_import.c - dianpu import taobao-orders --db URL --store CODE ORDERS.csv [ITEMS.csv]
 *                dianpu import generic-orders --db URL --store CODE FILE.csv|FILE.xlsx
 *
 * Prints the result as JSON on stdout:
 *   {"import_id","rows","inserted","updated","unchanged","rejected","errors":[{file,line,column,reason}]}
 * Exit 0 when the import ran (even with rejected rows), 1 when it failed.
 */
#include "cli/cli.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "db/db.h"
#include "orders/import_job.h"
#include "stores/stores.h"
#include "lib/common.h"

static int usage(void)
{
	fprintf(stderr, "usage: dianpu import taobao-orders --db URL --store CODE ORDERS.csv [ITEMS.csv]\n"
			"       dianpu import generic-orders --db URL --store CODE FILE.csv|FILE.xlsx\n"
			"  ORDERS.csv: 订单报表 (ExportOrderList); ITEMS.csv: 宝贝报表 (ExportOrderDetailList)\n"
			"  FILE: 通用订单模板,每行一个订单明细 (docs/import-generic.md;\n"
			"        dianpu gen generic-template OUT.csv|OUT.xlsx writes an empty one)\n");
	return 2;
}

static int open_input(const char *path, int *fd, int64_t *size)
{
	struct stat sb;
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0 || fstat(*fd, &sb) != 0) {
		fprintf(stderr, "错误: 无法打开 %s\nerror: cannot open %s\n", path, path);
		return 1;
	}
	*size += (int64_t)sb.st_size;
	return 0;
}

static int run(struct db *db, const struct store *s, int generic, const char *orders,
	       const char *items)
{
	struct err err = ERR_INIT;
	int ofd = -1, ifd = -1, rc;
	int64_t bytes = 0, id;
	json_t *result = NULL;
	const struct addr_table *addrs = import_addr_table(&err);

	if (!addrs)
		return cli_fail(&err);
	rc = open_input(orders, &ofd, &bytes);
	if (!rc && items)
		rc = open_input(items, &ifd, &bytes);
	if (!rc && import_job_create(db, NULL, s->id, generic ? "generic-orders" : "taobao-orders",
				     orders, bytes, (int64_t)time(NULL), &id, &err))
		rc = cli_fail(&err);
	if (!rc && (generic ? import_job_run_generic(db, NULL, id, s->id, ofd, addrs, &result, &err)
			    : import_job_run_taobao(db, NULL, id, s->id, ofd, ifd, addrs, &result, &err)))
		rc = cli_fail(&err);
	if (!rc) {
		json_dumpf(result, stdout, JSON_INDENT(1));
		putchar('\n');
	}
	json_decref(result);
	if (ofd >= 0)
		close(ofd);
	if (ifd >= 0)
		close(ifd);
	return rc;
}

int cmd_import(int argc, char **argv)
{
	struct config cfg;
	struct err err = ERR_INIT;
	struct db *db;
	struct store s;
	const char *code = cli_take_option(&argc, argv, "--store");
	int rc = cli_config(&cfg, &argc, argv);

	if (rc)
		return rc;
	int generic = argc >= 2 && strcmp(argv[1], "generic-orders") == 0;
	if (argc < 3 || argc > (generic ? 3 : 4) || !code ||
	    (!generic && strcmp(argv[1], "taobao-orders") != 0))
		return usage();
	if (cli_open_db(&cfg, &db))
		return 1;
	if (store_get(db, code, &s, &err))
		rc = cli_fail(&err);
	else
		rc = run(db, &s, generic, argv[2], argc == 4 ? argv[3] : NULL);
	db_close(db);
	return rc;
}
