// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui;

import static dev.rampart.gui.support.FxLookups.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.gui.connection.ConnectionViewModel;
import dev.rampart.gui.deploy.DeployViewModel;
import dev.rampart.gui.editor.RuleRow;
import dev.rampart.gui.logs.FlowGrid;
import dev.rampart.gui.support.Pixels;
import dev.rampart.gui.support.Examples;
import dev.rampart.telemetry.Flow;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.control.Button;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The app on the real demo box (rampartd --backend=sim started by the app, no stand-ins): it
 * connects at first start, pushes the office policy with the confirm countdown, and shows the
 * box's flow records live, filtered through the widgets.
 */
@ExtendWith(ApplicationExtension.class)
class BoxUiTest {
    @TempDir Path config;
    RampartApp app;

    @Start
    void start(Stage stage) {
        app = new RampartApp(Examples.office(), config);
        app.start(stage);
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    final long t0 = System.nanoTime();

    void mark(String what) {
        System.err.printf("BoxUiTest: %s at %.1f s%n", what, (System.nanoTime() - t0) / 1e9);
    }

    static FlowGrid flows(FxRobot robot) {
        return robot.lookup("#flowTable").queryAs(FlowGrid.class);
    }

    @Test
    void startsOnTheDemoBoxPushesWithConfirmAndShowsFilteredRecords(FxRobot robot) throws Exception {
        waitUntil("connected to the demo box at first start",
                () -> app.connection().stateProperty().get() == ConnectionViewModel.State.CONNECTED);
        assertEquals("Demo box", app.connection().connectedProfileProperty().get().name());
        assertEquals("Box: demo box", robot.lookup("#boxLabel").queryLabeled().getText());
        assertTrue(Files.exists(config.resolve("profiles.properties")), "the first start's profile list is saved");

        mark("connected");
        robot.clickOn("Deploy");
        waitUntil("the office policy may be pushed", () -> !robot.lookup("#pushButton").queryButton().isDisabled());
        assertTrue(robot.lookup("#lockoutLabel").queryLabeled().getText().startsWith("Safe"),
                robot.lookup("#lockoutLabel").queryLabeled().getText());
        robot.clickOn("#pushButton");
        waitUntil("the countdown to confirm runs", () -> robot.lookup("#confirmButton").queryButton().isVisible()
                && app.deploy().phaseProperty().get() == DeployViewModel.Phase.AWAITING_CONFIRM);
        Button confirm = robot.lookup("#confirmButton").queryButton();
        assertTrue(confirm.getText().matches("Confirm {2}\\(\\d+ s left\\)"), confirm.getText());
        robot.clickOn(confirm);
        waitUntil("the box confirmed it", () -> app.deploy().phaseProperty().get() == DeployViewModel.Phase.CONFIRMED);
        waitUntil("the box reports the office policy", () -> robot.lookup("#runningLabel").queryLabeled().getText()
                .startsWith("19 rules running"));
        waitUntil("the diff is against the source just deployed", () -> robot.lookup("#diffSummary").queryLabeled().getText()
                .contains("0 added, 0 removed, 0 changed, 0 moved, 19 kept"));

        mark("confirmed");
        robot.clickOn("Live log");
        waitUntil("records decided by the office rules stream in", () -> flows(robot).getItems().stream()
                .anyMatch(f -> app.logs().ruleName(f.ruleId()).equals("lan-out")));
        long newest = flows(robot).getItems().get(0).seq(), older = flows(robot).getItems().get(flows(robot).getItems().size() - 1).seq();
        assertTrue(newest > older, "newest first");

        mark("log has records");
        // What the software renderer repaints as records arrive must not stretch cached images (see logs.css).
        robot.interact(() -> {
            java.util.List<String> stretched = new java.util.ArrayList<>();
            multiFill(flows(robot), stretched);
            for (javafx.scene.Node n : robot.lookup(".canvas-chart").queryAll()) multiFill(n, stretched);
            assertEquals(java.util.List.of(), stretched.stream().distinct().toList(),
                    "regions under the live log's rows and charts drawn with more than one background fill");
        });
        var filter = robot.lookup("#filterField").queryTextInputControl();
        robot.interact(() -> filter.setText("verdict drop"));
        mark("typed");
        waitUntil("only dropped records are shown", () -> !flows(robot).getItems().isEmpty()
                && flows(robot).getItems().stream().allMatch(f -> f.verdict() == Flow.DROP));
        mark("filtered");
        // Paused, the rows stay put while the robot aims at one.
        robot.clickOn("#pauseButton");
        // Denied records are drawn in the theme's error colour (the filter's error label has it), as the snapshot shows.
        robot.interact(() -> {
            javafx.scene.paint.Color error = (javafx.scene.paint.Color) robot.lookup("#filterError").queryLabeled().getTextFill();
            Pixels.Row row = Pixels.row(flows(robot).body().snapshot(null, null), flows(robot).rowInBody(flows(robot).getTopRow()));
            assertTrue(row.inkCloser(error, javafx.scene.paint.Color.BLACK),
                    "a dropped record drawn in " + error + ", not the text colour: " + row);
        });
        // A click on a source cell adds that address to the filter.
        FlowGrid grid = flows(robot);
        String address = grid.getItems().get(grid.getTopRow()).src();
        robot.clickOn(grid.cellOnScreen(grid.getTopRow(), "flow-source"));
        assertEquals("verdict drop src " + address, robot.lookup("#filterField").queryTextInputControl().getText());
        waitUntil("only that source's drops are shown", () -> flows(robot).getItems().stream()
                .allMatch(f -> f.verdict() == Flow.DROP && f.src().equals(address)));

        mark("clicked");
        // The rule table shows the running table's counters.
        robot.clickOn("Policy");
        waitUntil("lan-out has hits", () -> {
            RuleRow lanOut = app.editor().rows().stream().filter(r -> r.id().equals("lan-out")).findFirst().orElseThrow();
            var h = app.editor().hitsOf(lanOut);
            return h != null && h.packets() > 0 && h.lastHitMs() > 0;
        });
        // The Hits column follows the counters' polls without the table being rebuilt.
        waitUntil("a rule with hits shows them in its row's Hits cell", () -> robot.lookup(".rule-table .table-row-cell").queryAll().stream()
                .filter(n -> n instanceof javafx.scene.control.TableRow<?> r && r.getItem() instanceof RuleRow rr
                        && app.editor().hitsOf(rr) != null && app.editor().hitsOf(rr).packets() > 0)
                .flatMap(n -> n.lookupAll(".hits-column").stream())
                .anyMatch(c -> c instanceof javafx.scene.control.Labeled l && l.getText() != null && l.getText().matches("[1-9][\\d,]*, \\d+[smhd] ago")));
    }

    /** {@code node} and its ancestors that have more than one background fill, by style class. */
    static void multiFill(javafx.scene.Node node, java.util.List<String> into) {
        for (javafx.scene.Node n = node; n != null; n = n.getParent())
            if (n instanceof javafx.scene.layout.Region r && r.getBackground() != null && r.getBackground().getFills().size() > 1)
                into.add(r.getClass().getSimpleName() + r.getStyleClass() + " " + r.getBackground().getFills().size() + " fills");
    }
}
