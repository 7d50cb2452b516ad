// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.dsl.source.Diagnostics;
import dev.rampart.dsl.source.Severity;
import dev.rampart.dsl.source.SourceFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * Golden-file testing: a policy next to a side file holding the expected output of some phase,
 * compared as text. Run with {@code -Drampart.golden.update=true} to rewrite the side files from
 * the actual output instead (then review the diff before committing).
 *
 * <p>Policies can also carry their expectations inline, as comments:
 * {@code # error[unknown-name]: 5:12} means "a diagnostic of severity error, code unknown-name,
 * starting at line 5, column 12".
 */
public final class Golden {
    private Golden() {}

    public static final String UPDATE_PROPERTY = "rampart.golden.update";

    private static final Pattern EXPECTATION =
            Pattern.compile("#\\s*(error|warning|info)\\[([a-z0-9-]+)\\]:\\s*(\\d+):(\\d+)");

    /** One expected diagnostic. */
    public record Expectation(Severity severity, String code, int line, int column) {
        static Expectation of(Diagnostic d) {
            return new Expectation(d.severity(), d.code(), d.span().line(), d.span().column());
        }

        @Override
        public String toString() {
            return severity.label() + "[" + code + "]: " + line + ":" + column;
        }
    }

    public static boolean updating() { return Boolean.getBoolean(UPDATE_PROPERTY); }

    /** The {@code *.rampart} files directly in {@code dir} (not in subdirectories), sorted by name. */
    public static List<Path> policies(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".rampart") && Files.isRegularFile(p))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One test per policy directly in {@code dir}, named by its file; an empty corpus fails, so a
     * moved directory cannot pass by testing nothing.
     */
    public static Stream<DynamicTest> each(Path dir, ThrowingConsumer<Path> test) {
        List<Path> files = policies(dir);
        assertFalse(files.isEmpty(), "no golden files under " + dir.toAbsolutePath());
        return files.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> test.accept(p)));
    }

    /** {@code dir/x.rampart} with extension {@code fmt} gives {@code dir/x.fmt}. */
    public static Path sideFile(Path policy, String extension) {
        String n = policy.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return policy.resolveSibling((dot < 0 ? n : n.substring(0, dot)) + "." + extension);
    }

    public static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The policy as a SourceFile named by its file name only, so rendered output does not depend on the checkout path. */
    public static SourceFile source(Path policy) {
        return new SourceFile(policy.getFileName().toString(), read(policy));
    }

    /** Asserts that {@code expected} holds {@code actual}, or writes it there when updating. */
    public static void check(Path expected, String actual) {
        if (updating()) {
            try {
                Files.writeString(expected, actual, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return;
        }
        if (!Files.exists(expected)) {
            fail(expected + " is missing; run the tests with -D" + UPDATE_PROPERTY + "=true to create it, then review it");
        }
        assertEquals(read(expected), actual, "output differs from " + expected
                + " (if the change is intended, rerun with -D" + UPDATE_PROPERTY + "=true and review the diff)");
    }

    /** The inline expectations of a policy text, in the order written. */
    public static List<Expectation> expectations(String text) {
        List<Expectation> out = new ArrayList<>();
        Matcher m = EXPECTATION.matcher(text);
        while (m.find()) {
            out.add(new Expectation(Severity.valueOf(m.group(1).toUpperCase(Locale.ROOT)), m.group(2),
                    Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4))));
        }
        return out;
    }

    /**
     * Asserts that the diagnostics are exactly the inline expectations (as multisets): nothing
     * expected is missing and nothing unexpected was reported.
     */
    public static void checkExpectations(SourceFile file, Diagnostics actual) {
        List<Expectation> missing = new ArrayList<>(expectations(file.text()));
        List<Expectation> unexpected = new ArrayList<>();
        for (Diagnostic d : actual.sorted()) {
            Expectation e = Expectation.of(d);
            if (!missing.remove(e)) unexpected.add(e);
        }
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            fail(file.name() + ": expected but not reported " + missing + "; reported but not expected " + unexpected);
        }
    }
}
