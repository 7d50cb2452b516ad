// SPDX-License-Identifier: GPL-2.0
/*
 * The flow log: packets decided by a rule marked `log` (and, with flow_log_drops, every packet
 * the table drops or rejects) are summed per flow, and the sums are multicast to the "flows"
 * group of the netlink family every flow_interval seconds, when the table fills, on FLOW_FLUSH
 * and at unload (include/uapi/linux/rampart.h, "Flow log", has the message format).
 *
 * Theory of operation. Each namespace that ever loaded a table has two flow buffers of
 * flow_max entries, allocated in process context before that first table went live: the active
 * one, which the hooks write, and a spare. The packet path never allocates: a new flow takes the
 * next free entry of the active buffer's preallocated array (one atomic_inc_return), and when
 * there is none the packet is counted as lost ("table full", per-CPU) and an export is kicked.
 * An export (a delayed work, or the FLOW_FLUSH handler; both process context, serialised by
 * export_lock) publishes the spare as the active buffer with one RCU pointer store, waits a
 * grace period (the hooks run under rcu_read_lock, so afterwards nobody writes the old buffer),
 * sends the old buffer's records and loss counters at leisure, clears it, and keeps it as the
 * next spare. Each packet thus lands in exactly one export; none is counted twice. A changed
 * flow_max takes effect at the next export, when the spare is reallocated to the new size.
 *
 * Why a lock-striped shared table rather than per-CPU tables merged at export: flow_max is then
 * exactly the number of flows a namespace keeps per interval, so "table full" losses are exact
 * and do not depend on which CPU a flow's packets happened to arrive on, and an export walks
 * flow_max entries instead of nr_cpus * flow_max. The price is a spinlock per packet, striped
 * over FL_LOCKS locks by bucket, so two CPUs only contend when their flows share a stripe; no
 * lock is global on the packet path. The pool index is the only shared write, and only for a
 * packet that starts a new flow.
 *
 * Example: flow_max 3, five new UDP flows of 2 packets each, flow_export_on_full 0: three flows
 * are recorded with 2 packets each, the other 4 packets count as lost (table full), and the
 * next export carries 3 records and FLOW_LOST[TABLE_FULL] = 4.
 */
#include <linux/bitops.h>
#include <linux/jhash.h>
#include <linux/kobject.h>
#include <linux/log2.h>
#include <linux/random.h>
#include <linux/timekeeping.h>
#include <asm/unaligned.h>
#include <net/genetlink.h>

#include "flowlog.h"

#define FL_LOCKS 256                /* lock stripes per buffer, a power of two */
#define FL_LOST_STRIDE 8            /* u64 per CPU in the loss counters: one cache line */
#define FL_PER_MSG 100              /* records per netlink message (12.8 KB) */
#define FL_MAX_LIMIT (1u << 20)
#define FL_KICKED 0                 /* buffer flag: an export was asked for because it is full */

/* Everything that makes two packets the same flow; memcmp-compared, so no holes. */
struct fl_key {
	u64 src[2], dst[2], iif[2], oif[2];
	u64 generation;
	u32 rule_id, rule_index;
	u16 sport, dport;
	u8 family, proto, hook, verdict, icmp_type, icmp_code;
	u8 pad[6];
};

struct fl_entry {
	struct fl_key key;
	u64 packets, bytes, first_ns, last_ns;
	u32 next;                   /* entry index + 1 of the next in the bucket, 0 ends */
	u32 hash;
	u8 tcp_flags;
};

struct fl_buf {
	u32 cap, nbuckets;
	atomic_t used;              /* entries handed out; may pass cap, which means full */
	unsigned long flags;
	u32 *heads;                 /* per bucket: entry index + 1, 0 empty */
	struct fl_entry *entries;
	u64 *lost;                  /* nr_cpu_ids * FL_LOST_STRIDE */
	spinlock_t locks[FL_LOCKS];
};

struct rampart_flowlog {
	struct list_head list;      /* flowlogs, under export_lock */
	struct net *net;
	struct fl_buf __rcu *active;
	struct fl_buf *spare;       /* under export_lock */
	struct delayed_work work;
	u64 export_seq;             /* under export_lock, like everything below */
	u64 pending[RAMPART_FLOW_LOST_MAX]; /* lost and not yet reported in a delivered END */
	bool dead;
};

