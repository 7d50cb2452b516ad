// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

import dev.rampart.dsl.ast.Rule;
import dev.rampart.dsl.ast.Rule.Match;
import dev.rampart.dsl.ast.Rule.Option;
import dev.rampart.dsl.ast.Rule.OptionKind;
import dev.rampart.dsl.fmt.Formatter;
import java.util.ArrayList;
import java.util.List;

/**
 * One rule as the table shows it. The AST node is kept so that an edit starts from exactly what
 * was parsed; cell texts are the source text of each part, as the author wrote it.
 *
 * @param hook  the chain's hook ({@code input}, {@code forward}, {@code output})
 * @param index the rule's position in its chain, counting disabled rules
 * @param id    the rule's identity as the compiler gives it: its name or its {@code anon-} id
 */
public record RuleRow(String hook, int index, Rule rule, String id) {

    public static RuleRow of(String hook, int index, Rule rule) {
        return new RuleRow(hook, index, rule, rule.name() != null ? rule.name().text() : Formatter.anonymousId(rule));
    }

    public boolean disabled() {
        return rule.options().stream().anyMatch(o -> o.kind() == OptionKind.DISABLED);
    }

    public int start() { return rule.span().start(); }

    public int end() { return rule.span().end(); }

    /** What the cell of {@code column} shows. */
    public String cell(RuleColumn column) {
        return switch (column) {
            case NAME -> rule.name() == null ? "" : rule.name().text();
            case ACTION -> rule.action().span().text();
            case LOG -> {
                List<String> parts = new ArrayList<>();
                for (Option o : rule.options()) {
                    if (o.kind() == OptionKind.LOG || o.kind() == OptionKind.COUNT) parts.add(o.span().text());
                }
                yield String.join(" ", parts);
            }
            case COMMENT -> rule.options().stream().filter(o -> o.kind() == OptionKind.COMMENT)
                    .map(o -> o.text().value()).findFirst().orElse("");
            default -> {
                List<String> parts = new ArrayList<>();
                for (Match m : rule.matches()) {
                    if (!column.kinds().contains(m.kind())) continue;
                    parts.add(column.keywordsShown() ? m.span().text() : m.value().span().text());
                }
                yield String.join(" ", parts);
            }
        };
    }
}
