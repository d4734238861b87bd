/* Unit tests for io/csv (the streaming reader, csv_clean, header mapping),
 * io/taobao_format and, as a round trip, io/taobao_gen read back by io/csv.
 * GBK inputs are made from the UTF-8 literals below with iconv at run time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/csv.h"
#include "io/taobao_format.h"
#include "io/taobao_gen.h"
#include "lib/cal.h"
#include "lib/money.h"
#include "lib/sb.h"
#include "lib/utf8.h"
#include "lib/xalloc.h"
#include "lib/common.h"

/* ---------------------------------------------------------------- helpers */

/* UTF-8 -> GBK for building test inputs. */
static void to_gbk(const char *utf8, size_t n, struct sb *out)
{
	iconv_t cd = iconv_open("GBK", "UTF-8");
	char buf[4096];
	char *ip = (char *)utf8;
	size_t left = n;

	assert_true(cd != (iconv_t)-1);
	while (left > 0) {
		char *op = buf;
		size_t room = sizeof buf;
		size_t r = iconv(cd, &ip, &left, &op, &room);
		sb_add(out, buf, (size_t)(op - buf));
		if (r == (size_t)-1 && errno != E2BIG)
			fail_msg("test input not representable in GBK");
	}
	iconv_close(cd);
	assert_int_equal(out->err, 0);
}

/* Reads all of in[0..n) and renders it as text, one line per record or error:
 *   "L<line>-<end_line>:[f1][f2]..."   or   "L<line>:E<code>" */
static void render_all(const char *in, size_t n, size_t chunk, size_t record_max, struct sb *out)
{
	struct csv_opts opts = { chunk, record_max, 0 };
	struct csv c;
	struct csv_record rec;

	csv_init_mem(&c, in, n, &opts);
	for (int guard = 0; guard < 10000; guard++) {
		struct err err = ERR_INIT;
		int rc = csv_next(&c, &rec, &err);
		if (rc == 0)
			break;
		if (rc < 0) {
			assert_int_equal(err.code, rc);
			assert_true(err.msg_zh[0] && err.msg_en[0]);
			sb_addf(out, "L%ld:E%d\n", rec.line, -rc);
			if (csv_fatal(&c))
				break;
			continue;
		}
		sb_addf(out, "L%ld-%ld:", rec.line, rec.end_line);
		for (size_t i = 0; i < rec.n; i++) {
			assert_int_equal(strlen(rec.fields[i]), rec.lens[i]);
			assert_true(utf8_valid(rec.fields[i], rec.lens[i]));
			sb_addf(out, "[%s]", rec.fields[i]);
		}
		sb_addc(out, '\n');
	}
	csv_release(&c);
}

struct read_case {
	const char *name;
	const char *in;
	const char *want;
};

static void run_cases(const struct read_case *cases, size_t n_cases)
{
	for (size_t i = 0; i < n_cases; i++) {
		/* Every chunk size from the minimum up must give the same result. */
		for (size_t chunk = 4; chunk <= 24; chunk++) {
			struct sb got = SB_INIT;
			render_all(cases[i].in, strlen(cases[i].in), chunk, 0, &got);
			if (strcmp(got.buf, cases[i].want) != 0)
				fail_msg("case %s (chunk %zu):\n got: %s\nwant: %s", cases[i].name, chunk,
					 got.buf, cases[i].want);
			sb_release(&got);
		}
		struct sb got = SB_INIT;
		render_all(cases[i].in, strlen(cases[i].in), 0, 0, &got);
		if (strcmp(got.buf, cases[i].want) != 0)
			fail_msg("case %s:\n got: %s\nwant: %s", cases[i].name, got.buf, cases[i].want);
		sb_release(&got);
	}
}

/* ---------------------------------------------------------------- syntax */

static const struct read_case quoting_cases[] = {
	{ "plain", "a,b,c\n", "L1-1:[a][b][c]\n" },
	{ "quoted comma and quote", "a,\"b,c\",\"d\"\"e\",,\"\",f\r\n",
	  "L1-1:[a][b,c][d\"e][][][f]\n" },
	{ "only quotes", "\"\"\"\",x\n", "L1-1:[\"][x]\n" },
	{ "excel guard kept raw", "=\"2026111100012345678\",'138\n",
	  "L1-1:[=\"2026111100012345678\"][\'138]\n" },
	{ "quote inside unquoted", "ab\"c,d\n", "L1-1:[ab\"c][d]\n" },
	{ "text after closing quote", "\"ab\"c,d\n", "L1-1:[abc][d]\n" },
	{ "trailing empty field", "a,b,\n", "L1-1:[a][b][]\n" },
	{ "leading empty field", ",b\n", "L1-1:[][b]\n" },
	{ "spaces are data", " a , b \n", "L1-1:[ a ][ b ]\n" },
	{ "utf-8 text", "订单编号,买家留言\n1,\"好的，谢谢\"\n",
	  "L1-1:[订单编号][买家留言]\nL2-2:[1][好的，谢谢]\n" },
};

static void test_quoting(void **state)
{
	(void)state;
	run_cases(quoting_cases, ARRAY_SIZE(quoting_cases));
}

static const struct read_case newline_cases[] = {
	{ "LF in quotes", "a,\"x\ny\",b\nc\n", "L1-2:[a][x\ny][b]\nL3-3:[c]\n" },
	{ "CRLF in quotes", "a,\"x\r\ny\r\nz\",b\r\nc\r\n",
	  "L1-3:[a][x\r\ny\r\nz][b]\nL4-4:[c]\n" },
	{ "newline first in quotes", "\"\n\",1\n2\n", "L1-2:[\n][1]\nL3-3:[2]\n" },
	{ "two multi-line records", "\"a\nb\"\n\"c\n\nd\"\ne\n",
	  "L1-2:[a\nb]\nL3-5:[c\n\nd]\nL6-6:[e]\n" },
	{ "quote newline quote", "\"x\"\"\n\"\"y\"\nz\n", "L1-2:[x\"\n\"y]\nL3-3:[z]\n" },
};

static void test_embedded_newlines(void **state)
{
	(void)state;
	run_cases(newline_cases, ARRAY_SIZE(newline_cases));
}

