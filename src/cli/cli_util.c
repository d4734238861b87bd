#include "cli/cli.h"

#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "config.h"
#include "db/db.h"
#include "lib/log.h"
#include "lib/common.h"

int cli_fail(const struct err *err)
{
	fprintf(stderr, "错误: %s\nerror: %s\n", err->msg_zh, err->msg_en);
	return 1;
}

int cli_config(struct config *cfg, int *argc, char **argv)
{
	struct err err = ERR_INIT;
	enum log_level lvl;
	int n = 0;

	if (config_load(cfg, *argc, argv, &err)) {
		cli_fail(&err);
		return 2;
	}
	if (log_level_parse(cfg->log_level, &lvl) == 0)
		log_set_level(lvl);
	for (int i = 0; i < *argc; i++)
		if (argv[i])
			argv[n++] = argv[i];
	*argc = n;
	for (int i = 1; i < n; i++) {
		if (strncmp(argv[i], "--", 2) == 0 && strcmp(argv[i], "--unmasked") != 0 &&
		    strcmp(argv[i], "--") != 0) {
			fprintf(stderr, "未知选项 %s (unknown option %s)\n", argv[i], argv[i]);
			config_usage();
			return 2;
		}
	}
	return 0;
}

int cli_open_db(const struct config *cfg, struct db **out)
{
	struct err err = ERR_INIT;
	int applied;

	if (db_open(cfg->db, out, &err))
		return cli_fail(&err);
	if (db_migrate(*out, &applied, &err)) {
		db_close(*out);
		*out = NULL;
		return cli_fail(&err);
	}
	return 0;
}

int cli_read_secret(const char *prompt, char *buf, size_t n)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO);

	if (tty) {
		fprintf(stderr, "%s", prompt);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
	}
	char *got = fgets(buf, (int)n, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
		fputc('\n', stderr);
	}
	if (!got)
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

const char *cli_take_option(int *argc, char **argv, const char *name)
{
	size_t n = strlen(name);
	for (int i = 1; i < *argc; i++) {
		const char *v = NULL;
		int used = 0;
		if (strncmp(argv[i], name, n) == 0 && argv[i][n] == '=') {
			v = argv[i] + n + 1;
			used = 1;
		} else if (strcmp(argv[i], name) == 0 && i + 1 < *argc) {
			v = argv[i + 1];
			used = 2;
		}
		if (!v)
			continue;
		for (int j = i; j + used < *argc; j++)
			argv[j] = argv[j + used];
		*argc -= used;
		return v;
	}
	return NULL;
}
