#include "lib/mask.h"

#include <string.h>

#include "lib/sb.h"
#include "lib/utf8.h"
#include "lib/common.h"

/*
 * Masking must never leak more than it shows, so every doubtful case falls
 * towards hiding: text that is not valid UTF-8 becomes "****" (we cannot know
 * where its characters end), and an address whose structure we do not
 * recognise keeps at most half of itself.
 */

#define MASK "****"

/* Byte length of the character led by c; the input has been validated. */
static size_t char_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c < 0xE0)
		return 2;
	if (c < 0xF0)
		return 3;
	return 4;
}

/* Byte length of blank text at s (ASCII space or tab, U+3000), or 0. */
static size_t blank_at(const char *s)
{
	if (*s == ' ' || *s == '\t')
		return 1;
	/* strncmp, not memcmp: it stops at the terminator of a short tail. */
	if (strncmp(s, "\xe3\x80\x80", 3) == 0)
		return 3;
	return 0;
}

static const char *skip_blanks(const char *s)
{
	size_t k;

	while ((k = blank_at(s)) != 0)
		s += k;
	return s;
}

/* ---------------------------------------------------------------- phone */

/* Longest digit run we try to read as a number; longer is "anything else". */
#define PHONE_DIGITS 20

/* People write phones with spaces, dashes and parentheses around area codes;
 * none of them carry information. */
static size_t phone_noise_at(const char *s)
{
	if (*s == '-' || *s == '(' || *s == ')')
		return 1;
	return blank_at(s);
}

struct phone {
	char digits[PHONE_DIGITS];
	size_t n;      /* digits kept (at most PHONE_DIGITS) */
	size_t total;  /* digits seen */
	int plus;      /* started with '+' */
	int only_digits;
	int empty;     /* nothing but noise */
};

static void phone_scan(const char *s, struct phone *ph)
{
	memset(ph, 0, sizeof *ph);
	ph->only_digits = 1;
	ph->empty = 1;
	s = skip_blanks(s);
	if (*s == '+') {
		ph->plus = 1;
		ph->empty = 0;
		s++;
	}
	while (*s) {
		size_t k = phone_noise_at(s);
		if (k) {
			s += k;
			continue;
		}
		ph->empty = 0;
		if (*s >= '0' && *s <= '9') {
			if (ph->n < PHONE_DIGITS)
				ph->digits[ph->n++] = *s;
			ph->total++;
		} else {
			ph->only_digits = 0;
		}
		s += char_len((unsigned char)*s);
	}
}

/* "****" and the last four characters that are not noise. */
static void phone_mask_other(const char *s, const struct phone *ph, struct sb *out)
{
	const char *keep[4];
	size_t nkeep = 0;

	sb_adds(out, MASK);
	/* Fewer than 7 digits: the last four would be most of the number. */
	if (ph->total < 7)
		return;
	for (const char *p = s; *p;) {
		size_t k = phone_noise_at(p);
		if (k) {
			p += k;
			continue;
		}
		if (nkeep == 4)
			memmove(keep, keep + 1, 3 * sizeof keep[0]);
		else
			nkeep++;
		keep[nkeep - 1] = p;
		p += char_len((unsigned char)*p);
	}
	for (size_t i = 0; i < nkeep; i++)
		sb_add(out, keep[i], char_len((unsigned char)*keep[i]));
}

/* Mainland numbers, after an optional +86/86 country code. 0 when masked. */
static int phone_mask_cn(const struct phone *ph, struct sb *out)
{
	const char *d = ph->digits;
	size_t n = ph->n;

	if (!ph->only_digits || ph->total != n || n == 0)
		return -1;
	if (ph->plus) {
		if (n < 2 || memcmp(d, "86", 2) != 0)
			return -1; /* a foreign number: +1 415… is not a mobile */
		d += 2;
		n -= 2;
	} else if (n == 13 && memcmp(d, "861", 3) == 0) {
		d += 2;
		n -= 2;
	}
	if (n == 11 && d[0] == '1') {
		sb_add(out, d, 3);
		sb_adds(out, MASK);
		sb_add(out, d + 7, 4);
		return 0;
	}
	if (n < 10 || d[0] != '0')
		return -1;
	/* Beijing 010 and the 02x cities have 3-digit area codes, the rest 4. */
	size_t area = d[1] == '1' || d[1] == '2' ? 3 : 4;
	if (n - area < 7 || n - area > 8)
		return -1;
	sb_add(out, d, area);
	sb_adds(out, "-" MASK);
	sb_add(out, d + n - 4, 4);
	return 0;
}

void mask_phone(const char *phone, struct sb *out)
{
	struct phone ph;

	if (!phone)
		return;
	if (!utf8_valid(phone, strlen(phone))) {
		sb_adds(out, MASK);
		return;
	}
	phone_scan(phone, &ph);
	/* No phone shows as nothing; "****" would claim there is one. */
	if (ph.empty)
		return;
	if (phone_mask_cn(&ph, out) == 0)
		return;
	phone_mask_other(phone, &ph, out);
}

