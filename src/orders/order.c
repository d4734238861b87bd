/*
 * order.c - the stage machine, the ORD-4 table, memo texts and audit rules.
 */
#include "orders/order.h"

#include <stdio.h>
#include <string.h>

#include "lib/cal.h"
#include "lib/sb.h"
#include "lib/common.h"

static const struct {
	const char *name;
	const char *zh;
} stages[ORDER_STAGE__COUNT] = {
	[ORDER_STAGE_PENDING_AUDIT] = { "pending_audit", "待审核" },
	[ORDER_STAGE_AUDITED] = { "audited", "已审核" },
	[ORDER_STAGE_WAYBILL_PRINTED] = { "waybill_printed", "已打单" },
	[ORDER_STAGE_PICKED] = { "picked", "已拣货" },
	[ORDER_STAGE_VERIFIED] = { "verified", "已验货" },
	[ORDER_STAGE_PACKED] = { "packed", "已打包" },
	[ORDER_STAGE_SHIPPED] = { "shipped", "已发货" },
	[ORDER_STAGE_DELIVERED] = { "delivered", "已签收" },
	[ORDER_STAGE_ON_HOLD] = { "on_hold", "挂起" },
	[ORDER_STAGE_CANCELLED] = { "cancelled", "已取消" },
};

static const char *const actions[ORDER_ACT__COUNT] = {
	"audit", "hold", "release", "print", "pick", "verify", "pack", "ship", "deliver",
};

/* What the staff call each action, for messages they read. */
static const char *const actions_zh[ORDER_ACT__COUNT] = {
	"审核", "挂起", "解除挂起", "打单", "拣货", "验货", "打包", "发货", "签收",
};

const char *order_action_label_zh(enum order_action a)
{
	return (unsigned)a < ORDER_ACT__COUNT ? actions_zh[a] : "未知操作";
}

const char *order_stage_name(enum order_stage s)
{
	return (unsigned)s < ORDER_STAGE__COUNT ? stages[s].name : "unknown";
}

const char *order_stage_label_zh(enum order_stage s)
{
	return (unsigned)s < ORDER_STAGE__COUNT ? stages[s].zh : "未知";
}

int order_stage_parse(const char *s, enum order_stage *out)
{
	for (int i = 0; i < ORDER_STAGE__COUNT; i++)
		if (strcmp(s, stages[i].name) == 0) {
			*out = (enum order_stage)i;
			return 0;
		}
	return ERR_INVALID;
}

const char *order_action_name(enum order_action a)
{
	return (unsigned)a < ORDER_ACT__COUNT ? actions[a] : "unknown";
}

int order_action_parse(const char *s, enum order_action *out)
{
	for (int i = 0; i < ORDER_ACT__COUNT; i++)
		if (strcmp(s, actions[i]) == 0) {
			*out = (enum order_action)i;
			return 0;
		}
	return ERR_INVALID;
}

/* ---------------------------------------------------------------- platform status */

static const char *const pstatus_text[ORDER_PS__COUNT] = {
	[ORDER_PS_UNKNOWN] = "",
	[ORDER_PS_WAIT_PAY] = "等待买家付款",
	[ORDER_PS_PAID] = "买家已付款，等待卖家发货",
	[ORDER_PS_SHIPPED] = "卖家已发货，等待买家确认",
	[ORDER_PS_SUCCESS] = "交易成功",
	[ORDER_PS_CLOSED] = "交易关闭",
	[ORDER_PS_REFUND_CLOSED] = "付款以后用户退款成功，交易自动关闭",
};

/* Drops ASCII/full-width commas and spaces, so "买家已付款,等待卖家发货" and
 * "买家已付款，等待卖家发货 " compare equal. */
static void squeeze(const char *in, char *out, size_t n)
{
	size_t o = 0;
	while (*in && o + 1 < n) {
		if (*in == ',' || *in == ' ' || *in == '\t') {
			in++;
		} else if (strncmp(in, "，", 3) == 0 || strncmp(in, "　", 3) == 0) {
			in += 3;
		} else {
			out[o++] = *in++;
		}
	}
	out[o] = '\0';
}

enum order_pstatus order_pstatus_parse(const char *text)
{
	char want[96], got[96];
	squeeze(text ? text : "", got, sizeof got);
	for (int i = 1; i < ORDER_PS__COUNT; i++) {
		squeeze(pstatus_text[i], want, sizeof want);
		if (strcmp(want, got) == 0)
			return (enum order_pstatus)i;
	}
	return ORDER_PS_UNKNOWN;
}

