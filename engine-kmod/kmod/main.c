// SPDX-License-Identifier: GPL-2.0
/*
 * rampart.ko: module and per-namespace setup and teardown, nothing else. The order of init is
 * the reverse of exit: per-namespace state with its hooks, sysfs, then the netlink family (the
 * last thing userspace can reach, so nothing arrives before the state exists).
 */
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <net/genetlink.h>

#include "rampart.h"

unsigned int rampart_net_id __read_mostly;
bool rampart_enabled __read_mostly = true;
bool rampart_fail_closed __read_mostly;
atomic64_t rampart_stat_malformed = ATOMIC64_INIT(0);
atomic64_t rampart_stat_verify_failed = ATOMIC64_INIT(0);
atomic64_t rampart_stat_reverts = ATOMIC64_INIT(0);
atomic_t rampart_ct_netns = ATOMIC_INIT(0);

static int __net_init rampart_net_init(struct net *net)
{
	struct rampart_net *rn = rampart_pernet(net);

	rn->net = net;
	rampart_table_net_init(rn);
	return rampart_hooks_net_init(rn);
}

static void __net_exit rampart_net_exit(struct net *net)
{
	struct rampart_net *rn = rampart_pernet(net);

	rampart_hooks_net_exit(rn);
	rampart_table_net_exit(rn);
}

static struct pernet_operations rampart_net_ops = {
	.init = rampart_net_init,
	.exit = rampart_net_exit,
	.id = &rampart_net_id,
	.size = sizeof(struct rampart_net),
};

static int __init rampart_init(void)
{
	int ret;

	ret = register_pernet_subsys(&rampart_net_ops);
	if (ret < 0)
		goto err_pernet;
	ret = rampart_sysfs_init();
	if (ret < 0)
		goto err_sysfs;
	ret = rampart_netlink_init();
	if (ret < 0)
		goto err_netlink;
	pr_warn("rampart: loaded; no table yet, so every hook is fail-%s until one is loaded (/sys/kernel/rampart/fail_closed)\n",
		rampart_fail_closed ? "closed (drop)" : "open (accept)");
	return 0;

err_netlink:
	rampart_sysfs_exit();
err_sysfs:
	unregister_pernet_subsys(&rampart_net_ops);
err_pernet:
	return ret;
}

static void __exit rampart_exit(void)
{
	long live;

	rampart_netlink_exit();
	rampart_sysfs_exit();
	unregister_pernet_subsys(&rampart_net_ops);
	/* Set elements and sets are freed from RCU callbacks: wait for all of them. */
	rcu_barrier();
	live = rampart_allocations();
	if (live)
		pr_err("rampart: leak: %ld allocations (%lld bytes) outstanding at unload\n", live,
		       rampart_memory());
	else
		pr_info("rampart: unloaded, 0 allocations outstanding\n");
}

module_init(rampart_init);
module_exit(rampart_exit);
module_param_named(fail_closed, rampart_fail_closed, bool, 0444);
MODULE_PARM_DESC(fail_closed, "drop instead of accept while no table is loaded (default 0)");
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Rampart firewall engine");
MODULE_ALIAS_GENL_FAMILY(RAMPART_GENL_NAME);
