/*
 * policy.c - the policy field table, defaults and checks.
 *
 * The defaults are the numbers of the seed documents; the seed is named on
 * each line ([000] ... [004], see ../shared/seeds and SPEC.md).
 */
#include "policy/policy.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "lib/common.h"

#define F(sec, field, type, lo, hi, def, help) \
	{ sec, #field, type, offsetof(struct policy, field), lo, hi, def, help }
#define FN(sec, name, field, type, lo, hi, def, help) \
	{ sec, name, type, offsetof(struct policy, field), lo, hi, def, help }

const struct policy_field policy_fields[] = {
	F("orders", bad_review_contact_hours, POLICY_INT, 1, 720, "48", "中差评联系时限(小时)[002]"),
	F("orders", complaint_response_hours, POLICY_INT, 1, 720, "24", "投诉响应时限(小时)[004]"),
	F("orders", refund_warn_hours, POLICY_INT, 1, 240, "24", "退款临近超时提醒(小时)[001]"),
	F("orders", auto_audit, POLICY_BOOL, 0, 1, "true", "自动审单 (ORD-13)"),
	F("orders", mask_phone_on_waybill, POLICY_BOOL, 0, 1, "true", "面单隐藏手机号中间四位"),
	F("orders", allow_presale_oversell, POLICY_BOOL, 0, 1, "false", "预售允许超卖 (INV-6)"),

	FN("cs_kpi", "after_sale_days", after_sale_days, POLICY_INT, 1, 90, "14",
	   "售后回访判定天数 (KPI.md 4.1)"),
	F("cs_kpi", payment_window_days, POLICY_INT, 0, 30, "4", "付款窗口天数 [004]"),
	F("cs_kpi", ad_phrase, POLICY_TEXT, 0, POLICY_TEXT_MAX - 1,
	  "非诚勿扰,青禾旗舰店期待您的再次光临!", "结束语/广告语 [004]"),
	F("cs_kpi", ad_min_messages, POLICY_INT, 1, 20, "2", "广告语条数 [004]"),
	F("cs_kpi", simple_min_messages, POLICY_INT, 1, 20, "3", "客服发言无回应条数 [004]"),
	F("cs_kpi", cover_min_ratio_ppm, POLICY_RATE, 0, 1000000, "0.5", "临时顶班须达店铺平均的比例 [004]"),

	F("crm", followup_a_per_week, POLICY_INT, 1, 14, "2", "A 类客户每周跟进次数 [003]"),
	F("crm", followup_b_per_week, POLICY_INT, 1, 14, "1", "B 类客户每周跟进次数 [003]"),
	F("crm", followup_c_every_days, POLICY_INT, 1, 90, "14", "C 类客户跟进间隔(天)[003]"),
	F("crm", followup_d_every_days, POLICY_INT, 1, 180, "30", "D 类客户跟进间隔(天)[003]"),
	F("crm", new_customer_contact_days, POLICY_INT, 1, 30, "7", "新客户首次联系期限(天)[003]"),
	F("crm", high_grade_min_contacts_month, POLICY_INT, 0, 100, "5", "高级客户每月最少联系次数 [003]"),

	F("trade", quote_minutes, POLICY_INT, 1, 1440, "30", "报价时限(分钟)[002]"),
	F("trade", sample_search_days, POLICY_INT, 1, 30, "1", "找样时限(天)[002]"),
	F("trade", deposit_percent, POLICY_INT, 0, 100, "30", "生产前定金比例(%)[002]"),

	F("finance", payment_notify_hours, POLICY_INT, 1, 168, "24", "到款通知财务时限(小时)[002]"),
	F("finance", statement_due_day, POLICY_INT, 1, 28, "5", "分销对账单截止日 [002]"),
	F("finance", sunday_rolls_to_monday, POLICY_BOOL, 0, 1, "true", "周日顺延至周一 [002]"),

	FN("shifts", "day_start", day_shift_start_min, POLICY_CLOCK, 0, 1439, "09:00", "白班开始 [001]"),
	FN("shifts", "day_end", day_shift_end_min, POLICY_CLOCK, 0, 1439, "17:30", "白班结束 [001]"),
	FN("shifts", "half_start", half_shift_start_min, POLICY_CLOCK, 0, 1439, "10:00", "半班开始 [001]"),
	FN("shifts", "half_end", half_shift_end_min, POLICY_CLOCK, 0, 1439, "15:30", "半班结束 [001]"),
	FN("shifts", "night_start", night_shift_start_min, POLICY_CLOCK, 0, 1439, "17:00", "晚班开始 [001]"),
	FN("shifts", "night_end", night_shift_end_min, POLICY_CLOCK, 0, 1439, "23:30", "晚班结束 [001]"),
	FN("shifts", "service_start", service_start_min, POLICY_CLOCK, 0, 1439, "09:00", "客服在线开始 [001]"),
	FN("shifts", "service_end", service_end_min, POLICY_CLOCK, 0, 1439, "23:30", "客服在线结束 [001]"),
	F("shifts", days_off_per_month, POLICY_INT, 0, 15, "4", "每月休息天数 [001]"),

	F("listings", title_max_chars, POLICY_INT, 10, 200, "64", "标题字数上限 [000]"),
	F("listings", brief_min_points, POLICY_INT, 1, 20, "3", "简要描述最少条数 [000]"),
	F("listings", brief_max_points, POLICY_INT, 1, 20, "5", "简要描述最多条数 [000]"),
	F("listings", image_min_px, POLICY_INT, 100, 5000, "360", "图片最小边长(像素)[000]"),
	F("listings", image_min_kb, POLICY_INT, 1, 10240, "150", "图片最小体积(KB)[000]"),
	F("listings", image_max_kb, POLICY_INT, 1, 10240, "200", "图片最大体积(KB)[000]"),
	F("listings", forbidden_words, POLICY_WORDS, 0, POLICY_WORDS_MAX,
	  "最|第一|国家级|最高级|最佳|顶级|极品|独一无二|绝对|万能|首选|全网第一",
	  "广告法禁用词 [000][002]"),

	F("scores", exam_full_bonus, POLICY_INT, 0, 100, "5", "考试满分加分 [004]"),
	F("scores", exam_pass_mark, POLICY_INT, 0, 100, "60", "考试及格线 [004]"),
	F("scores", exam_fail_penalty, POLICY_INT, 0, 100, "10", "考试不及格扣分 [004]"),
	F("scores", deduct_light_max, POLICY_INT, 1, 100, "5", "轻度违规最多扣分 [004]"),
	F("scores", deduct_medium, POLICY_INT, 1, 100, "10", "中度违规扣分 [004]"),
	F("scores", deduct_severe, POLICY_INT, 1, 100, "20", "严重违规扣分 [004]"),
	F("scores", fine_first_fen, POLICY_FEN, 0, 10000000, "1000", "首次违规罚款(分)[001]"),
	F("scores", fine_second_fen, POLICY_FEN, 0, 10000000, "3000", "第二次违规罚款(分)[001]"),

	FN("pay", "presale_rate", presale_rate_ppm, POLICY_RATE, 0, 1000000, "0.005", "售前提成比例 [004]"),
	FN("pay", "aftersale_rate", aftersale_rate_ppm, POLICY_RATE, 0, 1000000, "0.008", "售后提成比例 [004]"),
	FN("pay", "gold_sales_rate", gold_sales_rate_ppm, POLICY_RATE, 0, 1000000, "0.006", "金牌客服销售提成 [004]"),
	FN("pay", "gold_returns_rate", gold_returns_rate_ppm, POLICY_RATE, 0, 1000000, "0.008", "金牌客服退换提成 [004]"),
	F("pay", min_pay_year1_fen, POLICY_FEN, 0, 100000000, "200000", "第一年保底工资(分)[004]"),
	F("pay", min_pay_year2_fen, POLICY_FEN, 0, 100000000, "220000", "第二年保底工资(分)[004]"),
	F("pay", min_pay_year3_fen, POLICY_FEN, 0, 100000000, "250000", "第三年起保底工资(分)[004]"),
	F("pay", probation_pay_fen, POLICY_FEN, 0, 100000000, "160000", "试用期月薪(分)[004]"),
	F("pay", score_band1_min, POLICY_INT, 0, 100, "90", "第一档最低分 [004]"),
	F("pay", score_band2_min, POLICY_INT, 0, 100, "80", "第二档最低分 [004]"),
	F("pay", score_band3_min, POLICY_INT, 0, 100, "70", "第三档最低分 [004]"),
	FN("pay", "score_band1_rate", score_band1_ppm, POLICY_RATE, 0, 1000000, "1", "第一档奖金比例 [004]"),
	FN("pay", "score_band2_rate", score_band2_ppm, POLICY_RATE, 0, 1000000, "0.9", "第二档奖金比例 [004]"),
	FN("pay", "score_band3_rate", score_band3_ppm, POLICY_RATE, 0, 1000000, "0.8", "第三档奖金比例 [004]"),
	F("pay", overtime_hour_fen, POLICY_FEN, 0, 1000000, "2000", "加班每小时工资(分)"),
	F("pay", trade_base_min_fen, POLICY_FEN, 0, 100000000, "100000", "外贸业务员底薪下限(分)[003]"),
	F("pay", trade_base_max_fen, POLICY_FEN, 0, 100000000, "120000", "外贸业务员底薪上限(分)[003]"),

	F("staff", onboarding_days, POLICY_INT, 1, 365, "27", "新人培训天数 [000]"),
	F("staff", promote_mid_months, POLICY_INT, 0, 120, "3", "初级升中级月数 [004]"),
	F("staff", promote_senior_months, POLICY_INT, 0, 240, "12", "升高级月数 [004]"),
	F("staff", promote_most_senior_months, POLICY_INT, 0, 360, "24", "升资深月数 [004]"),
	F("staff", appraisal_top_percent, POLICY_INT, 0, 100, "20", "271 优秀比例 [000]"),
	F("staff", appraisal_middle_percent, POLICY_INT, 0, 100, "70", "271 合格比例 [000]"),
	F("staff", appraisal_bottom_percent, POLICY_INT, 0, 100, "10", "271 待改进比例 [000]"),

	F("approvals", expense_limit_cs_fen, POLICY_FEN, 0, 100000000, "10000", "客服费用审批上限(分)[004]"),
	F("approvals", expense_limit_lead_fen, POLICY_FEN, 0, 100000000, "100000", "主管费用审批上限(分)[004]"),
};

const size_t policy_nfields = ARRAY_SIZE(policy_fields);

int policy_clock_parse(const char *s, int *minutes)
{
	int h, m;
	char tail;
	if (strlen(s) != 5 || s[2] != ':' || sscanf(s, "%2d:%2d%c", &h, &m, &tail) != 2)
		return -1;
	if (h < 0 || h > 23 || m < 0 || m > 59)
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

void policy_clock_format(int minutes, char buf[8])
{
	snprintf(buf, 8, "%02d:%02d", (minutes / 60) % 100, minutes % 60);
}

/* Decimal text to ppm without floating point, so 0.005 is exactly 5000. */
int policy_rate_parse(const char *s, int64_t *ppm)
{
	int64_t whole = 0, frac = 0;
	int digits = 0, frac_digits = 0;

	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		if (whole > 1000000)
			return -1;
		whole = whole * 10 + (*s - '0');
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, frac_digits++) {
			if (frac_digits >= 6)
				return -1; /* finer than one ppm: refuse rather than round */
			frac = frac * 10 + (*s - '0');
		}
	}
	if (*s || (digits == 0 && frac_digits == 0))
		return -1;
	for (int i = frac_digits; i < 6; i++)
		frac *= 10;
	*ppm = whole * 1000000 + frac;
	return 0;
}