const char *order_pstatus_text(enum order_pstatus ps)
{
	return (unsigned)ps < ORDER_PS__COUNT ? pstatus_text[ps] : "";
}

int order_pstatus_paid(enum order_pstatus ps)
{
	return ps == ORDER_PS_PAID || ps == ORDER_PS_SHIPPED || ps == ORDER_PS_SUCCESS;
}

/* ---------------------------------------------------------------- stages */

/* The one stage each forward action starts from, and where it leads. */
static const struct {
	enum order_stage from, to;
} forward[ORDER_ACT__COUNT] = {
	[ORDER_ACT_AUDIT] = { ORDER_STAGE_PENDING_AUDIT, ORDER_STAGE_AUDITED },
	[ORDER_ACT_PRINT] = { ORDER_STAGE_AUDITED, ORDER_STAGE_WAYBILL_PRINTED },
	[ORDER_ACT_PICK] = { ORDER_STAGE_WAYBILL_PRINTED, ORDER_STAGE_PICKED },
	[ORDER_ACT_VERIFY] = { ORDER_STAGE_PICKED, ORDER_STAGE_VERIFIED },
	[ORDER_ACT_PACK] = { ORDER_STAGE_VERIFIED, ORDER_STAGE_PACKED },
	[ORDER_ACT_SHIP] = { ORDER_STAGE_PACKED, ORDER_STAGE_SHIPPED },
	[ORDER_ACT_DELIVER] = { ORDER_STAGE_SHIPPED, ORDER_STAGE_DELIVERED },
};

/* The two languages name the stage differently, so each message is built on its own
 * (err_setf's formats share one argument list). */
static int refuse(struct err *err, enum order_stage at, enum order_action act)
{
	char zh[160], en[160];
	snprintf(zh, sizeof zh, "订单处于「%s」阶段,不能%s", order_stage_label_zh(at),
		 actions_zh[act]);
	snprintf(en, sizeof en, "the order is at stage %s; %s is not allowed", order_stage_name(at),
		 order_action_name(act));
	return err_set(err, ERR_UNPROCESSABLE, "stage", zh, en);
}

static int is_final(enum order_stage s)
{
	return s == ORDER_STAGE_SHIPPED || s == ORDER_STAGE_DELIVERED || s == ORDER_STAGE_CANCELLED;
}

int order_next_stage(enum order_stage from, enum order_stage hold_from, enum order_action act,
		     enum order_stage *to, struct err *err)
{
	if ((unsigned)act >= ORDER_ACT__COUNT)
		return err_set(err, ERR_INVALID, "action", "未知操作", "unknown action");
	if (act == ORDER_ACT_HOLD) {
		if (is_final(from) || from == ORDER_STAGE_ON_HOLD)
			return refuse(err, from, act);
		*to = ORDER_STAGE_ON_HOLD;
		return 0;
	}
	if (act == ORDER_ACT_RELEASE) {
		if (from != ORDER_STAGE_ON_HOLD || hold_from == ORDER_STAGE_ON_HOLD ||
		    (unsigned)hold_from >= ORDER_STAGE__COUNT || is_final(hold_from))
			return refuse(err, from, act);
		*to = hold_from;
		return 0;
	}
	if (from != forward[act].from) {
		/* Reprinting a printed waybill is allowed: the papers get lost. */
		if (act == ORDER_ACT_PRINT && from == ORDER_STAGE_WAYBILL_PRINTED) {
			*to = from;
			return 0;
		}
		return refuse(err, from, act);
	}
	*to = forward[act].to;
	return 0;
}

/* ---------------------------------------------------------------- ORD-4 */

static const struct {
	const char *name;
	const char *zh;
	const char *role;
} tasks[ORDER_TASK__COUNT] = {
	[ORDER_TASK_NONE] = { "none", "", "" },
	[ORDER_TASK_NOTIFY_PRINTER] = { "notify_printer", "订单已修改,打单时请注意", "warehouse" },
	[ORDER_TASK_FETCH_PAPERS] = { "fetch_papers", "要回发货单与快递单,在单上修改", "warehouse" },
	[ORDER_TASK_FETCH_PARCEL] = { "fetch_parcel", "要回包裹,重新打单", "warehouse" },
	[ORDER_TASK_VOID_UNPRINTED] = { "void_unprinted", "订单已作废,不要打单", "warehouse" },
	[ORDER_TASK_VOID_PAPERS] = { "void_papers", "要回发货单与快递单并撕毁", "warehouse" },
	[ORDER_TASK_RESTOCK_PARCEL] = { "restock_parcel", "要回包裹,拆包入库", "warehouse" },
	[ORDER_TASK_REFUND] = { "refund", "订单已取消,请处理退款", "cs_aftersale" },
};

