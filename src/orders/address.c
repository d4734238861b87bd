#include "orders/address.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/sb.h"
#include "lib/utf8.h"
#include "lib/xalloc.h"
#include "lib/common.h"

/*
 * Design.
 *
 * The table is an array of areas (province, city, county-level), one string
 * pool holding their names and short names, and an open-addressing hash of every
 * name and short name ("key") to a list of the areas it names ("postings").
 * Keys are at least two code points long, so the placeholder city "县" is never
 * matched as text.
 *
 * Parsing looks for names at the current position by hashing each prefix of the
 * text that ends on a code point boundary, up to the longest key: FNV-1a is
 * incremental, so that costs one multiply per byte and one probe per code point.
 * Names contain no ASCII, so the scan also stops at the first ASCII byte.
 *
 * A reading ("chain") is a run of matches from the start of the text, each one
 * level below the last and inside it: [province] [city] [district], any of them
 * left out, plus two fillers that consume text without adding a level (a
 * municipality's name repeated at the city level, and a district's name
 * repeated right after it). walk() tries every chain (at most a few dozen in
 * practice, bounded by WALK_MAX_STEPS for hostile input) and keeps the best:
 * complete (has a district) first, then more text matched, then fewer short
 * names. Ties that end in different districts are reported as ambiguous.
 */

#define FNV_OFFSET 2166136261u
#define FNV_PRIME 16777619u

#define AREA_PLACEHOLDER 1u   /* city level: 市辖区, 县, 省直辖县级行政区划 */
#define AREA_MUNICIPALITY 2u  /* province whose cities are all placeholders */

#define NAME_MAX_BYTES 120    /* longest name accepted in the data */
#define MATCH_MAX 32          /* names considered at one position */
#define WALK_MAX_STEPS 4096   /* chains explored for one address */
#define ALT_MAX 4             /* ambiguous candidates named in a message */
#define TOKEN_MAX_CPS 12      /* an unknown name quoted in a message */

struct area {
	uint32_t code;
	int32_t parent;      /* index, -1 for a province */
	int32_t only_child;  /* city with exactly one county-level area: its index, else -1 */
	uint32_t name_off;   /* into pool */
	uint16_t name_len;
	uint8_t level;
	uint8_t flags;
};

struct key {                 /* a name or short name, before hashing */
	uint32_t off;
	uint16_t len;
	uint8_t alias;
	int32_t area;
};

struct posting {
	int32_t area;
	int32_t next;        /* index, -1 at the end */
	uint8_t alias;
};

struct slot {
	uint32_t hash;
	uint32_t off;
	uint16_t len;        /* 0: empty slot */
	int32_t head, tail;  /* postings, in data order */
};

struct addr_table {
	struct area *areas;
	size_t nareas;
	int32_t *by_code;    /* area indices sorted by code */
	char *pool;
	struct slot *slots;
	size_t slot_mask;
	struct posting *postings;
	size_t npostings;
	size_t max_key;      /* bytes */
	int ascii_free;      /* no name contains an ASCII byte */
	size_t count[4];
};

/* ---------------------------------------------------------------- utilities */

static int has_suffix(const char *s, size_t n, const char *suf, size_t *stem)
{
	size_t k = strlen(suf);
	if (n <= k || memcmp(s + n - k, suf, k) != 0)
		return 0;
	*stem = n - k;
	return 1;
}

static size_t count_cps(const char *s, size_t n)
{
	return utf8_len(s, n);
}

static uint32_t fnv(const char *s, size_t n)
{
	uint32_t h = FNV_OFFSET;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * FNV_PRIME;
	return h;
}

static const char *area_name(const struct addr_table *t, int32_t i)
{
	return t->pool + t->areas[i].name_off;
}

static int32_t province_of(const struct addr_table *t, int32_t i)
{
	while (i >= 0 && t->areas[i].level > 1)
		i = t->areas[i].parent;
	return i;
}

/* ------------------------------------------------------------ loading data */

/*
 * Ethnic groups that appear in the names of autonomous regions and prefectures.
 * Dropping them (and 自治区 / 自治州) gives the short names people write:
 * 广西壮族自治区 -> 广西, 黔东南苗族侗族自治州 -> 黔东南, 伊犁哈萨克自治州 -> 伊犁.
 * test_address checks that every autonomous prefecture in the data gets one.
 */
static const char *const ethnic[] = {
	"壮族", "维吾尔", "回族", "朝鲜族", "土家族", "苗族", "藏族", "羌族", "彝族",
	"布依族", "哈尼族", "傣族", "景颇族", "傈僳族", "白族", "蒙古族", "蒙古",
	"柯尔克孜", "哈萨克", "侗族",
};

