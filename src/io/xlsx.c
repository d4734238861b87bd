/*
 * xlsx.c - XLSX writer (libxlsxwriter) and streaming reader (libzip + expat).
 *
 * Design of the reader. An .xlsx is a zip of XML parts. The parts this reader
 * needs are small except two: the sheet (one element per cell) and the shared
 * strings (every distinct text of the workbook, referenced by index from the
 * sheet in any order). The shared strings are therefore loaded whole, into
 * one buffer bounded by shared_max; the sheet is never loaded: it is inflated
 * a chunk at a time and pushed through expat, which is suspended
 * (XML_StopParser resumable) at each </row>, so xlsx_next() returns exactly one
 * row per call and resumes where the row ended. Memory is the shared strings,
 * one chunk and one row.
 *
 * Every byte inflated is counted against unzipped_max (a zip bomb is a small
 * archive that inflates to gigabytes); the sizes the zip declares are checked
 * before an entry is opened, and the bytes actually inflated while reading it,
 * in case the declaration lies. Workbooks never carry a DTD, so one is refused
 * outright, which also rules out entity-expansion attacks.
 */
#include "io/xlsx.h"

#include <errno.h>
#include <expat.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "lib/arena.h"
#include "lib/cal.h"
#include "lib/sb.h"
#include "lib/xalloc.h"
#include "lib/common.h"

static int nomem(struct err *err)
{
	return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
}

/* ======================================================================== */
/* Writer                                                                   */
/* ======================================================================== */

struct xlsx_writer {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *bold, *money;
	char path[64];
	int fd;
	size_t ncols;
	lxw_row_t row; /* current row, 0 = header */
	lxw_col_t col; /* next cell */
	int64_t rows;
	struct err err; /* sticky */
};

static void w_fail(struct xlsx_writer *w, lxw_error e)
{
	if (e == LXW_ERROR_MEMORY_MALLOC_FAILED)
		nomem(&w->err);
	else
		err_setf(&w->err, ERR_IO, "", "写 Excel 文件失败:%s", "writing the Excel file failed: %s",
			 lxw_strerror(e));
}

static int w_ok(struct xlsx_writer *w)
{
	if (w->err.code)
		return 0;
	if (w->row >= XLSX_SHEET_ROWS_MAX) {
		err_setf(&w->err, ERR_UNPROCESSABLE, "", "超过 Excel 工作表的 %d 行上限",
			 "more than the %d rows an Excel sheet holds", XLSX_SHEET_ROWS_MAX);
		return 0;
	}
	if (w->col >= w->ncols)
		BUG("xlsx: more cells than columns in a row");
	return 1;
}

int xlsx_writer_new(const char *sheet_name, const struct xlsx_col *cols, size_t n,
		    struct xlsx_writer **out, struct err *err)
{
	struct xlsx_writer *w;
	lxw_workbook_options opts = { .constant_memory = LXW_TRUE, .tmpdir = NULL,
				      .use_zip64 = LXW_FALSE };
	*out = NULL;
	if (!n || n > 16384)
		BUG("xlsx: column count");
	w = xcalloc(1, sizeof *w);
	if (!w)
		return nomem(err);
	w->ncols = n;
	snprintf(w->path, sizeof w->path, "/tmp/dianpu-xlsx-XXXXXX");
	/* libxlsxwriter writes to a path; mkstemp reserves a private one (0600),
	 * which we read back through the same descriptor and unlink. */
	w->fd = mkstemp(w->path);
	if (w->fd < 0) {
		xfree(w);
		return err_set(err, ERR_IO, "", "无法创建临时文件", "cannot create a temporary file");
	}
	w->wb = workbook_new_opt(w->path, &opts);
	if (w->wb)
		w->ws = workbook_add_worksheet(w->wb, sheet_name);
	if (w->ws) {
		w->bold = workbook_add_format(w->wb);
		w->money = workbook_add_format(w->wb);
	}
	if (!w->bold || !w->money) {
		xlsx_writer_free(w);
		return err_set(err, ERR_IO, "", "无法创建 Excel 工作簿", "cannot create the workbook");
	}
	format_set_bold(w->bold);
	format_set_num_format(w->money, "¥#,##0.00");
	for (size_t i = 0; i < n; i++) {
		double width = cols[i].width > 0 ? cols[i].width : 12;
		lxw_error e = worksheet_set_column(w->ws, (lxw_col_t)i, (lxw_col_t)i, width, NULL);
		if (e)
			w_fail(w, e);
	}
	worksheet_freeze_panes(w->ws, 1, 0);
	for (size_t i = 0; i < n && !w->err.code; i++) {
		lxw_error e = worksheet_write_string(w->ws, 0, (lxw_col_t)i, cols[i].title, w->bold);
		if (e)
			w_fail(w, e);
	}
	if (w->err.code) {
		int rc = err_set(err, w->err.code, "", w->err.msg_zh, w->err.msg_en);
		xlsx_writer_free(w);
		return rc;
	}
	w->row = 1;
	*out = w;
	return 0;
}

/* The longest prefix of s of at most max bytes that ends on a character boundary. */
static size_t utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}

void xlsx_cell_text(struct xlsx_writer *w, const char *s)
{
	if (!w_ok(w))
		return;
	lxw_error e = LXW_NO_ERROR;
	if (s && *s) {
		size_t n = strlen(s), cut = utf8_cut(s, n, XLSX_CELL_TEXT_MAX);
		if (cut == n) {
			e = worksheet_write_string(w->ws, w->row, w->col, s, NULL);
		} else {
			char *t = xstrndup(s, cut);
			if (!t) {
				nomem(&w->err);
				return;
			}
			e = worksheet_write_string(w->ws, w->row, w->col, t, NULL);
			xfree(t);
		}
	}
	if (e)
		w_fail(w, e);
	w->col++;
}

void xlsx_cell_int(struct xlsx_writer *w, int64_t v)
{
	if (!w_ok(w))
		return;
	/* |v| below 2^53 is exact as a double; counts and quantities are far below. */
	lxw_error e = worksheet_write_number(w->ws, w->row, w->col, (double)v, NULL);
	if (e)
		w_fail(w, e);
	w->col++;
}

