/* ORD-9 / ORD-11 / ORD-12 pure rules: tracking numbers, courier names, bill
 * weights and months, line flags, fee outliers, who may acknowledge a handover. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/cal.h"
#include "lib/sb.h"
#include "lib/xalloc.h"
#include "orders/handover.h"
#include "orders/recon.h"
#include "orders/ship.h"

/* ---------------------------------------------------------------- ORD-9 */

static void test_tracking_norm(void **state)
{
	static const struct {
		const char *in, *out; /* out NULL = refused */
	} cases[] = {
		{ "YT1234567890123", "YT1234567890123" },
		{ "yt1234567890123", "YT1234567890123" },
		{ "75123456789012", "75123456789012" },
		{ "JDX000123456789-1-1", "JDX000123456789-1-1" },
		{ "7.51234567890123E+13", NULL }, /* Excel ate the digits */
		{ "7.5E13", NULL },
		{ "", NULL },
		{ "12345", NULL },                  /* too short */
		{ "YT 123456789", NULL },           /* a space inside */
		{ "YT123456789/1", NULL },
		{ "单号123456789", NULL },
		{ "A1234567890123456789012345678901234567890", NULL }, /* 41 */
	};
	char out[SHIP_TRACKING_MAX + 1];
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct err err = ERR_INIT;
		int rc = ship_tracking_norm(cases[i].in, out, &err);
		if (cases[i].out) {
			assert_int_equal(rc, 0);
			assert_string_equal(out, cases[i].out);
		} else {
			assert_int_equal(rc, ERR_UNPROCESSABLE);
			assert_true(err.msg_zh[0] != '\0');
		}
	}
	struct err err = ERR_INIT;
	assert_int_equal(ship_tracking_norm("7.51234E+13", out, &err), ERR_UNPROCESSABLE);
	assert_non_null(strstr(err.msg_zh, "科学计数法"));
}

static void test_order_no(void **state)
{
	struct err err = ERR_INIT;
	(void)state;
	assert_int_equal(ship_order_no_check("2026111100012345678", &err), 0);
	assert_int_equal(ship_order_no_check("", &err), ERR_UNPROCESSABLE);
	err_init(&err);
	assert_int_equal(ship_order_no_check("2.02611E+18", &err), ERR_UNPROCESSABLE);
	assert_non_null(strstr(err.msg_en, "scientific"));
}

static void test_courier_names(void **state)
{
	static const struct {
		const char *name, *key, *platform; /* platform NULL = unknown courier */
	} cases[] = {
		{ "圆通速递", "yto", "圆通速递" },   { "圆通快递", "yto", "圆通速递" },
		{ "圆通", "yto", "圆通速递" },       { " YTO ", "yto", "圆通速递" },
		{ "中通快递", "zto", "中通快递" },   { "ZTO Express", "zto", "中通快递" },
		{ "顺丰速运", "sf", "顺丰速运" },    { "顺丰", "sf", "顺丰速运" },
		{ "韵达快递", "yunda", "韵达快递" }, { "申通", "sto", "申通快递" },
		{ "邮政快递包裹", "post", "邮政快递包裹" }, { "中国邮政", "post", "邮政快递包裹" },
		{ "EMS", "ems", "EMS" },             { "百世汇通", "best", "百世快递" },
		{ "极兔速递", "jt", "极兔速递" },    { "京东物流", "jd", "京东快递" },
		{ "德邦快递", "deppon", "德邦快递" },
		{ "安能物流", "安能", NULL },        { "Some Courier", "somecourier", NULL },
		{ "\xE3\x80\x80中通\xE3\x80\x80", "zto", "中通快递" }, /* full-width spaces */
	};
	char key[SHIP_KEY_MAX];
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ship_courier_key(cases[i].name, key, sizeof key);
		assert_string_equal(key, cases[i].key);
		const char *p = ship_courier_platform_name(cases[i].name);
		if (cases[i].platform)
			assert_string_equal(p, cases[i].platform);
		else
			assert_null(p);
	}
	/* a short buffer never splits a character */
	ship_courier_key("安能物流", key, 5);
	assert_string_equal(key, "安");
}

