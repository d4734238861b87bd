/*
 * fuzz_taobao - the Taobao importer on arbitrary files, against an in-memory
 * SQLite database. The input is split at the first "\n====\n" into the orders
 * file and the items file (no separator: orders only). The importer must never
 * crash or leak, and its counts must add up.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "orders/address.h"
#include "orders/import_taobao.h"
#include "policy/policy.h"

static struct db *db;
static struct addr_table *addrs;
static struct policy pol;

static int setup(void)
{
	struct err err = ERR_INIT;
	int applied;
	const struct embed_file *f = &addr_division_files[0];
	if (db_open("sqlite::memory:", &db, &err) || db_migrate(db, &applied, &err) ||
	    addr_table_new((const char *)f->data, f->len, &addrs, &err))
		return -1;
	if (db_exec(db, "INSERT INTO stores (code, name, platform, created_utc, updated_utc)"
			" VALUES ('f', 'fuzz', 'taobao', 0, 0)", &err))
		return -1;
	policy_defaults(&pol);
	return 0;
}

static int memfile(const uint8_t *p, size_t n)
{
	FILE *f = tmpfile();
	if (!f)
		abort();
	if (n && fwrite(p, 1, n, f) != n)
		abort();
	fflush(f);
	int fd = dup(fileno(f));
	fclose(f);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct err err = ERR_INIT;
	struct import_counts c;

	if (!ready) {
		if (setup())
			abort();
		ready = 1;
	}
	const uint8_t *sep = memmem(data, size, "\n====\n", 6);
	size_t on = sep ? (size_t)(sep - data) : size;
	struct import_src src = { memfile(data, on), sep ? memfile(sep + 6, size - on - 6) : -1 };
	int rc = import_taobao(db, NULL, 1, 0, &src, addrs, &pol, 1790000000, NULL, &c, &err);
	if (!rc && c.inserted + c.updated + c.unchanged > c.rows)
		abort();
	if (rc && !err.code)
		abort(); /* a failure must say why */
	close(src.orders_fd);
	if (src.items_fd >= 0)
		close(src.items_fd);
	return 0;
}
