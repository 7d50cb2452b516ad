// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.deploy;

import dev.rampart.dsl.ir.IrPolicy;
import dev.rampart.dsl.table.TableCompiler;
import dev.rampart.gui.connection.Box;
import dev.rampart.gui.connection.ConnectionViewModel;
import dev.rampart.gui.connection.Profile;
import dev.rampart.gui.editor.PolicyAnalysis;
import dev.rampart.gui.service.TaskRunner;
import dev.rampart.link.BoxException;
import dev.rampart.link.BoxStatus;
import dev.rampart.link.Counters;
import dev.rampart.link.LinkLostException;
import dev.rampart.link.LoadResult;
import dev.rampart.link.LockoutCheck;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Deploying the edited policy to the connected box: the diff against what runs there, the lockout
 * check's verdict, a push that the box reverts by itself unless confirmed before a countdown ends,
 * rollback, and the running table's per-rule counters (polled while connected).
 */
public final class DeployViewModel {
    public enum Phase { NO_BOX, READY, PUSHING, AWAITING_CONFIRM, CONFIRMING, CONFIRMED, REVERTED, FAILED }

    static final Duration POLL = Duration.ofSeconds(2);
    static final Duration TICK = Duration.ofSeconds(1);

    private final TaskRunner tasks;
    private final ConnectionViewModel connection;
    private final ObservableValue<PolicyAnalysis> analysis;
    private final DeployedSources sources;

    private final ObjectProperty<Phase> phase = new SimpleObjectProperty<>(this, "phase", Phase.NO_BOX);
    private final ObservableList<PolicyDiff.Line> diff = FXCollections.observableArrayList();
    private final StringProperty diffSummary = new SimpleStringProperty(this, "diffSummary", "");
    private final StringProperty running = new SimpleStringProperty(this, "running", "");
    private final ObjectProperty<Boolean> lockoutSafe = new SimpleObjectProperty<>(this, "lockoutSafe");
    private final StringProperty lockout = new SimpleStringProperty(this, "lockout", "");
    private final BooleanProperty force = new SimpleBooleanProperty(this, "force");
    private final IntegerProperty confirmSeconds = new SimpleIntegerProperty(this, "confirmSeconds", 30);
    private final IntegerProperty secondsLeft = new SimpleIntegerProperty(this, "secondsLeft");
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", 0);
    private final StringProperty message = new SimpleStringProperty(this, "message", "Connect to a box to deploy.");
    private final ObjectProperty<Map<Long, Counters.RuleCounter>> hits = new SimpleObjectProperty<>(this, "hits");
    private final BooleanBinding canPush;

    private Box box;
    private BoxStatus lastStatus;
    private List<Long> runningIds = List.of();
    private long pendingGeneration;
    private String pendingSource;
    private AtomicBoolean cancelPush = new AtomicBoolean();
    private TaskRunner.Cancellable poll, tick;
    private boolean refreshing, refreshAgain;

    public DeployViewModel(TaskRunner tasks, ConnectionViewModel connection, ObservableValue<PolicyAnalysis> analysis,
                           DeployedSources sources) {
        this.tasks = tasks;
        this.connection = connection;
        this.analysis = analysis;
        this.sources = sources;
        canPush = Bindings.createBooleanBinding(() -> {
            Phase p = phase.get();
            PolicyAnalysis a = analysis.getValue();
            boolean idle = p == Phase.READY || p == Phase.CONFIRMED || p == Phase.REVERTED || p == Phase.FAILED;
            return idle && a != null && a.compiled().ok() && (Boolean.TRUE.equals(lockoutSafe.get()) || force.get());
        }, phase, analysis, lockoutSafe, force);
        connection.boxProperty().addListener((o, was, now) -> boxChanged(now));
        analysis.addListener((o, was, now) -> recompute());
        boxChanged(connection.boxProperty().get());
    }

