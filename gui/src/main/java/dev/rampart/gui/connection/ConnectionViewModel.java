// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.connection;

import dev.rampart.gui.service.Dialogs;
import dev.rampart.gui.service.TaskRunner;
import dev.rampart.link.BoxException;
import dev.rampart.link.BoxStatus;
import dev.rampart.link.SshPrompts;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Saved box profiles, the form that edits one, and the connection to the selected box: connect
 * with progress and cancel, host key questions, clear errors, disconnect. The connected box is
 * what the deploy and log view-models work on.
 */
public final class ConnectionViewModel {
    public enum State { DISCONNECTED, CONNECTING, CONNECTED, FAILED }

    private final TaskRunner tasks;
    private final Dialogs dialogs;
    private final ProfileStore store;
    private final Connector connector;

    private final ObservableList<Profile> profiles = FXCollections.observableArrayList();
    private final ObjectProperty<Profile> selected = new SimpleObjectProperty<>(this, "selected");
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.DISCONNECTED);
    private final ReadOnlyObjectWrapper<Box> box = new ReadOnlyObjectWrapper<>(this, "box");
    private final ReadOnlyObjectWrapper<Profile> connectedProfile = new ReadOnlyObjectWrapper<>(this, "connectedProfile");
    private final ReadOnlyObjectWrapper<BoxStatus> boxStatus = new ReadOnlyObjectWrapper<>(this, "boxStatus");
    private final StringProperty message = new SimpleStringProperty(this, "message", "Not connected");

    // The form: text as typed, checked when saved.
    private final StringProperty name = new SimpleStringProperty(this, "name", "");
    private final ObjectProperty<Profile.Kind> kind = new SimpleObjectProperty<>(this, "kind", Profile.Kind.SSH);
    private final StringProperty socket = new SimpleStringProperty(this, "socket", "");
    private final StringProperty host = new SimpleStringProperty(this, "host", "");
    private final StringProperty user = new SimpleStringProperty(this, "user", "");
    private final StringProperty port = new SimpleStringProperty(this, "port", "");
    private final StringProperty keyFile = new SimpleStringProperty(this, "keyFile", "");
    private final StringProperty device = new SimpleStringProperty(this, "device", "");
    private final StringProperty baud = new SimpleStringProperty(this, "baud", "115200");
    private final StringProperty formProblem = new SimpleStringProperty(this, "formProblem", "");
    /** Counts connection attempts; a late answer to an attempt the user cancelled or replaced is dropped. */
    private final IntegerProperty attempt = new SimpleIntegerProperty(this, "attempt");
    private AtomicBoolean cancel = new AtomicBoolean();

    public ConnectionViewModel(TaskRunner tasks, Dialogs dialogs, ProfileStore store, Connector connector) {
        this.tasks = tasks;
        this.dialogs = dialogs;
        this.store = store;
        this.connector = connector;
        selected.addListener((o, was, now) -> fillForm(now));
    }

    public ObservableList<Profile> profiles() { return profiles; }
    public ObjectProperty<Profile> selectedProperty() { return selected; }
    public ReadOnlyObjectProperty<State> stateProperty() { return state.getReadOnlyProperty(); }
    /** The connected box, null when there is none. */
    public ReadOnlyObjectProperty<Box> boxProperty() { return box.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<Profile> connectedProfileProperty() { return connectedProfile.getReadOnlyProperty(); }
    /** The box's status as of connecting (refreshed by the deploy view-model's polling through {@link #statusSeen}). */
    public ReadOnlyObjectProperty<BoxStatus> boxStatusProperty() { return boxStatus.getReadOnlyProperty(); }
    public StringProperty messageProperty() { return message; }
    public StringProperty nameProperty() { return name; }
    public ObjectProperty<Profile.Kind> kindProperty() { return kind; }
    public StringProperty socketProperty() { return socket; }
    public StringProperty hostProperty() { return host; }
    public StringProperty userProperty() { return user; }
    public StringProperty portProperty() { return port; }
    public StringProperty keyFileProperty() { return keyFile; }
    public StringProperty deviceProperty() { return device; }
    public StringProperty baudProperty() { return baud; }
    public StringProperty formProblemProperty() { return formProblem; }

    public BooleanBinding connectingBinding() { return Bindings.equal(state, State.CONNECTING); }
    public BooleanBinding connectedBinding() { return Bindings.equal(state, State.CONNECTED); }

    // ---- profiles ---------------------------------------------------------------------------

    /** Reads the saved profiles; on first start that is the demo box alone, selected. */
    public void loadProfiles() {
        ProfileStore.Saved saved;
        try {
            saved = store.load();
        } catch (Exception e) {
            dialogs.showError("Could not read the saved box profiles", e.getMessage() + "\nStarting with the demo box only.");
            saved = ProfileStore.Saved.FIRST_START;
        }
        profiles.setAll(saved.profiles());
        String want = saved.selected();
        Profile sel = profiles.stream().filter(p -> p.name().equals(want)).findFirst()
                .orElse(profiles.isEmpty() ? null : profiles.get(0));
        selected.set(sel);
    }

    /** Connects at start when the selected profile is the demo box: nothing to ask, nothing to risk. */
    public void connectIfDemo() {
        Profile p = selected.get();
        if (p != null && p.kind() == Profile.Kind.DEMO) connect();
    }

    private void fillForm(Profile p) {
        formProblem.set("");
        if (p == null) return;
        name.set(p.name());
        kind.set(p.kind());
        socket.set(p.socket());
        host.set(p.host());
        user.set(p.user());
        port.set(p.port() == 0 ? "" : String.valueOf(p.port()));
        keyFile.set(p.keyFile());
        device.set(p.device());
        baud.set(String.valueOf(p.baud()));
    }

    /** A new, unsaved profile in the form. */
    public void newProfile(Profile.Kind k) {
        String base = k == Profile.Kind.SSH ? "New SSH box" : k == Profile.Kind.SERIAL ? "New serial box" : "New box";
        String n = base;
        for (int i = 2; find(n) != null; i++) n = base + " " + i;
        selected.set(null);
        fillForm(Profile.blank(n, k));
    }

    private Profile find(String n) {
        return profiles.stream().filter(p -> p.key().equals(n.strip().toLowerCase(java.util.Locale.ROOT))).findFirst().orElse(null);
    }

    /** The form as a profile; sets {@link #formProblemProperty} and returns null when a field is wrong. */
    Profile formProfile() {
        Integer p = number("Port", port.get(), 0), b = number("Baud", baud.get(), 115200);
        if (p == null || b == null) return null;
        Profile pr = new Profile(name.get(), kind.get(), socket.get(), host.get(), user.get(), p, keyFile.get(), device.get(), b);
        String problem = pr.problem();
        formProblem.set(problem == null ? "" : problem);
        return problem == null ? pr : null;
    }

    private Integer number(String field, String text, int empty) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) return empty;
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            formProblem.set(field + ": '" + t + "' is not a number");
            return null;
        }
    }

    /** Saves the form: replaces the selected profile (or adds a new one) and writes the list. */
    public boolean saveProfile() {
        Profile p = formProfile();
        if (p == null) return false;
        Profile old = selected.get();
        Profile clash = find(p.name());
        if (clash != null && clash != old) {
            formProblem.set("Name: there is already a profile called '" + clash.name() + "'");
            return false;
        }
        int at = old == null ? -1 : profiles.indexOf(old);
        if (at >= 0) profiles.set(at, p);
        else profiles.add(p);
        selected.set(p);
        persist();
        return true;
    }

    public void deleteProfile() {
        Profile p = selected.get();
        if (p == null) return;
        int at = profiles.indexOf(p);
        profiles.remove(p);
        selected.set(profiles.isEmpty() ? null : profiles.get(Math.max(0, at - 1)));
        persist();
    }

    private void persist() {
        List<Profile> snapshot = new ArrayList<>(profiles);
        String sel = selected.get() == null ? null : selected.get().name();
        tasks.submit(() -> {
            store.save(new ProfileStore.Saved(snapshot, sel));
            return null;
        }, ok -> { }, err -> dialogs.showError("Could not save the box profiles", String.valueOf(err.getMessage())));
    }

    // ---- connecting -------------------------------------------------------------------------

    /** Connects to the selected profile (saving the form first when it was edited), after closing any current box. */
    public void connect() {
        Profile p = selected.get();
        Profile form = formProfile();
        if (form == null) {
            message.set("Cannot connect: " + formProblem.get());
            state.set(State.FAILED);
            return;
        }
        if (p == null || !p.equals(form)) {
            if (!saveProfile()) return;
            p = selected.get();
        } else {
            persist(); // remembers the selection for the next start
        }
        disconnect();
        attemptConnect(p, Connector.Trust.NONE);
    }

    private void attemptConnect(Profile p, Connector.Trust trust) {
        int mine = attempt.get() + 1;
        attempt.set(mine);
        AtomicBoolean cancelled = new AtomicBoolean();
        cancel = cancelled;
        state.set(State.CONNECTING);
        message.set("Connecting to " + p.describe() + "...");
        tasks.submit(() -> {
            // One set of answers per attempt: its reconnects reuse them, the next Connect asks again.
            SshPrompts prompts = SshPrompts.remembering(new DialogPrompts(tasks, dialogs, cancelled::get));
            Box b = connector.connect(p, trust, prompts, step -> tasks.post(() -> {
                if (attempt.get() == mine) message.set(step);
            }), cancelled::get);
            try {
                return new Connected(b, b.status());
            } catch (BoxException e) {
                b.close();
                throw e;
            }
        }, c -> {
            if (attempt.get() != mine || cancelled.get()) {
                tasks.submit(() -> { c.box.close(); return null; }, x -> { }, x -> { });
                return;
            }
            box.set(c.box);
            connectedProfile.set(p);
            boxStatus.set(c.status);
            state.set(State.CONNECTED);
            message.set("Connected to " + c.box.describe() + ": " + c.status.agentVersion() + ", backend "
                    + c.status.backend() + ", " + describeTable(c.status));
        }, err -> {
            if (attempt.get() != mine) return;
            if (cancelled.get()) {
                state.set(State.DISCONNECTED);
                message.set("Connecting to " + p.name() + " was cancelled");
                return;
            }
            if (err instanceof Connector.HostKeyException hk && trust == Connector.Trust.NONE) {
                boolean changed = hk.problem() == Connector.HostKeyException.Problem.CHANGED;
                boolean yes = changed
                        ? dialogs.confirm("The host key of " + p.host() + " has CHANGED",
                                hk.getMessage() + "\n\nOnly replace the recorded key if you know the box was reinstalled "
                                        + "or its key was changed on purpose.", "Replace the recorded key")
                        : dialogs.confirm("Unknown host " + p.host(),
                                hk.getMessage() + "\n\nTrust this key and record it in known_hosts?", "Trust this key");
                if (yes) {
                    attemptConnect(p, changed ? Connector.Trust.REPLACE_CHANGED_KEY : Connector.Trust.RECORD_NEW_KEY);
                    return;
                }
                state.set(State.FAILED);
                message.set("Not connected: the host key of " + p.host() + " was not accepted");
                return;
            }
            state.set(State.FAILED);
            message.set("Could not connect to " + p.name() + ": " + err.getMessage());
        });
    }

    private record Connected(Box box, BoxStatus status) {}

    static String describeTable(BoxStatus s) {
        return switch (s.state()) {
            case NONE -> "no policy loaded yet";
            case CONFIRMED -> s.rules() + " rules running (generation " + Long.toHexString(s.runningGeneration()) + ")";
            case AWAITING_CONFIRM -> s.rules() + " rules on probation, reverting in " + s.confirmSecondsLeft() + " s unless confirmed";
        };
    }

    /** Stops a connection attempt; whatever it opened is closed when it returns. */
    public void cancel() {
        if (state.get() != State.CONNECTING) return;
        cancel.set(true);
        attempt.set(attempt.get() + 1);
        state.set(State.DISCONNECTED);
        message.set("Connecting was cancelled");
    }

    public void disconnect() {
        Box b = box.get();
        if (b == null) return;
        box.set(null);
        connectedProfile.set(null);
        boxStatus.set(null);
        state.set(State.DISCONNECTED);
        message.set("Disconnected from " + b.describe());
        tasks.submit(() -> { b.close(); return null; }, x -> { }, x -> { });
    }

    /** Another view-model's request failed because the path is gone: show it and drop the box. */
    public void lost(Box which, Throwable why) {
        if (box.get() != which || which == null) return;
        disconnect();
        state.set(State.FAILED);
        message.set("Lost the connection to " + which.describe() + ": " + why.getMessage());
    }

    /** A fresher status seen by someone polling the box. */
    public void statusSeen(Box which, BoxStatus s) {
        if (box.get() == which && which != null) boxStatus.set(s);
    }

    /** Closes the box and anything the connector started; called when the app ends. */
    public void shutdown() {
        Box b = box.get();
        if (b != null) b.close();
        connector.shutdown();
    }
}
