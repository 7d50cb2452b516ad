// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.dsl.Pipeline;
import dev.rampart.dsl.ir.Field;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.IntervalSet;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.ir.RejectKind;
import dev.rampart.dsl.ir.SetMatch;
import dev.rampart.dsl.ir.Term;
import dev.rampart.dsl.ir.Verdict;
import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.dsl.source.DiagnosticRenderer;
import dev.rampart.dsl.source.SourceFile;
import dev.rampart.dsl.source.Span;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UnreachableTest {
    /** The fields the random rules constrain, each over a tiny range; all others stay universal. */
    static final Field[] SMALL = {Field.SRC, Field.DST, Field.DPORT, Field.PROTO, Field.STATE};
    static final int[] SIZE = {8, 8, 6, 3, 4};
    static final Span NOWHERE = Span.of(new SourceFile("gen", ""), 0, 0);

    @Test
    void exactAgainstEnumerationOnSmallUniverses() {
        Random rnd = new Random(7);
        int unreachable = 0, reachable = 0;
        for (int round = 0; round < 300; round++) {
            List<IrRule> rules = new ArrayList<>();
            int n = 2 + rnd.nextInt(7);
            for (int i = 0; i < n; i++) rules.add(randomRule(rnd, "r" + i));
            IrChain chain = new IrChain(Hook.FORWARD, Verdict.DROP, rules, NOWHERE);
            Map<String, Unreachable.Finding> found = new HashMap<>();
            for (Unreachable.Finding f : Unreachable.find(chain)) found.put(f.rule().id(), f);
            for (int i = 0; i < n; i++) {
                boolean covered = coveredByEnumeration(rules, i);
                Unreachable.Finding f = found.get(rules.get(i).id());
                if (f != null) assertEquals(Unreachable.Kind.UNREACHABLE, f.kind());
                assertEquals(covered, f != null, "rule " + i + " of round " + round + ": " + rules);
                if (covered) {
                    unreachable++;
                    // The named rules alone must cover it too.
                    List<IrRule> only = new ArrayList<>(f.coveredBy());
                    only.add(rules.get(i));
                    assertTrue(coveredByEnumeration(only, only.size() - 1), "covering rules do not cover: " + f);
                } else {
                    reachable++;
                }
            }
        }
        assertTrue(unreachable > 100 && reachable > 100, unreachable + " unreachable, " + reachable + " reachable: generator unbalanced");
    }

    /** Rule i is covered iff every point of its terms lies in a set-free term of an earlier rule. */
    static boolean coveredByEnumeration(List<IrRule> rules, int i) {
        List<boolean[][]> mine = new ArrayList<>(), earlier = new ArrayList<>();
        for (Term t : rules.get(i).terms()) mine.add(table(t));
        for (int j = 0; j < i; j++) {
            for (Term t : rules.get(j).terms()) if (t.srcSet() == null && t.dstSet() == null) earlier.add(table(t));
        }
        return enumerate(mine, earlier, new int[SMALL.length], 0);
    }

    /** Membership per field and value, straight from IntervalSet.contains: the oracle shares no code with the analysis. */
    private static boolean[][] table(Term t) {
        boolean[][] m = new boolean[SMALL.length][];
        for (int d = 0; d < SMALL.length; d++) {
            m[d] = new boolean[SIZE[d]];
            for (int x = 0; x < SIZE[d]; x++) m[d][x] = t.get(SMALL[d]).contains(x);
        }
        return m;
    }

    private static boolean enumerate(List<boolean[][]> mine, List<boolean[][]> earlier, int[] v, int d) {
        if (d == SMALL.length) {
            boolean inRule = false;
            for (boolean[][] t : mine) inRule |= contains(t, v);
            if (!inRule) return true;
            for (boolean[][] t : earlier) if (contains(t, v)) return true;
            return false;
        }
        for (int x = 0; x < SIZE[d]; x++) {
            v[d] = x;
            if (!enumerate(mine, earlier, v, d + 1)) return false;
        }
        return true;
    }

    private static boolean contains(boolean[][] t, int[] v) {
        for (int d = 0; d < SMALL.length; d++) if (!t[d][v[d]]) return false;
        return true;
    }

    static IrRule randomRule(Random rnd, String id) {
        List<Term> terms = new ArrayList<>();
        int k = 1 + rnd.nextInt(2);
        for (int i = 0; i < k; i++) {
            Map<Field, IntervalSet> f = new EnumMap<>(Field.class);
            for (int d = 0; d < SMALL.length; d++) {
                IntervalSet s = IntervalSet.empty();
                if (rnd.nextInt(3) == 0) {
                    s = IntervalSet.range(0, SIZE[d] - 1);
                } else {
                    int parts = 1 + rnd.nextInt(2);
                    for (int p = 0; p < parts; p++) {
                        int a = rnd.nextInt(SIZE[d]), b = Math.min(SIZE[d] - 1, a + rnd.nextInt(SIZE[d]));
                        s = s.union(IntervalSet.range(a, b));
                    }
                }
                f.put(SMALL[d], s);
            }
            SetMatch set = rnd.nextInt(8) == 0 ? new SetMatch("bl", rnd.nextBoolean()) : null;
            terms.add(new Term(f, set, null));
        }
        return new IrRule(id, IrRule.numericIdOf(id), true, Verdict.ACCEPT, RejectKind.AUTO, false, false, null, terms, NOWHERE);
    }

    @Test
    void reportedWithTheCoveringRulesAtTheRule() {
        String src = """
                chain input policy drop {
                  rule low: proto tcp dport 0-1023 accept
                  rule high: proto tcp dport 1024-65535 accept
                  rule ssh: proto tcp dport 22 from 10.0.0.0/8 drop
                  rule udp: proto udp accept
                }
                """;
        Pipeline.Compiled c = Pipeline.run(new SourceFile("u.rampart", src));
        List<Diagnostic> ds = c.diagnostics().all().stream().filter(d -> d.code().equals("unreachable-rule")).toList();
        assertEquals(1, ds.size(), DiagnosticRenderer.renderAll(c.diagnostics()));
        Diagnostic d = ds.get(0);
        assertEquals("rule 'ssh' can never match: earlier rule 'low' covers every packet it matches", d.message());
        assertEquals(4, d.span().line());
        assertEquals(3, d.span().column());
    }

    @Test
    void jointCoverAndSetConditions() {
        String src = """
                set bl dynamic
                chain forward policy drop {
                  rule a: from 10.0.0.0/9 accept
                  rule b: from 10.128.0.0/9 accept
                  rule c: from 10.1.2.3 proto udp accept
                  rule blocked: from @bl drop
                  rule d: from 11.0.0.1 accept
                  rule e: from 11.0.0.1 to @bl drop
                }
                """;
        Pipeline.Compiled c = Pipeline.run(new SourceFile("u.rampart", src));
        List<String> msgs = c.diagnostics().all().stream().filter(d -> d.code().equals("unreachable-rule")).map(Diagnostic::message).toList();
        // c is covered by a alone; e (with its own set condition) by d; d is NOT covered by 'blocked'.
        assertEquals(List.of("rule 'c' can never match: earlier rule 'a' covers every packet it matches",
                "rule 'e' can never match: earlier rule 'd' covers every packet it matches"), msgs);
        String two = """
                chain forward policy drop {
                  rule a: from 10.0.0.0/9 accept
                  rule b: from 10.128.0.0/9 accept
                  rule c: from 10.0.0.0/8 proto udp accept
                }
                """;
        List<String> m2 = Pipeline.run(new SourceFile("u.rampart", two)).diagnostics().all().stream().map(Diagnostic::message).toList();
        assertEquals(List.of("rule 'c' can never match: earlier rules 'a' and 'b' cover every packet it matches"), m2);
    }

    @Test
    void workCapGivesUndecidedInsteadOfAGuess() {
        // A 20 x 20 grid of single port pairs covers the last rule exactly, but only piece by piece.
        StringBuilder sb = new StringBuilder("chain forward policy drop {\n");
        for (int i = 0; i < 20; i++) {
            for (int j = 0; j < 20; j++) {
                sb.append("  rule g").append(i).append('-').append(j).append(": proto tcp sport ").append(1000 + i)
                        .append(" dport ").append(2000 + j).append(" accept\n");
            }
        }
        sb.append("  rule last: proto tcp sport 1000-1019 dport 2000-2019 accept\n}\n");
        IrChain chain = Pipeline.run(new SourceFile("w.rampart", sb.toString())).ir().chains().get(0);
        List<Unreachable.Finding> capped = Unreachable.find(chain, 100);
        assertEquals(1, capped.size(), capped.toString());
        assertEquals(Unreachable.Kind.UNDECIDED, capped.get(0).kind());
        assertEquals("last", capped.get(0).rule().id());
        assertEquals("analysis-incomplete", capped.get(0).toDiagnostic().code());
        List<Unreachable.Finding> full = Unreachable.find(chain);
        assertEquals(1, full.size());
        assertEquals(Unreachable.Kind.UNREACHABLE, full.get(0).kind());
        assertEquals(400, full.get(0).coveredBy().size());
        assertTrue(full.get(0).toDiagnostic().message().endsWith("'g0-4' and 395 more cover every packet it matches"),
                full.get(0).toDiagnostic().message());
    }
}
