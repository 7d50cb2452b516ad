// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * Tests of the C core on real compiled tables (tests/data, written by the Java compiler):
 * verify accepts them; targeted corruptions get the exact error code and byte offset; random
 * corruptions never crash verify or a classify of what verify let through (run under ASan and
 * UBSan by the Makefile); the tree walk agrees with the linear first-match scan on random keys
 * biased to the terms' bounds; a table that rampart_table_uses_state() calls stateless answers
 * every key the same whatever its connection state. Ends with "N passed, M failed".
 */
#include <dirent.h>
#include "../tools/keyfile.h"
#include "../rampart_features.h"

static int passed, failed;

#define CHECK(cond, ...)                                                                          \
	do {                                                                                      \
		if (cond) {                                                                       \
			passed++;                                                                 \
		} else {                                                                          \
			failed++;                                                                 \
			printf("FAIL %s:%d: ", __FILE__, __LINE__);                              \
			printf(__VA_ARGS__);                                                      \
			printf("\n");                                                             \
		}                                                                                 \
	} while (0)

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void reseal(uint8_t *b, size_t len)
{
	wr32(b + 12, rampart_crc32c(b + 16, len - 16));
}

static uint32_t sec_off(const uint8_t *b, int s) { return rampart_rd32(b + 32 + 8 * s); }
static uint32_t sec_cnt(const uint8_t *b, int s) { return rampart_rd32(b + 36 + 8 * s); }

static int verify_code(const uint8_t *b, size_t len, uint32_t *offset)
{
	struct rampart_table t;
	struct rampart_verify_error err;
	int rc = rampart_verify(b, len, NULL, &t, &err);

	*offset = err.offset;
	return rc;
}

/* Copies the blob, lets mutate() change it, reseals if asked, and expects code at offset. */
static void expect_error(const char *name, const uint8_t *good, size_t len, const char *what,
			 void (*mutate)(uint8_t *, size_t *), int seal, int code, uint32_t offset)
{
	uint8_t *b = malloc(len + 16);
	size_t l = len;
	uint32_t off;
	int rc;

	memcpy(b, good, len);
	mutate(b, &l);
	if (seal)
		reseal(b, l);
	rc = verify_code(b, l, &off);
	CHECK(rc == code && off == offset, "%s: %s: want error %d at %u, got %d at %u", name, what, code,
	      offset, rc, off);
	free(b);
}

static void m_truncate(uint8_t *b, size_t *l) { (*l)--; }
static void m_magic(uint8_t *b, size_t *l) { b[1] ^= 0x20; }
static void m_version(uint8_t *b, size_t *l) { b[4] = 2; }
static void m_body(uint8_t *b, size_t *l) { b[*l - 1] ^= 1; }
static void m_append(uint8_t *b, size_t *l) { b[(*l)++] = 0; }
static void m_flags(uint8_t *b, size_t *l) { b[24] = 1; }
static void m_depth(uint8_t *b, size_t *l) { wr32(b + 28, RAMPART_MAX_DEPTH + 1); }
static void m_section(uint8_t *b, size_t *l) { wr32(b + 32 + 8 * RAMPART_SEC_TERMS, sec_off(b, RAMPART_SEC_TERMS) + 4); }
static void m_rule_verdict(uint8_t *b, size_t *l) { b[sec_off(b, RAMPART_SEC_RULES) + 4] = 3; }
static void m_term_rule(uint8_t *b, size_t *l) { wr32(b + sec_off(b, RAMPART_SEC_TERMS), 0xfffffff0u); }
static void m_node_level(uint8_t *b, size_t *l) { b[sec_off(b, RAMPART_SEC_NODES) + 3] = 0; }
static void m_node_bits(uint8_t *b, size_t *l) { b[sec_off(b, RAMPART_SEC_NODES) + 2] = 9; }

/* The first child of node 0 points back at node 0: a cycle verify must refuse. */
static void m_cycle(uint8_t *b, size_t *l)
{
	uint32_t base = rampart_rd32(b + sec_off(b, RAMPART_SEC_NODES) + 4);

	wr32(b + sec_off(b, RAMPART_SEC_REFS) + 4 * base, 0);
}

static void m_leaf_term(uint8_t *b, size_t *l) { wr32(b + sec_off(b, RAMPART_SEC_LEAFTERMS), 0x7fffffffu); }

