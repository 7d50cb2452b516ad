// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.dsl.ir.IrRule;
import dev.rampart.gui.connection.ConnectionViewModel;
import dev.rampart.gui.connection.Connector;
import dev.rampart.gui.connection.ProfileStore;
import dev.rampart.gui.editor.PolicyAnalysis;
import dev.rampart.gui.support.FakeBox;
import dev.rampart.gui.support.FakeDialogs;
import dev.rampart.gui.support.InlineTasks;
import dev.rampart.link.BoxStatus;
import dev.rampart.link.Counters;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.beans.property.SimpleObjectProperty;
import org.junit.jupiter.api.Test;

class DeployViewModelTest {
    static final String V1 = """
            chain input policy drop {
              rule ssh: proto tcp dport 22 accept
              rule ping: proto icmp accept
              rule web: proto tcp dport 80, 443 accept
            }
            """;

    final InlineTasks tasks = new InlineTasks();
    final FakeBox box = new FakeBox();
    final Map<String, String> kept = new HashMap<>();
    final DeployedSources sources = new DeployedSources() {
        @Override public Optional<String> source(String profile, long generation) {
            return Optional.ofNullable(kept.get(profile + "/" + Long.toHexString(generation)));
        }
        @Override public void record(String profile, long generation, String source) {
            kept.put(profile + "/" + Long.toHexString(generation), source);
        }
    };
    final SimpleObjectProperty<PolicyAnalysis> analysis = new SimpleObjectProperty<>(analyse(V1));
    final ConnectionViewModel connection = connected(box);
    final DeployViewModel vm = new DeployViewModel(tasks, connection, analysis, sources);

    static PolicyAnalysis analyse(String text) {
        return PolicyAnalysis.of("p.rampart", text, Path.of("."));
    }

    ConnectionViewModel connected(FakeBox b) {
        ProfileStore store = new ProfileStore() {
            @Override public Saved load() { return Saved.FIRST_START; }
            @Override public void save(Saved s) { }
        };
        Connector c = (p, trust, progress, cancelled) -> b;
        ConnectionViewModel cv = new ConnectionViewModel(tasks, new FakeDialogs(), store, c);
        cv.loadProfiles();
        cv.connect();
        return cv;
    }

    static List<String> diff(DeployViewModel v) {
        return v.diff().stream().map(l -> l.change() + " " + l.chain() + "/" + l.id()).toList();
    }

    @Test
    void anEmptyBoxGetsEveryRuleAndALocalSessionCannotBeCut() {
        assertEquals(DeployViewModel.Phase.READY, vm.phaseProperty().get());
        assertEquals("No policy on the box yet.", vm.runningProperty().get());
        assertEquals(List.of("ADDED input/ssh", "ADDED input/ping", "ADDED input/web"), diff(vm));
        assertTrue(vm.diffSummaryProperty().get().startsWith("The box runs no policy yet"), vm.diffSummaryProperty().get());
        assertEquals(Boolean.TRUE, vm.lockoutSafeProperty().get());
        assertTrue(vm.lockoutProperty().get().contains("connected locally: there is no network session to cut"), vm.lockoutProperty().get());
        assertTrue(vm.canPushBinding().get());
    }

    @Test
    void pushAwaitsConfirmCountsDownAndConfirmKeepsTheSourceForTheNextDiff() {
        vm.push();
        assertEquals(List.of("load 30"), box.calls);
        assertEquals(DeployViewModel.Phase.AWAITING_CONFIRM, vm.phaseProperty().get());
        assertEquals(30, vm.secondsLeftProperty().get());
        assertEquals(1.0, vm.progressProperty().get());
        assertFalse(vm.canPushBinding().get(), "one table on probation at a time");
        assertEquals(List.of("SAME input/ssh", "SAME input/ping", "SAME input/web"), diff(vm),
                "on probation the diff is against the source just pushed");
        tasks.fireTimers();
        assertEquals(29, vm.secondsLeftProperty().get(), "the countdown ticks");
        assertTrue(vm.runningProperty().get().contains("awaiting confirmation"), vm.runningProperty().get());

        vm.confirm();
        assertEquals(List.of("load 30", "confirm 100"), box.calls, "confirmed the generation it pushed, over a new path");
        assertEquals(DeployViewModel.Phase.CONFIRMED, vm.phaseProperty().get());
        assertEquals(V1, kept.get("Demo box/100"));

        // The next diff is against that source, rule by rule.
        analysis.set(analyse(V1.replace("dport 80, 443", "dport 443").replace("  rule ping: proto icmp accept\n", "")
                .replace("  rule ssh:", "  rule dns: proto udp dport 53 accept\n  rule ssh:")));
        assertEquals(List.of("ADDED input/dns", "SAME input/ssh", "CHANGED input/web", "REMOVED input/ping"), diff(vm));
        assertTrue(vm.diffSummaryProperty().get().startsWith("Compared with the source this app deployed as generation 100."),
                vm.diffSummaryProperty().get());
        var changed = vm.diff().get(2);
        assertEquals("rule web: proto tcp dport 80, 443 accept", changed.before());
        assertEquals("rule web: proto tcp dport 443 accept", changed.after());
    }

