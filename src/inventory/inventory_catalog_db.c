/*
 * inventory_catalog_db.c - the catalogue in the database (INV-1, INV-6):
 * products (货号), SKUs (商家编码) with optimistic versions, combo recipes,
 * shelf locations, a SKU's stock per warehouse, warehouses and locations.
 * Each change is one transaction with its audit row.
 */
#include "inventory/inventory_db.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "inventory/inventory_db_int.h"
#include "lib/arena.h"
#include "lib/common.h"

/* ---------------------------------------------------------------- products */

#define PRODUCT_COLS \
	"p.id, p.product_code, p.title, p.material, p.style, p.price_fen, p.version," \
	" p.created_utc, p.updated_utc," \
	" (SELECT COUNT(*) FROM skus s WHERE s.product_code = p.product_code)"

static int read_product(struct db_stmt *st, struct arena *a, struct inv_product *p)
{
	p->id = db_col_int(st, 0);
	p->code = inv_db_col(st, 1, a);
	p->title = inv_db_col(st, 2, a);
	p->material = inv_db_col(st, 3, a);
	p->style = inv_db_col(st, 4, a);
	p->price_fen = db_col_int(st, 5);
	p->version = db_col_int(st, 6);
	p->created_utc = db_col_int(st, 7);
	p->updated_utc = db_col_int(st, 8);
	p->skus = db_col_int(st, 9);
	return p->code && p->title && p->material && p->style ? 0 : ERR_NOMEM;
}

static json_t *product_json(const struct inv_product_fields *f, int64_t version)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:I,s:I}", "code", f->code ? f->code : "", "title",
			 f->title ? f->title : "", "material", f->material ? f->material : "",
			 "style", f->style ? f->style : "", "price_fen", (json_int_t)f->price_fen,
			 "version", (json_int_t)version);
}

static int product_fields_check(const struct inv_product_fields *f, int create, struct err *err)
{
	int rc = create ? inv_sku_code_check(f->code, err) : 0;
	if (!rc && (create || f->title))
		rc = inv_text_check(f->title, "title", INV_TITLE_MAX, 1, err);
	if (!rc && f->material)
		rc = inv_text_check(f->material, "material", 100, 0, err);
	if (!rc && f->style)
		rc = inv_text_check(f->style, "style", 100, 0, err);
	return rc;
}

int inv_product_create(struct db *db, const struct auth_user *who,
		       const struct inv_product_fields *f, int64_t now_utc, int64_t *id,
		       struct err *err)
{
	struct db_stmt *st;
	int rc = product_fields_check(f, 1, err);
	if (!rc)
		rc = db_begin(db, err);
	if (rc)
		return rc;
	rc = db_prepare(db, "INSERT INTO products (product_code, title, material, style, price_fen,"
			    " created_utc, updated_utc) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
			&st, err);
	if (!rc) {
		db_bind_text(st, 1, f->code);
		db_bind_text(st, 2, f->title);
		db_bind_text(st, 3, f->material ? f->material : "");
		db_bind_text(st, 4, f->style ? f->style : "");
		db_bind_int(st, 5, f->price_fen > 0 ? f->price_fen : 0);
		db_bind_int(st, 6, now_utc);
		db_bind_int(st, 7, now_utc);
		rc = db_step(st, err);
		if (rc == DB_ROW)
			*id = db_col_int(st, 0);
		db_done(st);
		rc = rc < 0 ? rc : 0;
	}
	if (rc == ERR_CONFLICT) {
		err_init(err);
		rc = err_setf(err, ERR_CONFLICT, "code", "货号 %s 已存在",
			      "product code %s already exists", f->code, f->code);
	}
	if (!rc)
		rc = inv_db_audit(db, who, "product", f->code, "create", NULL, product_json(f, 1),
				  now_utc, err);
	return inv_db_tx_end(db, rc, err);
}

int inv_product_get(struct db *db, struct arena *a, const char *code, struct inv_product *out,
		    struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT " PRODUCT_COLS " FROM products p WHERE p.product_code = ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, code);
	rc = db_step(st, err);
	if (rc == DB_ROW && read_product(st, a, out))
		rc = inv_db_nomem(err);
	db_done(st);
	if (rc == DB_DONE)
		return err_set(err, ERR_NOT_FOUND, "code", "货号不存在", "no such product");
	return rc < 0 ? rc : 0;
}

