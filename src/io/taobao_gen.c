#include "io/taobao_gen.h"

#include <errno.h>
#include <iconv.h>
#include <inttypes.h>
#include <string.h>

#include "io/taobao_format.h"
#include "lib/cal.h"
#include "lib/sb.h"
#include "lib/xalloc.h"
#include "lib/common.h"

/*
 * Design
 * ------
 * One pseudo-random stream (splitmix64 from the seed) drives everything, in
 * a fixed order: an order, then its item rows. Rows are built as UTF-8 in a
 * builder per file and handed to iconv (UTF-8 -> GBK) in batches of whole
 * rows, then written; memory is the two batches whatever the order count.
 * Numbers and times are formatted by hand: this runs a million orders in a
 * few seconds, and printf would be most of that.
 */

#define GEN_FIELD "gen"
#define BATCH_BYTES ((size_t)256 << 10)
#define DAY_S 86400
#define SPAN_S (30 * DAY_S)

/* ------------------------------------------------------------------------ */
/* Randomness */

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* 1 with probability pct/1000. */
static int rng_permille(struct rng *r, uint32_t pm)
{
	return rng_below(r, 1000) < pm;
}

#define PICK(r, table) ((table)[rng_below((r), (uint32_t)ARRAY_SIZE(table))])

/* ------------------------------------------------------------------------ */
/* Tables */

struct region {
	const char *province, *city, *district, *area_code, *postcode;
};

/* Municipalities repeat their name as the city, as the exports do. */
static const struct region regions[] = {
	{ "北京市", "北京市", "朝阳区", "010", "100020" },
	{ "北京市", "北京市", "海淀区", "010", "100080" },
	{ "上海市", "上海市", "浦东新区", "021", "200120" },
	{ "上海市", "上海市", "徐汇区", "021", "200030" },
	{ "天津市", "天津市", "南开区", "022", "300100" },
	{ "重庆市", "重庆市", "渝中区", "023", "400010" },
	{ "浙江省", "杭州市", "西湖区", "0571", "310012" },
	{ "浙江省", "杭州市", "余杭区", "0571", "311100" },
	{ "浙江省", "宁波市", "鄞州区", "0574", "315100" },
	{ "浙江省", "温州市", "鹿城区", "0577", "325000" },
	{ "江苏省", "南京市", "鼓楼区", "025", "210009" },
	{ "江苏省", "苏州市", "姑苏区", "0512", "215000" },
	{ "江苏省", "无锡市", "梁溪区", "0510", "214000" },
	{ "广东省", "广州市", "天河区", "020", "510630" },
	{ "广东省", "深圳市", "南山区", "0755", "518052" },
	{ "广东省", "佛山市", "南海区", "0757", "528200" },
	{ "福建省", "厦门市", "思明区", "0592", "361001" },
	{ "福建省", "福州市", "鼓楼区", "0591", "350001" },
	{ "山东省", "济南市", "历下区", "0531", "250014" },
	{ "山东省", "青岛市", "市南区", "0532", "266001" },
	{ "河南省", "郑州市", "金水区", "0371", "450008" },
	{ "河北省", "石家庄市", "长安区", "0311", "050011" },
	{ "湖北省", "武汉市", "洪山区", "027", "430070" },
	{ "湖南省", "长沙市", "岳麓区", "0731", "410006" },
	{ "四川省", "成都市", "武侯区", "028", "610041" },
	{ "陕西省", "西安市", "雁塔区", "029", "710061" },
	{ "安徽省", "合肥市", "蜀山区", "0551", "230031" },
	{ "江西省", "南昌市", "东湖区", "0791", "330006" },
	{ "辽宁省", "沈阳市", "和平区", "024", "110001" },
	{ "辽宁省", "大连市", "中山区", "0411", "116001" },
	{ "吉林省", "长春市", "朝阳区", "0431", "130012" },
	{ "黑龙江省", "哈尔滨市", "南岗区", "0451", "150001" },
	{ "山西省", "太原市", "小店区", "0351", "030032" },
	{ "云南省", "昆明市", "五华区", "0871", "650021" },
	{ "贵州省", "贵阳市", "南明区", "0851", "550001" },
	{ "海南省", "海口市", "美兰区", "0898", "570203" },
	{ "甘肃省", "兰州市", "城关区", "0931", "730030" },
	{ "青海省", "西宁市", "城中区", "0971", "810000" },
	{ "广西壮族自治区", "南宁市", "青秀区", "0771", "530022" },
	{ "内蒙古自治区", "呼和浩特市", "新城区", "0471", "010050" },
	{ "宁夏回族自治区", "银川市", "兴庆区", "0951", "750001" },
	{ "新疆维吾尔自治区", "乌鲁木齐市", "天山区", "0991", "830002" },
	{ "西藏自治区", "拉萨市", "城关区", "0891", "850000" },
};

