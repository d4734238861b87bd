#include "policy/policy_json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lib/utf8.h"
#include "lib/common.h"

static json_t *field_value(const struct policy *p, const struct policy_field *f)
{
	const char *at = (const char *)p + f->offset;
	char buf[8];

	switch (f->type) {
	case POLICY_INT:
		return json_integer(*(const int *)at);
	case POLICY_BOOL:
		return json_boolean(*(const int *)at);
	case POLICY_FEN:
		return json_integer(*(const int64_t *)at);
	case POLICY_RATE:
		return json_real((double)*(const int64_t *)at / 1e6);
	case POLICY_CLOCK:
		policy_clock_format(*(const int *)at, buf);
		return json_string(buf);
	case POLICY_TEXT:
		return json_string(at);
	case POLICY_WORDS: {
		const struct policy_words *w = (const void *)at;
		json_t *a = json_array();
		for (int i = 0; i < w->n; i++)
			json_array_append_new(a, json_string(w->w[i]));
		return a;
	}
	}
	return json_null();
}

json_t *policy_to_json(const struct policy *p)
{
	json_t *doc = json_object();
	for (size_t i = 0; i < policy_nfields; i++) {
		const struct policy_field *f = &policy_fields[i];
		json_t *sec = json_object_get(doc, f->section);
		if (!sec) {
			sec = json_object();
			json_object_set_new(doc, f->section, sec);
		}
		json_object_set_new(sec, f->name, field_value(p, f));
	}
	return doc;
}

static const struct policy_field *find_field(const char *section, const char *name)
{
	for (size_t i = 0; i < policy_nfields; i++)
		if (strcmp(policy_fields[i].section, section) == 0 &&
		    strcmp(policy_fields[i].name, name) == 0)
			return &policy_fields[i];
	return NULL;
}

static int section_known(const char *section)
{
	for (size_t i = 0; i < policy_nfields; i++)
		if (strcmp(policy_fields[i].section, section) == 0)
			return 1;
	return 0;
}

static int bad_type(const struct policy_field *f, const char *zh, const char *en, struct err *err)
{
	char field[64], msg_zh[192], msg_en[192];
	snprintf(field, sizeof field, "%s.%s", f->section, f->name);
	/* err_setf's two formats share one argument list: build each text alone. */
	snprintf(msg_zh, sizeof msg_zh, "%s 应为%s", field, zh);
	snprintf(msg_en, sizeof msg_en, "%s must be %s", field, en);
	return err_set(err, ERR_UNPROCESSABLE, field, msg_zh, msg_en);
}

/* JSON numbers arrive as doubles; a rate must sit on the ppm grid, not near it. */
static int read_rate(const struct policy_field *f, json_t *v, int64_t *out, struct err *err)
{
	if (!json_is_number(v))
		return bad_type(f, "小数(如 0.005)", "a number such as 0.005", err);
	double d = json_number_value(v) * 1e6;
	double r = nearbyint(d);
	if (fabs(d - r) > 1e-6 * (fabs(r) + 1) || r < (double)INT64_MIN || r > (double)INT64_MAX)
		return bad_type(f, "最多六位小数的数", "a number with at most six decimals", err);
	*out = (int64_t)r;
	return policy_check_int(f, *out, err);
}

static int read_words(const struct policy_field *f, json_t *v, struct policy_words *w,
		      struct err *err)
{
	size_t i;
	json_t *item;

	if (!json_is_array(v) || json_array_size(v) > POLICY_WORDS_MAX)
		return bad_type(f, "至多 64 个词的数组", "an array of at most 64 words", err);
	w->n = 0;
	json_array_foreach(v, i, item) {
		const char *s = json_is_string(item) ? json_string_value(item) : NULL;
		if (!s || !*s || strlen(s) >= POLICY_WORD_MAX)
			return bad_type(f, "非空且每个不超过 31 字节的词", "non-empty words of at most 31 bytes", err);
		snprintf(w->w[w->n++], POLICY_WORD_MAX, "%s", s);
	}
	return 0;
}

