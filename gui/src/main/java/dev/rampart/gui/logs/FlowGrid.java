// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.logs;

import static dev.rampart.gui.logs.ThemeInk.ink;
import static dev.rampart.gui.logs.ThemeInk.swatch;

import dev.rampart.telemetry.Flow;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.geometry.Bounds;
import javafx.geometry.Orientation;
import javafx.geometry.Point2D;
import javafx.geometry.VPos;
import javafx.scene.Cursor;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;

/**
 * The live log's table of records, drawn on a canvas. A TableView keeps a node tree per visible
 * cell (about 300 here), and each update of the log gives every one of them another value, which
 * it lays out, measures and repaints: 15-25 ms of the UI thread twice a second, and with the JIT
 * and the collector busy in the first minute of streaming those updates stalled the UI past
 * 50 ms (docs/benchmarks.md). Here an update draws the visible rows' text once, which costs the
 * UI thread a fraction of that. Virtualised like a TableView: only the visible rows are looked at,
 * however many the list holds.
 * <p>
 * What a user does with it: scroll (wheel, bar, keys), select a row (click, arrow keys, Page Up/Down,
 * Home/End), resize columns by dragging a header edge, copy the selected record (Ctrl+C), and the
 * owner's cell actions on a click and a context menu. When the view is scrolled down, the records
 * in view stay in view as new ones arrive on top; at the top it shows the newest.
 * Colours come from the theme through labels that the stylesheet colours (the {@code flow-grid-*}
 * classes in logs.css), so the dark theme applies.
 */
public final class FlowGrid extends Region {
    /** A column: its id (for lookups), title, preferred width, value of a record, and tooltip (or null). */
    public record Column(String id, String title, double prefWidth, Function<Flow, String> value, String tip) {}

    /** What the owner does on a cell. */
    interface CellActions {
        /** A primary click on a cell (after it selected the row). */
        void clicked(Flow flow, Column column, MouseEvent e);
        /** The menu for a cell, or null for none. */
        ContextMenu menu(Flow flow, Column column);
    }

    private static final double PAD = 4, MIN_WIDTH = 28, GRIP = 4;

    private final List<Column> columns;
    private final double[] widths;
    private final Canvas header = new Canvas(), body = new Canvas();
    private final ScrollBar bar = new ScrollBar();
    private final Label placeholder = new Label();
    private final Label text = swatch("flow-grid-text"), denied = swatch("flow-grid-denied"),
            base = swatch("flow-grid-base"), stripe = swatch("flow-grid-stripe"), line = swatch("flow-grid-line"),
            selection = swatch("flow-grid-selection"), selectionText = swatch("flow-grid-selection-text"),
            unfocusedSelection = swatch("flow-grid-selection-unfocused"),
            headerFill = swatch("flow-grid-header"), headerText = swatch("flow-grid-header-text");
    private final Tooltip tooltip = new Tooltip();
    private final ObservableList<Flow> items;
    private final ReadOnlyObjectWrapper<Flow> selected = new ReadOnlyObjectWrapper<>(this, "selected");
    private CellActions actions;

    /** The first row drawn, and the selected record's row (-1: none), kept in step with the list. */
    private int top, selectedRow = -1;
    private double rowHeight = 24, headerHeight = 26;
    private boolean syncingBar;
    private Column tipColumn;
    /** Column being resized from the header, its width when the drag began, and where the drag began. */
    private int resizing = -1;
    private double resizeFrom, resizeX;
    /** Glyph advances of the current font: ASCII in an array (-1: not measured yet), the rest in a map. */
    private final double[] ascii = new double[128];
    private final Map<Character, Double> other = new HashMap<>();
    private final Text meter = new Text();

