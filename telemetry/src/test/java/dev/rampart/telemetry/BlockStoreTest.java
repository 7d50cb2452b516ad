// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import dev.rampart.telemetry.FlowFilter.Side;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The block store against a plain list of records as the model: random records from three boxes
 * whose time spans overlap, inserted in random batches with repeats and out of order, must answer
 * every query exactly as sorting and filtering the list does.
 */
class BlockStoreTest {
    @TempDir Path dir;

    static final long T0 = 1_800_000_000_000L;
    static final String[] HOSTS = {"10.0.0.1", "10.0.0.2", "10.0.0.3", "192.168.1.9", "2001:db8:0:0:0:0:0:1"};

    static Flow random(SplittableRandom r, String box, long seq) {
        String s = HOSTS[r.nextInt(HOSTS.length)], d = r.nextInt(3) == 0 ? "10.9." + r.nextInt(40) + ".1" : HOSTS[r.nextInt(HOSTS.length)];
        return new Flow(box, seq, T0 + r.nextLong(600_000), r.nextInt(3), r.nextInt(3), r.nextBoolean() ? 6 : 17,
                s.contains(":") ? 6 : 4, s, d, r.nextInt(3) == 0 ? 22 : 1024 + r.nextInt(5), r.nextInt(2) == 0 ? 53 : 443,
                r.nextBoolean() ? "eth0" : "eth1", r.nextInt(4) == 0 ? "" : "wan0", r.nextInt(6), r.nextInt(3) == 0 ? 7 : 8,
                1 + r.nextInt(50), r.nextInt(100_000));
    }

    static final Comparator<Flow> NEWEST = Comparator.comparingLong(Flow::timeMs).thenComparing(Flow::box)
            .thenComparingLong(Flow::seq).reversed();

    /** Rollup ranges of 64 and 256 sequence numbers: the random data below fills dozens of them. */
    static final int[] SMALL_LEVELS = {6, 8};

    @Test void queriesAgreeWithAPlainListOnRandomData() throws Exception {
        try (FlowStore store = FlowStore.open(FlowStore.h2Url(dir.resolve("flows")), "", "", SMALL_LEVELS)) {
            agreesWithModel(store, 1500, 8);
        }
    }

