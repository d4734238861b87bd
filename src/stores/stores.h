/*
 * stores.h - stores and channels (ORD-1): Taobao, Tmall, 1688, Alibaba.com, JD,
 * distributor, manual. A store is known by its code everywhere in the API.
 */
#ifndef STORES_STORES_H
#define STORES_STORES_H

#include <stdint.h>

#include "auth/auth.h"
#include "lib/err.h"

#define STORE_CODE_MAX 32
#define STORE_NAME_MAX 100

struct store {
	int64_t id;
	char code[STORE_CODE_MAX + 1];
	char name[STORE_NAME_MAX * 4 + 1]; /* UTF-8 */
	char platform[16];
	int active;
	int64_t version;
	int64_t created_utc;
	int64_t updated_utc;
};

/* "taobao", "tmall", "1688", "alibaba", "jd", "distributor", "manual". */
int store_platform_valid(const char *platform);
const char *store_platform_label_zh(const char *platform);
int store_code_check(const char *code, struct err *err) WUR;
int store_name_check(const char *name, struct err *err) WUR;
int store_platform_check(const char *platform, struct err *err) WUR;

struct db;

int store_create(struct db *db, const struct auth_user *who, const char *code, const char *name,
		 const char *platform, int64_t now_utc, struct store *out, struct err *err) WUR;
int store_get(struct db *db, const char *code, struct store *out, struct err *err) WUR;

struct store_change {
	int64_t expect_version;
	const char *name;     /* NULL = unchanged */
	const char *platform; /* NULL = unchanged */
	int active;           /* -1 = unchanged */
};
int store_update(struct db *db, const struct auth_user *who, const char *code,
		 const struct store_change *c, int64_t now_utc, struct store *out,
		 struct err *err) WUR;
/* Stores the user may see (X-5: all, unless limited in user_stores). */
int store_each_visible(struct db *db, int64_t user_id, int (*fn)(const struct store *s, void *ctx),
		       void *ctx, struct err *err) WUR;
/* ERR_NOT_FOUND unless the user may see the store. */
int store_visible(struct db *db, int64_t user_id, const char *code, struct store *out,
		  struct err *err) WUR;

#endif
