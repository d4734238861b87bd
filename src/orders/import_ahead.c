/*
 * import_ahead.c - a reader thread that parses order rows ahead of the writer.
 *
 * The rows travel in a ring of AHEAD_CHUNKS chunks of AHEAD_ROWS rows. Each
 * chunk owns an arena for its rows' strings; the writer hands a chunk back
 * when it asks for the row after its last one, so at most the ring is alive
 * (a few hundred KB) however big the file. The reader stops at the end of the
 * file, at a fatal read error, or when ahead_stop asks it to.
 */
#include "orders/import_ahead.h"

#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "lib/xalloc.h"
#include "lib/common.h"

#define AHEAD_CHUNKS 4
#define AHEAD_ROWS 256

struct chunk {
	struct arena *arena;
	struct ahead_row rows[AHEAD_ROWS];
	int n;
	int full;       /* handed to the writer */
	int last;       /* no chunk follows: end of file or fatal */
	int fatal_rc;   /* < 0 when reading failed after rows[n-1] */
	struct err fatal;
	int64_t offset; /* file bytes consumed when the chunk was handed over */
};

struct ahead {
	struct csv *r;
	int fd;
	ahead_parse_fn parse;
	const void *ctx;
	size_t data_size;
	pthread_t thread;
	int started; /* the thread, mutex and condition exist */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
	struct chunk ring[AHEAD_CHUNKS];
	int head;  /* the chunk the writer reads */
	int pos;   /* the next row in it */
	int64_t offset;
};

static int64_t fd_offset(int fd)
{
	off_t off = lseek(fd, 0, SEEK_CUR);
	return off < 0 ? 0 : (int64_t)off;
}

/* One record into the chunk: an order, or a rejected row. */
static int take_record(struct ahead *a, struct chunk *c, const struct csv_record *rec)
{
	struct ahead_row *row = &c->rows[c->n];
	struct err *why = arena_calloc(c->arena, sizeof *why);
	void *data = arena_calloc(c->arena, a->data_size);
	if (!why || !data)
		return ERR_NOMEM;
	memset(row, 0, sizeof *row);
	row->line = rec->line;
	row->column = "";
	row->data = data;
	err_init(why);
	if (a->parse(a->ctx, c->arena, rec, data, &row->column, why)) {
		row->rejected = 1;
		row->why = why;
	}
	c->n++;
	return 0;
}

/* A per-record CSV error (bad bytes, too long) rejects that row; any other
 * ends the file. Returns 1 when the chunk is to be the last. */
static int take_error(struct ahead *a, struct chunk *c, int got, long line, const struct err *rerr)
{
	if (!csv_fatal(a->r) && (got == ERR_INVALID || got == ERR_TOO_LARGE)) {
		struct ahead_row *row = &c->rows[c->n];
		struct err *why = arena_calloc(c->arena, sizeof *why);
		if (why) {
			*why = *rerr;
			memset(row, 0, sizeof *row);
			row->rejected = 1;
			row->line = line;
			row->column = "";
			row->why = why;
			c->n++;
			return 0;
		}
		got = ERR_NOMEM;
	}
	c->fatal_rc = got;
	c->fatal = *rerr;
	if (got == ERR_NOMEM) {
		err_init(&c->fatal);
		err_set(&c->fatal, ERR_NOMEM, "", "内存不足", "out of memory");
	}
	return 1;
}

/* Fills c until it is full or the file ends. */
static void fill(struct ahead *a, struct chunk *c)
{
	while (c->n < AHEAD_ROWS && !c->last) {
		struct csv_record rec;
		struct err rerr = ERR_INIT;
		int got = csv_next(a->r, &rec, &rerr);
		if (got == 0)
			c->last = 1;
		else if (got < 0)
			c->last = take_error(a, c, got, rec.line, &rerr);
		else if (take_record(a, c, &rec))
			c->last = take_error(a, c, ERR_NOMEM, rec.line, &rerr);
	}
	c->offset = fd_offset(a->fd);
}

