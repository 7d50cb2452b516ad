// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

import dev.rampart.dsl.source.Diagnostic;
import java.util.ArrayList;
import java.util.List;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.collections.transformation.FilteredList;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.ClipboardContent;
import javafx.geometry.Bounds;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.StackPane;
import org.fxmisc.flowless.VirtualizedScrollPane;
import org.fxmisc.richtext.CodeArea;
import org.fxmisc.richtext.LineNumberFactory;
import org.fxmisc.richtext.model.StyleSpans;
import java.util.Collection;

/**
 * The two views of the policy: the rule table and the text. Both only show the view-model's text
 * and analysis; neither keeps a model of its own, so they cannot drift apart.
 */
public final class EditorView {
    private static final String DRAG_FORMAT_PREFIX = "rampart-rule:";
    private static final String ALL_CHAINS = "All chains";

    private final EditorViewModel vm;
    private final CodeArea codeArea = new CodeArea();
    private final CompletionPopup cellPicker = new CompletionPopup();
    private final CompletionPopup textPicker = new CompletionPopup();
    private boolean pushingText;
    private RuleRow lastSelected;

    @FXML private SplitPane split;
    @FXML private TableView<RuleRow> ruleTable;
    @FXML private StackPane textPane;
    @FXML private ListView<Diagnostic> diagnosticList;
    @FXML private Label tableLockedLabel;
    @FXML private Button duplicateButton;
    @FXML private Button disableButton;
    @FXML private Button deleteButton;
    @FXML private ComboBox<String> chainFilter;

    public EditorView(EditorViewModel vm) { this.vm = vm; }

    public CodeArea codeArea() { return codeArea; }

    @FXML
    private void initialize() {
        setUpTable();
        setUpText();
        setUpDiagnostics();
        tableLockedLabel.visibleProperty().bind(vm.tableEditableProperty().not());
        tableLockedLabel.managedProperty().bind(tableLockedLabel.visibleProperty());
        var noSelection = ruleTable.getSelectionModel().selectedItemProperty().isNull().or(vm.tableEditableProperty().not());
        duplicateButton.disableProperty().bind(noSelection);
        disableButton.disableProperty().bind(noSelection);
        deleteButton.disableProperty().bind(noSelection);
    }

    // ---- table ------------------------------------------------------------------------------

