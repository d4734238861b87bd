#include "io/csv.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "lib/sb.h"
#include "lib/utf8.h"
#include "lib/xalloc.h"
#include "lib/common.h"

/*
 * Design
 * ------
 * One chunk buffer, refilled with a single read; a byte-level state machine
 * whose state survives refills, so a record (and a quoted field, and a CRLF)
 * may straddle any number of chunk boundaries; and one record buffer (raw) that
 * receives the unescaped field bytes, each field followed by a NUL.
 *
 * The scanner works on the raw bytes whatever the encoding. That is safe for
 * GBK/GB18030 because the four bytes it looks for -- 0x0A LF, 0x0D CR, 0x22 '"'
 * and 0x2C ',' -- never occur inside a multi-byte character: GBK trail bytes
 * are 0x40-0xFE and GB18030's four-byte forms use 0x30-0x39 and 0x81-0xFE.
 * A character split across two chunks is simply appended in two pieces, and
 * conversion to UTF-8 happens only once the whole record is in raw, so iconv
 * never sees half a character. UTF-8 has the same property (every byte of a
 * multi-byte sequence is >= 0x80).
 *
 * Memory: chunk_size + at most record_max for raw, 1.5 x record_max for the
 * converted record (GBK's two bytes become at most three), and the field
 * tables, bounded by fields_max. A record over the cap is scanned to its end
 * without storing it, then reported; the scanner is then back in step.
 */

enum {
	ST_REC_START,    /* between records */
	ST_FIELD_START,  /* at the first byte of a field */
	ST_UNQUOTED,     /* inside an unquoted field */
	ST_QUOTED,       /* inside a quoted field */
	ST_QUOTED_QUOTE, /* a quote inside a quoted field: "" or the closing one */
};

enum { OVERFLOW_BYTES = 1, OVERFLOW_FIELDS = 2 };

#define SCAN_RECORD 1 /* scan(): a record is complete */
#define FINISH_SKIP 1 /* finish_record(): an all-empty record, read on */
#define CSV_FIELD "csv"

/* ------------------------------------------------------------------------ */
/* Set-up */

static void init_common(struct csv *c, enum csv_src src, const struct csv_opts *opts)
{
	memset(c, 0, sizeof *c);
	c->src = src;
	c->fd = -1;
	if (opts)
		c->opts = *opts;
	if (!c->opts.chunk_size)
		c->opts.chunk_size = CSV_CHUNK_DEFAULT;
	if (c->opts.chunk_size < CSV_CHUNK_MIN)
		c->opts.chunk_size = CSV_CHUNK_MIN;
	if (!c->opts.record_max)
		c->opts.record_max = CSV_RECORD_MAX_DEFAULT;
	if (!c->opts.fields_max)
		c->opts.fields_max = CSV_FIELDS_MAX_DEFAULT;
	c->enc = TEXT_ASCII;
	c->line = 1;
	c->state = ST_REC_START;
	/* GBK -> UTF-8 grows text by at most half (2 bytes -> 3). */
	sb_init(&c->utf, c->opts.record_max + c->opts.record_max / 2 + 16);
}

void csv_init_fd(struct csv *c, int fd, const struct csv_opts *opts)
{
	init_common(c, CSV_SRC_FD, opts);
	c->fd = fd;
}

void csv_init_file(struct csv *c, FILE *fp, const struct csv_opts *opts)
{
	init_common(c, CSV_SRC_FILE, opts);
	c->fp = fp;
}

void csv_init_mem(struct csv *c, const void *buf, size_t n, const struct csv_opts *opts)
{
	init_common(c, CSV_SRC_MEM, opts);
	c->mem = buf;
	c->mem_len = n;
}

void csv_release(struct csv *c)
{
	xfree(c->buf);
	xfree(c->raw);
	xfree(c->starts);
	xfree(c->fields);
	xfree(c->lens);
	sb_release(&c->utf);
	c->buf = c->raw = NULL;
	c->starts = c->lens = NULL;
	c->fields = NULL;
	c->buf_len = c->buf_pos = c->raw_len = c->raw_cap = 0;
	c->starts_cap = c->fields_cap = c->n_fields = 0;
}