static size_t strip_ethnic(const char *s, size_t n)
{
	int again = 1;
	while (again) {
		again = 0;
		for (size_t i = 0; i < ARRAY_SIZE(ethnic); i++) {
			size_t stem;
			if (has_suffix(s, n, ethnic[i], &stem) && count_cps(s, stem) >= 2) {
				n = stem;
				again = 1;
				break;
			}
		}
	}
	return n;
}

static int is_placeholder_city(const char *s, size_t n)
{
	size_t stem;
	return (n == strlen("市辖区") && memcmp(s, "市辖区", n) == 0) ||
	       (n == strlen("县") && memcmp(s, "县", n) == 0) ||
	       has_suffix(s, n, "直辖县级行政区划", &stem);
}

struct loader {
	struct addr_table *t;
	struct sb pool;
	struct key *keys;
	size_t nkeys, cap_keys;
};

static void add_key(struct loader *l, int32_t area, uint32_t off, size_t len, int alias)
{
	if (len > NAME_MAX_BYTES || count_cps(l->pool.buf + off, len) < 2)
		return;
	if (l->nkeys == l->cap_keys)
		BUG("address: key array too small");
	struct key *k = &l->keys[l->nkeys++];
	k->off = off;
	k->len = (uint16_t)len;
	k->alias = (uint8_t)alias;
	k->area = area;
}

/* Appends a short name (stem of the full name, plus an optional suffix) to the pool. */
static void add_alias(struct loader *l, int32_t area, size_t stem, const char *suffix)
{
	const struct area *a = &l->t->areas[area];
	char tmp[NAME_MAX_BYTES];
	size_t off = l->pool.len;

	/* copy first: appending may move the pool the stem lives in */
	memcpy(tmp, l->pool.buf + a->name_off, stem);
	sb_add(&l->pool, tmp, stem);
	if (suffix)
		sb_adds(&l->pool, suffix);
	sb_addc(&l->pool, '\0');
	if (l->pool.err)
		return;
	add_key(l, area, (uint32_t)off, l->pool.len - 1 - off, 1);
}

static void add_names(struct loader *l, int32_t i)
{
	const struct area *a = &l->t->areas[i];
	const char *name = l->pool.buf + a->name_off;
	size_t n = a->name_len, stem;

	add_key(l, i, a->name_off, n, 0);
	if (a->level == 1) {
		if (has_suffix(name, n, "自治区", &stem))
			add_alias(l, i, strip_ethnic(name, stem), NULL);
		else if (has_suffix(name, n, "省", &stem) || has_suffix(name, n, "市", &stem))
			add_alias(l, i, stem, NULL);
	} else if (a->level == 2 && !(a->flags & AREA_PLACEHOLDER)) {
		if (has_suffix(name, n, "自治州", &stem)) {
			stem = strip_ethnic(name, stem);
			add_alias(l, i, stem, NULL);
			add_alias(l, i, stem, "州");
		} else if (has_suffix(name, n, "地区", &stem) || has_suffix(name, n, "盟", &stem) ||
			   has_suffix(name, n, "市", &stem)) {
			add_alias(l, i, stem, NULL);
		}
	}
	/* Districts: full names only (see address.h). */
}

/* Parses an unsigned decimal field of 1..9 digits. */
static int parse_u32(const char *s, size_t n, uint32_t *v)
{
	uint32_t x = 0;
	if (n == 0 || n > 9)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (uint32_t)(s[i] - '0');
	}
	*v = x;
	return 0;
}

static size_t code_digits(uint32_t code)
{
	size_t d = 1;
	while (code >= 10) {
		code /= 10;
		d++;
	}
	return d;
}

/* One data line: code TAB parent TAB level TAB name. The parent code goes into
 * a->parent for now and is turned into an index once every line is in. */
static int load_line(struct loader *l, const char *s, size_t n, size_t lineno, struct err *err)
{
	const char *f[4];
	size_t fl[4], k = 0, start = 0;
	uint32_t code, parent, level;

	for (size_t i = 0; i <= n && k < 4; i++) {
		if (i == n || s[i] == '\t') {
			f[k] = s + start;
			fl[k] = i - start;
			k++;
			start = i + 1;
		}
	}
	if (k != 4 || start <= n || parse_u32(f[0], fl[0], &code) || parse_u32(f[1], fl[1], &parent) ||
	    parse_u32(f[2], fl[2], &level) || level < 1 || level > 3 ||
	    code_digits(code) != 2 * level || (level == 1) != (parent == 0) ||
	    fl[3] == 0 || fl[3] > NAME_MAX_BYTES || !utf8_valid(f[3], fl[3]) ||
	    memchr(f[3], '\0', fl[3]))
		return err_setf(err, ERR_INVALID, "divisions", "行政区划数据第%zu行无效",
				"division data line %zu is malformed", lineno);

	struct area *a = &l->t->areas[l->t->nareas++];
	a->code = code;
	a->parent = (int32_t)parent;
	a->only_child = -1;
	a->level = (uint8_t)level;
	a->flags = level == 2 && is_placeholder_city(f[3], fl[3]) ? AREA_PLACEHOLDER : 0;
	a->name_off = (uint32_t)l->pool.len;
	a->name_len = (uint16_t)fl[3];
	sb_add(&l->pool, f[3], fl[3]);
	sb_addc(&l->pool, '\0');
	if (l->pool.err) /* the names are read back from the pool: stop here */
		return err_set(err, ERR_NOMEM, "divisions", "内存不足", "out of memory");
	for (size_t i = 0; i < fl[3]; i++)
		if ((unsigned char)f[3][i] < 0x80)
			l->t->ascii_free = 0;
	return 0;
}

