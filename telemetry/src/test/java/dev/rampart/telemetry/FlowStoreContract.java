// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import dev.rampart.telemetry.FlowFilter.Side;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every database behind a FlowStore must do, on a small crafted dataset whose answers are
 * worked out by hand (see the comments at each row).
 */
abstract class FlowStoreContract {

    /** A minute boundary, so that the rows below fall into known minutes. */
    static final long T0 = 28_333_333L * 60_000L;

    static Flow row(String box, long seq, long dt, int verdict, int proto, String src, int sport, String dst, int dport,
                    String iface, long rule, long packets, long bytes) {
        String s = Flow.canonical(src), d = Flow.canonical(dst);
        return new Flow(box, seq, T0 + dt, 0, verdict, proto, s.contains(":") ? 6 : 4, s, d, sport, dport, iface, "",
                rule, 3, packets, bytes);
    }

    // key: b1#1 .. b1#5, b2#1
    static final List<Flow> DATA = List.of(
            row("b1", 1, 1_000, Flow.ACCEPT, 6, "10.0.0.1", 40000, "10.0.0.2", 22, "eth0", 7, 10, 1000),
            row("b1", 2, 2_000, Flow.DROP, 17, "10.0.0.3", 5353, "10.0.0.1", 53, "eth1", 9, 5, 500),
            row("b1", 3, 61_000, Flow.ACCEPT, 6, "10.0.0.2", 22, "10.0.0.3", 40001, "eth0", 7, 20, 3000),
            row("b1", 4, 62_000, Flow.REJECT, 6, "2001:db8::1", 443, "2001:db8::2", 443, "eth1", 0, 1, 60),
            row("b1", 5, 125_000, Flow.DROP, 6, "10.0.0.1", 40002, "10.0.0.4", 80, "eth0", 9, 3, 180),
            // Same time as b1#4: the tie is broken by box, then seq.
            row("b2", 1, 62_000, Flow.ACCEPT, 17, "10.0.0.3", 123, "10.0.0.4", 123, "eth0", 7, 2, 200));

    /**
     * Rollup ranges of 4 and 8 sequence numbers, so that b1#1..3 are rolled up (b1 has moved
     * past 3) and every aggregate below reads a rollup as well as blocks.
     */
    static final int[] SMALL_LEVELS = {2, 3};

    FlowStore store;

    abstract FlowStore freshStore() throws Exception;

    @BeforeEach void open() throws Exception {
        store = freshStore();
        assertEquals(DATA.size(), store.insert(DATA));
    }

    @AfterEach void close() throws Exception {
        if (store != null) store.close();
    }

    static String key(Flow f) { return f.box() + "#" + f.seq(); }

    List<String> keys(FlowFilter f) throws Exception {
        List<String> out = new ArrayList<>();
        for (Flow r : store.newest(f, Optional.empty(), 100).rows()) out.add(key(r));
        return out;
    }

    @Test void theSameRecordsInsertedTwiceAreStoredOnce() throws Exception {
        assertEquals(0, store.insert(DATA));
        assertEquals(6, store.count());
        Flow fresh = row("b1", 6, 130_000, Flow.ACCEPT, 6, "10.0.0.9", 1, "10.0.0.8", 2, "eth0", 7, 1, 1);
        assertEquals(1, store.insert(List.of(DATA.get(0), fresh, DATA.get(5))));
        assertEquals(7, store.count());
        // A duplicate with different content does not overwrite what was stored first.
        Flow changed = row("b1", 1, 1_000, Flow.DROP, 6, "10.9.9.9", 1, "10.0.0.2", 22, "eth0", 7, 99, 99);
        assertEquals(0, store.insert(List.of(changed)));
        assertEquals(List.of("b1#1"), keys(FlowFilter.ALL.address("10.0.0.1", Side.SRC, false).rule(7, false)));
    }

    @Test void highestSeqIsPerBox() throws Exception {
        assertEquals(OptionalLong.of(5), store.highestSeq("b1"));
        assertEquals(OptionalLong.of(1), store.highestSeq("b2"));
        assertEquals(OptionalLong.empty(), store.highestSeq("b3"));
    }