static void test_csv_field(void **state)
{
	struct sb sb = SB_INIT;
	struct err err = ERR_INIT;
	(void)state;
	ship_csv_field(&sb, "plain");
	sb_addc(&sb, '|');
	ship_csv_field(&sb, "a,b");
	sb_addc(&sb, '|');
	ship_csv_field(&sb, "say \"hi\"");
	char *s = sb_take(&sb, &err);
	assert_string_equal(s, "plain|\"a,b\"|\"say \"\"hi\"\"\"");
	xfree(s);
}

/* ---------------------------------------------------------------- ORD-11 */

static void test_weight_parse(void **state)
{
	static const struct {
		const char *in;
		int unit_kg;
		int64_t g; /* -1 = refused */
	} cases[] = {
		{ "1.25", 1, 1250 },   { "1.250kg", 1, 1250 }, { "1.2 公斤", 1, 1200 },
		{ "0.3", 1, 300 },     { "2", 1, 2000 },       { "1.5KG", 0, 1500 },
		{ "850g", 1, 850 },    { "850 克", 1, 850 },   { "850", 0, 850 },
		{ "850.6", 0, 851 },   { "0.001", 1, 1 },      { "1000", 1, 1000000 },
		{ "1000.001", 1, -1 }, { "1.2345", 1, -1 },    { "0", 1, -1 },
		{ "", 1, -1 },         { "abc", 1, -1 },       { "1.2lb", 1, -1 },
		{ "-1", 1, -1 },       { "1..2", 1, -1 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct err err = ERR_INIT;
		int64_t g = 0;
		int rc = recon_weight_parse(cases[i].in, cases[i].unit_kg, &g, &err);
		if (cases[i].g < 0) {
			assert_int_equal(rc, ERR_UNPROCESSABLE);
		} else {
			assert_int_equal(rc, 0);
			assert_int_equal(g, cases[i].g);
		}
	}
}

static void test_header_unit(void **state)
{
	(void)state;
	assert_int_equal(recon_header_unit_kg("重量"), 1);
	assert_int_equal(recon_header_unit_kg("重量(kg)"), 1);
	assert_int_equal(recon_header_unit_kg("计费重量"), 1);
	assert_int_equal(recon_header_unit_kg("重量(g)"), 0);
	assert_int_equal(recon_header_unit_kg("重量（克）"), 0);
	assert_int_equal(recon_header_unit_kg("weight_g"), 0);
}

static void test_fee_parse(void **state)
{
	struct err err = ERR_INIT;
	int64_t fen;
	(void)state;
	assert_int_equal(recon_fee_parse("12.30", &fen, &err), 0);
	assert_int_equal(fen, 1230);
	assert_int_equal(recon_fee_parse("¥8", &fen, &err), 0);
	assert_int_equal(fen, 800);
	assert_int_equal(recon_fee_parse("-5.00", &fen, &err), 0); /* a credit */
	assert_int_equal(fen, -500);
	assert_int_equal(recon_fee_parse("", &fen, &err), ERR_UNPROCESSABLE);
	err_init(&err);
	assert_int_equal(recon_fee_parse("12.345", &fen, &err), ERR_UNPROCESSABLE);
	err_init(&err);
	assert_int_equal(recon_fee_parse("20000000", &fen, &err), ERR_UNPROCESSABLE);
}

static void test_period(void **state)
{
	struct cal_dt a = { 2026, 11, 1, 0, 0, 0 }, b = { 2026, 12, 1, 0, 0, 0 },
		      c = { 2027, 1, 1, 0, 0, 0 };
	int64_t from, to;
	char canon[8];
	struct err err = ERR_INIT;
	(void)state;
	static const char *const ok[] = { "2026-11", "2026/11", "202611" };
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(recon_period_parse(ok[i], &from, &to, canon, &err), 0);
		assert_int_equal(from, cal_utc_from_shanghai(&a));
		assert_int_equal(to, cal_utc_from_shanghai(&b));
		assert_string_equal(canon, "2026-11");
	}
	assert_int_equal(recon_period_parse("2026-12", &from, &to, canon, &err), 0);
	assert_int_equal(to, cal_utc_from_shanghai(&c));
	assert_int_equal(recon_period_parse("2026-1", &from, &to, canon, &err), 0);
	assert_string_equal(canon, "2026-01");
	static const char *const bad[] = { "2026-13", "2026-00", "26-11", "2026-11-05", "nov", "" };
	for (size_t i = 0; i < 6; i++) {
		err_init(&err);
		assert_int_equal(recon_period_parse(bad[i], &from, &to, canon, &err), ERR_UNPROCESSABLE);
		assert_string_equal(err.field, "period");
	}
}