void xlsx_cell_money(struct xlsx_writer *w, int64_t fen)
{
	if (!w_ok(w))
		return;
	/* Money is integer fen everywhere else; a spreadsheet number is a double,
	 * so this is the one place it becomes one. It is exact enough: every fen
	 * amount is below MONEY_MAX_FEN (9e15) < 2^53, so (double)fen is exact,
	 * and IEEE division is correctly rounded, so fen / 100.0 is the double
	 * nearest to the yuan value. Shown with two decimals it reads back as the
	 * same fen for any |yuan| < 2^45 (3.5e13 yuan), far beyond any order. */
	lxw_error e = worksheet_write_number(w->ws, w->row, w->col, (double)fen / 100.0, w->money);
	if (e)
		w_fail(w, e);
	w->col++;
}

void xlsx_cell_time(struct xlsx_writer *w, int64_t utc)
{
	char buf[CAL_BUF];
	if (!utc) {
		xlsx_cell_blank(w);
		return;
	}
	xlsx_cell_text(w, cal_format(utc, buf));
}

void xlsx_cell_blank(struct xlsx_writer *w)
{
	if (w_ok(w))
		w->col++;
}

void xlsx_row_end(struct xlsx_writer *w)
{
	if (w->err.code)
		return;
	w->row++;
	w->col = 0;
	w->rows++;
}

int64_t xlsx_writer_rows(const struct xlsx_writer *w)
{
	return w->rows;
}

void xlsx_writer_free(struct xlsx_writer *w)
{
	if (!w)
		return;
	if (w->wb) {
		/* workbook_close() writes the file (harmless: it is unlinked next) and frees. */
		lxw_error e = workbook_close(w->wb);
		UNUSED(e);
	}
	if (w->fd >= 0) {
		close(w->fd);
		unlink(w->path);
	}
	xfree(w);
}

int xlsx_writer_finish(struct xlsx_writer *w, struct arena *a, const void **data, size_t *len,
		       struct err *err)
{
	int rc = 0;
	*data = NULL;
	*len = 0;
	if (w->err.code) {
		rc = err_set(err, w->err.code, w->err.field, w->err.msg_zh, w->err.msg_en);
		xlsx_writer_free(w);
		return rc;
	}
	lxw_error e = workbook_close(w->wb);
	w->wb = NULL;
	if (e) {
		w_fail(w, e);
		rc = err_set(err, w->err.code, "", w->err.msg_zh, w->err.msg_en);
		xlsx_writer_free(w);
		return rc;
	}
	off_t size = lseek(w->fd, 0, SEEK_END);
	char *buf = size > 0 ? arena_alloc(a, (size_t)size) : NULL;
	if (size <= 0) {
		rc = err_set(err, ERR_IO, "", "读取 Excel 临时文件失败", "cannot read back the workbook");
	} else if (!buf) {
		rc = nomem(err);
	} else {
		size_t got = 0;
		while (got < (size_t)size) {
			ssize_t r = pread(w->fd, buf + got, (size_t)size - got, (off_t)got);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			got += (size_t)r;
		}
		if (got != (size_t)size)
			rc = err_set(err, ERR_IO, "", "读取 Excel 临时文件失败",
				     "cannot read back the workbook");
	}
	if (!rc) {
		*data = buf;
		*len = (size_t)size;
	}
	xlsx_writer_free(w);
	return rc;
}

const char *xlsx_disposition(struct arena *a, const char *name, const char *ascii)
{
	static const char hex[] = "0123456789ABCDEF";
	struct sb b;
	struct err ignored = ERR_INIT;
	sb_init_arena(&b, a, 4096);
	sb_adds(&b, "attachment; filename=\"");
	for (const char *c = ascii; *c; c++)
		if (*c >= 0x20 && *c < 0x7F && *c != '"' && *c != '\\')
			sb_addc(&b, *c);
	sb_adds(&b, "\"; filename*=UTF-8''");
	for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
		/* RFC 5987 attr-char: ALPHA DIGIT ! # $ & + - . ^ _ ` | ~ */
		if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		    strchr("!#$&+-.^_`|~", *c)) {
			sb_addc(&b, (char)*c);
		} else {
			sb_addc(&b, '%');
			sb_addc(&b, hex[*c >> 4]);
			sb_addc(&b, hex[*c & 15]);
		}
	}
	return sb_take(&b, &ignored);
}

/* ======================================================================== */
/* Reader                                                                   */
/* ======================================================================== */

#define CHUNK ((size_t)64 << 10)
#define SMALL_PART_MAX ((uint64_t)16 << 20) /* workbook.xml, rels, styles.xml */
#define PATH_MAX_LEN 256

enum { FMT_NONE = 0, FMT_DATE = 1, FMT_TIME = 2, FMT_DATETIME = 3 };

struct cell_ref {
	size_t col, off, len;
};

struct xlsx {
	struct xlsx_opts opts;
	zip_t *zip;
	uint64_t unzipped;
	struct err fatal;

	/* parts */
	char sheet_path[PATH_MAX_LEN], ss_path[PATH_MAX_LEN], styles_path[PATH_MAX_LEN];
	char rid[64];
	int date1904;

	/* shared strings: NUL-terminated texts in ss, each starting at ss_off[i] */
	struct sb ss;
	size_t *ss_off;
	size_t ss_n, ss_cap;

	/* styles: number-format kind per cellXfs index, custom formats by id */
	unsigned char *xf_kind;
	size_t xf_n, xf_cap;
	struct { unsigned id; unsigned char kind; } custom[256];
	size_t n_custom;

	/* the sheet */
	zip_file_t *sheet;
	XML_Parser p;
	char *chunk;
	int suspended, sheet_eof, started;
	size_t rows_out;

	/* parse state shared by the part parsers */
	struct err cb_err; /* set by a handler that aborted the parser */
	int depth_si, in_t, in_rph, in_cellxfs, in_numfmts, seen_sheet;
	int in_data, in_row, in_cell, in_is, collect;

	/* the cell being read */
	char cell_type[16];
	long cell_style;
	size_t cell_col;
	struct sb cell;

	/* the row being built */
	long row_no, last_row_no;
	size_t next_col;
	struct sb raw;
	struct cell_ref *cells;
	size_t n_cells, cells_cap;
	int row_err; /* ERR_TOO_LARGE when a limit was hit in this row */
	char row_err_zh[160], row_err_en[160];
	int row_ready;

	/* the row handed out */
	const char **fields;
	size_t *lens;
	size_t fields_cap;
};

