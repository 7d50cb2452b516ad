// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.editor;

import static dev.rampart.gui.support.FxLookups.code;
import static dev.rampart.gui.support.FxLookups.table;
import static dev.rampart.gui.support.FxLookups.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.gui.Theme;
import dev.rampart.gui.service.DiskFileAccess;
import dev.rampart.gui.service.FxTaskRunner;
import dev.rampart.gui.support.FakeDialogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.fxml.FXMLLoader;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.fxmisc.richtext.CodeArea;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The editor's two views alone, headless: pickers in the table, completion and jumps in the text. */
@ExtendWith(ApplicationExtension.class)
class EditorUiTest {
    static final String POLICY = CompletionTest.POLICY;

    @TempDir Path dir;
    FxTaskRunner tasks;
    EditorViewModel vm;

    @Start
    void start(Stage stage) throws Exception {
        tasks = new FxTaskRunner("editor-test");
        vm = new EditorViewModel(tasks, new FakeDialogs(), new DiskFileAccess(), Duration.ofMillis(50));
        FXMLLoader loader = new FXMLLoader(EditorView.class.getResource("editor.fxml"));
        loader.setControllerFactory(c -> new EditorView(vm));
        Parent root = loader.load();
        Scene scene = new Scene(root, 1300, 800);
        new Theme().apply(scene);
        stage.setScene(scene);
        stage.show();
        Path file = dir.resolve("p.rampart");
        Files.writeString(file, POLICY);
        vm.load(file);
    }

    @AfterEach
    void stop() { tasks.close(); }

    @SuppressWarnings("unchecked")
    static ListView<Completion.Candidate> shownList(FxRobot robot) {
        return robot.lookup("#completionList").queryAs(ListView.class);
    }

    static List<String> shown(FxRobot robot) {
        return robot.lookup("#completionList").tryQuery().filter(javafx.scene.Node::isVisible)
                .map(n -> ((ListView<?>) n).getItems().stream().map(c -> ((Completion.Candidate) c).insert()).toList())
                .orElse(List.of());
    }

    /** Starts editing the cell of rule {@code id} in {@code column} and returns its field, text selected. */
    TextField edit(FxRobot robot, String id, RuleColumn column) throws Exception {
        waitUntil("the policy is open", () -> table(robot).getItems().size() == 2);
        TableView<RuleRow> t = table(robot);
        TableColumn<RuleRow, ?> col = t.getColumns().stream()
                .filter(c -> ("column-" + column.name().toLowerCase(java.util.Locale.ROOT)).equals(c.getId())).findFirst().orElseThrow();
        int row = 0;
        while (!t.getItems().get(row).id().equals(id)) row++;
        int r = row;
        robot.interact(() -> {
            t.getSelectionModel().clearAndSelect(r);
            t.edit(r, col);
        });
        TextField field = robot.lookup(".rule-table .picker-field").queryAs(TextField.class);
        robot.interact(() -> {
            field.requestFocus();
            field.selectAll();
        });
        return field;
    }

    @Test
    void aServiceIsPickedFromTheListAndTheTextChanges(FxRobot robot) throws Exception {
        TextField field = edit(robot, "a", RuleColumn.SERVICE);
        robot.write("we");
        waitUntil("the picker lists the matching services", () -> shown(robot).equals(List.of("web", "webmail")));
        robot.type(KeyCode.DOWN, KeyCode.DOWN);
        robot.type(KeyCode.ENTER);
        assertEquals("webmail", field.getText(), "Enter takes the chosen name into the cell");
        robot.type(KeyCode.ENTER);
        waitUntil("the text has the picked service",
                () -> code(robot).getText().contains("  rule a: from lan to any service webmail accept  # web for lan\n"));
        assertEquals(POLICY.replace("service web accept", "service webmail accept"), code(robot).getText());
    }

