/*
 * money.h - money is integer fen (1 yuan = 100 fen). Never a float.
 *
 * money_parse accepts what seller-center exports and people type:
 *   "12", "12.3", "12.30", "-12.30", "+5", "¥12.30", "￥12.30", "RMB 12.30", "12.30元",
 *   "1,234.50", "1，234.50" (full-width comma), full-width digits "１２.３０",
 *   surrounding ASCII/full-width spaces and tabs, and the ="…" wrapping of spreadsheet exports.
 * It rejects: empty text, more than two decimals ("12.345"), stray characters,
 * misplaced thousands separators ("12,34.5"), and values beyond +/- 9e15 fen.
 */
#ifndef LIB_MONEY_H
#define LIB_MONEY_H

#include <stdint.h>

#include "lib/err.h"

#define MONEY_MAX_FEN INT64_C(9000000000000000)
#define MONEY_BUF 32

int money_parse(const char *s, int64_t *fen, struct err *err) WUR;

/* "12.30", "-0.05", "0.00": always two decimals, no separators. Returns buf. */
char *money_format(int64_t fen, char buf[MONEY_BUF]);

/* fen x rate, the rate given in parts per million (0.005 = 5000 ppm), rounded
 * half away from zero. The one rounding rule for money; policy may name others later. */
int64_t money_mul_ppm(int64_t fen, int64_t ppm);

#endif