static const struct read_case eol_cases[] = {
	{ "CRLF", "a\r\nb\r\n", "L1-1:[a]\nL2-2:[b]\n" },
	{ "LF", "a\nb\n", "L1-1:[a]\nL2-2:[b]\n" },
	{ "mixed", "a\r\nb\nc\r\nd", "L1-1:[a]\nL2-2:[b]\nL3-3:[c]\nL4-4:[d]\n" },
	{ "bare CR", "a\rb\r\nc\n", "L1-1:[a]\nL2-2:[b]\nL3-3:[c]\n" },
	{ "no final line end", "a,b", "L1-1:[a][b]\n" },
	{ "no final line end, quoted", "a,\"b\"", "L1-1:[a][b]\n" },
	{ "final empty field", "a,", "L1-1:[a][]\n" },
	{ "blank lines skipped", "\n\r\na\n\n\nb\r\n\r\n", "L3-3:[a]\nL6-6:[b]\n" },
	{ "all-empty rows skipped", "a,b\n,\n,,,\r\n\"\",\"\"\nc,d\n", "L1-1:[a][b]\nL5-5:[c][d]\n" },
	{ "empty input", "", "" },
	{ "only line ends", "\r\n\n\r", "" },
	{ "whitespace line is a record", "  \n", "L1-1:[  ]\n" },
};

static void test_line_endings(void **state)
{
	(void)state;
	run_cases(eol_cases, ARRAY_SIZE(eol_cases));
}

/* "E1" is ERR_INVALID (-1): the record is rejected and reading goes on. */
static const struct read_case error_cases[] = {
	{ "unterminated quote at EOF", "a,b\r\n\"c,d\r\nxx\r\nyy", "L1-1:[a][b]\nL2:E1\n" },
	{ "unterminated quote in later field", "a\nb,c,\"d\n", "L1-1:[a]\nL2:E1\n" },
	{ "invalid UTF-8 rejects one record", "订单编号,买家留言\nx\xff\ny\n",
	  "L1-1:[订单编号][买家留言]\nL2:E1\nL3-3:[y]\n" },
};

static void test_errors(void **state)
{
	static const char nul_in[] = "a\nb\0c\nd\n";
	struct sb got = SB_INIT;

	(void)state;
	run_cases(error_cases, ARRAY_SIZE(error_cases));
	/* strlen() would stop at the NUL, so this one runs by hand. */
	for (size_t chunk = 4; chunk < 12; chunk++) {
		render_all(nul_in, sizeof nul_in - 1, chunk, 0, &got);
		assert_string_equal(got.buf, "L1-1:[a]\nL2:E1\nL3-3:[d]\n");
		sb_reset(&got);
	}
	sb_release(&got);
}

static void test_unterminated_message(void **state)
{
	static const char in[] = "h1,h2\r\nok,1\r\n\"never\r\nclosed,2\r\n3\r\n";
	struct csv c;
	struct csv_record rec;
	struct err err = ERR_INIT;

	(void)state;
	csv_init_mem(&c, in, sizeof in - 1, NULL);
	assert_int_equal(csv_next(&c, &rec, &err), 1);
	assert_int_equal(csv_next(&c, &rec, &err), 1);
	assert_int_equal(csv_next(&c, &rec, &err), ERR_INVALID);
	assert_int_equal(rec.line, 3);
	assert_non_null(strstr(err.msg_en, "line 3"));
	assert_non_null(strstr(err.msg_zh, "第 3 行"));
	assert_int_equal(csv_fatal(&c), 0);
	err_init(&err);
	assert_int_equal(csv_next(&c, &rec, &err), 0);
	csv_release(&c);
}

/* ---------------------------------------------------------------- limits */

static void test_record_cap(void **state)
{
	struct sb in = SB_INIT, got = SB_INIT;

	(void)state;
	sb_adds(&in, "h1,h2\r\n");
	sb_adds(&in, "short,1\r\n");
	sb_adds(&in, "long,\"");
	for (int i = 0; i < 40; i++)
		sb_adds(&in, "0123456789\r\n"); /* 40 lines inside one quoted field */
	sb_adds(&in, "\"\r\n");
	sb_adds(&in, "after,2\r\n");
	sb_adds(&in, "x");
	for (int i = 0; i < 100; i++)
		sb_adds(&in, ",y");
	sb_adds(&in, "\r\nlast,3\r\n");
	for (size_t chunk = 4; chunk <= 70; chunk += 11) {
		struct csv_opts opts = { chunk, 128, 50 };
		struct csv c;
		struct csv_record rec;
		csv_init_mem(&c, in.buf, in.len, &opts);
		for (;;) {
			struct err err = ERR_INIT;
			int rc = csv_next(&c, &rec, &err);
			if (rc == 0)
				break;
			if (rc < 0) {
				sb_addf(&got, "L%ld:%s\n", rec.line, err.msg_en);
				continue;
			}
			sb_addf(&got, "L%ld:%s\n", rec.line, rec.fields[0]);
		}
		assert_string_equal(got.buf,
				    "L1:h1\nL2:short\n"
				    "L3:the record starting on line 3 exceeds the 128-byte limit; skipped\n"
				    "L44:after\n"
				    "L45:the record starting on line 45 has more than 50 fields; skipped\n"
				    "L46:last\n");
		sb_reset(&got);
		csv_release(&c);
	}
	sb_release(&in);
	sb_release(&got);
}

/* A stray quote makes the rest of the file one field: memory stays at the cap
 * and the error names the line the quote opened on. */
static void test_runaway_quote(void **state)
{
	struct sb in = SB_INIT;
	struct csv_opts opts = { 64, 256, 0 };
	struct csv c;
	struct csv_record rec;
	struct err err = ERR_INIT;

	(void)state;
	sb_adds(&in, "a,b\na,\"b\n");
	for (int i = 0; i < 1000; i++)
		sb_adds(&in, "x,y\n");
	csv_init_mem(&c, in.buf, in.len, &opts);
	assert_int_equal(csv_next(&c, &rec, &err), 1);
	assert_int_equal(csv_next(&c, &rec, &err), ERR_INVALID);
	assert_int_equal(rec.line, 2);
	assert_non_null(strstr(err.msg_en, "opened on line 2"));
	assert_true(c.raw_cap <= 256);
	err_init(&err);
	assert_int_equal(csv_next(&c, &rec, &err), 0);
	csv_release(&c);
	sb_release(&in);
}

