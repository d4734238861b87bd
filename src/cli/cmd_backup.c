/*
 * cmd_backup.c - dianpu backup --db sqlite:PATH OUT
 * A consistent copy through SQLite's online backup API, safe while the server
 * runs. PostgreSQL: use pg_dump (see README).
 */
#include "cli/cli.h"

#include <stdio.h>

#include "config.h"
#include "db/db.h"
#include "lib/common.h"

int cmd_backup(int argc, char **argv)
{
	struct config cfg;
	struct err err = ERR_INIT;
	int rc = cli_config(&cfg, &argc, argv);

	if (rc)
		return rc;
	if (argc != 2) {
		fprintf(stderr, "usage: dianpu backup --db sqlite:PATH OUT.db\n");
		return 2;
	}
	if (db_backup_sqlite(cfg.db, argv[1], &err))
		return cli_fail(&err);
	printf("已备份到 %s (backup written to %s)\n", argv[1], argv[1]);
	return 0;
}
