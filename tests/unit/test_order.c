/* Orders core: every ORD-4 cell, the stage machine, memo wording (ORD-5), statuses, ORD-13. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/sb.h"
#include "lib/xalloc.h"
#include "orders/order.h"

#define P ORDER_STAGE_PENDING_AUDIT
#define A ORDER_STAGE_AUDITED
#define W ORDER_STAGE_WAYBILL_PRINTED
#define K ORDER_STAGE_PICKED
#define V ORDER_STAGE_VERIFIED
#define B ORDER_STAGE_PACKED
#define S ORDER_STAGE_SHIPPED
#define D ORDER_STAGE_DELIVERED
#define H ORDER_STAGE_ON_HOLD
#define C ORDER_STAGE_CANCELLED
#define NO -1

/* ORD-4 [000]: stage x change -> way, task, second task, stage after, stock released; NO = refused. */
static const struct {
	enum order_stage stage, hold_from;
	enum order_change kind;
	int way;
	enum order_task_kind task, second;
	enum order_stage after;
	int releases;
} ord4[] = {
	{ P, P, ORDER_CHANGE_RECEIVER, ORDER_EDIT_IN_PLACE, ORDER_TASK_NOTIFY_PRINTER, 0, P, 0 },
	{ P, P, ORDER_CHANGE_ITEMS, ORDER_EDIT_IN_PLACE, ORDER_TASK_NOTIFY_PRINTER, 0, P, 0 },
	{ P, P, ORDER_CHANGE_CANCEL, ORDER_EDIT_IN_PLACE, ORDER_TASK_VOID_UNPRINTED, ORDER_TASK_REFUND, C, 1 },
	{ A, A, ORDER_CHANGE_RECEIVER, ORDER_EDIT_IN_PLACE, ORDER_TASK_NOTIFY_PRINTER, 0, A, 0 },
	{ A, A, ORDER_CHANGE_ITEMS, ORDER_EDIT_IN_PLACE, ORDER_TASK_NOTIFY_PRINTER, 0, A, 0 },
	{ A, A, ORDER_CHANGE_CANCEL, ORDER_EDIT_IN_PLACE, ORDER_TASK_VOID_UNPRINTED, ORDER_TASK_REFUND, C, 1 },
	{ W, W, ORDER_CHANGE_RECEIVER, ORDER_EDIT_FIX_PAPERS, ORDER_TASK_FETCH_PAPERS, 0, W, 0 },
	{ W, W, ORDER_CHANGE_ITEMS, ORDER_EDIT_FIX_PAPERS, ORDER_TASK_FETCH_PAPERS, 0, W, 0 },
	{ W, W, ORDER_CHANGE_CANCEL, ORDER_EDIT_FIX_PAPERS, ORDER_TASK_VOID_PAPERS, ORDER_TASK_REFUND, C, 1 },
	{ K, K, ORDER_CHANGE_RECEIVER, ORDER_EDIT_FIX_PAPERS, ORDER_TASK_FETCH_PAPERS, 0, K, 0 },
	{ K, K, ORDER_CHANGE_ITEMS, ORDER_EDIT_FIX_PAPERS, ORDER_TASK_FETCH_PAPERS, 0, K, 0 },
	{ K, K, ORDER_CHANGE_CANCEL, ORDER_EDIT_FIX_PAPERS, ORDER_TASK_VOID_PAPERS, ORDER_TASK_REFUND, C, 1 },
	{ V, V, ORDER_CHANGE_RECEIVER, ORDER_EDIT_FIX_PAPERS, ORDER_TASK_FETCH_PAPERS, 0, V, 0 },
	{ V, V, ORDER_CHANGE_ITEMS, ORDER_EDIT_FIX_PAPERS, ORDER_TASK_FETCH_PAPERS, 0, V, 0 },
	{ V, V, ORDER_CHANGE_CANCEL, ORDER_EDIT_FIX_PAPERS, ORDER_TASK_VOID_PAPERS, ORDER_TASK_REFUND, C, 1 },
	{ B, B, ORDER_CHANGE_RECEIVER, ORDER_EDIT_REPRINT, ORDER_TASK_FETCH_PARCEL, 0, A, 0 },
	{ B, B, ORDER_CHANGE_ITEMS, ORDER_EDIT_REPRINT, ORDER_TASK_FETCH_PARCEL, 0, A, 0 },
	{ B, B, ORDER_CHANGE_CANCEL, ORDER_EDIT_REPRINT, ORDER_TASK_RESTOCK_PARCEL, ORDER_TASK_REFUND, C, 1 },
	{ S, S, ORDER_CHANGE_RECEIVER, NO, 0, 0, 0, 0 },
	{ S, S, ORDER_CHANGE_ITEMS, NO, 0, 0, 0, 0 },
	{ S, S, ORDER_CHANGE_CANCEL, NO, 0, 0, 0, 0 },
	{ D, D, ORDER_CHANGE_RECEIVER, NO, 0, 0, 0, 0 },
	{ D, D, ORDER_CHANGE_ITEMS, NO, 0, 0, 0, 0 },
	{ D, D, ORDER_CHANGE_CANCEL, NO, 0, 0, 0, 0 },
	{ C, C, ORDER_CHANGE_RECEIVER, NO, 0, 0, 0, 0 },
	{ C, C, ORDER_CHANGE_ITEMS, NO, 0, 0, 0, 0 },
	{ C, C, ORDER_CHANGE_CANCEL, NO, 0, 0, 0, 0 },
	/* on hold: the stage it was held at decides */
	{ H, A, ORDER_CHANGE_RECEIVER, ORDER_EDIT_IN_PLACE, ORDER_TASK_NOTIFY_PRINTER, 0, A, 0 },
	{ H, W, ORDER_CHANGE_ITEMS, ORDER_EDIT_FIX_PAPERS, ORDER_TASK_FETCH_PAPERS, 0, W, 0 },
	{ H, B, ORDER_CHANGE_RECEIVER, ORDER_EDIT_REPRINT, ORDER_TASK_FETCH_PARCEL, 0, A, 0 },
	{ H, B, ORDER_CHANGE_CANCEL, ORDER_EDIT_REPRINT, ORDER_TASK_RESTOCK_PARCEL, ORDER_TASK_REFUND, C, 1 },
};

