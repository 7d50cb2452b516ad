// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import java.util.ArrayList;
import java.util.List;

/**
 * Flows, packets and bytes per address: an open-addressing table keyed by the address bytes. A
 * busy hour holds hundreds of thousands of sources and millions of block entries to merge;
 * boxing every one into a HashMap of strings took seconds. An entry's six fields sit next to each
 * other in one array, so adding to it touches one or two cache lines instead of six.
 */
final class AddressTotals {
    /** Per slot: hi, lo, length (0: empty), flows, packets, bytes. */
    private static final int W = 6;
    private long[] t = new long[(1 << 12) * W];
    private int slots = 1 << 12, size;

    void add(byte[] addr, long f, long p, long b) {
        long h = 0, l = 0;
        if (addr.length == 4) {
            l = ((addr[0] & 0xFFL) << 24) | ((addr[1] & 0xFFL) << 16) | ((addr[2] & 0xFFL) << 8) | (addr[3] & 0xFFL);
        } else {
            for (int i = 0; i < 8; i++) h = h << 8 | (addr[i] & 0xFF);
            for (int i = 8; i < 16; i++) l = l << 8 | (addr[i] & 0xFF);
        }
        add(addr.length, h, l, f, p, b);
    }

    /** The same, with the address as its length and two 64-bit halves (IPv4: {@code hi} 0, the address in {@code lo}). */
    void add(int n, long h, long l, long f, long p, long b) {
        int mask = slots - 1;
        int slot = (int) (mix(h * 31 + l + n) & mask);
        while (true) {
            int at = slot * W;
            long len = t[at + 2];
            if (len == 0) break;
            if (len == n && t[at] == h && t[at + 1] == l) {
                t[at + 3] += f;
                t[at + 4] += p;
                t[at + 5] += b;
                return;
            }
            slot = (slot + 1) & mask;
        }
        if ((size + 1) * 2 > slots) {
            grow();
            add(n, h, l, f, p, b);
            return;
        }
        int at = slot * W;
        t[at] = h;
        t[at + 1] = l;
        t[at + 2] = n;
        t[at + 3] = f;
        t[at + 4] = p;
        t[at + 5] = b;
        size++;
    }

    private void grow() {
        long[] old = t;
        int oldSlots = slots;
        slots *= 2;
        t = new long[slots * W];
        size = 0;
        for (int i = 0; i < oldSlots; i++) {
            int at = i * W;
            if (old[at + 2] != 0) add((int) old[at + 2], old[at], old[at + 1], old[at + 3], old[at + 4], old[at + 5]);
        }
    }

    private static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        return x;
    }

    static byte[] bytesOf(long h, long l, int n) {
        byte[] a = new byte[n];
        if (n == 4) {
            for (int i = 0; i < 4; i++) a[i] = (byte) (l >>> (24 - 8 * i));
        } else {
            for (int i = 0; i < 8; i++) a[i] = (byte) (h >>> (56 - 8 * i));
            for (int i = 0; i < 8; i++) a[8 + i] = (byte) (l >>> (56 - 8 * i));
        }
        return a;
    }

    int size() { return size; }
    int len(int slot) { return (int) t[slot * W + 2]; }
    long hi(int slot) { return t[slot * W]; }
    long lo(int slot) { return t[slot * W + 1]; }
    long flows(int slot) { return t[slot * W + 3]; }
    long packets(int slot) { return t[slot * W + 4]; }
    long bytes(int slot) { return t[slot * W + 5]; }

    /**
     * The occupied slots in address order: IPv4 before IPv6, each by value, unsigned. Rollups
     * store their sources in this order so that a query merges them as sorted streams instead of
     * hashing millions of entries.
     */
    int[] sortedSlots() {
        long[] v4 = new long[size];
        List<Integer> v6 = new ArrayList<>();
        int n4 = 0;
        for (int i = 0; i < slots; i++) {
            int len = len(i);
            // An IPv4 value is below 2^32: shifted up, with the slot below it, it sorts by value.
            if (len == 4) v4[n4++] = (lo(i) << 32 | i) ^ Long.MIN_VALUE;
            else if (len != 0) v6.add(i);
        }
        java.util.Arrays.sort(v4, 0, n4);
        v6.sort((a, b) -> {
            int c = Long.compareUnsigned(hi(a), hi(b));
            return c != 0 ? c : Long.compareUnsigned(lo(a), lo(b));
        });
        int[] out = new int[size];
        for (int i = 0; i < n4; i++) out[i] = (int) (v4[i] & 0xFFFFFFFFL);
        for (int i = 0; i < v6.size(); i++) out[n4 + i] = v6.get(i);
        return out;
    }
}
