// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import static dev.rampart.dsl.capture.Chains.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.Verdict;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Damaged files: a clear error with its offset, no exception, and every packet before it kept. */
class BadInputTest {
    static final IrChain ACCEPT_ALL = chain(Hook.INPUT, Verdict.ACCEPT);
    static final byte[] SYN = Pkt.ipv4("10.0.0.1", "10.0.0.2", 6, Pkt.tcp(40000, 443, 0x02));
    static final byte[] TWO = new Pkt.Pcap(LinkType.RAW).frame(SYN).frame(SYN).bytes();

    @Test
    void truncatedGlobalHeader() {
        Run run = Run.of(Arrays.copyOf(TWO, 10), ACCEPT_ALL);
        CaptureError e = run.result().error().orElseThrow();
        assertEquals(0, run.result().frames());
        assertTrue(e.message().contains("global header"), e.message());
        Run tiny = Run.of(new byte[] {(byte) 0xd4, (byte) 0xc3}, ACCEPT_ALL);
        assertTrue(tiny.result().error().orElseThrow().message().contains("too short"));
    }

    @Test
    void truncatedRecordKeepsEarlierPackets() {
        int cut = 24 + 16 + SYN.length + 16 + 5;
        Run run = Run.of(Arrays.copyOf(TWO, cut), ACCEPT_ALL);
        assertEquals(1, run.result().evaluated());
        CaptureError e = run.result().error().orElseThrow();
        assertEquals(2, e.frame());
        assertEquals(24 + 16 + SYN.length + 16, e.offset(), "where the missing data starts");
        assertTrue(e.message().contains("5 of 40 bytes"), e.message());
        Run inHeader = Run.of(Arrays.copyOf(TWO, 24 + 16 + SYN.length + 7), ACCEPT_ALL);
        assertTrue(inHeader.result().error().orElseThrow().message().contains("record header"));
    }

    @Test
    void absurdCaplenIsRefusedWithoutAllocating() {
        byte[] file = TWO.clone();
        int rec2 = 24 + 16 + SYN.length;
        ByteBuffer.wrap(file, rec2 + 8, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(Integer.MIN_VALUE); // 2 GiB
        Run run = Run.of(file, ACCEPT_ALL);
        assertEquals(1, run.result().evaluated());
        CaptureError e = run.result().error().orElseThrow();
        assertEquals(rec2 + 8, e.offset());
        assertTrue(e.message().contains("2147483648 is absurd"), e.message());
    }

    @Test
    void garbageIsNotACapture() {
        byte[] junk = "GET / HTTP/1.1\r\nHost: example\r\n\r\n".getBytes();
        Run run = Run.of(junk, ACCEPT_ALL);
        assertTrue(run.result().error().orElseThrow().message().contains("not a pcap or pcapng file"));
        assertEquals(0, run.result().frames());
    }

    @Test
    void pcapngBlockLengthLies() {
        byte[] good = new Pkt.Pcapng(ByteOrder.LITTLE_ENDIAN).iface(LinkType.RAW, "eth0", null).epb(0, 0, SYN).epb(0, 0, SYN).bytes();
        assertEquals(2, Run.of(good, ACCEPT_ALL).result().evaluated());
        int shb = 28, idb = 12 + 8 + 12, epb1 = 12 + 20 + SYN.length;
        int epb2 = shb + idb + epb1;

        byte[] hugeLen = good.clone();
        ByteBuffer.wrap(hugeLen, epb2 + 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(0x7ffffff0);
        Run a = Run.of(hugeLen, ACCEPT_ALL);
        assertEquals(1, a.result().evaluated());
        assertEquals(epb2 + 4, a.result().error().orElseThrow().offset());
        assertTrue(a.result().error().orElseThrow().message().contains("absurd"));

        byte[] odd = good.clone();
        ByteBuffer.wrap(odd, epb2 + 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(13);
        assertTrue(Run.of(odd, ACCEPT_ALL).result().error().orElseThrow().message().contains("multiple of 4"));

        byte[] trailer = good.clone();
        ByteBuffer.wrap(trailer, good.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(64);
        Run t = Run.of(trailer, ACCEPT_ALL);
        assertEquals(1, t.result().evaluated());
        assertTrue(t.result().error().orElseThrow().message().contains("differs"));

        byte[] caplen = good.clone();
        ByteBuffer.wrap(caplen, epb2 + 8 + 12, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(200);
        assertTrue(Run.of(caplen, ACCEPT_ALL).result().error().orElseThrow().message().contains("runs past"));

        byte[] badIf = good.clone();
        ByteBuffer.wrap(badIf, epb2 + 8, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(3);
        assertTrue(Run.of(badIf, ACCEPT_ALL).result().error().orElseThrow().message().contains("interface 3"));

        byte[] cut = Arrays.copyOf(good, good.length - 6);
        Run c = Run.of(cut, ACCEPT_ALL);
        assertEquals(1, c.result().evaluated());
        assertEquals(2, c.result().error().orElseThrow().frame());
    }

    @Test
    void unknownBlockLongerThanTheFileIsReportedNotBuffered() {
        byte[] file = new Pkt.Pcapng(ByteOrder.BIG_ENDIAN).iface(LinkType.RAW, null, null).epb(0, 0, SYN).bytes();
        byte[] withHuge = Pkt.cat(file, ByteBuffer.allocate(12).putInt(0x0bad).putInt(0x7ffffffc).putInt(0).array());
        Run run = Run.of(withHuge, ACCEPT_ALL);
        assertEquals(1, run.result().evaluated());
        assertTrue(run.result().error().orElseThrow().message().contains("file ends inside"));
        assertEquals(file.length, run.result().error().orElseThrow().offset());
    }

    @Test
    void missingFileIsAnErrorNotAnException() {
        TraceResult r = Tracer.trace(Path.of("/nonexistent/capture.pcap"), ACCEPT_ALL, TraceOptions.defaults(), p -> {});
        assertTrue(r.error().orElseThrow().message().contains("cannot read"));
    }

    @Test
    void readerStopsAtTheError() {
        CaptureReader r = CaptureReader.open(new ByteArrayInputStream(Arrays.copyOf(TWO, TWO.length - 1)));
        assertNotNull(r.next());
        assertNull(r.next());
        assertNull(r.next(), "stays stopped");
        assertTrue(r.error().isPresent());
    }
}
