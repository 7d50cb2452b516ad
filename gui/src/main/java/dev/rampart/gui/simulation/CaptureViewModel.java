// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.simulation;

import dev.rampart.dsl.capture.TraceOptions;
import dev.rampart.dsl.capture.TraceResult;
import dev.rampart.dsl.capture.TraceResult.Hits;
import dev.rampart.dsl.capture.TracedPacket;
import dev.rampart.dsl.eval.Evaluation;
import dev.rampart.dsl.eval.ReferenceEvaluator;
import dev.rampart.dsl.ir.Hook;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.ir.Verdict;
import dev.rampart.dsl.test.PolicyTests;
import dev.rampart.gui.editor.PolicyAnalysis;
import dev.rampart.gui.editor.RuleRef;
import dev.rampart.gui.service.Dialogs;
import dev.rampart.gui.service.TaskRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableObjectValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * A capture (pcap or pcapng) run through one chain of the policy being edited, as
 * {@code rampart trace} runs it: the per-rule hit summary, the packets each row decided, and for a
 * selected packet why, with its deciding rule pointed out in the editor. The trace runs on its own
 * worker with progress and cancel, and again (after a pause) whenever the policy, the chain or the
 * interfaces change; a run that has been overtaken is cancelled and its answer dropped.
 */
public final class CaptureViewModel {
    /** Edits arrive as analyses every typing pause; tracing a large file after each would queue up runs. */
    static final Duration RERUN_PAUSE = Duration.ofMillis(400);

    /** A summary line: a rule, the chain's policy, or the frames that never reached the chain. */
    public record HitRow(Kind kind, String rule, String action, long packets, long bytes, List<CaptureTrace.Seen> listed) {
        public enum Kind { RULE, POLICY, NOT_EVALUATED }

        public String label() {
            return switch (kind) {
                case RULE -> rule;
                case POLICY -> "(chain policy)";
                case NOT_EVALUATED -> "(not evaluated)";
            };
        }
    }

    /**
     * A listed packet as the table shows it. Its texts are made when asked for: a table asks for
     * the rows on screen, and making 50,000 of them at once would hold the UI thread for a second.
     */
    public static final class PacketRow {
        private final CaptureTrace.Seen seen;
        private final long firstNanos;

        PacketRow(CaptureTrace.Seen seen, long firstNanos) {
            this.seen = seen;
            this.firstNanos = firstNanos;
        }

        public CaptureTrace.Seen seen() { return seen; }

        public long frame() { return seen.frame(); }

        /** Seconds since the capture's first frame. */
        public String time() { return String.format(Locale.ROOT, "%.6f", (seen.timestampNanos() - firstNanos) / 1e9); }

        public String packet() { return seen.packet() == null ? "" : seen.packet().describe(); }

        /** The verdict, or for a frame that never reached the chain what became of it. */
        public String verdict() {
            return seen.kind() == TracedPacket.Kind.EVALUATED ? seen.verdict().keyword()
                    : seen.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }

        public String why() {
            if (seen.kind() != TracedPacket.Kind.EVALUATED) return seen.reason() == null ? "" : seen.reason();
            String by = seen.rule() == null ? "no rule matched: the chain's policy" : "matched rule " + seen.rule();
            if (seen.fragments() > 0) by += "; reassembled from " + seen.fragments() + " fragments";
            if (seen.reason() != null) by += "; " + seen.reason();
            return by;
        }

        @Override public String toString() { return "#" + frame() + " " + verdict() + " " + packet() + " (" + why() + ")"; }
    }

    private final TaskRunner tasks;
    private final Dialogs dialogs;
    private final ObservableObjectValue<PolicyAnalysis> analysis;
    private final Consumer<RuleRef> highlight;

    private final ObjectProperty<Path> capture = new SimpleObjectProperty<>(this, "capture");
    private final StringProperty hook = new SimpleStringProperty(this, "hook", "forward");
    private final StringProperty inIf = new SimpleStringProperty(this, "inIf", "");
    private final StringProperty outIf = new SimpleStringProperty(this, "outIf", "");
    private final BooleanProperty running = new SimpleBooleanProperty(this, "running");
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress");
    private final StringProperty summary = new SimpleStringProperty(this, "summary", "No capture open");
    private final StringProperty error = new SimpleStringProperty(this, "error", "");
    private final ObservableList<HitRow> rows = FXCollections.observableArrayList();
    private final ObjectProperty<HitRow> selectedRow = new SimpleObjectProperty<>(this, "selectedRow");
    private final ObservableList<PacketRow> packets = FXCollections.observableArrayList();
    private final StringProperty packetsNote = new SimpleStringProperty(this, "packetsNote", "");
    private final ObjectProperty<PacketRow> selectedPacket = new SimpleObjectProperty<>(this, "selectedPacket");
    private final StringProperty why = new SimpleStringProperty(this, "why", "");

    private CaptureTrace.Outcome outcome;
    /** Counts runs: only the newest one's answer is shown. */
    private long generation;
    private AtomicBoolean cancelRun = new AtomicBoolean();
    private TaskRunner.Cancellable pendingRerun;

