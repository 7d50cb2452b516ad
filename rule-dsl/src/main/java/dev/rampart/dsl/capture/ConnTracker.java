// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import dev.rampart.dsl.eval.Packet;
import dev.rampart.dsl.ir.ConnState;
import dev.rampart.dsl.ir.U128;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * A model of nf_conntrack, driven by capture timestamps. Each packet goes through two steps, as in
 * the kernel: {@link #observe} before the filter (lookup, state of the packet, updates of an
 * existing entry, which happen whatever the filter decides) and {@link #settle} after it, which
 * creates the entry only when the verdict accepts, as the kernel only confirms a connection whose
 * first packet left the hooks. See docs/trace.md for what is simplified.
 */
public final class ConnTracker {
    private static final long S = 1_000_000_000L;
    static final long UDP_UNREPLIED = 30 * S, UDP_REPLIED = 120 * S, UDP_STREAM_AFTER = 2 * S, ICMP = 30 * S,
            GENERIC = 600 * S;

    /** TCP conntrack states, in the kernel's order (TIME_WAIT and CLOSE sort after the open ones). */
    enum Tcp {
        NONE(0), SYN_SENT(120), SYN_RECV(60), ESTABLISHED(5 * 24 * 3600), FIN_WAIT(120), CLOSE_WAIT(60), LAST_ACK(30),
        TIME_WAIT(120), CLOSE(10), SYN_SENT2(120);

        final long timeout;

        Tcp(long seconds) { this.timeout = seconds * S; }
    }

    // Transition tables of nf_conntrack_proto_tcp.c, rows by flag class (syn, synack, fin, ack, rst, none),
    // columns by current state; IV = invalid (sIV), IGN = leave the state as it is (sIG).
    private static final int IV = -1, IGN = -2;
    private static final int NO = 0, SS = 1, SR = 2, ES = 3, FW = 4, CW = 5, LA = 6, TW = 7, CL = 8, S2 = 9;
    private static final int[][][] TABLE = {
        { // original direction
            {SS, SS, IGN, IGN, IGN, IGN, IGN, SS, SS, S2},
            {IV, IV, IGN, IGN, IGN, IGN, IGN, IGN, IGN, SR},
            {IV, IV, FW, FW, LA, LA, LA, TW, CL, IV},
            {ES, IV, ES, ES, CW, CW, TW, TW, CL, IV},
            {IV, CL, CL, CL, CL, CL, CL, CL, CL, CL},
            {IV, IV, IV, IV, IV, IV, IV, IV, IV, IV},
        },
        { // reply direction
            {IV, S2, IV, IV, IV, IV, IV, IV, IV, S2},
            {IV, SR, IGN, IGN, IGN, IGN, IGN, IGN, IGN, SR},
            {IV, IV, FW, FW, LA, LA, LA, TW, CL, IV},
            {IV, IGN, SR, ES, CW, CW, TW, TW, CL, IGN},
            {IV, CL, CL, CL, CL, CL, CL, CL, CL, CL},
            {IV, IV, IV, IV, IV, IV, IV, IV, IV, IV},
        },
    };

    /** Directional flow identity; for ICMP queries {@code a} is the identifier and {@code b} type*256+code. */
    record Tuple(U128 src, U128 dst, int proto, int a, int b) {}

    static final class Entry {
        final Tuple orig, reply;
        final long created;
        Tcp tcp = Tcp.NONE;
        boolean seenReply;
        long expires;

        Entry(Tuple orig, Tuple reply, long created) {
            this.orig = orig;
            this.reply = reply;
            this.created = created;
        }
    }

    /** The tracker's view of one packet, between the two steps. */
    public static final class Step {
        private final ConnState state;
        private final String note;
        final Tuple create;
        final Tcp createTcp;
        private final boolean tableFull;

        Step(ConnState state, String note, Tuple create, Tcp createTcp, boolean tableFull) {
            this.state = state;
            this.note = note;
            this.create = create;
            this.createTcp = createTcp;
            this.tableFull = tableFull;
        }

        /** The state the filter sees. */
        public ConnState state() { return state; }

        /** Why the packet is invalid or otherwise remarkable; null when it is not. */
        public String note() { return note; }

        /** The table is full: the kernel drops a packet that would open a connection before the filter. */
        public boolean tableFull() { return tableFull; }

        /** Accepting this packet creates a connection. */
        public boolean opens() { return create != null; }
    }

    private final int capacity;
    private final Map<Tuple, Entry> table = new HashMap<>();
    private long sweepAt;
    /** No entry expires before this (a lower bound, exact after a sweep). */
    private long earliest = Long.MAX_VALUE;
    private long lastFullSweep = Long.MIN_VALUE / 2;

    public ConnTracker(int capacity) {
        this.capacity = capacity;
        this.sweepAt = Math.min(capacity, 4096);
    }

    /** Entries held (both directions count once). */
    public int size() { return table.size() / 2; }

    /** Before the filter: the packet's state; updates an existing entry as nf_conntrack_in does. */
    public Step observe(Datagram d, long now) {
        if (d.isIcmpError()) return related(d, now);
        if (d.l4Error() != null) return new Step(ConnState.INVALID, d.l4Error(), null, null, false);
        if (d.proto() == Packet.TCP) {
            String bad = tcpFlagsInvalid(d.tcpFlags());
            if (bad != null) return new Step(ConnState.INVALID, bad, null, null, false);
        }
        boolean icmp = d.isIcmp();
        if (icmp && d.icmpId() < 0) {
            // Neither query nor error (router advertisements, neighbour discovery, ...).
            return untracked(d);
        }
        Tuple t = tuple(d);
        Entry e = lookup(t, now);
        if (e != null && e.orig.proto() == Packet.TCP) {
            boolean reply = e.reply.equals(t);
            int next = tcpNext(reply, d.tcpFlags(), e.tcp);
            if (next == SS && e.tcp.ordinal() >= Tcp.TIME_WAIT.ordinal() && !reply) {
                // A new SYN on a closed connection's tuple starts a new connection (the kernel kills the old entry).
                remove(e);
                e = null;
            } else {
                return tcpExisting(e, reply, next, now);
            }
        }
        if (e != null) {
            boolean reply = e.reply.equals(t);
            if (reply) e.seenReply = true;
            setExpiry(e, now + timeout(e, now));
            return new Step(reply || e.seenReply ? ConnState.ESTABLISHED : ConnState.NEW, null, null, null, false);
        }
        // A first packet: no entry yet.
        Tcp start = null;
        if (d.proto() == Packet.TCP) {
            int next = tcpNext(false, d.tcpFlags(), Tcp.NONE);
            if (next == IV) return new Step(ConnState.INVALID, "TCP " + dev.rampart.dsl.eval.TcpFlags.format(d.tcpFlags())
                    + " cannot start a connection", null, null, false);
            start = Tcp.values()[next];
        }
        if (icmp && !PacketDecoder.isRequest(d.family(), d.icmpType())) {
            return new Step(ConnState.INVALID, "ICMP reply without a tracked request", null, null, false);
        }
        if (table.size() / 2 >= capacity) {
            // A full sweep per packet would make a full table quadratic: sweep at most once per second
            // of capture time, as the kernel's own garbage collection is periodic too.
            if (now - lastFullSweep >= S || now < lastFullSweep) {
                sweep(now);
                lastFullSweep = now;
            }
            if (table.size() / 2 >= capacity) return new Step(ConnState.INVALID, "conntrack table full", null, null, true);
        }
        return new Step(ConnState.NEW, null, t, start, false);
    }

    /** After the filter: a new connection exists only if its first packet was accepted. */
    public void settle(Step s, Datagram d, boolean accepted, long now) {
        if (s.create == null || !accepted) return;
        Tuple t = s.create;
        Entry e = new Entry(t, inverse(t, d), now);
        if (s.createTcp != null) e.tcp = s.createTcp;
        setExpiry(e, now + timeout(e, now));
        table.put(e.orig, e);
        table.put(e.reply, e);
        if (table.size() / 2 >= sweepAt) {
            sweep(now);
            sweepAt = Math.max(sweepAt, 2 * size());
        }
    }

    private Step tcpExisting(Entry e, boolean reply, int next, long now) {
        ConnState state = reply || e.seenReply ? ConnState.ESTABLISHED : ConnState.NEW;
        if (next == IV) return new Step(ConnState.INVALID, "TCP flags invalid in state " + e.tcp.name().toLowerCase(java.util.Locale.ROOT), null, null, false);
        if (next != IGN) {
            e.tcp = Tcp.values()[next];
            setExpiry(e, now + e.tcp.timeout);
        }
        if (reply) e.seenReply = true;
        return new Step(state, null, null, null, false);
    }

    private static int tcpNext(boolean reply, int flags, Tcp current) {
        int row;
        if ((flags & 0x04) != 0) row = 4;
        else if ((flags & 0x02) != 0) row = (flags & 0x10) != 0 ? 1 : 0;
        else if ((flags & 0x01) != 0) row = 2;
        else if ((flags & 0x10) != 0) row = 3;
        else row = 5;
        return TABLE[reply ? 1 : 0][row][current.ordinal()];
    }

    /** tcp_error's check: only these combinations (ignoring ECE, CWR and PSH) are valid. */
    static String tcpFlagsInvalid(int flags) {
        int f = flags & ~(0x40 | 0x80 | 0x08);
        return switch (f) {
            case 0x02, 0x22, 0x12, 0x04, 0x14, 0x11, 0x31, 0x10, 0x30 -> null;
            default -> "TCP flags " + dev.rampart.dsl.eval.TcpFlags.format(flags) + " are an invalid combination";
        };
    }

    private Step related(Datagram d, long now) {
        Datagram q = d.quoted();
        if (q == null) return new Step(ConnState.INVALID, "ICMP error quoting no readable header", null, null, false);
        Entry e = lookup(tuple(q), now);
        if (e == null) return new Step(ConnState.INVALID, "ICMP error for an unknown connection", null, null, false);
        // The error goes back to whoever sent the quoted packet.
        if (!d.dst().equals(q.src())) return new Step(ConnState.INVALID, "ICMP error not addressed to the quoted packet's sender", null, null, false);
        return new Step(ConnState.RELATED, null, null, null, false);
    }

    private static Step untracked(Datagram d) {
        String what = d.family() == 6 && ((d.icmpType() >= 130 && d.icmpType() <= 137) || d.icmpType() == 143)
                ? "untracked by the kernel (neighbour discovery/MLD); evaluated as state new"
                : null;
        if (what != null) return new Step(ConnState.NEW, what, null, null, false);
        return new Step(ConnState.INVALID, Packet.protoName(d.proto()) + " type " + d.icmpType() + " is not tracked and cannot start a connection", null, null, false);
    }

    private Entry lookup(Tuple t, long now) {
        Entry e = table.get(t);
        if (e != null && e.expires < now) {
            remove(e);
            return null;
        }
        return e;
    }

    private void remove(Entry e) {
        table.remove(e.orig);
        table.remove(e.reply);
    }

    private void setExpiry(Entry e, long at) {
        e.expires = at;
        if (at < earliest) earliest = at;
    }

    /** Removes expired entries; skipped while none can have expired yet. */
    private void sweep(long now) {
        if (now <= earliest) return;
        long min = Long.MAX_VALUE;
        Iterator<Entry> it = table.values().iterator();
        while (it.hasNext()) {
            long x = it.next().expires;
            if (x < now) it.remove();
            else if (x < min) min = x;
        }
        earliest = min;
    }

    static Tuple tuple(Datagram d) {
        if (d.isIcmp()) return new Tuple(d.src(), d.dst(), d.proto(), d.icmpId(), d.icmpType() * 256 + d.icmpCode());
        if (Packet.hasPorts(d.proto())) return new Tuple(d.src(), d.dst(), d.proto(), d.sport(), d.dport());
        return new Tuple(d.src(), d.dst(), d.proto(), 0, 0);
    }

    private static Tuple inverse(Tuple t, Datagram d) {
        if (d.isIcmp()) {
            int type = PacketDecoder.replyType(d.family(), t.b() >> 8);
            return new Tuple(t.dst(), t.src(), t.proto(), t.a(), type * 256 + (t.b() & 0xff));
        }
        return new Tuple(t.dst(), t.src(), t.proto(), t.b(), t.a());
    }

    private static long timeout(Entry e, long now) {
        int proto = e.orig.proto();
        if (proto == Packet.TCP) return e.tcp.timeout;
        if (proto == Packet.UDP || proto == Packet.UDPLITE || proto == Packet.SCTP) {
            return e.seenReply && now - e.created > UDP_STREAM_AFTER ? UDP_REPLIED : UDP_UNREPLIED;
        }
        if (proto == Packet.ICMP || proto == Packet.ICMPV6) return ICMP;
        return GENERIC;
    }
}
