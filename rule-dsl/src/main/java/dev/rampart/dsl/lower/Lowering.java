// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.lower;

import dev.rampart.dsl.check.CheckedPolicy;
import dev.rampart.dsl.check.CheckedPolicy.AddrAlt;
import dev.rampart.dsl.check.CheckedPolicy.CheckedChain;
import dev.rampart.dsl.check.CheckedPolicy.CheckedRule;
import dev.rampart.dsl.check.CheckedPolicy.CheckedTest;
import dev.rampart.dsl.check.CheckedPolicy.RuleMatch;
import dev.rampart.dsl.check.CheckedPolicy.ServiceEntry;
import dev.rampart.dsl.check.Checker;
import dev.rampart.dsl.check.Literals;
import dev.rampart.dsl.ir.Field;
import dev.rampart.dsl.ir.IntervalSet;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrPolicy;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.ir.IrTest;
import dev.rampart.dsl.ir.Term;
import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.dsl.source.Diagnostics;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.Span;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checked policy to IR. A rule becomes the terms of every combination of its alternatives
 * (service entry x source alternative x destination alternative x address family), each field an
 * interval set, terms that cannot match dropped. The implications the language leaves unsaid are
 * made explicit here, since the IR has no other way to know them: ports imply a protocol with
 * ports, flags imply TCP, ICMP types imply ICMP; a protocol list's icmp applies to IPv4 and its
 * icmpv6 to IPv6 (a rule naming no protocol takes every protocol in both).
 */
public final class Lowering {
    /** Chains at least this long are lowered on all cores. */
    private static final int PARALLEL_FROM = 4096;

    private Lowering() {}

    public static Result<IrPolicy> lower(CheckedPolicy policy) {
        Diagnostics diags = new Diagnostics();
        List<IrChain> chains = new ArrayList<>();
        for (CheckedChain c : policy.chains()) {
            List<IrRule> rules = new ArrayList<>(c.rules().size());
            // Terms depend on nothing but their rule, so long chains compute them on all cores;
            // the ordered stream keeps them in rule order, and diagnostics are made below, in order.
            List<List<Term>> termsOf = (c.rules().size() >= PARALLEL_FROM ? c.rules().parallelStream() : c.rules().stream())
                    .map(r -> terms(r.match())).toList();
            for (int i = 0; i < c.rules().size(); i++) {
                CheckedRule r = c.rules().get(i);
                List<Term> terms = termsOf.get(i);
                if (terms.isEmpty() && !policy.neverMatchReported().contains(r.ast())) {
                    Span at = r.ast().name() != null ? r.ast().name().span() : r.ast().span();
                    diags.add(Diagnostic.warning(at, "never-matches", "rule '" + r.id() + "' can never match: "
                            + reason(r.match())));
                }
                rules.add(new IrRule(r.id(), IrRule.numericIdOf(r.id()), r.named(), r.verdict(), r.reject(),
                        r.log(), r.count(), r.comment(), terms, r.ast().span()));
            }
            chains.add(new IrChain(c.hook(), c.policy(), List.copyOf(rules), c.span()));
        }
        PacketBuilder builder = new PacketBuilder(zone -> Checker.firstInterface(policy.symbols(), zone));
        List<IrTest> tests = new ArrayList<>();
        for (CheckedTest t : policy.tests()) {
            Result<PacketBuilder.Built> b = builder.build(t.ast().packet());
            diags.addAll(b.diagnostics());
            if (b.value() == null) continue;
            tests.add(new IrTest(t.name(), b.value().hook(), b.value().packet(), t.expected(), t.expectedRule(),
                    b.value().sets(), t.ast().span()));
        }
        IrPolicy ir = new IrPolicy(List.copyOf(chains), policy.dynamicSets(), List.copyOf(tests));
        return new Result<>(diags.hasErrors() ? null : ir, diags);
    }

    /** The terms of one rule; empty when it can never match. */
    public static List<Term> terms(RuleMatch m) {
        List<ServiceEntry> services = m.services() != null ? m.services() : List.of(new ServiceEntry(null, null, null, null));
        List<AddrAlt> srcs = m.src() != null ? m.src() : List.of(new AddrAlt(Field.SRC.universe(), null));
        List<AddrAlt> dsts = m.dst() != null ? m.dst() : List.of(new AddrAlt(Field.DST.universe(), null));
        Set<Term> out = new LinkedHashSet<>();
        for (ServiceEntry svc : services) {
            for (AddrAlt s : srcs) {
                for (AddrAlt d : dsts) {
                    for (boolean v6 : new boolean[] {false, true}) {
                        Term t = term(m, svc, s, d, v6);
                        if (t != null) out.add(t);
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    private static Term term(RuleMatch m, ServiceEntry svc, AddrAlt s, AddrAlt d, boolean v6) {
        IntervalSet fam = Literals.family(v6);
        Map<Field, IntervalSet> f = new EnumMap<>(Field.class);
        f.put(Field.SRC, s.set().intersect(fam));
        f.put(Field.DST, d.set().intersect(fam));
        IntervalSet proto = meet(m.proto(), svc.proto());
        // A rule naming icmp means ICMP over IPv4, icmpv6 ICMPv6 over IPv6; a rule naming no
        // protocol takes every protocol number in both families.
        proto = proto == null ? Field.PROTO.universe() : proto.minus(v6 ? Literals.ICMP : Literals.ICMPV6);
        IntervalSet dport = meet(m.dport(), svc.dport());
        if (m.sport() != null || dport != null) proto = proto.intersect(Literals.PORT_PROTOCOLS);
        if (m.flags() != null) proto = proto.intersect(Literals.TCP);
        IntervalSet type = meet(m.icmpType() == null ? null : v6 ? m.icmpType().v6() : m.icmpType().v4(), svc.icmpType());
        IntervalSet code = meet(m.icmpCode(), svc.icmpCode());
        if (type != null || code != null) proto = proto.intersect(v6 ? Literals.ICMPV6 : Literals.ICMP);
        f.put(Field.PROTO, proto);
        put(f, Field.SPORT, m.sport());
        put(f, Field.DPORT, dport);
        put(f, Field.ICMP_TYPE, type);
        put(f, Field.ICMP_CODE, code);
        put(f, Field.TCP_FLAGS, m.flags());
        put(f, Field.STATE, m.state());
        put(f, Field.IIF, m.iif());
        put(f, Field.OIF, m.oif());
        Term t = new Term(f, s.dyn(), d.dyn());
        return t.isEmpty() ? null : t;
    }

    private static void put(Map<Field, IntervalSet> f, Field k, IntervalSet v) {
        if (v != null) f.put(k, v);
    }

    private static IntervalSet meet(IntervalSet a, IntervalSet b) {
        if (a == null) return b;
        return b == null ? a : a.intersect(b);
    }

    private static String reason(RuleMatch m) {
        if (empty(m.iif())) return "its 'in' matches no interface";
        if (empty(m.oif())) return "its 'out' matches no interface";
        if (empty(m.proto())) return "its 'proto' matches no protocol";
        if (empty(m.sport())) return "its 'sport' matches no port";
        if (empty(m.dport())) return "its 'dport' matches no port";
        if (empty(m.icmpCode())) return "its 'icmp-code' matches no code";
        if (empty(m.state())) return "its 'state' matches no state";
        if (m.services() != null && m.services().isEmpty()) return "its services have no entries";
        return "its conditions exclude each other";
    }

    private static boolean empty(IntervalSet s) { return s != null && s.isEmpty(); }
}
