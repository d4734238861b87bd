/*
 * phone.h - recipient phone numbers (SPEC ORD-6, one of the "three checks"
 * before shipping: a number that is not a mainland mobile or a landline with
 * its area code holds the order).
 *
 * Pure: no I/O, no allocation. phone_parse() normalises what buyers and
 * spreadsheets write and then classifies it:
 *   - dropped: spaces (ASCII, full-width, no-break), dashes (- － ‐ – —),
 *     parentheses (ASCII and full-width), dots, a leading apostrophe (Excel's
 *     "text" marker), a country code +86 / 0086 / 86 (86 only before a mobile);
 *   - full-width digits become ASCII;
 *   - mobile:   1[3-9] and 9 more digits, no extension        -> "13812345678"
 *   - landline: area code 010, 02x (3 digits) or 0[3-9]xx (4 digits), then a
 *     7-8 digit number not starting with 0, then an optional extension of
 *     1-6 digits after "-", "转", "分机", "ext", "x" or "#"    -> "0571-87654321-123"
 *     (a last dash group is the extension whenever the digits before it already
 *     make a whole number, so the normalised form reads back unchanged);
 *     A number written "+86 571 ..." (no trunk 0) gets its 0 back.
 * Anything else is refused with ERR_UNPROCESSABLE, field "phone", saying why in
 * zh and en (too few digits, second digit not 3-9, no area code, not mainland,
 * a stray character); input that is not UTF-8 is ERR_INVALID.
 */
#ifndef ORDERS_PHONE_H
#define ORDERS_PHONE_H

#include <stddef.h>

#include "lib/err.h"

/* Longest input accepted, in bytes. */
#define PHONE_MAX_BYTES 64
/* Room for the normalised form: "0571-87654321-123456" and the NUL. */
#define PHONE_NORM_MAX 24

enum phone_kind {
	PHONE_INVALID = 0,
	PHONE_MOBILE,
	PHONE_LANDLINE,
};

struct phone {
	enum phone_kind kind;
	char norm[PHONE_NORM_MAX]; /* "" unless valid */
};

/*
 * Normalises and classifies s[0..n) (need not be NUL-terminated). Returns 0 with
 * out->kind and out->norm set; otherwise the error, with out->kind PHONE_INVALID.
 */
int phone_parse(const char *s, size_t n, struct phone *out, struct err *err) WUR;

#endif
