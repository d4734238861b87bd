#include "lib/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/common.h"

void err_init(struct err *e)
{
	memset(e, 0, sizeof *e);
}

static void copy_str(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

int err_set(struct err *e, int code, const char *field, const char *zh, const char *en)
{
	if (!e || e->code)
		return code;
	e->code = code;
	copy_str(e->field, sizeof e->field, field);
	copy_str(e->msg_zh, sizeof e->msg_zh, zh);
	copy_str(e->msg_en, sizeof e->msg_en, en);
	return code;
}

int err_setf(struct err *e, int code, const char *field, const char *zh_fmt,
	     const char *en_fmt, ...)
{
	va_list ap, ap2;

	if (!e || e->code)
		return code;
	e->code = code;
	copy_str(e->field, sizeof e->field, field);
	va_start(ap, en_fmt);
	va_copy(ap2, ap);
	vsnprintf(e->msg_zh, sizeof e->msg_zh, zh_fmt, ap);
	vsnprintf(e->msg_en, sizeof e->msg_en, en_fmt, ap2);
	va_end(ap2);
	va_end(ap);
	return code;
}

static const struct {
	int code;
	int status;
	const char *name;
} err_table[] = {
	{ ERR_OK, 200, "ok" },
	{ ERR_INVALID, 400, "invalid" },
	{ ERR_UNAUTHORIZED, 401, "unauthorized" },
	{ ERR_FORBIDDEN, 403, "forbidden" },
	{ ERR_NOT_FOUND, 404, "not_found" },
	{ ERR_METHOD, 405, "method_not_allowed" },
	{ ERR_CONFLICT, 409, "conflict" },
	{ ERR_TOO_LARGE, 413, "too_large" },
	{ ERR_UNPROCESSABLE, 422, "unprocessable" },
	{ ERR_RATE_LIMITED, 429, "rate_limited" },
	{ ERR_NOMEM, 500, "out_of_memory" },
	{ ERR_DB, 500, "database" },
	{ ERR_IO, 500, "io" },
	{ ERR_INTERNAL, 500, "internal" },
	{ ERR_BUSY, 503, "busy" },
};

int err_http_status(int code)
{
	for (size_t i = 0; i < sizeof err_table / sizeof err_table[0]; i++)
		if (err_table[i].code == code)
			return err_table[i].status;
	return 500;
}

const char *err_code_name(int code)
{
	for (size_t i = 0; i < sizeof err_table / sizeof err_table[0]; i++)
		if (err_table[i].code == code)
			return err_table[i].name;
	return "internal";
}

const char *err_message(const struct err *e, const char *lang)
{
	if (lang && strncmp(lang, "en", 2) == 0)
		return e->msg_en;
	return e->msg_zh;
}
