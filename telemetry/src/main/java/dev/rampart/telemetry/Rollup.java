// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the aggregate queries need from a set of records, summed: per source address (flows,
 * packets, bytes), per minute (packets, denied packets) and per rule (flows, packets, bytes, last
 * time seen). A rollup row holds this for every record of one box whose sequence number lies in
 * an aligned range (see {@link Rollups}); an aggregate over a time window adds the rollups that
 * lie wholly inside it and decodes only the blocks at its edges.
 *
 * <p>Encoding, version 1: {@code u8 version}, then three sections, each behind its
 * {@code varint length} so a query reads only the one it needs. SOURCES: {@code varint} IPv4
 * count, then per address in ascending order the varint difference from the previous one (from 0)
 * and varint flows, packets, bytes; then {@code varint} IPv6 count, per address its 16 bytes
 * (ascending, unsigned) and the three varints. MINUTES: count, then per minute in ascending order
 * the zigzag varint difference from the previous minute number (from 0), packets, denied. RULES:
 * count, then per rule in ascending order the zigzag difference from the previous id (from 0),
 * flows, packets, bytes and the zigzag last time.
 */
final class Rollup {
    static final int VERSION = 1;
    static final int SOURCES = 1, MINUTES = 2, RULES = 4, ALL = 7;

    final AddressTotals sources = new AddressTotals();
    /** Minute number (unix ms / 60,000) to {packets, denied}. */
    final TreeMap<Long, long[]> minutes = new TreeMap<>();
    /** Rule id to {flows, packets, bytes, last time}. */
    final Map<Long, long[]> rules = new HashMap<>();
    long n;
    long minTime = Long.MAX_VALUE, maxTime = Long.MIN_VALUE;

    /** Adds the records of {@code b} whose time is in [from, to); {@code what} says which sums are kept. */
    void add(FlowBlock b, long from, long to, int what) {
        add(b, from, to, what, 1);
    }

    /**
     * With {@code sign} -1, takes those records away instead: a query that adds a rollup cut by
     * its window removes the few records outside rather than decoding the many inside. Not for
     * rules, whose last time seen is a maximum, not a sum.
     */
    void add(FlowBlock b, long from, long to, int what, int sign) {
        if (sign != 1 && (sign != -1 || (what & RULES) != 0)) throw new IllegalArgumentException("cannot take away " + what);
        long[] time = b.time();
        long[] pk = (what & (SOURCES | MINUTES | RULES)) != 0 ? b.packets() : null;
        if ((what & SOURCES) != 0) {
            // Sum per dictionary entry first: a block names each busy address once.
            byte[][] addrs = b.addrs();
            long[] fl = new long[addrs.length], pa = new long[addrs.length], by = new long[addrs.length];
            long[] bytes = b.bytes();
            int[] src = b.src();
            for (int i = 0; i < b.n; i++) {
                if (time[i] < from || time[i] >= to) continue;
                fl[src[i]]++;
                pa[src[i]] += pk[i];
                by[src[i]] += bytes[i];
            }
            for (int a = 0; a < addrs.length; a++) if (fl[a] != 0) sources.add(addrs[a], sign * fl[a], sign * pa[a], sign * by[a]);
        }
        if ((what & MINUTES) != 0) {
            byte[] verdict = b.verdict();
            long minute = Long.MIN_VALUE;
            long[] t = null;
            for (int i = 0; i < b.n; i++) {
                if (time[i] < from || time[i] >= to) continue;
                long m = Math.floorDiv(time[i], 60_000L);
                // Records of a block are close in time: most share the previous record's minute.
                if (m != minute) {
                    minute = m;
                    t = minutes.computeIfAbsent(m, k -> new long[2]);
                }
                t[0] += sign * pk[i];
                if (verdict[i] != Flow.ACCEPT) t[1] += sign * pk[i];
            }
        }
        if ((what & RULES) != 0) {
            // A block holds a few dozen rules at most: sum per rule in a small table first, so the
            // map of boxed ids is touched once per rule and block, not once per record.
            long[] rule = b.rule(), bytes = b.bytes();
            int cap = Integer.highestOneBit(Math.max(b.n, 8)) * 4, mask = cap - 1;
            long[] ids = new long[cap];
            long[][] sums = new long[cap][];
            for (int i = 0; i < b.n; i++) {
                if (time[i] < from || time[i] >= to) continue;
                int slot = (int) (mix(rule[i]) & mask);
                while (sums[slot] != null && ids[slot] != rule[i]) slot = (slot + 1) & mask;
                long[] t = sums[slot];
                if (t == null) {
                    ids[slot] = rule[i];
                    t = sums[slot] = new long[] {0, 0, 0, Long.MIN_VALUE};
                }
                t[0]++;
                t[1] += pk[i];
                t[2] += bytes[i];
                t[3] = Math.max(t[3], time[i]);
            }
            for (int s = 0; s < cap; s++) {
                if (sums[s] == null) continue;
                long[] u = sums[s];
                long[] t = rules.computeIfAbsent(ids[s], k -> new long[] {0, 0, 0, Long.MIN_VALUE});
                t[0] += u[0];
                t[1] += u[1];
                t[2] += u[2];
                t[3] = Math.max(t[3], u[3]);
            }
        }
        for (int i = 0; i < b.n; i++) {
            if (time[i] < from || time[i] >= to) continue;
            n += sign;
            minTime = Math.min(minTime, time[i]);
            maxTime = Math.max(maxTime, time[i]);
        }
    }

