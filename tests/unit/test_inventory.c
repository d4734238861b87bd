/* Inventory core: codes, the oversell guard (INV-6), combo expansion, stocktake
 * variances (INV-3), sell-through and slow-moving (INV-5). Tables of cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "inventory/inventory.h"

#define DAY 86400

static void codes(void **state)
{
	static const struct {
		const char *code;
		int ok;
	} cases[] = {
		{ "QH-WY01-01-03", 1 }, { "A", 1 }, { "abc_1.2", 1 }, { "9X", 1 },
		{ "", 0 }, { "-A", 0 }, { ".A", 0 }, { "A B", 0 }, { "A/B", 0 }, { "null", 0 },
		{ "NULL", 0 }, { "无", 0 }, { "A'--", 0 }, { "A%", 0 },
		{ "1234567890123456789012345678901234567890123456789012345678901234", 1 },
		{ "12345678901234567890123456789012345678901234567890123456789012345", 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct err e = ERR_INIT;
		int rc = inv_sku_code_check(cases[i].code, &e);
		if (cases[i].ok != (rc == 0))
			fail_msg("code %s: rc %d", cases[i].code, rc);
		if (rc) {
			assert_int_equal(rc, ERR_UNPROCESSABLE);
			assert_string_equal(e.field, "code");
		}
	}
	struct err e = ERR_INIT;
	assert_int_equal(inv_place_code_check("A-01-01", "code", &e), 0);
	assert_int_equal(inv_place_code_check("A.01", "locations", &e), ERR_UNPROCESSABLE);
	assert_string_equal(e.field, "locations");
	err_init(&e);
	assert_int_equal(inv_text_check("青禾 T恤", "title", 4, 1, &e), ERR_UNPROCESSABLE);
	assert_int_equal(inv_text_check("青禾T恤", "title", 4, 1, &e), 0);
	assert_int_equal(inv_text_check("", "title", 4, 0, &e), 0);
	assert_int_equal(inv_text_check("\xff", "title", 4, 0, &e), ERR_UNPROCESSABLE);
}

/* before (on_hand, reserved), change (d_on_hand, d_reserved), allow -> verdict */
static void guard_table(void **state)
{
	static const struct {
		int64_t on_hand, reserved, d_on, d_res;
		int allow;
		enum inv_verdict v;
	} cases[] = {
		/* reserve */
		{ 10, 0, 0, 10, 0, INV_OK },
		{ 10, 0, 0, 11, 0, INV_SHORT },
		{ 10, 0, 0, 11, 1, INV_OK },          /* pre-sale allowed by policy */
		{ 10, 9, 0, 2, 0, INV_SHORT },
		{ 0, 0, 0, 1, 0, INV_SHORT },
		{ 0, 0, 0, 1, 1, INV_OK },
		/* release */
		{ 10, 5, 0, -5, 0, INV_OK },
		{ 10, 5, 0, -6, 0, INV_NEG_RESERVED },
		{ 10, 12, 0, -1, 0, INV_OK },         /* oversold: releasing helps, never stuck */
		/* ship: both fall, available unchanged */
		{ 10, 5, -5, -5, 0, INV_OK },
		{ 3, 5, -5, -5, 0, INV_NEG_ON_HAND },   /* pre-sold, goods not here yet */
		{ 10, 12, -10, -10, 0, INV_OK },      /* oversold but shipping what is here */
		/* receive */
		{ 0, 4, 3, 0, 0, INV_OK },            /* still oversold by 1, but better */
		{ 0, 0, 1, 0, 0, INV_OK },
		/* adjust (never oversell) */
		{ 10, 0, -10, 0, 0, INV_OK },
		{ 10, 0, -11, 0, 0, INV_NEG_ON_HAND },
		{ 10, 8, -3, 0, 0, INV_SHORT },
		{ 10, 8, -3, 0, 1, INV_OK },          /* stocktake: a count is a fact */
		{ 10, 8, -11, 0, 1, INV_NEG_ON_HAND },
		{ 10, 8, 0, 0, 0, INV_OK },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct inv_level before = { cases[i].on_hand, cases[i].reserved }, after;
		enum inv_verdict v =
			inv_guard(&before, cases[i].d_on, cases[i].d_res, cases[i].allow, &after);
		if (v != cases[i].v)
			fail_msg("case %zu: verdict %d, want %d", i, v, cases[i].v);
		assert_int_equal(after.on_hand, cases[i].on_hand + cases[i].d_on);
		assert_int_equal(after.reserved, cases[i].reserved + cases[i].d_res);
		assert_non_null(inv_verdict_zh(v));
		assert_non_null(inv_verdict_en(v));
	}
	struct inv_level l = { 7, 9 };
	assert_int_equal(inv_available(&l), -2);
}

