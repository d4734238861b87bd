/*
 * inventory_demo.c - the demo warehouse and catalogue (inv_demo_seed).
 *
 * The catalogue is the one the Taobao export generator sells (io/taobao_gen.c
 * products[]), copied here so the demo's orders find their SKUs: 商家编码 is
 * CODE-V1[-V2] with the two-digit, 1-based index of each attribute value, the
 * attributes read "颜色分类:黑色;尺码:S" as in the export. QH-TX16 (【2件装】T恤)
 * is sold as a combination of two QH-TX02 T-shirts of the same colour and size
 * (INV-6). Everything goes through the public functions, inside one
 * transaction, so the demo exercises the same paths as the API.
 */
#include "inventory/inventory_db.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "inventory/inventory_db_int.h"
#include "lib/common.h"

#define DEMO_WH "main"
#define DEMO_STOCK_AGE_S (90 * 86400)

struct demo_product {
	const char *title;
	int64_t price_fen;
	const char *code;
	const char *attr1;
	const char *const *vals1; /* NULL-terminated */
	const char *attr2;        /* or NULL */
	const char *const *vals2;
};

static const char *const colours_a[] = { "黑色", "灰色", "杏色", "藏青色", NULL };
static const char *const colours_b[] = { "白色", "黑色", "雾霾蓝", "奶油黄", NULL };
static const char *const colours_c[] = { "浅蓝", "深蓝", "黑灰", NULL };
static const char *const colours_d[] = { "驼色", "燕麦色", "酒红色", NULL };
static const char *const colours_e[] = { "米白", "卡其", "军绿", NULL };
static const char *const colours_f[] = { "混色5双", "纯白5双", "纯黑5双", NULL };
static const char *const sizes_a[] = { "S", "M", "L", "XL", "XXL", NULL };
static const char *const sizes_b[] = { "25", "26", "27", "28", "29", "30", NULL };
static const char *const sizes_c[] = { "110cm", "120cm", "130cm", "140cm", "150cm", NULL };
static const char *const sizes_d[] = { "均码", NULL };
static const char *const sizes_e[] = { "48x74cm一对", "51x76cm一对", NULL };

static const struct demo_product products[] = {
	{ "青禾 2026秋冬新款加厚连帽卫衣男女同款宽松外套", 12800, "QH-WY01", "颜色分类", colours_a,
	  "尺码", sizes_a },
	{ "青禾 纯棉短袖T恤女夏季宽松百搭上衣", 5990, "QH-TX02", "颜色分类", colours_b, "尺码",
	  sizes_a },
	{ "青禾 高腰直筒牛仔裤女显瘦阔腿裤", 15900, "QH-NZ03", "颜色分类", colours_c, "尺码",
	  sizes_b },
	{ "青禾 羊毛混纺毛呢大衣女中长款", 59900, "QH-DY04", "颜色分类", colours_d, "尺码",
	  sizes_a },
	{ "青禾 冰丝防晒衣女UPF50+ 轻薄透气", 8900, "QH-FS05", "颜色分类", colours_b, "尺码",
	  sizes_d },
	{ "青禾 法式碎花连衣裙 收腰显瘦", 19900, "QH-LY06", "颜色分类", colours_b, "尺码",
	  sizes_a },
	{ "青禾 男士休闲裤 弹力直筒长裤", 13900, "QH-XK07", "颜色分类", colours_e, "尺码",
	  sizes_a },
	{ "青禾 加绒保暖打底衫 女 高领", 6900, "QH-DD08", "颜色分类", colours_a, "尺码",
	  sizes_a },
	{ "青禾 帆布托特包 大容量 通勤", 4900, "QH-BB09", "颜色分类", colours_e, NULL, NULL },
	{ "青禾 儿童羽绒服 轻薄款 男童女童", 29900, "QH-YR10", "颜色分类", colours_c,
	  "参考身高", sizes_c },
	{ "青禾 真丝枕套 22姆米 桑蚕丝", 16800, "QH-ZT11", "颜色分类", colours_d, "规格",
	  sizes_e },
	{ "青禾 家居服套装 纯棉 春秋款", 11900, "QH-JJ12", "颜色分类", colours_b, "尺码",
	  sizes_a },
	{ "青禾 运动袜 中筒 吸汗", 2990, "QH-WZ13", "颜色分类", colours_f, "尺码", sizes_d },
	{ "青禾 羊绒围巾 秋冬 纯色", 25900, "QH-WJ14", "颜色分类", colours_d, NULL, NULL },
	{ "青禾 针织开衫 外搭 慵懒风", 16900, "QH-KS15", "颜色分类", colours_a, "尺码",
	  sizes_a },
	{ "青禾 【2件装】纯棉T恤, 宽松短袖", 9900, "QH-TX16", "颜色分类", colours_b, "尺码",
	  sizes_a },
};

/* QH-TX16-c-s = 2 x QH-TX02-c-s */
#define COMBO_PRODUCT "QH-TX16"
#define COMBO_PART_PRODUCT "QH-TX02"
#define COMBO_PART_QTY 2

