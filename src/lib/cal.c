#include "lib/cal.h"

#include <stdio.h>
#include <string.h>

#include "lib/common.h"

/*
 * Day numbers count from 1970-01-01 in the proleptic Gregorian calendar.
 * The conversion shifts the year to start on March 1st, so the leap day is the
 * last day of its year and month lengths from March on follow a fixed 5-month
 * pattern (31 30 31 30 31), which (153 * m + 2) / 5 reproduces. Years are then
 * split into 400-year eras of exactly 146097 days, so all the division is on
 * non-negative numbers inside an era.
 */

#define DAY_S INT64_C(86400)
#define DAYS_PER_ERA 146097
/* Days from 0000-03-01 to 1970-01-01. */
#define EPOCH_SHIFT 719468
#define CAL_FIELD "time"

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int64_t cal_days_from_civil(int y, int m, int d)
{
	int64_t year = (int64_t)y - (m <= 2);
	int64_t era = floor_div(year, 400);
	int64_t yoe = year - era * 400;               /* 0..399 */
	int64_t mp = (m + 9) % 12;                    /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + d - 1;     /* 0..365 */
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * DAYS_PER_ERA + doe - EPOCH_SHIFT;
}

void cal_civil_from_days(int64_t days, int *y, int *m, int *d)
{
	int64_t z = days + EPOCH_SHIFT;
	int64_t era = floor_div(z, DAYS_PER_ERA);
	int64_t doe = z - era * DAYS_PER_ERA;         /* 0..146096 */
	/* Undo the leap-day corrections: one per 4 years, minus one per 100,
	 * plus one per 400 (the era's last day). */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int cal_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday (4). */
	return (int)((days % 7 + 11) % 7);
}

int64_t cal_utc_from_shanghai(const struct cal_dt *dt)
{
	int64_t days = cal_days_from_civil(dt->year, dt->month, dt->day);
	return days * DAY_S + dt->hour * 3600 + dt->min * 60 + dt->sec - CAL_SHANGHAI_OFFSET_S;
}

static void civil_from_seconds(int64_t local, struct cal_dt *out)
{
	int64_t days = floor_div(local, DAY_S);
	int64_t s = local - days * DAY_S;

	cal_civil_from_days(days, &out->year, &out->month, &out->day);
	out->hour = (int)(s / 3600);
	out->min = (int)(s / 60 % 60);
	out->sec = (int)(s % 60);
}

void cal_shanghai_from_utc(int64_t utc, struct cal_dt *out)
{
	civil_from_seconds(utc + CAL_SHANGHAI_OFFSET_S, out);
}

int64_t cal_shanghai_day(int64_t utc)
{
	return floor_div(utc + CAL_SHANGHAI_OFFSET_S, DAY_S);
}

