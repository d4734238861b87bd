/*
 * csv_bench.c - the measuring tool behind bench/csv_bench.sh (ORD-2 import goals).
 *
 *   csv_bench gen N SEED ORDERS.csv ITEMS.csv [--utf8]   synthetic Taobao exports
 *   csv_bench read FILE [CHUNK]                          stream FILE through io/csv
 *
 * `read` prints one key=value line: encoding, records, fields, errors, the last
 * physical line, seconds, MB/s and records/s. Peak RSS comes from /usr/bin/time.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "io/csv.h"
#include "io/taobao_gen.h"
#include "lib/common.h"

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int gen(int argc, char **argv)
{
	struct taobao_gen_opts opts = { 0, 0, 0, 0 };
	struct taobao_gen_stats st;
	struct err err = ERR_INIT;

	if (argc < 6)
		return 2;
	opts.orders = strtol(argv[2], NULL, 10);
	opts.seed = strtoull(argv[3], NULL, 10);
	opts.utf8 = argc > 6 && strcmp(argv[6], "--utf8") == 0;
	FILE *fo = fopen(argv[4], "wb"), *fi = fopen(argv[5], "wb");
	if (!fo || !fi) {
		perror("fopen");
		return 1;
	}
	double t0 = now_s();
	int rc = taobao_gen_write(fo, fi, &opts, &st, &err);
	if (fclose(fo) || fclose(fi) || rc) {
		fprintf(stderr, "gen: %s\n", rc ? err.msg_en : "write failed");
		return 1;
	}
	printf("orders=%ld items=%ld orders_bytes=%" PRIu64 " items_bytes=%" PRIu64 " seconds=%.2f\n",
	       st.orders, st.items, st.orders_bytes, st.items_bytes, now_s() - t0);
	return 0;
}

static int read_file(int argc, char **argv)
{
	struct csv_opts opts = { 0, 0, 0 };
	struct csv c;
	struct csv_record rec;
	struct stat sst;
	long records = 0, errors = 0, last_line = 0;
	uint64_t fields = 0;
	int rc;

	if (argc < 3)
		return 2;
	if (argc > 3)
		opts.chunk_size = strtoul(argv[3], NULL, 10);
	int fd = open(argv[2], O_RDONLY);
	if (fd < 0 || fstat(fd, &sst)) {
		perror(argv[2]);
		return 1;
	}
	double t0 = now_s();
	csv_init_fd(&c, fd, &opts);
	for (;;) {
		struct err err = ERR_INIT;
		rc = csv_next(&c, &rec, &err);
		if (rc == 0)
			break;
		if (rc < 0) {
			errors++;
			if (csv_fatal(&c)) {
				fprintf(stderr, "read: %s\n", err.msg_en);
				break;
			}
			continue;
		}
		records++;
		fields += rec.n;
		last_line = rec.end_line;
	}
	double s = now_s() - t0;
	printf("encoding=%s records=%ld fields=%" PRIu64 " errors=%ld last_line=%ld bytes=%lld "
	       "seconds=%.2f mb_per_s=%.0f records_per_s=%.0f\n",
	       csv_encoding_name(csv_encoding(&c)), records, fields, errors, last_line,
	       (long long)sst.st_size, s, (double)sst.st_size / s / 1e6, (double)records / s);
	int fatal = csv_fatal(&c);
	csv_release(&c);
	close(fd);
	return fatal ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "gen") == 0)
		return gen(argc, argv);
	if (argc > 1 && strcmp(argv[1], "read") == 0)
		return read_file(argc, argv);
	fprintf(stderr, "usage: csv_bench gen N SEED ORDERS.csv ITEMS.csv [--utf8]\n"
			"       csv_bench read FILE [CHUNK]\n");
	return 2;
}