struct seed {
	struct db *db;
	int64_t now;
	int64_t pick;  /* next pick-path position */
	long n_skus;   /* SKUs made so far, for the stock pattern */
	struct err *err;
};

/* A plausible opening stock: 10..129 units, every 9th SKU sold out, so the
 * out-of-stock and delist lists have something on them. */
static int64_t opening_qty(const char *code, long n)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)code; *p; p++)
		h = (h ^ *p) * 16777619u;
	return n % 9 == 4 ? 0 : 10 + (int64_t)(h % 120);
}

static int seed_stock(struct seed *s, const char *code, const char *shelf)
{
	const char *locs[1] = { shelf };
	int64_t id, qty = opening_qty(code, s->n_skus++);
	int rc = inv_location_create(s->db, NULL, DEMO_WH, shelf, s->pick++, s->now, &id, s->err);
	if (!rc)
		rc = inv_sku_locations_set(s->db, NULL, code, DEMO_WH, locs, 1, s->now, s->err);
	if (!rc && qty > 0) {
		struct inv_move m = { code, DEMO_WH, qty, "期初库存 / opening stock" };
		rc = inv_receive(s->db, NULL, &m, s->now - DEMO_STOCK_AGE_S, NULL, s->err);
	}
	return rc;
}

static int seed_combo(struct seed *s, const char *code, int i, int j)
{
	char part[INV_CODE_MAX + 1];
	snprintf(part, sizeof part, "%s-%02d-%02d", COMBO_PART_PRODUCT, i + 1, j + 1);
	struct inv_part_in in = { part, COMBO_PART_QTY };
	return inv_sku_parts_set(s->db, NULL, code, 1, &in, 1, s->now, s->err);
}

/* One SKU: value i of attribute 1 and j of attribute 2 (j < 0: none). */
static int seed_sku(struct seed *s, const struct demo_product *p, size_t pi, int i, int j)
{
	char code[INV_CODE_MAX + 1], attrs[256], shelf[INV_WH_CODE_MAX + 1];
	int64_t id;
	if (j >= 0) {
		snprintf(code, sizeof code, "%s-%02d-%02d", p->code, i + 1, j + 1);
		snprintf(attrs, sizeof attrs, "%s:%s;%s:%s", p->attr1, p->vals1[i], p->attr2,
			 p->vals2[j]);
	} else {
		snprintf(code, sizeof code, "%s-%02d", p->code, i + 1);
		snprintf(attrs, sizeof attrs, "%s:%s", p->attr1, p->vals1[i]);
	}
	struct inv_sku_fields f = { code, p->code, p->title, attrs, p->price_fen, 1, 0 };
	int rc = inv_sku_create(s->db, NULL, &f, s->now, &id, s->err);
	if (rc)
		return rc;
	if (strcmp(p->code, COMBO_PRODUCT) == 0)
		return seed_combo(s, code, i, j);
	/* aisle per four products, a rack per product, a level per SKU */
	snprintf(shelf, sizeof shelf, "%c-%02d-%02d", (char)('A' + pi / 4), (int)(pi % 4) + 1,
		 i * 8 + (j >= 0 ? j : 0) + 1);
	return seed_stock(s, code, shelf);
}

static int seed_product(struct seed *s, size_t pi)
{
	const struct demo_product *p = &products[pi];
	struct inv_product_fields f = { p->code, p->title, "", "", p->price_fen, 0 };
	int64_t id;
	int rc = inv_product_create(s->db, NULL, &f, s->now, &id, s->err);
	for (int i = 0; !rc && p->vals1[i]; i++) {
		if (!p->attr2) {
			rc = seed_sku(s, p, pi, i, -1);
			continue;
		}
		for (int j = 0; !rc && p->vals2[j]; j++)
			rc = seed_sku(s, p, pi, i, j);
	}
	return rc;
}

static int demo_seeded(struct db *db, int *yes, struct err *err)
{
	struct err local = ERR_INIT;
	int64_t id;
	int rc = inv_db_wh_id(db, DEMO_WH, &id, &local);
	*yes = rc == 0;
	if (rc && rc != ERR_NOT_FOUND)
		return err_set(err, local.code, local.field, local.msg_zh, local.msg_en);
	return 0;
}

int inv_demo_seed(struct db *db, int64_t now_utc, struct err *err)
{
	struct seed s = { db, now_utc, 1, 0, err };
	int64_t id;
	int yes = 0;
	int rc = demo_seeded(db, &yes, err);
	if (rc || yes)
		return rc;
	rc = db_begin(db, err);
	if (rc)
		return rc;
	rc = inv_warehouse_create(db, NULL, DEMO_WH, "主仓", now_utc, &id, err);
	for (size_t i = 0; !rc && i < ARRAY_SIZE(products); i++)
		rc = seed_product(&s, i);
	if (rc) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db, err);
}
