/*
 * SPEC ORD-6 "three checks": addresses (orders/address) against the embedded
 * national division list, and phone numbers (orders/phone). Tables of the forms
 * buyers and platforms write, the special cases of the data (municipalities,
 * county-level units under a province, cities without districts), ambiguous
 * district names, and what is refused and why. One test walks every
 * county-level area in the data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/xalloc.h"
#include "orders/address.h"
#include "orders/phone.h"
#include "lib/common.h"

static struct addr_table *table;

static int setup(void **state)
{
	struct err err = ERR_INIT;
	(void)state;
	const struct embed_file *f = &addr_division_files[0];
	if (!f->name || strcmp(f->name, "divisions.tsv") != 0)
		return -1;
	if (addr_table_new((const char *)f->data, f->len, &table, &err))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	addr_table_free(table);
	return 0;
}

/* ------------------------------------------------------------ accepted forms */

static const struct {
	const char *in;
	uint32_t p, c, d;
	const char *street;
	const char *postcode;
	const char *label; /* addr_city_label */
} ok_cases[] = {
	/* Taobao's export: spaces between levels, postcode in parentheses */
	{ "浙江省 杭州市 西湖区 文三路90号(310012)", 33, 3301, 330106, "文三路90号", "310012", "杭州市" },
	{ "浙江省 杭州市 西湖区 文三路90号（310012）", 33, 3301, 330106, "文三路90号", "310012", "杭州市" },
	{ "浙江省 杭州市 西湖区 文三路 90号 (310012)", 33, 3301, 330106, "文三路 90号", "310012", "杭州市" },
	/* typed by people */
	{ "浙江杭州市西湖区文三路90号", 33, 3301, 330106, "文三路90号", "", "杭州市" },
	{ "浙江省杭州市西湖区文三路90号", 33, 3301, 330106, "文三路90号", "", "杭州市" },
	{ "浙江杭州西湖区文三路90号", 33, 3301, 330106, "文三路90号", "", "杭州市" },
	{ "杭州市西湖区文三路90号", 33, 3301, 330106, "文三路90号", "", "杭州市" },
	{ "杭州西湖区文三路90号", 33, 3301, 330106, "文三路90号", "", "杭州市" },
	{ "浙江省西湖区文三路90号", 33, 3301, 330106, "文三路90号", "", "杭州市" },
	{ "　浙江省　杭州市　西湖区　文三路90号", 33, 3301, 330106, "文三路90号", "", "杭州市" },
	{ " 浙江省,杭州市,西湖区,文三路90号 ", 33, 3301, 330106, "文三路90号", "", "杭州市" },
	{ "浙江省，杭州市，西湖区，文三路90号", 33, 3301, 330106, "文三路90号", "", "杭州市" },
	{ "浙江省/杭州市/西湖区/文三路90号", 33, 3301, 330106, "文三路90号", "", "杭州市" },
	{ "310012 浙江省杭州市西湖区文三路90号", 33, 3301, 330106, "文三路90号", "310012", "杭州市" },
	{ "(310012)浙江省杭州市西湖区文三路90号", 33, 3301, 330106, "文三路90号", "310012", "杭州市" },
	{ "浙江省杭州市西湖区文三路90号 310012", 33, 3301, 330106, "文三路90号", "310012", "杭州市" },
	{ "浙江省杭州市西湖区文三路90号 邮编：310012", 33, 3301, 330106, "文三路90号", "310012", "杭州市" },
	{ "中国 浙江省 杭州市 西湖区 文三路90号", 33, 3301, 330106, "文三路90号", "", "杭州市" },
	{ "中国大陆浙江省杭州市西湖区文三路90号", 33, 3301, 330106, "文三路90号", "", "杭州市" },
	/* a house number's digits are not a postcode */
	{ "浙江省杭州市西湖区文三路90号310012", 33, 3301, 330106, "文三路90号310012", "", "杭州市" },
	/* municipalities: the city level is 市辖区 (or 县 for Chongqing's counties) */
	{ "北京市朝阳区建国路1号", 11, 1101, 110105, "建国路1号", "", "北京市" },
	{ "北京 北京市 朝阳区 建国路1号", 11, 1101, 110105, "建国路1号", "", "北京市" },
	{ "北京市 北京市 朝阳区 建国路1号", 11, 1101, 110105, "建国路1号", "", "北京市" },
	{ "北京市市辖区朝阳区建国路1号", 11, 1101, 110105, "建国路1号", "", "北京市" },
	{ "上海市上海市浦东新区世纪大道1号", 31, 3101, 310115, "世纪大道1号", "", "上海市" },
	{ "上海浦东新区世纪大道1号", 31, 3101, 310115, "世纪大道1号", "", "上海市" },
	{ "天津市和平区南京路1号", 12, 1201, 120101, "南京路1号", "", "天津市" },
	{ "重庆市渝中区解放碑1号", 50, 5001, 500103, "解放碑1号", "", "重庆市" },
	{ "重庆 重庆市 城口县 葛城街道1号", 50, 5002, 500229, "葛城街道1号", "", "重庆市" },
	/* autonomous regions, full and short */
	{ "新疆维吾尔自治区 乌鲁木齐市 天山区 解放路1号", 65, 6501, 650102, "解放路1号", "", "乌鲁木齐市" },
	{ "新疆乌鲁木齐市天山区解放路1号", 65, 6501, 650102, "解放路1号", "", "乌鲁木齐市" },
	{ "内蒙古 呼和浩特市 新城区 中山路1号", 15, 1501, 150102, "中山路1号", "", "呼和浩特市" },
	{ "内蒙古自治区呼和浩特市新城区中山路1号", 15, 1501, 150102, "中山路1号", "", "呼和浩特市" },
	{ "广西南宁市青秀区民族大道1号", 45, 4501, 450103, "民族大道1号", "", "南宁市" },
	{ "广西壮族自治区南宁市青秀区民族大道1号", 45, 4501, 450103, "民族大道1号", "", "南宁市" },
	{ "宁夏银川市兴庆区解放街1号", 64, 6401, 640104, "解放街1号", "", "银川市" },
	{ "西藏拉萨市城关区北京中路1号", 54, 5401, 540102, "北京中路1号", "", "拉萨市" },
	{ "黑龙江哈尔滨市南岗区红军街1号", 23, 2301, 230103, "红军街1号", "", "哈尔滨市" },
	/* prefectures, leagues and districts (地区, 盟, 自治州) with short names */
	{ "内蒙古锡林郭勒盟锡林浩特市额尔敦路1号", 15, 1525, 152502, "额尔敦路1号", "", "锡林郭勒盟" },
	{ "内蒙古锡林郭勒锡林浩特市额尔敦路1号", 15, 1525, 152502, "额尔敦路1号", "", "锡林郭勒盟" },
	{ "延边州延吉市人民路1号", 22, 2224, 222401, "人民路1号", "", "延边朝鲜族自治州" },
	{ "吉林省延边朝鲜族自治州延吉市人民路1号", 22, 2224, 222401, "人民路1号", "", "延边朝鲜族自治州" },
	{ "湖北恩施州恩施市舞阳大街1号", 42, 4228, 422801, "舞阳大街1号", "", "恩施土家族苗族自治州" },
	{ "贵州黔东南凯里市北京东路1号", 52, 5226, 522601, "北京东路1号", "", "黔东南苗族侗族自治州" },
	{ "云南大理州大理市人民路1号", 53, 5329, 532901, "人民路1号", "", "大理白族自治州" },
	{ "云南西双版纳景洪市勐泐大道1号", 53, 5328, 532801, "勐泐大道1号", "", "西双版纳傣族自治州" },
	{ "新疆伊犁州伊宁市解放路1号", 65, 6540, 654002, "解放路1号", "", "伊犁哈萨克自治州" },
	{ "新疆阿克苏地区阿克苏市解放路1号", 65, 6529, 652901, "解放路1号", "", "阿克苏地区" },
	{ "青海海西州格尔木市昆仑路1号", 63, 6328, 632801, "昆仑路1号", "", "海西蒙古族藏族自治州" },
	/* 海南: the province and 青海's 海南藏族自治州 share the short name */
	{ "海南海口市龙华区滨海大道1号", 46, 4601, 460106, "滨海大道1号", "", "海口市" },
	{ "海南州共和县恰卜恰镇1号", 63, 6325, 632521, "恰卜恰镇1号", "", "海南藏族自治州" },
	{ "青海省海南藏族自治州共和县恰卜恰镇1号", 63, 6325, 632521, "恰卜恰镇1号", "", "海南藏族自治州" },
	/* 吉林: the province and the city */
	{ "吉林市昌邑区解放路1号", 22, 2202, 220202, "解放路1号", "", "吉林市" },
	{ "吉林省吉林市昌邑区解放路1号", 22, 2202, 220202, "解放路1号", "", "吉林市" },
	{ "吉林吉林市昌邑区解放路1号", 22, 2202, 220202, "解放路1号", "", "吉林市" },
	/* county-level units under the province (省直辖县级行政区划) */
	{ "湖北省仙桃市沙嘴街道1号", 42, 4290, 429004, "沙嘴街道1号", "", "仙桃市" },
	{ "湖北 仙桃市 仙桃市 沙嘴街道1号", 42, 4290, 429004, "沙嘴街道1号", "", "仙桃市" },
	{ "湖北省 省直辖县级行政区划 仙桃市 沙嘴街道1号", 42, 4290, 429004, "沙嘴街道1号", "", "仙桃市" },
	{ "仙桃市沙嘴街道1号", 42, 4290, 429004, "沙嘴街道1号", "", "仙桃市" },
	{ "湖北神农架林区松柏镇1号", 42, 4290, 429021, "松柏镇1号", "", "神农架林区" },
	{ "河南省济源市济水大道1号", 41, 4190, 419001, "济水大道1号", "", "济源市" },
	{ "海南省琼海市嘉积镇1号", 46, 4690, 469002, "嘉积镇1号", "", "琼海市" },
	{ "新疆 石河子市 北泉镇1号", 65, 6590, 659001, "北泉镇1号", "", "石河子市" },
	/* prefecture-level cities without districts: the one area of the same name */
	{ "海南省儋州市那大镇1号", 46, 4604, 460400, "那大镇1号", "", "儋州市" },
	{ "广东省东莞市南城街道1号", 44, 4419, 441900, "南城街道1号", "", "东莞市" },
	{ "广东省 东莞市 东莞市 南城街道1号", 44, 4419, 441900, "南城街道1号", "", "东莞市" },
	{ "广东中山市石岐街道1号", 44, 4420, 442000, "石岐街道1号", "", "中山市" },
	{ "甘肃省嘉峪关市新华路1号", 62, 6202, 620201, "新华路1号", "", "嘉峪关市" },
	{ "嘉峪关市新华路1号", 62, 6202, 620201, "新华路1号", "", "嘉峪关市" },
	/* duplicate district names, settled by the city or the province */
	{ "北京市朝阳区朝阳路1号", 11, 1101, 110105, "朝阳路1号", "", "北京市" },
	{ "长春市朝阳区人民大街1号", 22, 2201, 220104, "人民大街1号", "", "长春市" },
	{ "吉林省朝阳区人民大街1号", 22, 2201, 220104, "人民大街1号", "", "长春市" },
	{ "江苏南京鼓楼区中山路1号", 32, 3201, 320106, "中山路1号", "", "南京市" },
	{ "南京鼓楼区中山路1号", 32, 3201, 320106, "中山路1号", "", "南京市" },
	{ "徐州市鼓楼区中山路1号", 32, 3203, 320302, "中山路1号", "", "徐州市" },
	{ "福建省鼓楼区五四路1号", 35, 3501, 350102, "五四路1号", "", "福州市" },
	{ "南昌市西湖区洪城路1号", 36, 3601, 360103, "洪城路1号", "", "南昌市" },
	{ "深圳市龙华区人民路1号", 44, 4403, 440309, "人民路1号", "", "深圳市" },
	{ "辽宁省大连市中山区人民路1号", 21, 2102, 210202, "人民路1号", "", "大连市" },
	/* development zones are county-level units in the source */
	{ "石家庄高新技术产业开发区长江大道1号", 13, 1301, 130171, "长江大道1号", "", "石家庄市" },
	/* the street may contain separators of its own */
	{ "浙江省 杭州市 西湖区 西溪街道 文三路 90号 3幢", 33, 3301, 330106, "西溪街道 文三路 90号 3幢", "", "杭州市" },
};

