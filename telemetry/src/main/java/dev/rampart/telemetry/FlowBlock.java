// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Up to {@link #TARGET} flow records of one box, in sequence order, stored as one database row.
 * One row per record capped H2 near 40k records/s on these machines (each row touches a primary
 * key and three B-tree indexes); one row per block moves the per-record work into this codec and
 * lets the viewer's queries decode only the blocks whose summary (time span, verdicts present,
 * address Bloom filter) can hold a match, and only the columns they look at.
 *
 * <p>Encoding, version 1: {@code u8 version, varint n}, then one section per {@link Col}, each
 * {@code varint length} followed by its bytes, so a reader skips what it does not need. Sequence
 * numbers are varint deltas from the row's first_seq; times zigzag varint deltas starting from the
 * row's min_time; hook, verdict, protocol and family one byte each; addresses a dictionary
 * ({@code varint count}, then per entry {@code u8 length (4 or 16)} and the address bytes) with
 * varint indexes for source and destination; ports two bytes each little-endian; interfaces a
 * dictionary of UTF-8 names with varint indexes; generations a dictionary of u64 with indexes;
 * rule id, packets and bytes varints.
 */
final class FlowBlock {

    /** Records per block: small enough that a page of the viewer decodes little, large enough to amortise a row. */
    static final int TARGET = 1024;
    static final int VERSION = 1;

    enum Col { SEQ, TIME, HOOK, VERDICT, PROTO, FAMILY, ADDRS, SRC, DST, SPORT, DPORT, IFACES, IN, OUT, GENS, GEN, RULE, PACKETS, BYTES }

    final String box;
    final long firstSeq, minTime;
    final int n;
    private final byte[] data;
    private final int[] start = new int[Col.values().length], end = new int[Col.values().length];

    private long[] seq, time, rule, packets, bytes, gens;
    private byte[] hook, verdict, proto, family;
    private byte[][] addrs;
    private String[] addrText, ifaces;
    private int[] src, dst, sport, dport, in, out, gen;

    private FlowBlock(String box, long firstSeq, long minTime, byte[] data) {
        this.box = box;
        this.firstSeq = firstSeq;
        this.minTime = minTime;
        this.data = data;
        In r = new In(data, 0, data.length);
        int version = r.u8();
        if (version != VERSION) throw damaged("unknown block version " + version);
        long count = r.varint();
        if (count <= 0 || count > TARGET * 64L) throw damaged("bad record count " + count);
        n = (int) count;
        for (Col c : Col.values()) {
            long len = r.varint();
            if (len < 0 || len > data.length - r.pos) throw damaged("section " + c + " runs past the end (" + len + " bytes at byte " + r.pos + ")");
            start[c.ordinal()] = r.pos;
            r.pos += (int) len;
            end[c.ordinal()] = r.pos;
        }
        if (r.pos != data.length) throw damaged((data.length - r.pos) + " bytes after the last column");
    }

    /**
     * A stored block, checked for its outline (version, count, section bounds); a column found
     * damaged when first read is an error that names the block, never a wrong answer.
     */
    static FlowBlock decode(String box, long firstSeq, long minTime, byte[] data) {
        try {
            return new FlowBlock(box, firstSeq, minTime, data);
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IllegalStateException("flow block " + box + "#" + firstSeq + " is truncated", e);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("flow block " + box + "#" + firstSeq + " is damaged: " + e.getMessage(), e);
        }
    }

    private IllegalStateException damaged(String why) {
        return new IllegalStateException(why);
    }