int csv_fatal(const struct csv *c)
{
	return c->fatal.code;
}

enum text_enc csv_encoding(const struct csv *c)
{
	return c->enc;
}

const char *csv_encoding_name(enum text_enc enc)
{
	switch (enc) {
	case TEXT_ASCII:
		return "ascii";
	case TEXT_UTF8:
		return "utf-8";
	case TEXT_UTF8_BOM:
		return "utf-8-bom";
	case TEXT_GBK:
		return "gbk";
	}
	return "unknown";
}

const char *csv_field(const struct csv_record *rec, int i)
{
	if (i < 0 || (size_t)i >= rec->n)
		return "";
	return rec->fields[i];
}

/* ------------------------------------------------------------------------ */
/* Errors */

/* A fatal error: remembered, so every later call reports it again. */
static int set_fatal(struct csv *c, struct err *err, int code, const char *zh, const char *en)
{
	err_set(&c->fatal, code, CSV_FIELD, zh, en);
	return err_set(err, code, CSV_FIELD, zh, en);
}

static int nomem(struct csv *c, struct err *err)
{
	return set_fatal(c, err, ERR_NOMEM, "内存不足", "out of memory");
}

/* ------------------------------------------------------------------------ */
/* Input */

/* One read of up to want bytes into buf + buf_len. 0 with nothing added = end. */
static int read_some(struct csv *c, size_t want, size_t *got, struct err *err)
{
	char *dst = c->buf + c->buf_len;
	ssize_t n;

	*got = 0;
	switch (c->src) {
	case CSV_SRC_MEM:
		n = (ssize_t)(c->mem_len - c->mem_pos < want ? c->mem_len - c->mem_pos : want);
		if (n > 0) /* mem may be NULL when empty */
			memcpy(dst, c->mem + c->mem_pos, (size_t)n);
		c->mem_pos += (size_t)n;
		break;
	case CSV_SRC_FILE:
		n = (ssize_t)fread(dst, 1, want, c->fp);
		if (n == 0 && ferror(c->fp))
			return set_fatal(c, err, ERR_IO, "读取文件失败", "failed to read the file");
		break;
	case CSV_SRC_FD:
	default:
		do
			n = read(c->fd, dst, want);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			int e = errno;
			struct err tmp = ERR_INIT;
			err_setf(&tmp, ERR_IO, CSV_FIELD, "读取文件失败：%s", "failed to read the file: %s",
				 strerror(e));
			return set_fatal(c, err, ERR_IO, tmp.msg_zh, tmp.msg_en);
		}
		break;
	}
	*got = (size_t)n;
	c->buf_len += (size_t)n;
	if (n == 0)
		c->eof = 1;
	return 0;
}

/* Refills the chunk buffer with one read. Leaves buf_len 0 at end of input. */
static int refill(struct csv *c, struct err *err)
{
	size_t got;

	c->buf_pos = c->buf_len = 0;
	if (c->eof)
		return 0;
	return read_some(c, c->opts.chunk_size, &got, err);
}

/* Length of s[0..n) without a trailing UTF-8 sequence cut short by the chunk end. */
static size_t utf8_whole_prefix(const unsigned char *s, size_t n)
{
	for (size_t back = 1; back <= 3 && back <= n; back++) {
		unsigned char b = s[n - back];
		if (b < 0x80)
			return n;
		if (b >= 0xC0) {
			size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
			return need > back ? n - back : n;
		}
	}
	return n;
}

/*
 * text_detect calls anything that is not valid UTF-8 GBK. A UTF-8 file with a
 * corrupt byte or two would then be decoded as GBK throughout; so when the
 * text is overwhelmingly well-formed UTF-8 (at least four valid multi-byte
 * sequences per bad byte) we keep UTF-8 and let the bad records fail on their
 * own. GBK text rarely forms valid UTF-8 sequences: most of its trail bytes
 * are not UTF-8 continuation bytes.
 */
