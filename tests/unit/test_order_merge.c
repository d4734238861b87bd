/* ORD-10 rules as tables: which orders may merge, which splits are valid, how
 * parcels move, and the stage a split order is at. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/sb.h"
#include "lib/xalloc.h"
#include "orders/order_merge.h"

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

static struct order base(int64_t id)
{
	struct order o;
	memset(&o, 0, sizeof o);
	o.id = id;
	o.store_id = 1;
	o.platform_order_no = "970001";
	o.buyer_nick = "buyer";
	o.receiver_name = "李四";
	o.receiver_phone = "13912345678";
	o.receiver_address = "浙江省 杭州市 西湖区 文三路90号";
	o.pstatus = ORDER_PS_PAID;
	o.stage = A;
	o.hold_from = A;
	o.exception = "";
	return o;
}

/* One order's eligibility: a change to the base order and whether it may merge. */
static const struct {
	const char *what;
	enum order_stage stage;
	enum order_pstatus ps;
	const char *exception;
	int64_t merge_group, split;
	int ok;
	const char *field;
} eligible[] = {
	{ "audited, paid", A, ORDER_PS_PAID, "", 0, 0, 1, NULL },
	{ "pending audit", P, ORDER_PS_PAID, "", 0, 0, 1, NULL },
	{ "printed", W, ORDER_PS_PAID, "", 0, 0, 0, "stage" },
	{ "picked", K, ORDER_PS_PAID, "", 0, 0, 0, "stage" },
	{ "verified", V, ORDER_PS_PAID, "", 0, 0, 0, "stage" },
	{ "packed", B, ORDER_PS_PAID, "", 0, 0, 0, "stage" },
	{ "shipped", S, ORDER_PS_PAID, "", 0, 0, 0, "stage" },
	{ "delivered", D, ORDER_PS_PAID, "", 0, 0, 0, "stage" },
	{ "on hold", H, ORDER_PS_PAID, "", 0, 0, 0, "stage" },
	{ "cancelled", C, ORDER_PS_PAID, "", 0, 0, 0, "stage" },
	{ "not paid", A, ORDER_PS_WAIT_PAY, "", 0, 0, 0, "ids" },
	{ "platform shipped", A, ORDER_PS_SHIPPED, "", 0, 0, 0, "ids" },
	{ "closed", A, ORDER_PS_CLOSED, "", 0, 0, 0, "ids" },
	{ "exception queue", P, ORDER_PS_PAID, "买家留言", 0, 0, 0, "ids" },
	{ "merged already", A, ORDER_PS_PAID, "", 7, 0, 0, "ids" },
	{ "split", A, ORDER_PS_PAID, "", 0, 2, 0, "ids" },
};

static void merge_eligibility(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof eligible / sizeof eligible[0]; i++) {
		struct order o = base(1);
		struct err err = ERR_INIT;
		o.stage = eligible[i].stage;
		o.pstatus = eligible[i].ps;
		o.exception = eligible[i].exception;
		o.merge_group = eligible[i].merge_group;
		o.split_parcels = eligible[i].split;
		int rc = order_merge_eligible(&o, &err);
		if (eligible[i].ok) {
			assert_int_equal(rc, 0);
			continue;
		}
		assert_int_equal(rc, ERR_UNPROCESSABLE);
		assert_string_equal(err.field, eligible[i].field);
		assert_non_null(strstr(err.msg_zh, "970001")); /* names the order */
		if (strcmp(eligible[i].field, "stage") == 0)
			assert_non_null(strstr(err.msg_en, order_stage_name(eligible[i].stage)));
	}
}

/* The key: store, buyer, receiver name, phone, address. */
static void merge_key_and_group(void **state)
{
	(void)state;
	struct order a = base(1), b = base(2), c = base(3);
	const struct order *two[] = { &a, &b }, *self[] = { &a, &a }, *one[] = { &a };
	struct err err = ERR_INIT;

	assert_int_equal(order_merge_check(two, 2, &err), 0);
	assert_int_equal(order_merge_check(one, 1, &err), ERR_UNPROCESSABLE);
	err = (struct err)ERR_INIT;
	assert_int_equal(order_merge_check(self, 2, &err), ERR_UNPROCESSABLE);

	const char **fields[] = { &c.buyer_nick, &c.receiver_name, &c.receiver_phone, &c.receiver_address };
	for (size_t i = 0; i < 4; i++) {
		c = base(3);
		*fields[i] = "其他";
		const struct order *mix[] = { &a, &b, &c };
		err = (struct err)ERR_INIT;
		assert_false(order_merge_same_key(&a, &c));
		assert_int_equal(order_merge_check(mix, 3, &err), ERR_UNPROCESSABLE);
		assert_string_equal(err.field, "ids");
	}
	c = base(3);
	c.store_id = 2;
	assert_false(order_merge_same_key(&a, &c));
	/* pending_audit and audited may merge together: audit stays per order */
	b.stage = P;
	err = (struct err)ERR_INIT;
	assert_int_equal(order_merge_check(two, 2, &err), 0);

	/* unmerge: only before printing (a held order counts by where it was held) */
	a.merge_group = b.merge_group = 1;
	assert_int_equal(order_unmerge_check(two, 2, &err), 0);
	b.stage = H;
	b.hold_from = W;
	err = (struct err)ERR_INIT;
	assert_int_equal(order_unmerge_check(two, 2, &err), ERR_UNPROCESSABLE);
	assert_string_equal(err.field, "stage");
	b.hold_from = A;
	assert_int_equal(order_unmerge_check(two, 2, &err), 0);

	/* the group moves together from printing on; audit, hold, release are per order */
	assert_false(order_merge_shared_action(ORDER_ACT_AUDIT));
	assert_false(order_merge_shared_action(ORDER_ACT_HOLD));
	assert_false(order_merge_shared_action(ORDER_ACT_RELEASE));
	for (int act = ORDER_ACT_PRINT; act <= ORDER_ACT_DELIVER; act++)
		assert_true(order_merge_shared_action((enum order_action)act));
}