struct code_idx {
	uint32_t code;
	int32_t idx;
};

static int cmp_code(const void *x, const void *y)
{
	uint32_t a = ((const struct code_idx *)x)->code, b = ((const struct code_idx *)y)->code;
	return a < b ? -1 : a > b;
}

static int32_t find_code(const struct addr_table *t, uint32_t code)
{
	size_t lo = 0, hi = t->nareas;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t c = t->areas[t->by_code[mid]].code;
		if (c == code)
			return t->by_code[mid];
		if (c < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Turns parent codes into indices and sets the derived flags. */
static int link_areas(struct addr_table *t, struct err *err)
{
	struct code_idx *ci = xcalloc(t->nareas, sizeof *ci);
	if (!ci)
		return err_set(err, ERR_NOMEM, "divisions", "内存不足", "out of memory");
	for (size_t i = 0; i < t->nareas; i++) {
		ci[i].code = t->areas[i].code;
		ci[i].idx = (int32_t)i;
	}
	qsort(ci, t->nareas, sizeof *ci, cmp_code);
	for (size_t i = 0; i < t->nareas; i++)
		t->by_code[i] = ci[i].idx;
	xfree(ci);
	for (size_t i = 1; i < t->nareas; i++)
		if (t->areas[t->by_code[i]].code == t->areas[t->by_code[i - 1]].code)
			return err_setf(err, ERR_INVALID, "divisions", "行政区划代码%u重复",
					"division code %u appears twice",
					(unsigned)t->areas[t->by_code[i]].code);

	int32_t *nchild = xcalloc(t->nareas, sizeof *nchild);
	if (!nchild)
		return err_set(err, ERR_NOMEM, "divisions", "内存不足", "out of memory");
	for (size_t i = 0; i < t->nareas; i++) {
		struct area *a = &t->areas[i];
		if (a->level == 1) {
			a->parent = -1;
			continue;
		}
		int32_t p = find_code(t, (uint32_t)a->parent);
		if (p < 0 || t->areas[p].level != a->level - 1) {
			xfree(nchild);
			return err_setf(err, ERR_INVALID, "divisions", "行政区划%u的上级%u不存在",
					"division %u has no parent %u", (unsigned)a->code,
					(unsigned)a->parent);
		}
		a->parent = p;
		nchild[p]++;
		t->areas[p].only_child = (int32_t)i;
	}
	for (size_t i = 0; i < t->nareas; i++) {
		struct area *a = &t->areas[i];
		if (a->level == 2 && nchild[i] != 1)
			a->only_child = -1;
		if (a->level != 2)
			a->only_child = -1;
		if (a->level == 1 && nchild[i] > 0)
			a->flags |= AREA_MUNICIPALITY;
	}
	/* A province is a municipality when all its cities are placeholders. */
	for (size_t i = 0; i < t->nareas; i++) {
		const struct area *a = &t->areas[i];
		if (a->level == 2 && !(a->flags & AREA_PLACEHOLDER))
			t->areas[a->parent].flags &= (uint8_t)~AREA_MUNICIPALITY;
	}
	for (size_t i = 0; i < t->nareas; i++)
		t->count[t->areas[i].level]++;
	t->count[0] = t->nareas;
	xfree(nchild);
	return 0;
}

static int build_hash(struct addr_table *t, const struct loader *l, struct err *err)
{
	size_t nslots = 16;
	while (nslots < 2 * l->nkeys)
		nslots *= 2;
	t->slots = xcalloc(nslots, sizeof *t->slots);
	t->postings = xcalloc(l->nkeys ? l->nkeys : 1, sizeof *t->postings);
	if (!t->slots || !t->postings)
		return err_set(err, ERR_NOMEM, "divisions", "内存不足", "out of memory");
	t->slot_mask = nslots - 1;
	for (size_t i = 0; i < l->nkeys; i++) {
		const struct key *k = &l->keys[i];
		const char *s = t->pool + k->off;
		uint32_t h = fnv(s, k->len);
		size_t j = h & t->slot_mask;
		struct slot *sl;

		for (;;) {
			sl = &t->slots[j];
			if (!sl->len || (sl->hash == h && sl->len == k->len &&
					 memcmp(t->pool + sl->off, s, k->len) == 0))
				break;
			j = (j + 1) & t->slot_mask;
		}
		int32_t dup = 0;
		for (int32_t p = sl->len ? sl->head : -1; p >= 0; p = t->postings[p].next)
			if (t->postings[p].area == k->area)
				dup = 1;
		if (dup)
			continue;
		int32_t pi = (int32_t)t->npostings++;
		t->postings[pi].area = k->area;
		t->postings[pi].alias = k->alias;
		t->postings[pi].next = -1;
		if (!sl->len) {
			sl->hash = h;
			sl->off = k->off;
			sl->len = k->len;
			sl->head = pi;
		} else {
			t->postings[sl->tail].next = pi;
		}
		sl->tail = pi;
		if (k->len > t->max_key)
			t->max_key = k->len;
	}
	return 0;
}

int addr_table_new(const char *tsv, size_t len, struct addr_table **out, struct err *err)
{
	struct loader l = { NULL, SB_INIT, NULL, 0, 0 };
	size_t lines = 1, lineno = 0;
	int rc = 0;

	*out = NULL;
	for (size_t i = 0; i < len; i++)
		lines += tsv[i] == '\n';
	l.t = xcalloc(1, sizeof *l.t);
	if (!l.t)
		return err_set(err, ERR_NOMEM, "divisions", "内存不足", "out of memory");
	l.t->ascii_free = 1;
	l.t->areas = xcalloc(lines, sizeof *l.t->areas);
	l.cap_keys = lines * 3;
	l.keys = xcalloc(l.cap_keys, sizeof *l.keys);
	if (!l.t->areas || !l.keys) {
		rc = err_set(err, ERR_NOMEM, "divisions", "内存不足", "out of memory");
		goto out;
	}
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(tsv + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - tsv) : len, n = end - pos;
		lineno++;
		if (n && tsv[pos + n - 1] == '\r')
			n--;
		if (n && tsv[pos] != '#') {
			rc = load_line(&l, tsv + pos, n, lineno, err);
			if (rc)
				goto out;
		}
		pos = end + 1;
	}
	if (l.t->nareas == 0) {
		rc = err_set(err, ERR_INVALID, "divisions", "行政区划数据为空", "division data is empty");
		goto out;
	}
	l.t->by_code = xcalloc(l.t->nareas, sizeof *l.t->by_code);
	if (!l.t->by_code) {
		rc = err_set(err, ERR_NOMEM, "divisions", "内存不足", "out of memory");
		goto out;
	}
	rc = link_areas(l.t, err);
	if (rc)
		goto out;
	for (size_t i = 0; i < l.t->nareas; i++)
		add_names(&l, (int32_t)i);
	l.t->pool = sb_take(&l.pool, err);
	if (!l.t->pool) {
		rc = err->code ? err->code : ERR_NOMEM;
		goto out;
	}
	rc = build_hash(l.t, &l, err);
out:
	sb_release(&l.pool);
	xfree(l.keys);
	if (rc) {
		addr_table_free(l.t);
		return rc;
	}
	*out = l.t;
	return 0;
}

void addr_table_free(struct addr_table *t)
{
	if (!t)
		return;
	xfree(t->areas);
	xfree(t->by_code);
	xfree(t->pool);
	xfree(t->slots);
	xfree(t->postings);
	xfree(t);
}

size_t addr_table_count(const struct addr_table *t, int level)
{
	return level >= 0 && level <= 3 ? t->count[level] : 0;
}

const char *addr_code_name(const struct addr_table *t, uint32_t code)
{
	int32_t i = find_code(t, code);
	return i < 0 ? NULL : area_name(t, i);
}

/* ------------------------------------------------------------ text helpers */

/* Bytes of a separator between levels at s[i], or 0. */
static size_t sep_at(const char *s, size_t n, size_t i)
{
	unsigned char c = (unsigned char)s[i];
	if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' || c == '/' || c == '|' ||
	    c == ';')
		return 1;
	if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0)
		return 2; /* U+00A0 no-break space */
	if (c == 0xE3 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
	    ((unsigned char)s[i + 2] == 0x80 || (unsigned char)s[i + 2] == 0x81))
		return 3; /* U+3000 ideographic space, U+3001 、 */
	if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBC &&
	    ((unsigned char)s[i + 2] == 0x8C || (unsigned char)s[i + 2] == 0x9B))
		return 3; /* U+FF0C ，  U+FF1B ； */
	return 0;
}

