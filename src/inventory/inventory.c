/*
 * inventory.c - codes, the oversell guard, combo expansion, stocktake
 * variances and the sell-through rules (see inventory.h for the definitions).
 */
#include "inventory/inventory.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/utf8.h"
#include "lib/common.h"

/* ---------------------------------------------------------------- codes */

static int is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int inv_sku_code_check(const char *code, struct err *err)
{
	size_t n = strlen(code);
	if (n == 0 || n > INV_CODE_MAX)
		return err_set(err, ERR_UNPROCESSABLE, "code", "商家编码应为 1–64 个字符",
			       "the SKU code (商家编码) must be 1-64 characters");
	if (!is_alnum((unsigned char)code[0]))
		return err_set(err, ERR_UNPROCESSABLE, "code", "商家编码应以字母或数字开头",
			       "the SKU code must start with a letter or digit");
	for (size_t i = 1; i < n; i++) {
		unsigned char c = (unsigned char)code[i];
		if (!is_alnum(c) && c != '-' && c != '_' && c != '.')
			return err_set(err, ERR_UNPROCESSABLE, "code",
				       "商家编码只能包含字母、数字和 - _ .",
				       "the SKU code may contain only letters, digits and - _ .");
	}
	/* Seller tools write "null" for a missing 商家编码; it must never name a real SKU. */
	if (strcasecmp(code, "null") == 0)
		return err_set(err, ERR_UNPROCESSABLE, "code", "商家编码不能是 null",
			       "the SKU code cannot be \"null\"");
	return 0;
}

int inv_place_code_check(const char *code, const char *field, struct err *err)
{
	size_t n = strlen(code);
	int ok = n > 0 && n <= INV_WH_CODE_MAX;
	for (size_t i = 0; ok && i < n; i++) {
		unsigned char c = (unsigned char)code[i];
		ok = is_alnum(c) || c == '-' || c == '_';
	}
	if (!ok)
		return err_setf(err, ERR_UNPROCESSABLE, field,
				"%s 应为 1–32 个字母、数字、_ 或 -",
				"%s must be 1-32 letters, digits, _ or -", field, field);
	return 0;
}

int inv_text_check(const char *s, const char *field, size_t max, int required, struct err *err)
{
	size_t n = strlen(s);
	if (!utf8_valid(s, n) || utf8_len(s, n) > max || (required && n == 0))
		return err_setf(err, ERR_UNPROCESSABLE, field, "字段 %s 应为 %d–%zu 个字符",
				"field %s must be %d-%zu characters", field, required ? 1 : 0, max,
				field, required ? 1 : 0, max);
	return 0;
}

/* ---------------------------------------------------------------- levels and the guard */

int64_t inv_available(const struct inv_level *l)
{
	return l->on_hand - l->reserved;
}

enum inv_verdict inv_guard(const struct inv_level *before, int64_t d_on_hand, int64_t d_reserved,
			   int allow_oversell, struct inv_level *after)
{
	struct inv_level a = { before->on_hand + d_on_hand, before->reserved + d_reserved };
	int64_t avail_before = inv_available(before), avail_after = inv_available(&a);

	if (after)
		*after = a;
	if (a.on_hand < 0)
		return INV_NEG_ON_HAND;
	if (a.reserved < 0)
		return INV_NEG_RESERVED;
	/* INV-6: only a change that lowers available can oversell. */
	if (avail_after < 0 && avail_after < avail_before && !allow_oversell)
		return INV_SHORT;
	return INV_OK;
}

const char *inv_verdict_zh(enum inv_verdict v)
{
	switch (v) {
	case INV_OK:
		return "可以";
	case INV_SHORT:
		return "可用库存不足";
	case INV_NEG_ON_HAND:
		return "现有库存不足";
	case INV_NEG_RESERVED:
		return "超过已占用数量";
	}
	return "?";
}

const char *inv_verdict_en(enum inv_verdict v)
{
	switch (v) {
	case INV_OK:
		return "ok";
	case INV_SHORT:
		return "not enough available stock";
	case INV_NEG_ON_HAND:
		return "not enough stock on hand";
	case INV_NEG_RESERVED:
		return "more than is reserved";
	}
	return "?";
}

/* ---------------------------------------------------------------- combination SKUs */

/* Adds qty of sku to out (summing equal SKUs). */
static int line_add(struct inv_line *out, size_t cap, size_t *n, int64_t sku, int64_t qty,
		    struct err *err)
{
	for (size_t i = 0; i < *n; i++) {
		if (out[i].sku_id != sku)
			continue;
		if (__builtin_add_overflow(out[i].qty, qty, &out[i].qty))
			return err_set(err, ERR_UNPROCESSABLE, "parts", "数量过大", "quantity too large");
		return 0;
	}
	if (*n >= cap)
		return err_set(err, ERR_INTERNAL, "", "组合展开空间不足", "expansion buffer too small");
	out[*n].sku_id = sku;
	out[*n].qty = qty;
	(*n)++;
	return 0;
}

static int expand_combo(const struct inv_item *it, const struct inv_combo_part *parts,
			size_t n_parts, struct inv_line *out, size_t cap, size_t *n,
			struct err *err)
{
	int found = 0;
	for (size_t p = 0; p < n_parts; p++) {
		int64_t q;
		if (parts[p].combo_id != it->sku_id)
			continue;
		found = 1;
		if (__builtin_mul_overflow(it->qty, parts[p].qty, &q))
			return err_set(err, ERR_UNPROCESSABLE, "parts", "数量过大", "quantity too large");
		int rc = line_add(out, cap, n, parts[p].part_id, q, err);
		if (rc)
			return rc;
	}
	if (!found)
		return err_set(err, ERR_UNPROCESSABLE, "parts", "组合商品没有设置组成商品",
			       "a combination SKU has no parts");
	return 0;
}

