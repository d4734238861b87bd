/*
 * cmd_demo.c - dianpu demo --db URL
 *
 * Fills an empty database with a demo store, one login per role and 3,000
 * orders of the last 30 days in every platform status and fulfilment stage, and
 * prints the logins. The orders go through the real path: a generated Taobao
 * export (GBK, with the platform's quirks) is imported, then orders are moved
 * along the stages by the same functions the API calls. Running it again
 * changes nothing.
 */
#include "cli/cli.h"

#include <jansson.h>
#include <stdio.h>
#include <time.h>

#include "auth/auth_db.h"
#include "inventory/inventory_db.h"
#include "io/taobao_gen.h"
#include "lib/arena.h"
#include "lib/xalloc.h"
#include "orders/import_job.h"
#include "orders/order_db.h"
#include "config.h"
#include "db/db.h"
#include "stores/stores.h"
#include "lib/common.h"

#define DEMO_STORE "qinghe"
#define DEMO_ORDERS 3000

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

static int ignore_order(const struct order *o, void *ctx)
{
	UNUSED(o);
	UNUSED(ctx);
	return 0;
}

static int has_orders(struct db *db, int64_t store_id, int *yes, struct err *err)
{
	struct order_filter f = { .store_id = store_id, .page = 1, .page_size = 1 };
	struct arena *a = arena_new(4096);
	int64_t total = 0;
	int rc = a ? order_list(db, &f, a, ignore_order, NULL, &total, err) : ERR_NOMEM;
	arena_free(a);
	*yes = total > 0;
	return rc;
}

static int import_generated(struct db *db, const struct store *s, int64_t now, struct err *err)
{
	struct taobao_gen_opts opts = { DEMO_ORDERS, 20261124, 0, 0 };
	struct taobao_gen_stats stats;
	FILE *of = tmpfile(), *itf = tmpfile();
	json_t *result = NULL;
	int64_t id;
	int rc = of && itf ? taobao_gen_write(of, itf, &opts, &stats, err)
			   : err_set(err, ERR_IO, "", "无法创建临时文件", "cannot create temporary files");
	const struct addr_table *addrs = rc ? NULL : import_addr_table(err);

	if (!rc && !addrs)
		rc = err->code;
	if (!rc && (fflush(of) || fflush(itf) || fseek(of, 0, SEEK_SET) || fseek(itf, 0, SEEK_SET)))
		rc = err_set(err, ERR_IO, "", "临时文件写入失败", "writing temporary files failed");
	if (!rc)
		rc = import_job_create(db, NULL, s->id, "taobao-orders", "demo", 0, now, &id, err);
	if (!rc)
		rc = import_job_run_taobao(db, NULL, id, s->id, fileno(of), fileno(itf), addrs, &result, err);
	/* the generator's dates end on a day fixed by its seed: bring them up to today */
	if (!rc)
		rc = order_demo_shift_times(db, s->id, now - stats.end_utc, err);
	json_decref(result);
	if (of)
		fclose(of);
	if (itf)
		fclose(itf);
	return rc;
}

struct advance {
	struct db *db;
	const struct auth_user *who;
	int64_t now;
	long n;
	int64_t ids[DEMO_ORDERS];
	long nids;
};

/* The list is read first and acted on after, so no write runs under an open scan. */
static int collect(const struct order *o, void *p)
{
	struct advance *a = p;
	if (a->nids < DEMO_ORDERS)
		a->ids[a->nids++] = o->id;
	return 0;
}

/* Moves the i-th audited order a deterministic number of steps along. */
static int advance_one(struct advance *a, int64_t id)
{
	struct err err = ERR_INIT;
	static const enum order_action path[] = { ORDER_ACT_PRINT, ORDER_ACT_PICK, ORDER_ACT_VERIFY,
						  ORDER_ACT_PACK, ORDER_ACT_SHIP, ORDER_ACT_DELIVER };
	long steps = a->n++ % 8; /* 0: stays audited ... 6: delivered, 7: on hold */
	char tracking[32];
	snprintf(tracking, sizeof tracking, "YT%013lld", (long long)(4300000000000LL + id));
	struct order_act_args args = { 0, 300 + (id % 20) * 75, "圆通速递", tracking, "等客户确认颜色" };
	if (steps == 7)
		return order_act(a->db, a->who, id, ORDER_ACT_HOLD, &args, a->now, &err);
	for (long i = 0; i < steps; i++)
		if (order_act(a->db, a->who, id, path[i], &args, a->now, &err))
			return err.code;
	return 0;
}

static int advance_orders(struct db *db, const struct store *s, int64_t now, struct err *err)
{
	struct user_row boss;
	int rc = user_get_by_name(db, "boss", &boss, err);
	if (rc)
		return rc;
	struct auth_user who = { boss.id, "", boss.role };
	snprintf(who.username, sizeof who.username, "%s", boss.username);
	struct advance *a = xcalloc(1, sizeof *a);
	struct order_filter f = { .store_id = s->id, .stage = "audited", .page = 1,
				  .page_size = DEMO_ORDERS };
	struct arena *ar = arena_new(1 << 16);
	rc = ar && a ? order_list(db, &f, ar, collect, a, NULL, err)
		     : err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	if (!rc) {
		a->db = db;
		a->who = &who;
		a->now = now;
	}
	for (long i = 0; !rc && i < a->nids; i++)
		rc = advance_one(a, a->ids[i]);
	arena_free(ar);
	xfree(a);
	return rc;
}

static int demo_orders(struct db *db, int64_t now)
{
	struct err err = ERR_INIT;
	struct store s;
	int yes;

	if (store_get(db, DEMO_STORE, &s, &err) || has_orders(db, s.id, &yes, &err))
		return cli_fail(&err);
	if (yes)
		return 0;
	/* stock first, so auto-audit at import reserves it as in a real store */
	if (inv_demo_seed(db, now, &err) || import_generated(db, &s, now, &err) ||
	    advance_orders(db, &s, now, &err))
		return cli_fail(&err);
	printf("已生成演示订单 %d 单 (demo orders: %d)\n", DEMO_ORDERS, DEMO_ORDERS);
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
	if (!rc)
		rc = demo_orders(db, now);
	db_close(db);
	return rc;
}
