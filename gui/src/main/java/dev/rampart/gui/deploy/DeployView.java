// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.deploy;

import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;

/** The Deploy tab: what runs, the diff, the lockout verdict, push / Confirm / rollback. */
public final class DeployView {
    private final DeployViewModel vm;

    @FXML private Label runningLabel, lockoutLabel, summaryLabel, messageLabel;
    @FXML private CheckBox forceBox;
    @FXML private TableView<PolicyDiff.Line> diffTable;
    @FXML private Spinner<Integer> secondsSpinner;
    @FXML private Button pushButton, cancelButton, confirmButton, rollbackButton;
    @FXML private ProgressBar uploadBar;
    @FXML private VBox confirmPane;

    public DeployView(DeployViewModel vm) { this.vm = vm; }

    @FXML
    private void initialize() {
        runningLabel.textProperty().bind(Bindings.when(vm.runningProperty().isEmpty())
                .then("Not connected: choose a box in the Box tab.").otherwise(vm.runningProperty()));
        lockoutLabel.textProperty().bind(vm.lockoutProperty());
        vm.lockoutSafeProperty().addListener((o, was, now) -> {
            lockoutLabel.getStyleClass().removeAll("safe", "danger");
            if (now != null) lockoutLabel.getStyleClass().add(now ? "safe" : "danger");
        });
        forceBox.selectedProperty().bindBidirectional(vm.forceProperty());
        forceBox.visibleProperty().bind(vm.lockoutSafeProperty().isEqualTo(Boolean.FALSE));
        forceBox.managedProperty().bind(forceBox.visibleProperty());
        summaryLabel.textProperty().bind(vm.diffSummaryProperty());
        messageLabel.textProperty().bind(vm.messageProperty());

        diffTable.setItems(vm.diff());
        column("Change", 90, l -> l.change().name().toLowerCase(java.util.Locale.ROOT));
        column("Chain", 80, PolicyDiff.Line::chain);
        column("Rule", 140, PolicyDiff.Line::id);
        column("Rule text (after; before for removed rules)", 600, PolicyDiff.Line::text);
        diffTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        diffTable.setRowFactory(t -> new TableRow<>() {
            @Override protected void updateItem(PolicyDiff.Line l, boolean empty) {
                super.updateItem(l, empty);
                for (PolicyDiff.Change c : PolicyDiff.Change.values()) getStyleClass().remove("diff-" + c.name().toLowerCase());
                if (!empty && l != null) getStyleClass().add("diff-" + l.change().name().toLowerCase());
                setTooltip(!empty && l != null && l.change() == PolicyDiff.Change.CHANGED
                        ? new javafx.scene.control.Tooltip("before: " + l.before() + "\nafter:  " + l.after()) : null);
            }
        });

        secondsSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(5, 600, vm.confirmSecondsProperty().get(), 5));
        secondsSpinner.valueProperty().addListener((o, was, now) -> vm.confirmSecondsProperty().set(now));
        pushButton.disableProperty().bind(vm.canPushBinding().not());
        var pushing = vm.phaseProperty().isEqualTo(DeployViewModel.Phase.PUSHING);
        cancelButton.visibleProperty().bind(pushing);
        uploadBar.visibleProperty().bind(pushing);
        uploadBar.progressProperty().bind(vm.progressProperty());
        var awaiting = vm.phaseProperty().isEqualTo(DeployViewModel.Phase.AWAITING_CONFIRM)
                .or(vm.phaseProperty().isEqualTo(DeployViewModel.Phase.CONFIRMING));
        confirmPane.visibleProperty().bind(awaiting);
        confirmPane.managedProperty().bind(awaiting);
        confirmButton.textProperty().bind(Bindings.format("Confirm  (%d s left)", vm.secondsLeftProperty()));
        confirmButton.disableProperty().bind(vm.phaseProperty().isNotEqualTo(DeployViewModel.Phase.AWAITING_CONFIRM));
        rollbackButton.disableProperty().bind(vm.phaseProperty().isEqualTo(DeployViewModel.Phase.NO_BOX).or(pushing));
    }

    private void column(String title, double width, java.util.function.Function<PolicyDiff.Line, String> value) {
        TableColumn<PolicyDiff.Line, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(value.apply(d.getValue())));
        c.setPrefWidth(width);
        c.setSortable(false);
        diffTable.getColumns().add(c);
    }

    @FXML void onPush() { vm.push(); }
    @FXML void onCancel() { vm.cancelPush(); }
    @FXML void onConfirm() { vm.confirm(); }
    @FXML void onRollback() { vm.rollback(); }
    @FXML void onRefresh() { vm.refresh(); }
}
