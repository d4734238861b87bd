/*
 * cmd_serve.c - dianpu serve [--db URL] [--listen ADDR:PORT] [--threads N] ...
 *
 * Migrates, starts the HTTP server and waits for SIGINT/SIGTERM, then stops
 * accepting and lets requests in flight finish before closing the database.
 * Prints "listening on http://HOST:PORT" once ready (tests read the port).
 */
#include "cli/cli.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>

#include "config.h"
#include "db/db.h"
#include "http/http.h"
#include "lib/log.h"
#include "lib/common.h"

#define SHUTDOWN_GRACE_MS 5000

static int migrate_once(const struct config *cfg)
{
	struct db *db;
	if (cli_open_db(cfg, &db))
		return 1;
	db_close(db);
	return 0;
}

static void print_ready(const struct config *cfg, int port)
{
	char host[128];
	snprintf(host, sizeof host, "%s", cfg->listen);
	char *colon = host;
	for (char *p = host; *p; p++)
		if (*p == ':')
			colon = p;
	*colon = '\0';
	printf("listening on http://%s:%d\n", host, port);
	fflush(stdout);
	log_info("event=serve_ready port=%d threads=%d", port, cfg->threads);
}

int cmd_serve(int argc, char **argv)
{
	struct config cfg;
	struct err err = ERR_INIT;
	struct db_pool *pool = NULL;
	struct http_server *srv = NULL;
	sigset_t set;
	int sig, port, rc = cli_config(&cfg, &argc, argv);

	if (rc)
		return rc;
	if (argc > 1) {
		fprintf(stderr, "usage: dianpu serve [--db URL] [--listen ADDR:PORT]\n");
		return 2;
	}
	if (migrate_once(&cfg))
		return 1;
	/* Block the signals before any thread starts, so only sigwait() sees them. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (db_pool_open(cfg.db, cfg.threads, &pool, &err))
		return cli_fail(&err);
	if (http_server_start(&cfg, pool, &srv, &port, &err)) {
		db_pool_close(pool);
		return cli_fail(&err);
	}
	print_ready(&cfg, port);
	sigwait(&set, &sig);
	log_info("event=shutdown signal=%d", sig);
	http_server_stop(srv, SHUTDOWN_GRACE_MS);
	db_pool_close(pool);
	return 0;
}
