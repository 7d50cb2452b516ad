// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

import dev.rampart.dsl.ast.Comment;
import dev.rampart.dsl.ast.Rule.MatchKind;
import dev.rampart.dsl.parse.Lexer;
import dev.rampart.dsl.parse.Token;
import dev.rampart.dsl.parse.TokenKind;
import dev.rampart.dsl.source.Diagnostics;
import dev.rampart.dsl.source.SourceFile;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the grammar expects at one place of a policy text, worked out from the tokens of the
 * statement around it. Completion asks it what may be typed at the caret; "go to definition" asks it
 * whether a word stands where a name of an object is expected or where a keyword is.
 *
 * <p>This reads a statement that is still being typed, so it cannot use the parser, which wants a
 * whole statement; it uses the language's own lexer and follows the grammar's shape: a keyword
 * starts a clause, a value follows, a comma asks for another value.
 */
final class TextContext {
    /** The kinds of thing that may stand at a place. */
    enum Want {
        /** Nothing to offer: a new name, a literal, inside a comment or a string. */
        NONE,
        /** The start of a statement: declaration keywords and {@code rule}. */
        STATEMENT,
        /** Inside a rule, where a match keyword, the action or an option goes. */
        CLAUSE,
        /** Nets, hosts, {@code @sets}, {@code $defines}, {@code any}. */
        ADDRESSES,
        /** Zones (or interface names, which are not offered), {@code $defines}. */
        INTERFACES,
        /** Services, {@code $defines}. */
        SERVICES,
        /** In a service declaration: protocols, other services, {@code $defines}. */
        SERVICE_ITEMS,
        PROTOCOLS,
        /** Port numbers: only {@code $defines} to offer. */
        PORTS,
        STATES,
        FLAGS,
        ICMP_TYPES,
        /** A define's value: any object. */
        ANY_OBJECT,
        HOOKS,
        /** {@code policy} after a chain's hook. */
        POLICY_WORD,
        CHAIN_POLICY,
        REJECT_KINDS,
        VERDICTS,
        /** After {@code by} in a test: rule names and {@code policy}. */
        RULES,
        /** After {@code with} in a test: dynamic sets. */
        DYNAMIC_SETS,
        /** After a test's verdict: {@code by}. */
        BY_WORD,
        /** The name a rule or object declaration is giving: its own definition. */
        DECLARED_NAME
    }

    /**
     * @param want      what may be typed at {@code from}
     * @param from      where the word being typed starts, its sigil ({@code @}, {@code $}) included
     * @param to        the caret
     * @param sigil     '@', '$' or 0
     * @param prefix    the part of the name typed so far, without the sigil
     * @param listed    values already in the list being typed, so a picker does not offer them twice
     * @param actionSeen in a rule: whether the action is written already (options come next)
     * @param afterReject in a rule: right after {@code reject}, where {@code with} may follow
     */
    record At(Want want, int from, int to, char sigil, String prefix, Set<String> listed, boolean actionSeen,
              boolean afterReject) {}

    private static final Set<String> STATEMENT_WORDS = Set.of("include", "define", "net", "host", "service", "zone", "set",
            "chain", "test", "rule");
    /** How far up a statement's first line is looked for; rules rarely span more than a few lines. */
    private static final int MAX_LINES_UP = 200;

    private TextContext() {}