/* ---------------------------------------------------------------- encodings */

static void test_bom(void **state)
{
	static const char in[] = "\xEF\xBB\xBF订单编号,金额\r\n1,2\r\n";
	struct sb got = SB_INIT;
	struct csv c;
	struct csv_record rec;
	struct err err = ERR_INIT;

	(void)state;
	for (size_t chunk = 4; chunk < 10; chunk++) {
		render_all(in, sizeof in - 1, chunk, 0, &got);
		assert_string_equal(got.buf, "L1-1:[订单编号][金额]\nL2-2:[1][2]\n");
		sb_reset(&got);
	}
	sb_release(&got);
	csv_init_mem(&c, in, sizeof in - 1, NULL);
	assert_int_equal(csv_next(&c, &rec, &err), 1);
	assert_int_equal(csv_encoding(&c), TEXT_UTF8_BOM);
	assert_string_equal(csv_encoding_name(csv_encoding(&c)), "utf-8-bom");
	csv_release(&c);

	/* An empty buffer, and a BOM-only file, have no records. */
	csv_init_mem(&c, NULL, 0, NULL);
	assert_int_equal(csv_next(&c, &rec, &err), 0);
	assert_int_equal(csv_next(&c, &rec, &err), 0);
	csv_release(&c);
	csv_init_mem(&c, "\xEF\xBB\xBF", 3, NULL);
	assert_int_equal(csv_next(&c, &rec, &err), 0);
	csv_release(&c);
}

static const char gbk_text[] =
	"订单编号,买家会员名,收货地址,订单状态,买家留言\r\n"
	"=\"2026111100012345678\",小鱼儿2019,浙江省 杭州市 西湖区 文三路90号(310012),"
	"买家已付款，等待卖家发货,\"请发顺丰,谢谢\"\r\n"
	"=\"2026111100012345679\",tb_8823311,北京市 北京市 朝阳区 建国路1号(100020),交易成功,"
	"\"周末不在家\n放门卫\"\"谢谢\"\"\"\r\n";

static const char gbk_want[] =
	"L1-1:[订单编号][买家会员名][收货地址][订单状态][买家留言]\n"
	"L2-2:[=\"2026111100012345678\"][小鱼儿2019][浙江省 杭州市 西湖区 文三路90号(310012)]"
	"[买家已付款，等待卖家发货][请发顺丰,谢谢]\n"
	"L3-4:[=\"2026111100012345679\"][tb_8823311][北京市 北京市 朝阳区 建国路1号(100020)]"
	"[交易成功][周末不在家\n放门卫\"谢谢\"]\n";

static void test_gbk(void **state)
{
	struct sb gbk = SB_INIT, got = SB_INIT;
	struct csv c;
	struct csv_record rec;
	struct err err = ERR_INIT;

	(void)state;
	to_gbk(gbk_text, sizeof gbk_text - 1, &gbk);
	assert_false(utf8_valid(gbk.buf, gbk.len));
	render_all(gbk.buf, gbk.len, 0, 0, &got);
	assert_string_equal(got.buf, gbk_want);
	csv_init_mem(&c, gbk.buf, gbk.len, NULL);
	assert_int_equal(csv_next(&c, &rec, &err), 1);
	assert_int_equal(csv_encoding(&c), TEXT_GBK);
	assert_string_equal(csv_encoding_name(TEXT_GBK), "gbk");
	csv_release(&c);
	sb_release(&gbk);
	sb_release(&got);
}

/* Every chunk size from 4 to 64 bytes: some cut a double-byte character in
 * two (checked below), and the result never changes. With chunks this small
 * the first chunk is often pure ASCII, so the per-record decision is exercised too. */
