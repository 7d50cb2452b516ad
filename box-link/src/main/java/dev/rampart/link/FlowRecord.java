// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** One flow record pushed by the box: which rule of which table decided which packet. */
public record FlowRecord(long seq, long timeMs, int hook, int verdict, int proto, byte[] src, byte[] dst,
                         int sport, int dport, long ruleId, long generation) {
    public String describe() {
        return "#" + seq + " " + new String[] {"input", "forward", "output"}[hook % 3] + " "
                + new String[] {"accept", "drop", "reject"}[verdict % 3] + " proto " + proto + " " + addr(src) + ":"
                + sport + " -> " + addr(dst) + ":" + dport + " rule " + Long.toHexString(ruleId);
    }

    private static String addr(byte[] a) {
        try {
            return InetAddress.getByAddress(a).getHostAddress();
        } catch (UnknownHostException e) {
            return "?";
        }
    }
}
