// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import static dev.rampart.dsl.capture.Chains.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.rampart.dsl.ir.ConnState;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Connection states over hand-built packet sequences, traced through small chains. */
class ConnTrackerTest {
    static final IrChain ACCEPT_ALL = chain(Hook.INPUT, Verdict.ACCEPT);
    static final String C = "10.0.0.1", S = "10.0.0.2";
    static final int SYN = 0x02, SYNACK = 0x12, ACK = 0x10, PSHACK = 0x18, FINACK = 0x11, RST = 0x04;

    static byte[] tcp(String src, String dst, int sport, int dport, int flags) {
        return Pkt.ipv4(src, dst, 6, Pkt.tcp(sport, dport, flags));
    }

    static List<ConnState> trace(IrChain chain, long stepNanos, byte[]... packets) {
        Pkt.Pcap p = new Pkt.Pcap(LinkType.RAW);
        long t = 1_700_000_000_000_000_000L;
        for (byte[] pk : packets) {
            p.at(t).frame(pk);
            t += stepNanos;
        }
        return Run.of(p.bytes(), chain).evaluated().stream().map(x -> x.packet().state()).toList();
    }

    static List<ConnState> trace(IrChain chain, byte[]... packets) { return trace(chain, 1_000_000, packets); }

    @Test
    void handshakeIsNewThenEstablished() {
        assertEquals(List.of(ConnState.NEW, ConnState.NEW, ConnState.ESTABLISHED, ConnState.ESTABLISHED,
                        ConnState.ESTABLISHED, ConnState.ESTABLISHED, ConnState.ESTABLISHED, ConnState.ESTABLISHED),
                trace(ACCEPT_ALL,
                        tcp(C, S, 5000, 80, SYN), tcp(C, S, 5000, 80, SYN), // retransmitted before any reply: still new
                        tcp(S, C, 80, 5000, SYNACK), tcp(C, S, 5000, 80, ACK), tcp(C, S, 5000, 80, PSHACK),
                        tcp(S, C, 80, 5000, FINACK), tcp(C, S, 5000, 80, FINACK), tcp(S, C, 80, 5000, ACK)));
    }

    @Test
    void invalidFlagCombinations() {
        assertEquals(List.of(ConnState.INVALID, ConnState.INVALID, ConnState.INVALID, ConnState.INVALID),
                trace(ACCEPT_ALL, tcp(C, S, 1, 2, 0x03), tcp(C, S, 1, 2, 0x06), tcp(C, S, 1, 2, 0), tcp(C, S, 1, 2, 0x01)));
    }

    @Test
    void looseTcpPicksUpAMidstreamAckButNotSynAckOrRst() {
        assertEquals(List.of(ConnState.NEW, ConnState.ESTABLISHED), trace(ACCEPT_ALL, tcp(C, S, 1, 2, ACK), tcp(S, C, 2, 1, ACK)));
        assertEquals(List.of(ConnState.INVALID, ConnState.INVALID), trace(ACCEPT_ALL, tcp(S, C, 2, 1, SYNACK), tcp(C, S, 1, 2, RST)));
    }

    @Test
    void droppedSynLeavesNoState() {
        // Only replies are let in: the SYN is dropped, so the connection never exists in the table.
        IrChain repliesOnly = chain(Hook.INPUT, Verdict.DROP, rule("replies", Verdict.ACCEPT, state(any(), ConnState.ESTABLISHED)));
        assertEquals(List.of(ConnState.NEW, ConnState.INVALID, ConnState.NEW, ConnState.NEW),
                trace(repliesOnly, tcp(C, S, 5000, 80, SYN), tcp(S, C, 80, 5000, SYNACK), tcp(C, S, 5000, 80, ACK),
                        tcp(C, S, 5000, 80, PSHACK)));
        // Once the SYN is accepted, the same sequence is established.
        IrChain synOk = chain(Hook.INPUT, Verdict.DROP, rule("replies", Verdict.ACCEPT, state(any(), ConnState.ESTABLISHED)),
                rule("syn", Verdict.ACCEPT, state(dport(proto(any(), 6), 80), ConnState.NEW)));
        assertEquals(List.of(ConnState.NEW, ConnState.ESTABLISHED, ConnState.ESTABLISHED),
                trace(synOk, tcp(C, S, 5000, 80, SYN), tcp(S, C, 80, 5000, SYNACK), tcp(C, S, 5000, 80, ACK)));
    }

    @Test
    void kernelStateTableMarksOutOfOrderSegmentsInvalid() {
        // A FIN before the SYN/ACK, and a SYN from the server's side of an established connection.
        assertEquals(List.of(ConnState.NEW, ConnState.INVALID, ConnState.ESTABLISHED, ConnState.ESTABLISHED, ConnState.INVALID),
                trace(ACCEPT_ALL, tcp(C, S, 5000, 80, SYN), tcp(C, S, 5000, 80, FINACK), tcp(S, C, 80, 5000, SYNACK),
                        tcp(C, S, 5000, 80, ACK), tcp(S, C, 80, 5000, SYN)));
    }

