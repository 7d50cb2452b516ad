// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

import dev.rampart.dsl.fmt.Formatter;
import dev.rampart.dsl.source.Diagnostic;
import dev.rampart.gui.service.Dialogs;
import dev.rampart.gui.service.FileAccess;
import dev.rampart.gui.service.TaskRunner;
import java.nio.file.Path;
import java.time.Duration;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringExpression;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The policy being edited. The text is the single source of truth: the text view edits it
 * directly, table commands rewrite it through {@link RuleEdits}, and every change is analysed
 * again (debounced, in the background) to refresh the table, the diagnostics and the tests.
 */
public final class EditorViewModel {
    private final TaskRunner tasks;
    private final Dialogs dialogs;
    private final FileAccess files;
    private final Duration debounce;

    private final StringProperty text = new SimpleStringProperty(this, "text", "");
    private final ObjectProperty<Path> file = new SimpleObjectProperty<>(this, "file");
    private final BooleanProperty dirty = new SimpleBooleanProperty(this, "dirty");
    private final ObjectProperty<PolicyAnalysis> analysis = new SimpleObjectProperty<>(this, "analysis");
    private final ObjectProperty<ParsedText> parsed = new SimpleObjectProperty<>(this, "parsed");
    private final BooleanProperty tableEditable = new SimpleBooleanProperty(this, "tableEditable", true);
    private final StringProperty status = new SimpleStringProperty(this, "status", "");
    private final ObjectProperty<RuleRef> highlighted = new SimpleObjectProperty<>(this, "highlighted");
    private final IntegerProperty loads = new SimpleIntegerProperty(this, "loads");
    private final ObservableList<RuleRow> rows = FXCollections.observableArrayList();
    private final ObjectProperty<java.util.Map<Long, dev.rampart.link.Counters.RuleCounter>> hits =
            new SimpleObjectProperty<>(this, "hits");
    private final ObjectProperty<RuleKey> reveal = new SimpleObjectProperty<>(this, "reveal");
    private final ObjectProperty<TextRange> selection = new SimpleObjectProperty<>(this, "selection");
    private java.util.Map<Long, String> namesById = java.util.Map.of();
    private final ObservableList<Diagnostic> diagnostics = FXCollections.observableArrayList();
    private final StringExpression title;

    private String savedText = "";
    private TaskRunner.Cancellable pending;
    private long generation;

    public EditorViewModel(TaskRunner tasks, Dialogs dialogs, FileAccess files, Duration debounce) {
        this.tasks = tasks;
        this.dialogs = dialogs;
        this.files = files;
        this.debounce = debounce;
        text.addListener((o, was, now) -> {
            dirty.set(!now.equals(savedText));
            scheduleAnalysis();
        });
        title = Bindings.createStringBinding(
                () -> (dirty.get() ? "*" : "") + (file.get() == null ? "untitled" : file.get().getFileName().toString()) + " - Rampart",
                dirty, file);
    }

    public StringProperty textProperty() { return text; }

    public ReadOnlyObjectProperty<Path> fileProperty() { return file; }

    public ReadOnlyBooleanProperty dirtyProperty() { return dirty; }

    /** Counts files opened: a view resets its undo history on each, since undo must not cross files. */
    public ReadOnlyIntegerProperty loadsProperty() { return loads; }

    public ReadOnlyObjectProperty<PolicyAnalysis> analysisProperty() { return analysis; }

    /** The last parse: the table's rows and the text's keyword styles come from it, before the compile is done. */
    public ReadOnlyObjectProperty<ParsedText> parsedProperty() { return parsed; }

    public ReadOnlyBooleanProperty tableEditableProperty() { return tableEditable; }

    public StringProperty statusProperty() { return status; }

    /** The rule the simulation decided with, shown in both views; null for none. */
    public ObjectProperty<RuleRef> highlightedProperty() { return highlighted; }

    public ObservableList<RuleRow> rows() { return rows; }

