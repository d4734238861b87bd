/*
 * fuzz_money.c - libFuzzer harness for money_parse.
 *
 * Any input may be rejected, but an accepted one must be in range and must
 * survive money_format -> money_parse unchanged: the formatted form is what we
 * store and export, so it has to read back as the same fen.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/money.h"
#include "lib/xalloc.h"
#include "lib/common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size); /* NUL-terminated copy */
	struct err err = ERR_INIT;
	char buf[MONEY_BUF];
	int64_t fen = 0, back = 0;

	if (!text)
		return 0;
	if (money_parse(text, &fen, &err) == 0) {
		if (fen > MONEY_MAX_FEN || fen < -MONEY_MAX_FEN)
			abort();
		struct err err2 = ERR_INIT;
		if (money_parse(money_format(fen, buf), &back, &err2) != 0 || back != fen)
			abort();
	} else if (err.code != ERR_INVALID || !err.msg_en[0]) {
		abort(); /* a rejection always says why */
	}
	xfree(text);
	return 0;
}
