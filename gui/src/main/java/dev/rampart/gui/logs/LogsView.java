// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.logs;

import dev.rampart.telemetry.Flow;
import dev.rampart.telemetry.Talker;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;

/**
 * The Live log tab. The records are a {@link FlowGrid}, a table drawn on a canvas that looks only
 * at the visible rows, however many records it holds. A click on a cell filters on its value
 * (Alt+click filters it out); the context menu also offers "either side is this host" and making
 * a rule.
 */
public final class LogsView {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
    private static final String TIP = "Click: show only this value. Alt+click: hide it.";

    private final LogsViewModel vm;

    @FXML private TextField filterField;
    @FXML private Label filterErrorLabel, statusLabel, noticeLabel, savedFilterLabel;
    @FXML private javafx.scene.layout.HBox noticeBar;
    @FXML private javafx.scene.control.ComboBox<String> savedFilterBox;
    @FXML private ToggleButton pauseButton;
    @FXML private Button makeRuleButton;
    @FXML private javafx.scene.layout.StackPane flowPane;
    @FXML private javafx.scene.layout.VBox charts;
    private FlowGrid flowTable;

    private final RateCharts.Rates rateChart = new RateCharts.Rates();
    private final RateCharts.Talkers talkerChart = new RateCharts.Talkers();

    public LogsView(LogsViewModel vm) { this.vm = vm; }

    @FXML
    private void initialize() {
        filterField.textProperty().bindBidirectional(vm.filterProperty());
        filterErrorLabel.textProperty().bind(vm.filterErrorProperty());
        statusLabel.textProperty().bind(vm.statusProperty());
        pauseButton.selectedProperty().bindBidirectional(vm.pausedProperty());
        pauseButton.textProperty().bind(javafx.beans.binding.Bindings.when(vm.pausedProperty()).then("Resume").otherwise("Pause"));

        // Which field a click on a column filters on (null: none), beside each column.
        Map<FlowGrid.Column, LogsViewModel.Field> fields = new LinkedHashMap<>();
        column(fields, "Time", 100, f -> TIME.format(Instant.ofEpochMilli(f.timeMs())), null);
        column(fields, "Chain", 70, Flow::hookName, null);
        column(fields, "Verdict", 70, Flow::verdictName, LogsViewModel.Field.VERDICT);
        column(fields, "Proto", 60, f -> FilterQuery.protoName(f.proto()), LogsViewModel.Field.PROTO);
        column(fields, "Source", 130, Flow::src, LogsViewModel.Field.SRC);
        column(fields, "Sport", 60, f -> String.valueOf(f.srcPort()), LogsViewModel.Field.SPORT);
        column(fields, "Destination", 130, Flow::dst, LogsViewModel.Field.DST);
        column(fields, "Dport", 60, f -> String.valueOf(f.dstPort()), LogsViewModel.Field.DPORT);
        column(fields, "Rule", 130, f -> vm.ruleName(f.ruleId()), LogsViewModel.Field.RULE);
        flowTable = new FlowGrid(vm.shown(), List.copyOf(fields.keySet()));
        flowTable.setId("flowTable");
        flowTable.setPlaceholder("No records yet: connect to a box (the demo box sends a few hundred a second).");
        Map<LogsViewModel.Field, ContextMenu> menus = new HashMap<>();
        flowTable.setCellActions(new FlowGrid.CellActions() {
            @Override public void clicked(Flow f, FlowGrid.Column c, javafx.scene.input.MouseEvent e) {
                LogsViewModel.Field field = fields.get(c);
                if (field != null) vm.filterOn(f, field, e.isAltDown());
            }

            @Override public ContextMenu menu(Flow f, FlowGrid.Column c) {
                // Records keep arriving while the menu is open, and rows move: it acts on this record.
                menuFlow = f;
                return menus.computeIfAbsent(fields.get(c), LogsView.this::menu);
            }
        });
        flowPane.getChildren().setAll(flowTable);
        makeRuleButton.disableProperty().bind(flowTable.selectedProperty().isNull());

        noticeLabel.textProperty().bind(vm.noticeProperty());
        noticeBar.visibleProperty().bind(vm.noticeProperty().isNotEmpty());
        noticeBar.managedProperty().bind(noticeBar.visibleProperty());
        savedFilterLabel.textProperty().bind(vm.savedFilterMessageProperty());
        vm.savedFilters().addListener((ListChangeListener<SavedFilter>) c -> fillSavedFilters());
        fillSavedFilters();
        // Picking a name from the list (or typing one and pressing Enter) uses that filter.
        savedFilterBox.setOnAction(e -> vm.savedFilters().stream().filter(f -> f.name().equals(savedFilterBox.getValue()))
                .findFirst().ifPresent(vm::useFilter));
        rateChart.setId("rateChart");
        talkerChart.setId("talkerChart");
        javafx.scene.layout.VBox.setVgrow(rateChart, javafx.scene.layout.Priority.ALWAYS);
        javafx.scene.layout.VBox.setVgrow(talkerChart, javafx.scene.layout.Priority.ALWAYS);
        charts.getChildren().setAll(rateChart, talkerChart);
        vm.seconds().addListener((ListChangeListener<LogsViewModel.Second>) c -> rateChart.show(vm.seconds()));
        vm.talkers().addListener((ListChangeListener<Talker>) c -> talkerChart.show(vm.talkers()));
    }

