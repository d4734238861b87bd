/*
 * order.h - the order's life: platform status, fulfilment stage, the rules of
 * change after payment, memos and the audit rules (SPEC ORD-3 ORD-4 ORD-5 ORD-13).
 *
 * Pure: no storage, no clock, no I/O. Callers pass "now", the author and the
 * store's policy. Two states are kept apart (ORD-3):
 *   - the platform status, as the platform exported it (等待买家付款 ...), which the
 *     store does not control, and
 *   - the internal fulfilment stage, which moves only through order_next_stage():
 *     pending_audit -> audited -> waybill_printed -> picked -> verified -> packed
 *     -> shipped -> delivered, plus on_hold (remembering the stage it held) and
 *     cancelled.
 * What a change after payment does depends on the stage (ORD-4, seed [000]):
 *   not yet printed: edit in place, memo, tell the printer;
 *   printed:         fetch back the delivery note and waybill and correct them;
 *   packed:          fetch back the parcel and print again;
 *   shipped:         refused, after-sales handles it.
 * order_change_rule() is that table; the storage layer applies its verdict
 * (edit, task, memo, stage, stock) in one transaction.
 */
#ifndef ORDERS_ORDER_H
#define ORDERS_ORDER_H

#include <stdint.h>

#include "lib/err.h"

struct sb;

enum order_stage {
	ORDER_STAGE_PENDING_AUDIT,
	ORDER_STAGE_AUDITED,
	ORDER_STAGE_WAYBILL_PRINTED,
	ORDER_STAGE_PICKED,
	ORDER_STAGE_VERIFIED,
	ORDER_STAGE_PACKED,
	ORDER_STAGE_SHIPPED,
	ORDER_STAGE_DELIVERED,
	ORDER_STAGE_ON_HOLD,
	ORDER_STAGE_CANCELLED,
	ORDER_STAGE__COUNT
};

enum order_pstatus {
	ORDER_PS_UNKNOWN,
	ORDER_PS_WAIT_PAY,      /* 等待买家付款 */
	ORDER_PS_PAID,          /* 买家已付款，等待卖家发货 */
	ORDER_PS_SHIPPED,       /* 卖家已发货，等待买家确认 */
	ORDER_PS_SUCCESS,       /* 交易成功 */
	ORDER_PS_CLOSED,        /* 交易关闭 */
	ORDER_PS_REFUND_CLOSED, /* 付款以后用户退款成功，交易自动关闭 */
	ORDER_PS__COUNT
};

enum order_action {
	ORDER_ACT_AUDIT,
	ORDER_ACT_HOLD,
	ORDER_ACT_RELEASE,
	ORDER_ACT_PRINT,
	ORDER_ACT_PICK,
	ORDER_ACT_VERIFY,
	ORDER_ACT_PACK,
	ORDER_ACT_SHIP,
	ORDER_ACT_DELIVER,
	ORDER_ACT__COUNT
};

/* An order as the rules and the API see it. Strings are borrowed (from the
 * request's arena or a database row). Money in fen, times UTC seconds (0 = none). */
struct order {
	int64_t id;
	int64_t store_id;
	const char *store_code;
	const char *platform_order_no;
	const char *buyer_nick;
	const char *buyer_alipay;
	const char *receiver_name;
	const char *receiver_phone;
	const char *receiver_address;
	const char *province, *city, *district;
	const char *shipping_method;
	int64_t goods_fen, postage_fen, total_fen, paid_fen, refund_fen;
	const char *platform_status; /* as exported */
	enum order_pstatus pstatus;
	enum order_stage stage;
	enum order_stage hold_from;  /* meaningful when stage is on_hold */
	const char *hold_reason;
	const char *exception;       /* ORD-13 reasons, empty when none */
	const char *buyer_message;
	const char *seller_memo;
	const char *item_title;
	int64_t item_kinds, item_qty;
	const char *platform_courier, *platform_tracking_no;
	const char *courier, *tracking_no;
	int64_t weight_g;            /* -1 when not weighed */
	int64_t created_utc, paid_utc;
	int64_t version;
	int64_t imported_utc, updated_utc;
	int64_t import_id;
	int64_t merge_group;         /* ORD-10: the primary order's id when merged, else 0 */
	int64_t split_parcels;       /* ORD-10: parcels the order is split into, 0 = not split */
};

struct order_item {
	int64_t id;
	int64_t line_no;
	const char *title;
	int64_t price_fen;
	int64_t qty;
	const char *external_code;
	const char *attrs;
	const char *package_info;
	const char *memo;
	const char *platform_status;
	const char *sku_code;
};

const char *order_stage_name(enum order_stage s);     /* "pending_audit" */
const char *order_stage_label_zh(enum order_stage s); /* "待审核" */
int order_stage_parse(const char *s, enum order_stage *out) WUR;
const char *order_action_name(enum order_action a);   /* "audit" */
const char *order_action_label_zh(enum order_action a); /* "审核" */
int order_action_parse(const char *s, enum order_action *out) WUR;

/* Recognises the platform's status text, tolerating full/half-width commas and
 * spaces (exports differ); ORDER_PS_UNKNOWN when not recognised. */
enum order_pstatus order_pstatus_parse(const char *text);
/* The canonical text, as Taobao exports it. */
const char *order_pstatus_text(enum order_pstatus ps);
int order_pstatus_paid(enum order_pstatus ps);

