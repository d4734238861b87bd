/* Unit tests for lib/gbk: encoding detection and GBK -> UTF-8 through iconv.
 * GBK bytes were produced with `printf '买家会员名' | iconv -f UTF-8 -t GBK | xxd`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/gbk.h"
#include "lib/sb.h"
#include "lib/utf8.h"
#include "lib/xalloc.h"
#include "lib/common.h"

#define GBK_BUYER "\xc2\xf2\xbc\xd2\xbb\xe1\xd4\xb1\xc3\xfb"       /* 买家会员名 */
#define GBK_HEADER "\xb6\xa9\xb5\xa5\xb1\xe0\xba\xc5,\xbd\xf0\xb6\xee" /* 订单编号,金额 */
#define GBK_PROVINCE "\xd5\xe3\xbd\xad\xca\xa1"                    /* 浙江省 */

struct detect_case {
	const char *bytes;
	size_t n;
	enum text_enc want;
};

#define D(s, want) { s, sizeof(s) - 1, want }

static const struct detect_case detect_cases[] = {
	D("", TEXT_ASCII),
	D("order_no,amount\r\n1,12.30\r\n", TEXT_ASCII),
	D("买家会员名", TEXT_UTF8),
	D("订单编号,金额\n1,¥12.30\n", TEXT_UTF8),
	D("\xef\xbb\xbf", TEXT_UTF8_BOM),
	D("\xef\xbb\xbf" "order_no", TEXT_UTF8_BOM),
	D("\xef\xbb\xbf" "买家", TEXT_UTF8_BOM),
	D(GBK_BUYER, TEXT_GBK),
	D(GBK_HEADER "\r\n", TEXT_GBK),
	D("id," GBK_PROVINCE, TEXT_GBK),
	D("abc\xc2", TEXT_GBK),          /* not valid UTF-8, so GBK (truncated, as it happens) */
	D("\xef\xbb", TEXT_GBK),         /* half a BOM is not a BOM */
};

static void test_detect(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(detect_cases); i++) {
		const struct detect_case *c = &detect_cases[i];
		enum text_enc got = text_detect(c->bytes, c->n);
		if (got != c->want)
			fail_msg("case %zu: detected %d, want %d", i, (int)got, (int)c->want);
	}
}

struct conv_case {
	const char *in;
	size_t n;
	int rc;
	const char *out;    /* what out holds afterwards: all of it, or the good prefix */
	const char *msg_en; /* substring of the message on failure */
};

#define V(s, rc, out, msg) { s, sizeof(s) - 1, rc, out, msg }

static const struct conv_case conv_cases[] = {
	V("", 0, "", NULL),
	V("plain ascii, 12.30\r\n", 0, "plain ascii, 12.30\r\n", NULL),
	V(GBK_BUYER, 0, "买家会员名", NULL),
	V(GBK_HEADER "\r\n", 0, "订单编号,金额\r\n", NULL),
	V(GBK_PROVINCE "\xba\xbc\xd6\xdd\xca\xd0", 0, "浙江省杭州市", NULL),
	V("\xa2\xe3", 0, "€", NULL),                       /* GB18030's euro */
	V("\x81\x30\x84\x36", 0, "¥", NULL),               /* a GB18030 four-byte sequence */
	V("\x94\x39\xfc\x36", 0, "😀", NULL),
	V("\x81\x20", ERR_INVALID, "", "offset 0"),
	V("ab\x81\x20", ERR_INVALID, "ab", "offset 2"),
	V(GBK_BUYER "\x81\x20tail", ERR_INVALID, "买家会员名", "offset 10"),
	V("\x80", ERR_INVALID, "", "offset 0"),
	V("\xff\xff", ERR_INVALID, "", "offset 0"),
	V("\xc2", ERR_INVALID, "", "offset 0"),
	V("\xc2\xf2\xbc\xd2\xc2", ERR_INVALID, "买家", "offset 4"),
	V("x\x81\x30\x84", ERR_INVALID, "x", "offset 1"),  /* truncated four-byte */
};

static void test_convert(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(conv_cases); i++) {
		const struct conv_case *c = &conv_cases[i];
		struct sb out = SB_INIT;
		struct err err = ERR_INIT;
		int rc = gbk_to_utf8(c->in, c->n, &out, &err);
		if (rc != c->rc)
			fail_msg("case %zu: rc %d, want %d (%s)", i, rc, c->rc, err.msg_en);
		if (strcmp(out.buf, c->out) != 0)
			fail_msg("case %zu: out \"%s\", want \"%s\"", i, out.buf, c->out);
		assert_true(utf8_valid(out.buf, out.len));
		if (rc) {
			assert_int_equal(err.code, ERR_INVALID);
			if (!strstr(err.msg_en, c->msg_en))
				fail_msg("case %zu: message \"%s\", want \"%s\"", i, err.msg_en,
					 c->msg_en);
			assert_non_null(strstr(err.msg_zh, c->msg_en + strlen("offset ")));
		}
		sb_release(&out);
	}
}

static void test_truncated_says_so(void **state)
{
	struct sb out = SB_INIT;
	struct err err = ERR_INIT;

	(void)state;
	assert_int_equal(gbk_to_utf8("ab\xc2", 3, &out, &err), ERR_INVALID);
	assert_non_null(strstr(err.msg_en, "truncated"));
	sb_release(&out);
}

/* Appends to what out already holds, and survives outputs bigger than the
 * internal chunk (1000 x 买家 = 6000 UTF-8 bytes). */
static void test_append_and_long(void **state)
{
	struct sb in = SB_INIT, out = SB_INIT;
	struct err err = ERR_INIT;

	(void)state;
	for (int i = 0; i < 1000; i++)
		sb_add(&in, "\xc2\xf2\xbc\xd2", 4);
	sb_adds(&out, ">");
	assert_int_equal(gbk_to_utf8(in.buf, in.len, &out, &err), 0);
	assert_int_equal(out.len, 1 + 6000);
	assert_memory_equal(out.buf, ">买家买家", strlen(">买家买家"));
	assert_string_equal(out.buf + out.len - 6, "买家");
	assert_true(utf8_valid(out.buf, out.len));
	sb_release(&in);
	sb_release(&out);
}

static void test_cap(void **state)
{
	struct sb out;
	struct err err = ERR_INIT;

	(void)state;
	sb_init(&out, 8);
	assert_int_equal(gbk_to_utf8(GBK_BUYER, sizeof GBK_BUYER - 1, &out, &err), ERR_TOO_LARGE);
	assert_int_equal(err.code, ERR_TOO_LARGE);
	sb_release(&out);
}

static void test_out_of_memory(void **state)
{
	struct sb out = SB_INIT;
	struct err err = ERR_INIT;

	(void)state;
	xalloc_fail_after(0);
	int rc = gbk_to_utf8(GBK_BUYER, sizeof GBK_BUYER - 1, &out, &err);
	xalloc_fail_after(-1);
	assert_int_equal(rc, ERR_NOMEM);
	assert_int_equal(err.code, ERR_NOMEM);
	sb_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_convert),
		cmocka_unit_test(test_truncated_says_so),
		cmocka_unit_test(test_append_and_long),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_out_of_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
