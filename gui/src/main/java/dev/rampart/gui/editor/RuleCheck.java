// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

import dev.rampart.dsl.ast.Decl;
import dev.rampart.dsl.ast.PolicyFile;
import dev.rampart.dsl.check.CheckedPolicy;
import dev.rampart.dsl.check.Checker;
import dev.rampart.dsl.fmt.Formatter;
import dev.rampart.dsl.lower.Lowering;
import dev.rampart.dsl.parse.Parser;
import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.SourceFile;
import java.util.ArrayList;
import java.util.List;

/**
 * What the compiler would say about a rule as a table cell being edited would make it, said while
 * the cell is still being typed in. The rule is checked by the real checker against the policy's
 * declarations alone (its chains and tests left out), so the cost grows with the number of objects,
 * not of rules, and the messages are the ones the text view would show after the edit.
 */
public final class RuleCheck {
    private RuleCheck() {}

    /** One problem, worded as in the diagnostics list. */
    public record Problem(boolean error, String message) {}

    public static List<Problem> cell(PolicyAnalysis a, RuleRow row, RuleColumn column, String value) {
        RuleEdits.Outcome line = RuleEdits.cellEdited(row, column, value);
        if (!line.ok()) return List.of(new Problem(true, line.error()));
        SourceFile edited = new SourceFile("<" + column.title + ">", "chain " + row.hook() + " policy accept {\n  " + line.text() + "\n}\n");
        Result<PolicyFile> parsed = Parser.parse(edited);
        List<PolicyFile> files = new ArrayList<>();
        List<PolicyFile> policy = a.compiled().files() != null ? a.compiled().files() : List.of(a.ast());
        for (PolicyFile f : policy) {
            List<Decl> decls = new ArrayList<>();
            for (Decl d : f.decls()) if (!(d instanceof Decl.Chain) && !(d instanceof Decl.Test)) decls.add(d);
            files.add(new PolicyFile(f.source(), decls, f.comments()));
        }
        files.add(parsed.value());
        List<Diagnostic> found = new ArrayList<>(parsed.diagnostics().sorted());
        Result<CheckedPolicy> checked = Checker.check(files, Formatter::anonymousId);
        found.addAll(checked.diagnostics().sorted());
        if (checked.value() != null) found.addAll(Lowering.lower(checked.value()).diagnostics().sorted());
        List<Problem> out = new ArrayList<>();
        for (Diagnostic d : found) {
            // Problems of the declarations are the text view's to show; only the edited rule's count here.
            if (d.span().file() != edited) continue;
            out.add(new Problem(d.isError(), d.message() + (d.suggestion() == null ? "" : " (" + d.suggestion() + ")")));
        }
        return out;
    }
}
