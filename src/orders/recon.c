/*
 * recon.c - ORD-11 bill weights, months and line flags (pure; see recon.h).
 */
#include "orders/recon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cal.h"
#include "lib/money.h"
#include "lib/common.h"

static const struct {
	const char *name, *zh;
} flag_names[RECON_FLAG_COUNT] = {
	{ "unknown", "运单号不在我方订单中" },
	{ "duplicate", "账单内重复" },
	{ "billed_before", "已在以前的账单中结算" },
	{ "weight_over", "计费重量超出我方称重" },
	{ "weight_under", "计费重量低于我方称重" },
	{ "unweighed", "我方未称重,无法核对重量" },
	{ "fee_high", "运费高于同重量段中位数" },
	{ "missing", "我方已发货但账单中没有" },
};

const char *recon_flag_name(int i)
{
	return i >= 0 && i < RECON_FLAG_COUNT ? flag_names[i].name : "";
}

const char *recon_flag_label_zh(int i)
{
	return i >= 0 && i < RECON_FLAG_COUNT ? flag_names[i].zh : "";
}

/* ---------------------------------------------------------------- weights */

#define RECON_WEIGHT_MAX_G 1000000

static const struct {
	const char *text;
	int kg;
} units[] = {
	{ "kg", 1 }, { "KG", 1 }, { "Kg", 1 }, { "公斤", 1 }, { "千克", 1 },
	{ "g", 0 },  { "G", 0 },  { "克", 0 },
};

/* The unit written after the number, if any: 1 kg, 0 g, -1 none, -2 unknown text. */
static int unit_of(const char *p)
{
	while (*p == ' ')
		p++;
	if (!*p)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(units); i++)
		if (strcmp(p, units[i].text) == 0)
			return units[i].kg;
	return -2;
}

/* Digits with at most three decimals into thousandths; *end after the number. */
static int thousandths(const char *s, int64_t *out, const char **end)
{
	int64_t v = 0;
	int digits = 0, decimals = -1;
	const char *p = s;
	for (; *p; p++) {
		if (*p == '.' && decimals < 0) {
			decimals = 0;
			continue;
		}
		if (*p < '0' || *p > '9')
			break;
		if (decimals >= 3 || ++digits > 12)
			return -1;
		v = v * 10 + (*p - '0');
		if (decimals >= 0)
			decimals++;
	}
	if (!digits)
		return -1;
	for (int d = decimals < 0 ? 0 : decimals; d < 3; d++)
		v *= 10;
	*out = v;
	*end = p;
	return 0;
}

int recon_header_unit_kg(const char *header)
{
	static const char *const grams[] = { "(g)", "（g）", "(G)", "（G）", "(克)", "（克）", "weight_g" };
	for (size_t i = 0; i < ARRAY_SIZE(grams); i++)
		if (strstr(header, grams[i]))
			return 0;
	return 1;
}

int recon_weight_parse(const char *s, int unit_kg, int64_t *grams, struct err *err)
{
	int64_t milli;
	const char *end;
	*grams = 0;
	if (!s || !*s)
		return err_set(err, ERR_UNPROCESSABLE, "", "缺少重量", "weight missing");
	int unit = thousandths(s, &milli, &end) ? -2 : unit_of(end);
	if (unit == -2)
		return err_setf(err, ERR_UNPROCESSABLE, "", "重量「%.40s」无法识别(应为 1.25、1.25kg 或 850g)",
				"weight \"%.40s\" not understood (expected 1.25, 1.25kg or 850g)", s);
	if (unit == -1)
		unit = unit_kg;
	int64_t g = unit ? milli : (milli + 500) / 1000;
	if (g <= 0 || g > RECON_WEIGHT_MAX_G)
		return err_setf(err, ERR_UNPROCESSABLE, "", "重量「%.40s」应大于 0 且不超过 1000 公斤",
				"weight \"%.40s\" must be above 0 and at most 1000 kg", s);
	*grams = g;
	return 0;
}

int recon_fee_parse(const char *s, int64_t *fen, struct err *err)
{
	*fen = 0;
	if (!s || !*s)
		return err_set(err, ERR_UNPROCESSABLE, "", "缺少运费", "fee missing");
	if (money_parse(s, fen, err))
		return ERR_UNPROCESSABLE; /* money_parse's message says why */
	if (*fen > RECON_FEE_MAX_FEN || *fen < -RECON_FEE_MAX_FEN)
		return err_setf(err, ERR_UNPROCESSABLE, "", "运费「%.40s」超出范围",
				"fee \"%.40s\" out of range", s);
	return 0;
}

