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
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The C core against the reference evaluator on the same blobs and packets, through the
 * rampart-harness executable (engine-kmod/core), and the C and Java verifiers refusing the same
 * corrupted blobs with the same error code and offset. Skipped where make or a C compiler is
 * missing. Packet count: {@code -Drampart.diff.packets}, as for {@link DifferentialTest}.
 */
class NativeDifferentialTest {
    static Path harness;

    @BeforeAll
    static void build() throws Exception {
        harness = CoreBuild.make("build/rampart-harness");
    }

    static List<String> run(Path table, Path keys, boolean linear) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(harness.toString(), table.toString(), keys.toString()));
        if (linear) cmd.add("linear");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes()).lines().toList();
        p.waitFor(120, TimeUnit.SECONDS);
        return lines;
    }

    @Test
    void cWalkerAgreesWithReferenceEvaluator(@TempDir Path dir) throws Exception {
        int policies = 20, perPolicy = Math.max(1, DifferentialTest.PACKETS / policies), compared = 0;
        for (int seed = 100; seed < 100 + policies; seed++) {
            PolicyFuzz fz = new PolicyFuzz(seed, seed % 4 == 0 ? 300 : 40);
            TableCompiler.Options opt = DifferentialTest.SETTINGS[seed % DifferentialTest.SETTINGS.length];
            Path table = dir.resolve("t" + seed + ".bin"), keys = dir.resolve("k" + seed + ".bin");
            Files.write(table, TableCompiler.compile(fz.policy, opt));
            List<Hook> hooks = new ArrayList<>();
            List<Packet> packets = new ArrayList<>();
            for (int i = 0; i < perPolicy; i++) {
                hooks.add(fz.hook());
                packets.add(fz.packet());
            }
            Map<String, Integer> setIndex = new HashMap<>();
            for (String s : new TreeSet<>(fz.policy.dynamicSets().keySet())) setIndex.put(s, setIndex.size());
            try (OutputStream os = Files.newOutputStream(keys)) {
                KeyCodec.write(os, hooks, packets, fz.setContents, setIndex);
            }
            List<IrRule> allRules = new ArrayList<>();
            for (IrChain c : fz.policy.chains()) allRules.addAll(c.rules());
            for (boolean linear : new boolean[] {false, true}) {
                List<String> out = run(table, keys, linear);
                assertEquals(perPolicy, out.size(), () -> "harness output: " + out.subList(0, Math.min(3, out.size())));
                for (int i = 0; i < perPolicy; i++) {
                    IrChain chain = fz.policy.chain(hooks.get(i)).orElseThrow();
                    Evaluation ref = ReferenceEvaluator.evaluate(chain, packets.get(i), SetContents.of(fz.setContents));
                    int refIndex = ref.rule() == null ? -1 : allRules.indexOf(ref.rule());
                    String want = ref.verdict().ordinal() + " " + refIndex;
                    String where = "seed " + seed + " " + opt + (linear ? " linear" : "") + " packet "
                            + packets.get(i).describe();
                    assertEquals(want, out.get(i), where);
                    compared++;
                }
            }
        }
        assertTrue(compared >= DifferentialTest.PACKETS, "compared " + compared);
    }

    @Test
    void cAndJavaRefuseTheSameCorruptions(@TempDir Path dir) throws Exception {
        PolicyFuzz fz = new PolicyFuzz(3, 60);
        byte[] good = TableCompiler.compile(fz.policy);
        Path keys = dir.resolve("k.bin");
        try (OutputStream os = Files.newOutputStream(keys)) {
            KeyCodec.write(os, List.of(), List.of(), Map.of(), Map.of());
        }
        SplittableRandom rnd = new SplittableRandom(42);
        int refused = 0;
        for (int i = 0; i < 150; i++) {
            byte[] bad = good.clone();
            int flips = 1 + rnd.nextInt(3);
            for (int f = 0; f < flips; f++) {
                bad[rnd.nextInt(bad.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
            // Mostly re-seal the checksum so corruption reaches the structural checks.
            if (rnd.nextInt(5) != 0) reseal(bad);
            Path table = dir.resolve("c" + i + ".bin");
            Files.write(table, bad);
            TableReader.Loaded j = TableReader.read(bad);
            List<String> c = run(table, keys, false);
            String javaSays = j.ok() ? "ok" : "error " + j.error().code() + " " + j.error().offset();
            String cSays = c.isEmpty() ? "ok" : c.get(0);
            assertEquals(javaSays, cSays, "corruption " + i);
            if (!j.ok()) refused++;
        }
        assertTrue(refused > 50, "most corruptions should be refused, got " + refused);
    }

    static void reseal(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b, 16, b.length - 16);
        long v = crc.getValue();
        for (int k = 0; k < 4; k++) b[12 + k] = (byte) (v >>> (8 * k));
    }

}
