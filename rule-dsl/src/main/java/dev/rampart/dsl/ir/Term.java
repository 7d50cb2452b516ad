// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.ir;

import java.util.EnumMap;
import java.util.Map;

/**
 * One conjunction: a packet matches the term when every field's value lies in that field's set,
 * and the dynamic-set conditions (if any) hold. A rule is a disjunction of terms: services such as
 * {@code tcp 80, udp 53} are not a cross product of protocols and ports, and each address family
 * gets its own term.
 *
 * @param srcSet null when the rule tests no dynamic set on the source
 */
public record Term(Map<Field, IntervalSet> fields, SetMatch srcSet, SetMatch dstSet) {
    public Term {
        EnumMap<Field, IntervalSet> copy = new EnumMap<>(Field.class);
        for (Field f : Field.values()) copy.put(f, fields.getOrDefault(f, f.universe()));
        fields = java.util.Collections.unmodifiableMap(copy);
    }

    public IntervalSet get(Field f) { return fields.get(f); }

    /** A term matching everything. */
    public static Term any() { return new Term(Map.of(), null, null); }

    public Term with(Field f, IntervalSet s) {
        EnumMap<Field, IntervalSet> copy = new EnumMap<>(fields);
        copy.put(f, s);
        return new Term(copy, srcSet, dstSet);
    }

    /** True if some field is empty, so the term can never match. */
    public boolean isEmpty() {
        for (IntervalSet s : fields.values()) if (s.isEmpty()) return true;
        return false;
    }
}