static void test_corruptions(const char *name, const uint8_t *good, size_t len)
{
	uint32_t node0 = sec_off(good, RAMPART_SEC_NODES), base;

	expect_error(name, good, len, "truncated", m_truncate, 0, RAMPART_E_SHORT, 8);
	expect_error(name, good, len, "magic", m_magic, 0, RAMPART_E_MAGIC, 0);
	expect_error(name, good, len, "version", m_version, 0, RAMPART_E_VERSION, 4);
	expect_error(name, good, len, "checksum", m_body, 0, RAMPART_E_CHECKSUM, 12);
	expect_error(name, good, len, "trailing byte", m_append, 0, RAMPART_E_LENGTH, 8);
	expect_error(name, good, len, "header flags", m_flags, 1, RAMPART_E_FLAGS, 24);
	expect_error(name, good, len, "max depth", m_depth, 1, RAMPART_E_LIMIT, 28);
	expect_error(name, good, len, "misaligned section", m_section, 1, RAMPART_E_SECTION,
		     32 + 8 * RAMPART_SEC_TERMS);
	expect_error(name, good, len, "rule verdict", m_rule_verdict, 1, RAMPART_E_RULE,
		     sec_off(good, RAMPART_SEC_RULES) + 4);
	expect_error(name, good, len, "term rule index", m_term_rule, 1, RAMPART_E_TERM,
		     sec_off(good, RAMPART_SEC_TERMS));
	if (sec_cnt(good, RAMPART_SEC_NODES) > 0) {
		base = rampart_rd32(good + node0 + 4);
		expect_error(name, good, len, "node level", m_node_level, 1, RAMPART_E_NODE, node0 + 3);
		expect_error(name, good, len, "node cut width", m_node_bits, 1, RAMPART_E_NODE, node0 + 1);
		expect_error(name, good, len, "cycle", m_cycle, 1, RAMPART_E_REF,
			     sec_off(good, RAMPART_SEC_REFS) + 4 * base);
	}
	if (sec_cnt(good, RAMPART_SEC_LEAFTERMS) > 0)
		expect_error(name, good, len, "leaf term", m_leaf_term, 1, RAMPART_E_LEAF,
			     sec_off(good, RAMPART_SEC_LEAFTERMS));
}

/* Deterministic pseudo-membership so that set conditions take both branches. */
static int fake_sets(void *ctx, uint32_t set, const uint64_t addr[2])
{
	return ((addr[0] ^ addr[1] ^ set) * 0x9e3779b97f4a7c15ull) >> 63;
}

/* A key whose fields sit at or near the inline bounds of random terms, or are random. */
static void random_key(const struct rampart_table *t, struct rampart_key *k)
{
	uint32_t nterms = t->count[RAMPART_SEC_TERMS], j;
	const uint8_t *r;

	for (j = 0; j < RAMPART_W_COUNT; j++)
		k->w[j] = rnd() & 3 ? rnd() & 0xff : rnd();
	k->w[RAMPART_W_PROTO] &= 0xff;
	k->w[RAMPART_W_SPORT] &= 0xffff;
	k->w[RAMPART_W_DPORT] &= 0xffff;
	k->w[RAMPART_W_STATE] &= 3;
	if (nterms == 0)
		return;
	r = t->sec[RAMPART_SEC_TERMS] + 32 * (size_t)(rnd() % nterms);
	if (rnd() & 1) {
		k->w[RAMPART_W_SRC_HI] = 0;
		k->w[RAMPART_W_SRC_LO] = 0xffff00000000ull | rampart_rd32(r + 8 + 4 * (rnd() & 1));
		k->w[RAMPART_W_DST_HI] = 0;
		k->w[RAMPART_W_DST_LO] = 0xffff00000000ull | rampart_rd32(r + 16 + 4 * (rnd() & 1));
	} else if (t->count[RAMPART_SEC_INTERVALS] > 0) {
		const uint8_t *iv = t->sec[RAMPART_SEC_INTERVALS] +
				    32 * (size_t)(rnd() % t->count[RAMPART_SEC_INTERVALS]);

		k->w[RAMPART_W_SRC_HI] = rampart_rd64(iv + 16 * (rnd() & 1));
		k->w[RAMPART_W_SRC_LO] = rampart_rd64(iv + 8 + 16 * (rnd() & 1));
	}
	if (!(rampart_rd32(r) & RAMPART_TERM_PROTO_ANY))
		k->w[RAMPART_W_PROTO] = r[7];
	k->w[RAMPART_W_SPORT] = rampart_rd16(r + 24 + 2 * (rnd() & 1));
	k->w[RAMPART_W_DPORT] = rampart_rd16(r + 28 + 2 * (rnd() & 1));
	if (rnd() & 1)
		k->w[RAMPART_W_DPORT] += 1;
}

