// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.source;

/** A half-open range [start, end) of chars in one source file. Every AST node and diagnostic has one. */
public record Span(SourceFile file, int start, int end) {
    public Span {
        if (start < 0 || end < start) throw new IllegalArgumentException("bad span " + start + ".." + end);
    }

    public static Span of(SourceFile file, int start, int end) { return new Span(file, start, end); }

    /** The smallest span covering both. */
    public Span to(Span other) {
        return new Span(file, Math.min(start, other.start), Math.max(end, other.end));
    }

    public int line() { return file.line(start); }

    public int column() { return file.column(start); }

    public String text() { return file.text().substring(start, Math.min(end, file.text().length())); }

    /** file:line:col, the form editors and terminals turn into links. */
    public String location() { return file.name() + ":" + line() + ":" + column(); }

    @Override
    public String toString() { return location(); }
}
