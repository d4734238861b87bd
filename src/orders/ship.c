/*
 * ship.c - tracking numbers, courier names and CSV fields for ORD-9 (pure).
 */
#include "orders/ship.h"

#include <string.h>

#include "lib/sb.h"
#include "lib/common.h"

/* "7.51234E+13", "7.5E13", "1.23e+018": what Excel shows after it took a long
 * number column for a number. The digits are gone; only the sender's original
 * file can tell them. */
static int scientific(const char *s)
{
	const char *e = strpbrk(s, "eE");
	if (!e || e == s)
		return 0;
	for (const char *p = s; p < e; p++)
		if (!((*p >= '0' && *p <= '9') || *p == '.'))
			return 0;
	const char *x = e + 1;
	if (*x == '+' || *x == '-')
		x++;
	if (!*x)
		return 0;
	for (; *x; x++)
		if (*x < '0' || *x > '9')
			return 0;
	return 1;
}

static int sci_error(const char *cell, struct err *err)
{
	return err_setf(err, ERR_UNPROCESSABLE, "", "「%s」是科学计数法,数字已丢失:请把该列设为文本后重新导出",
			"\"%s\" is in scientific notation and has lost digits: format the column as text and export again",
			cell);
}

int ship_tracking_norm(const char *cell, char out[SHIP_TRACKING_MAX + 1], struct err *err)
{
	size_t n = strlen(cell);
	out[0] = '\0';
	if (!n)
		return err_set(err, ERR_UNPROCESSABLE, "", "缺少快递单号", "tracking number missing");
	if (scientific(cell))
		return sci_error(cell, err);
	if (n < SHIP_TRACKING_MIN || n > SHIP_TRACKING_MAX)
		return err_setf(err, ERR_UNPROCESSABLE, "", "快递单号「%.60s」长度应为 %d–%d 个字符",
				"tracking number \"%.60s\" must be %d-%d characters", cell,
				SHIP_TRACKING_MIN, SHIP_TRACKING_MAX);
	for (size_t i = 0; i < n; i++) {
		char c = cell[i];
		int ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			 c == '-';
		if (!ok)
			return err_setf(err, ERR_UNPROCESSABLE, "",
					"快递单号「%.60s」只能包含字母、数字和 -",
					"tracking number \"%.60s\" may hold only letters, digits and -", cell);
		out[i] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
	}
	out[n] = '\0';
	return 0;
}

int ship_order_no_check(const char *cell, struct err *err)
{
	if (!*cell)
		return err_set(err, ERR_UNPROCESSABLE, "", "缺少订单编号", "order number missing");
	if (scientific(cell))
		return sci_error(cell, err);
	if (strlen(cell) > SHIP_ORDER_NO_MAX)
		return err_set(err, ERR_UNPROCESSABLE, "", "订单编号过长", "order number too long");
	return 0;
}

/* ---------------------------------------------------------------- couriers */

struct courier {
	const char *key;
	const char *platform; /* as the Taobao bulk-ship upload names it */
	const char *names[8]; /* reduced forms (see reduce()), NULL-terminated */
};

static const struct courier couriers[] = {
	{ "yto", "圆通速递", { "圆通", "yto", NULL } },
	{ "zto", "中通快递", { "中通", "zto", NULL } },
	{ "sto", "申通快递", { "申通", "sto", NULL } },
	{ "yunda", "韵达快递", { "韵达", "yunda", "yd", NULL } },
	{ "sf", "顺丰速运", { "顺丰", "sf", "sfexpress", NULL } },
	{ "ems", "EMS", { "ems", "邮政ems", "中国邮政ems", NULL } },
	{ "post", "邮政快递包裹", { "邮政", "中国邮政", "邮政小包", NULL } },
	{ "jt", "极兔速递", { "极兔", "jt", "j&t", "jtexpress", NULL } },
	{ "best", "百世快递", { "百世", "百世汇通", "汇通", "best", "htky", NULL } },
	{ "jd", "京东快递", { "京东", "jd", "京东物流", NULL } },
	{ "deppon", "德邦快递", { "德邦", "deppon", "dbl", NULL } },
};

static const char *const suffixes[] = { "速递", "快递", "速运", "快运", "物流", "包裹", "express" };

static int ends_with(const char *s, size_t n, const char *suf)
{
	size_t m = strlen(suf);
	return n > m && memcmp(s + n - m, suf, m) == 0;
}

/* The length of s[0..n) without a trailing incomplete UTF-8 sequence (a cut). */
static size_t utf8_whole(const char *s, size_t n)
{
	size_t i = n;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return 0;
	unsigned char lead = (unsigned char)s[i - 1];
	size_t want = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
	return i - 1 + want <= n ? n : i - 1;
}

/* Spaces (ASCII and U+3000) out, ASCII lower-cased, known suffixes off. */
static void reduce(const char *name, char *out, size_t cap)
{
	size_t n = 0;
	for (const char *p = name; *p && n + 1 < cap; p++) {
		if (*p == ' ' || *p == '\t')
			continue;
		if (strncmp(p, "\xE3\x80\x80", 3) == 0) {
			p += 2;
			continue;
		}
		out[n++] = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
	}
	n = utf8_whole(out, n);
	out[n] = '\0';
	for (int again = 1; again;) {
		again = 0;
		for (size_t i = 0; i < ARRAY_SIZE(suffixes); i++) {
			if (ends_with(out, n, suffixes[i])) {
				n -= strlen(suffixes[i]);
				out[n] = '\0';
				again = 1;
			}
		}
	}
}

static const struct courier *courier_find(const char *reduced)
{
	for (size_t i = 0; i < ARRAY_SIZE(couriers); i++)
		for (const char *const *nm = couriers[i].names; *nm; nm++)
			if (strcmp(*nm, reduced) == 0)
				return &couriers[i];
	return NULL;
}

void ship_courier_key(const char *name, char *out, size_t n)
{
	char buf[SHIP_KEY_MAX * 2];
	if (!n)
		return;
	reduce(name ? name : "", buf, sizeof buf);
	const struct courier *c = courier_find(buf);
	const char *key = c ? c->key : buf;
	size_t len = strlen(key);
	if (len >= n)
		len = utf8_whole(key, n - 1); /* a cut must not split a character */
	memcpy(out, key, len);
	out[len] = '\0';
}

const char *ship_courier_platform_name(const char *name)
{
	char buf[SHIP_KEY_MAX * 2];
	reduce(name ? name : "", buf, sizeof buf);
	const struct courier *c = courier_find(buf);
	return c ? c->platform : NULL;
}

/* ---------------------------------------------------------------- CSV */

void ship_csv_field(struct sb *out, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		sb_adds(out, s);
		return;
	}
	sb_addc(out, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			sb_addc(out, '"');
		sb_addc(out, *p);
	}
	sb_addc(out, '"');
}