int inv_product_update(struct db *db, const struct auth_user *who, const char *code,
		       const struct inv_product_fields *f, int64_t now_utc, struct err *err)
{
	struct arena *a = arena_new(2048);
	struct inv_product p;
	struct db_stmt *st;
	int rc = a ? product_fields_check(f, 0, err) : inv_db_nomem(err);

	if (!rc)
		rc = db_begin(db, err);
	if (rc)
		goto out;
	rc = inv_product_get(db, a, code, &p, err);
	if (!rc && p.version != f->expect_version)
		rc = err_set(err, ERR_CONFLICT, "version", "货号已被他人修改,请刷新后重试",
			     "the product was changed by someone else; reload and retry");
	if (!rc)
		rc = db_prepare(db, "UPDATE products SET title = COALESCE(?, title),"
				    " material = COALESCE(?, material), style = COALESCE(?, style),"
				    " price_fen = CASE WHEN CAST(? AS BIGINT) >= 0 THEN CAST(? AS BIGINT)"
				    " ELSE price_fen END, version = version + 1, updated_utc = ?"
				    " WHERE id = ? AND version = ?",
				&st, err);
	if (!rc) {
		db_bind_text(st, 1, f->title);
		db_bind_text(st, 2, f->material);
		db_bind_text(st, 3, f->style);
		db_bind_int(st, 4, f->price_fen);
		db_bind_int(st, 5, f->price_fen);
		db_bind_int(st, 6, now_utc);
		db_bind_int(st, 7, p.id);
		db_bind_int(st, 8, p.version);
		rc = db_run(st, err);
		if (!rc && db_changes(st) != 1)
			rc = err_set(err, ERR_CONFLICT, "version", "货号已被他人修改,请刷新后重试",
				     "the product was changed by someone else; reload and retry");
		db_done(st);
	}
	if (!rc) {
		struct inv_product_fields b = { p.code, p.title, p.material, p.style, p.price_fen, 0 };
		struct inv_product_fields n = { p.code, f->title ? f->title : p.title,
						f->material ? f->material : p.material,
						f->style ? f->style : p.style,
						f->price_fen >= 0 ? f->price_fen : p.price_fen, 0 };
		rc = inv_db_audit(db, who, "product", p.code, "update", product_json(&b, p.version),
				  product_json(&n, p.version + 1), now_utc, err);
	}
	rc = inv_db_tx_end(db, rc, err);
out:
	arena_free(a);
	return rc;
}

int inv_product_list(struct db *db, struct arena *a, int64_t page, int64_t page_size,
		     int (*fn)(const struct inv_product *p, void *ctx), void *ctx, int64_t *total,
		     struct err *err)
{
	struct db_stmt *st;
	struct inv_product p;
	int rc = db_prepare(db, "SELECT COUNT(*) FROM products", &st, err);
	if (rc)
		return rc;
	rc = db_step(st, err);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc < 0)
		return rc;
	rc = db_prepare(db, "SELECT " PRODUCT_COLS " FROM products p ORDER BY p.product_code"
			    " LIMIT ? OFFSET ?",
			&st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, page_size);
	db_bind_int(st, 2, (page - 1) * page_size);
	while ((rc = db_step(st, err)) == DB_ROW) {
		rc = read_product(st, a, &p) ? inv_db_nomem(err) : fn(&p, ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* ---------------------------------------------------------------- SKUs */

#define SKU_COLS \
	"id, sku_code, product_code, title, attrs, price_fen, is_combo, active, version," \
	" created_utc, updated_utc"

static int read_sku(struct db_stmt *st, struct arena *a, struct inv_sku *s)
{
	s->id = db_col_int(st, 0);
	s->code = inv_db_col(st, 1, a);
	s->product_code = inv_db_col(st, 2, a);
	s->title = inv_db_col(st, 3, a);
	s->attrs = inv_db_col(st, 4, a);
	s->price_fen = db_col_int(st, 5);
	s->is_combo = (int)db_col_int(st, 6);
	s->active = (int)db_col_int(st, 7);
	s->version = db_col_int(st, 8);
	s->created_utc = db_col_int(st, 9);
	s->updated_utc = db_col_int(st, 10);
	return s->code && s->product_code && s->title && s->attrs ? 0 : ERR_NOMEM;
}

static json_t *sku_json(const char *code, const char *product, const char *title,
			const char *attrs, int64_t price_fen, int active, int64_t version)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:I,s:b,s:I}", "code", code, "product_code",
			 product ? product : "", "title", title ? title : "", "attrs",
			 attrs ? attrs : "", "price_fen", (json_int_t)price_fen, "active", active,
			 "version", (json_int_t)version);
}

