/* cmd_migrate.c - dianpu migrate --db URL: applies pending migrations. */
#include "cli/cli.h"

#include <stdio.h>

#include "config.h"
#include "db/db.h"
#include "lib/common.h"

int cmd_migrate(int argc, char **argv)
{
	struct config cfg;
	struct err err = ERR_INIT;
	struct db *db;
	int applied, rc = cli_config(&cfg, &argc, argv);

	if (rc)
		return rc;
	if (db_open(cfg.db, &db, &err))
		return cli_fail(&err);
	rc = db_migrate(db, &applied, &err);
	db_close(db);
	if (rc)
		return cli_fail(&err);
	printf("已应用 %d 个迁移 (applied %d migrations)\n", applied, applied);
	return 0;
}