    /**
     * @param tasks     a runner of its own: a long trace must not hold up the editor's compiles
     * @param highlight shows a rule in both editor views (null clears)
     */
    public CaptureViewModel(TaskRunner tasks, Dialogs dialogs, ObservableObjectValue<PolicyAnalysis> analysis,
                            Consumer<RuleRef> highlight) {
        this.tasks = tasks;
        this.dialogs = dialogs;
        this.analysis = analysis;
        this.highlight = highlight;
        analysis.addListener((o, was, now) -> rerunSoon());
        hook.addListener((o, was, now) -> rerunSoon());
        inIf.addListener((o, was, now) -> rerunSoon());
        outIf.addListener((o, was, now) -> rerunSoon());
        selectedRow.addListener((o, was, now) -> showRow(now));
        selectedPacket.addListener((o, was, now) -> showPacket(now));
    }

    public ObjectProperty<Path> captureProperty() { return capture; }
    /** input, forward or output. */
    public StringProperty hookProperty() { return hook; }
    /** The input interface for packets whose capture names none (the CLI's --in). */
    public StringProperty inIfProperty() { return inIf; }
    /** The output interface for packets whose capture names none (the CLI's --out). */
    public StringProperty outIfProperty() { return outIf; }
    public ReadOnlyBooleanProperty runningProperty() { return running; }
    /** 0..1 of the file read. */
    public ReadOnlyDoubleProperty progressProperty() { return progress; }
    public ReadOnlyStringProperty summaryProperty() { return summary; }
    public ReadOnlyStringProperty errorProperty() { return error; }
    public ObservableList<HitRow> rows() { return rows; }
    public ObjectProperty<HitRow> selectedRowProperty() { return selectedRow; }
    public ObservableList<PacketRow> packets() { return packets; }
    public ReadOnlyStringProperty packetsNoteProperty() { return packetsNote; }
    public ObjectProperty<PacketRow> selectedPacketProperty() { return selectedPacket; }
    public ReadOnlyStringProperty whyProperty() { return why; }

    /** Asks for a capture file and traces it. */
    public void openCapture() {
        Path dir = capture.get() != null ? capture.get().toAbsolutePath().getParent() : null;
        dialogs.chooseCaptureToOpen(dir).ifPresent(this::open);
    }

    /** Traces {@code file} now. */
    public void open(Path file) {
        capture.set(file);
        run();
    }

    /** Stops the running trace (its partial counts are not shown: they would pass for a whole file's). */
    public void cancel() {
        if (!running.get()) return;
        cancelRun.set(true);
        generation++;
        running.set(false);
        progress.set(0);
        summary.set("Tracing " + capture.get().getFileName() + " was cancelled");
    }

    private void rerunSoon() {
        if (capture.get() == null) return;
        if (pendingRerun != null) pendingRerun.cancel();
        pendingRerun = tasks.schedule(RERUN_PAUSE, () -> {
            pendingRerun = null;
            run();
        });
    }

    /** Traces the open capture against the latest analysis, replacing any run in progress. */
    public void run() {
        Path file = capture.get();
        if (file == null) return;
        cancelRun.set(true);
        long mine = ++generation;
        // After an edit the same row is shown again, so a rule being tuned stays in view.
        HitRow was = selectedRow.get();
        clearResults();
        PolicyAnalysis a = analysis.get();
        Hook h = Hook.byKeyword(hook.get());
        if (a == null) {
            summary.set("The policy is still being compiled");
            return;
        }
        if (!a.compiled().ok()) {
            summary.set("Not traced: the policy has errors; it is traced again once they are fixed");
            return;
        }
        if (h == null) {
            error.set("Chain: choose input, forward or output");
            return;
        }
        Optional<IrChain> chain = a.compiled().ir().chain(h);
        if (chain.isEmpty()) {
            error.set("The policy has no " + h.keyword() + " chain: choose another one");
            return;
        }
        TraceOptions opts = TraceOptions.defaults().withInterfaces(inIf.get().strip(), outIf.get().strip());
        AtomicBoolean cancelled = new AtomicBoolean();
        cancelRun = cancelled;
        running.set(true);
        progress.set(0);
        summary.set("Tracing " + file.getFileName() + "...");
        long[] lastPost = {0};
        tasks.submit(() -> CaptureTrace.run(file, chain.get(), opts, cancelled::get, (done, size) -> {
            // About a hundred updates over the file, not one per 64 KiB read of a large one.
            long step = Math.max(1, size / 100);
            if (done - lastPost[0] < step && done < size) return;
            lastPost[0] = done;
            double f = size == 0 ? 1 : (double) done / size;
            tasks.post(() -> {
                if (generation == mine) progress.set(f);
            });
        }), o -> {
            if (generation != mine) return;
            running.set(false);
            progress.set(1);
            show(o);
            if (was != null) rows.stream().filter(r -> r.kind() == was.kind() && java.util.Objects.equals(r.rule(), was.rule()))
                    .findFirst().ifPresent(selectedRow::set);
        }, err -> {
            if (generation != mine) return;
            running.set(false);
            progress.set(0);
            if (err instanceof CancellationException) {
                summary.set("Tracing " + file.getFileName() + " was cancelled");
                return;
            }
            summary.set("No results");
            error.set("Cannot read " + file + ": " + (err instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : err.getMessage()));
        });
    }

