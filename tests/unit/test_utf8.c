/* Unit tests for lib/utf8: well-formedness per RFC 3629 and code point counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/utf8.h"
#include "lib/common.h"

struct utf8_case {
	const char *bytes;
	size_t n;      /* explicit, so embedded NULs count */
	int valid;
	size_t chars;  /* code points, checked only when valid */
};

#define C(s, valid, chars) { s, sizeof(s) - 1, valid, chars }

static const struct utf8_case cases[] = {
	C("", 1, 0),
	C("abc", 1, 3),
	C("a\0b", 1, 3),                      /* U+0000 is well-formed */
	C("\x7f", 1, 1),
	C("\xc2\x80", 1, 1),                  /* U+0080, smallest 2-byte */
	C("\xc2\xa5", 1, 1),                  /* ¥ */
	C("\xdf\xbf", 1, 1),                  /* U+07FF */
	C("\xe0\xa0\x80", 1, 1),              /* U+0800, smallest 3-byte */
	C("买家会员名", 1, 5),
	C("订单编号,金额", 1, 7),
	C("\xed\x9f\xbf", 1, 1),              /* U+D7FF, just below the surrogates */
	C("\xee\x80\x80", 1, 1),              /* U+E000, just above */
	C("\xef\xbf\xbf", 1, 1),              /* U+FFFF */
	C("\xef\xbb\xbf", 1, 1),              /* BOM is a character */
	C("\xf0\x90\x80\x80", 1, 1),          /* U+10000, smallest 4-byte */
	C("\xf0\x9f\x98\x80", 1, 1),          /* emoji */
	C("\xf4\x8f\xbf\xbf", 1, 1),          /* U+10FFFF, the last code point */
	C("x\xe4\xb9\xb0y\xf0\x9f\x98\x80z", 1, 5),
	/* overlongs */
	C("\xc0\x80", 0, 0),
	C("\xc0\xaf", 0, 0),
	C("\xc1\xbf", 0, 0),
	C("\xe0\x80\xaf", 0, 0),
	C("\xe0\x9f\xbf", 0, 0),
	C("\xf0\x80\x80\xaf", 0, 0),
	C("\xf0\x8f\xbf\xbf", 0, 0),
	/* surrogates */
	C("\xed\xa0\x80", 0, 0),
	C("\xed\xad\xbf", 0, 0),
	C("\xed\xbf\xbf", 0, 0),
	C("\xed\xa0\xbd\xed\xb8\x80", 0, 0),  /* CESU-8 style pair */
	/* beyond U+10FFFF and never-valid bytes */
	C("\xf4\x90\x80\x80", 0, 0),
	C("\xf5\x80\x80\x80", 0, 0),
	C("\xf7\xbf\xbf\xbf", 0, 0),
	C("\xf8\x88\x80\x80\x80", 0, 0),
	C("\xfe", 0, 0),
	C("\xff", 0, 0),
	/* truncated */
	C("\xc2", 0, 0),
	C("\xe4\xb9", 0, 0),
	C("\xf0\x9f\x98", 0, 0),
	C("abc\xe4", 0, 0),
	/* stray or missing continuation bytes */
	C("\x80", 0, 0),
	C("\xbf", 0, 0),
	C("a\x80z", 0, 0),
	C("\xc2\x41", 0, 0),
	C("\xe4\x41\xb0", 0, 0),
	C("\xe4\xb9\x41", 0, 0),
	C("\xf0\x9f\x41\x80", 0, 0),
	C("\xe4\xb9\xb0\xb0", 0, 0),
	/* GBK bytes of 买家 are not UTF-8 */
	C("\xc2\xf2\xbc\xd2", 0, 0),
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct utf8_case *c = &cases[i];
		if (utf8_valid(c->bytes, c->n) != c->valid)
			fail_msg("case %zu: utf8_valid != %d", i, c->valid);
		if (c->valid && utf8_len(c->bytes, c->n) != c->chars)
			fail_msg("case %zu: utf8_len %zu, want %zu", i,
				 utf8_len(c->bytes, c->n), c->chars);
	}
}

/* Every proper prefix that cuts a character is invalid; every cut between
 * characters is valid. */
static void test_every_cut(void **state)
{
	const char *s = "a¥买😀z";
	size_t n = strlen(s);
	const size_t boundaries[] = { 0, 1, 3, 6, 10, 11 };
	size_t b = 0;

	(void)state;
	for (size_t cut = 0; cut <= n; cut++) {
		int at_boundary = b < ARRAY_SIZE(boundaries) && boundaries[b] == cut;
		if (utf8_valid(s, cut) != at_boundary)
			fail_msg("cut at %zu", cut);
		if (at_boundary) {
			assert_int_equal(utf8_len(s, cut), b);
			b++;
		}
	}
}

/* The n argument is honoured: bytes past it are never looked at. */
static void test_length_bound(void **state)
{
	(void)state;
	assert_true(utf8_valid("ab\xff", 2));
	assert_false(utf8_valid("ab\xff", 3));
	assert_false(utf8_valid("\xe4\xb9\xb0", 2));
	assert_int_equal(utf8_len("买家", 3), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_every_cut),
		cmocka_unit_test(test_length_bound),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