static size_t skip_seps(const char *s, size_t n, size_t i)
{
	size_t k;
	while (i < n && (k = sep_at(s, n, i)) != 0)
		i += k;
	return i;
}

/* Bytes of a separator ending at s[end) (so the text can be trimmed from the right), or 0. */
static size_t sep_before(const char *s, size_t end)
{
	for (size_t k = 1; k <= 3 && k <= end; k++)
		if (sep_at(s, end, end - k) == k)
			return k;
	return 0;
}

static int is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int starts_with(const char *s, size_t n, size_t i, const char *lit)
{
	size_t k = strlen(lit);
	return i + k <= n && memcmp(s + i, lit, k) == 0;
}

/* A leading "中国", "中国大陆", a postcode (bare or in brackets), and separators. */
static size_t skip_head(const char *s, size_t n, char *postcode)
{
	size_t i = skip_seps(s, n, 0);
	if (starts_with(s, n, i, "中国")) {
		i += strlen("中国");
		if (starts_with(s, n, i, "大陆"))
			i += strlen("大陆");
		i = skip_seps(s, n, i);
	}
	size_t j = i, open = 0;
	if (starts_with(s, n, j, "("))
		open = 1;
	else if (starts_with(s, n, j, "（"))
		open = 3;
	j += open;
	if (j + 6 <= n && is_digits(s + j, 6) && (j + 6 == n || s[j + 6] < '0' || s[j + 6] > '9')) {
		size_t k = j + 6;
		size_t close = !open ? 0 : starts_with(s, n, k, ")") ? 1 : starts_with(s, n, k, "）") ? 3 : 99;
		if (close != 99) {
			memcpy(postcode, s + j, 6);
			postcode[6] = '\0';
			i = skip_seps(s, n, k + close);
		}
	}
	return i;
}