    /**
     * Random records of three boxes, inserted in random batches with repeats and out of order
     * (so sealed ranges receive late records), then every query against the plain list, on many
     * windows, before and after retention by age and by size.
     */
    static void agreesWithModel(FlowStore store, int perBox, int windows) throws Exception {
        long step = 525_000 / perBox;
        SplittableRandom r = new SplittableRandom(20261122);
        Map<String, Flow> model = new LinkedHashMap<>();
        List<Flow> all = new ArrayList<>();
        for (String box : List.of("a", "b", "c"))
            for (long seq = 1; seq <= perBox; seq++) all.add(inOrder(r, random(r, box, seq), step));
        Collections.shuffle(all.subList(perBox * 4 / 3, all.size()), new java.util.Random(5));
        int at = 0;
        while (at < all.size()) {
            int n = 1 + r.nextInt(r.nextInt(4) == 0 ? perBox * 4 / 5 : 40);
            List<Flow> batch = new ArrayList<>(all.subList(at, Math.min(all.size(), at + n)));
            // Replays of earlier records, some with changed content: the first copy must stay.
            for (int k = 0; k < 3 && at > 0; k++) {
                Flow old = all.get(r.nextInt(at));
                batch.add(r.nextBoolean() ? old : new Flow(old.box(), old.seq(), old.timeMs() + 1, 0, 0, 6, 4,
                        "10.7.7.7", "10.7.7.8", 1, 2, "x", "y", 99, 1, 1, 1));
            }
            int fresh = 0;
            for (Flow f : batch) if (model.putIfAbsent(f.box() + "#" + f.seq(), f) == null) fresh++;
            assertEquals(fresh, store.insert(batch), "new records counted exactly");
            at += n;
            if (r.nextInt(16) == 0) aggregatesAgree(store, new ArrayList<>(model.values()), r, 1);
        }
        assertEquals(model.size(), store.count());
        assertTrue(store.rollupRows(0) >= 3 * (perBox / 64 - 1), "every range a box moved past is rolled up: " + store.rollupRows(0));
        assertTrue(store.rollupRows(1) >= 3 * (perBox / 256 - 1), "level 1: " + store.rollupRows(1));
        assertTrue(store.rollupsUsed(T0, T0 + 600_000) > 0, "a window over everything reads rollups");

        List<Flow> rows = new ArrayList<>(model.values());
        pagesAgree(store, rows);
        aggregatesAgree(store, rows, r, windows);
        // Both ways of reading a rollup the window cuts: its records inside, or it minus those outside.
        for (FlowStore.Edges e : List.of(FlowStore.Edges.ADD_INSIDE, FlowStore.Edges.TAKE_AWAY_OUTSIDE)) {
            store.edges(e);
            aggregatesAgree(store, rows, r, windows / 2);
        }
        store.edges(FlowStore.Edges.TAKE_AWAY_OUTSIDE);

        // Retention: by age, then by size, oldest first in viewer order across the boxes.
        long cutoff = T0 + 123_456;
        long old = rows.stream().filter(f -> f.timeMs() < cutoff).count();
        assertEquals(old, store.deleteOlderThan(cutoff));
        List<Flow> left = rows.stream().filter(f -> f.timeMs() >= cutoff).sorted(NEWEST).toList();
        assertEquals(left.size(), store.count());
        pagesAgree(store, left);
        aggregatesAgree(store, left, r, windows / 2);
        int keep = perBox * 2 / 3;
        assertEquals(left.size() - keep, store.keepNewest(keep));
        List<Flow> kept = new ArrayList<>();
        Optional<Cursor> after = Optional.empty();
        do {
            FlowPage p = store.newest(FlowFilter.ALL, after, 500);
            kept.addAll(p.rows());
            after = p.next();
        } while (after.isPresent());
        assertEquals(left.subList(0, keep), kept);
        pagesAgree(store, kept);
        aggregatesAgree(store, kept, r, windows / 2);
        store.edges(FlowStore.Edges.CHEAPER);
        aggregatesAgree(store, kept, r, windows / 2);
        // New records after retention seal ranges again.
        List<Flow> more = new ArrayList<>();
        for (long seq = perBox + 1; seq <= perBox + 300; seq++) more.add(inOrder(r, random(r, "b", seq), step));
        assertEquals(more.size(), store.insert(more));
        List<Flow> now = new ArrayList<>(kept);
        now.addAll(more);
        pagesAgree(store, now);
        aggregatesAgree(store, now, r, windows / 2);
    }

    /** A box's clock moves with its sequence numbers, give or take a few seconds; one record in 20 is a straggler from anywhere in the span. */
    static Flow inOrder(SplittableRandom r, Flow f, long step) {
        long t = r.nextInt(20) == 0 ? f.timeMs() : T0 + f.seq() * step + r.nextLong(-3_000, 3_000);
        return new Flow(f.box(), f.seq(), t, f.hook(), f.verdict(), f.proto(), f.family(), f.src(), f.dst(), f.srcPort(),
                f.dstPort(), f.inIface(), f.outIface(), f.ruleId(), f.generation(), f.packets(), f.bytes());
    }

