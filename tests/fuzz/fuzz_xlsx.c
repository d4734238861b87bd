/*
 * fuzz_xlsx.c - libFuzzer harness for the XLSX reader (io/xlsx).
 *
 * An odd first byte: the rest is the .xlsx file itself (zip structure, sizes,
 * damaged deflate streams). An even one: the rest is "SHARED-STRINGS XML\n--\n
 * SHEET XML", packed here into a workbook with a fixed styles part (date
 * formats on styles 1 and 2), so the mutations reach the XML handlers instead
 * of dying at the zip's CRC. Small limits (from the first byte) make the
 * per-row and fatal limit paths run. Every row must be well-formed UTF-8 with
 * consistent lengths and a row number, and every error must say why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "io/xlsx.h"
#include "lib/utf8.h"
#include "lib/common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char wb[] = "<workbook><sheets><sheet r:id=\"rId1\"/></sheets></workbook>";
static const char styles[] = "<styleSheet><numFmts><numFmt numFmtId=\"170\" formatCode=\"yyyy-mm-dd hh:mm\"/>"
			     "</numFmts><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"170\"/>"
			     "</cellXfs></styleSheet>";

static int add(zip_t *z, const char *name, const void *p, size_t n)
{
	zip_source_t *s = zip_source_buffer(z, p, n, 0);
	return s && zip_file_add(z, name, s, 0) >= 0 ? 0 : (zip_source_free(s), -1);
}

/* The parts packed into a stored zip, malloc'd into *out; -1 on failure. */
static int pack(const uint8_t *d, size_t n, uint8_t **out, zip_int64_t *len)
{
	const uint8_t *sep = memmem(d, n, "\n--\n", 4);
	size_t k = sep ? (size_t)(sep - d) : 0, rest = sep ? k + 4 : 0;
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, NULL);
	zip_t *z = src ? zip_open_from_source(src, ZIP_TRUNCATE, NULL) : NULL;
	int rc = -1;
	*out = NULL;
	if (!z)
		return zip_source_free(src), -1;
	zip_source_keep(src);
	if (add(z, "xl/workbook.xml", wb, strlen(wb)) || add(z, "xl/styles.xml", styles, strlen(styles)) ||
	    add(z, "xl/sharedStrings.xml", d, k) || add(z, "xl/worksheets/sheet1.xml", d + rest, n - rest) ||
	    zip_close(z) != 0) {
		zip_discard(z);
	} else if (zip_source_open(src) == 0) {
		zip_source_seek(src, 0, SEEK_END);
		*len = zip_source_tell(src);
		zip_source_seek(src, 0, SEEK_SET);
		*out = *len > 0 ? malloc((size_t)*len) : NULL;
		rc = *out && zip_source_read(src, *out, (zip_uint64_t)*len) == *len ? 0 : -1;
		zip_source_close(src);
	}
	zip_source_free(src);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *packed = NULL;
	zip_int64_t plen = 0;
	struct xlsx *x;
	struct csv_record rec;
	struct err err = ERR_INIT;
	if (size < 1)
		return 0;
	struct xlsx_opts o = { .unzipped_max = (uint64_t)1 << 22, .cell_max = 8 + data[0] % 64,
			       .record_max = 64 + (size_t)data[0] * 4, .fields_max = 1 + data[0] % 40,
			       .rows_max = 1 + data[0] % 100, .shared_max = 4096 };
	if (!(data[0] & 1) && pack(data + 1, size - 1, &packed, &plen)) {
		free(packed);
		return 0;
	}
	int rc = packed ? xlsx_open_mem(packed, (size_t)plen, &o, &x, &err)
			: xlsx_open_mem(data + 1, size - 1, &o, &x, &err);
	if (rc && (rc != err.code || !err.msg_zh[0] || !err.msg_en[0]))
		abort();
	for (int guard = 0; !rc && guard < 1000000; guard++) {
		struct err e = ERR_INIT;
		int got = xlsx_next(x, &rec, &e);
		if (got == 0)
			break;
		if (got < 0) {
			if (e.code != got || !e.msg_zh[0] || !e.msg_en[0])
				abort();
			if (xlsx_fatal(x))
				break;
			continue;
		}
		if (rec.n == 0 || rec.n > o.fields_max || rec.line < 1 || rec.end_line != rec.line)
			abort();
		for (size_t i = 0; i < rec.n; i++)
			if (strlen(rec.fields[i]) != rec.lens[i] || rec.lens[i] > o.cell_max ||
			    !utf8_valid(rec.fields[i], rec.lens[i]))
				abort();
	}
	if (!rc)
		xlsx_free(x);
	free(packed);
	return 0;
}
