// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * core-classify TABLE KEYS: the userspace C core's answer for every key of a key file, in the
 * format of `rampartctl test-keys` ("VERDICT RULE_INDEX RULE_ID", "nochain"), so the kernel's
 * answers can be compared byte for byte. Set membership comes from the key file's elements.
 */
#include "../../../core/tools/keyfile.h"

int main(int argc, char **argv)
{
	struct rampart_table t;
	struct rampart_verify_error err;
	struct keyfile kf;
	size_t len;
	uint8_t *blob;
	uint32_t i;

	if (argc != 3) {
		fprintf(stderr, "usage: core-classify TABLE KEYS\n");
		return 2;
	}
	blob = read_file(argv[1], &len);
	if (!blob || rampart_verify(blob, len, NULL, &t, &err) != 0) {
		fprintf(stderr, "core-classify: %s unreadable or refused (error %d)\n", argv[1], err.code);
		return 2;
	}
	if (load_keys(argv[2], &kf) != 0) {
		fprintf(stderr, "core-classify: bad key file %s\n", argv[2]);
		return 2;
	}
	for (i = 0; i < kf.nkeys; i++) {
		struct rampart_result r;

		if (rampart_classify(&t, kf.hooks[i], &kf.keys[i], keyfile_set_lookup, &kf, &r) < 0)
			printf("nochain\n");
		else
			printf("%u %d %u\n", r.verdict,
			       r.rule_index == RAMPART_NO_RULE ? -1 : (int)r.rule_index, r.rule_id);
	}
	return 0;
}
