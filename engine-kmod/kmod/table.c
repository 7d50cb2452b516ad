// SPDX-License-Identifier: GPL-2.0
/*
 * Tables of one network namespace: upload, verification, swap, confirm deadline, rollback.
 *
 * Theory of operation. A table arrives in pieces into rn->upload (LOAD_BEGIN sizes it, each
 * LOAD_CHUNK appends in order). LOAD_COMMIT hands the complete buffer to the core's verifier; the
 * buffer then belongs to a new struct rampart_ktable with its per-CPU counters and its dynamic
 * sets, and one rcu_assign_pointer() makes it the running table. The table it replaced becomes
 * rn->previous; the one that was previous before is freed after a grace period, when no hook can
 * still be reading it. Everything happens under rn->lock; the hooks only ever rcu_dereference.
 *
 * Example: A runs; load B with a 30 s deadline: active = B, previous = A, confirm_work armed.
 * CONFIRM within 30 s: the work is cancelled, B stays. No CONFIRM: the work swaps A back
 * (active = A, previous = B), counts a revert and records B's generation as last reverted.
 * A refused load at any point leaves active and previous as they were.
 *
 * Conntrack follows the tables: the namespace holds it exactly while the active or the previous
 * table tests connection state. A commit takes it before a stateful table is published (so no
 * stateful table ever runs, or waits as previous, without it) and drops it only once the table
 * that needed it is freed. Rollback and the confirm deadline only exchange active and previous,
 * which never changes whether one of them needs conntrack, so the revert work never has to
 * take or drop it.
 */
#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/lockdep.h>
#include <linux/slab.h>

#include "rampart.h"

static u32 chain_count(void)
{
	return 3;
}

static void ktable_free(struct rampart_net *rn, struct rampart_ktable *kt)
{
	unsigned int cpu;
	u32 i;

	if (!kt)
		return;
	if (kt->pcpu) {
		for_each_possible_cpu(cpu)
			rampart_free(kt->pcpu[cpu], sizeof(struct rampart_counter) * kt->ncounters);
		rampart_free(kt->pcpu, sizeof(*kt->pcpu) * nr_cpu_ids);
	}
	if (kt->sets) {
		for (i = 0; i < kt->nsets; i++)
			if (kt->sets[i])
				rampart_set_put(rn, kt->sets[i]);
		rampart_free(kt->sets, sizeof(*kt->sets) * kt->nsets);
	}
	rampart_free(kt->blob, kt->len);
	rampart_free(kt, sizeof(*kt));
}

static void upload_drop(struct rampart_net *rn)
{
	rampart_free(rn->upload, rn->upload_size);
	rn->upload = NULL;
	rn->upload_size = 0;
	rn->upload_got = 0;
}

int rampart_load_begin(struct rampart_net *rn, u32 size, struct netlink_ext_ack *extack)
{
	int ret = 0;

	if (size < RAMPART_HEADER_SIZE || size > RAMPART_TABLE_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "table size below the header size or above RAMPART_TABLE_MAX");
		return -EINVAL;
	}
	mutex_lock(&rn->lock);
	upload_drop(rn);
	rn->upload = rampart_alloc(size);
	if (!rn->upload) {
		NL_SET_ERR_MSG_MOD(extack, "no memory for the table upload");
		ret = -ENOMEM;
	} else {
		rn->upload_size = size;
	}
	mutex_unlock(&rn->lock);
	return ret;
}

int rampart_load_chunk(struct rampart_net *rn, u32 offset, const void *data, u32 len,
		       struct netlink_ext_ack *extack)
{
	int ret = 0;

	mutex_lock(&rn->lock);
	if (!rn->upload) {
		NL_SET_ERR_MSG_MOD(extack, "no upload in progress: send LOAD_BEGIN first");
		ret = -ENOENT;
	} else if (offset != rn->upload_got) {
		NL_SET_ERR_MSG_MOD(extack, "chunk offset differs from the bytes received (chunks go in order)");
		ret = -EINVAL;
	} else if (len > rn->upload_size - rn->upload_got) {
		NL_SET_ERR_MSG_MOD(extack, "chunk overruns the size announced by LOAD_BEGIN");
		ret = -EMSGSIZE;
	} else {
		memcpy(rn->upload + offset, data, len);
		rn->upload_got += len;
	}
	mutex_unlock(&rn->lock);
	return ret;
}

/* Dynamic sets of the table, each shared with an identical declaration already alive. */
static int bind_sets(struct rampart_net *rn, struct rampart_ktable *kt,
		     struct netlink_ext_ack *extack)
{
	const u8 *strings = kt->t.sec[RAMPART_SEC_STRINGS];
	u32 i;

