/*
 * cal.h - time and the working calendar.
 *
 * Storage is UTC epoch seconds (int64). Calendars are Asia/Shanghai, which is
 * UTC+8 with no daylight saving since 1991, so conversion is arithmetic: no tz
 * database, no localtime(). Deadlines (refund time-outs, 48 h reviews, finance
 * notice "within 24 hours, Sunday rolls to Monday") are computed here from a
 * calendar policy the caller passes in.
 */
#ifndef LIB_CAL_H
#define LIB_CAL_H

#include <stdint.h>

#include "lib/err.h"

#define CAL_SHANGHAI_OFFSET_S (8 * 3600)
#define CAL_BUF 32

struct cal_dt {
	int year, month, day; /* month 1-12, day 1-31 */
	int hour, min, sec;
};

struct cal_policy {
	/* bit d set = weekday d is a working day (0 = Sunday ... 6 = Saturday) */
	unsigned workdays_mask;
	/* extra non-working dates (public holidays), as days since 1970-01-01 in Shanghai, sorted */
	const int32_t *holidays;
	int n_holidays;
};

/* Monday to Saturday working: the seed's "Sunday rolls to Monday". */
#define CAL_WORKDAYS_MON_SAT 0x7Eu

int64_t cal_days_from_civil(int y, int m, int d);
void cal_civil_from_days(int64_t days, int *y, int *m, int *d);
/* 0 = Sunday ... 6 = Saturday, of a Shanghai calendar day number. */
int cal_weekday(int64_t days);

int64_t cal_utc_from_shanghai(const struct cal_dt *dt);
void cal_shanghai_from_utc(int64_t utc, struct cal_dt *out);
/* Shanghai calendar day number of a UTC instant. */
int64_t cal_shanghai_day(int64_t utc);

/* Parses Shanghai wall time: "2026-11-11 00:00:03", "2026/11/11 0:00:03", "2026-11-11 00:00",
 * "2026-11-11", "2026-11-11T00:00:03" and "2026-11-11T00:00:03Z" (the Z form is UTC).
 * Validates ranges (Feb 29 only in leap years). */
int cal_parse(const char *s, int64_t *utc, struct err *err) WUR;
/* "2026-11-11 00:00:03" in Shanghai. */
char *cal_format(int64_t utc, char buf[CAL_BUF]);
/* "2026-11-11T00:00:03Z" (UTC, for the API). */
char *cal_format_iso(int64_t utc, char buf[CAL_BUF]);
/* "2026.11.24" in Shanghai (the memo date style of the seeds). */
char *cal_format_memo_date(int64_t utc, char buf[CAL_BUF]);

int cal_is_workday(int64_t day, const struct cal_policy *p);
/* When the Shanghai date of utc is not a working day, the same wall-clock time
 * on the next working day; otherwise utc unchanged. */
int64_t cal_roll_to_workday(int64_t utc, const struct cal_policy *p);
/* utc + hours, then rolled to a working day: "notify within 24 hours, Sunday rolls to Monday". */
int64_t cal_deadline_hours(int64_t utc, int hours, const struct cal_policy *p);
/* The same wall-clock time n working days later (n >= 0); non-working days are skipped. */
int64_t cal_add_workdays(int64_t utc, int n, const struct cal_policy *p);

#endif
