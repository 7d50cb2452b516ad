// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.eval;

import dev.rampart.dsl.ir.Field;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.ir.Verdict;
import java.util.List;

/**
 * The answer for one packet: verdict, the rule that decided (null = the chain's policy), and for
 * every earlier rule why it did not match.
 */
public record Evaluation(Verdict verdict, IrRule rule, List<Miss> trace) {

    /**
     * Why one rule did not match: for each of its terms, the first field (in {@link Field} order)
     * whose set does not contain the packet's value, or a dynamic set that failed (field null, set named).
     */
    public record Miss(IrRule rule, List<TermMiss> terms) {}

    public record TermMiss(Field field, String set) {
        public String describe() { return field != null ? field.name().toLowerCase(java.util.Locale.ROOT) : "set @" + set; }
    }

    public boolean byPolicy() { return rule == null; }
}
