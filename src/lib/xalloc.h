/*
 * xalloc.h - the only way to get heap memory (STYLE.md section 4).
 *
 * These return NULL on failure like malloc; callers handle it. Tests can make
 * the Nth allocation fail with xalloc_fail_after() to check that parsers and
 * imports fail cleanly rather than crash.
 */
#ifndef LIB_XALLOC_H
#define LIB_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void xfree(void *p);

/* Fail every allocation after n more succeed; n < 0 turns injection off. */
void xalloc_fail_after(long n);

#endif