    static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    }

    /** What may be typed at {@code caret} of {@code text}, replacing the name (and sigil) just before it. */
    static At at(String text, int caret) {
        caret = Math.max(0, Math.min(caret, text.length()));
        int p = caret;
        while (p > 0 && isNameChar(text.charAt(p - 1))) p--;
        String prefix = text.substring(p, caret);
        char sigil = p > 0 && (text.charAt(p - 1) == '@' || text.charAt(p - 1) == '$') ? text.charAt(p - 1) : 0;
        int from = sigil != 0 ? p - 1 : p;
        int lineStart = text.lastIndexOf('\n', from - 1) + 1;
        String before = text.substring(lineStart, from);
        if (insideStringOrComment(before)) return none(from, caret, sigil, prefix);

        int start = before.isBlank() ? statementStart(text, lineStart, true) : statementStart(text, lineStart, false);
        String segment = text.substring(start, from);
        List<Comment> comments = new ArrayList<>();
        Lexer lexer = new Lexer(new SourceFile("<context>", segment), new Diagnostics(), comments);
        List<Token> tokens = new ArrayList<>();
        for (Token t = lexer.next(); !t.is(TokenKind.EOF); t = lexer.next()) tokens.add(t);
        Machine m = new Machine(tokens);
        m.run();
        // At the start of a line after a finished statement, the next statement may begin.
        Want want = m.want();
        if (before.isBlank() && m.finished()) want = Want.STATEMENT;
        return new At(want, from, caret, sigil, prefix, m.listed, m.actionSeen, m.afterReject);
    }

    private static At none(int from, int to, char sigil, String prefix) {
        return new At(Want.NONE, from, to, sigil, prefix, Set.of(), false, false);
    }

    /** Whether the end of {@code line} is inside a string or after a '#' that starts a comment. */
    static boolean insideStringOrComment(String line) {
        boolean inString = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == '#') {
                return true;
            }
        }
        return inString;
    }

    /**
     * The offset where the statement holding the line at {@code lineStart} begins: the nearest line
     * at or above it whose first word starts a statement. {@code service} also starts a match, so
     * it only counts with an '=' on its line. With {@code above}, the caret's own line (blank up to
     * the caret) is skipped.
     */
    private static int statementStart(String text, int lineStart, boolean above) {
        int ls = lineStart;
        for (int n = 0; n < MAX_LINES_UP; n++) {
            if (!(above && n == 0)) {
                int le = text.indexOf('\n', ls);
                String line = text.substring(ls, le < 0 ? text.length() : le);
                String s = line.stripLeading();
                int indent = line.length() - s.length();
                String first = firstWord(s);
                if (s.startsWith("}")) return ls + indent + 1;
                if (STATEMENT_WORDS.contains(first) && (!first.equals("service") || s.contains("="))) return ls + indent;
            }
            if (ls == 0) return 0;
            ls = text.lastIndexOf('\n', ls - 2) + 1;
        }
        return lineStart;
    }

    private static String firstWord(String s) {
        int i = 0;
        while (i < s.length() && isNameChar(s.charAt(i))) i++;
        return s.substring(0, i);
    }

    /** Follows one statement's tokens to its end; the state left says what comes next. */
    private static final class Machine {
        private final List<Token> t;
        private Want want = Want.STATEMENT;
        private boolean finished;
        private boolean actionSeen, afterReject;
        final Set<String> listed = new LinkedHashSet<>();

        Machine(List<Token> tokens) { this.t = tokens; }

        Want want() { return want; }

        /** Whether the statement is complete, so a new line may start another. */
        boolean finished() { return finished; }

        void run() {
            if (t.isEmpty()) return;
            Token first = t.get(0);
            if (first.is(TokenKind.RBRACE)) {
                finished = true;
                return;
            }
            switch (first.text()) {
                case "rule" -> rule();
                case "net", "host" -> declaration(Want.ADDRESSES);
                case "zone" -> declaration(Want.INTERFACES);
                case "service" -> declaration(Want.SERVICE_ITEMS);
                case "define" -> declaration(Want.ANY_OBJECT);
                case "set" -> declaration(Want.NONE);
                case "chain" -> chain();
                case "test" -> test();
                default -> want = Want.NONE;
            }
        }

        private void rule() {
            int i = 1;
            if (t.size() == 1) {
                // The rule's name, or the first keyword of an unnamed rule.
                want = Want.CLAUSE;
                return;
            }
            if (t.size() >= 3 && t.get(1).is(TokenKind.WORD) && t.get(2).is(TokenKind.COLON)) i = 3;
            else if (t.size() == 2 && t.get(1).is(TokenKind.WORD) && MatchKind.byKeyword(t.get(1).text()) == null
                    && !isAction(t.get(1).text())) {
                // "rule name|": still typing the name, or about to type ':'.
                want = Want.NONE;
                return;
            }
            want = Want.CLAUSE;
            MatchKind kind = null;
            boolean needValue = false; // a keyword or a comma was the last thing: a value must follow
            int depth = 0;
            boolean commentNext = false, rejectKindNext = false;
            for (; i < t.size(); i++) {
                Token k = t.get(i);
                if (commentNext) {
                    commentNext = false;
                    continue;
                }
                if (rejectKindNext) {
                    rejectKindNext = false;
                    continue;
                }
                if (kind != null) {
                    if (needValue || depth > 0) {
                        switch (k.kind()) {
                            case WORD, STRING -> {
                                listed.add(valueText(i));
                                needValue = false;
                            }
                            case LBRACE -> depth++;
                            case RBRACE -> {
                                depth = Math.max(0, depth - 1);
                                needValue = false;
                            }
                            case COMMA -> needValue = true;
                            default -> { } // '!', '@', '$' lead into the value
                        }
                        continue;
                    }
                    if (k.is(TokenKind.COMMA)) {
                        needValue = true;
                        continue;
                    }
                    if (kind == MatchKind.FLAGS && k.isWord("/")) {
                        needValue = true;
                        continue;
                    }
                }
                // A clause keyword, the action or an option.
                kind = null;
                listed.clear();
                afterReject = false;
                if (!k.is(TokenKind.WORD)) continue;
                MatchKind mk = MatchKind.byKeyword(k.text());
                if (mk != null && !actionSeen) {
                    kind = mk;
                    needValue = true;
                } else if (isAction(k.text())) {
                    actionSeen = true;
                    afterReject = k.text().equals("reject");
                } else if (k.text().equals("with")) {
                    rejectKindNext = true;
                } else if (k.text().equals("comment")) {
                    commentNext = true;
                }
            }
            if (commentNext) want = Want.NONE;
            else if (rejectKindNext) want = Want.REJECT_KINDS;
            else if (kind != null && (needValue || depth > 0)) want = valuesOf(kind);
            else want = Want.CLAUSE;
            finished = actionSeen && want == Want.CLAUSE;
        }

        /** The value as written, with its sigil, so that "@admins" and "admins" stay apart. */
        private String valueText(int i) {
            Token v = t.get(i);
            if (i > 0 && (t.get(i - 1).is(TokenKind.AT) || t.get(i - 1).is(TokenKind.DOLLAR)) && t.get(i - 1).end() == v.start()) {
                return t.get(i - 1).text() + v.text();
            }
            return v.value();
        }

        private static boolean isAction(String w) {
            return w.equals("accept") || w.equals("drop") || w.equals("reject");
        }

        private static Want valuesOf(MatchKind k) {
            return switch (k) {
                case IN, OUT -> Want.INTERFACES;
                case FROM, TO -> Want.ADDRESSES;
                case PROTO -> Want.PROTOCOLS;
                case SERVICE -> Want.SERVICES;
                case SPORT, DPORT -> Want.PORTS;
                case FLAGS -> Want.FLAGS;
                case ICMP_TYPE -> Want.ICMP_TYPES;
                case ICMP_CODE -> Want.NONE;
                case STATE -> Want.STATES;
            };
        }

        /** {@code net NAME = v, v, ...} and the like. */
        private void declaration(Want values) {
            if (t.size() == 1) {
                want = Want.DECLARED_NAME;
                return;
            }
            int eq = -1;
            for (int i = 1; i < t.size(); i++) {
                if (t.get(i).is(TokenKind.EQUALS)) {
                    eq = i;
                    break;
                }
            }
            if (eq < 0) {
                // "set x dynamic ...", or a name not yet followed by '='.
                want = Want.NONE;
                return;
            }
            boolean needValue = true;
            String lastWord = null;
            for (int i = eq + 1; i < t.size(); i++) {
                Token k = t.get(i);
                if (k.is(TokenKind.COMMA)) {
                    needValue = true;
                } else if (k.is(TokenKind.WORD) || k.is(TokenKind.STRING)) {
                    listed.add(valueText(i));
                    lastWord = k.text();
                    needValue = false;
                }
            }
            if (needValue) {
                want = values;
            } else if (values == Want.SERVICE_ITEMS && ("icmp".equals(lastWord) || "icmpv6".equals(lastWord))) {
                want = Want.ICMP_TYPES;
            } else {
                // A protocol's ports, or the end of the declaration.
                want = Want.NONE;
                finished = values != Want.SERVICE_ITEMS;
            }
        }

        /** {@code chain HOOK policy VERDICT {}. */
        private void chain() {
            int n = t.size();
            if (n == 1) want = Want.HOOKS;
            else if (n == 2) want = Want.POLICY_WORD;
            else if (n == 3) want = Want.CHAIN_POLICY;
            else {
                // After '{' (or a header typed without one) rules follow.
                want = Want.STATEMENT;
                finished = true;
            }
        }

        /** {@code test "name": PACKET expect VERDICT [by RULE]}: only the words after a few keywords are offered. */
        private void test() {
            Token last = t.get(t.size() - 1);
            Token prev = t.size() > 1 ? t.get(t.size() - 2) : null;
            want = Want.NONE;
            if (last.is(TokenKind.AT) && prev != null && prev.isWord("with")) want = Want.DYNAMIC_SETS;
            else if (!last.is(TokenKind.WORD)) return;
            else if (last.text().equals("expect")) want = Want.VERDICTS;
            else if (last.text().equals("by")) want = Want.RULES;
            else if (last.text().equals("with")) want = Want.DYNAMIC_SETS;
            else if ((last.text().equals("in") || last.text().equals("out")) && t.size() > 3) want = Want.INTERFACES;
            else if (last.text().equals("on")) want = Want.HOOKS;
            else if (last.text().equals("state")) want = Want.STATES;
            else if (prev != null && prev.isWord("expect")) {
                want = Want.BY_WORD;
            }
            finished = prev != null && (prev.isWord("by") || prev.isWord("expect"));
        }
    }
}
