/*
 * verify.c - the scan-to-verify state machine (ORD-8). See verify.h.
 */
#include "orders/verify.h"

#include <stdio.h>
#include <string.h>

#include "lib/sb.h"
#include "lib/common.h"

static const char *const status_names[VERIFY_STATUS__COUNT] = {
	[VERIFY_OPEN] = "open",
	[VERIFY_BLOCKED] = "blocked",
	[VERIFY_COMPLETE] = "complete",
	[VERIFY_VOID] = "void",
};

static const char *const outcome_names[VERIFY_OUTCOME__COUNT] = {
	[VERIFY_COUNTED] = "counted",
	[VERIFY_COMPLETED] = "completed",
	[VERIFY_OVER] = "over",
	[VERIFY_UNKNOWN] = "unknown",
	[VERIFY_REFUSED_BLOCKED] = "refused_blocked",
	[VERIFY_REFUSED_CLOSED] = "refused_closed",
};

const char *verify_status_name(enum verify_status s)
{
	return (unsigned)s < VERIFY_STATUS__COUNT ? status_names[s] : "";
}

int verify_status_parse(const char *s, enum verify_status *out)
{
	for (int i = 0; s && i < VERIFY_STATUS__COUNT; i++) {
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum verify_status)i;
			return 0;
		}
	}
	return ERR_INVALID;
}

const char *verify_outcome_name(enum verify_outcome o)
{
	return (unsigned)o < VERIFY_OUTCOME__COUNT ? outcome_names[o] : "";
}

int verify_outcome_parse(const char *s, enum verify_outcome *out)
{
	for (int i = 0; s && i < VERIFY_OUTCOME__COUNT; i++) {
		if (strcmp(s, outcome_names[i]) == 0) {
			*out = (enum verify_outcome)i;
			return 0;
		}
	}
	return ERR_INVALID;
}

/* ---------------------------------------------------------------- codes */

static int is_blank(unsigned char c)
{
	return c <= 0x20 || c == 0x7f;
}

static int is_ideo_space(const unsigned char *p)
{
	return p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80; /* U+3000 */
}

/* Full-width ASCII U+FF01..U+FF5E (EF BC 81 .. EF BD 9E) -> 0x21..0x7E.
 * Returns the bytes consumed, 0 when p is not such a character. */
static int fullwidth(const unsigned char *p, char *c)
{
	if (p[0] != 0xEF || (p[1] != 0xBC && p[1] != 0xBD) || (p[2] & 0xC0) != 0x80)
		return 0;
	unsigned cp = 0xF000u | ((unsigned)(p[1] & 0x3F) << 6) | (unsigned)(p[2] & 0x3F);
	if (cp < 0xFF01 || cp > 0xFF5E)
		return 0;
	*c = (char)(cp - 0xFEE0);
	return 3;
}

int verify_code_norm(const char *in, char out[VERIFY_CODE_MAX + 1])
{
	const unsigned char *p = (const unsigned char *)(in ? in : "");
	size_t start = 0, end = strlen((const char *)p), n = 0;

	for (;;) { /* white space around the code, ASCII or ideographic */
		if (start < end && is_blank(p[start]))
			start++;
		else if (end - start >= 3 && is_ideo_space(p + start))
			start += 3;
		else if (end > start && is_blank(p[end - 1]))
			end--;
		else if (end - start >= 3 && is_ideo_space(p + end - 3))
			end -= 3;
		else
			break;
	}
	out[0] = '\0';
	for (size_t i = start; i < end;) {
		char c;
		int used = fullwidth(p + i, &c);
		if (!used) {
			c = (char)p[i];
			used = 1;
		}
		i += (size_t)used;
		if (n >= VERIFY_CODE_MAX) {
			out[0] = '\0';
			return -1;
		}
		out[n++] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
	}
	out[n] = '\0';
	return (int)n;
}

/* ---------------------------------------------------------------- lines */

static int too_many(struct err *err)
{
	return err_set(err, ERR_UNPROCESSABLE, "items", "订单商品行或件数过多,无法验货",
		       "the order has too many lines or pieces to verify");
}

int verify_lines_add(struct verify_line *lines, size_t *n, size_t cap, const char *sku_code,
		     const char *title, const char *attrs, int64_t line_no, int64_t qty,
		     struct err *err)
{
	char key[VERIFY_CODE_MAX + 1] = "";

