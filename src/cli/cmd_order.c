/*
 * cmd_order.c - ORD-10 from the command line:
 *   dianpu order merge   --db URL [--user NAME] ID ID...
 *       merges the orders into one parcel; prints {"merge_group","orders":[...]}
 *   dianpu order unmerge --db URL [--user NAME] ID
 *       dissolves the merge group ID belongs to; prints {"orders":[...]}
 *   dianpu order split   --db URL [--user NAME] ID --parcel LINE:QTY[,LINE:QTY...] --parcel ...
 *       splits an audited order into parcels (one --parcel each, in order)
 *   dianpu order unsplit --db URL [--user NAME] ID
 *   dianpu order parcels --db URL ID
 *       split, unsplit and parcels print the order's parcels as the API's
 *       GET /api/v1/orders/{id}/parcels does.
 * IDs are the orders' ids (the "id" of the API), not platform order numbers.
 *
 * Who: without --user the change is the system's, as `dianpu ship import`
 * records it: no user id, username "system" in the timeline and the audit log
 * (order_merge_db.h, who = NULL). With --user
 * the command acts as that user: the user must exist, be enabled and hold a
 * role the API lets merge and split (ORDER_AUDITORS in order_merge_http.c), and
 * sees only the stores that user may see.
 * Exit 0 done, 1 refused or failed (the reason on stderr), 2 usage.
 */
#include "cli/cli.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth_db.h"
#include "config.h"
#include "db/db.h"
#include "lib/arena.h"
#include "lib/cal.h"
#include "orders/order_db.h"
#include "orders/order_merge_db.h"
#include "lib/common.h"

/* The roles that may merge, unmerge, split and unsplit over the API. */
#define CMD_ORDER_ROLES                                                                       \
	(ROLE_BIT(ROLE_BOSS) | ROLE_BIT(ROLE_CS_LEAD) | ROLE_BIT(ROLE_CS_PRESALE) |            \
	 ROLE_BIT(ROLE_CS_AFTERSALE) | ROLE_BIT(ROLE_WAREHOUSE))

#define CMD_ORDER_LINES_MAX 256 /* lines of one --parcel, as the API's limit */

static int usage(void)
{
	fprintf(stderr,
		"usage: dianpu order merge   --db URL [--user NAME] ID ID...\n"
		"       dianpu order unmerge --db URL [--user NAME] ID\n"
		"       dianpu order split   --db URL [--user NAME] ID --parcel LINE:QTY[,LINE:QTY...]"
		" --parcel ...\n"
		"       dianpu order unsplit --db URL [--user NAME] ID\n"
		"       dianpu order parcels --db URL ID\n"
		"  ID: 订单 id (the API's id); LINE: 商品行号 line_no; QTY: 件数\n"
		"  --user NAME: 以该用户身份操作并记入审计 (act as this user; default: system)\n");
	return 2;
}

static int nomem(struct err *err)
{
	return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
}

/* A whole positive decimal number; 0 when s is anything else. */
static int64_t positive(const char *s, const char **end)
{
	char *e;
	if (!s || *s < '0' || *s > '9')
		return 0;
	long long v = strtoll(s, &e, 10);
	if (end)
		*end = e;
	else if (*e)
		return 0;
	return v > 0 ? v : 0;
}

static void print_json(json_t *j)
{
	json_dumpf(j, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(j);
}

/* ---------------------------------------------------------------- answers */

static json_t *order_brief(const struct order *o)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:I,s:I,s:s,s:s}", "id", (json_int_t)o->id, "order_no",
			 o->platform_order_no, "stage", order_stage_name(o->stage), "stage_label",
			 order_stage_label_zh(o->stage), "version", (json_int_t)o->version,
			 "item_qty", (json_int_t)o->item_qty, "courier", o->courier, "tracking_no",
			 o->tracking_no);
}