static void expand_combos(void **state)
{
	/* 100 = T-shirt, 101 = socks, 200 = combo of 2 shirts + 3 socks, 201 = combo of 1 sock */
	const struct inv_combo_part parts[] = {
		{ 200, 100, 2 }, { 200, 101, 3 }, { 201, 101, 1 },
	};
	const struct inv_item items[] = {
		{ 200, 1, 2 },  /* 4 shirts, 6 socks */
		{ 101, 0, 1 },  /* 1 sock */
		{ 300, 0, 0 },  /* qty 0: skipped */
		{ 201, 1, 5 },  /* 5 socks */
		{ 50, 0, 7 },
	};
	struct inv_line out[8];
	size_t n = 99;
	struct err e = ERR_INIT;
	(void)state;
	assert_int_equal(inv_expand(items, 5, parts, 3, out, 8, &n, &e), 0);
	assert_int_equal(n, 3);
	/* sorted by sku_id, equal SKUs summed */
	assert_int_equal(out[0].sku_id, 50);
	assert_int_equal(out[0].qty, 7);
	assert_int_equal(out[1].sku_id, 100);
	assert_int_equal(out[1].qty, 4);
	assert_int_equal(out[2].sku_id, 101);
	assert_int_equal(out[2].qty, 12);

	/* a combo without parts */
	const struct inv_item lonely[] = { { 999, 1, 1 } };
	assert_int_equal(inv_expand(lonely, 1, parts, 3, out, 8, &n, &e), ERR_UNPROCESSABLE);
	assert_string_equal(e.field, "parts");
	assert_int_equal(n, 0);

	/* overflow of qty x part qty */
	const struct inv_item huge[] = { { 200, 1, INT64_MAX / 2 } };
	err_init(&e);
	assert_int_equal(inv_expand(huge, 1, parts, 3, out, 8, &n, &e), ERR_UNPROCESSABLE);

	/* buffer too small is a programming error, reported not overrun */
	err_init(&e);
	assert_int_equal(inv_expand(items, 5, parts, 3, out, 2, &n, &e), ERR_INTERNAL);
}

static void parts_rules(void **state)
{
	static const struct {
		struct inv_part_spec p[3];
		size_t n;
		int ok;
	} cases[] = {
		{ { { 2, 1, 0 }, { 3, 2, 0 } }, 2, 1 },
		{ { { 0 } }, 0, 1 },                       /* empty: a plain SKU again */
		{ { { 1, 1, 0 } }, 1, 0 },                 /* itself */
		{ { { 2, 1, 1 } }, 1, 0 },                 /* a combo as a part */
		{ { { 2, 0, 0 } }, 1, 0 },                 /* qty 0 */
		{ { { 2, 1000, 0 } }, 1, 0 },              /* qty too big */
		{ { { 2, 1, 0 }, { 2, 3, 0 } }, 2, 0 },    /* twice */
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct err e = ERR_INIT;
		int rc = inv_parts_check(1, cases[i].p, cases[i].n, &e);
		if (cases[i].ok != (rc == 0))
			fail_msg("case %zu: rc %d", i, rc);
		if (rc)
			assert_string_equal(e.field, "parts");
	}
	struct inv_part_spec many[INV_PARTS_MAX + 1];
	memset(many, 0, sizeof many);
	for (int i = 0; i <= INV_PARTS_MAX; i++) {
		many[i].sku_id = 10 + i;
		many[i].qty = 1;
	}
	struct err e = ERR_INIT;
	assert_int_equal(inv_parts_check(1, many, INV_PARTS_MAX, &e), 0);
	assert_int_equal(inv_parts_check(1, many, INV_PARTS_MAX + 1, &e), ERR_UNPROCESSABLE);
}

