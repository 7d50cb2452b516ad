// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * Verification of a compiled table. Everything classify() will ever dereference is checked here
 * once, so the per-packet path carries no bounds checks: section bounds, every index against the
 * count of the section it points into, tree children strictly deeper than their parent (hence
 * acyclic and at most max_depth steps), and leaves tiling their section so that each entry is
 * checked exactly once. Total work is linear in the blob's size.
 */
#include "rampart_core.h"

static const uint32_t elem_size[RAMPART_SEC_COUNT] = {
	1, 8, 8, 32, 24, 32, 8, 32, 24, 8, 4, 8, 4,
};

/* Bits of each field; interval bounds beyond them can never be met by a key. */
static const uint8_t field_bits[RAMPART_F_COUNT] = {128, 128, 8, 16, 16, 8, 8, 8, 2, 128, 128};

void rampart_default_limits(struct rampart_limits *lim)
{
	lim->max_total_length = 256u << 20;
	lim->max_rules = 1u << 22;
	lim->max_terms = 1u << 23;
	lim->max_nodes = 1u << 24;
	lim->max_leaf_terms = 1u << 26;
	lim->max_leaf_size = 1u << 20;
}

uint32_t rampart_crc32c(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffffu;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		crc ^= p[i];
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1u)));
	}
	return ~crc;
}

static int fail(struct rampart_verify_error *err, int code, size_t offset)
{
	err->code = code;
	err->offset = (uint32_t)offset;
	return code;
}

/* Byte offset of element i of section s, for error reports. */
static size_t at(const struct rampart_table *t, int s, uint32_t i, uint32_t field)
{
	return (size_t)(t->sec[s] - t->blob) + (size_t)i * elem_size[s] + field;
}

static int check_string(const struct rampart_table *t, uint32_t off)
{
	uint32_t n = t->count[RAMPART_SEC_STRINGS];

	if (off >= n || n - off < 2)
		return 0;
	return rampart_rd16(t->sec[RAMPART_SEC_STRINGS] + off) <= n - off - 2;
}

/* Whether a 128-bit value {hi, lo} fits in the given number of bits. */
static int fits(uint64_t hi, uint64_t lo, unsigned bits)
{
	if (bits >= 128)
		return 1;
	if (bits >= 64)
		return bits == 64 ? hi == 0 : (hi >> (bits - 64)) == 0;
	return hi == 0 && (lo >> bits) == 0;
}

static int verify_header(const uint8_t *b, size_t len, const struct rampart_limits *lim,
			 struct rampart_table *t, struct rampart_verify_error *err)
{
	uint32_t total, s;

	if (len < RAMPART_HEADER_SIZE)
		return fail(err, RAMPART_E_SHORT, len);
	if (b[0] != RAMPART_MAGIC0 || b[1] != RAMPART_MAGIC1 || b[2] != RAMPART_MAGIC2 ||
	    b[3] != RAMPART_MAGIC3)
		return fail(err, RAMPART_E_MAGIC, 0);
	if (rampart_rd16(b + 4) != RAMPART_VERSION_MAJOR)
		return fail(err, RAMPART_E_VERSION, 4);
	total = rampart_rd32(b + 8);
	if (total > len)
		return fail(err, RAMPART_E_SHORT, 8);
	if (total != len)
		return fail(err, RAMPART_E_LENGTH, 8);
	if (total > lim->max_total_length)
		return fail(err, RAMPART_E_LIMIT, 8);
	if (rampart_crc32c(b + 16, total - 16) != rampart_rd32(b + 12))
		return fail(err, RAMPART_E_CHECKSUM, 12);
	if (rampart_rd32(b + 24) != 0)
		return fail(err, RAMPART_E_FLAGS, 24);
	t->max_depth = rampart_rd32(b + 28);
	if (t->max_depth > RAMPART_MAX_DEPTH)
		return fail(err, RAMPART_E_LIMIT, 28);
	t->blob = b;
	t->length = total;
	for (s = 0; s < RAMPART_SEC_COUNT; s++) {
		uint32_t off = rampart_rd32(b + 32 + 8 * s);
		uint32_t cnt = rampart_rd32(b + 36 + 8 * s);
		uint64_t end = (uint64_t)off + (uint64_t)cnt * elem_size[s];

		if (off % 8 != 0 || off < RAMPART_HEADER_SIZE || end > total)
			return fail(err, RAMPART_E_SECTION, 32 + 8 * s);
		t->sec[s] = b + off;
		t->count[s] = cnt;
	}
	if (t->count[RAMPART_SEC_RULES] > lim->max_rules)
		return fail(err, RAMPART_E_LIMIT, 36 + 8 * RAMPART_SEC_RULES);
	if (t->count[RAMPART_SEC_TERMS] > lim->max_terms)
		return fail(err, RAMPART_E_LIMIT, 36 + 8 * RAMPART_SEC_TERMS);
	if (t->count[RAMPART_SEC_NODES] > lim->max_nodes)
		return fail(err, RAMPART_E_LIMIT, 36 + 8 * RAMPART_SEC_NODES);
	if (t->count[RAMPART_SEC_LEAFTERMS] > lim->max_leaf_terms)
		return fail(err, RAMPART_E_LIMIT, 36 + 8 * RAMPART_SEC_LEAFTERMS);
	/* The set index lives in 15 bits of an ext record. */
	if (t->count[RAMPART_SEC_SETS] > 0x7fff)
		return fail(err, RAMPART_E_LIMIT, 36 + 8 * RAMPART_SEC_SETS);
	return 0;
}

