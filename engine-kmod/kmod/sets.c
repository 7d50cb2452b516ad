// SPDX-License-Identifier: GPL-2.0
/*
 * Dynamic sets: addresses added and removed at run time, each with its own expiry.
 *
 * Theory of operation. A set is a chained hash of 128-bit addresses (IPv4 as ::ffff:a.b.c.d)
 * with a fixed number of buckets, a power of two at least the declared capacity, so chains stay
 * short. The packet path only reads, under RCU: it hashes the address, walks one chain and
 * treats an element whose expiry has passed as absent, so expiry needs no timer to be exact.
 * Writers (netlink, process context) serialise on the set's spinlock. An add beyond the capacity
 * first drops the expired elements and then fails with -ENOSPC: a full set never evicts a live
 * element behind its owner's back.
 *
 * Example: capacity 2, timeout 1 s. add A, add B, add C -> -ENOSPC. Two seconds later A and B
 * no longer match; add C succeeds because the purge freed both.
 *
 * Sets live in their namespace, shared by every table that declares the same name, family,
 * capacity and timeout, so reloading a table keeps the elements the IPS already added.
 */
#include <linux/err.h>
#include <linux/jhash.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/slab.h>

#include "rampart.h"

static u32 bucket_of(const struct rampart_set *s, const u64 addr[2])
{
	u32 k[4] = { (u32)addr[0], (u32)(addr[0] >> 32), (u32)addr[1], (u32)(addr[1] >> 32) };

	return jhash2(k, 4, 0x52414d50) & (s->nbuckets - 1);
}

static bool expired(const struct rampart_elem *e, unsigned long now)
{
	return e->expires && time_after_eq(now, e->expires);
}

static bool is_v4(const u64 addr[2])
{
	return addr[0] == 0 && (addr[1] >> 32) == 0xffff;
}

struct rampart_set *rampart_set_get(struct rampart_net *rn, const char *name, u8 family,
				    u64 capacity, u64 timeout, struct netlink_ext_ack *extack)
{
	struct rampart_set *s;

	lockdep_assert_held(&rn->lock);
	if (capacity == 0 || capacity > RAMPART_SET_CAPACITY_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "dynamic set capacity is 0 or above RAMPART_SET_CAPACITY_MAX");
		return ERR_PTR(-E2BIG);
	}
	if (timeout > RAMPART_CONFIRM_MAX * 365ull) {
		NL_SET_ERR_MSG_MOD(extack, "dynamic set timeout above one year");
		return ERR_PTR(-EINVAL);
	}
	list_for_each_entry(s, &rn->sets, list) {
		if (!strcmp(s->name, name) && s->family == family && s->capacity == capacity &&
		    s->timeout == timeout) {
			s->refs++;
			return s;
		}
	}
	s = rampart_alloc(sizeof(*s));
	if (!s)
		return ERR_PTR(-ENOMEM);
	s->nbuckets = roundup_pow_of_two((u32)capacity);
	s->buckets = rampart_alloc(sizeof(*s->buckets) * s->nbuckets);
	if (!s->buckets) {
		rampart_free(s, sizeof(*s));
		return ERR_PTR(-ENOMEM);
	}
	strscpy(s->name, name, sizeof(s->name));
	s->family = family;
	s->capacity = capacity;
	s->timeout = timeout;
	s->refs = 1;
	spin_lock_init(&s->lock);
	list_add(&s->list, &rn->sets);
	return s;
}

static void elem_free_rcu(struct rcu_head *head)
{
	struct rampart_elem *e = container_of(head, struct rampart_elem, rcu);

	kvfree(e);
	rampart_account_free(sizeof(*e));
}

static void set_free_rcu(struct rcu_head *head)
{
	struct rampart_set *s = container_of(head, struct rampart_set, rcu);
	struct rampart_elem *e;
	struct hlist_node *tmp;
	u32 i;

	for (i = 0; i < s->nbuckets; i++)
		hlist_for_each_entry_safe(e, tmp, &s->buckets[i], node)
			rampart_free(e, sizeof(*e));
	rampart_free(s->buckets, sizeof(*s->buckets) * s->nbuckets);
	rampart_free(s, sizeof(*s));
}

void rampart_set_put(struct rampart_net *rn, struct rampart_set *s)
{
	lockdep_assert_held(&rn->lock);
	if (--s->refs)
		return;
	list_del(&s->list);
	call_rcu(&s->rcu, set_free_rcu);
}

static struct rampart_elem *find(struct rampart_set *s, const u64 addr[2])
{
	struct rampart_elem *e;

