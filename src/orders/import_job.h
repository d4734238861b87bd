/*
 * import_job.h - an import as a job: its row in `imports` (progress, counts,
 * rejected rows), shared by the CLI (dianpu import) and the HTTP upload.
 */
#ifndef ORDERS_IMPORT_JOB_H
#define ORDERS_IMPORT_JOB_H

#include <jansson.h>
#include <stdint.h>

#include "auth/auth.h"
#include "lib/err.h"

struct db;
struct addr_table;

#define IMPORT_ERRORS_KEPT 1000

/* Creates the job row (status "running") for a store; *id gets its id. */
int import_job_create(struct db *db, const struct auth_user *who, int64_t store_id,
		      const char *kind, const char *filename, int64_t bytes_total, int64_t now_utc,
		      int64_t *id, struct err *err) WUR;

/* Runs a Taobao import for job `id` from open files (items_fd may be -1) and
 * records the outcome in the job row (done or failed, counts, first rejected
 * rows, an audit row). *result (new reference) is the result object:
 * {"import_id","rows","inserted","updated","unchanged","rejected","errors":[...]} */
int import_job_run_taobao(struct db *db, const struct auth_user *who, int64_t id,
			  int64_t store_id, int orders_fd, int items_fd,
			  const struct addr_table *addrs, json_t **result, struct err *err) WUR;

/* The same for a generic-template file (CSV or XLSX, import_generic.h); the
 * errors name file "generic". */
int import_job_run_generic(struct db *db, const struct auth_user *who, int64_t id,
			   int64_t store_id, int fd, const struct addr_table *addrs,
			   json_t **result, struct err *err) WUR;

/* The job as the API shows it (status, progress, counts, errors). */
int import_job_get(struct db *db, int64_t id, int64_t user_id, json_t **out,
		   struct err *err) WUR;

/* The shared division table, built once from the embedded data. */
const struct addr_table *import_addr_table(struct err *err);

#endif