static void set_default(struct policy *p, const struct policy_field *f)
{
	char *at = (char *)p + f->offset;
	int64_t v = 0;

	switch (f->type) {
	case POLICY_INT:
		sscanf(f->def, "%d", (int *)at);
		break;
	case POLICY_BOOL:
		*(int *)at = strcmp(f->def, "true") == 0;
		break;
	case POLICY_FEN:
		sscanf(f->def, "%" SCNd64, (int64_t *)at);
		break;
	case POLICY_RATE:
		if (policy_rate_parse(f->def, &v))
			BUG("bad default rate");
		*(int64_t *)at = v;
		break;
	case POLICY_CLOCK:
		if (policy_clock_parse(f->def, (int *)at))
			BUG("bad default clock");
		break;
	case POLICY_TEXT:
		snprintf(at, POLICY_TEXT_MAX, "%s", f->def);
		break;
	case POLICY_WORDS: {
		struct policy_words *w = (struct policy_words *)(void *)at;
		const char *s = f->def;
		w->n = 0;
		while (*s && w->n < POLICY_WORDS_MAX) {
			size_t len = strcspn(s, "|");
			snprintf(w->w[w->n++], POLICY_WORD_MAX, "%.*s", (int)len, s);
			s += len + (s[len] == '|');
		}
		break;
	}
	}
}

