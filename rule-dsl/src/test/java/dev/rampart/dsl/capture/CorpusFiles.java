// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The hand-built part of the fuzz corpus under rule-dsl/tests/capture/ (the rest are real captures).
 * Run as a program from rule-dsl/ to write them again; {@link FuzzTest} checks they are unchanged.
 */
public final class CorpusFiles {
    private CorpusFiles() {}

    static Map<String, byte[]> build() {
        String a = "10.0.0.1", b = "10.0.0.2", a6 = "2001:db8::1", b6 = "2001:db8::2";
        byte[] big = Pkt.udp(5353, 53, 1992);
        byte[] dns = Pkt.ipv4(a, b, 17, Pkt.udp(5353, 53, 12));
        byte[] edge = new Pkt.Pcap(LinkType.RAW, ByteOrder.BIG_ENDIAN, true)
                .frame(Pkt.ipv4(a, b, 6, Pkt.tcp(40000, 443, 0x02)))
                .frame(Pkt.ipv4(b, a, 6, Pkt.tcp(443, 40000, 0x12)))
                .frame(Pkt.ipv6(a6, b6, 0, Pkt.cat(Pkt.ext(43, 1), Pkt.ext(51, 1), Pkt.ah(60, 4), Pkt.ext(17, 1), Pkt.udp(1, 2, 8))))
                .frame(dns)
                .frame(Pkt.ipv4(b, a, 1, Pkt.icmpError(3, 3, dns)))
                .frame(Pkt.ipv4(a, b, 17, 9, 1000, false, Arrays.copyOfRange(big, 1000, 2000)))
                .frame(Pkt.ipv4(a, b, 17, 9, 0, true, Arrays.copyOfRange(big, 0, 1000)))
                .frame(Pkt.ipv6(a6, b6, 44, Pkt.cat(Pkt.fragHeader(17, 0, true, 5), Arrays.copyOfRange(big, 0, 1000))))
                .frame(Pkt.ipv6(a6, b6, 44, Pkt.cat(Pkt.fragHeader(17, 1000, false, 5), Arrays.copyOfRange(big, 1000, 2000))))
                .frame(Pkt.ipv6(a6, b6, 58, Pkt.icmp(128, 0, 7, 1)))
                .bytes();
        byte[] v6 = Pkt.ipv6(a6, b6, 17, Pkt.udp(5000, 53, 4));
        byte[] sll2 = new Pkt.Pcap(LinkType.LINUX_SLL2).frame(Pkt.sll2(0x86dd, 2, v6))
                .frame(Pkt.sll2(0x0800, 3, Pkt.ipv4(a, b, 17, Pkt.udp(5000, 53, 4))))
                .frame(Pkt.sll2(0x0806, 3, new byte[28])).bytes();
        byte[] ng = new Pkt.Pcapng(ByteOrder.BIG_ENDIAN).iface(LinkType.ETHERNET, "eth0", null).iface(LinkType.RAW, "tun0", 9)
                .epb(0, 1_700_000_000_000_000L, Pkt.ether(0x0800, Pkt.ipv4(a, b, 6, Pkt.tcp(1, 2, 2)), 0x8100))
                .epb(1, 1_700_000_000_000_000_000L, Pkt.ipv4(b, a, 6, Pkt.tcp(2, 1, 0x12)))
                .block(0x0bad, new byte[8])
                .spb(Pkt.ether(0x86dd, v6)).bytes();
        return Map.of("edge-cases.pcap", edge, "sll2.pcap", sll2, "two-interfaces.pcapng", ng);
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "tests/capture");
        for (var e : build().entrySet()) Files.write(dir.resolve(e.getKey()), e.getValue());
    }
}
