// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.eval;

import dev.rampart.dsl.eval.Evaluation.Miss;
import dev.rampart.dsl.eval.Evaluation.TermMiss;
import dev.rampart.dsl.ir.Field;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.ir.SetMatch;
import dev.rampart.dsl.ir.Term;
import dev.rampart.dsl.ir.U128;
import java.util.ArrayList;
import java.util.List;

/**
 * The meaning of a policy, written to be obviously right rather than fast: walk the rules in order,
 * a rule matches if one of its terms matches, a term matches if every field contains the packet's
 * value and its set conditions hold. Every faster engine is checked against this.
 */
public final class ReferenceEvaluator {
    private ReferenceEvaluator() {}

    public static Evaluation evaluate(IrChain chain, Packet p, SetContents sets) {
        List<Miss> trace = new ArrayList<>();
        for (IrRule rule : chain.rules()) {
            List<TermMiss> misses = new ArrayList<>();
            for (Term t : rule.terms()) {
                TermMiss m = firstMiss(t, p, sets);
                if (m == null) return new Evaluation(rule.verdict(), rule, trace);
                misses.add(m);
            }
            trace.add(new Miss(rule, misses));
        }
        return new Evaluation(chain.policy(), null, trace);
    }

    /** Whether one rule matches; used by analyses and brute-force tests. */
    public static boolean matches(IrRule rule, Packet p, SetContents sets) {
        for (Term t : rule.terms()) if (firstMiss(t, p, sets) == null) return true;
        return false;
    }

    private static TermMiss firstMiss(Term t, Packet p, SetContents sets) {
        for (Field f : Field.values()) {
            if (!t.get(f).contains(p.value(f))) return new TermMiss(f, null);
        }
        if (!setHolds(t.srcSet(), p.src(), sets)) return new TermMiss(null, t.srcSet().set());
        if (!setHolds(t.dstSet(), p.dst(), sets)) return new TermMiss(null, t.dstSet().set());
        return null;
    }

    private static boolean setHolds(SetMatch m, U128 addr, SetContents sets) {
        return m == null || sets.contains(m.set(), addr) != m.negated();
    }
}
