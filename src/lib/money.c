#include "lib/money.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lib/common.h"

/*
 * money_parse works in three steps:
 *   1. trim spaces and unwrap ="…" (spreadsheet exports force text cells that way);
 *   2. normalise to a short ASCII string: full-width IME forms become their ASCII
 *      twins, ¥/￥ become 'Y' and 元 becomes 'U', so step 3 sees one alphabet;
 *   3. parse  [sign] [currency [spaces]] [sign] int [. d[d]] [spaces] [元]
 *      with at most one sign, where int may carry thousands separators.
 * Digits are accumulated in integers with a range check at each step, so no
 * input can overflow and nothing ever goes through a double.
 */

#define MONEY_FIELD "amount"
/* Longest normalised amount we look at: "-RMB 9,000,000,000,000,000.00元" is
 * 31 characters; anything much longer is not an amount. */
#define NORM_MAX 48
#define MAX_YUAN (MONEY_MAX_FEN / 100)

static const struct {
	const char *utf8;
	char ascii;
} aliases[] = {
	{ "\xef\xbc\x8c", ',' }, /* ， full-width comma */
	{ "\xef\xbc\x8e", '.' }, /* ． full-width full stop */
	{ "\xef\xbc\x8b", '+' }, /* ＋ */
	{ "\xef\xbc\x8d", '-' }, /* － */
	{ "\xe3\x80\x80", ' ' }, /* ideographic space */
	{ "\xc2\xa5", 'Y' },     /* ¥ */
	{ "\xef\xbf\xa5", 'Y' }, /* ￥ full-width yen/yuan sign */
	{ "\xe5\x85\x83", 'U' }, /* 元 */
};

static int fail_invalid(struct err *err)
{
	return err_set(err, ERR_INVALID, MONEY_FIELD, "金额格式无效", "not a valid amount");
}

static int fail_range(struct err *err)
{
	return err_set(err, ERR_INVALID, MONEY_FIELD, "金额超出范围", "amount out of range");
}

static int fail_separator(struct err *err)
{
	return err_set(err, ERR_INVALID, MONEY_FIELD, "千位分隔符位置错误",
		       "misplaced thousands separator");
}

/* ---------------------------------------------------------------- step 1 */

/* Byte length of the space at s (ASCII space, tab, U+3000), or 0. */
static size_t space_at(const char *s, const char *end)
{
	if (s < end && (*s == ' ' || *s == '\t'))
		return 1;
	if (end - s >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0)
		return 3;
	return 0;
}