static void test_ok_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof ok_cases / sizeof ok_cases[0]; i++) {
		struct addr_result r;
		struct err err = ERR_INIT;
		int rc = addr_parse(table, ok_cases[i].in, strlen(ok_cases[i].in), &r, &err);
		if (rc)
			print_error("case %zu \"%s\": %s\n", i, ok_cases[i].in, err.msg_en);
		assert_int_equal(rc, 0);
		if (r.province.code != ok_cases[i].p || r.city.code != ok_cases[i].c ||
		    r.district.code != ok_cases[i].d)
			print_error("case %zu \"%s\": got %u %u %u\n", i, ok_cases[i].in,
				    r.province.code, r.city.code, r.district.code);
		assert_int_equal(r.province.code, ok_cases[i].p);
		assert_int_equal(r.city.code, ok_cases[i].c);
		assert_int_equal(r.district.code, ok_cases[i].d);
		assert_non_null(r.street);
		assert_int_equal(r.street_len, strlen(ok_cases[i].street));
		assert_memory_equal(r.street, ok_cases[i].street, r.street_len);
		assert_string_equal(r.postcode, ok_cases[i].postcode);
		assert_string_equal(addr_city_label(&r), ok_cases[i].label);
		/* the names come from the table, and match the codes */
		assert_string_equal(r.province.name, addr_code_name(table, r.province.code));
		assert_string_equal(r.city.name, addr_code_name(table, r.city.code));
		assert_string_equal(r.district.name, addr_code_name(table, r.district.code));
	}
}