/* ---------------------------------------------------------------- parsing */

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int len[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

/* Reads min..max digits at *p into *v; 0 on success. */
static int take_num(const char **p, int min, int max, int *v)
{
	int n = 0;

	*v = 0;
	while (n < max && **p >= '0' && **p <= '9') {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n >= min ? 0 : -1;
}

static int take_char(const char **p, char c)
{
	if (**p != c)
		return -1;
	(*p)++;
	return 0;
}

static int take_date(const char **p, struct cal_dt *dt)
{
	char sep;

	if (take_num(p, 4, 4, &dt->year))
		return -1;
	sep = **p;
	if (sep != '-' && sep != '/')
		return -1;
	(*p)++;
	/* Both separators must agree: "2026-11/11" is a typo, not a date. */
	if (take_num(p, 1, 2, &dt->month) || take_char(p, sep) || take_num(p, 1, 2, &dt->day))
		return -1;
	return 0;
}

/* "H:MM", "HH:MM:SS", with optional fractional seconds that are dropped
 * (JavaScript's toISOString sends milliseconds). */
static int take_time(const char **p, struct cal_dt *dt)
{
	int frac;

	if (take_num(p, 1, 2, &dt->hour) || take_char(p, ':') || take_num(p, 2, 2, &dt->min))
		return -1;
	if (**p != ':')
		return 0;
	(*p)++;
	if (take_num(p, 2, 2, &dt->sec))
		return -1;
	if (**p == '.') {
		(*p)++;
		if (take_num(p, 1, 9, &frac))
			return -1;
	}
	return 0;
}

static int in_range(const struct cal_dt *dt)
{
	/* 1900 is the floor of spreadsheet dates; earlier years are typos here. */
	if (dt->year < 1900 || dt->month < 1 || dt->month > 12)
		return 0;
	if (dt->day < 1 || dt->day > days_in_month(dt->year, dt->month))
		return 0;
	return dt->hour <= 23 && dt->min <= 59 && dt->sec <= 59;
}

static void skip_blank(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

int cal_parse(const char *s, int64_t *utc, struct err *err)
{
	struct cal_dt dt = { 0 };
	const char *p = s;
	int is_utc = 0;

	skip_blank(&p);
	if (take_date(&p, &dt))
		goto bad;
	/* A space only starts a time when a digit follows; trailing blanks are fine. */
	if (*p == 'T' || (*p == ' ' && p[1] >= '0' && p[1] <= '9')) {
		int t = *p == 'T';
		p++;
		if (take_time(&p, &dt))
			goto bad;
		if (t && *p == 'Z') {
			is_utc = 1;
			p++;
		}
	}
	skip_blank(&p);
	if (*p || !in_range(&dt))
		goto bad;
	*utc = cal_utc_from_shanghai(&dt) + (is_utc ? CAL_SHANGHAI_OFFSET_S : 0);
	return 0;
bad:
	return err_set(err, ERR_INVALID, CAL_FIELD, "时间格式无效，应为 YYYY-MM-DD HH:MM:SS",
		       "invalid time; expected YYYY-MM-DD HH:MM:SS");
}

/* ---------------------------------------------------------------- formatting */

char *cal_format(int64_t utc, char buf[CAL_BUF])
{
	struct cal_dt dt;

	cal_shanghai_from_utc(utc, &dt);
	snprintf(buf, CAL_BUF, "%04d-%02d-%02d %02d:%02d:%02d", dt.year, dt.month, dt.day,
		 dt.hour, dt.min, dt.sec);
	return buf;
}

char *cal_format_iso(int64_t utc, char buf[CAL_BUF])
{
	struct cal_dt dt;

	civil_from_seconds(utc, &dt);
	snprintf(buf, CAL_BUF, "%04d-%02d-%02dT%02d:%02d:%02dZ", dt.year, dt.month, dt.day,
		 dt.hour, dt.min, dt.sec);
	return buf;
}

char *cal_format_memo_date(int64_t utc, char buf[CAL_BUF])
{
	struct cal_dt dt;

	cal_shanghai_from_utc(utc, &dt);
	snprintf(buf, CAL_BUF, "%04d.%02d.%02d", dt.year, dt.month, dt.day);
	return buf;
}

/* ---------------------------------------------------------------- working days */

static int is_holiday(int64_t day, const struct cal_policy *p)
{
	int lo = 0, hi = p->n_holidays;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (p->holidays[mid] == day)
			return 1;
		if (p->holidays[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int cal_is_workday(int64_t day, const struct cal_policy *p)
{
	/* No policy means no calendar: every day counts. */
	if (!p)
		return 1;
	if (!(p->workdays_mask & (1u << cal_weekday(day))))
		return 0;
	return !is_holiday(day, p);
}

/* A mask with no working weekday would make every search below endless; such
 * a policy is refused when policies are validated, and here it means "don't
 * move". With at least one working weekday the searches end: holidays are a
 * finite list. */
static int has_workdays(const struct cal_policy *p)
{
	return !p || (p->workdays_mask & 0x7Fu);
}

int64_t cal_roll_to_workday(int64_t utc, const struct cal_policy *p)
{
	int64_t day = cal_shanghai_day(utc);
	int64_t k = 0;

	if (!has_workdays(p))
		return utc;
	/* Shanghai has no DST, so the same wall-clock time is exactly k days on. */
	while (!cal_is_workday(day + k, p))
		k++;
	return utc + k * DAY_S;
}

int64_t cal_deadline_hours(int64_t utc, int hours, const struct cal_policy *p)
{
	return cal_roll_to_workday(utc + (int64_t)hours * 3600, p);
}

int64_t cal_add_workdays(int64_t utc, int n, const struct cal_policy *p)
{
	int64_t day = cal_shanghai_day(utc);
	int64_t k = 0;

	if (!has_workdays(p))
		return utc;
	for (int i = 0; i < n; i++) {
		k++;
		while (!cal_is_workday(day + k, p))
			k++;
	}
	return utc + k * DAY_S;
}
