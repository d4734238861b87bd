#include "lib/gbk.h"

#include <errno.h>
#include <iconv.h>
#include <pthread.h>
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

int gbk_to_utf8(const char *in, size_t n, struct sb *out, struct err *err)
{
	char chunk[1024];
	/* iconv's prototype is not const-correct; it never writes the input. */
	char *ip = (char *)in;
	size_t left = n;
	int rc = 0;

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
