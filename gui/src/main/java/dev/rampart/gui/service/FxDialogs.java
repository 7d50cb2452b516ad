// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.service;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** Dialogs as JavaFX windows owned by the main window. */
public final class FxDialogs implements Dialogs {
    private final Window owner;

    public FxDialogs(Window owner) { this.owner = owner; }

    private static FileChooser chooser(Path dir) {
        FileChooser c = new FileChooser();
        c.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Rampart policies", "*.rampart"),
                new FileChooser.ExtensionFilter("All files", "*"));
        if (dir != null && Files.isDirectory(dir)) c.setInitialDirectory(dir.toFile());
        return c;
    }

    @Override
    public Optional<Path> chooseFileToOpen(Path initialDirectory) {
        File f = chooser(initialDirectory).showOpenDialog(owner);
        return Optional.ofNullable(f).map(File::toPath);
    }

    @Override
    public Optional<Path> chooseFileToSave(Path suggestion) {
        FileChooser c = chooser(suggestion == null ? null : suggestion.toAbsolutePath().getParent());
        if (suggestion != null) c.setInitialFileName(suggestion.getFileName().toString());
        return Optional.ofNullable(c.showSaveDialog(owner)).map(File::toPath);
    }

    @Override
    public Optional<Path> chooseCaptureToOpen(Path initialDirectory) {
        FileChooser c = new FileChooser();
        c.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Packet captures (pcap, pcapng)", "*.pcap", "*.pcapng", "*.cap", "*.dmp"),
                new FileChooser.ExtensionFilter("All files", "*"));
        if (initialDirectory != null && Files.isDirectory(initialDirectory)) c.setInitialDirectory(initialDirectory.toFile());
        return Optional.ofNullable(c.showOpenDialog(owner)).map(File::toPath);
    }

    @Override
    public Optional<String> askSecret(String title, String message, String problem) {
        javafx.scene.control.Dialog<String> d = new javafx.scene.control.Dialog<>();
        d.initOwner(owner);
        d.setTitle(title);
        d.setHeaderText(title);
        javafx.scene.control.PasswordField field = new javafx.scene.control.PasswordField();
        field.setId("secretField");
        javafx.scene.control.Label text = new javafx.scene.control.Label(message);
        text.setWrapText(true);
        javafx.scene.layout.VBox box = new javafx.scene.layout.VBox(8, text);
        if (problem != null) {
            javafx.scene.control.Label p = new javafx.scene.control.Label(problem);
            p.setId("secretProblem");
            p.setWrapText(true);
            p.setStyle("-fx-text-fill: #c62828; -fx-font-weight: bold;");
            box.getChildren().add(p);
        }
        box.getChildren().add(field);
        d.getDialogPane().setContent(box);
        d.getDialogPane().setMinWidth(480);
        d.getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        d.setResultConverter(b -> b == ButtonType.OK ? field.getText() : null);
        javafx.application.Platform.runLater(field::requestFocus);
        return d.showAndWait();
    }

    @Override
    public boolean confirmDiscard(String what) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, what + " has unsaved changes. Discard them?",
                ButtonType.YES, ButtonType.CANCEL);
        a.initOwner(owner);
        a.setHeaderText(null);
        return a.showAndWait().filter(b -> b == ButtonType.YES).isPresent();
    }

    @Override
    public boolean confirm(String title, String message, String yes) {
        ButtonType ok = new ButtonType(yes, javafx.scene.control.ButtonBar.ButtonData.OK_DONE);
        Alert a = new Alert(Alert.AlertType.WARNING, message, ok, ButtonType.CANCEL);
        a.initOwner(owner);
        a.setHeaderText(title);
        a.getDialogPane().setMinWidth(560);
        // Cancel is the default: a key press must not trust a host key by accident.
        ((javafx.scene.control.Button) a.getDialogPane().lookupButton(ok)).setDefaultButton(false);
        ((javafx.scene.control.Button) a.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        return a.showAndWait().filter(b -> b == ok).isPresent();
    }

    @Override
    public void showError(String title, String message) {
        Alert a = new Alert(Alert.AlertType.ERROR, message, ButtonType.OK);
        a.initOwner(owner);
        a.setHeaderText(title);
        a.showAndWait();
    }
}
