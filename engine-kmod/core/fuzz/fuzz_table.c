// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * libFuzzer target: any byte string as a table. verify must refuse it with a code in range or
 * accept it, and whatever it accepts must classify keys without reading out of bounds or looping
 * (ASan and UBSan watch), with the tree walk agreeing with the linear scan. Inputs are resealed
 * (checksum recomputed) so the fuzzer reaches the structural checks instead of stopping at the
 * CRC. Seeds: tests/data/*.bin, tables compiled by the Java compiler.
 */
#include <string.h>
#include <stdlib.h>
#include "../rampart_core.h"

static int sets(void *ctx, uint32_t set, const uint64_t addr[2])
{
	return (int)((addr[1] ^ set) & 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rampart_table t;
	struct rampart_verify_error err;
	uint8_t *b;
	uint32_t i;

	if (size < 16)
		return 0;
	b = malloc(size);
	memcpy(b, data, size);
	{
		uint32_t crc = rampart_crc32c(b + 16, size - 16);

		b[12] = (uint8_t)crc;
		b[13] = (uint8_t)(crc >> 8);
		b[14] = (uint8_t)(crc >> 16);
		b[15] = (uint8_t)(crc >> 24);
	}
	if (rampart_verify(b, size, NULL, &t, &err) != 0) {
		if (err.code < RAMPART_E_SHORT || err.code > RAMPART_E_LEAF || err.offset > size)
			abort();
		free(b);
		return 0;
	}
	for (i = 0; i < 64; i++) {
		struct rampart_key k;
		struct rampart_result x, y;
		uint32_t j;
		int rx, ry;

		/* Keys from the input's own bytes, so the fuzzer steers them too. */
		for (j = 0; j < RAMPART_W_COUNT; j++)
			k.w[j] = rampart_rd64(b + ((i * 8 + j * 8) % (size - 8)));
		k.w[RAMPART_W_PROTO] &= 0xff;
		k.w[RAMPART_W_SPORT] &= 0xffff;
		k.w[RAMPART_W_DPORT] &= 0xffff;
		rx = rampart_classify(&t, i % 3, &k, sets, NULL, &x);
		ry = rampart_classify_linear(&t, i % 3, &k, sets, NULL, &y);
		(void)rx;
		(void)ry;
	}
	free(b);
	return 0;
}
