package dev.rampart.dsl.analysis;

import dev.rampart.dsl.ir.IntervalSet;
import dev.rampart.dsl.ir.U128;
import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Static index of closed intervals (the hulls of one field's sets). {@link #counts} says how many
 * intervals overlap each query, in O(log n) from two sorted endpoint arrays; {@link #anyOverlap}
 * visits the overlapping ones in O(k log n) through a max-hi tree over the intervals sorted by lo,
 * which also keeps the smallest owner per subtree so that only intervals of earlier rules are seen.
 */
final class HullIndex {
    private final U128[] los;     // sorted by lo; ids[i] owns los[i], his[i]
    private final U128[] his;
    private final int[] ids;
    private final U128[] maxHi;  // segment tree over positions
    private final int[] minOwner; // same tree: the smallest owner below a node
    private final int[] owner;    // owner (rule position) of each interval id
    private final int n;

    /** @param owner per interval, the position of the rule it belongs to; queries can ask for owners below a bound */
    HullIndex(IntervalSet[] sets, int[] owner) {
        this.owner = owner;
        n = sets.length;
        Entry[] es = new Entry[n];
        for (int i = 0; i < n; i++) es[i] = new Entry(first(sets[i]), last(sets[i]), i);
        Arrays.sort(es);
        los = new U128[n];
        his = new U128[n];
        ids = new int[n];
        for (int k = 0; k < n; k++) {
            ids[k] = es[k].id;
            los[k] = es[k].lo;
            his[k] = es[k].hi;
        }
        maxHi = new U128[Math.max(1, 4 * n)];
        minOwner = new int[Math.max(1, 4 * n)];
        if (n > 0) build(1, 0, n);
    }

    /** For each query [queryLo[q], queryHi[q]], how many of {@code sets}' hulls overlap it: those starting at or before its end, minus those ending before its start. */
    static int[] counts(IntervalSet[] sets, U128[] queryLo, U128[] queryHi) {
        int n = sets.length;
        U128[] lo = new U128[n], hi = new U128[n];
        for (int i = 0; i < n; i++) {
            lo[i] = first(sets[i]);
            hi[i] = last(sets[i]);
        }
        Arrays.sort(lo);
        Arrays.sort(hi);
        int[] out = new int[queryLo.length];
        for (int q = 0; q < queryLo.length; q++) out[q] = upperBound(lo, queryHi[q]) - lowerBound(hi, queryLo[q]);
        return out;
    }

    static U128 first(IntervalSet s) { return s.intervals().get(0).lo(); }

    static U128 last(IntervalSet s) { return s.intervals().get(s.intervals().size() - 1).hi(); }

    private record Entry(U128 lo, U128 hi, int id) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) { return lo.compareTo(o.lo); }
    }

    private void build(int node, int l, int r) {
        if (r - l == 1) {
            maxHi[node] = his[l];
            minOwner[node] = owner[ids[l]];
            return;
        }
        int m = (l + r) >>> 1;
        build(2 * node, l, m);
        build(2 * node + 1, m, r);
        U128 a = maxHi[2 * node], b = maxHi[2 * node + 1];
        maxHi[node] = a.compareTo(b) >= 0 ? a : b;
        minOwner[node] = Math.min(minOwner[2 * node], minOwner[2 * node + 1]);
    }


    /**
     * Offers {@code out} the id of every interval overlapping [a, b] whose owner is below
     * {@code ownerBound}, until it answers true; returns whether it did.
     */
    boolean anyOverlap(U128 a, U128 b, int ownerBound, IntPredicate out) {
        int p = upperBound(los, b);
        return p > 0 && collect(1, 0, n, p, a, ownerBound, out);
    }

    private boolean collect(int node, int l, int r, int p, U128 a, int ownerBound, IntPredicate out) {
        if (l >= p || maxHi[node].lt(a) || minOwner[node] >= ownerBound) return false;
        if (r - l == 1) return owner[ids[l]] < ownerBound && out.test(ids[l]);
        int m = (l + r) >>> 1;
        return collect(2 * node, l, m, p, a, ownerBound, out) || collect(2 * node + 1, m, r, p, a, ownerBound, out);
    }

    /** First index whose value is greater than v. */
    private static int upperBound(U128[] arr, U128 v) {
        int lo = 0, hi = arr.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (arr[mid].compareTo(v) <= 0) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /** First index whose value is at least v. */
    private static int lowerBound(U128[] arr, U128 v) {
        int lo = 0, hi = arr.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (arr[mid].compareTo(v) < 0) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
