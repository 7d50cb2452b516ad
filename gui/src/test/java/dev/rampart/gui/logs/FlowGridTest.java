// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.gui.support.Pixels;
import dev.rampart.telemetry.Flow;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javafx.geometry.Point2D;
import javafx.geometry.VerticalDirection;
import javafx.scene.Scene;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.input.ContextMenuEvent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The live log's canvas table on its own, headless, with the app's stylesheets, driven by the robot. */
@ExtendWith(ApplicationExtension.class)
class FlowGridTest {
    static final FlowGrid.Column SRC = new FlowGrid.Column("flow-source", "Source", 140, Flow::src, "Click to filter");
    static final FlowGrid.Column VERDICT = new FlowGrid.Column("flow-verdict", "Verdict", 80, Flow::verdictName, null);
    static final FlowGrid.Column SEQ = new FlowGrid.Column("flow-seq", "Seq", 80, f -> String.valueOf(f.seq()), null);

    LiveList list;
    FlowGrid grid;
    final List<String> clicks = new ArrayList<>();
    final List<String> menus = new ArrayList<>();
    ContextMenu menu;

    @Start
    void start(Stage stage) {
        menu = new ContextMenu(new MenuItem("Filter on this value"));
        list = new LiveList();
        grid = new FlowGrid(list, List.of(SRC, VERDICT, SEQ));
        grid.setCellActions(new FlowGrid.CellActions() {
            @Override public void clicked(Flow f, FlowGrid.Column c, MouseEvent e) {
                clicks.add(f.seq() + " " + c.id() + (e.isAltDown() ? " alt" : ""));
            }

            @Override public ContextMenu menu(Flow f, FlowGrid.Column c) {
                menus.add(f.seq() + " " + c.id());
                return menu;
            }
        });
        VBox root = new VBox(grid);
        VBox.setVgrow(grid, javafx.scene.layout.Priority.ALWAYS);
        root.getStyleClass().add("logs");
        root.getStylesheets().addAll(css("/dev/rampart/gui/base.css"), css("/dev/rampart/gui/logs/logs.css"));
        stage.setScene(new Scene(root, 600, 400));
        stage.show();
    }

    static String css(String path) { return Objects.requireNonNull(FlowGridTest.class.getResource(path), path).toExternalForm(); }

    /** Record {@code seq}; every third one dropped. */
    static Flow flow(long seq) {
        return new Flow("box", seq, 1_700_000_000_000L + seq, 1, seq % 3 == 0 ? Flow.DROP : Flow.ACCEPT, 6, 4,
                "10.0." + (seq / 250) + "." + (seq % 250), "192.0.2.1", 40000, 443, "eth0", "eth1", 1, 1, 1, 60);
    }

    /** Records {@code from} up to {@code to} (exclusive), newest first, as the log shows them. */
    static Flow[] newestFirst(List<Flow> all, int from, int to) {
        Flow[] a = new Flow[to - from];
        for (int i = 0; i < a.length; i++) a[i] = all.get(to - 1 - i);
        return a;
    }

    @Test
    void rowsInViewStayPutAsRecordsArriveAndTheSelectionFollowsItsRecord(FxRobot robot) {
        List<Flow> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) all.add(flow(i));
        robot.interact(() -> list.swap(newestFirst(all, 0, 100), -1));
        assertEquals(0, grid.getTopRow());
        // At the top, the newest records show: five new on top, five oldest gone.
        robot.interact(() -> list.swap(newestFirst(all, 5, 105), 5));
        assertEquals(0, grid.getTopRow());
        assertEquals(104, grid.getItems().get(0).seq());

        robot.interact(() -> { grid.scrollTo(10); grid.select(12); });
        Flow chosen = grid.getSelected();
        assertEquals(92, chosen.seq());
        robot.interact(() -> list.swap(newestFirst(all, 10, 110), 5));
        assertEquals(15, grid.getTopRow(), "scrolled down, the same records stay in view");
        assertEquals(17, grid.getSelectedRow());
        assertSame(chosen, grid.getSelected());