static int sku_fields_check(const struct inv_sku_fields *f, int create, struct err *err)
{
	int rc = create ? inv_sku_code_check(f->code, err) : 0;
	if (!rc && (create || f->title))
		rc = inv_text_check(f->title, "title", INV_TITLE_MAX, 1, err);
	if (!rc && f->product_code && *f->product_code && inv_sku_code_check(f->product_code, err)) {
		err_init(err);
		rc = err_set(err, ERR_UNPROCESSABLE, "product_code", "货号格式不对(字母、数字、- _ .)",
			     "product_code: letters, digits and - _ . only");
	}
	if (!rc && f->attrs)
		rc = inv_text_check(f->attrs, "attrs", INV_TITLE_MAX, 0, err);
	return rc;
}

int inv_sku_get(struct db *db, struct arena *a, const char *code, struct inv_sku *out,
		struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT " SKU_COLS " FROM skus WHERE sku_code = ?", &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, code);
	rc = db_step(st, err);
	if (rc == DB_ROW && read_sku(st, a, out))
		rc = inv_db_nomem(err);
	db_done(st);
	if (rc == DB_DONE)
		return err_set(err, ERR_NOT_FOUND, "code", "商家编码不存在", "no such SKU");
	return rc < 0 ? rc : 0;
}

int inv_sku_create(struct db *db, const struct auth_user *who, const struct inv_sku_fields *f,
		   int64_t now_utc, int64_t *id, struct err *err)
{
	struct db_stmt *st;
	int64_t price = f->price_fen > 0 ? f->price_fen : 0;
	int active = f->active != 0;
	int rc = sku_fields_check(f, 1, err);
	if (!rc)
		rc = db_begin(db, err);
	if (rc)
		return rc;
	rc = db_prepare(db, "INSERT INTO skus (sku_code, product_code, title, attrs, price_fen, active,"
			    " created_utc, updated_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
			&st, err);
	if (!rc) {
		db_bind_text(st, 1, f->code);
		db_bind_text(st, 2, f->product_code ? f->product_code : "");
		db_bind_text(st, 3, f->title);
		db_bind_text(st, 4, f->attrs ? f->attrs : "");
		db_bind_int(st, 5, price);
		db_bind_int(st, 6, active);
		db_bind_int(st, 7, now_utc);
		db_bind_int(st, 8, now_utc);
		rc = db_step(st, err);
		if (rc == DB_ROW)
			*id = db_col_int(st, 0);
		db_done(st);
		rc = rc < 0 ? rc : 0;
	}
	if (rc == ERR_CONFLICT) {
		err_init(err);
		rc = err_setf(err, ERR_CONFLICT, "code", "商家编码 %s 已存在",
			      "SKU code %s already exists", f->code, f->code);
	}
	if (!rc)
		rc = inv_db_audit(db, who, "sku", f->code, "create", NULL,
				  sku_json(f->code, f->product_code, f->title, f->attrs, price, active, 1),
				  now_utc, err);
	return inv_db_tx_end(db, rc, err);
}

static int sku_store(struct db *db, const struct inv_sku *s, const struct inv_sku_fields *f,
		     int64_t now, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "UPDATE skus SET title = COALESCE(?, title), attrs = COALESCE(?, attrs),"
				" product_code = COALESCE(?, product_code),"
				" price_fen = CASE WHEN CAST(? AS BIGINT) >= 0 THEN CAST(? AS BIGINT) ELSE price_fen END,"
				" active = CASE WHEN CAST(? AS BIGINT) >= 0 THEN CAST(? AS BIGINT) ELSE active END,"
				" version = version + 1, updated_utc = ? WHERE id = ? AND version = ?",
			    &st, err);
	if (rc)
		return rc;
	db_bind_text(st, 1, f->title);
	db_bind_text(st, 2, f->attrs);
	db_bind_text(st, 3, f->product_code);
	db_bind_int(st, 4, f->price_fen);
	db_bind_int(st, 5, f->price_fen);
	db_bind_int(st, 6, f->active);
	db_bind_int(st, 7, f->active);
	db_bind_int(st, 8, now);
	db_bind_int(st, 9, s->id);
	db_bind_int(st, 10, s->version);
	rc = db_run(st, err);
	if (!rc && db_changes(st) != 1)
		rc = err_set(err, ERR_CONFLICT, "version", "商品已被他人修改,请刷新后重试",
			     "the SKU was changed by someone else; reload and retry");
	db_done(st);
	return rc;
}

static int stale_sku(const struct inv_sku *s, int64_t expect, struct err *err)
{
	if (s->version == expect)
		return 0;
	return err_setf(err, ERR_CONFLICT, "version", "商品已被他人修改(当前版本 %lld),请刷新后重试",
			"the SKU was changed by someone else (now version %lld); reload and retry",
			(long long)s->version, (long long)s->version);
}