static enum text_enc decide(const char *s, size_t n)
{
	enum text_enc enc = text_detect(s, n);
	const unsigned char *p = (const unsigned char *)s;
	size_t good = 0, bad = 0;

	if (enc != TEXT_GBK)
		return enc;
	for (size_t i = 0; i < n;) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		size_t len = p[i] >= 0xF0 ? 4 : p[i] >= 0xE0 ? 3 : 2;
		if (i + len <= n && utf8_valid(s + i, len)) {
			good++;
			i += len;
		} else {
			bad++;
			i++;
		}
	}
	return good >= 4 * bad ? TEXT_UTF8 : TEXT_GBK;
}

/* The first chunk: file signatures, BOM and the encoding decision. */
static int start(struct csv *c, struct err *err)
{
	const unsigned char *b;
	size_t got;
	int rc;

	c->started = 1;
	c->buf = xmalloc(c->opts.chunk_size);
	if (!c->buf)
		return nomem(c, err);
	/* Fill the whole first chunk (pipes return short reads), so the
	 * decision below sees as much text as a chunk holds. */
	while (c->buf_len < c->opts.chunk_size && !c->eof) {
		rc = read_some(c, c->opts.chunk_size - c->buf_len, &got, err);
		if (rc)
			return rc;
	}
	b = (const unsigned char *)c->buf;
	if (c->buf_len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)))
		return set_fatal(c, err, ERR_INVALID, "文件是 UTF-16 编码（Unicode 文本），请另存为 CSV（UTF-8 或 GBK）",
				 "the file is UTF-16 (Unicode text): save it as CSV in UTF-8 or GBK");
	if (c->buf_len >= 4 && memcmp(b, "PK\x03\x04", 4) == 0)
		return set_fatal(c, err, ERR_INVALID, "文件是 Excel 工作簿（.xlsx），不是 CSV，请另存为 CSV",
				 "the file is an Excel workbook (.xlsx), not CSV: save it as CSV");
	if (c->buf_len >= 4 && memcmp(b, "\xD0\xCF\x11\xE0", 4) == 0)
		return set_fatal(c, err, ERR_INVALID, "文件是 Excel 97-2003 工作簿（.xls），不是 CSV，请另存为 CSV",
				 "the file is an Excel 97-2003 workbook (.xls), not CSV: save it as CSV");
	if (c->buf_len >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0) {
		c->enc = TEXT_UTF8_BOM;
		c->buf_pos = 3;
		return 0;
	}
	/* Decide on a prefix cut at a line boundary, so a character split by the
	 * chunk end cannot make UTF-8 look like GBK. Without any line end in the
	 * chunk, drop a trailing incomplete UTF-8 sequence instead. */
	size_t n = c->buf_len;
	if (!c->eof) {
		size_t k = n;
		while (k > 0 && b[k - 1] != '\n' && b[k - 1] != '\r')
			k--;
		n = k ? k : utf8_whole_prefix(b, n);
	}
	enum text_enc enc = decide(c->buf, n);
	if (enc == TEXT_UTF8 || enc == TEXT_GBK)
		c->enc = enc;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* Building a record */

static void rec_begin(struct csv *c, long line)
{
	c->rec_line = line;
	c->raw_len = 0;
	c->cur_start = 0;
	c->n_fields = 0;
	c->rec_high = c->rec_nul = c->rec_overflow = 0;
}

/* Room for n more bytes in raw plus the field's NUL; marks overflow past the cap. */
static int raw_room(struct csv *c, size_t n)
{
	size_t need = c->raw_len + n + 1;

	if (need > c->opts.record_max) {
		c->rec_overflow = OVERFLOW_BYTES;
		return 0;
	}
	if (need <= c->raw_cap)
		return 1;
	size_t cap = c->raw_cap ? c->raw_cap : 256;
	while (cap < need)
		cap *= 2;
	if (cap > c->opts.record_max)
		cap = c->opts.record_max;
	char *p = xrealloc(c->raw, cap);
	if (!p)
		return -1;
	c->raw = p;
	c->raw_cap = cap;
	return 1;
}

