/*
 * fuzz_gbk.c - libFuzzer harness for text_detect and gbk_to_utf8.
 *
 * Whatever bytes come in, the output handed on must be valid UTF-8: on success
 * all of it, on failure the good prefix kept before the bad byte. Detection
 * must agree with utf8_valid, or the importer would skip conversion of text
 * that is not UTF-8.
 */
#include <stdint.h>
#include <stdlib.h>

#include "lib/gbk.h"
#include "lib/sb.h"
#include "lib/utf8.h"
#include "lib/common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	struct sb out = SB_INIT;
	struct err err = ERR_INIT;

	enum text_enc enc = text_detect(in, size);
	if ((enc == TEXT_ASCII || enc == TEXT_UTF8) && !utf8_valid(in, size))
		abort();
	if (enc == TEXT_GBK && utf8_valid(in, size))
		abort();

	int rc = gbk_to_utf8(in, size, &out, &err);
	if (!utf8_valid(out.buf, out.len))
		abort();
	if (rc && (err.code != ERR_INVALID || !err.msg_en[0]))
		abort();
	sb_release(&out);
	return 0;
}