    private void setUpTable() {
        // One table for all chains, or one chain at a time; the chain's rows keep their order.
        FilteredList<RuleRow> shown = new FilteredList<>(vm.rows());
        chainFilter.getItems().setAll(ALL_CHAINS, "input", "forward", "output");
        chainFilter.getSelectionModel().select(ALL_CHAINS);
        chainFilter.valueProperty().addListener((o, was, now) ->
                shown.setPredicate(now == null || now.equals(ALL_CHAINS) ? null : r -> r.hook().equals(now)));
        ruleTable.setItems(shown);
        ruleTable.editableProperty().bind(vm.tableEditableProperty());
        TableColumn<RuleRow, String> chain = new TableColumn<>("Chain");
        chain.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().hook()));
        chain.setEditable(false);
        chain.setSortable(false);
        chain.setPrefWidth(70);
        chain.setMinWidth(70);
        ruleTable.getColumns().add(chain);
        ruleTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        for (RuleColumn rc : RuleColumn.values()) {
            TableColumn<RuleRow, String> col = new TableColumn<>(rc.title);
            col.setId("column-" + rc.name().toLowerCase(java.util.Locale.ROOT));
            col.setSortable(false); // the order of rules is their meaning
            col.setPrefWidth(prefWidth(rc));
            col.setMinWidth(Math.min(55, prefWidth(rc)));
            col.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().cell(rc)));
            PickerCell.DefinitionsMenu menu = new PickerCell.DefinitionsMenu();
            col.setCellFactory(c -> new PickerCell(vm, rc, cellPicker, menu));
            col.setOnEditCommit(e -> {
                if (!vm.editCell(e.getRowValue(), rc, e.getNewValue())) ruleTable.refresh();
            });
            ruleTable.getColumns().add(col);
        }
        addHitColumns();
        ruleTable.setRowFactory(t -> new RuleTableRow());
        ruleTable.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DELETE && ruleTable.getEditingCell() == null) onDelete();
        });
        // Rows are rebuilt after every analysis; keep the user's selection on the same rule.
        ruleTable.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (now == null) return;
            lastSelected = now;
            // Selecting a rule shows it in the text too, unless the text has moved on since the rows were made.
            PolicyAnalysis a = vm.analysisProperty().get();
            if (a != null && a.syntaxOk() && a.text().equals(codeArea.getText()) && now.start() <= codeArea.getLength()) {
                codeArea.moveTo(now.start());
                codeArea.requestFollowCaret();
            }
        });
        vm.rows().addListener((ListChangeListener<RuleRow>) c -> {
            if (lastSelected != null && ruleTable.getSelectionModel().isEmpty()) reselect(lastSelected.hook(), lastSelected.id());
        });
        vm.highlightedProperty().addListener((o, was, now) -> {
            restyleRows();
            if (now != null) {
                ruleTable.getItems().stream().filter(now::refersTo).findFirst().ifPresent(ruleTable::scrollTo);
            }
        });
        // What these change is the rows' marks (errors, the deciding rule, never hit) and the Hits
        // column (bound to the counters): the visible rows restyle in place. TableView.refresh()
        // would throw away and rebuild every visible cell, which with some 500 cells on screen was
        // most of the UI thread's stall when a big policy's diagnostics arrived, and came back with
        // every poll of the box's counters (EditorOpenBench; docs/benchmarks.md).
        vm.analysisProperty().addListener((o, was, now) -> restyleRows());
        vm.hitsProperty().addListener((o, was, now) -> restyleRows());
        // A rule inserted from elsewhere shows once the analysis has made its row.
        vm.revealProperty().addListener((o, was, now) -> revealWhenShown());
        vm.rows().addListener((ListChangeListener<RuleRow>) c -> revealWhenShown());
    }

    private void revealWhenShown() {
        RuleKey k = vm.revealProperty().get();
        if (k == null || k.equals(revealed)) return;
        for (int i = 0; i < ruleTable.getItems().size(); i++) {
            RuleRow r = ruleTable.getItems().get(i);
            if (r.hook().equals(k.hook()) && r.id().equals(k.id())) {
                revealed = k;
                ruleTable.getSelectionModel().clearAndSelect(i);
                ruleTable.scrollTo(Math.max(0, i - 2));
                return;
            }
        }
    }

    private RuleKey revealed;
    /** How long ago, short enough for a narrow column; the counters are polled every few seconds, so it stays current. */
    static String ago(long ms) {
        long s = Math.max(0, ms / 1000);
        return s < 60 ? s + "s ago" : s < 3600 ? s / 60 + "m ago" : s < 86400 ? s / 3600 + "h ago" : s / 86400 + "d ago";
    }

    /**
     * Packets and last hit of each rule in the box's running table, matched by rule id: a rule
     * that never matched since it was loaded is a candidate dead rule.
     */
    private void addHitColumns() {
        TableColumn<RuleRow, String> hits = new TableColumn<>("Hits");
        hits.setId("column-hits");
        hits.setEditable(false);
        hits.setSortable(false);
        hits.setPrefWidth(115);
        hits.setMinWidth(95);
        // Bound to the counters, so a poll updates the column's cells without rebuilding them.
        hits.setCellValueFactory(c -> javafx.beans.binding.Bindings.createStringBinding(() -> {
            var h = vm.hitsOf(c.getValue());
            if (vm.hitsProperty().get() == null) return "";
            if (h == null) return "not running";
            return h.lastHitMs() == 0 ? String.format("%,d, never", h.packets())
                    : String.format("%,d, %s", h.packets(), ago(System.currentTimeMillis() - h.lastHitMs()));
        }, vm.hitsProperty()));
        hits.getStyleClass().add("hits-column");
        // Right after the name: the column to scan when looking for dead rules.
        ruleTable.getColumns().add(2, hits);
    }

    /** Starting widths in proportion to what the office example's cells hold; the user can resize. */
    private static double prefWidth(RuleColumn c) {
        return switch (c) {
            case NAME -> 130;
            case SERVICE -> 110;
            case FROM, TO, MORE, STATE -> 90;
            case IN, OUT -> 60;
            case PROTO, PORT, ACTION -> 55;
            case LOG -> 45;
            case COMMENT -> 130;
        };
    }

    /** The rule table's rows that exist now (the table makes and drops them as it likes). */
    private final java.util.Set<RuleTableRow> liveRows = java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>());

    /** Marks every row the table has again, from the current analysis, counters and deciding rule. */
    private void restyleRows() {
        for (RuleTableRow r : liveRows) r.restyle();
    }

    private final class RuleTableRow extends TableRow<RuleRow> {
        RuleTableRow() {
            liveRows.add(this);
            setOnDragDetected(e -> {
                if (getItem() == null || !vm.tableEditableProperty().get()) return;
                var db = startDragAndDrop(TransferMode.MOVE);
                ClipboardContent content = new ClipboardContent();
                content.putString(DRAG_FORMAT_PREFIX + getItem().hook() + ":" + getItem().index());
                db.setContent(content);
                e.consume();
            });
            setOnDragOver(e -> {
                RuleRow dragged = dragged(e.getDragboard().getString());
                if (dragged != null && getItem() != null && dragged.hook().equals(getItem().hook())) {
                    e.acceptTransferModes(TransferMode.MOVE);
                }
                e.consume();
            });
            setOnDragDropped(e -> {
                RuleRow dragged = dragged(e.getDragboard().getString());
                boolean done = dragged != null && getItem() != null && vm.move(dragged, getItem());
                e.setDropCompleted(done);
                e.consume();
            });
        }

        /** The dragged rule by chain and position, which stay valid whatever the table shows. */
        private RuleRow dragged(String s) {
            if (s == null || !s.startsWith(DRAG_FORMAT_PREFIX)) return null;
            String ref = s.substring(DRAG_FORMAT_PREFIX.length());
            int colon = ref.lastIndexOf(':');
            if (colon < 0) return null;
            String hook = ref.substring(0, colon);
            String index = ref.substring(colon + 1);
            return vm.rows().stream().filter(r -> r.hook().equals(hook) && String.valueOf(r.index()).equals(index))
                    .findFirst().orElse(null);
        }

        @Override
        protected void updateItem(RuleRow row, boolean empty) {
            super.updateItem(row, empty);
            restyle();
        }

        /** The row's marks as style classes, and its diagnostics as a tooltip. */
        void restyle() {
            RuleRow row = getItem();
            List<String> marks = new ArrayList<>(2);
            String messages = null;
            if (!isEmpty() && row != null) {
                if (row.disabled()) marks.add("disabled-rule");
                var hit = vm.hitsOf(row);
                if (hit != null && hit.packets() == 0) marks.add("never-hit");
                RuleRef h = vm.highlightedProperty().get();
                if (h != null && h.refersTo(row)) marks.add("deciding");
                StringBuilder found = new StringBuilder();
                boolean error = false;
                PolicyAnalysis a = vm.analysisProperty().get();
                ParsedText p = vm.parsedProperty().get();
                // Rows from a newer parse than the compile would get the older text's diagnostics at the wrong places.
                if (a != null && a.syntaxOk() && p != null && a.text().equals(p.text())) {
                    for (Diagnostic d : a.diagnostics()) {
                        if (d.span().file() == a.source() && d.span().start() >= row.start() && d.span().start() < row.end()) {
                            found.append(found.isEmpty() ? "" : "\n").append(d.message());
                            error |= d.isError();
                        }
                    }
                }
                if (!found.isEmpty()) {
                    marks.add(error ? "error" : "warning");
                    messages = found.toString();
                }
            }
            // Only a real change touches the style classes: each change restyles the row and its cells.
            List<String> had = getStyleClass().stream().filter(ROW_MARKS::contains).toList();
            if (!new java.util.HashSet<>(had).equals(new java.util.HashSet<>(marks))) {
                getStyleClass().removeAll(ROW_MARKS);
                getStyleClass().addAll(marks);
            }
            String shown = getTooltip() == null ? null : getTooltip().getText();
            if (!java.util.Objects.equals(shown, messages)) setTooltip(messages == null ? null : new Tooltip(messages));
        }
    }

    private static final List<String> ROW_MARKS = List.of("disabled-rule", "deciding", "error", "warning", "never-hit");

    private RuleRow selected() { return ruleTable.getSelectionModel().getSelectedItem(); }

    private void reselect(String hook, String id) {
        for (int i = 0; i < ruleTable.getItems().size(); i++) {
            RuleRow r = ruleTable.getItems().get(i);
            if (r.hook().equals(hook) && r.id().equals(id)) {
                ruleTable.getSelectionModel().clearAndSelect(i);
                return;
            }
        }
    }

    @FXML
    public void onDuplicate() {
        RuleRow r = selected();
        if (r != null && vm.duplicate(r)) reselect(r.hook(), r.id() + "-copy");
    }

    @FXML
    public void onToggleDisabled() {
        RuleRow r = selected();
        if (r != null && vm.toggleDisabled(r)) reselect(r.hook(), r.id());
    }

    @FXML
    public void onDelete() {
        RuleRow r = selected();
        if (r != null) vm.delete(r);
    }

    @FXML
    public void onFormat() { vm.format(); }

    // ---- text -------------------------------------------------------------------------------

    private void setUpText() {
        codeArea.setId("codeArea");
        codeArea.getStyleClass().add("policy-text");
        codeArea.setParagraphGraphicFactory(LineNumberFactory.get(codeArea));
        textPane.getChildren().add(new VirtualizedScrollPane<>(codeArea));
        // Text changes only: a listener on the text property would rebuild the whole text (752 kB
        // for 10k rules) on every style change too, and a big text is styled in dozens of steps.
        codeArea.plainTextChanges().subscribe(c -> {
            if (!pushingText) vm.textProperty().set(codeArea.getText());
        });
        vm.textProperty().addListener((o, was, now) -> pushText(now));
        pushText(vm.textProperty().get());
        vm.loadsProperty().addListener((o, was, now) -> {
            codeArea.getUndoManager().forgetHistory();
            codeArea.moveTo(0);
            codeArea.showParagraphAtTop(0);
        });
        vm.analysisProperty().addListener((o, was, now) -> restyle());
        vm.parsedProperty().addListener((o, was, now) -> restyle());
        setUpCompletionAndDefinitions();
        vm.highlightedProperty().addListener((o, was, now) -> {
            restyle();
            if (now != null && now.end() <= codeArea.getLength()) {
                codeArea.moveTo(now.start());
                codeArea.requestFollowCaret();
            }
        });
    }

    private static final KeyCombination COMPLETE = new KeyCodeCombination(KeyCode.SPACE, KeyCombination.SHORTCUT_DOWN);

    /** Ctrl+Space offers what fits at the caret; F12 or Ctrl+click on a name goes to its definition. */
    private void setUpCompletionAndDefinitions() {
        codeArea.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (COMPLETE.match(e)) {
                showTextCompletion(true);
                e.consume();
            } else if (e.getCode() == KeyCode.F12) {
                textPicker.hide();
                vm.goToDefinitionAt(codeArea.getCaretPosition());
                e.consume();
            } else if (textPicker.isShowing()) {
                switch (e.getCode()) {
                    case DOWN -> {
                        textPicker.move(1);
                        e.consume();
                    }
                    case UP -> {
                        textPicker.move(-1);
                        e.consume();
                    }
                    case ENTER, TAB -> {
                        if (textPicker.pickSelected()) e.consume();
                    }
                    case ESCAPE -> {
                        textPicker.hide();
                        e.consume();
                    }
                    default -> { }
                }
            }
        });
        codeArea.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.isShortcutDown()) {
                int at = codeArea.hit(e.getX(), e.getY()).getInsertionIndex();
                vm.goToDefinitionAt(at);
                e.consume();
            }
        });
        // While the list is open, typing narrows it; moving away from the word closes it.
        codeArea.caretPositionProperty().addListener((o, was, now) -> {
            if (textPicker.isShowing()) Platform.runLater(() -> showTextCompletion(false));
        });
        codeArea.focusedProperty().addListener((o, was, now) -> {
            if (!now) textPicker.hide();
        });
        vm.selectionProperty().addListener((o, was, now) -> {
            if (now == null || now.end() > codeArea.getLength()) return;
            codeArea.selectRange(now.start(), now.end());
            codeArea.requestFollowCaret();
            Platform.runLater(codeArea::requestFocus);
        });
    }

    private void showTextCompletion(boolean asked) {
        Completion.Proposal p = vm.complete(codeArea.getCaretPosition());
        // Once the word is finished (a space, a comma), the list closes until asked for again.
        if (p.isEmpty() || !asked && p.typed().isEmpty()) {
            textPicker.hide();
            if (asked) vm.statusProperty().set("Nothing to complete here");
            return;
        }
        Bounds caret = codeArea.getCaretBounds().orElse(null);
        textPicker.show(codeArea, caret, p.candidates(), null, true, c -> {
            codeArea.replaceText(p.from(), p.to(), c.insert());
            codeArea.moveTo(p.from() + c.insert().length());
        });
    }

    /**
     * Replaces only the part of the text that changed, so a table edit is one small, undoable
     * change in the text view and the caret and scroll position elsewhere stay put.
     */
    private void pushText(String now) {
        String old = codeArea.getText();
        if (old.equals(now)) return;
        int prefix = 0, max = Math.min(old.length(), now.length());
        while (prefix < max && old.charAt(prefix) == now.charAt(prefix)) prefix++;
        int suffix = 0;
        while (suffix < max - prefix && old.charAt(old.length() - 1 - suffix) == now.charAt(now.length() - 1 - suffix)) suffix++;
        pushingText = true;
        try {
            codeArea.replaceText(prefix, old.length() - suffix, now.substring(prefix, now.length() - suffix));
        } finally {
            pushingText = false;
        }
    }

    /** Characters styled per step of a big restyle, so that no step holds the UI thread for long. */
    private static final int STYLE_CHUNK = 20_000;

    /**
     * Paints the latest styles that are of the text shown: the compile's (keywords and
     * diagnostics) when it has caught up, else the parse's keywords. The spans are made off the UI
     * thread; a big text gets them in steps, the visible part first, so it is highlighted at once
     * and the UI thread is never held for the whole text.
     */
    private void restyle() {
        String shown = codeArea.getText();
        PolicyAnalysis a = vm.analysisProperty().get();
        ParsedText p = vm.parsedProperty().get();
        List<StyledRange> styles;
        StyleSpans<Collection<String>> spans;
        // Styles computed for an older text would land on the wrong characters; the next analysis repaints.
        if (a != null && a.text().equals(shown)) {
            styles = a.styles();
            spans = a.spans();
        } else if (p != null && p.text().equals(shown)) {
            styles = p.tokenStyles();
            spans = p.spans();
        } else {
            return;
        }
        if (styles != appliedStyles) {
            appliedStyles = styles;
            appliedHighlight = null;
            long job = ++styleJob;
            int length = codeArea.getLength();
            int first;
            try {
                first = codeArea.getAbsolutePosition(Math.max(0, codeArea.firstVisibleParToAllParIndex()), 0);
            } catch (RuntimeException notLaidOut) {
                // Before the first layout (or while its tab is hidden) no paragraph is visible: start at the top.
                first = 0;
            }
            int visibleEnd = Math.min(length, first + STYLE_CHUNK);
            codeArea.setStyleSpans(first, spans.subView(first, visibleEnd));
            List<int[]> rest = new ArrayList<>();
            for (int s = 0; s < first; s += STYLE_CHUNK) rest.add(new int[] {s, Math.min(first, s + STYLE_CHUNK)});
            for (int s = visibleEnd; s < length; s += STYLE_CHUNK) rest.add(new int[] {s, Math.min(length, s + STYLE_CHUNK)});
            styleRest(job, shown, spans, styles, rest, 0);
        }
        paintHighlight(styles);
    }

    private void styleRest(long job, String text, StyleSpans<Collection<String>> spans, List<StyledRange> styles, List<int[]> chunks, int i) {
        if (job != styleJob) return;
        if (i >= chunks.size()) {
            styledAll = true;
            return;
        }
        styledAll = false;
        Platform.runLater(() -> {
            // An edit since the job began: the next analysis brings styles for the new text.
            if (job != styleJob || codeArea.getLength() != text.length()) return;
            int[] c = chunks.get(i);
            codeArea.setStyleSpans(c[0], spans.subView(c[0], c[1]));
            RuleRef h = appliedHighlight;
            if (h != null && h.start() < c[1] && h.end() > c[0]) paint(h, styles, true);
            styleRest(job, text, spans, styles, chunks, i + 1);
        });
    }

    /** Moves the "deciding" background to the rule the simulation highlights, repainting only the two rules involved. */
    private void paintHighlight(List<StyledRange> styles) {
        RuleRef h = vm.highlightedProperty().get();
        if (java.util.Objects.equals(h, appliedHighlight)) return;
        if (appliedHighlight != null) paint(appliedHighlight, styles, false);
        if (h != null) paint(h, styles, true);
        appliedHighlight = h;
    }

    private void paint(RuleRef r, List<StyledRange> styles, boolean deciding) {
        int s = Math.max(0, r.start()), e = Math.min(codeArea.getLength(), r.end());
        if (e <= s) return;
        List<StyledRange> local = new ArrayList<>();
        for (StyledRange x : styles) {
            if (x.end() > s && x.start() < e) local.add(new StyledRange(x.start() - s, x.end() - s, x.styleClass()));
        }
        if (deciding) local.add(new StyledRange(0, e - s, "deciding"));
        codeArea.setStyleSpans(s, StyleSpansFactory.build(local, e - s));
    }

    /** What the text shows now, so that the same styles are not applied twice. */
    private List<StyledRange> appliedStyles;
    private RuleRef appliedHighlight;
    private long styleJob;
    /** Whether the last styling job has reached the end of the text (the benchmark waits for it). */
    private boolean styledAll = true;

    public boolean styledAll() { return styledAll; }

    public void undo() { codeArea.undo(); }

    public void redo() { codeArea.redo(); }

    // ---- diagnostics ------------------------------------------------------------------------

    private void setUpDiagnostics() {
        diagnosticList.setItems(vm.diagnostics());
        diagnosticList.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(Diagnostic d, boolean empty) {
                super.updateItem(d, empty);
                getStyleClass().removeAll("error", "warning");
                if (empty || d == null) {
                    setText(null);
                    return;
                }
                getStyleClass().add(d.isError() ? "error" : "warning");
                PolicyAnalysis a = vm.analysisProperty().get();
                boolean here = a != null && d.span().file() == a.source();
                String suggestion = d.suggestion() == null ? "" : " - " + d.suggestion();
                setText((here ? d.span().line() + ":" + d.span().column() + "  " + d.message() : d.headline()) + suggestion);
            }
        });
        diagnosticList.setOnMouseClicked(e -> {
            Diagnostic d = diagnosticList.getSelectionModel().getSelectedItem();
            PolicyAnalysis a = vm.analysisProperty().get();
            if (d != null && a != null && d.span().file() == a.source() && d.span().start() <= codeArea.getLength()) {
                codeArea.moveTo(d.span().start());
                codeArea.requestFollowCaret();
                Platform.runLater(codeArea::requestFocus);
            }
        });
    }
}
