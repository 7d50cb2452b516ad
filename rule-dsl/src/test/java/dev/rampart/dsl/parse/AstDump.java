// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.parse;

import dev.rampart.dsl.ast.PolicyFile;
import dev.rampart.dsl.source.SourceFile;
import dev.rampart.dsl.source.Span;
import java.lang.reflect.RecordComponent;
import java.util.List;

/**
 * A readable, indented dump of an AST with every node's span as line:col-line:col, for golden
 * files that make the parser's structure and spans reviewable in a diff.
 */
final class AstDump {
    private AstDump() {}

    static String of(PolicyFile f) {
        StringBuilder sb = new StringBuilder();
        for (Object d : f.decls()) node(sb, d, 0);
        for (var c : f.comments()) sb.append("comment ").append(span(c.span())).append(' ').append(quote(c.text())).append('\n');
        return sb.toString();
    }

    private static void node(StringBuilder sb, Object o, int indent) {
        String pad = "  ".repeat(indent);
        if (!(o instanceof Record r)) {
            sb.append(pad).append(o instanceof String s ? quote(s) : String.valueOf(o)).append('\n');
            return;
        }
        sb.append(pad).append(r.getClass().getSimpleName());
        RecordComponent[] cs = r.getClass().getRecordComponents();
        StringBuilder nested = new StringBuilder();
        for (RecordComponent c : cs) {
            Object v = get(r, c);
            if (v instanceof Span s) {
                sb.append(' ').append(c.getName().equals("span") ? "" : c.getName() + "=").append(span(s));
            } else if (v instanceof SourceFile) {
                continue;
            } else if (v == null || v instanceof String || v instanceof Boolean || v instanceof Enum<?>) {
                sb.append(' ').append(c.getName()).append('=').append(v instanceof String s ? quote(s) : v);
            } else if (v instanceof List<?> l) {
                nested.append(pad).append("  ").append(c.getName()).append(l.isEmpty() ? " []" : ":").append('\n');
                for (Object item : l) node(nested, item, indent + 2);
            } else {
                nested.append(pad).append("  ").append(c.getName()).append(":\n");
                node(nested, v, indent + 2);
            }
        }
        sb.append('\n').append(nested);
    }

    private static Object get(Record r, RecordComponent c) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String span(Span s) {
        SourceFile f = s.file();
        return f.line(s.start()) + ":" + f.column(s.start()) + "-" + f.line(s.end()) + ":" + f.column(s.end());
    }

    private static String quote(String s) { return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""; }
}
