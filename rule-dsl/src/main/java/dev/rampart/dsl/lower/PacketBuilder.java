// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.lower;

import dev.rampart.dsl.ast.Operand;
import dev.rampart.dsl.ast.PacketSpec;
import dev.rampart.dsl.check.Literals;
import dev.rampart.dsl.eval.Packet;
import dev.rampart.dsl.eval.TcpFlags;
import dev.rampart.dsl.ir.ConnState;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.U128;
import dev.rampart.dsl.source.Diagnostics;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.Span;
import dev.rampart.dsl.source.Suggest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A packet description ({@code tcp 10.1.2.3:50000 -> 10.2.0.10:443 in lan state new}) to the
 * packet the evaluator classifies. Shared by policy tests and {@code rampart simulate --packet}.
 * Defaults: hook forward, state new, TCP flags syn for a new connection and ack otherwise.
 */
public final class PacketBuilder {
    private final Function<String, String> zoneInterface;

    /** @param zoneInterface the interface to use for a zone name ({@code in lan}), or null when the name is no zone */
    public PacketBuilder(Function<String, String> zoneInterface) { this.zoneInterface = zoneInterface; }

    /** A builder for packets outside any policy: interface words are taken as interface names. */
    public static PacketBuilder withoutZones() { return new PacketBuilder(z -> null); }

    public record Built(Packet packet, Hook hook, Map<String, Set<U128>> sets) {}

    public Result<Built> build(PacketSpec spec) {
        Diagnostics d = new Diagnostics();
        Literals.Parsed<Integer> pp = Literals.protocol(spec.protocol().text());
        if (!pp.ok()) {
            d.add(dev.rampart.dsl.source.Diagnostic.error(spec.protocol().span(), "bad-protocol", pp.problem()).withSuggestion(pp.suggestion()));
            return new Result<>(null, d);
        }
        int proto = pp.value();
        U128 src = address(spec.src(), d), dst = address(spec.dst(), d);
        int sport = port(spec.src(), proto, d), dport = port(spec.dst(), proto, d);
        if (src != null && dst != null && src.isV4Mapped() != dst.isV4Mapped()) {
            d.error(spec.src().span().to(spec.dst().span()), "mixed-families", "a packet's addresses are both IPv4 or both IPv6");
        }
        boolean v6 = src != null && !src.isV4Mapped();
        if (src != null && ((proto == Packet.ICMP && v6) || (proto == Packet.ICMPV6 && !v6))) {
            err(d, spec.protocol().span(), "family-mismatch", v6 ? "icmp is IPv4's; an IPv6 packet uses icmpv6" : "icmpv6 is IPv6's; an IPv4 packet uses icmp",
                    "write '" + (v6 ? "icmpv6" : "icmp") + "'");
        }
        Hook hook = Hook.FORWARD;
        ConnState state = ConnState.NEW;
        String inIf = "", outIf = "";
        Integer flags = null;
        int icmpType = 0, icmpCode = 0;
        Span inSpan = null, outSpan = null;
        Map<String, Set<U128>> sets = new HashMap<>();
        for (PacketSpec.Attr a : spec.attrs()) {
            Operand v = a.value();
            switch (a.key()) {
                case "on" -> {
                    Hook h = Hook.byKeyword(text(v));
                    if (h == null) d.error(v.span(), "bad-hook", "unknown hook '" + text(v) + "'; use input, forward or output");
                    else hook = h;
                }
                case "in" -> {
                    inIf = iface(v, d);
                    inSpan = a.span();
                }
                case "out" -> {
                    outIf = iface(v, d);
                    outSpan = a.span();
                }
                case "state" -> {
                    ConnState s = ConnState.byKeyword(text(v));
                    if (s == null) d.error(v.span(), "bad-state", "unknown connection state '" + text(v) + "'; use new, established, related or invalid");
                    else state = s;
                }
                case "flags" -> flags = flags(v, d);
                case "icmp-type" -> icmpType = icmpType(v, proto, d);
                case "icmp-code" -> {
                    long c = Literals.number(text(v));
                    if (c < 0 || c > 255) d.error(v.span(), "bad-icmp-code", "icmp code '" + text(v) + "' is not a number from 0 to 255");
                    else icmpCode = (int) c;
                    if (proto != Packet.ICMP && proto != Packet.ICMPV6) d.error(a.span(), "icmp-without-icmp", "only icmp and icmpv6 packets have an icmp code");
                }
                case "with" -> with(v, sets, d);
                default -> d.error(a.span(), "bad-packet", "unknown packet attribute '" + a.key() + "'");
            }
        }
        if (hook == Hook.OUTPUT && inSpan != null) err(d, inSpan, "wrong-direction", "a packet on the output hook has no input interface", "use 'out'");
        if (hook == Hook.INPUT && outSpan != null) err(d, outSpan, "wrong-direction", "a packet on the input hook has no output interface", "use 'in'");
        if (flags != null && proto != Packet.TCP) {
            d.error(spec.span(), "flags-without-tcp", "only TCP packets have flags");
        }
        int tcpFlags = proto != Packet.TCP ? 0 : flags != null ? flags : state == ConnState.NEW ? TcpFlags.bit("syn") : TcpFlags.bit("ack");
        if (d.hasErrors() || src == null || dst == null) return new Result<>(null, d);
        Packet p = new Packet(src, dst, proto, sport, dport, icmpType, icmpCode, tcpFlags, state, inIf, outIf);
        return new Result<>(new Built(p, hook, Map.copyOf(sets)), d);
    }