    static void pagesAgree(FlowStore store, List<Flow> rows) throws Exception {
        List<FlowFilter> filters = List.of(FlowFilter.ALL,
                FlowFilter.ALL.address("10.0.0.1", Side.EITHER, false),
                FlowFilter.ALL.address("2001:db8::1", Side.SRC, false),
                FlowFilter.ALL.address("10.0.0.2", Side.EITHER, true).verdict(Flow.DROP, false),
                FlowFilter.ALL.address("10.9.3.1", Side.DST, false),
                FlowFilter.ALL.address("10.9.17.1", Side.EITHER, false).box("c"),
                FlowFilter.ALL.address("10.9.5.1", Side.EITHER, false).between(T0 + 100_000, T0 + 400_000),
                FlowFilter.ALL.address("10.99.99.99", Side.EITHER, false),
                FlowFilter.ALL.address("10.7.7.7", Side.EITHER, false),
                FlowFilter.ALL.port(22, Side.SRC, false).proto(6, false),
                FlowFilter.ALL.port(53, Side.EITHER, true).box("b"),
                FlowFilter.ALL.iface("wan0", true).rule(3, false),
                FlowFilter.ALL.verdict(Flow.ACCEPT, true).between(T0 + 100_000, T0 + 200_000),
                FlowFilter.ALL.since(T0 + 590_000));
        for (FlowFilter f : filters) {
            List<Flow> want = rows.stream().filter(model(f)).sorted(NEWEST).toList();
            // Small pages where the host index chooses the blocks: many cursors, many index lookups.
            int[] sizes = f.address().filter(m -> !m.negated()).isPresent() ? new int[] {97, 23} : new int[] {97};
            for (int size : sizes) {
                List<Flow> got = new ArrayList<>();
                Optional<Cursor> after = Optional.empty();
                int pages = 0;
                do {
                    FlowPage p = store.newest(f, after, size);
                    got.addAll(p.rows());
                    after = p.next();
                    assertTrue(++pages < 2000, "paging ends");
                } while (after.isPresent());
                assertEquals(want, got, "newest-first pages of " + size + " for " + f);
            }
        }
    }

