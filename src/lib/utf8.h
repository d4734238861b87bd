/*
 * utf8.h - UTF-8 checks. All text inside the program is UTF-8 (STYLE.md section 5).
 */
#ifndef LIB_UTF8_H
#define LIB_UTF8_H

#include <stddef.h>

/* 1 when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
int utf8_valid(const char *s, size_t n);
/* Number of code points in a valid UTF-8 string (for length limits like 64-character titles). */
size_t utf8_len(const char *s, size_t n);

#endif
