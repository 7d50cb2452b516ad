// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One flow record pushed by the box: which rule of which table decided which traffic. From an
 * agent with flow counters (capability bit 5) it carries the flow's packets, bytes, first and last
 * packet time, interface indices and TCP flags; otherwise, and for records the box spooled before
 * it kept counters, {@code packets} is {@link #UNKNOWN} and the other counters are 0. From an agent
 * with interface names (capability bit 6) it also carries the interfaces' names as the box's packet
 * path saw them; {@code ""} when there was no interface, or the box did not keep the name.
 */
public record FlowRecord(long seq, long timeMs, int hook, int verdict, int proto, byte[] src, byte[] dst,
                         int sport, int dport, long ruleId, long generation, long packets, long bytes,
                         long firstMs, long lastMs, long inIf, long outIf, int tcpFlags, String inName,
                         String outName) {
    /** {@link #packets} of a record whose counts the box did not send. */
    public static final long UNKNOWN = -1;

    public FlowRecord {
        inName = inName == null ? "" : inName;
        outName = outName == null ? "" : outName;
    }

    /** A record with counters and interface indices but no names (an agent without capability bit 6). */
    public FlowRecord(long seq, long timeMs, int hook, int verdict, int proto, byte[] src, byte[] dst,
                      int sport, int dport, long ruleId, long generation, long packets, long bytes,
                      long firstMs, long lastMs, long inIf, long outIf, int tcpFlags) {
        this(seq, timeMs, hook, verdict, proto, src, dst, sport, dport, ruleId, generation, packets, bytes,
                firstMs, lastMs, inIf, outIf, tcpFlags, "", "");
    }

    /** A record of the original stream (SUBSCRIBE, SUBSCRIBE_FROM): no counters. */
    public FlowRecord(long seq, long timeMs, int hook, int verdict, int proto, byte[] src, byte[] dst,
                      int sport, int dport, long ruleId, long generation) {
        this(seq, timeMs, hook, verdict, proto, src, dst, sport, dport, ruleId, generation, UNKNOWN, 0, 0, 0, 0, 0, 0,
                "", "");
    }

    public boolean hasCounters() { return packets != UNKNOWN; }

    /**
     * How an interface of this record reads for people: its name, else {@code #index} (a box that
     * sent no name), else {@code ""} (no interface, or a record without counters).
     */
    public static String iface(String name, long index) {
        return !name.isEmpty() ? name : index != 0 ? "#" + index : "";
    }

    public String describe() {
        return "#" + seq + " " + new String[] {"input", "forward", "output"}[hook % 3] + " "
                + new String[] {"accept", "drop", "reject"}[verdict % 3] + " proto " + proto + " " + addr(src) + ":"
                + sport + " -> " + addr(dst) + ":" + dport + " rule " + Long.toHexString(ruleId)
                + (hasCounters() ? " packets " + packets + " bytes " + bytes : "");
    }

    private static String addr(byte[] a) {
        try {
            return InetAddress.getByAddress(a).getHostAddress();
        } catch (UnknownHostException e) {
            return "?";
        }
    }
}
