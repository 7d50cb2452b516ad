// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import static dev.rampart.dsl.capture.Chains.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.rampart.dsl.eval.Packet;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.Verdict;
import java.io.ByteArrayInputStream;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** File formats and link layers, from hand-built bytes. */
class CaptureFormatsTest {
    static final IrChain ACCEPT_ALL = chain(Hook.INPUT, Verdict.ACCEPT);
    static final byte[] SYN = Pkt.ipv4("10.0.0.1", "10.0.0.2", 6, Pkt.tcp(40000, 443, 0x02));

    private static List<Frame> frames(byte[] file) {
        CaptureReader r = CaptureReader.open(new ByteArrayInputStream(file));
        List<Frame> l = new java.util.ArrayList<>();
        for (Frame f = r.next(); f != null; f = r.next()) l.add(f);
        assertTrue(r.error().isEmpty(), () -> "unexpected error " + r.error());
        return l;
    }

    @Test
    void classicPcapInBothByteOrdersAndResolutions() {
        long t = 1_700_000_000_123_456_789L;
        for (ByteOrder order : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
            for (boolean nano : List.of(false, true)) {
                byte[] file = new Pkt.Pcap(LinkType.RAW, order, nano).at(t).frame(SYN).frame(SYN, 1500).bytes();
                List<Frame> l = frames(file);
                assertEquals(2, l.size());
                assertEquals(nano ? t : t - 789, l.get(0).timestampNanos(), order + " nano=" + nano);
                assertEquals(LinkType.RAW, l.get(0).linkType());
                assertFalse(l.get(0).truncated());
                assertTrue(l.get(1).truncated(), "captured 40 of 1500 bytes");
                assertEquals(1500, l.get(1).originalLength());
                assertEquals(24 + 16 + SYN.length, l.get(1).offset());
                Run run = Run.of(file, ACCEPT_ALL);
                assertEquals(2, run.result().evaluated());
                assertEquals(443, run.evaluated().get(0).packet().dport());
            }
        }
    }

    @Test
    void pcapngWithTwoInterfacesNamesEachPacketsInterface() {
        for (ByteOrder order : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
            byte[] file = new Pkt.Pcapng(order)
                    .iface(LinkType.ETHERNET, "eth0", null)
                    .block(0x0bad, new byte[12]) // an unknown block, skipped by its length
                    .iface(LinkType.RAW, "wan1", 9)
                    .epb(0, 1_700_000_000_000_000L, Pkt.ether(0x0800, SYN))
                    .epb(1, 1_700_000_001_000_000_000L, SYN)
                    .bytes();
            List<Frame> l = frames(file);
            assertEquals(2, l.size());
            assertEquals("eth0", l.get(0).iface());
            assertEquals("wan1", l.get(1).iface());
            assertEquals(1_700_000_000_000_000_000L, l.get(0).timestampNanos(), "microsecond default resolution");
            assertEquals(1_700_000_001_000_000_000L, l.get(1).timestampNanos(), "if_tsresol 9 = nanoseconds");
            IrChain chain = chain(Hook.INPUT, Verdict.DROP, rule("from-wan", Verdict.ACCEPT, iif(any(), "wan1")));
            Run run = Run.of(file, chain, TraceOptions.defaults().withInterfaces("lo", ""));
            assertEquals("eth0", run.evaluated().get(0).packet().inIf(), "the capture's interface wins over --in");
            assertEquals(Verdict.DROP, run.evaluated().get(0).evaluation().verdict());
            assertEquals(Verdict.ACCEPT, run.evaluated().get(1).evaluation().verdict());
            assertEquals(1, run.result().ruleHits().get("from-wan").packets());
        }
    }

    @Test
    void pcapngSectionsMayChangeByteOrderAndResetInterfaces() {
        byte[] first = new Pkt.Pcapng(ByteOrder.BIG_ENDIAN).iface(LinkType.RAW, "a0", null).epb(0, 0, SYN).bytes();
        // Binary resolution 2^-10 s: 1024 units are one second.
        byte[] second = new Pkt.Pcapng(ByteOrder.LITTLE_ENDIAN).iface(LinkType.RAW, "b0", 0x80 | 10).epb(0, 1024 * 5 + 512, SYN).bytes();
        List<Frame> l = frames(Pkt.cat(first, second));
        assertEquals(2, l.size());
        assertEquals("a0", l.get(0).iface());
        assertEquals("b0", l.get(1).iface(), "interface 0 of the second section is its own");
        assertEquals(5_500_000_000L, l.get(1).timestampNanos());
        byte[] stale = Pkt.cat(first, new Pkt.Pcapng(ByteOrder.LITTLE_ENDIAN).epb(0, 0, SYN).bytes());
        Run run = Run.of(stale, ACCEPT_ALL);
        assertEquals(1, run.result().evaluated());
        assertTrue(run.result().error().orElseThrow().message().contains("only 0 are described"), "interfaces do not carry over sections");
    }

    @Test
    void listingCanBeTurnedOffWithoutChangingTotals() {
        byte[] file = new Pkt.Pcap(LinkType.RAW).frame(SYN).frame(Pkt.ether(0x0806, new byte[2])).bytes();
        List<TracedPacket> seen = new java.util.ArrayList<>();
        TraceResult quiet = Tracer.trace(new ByteArrayInputStream(file), ACCEPT_ALL, TraceOptions.defaults().withListPackets(false), seen::add);
        assertTrue(seen.isEmpty());
        assertEquals(Run.of(file, ACCEPT_ALL).result(), quiet);
    }

