// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * rampart-bench TABLE KEYS EXPECTED [RUNS] [linear]: checks every answer against the expected
 * first-match indexes ("-" in EXPECTED: the linear scan's answer), then times RUNS passes over
 * all keys and prints the median ns per lookup.
 * Single thread; the keys are classified in file order (no locality, as in ClassBench traces).
 */
#include <time.h>
#include "../tools/keyfile.h"

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	struct rampart_table t;
	struct rampart_verify_error err;
	struct keyfile kf;
	size_t len, elen;
	uint8_t *blob;
	char *exp, *p;
	uint32_t i, mismatches = 0, sink = 0;
	int runs = argc > 4 ? atoi(argv[4]) : 5, r;
	int linear = argc > 5 && strcmp(argv[5], "linear") == 0;
	double *ns;

	if (argc < 4) {
		fprintf(stderr, "usage: rampart-bench TABLE KEYS EXPECTED [RUNS] [linear]\n");
		return 2;
	}
	blob = read_file(argv[1], &len);
	if (!blob || rampart_verify(blob, len, NULL, &t, &err) != 0) {
		fprintf(stderr, "table refused: error %d at %u\n", err.code, err.offset);
		return 3;
	}
	if (load_keys(argv[2], &kf) != 0 || !(exp = (char *)read_file(argv[3], &elen))) {
		fprintf(stderr, "bad keys or expected file\n");
		return 2;
	}
	exp[elen] = 0;
	p = exp;
	for (i = 0; i < kf.nkeys; i++) {
		struct rampart_result res, ref;
		long want;

		while (*p == '\n' || *p == ' ')
			p++;
		if (*p == '-') {
			/* No recorded answer: the linear first-match scan of the same table is the model. */
			p++;
			rampart_classify_linear(&t, kf.hooks[i], &kf.keys[i], NULL, NULL, &ref);
			want = ref.rule_index == RAMPART_NO_RULE ? -1 : (long)ref.rule_index;
		} else {
			want = strtol(p, &p, 10);
		}
		if (linear)
			rampart_classify_linear(&t, kf.hooks[i], &kf.keys[i], NULL, NULL, &res);
		else
			rampart_classify(&t, kf.hooks[i], &kf.keys[i], NULL, NULL, &res);
		if ((res.rule_index == RAMPART_NO_RULE ? -1 : (long)res.rule_index) != want)
			mismatches++;
	}
	ns = malloc(sizeof(double) * (size_t)runs);
	for (r = 0; r < runs; r++) {
		double t0 = now_ns();

		for (i = 0; i < kf.nkeys; i++) {
			struct rampart_result res;

			if (linear)
				rampart_classify_linear(&t, kf.hooks[i], &kf.keys[i], NULL, NULL, &res);
			else
				rampart_classify(&t, kf.hooks[i], &kf.keys[i], NULL, NULL, &res);
			sink += res.rule_index;
		}
		ns[r] = (now_ns() - t0) / kf.nkeys;
	}
	qsort(ns, (size_t)runs, sizeof(double), cmp_double);
	printf("keys=%u mismatches=%u median_ns=%.1f min_ns=%.1f table_bytes=%zu sink=%u\n", kf.nkeys,
	       mismatches, ns[runs / 2], ns[0], len, sink & 1);
	return mismatches ? 1 : 0;
}
