// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * A set of values as sorted, disjoint, non-adjacent closed intervals: the one normal form of every
 * IR field. Immutable. Operations are linear merges; complement is relative to a field's universe.
 */
public final class IntervalSet {
    private static final IntervalSet EMPTY = new IntervalSet(List.of());

    private final List<Interval> intervals;

    private IntervalSet(List<Interval> normalised) { this.intervals = normalised; }

    public static IntervalSet empty() { return EMPTY; }

    public static IntervalSet of(Interval i) { return new IntervalSet(List.of(i)); }

    public static IntervalSet range(long lo, long hi) { return of(Interval.of(lo, hi)); }

    public static IntervalSet point(U128 v) { return of(Interval.point(v)); }

    /** Normalises any collection of intervals: sorts, merges overlapping and adjacent ones. */
    public static IntervalSet of(List<Interval> any) {
        if (any.isEmpty()) return EMPTY;
        List<Interval> sorted = new ArrayList<>(any);
        sorted.sort(Comparator.comparing(Interval::lo));
        List<Interval> out = new ArrayList<>();
        U128 curLo = sorted.get(0).lo(), curHi = sorted.get(0).hi();
        for (int i = 1; i < sorted.size(); i++) {
            Interval n = sorted.get(i);
            boolean touches = !curHi.equals(U128.MAX) && n.lo().le(curHi.plusOne());
            if (touches || curHi.equals(U128.MAX)) {
                if (curHi.lt(n.hi())) curHi = n.hi();
            } else {
                out.add(new Interval(curLo, curHi));
                curLo = n.lo();
                curHi = n.hi();
            }
        }
        out.add(new Interval(curLo, curHi));
        return new IntervalSet(Collections.unmodifiableList(out));
    }

    public List<Interval> intervals() { return intervals; }

    public boolean isEmpty() { return intervals.isEmpty(); }

    public boolean contains(U128 v) {
        int lo = 0, hi = intervals.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Interval m = intervals.get(mid);
            if (v.lt(m.lo())) hi = mid - 1;
            else if (m.hi().lt(v)) lo = mid + 1;
            else return true;
        }
        return false;
    }

    public boolean contains(long v) { return contains(U128.of(v)); }

    public IntervalSet union(IntervalSet o) {
        if (o.isEmpty()) return this;
        if (isEmpty()) return o;
        List<Interval> all = new ArrayList<>(intervals);
        all.addAll(o.intervals);
        return of(all);
    }

    public IntervalSet intersect(IntervalSet o) {
        if (intervals.size() == 1 && o.intervals.size() == 1) {
            // The common case (prefixes, port ranges), without building lists; an operand that is
            // itself the answer is returned as is, which is safe since sets are immutable.
            Interval a = intervals.get(0), b = o.intervals.get(0);
            if (b.lo().le(a.lo()) && a.hi().le(b.hi())) return this;
            if (a.lo().le(b.lo()) && b.hi().le(a.hi())) return o;
            U128 lo = a.lo().lt(b.lo()) ? b.lo() : a.lo();
            U128 hi = a.hi().lt(b.hi()) ? a.hi() : b.hi();
            return lo.le(hi) ? of(new Interval(lo, hi)) : EMPTY;
        }
        List<Interval> out = new ArrayList<>();
        int i = 0, j = 0;
        while (i < intervals.size() && j < o.intervals.size()) {
            Interval a = intervals.get(i), b = o.intervals.get(j);
            U128 lo = a.lo().lt(b.lo()) ? b.lo() : a.lo();
            U128 hi = a.hi().lt(b.hi()) ? a.hi() : b.hi();
            if (lo.le(hi)) out.add(new Interval(lo, hi));
            if (a.hi().lt(b.hi())) i++; else j++;
        }
        return out.isEmpty() ? EMPTY : new IntervalSet(Collections.unmodifiableList(out));
    }

    /** The values of {@code universe} not in this set. */
    public IntervalSet complement(IntervalSet universe) {
        return universe.minus(this);
    }

    public IntervalSet minus(IntervalSet o) {
        if (o.isEmpty()) return this;
        if (intervals.size() == 1 && o.intervals.size() == 1) {
            Interval a = intervals.get(0), b = o.intervals.get(0);
            if (a.hi().lt(b.lo()) || b.hi().lt(a.lo())) return this;
            if (b.lo().le(a.lo()) && a.hi().le(b.hi())) return EMPTY;
        }
        List<Interval> out = new ArrayList<>();
        int j = 0;
        for (Interval a : intervals) {
            U128 lo = a.lo();
            boolean done = false;
            while (j < o.intervals.size() && o.intervals.get(j).hi().lt(lo)) j++;
            int k = j;
            while (!done && k < o.intervals.size() && o.intervals.get(k).lo().le(a.hi())) {
                Interval b = o.intervals.get(k);
                if (lo.lt(b.lo())) out.add(new Interval(lo, b.lo().minusOne()));
                if (b.hi().lt(a.hi())) lo = b.hi().plusOne(); else done = true;
                k++;
            }
            if (!done) out.add(new Interval(lo, a.hi()));
        }
        return out.isEmpty() ? EMPTY : new IntervalSet(Collections.unmodifiableList(out));
    }

    /** True when every value of this set is in {@code o}. */
    public boolean subsetOf(IntervalSet o) { return minus(o).isEmpty(); }

    public boolean intersects(IntervalSet o) { return !intersect(o).isEmpty(); }

    @Override
    public boolean equals(Object obj) { return obj instanceof IntervalSet s && s.intervals.equals(intervals); }

    @Override
    public int hashCode() { return intervals.hashCode(); }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < intervals.size(); i++) {
            if (i > 0) sb.append(", ");
            Interval iv = intervals.get(i);
            sb.append(iv.lo());
            if (!iv.lo().equals(iv.hi())) sb.append("..").append(iv.hi());
        }
        return sb.append('}').toString();
    }
}