    private void clearResults() {
        outcome = null;
        rows.clear();
        selectedRow.set(null);
        packets.clear();
        packetsNote.set("");
        why.set("");
        error.set("");
        progress.set(0);
        running.set(false);
    }

    private void show(CaptureTrace.Outcome o) {
        outcome = o;
        TraceResult r = o.result();
        List<HitRow> list = new ArrayList<>();
        for (IrRule rule : o.chain().rules()) {
            Hits h = r.ruleHits().getOrDefault(rule.id(), new Hits(0, 0));
            list.add(new HitRow(HitRow.Kind.RULE, rule.id(), rule.verdict().keyword(), h.packets(), h.bytes(),
                    o.byRule().getOrDefault(rule.id(), List.of())));
        }
        list.add(new HitRow(HitRow.Kind.POLICY, null, o.chain().policy().keyword(), r.policyHits().packets(),
                r.policyHits().bytes(), o.byPolicy()));
        if (o.notEvaluatedCount() > 0)
            list.add(new HitRow(HitRow.Kind.NOT_EVALUATED, null, "", o.notEvaluatedCount(), 0, o.notEvaluated()));
        rows.setAll(list);
        StringBuilder s = new StringBuilder(o.capture().getFileName() + " (" + r.format() + "): " + r.frames() + " frames, "
                + r.evaluated() + " packets evaluated on " + o.chain().hook().keyword() + ";");
        for (Verdict v : Verdict.values()) s.append(' ').append(v.keyword()).append(' ').append(r.verdicts().getOrDefault(v, 0L));
        if (r.reassembled() > 0) s.append("; ").append(r.reassembled()).append(" datagrams reassembled from fragments");
        long never = list.stream().filter(x -> x.kind() == HitRow.Kind.RULE && x.packets() == 0).count();
        if (never > 0) s.append("; ").append(never).append(never == 1 ? " rule never hit" : " rules never hit");
        for (String w : r.warnings()) s.append("\nnote: ").append(w);
        summary.set(s.toString());
        r.error().ifPresent(e -> error.set(o.capture().getFileName() + " is damaged at " + e.describe()
                + "; the results cover the " + r.frames() + " frames before it"));
    }

    private void showRow(HitRow row) {
        packets.clear();
        packetsNote.set("");
        why.set("");
        if (row == null || outcome == null) return;
        long first = outcome.firstNanos();
        List<PacketRow> list = new ArrayList<>(row.listed().size());
        for (CaptureTrace.Seen s : row.listed()) list.add(new PacketRow(s, first));
        packets.setAll(list);
        packetsNote.set(row.packets() == 0 ? "No packet reached " + describe(row)
                : row.listed().size() < row.packets()
                ? "The first " + row.listed().size() + " of " + row.packets() + " packets of " + describe(row)
                : row.packets() + (row.packets() == 1 ? " packet of " : " packets of ") + describe(row));
        if (row.kind() == HitRow.Kind.RULE) highlight.accept(ref(row.rule()));
    }

    private static String describe(HitRow row) {
        return switch (row.kind()) {
            case RULE -> "rule " + row.rule();
            case POLICY -> "the chain's policy (no rule matched)";
            case NOT_EVALUATED -> "the frames that never reached the chain";
        };
    }

    private void showPacket(PacketRow p) {
        why.set("");
        if (p == null || outcome == null) return;
        CaptureTrace.Seen s = p.seen();
        if (s.kind() != TracedPacket.Kind.EVALUATED) {
            why.set("frame " + s.frame() + ": " + p.verdict() + ": " + p.why());
            return;
        }
        // The per-rule reasons are not kept per packet (they would cost far more memory than the
        // packet); the evaluation is repeated for the one selected, with the state it had.
        Evaluation e = ReferenceEvaluator.evaluate(outcome.chain(), s.packet(), outcome.options().sets());
        StringBuilder sb = new StringBuilder("frame ").append(s.frame()).append(": ").append(e.verdict().keyword())
                .append(e.byPolicy() ? " by the chain's policy (no rule matched)" : " by rule " + e.rule().id()).append('\n');
        if (s.reason() != null) sb.append("  note: ").append(s.reason()).append('\n');
        sb.append(PolicyTests.trace(e, s.packet()));
        why.set(sb.toString());
        highlight.accept(e.byPolicy() ? null : ref(e.rule().id()));
    }

    /** The rule in the text as it is now (the policy may have been edited since the run). */
    private RuleRef ref(String id) {
        PolicyAnalysis a = analysis.get();
        Hook h = outcome == null ? null : outcome.chain().hook();
        if (a == null || h == null || !a.compiled().ok()) return null;
        return a.compiled().ir().chain(h).flatMap(c -> c.rules().stream().filter(r -> r.id().equals(id)).findFirst())
                // A rule from an included file has no place in this text.
                .filter(r -> r.span().file() == a.source())
                .map(r -> new RuleRef(h.keyword(), r.id(), r.span().start(), r.span().end())).orElse(null);
    }
}