    /** The connected box's counters by numeric rule id (null when not connected): the table's hit columns. */
    public ObjectProperty<java.util.Map<Long, dev.rampart.link.Counters.RuleCounter>> hitsProperty() { return hits; }

    /** The counter of {@code row}'s rule in the running table; null when not connected or the rule is not deployed. */
    public dev.rampart.link.Counters.RuleCounter hitsOf(RuleRow row) {
        var m = hits.get();
        return m == null ? null : m.get(dev.rampart.dsl.ir.IrRule.numericIdOf(row.id()));
    }

    /** The rule a view should select and scroll to (set after a rule is inserted from elsewhere). */
    public ReadOnlyObjectProperty<RuleKey> revealProperty() { return reveal; }

    /** A part of the text the text view should select, scroll to and focus: a definition jumped to. */
    public ReadOnlyObjectProperty<TextRange> selectionProperty() { return selection; }

    /** The id of the rule with numeric id {@code id} in the last analysed text, or null. */
    public String ruleName(long id) { return namesById.get(id); }

    public ObservableList<Diagnostic> diagnostics() { return diagnostics; }

    public StringExpression titleProperty() { return title; }

    // ---- files ------------------------------------------------------------------------------

    /** Reads {@code path} in the background and shows it; a read error leaves the current text alone. */
    public void load(Path path) {
        status.set("Opening " + path + " ...");
        // The file is parsed with the read, so that the table and the highlighting come with the text
        // in one step instead of one round trip to the worker later.
        tasks.submit(() -> ParsedText.of(path.toString(), files.read(path)), loaded -> {
            String content = loaded.text();
            file.set(path);
            savedText = content;
            text.set(content);
            dirty.set(false);
            loads.set(loads.get() + 1);
            status.set("Opened " + path);
            analyse(loaded);
        }, err -> {
            status.set("Could not open " + path);
            dialogs.showError("Could not open " + path, describe(err));
        });
    }

    public void open() {
        if (dirty.get() && !dialogs.confirmDiscard(displayName())) return;
        Path dir = file.get() == null ? null : file.get().toAbsolutePath().getParent();
        dialogs.chooseFileToOpen(dir).ifPresent(this::load);
    }

    public void save() {
        if (file.get() == null) saveAs();
        else writeTo(file.get());
    }

    public void saveAs() {
        dialogs.chooseFileToSave(file.get()).ifPresent(this::writeTo);
    }

    private void writeTo(Path path) {
        String snapshot = text.get();
        tasks.submit(() -> {
            files.write(path, snapshot);
            return snapshot;
        }, written -> {
            file.set(path);
            savedText = written;
            dirty.set(!text.get().equals(savedText));
            status.set("Saved " + path);
        }, err -> dialogs.showError("Could not save " + path, describe(err)));
    }

    /** Asks before a window closes or another file replaces this one; true when it may go ahead. */
    public boolean mayDiscard() {
        return !dirty.get() || dialogs.confirmDiscard(displayName());
    }

    private String displayName() { return file.get() == null ? "The policy" : file.get().getFileName().toString(); }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    // ---- analysis ---------------------------------------------------------------------------

    private void scheduleAnalysis() {
        if (pending != null) pending.cancel();
        pending = tasks.schedule(debounce, this::analyseNow);
    }

    /**
     * Analyses the current text now, in two steps: the parse (rows, highlighting) and then the
     * compile (diagnostics, tests). A result that arrives after a newer edit is dropped.
     */
    public void analyseNow() {
        if (pending != null) pending.cancel();
        pending = null;
        long gen = ++generation;
        String snapshot = text.get();
        Path f = file.get();
        String name = f == null ? "untitled.rampart" : f.toString();
        Path baseDir = f == null ? Path.of("").toAbsolutePath() : f.toAbsolutePath().getParent();
        tasks.submit(() -> ParsedText.of(name, snapshot), p -> {
            if (gen == generation) compile(p, gen, baseDir);
        }, err -> status.set("Internal error while parsing: " + describe(err)));
    }