static int verify_rules_sets(struct rampart_table *t, struct rampart_verify_error *err)
{
	uint32_t i;

	for (i = 0; i < t->count[RAMPART_SEC_RULES]; i++) {
		const uint8_t *r = t->sec[RAMPART_SEC_RULES] + 8 * (size_t)i;

		if (r[4] > RAMPART_REJECT)
			return fail(err, RAMPART_E_RULE, at(t, RAMPART_SEC_RULES, i, 4));
		if (r[5] & ~(RAMPART_RULE_LOG | RAMPART_RULE_COUNT))
			return fail(err, RAMPART_E_RULE, at(t, RAMPART_SEC_RULES, i, 5));
		if (r[6] > 4)
			return fail(err, RAMPART_E_RULE, at(t, RAMPART_SEC_RULES, i, 6));
		if (r[7] != 0)
			return fail(err, RAMPART_E_FLAGS, at(t, RAMPART_SEC_RULES, i, 7));
	}
	for (i = 0; i < t->count[RAMPART_SEC_NAMES]; i++) {
		const uint8_t *n = t->sec[RAMPART_SEC_NAMES] + 8 * (size_t)i;

		if (rampart_rd32(n) >= t->count[RAMPART_SEC_RULES])
			return fail(err, RAMPART_E_RULE, at(t, RAMPART_SEC_NAMES, i, 0));
		if (!check_string(t, rampart_rd32(n + 4)))
			return fail(err, RAMPART_E_STRING, at(t, RAMPART_SEC_NAMES, i, 4));
	}
	for (i = 0; i < t->count[RAMPART_SEC_SETS]; i++) {
		const uint8_t *s = t->sec[RAMPART_SEC_SETS] + 24 * (size_t)i;

		if (!check_string(t, rampart_rd32(s)))
			return fail(err, RAMPART_E_STRING, at(t, RAMPART_SEC_SETS, i, 0));
		if (s[4] == 0 || s[4] > 3)
			return fail(err, RAMPART_E_SET, at(t, RAMPART_SEC_SETS, i, 4));
		if (s[5] || s[6] || s[7])
			return fail(err, RAMPART_E_FLAGS, at(t, RAMPART_SEC_SETS, i, 5));
	}
	return 0;
}

