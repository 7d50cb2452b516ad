// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import dev.rampart.link.BoxConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The collector against a real rampartd with its traffic generator, into embedded H2. */
class CollectorTest {
    @TempDir Path dir;
    SimAgent agent;
    FlowStore store;

    @BeforeEach void start() throws Exception {
        agent = new SimAgent(dir, 2000);
        store = FlowStore.open(FlowStore.h2Url(dir.resolve("flows")), "", "");
    }

    @AfterEach void stop() throws Exception {
        if (store != null) store.close();
        if (agent != null) agent.close();
    }

    /** Every stored seq of the box, ascending. */
    List<Long> seqs(String box) throws Exception {
        List<Long> out = new ArrayList<>();
        Optional<Cursor> at = Optional.empty();
        do {
            FlowPage p = store.newest(FlowFilter.ALL.box(box), at, 1000);
            for (Flow f : p.rows()) out.add(0, f.seq());
            at = p.next();
        } while (at.isPresent());
        out.sort(null);
        return out;
    }

    static void waitStored(Collector c, long n) throws InterruptedException {
        for (int i = 0; i < 1000 && c.stats().stored() < n; i++) Thread.sleep(10);
    }

    @Test void storesTheStreamWithoutGapsOrRepeats() throws Exception {
        Collector.Stats s;
        try (BoxConnection conn = BoxConnection.connect(agent.local())) {
            Collector c = Collector.start(conn, "sim", store, 256);
            waitStored(c, 500);
            c.close();
            s = c.stats();
        }
        List<Long> seqs = seqs("sim");
        assertTrue(seqs.size() >= 500, "stored " + seqs.size());
        for (int i = 1; i < seqs.size(); i++) assertEquals(seqs.get(i - 1) + 1, seqs.get(i), "gap or repeat at " + i);
        assertEquals(s.received(), s.stored() + s.skipped(), "every received record accounted for");
        assertEquals(seqs.size(), s.stored());
        assertEquals(0, s.missed());
        assertTrue(store.gaps("sim").isEmpty());
        assertEquals(seqs.get(seqs.size() - 1), store.highestSeq("sim").getAsLong());
    }

    @Test void reconnectsAndRestartsNeverDuplicateAndEveryHoleIsRecorded() throws Exception {
        long storedBefore;
        try (BoxConnection conn = BoxConnection.connect(agent.local())) {
            Collector c = Collector.start(conn, "sim", store, 256);
            waitStored(c, 200);
            conn.reconnect(); // the box resubscribes this connection; the collector keeps going
            waitStored(c, 600);
            c.close();
            storedBefore = c.stats().stored();
        }
        // A second run (the desktop restarted) resumes after what is stored.
        long highest = store.highestSeq("sim").getAsLong();
        Collector.Stats second;
        try (BoxConnection conn = BoxConnection.connect(agent.local())) {
            Collector c = Collector.start(conn, "sim", store, 256);
            waitStored(c, 300);
            c.close();
            second = c.stats();
        }
        List<Long> seqs = seqs("sim");
        assertEquals(storedBefore + second.stored(), seqs.size(), "no record stored twice");
        assertTrue(seqs.get(seqs.size() - 1) > highest, "the second run added newer records");
        // Every seq between the first and the last is either stored or inside exactly one recorded gap.
        List<Gap> gaps = store.gaps("sim");
        long first = seqs.get(0), last = seqs.get(seqs.size() - 1), inGaps = 0;
        for (Gap g : gaps) {
            assertTrue(g.firstSeq() > first && g.lastSeq() < last, "gap inside the stored range: " + g);
            inGaps += g.count();
            for (long q = g.firstSeq(); q <= g.lastSeq(); q++) assertFalse(seqs.contains(q), "seq " + q + " both stored and missing");
        }
        assertEquals(last - first + 1, seqs.size() + inGaps, "stored + recorded gaps cover the range exactly");
    }

    @Test void twoCollectorsOnTheSameStreamStoreEachRecordOnce() throws Exception {
        // Two connections receive the same records: the second writer's copies are all ignored.
        try (BoxConnection a = BoxConnection.connect(agent.local()); BoxConnection b = BoxConnection.connect(agent.local())) {
            Collector ca = Collector.start(a, "sim", store, 64), cb = Collector.start(b, "sim", store, 64);
            waitStored(ca, 400);
            ca.close();
            cb.close();
            List<Long> seqs = seqs("sim");
            assertEquals(ca.stats().stored() + cb.stats().stored(), seqs.size());
            assertTrue(ca.stats().skipped() + cb.stats().skipped() > 0, "the overlap was seen and skipped");
            assertTrue(ca.flush(Duration.ofSeconds(1)));
        }
    }
}
