// SPDX-License-Identifier: GPL-2.0-only
/*
 * The interface cache against the real kernel, in a network namespace of the test's own (only
 * `lo` lives there, and renaming it touches nothing outside): lookups answer from the cache
 * without reloading it, a rename is seen by the next lookup through its rtnetlink notification,
 * and without the notification socket lookups still answer, uncached.
 */
#define _GNU_SOURCE
#include "../ifcache.h"

#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static int failures;

#define CHECK(c, ...) do { if (!(c)) { failures++; fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

static int rename_if(const char *from, const char *to)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), ret;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", from);
	snprintf(ifr.ifr_newname, sizeof(ifr.ifr_newname), "%s", to);
	ret = ioctl(fd, SIOCSIFNAME, &ifr);
	close(fd);
	return ret;
}

int main(void)
{
	struct ifcache c, plain;
	char name[16], full[16];
	uint64_t loads;

	if (unshare(CLONE_NEWNET) != 0) {
		/* Only root may make a namespace; the agent's tests run as root in ./test-all. */
		printf("test-ifcache: SKIPPED, cannot make a network namespace: %s\n", strerror(errno));
		return 0;
	}
	CHECK(ifcache_open(&c) == 0, "the notification socket opens");
	CHECK(ifcache_index(&c, "lo") == 1, "lo is index 1 in a new namespace");
	loads = c.loads;
	CHECK(loads == 1, "the first lookup loaded the table once (%llu)", (unsigned long long)loads);
	CHECK(ifcache_index(&c, "lo") == 1 && ifcache_index(&c, "eth0") == 0 && c.loads == loads,
	      "more lookups, a missing name included, answer from the cache (%llu loads)",
	      (unsigned long long)c.loads);
	CHECK(!strcmp(ifcache_name(&c, 1, name), "lo") && !strcmp(ifcache_name(&c, 7, name), "")
	      && !strcmp(ifcache_name(&c, 0, name), ""), "names of indexes 1, 7 (none) and 0");
	CHECK(ifcache_index(&c, "") == 0, "the empty name is no interface");
	memset(full, 'x', sizeof(full));
	CHECK(ifcache_index(&c, full) == 0, "16 bytes without a NUL are read as 16 bytes, not beyond");

	CHECK(rename_if("lo", "uplink0") == 0, "lo renamed to uplink0: %s", strerror(errno));
	CHECK(ifcache_index(&c, "uplink0") == 1, "the new name is seen at the next lookup");
	CHECK(c.loads == loads + 1, "through one reload (%llu)", (unsigned long long)c.loads);
	CHECK(ifcache_index(&c, "lo") == 0, "the old name is gone");
	CHECK(!strcmp(ifcache_name(&c, 1, name), "uplink0"), "index 1 is named uplink0 (%s)", name);
	CHECK(c.loads == loads + 1, "and no reload without a change (%llu)", (unsigned long long)c.loads);

	/* No socket: every answer comes from the kernel. */
	memset(&plain, 0, sizeof(plain));
	plain.fd = -1;
	CHECK(ifcache_index(&plain, "uplink0") == 1 && ifcache_index(&plain, "lo") == 0 && plain.loads == 0,
	      "without notifications lookups answer uncached");
	CHECK(!strcmp(ifcache_name(&plain, 1, name), "uplink0"), "and so do names (%s)", name);
	ifcache_close(&plain);
	ifcache_close(&c);
	if (failures) {
		fprintf(stderr, "test-ifcache: %d failures\n", failures);
		return 1;
	}
	printf("test-ifcache: all passed\n");
	return 0;
}
