/*
 * sb.h - the string builder (STYLE.md section 5).
 *
 * Invariants: buf is never NULL and always NUL-terminated; len < cap or cap == 0
 * with buf pointing at a shared empty string. Each builder has a size cap so
 * request data cannot grow it without bound. Errors (cap, OOM) are sticky:
 * appends after an error do nothing, and sb_take() reports the error once.
 * An arena-backed builder (sb_init_arena) allocates from the arena and must not
 * be released; its buffer dies with the arena.
 */
#ifndef LIB_SB_H
#define LIB_SB_H

#include <stdarg.h>
#include <stddef.h>

#include "lib/err.h"

struct arena;

struct sb {
	char *buf;
	size_t len;
	size_t cap;
	size_t max;
	int err;
	struct arena *arena;
};

extern char sb_empty[];
#define SB_DEFAULT_MAX ((size_t)64 << 20)
#define SB_INIT { sb_empty, 0, 0, SB_DEFAULT_MAX, 0, NULL }

void sb_init(struct sb *sb, size_t max);
void sb_init_arena(struct sb *sb, struct arena *a, size_t max);
void sb_add(struct sb *sb, const void *p, size_t n);
void sb_adds(struct sb *sb, const char *s);
void sb_addc(struct sb *sb, char c);
void sb_addf(struct sb *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vaddf(struct sb *sb, const char *fmt, va_list ap);
void sb_reset(struct sb *sb); /* len = 0, keeps memory and the sticky error */
/* Hands the buffer to the caller (xfree it, unless arena-backed) and reinitialises.
 * NULL + err when an earlier append failed. */
char *sb_take(struct sb *sb, struct err *err) WUR;
void sb_release(struct sb *sb);

#endif
