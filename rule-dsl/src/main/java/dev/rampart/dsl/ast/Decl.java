// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.ast;

import dev.rampart.dsl.ast.Operand.Str;
import dev.rampart.dsl.ast.Operand.Word;
import dev.rampart.dsl.source.Span;
import java.util.List;

/** A top-level statement of a policy file. */
public sealed interface Decl {
    Span span();

    /** {@code include "common.rampart"}; the path is relative to the including file. */
    record Include(Span span, Str path) implements Decl {}

    /** {@code define ssh_port = 22}: a named value list, used as {@code $ssh_port}. */
    record Define(Span span, Word name, List<Operand> value) implements Decl {}

    /**
     * {@code net lan = 10.1.0.0/16, fd00:1::/48} or {@code host gw = 10.1.0.1}. Items are literals,
     * other nets/hosts, static sets ({@code @x}) or defines. A host must be single addresses.
     */
    record Net(Span span, boolean host, Word name, List<Operand> items) implements Decl {}

    /** {@code service web = tcp 80, 443, udp 443} or {@code service all = web, dns}. */
    record Service(Span span, Word name, List<ServiceItem> items) implements Decl {}

    /** {@code zone wan = eth0, "ppp*", wan*}: interface names and prefix wildcards. */
    record Zone(Span span, Word name, List<Operand> items) implements Decl {}

    /**
     * {@code set admins = 10.1.0.5, 10.1.0.6} (static) or
     * {@code set blocklist dynamic ipv4 capacity 65536 timeout 1h} (filled at run time by the IPS).
     * For a static set, family/capacity/timeout are null. For a dynamic set, family is {@code ipv4},
     * {@code ipv6} or {@code any} (null = any); timeout is a duration word such as {@code 1h}.
     */
    record Set(Span span, Word name, boolean dynamic, Word family, Word capacity, Word timeout,
               List<Operand> elements) implements Decl {}

    /** {@code chain forward policy drop { rule ... }}. */
    record Chain(Span span, Word hook, Word policy, List<Rule> rules, Span closeBrace) implements Decl {}

    /** {@code test "lan can browse": tcp 10.1.2.3:50000 -> 93.184.216.34:443 in lan state new expect accept by lan-web}. */
    record Test(Span span, Str name, PacketSpec packet, Expect expect) implements Decl {}
}
