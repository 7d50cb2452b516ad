// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.gui.support.Waits;
import dev.rampart.link.BoxConnection;
import dev.rampart.link.BoxException;
import dev.rampart.link.BoxStatus;
import dev.rampart.link.FlowRecord;
import dev.rampart.link.UnixSocketTransport;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo box's spool, which no collector drains, on the real agent with a small spool and fast
 * traffic: read without acknowledgements it fills and the agent drops new records; read through
 * the app's demo connection it keeps taking records in, many spools' worth, and drops none.
 */
class DemoSpoolTest {
    @TempDir Path dir;
    DemoBox demo;

    @AfterEach
    void stop() {
        if (demo != null) demo.stop();
    }

    static BoxStatus.Spool spool(BoxConnection c) throws BoxException {
        return c.status().spool().orElseThrow();
    }

    /** A listener that counts what it is given. */
    static final class Counting implements BoxConnection.SpoolListener {
        final AtomicLong records = new AtomicLong(), lost = new AtomicLong();
        @Override public void records(List<FlowRecord> batch) { records.addAndGet(batch.size()); }
        @Override public void loss(BoxConnection.Loss loss) { lost.addAndGet(loss.count()); }
    }

    @Test
    void theAppAcknowledgesWhatItTookInSoTheDemoSpoolNeverFills() throws Exception {
        // 4,000 packets/s make about 2,000 records/s; 1 MiB holds a few thousand.
        demo = new DemoBox(dir.resolve("state"), List.of("--rate", "4000", "--spool-max", "1M"));
        Path socket = demo.start(s -> { }, () -> false);
        long capacity;
        // Without acknowledgements (a plain subscriber): the spool fills and new records are lost.
        try (BoxConnection plain = BoxConnection.connect(() -> UnixSocketTransport.open(socket), BoxConnection.Options.DEFAULT)) {
            plain.subscribeFrom(spool(plain).nextSeq(), new Counting());
            Waits.until("the unacknowledged spool to fill", 60, () -> {
                try {
                    return spool(plain).lostFull() > 0;
                } catch (BoxException e) {
                    throw new AssertionError(e);
                }
            });
            BoxStatus.Spool full = spool(plain);
            capacity = full.nextSeq() - full.oldestSeq();
        }
        assertTrue(capacity > 1000, "the full spool held " + capacity + " records");

        // Through the app's demo connection: the first acknowledgement empties the spool, and after
        // that nothing is lost while three spools' worth of records stream through.
        try (Box box = new LinkConnector(demo, dir.resolve("known_hosts")).connect(Profile.DEMO, Connector.Trust.NONE,
                s -> { }, () -> false);
             BoxConnection watch = BoxConnection.connect(() -> UnixSocketTransport.open(socket), BoxConnection.Options.DEFAULT)) {
            long from = spool(watch).nextSeq();
            Counting app = new Counting();
            box.subscribeFrom(from, app);
            Waits.until("the app's first acknowledgement", 30, () -> {
                try {
                    return spool(watch).oldestSeq() >= from;
                } catch (BoxException e) {
                    throw new AssertionError(e);
                }
            });
            long lostBefore = spool(watch).lostFull();
            Waits.until("three spools' worth of records", 120, () -> app.records.get() > 3 * capacity);
            BoxStatus.Spool after = spool(watch);
            assertEquals(lostBefore, after.lostFull(), "records lost to a full spool while the app acknowledged");
            assertEquals(0, app.lost.get(), "the app was told of no lost records");
            assertTrue(after.bytes() <= after.maxBytes(), after.toString());
        }
    }
}
