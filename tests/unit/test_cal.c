/* Unit tests for lib/cal. Expected instants were checked with GNU date, e.g.
 * `date -u -d '2026-11-11 00:00:03 +0800' +%s` -> 1794326403. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/cal.h"
#include "lib/common.h"

#define HOUR 3600
#define DAY (24 * HOUR)

/* Shanghai wall times used below (all 2026). */
#define FRI_1120_1000 INT64_C(1795140000)
#define SAT_1121_1000 INT64_C(1795226400)
#define SUN_1122_1000 INT64_C(1795312800)
#define MON_1123_1000 INT64_C(1795399200)
#define TUE_1124_1000 INT64_C(1795485600)
#define WED_1125_1000 INT64_C(1795572000)

/* ---------------------------------------------------------------- civil days */

static const struct {
	int y, m, d;
	int64_t days;
	int weekday;
} civil_cases[] = {
	{ 1970, 1, 1, 0, 4 },         /* Thursday */
	{ 1969, 12, 31, -1, 3 },
	{ 1969, 12, 28, -4, 0 },      /* Sunday, before the epoch */
	{ 2000, 3, 1, 11017, 3 },
	{ 2024, 2, 29, 19782, 4 },
	{ 2026, 10, 1, 20727, 4 },
	{ 2026, 11, 23, 20780, 1 },
	{ 2026, 11, 24, 20781, 2 },   /* Tuesday */
	{ 1600, 1, 1, -135140, 6 },
};

static void test_civil_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(civil_cases); i++) {
		int y, m, d;
		assert_int_equal(cal_days_from_civil(civil_cases[i].y, civil_cases[i].m,
						     civil_cases[i].d), civil_cases[i].days);
		cal_civil_from_days(civil_cases[i].days, &y, &m, &d);
		assert_int_equal(y, civil_cases[i].y);
		assert_int_equal(m, civil_cases[i].m);
		assert_int_equal(d, civil_cases[i].d);
		assert_int_equal(cal_weekday(civil_cases[i].days), civil_cases[i].weekday);
	}
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Walk every day from 1600 to 2400 (covers 1700/1800/1900/2100 non-leap and
 * 2000 leap) and check each step is the next calendar day. */