    @Test
    void simplePacketBlockUsesFirstInterface() {
        byte[] file = new Pkt.Pcapng(ByteOrder.LITTLE_ENDIAN).iface(LinkType.IPV4, "v4only", null).spb(SYN).bytes();
        List<Frame> l = frames(file);
        assertEquals(1, l.size());
        assertEquals(LinkType.IPV4, l.get(0).linkType());
        assertEquals("v4only", l.get(0).iface());
    }

    @Test
    void interfaceFromOptionsWhenCaptureHasNone() {
        byte[] file = new Pkt.Pcap(LinkType.RAW).frame(SYN).bytes();
        Run input = Run.of(file, ACCEPT_ALL, TraceOptions.defaults().withInterfaces("lan0", "wan0"));
        assertEquals("lan0", input.evaluated().get(0).packet().inIf());
        assertEquals("", input.evaluated().get(0).packet().outIf(), "the input hook has no output interface");
        Run fwd = Run.of(file, chain(Hook.FORWARD, Verdict.ACCEPT), TraceOptions.defaults().withInterfaces("lan0", "wan0"));
        assertEquals("lan0", fwd.evaluated().get(0).packet().inIf());
        assertEquals("wan0", fwd.evaluated().get(0).packet().outIf());
        Run out = Run.of(file, chain(Hook.OUTPUT, Verdict.ACCEPT), TraceOptions.defaults().withInterfaces("lan0", "wan0"));
        assertEquals("", out.evaluated().get(0).packet().inIf());
        assertEquals("wan0", out.evaluated().get(0).packet().outIf());
    }

    @Test
    void longInterfaceNameIsCutWithWarning() {
        byte[] file = new Pkt.Pcapng(ByteOrder.LITTLE_ENDIAN).iface(LinkType.RAW, "\\Device\\NPF_{ABCDEF}", null)
                .epb(0, 0, SYN).bytes();
        Run run = Run.of(file, ACCEPT_ALL);
        assertEquals("\\Device\\NPF_{AB", run.evaluated().get(0).packet().inIf());
        assertEquals(1, run.result().warnings().size());
        assertTrue(run.result().warnings().get(0).contains("longer than"));
    }

    @Test
    void ethernetWithStackedVlanTags() {
        byte[] file = new Pkt.Pcap(LinkType.ETHERNET).frame(Pkt.ether(0x0800, SYN, 0x88a8, 0x8100)).bytes();
        Run run = Run.of(file, ACCEPT_ALL);
        assertEquals(1, run.result().evaluated());
        Packet p = run.evaluated().get(0).packet();
        assertEquals("10.0.0.1", p.src().toAddressString());
        assertEquals(40000, p.sport());
    }

    @Test
    void nonIpFramesAreCountedNotEvaluated() {
        byte[] arp = Pkt.ether(0x0806, new byte[28]);
        Run run = Run.of(new Pkt.Pcap(LinkType.ETHERNET).frame(arp).bytes(), ACCEPT_ALL);
        assertEquals(1, run.result().notIp());
        assertEquals(0, run.result().evaluated());
        assertTrue(run.packets().get(0).reason().contains("ARP"));
    }

    @Test
    void linuxCookedV1AndV2() {
        byte[] v6 = Pkt.ipv6("2001:db8::1", "2001:db8::2", 17, Pkt.udp(5353, 53, 4));
        Run sll = Run.of(new Pkt.Pcap(LinkType.LINUX_SLL).frame(Pkt.sll(0x86dd, v6)).bytes(), ACCEPT_ALL);
        assertEquals(53, sll.evaluated().get(0).packet().dport());
        assertEquals("", sll.evaluated().get(0).packet().inIf());

        byte[] file = new Pkt.Pcap(LinkType.LINUX_SLL2).frame(Pkt.sll2(0x86dd, 3, v6)).frame(Pkt.sll2(0x0800, 7, SYN)).bytes();
        Run sll2 = Run.of(file, ACCEPT_ALL, TraceOptions.defaults().withInterfaces("ignored", "").withIfIndexNames(Map.of(3, "eth3")));
        assertEquals("eth3", sll2.evaluated().get(0).packet().inIf(), "index named by the options");
        assertEquals("ifindex7", sll2.evaluated().get(1).packet().inIf(), "unnamed index");
        assertEquals(Packet.TCP, sll2.evaluated().get(1).packet().proto());
    }

    @Test
    void rawIpv4AndIpv6LinkTypes() {
        byte[] v6 = Pkt.ipv6("2001:db8::1", "2001:db8::2", 17, Pkt.udp(1, 2, 0));
        assertEquals(1, Run.of(new Pkt.Pcap(LinkType.IPV4).frame(SYN).bytes(), ACCEPT_ALL).result().evaluated());
        assertEquals(1, Run.of(new Pkt.Pcap(LinkType.IPV6).frame(v6).bytes(), ACCEPT_ALL).result().evaluated());
        assertEquals(1, Run.of(new Pkt.Pcap(LinkType.RAW_BSD12).frame(v6).bytes(), ACCEPT_ALL).result().evaluated());
        Run wrong = Run.of(new Pkt.Pcap(LinkType.IPV4).frame(v6).bytes(), ACCEPT_ALL);
        assertEquals(1, wrong.result().malformed(), "IPv6 bytes on an IPv4-only link");
    }
}
