// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui;

import dev.rampart.gui.connection.ConnectionView;
import dev.rampart.gui.connection.ConnectionViewModel;
import dev.rampart.gui.editor.EditorView;
import dev.rampart.gui.editor.EditorViewModel;
import dev.rampart.gui.simulation.SimulationView;
import javafx.fxml.FXML;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;

/** The window: menus with the app's shortcuts, the editor beside the simulation panel, a status line. */
public final class MainView {
    private final EditorViewModel editor;
    private final ConnectionViewModel connection;
    private final Stage stage;
    private final Theme theme;

    @FXML private BorderPane root;
    @FXML private EditorView editorViewController;
    @FXML private SimulationView simulationViewController;
    @FXML private Label statusLabel;
    @FXML private CheckMenuItem darkThemeItem;
    @FXML private TabPane tabs;
    @FXML private Tab policyTab, boxTab, deployTab, logsTab;
    @FXML private Label boxLabel;

    public MainView(EditorViewModel editor, ConnectionViewModel connection, Stage stage, Theme theme) {
        this.editor = editor;
        this.connection = connection;
        this.stage = stage;
        this.theme = theme;
    }

    @FXML
    private void initialize() {
        statusLabel.textProperty().bind(editor.statusProperty());
        darkThemeItem.selectedProperty().addListener((o, was, dark) -> theme.setDark(root.getScene(), dark));
        boxLabel.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> switch (connection.stateProperty().get()) {
            case CONNECTED -> "Box: " + connection.boxProperty().get().describe();
            case CONNECTING -> "Box: connecting...";
            case FAILED -> "Box: not connected (see the Box tab)";
            case DISCONNECTED -> "Box: not connected";
        }, connection.stateProperty(), connection.boxProperty()));
        connection.stateProperty().addListener((o, was, now) -> {
            boxLabel.getStyleClass().removeAll("connected", "failed");
            if (now == ConnectionViewModel.State.CONNECTED) boxLabel.getStyleClass().add("connected");
            if (now == ConnectionViewModel.State.FAILED) boxLabel.getStyleClass().add("failed");
        });
    }

    public void showTab(String which) {
        Tab t = switch (which) {
            case "box" -> boxTab;
            case "deploy" -> deployTab;
            case "logs" -> logsTab;
            default -> policyTab;
        };
        tabs.getSelectionModel().select(t);
    }

    @FXML void onConnect() {
        showTab("box");
        connection.connect();
    }

    @FXML void onDisconnect() { connection.disconnect(); }

    @FXML void onShowDeploy() { showTab("deploy"); }

    @FXML void onShowLogs() { showTab("logs"); }

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

    @FXML void onOpenCapture() {
        showTab("policy");
        simulationViewController.openCapture();
    }
}