static void test_gbk_straddle(void **state)
{
	struct sb gbk = SB_INIT, got = SB_INIT;
	int split_seen = 0;

	(void)state;
	to_gbk(gbk_text, sizeof gbk_text - 1, &gbk);
	for (size_t chunk = 4; chunk <= 64; chunk++) {
		/* does a chunk boundary fall inside a double-byte character? */
		for (size_t i = 0; i + 1 < gbk.len; i++) {
			unsigned char b = (unsigned char)gbk.buf[i];
			if (b >= 0x81 && b <= 0xFE) {
				if ((i + 1) % chunk == 0)
					split_seen++;
				i++; /* skip the trail byte */
			}
		}
		render_all(gbk.buf, gbk.len, chunk, 0, &got);
		if (strcmp(got.buf, gbk_want) != 0)
			fail_msg("chunk %zu:\n got: %s\nwant: %s", chunk, got.buf, gbk_want);
		sb_reset(&got);
	}
	assert_true(split_seen > 10);

	/* A file that stays ASCII past the first chunk, then turns GBK. */
	struct sb late = SB_INIT, late_gbk = SB_INIT;
	sb_adds(&late, "order_no,name\r\n");
	for (int i = 0; i < 20; i++)
		sb_addf(&late, "%d,abc\r\n", i);
	sb_adds(&late, "99,张三\r\n");
	to_gbk(late.buf, late.len, &late_gbk);
	struct csv_opts opts = { 32, 0, 0 };
	struct csv c;
	struct csv_record rec;
	struct err err = ERR_INIT;
	csv_init_mem(&c, late_gbk.buf, late_gbk.len, &opts);
	int rc, n = 0;
	while ((rc = csv_next(&c, &rec, &err)) == 1) {
		n++;
		if (n < 22)
			assert_int_equal(csv_encoding(&c), TEXT_ASCII);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(n, 22);
	assert_int_equal(csv_encoding(&c), TEXT_GBK);
	csv_release(&c);
	sb_release(&late);
	sb_release(&late_gbk);
	sb_release(&gbk);
	sb_release(&got);
}

static void test_detect_cut_at_line(void **state)
{
	/* UTF-8 whose first chunk ends inside a three-byte character: the
	 * decision must not call it GBK. */
	struct sb in = SB_INIT, got = SB_INIT;

	(void)state;
	sb_adds(&in, "a,订单\nb,收货地址收货地址\n");
	for (size_t chunk = 4; chunk < 40; chunk++) {
		struct csv_opts opts = { chunk, 0, 0 };
		struct csv c;
		struct csv_record rec;
		struct err err = ERR_INIT;
		csv_init_mem(&c, in.buf, in.len, &opts);
		assert_int_equal(csv_next(&c, &rec, &err), 1);
		assert_string_equal(rec.fields[1], "订单");
		assert_int_equal(csv_encoding(&c), TEXT_UTF8);
		csv_release(&c);
	}
	sb_release(&in);
	sb_release(&got);
}

static void test_invalid_gbk(void **state)
{
	struct sb in = SB_INIT, got = SB_INIT;

	(void)state;
	to_gbk("编号,名\r\n1,张三\r\n", strlen("编号,名\r\n1,张三\r\n"), &in);
	sb_add(&in, "2,\x81\x20\r\n", 6); /* a lead byte with no valid trail */
	sb_adds(&in, "3,ok\r\n");
	render_all(in.buf, in.len, 0, 0, &got);
	assert_string_equal(got.buf, "L1-1:[编号][名]\nL2-2:[1][张三]\nL3:E1\nL4-4:[3][ok]\n");
	sb_release(&in);
	sb_release(&got);
}

static void test_not_csv(void **state)
{
	static const struct {
		const char *in;
		size_t n;
		const char *msg_en;
	} cases[] = {
		{ "\xFF\xFE" "a\0,\0", 6, "UTF-16" },
		{ "\xFE\xFF\0a", 4, "UTF-16" },
		{ "PK\x03\x04\x14\0\x06\0", 8, ".xlsx" },
		{ "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, ".xls" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct csv c;
		struct csv_record rec;
		struct err err = ERR_INIT;
		csv_init_mem(&c, cases[i].in, cases[i].n, NULL);
		assert_int_equal(csv_next(&c, &rec, &err), ERR_INVALID);
		assert_non_null(strstr(err.msg_en, cases[i].msg_en));
		assert_int_equal(csv_fatal(&c), ERR_INVALID);
		err_init(&err);
		assert_int_equal(csv_next(&c, &rec, &err), ERR_INVALID); /* sticky */
		assert_int_equal(err.code, ERR_INVALID);
		csv_release(&c);
	}
}

/* ---------------------------------------------------------------- sources */

static void test_fd_and_file(void **state)
{
	char path[] = "/tmp/dianpu-test-csv-XXXXXX";
	struct sb gbk = SB_INIT, big = SB_INIT;
	int fd;

	(void)state;
	/* Big enough for several 64 KiB chunks. */
	for (int i = 0; i < 3000; i++)
		sb_adds(&big, gbk_text);
	to_gbk(big.buf, big.len, &gbk);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, gbk.buf, gbk.len), (ssize_t)gbk.len);

	for (int use_file = 0; use_file < 2; use_file++) {
		struct csv c;
		struct csv_record rec;
		struct err err = ERR_INIT;
		FILE *fp = NULL;
		long n = 0, last_line = 0;
		int rc;

		assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
		if (use_file) {
			fp = fdopen(dup(fd), "rb");
			assert_non_null(fp);
			csv_init_file(&c, fp, NULL);
		} else {
			csv_init_fd(&c, fd, NULL);
		}
		while ((rc = csv_next(&c, &rec, &err)) == 1) {
			n++;
			last_line = rec.line;
			assert_int_equal(rec.n, 5);
		}
		assert_int_equal(rc, 0);
		assert_int_equal(n, 9000);
		assert_int_equal(last_line, 4 * 3000 - 1); /* 4 physical lines per copy */
		assert_int_equal(csv_encoding(&c), TEXT_GBK);
		csv_release(&c);
		if (fp)
			fclose(fp);
	}
	close(fd);
	unlink(path);

	/* A read error is fatal and sticky. */
	struct csv c;
	struct csv_record rec;
	struct err err = ERR_INIT;
	csv_init_fd(&c, -1, NULL);
	assert_int_equal(csv_next(&c, &rec, &err), ERR_IO);
	assert_int_equal(csv_fatal(&c), ERR_IO);
	csv_release(&c);
	sb_release(&gbk);
	sb_release(&big);
}

static void test_out_of_memory(void **state)
{
	struct sb gbk = SB_INIT;
	int ok_seen = 0;

	(void)state;
	to_gbk(gbk_text, sizeof gbk_text - 1, &gbk);
	for (long n = 0; n < 40; n++) {
		struct csv_opts opts = { 16, 0, 0 };
		struct csv c;
		struct csv_record rec;
		struct err err = ERR_INIT;
		int rc, records = 0;
		csv_init_mem(&c, gbk.buf, gbk.len, &opts);
		xalloc_fail_after(n);
		while ((rc = csv_next(&c, &rec, &err)) == 1)
			records++;
		xalloc_fail_after(-1);
		if (rc == 0) {
			assert_int_equal(records, 3);
			ok_seen = 1;
		} else {
			assert_int_equal(rc, ERR_NOMEM);
			assert_int_equal(csv_fatal(&c), ERR_NOMEM);
		}
		csv_release(&c);
	}
	assert_true(ok_seen);
	sb_release(&gbk);
}

/* ---------------------------------------------------------------- cleaning */

