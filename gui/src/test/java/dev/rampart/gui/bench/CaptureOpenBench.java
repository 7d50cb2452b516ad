// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.bench;

import dev.rampart.dsl.Pipeline;
import dev.rampart.dsl.capture.TraceOptions;
import dev.rampart.dsl.capture.TraceResult;
import dev.rampart.dsl.capture.Tracer;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.gui.editor.EditorViewModel;
import dev.rampart.gui.service.DiskFileAccess;
import dev.rampart.gui.simulation.CaptureViewModel;
import dev.rampart.gui.simulation.CaptureViewModel.HitRow;
import dev.rampart.gui.support.FakeDialogs;
import dev.rampart.gui.support.InlineTasks;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Time to open a generated capture in the app (default 100,000 packets) against the office
 * example's forward chain: the trace as {@code rampart trace} runs it (summary only), the app's
 * trace (the same engine, also keeping the per-rule packet lists), the whole open through the
 * view-model, and selecting the busiest rule (which builds its packet list on the UI thread).
 * Side by side, medians of the runs. Not a unit test: run it as in docs/benchmarks.md.
 *
 * <p>Arguments: {@code [packets] [runs]}.
 */
public final class CaptureOpenBench {
    public static void main(String[] args) throws Exception {
        int packets = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path office = Path.of("examples/office.rampart").toAbsolutePath();
        Path cap = Files.createTempFile("rampart-bench", ".pcap");
        try {
            write(cap, packets);
            System.out.printf(Locale.ROOT, "capture: %,d packets, %,d bytes; policy %s, forward, --in lan0 --out wan0; %d runs%n",
                    packets, Files.size(cap), office, runs);
            IrChain chain = Pipeline.run(office).ir().chain(Hook.FORWARD).orElseThrow();
            TraceOptions opts = TraceOptions.defaults().withInterfaces("lan0", "wan0");

            InlineTasks tasks = new InlineTasks();
            EditorViewModel editor = new EditorViewModel(tasks, new FakeDialogs(), new DiskFileAccess(), Duration.ofMillis(1));
            editor.load(office);
            CaptureViewModel vm = new CaptureViewModel(tasks, new FakeDialogs(), editor.analysisProperty(), r -> { });
            vm.hookProperty().set("forward");
            vm.inIfProperty().set("lan0");
            vm.outIfProperty().set("wan0");

            List<Double> cli = new ArrayList<>(), app = new ArrayList<>(), open = new ArrayList<>(), select = new ArrayList<>();
            TraceResult last = null;
            for (int i = 0; i < runs + 1; i++) {
                long t0 = System.nanoTime();
                last = Tracer.trace(cap, chain, opts.withListPackets(false), p -> { });
                long t1 = System.nanoTime();
                dev.rampart.gui.simulation.CaptureTrace.run(cap, chain, opts, () -> false, (d, s) -> { });
                long t2 = System.nanoTime();
                vm.open(cap);
                long t3 = System.nanoTime();
                HitRow busiest = vm.rows().stream().max(Comparator.comparingLong(HitRow::packets)).orElseThrow();
                vm.selectedRowProperty().set(null);
                long t4 = System.nanoTime();
                vm.selectedRowProperty().set(busiest);
                long t5 = System.nanoTime();
                if (i == 0) {
                    System.out.printf(Locale.ROOT, "warm-up: %d evaluated, busiest row %s with %,d packets (%,d listed)%n",
                            last.evaluated(), busiest.label(), busiest.packets(), vm.packets().size());
                    continue;
                }
                cli.add((t1 - t0) / 1e6);
                app.add((t2 - t1) / 1e6);
                open.add((t3 - t2) / 1e6);
                select.add((t5 - t4) / 1e6);
            }
            System.out.printf(Locale.ROOT, "trace, summary only (rampart trace's path): median %.0f ms %s%n", median(cli), cli);
            System.out.printf(Locale.ROOT, "trace keeping packet lists (the app's):      median %.0f ms %s (%.2fx)%n",
                    median(app), app, median(app) / median(cli));
            System.out.printf(Locale.ROOT, "open through the view-model:                 median %.0f ms %s%n", median(open), open);
            System.out.printf(Locale.ROOT, "select the busiest rule (UI thread):         median %.0f ms %s%n", median(select), select);
            Runtime rt = Runtime.getRuntime();
            System.gc();
            System.out.printf(Locale.ROOT, "heap after GC with the capture open: %d MiB%n", (rt.totalMemory() - rt.freeMemory()) >> 20);
        } finally {
            Files.deleteIfExists(cap);
        }
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /**
     * Office-like traffic, seeded: web connections out of the LAN (handshake, data both ways,
     * FIN), SMB attempts from the guest network the policy refuses (a SYN and its retries), DNS
     * queries with their answers, pings.
     */
    static void write(Path file, int packets) throws IOException {
        Random rnd = new Random(7);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
            out.write(h.array());
            long usec = 1_700_000_000L * 1_000_000;
            int written = 0;
            for (int flow = 0; written < packets; flow++) {
                int client = 0x0a140000 | (rnd.nextInt(250) << 8) | (1 + rnd.nextInt(250));
                int server = 0x5db80000 | rnd.nextInt(1 << 16);
                int sport = 32768 + rnd.nextInt(28000);
                List<byte[]> pk = new ArrayList<>();
                switch (flow % 10) {
                    case 0, 1, 2, 3, 4, 5 -> {
                        pk.add(tcp(client, server, sport, 443, 0x02, 0));
                        pk.add(tcp(server, client, 443, sport, 0x12, 0));
                        pk.add(tcp(client, server, sport, 443, 0x10, 0));
                        for (int i = 0; i < 3; i++) {
                            pk.add(tcp(client, server, sport, 443, 0x18, 200));
                            pk.add(tcp(server, client, 443, sport, 0x18, 1200));
                        }
                        pk.add(tcp(client, server, sport, 443, 0x11, 0));
                    }
                    case 6, 7 -> {
                        int guest = 0x0a630000 | (1 + rnd.nextInt(250));
                        for (int i = 0; i < 3; i++) pk.add(tcp(guest, 0x0a140000 | rnd.nextInt(1 << 16), sport, 445, 0x02, 0));
                    }
                    case 8 -> {
                        pk.add(udp(client, 0x08080808, sport, 53, 40));
                        pk.add(udp(0x08080808, client, 53, sport, 120));
                    }
                    default -> {
                        pk.add(icmp(client, server, 8));
                        pk.add(icmp(server, client, 0));
                    }
                }
                for (byte[] ip : pk) {
                    if (written == packets) break;
                    usec += 1 + rnd.nextInt(200);
                    ByteBuffer r = ByteBuffer.allocate(16 + 14 + ip.length).order(ByteOrder.LITTLE_ENDIAN);
                    r.putInt((int) (usec / 1_000_000)).putInt((int) (usec % 1_000_000)).putInt(14 + ip.length).putInt(14 + ip.length);
                    r.order(ByteOrder.BIG_ENDIAN);
                    r.put(new byte[] {2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2}).putShort((short) 0x0800).put(ip);
                    out.write(r.array());
                    written++;
                }
            }
        }
    }