static void test_placeholder_flag(void **state)
{
	static const struct {
		const char *in;
		unsigned flags;
	} cases[] = {
		{ "北京市朝阳区建国路1号", ADDR_CITY_PLACEHOLDER },
		{ "湖北省仙桃市沙嘴街道1号", ADDR_CITY_PLACEHOLDER },
		{ "重庆市城口县葛城街道1号", ADDR_CITY_PLACEHOLDER },
		{ "广东省东莞市南城街道1号", 0 },
		{ "杭州市西湖区文三路90号", 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct addr_result r;
		struct err err = ERR_INIT;
		assert_int_equal(addr_parse(table, cases[i].in, strlen(cases[i].in), &r, &err), 0);
		assert_int_equal(r.flags, cases[i].flags);
	}
}

/* ------------------------------------------------------------- refusals */

static const struct {
	const char *in;
	int code;
	const char *zh, *en;     /* substrings of the messages */
	uint32_t p, c;           /* levels still reported */
} bad_cases[] = {
	{ "", ERR_UNPROCESSABLE, "地址为空", "address is empty", 0, 0 },
	{ "   　 ", ERR_UNPROCESSABLE, "地址为空", "address is empty", 0, 0 },
	{ ",,,,", ERR_UNPROCESSABLE, "地址为空", "address is empty", 0, 0 },
	{ "(310012)", ERR_UNPROCESSABLE, "地址为空", "address is empty", 0, 0 },
	{ "hello world", ERR_UNPROCESSABLE, "找不到省份或城市", "no province or city", 0, 0 },
	{ "12345", ERR_UNPROCESSABLE, "找不到省份或城市", "no province or city", 0, 0 },
	{ "文三路90号", ERR_UNPROCESSABLE, "找不到省份或城市", "no province or city", 0, 0 },
	{ "火星省火星市火星区1号", ERR_UNPROCESSABLE, "未知的省份「火星省」", "unknown province \"火星省\"", 0, 0 },
	{ "火星市火星区1号", ERR_UNPROCESSABLE, "未知的城市「火星市」", "unknown city \"火星市\"", 0, 0 },
	{ "火星区文三路1号", ERR_UNPROCESSABLE, "未知的区县「火星区」", "unknown district \"火星区\"", 0, 0 },
	/* missing levels */
	{ "浙江省杭州市文三路90号", ERR_UNPROCESSABLE, "地址缺少区县", "address has no district", 33, 3301 },
	{ "浙江省 杭州市 西湖文化广场1号", ERR_UNPROCESSABLE, "地址缺少区县", "address has no district", 33, 3301 },
	{ "浙江省文三路90号", ERR_UNPROCESSABLE, "地址缺少城市", "address has no city", 33, 0 },
	{ "浙江省", ERR_UNPROCESSABLE, "地址缺少城市", "address has no city", 33, 0 },
	{ "北京市北京市", ERR_UNPROCESSABLE, "地址缺少区县", "address has no district", 11, 0 },
	{ "北京市建国路1号", ERR_UNPROCESSABLE, "地址缺少区县", "address has no district", 11, 0 },
	{ "浙江省杭州市西湖区", ERR_UNPROCESSABLE, "缺少详细地址", "no street", 33, 3301 },
	{ "浙江省 杭州市 西湖区 (310012)", ERR_UNPROCESSABLE, "缺少详细地址", "no street", 33, 3301 },
	/* unknown names */
	{ "浙江省火星市西湖区1号", ERR_UNPROCESSABLE, "未知的城市「火星市」", "unknown city \"火星市\"", 33, 0 },
	{ "浙江省杭州市火星区文三路90号", ERR_UNPROCESSABLE, "未知的区县「火星区」", "unknown district \"火星区\"", 33, 3301 },
	{ "浙江省 杭州市 火星县 文三路90号", ERR_UNPROCESSABLE, "未知的区县「火星县」", "unknown district \"火星县\"", 33, 3301 },
	/* a level that does not belong to the one above */
	{ "浙江省 南京市 玄武区 中山路1号", ERR_UNPROCESSABLE, "城市「南京市」不属于浙江省", "city 南京市 is not in 浙江省", 33, 0 },
	{ "浙江南京市玄武区中山路1号", ERR_UNPROCESSABLE, "城市「南京市」不属于浙江省", "city 南京市 is not in 浙江省", 33, 0 },
	{ "北京市 北京市 杭州市 西湖区 1号", ERR_UNPROCESSABLE, "城市「杭州市」不属于北京市", "city 杭州市 is not in 北京市", 11, 0 },
	{ "浙江省杭州市玄武区文三路90号", ERR_UNPROCESSABLE, "区县「玄武区」不属于杭州市", "district 玄武区 is not in 杭州市", 33, 3301 },
	{ "浙江省玄武区中山路1号", ERR_UNPROCESSABLE, "区县「玄武区」不属于浙江省", "district 玄武区 is not in 浙江省", 33, 0 },
	{ "北京市浦东新区世纪大道1号", ERR_UNPROCESSABLE, "区县「浦东新区」不属于北京市", "district 浦东新区 is not in 北京市", 11, 0 },
	{ "浙江省杭州市宁波市海曙区1号", ERR_UNPROCESSABLE, "两个城市（杭州市、宁波市）", "two cities (杭州市, 宁波市)", 33, 3301 },
	{ "湖北省东莞市南城街道1号", ERR_UNPROCESSABLE, "城市「东莞市」不属于湖北省", "city 东莞市 is not in 湖北省", 42, 0 },
	/* ambiguous without the city */
	{ "朝阳区建国路1号", ERR_UNPROCESSABLE, "区县「朝阳区」有多个同名（北京市、吉林省长春市）",
	  "district 朝阳区 is ambiguous (北京市, 吉林省长春市)", 0, 0 },
	{ "鼓楼区中山路1号", ERR_UNPROCESSABLE, "有多个同名", "江苏省南京市, 江苏省徐州市, 福建省福州市, 河南省开封市", 0, 0 },
	{ "江苏省鼓楼区中山路1号", ERR_UNPROCESSABLE, "有多个同名（江苏省南京市、江苏省徐州市）",
	  "district 鼓楼区 is ambiguous (江苏省南京市, 江苏省徐州市)", 32, 0 },
	{ "西湖区文三路90号", ERR_UNPROCESSABLE, "区县「西湖区」有多个同名", "district 西湖区 is ambiguous", 0, 0 },
	{ "龙华区人民路1号", ERR_UNPROCESSABLE, "区县「龙华区」有多个同名", "name the city", 0, 0 },
	{ "城区1号", ERR_UNPROCESSABLE, "区县「城区」有多个同名", "is ambiguous", 0, 0 },
	/* not text */
	{ "浙江省\xff杭州市西湖区1号", ERR_INVALID, "UTF-8", "UTF-8", 0, 0 },
	{ "\xe6\xb5", ERR_INVALID, "UTF-8", "UTF-8", 0, 0 },  /* truncated 浙 */
	{ "\xc0\xaf", ERR_INVALID, "UTF-8", "UTF-8", 0, 0 },
};

static void test_bad_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		struct addr_result r;
		struct err err = ERR_INIT;
		int rc = addr_parse(table, bad_cases[i].in, strlen(bad_cases[i].in), &r, &err);
		if (rc != bad_cases[i].code || !strstr(err.msg_zh, bad_cases[i].zh) ||
		    !strstr(err.msg_en, bad_cases[i].en))
			print_error("case %zu \"%s\": rc %d, %s / %s\n", i, bad_cases[i].in, rc,
				    err.msg_zh, err.msg_en);
		assert_int_equal(rc, bad_cases[i].code);
		assert_int_equal(err.code, bad_cases[i].code);
		assert_string_equal(err.field, "address");
		assert_non_null(strstr(err.msg_zh, bad_cases[i].zh));
		assert_non_null(strstr(err.msg_en, bad_cases[i].en));
		assert_null(r.street);
		assert_int_equal(r.province.code, bad_cases[i].p);
		assert_int_equal(r.city.code, bad_cases[i].c);
	}
}

