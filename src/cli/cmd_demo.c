/*
 * cmd_demo.c - dianpu demo --db URL
 *
 * Fills an empty database with a demo store and one login per role, and prints
 * the logins. Running it again changes nothing. Orders and stock join the demo
 * data with the orders module.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <time.h>

#include "auth/auth_db.h"
#include "config.h"
#include "db/db.h"
#include "stores/stores.h"
#include "lib/common.h"

#define DEMO_STORE "qinghe"

static const struct {
	enum role role;
	const char *username;
	const char *display_name;
	const char *phone;
} demo_users[] = {
	{ ROLE_BOSS, "boss", "王店长", "13800138000" },
	{ ROLE_OPERATIONS, "ops", "李运营", "13900139001" },
	{ ROLE_CS_PRESALE, "presale", "张小美", "13700137002" },
	{ ROLE_CS_AFTERSALE, "aftersale", "刘晓", "13600136003" },
	{ ROLE_CS_LEAD, "cslead", "陈主管", "13500135004" },
	{ ROLE_CS_MENTOR, "mentor", "赵导师", "13400134005" },
	{ ROLE_WAREHOUSE, "warehouse", "孙仓管", "13300133006" },
	{ ROLE_DESIGNER, "designer", "周美工", "13200132007" },
	{ ROLE_TRADE_SALES, "trade", "吴业务", "13100131008" },
	{ ROLE_TRADE_ASSISTANT, "tradeasst", "郑助理", "15000150009" },
	{ ROLE_FINANCE, "finance", "冯财务", "15100151010" },
	{ ROLE_HR, "hr", "何人事", "15200152011" },
	{ ROLE_DISTRIBUTOR, "distributor", "杭州分销商", "15300153012" },
};

static int demo_store(struct db *db, int64_t now)
{
	struct err err = ERR_INIT;
	struct store s;

	if (store_get(db, DEMO_STORE, &s, &err) == 0)
		return 0;
	err_init(&err);
	if (store_create(db, NULL, DEMO_STORE, "青禾旗舰店", "tmall", now, &s, &err))
		return cli_fail(&err);
	return 0;
}

static int demo_logins(struct db *db, int64_t now)
{
	char password[64];
	struct user_row existing;
	int64_t id;

	printf("演示账号 (demo logins):\n");
	for (size_t i = 0; i < ARRAY_SIZE(demo_users); i++) {
		struct err err = ERR_INIT;
		snprintf(password, sizeof password, "%s-demo-2026", demo_users[i].username);
		if (user_get_by_name(db, demo_users[i].username, &existing, &err) != 0) {
			struct user_new u = { demo_users[i].username, password, demo_users[i].role,
					      demo_users[i].display_name, demo_users[i].phone };
			err_init(&err);
			if (user_create(db, NULL, &u, now, &id, &err))
				return cli_fail(&err);
		}
		printf("  %-16s %-14s %-12s %s\n", role_label_zh(demo_users[i].role),
		       demo_users[i].username, role_name(demo_users[i].role), password);
	}
	return 0;
}

int cmd_demo(int argc, char **argv)
{
	struct config cfg;
	struct db *db;
	int64_t now = (int64_t)time(NULL);
	int rc = cli_config(&cfg, &argc, argv);

	if (rc)
		return rc;
	if (argc != 1) {
		fprintf(stderr, "usage: dianpu demo --db URL\n");
		return 2;
	}
	if (cli_open_db(&cfg, &db))
		return 1;
	rc = demo_store(db, now);
	if (!rc)
		rc = demo_logins(db, now);
	db_close(db);
	return rc;
}
