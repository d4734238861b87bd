#include "lib/arena.h"

#include <string.h>

#include "lib/xalloc.h"
#include "lib/common.h"

struct chunk {
	struct chunk *next;
	size_t size, used;
	_Alignas(16) unsigned char data[];
};

struct arena {
	struct chunk *head;
	size_t chunk_size;
	size_t total;
};

struct arena *arena_new(size_t chunk_size)
{
	struct arena *a = xcalloc(1, sizeof *a);
	if (!a)
		return NULL;
	a->chunk_size = chunk_size ? chunk_size : 8192;
	return a;
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	struct chunk *c = a->head;
	while (c) {
		struct chunk *next = c->next;
		xfree(c);
		c = next;
	}
	xfree(a);
}

static struct chunk *chunk_add(struct arena *a, size_t need)
{
	size_t size = need > a->chunk_size ? need : a->chunk_size;
	struct chunk *c = xmalloc(sizeof *c + size);
	if (!c)
		return NULL;
	c->size = size;
	c->used = 0;
	c->next = a->head;
	a->head = c;
	return c;
}

void *arena_alloc(struct arena *a, size_t n)
{
	size_t aligned = (n + 15) & ~(size_t)15;
	if (aligned < n)
		return NULL;
	struct chunk *c = a->head;
	if (!c || c->size - c->used < aligned) {
		c = chunk_add(a, aligned);
		if (!c)
			return NULL;
	}
	void *p = c->data + c->used;
	c->used += aligned;
	a->total += aligned;
	return p;
}

void *arena_calloc(struct arena *a, size_t n)
{
	void *p = arena_alloc(a, n);
	if (p)
		memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *d = arena_alloc(a, n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

size_t arena_used(const struct arena *a)
{
	return a->total;
}