    static byte[] tcp(int src, int dst, int sport, int dport, int flags, int payload) {
        ByteBuffer t = ByteBuffer.allocate(20 + payload);
        t.putShort((short) sport).putShort((short) dport).putInt(1000).putInt(flags == 0x02 ? 0 : 2000)
                .put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        return ipv4(src, dst, 6, t.array());
    }

    static byte[] udp(int src, int dst, int sport, int dport, int payload) {
        ByteBuffer u = ByteBuffer.allocate(8 + payload);
        u.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload)).putShort((short) 0);
        return ipv4(src, dst, 17, u.array());
    }

    static byte[] icmp(int src, int dst, int type) {
        ByteBuffer c = ByteBuffer.allocate(16);
        c.put((byte) type).put((byte) 0).putShort((short) 0).putShort((short) 77).putShort((short) 1);
        return ipv4(src, dst, 1, c.array());
    }

    static byte[] ipv4(int src, int dst, int proto, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length)).putShort((short) 1).putShort((short) 0x4000)
                .put((byte) 64).put((byte) proto).putShort((short) 0).putInt(src).putInt(dst);
        int sum = 0;
        for (int i = 0; i < 20; i += 2) sum += ((b.get(i) & 0xff) << 8) | (b.get(i + 1) & 0xff);
        while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
        b.putShort(10, (short) ~sum);
        b.position(20);
        b.put(payload);
        return b.array();
    }
}