    public ReadOnlyObjectProperty<Phase> phaseProperty() { return phase; }
    public ObservableList<PolicyDiff.Line> diff() { return diff; }
    public StringProperty diffSummaryProperty() { return diffSummary; }
    /** What runs on the box: generation, rules, confirmed or on probation. */
    public StringProperty runningProperty() { return running; }
    /** True: the candidate keeps the admin's access; false: it would cut it; null: not known yet. */
    public ObjectProperty<Boolean> lockoutSafeProperty() { return lockoutSafe; }
    public StringProperty lockoutProperty() { return lockout; }
    /** Deploy even though the lockout check objects (the box still reverts unless confirmed). */
    public BooleanProperty forceProperty() { return force; }
    public IntegerProperty confirmSecondsProperty() { return confirmSeconds; }
    public IntegerProperty secondsLeftProperty() { return secondsLeft; }
    /** Upload progress, 0..1. */
    public DoubleProperty progressProperty() { return progress; }
    public StringProperty messageProperty() { return message; }
    /** The running table's counters by numeric rule id; null when not connected. */
    public ObjectProperty<Map<Long, Counters.RuleCounter>> hitsProperty() { return hits; }
    public BooleanBinding canPushBinding() { return canPush; }

    // ---- following the box ------------------------------------------------------------------

    private void boxChanged(Box now) {
        stopTimers();
        box = now;
        refreshAgain = false;
        lastStatus = null;
        runningIds = List.of();
        hits.set(null);
        diff.clear();
        lockoutSafe.set(null);
        if (now == null) {
            phase.set(Phase.NO_BOX);
            running.set("");
            lockout.set("");
            diffSummary.set("");
            message.set("Connect to a box to deploy.");
            return;
        }
        phase.set(Phase.READY);
        message.set("");
        refresh();
        schedulePoll();
    }

    private void schedulePoll() {
        poll = tasks.schedule(POLL, () -> {
            if (box == null) return;
            refresh();
            schedulePoll();
        });
    }

    private void stopTimers() {
        if (poll != null) poll.cancel();
        if (tick != null) tick.cancel();
        poll = tick = null;
    }

    private record Seen(BoxStatus status, Counters counters) {}

    /** Fetches the box's status and counters, then recomputes the diff and the lockout verdict. */
    public void refresh() {
        Box b = box;
        if (b == null) return;
        if (refreshing) {
            // One at a time; a request made meanwhile (after a push, say) runs once the current one is back.
            refreshAgain = true;
            return;
        }
        refreshing = true;
        tasks.submit(() -> new Seen(b.status(), b.counters()), seen -> {
            refreshing = false;
            if (b != box) return;
            if (refreshAgain) {
                refreshAgain = false;
                refresh();
            }
            lastStatus = seen.status();
            connection.statusSeen(b, seen.status());
            Map<Long, Counters.RuleCounter> m = new HashMap<>();
            for (Counters.RuleCounter c : seen.counters().rules()) m.put(c.ruleId(), c);
            // Counters of an older table than the one now running would mislabel rules; wait for a matching pair.
            if (seen.counters().generation() == seen.status().runningGeneration()) {
                hits.set(Map.copyOf(m));
                runningIds = seen.counters().rules().stream().map(Counters.RuleCounter::ruleId).toList();
            }
            running.set(describe(seen.status()));
            if (phase.get() == Phase.AWAITING_CONFIRM && seen.status().state() != BoxStatus.TableState.AWAITING_CONFIRM
                    && seen.status().runningGeneration() != pendingGeneration) {
                reverted(seen.status());
            }
            recompute();
        }, err -> {
            refreshing = false;
            refreshAgain = false;
            failed(b, err);
        });
    }

    private static String describe(BoxStatus s) {
        String gen = "generation " + Long.toHexString(s.runningGeneration());
        return switch (s.state()) {
            case NONE -> "No policy on the box yet.";
            case CONFIRMED -> s.rules() + " rules running, " + gen + ", confirmed.";
            case AWAITING_CONFIRM -> s.rules() + " rules running, " + gen + ", awaiting confirmation (" + s.confirmSecondsLeft()
                    + " s left).";
        } + (s.lastEvent() == null || s.lastEvent().isEmpty() ? "" : " Last event: " + s.lastEvent() + ".");
    }

