// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the spool's fsync policy costs: appends per second with the default periodic fsync (the
 * page cache takes each record; one fsync per period) against an fsync after every record, and
 * the read rate of a catch-up. Runs in a directory on the disk the agent would use.
 * Usage: bench-spool DIR [records]
 */
#define _GNU_SOURCE
#include "../spool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Appends n records into a fresh spool; returns records per second. */
static double run(const char *base, int round, uint32_t sync_ms, unsigned n, double *read_rate)
{
	char dir[600], err[300], cmd[1300];
	struct spool *s;
	struct record r;
	double t0, t1;
	unsigned i;

	snprintf(dir, sizeof(dir), "%s/bench-%u-%d", base, sync_ms, round);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s'", dir, dir);
	if (system(cmd))
		exit(2);
	s = spool_open(dir, 1ull << 30, sync_ms, NULL, NULL, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "%s\n", err);
		exit(2);
	}
	memset(&r, 0, sizeof(r));
	r.v4 = 1;
	r.proto = 6;
	t0 = now_s();
	for (i = 0; i < n; i++) {
		r.time_ms = 1700000000000ull + i;
		r.sport = (uint16_t)i;
		if (spool_append(s, &r)) {
			fprintf(stderr, "append failed\n");
			exit(2);
		}
		/* The agent's loop calls spool_tick every turn; here time is what the clock says. */
		spool_tick(s, (uint64_t)(now_s() * 1000));
	}
	spool_sync(s);
	t1 = now_s();
	if (read_rate) {
		static struct spool_item it[256];
		struct spool_cursor c;
		unsigned got = 0;
		int k;
		double t2 = now_s();

		spool_cursor_at(&c, 0);
		while ((k = spool_read(s, &c, it, 256)) > 0)
			got += (unsigned)k;
		*read_rate = got / (now_s() - t2);
	}
	spool_close(s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		exit(2);
	return n / (t1 - t0);
}

int main(int argc, char **argv)
{
	const char *base = argc > 1 ? argv[1] : "build";
	unsigned n = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 200000;
	double periodic[5], each[5], reads[5];
	int i;

	for (i = 0; i < 5; i++) {
		periodic[i] = run(base, i, 1000, n, &reads[i]);
		each[i] = run(base, i, 0, n / 100, NULL);
	}
	qsort(periodic, 5, sizeof(double), cmp_d);
	qsort(each, 5, sizeof(double), cmp_d);
	qsort(reads, 5, sizeof(double), cmp_d);
	printf("spool appends, fsync every 1000 ms (default): median %.0f records/s (%u records, 5 runs)\n", periodic[2], n);
	printf("spool appends, fsync after every record:      median %.0f records/s (%u records, 5 runs)\n", each[2], n / 100);
	printf("ratio periodic/each: %.0fx\n", periodic[2] / each[2]);
	printf("spool reads (catch-up from seq 0):            median %.0f records/s\n", reads[2]);
	return 0;
}
