// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

import dev.rampart.dsl.ast.Comment;
import dev.rampart.dsl.parse.Lexer;
import dev.rampart.dsl.parse.Token;
import dev.rampart.dsl.parse.TokenKind;
import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.dsl.source.Diagnostics;
import dev.rampart.dsl.source.SourceFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Style ranges for the text view, from the language's own lexer (so highlighting never disagrees
 * with the parser about what a token is) and from the pipeline's diagnostics.
 */
public final class Highlighting {
    private Highlighting() {}

    private static final Set<String> DECLS = Set.of("include", "define", "net", "host", "service", "zone", "set",
            "chain", "test", "policy", "rule", "dynamic", "capacity", "timeout", "expect", "by");
    private static final Set<String> MATCHES = Set.of("in", "out", "from", "to", "proto", "sport", "dport",
            "flags", "icmp-type", "icmp-code", "state", "on", "with");
    private static final Set<String> VERDICTS = Set.of("accept", "drop", "reject");
    private static final Set<String> OPTIONS = Set.of("log", "count", "disabled", "comment");

    public static List<StyledRange> tokens(SourceFile file) {
        List<StyledRange> out = new ArrayList<>();
        List<Comment> comments = new ArrayList<>();
        Lexer lexer = new Lexer(file, new Diagnostics(), comments);
        Token prev = null;
        for (Token t = lexer.next(); !t.is(TokenKind.EOF); t = lexer.next()) {
            String cls = classOf(t, prev);
            if (cls != null) out.add(new StyledRange(t.start(), t.end(), cls));
            prev = t;
        }
        for (Comment c : comments) out.add(new StyledRange(c.span().start(), c.span().end(), "comment"));
        return out;
    }

    private static String classOf(Token t, Token prev) {
        if (t.is(TokenKind.STRING)) return "string";
        if (!t.is(TokenKind.WORD)) return null;
        if (prev != null && (prev.is(TokenKind.DOLLAR) || prev.is(TokenKind.AT)) && prev.end() == t.start()) return "reference";
        // A keyword after "service"/"from"/... is a value there; only words that start a clause are styled.
        String w = t.text();
        if (VERDICTS.contains(w)) return "verdict";
        if (DECLS.contains(w) || MATCHES.contains(w) || OPTIONS.contains(w)) return "keyword";
        return null;
    }

    /** Underlines for the diagnostics that point into {@code file}; an empty span still gets one char. */
    public static List<StyledRange> diagnostics(SourceFile file, List<Diagnostic> diagnostics) {
        List<StyledRange> out = new ArrayList<>();
        int n = file.text().length();
        for (Diagnostic d : diagnostics) {
            if (d.span().file() != file || n == 0) continue;
            int s = Math.min(d.span().start(), n), e = Math.min(d.span().end(), n);
            if (e <= s) {
                if (s == n) s = n - 1;
                e = s + 1;
            }
            out.add(new StyledRange(s, e, d.isError() ? "error" : "warning"));
        }
        return out;
    }
}
