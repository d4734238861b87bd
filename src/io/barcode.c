#include "io/barcode.h"

#include <math.h>
#include <string.h>

#include <zint.h>

#include "lib/sb.h"
#include "lib/common.h"

int barcode_code128(const char *text, struct barcode *bc, const char *field,
		    struct err *err)
{
	size_t n = text ? strlen(text) : 0;
	struct zint_symbol *sym;
	int rc = 0;

	bc->modules = 0;
	bc->nbars = 0;
	if (n == 0)
		return err_set(err, ERR_INVALID, field, "条码内容为空",
			       "barcode text is empty");
	if (n > BARCODE_MAX_TEXT)
		return err_setf(err, ERR_INVALID, field, "条码内容超过 %d 个字符",
				"barcode text is longer than %d characters",
				BARCODE_MAX_TEXT);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c < 0x20 || c > 0x7e)
			return err_set(err, ERR_INVALID, field,
				       "条码只能包含英文字母、数字和常用符号",
				       "barcode text must be printable ASCII");
	}

	sym = ZBarcode_Create();
	if (!sym)
		return err_set(err, ERR_NOMEM, field, "内存不足", "out of memory");
	sym->symbology = BARCODE_CODE128;
	sym->input_mode = DATA_MODE;
	sym->show_hrt = 0; /* pdf.c prints the number itself, in its own font */
	if (ZBarcode_Encode(sym, (const unsigned char *)text, (int)n) >= ZINT_ERROR ||
	    ZBarcode_Buffer_Vector(sym, 0) >= ZINT_ERROR || !sym->vector ||
	    sym->width <= 0 || sym->vector->width <= 0) {
		rc = err_setf(err, ERR_INTERNAL, field, "条码生成失败：%s",
			      "barcode encoding failed: %s", sym->errtxt);
		goto out;
	}

	/* The vector output is in units of vector->width / width per module
	 * (2 with zint 2.11's defaults); divide it out so bars are exact. */
	double unit = sym->vector->width / sym->width;
	for (const struct zint_vector_rect *r = sym->vector->rectangles; r; r = r->next) {
		long x = lround(r->x / unit), w = lround(r->width / unit);
		if (x < 0 || w < 1 || x + w > sym->width || bc->nbars == BARCODE_MAX_BARS) {
			rc = err_set(err, ERR_INTERNAL, field, "条码生成结果异常",
				     "unexpected barcode geometry");
			goto out;
		}
		bc->bars[bc->nbars].x = (uint16_t)x;
		bc->bars[bc->nbars].width = (uint16_t)w;
		bc->nbars++;
	}
	bc->modules = sym->width;
out:
	ZBarcode_Delete(sym);
	if (rc) {
		bc->modules = 0;
		bc->nbars = 0;
	}
	return rc;
}

double barcode_fit(const struct barcode *bc, double width, double max_module,
		   double min_module)
{
	double m;

	if (bc->modules <= 0 || width <= 0)
		return 0;
	m = width / (bc->modules + 2 * BARCODE_QUIET_MODULES);
	if (m > max_module)
		m = max_module;
	return m < min_module ? 0 : m;
}

void barcode_pattern(const struct barcode *bc, struct sb *out)
{
	int at = 0;

	for (size_t i = 0; i < bc->nbars; i++) {
		for (; at < bc->bars[i].x; at++)
			sb_addc(out, '0');
		for (int k = 0; k < bc->bars[i].width; k++, at++)
			sb_addc(out, '1');
	}
	for (; at < bc->modules; at++)
		sb_addc(out, '0');
}
