// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.ir;

/**
 * The match dimensions of the IR, each an {@link IntervalSet} over its universe. A packet has one
 * value per field; a field a packet does not carry (ports of ICMP, out interface on input) has the
 * value 0 there, and lowering guarantees that a rule constraining such a field also constrains the
 * protocol/hook so that 0 can never be mistaken for a real value.
 */
public enum Field {
    /** Source address; IPv4 as ::ffff:a.b.c.d. */
    SRC(128),
    DST(128),
    /** IP protocol number (IPv6: the upper-layer header after extension headers). */
    PROTO(8),
    SPORT(16),
    DPORT(16),
    ICMP_TYPE(8),
    ICMP_CODE(8),
    /** TCP flag byte as in the header: FIN=0x01 SYN=0x02 RST=0x04 PSH=0x08 ACK=0x10 URG=0x20 ECE=0x40 CWR=0x80. */
    TCP_FLAGS(8),
    /** Connection state, see {@link ConnState}. */
    STATE(2),
    /** Input interface name, as {@link U128#ofIfName}; 0 (empty name) when there is none. */
    IIF(128),
    OIF(128);

    public final int bits;
    private final IntervalSet universe;

    Field(int bits) {
        this.bits = bits;
        this.universe = IntervalSet.of(new Interval(U128.ZERO, U128.ZERO.orLowBits(bits)));
    }

    public IntervalSet universe() { return universe; }

    /** The IPv4-mapped block of the address space. */
    public static final IntervalSet V4 = IntervalSet.of(new Interval(U128.V4_BASE, U128.V4_LAST));
    /** Every address that is not IPv4-mapped. */
    public static final IntervalSet V6 = V4.complement(SRC.universe);
}