static int verify_terms(struct rampart_table *t, struct rampart_verify_error *err)
{
	uint32_t i, j, nrules = t->count[RAMPART_SEC_RULES];
	uint32_t nexts = t->count[RAMPART_SEC_EXTS], nivs = t->count[RAMPART_SEC_INTERVALS];

	for (i = 0; i < t->count[RAMPART_SEC_TERMS]; i++) {
		const uint8_t *r = t->sec[RAMPART_SEC_TERMS] + 32 * (size_t)i;
		uint32_t w0 = rampart_rd32(r), w1 = rampart_rd32(r + 4);
		uint32_t ext = w1 & RAMPART_TERM_EXT_MASK, n = (w0 >> RAMPART_TERM_EXTS_SHIFT) & 15u;

		if ((w0 & RAMPART_TERM_RULE_MASK) >= nrules)
			return fail(err, RAMPART_E_TERM, at(t, RAMPART_SEC_TERMS, i, 0));
		if ((w0 & RAMPART_TERM_RESERVED) || ((w0 & RAMPART_TERM_PROTO_ANY) && (w1 >> 24) != 0))
			return fail(err, RAMPART_E_FLAGS, at(t, RAMPART_SEC_TERMS, i, 0));
		if (ext > nexts || n > nexts - ext)
			return fail(err, RAMPART_E_TERM, at(t, RAMPART_SEC_TERMS, i, 4));
	}
	for (i = 0; i < nexts; i++) {
		const uint8_t *e = t->sec[RAMPART_SEC_EXTS] + 8 * (size_t)i;
		uint16_t arg = rampart_rd16(e + 2);
		uint32_t idx = rampart_rd32(e + 4);

		if (e[0] == RAMPART_EXT_INTERVALS) {
			if (e[1] >= RAMPART_F_COUNT)
				return fail(err, RAMPART_E_EXT, at(t, RAMPART_SEC_EXTS, i, 1));
			if (idx > nivs || arg > nivs - idx)
				return fail(err, RAMPART_E_EXT, at(t, RAMPART_SEC_EXTS, i, 4));
		} else if (e[0] == RAMPART_EXT_SET) {
			if (e[1] != RAMPART_F_SRC && e[1] != RAMPART_F_DST)
				return fail(err, RAMPART_E_EXT, at(t, RAMPART_SEC_EXTS, i, 1));
			if ((uint32_t)(arg & ~RAMPART_EXT_SET_NEGATED) >= t->count[RAMPART_SEC_SETS])
				return fail(err, RAMPART_E_EXT, at(t, RAMPART_SEC_EXTS, i, 2));
			if (idx != 0)
				return fail(err, RAMPART_E_FLAGS, at(t, RAMPART_SEC_EXTS, i, 4));
		} else {
			return fail(err, RAMPART_E_EXT, at(t, RAMPART_SEC_EXTS, i, 0));
		}
		/* Interval bounds must fit the field of every ext that reads them. */
		for (j = 0; e[0] == RAMPART_EXT_INTERVALS && j < arg; j++) {
			const uint8_t *v = t->sec[RAMPART_SEC_INTERVALS] + 32 * (size_t)(idx + j);
			uint64_t lh = rampart_rd64(v), ll = rampart_rd64(v + 8);
			uint64_t hh = rampart_rd64(v + 16), hl = rampart_rd64(v + 24);

			if (lh > hh || (lh == hh && ll > hl) || !fits(hh, hl, field_bits[e[1]]))
				return fail(err, RAMPART_E_INTERVAL,
					    at(t, RAMPART_SEC_INTERVALS, idx + j, 0));
		}
	}
	return 0;
}

