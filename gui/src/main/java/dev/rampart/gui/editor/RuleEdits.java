// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

import dev.rampart.dsl.ast.Decl;
import dev.rampart.dsl.ast.PolicyFile;
import dev.rampart.dsl.ast.Rule;
import dev.rampart.dsl.ast.Rule.Match;
import dev.rampart.dsl.ast.Rule.Option;
import dev.rampart.dsl.ast.Rule.OptionKind;
import dev.rampart.dsl.fmt.Formatter;
import dev.rampart.dsl.parse.Parser;
import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.SourceFile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Table edits as text edits. The AST is the model: an edit assembles the changed rule from the
 * source text of its unchanged parts and the user's new part, parses that one rule, and writes it
 * back through the formatter in place of the old rule. Everything outside the rule (comments,
 * blank lines, the author's layout of other rules) stays as it was. An edit that does not parse is
 * refused with the parser's message and the text is left untouched.
 */
public final class RuleEdits {
    private RuleEdits() {}

    /** The new policy text, or why the edit was refused. */
    public record Outcome(String text, String error) {
        static Outcome ok(String text) { return new Outcome(text, null); }

        static Outcome refused(String error) { return new Outcome(null, error); }

        public boolean ok() { return error == null; }
    }

    /** Sets one cell of {@code row}; a blank match cell removes that condition. */
    public static Outcome setCell(String text, RuleRow row, RuleColumn column, String value) {
        Outcome line = cellEdited(row, column, value);
        return line.ok() ? Outcome.ok(text.substring(0, row.start()) + line.text() + text.substring(row.end())) : line;
    }

    /** The rule line (canonical form) that setting one cell of {@code row} would write, or why it cannot be written. */
    static Outcome cellEdited(RuleRow row, RuleColumn column, String value) {
        String v = value == null ? "" : value.strip();
        if (v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) return Outcome.refused("a cell holds one line");
        Rule r = row.rule();
        String name = r.name() == null ? null : r.name().text();
        List<String> matches = new ArrayList<>();
        for (Match m : r.matches()) matches.add(m.span().text());
        String action = r.action().span().text();
        List<String> options = new ArrayList<>();
        for (Option o : r.options()) options.add(o.span().text());

        switch (column) {
            case NAME -> name = v.isEmpty() ? null : v;
            case ACTION -> {
                if (v.isEmpty()) return Outcome.refused("a rule needs an action: accept, drop or reject");
                action = v;
            }
            case LOG -> {
                options.clear();
                options.addAll(splitWords(v));
                for (Option o : r.options()) {
                    if (o.kind() != OptionKind.LOG && o.kind() != OptionKind.COUNT) options.add(o.span().text());
                }
            }
            case COMMENT -> {
                options.clear();
                for (Option o : r.options()) if (o.kind() != OptionKind.COMMENT) options.add(o.span().text());
                if (!v.isEmpty()) options.add("comment " + quote(v));
            }
            default -> {
                matches.clear();
                boolean placed = false;
                String replacement = v.isEmpty() ? null : column.keywordsShown() ? v : column.kinds().iterator().next().keyword + " " + v;
                for (Match m : r.matches()) {
                    if (column.kinds().contains(m.kind())) {
                        if (!placed && replacement != null) matches.add(replacement);
                        placed = true;
                    } else {
                        // A new condition goes where the formatter's usual order would put it.
                        if (!placed && replacement != null && m.kind().ordinal() > firstKind(column).ordinal()) {
                            matches.add(replacement);
                            placed = true;
                        }
                        matches.add(m.span().text());
                    }
                }
                if (!placed && replacement != null) matches.add(replacement);
            }
        }
        return canonicalRule(assemble(name, matches, action, options), column.title);
    }

    /** Adds or removes the {@code disabled} option. */
    public static Outcome toggleDisabled(String text, RuleRow row) {
        Rule r = row.rule();
        List<String> options = new ArrayList<>();
        for (Option o : r.options()) if (o.kind() != OptionKind.DISABLED) options.add(o.span().text());
        if (!row.disabled()) options.add("disabled");
        List<String> matches = r.matches().stream().map(m -> m.span().text()).toList();
        return replaceRule(text, row, assemble(r.name() == null ? null : r.name().text(), matches,
                r.action().span().text(), options), "disabled");
    }

    /** Inserts a copy right after the rule, under a new name so that both keep distinct identities. */
    public static Outcome duplicate(String text, PolicyFile ast, RuleRow row) {
        String err = ownLine(text, row);
        if (err != null) return Outcome.refused(err);
        Set<String> taken = new HashSet<>();
        for (Decl d : ast.decls()) {
            if (d instanceof Decl.Chain c) for (Rule r : c.rules()) taken.add(RuleRow.of("", 0, r).id());
        }
        String base = row.id() + "-copy";
        String name = base;
        for (int i = 2; taken.contains(name); i++) name = base + "-" + i;
        Rule r = row.rule();
        Rule copy = new Rule(r.span(), new dev.rampart.dsl.ast.Operand.Word(r.span(), name), r.matches(), r.action(), r.options());
        int lineStart = lineStart(text, row.start());
        int lineEnd = lineEnd(text, row.end());
        String indent = text.substring(lineStart, row.start());
        String insert = indent + Formatter.ruleLine(copy, false) + "\n";
        String before = text.substring(0, lineEnd);
        if (!before.endsWith("\n")) before += "\n";
        return Outcome.ok(before + insert + text.substring(lineEnd));
    }

    /** Removes the rule's line. */
    public static Outcome delete(String text, RuleRow row) {
        String err = ownLine(text, row);
        if (err != null) return Outcome.refused(err);
        return Outcome.ok(text.substring(0, lineStart(text, row.start())) + text.substring(lineEnd(text, row.end())));
    }

    /**
     * Moves {@code row} to the position of {@code target} in the same chain, shifting the rules
     * between; each rule moves with its whole line, including a comment at the end of it.
     */
    public static Outcome move(String text, RuleRow row, RuleRow target) {
        if (!row.hook().equals(target.hook())) return Outcome.refused("a rule can only be moved within its chain");
        if (row.index() == target.index()) return Outcome.ok(text);
        String err = ownLine(text, row);
        if (err == null) err = ownLine(text, target);
        if (err != null) return Outcome.refused(err);
        int s = lineStart(text, row.start()), e = lineEnd(text, row.end());
        String chunk = text.substring(s, e);
        if (!chunk.endsWith("\n")) chunk += "\n";
        if (target.index() > row.index()) {
            int te = lineEnd(text, target.end());
            String middle = text.substring(e, te);
            if (!middle.endsWith("\n")) middle += "\n";
            return Outcome.ok(text.substring(0, s) + middle + chunk + text.substring(te));
        }
        int ts = lineStart(text, target.start());
        return Outcome.ok(text.substring(0, ts) + chunk + text.substring(ts, s) + text.substring(e));
    }

    /**
     * Inserts a new rule into the chain of {@code hook}: right above the rule {@code beforeId} when
     * the chain has it, else at the chain's end. The line is checked by the parser first.
     */
    public static Outcome insert(String text, PolicyFile ast, String hook, String line, String beforeId) {
        Decl.Chain chain = null;
        for (Decl d : ast.decls()) if (d instanceof Decl.Chain c && c.hook().text().equals(hook)) chain = c;
        if (chain == null) return Outcome.refused("the policy has no " + hook + " chain: add 'chain " + hook + " policy drop { }' first");
        String wrapper = "chain " + hook + " policy accept {\n  " + line + "\n}\n";
        Result<PolicyFile> parsed = Parser.parse(new SourceFile("<new rule>", wrapper));
        if (parsed.diagnostics().hasErrors()) {
            Diagnostic d = parsed.diagnostics().sorted().get(0);
            return Outcome.refused("new rule: " + d.message());
        }
        Rule rule = ((Decl.Chain) parsed.value().decls().get(0)).rules().get(0);
        String id = RuleRow.of(hook, 0, rule).id();
        for (Decl d : ast.decls()) {
            if (d instanceof Decl.Chain c) {
                for (Rule r : c.rules()) {
                    if (RuleRow.of(hook, 0, r).id().equals(id)) return Outcome.refused("a rule named " + id + " exists already");
                }
            }
        }
        String canonical = Formatter.ruleLine(rule, false);
        for (int i = 0; i < chain.rules().size(); i++) {
            RuleRow row = RuleRow.of(hook, i, chain.rules().get(i));
            if (!row.id().equals(beforeId) || ownLine(text, row) != null) continue;
            int ls = lineStart(text, row.start());
            return Outcome.ok(text.substring(0, ls) + text.substring(ls, row.start()) + canonical + "\n" + text.substring(ls));
        }
        int brace = chain.closeBrace().start();
        int ls = lineStart(text, brace);
        if (!text.substring(ls, brace).isBlank()) {
            return Outcome.refused("the " + hook + " chain ends on the line of its last rule; format the file first (Ctrl+Shift+F)");
        }
        String indent = "  ";
        if (!chain.rules().isEmpty()) {
            Rule last = chain.rules().get(chain.rules().size() - 1);
            indent = text.substring(lineStart(text, last.span().start()), last.span().start());
            if (!indent.isBlank()) indent = "  ";
        }
        return Outcome.ok(text.substring(0, ls) + indent + canonical + "\n" + text.substring(ls));
    }

    private static Outcome replaceRule(String text, RuleRow row, String assembled, String what) {
        Outcome line = canonicalRule(assembled, what);
        return line.ok() ? Outcome.ok(text.substring(0, row.start()) + line.text() + text.substring(row.end())) : line;
    }

    /** {@code assembled} checked by the parser and written the formatter's way. */
    private static Outcome canonicalRule(String assembled, String what) {
        // The rule is parsed inside a chain of its own so that the parser's own checks apply.
        String wrapper = "chain input policy accept {\n  " + assembled + "\n}\n";
        Result<PolicyFile> parsed = Parser.parse(new SourceFile("<" + what + ">", wrapper));
        if (parsed.diagnostics().hasErrors()) {
            Diagnostic d = parsed.diagnostics().sorted().get(0);
            return Outcome.refused(what + ": " + d.message() + (d.suggestion() == null ? "" : " (" + d.suggestion() + ")"));
        }
        List<Decl> decls = parsed.value().decls();
        if (decls.size() != 1 || !(decls.get(0) instanceof Decl.Chain c) || c.rules().size() != 1) {
            return Outcome.refused(what + ": the value must not start another rule or declaration");
        }
        return Outcome.ok(Formatter.ruleLine(c.rules().get(0), false));
    }

    private static String assemble(String name, List<String> matches, String action, List<String> options) {
        StringBuilder sb = new StringBuilder("rule ");
        if (name != null) sb.append(name).append(": ");
        for (String m : matches) sb.append(m).append(' ');
        sb.append(action);
        for (String o : options) sb.append(' ').append(o);
        return sb.toString();
    }

    private static Rule.MatchKind firstKind(RuleColumn c) {
        return c.kinds().stream().min(Enum::compareTo).orElseThrow();
    }

    private static List<String> splitWords(String v) {
        List<String> out = new ArrayList<>();
        for (String w : v.split("[\\s,]+")) if (!w.isEmpty()) out.add(w);
        return out;
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Null when the rule is alone on its lines (apart from indentation and a trailing comment). */
    private static String ownLine(String text, RuleRow row) {
        String before = text.substring(lineStart(text, row.start()), row.start());
        String after = text.substring(row.end(), lineEnd(text, row.end())).strip();
        if (!before.isBlank() || !(after.isEmpty() || after.startsWith("#"))) {
            return "rule " + row.id() + " shares its line with other text; format the file first (Ctrl+Shift+F)";
        }
        return null;
    }

    static int lineStart(String text, int offset) {
        int i = text.lastIndexOf('\n', offset - 1);
        return i + 1;
    }

    /** The offset just past the newline that ends the line holding {@code offset}, or the text's end. */
    static int lineEnd(String text, int offset) {
        int i = text.indexOf('\n', offset);
        return i < 0 ? text.length() : i + 1;
    }
}
