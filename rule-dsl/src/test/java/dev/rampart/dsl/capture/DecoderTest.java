// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import static org.junit.jupiter.api.Assertions.*;

import dev.rampart.dsl.eval.Packet;
import org.junit.jupiter.api.Test;

/** IPv4/IPv6 header walking and the transport fields, from hand-built datagrams. */
class DecoderTest {
    private static Decoded raw(byte[] ip) {
        return PacketDecoder.decode(new Frame(1, 0, 0, LinkType.RAW, ip.length, ip, "", 0));
    }

    private static Datagram whole(byte[] ip) {
        Decoded d = raw(ip);
        assertInstanceOf(Decoded.Whole.class, d, () -> "decoded as " + d);
        return ((Decoded.Whole) d).datagram();
    }

    private static String bad(byte[] ip) {
        Decoded d = raw(ip);
        assertInstanceOf(Decoded.Bad.class, d, () -> "decoded as " + d);
        return ((Decoded.Bad) d).reason();
    }

    @Test
    void ipv6ExtensionHeadersAreWalkedToTheUpperLayer() {
        byte[] chain = Pkt.cat(Pkt.ext(43, 1), Pkt.ext(51, 2), Pkt.ah(60, 6), Pkt.ext(6, 1), Pkt.tcp(1234, 22, 0x12));
        Datagram d = whole(Pkt.ipv6("2001:db8::1", "2001:db8::2", 0, chain));
        assertEquals(Packet.TCP, d.proto());
        assertEquals(1234, d.sport());
        assertEquals(22, d.dport());
        assertEquals(0x12, d.tcpFlags());
        assertEquals(40 + chain.length, d.ipLength());
    }

    @Test
    void espAndNoNextHeaderStopTheWalk() {
        assertEquals(50, whole(Pkt.ipv6("::1", "::2", 60, Pkt.cat(Pkt.ext(50, 1), new byte[16]))).proto());
        Datagram none = whole(Pkt.ipv6("::1", "::2", 59, new byte[0]));
        assertEquals(59, none.proto());
        assertEquals(0, none.sport());
    }

    @Test
    void atomicFragmentIsAWholeDatagram() {
        Datagram d = whole(Pkt.ipv6("::1", "::2", 44, Pkt.cat(Pkt.fragHeader(17, 0, false, 9), Pkt.udp(7, 8, 0))));
        assertEquals(Packet.UDP, d.proto());
        assertEquals(8, d.dport());
    }

    @Test
    void hopByHopAfterAnotherHeaderIsMalformed() {
        String why = bad(Pkt.ipv6("::1", "::2", 60, Pkt.cat(Pkt.ext(0, 1), Pkt.ext(6, 1), Pkt.tcp(1, 2, 2))));
        assertTrue(why.contains("hop-by-hop"), why);
    }

    @Test
    void extensionHeaderPastPayloadIsMalformed() {
        byte[] ip = Pkt.ipv6("::1", "::2", 60, Pkt.ext(6, 1));
        ip[40 + 1] = 5; // claims 48 bytes in an 8-byte payload
        assertTrue(bad(ip).contains("runs past the payload length"));
    }

    @Test
    void ipv4OptionsAndChecks() {
        byte[] opts = {1, 1, 7, 3, 0, 0, 0, 0}; // NOP, NOP, record-route of 3 bytes, EOL padding
        byte[] udp = Pkt.udp(100, 200, 0);
        byte[] ip = Pkt.cat(Pkt.ipv4("192.0.2.1", "192.0.2.2", 17, udp), new byte[0]);
        byte[] withOpts = new byte[ip.length + opts.length];
        System.arraycopy(ip, 0, withOpts, 0, 20);
        System.arraycopy(opts, 0, withOpts, 20, opts.length);
        System.arraycopy(udp, 0, withOpts, 28, udp.length);
        withOpts[0] = 0x47;
        withOpts[3] = (byte) withOpts.length;
        Pkt.fixChecksum(withOpts, 0, 28);
        Datagram d = whole(withOpts);
        assertEquals(200, d.dport());

        byte[] badSum = Pkt.ipv4("192.0.2.1", "192.0.2.2", 17, udp);
        badSum[10] ^= 1;
        assertEquals("bad IPv4 header checksum", bad(badSum));

        byte[] badOpt = withOpts.clone();
        badOpt[23] = 9; // record-route claims 9 bytes, only 5 left in the header
        Pkt.fixChecksum(badOpt, 0, 28);
        assertTrue(bad(badOpt).contains("impossible length"));

        byte[] longTotal = Pkt.ipv4("192.0.2.1", "192.0.2.2", 17, udp);
        longTotal[3] = 100;
        Pkt.fixChecksum(longTotal, 0, 20);
        assertTrue(bad(longTotal).contains("exceeds"));
    }

