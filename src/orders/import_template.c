/*
 * import_template.c - the generic order template as a file: the header row and
 * two example rows (one order of two lines), for `dianpu gen generic-template`
 * and GET /api/v1/imports/template. CSV is UTF-8 with a BOM (so Excel opens it
 * as UTF-8) and CRLF; XLSX has every cell as text.
 */
#include "orders/import_template.h"

#include <stdio.h>
#include <string.h>

#include "io/xlsx.h"
#include "lib/arena.h"
#include "orders/import_generic.h"
#include "lib/common.h"

static void csv_field_write(FILE *f, const char *s)
{
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	if (quote)
		fputc('"', f);
}

static void csv_row_write(FILE *f, const char *const *cells)
{
	for (int c = 0; c < GENERIC_COL__COUNT; c++) {
		if (c)
			fputc(',', f);
		csv_field_write(f, cells[c]);
	}
	fputs("\r\n", f);
}

static int template_csv(FILE *f, struct err *err)
{
	const char *head[GENERIC_COL__COUNT];
	for (int c = 0; c < GENERIC_COL__COUNT; c++)
		head[c] = generic_columns[c].name;
	fputs("\xEF\xBB\xBF", f);
	csv_row_write(f, head);
	for (size_t r = 0; r < ARRAY_SIZE(generic_template_rows); r++)
		csv_row_write(f, generic_template_rows[r]);
	return ferror(f) ? err_set(err, ERR_IO, "", "写入文件失败", "failed to write the file") : 0;
}

static int template_xlsx(FILE *f, struct err *err)
{
	struct xlsx_col cols[GENERIC_COL__COUNT];
	struct xlsx_writer *w;
	const void *data;
	size_t len;
	struct arena *a = arena_new(1 << 16);

	if (!a)
		return err_set(err, ERR_NOMEM, "", "内存不足", "out of memory");
	for (int c = 0; c < GENERIC_COL__COUNT; c++) {
		cols[c].title = generic_columns[c].name;
		cols[c].width = c == GENERIC_COL_ADDRESS ? 36 : c == GENERIC_COL_TITLE ? 24 : 16;
	}
	int rc = xlsx_writer_new("订单", cols, GENERIC_COL__COUNT, &w, err);
	if (!rc) {
		for (size_t r = 0; r < ARRAY_SIZE(generic_template_rows); r++) {
			for (int c = 0; c < GENERIC_COL__COUNT; c++)
				xlsx_cell_text(w, generic_template_rows[r][c]);
			xlsx_row_end(w);
		}
		rc = xlsx_writer_finish(w, a, &data, &len, err);
	}
	if (!rc && fwrite(data, 1, len, f) != len)
		rc = err_set(err, ERR_IO, "", "写入文件失败", "failed to write the file");
	arena_free(a);
	return rc;
}

int generic_template_write(FILE *f, int xlsx, struct err *err)
{
	return xlsx ? template_xlsx(f, err) : template_csv(f, err);
}