static void test_civil_walk(void **state)
{
	static const int mlen[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y = 1600, m = 1, d = 1;
	int64_t first = cal_days_from_civil(1600, 1, 1);
	int64_t last = cal_days_from_civil(2400, 12, 31);

	(void)state;
	for (int64_t days = first; days <= last; days++) {
		int yy, mm, dd;
		cal_civil_from_days(days, &yy, &mm, &dd);
		if (yy != y || mm != m || dd != d)
			fail_msg("day %lld: %d-%d-%d, want %d-%d-%d", (long long)days, yy, mm, dd,
				 y, m, d);
		if (cal_days_from_civil(y, m, d) != days)
			fail_msg("%d-%d-%d does not map back", y, m, d);
		if (cal_weekday(days + 1) != (cal_weekday(days) + 1) % 7)
			fail_msg("weekday jump at %lld", (long long)days);
		int len = m == 2 && leap(y) ? 29 : mlen[m - 1];
		if (++d > len) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
}

/* ---------------------------------------------------------------- Shanghai */

static void test_shanghai(void **state)
{
	struct cal_dt dt = { 2026, 11, 11, 0, 0, 3 };
	struct cal_dt back;

	(void)state;
	assert_int_equal(cal_utc_from_shanghai(&dt), INT64_C(1794326403));
	dt.year = 2025;
	assert_int_equal(cal_utc_from_shanghai(&dt), INT64_C(1762790403));

	cal_shanghai_from_utc(INT64_C(1794326403), &back);
	assert_int_equal(back.year, 2026);
	assert_int_equal(back.month, 11);
	assert_int_equal(back.day, 11);
	assert_int_equal(back.hour, 0);
	assert_int_equal(back.min, 0);
	assert_int_equal(back.sec, 3);

	/* 16:00 UTC is midnight in Shanghai: the day changes there, not at 00:00 UTC. */
	int64_t midnight = INT64_C(1794326400);
	assert_int_equal(cal_shanghai_day(midnight), cal_days_from_civil(2026, 11, 11));
	assert_int_equal(cal_shanghai_day(midnight - 1), cal_days_from_civil(2026, 11, 10));
	/* before the epoch the floor division still picks the right day */
	assert_int_equal(cal_shanghai_day(-8 * HOUR), 0);
	assert_int_equal(cal_shanghai_day(-8 * HOUR - 1), -1);
	cal_shanghai_from_utc(-8 * HOUR - 1, &back);
	assert_int_equal(back.year, 1969);
	assert_int_equal(back.hour, 23);
	assert_int_equal(back.sec, 59);
}

/* ---------------------------------------------------------------- parse */

static const struct {
	const char *in;
	int rc;
	int64_t utc;
} parse_cases[] = {
	{ "2026-11-11 00:00:03", 0, INT64_C(1794326403) },
	{ "2026/11/11 0:00:03", 0, INT64_C(1794326403) },
	{ "2026-11-11 00:00", 0, INT64_C(1794326400) },
	{ "2026-11-11", 0, INT64_C(1794326400) },
	{ "2026-11-11T00:00:03", 0, INT64_C(1794326403) },
	{ "2026-11-11T00:00:03Z", 0, INT64_C(1794326403) + 8 * HOUR },
	{ "2026-11-10T16:00:03Z", 0, INT64_C(1794326403) },
	{ "2026-11-10T16:00:03.123Z", 0, INT64_C(1794326403) },
	{ "2026-11-11 00:00:03.5", 0, INT64_C(1794326403) },
	{ "2025-11-11 00:00:03", 0, INT64_C(1762790403) },
	{ "2026/1/5", 0, INT64_C(1767542400) },
	{ "  2026-11-11 00:00:03 ", 0, INT64_C(1794326403) },
	{ "2026-11-11 23:59:59", 0, INT64_C(1794412799) },
	{ "2024-02-29", 0, INT64_C(1709136000) },
	{ "2000-02-29", 0, INT64_C(951753600) },
	{ "1970-01-01 08:00:00", 0, 0 },
	/* rejected */
	{ "2026-02-29", ERR_INVALID, 0 },
	{ "1900-02-29", ERR_INVALID, 0 },
	{ "2100-02-29", ERR_INVALID, 0 },
	{ "2026-13-01", ERR_INVALID, 0 },
	{ "2026-00-10", ERR_INVALID, 0 },
	{ "2026-11-00", ERR_INVALID, 0 },
	{ "2026-11-31", ERR_INVALID, 0 },
	{ "2026-04-31", ERR_INVALID, 0 },
	{ "2026-11-11 24:00:00", ERR_INVALID, 0 },
	{ "2026-11-11 23:60", ERR_INVALID, 0 },
	{ "2026-11-11 23:59:60", ERR_INVALID, 0 },
	{ "2026-11-11 00:00:03x", ERR_INVALID, 0 },
	{ "2026-11-11x", ERR_INVALID, 0 },
	{ "2026-11-11 00:00:03Z", ERR_INVALID, 0 },   /* Z only in the ISO form */
	{ "2026-11-11T00:00:03+08:00", ERR_INVALID, 0 },
	{ "2026-11-11T", ERR_INVALID, 0 },
	{ "2026-11-11 0:0", ERR_INVALID, 0 },
	{ "2026-11-11 000:00", ERR_INVALID, 0 },
	{ "2026-11-11 00:00:03.", ERR_INVALID, 0 },
	{ "2026-11/11", ERR_INVALID, 0 },
	{ "2026.11.11", ERR_INVALID, 0 },
	{ "26-11-11", ERR_INVALID, 0 },
	{ "20261111", ERR_INVALID, 0 },
	{ "2026-011-11", ERR_INVALID, 0 },
	{ "1899-12-31", ERR_INVALID, 0 },
	{ "-2026-11-11", ERR_INVALID, 0 },
	{ "", ERR_INVALID, 0 },
	{ "now", ERR_INVALID, 0 },
};

static void test_parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(parse_cases); i++) {
		struct err err = ERR_INIT;
		int64_t utc = -7;
		int rc = cal_parse(parse_cases[i].in, &utc, &err);
		if (rc != parse_cases[i].rc)
			fail_msg("case %zu \"%s\": rc %d, want %d", i, parse_cases[i].in, rc,
				 parse_cases[i].rc);
		if (rc == 0 && utc != parse_cases[i].utc)
			fail_msg("case %zu \"%s\": %lld, want %lld", i, parse_cases[i].in,
				 (long long)utc, (long long)parse_cases[i].utc);
		if (rc) {
			assert_int_equal(err.code, ERR_INVALID);
			assert_string_equal(err.field, "time");
			assert_int_equal(utc, -7);
		}
	}
}

/* ---------------------------------------------------------------- format */

static void test_format(void **state)
{
	char buf[CAL_BUF];
	struct err err = ERR_INIT;
	int64_t back;

	(void)state;
	assert_string_equal(cal_format(INT64_C(1794326403), buf), "2026-11-11 00:00:03");
	assert_string_equal(cal_format_iso(INT64_C(1794326403), buf), "2026-11-10T16:00:03Z");
	assert_string_equal(cal_format_memo_date(TUE_1124_1000, buf), "2026.11.24");
	assert_string_equal(cal_format(0, buf), "1970-01-01 08:00:00");
	assert_string_equal(cal_format_iso(-1, buf), "1969-12-31T23:59:59Z");

	/* each format parses back to the same instant */
	for (int64_t t = INT64_C(946684800); t < INT64_C(4102444800); t += INT64_C(86399) * 37) {
		assert_int_equal(cal_parse(cal_format(t, buf), &back, &err), 0);
		assert_int_equal(back, t);
		assert_int_equal(cal_parse(cal_format_iso(t, buf), &back, &err), 0);
		assert_int_equal(back, t);
	}
}

/* ---------------------------------------------------------------- working days */

static const struct cal_policy mon_sat = { CAL_WORKDAYS_MON_SAT, NULL, 0 };

