/*
 * import_template.h - the generic order template (docs/import-generic.md) as a file.
 */
#ifndef ORDERS_IMPORT_TEMPLATE_H
#define ORDERS_IMPORT_TEMPLATE_H

#include <stdio.h>

#include "lib/err.h"

/* Writes the header row and two example rows to f: XLSX when xlsx, else CSV. */
int generic_template_write(FILE *f, int xlsx, struct err *err) WUR;

#endif