static const char *local(const char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
	for (int i = 0; atts[i]; i += 2)
		if (strcmp(local(atts[i]), name) == 0)
			return atts[i + 1];
	return NULL;
}

static int set_fatal(struct xlsx *x, struct err *err, int code, const char *zh, const char *en)
{
	if (!x->fatal.code)
		err_set(&x->fatal, code, "file", zh, en);
	return err_set(err, x->fatal.code, x->fatal.field, x->fatal.msg_zh, x->fatal.msg_en);
}

static int fatal_from(struct xlsx *x, struct err *err, const struct err *e)
{
	return set_fatal(x, err, e->code, e->msg_zh, e->msg_en);
}

/* A handler's failure: remembered, and the parser stopped (not resumable). */
static void cb_fail(struct xlsx *x, int code, const char *zh, const char *en)
{
	err_set(&x->cb_err, code, "file", zh, en);
	XML_StopParser(x->p, XML_FALSE);
}

static void cb_nomem(struct xlsx *x)
{
	cb_fail(x, ERR_NOMEM, "内存不足", "out of memory");
}

/* ---------------------------------------------------------------- expat */

static void *mm_malloc(size_t n)
{
	return xmalloc(n);
}

static void *mm_realloc(void *p, size_t n)
{
	return xrealloc(p, n);
}

static void mm_free(void *p)
{
	xfree(p);
}

static const XML_Memory_Handling_Suite mm = { mm_malloc, mm_realloc, mm_free };

static void XMLCALL no_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int has_internal)
{
	UNUSED(name);
	UNUSED(sysid);
	UNUSED(pubid);
	UNUSED(has_internal);
	cb_fail(ud, ERR_INVALID, "Excel 文件含有 DTD,不是正常的工作簿",
		"the workbook contains a DTD, which no real workbook does");
}

static XML_Parser parser_new(struct xlsx *x, XML_StartElementHandler start,
			     XML_EndElementHandler end, XML_CharacterDataHandler text)
{
	XML_Parser p = XML_ParserCreate_MM(NULL, &mm, NULL);
	if (!p)
		return NULL;
	XML_SetUserData(p, x);
	XML_SetElementHandler(p, start, end);
	XML_SetCharacterDataHandler(p, text);
	XML_SetStartDoctypeDeclHandler(p, no_doctype);
	return p;
}

/* ---------------------------------------------------------------- zip */

static int too_big(struct xlsx *x, struct err *err)
{
	char zh[160], en[160];
	snprintf(zh, sizeof zh, "Excel 文件解压后超过 %llu MB,拒绝读取(可能是压缩炸弹)",
		 (unsigned long long)(x->opts.unzipped_max >> 20));
	snprintf(en, sizeof en, "the workbook inflates to more than %llu MB; refused (a zip bomb?)",
		 (unsigned long long)(x->opts.unzipped_max >> 20));
	return set_fatal(x, err, ERR_TOO_LARGE, zh, en);
}

static int corrupt(struct xlsx *x, struct err *err)
{
	return set_fatal(x, err, ERR_INVALID, "Excel 文件已损坏,无法读取", "the workbook is damaged");
}

