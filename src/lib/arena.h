/*
 * arena.h - region allocator for one request or one import batch.
 *
 * Everything derived from a request comes from its arena and is freed at once
 * by arena_free(). Never keep an arena pointer in a long-lived object.
 * Allocations are 16-byte aligned. NULL means out of memory.
 */
#ifndef LIB_ARENA_H
#define LIB_ARENA_H

#include <stddef.h>

struct arena;

struct arena *arena_new(size_t chunk_size);
void arena_free(struct arena *a);
void *arena_alloc(struct arena *a, size_t n);
void *arena_calloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Bytes handed out so far (for tests and limits). */
size_t arena_used(const struct arena *a);

#endif
