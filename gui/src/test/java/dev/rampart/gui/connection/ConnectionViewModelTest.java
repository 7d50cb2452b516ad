// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.gui.support.FakeBox;
import dev.rampart.gui.support.FakeDialogs;
import dev.rampart.gui.support.InlineTasks;
import dev.rampart.link.BoxException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ConnectionViewModelTest {
    final InlineTasks tasks = new InlineTasks();
    final FakeDialogs dialogs = new FakeDialogs();
    final MemoryStore store = new MemoryStore();
    final ScriptedConnector connector = new ScriptedConnector();
    final ConnectionViewModel vm = new ConnectionViewModel(tasks, dialogs, store, connector);

    static final class MemoryStore implements ProfileStore {
        Saved saved;
        int saves;

        @Override public Saved load() { return saved == null ? Saved.FIRST_START : saved; }
        @Override public void save(Saved s) {
            saved = s;
            saves++;
        }
    }

    /** Answers connect() from a list of outcomes: a box, or an exception to throw. */
    static final class ScriptedConnector implements Connector {
        final List<Object> outcomes = new ArrayList<>();
        final List<String> calls = new ArrayList<>();

        @Override
        public Box connect(Profile p, Trust trust, Consumer<String> progress, BooleanSupplier cancelled) throws BoxException {
            calls.add(p.name() + " " + trust);
            progress.accept("working on " + p.name());
            Object o = outcomes.remove(0);
            if (o instanceof BoxException e) throw e;
            return (Box) o;
        }
    }

    @Test
    void firstStartHasTheDemoBoxSelectedAndConnectsToIt() {
        vm.loadProfiles();
        assertEquals(List.of(Profile.DEMO), vm.profiles());
        assertEquals(Profile.DEMO, vm.selectedProperty().get());
        assertEquals(Profile.Kind.DEMO, vm.kindProperty().get(), "the form shows the selected profile");
        FakeBox box = new FakeBox();
        connector.outcomes.add(box);
        vm.connectIfDemo();
        assertEquals(List.of("Demo box NONE"), connector.calls);
        assertEquals(ConnectionViewModel.State.CONNECTED, vm.stateProperty().get());
        assertSame(box, vm.boxProperty().get());
        assertTrue(vm.messageProperty().get().startsWith("Connected to fake box: 0.test, backend sim, no policy loaded"),
                vm.messageProperty().get());
        assertEquals(Profile.DEMO_NAME, store.saved.selected(), "the selection is remembered");
    }

    @Test
    void anSshProfileIsNotConnectedAtStart() {
        store.saved = new ProfileStore.Saved(List.of(Profile.DEMO, new Profile("fw1", Profile.Kind.SSH, "", "fw1.example",
                "admin", 2222, "", "", 115200)), "fw1");
        vm.loadProfiles();
        assertEquals("fw1", vm.selectedProperty().get().name());
        assertEquals("2222", vm.portProperty().get());
        vm.connectIfDemo();
        assertTrue(connector.calls.isEmpty());
        assertEquals(ConnectionViewModel.State.DISCONNECTED, vm.stateProperty().get());
    }

    @Test
    void theFormNamesTheWrongFieldAndSavesOnlyValidProfiles() {
        vm.loadProfiles();
        vm.newProfile(Profile.Kind.SSH);
        assertEquals("New SSH box", vm.nameProperty().get());
        assertFalse(vm.saveProfile());
        assertEquals("Host: give the box's host name or address", vm.formProblemProperty().get());
        vm.hostProperty().set("192.0.2.1");
        vm.portProperty().set("twenty-two");
        assertFalse(vm.saveProfile());
        assertEquals("Port: 'twenty-two' is not a number", vm.formProblemProperty().get());
        vm.portProperty().set("70000");
        assertFalse(vm.saveProfile());
        assertTrue(vm.formProblemProperty().get().startsWith("Port: 70000 is not a TCP port"));
        vm.portProperty().set("");
        vm.nameProperty().set("demo BOX");
        assertFalse(vm.saveProfile());
        assertEquals("Name: there is already a profile called 'Demo box'", vm.formProblemProperty().get());
        vm.nameProperty().set("edge");
        assertTrue(vm.saveProfile());
        assertEquals("", vm.formProblemProperty().get());
        assertEquals(2, store.saved.profiles().size());
        assertEquals("ssh://192.0.2.1", store.saved.profiles().get(1).target());
        assertEquals("edge", store.saved.selected());

        vm.deleteProfile();
        assertEquals(List.of(Profile.DEMO), store.saved.profiles());
        assertEquals(Profile.DEMO, vm.selectedProperty().get());
    }

    @Test
    void aFailedConnectionSaysWhyAndLeavesNoBox() {
        vm.loadProfiles();
        connector.outcomes.add(new BoxException("SSH login to ssh://fw1 refused: no accepted key"));
        vm.connect();
        assertEquals(ConnectionViewModel.State.FAILED, vm.stateProperty().get());
        assertNull(vm.boxProperty().get());
        assertEquals("Could not connect to Demo box: SSH login to ssh://fw1 refused: no accepted key", vm.messageProperty().get());
    }

    @Test
    void anUnknownHostKeyIsPutToTheUserAndTrustedOnlyOnYes() {
        store.saved = new ProfileStore.Saved(List.of(new Profile("fw1", Profile.Kind.SSH, "", "fw1", "", 0, "", "", 115200)), "fw1");
        vm.loadProfiles();
        String refusal = "refusing ssh://fw1: its host key is not in known_hosts (offered ssh-ed25519 SHA256:abc)";
        connector.outcomes.add(new Connector.HostKeyException(Connector.HostKeyException.Problem.UNKNOWN, refusal, null));
        dialogs.confirmAnswers.add(false);
        vm.connect();
        assertEquals(1, dialogs.questions.size());
        assertTrue(dialogs.questions.get(0).startsWith("Unknown host fw1: " + refusal), dialogs.questions.get(0));
        assertEquals(ConnectionViewModel.State.FAILED, vm.stateProperty().get());
        assertEquals(List.of("fw1 NONE"), connector.calls, "no retry after a no");

        FakeBox box = new FakeBox();
        connector.outcomes.add(new Connector.HostKeyException(Connector.HostKeyException.Problem.UNKNOWN, refusal, null));
        connector.outcomes.add(box);
        dialogs.confirmAnswers.add(true);
        vm.connect();
        assertEquals(List.of("fw1 NONE", "fw1 NONE", "fw1 RECORD_NEW_KEY"), connector.calls);
        assertSame(box, vm.boxProperty().get());
    }

    @Test
    void aChangedHostKeyIsReplacedOnlyWhenTheUserSaysSo() {
        store.saved = new ProfileStore.Saved(List.of(new Profile("fw1", Profile.Kind.SSH, "", "fw1", "", 0, "", "", 115200)), "fw1");
        vm.loadProfiles();
        connector.outcomes.add(new Connector.HostKeyException(Connector.HostKeyException.Problem.CHANGED, "refusing: NOT the one recorded", null));
        connector.outcomes.add(new FakeBox());
        dialogs.confirmAnswers.add(true);
        vm.connect();
        assertTrue(dialogs.questions.get(0).startsWith("The host key of fw1 has CHANGED"), dialogs.questions.get(0));
        assertEquals(List.of("fw1 NONE", "fw1 REPLACE_CHANGED_KEY"), connector.calls);
        assertEquals(ConnectionViewModel.State.CONNECTED, vm.stateProperty().get());
    }

    @Test
    void aCancelledAttemptClosesWhatItOpenedWhenItReturns() {
        FakeBox box = new FakeBox();
        ConnectionViewModel[] self = new ConnectionViewModel[1];
        boolean[] sawCancel = {false};
        // The user presses Cancel while the connector is still at work; it then returns a box anyway.
        Connector slow = (p, trust, progress, cancelled) -> {
            self[0].cancel();
            sawCancel[0] = cancelled.getAsBoolean();
            return box;
        };
        ConnectionViewModel v = new ConnectionViewModel(tasks, dialogs, store, slow);
        self[0] = v;
        v.loadProfiles();
        v.connect();
        assertTrue(sawCancel[0], "the connector sees the cancel");
        assertEquals(ConnectionViewModel.State.DISCONNECTED, v.stateProperty().get());
        assertNull(v.boxProperty().get());
        assertTrue(box.closed, "the late connection was closed");
        assertEquals("Connecting was cancelled", v.messageProperty().get());
    }

    @Test
    void aLostLinkDropsTheBox() {
        vm.loadProfiles();
        FakeBox box = new FakeBox();
        connector.outcomes.add(box);
        vm.connect();
        vm.lost(box, new BoxException("the box closed the connection"));
        assertNull(vm.boxProperty().get());
        assertEquals(ConnectionViewModel.State.FAILED, vm.stateProperty().get());
        assertEquals("Lost the connection to fake box: the box closed the connection", vm.messageProperty().get());
        assertTrue(box.closed);
    }
}
