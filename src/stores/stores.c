/*
 * stores.c - the rules for a store's code, name and platform.
 */
#include "stores/stores.h"

#include <string.h>

#include "lib/utf8.h"
#include "lib/common.h"

static const struct {
	const char *code;
	const char *zh;
} platforms[] = {
	{ "taobao", "淘宝" }, { "tmall", "天猫" },       { "1688", "1688" },
	{ "alibaba", "阿里巴巴国际站" }, { "jd", "京东" }, { "distributor", "分销" },
	{ "manual", "手工" },
};

int store_platform_valid(const char *platform)
{
	for (size_t i = 0; i < ARRAY_SIZE(platforms); i++)
		if (strcmp(platforms[i].code, platform) == 0)
			return 1;
	return 0;
}

const char *store_platform_label_zh(const char *platform)
{
	for (size_t i = 0; i < ARRAY_SIZE(platforms); i++)
		if (strcmp(platforms[i].code, platform) == 0)
			return platforms[i].zh;
	return platform;
}

int store_code_check(const char *code, struct err *err)
{
	size_t n = strlen(code);
	if (n == 0 || n > STORE_CODE_MAX)
		return err_set(err, ERR_UNPROCESSABLE, "code", "店铺代码应为 1–32 个字符",
			       "store code must be 1-32 characters");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)code[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-'))
			return err_set(err, ERR_UNPROCESSABLE, "code",
				       "店铺代码只能包含字母、数字、_ 和 -",
				       "store code may contain only letters, digits, _ and -");
	}
	return 0;
}

int store_name_check(const char *name, struct err *err)
{
	size_t n = strlen(name);
	if (!utf8_valid(name, n) || n == 0 || utf8_len(name, n) > STORE_NAME_MAX)
		return err_set(err, ERR_UNPROCESSABLE, "name", "店铺名称应为 1–100 个字符",
			       "store name must be 1-100 characters");
	return 0;
}

int store_platform_check(const char *platform, struct err *err)
{
	if (!store_platform_valid(platform))
		return err_set(err, ERR_UNPROCESSABLE, "platform",
			       "平台应为 taobao、tmall、1688、alibaba、jd、distributor 或 manual",
			       "platform must be taobao, tmall, 1688, alibaba, jd, distributor or manual");
	return 0;
}
