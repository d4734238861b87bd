#include "orders/phone.h"

#include <stdio.h>
#include <string.h>

#include "lib/utf8.h"
#include "lib/common.h"

/*
 * Two passes. scan() reads the text once, keeping the digits, where the last
 * digit group starts and what separated it, and where an explicit extension
 * marker put the extension. phone_parse() then strips a country code, decides
 * mobile or landline from the first digits, and for a landline whose digits
 * before the last dash-separated group already make a whole number takes that
 * group as the extension ("0571-87654321-123").
 */

#define DIGITS_MAX 32

struct scan {
	char d[DIGITS_MAX];
	size_t nd;
	int plus;            /* a leading + (or ＋) */
	size_t ext_at;       /* digits from here are the extension (marker seen); nd if none */
	int ext_marker;
	size_t last_group;   /* start of the last digit group */
	int last_after_dash; /* that group came right after a dash */
	int ngroups;
};

enum tok {
	TOK_DIGIT,
	TOK_SPACE,  /* spaces, parentheses, dots: grouping only */
	TOK_DASH,
	TOK_EXT,    /* 转 ext x # */
	TOK_PLUS,
	TOK_QUOTE,  /* ' ‘ ’ */
	TOK_OTHER,
};

static const struct {
	const char *text;
	enum tok tok;
	char digit;
} tokens[] = {
	{ " ", TOK_SPACE, 0 }, { "\t", TOK_SPACE, 0 }, { "\xC2\xA0", TOK_SPACE, 0 },
	{ "\xE3\x80\x80", TOK_SPACE, 0 }, { "(", TOK_SPACE, 0 }, { ")", TOK_SPACE, 0 },
	{ "（", TOK_SPACE, 0 }, { "）", TOK_SPACE, 0 }, { ".", TOK_SPACE, 0 },
	{ "-", TOK_DASH, 0 }, { "－", TOK_DASH, 0 }, { "‐", TOK_DASH, 0 }, { "–", TOK_DASH, 0 },
	{ "—", TOK_DASH, 0 }, { "转", TOK_EXT, 0 }, { "分机", TOK_EXT, 0 }, { "ext", TOK_EXT, 0 },
	{ "EXT", TOK_EXT, 0 }, { "Ext", TOK_EXT, 0 }, { "x", TOK_EXT, 0 }, { "X", TOK_EXT, 0 },
	{ "#", TOK_EXT, 0 }, { "+", TOK_PLUS, 0 }, { "＋", TOK_PLUS, 0 }, { "'", TOK_QUOTE, 0 },
	{ "‘", TOK_QUOTE, 0 }, { "’", TOK_QUOTE, 0 },
	{ "０", TOK_DIGIT, '0' }, { "１", TOK_DIGIT, '1' }, { "２", TOK_DIGIT, '2' },
	{ "３", TOK_DIGIT, '3' }, { "４", TOK_DIGIT, '4' }, { "５", TOK_DIGIT, '5' },
	{ "６", TOK_DIGIT, '6' }, { "７", TOK_DIGIT, '7' }, { "８", TOK_DIGIT, '8' },
	{ "９", TOK_DIGIT, '9' },
};

/* The token at s[i]: its kind, its length, and the ASCII digit for a digit. */
static enum tok next_tok(const char *s, size_t n, size_t i, size_t *len, char *digit)
{
	if (s[i] >= '0' && s[i] <= '9') {
		*len = 1;
		*digit = s[i];
		return TOK_DIGIT;
	}
	for (size_t k = 0; k < ARRAY_SIZE(tokens); k++) {
		size_t tl = strlen(tokens[k].text);
		if (i + tl <= n && memcmp(s + i, tokens[k].text, tl) == 0) {
			*len = tl;
			*digit = tokens[k].digit;
			return tokens[k].tok;
		}
	}
	*len = 1;
	while (i + *len < n && ((unsigned char)s[i + *len] & 0xC0) == 0x80)
		(*len)++;
	return TOK_OTHER;
}

static int invalid(struct err *err, const char *zh, const char *en)
{
	return err_set(err, ERR_UNPROCESSABLE, "phone", zh, en);
}

static int scan(const char *s, size_t n, struct scan *sc, struct err *err)
{
	enum tok prev = TOK_SPACE;

	memset(sc, 0, sizeof *sc);
	sc->ext_at = DIGITS_MAX + 1;
	for (size_t i = 0; i < n;) {
		size_t len;
		char digit = 0;
		enum tok t = next_tok(s, n, i, &len, &digit);

		switch (t) {
		case TOK_DIGIT:
			if (sc->nd == DIGITS_MAX)
				return invalid(err, "电话号码位数过多", "phone number has too many digits");
			if (prev != TOK_DIGIT) {
				sc->last_group = sc->nd;
				sc->last_after_dash = prev == TOK_DASH;
				sc->ngroups++;
			}
			sc->d[sc->nd++] = digit;
			break;
		case TOK_PLUS:
			if (sc->nd || sc->plus)
				return invalid(err, "电话号码中的“+”只能在开头",
					       "\"+\" may only start a phone number");
			sc->plus = 1;
			break;
		case TOK_QUOTE:
			if (sc->nd || sc->plus)
				return invalid(err, "电话号码含有无效字符", "phone number contains an invalid character");
			break;
		case TOK_EXT:
			if (!sc->nd || sc->ext_marker)
				return invalid(err, "电话号码含有无效字符", "phone number contains an invalid character");
			sc->ext_marker = 1;
			sc->ext_at = sc->nd;
			break;
		case TOK_SPACE:
		case TOK_DASH:
			break;
		case TOK_OTHER:
			return invalid(err, "电话号码含有无效字符", "phone number contains an invalid character");
		}
		if (t != TOK_SPACE || prev != TOK_DASH)
			prev = t; /* "0571 - 8765" still counts as a dash */
		i += len;
	}
	if (!sc->ext_marker)
		sc->ext_at = sc->nd;
	else if (sc->ext_at == sc->nd)
		return invalid(err, "分机号为空", "extension is empty");
	return 0;
}

