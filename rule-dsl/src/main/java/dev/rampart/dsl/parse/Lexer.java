// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.parse;

import dev.rampart.dsl.ast.Comment;
import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.dsl.source.Diagnostics;
import dev.rampart.dsl.source.SourceFile;
import dev.rampart.dsl.source.Span;
import java.util.List;

/**
 * Turns source text into tokens on demand, so that a huge file never exists as a token list.
 * Comments go to the list given at construction; lexical problems go to the diagnostics and the
 * offending characters are skipped, so the parser only ever sees well-formed tokens.
 */
public final class Lexer {
    private final SourceFile file;
    private final String src;
    private final Diagnostics diags;
    private final List<Comment> comments;
    private int pos;
    private boolean sawNewline = true;

    public Lexer(SourceFile file, Diagnostics diags, List<Comment> comments) {
        this.file = file;
        this.src = file.text();
        this.diags = diags;
        this.comments = comments;
    }

    public Token next() {
        int n = src.length();
        while (true) {
            if (pos >= n) return new Token(TokenKind.EOF, "", "", n, n, sawNewline);
            char c = src.charAt(pos);
            if (c == '\n') {
                sawNewline = true;
                pos++;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
                pos++;
                continue;
            }
            if (c == '#') {
                comment();
                continue;
            }
            boolean lineStart = sawNewline;
            int start = pos;
            char next = pos + 1 < n ? src.charAt(pos + 1) : 0;
            TokenKind punct = switch (c) {
                case '=' -> TokenKind.EQUALS;
                case ',' -> TokenKind.COMMA;
                case '{' -> TokenKind.LBRACE;
                case '}' -> TokenKind.RBRACE;
                case '!' -> TokenKind.BANG;
                case '@' -> TokenKind.AT;
                case '$' -> TokenKind.DOLLAR;
                case '[' -> TokenKind.LBRACKET;
                case ']' -> TokenKind.RBRACKET;
                case ':' -> next == ':' ? null : TokenKind.COLON;
                case '-' -> next == '>' ? TokenKind.ARROW : null;
                default -> null;
            };
            if (punct != null) {
                pos += punct == TokenKind.ARROW ? 2 : 1;
                sawNewline = false;
                String t = src.substring(start, pos);
                return new Token(punct, t, t, start, pos, lineStart);
            }
            if (c == '"') {
                sawNewline = false;
                return string(lineStart);
            }
            if (isWordChar(c) || c == ':') {
                sawNewline = false;
                return word(lineStart);
            }
            badCharacters();
        }
    }

    static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '.' || c == '-' || c == '/' || c == '*';
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /**
     * A ':' joins a word only when it is plausibly inside an IPv6 address or an address:port, so
     * that {@code rule web: accept} still ends the name at the colon.
     */
    private Token word(boolean lineStart) {
        int n = src.length();
        int start = pos;
        int i = pos;
        boolean hasColon = false;
        while (i < n) {
            char ch = src.charAt(i);
            if (isWordChar(ch)) {
                if (ch == '-' && i + 1 < n && src.charAt(i + 1) == '>') break;
                i++;
            } else if (ch == ':') {
                char after = i + 1 < n ? src.charAt(i + 1) : 0;
                if (hasColon || isHex(after) || after == ':' || after == '/') {
                    hasColon = true;
                    i++;
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        pos = i;
        String t = src.substring(start, i);
        return new Token(TokenKind.WORD, t, t, start, i, lineStart);
    }

    private Token string(boolean lineStart) {
        int n = src.length();
        int start = pos;
        StringBuilder value = new StringBuilder();
        int i = pos + 1;
        while (true) {
            if (i >= n || src.charAt(i) == '\n' || src.charAt(i) == '\r') {
                diags.add(Diagnostic.error(Span.of(file, start, i), "unterminated-string",
                                "string is not closed before the end of the line")
                        .withSuggestion("add a closing '\"'; strings cannot span lines"));
                break;
            }
            char ch = src.charAt(i);
            if (ch == '"') {
                i++;
                break;
            }
            if (ch == '\\' && i + 1 < n && (src.charAt(i + 1) == '"' || src.charAt(i + 1) == '\\')) {
                value.append(src.charAt(i + 1));
                i += 2;
                continue;
            }
            if (ch == '\\') {
                diags.add(Diagnostic.error(Span.of(file, i, Math.min(n, i + 2)), "bad-escape",
                                "unknown escape in string; only \\\" and \\\\ are escapes")
                        .withSuggestion("write '\\\\' for a backslash"));
            }
            value.append(ch);
            i++;
        }
        pos = i;
        return new Token(TokenKind.STRING, src.substring(start, i), value.toString(), start, i, lineStart);
    }

    private void comment() {
        int n = src.length();
        int start = pos;
        int i = src.indexOf('\n', pos);
        if (i < 0) i = n;
        int end = i;
        if (end > start && src.charAt(end - 1) == '\r') end--;
        comments.add(new Comment(Span.of(file, start, end), src.substring(start + 1, end)));
        pos = i;
    }

    /** A run of characters the language has no use for is one diagnostic, not one per character. */
    private void badCharacters() {
        int n = src.length();
        int start = pos;
        int i = pos;
        while (i < n && isBad(src.charAt(i))) i++;
        pos = i;
        if (diags.all().size() >= Diagnostics.LIMIT) {
            diags.error(Span.of(file, start, i), "bad-character", "unexpected characters"); // only counted
            return;
        }
        char first = src.charAt(start);
        String what = first >= 0x20 && first < 0x7f
                ? "'" + first + "'" : String.format("U+%04X", (int) first);
        String msg = i - start == 1 ? "unexpected character " + what
                : "unexpected characters starting with " + what + " (" + (i - start) + " characters)";
        Diagnostic d = Diagnostic.error(Span.of(file, start, i), "bad-character", msg);
        String hint = switch (first) {
            case ';' -> "declarations and rules need no ';': remove it";
            case '\'' -> "strings use double quotes: \"...\"";
            case '(', ')' -> "group values with '{ }' instead";
            case '/' -> null;
            default -> first == 0 ? "this looks like a binary file, not a policy" : null;
        };
        diags.add(hint == null ? d : d.withSuggestion(hint));
        pos = i;
    }

    private static boolean isBad(char c) {
        if (isWordChar(c)) return false;
        return switch (c) {
            case ' ', '\t', '\r', '\n', '\f', '#', '"', '=', ',', '{', '}', '!', '@', '$', '[', ']', ':' -> false;
            default -> true;
        };
    }
}
