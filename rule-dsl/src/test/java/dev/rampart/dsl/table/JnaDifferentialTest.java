// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.table;

import dev.rampart.dsl.eval.Evaluation;
import dev.rampart.dsl.eval.Packet;
import dev.rampart.dsl.eval.ReferenceEvaluator;
import dev.rampart.dsl.eval.SetContents;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The C core called in-process through {@link NativeTable} (JNA, librampart-core.so built here by
 * make) against the Java walker and the reference evaluator on generated policies using every
 * field type and dynamic sets, and the C verifier behind JNA refusing corrupted blobs with the
 * Java verifier's code and offset. Packet count: {@code -Drampart.diff.packets}.
 */
class JnaDifferentialTest {
    static Path lib;

    @BeforeAll
    static void build() throws Exception {
        lib = CoreBuild.make("build/librampart-core.so");
    }

    @Test
    void nativeEqualsJavaWalkerEqualsReference() throws Exception {
        int policies = 20, perPolicy = Math.max(1, DifferentialTest.PACKETS / policies), compared = 0, byRule = 0;
        for (int seed = 500; seed < 500 + policies; seed++) {
            PolicyFuzz fz = new PolicyFuzz(seed, seed % 4 == 0 ? 300 : 40);
            TableCompiler.Options opt = DifferentialTest.SETTINGS[seed % DifferentialTest.SETTINGS.length];
            byte[] blob = TableCompiler.compile(fz.policy, opt);
            Table jt = TableReader.read(blob).table();
            SetContents sets = SetContents.of(fz.setContents);
            List<IrRule> allRules = new ArrayList<>();
            for (IrChain c : fz.policy.chains()) allRules.addAll(c.rules());
            Hook[] hooks = new Hook[perPolicy];
            Packet[] packets = new Packet[perPolicy];
            long[][] keys = new long[perPolicy][];
            for (int i = 0; i < perPolicy; i++) {
                hooks[i] = fz.hook();
                packets[i] = fz.packet();
                keys[i] = KeyCodec.words(packets[i]);
            }
            int[] verdicts = new int[perPolicy], rules = new int[perPolicy];
            try (NativeTable nt = NativeTable.open(lib, blob)) {
                nt.setElements(fz.setContents);
                nt.classify(hooks, keys, 0, perPolicy, verdicts, rules);
                for (int i = 0; i < perPolicy; i++) {
                    Decision java = TableWalker.classify(jt, hooks[i], keys[i], sets).orElseThrow();
                    Evaluation ref = ReferenceEvaluator.evaluate(fz.policy.chain(hooks[i]).orElseThrow(), packets[i], sets);
                    int refIndex = ref.rule() == null ? -1 : allRules.indexOf(ref.rule());
                    if (verdicts[i] != ref.verdict().ordinal() || rules[i] != refIndex || java.ruleIndex() != refIndex) {
                        fail("seed " + seed + " " + opt + " hook " + hooks[i] + " packet " + packets[i].describe()
                                + ": reference " + ref.verdict() + " rule " + refIndex + ", native " + verdicts[i]
                                + " rule " + rules[i] + ", java " + java);
                    }
                    // The one-key call returns the whole decision (id, log, count, reject kind).
                    if (i % 16 == 0) assertEquals(Optional.of(java), nt.classify(hooks[i], keys[i]), "seed " + seed);
                    if (refIndex >= 0) byRule++;
                    compared++;
                }
            }
        }
        assertTrue(compared >= DifferentialTest.PACKETS, "compared " + compared);
        assertTrue(byRule > compared / 10, "too few packets matched a rule: " + byRule);
    }

