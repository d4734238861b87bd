/*
 * fuzz_generic - the generic order template importer on arbitrary files (CSV
 * or, when the input starts like a zip, XLSX), against an in-memory SQLite
 * database. The importer must never crash or leak, a failure must say why,
 * and its counts must add up: orders written never outnumber rows, and no
 * more rows are rejected than were read.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "orders/address.h"
#include "orders/import_generic.h"
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
			" VALUES ('f', 'fuzz', 'jd', 0, 0)", &err))
		return -1;
	policy_defaults(&pol);
	return 0;
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
	FILE *f = tmpfile();
	if (!f || (size && fwrite(data, 1, size, f) != size) || fflush(f))
		abort();
	int fd = dup(fileno(f));
	fclose(f);
	lseek(fd, 0, SEEK_SET);
	int rc = import_generic(db, NULL, 1, 0, fd, addrs, &pol, 1790000000, NULL, &c, &err);
	if (!rc && (c.inserted + c.updated + c.unchanged > c.rows || c.rejected > c.rows))
		abort();
	if (rc && !err.code)
		abort(); /* a failure must say why */
	close(fd);
	return 0;
}