static void combo_available(void **state)
{
	static const struct {
		int64_t avail[3], qty[3];
		size_t n;
		int64_t sets;
	} cases[] = {
		{ { 10, 9 }, { 2, 3 }, 2, 3 },
		{ { 10, 2 }, { 2, 3 }, 2, 0 },     /* one part short: delist */
		{ { 10, 0 }, { 1, 1 }, 2, 0 },
		{ { 10, -1 }, { 1, 2 }, 2, -1 },   /* oversold part: floor, not toward zero */
		{ { 10, -4 }, { 1, 2 }, 2, -2 },
		{ { 5 }, { 1 }, 1, 5 },
		{ { 0 }, { 0 }, 0, 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (inv_combo_available(cases[i].avail, cases[i].qty, cases[i].n) != cases[i].sets)
			fail_msg("case %zu", i);
}

static void stocktake(void **state)
{
	const struct inv_count_line lines[] = {
		{ 10, 10, 1 },  /* right */
		{ 10, 12, 1 },  /* +2 */
		{ 5, 1, 1 },    /* -4 */
		{ 0, 3, 1 },    /* found */
		{ 7, 0, 0 },    /* not counted */
	};
	struct inv_stocktake_sum s;
	struct err e = ERR_INIT;
	(void)state;
	assert_int_equal(inv_variance(&lines[1]), 2);
	assert_int_equal(inv_variance(&lines[2]), -4);
	inv_stocktake_sum(lines, 5, &s);
	assert_int_equal(s.lines, 5);
	assert_int_equal(s.counted, 4);
	assert_int_equal(s.uncounted, 1);
	assert_int_equal(s.over_lines, 2);
	assert_int_equal(s.short_lines, 1);
	assert_int_equal(s.over_qty, 5);
	assert_int_equal(s.short_qty, 4);
	assert_int_equal(s.net, 1);
	assert_int_equal(inv_stocktake_ready(&s, &e), ERR_UNPROCESSABLE);
	assert_string_equal(e.field, "counts");
	assert_non_null(strstr(e.msg_zh, "1 行未盘点"));
	inv_stocktake_sum(lines, 4, &s);
	err_init(&e);
	assert_int_equal(inv_stocktake_ready(&s, &e), 0);
	inv_stocktake_sum(lines, 0, &s);
	assert_int_equal(s.lines, 0);
}

static void sell_through(void **state)
{
	const int64_t to = 1800000000;
	static const struct {
		struct inv_sku_period p;
		int stocked, sold, slow;
	} cases[] = {
		/* start, received, sold, end, last sale, first stock */
		{ { 10, 0, 3, 7, 1800000000 - 2 * DAY, 1800000000 - 100 * DAY }, 1, 1, 0 },
		{ { 10, 0, 0, 10, 0, 1800000000 - 100 * DAY }, 1, 0, 1 },       /* never sold */
		{ { 10, 0, 0, 10, 1800000000 - 31 * DAY, 1800000000 - 100 * DAY }, 1, 0, 1 },
		{ { 10, 0, 0, 10, 1800000000 - 29 * DAY, 1800000000 - 100 * DAY }, 1, 0, 0 },
		{ { 0, 20, 0, 20, 0, 1800000000 - 5 * DAY }, 1, 0, 0 },        /* new arrival */
		{ { 0, 0, 0, 0, 0, 0 }, 0, 0, 0 },                              /* never stocked */
		{ { 0, 0, 2, -2, 1800000000 - DAY, 0 }, 1, 1, 0 },             /* pre-sale */
		{ { 5, 0, 5, 0, 1800000000 - 40 * DAY, 1800000000 - 100 * DAY }, 1, 1, 0 }, /* sold out */
	};
	int64_t stocked = 0, sold = 0, slow = 0;
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (inv_sku_stocked(&cases[i].p) != cases[i].stocked ||
		    inv_sku_sold(&cases[i].p) != cases[i].sold ||
		    inv_sku_slow(&cases[i].p, to, 30) != cases[i].slow)
			fail_msg("case %zu", i);
		stocked += inv_sku_stocked(&cases[i].p);
		sold += inv_sku_sold(&cases[i].p);
		slow += inv_sku_slow(&cases[i].p, to, 30);
	}
	assert_int_equal(stocked, 7);
	assert_int_equal(sold, 3);
	assert_int_equal(slow, 2);
	assert_int_equal(inv_sell_through_ppm(sold, stocked), 428571); /* 3/7 */
	assert_int_equal(inv_sell_through_ppm(2, 3), 666667);
	assert_int_equal(inv_sell_through_ppm(0, 0), 0);
	assert_int_equal(inv_sell_through_ppm(5, 5), 1000000);
	/* the window is a parameter: 60 days makes the 31-day-old sale recent */
	assert_int_equal(inv_sku_slow(&cases[2].p, to, 60), 0);
	assert_int_equal(inv_days_between(to - 3 * DAY - 5, to), 3);
	assert_int_equal(inv_days_between(0, to), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(codes),
		cmocka_unit_test(guard_table),
		cmocka_unit_test(expand_combos),
		cmocka_unit_test(parts_rules),
		cmocka_unit_test(combo_available),
		cmocka_unit_test(stocktake),
		cmocka_unit_test(sell_through),
	};
	return cmocka_run_group_tests_name("inventory", tests, NULL, NULL);
}
