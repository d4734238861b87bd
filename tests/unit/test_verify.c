/* Scan-to-verify (ORD-8): code normalisation, building the expected lines, and
 * the state machine as tables of scan sequences. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/sb.h"
#include "lib/xalloc.h"
#include "orders/verify.h"

/* ---------------------------------------------------------------- codes */

static void test_code_norm(void **state)
{
	static const struct {
		const char *in, *out;
		int len;
	} cases[] = {
		{ "QH-TS01-01-02", "QH-TS01-01-02", 13 },
		{ "qh-ts01-01-02\r\n", "QH-TS01-01-02", 13 },  /* scanner suffix, caps lock */
		{ "\t  A1 \n", "A1", 2 },
		{ "ＱＨ－ＴＳ０１", "QH-TS01", 7 },              /* full-width from an IME */
		{ "\xe3\x80\x80" "AB" "\xe3\x80\x80", "AB", 2 },  /* ideographic spaces */
		{ "A B", "A B", 3 },                          /* inner space kept */
		{ "红色XL", "红色XL", 8 },                    /* other UTF-8 kept */
		{ "", "", 0 },
		{ " \r\n\t", "", 0 },
		{ NULL, "", 0 },
		{ "1234567890123456789012345678901234567890123456789012345678901234", /* 64 */
		  "1234567890123456789012345678901234567890123456789012345678901234", 64 },
		{ "1234567890123456789012345678901234567890123456789012345678901234\r\n",
		  "1234567890123456789012345678901234567890123456789012345678901234", 64 },
		{ "12345678901234567890123456789012345678901234567890123456789012345", "", -1 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[VERIFY_CODE_MAX + 1];
		memset(out, 'x', sizeof out);
		int n = verify_code_norm(cases[i].in, out);
		if (n != cases[i].len || strcmp(out, cases[i].out) != 0)
			fail_msg("case %zu: \"%s\" -> %d \"%s\", want %d \"%s\"", i,
				 cases[i].in ? cases[i].in : "(null)", n, out, cases[i].len,
				 cases[i].out);
	}
}

/* ---------------------------------------------------------------- lines */

static void test_lines_merge(void **state)
{
	struct verify_line lines[4];
	size_t n = 0;
	struct err err = ERR_INIT;
	(void)state;
	assert_int_equal(verify_lines_add(lines, &n, 4, "A-01", "T恤", "白 XL", 1, 2, &err), 0);
	assert_int_equal(verify_lines_add(lines, &n, 4, "b-02", "袜子", "", 2, 1, &err), 0);
	assert_int_equal(verify_lines_add(lines, &n, 4, "a-01 ", "T恤", "白 XL", 3, 1, &err), 0);
	assert_int_equal(verify_lines_add(lines, &n, 4, "", "赠品", "", 4, 1, &err), 0);
	assert_int_equal(verify_lines_add(lines, &n, 4, "", "贺卡", "", 5, 1, &err), 0);
	assert_int_equal(verify_lines_add(lines, &n, 4, "C", "零件", "", 6, 0, &err), 0);
	assert_int_equal(n, 4);
	assert_string_equal(lines[0].key, "A-01");
	assert_string_equal(lines[0].sku_code, "A-01");
	assert_int_equal(lines[0].expected, 3);
	assert_int_equal(lines[0].line_no, 1);
	assert_string_equal(lines[1].key, "B-02");
	assert_string_equal(lines[2].key, "");
	assert_string_equal(lines[3].title, "贺卡");
	/* a fifth distinct line does not fit */
	assert_int_equal(verify_lines_add(lines, &n, 4, "D", "x", "", 7, 1, &err), ERR_UNPROCESSABLE);
	assert_string_equal(err.field, "items");
	/* nor do more pieces than a line may have */
	err_init(&err);
	assert_int_equal(verify_lines_add(lines, &n, 4, "A-01", "T恤", "", 8, VERIFY_MAX_QTY, &err),
			 ERR_UNPROCESSABLE);
	assert_int_equal(lines[0].expected, 3);
}

static void test_lines_long_code_is_uncoded(void **state)
{
	char code[100];
	struct verify_line lines[2];
	size_t n = 0;
	struct err err = ERR_INIT;
	(void)state;
	memset(code, 'A', sizeof code - 1);
	code[sizeof code - 1] = '\0';
	assert_int_equal(verify_lines_add(lines, &n, 2, code, "长编码", "", 1, 1, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(lines[0].key, "");
}

/* ---------------------------------------------------------------- scanning */

/* The order of every sequence: A ×2, B ×1, and an uncoded gift. */
static size_t fixture(struct verify_line *lines, int with_gift)
{
	size_t n = 0;
	struct err err = ERR_INIT;
	assert_int_equal(verify_lines_add(lines, &n, 8, "A", "T恤", "白 XL", 1, 2, &err), 0);
	assert_int_equal(verify_lines_add(lines, &n, 8, "B", "袜子", "", 2, 1, &err), 0);
	if (with_gift)
		assert_int_equal(verify_lines_add(lines, &n, 8, "", "赠品", "", 3, 1, &err), 0);
	return n;
}

#define C VERIFY_COUNTED
#define DONE VERIFY_COMPLETED
#define OVER VERIFY_OVER
#define UNK VERIFY_UNKNOWN
#define RB VERIFY_REFUSED_BLOCKED
#define RC VERIFY_REFUSED_CLOSED

/* Steps: a code to scan, or "!removed", "!reset", "!confirm2" (the gift line).
 * After each step: the outcome (or -1 when the step is an action that must
 * succeed, -2 when it must be refused), status and pieces remaining. */
static const struct seq {
	const char *name;
	int gift;
	struct {
		const char *code;
		int outcome;
		enum verify_status status;
		int64_t left;
	} steps[10];
} seqs[] = {
	{ "in order", 0,
	  { { "A", C, VERIFY_OPEN, 2 }, { "A", C, VERIFY_OPEN, 1 }, { "B", DONE, VERIFY_COMPLETE, 0 } } },
	{ "any order, scanner noise", 0,
	  { { "b\r\n", C, VERIFY_OPEN, 2 }, { " a", C, VERIFY_OPEN, 1 }, { "Ａ", DONE, VERIFY_COMPLETE, 0 } } },
	{ "wrong item blocks; removed; carry on", 0,
	  { { "A", C, VERIFY_OPEN, 2 },
	    { "Z-99", UNK, VERIFY_BLOCKED, 2 },
	    { "B", RB, VERIFY_BLOCKED, 2 },   /* nothing counts while blocked */
	    { "!removed", -1, VERIFY_OPEN, 2 },
	    { "B", C, VERIFY_OPEN, 1 },
	    { "A", DONE, VERIFY_COMPLETE, 0 } } },
	{ "over-scan blocks, keeps the count at the order's", 0,
	  { { "B", C, VERIFY_OPEN, 2 },
	    { "B", OVER, VERIFY_BLOCKED, 2 },
	    { "A", RB, VERIFY_BLOCKED, 2 },
	    { "!removed", -1, VERIFY_OPEN, 2 },
	    { "A", C, VERIFY_OPEN, 1 },
	    { "A", DONE, VERIFY_COMPLETE, 0 } } },
	{ "a mismatch on the last piece is not complete", 0,
	  { { "A", C, VERIFY_OPEN, 2 }, { "A", C, VERIFY_OPEN, 1 },
	    { "X", UNK, VERIFY_BLOCKED, 1 }, { "B", RB, VERIFY_BLOCKED, 1 },
	    { "!reset", -1, VERIFY_OPEN, 3 },
	    { "A", C, VERIFY_OPEN, 2 }, { "B", C, VERIFY_OPEN, 1 }, { "A", DONE, VERIFY_COMPLETE, 0 } } },
	{ "empty and over-long codes are mismatches", 0,
	  { { "  ", UNK, VERIFY_BLOCKED, 3 }, { "!removed", -1, VERIFY_OPEN, 3 },
	    { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", UNK,
	      VERIFY_BLOCKED, 3 } } },
	{ "closed after completion; reset refused", 0,
	  { { "A", C, VERIFY_OPEN, 2 }, { "A", C, VERIFY_OPEN, 1 }, { "B", DONE, VERIFY_COMPLETE, 0 },
	    { "A", RC, VERIFY_COMPLETE, 0 }, { "!reset", -2, VERIFY_COMPLETE, 0 },
	    { "!removed", -2, VERIFY_COMPLETE, 0 } } },
	{ "removed without a mismatch is refused", 0,
	  { { "A", C, VERIFY_OPEN, 2 }, { "!removed", -2, VERIFY_OPEN, 2 } } },
	{ "uncoded gift: scanning cannot reach it, a confirm does", 1,
	  { { "A", C, VERIFY_OPEN, 3 }, { "A", C, VERIFY_OPEN, 2 }, { "B", C, VERIFY_OPEN, 1 },
	    { "!confirm0", -2, VERIFY_OPEN, 1 },  /* a coded line must be scanned */
	    { "!confirm2", DONE, VERIFY_COMPLETE, 0 } } },
	{ "confirm while blocked is refused", 1,
	  { { "Q", UNK, VERIFY_BLOCKED, 4 }, { "!confirm2", -2, VERIFY_BLOCKED, 4 },
	    { "!removed", -1, VERIFY_OPEN, 4 }, { "!confirm2", C, VERIFY_OPEN, 3 },
	    { "!confirm2", -2, VERIFY_OPEN, 3 } /* already all there: would over-count */ } },
};

static int run_action(struct verify_session *s, const char *code, struct verify_step *st)
{
	struct err err = ERR_INIT;
	int rc;
	if (strcmp(code, "!removed") == 0)
		rc = verify_removed(s, &err);
	else if (strcmp(code, "!reset") == 0)
		rc = verify_reset(s, &err);
	else
		rc = verify_confirm(s, (size_t)(code[8] - '0'), st, &err);
	if (rc)
		assert_true(err.msg_zh[0] && err.msg_en[0]);
	return rc;
}

static void run_seq(const struct seq *q)
{
	struct verify_line lines[8];
	struct verify_session s;
	verify_session_init(&s, lines, fixture(lines, q->gift));
	for (int i = 0; i < 10 && q->steps[i].code; i++) {
		const char *code = q->steps[i].code;
		struct verify_step st = { VERIFY_COUNTED, -1 };
		int got;
		if (code[0] == '!') {
			int rc = run_action(&s, code, &st);
			got = rc ? -2 : strncmp(code, "!confirm", 8) == 0 ? (int)st.outcome : -1;
		} else {
			verify_scan(&s, code, &st);
			got = (int)st.outcome;
		}
		if (got != q->steps[i].outcome || s.status != q->steps[i].status ||
		    verify_remaining(&s) != q->steps[i].left)
			fail_msg("%s, step %d (%s): outcome %d status %s left %lld; want %d %s %lld",
				 q->name, i, code, got, verify_status_name(s.status),
				 (long long)verify_remaining(&s), q->steps[i].outcome,
				 verify_status_name(q->steps[i].status), (long long)q->steps[i].left);
		assert_int_equal(verify_is_complete(&s), s.status == VERIFY_COMPLETE);
	}
}

static void test_sequences(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof seqs / sizeof seqs[0]; i++)
		run_seq(&seqs[i]);
}

static void test_void_and_empty(void **state)
{
	struct verify_line lines[2];
	struct verify_session s;
	struct verify_step st;
	struct err err = ERR_INIT;
	(void)state;
	verify_session_init(&s, lines, 0);
	assert_false(verify_is_complete(&s)); /* nothing to verify is not "verified" */
	verify_session_init(&s, lines, fixture(lines, 0) - 1);
	s.status = VERIFY_VOID;
	verify_scan(&s, "A", &st);
	assert_int_equal(st.outcome, VERIFY_REFUSED_CLOSED);
	assert_int_equal(verify_reset(&s, &err), ERR_UNPROCESSABLE);
	struct sb sb = SB_INIT;
	verify_message(&s, &st, "zh", &sb);
	assert_non_null(strstr(sb.buf, "已作废"));
	sb_release(&sb);
}

/* ---------------------------------------------------------------- names, messages */

static void test_names(void **state)
{
	(void)state;
	for (int i = 0; i < VERIFY_STATUS__COUNT; i++) {
		enum verify_status back;
		assert_int_equal(verify_status_parse(verify_status_name((enum verify_status)i), &back), 0);
		assert_int_equal(back, i);
	}
	for (int i = 0; i < VERIFY_OUTCOME__COUNT; i++) {
		enum verify_outcome back;
		assert_int_equal(verify_outcome_parse(verify_outcome_name((enum verify_outcome)i), &back), 0);
		assert_int_equal(back, i);
	}
	enum verify_status st;
	assert_int_equal(verify_status_parse("nope", &st), ERR_INVALID);
	assert_int_equal(verify_status_parse(NULL, &st), ERR_INVALID);
	assert_string_equal(verify_status_name((enum verify_status)99), "");
}

static char *message(const struct verify_session *s, const struct verify_step *st,
		     const char *lang)
{
	struct sb sb = SB_INIT;
	struct err err = ERR_INIT;
	verify_message(s, st, lang, &sb);
	char *m = sb_take(&sb, &err);
	assert_non_null(m);
	return m;
}

static void expect_message(const struct verify_session *s, const struct verify_step *st,
			   const char *zh, const char *en)
{
	char *m = message(s, st, "zh");
	if (!strstr(m, zh))
		fail_msg("\"%s\" not in \"%s\"", zh, m);
	xfree(m);
	m = message(s, st, "en-US");
	if (!strstr(m, en))
		fail_msg("\"%s\" not in \"%s\"", en, m);
	xfree(m);
}

static void test_messages(void **state)
{
	struct verify_line lines[8];
	struct verify_session s;
	struct verify_step st;
	(void)state;
	verify_session_init(&s, lines, fixture(lines, 0));
	verify_scan(&s, "a", &st);
	expect_message(&s, &st, "✓ A 白 XL (1/2),还差 2 件", "OK A 白 XL (1/2), 2 more");
	verify_scan(&s, "zz-9", &st);
	expect_message(&s, &st, "错货:ZZ-9 不在此订单中", "wrong item: ZZ-9");
	verify_scan(&s, "A", &st);
	expect_message(&s, &st, "有错货未处理(ZZ-9)", "still open");
	assert_int_equal(verify_removed(&s, &(struct err)ERR_INIT), 0);
	verify_scan(&s, "B", &st);
	verify_scan(&s, "B", &st);
	expect_message(&s, &st, "多扫了:B 只需 1 件", "needs 1 of B");
	assert_int_equal(verify_removed(&s, &(struct err)ERR_INIT), 0);
	verify_scan(&s, "A", &st);
	expect_message(&s, &st, "验货完成", "verified");
	verify_scan(&s, "A", &st);
	expect_message(&s, &st, "已验货完成", "already verified");
	/* a step naming no line never reads past the lines */
	st.outcome = VERIFY_COUNTED;
	st.line = 42;
	xfree(message(&s, &st, "zh"));
}

/* ORD-10: a parcel's session names the parcel, not the order, where it matters. */
static void test_parcel_messages(void **state)
{
	struct verify_line lines[8];
	struct verify_session s;
	struct verify_step st;
	(void)state;
	verify_session_init(&s, lines, fixture(lines, 0));
	s.parcel_no = 2;
	verify_scan(&s, "C", &st);
	expect_message(&s, &st, "错货:C 不在此包裹中", "wrong item: C is not in this parcel");
	assert_int_equal(verify_removed(&s, &(struct err)ERR_INIT), 0);
	verify_scan(&s, "B", &st);
	verify_scan(&s, "B", &st);
	expect_message(&s, &st, "多扫了:B 只需 1 件", "the parcel needs 1 of B");
	assert_int_equal(verify_removed(&s, &(struct err)ERR_INIT), 0);
	verify_scan(&s, "A", &st);
	verify_scan(&s, "A", &st);
	expect_message(&s, &st, "验货完成,商品与包裹一致", "the goods match the parcel");
	verify_scan(&s, "A", &st);
	expect_message(&s, &st, "此包裹已验货完成", "this parcel is already verified");
	s.status = VERIFY_VOID;
	expect_message(&s, &st, "已作废(包裹有变)", "voided (the parcel changed)");
	/* and an order's session still says order */
	s.parcel_no = 0;
	expect_message(&s, &st, "已作废(订单有变)", "voided (the order changed)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_norm),
		cmocka_unit_test(test_lines_merge),
		cmocka_unit_test(test_lines_long_code_is_uncoded),
		cmocka_unit_test(test_sequences),
		cmocka_unit_test(test_void_and_empty),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_parcel_messages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
