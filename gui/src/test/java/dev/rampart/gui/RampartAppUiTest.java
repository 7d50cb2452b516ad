// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui;

import static dev.rampart.gui.support.FxLookups.code;
import static dev.rampart.gui.support.FxLookups.table;
import static dev.rampart.gui.support.FxLookups.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.gui.editor.RuleRow;
import dev.rampart.gui.support.Examples;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.fxmisc.richtext.CodeArea;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The app end to end on the office example, driven through its widgets (headless under Monocle). */
@ExtendWith(ApplicationExtension.class)
class RampartAppUiTest {
    RampartApp app;
    Stage stage;

    @org.junit.jupiter.api.io.TempDir java.nio.file.Path config;

    @Start
    void start(Stage stage) throws java.io.IOException {
        this.stage = stage;
        // These tests are about the editor: a saved profile that is not the demo box, so no box is connected at start.
        new dev.rampart.gui.connection.FileProfileStore(config.resolve("profiles.properties")).save(
                new dev.rampart.gui.connection.ProfileStore.Saved(java.util.List.of(dev.rampart.gui.connection.Profile.blank(
                        "elsewhere", dev.rampart.gui.connection.Profile.Kind.LOCAL)), "elsewhere"));
        app = new RampartApp(Examples.office(), config);
        app.start(stage);
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    static int indexOf(TableView<RuleRow> t, String id) {
        for (int i = 0; i < t.getItems().size(); i++) if (t.getItems().get(i).id().equals(id)) return i;
        throw new AssertionError("no row " + id);
    }

    void waitForExample(FxRobot robot) throws Exception {
        waitUntil("the example is open", () -> table(robot).getItems().size() == 19);
    }

    @Test
    void opensTheExampleInBothViews(FxRobot robot) throws Exception {
        waitForExample(robot);
        assertTrue(code(robot).getText().startsWith("# Branch office SD-WAN box."));
        assertEquals("office.rampart - Rampart", stage.getTitle());
        assertEquals(dev.rampart.gui.connection.ConnectionViewModel.State.DISCONNECTED, app.connection().stateProperty().get(),
                "only the demo box is connected at start");
        @SuppressWarnings("unchecked")
        javafx.scene.control.ComboBox<String> chains = robot.lookup("#chainFilter").queryAs(javafx.scene.control.ComboBox.class);
        robot.interact(() -> chains.getSelectionModel().select("forward"));
        assertEquals(10, table(robot).getItems().size(), "one chain at a time");
        assertTrue(table(robot).getItems().stream().allMatch(r -> r.hook().equals("forward")));
        robot.interact(() -> chains.getSelectionModel().select(0));
        assertEquals(19, table(robot).getItems().size());
        String opened = code(robot).getText();
        robot.interact(() -> app.mainView().onUndo());
        assertEquals(opened, code(robot).getText(), "opening a file is not an undoable edit");
        waitUntil("the tests have run", () -> robot.lookup("#testSummaryLabel").queryLabeled().getText().equals("All 9 tests pass"));
        // Highlighting came from the analysis: "chain" is a keyword at the start of its line.
        int chain = code(robot).getText().indexOf("chain input");
        waitUntil("keywords are styled", () -> code(robot).getStyleAtPosition(chain + 1).contains("keyword"));
    }

    @Test
    void editingACellRewritesTheTextAndUndoRestoresIt(FxRobot robot) throws Exception {
        waitForExample(robot);
        String original = code(robot).getText();
        TableView<RuleRow> t = table(robot);
        TableColumn<RuleRow, ?> action = t.getColumns().stream().filter(c -> "column-action".equals(c.getId())).findFirst().orElseThrow();
        int row = indexOf(t, "box-ping");
        robot.interact(() -> {
            t.scrollTo(row);
            t.getSelectionModel().clearAndSelect(row);
            t.edit(row, action);
        });
        TextField field = robot.lookup(".rule-table .text-field").queryAs(TextField.class);
        robot.interact(() -> {
            field.requestFocus();
            field.selectAll();
        });
        robot.write("drop");
        robot.type(KeyCode.ENTER);

        waitUntil("the text shows the edit", () -> code(robot).getText().contains("  rule box-ping: service ping drop count\n"));
        assertEquals(original.replace("rule box-ping: service ping accept count", "rule box-ping: service ping drop count"),
                code(robot).getText(), "nothing but the edited rule changed");
        waitUntil("the table shows the edit", () -> t.getItems().get(row).cell(dev.rampart.gui.editor.RuleColumn.ACTION).equals("drop"));

        robot.interact(() -> app.mainView().onUndo());
        waitUntil("undo restores the text", () -> code(robot).getText().equals(original));
        waitUntil("and the table", () -> t.getItems().get(row).cell(dev.rampart.gui.editor.RuleColumn.ACTION).equals("accept"));
    }

    @Test
    void typingInTheTextChangesTheTable(FxRobot robot) throws Exception {
        waitForExample(robot);
        CodeArea code = code(robot);
        int at = code.getText().indexOf("rule box-ping:") + "rule box-ping".length();
        robot.interact(() -> {
            code.requestFocus();
            code.moveTo(at);
        });
        robot.write("-v4");
        waitUntil("the table has the renamed rule", () -> table(robot).getItems().stream().anyMatch(r -> r.id().equals("box-ping-v4")));
        assertEquals(19, table(robot).getItems().size());

        // A typo the checker catches is underlined and listed.
        int from = code.getText().indexOf("from nms");
        robot.interact(() -> code.replaceText(from + 5, from + 8, "nmz"));
        waitUntil("the typo is underlined", () -> code.getStyleAtPosition(from + 6).contains("error"));
        waitUntil("the problem is listed", () -> robot.lookup(".diagnostic-list .list-cell.error").tryQuery()
                .map(c -> ((javafx.scene.control.Labeled) c).getText().contains("nmz")).orElse(false));
        // The row arrives with the parse and its mark with the compile after it: the row is marked in place.
        waitUntil("the rule's row is marked as an error", () -> markedRows(robot, "error").equals(Set.of("nms-snmp")));
    }

    @Test
    void simulatingAPacketHighlightsTheDecidingRule(FxRobot robot) throws Exception {
        waitForExample(robot);
        robot.clickOn("#packetField").write("tcp 10.20.3.4:50000 -> 93.184.216.34:443 in lan0 out wan0 state new").type(KeyCode.ENTER);
        waitUntil("the verdict is shown", () -> robot.lookup("#verdictLabel").queryLabeled().getText().equals("accept"));
        assertTrue(robot.lookup("#decidedByLabel").queryLabeled().getText().startsWith("rule lan-out"));
        waitUntil("the deciding row is highlighted", () -> decidingRows(robot).equals(Set.of("lan-out")));
        int rule = code(robot).getText().indexOf("rule lan-out:");
        assertTrue(code(robot).getStyleAtPosition(rule + 1).contains("deciding"), "the rule is highlighted in the text");
        int other = code(robot).getText().indexOf("rule lan-hq:");
        assertTrue(!code(robot).getStyleAtPosition(other + 1).contains("deciding"), "and only that rule");
        assertTrue(robot.lookup("#traceArea").queryAs(javafx.scene.control.TextArea.class).getText().contains("rule fw-replies: state new not in"));
    }

    static Set<String> decidingRows(FxRobot robot) { return markedRows(robot, "deciding"); }

    @SuppressWarnings("unchecked")
    static Set<String> markedRows(FxRobot robot, String mark) {
        Collection<TableRow<RuleRow>> rows = robot.lookup(".rule-table .table-row-cell." + mark).queryAllAs((Class<TableRow<RuleRow>>) (Class<?>) TableRow.class);
        return rows.stream().filter(r -> r.getItem() != null).map(r -> r.getItem().id()).collect(Collectors.toSet());
    }
}

