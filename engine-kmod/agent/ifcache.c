// SPDX-License-Identifier: GPL-2.0-only
/* Interface names and indexes, reloaded on rtnetlink link notifications (ifcache.h). */
#define _GNU_SOURCE
#include "ifcache.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int ifcache_open(struct ifcache *c)
{
	struct sockaddr_nl sa;
	int fd;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->stale = 1;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = RTMGRP_LINK;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	c->fd = fd;
	return 0;
}

/*
 * Reads whatever notifications are queued. Their content does not matter: any link event (or an
 * overrun, which may have hidden one) means the table is reloaded before the next answer. Events
 * queued after this drain are seen by the next lookup's drain.
 */
static void drain(struct ifcache *c)
{
	char buf[8192];
	ssize_t n;

	for (;;) {
		n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n > 0 || (n < 0 && errno == ENOBUFS)) {
			c->stale = 1;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		return;
	}
}

static void load(struct ifcache *c)
{
	struct if_nameindex *ni = if_nameindex(), *p;
	struct ifcache_entry *e;
	size_t n = 0;

	if (!ni)
		return;                 /* keep the old table; stale stays set, so try again next time */
	for (p = ni; p->if_index; p++)
		n++;
	e = calloc(n ? n : 1, sizeof(*e));
	if (!e) {
		if_freenameindex(ni);
		return;
	}
	for (n = 0, p = ni; p->if_index; p++, n++) {
		e[n].index = p->if_index;
		memcpy(e[n].name, p->if_name, strnlen(p->if_name, sizeof(e[n].name) - 1));
	}
	if_freenameindex(ni);
	free(c->e);
	c->e = e;
	c->n = n;
	c->stale = 0;
	c->loads++;
}

static int fresh(struct ifcache *c)
{
	if (c->fd < 0)
		return 0;
	drain(c);
	if (c->stale)
		load(c);
	return !c->stale;
}

uint32_t ifcache_index(struct ifcache *c, const char *name)
{
	char n[17] = { 0 };
	size_t i;

	memcpy(n, name, strnlen(name, 16));
	if (!n[0])
		return 0;
	if (!fresh(c))
		return if_nametoindex(n);
	for (i = 0; i < c->n; i++)
		if (!strcmp(c->e[i].name, n))
			return c->e[i].index;
	return 0;
}

const char *ifcache_name(struct ifcache *c, uint32_t index, char out[16])
{
	char buf[IF_NAMESIZE];
	size_t i;

	out[0] = 0;
	if (!index)
		return out;
	if (!fresh(c)) {
		if (if_indextoname(index, buf)) {
			memcpy(out, buf, strnlen(buf, 15));
			out[strnlen(buf, 15)] = 0;
		}
		return out;
	}
	for (i = 0; i < c->n; i++)
		if (c->e[i].index == index) {
			memcpy(out, c->e[i].name, 16);
			break;
		}
	return out;
}

void ifcache_close(struct ifcache *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->e);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}
