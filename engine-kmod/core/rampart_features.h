/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * What a verified table needs from its host beyond the key it is given: lets the kernel module
 * enable costly facilities (connection tracking) only for the tables that look at them.
 */
#ifndef RAMPART_FEATURES_H
#define RAMPART_FEATURES_H

#include "rampart_core.h"

/*
 * Non-zero when classification may depend on the key's connection state (RAMPART_W_STATE): some
 * ext tests the state field, or some tree node cuts on the state word. Only for a table that
 * rampart_verify() accepted.
 */
int rampart_table_uses_state(const struct rampart_table *t);

#endif