/* ---------------------------------------------------------------- split */

#define L(no, q) { (no), (q) }

static const struct order_split_line items[] = { { 1, 2 }, { 2, 3 } };

static const struct {
	const char *what;
	struct order_parcel_line p[3][3];
	size_t n[3];
	size_t parcels;
	int ok;
} splits[] = {
	{ "each line whole", { { L(1, 2) }, { L(2, 3) } }, { 1, 1 }, 2, 1 },
	{ "a line across parcels", { { L(1, 1) }, { L(1, 1), L(2, 3) } }, { 1, 2 }, 2, 1 },
	{ "three parcels", { { L(1, 1) }, { L(1, 1), L(2, 1) }, { L(2, 2) } }, { 1, 2, 1 }, 3, 1 },
	{ "one parcel", { { L(1, 2), L(2, 3) } }, { 2 }, 1, 0 },
	{ "sum too small", { { L(1, 1) }, { L(2, 3) } }, { 1, 1 }, 2, 0 },
	{ "sum too large", { { L(1, 2) }, { L(1, 1), L(2, 3) } }, { 1, 2 }, 2, 0 },
	{ "line missing", { { L(1, 1) }, { L(1, 1) } }, { 1, 1 }, 2, 0 },
	{ "empty parcel", { { L(1, 2), L(2, 3) }, { L(0, 0) } }, { 2, 0 }, 2, 0 },
	{ "zero qty", { { L(1, 0) }, { L(1, 2), L(2, 3) } }, { 1, 2 }, 2, 0 },
	{ "negative qty", { { L(1, -1) }, { L(1, 3), L(2, 3) } }, { 1, 2 }, 2, 0 },
	{ "unknown line", { { L(9, 1) }, { L(1, 2), L(2, 3) } }, { 1, 2 }, 2, 0 },
	{ "line twice in a parcel", { { L(1, 1), L(1, 1) }, { L(2, 3) } }, { 2, 1 }, 2, 0 },
};

static void split_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof splits / sizeof splits[0]; i++) {
		struct order_parcel_in in[3];
		struct err err = ERR_INIT;
		for (size_t p = 0; p < 3; p++) {
			in[p].lines = splits[i].p[p];
			in[p].n = splits[i].n[p];
		}
		int rc = order_split_check(items, 2, in, splits[i].parcels, &err);
		if (splits[i].ok) {
			assert_int_equal(rc, 0);
		} else {
			assert_int_equal(rc, ERR_UNPROCESSABLE);
			assert_string_equal(err.field, "parcels");
		}
	}
}