/* Length of the area code at d (which starts with 0), or 0 when it is not one. */
static size_t area_len(const char *d, size_t n)
{
	if (n < 3 || d[0] != '0')
		return 0;
	if (d[1] == '1')
		return d[2] == '0' ? 3 : 0; /* 010 is the only 01x */
	if (d[1] == '2')
		return 3;                   /* 020-029 */
	if (d[1] >= '3' && d[1] <= '9')
		return n >= 4 ? 4 : 0;
	return 0;                           /* 00: an international prefix */
}

static int subscriber_ok(const char *d, size_t n)
{
	return (n == 7 || n == 8) && d[0] != '0'; /* 0 would be a second area code */
}

int phone_parse(const char *s, size_t n, struct phone *out, struct err *err)
{
	struct scan sc;
	int rc;

	memset(out, 0, sizeof *out);
	if (n > PHONE_MAX_BYTES)
		return invalid(err, "电话号码过长", "phone number is too long");
	if (!utf8_valid(s, n) || memchr(s, '\0', n))
		return err_set(err, ERR_INVALID, "phone", "电话号码不是有效的UTF-8文本",
			       "phone number is not valid UTF-8 text");
	rc = scan(s, n, &sc, err);
	if (rc)
		return rc;
	if (!sc.nd)
		return invalid(err, "电话号码为空", "phone number is empty");

	/* Country code. After +86 / 0086 a landline has lost its trunk 0. */
	const char *d = sc.d;
	size_t nd = sc.nd, ext_at = sc.ext_at, last_group = sc.last_group;
	int intl = 0;
	if (sc.plus || (nd >= 4 && memcmp(d, "00", 2) == 0)) {
		size_t cc = sc.plus ? 0 : 2;
		if (nd < cc + 2 || memcmp(d + cc, "86", 2) != 0)
			return invalid(err, "仅支持中国大陆电话号码（+86）",
				       "only mainland China numbers (+86) are accepted");
		cc += 2;
		if (ext_at < cc)
			return invalid(err, "电话号码位数不对", "phone number has the wrong number of digits");
		d += cc;
		nd -= cc;
		ext_at -= cc;
		last_group = last_group >= cc ? last_group - cc : 0;
		intl = 1;
	} else if (nd == 13 && ext_at == nd && memcmp(d, "861", 3) == 0 && d[3] >= '3' &&
		   d[3] <= '9') {
		d += 2; /* 86 13812345678 */
		nd -= 2;
		ext_at -= 2;
		last_group = last_group >= 2 ? last_group - 2 : 0;
	}
	if (nd == 0)
		return invalid(err, "电话号码位数不对", "phone number has the wrong number of digits");

	/* Mobile: 1[3-9] and 9 more digits. */
	if (d[0] == '1' && !(intl && nd >= 2 && d[1] == '0')) {
		if (ext_at != nd)
			return invalid(err, "手机号码不能带分机号", "a mobile number has no extension");
		if (nd != 11)
			return err_setf(err, ERR_UNPROCESSABLE, "phone", "手机号码应为11位（实为%zu位）",
					"a mobile number has 11 digits, not %zu", nd);
		if (d[1] < '3' || d[1] > '9')
			return invalid(err, "不是有效的手机号码（第二位应为3–9）",
				       "not a mainland mobile number (the second digit must be 3-9)");
		out->kind = PHONE_MOBILE;
		memcpy(out->norm, d, 11);
		out->norm[11] = '\0';
		return 0;
	}

	/* Landline: [0]area number [ext]. */
	char buf[DIGITS_MAX + 1];
	size_t nb = 0;
	if (intl && d[0] != '0')
		buf[nb++] = '0';
	if (nd + nb > DIGITS_MAX)
		return invalid(err, "电话号码位数过多", "phone number has too many digits");
	memcpy(buf + nb, d, nd);
	ext_at += nb;
	last_group += nb;
	nb += nd;
	if (buf[0] != '0') {
		if (subscriber_ok(buf, ext_at))
			return invalid(err, "固定电话缺少区号", "landline number has no area code");
		return invalid(err, "不是有效的手机或固定电话号码",
			       "not a valid mobile or landline number");
	}
	size_t al = area_len(buf, ext_at);
	if (!al)
		return invalid(err, "固定电话区号无效", "landline area code is not valid");
	size_t main_end = ext_at;
	/* A last group after a dash is the extension whenever what stands before it
	 * is a whole number: 0571-87654321-123, and 028-8628604-6 (not 028-86286046),
	 * so that the normalised form reads back the same. */
	if (!sc.ext_marker && sc.ngroups >= 2 && sc.last_after_dash && last_group > al &&
	    subscriber_ok(buf + al, last_group - al))
		main_end = last_group;
	if (!subscriber_ok(buf + al, main_end - al))
		return invalid(err, "固定电话应为区号加7–8位号码",
			       "a landline number is an area code and 7-8 digits");
	size_t ext = nb - main_end;
	if (ext > 6)
		return invalid(err, "分机号过长（最多6位）", "extension is too long (at most 6 digits)");
	out->kind = PHONE_LANDLINE;
	snprintf(out->norm, sizeof out->norm, "%.*s-%.*s%s%.*s", (int)al, buf, (int)(main_end - al),
		 buf + al, ext ? "-" : "", (int)ext, buf + main_end);
	return 0;
}