static size_t space_before(const char *s, const char *end)
{
	if (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		return 1;
	if (end - s >= 3 && memcmp(end - 3, "\xe3\x80\x80", 3) == 0)
		return 3;
	return 0;
}

static void trim(const char **b, const char **e)
{
	size_t k;

	while ((k = space_at(*b, *e)) != 0)
		*b += k;
	while ((k = space_before(*b, *e)) != 0)
		*e -= k;
}

/* ---------------------------------------------------------------- step 2 */

/* Writes the ASCII form of [b, e) to out; 0, or -1 on a character we don't know. */
static int normalise(const char *b, const char *e, char out[NORM_MAX + 1])
{
	size_t n = 0;

	while (b < e) {
		if (n == NORM_MAX)
			return -1;
		unsigned char c = (unsigned char)*b;
		if (c >= 0x20 && c < 0x7f) {
			out[n++] = (char)c;
			b++;
			continue;
		}
		if (c == '\t') {
			out[n++] = ' ';
			b++;
			continue;
		}
		/* Full-width digits U+FF10..U+FF19 are EF BC 90..99. */
		if (e - b >= 3 && c == 0xef && (unsigned char)b[1] == 0xbc &&
		    (unsigned char)b[2] >= 0x90 && (unsigned char)b[2] <= 0x99) {
			out[n++] = (char)('0' + ((unsigned char)b[2] - 0x90));
			b += 3;
			continue;
		}
		size_t i;
		for (i = 0; i < ARRAY_SIZE(aliases); i++) {
			size_t len = strlen(aliases[i].utf8);
			if ((size_t)(e - b) >= len && memcmp(b, aliases[i].utf8, len) == 0) {
				out[n++] = aliases[i].ascii;
				b += len;
				break;
			}
		}
		if (i == ARRAY_SIZE(aliases))
			return -1;
	}
	out[n] = '\0';
	return 0;
}

/* ---------------------------------------------------------------- step 3 */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int take_sign(const char **p, int *neg)
{
	if (**p != '+' && **p != '-')
		return 0;
	*neg = **p == '-';
	(*p)++;
	return 1;
}

static void skip_spaces(const char **p)
{
	while (**p == ' ')
		(*p)++;
}

static void take_currency(const char **p)
{
	if (**p == 'Y')
		*p += 1;
	else if (strncasecmp(*p, "RMB", 3) == 0)
		*p += 3;
	else
		return;
	skip_spaces(p);
}

/*
 * The integer part, with optional thousands separators: the first group has
 * 1-3 digits and every later one exactly 3, so "1,234" passes and "12,34" or
 * "1,2,3" fail (they usually mean a decimal comma or a typo, and guessing
 * would move money by a factor of 1000).
 */
static int take_yuan(const char **p, int64_t *yuan, struct err *err)
{
	const char *q = *p;
	int64_t v = 0;
	int group = 0, grouped = 0;

	if (!is_digit(*q))
		return fail_invalid(err);
	for (;; q++) {
		if (is_digit(*q)) {
			v = v * 10 + (*q - '0');
			if (v > MAX_YUAN)
				return fail_range(err);
			group++;
		} else if (*q == ',') {
			if (grouped ? group != 3 : group > 3)
				return fail_separator(err);
			grouped = 1;
			group = 0;
		} else {
			break;
		}
	}
	if (grouped && group != 3)
		return fail_separator(err);
	*yuan = v;
	*p = q;
	return 0;
}

static int take_fen(const char **p, int *fen, struct err *err)
{
	const char *q = *p;
	int n = 0, v = 0;

	*fen = 0;
	if (*q != '.')
		return 0;
	for (q++; is_digit(*q); q++, n++)
		if (n < 2)
			v = v * 10 + (*q - '0');
	if (n == 0)
		return fail_invalid(err);
	if (n > 2)
		return err_set(err, ERR_INVALID, MONEY_FIELD, "金额最多两位小数",
			       "amount has more than two decimals");
	*fen = n == 1 ? v * 10 : v;
	*p = q;
	return 0;
}

static int parse_ascii(const char *p, int64_t *out, struct err *err)
{
	int neg = 0, rc, frac;
	int64_t yuan = 0;

	int has_sign = take_sign(&p, &neg);
	take_currency(&p);
	if (!has_sign)
		take_sign(&p, &neg);
	rc = take_yuan(&p, &yuan, err);
	if (rc)
		return rc;
	rc = take_fen(&p, &frac, err);
	if (rc)
		return rc;
	skip_spaces(&p);
	if (*p == 'U')
		p++;
	if (*p)
		return fail_invalid(err);
	int64_t fen = yuan * 100 + frac;
	if (fen > MONEY_MAX_FEN)
		return fail_range(err);
	*out = neg ? -fen : fen;
	return 0;
}

int money_parse(const char *s, int64_t *fen, struct err *err)
{
	char norm[NORM_MAX + 1];
	const char *b = s, *e = s + strlen(s);

	trim(&b, &e);
	if (e - b >= 3 && b[0] == '=' && b[1] == '"' && e[-1] == '"') {
		b += 2;
		e -= 1;
		trim(&b, &e);
	}
	if (b == e)
		return err_set(err, ERR_INVALID, MONEY_FIELD, "金额为空", "amount is empty");
	if (normalise(b, e, norm))
		return fail_invalid(err);
	return parse_ascii(norm, fen, err);
}

char *money_format(int64_t fen, char buf[MONEY_BUF])
{
	/* Through uint64_t so INT64_MIN has a magnitude too. */
	uint64_t mag = fen < 0 ? -(uint64_t)fen : (uint64_t)fen;

	snprintf(buf, MONEY_BUF, "%s%" PRIu64 ".%02u", fen < 0 ? "-" : "", mag / 100,
		 (unsigned)(mag % 100));
	return buf;
}

int64_t money_mul_ppm(int64_t fen, int64_t ppm)
{
	/* 128 bits hold any int64 x int64 product, so there is no intermediate overflow. */
	__int128 prod = (__int128)fen * ppm;
	int neg = prod < 0;
	__int128 mag = neg ? -prod : prod;
	__int128 q = (mag + 500000) / 1000000;

	/* Only absurd rates leave the int64 range; saturate rather than wrap. */
	if (q > INT64_MAX)
		return neg ? INT64_MIN : INT64_MAX;
	return neg ? -(int64_t)q : (int64_t)q;
}