static void test_clean(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "=\"2026111100012345678\"", "2026111100012345678" },
		{ " =\"123\" ", "123" },
		{ "=\" 123 \"", "123" },
		{ "=\"\"", "" },
		{ "'13812345678", "13812345678" },
		{ " '13812345678 ", "13812345678" },
		{ "\t2026111100012345678", "2026111100012345678" },
		{ "\t\t123\t", "123" },
		{ "  张三  ", "张三" },
		{ "\xE3\x80\x80张三\xE3\x80\x80", "张三" },          /* U+3000 */
		{ "\xC2\xA0" "128.00\xC2\xA0", "128.00" },           /* NBSP */
		{ "\xEF\xBB\xBF订单编号", "订单编号" },               /* BOM */
		{ "a b", "a b" },                                      /* inner spaces stay */
		{ "\r\nx\r\n", "x" },
		{ "", "" },
		{ "   ", "" },
		{ "=", "=" },
		{ "=\"", "=\"" },
		{ "=1+2", "=1+2" },
		{ "'", "" },
		{ "''x", "'x" },                                       /* one apostrophe only */
		{ "=\"'123\"", "123" },
		{ "a=\"1\"", "a=\"1\"" },
		{ "\xE3\x80\x80", "" },
		{ "中\xE3\x80\x80文", "中\xE3\x80\x80文" },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct sb out = SB_INIT;
		sb_adds(&out, "[");
		csv_clean(cases[i].in, &out);
		sb_adds(&out, "]");
		struct sb want = SB_INIT;
		sb_addf(&want, "[%s]", cases[i].want);
		if (strcmp(out.buf, want.buf) != 0)
			fail_msg("case %zu: got %s want %s", i, out.buf, want.buf);
		size_t start, n = csv_clean_span(cases[i].in, strlen(cases[i].in), &start);
		assert_int_equal(n, strlen(cases[i].want));
		assert_true(start + n <= strlen(cases[i].in));
		sb_release(&out);
		sb_release(&want);
	}
}

/* ---------------------------------------------------------------- header */

static const char *const nick_aliases[] = { "买家昵称", "buyer_nick", NULL };

static const struct csv_column wanted[] = {
	{ "订单编号", 1, NULL },
	{ "买家会员名", 1, nick_aliases },
	{ "收货地址", 1, NULL },
	{ "买家留言", 0, NULL },
	{ "联系手机", 1, NULL },
};

static int map_header(const char *line, int *idx, struct err *err)
{
	struct csv c;
	struct csv_record rec;
	struct err rerr = ERR_INIT;

	csv_init_mem(&c, line, strlen(line), NULL);
	assert_int_equal(csv_next(&c, &rec, &rerr), 1);
	int rc = csv_map_header(&rec, wanted, ARRAY_SIZE(wanted), idx, err);
	csv_release(&c);
	return rc;
}

static void test_header_map(void **state)
{
	int idx[ARRAY_SIZE(wanted)];
	struct err err = ERR_INIT;

	(void)state;
	/* the export order */
	assert_int_equal(map_header("订单编号,买家会员名,收货地址,买家留言,联系手机\r\n", idx, &err), 0);
	assert_int_equal(idx[0], 0);
	assert_int_equal(idx[1], 1);
	assert_int_equal(idx[4], 4);

	/* reordered, extra columns, spaces, a BOM, an alias, an optional one missing */
	assert_int_equal(map_header("\xEF\xBB\xBF 联系手机 ,备注, BUYER_NICK,订单编号\t,"
				    "\"收货地址\",订单编号\r\n",
				    idx, &err),
			 0);
	assert_int_equal(idx[0], 3); /* the first 订单编号 wins */
	assert_int_equal(idx[1], 2);
	assert_int_equal(idx[2], 4);
	assert_int_equal(idx[3], -1);
	assert_int_equal(idx[4], 0);

	/* every missing required column named, in one error */
	assert_int_equal(map_header("订单编号,买家留言,宝贝标题\r\n", idx, &err), ERR_UNPROCESSABLE);
	assert_int_equal(err.code, ERR_UNPROCESSABLE);
	assert_string_equal(err.field, "header");
	assert_string_equal(err.msg_zh, "缺少必需的列：买家会员名、收货地址、联系手机");
	assert_string_equal(err.msg_en, "missing required columns: 买家会员名, 收货地址, 联系手机");
	assert_int_equal(idx[0], 0);
	assert_int_equal(idx[3], 1);

	/* a field reads as "" past the end of a short row or for an absent column */
	struct csv_record rec = { NULL, NULL, 0, 1, 1 };
	assert_string_equal(csv_field(&rec, 3), "");
	assert_string_equal(csv_field(&rec, -1), "");
}

static void test_header_map_many_missing(void **state)
{
	struct csv_column cols[TAOBAO_ORDER_NCOLS];
	int idx[TAOBAO_ORDER_NCOLS];
	struct err err = ERR_INIT;
	struct csv c;
	struct csv_record rec;

	(void)state;
	for (size_t i = 0; i < TAOBAO_ORDER_NCOLS; i++)
		cols[i] = (struct csv_column){ taobao_order_columns[i], 1, NULL };
	csv_init_mem(&c, "x,y\n", 4, NULL);
	assert_int_equal(csv_next(&c, &rec, &err), 1);
	assert_int_equal(csv_map_header(&rec, cols, TAOBAO_ORDER_NCOLS, idx, &err),
			 ERR_UNPROCESSABLE);
	/* the list is cut at a whole name and says how many there are */
	assert_true(utf8_valid(err.msg_zh, strlen(err.msg_zh)));
	assert_true(utf8_valid(err.msg_en, strlen(err.msg_en)));
	assert_non_null(strstr(err.msg_zh, "订单编号、买家会员名"));
	assert_non_null(strstr(err.msg_zh, "等 47 列"));
	assert_non_null(strstr(err.msg_en, "more"));
	csv_release(&c);
}

/* ---------------------------------------------------------------- taobao_format */

