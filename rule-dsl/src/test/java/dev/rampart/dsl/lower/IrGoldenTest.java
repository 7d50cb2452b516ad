// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.lower;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.dsl.Pipeline;
import dev.rampart.dsl.golden.Golden;
import dev.rampart.dsl.ir.IrDump;
import dev.rampart.dsl.source.DiagnosticRenderer;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** tests/ir/X.rampart compiles without errors and X.ir is its IR dump. */
class IrGoldenTest {
    static final Path DIR = Path.of("tests", "ir");

    @TestFactory
    Stream<DynamicTest> corpus() {
        return Golden.each(DIR, p -> {
            Pipeline.Compiled c = Pipeline.run(Golden.source(p), p.getParent());
            assertTrue(c.ok(), DiagnosticRenderer.renderAll(c.diagnostics()));
            Golden.check(Golden.sideFile(p, "ir"), IrDump.dump(c.ir()));
        });
    }
}
