// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * Classification against a table that rampart_verify() accepted. No bounds checks here: verify
 * proved every index in range and every tree path at most max_depth nodes long.
 */
#include "rampart_core.h"

static int in128(const uint8_t *iv, uint64_t hi, uint64_t lo)
{
	uint64_t lh = rampart_rd64(iv), ll = rampart_rd64(iv + 8);
	uint64_t hh = rampart_rd64(iv + 16), hl = rampart_rd64(iv + 24);

	if (hi < lh || (hi == lh && lo < ll))
		return 0;
	return hi < hh || (hi == hh && lo <= hl);
}

/* Word index of the high part of each field's value; narrow fields have an implicit 0 high part. */
static const int8_t field_hi[RAMPART_F_COUNT] = {
	RAMPART_W_SRC_HI, RAMPART_W_DST_HI, -1, -1, -1, -1, -1, -1, -1, RAMPART_W_IIF_HI,
	RAMPART_W_OIF_HI,
};
static const uint8_t field_lo[RAMPART_F_COUNT] = {
	RAMPART_W_SRC_LO, RAMPART_W_DST_LO, RAMPART_W_PROTO, RAMPART_W_SPORT, RAMPART_W_DPORT,
	RAMPART_W_ICMP_TYPE, RAMPART_W_ICMP_CODE, RAMPART_W_TCP_FLAGS, RAMPART_W_STATE,
	RAMPART_W_IIF_LO, RAMPART_W_OIF_LO,
};

static int is_v4(uint64_t hi, uint64_t lo)
{
	return hi == 0 && (lo >> 32) == 0xffffu;
}

static int ext_match(const struct rampart_table *t, const uint8_t *e, const struct rampart_key *k,
		     rampart_set_lookup sets, void *ctx)
{
	uint32_t f = e[1];
	uint64_t hi = field_hi[f] >= 0 ? k->w[field_hi[f]] : 0, lo = k->w[field_lo[f]];

	if (e[0] == RAMPART_EXT_INTERVALS) {
		const uint8_t *iv = t->sec[RAMPART_SEC_INTERVALS] + 32 * (size_t)rampart_rd32(e + 4);
		uint32_t n = rampart_rd16(e + 2), i;

		for (i = 0; i < n; i++, iv += 32)
			if (in128(iv, hi, lo))
				return 1;
		return 0;
	} else {
		uint64_t addr[2] = {hi, lo};
		uint16_t arg = rampart_rd16(e + 2);
		int member = sets ? sets(ctx, arg & ~RAMPART_EXT_SET_NEGATED, addr) != 0 : 0;

		return member != ((arg & RAMPART_EXT_SET_NEGATED) != 0);
	}
}

/*
 * Inlined into both walkers: as a call, the register saves and restores around each candidate
 * term cost as much as the test itself (ClassBench ipc1 10k: 682 -> 488 instructions per lookup).
 */
#if defined(__GNUC__)
#define RAMPART_HOT_INLINE inline __attribute__((always_inline))
#else
#define RAMPART_HOT_INLINE inline
#endif

static RAMPART_HOT_INLINE int term_match(const struct rampart_table *t, uint32_t ti,
					 const struct rampart_key *k, unsigned v4,
					 rampart_set_lookup sets, void *ctx)
{
	const uint8_t *r = t->sec[RAMPART_SEC_TERMS] + 32 * (size_t)ti;
	uint32_t w0 = rampart_rd32(r), w1 = rampart_rd32(r + 4);
	uint32_t s32 = (uint32_t)k->w[RAMPART_W_SRC_LO], d32 = (uint32_t)k->w[RAMPART_W_DST_LO];
	uint32_t i, n;
	const uint8_t *e;

	if (!(w0 & RAMPART_TERM_PROTO_ANY) && k->w[RAMPART_W_PROTO] != (w1 >> 24))
		return 0;
	if (k->w[RAMPART_W_DPORT] < rampart_rd16(r + 28) || k->w[RAMPART_W_DPORT] > rampart_rd16(r + 30))
		return 0;
	if (k->w[RAMPART_W_SPORT] < rampart_rd16(r + 24) || k->w[RAMPART_W_SPORT] > rampart_rd16(r + 26))
		return 0;
	/* Inline bounds apply to the IPv4 low word, only for terms flagged as IPv4-only there. */
	if (((w0 >> RAMPART_TERM_V4_SHIFT) & 3u & ~v4) != 0)
		return 0;
	if (s32 < rampart_rd32(r + 8) || s32 > rampart_rd32(r + 12))
		return 0;
	if (d32 < rampart_rd32(r + 16) || d32 > rampart_rd32(r + 20))
		return 0;
	n = (w0 >> RAMPART_TERM_EXTS_SHIFT) & 15u;
	e = t->sec[RAMPART_SEC_EXTS] + 8 * (size_t)(w1 & RAMPART_TERM_EXT_MASK);
	for (i = 0; i < n; i++, e += 8)
		if (!ext_match(t, e, k, sets, ctx))
			return 0;
	return 1;
}

