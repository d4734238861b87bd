/* Unit tests for lib/sb (the string builder), lib/arena and allocation-failure
 * injection through lib/xalloc. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/arena.h"
#include "lib/sb.h"
#include "lib/xalloc.h"
#include "lib/common.h"

/* ---------------------------------------------------------------- sb */

static void test_basic(void **state)
{
	struct sb sb = SB_INIT;
	struct err err = ERR_INIT;

	(void)state;
	assert_non_null(sb.buf);
	assert_string_equal(sb.buf, "");
	sb_add(&sb, "ab", 2);
	sb_adds(&sb, "cd");
	sb_addc(&sb, 'e');
	sb_addf(&sb, "-%d-%s", 42, "买家");
	assert_string_equal(sb.buf, "abcde-42-买家");
	assert_int_equal(sb.len, strlen("abcde-42-买家"));
	sb_reset(&sb);
	assert_string_equal(sb.buf, "");
	sb_adds(&sb, "again");
	char *s = sb_take(&sb, &err);
	assert_string_equal(s, "again");
	assert_int_equal(err.code, 0);
	/* taking reinitialises the builder */
	assert_ptr_equal(sb.buf, sb_empty);
	assert_int_equal(sb.len, 0);
	xfree(s);
}

static void test_take_empty(void **state)
{
	struct sb sb = SB_INIT;
	struct err err = ERR_INIT;

	(void)state;
	char *s = sb_take(&sb, &err);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_ptr_not_equal(s, sb_empty); /* caller frees it, so it is its own */
	xfree(s);
}

static void test_cap_is_sticky(void **state)
{
	struct sb sb;
	struct err err = ERR_INIT;

	(void)state;
	sb_init(&sb, 8);
	sb_adds(&sb, "1234567"); /* 7 bytes + NUL = the cap exactly */
	assert_int_equal(sb.err, 0);
	sb_addc(&sb, '8');
	assert_int_equal(sb.err, ERR_TOO_LARGE);
	assert_string_equal(sb.buf, "1234567"); /* the failed append left no trace */
	sb_reset(&sb);
	sb_adds(&sb, "x");                       /* still refused: the error sticks */
	assert_int_equal(sb.err, ERR_TOO_LARGE);
	assert_int_equal(sb.len, 0);
	assert_null(sb_take(&sb, &err));
	assert_int_equal(err.code, ERR_TOO_LARGE);
	/* the take released the buffer and cleared the error, keeping the cap */
	assert_int_equal(sb.err, 0);
	assert_int_equal(sb.max, 8);
}

static void test_cap_single_huge_append(void **state)
{
	struct sb sb;
	struct err err = ERR_INIT;

	(void)state;
	sb_init(&sb, 16);
	sb_add(&sb, "x", SIZE_MAX);  /* must not wrap around and "fit" */
	assert_int_equal(sb.err, ERR_TOO_LARGE);
	assert_null(sb_take(&sb, &err));
	assert_int_equal(err.code, ERR_TOO_LARGE);
}

static void test_addf_long(void **state)
{
	struct sb sb = SB_INIT;
	char big[301];

	(void)state;
	memset(big, 'x', 300);
	big[300] = '\0';
	sb_adds(&sb, "<");
	sb_addf(&sb, "%s-%d", big, 7);
	assert_int_equal(sb.len, 1 + 300 + 2);
	assert_int_equal(sb.buf[0], '<');
	assert_memory_equal(sb.buf + 1, big, 300);
	assert_string_equal(sb.buf + 301, "-7");
	/* exactly around the 256-byte stack buffer */
	for (int n = 250; n <= 260; n++) {
		sb_reset(&sb);
		sb_addf(&sb, "%.*s", n, big);
		assert_int_equal(sb.len, n);
		assert_int_equal(strlen(sb.buf), n);
	}
	sb_release(&sb);
}

static void test_addf_over_cap(void **state)
{
	struct sb sb;
	struct err err = ERR_INIT;
	char big[301];

	(void)state;
	memset(big, 'y', 300);
	big[300] = '\0';
	sb_init(&sb, 100);
	sb_addf(&sb, "%s", big);
	assert_null(sb_take(&sb, &err));
	assert_int_equal(err.code, ERR_TOO_LARGE);
}

/* ---------------------------------------------------------------- arena-backed sb */

static void test_arena_sb(void **state)
{
	struct arena *a = arena_new(64);
	struct sb sb;
	struct err err = ERR_INIT;

	(void)state;
	assert_non_null(a);
	sb_init_arena(&sb, a, 0);
	for (int i = 0; i < 100; i++)
		sb_addf(&sb, "%02d,", i);
	char *s = sb_take(&sb, &err);
	assert_non_null(s);
	assert_int_equal(strlen(s), 300);
	assert_memory_equal(s, "00,01,02,", 9);
	assert_string_equal(s + 297, "99,");
	assert_ptr_equal(sb.arena, a); /* still arena-backed after the take */
	char *empty = sb_take(&sb, &err);
	assert_string_equal(empty, "");
	assert_true(arena_used(a) >= 300);
	arena_free(a); /* frees s and empty: no xfree, and ASan sees no leak */
}