static void test_line_flags(void **state)
{
	static const struct {
		int matched;
		int64_t billed, ours, tol;
		int dup, before;
		unsigned flags;
	} cases[] = {
		{ 1, 1000, 950, 100, 0, 0, 0 },
		{ 1, 1050, 950, 100, 0, 0, 0 },                  /* exactly the tolerance */
		{ 1, 1051, 950, 100, 0, 0, RECON_WEIGHT_OVER },
		{ 1, 2000, 850, 100, 0, 0, RECON_WEIGHT_OVER },
		{ 1, 700, 850, 100, 0, 0, RECON_WEIGHT_UNDER },
		{ 1, 750, 850, 100, 0, 0, 0 },
		{ 1, 1000, -1, 100, 0, 0, RECON_UNWEIGHED },
		{ 0, 1000, -1, 100, 0, 0, RECON_UNKNOWN },
		{ 0, 1000, -1, 100, 1, 0, RECON_UNKNOWN | RECON_DUPLICATE },
		{ 1, 1300, 850, 0, 1, 1, RECON_WEIGHT_OVER | RECON_DUPLICATE | RECON_BILLED_BEFORE },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(recon_line_flags(cases[i].matched, cases[i].billed, cases[i].ours,
						  cases[i].tol, cases[i].dup, cases[i].before),
				 cases[i].flags);
	assert_string_equal(recon_flag_name(0), "unknown");
	assert_string_equal(recon_flag_name(RECON_FLAG_COUNT - 1), "missing");
	assert_int_equal(1u << __builtin_ctz(RECON_FEE_HIGH), RECON_FEE_HIGH);
	assert_string_equal(recon_flag_name(__builtin_ctz(RECON_FEE_HIGH)), "fee_high");
}

static void test_brackets(void **state)
{
	(void)state;
	assert_int_equal(recon_bracket_kg(1), 1);
	assert_int_equal(recon_bracket_kg(1000), 1);
	assert_int_equal(recon_bracket_kg(1001), 2);
	assert_int_equal(recon_bracket_kg(2000), 2);
	assert_int_equal(recon_bracket_kg(2500), 3);
}

struct seen {
	struct recon_bracket b[8];
	int n;
};

static void bracket_seen(const struct recon_bracket *b, void *ctx)
{
	struct seen *s = ctx;
	s->b[s->n++] = *b;
}

static void test_fee_outliers(void **state)
{
	/* 1 kg bracket: 6 lines around 8.00, one at 12.00 (> 8.00 x 1.3 = 10.40);
	 * 2 kg bracket: 3 lines only (< fee_min_lines), not judged though one is dear;
	 * a credit line (-5.00) takes no part. */
	struct recon_fee v[] = {
		{ 1, 800, 800, 0 },  { 2, 300, 800, 0 },  { 3, 1000, 850, 0 }, { 4, 950, 1200, 0 },
		{ 5, 500, 780, 0 },  { 6, 990, 1040, 0 }, { 7, 1500, 1200, 0 }, { 8, 1800, 1300, 0 },
		{ 9, 1900, 5000, 0 }, { 10, 700, -500, 0 }, { 11, 600, 800, RECON_WEIGHT_OVER },
	};
	struct recon_policy p = RECON_POLICY_DEFAULT;
	struct seen s = { .n = 0 };
	(void)state;
	int64_t flagged = recon_fee_outliers(v, sizeof v / sizeof v[0], &p, bracket_seen, &s);
	assert_int_equal(flagged, 1);
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		int high = (v[i].flags & RECON_FEE_HIGH) != 0;
		assert_int_equal(high, v[i].id == 4);
		if (v[i].id == 11)
			assert_true(v[i].flags & RECON_WEIGHT_OVER); /* other flags kept */
	}
	assert_int_equal(s.n, 2);
	assert_int_equal(s.b[0].kg, 1);
	assert_int_equal(s.b[0].lines, 7);
	assert_int_equal(s.b[0].median_fen, 800);
	assert_int_equal(s.b[0].total_fen, 800 + 800 + 850 + 1200 + 780 + 1040 + 800);
	assert_int_equal(s.b[0].high, 1);
	assert_true(s.b[0].judged);
	assert_int_equal(s.b[1].kg, 2);
	assert_int_equal(s.b[1].lines, 3);
	assert_false(s.b[1].judged);
	assert_int_equal(s.b[1].high, 0);
	/* 1040 is 30 % above 800 exactly: not flagged (strictly more than the tolerance) */
	assert_int_equal(recon_fee_outliers(NULL, 0, &p, NULL, NULL), 0);
}

