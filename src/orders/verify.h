/*
 * verify.h - scan-to-verify packing (验货, SPEC ORD-8): the pure state machine.
 *
 * A session holds one order's expected goods as lines, one per scan code (the
 * item's 商家编码; order lines with the same code are summed), each with the
 * pieces expected and the pieces scanned so far.
 *
 *   - Scanning a code of the order counts one piece of that line.
 *   - A code the order does not have (wrong goods), or one piece more than the
 *     order has (over-scan), is a mismatch: the session becomes BLOCKED, keeps
 *     the offending code, and counts nothing more until the wrong piece is taken
 *     out (verify_removed, counts kept) or the packer starts over (verify_reset).
 *   - The session is COMPLETE when it is not blocked and every line's scanned
 *     count equals its expected count. Only then may the order move picked ->
 *     verified; packing needs verified, so an open mismatch blocks packing.
 *   - Items without a code cannot be scanned: a person checks them by eye and
 *     confirms the line (verify_confirm); the storage layer records that like a
 *     scan (who/when).
 *
 * A session may also hold one parcel of a split order (ORD-10): the same rules
 * over the quantities that parcel carries; a piece of the order's other
 * parcels is wrong goods here like any other code.
 *
 * Codes are compared after verify_code_norm(): keyboard-wedge scanners add a
 * CR/LF or tab, a Chinese input method left on turns "A1" into full-width
 * "Ａ１", and caps lock flips letters, so surrounding white space goes, full-width
 * ASCII becomes half-width and letters are compared in upper case.
 *
 * Pure: no storage, no clock, no I/O. The caller owns the lines array.
 */
#ifndef ORDERS_VERIFY_H
#define ORDERS_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"

struct sb;

#define VERIFY_CODE_MAX 64    /* bytes of a normalised code */
#define VERIFY_MAX_LINES 500  /* lines of one session (an order has a handful) */
#define VERIFY_MAX_QTY 100000 /* pieces of one line */

enum verify_status {
	VERIFY_OPEN,     /* scanning */
	VERIFY_BLOCKED,  /* a wrong or extra piece was scanned; not yet dealt with */
	VERIFY_COMPLETE, /* every piece scanned; the order is verified */
	VERIFY_VOID,     /* superseded (the order changed) */
	VERIFY_STATUS__COUNT
};

/* What one scan (or confirm) did. */
enum verify_outcome {
	VERIFY_COUNTED,         /* one piece counted, more to go */
	VERIFY_COMPLETED,       /* one piece counted and now every line is complete */
	VERIFY_OVER,            /* one piece more than the order has: now blocked */
	VERIFY_UNKNOWN,         /* not a code of this order: now blocked */
	VERIFY_REFUSED_BLOCKED, /* blocked: nothing counts until the mismatch is dealt with */
	VERIFY_REFUSED_CLOSED,  /* the session is complete or void */
	VERIFY_OUTCOME__COUNT
};

struct verify_line {
	char key[VERIFY_CODE_MAX + 1]; /* normalised code; "" = the item has none */
	const char *sku_code;          /* as the order has it (borrowed) */
	const char *title;             /* borrowed */
	const char *attrs;             /* borrowed */
	int64_t line_no;               /* the (first) order line */
	int64_t expected, scanned;
};

struct verify_session {
	int64_t parcel_no;         /* ORD-10: 0 = an order's goods, K = parcel K's (messages say so) */
	enum verify_status status;
	struct verify_line *lines; /* caller's array */
	size_t n;
	char block_code[VERIFY_CODE_MAX + 1]; /* the offending code while blocked */
	enum verify_outcome block_why;        /* VERIFY_OVER or VERIFY_UNKNOWN while blocked */
};

struct verify_step {
	enum verify_outcome outcome;
	int line; /* index of the line counted or over-scanned; -1 for none */
};

const char *verify_status_name(enum verify_status s);     /* "blocked" */
int verify_status_parse(const char *s, enum verify_status *out) WUR;
const char *verify_outcome_name(enum verify_outcome o);   /* "over" */
int verify_outcome_parse(const char *s, enum verify_outcome *out) WUR;

/* Normalises a scanned code into out (see above). Returns its length (0 when
 * nothing is left), or -1 with out = "" when longer than VERIFY_CODE_MAX bytes. */
int verify_code_norm(const char *in, char out[VERIFY_CODE_MAX + 1]);

/* Adds an order line to lines[0..*n) (capacity cap): merged into the line with
 * the same code, else appended; a line without a code is always its own line.
 * A code longer than VERIFY_CODE_MAX counts as none. qty <= 0 adds nothing.
 * ERR_UNPROCESSABLE past cap lines or VERIFY_MAX_QTY pieces a line.
 * Strings are borrowed. */
int verify_lines_add(struct verify_line *lines, size_t *n, size_t cap, const char *sku_code,
		     const char *title, const char *attrs, int64_t line_no, int64_t qty,
		     struct err *err) WUR;

/* Starts a session over lines (counts as given; usually zero). */
void verify_session_init(struct verify_session *s, struct verify_line *lines, size_t n);

/* One scanned code (raw; normalised here). */
void verify_scan(struct verify_session *s, const char *code, struct verify_step *out);

/* A person confirms the uncoded line at index idx: all its pieces count.
 * ERR_UNPROCESSABLE (with the reason) for a coded line, a bad index, or a
 * session that is blocked, complete or void. */
int verify_confirm(struct verify_session *s, size_t idx, struct verify_step *out,
		   struct err *err) WUR;

/* The wrong piece was taken out: blocked -> open, good counts kept.
 * ERR_UNPROCESSABLE when the session is not blocked. */
int verify_removed(struct verify_session *s, struct err *err) WUR;

/* Start over: every count back to 0, open. ERR_UNPROCESSABLE once complete or void. */
int verify_reset(struct verify_session *s, struct err *err) WUR;

/* 1 when not blocked and every line has all its pieces (and there is a line). */
int verify_is_complete(const struct verify_session *s);
/* Pieces still to scan, over all lines. */
int64_t verify_remaining(const struct verify_session *s);

/* What the packer reads after a step, in "zh" or "en" (appended to out):
 * "✓ QH-TS01-01-02 ×1 (1/2),还差 3 件" / "错货:XYZ 不在此订单中 …" (此包裹 for
 * a parcel's session). */
void verify_message(const struct verify_session *s, const struct verify_step *st,
		    const char *lang, struct sb *out);

#endif
