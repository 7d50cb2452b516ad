// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.table;

import java.util.Arrays;

/** A growable int array: the compiler's sections run to millions of entries, boxing would dominate. */
final class IntList {
    private int[] a = new int[16];
    private int n;

    int size() { return n; }

    void add(int v) {
        if (n == a.length) a = Arrays.copyOf(a, n * 2);
        a[n++] = v;
    }

    int get(int i) { return a[i]; }

    void set(int i, int v) { a[i] = v; }

    int[] toArray() { return Arrays.copyOf(a, n); }
}