static void test_taobao_format(void **state)
{
	static const struct {
		const char *in;
		int rc;
		enum taobao_status st;
	} cases[] = {
		{ "等待买家付款", 0, TAOBAO_STATUS_WAIT_PAY },
		{ "买家已付款，等待卖家发货", 0, TAOBAO_STATUS_WAIT_SHIP },
		{ "买家已付款,等待卖家发货", 0, TAOBAO_STATUS_WAIT_SHIP },
		{ "买家已付款等待卖家发货", 0, TAOBAO_STATUS_WAIT_SHIP },
		{ " 卖家已发货，等待买家确认 ", 0, TAOBAO_STATUS_SHIPPED },
		{ "交易成功", 0, TAOBAO_STATUS_SUCCESS },
		{ "交易关闭", 0, TAOBAO_STATUS_CLOSED },
		{ "付款以后用户退款成功，交易自动关闭", 0, TAOBAO_STATUS_REFUND_CLOSED },
		{ "交易", ERR_INVALID, 0 },
		{ "", ERR_INVALID, 0 },
		{ "shipped", ERR_INVALID, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		enum taobao_status st = TAOBAO_STATUS_COUNT;
		struct err err = ERR_INIT;
		int rc = taobao_status_parse(cases[i].in, &st, &err);
		if (rc != cases[i].rc || (rc == 0 && st != cases[i].st))
			fail_msg("status case %zu (%s): rc %d st %d", i, cases[i].in, rc, (int)st);
		if (rc)
			assert_true(utf8_valid(err.msg_zh, strlen(err.msg_zh)));
	}
	assert_string_equal(taobao_status_text(TAOBAO_STATUS_WAIT_SHIP), "买家已付款，等待卖家发货");
	assert_string_equal(taobao_status_name(TAOBAO_STATUS_REFUND_CLOSED), "refund_closed");
	assert_string_equal(taobao_order_columns[0], "订单编号");
	assert_string_equal(taobao_order_columns[TAOBAO_ORDER_NCOLS - 1], "确认收货时间");
	assert_string_equal(taobao_item_columns[TAOBAO_ITEM_NCOLS - 1], "商家编码");

	static const char *const placeholders[] = { "", " null ", "NULL", "-", "--", "无", "N/A",
						    "暂无", "=\"\"", "\xE3\x80\x80" };
	for (size_t i = 0; i < ARRAY_SIZE(placeholders); i++)
		if (!taobao_is_placeholder(placeholders[i]))
			fail_msg("placeholder %zu not recognised", i);
	assert_false(taobao_is_placeholder("QH-WY01-01-02"));
	assert_false(taobao_is_placeholder("nullx"));

	static const struct {
		const char *in, *want;
	} waybills[] = {
		{ "No:YT1234567890123", "YT1234567890123" },
		{ "No：SF1234567890123 ", "SF1234567890123" },
		{ "NO. 7712345678901", "7712345678901" },
		{ "=\"7312345678901\"", "7312345678901" },
		{ "YT1234567890123", "YT1234567890123" },
		{ "Nobody", "Nobody" },
		{ "No:", "" },
		{ "", "" },
		{ "null", "" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(waybills); i++) {
		size_t start, n = taobao_waybill_span(waybills[i].in, strlen(waybills[i].in), &start);
		if (n != strlen(waybills[i].want) ||
		    memcmp(waybills[i].in + start, waybills[i].want, n) != 0)
			fail_msg("waybill case %zu: got %.*s", i, (int)n, waybills[i].in + start);
	}
}

/* ---------------------------------------------------------------- round trip */

struct gen_order {
	uint64_t no;
	int64_t goods_fen, items_fen;
	int lines_declared, lines_seen;
};

static int cmp_order(const void *a, const void *b)
{
	uint64_t x = ((const struct gen_order *)a)->no, y = ((const struct gen_order *)b)->no;
	return x < y ? -1 : x > y;
}

static uint64_t order_no(const char *raw)
{
	size_t start, n = csv_clean_span(raw, strlen(raw), &start);
	uint64_t v = 0;

	if (n != 19)
		fail_msg("order number %s is not 19 digits", raw);
	for (size_t i = 0; i < n; i++) {
		char ch = raw[start + i];
		if (ch < '0' || ch > '9')
			fail_msg("order number %s has a non-digit", raw);
		v = v * 10 + (uint64_t)(ch - '0');
	}
	return v;
}

static int64_t fen_of(const char *s)
{
	int64_t fen = 0;
	struct err err = ERR_INIT;

	if (money_parse(s, &fen, &err))
		fail_msg("amount %s: %s", s, err.msg_en);
	return fen;
}

static void gen_files(const char *dir, long orders, uint64_t seed, int utf8, char *po, char *pi,
		      struct taobao_gen_stats *stats)
{
	struct taobao_gen_opts opts = { orders, seed, utf8, 0 };
	struct err err = ERR_INIT;

	snprintf(po, 256, "%s/orders%d.csv", dir, utf8);
	snprintf(pi, 256, "%s/items%d.csv", dir, utf8);
	FILE *fo = fopen(po, "wb"), *fi = fopen(pi, "wb");
	assert_non_null(fo);
	assert_non_null(fi);
	if (taobao_gen_write(fo, fi, &opts, stats, &err))
		fail_msg("gen: %s", err.msg_en);
	assert_int_equal(fclose(fo), 0);
	assert_int_equal(fclose(fi), 0);
}

enum { O_NO, O_GOODS, O_POSTAGE, O_TOTAL, O_PAID, O_STATUS, O_MOBILE, O_PHONE, O_ADDRESS,
       O_CREATED, O_PAID_AT, O_KINDS, O_COUPON, O_JFB, O_MESSAGE, O_COUNT };

static const struct csv_column order_cols[O_COUNT] = {
	[O_NO] = { TAOBAO_COL_ORDER_NO, 1, NULL },
	[O_GOODS] = { TAOBAO_COL_GOODS_DUE, 1, NULL },
	[O_POSTAGE] = { TAOBAO_COL_POSTAGE, 1, NULL },
	[O_TOTAL] = { TAOBAO_COL_TOTAL, 1, NULL },
	[O_PAID] = { TAOBAO_COL_PAID, 1, NULL },
	[O_STATUS] = { TAOBAO_COL_STATUS, 1, NULL },
	[O_MOBILE] = { TAOBAO_COL_MOBILE, 1, NULL },
	[O_PHONE] = { TAOBAO_COL_PHONE, 1, NULL },
	[O_ADDRESS] = { TAOBAO_COL_ADDRESS, 1, NULL },
	[O_CREATED] = { TAOBAO_COL_CREATED, 1, NULL },
	[O_PAID_AT] = { TAOBAO_COL_PAID_AT, 1, NULL },
	[O_KINDS] = { TAOBAO_COL_KINDS, 1, NULL },
	[O_COUPON] = { TAOBAO_COL_TMALL_COUPON, 1, NULL },
	[O_JFB] = { TAOBAO_COL_JIFENBAO, 1, NULL },
	[O_MESSAGE] = { TAOBAO_COL_BUYER_MESSAGE, 1, NULL },
};

enum { I_NO, I_PRICE, I_QTY, I_STATUS, I_CODE, I_PROPS, I_COUNT };

static const struct csv_column item_cols[I_COUNT] = {
	[I_NO] = { TAOBAO_ITEM_COL_ORDER_NO, 1, NULL },
	[I_PRICE] = { TAOBAO_ITEM_COL_PRICE, 1, NULL },
	[I_QTY] = { TAOBAO_ITEM_COL_QTY, 1, NULL },
	[I_STATUS] = { TAOBAO_ITEM_COL_STATUS, 1, NULL },
	[I_CODE] = { TAOBAO_ITEM_COL_SKU_CODE, 1, NULL },
	[I_PROPS] = { TAOBAO_ITEM_COL_PROPS, 1, NULL },
};

static void check_mobile(const char *raw)
{
	size_t start, n = csv_clean_span(raw, strlen(raw), &start);
	const char *m = raw + start;

	if (n == 0)
		return;
	if (n != 11 || m[0] != '1' || m[1] < '3' || m[1] > '9')
		fail_msg("bad mobile %s", raw);
	for (size_t i = 0; i < n; i++)
		if (m[i] < '0' || m[i] > '9')
			fail_msg("bad mobile %s", raw);
}

static void check_address(const char *a)
{
	/* "省 市 区 street(postcode)" */
	const char *s1 = strchr(a, ' ');
	const char *s2 = s1 ? strchr(s1 + 1, ' ') : NULL;
	const char *s3 = s2 ? strchr(s2 + 1, ' ') : NULL;
	const char *open = strrchr(a, '(');
	size_t n = strlen(a);

	if (!s3 || !open || n < 8 || a[n - 1] != ')' || (size_t)(a + n - 1 - open - 1) != 6)
		fail_msg("bad address %s", a);
}

static void test_roundtrip(void **state)
{
	char dir[] = "/tmp/dianpu-test-gen-XXXXXX";
	char po[256], pi[256], po8[256], pi8[256];
	struct taobao_gen_stats stats, stats8;
	const long n_orders = 2000;

	(void)state;
	assert_non_null(mkdtemp(dir));
	gen_files(dir, n_orders, 7, 0, po, pi, &stats);
	gen_files(dir, n_orders, 7, 1, po8, pi8, &stats8);
	assert_int_equal(stats.orders, n_orders);
	assert_int_equal(stats.items, stats8.items);
	assert_true(stats.items > n_orders * 13 / 10 && stats.items < n_orders * 17 / 10);

	struct gen_order *orders = xcalloc((size_t)n_orders, sizeof *orders);
	assert_non_null(orders);
	int ix[O_COUNT], jx[I_COUNT];
	int fd = open(po, O_RDONLY), fd8 = open(po8, O_RDONLY);
	assert_true(fd >= 0 && fd8 >= 0);
	struct csv c, c8;
	struct csv_record rec, rec8;
	struct err err = ERR_INIT;
	csv_init_fd(&c, fd, NULL);
	csv_init_fd(&c8, fd8, NULL);
	assert_int_equal(csv_next(&c, &rec, &err), 1);
	assert_int_equal(rec.n, TAOBAO_ORDER_NCOLS);
	for (size_t i = 0; i < TAOBAO_ORDER_NCOLS; i++)
		assert_string_equal(rec.fields[i], taobao_order_columns[i]);
	assert_int_equal(csv_map_header(&rec, order_cols, O_COUNT, ix, &err), 0);
	assert_int_equal(csv_next(&c8, &rec8, &err), 1);

	long n = 0, multi_line = 0, apostrophes = 0, landline_only = 0, unpaid = 0;
	long prev_end = 1;
	int rc;
	while ((rc = csv_next(&c, &rec, &err)) == 1) {
		/* The UTF-8 twin reads the same, record by record. */
		assert_int_equal(csv_next(&c8, &rec8, &err), 1);
		assert_int_equal(rec.n, rec8.n);
		assert_int_equal(rec.line, rec8.line);
		for (size_t i = 0; i < rec.n; i++)
			assert_string_equal(rec.fields[i], rec8.fields[i]);
		assert_int_equal(rec.n, TAOBAO_ORDER_NCOLS);
		assert_int_equal(rec.line, prev_end + 1);
		prev_end = rec.end_line;
		multi_line += rec.end_line > rec.line;

		struct gen_order *o = &orders[n++];
		assert_true(n <= n_orders);
		o->no = order_no(csv_field(&rec, ix[O_NO]));
		o->goods_fen = fen_of(csv_field(&rec, ix[O_GOODS]));
		int64_t postage = fen_of(csv_field(&rec, ix[O_POSTAGE]));
		int64_t total = fen_of(csv_field(&rec, ix[O_TOTAL]));
		int64_t paid = fen_of(csv_field(&rec, ix[O_PAID]));
		int64_t coupon = fen_of(csv_field(&rec, ix[O_COUPON]));
		int64_t jfb = fen_of(csv_field(&rec, ix[O_JFB]));
		assert_int_equal(total, o->goods_fen + postage);
		assert_int_equal(paid, total - coupon - jfb);
		assert_true(paid >= 0);
		o->lines_declared = (int)strtol(csv_field(&rec, ix[O_KINDS]), NULL, 10);

		enum taobao_status st;
		assert_int_equal(taobao_status_parse(csv_field(&rec, ix[O_STATUS]), &st, &err), 0);
		int paid_empty = csv_field(&rec, ix[O_PAID_AT])[0] == '\0';
		int unpaid_status = st == TAOBAO_STATUS_WAIT_PAY || st == TAOBAO_STATUS_CLOSED;
		assert_int_equal(paid_empty, unpaid_status);
		unpaid += paid_empty;

		int64_t created;
		assert_int_equal(cal_parse(csv_field(&rec, ix[O_CREATED]), &created, &err), 0);
		assert_true(created < stats.end_utc && created >= stats.end_utc - 30 * 86400);
		if (!paid_empty) {
			int64_t paid_at;
			assert_int_equal(cal_parse(csv_field(&rec, ix[O_PAID_AT]), &paid_at, &err), 0);
			assert_true(paid_at >= created && paid_at < stats.end_utc);
		}

		const char *mobile = csv_field(&rec, ix[O_MOBILE]);
		check_mobile(mobile);
		apostrophes += mobile[0] == '\'';
		if (!mobile[0]) {
			assert_true(csv_field(&rec, ix[O_PHONE])[0] != '\0');
			landline_only++;
		}
		check_address(csv_field(&rec, ix[O_ADDRESS]));
	}
	assert_int_equal(rc, 0);
	assert_int_equal(csv_next(&c8, &rec8, &err), 0);
	assert_int_equal(n, n_orders);
	assert_int_equal(csv_encoding(&c), TEXT_GBK);
	assert_int_equal(csv_encoding(&c8), TEXT_UTF8);
	assert_true(multi_line > 0);  /* buyer messages with newlines */
	assert_true(apostrophes > 0); /* '138... */
	assert_true(landline_only > 0);
	assert_true(unpaid > 0);
	csv_release(&c);
	csv_release(&c8);
	close(fd);
	close(fd8);

	/* order numbers are unique */
	qsort(orders, (size_t)n, sizeof *orders, cmp_order);
	for (long i = 1; i < n; i++)
		assert_true(orders[i].no != orders[i - 1].no);

	/* every item belongs to an order, and the sums match 买家应付货款 */
	fd = open(pi, O_RDONLY);
	assert_true(fd >= 0);
	csv_init_fd(&c, fd, NULL);
	assert_int_equal(csv_next(&c, &rec, &err), 1);
	assert_int_equal(rec.n, TAOBAO_ITEM_NCOLS);
	assert_int_equal(csv_map_header(&rec, item_cols, I_COUNT, jx, &err), 0);
	long items = 0, placeholders = 0;
	while ((rc = csv_next(&c, &rec, &err)) == 1) {
		struct gen_order key = { order_no(csv_field(&rec, jx[I_NO])), 0, 0, 0, 0 };
		struct gen_order *o = bsearch(&key, orders, (size_t)n, sizeof *orders, cmp_order);
		if (!o)
			fail_msg("item on line %ld has an unknown order", rec.line);
		int64_t price = fen_of(csv_field(&rec, jx[I_PRICE]));
		long qty = strtol(csv_field(&rec, jx[I_QTY]), NULL, 10);
		assert_true(qty >= 1 && qty <= 3);
		o->items_fen += price * qty;
		o->lines_seen++;
		enum taobao_status st;
		assert_int_equal(taobao_status_parse(csv_field(&rec, jx[I_STATUS]), &st, &err), 0);
		assert_non_null(strstr(csv_field(&rec, jx[I_PROPS]), "颜色分类:"));
		placeholders += taobao_is_placeholder(csv_field(&rec, jx[I_CODE]));
		items++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(items, stats.items);
	assert_true(placeholders > 0);
	for (long i = 0; i < n; i++) {
		assert_true(orders[i].lines_seen >= 1 && orders[i].lines_seen <= 3);
		assert_int_equal(orders[i].lines_seen, orders[i].lines_declared);
		assert_int_equal(orders[i].items_fen, orders[i].goods_fen);
	}
	csv_release(&c);
	close(fd);
	xfree(orders);

	/* byte-identical for the same arguments, different for another seed */
	char po2[256], pi2[256];
	struct taobao_gen_stats again;
	char sub[300];
	snprintf(sub, sizeof sub, "%s/again", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	gen_files(sub, n_orders, 7, 0, po2, pi2, &again);
	assert_int_equal(again.orders_bytes, stats.orders_bytes);
	assert_int_equal(again.items_bytes, stats.items_bytes);
	const char *pairs[2][2] = { { po, po2 }, { pi, pi2 } };
	for (int k = 0; k < 2; k++) {
		FILE *a = fopen(pairs[k][0], "rb"), *b = fopen(pairs[k][1], "rb");
		int ca, cb;
		assert_non_null(a);
		assert_non_null(b);
		do {
			ca = getc(a);
			cb = getc(b);
			assert_int_equal(ca, cb);
		} while (ca != EOF);
		fclose(a);
		fclose(b);
		unlink(pairs[k][1]);
	}
	gen_files(sub, n_orders, 8, 0, po2, pi2, &again);
	assert_true(again.orders_bytes != stats.orders_bytes || again.end_utc != stats.end_utc);
	unlink(po2);
	unlink(pi2);
	rmdir(sub);
	unlink(po);
	unlink(pi);
	unlink(po8);
	unlink(pi8);
	rmdir(dir);
}

static void test_gen_small(void **state)
{
	char dir[] = "/tmp/dianpu-test-gen-XXXXXX";
	char po[256], pi[256];
	struct taobao_gen_stats stats;
	struct taobao_gen_opts bad = { -1, 0, 0, 0 };
	struct err err = ERR_INIT;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* zero orders: just the headers */
	gen_files(dir, 0, 1, 0, po, pi, &stats);
	assert_int_equal(stats.orders, 0);
	assert_int_equal(stats.items, 0);
	/* seed 1 ends the 30 days on 2026-11-11 (Shanghai) */
	char buf[CAL_BUF];
	assert_string_equal(cal_format(stats.end_utc, buf), "2026-11-11 00:00:00");
	assert_int_equal(taobao_gen_write(stdout, stdout, &bad, NULL, &err), ERR_INVALID);
	unlink(po);
	unlink(pi);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_embedded_newlines),
		cmocka_unit_test(test_line_endings),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_unterminated_message),
		cmocka_unit_test(test_record_cap),
		cmocka_unit_test(test_runaway_quote),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_gbk),
		cmocka_unit_test(test_gbk_straddle),
		cmocka_unit_test(test_detect_cut_at_line),
		cmocka_unit_test(test_invalid_gbk),
		cmocka_unit_test(test_not_csv),
		cmocka_unit_test(test_fd_and_file),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_header_map),
		cmocka_unit_test(test_header_map_many_missing),
		cmocka_unit_test(test_taobao_format),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_gen_small),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