    @Test
    void setSnapshotDecidesMembership() throws Exception {
        // The same packets with and without the set elements: some answers must change, and each
        // side must still equal the Java walker given the same contents.
        PolicyFuzz fz = new PolicyFuzz(7, 300);
        byte[] blob = TableCompiler.compile(fz.policy);
        Table jt = TableReader.read(blob).table();
        int changed = 0;
        try (NativeTable nt = NativeTable.open(lib, blob)) {
            for (int i = 0; i < 4000; i++) {
                Hook h = fz.hook();
                long[] k = KeyCodec.words(fz.packet());
                nt.setElements(Map.of());
                Optional<Decision> empty = nt.classify(h, k);
                assertEquals(TableWalker.classify(jt, h, k, SetContents.EMPTY), empty);
                nt.setElements(fz.setContents);
                Optional<Decision> full = nt.classify(h, k);
                assertEquals(TableWalker.classify(jt, h, k, SetContents.of(fz.setContents)), full);
                if (!empty.equals(full)) changed++;
            }
        }
        assertTrue(changed > 0, "set contents never changed an answer: the test proves nothing");
    }

    @Test
    void cVerifierBehindJnaRefusesLikeJava() throws Exception {
        PolicyFuzz fz = new PolicyFuzz(11, 60);
        byte[] good = TableCompiler.compile(fz.policy);
        SplittableRandom rnd = new SplittableRandom(7);
        int refused = 0;
        for (int i = 0; i < 150; i++) {
            byte[] bad = good.clone();
            for (int f = 1 + rnd.nextInt(3); f > 0; f--) bad[rnd.nextInt(bad.length)] ^= (byte) (1 << rnd.nextInt(8));
            if (rnd.nextInt(5) != 0) NativeDifferentialTest.reseal(bad);
            TableReader.Loaded j = TableReader.read(bad);
            try (NativeTable nt = NativeTable.open(lib, bad)) {
                assertTrue(j.ok(), "corruption " + i + ": C accepted, Java refused with " + (j.ok() ? "" : j.error().describe()));
                // Accepted corruptions must still classify like the Java walker.
                for (int p = 0; p < 50; p++) {
                    Hook h = fz.hook();
                    long[] k = KeyCodec.words(fz.packet());
                    assertEquals(TableWalker.classify(j.table(), h, k, SetContents.EMPTY), nt.classify(h, k), "corruption " + i);
                }
            } catch (NativeTable.Refused e) {
                assertTrue(!j.ok(), "corruption " + i + ": Java accepted, C refused with " + e.getMessage());
                assertEquals(j.error(), e.error(), "corruption " + i);
                assertTrue(e.getMessage().contains("at byte offset " + j.error().offset()), e.getMessage());
                refused++;
            }
        }
        assertTrue(refused > 50, "most corruptions should be refused, got " + refused);
        NativeTable.Refused empty = assertThrows(NativeTable.Refused.class, () -> NativeTable.open(lib, new byte[0]));
        assertEquals(new TableError(TableFormat.E_SHORT, 0), empty.error());
    }

    @Test
    void missingHookAndMissingLibrary() throws Exception {
        PolicyFuzz fz = new PolicyFuzz(3, 20);
        for (int seed = 4; fz.policy.chains().size() == Hook.values().length; seed++) fz = new PolicyFuzz(seed, 20);
        byte[] blob = TableCompiler.compile(fz.policy);
        int absent = 0;
        try (NativeTable nt = NativeTable.open(lib, blob)) {
            for (Hook h : Hook.values()) {
                long[] k = KeyCodec.words(fz.packet());
                boolean has = fz.policy.chain(h).isPresent();
                assertEquals(has, nt.classify(h, k).isPresent(), h.toString());
                int[] v = new int[1], r = new int[1];
                nt.classify(new Hook[] {h}, new long[][] {k}, 0, 1, v, r);
                assertEquals(has, v[0] >= 0, h.toString());
                if (!has) absent++;
            }
        }
        assertTrue(absent > 0);
        NativeTable.Unavailable u = assertThrows(NativeTable.Unavailable.class,
                () -> NativeTable.open(lib.resolveSibling("no-such-librampart.so"), blob));
        assertTrue(u.getMessage().contains("make -C engine-kmod/core"), u.getMessage());
    }
}