/* Opens a part; 1 when it does not exist. */
static int part_open(struct xlsx *x, const char *name, uint64_t max, zip_file_t **out,
		     struct err *err)
{
	zip_stat_t st;
	zip_int64_t i = zip_name_locate(x->zip, name, 0);
	*out = NULL;
	if (i < 0)
		i = zip_name_locate(x->zip, name, ZIP_FL_NOCASE);
	if (i < 0)
		return 1;
	zip_stat_init(&st);
	if (zip_stat_index(x->zip, (zip_uint64_t)i, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
		return corrupt(x, err);
	if (st.size > max || st.size > x->opts.unzipped_max - x->unzipped)
		return too_big(x, err);
	*out = zip_fopen_index(x->zip, (zip_uint64_t)i, 0);
	if (!*out) {
		zip_error_t *ze = zip_get_error(x->zip);
		if (zip_error_code_zip(ze) == ZIP_ER_NOPASSWD || zip_error_code_zip(ze) == ZIP_ER_WRONGPASSWD)
			return set_fatal(x, err, ERR_INVALID, "Excel 文件已加密,请取消密码后再上传",
					 "the workbook is encrypted: remove the password and upload again");
		if (zip_error_code_zip(ze) == ZIP_ER_MEMORY)
			return set_fatal(x, err, ERR_NOMEM, "内存不足", "out of memory");
		return corrupt(x, err);
	}
	return 0;
}

/* Inflates up to cap bytes into buf; *got = 0 at the end of the part. */
static int part_read(struct xlsx *x, zip_file_t *f, char *buf, size_t cap, size_t *got,
		     struct err *err)
{
	zip_int64_t n = zip_fread(f, buf, cap);
	*got = 0;
	if (n < 0)
		return corrupt(x, err);
	x->unzipped += (uint64_t)n;
	if (x->unzipped > x->opts.unzipped_max)
		return too_big(x, err);
	*got = (size_t)n;
	return 0;
}

static int xml_failed(struct xlsx *x, XML_Parser p, const char *part, struct err *err)
{
	if (x->cb_err.code)
		return fatal_from(x, err, &x->cb_err);
	char zh[256], en[256];
	snprintf(zh, sizeof zh, "Excel 文件 %s 的 XML 有误(第 %lu 行):%s", part,
		 (unsigned long)XML_GetCurrentLineNumber(p), XML_ErrorString(XML_GetErrorCode(p)));
	snprintf(en, sizeof en, "bad XML in the workbook's %s (line %lu): %s", part,
		 (unsigned long)XML_GetCurrentLineNumber(p), XML_ErrorString(XML_GetErrorCode(p)));
	return set_fatal(x, err, ERR_INVALID, zh, en);
}

/* Parses a whole part with p. Returns 1 when the part is absent. */
static int part_parse(struct xlsx *x, const char *name, uint64_t max, XML_Parser p,
		      struct err *err)
{
	zip_file_t *f;
	int rc = part_open(x, name, max, &f, err);
	if (rc)
		return rc;
	for (;;) {
		size_t got;
		rc = part_read(x, f, x->chunk, CHUNK, &got, err);
		if (rc)
			break;
		if (XML_Parse(p, x->chunk, (int)got, got == 0) != XML_STATUS_OK) {
			rc = xml_failed(x, p, name, err);
			break;
		}
		if (!got)
			break;
	}
	zip_fclose(f);
	return rc;
}

/* ---------------------------------------------------------------- text */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Excel writes characters XML cannot hold as _xHHHH_ (_x000D_ for CR) and a
 * literal "_x" as _x005F_. Decodes s[0..n) in place (the result is never
 * longer); NUL and surrogates are dropped. Returns the new length. */
static size_t unescape_x(char *s, size_t n)
{
	size_t i = 0, o = 0;
	while (i < n) {
		if (s[i] == '_' && i + 6 < n && s[i + 1] == 'x' && s[i + 6] == '_') {
			int h0 = hexval(s[i + 2]), h1 = hexval(s[i + 3]), h2 = hexval(s[i + 4]),
			    h3 = hexval(s[i + 5]);
			if (h0 >= 0 && h1 >= 0 && h2 >= 0 && h3 >= 0) {
				unsigned cp = (unsigned)(h0 << 12 | h1 << 8 | h2 << 4 | h3);
				if (cp >= 0xD800 && cp <= 0xDFFF)
					cp = 0;
				if (cp && cp < 0x80) {
					s[o++] = (char)cp;
				} else if (cp && cp < 0x800) {
					s[o++] = (char)(0xC0 | cp >> 6);
					s[o++] = (char)(0x80 | (cp & 0x3F));
				} else if (cp) {
					s[o++] = (char)(0xE0 | cp >> 12);
					s[o++] = (char)(0x80 | (cp >> 6 & 0x3F));
					s[o++] = (char)(0x80 | (cp & 0x3F));
				}
				i += 7;
				continue;
			}
		}
		s[o++] = s[i++];
	}
	s[o] = '\0';
	return o;
}

/* Drops the sticky error along with the contents. */
static void sb_fresh(struct sb *b)
{
	if (b->err) {
		size_t max = b->max;
		sb_release(b);
		sb_init(b, max);
	} else {
		sb_reset(b);
	}
}

/* ---------------------------------------------------------------- workbook + rels */

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = ud;
	const char *n = local(name);
	if (strcmp(n, "sheet") == 0 && !x->seen_sheet) {
		x->seen_sheet = 1;
		for (int i = 0; atts[i]; i += 2)
			if (strchr(atts[i], ':') && strcmp(local(atts[i]), "id") == 0)
				snprintf(x->rid, sizeof x->rid, "%s", atts[i + 1]);
	} else if (strcmp(n, "workbookPr") == 0) {
		const char *v = attr(atts, "date1904");
		x->date1904 = v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
	}
}

static void XMLCALL ignore_end(void *ud, const XML_Char *name)
{
	UNUSED(ud);
	UNUSED(name);
}

static void XMLCALL ignore_text(void *ud, const XML_Char *s, int len)
{
	UNUSED(ud);
	UNUSED(s);
	UNUSED(len);
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && strcmp(s + n - t, tail) == 0;
}

/* A rels Target, relative to xl/ unless absolute. */
static void target_path(char out[PATH_MAX_LEN], const char *target)
{
	if (target[0] == '/')
		snprintf(out, PATH_MAX_LEN, "%s", target + 1);
	else
		snprintf(out, PATH_MAX_LEN, "xl/%s", target);
}

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = ud;
	if (strcmp(local(name), "Relationship") != 0)
		return;
	const char *id = attr(atts, "Id"), *type = attr(atts, "Type"), *target = attr(atts, "Target");
	if (!id || !type || !target || strlen(target) > PATH_MAX_LEN - 8)
		return;
	if (*x->rid && strcmp(id, x->rid) == 0)
		target_path(x->sheet_path, target);
	else if (ends_with(type, "/sharedStrings"))
		target_path(x->ss_path, target);
	else if (ends_with(type, "/styles"))
		target_path(x->styles_path, target);
}

static int parse_small(struct xlsx *x, const char *part, XML_StartElementHandler start,
		       struct err *err)
{
	XML_Parser p = parser_new(x, start, ignore_end, ignore_text);
	if (!p)
		return set_fatal(x, err, ERR_NOMEM, "内存不足", "out of memory");
	x->p = p;
	int rc = part_parse(x, part, SMALL_PART_MAX, p, err);
	x->p = NULL;
	XML_ParserFree(p);
	return rc;
}

/* ---------------------------------------------------------------- styles */

static int builtin_kind(unsigned id)
{
	if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 54) ||
	    id == 57 || id == 58)
		return FMT_DATE;
	if ((id >= 18 && id <= 21) || (id >= 32 && id <= 35) || (id >= 45 && id <= 47) || id == 55 ||
	    id == 56)
		return FMT_TIME;
	if (id == 22)
		return FMT_DATETIME;
	return FMT_NONE;
}

/* A custom number format's kind: y or d outside quotes and brackets make it a
 * date, h or s a time. */
static int code_kind(const char *code)
{
	int date = 0, time = 0;
	for (const char *c = code; *c; c++) {
		if (*c == '"') {
			c = strchr(c + 1, '"');
			if (!c)
				break;
		} else if (*c == '[') {
			c = strchr(c + 1, ']');
			if (!c)
				break;
		} else if (*c == '\\' || *c == '_' || *c == '*') {
			if (!c[1])
				break;
			c++;
		} else if (*c == 'y' || *c == 'Y' || *c == 'd' || *c == 'D') {
			date = 1;
		} else if (*c == 'h' || *c == 'H' || *c == 's' || *c == 'S') {
			time = 1;
		}
	}
	return date && time ? FMT_DATETIME : date ? FMT_DATE : time ? FMT_TIME : FMT_NONE;
}

static int fmt_kind(const struct xlsx *x, unsigned id)
{
	for (size_t i = 0; i < x->n_custom; i++)
		if (x->custom[i].id == id)
			return x->custom[i].kind;
	return builtin_kind(id);
}

