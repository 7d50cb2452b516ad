// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import dev.rampart.dsl.ir.ConnState;
import dev.rampart.dsl.ir.Field;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.Interval;
import dev.rampart.dsl.ir.IntervalSet;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.ir.RejectKind;
import dev.rampart.dsl.ir.Term;
import dev.rampart.dsl.ir.U128;
import dev.rampart.dsl.ir.Verdict;
import java.util.ArrayList;
import java.util.List;

/** Builds IR chains directly, standing in for the parser and checker in these tests. */
final class Chains {
    private Chains() {}

    static IrChain chain(Hook hook, Verdict policy, IrRule... rules) {
        return new IrChain(hook, policy, List.of(rules), null);
    }

    static IrRule rule(String id, Verdict v, Term... terms) {
        return new IrRule(id, IrRule.numericIdOf(id), true, v, RejectKind.values()[0], false, false, null, List.of(terms), null);
    }

    static Term any() { return Term.any(); }

    static Term proto(Term t, int... protos) {
        List<Interval> l = new ArrayList<>();
        for (int p : protos) l.add(Interval.of(p, p));
        return t.with(Field.PROTO, IntervalSet.of(l));
    }

    static Term dport(Term t, int port) { return t.with(Field.DPORT, IntervalSet.range(port, port)); }

    static Term icmpType(Term t, int type) { return t.with(Field.ICMP_TYPE, IntervalSet.range(type, type)); }

    static Term state(Term t, ConnState... states) {
        List<Interval> l = new ArrayList<>();
        for (ConnState s : states) l.add(Interval.of(s.ordinal(), s.ordinal()));
        return t.with(Field.STATE, IntervalSet.of(l));
    }

    static Term iif(Term t, String name) { return t.with(Field.IIF, IntervalSet.point(U128.ofIfName(name))); }
}