    /** Shows a parse of the current text made elsewhere (with a file's read) and compiles it. */
    private void analyse(ParsedText p) {
        if (pending != null) pending.cancel();
        pending = null;
        Path f = file.get();
        compile(p, ++generation, f == null ? Path.of("").toAbsolutePath() : f.toAbsolutePath().getParent());
    }

    /** How long a compile runs before the status line says it is still checking: a big policy takes a second. */
    static final Duration CHECKING_NOTE = Duration.ofMillis(300);

    private void compile(ParsedText p, long gen, Path baseDir) {
        applyParsed(p);
        // Typing in a small policy never sees this (its compile is back in milliseconds); opening
        // a big one says why the diagnostics are not in yet. A superseded compile's note says
        // nothing (its generation is old), and every compile cancels its own note when it ends.
        TaskRunner.Cancellable note = tasks.schedule(CHECKING_NOTE, () -> {
            if (gen == generation) status.set(String.format("Checking %,d rules ...", p.rows().size()));
        });
        tasks.submit(() -> PolicyAnalysis.of(p, baseDir), a -> {
            note.cancel();
            if (gen == generation) apply(a);
        }, err -> {
            note.cancel();
            status.set("Internal error while compiling: " + describe(err));
        });
    }

    private void applyParsed(ParsedText p) {
        parsed.set(p);
        tableEditable.set(p.syntaxOk());
        // While the text does not parse, the table keeps the last rows that did: a half-typed
        // line should not make every rule after it vanish from the table.
        if (p.syntaxOk()) {
            rows.setAll(p.rows());
            java.util.Map<Long, String> names = new java.util.HashMap<>();
            for (RuleRow r : p.rows()) names.put(dev.rampart.dsl.ir.IrRule.numericIdOf(r.id()), r.id());
            namesById = names;
        }
    }

    private void apply(PolicyAnalysis a) {
        analysis.set(a);
        diagnostics.setAll(a.diagnostics());
        status.set(a.errorCount() + " errors, " + a.warningCount() + " warnings");
    }

    // ---- completion and definitions ---------------------------------------------------------

    /** The names the last analysis found; a few keystrokes behind the text at most, which names survive. */
    public PolicyObjects objects() {
        PolicyAnalysis a = analysis.get();
        return a == null ? PolicyObjects.EMPTY : a.objects();
    }

    /** What may be typed at {@code caret} of the text (the text view's Ctrl+Space). */
    public Completion.Proposal complete(int caret) {
        return Completion.inText(text.get(), caret, objects());
    }

    /** What may be typed at the end of a table cell of {@code column} holding {@code typed}. */
    public Completion.Proposal completeCell(RuleColumn column, String typed) {
        return Completion.inCell(column, typed == null ? "" : typed, objects());
    }

    /**
     * What the compiler would report about {@code row} with its {@code column} cell set to
     * {@code value}: shown under the cell while it is typed in. Empty when there is no analysis that
     * matches the table yet (the edit itself will then say what is wrong).
     */
    public java.util.List<RuleCheck.Problem> checkCell(RuleRow row, RuleColumn column, String value) {
        PolicyAnalysis a = analysis.get();
        if (a == null || !a.syntaxOk() || !a.text().equals(text.get())) return java.util.List.of();
        return RuleCheck.cell(a, row, column, value);
    }

    /** Moves the text view to the definition of the name at {@code offset}; false (and why, in the status line) if there is none. */
    public boolean goToDefinitionAt(int offset) {
        String now = text.get();
        PolicyObjects o = objectsOf(now);
        return show(Definitions.at(now, offset, o), o);
    }

    /** Moves the text view to the definition of a name as a table cell writes it ({@code lan}, {@code @admins}, {@code $port}). */
    public boolean goToDefinition(String written) {
        PolicyObjects o = objectsOf(text.get());
        return show(Definitions.named(written, o), o);
    }

    /** The names in {@code row}'s {@code column} cell that can have a definition, as written there. */
    public java.util.List<String> namesIn(RuleRow row, RuleColumn column) {
        return RuleNames.in(row, column, objects());
    }

