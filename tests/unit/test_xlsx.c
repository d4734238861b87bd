/* Unit tests for io/xlsx: the writer read back by the reader (CJK text, long
 * digit strings kept as text, empty cells in place, money), workbooks made by
 * hand the way Excel and WPS write them (shared strings with rich text and
 * phonetic runs, another sheet path, dates, booleans, missing references),
 * the limits, and damaged files and zip bombs failing cleanly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <zip.h>

#include "io/xlsx.h"
#include "lib/arena.h"
#include "lib/cal.h"
#include "lib/sb.h"
#include "lib/xalloc.h"
#include "lib/common.h"

/* ---------------------------------------------------------------- helpers */

struct part {
	const char *name;
	const char *text; /* NULL: use big/big_len */
	const char *big;
	size_t big_len;
};

/* A zip of the parts, into out (xmalloc'd). */
static void make_zip(const struct part *parts, size_t n, char **out, size_t *len)
{
	char path[] = "/tmp/test-xlsx-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	int zerr;
	zip_t *z = zip_open(path, ZIP_TRUNCATE, &zerr);
	assert_non_null(z);
	for (size_t i = 0; i < n; i++) {
		const char *data = parts[i].text ? parts[i].text : parts[i].big;
		size_t dlen = parts[i].text ? strlen(parts[i].text) : parts[i].big_len;
		zip_source_t *s = zip_source_buffer(z, data, dlen, 0);
		assert_non_null(s);
		assert_true(zip_file_add(z, parts[i].name, s, ZIP_FL_ENC_UTF_8) >= 0);
	}
	assert_int_equal(zip_close(z), 0);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long sz = ftell(f);
	fseek(f, 0, SEEK_SET);
	*out = malloc((size_t)sz);
	assert_int_equal(fread(*out, 1, (size_t)sz, f), (size_t)sz);
	fclose(f);
	unlink(path);
	*len = (size_t)sz;
}

#define WORKBOOK                                                                          \
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"                    \
	"<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "   \
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">" \
	"<workbookPr/><sheets><sheet name=\"数据\" sheetId=\"1\" r:id=\"rId3\"/>"           \
	"<sheet name=\"别的\" sheetId=\"2\" r:id=\"rId1\"/></sheets></workbook>"
#define RELS                                                                                    \
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"                                             \
	"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" \
	"<Relationship Id=\"rId1\" Type=\"http://x/worksheet\" Target=\"worksheets/sheet1.xml\"/>" \
	"<Relationship Id=\"rId3\" Type=\"http://x/worksheet\" Target=\"/xl/worksheets/data.xml\"/>" \
	"<Relationship Id=\"rId4\" Type=\"http://x/sharedStrings\" Target=\"sharedStrings.xml\"/>" \
	"<Relationship Id=\"rId5\" Type=\"http://x/styles\" Target=\"styles.xml\"/>"             \
	"</Relationships>"
#define STYLES                                                                      \
	"<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" \
	"<numFmts count=\"1\"><numFmt numFmtId=\"176\" formatCode=\"yyyy/m/d\\ h:mm:ss\"/>" \
	"</numFmts><cellStyleXfs><xf numFmtId=\"14\"/></cellStyleXfs>"                 \
	"<cellXfs count=\"4\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"176\"/>" \
	"<xf numFmtId=\"49\"/></cellXfs></styleSheet>"
#define SST                                                                                \
	"<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"4\">" \
	"<si><t>订单编号</t></si>"                                                            \
	"<si><r><rPr><b/></rPr><t>物流</t></r><r><t xml:space=\"preserve\">公司</t></r>"      \
	"<rPh sb=\"0\" eb=\"2\"><t>ぶつりゅう</t></rPh></si>"                                 \
	"<si><t>物流单号</t></si>"                                                            \
	"<si><t>第一行_x000D_第二行 a&amp;b _x005F_x0041_</t></si>"                           \
	"</sst>"

