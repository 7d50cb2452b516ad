// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.simulation;

import dev.rampart.gui.simulation.CaptureViewModel.HitRow;
import dev.rampart.gui.simulation.CaptureViewModel.PacketRow;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;

/** The Capture tab: open a capture, the per-rule hit summary, the packets of the selected row and why. */
public final class CaptureView {
    private final CaptureViewModel vm;

    @FXML private Button openButton, cancelButton;
    @FXML private Label fileLabel, summaryLabel, errorLabel, packetsNoteLabel;
    @FXML private ComboBox<String> hookBox;
    @FXML private TextField inField, outField;
    @FXML private HBox progressRow;
    @FXML private ProgressBar progressBar;
    @FXML private TableView<HitRow> hitTable;
    @FXML private TableColumn<HitRow, String> ruleColumn, actionColumn;
    @FXML private TableColumn<HitRow, Long> packetsColumn, bytesColumn;
    @FXML private TableView<PacketRow> packetTable;
    @FXML private TableColumn<PacketRow, Long> frameColumn;
    @FXML private TableColumn<PacketRow, String> timeColumn, packetColumn, verdictColumn, whyColumn;
    @FXML private TextArea whyArea;

    public CaptureView(CaptureViewModel vm) { this.vm = vm; }

    @FXML
    private void initialize() {
        fileLabel.textProperty().bind(Bindings.createStringBinding(
                () -> vm.captureProperty().get() == null ? "" : vm.captureProperty().get().getFileName().toString(),
                vm.captureProperty()));
        hookBox.getItems().setAll("input", "forward", "output");
        hookBox.valueProperty().bindBidirectional(vm.hookProperty());
        inField.textProperty().bindBidirectional(vm.inIfProperty());
        outField.textProperty().bindBidirectional(vm.outIfProperty());
        progressRow.visibleProperty().bind(vm.runningProperty());
        progressRow.managedProperty().bind(vm.runningProperty());
        progressBar.progressProperty().bind(vm.progressProperty());
        summaryLabel.textProperty().bind(vm.summaryProperty());
        errorLabel.textProperty().bind(vm.errorProperty());
        errorLabel.visibleProperty().bind(vm.errorProperty().isNotEmpty());
        errorLabel.managedProperty().bind(errorLabel.visibleProperty());

        hitTable.setItems(vm.rows());
        column(ruleColumn, HitRow::label);
        column(actionColumn, HitRow::action);
        column(packetsColumn, HitRow::packets);
        column(bytesColumn, r -> r.kind() == HitRow.Kind.NOT_EVALUATED ? null : r.bytes());
        hitTable.setRowFactory(t -> new TableRow<>() {
            @Override protected void updateItem(HitRow r, boolean empty) {
                super.updateItem(r, empty);
                // Rules no packet reached stand out, as in the CLI's "(never hit)".
                pseudoClassStateChanged(NEVER_HIT, !empty && r != null && r.kind() == HitRow.Kind.RULE && r.packets() == 0);
            }
        });
        hitTable.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> vm.selectedRowProperty().set(now));
        vm.selectedRowProperty().addListener((o, was, now) -> {
            if (now == null) hitTable.getSelectionModel().clearSelection();
            else if (hitTable.getSelectionModel().getSelectedItem() != now) hitTable.getSelectionModel().select(now);
        });

        packetsNoteLabel.textProperty().bind(vm.packetsNoteProperty());
        packetTable.setItems(vm.packets());
        column(frameColumn, PacketRow::frame);
        column(timeColumn, PacketRow::time);
        column(packetColumn, PacketRow::packet);
        column(verdictColumn, PacketRow::verdict);
        column(whyColumn, PacketRow::why);
        packetTable.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> vm.selectedPacketProperty().set(now));
        whyArea.textProperty().bind(vm.whyProperty());
    }

    private static final javafx.css.PseudoClass NEVER_HIT = javafx.css.PseudoClass.getPseudoClass("never-hit");

    private static <S, T> void column(TableColumn<S, T> c, Function<S, T> value) {
        c.setCellValueFactory(d -> new ReadOnlyObjectWrapper<>(d.getValue() == null ? null : value.apply(d.getValue())));
    }

    @FXML void onOpen() { vm.openCapture(); }

    @FXML void onCancel() { vm.cancel(); }
}
