// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import dev.rampart.link.FlowRecord;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * One stored flow record. Addresses are canonical text ({@link InetAddress#getHostAddress}) so
 * that the same schema and the same equality filters work on H2 and PostgreSQL.
 *
 * @param family 4 or 6
 * @param hook   0 input, 1 forward, 2 output
 * @param verdict 0 accept, 1 drop, 2 reject
 */
public record Flow(String box, long seq, long timeMs, int hook, int verdict, int proto, int family, String src,
                   String dst, int srcPort, int dstPort, String inIface, String outIface, long ruleId,
                   long generation, long packets, long bytes) {

    public static final int ACCEPT = 0, DROP = 1, REJECT = 2;

    public Flow {
        Objects.requireNonNull(box);
        Objects.requireNonNull(src);
        Objects.requireNonNull(dst);
        Objects.requireNonNull(inIface);
        Objects.requireNonNull(outIface);
    }

    /**
     * A record pushed by a box. With counters (an agent offering capability bit 5) the flow's
     * packets and bytes are stored as the box counted them. Interfaces are stored by name ("eth0",
     * as the box's packet path saw them: capability bit 6); a record from an agent that sent no
     * name keeps the index on the box as "#N" (so it cannot be taken for a name), and "" is no
     * interface. A record without counters (an older agent, or one spooled before the box kept
     * them) stands for one packet of unknown size: 1 packet, 0 bytes, no interfaces.
     */
    public static Flow of(String box, FlowRecord r) {
        boolean counted = r.hasCounters();
        return new Flow(box, r.seq(), r.timeMs(), r.hook(), r.verdict(), r.proto(), r.src().length == 4 ? 4 : 6,
                address(r.src()), address(r.dst()), r.sport(), r.dport(),
                counted ? FlowRecord.iface(r.inName(), r.inIf()) : "",
                counted ? FlowRecord.iface(r.outName(), r.outIf()) : "", r.ruleId(), r.generation(),
                counted ? r.packets() : 1, counted ? r.bytes() : 0);
    }

    /** Canonical text of a 4- or 16-byte address. */
    public static String address(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + raw.length);
        }
    }

    /** Canonical text of an address the user typed, so that "::0001" finds what is stored as "0:0:0:0:0:0:0:1". */
    public static String canonical(String typed) {
        String t = typed.trim();
        if (t.isEmpty() || !(t.indexOf(':') >= 0 || t.chars().allMatch(c -> c == '.' || Character.isDigit(c))))
            throw new IllegalArgumentException("not an IP address: '" + typed + "'");
        try {
            // Only literals reach here, so no name lookup happens.
            return InetAddress.getByName(t).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: '" + typed + "'");
        }
    }

    public String verdictName() {
        return switch (verdict) { case ACCEPT -> "accept"; case DROP -> "drop"; case REJECT -> "reject"; default -> "verdict" + verdict; };
    }

    public String hookName() {
        return switch (hook) { case 0 -> "input"; case 1 -> "forward"; case 2 -> "output"; default -> "hook" + hook; };
    }
}