static void XMLCALL styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = ud;
	const char *n = local(name);
	if (strcmp(n, "numFmts") == 0) {
		x->in_numfmts = 1;
	} else if (strcmp(n, "cellXfs") == 0) {
		x->in_cellxfs = 1;
	} else if (strcmp(n, "numFmt") == 0 && x->in_numfmts) {
		const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
		if (id && code && x->n_custom < ARRAY_SIZE(x->custom)) {
			x->custom[x->n_custom].id = (unsigned)strtoul(id, NULL, 10);
			x->custom[x->n_custom].kind = (unsigned char)code_kind(code);
			x->n_custom++;
		}
	} else if (strcmp(n, "xf") == 0 && x->in_cellxfs) {
		const char *id = attr(atts, "numFmtId");
		if (x->xf_n == x->xf_cap) {
			if (x->xf_cap >= 65536)
				return; /* more styles than Excel allows: the rest read as numbers */
			size_t cap = x->xf_cap ? x->xf_cap * 2 : 64;
			unsigned char *k = xrealloc(x->xf_kind, cap);
			if (!k) {
				cb_nomem(x);
				return;
			}
			x->xf_kind = k;
			x->xf_cap = cap;
		}
		x->xf_kind[x->xf_n++] = (unsigned char)(id ? fmt_kind(x, (unsigned)strtoul(id, NULL, 10))
							 : FMT_NONE);
	}
}

static void XMLCALL styles_end(void *ud, const XML_Char *name)
{
	struct xlsx *x = ud;
	const char *n = local(name);
	if (strcmp(n, "numFmts") == 0)
		x->in_numfmts = 0;
	else if (strcmp(n, "cellXfs") == 0)
		x->in_cellxfs = 0;
}

/* ---------------------------------------------------------------- shared strings */

static void XMLCALL ss_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = ud;
	const char *n = local(name);
	UNUSED(atts);
	if (strcmp(n, "si") == 0) {
		x->depth_si = 1;
		x->in_rph = 0;
		if (x->ss_n == x->ss_cap) {
			size_t cap = x->ss_cap ? x->ss_cap * 2 : 1024;
			size_t *o = xrealloc(x->ss_off, cap * sizeof *o);
			if (!o) {
				cb_nomem(x);
				return;
			}
			x->ss_off = o;
			x->ss_cap = cap;
		}
		x->ss_off[x->ss_n] = x->ss.len;
	} else if (strcmp(n, "rPh") == 0) {
		x->in_rph++;
	} else if (strcmp(n, "t") == 0 && x->depth_si && !x->in_rph) {
		x->in_t = 1;
	}
}

static void ss_too_big(struct xlsx *x)
{
	if (x->ss.err == ERR_NOMEM) {
		cb_nomem(x);
		return;
	}
	char zh[160], en[160];
	snprintf(zh, sizeof zh, "Excel 文件的共享文本超过 %zu MB", x->opts.shared_max >> 20);
	snprintf(en, sizeof en, "the workbook's shared strings exceed %zu MB", x->opts.shared_max >> 20);
	cb_fail(x, ERR_TOO_LARGE, zh, en);
}

static void XMLCALL ss_end(void *ud, const XML_Char *name)
{
	struct xlsx *x = ud;
	const char *n = local(name);
	if (strcmp(n, "t") == 0) {
		x->in_t = 0;
	} else if (strcmp(n, "rPh") == 0) {
		if (x->in_rph)
			x->in_rph--;
	} else if (strcmp(n, "si") == 0 && x->depth_si) {
		size_t start = x->ss_off[x->ss_n];
		size_t len = unescape_x(x->ss.buf + start, x->ss.len - start);
		x->ss.len = start + len;
		sb_addc(&x->ss, '\0');
		if (x->ss.err) {
			ss_too_big(x);
			return;
		}
		x->ss_n++;
		x->depth_si = 0;
	}
}

static void XMLCALL ss_text(void *ud, const XML_Char *s, int len)
{
	struct xlsx *x = ud;
	if (!x->in_t)
		return;
	sb_add(&x->ss, s, (size_t)len);
	if (x->ss.err)
		ss_too_big(x);
}

/* ---------------------------------------------------------------- the sheet */

static void row_limit(struct xlsx *x, const char *zh, const char *en)
{
	if (x->row_err)
		return;
	x->row_err = ERR_TOO_LARGE;
	snprintf(x->row_err_zh, sizeof x->row_err_zh, "%s", zh);
	snprintf(x->row_err_en, sizeof x->row_err_en, "%s", en);
}

/* "C7" -> column 2 (0-based); -1 when there are no letters or too many. */
static long ref_col(const char *r)
{
	long col = 0;
	int n = 0;
	/* stop at four letters: a long run of them would overflow col */
	for (; *r >= 'A' && *r <= 'Z' && n < 4; r++, n++)
		col = col * 26 + (*r - 'A' + 1);
	if (!n || n > 3 || col > 16384)
		return -1;
	return col - 1;
}

static void row_begin(struct xlsx *x, const char **atts)
{
	const char *r = attr(atts, "r");
	long n = 0;
	if (r) {
		char *end;
		n = strtol(r, &end, 10);
		if (*end || n < 1 || n > XLSX_SHEET_ROWS_MAX)
			n = 0;
	}
	x->row_no = n ? n : x->last_row_no + 1;
	x->last_row_no = x->row_no;
	x->in_row = 1;
	x->next_col = 0;
	x->n_cells = 0;
	x->row_err = 0;
	sb_fresh(&x->raw);
}

static void cell_begin(struct xlsx *x, const char **atts)
{
	const char *r = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
	long col = r ? ref_col(r) : -1;
	x->cell_col = col >= 0 ? (size_t)col : x->next_col;
	x->next_col = x->cell_col + 1;
	snprintf(x->cell_type, sizeof x->cell_type, "%s", t ? t : "n");
	x->cell_style = s ? strtol(s, NULL, 10) : -1;
	x->in_cell = 1;
	x->in_is = 0;
	x->in_rph = 0;
	x->collect = 0;
	sb_fresh(&x->cell);
}

/* A number as Excel shows it: integers as written, fractions with 15
 * significant digits (the binary noise of "12.300000000000001" dropped). */
static const char *number_text(const char *v, char buf[64])
{
	const char *p = v + (*v == '-');
	if (*p && strspn(p, "0123456789") == strlen(p))
		return v;
	char *end;
	double d = strtod(v, &end);
	if (end == v || *end || !isfinite(d))
		return v;
	snprintf(buf, 64, "%.15g", d);
	return strchr(buf, 'e') ? v : buf;
}

