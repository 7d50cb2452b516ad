package dev.rampart.dsl.analysis;

import dev.rampart.dsl.ir.IntervalSet;
import dev.rampart.dsl.ir.U128;
import java.util.Arrays;
import java.util.Comparator;
import java.util.function.IntConsumer;

/**
 * Static index of closed intervals (the hulls of one field's sets) answering "which intervals
 * overlap [a, b]": how many, in O(log n) from two sorted endpoint arrays, and which, in
 * O(k log n) from a max-hi tree over the intervals sorted by lo. Counting first lets the caller
 * enumerate along whichever field is most selective for a query.
 */
final class HullIndex {
    private final U128[] los;     // sorted by lo; ids[i] owns los[i], his[i]
    private final U128[] his;
    private final int[] ids;
    private final U128[] sortedHis;
    private final U128[] maxHi;  // segment tree over positions
    private final int n;

    HullIndex(IntervalSet[] sets) {
        n = sets.length;
        Integer[] order = new Integer[n];
        U128[] lo = new U128[n], hi = new U128[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
            lo[i] = sets[i].intervals().get(0).lo();
            hi[i] = sets[i].intervals().get(sets[i].intervals().size() - 1).hi();
        }
        Arrays.sort(order, Comparator.comparing(i -> lo[i]));
        los = new U128[n];
        his = new U128[n];
        ids = new int[n];
        for (int k = 0; k < n; k++) {
            ids[k] = order[k];
            los[k] = lo[order[k]];
            his[k] = hi[order[k]];
        }
        sortedHis = hi.clone();
        Arrays.sort(sortedHis);
        maxHi = new U128[Math.max(1, 4 * n)];
        if (n > 0) build(1, 0, n);
    }

    private U128 build(int node, int l, int r) {
        if (r - l == 1) return maxHi[node] = his[l];
        int m = (l + r) >>> 1;
        U128 a = build(2 * node, l, m), b = build(2 * node + 1, m, r);
        return maxHi[node] = a.compareTo(b) >= 0 ? a : b;
    }

    /** Number of intervals overlapping [a, b]: those starting at or before b, minus those ending before a. */
    int count(U128 a, U128 b) {
        return upperBound(los, b) - lowerBound(sortedHis, a);
    }

    /** Calls {@code out} with the id of every interval overlapping [a, b]. */
    void forEachOverlap(U128 a, U128 b, IntConsumer out) {
        int p = upperBound(los, b);
        if (p > 0) collect(1, 0, n, p, a, out);
    }

    private void collect(int node, int l, int r, int p, U128 a, IntConsumer out) {
        if (l >= p || maxHi[node].lt(a)) return;
        if (r - l == 1) {
            out.accept(ids[l]);
            return;
        }
        int m = (l + r) >>> 1;
        collect(2 * node, l, m, p, a, out);
        collect(2 * node + 1, m, r, p, a, out);
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
