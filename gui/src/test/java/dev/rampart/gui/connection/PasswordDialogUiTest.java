// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.rampart.gui.service.FxDialogs;
import dev.rampart.gui.service.FxTaskRunner;
import dev.rampart.link.SshPrompts;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The password question as the app shows it: asked from a login thread, answered in a real
 * dialog on the UI thread, which stays free to handle the typing meanwhile (headless under Monocle).
 */
@ExtendWith(ApplicationExtension.class)
class PasswordDialogUiTest {
    FxTaskRunner tasks;
    FxDialogs dialogs;

    @Start
    void start(Stage stage) {
        stage.setScene(new Scene(new Label("owner"), 300, 200));
        stage.show();
        tasks = new FxTaskRunner("test-box");
        dialogs = new FxDialogs(stage);
    }

    @AfterEach
    void stop() { tasks.close(); }

    /** The field of the question showing now (the last one's window may linger, closed). */
    static javafx.scene.Node waitForQuestion(FxRobot robot) throws Exception {
        java.util.function.Supplier<java.util.Optional<javafx.scene.Node>> showing = () -> robot.lookup("#secretField")
                .match((javafx.scene.Node n) -> n.getScene() != null && n.getScene().getWindow() != null
                        && n.getScene().getWindow().isShowing()).tryQuery();
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> showing.get().isPresent());
        return showing.get().orElseThrow();
    }

    @Test
    void aLoginThreadGetsWhatIsTypedAndCancelGivesNothing(FxRobot robot) throws Exception {
        DialogPrompts prompts = new DialogPrompts(tasks, dialogs, () -> false);
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() ->
                prompts.ask(SshPrompts.Secret.PASSWORD, "admin@fw1:22", "The box refused that password for admin@fw1:22."));
        javafx.scene.Node field = waitForQuestion(robot);
        assertEquals("The box refused that password for admin@fw1:22.", robot.lookup("#secretProblem").queryLabeled().getText());
        robot.clickOn(field).write("s3cret pass").type(KeyCode.ENTER);
        assertEquals("s3cret pass", answer.get(15, TimeUnit.SECONDS));

        CompletableFuture<String> declined = CompletableFuture.supplyAsync(() ->
                prompts.ask(SshPrompts.Secret.PASSPHRASE, "/home/admin/.ssh/id_ed25519", null));
        robot.clickOn(waitForQuestion(robot)).write("half typed").type(KeyCode.ESCAPE);
        assertNull(declined.get(15, TimeUnit.SECONDS), "cancel answers nothing");
    }
}
