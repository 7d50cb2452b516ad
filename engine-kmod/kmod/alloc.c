// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation accounting. Every buffer the module owns is allocated and freed here, so the number
 * of live allocations and their bytes are known at any time: sysfs shows them, and unload reports
 * what is still outstanding (the tests require 0). kvmalloc picks kmalloc for small buffers and
 * vmalloc for the megabytes of a large table.
 */
#include <linux/mm.h>
#include <linux/slab.h>

#include "rampart.h"

static atomic_long_t live = ATOMIC_LONG_INIT(0);
static atomic64_t bytes = ATOMIC64_INIT(0);

void *rampart_alloc(size_t size)
{
	void *p = kvzalloc(size, GFP_KERNEL_ACCOUNT);

	if (p) {
		atomic_long_inc(&live);
		atomic64_add(size, &bytes);
	}
	return p;
}

/* For memory freed by someone else (an RCU callback's kfree). */
void rampart_account_free(size_t size)
{
	atomic_long_dec(&live);
	atomic64_sub(size, &bytes);
}

void rampart_free(const void *p, size_t size)
{
	if (!p)
		return;
	kvfree(p);
	rampart_account_free(size);
}

long rampart_allocations(void)
{
	return atomic_long_read(&live);
}

s64 rampart_memory(void)
{
	return atomic64_read(&bytes);
}