/* Trims separators and a trailing postcode ("(310012)", "（310012）", " 310012"). */
static size_t trim_tail(const char *s, size_t start, size_t end, char *postcode)
{
	size_t k;
	while (end > start && (k = sep_before(s, end)) != 0)
		end -= k;
	size_t close = 0;
	if (end > start && s[end - 1] == ')')
		close = 1;
	else if (end - start >= 3 && memcmp(s + end - 3, "）", 3) == 0)
		close = 3;
	if (close && end - start >= close + 6 + 1) {
		size_t d = end - close - 6;
		size_t open = s[d - 1] == '(' ? 1 : (d - start >= 3 && memcmp(s + d - 3, "（", 3) == 0) ? 3 : 0;
		if (open && is_digits(s + d, 6)) {
			if (!postcode[0]) {
				memcpy(postcode, s + d, 6);
				postcode[6] = '\0';
			}
			end = d - open;
		}
	} else if (!close && end - start > 6 && is_digits(s + end - 6, 6) &&
		   (s[end - 7] < '0' || s[end - 7] > '9')) {
		/* " 310012", "邮编310012", "邮编：310012"; not the tail of "90号310012" */
		size_t d = end - 6, lab = d;
		if (lab - start >= 3 && memcmp(s + lab - 3, "：", 3) == 0)
			lab -= 3;
		else if (lab > start && s[lab - 1] == ':')
			lab -= 1;
		int label = lab - start >= 6 && memcmp(s + lab - 6, "邮编", 6) == 0;
		if (label || sep_before(s, d) != 0) {
			if (!postcode[0]) {
				memcpy(postcode, s + d, 6);
				postcode[6] = '\0';
			}
			end = label ? lab - 6 : d;
		}
	}
	while (end > start && (k = sep_before(s, end)) != 0)
		end -= k;
	return end;
}

/* ---------------------------------------------------------------- matching */

struct match {
	int32_t area;
	uint16_t len;
	uint8_t alias;
};

/* Every name in the table that is a prefix of s[pos..n), shortest first. */
static size_t find_matches(const struct addr_table *t, const char *s, size_t n, size_t pos,
			   struct match *m, size_t cap)
{
	size_t lim = n - pos, k = 0, cps = 0;
	uint32_t h = FNV_OFFSET;

	if (lim > t->max_key)
		lim = t->max_key;
	for (size_t i = 0; i < lim; i++) {
		unsigned char b = (unsigned char)s[pos + i];
		if (b < 0x80 && t->ascii_free)
			break;
		h = (h ^ b) * FNV_PRIME;
		if (pos + i + 1 < n && ((unsigned char)s[pos + i + 1] & 0xC0) == 0x80)
			continue;
		if (++cps < 2)
			continue;
		for (size_t j = h & t->slot_mask;; j = (j + 1) & t->slot_mask) {
			const struct slot *sl = &t->slots[j];
			if (!sl->len)
				break;
			if (sl->hash != h || sl->len != i + 1 || memcmp(t->pool + sl->off, s + pos, i + 1))
				continue;
			for (int32_t p = sl->head; p >= 0 && k < cap; p = t->postings[p].next) {
				m[k].area = t->postings[p].area;
				m[k].len = (uint16_t)(i + 1);
				m[k].alias = t->postings[p].alias;
				k++;
			}
			break;
		}
	}
	return k;
}