    private static long mix(long x) {
        x *= 0x9E3779B97F4A7C15L;
        return x ^ x >>> 31;
    }

    /** Adds a stored rollup's sums (the sections {@code what} names) and its count and time span. */
    void merge(byte[] data, long count, long min, long max, int what) {
        Sections s = new Sections(data);
        if ((what & SOURCES) != 0) {
            Cursor c = new Cursor(s.reader(0));
            while (c.next()) sources.add(c.len, c.hi, c.lo, c.flows, c.packets, c.bytes);
        }
        if ((what & MINUTES) != 0) {
            FlowBlock.In r = s.reader(1);
            long count2 = r.varint(), m = 0;
            for (long i = 0; i < count2; i++) {
                m += FlowBlock.unzigzag(r.varint());
                long[] t = minutes.computeIfAbsent(m, k -> new long[2]);
                t[0] += r.varint();
                t[1] += r.varint();
            }
            s.done(r, 1);
        }
        if ((what & RULES) != 0) {
            FlowBlock.In r = s.reader(2);
            long count2 = r.varint(), id = 0;
            for (long i = 0; i < count2; i++) {
                id += FlowBlock.unzigzag(r.varint());
                long[] t = rules.computeIfAbsent(id, k -> new long[] {0, 0, 0, Long.MIN_VALUE});
                t[0] += r.varint();
                t[1] += r.varint();
                t[2] += r.varint();
                t[3] = Math.max(t[3], FlowBlock.unzigzag(r.varint()));
            }
            s.done(r, 2);
        }
        n += count;
        minTime = Math.min(minTime, min);
        maxTime = Math.max(maxTime, max);
    }

    byte[] encode() {
        FlowBlock.Out src = new FlowBlock.Out(sources.size() * 7 + 4);
        int[] order = sources.sortedSlots();
        int v4 = 0;
        while (v4 < order.length && sources.len(order[v4]) == 4) v4++;
        src.varint(v4);
        long prev = 0;
        for (int k = 0; k < v4; k++) {
            int s = order[k];
            src.varint(sources.lo(s) - prev);
            prev = sources.lo(s);
            counts(src, s);
        }
        src.varint(order.length - v4);
        for (int k = v4; k < order.length; k++) {
            int s = order[k];
            src.u64be(sources.hi(s));
            src.u64be(sources.lo(s));
            counts(src, s);
        }
        FlowBlock.Out min = new FlowBlock.Out(minutes.size() * 6 + 2);
        min.varint(minutes.size());
        long pm = 0;
        for (Map.Entry<Long, long[]> e : minutes.entrySet()) {
            min.varint(FlowBlock.zigzag(e.getKey() - pm));
            pm = e.getKey();
            min.varint(e.getValue()[0]);
            min.varint(e.getValue()[1]);
        }
        FlowBlock.Out rul = new FlowBlock.Out(rules.size() * 16 + 2);
        rul.varint(rules.size());
        long pr = 0;
        for (Map.Entry<Long, long[]> e : new TreeMap<>(rules).entrySet()) {
            long[] t = e.getValue();
            rul.varint(FlowBlock.zigzag(e.getKey() - pr));
            pr = e.getKey();
            rul.varint(t[0]);
            rul.varint(t[1]);
            rul.varint(t[2]);
            rul.varint(FlowBlock.zigzag(t[3]));
        }
        FlowBlock.Out all = new FlowBlock.Out(src.size() + min.size() + rul.size() + 16);
        all.u8(VERSION);
        for (FlowBlock.Out s : List.of(src, min, rul)) {
            all.varint(s.size());
            s.writeTo(all);
        }
        return all.toByteArray();
    }