static int members_json(struct db *db, struct arena *a, const struct auth_user *who,
			const int64_t *ids, size_t n, json_t **out, struct err *err)
{
	*out = json_array();
	if (!*out)
		return nomem(err);
	for (size_t i = 0; i < n; i++) {
		struct order o;
		int rc = order_get(db, a, ids[i], who ? who->id : 0, &o, err);
		if (rc == ERR_NOT_FOUND) { /* a member in a store the user may not see */
			*err = (struct err)ERR_INIT;
			continue;
		}
		if (!rc && json_array_append_new(*out, order_brief(&o)))
			rc = nomem(err);
		if (rc) {
			json_decref(*out);
			*out = NULL;
			return rc;
		}
	}
	return 0;
}

static int parcel_add(const struct order_parcel *p, void *ctx)
{
	json_t *arr = ctx, *lines = json_array(), *j;
	char ts[CAL_BUF];
	if (!lines)
		return ERR_NOMEM;
	for (size_t i = 0; i < p->n_lines; i++)
		json_array_append_new(lines, json_pack("{s:I,s:I}", "line_no",
						       (json_int_t)p->lines[i].line_no, "qty",
						       (json_int_t)p->lines[i].qty));
	j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:o}", "parcel_no", (json_int_t)p->parcel_no,
		      "stage", order_stage_name(p->stage), "stage_label",
		      order_stage_label_zh(p->stage), "courier", p->courier, "tracking_no",
		      p->tracking_no, "version", (json_int_t)p->version, "lines", lines);
	if (!j)
		return ERR_NOMEM;
	json_object_set_new(j, "weight_g", p->weight_g >= 0 ? json_integer(p->weight_g) : json_null());
	json_object_set_new(j, "shipped_at", p->shipped_utc
						 ? json_string(cal_format_iso(p->shipped_utc, ts))
						 : json_null());
	return json_array_append_new(arr, j) ? ERR_NOMEM : 0;
}

/* The order's parcels, as GET /api/v1/orders/{id}/parcels answers. */
static int parcels_print(struct db *db, const struct auth_user *who, int64_t id,
			 struct err *err)
{
	struct arena *a = arena_new(1 << 14);
	json_t *parcels = json_array(), *members = NULL, *out = NULL;
	struct order o;
	int64_t *ids = NULL;
	size_t n = 0;
	int rc = a && parcels ? order_get(db, a, id, who ? who->id : 0, &o, err) : nomem(err);

	if (!rc)
		rc = order_parcels_each(db, a, id, parcel_add, parcels, err);
	if (!rc && o.merge_group)
		rc = order_merge_members(db, a, o.merge_group, &ids, &n, err);
	if (!rc)
		rc = members_json(db, a, who, ids, n, &members, err);
	if (rc == ERR_NOMEM && !err->code)
		rc = nomem(err);
	if (!rc) {
		out = json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:s,s:o,s:I,s:o}", "id",
				(json_int_t)o.id, "order_no", o.platform_order_no, "stage",
				order_stage_name(o.stage), "stage_label", order_stage_label_zh(o.stage),
				"version", (json_int_t)o.version, "courier", o.courier, "tracking_no",
				o.tracking_no, "members", members, "split_parcels",
				(json_int_t)o.split_parcels, "parcels", parcels);
		parcels = NULL;
		if (!out)
			rc = nomem(err);
	}
	if (out) {
		json_object_set_new(out, "merge_group",
				    o.merge_group ? json_integer(o.merge_group) : json_null());
		print_json(out);
	}
	json_decref(parcels);
	arena_free(a);
	return rc;
}

/* ---------------------------------------------------------------- commands */

