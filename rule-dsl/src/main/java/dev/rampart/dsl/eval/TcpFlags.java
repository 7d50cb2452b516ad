// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.eval;

import java.util.StringJoiner;

/** TCP flag names and bits, as in the header's flag byte and in nftables. */
public final class TcpFlags {
    private TcpFlags() {}

    public static final String[] NAMES = {"fin", "syn", "rst", "psh", "ack", "urg", "ecn", "cwr"};

    /** The bit of a flag name, or -1. */
    public static int bit(String name) {
        for (int i = 0; i < NAMES.length; i++) if (NAMES[i].equals(name)) return 1 << i;
        return -1;
    }

    public static String format(int flags) {
        if (flags == 0) return "none";
        StringJoiner j = new StringJoiner(",");
        for (int i = 0; i < NAMES.length; i++) if ((flags & (1 << i)) != 0) j.add(NAMES[i]);
        return j.toString();
    }
}
