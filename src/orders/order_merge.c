/*
 * order_merge.c - ORD-10 rules: who may merge, which splits are valid, how a
 * parcel moves and what stage a split order is at.
 *
 * Design.
 *   Why merged orders stay separate rows: the platform knows two orders, two
 *   order numbers, two payments; the bulk-ship file must name each with the
 *   tracking number, and refunds/after-sales stay per order. What the buyer
 *   and the warehouse see is one parcel: so the group shares stage, waybill,
 *   tracking number and weight, and each member keeps its own items and its own
 *   stock reservation (made at its own audit; the merge moves no stock).
 *   Which orders merge: the same store, buyer nick, receiver name, phone and
 *   address; paid and still 买家已付款,等待卖家发货 on the platform; stage
 *   pending_audit or audited (nothing printed yet). Held, cancelled and
 *   exception-queue orders are left out: a person is deciding about them, and
 *   a merge would carry that decision into the other order's parcel.
 *   Audit stays per order (each has its own checks and reservation); from
 *   printing on the group moves as one, and every member must be at the same
 *   stage for that (a held member holds the parcel).
 *   Why a split starts at audited: the reservation exists, so "stock follows
 *   the parts" has something to follow, and nothing is printed yet.
 */
#include "orders/order_merge.h"

#include <stdio.h>
#include <string.h>

#include "lib/sb.h"
#include "lib/common.h"

static int refuse_order(const struct order *o, const char *zh_why, const char *en_why,
			struct err *err)
{
	char zh[200], en[200];
	snprintf(zh, sizeof zh, "订单 %.40s %s", o->platform_order_no, zh_why);
	snprintf(en, sizeof en, "order %.40s %s", o->platform_order_no, en_why);
	return err_set(err, ERR_UNPROCESSABLE, "ids", zh, en);
}

static int refuse_stage(const struct order *o, const char *field, const char *zh_what,
			const char *en_what, struct err *err)
{
	char zh[200], en[200];
	snprintf(zh, sizeof zh, "订单 %.40s 处于「%s」阶段,不能%s", o->platform_order_no,
		 order_stage_label_zh(o->stage), zh_what);
	snprintf(en, sizeof en, "order %.40s is at stage %s; %s is not allowed", o->platform_order_no,
		 order_stage_name(o->stage), en_what);
	return err_set(err, ERR_UNPROCESSABLE, field, zh, en);
}

int order_merge_eligible(const struct order *o, struct err *err)
{
	if (o->stage != ORDER_STAGE_PENDING_AUDIT && o->stage != ORDER_STAGE_AUDITED)
		return refuse_stage(o, "stage", "合并", "merge", err);
	if (o->pstatus != ORDER_PS_PAID)
		return refuse_order(o, "不是「买家已付款,等待卖家发货」状态", "is not paid and awaiting shipment",
				    err);
	if (o->exception && *o->exception)
		return refuse_order(o, "在异常队列中,请先处理", "is in the exception queue; resolve it first",
				    err);
	if (o->merge_group)
		return refuse_order(o, "已经合并", "is merged already", err);
	if (o->split_parcels)
		return refuse_order(o, "已拆单", "is split into parcels", err);
	return 0;
}

static int same(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

int order_merge_same_key(const struct order *a, const struct order *b)
{
	return a->store_id == b->store_id && same(a->buyer_nick, b->buyer_nick) &&
	       same(a->receiver_name, b->receiver_name) && same(a->receiver_phone, b->receiver_phone) &&
	       same(a->receiver_address, b->receiver_address);
}

int order_merge_check(const struct order *const *orders, size_t n, struct err *err)
{
	if (n < 2 || n > ORDER_MERGE_MAX)
		return err_setf(err, ERR_UNPROCESSABLE, "ids", "合并需要 2–%d 个订单",
				"a merge takes 2-%d orders", ORDER_MERGE_MAX, ORDER_MERGE_MAX);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < i; j++)
			if (orders[j]->id == orders[i]->id)
				return refuse_order(orders[i], "重复出现", "appears twice", err);
		int rc = order_merge_eligible(orders[i], err);
		if (rc)
			return rc;
		if (!order_merge_same_key(orders[0], orders[i]))
			return refuse_order(orders[i], "与其他订单的店铺、买家或收货信息不同",
					    "differs from the others in store, buyer or receiver", err);
	}
	return 0;
}

