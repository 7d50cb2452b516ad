// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import dev.rampart.dsl.ir.U128;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * IP defragmentation as nf_defrag_ipv4/ipv6 do it before the filter hooks. Only byte ranges are
 * kept per datagram, plus the start of its first fragment (where the headers are), so memory per
 * pending datagram is small; the limits below mirror the kernel's thresholds by count and bytes.
 */
public final class Reassembler {
    /** Kernel defaults: ipfrag_time 30 s (IPv4), nf_conntrack_frag6_timeout 60 s (IPv6). */
    static final long V4_TIMEOUT = 30_000_000_000L, V6_TIMEOUT = 60_000_000_000L;
    private static final int MAX_DATAGRAM = 65_535;

    private record Key(int family, U128 src, U128 dst, long id, int proto) {}

    private static final class Pending {
        final Key key;
        final long firstFrame, firstSeen;
        final TreeMap<Integer, Integer> runs = new TreeMap<>();
        int total = -1, fragments, received, headerBytes, proto;
        byte[] head;

        Pending(Key key, long frame, long ts) {
            this.key = key;
            this.firstFrame = frame;
            this.firstSeen = ts;
        }
    }

    /** What one fragment did. */
    public sealed interface Outcome {}

    /** Kept, waiting for the rest. */
    public record Held(int offset, int length) implements Outcome {}

    /** An exact or contained repeat of data already held: ignored, as the kernel does. */
    public record Duplicate() implements Outcome {}

    /** The fragment completed its datagram: here it is, decoded. */
    public record Complete(Decoded decoded, int fragments, long firstFrame) implements Outcome {}

    /** The fragment (and for overlaps, its whole datagram) is discarded. */
    public record Rejected(String reason, boolean overLimit) implements Outcome {}

    /** A datagram that never completed. */
    public record Incomplete(long firstFrame, long firstSeenNanos, int family, U128 src, U128 dst, int fragments,
                             int bytes, String why) {}

    private final int maxDatagrams;
    private final long maxBytes;
    private final LinkedHashMap<Key, Pending> pending = new LinkedHashMap<>();
    private long bytes;
    private long lastScan = Long.MIN_VALUE / 2;

    public Reassembler(int maxDatagrams, long maxBytes) {
        this.maxDatagrams = maxDatagrams;
        this.maxBytes = maxBytes;
    }

    public int pendingCount() { return pending.size(); }

