// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.source;

/**
 * Renders a diagnostic the way compilers people trust do: location and message, the source line,
 * a caret under the span, then the suggestion.
 * <pre>
 * office.rampart:12:24: error[unknown-name]: unknown net 'lna'
 *    12 |   rule lan-web: from lna to any service web accept
 *       |                      ^^^
 *       = did you mean 'lan'?
 * </pre>
 */
public final class DiagnosticRenderer {
    private DiagnosticRenderer() {}

    private static final int MAX_SHOWN = 200;

    public static String render(Diagnostic d) {
        StringBuilder sb = new StringBuilder(d.headline()).append('\n');
        Span s = d.span();
        int line = s.line();
        String text = s.file().lineText(line);
        String gutter = String.format("%5d | ", line);
        String pad = " ".repeat(gutter.length() - 2) + "| ";
        sb.append(gutter).append(printable(text)).append('\n');
        int col = s.column() - 1;
        int lineEnd = text.length();
        int width = Math.max(1, Math.min(s.end(), s.start() + (lineEnd - col)) - s.start());
        // The caret must stay under the shown part of the line, which printable() cuts at MAX_SHOWN.
        int caretCol = Math.min(Math.min(col, lineEnd), MAX_SHOWN);
        width = Math.max(1, Math.min(width, MAX_SHOWN - caretCol));
        sb.append(pad).append(" ".repeat(caretCol)).append("^".repeat(width)).append('\n');
        if (d.suggestion() != null) sb.append(" ".repeat(gutter.length() - 2)).append("= ").append(d.suggestion()).append('\n');
        return sb.toString();
    }

    public static String renderAll(Diagnostics ds) {
        StringBuilder sb = new StringBuilder();
        for (Diagnostic d : ds.sorted()) sb.append(render(d));
        if (ds.dropped() > 0) sb.append("... and ").append(ds.dropped()).append(" more diagnostics not shown\n");
        return sb.toString();
    }

    /** Garbage input must not mess up the terminal: control chars and long lines are neutralised. */
    private static String printable(String line) {
        StringBuilder sb = new StringBuilder(Math.min(line.length(), MAX_SHOWN));
        for (int i = 0; i < line.length() && i < MAX_SHOWN; i++) {
            char c = line.charAt(i);
            sb.append(c == '\t' ? ' ' : (c < 0x20 || c == 0x7f) ? '?' : c);
        }
        if (line.length() > MAX_SHOWN) sb.append("...");
        return sb.toString();
    }
}
