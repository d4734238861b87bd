/*
 * auth_db.h - users, sessions and login attempts in the database.
 * Every change writes its audit row in the same transaction.
 */
#ifndef AUTH_AUTH_DB_H
#define AUTH_AUTH_DB_H

#include <stdint.h>

#include "auth/auth.h"
#include "lib/err.h"

struct db;

struct user_row {
	int64_t id;
	char username[AUTH_USERNAME_MAX + 1];
	char display_name[128];
	enum role role;
	char phone[40];
	int disabled;
	int64_t version;
	int64_t created_utc;
	int64_t updated_utc;
	char password_hash[AUTH_HASH_MAX];
};

struct user_new {
	const char *username;
	const char *password;
	enum role role;
	const char *display_name; /* may be NULL */
	const char *phone;        /* may be NULL */
};

/* Validates, hashes the password, inserts and audits. ERR_CONFLICT when the name is taken. */
int user_create(struct db *db, const struct auth_user *who, const struct user_new *u,
		int64_t now_utc, int64_t *id_out, struct err *err) WUR;
int user_get(struct db *db, int64_t id, struct user_row *out, struct err *err) WUR;
int user_get_by_name(struct db *db, const char *username, struct user_row *out,
		     struct err *err) WUR;

/* Fields to change; NULL / negative = unchanged. expect_version must match (else 409). */
struct user_change {
	int64_t expect_version;
	const char *display_name;
	const char *phone;
	const char *password;
	int role;     /* enum role, or -1 */
	int disabled; /* 0/1, or -1 */
};
int user_update(struct db *db, const struct auth_user *who, int64_t id,
		const struct user_change *c, int64_t now_utc, struct err *err) WUR;

/* Calls fn for each user ordered by id; stops on a non-zero return. */
int user_each(struct db *db, int (*fn)(const struct user_row *u, void *ctx), void *ctx,
	      struct err *err) WUR;

/* the stores a user is limited to (none = all stores). */
int user_store_codes(struct db *db, int64_t user_id,
		     int (*fn)(const char *code, void *ctx), void *ctx, struct err *err) WUR;
/* Replaces the user's store list, audited; an unknown code is 422 on "stores". */
int user_stores_set(struct db *db, const struct auth_user *who, int64_t user_id,
		    const char *const *codes, int n, int64_t now_utc, struct err *err) WUR;

/* The user's JSON for audit rows (no password hash). Caller xfrees. */
char *user_audit_json_new(const struct user_row *u);

int session_create(struct db *db, const char *token_hash, int64_t user_id, const char *address,
		   int64_t now_utc, int64_t expires_utc, struct err *err) WUR;
/* 64 store codes of up to 32 characters, comma-separated, and the NUL. */
#define AUTH_PROFILE_STORES_MAX (64 * 33)

/* The session's user as GET /auth/me shows it, read with one query (session,
 * user and store list together) or taken from the session cache. */
struct auth_profile {
	struct auth_user user;
	char display_name[128];
	char phone[40];
	int64_t version;
	int64_t created_utc;
	int64_t expires_utc;                   /* the session's */
	char stores[AUTH_PROFILE_STORES_MAX];  /* X-5 limits: "a,b" ordered by code, "" = all */
	int stores_overflow;                   /* longer than stores[]: ask user_store_codes */
};

/* The session's user; ERR_UNAUTHORIZED when unknown, expired or the user is disabled.
 *
 * Answers come from a small per-thread cache (keyed by token hash, a few seconds
 * old at most, see auth_db.c). Every change to sessions, users or user_stores in
 * this process must call auth_session_cache_invalidate() after its commit;
 * session_delete, user_update and user_stores_set do so themselves, which is
 * enough when they run outside a transaction. */
int auth_session_profile(struct db *db, const char *token_hash, int64_t now_utc,
			 struct auth_profile *out, struct err *err) WUR;
int auth_session_user(struct db *db, const char *token_hash, int64_t now_utc,
		      struct auth_user *out, struct err *err) WUR;
/* Forgets every cached session of this process (all threads), at once. */
void auth_session_cache_invalidate(void);
int session_delete(struct db *db, const char *token_hash, struct err *err) WUR;

int login_failures(struct db *db, const char *username, const char *address, int64_t since_utc,
		   int64_t *by_user, int64_t *by_address, struct err *err) WUR;
int login_record(struct db *db, const char *username, const char *address, int ok,
		 int64_t now_utc, struct err *err) WUR;

#endif
