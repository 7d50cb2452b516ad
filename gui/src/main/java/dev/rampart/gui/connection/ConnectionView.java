// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.connection;

import java.util.List;
import java.util.Map;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;

/** The Box tab: the saved profiles, the form of the selected one, and connect/cancel/disconnect. */
public final class ConnectionView {
    private final ConnectionViewModel vm;

    @FXML private ListView<Profile> profileList;
    @FXML private Button deleteButton;
    @FXML private TextField nameField, socketField, hostField, userField, portField, keyField, deviceField, baudField;
    @FXML private Label socketLabel, hostLabel, userLabel, portLabel, keyLabel, deviceLabel, baudLabel;
    @FXML private Label demoNote, formProblemLabel, messageLabel;
    @FXML private ComboBox<Profile.Kind> kindBox;
    @FXML private Button saveButton, connectButton, cancelButton, disconnectButton;
    @FXML private ProgressIndicator progress;

    public ConnectionView(ConnectionViewModel vm) { this.vm = vm; }

    @FXML
    private void initialize() {
        profileList.setItems(vm.profiles());
        profileList.setCellFactory(l -> new ListCell<>() {
            @Override protected void updateItem(Profile p, boolean empty) {
                super.updateItem(p, empty);
                getStyleClass().remove("connected");
                if (empty || p == null) {
                    setText(null);
                    return;
                }
                boolean on = p.equals(vm.connectedProfileProperty().get());
                if (on) getStyleClass().add("connected");
                setText(p.name() + (on ? "  (connected)" : "") + "\n" + (p.kind() == Profile.Kind.DEMO ? "simulated, on this machine" : p.target()));
            }
        });
        vm.connectedProfileProperty().addListener((o, was, now) -> profileList.refresh());
        profileList.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (now != null && now != vm.selectedProperty().get()) vm.selectedProperty().set(now);
        });
        vm.selectedProperty().addListener((o, was, now) -> {
            if (now == null) profileList.getSelectionModel().clearSelection();
            else profileList.getSelectionModel().select(now);
        });
        if (vm.selectedProperty().get() != null) profileList.getSelectionModel().select(vm.selectedProperty().get());
        deleteButton.disableProperty().bind(vm.selectedProperty().isNull());

        nameField.textProperty().bindBidirectional(vm.nameProperty());
        socketField.textProperty().bindBidirectional(vm.socketProperty());
        hostField.textProperty().bindBidirectional(vm.hostProperty());
        userField.textProperty().bindBidirectional(vm.userProperty());
        portField.textProperty().bindBidirectional(vm.portProperty());
        keyField.textProperty().bindBidirectional(vm.keyFileProperty());
        deviceField.textProperty().bindBidirectional(vm.deviceProperty());
        baudField.textProperty().bindBidirectional(vm.baudProperty());
        kindBox.getItems().setAll(Profile.Kind.values());
        kindBox.valueProperty().bindBidirectional(vm.kindProperty());
        vm.kindProperty().addListener((o, was, now) -> showFieldsOf(now));
        showFieldsOf(vm.kindProperty().get());
        formProblemLabel.textProperty().bind(vm.formProblemProperty());

        var connecting = vm.connectingBinding();
        connectButton.disableProperty().bind(connecting);
        saveButton.disableProperty().bind(connecting);
        cancelButton.visibleProperty().bind(connecting);
        cancelButton.managedProperty().bind(connecting);
        progress.visibleProperty().bind(connecting);
        disconnectButton.disableProperty().bind(vm.boxProperty().isNull());
        messageLabel.textProperty().bind(vm.messageProperty());
        vm.stateProperty().addListener((o, was, now) -> {
            messageLabel.getStyleClass().removeAll("failed", "connected");
            if (now == ConnectionViewModel.State.FAILED) messageLabel.getStyleClass().add("failed");
            if (now == ConnectionViewModel.State.CONNECTED) messageLabel.getStyleClass().add("connected");
        });
    }

    /** Only the fields the kind uses are shown; the others keep their text for when the kind changes back. */
    private void showFieldsOf(Profile.Kind k) {
        Map<Profile.Kind, List<Node>> used = Map.of(
                Profile.Kind.DEMO, List.of(demoNote),
                Profile.Kind.LOCAL, List.of(socketLabel, socketField),
                Profile.Kind.SSH, List.of(hostLabel, hostField, userLabel, userField, portLabel, portField, keyLabel, keyField),
                Profile.Kind.SERIAL, List.of(deviceLabel, deviceField, baudLabel, baudField));
        for (List<Node> nodes : used.values()) for (Node n : nodes) show(n, false);
        if (k != null) for (Node n : used.get(k)) show(n, true);
    }

    private static void show(Node n, boolean on) {
        n.setVisible(on);
        n.setManaged(on);
    }

    @FXML void onNewSsh() { vm.newProfile(Profile.Kind.SSH); }
    @FXML void onNewSerial() { vm.newProfile(Profile.Kind.SERIAL); }
    @FXML void onNewLocal() { vm.newProfile(Profile.Kind.LOCAL); }
    @FXML void onNewDemo() { vm.newProfile(Profile.Kind.DEMO); }
    @FXML void onDelete() { vm.deleteProfile(); }
    @FXML void onSave() { vm.saveProfile(); }
    @FXML void onConnect() { vm.connect(); }
    @FXML void onCancel() { vm.cancel(); }
    @FXML void onDisconnect() { vm.disconnect(); }
}