/* ---------------------------------------------------------------- ORD-12 */

static void test_handover_rules(void **state)
{
	struct auth_user sender = { 1, "night", ROLE_CS_PRESALE };
	struct auth_user named = { 2, "day", ROLE_CS_PRESALE };
	struct auth_user peer = { 3, "day2", ROLE_CS_PRESALE };
	struct auth_user other = { 4, "wh", ROLE_WAREHOUSE };
	struct auth_user lead = { 5, "lead", ROLE_CS_LEAD };
	struct auth_user boss = { 6, "boss", ROLE_BOSS };
	struct handover_parties to_named = { 1, 2, ROLE_CS_PRESALE };
	struct handover_parties to_role = { 1, 0, ROLE_CS_PRESALE };
	struct err err = ERR_INIT;
	(void)state;

	assert_true(handover_is_receiver(&to_named, &named));
	assert_false(handover_is_receiver(&to_named, &peer));
	assert_false(handover_is_receiver(&to_role, &sender)); /* not to oneself */
	assert_true(handover_is_receiver(&to_role, &peer));
	assert_false(handover_is_receiver(&to_role, &other));

	assert_int_equal(handover_may_ack(&to_named, &named, &err), 0);
	assert_int_equal(handover_may_ack(&to_named, &lead, &err), 0);
	assert_int_equal(handover_may_ack(&to_named, &boss, &err), 0);
	assert_int_equal(handover_may_ack(&to_named, &sender, &err), ERR_FORBIDDEN);
	err_init(&err);
	assert_int_equal(handover_may_ack(&to_named, &peer, &err), ERR_FORBIDDEN);
	err_init(&err);
	assert_int_equal(handover_may_ack(&to_role, &other, &err), ERR_FORBIDDEN);
	err_init(&err);

	assert_true(handover_may_see(&to_named, &sender));
	assert_true(handover_may_see(&to_named, &lead));
	assert_false(handover_may_see(&to_named, &other));
	assert_int_equal(handover_may_tick(&to_named, &sender, &err), 0);
	assert_int_equal(handover_may_tick(&to_named, &other, &err), ERR_FORBIDDEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tracking_norm), cmocka_unit_test(test_order_no),
		cmocka_unit_test(test_courier_names), cmocka_unit_test(test_csv_field),
		cmocka_unit_test(test_weight_parse),  cmocka_unit_test(test_header_unit),
		cmocka_unit_test(test_fee_parse),     cmocka_unit_test(test_period),
		cmocka_unit_test(test_line_flags),    cmocka_unit_test(test_brackets),
		cmocka_unit_test(test_fee_outliers),  cmocka_unit_test(test_handover_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
