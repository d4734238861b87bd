/*
 * taobao_format.h - what the Taobao/Tmall seller center writes in its order
 * exports (ORD-2), so the importer and the test-data generator agree on it.
 *
 * Two files come out of 卖家中心 → 已卖出的宝贝 → 批量导出:
 *   订单报表 (ExportOrderList*.csv): one row per order, 47 columns;
 *   宝贝报表 (ExportOrderDetailList*.csv): one row per order line, 10 columns,
 *   joined to the orders by 订单编号.
 * Both are GBK, CRLF, with these quirks (csv.h and csv_clean handle the
 * generic ones, the helpers below the platform ones):
 *   - 订单编号 (19 digits) written as ="2026111100012345678" so spreadsheets keep
 *     it as text; other exporters prefix a tab or an apostrophe instead;
 *   - 联系手机 with a leading apostrophe ('13812345678), or empty with only a
 *     landline in 联系电话 (0571-88886666);
 *   - 收货地址 "浙江省 杭州市 西湖区 文三路90号(310012)": province, city and
 *     district separated by spaces, then the street, the postcode in brackets;
 *   - amounts with two decimals ("128.00"), sometimes "0.00元";
 *   - times "2026-11-11 00:00:03" (Shanghai); 订单付款时间 empty when unpaid;
 *   - 物流单号 "No:YT1234567890123" (or with a full-width colon), or empty;
 *   - 商家编码 empty or a placeholder ("null", "-", "无") when the seller set none;
 *   - buyer messages (买家留言) with commas, quotes and newlines;
 *   - trailing spaces on names, codes and companies;
 *   - status strings with a FULL-WIDTH comma: "买家已付款，等待卖家发货".
 */
#ifndef IO_TAOBAO_FORMAT_H
#define IO_TAOBAO_FORMAT_H

#include <stddef.h>

#include "lib/err.h"

/* 订单报表 columns, in export order. */
#define TAOBAO_COL_ORDER_NO "订单编号"
#define TAOBAO_COL_BUYER_NICK "买家会员名"
#define TAOBAO_COL_BUYER_ALIPAY "买家支付宝账号"
#define TAOBAO_COL_GOODS_DUE "买家应付货款"
#define TAOBAO_COL_POSTAGE "买家应付邮费"
#define TAOBAO_COL_POINTS_PAID "买家支付积分"
#define TAOBAO_COL_TOTAL "总金额"
#define TAOBAO_COL_REBATE_POINTS "返点积分"
#define TAOBAO_COL_PAID "买家实际支付金额"
#define TAOBAO_COL_POINTS_ACTUAL "买家实际支付积分"
#define TAOBAO_COL_STATUS "订单状态"
#define TAOBAO_COL_BUYER_MESSAGE "买家留言"
#define TAOBAO_COL_RECEIVER "收货人姓名"
#define TAOBAO_COL_ADDRESS "收货地址"
#define TAOBAO_COL_SHIP_METHOD "运送方式"
#define TAOBAO_COL_PHONE "联系电话"
#define TAOBAO_COL_MOBILE "联系手机"
#define TAOBAO_COL_CREATED "订单创建时间"
#define TAOBAO_COL_PAID_AT "订单付款时间"
#define TAOBAO_COL_TITLE "宝贝标题"
#define TAOBAO_COL_KINDS "宝贝种类"
#define TAOBAO_COL_WAYBILL "物流单号"
#define TAOBAO_COL_COURIER "物流公司"
#define TAOBAO_COL_MEMO "订单备注"
#define TAOBAO_COL_QTY_TOTAL "宝贝总数量"
#define TAOBAO_COL_SHOP_ID "店铺Id"
#define TAOBAO_COL_SHOP_NAME "店铺名称"
#define TAOBAO_COL_CLOSE_REASON "订单关闭原因"
#define TAOBAO_COL_SELLER_FEE "卖家服务费"
#define TAOBAO_COL_BUYER_FEE "买家服务费"
#define TAOBAO_COL_INVOICE_TITLE "发票抬头"
#define TAOBAO_COL_MOBILE_ORDER "是否手机订单"
#define TAOBAO_COL_STAGES "分阶段订单信息"
#define TAOBAO_COL_DEPOSIT_ORDER "特权订金订单id"
#define TAOBAO_COL_CONTRACT_PHOTO "是否上传合同照片"
#define TAOBAO_COL_RECEIPT_PHOTO "是否上传小票"
#define TAOBAO_COL_PAID_BY_OTHER "是否代付"
#define TAOBAO_COL_DEPOSIT_RANK "定金排名"
#define TAOBAO_COL_CHANGED_SKU "修改后的sku"
#define TAOBAO_COL_CHANGED_ADDRESS "修改后的收货地址"
#define TAOBAO_COL_EXCEPTION "异常信息"
#define TAOBAO_COL_TMALL_COUPON "天猫卡券抵扣"
#define TAOBAO_COL_JIFENBAO "集分宝抵扣"
#define TAOBAO_COL_O2O "是否是O2O交易"
#define TAOBAO_COL_REFUND "退款金额"
#define TAOBAO_COL_STORE_PICKUP "预约门店"
#define TAOBAO_COL_CONFIRMED_AT "确认收货时间"

