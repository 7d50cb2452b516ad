// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.gen;

import dev.rampart.dsl.source.SourceFile;
import dev.rampart.dsl.source.Span;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An AST with every span (and source file) left out, as nested maps and lists, so that two parses
 * of differently laid out text can be compared for meaning with equals().
 */
public final class AstShape {
    private AstShape() {}

    /** Record components looked up once per class: reflection on every node made the fuzz test slow. */
    private static final ClassValue<List<RecordComponent>> COMPONENTS = new ClassValue<>() {
        @Override
        protected List<RecordComponent> computeValue(Class<?> type) {
            RecordComponent[] cs = type.getRecordComponents();
            for (RecordComponent c : cs) c.getAccessor().setAccessible(true);
            return List.of(cs);
        }
    };

    /** The components of a record class, in declaration order (cached). */
    public static List<RecordComponent> components(Class<?> recordClass) { return COMPONENTS.get(recordClass); }

    public static Object of(Object node) {
        if (node == null || node instanceof String || node instanceof Boolean || node instanceof Number
                || node instanceof Enum<?>) {
            return node;
        }
        if (node instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(of(o));
            return out;
        }
        if (node instanceof Record r) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("@", r.getClass().getSimpleName());
            for (RecordComponent c : components(r.getClass())) {
                if (c.getType() == Span.class || c.getType() == SourceFile.class) continue;
                try {
                    out.put(c.getName(), of(c.getAccessor().invoke(r)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            return out;
        }
        throw new IllegalArgumentException("not an AST value: " + node.getClass());
    }
}