static void split_eligibility(void **state)
{
	(void)state;
	static const struct {
		enum order_stage stage;
		int64_t merge_group, split;
		int ok;
	} t[] = {
		{ A, 0, 0, 1 }, { P, 0, 0, 0 }, { W, 0, 0, 0 }, { B, 0, 0, 0 }, { S, 0, 0, 0 },
		{ H, 0, 0, 0 }, { C, 0, 0, 0 }, { A, 5, 0, 0 }, { A, 0, 2, 0 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct order o = base(1);
		struct err err = ERR_INIT;
		o.stage = t[i].stage;
		o.merge_group = t[i].merge_group;
		o.split_parcels = t[i].split;
		assert_int_equal(order_split_eligible(&o, &err), t[i].ok ? 0 : ERR_UNPROCESSABLE);
	}
	/* a split order's own print .. ship are refused; deliver, hold pass */
	struct order o = base(1);
	struct err err = ERR_INIT;
	o.split_parcels = 2;
	for (int act = ORDER_ACT_PRINT; act <= ORDER_ACT_SHIP; act++) {
		err = (struct err)ERR_INIT;
		assert_int_equal(order_split_act_check(&o, (enum order_action)act, &err), ERR_UNPROCESSABLE);
		assert_string_equal(err.field, "parcels");
	}
	assert_int_equal(order_split_act_check(&o, ORDER_ACT_DELIVER, &err), 0);
	assert_int_equal(order_split_act_check(&o, ORDER_ACT_HOLD, &err), 0);
	o.split_parcels = 0;
	assert_int_equal(order_split_act_check(&o, ORDER_ACT_PRINT, &err), 0);
}

/* A parcel: stage x action -> next stage (-1 = refused, naming the stage). */
static void parcel_moves(void **state)
{
	(void)state;
	static const struct {
		enum order_stage from;
		int act; /* -1 = cancel */
		int to;
	} t[] = {
		{ A, ORDER_ACT_PRINT, W }, { W, ORDER_ACT_PRINT, W }, { W, ORDER_ACT_PICK, K },
		{ K, ORDER_ACT_VERIFY, V }, { V, ORDER_ACT_PACK, B }, { B, ORDER_ACT_SHIP, S },
		{ A, ORDER_ACT_SHIP, -1 }, { A, ORDER_ACT_PICK, -1 }, { S, ORDER_ACT_SHIP, -1 },
		{ C, ORDER_ACT_PRINT, -1 }, { A, ORDER_ACT_AUDIT, -1 }, { A, ORDER_ACT_HOLD, -1 },
		{ S, ORDER_ACT_DELIVER, -1 },
		{ A, -1, C }, { W, -1, C }, { B, -1, C }, { S, -1, -1 }, { C, -1, -1 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		enum order_stage to = P;
		struct err err = ERR_INIT;
		int cancel = t[i].act < 0;
		int rc = order_parcel_next(t[i].from, cancel ? ORDER_ACT_PRINT : (enum order_action)t[i].act,
					   cancel, &to, &err);
		if (t[i].to < 0) {
			assert_int_equal(rc, ERR_UNPROCESSABLE);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(to, t[i].to);
	}
}

static void split_order_stage(void **state)
{
	(void)state;
	static const struct {
		enum order_stage p[3];
		size_t n;
		enum order_stage want;
	} t[] = {
		{ { A, A }, 2, A },
		{ { S, A }, 2, A },       /* partial shipment: the slowest parcel */
		{ { S, B }, 2, B },
		{ { S, S }, 2, S },
		{ { S, C }, 2, S },       /* the rest cancelled */
		{ { C, W, K }, 3, W },
		{ { C, C }, 2, C },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		assert_int_equal(order_split_stage(t[i].p, t[i].n), t[i].want);
}

/* ORD-10: a parcel's code "<order no>-K", as printed, scanned and imported. */
static void parcel_codes(void **state)
{
	(void)state;
	static const struct {
		const char *code;
		const char *order_no; /* NULL: not a parcel's code */
		int64_t k;
	} t[] = {
		{ "9710000000000000001-1", "9710000000000000001", 1 },
		{ "9710000000000000001-20", "9710000000000000001", 20 },
		{ "JD-2026-0412-3", "JD-2026-0412", 3 }, /* dashes inside the order number */
		{ "A-9", "A", 9 },
		{ "9710000000000000001-21", NULL, 0 },   /* past ORDER_SPLIT_MAX */
		{ "9710000000000000001-0", NULL, 0 },
		{ "9710000000000000001-01", NULL, 0 },   /* printed without leading zeros */
		{ "9710000000000000001-", NULL, 0 },
		{ "9710000000000000001-1a", NULL, 0 },
		{ "9710000000000000001-99999999999999999999999", NULL, 0 },
		{ "-1", NULL, 0 },
		{ "9710000000000000001", NULL, 0 },
		{ "", NULL, 0 },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char no[32] = "unchanged";
		int64_t k = -1;
		int rc = order_parcel_code_parse(t[i].code, no, sizeof no, &k);
		if (!t[i].order_no) {
			if (rc != ERR_INVALID)
				fail_msg("\"%s\" taken for a parcel's code", t[i].code);
			assert_int_equal(k, -1);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_string_equal(no, t[i].order_no);
		assert_int_equal(k, t[i].k);
		/* printing gives back the same code */
		struct sb sb = SB_INIT;
		struct err err = ERR_INIT;
		order_parcel_code_add(&sb, no, k);
		char *again = sb_take(&sb, &err);
		assert_string_equal(again, t[i].code);
		xfree(again);
	}
	char small[4];
	int64_t k;
	assert_int_equal(order_parcel_code_parse("1234-1", small, sizeof small, &k), ERR_INVALID);
	assert_int_equal(order_parcel_code_parse("123-1", small, sizeof small, &k), 0);
	assert_int_equal(order_parcel_code_parse(NULL, small, sizeof small, &k), ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(merge_eligibility),
		cmocka_unit_test(merge_key_and_group),
		cmocka_unit_test(split_table),
		cmocka_unit_test(split_eligibility),
		cmocka_unit_test(parcel_moves),
		cmocka_unit_test(split_order_stage),
		cmocka_unit_test(parcel_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