/* 宝贝报表 columns, in export order (订单编号 and 订单状态 as above). */
#define TAOBAO_ITEM_COL_ORDER_NO TAOBAO_COL_ORDER_NO
#define TAOBAO_ITEM_COL_TITLE "标题"
#define TAOBAO_ITEM_COL_PRICE "价格"
#define TAOBAO_ITEM_COL_QTY "购买数量"
#define TAOBAO_ITEM_COL_OUTER_ID "外部系统编号"
#define TAOBAO_ITEM_COL_PROPS "商品属性"
#define TAOBAO_ITEM_COL_PACKAGE "套餐信息"
#define TAOBAO_ITEM_COL_NOTE "备注"
#define TAOBAO_ITEM_COL_STATUS TAOBAO_COL_STATUS
#define TAOBAO_ITEM_COL_SKU_CODE "商家编码"

#define TAOBAO_ORDER_NCOLS 47
#define TAOBAO_ITEM_NCOLS 10

/* The header rows, in export order. */
extern const char *const taobao_order_columns[TAOBAO_ORDER_NCOLS];
extern const char *const taobao_item_columns[TAOBAO_ITEM_NCOLS];

/* Platform order status (ORD-3 keeps it apart from our fulfilment stage). */
enum taobao_status {
	TAOBAO_STATUS_WAIT_PAY,      /* 等待买家付款 */
	TAOBAO_STATUS_WAIT_SHIP,     /* 买家已付款，等待卖家发货 */
	TAOBAO_STATUS_SHIPPED,       /* 卖家已发货，等待买家确认 */
	TAOBAO_STATUS_SUCCESS,       /* 交易成功 */
	TAOBAO_STATUS_CLOSED,        /* 交易关闭 */
	TAOBAO_STATUS_REFUND_CLOSED, /* 付款以后用户退款成功，交易自动关闭 */
};
#define TAOBAO_STATUS_COUNT 6

/* The exact export text (with the full-width comma). */
const char *taobao_status_text(enum taobao_status st);
/* A stable ASCII name for logs and the API: "wait_pay", "wait_ship", "shipped",
 * "success", "closed", "refund_closed". */
const char *taobao_status_name(enum taobao_status st);
/* Recognises a status cell: the export text, and the same with an ASCII comma,
 * no comma, or surrounding spaces. Other text is ERR_INVALID naming the value. */
int taobao_status_parse(const char *s, enum taobao_status *out, struct err *err) WUR;

/* 1 when a cleaned code cell means "no code": "", "null", "NULL", "none",
 * "-", "--", "—", "/", "无", "暂无", "N/A", "#N/A". */
int taobao_is_placeholder(const char *s);

/* The waybill number inside a 物流单号 cell: drops a "No:" / "No：" / "NO." prefix,
 * the ="…" wrapping and blanks. Returns the span (start offset in *start), like
 * csv_clean_span; length 0 when the cell holds none. */
size_t taobao_waybill_span(const char *s, size_t n, size_t *start);

#endif