static const char *const streets[] = {
	"文三路", "中山路", "人民路", "解放路", "建设路", "长江路", "黄河路", "学院路",
	"新华路", "和平路", "胜利路", "朝阳路", "光明路", "幸福路", "东风路", "金沙路",
	"青年路", "五一路", "延安路", "滨江大道", "科技园路", "江南大道", "府前街", "花园街",
};

static const char *const estates[] = {
	"阳光花园", "金色家园", "翠苑一区", "万科城", "桂花园", "锦绣华庭", "世纪新城",
	"碧水湾", "东方名苑", "南湖小区", "新天地公寓", "枫林苑",
};

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
	"胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
	"邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜",
	"叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭",
	"陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "方", "白", "邹", "孟", "熊",
	"秦", "邱", "江", "尹", "薛", "段", "雷", "侯", "龙", "史", "陶", "贺", "顾", "毛",
	"欧阳", "司马", "诸葛", "上官",
};

static const char *const given_names[] = {
	"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
	"涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "华", "玉兰", "萍", "鑫", "婷",
	"宇", "浩然", "子涵", "欣怡", "梓萱", "一诺", "雨桐", "思远", "俊杰", "佳琪", "晨",
	"晓东", "建国", "小红", "海燕", "志强", "文博", "嘉怡", "诗涵", "博文", "天宇",
	"雪梅", "丹丹", "凯", "琳", "斌", "慧", "亮", "倩", "阳", "颖", "昊天", "若曦",
};

static const char *const nick_words[] = {
	"小鱼儿", "快乐的猫", "阳光少年", "甜甜圈", "追风的人", "蓝色天空", "糖果屋",
	"雨后彩虹", "木子李", "清风徐来", "大白兔", "爱吃鱼的猫", "星星点灯", "柠檬不酸",
	"橘子汽水", "momo", "sunny", "kiki", "lucky", "summer",
};

static const char *const pinyins[] = {
	"zhangwei", "lixiaoyu", "wangfang", "chenjing", "liuyang", "huanglei", "zhaomin",
	"wuhao", "zhoujie", "xuting", "sunqiang", "majun",
};

static const char *const mobile_prefixes[] = {
	"130", "131", "132", "133", "135", "136", "137", "138", "139", "145", "147", "150",
	"151", "152", "153", "155", "156", "157", "158", "159", "166", "170", "173", "175",
	"176", "177", "178", "180", "181", "182", "183", "185", "186", "187", "188", "189",
	"191", "198", "199",
};

