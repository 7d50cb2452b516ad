// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import dev.rampart.dsl.ir.U128;

/** What a frame turned out to hold. */
public sealed interface Decoded {
    /** A whole datagram, ready for connection tracking and the policy. */
    record Whole(Datagram datagram) implements Decoded {}

    /**
     * One fragment of a datagram, to be held until its datagram is complete.
     *
     * @param id          IPv4 identification or IPv6 fragment identification
     * @param proto       IPv4 protocol; for IPv6 the fragment header's next header (used from the first fragment only)
     * @param offset      byte offset of this fragment's data in the datagram's fragmentable part
     * @param length      bytes of data this fragment carries (as the header says, even if the capture cut it)
     * @param head        captured data of the first fragment (offset 0), at most {@link PacketDecoder#HEAD_KEPT} bytes; empty otherwise
     * @param headerBytes IP header bytes in front of the fragmentable part (IPv4 header, IPv6 header and unfragmentable extensions)
     */
    record Fragment(int family, U128 src, U128 dst, long id, int proto, int offset, int length, boolean more,
                    byte[] head, int headerBytes) implements Decoded {}

    /** A frame without IPv4 or IPv6 in it (ARP, LLDP, ...): not the firewall's business. */
    record NotIp(String what) implements Decoded {}

    /**
     * Headers that cannot be read.
     *
     * @param truncated the capture's snapshot length cut the headers (the packet itself may be fine)
     */
    record Bad(String reason, boolean truncated) implements Decoded {}
}