        // A new filter replaces the list: the selection is found again by identity ...
        robot.interact(() -> list.swap(newestFirst(all, 50, 100), -1));
        assertSame(chosen, grid.getSelected());
        assertSame(chosen, grid.getItems().get(grid.getSelectedRow()));
        assertTrue(grid.getSelectedRow() >= grid.getTopRow(), "and kept in view");
        // ... and dropped once its record has left the list.
        robot.interact(() -> list.swap(newestFirst(all, 200, 250), 50));
        assertNull(grid.getSelected());
        assertEquals(-1, grid.getSelectedRow());
    }

    @Test
    void clicksKeysWheelAndMenuActOnTheRecordUnderThePointer(FxRobot robot) {
        List<Flow> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) all.add(flow(i));
        robot.interact(() -> list.swap(newestFirst(all, 0, 200), -1));

        robot.clickOn(grid.cellOnScreen(3, "flow-source"));
        assertEquals(List.of("196 flow-source"), clicks);
        assertEquals(196, grid.getSelected().seq());
        robot.press(KeyCode.ALT).clickOn(grid.cellOnScreen(4, "flow-seq")).release(KeyCode.ALT);
        assertEquals("195 flow-seq alt", clicks.get(1));

        robot.type(KeyCode.DOWN, 2);
        assertEquals(193, grid.getSelected().seq());
        robot.type(KeyCode.END);
        assertEquals(0, grid.getSelected().seq());
        assertTrue(grid.getTopRow() > 150, "the last row is scrolled into view: top " + grid.getTopRow());
        robot.type(KeyCode.HOME);
        assertEquals(199, grid.getSelected().seq());
        assertEquals(0, grid.getTopRow());

        robot.interact(() -> grid.scrollTo(50));
        robot.moveTo(grid.cellOnScreen(52, "flow-verdict")).scroll(3, VerticalDirection.DOWN);
        int turnedOnce = grid.getTopRow();
        robot.scroll(6, VerticalDirection.UP);
        assertTrue(turnedOnce != 50 && grid.getTopRow() != turnedOnce
                && Integer.signum(grid.getTopRow() - turnedOnce) == -Integer.signum(turnedOnce - 50),
                "the wheel scrolls both ways: 50, " + turnedOnce + ", " + grid.getTopRow());

        int top = grid.getTopRow();
        // Monocle, the headless window system, sends no context-menu event on a right click: send the one GTK would.
        Point2D at = grid.cellOnScreen(top + 1, "flow-verdict");
        robot.interact(() -> {
            Point2D inScene = grid.getScene().getRoot().screenToLocal(at); // the event's x, y are the scene's
            javafx.event.Event.fireEvent(grid.body(), new ContextMenuEvent(ContextMenuEvent.CONTEXT_MENU_REQUESTED,
                    inScene.getX(), inScene.getY(), at.getX(), at.getY(), false, null));
        });
        assertEquals(List.of(all.get(199 - (top + 1)).seq() + " flow-verdict"), menus);
        assertTrue(menu.isShowing());
        assertSame(all.get(199 - (top + 1)), grid.getSelected(), "a right click selects the row too");
        robot.interact(menu::hide);
        // From the keyboard the request goes to the focused grid and acts on the selected record.
        robot.interact(() -> {
            Point2D corner = grid.localToScene(0, 0);
            javafx.event.Event.fireEvent(grid, new ContextMenuEvent(ContextMenuEvent.CONTEXT_MENU_REQUESTED,
                    corner.getX(), corner.getY(), 0, 0, true, null));
        });
        assertEquals(all.get(199 - (top + 1)).seq() + " flow-source", menus.get(1), "the selected record, first column");
        robot.interact(menu::hide);

        assertEquals(grid.rowText(grid.getSelected()), grid.getAccessibleText(), "a screen reader reads the selected record");
        robot.press(KeyCode.CONTROL).type(KeyCode.C).release(KeyCode.CONTROL);
        String[] copied = {null};
        robot.interact(() -> copied[0] = javafx.scene.input.Clipboard.getSystemClipboard().getString());
        assertEquals(grid.rowText(grid.getSelected()), copied[0], "Ctrl+C copies the selected record");
        robot.type(KeyCode.ESCAPE);
        assertNull(grid.getSelected(), "Escape clears the selection");
        // What Ctrl+C copies: the record's columns, tab-separated.
        assertEquals("10.0.0.199\taccept\t199", grid.rowText(flow(199)));
    }

    @Test
    void aHeaderEdgeDraggedWidensItsColumn(FxRobot robot) {
        robot.interact(() -> list.swap(new Flow[] {flow(1)}, -1));
        Point2D before = grid.cellOnScreen(0, "flow-verdict");
        // The Source column's right edge, in the header just above the first row.
        Point2D edge = new Point2D(grid.body().localToScreen(0, 0).getX() + 140, grid.body().localToScreen(0, 0).getY() - 6);
        robot.drag(edge).moveBy(60, 0).drop();
        Point2D after = grid.cellOnScreen(0, "flow-verdict");
        assertEquals(before.getX() + 60, after.getX(), 2.0);
    }

    @Test
    void deniedRowsAreDrawnInTheErrorColourAndTheSelectedRowInTheSelectionsText(FxRobot robot) {
        List<Flow> all = new ArrayList<>();
        for (int i = 0; i < 12; i++) all.add(flow(i));
        robot.interact(() -> list.swap(newestFirst(all, 0, 12), -1));
        Color error = Color.web("#cf222e");
        // Row 2 is record 9 (dropped), row 1 record 10 (accepted); record 11 in row 0 gets selected.
        robot.clickOn(grid.cellOnScreen(0, "flow-verdict"));
        Pixels.Row[] rows = new Pixels.Row[3];
        robot.interact(() -> {
            var image = grid.body().snapshot(null, null);
            for (int r = 0; r < 3; r++) rows[r] = Pixels.row(image, grid.rowInBody(r));
        });
        assertNotNull(rows[2].ink());
        assertTrue(rows[2].inkCloser(error, Color.BLACK), "dropped record drawn in the error colour: " + rows[2]);
        assertTrue(rows[1].inkCloser(Color.BLACK, error), "accepted record drawn in the text colour: " + rows[1]);
        // Modena's selection bar is blue with white text laddered against it.
        Color bar = rows[0].background();
        assertTrue(bar.getBlue() > bar.getRed() + 0.2, "selected row's bar: " + bar);
        assertTrue(rows[0].ink().getBrightness() > bar.getBrightness(), "selected row's text lighter than its bar: " + rows[0]);
    }

    @Test
    void cutValuesFitTheirColumnAndWidthsAreTheLaidOutWidths(FxRobot robot) {
        robot.interact(() -> {
            Text t = new Text();
            t.setFont(grid.lookup(".flow-grid-text") instanceof javafx.scene.control.Label l ? l.getFont() : null);
            for (String s : List.of("10.20.3.4", "2001:db8::1f:ab", "12:34:56.789", "lan-out", "accept", "WWWW", "i.i.l|")) {
                t.setText(s);
                assertEquals(t.getLayoutBounds().getWidth(), grid.textWidth(s), 0.5, s);
            }
            String cut = grid.fit("2001:db8:1234:5678:9abc:def0:1234:5678", 80);
            assertTrue(cut.endsWith("\u2026") && cut.length() > 2, cut);
            t.setText(cut);
            assertTrue(t.getLayoutBounds().getWidth() <= 80, cut + " " + t.getLayoutBounds().getWidth());
            assertEquals("10.20.3.4", grid.fit("10.20.3.4", 200));
        });
    }
}