/* The stage after an action, or ERR_UNPROCESSABLE with a reason naming the stage.
 * hold_from is the stage an on_hold order came from (ignored otherwise). */
int order_next_stage(enum order_stage from, enum order_stage hold_from, enum order_action act,
		     enum order_stage *to, struct err *err) WUR;

/* ---------------------------------------------------------------- ORD-4 */

enum order_change {
	ORDER_CHANGE_RECEIVER, /* address, phone, receiver name */
	ORDER_CHANGE_ITEMS,    /* SKU, attributes (size/colour), quantity */
	ORDER_CHANGE_CANCEL,
};

enum order_edit_way {
	ORDER_EDIT_IN_PLACE,   /* not yet printed: edit, memo, notify the printer */
	ORDER_EDIT_FIX_PAPERS, /* printed: fetch back the papers, correct them */
	ORDER_EDIT_REPRINT,    /* packed: fetch back the parcel, print again */
};

enum order_task_kind {
	ORDER_TASK_NONE,
	ORDER_TASK_NOTIFY_PRINTER,     /* 通知打单人员:订单已修改 */
	ORDER_TASK_FETCH_PAPERS,       /* 要回发货单与快递单,在单上修改 */
	ORDER_TASK_FETCH_PARCEL,       /* 要回包裹,重新打单 */
	ORDER_TASK_VOID_UNPRINTED,     /* 通知打单人员作废订单 */
	ORDER_TASK_VOID_PAPERS,        /* 要回发货单与快递单,撕毁 */
	ORDER_TASK_RESTOCK_PARCEL,     /* 要回包裹,交仓库入库 */
	ORDER_TASK_REFUND,             /* 售后客服处理退款 */
	ORDER_TASK__COUNT
};

const char *order_task_name(enum order_task_kind k);     /* "fetch_papers" */
const char *order_task_text_zh(enum order_task_kind k);  /* what the person must do */
/* Who does it: "warehouse" or "cs_aftersale". */
const char *order_task_role(enum order_task_kind k);

struct order_change_rule {
	enum order_edit_way way;
	enum order_task_kind task;        /* for the warehouse */
	enum order_task_kind second_task; /* a cancel also asks after-sales to refund */
	/* The working stage after the change. For an order on hold the caller keeps
	 * it on hold and records this as the stage it will be released to, except
	 * for a cancel, which ends the hold. */
	enum order_stage stage_after;
	int releases_stock;
};

/* The ORD-4 verdict for a change at a stage; ERR_UNPROCESSABLE naming the stage
 * when refused (shipped: hand to after-sales; cancelled: nothing to change). */
int order_change_rule(enum order_stage stage, enum order_stage hold_from,
		      enum order_change kind, struct order_change_rule *out, struct err *err) WUR;

/* ---------------------------------------------------------------- ORD-5 */

enum order_memo_kind {
	ORDER_MEMO_ADDRESS,      /* 客户要求修改地址,新地址为:… */
	ORDER_MEMO_ATTRIBUTE,    /* 客户拍下…,要求修改成…,已修改妥当 */
	ORDER_MEMO_PAPERS,       /* 客户要求修改成…,已在发货单与快递单上修改妥当 */
	ORDER_MEMO_REPRINT,      /* 客户要求修改成…,已要回包裹重新打单 */
	ORDER_MEMO_COURIER,      /* 客户要求发…快递 */
	ORDER_MEMO_INVOICE,      /* 客户要求开发票,抬头:… */
	ORDER_MEMO_CARD,         /* 客户要求附贺卡,内容:… */
	ORDER_MEMO_DELIVERY_TIME,/* 客户要求送货时间:… */
	ORDER_MEMO_CANCEL,       /* 客户要求取消订单 */
	ORDER_MEMO_NOTE,         /* free text */
	ORDER_MEMO__COUNT
};

const char *order_memo_name(enum order_memo_kind k);
int order_memo_parse(const char *s, enum order_memo_kind *out) WUR;
/* The seed's memo text, e.g. "客户要求修改地址,新地址为:浙江省杭州市西湖区… ---2026.11.24 张三".
 * before is used by ATTRIBUTE (what the buyer ordered); value is the new value or text. */
void order_memo_render(enum order_memo_kind k, const char *before, const char *value,
		       int64_t at_utc, const char *author, struct sb *out);

/* ---------------------------------------------------------------- ORD-13 */

/* What the store's audit rules look at; the caller gathers these facts. */
struct order_audit_facts {
	enum order_pstatus pstatus;
	int address_ok;
	int phone_ok;
	int stock_ok;
	int refund_pending;
	int has_buyer_message;
	int has_seller_memo;
};

enum order_audit_reason {
	ORDER_AUDIT_NOT_PAID = 1 << 0,
	ORDER_AUDIT_BAD_ADDRESS = 1 << 1,
	ORDER_AUDIT_BAD_PHONE = 1 << 2,
	ORDER_AUDIT_NO_STOCK = 1 << 3,
	ORDER_AUDIT_REFUND = 1 << 4,
	ORDER_AUDIT_MESSAGE = 1 << 5,
	ORDER_AUDIT_PLATFORM_SHIPPED = 1 << 6,
};

/* 0 when the order may be audited automatically, else the reasons (bit set). */
unsigned order_audit_check(const struct order_audit_facts *f);
/* "买家留言需人工处理;库存不足" for a reason set (appended to out). */
void order_audit_reasons_text(unsigned reasons, const char *lang, struct sb *out);

#endif