/* ---------------------------------------------------------------- months */

static int month_fields(const char *s, int *y, int *m)
{
	char tail;
	if (strlen(s) == 6 && strspn(s, "0123456789") == 6)
		return sscanf(s, "%4d%2d", y, m) == 2 ? 0 : -1;
	if (strspn(s, "0123456789-/") != strlen(s))
		return -1;
	if (sscanf(s, "%4d-%2d%c", y, m, &tail) == 2 || sscanf(s, "%4d/%2d%c", y, m, &tail) == 2)
		return 0;
	return -1;
}

int recon_period_parse(const char *s, int64_t *from_utc, int64_t *to_utc, char canon[8],
		       struct err *err)
{
	int y = 0, m = 0;
	if (!s || month_fields(s, &y, &m) || y < 2000 || y > 2999 || m < 1 || m > 12)
		return err_set(err, ERR_UNPROCESSABLE, "period", "账期应为年月,如 2026-11",
			       "period must be a month such as 2026-11");
	struct cal_dt a = { y, m, 1, 0, 0, 0 };
	struct cal_dt b = { m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1, 0, 0, 0 };
	*from_utc = cal_utc_from_shanghai(&a);
	*to_utc = cal_utc_from_shanghai(&b);
	snprintf(canon, 8, "%04d-%02d", y, m);
	return 0;
}

/* ---------------------------------------------------------------- flags */

unsigned recon_line_flags(int matched, int64_t billed_g, int64_t ours_g, int64_t tolerance_g,
			  int duplicate, int billed_before)
{
	unsigned f = 0;
	if (duplicate)
		f |= RECON_DUPLICATE;
	if (billed_before)
		f |= RECON_BILLED_BEFORE;
	if (!matched)
		return f | RECON_UNKNOWN;
	if (ours_g < 0)
		return f | RECON_UNWEIGHED;
	if (billed_g > ours_g + tolerance_g)
		f |= RECON_WEIGHT_OVER;
	else if (billed_g < ours_g - tolerance_g)
		f |= RECON_WEIGHT_UNDER;
	return f;
}

int64_t recon_bracket_kg(int64_t grams)
{
	return grams <= 1000 ? 1 : (grams + 999) / 1000;
}

/* ---------------------------------------------------------------- fees */

static int fee_cmp(const void *pa, const void *pb)
{
	const struct recon_fee *a = pa, *b = pb;
	int64_t ka = a->fee_fen > 0 ? recon_bracket_kg(a->weight_g) : 0;
	int64_t kb = b->fee_fen > 0 ? recon_bracket_kg(b->weight_g) : 0;
	if (ka != kb)
		return ka < kb ? -1 : 1;
	if (a->fee_fen != b->fee_fen)
		return a->fee_fen < b->fee_fen ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* One bracket: lines[0..n) sorted by fee, all with a fee > 0. */
static int64_t bracket_judge(struct recon_fee *lines, size_t n, const struct recon_policy *p,
			     struct recon_bracket *b)
{
	memset(b, 0, sizeof *b);
	b->kg = recon_bracket_kg(lines[0].weight_g);
	b->lines = (int64_t)n;
	b->median_fen = lines[(n - 1) / 2].fee_fen;
	b->judged = (int64_t)n >= p->fee_min_lines;
	for (size_t i = 0; i < n; i++) {
		b->total_fen += lines[i].fee_fen;
		/* fee > median * (1 + pct/100), in integers: no rounding question */
		if (b->judged && lines[i].fee_fen * 100 > b->median_fen * (100 + p->fee_tolerance_pct)) {
			lines[i].flags |= RECON_FEE_HIGH;
			b->high++;
		}
	}
	return b->high;
}

int64_t recon_fee_outliers(struct recon_fee *lines, size_t n, const struct recon_policy *p,
			   void (*fn)(const struct recon_bracket *b, void *ctx), void *ctx)
{
	int64_t flagged = 0;
	size_t i = 0;
	if (!n)
		return 0;
	qsort(lines, n, sizeof *lines, fee_cmp);
	while (i < n && lines[i].fee_fen <= 0)
		i++;
	while (i < n) {
		size_t j = i;
		int64_t kg = recon_bracket_kg(lines[i].weight_g);
		while (j < n && recon_bracket_kg(lines[j].weight_g) == kg)
			j++;
		struct recon_bracket b;
		flagged += bracket_judge(lines + i, j - i, p, &b);
		if (fn)
			fn(&b, ctx);
		i = j;
	}
	return flagged;
}