    @Test
    void anUnknownNameIsFlaggedWhileItIsTyped(FxRobot robot) throws Exception {
        TextField field = edit(robot, "a", RuleColumn.FROM);
        robot.write("lna");
        waitUntil("the checker's message shows", () -> robot.lookup("#completionProblems").tryQuery()
                .map(n -> n.isVisible() && ((Label) n).getText().equals("unknown net 'lna' (did you mean 'lan'?)")).orElse(false));
        assertTrue(field.getStyleClass().contains("error"));
        robot.type(KeyCode.BACK_SPACE, KeyCode.BACK_SPACE, KeyCode.BACK_SPACE);
        robot.write("lan");
        waitUntil("the message goes with the typo", () -> !field.getStyleClass().contains("error"));
        robot.type(KeyCode.ESCAPE);
        robot.type(KeyCode.ESCAPE);
        assertEquals(POLICY, code(robot).getText(), "a cancelled edit writes nothing");
    }

    @Test
    void ctrlSpaceCompletesANameInTheText(FxRobot robot) throws Exception {
        waitUntil("the policy is analysed", () -> vm.analysisProperty().get() != null);
        CodeArea code = code(robot);
        int at = POLICY.indexOf("from lan to") + "from lan".length();
        robot.interact(() -> {
            code.requestFocus();
            code.moveTo(at);
        });
        robot.write(", la");
        robot.press(KeyCode.CONTROL).type(KeyCode.SPACE).release(KeyCode.CONTROL);
        waitUntil("the list offers the other net", () -> shown(robot).equals(List.of("lab")));
        robot.type(KeyCode.ENTER);
        waitUntil("the name is completed", () -> code.getText().contains("rule a: from lan, lab to any"));
    }

    @Test
    void f12CtrlClickAndTheCellMenuGoToTheDefinition(FxRobot robot) throws Exception {
        waitUntil("the policy is analysed", () -> vm.analysisProperty().get() != null && table(robot).getItems().size() == 2);
        CodeArea code = code(robot);
        robot.interact(() -> {
            code.requestFocus();
            code.moveTo(POLICY.indexOf("from @admins") + 7);
        });
        robot.type(KeyCode.F12);
        int admins = POLICY.indexOf("admins =");
        waitUntil("F12 selects the set's name", () -> code.getSelection().getStart() == admins && code.getSelection().getEnd() == admins + 6);

        int use = POLICY.indexOf("dport $ssh_port") + 8;
        Bounds b = WaitForAsyncUtils.asyncFx(() -> code.getCharacterBoundsOnScreen(use, use + 1).orElseThrow()).get();
        robot.press(KeyCode.CONTROL).clickOn(new Point2D(b.getCenterX(), b.getCenterY())).release(KeyCode.CONTROL);
        int define = POLICY.indexOf("ssh_port =");
        waitUntil("Ctrl+click selects the define's name", () -> code.getSelection().getStart() == define);

        PickerCell cell = robot.lookup(".rule-table .table-cell").queryAll().stream()
                .filter(n -> n instanceof PickerCell).map(n -> (PickerCell) n)
                .filter(c -> c.getTableRow() != null && c.getTableRow().getItem() != null && c.getTableRow().getItem().id().equals("a")
                        && "column-service".equals(c.getTableColumn().getId()))
                .findFirst().orElseThrow();
        // What a right click sends (Monocle, the headless window system, sends none itself).
        robot.interact(() -> {
            Bounds on = cell.localToScreen(cell.getBoundsInLocal());
            Point2D inScene = cell.localToScene(cell.getWidth() / 2, cell.getHeight() / 2);
            javafx.event.Event.fireEvent(cell, new javafx.scene.input.ContextMenuEvent(javafx.scene.input.ContextMenuEvent.CONTEXT_MENU_REQUESTED,
                    inScene.getX(), inScene.getY(), on.getCenterX(), on.getCenterY(), false, null));
        });
        assertTrue(cell.getContextMenu().isShowing(), "the cell's menu opens");
        MenuItem go = cell.getContextMenu().getItems().get(0);
        assertEquals("Go to definition of web", go.getText());
        robot.interact(() -> {
            go.fire();
            cell.getContextMenu().hide();
        });
        int web = POLICY.indexOf("web =");
        waitUntil("the menu selects the service's name", () -> code.getSelection().getStart() == web && code.getSelection().getEnd() == web + 3);
    }
}
