// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.logs;

import dev.rampart.telemetry.Flow;
import dev.rampart.telemetry.Talker;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;

/**
 * The Live log tab. The table is a virtualised TableView: it makes cells for the visible rows
 * only, however many records it holds. A click on a cell filters on its value (Alt+click filters
 * it out); the context menu also offers "either side is this host" and making a rule.
 */
public final class LogsView {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private final LogsViewModel vm;

    @FXML private TextField filterField;
    @FXML private Label filterErrorLabel, statusLabel, noticeLabel, savedFilterLabel;
    @FXML private javafx.scene.layout.HBox noticeBar;
    @FXML private javafx.scene.control.ComboBox<String> savedFilterBox;
    @FXML private ToggleButton pauseButton;
    @FXML private Button makeRuleButton;
    @FXML private TableView<Flow> flowTable;
    @FXML private javafx.scene.layout.VBox charts;

    /** The theme's error colour, as CSS gives it to the filter's error label; denied records are drawn in it. */
    private final javafx.beans.property.ObjectProperty<javafx.scene.paint.Paint> deniedPaint =
            new javafx.beans.property.SimpleObjectProperty<>(javafx.scene.paint.Color.RED);

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
        makeRuleButton.disableProperty().bind(flowTable.getSelectionModel().selectedItemProperty().isNull());

        // The selection stays on the same record while rows arrive: a shift moves it with its row, and
        // after a replacement (new filter, resume) it is found again by identity, or dropped.
        Flow[] selectedBefore = {null};
        vm.shown().addListener((ListChangeListener<Flow>) c -> selectedBefore[0] = flowTable.getSelectionModel().getSelectedItem());
        flowTable.setItems(vm.shown());
        vm.shown().addListener((ListChangeListener<Flow>) c -> {
            Flow keep = selectedBefore[0];
            selectedBefore[0] = null;
            if (keep == null || flowTable.getSelectionModel().getSelectedItem() == keep) return;
            int at = vm.shown().indexOf(keep);
            if (at >= 0) flowTable.getSelectionModel().clearAndSelect(at);
            else flowTable.getSelectionModel().clearSelection();
        });