/* The longest name at pos naming a real (not placeholder) area of the level, or -1. */
static int32_t longest_at(const struct addr_table *t, const char *s, size_t n, size_t pos,
			  int level, size_t *len)
{
	struct match m[MATCH_MAX];
	size_t k = find_matches(t, s, n, pos, m, MATCH_MAX);
	int32_t best = -1;

	for (size_t i = 0; i < k; i++) {
		const struct area *a = &t->areas[m[i].area];
		if (a->level != level || (a->flags & AREA_PLACEHOLDER))
			continue;
		if (best < 0 || m[i].len > *len) {
			best = m[i].area;
			*len = m[i].len;
		}
	}
	return best;
}

struct chain {
	int32_t p, c, d;   /* as matched; -1 when not written */
	int cdone;         /* a municipality's city level was written as its name */
	int drep;          /* the district's name was repeated */
	size_t matched;    /* bytes of names matched */
	int nalias;
};

struct walk {
	const struct addr_table *t;
	const char *s;
	size_t n;
	unsigned steps;
	int have;
	/* the best chain, with its parents filled in */
	int complete;
	size_t matched;
	int nalias;
	size_t end;
	int32_t p, c, d;
	int cdone;
	int32_t alt[ALT_MAX]; /* distinct districts among equally good complete chains */
	int nalt;
};

static void consider(struct walk *w, size_t end, const struct chain *ch)
{
	const struct addr_table *t = w->t;
	int32_t p = ch->p, c = ch->c, d = ch->d;

	if (d >= 0)
		c = t->areas[d].parent;
	if (c >= 0)
		p = t->areas[c].parent;
	if (d < 0 && c >= 0)
		d = t->areas[c].only_child;
	int complete = d >= 0;

	int better = !w->have || complete > w->complete ||
		     (complete == w->complete &&
		      (ch->matched > w->matched ||
		       (ch->matched == w->matched && ch->nalias < w->nalias)));
	if (better) {
		w->have = 1;
		w->complete = complete;
		w->matched = ch->matched;
		w->nalias = ch->nalias;
		w->end = end;
		w->p = p;
		w->c = c;
		w->d = d;
		w->cdone = ch->cdone;
		w->nalt = 0;
		if (complete)
			w->alt[w->nalt++] = d;
		return;
	}
	if (!complete || complete != w->complete || ch->matched != w->matched ||
	    ch->nalias != w->nalias)
		return;
	for (int i = 0; i < w->nalt && i < ALT_MAX; i++)
		if (w->alt[i] == d)
			return;
	if (w->nalt < ALT_MAX)
		w->alt[w->nalt] = d;
	w->nalt++;
}

static void walk(struct walk *w, size_t pos, int level_min, const struct chain *ch)
{
	const struct addr_table *t = w->t;
	struct match m[MATCH_MAX];

	if (++w->steps > WALK_MAX_STEPS)
		return;
	consider(w, pos, ch);
	if (ch->drep)
		return;
	size_t q = skip_seps(w->s, w->n, pos);
	size_t k = find_matches(t, w->s, w->n, q, m, MATCH_MAX);
	for (size_t i = 0; i < k; i++) {
		const struct area *a = &t->areas[m[i].area];
		struct chain nx = *ch;
		int next = a->level + 1;

		nx.matched += m[i].len;
		nx.nalias += m[i].alias;
		if (ch->d >= 0) {
			/* 湖北省 仙桃市 仙桃市 ...: the unit's name written at both levels. */
			if (m[i].area != ch->d)
				continue;
			nx.drep = 1;
			walk(w, q + m[i].len, 4, &nx);
			continue;
		}
		switch (a->level) {
		case 1:
			if (level_min == 1) {
				nx.p = m[i].area;
			} else if (level_min == 2 && m[i].area == ch->p && ch->c < 0 &&
				   (a->flags & AREA_MUNICIPALITY)) {
				nx.cdone = 1; /* 北京 北京市 朝阳区 */
				next = 3;
			} else {
				continue;
			}
			break;
		case 2:
			if (level_min > 2 || (ch->p >= 0 && a->parent != ch->p))
				continue;
			nx.c = m[i].area;
			break;
		default:
			if (ch->c >= 0 && a->parent != ch->c)
				continue;
			if (ch->c < 0 && ch->p >= 0 && province_of(t, m[i].area) != ch->p)
				continue;
			nx.d = m[i].area;
			break;
		}
		walk(w, q + m[i].len, next, &nx);
	}
}

/* ------------------------------------------------------------------ errors */

static void fill_part(const struct addr_table *t, int32_t i, struct addr_part *part)
{
	part->code = i >= 0 ? t->areas[i].code : 0;
	part->name = i >= 0 ? area_name(t, i) : "";
}