static void test_tree_matches_linear(const char *name, const uint8_t *b, size_t len)
{
	struct rampart_table t;
	struct rampart_verify_error err;
	uint32_t i, h, bad = 0, matched = 0, n = 100000;

	if (rampart_verify(b, len, NULL, &t, &err) != 0)
		return;
	for (i = 0; i < n; i++) {
		struct rampart_key k;
		struct rampart_result x, y;
		int rx, ry;

		random_key(&t, &k);
		h = (uint32_t)(rnd() % 3);
		rx = rampart_classify(&t, h, &k, fake_sets, NULL, &x);
		ry = rampart_classify_linear(&t, h, &k, fake_sets, NULL, &y);
		if (rx != ry || (rx == 0 && (x.rule_index != y.rule_index || x.verdict != y.verdict)))
			bad++;
		if (rx == 0 && x.rule_index != RAMPART_NO_RULE)
			matched++;
	}
	CHECK(bad == 0, "%s: tree and linear disagree on %u of %u keys", name, bad, n);
	CHECK(matched > n / 50, "%s: only %u of %u random keys matched a rule", name, matched, n);
}

/*
 * The kernel runs a table without conntrack when this says it does not test state, so the state
 * word must then never change an answer. Returns whether the table uses state.
 */
static int test_state_feature(const char *name, const uint8_t *b, size_t len)
{
	struct rampart_table t;
	struct rampart_verify_error err;
	uint32_t i, h, s, differ = 0, n = 20000;
	int uses;

	if (rampart_verify(b, len, NULL, &t, &err) != 0)
		return 0;
	uses = rampart_table_uses_state(&t);
	for (i = 0; i < n; i++) {
		struct rampart_key k;
		struct rampart_result x, y;
		int rx, ry;

		random_key(&t, &k);
		h = (uint32_t)(rnd() % 3);
		k.w[RAMPART_W_STATE] = 0;
		rx = rampart_classify(&t, h, &k, fake_sets, NULL, &x);
		for (s = 1; s < 4; s++) {
			k.w[RAMPART_W_STATE] = s;
			ry = rampart_classify(&t, h, &k, fake_sets, NULL, &y);
			if (rx != ry || (rx == 0 && x.rule_index != y.rule_index))
				differ++;
		}
	}
	if (!uses)
		CHECK(differ == 0, "%s: said stateless, but the state changed %u answers", name, differ);
	return uses;
}

/* Random bit flips, resealed: verify must refuse or accept cleanly, and accepted ones classify. */
static void test_random_corruption(const char *name, const uint8_t *good, size_t len)
{
	uint8_t *b = malloc(len);
	uint32_t i, accepted = 0, refused = 0;

	for (i = 0; i < 3000; i++) {
		struct rampart_table t;
		struct rampart_verify_error err;
		int f, flips = 1 + (int)(rnd() % 4);

		memcpy(b, good, len);
		for (f = 0; f < flips; f++)
			b[rnd() % len] ^= (uint8_t)(1u << (rnd() % 8));
		reseal(b, len);
		if (rampart_verify(b, len, NULL, &t, &err) == 0) {
			uint32_t j;

			accepted++;
			for (j = 0; j < 200; j++) {
				struct rampart_key k;
				struct rampart_result r;

				random_key(&t, &k);
				rampart_classify(&t, (uint32_t)(rnd() % 3), &k, fake_sets, NULL, &r);
				rampart_classify_linear(&t, (uint32_t)(rnd() % 3), &k, fake_sets, NULL, &r);
			}
		} else {
			refused++;
			if (err.code < RAMPART_E_SHORT || err.code > RAMPART_E_LEAF || err.offset >= len + 1)
				break;
		}
	}
	CHECK(accepted + refused == 3000, "%s: bad error report after %u corruptions", name, accepted + refused);
	free(b);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "tests/data";
	DIR *d = opendir(dir);
	struct dirent *e;
	int files = 0, stateful = 0, stateless = 0;

	if (!d) {
		printf("cannot open %s\n", dir);
		return 2;
	}
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		size_t len;
		uint8_t *b;
		uint32_t off;

		if (!strstr(e->d_name, ".bin"))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		b = read_file(path, &len);
		if (!b)
			continue;
		files++;
		CHECK(verify_code(b, len, &off) == 0, "%s: compiled table refused at %u", e->d_name, off);
		test_corruptions(e->d_name, b, len);
		test_tree_matches_linear(e->d_name, b, len);
		test_random_corruption(e->d_name, b, len);
		if (test_state_feature(e->d_name, b, len))
			stateful++;
		else
			stateless++;
		free(b);
	}
	closedir(d);
	CHECK(files >= 2, "expected compiled tables in %s, found %d", dir, files);
	CHECK(stateful >= 1 && stateless >= 1, "expected tables with and without state rules, got %d and %d",
	      stateful, stateless);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
