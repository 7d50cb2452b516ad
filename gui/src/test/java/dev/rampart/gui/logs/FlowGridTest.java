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
import javafx.geometry.Bounds;
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

    void onFx(Runnable r, FxRobot robot) { robot.interact(r); }

    @Test
    void rowsInViewStayPutAsRecordsArriveAndTheSelectionFollowsItsRecord(FxRobot robot) {
        List<Flow> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) all.add(flow(i));
        onFx(() -> list.swap(newestFirst(all, 0, 100), -1), robot);
        assertEquals(0, grid.getTopRow());
        // At the top, the newest records show: five new on top, five oldest gone.
        onFx(() -> list.swap(newestFirst(all, 5, 105), 5), robot);
        assertEquals(0, grid.getTopRow());
        assertEquals(104, grid.getItems().get(0).seq());

        onFx(() -> { grid.scrollTo(10); grid.select(12); }, robot);
        Flow chosen = grid.getSelected();
        assertEquals(92, chosen.seq());
        onFx(() -> list.swap(newestFirst(all, 10, 110), 5), robot);
        assertEquals(15, grid.getTopRow(), "scrolled down, the same records stay in view");
        assertEquals(17, grid.getSelectedRow());
        assertSame(chosen, grid.getSelected());

        // A new filter replaces the list: the selection is found again by identity ...
        onFx(() -> list.swap(newestFirst(all, 50, 100), -1), robot);
        assertSame(chosen, grid.getSelected());
        assertSame(chosen, grid.getItems().get(grid.getSelectedRow()));
        assertTrue(grid.getSelectedRow() >= grid.getTopRow(), "and kept in view");
        // ... and dropped once its record has left the list.
        onFx(() -> list.swap(newestFirst(all, 200, 250), 50), robot);
        assertNull(grid.getSelected());
        assertEquals(-1, grid.getSelectedRow());
    }

    @Test
    void clicksKeysWheelAndMenuActOnTheRecordUnderThePointer(FxRobot robot) {
        List<Flow> all = new ArrayList<>();
        for (int i = 0; i < 200; i++) all.add(flow(i));
        onFx(() -> list.swap(newestFirst(all, 0, 200), -1), robot);

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

        onFx(() -> grid.scrollTo(50), robot);
        robot.moveTo(grid.cellOnScreen(52, "flow-verdict")).scroll(3, VerticalDirection.DOWN);
        int turnedOnce = grid.getTopRow();
        robot.scroll(6, VerticalDirection.UP);
        assertTrue(turnedOnce != 50 && grid.getTopRow() != turnedOnce
                && Integer.signum(grid.getTopRow() - turnedOnce) == -Integer.signum(turnedOnce - 50),
                "the wheel scrolls both ways: 50, " + turnedOnce + ", " + grid.getTopRow());

        int top = grid.getTopRow();
        // Monocle, the headless window system, sends no context-menu event on a right click: send the one GTK would.
        Point2D at = grid.cellOnScreen(top + 1, "flow-verdict");
        onFx(() -> {
            Point2D inScene = grid.getScene().getRoot().screenToLocal(at); // the event's x, y are the scene's
            javafx.event.Event.fireEvent(grid.body(), new ContextMenuEvent(ContextMenuEvent.CONTEXT_MENU_REQUESTED,
                    inScene.getX(), inScene.getY(), at.getX(), at.getY(), false, null));
        }, robot);
        assertEquals(List.of(all.get(199 - (top + 1)).seq() + " flow-verdict"), menus);
        assertTrue(menu.isShowing());
        assertSame(all.get(199 - (top + 1)), grid.getSelected(), "a right click selects the row too");
        onFx(menu::hide, robot);
        // From the keyboard the request goes to the focused grid and acts on the selected record.
        onFx(() -> {
            Point2D corner = grid.localToScene(0, 0);
            javafx.event.Event.fireEvent(grid, new ContextMenuEvent(ContextMenuEvent.CONTEXT_MENU_REQUESTED,
                    corner.getX(), corner.getY(), 0, 0, true, null));
        }, robot);
        assertEquals(all.get(199 - (top + 1)).seq() + " flow-source", menus.get(1), "the selected record, first column");
        onFx(menu::hide, robot);

        assertEquals(grid.rowText(grid.getSelected()), grid.getAccessibleText(), "a screen reader reads the selected record");
        robot.press(KeyCode.CONTROL).type(KeyCode.C).release(KeyCode.CONTROL);
        String[] copied = {null};
        onFx(() -> copied[0] = javafx.scene.input.Clipboard.getSystemClipboard().getString(), robot);
        assertEquals(grid.rowText(grid.getSelected()), copied[0], "Ctrl+C copies the selected record");
        robot.type(KeyCode.ESCAPE);
        assertNull(grid.getSelected(), "Escape clears the selection");
        // What Ctrl+C copies: the record's columns, tab-separated.
        assertEquals("10.0.0.199\taccept\t199", grid.rowText(flow(199)));
    }

    @Test
    void aHeaderEdgeDraggedWidensItsColumn(FxRobot robot) {
        onFx(() -> list.swap(new Flow[] {flow(1)}, -1), robot);
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
        onFx(() -> list.swap(newestFirst(all, 0, 12), -1), robot);
        Color error = Color.web("#cf222e");
        // Row 2 is record 9 (dropped), row 1 record 10 (accepted); record 11 in row 0 gets selected.
        robot.clickOn(grid.cellOnScreen(0, "flow-verdict"));
        Color[] ink = new Color[3];
        Color[] back = new Color[3];
        onFx(() -> {
            var image = grid.body().snapshot(null, null);
            for (int r = 0; r < 3; r++) {
                Bounds b = grid.rowInBody(r);
                back[r] = image.getPixelReader().getColor(1, (int) (b.getMinY() + 2));
                ink[r] = Pixels.ink(image.getPixelReader(), b, back[r]);
            }
        }, robot);
        assertNotNull(ink[2]);
        assertTrue(Pixels.closer(ink[2], error, Color.BLACK, back[2]), "dropped record drawn in the error colour: " + ink[2]);
        assertTrue(Pixels.closer(ink[1], Color.BLACK, error, back[1]), "accepted record drawn in the text colour: " + ink[1]);
        // Modena's selection bar is blue with white text laddered against it.
        assertTrue(back[0].getBlue() > back[0].getRed() + 0.2, "selected row's bar: " + back[0]);
        assertTrue(ink[0].getBrightness() > back[0].getBrightness(), "selected row's text lighter than its bar: " + ink[0]);
    }

    @Test
    void cutValuesFitTheirColumnAndWidthsAreTheLaidOutWidths(FxRobot robot) {
        onFx(() -> {
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
        }, robot);
    }
}
