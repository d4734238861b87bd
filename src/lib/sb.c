#include "lib/sb.h"

#include <stdio.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/xalloc.h"
#include "lib/common.h"

char sb_empty[1];

void sb_init(struct sb *sb, size_t max)
{
	sb->buf = sb_empty;
	sb->len = sb->cap = 0;
	sb->max = max ? max : SB_DEFAULT_MAX;
	sb->err = 0;
	sb->arena = NULL;
}

void sb_init_arena(struct sb *sb, struct arena *a, size_t max)
{
	sb_init(sb, max);
	sb->arena = a;
}

static int sb_grow(struct sb *sb, size_t extra)
{
	if (sb->err)
		return -1;
	if (extra > sb->max || sb->len + extra + 1 > sb->max) {
		sb->err = ERR_TOO_LARGE;
		return -1;
	}
	size_t need = sb->len + extra + 1;
	if (need <= sb->cap)
		return 0;
	size_t cap = sb->cap ? sb->cap : 64;
	while (cap < need)
		cap *= 2;
	if (cap > sb->max)
		cap = sb->max;
	char *nb;
	if (sb->arena) {
		nb = arena_alloc(sb->arena, cap);
		if (nb && sb->len)
			memcpy(nb, sb->buf, sb->len);
	} else {
		nb = xrealloc(sb->cap ? sb->buf : NULL, cap);
	}
	if (!nb) {
		sb->err = ERR_NOMEM;
		return -1;
	}
	sb->buf = nb;
	sb->cap = cap;
	sb->buf[sb->len] = '\0';
	return 0;
}

void sb_add(struct sb *sb, const void *p, size_t n)
{
	if (sb_grow(sb, n))
		return;
	memcpy(sb->buf + sb->len, p, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sb_adds(struct sb *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_addc(struct sb *sb, char c)
{
	sb_add(sb, &c, 1);
}

void sb_vaddf(struct sb *sb, const char *fmt, va_list ap)
{
	va_list cp;
	char small[256];

	if (sb->err)
		return;
	va_copy(cp, ap);
	int n = vsnprintf(small, sizeof small, fmt, cp);
	va_end(cp);
	if (n < 0) {
		sb->err = ERR_INTERNAL;
		return;
	}
	if ((size_t)n < sizeof small) {
		sb_add(sb, small, (size_t)n);
		return;
	}
	if (sb_grow(sb, (size_t)n))
		return;
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void sb_addf(struct sb *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

void sb_reset(struct sb *sb)
{
	sb->len = 0;
	if (sb->cap)
		sb->buf[0] = '\0';
}

char *sb_take(struct sb *sb, struct err *err)
{
	char *out;

	if (sb->err) {
		if (sb->err == ERR_TOO_LARGE)
			err_set(err, ERR_TOO_LARGE, "", "文本超过长度上限", "text exceeds the size limit");
		else
			err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
		sb_release(sb);
		return NULL;
	}
	if (sb->cap) {
		out = sb->buf;
	} else if (sb->arena) {
		out = arena_strdup(sb->arena, "");
	} else {
		out = xstrdup("");
	}
	if (!out)
		err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	struct arena *a = sb->arena;
	size_t max = sb->max;
	sb_init(sb, max);
	sb->arena = a;
	return out;
}

void sb_release(struct sb *sb)
{
	if (sb->cap && !sb->arena)
		xfree(sb->buf);
	struct arena *a = sb->arena;
	size_t max = sb->max;
	sb_init(sb, max);
	sb->arena = a;
}