/* Byte classes for the scanner's inner loops. */
#define CL_STOP_UNQUOTED 1 /* ',' CR LF end a run in an unquoted field */
#define CL_STOP_QUOTED 2   /* '"' CR LF end a run in a quoted field */
#define CL_NUL 4
#define CL_HIGH 8

static const unsigned char byte_class[256] = {
	[0] = CL_NUL,
	['\n'] = CL_STOP_UNQUOTED | CL_STOP_QUOTED,
	['\r'] = CL_STOP_UNQUOTED | CL_STOP_QUOTED,
	[','] = CL_STOP_UNQUOTED,
	['"'] = CL_STOP_QUOTED,
	[0x80 ... 0xFF] = CL_HIGH,
};

/* Appends field bytes whose classes, or-ed, are cls; -1 only when out of memory. */
static int raw_add(struct csv *c, const unsigned char *p, size_t n, unsigned cls)
{
	if (c->rec_overflow)
		return 0;
	int r = raw_room(c, n);
	if (r <= 0)
		return r;
	if (cls & CL_HIGH)
		c->rec_high = 1;
	if (cls & CL_NUL)
		c->rec_nul = 1;
	memcpy(c->raw + c->raw_len, p, n);
	c->raw_len += n;
	return 0;
}

static int field_end(struct csv *c)
{
	if (c->rec_overflow)
		return 0;
	if (c->n_fields >= c->opts.fields_max) {
		c->rec_overflow = OVERFLOW_FIELDS;
		return 0;
	}
	int r = raw_room(c, 0);
	if (r <= 0)
		return r;
	if (c->n_fields == c->starts_cap) {
		size_t cap = c->starts_cap ? c->starts_cap * 2 : 64;
		size_t *s = xrealloc(c->starts, cap * sizeof *s);
		if (!s)
			return -1;
		c->starts = s;
		c->starts_cap = cap;
	}
	c->starts[c->n_fields++] = c->cur_start;
	c->raw[c->raw_len++] = '\0';
	c->cur_start = c->raw_len;
	return 0;
}

/* ------------------------------------------------------------------------ */
/* The scanner */

/*
 * Consumes buffered bytes until a record ends (SCAN_RECORD) or the buffer is
 * used up (0); -1 when out of memory. Line counting: CRLF, LF and a bare CR
 * each end one physical line; `here` is the line of the byte being read.
 */
static int scan(struct csv *c)
{
	const unsigned char *p = (const unsigned char *)c->buf + c->buf_pos;
	const unsigned char *end = (const unsigned char *)c->buf + c->buf_len;
	int st = c->state, rc = 0;

	while (p < end) {
		unsigned char b = *p;
		long here = c->line;

		/* Runs of ordinary bytes go to raw in one piece. */
		if (st == ST_UNQUOTED || st == ST_QUOTED) {
			unsigned stop = st == ST_UNQUOTED ? CL_STOP_UNQUOTED : CL_STOP_QUOTED;
			unsigned cls = 0;
			const unsigned char *q = p;
			while (q < end && !(byte_class[*q] & stop))
				cls |= byte_class[*q++];
			if (q > p) {
				c->cr_pending = 0;
				if (raw_add(c, p, (size_t)(q - p), cls))
					goto nomem;
				p = q;
				continue;
			}
		}

		p++;
		if (b == '\n') {
			if (!c->cr_pending)
				c->line++;
			c->cr_pending = 0;
		} else if (b == '\r') {
			c->line++;
			c->cr_pending = 1;
		} else {
			c->cr_pending = 0;
		}
		int eol = b == '\n' || b == '\r';

		switch (st) {
		case ST_REC_START:
			if (eol)
				continue; /* a blank line, or the LF of a CRLF */
			rec_begin(c, here);
			/* this byte starts the first field */
			__attribute__((fallthrough));
		case ST_FIELD_START:
			if (b == '"') {
				st = ST_QUOTED;
				c->quote_line = here;
				continue;
			}
			if (b == ',' || eol)
				break; /* an empty field */
			st = ST_UNQUOTED;
			if (raw_add(c, &b, 1, byte_class[b]))
				goto nomem;
			continue;
		case ST_UNQUOTED:
			break; /* only ',' and line ends get here */
		case ST_QUOTED:
			if (b == '"') {
				st = ST_QUOTED_QUOTE;
				continue;
			}
			if (raw_add(c, &b, 1, byte_class[b])) /* CR or LF inside quotes is data */
				goto nomem;
			continue;
		case ST_QUOTED_QUOTE:
			if (b == '"') {
				st = ST_QUOTED;
				if (raw_add(c, &b, 1, byte_class[b]))
					goto nomem;
				continue;
			}
			if (b == ',' || eol)
				break;
			/* text after the closing quote: keep it, as spreadsheets do */
			st = ST_UNQUOTED;
			if (raw_add(c, &b, 1, byte_class[b]))
				goto nomem;
			continue;
		default:
			BUG("csv: bad scanner state");
		}

		/* b is ',' or a line end: the field is complete. */
		if (field_end(c))
			goto nomem;
		if (b == ',') {
			st = ST_FIELD_START;
			continue;
		}
		st = ST_REC_START;
		c->rec_end_line = here;
		rc = SCAN_RECORD;
		break;
	}
	c->buf_pos = (size_t)(p - (const unsigned char *)c->buf);
	c->state = st;
	return rc;
nomem:
	c->buf_pos = (size_t)(p - (const unsigned char *)c->buf);
	c->state = st;
	return -1;
}

