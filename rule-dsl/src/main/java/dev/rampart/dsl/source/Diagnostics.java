// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.source;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/** A collector that phases add to; it never throws, so one run reports every problem it can find. */
public final class Diagnostics {
    /** Beyond this many, more diagnostics add nothing for a human and only cost memory (50 MB garbage files). */
    public static final int LIMIT = 200;

    private final List<Diagnostic> items = new ArrayList<>();
    private int dropped;

    public void add(Diagnostic d) {
        if (items.size() >= LIMIT) {
            dropped++;
            return;
        }
        items.add(d);
    }

    public void error(Span span, String code, String message) { add(Diagnostic.error(span, code, message)); }

    public void warning(Span span, String code, String message) { add(Diagnostic.warning(span, code, message)); }

    public void addAll(Diagnostics other) {
        for (Diagnostic d : other.items) add(d);
        dropped += other.dropped;
    }

    public boolean hasErrors() {
        for (Diagnostic d : items) if (d.isError()) return true;
        return false;
    }

    public int errorCount() {
        int n = 0;
        for (Diagnostic d : items) if (d.isError()) n++;
        return n;
    }

    /** How many were not kept because of {@link #LIMIT}. */
    public int dropped() { return dropped; }

    /** In source order (file, then position), which is the order a reader fixes them in. */
    public List<Diagnostic> sorted() {
        List<Diagnostic> copy = new ArrayList<>(items);
        copy.sort(Comparator.comparing((Diagnostic d) -> d.span().file().name())
                .thenComparingInt(d -> d.span().start()));
        return Collections.unmodifiableList(copy);
    }

    public List<Diagnostic> all() { return Collections.unmodifiableList(items); }

    public boolean isEmpty() { return items.isEmpty(); }
}