int order_unmerge_check(const struct order *const *members, size_t n, struct err *err)
{
	for (size_t i = 0; i < n; i++) {
		enum order_stage s = members[i]->stage == ORDER_STAGE_ON_HOLD ? members[i]->hold_from
									   : members[i]->stage;
		if (s != ORDER_STAGE_PENDING_AUDIT && s != ORDER_STAGE_AUDITED)
			return refuse_stage(members[i], "stage", "取消合并(面单已打印)",
					    "unmerge (the waybill is printed)", err);
	}
	return 0;
}

int order_merge_shared_action(enum order_action act)
{
	return act == ORDER_ACT_PRINT || act == ORDER_ACT_PICK || act == ORDER_ACT_VERIFY ||
	       act == ORDER_ACT_PACK || act == ORDER_ACT_SHIP || act == ORDER_ACT_DELIVER;
}

/* ---------------------------------------------------------------- split */

int order_split_eligible(const struct order *o, struct err *err)
{
	if (o->stage != ORDER_STAGE_AUDITED)
		return refuse_stage(o, "stage", "拆单(审核后、打单前才能拆)",
				    "split (only after audit, before printing)", err);
	if (o->merge_group)
		return refuse_order(o, "已合并,请先取消合并", "is merged; unmerge it first", err);
	if (o->split_parcels)
		return refuse_order(o, "已经拆单", "is split already", err);
	return 0;
}

static int bad_parcel(size_t p, int64_t line_no, const char *zh_why, const char *en_why,
		      struct err *err)
{
	char zh[200], en[200];
	if (line_no) {
		snprintf(zh, sizeof zh, "第 %zu 个包裹第 %lld 行商品:%s", p + 1, (long long)line_no, zh_why);
		snprintf(en, sizeof en, "parcel %zu, item line %lld: %s", p + 1, (long long)line_no, en_why);
	} else {
		snprintf(zh, sizeof zh, "第 %zu 个包裹:%s", p + 1, zh_why);
		snprintf(en, sizeof en, "parcel %zu: %s", p + 1, en_why);
	}
	return err_set(err, ERR_UNPROCESSABLE, "parcels", zh, en);
}

int order_split_check(const struct order_split_line *items, size_t n_items,
		      const struct order_parcel_in *parcels, size_t n_parcels, struct err *err)
{
	if (n_parcels < 2 || n_parcels > ORDER_SPLIT_MAX)
		return err_setf(err, ERR_UNPROCESSABLE, "parcels", "拆单需要 2–%d 个包裹",
				"a split takes 2-%d parcels", ORDER_SPLIT_MAX, ORDER_SPLIT_MAX);
	for (size_t p = 0; p < n_parcels; p++) {
		if (parcels[p].n == 0)
			return bad_parcel(p, 0, "包裹是空的", "the parcel is empty", err);
		for (size_t l = 0; l < parcels[p].n; l++) {
			const struct order_parcel_line *pl = &parcels[p].lines[l];
			size_t i;
			for (i = 0; i < n_items && items[i].line_no != pl->line_no; i++)
				;
			if (i == n_items)
				return bad_parcel(p, pl->line_no, "订单没有这一行", "no such item line",
						  err);
			if (pl->qty < 1)
				return bad_parcel(p, pl->line_no, "数量至少为 1", "qty must be at least 1",
						  err);
			for (size_t k = 0; k < l; k++)
				if (parcels[p].lines[k].line_no == pl->line_no)
					return bad_parcel(p, pl->line_no, "同一行出现两次",
							  "the line appears twice", err);
		}
	}
	for (size_t i = 0; i < n_items; i++) {
		int64_t sum = 0;
		for (size_t p = 0; p < n_parcels; p++)
			for (size_t l = 0; l < parcels[p].n; l++)
				if (parcels[p].lines[l].line_no == items[i].line_no)
					sum += parcels[p].lines[l].qty;
		if (sum != items[i].qty)
			return err_setf(err, ERR_UNPROCESSABLE, "parcels",
					"第 %lld 行商品共 %lld 件,各包裹合计 %lld 件,应相等",
					"item line %lld has qty %lld but the parcels hold %lld; they must be equal",
					(long long)items[i].line_no, (long long)items[i].qty, (long long)sum);
	}
	return 0;
}

