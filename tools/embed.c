/*
 * embed - writes a C file that holds the given files as byte arrays.
 *
 * usage: embed OUT.c SYMBOL PREFIX_TO_STRIP FILE...
 * Emits `const struct embed_file SYMBOL[]` ending with a {NULL} entry, each
 * entry the path (PREFIX_TO_STRIP removed), bytes and length. Hand-written
 * because Debian's xxd comes with vim and #embed needs a newer compiler.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int emit_file(FILE *out, const char *path, int idx)
{
	FILE *in = fopen(path, "rb");
	int c;
	long n = 0;

	if (!in) {
		perror(path);
		return -1;
	}
	fprintf(out, "static const unsigned char embed_data_%d[] = {", idx);
	while ((c = fgetc(in)) != EOF) {
		if (n % 16 == 0)
			fputs("\n", out);
		fprintf(out, "%d,", c);
		n++;
	}
	fputs("0};\n", out);
	fclose(in);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: embed OUT.c SYMBOL PREFIX FILE...\n");
		return 2;
	}
	FILE *out = fopen(argv[1], "w");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	const char *prefix = argv[3];
	size_t plen = strlen(prefix);
	fputs("#include <stddef.h>\n#include \"lib/embed.h\"\n", out);
	for (int i = 4; i < argc; i++)
		if (emit_file(out, argv[i], i))
			return 1;
	fprintf(out, "const struct embed_file %s[] = {\n", argv[2]);
	for (int i = 4; i < argc; i++) {
		const char *name = argv[i];
		const char *cut = strstr(name, prefix);
		if (plen && cut)
			name = cut + plen;
		fprintf(out, "  { \"%s\", embed_data_%d, sizeof embed_data_%d - 1 },\n", name, i, i);
	}
	fputs("  { NULL, NULL, 0 }\n};\n", out);
	return fclose(out) ? 1 : 0;
}
