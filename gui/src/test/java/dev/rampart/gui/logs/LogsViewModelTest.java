// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.dsl.ir.IrRule;
import dev.rampart.gui.connection.Box;
import dev.rampart.gui.editor.EditorViewModel;
import dev.rampart.gui.service.DiskFileAccess;
import dev.rampart.gui.support.Examples;
import dev.rampart.gui.support.FakeBox;
import dev.rampart.gui.support.FakeDialogs;
import dev.rampart.gui.support.HeldTasks;
import dev.rampart.gui.support.InlineTasks;
import dev.rampart.link.FlowRecord;
import dev.rampart.telemetry.Flow;
import dev.rampart.telemetry.FlowFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.api.Test;

class LogsViewModelTest {
    final InlineTasks tasks = new InlineTasks();
    final FakeBox box = new FakeBox();
    final SimpleObjectProperty<Box> boxes = new SimpleObjectProperty<>(box);
    final List<NewRule> made = new ArrayList<>();
    final LogsViewModel vm = new LogsViewModel(tasks, boxes, id -> id == IrRule.numericIdOf("lan-out") ? "lan-out" : null,
            made::add, 5);

    static byte[] v4(int a, int b, int c, int d) { return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}; }

    /** seq n at second n/2: web from 10.20.3.n accepted by lan-out, or a scan of the box dropped by the policy. */
    void send(int seq) {
        boolean web = seq % 2 == 0;
        box.sink.accept(new FlowRecord(seq, 1_000_000L + seq * 500L, web ? 1 : 0, web ? 0 : 1, 6,
                web ? v4(10, 20, 3, seq) : v4(45, 1, 1, 1), web ? v4(93, 184, 216, 34) : v4(203, 0, 113, 10),
                40000 + seq, web ? 443 : 23, web ? IrRule.numericIdOf("lan-out") : 0, 0x100));
    }

    List<Long> shownSeqs() { return vm.shown().stream().map(Flow::seq).toList(); }

    @Test
    void recordsShowNewestFirstInBatchesAndTheOldestGoBeyondTheCapacity() {
        assertEquals(List.of("subscribe"), box.calls);
        send(1);
        send(2);
        assertTrue(vm.shown().isEmpty(), "nothing before the batch is taken in");
        tasks.fireTimers();
        assertEquals(List.of(2L, 1L), shownSeqs());
        for (int i = 3; i <= 8; i++) send(i);
        vm.drain();
        assertEquals(List.of(8L, 7L, 6L, 5L, 4L), shownSeqs(), "capacity 5");
        assertEquals(8, vm.receivedProperty().get());
        assertEquals("lan-out", vm.ruleName(IrRule.numericIdOf("lan-out")));
        assertEquals("(chain policy)", vm.ruleName(0));
    }

    @Test
    void pauseHoldsNewRecordsAndResumeShowsThem() {
        send(1);
        vm.drain();
        vm.pausedProperty().set(true);
        send(2);
        send(3);
        vm.drain();
        assertEquals(List.of(1L), shownSeqs());
        assertTrue(vm.statusProperty().get().contains("PAUSED, 2 new records held"), vm.statusProperty().get());
        vm.pausedProperty().set(false);
        assertEquals(List.of(3L, 2L, 1L), shownSeqs());
    }

    @Test
    void filtersNegateAndMatchEitherSide() {
        for (int i = 1; i <= 4; i++) send(i);
        vm.drain();
        vm.filterProperty().set("verdict drop");
        assertEquals(List.of(3L, 1L), shownSeqs());
        vm.filterProperty().set("!verdict drop");
        assertEquals(List.of(4L, 2L), shownSeqs());
        vm.filterProperty().set("host 203.0.113.10");
        assertEquals(List.of(3L, 1L), shownSeqs(), "the box's address as destination");
        vm.filterProperty().set("host 10.20.3.2");
        assertEquals(List.of(2L), shownSeqs(), "a LAN host as source");
        vm.filterProperty().set("not host 10.20.3.2 rule lan-out");
        assertEquals(List.of(4L), shownSeqs());
        vm.filterProperty().set("dport 23 !src 45.1.1.1");
        assertEquals(List.of(), shownSeqs());
        assertEquals("", vm.filterErrorProperty().get());

        vm.filterProperty().set("host 10.20.3.2 dst 1.1.1.1");
        assertEquals("'host 10.20.3.2' and 'dst 1.1.1.1': one address condition at a time", vm.filterErrorProperty().get());
        assertEquals(List.of(), shownSeqs(), "a broken line keeps the last filter that made sense");
        vm.filterProperty().set("hots 1.2.3.4");
        assertTrue(vm.filterErrorProperty().get().startsWith("unknown filter word 'hots'"), vm.filterErrorProperty().get());
        vm.clearFilter();
        assertEquals(List.of(4L, 3L, 2L, 1L), shownSeqs());
    }

    @Test
    void clickingACellFiltersOnItsValueReplacingTheSameKindOfCondition() {
        for (int i = 1; i <= 4; i++) send(i);
        vm.drain();
        Flow web = vm.shown().get(0);
        vm.filterOn(web, LogsViewModel.Field.DPORT, false);
        assertEquals("dport 443", vm.filterProperty().get());
        vm.filterOn(web, LogsViewModel.Field.SRC, true);
        assertEquals("dport 443 !src 10.20.3.4", vm.filterProperty().get());
        assertEquals(List.of(2L), shownSeqs());
        vm.filterOnHost("10.20.3.2", false);
        assertEquals("dport 443 host 10.20.3.2", vm.filterProperty().get(), "host replaces src: one address at a time");
        vm.filterOn(web, LogsViewModel.Field.RULE, false);
        assertEquals("dport 443 host 10.20.3.2 rule lan-out", vm.filterProperty().get());
        assertEquals(List.of(2L), shownSeqs());
        vm.filterOn(vm.rows().get(1), LogsViewModel.Field.RULE, false);
        assertEquals("dport 443 host 10.20.3.2 rule policy", vm.filterProperty().get());
        assertEquals(List.of(), shownSeqs());
    }

    @Test
    void chartsCountTheLastMinutePerSecondAndTheTopSources() {
        for (int i = 1; i <= 4; i++) send(i);
        vm.drain();
        // seq*500 ms: seconds 1000 (seq 1), 1001 (2, 3), 1002 (4)
        assertEquals(List.of(new LogsViewModel.Second(1000, 1, 1), new LogsViewModel.Second(1001, 2, 1),
                new LogsViewModel.Second(1002, 1, 0)), vm.seconds());
        assertEquals("45.1.1.1", vm.talkers().get(0).address());
        assertEquals(2, vm.talkers().get(0).flows());
        // A record two minutes later pushes the rest out of the window.
        box.sink.accept(new FlowRecord(9, 1_000_000L + 125_000, 0, 0, 17, v4(10, 20, 3, 9), v4(10, 20, 0, 1), 5353, 53, 0, 0x100));
        vm.drain();
        assertEquals(List.of(new LogsViewModel.Second(1125, 1, 0)), vm.seconds());
        assertEquals(1, vm.talkers().size());
    }

    @Test
    void aRuleMadeFromADroppedFlowAcceptsItAboveTheDecidingRuleAndTheEditorTakesIt() throws Exception {
        send(1);
        send(2);
        vm.drain();
        vm.makeRule(vm.rows().get(1)); // seq 1: a drop by the input chain's policy
        vm.makeRule(vm.rows().get(0)); // seq 2: accepted by lan-out
        assertEquals(new NewRule("input", "rule flow-1: proto tcp from 45.1.1.1 to 203.0.113.10 dport 23 accept log "
                + "comment \"from flow #1, which was dropped by the chain policy\"", null), made.get(0));
        assertEquals(new NewRule("forward", "rule flow-2: proto tcp from 10.20.3.2 to 93.184.216.34 dport 443 drop log "
                + "comment \"from flow #2, which was accepted by lan-out\"", "lan-out"), made.get(1));

        // The office example's editor inserts both: at the end of input, right above lan-out in forward.
        EditorViewModel editor = new EditorViewModel(tasks, new FakeDialogs(), new DiskFileAccess(), Duration.ZERO);
        editor.load(Examples.office());
        for (NewRule r : made) assertTrue(editor.insertRule(r.hook(), r.line(), r.before()), editor.statusProperty().get());
        List<String> forward = editor.rows().stream().filter(r -> r.hook().equals("forward")).map(r -> r.id()).toList();
        assertEquals(forward.indexOf("lan-out") - 1, forward.indexOf("flow-2"));
        List<String> input = editor.rows().stream().filter(r -> r.hook().equals("input")).map(r -> r.id()).toList();
        assertEquals("flow-1", input.get(input.size() - 1));
        assertEquals("forward", editor.revealProperty().get().hook());
        assertTrue(editor.analysisProperty().get().compiled().ok(), "the policy still compiles");
        assertTrue(!editor.insertRule(made.get(0).hook(), made.get(0).line(), null));
        assertEquals("a rule named flow-1 exists already", editor.statusProperty().get());
    }

    @Test
    void anotherBoxStartsAFreshLogAndTheOldSubscriptionIsClosed() {
        send(1);
        vm.drain();
        boxes.set(null);
        assertEquals(List.of("subscribe", "unsubscribe"), box.calls);
        assertNull(box.sink);
        FakeBox other = new FakeBox();
        boxes.set(other);
        assertTrue(vm.rows().isEmpty());
        assertEquals(List.of("subscribe"), other.calls);
    }

    @Test
    void eachBatchIsOneChangeThatAddsOnTopAndDropsTheOldestSoSelectionsFollowTheirRows() {
        for (int i = 1; i <= 3; i++) send(i);
        vm.drain();
        List<String> changes = new ArrayList<>();
        vm.shown().addListener((javafx.collections.ListChangeListener<Flow>) c -> {
            StringBuilder sb = new StringBuilder();
            while (c.next()) {
                if (c.wasAdded()) sb.append("+").append(c.getFrom()).append("..").append(c.getTo());
                if (c.wasRemoved()) sb.append("-").append(c.getRemoved().stream().map(Flow::seq).toList());
            }
            changes.add(sb.toString());
        });
        for (int i = 4; i <= 6; i++) send(i);
        vm.drain();
        assertEquals(List.of(6L, 5L, 4L, 3L, 2L), shownSeqs());
        assertEquals(List.of("+0..3-[1]"), changes, "one change: three rows on top, the oldest gone at the bottom");
        vm.drain();
        assertEquals(1, changes.size(), "no records, no change");
        vm.filterProperty().set("verdict drop");
        assertEquals(List.of(5L, 3L), shownSeqs());
        assertEquals(2, changes.size(), "a new filter is one replacement");
    }

    @Test
    void filteringAndTakingRecordsInHappenOnTheWorkerAndTheTableOnlySwapsTheResult() {
        HeldTasks worker = new HeldTasks();
        FakeBox b = new FakeBox();
        LogsViewModel v = new LogsViewModel(tasks, worker, new SimpleObjectProperty<>(b), id -> null, r -> { }, 5,
                FilterStore.inMemory());
        for (int i = 1; i <= 4; i++) {
            boolean web = i % 2 == 0;
            b.sink.accept(new FlowRecord(i, 1000 + i, 1, web ? 0 : 1, 6, v4(10, 20, 3, i), v4(1, 1, 1, 1), 4000, web ? 443 : 23, 0, 1));
        }
        v.drain();
        assertTrue(v.shown().isEmpty(), "nothing reaches the table before the worker ran");
        worker.runAll();
        assertEquals(4, v.shown().size());
        v.filterProperty().set("dport 23");
        v.drain(); // a pump while the filter is being worked on
        assertEquals(4, v.shown().size(), "the old rows stay until the worker has the filtered ones");
        worker.runAll();
        assertEquals(List.of(3L, 1L), v.shown().stream().map(Flow::seq).toList());
        assertTrue(worker.timers.isEmpty(), "the worker is never asked for a timer");
    }

    @Test
    void aPauseKeepsTheRowsOnScreenEvenWithAnUpdateOnTheWay() {
        HeldTasks worker = new HeldTasks();
        FakeBox b = new FakeBox();
        LogsViewModel v = new LogsViewModel(tasks, worker, new SimpleObjectProperty<>(b), id -> null, r -> { }, 5,
                FilterStore.inMemory());
        for (int i = 1; i <= 2; i++) b.sink.accept(new FlowRecord(i, 1000, 1, 0, 6, v4(10, 0, 0, i), v4(1, 1, 1, 1), 4000, 443, 0, 1));
        v.drain();
        worker.runAll();
        assertEquals(List.of(2L, 1L), v.shown().stream().map(Flow::seq).toList());
        b.sink.accept(new FlowRecord(3, 1000, 1, 0, 6, v4(10, 0, 0, 3), v4(1, 1, 1, 1), 4000, 443, 0, 1));
        v.drain(); // an update with record 3 is on its way when the user pauses
        v.pausedProperty().set(true);
        b.sink.accept(new FlowRecord(4, 1000, 1, 0, 6, v4(10, 0, 0, 4), v4(1, 1, 1, 1), 4000, 443, 0, 1));
        worker.runAll();
        assertEquals(List.of(2L, 1L), v.shown().stream().map(Flow::seq).toList(), "what was on screen at the click stays");
        assertTrue(v.statusProperty().get().contains("PAUSED, 2 new records held"), v.statusProperty().get());
        v.pausedProperty().set(false);
        worker.runAll();
        assertEquals(List.of(4L, 3L, 2L, 1L), v.shown().stream().map(Flow::seq).toList());
        assertTrue(worker.timers.isEmpty(), "the worker is never asked for a timer");
    }

    @Test
    void theFilterLineIsTheTelemetryModulesFlowFilter() {
        FlowFilter f = FilterQuery.parse("!host ::0001 sport 53 proto udp");
        assertEquals("0:0:0:0:0:0:0:1", f.address().orElseThrow().value());
        assertEquals(FlowFilter.Side.EITHER, f.address().orElseThrow().side());
        assertTrue(f.address().orElseThrow().negated());
        assertEquals(FlowFilter.Side.SRC, f.port().orElseThrow().side());
        assertEquals(17, f.proto().orElseThrow().value());
        assertEquals("not an IP address: 'fw1'", assertThrows(IllegalArgumentException.class, () -> FilterQuery.parse("host fw1")).getMessage());
        assertEquals("'port' needs a value", assertThrows(IllegalArgumentException.class, () -> FilterQuery.parse("port")).getMessage());
        assertEquals("port '99999': give a number 0-65535", assertThrows(IllegalArgumentException.class, () -> FilterQuery.parse("port 99999")).getMessage());
        FilterQuery.PROTOS.forEach((name, number) -> assertEquals(name, FilterQuery.protoName(number), "the name the filter line takes"));
        assertEquals("47", FilterQuery.protoName(47));
    }
}