static void ord4_every_cell(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof ord4 / sizeof ord4[0]; i++) {
		struct order_change_rule r;
		struct err err = ERR_INIT;
		int rc = order_change_rule(ord4[i].stage, ord4[i].hold_from, ord4[i].kind, &r, &err);
		if (ord4[i].way == NO) {
			assert_int_equal(rc, ERR_UNPROCESSABLE);
			assert_string_equal(err.field, "stage");
			/* the reason names the stage */
			assert_non_null(strstr(err.msg_zh, order_stage_label_zh(ord4[i].stage)));
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(r.way, ord4[i].way);
		assert_int_equal(r.task, ord4[i].task);
		assert_int_equal(r.second_task, ord4[i].second);
		assert_int_equal(r.stage_after, ord4[i].after);
		assert_int_equal(r.releases_stock, ord4[i].releases);
	}
}

static void shipped_refusal_sends_to_aftersales(void **state)
{
	struct order_change_rule r;
	struct err err = ERR_INIT;
	(void)state;
	assert_int_equal(order_change_rule(S, S, ORDER_CHANGE_RECEIVER, &r, &err), ERR_UNPROCESSABLE);
	assert_non_null(strstr(err.msg_zh, "售后"));
	assert_non_null(strstr(err.msg_en, "shipped"));
	assert_string_equal(order_task_role(ORDER_TASK_REFUND), "cs_aftersale");
	assert_string_equal(order_task_role(ORDER_TASK_FETCH_PAPERS), "warehouse");
}