    @Test
    void udpTimesOutAfter30SecondsUnreplied() {
        byte[] q = Pkt.ipv4(C, S, 17, Pkt.udp(5353, 53, 4));
        byte[] r = Pkt.ipv4(S, C, 17, Pkt.udp(53, 5353, 4));
        assertEquals(List.of(ConnState.NEW, ConnState.ESTABLISHED), trace(ACCEPT_ALL, 29_000_000_000L, q, r));
        assertEquals(List.of(ConnState.NEW, ConnState.NEW), trace(ACCEPT_ALL, 31_000_000_000L, q, q));
        // Replied and older than 2 s: the entry lives 120 s.
        assertEquals(List.of(ConnState.NEW, ConnState.ESTABLISHED, ConnState.ESTABLISHED, ConnState.ESTABLISHED),
                trace(ACCEPT_ALL, 25_000_000_000L, q, r, q, q));
    }

    @Test
    void tcpClosedByRstExpiresAfterTenSeconds() {
        byte[] syn = tcp(C, S, 5000, 80, SYN), synack = tcp(S, C, 80, 5000, SYNACK), rst = tcp(C, S, 5000, 80, RST);
        byte[] ack = tcp(C, S, 5000, 80, ACK);
        assertEquals(List.of(ConnState.NEW, ConnState.ESTABLISHED, ConnState.ESTABLISHED, ConnState.NEW),
                trace(ACCEPT_ALL, 11_000_000_000L, syn, synack, rst, ack));
    }

    @Test
    void icmpEchoAndRelatedErrors() {
        byte[] req = Pkt.ipv4(C, S, 1, Pkt.icmp(8, 0, 42, 1));
        byte[] rep = Pkt.ipv4(S, C, 1, Pkt.icmp(0, 0, 42, 1));
        byte[] req2 = Pkt.ipv4(C, S, 1, Pkt.icmp(8, 0, 42, 2));
        byte[] otherId = Pkt.ipv4(S, C, 1, Pkt.icmp(0, 0, 43, 1));
        assertEquals(List.of(ConnState.NEW, ConnState.ESTABLISHED, ConnState.ESTABLISHED, ConnState.INVALID),
                trace(ACCEPT_ALL, req, rep, req2, otherId));

        byte[] dns = Pkt.ipv4(C, S, 17, Pkt.udp(5353, 53, 4));
        byte[] unreachable = Pkt.ipv4(S, C, 1, Pkt.icmpError(3, 3, dns));
        byte[] unknown = Pkt.ipv4(S, C, 1, Pkt.icmpError(3, 3, Pkt.ipv4(C, S, 17, Pkt.udp(5354, 53, 4))));
        assertEquals(List.of(ConnState.NEW, ConnState.RELATED, ConnState.INVALID), trace(ACCEPT_ALL, dns, unreachable, unknown));
    }

    @Test
    void icmpv6ErrorIsRelated() {
        String a = "2001:db8::1", b = "2001:db8::2";
        byte[] udp = Pkt.ipv6(a, b, 17, Pkt.udp(4000, 4001, 8));
        byte[] tooBig = Pkt.ipv6(b, a, 58, Pkt.cat(new byte[] {1, 4, 0, 0, 0, 0, 0, 0}, udp));
        assertEquals(List.of(ConnState.NEW, ConnState.RELATED), trace(ACCEPT_ALL, udp, tooBig));
    }

    @Test
    void synOnAClosedTupleStartsANewConnection() {
        assertEquals(List.of(ConnState.NEW, ConnState.ESTABLISHED, ConnState.ESTABLISHED, ConnState.NEW, ConnState.ESTABLISHED),
                trace(ACCEPT_ALL, tcp(C, S, 5000, 80, SYN), tcp(S, C, 80, 5000, SYNACK), tcp(C, S, 5000, 80, RST),
                        tcp(C, S, 5000, 80, SYN), tcp(S, C, 80, 5000, SYNACK)));
    }

    @Test
    void tableFullDropsNewConnectionsBeforeTheFilter() {
        Pkt.Pcap p = new Pkt.Pcap(LinkType.RAW);
        for (int i = 0; i < 5; i++) p.frame(tcp(C, S, 6000 + i, 80, SYN));
        Run run = Run.of(p.bytes(), ACCEPT_ALL, TraceOptions.defaults().withLimits(3, 16, 1 << 20));
        assertEquals(3, run.result().evaluated());
        assertEquals(2, run.result().noRoom());
    }
}