	hlist_for_each_entry_rcu(e, &s->buckets[bucket_of(s, addr)], node,
				 lockdep_is_held(&s->lock))
		if (e->addr[0] == addr[0] && e->addr[1] == addr[1])
			return e;
	return NULL;
}

/* The core's set callback: ctx is the running table, called under rcu_read_lock. */
int rampart_set_lookup_cb(void *ctx, uint32_t set_index, const uint64_t addr[2])
{
	const struct rampart_ktable *kt = ctx;
	struct rampart_set *s = kt->sets[set_index];
	struct rampart_elem *e = find(s, addr);

	return e && !expired(e, jiffies);
}

static void purge_expired(struct rampart_set *s)
{
	unsigned long now = jiffies;
	struct rampart_elem *e;
	struct hlist_node *tmp;
	u32 i;

	lockdep_assert_held(&s->lock);
	for (i = 0; i < s->nbuckets; i++) {
		hlist_for_each_entry_safe(e, tmp, &s->buckets[i], node) {
			if (expired(e, now)) {
				hlist_del_rcu(&e->node);
				s->count--;
				call_rcu(&e->rcu, elem_free_rcu);
			}
		}
	}
}

int rampart_set_add(struct rampart_set *s, const u64 addr[2], u32 timeout, bool has_timeout,
		    struct netlink_ext_ack *extack)
{
	struct rampart_elem *e, *fresh;
	unsigned long expires;
	u32 secs = has_timeout ? timeout : s->timeout;
	int ret = 0;

	if (!(s->family & (is_v4(addr) ? 1 : 2))) {
		NL_SET_ERR_MSG_MOD(extack, "address family not allowed in this set");
		return -EAFNOSUPPORT;
	}
	expires = secs ? jiffies + msecs_to_jiffies(secs * 1000) : 0;
	if (secs && !expires)
		expires = 1;
	/* Allocated before the lock: GFP_KERNEL may sleep. */
	fresh = rampart_alloc(sizeof(*fresh));
	if (!fresh) {
		NL_SET_ERR_MSG_MOD(extack, "no memory for the set element");
		return -ENOMEM;
	}
	fresh->addr[0] = addr[0];
	fresh->addr[1] = addr[1];
	fresh->expires = expires;
	spin_lock_bh(&s->lock);
	e = find(s, addr);
	if (e) {
		WRITE_ONCE(e->expires, expires);
	} else {
		if (s->count >= s->capacity)
			purge_expired(s);
		if (s->count >= s->capacity) {
			NL_SET_ERR_MSG_MOD(extack, "dynamic set is full (capacity reached)");
			ret = -ENOSPC;
		} else {
			hlist_add_head_rcu(&fresh->node, &s->buckets[bucket_of(s, addr)]);
			s->count++;
			fresh = NULL;
		}
	}
	spin_unlock_bh(&s->lock);
	rampart_free(fresh, sizeof(*fresh));
	return ret;
}

int rampart_set_del(struct rampart_set *s, const u64 addr[2])
{
	struct rampart_elem *e;
	int ret = -ENOENT;

	spin_lock_bh(&s->lock);
	e = find(s, addr);
	if (e) {
		/* An expired element is already gone as far as anyone could tell. */
		ret = expired(e, jiffies) ? -ENOENT : 0;
		hlist_del_rcu(&e->node);
		s->count--;
		call_rcu(&e->rcu, elem_free_rcu);
	}
	spin_unlock_bh(&s->lock);
	return ret;
}

/*
 * Calls emit for the live elements from position *pos (bucket << 32 | index in bucket) on, under
 * RCU; stops and returns emit's error when the message is full, leaving *pos at that element.
 */
int rampart_set_walk(struct rampart_set *s, u64 *pos,
		     int (*emit)(void *arg, const u64 addr[2], unsigned long expires), void *arg)
{
	unsigned long now = jiffies;
	struct rampart_elem *e;
	u32 b = *pos >> 32, i;
	int ret;

	for (; b < s->nbuckets; b++) {
		i = 0;
		hlist_for_each_entry_rcu(e, &s->buckets[b], node) {
			if (b == *pos >> 32 && i < (u32)*pos) {
				i++;
				continue;
			}
			if (!expired(e, now)) {
				ret = emit(arg, e->addr, e->expires);
				if (ret) {
					*pos = (u64)b << 32 | i;
					return ret;
				}
			}
			i++;
		}
		*pos = (u64)(b + 1) << 32;
	}
	return 0;
}

u32 rampart_set_count(struct rampart_set *s)
{
	return READ_ONCE(s->count);
}
