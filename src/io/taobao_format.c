#include "io/taobao_format.h"

#include <string.h>

#include "io/csv.h"
#include "lib/common.h"

const char *const taobao_order_columns[TAOBAO_ORDER_NCOLS] = {
	TAOBAO_COL_ORDER_NO, TAOBAO_COL_BUYER_NICK, TAOBAO_COL_BUYER_ALIPAY,
	TAOBAO_COL_GOODS_DUE, TAOBAO_COL_POSTAGE, TAOBAO_COL_POINTS_PAID,
	TAOBAO_COL_TOTAL, TAOBAO_COL_REBATE_POINTS, TAOBAO_COL_PAID,
	TAOBAO_COL_POINTS_ACTUAL, TAOBAO_COL_STATUS, TAOBAO_COL_BUYER_MESSAGE,
	TAOBAO_COL_RECEIVER, TAOBAO_COL_ADDRESS, TAOBAO_COL_SHIP_METHOD,
	TAOBAO_COL_PHONE, TAOBAO_COL_MOBILE, TAOBAO_COL_CREATED,
	TAOBAO_COL_PAID_AT, TAOBAO_COL_TITLE, TAOBAO_COL_KINDS,
	TAOBAO_COL_WAYBILL, TAOBAO_COL_COURIER, TAOBAO_COL_MEMO,
	TAOBAO_COL_QTY_TOTAL, TAOBAO_COL_SHOP_ID, TAOBAO_COL_SHOP_NAME,
	TAOBAO_COL_CLOSE_REASON, TAOBAO_COL_SELLER_FEE, TAOBAO_COL_BUYER_FEE,
	TAOBAO_COL_INVOICE_TITLE, TAOBAO_COL_MOBILE_ORDER, TAOBAO_COL_STAGES,
	TAOBAO_COL_DEPOSIT_ORDER, TAOBAO_COL_CONTRACT_PHOTO, TAOBAO_COL_RECEIPT_PHOTO,
	TAOBAO_COL_PAID_BY_OTHER, TAOBAO_COL_DEPOSIT_RANK, TAOBAO_COL_CHANGED_SKU,
	TAOBAO_COL_CHANGED_ADDRESS, TAOBAO_COL_EXCEPTION, TAOBAO_COL_TMALL_COUPON,
	TAOBAO_COL_JIFENBAO, TAOBAO_COL_O2O, TAOBAO_COL_REFUND,
	TAOBAO_COL_STORE_PICKUP, TAOBAO_COL_CONFIRMED_AT,
};

const char *const taobao_item_columns[TAOBAO_ITEM_NCOLS] = {
	TAOBAO_ITEM_COL_ORDER_NO, TAOBAO_ITEM_COL_TITLE, TAOBAO_ITEM_COL_PRICE,
	TAOBAO_ITEM_COL_QTY, TAOBAO_ITEM_COL_OUTER_ID, TAOBAO_ITEM_COL_PROPS,
	TAOBAO_ITEM_COL_PACKAGE, TAOBAO_ITEM_COL_NOTE, TAOBAO_ITEM_COL_STATUS,
	TAOBAO_ITEM_COL_SKU_CODE,
};

static const struct {
	const char *text; /* as exported */
	const char *name;
} statuses[TAOBAO_STATUS_COUNT] = {
	[TAOBAO_STATUS_WAIT_PAY] = { "等待买家付款", "wait_pay" },
	[TAOBAO_STATUS_WAIT_SHIP] = { "买家已付款，等待卖家发货", "wait_ship" },
	[TAOBAO_STATUS_SHIPPED] = { "卖家已发货，等待买家确认", "shipped" },
	[TAOBAO_STATUS_SUCCESS] = { "交易成功", "success" },
	[TAOBAO_STATUS_CLOSED] = { "交易关闭", "closed" },
	[TAOBAO_STATUS_REFUND_CLOSED] = { "付款以后用户退款成功，交易自动关闭", "refund_closed" },
};

