// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.analysis;

import java.util.function.IntPredicate;

/**
 * Static index of closed intervals (the hulls of one field's sets), endpoints held as high/low
 * words. {@link #counts} says how many intervals overlap each query, in O(log n) from two sorted
 * endpoint arrays; {@link #anyOverlap} visits the overlapping ones in O(k log n) through a max-hi
 * tree over the intervals sorted by lo, which also keeps the smallest owner per subtree so that
 * only intervals of earlier rules are seen. Visiting order is by lo, ties by input position, so
 * the first interval a query accepts does not depend on how the sort is done.
 */
final class HullIndex {
    private final long[] loH, loL; // sorted by lo; ids[i] owns position i
    private final int[] ids;
    private final int[] owner;     // owner of each position
    /**
     * Segment tree over positions, three words per node so one visit reads one cache line: the
     * largest hi below the node (high, low word) and the smallest owner below it.
     */
    private final long[] tree;
    private final int n;

    /**
     * @param ids the id reported for each interval
     * @param owner per interval, the position of the rule it belongs to; queries ask for owners below a bound
     */
    HullIndex(long[] loH, long[] loL, long[] hiH, long[] hiL, int[] ids, int[] owner) {
        n = loH.length;
        int[] perm = U128Order.order(loH, loL);
        this.loH = U128Order.gather(loH, perm);
        this.loL = U128Order.gather(loL, perm);
        this.ids = new int[n];
        this.owner = new int[n];
        long[] sh = new long[n], sl = new long[n];
        for (int k = 0; k < n; k++) {
            this.ids[k] = ids[perm[k]];
            this.owner[k] = owner[perm[k]];
            sh[k] = hiH[perm[k]];
            sl[k] = hiL[perm[k]];
        }
        tree = new long[3 * Math.max(1, 4 * n)];
        if (n > 0) build(1, 0, n, sh, sl);
    }

    /**
     * For each interval [lo[q], hi[q]] as a query, how many of the intervals overlap it: those
     * starting at or before its end, minus those ending before its start.
     */
    static int[] counts(long[] loH, long[] loL, long[] hiH, long[] hiL) {
        int n = loH.length;
        int[] pl = U128Order.order(loH, loL), ph = U128Order.order(hiH, hiL);
        long[] slH = U128Order.gather(loH, pl), slL = U128Order.gather(loL, pl);
        long[] shH = U128Order.gather(hiH, ph), shL = U128Order.gather(hiL, ph);
        int[] out = new int[n];
        for (int q = 0; q < n; q++) out[q] = upperBound(slH, slL, hiH[q], hiL[q]) - lowerBound(shH, shL, loH[q], loL[q]);
        return out;
    }

    private void build(int node, int l, int r, long[] hiH, long[] hiL) {
        if (r - l == 1) {
            tree[3 * node] = hiH[l];
            tree[3 * node + 1] = hiL[l];
            tree[3 * node + 2] = owner[l];
            return;
        }
        int m = (l + r) >>> 1;
        build(2 * node, l, m, hiH, hiL);
        build(2 * node + 1, m, r, hiH, hiL);
        int a = 6 * node, b = 6 * node + 3, t = 3 * node;
        int w = U128Order.lt(tree[a], tree[a + 1], tree[b], tree[b + 1]) ? b : a;
        tree[t] = tree[w];
        tree[t + 1] = tree[w + 1];
        tree[t + 2] = Math.min(tree[a + 2], tree[b + 2]);
    }

    /**
     * Offers {@code out} the id of every interval containing the value (vh, vl) whose owner is
     * below {@code ownerBound}, in index order, until it answers true; returns whether it did.
     */
    boolean anyContaining(long vh, long vl, int ownerBound, IntPredicate out) {
        int p = upperBound(loH, loL, vh, vl);
        return p > 0 && collect(1, 0, n, p, vh, vl, ownerBound, out);
    }

    private boolean collect(int node, int l, int r, int p, long vh, long vl, int ownerBound, IntPredicate out) {
        int t = 3 * node;
        if (l >= p || tree[t + 2] >= ownerBound || U128Order.lt(tree[t], tree[t + 1], vh, vl)) return false;
        if (r - l == 1) return out.test(ids[l]);
        int m = (l + r) >>> 1;
        return collect(2 * node, l, m, p, vh, vl, ownerBound, out) || collect(2 * node + 1, m, r, p, vh, vl, ownerBound, out);
    }

    /** First index whose value is greater than v. */
    private static int upperBound(long[] h, long[] l, long vh, long vl) {
        int lo = 0, hi = h.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (U128Order.le(h[mid], l[mid], vh, vl)) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    /** First index whose value is at least v. */
    private static int lowerBound(long[] h, long[] l, long vh, long vl) {
        int lo = 0, hi = h.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (U128Order.lt(h[mid], l[mid], vh, vl)) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