	kt->nsets = kt->t.count[RAMPART_SEC_SETS];
	if (!kt->nsets)
		return 0;
	kt->sets = rampart_alloc(sizeof(*kt->sets) * kt->nsets);
	if (!kt->sets)
		return -ENOMEM;
	for (i = 0; i < kt->nsets; i++) {
		const u8 *s = kt->t.sec[RAMPART_SEC_SETS] + 24 * (size_t)i;
		const u8 *str = strings + rampart_rd32(s);
		u16 n = rampart_rd16(str);
		char name[RAMPART_SET_NAME_MAX];

		if (n == 0 || n >= RAMPART_SET_NAME_MAX || memchr(str + 2, 0, n)) {
			NL_SET_ERR_MSG_MOD(extack, "dynamic set name empty, longer than 63 bytes or with NUL");
			return -EINVAL;
		}
		memcpy(name, str + 2, n);
		name[n] = 0;
		kt->sets[i] = rampart_set_get(rn, name, s[4], rampart_rd64(s + 8),
					      rampart_rd64(s + 16), extack);
		if (IS_ERR(kt->sets[i])) {
			int ret = PTR_ERR(kt->sets[i]);

			kt->sets[i] = NULL;
			return ret;
		}
	}
	return 0;
}

static int ktable_build(struct rampart_net *rn, struct rampart_ktable *kt,
			struct netlink_ext_ack *extack)
{
	unsigned int cpu;

	kt->generation = rampart_rd64(kt->blob + 16);
	kt->ncounters = kt->t.count[RAMPART_SEC_RULES] + chain_count();
	kt->pcpu = rampart_alloc(sizeof(*kt->pcpu) * nr_cpu_ids);
	if (!kt->pcpu)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		kt->pcpu[cpu] = rampart_alloc(sizeof(struct rampart_counter) * kt->ncounters);
		if (!kt->pcpu[cpu])
			return -ENOMEM;
	}
	return bind_sets(rn, kt, extack);
}

static void confirm_disarm(struct rampart_net *rn)
{
	lockdep_assert_held(&rn->lock);
	rn->confirm_pending = false;
	/* The work takes rn->lock itself; it sees confirm_pending false and does nothing. */
	cancel_delayed_work(&rn->confirm_work);
}

static bool wants_ct(const struct rampart_ktable *kt)
{
	return kt && kt->uses_ct;
}

/* active := next, previous := the old active; the old previous is freed after readers left. */
static void publish(struct rampart_net *rn, struct rampart_ktable *next)
{
	struct rampart_ktable *old = rcu_dereference_protected(rn->active,
							       lockdep_is_held(&rn->lock));
	struct rampart_ktable *dead = rn->previous;

	lockdep_assert_held(&rn->lock);
	rcu_assign_pointer(rn->active, next);
	rn->previous = old;
	if (dead) {
		synchronize_rcu();
		ktable_free(rn, dead);
	}
}

int rampart_load_commit(struct rampart_net *rn, u32 confirm_secs, u32 flags,
			struct rampart_verify_error *verr, struct netlink_ext_ack *extack)
{
	struct rampart_limits lim;
	struct rampart_ktable *kt;
	int ret;

	mutex_lock(&rn->lock);
	if (!rn->upload) {
		NL_SET_ERR_MSG_MOD(extack, "no upload in progress: send LOAD_BEGIN first");
		ret = -ENOENT;
		goto out;
	}
	if (rn->upload_got != rn->upload_size) {
		NL_SET_ERR_MSG_MOD(extack, "upload incomplete: fewer bytes received than LOAD_BEGIN announced");
		ret = -EINVAL;
		goto out;
	}
	if (rn->confirm_pending && !(flags & RAMPART_F_DRY_RUN)) {
		NL_SET_ERR_MSG_MOD(extack, "the previous load waits for confirmation: confirm or roll back first");
		ret = -EBUSY;
		goto out;
	}
	kt = rampart_alloc(sizeof(*kt));
	if (!kt) {
		NL_SET_ERR_MSG_MOD(extack, "no memory for the table");
		ret = -ENOMEM;
		goto out;
	}
	rampart_default_limits(&lim);
	lim.max_total_length = RAMPART_TABLE_MAX;
	ret = rampart_verify(rn->upload, rn->upload_size, &lim, &kt->t, verr);
	if (ret) {
		atomic64_inc(&rampart_stat_verify_failed);
		rampart_free(kt, sizeof(*kt));
		/* A refused table is of no further use; the next load starts from LOAD_BEGIN. */
		upload_drop(rn);
		ret = -EINVAL;
		goto out;
	}
	if (flags & RAMPART_F_DRY_RUN) {
		rampart_free(kt, sizeof(*kt));
		goto out;
	}
	/* The table now owns the upload buffer. */
	kt->blob = rn->upload;
	kt->len = rn->upload_size;
	rn->upload = NULL;
	rn->upload_size = 0;
	rn->upload_got = 0;
	ret = ktable_build(rn, kt, extack);
	if (ret) {
		if (ret == -ENOMEM)
			NL_SET_ERR_MSG_MOD(extack, "no memory for the table's counters or dynamic sets");
		ktable_free(rn, kt);
		goto out;
	}
	kt->uses_ct = rampart_table_uses_state(&kt->t);
	if (kt->uses_ct) {
		ret = rampart_ct_hold(rn, true);
		if (ret) {
			NL_SET_ERR_MSG_MOD(extack, "the table tests connection state, but conntrack could not be enabled in this namespace");
			ktable_free(rn, kt);
			goto out;
		}
	}
	kt->load_seq = ++rn->load_seq;
	publish(rn, kt);
	/* The table publish() freed may have been the last one that needed conntrack. */
	rampart_ct_hold(rn, wants_ct(kt) || wants_ct(rn->previous));
	if (confirm_secs) {
		rn->confirm_pending = true;
		rn->confirm_deadline = jiffies + msecs_to_jiffies(confirm_secs * 1000);
		mod_delayed_work(system_wq, &rn->confirm_work, msecs_to_jiffies(confirm_secs * 1000));
	}
out:
	mutex_unlock(&rn->lock);
	return ret;
}

