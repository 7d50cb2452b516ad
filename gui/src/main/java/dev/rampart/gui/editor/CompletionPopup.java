// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

import java.util.List;
import java.util.function.Consumer;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Popup;

/**
 * The list of choices under a cell being edited or at the text's caret, with the checker's
 * problems above it. It never takes the keyboard focus: the field or text keeps it and forwards
 * Up, Down, Enter and Tab here, so typing goes on filtering the list.
 */
final class CompletionPopup {
    private static final int VISIBLE_ROWS = 10;

    private final Popup popup = new Popup();
    private final ListView<Completion.Candidate> list = new ListView<>();
    private final Label problems = new Label();
    private Consumer<Completion.Candidate> onPick = c -> { };

    CompletionPopup() {
        list.setId("completionList");
        list.setFocusTraversable(false);
        list.setPrefWidth(420);
        list.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(Completion.Candidate c, boolean empty) {
                super.updateItem(c, empty);
                if (empty || c == null) {
                    setGraphic(null);
                    setText(null);
                    return;
                }
                Label name = new Label(c.insert());
                name.getStyleClass().add("completion-name");
                Label detail = new Label(c.detail());
                detail.getStyleClass().add("completion-detail");
                Region gap = new Region();
                HBox.setHgrow(gap, Priority.ALWAYS);
                setGraphic(new HBox(12, name, gap, detail));
                setText(null);
            }
        });
        list.setOnMouseClicked(e -> {
            Completion.Candidate c = list.getSelectionModel().getSelectedItem();
            if (c != null) pick(c);
        });
        problems.setId("completionProblems");
        problems.setWrapText(true);
        problems.setMaxWidth(420);
        problems.getStyleClass().add("completion-problems");
        problems.managedProperty().bind(problems.visibleProperty());
        VBox box = new VBox(problems, list);
        box.getStyleClass().add("completion-popup");
        // A popup is a window of its own: the editor's sheet, set on the editor's node, does not reach it.
        box.getStylesheets().add(CompletionPopup.class.getResource("/dev/rampart/gui/editor/editor.css").toExternalForm());
        popup.getContent().add(box);
        popup.setAutoHide(true);
        popup.setHideOnEscape(true);
    }

    boolean isShowing() { return popup.isShowing(); }

    /**
     * Shows {@code candidates} (and {@code problem}, when not null) under {@code anchor} in screen
     * coordinates; hides when there is nothing to show. With {@code preselect} the first choice is
     * selected, so Enter takes it; without, Enter is left to the field until the user moves down.
     */
    void show(Node owner, Bounds anchor, List<Completion.Candidate> candidates, String problem, boolean preselect,
              Consumer<Completion.Candidate> onPick) {
        this.onPick = onPick;
        problems.setText(problem == null ? "" : problem);
        problems.setVisible(problem != null);
        list.getItems().setAll(candidates);
        list.setVisible(!candidates.isEmpty());
        list.setManaged(!candidates.isEmpty());
        list.setPrefHeight(Math.min(VISIBLE_ROWS, Math.max(1, candidates.size())) * 26 + 4);
        list.getSelectionModel().clearSelection();
        if (preselect && !candidates.isEmpty()) list.getSelectionModel().select(0);
        if (candidates.isEmpty() && problem == null) {
            hide();
            return;
        }
        if (anchor == null || owner.getScene() == null || owner.getScene().getWindow() == null) return;
        if (popup.isShowing()) {
            popup.setX(anchor.getMinX());
            popup.setY(anchor.getMaxY());
        } else {
            popup.show(owner, anchor.getMinX(), anchor.getMaxY());
        }
    }

    void hide() { popup.hide(); }

    /** Down and Up move the choice; true when the popup took the key. */
    boolean move(int delta) {
        if (!popup.isShowing() || list.getItems().isEmpty()) return false;
        int i = list.getSelectionModel().getSelectedIndex();
        int next = i < 0 ? (delta > 0 ? 0 : list.getItems().size() - 1) : Math.floorMod(i + delta, list.getItems().size());
        list.getSelectionModel().clearAndSelect(next);
        list.scrollTo(Math.max(0, next - VISIBLE_ROWS / 2));
        return true;
    }

    /** Enter or Tab: takes the selected choice; false when none is selected, so the key does its usual work. */
    boolean pickSelected() {
        Completion.Candidate c = popup.isShowing() ? list.getSelectionModel().getSelectedItem() : null;
        if (c == null) return false;
        pick(c);
        return true;
    }

    private void pick(Completion.Candidate c) {
        hide();
        onPick.accept(c);
    }
}