    /** Reads one section, checking that it is consumed exactly. */
    private <T> T section(Col c, java.util.function.Function<In, T> read) {
        In r = new In(data, start[c.ordinal()], end[c.ordinal()]);
        try {
            T v = read.apply(r);
            if (r.pos != r.end) throw damaged("section " + c + " has " + (r.end - r.pos) + " bytes left over");
            return v;
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IllegalStateException("flow block " + box + "#" + firstSeq + " is damaged: section " + c + " is truncated", e);
        } catch (IllegalStateException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("flow block ")) throw e;
            throw new IllegalStateException("flow block " + box + "#" + firstSeq + " is damaged: " + e.getMessage(), e);
        }
    }

    long[] seq() {
        if (seq == null) seq = section(Col.SEQ, r -> {
            long[] v = new long[n];
            long s = firstSeq;
            for (int i = 0; i < n; i++) v[i] = s += r.varint();
            if (v[0] != firstSeq) throw damaged("first sequence number differs from the key");
            return v;
        });
        return seq;
    }

    long[] time() {
        if (time == null) time = section(Col.TIME, r -> {
            long[] v = new long[n];
            long t = minTime;
            for (int i = 0; i < n; i++) v[i] = t += unzigzag(r.varint());
            return v;
        });
        return time;
    }

    byte[] hook() { return hook != null ? hook : (hook = bytesOf(Col.HOOK)); }
    byte[] verdict() { return verdict != null ? verdict : (verdict = bytesOf(Col.VERDICT)); }
    byte[] proto() { return proto != null ? proto : (proto = bytesOf(Col.PROTO)); }
    byte[] family() { return family != null ? family : (family = bytesOf(Col.FAMILY)); }

    private byte[] bytesOf(Col c) {
        return section(c, r -> {
            if (r.end - r.pos != n) throw damaged("section " + c + " holds " + (r.end - r.pos) + " bytes for " + n + " records");
            byte[] v = Arrays.copyOfRange(r.data, r.pos, r.end);
            r.pos = r.end;
            return v;
        });
    }

    /** The address dictionary: 4 or 16 bytes per entry. */
    byte[][] addrs() {
        if (addrs == null) addrs = section(Col.ADDRS, r -> {
            int count = r.index(r.end - r.pos + 1);
            byte[][] v = new byte[count][];
            for (int i = 0; i < count; i++) {
                int len = r.u8();
                if (len != 4 && len != 16) throw damaged("an address of " + len + " bytes");
                if (r.pos + len > r.end) throw damaged("section ADDRS is truncated");
                v[i] = Arrays.copyOfRange(r.data, r.pos, r.pos + len);
                r.pos += len;
            }
            return v;
        });
        return addrs;
    }

    /** Canonical text of dictionary entry {@code i}, made once per block. */
    String addrText(int i) {
        if (addrText == null) addrText = new String[addrs().length];
        String s = addrText[i];
        if (s == null) s = addrText[i] = text(addrs[i]);
        return s;
    }

    int[] src() { return src != null ? src : (src = indexes(Col.SRC, addrs().length)); }
    int[] dst() { return dst != null ? dst : (dst = indexes(Col.DST, addrs().length)); }

    private int[] indexes(Col c, int bound) {
        return section(c, r -> {
            int[] v = new int[n];
            for (int i = 0; i < n; i++) v[i] = r.index(bound);
            return v;
        });
    }

    int[] sport() { return sport != null ? sport : (sport = ports(Col.SPORT)); }
    int[] dport() { return dport != null ? dport : (dport = ports(Col.DPORT)); }

    private int[] ports(Col c) {
        return section(c, r -> {
            int[] v = new int[n];
            for (int i = 0; i < n; i++) v[i] = r.u16();
            return v;
        });
    }

    String[] ifaces() {
        if (ifaces == null) ifaces = section(Col.IFACES, r -> {
            int count = r.index(r.end - r.pos + 1);
            String[] v = new String[count];
            for (int i = 0; i < count; i++) {
                int len = r.index(r.end - r.pos + 1);
                v[i] = new String(r.data, r.pos, len, StandardCharsets.UTF_8);
                r.pos += len;
            }
            return v;
        });
        return ifaces;
    }

    int[] in() { return in != null ? in : (in = indexes(Col.IN, ifaces().length)); }
    int[] out() { return out != null ? out : (out = indexes(Col.OUT, ifaces().length)); }

    long[] gens() {
        if (gens == null) gens = section(Col.GENS, r -> {
            int count = r.index((r.end - r.pos) / 8 + 1);
            long[] v = new long[count];
            for (int i = 0; i < count; i++) v[i] = r.u64();
            return v;
        });
        return gens;
    }

    int[] gen() { return gen != null ? gen : (gen = indexes(Col.GEN, gens().length)); }
    long[] rule() { return rule != null ? rule : (rule = varints(Col.RULE)); }
    long[] packets() { return packets != null ? packets : (packets = varints(Col.PACKETS)); }
    long[] bytes() { return bytes != null ? bytes : (bytes = varints(Col.BYTES)); }

    private long[] varints(Col c) {
        return section(c, r -> {
            long[] v = new long[n];
            for (int i = 0; i < n; i++) v[i] = r.varint();
            return v;
        });
    }

    Flow flow(int i) {
        return new Flow(box, seq()[i], time()[i], hook()[i] & 0xFF, verdict()[i] & 0xFF, proto()[i] & 0xFF,
                family()[i] & 0xFF, addrText(src()[i]), addrText(dst()[i]), sport()[i], dport()[i], ifaces()[in()[i]],
                ifaces()[out()[i]], rule()[i], gens()[gen()[i]], packets()[i], bytes()[i]);
    }

    /** The dictionary index of an address, or -1 when the block does not hold it. */
    int find(byte[] addr) {
        byte[][] a = addrs();
        for (int i = 0; i < a.length; i++) if (Arrays.equals(a[i], addr)) return i;
        return -1;
    }

    // ---- what the table row holds besides the data ---------------------------------------------------

    /** The row of a block: its key, its summary and its encoded records. */
    record Row(String box, long firstSeq, long lastSeq, int count, long minTime, long maxTime, int verdicts,
               byte[] bloom, byte[] data) {}

    /**
     * Encodes flows of one box, sorted by sequence number without repeats. Addresses are stored
     * as bytes, so they come back in canonical text whatever spelling they were given in.
     */
    static Row encode(List<Flow> flows) {
        int n = flows.size();
        if (n == 0) throw new IllegalArgumentException("an empty block");
        String box = flows.get(0).box();
        long first = flows.get(0).seq(), prevSeq = first;
        long minT = Long.MAX_VALUE, maxT = Long.MIN_VALUE;
        int verdicts = 0;
        Out seq = new Out(n * 2);
        for (int i = 0; i < n; i++) {
            Flow f = flows.get(i);
            if (!f.box().equals(box)) throw new IllegalArgumentException("a block holds one box");
            if (i > 0 && f.seq() <= prevSeq) throw new IllegalArgumentException("block records out of order");
            seq.varint(f.seq() - prevSeq);
            prevSeq = f.seq();
            minT = Math.min(minT, f.timeMs());
            maxT = Math.max(maxT, f.timeMs());
            verdicts |= 1 << Math.min(Math.max(f.verdict(), 0), 31);
        }
        Out time = new Out(n * 2);
        long prevT = minT;
        for (Flow f : flows) {
            time.varint(zigzag(f.timeMs() - prevT));
            prevT = f.timeMs();
        }
        Out hook = new Out(n), verdict = new Out(n), proto = new Out(n), family = new Out(n);
        for (Flow f : flows) {
            hook.u8(f.hook());
            verdict.u8(f.verdict());
            proto.u8(f.proto());
            family.u8(f.family());
        }
        Dict<String, byte[]> addrDict = new Dict<>(FlowBlock::raw);
        List<byte[]> addrList = addrDict.values;
        Out src = new Out(n * 2), dst = new Out(n * 2);
        for (Flow f : flows) {
            src.varint(addrDict.id(f.src()));
            dst.varint(addrDict.id(f.dst()));
        }
        Out addrs = new Out(addrList.size() * 5 + 2);
        addrs.varint(addrList.size());
        for (byte[] a : addrList) {
            addrs.u8(a.length);
            addrs.write(a, 0, a.length);
        }
        Out sport = new Out(n * 2), dport = new Out(n * 2);
        for (Flow f : flows) {
            sport.u16(f.srcPort());
            dport.u16(f.dstPort());
        }
        Dict<String, String> ifDict = new Dict<>(k -> k);
        List<String> ifList = ifDict.values;
        Out in = new Out(n), out = new Out(n);
        for (Flow f : flows) {
            in.varint(ifDict.id(f.inIface()));
            out.varint(ifDict.id(f.outIface()));
        }
        Out ifaces = new Out(32);
        ifaces.varint(ifList.size());
        for (String s : ifList) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            ifaces.varint(b.length);
            ifaces.write(b, 0, b.length);
        }
        Dict<Long, Long> genDict = new Dict<>(k -> k);
        List<Long> genList = genDict.values;
        Out gen = new Out(n);
        for (Flow f : flows) gen.varint(genDict.id(f.generation()));
        Out gens = new Out(genList.size() * 8 + 1);
        gens.varint(genList.size());
        for (long g : genList) gens.u64(g);
        Out rule = new Out(n), packets = new Out(n * 2), bytes = new Out(n * 3);
        for (Flow f : flows) {
            rule.varint(f.ruleId());
            packets.varint(f.packets());
            bytes.varint(f.bytes());
        }
        Out all = new Out(n * 32);
        all.u8(VERSION);
        all.varint(n);
        // In Col order.
        for (Out s : List.of(seq, time, hook, verdict, proto, family, addrs, src, dst, sport, dport, ifaces, in, out, gens,
                gen, rule, packets, bytes)) {
            all.varint(s.size());
            s.writeTo(all);
        }
        return new Row(box, first, prevSeq, n, minT, maxT, verdicts, Bloom.of(addrList), all.toByteArray());
    }

    /** The 4 or 16 bytes of an address given as text; only literals are accepted, so nothing is looked up. */
    static byte[] raw(String text) {
        int len = text.length();
        if (len >= 7 && len <= 15 && text.indexOf(':') < 0) {
            byte[] v4 = parseV4(text);
            if (v4 != null) return v4;
        }
        if (text.indexOf(':') < 0) throw new IllegalArgumentException("not an IP address: '" + text + "'");
        try {
            // A v4-mapped literal comes back as 4 bytes, as Flow.canonical spells it.
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + text + "'");
        }
    }

    private static byte[] parseV4(String s) {
        byte[] out = new byte[4];
        int part = 0, value = -1;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c == '.') {
                if (value < 0 || part == 4) return null;
                out[part++] = (byte) value;
                value = -1;
            } else if (c >= '0' && c <= '9') {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) return null;
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }

    static String text(byte[] raw) {
        if (raw.length == 4) return (raw[0] & 0xFF) + "." + (raw[1] & 0xFF) + "." + (raw[2] & 0xFF) + "." + (raw[3] & 0xFF);
        return Flow.address(raw);
    }

    static long zigzag(long v) { return (v << 1) ^ (v >> 63); }

    static long unzigzag(long v) { return (v >>> 1) ^ -(v & 1); }

    // ---- Bloom filter over the block's addresses ----------------------------------------------------

    /**
     * Eight bits per distinct address and three probes: about 3% false positives, so a search for
     * one host skips nearly every block that does not hold it without reading its records, for a
     * summary of about 2 KB per 1,024 records of all-distinct addresses.
     */
    static final class Bloom {
        static byte[] of(List<byte[]> values) {
            int bits = Math.max(64, (values.size() * 8 + 7) & ~7);
            byte[] b = new byte[bits / 8];
            for (byte[] v : values) {
                long h = hash(v);
                for (int k = 0; k < 3; k++) {
                    int bit = (int) Long.remainderUnsigned(h >>> (k * 21) & 0x1FFFFF, bits);
                    b[bit >>> 3] |= (byte) (1 << (bit & 7));
                }
            }
            return b;
        }

        static boolean mayContain(byte[] b, byte[] v) {
            if (b == null || b.length == 0) return true;
            int bits = b.length * 8;
            long h = hash(v);
            for (int k = 0; k < 3; k++) {
                int bit = (int) Long.remainderUnsigned(h >>> (k * 21) & 0x1FFFFF, bits);
                if ((b[bit >>> 3] & (1 << (bit & 7))) == 0) return false;
            }
            return true;
        }

        /** 64-bit FNV-1a over the bytes, then a final mix so the three 21-bit slices are independent. */
        static long hash(byte[] v) {
            long h = 0xcbf29ce484222325L;
            for (byte x : v) {
                h ^= x & 0xFF;
                h *= 0x100000001b3L;
            }
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            return h;
        }
    }

    // ---- byte helpers ---------------------------------------------------------------------------------

    /** A per-block dictionary: each distinct key gets the next index, its stored form kept in that order. */
    private static final class Dict<K, V> {
        final Map<K, Integer> ids = new HashMap<>();
        final List<V> values = new ArrayList<>();
        final java.util.function.Function<K, V> stored;

        Dict(java.util.function.Function<K, V> stored) { this.stored = stored; }

        int id(K key) {
            return ids.computeIfAbsent(key, k -> {
                values.add(stored.apply(k));
                return values.size() - 1;
            });
        }
    }

    static final class Out extends ByteArrayOutputStream {
        Out(int size) { super(Math.max(size, 8)); }

        void u8(int v) { write(v); }

        void u16(int v) {
            write(v);
            write(v >>> 8);
        }

        void u64(long v) {
            for (int i = 0; i < 8; i++) write((int) (v >>> (8 * i)));
        }

        /** Most significant byte first, so that stored IPv6 rollup entries read in address order. */
        void u64be(long v) {
            for (int i = 7; i >= 0; i--) write((int) (v >>> (8 * i)));
        }

        void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            write((int) v);
        }

        void writeTo(Out o) { o.write(buf, 0, count); }
    }

    static final class In {
        final byte[] data;
        final int end;
        int pos;

        In(byte[] data, int pos, int end) {
            this.data = data;
            this.pos = pos;
            this.end = end;
        }

        int u8() {
            if (pos >= end) throw new ArrayIndexOutOfBoundsException("past the section's end");
            return data[pos++] & 0xFF;
        }

        int u16() { return u8() | u8() << 8; }

        long u64() {
            long v = 0;
            for (int i = 0; i < 8; i++) v |= (long) u8() << (8 * i);
            return v;
        }

        long u64be() {
            long v = 0;
            for (int i = 0; i < 8; i++) v = v << 8 | u8();
            return v;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = u8();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) return v;
            }
            throw new IllegalStateException("a varint longer than 64 bits at byte " + pos);
        }

        int index(int bound) {
            long v = varint();
            if (v < 0 || v >= bound) throw new IllegalStateException("index " + v + " out of range at byte " + pos);
            return (int) v;
        }
    }
}
