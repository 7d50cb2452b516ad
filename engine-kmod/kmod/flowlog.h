/* SPDX-License-Identifier: GPL-2.0 */
/* The flow log (flowlog.c): per-flow aggregation of logged packets, exported over netlink. */
#ifndef RAMPART_FLOWLOG_H
#define RAMPART_FLOWLOG_H

#include <linux/sysfs.h>

#include "rampart.h"

extern bool rampart_flow_log_drops;
extern const struct attribute_group rampart_flowlog_attr_group;

void rampart_flowlog_record(struct rampart_net *rn, const struct rampart_ktable *kt, u32 hook,
			    u8 pf, const struct rampart_key *key, const struct rampart_result *res,
			    unsigned int len);

/* Packet path, under the hook's RCU read side: cheap test first, the work out of line. */
static inline void rampart_flowlog_packet(struct rampart_net *rn, const struct rampart_ktable *kt,
					  u32 hook, u8 pf, const struct rampart_key *key,
					  const struct rampart_result *res, unsigned int len)
{
	if ((res->rule_flags & RAMPART_RULE_LOG) ||
	    (res->verdict != RAMPART_ACCEPT && READ_ONCE(rampart_flow_log_drops)))
		rampart_flowlog_record(rn, kt, hook, pf, key, res, len);
}

/* Process context. Allocates the namespace's flow tables before its first table goes live. */
int rampart_flowlog_ensure(struct rampart_net *rn, struct netlink_ext_ack *extack);
/* Process context: export now; the export's number and its record count. */
int rampart_flowlog_flush(struct rampart_net *rn, u64 *export_seq, u32 *records,
			  struct netlink_ext_ack *extack);
/* The namespace's hooks are gone: stop the export work, free everything. */
void rampart_flowlog_net_exit(struct rampart_net *rn);
/* Before the netlink family goes away: a last export of every namespace, then no more. */
void rampart_flowlog_stop(void);

/* netlink.c: messages of the "flows" multicast group. */
struct sk_buff *rampart_flow_msg_new(size_t size, void **hdr);
/* Ends and multicasts msg in net (consumed): 0, -ESRCH nobody subscribed, or an error. */
int rampart_flow_msg_send(struct net *net, struct sk_buff *msg, void *hdr);
bool rampart_flow_listeners(struct net *net);

#endif