static int read_field(const struct policy_field *f, json_t *v, struct policy *p, struct err *err)
{
	char *at = (char *)p + f->offset;
	int minutes;

	switch (f->type) {
	case POLICY_INT:
	case POLICY_FEN: {
		if (!json_is_integer(v))
			return bad_type(f, "整数", "an integer", err);
		int64_t n = json_integer_value(v);
		int rc = policy_check_int(f, n, err);
		if (rc)
			return rc;
		if (f->type == POLICY_INT)
			*(int *)at = (int)n;
		else
			*(int64_t *)at = n;
		return 0;
	}
	case POLICY_BOOL:
		if (!json_is_boolean(v))
			return bad_type(f, " true 或 false", "true or false", err);
		*(int *)at = json_is_true(v);
		return 0;
	case POLICY_RATE:
		return read_rate(f, v, (int64_t *)(void *)at, err);
	case POLICY_CLOCK:
		if (!json_is_string(v) || policy_clock_parse(json_string_value(v), &minutes))
			return bad_type(f, "“HH:MM”格式的时间", "a time \"HH:MM\"", err);
		*(int *)at = minutes;
		return 0;
	case POLICY_TEXT: {
		const char *s = json_is_string(v) ? json_string_value(v) : NULL;
		if (!s || strlen(s) >= POLICY_TEXT_MAX || !utf8_valid(s, strlen(s)))
			return bad_type(f, "不超过 127 字节的文本", "text of at most 127 bytes", err);
		snprintf(at, POLICY_TEXT_MAX, "%s", s);
		return 0;
	}
	case POLICY_WORDS:
		return read_words(f, v, (struct policy_words *)(void *)at, err);
	}
	return 0;
}

static int read_section(const char *section, json_t *obj, struct policy *p, struct err *err)
{
	const char *key;
	json_t *v;

	if (!json_is_object(obj))
		return err_setf(err, ERR_UNPROCESSABLE, section, "%s 应为对象", "%s must be an object",
				section, section);
	json_object_foreach(obj, key, v) {
		const struct policy_field *f = find_field(section, key);
		if (!f) {
			char field[96];
			snprintf(field, sizeof field, "%s.%.60s", section, key);
			return err_setf(err, ERR_UNPROCESSABLE, field, "未知的策略项 %s",
					"unknown policy key %s", field, field);
		}
		int rc = read_field(f, v, p, err);
		if (rc)
			return rc;
	}
	return 0;
}

int policy_from_json(json_t *doc, struct policy *p, struct err *err)
{
	const char *section;
	json_t *obj;

	if (!json_is_object(doc))
		return err_set(err, ERR_UNPROCESSABLE, "policy", "策略应为 JSON 对象",
			       "policy must be a JSON object");
	json_object_foreach(doc, section, obj) {
		if (!section_known(section))
			return err_setf(err, ERR_UNPROCESSABLE, section, "未知的策略分组 %s",
					"unknown policy section %s", section, section);
		int rc = read_section(section, obj, p, err);
		if (rc)
			return rc;
	}
	return policy_check(p, err);
}

json_t *policy_schema_json(void)
{
	static const char *types[] = { "int", "bool", "fen", "rate", "clock", "text", "words" };
	struct policy def;
	json_t *items = json_array();

	policy_defaults(&def);
	for (size_t i = 0; i < policy_nfields; i++) {
		const struct policy_field *f = &policy_fields[i];
		char key[64];
		snprintf(key, sizeof key, "%s.%s", f->section, f->name);
		json_array_append_new(items,
				      json_pack("{s:s,s:s,s:I,s:I,s:o,s:s}", "key", key, "type",
						types[f->type], "min", (json_int_t)f->min, "max",
						(json_int_t)f->max, "default", field_value(&def, f),
						"help", f->help_zh));
	}
	return items;
}
