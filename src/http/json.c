/*
 * json.c - decoding request bodies and fields, validated at the edge.
 */
#include "http/http.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/sb.h"
#include "lib/utf8.h"
#include "lib/common.h"

int http_body_object(struct http_req *req, json_t **out, struct err *err)
{
	json_error_t je;

	*out = NULL;
	if (!req->body || req->body_len == 0)
		return err_set(err, ERR_INVALID, "", "请求体为空,应为 JSON 对象",
			       "request body is empty; a JSON object is expected");
	json_t *v = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &je);
	if (!v)
		return err_setf(err, ERR_INVALID, "", "JSON 格式错误(第 %d 行第 %d 列):%s",
				"malformed JSON (line %d, column %d): %s", je.line, je.column,
				je.text, je.line, je.column, je.text);
	if (!json_is_object(v)) {
		json_decref(v);
		return err_set(err, ERR_INVALID, "", "请求体应为 JSON 对象",
			       "request body must be a JSON object");
	}
	*out = v;
	return 0;
}

static int missing(const char *name, struct err *err)
{
	return err_setf(err, ERR_UNPROCESSABLE, name, "缺少字段 %s", "field %s is required", name,
			name);
}

int json_str_field(json_t *obj, const char *name, int required, size_t max_len,
		   const char **out, struct err *err)
{
	json_t *v = json_object_get(obj, name);

	*out = NULL;
	if (!v || json_is_null(v))
		return required ? missing(name, err) : 0;
	if (!json_is_string(v))
		return err_setf(err, ERR_UNPROCESSABLE, name, "字段 %s 应为文本",
				"field %s must be a string", name, name);
	const char *s = json_string_value(v);
	size_t n = json_string_length(v);
	if (strlen(s) != n)
		return err_setf(err, ERR_UNPROCESSABLE, name, "字段 %s 含有空字符",
				"field %s contains a NUL character", name, name);
	if (utf8_len(s, n) > max_len)
		return err_setf(err, ERR_UNPROCESSABLE, name, "字段 %s 超过 %zu 个字符",
				"field %s exceeds %zu characters", name, max_len, name, max_len);
	*out = s;
	return 0;
}

int json_int_field(json_t *obj, const char *name, int required, int64_t lo, int64_t hi,
		   int64_t *out, struct err *err)
{
	json_t *v = json_object_get(obj, name);

	if (!v || json_is_null(v))
		return required ? missing(name, err) : 0;
	if (!json_is_integer(v))
		return err_setf(err, ERR_UNPROCESSABLE, name, "字段 %s 应为整数",
				"field %s must be an integer", name, name);
	int64_t n = json_integer_value(v);
	if (n < lo || n > hi)
		return err_setf(err, ERR_UNPROCESSABLE, name, "字段 %s 应在 %lld 到 %lld 之间",
				"field %s must be between %lld and %lld", name, (long long)lo,
				(long long)hi, name, (long long)lo, (long long)hi);
	*out = n;
	return 0;
}

int json_bool_field(json_t *obj, const char *name, int required, int *out, struct err *err)
{
	json_t *v = json_object_get(obj, name);

	if (!v || json_is_null(v))
		return required ? missing(name, err) : 0;
	if (!json_is_boolean(v))
		return err_setf(err, ERR_UNPROCESSABLE, name, "字段 %s 应为 true 或 false",
				"field %s must be true or false", name, name);
	*out = json_is_true(v);
	return 0;
}

int http_query_int(struct http_req *req, const char *name, int64_t lo, int64_t hi, int64_t def,
		   int64_t *out, struct err *err)
{
	const char *s = http_query(req, name);
	char *end;

	*out = def;
	if (!s || !*s)
		return 0;
	errno = 0;
	long long n = strtoll(s, &end, 10);
	if (errno || *end || n < lo || n > hi)
		return err_setf(err, ERR_INVALID, name, "参数 %s 应为 %lld 到 %lld 的整数",
				"parameter %s must be an integer from %lld to %lld", name,
				(long long)lo, (long long)hi, name, (long long)lo, (long long)hi);
	*out = n;
	return 0;
}

json_t *http_error_json(const struct err *e, const char *lang)
{
	return json_pack("{s:{s:s,s:s,s:s}}", "error", "code", err_code_name(e->code), "message",
			 err_message(e, lang), "field", e->field);
}

void http_json_str(struct sb *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;

	sb_addc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		sb_add(b, run, (size_t)(s - run));
		run = s + 1;
		if (c == '"' || c == '\\') {
			char esc[2] = { '\\', (char)c };
			sb_add(b, esc, 2);
		} else if (c == '\n') {
			sb_adds(b, "\\n");
		} else if (c == '\r') {
			sb_adds(b, "\\r");
		} else if (c == '\t') {
			sb_adds(b, "\\t");
		} else {
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			sb_add(b, u, 6);
		}
	}
	sb_add(b, run, (size_t)(s - run));
	sb_addc(b, '"');
}
