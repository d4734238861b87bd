/* Unit tests for lib/mask: what each role without PII rights sees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/mask.h"
#include "lib/sb.h"
#include "lib/utf8.h"
#include "lib/common.h"

struct mask_case {
	const char *in;
	const char *out;
};

static const struct mask_case phone_cases[] = {
	/* mainland mobiles */
	{ "13812345678", "138****5678" },
	{ "+8613812345678", "138****5678" },
	{ "+86 138 1234 5678", "138****5678" },
	{ "86-138-1234-5678", "138****5678" },
	{ "8613812345678", "138****5678" },
	{ "138 1234 5678", "138****5678" },
	{ "138-1234-5678", "138****5678" },
	{ " 13812345678\t", "138****5678" },
	{ "\xe3\x80\x80" "13812345678", "138****5678" },
	{ " +86 138 1234 5678", "138****5678" },
	/* landlines with area code */
	{ "0571-88886666", "0571-****6666" },
	{ "057188886666", "0571-****6666" },
	{ "(0571) 8888666", "0571-****8666" },
	{ "010-12345678", "010-****5678" },
	{ "021 6666 8888", "021-****8888" },
	{ "+86 010 1234 5678", "010-****5678" },
	/* anything else: at most the last four characters */
	{ "+1 415 555 0100", "****0100" },     /* not a mainland mobile */
	{ "+44 20 7946 0958", "****0958" },
	{ "138123456789", "****6789" },        /* 12 digits */
	{ "1381234567", "****4567" },          /* 10 digits */
	{ "0571-123", "****1123" },            /* 7 digits, too short for a landline */
	{ "1234567", "****4567" },
	{ "13812345678转123", "****转123" },
	{ "13812345678-1234", "****1234" },    /* privacy number with extension */
	/* short: fewer than 7 digits keep nothing */
	{ "123456", "****" },
	{ "12345", "****" },
	{ "110", "****" },
	{ "+", "****" },
	{ "abc", "****" },
	{ "无", "****" },
	{ "１３８１２３４５６７８", "****" },  /* full-width digits are not digits here */
	/* empty shows nothing, so no phone is not disguised as a masked one */
	{ "", "" },
	{ "   ", "" },
	{ "--", "" },
	/* not UTF-8: we cannot tell where characters end */
	{ "138\xff" "12345678", "****" },
	{ "\xe4\xb9", "****" },
};

static const struct mask_case address_cases[] = {
	{ "浙江省杭州市西湖区文三路90号", "浙江省杭州市西湖区****" },
	{ "浙江省杭州市淳安县千岛湖镇", "浙江省杭州市淳安县****" },
	{ "北京市朝阳区建国路88号", "北京市朝阳区****" },
	{ "上海市浦东新区张江路1号", "上海市浦东新区****" },
	{ "北京市通州区新华大街", "北京市通州区****" },
	{ "浙江省杭州市建德市新安江街道", "浙江省杭州市建德市****" },
	{ "浙江省义乌市稠城街道", "浙江省义乌市****" },
	{ "贵州省贵阳市云岩区中华北路", "贵州省贵阳市云岩区****" },
	{ "山东省济南市市中区经十路", "山东省济南市市中区****" },
	{ "广西壮族自治区南宁市青秀区民族大道", "广西壮族自治区南宁市青秀区****" },
	{ "内蒙古自治区阿拉善盟阿拉善左旗巴彦浩特镇", "内蒙古自治区阿拉善盟阿拉善左旗****" },
	{ "湖北省恩施土家族苗族自治州恩施市舞阳大道", "湖北省恩施土家族苗族自治州恩施市****" },
	{ "黑龙江省大兴安岭地区漠河市北极村", "黑龙江省大兴安岭地区漠河市****" },
	{ "香港特别行政区九龙城区太子道", "香港特别行政区九龙城区****" },
	{ "浙江省 杭州市 西湖区 文三路90号", "浙江省 杭州市 西湖区****" },
	{ "杭州市西湖区文三路", "杭州市西湖区****" },
	{ "广州天河区体育西路", "广州天河区****" },
	{ "西湖区文三路90号", "西湖区****" },
	{ "西湖区市场路8号", "西湖区****" },
	{ "浙江省杭州市西湖区", "浙江省杭州市西湖区****" },
	{ "  浙江省杭州市西湖区文三路", "浙江省杭州市西湖区****" },
	/* no marker: the first 6 characters, never more than half */
	{ "文三路90号 3幢201室", "文三路90号****" },
	{ "123 Main Street, Springfield", "123 Ma****" },
	{ "中山路12号", "中山路****" },
	{ "中山路12", "中山****" },
	{ "文三路", "文****" },
	{ "路", "****" },
	{ "😀😀😀😀😀😀😀😀", "😀😀😀😀****" },
	/* empty stays empty */
	{ "", "" },
	{ "\xe3\x80\x80 ", "" },
	/* not UTF-8 */
	{ "浙江省\xff杭州市", "****" },
	{ "\xe6\xb5", "****" },
};

typedef void mask_fn(const char *, struct sb *);

static void run_table(const struct mask_case *cases, size_t n, mask_fn *fn)
{
	for (size_t i = 0; i < n; i++) {
		struct sb out = SB_INIT;
		fn(cases[i].in, &out);
		if (strcmp(out.buf, cases[i].out) != 0)
			fail_msg("case %zu \"%s\": \"%s\", want \"%s\"", i, cases[i].in, out.buf,
				 cases[i].out);
		assert_true(utf8_valid(out.buf, out.len));
		sb_release(&out);
	}
}

static void test_phone_table(void **state)
{
	(void)state;
	run_table(phone_cases, ARRAY_SIZE(phone_cases), mask_phone);
}

static void test_address_table(void **state)
{
	(void)state;
	run_table(address_cases, ARRAY_SIZE(address_cases), mask_address);
}

/* Every prefix of a mixed-width address and phone (cut at character
 * boundaries) masks to valid UTF-8 that is shorter than or equal to "****" +
 * the input: masking never splits a character and never invents text. */
static void test_never_splits(void **state)
{
	const char *samples[] = {
		"新疆维吾尔自治区伊犁哈萨克自治州察布查尔锡伯自治县😀路1号",
		"电话：😀１３８ 1234 5678 转 ¥",
	};

	(void)state;
	for (size_t s = 0; s < ARRAY_SIZE(samples); s++) {
		size_t n = strlen(samples[s]);
		for (size_t cut = 0; cut <= n; cut++) {
			char buf[256];
			if (!utf8_valid(samples[s], cut))
				continue;
			memcpy(buf, samples[s], cut);
			buf[cut] = '\0';
			struct sb out = SB_INIT;
			mask_address(buf, &out);
			assert_true(utf8_valid(out.buf, out.len));
			assert_true(out.len <= cut + 4);
			sb_reset(&out);
			mask_phone(buf, &out);
			assert_true(utf8_valid(out.buf, out.len));
			sb_release(&out);
		}
	}
}

static void test_null_and_append(void **state)
{
	struct sb out = SB_INIT;

	(void)state;
	mask_phone(NULL, &out);
	mask_address(NULL, &out);
	assert_int_equal(out.len, 0);
	sb_adds(&out, "tel=");
	mask_phone("13812345678", &out);
	sb_adds(&out, " addr=");
	mask_address("北京市朝阳区建国路88号", &out);
	assert_string_equal(out.buf, "tel=138****5678 addr=北京市朝阳区****");
	sb_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_phone_table),
		cmocka_unit_test(test_address_table),
		cmocka_unit_test(test_never_splits),
		cmocka_unit_test(test_null_and_append),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
