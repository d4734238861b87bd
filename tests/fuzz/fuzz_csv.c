/*
 * fuzz_csv.c - libFuzzer harness for the streaming CSV reader (io/csv).
 *
 * The first byte picks a tiny chunk size (4..35) and a small record cap, so
 * records, quotes, CRLFs and GBK characters straddle chunk boundaries and the
 * over-the-cap path runs; the rest is the file. Every record must be
 * well-formed UTF-8 with consistent lengths and line numbers, every error must
 * say why, and for pure ASCII input the records must not depend on the chunk
 * size. The header mapper and csv_clean run over what comes out.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv.h"
#include "lib/sb.h"
#include "lib/utf8.h"
#include "lib/common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct csv_column cols[] = {
	{ "订单编号", 1, NULL },
	{ "a", 0, NULL },
};

/* Reads everything; appends a digest of the records to out when out is given. */
static void read_all(const char *in, size_t n, const struct csv_opts *opts, struct sb *out)
{
	struct csv c;
	struct csv_record rec;
	long prev_line = 0;
	int first = 1;

	csv_init_mem(&c, in, n, opts);
	for (int guard = 0; guard < 1000000; guard++) {
		struct err err = ERR_INIT;
		int rc = csv_next(&c, &rec, &err);
		if (rc == 0)
			break;
		if (rc < 0) {
			if (err.code != rc || !err.msg_en[0] || !err.msg_zh[0])
				abort(); /* an error always says why */
			if (out)
				sb_addf(out, "E%d@%ld\n", rc, rec.line);
			if (csv_fatal(&c))
				break;
			continue;
		}
		if (rec.n == 0 || rec.line < 1 || rec.end_line < rec.line || rec.line <= prev_line)
			abort();
		prev_line = rec.end_line;
		for (size_t i = 0; i < rec.n; i++) {
			size_t start, len;
			if (strlen(rec.fields[i]) != rec.lens[i] ||
			    !utf8_valid(rec.fields[i], rec.lens[i]))
				abort();
			len = csv_clean_span(rec.fields[i], rec.lens[i], &start);
			if (start + len > rec.lens[i])
				abort();
			if (out)
				sb_addf(out, "[%s]", rec.fields[i]);
		}
		if (out)
			sb_addf(out, "@%ld-%ld\n", rec.line, rec.end_line);
		if (first) {
			int idx[ARRAY_SIZE(cols)];
			struct err herr = ERR_INIT;
			if (csv_map_header(&rec, cols, ARRAY_SIZE(cols), idx, &herr) &&
			    (herr.code != ERR_UNPROCESSABLE || !utf8_valid(herr.msg_zh, strlen(herr.msg_zh))))
				abort();
			first = 0;
		}
	}
	csv_release(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct csv_opts tiny = { 4 + data[0] % 32, 64 + (size_t)(data[0] >> 5) * 64, 16 };
	const char *in = (const char *)data + 1;
	size_t n = size - 1;

	if (text_detect(in, n) != TEXT_ASCII) {
		read_all(in, n, &tiny, NULL);
		return 0;
	}
	/* ASCII needs no decoding, so chunking must not change anything. */
	struct csv_opts big = { 0, tiny.record_max, tiny.fields_max };
	struct sb a = SB_INIT, b = SB_INIT;
	read_all(in, n, &tiny, &a);
	read_all(in, n, &big, &b);
	if (a.err || b.err || strcmp(a.buf, b.buf) != 0)
		abort();
	sb_release(&a);
	sb_release(&b);
	return 0;
}