struct product {
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

static const struct product products[] = {
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

/* Buyer messages: commas, quotes and newlines (LF and CRLF) inside one field. */
static const char *const messages[] = {
	"请尽快发货，谢谢",
	"发顺丰,到付也可以",
	"请帮忙检查一下\"XL\"码是否偏小",
	"周末家里没人\n请放小区门卫室",
	"送人的，请不要放价格单\r\n谢谢！",
	"颜色要黑色的,不要发错了,谢谢",
	"包装好一点，是礼物",
	"快递放丰巢柜",
	"麻烦备注\"生日快乐\"，谢谢",
	"能开发票吗？抬头：杭州青禾贸易有限公司,税号：91330106MA2B3C4D5E",
	"之前那单拍错了，这个是对的\n地址也改一下\n电话不变",
	"\"加急\",明天要用!!",
};

static const char *const memos[] = {
	"红旗：客户要求发顺丰，补邮费已收",
	"已改地址,见修改后的收货地址",
	"赠品：袜子一双",
	"缺货，延迟3天发",
	"客户要求修改地址,新地址为:见修改后的收货地址 ---2026.11.24 张三",
	"老客户，送小样",
};

struct courier {
	const char *name;
	const char *prefix; /* letters or leading digits of the number */
	int digits;         /* random digits after the prefix */
};

static const struct courier couriers[] = {
	{ "圆通速递", "YT", 13 }, { "中通快递", "7", 13 }, { "申通快递", "77", 11 },
	{ "韵达快递", "43", 11 }, { "顺丰速运", "SF", 13 }, { "极兔速递", "JT", 13 },
	{ "邮政快递包裹", "98", 11 },
};

static const char *const close_reasons[] = {
	"买家不想买了", "卖家缺货", "买家信息填写错误，重新拍", "其他原因", "未及时付款",
};

static const char *const invoice_titles[] = {
	"个人", "杭州青禾贸易有限公司", "上海某某信息科技有限公司", "宁波市海曙区小宋服装店",
};

static const char *const mail_domains[] = { "163.com", "qq.com", "126.com", "sina.com" };

/* Placeholders sellers' tools leave for a missing 商家编码. */
static const char *const code_placeholders[] = { "null", "-", "NULL", "无" };

/* ------------------------------------------------------------------------ */
/* Writing */

struct sink {
	FILE *fp;
	struct sb rows; /* whole rows, UTF-8 */
	iconv_t cd;     /* UTF-8 -> GBK, or (iconv_t)-1 to write UTF-8 */
	uint64_t bytes;
};

static int write_bytes(struct sink *s, const char *p, size_t n, struct err *err)
{
	if (n && fwrite(p, 1, n, s->fp) != n)
		return err_setf(err, ERR_IO, GEN_FIELD, "写入文件失败：%s",
				"failed to write the file: %s", strerror(errno));
	s->bytes += n;
	return 0;
}

/* Converts and writes the batch. Rows are whole, so no character is split. */
static int flush(struct sink *s, struct err *err)
{
	char out[16384];
	int rc = 0;

	if (s->rows.err)
		return err_set(err, ERR_NOMEM, GEN_FIELD, "内存不足", "out of memory");
	if (s->cd == (iconv_t)-1) {
		rc = write_bytes(s, s->rows.buf, s->rows.len, err);
		sb_reset(&s->rows);
		return rc;
	}
	char *ip = s->rows.buf;
	size_t left = s->rows.len;
	while (left > 0) {
		char *op = out;
		size_t room = sizeof out;
		size_t r = iconv(s->cd, &ip, &left, &op, &room);
		int e = errno;
		rc = write_bytes(s, out, (size_t)(op - out), err);
		if (rc)
			break;
		if (r == (size_t)-1 && e != E2BIG) {
			rc = err_setf(err, ERR_INTERNAL, GEN_FIELD, "无法转换为 GBK（偏移 %zu）",
				      "cannot convert to GBK (at offset %zu)",
				      (size_t)(ip - s->rows.buf));
			break;
		}
	}
	sb_reset(&s->rows);
	return rc;
}

static int end_row(struct sink *s, struct err *err)
{
	sb_add(&s->rows, "\r\n", 2);
	if (s->rows.len >= BATCH_BYTES || s->rows.err)
		return flush(s, err);
	return 0;
}

/* A field, quoted when it holds a comma, quote or line end. */
static void put(struct sb *sb, const char *v)
{
	size_t n = strlen(v);

	if (strcspn(v, ",\"\r\n") == n) {
		sb_add(sb, v, n);
		return;
	}
	sb_addc(sb, '"');
	for (const char *q; (q = strchr(v, '"')) != NULL; v = q + 1) {
		sb_add(sb, v, (size_t)(q - v) + 1);
		sb_addc(sb, '"');
	}
	sb_adds(sb, v);
	sb_addc(sb, '"');
}

static void sep(struct sb *sb)
{
	sb_addc(sb, ',');
}

/* Appends v in decimal, at least width digits. */
static void add_uint(struct sb *sb, uint64_t v, int width)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[sizeof tmp - 1 - (size_t)n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width)
		tmp[sizeof tmp - 1 - (size_t)n++] = '0';
	sb_add(sb, tmp + sizeof tmp - (size_t)n, (size_t)n);
}

static void add_money(struct sb *sb, int64_t fen)
{
	add_uint(sb, (uint64_t)(fen / 100), 1);
	sb_addc(sb, '.');
	add_uint(sb, (uint64_t)(fen % 100), 2);
}

static void add_time(struct sb *sb, int64_t utc)
{
	struct cal_dt dt;

	cal_shanghai_from_utc(utc, &dt);
	add_uint(sb, (uint64_t)dt.year, 4);
	sb_addc(sb, '-');
	add_uint(sb, (uint64_t)dt.month, 2);
	sb_addc(sb, '-');
	add_uint(sb, (uint64_t)dt.day, 2);
	sb_addc(sb, ' ');
	add_uint(sb, (uint64_t)dt.hour, 2);
	sb_addc(sb, ':');
	add_uint(sb, (uint64_t)dt.min, 2);
	sb_addc(sb, ':');
	add_uint(sb, (uint64_t)dt.sec, 2);
}

static void add_digits(struct sb *sb, struct rng *r, int n)
{
	char d[32];

	for (int i = 0; i < n && i < (int)sizeof d; i++)
		d[i] = (char)('0' + rng_below(r, 10));
	sb_add(sb, d, (size_t)(n < (int)sizeof d ? n : (int)sizeof d));
}

/* ------------------------------------------------------------------------ */
/* One order */

struct gen_line {
	const struct product *p;
	int v1, v2; /* attribute value indexes, -1 for none */
	int qty;
	int64_t price_fen;
};

struct gen_order {
	char no[24]; /* 19 digits */
	enum taobao_status status;
	int64_t created, paid_at, confirmed_at; /* paid_at/confirmed_at 0 = empty */
	struct gen_line lines[3];
	int n_lines;
	int64_t goods_fen, postage_fen, coupon_fen, jfb_fen, paid_fen;
};

static int count_vals(const char *const *v)
{
	int n = 0;

	while (v && v[n])
		n++;
	return n;
}

/* The 订单编号 as exported: mostly ="…", sometimes bare or tab-prefixed. */
static void put_order_no(struct sb *sb, struct rng *r, const char *no)
{
	uint32_t k = rng_below(r, 100);

	if (k < 94) {
		sb_add(sb, "=\"", 2);
		sb_adds(sb, no);
		sb_addc(sb, '"');
	} else if (k < 97) {
		sb_adds(sb, no);
	} else {
		sb_addc(sb, '\t');
		sb_adds(sb, no);
	}
}

static void put_name(struct sb *sb, struct rng *r)
{
	sb_adds(sb, PICK(r, surnames));
	sb_adds(sb, PICK(r, given_names));
}

static void put_mobile(struct sb *sb, struct rng *r)
{
	sb_adds(sb, PICK(r, mobile_prefixes));
	add_digits(sb, r, 8);
}

static void put_nick(struct sb *sb, struct rng *r)
{
	uint32_t k = rng_below(r, 10);

	if (k < 4) {
		sb_adds(sb, "tb_");
		add_digits(sb, r, 7 + (int)rng_below(r, 4));
	} else if (k < 8) {
		sb_adds(sb, PICK(r, nick_words));
		add_uint(sb, 1985 + rng_below(r, 40), 4);
	} else {
		sb_adds(sb, PICK(r, pinyins));
		add_uint(sb, rng_below(r, 1000), 1);
	}
}

static void put_address(struct sb *sb, struct rng *r, const struct region *g)
{
	sb_adds(sb, g->province);
	sb_addc(sb, ' ');
	sb_adds(sb, g->city);
	sb_addc(sb, ' ');
	sb_adds(sb, g->district);
	sb_addc(sb, ' ');
	sb_adds(sb, PICK(r, streets));
	add_uint(sb, 1 + rng_below(r, 300), 1);
	sb_adds(sb, "号");
	if (rng_permille(r, 600)) {
		sb_adds(sb, PICK(r, estates));
		add_uint(sb, 1 + rng_below(r, 20), 1);
		sb_adds(sb, "幢");
		add_uint(sb, 1 + rng_below(r, 4), 1);
		sb_adds(sb, "单元");
		add_uint(sb, 1 + rng_below(r, 30), 1);
		add_uint(sb, 1 + rng_below(r, 4), 2);
		sb_adds(sb, "室");
	}
	sb_addc(sb, '(');
	sb_adds(sb, g->postcode);
	sb_addc(sb, ')');
}

/* A value that sometimes carries the trailing spaces real exports have. */
static void put_spacey(struct sb *sb, struct sb *tmp, struct rng *r, uint32_t pm)
{
	if (rng_permille(r, pm))
		sb_adds(tmp, rng_permille(r, 500) ? " " : "  ");
	put(sb, tmp->buf);
	sb_reset(tmp);
}

static void make_order(struct gen_order *o, struct rng *r, long i, long n, int64_t end_utc,
		       uint64_t seq_off)
{
	struct cal_dt dt;
	uint32_t k;

	memset(o, 0, sizeof *o);
	/* Newest first, as the seller center lists them. */
	int64_t step = SPAN_S / n;
	o->created = end_utc - 1 - (int64_t)i * SPAN_S / n -
		     (step > 1 ? (int64_t)rng_below(r, (uint32_t)step) : 0);
	if (o->created < end_utc - SPAN_S)
		o->created = end_utc - SPAN_S;

	/* 19 digits: the creation date, then 11 digits that are a bijection of i
	 * (the multiplier is coprime to 10), so numbers never repeat. */
	cal_shanghai_from_utc(o->created, &dt);
	uint64_t seq = ((uint64_t)i * UINT64_C(37789636171) + seq_off) % UINT64_C(100000000000);
	snprintf(o->no, sizeof o->no, "%04d%02d%02d%011" PRIu64, dt.year, dt.month, dt.day, seq);

	k = rng_below(r, 100);
	o->status = k < 5    ? TAOBAO_STATUS_WAIT_PAY
		    : k < 30 ? TAOBAO_STATUS_WAIT_SHIP
		    : k < 50 ? TAOBAO_STATUS_SHIPPED
		    : k < 90 ? TAOBAO_STATUS_SUCCESS
		    : k < 95 ? TAOBAO_STATUS_CLOSED
			     : TAOBAO_STATUS_REFUND_CLOSED;
	/* Recent orders cannot have got far yet: nothing ships in its first
	 * hours, and buyers confirm receipt days later. */
	int64_t age = end_utc - o->created;
	if (o->status == TAOBAO_STATUS_SUCCESS && age < 3 * DAY_S)
		o->status = TAOBAO_STATUS_SHIPPED;
	if (o->status == TAOBAO_STATUS_SHIPPED && age < DAY_S / 4)
		o->status = TAOBAO_STATUS_WAIT_SHIP;
	if (o->status != TAOBAO_STATUS_WAIT_PAY && o->status != TAOBAO_STATUS_CLOSED) {
		/* paid 5 s to 30 min after ordering, before the export */
		int64_t delay = 5 + rng_below(r, 1800);
		if (delay >= age)
			delay = age / 2;
		o->paid_at = o->created + delay;
	}
	if (o->status == TAOBAO_STATUS_SUCCESS) {
		/* confirmed 2 to 10 days after paying, before the export */
		int64_t after = 2 * DAY_S + rng_below(r, 8 * DAY_S);
		if (o->paid_at + after >= end_utc)
			after = (end_utc - o->paid_at) / 2;
		o->confirmed_at = o->paid_at + after;
	}

	/* 1-3 lines of different products: 60% / 30% / 10%, mean 1.5. */
	k = rng_below(r, 10);
	o->n_lines = k < 6 ? 1 : k < 9 ? 2 : 3;
	uint32_t first = rng_below(r, (uint32_t)ARRAY_SIZE(products));
	for (int j = 0; j < o->n_lines; j++) {
		struct gen_line *l = &o->lines[j];
		l->p = &products[(first + (uint32_t)j * 5) % ARRAY_SIZE(products)];
		l->v1 = (int)rng_below(r, (uint32_t)count_vals(l->p->vals1));
		l->v2 = l->p->vals2 ? (int)rng_below(r, (uint32_t)count_vals(l->p->vals2)) : -1;
		k = rng_below(r, 100);
		l->qty = k < 85 ? 1 : k < 97 ? 2 : 3;
		/* now and then an event price a little under the list price */
		l->price_fen = l->p->price_fen - (rng_permille(r, 150) ? 1000 : 0);
		o->goods_fen += l->price_fen * l->qty;
	}
	k = rng_below(r, 10);
	o->postage_fen = k < 7 ? 0 : k < 9 ? 600 : 1200;
	if (rng_permille(r, 100))
		o->coupon_fen = 500 * (1 + (int64_t)rng_below(r, 4));
	if (rng_permille(r, 50))
		o->jfb_fen = 50 + (int64_t)rng_below(r, 451);
	int64_t total = o->goods_fen + o->postage_fen;
	if (o->coupon_fen > total)
		o->coupon_fen = total;
	if (o->jfb_fen > total - o->coupon_fen)
		o->jfb_fen = total - o->coupon_fen;
	o->paid_fen = total - o->coupon_fen - o->jfb_fen;
}

static void put_waybill(struct sb *sb, struct rng *r, const struct courier *c)
{
	uint32_t k = rng_below(r, 100);

	if (k < 45)
		sb_adds(sb, "No:");
	else if (k < 48)
		sb_adds(sb, "No：");
	sb_adds(sb, c->prefix);
	add_digits(sb, r, c->digits);
}

static void write_order_row(struct sb *sb, struct sb *tmp, struct rng *r, const struct gen_order *o,
			    const char *shop_id)
{
	const struct region *g = &PICK(r, regions);
	int shipped = o->status == TAOBAO_STATUS_SHIPPED || o->status == TAOBAO_STATUS_SUCCESS ||
		      (o->status == TAOBAO_STATUS_REFUND_CLOSED && rng_permille(r, 300));
	const struct courier *c = &PICK(r, couriers);
	int qty = 0;

	put_order_no(sb, r, o->no); /* 订单编号 */
	sep(sb);
	put_nick(tmp, r); /* 买家会员名 */
	put(sb, tmp->buf);
	sb_reset(tmp);
	sep(sb);
	switch (rng_below(r, 10)) { /* 买家支付宝账号, masked as exported */
	case 0:
	case 1:
		break;
	case 2:
	case 3:
	case 4:
		sb_adds(sb, PICK(r, pinyins));
		sb_adds(sb, "***@");
		sb_adds(sb, PICK(r, mail_domains));
		break;
	default:
		sb_adds(sb, PICK(r, mobile_prefixes));
		sb_adds(sb, "****");
		add_digits(sb, r, 4);
	}
	sep(sb);
	add_money(sb, o->goods_fen); /* 买家应付货款 */
	sep(sb);
	add_money(sb, o->postage_fen); /* 买家应付邮费 */
	sep(sb);
	sb_addc(sb, '0'); /* 买家支付积分 */
	sep(sb);
	add_money(sb, o->goods_fen + o->postage_fen); /* 总金额 */
	sep(sb);
	add_uint(sb, o->paid_at ? (uint64_t)(o->paid_fen / 20000) : 0, 1); /* 返点积分 */
	sep(sb);
	add_money(sb, o->paid_fen); /* 买家实际支付金额 */
	sep(sb);
	sb_addc(sb, '0'); /* 买家实际支付积分 */
	sep(sb);
	sb_adds(sb, taobao_status_text(o->status)); /* 订单状态 */
	sep(sb);
	if (rng_permille(r, 150)) /* 买家留言 */
		put(sb, PICK(r, messages));
	sep(sb);
	put_name(tmp, r); /* 收货人姓名 */
	put_spacey(sb, tmp, r, 30);
	sep(sb);
	put_address(tmp, r, g); /* 收货地址 */
	put(sb, tmp->buf);
	sb_reset(tmp);
	sep(sb);
	sb_adds(sb, rng_permille(r, 20) ? "EMS" : "快递"); /* 运送方式 */
	sep(sb);
	/* 联系电话 / 联系手机: a landline instead of a mobile now and then */
	int landline_only = rng_permille(r, 50);
	if (landline_only || rng_permille(r, 30)) {
		sb_adds(sb, g->area_code);
		sb_addc(sb, '-');
		add_uint(sb, 2 + rng_below(r, 8), 1);
		add_digits(sb, r, 7);
	}
	sep(sb);
	if (!landline_only) {
		uint32_t k = rng_below(r, 100);
		if (k < 35)
			sb_addc(sb, '\'');
		else if (k < 37)
			sb_addc(sb, '\t');
		put_mobile(sb, r);
	}
	sep(sb);
	add_time(sb, o->created); /* 订单创建时间 */
	sep(sb);
	if (o->paid_at) /* 订单付款时间 */
		add_time(sb, o->paid_at);
	sep(sb);
	for (int j = 0; j < o->n_lines; j++) { /* 宝贝标题 */
		if (j)
			sb_addc(tmp, ',');
		sb_adds(tmp, o->lines[j].p->title);
		qty += o->lines[j].qty;
	}
	put(sb, tmp->buf);
	sb_reset(tmp);
	sep(sb);
	add_uint(sb, (uint64_t)o->n_lines, 1); /* 宝贝种类 */
	sep(sb);
	if (shipped) /* 物流单号 */
		put_waybill(sb, r, c);
	sep(sb);
	if (shipped) { /* 物流公司 */
		sb_adds(tmp, c->name);
		put_spacey(sb, tmp, r, 50);
	}
	sep(sb);
	if (rng_permille(r, 80)) /* 订单备注 */
		put(sb, PICK(r, memos));
	sep(sb);
	add_uint(sb, (uint64_t)qty, 1); /* 宝贝总数量 */
	sep(sb);
	sb_adds(sb, shop_id); /* 店铺Id */
	sep(sb);
	sb_adds(sb, "青禾旗舰店"); /* 店铺名称 */
	sep(sb);
	if (o->status == TAOBAO_STATUS_CLOSED) /* 订单关闭原因 */
		put(sb, PICK(r, close_reasons));
	else if (o->status == TAOBAO_STATUS_REFUND_CLOSED)
		sb_adds(sb, "退款成功");
	else
		sb_adds(sb, "订单未关闭");
	sep(sb);
	sb_adds(sb, "0.00"); /* 卖家服务费 */
	sep(sb);
	sb_adds(sb, rng_permille(r, 100) ? "0.00元" : "0.00"); /* 买家服务费 */
	sep(sb);
	if (rng_permille(r, 30)) /* 发票抬头 */
		put(sb, PICK(r, invoice_titles));
	sep(sb);
	if (rng_permille(r, 800)) /* 是否手机订单 */
		sb_adds(sb, "手机订单");
	sep(sb); /* 分阶段订单信息 */
	sep(sb); /* 特权订金订单id */
	sep(sb);
	sb_adds(sb, "否"); /* 是否上传合同照片 */
	sep(sb);
	sb_adds(sb, "否"); /* 是否上传小票 */
	sep(sb);
	sb_adds(sb, rng_permille(r, 10) ? "是" : "否"); /* 是否代付 */
	sep(sb); /* 定金排名 */
	sep(sb); /* 修改后的sku */
	sep(sb);
	if (rng_permille(r, 20)) { /* 修改后的收货地址 */
		put_address(tmp, r, &PICK(r, regions));
		put(sb, tmp->buf);
		sb_reset(tmp);
	}
	sep(sb); /* 异常信息 */
	sep(sb);
	add_money(sb, o->coupon_fen); /* 天猫卡券抵扣 */
	sep(sb);
	add_money(sb, o->jfb_fen); /* 集分宝抵扣 */
	sep(sb); /* 是否是O2O交易 */
	sep(sb);
	add_money(sb, o->status == TAOBAO_STATUS_REFUND_CLOSED ? o->paid_fen : 0); /* 退款金额 */
	sep(sb); /* 预约门店 */
	sep(sb);
	if (o->confirmed_at) /* 确认收货时间 */
		add_time(sb, o->confirmed_at);
}

static void write_item_row(struct sb *sb, struct sb *tmp, struct rng *r, const struct gen_order *o,
			   const struct gen_line *l)
{
	put_order_no(sb, r, o->no); /* 订单编号 */
	sep(sb);
	put(sb, l->p->title); /* 标题 */
	sep(sb);
	add_money(sb, l->price_fen); /* 价格 */
	sep(sb);
	add_uint(sb, (uint64_t)l->qty, 1); /* 购买数量 */
	sep(sb);
	uint32_t k = rng_below(r, 100); /* 外部系统编号 */
	if (k < 25)
		sb_adds(sb, l->p->code);
	else if (k < 28)
		sb_adds(sb, "null");
	sep(sb);
	sb_adds(tmp, l->p->attr1); /* 商品属性 */
	sb_addc(tmp, ':');
	sb_adds(tmp, l->p->vals1[l->v1]);
	if (l->v2 >= 0) {
		sb_addc(tmp, ';');
		sb_adds(tmp, l->p->attr2);
		sb_addc(tmp, ':');
		sb_adds(tmp, l->p->vals2[l->v2]);
	}
	put(sb, tmp->buf);
	sb_reset(tmp);
	sep(sb); /* 套餐信息 */
	sep(sb);
	if (rng_permille(r, 20)) /* 备注 */
		sb_adds(sb, "赠品");
	sep(sb);
	sb_adds(sb, taobao_status_text(o->status)); /* 订单状态 */
	sep(sb);
	k = rng_below(r, 100); /* 商家编码 */
	if (k < 8)
		return;
	if (k < 13) {
		sb_adds(sb, PICK(r, code_placeholders));
		return;
	}
	sb_adds(tmp, l->p->code);
	sb_addc(tmp, '-');
	add_uint(tmp, (uint64_t)l->v1 + 1, 2);
	if (l->v2 >= 0) {
		sb_addc(tmp, '-');
		add_uint(tmp, (uint64_t)l->v2 + 1, 2);
	}
	put_spacey(sb, tmp, r, 30);
}

static void put_header(struct sb *sb, const char *const *cols, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			sep(sb);
		sb_adds(sb, cols[i]);
	}
}

