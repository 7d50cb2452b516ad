// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.parse;

/**
 * One token.
 *
 * @param text      the source text of the token (for a string: including the quotes)
 * @param value     for a string, its unescaped content; otherwise equal to text
 * @param lineStart true when no other token precedes it on its line; error recovery uses it to
 *                  tell a declaration keyword from a value that merely happens to be spelled the same
 */
public record Token(TokenKind kind, String text, String value, int start, int end, boolean lineStart) {

    public boolean is(TokenKind k) { return kind == k; }

    public boolean isWord(String w) { return kind == TokenKind.WORD && text.equals(w); }

    /** How an error message names what was found. */
    public String describe() {
        return switch (kind) {
            case WORD -> "'" + abbreviate(text) + "'";
            case STRING -> "string " + abbreviate(text);
            default -> kind.description;
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