static void test_arena_sb_cap(void **state)
{
	struct arena *a = arena_new(0);
	struct sb sb;
	struct err err = ERR_INIT;

	(void)state;
	sb_init_arena(&sb, a, 4);
	sb_adds(&sb, "abcd");
	assert_null(sb_take(&sb, &err));
	assert_int_equal(err.code, ERR_TOO_LARGE);
	arena_free(a);
}

/* ---------------------------------------------------------------- arena */

static void test_arena_alignment(void **state)
{
	struct arena *a = arena_new(256);
	const size_t sizes[] = { 1, 3, 15, 16, 17, 31, 100, 0, 7, 255, 256, 257 };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		unsigned char *p = arena_alloc(a, sizes[i]);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
		memset(p, 0xab, sizes[i]); /* ASan checks the whole block is ours */
	}
	arena_free(a);
}

static void test_arena_big_and_strings(void **state)
{
	struct arena *a = arena_new(64);

	(void)state;
	unsigned char *big = arena_alloc(a, 100000);
	assert_non_null(big);
	memset(big, 1, 100000);
	unsigned char *z = arena_calloc(a, 40);
	for (int i = 0; i < 40; i++)
		assert_int_equal(z[i], 0);
	char *s = arena_strdup(a, "浙江省杭州市");
	assert_string_equal(s, "浙江省杭州市");
	char *t = arena_strndup(a, "abcdef", 3);
	assert_string_equal(t, "abc");
	assert_int_equal(arena_used(a), 100000 + 48 + 32 + 16);
	assert_null(arena_alloc(a, SIZE_MAX - 3)); /* rounding up would wrap */
	arena_free(a);
	arena_free(NULL);
}

/* ---------------------------------------------------------------- allocation failure */

static void test_sb_nomem(void **state)
{
	struct sb sb = SB_INIT;
	struct err err = ERR_INIT;

	(void)state;
	xalloc_fail_after(0);
	sb_adds(&sb, "hello");
	xalloc_fail_after(-1);
	assert_int_equal(sb.err, ERR_NOMEM);
	assert_null(sb_take(&sb, &err));
	assert_int_equal(err.code, ERR_NOMEM);
	assert_string_equal(err.msg_en, "out of memory");

	/* even the empty string for an untouched builder is an allocation */
	struct err err2 = ERR_INIT;
	xalloc_fail_after(0);
	char *s = sb_take(&sb, &err2);
	xalloc_fail_after(-1);
	assert_null(s);
	assert_int_equal(err2.code, ERR_NOMEM);
}

/* Fail the 1st, 2nd, ... allocation of a build that grows the buffer several
 * times; every run either succeeds completely or fails cleanly (ASan checks
 * that nothing leaks). */
static void test_sb_fail_every_step(void **state)
{
	int succeeded = 0;

	(void)state;
	for (long n = 0; n < 20 && !succeeded; n++) {
		struct sb sb = SB_INIT;
		struct err err = ERR_INIT;
		xalloc_fail_after(n);
		for (int i = 0; i < 500; i++)
			sb_addf(&sb, "%d;", i);
		char *s = sb_take(&sb, &err);
		xalloc_fail_after(-1);
		if (s) {
			assert_int_equal(err.code, 0);
			assert_memory_equal(s, "0;1;2;", 6);
			xfree(s);
			succeeded = 1;
		} else {
			assert_int_equal(err.code, ERR_NOMEM);
		}
	}
	assert_true(succeeded);
}

static void test_arena_nomem(void **state)
{
	(void)state;
	xalloc_fail_after(0);
	assert_null(arena_new(64));
	xalloc_fail_after(-1);

	struct arena *a = arena_new(64);
	struct sb sb;
	struct err err = ERR_INIT;
	xalloc_fail_after(0);
	assert_null(arena_alloc(a, 10));
	sb_init_arena(&sb, a, 0);
	sb_adds(&sb, "x");
	xalloc_fail_after(-1);
	assert_null(sb_take(&sb, &err));
	assert_int_equal(err.code, ERR_NOMEM);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_take_empty),
		cmocka_unit_test(test_cap_is_sticky),
		cmocka_unit_test(test_cap_single_huge_append),
		cmocka_unit_test(test_addf_long),
		cmocka_unit_test(test_addf_over_cap),
		cmocka_unit_test(test_arena_sb),
		cmocka_unit_test(test_arena_sb_cap),
		cmocka_unit_test(test_arena_alignment),
		cmocka_unit_test(test_arena_big_and_strings),
		cmocka_unit_test(test_sb_nomem),
		cmocka_unit_test(test_sb_fail_every_step),
		cmocka_unit_test(test_arena_nomem),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
