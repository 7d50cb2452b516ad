// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.analysis;

/**
 * Stable ordering of 128-bit values held as parallel arrays of high and low words, compared
 * unsigned. The analysis sorts hundreds of thousands of endpoints; doing it on primitive words
 * avoids allocating an object per value and the comparator calls of a generic sort.
 */
final class U128Order {
    private static final int RUN = 32;

    private U128Order() {}

    static boolean lt(long ah, long al, long bh, long bl) {
        return ah != bh ? Long.compareUnsigned(ah, bh) < 0 : Long.compareUnsigned(al, bl) < 0;
    }

    static boolean le(long ah, long al, long bh, long bl) {
        return ah != bh ? Long.compareUnsigned(ah, bh) < 0 : Long.compareUnsigned(al, bl) <= 0;
    }

    /** The permutation listing positions by ascending value; equal values keep their original order. */
    static int[] order(long[] h, long[] l) {
        int n = h.length;
        int[] packed = packedOrder(h, l);
        if (packed != null) return packed;
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        // Insertion sort short runs, then merge them bottom-up: simple, stable, O(n log n).
        for (int s = 0; s < n; s += RUN) {
            int e = Math.min(n, s + RUN);
            for (int i = s + 1; i < e; i++) {
                int x = a[i];
                int j = i - 1;
                while (j >= s && lt(h[x], l[x], h[a[j]], l[a[j]])) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = x;
            }
        }
        int[] b = new int[n];
        for (int width = RUN; width < n; width *= 2) {
            for (int s = 0; s < n; s += 2 * width) {
                int m = Math.min(n, s + width), e = Math.min(n, s + 2 * width);
                int i = s, j = m, k = s;
                while (i < m && j < e) b[k++] = lt(h[a[j]], l[a[j]], h[a[i]], l[a[i]]) ? a[j++] : a[i++];
                while (i < m) b[k++] = a[i++];
                while (j < e) b[k++] = a[j++];
            }
            int[] t = a;
            a = b;
            b = t;
        }
        return a;
    }

    /**
     * The common case, where all values share their high word and span a small range (IPv4
     * addresses, ports, protocols): value offset and position packed into one long, so a primitive
     * sort does it and ties stay in position order. Null when they do not fit.
     */
    private static int[] packedOrder(long[] h, long[] l) {
        int n = h.length;
        if (n == 0) return new int[0];
        long min = l[0], max = l[0];
        for (int i = 0; i < n; i++) {
            if (h[i] != h[0]) return null;
            if (Long.compareUnsigned(l[i], min) < 0) min = l[i];
            if (Long.compareUnsigned(l[i], max) > 0) max = l[i];
        }
        int posBits = 32 - Integer.numberOfLeadingZeros(n);
        long span = max - min;
        if (span < 0 || (span >>> (63 - posBits)) != 0) return null;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) keys[i] = ((l[i] - min) << posBits) | i;
        java.util.Arrays.sort(keys);
        long mask = (1L << posBits) - 1;
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = (int) (keys[i] & mask);
        return a;
    }

    /** {@code v} gathered in the order {@code perm}. */
    static long[] gather(long[] v, int[] perm) {
        long[] out = new long[perm.length];
        for (int i = 0; i < perm.length; i++) out[i] = v[perm[i]];
        return out;
    }
}