    @Test void newestFirstWithTiesBrokenByBoxThenSeq() throws Exception {
        assertEquals(List.of("b1#5", "b2#1", "b1#4", "b1#3", "b1#2", "b1#1"), keys(FlowFilter.ALL));
        assertEquals(DATA.get(3), store.newest(FlowFilter.ALL.box("b1").rule(0, false), Optional.empty(), 5).rows().get(0),
                "every column survives the round trip");
    }

    @Test void keysetPagesCoverEveryRowOnceAndEnd() throws Exception {
        List<List<String>> pages = new ArrayList<>();
        Optional<Cursor> at = Optional.empty();
        do {
            FlowPage p = store.newest(FlowFilter.ALL, at, 2);
            pages.add(p.rows().stream().map(FlowStoreContract::key).toList());
            at = p.next();
        } while (at.isPresent());
        assertEquals(List.of(List.of("b1#5", "b2#1"), List.of("b1#4", "b1#3"), List.of("b1#2", "b1#1")), pages);
        FlowPage exact = store.newest(FlowFilter.ALL, Optional.empty(), 6);
        assertFalse(exact.next().isPresent(), "a page that holds the rest is the last one");
    }

    @Test void addressFiltersBySideAndNegated() throws Exception {
        assertEquals(List.of("b1#5", "b1#2", "b1#1"), keys(FlowFilter.ALL.address("10.0.0.1", Side.EITHER, false)));
        assertEquals(List.of("b1#5", "b1#1"), keys(FlowFilter.ALL.address("10.0.0.1", Side.SRC, false)));
        assertEquals(List.of("b1#2"), keys(FlowFilter.ALL.address("10.0.0.1", Side.DST, false)));
        assertEquals(List.of("b2#1", "b1#4", "b1#3"), keys(FlowFilter.ALL.address("10.0.0.1", Side.EITHER, true)));
        assertEquals(List.of("b2#1", "b1#4", "b1#3", "b1#2"), keys(FlowFilter.ALL.address("10.0.0.1", Side.SRC, true)));
        assertEquals(List.of("b1#4"), keys(FlowFilter.ALL.address("2001:db8:0::1", Side.SRC, false)), "IPv6 in any spelling");
    }

    @Test void portProtoRuleVerdictAndInterfaceFilters() throws Exception {
        assertEquals(List.of("b1#3", "b1#1"), keys(FlowFilter.ALL.port(22, Side.EITHER, false)));
        assertEquals(List.of("b1#1"), keys(FlowFilter.ALL.port(22, Side.DST, false)));
        assertEquals(List.of("b1#5", "b1#4", "b1#3", "b1#2", "b1#1"), keys(FlowFilter.ALL.port(123, Side.EITHER, true)));
        assertEquals(List.of("b2#1", "b1#2"), keys(FlowFilter.ALL.proto(17, false)));
        assertEquals(List.of("b1#5", "b1#4", "b1#3", "b1#1"), keys(FlowFilter.ALL.proto(17, true)));
        assertEquals(List.of("b1#5", "b1#2"), keys(FlowFilter.ALL.rule(9, false)));
        assertEquals(List.of("b1#5", "b1#4", "b1#2"), keys(FlowFilter.ALL.rule(7, true)));
        assertEquals(List.of("b1#5", "b1#2"), keys(FlowFilter.ALL.verdict(Flow.DROP, false)));
        assertEquals(List.of("b1#5", "b1#4", "b1#2"), keys(FlowFilter.ALL.verdict(Flow.ACCEPT, true)));
        assertEquals(List.of("b1#4", "b1#2"), keys(FlowFilter.ALL.iface("eth1", false)));
        assertEquals(List.of("b1#5", "b2#1", "b1#3", "b1#1"), keys(FlowFilter.ALL.iface("eth1", true)));
    }

    @Test void timeRangeIsHalfOpenAndCombinesWithOtherFilters() throws Exception {
        assertEquals(List.of("b1#3", "b1#2"), keys(FlowFilter.ALL.between(T0 + 2_000, T0 + 62_000)));
        assertEquals(List.of("b1#3"), keys(FlowFilter.ALL.since(T0 + 60_000).verdict(Flow.ACCEPT, false).box("b1")));
        assertEquals(List.of(), keys(FlowFilter.ALL.between(T0 + 126_000, T0 + 999_000)));
    }

