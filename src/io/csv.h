/*
 * csv.h - streaming CSV record reader for seller-center exports (ORD-2).
 *
 * The reader pulls fixed-size chunks from a file descriptor, a FILE * or a
 * memory buffer and hands out one record at a time. It never holds more than
 * one chunk plus the current record, so memory stays flat however big the
 * file is; a record may not exceed opts.record_max bytes.
 *
 * Syntax is RFC 4180, read leniently the way spreadsheet programs do:
 *   - fields separated by ',', records by CRLF, LF or a bare CR (mixed is fine);
 *   - a field starting with '"' is quoted: "" is a quote, and commas, CR and LF
 *     inside are data; text after the closing quote is appended ("ab"c -> ab"c);
 *   - a quote inside an unquoted field is data, so the spreadsheet guard ="123"
 *     reaches the caller unchanged (csv_clean() removes it);
 *   - the last record needs no line end;
 *   - empty lines, and records whose fields are all empty (",,,," rows that
 *     spreadsheets leave behind), are skipped.
 *
 * Encoding is decided by content (lib/gbk.h text_detect) on the first chunk,
 * cut at a line boundary; while the text seen is pure ASCII the decision is
 * deferred to the first record with a non-ASCII byte. Text that is
 * overwhelmingly valid UTF-8 with a stray bad byte stays UTF-8 (only the bad
 * records fail) rather than being decoded as GBK. A UTF-8 BOM is skipped.
 * GBK (read as GB18030) is converted to UTF-8 a whole record at a time; UTF-8
 * input is validated. Fields are always well-formed UTF-8 without NUL bytes.
 * UTF-16 text and XLS/XLSX workbooks are recognised and refused by name.
 *
 * Line numbers are physical (what an editor shows, 1-based; CRLF, LF and a
 * bare CR each end one line), so a record with a quoted newline spans several
 * lines and rec->line is the line it starts on. Importers report rejected rows
 * by that number.
 *
 * Errors: csv_next() returns a negative err_code and sets rec->line to the
 * record at fault; messages name the line in both languages. Per-record errors are recoverable: the bad record has been
 * consumed and the next call continues with the following one.
 *   ERR_TOO_LARGE  record over record_max bytes or fields_max fields
 *   ERR_INVALID    bad GBK or UTF-8 bytes in the record, or a NUL byte
 * Fatal errors are sticky (every later call returns the same code):
 *   ERR_IO         read failure
 *   ERR_NOMEM      out of memory
 *   ERR_INVALID    the input is UTF-16, XLS or XLSX rather than CSV text
 * A quoted field still open at end of input is ERR_INVALID naming the line
 * the quote opened on; there is nothing after it, so the next call returns 0.
 */
#ifndef IO_CSV_H
#define IO_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "lib/err.h"
#include "lib/gbk.h"
#include "lib/sb.h"

#define CSV_CHUNK_DEFAULT ((size_t)64 << 10)
#define CSV_RECORD_MAX_DEFAULT ((size_t)1 << 20)
#define CSV_FIELDS_MAX_DEFAULT ((size_t)4096)
/* Smaller chunk sizes are raised to this (the BOM and file signatures need 4 bytes). */
#define CSV_CHUNK_MIN ((size_t)4)

struct csv_opts {
	size_t chunk_size; /* bytes per read; 0 = CSV_CHUNK_DEFAULT (tests use tiny ones) */
	size_t record_max; /* bytes of field data per record; 0 = CSV_RECORD_MAX_DEFAULT */
	size_t fields_max; /* fields per record; 0 = CSV_FIELDS_MAX_DEFAULT */
};

/* One record. Everything it points to belongs to the reader and stays valid
 * until the next csv_next() or csv_release() on that reader. */
struct csv_record {
	const char *const *fields; /* n NUL-terminated UTF-8 strings, raw (not trimmed) */
	const size_t *lens;        /* their byte lengths */
	size_t n;
	long line;     /* physical line the record starts on, 1-based */
	long end_line; /* physical line it ends on (> line when a quoted field has newlines) */
};

enum csv_src { CSV_SRC_FD, CSV_SRC_FILE, CSV_SRC_MEM };

/* The reader. Fields are private: use the functions below. */
struct csv {
	enum csv_src src;
	int fd;
	FILE *fp;
	const char *mem;
	size_t mem_len, mem_pos;
	struct csv_opts opts;

