// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * swapper A B N: loads table A, then B, then A ... N times in all through the library, as fast as
 * the kernel takes them; prints "N loads, F failed, last load_seq S". The atomic-swap case runs it
 * while traffic flows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../../agent/rampart_nl.h"

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *b;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		return NULL;
	b = malloc(n);
	if (b && fread(b, 1, n, f) != (size_t)n)
		b = NULL;
	fclose(f);
	*len = n;
	return b;
}

int main(int argc, char **argv)
{
	struct rnl_status st = { 0 };
	size_t la, lb;
	uint8_t *a, *b;
	struct rnl nl;
	long i, n, failed = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: swapper A B N\n");
		return 2;
	}
	a = slurp(argv[1], &la);
	b = slurp(argv[2], &lb);
	n = atol(argv[3]);
	if (!a || !b || rnl_open(&nl)) {
		fprintf(stderr, "swapper: cannot read the tables or reach the module\n");
		return 2;
	}
	for (i = 0; i < n; i++) {
		int ret = i % 2 ? rnl_load(&nl, b, lb, 0, 0, &st) : rnl_load(&nl, a, la, 0, 0, &st);

		if (ret) {
			failed++;
			fprintf(stderr, "swapper: load %ld: %s %s\n", i, strerror(-ret), nl.err_msg);
		}
	}
	printf("%ld loads, %ld failed, last load_seq %u\n", n, failed, st.load_seq);
	return failed ? 1 : 0;
}