int rampart_confirm(struct rampart_net *rn, struct netlink_ext_ack *extack)
{
	int ret = 0;

	mutex_lock(&rn->lock);
	if (!rn->confirm_pending) {
		NL_SET_ERR_MSG_MOD(extack, "no load waits for confirmation");
		ret = -ENOENT;
	} else {
		confirm_disarm(rn);
	}
	mutex_unlock(&rn->lock);
	return ret;
}

static void swap_back(struct rampart_net *rn)
{
	struct rampart_ktable *cur = rcu_dereference_protected(rn->active,
							       lockdep_is_held(&rn->lock));

	rcu_assign_pointer(rn->active, rn->previous);
	rn->previous = cur;
}

int rampart_rollback(struct rampart_net *rn, struct netlink_ext_ack *extack)
{
	int ret = 0;

	mutex_lock(&rn->lock);
	if (!rn->previous) {
		NL_SET_ERR_MSG_MOD(extack, "no previous table to roll back to");
		ret = -ENOENT;
	} else {
		if (rn->confirm_pending)
			confirm_disarm(rn);
		swap_back(rn);
	}
	mutex_unlock(&rn->lock);
	return ret;
}

static void confirm_expired(struct work_struct *work)
{
	struct rampart_net *rn = container_of(to_delayed_work(work), struct rampart_net,
					      confirm_work);
	struct rampart_ktable *cur;

	mutex_lock(&rn->lock);
	/*
	 * A confirm may have won the race for the lock and a new load armed a later deadline since:
	 * only a deadline that has really passed reverts.
	 */
	if (rn->confirm_pending && time_after_eq(jiffies, rn->confirm_deadline)) {
		cur = rcu_dereference_protected(rn->active, lockdep_is_held(&rn->lock));
		rn->confirm_pending = false;
		rn->reverts++;
		rn->last_reverted = cur ? cur->generation : 0;
		atomic64_inc(&rampart_stat_reverts);
		swap_back(rn);
		pr_warn("rampart: load %u (generation %016llx) not confirmed in time: reverted\n",
			cur ? cur->load_seq : 0, rn->last_reverted);
	}
	mutex_unlock(&rn->lock);
}

int rampart_ktable_classify(const struct rampart_ktable *kt, u32 hook,
			    const struct rampart_key *key, struct rampart_result *res)
{
	return rampart_classify(&kt->t, hook, key, rampart_set_lookup_cb, (void *)kt, res);
}

/* Bottom halves off, so a softirq on this CPU cannot interleave with a process-context update. */
void rampart_count(const struct rampart_ktable *kt, u32 index, unsigned int bytes)
{
	struct rampart_counter *c;

	local_bh_disable();
	c = kt->pcpu[smp_processor_id()] + index;
	c->packets++;
	c->bytes += bytes;
	c->last = jiffies ? jiffies : 1;
	local_bh_enable();
}

void rampart_table_net_init(struct rampart_net *rn)
{
	mutex_init(&rn->lock);
	INIT_LIST_HEAD(&rn->sets);
	INIT_DELAYED_WORK(&rn->confirm_work, confirm_expired);
	atomic64_set(&rn->malformed, 0);
}

/* The hooks are gone and a grace period has passed when this runs. */
void rampart_table_net_exit(struct rampart_net *rn)
{
	struct rampart_ktable *active;

	cancel_delayed_work_sync(&rn->confirm_work);
	mutex_lock(&rn->lock);
	rn->confirm_pending = false;
	active = rcu_dereference_protected(rn->active, lockdep_is_held(&rn->lock));
	RCU_INIT_POINTER(rn->active, NULL);
	synchronize_rcu();
	ktable_free(rn, active);
	ktable_free(rn, rn->previous);
	rn->previous = NULL;
	upload_drop(rn);
	rampart_ct_hold(rn, false);
	mutex_unlock(&rn->lock);
}
