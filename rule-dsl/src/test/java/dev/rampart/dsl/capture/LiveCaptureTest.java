// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import static dev.rampart.dsl.capture.Chains.*;
import static dev.rampart.dsl.capture.TrafficGen.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.rampart.dsl.capture.TracedPacket.Kind;
import dev.rampart.dsl.eval.Packet;
import dev.rampart.dsl.ir.ConnState;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Captures made by tcpdump and dumpcap (tshark's capture engine) on the loopback of a fresh network namespace (MTU 1280, so
 * big UDP datagrams are fragmented by the kernel) while {@link TrafficGen} and ping make traffic,
 * then traced through chains whose outcome is known packet by packet.
 */
class LiveCaptureTest {
    @TempDir
    static Path dir;
    static String setupProblem;
    static boolean haveTshark;

    static final int TCP = Packet.TCP, UDP = Packet.UDP;

    /** Accepts replies, and exactly the first packet of each kind of flow the traffic makes. */
    static final IrChain POLICY = chain(Hook.INPUT, Verdict.DROP,
            rule("est", Verdict.ACCEPT, state(any(), ConnState.ESTABLISHED, ConnState.RELATED)),
            rule("tcp4-new", Verdict.ACCEPT, state(dport(proto(any(), TCP), TCP4), ConnState.NEW)),
            rule("tcp6-new", Verdict.ACCEPT, state(dport(proto(any(), TCP), TCP6), ConnState.NEW)),
            rule("udp-req", Verdict.ACCEPT, dport(proto(any(), UDP), UDP4), dport(proto(any(), UDP), UDP6)),
            rule("frag", Verdict.ACCEPT, dport(proto(any(), UDP), FRAG4), dport(proto(any(), UDP), FRAG6)),
            rule("closed", Verdict.ACCEPT, dport(proto(any(), UDP), CLOSED4), dport(proto(any(), UDP), CLOSED6)),
            rule("ping-new", Verdict.ACCEPT, state(icmpType(proto(any(), Packet.ICMP), 8), ConnState.NEW),
                    state(icmpType(proto(any(), Packet.ICMPV6), 128), ConnState.NEW)));

    /** A drop policy that lets only replies in: no connection can ever start. */
    static final IrChain REPLIES_ONLY = chain(Hook.INPUT, Verdict.DROP,
            rule("est", Verdict.ACCEPT, state(any(), ConnState.ESTABLISHED, ConnState.RELATED)));

    @BeforeAll
    static void capture() throws Exception {
        String unshare = Tools.find("unshare"), ip = Tools.find("ip"), tcpdump = Tools.find("tcpdump"), ping = Tools.find("ping");
        // dumpcap is tshark's capture engine; tshark itself would also probe extcap sources (adb on
        // 127.0.0.1:5037), adding traffic of its own to the capture.
        String tshark = Tools.find("dumpcap");
        haveTshark = tshark != null;
        if (unshare == null || ip == null || tcpdump == null || ping == null) {
            setupProblem = "needs unshare, ip, tcpdump and ping; missing:" + (unshare == null ? " unshare" : "")
                    + (ip == null ? " ip" : "") + (tcpdump == null ? " tcpdump" : "") + (ping == null ? " ping" : "");
            return;
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String script = String.join("\n",
                "ip link set lo up && ip link set lo mtu 1280 || { echo 'cannot configure lo' >&2; exit 90; }",
                "tcpdump -Z root -U -n -i lo -w \"$D/lo.pcap\" 2>\"$D/full.err\" & P1=$!",
                "tcpdump -Z root -U -n -s 64 -i lo -w \"$D/snap64.pcap\" 2>\"$D/snap.err\" & P2=$!",
                "P3=",
                "if [ -n \"$TSHARK\" ]; then \"$TSHARK\" -q -i lo -w \"$D/lo.pcapng\" 2>\"$D/tshark.err\" & P3=$!; else touch \"$D/tshark.err\"; fi",
                "for i in $(seq 1 150); do",
                "  grep -q 'listening on' \"$D/full.err\" && grep -q 'listening on' \"$D/snap.err\" &&",
                "  { [ -z \"$TSHARK\" ] || grep -q 'Capturing on' \"$D/tshark.err\"; } && break",
                "  sleep 0.1",
                "done",
                "\"$JAVA\" -cp \"$CP\" dev.rampart.dsl.capture.TrafficGen || echo 'traffic generator failed' >&2",
                "ping -c 2 -i 0.2 127.0.0.1 >/dev/null || echo 'ping failed' >&2",
                "ping -6 -c 2 -i 0.2 ::1 >/dev/null || echo 'ping -6 failed' >&2",
                "sleep 1",
                "kill -INT $P1 $P2 $P3",
                "wait");
        ProcessBuilder pb = new ProcessBuilder(unshare, "-n", "sh", "-c", script).redirectErrorStream(true)
                .redirectOutput(dir.resolve("script.log").toFile());
        pb.environment().put("D", dir.toString());
        pb.environment().put("JAVA", java);
        pb.environment().put("CP", System.getProperty("java.class.path"));
        pb.environment().put("TSHARK", tshark == null ? "" : tshark);
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            setupProblem = "the capture script did not finish in 90 s: " + log();
            return;
        }
        if (p.exitValue() != 0 || !Files.exists(dir.resolve("lo.pcap"))) {
            setupProblem = "capturing in a new network namespace failed (exit " + p.exitValue() + "): " + log();
        }
    }

