/*
 * cmd_policy.c - dianpu policy show --db URL STORE
 *                dianpu policy set --db URL STORE FILE|-    (the "policy" object, or
 *                                                           {"policy":{...}}; saved as a new version)
 */
#include "cli/cli.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "db/db.h"
#include "policy/policy_db.h"
#include "policy/policy_json.h"
#include "stores/stores.h"
#include "lib/common.h"

static int usage(void)
{
	fprintf(stderr, "usage: dianpu policy show --db URL STORE\n"
			"       dianpu policy set --db URL STORE FILE.json   (- reads stdin)\n");
	return 2;
}

static int policy_show(struct db *db, const struct store *s)
{
	struct err err = ERR_INIT;
	struct policy p;
	int64_t version;

	if (policy_load(db, s->id, &p, &version, &err))
		return cli_fail(&err);
	json_t *out = json_pack("{s:s,s:I,s:o}", "store", s->code, "version", (json_int_t)version,
				"policy", policy_to_json(&p));
	json_dumpf(out, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(12));
	putchar('\n');
	json_decref(out);
	return 0;
}

static int policy_set(struct db *db, const struct store *s, const char *path)
{
	struct err err = ERR_INIT;
	json_error_t je;
	struct policy p, current;
	int64_t version, saved;
	json_t *doc = strcmp(path, "-") == 0 ? json_loadf(stdin, 0, &je) : json_load_file(path, 0, &je);

	if (!doc) {
		fprintf(stderr, "错误: JSON 格式错误 (malformed JSON) %s:%d:%d: %s\n", path, je.line,
			je.column, je.text);
		return 1;
	}
	json_t *pol = json_object_get(doc, "policy") ? json_object_get(doc, "policy") : doc;
	policy_defaults(&p);
	int rc = policy_from_json(pol, &p, &err);
	if (!rc)
		rc = policy_load(db, s->id, &current, &version, &err);
	if (!rc)
		rc = policy_save(db, NULL, s->id, s->code, &p, version, (int64_t)time(NULL), &saved,
				 &err);
	json_decref(doc);
	if (rc) {
		if (*err.field)
			fprintf(stderr, "字段 (field): %s\n", err.field);
		return cli_fail(&err);
	}
	printf("已保存店铺 %s 的策略,版本 %lld (policy saved as version %lld)\n", s->code,
	       (long long)saved, (long long)saved);
	return 0;
}

int cmd_policy(int argc, char **argv)
{
	struct config cfg;
	struct err err = ERR_INIT;
	struct db *db;
	struct store s;
	int rc = cli_config(&cfg, &argc, argv);

	if (rc)
		return rc;
	int show = argc == 3 && strcmp(argv[1], "show") == 0;
	int set = argc == 4 && strcmp(argv[1], "set") == 0;
	if (!show && !set)
		return usage();
	if (cli_open_db(&cfg, &db))
		return 1;
	if (store_get(db, argv[2], &s, &err))
		rc = cli_fail(&err);
	else
		rc = show ? policy_show(db, &s) : policy_set(db, &s, argv[3]);
	db_close(db);
	return rc;
}