int inv_sku_update(struct db *db, const struct auth_user *who, const char *code,
		   const struct inv_sku_fields *f, int64_t now_utc, struct err *err)
{
	struct arena *a = arena_new(2048);
	struct inv_sku s;
	int rc = a ? sku_fields_check(f, 0, err) : inv_db_nomem(err);

	if (!rc)
		rc = db_begin(db, err);
	if (rc)
		goto out;
	rc = inv_sku_get(db, a, code, &s, err);
	if (!rc)
		rc = stale_sku(&s, f->expect_version, err);
	if (!rc)
		rc = sku_store(db, &s, f, now_utc, err);
	if (!rc) {
		json_t *b = sku_json(s.code, s.product_code, s.title, s.attrs, s.price_fen, s.active,
				     s.version);
		json_t *n = sku_json(s.code, f->product_code ? f->product_code : s.product_code,
				     f->title ? f->title : s.title, f->attrs ? f->attrs : s.attrs,
				     f->price_fen >= 0 ? f->price_fen : s.price_fen,
				     f->active >= 0 ? f->active : s.active, s.version + 1);
		rc = inv_db_audit(db, who, "sku", s.code, "update", b, n, now_utc, err);
	}
	rc = inv_db_tx_end(db, rc, err);
out:
	arena_free(a);
	return rc;
}

#define SKU_WHERE \
	" FROM skus WHERE (CAST(? AS TEXT) IS NULL OR LOWER(sku_code) LIKE ? ESCAPE '\\'" \
	" OR LOWER(title) LIKE ? ESCAPE '\\')" \
	" AND (CAST(? AS TEXT) IS NULL OR product_code = ?)" \
	" AND (CAST(? AS BIGINT) < 0 OR is_combo = ?)"

static void bind_sku_filter(struct db_stmt *st, const struct inv_sku_filter *f, const char *like)
{
	db_bind_text(st, 1, like);
	db_bind_text(st, 2, like);
	db_bind_text(st, 3, like);
	db_bind_text(st, 4, f->product_code);
	db_bind_text(st, 5, f->product_code);
	db_bind_int(st, 6, f->combo);
	db_bind_int(st, 7, f->combo);
}

int inv_sku_list(struct db *db, struct arena *a, const struct inv_sku_filter *f,
		 int (*fn)(const struct inv_sku *s, void *ctx), void *ctx, int64_t *total,
		 struct err *err)
{
	const char *like = inv_db_like(a, f->q);
	struct db_stmt *st;
	struct inv_sku s;
	int rc = db_prepare(db, "SELECT COUNT(*)" SKU_WHERE, &st, err);
	if (rc)
		return rc;
	bind_sku_filter(st, f, like);
	rc = db_step(st, err);
	*total = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	if (rc < 0)
		return rc;
	rc = db_prepare(db, "SELECT " SKU_COLS SKU_WHERE " ORDER BY sku_code LIMIT ? OFFSET ?", &st,
			err);
	if (rc)
		return rc;
	bind_sku_filter(st, f, like);
	db_bind_int(st, 8, f->page_size);
	db_bind_int(st, 9, (f->page - 1) * f->page_size);
	while ((rc = db_step(st, err)) == DB_ROW) {
		rc = read_sku(st, a, &s) ? inv_db_nomem(err) : fn(&s, ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* ---------------------------------------------------------------- combos */

static int count_where_sku(struct db *db, const char *sql, int64_t sku_id, int64_t *n,
			   struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, sql, &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, sku_id);
	rc = db_step(st, err);
	*n = rc == DB_ROW ? db_col_int(st, 0) : 0;
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* A combo holds no stock and is nobody's part (INV-6: one level). */
static int may_become_combo(struct db *db, const struct inv_sku *s, struct err *err)
{
	int64_t n = 0;
	int rc = count_where_sku(db, "SELECT COUNT(*) FROM stock_ledger WHERE sku_id = ?", s->id, &n,
				 err);
	if (!rc && n > 0)
		return err_set(err, ERR_UNPROCESSABLE, "parts",
			       "该商品已有库存流水,不能改为组合商品", "this SKU has stock movements and cannot become a combination");
	if (!rc)
		rc = count_where_sku(db, "SELECT COUNT(*) FROM sku_parts WHERE part_sku_id = ?", s->id,
				     &n, err);
	if (!rc && n > 0)
		return err_set(err, ERR_UNPROCESSABLE, "parts", "该商品是其他组合商品的组成,不能再设为组合商品",
			       "this SKU is a part of another combination and cannot become one");
	return rc;
}

static int parts_resolve(struct db *db, const struct inv_part_in *in, size_t n,
			 struct inv_part_spec *out, struct err *err)
{
	for (size_t i = 0; i < n; i++) {
		int rc = inv_db_sku_id(db, in[i].code, "parts", &out[i].sku_id, &out[i].is_combo, err);
		if (rc == ERR_NOT_FOUND) {
			err_init(err);
			return err_setf(err, ERR_UNPROCESSABLE, "parts", "组成商品 %.64s 不存在",
					"part %.64s does not exist", in[i].code, in[i].code);
		}
		if (rc)
			return rc;
		out[i].qty = in[i].qty;
	}
	return 0;
}

static json_t *parts_json(const struct inv_part_in *p, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s,s:I}", "sku", p[i].code, "qty",
						     (json_int_t)p[i].qty));
	return arr;
}