int order_parcel_next(enum order_stage from, enum order_action act, int cancel,
		      enum order_stage *to, struct err *err)
{
	char zh[160], en[160];
	if (cancel) {
		if (from >= ORDER_STAGE_AUDITED && from <= ORDER_STAGE_PACKED) {
			*to = ORDER_STAGE_CANCELLED;
			return 0;
		}
		snprintf(zh, sizeof zh, "包裹处于「%s」阶段,不能取消", order_stage_label_zh(from));
		snprintf(en, sizeof en, "the parcel is at stage %s; cancel is not allowed",
			 order_stage_name(from));
		return err_set(err, ERR_UNPROCESSABLE, "stage", zh, en);
	}
	if (act == ORDER_ACT_AUDIT || act == ORDER_ACT_HOLD || act == ORDER_ACT_RELEASE ||
	    act == ORDER_ACT_DELIVER) {
		snprintf(zh, sizeof zh, "包裹没有「%s」操作,请对订单操作", order_action_label_zh(act));
		snprintf(en, sizeof en, "%s is an order action, not a parcel action", order_action_name(act));
		return err_set(err, ERR_UNPROCESSABLE, "action", zh, en);
	}
	struct err why = ERR_INIT;
	if (order_next_stage(from, from, act, to, &why)) { /* the order's rule, said of the parcel */
		snprintf(zh, sizeof zh, "包裹处于「%s」阶段,不能%s", order_stage_label_zh(from),
			 order_action_label_zh(act));
		snprintf(en, sizeof en, "the parcel is at stage %s; %s is not allowed",
			 order_stage_name(from), order_action_name(act));
		return err_set(err, ERR_UNPROCESSABLE, "stage", zh, en);
	}
	return 0;
}

enum order_stage order_split_stage(const enum order_stage *parcels, size_t n)
{
	enum order_stage least = ORDER_STAGE_CANCELLED;
	for (size_t i = 0; i < n; i++) {
		if (parcels[i] == ORDER_STAGE_CANCELLED)
			continue;
		if (least == ORDER_STAGE_CANCELLED || parcels[i] < least)
			least = parcels[i];
	}
	return least;
}

/* ---------------------------------------------------------------- parcel codes */

void order_parcel_code_add(struct sb *out, const char *order_no, int64_t k)
{
	sb_addf(out, "%s-%lld", order_no, (long long)k);
}

int order_parcel_code_parse(const char *code, char *order_no, size_t cap, int64_t *k)
{
	const char *dash = code ? strrchr(code, '-') : NULL;
	int64_t v = 0;
	if (!dash || dash == code || !dash[1] || dash[1] == '0')
		return ERR_INVALID;
	for (const char *p = dash + 1; *p; p++) {
		if (*p < '0' || *p > '9')
			return ERR_INVALID;
		v = v * 10 + (*p - '0');
		if (v > ORDER_SPLIT_MAX)
			return ERR_INVALID;
	}
	size_t n = (size_t)(dash - code);
	if (n >= cap)
		return ERR_INVALID;
	memcpy(order_no, code, n);
	order_no[n] = '\0';
	*k = v;
	return 0;
}

int order_split_act_check(const struct order *o, enum order_action act, struct err *err)
{
	if (!o->split_parcels || act < ORDER_ACT_PRINT || act > ORDER_ACT_SHIP)
		return 0;
	return err_setf(err, ERR_UNPROCESSABLE, "parcels",
			"订单已拆成 %lld 个包裹,请按包裹打单、拣货、验货、打包和发货",
			"the order is split into %lld parcels; print, pick, verify, pack and ship each parcel",
			(long long)o->split_parcels);
}
