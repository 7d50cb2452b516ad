// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui;

import dev.rampart.gui.editor.EditorView;
import dev.rampart.gui.editor.EditorViewModel;
import dev.rampart.gui.simulation.SimulationView;
import javafx.fxml.FXML;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;

/** The window: menus with the app's shortcuts, the editor beside the simulation panel, a status line. */
public final class MainView {
    private final EditorViewModel editor;
    private final Stage stage;
    private final Theme theme;

    @FXML private BorderPane root;
    @FXML private EditorView editorViewController;
    @FXML private SimulationView simulationViewController;
    @FXML private Label statusLabel;
    @FXML private CheckMenuItem darkThemeItem;

    public MainView(EditorViewModel editor, Stage stage, Theme theme) {
        this.editor = editor;
        this.stage = stage;
        this.theme = theme;
    }

    @FXML
    private void initialize() {
        statusLabel.textProperty().bind(editor.statusProperty());
        darkThemeItem.selectedProperty().addListener((o, was, dark) -> theme.setDark(root.getScene(), dark));
    }

    public EditorView editorView() { return editorViewController; }

    @FXML void onOpen() { editor.open(); }

    @FXML void onSave() { editor.save(); }

    @FXML void onSaveAs() { editor.saveAs(); }

    @FXML void onQuit() {
        if (editor.mayDiscard()) stage.close();
    }

    @FXML void onUndo() { editorViewController.undo(); }

    @FXML void onRedo() { editorViewController.redo(); }

    @FXML void onDuplicate() { editorViewController.onDuplicate(); }

    @FXML void onToggleDisabled() { editorViewController.onToggleDisabled(); }

    @FXML void onFormat() { editorViewController.onFormat(); }

    @FXML void onFocusPacket() { simulationViewController.focusPacket(); }
}
