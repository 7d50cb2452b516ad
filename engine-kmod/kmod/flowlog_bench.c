// SPDX-License-Identifier: GPL-2.0
/*
 * Bench-only: what the flow log costs per logged packet, next to the classifier's lookup, timed
 * in the kernel. Built only by `make BENCH=1` (Kbuild defines RAMPART_BENCH and flowlog.c
 * includes this file, so it sees fl_record and the buffer internals); the shipped module has
 * none of it. engine-kmod/tests/vm/run flowbench drives it; docs/benchmarks.md has the figures.
 *
 *   echo REPS >/sys/kernel/rampart/flow_bench    (in a namespace whose table is loaded)
 *   cat /sys/kernel/rampart/flow_bench
 *
 * The datapath bench cannot resolve this cost (the sender, not the router, is its limit under
 * TCG), so the aggregation is called directly, the same function the hooks call, on a private
 * flow buffer of flow_max entries (the namespace's live flow log is not touched) with flow_max
 * distinct IPv4 UDP keys (forward hook, eth0 -> eth1) built beforehand. Each repetition runs:
 *
 *   classify  the namespace's active table, every key (rampart_ktable_classify, as the hook does)
 *   new       every key into an emptied buffer: hash, stripe lock, miss, take an entry, insert
 *   hit       the same keys again: every packet finds its flow in a buffer of flow_max flows
 *   hit1      one key flow_max times: the update with its entry hot in the cache
 *   full      the keys under another table generation into the full buffer: a miss, counted lost
 *
 * Each pass is timed in chunks of FB_CHUNK packets, each chunk one sample of ns/packet: on a
 * shared host a vCPU is now and then descheduled in the middle of a chunk, and the quartiles of
 * many short samples leave such chunks out where one long pass per repetition would carry them.
 * The report gives each case's median and quartiles over all chunks of all repetitions, and the
 * memory of the flow tables. Passes run in process context under rcu_read_lock, as the output
 * hook does; fl_record takes its stripe lock with spin_lock_bh as on every hook.
 */
#include <linux/ktime.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/sort.h>

#define FB_REPS_MAX 101
#define FB_CHUNK 1024

enum { FB_CLASSIFY, FB_NEW, FB_HIT, FB_HIT1, FB_FULL, FB_CASES };
static const char *const fb_names[FB_CASES] = { "classify", "new", "hit", "hit1", "full" };

static DEFINE_MUTEX(fb_lock);
static char fb_out[PAGE_SIZE];

static void fb_ifname(const char *name, u64 *hi, u64 *lo)
{
	u8 b[16] = { 0 };

	memcpy(b, name, strnlen(name, 15));
	*hi = get_unaligned_be64(b);
	*lo = get_unaligned_be64(b + 8);
}

