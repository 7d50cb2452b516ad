// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.dsl.capture;

import static dev.rampart.dsl.capture.Chains.*;

import dev.rampart.dsl.ir.ConnState;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.Verdict;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;

/**
 * Not a unit test: traces a synthetic pcap of the given size (default 1 GiB), generated while it is
 * read, to show that memory stays bounded. Run with a small heap, e.g.
 * {@code java -Xmx64m -cp target/test-classes:target/classes dev.rampart.dsl.capture.BigCaptureCheck 1073741824};
 * with a second argument it writes the capture to that file, and {@code -Dcapture=FILE} traces a file.
 */
public final class BigCaptureCheck {
    private BigCaptureCheck() {}

    /** Endless mixed traffic: UDP requests and replies over 60,000 flows, TCP handshakes, fragmented datagrams. */
    static final class Generator extends InputStream {
        private final long size;
        private long produced;
        private byte[] chunk = new Pkt.Pcap(LinkType.RAW).bytes();
        private int pos;
        private long n;
        private final byte[] big = Pkt.udp(5353, 53, 2992);

        Generator(long size) { this.size = size; }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (produced >= size) return -1;
            if (pos == chunk.length) next();
            int k = (int) Math.min(Math.min(len, chunk.length - pos), size - produced);
            System.arraycopy(chunk, pos, b, off, k);
            pos += k;
            produced += k;
            return k;
        }

        private void next() {
            Pkt.Pcap p = new Pkt.Pcap(LinkType.RAW);
            byte[] header = p.bytes();
            long t = 1_700_000_000_000_000_000L + n * 10_000L;
            for (int i = 0; i < 256; i++, n++, t += 10_000L) {
                p.at(t);
                // Replies and SYN/ACKs answer the request or SYN a few packets before them.
                long of = n % 10 == 4 || n % 10 == 5 ? n - 4 : n % 10 == 7 ? n - 1 : n;
                int port = 1024 + (int) (of % 60_000);
                String a = "10.1." + (of / 60_000 % 200) + ".1";
                switch ((int) (n % 10)) {
                    case 0, 1, 2, 3 -> p.frame(Pkt.ipv4(a, "10.2.0.53", 17, Pkt.udp(port, 53, 40)));
                    case 4, 5 -> p.frame(Pkt.ipv4("10.2.0.53", a, 17, Pkt.udp(53, port, 80)));
                    case 6 -> p.frame(Pkt.ipv4(a, "10.2.0.80", 6, Pkt.tcp(port, 443, 0x02)));
                    case 7 -> p.frame(Pkt.ipv4("10.2.0.80", a, 6, Pkt.tcp(443, port, 0x12)));
                    case 8 -> p.frame(Pkt.ipv4(a, "10.2.0.53", 17, (int) n, 0, true, Arrays.copyOfRange(big, 0, 1480)));
                    default -> p.frame(Pkt.ipv4(a, "10.2.0.53", 17, (int) n - 1, 1480, false, Arrays.copyOfRange(big, 1480, 3000)));
                }
            }
            byte[] all = p.bytes();
            chunk = produced == 0 ? all : Arrays.copyOfRange(all, header.length, all.length);
            pos = 0;
        }
    }

    public static void main(String[] args) throws java.io.IOException {
        long size = args.length > 0 ? Long.parseLong(args[0]) : 1L << 30;
        if (args.length > 1) {
            // Write the capture to a file instead, to time the trace without the generator.
            try (InputStream in = new Generator(size); var out = java.nio.file.Files.newOutputStream(java.nio.file.Path.of(args[1]))) {
                in.transferTo(out);
            }
            return;
        }
        IrChain chain = chain(Hook.FORWARD, Verdict.DROP,
                rule("est", Verdict.ACCEPT, state(any(), ConnState.ESTABLISHED)),
                rule("dns", Verdict.ACCEPT, dport(proto(any(), 17), 53)),
                rule("web", Verdict.ACCEPT, dport(proto(any(), 6), 443)));
        long start = System.nanoTime();
        String file = System.getProperty("capture");
        int conns = Integer.getInteger("connections", 262_144);
        TraceResult r = file != null ? Tracer.trace(java.nio.file.Path.of(file), chain, TraceOptions.defaults().withListPackets(false).withLimits(conns, 4096, 4L << 20), null)
                : Tracer.trace(new Generator(size), chain, TraceOptions.defaults().withListPackets(false).withLimits(conns, 4096, 4L << 20), null);
        double secs = (System.nanoTime() - start) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean m : ManagementFactory.getMemoryPoolMXBeans()) {
            if (m.getType() == MemoryType.HEAP) peak += m.getPeakUsage().getUsed();
        }
        System.out.printf("%d bytes, %d frames, %d evaluated, %d reassembled, %d incomplete, %d no room, error %s%n", size, r.frames(),
                r.evaluated(), r.reassembled(), r.incomplete(), r.noRoom(), r.error().map(CaptureError::describe).orElse("none"));
        System.out.printf("hits %s policy %s%n", r.ruleHits(), r.policyHits());
        System.out.printf("%.1f s, %.0f MB/s, %.0f frames/s, peak heap (sum of pools) %d MiB, max heap %d MiB%n", secs,
                size / secs / 1e6, r.frames() / secs, peak >> 20, Runtime.getRuntime().maxMemory() >> 20);
    }
}