    private void counts(FlowBlock.Out o, int slot) {
        o.varint(sources.flows(slot));
        o.varint(sources.packets(slot));
        o.varint(sources.bytes(slot));
    }

    /** The sources of a stored rollup in address order, decoded one at a time. */
    static Cursor sources(byte[] data) {
        return new Cursor(new Sections(data).reader(0));
    }

    /** The section outline of a stored rollup, checked like a block's: damage is an error, never a wrong sum. */
    private static final class Sections {
        final byte[] data;
        final int[] start = new int[3], end = new int[3];

        Sections(byte[] data) {
            this.data = data;
            try {
                FlowBlock.In r = new FlowBlock.In(data, 0, data.length);
                int version = r.u8();
                if (version != VERSION) throw new IllegalStateException("flow rollup: unknown version " + version);
                for (int i = 0; i < 3; i++) {
                    long len = r.varint();
                    if (len < 0 || len > data.length - r.pos) throw new IllegalStateException("flow rollup: section " + i + " runs past the end");
                    start[i] = r.pos;
                    r.pos += (int) len;
                    end[i] = r.pos;
                }
                if (r.pos != data.length) throw new IllegalStateException("flow rollup: " + (data.length - r.pos) + " bytes after the last section");
            } catch (ArrayIndexOutOfBoundsException e) {
                throw new IllegalStateException("flow rollup is truncated", e);
            }
        }

        FlowBlock.In reader(int i) { return new FlowBlock.In(data, start[i], end[i]); }

        void done(FlowBlock.In r, int i) {
            if (r.pos != end[i]) throw new IllegalStateException("flow rollup: section " + i + " has " + (end[i] - r.pos) + " bytes left over");
        }
    }

    /** One source entry at a time, in address order (IPv4 first), from a stored rollup or from sums in memory. */
    static final class Cursor {
        private final FlowBlock.In r;
        private long left4, left6 = -1, prev;
        private final AddressTotals sums;
        private final int[] order;
        private int at;
        int len;
        long hi, lo, flows, packets, bytes;

        Cursor(FlowBlock.In r) {
            this.r = r;
            left4 = r.varint();
            sums = null;
            order = null;
        }

        Cursor(AddressTotals sums) {
            this.r = null;
            this.sums = sums;
            this.order = sums.sortedSlots();
        }

        /** Moves to the next entry; false at the end. */
        boolean next() {
            if (sums != null) {
                if (at == order.length) return false;
                int s = order[at++];
                len = sums.len(s);
                hi = sums.hi(s);
                lo = sums.lo(s);
                flows = sums.flows(s);
                packets = sums.packets(s);
                bytes = sums.bytes(s);
                return true;
            }
            if (left4 > 0) {
                left4--;
                prev += r.varint();
                len = 4;
                hi = 0;
                lo = prev;
            } else {
                if (left6 < 0) left6 = r.varint();
                if (left6 == 0) {
                    if (r.pos != r.end) throw new IllegalStateException("flow rollup: sources section has bytes left over");
                    return false;
                }
                left6--;
                len = 16;
                hi = r.u64be();
                lo = r.u64be();
            }
            flows = r.varint();
            packets = r.varint();
            bytes = r.varint();
            return true;
        }
    }

    /** Orders addresses as {@link AddressTotals#sortedSlots} does. */
    static int compare(int lenA, long hiA, long loA, int lenB, long hiB, long loB) {
        if (lenA != lenB) return Integer.compare(lenA, lenB);
        int c = Long.compareUnsigned(hiA, hiB);
        return c != 0 ? c : Long.compareUnsigned(loA, loB);
    }

    /** A source cursor over in-memory sums, for the blocks a query decoded at the window's edges. */
    static Cursor of(Rollup edges) {
        return new Cursor(edges.sources);
    }
}
