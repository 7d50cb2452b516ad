// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

import dev.rampart.dsl.Pipeline;
import dev.rampart.dsl.Pipeline.Compiled;
import dev.rampart.dsl.ast.PolicyFile;
import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.dsl.source.SourceFile;
import dev.rampart.dsl.test.PolicyTests;
import dev.rampart.dsl.test.PolicyTests.TestResult;
import org.fxmisc.richtext.model.StyleSpans;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Everything the views show about one version of the text, computed off the UI thread: the parsed
 * file (for the table), the pipeline's result and diagnostics, the policy's own tests, and the
 * text's style ranges. The parse comes first on its own ({@link ParsedText}) so that a big policy
 * is shown and editable before it is compiled.
 *
 * @param syntaxOk false when the text does not parse; the table then keeps its last good rows
 *                 and refuses edits, since its rule positions would not match the text
 * @param tests    empty when the policy did not compile
 * @param spans    {@code styles} as the text view takes them, made off the UI thread
 * @param objects  the names the policy declares, for pickers and "go to definition"; read from the
 *                 parse, so they are there even while the checker reports errors
 */
public record PolicyAnalysis(String text, SourceFile source, PolicyFile ast, boolean syntaxOk, Compiled compiled,
                             List<Diagnostic> diagnostics, List<RuleRow> rows, List<TestResult> tests,
                             List<StyledRange> styles, StyleSpans<Collection<String>> spans, PolicyObjects objects) {

    public static PolicyAnalysis of(String name, String text, Path baseDir) {
        return of(ParsedText.of(name, text), baseDir);
    }

    /** The second stage: compiles what {@code p} parsed (with its includes) and runs the policy's tests. */
    public static PolicyAnalysis of(ParsedText p, Path baseDir) {
        // The pipeline parses again (with includes); reusing this SourceFile keeps its diagnostics'
        // spans pointing into the text the editor shows.
        Compiled compiled = Pipeline.run(p.source(), baseDir);
        List<Diagnostic> diagnostics = compiled.diagnostics().sorted();
        List<TestResult> tests = compiled.ok() ? PolicyTests.run(compiled.ir()) : List.of();
        // Without diagnostics in this file the parse's styles are the whole answer, and the same list
        // tells the text view that it has already applied them.
        List<StyledRange> underlines = Highlighting.diagnostics(p.source(), diagnostics);
        List<StyledRange> styles = p.tokenStyles();
        if (!underlines.isEmpty()) {
            styles = new ArrayList<>(p.tokenStyles());
            styles.addAll(underlines);
        }
        // The pipeline's files carry the includes' objects too; the root file is the parse above's twin.
        List<PolicyFile> files = new ArrayList<>();
        files.add(p.ast());
        if (compiled.files() != null && compiled.files().size() > 1) files.addAll(compiled.files().subList(1, compiled.files().size()));
        StyleSpans<Collection<String>> spans = styles == p.tokenStyles() ? p.spans() : StyleSpansFactory.build(styles, p.text().length());
        return new PolicyAnalysis(p.text(), p.source(), p.ast(), p.syntaxOk(), compiled, List.copyOf(diagnostics),
                p.rows(), List.copyOf(tests), styles == p.tokenStyles() ? styles : List.copyOf(styles), spans, PolicyObjects.of(files));
    }

    public long errorCount() { return diagnostics.stream().filter(Diagnostic::isError).count(); }

    public long warningCount() { return diagnostics.size() - errorCount(); }
}
