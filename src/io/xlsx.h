/*
 * xlsx.h - Excel workbooks in and out: "a list as a sheet" written through
 * libxlsxwriter, and a streaming reader of the first sheet of an .xlsx
 * (libzip + expat) that hands out rows the way io/csv.h hands out records,
 * so an importer can take either file (struct xlsx_table below).
 *
 * Writer. One sheet: a bold, frozen header row, then data rows written left
 * to right, cell by cell (xlsx_cell_*), each row closed by xlsx_row_end().
 * libxlsxwriter runs in constant_memory mode (each row goes to a temporary
 * file as soon as the next one starts), so a 100,000-row export holds one
 * row in memory, not the sheet. Cell kinds:
 *   text   always a string cell: order, tracking and phone numbers stay
 *          digits ("2026071100012345678", never 2.02607E+18); text cells are
 *          never formulas, whatever they start with;
 *   int    a number cell;
 *   money  integer fen shown as yuan, number format "¥#,##0.00";
 *   time   UTC seconds as Shanghai wall time, text "YYYY-MM-DD HH:MM:SS"
 *          (0 = empty cell).
 * Errors are sticky (as in lib/sb.h): cell calls after a failure do nothing and
 * xlsx_writer_finish() reports the first one.
 *
 * Reader. Opens the zip, finds the first sheet through xl/workbook.xml and
 * its rels (falling back to xl/worksheets/sheet1.xml), loads the shared
 * strings and the date formats of xl/styles.xml, then parses the sheet one
 * row per xlsx_next() call (expat, suspended at each </row>). Cells:
 *   shared and inline strings   their text (rich-text runs joined, phonetic
 *                               runs dropped);
 *   numbers                     their text as stored ("13812345678"); a
 *                               fraction is shown with Excel's 15 significant
 *                               digits ("12.300000000000001" -> "12.3");
 *   numbers in a date format    "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS";
 *   booleans                    "TRUE" / "FALSE"; formulas: the cached value.
 * Cell references ("C7") place each cell in its column, so empty cells keep
 * the positions of the ones after them. A row's number is its r attribute
 * (the number Excel shows at the left), reported as rec->line / end_line.
 * Rows whose cells are all empty are skipped, as the CSV reader skips them.
 *
 * Limits (struct xlsx_opts, 0 = default), each with its own message:
 *   unzipped_max  bytes inflated from the zip in all (zip-bomb guard; both the
 *                 declared sizes and the bytes actually inflated are checked)
 *   shared_max    bytes of shared-string text
 *   rows_max      data rows returned (header included)
 *   cell_max      bytes of one cell's text
 *   record_max    bytes of one row's text; fields_max  columns of one row
 * Errors of xlsx_next(): per-row (recoverable, the row is consumed):
 *   ERR_TOO_LARGE   a cell, row or column count over its limit
 * fatal (sticky): ERR_INVALID not a zip / not a workbook / malformed XML,
 *   ERR_TOO_LARGE unzipped_max or rows_max exceeded, ERR_NOMEM, ERR_IO.
 * Encrypted workbooks (a password-protected .xlsx is an OLE file, not a zip)
 * and old .xls files are refused by name.
 */
#ifndef IO_XLSX_H
#define IO_XLSX_H

#include <stddef.h>
#include <stdint.h>

#include "io/csv.h"
#include "lib/err.h"

struct arena;

/* ---------------------------------------------------------------- writer */

#define XLSX_CONTENT_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
/* Excel's own limits: rows per sheet (the header included), characters per cell. */
#define XLSX_SHEET_ROWS_MAX 1048576
#define XLSX_CELL_TEXT_MAX 32767

struct xlsx_col {
	const char *title; /* header text */
	double width;      /* in Excel's character units; 0 = 12 */
};

struct xlsx_writer;

/* A new workbook with one sheet named sheet_name (UTF-8, at most 31
 * characters) and the header row of the n cols. Its temporary files live
 * under /tmp and are removed by xlsx_writer_finish() / xlsx_writer_free(). */
int xlsx_writer_new(const char *sheet_name, const struct xlsx_col *cols, size_t n,
		    struct xlsx_writer **out, struct err *err) WUR;

/* The next cell of the current row. NULL text is an empty cell; text longer
 * than Excel's cell limit is cut at a character boundary. */
