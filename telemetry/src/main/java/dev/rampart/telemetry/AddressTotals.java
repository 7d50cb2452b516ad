// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Flows, packets and bytes per address, for the top-talkers query: an open-addressing table keyed
 * by the address bytes. A busy hour holds hundreds of thousands of sources and tens of millions
 * of block entries to merge; boxing every one into a HashMap of strings took seconds.
 */
final class AddressTotals {
    private long[] hi = new long[1 << 12], lo = new long[1 << 12];
    private byte[] len = new byte[1 << 12];
    private long[] flows = new long[1 << 12], packets = new long[1 << 12], bytes = new long[1 << 12];
    private int size;

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
        int mask = hi.length - 1;
        int slot = (int) (mix(h * 31 + l + n) & mask);
        while (len[slot] != 0 && !(len[slot] == n && hi[slot] == h && lo[slot] == l)) slot = (slot + 1) & mask;
        if (len[slot] == 0) {
            hi[slot] = h;
            lo[slot] = l;
            len[slot] = (byte) n;
            if (++size * 2 > hi.length) {
                grow();
                add(n, h, l, f, p, b);
                return;
            }
        }
        flows[slot] += f;
        packets[slot] += p;
        bytes[slot] += b;
    }

    int size() { return size; }
    int len(int slot) { return len[slot]; }
    long hi(int slot) { return hi[slot]; }
    long lo(int slot) { return lo[slot]; }
    long flows(int slot) { return flows[slot]; }
    long packets(int slot) { return packets[slot]; }
    long bytes(int slot) { return bytes[slot]; }

    /**
     * The occupied slots in address order: IPv4 before IPv6, each by value, unsigned. Rollups
     * store their sources in this order so that a query merges them as sorted streams instead of
     * hashing millions of entries.
     */
    int[] sortedSlots() {
        long[] v4 = new long[size];
        List<Integer> v6 = new ArrayList<>();
        int n4 = 0;
        for (int i = 0; i < len.length; i++) {
            if (len[i] == 4) v4[n4++] = lo[i] << 32 | i;
            else if (len[i] != 0) v6.add(i);
        }
        // An IPv4 value is below 2^32, so shifting it up and adding the slot keeps the order.
        for (int i = 0; i < n4; i++) v4[i] ^= Long.MIN_VALUE;
        java.util.Arrays.sort(v4, 0, n4);
        v6.sort((a, b) -> {
            int c = Long.compareUnsigned(hi[a], hi[b]);
            return c != 0 ? c : Long.compareUnsigned(lo[a], lo[b]);
        });
        int[] out = new int[size];
        for (int i = 0; i < n4; i++) out[i] = (int) (v4[i] & 0xFFFFFFFFL);
        for (int i = 0; i < v6.size(); i++) out[n4 + i] = v6.get(i);
        return out;
    }

    private void grow() {
        long[] oh = hi, ol = lo, of = flows, op = packets, ob = bytes;
        byte[] on = len;
        int cap = hi.length * 2;
        hi = new long[cap];
        lo = new long[cap];
        len = new byte[cap];
        flows = new long[cap];
        packets = new long[cap];
        bytes = new long[cap];
        size = 0;
        for (int i = 0; i < oh.length; i++) {
            if (on[i] == 0) continue;
            // The entry being added when the table filled is re-added by the caller, counts zero here.
            add(on[i], oh[i], ol[i], of[i], op[i], ob[i]);
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

    /** The n busiest by bytes, then packets, then address text. */
    List<Talker> top(int n) {
        if (n <= 0) return List.of();
        // The n-th best (bytes, packets) pair, found with a small heap of slots so that hundreds of
        // thousands of entries are compared as numbers, not sorted as objects.
        java.util.PriorityQueue<Integer> best = new java.util.PriorityQueue<>(n + 1, this::compareCounts);
        for (int i = 0; i < len.length; i++) {
            if (len[i] == 0) continue;
            if (best.size() == n && compareCounts(i, best.peek()) <= 0) continue;
            best.add(i);
            if (best.size() > n) best.poll();
        }
        if (best.isEmpty()) return List.of();
        int cut = best.peek();
        // Entries tied with the n-th on both counts compete on their address text.
        List<Talker> all = new ArrayList<>();
        for (int i = 0; i < len.length; i++)
            if (len[i] != 0 && compareCounts(i, cut) >= 0)
                all.add(new Talker(FlowBlock.text(bytesOf(hi[i], lo[i], len[i])), flows[i], packets[i], bytes[i]));
        all.sort(ORDER);
        return List.copyOf(all.subList(0, Math.min(n, all.size())));
    }

    /** Ascending by bytes, then packets: the heap's head is the weakest of the best. */
    private int compareCounts(int a, int b) {
        int c = Long.compare(bytes[a], bytes[b]);
        return c != 0 ? c : Long.compare(packets[a], packets[b]);
    }

    private static final Comparator<Talker> ORDER = Comparator.comparingLong(Talker::bytes).reversed()
            .thenComparing(Comparator.comparingLong(Talker::packets).reversed()).thenComparing(Talker::address);
}