const char *taobao_status_text(enum taobao_status st)
{
	if ((unsigned)st >= TAOBAO_STATUS_COUNT)
		return "";
	return statuses[st].text;
}

const char *taobao_status_name(enum taobao_status st)
{
	if ((unsigned)st >= TAOBAO_STATUS_COUNT)
		return "";
	return statuses[st].name;
}

/* s[0..n) with every comma (ASCII or full-width) and blank removed equals t
 * with the same removed. The statuses differ in more than punctuation, so this
 * loses nothing and accepts "买家已付款,等待卖家发货" and "买家已付款等待卖家发货". */
static size_t squeeze(const char *s, size_t n, char *out, size_t cap)
{
	size_t k = 0;

	for (size_t i = 0; i < n;) {
		if (s[i] == ',' || s[i] == ' ' || s[i] == '\t') {
			i++;
			continue;
		}
		if (i + 3 <= n && (memcmp(s + i, "，", 3) == 0 || memcmp(s + i, "\xe3\x80\x80", 3) == 0)) {
			i += 3;
			continue;
		}
		if (k + 1 >= cap)
			return (size_t)-1;
		out[k++] = s[i++];
	}
	out[k] = '\0';
	return k;
}

int taobao_status_parse(const char *s, enum taobao_status *out, struct err *err)
{
	char got[128], want[128];
	size_t start;
	size_t n = csv_clean_span(s, strlen(s), &start);
	size_t gn = squeeze(s + start, n, got, sizeof got);

	for (int i = 0; gn != (size_t)-1 && i < TAOBAO_STATUS_COUNT; i++) {
		size_t wn = squeeze(statuses[i].text, strlen(statuses[i].text), want, sizeof want);
		if (wn == gn && memcmp(got, want, gn) == 0) {
			*out = (enum taobao_status)i;
			return 0;
		}
	}
	/* Quote at most 60 bytes, cut at a character boundary. */
	int shown = (int)(n < 60 ? n : 60);
	while (shown > 0 && shown < (int)n && ((unsigned char)s[start + (size_t)shown] & 0xC0) == 0x80)
		shown--;
	return err_setf(err, ERR_INVALID, TAOBAO_COL_STATUS, "未知的订单状态“%.*s”",
			"unknown order status \"%.*s\"", shown, s + start);
}

static int placeholder_span(const char *s, size_t n)
{
	static const char *const placeholders[] = {
		"", "null", "none", "nil", "-", "--", "—", "/", "无", "暂无", "n/a", "#n/a",
	};

	for (size_t i = 0; i < ARRAY_SIZE(placeholders); i++) {
		const char *p = placeholders[i];
		if (strlen(p) != n)
			continue;
		size_t j = 0;
		while (j < n) {
			unsigned char c = (unsigned char)s[j];
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c - 'A' + 'a');
			if (c != (unsigned char)p[j])
				break;
			j++;
		}
		if (j == n)
			return 1;
	}
	return 0;
}

int taobao_is_placeholder(const char *s)
{
	size_t start;
	size_t n = csv_clean_span(s, strlen(s), &start);

	return placeholder_span(s + start, n);
}

size_t taobao_waybill_span(const char *s, size_t n, size_t *start)
{
	size_t a;
	size_t len = csv_clean_span(s, n, &a);
	const char *p = s + a;

	if (len >= 2 && (p[0] == 'N' || p[0] == 'n') && (p[1] == 'O' || p[1] == 'o')) {
		size_t skip = 0;
		if (len >= 3 && (p[2] == ':' || p[2] == '.'))
			skip = 3;
		else if (len >= 5 && memcmp(p + 2, "：", 3) == 0)
			skip = 5;
		if (skip) {
			size_t b;
			len = csv_clean_span(p + skip, len - skip, &b);
			a += skip + b;
		}
	}
	*start = a;
	if (placeholder_span(s + a, len))
		len = 0;
	return len;
}