/* ------------------------------------------------------------------------ */
/* Handing out a record */

static int ensure_field_tables(struct csv *c)
{
	if (c->n_fields <= c->fields_cap)
		return 0;
	size_t cap = c->fields_cap ? c->fields_cap : 64;
	while (cap < c->n_fields)
		cap *= 2;
	const char **f = xrealloc(c->fields, cap * sizeof *f);
	if (!f)
		return -1;
	c->fields = f;
	size_t *l = xrealloc(c->lens, cap * sizeof *l);
	if (!l)
		return -1;
	c->lens = l;
	c->fields_cap = cap;
	return 0;
}

/* utf8_valid over the non-ASCII stretches only: no UTF-8 sequence contains an
 * ASCII byte, so a stretch between ASCII bytes is checked on its own. */
static int valid_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	while (p < end) {
		while (p < end && *p < 0x80)
			p++;
		const unsigned char *q = p;
		while (q < end && *q >= 0x80)
			q++;
		if (q > p && !utf8_valid((const char *)p, (size_t)(q - p)))
			return 0;
		p = q;
	}
	return 1;
}

/* 0 with *rec filled, FINISH_SKIP for an all-empty record, or an error. */
static int finish_record(struct csv *c, struct csv_record *rec, struct err *err)
{
	const char *data = c->raw;
	size_t len = c->raw_len;

	rec->line = c->rec_line;
	rec->end_line = c->rec_end_line;
	if (c->rec_overflow == OVERFLOW_BYTES)
		return err_setf(err, ERR_TOO_LARGE, CSV_FIELD,
				"第 %ld 行起的记录超过 %zu 字节上限，已跳过",
				"the record starting on line %ld exceeds the %zu-byte limit; skipped",
				c->rec_line, c->opts.record_max);
	if (c->rec_overflow == OVERFLOW_FIELDS)
		return err_setf(err, ERR_TOO_LARGE, CSV_FIELD,
				"第 %ld 行起的记录超过 %zu 列上限，已跳过",
				"the record starting on line %ld has more than %zu fields; skipped",
				c->rec_line, c->opts.fields_max);
	if (len == c->n_fields)
		return FINISH_SKIP; /* every field empty */
	if (c->rec_nul)
		return err_setf(err, ERR_INVALID, CSV_FIELD, "第 %ld 行含有 NUL 字节，已跳过",
				"line %ld contains a NUL byte; skipped", c->rec_line);
	if (c->rec_high) {
		if (c->enc == TEXT_ASCII) /* the first non-ASCII text decides */
			c->enc = decide(c->raw, c->raw_len);
		if (c->enc == TEXT_GBK) {
			struct err conv = ERR_INIT;
			sb_reset(&c->utf);
			if (gbk_to_utf8(c->raw, c->raw_len, &c->utf, &conv)) {
				size_t max = c->utf.max;
				sb_release(&c->utf); /* clears the builder's sticky error */
				sb_init(&c->utf, max);
				if (conv.code == ERR_NOMEM || conv.code == ERR_INTERNAL)
					return set_fatal(c, err, conv.code, conv.msg_zh, conv.msg_en);
				return err_setf(err, ERR_INVALID, CSV_FIELD,
						"第 %ld 行含有无效的 GBK 字节，已跳过",
						"line %ld contains invalid GBK bytes; skipped", c->rec_line);
			}
			data = c->utf.buf;
			len = c->utf.len;
		} else if (!valid_utf8(c->raw, c->raw_len)) {
			return err_setf(err, ERR_INVALID, CSV_FIELD,
					"第 %ld 行含有无效的 UTF-8 字节，已跳过",
					"line %ld contains invalid UTF-8 bytes; skipped", c->rec_line);
		}
	}
	if (ensure_field_tables(c))
		return nomem(c, err);
	if (data == c->raw) {
		for (size_t i = 0; i < c->n_fields; i++) {
			size_t next = i + 1 < c->n_fields ? c->starts[i + 1] : c->raw_len;
			c->fields[i] = c->raw + c->starts[i];
			c->lens[i] = next - c->starts[i] - 1;
		}
	} else {
		/* Converted text: fields are NUL-separated (no NUL inside a field:
		 * checked above, and conversion maps NUL to NUL and nothing else to it). */
		const char *p = data, *stop = data + len;
		for (size_t i = 0; i < c->n_fields; i++) {
			const char *z = memchr(p, '\0', (size_t)(stop - p));
			if (!z)
				BUG("csv: field separators lost");
			c->fields[i] = p;
			c->lens[i] = (size_t)(z - p);
			p = z + 1;
		}
	}
	rec->fields = c->fields;
	rec->lens = c->lens;
	rec->n = c->n_fields;
	return 0;
}

