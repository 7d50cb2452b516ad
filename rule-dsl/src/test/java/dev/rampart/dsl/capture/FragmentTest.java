// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import static dev.rampart.dsl.capture.Chains.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.rampart.dsl.capture.TracedPacket.Kind;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.Verdict;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Defragmentation before the filter: one evaluation per datagram, at its last fragment. */
class FragmentTest {
    static final IrChain DNS = chain(Hook.INPUT, Verdict.DROP, rule("dns", Verdict.ACCEPT, dport(proto(any(), 17), 53)));
    static final byte[] UDP = Pkt.udp(5353, 53, 2992); // 3000 bytes of UDP

    static byte[] v4frag(int id, int from, int to, boolean more) {
        return Pkt.ipv4("10.0.0.1", "10.0.0.2", 17, id, from, more, Arrays.copyOfRange(UDP, from, to));
    }

    static byte[] v6frag(int id, int from, int to, boolean more) {
        return Pkt.ipv6("2001:db8::1", "2001:db8::2", 44,
                Pkt.cat(Pkt.fragHeader(17, from, more, id), Arrays.copyOfRange(UDP, from, to)));
    }

    @Test
    void ipv4OutOfOrderFragmentsGiveOneEvaluationAtTheLastArrival() {
        byte[] file = new Pkt.Pcap(LinkType.RAW).frame(v4frag(7, 1480, 2960, true)).frame(v4frag(7, 2960, 3000, false))
                .frame(v4frag(7, 0, 1480, true)).bytes();
        Run run = Run.of(file, DNS);
        assertEquals(1, run.result().evaluated());
        TracedPacket p = run.evaluated().get(0);
        assertEquals(3, p.frame(), "evaluated when the missing first fragment arrives");
        assertEquals(3, p.fragments());
        assertEquals(53, p.packet().dport());
        assertEquals(5353, p.packet().sport());
        assertEquals(3020, p.ipLength());
        assertEquals(new TraceResult.Hits(1, 3020), run.result().ruleHits().get("dns"));
        assertEquals(2, run.of(Kind.FRAGMENT_HELD).size());
        assertEquals(1, run.result().reassembled());
        assertEquals(0, run.result().incomplete());
    }

    @Test
    void ipv6FragmentsWithHeaderAfterTheFragmentHeader() {
        byte[] udpAfterDest = Pkt.cat(Pkt.ext(17, 1), UDP);
        byte[] f1 = Pkt.ipv6("2001:db8::1", "2001:db8::2", 44, Pkt.cat(Pkt.fragHeader(60, 0, true, 99), Arrays.copyOfRange(udpAfterDest, 0, 1232)));
        byte[] f2 = Pkt.ipv6("2001:db8::1", "2001:db8::2", 44, Pkt.cat(Pkt.fragHeader(60, 1232, false, 99),
                Arrays.copyOfRange(udpAfterDest, 1232, udpAfterDest.length)));
        Run run = Run.of(new Pkt.Pcap(LinkType.RAW).frame(f1).frame(f2).bytes(), DNS);
        assertEquals(1, run.result().evaluated());
        assertEquals(Verdict.ACCEPT, run.evaluated().get(0).evaluation().verdict());
        assertEquals(40 + udpAfterDest.length, run.evaluated().get(0).ipLength(), "without the fragment header, as the kernel rebuilds it");
    }

    @Test
    void neverCompletedDatagramsAreReportedAtTheEnd() {
        byte[] file = new Pkt.Pcap(LinkType.RAW).frame(v4frag(1, 0, 1480, true)).frame(v4frag(1, 2960, 3000, false))
                .frame(v6frag(2, 0, 1232, true)).bytes();
        Run run = Run.of(file, DNS);
        assertEquals(0, run.result().evaluated());
        assertEquals(2, run.result().incomplete());
        assertEquals(3, run.result().incompleteFragments());
        TracedPacket last = run.packets().get(run.packets().size() - 1);
        assertEquals(Kind.INCOMPLETE, last.kind());
        assertTrue(last.reason().contains("dropped by defragmentation"), last.reason());
    }

