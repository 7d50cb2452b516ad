// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.simulation;

import dev.rampart.dsl.test.PolicyTests.TestResult;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;

/** The packet field, its verdict and trace, and the policy's tests. */
public final class SimulationView {
    private final SimulationViewModel vm;

    @FXML private TextField packetField;
    @FXML private Label verdictLabel;
    @FXML private Label decidedByLabel;
    @FXML private Label errorLabel;
    @FXML private TextArea traceArea;
    @FXML private Label testSummaryLabel;
    @FXML private ListView<TestResult> testList;
    @FXML private TextArea testDetailArea;
    @FXML private javafx.scene.control.TabPane simTabs;
    @FXML private javafx.scene.control.Tab packetTab, captureTab;
    @FXML private CaptureView captureViewController;

    public SimulationView(SimulationViewModel vm) { this.vm = vm; }

    @FXML
    private void initialize() {
        packetField.textProperty().bindBidirectional(vm.packetProperty());
        verdictLabel.textProperty().bind(vm.verdictProperty());
        vm.verdictProperty().addListener((o, was, now) -> {
            verdictLabel.getStyleClass().removeAll("accept", "drop", "reject");
            if (!now.isEmpty()) verdictLabel.getStyleClass().add(now);
        });
        decidedByLabel.textProperty().bind(vm.decidedByProperty());
        errorLabel.textProperty().bind(vm.errorProperty());
        errorLabel.visibleProperty().bind(vm.errorProperty().isNotEmpty());
        errorLabel.managedProperty().bind(errorLabel.visibleProperty());
        traceArea.textProperty().bind(vm.traceProperty());

        testSummaryLabel.textProperty().bind(vm.testSummaryProperty());
        vm.testsFailingProperty().addListener((o, was, now) -> setClass(testSummaryLabel, "error", now));
        setClass(testSummaryLabel, "error", vm.testsFailingProperty().get());
        testList.setItems(vm.tests());
        testList.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(TestResult t, boolean empty) {
                super.updateItem(t, empty);
                getStyleClass().removeAll("passed", "failed");
                if (empty || t == null) {
                    setText(null);
                    return;
                }
                getStyleClass().add(t.passed() ? "passed" : "failed");
                setText((t.passed() ? "\u2714 " : "\u2718 ") + t.test().name());
            }
        });
        testList.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) vm.simulateTest(testList.getSelectionModel().getSelectedItem());
        });
        testList.getSelectionModel().selectedItemProperty().addListener((o, was, now) ->
                testDetailArea.setText(now == null ? "" : now.describe()));
    }

    private static void setClass(Label l, String cls, boolean on) {
        l.getStyleClass().remove(cls);
        if (on) l.getStyleClass().add(cls);
    }

    @FXML
    void onSimulate() { vm.simulate(); }

    public void focusPacket() {
        simTabs.getSelectionModel().select(packetTab);
        packetField.requestFocus();
    }

    /** Shows the Capture tab and asks for a capture to open. */
    public void openCapture() {
        simTabs.getSelectionModel().select(captureTab);
        captureViewController.onOpen();
    }
}
