/* embed.h - files compiled into the binary by tools/embed.c. */
#ifndef LIB_EMBED_H
#define LIB_EMBED_H

#include <stddef.h>

struct embed_file {
	const char *name;
	const unsigned char *data;
	size_t len;
};

#endif
