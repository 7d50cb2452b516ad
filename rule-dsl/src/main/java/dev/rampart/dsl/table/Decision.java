// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.table;

import dev.rampart.dsl.ir.RejectKind;
import dev.rampart.dsl.ir.Verdict;

/**
 * What a walker decided for one packet.
 *
 * @param ruleIndex index of the deciding rule in the table's rule section (chain order, chains in
 *                  policy order), or -1 when the chain's policy decided
 * @param ruleId    the rule's stable numeric id ({@code IrRule.numericId}), 0 by policy
 */
public record Decision(Verdict verdict, int ruleIndex, long ruleId, boolean log, boolean count, RejectKind reject) {
    public boolean byPolicy() { return ruleIndex < 0; }
}