    private String profileName() {
        Profile p = connection.connectedProfileProperty().get();
        return p == null ? "" : p.name();
    }

    /** The diff and the lockout verdict for the current text and the last status seen (cheap; on the UI thread). */
    private void recompute() {
        PolicyAnalysis a = analysis.getValue();
        BoxStatus s = lastStatus;
        if (box == null || s == null) return;
        if (a == null || !a.compiled().ok()) {
            lockoutSafe.set(null);
            lockout.set("The policy has errors: fix them before deploying.");
            diff.clear();
            diffSummary.set("");
            return;
        }
        IrPolicy ir = a.compiled().ir();
        LockoutCheck.Report r = LockoutCheck.check(ir, s.peer(), List.of(), null);
        lockoutSafe.set(r.safe());
        StringBuilder sb = new StringBuilder(r.safe() ? "Safe: this policy keeps your access to the box ("
                + s.peer().describe() + ")." : "DANGER: this policy would lock you out:");
        for (LockoutCheck.Cut c : r.cuts()) sb.append("\n  - ").append(c.explain());
        for (String n : r.notes()) if (!n.startsWith("management traffic is assumed")) sb.append("\n  note: ").append(n);
        lockout.set(sb.toString());

        Optional<String> deployed = Optional.empty();
        if (pendingSource != null && s.runningGeneration() == pendingGeneration) {
            // On probation: the source just pushed, not yet kept (that happens at the confirm).
            deployed = Optional.of(pendingSource);
        } else if (s.state() != BoxStatus.TableState.NONE) {
            try {
                deployed = sources.source(profileName(), s.runningGeneration());
            } catch (java.io.IOException e) {
                deployed = Optional.empty();
            }
        }
        PolicyDiff.Result d;
        String basis;
        if (s.state() == BoxStatus.TableState.NONE) {
            d = PolicyDiff.ofRuleIds(List.of(), a.ast());
            basis = "The box runs no policy yet: every rule is new.";
        } else if (deployed.isPresent()) {
            d = PolicyDiff.ofSources(deployed.get(), a.ast());
            basis = "Compared with the source this app deployed as generation " + Long.toHexString(s.runningGeneration()) + ".";
        } else {
            d = PolicyDiff.ofRuleIds(runningIds, a.ast());
            basis = "This app did not deploy generation " + Long.toHexString(s.runningGeneration())
                    + ", so only rule names are compared: rules kept under the same name may still differ.";
        }
        diff.setAll(d.lines());
        diffSummary.set(basis + " " + d.count(PolicyDiff.Change.ADDED) + " added, " + d.count(PolicyDiff.Change.REMOVED)
                + " removed, " + d.count(PolicyDiff.Change.CHANGED) + " changed, " + d.count(PolicyDiff.Change.MOVED)
                + " moved, " + (d.count(PolicyDiff.Change.SAME) + d.count(PolicyDiff.Change.UNKNOWN)) + " kept."
                + (d.changesAnything() ? "" : " Nothing to deploy."));
    }

    private void failed(Box b, Throwable err) {
        if (b != box) return;
        if (err instanceof LinkLostException) {
            connection.lost(b, err);
            return;
        }
        phase.set(Phase.FAILED);
        message.set(err.getMessage());
    }

    // ---- push, confirm, rollback ------------------------------------------------------------

    private record Pushed(LoadResult result, String source) {}

