// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * Table features, read from a verified table. Terms carry no inline state condition, so a state
 * test can only be an ext record on the state field. A tree node cutting on the state word does
 * not change the answer when no term tests the state (trees only narrow the candidates), but
 * counting it too keeps the answer right even for a compiler that cut on it anyway: the key
 * then carries the real state rather than a placeholder.
 */
#include "rampart_features.h"

int rampart_table_uses_state(const struct rampart_table *t)
{
	const uint8_t *p;
	uint32_t i;

	p = t->sec[RAMPART_SEC_EXTS];
	for (i = 0; i < t->count[RAMPART_SEC_EXTS]; i++, p += 8)
		if (p[1] == RAMPART_F_STATE)
			return 1;
	p = t->sec[RAMPART_SEC_NODES];
	for (i = 0; i < t->count[RAMPART_SEC_NODES]; i++, p += 8)
		if (p[0] == RAMPART_W_STATE)
			return 1;
	return 0;
}