/* ------------------------------------------------------------------------ */

int taobao_gen_write(FILE *orders_out, FILE *items_out, const struct taobao_gen_opts *opts,
		     struct taobao_gen_stats *stats, struct err *err)
{
	struct sink so = { orders_out, SB_INIT, (iconv_t)-1, 0 };
	struct sink si = { items_out, SB_INIT, (iconv_t)-1, 0 };
	struct sb tmp = SB_INIT;
	struct rng r = { opts->seed };
	struct gen_order o;
	long items = 0;
	int rc = 0;

	if (opts->orders < 0 || opts->orders > TAOBAO_GEN_MAX_ORDERS)
		return err_setf(err, ERR_INVALID, "orders", "订单数须在 0 到 %ld 之间",
				"the order count must be between 0 and %ld", TAOBAO_GEN_MAX_ORDERS);
	if (!opts->utf8) {
		so.cd = iconv_open("GBK", "UTF-8");
		si.cd = iconv_open("GBK", "UTF-8");
		if (so.cd == (iconv_t)-1 || si.cd == (iconv_t)-1) {
			rc = err_set(err, ERR_INTERNAL, GEN_FIELD, "系统不支持 GBK 转换",
				     "GBK conversion is not available");
			goto out;
		}
	}

	/* The export date comes from the seed, never the clock: the end of one
	 * of the 366 days before 2026-11-12 (Shanghai). */
	struct cal_dt base = { 2026, 11, 12, 0, 0, 0 };
	int64_t end_utc = cal_utc_from_shanghai(&base) - (int64_t)(opts->seed % 366) * DAY_S;
	uint64_t seq_off = rng_next(&r) % UINT64_C(100000000000);
	char shop_id[16];
	snprintf(shop_id, sizeof shop_id, "%" PRIu32, UINT32_C(57300000) + rng_below(&r, 99999));