static void test_workday(void **state)
{
	const int32_t holidays[] = { 20700, 20727, 20780, 20790 }; /* 20780 = Mon 2026-11-23 */
	const struct cal_policy p = { CAL_WORKDAYS_MON_SAT, holidays, 4 };

	(void)state;
	assert_true(cal_is_workday(cal_shanghai_day(SAT_1121_1000), &mon_sat));
	assert_false(cal_is_workday(cal_shanghai_day(SUN_1122_1000), &mon_sat));
	assert_true(cal_is_workday(20780, &mon_sat));
	for (size_t i = 0; i < ARRAY_SIZE(holidays); i++)
		assert_false(cal_is_workday(holidays[i], &p));
	assert_true(cal_is_workday(20781, &p));
	assert_true(cal_is_workday(20699, &p));
	assert_true(cal_is_workday(cal_shanghai_day(SUN_1122_1000), NULL));
}

static void test_deadline_hours(void **state)
{
	const int32_t monday_off[] = { 20780 };
	const struct cal_policy p = { CAL_WORKDAYS_MON_SAT, monday_off, 1 };
	/* National Day week 2026-10-01..07 */
	const int32_t golden_week[] = { 20727, 20728, 20729, 20730, 20731, 20732, 20733 };
	const struct cal_policy gw = { CAL_WORKDAYS_MON_SAT, golden_week, 7 };

	(void)state;
	/* the seed: "within 24 hours, Sunday rolls to Monday" */
	assert_int_equal(cal_deadline_hours(SAT_1121_1000, 24, &mon_sat), MON_1123_1000);
	assert_int_equal(cal_deadline_hours(FRI_1120_1000, 24, &mon_sat), SAT_1121_1000);
	assert_int_equal(cal_deadline_hours(FRI_1120_1000, 48, &mon_sat), MON_1123_1000);
	/* Saturday 23:30 + 1 h is Sunday 00:30, which rolls to Monday 00:30 */
	assert_int_equal(cal_deadline_hours(INT64_C(1795275000), 1, &mon_sat),
			 INT64_C(1795365000));
	/* a holiday Monday pushes on to Tuesday */
	assert_int_equal(cal_deadline_hours(SAT_1121_1000, 24, &p), TUE_1124_1000);
	/* Wed 2026-09-30 10:00 + 24 h lands in Golden Week: Thu 2026-10-08 10:00 */
	assert_int_equal(cal_deadline_hours(INT64_C(1790733600), 24, &gw), INT64_C(1791424800));
	assert_int_equal(cal_deadline_hours(SAT_1121_1000, 0, &mon_sat), SAT_1121_1000);

	assert_int_equal(cal_roll_to_workday(SUN_1122_1000, &mon_sat), MON_1123_1000);
	assert_int_equal(cal_roll_to_workday(TUE_1124_1000, &mon_sat), TUE_1124_1000);
}

static void test_add_workdays(void **state)
{
	const int32_t monday_off[] = { 20780 };
	const struct cal_policy p = { CAL_WORKDAYS_MON_SAT, monday_off, 1 };

	(void)state;
	assert_int_equal(cal_add_workdays(FRI_1120_1000, 0, &mon_sat), FRI_1120_1000);
	assert_int_equal(cal_add_workdays(FRI_1120_1000, 1, &mon_sat), SAT_1121_1000);
	assert_int_equal(cal_add_workdays(SAT_1121_1000, 1, &mon_sat), MON_1123_1000);
	assert_int_equal(cal_add_workdays(SUN_1122_1000, 1, &mon_sat), MON_1123_1000);
	assert_int_equal(cal_add_workdays(FRI_1120_1000, 3, &mon_sat), TUE_1124_1000);
	assert_int_equal(cal_add_workdays(SAT_1121_1000, 1, &p), TUE_1124_1000);
	assert_int_equal(cal_add_workdays(SAT_1121_1000, 2, &p), WED_1125_1000);
	/* six working days in a Mon-Sat week: a week later, same weekday */
	assert_int_equal(cal_add_workdays(FRI_1120_1000, 6, &mon_sat), FRI_1120_1000 + 7 * DAY);
	assert_int_equal(cal_add_workdays(FRI_1120_1000, -3, &mon_sat), FRI_1120_1000);
}

/* A policy with no working weekday must not spin forever. */
static void test_no_workdays(void **state)
{
	const struct cal_policy none = { 0, NULL, 0 };

	(void)state;
	assert_int_equal(cal_roll_to_workday(SUN_1122_1000, &none), SUN_1122_1000);
	assert_int_equal(cal_add_workdays(SUN_1122_1000, 2, &none), SUN_1122_1000);
	assert_int_equal(cal_deadline_hours(SUN_1122_1000, 24, NULL), MON_1123_1000);
	assert_int_equal(cal_add_workdays(SAT_1121_1000, 1, NULL), SUN_1122_1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_civil_table),
		cmocka_unit_test(test_civil_walk),
		cmocka_unit_test(test_shanghai),
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_workday),
		cmocka_unit_test(test_deadline_hours),
		cmocka_unit_test(test_add_workdays),
		cmocka_unit_test(test_no_workdays),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
