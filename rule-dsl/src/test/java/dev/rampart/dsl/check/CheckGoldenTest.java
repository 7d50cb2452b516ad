// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.check;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rampart.dsl.Pipeline;
import dev.rampart.dsl.golden.Golden;
import dev.rampart.dsl.source.DiagnosticRenderer;
import dev.rampart.dsl.source.SourceFile;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * tests/check/X.rampart: the whole pipeline's diagnostics must be exactly the inline
 * expectations; X.diag shows how they read to a user.
 */
class CheckGoldenTest {
    static final Path DIR = Path.of("tests", "check");

    @TestFactory
    Stream<DynamicTest> negativeCorpus() {
        return Golden.each(DIR, p -> {
            SourceFile f = Golden.source(p);
            assertFalse(Golden.expectations(f.text()).isEmpty(), p + " has no inline expectations");
            Pipeline.Compiled c = Pipeline.run(f, p.getParent());
            Golden.checkExpectations(f, c.diagnostics());
            Golden.check(Golden.sideFile(p, "diag"), DiagnosticRenderer.renderAll(c.diagnostics()));
        });
    }
}
