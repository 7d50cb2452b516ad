/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * Userspace helpers shared by the harness, the benchmark and the tests: read whole files, parse
 * the key file written by dev.rampart.dsl.table.KeyCodec, and a set-membership callback over its
 * set elements. Uses libc; never part of the kernel build.
 */
#ifndef RAMPART_KEYFILE_H
#define RAMPART_KEYFILE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../rampart_core.h"

struct keyfile {
	uint32_t nkeys, nelems;
	uint32_t *hooks;
	struct rampart_key *keys;
	uint32_t *elem_set;
	uint64_t (*elem_addr)[2];
};

static inline uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fclose(f);
		return NULL;
	}
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static inline int load_keys(const char *path, struct keyfile *kf)
{
	size_t len, need;
	uint8_t *b = read_file(path, &len);
	const uint8_t *p;
	uint32_t i, j;

	if (!b || len < 12 || memcmp(b, "RKEY", 4) != 0) {
		free(b);
		return -1;
	}
	kf->nkeys = rampart_rd32(b + 4);
	kf->nelems = rampart_rd32(b + 8);
	need = 12 + (size_t)kf->nelems * 24 + (size_t)kf->nkeys * (8 + 8 * RAMPART_W_COUNT);
	if (len != need) {
		free(b);
		return -1;
	}
	kf->hooks = malloc(sizeof(uint32_t) * (kf->nkeys + 1));
	kf->keys = malloc(sizeof(struct rampart_key) * (kf->nkeys + 1));
	kf->elem_set = malloc(sizeof(uint32_t) * (kf->nelems + 1));
	kf->elem_addr = malloc(sizeof(uint64_t[2]) * (kf->nelems + 1));
	p = b + 12;
	for (i = 0; i < kf->nelems; i++, p += 24) {
		kf->elem_set[i] = rampart_rd32(p);
		kf->elem_addr[i][0] = rampart_rd64(p + 8);
		kf->elem_addr[i][1] = rampart_rd64(p + 16);
	}
	for (i = 0; i < kf->nkeys; i++) {
		kf->hooks[i] = rampart_rd32(p);
		p += 8;
		for (j = 0; j < RAMPART_W_COUNT; j++, p += 8)
			kf->keys[i].w[j] = rampart_rd64(p);
	}
	free(b);
	return 0;
}

/* Linear over the elements: test inputs hold a handful. */
static inline int keyfile_set_lookup(void *ctx, uint32_t set, const uint64_t addr[2])
{
	const struct keyfile *kf = ctx;
	uint32_t i;

	for (i = 0; i < kf->nelems; i++)
		if (kf->elem_set[i] == set && kf->elem_addr[i][0] == addr[0] &&
		    kf->elem_addr[i][1] == addr[1])
			return 1;
	return 0;
}

#endif