/* A date serial (days since 1899-12-30, or 1904-01-01) in Shanghai-free wall time. */
static const char *date_text(const struct xlsx *x, const char *v, int kind, char buf[64])
{
	char *end;
	double d = strtod(v, &end);
	if (end == v || *end || !isfinite(d) || d < 0 || d >= 2958466)
		return NULL;
	int64_t days = (int64_t)floor(d);
	int64_t secs = (int64_t)llround((d - (double)days) * 86400.0);
	if (secs >= 86400) {
		days++;
		secs -= 86400;
	}
	/* The 1900 system counts a 29 February 1900 that never was: serials from
	 * 61 on are one day ahead of the calendar, which the 1899-12-30 base absorbs. */
	int64_t base = x->date1904 ? cal_days_from_civil(1904, 1, 1)
				   : cal_days_from_civil(1899, 12, days < 61 ? 31 : 30);
	int y, m, dd;
	cal_civil_from_days(base + days, &y, &m, &dd);
	int hh = (int)(secs / 3600), mi = (int)(secs / 60 % 60), ss = (int)(secs % 60);
	if (kind == FMT_TIME && days == 0)
		snprintf(buf, 64, "%02d:%02d:%02d", hh, mi, ss);
	else if (kind == FMT_DATE && secs == 0)
		snprintf(buf, 64, "%04d-%02d-%02d", y, m, dd);
	else
		snprintf(buf, 64, "%04d-%02d-%02d %02d:%02d:%02d", y, m, dd, hh, mi, ss);
	return buf;
}

static void cell_end(struct xlsx *x)
{
	char buf[64];
	const char *text;
	size_t len;
	x->in_cell = 0;
	if (x->cell.err) {
		if (x->cell.err == ERR_NOMEM) {
			cb_nomem(x);
			return;
		}
		char zh[160], en[160];
		snprintf(zh, sizeof zh, "单元格内容超过 %zu 字节", x->opts.cell_max);
		snprintf(en, sizeof en, "a cell holds more than %zu bytes", x->opts.cell_max);
		row_limit(x, zh, en);
		return;
	}
	const char *t = x->cell_type;
	char *v = x->cell.buf;
	if (strcmp(t, "s") == 0) {
		char *end;
		unsigned long i = strtoul(v, &end, 10);
		if (end == v || *end || i >= x->ss_n) {
			cb_fail(x, ERR_INVALID, "Excel 文件已损坏:单元格引用了不存在的共享文本",
				"the workbook is damaged: a cell refers to a missing shared string");
			return;
		}
		text = x->ss.buf + x->ss_off[i];
	} else if (strcmp(t, "inlineStr") == 0 || strcmp(t, "str") == 0) {
		x->cell.len = unescape_x(v, x->cell.len);
		text = v;
	} else if (strcmp(t, "b") == 0) {
		text = strcmp(v, "1") == 0 ? "TRUE" : strcmp(v, "0") == 0 ? "FALSE" : v;
	} else if (strcmp(t, "n") == 0 && *v) {
		int kind = x->cell_style >= 0 && (size_t)x->cell_style < x->xf_n
				   ? x->xf_kind[x->cell_style]
				   : FMT_NONE;
		text = kind ? date_text(x, v, kind, buf) : NULL;
		if (!text)
			text = number_text(v, buf);
	} else {
		text = v; /* e (error), d (ISO date) */
	}
	len = strlen(text);
	if (!len)
		return;
	if (len > x->opts.cell_max) {
		char zh[160], en[160];
		snprintf(zh, sizeof zh, "单元格内容超过 %zu 字节", x->opts.cell_max);
		snprintf(en, sizeof en, "a cell holds more than %zu bytes", x->opts.cell_max);
		row_limit(x, zh, en);
		return;
	}
	if (x->cell_col >= x->opts.fields_max) {
		char zh[160], en[160];
		snprintf(zh, sizeof zh, "超过 %zu 列", x->opts.fields_max);
		snprintf(en, sizeof en, "more than %zu columns", x->opts.fields_max);
		row_limit(x, zh, en);
		return;
	}
	if (x->row_err)
		return;
	if (x->n_cells == x->cells_cap) {
		size_t cap = x->cells_cap ? x->cells_cap * 2 : 32;
		struct cell_ref *c = xrealloc(x->cells, cap * sizeof *c);
		if (!c) {
			cb_nomem(x);
			return;
		}
		x->cells = c;
		x->cells_cap = cap;
	}
	struct cell_ref *c = &x->cells[x->n_cells];
	c->col = x->cell_col;
	c->off = x->raw.len;
	c->len = len;
	sb_add(&x->raw, text, len);
	sb_addc(&x->raw, '\0');
	if (x->raw.err == ERR_NOMEM) {
		cb_nomem(x);
		return;
	}
	if (x->raw.err) {
		char zh[160], en[160];
		snprintf(zh, sizeof zh, "这一行的内容超过 %zu 字节", x->opts.record_max);
		snprintf(en, sizeof en, "the row holds more than %zu bytes", x->opts.record_max);
		row_limit(x, zh, en);
		return;
	}
	x->n_cells++;
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = ud;
	const char *n = local(name);
	if (strcmp(n, "sheetData") == 0) {
		x->in_data = 1;
	} else if (!x->in_data) {
		return;
	} else if (strcmp(n, "row") == 0) {
		row_begin(x, atts);
	} else if (!x->in_row) {
		return;
	} else if (strcmp(n, "c") == 0) {
		cell_begin(x, atts);
	} else if (!x->in_cell) {
		return;
	} else if (strcmp(n, "v") == 0) {
		x->collect = 1;
	} else if (strcmp(n, "is") == 0) {
		x->in_is = 1;
	} else if (strcmp(n, "rPh") == 0) {
		x->in_rph++;
	} else if (strcmp(n, "t") == 0 && x->in_is && !x->in_rph) {
		x->collect = 1;
	}
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
	struct xlsx *x = ud;
	const char *n = local(name);
	if (strcmp(n, "sheetData") == 0) {
		x->in_data = 0;
	} else if (strcmp(n, "row") == 0 && x->in_row) {
		x->in_row = 0;
		x->row_ready = 1;
		XML_StopParser(x->p, XML_TRUE);
	} else if (strcmp(n, "c") == 0 && x->in_cell) {
		cell_end(x);
	} else if (strcmp(n, "v") == 0 || strcmp(n, "t") == 0) {
		x->collect = 0;
	} else if (strcmp(n, "is") == 0) {
		x->in_is = 0;
	} else if (strcmp(n, "rPh") == 0 && x->in_rph) {
		x->in_rph--;
	}
}

static void XMLCALL sheet_text(void *ud, const XML_Char *s, int len)
{
	struct xlsx *x = ud;
	if (x->collect)
		sb_add(&x->cell, s, (size_t)len);
}