/* action x stage -> next stage or refusal */
static void stage_machine(void **state)
{
	static const struct {
		enum order_stage from, hold_from;
		enum order_action act;
		int to; /* NO = refused */
	} cases[] = {
		{ P, P, ORDER_ACT_AUDIT, A },   { A, A, ORDER_ACT_AUDIT, NO },
		{ A, A, ORDER_ACT_PRINT, W },   { W, W, ORDER_ACT_PRINT, W },
		{ P, P, ORDER_ACT_PRINT, NO },  { K, K, ORDER_ACT_PRINT, NO },
		{ W, W, ORDER_ACT_PICK, K },    { A, A, ORDER_ACT_PICK, NO },
		{ K, K, ORDER_ACT_VERIFY, V },  { W, W, ORDER_ACT_VERIFY, NO },
		{ V, V, ORDER_ACT_PACK, B },    { K, K, ORDER_ACT_PACK, NO },
		{ B, B, ORDER_ACT_SHIP, S },    { V, V, ORDER_ACT_SHIP, NO },
		{ S, S, ORDER_ACT_DELIVER, D }, { B, B, ORDER_ACT_DELIVER, NO },
		{ A, A, ORDER_ACT_HOLD, H },    { B, B, ORDER_ACT_HOLD, H },
		{ H, A, ORDER_ACT_HOLD, NO },   { S, S, ORDER_ACT_HOLD, NO },
		{ C, C, ORDER_ACT_HOLD, NO },   { D, D, ORDER_ACT_HOLD, NO },
		{ H, W, ORDER_ACT_RELEASE, W }, { A, A, ORDER_ACT_RELEASE, NO },
		{ H, H, ORDER_ACT_RELEASE, NO }, { H, A, ORDER_ACT_AUDIT, NO },
		{ C, C, ORDER_ACT_AUDIT, NO },  { D, D, ORDER_ACT_SHIP, NO },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum order_stage to = ORDER_STAGE__COUNT;
		struct err err = ERR_INIT;
		int rc = order_next_stage(cases[i].from, cases[i].hold_from, cases[i].act, &to, &err);
		if (cases[i].to == NO) {
			assert_int_equal(rc, ERR_UNPROCESSABLE);
			assert_non_null(strstr(err.msg_en, order_stage_name(cases[i].from)));
			/* the Chinese reason names the stage and the action in Chinese */
			assert_non_null(strstr(err.msg_zh, order_stage_label_zh(cases[i].from)));
			assert_null(strstr(err.msg_zh, order_action_name(cases[i].act)));
		} else {
			assert_int_equal(rc, 0);
			assert_int_equal(to, cases[i].to);
		}
	}
}

static void names_round_trip(void **state)
{
	(void)state;
	for (int i = 0; i < ORDER_STAGE__COUNT; i++) {
		enum order_stage s;
		assert_int_equal(order_stage_parse(order_stage_name((enum order_stage)i), &s), 0);
		assert_int_equal(s, i);
	}
	for (int i = 0; i < ORDER_ACT__COUNT; i++) {
		enum order_action a;
		assert_int_equal(order_action_parse(order_action_name((enum order_action)i), &a), 0);
		assert_int_equal(a, i);
	}
	enum order_stage s;
	assert_int_not_equal(order_stage_parse("shipped ", &s), 0);
}

static void platform_status_text(void **state)
{
	(void)state;
	assert_int_equal(order_pstatus_parse("买家已付款，等待卖家发货"), ORDER_PS_PAID);
	assert_int_equal(order_pstatus_parse("买家已付款,等待卖家发货"), ORDER_PS_PAID);
	assert_int_equal(order_pstatus_parse(" 买家已付款， 等待卖家发货 "), ORDER_PS_PAID);
	assert_int_equal(order_pstatus_parse("等待买家付款"), ORDER_PS_WAIT_PAY);
	assert_int_equal(order_pstatus_parse("卖家已发货，等待买家确认"), ORDER_PS_SHIPPED);
	assert_int_equal(order_pstatus_parse("交易成功"), ORDER_PS_SUCCESS);
	assert_int_equal(order_pstatus_parse("交易关闭"), ORDER_PS_CLOSED);
	assert_int_equal(order_pstatus_parse("付款以后用户退款成功，交易自动关闭"), ORDER_PS_REFUND_CLOSED);
	assert_int_equal(order_pstatus_parse("交易"), ORDER_PS_UNKNOWN);
	assert_int_equal(order_pstatus_parse(""), ORDER_PS_UNKNOWN);
	assert_int_equal(order_pstatus_parse(NULL), ORDER_PS_UNKNOWN);
	assert_true(order_pstatus_paid(ORDER_PS_PAID));
	assert_false(order_pstatus_paid(ORDER_PS_WAIT_PAY));
	assert_false(order_pstatus_paid(ORDER_PS_REFUND_CLOSED));
}

