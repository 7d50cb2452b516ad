// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * rampart-harness TABLE KEYS [linear]: verifies TABLE, classifies every key of the key file and
 * prints one line per key, "VERDICT RULE_INDEX" (RULE_INDEX -1 by policy) or "nochain". On a table
 * verify refuses it prints "error CODE OFFSET" and exits 3. The Java differential test reads this.
 */
#include "keyfile.h"

int main(int argc, char **argv)
{
	struct rampart_table t;
	struct rampart_verify_error err;
	struct keyfile kf;
	size_t len;
	uint8_t *blob;
	uint32_t i;
	int linear = argc > 3 && strcmp(argv[3], "linear") == 0;

	if (argc < 3) {
		fprintf(stderr, "usage: rampart-harness TABLE KEYS [linear]\n");
		return 2;
	}
	blob = read_file(argv[1], &len);
	if (!blob) {
		fprintf(stderr, "cannot read %s\n", argv[1]);
		return 2;
	}
	if (rampart_verify(blob, len, NULL, &t, &err) != 0) {
		printf("error %d %u\n", err.code, err.offset);
		return 3;
	}
	if (load_keys(argv[2], &kf) != 0) {
		fprintf(stderr, "bad key file %s\n", argv[2]);
		return 2;
	}
	for (i = 0; i < kf.nkeys; i++) {
		struct rampart_result r;
		int rc = linear ? rampart_classify_linear(&t, kf.hooks[i], &kf.keys[i], keyfile_set_lookup, &kf, &r)
				: rampart_classify(&t, kf.hooks[i], &kf.keys[i], keyfile_set_lookup, &kf, &r);

		if (rc < 0)
			printf("nochain\n");
		else
			printf("%u %d\n", r.verdict, r.rule_index == RAMPART_NO_RULE ? -1 : (int)r.rule_index);
	}
	return 0;
}