    /** Compiles, uploads and swaps in the edited policy on probation; the countdown to confirm starts. */
    public void push() {
        Box b = box;
        PolicyAnalysis a = analysis.getValue();
        if (b == null || a == null || !canPush.get()) return;
        AtomicBoolean cancelled = new AtomicBoolean();
        cancelPush = cancelled;
        int seconds = Math.max(5, confirmSeconds.get());
        phase.set(Phase.PUSHING);
        progress.set(0);
        message.set("Compiling and uploading...");
        IrPolicy ir = a.compiled().ir();
        String source = a.text();
        tasks.submit(() -> {
            byte[] table = TableCompiler.compile(ir);
            LoadResult r = b.load(table, seconds, (sent, total) -> tasks.post(() ->
                    progress.set(total == 0 ? 1 : (double) sent / total)), cancelled::get);
            return new Pushed(r, source);
        }, p -> {
            if (b != box) return;
            pendingGeneration = p.result().generation();
            pendingSource = p.source();
            progress.set(1);
            phase.set(Phase.AWAITING_CONFIRM);
            secondsLeft.set(p.result().confirmSeconds());
            message.set("Generation " + Long.toHexString(pendingGeneration) + " (" + p.result().rules()
                    + " rules) is running on probation. Confirm within " + p.result().confirmSeconds()
                    + " s, or the box goes back to the previous policy by itself.");
            scheduleTick();
            refresh();
        }, err -> {
            if (b != box) return;
            if (err instanceof LinkLostException) {
                connection.lost(b, err);
                return;
            }
            phase.set(Phase.FAILED);
            message.set("Not deployed: " + err.getMessage());
        });
    }

    /** Stops an upload in progress; the box keeps its current table. */
    public void cancelPush() {
        if (phase.get() == Phase.PUSHING) cancelPush.set(true);
    }

    private void scheduleTick() {
        tick = tasks.schedule(TICK, () -> {
            if (phase.get() != Phase.AWAITING_CONFIRM) return;
            secondsLeft.set(Math.max(0, secondsLeft.get() - 1));
            if (secondsLeft.get() == 0) refresh();
            scheduleTick();
        });
    }

    private void reverted(BoxStatus s) {
        if (tick != null) tick.cancel();
        phase.set(Phase.REVERTED);
        message.set("Not confirmed in time: the box went back to " + (s.state() == BoxStatus.TableState.NONE
                ? "running no policy" : "generation " + Long.toHexString(s.runningGeneration())) + " by itself.");
    }

    /** Reconnects (proving the new policy still lets this app in) and confirms the table on probation. */
    public void confirm() {
        Box b = box;
        if (b == null || phase.get() != Phase.AWAITING_CONFIRM) return;
        long gen = pendingGeneration;
        String source = pendingSource;
        String profile = profileName();
        phase.set(Phase.CONFIRMING);
        message.set("Reconnecting and confirming...");
        tasks.submit(() -> {
            b.reconnectAndConfirm(gen);
            // After the confirm: a failure to keep the source only costs the precise diff later.
            try {
                sources.record(profile, gen, source);
            } catch (java.io.IOException e) {
                return "Confirmed, but the deployed source could not be kept for later diffs: " + e.getMessage();
            }
            return null;
        }, warning -> {
            if (b != box) return;
            if (tick != null) tick.cancel();
            phase.set(Phase.CONFIRMED);
            message.set(warning != null ? warning : "Confirmed: generation " + Long.toHexString(gen) + " stays.");
            refresh();
        }, err -> {
            if (b != box) return;
            // The box decides: if the confirm did not arrive it still reverts at the deadline.
            phase.set(Phase.AWAITING_CONFIRM);
            message.set("Could not confirm: " + err.getMessage() + ". The box reverts by itself at the deadline.");
        });
    }

    /** Goes back to the previous confirmed policy: at once while one awaits confirmation, or after a confirm. */
    public void rollback() {
        Box b = box;
        if (b == null || phase.get() == Phase.PUSHING || phase.get() == Phase.CONFIRMING) return;
        message.set("Rolling back...");
        tasks.submit(b::rollback, gen -> {
            if (b != box) return;
            if (tick != null) tick.cancel();
            phase.set(Phase.READY);
            message.set("Rolled back: generation " + Long.toHexString(gen) + " is running.");
            refresh();
        }, err -> failed(b, err instanceof LinkLostException ? err : new BoxException("Rollback refused: " + err.getMessage())));
    }
}
