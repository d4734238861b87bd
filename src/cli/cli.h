/*
 * cli.h - the commands of `dianpu` (git-style: dianpu COMMAND [ARGS]).
 * Each returns the process exit code: 0 ok, 1 failure, 2 usage error.
 */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <stddef.h>

#include "lib/err.h"

struct db;
struct config;

int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_store(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_sku(int argc, char **argv), cmd_stock(int argc, char **argv);
int cmd_ship(int argc, char **argv), cmd_recon(int argc, char **argv);
int cmd_order(int argc, char **argv);

/* Shared by the commands. */
/* Loads the config (flags, env, file); the leftover positional args are
 * compacted into argv[0..*nargs). Returns 0, or prints the error and returns 2. */
int cli_config(struct config *cfg, int *argc, char **argv);
/* Opens cfg->db and applies pending migrations. Prints errors; returns 0 or 1. */
int cli_open_db(const struct config *cfg, struct db **out);
/* Prints "错误: ... (error: ...)" to stderr and returns 1. */
int cli_fail(const struct err *err);
/* Takes a command's own "--name VALUE" or "--name=VALUE" out of argv (before the
 * shared config sees it); NULL when absent. */
const char *cli_take_option(int *argc, char **argv, const char *name);
/* Reads one line (a password) from stdin without its newline. 0 or -1. */
int cli_read_secret(const char *prompt, char *buf, size_t n);

#endif
