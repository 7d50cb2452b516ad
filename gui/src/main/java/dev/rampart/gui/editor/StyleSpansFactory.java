// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.fxmisc.richtext.model.StyleSpans;
import org.fxmisc.richtext.model.StyleSpansBuilder;

/** Turns overlapping style ranges into the consecutive spans a code area takes. */
final class StyleSpansFactory {
    private StyleSpansFactory() {}

    static StyleSpans<Collection<String>> build(List<StyledRange> ranges, int length) {
        // A sweep over range boundaries: between two boundaries the set of covering classes is constant.
        List<int[]> events = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        for (StyledRange r : ranges) {
            int s = Math.max(0, Math.min(r.start(), length)), e = Math.max(0, Math.min(r.end(), length));
            if (e <= s) continue;
            int c = classes.indexOf(r.styleClass());
            if (c < 0) {
                classes.add(r.styleClass());
                c = classes.size() - 1;
            }
            events.add(new int[] {s, c, 1});
            events.add(new int[] {e, c, -1});
        }
        events.sort(Comparator.comparingInt(a -> a[0]));
        int[] counts = new int[classes.size()];
        java.util.Map<Long, List<String>> seen = new java.util.HashMap<>();
        StyleSpansBuilder<Collection<String>> b = new StyleSpansBuilder<>();
        int pos = 0;
        int i = 0;
        boolean any = false;
        while (i < events.size()) {
            int at = events.get(i)[0];
            if (at > pos) {
                b.add(active(counts, classes, seen), at - pos);
                any = true;
                pos = at;
            }
            while (i < events.size() && events.get(i)[0] == at) {
                counts[events.get(i)[1]] += events.get(i)[2];
                i++;
            }
        }
        if (length > pos || !any) b.add(List.of(), Math.max(0, length - pos));
        return b.create();
    }

    /** One shared list per combination of classes: a big policy has ~150k spans but a handful of combinations. */
    private static List<String> active(int[] counts, List<String> classes, java.util.Map<Long, List<String>> seen) {
        long key = 0;
        for (int c = 0; c < counts.length && c < 64; c++) if (counts[c] > 0) key |= 1L << c;
        return seen.computeIfAbsent(key, k -> {
            List<String> out = new ArrayList<>(2);
            for (int c = 0; c < counts.length; c++) if (counts[c] > 0) out.add(classes.get(c));
            return List.copyOf(out);
        });
    }
}
