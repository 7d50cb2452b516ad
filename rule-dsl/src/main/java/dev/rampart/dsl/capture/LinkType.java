// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

/** The LINKTYPE_ values this reader decodes (tcpdump.org link-layer header types). */
public final class LinkType {
    private LinkType() {}

    public static final int ETHERNET = 1, RAW = 101, RAW_BSD12 = 12, RAW_BSD14 = 14, LINUX_SLL = 113,
            IPV4 = 228, IPV6 = 229, LINUX_SLL2 = 276;

    public static boolean supported(int t) {
        return t == ETHERNET || t == RAW || t == RAW_BSD12 || t == RAW_BSD14 || t == LINUX_SLL || t == IPV4
                || t == IPV6 || t == LINUX_SLL2;
    }

    public static String name(int t) {
        return switch (t) {
            case ETHERNET -> "ethernet";
            case RAW, RAW_BSD12, RAW_BSD14 -> "raw-ip";
            case IPV4 -> "ipv4";
            case IPV6 -> "ipv6";
            case LINUX_SLL -> "linux-sll";
            case LINUX_SLL2 -> "linux-sll2";
            default -> Integer.toString(t);
        };
    }
}