int csv_next(struct csv *c, struct csv_record *rec, struct err *err)
{
	int rc;

	memset(rec, 0, sizeof *rec);
	if (c->fatal.code)
		return err_set(err, c->fatal.code, c->fatal.field, c->fatal.msg_zh, c->fatal.msg_en);
	if (!c->started) {
		rc = start(c, err);
		if (rc)
			return rc;
	}
	for (;;) {
		if (c->buf_pos == c->buf_len) {
			if (c->eof) {
				/* End of input: close the open field and record. */
				int st = c->state;
				if (st == ST_REC_START)
					return 0;
				c->state = ST_REC_START;
				rec->line = c->rec_line;
				rec->end_line = c->line;
				if (st == ST_QUOTED)
					return err_setf(err, ERR_INVALID, CSV_FIELD,
							"第 %ld 行开始的引号字段直到文件末尾都没有闭合（记录从第 %ld 行开始）",
							"the quoted field opened on line %ld is never closed "
							"(record starting on line %ld)",
							c->quote_line, c->rec_line);
				if (field_end(c))
					return nomem(c, err);
				c->rec_end_line = c->line;
			} else {
				rc = refill(c, err);
				if (rc)
					return rc;
				continue;
			}
		} else {
			rc = scan(c);
			if (rc < 0)
				return nomem(c, err);
			if (rc != SCAN_RECORD)
				continue;
		}
		rc = finish_record(c, rec, err);
		if (rc == FINISH_SKIP)
			continue;
		return rc ? rc : 1;
	}
}

/* ------------------------------------------------------------------------ */
/* Cleaning */

/* Byte length of a blank character at s[0..n), or 0. */
static size_t blank_at(const unsigned char *s, size_t n)
{
	if (n >= 1 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n'))
		return 1;
	if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0) /* U+00A0 no-break space */
		return 2;
	if (n >= 3 && ((s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) ||  /* U+3000 */
		       (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)))   /* U+FEFF */
		return 3;
	return 0;
}

