// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.ast;

import dev.rampart.dsl.source.Span;
import java.util.List;

/** A value in a declaration or a match. Interpretation depends on where it stands. */
public sealed interface Operand {
    Span span();

    /**
     * One bare token as written: a name ({@code lan}), a literal ({@code 10.1.0.0/16}, {@code fd00::1},
     * {@code 10.0.0.1-10.0.0.9}, {@code 80}, {@code 1024-65535}, {@code eth0}, {@code wan*},
     * {@code echo-request}, {@code 3/1}) or a keyword used as a value ({@code established}).
     */
    record Word(Span span, String text) implements Operand {}

    /** {@code "text"}: interface names that need quoting, comments, include paths. {@code value} is unescaped. */
    record Str(Span span, String value) implements Operand {}

    /** {@code $name}: a define. */
    record VarRef(Span span, String name) implements Operand {}

    /** {@code @name}: a named set (static or dynamic). */
    record SetRef(Span span, String name) implements Operand {}

    /** {@code any}. */
    record Any(Span span) implements Operand {}

    /** {@code !x}. */
    record Not(Span span, Operand inner) implements Operand {}

    /**
     * {@code a, b, c} or {@code { a, b, c }}. {@code braced} keeps the user's choice for the formatter;
     * braces are needed only to negate or nest a list.
     */
    record ListOf(Span span, List<Operand> items, boolean braced) implements Operand {}

    /** {@code flags syn / syn,ack}: the flags that must be set, out of the mask. An empty mask means mask = set. */
    record Flags(Span span, List<Word> set, List<Word> mask) implements Operand {}
}
