/* Auth core: roles, who sees personal data, passwords, tokens, login limits; and stores' rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "auth/auth.h"
#include "stores/stores.h"

static void roles_round_trip(void **state)
{
	enum role r;
	(void)state;
	for (int i = 0; i < ROLE__COUNT; i++) {
		assert_int_equal(role_parse(role_name((enum role)i), &r), 0);
		assert_int_equal(r, i);
		assert_true(strlen(role_label_zh((enum role)i)) > 0);
	}
	assert_int_not_equal(role_parse("ceo", &r), 0);
	assert_int_not_equal(role_parse("", &r), 0);
	assert_int_not_equal(role_parse("Boss", &r), 0);
}

/* SPEC section 0: phone and address only for the roles that need them. */
static void customer_pii_by_role(void **state)
{
	static const struct {
		enum role role;
		int sees;
	} cases[] = {
		{ ROLE_BOSS, 1 },          { ROLE_CS_LEAD, 1 },        { ROLE_CS_AFTERSALE, 1 },
		{ ROLE_WAREHOUSE, 1 },     { ROLE_CS_PRESALE, 0 },     { ROLE_OPERATIONS, 0 },
		{ ROLE_CS_MENTOR, 0 },     { ROLE_DESIGNER, 0 },       { ROLE_TRADE_SALES, 0 },
		{ ROLE_TRADE_ASSISTANT, 0 }, { ROLE_FINANCE, 0 },      { ROLE_HR, 0 },
		{ ROLE_DISTRIBUTOR, 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_int_equal(role_sees_customer_pii(cases[i].role), cases[i].sees);
	assert_int_equal(role_sees_customer_pii(ROLE__COUNT), 0);
	assert_true(role_sees_staff_pii(ROLE_HR));
	assert_false(role_sees_staff_pii(ROLE_CS_LEAD));
}

static void password_rules_and_hash(void **state)
{
	struct err err = ERR_INIT;
	char hash[AUTH_HASH_MAX];
	(void)state;
	assert_int_equal(auth_password_check("short", &err), ERR_UNPROCESSABLE);
	assert_string_equal(err.field, "password");
	err_init(&err);
	assert_int_equal(auth_password_check("密码八个字符长了", &err), 0);
	assert_int_equal(auth_password_check("\xff\xfe-invalid-utf8", &err), ERR_UNPROCESSABLE);
	err_init(&err);
	assert_int_equal(auth_password_hash("correct horse", hash, &err), 0);
	assert_memory_equal(hash, "$argon2id$", 10);
	assert_true(auth_password_verify(hash, "correct horse"));
	assert_false(auth_password_verify(hash, "correct horsE"));
	assert_false(auth_password_verify("not a hash", "correct horse"));
	assert_false(auth_password_verify(auth_dummy_hash(), "correct horse"));
	assert_memory_equal(auth_dummy_hash(), "$argon2id$", 10);
}

static void usernames(void **state)
{
	struct err err = ERR_INIT;
	(void)state;
	assert_int_equal(auth_username_check("zhang.san@shop-1", &err), 0);
	assert_int_equal(auth_username_check("a", &err), ERR_UNPROCESSABLE);
	err_init(&err);
	assert_int_equal(auth_username_check("x' OR 1=1", &err), ERR_UNPROCESSABLE);
	err_init(&err);
	assert_int_equal(auth_username_check("张三", &err), ERR_UNPROCESSABLE);
}

static void tokens_are_random_and_hashed(void **state)
{
	char a[AUTH_TOKEN_HEX], b[AUTH_TOKEN_HEX], ha[AUTH_TOKEN_HEX], ha2[AUTH_TOKEN_HEX];
	(void)state;
	auth_token_new(a);
	auth_token_new(b);
	assert_int_equal(strlen(a), 64);
	assert_string_not_equal(a, b);
	auth_token_hash(a, ha);
	auth_token_hash(a, ha2);
	assert_string_equal(ha, ha2);
	assert_string_not_equal(ha, a);
}

static void login_limits(void **state)
{
	struct auth_limits l = { 900, 5, 30, 3600 };
	(void)state;
	assert_true(auth_login_allowed(&l, 0, 0));
	assert_true(auth_login_allowed(&l, 4, 29));
	assert_false(auth_login_allowed(&l, 5, 0));
	assert_false(auth_login_allowed(&l, 0, 30));
}

static void store_rules(void **state)
{
	struct err err = ERR_INIT;
	(void)state;
	assert_int_equal(store_code_check("qinghe_tb-1", &err), 0);
	assert_int_equal(store_code_check("", &err), ERR_UNPROCESSABLE);
	err_init(&err);
	assert_int_equal(store_code_check("a b", &err), ERR_UNPROCESSABLE);
	err_init(&err);
	assert_int_equal(store_name_check("青禾旗舰店", &err), 0);
	assert_int_equal(store_name_check("", &err), ERR_UNPROCESSABLE);
	assert_true(store_platform_valid("1688"));
	assert_true(store_platform_valid("alibaba"));
	assert_false(store_platform_valid("ebay"));
	assert_string_equal(store_platform_label_zh("tmall"), "天猫");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roles_round_trip),
		cmocka_unit_test(customer_pii_by_role),
		cmocka_unit_test(password_rules_and_hash),
		cmocka_unit_test(usernames),
		cmocka_unit_test(tokens_are_random_and_hashed),
		cmocka_unit_test(login_limits),
		cmocka_unit_test(store_rules),
	};
	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