        noticeLabel.textProperty().bind(vm.noticeProperty());
        noticeBar.visibleProperty().bind(vm.noticeProperty().isNotEmpty());
        noticeBar.managedProperty().bind(noticeBar.visibleProperty());
        savedFilterLabel.textProperty().bind(vm.savedFilterMessageProperty());
        vm.savedFilters().addListener((ListChangeListener<SavedFilter>) c -> fillSavedFilters());
        fillSavedFilters();
        // Picking a name from the list (or typing one and pressing Enter) uses that filter.
        savedFilterBox.setOnAction(e -> vm.savedFilters().stream().filter(f -> f.name().equals(savedFilterBox.getValue()))
                .findFirst().ifPresent(vm::useFilter));
        column("Time", 100, f -> TIME.format(Instant.ofEpochMilli(f.timeMs())), null);
        column("Chain", 70, Flow::hookName, null);
        column("Verdict", 70, Flow::verdictName, LogsViewModel.Field.VERDICT);
        column("Proto", 60, f -> FilterQuery.protoName(f.proto()), LogsViewModel.Field.PROTO);
        column("Source", 130, Flow::src, LogsViewModel.Field.SRC);
        column("Sport", 60, f -> String.valueOf(f.srcPort()), LogsViewModel.Field.SPORT);
        column("Destination", 130, Flow::dst, LogsViewModel.Field.DST);
        column("Dport", 60, f -> String.valueOf(f.dstPort()), LogsViewModel.Field.DPORT);
        column("Rule", 130, f -> vm.ruleName(f.ruleId()), LogsViewModel.Field.RULE);
        flowTable.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        deniedPaint.bind(filterErrorLabel.textFillProperty());
        deniedPaint.addListener((o, was, now) -> flowTable.refresh()); // a theme change
        rateChart.setId("rateChart");
        talkerChart.setId("talkerChart");
        javafx.scene.layout.VBox.setVgrow(rateChart, javafx.scene.layout.Priority.ALWAYS);
        javafx.scene.layout.VBox.setVgrow(talkerChart, javafx.scene.layout.Priority.ALWAYS);
        charts.getChildren().setAll(rateChart, talkerChart);
        vm.seconds().addListener((ListChangeListener<LogsViewModel.Second>) c -> rateChart.show(vm.seconds()));
        vm.talkers().addListener((ListChangeListener<Talker>) c -> talkerChart.show(vm.talkers()));
    }

    private void column(String title, double width, Function<Flow, String> value, LogsViewModel.Field field) {
        TableColumn<Flow, String> c = new TableColumn<>(title);
        c.setId("flow-" + title.toLowerCase(java.util.Locale.ROOT));
        c.setPrefWidth(width);
        c.setSortable(false); // newest first is the point of a live log
        c.setCellValueFactory(d -> new ReadOnlyStringWrapper(value.apply(d.getValue())));
        // One tooltip and one menu per column, shared by its cells: cells are made as the table scrolls.
        Tooltip tip = field == null ? null : new Tooltip("Click: show only this value. Alt+click: hide it.");
        ContextMenu menu = menu(field);
        c.setCellFactory(col -> new FlowCell(field, tip, menu));
        flowTable.getColumns().add(c);
    }

    /** The record whose cell was right-clicked: records keep arriving while the menu is open, and rows move. */
    private Flow menuFlow;

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

    /**
     * A cell of the log. Its value is drawn by a plain Text node, not the cell's own label, and a
     * denied record's colour is set on that node, not through a pseudo-class: every update of the
     * log gives each visible cell another value, and a label measures its text once more to fit
     * it (ellipsis) while a pseudo-class change restyles the cell, which together were most of the
     * FX thread's work per update (JFR of LiveLogBench; docs/benchmarks.md). A value wider than
     * its column is cut at the cell's edge by a clip.
     */
    private final class FlowCell extends TableCell<Flow, String> {
        private final javafx.scene.text.Text text = new javafx.scene.text.Text();
        private boolean denied;

        FlowCell(LogsViewModel.Field field, Tooltip tip, ContextMenu menu) {
            getStyleClass().add("flow-cell");
            text.getStyleClass().add("flow-text");
            text.fontProperty().bind(fontProperty());
            setGraphic(text);
            setContentDisplay(javafx.scene.control.ContentDisplay.GRAPHIC_ONLY);
            javafx.scene.shape.Rectangle clip = new javafx.scene.shape.Rectangle();
            clip.widthProperty().bind(widthProperty());
            clip.heightProperty().bind(heightProperty());
            setClip(clip);
            // The cell's own text colour follows the theme and the row's selection through CSS.
            textFillProperty().addListener((o, was, now) -> paint());
            setOnMouseClicked(e -> {
                Flow f = flow();
                if (f == null || field == null || e.getButton() != javafx.scene.input.MouseButton.PRIMARY) return;
                vm.filterOn(f, field, e.isAltDown());
            });
            if (tip != null) setTooltip(tip);
            setContextMenu(menu);
            // A filter runs before the control opens its menu: the menu then acts on this record.
            addEventFilter(javafx.scene.input.ContextMenuEvent.CONTEXT_MENU_REQUESTED,
                    e -> menuFlow = flow());
        }

        @Override protected void updateItem(String s, boolean empty) {
            super.updateItem(s, empty);
            text.setText(empty ? null : s);
            Flow f = empty ? null : flow();
            denied = f != null && f.verdict() != Flow.ACCEPT;
            paint();
        }

        /** The record of this cell's row, if it has one. */
        private Flow flow() { return getTableRow() == null ? null : getTableRow().getItem(); }

        /** The value's colour: the theme's error colour for a denied record, unless its row is selected. */
        private void paint() {
            boolean selected = getTableRow() != null && getTableRow().isSelected();
            text.setFill(denied && !selected ? deniedPaint.get() : getTextFill());
        }
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
        Flow f = flowTable.getSelectionModel().getSelectedItem();
        if (f != null) vm.makeRule(f);
    }
}
