// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.ast;

import dev.rampart.dsl.ast.Operand.Word;
import dev.rampart.dsl.source.Span;
import java.util.List;

/** One part of a service definition. */
public sealed interface ServiceItem {
    Span span();

    /**
     * {@code tcp 80, 443, 8000-8080}, {@code udp 53}, {@code icmp echo-request}, {@code icmpv6 128},
     * {@code proto 47} (args = [47]) or a bare {@code tcp} (all ports). Args are ports/ranges for
     * port protocols, ICMP types (name, number or type/code) for icmp/icmpv6.
     */
    record Proto(Span span, Word protocol, List<Operand> args) implements ServiceItem {}

    /** Another service by name, or {@code $define}. */
    record Ref(Span span, Operand target) implements ServiceItem {}
}
