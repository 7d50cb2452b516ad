// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

import java.util.List;
import javafx.geometry.Bounds;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableCell;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;

/**
 * A rule table cell that edits in a text field with a picker under it: the policy's objects that
 * fit the column, filtered as the user types, and the checker's problems with the rule as it
 * would be. Up/Down choose, Enter or Tab takes the choice (or, with none chosen, commits the
 * cell), Escape closes the picker and then cancels. Its context menu goes to the definitions of
 * the names in the cell.
 */
final class PickerCell extends TableCell<RuleRow, String> {
    private static final KeyCombination COMPLETE = new KeyCodeCombination(KeyCode.SPACE, KeyCombination.SHORTCUT_DOWN);

    private final EditorViewModel vm;
    private final RuleColumn column;
    private final CompletionPopup popup;
    private TextField field;
    private boolean picking;

    /**
     * The context menu of a column's cells, one for all of them: a menu is a window with a scene
     * of its own, and making one per cell was a large part of the rule table's work each time it
     * made its rows (EditorOpenBench; docs/benchmarks.md). It fills itself for the cell it opens on.
     */
    static final class DefinitionsMenu {
        // A context menu with no items is never shown, so it starts with one; showing refills it.
        final ContextMenu menu = new ContextMenu(new MenuItem("Go to definition"));
        PickerCell target;

        DefinitionsMenu() {
            menu.setOnShowing(e -> {
                if (target != null) target.fillMenu(menu);
            });
        }
    }

    PickerCell(EditorViewModel vm, RuleColumn column, CompletionPopup popup, DefinitionsMenu menu) {
        this.vm = vm;
        this.column = column;
        this.popup = popup;
        setContextMenu(menu.menu);
        // A filter runs before the control opens its menu: the menu then fills for this cell.
        addEventFilter(javafx.scene.input.ContextMenuEvent.CONTEXT_MENU_REQUESTED, e -> menu.target = this);
    }

    private void fillMenu(ContextMenu menu) {
        menu.getItems().clear();
        RuleRow row = getTableRow() == null ? null : getTableRow().getItem();
        List<String> names = row == null ? List.of() : vm.namesIn(row, column);
        for (String n : names) {
            MenuItem go = new MenuItem("Go to definition of " + n);
            go.setOnAction(e -> vm.goToDefinition(n));
            menu.getItems().add(go);
        }
        if (names.isEmpty()) {
            MenuItem none = new MenuItem("No names with a definition in this cell");
            none.setDisable(true);
            menu.getItems().add(none);
        }
    }

    @Override
    public void startEdit() {
        if (!isEditable() || !getTableView().isEditable() || !getTableColumn().isEditable()) return;
        super.startEdit();
        if (!isEditing()) return;
        field = new TextField(getItem() == null ? "" : getItem());
        field.getStyleClass().add("picker-field");
        field.addEventFilter(KeyEvent.KEY_PRESSED, this::onKey);
        field.textProperty().addListener((o, was, now) -> {
            if (!picking) refresh(true);
        });
        field.focusedProperty().addListener((o, was, now) -> {
            if (!now) popup.hide();
        });
        setText(null);
        setGraphic(field);
        field.selectAll();
        field.requestFocus();
    }

    private void onKey(KeyEvent e) {
        if (COMPLETE.match(e)) {
            refresh(false);
            e.consume();
            return;
        }
        switch (e.getCode()) {
            case DOWN -> {
                if (!popup.isShowing()) refresh(false);
                popup.move(1);
                e.consume();
            }
            case UP -> {
                popup.move(-1);
                e.consume();
            }
            case ENTER, TAB -> {
                if (!popup.pickSelected()) {
                    popup.hide();
                    commitEdit(field.getText());
                }
                e.consume();
            }
            case ESCAPE -> {
                if (popup.isShowing()) popup.hide();
                else cancelEdit();
                e.consume();
            }
            default -> { }
        }
    }

    /**
     * Shows the choices for the field's text and the rule's problems. While typing ({@code typing})
     * the picker only opens when the text so far narrows the choices or has a problem, so that a
     * cell can be retyped without a list in the way.
     */
    private void refresh(boolean typing) {
        if (field == null) return;
        String text = field.getText();
        Completion.Proposal p = vm.completeCell(column, text);
        RuleRow row = getTableRow() == null ? null : getTableRow().getItem();
        List<RuleCheck.Problem> problems = row == null ? List.of() : vm.checkCell(row, column, text);
        field.getStyleClass().removeAll("error", "warning");
        String problem = null;
        if (!problems.isEmpty()) {
            boolean error = problems.stream().anyMatch(RuleCheck.Problem::error);
            field.getStyleClass().add(error ? "error" : "warning");
            problem = String.join("\n", problems.stream().map(RuleCheck.Problem::message).toList());
        }
        List<Completion.Candidate> shown = p.candidates();
        // A choice equal to what is typed adds nothing.
        if (shown.size() == 1 && p.apply(text, shown.get(0)).equals(text)) shown = List.of();
        if (typing && p.typed().isEmpty() && problem == null) {
            popup.hide();
            return;
        }
        Bounds b = field.localToScreen(field.getBoundsInLocal());
        popup.show(field, b, shown, problem, false, c -> pick(p, c));
    }

    private void pick(Completion.Proposal p, Completion.Candidate c) {
        String now = p.apply(field.getText(), c);
        picking = true;
        try {
            field.setText(now);
        } finally {
            picking = false;
        }
        field.positionCaret(now.length());
        // The problems may have changed with the choice; the list stays closed until more is typed.
        List<RuleCheck.Problem> problems = getTableRow() == null || getTableRow().getItem() == null ? List.of()
                : vm.checkCell(getTableRow().getItem(), column, now);
        field.getStyleClass().removeAll("error", "warning");
        if (!problems.isEmpty()) field.getStyleClass().add(problems.stream().anyMatch(RuleCheck.Problem::error) ? "error" : "warning");
    }

    @Override
    public void cancelEdit() {
        super.cancelEdit();
        popup.hide();
        field = null;
        setText(getItem());
        setGraphic(null);
    }

    @Override
    public void commitEdit(String value) {
        popup.hide();
        super.commitEdit(value);
        field = null;
    }

    @Override
    protected void updateItem(String item, boolean empty) {
        super.updateItem(item, empty);
        if (empty) {
            setText(null);
            setGraphic(null);
        } else if (isEditing() && field != null) {
            setText(null);
            setGraphic(field);
        } else {
            setText(item);
            setGraphic(null);
        }
    }
}