	char *buf; /* one chunk of input */
	size_t buf_len, buf_pos;
	int eof, started;
	enum text_enc enc; /* TEXT_ASCII while undecided */
	struct err fatal;  /* sticky error, code 0 when none */

	/* scanner state, kept across chunks */
	int state;
	int cr_pending; /* the last byte was a CR: an LF now is its CRLF tail */
	long line;      /* physical line of the next byte */
	long rec_line, rec_end_line, quote_line;

	/* the record being built: field bytes, each followed by a NUL */
	char *raw;
	size_t raw_len, raw_cap;
	size_t *starts; /* start offset of each field in raw */
	size_t n_fields, starts_cap;
	int rec_high;     /* a byte >= 0x80 seen */
	int rec_nul;      /* a NUL byte seen */
	int rec_overflow; /* 1: too many bytes, 2: too many fields */
	size_t cur_start; /* offset in raw of the field being built */
	struct sb utf;    /* the converted record (GBK input) */
	const char **fields;
	size_t *lens;
	size_t fields_cap;
};

/* Readers over a borrowed source: csv_release() does not close fd or fp, and
 * buf must outlive the reader. opts may be NULL for the defaults. No allocation
 * happens until the first csv_next(). */
void csv_init_fd(struct csv *c, int fd, const struct csv_opts *opts);
void csv_init_file(struct csv *c, FILE *fp, const struct csv_opts *opts);
void csv_init_mem(struct csv *c, const void *buf, size_t n, const struct csv_opts *opts);

/* Next record into *rec: 1 = a record, 0 = end of input, < 0 = an error (see
 * the top of this file; rec->line names the record at fault). */
int csv_next(struct csv *c, struct csv_record *rec, struct err *err) WUR;

/* The sticky fatal error code (ERR_IO, ERR_NOMEM, ERR_INVALID for a non-CSV
 * file), or 0 while per-record errors are all there has been. */
int csv_fatal(const struct csv *c);

/* TEXT_ASCII while only ASCII has been seen, else TEXT_UTF8, TEXT_UTF8_BOM or TEXT_GBK. */
enum text_enc csv_encoding(const struct csv *c);
/* "ascii", "utf-8", "utf-8-bom" or "gbk". */
const char *csv_encoding_name(enum text_enc enc);

/* Frees the buffers; the source stays open. The reader may be re-initialised. */
void csv_release(struct csv *c);

/* Field i of rec, or "" when the record is shorter (i < 0 included), so a
 * header-mapped column that is absent or missing from a short row reads as empty. */
const char *csv_field(const struct csv_record *rec, int i);

/*
 * Cleaning the spreadsheet-protection quirks of exported values. Kept apart
 * from the reader so the raw value stays available. In order:
 *   1. trim ASCII spaces, tabs, CR, LF, full-width spaces (U+3000), NBSP
 *      (U+00A0) and stray BOMs (U+FEFF) on both sides (this also covers a
 *      tab-prefixed number, "\t2026111100012345678");
 *   2. unwrap ="…" (Excel's "keep as text" formula), then trim again;
 *   3. drop one leading apostrophe ('13812345678), then trim again.
 * The result is always a substring of the input.
 */
/* Cleans s[0..n): returns the cleaned length and sets *start to its offset in s. */
size_t csv_clean_span(const char *s, size_t n, size_t *start);
/* Appends the cleaned field to out (sb_reset() it first to replace). */
void csv_clean(const char *field, struct sb *out);

/*
 * Header mapping: columns are found by name, never by position.
 */
struct csv_column {
	const char *name;           /* canonical name, as in the export: "订单编号" */
	int required;               /* 1: the file must have it */
	const char *const *aliases; /* other accepted names, NULL-terminated; or NULL */
};

/* For each of the n_cols wanted columns sets idx[i] to its index in header,
 * or -1 when absent. Header cells are cleaned (csv_clean: spaces, BOM, ="…")
 * and compared exactly, ASCII letters case-insensitively; when a name occurs
 * twice the first occurrence wins. Unknown columns are ignored. Returns 0, or
 * ERR_UNPROCESSABLE naming every missing required column in one message. */
int csv_map_header(const struct csv_record *header, const struct csv_column *cols,
		   size_t n_cols, int *idx, struct err *err) WUR;

#endif