static const char sheet_main[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
	"<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
	"<dimension ref=\"A1:E9\"/><sheetData>"
	"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c>"
	"<c r=\"C1\" t=\"s\"><v>2</v></c></row>"
	"<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>2026071100012345678</t></is></c>"
	"<c r=\"B3\" t=\"str\"><f>\"圆通\"</f><v>圆通</v></c><c r=\"C3\"><v>7512345678901</v></c></row>"
	"<row r=\"4\"><c r=\"A4\"/><c r=\"B4\" t=\"s\"><v>3</v></c></row>"
	"<row r=\"5\"><c r=\"A5\"><v>12.300000000000001</v></c><c r=\"C5\" t=\"b\"><v>1</v></c>"
	"<c r=\"E5\" t=\"b\"><v>0</v></c></row>"
	"<row r=\"7\"><c t=\"inlineStr\"><is><t>无引用</t></is></c><c><v>-3</v></c>"
	"<c r=\"D7\" s=\"1\"><v>46000</v></c><c s=\"2\"><v>46000.5</v></c></row>"
	"<row r=\"8\"><c r=\"B8\" s=\"3\" t=\"s\"><v>2</v></c><c r=\"C8\" t=\"e\"><v>#N/A</v></c></row>"
	"<row r=\"9\" spans=\"1:3\"><c r=\"A9\" t=\"inlineStr\"><is><t></t></is></c></row>"
	"</sheetData></worksheet>";

static void make_book(const char *sheet, char **out, size_t *len)
{
	struct part parts[] = {
		{ "[Content_Types].xml", "<Types/>", NULL, 0 },
		{ "xl/workbook.xml", WORKBOOK, NULL, 0 },
		{ "xl/_rels/workbook.xml.rels", RELS, NULL, 0 },
		{ "xl/styles.xml", STYLES, NULL, 0 },
		{ "xl/sharedStrings.xml", SST, NULL, 0 },
		{ "xl/worksheets/data.xml", sheet, NULL, 0 },
		{ "xl/worksheets/sheet1.xml", "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\">"
					      "<is><t>wrong sheet</t></is></c></row></sheetData></worksheet>",
		  NULL, 0 },
	};
	make_zip(parts, ARRAY_SIZE(parts), out, len);
}

/* Reads every row; returns the count of rows, 0-terminated error codes in errs. */
static int read_all(struct xlsx *x, int *errs, size_t nerr)
{
	struct csv_record rec;
	int rows = 0;
	size_t e = 0;
	for (;;) {
		struct err err = ERR_INIT;
		int rc = xlsx_next(x, &rec, &err);
		if (rc == 0)
			break;
		if (rc < 0) {
			assert_true(err.msg_zh[0] && err.msg_en[0]); /* every error says why */
			if (e + 1 < nerr)
				errs[e++] = rc;
			if (xlsx_fatal(x))
				break;
			continue;
		}
		rows++;
	}
	if (nerr)
		errs[e] = 0;
	return rows;
}

/* ---------------------------------------------------------------- writer round trip */

static const struct xlsx_col cols[] = {
	{ "订单编号", 22 }, { "店铺", 14 }, { "数量", 6 }, { "实付金额", 12 }, { "下单时间", 20 },
	{ "联系电话", 14 },
};

static void write_book(struct arena *a, const void **data, size_t *len, int64_t t)
{
	struct xlsx_writer *w;
	struct err err = ERR_INIT;
	assert_int_equal(xlsx_writer_new("订单", cols, ARRAY_SIZE(cols), &w, &err), 0);
	xlsx_cell_text(w, "2026071100012345678");
	xlsx_cell_text(w, "青禾淘宝店");
	xlsx_cell_int(w, 3);
	xlsx_cell_money(w, 12345);
	xlsx_cell_time(w, t);
	xlsx_cell_text(w, "13812345678");
	xlsx_row_end(w);
	/* empty cells in the middle keep the last one in column F */
	xlsx_cell_text(w, "=1+1");
	xlsx_cell_text(w, "");
	xlsx_cell_blank(w);
	xlsx_cell_money(w, -5);
	xlsx_cell_time(w, 0);
	xlsx_cell_text(w, "0571-88886666");
	xlsx_row_end(w);
	xlsx_cell_text(w, "75123456789012345678");
	xlsx_cell_text(w, NULL);
	xlsx_cell_int(w, 0);
	xlsx_cell_money(w, 900000000000001); /* 9,000,000,000,000.01 yuan */
	xlsx_row_end(w);
	assert_int_equal(xlsx_writer_rows(w), 3);
	assert_int_equal(xlsx_writer_finish(w, a, data, len, &err), 0);
	assert_true(*len > 100);
}

static void test_roundtrip(void **state)
{
	UNUSED(state);
	struct arena *a = arena_new(0);
	const void *data;
	size_t len;
	int64_t t;
	struct err err = ERR_INIT;
	assert_int_equal(cal_parse("2026-11-11 00:00:03", &t, &err), 0);
	write_book(a, &data, &len, t);

	struct xlsx *x;
	struct csv_record rec;
	assert_int_equal(xlsx_open_mem(data, len, NULL, &x, &err), 0);
	assert_int_equal(xlsx_next(x, &rec, &err), 1);
	assert_int_equal(rec.line, 1);
	assert_int_equal(rec.n, 6);
	assert_string_equal(rec.fields[0], "订单编号");
	assert_string_equal(rec.fields[5], "联系电话");

	assert_int_equal(xlsx_next(x, &rec, &err), 1);
	assert_int_equal(rec.line, 2);
	assert_string_equal(csv_field(&rec, 0), "2026071100012345678");
	assert_string_equal(csv_field(&rec, 1), "青禾淘宝店");
	assert_string_equal(csv_field(&rec, 2), "3");
	assert_string_equal(csv_field(&rec, 3), "123.45");
	assert_string_equal(csv_field(&rec, 4), "2026-11-11 00:00:03");
	assert_string_equal(csv_field(&rec, 5), "13812345678");
	assert_int_equal(rec.lens[1], strlen("青禾淘宝店"));

	assert_int_equal(xlsx_next(x, &rec, &err), 1);
	assert_int_equal(rec.line, 3);
	assert_int_equal(rec.n, 6);
	assert_string_equal(csv_field(&rec, 0), "=1+1"); /* text, never a formula */
	assert_string_equal(csv_field(&rec, 1), "");
	assert_string_equal(csv_field(&rec, 2), "");
	assert_string_equal(csv_field(&rec, 3), "-0.05");
	assert_string_equal(csv_field(&rec, 4), "");
	assert_string_equal(csv_field(&rec, 5), "0571-88886666");

	assert_int_equal(xlsx_next(x, &rec, &err), 1);
	assert_int_equal(rec.line, 4);
	assert_string_equal(csv_field(&rec, 0), "75123456789012345678");
	assert_string_equal(csv_field(&rec, 2), "0");
	assert_string_equal(csv_field(&rec, 3), "9000000000000.01");
	assert_int_equal(xlsx_next(x, &rec, &err), 0);
	assert_int_equal(xlsx_next(x, &rec, &err), 0);
	xlsx_free(x);

	/* the long numbers are string cells in the sheet XML, the money a styled number */
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
	assert_non_null(z);
	zip_file_t *f = zip_fopen(z, "xl/worksheets/sheet1.xml", 0);
	assert_non_null(f);
	char xml[8192];
	zip_int64_t n = zip_fread(f, xml, sizeof xml - 1);
	assert_true(n > 0);
	xml[n] = '\0';
	zip_fclose(f);
	zip_discard(z);
	zip_error_fini(&ze);
	assert_non_null(strstr(xml, "<t>2026071100012345678</t>"));
	assert_non_null(strstr(xml, "<t>13812345678</t>"));
	assert_null(strstr(xml, "<v>2026071100012345678</v>"));
	assert_non_null(strstr(xml, "<v>123.45</v>"));
	assert_non_null(strstr(xml, "<pane ySplit=\"1\""));
	arena_free(a);
}

static void test_writer_limits(void **state)
{
	UNUSED(state);
	struct arena *a = arena_new(0);
	struct xlsx_writer *w;
	struct err err = ERR_INIT;
	const void *data;
	size_t len;
	/* a cell over Excel's 32767 characters is cut at a character boundary */
	size_t big_n = 40000 * 3;
	char *big = malloc(big_n + 1);
	for (size_t i = 0; i < big_n; i += 3)
		memcpy(big + i, "店", 3);
	big[big_n] = '\0';
	assert_int_equal(xlsx_writer_new("x", cols, 1, &w, &err), 0);
	xlsx_cell_text(w, big);
	xlsx_row_end(w);
	assert_int_equal(xlsx_writer_finish(w, a, &data, &len, &err), 0);
	struct xlsx *x;
	struct csv_record rec;
	assert_int_equal(xlsx_open_mem(data, len, NULL, &x, &err), 0);
	assert_int_equal(xlsx_next(x, &rec, &err), 1);
	assert_int_equal(xlsx_next(x, &rec, &err), 1);
	assert_int_equal(rec.lens[0], 32766); /* 10922 whole characters */
	xlsx_free(x);
	free(big);
	/* abandoning a writer leaves nothing behind */
	assert_int_equal(xlsx_writer_new("x", cols, 2, &w, &err), 0);
	xlsx_cell_text(w, "a");
	xlsx_writer_free(w);
	arena_free(a);
}

/* ---------------------------------------------------------------- reader */

static void test_handmade(void **state)
{
	UNUSED(state);
	char *book;
	size_t len;
	struct xlsx *x;
	struct csv_record rec;
	struct err err = ERR_INIT;
	make_book(sheet_main, &book, &len);
	assert_int_equal(xlsx_open_mem(book, len, NULL, &x, &err), 0);

	assert_int_equal(xlsx_next(x, &rec, &err), 1);
	assert_int_equal(rec.line, 1);
	assert_string_equal(csv_field(&rec, 0), "订单编号");
	assert_string_equal(csv_field(&rec, 1), "物流公司"); /* rich text joined, phonetic dropped */
	assert_string_equal(csv_field(&rec, 2), "物流单号");

	assert_int_equal(xlsx_next(x, &rec, &err), 1);
	assert_int_equal(rec.line, 3); /* the row's own number: row 2 is missing */
	assert_string_equal(csv_field(&rec, 0), "2026071100012345678");
	assert_string_equal(csv_field(&rec, 1), "圆通");
	assert_string_equal(csv_field(&rec, 2), "7512345678901");

	assert_int_equal(xlsx_next(x, &rec, &err), 1);
	assert_int_equal(rec.line, 4);
	assert_int_equal(rec.n, 2);
	assert_string_equal(csv_field(&rec, 0), "");
	assert_string_equal(csv_field(&rec, 1), "第一行\r第二行 a&b _x0041_");

	assert_int_equal(xlsx_next(x, &rec, &err), 1);
	assert_int_equal(rec.line, 5);
	assert_int_equal(rec.n, 5);
	assert_string_equal(csv_field(&rec, 0), "12.3");
	assert_string_equal(csv_field(&rec, 1), "");
	assert_string_equal(csv_field(&rec, 2), "TRUE");
	assert_string_equal(csv_field(&rec, 3), "");
	assert_string_equal(csv_field(&rec, 4), "FALSE");

	assert_int_equal(xlsx_next(x, &rec, &err), 1);
	assert_int_equal(rec.line, 7);
	assert_string_equal(csv_field(&rec, 0), "无引用");
	assert_string_equal(csv_field(&rec, 1), "-3");
	assert_string_equal(csv_field(&rec, 2), "");
	assert_string_equal(csv_field(&rec, 3), "2025-12-09"); /* serial 46000, format 14 */
	assert_string_equal(csv_field(&rec, 4), "2025-12-09 12:00:00");

	assert_int_equal(xlsx_next(x, &rec, &err), 1);
	assert_int_equal(rec.line, 8);
	assert_string_equal(csv_field(&rec, 1), "物流单号"); /* text style 49 on a string */
	assert_string_equal(csv_field(&rec, 2), "#N/A");

	/* row 9 holds only an empty cell: skipped */
	assert_int_equal(xlsx_next(x, &rec, &err), 0);
	xlsx_free(x);
	free(book);
}

static void test_limits(void **state)
{
	UNUSED(state);
	char *book;
	size_t len;
	struct xlsx *x;
	struct csv_record rec;
	struct err err = ERR_INIT;
	const char *sheet =
		"<worksheet><sheetData>"
		"<row r=\"1\"><c t=\"inlineStr\"><is><t>short</t></is></c></row>"
		"<row r=\"2\"><c t=\"inlineStr\"><is><t>this cell is far too long</t></is></c></row>"
		"<row r=\"3\"><c r=\"Z3\"><v>1</v></c></row>"
		"<row r=\"4\"><c r=\"A4\"><v>1</v></c><c r=\"B4\"><v>2</v></c><c r=\"C4\"><v>3</v></c>"
		"<c r=\"D4\"><v>4</v></c><c r=\"E4\"><v>5</v></c><c r=\"F4\"><v>6</v></c></row>"
		"<row r=\"5\"><c><v>5</v></c></row>"
		"<row r=\"6\"><c><v>6</v></c></row>"
		"</sheetData></worksheet>";
	struct xlsx_opts o = { .cell_max = 10, .fields_max = 10, .record_max = 8, .rows_max = 2 };
	make_book(sheet, &book, &len);
	assert_int_equal(xlsx_open_mem(book, len, &o, &x, &err), 0);
	assert_int_equal(xlsx_next(x, &rec, &err), 1);
	assert_int_equal(xlsx_next(x, &rec, &err), ERR_TOO_LARGE);
	assert_int_equal(rec.line, 2);
	assert_non_null(strstr(err.msg_zh, "第 2 行"));
	assert_int_equal(xlsx_fatal(x), 0);
	err_init(&err);
	assert_int_equal(xlsx_next(x, &rec, &err), ERR_TOO_LARGE); /* column Z */
	assert_int_equal(rec.line, 3);
	err_init(&err);
	assert_int_equal(xlsx_next(x, &rec, &err), ERR_TOO_LARGE); /* 12 bytes of row */
	assert_int_equal(rec.line, 4);
	err_init(&err);
	assert_int_equal(xlsx_next(x, &rec, &err), 1);
	assert_int_equal(rec.line, 5);
	err_init(&err);
	assert_int_equal(xlsx_next(x, &rec, &err), ERR_TOO_LARGE); /* rows_max */
	assert_int_not_equal(xlsx_fatal(x), 0);
	assert_int_equal(xlsx_next(x, &rec, &err), ERR_TOO_LARGE);
	xlsx_free(x);
	free(book);
}

/* A cell reference of many letters (found by the fuzzer: it overflowed the
 * column number) counts as no reference: the cell takes the next column. */
static void test_long_column_ref(void **state)
{
	UNUSED(state);
	char *book;
	size_t len;
	struct xlsx *x;
	struct csv_record rec;
	struct err err = ERR_INIT;
	const char *sheet =
		"<worksheet><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c>"
		"<c r=\"ZZZZZZZZZZZZZZZZZZZZZZZZ1\"><v>2</v></c></row></sheetData></worksheet>";
	make_book(sheet, &book, &len);
	assert_int_equal(xlsx_open_mem(book, len, NULL, &x, &err), 0);
	assert_int_equal(xlsx_next(x, &rec, &err), 1);
	assert_int_equal(rec.n, 2);
	assert_string_equal(csv_field(&rec, 1), "2");
	xlsx_free(x);
	free(book);
}

static void test_zip_bomb(void **state)
{
	UNUSED(state);
	size_t big_len = (size_t)8 << 20;
	char *big = malloc(big_len);
	const char *head = "<worksheet><sheetData><row r=\"1\"><c><v>1</v></c></row>";
	memset(big, ' ', big_len);
	memcpy(big, head, strlen(head));
	memcpy(big + big_len - 26, "</sheetData></worksheet>  ", 26);
	struct part parts[] = {
		{ "xl/workbook.xml", WORKBOOK, NULL, 0 },
		{ "xl/worksheets/sheet1.xml", NULL, big, big_len },
	};
	char *book;
	size_t len;
	struct xlsx *x;
	struct csv_record rec;
	struct err err = ERR_INIT;
	make_zip(parts, ARRAY_SIZE(parts), &book, &len);
	assert_true(len < 64 << 10); /* 8 MB of spaces deflate to a few KB */
	struct xlsx_opts o = { .unzipped_max = (uint64_t)1 << 20 };
	assert_int_equal(xlsx_open_mem(book, len, &o, &x, &err), ERR_TOO_LARGE);
	assert_non_null(strstr(err.msg_en, "zip bomb"));
	/* with room for it, the same file reads */
	err_init(&err);
	assert_int_equal(xlsx_open_mem(book, len, NULL, &x, &err), 0);
	assert_int_equal(xlsx_next(x, &rec, &err), 1);
	assert_int_equal(xlsx_next(x, &rec, &err), 0);
	xlsx_free(x);
	free(book);

	/* shared strings over shared_max */
	for (size_t i = 0; i < big_len; i++)
		big[i] = 'a';
	memcpy(big, "<sst><si><t>", 12);
	memcpy(big + big_len - 16, "</t></si></sst>\n", 16);
	struct part parts2[] = {
		{ "xl/workbook.xml", WORKBOOK, NULL, 0 },
		{ "xl/sharedStrings.xml", NULL, big, big_len },
		{ "xl/worksheets/sheet1.xml", "<worksheet/>", NULL, 0 },
	};
	make_zip(parts2, ARRAY_SIZE(parts2), &book, &len);
	struct xlsx_opts o2 = { .shared_max = (size_t)1 << 20 };
	err_init(&err);
	assert_int_equal(xlsx_open_mem(book, len, &o2, &x, &err), ERR_TOO_LARGE);
	free(book);
	free(big);
}

static void expect_invalid(const char *data, size_t len, int code)
{
	struct xlsx *x = NULL;
	struct csv_record rec;
	struct err err = ERR_INIT;
	int rc = xlsx_open_mem(data, len, NULL, &x, &err);
	if (rc)
		assert_true(err.msg_zh[0] && err.msg_en[0]);
	if (!rc) {
		int errs[8];
		read_all(x, errs, ARRAY_SIZE(errs));
		rc = errs[0];
		if (!rc)
			rc = xlsx_next(x, &rec, &err);
		xlsx_free(x);
	}
	if (code)
		assert_int_equal(rc, code);
	else
		assert_true(rc <= 0);
}

static void test_corrupt(void **state)
{
	UNUSED(state);
	char *book;
	size_t len;
	expect_invalid("hello,world\n", 12, ERR_INVALID);
	expect_invalid("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, ERR_INVALID);
	expect_invalid("PK\x03\x04garbage that is not a zip", 29, ERR_INVALID);

	make_book(sheet_main, &book, &len);
	for (size_t cut = 4; cut < len; cut += len / 37 + 1)
		expect_invalid(book, cut, 0); /* truncated: an error, never a crash */
	for (size_t at = 30; at < len; at += 97) {
		char *bad = malloc(len);
		memcpy(bad, book, len);
		bad[at] ^= 0x5A;
		expect_invalid(bad, len, 0);
		free(bad);
	}
	free(book);

	/* no workbook.xml: a zip, but not a workbook */
	struct part nowb[] = { { "word/document.xml", "<w/>", NULL, 0 } };
	make_zip(nowb, 1, &book, &len);
	expect_invalid(book, len, ERR_INVALID);
	free(book);

	/* a DTD (entity expansion) is refused */
	make_book("<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\">"
		  "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
		  "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&b;</t></is></c></row>"
		  "</sheetData></worksheet>",
		  &book, &len);
	expect_invalid(book, len, ERR_INVALID);
	free(book);

	/* malformed XML and a shared-string index out of range */
	make_book("<worksheet><sheetData><row><c><v>1</v></row></sheetData></worksheet>", &book, &len);
	expect_invalid(book, len, ERR_INVALID);
	free(book);
	make_book("<worksheet><sheetData><row><c t=\"s\"><v>99</v></c></row></sheetData></worksheet>",
		  &book, &len);
	expect_invalid(book, len, ERR_INVALID);
	free(book);
}

/* ---------------------------------------------------------------- either */

static int temp_file(const void *data, size_t len)
{
	char path[] = "/tmp/test-xlsx-table-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static void test_table(void **state)
{
	UNUSED(state);
	struct xlsx_table t;
	struct csv_record rec;
	struct err err = ERR_INIT;
	const char *csv = "订单编号,物流公司\n\n1,圆通\n";
	int fd = temp_file(csv, strlen(csv));
	xlsx_table_init_fd(&t, fd);
	assert_false(xlsx_table_is_xlsx(&t));
	assert_int_equal(xlsx_table_next(&t, &rec, &err), 1);
	assert_int_equal(xlsx_table_next(&t, &rec, &err), 1);
	assert_int_equal(rec.line, 3);
	assert_string_equal(csv_field(&rec, 1), "圆通");
	assert_int_equal(xlsx_table_next(&t, &rec, &err), 0);
	xlsx_table_release(&t);
	close(fd);

	char *book;
	size_t len;
	make_book(sheet_main, &book, &len);
	fd = temp_file(book, len);
	xlsx_table_init_fd(&t, fd);
	assert_true(xlsx_table_is_xlsx(&t));
	assert_int_equal(xlsx_table_next(&t, &rec, &err), 1);
	assert_int_equal(xlsx_table_next(&t, &rec, &err), 1);
	assert_int_equal(rec.line, 3);
	xlsx_table_release(&t);
	close(fd);

	/* a damaged workbook: the first read reports it, as a fatal error */
	fd = temp_file(book, len / 2);
	xlsx_table_init_fd(&t, fd);
	assert_true(xlsx_table_next(&t, &rec, &err) < 0);
	assert_int_not_equal(xlsx_table_fatal(&t), 0);
	xlsx_table_release(&t);
	close(fd);
	free(book);
}

/* Every allocation failure point fails cleanly (no crash, no leak under ASan). */
static void test_alloc_failures(void **state)
{
	UNUSED(state);
	char *book;
	size_t len;
	int done = 0;
	make_book(sheet_main, &book, &len);
	for (long n = 0; n < 400 && !done; n++) {
		struct xlsx *x;
		struct err err = ERR_INIT;
		int errs[8];
		xalloc_fail_after(n);
		if (xlsx_open_mem(book, len, NULL, &x, &err) == 0) {
			int rows = read_all(x, errs, ARRAY_SIZE(errs));
			done = rows == 6 && errs[0] == 0;
			xlsx_free(x);
		}
	}
	xalloc_fail_after(-1);
	assert_true(done);
	free(book);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_writer_limits),
		cmocka_unit_test(test_handmade),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_long_column_ref),
		cmocka_unit_test(test_zip_bomb),
		cmocka_unit_test(test_corrupt),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_alloc_failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