/* ---------------------------------------------------------------- open */

static void opts_fill(struct xlsx_opts *o, const struct xlsx_opts *in)
{
	memset(o, 0, sizeof *o);
	if (in)
		*o = *in;
	if (!o->unzipped_max)
		o->unzipped_max = XLSX_UNZIPPED_MAX_DEFAULT;
	if (!o->shared_max)
		o->shared_max = XLSX_SHARED_MAX_DEFAULT;
	if (!o->rows_max)
		o->rows_max = XLSX_ROWS_MAX_DEFAULT;
	if (!o->cell_max)
		o->cell_max = XLSX_CELL_MAX_DEFAULT;
	if (!o->record_max)
		o->record_max = XLSX_RECORD_MAX_DEFAULT;
	if (!o->fields_max)
		o->fields_max = XLSX_FIELDS_MAX_DEFAULT;
}

static struct xlsx *reader_new(const struct xlsx_opts *opts)
{
	struct xlsx *x = xcalloc(1, sizeof *x);
	if (!x)
		return NULL;
	opts_fill(&x->opts, opts);
	sb_init(&x->ss, x->opts.shared_max);
	sb_init(&x->cell, x->opts.cell_max + 1);
	sb_init(&x->raw, x->opts.record_max + 1);
	x->chunk = xmalloc(CHUNK);
	if (!x->chunk) {
		xfree(x);
		return NULL;
	}
	return x;
}

static int zip_failed(int code, struct err *err)
{
	if (code == ZIP_ER_MEMORY)
		return nomem(err);
	if (code == ZIP_ER_NOZIP)
		return err_set(err, ERR_INVALID, "file", "文件不是有效的 Excel 工作簿(.xlsx)",
			       "the file is not a valid Excel workbook (.xlsx)");
	return err_set(err, ERR_INVALID, "file", "Excel 文件已损坏,无法读取", "the workbook is damaged");
}

/* Workbook, rels, styles, shared strings; then the sheet is opened. */
static int reader_prepare(struct xlsx *x, struct err *err)
{
	int rc = parse_small(x, "xl/workbook.xml", wb_start, err);
	if (rc > 0)
		return set_fatal(x, err, ERR_INVALID, "文件是 zip 压缩包,但不是 Excel 工作簿(.xlsx)",
				 "the file is a zip archive but not an Excel workbook (.xlsx)");
	if (!rc)
		rc = parse_small(x, "xl/_rels/workbook.xml.rels", rels_start, err);
	if (rc < 0)
		return rc;
	if (!*x->sheet_path)
		snprintf(x->sheet_path, sizeof x->sheet_path, "xl/worksheets/sheet1.xml");
	if (!*x->ss_path)
		snprintf(x->ss_path, sizeof x->ss_path, "xl/sharedStrings.xml");
	if (!*x->styles_path)
		snprintf(x->styles_path, sizeof x->styles_path, "xl/styles.xml");

	XML_Parser p = parser_new(x, styles_start, styles_end, ignore_text);
	if (!p)
		return set_fatal(x, err, ERR_NOMEM, "内存不足", "out of memory");
	x->p = p;
	rc = part_parse(x, x->styles_path, SMALL_PART_MAX, p, err);
	XML_ParserFree(p);
	x->p = NULL;
	if (rc < 0)
		return rc;

	p = parser_new(x, ss_start, ss_end, ss_text);
	if (!p)
		return set_fatal(x, err, ERR_NOMEM, "内存不足", "out of memory");
	x->p = p;
	rc = part_parse(x, x->ss_path, x->opts.unzipped_max, p, err);
	XML_ParserFree(p);
	x->p = NULL;
	if (rc < 0)
		return rc;

	rc = part_open(x, x->sheet_path, x->opts.unzipped_max, &x->sheet, err);
	if (rc > 0)
		return set_fatal(x, err, ERR_INVALID, "Excel 文件里找不到第一个工作表",
				 "the workbook's first sheet is missing");
	if (rc)
		return rc;
	x->p = parser_new(x, sheet_start, sheet_end, sheet_text);
	if (!x->p)
		return set_fatal(x, err, ERR_NOMEM, "内存不足", "out of memory");
	return 0;
}

static int reader_open(struct xlsx *x, struct xlsx **out, struct err *err)
{
	int rc = reader_prepare(x, err);
	if (rc) {
		xlsx_free(x);
		return rc;
	}
	*out = x;
	return 0;
}

int xlsx_is_zip(const void *head, size_t n)
{
	return n >= 4 && memcmp(head, "PK\x03\x04", 4) == 0;
}

static int not_zip(const unsigned char *head, size_t n, struct err *err)
{
	if (n >= 4 && memcmp(head, "\xD0\xCF\x11\xE0", 4) == 0)
		return err_set(err, ERR_INVALID, "file",
			       "文件是 Excel 97-2003 工作簿(.xls)或加密的工作簿,请另存为 .xlsx 或 CSV",
			       "the file is an Excel 97-2003 (.xls) or encrypted workbook: save it as .xlsx or CSV");
	return err_set(err, ERR_INVALID, "file", "文件不是 Excel 工作簿(.xlsx)",
		       "the file is not an Excel workbook (.xlsx)");
}

int xlsx_open_fd(int fd, const struct xlsx_opts *opts, struct xlsx **out, struct err *err)
{
	unsigned char head[4];
	int zerr = 0;
	*out = NULL;
	ssize_t n = pread(fd, head, sizeof head, 0);
	if (n < 0)
		return err_set(err, ERR_IO, "file", "无法读取上传的文件", "cannot read the file");
	if (!xlsx_is_zip(head, (size_t)n))
		return not_zip(head, (size_t)n, err);
	struct xlsx *x = reader_new(opts);
	if (!x)
		return nomem(err);
	int d = dup(fd);
	if (d < 0) {
		xlsx_free(x);
		return err_set(err, ERR_IO, "file", "无法读取上传的文件", "cannot read the file");
	}
	x->zip = zip_fdopen(d, 0, &zerr);
	if (!x->zip) {
		close(d);
		xlsx_free(x);
		return zip_failed(zerr, err);
	}
	return reader_open(x, out, err);
}