static int old_parts_json(const struct inv_part_row *p, void *arr)
{
	return json_array_append_new(arr, json_pack("{s:s,s:I}", "sku", p->code, "qty",
						    (json_int_t)p->qty)) ? ERR_NOMEM : 0;
}

static int parts_store(struct db *db, const struct inv_sku *s, const struct inv_part_spec *p,
		       size_t n, int64_t now, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "DELETE FROM sku_parts WHERE combo_sku_id = ?", &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, s->id);
	rc = db_run(st, err);
	db_done(st);
	for (size_t i = 0; !rc && i < n; i++) {
		rc = db_prepare(db, "INSERT INTO sku_parts (combo_sku_id, part_sku_id, qty) VALUES (?, ?, ?)",
				&st, err);
		if (rc)
			break;
		db_bind_int(st, 1, s->id);
		db_bind_int(st, 2, p[i].sku_id);
		db_bind_int(st, 3, p[i].qty);
		rc = db_run(st, err);
		db_done(st);
	}
	if (rc)
		return rc;
	rc = db_prepare(db, "UPDATE skus SET is_combo = ?, version = version + 1, updated_utc = ?"
			    " WHERE id = ? AND version = ?",
			&st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, n > 0);
	db_bind_int(st, 2, now);
	db_bind_int(st, 3, s->id);
	db_bind_int(st, 4, s->version);
	rc = db_run(st, err);
	if (!rc && db_changes(st) != 1)
		rc = err_set(err, ERR_CONFLICT, "version", "商品已被他人修改,请刷新后重试",
			     "the SKU was changed by someone else; reload and retry");
	db_done(st);
	return rc;
}

static int parts_apply(struct db *db, const struct auth_user *who, struct arena *a,
		       const char *code, int64_t expect_version, const struct inv_part_in *parts,
		       size_t n, int64_t now, struct err *err)
{
	struct inv_sku s;
	struct inv_part_spec *spec;
	json_t *before;
	int rc;

	if (n > INV_PARTS_MAX) /* before anything is allocated for them */
		return err_setf(err, ERR_UNPROCESSABLE, "parts", "组合商品最多 %d 种组成商品",
				"a combination SKU has at most %d parts", INV_PARTS_MAX,
				INV_PARTS_MAX);
	spec = arena_calloc(a, (n + 1) * sizeof *spec);
	before = json_array();
	rc = spec && before ? inv_sku_get(db, a, code, &s, err) : inv_db_nomem(err);
	if (!rc)
		rc = stale_sku(&s, expect_version, err);
	if (!rc)
		rc = parts_resolve(db, parts, n, spec, err);
	if (!rc)
		rc = inv_parts_check(s.id, spec, n, err);
	if (!rc && n > 0 && !s.is_combo)
		rc = may_become_combo(db, &s, err);
	if (!rc)
		rc = inv_sku_parts_each(db, s.id, NULL, old_parts_json, before, err);
	if (!rc)
		rc = parts_store(db, &s, spec, n, now, err);
	if (!rc)
		return inv_db_audit(db, who, "sku", s.code, "parts", before, parts_json(parts, n), now,
				    err);
	json_decref(before);
	return rc;
}

int inv_sku_parts_set(struct db *db, const struct auth_user *who, const char *code,
		      int64_t expect_version, const struct inv_part_in *parts, size_t n,
		      int64_t now_utc, struct err *err)
{
	struct arena *a = arena_new(4096);
	int rc = a ? db_begin(db, err) : inv_db_nomem(err);
	if (!rc)
		rc = inv_db_tx_end(db, parts_apply(db, who, a, code, expect_version, parts, n, now_utc, err),
			    err);
	arena_free(a);
	return rc;
}

