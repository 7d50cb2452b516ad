// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import dev.rampart.link.BoxConnection;
import dev.rampart.link.BoxException;
import dev.rampart.link.BoxStatus;
import dev.rampart.link.CuttingTransport;
import dev.rampart.link.FlowRecord;
import dev.rampart.link.Tools;
import dev.rampart.link.Transport;
import dev.rampart.telemetry.cli.LogsCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The collector against a real rampartd (sim backend, its traffic generator, its spool on disk)
 * into embedded H2: every sequence number ends up in the database exactly once, as a flow or
 * inside a gap that names the box's reason, across SIGKILLs, long absences and a full spool.
 */
class CollectorTest {
    static final Collector.Options FAST = Collector.Options.DEFAULT.withBatchSize(500)
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1));

    @TempDir Path dir;
    Tools.Agent agent;

    /** rampartd with the simulated backend making {@code packetsPerSecond} packets (about half become records). */
    Tools.Agent sim(int packetsPerSecond, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of("--rate", Integer.toString(packetsPerSecond)));
        args.addAll(List.of(extra));
        return new Tools.Agent(dir, args.toArray(String[]::new));
    }
    FlowStore store;

    @BeforeEach void open() throws Exception {
        store = FlowStore.open(FlowStore.h2Url(dir.resolve("flows")), "", "");
    }

    @AfterEach void stop() throws Exception {
        if (store != null) store.close();
        if (agent != null) agent.close();
    }

    /** Every stored seq of the box, ascending. */
    List<Long> seqs(String box) throws Exception { return seqs(store, box); }

    static List<Long> seqs(FlowStore store, String box) throws Exception {
        List<Long> out = new ArrayList<>();
        Optional<Cursor> at = Optional.empty();
        do {
            FlowPage p = store.newest(FlowFilter.ALL.box(box), at, 5000);
            for (Flow f : p.rows()) out.add(f.seq());
            at = p.next();
        } while (at.isPresent());
        out.sort(null);
        return out;
    }

    Map<Long, Flow> flows(String box) throws Exception {
        Map<Long, Flow> out = new HashMap<>();
        Optional<Cursor> at = Optional.empty();
        do {
            FlowPage p = store.newest(FlowFilter.ALL.box(box), at, 5000);
            for (Flow f : p.rows()) out.put(f.seq(), f);
            at = p.next();
        } while (at.isPresent());
        return out;
    }

    BoxStatus.Spool spool() throws Exception {
        try (BoxConnection c = BoxConnection.connect(agent.local(), BoxConnection.Options.DEFAULT.withReconnects(3))) {
            return c.status().spool().orElseThrow();
        }
    }

    Collector running;

    void waitUntil(String what, Duration limit, BooleanSupplier ok) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > end)
                throw new AssertionError("timed out waiting until " + what + (running == null ? ""
                        : " (collector at " + running.accountedThrough() + ", " + running.stats() + ")"));
            Thread.sleep(20);
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static BooleanSupplier quietly(Check c) {
        return () -> {
            try {
                return c.ok();
            } catch (Exception e) {
                return false;
            }
        };
    }

    /**
     * Stored flows and recorded gaps together cover 0..through, each number exactly once.
     * Returns the gaps.
     */
    List<Gap> assertCoveredOnce(String box, long through) throws Exception {
        List<Long> seqs = seqs(box);
        List<Gap> gaps = store.gaps(box);
        boolean[] seen = new boolean[(int) through + 1];
        for (long s : seqs) {
            assertTrue(s <= through, "seq " + s + " beyond " + through);
            assertFalse(seen[(int) s], "seq " + s + " twice");
            seen[(int) s] = true;
        }
        for (Gap g : gaps) {
            for (long s = g.firstSeq(); s <= g.lastSeq(); s++) {
                assertTrue(s <= through, "gap " + g + " beyond " + through);
                assertFalse(seen[(int) s], "seq " + s + " both stored and in gap " + g);
                seen[(int) s] = true;
            }
        }
        for (int s = 0; s <= through; s++) assertTrue(seen[s], "seq " + s + " neither stored nor in a gap");
        return gaps;
    }

    @Test void storesTheStreamFromTheFirstRecordWithoutGapsOrRepeats() throws Exception {
        agent = sim(1000, "--spool-sync-ms", "50");
        Collector c = running = Collector.start(agent.local(), "sim", store, FAST);
        waitUntil("500 records stored", Duration.ofSeconds(20), () -> c.accountedThrough() >= 500);
        c.close();
        Collector.Stats s = c.stats();
        long through = c.accountedThrough();
        assertTrue(assertCoveredOnce("sim", through).isEmpty(), "no gaps");
        assertEquals(through + 1, seqs("sim").size());
        assertEquals(s.received(), s.stored() + s.skipped(), "every received record accounted for");
        assertEquals(0, s.missed());
        assertEquals(through, s.acked(), "the last commit was acknowledged when the collector stopped");
        assertEquals(through + 1, spool().ackedEnd(), "the box holds the acknowledgement");
    }

    /** Issue 6: rampartd killed with SIGKILL while spooling, restarted: no record lost, none twice. */
    @Test void sigkillWhileSpoolingLosesNothingAndStoresEveryNumberOnce() throws Exception {
        agent = sim(1000, "--spool-sync-ms", "50");
        Map<Long, FlowRecord> before = new ConcurrentHashMap<>(), after = new ConcurrentHashMap<>();
        Collector c = running = Collector.start(agent.local(), "sim", store, FAST);
        // An observer that never acknowledges: what the box streamed before it died.
        try (BoxConnection obs = BoxConnection.connect(agent.local(), BoxConnection.Options.DEFAULT.withReconnects(0))) {
            obs.subscribeFrom(0, collectInto(before));
            waitUntil("1000 records stored", Duration.ofSeconds(30), () -> c.accountedThrough() >= 1000);
            agent.kill();
        }
        long lastBefore = before.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
        Thread.sleep(300);
        long restartedAt = System.currentTimeMillis();
        agent.start();
        long next = spool().nextSeq();
        assertTrue(next > lastBefore, "numbers continue after the restart: next " + next + ", streamed " + lastBefore);
        waitUntil("the collector is past the restart", Duration.ofSeconds(30), () -> c.accountedThrough() >= next + 500);
        // A second observer after the restart reads what the box kept: the same numbers, the same records.
        try (BoxConnection obs = BoxConnection.connect(agent.local(), BoxConnection.Options.DEFAULT.withReconnects(0))) {
            obs.subscribeFrom(0, collectInto(after));
            waitUntil("the second observer read past the restart", Duration.ofSeconds(30),
                    () -> after.keySet().stream().anyMatch(s -> s > next));
        }
        c.close();
        long through = c.accountedThrough();
        assertTrue(assertCoveredOnce("sim", through).isEmpty(), "no gaps: " + store.gaps("sim"));
        assertTrue(c.stats().sessions() >= 2, "the collector reconnected: " + c.stats());
        long overlap = 0;
        for (Map.Entry<Long, FlowRecord> e : before.entrySet()) {
            FlowRecord again = after.get(e.getKey());
            if (again != null) {
                overlap++;
                assertTrue(sameRecord(e.getValue(), again), "seq " + e.getKey() + " changed across the restart");
            }
        }
        // Nothing was deleted (one 4 MiB segment), so every record streamed before the kill is read again.
        assertTrue(!before.isEmpty() && overlap == before.size(),
                "the spool still held the records from before the kill: " + overlap + " of " + before.size());
        Map<Long, Flow> stored = flows("sim");
        for (FlowRecord r : before.values()) {
            Flow f = stored.get(r.seq());
            assertTrue(f != null && f.timeMs() == r.timeMs() && f.srcPort() == r.sport() && f.dstPort() == r.dport()
                    && f.ruleId() == r.ruleId(), "stored as streamed: seq " + r.seq());
        }
        long firstAfterRestart = stored.values().stream().filter(f -> f.timeMs() >= restartedAt).mapToLong(Flow::seq)
                .min().orElseThrow();
        assertTrue(firstAfterRestart > lastBefore, "records made after the restart have higher numbers");
    }

    /** Issue 6: the desktop away while thousands of records are spooled; it comes back and catches up. */
    @Test void desktopAwayForALongStretchCatchesUpCompletely() throws Exception {
        // 128 KiB segments (1,725 records each), so that acknowledged ones get deleted during the test.
        agent = sim(1500, "--spool-sync-ms", "50", "--spool-max", "1M");
        waitUntil("3000 records spooled with no desktop", Duration.ofSeconds(30), quietly(() -> spool().nextSeq() >= 3000));
        BoxStatus.Spool away = spool();
        assertEquals(0, away.oldestSeq(), "nothing deleted before a desktop acknowledged it");
        long t0 = System.nanoTime();
        Collector c = running = Collector.start(agent.local(), "sim", store, FAST);
        waitUntil("caught up with the backlog", Duration.ofSeconds(60), () -> c.accountedThrough() >= away.nextSeq() - 1);
        long catchUpMs = (System.nanoTime() - t0) / 1_000_000;
        BoxStatus.Spool live = spool();
        // Acknowledgements follow commits: wait for the box to hold one beyond where it was.
        waitUntil("following the live stream", Duration.ofSeconds(30), quietly(() -> spool().ackedEnd() > live.nextSeq()));
        BoxStatus.Spool following = spool();
        c.close();
        long through = c.accountedThrough();
        assertTrue(assertCoveredOnce("sim", through).isEmpty(), "no gaps: " + store.gaps("sim"));
        assertEquals(through + 1, seqs("sim").size());
        assertEquals(through + 1, spool().ackedEnd(), "the box holds the last acknowledgement");
        // While the collector follows, every segment it acknowledged whole is gone: what the box
        // keeps below the acknowledged point is less than one segment.
        assertTrue(following.ackedEnd() >= away.nextSeq() && following.oldestSeq() > 0
                && following.ackedEnd() - following.oldestSeq() < 1725, "acknowledged segments deleted: oldest "
                + following.oldestSeq() + ", acknowledged up to " + following.ackedEnd());
        System.out.printf("catch-up: %d records spooled while away, stored in %d ms; %d stored in all%n",
                away.nextSeq(), catchUpMs, through + 1);
    }

    /** Issue 6: a full spool counts exactly what it lost, and the database shows the gap and why. */
    @Test void fullSpoolCountsItsLossesAndTheDatabaseShowsTheGapWithItsReason() throws Exception {
        agent = sim(200, "--spool-sync-ms", "50", "--spool-max", "16K");
        waitUntil("the spool is full and losing records", Duration.ofSeconds(30), quietly(() -> spool().lostFull() >= 100));
        Collector c = running = Collector.start(agent.local(), "sim", store, FAST);
        AtomicLong boxCount = new AtomicLong(-1);
        // Once the collector has acknowledged the backlog the box has room again and reports the loss.
        waitUntil("the collector holds every loss the box counted", Duration.ofSeconds(30), quietly(() -> {
            long n = spool().lostFull();
            boxCount.set(n);
            return n > 0 && c.stats().lost() == n;
        }));
        long lostByBox = boxCount.get();
        c.close();
        List<Gap> gaps = assertCoveredOnce("sim", c.accountedThrough());
        assertFalse(gaps.isEmpty(), "the loss is a gap in the database");
        long inGaps = 0;
        for (Gap g : gaps) {
            assertEquals("spool full", g.reason(), "gap " + g);
            inGaps += g.count();
        }
        assertEquals(lostByBox, inGaps, "the database's gaps hold exactly the records the box counted as lost");
        assertEquals(0, c.stats().missed(), "no unexplained hole");
        assertTrue(agent.log().contains("spool: full"), agent.log());
    }

    /** Issue 6: a corrupt spool segment is detected at start, not loaded, and its range is a gap saying so. */
    @Test void corruptSegmentIsNotLoadedAndItsRangeIsAGapWithThatReason() throws Exception {
        // 32 KiB segments: 215 records of 152 bytes each (docs/protocol.md section 9).
        int entry = 152;
        agent = sim(1000, "--spool-sync-ms", "50", "--spool-max", "256K");
        waitUntil("four segments spooled", Duration.ofSeconds(30), quietly(() -> spool().segments() >= 4));
        agent.kill();
        List<Path> segs;
        try (var list = java.nio.file.Files.list(dir.resolve("state/spool"))) {
            segs = list.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
        }
        long first = Long.parseLong(segs.get(1).getFileName().toString().substring(0, 16), 16);
        long end = Long.parseLong(segs.get(2).getFileName().toString().substring(0, 16), 16);
        try (var f = new java.io.RandomAccessFile(segs.get(1).toFile(), "rw")) {
            f.seek(32 + 100 * entry + 30); // inside the 101st record
            int b = f.read();
            f.seek(32 + 100 * entry + 30);
            f.write(b ^ 0x04);
        }
        agent.start();
        BoxStatus.Spool sp = spool();
        assertEquals(1, sp.quarantined(), "one segment set aside");
        assertTrue(agent.log().contains("is corrupt (entry at byte offset " + (32 + 100 * entry) + " fails its checks"), agent.log());
        Collector c = running = Collector.start(agent.local(), "sim", store, FAST);
        waitUntil("the collector is past the restart", Duration.ofSeconds(30), () -> c.accountedThrough() >= sp.nextSeq() + 100);
        c.close();
        List<Gap> gaps = assertCoveredOnce("sim", c.accountedThrough());
        assertEquals(List.of(new Gap("sim", first, end - 1, gaps.get(0).detectedMs(), "corrupt spool segment quarantined")), gaps);
        assertTrue(java.nio.file.Files.exists(dir.resolve("state/spool/corrupt").resolve(
                String.format("%016x-%016x.seg", first, end))), "kept for inspection");
    }

    /** Issue 6: the box's state directory wiped while the desktop was away: a new spool, numbered from 0 again. */
    @Test void wipedSpoolIsANewEpochAndEveryRecordOfBothIsStoredOnce() throws Exception {
        agent = sim(1000, "--spool-sync-ms", "50");
        Collector first = running = Collector.start(agent.local(), "sim", store, FAST);
        waitUntil("300 records stored", Duration.ofSeconds(30), () -> first.accountedThrough() >= 300);
        // The old spool goes quiet (same state directory, no traffic) so the desktop can hold all of it.
        agent.close();
        agent = sim(0, "--spool-sync-ms", "50");
        BoxStatus.Spool old = spool();
        waitUntil("the old spool stored whole", Duration.ofSeconds(30), () -> first.accountedThrough() == old.nextSeq() - 1);
        Map<Long, FlowRecord> oldRecords = everyRecord(old.nextSeq());
        first.close();
        agent.close();
        deleteTree(dir.resolve("state"));
        agent = sim(1000, "--spool-sync-ms", "50");
        BoxStatus.Spool fresh = spool();
        assertTrue(fresh.spoolId() != old.spoolId() && fresh.nextSeq() < old.nextSeq(), "a new spool, numbered from 0: " + fresh);
        Collector second = running = Collector.start(agent.local(), "sim", store, FAST);
        waitUntil("300 records of the new spool stored", Duration.ofSeconds(30),
                () -> second.epoch() != null && second.epoch().epoch() == 2 && second.accountedThrough() >= old.nextSeq() + 300);
        second.close();
        long through = second.accountedThrough();
        Map<Long, FlowRecord> newRecords = everyRecord(through - old.nextSeq() + 1);

        List<SpoolEpoch> epochs = store.epochs("sim");
        assertEquals(2, epochs.size(), epochs.toString());
        SpoolEpoch e1 = epochs.get(0), e2 = epochs.get(1);
        assertTrue(e1.sameSpool(old.spoolId()) && e1.base() == 0 && !e1.restart(), e1.toString());
        assertTrue(e2.sameSpool(fresh.spoolId()), e2.toString());
        assertEquals(SpoolEpoch.REPLACED, e2.reason());
        assertEquals(old.nextSeq() - 1, e2.prevLastSeq(), "the old spool's last number stored");
        assertEquals(0, e2.prevLost(), "the desktop held all of the old spool");
        assertEquals(old.nextSeq(), e2.base(), "the new spool's #0 is stored right after the old spool's last");
        assertEquals(0, e2.firstSeq());
        assertEquals(newRecords.get(0L).timeMs(), e2.firstRecordMs().orElseThrow(), "the restart is placed at the new spool's first record");
        assertTrue(assertCoveredOnce("sim", through).isEmpty(), "no gaps: " + store.gaps("sim"));
        Map<Long, Flow> stored = flows("sim");
        assertEquals(through + 1, stored.size());
        for (FlowRecord r : oldRecords.values())
            assertTrue(same(stored.get(r.seq()), r), "old spool's #" + r.seq() + " stored as it was: " + stored.get(r.seq()) + " for " + r);
        for (FlowRecord r : newRecords.values())
            assertTrue(same(stored.get(old.nextSeq() + r.seq()), r), "new spool's #" + r.seq() + " stored after the old spool's "
                    + "records: " + stored.get(old.nextSeq() + r.seq()) + " for " + r);
        assertEquals(through - old.nextSeq() + 1, spool().ackedEnd(), "the new spool was acknowledged in its own numbers");

        // The log shows the records of both spools with the restart between them.
        List<String> lines = logs("--box", "sim", "-n", Long.toString(through + 1)).lines().toList();
        assertEquals(through + 2, lines.size(), "every record and one restart line");
        int at = (int) old.nextSeq();
        assertTrue(lines.get(at).contains("-- record stream restarted: spool replaced on box")
                && lines.get(at).contains(String.format("spool %016x, its #0 stored as #%d", fresh.spoolId(), old.nextSeq()))
                && lines.get(at).contains("last number accounted for: #" + (old.nextSeq() - 1)), lines.get(at));
        assertTrue(lines.get(at - 1).contains("#" + (old.nextSeq() - 1) + " ") && lines.get(at + 1).contains("#" + old.nextSeq() + " "),
                lines.get(at - 1) + "\n" + lines.get(at + 1));
    }

    /**
     * Issue 6: the link drops in the middle of a catch-up, and the box comes back with a new
     * spool: what the old spool was known to hold but never arrived is a gap that says why.
     */
    @Test void spoolReplacedDuringACatchUpRecordsWhatTheOldSpoolHeldAsAGap() throws Exception {
        agent = sim(2000, "--spool-sync-ms", "50");
        waitUntil("2000 records spooled with no desktop", Duration.ofSeconds(30), quietly(() -> spool().nextSeq() >= 2000));
        agent.close();
        agent = sim(0, "--spool-sync-ms", "50");
        BoxStatus.Spool old = spool();
        // The first connection is cut after 96 KiB from the box (a few messages of 256 records); then the box is unreachable.
        AtomicBoolean reachable = new AtomicBoolean(true);
        AtomicLong opened = new AtomicLong();
        Transport.Factory link = () -> {
            if (!reachable.get()) throw new BoxException("no route to the box");
            Transport t = agent.local().open();
            if (opened.getAndIncrement() > 0) return t;
            reachable.set(false);
            return CuttingTransport.reads(t, 96 * 1024);
        };
        Collector c = running = Collector.start(link, "sim", store, FAST);
        waitUntil("the link was cut and a reconnect refused", Duration.ofSeconds(30),
                () -> c.stats().sessions() == 1 && c.stats().lastError().contains("no route"));
        assertTrue(c.flush(Duration.ofSeconds(10)));
        long held = c.accountedThrough();
        assertTrue(held >= 0 && held < old.nextSeq() - 100, "part of the backlog arrived: " + held + " of " + old.nextSeq());
        agent.close();
        deleteTree(dir.resolve("state"));
        agent = sim(1000, "--spool-sync-ms", "50");
        reachable.set(true);
        waitUntil("300 records of the new spool stored", Duration.ofSeconds(30),
                () -> c.epoch() != null && c.epoch().epoch() == 2 && c.accountedThrough() >= old.nextSeq() + 300);
        c.close();
        long lostCount = old.nextSeq() - 1 - held;
        List<Gap> gaps = assertCoveredOnce("sim", c.accountedThrough());
        assertEquals(List.of(new Gap("sim", held + 1, old.nextSeq() - 1, gaps.get(0).detectedMs(), SpoolEpoch.REPLACED)), gaps);
        SpoolEpoch e2 = store.epochs("sim").get(1);
        assertEquals(held, e2.prevLastSeq());
        assertEquals(lostCount, e2.prevLost());
        assertEquals(old.nextSeq(), e2.start());
        assertEquals(lostCount, c.stats().lost());
        assertEquals(0, c.stats().missed(), "no unexplained hole");
        assertEquals(c.accountedThrough() - old.nextSeq() + 1, spool().ackedEnd());
        String log = logs("--box", "sim", "-n", Long.toString(c.accountedThrough() + 1));
        assertTrue(log.contains("-- record stream restarted: spool replaced on box") && log.contains(
                "last number accounted for: #" + held + ", " + lostCount + " records it held never received"), log);
    }

    /** What {@code rampart logs ARGS} prints for this test's database. */
    String logs(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(new LogsCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of("--db", FlowStore.h2Url(dir.resolve("flows"))));
        all.addAll(List.of(args));
        assertEquals(0, cl.execute(all.toArray(String[]::new)), err.toString());
        return out.toString();
    }

    /** Every record of the running agent's spool from 0 to {@code count} - 1, read by an observer that does not acknowledge. */
    Map<Long, FlowRecord> everyRecord(long count) throws Exception {
        Map<Long, FlowRecord> into = new ConcurrentHashMap<>();
        try (BoxConnection obs = BoxConnection.connect(agent.local(), BoxConnection.Options.DEFAULT.withReconnects(0))) {
            obs.subscribeFrom(0, collectInto(into));
            waitUntil(count + " records read back", Duration.ofSeconds(30), () -> java.util.stream.LongStream.range(0, count)
                    .allMatch(into::containsKey));
        }
        // A busy box streams on past what was asked for.
        into.keySet().removeIf(seq -> seq >= count);
        return into;
    }

    static void deleteTree(Path p) throws IOException {
        try (var s = java.nio.file.Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.delete(q);
        }
    }

    private static boolean same(Flow f, FlowRecord r) {
        return f != null && f.timeMs() == r.timeMs() && f.srcPort() == r.sport() && f.dstPort() == r.dport()
                && f.ruleId() == r.ruleId() && f.generation() == r.generation() && f.verdict() == r.verdict()
                && f.src().equals(Flow.address(r.src())) && f.dst().equals(Flow.address(r.dst()));
    }

    private static BoxConnection.SpoolListener collectInto(Map<Long, FlowRecord> into) {
        return new BoxConnection.SpoolListener() {
            @Override public void records(List<FlowRecord> batch) {
                for (FlowRecord r : batch) into.put(r.seq(), r);
            }

            @Override public void loss(BoxConnection.Loss loss) {}
        };
    }

    private static boolean sameRecord(FlowRecord a, FlowRecord b) {
        return a.seq() == b.seq() && a.timeMs() == b.timeMs() && a.hook() == b.hook() && a.verdict() == b.verdict()
                && a.proto() == b.proto() && java.util.Arrays.equals(a.src(), b.src())
                && java.util.Arrays.equals(a.dst(), b.dst()) && a.sport() == b.sport() && a.dport() == b.dport()
                && a.ruleId() == b.ruleId() && a.generation() == b.generation();
    }
}