    private static void err(Diagnostics d, Span s, String code, String msg, String suggestion) {
        d.add(dev.rampart.dsl.source.Diagnostic.error(s, code, msg).withSuggestion(suggestion));
    }

    private static String text(Operand v) {
        if (v instanceof Operand.Word w) return w.text();
        if (v instanceof Operand.Str s) return s.value();
        return "";
    }

    private static U128 address(PacketSpec.Endpoint e, Diagnostics d) {
        String t = e.address().text();
        U128 a = Literals.address(t);
        if (a == null) {
            d.error(e.address().span(), "bad-address", "'" + t + "' is not a single IPv4 or IPv6 address"
                    + (t.contains("/") || t.contains("-") ? ": a test packet has one source and one destination" : ""));
        }
        return a;
    }

    private static int port(PacketSpec.Endpoint e, int proto, Diagnostics d) {
        if (e.port() == null) return 0;
        if (!Packet.hasPorts(proto)) {
            d.error(e.port().span(), "ports-on-portless-protocol", Packet.protoName(proto) + " packets have no ports");
            return 0;
        }
        long p = Literals.number(e.port().text());
        if (p < 0 || p > 65535) {
            d.error(e.port().span(), "bad-port", "'" + e.port().text() + "' is not a port number from 0 to 65535");
            return 0;
        }
        return (int) p;
    }

    private String iface(Operand v, Diagnostics d) {
        String name = text(v);
        if (v instanceof Operand.Word) {
            String zoneIf = zoneInterface.apply(name);
            if (zoneIf != null) return zoneIf;
        }
        if (name.isEmpty() || name.contains("*") || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 15) {
            d.error(v.span(), "bad-interface", "'" + name + "' is not an interface name (1 to 15 bytes, no '*') or a zone with one");
            return "";
        }
        return name;
    }

    private static Integer flags(Operand v, Diagnostics d) {
        List<Operand.Word> words = new ArrayList<>();
        if (v instanceof Operand.Flags f) words.addAll(f.set());
        else if (v instanceof Operand.Word w) words.add(w);
        else if (v instanceof Operand.ListOf l) {
            for (Operand o : l.items()) if (o instanceof Operand.Word w) words.add(w);
        }
        int bits = 0;
        for (Operand.Word w : words) {
            if (w.text().equals("none")) continue;
            int b = TcpFlags.bit(w.text());
            if (b < 0) {
                d.add(dev.rampart.dsl.source.Diagnostic.error(w.span(), "bad-flag", "unknown TCP flag '" + w.text() + "'")
                        .withSuggestion(Suggest.didYouMean(w.text(), List.of(TcpFlags.NAMES))));
                return null;
            }
            bits |= b;
        }
        return bits;
    }

    private static int icmpType(Operand v, int proto, Diagnostics d) {
        String t = text(v);
        if (proto != Packet.ICMP && proto != Packet.ICMPV6) {
            d.error(v.span(), "icmp-without-icmp", "only icmp and icmpv6 packets have an icmp type");
            return 0;
        }
        long n = Literals.number(t);
        if (n >= 0 && n <= 255) return (int) n;
        int named = Literals.icmpType(t, proto == Packet.ICMPV6);
        if (named >= 0) return named;
        d.add(dev.rampart.dsl.source.Diagnostic.error(v.span(), "bad-icmp-type", "unknown " + Packet.protoName(proto) + " type '" + t + "'")
                .withSuggestion(Suggest.didYouMean(t, (proto == Packet.ICMPV6 ? Literals.ICMPV6_TYPES : Literals.ICMP_TYPES).keySet())));
        return 0;
    }

    private static void with(Operand v, Map<String, Set<U128>> sets, Diagnostics d) {
        if (!(v instanceof Operand.ListOf l) || l.items().isEmpty() || !(l.items().get(0) instanceof Operand.SetRef ref)) {
            d.error(v.span(), "bad-packet", "'with' takes a set and its elements: with @blocklist 203.0.113.9");
            return;
        }
        Set<U128> elems = sets.computeIfAbsent(ref.name(), k -> new LinkedHashSet<>());
        for (Operand o : l.items().subList(1, l.items().size())) {
            U128 a = o instanceof Operand.Word w ? Literals.address(w.text()) : null;
            if (a == null) d.error(o.span(), "bad-address", "'" + text(o) + "' is not a single IPv4 or IPv6 address");
            else elems.add(a);
        }
    }
}
