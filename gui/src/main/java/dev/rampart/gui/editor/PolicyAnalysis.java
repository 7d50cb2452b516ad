// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

import dev.rampart.dsl.Pipeline;
import dev.rampart.dsl.Pipeline.Compiled;
import dev.rampart.dsl.ast.Decl;
import dev.rampart.dsl.ast.PolicyFile;
import dev.rampart.dsl.parse.Parser;
import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.SourceFile;
import dev.rampart.dsl.test.PolicyTests;
import dev.rampart.dsl.test.PolicyTests.TestResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the views show about one version of the text, computed in one go off the UI thread:
 * the parsed file (for the table), the pipeline's result and diagnostics, the policy's own tests,
 * and the text's style ranges.
 *
 * @param syntaxOk false when the text does not parse; the table then keeps its last good rows
 *                 and refuses edits, since its rule positions would not match the text
 * @param tests    empty when the policy did not compile
 * @param objects  the names the policy declares, for pickers and "go to definition"; read from the
 *                 parse, so they are there even while the checker reports errors
 */
public record PolicyAnalysis(String text, SourceFile source, PolicyFile ast, boolean syntaxOk, Compiled compiled,
                             List<Diagnostic> diagnostics, List<RuleRow> rows, List<TestResult> tests,
                             List<StyledRange> styles, PolicyObjects objects) {

    public static PolicyAnalysis of(String name, String text, Path baseDir) {
        SourceFile source = new SourceFile(name, text);
        Result<PolicyFile> parsed = Parser.parse(source);
        boolean syntaxOk = !parsed.diagnostics().hasErrors();
        List<RuleRow> rows = new ArrayList<>();
        for (Decl d : parsed.value().decls()) {
            if (d instanceof Decl.Chain c) {
                for (int i = 0; i < c.rules().size(); i++) rows.add(RuleRow.of(c.hook().text(), i, c.rules().get(i)));
            }
        }
        // The pipeline parses again (with includes); reusing this SourceFile keeps its diagnostics'
        // spans pointing into the text the editor shows.
        Compiled compiled = Pipeline.run(source, baseDir);
        List<Diagnostic> diagnostics = compiled.diagnostics().sorted();
        List<TestResult> tests = compiled.ok() ? PolicyTests.run(compiled.ir()) : List.of();
        List<StyledRange> styles = new ArrayList<>(Highlighting.tokens(source));
        styles.addAll(Highlighting.diagnostics(source, diagnostics));
        // The pipeline's files carry the includes' objects too; the root file is the parse above's twin.
        List<PolicyFile> files = new ArrayList<>();
        files.add(parsed.value());
        if (compiled.files() != null && compiled.files().size() > 1) files.addAll(compiled.files().subList(1, compiled.files().size()));
        return new PolicyAnalysis(text, source, parsed.value(), syntaxOk, compiled, List.copyOf(diagnostics),
                List.copyOf(rows), List.copyOf(tests), List.copyOf(styles), PolicyObjects.of(files));
    }

    public long errorCount() { return diagnostics.stream().filter(Diagnostic::isError).count(); }

    public long warningCount() { return diagnostics.size() - errorCount(); }
}