static void test_nul_and_length(void **state)
{
	struct addr_result r;
	struct err err = ERR_INIT;
	static const char with_nul[] = "浙江省杭州市西湖区\0文三路90号";
	(void)state;

	assert_int_equal(addr_parse(table, with_nul, sizeof with_nul - 1, &r, &err), ERR_INVALID);

	char *big = xmalloc(ADDR_MAX_BYTES + 2);
	assert_non_null(big);
	const char *head = "浙江省杭州市西湖区";
	size_t hl = strlen(head);
	memcpy(big, head, hl);
	memset(big + hl, 'a', ADDR_MAX_BYTES + 1 - hl);
	err_init(&err);
	assert_int_equal(addr_parse(table, big, ADDR_MAX_BYTES, &r, &err), 0);
	assert_int_equal(r.street_len, ADDR_MAX_BYTES - hl);
	err_init(&err);
	assert_int_equal(addr_parse(table, big, ADDR_MAX_BYTES + 1, &r, &err), ERR_UNPROCESSABLE);
	assert_non_null(strstr(err.msg_en, "too long"));
	xfree(big);
}

/* The input need not be NUL-terminated: only s[0..n) is read. */
static void test_not_terminated(void **state)
{
	struct addr_result r;
	struct err err = ERR_INIT;
	const char *s = "杭州市西湖区文三路90号XXXX";
	(void)state;
	assert_int_equal(addr_parse(table, s, strlen(s) - 4, &r, &err), 0);
	assert_int_equal(r.street_len, strlen("文三路90号"));
	assert_memory_equal(r.street, "文三路90号", r.street_len);
}

/* ------------------------------------------------------- the whole data set */

struct row {
	uint32_t code, parent;
	int level;
	char name[128];
};