	if (opts->utf8 && opts->bom) {
		sb_adds(&so.rows, "\xEF\xBB\xBF");
		sb_adds(&si.rows, "\xEF\xBB\xBF");
	}
	put_header(&so.rows, taobao_order_columns, TAOBAO_ORDER_NCOLS);
	rc = end_row(&so, err);
	if (rc)
		goto out;
	put_header(&si.rows, taobao_item_columns, TAOBAO_ITEM_NCOLS);
	rc = end_row(&si, err);
	if (rc)
		goto out;

	for (long i = 0; i < opts->orders; i++) {
		make_order(&o, &r, i, opts->orders, end_utc, seq_off);
		write_order_row(&so.rows, &tmp, &r, &o, shop_id);
		rc = end_row(&so, err);
		if (rc)
			goto out;
		for (int j = 0; j < o.n_lines; j++) {
			write_item_row(&si.rows, &tmp, &r, &o, &o.lines[j]);
			rc = end_row(&si, err);
			if (rc)
				goto out;
			items++;
		}
		if (tmp.err) {
			rc = err_set(err, ERR_NOMEM, GEN_FIELD, "内存不足", "out of memory");
			goto out;
		}
	}
	rc = flush(&so, err);
	if (rc)
		goto out;
	rc = flush(&si, err);
	if (rc)
		goto out;
	if (fflush(orders_out) || fflush(items_out))
		rc = err_setf(err, ERR_IO, GEN_FIELD, "写入文件失败：%s",
			      "failed to write the file: %s", strerror(errno));
	if (stats) {
		stats->orders = opts->orders;
		stats->items = items;
		stats->orders_bytes = so.bytes;
		stats->items_bytes = si.bytes;
		stats->end_utc = end_utc;
	}
out:
	if (so.cd != (iconv_t)-1)
		iconv_close(so.cd);
	if (si.cd != (iconv_t)-1)
		iconv_close(si.cd);
	sb_release(&so.rows);
	sb_release(&si.rows);
	sb_release(&tmp);
	return rc;
}