void xlsx_cell_text(struct xlsx_writer *w, const char *s);
void xlsx_cell_int(struct xlsx_writer *w, int64_t v);
void xlsx_cell_money(struct xlsx_writer *w, int64_t fen);
void xlsx_cell_time(struct xlsx_writer *w, int64_t utc);
void xlsx_cell_blank(struct xlsx_writer *w);
/* Ends the row; the next cell starts the next row at column A. */
void xlsx_row_end(struct xlsx_writer *w);
/* Data rows ended so far (the header not counted). */
int64_t xlsx_writer_rows(const struct xlsx_writer *w);

/* Closes the workbook and hands its bytes over: *data is allocated from a
 * (it lives as long as the arena), *len its size. The writer is freed either
 * way. Errors: the first sticky cell error, or ERR_IO / ERR_NOMEM. */
int xlsx_writer_finish(struct xlsx_writer *w, struct arena *a, const void **data, size_t *len,
		       struct err *err) WUR;
/* Abandons the workbook (NULL is fine). */
void xlsx_writer_free(struct xlsx_writer *w);

/* The Content-Disposition value of a download named name (UTF-8, e.g.
 * "订单导出.xlsx"): attachment; filename="<ascii>"; filename*=UTF-8''<RFC 5987
 * percent-encoding>, where ascii is the fallback for old clients. From the
 * arena; NULL when it runs out. */
const char *xlsx_disposition(struct arena *a, const char *name, const char *ascii);

/* ---------------------------------------------------------------- reader */

#define XLSX_UNZIPPED_MAX_DEFAULT ((uint64_t)512 << 20)
#define XLSX_SHARED_MAX_DEFAULT ((size_t)128 << 20)
#define XLSX_ROWS_MAX_DEFAULT ((size_t)XLSX_SHEET_ROWS_MAX)
#define XLSX_CELL_MAX_DEFAULT ((size_t)XLSX_CELL_TEXT_MAX * 4)
#define XLSX_RECORD_MAX_DEFAULT ((size_t)1 << 20)
#define XLSX_FIELDS_MAX_DEFAULT ((size_t)4096)

struct xlsx_opts {
	uint64_t unzipped_max;
	size_t shared_max;
	size_t rows_max;
	size_t cell_max;
	size_t record_max;
	size_t fields_max;
};

struct xlsx;

/* 1 when the bytes start like a zip archive ("PK\3\4"), as every .xlsx does. */
int xlsx_is_zip(const void *head, size_t n);

/* Opens the workbook in the file fd (the whole file, from offset 0; fd is
 * borrowed: the reader works on a dup() of it) or in buf[0..n) (borrowed:
 * it must outlive the reader). opts may be NULL. Reads the workbook, rels,
 * styles and shared strings; errors here are the fatal ones above. */
int xlsx_open_fd(int fd, const struct xlsx_opts *opts, struct xlsx **out, struct err *err) WUR;
int xlsx_open_mem(const void *buf, size_t n, const struct xlsx_opts *opts, struct xlsx **out,
		  struct err *err) WUR;

/* Next row into *rec (fields valid until the next call or xlsx_free): 1 = a
 * row, 0 = end of the sheet, < 0 = an error (see the top; rec->line names the
 * row at fault, or 0 when the error is not a row's). */
int xlsx_next(struct xlsx *x, struct csv_record *rec, struct err *err) WUR;
/* The sticky fatal error code, or 0. */
int xlsx_fatal(const struct xlsx *x);
void xlsx_free(struct xlsx *x);

/* ---------------------------------------------------------------- either */

/*
 * A table from an uploaded file, CSV or XLSX, told apart by content (the zip
 * signature), read through one interface: importers map the header with
 * csv_map_header() and read cells with csv_field() either way. Line numbers
 * are the CSV's physical lines or the sheet's row numbers.
 */
struct xlsx_table {
	struct csv csv;
	struct xlsx *x; /* NULL: the file is CSV */
	struct err open_err;
};

/* Looks at the first bytes at fd's current offset (a file that cannot seek
 * is read as CSV). Never fails by itself: an XLSX that cannot be opened makes
 * the first xlsx_table_next() return the error (fatal). fd is borrowed. */
void xlsx_table_init_fd(struct xlsx_table *t, int fd);
int xlsx_table_next(struct xlsx_table *t, struct csv_record *rec, struct err *err) WUR;
int xlsx_table_fatal(const struct xlsx_table *t);
/* 1 when the file is a workbook. */
int xlsx_table_is_xlsx(const struct xlsx_table *t);
void xlsx_table_release(struct xlsx_table *t);

#endif