const char *addr_city_label(const struct addr_result *r)
{
	if (!r->city.code)
		return "";
	if (!(r->flags & ADDR_CITY_PLACEHOLDER))
		return r->city.name;
	/* 市辖区 / 县 under a municipality; otherwise 省直辖县级行政区划. */
	if (strcmp(r->city.name, "市辖区") == 0 || strcmp(r->city.name, "县") == 0)
		return r->province.name;
	return r->district.code ? r->district.name : r->province.name;
}

/* The city for a message: as addr_city_label, from table indices. */
static const char *city_label(const struct addr_table *t, int32_t p, int32_t c, int32_t d)
{
	struct addr_result r;
	memset(&r, 0, sizeof r);
	fill_part(t, p, &r.province);
	fill_part(t, c, &r.city);
	fill_part(t, d, &r.district);
	if (c >= 0 && (t->areas[c].flags & AREA_PLACEHOLDER))
		r.flags |= ADDR_CITY_PLACEHOLDER;
	return addr_city_label(&r);
}

/*
 * The word at pos for an "unknown" message: up to a separator, or through the
 * first level suffix (省 市 区 县 旗 州 盟), at most TOKEN_MAX_CPS code points.
 * Returns the level the suffix suggests (1, 2, 3) or 0, and the token.
 */
static int token_at(const char *s, size_t n, size_t pos, char *buf, size_t bufsz)
{
	static const struct {
		const char *suffix;
		int level;
	} suffixes[] = {
		{ "省", 1 }, { "自治区", 1 }, { "市", 2 }, { "州", 2 }, { "盟", 2 }, { "地区", 2 },
		{ "区", 3 }, { "县", 3 }, { "旗", 3 },
	};
	size_t i = skip_seps(s, n, pos), start = i, cps = 0;
	int level = 0;

	while (i < n && cps < TOKEN_MAX_CPS && !sep_at(s, n, i)) {
		size_t k = 1;
		while (i + k < n && ((unsigned char)s[i + k] & 0xC0) == 0x80)
			k++;
		i += k;
		cps++;
		for (size_t j = 0; j < ARRAY_SIZE(suffixes); j++) {
			size_t stem;
			if (has_suffix(s + start, i - start, suffixes[j].suffix, &stem)) {
				level = suffixes[j].level;
				break;
			}
		}
		if (level)
			break;
	}
	snprintf(buf, bufsz, "%.*s", (int)(i - start), s + start);
	return level;
}

/* The best reading stops short of a district: say what is wrong at its end. */
static int incomplete_error(const struct walk *w, struct err *err)
{
	const struct addr_table *t = w->t;
	char tok[TOKEN_MAX_CPS * 4 + 1];
	int tok_level = token_at(w->s, w->n, w->end, tok, sizeof tok);
	size_t q = skip_seps(w->s, w->n, w->end), len = 0;

	if (w->p < 0) {
		if (tok_level == 1)
			return err_setf(err, ERR_UNPROCESSABLE, "address", "未知的省份「%s」",
					"unknown province \"%s\"", tok);
		if (tok_level == 2)
			return err_setf(err, ERR_UNPROCESSABLE, "address", "未知的城市「%s」",
					"unknown city \"%s\"", tok);
		if (tok_level == 3)
			return err_setf(err, ERR_UNPROCESSABLE, "address", "未知的区县「%s」",
					"unknown district \"%s\"", tok);
		return err_set(err, ERR_UNPROCESSABLE, "address", "地址中找不到省份或城市",
			       "address names no province or city");
	}

	const char *pname = area_name(t, w->p);
	int need_city = w->c < 0 && !(t->areas[w->p].flags & AREA_MUNICIPALITY);
	int32_t city = longest_at(t, w->s, w->n, q, 2, &len);
	int32_t dist = longest_at(t, w->s, w->n, q, 3, &len);

	if (city >= 0 && t->areas[city].parent != w->p)
		return err_setf(err, ERR_UNPROCESSABLE, "address", "城市「%s」不属于%s",
				"city %s is not in %s", area_name(t, city), pname);
	if (city >= 0 && w->c >= 0 && city != w->c)
		return err_setf(err, ERR_UNPROCESSABLE, "address", "地址中有两个城市（%s、%s）",
				"address names two cities (%s, %s)", area_name(t, w->c),
				area_name(t, city));
	if (dist >= 0) {
		const char *in = w->c >= 0 ? city_label(t, w->p, w->c, -1) : pname;
		return err_setf(err, ERR_UNPROCESSABLE, "address", "区县「%s」不属于%s",
				"district %s is not in %s", area_name(t, dist), in);
	}
	if (need_city) {
		if (tok_level == 2)
			return err_setf(err, ERR_UNPROCESSABLE, "address", "未知的城市「%s」",
					"unknown city \"%s\"", tok);
		if (tok_level == 3)
			return err_setf(err, ERR_UNPROCESSABLE, "address", "未知的区县「%s」",
					"unknown district \"%s\"", tok);
		return err_set(err, ERR_UNPROCESSABLE, "address", "地址缺少城市",
			       "address has no city");
	}
	if (tok_level >= 2)
		return err_setf(err, ERR_UNPROCESSABLE, "address", "未知的区县「%s」",
				"unknown district \"%s\"", tok);
	return err_set(err, ERR_UNPROCESSABLE, "address", "地址缺少区县", "address has no district");
}

