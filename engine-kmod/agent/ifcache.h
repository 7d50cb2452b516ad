/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interface names and indexes of the agent's network namespace, cached. The kernel's flow records
 * name their interfaces; IPFIX wants indexes. Resolving each record with if_nametoindex would
 * cost a socket, an ioctl and a close per record, so the agent keeps the namespace's table and
 * reloads it only when an rtnetlink link notification (an interface added, removed or renamed)
 * arrived since the last lookup. Without the notification socket it resolves without a cache.
 */
#ifndef RAMPART_IFCACHE_H
#define RAMPART_IFCACHE_H

#include <stddef.h>
#include <stdint.h>

struct ifcache_entry {
	uint32_t index;
	char name[16];
};

struct ifcache {
	int fd;                     /* NETLINK_ROUTE bound to the link group, non-blocking; -1 none */
	int stale;                  /* a notification came (or was lost) since the last load */
	struct ifcache_entry *e;
	size_t n;
	uint64_t loads;             /* how often the table was read, for tests and status */
};

/* 0, or -1 when notifications are unavailable (lookups then ask the kernel every time). */
int ifcache_open(struct ifcache *c);
/* The index of name (a string, or 16 bytes without a NUL); 0 for "" or an interface not there. */
uint32_t ifcache_index(struct ifcache *c, const char *name);
/* The name of index into out (NUL-terminated); "" for 0 or an index not there. Returns out. */
const char *ifcache_name(struct ifcache *c, uint32_t index, char out[16]);
void ifcache_close(struct ifcache *c);

#endif
