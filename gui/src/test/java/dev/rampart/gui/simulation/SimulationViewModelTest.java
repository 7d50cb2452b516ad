// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.gui.editor.EditorViewModel;
import dev.rampart.gui.editor.RuleColumn;
import dev.rampart.gui.editor.RuleRef;
import dev.rampart.gui.editor.RuleRow;
import dev.rampart.gui.service.DiskFileAccess;
import dev.rampart.gui.support.Examples;
import dev.rampart.gui.support.FakeDialogs;
import dev.rampart.gui.support.InlineTasks;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimulationViewModelTest {
    static final String WEB = "tcp 10.20.3.4:50000 -> 93.184.216.34:443 in lan0 out wan0 state new";

    final InlineTasks tasks = new InlineTasks();
    EditorViewModel editor;
    SimulationViewModel sim;

    @BeforeEach
    void openExample() {
        editor = new EditorViewModel(tasks, new FakeDialogs(), new DiskFileAccess(), Duration.ofMillis(250));
        sim = new SimulationViewModel(editor.analysisProperty());
        editor.load(Examples.office());
    }

    RuleRow row(String id) {
        return editor.rows().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aPacketGetsItsVerdictDecidingRuleAndTrace() {
        sim.packetProperty().set(WEB);
        sim.simulate();
        assertEquals("", sim.errorProperty().get());
        assertEquals("accept", sim.verdictProperty().get());
        assertTrue(sim.decidedByProperty().get().startsWith("rule lan-out "), sim.decidedByProperty().get());
        RuleRef ref = sim.decidingProperty().get();
        assertEquals("forward", ref.hook());
        assertEquals("lan-out", ref.id());
        assertTrue(editor.textProperty().get().startsWith("rule lan-out:", ref.start()), "the reference points at the rule in the text");
        String trace = sim.traceProperty().get();
        assertTrue(trace.contains("rule fw-replies: state new not in"), trace);
        assertTrue(trace.contains("rule guest-web: iif 'lan0' not in"), trace);
    }

    @Test
    void aPacketNoRuleMatchesIsDecidedByThePolicy() {
        sim.packetProperty().set("tcp 203.0.113.9:40000 -> 10.20.0.1:2222 on input in wan0");
        sim.simulate();
        assertEquals("drop", sim.verdictProperty().get());
        assertTrue(sim.decidedByProperty().get().contains("input chain's policy"));
        assertNull(sim.decidingProperty().get());
    }

    @Test
    void theVerdictFollowsEditsOfThePolicy() {
        sim.packetProperty().set(WEB);
        sim.simulate();
        assertTrue(editor.editCell(row("lan-out"), RuleColumn.ACTION, "reject"));
        assertEquals("reject", sim.verdictProperty().get());
        assertEquals("lan-out", sim.decidingProperty().get().id());
    }

    @Test
    void thePolicysTestsRunOnEveryEdit() {
        assertEquals("All 9 tests pass", sim.testSummaryProperty().get());
        assertFalse(sim.testsFailingProperty().get());
        assertTrue(editor.editCell(row("lan-out"), RuleColumn.ACTION, "drop"));
        assertTrue(sim.testsFailingProperty().get());
        assertEquals("2 of 9 tests fail", sim.testSummaryProperty().get());
        assertTrue(sim.tests().stream().filter(t -> !t.passed()).allMatch(t -> t.describe().contains("expected accept by lan-out, got drop by lan-out")));
    }

    @Test
    void aTestsPacketCanBeSimulated() {
        var guests = sim.tests().stream().filter(t -> t.test().name().equals("guests cannot reach staff")).findFirst().orElseThrow();
        sim.simulateTest(guests);
        assertEquals("tcp 10.99.0.7:40000 -> 10.20.3.4:445 in guest0 out lan0", sim.packetProperty().get());
        assertEquals("reject", sim.verdictProperty().get());
        assertEquals("guest-to-inside", sim.decidingProperty().get().id());
    }

    @Test
    void badPacketsAndBrokenPoliciesGiveMessagesNotResults() {
        sim.packetProperty().set("tcp 10.20.3.4:50000 => 93.184.216.34:443");
        sim.simulate();
        assertEquals("", sim.verdictProperty().get());
        assertTrue(sim.errorProperty().get().startsWith("column "), sim.errorProperty().get());

        sim.packetProperty().set(WEB);
        editor.textProperty().set(editor.textProperty().get().replace("from lan service web", "from lab service web"));
        tasks.fireTimers();
        assertEquals("The policy has errors; fix them to simulate", sim.errorProperty().get());
        assertNull(sim.decidingProperty().get());
        assertTrue(sim.tests().isEmpty());
        assertEquals("Tests not run: the policy has errors", sim.testSummaryProperty().get());
    }
}