    @Test
    void incompleteDatagramTimesOutAfter30Seconds() {
        long t0 = 1_700_000_000_000_000_000L;
        byte[] file = new Pkt.Pcap(LinkType.RAW).at(t0).frame(v4frag(1, 0, 1480, true))
                .at(t0 + 31_000_000_000L).frame(v4frag(1, 1480, 3000, false)).bytes();
        Run run = Run.of(file, DNS);
        assertEquals(0, run.result().evaluated());
        assertEquals(2, run.result().incomplete(), "the first one timed out; the late fragment starts a new, incomplete one");
        assertTrue(run.packets().get(1).reason().contains("timed out"));
    }

    @Test
    void overlapDiscardsTheDatagramButDuplicatesAreIgnored() {
        byte[] dup = new Pkt.Pcap(LinkType.RAW).frame(v4frag(3, 0, 1480, true)).frame(v4frag(3, 0, 1480, true))
                .frame(v4frag(3, 1480, 3000, false)).bytes();
        Run d = Run.of(dup, DNS);
        assertEquals(1, d.result().evaluated());
        assertEquals(0, d.result().malformed());

        byte[] overlap = new Pkt.Pcap(LinkType.RAW).frame(v6frag(4, 0, 1232, true)).frame(v6frag(4, 1224, 3000, false)).bytes();
        Run o = Run.of(overlap, DNS);
        assertEquals(0, o.result().evaluated());
        assertEquals(1, o.result().malformed());
        assertTrue(o.of(Kind.MALFORMED).get(0).reason().contains("overlapping"));
        assertEquals(0, o.result().incomplete(), "the discarded datagram is gone, not pending");
    }

    @Test
    void ipv6NonLastFragmentMustBeAMultipleOfEight() {
        Run run = Run.of(new Pkt.Pcap(LinkType.RAW).frame(v6frag(5, 0, 1230, true)).bytes(), DNS);
        assertEquals(1, run.result().malformed());
        assertTrue(run.packets().get(0).reason().contains("multiple of 8"));
    }

    @Test
    void memoryLimitDropsFragmentsAndCountsThem() {
        Pkt.Pcap p = new Pkt.Pcap(LinkType.RAW);
        for (int id = 0; id < 5; id++) p.frame(v4frag(id, 0, 1480, true));
        Run run = Run.of(p.bytes(), DNS, TraceOptions.defaults().withLimits(1000, 3, 1 << 20));
        assertEquals(2, run.result().noRoom());
        assertEquals(3, run.result().incomplete());
        Run bytes = Run.of(p.bytes(), DNS, TraceOptions.defaults().withLimits(1000, 100, 3000));
        assertEquals(3, bytes.result().noRoom(), "two fragments of 1480 bytes fit in 3000");
    }

    @Test
    void reassembledDatagramIsTrackedOnce() {
        byte[] reply = Pkt.ipv4("10.0.0.2", "10.0.0.1", 17, Pkt.udp(53, 5353, 10));
        IrChain newOnly = chain(Hook.INPUT, Verdict.ACCEPT, rule("est", Verdict.ACCEPT, state(any(), dev.rampart.dsl.ir.ConnState.ESTABLISHED)));
        Run run = Run.of(new Pkt.Pcap(LinkType.RAW).frame(v4frag(9, 0, 1480, true)).frame(v4frag(9, 1480, 3000, false))
                .frame(reply).bytes(), newOnly);
        assertEquals(2, run.result().evaluated());
        assertEquals(dev.rampart.dsl.ir.ConnState.NEW, run.evaluated().get(0).packet().state());
        assertEquals(dev.rampart.dsl.ir.ConnState.ESTABLISHED, run.evaluated().get(1).packet().state());
    }
}
