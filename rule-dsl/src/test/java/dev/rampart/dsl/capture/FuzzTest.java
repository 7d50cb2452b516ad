// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import static dev.rampart.dsl.capture.Chains.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.rampart.dsl.capture.TracedPacket.Kind;
import dev.rampart.dsl.ir.ConnState;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Seeded random mutation of the capture corpus in rule-dsl/tests/capture/: whatever the bytes,
 * the trace ends with a result whose counts add up, never an exception. Iterations:
 * {@code -Drampart.fuzz.iterations=N} (default 2000); seed: {@code -Drampart.fuzz.seed=S}. An input
 * that breaks is written to target/fuzz-crashers/ (and with {@code -Drampart.fuzz.keep=true} to
 * tests/capture/regress/, whose files {@link #regressionFilesReplay} runs every time).
 */
class FuzzTest {
    static final Path CORPUS = Path.of("tests", "capture");
    static final Path REGRESS = CORPUS.resolve("regress");
    static final IrChain CHAIN = chain(Hook.FORWARD, Verdict.DROP,
            rule("est", Verdict.ACCEPT, state(any(), ConnState.ESTABLISHED, ConnState.RELATED)),
            rule("web", Verdict.ACCEPT, dport(proto(any(), 6), 443)),
            rule("dns", Verdict.REJECT, dport(proto(any(), 17), 53)),
            rule("ping", Verdict.ACCEPT, icmpType(proto(any(), 1), 8)));
    private static final int[] INTERESTING32 = {0, -1, 0x7fffffff, 0x80000000, 12, 28, 65535, 262144, 0x0a0d0d0a, 0x1a2b3c4d};
    private static final int[] INTERESTING16 = {0, 0xffff, 0x8100, 0x86dd, 0x0800, 44, 0x2000, 0x1fff, 40, 20};

    static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** The properties every trace has, whatever its input. */
    static void checkInvariants(byte[] input, Run run, String what) {
        TraceResult r = run.result();
        long accounted = r.evaluated() + r.malformed() + r.truncated() + r.notIp() + r.noRoom() + r.fragmentsHeld() - r.reassembled();
        assertEquals(r.frames(), accounted, what + ": every frame is accounted for exactly once");
        assertEquals(r.frames() + r.incomplete(), run.packets().size(), what + ": one report per frame and per incomplete datagram");
        long hits = r.policyHits().packets() + r.ruleHits().values().stream().mapToLong(TraceResult.Hits::packets).sum();
        assertEquals(r.evaluated(), hits, what + ": every evaluation hits a rule or the policy");
        r.error().ifPresent(e -> {
            assertTrue(e.offset() >= 0 && e.offset() <= input.length, what + ": error offset " + e.offset() + " within the file");
            assertEquals(r.frames() + 1, e.frame(), what + ": error names the frame after the last one read");
            assertFalse(e.message().isBlank());
        });
        for (TracedPacket p : run.packets()) {
            if (p.kind() == Kind.EVALUATED) assertNotNull(p.evaluation());
            else assertNotNull(p.reason(), what + ": " + p.kind() + " without a reason");
            assertFalse(p.describe().isEmpty());
        }
    }

    static byte[] mutate(byte[] in, Random rnd) {
        byte[] b = in.clone();
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n && b.length > 0; i++) {
            int pos = rnd.nextInt(b.length);
            switch (rnd.nextInt(7)) {
                case 0 -> b[pos] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> b[pos] = (byte) rnd.nextInt(256);
                case 2 -> {
                    int v = INTERESTING32[rnd.nextInt(INTERESTING32.length)];
                    for (int k = 0; k < 4 && pos + k < b.length; k++) b[pos + k] = (byte) (rnd.nextBoolean() ? v >>> (24 - 8 * k) : v >>> (8 * k));
                }
                case 3 -> b = java.util.Arrays.copyOf(b, pos);
                case 4 -> {
                    int len = Math.min(1 + rnd.nextInt(64), b.length - pos);
                    byte[] c = new byte[b.length - len];
                    System.arraycopy(b, 0, c, 0, pos);
                    System.arraycopy(b, pos + len, c, pos, b.length - pos - len);
                    b = c;
                }
                case 5 -> {
                    int len = Math.min(1 + rnd.nextInt(64), b.length - pos);
                    b = Pkt.cat(java.util.Arrays.copyOfRange(b, 0, pos + len), java.util.Arrays.copyOfRange(b, pos, b.length));
                }
                default -> {
                    int v = INTERESTING16[rnd.nextInt(INTERESTING16.length)];
                    b[pos] = (byte) (v >>> 8);
                    if (pos + 1 < b.length) b[pos + 1] = (byte) v;
                }
            }
        }
        return b;
    }

    @Test
    void corpusIsPresentAndSmall() throws IOException {
        List<Path> corpus = files(CORPUS);
        assertTrue(corpus.size() >= 5, "corpus files: " + corpus);
        for (Path p : corpus) assertTrue(Files.size(p) < 20_000, p + " is over 20 KB");
        for (Map.Entry<String, byte[]> e : CorpusFiles.build().entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(CORPUS.resolve(e.getKey())),
                    e.getKey() + " differs from what CorpusFiles builds; regenerate it");
        }
        for (Path p : corpus) {
            byte[] b = Files.readAllBytes(p);
            Run run = Run.of(b, CHAIN);
            assertTrue(run.result().error().isEmpty(), p + ": " + run.result().error());
            assertTrue(run.result().evaluated() > 0, p + " has packets to evaluate");
            checkInvariants(b, run, p.toString());
        }
    }

    @Test
    void randomMutationsNeverBreakTheTrace() throws IOException {
        int iterations = Integer.getInteger("rampart.fuzz.iterations", 2000);
        long seed = Long.getLong("rampart.fuzz.seed", 20261122L);
        List<byte[]> corpus = new ArrayList<>();
        for (Path p : files(CORPUS)) corpus.add(Files.readAllBytes(p));
        Random rnd = new Random(seed);
        int errors = 0;
        for (int i = 0; i < iterations; i++) {
            byte[] input = mutate(corpus.get(rnd.nextInt(corpus.size())), rnd);
            String what = "seed " + seed + " iteration " + i;
            try {
                Run run = Run.of(input, CHAIN, TraceOptions.defaults().withLimits(64, 8, 1 << 16));
                checkInvariants(input, run, what);
                if (run.result().error().isPresent()) errors++;
            } catch (Throwable t) {
                Path saved = keep(input, seed, i);
                fail(what + " broke the trace (input saved as " + saved + ")", t);
            }
        }
        // A fuzzer that never reaches the error paths would prove little.
        assertTrue(errors > iterations / 20, "only " + errors + " of " + iterations + " mutations hit a file error");
    }

    private static Path keep(byte[] input, long seed, int i) throws IOException {
        Path dir = Boolean.getBoolean("rampart.fuzz.keep") ? REGRESS : Path.of("target", "fuzz-crashers");
        Files.createDirectories(dir);
        Path p = dir.resolve("crash-" + seed + "-" + i + ".bin");
        Files.write(p, input);
        return p;
    }

    @Test
    void regressionFilesReplay() throws IOException {
        List<Path> regress = files(REGRESS);
        assertFalse(regress.isEmpty(), "tests/capture/regress/ holds damaged files and any input that once broke the trace");
        for (Path p : regress) {
            if (p.getFileName().toString().endsWith(".md")) continue;
            byte[] b = Files.readAllBytes(p);
            Run run = Run.of(b, CHAIN, TraceOptions.defaults().withLimits(64, 8, 1 << 16));
            checkInvariants(b, run, p.toString());
            if (!p.getFileName().toString().startsWith("crash-")) {
                assertTrue(run.result().error().isPresent(), p + " is a damaged file and must be reported as one");
            }
        }
    }
}