static unsigned key_v4(const struct rampart_key *k)
{
	return (is_v4(k->w[RAMPART_W_SRC_HI], k->w[RAMPART_W_SRC_LO]) ? RAMPART_TERM_SRC_V4 : 0) |
	       (is_v4(k->w[RAMPART_W_DST_HI], k->w[RAMPART_W_DST_LO]) ? RAMPART_TERM_DST_V4 : 0);
}

static void decide(const struct rampart_table *t, const uint8_t *chain, uint32_t best,
		   struct rampart_result *res)
{
	if (best == RAMPART_NO_RULE) {
		res->verdict = chain[1];
		res->rule_index = RAMPART_NO_RULE;
		res->rule_id = 0;
		res->rule_flags = 0;
		res->reject_kind = 0;
	} else {
		uint32_t ri = rampart_rd32(t->sec[RAMPART_SEC_TERMS] + 32 * (size_t)best) &
			      RAMPART_TERM_RULE_MASK;
		const uint8_t *r = t->sec[RAMPART_SEC_RULES] + 8 * (size_t)ri;

		res->verdict = r[4];
		res->rule_index = ri;
		res->rule_id = rampart_rd32(r);
		res->rule_flags = r[5];
		res->reject_kind = r[6];
	}
}

int rampart_classify(const struct rampart_table *t, uint32_t hook, const struct rampart_key *key,
		     rampart_set_lookup sets, void *sets_ctx, struct rampart_result *res)
{
	const uint8_t *chain, *nodes = t->sec[RAMPART_SEC_NODES], *refs = t->sec[RAMPART_SEC_REFS];
	const uint8_t *leaves = t->sec[RAMPART_SEC_LEAVES], *lt = t->sec[RAMPART_SEC_LEAFTERMS];
	uint32_t best = RAMPART_NO_RULE, tr, trlo, trn;
	unsigned v4;

	if (hook > RAMPART_HOOK_OUTPUT || t->chain_of_hook[hook] < 0)
		return -1;
	chain = t->sec[RAMPART_SEC_CHAINS] + 32 * (size_t)t->chain_of_hook[hook];
	trlo = rampart_rd32(chain + 20);
	trn = rampart_rd32(chain + 24);
	v4 = key_v4(key);
	for (tr = trlo; tr < trlo + trn; tr++) {
		uint32_t ref = rampart_rd32(t->sec[RAMPART_SEC_TREES] + 24 * (size_t)tr);
		const uint8_t *leaf;
		uint32_t i, n, base;

		/* At most max_depth iterations: verify proved children strictly deeper. */
		while (!(ref & RAMPART_REF_LEAF)) {
			const uint8_t *nd = nodes + 8 * (size_t)ref;
			uint64_t v = (key->w[nd[0]] >> nd[1]) & ((1u << nd[2]) - 1u);

			ref = rampart_rd32(refs + 4 * ((size_t)rampart_rd32(nd + 4) + (size_t)v));
		}
		leaf = leaves + 8 * (size_t)(ref & ~RAMPART_REF_LEAF);
		base = rampart_rd32(leaf);
		n = rampart_rd32(leaf + 4);
		for (i = 0; i < n; i++) {
			uint32_t term = rampart_rd32(lt + 4 * (size_t)(base + i));

			/* Leaves are sorted: nothing further here can beat what another tree found. */
			if (term >= best)
				break;
			if (term_match(t, term, key, v4, sets, sets_ctx)) {
				best = term;
				break;
			}
		}
	}
	decide(t, chain, best, res);
	return 0;
}

int rampart_classify_linear(const struct rampart_table *t, uint32_t hook,
			    const struct rampart_key *key, rampart_set_lookup sets,
			    void *sets_ctx, struct rampart_result *res)
{
	const uint8_t *chain;
	uint32_t best = RAMPART_NO_RULE, i, lo, n;
	unsigned v4;

	if (hook > RAMPART_HOOK_OUTPUT || t->chain_of_hook[hook] < 0)
		return -1;
	chain = t->sec[RAMPART_SEC_CHAINS] + 32 * (size_t)t->chain_of_hook[hook];
	lo = rampart_rd32(chain + 12);
	n = rampart_rd32(chain + 16);
	v4 = key_v4(key);
	for (i = lo; i < lo + n; i++) {
		if (term_match(t, i, key, v4, sets, sets_ctx)) {
			best = i;
			break;
		}
	}
	decide(t, chain, best, res);
	return 0;
}
