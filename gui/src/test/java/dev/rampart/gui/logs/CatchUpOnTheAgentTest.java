// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.gui.connection.Box;
import dev.rampart.gui.connection.Connector;
import dev.rampart.gui.connection.DemoBox;
import dev.rampart.gui.connection.LinkConnector;
import dev.rampart.gui.connection.Profile;
import dev.rampart.gui.support.InlineTasks;
import dev.rampart.link.BoxConnection;
import dev.rampart.link.UnixSocketTransport;
import dev.rampart.telemetry.Flow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Catch-up on the real agent, {@code rampartd --backend=sim}, through the app's own connector: the
 * log loses its connection, the box goes on numbering records, and the reconnect fetches them;
 * when a collector's acknowledgement let the box delete some meanwhile, those are reported lost.
 * Every number from the first record received to the last is checked to be accounted for once.
 */
class CatchUpOnTheAgentTest {
    static final Path AGENT_DIR = Path.of("..", "engine-kmod", "agent").toAbsolutePath().normalize();

    @TempDir Path dir;
    Process agent;
    Path socket;
    final InlineTasks tasks = new InlineTasks();
    final SimpleObjectProperty<Box> boxes = new SimpleObjectProperty<>();
    final LogsViewModel vm = new LogsViewModel(tasks, boxes, id -> null, r -> { }, 100_000);
    final List<Box> opened = new ArrayList<>();

    /** The agent generating {@code packetsPerSecond} (about half become records), its spool bounded to {@code spoolMax}. */
    void startAgent(int packetsPerSecond, String spoolMax) throws Exception {
        Process make = new ProcessBuilder("make", "-s", "-C", AGENT_DIR.toString(), "-f", "rampartd.mk", "build/rampartd")
                .redirectErrorStream(true).start();
        String out = new String(make.getInputStream().readAllBytes());
        assertTrue(make.waitFor(300, TimeUnit.SECONDS) && make.exitValue() == 0, "building rampartd: " + out);
        socket = dir.resolve("rampartd.sock");
        agent = new ProcessBuilder(AGENT_DIR.resolve("build/rampartd").toString(), "--backend=sim", "--state-dir",
                dir.resolve("state").toString(), "--socket", socket.toString(), "--rate", String.valueOf(packetsPerSecond),
                "--spool-max", spoolMax, "--spool-sync-ms", "20").redirectErrorStream(true)
                .redirectOutput(dir.resolve("rampartd.log").toFile()).start();
        waitFor("the agent's socket", () -> Files.exists(socket));
    }

    @AfterEach
    void stop() throws Exception {
        boxes.set(null);
        for (Box b : opened) b.close();
        if (agent != null) {
            agent.destroy();
            if (!agent.waitFor(5, TimeUnit.SECONDS)) agent.destroyForcibly().waitFor();
        }
    }

    Box connect() throws Exception {
        Profile p = new Profile("lab", Profile.Kind.LOCAL, socket.toString(), "", "", 0, "", "", 115200);
        Box b = new LinkConnector(new DemoBox(dir.resolve("unused")), dir.resolve("known_hosts"))
                .connect(p, Connector.Trust.NONE, s -> { }, () -> false);
        opened.add(b);
        return b;
    }

    BoxConnection collector() throws Exception {
        return BoxConnection.connect(() -> UnixSocketTransport.open(socket), BoxConnection.Options.DEFAULT);
    }

    static void waitFor(String what, BooleanSupplier done) throws InterruptedException {
        dev.rampart.gui.support.Waits.until(what, 30, done);
    }

    /** Takes records in (as the pump would) until {@code done}. */
    void drainUntil(String what, BooleanSupplier done) throws InterruptedException {
        waitFor(what, () -> {
            vm.drain();
            return done.getAsBoolean();
        });
    }

    long newest() { return vm.rows().isEmpty() ? -1 : vm.rows().get(0).seq(); }

    /** Connects, takes some records in, drops the connection, and waits while the box numbers {@code more} records. */
    long connectDropAndMiss(int more) throws Exception {
        boxes.set(connect());
        drainUntil("the first records", () -> vm.rows().size() >= 20);
        boxes.set(null); // takes in what had arrived
        opened.get(0).close();
        long last = newest();
        try (BoxConnection c = collector()) {
            waitFor(more + " records while disconnected", () -> {
                try {
                    return c.status().spool().orElseThrow().nextSeq() > last + more;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        }
        return last;
    }

    /** Every number from the oldest record kept to the newest is a record once or inside a reported lost range. */
    void assertEveryNumberAccountedFor() {
        List<Long> seqs = vm.rows().stream().map(Flow::seq).toList();
        Set<Long> unique = new HashSet<>(seqs);
        assertEquals(seqs.size(), unique.size(), "no record twice");
        long first = seqs.get(seqs.size() - 1), last = seqs.get(0);
        assertEquals(last - first + 1, seqs.size() + vm.lostOnBox(), "records " + first + ".." + last + ": " + seqs.size()
                + " shown, " + vm.lostOnBox() + " reported lost");
    }

    @Test
    void aReconnectFetchesTheRecordsSentWhileDisconnected() throws Exception {
        startAgent(600, "64M");
        long last = connectDropAndMiss(150);
        boxes.set(connect());
        drainUntil("caught up", () -> vm.noticeProperty().get().contains("caught up"));
        String notice = vm.noticeProperty().get();
        assertTrue(notice.matches("Reconnected to local agent .*: caught up on the \\d+ records sent while disconnected "
                + "\\(#" + (last + 1) + "-#\\d+\\)\\."), notice);
        assertTrue(vm.rows().stream().anyMatch(f -> f.seq() == last + 1), "the first record missed is in the log");
        assertEquals(0, vm.lostOnBox());
        assertEveryNumberAccountedFor();
    }

    @Test
    void recordsACollectorLetTheBoxDeleteAreReportedLostWithTheReason() throws Exception {
        // Segments of 1/8 of 128K: whole segments go when acknowledged.
        startAgent(2000, "128K");
        long last = connectDropAndMiss(600);
        long next;
        try (BoxConnection c = collector()) {
            // By now the small spool is full: its lost range (reason "spool full") is sent once this frees room.
            next = c.status().spool().orElseThrow().nextSeq();
            BoxConnection.AckResult r = c.ack(next - 1);
            assertTrue(r.oldestSeq() > last + 1, "the box deleted numbers the log has not seen: oldest now " + r.oldestSeq()
                    + ", the log stopped at " + last);
        }
        boxes.set(connect());
        // Records numbered after the acknowledgement come after every lost range in the stream.
        drainUntil("caught up", () -> vm.noticeProperty().get().contains("caught up") && newest() > next);
        String notice = vm.noticeProperty().get();
        assertTrue(notice.contains("lost on local agent " + socket + ": deleted from the box's spool after a collector "
                + "acknowledged them (the flow store has them)."), notice);
        assertTrue(notice.contains("#" + (last + 1) + "-#"), "the lost range starts after the last record seen: " + notice);
        assertTrue(vm.lostOnBox() > 0);
        assertTrue(vm.statusProperty().get().contains("lost on the box"), vm.statusProperty().get());
        assertEveryNumberAccountedFor();
    }
}