static size_t load_rows(struct row **out)
{
	const struct embed_file *f = &addr_division_files[0];
	const char *s = (const char *)f->data, *end = s + f->len;
	size_t n = 0, cap = 4096;
	struct row *rows = xcalloc(cap, sizeof *rows);

	assert_non_null(rows);
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
		if (len && *s != '#') {
			unsigned code, parent;
			int level, off = 0;
			char line[256];
			assert_true(len < sizeof line);
			memcpy(line, s, len);
			line[len] = '\0';
			assert_int_equal(sscanf(line, "%u\t%u\t%d\t%n", &code, &parent, &level, &off), 3);
			assert_true(n < cap);
			rows[n].code = code;
			rows[n].parent = parent;
			rows[n].level = level;
			snprintf(rows[n].name, sizeof rows[n].name, "%s", line + off);
			n++;
		}
		s += len + 1;
	}
	*out = rows;
	return n;
}

static const struct row *row_of(const struct row *rows, size_t n, uint32_t code)
{
	for (size_t i = 0; i < n; i++)
		if (rows[i].code == code)
			return &rows[i];
	return NULL;
}

/*
 * Every county-level area, written the way Taobao writes it ("省 市 区 街道"),
 * parses back to itself; so does "市 区 街道" without the province. For a
 * placeholder city (市辖区 / 县 / 省直辖县级行政区划) Taobao writes the
 * municipality or the unit itself at the city level.
 */
static void test_every_area(void **state)
{
	struct row *rows;
	size_t n = load_rows(&rows), checked = 0;
	(void)state;

	assert_int_equal(n, addr_table_count(table, 0));
	assert_int_equal(addr_table_count(table, 1), 31);
	assert_int_equal(addr_table_count(table, 2), 342);
	assert_int_equal(addr_table_count(table, 3), 2978);
	for (size_t i = 0; i < n; i++) {
		if (rows[i].level != 3)
			continue;
		const struct row *c = row_of(rows, n, rows[i].parent);
		const struct row *p = row_of(rows, n, c->parent);
		int placeholder = !strcmp(c->name, "市辖区") || !strcmp(c->name, "县") ||
				  strstr(c->name, "直辖县级行政区划") != NULL;
		const char *cname = !placeholder ? c->name
				  : strstr(c->name, "直辖") ? rows[i].name : p->name;
		char in[512];
		struct addr_result r;
		struct err err = ERR_INIT;

		snprintf(in, sizeof in, "%s %s %s 幸福路1号", p->name, cname, rows[i].name);
		int rc = addr_parse(table, in, strlen(in), &r, &err);
		if (rc || r.district.code != rows[i].code)
			print_error("\"%s\": rc %d %s, district %u\n", in, rc, err.msg_en, r.district.code);
		assert_int_equal(rc, 0);
		assert_int_equal(r.district.code, rows[i].code);
		assert_int_equal(r.city.code, c->code);
		assert_int_equal(r.province.code, p->code);
		assert_memory_equal(r.street, "幸福路1号", r.street_len);

		if (!placeholder) {
			snprintf(in, sizeof in, "%s%s幸福路1号", c->name, rows[i].name);
			err_init(&err);
			rc = addr_parse(table, in, strlen(in), &r, &err);
			if (rc || r.district.code != rows[i].code)
				print_error("\"%s\": rc %d %s\n", in, rc, err.msg_en);
			assert_int_equal(rc, 0);
			assert_int_equal(r.district.code, rows[i].code);
		}
		checked++;
	}
	assert_int_equal(checked, 2978);
	xfree(rows);
}

/* Each province and each named city also has the short name people write. */
static void test_short_names(void **state)
{
	struct row *rows;
	size_t n = load_rows(&rows);
	(void)state;

	for (size_t i = 0; i < n; i++) {
		if (rows[i].level == 3)
			continue;
		if (rows[i].level == 2 && (strstr(rows[i].name, "直辖") || !strcmp(rows[i].name, "市辖区") ||
					   !strcmp(rows[i].name, "县")))
			continue;
		/* 自治区 / 自治州 drop their ethnic names too (广西, 延边): ok_cases and
		 * test_autonomous_prefectures cover them */
		if (strstr(rows[i].name, "自治"))
			continue;
		/* the first county-level area below it, as the district */
		const struct row *d = NULL;
		for (size_t j = 0; j < n && !d; j++) {
			if (rows[j].level != 3)
				continue;
			const struct row *c = row_of(rows, n, rows[j].parent);
			if (c->code == rows[i].code || c->parent == rows[i].code)
				d = &rows[j];
		}
		assert_non_null(d);
		const struct row *c = row_of(rows, n, d->parent);
		/* short name: the name less its last suffix */
		static const char *const suffixes[] = { "自治区", "自治州", "地区", "省", "市", "盟" };
		char shortname[128];
		snprintf(shortname, sizeof shortname, "%s", rows[i].name);
		for (size_t k = 0; k < sizeof suffixes / sizeof suffixes[0]; k++) {
			size_t sl = strlen(suffixes[k]), nl = strlen(shortname);
			if (nl > sl && !strcmp(shortname + nl - sl, suffixes[k])) {
				shortname[nl - sl] = '\0';
				break;
			}
		}
		char in[512];
		struct addr_result r;
		struct err err = ERR_INIT;
		if (rows[i].level == 1)
			snprintf(in, sizeof in, "%s %s %s 幸福路1号", shortname,
				 strstr(c->name, "直辖") || !strcmp(c->name, "市辖区") ||
				 !strcmp(c->name, "县") ? "" : c->name, d->name);
		else
			snprintf(in, sizeof in, "%s %s 幸福路1号", shortname, d->name);
		int rc = addr_parse(table, in, strlen(in), &r, &err);
		if (rc || r.district.code != d->code)
			print_error("\"%s\": rc %d %s\n", in, rc, err.msg_en);
		assert_int_equal(rc, 0);
		assert_int_equal(r.district.code, d->code);
	}
	xfree(rows);
}

