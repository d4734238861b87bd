#include "lib/gbk.h"

#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "lib/sb.h"
#include "lib/utf8.h"
#include "lib/common.h"

/*
 * We decode as GB18030 rather than GBK: it is a strict superset (every GBK
 * sequence means the same thing) and also covers the four-byte sequences that
 * newer Windows exports use for rare characters in names and addresses. GBK is
 * only the fallback for a libc that lacks the GB18030 table.
 */
#define GBK_FIELD "encoding"

enum text_enc text_detect(const char *buf, size_t n)
{
	if (n >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		return TEXT_UTF8_BOM;
	size_t i = 0;
	while (i < n && (unsigned char)buf[i] < 0x80)
		i++;
	if (i == n)
		return TEXT_ASCII;
	/* GBK text is almost never valid UTF-8 by accident: its lead bytes
	 * 0x81-0xFE are followed by a second byte that is usually not 80-BF. */
	if (utf8_valid(buf, n))
		return TEXT_UTF8;
	return TEXT_GBK;
}

/* One decoder per thread, opened on first use and reset before each call:
 * iconv_open() loads and parses the charset module, which costs more than
 * converting a whole CSV record. A thread-specific key closes it when the
 * thread ends. */
static pthread_key_t cd_key;
static pthread_once_t cd_once = PTHREAD_ONCE_INIT;

static void cd_close(void *p)
{
	iconv_close((iconv_t)p);
}

static void cd_key_make(void)
{
	if (pthread_key_create(&cd_key, cd_close))
		BUG("pthread_key_create");
}

static iconv_t open_decoder(void)
{
	pthread_once(&cd_once, cd_key_make);
	iconv_t cd = (iconv_t)pthread_getspecific(cd_key);
	if (cd) {
		iconv(cd, NULL, NULL, NULL, NULL);
		return cd;
	}
	cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		cd = iconv_open("UTF-8", "GBK");
	if (cd != (iconv_t)-1 && pthread_setspecific(cd_key, cd)) {
		iconv_close(cd);
		cd = (iconv_t)-1;
	}
	return cd;
}

static int sb_failure(const struct sb *out, struct err *err)
{
	if (out->err == ERR_TOO_LARGE)
		return err_set(err, ERR_TOO_LARGE, GBK_FIELD, "文本超过长度上限",
			       "text exceeds the size limit");
	return err_set(err, ERR_NOMEM, GBK_FIELD, "内存不足", "out of memory");
}

static int bad_byte(size_t offset, int truncated, struct err *err)
{
	if (truncated)
		return err_setf(err, ERR_INVALID, GBK_FIELD,
				"GBK 文本在第 %zu 字节处被截断", "truncated GBK text at byte offset %zu",
				offset);
	return err_setf(err, ERR_INVALID, GBK_FIELD, "GBK 编码无效，位于第 %zu 字节",
			"invalid GBK byte at byte offset %zu", offset);
}

/*
 * The fast path. Seller exports are ASCII and two-byte characters; iconv
 * spends ~40 instructions a byte on them (a fifth of an import's parsing).
 * Two-byte GB18030 is stateless, one character per pair, so a table of every
 * pair filled once by the same iconv decoder gives the same characters.
 * Anything the table does not answer -- a four-byte sequence, a byte that is
 * no lead, a pair iconv rejects, the end of the input inside a character --
 * hands the rest of the input to iconv at that character boundary, so the
 * output and the errors (with their offsets) stay exactly iconv's.
 */
#define PAIR_LEADS 126  /* 0x81..0xFE */
#define PAIR_TRAILS 191 /* 0x40..0xFE (0x7F is never a trail: no entry) */

static uint16_t pair_cp[PAIR_LEADS * PAIR_TRAILS]; /* 0: ask iconv */
static pthread_once_t pair_once = PTHREAD_ONCE_INIT;

static void pair_build(void)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1)
		cd = iconv_open("UTF-8", "GBK");
	if (cd == (iconv_t)-1)
		return; /* every pair asks iconv, which then reports the failure */
	for (unsigned lead = 0x81; lead <= 0xFE; lead++) {
		for (unsigned trail = 0x40; trail <= 0xFE; trail++) {
			char in[2] = { (char)lead, (char)trail }, u[8];
			char *ip = in, *op = u;
			size_t il = 2, ol = sizeof u;
			iconv(cd, NULL, NULL, NULL, NULL);
			if (trail == 0x7F || iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || il)
				continue;
			const unsigned char *b = (const unsigned char *)u;
			size_t len = (size_t)(op - u);
			uint32_t cp = 0;
			if (len == 2 && (b[0] & 0xE0) == 0xC0)
				cp = (uint32_t)(b[0] & 0x1F) << 6 | (b[1] & 0x3F);
			else if (len == 3 && (b[0] & 0xF0) == 0xE0)
				cp = (uint32_t)(b[0] & 0x0F) << 12 | (uint32_t)(b[1] & 0x3F) << 6 |
				     (b[2] & 0x3F);
			/* a pair that is not one two- or three-byte character stays with iconv */
			pair_cp[(lead - 0x81) * PAIR_TRAILS + (trail - 0x40)] = (uint16_t)(cp >= 0x80 ? cp : 0);
		}
	}
	iconv_close(cd);
}