    public FlowGrid(ObservableList<Flow> items, List<Column> columns) {
        this.items = items;
        this.columns = List.copyOf(columns);
        this.widths = new double[columns.size()];
        for (int i = 0; i < widths.length; i++) widths[i] = columns.get(i).prefWidth();
        getStyleClass().add("flow-grid");
        setFocusTraversable(true);
        bar.setOrientation(Orientation.VERTICAL);
        placeholder.getStyleClass().add("flow-grid-placeholder");
        placeholder.setMouseTransparent(true);
        getChildren().addAll(header, body, bar, placeholder, text, denied, base, stripe, line, selection,
                selectionText, unfocusedSelection, headerFill, headerText);
        for (Label l : List.of(text, denied, base, stripe, line, selection, selectionText, unfocusedSelection, headerFill, headerText))
            l.textFillProperty().addListener((o, a, b) -> repaint());
        text.fontProperty().addListener((o, a, b) -> { fontChanged(); requestLayout(); });
        focusedProperty().addListener((o, a, b) -> paintBody());
        // A canvas has nothing for a screen reader to read: the grid reads out the selected record.
        setAccessibleRole(javafx.scene.AccessibleRole.TEXT);
        setAccessibleRoleDescription("flow records");
        accessibleTextProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> selected.get() == null ? items.size() + " records, none selected" : rowText(selected.get()), selected, items));
        fontChanged();

        items.addListener((ListChangeListener<Flow>) this::itemsChanged);
        placeholder.visibleProperty().bind(javafx.beans.binding.Bindings.isEmpty(items));
        bar.valueProperty().addListener((o, a, b) -> {
            if (syncingBar) return;
            top = (int) Math.round(b.doubleValue());
            paintBody();
        });
        body.addEventHandler(MouseEvent.MOUSE_PRESSED, this::bodyPressed);
        body.addEventHandler(MouseEvent.MOUSE_CLICKED, this::bodyClicked);
        body.addEventHandler(MouseEvent.MOUSE_MOVED, e -> tipFor(columnAt(e.getX())));
        body.addEventHandler(MouseEvent.MOUSE_EXITED, e -> tipFor(-1));
        // On the grid, not the canvas: a request from the keyboard (the Menu key, Shift+F10) goes to
        // the focused grid and acts on the selected record, in its first column.
        setOnContextMenuRequested(e -> {
            Point2D at = body.sceneToLocal(e.getSceneX(), e.getSceneY());
            int row = e.isKeyboardTrigger() ? selectedRow : rowAt(at.getY());
            int col = e.isKeyboardTrigger() ? 0 : columnAt(at.getX());
            if (row < 0 || col < 0 || actions == null) return;
            select(row);
            ContextMenu menu = actions.menu(items.get(row), columns.get(col));
            if (menu != null) menu.show(body, e.getScreenX(), e.getScreenY());
            e.consume();
        });
        addEventHandler(ScrollEvent.SCROLL, e -> {
            if (e.getDeltaY() == 0) return;
            int rows = (int) Math.round(-e.getDeltaY() / rowHeight);
            if (rows == 0) rows = e.getDeltaY() > 0 ? -1 : 1;
            scrollTo(top + rows);
            e.consume();
        });
        addEventHandler(KeyEvent.KEY_PRESSED, this::keyPressed);
        header.addEventHandler(MouseEvent.MOUSE_MOVED, e -> header.setCursor(edgeAt(e.getX()) >= 0 ? Cursor.H_RESIZE : Cursor.DEFAULT));
        header.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> {
            resizing = edgeAt(e.getX());
            if (resizing >= 0) { resizeFrom = widths[resizing]; resizeX = e.getX(); }
        });
        header.addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> {
            if (resizing < 0) return;
            widths[resizing] = Math.max(MIN_WIDTH, resizeFrom + e.getX() - resizeX);
            repaint();
        });
        header.addEventHandler(MouseEvent.MOUSE_RELEASED, e -> resizing = -1);
    }

    void setCellActions(CellActions a) { actions = a; }

    /** The text shown while there are no records. */
    public void setPlaceholder(String s) { placeholder.setText(s); }

    public ObservableList<Flow> getItems() { return items; }

    public List<Column> getColumns() { return columns; }

    /** The selected record: the same record while rows arrive, until it leaves the list. */
    public ReadOnlyObjectProperty<Flow> selectedProperty() { return selected.getReadOnlyProperty(); }

    public Flow getSelected() { return selected.get(); }

    /** The row of the selected record, or -1. */
    public int getSelectedRow() { return selectedRow; }

    public void clearSelection() {
        selectedRow = -1;
        selected.set(null);
        paintBody();
    }

    /** Selects {@code row} and scrolls it into view. */
    public void select(int row) {
        if (row < 0 || row >= items.size()) return;
        selectedRow = row;
        selected.set(items.get(row));
        if (row < top) scrollTo(row);
        else if (row >= top + fullRows()) scrollTo(row - fullRows() + 1);
        else paintBody();
    }

    /** The first row drawn. */
    public int getTopRow() { return top; }

    /** Scrolls so that {@code row} is the first drawn, as far as the list allows. */
    public void scrollTo(int row) {
        top = Math.max(0, Math.min(row, maxTop()));
        syncBar();
        paintBody();
    }

    /** The middle of a cell on the screen, or null when the cell is not in view (for tests and tools). */
    public Point2D cellOnScreen(int row, String columnId) {
        int c = -1;
        for (int i = 0; i < columns.size(); i++) if (columns.get(i).id().equals(columnId)) c = i;
        if (c < 0 || row < top || row >= top + fullRows() || row >= items.size()) return null;
        double x = 0;
        for (int i = 0; i < c; i++) x += widths[i];
        double w = Math.min(shownWidth(c), body.getWidth() - x);
        return body.localToScreen(x + w / 2, (row - top) * rowHeight + rowHeight / 2);
    }

    /** Where the body's row {@code row} is drawn, in the body canvas' own coordinates (for tests). */
    public Bounds rowInBody(int row) {
        return new javafx.geometry.BoundingBox(0, (row - top) * rowHeight, body.getWidth(), rowHeight);
    }

    /** The canvas the rows are drawn on. */
    public Canvas body() { return body; }

    // ---- list changes -------------------------------------------------------------------------

    private void itemsChanged(ListChangeListener.Change<? extends Flow> c) {
        int onTop = 0;
        boolean replaced = false;
        while (c.next()) {
            if (c.wasReplaced() || c.wasPermutated() || c.wasUpdated()) replaced = true;
            else if (c.wasAdded()) {
                if (c.getFrom() == 0) onTop += c.getAddedSize();
                else replaced = true;
            }
            // Removals at the bottom (the oldest going) move nothing that is in view.
        }
        Flow sel = selected.get();
        if (replaced) {
            top = 0;
            selectedRow = sel == null ? -1 : items.indexOf(sel);
            if (selectedRow >= fullRows()) top = selectedRow - fullRows() / 2;
        } else {
            // Scrolled down, the reader's rows stay under the eyes; at the top, the newest show.
            if (top > 0) top += onTop;
            if (selectedRow >= 0) selectedRow += onTop;
            if (selectedRow >= items.size() || (selectedRow >= 0 && items.get(selectedRow) != sel))
                selectedRow = sel == null ? -1 : items.indexOf(sel);
        }
        if (selectedRow < 0 && sel != null) selected.set(null);
        top = Math.max(0, Math.min(top, maxTop()));
        syncBar();
        paintBody();
    }

    // ---- input ----------------------------------------------------------------------------------

    private void bodyPressed(MouseEvent e) {
        requestFocus();
        int row = rowAt(e.getY());
        if (row >= 0 && (e.getButton() == MouseButton.PRIMARY || e.getButton() == MouseButton.SECONDARY)) select(row);
    }

    private void bodyClicked(MouseEvent e) {
        if (e.getButton() != MouseButton.PRIMARY || !e.isStillSincePress() || actions == null) return;
        int row = rowAt(e.getY()), col = columnAt(e.getX());
        if (row >= 0 && col >= 0) actions.clicked(items.get(row), columns.get(col), e);
    }

    private void keyPressed(KeyEvent e) {
        int page = Math.max(1, fullRows() - 1), at = selectedRow;
        int to = switch (e.getCode()) {
            case UP -> at < 0 ? top : at - 1;
            case DOWN -> at < 0 ? top : at + 1;
            case PAGE_UP -> Math.max(0, (at < 0 ? top : at) - page);
            case PAGE_DOWN -> Math.min(items.size() - 1, (at < 0 ? top : at) + page);
            case HOME -> 0;
            case END -> items.size() - 1;
            default -> Integer.MIN_VALUE;
        };
        if (to != Integer.MIN_VALUE) {
            select(Math.max(0, Math.min(to, items.size() - 1)));
            e.consume();
        } else if (e.getCode() == KeyCode.C && e.isShortcutDown() && selected.get() != null) {
            ClipboardContent content = new ClipboardContent();
            content.putString(rowText(selected.get()));
            Clipboard.getSystemClipboard().setContent(content);
            e.consume();
        } else if (e.getCode() == KeyCode.ESCAPE && selected.get() != null) {
            clearSelection();
            e.consume();
        }
    }

    /** A record as its columns' values separated by tabs, as a spreadsheet takes a pasted row. */
    String rowText(Flow f) {
        StringBuilder s = new StringBuilder();
        for (Column c : columns) s.append(s.isEmpty() ? "" : "\t").append(c.value().apply(f));
        return s.toString();
    }

    /** Shows column {@code col}'s tooltip while the pointer is over it (-1: over none). */
    private void tipFor(int col) {
        Column c = col < 0 ? null : columns.get(col);
        if (c == tipColumn) return;
        tipColumn = c;
        if (c == null || c.tip() == null) Tooltip.uninstall(body, tooltip);
        else {
            tooltip.setText(c.tip());
            Tooltip.install(body, tooltip);
        }
    }

    private int rowAt(double y) {
        int row = top + (int) Math.floor(y / rowHeight);
        return y < 0 || row >= items.size() ? -1 : row;
    }

    private int columnAt(double x) {
        double left = 0;
        for (int i = 0; i < columns.size(); i++) {
            double w = shownWidth(i);
            if (x >= left && x < left + w) return i;
            left += w;
        }
        return -1;
    }

    /** The column whose right edge is under {@code x} in the header, or -1; the last column fills the rest. */
    private int edgeAt(double x) {
        double right = 0;
        for (int i = 0; i < columns.size() - 1; i++) {
            right += widths[i];
            if (Math.abs(x - right) <= GRIP) return i;
        }
        return -1;
    }

    // ---- layout and painting --------------------------------------------------------------------

    private void fontChanged() {
        Font f = font();
        meter.setFont(f);
        java.util.Arrays.fill(ascii, -1);
        other.clear();
        // As the TableView this replaces: 1.9em rows, so larger fonts get taller rows.
        rowHeight = Math.ceil(f.getSize() * 1.9);
        headerHeight = Math.ceil(f.getSize() * 2.0);
    }

    private Font font() { return text.getFont() == null ? Font.getDefault() : text.getFont(); }

    @Override protected void layoutChildren() {
        double x = snappedLeftInset(), y = snappedTopInset();
        double w = Math.floor(getWidth() - x - snappedRightInset()), h = Math.floor(getHeight() - y - snappedBottomInset());
        double barW = bar.prefWidth(-1);
        double bodyW = Math.max(0, w - barW), bodyH = Math.max(0, h - headerHeight);
        header.relocate(x, y);
        body.relocate(x, y + headerHeight);
        bar.resizeRelocate(x + bodyW, y + headerHeight, barW, bodyH);
        placeholder.resizeRelocate(x, y + headerHeight, bodyW, Math.min(bodyH, rowHeight * 3));
        boolean resized = header.getWidth() != w || header.getHeight() != headerHeight
                || body.getWidth() != bodyW || body.getHeight() != bodyH;
        header.setWidth(w);
        header.setHeight(headerHeight);
        body.setWidth(bodyW);
        body.setHeight(bodyH);
        if (resized) {
            top = Math.max(0, Math.min(top, maxTop()));
            syncBar();
            repaint();
        }
    }

    @Override protected double computePrefWidth(double height) {
        double w = bar.prefWidth(-1) + snappedLeftInset() + snappedRightInset();
        for (double c : widths) w += c;
        return w;
    }

    @Override protected double computePrefHeight(double width) { return headerHeight + rowHeight * 10; }

    @Override protected double computeMinWidth(double height) { return 100; }

    @Override protected double computeMinHeight(double width) { return headerHeight + rowHeight * 2; }

    /** Rows that fit whole in the body. */
    private int fullRows() { return Math.max(1, (int) Math.floor(body.getHeight() / rowHeight)); }

    private int maxTop() { return Math.max(0, items.size() - fullRows()); }

    private void syncBar() {
        syncingBar = true;
        try {
            int rows = fullRows();
            bar.setMin(0);
            bar.setMax(maxTop());
            bar.setVisibleAmount(Math.max(1, (double) rows * maxTop() / Math.max(1, items.size())));
            bar.setUnitIncrement(1);
            bar.setBlockIncrement(Math.max(1, rows - 1));
            bar.setValue(top);
            bar.setDisable(maxTop() == 0);
        } finally {
            syncingBar = false;
        }
    }

    /** The width column {@code i} is drawn with: the last one takes what is left of the body. */
    private double shownWidth(int i) {
        if (i < columns.size() - 1) return widths[i];
        double used = 0;
        for (int j = 0; j < i; j++) used += widths[j];
        return Math.max(widths[i], body.getWidth() - used);
    }

    private void repaint() {
        paintHeader();
        paintBody();
    }

    private void paintHeader() {
        GraphicsContext g = header.getGraphicsContext2D();
        double w = header.getWidth(), h = header.getHeight();
        g.clearRect(0, 0, w, h);
        g.setFill(ink(headerFill, Color.gray(0.92)));
        g.fillRect(0, 0, w, h);
        g.setFill(ink(line, Color.gray(0.8)));
        g.fillRect(0, h - 1, w, 1);
        g.setFont(font());
        g.setTextBaseline(VPos.CENTER);
        g.setTextAlign(TextAlignment.LEFT);
        double x = 0;
        for (int i = 0; i < columns.size(); i++) {
            double cw = i == columns.size() - 1 ? w - x : widths[i];
            g.setFill(ink(headerText, Color.BLACK));
            String title = fit(columns.get(i).title(), cw - 2 * PAD);
            g.fillText(title, x + Math.max(PAD, (cw - textWidth(title)) / 2), h / 2); // centred, as Modena's headers
            g.setFill(ink(line, Color.gray(0.8)));
            g.fillRect(x + cw - 1, 0, 1, h);
            x += cw;
        }
    }

    private void paintBody() {
        GraphicsContext g = body.getGraphicsContext2D();
        double w = body.getWidth(), h = body.getHeight();
        g.clearRect(0, 0, w, h);
        g.setFill(ink(base, Color.WHITE));
        g.fillRect(0, 0, w, h);
        int end = Math.min(items.size(), top + (int) Math.ceil(h / rowHeight));
        Paint stripeInk = ink(stripe, Color.gray(0.97)), lineInk = ink(line, Color.gray(0.85));
        // As a TableView: a strong selection bar while the log has the keyboard, a pale one otherwise.
        boolean focused = isFocused();
        Paint selectionInk = focused ? ink(selection, Color.STEELBLUE) : ink(unfocusedSelection, Color.LIGHTGRAY);
        for (int r = top; r < end; r++) {
            double y = (r - top) * rowHeight;
            if (r == selectedRow) {
                g.setFill(selectionInk);
                g.fillRect(0, y, w, rowHeight);
            } else if (r % 2 == 1) {
                g.setFill(stripeInk);
                g.fillRect(0, y, w, rowHeight);
            }
            g.setFill(lineInk);
            g.fillRect(0, y + rowHeight - 1, w, 1);
        }
        g.setFont(font());
        g.setTextBaseline(VPos.CENTER);
        g.setTextAlign(TextAlignment.LEFT);
        Paint textInk = ink(text, Color.BLACK), deniedInk = ink(denied, Color.FIREBRICK), selectedInk = ink(selectionText, Color.WHITE);
        double x = 0;
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            double cw = shownWidth(i);
            for (int r = top; r < end; r++) {
                Flow f = items.get(r);
                g.setFill(r == selectedRow && focused ? selectedInk : f.verdict() != Flow.ACCEPT ? deniedInk : textInk);
                g.fillText(fit(c.value().apply(f), cw - 2 * PAD), x + PAD, (r - top) * rowHeight + rowHeight / 2);
            }
            g.setFill(lineInk);
            g.fillRect(x + cw - 1, 0, 1, h);
            x += cw;
        }
    }

    /**
     * {@code s}, cut with an ellipsis to fit {@code room}. A width is the sum of its characters'
     * widths, each measured once per font, so drawing lays out no text; for the log's plain ASCII
     * values that sum is the laid-out width (FlowGridTest compares them).
     */
    String fit(String s, double room) {
        if (s == null || s.isEmpty() || textWidth(s) <= room) return s;
        double left = room - advance('\u2026');
        int n = 0;
        double w = 0;
        while (n < s.length() && w + advance(s.charAt(n)) <= left) w += advance(s.charAt(n++));
        return n == 0 ? "" : s.substring(0, n) + "\u2026";
    }

    /** The width {@link #fit} takes {@code s} to have in the grid's font. */
    double textWidth(String s) {
        double w = 0;
        for (int i = 0; i < s.length(); i++) w += advance(s.charAt(i));
        return w;
    }

    private double advance(char c) {
        if (c < ascii.length) {
            double a = ascii[c];
            if (a < 0) ascii[c] = a = measure(String.valueOf(c));
            return a;
        }
        return other.computeIfAbsent(c, k -> measure(String.valueOf(k)));
    }

    private double measure(String s) {
        meter.setText(s);
        return meter.getLayoutBounds().getWidth();
    }
}
