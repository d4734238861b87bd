/* Policy: the seeds' defaults, the JSON document round trip, and validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "policy/policy.h"
#include "policy/policy_json.h"

static void defaults_are_the_seeds(void **state)
{
	struct policy p;
	(void)state;
	policy_defaults(&p);
	assert_int_equal(p.after_sale_days, 14);
	assert_int_equal(p.payment_window_days, 4);
	assert_string_equal(p.ad_phrase, "非诚勿扰,青禾旗舰店期待您的再次光临!");
	assert_int_equal(p.ad_min_messages, 2);
	assert_int_equal(p.simple_min_messages, 3);
	assert_int_equal(p.presale_rate_ppm, 5000);
	assert_int_equal(p.aftersale_rate_ppm, 8000);
	assert_int_equal(p.gold_sales_rate_ppm, 6000);
	assert_int_equal(p.min_pay_year1_fen, 200000);
	assert_int_equal(p.min_pay_year2_fen, 220000);
	assert_int_equal(p.min_pay_year3_fen, 250000);
	assert_int_equal(p.probation_pay_fen, 160000);
	assert_int_equal(p.score_band2_ppm, 900000);
	assert_int_equal(p.bad_review_contact_hours, 48);
	assert_int_equal(p.complaint_response_hours, 24);
	assert_int_equal(p.followup_a_per_week, 2);
	assert_int_equal(p.followup_c_every_days, 14);
	assert_int_equal(p.day_shift_start_min, 9 * 60);
	assert_int_equal(p.night_shift_end_min, 23 * 60 + 30);
	assert_int_equal(p.title_max_chars, 64);
	assert_int_equal(p.forbidden_words.n, 12);
	assert_string_equal(p.forbidden_words.w[2], "国家级");
	assert_int_equal(p.expense_limit_cs_fen, 10000);
	assert_int_equal(p.appraisal_top_percent + p.appraisal_middle_percent +
				 p.appraisal_bottom_percent, 100);
}

static void defaults_pass_their_own_checks(void **state)
{
	struct policy p;
	struct err err = ERR_INIT;
	(void)state;
	policy_defaults(&p);
	assert_int_equal(policy_check(&p, &err), 0);
}

static void rate_text_is_exact(void **state)
{
	static const struct {
		const char *text;
		int ok;
		int64_t ppm;
	} cases[] = {
		{ "0.005", 1, 5000 }, { "0.008", 1, 8000 }, { "1", 1, 1000000 },
		{ "0.9", 1, 900000 }, { ".5", 1, 500000 },  { "0.000001", 1, 1 },
		{ "0.0000001", 0, 0 }, { "", 0, 0 },       { "abc", 0, 0 },
		{ "1.2.3", 0, 0 },    { "-0.1", 0, 0 },     { "0.5 ", 0, 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t ppm = -1;
		int rc = policy_rate_parse(cases[i].text, &ppm);
		assert_int_equal(rc == 0, cases[i].ok);
		if (cases[i].ok)
			assert_int_equal(ppm, cases[i].ppm);
	}
}

static void clock_text(void **state)
{
	int m;
	char buf[8];
	(void)state;
	assert_int_equal(policy_clock_parse("09:00", &m), 0);
	assert_int_equal(m, 540);
	assert_int_equal(policy_clock_parse("23:59", &m), 0);
	assert_int_equal(policy_clock_parse("24:00", &m), -1);
	assert_int_equal(policy_clock_parse("9:00", &m), -1);
	assert_int_equal(policy_clock_parse("09:60", &m), -1);
	assert_int_equal(policy_clock_parse("09:00x", &m), -1);
	policy_clock_format(17 * 60 + 30, buf);
	assert_string_equal(buf, "17:30");
}

static void json_round_trip(void **state)
{
	struct policy a, b;
	struct err err = ERR_INIT;
	(void)state;
	policy_defaults(&a);
	a.presale_rate_ppm = 6000;
	a.forbidden_words.n = 1;
	a.auto_audit = 0;
	json_t *doc = policy_to_json(&a);
	policy_defaults(&b);
	assert_int_equal(policy_from_json(doc, &b, &err), 0);
	assert_memory_equal(&a, &b, sizeof a);
	json_decref(doc);
}

/* Each bad document fails with 422 naming section.key. */
static void json_rejects_with_field(void **state)
{
	static const struct {
		const char *doc;
		const char *field;
	} cases[] = {
		{ "{\"pay\":{\"presale_rate\":\"0.005\"}}", "pay.presale_rate" },
		{ "{\"pay\":{\"presale_rate\":2}}", "pay.presale_rate" },
		{ "{\"pay\":{\"presale_rate\":0.0050001}}", "pay.presale_rate" },
		{ "{\"pay\":{\"min_pay_year1_fen\":2000.5}}", "pay.min_pay_year1_fen" },
		{ "{\"pay\":{\"min_pay_year1_fen\":-1}}", "pay.min_pay_year1_fen" },
		{ "{\"orders\":{\"auto_audit\":1}}", "orders.auto_audit" },
		{ "{\"shifts\":{\"night_start\":\"7pm\"}}", "shifts.night_start" },
		{ "{\"shifts\":{\"night_start\":\"23:45\"}}", "shifts.night_end" },
		{ "{\"listings\":{\"forbidden_words\":[\"ok\",3]}}", "listings.forbidden_words" },
		{ "{\"listings\":{\"forbidden_words\":\"最\"}}", "listings.forbidden_words" },
		{ "{\"listings\":{\"image_min_kb\":300}}", "listings.image_max_kb" },
		{ "{\"pay\":{\"score_band2_min\":95}}", "pay.score_band2_min" },
		{ "{\"staff\":{\"appraisal_bottom_percent\":5}}", "staff.appraisal_middle_percent" },
		{ "{\"pay\":{\"unknown\":1}}", "pay.unknown" },
		{ "{\"mystery\":{}}", "mystery" },
		{ "{\"pay\":[]}", "pay" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct policy p;
		struct err err = ERR_INIT;
		json_t *doc = json_loads(cases[i].doc, 0, NULL);
		assert_non_null(doc);
		policy_defaults(&p);
		assert_int_equal(policy_from_json(doc, &p, &err), ERR_UNPROCESSABLE);
		assert_string_equal(err.field, cases[i].field);
		assert_true(err.msg_zh[0] && err.msg_en[0]);
		/* the English message carries no Chinese (each language built alone) */
		for (const char *c = err.msg_en; *c; c++)
			assert_true((unsigned char)*c < 0x80);
		json_decref(doc);
	}
}

static void partial_document_keeps_defaults(void **state)
{
	struct policy p;
	struct err err = ERR_INIT;
	(void)state;
	json_t *doc = json_loads("{\"crm\":{\"followup_a_per_week\":3}}", 0, NULL);
	policy_defaults(&p);
	assert_int_equal(policy_from_json(doc, &p, &err), 0);
	assert_int_equal(p.followup_a_per_week, 3);
	assert_int_equal(p.followup_b_per_week, 1);
	assert_int_equal(p.presale_rate_ppm, 5000);
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_are_the_seeds),
		cmocka_unit_test(defaults_pass_their_own_checks),
		cmocka_unit_test(rate_text_is_exact),
		cmocka_unit_test(clock_text),
		cmocka_unit_test(json_round_trip),
		cmocka_unit_test(json_rejects_with_field),
		cmocka_unit_test(partial_document_keeps_defaults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