bool rampart_flow_log_drops __read_mostly;
static u32 flow_max __read_mostly = 16384;
static u32 flow_interval __read_mostly = 10;
static bool flow_export_on_full __read_mostly = true;
static u32 fl_seed __read_mostly;     /* hash seed, set with the first flow log */

/* Serialises exports, flowlog creation and teardown; process context only. */
static DEFINE_MUTEX(export_lock);
static LIST_HEAD(flowlogs);
static bool stopped;

/* Module-wide totals for /sys/kernel/rampart/flow_stats; under export_lock. */
static u64 stat_exports, stat_records, stat_lost[RAMPART_FLOW_LOST_MAX];

static void buf_free(struct fl_buf *b)
{
	if (!b)
		return;
	rampart_free(b->heads, sizeof(*b->heads) * b->nbuckets);
	rampart_free(b->entries, sizeof(*b->entries) * b->cap);
	rampart_free(b->lost, sizeof(u64) * FL_LOST_STRIDE * nr_cpu_ids);
	rampart_free(b, sizeof(*b));
}

static struct fl_buf *buf_alloc(u32 cap)
{
	struct fl_buf *b = rampart_alloc(sizeof(*b));
	int i;

	if (!b)
		return NULL;
	b->cap = cap;
	b->nbuckets = roundup_pow_of_two(cap);
	for (i = 0; i < FL_LOCKS; i++)
		spin_lock_init(&b->locks[i]);
	b->heads = rampart_alloc(sizeof(*b->heads) * b->nbuckets);
	b->entries = rampart_alloc(sizeof(*b->entries) * cap);
	b->lost = rampart_alloc(sizeof(u64) * FL_LOST_STRIDE * nr_cpu_ids);
	if (!b->heads || !b->entries || !b->lost) {
		buf_free(b);
		return NULL;
	}
	return b;
}

/* Only once no hook can see b any more. */
static void buf_reset(struct fl_buf *b, u32 used)
{
	memset(b->heads, 0, sizeof(*b->heads) * b->nbuckets);
	memset(b->entries, 0, sizeof(*b->entries) * used);
	memset(b->lost, 0, sizeof(u64) * FL_LOST_STRIDE * nr_cpu_ids);
	atomic_set(&b->used, 0);
	b->flags = 0;
}

/* The aggregation itself; also what the bench-only build (flowlog_bench.c) times. */
static void fl_record(struct rampart_flowlog *fl, u64 generation, u32 hook, u8 pf,
		      const struct rampart_key *key, const struct rampart_result *res,
		      unsigned int len)
{
	struct fl_entry *e;
	struct fl_buf *b;
	struct fl_key k;
	spinlock_t *lock;
	u32 h, bucket, i;
	u64 now;

	b = rcu_dereference(fl->active);
	memset(&k, 0, sizeof(k));
	k.src[0] = key->w[RAMPART_W_SRC_HI];
	k.src[1] = key->w[RAMPART_W_SRC_LO];
	k.dst[0] = key->w[RAMPART_W_DST_HI];
	k.dst[1] = key->w[RAMPART_W_DST_LO];
	k.iif[0] = key->w[RAMPART_W_IIF_HI];
	k.iif[1] = key->w[RAMPART_W_IIF_LO];
	k.oif[0] = key->w[RAMPART_W_OIF_HI];
	k.oif[1] = key->w[RAMPART_W_OIF_LO];
	k.generation = generation;
	k.rule_id = res->rule_id;
	k.rule_index = res->rule_index;
	k.sport = key->w[RAMPART_W_SPORT];
	k.dport = key->w[RAMPART_W_DPORT];
	k.family = pf == NFPROTO_IPV4 ? 4 : 6;
	k.proto = key->w[RAMPART_W_PROTO];
	k.hook = hook;
	k.verdict = res->verdict;
	k.icmp_type = key->w[RAMPART_W_ICMP_TYPE];
	k.icmp_code = key->w[RAMPART_W_ICMP_CODE];
	h = jhash2((const u32 *)&k, sizeof(k) / 4, fl_seed);
	bucket = h & (b->nbuckets - 1);
	lock = &b->locks[bucket & (FL_LOCKS - 1)];
	now = ktime_get_coarse_real_ns();

	/* _bh: the output hook runs in process context, the others in softirq. */
	spin_lock_bh(lock);
	for (i = b->heads[bucket]; i; i = e->next) {
		e = &b->entries[i - 1];
		if (e->hash == h && !memcmp(&e->key, &k, sizeof(k)))
			goto hit;
	}
	if (atomic_read(&b->used) >= b->cap ||
	    (i = atomic_inc_return(&b->used)) > b->cap) {
		b->lost[smp_processor_id() * FL_LOST_STRIDE + RAMPART_FLOW_LOST_TABLE_FULL]++;
		spin_unlock_bh(lock);
		/* Any context may queue work; the bit makes it once per buffer, not per packet. */
		if (READ_ONCE(flow_export_on_full) && !test_and_set_bit(FL_KICKED, &b->flags))
			mod_delayed_work(system_wq, &fl->work, 0);
		return;
	}
	e = &b->entries[i - 1];
	e->key = k;
	e->hash = h;
	e->first_ns = now;
	e->next = b->heads[bucket];
	b->heads[bucket] = i;
hit:
	e->packets++;
	e->bytes += len;
	e->last_ns = now;
	if (k.proto == IPPROTO_TCP)
		e->tcp_flags |= key->w[RAMPART_W_TCP_FLAGS];
	spin_unlock_bh(lock);
}

