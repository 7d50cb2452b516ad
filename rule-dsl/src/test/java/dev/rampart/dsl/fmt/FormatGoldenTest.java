// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.fmt;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rampart.dsl.ast.PolicyFile;
import dev.rampart.dsl.gen.RoundTrip;
import dev.rampart.dsl.golden.Golden;
import dev.rampart.dsl.parse.Parser;
import dev.rampart.dsl.source.DiagnosticRenderer;
import dev.rampart.dsl.source.Result;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** tests/fmt/X.rampart formats to X.fmt; every error-free golden policy formats idempotently and keeps its meaning. */
class FormatGoldenTest {
    static final Path FMT = Path.of("tests", "fmt");

    @TestFactory
    Stream<DynamicTest> formattedOutput() {
        return Golden.each(FMT, p -> {
            Result<PolicyFile> r = Parser.parse(Golden.source(p));
            assertFalse(r.diagnostics().hasErrors(), () -> DiagnosticRenderer.renderAll(r.diagnostics()));
            Golden.check(Golden.sideFile(p, "fmt"), Formatter.format(r.value()));
        });
    }

    @TestFactory
    Stream<DynamicTest> idempotentAndMeaningPreservingOnEveryGoldenPolicy() {
        List<Path> files = new ArrayList<>(Golden.policies(FMT));
        files.addAll(Golden.policies(Path.of("tests", "parse")));
        files.addAll(Golden.policies(Path.of("tests", "parse", "regress")));
        // The formatter only runs on files without errors; regression files may be invalid on purpose.
        files.removeIf(p -> Parser.parse(Golden.source(p)).diagnostics().hasErrors());
        assertFalse(files.size() < 8, "too few valid golden policies: " + files);
        return files.stream().map(p -> DynamicTest.dynamicTest(p.toString(), () -> {
            Result<PolicyFile> r = Parser.parse(Golden.source(p));
            RoundTrip.assertStable(r.value(), false);
            RoundTrip.assertStable(r.value(), true);
        }));
    }
}
