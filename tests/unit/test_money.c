/* Unit tests for lib/money: parsing, formatting and the one rounding rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/money.h"
#include "lib/common.h"

struct parse_case {
	const char *in;
	int rc;
	int64_t fen;
	const char *msg_en; /* substring of the English message on failure, or NULL */
};

static const struct parse_case parse_cases[] = {
	/* the forms money.h promises */
	{ "12", 0, 1200, NULL },
	{ "12.3", 0, 1230, NULL },
	{ "12.30", 0, 1230, NULL },
	{ "-12.30", 0, -1230, NULL },
	{ "+5", 0, 500, NULL },
	{ "¥12.30", 0, 1230, NULL },
	{ "￥12.30", 0, 1230, NULL },
	{ "RMB 12.30", 0, 1230, NULL },
	{ "12.30元", 0, 1230, NULL },
	{ "1,234.50", 0, 123450, NULL },
	{ "1，234.50", 0, 123450, NULL },
	{ "１２.３０", 0, 1230, NULL },
	{ "  12.30  ", 0, 1230, NULL },
	{ "\t12.30\t", 0, 1230, NULL },
	{ "\xe3\x80\x80" "12.30" "\xe3\x80\x80", 0, 1230, NULL },
	{ "=\"12.30\"", 0, 1230, NULL },
	/* neighbours of those forms */
	{ "0", 0, 0, NULL },
	{ "0.00", 0, 0, NULL },
	{ "-0.00", 0, 0, NULL },
	{ "-0.05", 0, -5, NULL },
	{ "0.5", 0, 50, NULL },
	{ "007.50", 0, 750, NULL },
	{ "RMB12.30", 0, 1230, NULL },
	{ "rmb 12.30", 0, 1230, NULL },
	{ "RMB -1.00", 0, -100, NULL },
	{ "-¥12.30", 0, -1230, NULL },
	{ "¥-12.30", 0, -1230, NULL },
	{ "¥ 12.30", 0, 1230, NULL },
	{ "12.30 元", 0, 1230, NULL },
	{ "¥12.30元", 0, 1230, NULL },
	{ "123,456", 0, 12345600, NULL },
	{ "1,234,567.89", 0, 123456789, NULL },
	{ "１２３４．５", 0, 123450, NULL },
	{ "－5", 0, -500, NULL },
	{ "＋5", 0, 500, NULL },
	{ "=\" -1,000.01 \"", 0, -100001, NULL },
	{ " =\"12\" ", 0, 1200, NULL },
	{ "90000000000000", 0, MONEY_MAX_FEN, NULL },
	{ "90,000,000,000,000.00", 0, MONEY_MAX_FEN, NULL },
	{ "-90000000000000.00", 0, -MONEY_MAX_FEN, NULL },
	/* rejected */
	{ "", ERR_INVALID, 0, "empty" },
	{ "   ", ERR_INVALID, 0, "empty" },
	{ "\xe3\x80\x80", ERR_INVALID, 0, "empty" },
	{ "=\"\"", ERR_INVALID, 0, "empty" },
	{ "12.345", ERR_INVALID, 0, "two decimals" },
	{ "１２.３４５", ERR_INVALID, 0, "two decimals" },
	{ "0.001", ERR_INVALID, 0, "two decimals" },
	{ "abc", ERR_INVALID, 0, "not a valid" },
	{ "1,2,3", ERR_INVALID, 0, "separator" },
	{ "12,34.5", ERR_INVALID, 0, "separator" },
	{ "1,23", ERR_INVALID, 0, "separator" },
	{ "1234,567", ERR_INVALID, 0, "separator" },
	{ "1,234,", ERR_INVALID, 0, "separator" },
	{ "1,,234", ERR_INVALID, 0, "separator" },
	{ "1,234.5,6", ERR_INVALID, 0, "not a valid" },
	{ ",123", ERR_INVALID, 0, "not a valid" },
	{ "--1", ERR_INVALID, 0, "not a valid" },
	{ "+-1", ERR_INVALID, 0, "not a valid" },
	{ "-¥-1", ERR_INVALID, 0, "not a valid" },
	{ "- 12", ERR_INVALID, 0, "not a valid" },
	{ "99999999999999999999", ERR_INVALID, 0, "out of range" },
	{ "90000000000000.01", ERR_INVALID, 0, "out of range" },
	{ "-90000000000001", ERR_INVALID, 0, "out of range" },
	{ ".", ERR_INVALID, 0, "not a valid" },
	{ ".5", ERR_INVALID, 0, "not a valid" },
	{ "12.", ERR_INVALID, 0, "not a valid" },
	{ "12.3.4", ERR_INVALID, 0, "not a valid" },
	{ "¥", ERR_INVALID, 0, "not a valid" },
	{ "元", ERR_INVALID, 0, "not a valid" },
	{ "RMB", ERR_INVALID, 0, "not a valid" },
	{ "¥¥12", ERR_INVALID, 0, "not a valid" },
	{ "12元元", ERR_INVALID, 0, "not a valid" },
	{ "$12", ERR_INVALID, 0, "not a valid" },
	{ "12 USD", ERR_INVALID, 0, "not a valid" },
	{ "1 234", ERR_INVALID, 0, "not a valid" },
	{ "12e3", ERR_INVALID, 0, "not a valid" },
	{ "0x10", ERR_INVALID, 0, "not a valid" },
	{ "12\n", ERR_INVALID, 0, "not a valid" },
	{ "=12", ERR_INVALID, 0, "not a valid" },
	{ "\"12\"", ERR_INVALID, 0, "not a valid" },
	{ "\xff", ERR_INVALID, 0, "not a valid" },
	{ "\xef\xbc", ERR_INVALID, 0, "not a valid" },
	{ "十二", ERR_INVALID, 0, "not a valid" },
	{ "00000000000000000000000000000000000000000000000001", ERR_INVALID, 0, "not a valid" },
};

