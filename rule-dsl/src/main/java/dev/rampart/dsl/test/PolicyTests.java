// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.test;

import dev.rampart.dsl.eval.Evaluation;
import dev.rampart.dsl.eval.Packet;
import dev.rampart.dsl.eval.ReferenceEvaluator;
import dev.rampart.dsl.eval.SetContents;
import dev.rampart.dsl.ir.Field;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrDump;
import dev.rampart.dsl.ir.IrPolicy;
import dev.rampart.dsl.ir.IrTest;
import dev.rampart.dsl.ir.Term;
import dev.rampart.dsl.ir.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runs a policy's own tests on the reference evaluator: the meaning of the policy, not an engine. */
public final class PolicyTests {
    private PolicyTests() {}

    /**
     * One test's outcome. {@code actualRule} is the deciding rule's id or {@link IrTest#BY_POLICY};
     * {@code trace} says, for a failed test, why each earlier rule did not match (empty when passed).
     */
    public record TestResult(IrTest test, boolean passed, Verdict actual, String actualRule, String trace) {
        public Verdict expected() { return test.expected(); }

        public String expectedRule() { return test.expectedRule(); }

        /** {@code PASS name} or {@code FAIL name: expected drop by policy, got accept by lan-web} plus the trace. */
        public String describe() {
            if (passed) return "PASS " + test.name();
            StringBuilder sb = new StringBuilder("FAIL ").append(test.name()).append(": expected ").append(test.expected().keyword());
            if (test.expectedRule() != null) sb.append(" by ").append(test.expectedRule());
            sb.append(", got ").append(actual.keyword()).append(" by ").append(actualRule).append('\n');
            sb.append(trace);
            return sb.toString();
        }
    }

    public static List<TestResult> run(IrPolicy policy) {
        List<TestResult> out = new ArrayList<>();
        for (IrTest t : policy.tests()) out.add(run(policy, t));
        return out;
    }

    public static TestResult run(IrPolicy policy, IrTest t) {
        Optional<IrChain> chain = policy.chain(t.hook());
        if (chain.isEmpty()) {
            // A hook without a chain lets everything through, as the kernel does.
            boolean pass = t.expected() == Verdict.ACCEPT && (t.expectedRule() == null || t.expectedRule().equals(IrTest.BY_POLICY));
            return new TestResult(t, pass, Verdict.ACCEPT, IrTest.BY_POLICY, pass ? "" : "  the policy has no " + t.hook().keyword() + " chain\n");
        }
        Evaluation e = ReferenceEvaluator.evaluate(chain.get(), t.packet(), SetContents.of(t.setContents()));
        String by = e.byPolicy() ? IrTest.BY_POLICY : e.rule().id();
        boolean pass = e.verdict() == t.expected() && (t.expectedRule() == null || t.expectedRule().equals(by));
        return new TestResult(t, pass, e.verdict(), by, pass ? "" : trace(e, t.packet()));
    }

    /**
     * One line per rule tried before the decision. A rule has one term per protocol/port entry and
     * address family, and listing why each failed buries the answer; the line explains the term
     * that came closest (fewest failing conditions) and shows what that term wanted.
     */
    public static String trace(Evaluation e, Packet p) {
        StringBuilder sb = new StringBuilder("  packet: ").append(p.describe()).append('\n');
        for (Evaluation.Miss m : e.trace()) {
            sb.append("  rule ").append(m.rule().id()).append(": ");
            if (m.rule().terms().isEmpty()) {
                sb.append("can never match\n");
                continue;
            }
            List<String> best = null;
            for (Term t : m.rule().terms()) {
                List<String> failures = failures(t, p);
                if (best == null || failures.size() < best.size()) best = failures;
            }
            sb.append(String.join("; ", best)).append('\n');
        }
        sb.append(e.byPolicy() ? "  no rule matched: the chain's policy decided\n" : "  rule " + e.rule().id() + " matched\n");
        return sb.toString();
    }

    /** Every condition of the term the packet fails, as "field value not in wanted". */
    private static List<String> failures(Term t, Packet p) {
        List<String> out = new ArrayList<>();
        for (Field f : Field.values()) {
            if (t.get(f).contains(p.value(f))) continue;
            out.add(f.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " " + value(f, p)
                    + " not in " + IrDump.values(f, t.get(f)));
        }
        if (t.srcSet() != null) out.add("src must " + (t.srcSet().negated() ? "not " : "") + "be in @" + t.srcSet().set());
        if (t.dstSet() != null) out.add("dst must " + (t.dstSet().negated() ? "not " : "") + "be in @" + t.dstSet().set());
        // Set conditions are only listed when nothing else failed: their contents are run-time data.
        if (out.size() > (t.srcSet() != null ? 1 : 0) + (t.dstSet() != null ? 1 : 0)) {
            out.removeIf(s -> s.startsWith("src must") || s.startsWith("dst must"));
        }
        return out;
    }

    private static String value(Field f, Packet p) {
        return switch (f) {
            case SRC -> p.src().toAddressString();
            case DST -> p.dst().toAddressString();
            case PROTO -> Packet.protoName(p.proto());
            case IIF -> "'" + p.inIf() + "'";
            case OIF -> "'" + p.outIf() + "'";
            case STATE -> p.state().keyword();
            case TCP_FLAGS -> dev.rampart.dsl.eval.TcpFlags.format(p.tcpFlags());
            default -> p.value(f).toString();
        };
    }
}