    /**
     * The objects with their places in {@code now}: the last analysis's when it is of this text, else
     * a fresh parse of the text (includes still from the analysis), since a jump must land on the
     * name as it is now, not where it was before the last keystrokes.
     */
    private PolicyObjects objectsOf(String now) {
        PolicyAnalysis a = analysis.get();
        if (a != null && a.text().equals(now)) return a.objects();
        java.util.List<dev.rampart.dsl.ast.PolicyFile> files = new java.util.ArrayList<>();
        Path f = file.get();
        files.add(dev.rampart.dsl.parse.Parser.parse(new dev.rampart.dsl.source.SourceFile(
                f == null ? "untitled.rampart" : f.toString(), now)).value());
        if (a != null && a.compiled().files() != null && a.compiled().files().size() > 1) {
            files.addAll(a.compiled().files().subList(1, a.compiled().files().size()));
        }
        return PolicyObjects.of(files);
    }

    private boolean show(Definitions.Found found, PolicyObjects objects) {
        if (!found.ok()) {
            status.set(found.message());
            return false;
        }
        var t = found.target();
        if (!objects.inRoot(t)) {
            status.set("'" + found.name() + "' is defined in " + t.location() + ", an included file");
            return false;
        }
        // The same place asked for twice must still move the view, so the property passes through null.
        selection.set(null);
        selection.set(new TextRange(t.start(), t.end()));
        status.set("Definition of '" + found.name() + "', line " + t.line());
        return true;
    }

    // ---- table commands ---------------------------------------------------------------------

    /** The parse the table rows come from, if they still describe the current text (no keystroke since). */
    private ParsedText current() {
        ParsedText p = parsed.get();
        if (p == null || !p.syntaxOk()) {
            status.set("Fix the syntax errors in the text before editing in the table");
            return null;
        }
        if (!p.text().equals(text.get())) {
            analyseNow();
            status.set("The table was catching up with the text; try again");
            return null;
        }
        return p;
    }

    public boolean editCell(RuleRow row, RuleColumn column, String value) {
        ParsedText a = current();
        return a != null && apply(RuleEdits.setCell(a.text(), row, column, value));
    }

    public boolean toggleDisabled(RuleRow row) {
        ParsedText a = current();
        return a != null && apply(RuleEdits.toggleDisabled(a.text(), row));
    }

    public boolean duplicate(RuleRow row) {
        ParsedText a = current();
        return a != null && apply(RuleEdits.duplicate(a.text(), a.ast(), row));
    }

    public boolean delete(RuleRow row) {
        ParsedText a = current();
        return a != null && apply(RuleEdits.delete(a.text(), row));
    }

    public boolean move(RuleRow row, RuleRow target) {
        ParsedText a = current();
        return a != null && apply(RuleEdits.move(a.text(), row, target));
    }

    /** Inserts a rule made elsewhere (from a flow record) into {@code hook}'s chain, above {@code beforeId} when given, and reveals it. */
    public boolean insertRule(String hook, String line, String beforeId) {
        ParsedText a = current();
        if (a == null) return false;
        RuleEdits.Outcome o = RuleEdits.insert(a.text(), a.ast(), hook, line, beforeId);
        if (!apply(o)) return false;
        String id = line.startsWith("rule ") && line.indexOf(':') > 5 ? line.substring(5, line.indexOf(':')).strip() : null;
        if (id != null) reveal.set(new RuleKey(hook, id));
        status.set("Added rule " + id + " to the " + hook + " chain" + (beforeId != null ? ", above " + beforeId : "")
                + ": check it, then deploy");
        return true;
    }

    /** Rewrites the whole file in canonical form; refused while it does not parse. */
    public boolean format() {
        ParsedText a = current();
        return a != null && apply(new RuleEdits.Outcome(Formatter.format(a.ast()), null));
    }

    private boolean apply(RuleEdits.Outcome o) {
        if (!o.ok()) {
            status.set(o.error());
            return false;
        }
        text.set(o.text());
        // A table edit shows in the table at once rather than after the typing delay.
        analyseNow();
        return true;
    }
}
