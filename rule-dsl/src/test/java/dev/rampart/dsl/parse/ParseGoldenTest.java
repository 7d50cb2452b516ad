// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.parse;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rampart.dsl.ast.PolicyFile;
import dev.rampart.dsl.golden.Golden;
import dev.rampart.dsl.source.DiagnosticRenderer;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.SourceFile;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * tests/parse/X.rampart: X.diag holds the rendered diagnostics (empty when none) and X.ast the
 * tree with spans. tests/parse/negative/X.rampart: the diagnostics must be exactly the inline
 * expectations, and X.diag shows how they read to a user.
 */
class ParseGoldenTest {
    static final Path DIR = Path.of("tests", "parse");

    @TestFactory
    Stream<DynamicTest> validCorpus() {
        return Golden.each(DIR, p -> {
            Result<PolicyFile> r = Parser.parse(Golden.source(p));
            Golden.check(Golden.sideFile(p, "diag"), DiagnosticRenderer.renderAll(r.diagnostics()));
            Golden.check(Golden.sideFile(p, "ast"), AstDump.of(r.value()));
        });
    }

    @TestFactory
    Stream<DynamicTest> negativeCorpus() {
        return Golden.each(DIR.resolve("negative"), p -> {
            SourceFile f = Golden.source(p);
            Result<PolicyFile> r = Parser.parse(f);
            assertFalse(Golden.expectations(f.text()).isEmpty(), p + " has no inline expectations");
            Golden.checkExpectations(f, r.diagnostics());
            Golden.check(Golden.sideFile(p, "diag"), DiagnosticRenderer.renderAll(r.diagnostics()));
        });
    }
}
