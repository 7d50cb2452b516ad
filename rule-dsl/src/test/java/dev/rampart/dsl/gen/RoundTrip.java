// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.rampart.dsl.ast.Comment;
import dev.rampart.dsl.ast.PolicyFile;
import dev.rampart.dsl.fmt.Formatter;
import dev.rampart.dsl.parse.Parser;
import dev.rampart.dsl.source.DiagnosticRenderer;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.SourceFile;
import java.util.List;

/** The formatter's two promises, checked on one parsed policy: it is idempotent and it keeps the meaning. */
public final class RoundTrip {
    private RoundTrip() {}

    /** Formats an error-free parse and checks both promises; returns the formatted text. */
    public static String assertStable(PolicyFile original, boolean nameRules) {
        String once = Formatter.format(original, nameRules);
        Result<PolicyFile> again = Parser.parse(new SourceFile(original.source().name() + " (formatted)", once));
        assertFalse(again.diagnostics().hasErrors(), () -> "formatted text does not parse:\n"
                + DiagnosticRenderer.renderAll(again.diagnostics()) + "---\n" + once);
        if (!nameRules) {
            assertEquals(AstShape.of(original.decls()), AstShape.of(again.value().decls()),
                    () -> "formatting changed the meaning of " + original.source().name() + ":\n" + once);
        }
        assertEquals(commentTexts(original.comments()), commentTexts(again.value().comments()),
                () -> "formatting lost or reordered comments of " + original.source().name() + ":\n" + once);
        String twice = Formatter.format(again.value(), nameRules);
        assertEquals(once, twice, () -> "formatter is not idempotent on " + original.source().name());
        return once;
    }

    private static List<String> commentTexts(List<Comment> cs) {
        return cs.stream().map(c -> c.text().stripTrailing()).toList();
    }
}
