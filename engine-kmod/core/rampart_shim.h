/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * The only place the core reaches outside itself: fixed-width integers and size_t. In the kernel
 * they come from <linux/types.h>; in userspace from the C11 freestanding headers, so the same
 * verify.c and classify.c compile in both without libc.
 */
#ifndef RAMPART_SHIM_H
#define RAMPART_SHIM_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif

#endif