    public Outcome add(Decoded.Fragment f, long frame, long now) {
        Key key = new Key(f.family(), f.src(), f.dst(), f.id(), f.family() == 4 ? f.proto() : -1);
        Pending p = pending.get(key);
        int offset = f.offset();
        int end = offset + f.length();
        if (f.more()) {
            if ((end & 7) != 0) {
                // IPv4 rounds a non-last fragment down to 8 bytes; IPv6 (RFC 8200) refuses it.
                if (f.family() == 6) return new Rejected("non-last IPv6 fragment of " + f.length() + " bytes is not a multiple of 8", false);
                end &= ~7;
            }
        }
        int limit = f.family() == 4 ? MAX_DATAGRAM - f.headerBytes() : MAX_DATAGRAM;
        if (end > limit) {
            return new Rejected("fragment reaches byte " + end + ", beyond the 65535-byte datagram limit", false);
        }
        if (end <= offset) return new Rejected("fragment carries no data", false);
        if (p == null) {
            if (pending.size() >= maxDatagrams || bytes + f.length() > maxBytes) {
                return new Rejected("defragmentation memory limit reached (" + pending.size() + " datagrams, " + bytes + " bytes pending)", true);
            }
            p = new Pending(key, frame, now);
            pending.put(key, p);
        } else if (bytes + f.length() > maxBytes) {
            return new Rejected("defragmentation memory limit reached (" + bytes + " bytes pending)", true);
        }
        if (!f.more()) {
            if (end < maxEnd(p) || (p.total >= 0 && end != p.total)) return discard(p, "last fragment ends at " + end + " before data already received");
            p.total = end;
        } else if (p.total >= 0 && end > p.total) {
            return discard(p, "fragment reaches byte " + end + " past the last fragment's end " + p.total);
        }
        Map.Entry<Integer, Integer> floor = p.runs.floorEntry(offset);
        if (floor != null && offset >= floor.getKey() && end <= floor.getValue()) return new Duplicate();
        if ((floor != null && floor.getValue() > offset) || overlapsAfter(p, offset, end)) {
            return discard(p, "overlapping fragments (bytes " + offset + "-" + (end - 1) + " overlap data already received)");
        }
        insertRun(p, offset, end);
        p.fragments++;
        p.received += end - offset;
        bytes += end - offset;
        if (offset == 0) {
            p.head = f.head();
            p.headerBytes = f.headerBytes();
            p.proto = f.proto();
        }
        if (p.total >= 0 && p.runs.size() == 1 && p.runs.firstKey() == 0 && p.runs.firstEntry().getValue() == p.total) {
            remove(p);
            // The kernel's reassembled IPv6 datagram no longer has the fragment header.
            int ipLength = p.headerBytes + p.total - (key.family == 6 ? 8 : 0);
            Decoded d = PacketDecoder.afterReassembly(key.family, key.src, key.dst, p.proto, p.head, p.total, ipLength);
            return new Complete(d, p.fragments, p.firstFrame);
        }
        return new Held(offset, end - offset);
    }

    private static int maxEnd(Pending p) { return p.runs.isEmpty() ? 0 : p.runs.lastEntry().getValue(); }

    private static boolean overlapsAfter(Pending p, int offset, int end) {
        Integer next = p.runs.higherKey(offset);
        return next != null && next < end;
    }

    /** Adjacent ranges merge, so "contains" and "complete" are one lookup. */
    private static void insertRun(Pending p, int offset, int end) {
        Map.Entry<Integer, Integer> before = p.runs.floorEntry(offset);
        int start = offset;
        if (before != null && before.getValue() == offset) {
            start = before.getKey();
            p.runs.remove(before.getKey());
        }
        Integer after = p.runs.get(end);
        int stop = end;
        if (after != null) {
            stop = after;
            p.runs.remove(end);
        }
        p.runs.put(start, stop);
    }

    private Rejected discard(Pending p, String why) {
        remove(p);
        return new Rejected(why + "; the whole datagram is discarded (" + p.fragments + " fragment(s) held)", false);
    }

    private void remove(Pending p) {
        pending.remove(p.key);
        bytes -= p.received;
    }

    /** Datagrams whose time ran out by capture time {@code now}, oldest first. */
    public void expire(long now, List<Incomplete> out) {
        // Scanning at most once per second of capture time keeps a fragment flood linear.
        if (pending.isEmpty() || now - lastScan < 1_000_000_000L && now >= lastScan) return;
        lastScan = now;
        Iterator<Pending> it = pending.values().iterator();
        while (it.hasNext()) {
            Pending p = it.next();
            long timeout = p.key.family == 4 ? V4_TIMEOUT : V6_TIMEOUT;
            if (now - p.firstSeen <= timeout) continue;
            it.remove();
            bytes -= p.received;
            out.add(incomplete(p, "timed out after " + timeout / 1_000_000_000L + " s"));
        }
    }

    /** Everything still pending: at the end of the capture. */
    public List<Incomplete> drain() {
        List<Incomplete> out = new ArrayList<>();
        for (Pending p : pending.values()) out.add(incomplete(p, "capture ended"));
        pending.clear();
        bytes = 0;
        return out;
    }

    private static Incomplete incomplete(Pending p, String why) {
        return new Incomplete(p.firstFrame, p.firstSeen, p.key.family, p.key.src, p.key.dst, p.fragments, p.received, why);
    }
}
