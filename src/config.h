/*
 * config.h - the server's settings: one table, read once at start-up.
 *
 * Each setting has a name, a DIANPU_* environment variable, a type, a default,
 * bounds and a help line [redis static_configs]. Precedence: command-line flag
 * (--name=value or --name value) > environment > config file (--config FILE,
 * `name = value` lines, # comments) > default. Read-only after start-up.
 * Business numbers are not here: they live in each store's policy.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include "lib/err.h"

struct config {
	char db[512];
	char listen[128];
	char web[512];
	char log_level[16];
	int threads;
	int max_body_kb;
	int max_upload_mb;
	int timeout_s;
	int session_hours;
	int login_window_min;
	int login_max_fail_user;
	int login_max_fail_address;
};

/* Defaults, then the file named by --config (if any), then env, then flags.
 * argv entries consumed are replaced by NULL; *argc is not changed.
 * Unknown --flags are left for the command. */
int config_load(struct config *c, int argc, char **argv, struct err *err) WUR;

/* Prints the table (name, env var, default, help) for --help. */
void config_usage(void);

#endif