void rampart_flowlog_record(struct rampart_net *rn, const struct rampart_ktable *kt, u32 hook,
			    u8 pf, const struct rampart_key *key, const struct rampart_result *res,
			    unsigned int len)
{
	struct rampart_flowlog *fl = smp_load_acquire(&rn->flowlog);

	/* A table is live only after rampart_flowlog_ensure succeeded; defensive nonetheless. */
	if (unlikely(!fl))
		return;
	fl_record(fl, kt->generation, hook, pf, key, res, len);
}

static void words_to_bytes(const u64 w[2], void *out)
{
	put_unaligned_be64(w[0], out);
	put_unaligned_be64(w[1], (u8 *)out + 8);
}

static void fill_record(struct rampart_flow_record *r, const struct fl_entry *e)
{
	const struct fl_key *k = &e->key;

	memset(r, 0, sizeof(*r));
	words_to_bytes(k->src, r->src);
	words_to_bytes(k->dst, r->dst);
	words_to_bytes(k->iif, r->iif);
	words_to_bytes(k->oif, r->oif);
	r->generation = k->generation;
	r->packets = e->packets;
	r->bytes = e->bytes;
	r->first_ms = div_u64(e->first_ns, NSEC_PER_MSEC);
	r->last_ms = div_u64(e->last_ns, NSEC_PER_MSEC);
	r->rule_id = k->rule_id;
	r->rule_index = k->rule_index;
	r->sport = k->sport;
	r->dport = k->dport;
	r->family = k->family;
	r->proto = k->proto;
	r->hook = k->hook;
	r->verdict = k->verdict;
	r->tcp_flags = e->tcp_flags;
	r->icmp_type = k->icmp_type;
	r->icmp_code = k->icmp_code;
}

static void count_lost(struct rampart_flowlog *fl, int reason, u64 n)
{
	fl->pending[reason] += n;
	stat_lost[reason] += n;
}

/* Records of b[from, from + n) in one message; what could not be delivered counts as lost. */
static void send_records(struct rampart_flowlog *fl, struct fl_buf *b, u32 from, u32 n, u64 seq)
{
	struct sk_buff *msg;
	struct nlattr *a;
	void *hdr;
	u32 i;
	int ret;

	msg = rampart_flow_msg_new(nla_total_size_64bit(8) +
				   nla_total_size(n * sizeof(struct rampart_flow_record)), &hdr);
	if (!msg) {
		count_lost(fl, RAMPART_FLOW_LOST_SEND_FAILED, n);
		return;
	}
	if (nla_put_u64_64bit(msg, RAMPART_A_FLOW_EXPORT, seq, RAMPART_A_PAD) ||
	    !(a = nla_reserve(msg, RAMPART_A_FLOW_RECORDS, n * sizeof(struct rampart_flow_record)))) {
		nlmsg_free(msg);
		count_lost(fl, RAMPART_FLOW_LOST_SEND_FAILED, n);
		return;
	}
	for (i = 0; i < n; i++)
		fill_record((struct rampart_flow_record *)nla_data(a) + i, &b->entries[from + i]);
	ret = rampart_flow_msg_send(fl->net, msg, hdr);
	if (ret == -ESRCH)
		count_lost(fl, RAMPART_FLOW_LOST_NO_LISTENER, n);
	else if (ret)
		count_lost(fl, RAMPART_FLOW_LOST_SEND_FAILED, n);
	else
		stat_records += n;
}