    private static void column(Map<FlowGrid.Column, LogsViewModel.Field> into, String title, double width,
                               Function<Flow, String> value, LogsViewModel.Field field) {
        into.put(new FlowGrid.Column("flow-" + title.toLowerCase(java.util.Locale.ROOT), title, width, value,
                field == null ? null : TIP), field);
    }

    /** The record whose cell was right-clicked: records keep arriving while the menu is open, and rows move. */
    private Flow menuFlow;

    /** The menu of a column's cells; one per field, shared by its cells. */
    private ContextMenu menu(LogsViewModel.Field field) {
        List<MenuItem> items = new ArrayList<>();
        if (field != null) {
            MenuItem on = new MenuItem("Filter on this value");
            on.setOnAction(e -> withFlow(f -> vm.filterOn(f, field, false)));
            MenuItem off = new MenuItem("Filter out this value");
            off.setOnAction(e -> withFlow(f -> vm.filterOn(f, field, true)));
            items.add(on);
            items.add(off);
        }
        if (field == LogsViewModel.Field.SRC || field == LogsViewModel.Field.DST) {
            MenuItem host = new MenuItem("Either side is this host");
            host.setOnAction(e -> withFlow(f -> vm.filterOnHost(field == LogsViewModel.Field.SRC ? f.src() : f.dst(), false)));
            items.add(host);
        }
        if (!items.isEmpty()) items.add(new SeparatorMenuItem());
        MenuItem rule = new MenuItem("Make a rule from this flow");
        rule.setOnAction(e -> withFlow(vm::makeRule));
        items.add(rule);
        return new ContextMenu(items.toArray(MenuItem[]::new));
    }

    private void withFlow(java.util.function.Consumer<Flow> action) {
        Flow f = menuFlow;
        if (f != null) action.accept(f);
    }

    private void fillSavedFilters() {
        String typed = savedFilterBox.getEditor().getText();
        savedFilterBox.getItems().setAll(vm.savedFilters().stream().map(SavedFilter::name).toList());
        savedFilterBox.getEditor().setText(typed);
    }

    @FXML void onClearFilter() { vm.clearFilter(); }

    @FXML void onSaveFilter() { vm.saveFilter(savedFilterBox.getEditor().getText()); }

    @FXML void onDeleteFilter() {
        if (vm.deleteFilter(savedFilterBox.getEditor().getText())) savedFilterBox.getEditor().clear();
    }

    @FXML void onDismissNotice() { vm.dismissNotice(); }

    @FXML void onMakeRule() {
        Flow f = flowTable.getSelected();
        if (f != null) vm.makeRule(f);
    }
}
