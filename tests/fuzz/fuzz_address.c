/*
 * fuzz_address.c - libFuzzer harness for addr_parse and phone_parse (SPEC ORD-6).
 *
 * Any bytes may be refused, but never crash; a refusal always says why, in the
 * right field. An accepted address has all three levels, each level inside the
 * one above it, and a non-empty street inside the input. An accepted phone
 * number normalises to itself.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "orders/address.h"
#include "orders/phone.h"
#include "lib/common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct addr_table *table;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	struct err err = ERR_INIT;
	struct addr_result r;

	if (!table && addr_table_new((const char *)addr_division_files[0].data,
				     addr_division_files[0].len, &table, &err))
		abort();
	if (addr_parse(table, in, size, &r, &err) == 0) {
		if (!r.district.code || r.district.code / 100 != r.city.code ||
		    r.city.code / 100 != r.province.code)
			abort();
		if (!r.street_len || r.street < in || r.street + r.street_len > in + size)
			abort();
	} else if (strcmp(err.field, "address") || !err.msg_zh[0] || !err.msg_en[0] || r.street) {
		abort();
	}

	struct phone p, again;
	struct err perr = ERR_INIT;
	if (phone_parse(in, size, &p, &perr) == 0) {
		if (phone_parse(p.norm, strlen(p.norm), &again, &perr) || strcmp(again.norm, p.norm))
			abort();
	} else if (strcmp(perr.field, "phone") || !perr.msg_en[0]) {
		abort();
	}
	return 0;
}