static int run_merge(struct db *db, const struct auth_user *who, int argc, char **argv)
{
	struct err err = ERR_INIT;
	int64_t ids[ORDER_MERGE_MAX], group = 0;
	size_t n = (size_t)argc;
	json_t *members = NULL, *out;

	if (argc < 2 || argc > ORDER_MERGE_MAX) {
		fprintf(stderr, "合并需要 2 到 %d 个订单 id (merge takes 2 to %d order ids)\n",
			ORDER_MERGE_MAX, ORDER_MERGE_MAX);
		return usage();
	}
	for (size_t i = 0; i < n; i++) {
		ids[i] = positive(argv[i], NULL);
		if (!ids[i]) {
			fprintf(stderr, "订单 id 应为正整数: %s (order id must be a positive integer)\n",
				argv[i]);
			return usage();
		}
	}
	struct arena *a = arena_new(1 << 14);
	int rc = a ? order_merge(db, who, ids, NULL, n, (int64_t)time(NULL), &group, &err)
		   : nomem(&err);
	if (!rc)
		rc = members_json(db, a, who, ids, n, &members, &err);
	arena_free(a);
	if (rc)
		return cli_fail(&err);
	out = json_pack("{s:I,s:o}", "merge_group", (json_int_t)group, "orders", members);
	if (!out) {
		nomem(&err);
		return cli_fail(&err);
	}
	print_json(out);
	return 0;
}

static int run_unmerge(struct db *db, const struct auth_user *who, int64_t id)
{
	struct err err = ERR_INIT;
	struct arena *a = arena_new(1 << 14);
	struct order o;
	int64_t *ids = NULL;
	size_t n = 0;
	json_t *members = NULL, *out = NULL;
	int rc = a ? order_get(db, a, id, who ? who->id : 0, &o, &err) : nomem(&err);

	/* the members before: the group is gone afterwards */
	if (!rc && o.merge_group)
		rc = order_merge_members(db, a, o.merge_group, &ids, &n, &err);
	if (!rc)
		rc = order_unmerge(db, who, id, 0, (int64_t)time(NULL), &err);
	if (!rc)
		rc = members_json(db, a, who, ids, n, &members, &err);
	if (!rc) {
		out = json_pack("{s:o}", "orders", members);
		if (!out)
			rc = nomem(&err);
	}
	arena_free(a);
	if (rc)
		return cli_fail(&err);
	print_json(out);
	return 0;
}

/* "1:1,2:2" into lines[]; ERR_INVALID naming the parcel when malformed. */
static int parcel_parse(const char *spec, size_t no, struct order_parcel_line *lines,
			size_t *n, struct err *err)
{
	const char *p = spec;
	*n = 0;
	while (*p) {
		const char *e;
		int64_t line = positive(p, &e), qty = 0;
		if (line && *e == ':')
			qty = positive(e + 1, &e);
		if (!line || !qty || (*e && *e != ',') || *n == CMD_ORDER_LINES_MAX)
			return err_setf(err, ERR_INVALID, "parcel",
					"第 %zu 个 --parcel 应为 行号:件数[,行号:件数...],如 1:1,2:2: %s",
					"--parcel %zu must be LINE:QTY[,LINE:QTY...], e.g. 1:1,2:2: %s",
					no, spec);
		lines[*n].line_no = line;
		lines[(*n)++].qty = qty;
		p = *e ? e + 1 : e;
		if (*e && !*p)
			return err_setf(err, ERR_INVALID, "parcel",
					"第 %zu 个 --parcel 以逗号结尾: %s",
					"--parcel %zu ends with a comma: %s", no, spec);
	}
	if (!*n)
		return err_setf(err, ERR_INVALID, "parcel", "第 %zu 个 --parcel 是空的",
				"--parcel %zu is empty", no);
	return 0;
}

static int run_split(struct db *db, const struct auth_user *who, int64_t id,
		     const char *const *specs, size_t n_specs)
{
	struct err err = ERR_INIT;
	struct order_parcel_in parcels[ORDER_SPLIT_MAX];
	struct arena *a = arena_new(1 << 14);
	int rc = a ? 0 : nomem(&err);

	for (size_t i = 0; !rc && i < n_specs; i++) {
		struct order_parcel_line *lines =
			arena_calloc(a, CMD_ORDER_LINES_MAX * sizeof *lines);
		rc = lines ? parcel_parse(specs[i], i + 1, lines, &parcels[i].n, &err) : nomem(&err);
		parcels[i].lines = lines;
	}
	if (!rc)
		rc = order_split(db, who, id, 0, parcels, n_specs, (int64_t)time(NULL), &err);
	arena_free(a);
	if (!rc)
		rc = parcels_print(db, who, id, &err);
	return rc ? cli_fail(&err) : 0;
}

