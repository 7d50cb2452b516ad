// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.ast;

import dev.rampart.dsl.ast.Operand.Word;
import dev.rampart.dsl.source.Span;
import java.util.List;

/**
 * A packet as a test or {@code rampart simulate --packet} describes it:
 * {@code tcp 10.1.2.3:50000 -> [fd00::10]:443 on forward in lan out wan0 state new flags syn with @blocklist 203.0.113.9}.
 *
 * @param protocol tcp, udp, icmp, icmpv6, sctp or a number
 * @param attrs    the optional parts after the addresses, in the order written
 */
public record PacketSpec(Span span, Word protocol, Endpoint src, Endpoint dst, List<Attr> attrs) {

    /** An address with an optional port ({@code 10.1.2.3:50000}, {@code [fd00::1]:443}, {@code fd00::1}). */
    public record Endpoint(Span span, Word address, Word port) {}

    /**
     * {@code key value}: key is one of on, in, out, state, flags, icmp-type, icmp-code, with.
     * For {@code with}, value is a ListOf whose first item is the SetRef and the rest addresses.
     */
    public record Attr(Span span, String key, Operand value) {}
}