void policy_defaults(struct policy *p)
{
	memset(p, 0, sizeof *p);
	for (size_t i = 0; i < policy_nfields; i++)
		set_default(p, &policy_fields[i]);
}

int policy_check_int(const struct policy_field *f, int64_t v, struct err *err)
{
	char field[64];

	snprintf(field, sizeof field, "%s.%s", f->section, f->name);
	if (v < f->min || v > f->max)
		return err_setf(err, ERR_UNPROCESSABLE, field, "%s.%s 应在 %lld 到 %lld 之间",
				"%s.%s must be between %lld and %lld", f->section, f->name,
				(long long)f->min, (long long)f->max, f->section, f->name,
				(long long)f->min, (long long)f->max);
	return 0;
}

static int cross(struct err *err, int bad, const char *field, const char *zh, const char *en)
{
	return bad ? err_set(err, ERR_UNPROCESSABLE, field, zh, en) : 0;
}

int policy_check(const struct policy *p, struct err *err)
{
	int rc = 0;
	rc = rc ? rc : cross(err, p->day_shift_start_min >= p->day_shift_end_min, "shifts.day_end",
			     "白班结束时间应晚于开始时间", "day shift must end after it starts");
	rc = rc ? rc : cross(err, p->half_shift_start_min >= p->half_shift_end_min, "shifts.half_end",
			     "半班结束时间应晚于开始时间", "half-day shift must end after it starts");
	rc = rc ? rc : cross(err, p->night_shift_start_min >= p->night_shift_end_min,
			     "shifts.night_end", "晚班结束时间应晚于开始时间",
			     "night shift must end after it starts");
	rc = rc ? rc : cross(err, p->service_start_min >= p->service_end_min, "shifts.service_end",
			     "客服在线结束时间应晚于开始时间", "service hours must end after they start");
	rc = rc ? rc : cross(err, p->brief_min_points > p->brief_max_points,
			     "listings.brief_max_points", "简要描述最多条数不能小于最少条数",
			     "brief_max_points must not be below brief_min_points");
	rc = rc ? rc : cross(err, p->image_min_kb > p->image_max_kb, "listings.image_max_kb",
			     "图片最大体积不能小于最小体积", "image_max_kb must not be below image_min_kb");
	rc = rc ? rc : cross(err, !(p->score_band1_min > p->score_band2_min &&
				    p->score_band2_min > p->score_band3_min),
			     "pay.score_band2_min", "分数档应从高到低排列",
			     "score bands must be in descending order");
	rc = rc ? rc : cross(err, p->appraisal_top_percent + p->appraisal_middle_percent +
					  p->appraisal_bottom_percent != 100,
			     "staff.appraisal_middle_percent", "271 各档比例之和应为 100",
			     "the 20/70/10 shares must add up to 100");
	rc = rc ? rc : cross(err, p->trade_base_min_fen > p->trade_base_max_fen,
			     "pay.trade_base_max_fen", "底薪上限不能低于下限",
			     "trade_base_max_fen must not be below trade_base_min_fen");
	rc = rc ? rc : cross(err, p->expense_limit_cs_fen > p->expense_limit_lead_fen,
			     "approvals.expense_limit_lead_fen", "主管审批上限不能低于客服",
			     "the lead's expense limit must not be below the agent's");
	return rc;
}