    @Test
    void aTableLeftUnconfirmedIsSeenRevertedByTheBox() {
        vm.push();
        box.revert(); // the deadline passed on the box
        tasks.fireTimers(); // the tick and the poll ask the box again
        assertEquals(DeployViewModel.Phase.REVERTED, vm.phaseProperty().get());
        assertEquals("Not confirmed in time: the box went back to running no policy by itself.", vm.messageProperty().get());
        assertTrue(kept.isEmpty(), "an unconfirmed source is not kept");
    }

    @Test
    void rollbackDiscardsTheTableOnProbation() {
        vm.push();
        vm.rollback();
        assertEquals(List.of("load 30", "rollback"), box.calls);
        assertEquals(DeployViewModel.Phase.READY, vm.phaseProperty().get());
        assertEquals(BoxStatus.TableState.NONE, box.state);
        assertTrue(vm.messageProperty().get().startsWith("Rolled back"), vm.messageProperty().get());
        vm.rollback();
        assertEquals(DeployViewModel.Phase.FAILED, vm.phaseProperty().get());
        assertEquals("Rollback refused: the box refused: nothing to roll back to", vm.messageProperty().get());
    }

    @Test
    void aTableThisAppDidNotDeployIsComparedByRuleIdsAndCountersBecomeHits() {
        FakeBox other = new FakeBox();
        other.state = BoxStatus.TableState.CONFIRMED;
        other.running = other.confirmed = 0x55;
        other.rules = 3;
        long ssh = IrRule.numericIdOf("ssh"), old = IrRule.numericIdOf("telnet"), web = IrRule.numericIdOf("web");
        other.counters = List.of(new Counters.RuleCounter(ssh, 0, 12, 900, 1_700_000_000_000L),
                new Counters.RuleCounter(old, 1, 0, 0, 0), new Counters.RuleCounter(web, 2, 7, 500, 1_700_000_001_000L));
        DeployViewModel v = new DeployViewModel(tasks, connected(other), analysis, sources);
        assertEquals(List.of("UNKNOWN input/ssh", "ADDED input/ping", "UNKNOWN input/web", String.format("REMOVED ?/%08x", old)), diff(v));
        assertTrue(v.diffSummaryProperty().get().startsWith("This app did not deploy generation 55, so only rule names are compared"),
                v.diffSummaryProperty().get());
        assertEquals(12, v.hitsProperty().get().get(ssh).packets());
        assertEquals(0, v.hitsProperty().get().get(old).packets());
    }

    @Test
    void aPolicyThatCutsTheSshSessionIsRefusedUnlessForced() {
        FakeBox ssh = new FakeBox();
        ssh.peer = new BoxStatus.Peer(BoxStatus.PeerKind.SSH, "192.0.2.9", 50123, "192.0.2.1", 22);
        analysis.set(analyse(V1.replace("dport 22", "dport 2222")));
        DeployViewModel v = new DeployViewModel(tasks, connected(ssh), analysis, sources);
        assertEquals(Boolean.FALSE, v.lockoutSafeProperty().get());
        assertTrue(v.lockoutProperty().get().startsWith("DANGER: this policy would lock you out:"), v.lockoutProperty().get());
        assertTrue(v.lockoutProperty().get().contains("this SSH session, packets to the box"), v.lockoutProperty().get());
        assertFalse(v.canPushBinding().get());
        v.push();
        assertTrue(ssh.calls.isEmpty(), "nothing uploaded");
        v.forceProperty().set(true);
        assertTrue(v.canPushBinding().get());
    }

    @Test
    void aLostLinkDisconnects() {
        box.lost = true;
        tasks.fireTimers();
        assertNull(connection.boxProperty().get());
        assertEquals(DeployViewModel.Phase.NO_BOX, vm.phaseProperty().get());
        assertTrue(connection.messageProperty().get().startsWith("Lost the connection to fake box"), connection.messageProperty().get());
        assertNull(vm.hitsProperty().get());
    }
}