int inv_sku_parts_each(struct db *db, int64_t combo_id, const char *warehouse,
		       int (*fn)(const struct inv_part_row *p, void *ctx), void *ctx,
		       struct err *err)
{
	struct db_stmt *st;
	struct inv_part_row p;
	int64_t wh = 0;
	int rc = warehouse ? inv_db_wh_id(db, warehouse, &wh, err) : 0;
	if (rc == ERR_UNPROCESSABLE && !*warehouse) { /* no warehouse yet: everything is 0 */
		err_init(err);
		rc = 0;
	}
	if (rc)
		return rc;
	rc = db_prepare(db, "SELECT k.sku_code, k.title, p.qty,"
			    " COALESCE(t.on_hand, 0) - COALESCE(t.reserved, 0)"
			    " FROM sku_parts p JOIN skus k ON k.id = p.part_sku_id"
			    " LEFT JOIN stock t ON t.sku_id = k.id AND t.warehouse_id = ?"
			    " WHERE p.combo_sku_id = ? ORDER BY k.sku_code",
			&st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, wh);
	db_bind_int(st, 2, combo_id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		p.code = db_col_text(st, 0);
		p.title = db_col_text(st, 1);
		p.qty = db_col_int(st, 2);
		p.available = db_col_int(st, 3);
		rc = fn(&p, ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* ---------------------------------------------------------------- shelves */

static int location_id(struct db *db, int64_t wh, const char *code, int64_t *id, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "SELECT id FROM locations WHERE warehouse_id = ? AND code = ?", &st,
			    err);
	if (rc)
		return rc;
	db_bind_int(st, 1, wh);
	db_bind_text(st, 2, code);
	rc = db_step(st, err);
	if (rc == DB_ROW)
		*id = db_col_int(st, 0);
	db_done(st);
	if (rc == DB_DONE)
		return err_setf(err, ERR_UNPROCESSABLE, "locations", "库位 %.32s 不存在",
				"no location %.32s in that warehouse", code, code);
	return rc < 0 ? rc : 0;
}

static int locations_store(struct db *db, int64_t sku, int64_t wh, const char *const *locs,
			   size_t n, struct err *err)
{
	struct db_stmt *st;
	int rc = db_prepare(db, "DELETE FROM sku_locations WHERE sku_id = ? AND location_id IN"
				" (SELECT id FROM locations WHERE warehouse_id = ?)",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, sku);
	db_bind_int(st, 2, wh);
	rc = db_run(st, err);
	db_done(st);
	for (size_t i = 0; !rc && i < n; i++) {
		int64_t loc = 0;
		for (size_t j = 0; j < i; j++)
			if (strcmp(locs[i], locs[j]) == 0)
				return err_set(err, ERR_UNPROCESSABLE, "locations", "库位重复",
					       "a location is listed twice");
		rc = location_id(db, wh, locs[i], &loc, err);
		if (!rc)
			rc = db_prepare(db, "INSERT INTO sku_locations (sku_id, location_id) VALUES (?, ?)",
					&st, err);
		if (rc)
			break;
		db_bind_int(st, 1, sku);
		db_bind_int(st, 2, loc);
		rc = db_run(st, err);
		db_done(st);
	}
	return rc;
}

int inv_sku_locations_set(struct db *db, const struct auth_user *who, const char *code,
			  const char *warehouse, const char *const *locations, size_t n,
			  int64_t now_utc, struct err *err)
{
	int64_t sku, wh;
	int combo = 0;
	char wh_code[INV_WH_CODE_MAX + 1];
	int rc = db_begin(db, err);
	if (rc)
		return rc;
	rc = inv_db_sku_id(db, code, "code", &sku, &combo, err);
	if (!rc && combo)
		rc = err_set(err, ERR_UNPROCESSABLE, "code", "组合商品没有库位,请为组成商品设置库位",
			     "a combination SKU has no shelf; shelve its parts");
	if (!rc)
		rc = inv_db_wh_id(db, warehouse, &wh, err);
	if (!rc)
		rc = locations_store(db, sku, wh, locations, n, err);
	if (!rc) {
		json_t *after = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(after, json_string(locations[i]));
		snprintf(wh_code, sizeof wh_code, "%s", warehouse ? warehouse : "");
		rc = inv_db_audit(db, who, "sku", code, "locations", NULL,
				  json_pack("{s:s,s:o}", "warehouse", wh_code, "locations", after),
				  now_utc, err);
	}
	return inv_db_tx_end(db, rc, err);
}

int inv_sku_locations_each(struct db *db, int64_t sku_id,
			   int (*fn)(const struct inv_sku_loc *l, void *ctx), void *ctx,
			   struct err *err)
{
	struct db_stmt *st;
	struct inv_sku_loc l;
	int rc = db_prepare(db, "SELECT w.code, l.code, l.pick_order FROM sku_locations sl"
				" JOIN locations l ON l.id = sl.location_id"
				" JOIN warehouses w ON w.id = l.warehouse_id"
				" WHERE sl.sku_id = ? ORDER BY w.id, l.pick_order, l.code",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, sku_id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		l.warehouse = db_col_text(st, 0);
		l.location = db_col_text(st, 1);
		l.pick_order = db_col_int(st, 2);
		rc = fn(&l, ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* ---------------------------------------------------------------- a SKU's stock */

static int plain_stock_each(struct db *db, int64_t sku_id,
			    int (*fn)(const struct inv_stock_level *l, void *ctx), void *ctx,
			    struct err *err)
{
	struct db_stmt *st;
	struct inv_stock_level l;
	int rc = db_prepare(db, "SELECT w.code, COALESCE(t.on_hand, 0), COALESCE(t.reserved, 0)"
				" FROM warehouses w LEFT JOIN stock t ON t.warehouse_id = w.id"
				" AND t.sku_id = ? ORDER BY w.id",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, sku_id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		l.warehouse = db_col_text(st, 0);
		l.on_hand = db_col_int(st, 1);
		l.reserved = db_col_int(st, 2);
		l.available = l.on_hand - l.reserved;
		rc = fn(&l, ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

/* A combo: rows come per (warehouse, part), grouped by warehouse. */
static int combo_stock_each(struct db *db, struct arena *a, int64_t sku_id,
			    int (*fn)(const struct inv_stock_level *l, void *ctx), void *ctx,
			    struct err *err)
{
	struct db_stmt *st;
	int64_t avail[INV_PARTS_MAX], qty[INV_PARTS_MAX], wh = 0;
	size_t n = 0;
	const char *code = NULL;
	int rc = db_prepare(db, "SELECT w.id, w.code, p.qty,"
				" COALESCE(t.on_hand, 0) - COALESCE(t.reserved, 0)"
				" FROM warehouses w CROSS JOIN sku_parts p LEFT JOIN stock t"
				" ON t.warehouse_id = w.id AND t.sku_id = p.part_sku_id"
				" WHERE p.combo_sku_id = ? ORDER BY w.id, p.part_sku_id",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, sku_id);
	for (;;) {
		rc = db_step(st, err);
		if (n > 0 && (rc != DB_ROW || db_col_int(st, 0) != wh)) {
			struct inv_stock_level l = { code, 0, 0, inv_combo_available(avail, qty, n) };
			int r = fn(&l, ctx);
			n = 0;
			if (r) {
				rc = r;
				break;
			}
		}
		if (rc != DB_ROW)
			break;
		if (n == 0) {
			wh = db_col_int(st, 0);
			code = inv_db_col(st, 1, a);
		}
		if (n < INV_PARTS_MAX) {
			qty[n] = db_col_int(st, 2);
			avail[n++] = db_col_int(st, 3);
		}
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

int inv_sku_stock_each(struct db *db, const struct inv_sku *sku,
		       int (*fn)(const struct inv_stock_level *l, void *ctx), void *ctx,
		       struct err *err)
{
	if (!sku->is_combo)
		return plain_stock_each(db, sku->id, fn, ctx, err);
	struct arena *a = arena_new(1024);
	int rc = a ? combo_stock_each(db, a, sku->id, fn, ctx, err) : inv_db_nomem(err);
	arena_free(a);
	return rc;
}

/* ---------------------------------------------------------------- warehouses */

int inv_warehouse_create(struct db *db, const struct auth_user *who, const char *code,
			 const char *name, int64_t now_utc, int64_t *id, struct err *err)
{
	struct db_stmt *st;
	int rc = inv_place_code_check(code, "code", err);
	if (!rc)
		rc = inv_text_check(name, "name", 50, 1, err);
	if (!rc)
		rc = db_begin(db, err);
	if (rc)
		return rc;
	rc = db_prepare(db, "INSERT INTO warehouses (code, name, created_utc) VALUES (?, ?, ?) RETURNING id",
			&st, err);
	if (!rc) {
		db_bind_text(st, 1, code);
		db_bind_text(st, 2, name);
		db_bind_int(st, 3, now_utc);
		rc = db_step(st, err);
		if (rc == DB_ROW)
			*id = db_col_int(st, 0);
		db_done(st);
		rc = rc < 0 ? rc : 0;
	}
	if (rc == ERR_CONFLICT) {
		err_init(err);
		rc = err_setf(err, ERR_CONFLICT, "code", "仓库 %s 已存在",
			      "warehouse %s already exists", code, code);
	}
	if (!rc)
		rc = inv_db_audit(db, who, "warehouse", code, "create", NULL,
				  json_pack("{s:s,s:s}", "code", code, "name", name), now_utc, err);
	return inv_db_tx_end(db, rc, err);
}

#define WH_COLS \
	"w.id, w.code, w.name, w.created_utc," \
	" (SELECT COUNT(*) FROM locations l WHERE l.warehouse_id = w.id)," \
	" CASE WHEN w.id = (SELECT MIN(id) FROM warehouses) THEN 1 ELSE 0 END"

static int read_wh(struct db_stmt *st, struct arena *a, struct inv_warehouse *w)
{
	w->id = db_col_int(st, 0);
	w->code = inv_db_col(st, 1, a);
	w->name = inv_db_col(st, 2, a);
	w->created_utc = db_col_int(st, 3);
	w->locations = db_col_int(st, 4);
	w->is_default = (int)db_col_int(st, 5);
	return w->code && w->name ? 0 : ERR_NOMEM;
}

int inv_warehouse_get(struct db *db, struct arena *a, const char *code,
		      struct inv_warehouse *out, struct err *err)
{
	struct db_stmt *st;
	int64_t id;
	int rc = inv_db_wh_id(db, code, &id, err);
	if (!rc)
		rc = db_prepare(db, "SELECT " WH_COLS " FROM warehouses w WHERE w.id = ?", &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, id);
	rc = db_step(st, err);
	if (rc == DB_ROW && read_wh(st, a, out))
		rc = inv_db_nomem(err);
	db_done(st);
	if (rc == DB_DONE)
		return err_set(err, ERR_NOT_FOUND, "warehouse", "仓库不存在", "no such warehouse");
	return rc < 0 ? rc : 0;
}

int inv_warehouse_each(struct db *db, struct arena *a,
		       int (*fn)(const struct inv_warehouse *w, void *ctx), void *ctx,
		       struct err *err)
{
	struct db_stmt *st;
	struct inv_warehouse w;
	int rc = db_prepare(db, "SELECT " WH_COLS " FROM warehouses w ORDER BY w.id", &st, err);
	if (rc)
		return rc;
	while ((rc = db_step(st, err)) == DB_ROW) {
		rc = read_wh(st, a, &w) ? inv_db_nomem(err) : fn(&w, ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}

int inv_location_create(struct db *db, const struct auth_user *who, const char *warehouse,
			const char *code, int64_t pick_order, int64_t now_utc, int64_t *id,
			struct err *err)
{
	struct db_stmt *st;
	int64_t wh;
	char eid[2 * INV_WH_CODE_MAX + 2];
	int rc = inv_place_code_check(code, "code", err);
	if (!rc)
		rc = db_begin(db, err);
	if (rc)
		return rc;
	rc = inv_db_wh_id(db, warehouse, &wh, err);
	if (!rc)
		rc = db_prepare(db, "INSERT INTO locations (warehouse_id, code, pick_order)"
				    " VALUES (?, ?, ?) RETURNING id",
				&st, err);
	if (!rc) {
		db_bind_int(st, 1, wh);
		db_bind_text(st, 2, code);
		db_bind_int(st, 3, pick_order);
		rc = db_step(st, err);
		if (rc == DB_ROW)
			*id = db_col_int(st, 0);
		db_done(st);
		rc = rc < 0 ? rc : 0;
	}
	if (rc == ERR_CONFLICT) {
		err_init(err);
		rc = err_setf(err, ERR_CONFLICT, "code", "库位 %s 已存在", "location %s already exists",
			      code, code);
	}
	snprintf(eid, sizeof eid, "%.32s/%.32s", warehouse ? warehouse : "", code);
	if (!rc)
		rc = inv_db_audit(db, who, "location", eid, "create", NULL,
				  json_pack("{s:s,s:I}", "code", code, "pick_order",
					    (json_int_t)pick_order),
				  now_utc, err);
	return inv_db_tx_end(db, rc, err);
}

int inv_location_each(struct db *db, int64_t warehouse_id,
		      int (*fn)(const struct inv_location *l, void *ctx), void *ctx,
		      struct err *err)
{
	struct db_stmt *st;
	struct inv_location l;
	int rc = db_prepare(db, "SELECT l.id, l.code, l.pick_order,"
				" (SELECT COUNT(*) FROM sku_locations s WHERE s.location_id = l.id)"
				" FROM locations l WHERE l.warehouse_id = ? ORDER BY l.pick_order, l.code",
			    &st, err);
	if (rc)
		return rc;
	db_bind_int(st, 1, warehouse_id);
	while ((rc = db_step(st, err)) == DB_ROW) {
		l.id = db_col_int(st, 0);
		l.code = db_col_text(st, 1);
		l.pick_order = db_col_int(st, 2);
		l.skus = db_col_int(st, 3);
		rc = fn(&l, ctx);
		if (rc)
			break;
	}
	db_done(st);
	return rc < 0 ? rc : 0;
}