/* The END message; the pending losses are cleared only once it was delivered. */
static void send_end(struct rampart_flowlog *fl, u64 seq, u32 records, u32 reason)
{
	struct sk_buff *msg;
	void *hdr;

	msg = rampart_flow_msg_new(nla_total_size_64bit(8) + 2 * nla_total_size(4) +
				   nla_total_size(sizeof(fl->pending)), &hdr);
	if (!msg)
		return;
	if (nla_put_u64_64bit(msg, RAMPART_A_FLOW_EXPORT, seq, RAMPART_A_PAD) ||
	    nla_put_u32(msg, RAMPART_A_FLOW_END, records) ||
	    nla_put_u32(msg, RAMPART_A_FLOW_REASON, reason) ||
	    nla_put(msg, RAMPART_A_FLOW_LOST, sizeof(fl->pending), fl->pending)) {
		nlmsg_free(msg);
		return;
	}
	if (!rampart_flow_msg_send(fl->net, msg, hdr))
		memset(fl->pending, 0, sizeof(fl->pending));
}

/* No flow and no loss in b (a packet racing with this is simply in the next export). */
static bool buf_idle(const struct rampart_flowlog *fl, const struct fl_buf *b)
{
	unsigned int cpu;
	int i;

	if (atomic_read(&b->used))
		return false;
	for_each_possible_cpu(cpu)
		if (READ_ONCE(b->lost[cpu * FL_LOST_STRIDE + RAMPART_FLOW_LOST_TABLE_FULL]))
			return false;
	/* Old losses wait for a subscriber; without one, repeating them achieves nothing. */
	if (!rampart_flow_listeners(fl->net))
		return true;
	for (i = 0; i < RAMPART_FLOW_LOST_MAX; i++)
		if (fl->pending[i])
			return false;
	return true;
}

/*
 * Swap buffers, then send what the old one holds. Returns the export's number (0 when there
 * was nothing to send) and its record count.
 */
static int fl_export(struct rampart_flowlog *fl, u32 reason, u64 *seq_out, u32 *records_out)
{
	u32 cap = READ_ONCE(flow_max), used, i;
	struct fl_buf *old, *fresh;
	unsigned int cpu;
	u64 seq, lost = 0;
	bool something;

	lockdep_assert_held(&export_lock);
	old = rcu_dereference_protected(fl->active, lockdep_is_held(&export_lock));
	if (reason == RAMPART_FLOW_REASON_INTERVAL && buf_idle(fl, old)) {
		/* Nothing to say: no swap, no grace period, for namespaces that log nothing. */
		if (seq_out)
			*seq_out = 0;
		if (records_out)
			*records_out = 0;
		return 0;
	}
	if (!fl->spare || fl->spare->cap != cap) {
		fresh = buf_alloc(cap);
		if (fresh) {
			buf_free(fl->spare);
			fl->spare = fresh;
		}
	}
	if (!fl->spare)
		return -ENOMEM;         /* the active buffer keeps collecting; next time */
	rcu_assign_pointer(fl->active, fl->spare);
	fl->spare = NULL;
	synchronize_rcu();

	used = min_t(u32, atomic_read(&old->used), old->cap);
	for_each_possible_cpu(cpu)
		lost += old->lost[cpu * FL_LOST_STRIDE + RAMPART_FLOW_LOST_TABLE_FULL];
	count_lost(fl, RAMPART_FLOW_LOST_TABLE_FULL, lost);
	something = used;
	for (i = 0; i < RAMPART_FLOW_LOST_MAX; i++)
		something |= fl->pending[i] != 0;
	seq = 0;
	if (something || reason == RAMPART_FLOW_REASON_FLUSH) {
		seq = ++fl->export_seq;
		stat_exports++;
		if (!rampart_flow_listeners(fl->net)) {
			/* Nobody to tell now: the next export that finds a subscriber reports it. */
			count_lost(fl, RAMPART_FLOW_LOST_NO_LISTENER, used);
		} else {
			for (i = 0; i < used; i += FL_PER_MSG)
				send_records(fl, old, i, min_t(u32, FL_PER_MSG, used - i), seq);
			send_end(fl, seq, used, reason);
		}
	}
	buf_reset(old, used);
	fl->spare = old;
	if (seq_out)
		*seq_out = seq;
	if (records_out)
		*records_out = used;
	return 0;
}

