/*
 * cmd_store.c - dianpu store add --db URL CODE NAME --platform P | store list --db URL
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "db/db.h"
#include "stores/stores.h"
#include "lib/common.h"

static int usage(void)
{
	fprintf(stderr, "usage: dianpu store add --db URL CODE NAME "
			"--platform taobao|tmall|1688|alibaba|jd|distributor|manual\n"
			"       dianpu store list --db URL\n");
	return 2;
}

static int print_store(const struct store *s, void *ctx)
{
	UNUSED(ctx);
	printf("%s\t%s\t%s\t%s\n", s->code, s->name, s->platform, s->active ? "active" : "inactive");
	return 0;
}

int cmd_store(int argc, char **argv)
{
	struct config cfg;
	struct err err = ERR_INIT;
	struct db *db;
	struct store s;
	const char *platform = cli_take_option(&argc, argv, "--platform");
	int rc = cli_config(&cfg, &argc, argv);

	if (rc)
		return rc;
	if (argc == 2 && strcmp(argv[1], "list") == 0) {
		if (cli_open_db(&cfg, &db))
			return 1;
		rc = store_each_visible(db, 0, print_store, NULL, &err) ? cli_fail(&err) : 0;
		db_close(db);
		return rc;
	}
	if (argc != 4 || strcmp(argv[1], "add") != 0 || !platform)
		return usage();
	if (cli_open_db(&cfg, &db))
		return 1;
	rc = store_create(db, NULL, argv[2], argv[3], platform, (int64_t)time(NULL), &s, &err);
	db_close(db);
	if (rc)
		return cli_fail(&err);
	printf("已创建店铺 %s「%s」(%s)\n", s.code, s.name, store_platform_label_zh(s.platform));
	return 0;
}