const char *order_task_name(enum order_task_kind k)
{
	return (unsigned)k < ORDER_TASK__COUNT ? tasks[k].name : "none";
}

const char *order_task_text_zh(enum order_task_kind k)
{
	return (unsigned)k < ORDER_TASK__COUNT ? tasks[k].zh : "";
}

const char *order_task_role(enum order_task_kind k)
{
	return (unsigned)k < ORDER_TASK__COUNT ? tasks[k].role : "";
}

/* Where the paperwork is: 0 not printed, 1 printed (papers out), 2 packed (parcel made). */
static int paper_state(enum order_stage s)
{
	switch (s) {
	case ORDER_STAGE_WAYBILL_PRINTED:
	case ORDER_STAGE_PICKED:
	case ORDER_STAGE_VERIFIED:
		return 1;
	case ORDER_STAGE_PACKED:
		return 2;
	default:
		return 0;
	}
}

static int refuse_change(enum order_stage at, enum order_change kind, struct err *err)
{
	if (at == ORDER_STAGE_CANCELLED)
		return err_set(err, ERR_UNPROCESSABLE, "stage", "订单已取消,不能修改",
			       "the order is cancelled; nothing to change");
	char zh[160], en[160];
	snprintf(zh, sizeof zh, "订单处于「%s」阶段,不能%s,请交由售后客服处理",
		 order_stage_label_zh(at), kind == ORDER_CHANGE_CANCEL ? "取消" : "修改");
	snprintf(en, sizeof en, "the order is at stage %s; it cannot be %s, hand it to after-sales",
		 order_stage_name(at), kind == ORDER_CHANGE_CANCEL ? "cancelled" : "changed");
	return err_set(err, ERR_UNPROCESSABLE, "stage", zh, en);
}

static void cancel_rule(int papers, struct order_change_rule *out)
{
	static const enum order_task_kind by_papers[] = {
		ORDER_TASK_VOID_UNPRINTED, ORDER_TASK_VOID_PAPERS, ORDER_TASK_RESTOCK_PARCEL
	};
	out->way = papers == 0 ? ORDER_EDIT_IN_PLACE : papers == 1 ? ORDER_EDIT_FIX_PAPERS
								   : ORDER_EDIT_REPRINT;
	out->task = by_papers[papers];
	out->second_task = ORDER_TASK_REFUND;
	out->stage_after = ORDER_STAGE_CANCELLED;
	out->releases_stock = 1;
}

int order_change_rule(enum order_stage stage, enum order_stage hold_from,
		      enum order_change kind, struct order_change_rule *out, struct err *err)
{
	enum order_stage at = stage == ORDER_STAGE_ON_HOLD ? hold_from : stage;

	memset(out, 0, sizeof *out);
	if ((unsigned)at >= ORDER_STAGE__COUNT || is_final(at) || at == ORDER_STAGE_ON_HOLD)
		return refuse_change(at, kind, err);
	int papers = paper_state(at);
	if (kind == ORDER_CHANGE_CANCEL) {
		cancel_rule(papers, out);
		return 0;
	}
	out->stage_after = at; /* an edit does not move the order ... */
	if (papers == 0) {
		out->way = ORDER_EDIT_IN_PLACE;
		out->task = ORDER_TASK_NOTIFY_PRINTER;
	} else if (papers == 1) {
		out->way = ORDER_EDIT_FIX_PAPERS;
		out->task = ORDER_TASK_FETCH_PAPERS;
	} else {
		/* ... except a packed parcel, which goes back to be printed again. */
		out->way = ORDER_EDIT_REPRINT;
		out->task = ORDER_TASK_FETCH_PARCEL;
		out->stage_after = ORDER_STAGE_AUDITED;
	}
	return 0;
}

/* ---------------------------------------------------------------- ORD-5 */

static const char *const memo_names[ORDER_MEMO__COUNT] = {
	"address", "attribute", "papers", "reprint", "courier", "invoice", "card",
	"delivery_time", "cancel", "note",
};