static int line_cmp(const void *a, const void *b)
{
	int64_t x = ((const struct inv_line *)a)->sku_id, y = ((const struct inv_line *)b)->sku_id;
	return (x > y) - (x < y);
}

int inv_expand(const struct inv_item *items, size_t n_items, const struct inv_combo_part *parts,
	       size_t n_parts, struct inv_line *out, size_t cap, size_t *n_out, struct err *err)
{
	size_t n = 0;
	int rc = 0;

	for (size_t i = 0; !rc && i < n_items; i++) {
		if (items[i].qty <= 0)
			continue;
		if (items[i].is_combo)
			rc = expand_combo(&items[i], parts, n_parts, out, cap, &n, err);
		else
			rc = line_add(out, cap, &n, items[i].sku_id, items[i].qty, err);
	}
	if (n > 1)
		qsort(out, n, sizeof *out, line_cmp);
	*n_out = rc ? 0 : n;
	return rc;
}

int inv_parts_check(int64_t combo_id, const struct inv_part_spec *parts, size_t n,
		    struct err *err)
{
	if (n > INV_PARTS_MAX)
		return err_setf(err, ERR_UNPROCESSABLE, "parts", "组合商品最多 %d 种组成商品",
				"a combination SKU has at most %d parts", INV_PARTS_MAX,
				INV_PARTS_MAX);
	for (size_t i = 0; i < n; i++) {
		if (parts[i].qty < 1 || parts[i].qty > INV_PART_QTY_MAX)
			return err_setf(err, ERR_UNPROCESSABLE, "parts", "组成数量应为 1–%d",
					"a part's qty must be 1-%d", INV_PART_QTY_MAX,
					INV_PART_QTY_MAX);
		if (parts[i].sku_id == combo_id)
			return err_set(err, ERR_UNPROCESSABLE, "parts", "组合商品不能包含自己",
				       "a combination SKU cannot contain itself");
		if (parts[i].is_combo)
			return err_set(err, ERR_UNPROCESSABLE, "parts",
				       "组成商品不能是组合商品(只支持一层)",
				       "a part cannot itself be a combination SKU (one level only)");
		for (size_t j = 0; j < i; j++)
			if (parts[j].sku_id == parts[i].sku_id)
				return err_set(err, ERR_UNPROCESSABLE, "parts",
					       "同一组成商品出现了两次", "a part is listed twice");
	}
	return 0;
}

/* Floor division for a positive divisor (C rounds toward zero). */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && a < 0) ? q - 1 : q;
}

int64_t inv_combo_available(const int64_t *part_available, const int64_t *part_qty, size_t n)
{
	int64_t best = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t sets = floor_div(part_available[i], part_qty[i] > 0 ? part_qty[i] : 1);
		if (i == 0 || sets < best)
			best = sets;
	}
	return best;
}

/* ---------------------------------------------------------------- stocktake */

int64_t inv_variance(const struct inv_count_line *l)
{
	return l->counted - l->expected;
}

void inv_stocktake_sum(const struct inv_count_line *lines, size_t n, struct inv_stocktake_sum *out)
{
	memset(out, 0, sizeof *out);
	out->lines = (int64_t)n;
	for (size_t i = 0; i < n; i++) {
		if (!lines[i].has_count) {
			out->uncounted++;
			continue;
		}
		int64_t v = inv_variance(&lines[i]);
		out->counted++;
		out->net += v;
		if (v > 0) {
			out->over_lines++;
			out->over_qty += v;
		} else if (v < 0) {
			out->short_lines++;
			out->short_qty -= v;
		}
	}
}

int inv_stocktake_ready(const struct inv_stocktake_sum *s, struct err *err)
{
	if (s->uncounted > 0)
		return err_setf(err, ERR_UNPROCESSABLE, "counts", "还有 %lld 行未盘点,不能审批",
				"%lld lines are not counted yet; cannot approve",
				(long long)s->uncounted, (long long)s->uncounted);
	return 0;
}

/* ---------------------------------------------------------------- sell-through */

int inv_sku_stocked(const struct inv_sku_period *s)
{
	return s->on_hand_start > 0 || s->received > 0 || s->sold_qty > 0;
}

int inv_sku_sold(const struct inv_sku_period *s)
{
	return s->sold_qty > 0;
}

int inv_sku_slow(const struct inv_sku_period *s, int64_t to_utc, int slow_days)
{
	int64_t cutoff = to_utc - (int64_t)slow_days * 86400;
	if (s->on_hand_end <= 0 || s->first_stock_utc == 0 || s->first_stock_utc > cutoff)
		return 0;
	return s->last_sale_utc == 0 || s->last_sale_utc < cutoff;
}

int64_t inv_sell_through_ppm(int64_t sold_skus, int64_t stocked_skus)
{
	if (stocked_skus <= 0)
		return 0;
	return (sold_skus * 1000000 + stocked_skus / 2) / stocked_skus;
}

int64_t inv_days_between(int64_t since_utc, int64_t to_utc)
{
	if (since_utc <= 0 || since_utc >= to_utc)
		return 0;
	return (to_utc - since_utc) / 86400;
}