static void export_work(struct work_struct *w)
{
	struct rampart_flowlog *fl = container_of(to_delayed_work(w), struct rampart_flowlog, work);
	const struct fl_buf *b;
	u32 reason;

	mutex_lock(&export_lock);
	if (fl->dead || stopped) {
		mutex_unlock(&export_lock);
		return;
	}
	b = rcu_dereference_protected(fl->active, lockdep_is_held(&export_lock));
	reason = test_bit(FL_KICKED, &b->flags) ? RAMPART_FLOW_REASON_FULL
						: RAMPART_FLOW_REASON_INTERVAL;
	fl_export(fl, reason, NULL, NULL);
	/*
	 * Not mod_delayed_work: a "full" kick that queued an immediate run meanwhile must keep
	 * its place rather than be pushed back by a whole interval.
	 */
	queue_delayed_work(system_wq, &fl->work, READ_ONCE(flow_interval) * HZ);
	mutex_unlock(&export_lock);
}

int rampart_flowlog_ensure(struct rampart_net *rn, struct netlink_ext_ack *extack)
{
	struct rampart_flowlog *fl;
	u32 cap;
	int ret = 0;

	if (smp_load_acquire(&rn->flowlog))
		return 0;
	mutex_lock(&export_lock);
	if (rn->flowlog)
		goto out;
	BUILD_BUG_ON(sizeof(struct rampart_flow_record) != 128);
	BUILD_BUG_ON(sizeof(struct fl_key) != 96);
	/* Published to the hooks by the release store below, like the rest. */
	if (!fl_seed)
		fl_seed = get_random_u32() | 1;
	cap = READ_ONCE(flow_max);
	fl = rampart_alloc(sizeof(*fl));
	if (!fl)
		goto nomem;
	fl->spare = buf_alloc(cap);
	RCU_INIT_POINTER(fl->active, buf_alloc(cap));
	if (!fl->spare || !rcu_access_pointer(fl->active)) {
		buf_free(fl->spare);
		buf_free(rcu_dereference_protected(fl->active, 1));
		rampart_free(fl, sizeof(*fl));
		goto nomem;
	}
	fl->net = rn->net;
	INIT_DELAYED_WORK(&fl->work, export_work);
	list_add(&fl->list, &flowlogs);
	/* The hooks may read rn->flowlog as soon as a table is live: publish it whole. */
	smp_store_release(&rn->flowlog, fl);
	if (!stopped)
		queue_delayed_work(system_wq, &fl->work, READ_ONCE(flow_interval) * HZ);
	goto out;
nomem:
	NL_SET_ERR_MSG_MOD(extack, "no memory for the flow log tables (see /sys/kernel/rampart/flow_max)");
	ret = -ENOMEM;
out:
	mutex_unlock(&export_lock);
	return ret;
}

int rampart_flowlog_flush(struct rampart_net *rn, u64 *export_seq, u32 *records,
			  struct netlink_ext_ack *extack)
{
	struct rampart_flowlog *fl = smp_load_acquire(&rn->flowlog);
	int ret;

	if (!fl) {
		NL_SET_ERR_MSG_MOD(extack, "no table was ever loaded in this namespace: no flow log");
		return -ENOENT;
	}
	mutex_lock(&export_lock);
	if (stopped) {
		NL_SET_ERR_MSG_MOD(extack, "the module is unloading");
		ret = -ESHUTDOWN;
	} else {
		ret = fl_export(fl, RAMPART_FLOW_REASON_FLUSH, export_seq, records);
		if (ret)
			NL_SET_ERR_MSG_MOD(extack, "no memory for a fresh flow table; records kept for the next export");
	}
	mutex_unlock(&export_lock);
	return ret;
}

void rampart_flowlog_net_exit(struct rampart_net *rn)
{
	struct rampart_flowlog *fl = rn->flowlog;

	if (!fl)
		return;
	mutex_lock(&export_lock);
	fl->dead = true;
	list_del(&fl->list);
	mutex_unlock(&export_lock);
	/* The work sees dead and neither exports nor requeues; this waits for a running one. */
	cancel_delayed_work_sync(&fl->work);
	/* The hooks of this namespace were unregistered (with a grace period) before this. */
	buf_free(rcu_dereference_protected(fl->active, 1));
	buf_free(fl->spare);
	rn->flowlog = NULL;
	rampart_free(fl, sizeof(*fl));
}

void rampart_flowlog_stop(void)
{
	struct rampart_flowlog *fl;

	mutex_lock(&export_lock);
	list_for_each_entry(fl, &flowlogs, list)
		fl_export(fl, RAMPART_FLOW_REASON_UNLOAD, NULL, NULL);
	stopped = true;
	mutex_unlock(&export_lock);
}