const char *order_memo_name(enum order_memo_kind k)
{
	return (unsigned)k < ORDER_MEMO__COUNT ? memo_names[k] : "note";
}

int order_memo_parse(const char *s, enum order_memo_kind *out)
{
	for (int i = 0; i < ORDER_MEMO__COUNT; i++)
		if (strcmp(s, memo_names[i]) == 0) {
			*out = (enum order_memo_kind)i;
			return 0;
		}
	return ERR_INVALID;
}

void order_memo_render(enum order_memo_kind k, const char *before, const char *value,
		       int64_t at_utc, const char *author, struct sb *out)
{
	char date[CAL_BUF];
	const char *v = value ? value : "";

	switch (k) {
	case ORDER_MEMO_ADDRESS:
		sb_addf(out, "客户要求修改地址,新地址为:%s", v);
		break;
	case ORDER_MEMO_ATTRIBUTE:
		sb_addf(out, "客户拍下%s,要求修改成%s,已修改妥当", before ? before : "", v);
		break;
	case ORDER_MEMO_PAPERS:
		sb_addf(out, "客户要求修改成%s,已在发货单与快递单上修改妥当", v);
		break;
	case ORDER_MEMO_REPRINT:
		sb_addf(out, "客户要求修改成%s,已要回包裹重新打单", v);
		break;
	case ORDER_MEMO_COURIER:
		sb_addf(out, "客户要求发%s快递", v);
		break;
	case ORDER_MEMO_INVOICE:
		sb_addf(out, "客户要求开发票,抬头:%s", v);
		break;
	case ORDER_MEMO_CARD:
		sb_addf(out, "客户要求附贺卡,内容:%s", v);
		break;
	case ORDER_MEMO_DELIVERY_TIME:
		sb_addf(out, "客户要求送货时间:%s", v);
		break;
	case ORDER_MEMO_CANCEL:
		sb_adds(out, "客户要求取消订单");
		if (*v)
			sb_addf(out, ",%s", v);
		break;
	default:
		sb_adds(out, v);
		break;
	}
	sb_addf(out, " ---%s %s", cal_format_memo_date(at_utc, date), author ? author : "");
}

/* ---------------------------------------------------------------- ORD-13 */

unsigned order_audit_check(const struct order_audit_facts *f)
{
	unsigned r = 0;
	if (f->pstatus == ORDER_PS_SHIPPED || f->pstatus == ORDER_PS_SUCCESS)
		r |= ORDER_AUDIT_PLATFORM_SHIPPED;
	else if (f->pstatus != ORDER_PS_PAID)
		r |= ORDER_AUDIT_NOT_PAID;
	if (!f->address_ok)
		r |= ORDER_AUDIT_BAD_ADDRESS;
	if (!f->phone_ok)
		r |= ORDER_AUDIT_BAD_PHONE;
	if (!f->stock_ok)
		r |= ORDER_AUDIT_NO_STOCK;
	if (f->refund_pending)
		r |= ORDER_AUDIT_REFUND;
	if (f->has_buyer_message || f->has_seller_memo)
		r |= ORDER_AUDIT_MESSAGE;
	return r;
}

static const struct {
	unsigned bit;
	const char *zh, *en;
} reasons[] = {
	{ ORDER_AUDIT_NOT_PAID, "未付款", "not paid" },
	{ ORDER_AUDIT_PLATFORM_SHIPPED, "平台已发货", "already shipped on the platform" },
	{ ORDER_AUDIT_BAD_ADDRESS, "收货地址不完整", "address incomplete" },
	{ ORDER_AUDIT_BAD_PHONE, "联系电话无效", "phone number invalid" },
	{ ORDER_AUDIT_NO_STOCK, "库存不足", "out of stock" },
	{ ORDER_AUDIT_REFUND, "有退款申请", "refund pending" },
	{ ORDER_AUDIT_MESSAGE, "买家留言或卖家备注需人工处理", "buyer message or memo needs a person" },
};

void order_audit_reasons_text(unsigned r, const char *lang, struct sb *out)
{
	int en = lang && strncmp(lang, "en", 2) == 0;
	int first = 1;
	for (size_t i = 0; i < ARRAY_SIZE(reasons); i++) {
		if (!(r & reasons[i].bit))
			continue;
		if (!first)
			sb_adds(out, en ? "; " : ";");
		sb_adds(out, en ? reasons[i].en : reasons[i].zh);
		first = 0;
	}
}
