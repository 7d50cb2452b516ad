// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.parse;

/** The kinds of token; keywords are plain words because they are reserved only where expected. */
public enum TokenKind {
    WORD("a word"), STRING("a string"), EQUALS("'='"), COMMA("','"), LBRACE("'{'"), RBRACE("'}'"),
    BANG("'!'"), AT("'@'"), DOLLAR("'$'"), ARROW("'->'"), LBRACKET("'['"), RBRACKET("']'"),
    COLON("':'"), EOF("the end of the input");

    /** How an error message names a token of this kind when it was expected. */
    public final String description;

    TokenKind(String description) { this.description = description; }
}