/* One tree of chain c: nodes, refs and leaves inside the tree's own ranges. */
static int verify_tree(struct rampart_table *t, uint32_t ti, uint32_t term_lo, uint32_t term_n,
		       const struct rampart_limits *lim, struct rampart_verify_error *err)
{
	const uint8_t *tr = t->sec[RAMPART_SEC_TREES] + 24 * (size_t)ti;
	uint32_t root = rampart_rd32(tr), nlo = rampart_rd32(tr + 4), nn = rampart_rd32(tr + 8);
	uint32_t llo = rampart_rd32(tr + 12), ln = rampart_rd32(tr + 16);
	uint32_t i, j, expect_base;

	if (nlo > t->count[RAMPART_SEC_NODES] || nn > t->count[RAMPART_SEC_NODES] - nlo)
		return fail(err, RAMPART_E_TREE, at(t, RAMPART_SEC_TREES, ti, 4));
	if (llo > t->count[RAMPART_SEC_LEAVES] || ln > t->count[RAMPART_SEC_LEAVES] - llo || ln == 0)
		return fail(err, RAMPART_E_TREE, at(t, RAMPART_SEC_TREES, ti, 12));
	if (rampart_rd32(tr + 20) != 0)
		return fail(err, RAMPART_E_FLAGS, at(t, RAMPART_SEC_TREES, ti, 20));
	if (root & RAMPART_REF_LEAF) {
		if ((root & ~RAMPART_REF_LEAF) - llo >= ln || (root & ~RAMPART_REF_LEAF) < llo)
			return fail(err, RAMPART_E_TREE, at(t, RAMPART_SEC_TREES, ti, 0));
	} else if (root < nlo || root - nlo >= nn) {
		return fail(err, RAMPART_E_TREE, at(t, RAMPART_SEC_TREES, ti, 0));
	}
	for (i = nlo; i < nlo + nn; i++) {
		const uint8_t *n = t->sec[RAMPART_SEC_NODES] + 8 * (size_t)i;
		uint32_t base = rampart_rd32(n + 4), fan;

		if (n[0] >= RAMPART_W_COUNT)
			return fail(err, RAMPART_E_NODE, at(t, RAMPART_SEC_NODES, i, 0));
		if (n[2] == 0 || n[2] > RAMPART_MAX_CUT_BITS || n[1] > 64 - n[2])
			return fail(err, RAMPART_E_NODE, at(t, RAMPART_SEC_NODES, i, 1));
		if (n[3] == 0 || n[3] > t->max_depth)
			return fail(err, RAMPART_E_NODE, at(t, RAMPART_SEC_NODES, i, 3));
		fan = 1u << n[2];
		if (base > t->count[RAMPART_SEC_REFS] || fan > t->count[RAMPART_SEC_REFS] - base)
			return fail(err, RAMPART_E_NODE, at(t, RAMPART_SEC_NODES, i, 4));
		for (j = 0; j < fan; j++) {
			uint32_t ref = rampart_rd32(t->sec[RAMPART_SEC_REFS] + 4 * (size_t)(base + j));
			uint32_t x = ref & ~RAMPART_REF_LEAF;

			if (ref & RAMPART_REF_LEAF) {
				if (x < llo || x - llo >= ln)
					return fail(err, RAMPART_E_REF,
						    at(t, RAMPART_SEC_REFS, base + j, 0));
			} else if (x < nlo || x - nlo >= nn ||
				   t->sec[RAMPART_SEC_NODES][8 * (size_t)x + 3] <= n[3]) {
				/* Strictly deeper children: no cycle, at most max_depth steps. */
				return fail(err, RAMPART_E_REF, at(t, RAMPART_SEC_REFS, base + j, 0));
			}
		}
	}
	/* Leaves tile their part of LEAFTERMS in order, so each entry is checked once. */
	expect_base = rampart_rd32(t->sec[RAMPART_SEC_LEAVES] + 8 * (size_t)llo);
	for (i = llo; i < llo + ln; i++) {
		const uint8_t *l = t->sec[RAMPART_SEC_LEAVES] + 8 * (size_t)i;
		uint32_t base = rampart_rd32(l), cnt = rampart_rd32(l + 4), prev = 0;

		if (base != expect_base)
			return fail(err, RAMPART_E_LEAF, at(t, RAMPART_SEC_LEAVES, i, 0));
		if (base > t->count[RAMPART_SEC_LEAFTERMS] ||
		    cnt > t->count[RAMPART_SEC_LEAFTERMS] - base || cnt > lim->max_leaf_size)
			return fail(err, RAMPART_E_LEAF, at(t, RAMPART_SEC_LEAVES, i, 4));
		for (j = 0; j < cnt; j++) {
			uint32_t term = rampart_rd32(t->sec[RAMPART_SEC_LEAFTERMS] + 4 * (size_t)(base + j));

			/* In the chain's terms and strictly increasing: first found is first match. */
			if (term < term_lo || term - term_lo >= term_n || (j > 0 && term <= prev))
				return fail(err, RAMPART_E_LEAF,
					    at(t, RAMPART_SEC_LEAFTERMS, base + j, 0));
			prev = term;
		}
		expect_base = base + cnt;
	}
	return 0;
}

static int verify_chains(struct rampart_table *t, const struct rampart_limits *lim,
			 struct rampart_verify_error *err)
{
	uint32_t c, i, next_node = 0, next_leaf = 0;
	int rc;

