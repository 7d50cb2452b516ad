// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.table;

import dev.rampart.dsl.eval.Evaluation;
import dev.rampart.dsl.eval.Packet;
import dev.rampart.dsl.eval.ReferenceEvaluator;
import dev.rampart.dsl.eval.SetContents;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrRule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The reference evaluator, the Java tree walker and the Java linear walker agree on every packet,
 * over random policies using every field type and several compiler settings (including ones that
 * force deep trees with tiny leaves and heavy replication). CI runs about 50k packets; the full
 * run is {@code mvn -o test -pl rule-dsl -Dtest=DifferentialTest -Drampart.diff.packets=1000000}.
 */
class DifferentialTest {
    static final int PACKETS = Integer.getInteger("rampart.diff.packets", 50_000);
    static final int POLICIES = 40;

    static final TableCompiler.Options[] SETTINGS = {
        TableCompiler.Options.DEFAULT,
        new TableCompiler.Options(1, 16, 64, 64, true, true),
        new TableCompiler.Options(2, 2, 1, 3, false, true),
        TableCompiler.Options.LINEAR,
    };

    @Test
    void walkersAgreeWithReferenceEvaluator() {
        int perPolicy = Math.max(1, PACKETS / POLICIES), compared = 0, policyDecided = 0, ruleDecided = 0;
        for (int seed = 1; seed <= POLICIES; seed++) {
            PolicyFuzz fz = new PolicyFuzz(seed, seed % 5 == 0 ? 300 : 40);
            SetContents sets = SetContents.of(fz.setContents);
            List<IrRule> allRules = new ArrayList<>();
            for (IrChain c : fz.policy.chains()) allRules.addAll(c.rules());
            TableCompiler.Options opt = SETTINGS[seed % SETTINGS.length];
            byte[] blob = TableCompiler.compile(fz.policy, opt);
            TableReader.Loaded loaded = TableReader.read(blob);
            assertTrue(loaded.ok(), () -> "seed " + "refused: " + loaded.error().describe());
            Table t = loaded.table();
            for (int i = 0; i < perPolicy; i++) {
                Hook hook = fz.hook();
                Packet p = fz.packet();
                IrChain chain = fz.policy.chain(hook).orElseThrow();
                Evaluation ref = ReferenceEvaluator.evaluate(chain, p, sets);
                long[] key = KeyCodec.words(p);
                Decision tree = TableWalker.classify(t, hook, key, sets).orElseThrow();
                Decision lin = TableWalker.classifyLinear(t, hook, key, sets).orElseThrow();
                IrRule got = tree.byPolicy() ? null : allRules.get(tree.ruleIndex());
                if (got != ref.rule() || tree.verdict() != ref.verdict() || !tree.equals(lin)) {
                    fail("seed " + seed + " options " + opt + " hook " + hook + " packet " + p.describe() + ": reference "
                            + (ref.rule() == null ? "policy" : ref.rule().id()) + " " + ref.verdict() + ", tree "
                            + (got == null ? "policy" : got.id()) + " " + tree.verdict() + ", linear " + lin);
                }
                if (got != null) {
                    assertEquals(got.numericId(), tree.ruleId());
                    assertEquals(got.log(), tree.log());
                    assertEquals(got.reject(), tree.reject());
                    ruleDecided++;
                } else {
                    policyDecided++;
                }
                compared++;
            }
        }
        // The generator must exercise both outcomes, or agreement would prove little.
        assertTrue(ruleDecided > compared / 10, "too few packets matched a rule: " + ruleDecided);
        assertTrue(policyDecided > compared / 20, "too few packets fell to the policy: " + policyDecided);
    }

    @Test
    void hookWithoutChainHasNoDecision() {
        PolicyFuzz fz = new PolicyFuzz(7, 10);
        Table t = TableReader.read(TableCompiler.compile(fz.policy)).table();
        for (Hook h : Hook.values()) {
            Optional<Decision> d = TableWalker.classify(t, h, fz.packet(), SetContents.EMPTY);
            assertEquals(fz.policy.chain(h).isPresent(), d.isPresent(), h.keyword());
        }
    }
}