#ifdef RAMPART_BENCH
/* make BENCH=1 only: /sys/kernel/rampart/flow_bench, a timing loop over fl_record. */
#include "flowlog_bench.c"
#endif

/* ---- /sys/kernel/rampart/flow_* ----------------------------------------------------------- */

static ssize_t u32_store(u32 *var, const char *name, u32 min, u32 max, const char *buf,
			 size_t count)
{
	u32 v;

	if (kstrtou32(buf, 0, &v) || v < min || v > max)
		return -EINVAL;
	WRITE_ONCE(*var, v);
	pr_info("rampart: %s set to %u\n", name, v);
	return count;
}

static ssize_t flow_max_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(flow_max));
}

static ssize_t flow_max_store(struct kobject *k, struct kobj_attribute *a, const char *buf,
			      size_t count)
{
	return u32_store(&flow_max, "flow_max", 1, FL_MAX_LIMIT, buf, count);
}

static ssize_t flow_interval_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(flow_interval));
}

static ssize_t flow_interval_store(struct kobject *k, struct kobj_attribute *a, const char *buf,
				   size_t count)
{
	struct rampart_flowlog *fl;
	ssize_t ret = u32_store(&flow_interval, "flow_interval", 1, 3600, buf, count);

	if (ret < 0)
		return ret;
	/* The new period starts now rather than after the old one ran out. */
	mutex_lock(&export_lock);
	list_for_each_entry(fl, &flowlogs, list) {
		const struct fl_buf *b = rcu_dereference_protected(fl->active,
								   lockdep_is_held(&export_lock));

		if (!stopped && !test_bit(FL_KICKED, &b->flags))
			mod_delayed_work(system_wq, &fl->work, READ_ONCE(flow_interval) * HZ);
	}
	mutex_unlock(&export_lock);
	return ret;
}

static ssize_t bool_show(bool *var, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(*var));
}

static ssize_t bool_store(bool *var, const char *name, const char *buf, size_t count)
{
	bool v;

	if (kstrtobool(buf, &v))
		return -EINVAL;
	WRITE_ONCE(*var, v);
	pr_info("rampart: %s set to %d\n", name, v);
	return count;
}

static ssize_t flow_log_drops_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return bool_show(&rampart_flow_log_drops, buf);
}

static ssize_t flow_log_drops_store(struct kobject *k, struct kobj_attribute *a, const char *buf,
				    size_t count)
{
	return bool_store(&rampart_flow_log_drops, "flow_log_drops", buf, count);
}

static ssize_t flow_export_on_full_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return bool_show(&flow_export_on_full, buf);
}

static ssize_t flow_export_on_full_store(struct kobject *k, struct kobj_attribute *a,
					 const char *buf, size_t count)
{
	return bool_store(&flow_export_on_full, "flow_export_on_full", buf, count);
}

static ssize_t flow_stats_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	ssize_t n;

	mutex_lock(&export_lock);
	n = sysfs_emit(buf, "exports %llu\nrecords %llu\nlost_table_full %llu\n"
		       "lost_no_listener %llu\nlost_send_failed %llu\n", stat_exports, stat_records,
		       stat_lost[RAMPART_FLOW_LOST_TABLE_FULL],
		       stat_lost[RAMPART_FLOW_LOST_NO_LISTENER],
		       stat_lost[RAMPART_FLOW_LOST_SEND_FAILED]);
	mutex_unlock(&export_lock);
	return n;
}

static struct kobj_attribute fl_attrs[] = {
	__ATTR_RW(flow_max),
	__ATTR_RW(flow_interval),
	__ATTR_RW(flow_log_drops),
	__ATTR_RW(flow_export_on_full),
	__ATTR_RO(flow_stats),
#ifdef RAMPART_BENCH
	__ATTR(flow_bench, 0600, flow_bench_show, flow_bench_store),
#endif
};

static struct attribute *fl_attr_list[] = {
	&fl_attrs[0].attr, &fl_attrs[1].attr, &fl_attrs[2].attr, &fl_attrs[3].attr,
	&fl_attrs[4].attr,
#ifdef RAMPART_BENCH
	&fl_attrs[5].attr,
#endif
	NULL,
};

const struct attribute_group rampart_flowlog_attr_group = { .attrs = fl_attr_list };
