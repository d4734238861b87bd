/*
 * auth.h - roles, passwords, session tokens and login limits (SPEC section 0, X-5).
 *
 * The pure part of authentication: what a role may see, how a password is
 * hashed (argon2id through libsodium) and checked, how a session token is made
 * and what is stored of it (only its hash), and when repeated failures lock a
 * login. Storage is auth_db.c, endpoints auth_http.c.
 */
#ifndef AUTH_AUTH_H
#define AUTH_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"

enum role {
	ROLE_BOSS,            /* 店长 */
	ROLE_OPERATIONS,      /* 运营 */
	ROLE_CS_PRESALE,      /* 售前客服 */
	ROLE_CS_AFTERSALE,    /* 售后客服 */
	ROLE_CS_LEAD,         /* 客服主管 */
	ROLE_CS_MENTOR,       /* 客服导师 */
	ROLE_WAREHOUSE,       /* 物流仓库 */
	ROLE_DESIGNER,        /* 美工编辑 */
	ROLE_TRADE_SALES,     /* 外贸业务员 */
	ROLE_TRADE_ASSISTANT, /* 外贸助理 */
	ROLE_FINANCE,         /* 财务 */
	ROLE_HR,              /* 人事 */
	ROLE_DISTRIBUTOR,     /* 分销商 (external) */
	ROLE__COUNT
};

#define ROLE_BIT(r) (1u << (r))
#define ROLES_ALL ((1u << ROLE__COUNT) - 1)
/* Every role except the external distributor. */
#define ROLES_STAFF (ROLES_ALL & ~ROLE_BIT(ROLE_DISTRIBUTOR))

#define AUTH_USERNAME_MAX 64
#define AUTH_PASSWORD_MIN 8
#define AUTH_PASSWORD_MAX 256
#define AUTH_HASH_MAX 128   /* argon2id encoded string, with room */
#define AUTH_TOKEN_HEX 65   /* 32 random bytes as hex + NUL */

/* The logged-in caller, as handlers see it. */
struct auth_user {
	int64_t id;
	char username[AUTH_USERNAME_MAX + 1];
	enum role role;
};

const char *role_name(enum role r);
const char *role_label_zh(enum role r);
int role_parse(const char *s, enum role *out) WUR;

/* Customer phone numbers and addresses shown unmasked (SPEC section 0): those who
 * ship, serve after-sale or run the store. Everyone else sees 138****5678. */
int role_sees_customer_pii(enum role r);
/* Employees' own contact data: boss and HR (and the employee, checked by the caller). */
int role_sees_staff_pii(enum role r);

int auth_username_check(const char *username, struct err *err) WUR;
int auth_password_check(const char *password, struct err *err) WUR;

/* argon2id, libsodium's interactive limits. out must hold AUTH_HASH_MAX bytes. */
int auth_password_hash(const char *password, char out[AUTH_HASH_MAX], struct err *err) WUR;
/* 1 when password matches the stored hash, 0 otherwise (never an error path
 * that tells a wrong password from a broken hash). */
int auth_password_verify(const char *hash, const char *password);

/* A real hash of a random password, made once: checked against when the user
 * does not exist, so a login for an unknown name costs the same time. */
const char *auth_dummy_hash(void);

/* A fresh random token (hex) and the hash that is stored for it. */
void auth_token_new(char token[AUTH_TOKEN_HEX]);
void auth_token_hash(const char *token, char hash[AUTH_TOKEN_HEX]);

struct auth_limits {
	int window_s;          /* look-back window for failures */
	int max_fail_user;     /* failures per username in the window before 429 */
	int max_fail_address;  /* failures per client address in the window before 429 */
	int session_s;         /* session lifetime */
};

/* 1 when the counts of recent failures allow another attempt. */
int auth_login_allowed(const struct auth_limits *l, int64_t fails_user, int64_t fails_address);

#endif
