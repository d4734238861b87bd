/*
 * gbk.h - GBK (GB18030) input to UTF-8, through glibc's iconv.
 *
 * Seller-center exports are GBK; everything inside the program is UTF-8.
 * text_detect decides by content: a UTF-8 BOM, else valid UTF-8 containing
 * multi-byte sequences or pure ASCII, else GBK.
 */
#ifndef LIB_GBK_H
#define LIB_GBK_H

#include <stddef.h>

#include "lib/err.h"

struct sb;

enum text_enc { TEXT_ASCII, TEXT_UTF8, TEXT_UTF8_BOM, TEXT_GBK };

enum text_enc text_detect(const char *buf, size_t n);

/* Appends the UTF-8 form of GBK bytes in[0..n) to out. Invalid or truncated
 * sequences fail with ERR_INVALID and a message naming the byte offset;
 * out then holds the text converted before the bad byte. */
int gbk_to_utf8(const char *in, size_t n, struct sb *out, struct err *err) WUR;

#endif