    @Test
    void ethernetPaddingIsNotPartOfTheDatagram() {
        byte[] ip = Pkt.ipv4("192.0.2.1", "192.0.2.2", 17, Pkt.udp(1, 2, 0));
        byte[] padded = Pkt.cat(Pkt.ether(0x0800, ip), new byte[18]);
        Decoded d = PacketDecoder.decode(new Frame(1, 0, 0, LinkType.ETHERNET, padded.length, padded, "", 0));
        assertEquals(28, ((Decoded.Whole) d).datagram().ipLength());
    }

    @Test
    void transportErrorsMarkTheDatagramForConntrack() {
        byte[] udp = Pkt.udp(1, 2, 4);
        udp[5] = 50; // UDP length larger than the datagram
        assertNotNull(whole(Pkt.ipv4("192.0.2.1", "192.0.2.2", 17, udp)).l4Error());
        byte[] tcp = Pkt.tcp(1, 2, 0x10);
        tcp[12] = 0x30; // data offset 12 bytes
        assertNotNull(whole(Pkt.ipv4("192.0.2.1", "192.0.2.2", 6, tcp)).l4Error());
        assertTrue(bad(Pkt.ipv4("192.0.2.1", "192.0.2.2", 6, new byte[10])).contains("TCP header needs 20 bytes"));
    }

    @Test
    void snaplenCutHeadersAreTruncatedNotMalformed() {
        byte[] ip = Pkt.ipv4("192.0.2.1", "192.0.2.2", 6, Pkt.cat(Pkt.tcp(1, 2, 2), new byte[100]));
        byte[] cut = java.util.Arrays.copyOf(ip, 30);
        Decoded d = PacketDecoder.decode(new Frame(1, 0, 0, LinkType.RAW, ip.length, cut, "", 0));
        assertTrue(((Decoded.Bad) d).truncated());
        byte[] enough = java.util.Arrays.copyOf(ip, 40);
        Decoded ok = PacketDecoder.decode(new Frame(1, 0, 0, LinkType.RAW, ip.length, enough, "", 0));
        assertEquals(2, ((Decoded.Whole) ok).datagram().dport(), "headers complete: the payload may be cut");
    }

    @Test
    void icmpQueriesAndErrors() {
        Datagram echo = whole(Pkt.ipv4("192.0.2.1", "192.0.2.2", 1, Pkt.icmp(8, 0, 777, 1)));
        assertEquals(8, echo.icmpType());
        assertEquals(777, echo.icmpId());
        byte[] offending = Pkt.ipv4("192.0.2.2", "198.51.100.9", 17, Pkt.udp(5000, 53, 10));
        Datagram err = whole(Pkt.ipv4("198.51.100.9", "192.0.2.2", 1, Pkt.icmpError(3, 3, offending)));
        assertTrue(err.isIcmpError());
        assertEquals(53, err.quoted().dport());
        assertEquals(5000, err.quoted().sport());
        byte[] errIp = Pkt.ipv4("198.51.100.9", "192.0.2.2", 1, Pkt.icmpError(3, 3, offending));
        Decoded cut = PacketDecoder.decode(new Frame(1, 0, 0, LinkType.RAW, errIp.length, java.util.Arrays.copyOf(errIp, 40), "", 0));
        assertTrue(((Decoded.Bad) cut).truncated(), "the snapshot length ate the quote: state unknowable");
        byte[] shortQuote = Pkt.ipv4("198.51.100.9", "192.0.2.2", 1, java.util.Arrays.copyOf(Pkt.icmpError(3, 3, offending), 20));
        assertNull(whole(shortQuote).quoted(), "a quote that is short in the datagram itself: conntrack calls it invalid");
        Datagram v6 = whole(Pkt.ipv6("2001:db8::1", "2001:db8::2", 58, Pkt.icmp(128, 0, 5, 1)));
        assertEquals(5, v6.icmpId());
    }
}