int xlsx_open_mem(const void *buf, size_t n, const struct xlsx_opts *opts, struct xlsx **out,
		  struct err *err)
{
	zip_error_t ze;
	*out = NULL;
	if (!xlsx_is_zip(buf, n))
		return not_zip(buf, n, err);
	struct xlsx *x = reader_new(opts);
	if (!x)
		return nomem(err);
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(buf, n, 0, &ze);
	if (src)
		x->zip = zip_open_from_source(src, ZIP_RDONLY, &ze);
	if (!x->zip) {
		int code = zip_error_code_zip(&ze);
		zip_error_fini(&ze);
		if (src)
			zip_source_free(src);
		xlsx_free(x);
		return zip_failed(src ? code : ZIP_ER_MEMORY, err);
	}
	zip_error_fini(&ze);
	return reader_open(x, out, err);
}

void xlsx_free(struct xlsx *x)
{
	if (!x)
		return;
	if (x->p)
		XML_ParserFree(x->p);
	if (x->sheet)
		zip_fclose(x->sheet);
	if (x->zip)
		zip_discard(x->zip);
	sb_release(&x->ss);
	sb_release(&x->cell);
	sb_release(&x->raw);
	xfree(x->ss_off);
	xfree(x->xf_kind);
	xfree(x->cells);
	xfree(x->fields);
	xfree(x->lens);
	xfree(x->chunk);
	xfree(x);
}

int xlsx_fatal(const struct xlsx *x)
{
	return x->fatal.code;
}

/* ---------------------------------------------------------------- rows */

/* Parses until a row is complete: 1 a row, 0 the end of the sheet. */
static int parse_row(struct xlsx *x, struct err *err)
{
	x->row_ready = 0;
	while (!x->row_ready) {
		enum XML_Status st;
		if (x->suspended) {
			st = XML_ResumeParser(x->p);
		} else if (x->sheet_eof) {
			return 0;
		} else {
			size_t got;
			int rc = part_read(x, x->sheet, x->chunk, CHUNK, &got, err);
			if (rc)
				return rc;
			x->sheet_eof = got == 0;
			st = XML_Parse(x->p, x->chunk, (int)got, got == 0);
		}
		if (st == XML_STATUS_ERROR)
			return xml_failed(x, x->p, "sheet", err);
		x->suspended = st == XML_STATUS_SUSPENDED;
	}
	return 1;
}

static int row_make(struct xlsx *x, struct csv_record *rec, struct err *err)
{
	size_t n = 0;
	for (size_t i = 0; i < x->n_cells; i++)
		if (x->cells[i].col + 1 > n)
			n = x->cells[i].col + 1;
	if (n > x->fields_cap) {
		const char **f = xrealloc(x->fields, n * sizeof *f);
		if (f)
			x->fields = f;
		size_t *l = f ? xrealloc(x->lens, n * sizeof *l) : NULL;
		if (l)
			x->lens = l;
		if (!f || !l)
			return set_fatal(x, err, ERR_NOMEM, "内存不足", "out of memory");
		x->fields_cap = n;
	}
	for (size_t i = 0; i < n; i++) {
		x->fields[i] = "";
		x->lens[i] = 0;
	}
	for (size_t i = 0; i < x->n_cells; i++) {
		x->fields[x->cells[i].col] = x->raw.buf + x->cells[i].off;
		x->lens[x->cells[i].col] = x->cells[i].len;
	}
	rec->fields = x->fields;
	rec->lens = x->lens;
	rec->n = n;
	return 0;
}

int xlsx_next(struct xlsx *x, struct csv_record *rec, struct err *err)
{
	memset(rec, 0, sizeof *rec);
	if (x->fatal.code)
		return err_set(err, x->fatal.code, x->fatal.field, x->fatal.msg_zh, x->fatal.msg_en);
	for (;;) {
		int rc = parse_row(x, err);
		if (rc <= 0)
			return rc;
		rec->line = rec->end_line = x->row_no;
		if (x->row_err) {
			char zh[256], en[256];
			snprintf(zh, sizeof zh, "第 %ld 行:%s", x->row_no, x->row_err_zh);
			snprintf(en, sizeof en, "row %ld: %s", x->row_no, x->row_err_en);
			return err_set(err, x->row_err, "file", zh, en);
		}
		if (!x->n_cells)
			continue; /* all empty, as the CSV reader skips ",,,," */
		if (++x->rows_out > x->opts.rows_max) {
			char zh[160], en[160];
			snprintf(zh, sizeof zh, "Excel 文件超过 %zu 行", x->opts.rows_max);
			snprintf(en, sizeof en, "the workbook has more than %zu rows", x->opts.rows_max);
			return set_fatal(x, err, ERR_TOO_LARGE, zh, en);
		}
		return row_make(x, rec, err) ? x->fatal.code : 1;
	}
}

/* ======================================================================== */
/* Either: CSV or XLSX                                                      */
/* ======================================================================== */

void xlsx_table_init_fd(struct xlsx_table *t, int fd)
{
	unsigned char head[4];
	memset(t, 0, sizeof *t);
	csv_init_fd(&t->csv, fd, NULL);
	off_t off = lseek(fd, 0, SEEK_CUR);
	if (off < 0 || pread(fd, head, sizeof head, off) != (ssize_t)sizeof head ||
	    !xlsx_is_zip(head, sizeof head))
		return;
	int rc = xlsx_open_fd(fd, NULL, &t->x, &t->open_err);
	if (rc && !t->open_err.code)
		err_set(&t->open_err, rc, "file", "无法读取 Excel 文件", "cannot read the workbook");
}

int xlsx_table_next(struct xlsx_table *t, struct csv_record *rec, struct err *err)
{
	if (t->open_err.code) {
		memset(rec, 0, sizeof *rec);
		return err_set(err, t->open_err.code, t->open_err.field, t->open_err.msg_zh,
			       t->open_err.msg_en);
	}
	return t->x ? xlsx_next(t->x, rec, err) : csv_next(&t->csv, rec, err);
}

int xlsx_table_fatal(const struct xlsx_table *t)
{
	if (t->open_err.code)
		return t->open_err.code;
	return t->x ? xlsx_fatal(t->x) : csv_fatal(&t->csv);
}

int xlsx_table_is_xlsx(const struct xlsx_table *t)
{
	return t->x != NULL || t->open_err.code != 0;
}

void xlsx_table_release(struct xlsx_table *t)
{
	xlsx_free(t->x);
	t->x = NULL;
	csv_release(&t->csv);
}
