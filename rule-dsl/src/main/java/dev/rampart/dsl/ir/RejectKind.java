// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.ir;

/**
 * How a reject answers. AUTO is nftables' default: a TCP reset for TCP, otherwise ICMP/ICMPv6
 * port unreachable.
 */
public enum RejectKind {
    AUTO("auto"), TCP_RESET("tcp-reset"), ICMP_PORT_UNREACHABLE("icmp-port-unreachable"),
    ICMP_HOST_UNREACHABLE("icmp-host-unreachable"), ICMP_ADMIN_PROHIBITED("icmp-admin-prohibited");

    public final String keyword;

    RejectKind(String keyword) { this.keyword = keyword; }

    public static RejectKind byKeyword(String k) {
        for (RejectKind r : values()) if (r.keyword.equals(k)) return r;
        return null;
    }
}
