// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/rampart/: the module-wide switches (enabled, fail_closed: writable) and read-only
 * figures (generation, rules and load_seq of the initial namespace's running table; memory and
 * allocations of the whole module; error counters; how many namespaces it holds conntrack in).
 * Per-namespace figures are in netlink STATUS.
 */
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include <net/net_namespace.h>

#include "flowlog.h"
#include "rampart.h"

static struct kobject *rampart_kobj;

static ssize_t bool_store(bool *var, const char *name, const char *buf, size_t count)
{
	bool v;

	if (kstrtobool(buf, &v))
		return -EINVAL;
	WRITE_ONCE(*var, v);
	pr_warn("rampart: %s set to %d\n", name, v);
	return count;
}

static ssize_t enabled_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(rampart_enabled));
}

static ssize_t enabled_store(struct kobject *k, struct kobj_attribute *a, const char *buf,
			     size_t count)
{
	return bool_store(&rampart_enabled, "enabled", buf, count);
}

static ssize_t fail_closed_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(rampart_fail_closed));
}

static ssize_t fail_closed_store(struct kobject *k, struct kobj_attribute *a, const char *buf,
				 size_t count)
{
	return bool_store(&rampart_fail_closed, "fail_closed", buf, count);
}

/* What the initial namespace runs, read under RCU. */
static ssize_t table_show(char *buf, int what)
{
	struct rampart_net *rn = rampart_pernet(&init_net);
	const struct rampart_ktable *kt;
	ssize_t n;

	rcu_read_lock();
	kt = rcu_dereference(rn->active);
	if (what == 0)
		n = sysfs_emit(buf, "%016llx\n", kt ? kt->generation : 0);
	else if (what == 1)
		n = sysfs_emit(buf, "%u\n", kt ? kt->t.count[RAMPART_SEC_RULES] : 0);
	else
		n = sysfs_emit(buf, "%u\n", kt ? kt->load_seq : 0);
	rcu_read_unlock();
	return n;
}

static ssize_t generation_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return table_show(buf, 0);
}

static ssize_t rules_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return table_show(buf, 1);
}

static ssize_t load_seq_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return table_show(buf, 2);
}

static ssize_t memory_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%lld\n", rampart_memory());
}

static ssize_t allocations_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%ld\n", rampart_allocations());
}

static ssize_t errors_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "malformed %lld\nverify_failed %lld\nreverts %lld\n",
			  atomic64_read(&rampart_stat_malformed),
			  atomic64_read(&rampart_stat_verify_failed),
			  atomic64_read(&rampart_stat_reverts));
}

/* Namespaces in which the module holds conntrack (a table there tests connection state). */
static ssize_t conntrack_netns_show(struct kobject *k, struct kobj_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&rampart_ct_netns));
}

static struct kobj_attribute attrs[] = {
	__ATTR_RW(enabled),
	__ATTR_RW(fail_closed),
	__ATTR_RO(generation),
	__ATTR_RO(rules),
	__ATTR_RO(load_seq),
	__ATTR_RO(memory),
	__ATTR_RO(allocations),
	__ATTR_RO(errors),
	__ATTR_RO(conntrack_netns),
};

static struct attribute *attr_list[ARRAY_SIZE(attrs) + 1];

static const struct attribute_group group = { .attrs = attr_list };

int rampart_sysfs_init(void)
{
	int i, ret;

	for (i = 0; i < ARRAY_SIZE(attrs); i++)
		attr_list[i] = &attrs[i].attr;
	rampart_kobj = kobject_create_and_add("rampart", kernel_kobj);
	if (!rampart_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(rampart_kobj, &group);
	if (!ret) {
		ret = sysfs_create_group(rampart_kobj, &rampart_flowlog_attr_group);
		if (ret)
			sysfs_remove_group(rampart_kobj, &group);
	}
	if (ret)
		kobject_put(rampart_kobj);
	return ret;
}

void rampart_sysfs_exit(void)
{
	sysfs_remove_group(rampart_kobj, &rampart_flowlog_attr_group);
	sysfs_remove_group(rampart_kobj, &group);
	kobject_put(rampart_kobj);
}