static void test_parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(parse_cases); i++) {
		const struct parse_case *c = &parse_cases[i];
		struct err err = ERR_INIT;
		int64_t fen = 777;
		int rc = money_parse(c->in, &fen, &err);
		if (rc != c->rc)
			fail_msg("case %zu \"%s\": rc %d, want %d (%s)", i, c->in, rc, c->rc,
				 err.msg_en);
		if (rc == 0 && fen != c->fen)
			fail_msg("case %zu \"%s\": %lld fen, want %lld", i, c->in, (long long)fen,
				 (long long)c->fen);
		if (rc != 0) {
			assert_int_equal(err.code, c->rc);
			assert_string_equal(err.field, "amount");
			assert_true(err.msg_zh[0] != '\0');
			if (!strstr(err.msg_en, c->msg_en))
				fail_msg("case %zu \"%s\": message \"%s\", want \"%s\"", i, c->in,
					 err.msg_en, c->msg_en);
			assert_int_equal(fen, 777); /* untouched on failure */
		}
	}
}

static void test_first_error_wins(void **state)
{
	struct err err = ERR_INIT;
	int64_t fen;

	(void)state;
	assert_int_equal(money_parse("12.345", &fen, &err), ERR_INVALID);
	assert_int_equal(money_parse("", &fen, &err), ERR_INVALID);
	assert_non_null(strstr(err.msg_en, "two decimals"));
	/* a NULL err is allowed: the code alone is enough for some callers */
	assert_int_equal(money_parse("x", &fen, NULL), ERR_INVALID);
}

static const struct {
	int64_t fen;
	const char *text;
} format_cases[] = {
	{ 0, "0.00" },
	{ 5, "0.05" },
	{ -5, "-0.05" },
	{ 50, "0.50" },
	{ 1230, "12.30" },
	{ -123450, "-1234.50" },
	{ 100, "1.00" },
	{ -100, "-1.00" },
	{ MONEY_MAX_FEN, "90000000000000.00" },
	{ -MONEY_MAX_FEN, "-90000000000000.00" },
	{ INT64_MAX, "92233720368547758.07" },
	{ INT64_MIN, "-92233720368547758.08" },
};

static void test_format_table(void **state)
{
	char buf[MONEY_BUF];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(format_cases); i++) {
		assert_ptr_equal(money_format(format_cases[i].fen, buf), buf);
		assert_string_equal(buf, format_cases[i].text);
	}
}

static void round_trip(int64_t fen)
{
	char buf[MONEY_BUF];
	struct err err = ERR_INIT;
	int64_t back = 0;

	money_format(fen, buf);
	if (money_parse(buf, &back, &err) != 0 || back != fen)
		fail_msg("round trip of %lld via \"%s\" gave %lld (%s)", (long long)fen, buf,
			 (long long)back, err.msg_en);
}

static void test_round_trip(void **state)
{
	(void)state;
	for (int64_t f = -2000; f <= 2000; f++)
		round_trip(f);
	for (int64_t f = 1; f < MONEY_MAX_FEN / 7; f *= 7) {
		round_trip(f);
		round_trip(-f);
		round_trip(f + 99);
	}
	round_trip(MONEY_MAX_FEN);
	round_trip(-MONEY_MAX_FEN);
}

static const struct {
	int64_t fen, ppm, want;
} ppm_cases[] = {
	{ 12345, 5000, 62 },   /* 61.725 rounds up */
	{ -12345, 5000, -62 }, /* and symmetrically down */
	{ 12345, -5000, -62 },
	{ -12345, -5000, 62 },
	{ 100, 5000, 1 },      /* exactly 0.5 goes away from zero */
	{ -100, 5000, -1 },
	{ 99, 5000, 0 },       /* 0.495 */
	{ 1, 500000, 1 },
	{ 1, 499999, 0 },
	{ -1, 500000, -1 },
	{ -1, 499999, 0 },
	{ 0, 5000, 0 },
	{ 12345, 0, 0 },
	{ 12345, 1000000, 12345 },
	{ 12345, 60000, 741 },  /* 740.7 */
	{ 99900, 970000, 96903 },
	{ MONEY_MAX_FEN, 1000000, MONEY_MAX_FEN },
	{ MONEY_MAX_FEN, 2000000, 2 * MONEY_MAX_FEN }, /* no intermediate overflow */
	{ -MONEY_MAX_FEN, 1, -9000000000 },
	{ INT64_MAX, INT64_MAX, INT64_MAX },   /* saturates */
	{ INT64_MAX, INT64_MIN, INT64_MIN },
};

static void test_mul_ppm(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(ppm_cases); i++) {
		int64_t got = money_mul_ppm(ppm_cases[i].fen, ppm_cases[i].ppm);
		if (got != ppm_cases[i].want)
			fail_msg("case %zu: %lld x %lld ppm = %lld, want %lld", i,
				 (long long)ppm_cases[i].fen, (long long)ppm_cases[i].ppm,
				 (long long)got, (long long)ppm_cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_first_error_wins),
		cmocka_unit_test(test_format_table),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_mul_ppm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
