/*
 * barcode.h - Code128 symbols as runs of bars, for vector drawing (ORD-7).
 *
 * libzint does the encoding: it picks the code sets (B for letters, C for
 * digit pairs, switching mid-symbol where that is shorter) and the check
 * symbol. This module turns zint's result into a list of bars measured in
 * whole modules (the narrowest bar width, "X"), so io/pdf.c can draw each bar
 * as an exact rectangle at any size; nothing is rasterised.
 *
 * Input is what goes on parcels: tracking and order numbers, printable ASCII
 * (0x20..0x7E), 1..BARCODE_MAX_TEXT bytes. Anything else is ERR_INVALID with
 * the caller's field name, never a crash or a silently different symbol.
 *
 * The symbol excludes its quiet zones: whoever draws it must leave at least
 * BARCODE_QUIET_MODULES modules of white on each side (ISO/IEC 15417).
 *
 * Thread-safe: no global state; each call encodes with its own zint symbol.
 * struct barcode is a plain value (no heap), so it can live on the stack.
 */
#ifndef IO_BARCODE_H
#define IO_BARCODE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"

struct sb;

#define BARCODE_MAX_TEXT 48
#define BARCODE_MAX_BARS 320       /* 48 characters need at most ~300 bars */
#define BARCODE_QUIET_MODULES 10

struct barcode_bar {
	uint16_t x;     /* left edge, modules from the symbol's left edge */
	uint16_t width; /* 1..4 modules (the stop pattern has one of 2) */
};

struct barcode {
	int modules;    /* symbol width in modules, quiet zones excluded */
	size_t nbars;
	struct barcode_bar bars[BARCODE_MAX_BARS]; /* left to right */
};

/* Encodes text as Code128 into bc. field names the input in the error
 * ("waybills[3].tracking_no"). 0, or ERR_INVALID for empty, too long or
 * non-ASCII text, ERR_NOMEM, ERR_INTERNAL when zint fails unexpectedly. */
int barcode_code128(const char *text, struct barcode *bc, const char *field,
		    struct err *err) WUR;

/* The module width for drawing bc in a box `width` wide (any unit) with a
 * quiet zone of BARCODE_QUIET_MODULES on each side: at most max_module, and
 * 0 when it would come out below min_module (too thin to scan). */
double barcode_fit(const struct barcode *bc, double width, double max_module,
		   double min_module);

/* Appends the modules as '1' (bar) and '0' (space), bc->modules characters:
 * for tests and debugging. */
void barcode_pattern(const struct barcode *bc, struct sb *out);

#endif