/* Converts in[0..n) up to the first byte the table cannot answer, appending
 * to out in chunks; returns the bytes consumed (a character boundary). */
static size_t fast_prefix(const unsigned char *in, size_t n, struct sb *out)
{
	char chunk[1024];
	size_t o = 0, i = 0;

	pthread_once(&pair_once, pair_build);
	while (i < n) {
		if (o > sizeof chunk - 4) {
			sb_add(out, chunk, o);
			o = 0;
		}
		unsigned char b = in[i];
		if (b < 0x80) {
			chunk[o++] = (char)b;
			i++;
			continue;
		}
		if (b == 0x80 || b == 0xFF || i + 1 >= n || in[i + 1] < 0x40 || in[i + 1] == 0xFF)
			break;
		uint32_t cp = pair_cp[(b - 0x81) * PAIR_TRAILS + (in[i + 1] - 0x40)];
		if (!cp)
			break;
		if (cp < 0x800) {
			chunk[o++] = (char)(0xC0 | cp >> 6);
		} else {
			chunk[o++] = (char)(0xE0 | cp >> 12);
			chunk[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
		}
		chunk[o++] = (char)(0x80 | (cp & 0x3F));
		i += 2;
	}
	sb_add(out, chunk, o);
	return i;
}

int gbk_to_utf8(const char *in, size_t n, struct sb *out, struct err *err)
{
	char chunk[1024];
	size_t done = fast_prefix((const unsigned char *)in, n, out);
	/* iconv's prototype is not const-correct; it never writes the input. */
	char *ip = (char *)in + done;
	size_t left = n - done;
	int rc = 0;

	if (out->err)
		return sb_failure(out, err);
	if (!left)
		return 0;
	iconv_t cd = open_decoder();
	if (cd == (iconv_t)-1)
		return err_set(err, ERR_INTERNAL, GBK_FIELD, "系统不支持 GBK 转换",
			       "GBK conversion is not available");
	while (left > 0) {
		char *op = chunk;
		size_t room = sizeof chunk;
		size_t r = iconv(cd, &ip, &left, &op, &room);
		int saved = errno;
		/* Flush first: on a bad byte, out keeps everything before it. */
		sb_add(out, chunk, (size_t)(op - chunk));
		if (out->err) {
			rc = sb_failure(out, err);
			goto out;
		}
		if (r != (size_t)-1 || saved == E2BIG)
			continue;
		rc = bad_byte(n - left, saved == EINVAL, err);
		goto out;
	}
out:
	return rc;
}
