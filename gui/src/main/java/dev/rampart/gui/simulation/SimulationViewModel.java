// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.simulation;

import dev.rampart.dsl.Pipeline.Compiled;
import dev.rampart.dsl.ast.Decl;
import dev.rampart.dsl.ast.PacketSpec;
import dev.rampart.dsl.fmt.Formatter;
import dev.rampart.dsl.eval.Evaluation;
import dev.rampart.dsl.eval.ReferenceEvaluator;
import dev.rampart.dsl.eval.SetContents;
import dev.rampart.dsl.ir.IrChain;
import dev.rampart.dsl.ir.IrRule;
import dev.rampart.dsl.lower.PacketBuilder.Built;
import dev.rampart.dsl.parse.Parser;
import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.dsl.source.Diagnostics;
import dev.rampart.dsl.source.Result;
import dev.rampart.dsl.source.SourceFile;
import dev.rampart.dsl.test.PolicyTests;
import dev.rampart.dsl.test.PolicyTests.TestResult;
import dev.rampart.gui.editor.PolicyAnalysis;
import dev.rampart.gui.editor.RuleRef;
import java.util.Optional;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.value.ObservableObjectValue;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * What the policy does with one packet, and how its own tests fare. Both follow the editor's
 * latest analysis: the tests were run by that analysis (in the background), and the packet is
 * simulated again against it, so the verdict never describes a policy that is no longer shown.
 * One evaluation on the reference evaluator is a few microseconds, so it runs where it is asked.
 */
public final class SimulationViewModel {
    private final ObservableObjectValue<PolicyAnalysis> analysis;

    private final StringProperty packet = new SimpleStringProperty(this, "packet", "");
    private final StringProperty verdict = new SimpleStringProperty(this, "verdict", "");
    private final StringProperty decidedBy = new SimpleStringProperty(this, "decidedBy", "");
    private final StringProperty trace = new SimpleStringProperty(this, "trace", "");
    private final StringProperty error = new SimpleStringProperty(this, "error", "");
    private final ObjectProperty<RuleRef> deciding = new SimpleObjectProperty<>(this, "deciding");
    private final ObservableList<TestResult> tests = FXCollections.observableArrayList();
    private final StringProperty testSummary = new SimpleStringProperty(this, "testSummary", "");
    private final BooleanProperty testsFailing = new SimpleBooleanProperty(this, "testsFailing");

    public SimulationViewModel(ObservableObjectValue<PolicyAnalysis> analysis) {
        this.analysis = analysis;
        analysis.addListener((o, was, now) -> {
            refreshTests(now);
            if (!packet.get().isBlank()) simulate();
        });
        refreshTests(analysis.get());
    }

    public StringProperty packetProperty() { return packet; }

    public ReadOnlyStringProperty verdictProperty() { return verdict; }

    public ReadOnlyStringProperty decidedByProperty() { return decidedBy; }

    public ReadOnlyStringProperty traceProperty() { return trace; }

    public ReadOnlyStringProperty errorProperty() { return error; }

    /** The deciding rule, or null when the chain's policy (or nothing) decided. */
    public ReadOnlyObjectProperty<RuleRef> decidingProperty() { return deciding; }

    /** Points out {@code rule} in the editor as the deciding one (null: none), for a packet decided elsewhere (a capture). */
    public void highlight(RuleRef rule) { deciding.set(rule); }

    public ObservableList<TestResult> tests() { return tests; }

    public ReadOnlyStringProperty testSummaryProperty() { return testSummary; }

    public ReadOnlyBooleanProperty testsFailingProperty() { return testsFailing; }

    private void refreshTests(PolicyAnalysis a) {
        if (a == null) return;
        if (!a.compiled().ok()) {
            // Keeping the last results would show passes for a policy that no longer compiles.
            tests.clear();
            testSummary.set("Tests not run: the policy has errors");
            testsFailing.set(true);
            return;
        }
        tests.setAll(a.tests());
        long failed = a.tests().stream().filter(t -> !t.passed()).count();
        testSummary.set(a.tests().isEmpty() ? "The policy has no tests"
                : failed == 0 ? "All " + a.tests().size() + " tests pass"
                : failed + " of " + a.tests().size() + " tests fail");
        testsFailing.set(failed > 0);
    }

    /** Puts a policy test's packet in the packet field and simulates it, to see its trace. */
    public void simulateTest(TestResult t) {
        PolicyAnalysis a = analysis.get();
        if (a == null || t == null) return;
        for (Decl d : a.ast().decls()) {
            if (d instanceof Decl.Test test && test.name().value().equals(t.test().name())) {
                packet.set(Formatter.formatPacket(test.packet()));
                simulate();
                return;
            }
        }
        error.set("Test \"" + t.test().name() + "\" is in an included file; copy its packet from there");
    }

    /** Simulates the packet text against the latest analysis. */
    public void simulate() {
        clearResult();
        PolicyAnalysis a = analysis.get();
        String text = packet.get().strip();
        if (text.isEmpty()) {
            error.set("Type a packet, e.g. tcp 10.20.3.4:50000 -> 93.184.216.34:443 in lan0 out wan0");
            return;
        }
        if (a == null) {
            error.set("The policy is still being compiled");
            return;
        }
        Compiled c = a.compiled();
        if (!c.ok()) {
            error.set("The policy has errors; fix them to simulate");
            return;
        }
        Result<PacketSpec> spec = Parser.parsePacket(new SourceFile("packet", text));
        Diagnostics ds = new Diagnostics();
        ds.addAll(spec.diagnostics());
        Built built = null;
        if (!ds.hasErrors() && spec.value() != null) {
            Result<Built> b = c.packetBuilder().build(spec.value());
            ds.addAll(b.diagnostics());
            built = b.value();
        }
        if (ds.hasErrors() || built == null) {
            error.set(ds.sorted().stream().filter(Diagnostic::isError).findFirst()
                    .map(SimulationViewModel::describe).orElse("The packet could not be read"));
            return;
        }
        Optional<IrChain> chain = c.ir().chain(built.hook());
        if (chain.isEmpty()) {
            verdict.set("accept");
            decidedBy.set("no " + built.hook().keyword() + " chain: everything passes");
            return;
        }
        Evaluation e = ReferenceEvaluator.evaluate(chain.get(), built.packet(), SetContents.of(built.sets()));
        verdict.set(e.verdict().keyword());
        trace.set(PolicyTests.trace(e, built.packet()));
        if (e.byPolicy()) {
            decidedBy.set("the " + built.hook().keyword() + " chain's policy (no rule matched)");
        } else {
            IrRule r = e.rule();
            decidedBy.set("rule " + r.id() + " (line " + r.span().line() + ")");
            // A rule from an included file has no place in this text; it is named but not highlighted.
            if (r.span().file() == a.source()) {
                deciding.set(new RuleRef(built.hook().keyword(), r.id(), r.span().start(), r.span().end()));
            }
        }
    }

    private void clearResult() {
        verdict.set("");
        decidedBy.set("");
        trace.set("");
        error.set("");
        deciding.set(null);
    }

    /** col:message, since the packet is one line. */
    private static String describe(Diagnostic d) {
        return "column " + d.span().column() + ": " + d.message() + (d.suggestion() == null ? "" : " (" + d.suggestion() + ")");
    }
}