static int ambiguous_error(const struct walk *w, struct err *err)
{
	const struct addr_table *t = w->t;
	char zh[sizeof err->msg_zh], en[sizeof err->msg_en];
	struct sb lzh = SB_INIT, len = SB_INIT;
	int shown = w->nalt < ALT_MAX ? w->nalt : ALT_MAX;

	/* Capped builders: the list is at most ALT_MAX short names, and a
	 * cap or allocation failure only loses the list, never the error. */
	sb_init(&lzh, 200);
	sb_init(&len, 200);
	for (int i = 0; i < shown; i++) {
		int32_t d = w->alt[i], c = t->areas[d].parent, p = t->areas[c].parent;
		const char *pn = area_name(t, p), *cn = city_label(t, p, c, d);
		const char *city = strcmp(pn, cn) ? cn : "";
		sb_addf(&lzh, "%s%s%s", i ? "、" : "", pn, city);
		sb_addf(&len, "%s%s%s", i ? ", " : "", pn, city);
	}
	if (w->nalt > shown) {
		sb_adds(&lzh, "等");
		sb_adds(&len, ", ...");
	}
	const char *name = area_name(t, w->alt[0]);
	snprintf(zh, sizeof zh, "区县「%s」有多个同名（%s），请写明城市", name,
		 lzh.err ? "" : lzh.buf);
	snprintf(en, sizeof en, "district %s is ambiguous (%s): name the city", name,
		 len.err ? "" : len.buf);
	sb_release(&lzh);
	sb_release(&len);
	return err_set(err, ERR_UNPROCESSABLE, "address", zh, en);
}

/* ------------------------------------------------------------------- parse */

int addr_parse(const struct addr_table *t, const char *s, size_t n, struct addr_result *out,
	       struct err *err)
{
	memset(out, 0, sizeof *out);
	fill_part(t, -1, &out->province);
	fill_part(t, -1, &out->city);
	fill_part(t, -1, &out->district);

	if (n > ADDR_MAX_BYTES)
		return err_setf(err, ERR_UNPROCESSABLE, "address", "地址过长（最多%d字节）",
				"address is too long (at most %d bytes)", ADDR_MAX_BYTES);
	if (!utf8_valid(s, n) || memchr(s, '\0', n))
		return err_set(err, ERR_INVALID, "address", "地址不是有效的UTF-8文本",
			       "address is not valid UTF-8 text");

	size_t start = skip_head(s, n, out->postcode);
	size_t end = trim_tail(s, start, n, out->postcode);
	if (start >= end)
		return err_set(err, ERR_UNPROCESSABLE, "address", "地址为空", "address is empty");

	struct walk w;
	struct chain ch = { -1, -1, -1, 0, 0, 0, 0 };
	memset(&w, 0, sizeof w);
	w.t = t;
	w.s = s + start;
	w.n = end - start;
	walk(&w, 0, 1, &ch);

	fill_part(t, w.p, &out->province);
	fill_part(t, w.c, &out->city);
	fill_part(t, w.d, &out->district);
	if (w.c >= 0 && (t->areas[w.c].flags & AREA_PLACEHOLDER))
		out->flags |= ADDR_CITY_PLACEHOLDER;
	if (!w.complete)
		return incomplete_error(&w, err);
	if (w.nalt > 1) {
		/* keep only the levels every candidate shares */
		int32_t c0 = t->areas[w.alt[0]].parent, p0 = t->areas[c0].parent;
		fill_part(t, -1, &out->district);
		for (int i = 1; i < w.nalt && i < ALT_MAX; i++) {
			int32_t c = t->areas[w.alt[i]].parent;
			if (c != c0)
				fill_part(t, -1, &out->city);
			if (t->areas[c].parent != p0)
				fill_part(t, -1, &out->province);
		}
		if (!out->city.code)
			out->flags = 0;
		return ambiguous_error(&w, err);
	}
	size_t st = skip_seps(w.s, w.n, w.end);
	if (st >= w.n)
		return err_set(err, ERR_UNPROCESSABLE, "address", "地址缺少详细地址（街道、门牌号）",
			       "address has no street or house number");
	out->street = w.s + st;
	out->street_len = w.n - st;
	return 0;
}