	t->chain_of_hook[0] = t->chain_of_hook[1] = t->chain_of_hook[2] = -1;
	if (t->count[RAMPART_SEC_CHAINS] > 3)
		return fail(err, RAMPART_E_CHAIN, 36 + 8 * RAMPART_SEC_CHAINS);
	for (c = 0; c < t->count[RAMPART_SEC_CHAINS]; c++) {
		const uint8_t *ch = t->sec[RAMPART_SEC_CHAINS] + 32 * (size_t)c;
		uint32_t rlo = rampart_rd32(ch + 4), rn = rampart_rd32(ch + 8);
		uint32_t tlo = rampart_rd32(ch + 12), tn = rampart_rd32(ch + 16);
		uint32_t trlo = rampart_rd32(ch + 20), trn = rampart_rd32(ch + 24);
		uint32_t prev_rule = rlo;

		if (ch[0] > RAMPART_HOOK_OUTPUT || t->chain_of_hook[ch[0]] >= 0)
			return fail(err, RAMPART_E_CHAIN, at(t, RAMPART_SEC_CHAINS, c, 0));
		if (ch[1] > RAMPART_REJECT)
			return fail(err, RAMPART_E_CHAIN, at(t, RAMPART_SEC_CHAINS, c, 1));
		if (rampart_rd16(ch + 2) != 0 || rampart_rd32(ch + 28) != 0)
			return fail(err, RAMPART_E_FLAGS, at(t, RAMPART_SEC_CHAINS, c, 2));
		if (rlo > t->count[RAMPART_SEC_RULES] || rn > t->count[RAMPART_SEC_RULES] - rlo)
			return fail(err, RAMPART_E_CHAIN, at(t, RAMPART_SEC_CHAINS, c, 4));
		if (tlo > t->count[RAMPART_SEC_TERMS] || tn > t->count[RAMPART_SEC_TERMS] - tlo)
			return fail(err, RAMPART_E_CHAIN, at(t, RAMPART_SEC_CHAINS, c, 12));
		if (trlo > t->count[RAMPART_SEC_TREES] || trn > t->count[RAMPART_SEC_TREES] - trlo)
			return fail(err, RAMPART_E_CHAIN, at(t, RAMPART_SEC_CHAINS, c, 20));
		t->chain_of_hook[ch[0]] = (int32_t)c;
		/* Terms in rule order: the lowest matching term index is the first matching rule. */
		for (i = tlo; i < tlo + tn; i++) {
			uint32_t r = rampart_rd32(t->sec[RAMPART_SEC_TERMS] + 32 * (size_t)i) &
				     RAMPART_TERM_RULE_MASK;

			if (r < prev_rule || r - rlo >= rn)
				return fail(err, RAMPART_E_TERM, at(t, RAMPART_SEC_TERMS, i, 0));
			prev_rule = r;
		}
		for (i = trlo; i < trlo + trn; i++) {
			const uint8_t *tr = t->sec[RAMPART_SEC_TREES] + 24 * (size_t)i;

			/* Trees own disjoint, increasing node and leaf ranges: linear verification. */
			if (rampart_rd32(tr + 4) < next_node || rampart_rd32(tr + 12) < next_leaf)
				return fail(err, RAMPART_E_TREE, at(t, RAMPART_SEC_TREES, i, 4));
			rc = verify_tree(t, i, tlo, tn, lim, err);
			if (rc)
				return rc;
			next_node = rampart_rd32(tr + 4) + rampart_rd32(tr + 8);
			next_leaf = rampart_rd32(tr + 12) + rampart_rd32(tr + 16);
		}
	}
	return 0;
}

int rampart_verify(const uint8_t *blob, size_t length, const struct rampart_limits *lim,
		   struct rampart_table *out, struct rampart_verify_error *err)
{
	struct rampart_limits def;
	int rc;

	err->code = 0;
	err->offset = 0;
	if (!lim) {
		rampart_default_limits(&def);
		lim = &def;
	}
	rc = verify_header(blob, length, lim, out, err);
	if (!rc)
		rc = verify_rules_sets(out, err);
	if (!rc)
		rc = verify_terms(out, err);
	if (!rc)
		rc = verify_chains(out, lim, err);
	if (rc)
		out->blob = (const uint8_t *)0;
	return rc;
}