	if (qty <= 0)
		return 0;
	/* a code too long for any barcode is as good as none: checked by eye */
	if (verify_code_norm(sku_code, key) < 0)
		key[0] = '\0';
	for (size_t i = 0; key[0] && i < *n; i++) {
		if (strcmp(lines[i].key, key) == 0) {
			if (lines[i].expected + qty > VERIFY_MAX_QTY)
				return too_many(err);
			lines[i].expected += qty;
			return 0;
		}
	}
	if (*n >= cap || qty > VERIFY_MAX_QTY)
		return too_many(err);
	struct verify_line *l = &lines[(*n)++];
	memset(l, 0, sizeof *l);
	memcpy(l->key, key, sizeof key);
	l->sku_code = sku_code ? sku_code : "";
	l->title = title ? title : "";
	l->attrs = attrs ? attrs : "";
	l->line_no = line_no;
	l->expected = qty;
	return 0;
}

void verify_session_init(struct verify_session *s, struct verify_line *lines, size_t n)
{
	memset(s, 0, sizeof *s);
	s->status = VERIFY_OPEN;
	s->lines = lines;
	s->n = n;
	s->block_why = VERIFY_COUNTED;
}

int verify_is_complete(const struct verify_session *s)
{
	if (s->status == VERIFY_BLOCKED || s->status == VERIFY_VOID || s->n == 0)
		return 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->lines[i].scanned != s->lines[i].expected)
			return 0;
	return 1;
}

int64_t verify_remaining(const struct verify_session *s)
{
	int64_t left = 0;
	for (size_t i = 0; i < s->n; i++)
		if (s->lines[i].expected > s->lines[i].scanned)
			left += s->lines[i].expected - s->lines[i].scanned;
	return left;
}

/* ---------------------------------------------------------------- transitions */

static void block(struct verify_session *s, const char *key, enum verify_outcome why,
		  struct verify_step *out)
{
	s->status = VERIFY_BLOCKED;
	s->block_why = why;
	snprintf(s->block_code, sizeof s->block_code, "%s", key);
	out->outcome = why;
}

/* One piece of line i counted; complete when it was the last. */
static void count(struct verify_session *s, int i, struct verify_step *out)
{
	s->lines[i].scanned++;
	out->line = i;
	out->outcome = VERIFY_COUNTED;
	if (verify_is_complete(s)) {
		s->status = VERIFY_COMPLETE;
		out->outcome = VERIFY_COMPLETED;
	}
}

void verify_scan(struct verify_session *s, const char *code, struct verify_step *out)
{
	char key[VERIFY_CODE_MAX + 1];
	int len = verify_code_norm(code, key);

	out->line = -1;
	if (s->status == VERIFY_COMPLETE || s->status == VERIFY_VOID) {
		out->outcome = VERIFY_REFUSED_CLOSED;
		return;
	}
	if (s->status == VERIFY_BLOCKED) {
		out->outcome = VERIFY_REFUSED_BLOCKED;
		return;
	}
	if (len <= 0) {
		/* empty or too long: nothing of this order */
		block(s, "?", VERIFY_UNKNOWN, out);
		return;
	}
	for (size_t i = 0; i < s->n; i++) {
		if (!s->lines[i].key[0] || strcmp(s->lines[i].key, key) != 0)
			continue;
		out->line = (int)i;
		if (s->lines[i].scanned >= s->lines[i].expected) {
			block(s, key, VERIFY_OVER, out);
			return;
		}
		count(s, (int)i, out);
		return;
	}
	block(s, key, VERIFY_UNKNOWN, out);
}

static int not_scanning(const struct verify_session *s, struct err *err)
{
	if (s->status == VERIFY_BLOCKED)
		return err_set(err, ERR_UNPROCESSABLE, "session", "有错货未处理,请先取出错货",
			       "a wrong piece is still open; take it out first");
	if (s->status != VERIFY_OPEN)
		return err_set(err, ERR_UNPROCESSABLE, "session", "此验货已结束", "this verification is over");
	return 0;
}

int verify_confirm(struct verify_session *s, size_t idx, struct verify_step *out,
		   struct err *err)
{
	int rc = not_scanning(s, err);
	if (rc)
		return rc;
	if (idx >= s->n)
		return err_set(err, ERR_UNPROCESSABLE, "idx", "没有这一行商品", "no such line");
	if (s->lines[idx].key[0])
		return err_set(err, ERR_UNPROCESSABLE, "idx", "有商家编码的商品必须扫码",
			       "a line with a SKU code must be scanned");
	if (s->lines[idx].scanned >= s->lines[idx].expected)
		return err_set(err, ERR_UNPROCESSABLE, "idx", "这一行已经确认过了",
			       "this line is already confirmed");
	s->lines[idx].scanned = s->lines[idx].expected - 1;
	out->line = (int)idx;
	count(s, (int)idx, out);
	return 0;
}