/* ---------------------------------------------------------------- address */

/*
 * An address is read as administrative units, each a name followed by a
 * suffix: 浙江省 / 杭州市 / 西湖区. The first unit at district level ends the
 * kept prefix. 市 is ambiguous: it is a city the first time (杭州市, or a
 * municipality like 北京市) and a county-level city after one (杭州市建德市).
 * 州 and 市 also occur inside names, so when another suffix follows directly
 * they do not end the unit: 杭州市 is one unit (not 杭州 + 市), 贵州省 is a
 * province, 通州区 a district, and 济南市市中区 reads 济南市市 + 中区, which keeps
 * the same prefix.
 */
enum unit_level { UNIT_NONE, UNIT_PROVINCE, UNIT_CITY, UNIT_PREFECTURE, UNIT_DISTRICT };

static const struct {
	const char *text;
	enum unit_level level;
	int in_names; /* also occurs inside names: look ahead before ending */
} suffixes[] = {
	/* longer first: 自治区 and 特别行政区 end in 区 but are provinces */
	{ "特别行政区", UNIT_PROVINCE, 0 },
	{ "自治区", UNIT_PROVINCE, 0 },
	{ "地区", UNIT_PREFECTURE, 0 },
	{ "省", UNIT_PROVINCE, 0 },
	{ "市", UNIT_CITY, 1 },
	{ "州", UNIT_PREFECTURE, 1 },
	{ "盟", UNIT_PREFECTURE, 0 },
	{ "区", UNIT_DISTRICT, 0 },
	{ "县", UNIT_DISTRICT, 0 },
	{ "旗", UNIT_DISTRICT, 0 },
};

/* The administrative prefix sits at the start; bound the search so a long
 * street part without markers costs little. */
#define ADDR_SCAN_CHARS 40
#define UNIT_MAX_CHARS 16
#define ADDR_KEEP_CHARS 6

/* The suffix at s, or -1. */
static int suffix_at(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(suffixes); i++)
		if (strncmp(s, suffixes[i].text, strlen(suffixes[i].text)) == 0)
			return (int)i;
	return -1;
}

/* Length of the unit-ending suffix at s, or 0 (no suffix, or one that
 * continues into the next suffix). */
static size_t unit_end_at(const char *s, enum unit_level *lv)
{
	int i = suffix_at(s);
	if (i < 0)
		return 0;
	size_t len = strlen(suffixes[i].text);
	if (suffixes[i].in_names && suffix_at(s + len) >= 0)
		return 0;
	*lv = suffixes[i].level;
	return len;
}

/* Byte length of the kept prefix: through the first district-level unit,
 * else through the last province- or city-level one found, else 0. */
static size_t admin_prefix(const char *s)
{
	const char *p = s;
	size_t keep = 0, unit_chars = 0;
	int scanned = 0, seen_city = 0;

	while (*p && scanned < ADDR_SCAN_CHARS) {
		size_t k = blank_at(p);
		if (k && unit_chars == 0) {
			p += k; /* "浙江省 杭州市 西湖区": spaces between units */
			continue;
		}
		enum unit_level lv = UNIT_NONE;
		size_t len = unit_end_at(p, &lv);
		if (len && unit_chars > 0) {
			p += len;
			scanned++;
			keep = (size_t)(p - s);
			unit_chars = 0;
			if (lv == UNIT_DISTRICT || (lv == UNIT_CITY && seen_city))
				return keep;
			if (lv == UNIT_CITY || lv == UNIT_PREFECTURE)
				seen_city = 1;
			continue;
		}
		if (unit_chars == UNIT_MAX_CHARS)
			break;
		p += char_len((unsigned char)*p);
		unit_chars++;
		scanned++;
	}
	return keep;
}

/* Byte length of the first n characters of s. */
static size_t chars_prefix(const char *s, size_t n)
{
	size_t b = 0;

	while (n-- > 0 && s[b])
		b += char_len((unsigned char)s[b]);
	return b;
}

void mask_address(const char *address, struct sb *out)
{
	if (!address)
		return;
	size_t len = strlen(address);
	if (!utf8_valid(address, len)) {
		sb_adds(out, MASK);
		return;
	}
	const char *s = skip_blanks(address);
	if (!*s)
		return;
	size_t keep = admin_prefix(s);
	if (!keep) {
		/* Without structure, keep 6 characters, but never more than half:
		 * a 7-character address with 6 shown is not masked. */
		size_t n = utf8_len(s, strlen(s)) / 2;
		keep = chars_prefix(s, n < ADDR_KEEP_CHARS ? n : ADDR_KEEP_CHARS);
	}
	sb_add(out, s, keep);
	sb_adds(out, MASK);
}
