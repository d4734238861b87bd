#include "lib/xalloc.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/common.h"

static atomic_long fail_countdown = -1;

static int should_fail(void)
{
	long n = atomic_load(&fail_countdown);
	if (n < 0)
		return 0;
	if (n == 0)
		return 1;
	atomic_fetch_sub(&fail_countdown, 1);
	return 0;
}

void xalloc_fail_after(long n)
{
	atomic_store(&fail_countdown, n);
}

void *xmalloc(size_t n)
{
	if (should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *xcalloc(size_t count, size_t n)
{
	if (should_fail())
		return NULL;
	return calloc(count ? count : 1, n ? n : 1);
}

void *xrealloc(void *p, size_t n)
{
	if (should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

void xfree(void *p)
{
	free(p);
}

void bug_at(const char *file, int line, const char *msg)
{
	fprintf(stderr, "BUG at %s:%d: %s\n", file, line, msg);
	abort();
}
