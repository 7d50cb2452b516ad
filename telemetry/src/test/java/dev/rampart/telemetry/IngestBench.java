// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Ingest rate into the store, and the viewer's first-page and top-talkers latency over what was
 * ingested. Not a test: run by hand, e.g.
 * {@code java -cp ... dev.rampart.telemetry.IngestBench 1000000 10000 [jdbc-url user password]}. With 0 records and
 * a URL it only runs the queries, on what an earlier run stored there, their windows ending at its
 * newest record.
 */
public final class IngestBench {
    @FunctionalInterface
    interface Query {
        /** {@code round} shifts the query's time window by that many ms: H2 answers a repeated identical query from a cache. */
        int run(int round) throws Exception;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        Path tmp = null;
        String url;
        if (args.length > 2) {
            url = args[2];
        } else {
            tmp = Files.createTempDirectory("rampart-bench");
            url = FlowStore.h2Url(tmp.resolve("flows"));
        }
        SplittableRandom rnd = new SplittableRandom(7);
        long t0 = System.currentTimeMillis() - 3_600_000L;
        try (FlowStore store = FlowStore.open(url, args.length > 3 ? args[3] : "", args.length > 4 ? args[4] : "")) {
            long start = System.nanoTime();
            long startCpu = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
            List<Flow> rows = new ArrayList<>(batch);
            for (int i = 0; i < total; i++) {
                String src = "10." + rnd.nextInt(4) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256);
                String dst = "192.168." + rnd.nextInt(4) + "." + rnd.nextInt(256);
                rows.add(new Flow("bench", i, t0 + (long) i * 3_600_000L / total, rnd.nextInt(3), rnd.nextInt(10) == 0 ? 1 : 0,
                        rnd.nextInt(4) == 0 ? 17 : 6, 4, src, dst, 1024 + rnd.nextInt(60000), rnd.nextInt(1024), "eth0", "",
                        rnd.nextInt(50), 1, 1 + rnd.nextInt(20), 60 + rnd.nextInt(20_000)));
                if (rows.size() == batch) {
                    store.insert(rows);
                    rows.clear();
                }
            }
            store.insert(rows);
            double s = (System.nanoTime() - start) / 1e9;
            double cpuS = (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - startCpu) / 1e9;
            if (total > 0) System.out.printf("ingest: %d records in %.1f s = %.0f records/s (batches of %d); CPU of the inserting thread %.1f s = %.0f records/CPU-s; load average %s%n",
                    total, s, total / s, batch, cpuS, total / cpuS, loadAverage());
            else System.out.println("queries only, on " + store.count() + " stored records; load average " + loadAverage());
            System.out.printf("blocks %d, rollups level 0: %d, level 1: %d%n", store.blockCount(), store.rollupRows(0), store.rollupRows(1));
            // The end of the generated hour, not the clock: a slow ingest must not move the windows past the data.
            long now = total > 0 ? t0 + 3_600_000L : store.newestTime().orElseThrow() + 1;
            Map<String, Query> queries = new LinkedHashMap<>();
            queries.put("first page, no filter", r -> store.newest(FlowFilter.ALL.since(r), Optional.empty(), 100).rows().size());
            queries.put("first page, dropped and not 10.1.7.7", r -> store.newest(
                    FlowFilter.ALL.since(r).address("10.1.7.7", FlowFilter.Side.EITHER, true).verdict(Flow.DROP, false), Optional.empty(), 100).rows().size());
            queries.put("first page, either side is 10.1.7.7 (in ~1 of 260k records)", r -> store.newest(
                    FlowFilter.ALL.since(r).address("10.1.7.7", FlowFilter.Side.EITHER, false), Optional.empty(), 100).rows().size());
            queries.put("first page, either side is 192.168.1.1 (in ~1 of 1,024 records)", r -> store.newest(
                    FlowFilter.ALL.since(r).address("192.168.1.1", FlowFilter.Side.EITHER, false), Optional.empty(), 100).rows().size());
            queries.put("first page, either side is 10.250.0.1 (absent)", r -> store.newest(
                    FlowFilter.ALL.since(r).address("10.250.0.1", FlowFilter.Side.EITHER, false), Optional.empty(), 100).rows().size());
            queries.put("first page, dst port 22, last 10 minutes", r -> store.newest(
                    FlowFilter.ALL.port(22, FlowFilter.Side.DST, false).since(now - 600_000 + r), Optional.empty(), 100).rows().size());
            queries.put("top 10 talkers of the last hour", r -> store.topTalkers(now - 3_600_000L + r, now, 10).size());
            queries.put("drop rate per minute, last hour", r -> store.dropsPerMinute(now - 3_600_000L + r, now).size());
            queries.put("traffic per rule, last hour", r -> store.perRule(now - 3_600_000L + r, now).size());
            queries.put("top 10 talkers, last 10 minutes", r -> store.topTalkers(now - 600_000L + r, now, 10).size());
            // CPU time of this thread as well as wall time: embedded H2 works in the calling thread,
            // so its CPU time does not grow with the machine's load as the wall time does.
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            for (var q : queries.entrySet()) {
                double[] ms = new double[5], cpu = new double[5];
                int rowsSeen = 0;
                for (int round = 0; round < ms.length; round++) {
                    long c = mx.getCurrentThreadCpuTime();
                    long t = System.nanoTime();
                    rowsSeen = q.getValue().run(round);
                    ms[round] = (System.nanoTime() - t) / 1e6;
                    cpu[round] = (mx.getCurrentThreadCpuTime() - c) / 1e6;
                }
                System.out.printf("%-64s %5d rows  median %8.1f ms, CPU %8.1f ms  (runs: %s)%n", q.getKey(), rowsSeen, median(ms),
                        median(cpu), java.util.Arrays.stream(ms).mapToObj(v -> String.format("%.0f", v)).collect(java.util.stream.Collectors.joining(" ")));
            }
            System.out.println("load average at the end: " + loadAverage());
        } finally {
            if (tmp != null) try (var w = Files.walk(tmp)) {
                for (Path p : w.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }
}
