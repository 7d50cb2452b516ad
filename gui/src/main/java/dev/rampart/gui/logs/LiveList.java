// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.logs;

import dev.rampart.telemetry.Flow;
import java.util.Arrays;
import javafx.collections.ObservableListBase;

/**
 * What the live log's table shows: an array computed off the UI thread and swapped in whole, with
 * one change notification per swap. When the new array is the old one with rows added on top (and
 * the oldest gone at the bottom), the change says exactly that, so the table keeps its selection on
 * the same records and only re-fills its visible cells; anything else is one replacement.
 * Read-only for everyone but the view-model.
 */
final class LiveList extends ObservableListBase<Flow> {
    private static final Flow[] NONE = new Flow[0];
    private Flow[] items = NONE;

    @Override public Flow get(int index) {
        if (index < 0 || index >= items.length) throw new IndexOutOfBoundsException(index + " of " + items.length);
        return items[index];
    }

    @Override public int size() { return items.length; }

    /** Identity, not equality: the same record object is the same row (and the search stays cheap). */
    @Override public int indexOf(Object o) {
        for (int i = 0; i < items.length; i++) if (items[i] == o) return i;
        return -1;
    }

    @Override public boolean contains(Object o) { return indexOf(o) >= 0; }

    /**
     * Shows {@code next}; {@code newOnTop} is the worker's count of rows new on top, or -1 when it
     * does not know. The claim is checked here (identity of every kept row, a few microseconds)
     * before the change is described as a shift, so a stale hint can never confuse the table.
     */
    void swap(Flow[] next, int newOnTop) {
        Flow[] old = items;
        if (next == old) return;
        boolean shift = newOnTop >= 0 && newOnTop <= next.length && isShift(old, next, newOnTop);
        items = next;
        beginChange();
        if (shift) {
            int kept = next.length - newOnTop, evicted = old.length - kept;
            if (evicted > 0) nextRemove(kept, Arrays.asList(Arrays.copyOfRange(old, kept, old.length)));
            if (newOnTop > 0) nextAdd(0, newOnTop);
        } else if (old.length > 0 || next.length > 0) {
            nextReplace(0, next.length, Arrays.asList(old));
        }
        endChange();
    }

    private static boolean isShift(Flow[] old, Flow[] next, int newOnTop) {
        int kept = next.length - newOnTop;
        if (kept > old.length) return false;
        for (int i = 0; i < kept; i++) if (next[newOnTop + i] != old[i]) return false;
        return true;
    }
}