    private static String log() throws IOException {
        return Files.exists(dir.resolve("script.log")) ? Files.readString(dir.resolve("script.log")).strip() : "";
    }

    private static Run trace(String file, IrChain chain) {
        if (setupProblem != null) Tools.unavailable(setupProblem);
        List<TracedPacket> l = new ArrayList<>();
        TraceResult r = Tracer.trace(dir.resolve(file), chain, TraceOptions.defaults(), l::add);
        assertTrue(r.error().isEmpty(), () -> "error " + r.error() + "; script log: " + safeLog());
        return new Run(r, l);
    }

    private static String safeLog() {
        try {
            return log();
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static Predicate<TracedPacket> port(int proto, int port) {
        return t -> t.kind() == Kind.EVALUATED && t.packet().proto() == proto
                && (t.packet().sport() == port || t.packet().dport() == port);
    }

    private static List<TracedPacket> select(Run run, Predicate<TracedPacket> p) {
        return run.packets().stream().filter(p).toList();
    }

    @Test
    void everyFrameIsDecodedAndNothingIsMalformed() {
        Run run = trace("lo.pcap", POLICY);
        TraceResult r = run.result();
        assertTrue(r.format().startsWith("pcap ("), r.format());
        assertEquals(0, r.malformed(), () -> "malformed: " + run.of(Kind.MALFORMED).stream().map(TracedPacket::describe).toList());
        assertEquals(0, r.truncated());
        assertEquals(0, r.notIp());
        assertEquals(0, r.incomplete());
        assertEquals(r.frames(), r.evaluated() + r.fragmentsHeld() - r.reassembled(),
                "every frame is evaluated or held as a fragment of a datagram evaluated once");
        assertEquals(r.frames(), run.packets().size());
    }

    @Test
    void tcpSynIsNewAndTheRestOfTheConnectionEstablished() {
        Run run = trace("lo.pcap", POLICY);
        for (int port : new int[] {TCP4, TCP6}) {
            List<TracedPacket> conn = select(run, port(TCP, port));
            assertTrue(conn.size() >= 8, "handshake, data both ways, acks and close: " + conn.size());
            TracedPacket syn = conn.get(0);
            assertEquals(0x02, syn.packet().tcpFlags() & 0x12);
            assertEquals(ConnState.NEW, syn.packet().state());
            assertEquals(port == TCP4 ? "tcp4-new" : "tcp6-new", syn.evaluation().rule().id());
            for (TracedPacket t : conn.subList(1, conn.size())) {
                assertEquals(ConnState.ESTABLISHED, t.packet().state(), t.describe());
                assertEquals("est", t.evaluation().rule().id());
            }
            assertTrue(conn.stream().anyMatch(t -> (t.packet().tcpFlags() & 0x01) != 0), "the close is captured");
            assertEquals(port == TCP4, conn.get(0).packet().isV4());
        }
    }

    @Test
    void udpRequestIsNewAndReplyEstablished() {
        Run run = trace("lo.pcap", POLICY);
        for (int port : new int[] {UDP4, UDP6}) {
            List<TracedPacket> flow = select(run, port(UDP, port));
            assertEquals(2, flow.size());
            assertEquals(ConnState.NEW, flow.get(0).packet().state());
            assertEquals("udp-req", flow.get(0).evaluation().rule().id());
            assertEquals(port, flow.get(1).packet().sport());
            assertEquals(ConnState.ESTABLISHED, flow.get(1).packet().state());
            assertEquals("est", flow.get(1).evaluation().rule().id());
        }
    }

    @Test
    void fragmentedDatagramsAreEvaluatedOnceWithTheirPorts() {
        Run run = trace("lo.pcap", POLICY);
        List<TracedPacket> v4 = select(run, port(UDP, FRAG4));
        List<TracedPacket> v6 = select(run, port(UDP, FRAG6));
        assertEquals(1, v4.size());
        assertEquals(1, v6.size());
        assertEquals(FRAG4_CLIENT, v4.get(0).packet().sport());
        assertEquals(FRAG6_CLIENT, v6.get(0).packet().sport());
        // 3008 bytes of UDP in 1280-byte packets: 1256 (IPv4) or 1232 (IPv6) data bytes each, so 3 fragments.
        assertEquals(3, v4.get(0).fragments());
        assertEquals(3, v6.get(0).fragments());
        assertEquals(20 + 8 + BIG, v4.get(0).ipLength());
        assertEquals(40 + 8 + BIG, v6.get(0).ipLength());
        assertEquals(4, run.of(Kind.FRAGMENT_HELD).size());
        assertEquals(2, run.result().reassembled());
    }

    @Test
    void pingRequestsAndReplies() {
        Run run = trace("lo.pcap", POLICY);
        for (int proto : new int[] {Packet.ICMP, Packet.ICMPV6}) {
            List<TracedPacket> icmp = select(run, t -> t.kind() == Kind.EVALUATED && t.packet().proto() == proto
                    && PacketDecoder.isQuery(proto == Packet.ICMP ? 4 : 6, t.packet().icmpType()));
            assertEquals(4, icmp.size(), "two requests, two replies");
            assertEquals(ConnState.NEW, icmp.get(0).packet().state());
            assertEquals("ping-new", icmp.get(0).evaluation().rule().id());
            for (TracedPacket t : icmp.subList(1, 4)) assertEquals(ConnState.ESTABLISHED, t.packet().state(), t.describe());
        }
    }

    @Test
    void portUnreachableForATrackedDatagramIsRelated() {
        Run run = trace("lo.pcap", POLICY);
        for (int port : new int[] {CLOSED4, CLOSED6}) {
            boolean v4 = port == CLOSED4;
            List<TracedPacket> errors = select(run, t -> t.kind() == Kind.EVALUATED && t.packet().isV4() == v4
                    && t.packet().proto() == (v4 ? Packet.ICMP : Packet.ICMPV6) && t.packet().icmpType() == (v4 ? 3 : 1));
            assertEquals(1, errors.size(), "one port unreachable");
            assertEquals(ConnState.RELATED, errors.get(0).packet().state());
            assertEquals("est", errors.get(0).evaluation().rule().id());
        }
        // Under a policy that dropped the datagram, the same error quotes an unknown connection.
        Run dropped = trace("lo.pcap", REPLIES_ONLY);
        List<TracedPacket> errors = select(dropped, t -> t.kind() == Kind.EVALUATED && t.packet().proto() == Packet.ICMP
                && t.packet().icmpType() == 3);
        assertEquals(ConnState.INVALID, errors.get(0).packet().state());
    }

    @Test
    void perRuleHitCountsAreExact() {
        Run run = trace("lo.pcap", POLICY);
        var hits = run.result().ruleHits();
        assertEquals(2, hits.get("tcp4-new").packets() + hits.get("tcp6-new").packets());
        assertEquals(new TraceResult.Hits(2, (20 + 8 + UDP_PAYLOAD) + (40 + 8 + UDP_PAYLOAD)), hits.get("udp-req"));
        assertEquals(new TraceResult.Hits(2, (20 + 8 + BIG) + (40 + 8 + BIG)), hits.get("frag"));
        // ping's default 56 data bytes: 84-byte ICMP datagrams, 104-byte ICMPv6 ones.
        assertEquals(new TraceResult.Hits(2, 84 + 104), hits.get("ping-new"));
        assertEquals(new TraceResult.Hits(2, (20 + 8 + UDP_PAYLOAD) + (40 + 8 + UDP_PAYLOAD)), hits.get("closed"));
        assertEquals(0, run.result().policyHits().packets(), () -> "dropped: " + select(run, t -> t.kind() == Kind.EVALUATED && t.evaluation().byPolicy())
                .stream().map(TracedPacket::describe).toList());
        long others = 2 + 2 + 2 + 2 + 2;
        assertEquals(run.result().evaluated() - others, hits.get("est").packets());
    }

    @Test
    void replyOnlyTrafficUnderADropPolicyIsAllDropped() {
        Run run = trace("lo.pcap", REPLIES_ONLY);
        assertEquals(0, run.result().verdicts().getOrDefault(Verdict.ACCEPT, 0L), "no connection ever starts");
        assertEquals(run.result().evaluated(), run.result().policyHits().packets());
        for (int port : new int[] {TCP4, TCP6}) {
            List<TracedPacket> conn = select(run, port(TCP, port));
            TracedPacket synAck = conn.stream().filter(t -> (t.packet().tcpFlags() & 0x12) == 0x12).findFirst().orElseThrow();
            assertEquals(ConnState.INVALID, synAck.packet().state(), "no entry: the SYN was dropped");
        }
        List<TracedPacket> replies = select(run, t -> t.kind() == Kind.EVALUATED && t.packet().proto() == Packet.ICMP
                && t.packet().icmpType() == 0);
        assertEquals(2, replies.size());
        replies.forEach(t -> assertEquals(ConnState.INVALID, t.packet().state()));
        List<TracedPacket> udp = select(run, port(UDP, UDP4));
        assertEquals(ConnState.NEW, udp.get(1).packet().state(), "the reply of a dropped request is a new flow of its own");
    }

    @Test
    void dumpcapPcapngGivesTheSameResultAndNamesTheInterface() {
        if (!haveTshark) Tools.unavailable("dumpcap (package tshark) is not installed");
        Run ng = trace("lo.pcapng", POLICY);
        Run pcap = trace("lo.pcap", POLICY);
        assertTrue(ng.result().format().startsWith("pcapng"), ng.result().format());
        assertEquals(pcap.result().ruleHits(), ng.result().ruleHits());
        assertEquals(pcap.result().evaluated(), ng.result().evaluated());
        ng.evaluated().forEach(t -> assertEquals("lo", t.packet().inIf()));
    }

    @Test
    void shortSnapshotLengthTruncatesOnlyWhatItCuts() {
        Run full = trace("lo.pcap", POLICY);
        Run snap = trace("snap64.pcap", POLICY);
        // 64 bytes hold Ethernet + IPv4 + TCP (54) but not Ethernet + IPv6 + TCP (74).
        long v6tcp = select(full, t -> t.kind() == Kind.EVALUATED && t.packet().proto() == TCP && !t.packet().isV4()).size();
        long v4tcp = select(full, t -> t.kind() == Kind.EVALUATED && t.packet().proto() == TCP && t.packet().isV4()).size();
        assertEquals(v4tcp, select(snap, t -> t.kind() == Kind.EVALUATED && t.packet().proto() == TCP).size());
        // The IPv6 first fragment loses its UDP header too (14 + 40 + 8 + 8 > 64): its datagram is truncated;
        // so are both port unreachables, whose quoted headers end past byte 64.
        assertEquals(v6tcp + 1 + 2, snap.result().truncated());
        assertEquals(0, snap.result().malformed());
        assertEquals(1, select(snap, port(UDP, FRAG4)).size());
    }

}