/* 2026-11-24 10:00 Shanghai = 2026-11-24 02:00 UTC */
#define T_20261124 INT64_C(1795485600)

static void memo_wording(void **state)
{
	static const struct {
		enum order_memo_kind kind;
		const char *before, *value, *want;
	} cases[] = {
		{ ORDER_MEMO_ADDRESS, NULL, "浙江省杭州市西湖区文三路90号",
		  "客户要求修改地址,新地址为:浙江省杭州市西湖区文三路90号 ---2026.11.24 张三" },
		{ ORDER_MEMO_ATTRIBUTE, "黑色 XL", "白色 L",
		  "客户拍下黑色 XL,要求修改成白色 L,已修改妥当 ---2026.11.24 张三" },
		{ ORDER_MEMO_PAPERS, NULL, "白色 L",
		  "客户要求修改成白色 L,已在发货单与快递单上修改妥当 ---2026.11.24 张三" },
		{ ORDER_MEMO_INVOICE, NULL, "杭州青禾贸易有限公司",
		  "客户要求开发票,抬头:杭州青禾贸易有限公司 ---2026.11.24 张三" },
		{ ORDER_MEMO_COURIER, NULL, "顺丰", "客户要求发顺丰快递 ---2026.11.24 张三" },
		{ ORDER_MEMO_CARD, NULL, "生日快乐", "客户要求附贺卡,内容:生日快乐 ---2026.11.24 张三" },
		{ ORDER_MEMO_DELIVERY_TIME, NULL, "周末", "客户要求送货时间:周末 ---2026.11.24 张三" },
		{ ORDER_MEMO_CANCEL, NULL, "", "客户要求取消订单 ---2026.11.24 张三" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sb sb = SB_INIT;
		struct err err = ERR_INIT;
		order_memo_render(cases[i].kind, cases[i].before, cases[i].value, T_20261124, "张三", &sb);
		char *got = sb_take(&sb, &err);
		assert_string_equal(got, cases[i].want);
		xfree(got);
	}
}

static void audit_rules(void **state)
{
	struct order_audit_facts ok = { ORDER_PS_PAID, 1, 1, 1, 0, 0, 0 };
	(void)state;
	assert_int_equal(order_audit_check(&ok), 0);
	struct order_audit_facts f = ok;
	f.pstatus = ORDER_PS_WAIT_PAY;
	assert_int_equal(order_audit_check(&f), ORDER_AUDIT_NOT_PAID);
	f = ok;
	f.pstatus = ORDER_PS_SHIPPED;
	assert_int_equal(order_audit_check(&f), ORDER_AUDIT_PLATFORM_SHIPPED);
	f = ok;
	f.has_buyer_message = 1;
	f.stock_ok = 0;
	f.phone_ok = 0;
	unsigned r = order_audit_check(&f);
	assert_int_equal(r, ORDER_AUDIT_MESSAGE | ORDER_AUDIT_NO_STOCK | ORDER_AUDIT_BAD_PHONE);
	struct sb sb = SB_INIT;
	struct err err = ERR_INIT;
	order_audit_reasons_text(r, "zh", &sb);
	char *text = sb_take(&sb, &err);
	assert_string_equal(text, "联系电话无效;库存不足;买家留言或卖家备注需人工处理");
	xfree(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ord4_every_cell),
		cmocka_unit_test(shipped_refusal_sends_to_aftersales),
		cmocka_unit_test(stage_machine),
		cmocka_unit_test(names_round_trip),
		cmocka_unit_test(platform_status_text),
		cmocka_unit_test(memo_wording),
		cmocka_unit_test(audit_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
