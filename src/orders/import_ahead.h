/*
 * import_ahead.h - parse an import file on a reader thread, ahead of the writer.
 *
 * Reading the CSV, converting GBK and cleaning and typing the cells was about a
 * quarter of an import; the database writes are the rest and must stay on one
 * connection. With the reader on its own thread the two overlap on two cores.
 */
#ifndef ORDERS_IMPORT_AHEAD_H
#define ORDERS_IMPORT_AHEAD_H

#include <stddef.h>
#include <stdint.h>

#include "io/csv.h"
#include "lib/arena.h"
#include "lib/err.h"

/* A row as parsed (data: what the parse function filled in), or a rejected
 * row with its column and reason. */
struct ahead_row {
	int rejected;
	long line;
	const char *column;
	const struct err *why;
	void *data;
};

/* Parses rec into data (the size given to ahead_start, zeroed) with strings
 * in a; nonzero rejects the row (*col, why). Runs on the reader thread. */
typedef int (*ahead_parse_fn)(const void *ctx, struct arena *a, const struct csv_record *rec,
			      void *data, const char **col, struct err *why);

struct ahead;

/* Starts the reader on r (header already read), which it owns until
 * ahead_stop. fd is r's file, for progress offsets. */
int ahead_start(struct csv *r, int fd, ahead_parse_fn parse, const void *ctx, size_t data_size,
		struct ahead **out, struct err *err) WUR;

/* The next row, valid until the next call; NULL at the end of the file
 * (*rc 0) or when reading failed (*rc < 0, err says why). */
const struct ahead_row *ahead_next(struct ahead *a, int *rc, struct err *err);

/* Bytes of the file the reader had consumed when it parsed the current row's chunk. */
int64_t ahead_offset(const struct ahead *a);

/* Stops the reader (wherever it is) and frees everything. */
void ahead_stop(struct ahead *a);

#endif
