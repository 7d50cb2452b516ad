// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.classbench;

import dev.rampart.dsl.eval.Evaluation;
import dev.rampart.dsl.eval.Packet;
import dev.rampart.dsl.eval.ReferenceEvaluator;
import dev.rampart.dsl.eval.SetContents;
import dev.rampart.dsl.ir.Field;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrPolicy;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.ir.U128;
import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.SourceFile;
import dev.rampart.dsl.table.Decision;
import dev.rampart.dsl.table.Table;
import dev.rampart.dsl.table.TableCompiler;
import dev.rampart.dsl.table.TableReader;
import dev.rampart.dsl.table.TableWalker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ClassBenchTest {
    static final String RULES = """
            @10.0.0.0/8\t192.168.1.1/32\t0 : 65535\t80 : 80\t0x06/0xFF\t0x0000/0x0000
            @0.0.0.0/0\t192.168.1.0/24\t1024 : 65535\t0 : 65535\t0x11/0xFF\t0x1000/0x1000
            @0.0.0.0/0\t0.0.0.0/0\t0 : 65535\t0 : 65535\t0x00/0x00\t0x0000/0x0000
            """;

    static IrPolicy parse(String text) {
        Result<IrPolicy> r = ClassBench.parseRules(new SourceFile("t.rules", text));
        assertTrue(r.ok(), () -> r.diagnostics().all().toString());
        return r.value();
    }

    @Test
    void rulesBecomeOneForwardChainInFileOrder() {
        IrPolicy p = parse(RULES);
        IrChain c = p.chain(Hook.FORWARD).orElseThrow();
        assertEquals(3, c.rules().size());
        assertEquals("cb0", c.rules().get(0).id());
        IrRule r0 = c.rules().get(0);
        assertTrue(r0.terms().get(0).get(Field.SRC).contains(U128.ofV4(0x0a010203)));
        assertFalse(r0.terms().get(0).get(Field.SRC).contains(U128.ofV4(0x0b000000)));
        assertEquals(List.of(dev.rampart.dsl.ir.Interval.of(6, 6)), r0.terms().get(0).get(Field.PROTO).intervals());
        assertEquals(Field.PROTO.universe(), c.rules().get(2).terms().get(0).get(Field.PROTO));
    }

    @Test
    void traceWithExpectedColumnMatchesFirstRule() {
        IrPolicy p = parse(RULES);
        String trace = """
                167772161\t3232235777\t5000\t80\t6\t0
                167772161\t3232235777\t5000\t81\t6\t2
                1\t3232235778\t2000\t53\t17\t1
                """;
        ClassBench.Trace t = ClassBench.parseTrace(new SourceFile("t.trace", trace)).value();
        assertTrue(t.hasExpected());
        Table table = TableReader.read(TableCompiler.compile(p)).table();
        for (int i = 0; i < t.packets().size(); i++) {
            Decision d = TableWalker.classify(table, Hook.FORWARD, t.packets().get(i), SetContents.EMPTY).orElseThrow();
            assertEquals(t.expected()[i], d.ruleIndex(), "header " + i);
        }
    }

    @Test
    void badLinesGetLocatedDiagnostics() {
        Result<IrPolicy> r = ClassBench.parseRules(new SourceFile("bad.rules",
                "@10.0.0.0/8\t1.2.3.4/32\t0 : 65535\t80 : 80\t0x06/0xFF\t0x0000/0x0000\n"
                        + "@10.0.0.300/8\t1.2.3.4/32\t0 : 65535\t80 : 80\t0x06/0xFF\t0x0000/0x0000\n"
                        + "@10.0.0.0/8\t1.2.3.4/32\t0 : 65535\t90 : 80\t0x06/0xFF\t0x0000/0x0000\n"));
        assertFalse(r.ok());
        List<Diagnostic> d = r.diagnostics().sorted();
        assertEquals(2, d.size());
        assertTrue(d.get(0).headline().startsWith("bad.rules:2:"), d.get(0).headline());
        assertTrue(d.get(0).message().contains("10.0.0.300"), d.get(0).message());
        assertTrue(d.get(1).headline().startsWith("bad.rules:3:"), d.get(1).headline());
        assertTrue(d.get(1).message().contains("inverted"), d.get(1).message());
    }

    @Test
    void generatedRuleFileRoundTrips() {
        IrPolicy p = RuleSetGenerator.rules(RuleSetGenerator.Kind.FW, false, 200, 3);
        StringBuilder sb = new StringBuilder();
        for (IrRule r : p.chains().get(0).rules()) sb.append(ClassBench.formatRule(r.terms().get(0))).append('\n');
        IrPolicy back = parse(sb.toString());
        for (int i = 0; i < 200; i++) {
            assertEquals(p.chains().get(0).rules().get(i).terms(), back.chains().get(0).rules().get(i).terms(), "rule " + i);
        }
    }

    /** Generated sets of each family, both address families: walker and reference agree on traces. */
    @ParameterizedTest
    @ValueSource(strings = {"ACL", "FW", "IPC"})
    void generatedSetsClassifyLikeTheReference(String kind) {
        for (boolean v6 : new boolean[] {false, true}) {
            IrPolicy p = RuleSetGenerator.rules(RuleSetGenerator.Kind.valueOf(kind), v6, 800, 9);
            IrChain c = p.chains().get(0);
            Table t = TableReader.read(TableCompiler.compile(p)).table();
            List<Packet> trace = RuleSetGenerator.trace(p, 2000, 10);
            int matched = 0;
            for (Packet pk : trace) {
                Evaluation ref = ReferenceEvaluator.evaluate(c, pk, SetContents.EMPTY);
                Decision d = TableWalker.classify(t, Hook.FORWARD, pk, SetContents.EMPTY).orElseThrow();
                int want = ref.rule() == null ? -1 : c.rules().indexOf(ref.rule());
                assertEquals(want, d.ruleIndex(), kind + (v6 ? " v6 " : " v4 ") + pk.describe());
                if (want >= 0) matched++;
            }
            assertTrue(matched > trace.size() * 9 / 10, "trace headers are drawn inside rules: " + matched);
        }
    }

    /** The ClassBench files beside the repository, when present: every header's expected rule. */
    @Test
    void sharedClassBenchTracesWhenPresent() throws IOException {
        Path dir = Path.of(System.getProperty("rampart.classbench.dir", "../../shared/classbench"));
        assumeTrue(Files.isDirectory(dir), "no ClassBench folder at " + dir.toAbsolutePath());
        int checked = 0;
        for (String s : new String[] {"acl1_1k", "fw1_1k", "ipc1_1k"}) {
            Path rules = dir.resolve(s + ".rules"), trace = dir.resolve(s + ".trace");
            if (!Files.exists(rules) || !Files.exists(trace)) continue;
            IrPolicy p = parse(Files.readString(rules));
            ClassBench.Trace tr = ClassBench.parseTrace(new SourceFile(trace.toString(), Files.readString(trace))).value();
            Table t = TableReader.read(TableCompiler.compile(p)).table();
            int mismatches = 0;
            for (int i = 0; i < tr.packets().size(); i++) {
                Decision d = TableWalker.classify(t, Hook.FORWARD, tr.packets().get(i), SetContents.EMPTY).orElseThrow();
                if (d.ruleIndex() != tr.expected()[i]) mismatches++;
                checked++;
            }
            assertEquals(0, mismatches, s);
        }
        assumeTrue(checked > 0, "no 1k sets in " + dir);
    }
}