int verify_removed(struct verify_session *s, struct err *err)
{
	if (s->status != VERIFY_BLOCKED)
		return err_set(err, ERR_UNPROCESSABLE, "session", "没有待处理的错货",
			       "there is no wrong piece to take out");
	s->status = VERIFY_OPEN;
	s->block_code[0] = '\0';
	s->block_why = VERIFY_COUNTED;
	return 0;
}

int verify_reset(struct verify_session *s, struct err *err)
{
	if (s->status == VERIFY_COMPLETE || s->status == VERIFY_VOID)
		return err_set(err, ERR_UNPROCESSABLE, "session", "此验货已结束,不能重来",
			       "this verification is over and cannot start again");
	for (size_t i = 0; i < s->n; i++)
		s->lines[i].scanned = 0;
	s->status = VERIFY_OPEN;
	s->block_code[0] = '\0';
	s->block_why = VERIFY_COUNTED;
	return 0;
}

/* ---------------------------------------------------------------- messages */

static const char *line_name(const struct verify_line *l)
{
	return *l->sku_code ? l->sku_code : l->title;
}

static void message_zh(const struct verify_session *s, const struct verify_step *st,
		       struct sb *out)
{
	const struct verify_line *l = st->line >= 0 ? &s->lines[st->line] : NULL;
	const char *what = s->parcel_no ? "包裹" : "订单";
	switch (st->outcome) {
	case VERIFY_COUNTED:
		sb_addf(out, "✓ %s %s (%lld/%lld),还差 %lld 件", line_name(l), l->attrs,
			(long long)l->scanned, (long long)l->expected, (long long)verify_remaining(s));
		break;
	case VERIFY_COMPLETED:
		sb_addf(out, "验货完成,商品与%s一致,可以打包", what);
		break;
	case VERIFY_OVER:
		sb_addf(out, "多扫了:%s 只需 %lld 件。请取出多余的一件后点「已取出」,或重新验货",
			line_name(l), (long long)l->expected);
		break;
	case VERIFY_UNKNOWN:
		sb_addf(out, "错货:%s 不在此%s中。请取出该商品后点「已取出」,或重新验货",
			s->block_code, what);
		break;
	case VERIFY_REFUSED_BLOCKED:
		sb_addf(out, "有错货未处理(%s),请先取出后点「已取出」,或重新验货", s->block_code);
		break;
	default:
		if (s->status == VERIFY_VOID)
			sb_addf(out, "此验货已作废(%s有变),请重新扫描快递单", what);
		else
			sb_addf(out, "此%s已验货完成,请扫描下一张快递单", what);
		break;
	}
}

static void message_en(const struct verify_session *s, const struct verify_step *st,
		       struct sb *out)
{
	const struct verify_line *l = st->line >= 0 ? &s->lines[st->line] : NULL;
	const char *what = s->parcel_no ? "parcel" : "order";
	switch (st->outcome) {
	case VERIFY_COUNTED:
		sb_addf(out, "OK %s %s (%lld/%lld), %lld more to scan", line_name(l), l->attrs,
			(long long)l->scanned, (long long)l->expected, (long long)verify_remaining(s));
		break;
	case VERIFY_COMPLETED:
		sb_addf(out, "verified: the goods match the %s, ready to pack", what);
		break;
	case VERIFY_OVER:
		sb_addf(out, "one too many: the %s needs %lld of %s; take the extra piece out"
			     " and press \"removed\", or start over",
			what, (long long)l->expected, line_name(l));
		break;
	case VERIFY_UNKNOWN:
		sb_addf(out, "wrong item: %s is not in this %s; take it out and press \"removed\","
			     " or start over",
			s->block_code, what);
		break;
	case VERIFY_REFUSED_BLOCKED:
		sb_addf(out, "a wrong item (%s) is still open: take it out and press \"removed\","
			     " or start over",
			s->block_code);
		break;
	default:
		if (s->status == VERIFY_VOID)
			sb_addf(out, "this verification was voided (the %s changed); scan the waybill again",
				what);
		else
			sb_addf(out, "this %s is already verified; scan the next waybill", what);
		break;
	}
}

void verify_message(const struct verify_session *s, const struct verify_step *st,
		    const char *lang, struct sb *out)
{
	int has_line = st->line >= 0 && (size_t)st->line < s->n;
	struct verify_step safe = *st;
	/* a step that names a line must carry one; never index past the array */
	if (!has_line && (st->outcome == VERIFY_COUNTED || st->outcome == VERIFY_OVER))
		safe.outcome = VERIFY_REFUSED_BLOCKED;
	if (lang && strncmp(lang, "en", 2) == 0)
		message_en(s, &safe, out);
	else
		message_zh(s, &safe, out);
}
