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