/* Every autonomous prefecture answers to its short name and short name + 州. */
static void test_autonomous_prefectures(void **state)
{
	static const char *const shorts[] = {
		"延边", "恩施", "湘西", "阿坝", "甘孜", "凉山", "黔西南", "黔东南", "黔南", "楚雄",
		"红河", "文山", "西双版纳", "大理", "德宏", "怒江", "迪庆", "临夏", "甘南", "海北",
		"黄南", "海南", "果洛", "玉树", "海西", "昌吉", "博尔塔拉", "巴音郭楞", "克孜勒苏", "伊犁",
	};
	struct row *rows;
	size_t n = load_rows(&rows), found = 0;
	(void)state;

	for (size_t i = 0; i < n; i++) {
		size_t nl = strlen(rows[i].name);
		if (rows[i].level != 2 || nl < 9 || strcmp(rows[i].name + nl - 9, "自治州"))
			continue;
		const char *sh = NULL;
		for (size_t k = 0; k < sizeof shorts / sizeof shorts[0] && !sh; k++)
			if (!strncmp(rows[i].name, shorts[k], strlen(shorts[k])))
				sh = shorts[k];
		assert_non_null(sh);
		const struct row *d = NULL;
		for (size_t j = 0; j < n && !d; j++)
			if (rows[j].level == 3 && rows[j].parent == rows[i].code)
				d = &rows[j];
		assert_non_null(d);
		for (int zhou = 0; zhou < 2; zhou++) {
			char in[256];
			struct addr_result r;
			struct err err = ERR_INIT;
			snprintf(in, sizeof in, "%s%s%s幸福路1号", sh, zhou ? "州" : "", d->name);
			int rc = addr_parse(table, in, strlen(in), &r, &err);
			if (rc || r.city.code != rows[i].code)
				print_error("\"%s\": rc %d %s\n", in, rc, err.msg_en);
			assert_int_equal(rc, 0);
			assert_int_equal(r.city.code, rows[i].code);
			assert_int_equal(r.district.code, d->code);
		}
		found++;
	}
	assert_int_equal(found, 30);
	xfree(rows);
}

/* ---------------------------------------------------------- table loading */

