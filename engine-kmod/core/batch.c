// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * Entry points for bindings of librampart-core.so (the Java one uses JNA): a caller that cannot
 * lay out struct rampart_table itself asks for its size, and classifies keys in batches so that the
 * cost of crossing into C is paid once per batch, not per packet. Dynamic sets are a caller-supplied
 * snapshot searched in place. Userspace only (the kernel has its own set implementation), yet still
 * libc-free like the rest of the core.
 */
#include "rampart_core.h"

size_t rampart_table_size(void)
{
	return sizeof(struct rampart_table);
}

/* Set elements as {set index, address high, address low} triples, sorted by those three words. */
struct elems {
	const uint64_t *e;
	uint32_t n;
};

static int before(const uint64_t *e, uint64_t set, const uint64_t a[2])
{
	if (e[0] != set)
		return e[0] < set;
	if (e[1] != a[0])
		return e[1] < a[0];
	return e[2] < a[1];
}

static int elems_lookup(void *ctx, uint32_t set, const uint64_t addr[2])
{
	const struct elems *s = ctx;
	uint32_t lo = 0, hi = s->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (before(s->e + 3 * (size_t)mid, set, addr))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && s->e[3 * (size_t)lo] == set && s->e[3 * (size_t)lo + 1] == addr[0] &&
	       s->e[3 * (size_t)lo + 2] == addr[1];
}

/*
 * keys: n records of 16 u64, {hook, the RAMPART_W_COUNT key words}; out: n records of 4 u32,
 * {verdict, rule index, rule id, rule flags | reject kind << 8}, verdict RAMPART_NO_RULE when the
 * table has no chain for the key's hook. elems may be NULL when nelems is 0.
 */
void rampart_classify_batch(const struct rampart_table *t, const uint64_t *keys, uint32_t n,
			    const uint64_t *elems, uint32_t nelems, uint32_t *out)
{
	struct elems s = {elems, nelems};
	uint32_t i;

	for (i = 0; i < n; i++, keys += 16, out += 4) {
		struct rampart_result r;
		uint64_t hook = keys[0];

		if (hook > RAMPART_HOOK_OUTPUT ||
		    rampart_classify(t, (uint32_t)hook, (const struct rampart_key *)(keys + 1),
				     nelems ? elems_lookup : (rampart_set_lookup)0, &s, &r) != 0) {
			out[0] = RAMPART_NO_RULE;
			out[1] = out[2] = out[3] = 0;
			continue;
		}
		out[0] = r.verdict;
		out[1] = r.rule_index;
		out[2] = r.rule_id;
		out[3] = r.rule_flags | r.reject_kind << 8;
	}
}
