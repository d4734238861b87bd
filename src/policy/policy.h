/*
 * policy.h - a store's business numbers, with the seeds' values as defaults.
 *
 * Every number a store may change (14 after-sale days, 0.005 commission, 48 h,
 * A = 2x a week ...) lives here, never as a constant in a rule. The core reads
 * this typed struct; the JSON form (policy_json.c) and storage (policy_db.c) are
 * shells around it. Each field is described once in a table (policy_fields)
 * that drives defaults, JSON reading and writing, and range checks, so adding a
 * number is one line. Rates are parts per million (0.005 = 5000 ppm) so money
 * arithmetic stays integer; money is fen; clock times are minutes after midnight.
 */
#ifndef POLICY_POLICY_H
#define POLICY_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"

#define POLICY_TEXT_MAX 128
#define POLICY_WORDS_MAX 64
#define POLICY_WORD_MAX 32

struct policy_words {
	int n;
	char w[POLICY_WORDS_MAX][POLICY_WORD_MAX];
};

struct policy {
	/* orders / after-sales [000][001][002][004] */
	int after_sale_days;            /* 14 */
	int bad_review_contact_hours;   /* 48: AFS-3 */
	int complaint_response_hours;   /* 24: AFS-4 */
	int refund_warn_hours;          /* flag refunds this close to time-out */
	int auto_audit;                 /* ORD-13 */
	int mask_phone_on_waybill;      /* ORD-7 */
	int allow_presale_oversell;     /* INV-6 */

	/* customer-service KPIs (KPI.md section 1) [004] */
	int payment_window_days;        /* 4 */
	char ad_phrase[POLICY_TEXT_MAX];
	int ad_min_messages;            /* 2 */
	int simple_min_messages;        /* 3 */
	int64_t cover_min_ratio_ppm;    /* 0.5 of the store average */

	/* CRM follow-up cadence [003] */
	int followup_a_per_week;        /* 2 */
	int followup_b_per_week;        /* 1 */
	int followup_c_every_days;      /* 14 */
	int followup_d_every_days;      /* 30 */
	int new_customer_contact_days;  /* 7 */
	int high_grade_min_contacts_month; /* 5 */

	/* foreign trade [002][003] */
	int quote_minutes;              /* 30 */
	int sample_search_days;         /* 1 */
	int deposit_percent;            /* 30 */

	/* distribution and finance [002] */
	int payment_notify_hours;       /* 24, Sunday rolls to Monday */
	int statement_due_day;          /* 5 */
	int sunday_rolls_to_monday;

	/* shifts [001] */
	int day_shift_start_min, day_shift_end_min;     /* 09:00-17:30 */
	int half_shift_start_min, half_shift_end_min;   /* 10:00-15:30 */
	int night_shift_start_min, night_shift_end_min; /* 17:00-23:30 */
	int service_start_min, service_end_min;         /* 09:00-23:30 */
	int days_off_per_month;         /* 4 */

	/* listings [000][002] */
	int title_max_chars;            /* 64 */
	int brief_min_points, brief_max_points; /* 3-5 */
	int image_min_px;               /* 360 */
	int image_min_kb, image_max_kb; /* 150-200 */
	struct policy_words forbidden_words;

	/* score sheet and fines [001][004] */
	int exam_full_bonus;            /* +5 */
	int exam_pass_mark;             /* 60 */
	int exam_fail_penalty;          /* -10 */
	int deduct_light_max, deduct_medium, deduct_severe; /* 5, 10, 20 */
	int64_t fine_first_fen, fine_second_fen;            /* 10, 30 yuan */

	/* pay [004][001][003] */
	int64_t presale_rate_ppm;       /* 0.005 */
	int64_t aftersale_rate_ppm;     /* 0.008 */
	int64_t gold_sales_rate_ppm;    /* 0.006 */
	int64_t gold_returns_rate_ppm;  /* 0.008 */
	int64_t min_pay_year1_fen, min_pay_year2_fen, min_pay_year3_fen; /* 2000/2200/2500 */
	int64_t probation_pay_fen;      /* 1600 */
	int score_band1_min, score_band2_min, score_band3_min;          /* 90, 80, 70 */
	int64_t score_band1_ppm, score_band2_ppm, score_band3_ppm;      /* 100%, 90%, 80% */
	int64_t overtime_hour_fen;
	int64_t trade_base_min_fen, trade_base_max_fen; /* 1000-1200 */

	/* staff and appraisal [000][004] */
	int onboarding_days;            /* 27 */
	int promote_mid_months, promote_senior_months, promote_most_senior_months; /* 3, 12, 24 */
	int appraisal_top_percent, appraisal_middle_percent, appraisal_bottom_percent; /* 271 */

	/* approvals [004] */
	int64_t expense_limit_cs_fen;   /* 100 yuan */
	int64_t expense_limit_lead_fen; /* 1000 yuan */
};

enum policy_type {
	POLICY_INT,    /* int */
	POLICY_BOOL,   /* int 0/1 */
	POLICY_FEN,    /* int64_t fen; JSON integer fen */
	POLICY_RATE,   /* int64_t ppm; JSON number like 0.005 */
	POLICY_CLOCK,  /* int minutes; JSON "HH:MM" */
	POLICY_TEXT,   /* char[POLICY_TEXT_MAX] */
	POLICY_WORDS,  /* struct policy_words; JSON array of strings */
};

struct policy_field {
	const char *section;   /* JSON object in the document: "orders", "pay" ... */
	const char *name;      /* key inside it */
	enum policy_type type;
	size_t offset;
	int64_t min, max;      /* integer bounds (ppm for rates, minutes for clocks) */
	const char *def;       /* default, as text: "14", "0.005", "09:00", "true" */
	const char *help_zh;
};

extern const struct policy_field policy_fields[];
extern const size_t policy_nfields;

/* Fills p with the seeds' defaults. */
void policy_defaults(struct policy *p);

/* Value checks of a single field, in the field's own unit. */
int policy_check_int(const struct policy_field *f, int64_t v, struct err *err) WUR;
/* Rules across fields (shift start before end, 20+70+10 = 100, bands descending ...).
 * The error's field names the offending key as "section.name". */
int policy_check(const struct policy *p, struct err *err) WUR;

/* "09:00" <-> 540. */
int policy_clock_parse(const char *s, int *minutes);
void policy_clock_format(int minutes, char buf[8]);
/* "0.005" <-> 5000 ppm, exact to six decimals. */
int policy_rate_parse(const char *s, int64_t *ppm);

#endif
