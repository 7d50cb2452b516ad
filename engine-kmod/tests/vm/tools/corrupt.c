// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * corrupt TABLE OUTDIR: writes corrupted variants of a valid table, OUTDIR/NNN.bin, and
 * OUTDIR/expect with one line per variant, "NNN CODE OFFSET": what the userspace verifier says
 * about it, which the kernel must repeat exactly. Variants the verifier would accept (a flip that
 * happens to keep the table valid) are not written: every file here must be refused.
 *
 * Kinds: truncations; header fields (magic, version, length, checksum, flags, depth); every
 * section's offset and count made misaligned, out of bounds or huge; and bytes of every section
 * overwritten, with the checksum recomputed so the structural checks are reached.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../../core/rampart_core.h"
#include "../../../core/tools/keyfile.h"

static const uint8_t *orig;
static size_t orig_len;
static const char *outdir;
static FILE *expect;
static int written;

static void wr32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static void fix_crc(uint8_t *b, size_t len)
{
	if (len >= 16)
		wr32(b + 12, rampart_crc32c(b + 16, len - 16));
}

static void emit(const uint8_t *b, size_t len)
{
	struct rampart_table t;
	struct rampart_verify_error err;
	char path[512];
	FILE *f;

	if (len < RAMPART_HEADER_SIZE)
		err.code = RAMPART_E_SHORT, err.offset = len;
	else if (rampart_verify(b, len, NULL, &t, &err) == 0)
		return;
	snprintf(path, sizeof(path), "%s/%03d.bin", outdir, written);
	f = fopen(path, "wb");
	if (!f || fwrite(b, 1, len, f) != len) {
		perror(path);
		exit(2);
	}
	fclose(f);
	fprintf(expect, "%03d %d %u\n", written, err.code, err.offset);
	written++;
}

static uint8_t *copy(void)
{
	uint8_t *b = malloc(orig_len + 64);

	memcpy(b, orig, orig_len);
	memset(b + orig_len, 0, 64);
	return b;
}

int main(int argc, char **argv)
{
	static const size_t cuts[] = { 136, 140, 200 };
	char path[512];
	uint32_t s, i;
	uint8_t *b;

	if (argc != 3) {
		fprintf(stderr, "usage: corrupt TABLE OUTDIR\n");
		return 2;
	}
	orig = read_file(argv[1], &orig_len);
	outdir = argv[2];
	snprintf(path, sizeof(path), "%s/expect", outdir);
	expect = fopen(path, "w");
	if (!orig || !expect) {
		perror("corrupt");
		return 2;
	}
	/* Truncated: shorter than total_length (kept >= the header so LOAD_BEGIN takes it). */
	for (i = 0; i < 3; i++)
		if (cuts[i] < orig_len)
			emit(orig, cuts[i]);
	emit(orig, orig_len - 8);
	emit(orig, orig_len - 1);
	/* Longer than total_length. */
	b = copy();
	emit(b, orig_len + 8);
	/* Header fields. */
	b = copy(); b[0] ^= 1; emit(b, orig_len);
	b = copy(); b[4] = 2; fix_crc(b, orig_len); emit(b, orig_len);
	b = copy(); wr32(b + 8, orig_len + 8); fix_crc(b, orig_len); emit(b, orig_len);
	b = copy(); b[12] ^= 0x40; emit(b, orig_len);
	b = copy(); b[20] ^= 0x01; emit(b, orig_len);   /* policy hash: covered by the checksum */
	b = copy(); b[24] = 1; fix_crc(b, orig_len); emit(b, orig_len);
	b = copy(); wr32(b + 28, 65); fix_crc(b, orig_len); emit(b, orig_len);
	/* Section directory. */
	for (s = 0; s < RAMPART_SEC_COUNT; s++) {
		uint32_t off = rampart_rd32(orig + 32 + 8 * s), cnt = rampart_rd32(orig + 36 + 8 * s);

		b = copy(); wr32(b + 32 + 8 * s, off + 4); fix_crc(b, orig_len); emit(b, orig_len);
		b = copy(); wr32(b + 32 + 8 * s, 0xfffffff8u); fix_crc(b, orig_len); emit(b, orig_len);
		b = copy(); wr32(b + 36 + 8 * s, cnt + 0x10000000u); fix_crc(b, orig_len); emit(b, orig_len);
	}
	/* Section contents: 0xff over each field position of every section's first records. */
	for (s = 1; s < RAMPART_SEC_COUNT; s++) {
		uint32_t off = rampart_rd32(orig + 32 + 8 * s), cnt = rampart_rd32(orig + 36 + 8 * s);
		static const uint32_t size[] = { 1, 8, 8, 32, 24, 36, 8, 32, 24, 8, 4, 8, 4 };
		uint32_t end = off + cnt * size[s], p;

		for (p = off; p < end && p < off + 24; p += 1) {
			b = copy();
			b[p] = 0xff;
			if (p + 1 < orig_len)
				b[p + 1] = 0xff;
			fix_crc(b, orig_len);
			emit(b, orig_len);
		}
	}
	fclose(expect);
	fprintf(stderr, "corrupt: %d refused variants of %s\n", written, argv[1]);
	return written >= 50 ? 0 : 1;
}
