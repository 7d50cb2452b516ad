// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.parse;

import dev.rampart.dsl.gen.PolicyTextGenerator;
import dev.rampart.dsl.golden.Golden;
import dev.rampart.dsl.source.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Seeded random mutation of the golden corpus. Each mutant must satisfy {@link ParseInvariants}.
 * A failing input is written to target/fuzz-crashers/; copy it to tests/parse/regress/ so that
 * {@link #regressions()} replays it from then on. Longer runs:
 * {@code -Drampart.fuzz.iterations=200000 -Drampart.fuzz.seed=7}.
 */
class FuzzTest {
    static final int ITERATIONS = Integer.getInteger("rampart.fuzz.iterations", 3000);
    static final long SEED = Long.getLong("rampart.fuzz.seed", 20261122L);
    static final Path REGRESS = Path.of("tests", "parse", "regress");

    private static final String PALETTE = "{}[]!@$,=:-> \"#\n\t\r\\/*.0123456789abcdefxyz_;%'\0\u00e9\uffff\ud800";
    private static final List<String> KEYWORDS = List.of("rule", "chain", "net", "host", "test", "expect", "accept",
            "from", "flags", "syn", "/", "->", "[", "]", "{", "}", "!", "$", "@", ",", ":", "=", "\"", "#", "\n",
            "service", "tcp", "icmp", "proto", "with", "dynamic", "::", "fd00::1:", "10.0.0.1:80", "any");

    @Test
    void mutatedCorpusKeepsTheInvariants() throws IOException {
        List<String> corpus = corpus();
        Random rnd = new Random(SEED);
        for (int i = 0; i < ITERATIONS; i++) {
            String base = corpus.get(rnd.nextInt(corpus.size()));
            String mutant = mutate(base, corpus, rnd);
            SourceFile f = new SourceFile("fuzz-" + i + ".rampart", mutant);
            try {
                ParseInvariants.check(f);
                if (i % 4 == 0) ParseInvariants.checkPacket(new SourceFile("<packet>", mutant.length() > 300 ? mutant.substring(0, 300) : mutant));
            } catch (Throwable t) {
                Path saved = save("crash-" + SEED + "-" + i + ".rampart", mutant);
                throw new AssertionError("iteration " + i + " (seed " + SEED + ") failed; input saved to " + saved
                        + "; copy it to " + REGRESS + " once fixed", t);
            }
        }
    }

    @Test
    void mutatedPacketsKeepTheInvariants() throws IOException {
        Random rnd = new Random(SEED + 1);
        PolicyTextGenerator gen = new PolicyTextGenerator(SEED);
        List<String> packets = new ArrayList<>();
        for (int i = 0; i < 50; i++) packets.add(gen.packet());
        for (int i = 0; i < ITERATIONS / 3; i++) {
            String mutant = mutate(packets.get(rnd.nextInt(packets.size())), packets, rnd);
            try {
                ParseInvariants.checkPacket(new SourceFile("<packet>", mutant));
            } catch (Throwable t) {
                Path saved = save("packet-crash-" + SEED + "-" + i + ".txt", mutant);
                throw new AssertionError("packet iteration " + i + " failed; input saved to " + saved, t);
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> regressions() {
        return Golden.policies(REGRESS).stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(),
                () -> ParseInvariants.check(Golden.source(p))));
    }

    static List<String> corpus() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(Path.of("tests"))) {
            s.filter(p -> p.toString().endsWith(".rampart")).sorted().forEach(p -> out.add(Golden.read(p)));
        }
        if (out.isEmpty()) throw new IllegalStateException("empty fuzz corpus under " + Path.of("tests").toAbsolutePath());
        return out;
    }

    static String mutate(String base, List<String> corpus, Random rnd) {
        StringBuilder sb = new StringBuilder(base);
        int n = 1 + rnd.nextInt(4);
        for (int k = 0; k < n; k++) {
            int len = sb.length();
            int at = len == 0 ? 0 : rnd.nextInt(len + 1);
            int span = 1 + rnd.nextInt(Math.max(1, Math.min(40, len - at + 1)));
            int end = Math.min(len, at + span);
            switch (rnd.nextInt(8)) {
                case 0 -> sb.delete(at, end);
                case 1 -> sb.insert(at, sb.substring(at, end));
                case 2 -> {
                    int m = 1 + rnd.nextInt(6);
                    for (int j = 0; j < m; j++) sb.insert(at, PALETTE.charAt(rnd.nextInt(PALETTE.length())));
                }
                case 3 -> sb.insert(at, " " + KEYWORDS.get(rnd.nextInt(KEYWORDS.size())) + " ");
                case 4 -> {
                    String chunk = sb.substring(at, end);
                    sb.delete(at, end);
                    sb.insert(rnd.nextInt(sb.length() + 1), chunk);
                }
                case 5 -> {
                    if (at < len) sb.setCharAt(at, PALETTE.charAt(rnd.nextInt(PALETTE.length())));
                }
                case 6 -> sb.setLength(at);
                default -> {
                    String other = corpus.get(rnd.nextInt(corpus.size()));
                    int from = other.isEmpty() ? 0 : rnd.nextInt(other.length());
                    sb.insert(at, other, from, Math.min(other.length(), from + 1 + rnd.nextInt(120)));
                }
            }
        }
        return sb.toString();
    }

    private static Path save(String name, String text) {
        try {
            Path dir = Path.of("target", "fuzz-crashers");
            Files.createDirectories(dir);
            Path p = dir.resolve(name);
            Files.writeString(p, text, StandardCharsets.UTF_8);
            return p.toAbsolutePath();
        } catch (IOException e) {
            return Path.of("(could not save: " + e.getMessage() + ")");
        }
    }
}
