/* Unit tests for lib/gbk: encoding detection and GBK -> UTF-8 through iconv.
 * GBK bytes were produced with `printf '买家会员名' | iconv -f UTF-8 -t GBK | xxd`. */
#include <iconv.h>
#include <setjmp.h>
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
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

/* iconv alone, as gbk_to_utf8 was before its table: the reference. */
static int ref_convert(const char *in, size_t n, struct sb *out, size_t *bad_at)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	char *ip = (char *)in;
	size_t left = n;
	int rc = 0;

	assert_true(cd != (iconv_t)-1);
	while (left > 0) {
		char chunk[64], *op = chunk;
		size_t room = sizeof chunk;
		size_t r = iconv(cd, &ip, &left, &op, &room);
		sb_add(out, chunk, (size_t)(op - chunk));
		if (r == (size_t)-1 && errno != E2BIG) {
			rc = -1;
			*bad_at = n - left;
			break;
		}
	}
	iconv_close(cd);
	return rc;
}

static void expect_same(const char *in, size_t n)
{
	struct sb got = SB_INIT, want = SB_INIT;
	struct err err = ERR_INIT;
	size_t bad_at = 0;
	char off[32];

	int rc = gbk_to_utf8(in, n, &got, &err);
	int ref = ref_convert(in, n, &want, &bad_at);
	assert_int_equal(rc != 0, ref != 0);
	assert_int_equal(got.len, want.len);
	assert_memory_equal(got.buf, want.buf, got.len);
	if (ref) {
		snprintf(off, sizeof off, "offset %zu", bad_at);
		assert_non_null(strstr(err.msg_en, off));
	}
	sb_release(&got);
	sb_release(&want);
}

/* The two-byte table gives iconv's characters, and iconv's errors at iconv's
 * offsets: every lead/trail pair alone and between ASCII, then random bytes
 * biased towards GBK's ranges (four-byte forms, bad and cut-off sequences). */
static void test_table_matches_iconv(void **state)
{
	uint32_t seed = 12345;
	(void)state;
	for (unsigned lead = 0x80; lead <= 0xFF; lead++) {
		for (unsigned trail = 0x00; trail <= 0xFF; trail++) {
			char b[6] = { 'a', (char)lead, (char)trail, 'z', (char)lead, (char)trail };
			expect_same(b + 1, 2);
			expect_same(b, 4);
			expect_same(b, 6);
		}
	}
	for (int i = 0; i < 20000; i++) {
		char b[40];
		size_t n = 0, want;
		seed = seed * 1103515245u + 12345u;
		want = (seed >> 16) % sizeof b;
		while (n < want) {
			seed = seed * 1103515245u + 12345u;
			unsigned r = seed >> 8;
			switch (r % 5) {
			case 0: b[n++] = (char)('a' + r % 26); break;
			case 1: b[n++] = (char)(0x30 + (r >> 3) % 10); break;
			default: b[n++] = (char)(0x81 + (r >> 3) % 127); break;
			}
		}
		expect_same(b, n);
	}
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
		cmocka_unit_test(test_table_matches_iconv),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
