#include "lib/utf8.h"

#include "lib/common.h"

/*
 * Well-formedness follows RFC 3629 table 3-7: the lead byte fixes the length
 * and the allowed range of the *second* byte. Narrowing the second byte is what
 * rejects overlongs (E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and code
 * points past U+10FFFF (F4 90..BF); later bytes are plain 80..BF.
 */
struct lead {
	unsigned char lo, hi;   /* lead byte range */
	unsigned char lo2, hi2; /* allowed second byte */
	unsigned char len;
};

static const struct lead leads[] = {
	{ 0xC2, 0xDF, 0x80, 0xBF, 2 },
	{ 0xE0, 0xE0, 0xA0, 0xBF, 3 },
	{ 0xE1, 0xEC, 0x80, 0xBF, 3 },
	{ 0xED, 0xED, 0x80, 0x9F, 3 },
	{ 0xEE, 0xEF, 0x80, 0xBF, 3 },
	{ 0xF0, 0xF0, 0x90, 0xBF, 4 },
	{ 0xF1, 0xF3, 0x80, 0xBF, 4 },
	{ 0xF4, 0xF4, 0x80, 0x8F, 4 },
};

static const struct lead *lead_of(unsigned char c)
{
	for (size_t i = 0; i < ARRAY_SIZE(leads); i++)
		if (c >= leads[i].lo && c <= leads[i].hi)
			return &leads[i];
	return NULL;
}

/* Length of the well-formed sequence at p[0..n), or 0 when it is not one. */
static size_t seq_len(const unsigned char *p, size_t n)
{
	if (p[0] < 0x80)
		return 1;
	const struct lead *l = lead_of(p[0]);
	if (!l || n < l->len)
		return 0;
	if (p[1] < l->lo2 || p[1] > l->hi2)
		return 0;
	for (size_t i = 2; i < l->len; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	return l->len;
}

int utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		size_t k = seq_len(p + i, n - i);
		if (!k)
			return 0;
		i += k;
	}
	return 1;
}

size_t utf8_len(const char *s, size_t n)
{
	size_t count = 0;

	/* Every code point has exactly one byte that is not a continuation byte. */
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}