    @Test void topTalkersByBytesInTheWindow() throws Exception {
        assertEquals(List.of(new Talker("10.0.0.2", 1, 20, 3000), new Talker("10.0.0.1", 2, 13, 1180),
                new Talker("10.0.0.3", 2, 7, 700)), store.topTalkers(T0, T0 + 180_000, 3));
        assertEquals(1, store.rollupsUsed(T0, T0 + 180_000), "b1#1..3 are read from their rollup");
        assertEquals(List.of(new Talker("10.0.0.1", 1, 10, 1000), new Talker("10.0.0.3", 1, 5, 500)),
                store.topTalkers(T0, T0 + 60_000, 10));
    }

    @Test void dropsPerMinuteIncludeEmptyMinutes() throws Exception {
        assertEquals(List.of(new DropMinute(T0, 15, 5), new DropMinute(T0 + 60_000, 23, 1),
                new DropMinute(T0 + 120_000, 3, 3), new DropMinute(T0 + 180_000, 0, 0)),
                store.dropsPerMinute(T0, T0 + 240_000));
        assertEquals(5.0 / 15, store.dropsPerMinute(T0, T0 + 60_000).get(0).rate(), 1e-12);
    }

    @Test void trafficPerRule() throws Exception {
        assertEquals(List.of(new RuleTraffic(7, 3, 32, 4200, T0 + 62_000), new RuleTraffic(9, 2, 8, 680, T0 + 125_000),
                new RuleTraffic(0, 1, 1, 60, T0 + 62_000)), store.perRule(T0, T0 + 180_000));
    }

    /** Flyway V7's box_spools on this database: rows come back as written, updates replace them. */
    @Test void spoolEpochsRoundTripWithTheirRecords() throws Exception {
        SpoolEpoch first = new SpoolEpoch("b1", 1, OptionalLong.of(0x8000_0000_0000_0001L), 0, 0, 6, 1_000, OptionalLong.of(T0),
                null, -1, 0);
        SpoolEpoch second = new SpoolEpoch("b1", 2, OptionalLong.of(42), 9, 0, 3, 2_000, OptionalLong.empty(),
                SpoolEpoch.REPLACED, 5, 3);
        Flow f = row("b1", 9, 200_000, Flow.ACCEPT, 6, "10.0.0.1", 1, "10.0.0.2", 2, "eth0", 7, 1, 1);
        Gap g = new Gap("b1", 6, 8, 42, SpoolEpoch.REPLACED);
        assertEquals(1, store.insert(List.of(f), List.of(g), List.of(first, second)));
        assertEquals(List.of(first, second), store.epochs("b1"));
        assertEquals(List.of(g), store.gaps("b1"));
        SpoolEpoch seen = second.withKnownNext(70).withFirstRecordMs(T0 + 200_000);
        assertEquals(0, store.insert(List.of(), List.of(), List.of(seen)));
        assertEquals(List.of(first, seen), store.epochs(null));
        assertTrue(store.epochs("b2").isEmpty());
        SpoolEpoch unnoted = new SpoolEpoch("b2", 1, OptionalLong.empty(), 0, 0, 2, 3_000, OptionalLong.empty(), null, -1, 0);
        store.insert(List.of(), List.of(), List.of(unnoted));
        assertEquals(List.of(first, seen, unnoted), store.epochs(null));
    }

    @Test void retentionByAgeThenBySize() throws Exception {
        assertEquals(2, store.deleteOlderThan(T0 + 61_000));
        assertEquals(List.of("b1#5", "b2#1", "b1#4", "b1#3"), keys(FlowFilter.ALL));
        assertEquals(0, store.keepNewest(10));
        assertEquals(2, store.keepNewest(2));
        assertEquals(List.of("b1#5", "b2#1"), keys(FlowFilter.ALL));
        assertEquals(2, store.keepNewest(0));
        assertEquals(0, store.count());
    }

    @Test void gapsAreStoredWithTheirFlows() throws Exception {
        Flow f = row("b1", 9, 200_000, Flow.ACCEPT, 6, "10.0.0.1", 1, "10.0.0.2", 2, "eth0", 7, 1, 1);
        assertEquals(1, store.insert(List.of(f), List.of(new Gap("b1", 6, 8, 42))));
        assertEquals(List.of(new Gap("b1", 6, 8, 42)), store.gaps("b1"));
        assertTrue(store.gaps("b2").isEmpty());
    }
}
