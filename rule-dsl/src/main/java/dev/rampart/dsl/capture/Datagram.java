// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import dev.rampart.dsl.ir.U128;

/**
 * What one whole IP datagram (after reassembly) offers to connection tracking and classification.
 *
 * @param family   4 or 6
 * @param proto    upper-layer protocol, after IPv6 extension headers (50 for ESP, 59 for none)
 * @param icmpId   identifier of an ICMP/ICMPv6 query (echo and the like), -1 otherwise
 * @param ipLength bytes of the datagram from its IP header on: what the kernel's counters count
 * @param l4Error  why connection tracking would call the transport header invalid, null when fine
 * @param quoted   for an ICMP/ICMPv6 error, the offending packet it quotes; null when none or unreadable
 */
public record Datagram(int family, U128 src, U128 dst, int proto, int sport, int dport, int icmpType, int icmpCode,
                       int icmpId, int tcpFlags, int ipLength, String l4Error, Datagram quoted) {

    public boolean isIcmp() {
        return (family == 4 && proto == 1) || (family == 6 && proto == 58);
    }

    /** An ICMP/ICMPv6 error message (which carries the header of the packet it complains about). */
    public boolean isIcmpError() {
        if (!isIcmp()) return false;
        return family == 4 ? icmpType == 3 || icmpType == 4 || icmpType == 5 || icmpType == 11 || icmpType == 12
                : icmpType >= 1 && icmpType <= 4;
    }

}