    /**
     * Top talkers, drops per minute and traffic per rule on the whole span, on windows whose
     * edges are record times (inclusive start, exclusive end), minute boundaries and random
     * points, each against sums over the list.
     */
    static void aggregatesAgree(FlowStore store, List<Flow> rows, SplittableRandom r, int windows) throws Exception {
        List<long[]> ws = new ArrayList<>();
        ws.add(new long[] {T0 - 1, T0 + 600_001});
        ws.add(new long[] {T0 + 60_000, T0 + 540_000});
        for (int i = 0; i < windows; i++) {
            long a = T0 + r.nextLong(600_000), b = T0 + r.nextLong(600_000);
            if (!rows.isEmpty() && r.nextBoolean()) a = rows.get(r.nextInt(rows.size())).timeMs();
            if (!rows.isEmpty() && r.nextBoolean()) b = rows.get(r.nextInt(rows.size())).timeMs();
            ws.add(new long[] {Math.min(a, b), Math.max(a, b) + 1});
        }
        for (long[] w : ws) {
            long from = w[0], to = w[1];
            Map<String, long[]> talkers = new HashMap<>();
            Map<Long, long[]> rules = new HashMap<>();
            Map<Long, long[]> minutes = new TreeMap<>();
            for (long m = Math.floorDiv(from, 60_000); m <= Math.floorDiv(to - 1, 60_000); m++) minutes.put(m, new long[2]);
            for (Flow f : rows) {
                if (f.timeMs() < from || f.timeMs() >= to) continue;
                long[] t = talkers.computeIfAbsent(f.src(), k -> new long[3]);
                t[0]++; t[1] += f.packets(); t[2] += f.bytes();
                long[] u = rules.computeIfAbsent(f.ruleId(), k -> new long[] {0, 0, 0, 0});
                u[0]++; u[1] += f.packets(); u[2] += f.bytes(); u[3] = Math.max(u[3], f.timeMs());
                long[] m = minutes.get(Math.floorDiv(f.timeMs(), 60_000));
                m[0] += f.packets();
                if (f.verdict() != Flow.ACCEPT) m[1] += f.packets();
            }
            String where = "window [" + (from - T0) + ", " + (to - T0) + ")";
            for (int n : new int[] {4, 100}) {
                List<Talker> wantTalkers = talkers.entrySet().stream()
                        .map(e -> new Talker(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]))
                        .sorted(Comparator.comparingLong(Talker::bytes).reversed().thenComparing(Comparator.comparingLong(Talker::packets).reversed())
                                .thenComparing(Talker::address)).limit(n).toList();
                assertEquals(wantTalkers, store.topTalkers(from, to, n), "top " + n + " talkers, " + where);
            }
            List<RuleTraffic> wantRules = rules.entrySet().stream()
                    .map(e -> new RuleTraffic(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2], e.getValue()[3]))
                    .sorted(Comparator.comparingLong(RuleTraffic::packets).reversed().thenComparingLong(RuleTraffic::ruleId)).toList();
            assertEquals(wantRules, store.perRule(from, to), "per rule, " + where);
            List<DropMinute> wantMinutes = new ArrayList<>();
            minutes.forEach((m, t) -> wantMinutes.add(new DropMinute(m * 60_000, t[0], t[1])));
            assertEquals(wantMinutes, store.dropsPerMinute(from, to), "drops per minute, " + where);
        }
    }

    /** The filter's meaning, written independently of the store. */
    static Predicate<Flow> model(FlowFilter f) {
        return x -> f.box().map(x.box()::equals).orElse(true)
                && f.from().map(t -> x.timeMs() >= t).orElse(true)
                && f.to().map(t -> x.timeMs() < t).orElse(true)
                && f.address().map(m -> side(m, x.src(), x.dst())).orElse(true)
                && f.port().map(m -> side(m, x.srcPort(), x.dstPort())).orElse(true)
                && f.proto().map(m -> (m.value() == x.proto()) != m.negated()).orElse(true)
                && f.iface().map(m -> (m.value().equals(x.inIface()) || m.value().equals(x.outIface())) != m.negated()).orElse(true)
                && f.rule().map(m -> (m.value() == x.ruleId()) != m.negated()).orElse(true)
                && f.verdict().map(m -> (m.value() == x.verdict()) != m.negated()).orElse(true);
    }

    static <T> boolean side(FlowFilter.Match<T> m, T src, T dst) {
        boolean hit = switch (m.side()) {
            case SRC -> m.value().equals(src);
            case DST -> m.value().equals(dst);
            case EITHER -> m.value().equals(src) || m.value().equals(dst);
        };
        return hit != m.negated();
    }

    @Test void aCollectorFollowingLiveFillsWholeBlocks() throws Exception {
        SplittableRandom r = new SplittableRandom(8);
        try (FlowStore store = FlowStore.open(FlowStore.h2Url(dir.resolve("live")), "", "")) {
            long seq = 1;
            while (seq <= 3000) {
                List<Flow> batch = new ArrayList<>();
                for (int k = 1 + r.nextInt(40); k > 0 && seq <= 3000; k--) batch.add(random(r, "live", seq++));
                store.insert(batch);
            }
            assertEquals(3000, store.count());
            assertEquals(3, store.blockCount(), "3,000 records in order fill blocks of 1,024");
        }
    }

    @Test void aBlockRoundTripsAndDamageIsNamedNotMisread() {
        SplittableRandom r = new SplittableRandom(3);
        List<Flow> flows = new ArrayList<>();
        for (long s = 10; s < 1034; s += 1 + r.nextInt(3)) flows.add(random(r, "edge", s));
        FlowBlock.Row row = FlowBlock.encode(flows);
        FlowBlock b = FlowBlock.decode("edge", row.firstSeq(), row.minTime(), row.data());
        for (int i = 0; i < flows.size(); i++) assertEquals(flows.get(i), b.flow(i));
        for (Flow f : flows) {
            assertTrue(FlowBlock.Bloom.mayContain(row.bloom(), FlowBlock.raw(f.src())), "no false negative");
            assertTrue(FlowBlock.Bloom.mayContain(row.bloom(), FlowBlock.raw(f.dst())), "no false negative");
        }
        int falsePositives = 0;
        for (int i = 0; i < 1000; i++) if (FlowBlock.Bloom.mayContain(row.bloom(), FlowBlock.raw("172.16." + i / 256 + "." + i % 256))) falsePositives++;
        assertTrue(falsePositives < 100, "false positives " + falsePositives + " of 1000");
        byte[] cut = java.util.Arrays.copyOf(row.data(), row.data().length - 5);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> FlowBlock.decode("edge", row.firstSeq(), row.minTime(), cut));
        assertTrue(e.getMessage().contains("edge#10"), e.getMessage());
        byte[] longer = java.util.Arrays.copyOf(row.data(), row.data().length + 1);
        e = assertThrows(IllegalStateException.class, () -> FlowBlock.decode("edge", row.firstSeq(), row.minTime(), longer));
        assertTrue(e.getMessage().contains("after the last column"), e.getMessage());
        byte[] version = row.data().clone();
        version[0] = 9;
        e = assertThrows(IllegalStateException.class, () -> FlowBlock.decode("edge", row.firstSeq(), row.minTime(), version));
        assertTrue(e.getMessage().contains("unknown block version 9"), e.getMessage());
        assertArrayEquals(row.data(), FlowBlock.encode(flows).data(), "encoding is deterministic");
    }

    @Test void aDatabaseWrittenBeforeRollupsGetsThemOnOpen() throws Exception {
        String url = FlowStore.h2Url(dir.resolve("v5"));
        Flyway.configure().dataSource(url, "", "").locations("classpath:db/migration").javaMigrations(new V4__Flows_into_blocks())
                .target("5").load().migrate();
        SplittableRandom r = new SplittableRandom(12);
        List<Flow> flows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "", "")) {
            try (var st = c.createStatement()) {
                st.executeUpdate("UPDATE flow_rollup_levels SET seq_shift = 6 WHERE lvl = 0");
                st.executeUpdate("UPDATE flow_rollup_levels SET seq_shift = 8 WHERE lvl = 1");
            }
            // Blocks as the store wrote them before rollups: 100 records each, across range boundaries.
            for (String box : List.of("x", "y")) {
                List<Flow> one = new ArrayList<>();
                for (long seq = 1; seq <= 700; seq++) one.add(inOrder(r, random(r, box, seq), 750));
                for (int i = 0; i < one.size(); i += 100) FlowStore.writeBlock(c, FlowBlock.encode(one.subList(i, Math.min(one.size(), i + 100))));
                flows.addAll(one);
            }
        }
        try (FlowStore store = FlowStore.open(url, "", "")) {
            assertEquals(1400, store.count());
            assertEquals(2 * (700 / 64), store.rollupRows(0), "every range each box moved past");
            assertEquals(2 * (700 / 256), store.rollupRows(1));
            pagesAgree(store, flows);
            aggregatesAgree(store, flows, r, 10);
        }
        try (Connection c = DriverManager.getConnection(url, "", "");
             var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM flow_blocks WHERE first_seq / 64 <> last_seq / 64")) {
            rs.next();
            assertEquals(0, rs.getLong(1), "no block crosses a range boundary after the migration");
        }
    }

    @Test void aVersionOneDatabaseKeepsItsRecordsThroughTheMigration() throws Exception {
        String url = FlowStore.h2Url(dir.resolve("old"));
        Flyway.configure().dataSource(url, "", "").locations("classpath:db/migration").target("1").load().migrate();
        SplittableRandom r = new SplittableRandom(11);
        List<Flow> flows = new ArrayList<>();
        for (long s = 1; s <= 2500; s++) flows.add(random(r, s % 2 == 0 ? "x" : "y", s));
        try (Connection c = DriverManager.getConnection(url, "", "");
             PreparedStatement ps = c.prepareStatement("INSERT INTO flows VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
            for (Flow f : flows) {
                Object[] v = {f.box(), f.seq(), f.timeMs(), f.hook(), f.verdict(), f.proto(), f.family(), f.src(), f.dst(),
                        f.srcPort(), f.dstPort(), f.inIface(), f.outIface(), f.ruleId(), f.generation(), f.packets(), f.bytes()};
                for (int i = 0; i < v.length; i++) ps.setObject(i + 1, v[i]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (FlowStore store = FlowStore.open(url, "", "")) {
            assertEquals(2500, store.count());
            assertEquals(java.util.OptionalLong.of(2500), store.highestSeq("x"));
            List<Flow> want = flows.stream().sorted(NEWEST).limit(300).toList();
            assertEquals(want, store.newest(FlowFilter.ALL, Optional.empty(), 300).rows());
            assertFalse(store.newest(FlowFilter.ALL, Optional.empty(), 300).next().isEmpty());
        }
    }
}