static int run_unsplit(struct db *db, const struct auth_user *who, int64_t id)
{
	struct err err = ERR_INIT;
	int rc = order_unsplit(db, who, id, 0, (int64_t)time(NULL), &err);
	if (!rc)
		rc = parcels_print(db, who, id, &err);
	return rc ? cli_fail(&err) : 0;
}

/* --user NAME: that user (into *user, *who = user), enabled and allowed to
 * merge and split; without it *who = NULL, the system. */
static int acting_user(struct db *db, const char *name, struct auth_user *user,
		       const struct auth_user **who)
{
	struct err err = ERR_INIT;
	struct user_row u;
	*who = NULL;
	if (!name) /* the system, as `dianpu ship import`: every store, no user id */
		return 0;
	if (user_get_by_name(db, name, &u, &err))
		return cli_fail(&err);
	if (u.disabled || !(CMD_ORDER_ROLES & ROLE_BIT(u.role))) {
		fprintf(stderr, "错误: 用户 %s 已停用或其角色(%s)不能合并/拆单\n"
				"error: user %s is disabled or their role (%s) may not merge or split\n",
			name, role_label_zh(u.role), name, role_name(u.role));
		return 1;
	}
	*user = (struct auth_user){ u.id, "", u.role };
	snprintf(user->username, sizeof user->username, "%s", u.username);
	*who = user;
	return 0;
}

int cmd_order(int argc, char **argv)
{
	struct config cfg;
	struct db *db;
	struct auth_user user;
	const struct auth_user *who = NULL;
	const char *specs[ORDER_SPLIT_MAX + 1];
	size_t n_specs = 0;
	const char *user_name = cli_take_option(&argc, argv, "--user");
	const char *spec;
	int rc;

	while ((spec = cli_take_option(&argc, argv, "--parcel")) != NULL) {
		if (n_specs == ORDER_SPLIT_MAX) {
			fprintf(stderr, "至多 %d 个包裹 (at most %d parcels)\n", ORDER_SPLIT_MAX,
				ORDER_SPLIT_MAX);
			return 2;
		}
		specs[n_specs++] = spec;
	}
	rc = cli_config(&cfg, &argc, argv);
	if (rc)
		return rc;
	if (argc < 3)
		return usage();
	const char *sub = argv[1];
	int merge = strcmp(sub, "merge") == 0, split = strcmp(sub, "split") == 0;
	int single = strcmp(sub, "unmerge") == 0 || strcmp(sub, "unsplit") == 0 ||
		     strcmp(sub, "parcels") == 0 || split;
	int64_t id = single && argc == 3 ? positive(argv[2], NULL) : 0;
	if (!merge && !single)
		return usage();
	if (single && !id) {
		fprintf(stderr, "需要一个订单 id (one order id, a positive integer)\n");
		return usage();
	}
	if (split != (n_specs > 0)) {
		fprintf(stderr, split ? "拆单需要 --parcel,每个包裹一个 (split needs a --parcel per parcel)\n"
				      : "--parcel 只用于 split (--parcel is for split only)\n");
		return usage();
	}
	if (cli_open_db(&cfg, &db))
		return 1;
	rc = acting_user(db, user_name, &user, &who);
	if (!rc) {
		struct err err = ERR_INIT;
		if (merge)
			rc = run_merge(db, who, argc - 2, argv + 2);
		else if (split)
			rc = run_split(db, who, id, specs, n_specs);
		else if (strcmp(sub, "unmerge") == 0)
			rc = run_unmerge(db, who, id);
		else if (strcmp(sub, "unsplit") == 0)
			rc = run_unsplit(db, who, id);
		else
			rc = parcels_print(db, who, id, &err) ? cli_fail(&err) : 0;
	}
	db_close(db);
	return rc;
}
