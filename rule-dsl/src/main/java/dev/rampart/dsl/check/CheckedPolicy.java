// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.check;

import dev.rampart.dsl.ast.Decl;
import dev.rampart.dsl.ast.PolicyFile;
import dev.rampart.dsl.ast.Rule;
import dev.rampart.dsl.ir.DynSet;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.IntervalSet;
import dev.rampart.dsl.ir.RejectKind;
import dev.rampart.dsl.ir.SetMatch;
import dev.rampart.dsl.ir.Verdict;
import dev.rampart.dsl.source.Span;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A policy after name resolution and checks: every match reduced to value sets, names gone. This is
 * what lowering turns into terms; it is only produced (non-null) when the checks found no error.
 *
 * @param neverMatchReported rules the checker already reported as unable to match, so that lowering
 *                           does not report them a second time with a vaguer message
 */
public record CheckedPolicy(List<PolicyFile> files, SymbolTable symbols, List<CheckedChain> chains,
                            Map<String, DynSet> dynamicSets, List<CheckedTest> tests,
                            Set<Rule> neverMatchReported) {

    public record CheckedChain(Hook hook, Verdict policy, List<CheckedRule> rules, Span span) {}

    /** One enabled rule; {@code id} is its name or its content-derived anonymous id. */
    public record CheckedRule(Rule ast, String id, boolean named, Verdict verdict, RejectKind reject,
                              boolean log, boolean count, String comment, RuleMatch match) {}

    /**
     * The conditions of a rule; null means "not constrained". All present conditions must hold.
     *
     * @param src      alternatives (any of): static addresses, or membership of a dynamic set
     * @param services alternatives (any of), each a protocol with its own ports or ICMP types
     * @param icmpType per family, since type names mean different numbers for icmp and icmpv6
     */
    public record RuleMatch(IntervalSet iif, IntervalSet oif, List<AddrAlt> src, List<AddrAlt> dst,
                            IntervalSet proto, List<ServiceEntry> services, IntervalSet sport,
                            IntervalSet dport, IcmpTypes icmpType, IntervalSet icmpCode,
                            IntervalSet flags, IntervalSet state) {}

    /**
     * Addresses in {@code set}, and when {@code dyn} is not null also (not) in that dynamic set.
     * For a positive dynamic set, {@code set} is the set's family.
     */
    public record AddrAlt(IntervalSet set, SetMatch dyn) {}

    /** One protocol entry of a service; null fields are unconstrained. */
    public record ServiceEntry(IntervalSet proto, IntervalSet dport, IntervalSet icmpType, IntervalSet icmpCode) {}

    /** ICMP types for ICMP over IPv4 and ICMPv6 over IPv6. */
    public record IcmpTypes(IntervalSet v4, IntervalSet v6) {}

    public record CheckedTest(Decl.Test ast, String name, Verdict expected, String expectedRule) {}
}
