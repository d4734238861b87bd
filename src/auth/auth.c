#include "auth/auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "lib/utf8.h"
#include "lib/common.h"

static const struct {
	const char *name;
	const char *zh;
} roles[ROLE__COUNT] = {
	[ROLE_BOSS] = { "boss", "店长" },
	[ROLE_OPERATIONS] = { "operations", "运营" },
	[ROLE_CS_PRESALE] = { "cs_presale", "售前客服" },
	[ROLE_CS_AFTERSALE] = { "cs_aftersale", "售后客服" },
	[ROLE_CS_LEAD] = { "cs_lead", "客服主管" },
	[ROLE_CS_MENTOR] = { "cs_mentor", "客服导师" },
	[ROLE_WAREHOUSE] = { "warehouse", "物流仓库" },
	[ROLE_DESIGNER] = { "designer", "美工编辑" },
	[ROLE_TRADE_SALES] = { "trade_sales", "外贸业务员" },
	[ROLE_TRADE_ASSISTANT] = { "trade_assistant", "外贸助理" },
	[ROLE_FINANCE] = { "finance", "财务" },
	[ROLE_HR] = { "hr", "人事" },
	[ROLE_DISTRIBUTOR] = { "distributor", "分销商" },
};

const char *role_name(enum role r)
{
	return (unsigned)r < ROLE__COUNT ? roles[r].name : "unknown";
}

const char *role_label_zh(enum role r)
{
	return (unsigned)r < ROLE__COUNT ? roles[r].zh : "未知";
}

int role_parse(const char *s, enum role *out)
{
	for (int i = 0; i < ROLE__COUNT; i++) {
		if (strcmp(s, roles[i].name) == 0) {
			*out = (enum role)i;
			return 0;
		}
	}
	return ERR_INVALID;
}

int role_sees_customer_pii(enum role r)
{
	/* The warehouse prints waybills and calls couriers; after-sales calls buyers
	 * back; the boss and CS lead resolve escalations. */
	const unsigned allowed = ROLE_BIT(ROLE_BOSS) | ROLE_BIT(ROLE_CS_LEAD) |
				 ROLE_BIT(ROLE_CS_AFTERSALE) | ROLE_BIT(ROLE_WAREHOUSE);
	return (unsigned)r < ROLE__COUNT && (allowed & ROLE_BIT(r));
}

int role_sees_staff_pii(enum role r)
{
	return r == ROLE_BOSS || r == ROLE_HR;
}

int auth_username_check(const char *u, struct err *err)
{
	size_t n = strlen(u);
	if (n < 2 || n > AUTH_USERNAME_MAX)
		return err_set(err, ERR_UNPROCESSABLE, "username", "用户名长度应为 2–64 个字符",
			       "username must be 2-64 characters");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)u[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			 c == '_' || c == '-' || c == '.' || c == '@';
		if (!ok)
			return err_set(err, ERR_UNPROCESSABLE, "username",
				       "用户名只能包含字母、数字和 _ - . @",
				       "username may contain only letters, digits and _ - . @");
	}
	return 0;
}

int auth_password_check(const char *p, struct err *err)
{
	size_t n = strlen(p);
	if (!utf8_valid(p, n))
		return err_set(err, ERR_UNPROCESSABLE, "password", "密码不是有效的 UTF-8 文本",
			       "password is not valid UTF-8");
	if (utf8_len(p, n) < AUTH_PASSWORD_MIN)
		return err_set(err, ERR_UNPROCESSABLE, "password", "密码至少 8 个字符",
			       "password must have at least 8 characters");
	if (n > AUTH_PASSWORD_MAX)
		return err_set(err, ERR_UNPROCESSABLE, "password", "密码过长",
			       "password is too long");
	return 0;
}

int auth_password_hash(const char *password, char out[AUTH_HASH_MAX], struct err *err)
{
	if (crypto_pwhash_str_alg(out, password, strlen(password),
				  crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return err_set(err, ERR_NOMEM, "", "密码哈希失败(内存不足)",
			       "password hashing failed (out of memory)");
	return 0;
}

int auth_password_verify(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

static char dummy_hash[AUTH_HASH_MAX];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void dummy_make(void)
{
	char pw[AUTH_TOKEN_HEX];
	struct err ignored = ERR_INIT;
	auth_token_new(pw);
	if (auth_password_hash(pw, dummy_hash, &ignored))
		dummy_hash[0] = '\0';
}

const char *auth_dummy_hash(void)
{
	pthread_once(&dummy_once, dummy_make);
	return dummy_hash;
}

void auth_token_new(char token[AUTH_TOKEN_HEX])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(token, AUTH_TOKEN_HEX, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
}

void auth_token_hash(const char *token, char hash[AUTH_TOKEN_HEX])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(hash, AUTH_TOKEN_HEX, h, sizeof h);
}

int auth_login_allowed(const struct auth_limits *l, int64_t fails_user, int64_t fails_address)
{
	return fails_user < l->max_fail_user && fails_address < l->max_fail_address;
}