static void *reader(void *arg)
{
	struct ahead *a = arg;
	for (int i = 0;; i = (i + 1) % AHEAD_CHUNKS) {
		struct chunk *c = &a->ring[i];
		pthread_mutex_lock(&a->mu);
		while (c->full && !a->stop)
			pthread_cond_wait(&a->cv, &a->mu);
		int stop = a->stop;
		pthread_mutex_unlock(&a->mu);
		if (stop)
			return NULL;
		fill(a, c);
		int last = c->last; /* once published the chunk is the writer's */
		pthread_mutex_lock(&a->mu);
		c->full = 1;
		pthread_cond_broadcast(&a->cv);
		pthread_mutex_unlock(&a->mu);
		if (last)
			return NULL;
	}
}

static void chunk_clear(struct chunk *c)
{
	c->n = 0;
	c->full = 0;
	c->fatal_rc = 0;
	err_init(&c->fatal);
}

int ahead_start(struct csv *r, int fd, ahead_parse_fn parse, const void *ctx, size_t data_size,
		struct ahead **out, struct err *err)
{
	struct ahead *a = xcalloc(1, sizeof *a);
	*out = NULL;
	if (!a)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	a->r = r;
	a->fd = fd;
	a->parse = parse;
	a->ctx = ctx;
	a->data_size = data_size;
	for (int i = 0; i < AHEAD_CHUNKS; i++) {
		chunk_clear(&a->ring[i]);
		a->ring[i].arena = arena_new(1 << 16);
		if (!a->ring[i].arena) {
			ahead_stop(a);
			return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
		}
	}
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->cv, NULL);
	if (pthread_create(&a->thread, NULL, reader, a) != 0) {
		pthread_mutex_destroy(&a->mu);
		pthread_cond_destroy(&a->cv);
		for (int i = 0; i < AHEAD_CHUNKS; i++)
			arena_free(a->ring[i].arena);
		xfree(a);
		return err_set(err, ERR_INTERNAL, "", "无法启动读取线程", "cannot start the reader thread");
	}
	a->started = 1;
	*out = a;
	return 0;
}

/* Gives the writer's chunk back to the reader, its arena emptied. */
static int release_head(struct ahead *a)
{
	struct chunk *c = &a->ring[a->head];
	struct arena *fresh = arena_new(1 << 16);
	if (!fresh)
		return ERR_NOMEM;
	arena_free(c->arena);
	pthread_mutex_lock(&a->mu);
	c->arena = fresh;
	chunk_clear(c);
	c->last = 0;
	pthread_cond_broadcast(&a->cv);
	pthread_mutex_unlock(&a->mu);
	a->head = (a->head + 1) % AHEAD_CHUNKS;
	a->pos = 0;
	return 0;
}

const struct ahead_row *ahead_next(struct ahead *a, int *rc, struct err *err)
{
	for (;;) {
		struct chunk *c = &a->ring[a->head];
		pthread_mutex_lock(&a->mu);
		while (!c->full)
			pthread_cond_wait(&a->cv, &a->mu);
		pthread_mutex_unlock(&a->mu);
		a->offset = c->offset;
		if (a->pos < c->n) {
			*rc = 0;
			return &c->rows[a->pos++];
		}
		if (c->last) {
			*rc = c->fatal_rc;
			if (c->fatal_rc)
				err_set(err, c->fatal_rc, c->fatal.field, c->fatal.msg_zh, c->fatal.msg_en);
			return NULL;
		}
		if (release_head(a)) {
			*rc = err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
			return NULL;
		}
	}
}

int64_t ahead_offset(const struct ahead *a)
{
	return a->offset;
}

void ahead_stop(struct ahead *a)
{
	if (!a)
		return;
	if (a->started) {
		pthread_mutex_lock(&a->mu);
		a->stop = 1;
		pthread_cond_broadcast(&a->cv);
		pthread_mutex_unlock(&a->mu);
		pthread_join(a->thread, NULL);
		pthread_mutex_destroy(&a->mu);
		pthread_cond_destroy(&a->cv);
	}
	for (int i = 0; i < AHEAD_CHUNKS; i++)
		arena_free(a->ring[i].arena);
	xfree(a);
}