/* Byte length of a blank character ending at s[n), or 0. */
static size_t blank_before(const unsigned char *s, size_t n)
{
	for (size_t k = 1; k <= 3 && k <= n; k++)
		if (blank_at(s + n - k, k) == k)
			return k;
	return 0;
}

static void trim(const unsigned char *s, size_t *a, size_t *b)
{
	size_t k;

	while (*a < *b && (k = blank_at(s + *a, *b - *a)) > 0)
		*a += k;
	while (*b > *a && (k = blank_before(s + *a, *b - *a)) > 0)
		*b -= k;
}

size_t csv_clean_span(const char *str, size_t n, size_t *start)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t a = 0, b = n;

	trim(s, &a, &b);
	if (b - a >= 3 && s[a] == '=' && s[a + 1] == '"' && s[b - 1] == '"') {
		a += 2;
		b -= 1;
		trim(s, &a, &b);
	}
	if (b - a >= 1 && s[a] == '\'') {
		a += 1;
		trim(s, &a, &b);
	}
	*start = a;
	return b - a;
}

void csv_clean(const char *field, struct sb *out)
{
	size_t start;
	size_t n = csv_clean_span(field, strlen(field), &start);

	sb_add(out, field + start, n);
}

/* ------------------------------------------------------------------------ */
/* Header mapping */

static int name_eq(const char *a, size_t an, const char *b)
{
	size_t bn = strlen(b);

	if (an != bn)
		return 0;
	for (size_t i = 0; i < an; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return 1;
}

static int column_matches(const struct csv_column *col, const char *cell, size_t n)
{
	if (name_eq(cell, n, col->name))
		return 1;
	for (const char *const *a = col->aliases; a && *a; a++)
		if (name_eq(cell, n, *a))
			return 1;
	return 0;
}

/* Room left for names in a 256-byte message after its fixed text. */
#define MISSING_LIST_MAX 160

int csv_map_header(const struct csv_record *header, const struct csv_column *cols,
		   size_t n_cols, int *idx, struct err *err)
{
	struct sb zh = SB_INIT, en = SB_INIT;
	size_t missing = 0, listed = 0;

	for (size_t i = 0; i < n_cols; i++) {
		idx[i] = -1;
		for (size_t j = 0; header && j < header->n && j <= INT32_MAX; j++) {
			size_t start;
			size_t n = csv_clean_span(header->fields[j], header->lens[j], &start);
			if (column_matches(&cols[i], header->fields[j] + start, n)) {
				idx[i] = (int)j;
				break;
			}
		}
		if (idx[i] >= 0 || !cols[i].required)
			continue;
		missing++;
		/* Whole names only, so the message never ends in half a character. */
		if (zh.len + strlen(cols[i].name) + 3 > MISSING_LIST_MAX)
			continue;
		sb_adds(&zh, listed ? "、" : "");
		sb_adds(&zh, cols[i].name);
		sb_adds(&en, listed ? ", " : "");
		sb_adds(&en, cols[i].name);
		listed++;
	}
	if (!missing) {
		sb_release(&zh);
		sb_release(&en);
		return 0;
	}
	if (listed < missing) {
		sb_addf(&zh, " 等 %zu 列", missing);
		sb_addf(&en, " and %zu more", missing - listed);
	}
	struct sb zh_msg = SB_INIT, en_msg = SB_INIT;
	sb_addf(&zh_msg, "缺少必需的列：%s", zh.buf);
	sb_addf(&en_msg, "missing required columns: %s", en.buf);
	int rc = err_set(err, ERR_UNPROCESSABLE, "header",
			 zh.err || zh_msg.err ? "缺少必需的列" : zh_msg.buf,
			 en.err || en_msg.err ? "missing required columns" : en_msg.buf);
	sb_release(&zh);
	sb_release(&en);
	sb_release(&zh_msg);
	sb_release(&en_msg);
	return rc;
}