static int fb_cmp(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* One timed chunk of case c over keys[from..to); returns its ns per packet in tenths. */
static u64 fb_chunk(int c, struct rampart_flowlog *fl, const struct rampart_ktable *kt,
		    const struct rampart_key *keys, u32 from, u32 to,
		    const struct rampart_result *logged)
{
	struct rampart_result res;
	u64 t0, t1;
	u32 i;

	rcu_read_lock();
	t0 = ktime_get_ns();
	switch (c) {
	case FB_CLASSIFY:
		for (i = from; i < to; i++)
			rampart_ktable_classify(kt, RAMPART_HOOK_FORWARD, &keys[i], &res);
		break;
	case FB_NEW:
	case FB_HIT:
		for (i = from; i < to; i++)
			fl_record(fl, kt->generation, RAMPART_HOOK_FORWARD, NFPROTO_IPV4, &keys[i],
				  logged, 100);
		break;
	case FB_HIT1:
		for (i = from; i < to; i++)
			fl_record(fl, kt->generation, RAMPART_HOOK_FORWARD, NFPROTO_IPV4, &keys[0],
				  logged, 100);
		break;
	case FB_FULL:
		for (i = from; i < to; i++)
			fl_record(fl, kt->generation + 1, RAMPART_HOOK_FORWARD, NFPROTO_IPV4,
				  &keys[i], logged, 100);
		break;
	}
	t1 = ktime_get_ns();
	rcu_read_unlock();
	return div_u64((t1 - t0) * 10, to - from);
}

static u64 fb_at(const u64 *sorted, u32 n, u32 num, u32 den)
{
	return sorted[(u64)(n - 1) * num / den];
}

static int fb_run(const struct rampart_ktable *kt, u32 reps)
{
	const struct rampart_result logged = { .verdict = RAMPART_ACCEPT, .rule_index = 0,
					       .rule_id = 0xbe4c, .rule_flags = RAMPART_RULE_LOG };
	u32 cap = READ_ONCE(flow_max), r, i, j, nchunks = DIV_ROUND_UP(cap, FB_CHUNK), nsamples;
	struct rampart_flowlog *fl;
	struct rampart_key *keys;
	struct fl_buf *b;
	u64 *ns;
	size_t buf_bytes, len = 0;
	u64 lost = 0;
	unsigned int cpu;
	int c, ret = 0;

	nsamples = reps * nchunks;
	ns = rampart_alloc(sizeof(*ns) * FB_CASES * nsamples);
	keys = rampart_alloc(sizeof(*keys) * cap);
	fl = rampart_alloc(sizeof(*fl));
	b = buf_alloc(cap);
	if (!ns || !keys || !fl || !b) {
		ret = -ENOMEM;
		goto out;
	}
	/* Never on the export list; a "full" kick runs export_work, which sees dead and returns. */
	fl->dead = true;
	INIT_DELAYED_WORK(&fl->work, export_work);
	RCU_INIT_POINTER(fl->active, b);
	for (i = 0; i < cap; i++) {
		struct rampart_key *k = &keys[i];

		k->w[RAMPART_W_SRC_LO] = 0xffff00000000ull | (10u << 24 | i);
		k->w[RAMPART_W_DST_LO] = 0xffff00000000ull | (198u << 24 | 51u << 16 | 100u << 8 | 7);
		k->w[RAMPART_W_PROTO] = IPPROTO_UDP;
		k->w[RAMPART_W_SPORT] = 1024 + (i & 0x7fff);
		k->w[RAMPART_W_DPORT] = 53;
		fb_ifname("eth0", &k->w[RAMPART_W_IIF_HI], &k->w[RAMPART_W_IIF_LO]);
		fb_ifname("eth1", &k->w[RAMPART_W_OIF_HI], &k->w[RAMPART_W_OIF_LO]);
	}
	for (r = 0; r < reps; r++) {
		buf_reset(b, cap);
		for (c = 0; c < FB_CASES; c++) {
			for (j = 0; j < nchunks; j++)
				ns[c * nsamples + r * nchunks + j] =
					fb_chunk(c, fl, kt, keys, j * FB_CHUNK,
						 min_t(u32, cap, (j + 1) * FB_CHUNK), &logged);
			cond_resched();
		}
		/* The passes did what they claim, or the figures mean nothing. */
		if (atomic_read(&b->used) != cap) {
			ret = -EIO;
			goto out;
		}
		lost = 0;
		for_each_possible_cpu(cpu)
			lost += b->lost[cpu * FL_LOST_STRIDE + RAMPART_FLOW_LOST_TABLE_FULL];
		if (lost != cap || b->entries[0].packets != 2 + (u64)cap) {
			ret = -EIO;
			goto out;
		}
	}
	buf_bytes = sizeof(*b) + sizeof(*b->heads) * b->nbuckets + sizeof(*b->entries) * cap +
		    sizeof(u64) * FL_LOST_STRIDE * nr_cpu_ids;
	len += scnprintf(fb_out + len, sizeof(fb_out) - len,
			 "flow_max %u reps %u chunk %u rules %u cpus %u\n"
			 "memory entry %zu B (key %zu B) bucket head %zu B buckets %u buffer %zu B "
			 "per namespace (2 buffers) %zu B\n",
			 cap, reps, FB_CHUNK, kt->t.count[RAMPART_SEC_RULES], num_online_cpus(),
			 sizeof(struct fl_entry), sizeof(struct fl_key), sizeof(*b->heads), b->nbuckets,
			 buf_bytes, 2 * buf_bytes);
	for (c = 0; c < FB_CASES; c++) {
		u64 *v = ns + c * nsamples, q1, med, q3;

		sort(v, nsamples, sizeof(u64), fb_cmp, NULL);
		q1 = fb_at(v, nsamples, 1, 4);
		med = fb_at(v, nsamples, 1, 2);
		q3 = fb_at(v, nsamples, 3, 4);
		len += scnprintf(fb_out + len, sizeof(fb_out) - len,
				 "case %-8s median %llu.%llu quartiles %llu.%llu %llu.%llu ns/packet (%u chunks)\n",
				 fb_names[c], med / 10, med % 10, q1 / 10, q1 % 10, q3 / 10, q3 % 10,
				 nsamples);
	}
out:
	if (fl) {
		cancel_delayed_work_sync(&fl->work);
		rampart_free(fl, sizeof(*fl));
	}
	buf_free(b);
	rampart_free(keys, sizeof(*keys) * cap);
	rampart_free(ns, sizeof(*ns) * FB_CASES * nsamples);
	return ret;
}

static ssize_t flow_bench_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	ssize_t n;

	mutex_lock(&fb_lock);
	n = sysfs_emit(buf, "%s", fb_out);
	mutex_unlock(&fb_lock);
	return n;
}

static ssize_t flow_bench_store(struct kobject *k, struct kobj_attribute *a, const char *buf,
				size_t count)
{
	struct rampart_net *rn = rampart_pernet(current->nsproxy->net_ns);
	const struct rampart_ktable *kt;
	u32 reps;
	int ret;

	if (kstrtou32(buf, 0, &reps) || reps < 1 || reps > FB_REPS_MAX)
		return -EINVAL;
	mutex_lock(&fb_lock);
	fb_out[0] = 0;
	/* rn->lock keeps the table from being swapped and freed under the passes. */
	mutex_lock(&rn->lock);
	kt = rcu_dereference_protected(rn->active, lockdep_is_held(&rn->lock));
	ret = kt ? fb_run(kt, reps) : -ENOENT;
	mutex_unlock(&rn->lock);
	mutex_unlock(&fb_lock);
	return ret ? ret : count;
}
