// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.parse;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.dsl.ast.PacketSpec;
import dev.rampart.dsl.ast.PolicyFile;
import dev.rampart.dsl.fmt.Formatter;
import dev.rampart.dsl.gen.AstShape;
import dev.rampart.dsl.gen.RoundTrip;
import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.dsl.source.DiagnosticRenderer;
import dev.rampart.dsl.source.Diagnostics;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.SourceFile;
import dev.rampart.dsl.source.Span;
import java.lang.reflect.RecordComponent;
import java.util.List;

/** What must hold for any input at all, valid or not. */
final class ParseInvariants {
    private ParseInvariants() {}

    /**
     * Parses and checks: a value always comes back, every span (diagnostic, comment, AST node) lies
     * in the file, diagnostics render, and a parse without errors formats stably.
     */
    static Result<PolicyFile> check(SourceFile file) {
        Result<PolicyFile> r = Parser.parse(file);
        assertNotNull(r.value(), "parse returned no PolicyFile");
        checkDiagnostics(file, r.diagnostics());
        for (var c : r.value().comments()) within(file, c.span(), "comment");
        for (var d : r.value().decls()) spansWithin(file, d);
        if (!r.diagnostics().hasErrors()) {
            RoundTrip.assertStable(r.value(), false);
        } else {
            // Tools may still print a partial tree (an editor outline, say): that must not throw either.
            assertNotNull(Formatter.format(r.value(), true));
        }
        return r;
    }

    static Result<PacketSpec> checkPacket(SourceFile file) {
        Result<PacketSpec> r = Parser.parsePacket(file);
        checkDiagnostics(file, r.diagnostics());
        assertTrue(r.value() != null || r.diagnostics().hasErrors(), "no packet and no error");
        if (r.value() != null) spansWithin(file, r.value());
        return r;
    }

    static void checkDiagnostics(SourceFile file, Diagnostics ds) {
        assertTrue(ds.all().size() <= Diagnostics.LIMIT);
        for (Diagnostic d : ds.all()) {
            within(file, d.span(), d.headline());
            assertNotNull(d.code());
            assertTrue(d.code().matches("[a-z][a-z-]*"), d.code());
        }
        assertNotNull(DiagnosticRenderer.renderAll(ds));
    }

    private static void within(SourceFile file, Span s, String what) {
        assertSame(file, s.file(), what);
        assertTrue(s.start() >= 0 && s.start() <= s.end() && s.end() <= file.text().length(),
                () -> what + ": span " + s.start() + ".." + s.end() + " outside 0.." + file.text().length());
    }

    private static void spansWithin(SourceFile file, Object node) {
        if (node instanceof List<?> l) {
            for (Object o : l) spansWithin(file, o);
        } else if (node instanceof Span s) {
            within(file, s, "AST span");
        } else if (node instanceof Record r) {
            for (RecordComponent c : AstShape.components(r.getClass())) {
                try {
                    spansWithin(file, c.getAccessor().invoke(r));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }
}
