/*
 * err.h - error codes and the caller-supplied error record.
 *
 * A fallible function returns 0 or a negative enum err_code and fills a
 * struct err with the field at fault and a message in zh-CN and en.
 * The first error wins: later err_set() calls on a set record are ignored,
 * so the innermost, most specific cause is what the user sees.
 * One table maps each code to an HTTP status and a stable string.
 */
#ifndef LIB_ERR_H
#define LIB_ERR_H

#define WUR __attribute__((warn_unused_result))

enum err_code {
	ERR_OK = 0,
	ERR_INVALID = -1,       /* malformed request or input: 400 */
	ERR_UNAUTHORIZED = -2,  /* no or expired session: 401 */
	ERR_FORBIDDEN = -3,     /* role may not do this: 403 */
	ERR_NOT_FOUND = -4,     /* 404 */
	ERR_CONFLICT = -5,      /* stale version or duplicate key: 409 */
	ERR_TOO_LARGE = -6,     /* body over the limit: 413 */
	ERR_UNPROCESSABLE = -7, /* well-formed but breaks a rule: 422 */
	ERR_RATE_LIMITED = -8,  /* 429 */
	ERR_NOMEM = -9,         /* 500 */
	ERR_DB = -10,           /* 500 */
	ERR_IO = -11,           /* 500 */
	ERR_INTERNAL = -12,     /* 500 */
	ERR_BUSY = -13,         /* database busy after retries: 503 */
	ERR_METHOD = -14,       /* 405 */
};

struct err {
	int code;
	char field[64];
	char msg_zh[256];
	char msg_en[256];
};

#define ERR_INIT { 0, "", "", "" }

void err_init(struct err *e);

/* Sets e (unless already set) and returns code, so callers can `return err_set(...)`. */
int err_set(struct err *e, int code, const char *field, const char *zh, const char *en);

/* As err_set, with one printf format per language. Both formats read the SAME
 * argument list from its start: pass each value once, in an order both use. When
 * the languages need different values, build the two texts and call err_set. */
int err_setf(struct err *e, int code, const char *field, const char *zh_fmt,
	     const char *en_fmt, ...);

int err_http_status(int code);
/* Stable machine-readable name, e.g. "conflict". */
const char *err_code_name(int code);
/* Message in "zh" or "en" (anything not starting with "en" gets zh). */
const char *err_message(const struct err *e, const char *lang);

#endif
