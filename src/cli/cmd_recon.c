/*
 * cmd_recon.c - ORD-11 courier bills from the command line:
 *   dianpu recon import --db URL --courier NAME --period 2026-11
 *        [--tolerance-g 100] [--fee-tolerance-pct 30] [--fee-min-lines 5] FILE.csv|FILE.xlsx
 *       the bill (运单号, 重量, 运费 by name; CSV in GBK or UTF-8, or an .xlsx) matched and flagged
 *       (orders/recon.h); prints the bill summary as JSON
 *   dianpu recon show --db URL BILL_ID
 * Exit 0 when the bill was stored, 1 on failure, 2 on usage.
 */
#include "cli/cli.h"

#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "db/db.h"
#include "orders/recon_db.h"
#include "lib/common.h"

static int usage(void)
{
	fprintf(stderr, "usage: dianpu recon import --db URL --courier NAME --period YYYY-MM\n"
			"         [--tolerance-g 100] [--fee-tolerance-pct 30] [--fee-min-lines 5] FILE.csv|.xlsx\n"
			"       dianpu recon show --db URL BILL_ID\n"
			"  FILE: 运单号,重量,运费 (weight in kg unless the header says g); CSV or .xlsx\n");
	return 2;
}

/* A whole number option; -1 when malformed. */
static int opt_int(const char *v, int64_t *out)
{
	char *end;
	if (!v)
		return 0;
	long long n = strtoll(v, &end, 10);
	if (!*v || *end)
		return -1;
	*out = n;
	return 0;
}

static int print_bill(struct db *db, int64_t id)
{
	struct err err = ERR_INIT;
	json_t *bill;
	if (recon_bill_json(db, id, 1, &bill, &err))
		return cli_fail(&err);
	json_dumpf(bill, stdout, JSON_INDENT(1));
	putchar('\n');
	json_decref(bill);
	return 0;
}

static int run_import(struct db *db, const struct recon_import *in, const char *path)
{
	struct err err = ERR_INIT;
	int64_t id;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "错误: 无法打开 %s\nerror: cannot open %s\n", path, path);
		return 1;
	}
	int rc = recon_bill_import(db, NULL, in, fd, (int64_t)time(NULL), &id, &err);
	close(fd);
	return rc ? cli_fail(&err) : print_bill(db, id);
}

int cmd_recon(int argc, char **argv)
{
	struct config cfg;
	struct db *db;
	struct recon_import in = { .pol = RECON_POLICY_DEFAULT };
	int64_t id = 0;
	in.courier = cli_take_option(&argc, argv, "--courier");
	in.period = cli_take_option(&argc, argv, "--period");
	const char *tol = cli_take_option(&argc, argv, "--tolerance-g");
	const char *pct = cli_take_option(&argc, argv, "--fee-tolerance-pct");
	const char *min = cli_take_option(&argc, argv, "--fee-min-lines");
	int bad = opt_int(tol, &in.pol.weight_tolerance_g) || opt_int(pct, &in.pol.fee_tolerance_pct) ||
		  opt_int(min, &in.pol.fee_min_lines);
	int rc = cli_config(&cfg, &argc, argv);

	if (rc)
		return rc;
	int import = argc == 3 && strcmp(argv[1], "import") == 0 && in.courier && in.period;
	int show = argc == 3 && strcmp(argv[1], "show") == 0 && opt_int(argv[2], &id) == 0 && id > 0;
	if (bad || !(import || show))
		return usage();
	if (cli_open_db(&cfg, &db))
		return 1;
	in.filename = import ? argv[2] : NULL;
	rc = import ? run_import(db, &in, argv[2]) : print_bill(db, id);
	db_close(db);
	return rc;
}