static void test_bad_tsv(void **state)
{
	static const struct {
		const char *tsv;
		const char *en;
	} cases[] = {
		{ "", "empty" },
		{ "# only a comment\n", "empty" },
		{ "33\t0\t1\n", "line 1 is malformed" },
		{ "33\t0\t1\t浙江省\textra\n", "line 1 is malformed" },
		{ "33\t0\t1\t\n", "line 1 is malformed" },
		{ "33\t0\t4\t浙江省\n", "line 1 is malformed" },
		{ "333\t0\t1\t浙江省\n", "line 1 is malformed" },
		{ "33\t1\t1\t浙江省\n", "line 1 is malformed" },
		{ "33\t0\t1\t浙\xff\n", "line 1 is malformed" },
		{ "33\t0\t1\t浙江省\n3301\t0\t2\t杭州市\n", "line 2 is malformed" },
		{ "#\n33\t0\t1\t浙江省\nx\t33\t2\t杭州市\n", "line 3 is malformed" },
		{ "33\t0\t1\t浙江省\n3301\t34\t2\t杭州市\n", "has no parent 34" },
		{ "33\t0\t1\t浙江省\n330106\t33\t3\t西湖区\n", "has no parent 33" },
		{ "33\t0\t1\t浙江省\n33\t0\t1\t浙江\n", "appears twice" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct addr_table *t = (struct addr_table *)1;
		struct err err = ERR_INIT;
		int rc = addr_table_new(cases[i].tsv, strlen(cases[i].tsv), &t, &err);
		if (rc != ERR_INVALID || !strstr(err.msg_en, cases[i].en))
			print_error("case %zu: rc %d %s\n", i, rc, err.msg_en);
		assert_int_equal(rc, ERR_INVALID);
		assert_null(t);
		assert_string_equal(err.field, "divisions");
		assert_non_null(strstr(err.msg_en, cases[i].en));
	}
}

/* A small table of our own: CRLF line ends, no trailing newline, any order. */
static void test_small_tsv(void **state)
{
	const char *tsv = "330106\t3301\t3\t西湖区\r\n3301\t33\t2\t杭州市\r\n# c\r\n33\t0\t1\t浙江省";
	struct addr_table *t;
	struct addr_result r;
	struct err err = ERR_INIT;
	(void)state;

	assert_int_equal(addr_table_new(tsv, strlen(tsv), &t, &err), 0);
	assert_int_equal(addr_table_count(t, 0), 3);
	assert_string_equal(addr_code_name(t, 3301), "杭州市");
	assert_null(addr_code_name(t, 3302));
	assert_int_equal(addr_parse(t, "浙江杭州西湖区文三路", strlen("浙江杭州西湖区文三路"), &r, &err), 0);
	assert_int_equal(r.district.code, 330106);
	addr_table_free(t);
	addr_table_free(NULL);
}

/* STYLE.md section 9: fail the Nth allocation; loading fails cleanly (ASan sees no leak). */
static void test_alloc_failure(void **state)
{
	const struct embed_file *f = &addr_division_files[0];
	int failures = 0;
	(void)state;

	for (long k = 0;; k++) {
		struct addr_table *t = NULL;
		struct err err = ERR_INIT;
		xalloc_fail_after(k);
		int rc = addr_table_new((const char *)f->data, f->len, &t, &err);
		xalloc_fail_after(-1);
		if (rc == 0) {
			assert_non_null(t);
			addr_table_free(t);
			break;
		}
		assert_int_equal(rc, ERR_NOMEM);
		assert_null(t);
		failures++;
		assert_true(k < 10000);
	}
	assert_true(failures > 3);
}

/* Cheap deterministic noise: mixes of division names, separators and junk bytes. */
static void test_noise(void **state)
{
	static const char *const bits[] = {
		"浙江", "省", "杭州", "市", "西湖区", "北京", "朝阳区", "市辖区", "仙桃市", "东莞市",
		" ", "　", "(", ")", "（", "）", "310012", "中国", "县", "州", "\xff", "\xe6", "a",
		"湖北", "省直辖县级行政区划", "，", "邮编", ":", "内蒙古", "海南", "吉林",
	};
	uint32_t x = 12345;
	(void)state;
	for (int i = 0; i < 20000; i++) {
		char in[256];
		size_t n = 0;
		int parts = (int)(x % 9);
		for (int k = 0; k < parts; k++) {
			x = x * 1103515245u + 12345u;
			const char *b = bits[(x >> 8) % (sizeof bits / sizeof bits[0])];
			size_t bl = strlen(b);
			if (n + bl < sizeof in) {
				memcpy(in + n, b, bl);
				n += bl;
			}
		}
		x = x * 1103515245u + 12345u;
		struct addr_result r;
		struct err err = ERR_INIT;
		int rc = addr_parse(table, in, n, &r, &err);
		if (rc) {
			assert_true(rc == ERR_INVALID || rc == ERR_UNPROCESSABLE);
			assert_true(err.msg_zh[0] && err.msg_en[0]);
			assert_null(r.street);
		} else {
			assert_true(r.district.code > 0 && r.street_len > 0);
			assert_true(r.street >= in && r.street + r.street_len <= in + n);
		}
	}
}

/* ------------------------------------------------------------------ phones */

static const struct {
	const char *in;
	enum phone_kind kind;
	const char *norm;
} phone_ok[] = {
	{ "13812345678", PHONE_MOBILE, "13812345678" },
	{ "138 1234 5678", PHONE_MOBILE, "13812345678" },
	{ "138-1234-5678", PHONE_MOBILE, "13812345678" },
	{ "(138)1234-5678", PHONE_MOBILE, "13812345678" },
	{ "+86 138 1234 5678", PHONE_MOBILE, "13812345678" },
	{ "+8613812345678", PHONE_MOBILE, "13812345678" },
	{ "＋86 13812345678", PHONE_MOBILE, "13812345678" },
	{ "(+86)13812345678", PHONE_MOBILE, "13812345678" },
	{ "86-13812345678", PHONE_MOBILE, "13812345678" },
	{ "8613812345678", PHONE_MOBILE, "13812345678" },
	{ "0086 13812345678", PHONE_MOBILE, "13812345678" },
	{ "'13812345678", PHONE_MOBILE, "13812345678" },
	{ "’13812345678", PHONE_MOBILE, "13812345678" },
	{ " 13812345678 ", PHONE_MOBILE, "13812345678" },
	{ "１３８１２３４５６７８", PHONE_MOBILE, "13812345678" },
	{ "１３８－１２３４－５６７８", PHONE_MOBILE, "13812345678" },
	{ "138　1234　5678", PHONE_MOBILE, "13812345678" },
	{ "19912345678", PHONE_MOBILE, "19912345678" },
	{ "16612345678", PHONE_MOBILE, "16612345678" },
	{ "0571-87654321", PHONE_LANDLINE, "0571-87654321" },
	{ "057187654321", PHONE_LANDLINE, "0571-87654321" },
	{ "(0571)87654321", PHONE_LANDLINE, "0571-87654321" },
	{ "（0571）87654321", PHONE_LANDLINE, "0571-87654321" },
	{ "0571 8765 4321", PHONE_LANDLINE, "0571-87654321" },
	{ "0571-8765432", PHONE_LANDLINE, "0571-8765432" },
	{ "010-12345678", PHONE_LANDLINE, "010-12345678" },
	{ "01012345678", PHONE_LANDLINE, "010-12345678" },
	{ "021-1234567", PHONE_LANDLINE, "021-1234567" },
	{ "020-87654321", PHONE_LANDLINE, "020-87654321" },
	{ "0755-12345678", PHONE_LANDLINE, "0755-12345678" },
	{ "010-12345678-123", PHONE_LANDLINE, "010-12345678-123" },
	{ "0571-87654321-1", PHONE_LANDLINE, "0571-87654321-1" },
	{ "(0571)87654321-888", PHONE_LANDLINE, "0571-87654321-888" },
	{ "010-12345678转123", PHONE_LANDLINE, "010-12345678-123" },
	{ "010-12345678 分机 123", PHONE_LANDLINE, "010-12345678-123" },
	{ "0571-87654321 ext 8", PHONE_LANDLINE, "0571-87654321-8" },
	{ "0571-87654321x8", PHONE_LANDLINE, "0571-87654321-8" },
	{ "0571-87654321#123456", PHONE_LANDLINE, "0571-87654321-123456" },
	{ "+86 571 87654321", PHONE_LANDLINE, "0571-87654321" },
	{ "+86 10 12345678", PHONE_LANDLINE, "010-12345678" },
	{ "+86 (0)571 87654321", PHONE_LANDLINE, "0571-87654321" },
	{ "'0571-87654321", PHONE_LANDLINE, "0571-87654321" },
	/* fuzz finding: a 7-digit number with an extension must read back the same */
	{ "0288628604#-6", PHONE_LANDLINE, "028-8628604-6" },
	{ "028-8628604-6", PHONE_LANDLINE, "028-8628604-6" },
	{ "0288628604-6", PHONE_LANDLINE, "028-8628604-6" },
	{ "028-86286046", PHONE_LANDLINE, "028-86286046" },
	{ "010-1234-5678", PHONE_LANDLINE, "010-12345678" },
};

static void test_phone_ok(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof phone_ok / sizeof phone_ok[0]; i++) {
		struct phone p;
		struct err err = ERR_INIT;
		int rc = phone_parse(phone_ok[i].in, strlen(phone_ok[i].in), &p, &err);
		if (rc || strcmp(p.norm, phone_ok[i].norm))
			print_error("case %zu \"%s\": rc %d \"%s\" %s\n", i, phone_ok[i].in, rc, p.norm,
				    err.msg_en);
		assert_int_equal(rc, 0);
		assert_int_equal(p.kind, phone_ok[i].kind);
		assert_string_equal(p.norm, phone_ok[i].norm);
		/* normalising is idempotent */
		struct phone again;
		assert_int_equal(phone_parse(p.norm, strlen(p.norm), &again, &err), 0);
		assert_string_equal(again.norm, p.norm);
	}
}

