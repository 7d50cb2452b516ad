// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.gui.connection.Box;
import dev.rampart.gui.support.InlineTasks;
import dev.rampart.telemetry.Flow;
import java.util.List;
import java.util.stream.LongStream;
import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.api.Test;

/** After a reconnect to the same box the live log asks for the records since the last one it received. */
class CatchUpTest {
    final InlineTasks tasks = new InlineTasks();
    final SpoolBox box = new SpoolBox("spool box", 0x5eed);
    final SimpleObjectProperty<Box> boxes = new SimpleObjectProperty<>();
    final LogsViewModel vm = new LogsViewModel(tasks, boxes, id -> null, r -> { }, 10);

    List<Long> seqs() { return vm.shown().stream().map(Flow::seq).toList(); }

    static List<Long> range(long from, long toInclusive) {
        return LongStream.rangeClosed(from, toInclusive).boxed().sorted((a, b) -> Long.compare(b, a)).toList();
    }

    /** Connected from number 3 on; records 3..5 shown; then the link drops. */
    void connectAndDrop() {
        box.produce(3);
        boxes.set(box);
        assertEquals(List.of("subscribeFrom 3"), box.calls, "the first connection starts at the box's next number");
        box.produce(3);
        vm.drain();
        assertEquals(range(3, 5), seqs());
        boxes.set(null);
        assertTrue(box.calls.contains("unsubscribe"));
        assertTrue(vm.statusProperty().get().startsWith("Disconnected from spool box: the 3 records received until then stay; "
                + "reconnecting fetches the ones sent meanwhile"), vm.statusProperty().get());
        assertEquals(range(3, 5), seqs(), "the records stay while disconnected");
    }

    @Test
    void aReconnectFetchesWhatWasSentMeanwhileAndSaysSo() {
        connectAndDrop();
        box.produce(4); // 6..9 while disconnected
        box.calls.clear();
        boxes.set(box);
        assertEquals(List.of("subscribeFrom 6"), box.calls, "from the number after the last one received");
        vm.drain();
        assertEquals(range(3, 9).subList(0, 7), seqs());
        assertEquals("Reconnected to spool box: caught up on the 4 records sent while disconnected (#6-#9).",
                vm.noticeProperty().get());
        box.produce(2);
        vm.drain();
        assertEquals(range(3, 11).subList(0, 9), seqs(), "and the live stream goes on after them");
        assertEquals(0, vm.lostOnBox());
        vm.dismissNotice();
        assertEquals("", vm.noticeProperty().get());
    }

    @Test
    void moreThanTheLogKeepsIsLeftOutAndSaidSo() {
        connectAndDrop();
        box.produce(25); // 6..30; the log keeps 10
        box.calls.clear();
        boxes.set(box);
        assertEquals(List.of("subscribeFrom 21"), box.calls, "only the newest 10 are fetched");
        vm.drain();
        assertEquals(range(21, 30), seqs());
        assertEquals("Reconnected to spool box: caught up on the 10 records sent while disconnected (#21-#30); the 15 "
                + "before them were not fetched: the log keeps the newest 10.", vm.noticeProperty().get());
    }

    @Test
    void recordsTheBoxNoLongerHasAreShownAsLostWithTheReason() {
        connectAndDrop();
        box.produce(6); // 6..11
        box.deleteBelow(9); // a collector acknowledged 6..8 and the box deleted them
        boxes.set(box);
        vm.drain();
        assertEquals(List.of(11L, 10L, 9L, 5L, 4L, 3L), seqs());
        assertEquals(3, vm.lostOnBox());
        String notice = vm.noticeProperty().get();
        assertTrue(notice.contains("3 records (#6-#8) lost on spool box: deleted from the box's spool after a collector "
                + "acknowledged them (the flow store has them)."), notice);
        assertTrue(notice.contains("caught up on the 6 records sent while disconnected (#6-#11); 3 of them were lost on the box."), notice);
        assertTrue(vm.statusProperty().get().endsWith("; 3 lost on the box"), vm.statusProperty().get());
    }

    @Test
    void aNewSpoolStartsAFreshLogAndSaysWhy() {
        connectAndDrop();
        SpoolBox reset = new SpoolBox("spool box", 0xbeef);
        reset.produce(2);
        boxes.set(reset);
        assertEquals(List.of("subscribeFrom 2"), reset.calls);
        vm.drain();
        assertEquals(List.of(), seqs());
        assertEquals("The record numbers of spool box restarted (its spool is new, or this is another box): the log "
                + "starts afresh.", vm.noticeProperty().get());
        reset.produce(1);
        vm.drain();
        assertEquals(List.of(2L), seqs());
    }

    @Test
    void anotherBoxIsAFreshLogWithoutANotice() {
        connectAndDrop();
        SpoolBox other = new SpoolBox("other box", 0xbeef);
        boxes.set(other);
        vm.drain();
        assertEquals(List.of(), seqs());
        assertEquals("", vm.noticeProperty().get());
        assertEquals(0, vm.receivedProperty().get());
    }
}
