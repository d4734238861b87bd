/*
 * cmd_user.c - dianpu user add|passwd|list|disable --db URL ...
 *   user add USERNAME ROLE [--display-name NAME]   password read from stdin
 *   user passwd USERNAME                            password read from stdin
 *   user list [--unmasked]                          phones masked unless --unmasked (audited)
 *   user disable USERNAME
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "audit/audit.h"
#include "auth/auth_db.h"
#include "config.h"
#include "db/db.h"
#include "lib/mask.h"
#include "lib/sb.h"
#include "lib/xalloc.h"
#include "lib/common.h"

static int usage(void)
{
	fprintf(stderr, "usage: dianpu user add --db URL USERNAME ROLE   (password on stdin)\n"
			"       dianpu user passwd --db URL USERNAME     (password on stdin)\n"
			"       dianpu user list --db URL [--unmasked]\n"
			"       dianpu user disable --db URL USERNAME\n"
			"roles: boss operations cs_presale cs_aftersale cs_lead cs_mentor warehouse\n"
			"       designer trade_sales trade_assistant finance hr distributor\n");
	return 2;
}

static int user_add(struct db *db, const char *username, const char *role_s)
{
	struct err err = ERR_INIT;
	char pw[AUTH_PASSWORD_MAX + 2];
	enum role role;
	int64_t id;

	if (role_parse(role_s, &role)) {
		fprintf(stderr, "未知角色 %s (unknown role %s)\n", role_s, role_s);
		return usage();
	}
	if (cli_read_secret("密码 (password): ", pw, sizeof pw)) {
		fprintf(stderr, "需要从标准输入读取密码 (password expected on stdin)\n");
		return 1;
	}
	struct user_new u = { username, pw, role, NULL, NULL };
	if (user_create(db, NULL, &u, (int64_t)time(NULL), &id, &err))
		return cli_fail(&err);
	printf("已创建用户 %s (id %lld, %s)\n", username, (long long)id, role_name(role));
	return 0;
}

static int user_change(struct db *db, const char *username, int disable)
{
	struct err err = ERR_INIT;
	struct user_row u;
	char pw[AUTH_PASSWORD_MAX + 2];
	struct user_change c = { .role = -1, .disabled = -1 };

	if (user_get_by_name(db, username, &u, &err))
		return cli_fail(&err);
	c.expect_version = u.version;
	if (disable) {
		c.disabled = 1;
	} else {
		if (cli_read_secret("新密码 (new password): ", pw, sizeof pw)) {
			fprintf(stderr, "需要从标准输入读取密码 (password expected on stdin)\n");
			return 1;
		}
		c.password = pw;
	}
	if (user_update(db, NULL, u.id, &c, (int64_t)time(NULL), &err))
		return cli_fail(&err);
	printf(disable ? "已停用 %s (disabled)\n" : "已修改 %s 的密码 (password changed)\n", username);
	return 0;
}

static int print_user(const struct user_row *u, void *ctx)
{
	int unmasked = *(int *)ctx;
	struct sb sb = SB_INIT;
	struct err err = ERR_INIT;
	if (unmasked)
		sb_adds(&sb, u->phone);
	else
		mask_phone(u->phone, &sb);
	char *phone = sb_take(&sb, &err);
	printf("%lld\t%s\t%s\t%s\t%s\t%s\n", (long long)u->id, u->username, role_name(u->role),
	       u->display_name, phone ? phone : "", u->disabled ? "disabled" : "active");
	sb_release(&sb);
	xfree(phone);
	return 0;
}

static int user_list(struct db *db, int unmasked)
{
	struct err err = ERR_INIT;
	printf("id\tusername\trole\tdisplay_name\tphone\tstatus\n");
	if (user_each(db, print_user, &unmasked, &err))
		return cli_fail(&err);
	if (unmasked) {
		struct audit_entry e = { NULL, "pii_export", "users", "export", NULL,
					 "{\"fields\":[\"phone\"],\"via\":\"cli\"}", (int64_t)time(NULL) };
		if (audit_write(db, &e, &err))
			return cli_fail(&err);
	}
	return 0;
}

int cmd_user(int argc, char **argv)
{
	struct config cfg;
	struct db *db;
	int unmasked = 0, rc = cli_config(&cfg, &argc, argv);

	if (rc)
		return rc;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--unmasked") == 0) {
			unmasked = 1;
			for (int j = i; j < argc - 1; j++)
				argv[j] = argv[j + 1];
			argc--;
		}
	if (argc < 2)
		return usage();
	const char *sub = argv[1];
	if (!((strcmp(sub, "add") == 0 && argc == 4) || (strcmp(sub, "list") == 0 && argc == 2) ||
	      ((strcmp(sub, "passwd") == 0 || strcmp(sub, "disable") == 0) && argc == 3)))
		return usage();
	if (cli_open_db(&cfg, &db))
		return 1;
	if (strcmp(sub, "add") == 0)
		rc = user_add(db, argv[2], argv[3]);
	else if (strcmp(sub, "list") == 0)
		rc = user_list(db, unmasked);
	else
		rc = user_change(db, argv[2], strcmp(sub, "disable") == 0);
	db_close(db);
	return rc;
}