static const struct {
	const char *in;
	int code;
	const char *en; /* substring */
	const char *zh; /* substring */
} phone_bad[] = {
	{ "", ERR_UNPROCESSABLE, "empty", "为空" },
	{ " - ", ERR_UNPROCESSABLE, "empty", "为空" },
	{ "12812345678", ERR_UNPROCESSABLE, "second digit must be 3-9", "第二位应为3–9" },
	{ "10012345678", ERR_UNPROCESSABLE, "second digit must be 3-9", "第二位应为3–9" },
	{ "1381234567", ERR_UNPROCESSABLE, "11 digits, not 10", "应为11位（实为10位）" },
	{ "138123456789", ERR_UNPROCESSABLE, "11 digits, not 12", "应为11位" },
	{ "13812345678-12", ERR_UNPROCESSABLE, "11 digits, not 13", "应为11位" },
	{ "13812345678转12", ERR_UNPROCESSABLE, "no extension", "不能带分机号" },
	{ "87654321", ERR_UNPROCESSABLE, "no area code", "缺少区号" },
	{ "8765432", ERR_UNPROCESSABLE, "no area code", "缺少区号" },
	{ "011-12345678", ERR_UNPROCESSABLE, "area code", "区号无效" },
	{ "0571-0765432", ERR_UNPROCESSABLE, "7-8 digits", "7–8位" },
	{ "0571-876543", ERR_UNPROCESSABLE, "7-8 digits", "7–8位" },
	{ "0571-876543210", ERR_UNPROCESSABLE, "7-8 digits", "7–8位" },
	{ "0571", ERR_UNPROCESSABLE, "7-8 digits", "7–8位" },
	{ "0571-87654321-1234567", ERR_UNPROCESSABLE, "extension is too long", "分机号过长" },
	{ "010-12345678 转", ERR_UNPROCESSABLE, "extension is empty", "分机号为空" },
	{ "+1 415 555 0100", ERR_UNPROCESSABLE, "only mainland", "仅支持中国大陆" },
	{ "00852 12345678", ERR_UNPROCESSABLE, "only mainland", "仅支持中国大陆" },
	{ "+852 1234 5678", ERR_UNPROCESSABLE, "only mainland", "仅支持中国大陆" },
	{ "+86", ERR_UNPROCESSABLE, "wrong number of digits", "位数不对" },
	{ "400-820-8820", ERR_UNPROCESSABLE, "not a valid", "不是有效的" },
	{ "95588", ERR_UNPROCESSABLE, "not a valid", "不是有效的" },
	{ "abc", ERR_UNPROCESSABLE, "invalid character", "无效字符" },
	{ "138-1234-567a", ERR_UNPROCESSABLE, "invalid character", "无效字符" },
	{ "13812345678/13912345678", ERR_UNPROCESSABLE, "invalid character", "无效字符" },
	{ "电话13812345678", ERR_UNPROCESSABLE, "invalid character", "无效字符" },
	{ "138+12345678", ERR_UNPROCESSABLE, "may only start", "只能在开头" },
	{ "++8613812345678", ERR_UNPROCESSABLE, "may only start", "只能在开头" },
	{ "138'12345678", ERR_UNPROCESSABLE, "invalid character", "无效字符" },
	{ "转123", ERR_UNPROCESSABLE, "invalid character", "无效字符" },
	{ "1381234567890123456789012345678901234", ERR_UNPROCESSABLE, "too many digits", "位数过多" },
	{ "13812345678                                                       ", ERR_UNPROCESSABLE,
	  "too long", "过长" },
	{ "138\xff", ERR_INVALID, "UTF-8", "UTF-8" },
	{ "\xef\xbc", ERR_INVALID, "UTF-8", "UTF-8" },
};

static void test_phone_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof phone_bad / sizeof phone_bad[0]; i++) {
		struct phone p;
		struct err err = ERR_INIT;
		int rc = phone_parse(phone_bad[i].in, strlen(phone_bad[i].in), &p, &err);
		if (rc != phone_bad[i].code || !strstr(err.msg_en, phone_bad[i].en) ||
		    !strstr(err.msg_zh, phone_bad[i].zh))
			print_error("case %zu \"%s\": rc %d %s / %s\n", i, phone_bad[i].in, rc,
				    err.msg_zh, err.msg_en);
		assert_int_equal(rc, phone_bad[i].code);
		assert_string_equal(err.field, "phone");
		assert_non_null(strstr(err.msg_en, phone_bad[i].en));
		assert_non_null(strstr(err.msg_zh, phone_bad[i].zh));
		assert_int_equal(p.kind, PHONE_INVALID);
		assert_string_equal(p.norm, "");
	}
}

static void test_phone_nul(void **state)
{
	struct phone p;
	struct err err = ERR_INIT;
	(void)state;
	assert_int_equal(phone_parse("138\0" "12345678", 12, &p, &err), ERR_INVALID);
	/* only s[0..n) is read */
	err_init(&err);
	assert_int_equal(phone_parse("13812345678999", 11, &p, &err), 0);
	assert_string_equal(p.norm, "13812345678");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ok_table),
		cmocka_unit_test(test_placeholder_flag),
		cmocka_unit_test(test_bad_table),
		cmocka_unit_test(test_nul_and_length),
		cmocka_unit_test(test_not_terminated),
		cmocka_unit_test(test_every_area),
		cmocka_unit_test(test_short_names),
		cmocka_unit_test(test_autonomous_prefectures),
		cmocka_unit_test(test_bad_tsv),
		cmocka_unit_test(test_small_tsv),
		cmocka_unit_test(test_alloc_failure),
		cmocka_unit_test(test_noise),
		cmocka_unit_test(test_phone_ok),
		cmocka_unit_test(test_phone_bad),
		cmocka_unit_test(test_phone_nul),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
