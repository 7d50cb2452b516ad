// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.dsl.Pipeline;
import dev.rampart.dsl.check.Literals;
import dev.rampart.dsl.eval.Packet;
import dev.rampart.dsl.ir.ConnState;
import dev.rampart.dsl.ir.Field;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.Interval;
import dev.rampart.dsl.ir.IntervalSet;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.ir.SetMatch;
import dev.rampart.dsl.ir.Term;
import dev.rampart.dsl.ir.U128;
import dev.rampart.dsl.parse.Parser;
import dev.rampart.dsl.source.DiagnosticRenderer;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoweringTest {
    static final String OBJECTS = """
            net lan = 10.1.0.0/16, fd00:1::/48
            service web = tcp 80, 443, udp 443
            zone wan = wan*
            zone inside = lan0, lan1
            set blocklist dynamic ipv4
            """;

    static IrChain chain(String rules) {
        Pipeline.Compiled c = Pipeline.run(new SourceFile("t.rampart", OBJECTS + "chain forward policy drop {\n" + rules + "\n}\n"));
        assertTrue(c.ok(), DiagnosticRenderer.renderAll(c.diagnostics()));
        return c.ir().chain(Hook.FORWARD).orElseThrow();
    }

    static IrRule rule(String text) { return chain(text).rules().get(0); }

    static IntervalSet v4(String a, String b) {
        return IntervalSet.of(new Interval(Literals.address(a), Literals.address(b)));
    }

    static IntervalSet points(long... vs) {
        IntervalSet s = IntervalSet.empty();
        for (long v : vs) s = s.union(IntervalSet.range(v, v));
        return s;
    }

    @Test
    void prefixAndPortsGiveOneIpv4Term() {
        IrRule r = rule("rule a: from 10.1.0.0/16 proto tcp dport 80, 443 accept");
        assertEquals(1, r.terms().size());
        Term t = r.terms().get(0);
        assertEquals(v4("10.1.0.0", "10.1.255.255"), t.get(Field.SRC));
        assertEquals(Field.V4, t.get(Field.DST));
        assertEquals(points(6), t.get(Field.PROTO));
        assertEquals(points(80, 443), t.get(Field.DPORT));
        assertEquals(Field.SPORT.universe(), t.get(Field.SPORT));
    }

    @Test
    void negatedNetIsTheComplementInBothFamilies() {
        IrRule r = rule("rule a: from !lan accept");
        assertEquals(2, r.terms().size());
        assertEquals(Field.V4.minus(v4("10.1.0.0", "10.1.255.255")), r.terms().get(0).get(Field.SRC));
        IntervalSet fd = IntervalSet.of(new Interval(Literals.address("fd00:1::"), Literals.address("fd00:1:0:ffff:ffff:ffff:ffff:ffff")));
        assertEquals(Field.V6.minus(fd), r.terms().get(1).get(Field.SRC));
    }

    @Test
    void serviceEntriesAreSeparateTermsPerFamily() {
        IrRule r = rule("rule a: service web accept");
        assertEquals(4, r.terms().size());
        assertEquals(points(6), r.terms().get(0).get(Field.PROTO));
        assertEquals(points(80, 443), r.terms().get(0).get(Field.DPORT));
        Term udp = r.terms().stream().filter(t -> t.get(Field.PROTO).equals(points(17))).findFirst().orElseThrow();
        assertEquals(points(443), udp.get(Field.DPORT));
    }

    @Test
    void zonesAndPatternsBecomeInterfaceIntervals() {
        Term t = rule("rule a: in inside out wan accept").terms().get(0);
        assertEquals(IntervalSet.of(new Interval(U128.ofIfName("wan"), U128.ifPrefixEnd("wan"))), t.get(Field.OIF));
        assertEquals(IntervalSet.of(List.of(Interval.point(U128.ofIfName("lan0")), Interval.point(U128.ofIfName("lan1")))), t.get(Field.IIF));
        assertTrue(t.get(Field.OIF).contains(U128.ofIfName("wan0")));
        assertFalse(t.get(Field.OIF).contains(U128.ofIfName("wa")));
        assertFalse(t.get(Field.OIF).contains(U128.ofIfName("wbn0")));
    }

    @Test
    void flagsAreTheBytesWhoseMaskedBitsEqualTheSet() {
        Term t = rule("rule a: proto tcp flags syn / syn,ack accept").terms().get(0);
        IntervalSet f = t.get(Field.TCP_FLAGS);
        int n = 0;
        for (int v = 0; v < 256; v++) {
            boolean expected = (v & 0x12) == 0x02;
            assertEquals(expected, f.contains(v), "flags " + v);
            if (expected) n++;
        }
        assertEquals(64, n);
        assertEquals(points(6), t.get(Field.PROTO));
    }

    @Test
    void statesAreOrdinals() {
        Term t = rule("rule a: state established, related accept").terms().get(0);
        assertEquals(points(ConnState.ESTABLISHED.ordinal(), ConnState.RELATED.ordinal()), t.get(Field.STATE));
    }

    @Test
    void portsRestrictToPortProtocolsAndIcmpTypesFollowTheFamily() {
        assertEquals(points(6), rule("rule a: proto tcp, icmp dport 80 accept").terms().get(0).get(Field.PROTO));
        IrRule r = rule("rule a: proto icmp, icmpv6 icmp-type echo-request accept");
        assertEquals(2, r.terms().size());
        assertEquals(points(1), r.terms().get(0).get(Field.PROTO));
        assertEquals(points(8), r.terms().get(0).get(Field.ICMP_TYPE));
        assertEquals(points(58), r.terms().get(1).get(Field.PROTO));
        assertEquals(points(128), r.terms().get(1).get(Field.ICMP_TYPE));
        assertEquals(Field.V6, r.terms().get(1).get(Field.SRC));
    }

    @Test
    void dynamicSetsBecomeSetMatchesWithTheirFamily() {
        IrRule r = rule("rule a: from @blocklist drop");
        assertEquals(1, r.terms().size());
        assertEquals(new SetMatch("blocklist", false), r.terms().get(0).srcSet());
        assertEquals(Field.V4, r.terms().get(0).get(Field.SRC));
        IrRule neg = rule("rule a: from !@blocklist drop");
        assertEquals(2, neg.terms().size()); // every IPv4 address not in the set, and every IPv6 address
        assertEquals(new SetMatch("blocklist", true), neg.terms().get(0).srcSet());
        assertNull(neg.terms().get(1).srcSet());
        assertEquals(Field.V6, neg.terms().get(1).get(Field.SRC));
    }

    @Test
    void disabledRulesAreLeftOutAndUnnamedRulesGetStableIds() {
        IrChain c = chain("rule off: accept disabled\n  rule proto tcp dport 22 accept\n  rule b: drop");
        assertEquals(2, c.rules().size());
        String anon = c.rules().get(0).id();
        assertTrue(anon.matches("anon-[0-9a-f]{8}"), anon);
        assertEquals(IrRule.numericIdOf(anon), c.rules().get(0).numericId());
        IrChain edited = chain("rule b: drop\n  rule proto tcp dport 22 accept");
        assertEquals(anon, edited.rules().get(1).id());
        assertFalse(anon.equals(chain("rule proto tcp dport 23 accept").rules().get(0).id()));
    }

    @Test
    void packetDefaultsAndZones() {
        Pipeline.Compiled c = Pipeline.run(new SourceFile("t.rampart", OBJECTS + "chain forward policy drop { }\n"));
        PacketBuilder b = c.packetBuilder();
        Packet p = build(b, "tcp 10.1.2.3:5000 -> 10.9.9.9:80 in inside out wan").packet();
        assertEquals(Packet.TCP, p.proto());
        assertEquals(0x02, p.tcpFlags());
        assertEquals(ConnState.NEW, p.state());
        assertEquals("lan0", p.inIf());
        assertEquals("wan0", p.outIf());
        assertEquals(5000, p.sport());
        Packet est = build(b, "tcp [fd00::1]:5000 -> [fd00::2]:80 state established on input").packet();
        assertEquals(0x10, est.tcpFlags());
        assertFalse(est.isV4());
        assertEquals(Hook.INPUT, build(b, "udp 1.2.3.4:1 -> 5.6.7.8:2 on input").hook());
        Packet icmp = build(b, "icmpv6 fd00::1 -> fd00::2 icmp-type echo-request").packet();
        assertEquals(128, icmp.icmpType());
    }

    @Test
    void packetErrors() {
        PacketBuilder b = PacketBuilder.withoutZones();
        assertEquals("mixed-families", buildErr(b, "tcp 1.2.3.4:1 -> [fd00::1]:2"));
        assertEquals("bad-address", buildErr(b, "tcp 1.2.3.0/24:1 -> 1.2.3.4:2"));
        assertEquals("bad-port", buildErr(b, "tcp 1.2.3.4:70000 -> 1.2.3.5:2"));
        assertEquals("family-mismatch", buildErr(b, "icmp fd00::1 -> fd00::2"));
    }

    private static PacketBuilder.Built build(PacketBuilder b, String text) {
        Result<dev.rampart.dsl.ast.PacketSpec> spec = Parser.parsePacket(new SourceFile("<packet>", text));
        assertFalse(spec.diagnostics().hasErrors(), DiagnosticRenderer.renderAll(spec.diagnostics()));
        Result<PacketBuilder.Built> r = b.build(spec.value());
        assertTrue(r.ok(), DiagnosticRenderer.renderAll(r.diagnostics()));
        return r.value();
    }

    private static String buildErr(PacketBuilder b, String text) {
        Result<dev.rampart.dsl.ast.PacketSpec> spec = Parser.parsePacket(new SourceFile("<packet>", text));
        if (spec.value() == null) return "parse:" + DiagnosticRenderer.renderAll(spec.diagnostics());
        Result<PacketBuilder.Built> r = b.build(spec.value());
        assertNull(r.value());
        return r.diagnostics().all().get(0).code();
    }
}
