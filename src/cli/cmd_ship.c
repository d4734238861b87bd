/*
 * cmd_ship.c - ORD-9 from the command line:
 *   dianpu ship import --db URL --store CODE FILE.csv|FILE.xlsx
 *       tracking numbers (订单编号, 物流公司, 物流单号 by name; CSV in GBK or UTF-8,
 *       or the first sheet of an Excel workbook; 订单编号 "<order no>-K" ships
 *       parcel K of a split order);
 *       prints {"rows","shipped","unchanged","rejected","errors":[...]}
 *   dianpu ship export --db URL --store CODE [--from T] [--to T]
 *       the platform bulk-ship CSV (orders/ship.h) on stdout
 * Exit 0 when the import ran (even with rejected rows), 1 on failure, 2 on usage.
 */
#include "cli/cli.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "db/db.h"
#include "lib/cal.h"
#include "lib/sb.h"
#include "orders/ship.h"
#include "orders/ship_db.h"
#include "stores/stores.h"
#include "lib/common.h"

static int usage(void)
{
	fprintf(stderr, "usage: dianpu ship import --db URL --store CODE FILE.csv|FILE.xlsx\n"
			"       dianpu ship export --db URL --store CODE [--from TIME] [--to TIME]\n"
			"  FILE: 订单编号,物流公司,物流单号 (CSV in GBK or UTF-8, or an .xlsx);\n"
			"        拆单的包裹写 订单编号-包裹号 (a split order's parcel: ORDERNO-K)\n");
	return 2;
}

static int run_import(struct db *db, const struct store *s, const char *path)
{
	struct err err = ERR_INIT;
	json_t *result = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "错误: 无法打开 %s\nerror: cannot open %s\n", path, path);
		return 1;
	}
	int rc = ship_tracking_import(db, NULL, s->id, fd, (int64_t)time(NULL), &result, &err);
	close(fd);
	if (rc)
		return cli_fail(&err);
	json_dumpf(result, stdout, JSON_INDENT(1));
	putchar('\n');
	json_decref(result);
	return 0;
}

static int print_row(const struct ship_row *r, void *ctx)
{
	struct sb *line = ctx;
	const char *platform = ship_courier_platform_name(r->courier);
	sb_reset(line);
	ship_csv_field(line, r->order_no);
	sb_addc(line, ',');
	ship_csv_field(line, platform ? platform : r->courier);
	sb_addc(line, ',');
	ship_csv_field(line, r->tracking_no);
	sb_adds(line, "\r\n");
	fwrite(line->buf, 1, line->len, stdout);
	return 0;
}

static int run_export(struct db *db, const struct store *s, const char *from, const char *to)
{
	struct err err = ERR_INIT;
	int64_t f = 0, t = 0;
	if ((from && cal_parse(from, &f, &err)) || (to && cal_parse(to, &t, &err)))
		return cli_fail(&err);
	struct sb line = SB_INIT;
	fputs(SHIP_EXPORT_HEADER, stdout);
	int rc = ship_export_each(db, s->id, f, t, print_row, &line, &err) ? cli_fail(&err) : 0;
	sb_release(&line);
	return rc;
}

int cmd_ship(int argc, char **argv)
{
	struct config cfg;
	struct err err = ERR_INIT;
	struct db *db;
	struct store s;
	const char *code = cli_take_option(&argc, argv, "--store");
	const char *from = cli_take_option(&argc, argv, "--from");
	const char *to = cli_take_option(&argc, argv, "--to");
	int rc = cli_config(&cfg, &argc, argv);

	if (rc)
		return rc;
	int import = argc == 3 && strcmp(argv[1], "import") == 0;
	int export = argc == 2 && strcmp(argv[1], "export") == 0;
	if (!code || !(import || export))
		return usage();
	if (cli_open_db(&cfg, &db))
		return 1;
	if (store_get(db, code, &s, &err))
		rc = cli_fail(&err);
	else
		rc = import ? run_import(db, &s, argv[2]) : run_export(db, &s, from, to);
	db_close(db);
	return rc;
}
