/* SPDX-License-Identifier: GPL-2.0 */
/* Rampart module internals shared between its files. */
#ifndef RAMPART_KMOD_H
#define RAMPART_KMOD_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/netlink.h>

#include "../core/rampart_core.h"
#include "../core/rampart_features.h"
#include "../include/uapi/linux/rampart.h"

#define RAMPART_SET_NAME_MAX 64

/* Per-CPU counters of one rule (or of one hook's policy, after the rules). */
struct rampart_counter {
	u64 packets;
	u64 bytes;
	unsigned long last;         /* jiffies of the last hit; 0 never */
};

struct rampart_elem {
	struct hlist_node node;
	u64 addr[2];
	unsigned long expires;      /* jiffies; 0 never */
	struct rcu_head rcu;
};

/* A dynamic set; shared by the tables of one namespace that declare it identically. */
struct rampart_set {
	struct list_head list;      /* rampart_net.sets, under rampart_net.lock */
	int refs;                   /* tables holding it, under rampart_net.lock */
	char name[RAMPART_SET_NAME_MAX];
	u8 family;                  /* 1 IPv4, 2 IPv6, 3 both */
	u32 capacity;
	u32 timeout;                /* default element lifetime, seconds; 0 never */
	spinlock_t lock;            /* writers; readers use RCU */
	u32 count;
	u32 nbuckets;               /* power of two */
	struct hlist_head *buckets;
	struct rcu_head rcu;
};

/* A verified table as the hooks use it; immutable once published. */
struct rampart_ktable {
	struct rampart_table t;
	u8 *blob;
	u32 len;
	u64 generation;
	u32 load_seq;
	u32 ncounters;              /* rules, then one per hook for the policy */
	struct rampart_counter **pcpu; /* nr_cpu_ids arrays of ncounters */
	u32 nsets;
	struct rampart_set **sets;
	bool uses_ct;               /* some rule tests connection state */
};

struct rampart_flowlog;

struct rampart_net {
	struct net *net;
	struct mutex lock;          /* every change below and of the sets' membership */
	struct rampart_ktable __rcu *active;
	struct rampart_ktable *previous;
	u8 *upload;
	u32 upload_size, upload_got;
	struct delayed_work confirm_work;
	bool confirm_pending;
	unsigned long confirm_deadline;
	u32 load_seq;
	u32 reverts;
	u64 last_reverted;
	struct list_head sets;
	atomic64_t malformed;
	bool hooks_on;
	bool ct_on;                 /* holds conntrack: the active or previous table uses_ct */
	struct rampart_flowlog *flowlog; /* flowlog.c; NULL until the first table load */
};

extern unsigned int rampart_net_id;
extern bool rampart_enabled;
extern bool rampart_fail_closed;
extern atomic64_t rampart_stat_malformed;
extern atomic64_t rampart_stat_verify_failed;
extern atomic64_t rampart_stat_reverts;
extern atomic_t rampart_ct_netns;

static inline struct rampart_net *rampart_pernet(struct net *net)
{
	return net_generic(net, rampart_net_id);
}

/* alloc.c: every allocation of the module goes through these, so unload can prove none leaked. */
void *rampart_alloc(size_t size);
void rampart_free(const void *p, size_t size);
void rampart_account_free(size_t size);
long rampart_allocations(void);
s64 rampart_memory(void);

/* table.c */
int rampart_load_begin(struct rampart_net *rn, u32 size, struct netlink_ext_ack *extack);
int rampart_load_chunk(struct rampart_net *rn, u32 offset, const void *data, u32 len,
		       struct netlink_ext_ack *extack);
int rampart_load_commit(struct rampart_net *rn, u32 confirm_secs, u32 flags,
			struct rampart_verify_error *verr, struct netlink_ext_ack *extack);
int rampart_confirm(struct rampart_net *rn, struct netlink_ext_ack *extack);
int rampart_rollback(struct rampart_net *rn, struct netlink_ext_ack *extack);
void rampart_table_net_init(struct rampart_net *rn);
void rampart_table_net_exit(struct rampart_net *rn);
int rampart_ktable_classify(const struct rampart_ktable *kt, u32 hook,
			    const struct rampart_key *key, struct rampart_result *res);
void rampart_count(const struct rampart_ktable *kt, u32 index, unsigned int bytes);

/* sets.c */
struct rampart_set *rampart_set_get(struct rampart_net *rn, const char *name, u8 family,
				    u64 capacity, u64 timeout, struct netlink_ext_ack *extack);
void rampart_set_put(struct rampart_net *rn, struct rampart_set *s);
int rampart_set_lookup_cb(void *ctx, uint32_t set_index, const uint64_t addr[2]);
int rampart_set_add(struct rampart_set *s, const u64 addr[2], u32 timeout, bool has_timeout,
		    struct netlink_ext_ack *extack);
int rampart_set_del(struct rampart_set *s, const u64 addr[2]);
int rampart_set_walk(struct rampart_set *s, u64 *pos,
		     int (*emit)(void *arg, const u64 addr[2], unsigned long expires), void *arg);
u32 rampart_set_count(struct rampart_set *s);

/* hooks.c */
int rampart_extract(struct sk_buff *skb, u8 pf, u32 hook, const char *in, const char *out,
		    u32 state, struct rampart_key *key);
u32 rampart_ct_state(const struct sk_buff *skb);
int rampart_hooks_net_init(struct rampart_net *rn);
void rampart_hooks_net_exit(struct rampart_net *rn);
int rampart_ct_hold(struct rampart_net *rn, bool want);

/* netlink.c */
int rampart_netlink_init(void);
void rampart_netlink_exit(void);

/* sysfs.c */
int rampart_sysfs_init(void);
void rampart_sysfs_exit(void);

#endif
