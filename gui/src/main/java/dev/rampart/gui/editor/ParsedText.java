// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

import dev.rampart.dsl.ast.Decl;
import dev.rampart.dsl.ast.PolicyFile;
import dev.rampart.dsl.parse.Parser;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.SourceFile;
import org.fxmisc.richtext.model.StyleSpans;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The first, quick stage of analysing a version of the text: the parse, the table's rows and the
 * keyword highlighting. Both views are usable with this alone; the compile, the diagnostics and the
 * tests ({@link PolicyAnalysis}) follow, and take several times longer on a big policy.
 *
 * @param spans    the token styles as the text view takes them, made here, off the UI thread
 * @param syntaxOk false when the text does not parse; the table then keeps its last good rows
 *                 and refuses edits, since its rule positions would not match the text
 */
public record ParsedText(String text, SourceFile source, Result<PolicyFile> parsed, boolean syntaxOk, List<RuleRow> rows,
                         List<StyledRange> tokenStyles, StyleSpans<Collection<String>> spans) {

    public static ParsedText of(String name, String text) {
        SourceFile source = new SourceFile(name, text);
        Result<PolicyFile> parsed = Parser.parse(source);
        List<RuleRow> rows = new ArrayList<>();
        for (Decl d : parsed.value().decls()) {
            if (d instanceof Decl.Chain c) {
                for (int i = 0; i < c.rules().size(); i++) rows.add(RuleRow.of(c.hook().text(), i, c.rules().get(i)));
            }
        }
        List<StyledRange> styles = List.copyOf(Highlighting.tokens(source));
        return new ParsedText(text, source, parsed, !parsed.diagnostics().hasErrors(), List.copyOf(rows), styles,
                StyleSpansFactory.build(styles, text.length()));
    }

    public PolicyFile ast() { return parsed.value(); }
}
