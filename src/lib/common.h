/*
 * common.h - included by every .c file after its own header.
 * Brings in the ban list and the few macros every module uses.
 */
#ifndef LIB_COMMON_H
#define LIB_COMMON_H

#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define UNUSED(x) ((void)(x))

/* An impossible state: a programming error, never bad input. Aborts. */
#define BUG(msg) bug_at(__FILE__, __LINE__, (msg))
__attribute__((noreturn)) void bug_at(const char *file, int line, const char *msg);

#include "lib/banned.h"

#endif
