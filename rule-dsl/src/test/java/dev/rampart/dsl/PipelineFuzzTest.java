// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rampart.dsl.golden.Golden;
import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.dsl.source.SourceFile;
import dev.rampart.dsl.test.PolicyTests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Word-level mutants of the golden policies: a word swapped for another word of the corpus keeps
 * most inputs parseable while making them semantically odd (a service where a net belongs, a port
 * of 99999, a zone in a test), which is what the checker, lowering and analysis must survive.
 * Every run must end in diagnostics or an IR, never an exception, and every error needs a span.
 */
class PipelineFuzzTest {
    static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.:/*@$-]+");

    @Test
    void mutantsNeverThrow() throws IOException {
        List<String> corpus = new ArrayList<>();
        try (Stream<Path> s = Files.walk(Path.of("tests"))) {
            s.filter(p -> p.toString().endsWith(".rampart")).sorted().forEach(p -> corpus.add(Golden.read(p)));
        }
        List<String> words = new ArrayList<>();
        for (String c : corpus) {
            Matcher m = WORD.matcher(c);
            while (m.find()) words.add(m.group());
        }
        Random rnd = new Random(11);
        int reachedChecks = 0, compiled = 0;
        for (int i = 0; i < 1500; i++) {
            String base = corpus.get(rnd.nextInt(corpus.size()));
            String text = mutate(base, words, rnd);
            try {
                Pipeline.Compiled c = Pipeline.run(new SourceFile("fuzz.rampart", text), Path.of("tests"));
                for (Diagnostic d : c.diagnostics().all()) assertTrue(d.span() != null && !d.message().isEmpty());
                if (c.files() != null && c.diagnostics().all().stream().noneMatch(d -> d.code().equals("syntax"))) reachedChecks++;
                if (c.ok()) {
                    compiled++;
                    PolicyTests.run(c.ir()).forEach(PolicyTests.TestResult::describe);
                }
            } catch (RuntimeException | StackOverflowError e) {
                fail("pipeline threw on mutant " + i + ":\n" + text, e);
            }
        }
        assertTrue(reachedChecks > 300, "too few mutants got past the parser: " + reachedChecks);
        assertTrue(compiled > 50, "too few mutants compiled: " + compiled);
    }

    static String mutate(String base, List<String> words, Random rnd) {
        List<int[]> spans = new ArrayList<>();
        Matcher m = WORD.matcher(base);
        while (m.find()) spans.add(new int[] {m.start(), m.end()});
        if (spans.isEmpty()) return base;
        StringBuilder sb = new StringBuilder(base);
        int n = 1 + rnd.nextInt(3);
        for (int k = 0; k < n; k++) {
            int[] s = spans.get(rnd.nextInt(spans.size()));
            if (s[1] > sb.length()) continue;
            String w = words.get(rnd.nextInt(words.size()));
            sb.replace(s[0], s[1], w);
            int delta = w.length() - (s[1] - s[0]);
            for (int[] t : spans) {
                if (t[0] > s[0]) {
                    t[0] += delta;
                    t[1] += delta;
                }
            }
            s[1] = s[0] + w.length();
        }
        return sb.toString();
    }
}
