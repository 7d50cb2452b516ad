// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui;

import static dev.rampart.gui.support.FxLookups.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.gui.simulation.CaptureViewModel.HitRow;
import dev.rampart.gui.simulation.CaptureViewModel.PacketRow;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.fxmisc.richtext.CodeArea;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The Capture tab driven through its widgets: a real tcpdump capture, the hit summary, a packet and its rule. */
@ExtendWith(ApplicationExtension.class)
class CaptureUiTest {
    static final Path CAPTURE = Path.of(System.getProperty("user.dir")).resolve("../rule-dsl/tests/capture/loopback-tcpdump.pcap")
            .toAbsolutePath().normalize();

    RampartApp app;

    @org.junit.jupiter.api.io.TempDir Path dir;

    @Start
    void start(Stage stage) throws Exception {
        new dev.rampart.gui.connection.FileProfileStore(dir.resolve("profiles.properties")).save(
                new dev.rampart.gui.connection.ProfileStore.Saved(java.util.List.of(dev.rampart.gui.connection.Profile.blank(
                        "elsewhere", dev.rampart.gui.connection.Profile.Kind.LOCAL)), "elsewhere"));
        Path policy = Files.writeString(dir.resolve("lo.rampart"), """
                chain input policy drop {
                  rule replies: state established, related accept
                  rule local-tcp: proto tcp state new accept
                  rule never: proto sctp accept
                }
                """);
        app = new RampartApp(policy, dir);
        app.start(stage);
    }

    @AfterEach
    void stop() { app.stop(); }

    @Test
    @SuppressWarnings("unchecked")
    void aCaptureShowsHitsPacketsAndTheDecidingRule(FxRobot robot) throws Exception {
        waitUntil("the policy is open", () -> app.editor().analysisProperty().get() != null);
        TabPane tabs = robot.lookup("#simTabs").queryAs(TabPane.class);
        robot.interact(() -> tabs.getSelectionModel().select(1));
        ComboBox<String> hook = robot.lookup("#captureHook").queryAs(ComboBox.class);
        robot.interact(() -> hook.getSelectionModel().select("input"));
        robot.clickOn("#captureIn").write("lo");
        // The file chooser is the platform's; the rest is the app's own path from "Open capture...".
        robot.interact(() -> app.capture().open(CAPTURE));

        TableView<HitRow> hits = robot.lookup("#hitTable").queryAs(TableView.class);
        waitUntil("the hit summary is shown", () -> hits.getItems().size() == 4 && !app.capture().runningProperty().get());
        assertTrue(robot.lookup("#captureSummary").queryLabeled().getText().startsWith("loopback-tcpdump.pcap (pcap"),
                robot.lookup("#captureSummary").queryLabeled().getText());
        assertEquals(0, hits.getItems().get(2).packets(), "rule never is never hit");
        assertTrue(robot.lookup(".hit-table .table-row-cell:never-hit").tryQuery().isPresent(), "and stands out");

        robot.interact(() -> hits.getSelectionModel().select(1));
        TableView<PacketRow> packets = robot.lookup("#capturePackets").queryAs(TableView.class);
        waitUntil("the rule's packets are listed", () -> packets.getItems().size() == hits.getItems().get(1).packets());
        robot.interact(() -> packets.getSelectionModel().select(0));
        TextArea why = robot.lookup("#captureWhy").queryAs(TextArea.class);
        waitUntil("why is shown", () -> why.getText().contains("accept by rule local-tcp"));
        waitUntil("the deciding row is highlighted", () -> RampartAppUiTest.decidingRows(robot).equals(java.util.Set.of("local-tcp")));
        CodeArea code = robot.lookup("#codeArea").queryAs(CodeArea.class);
        int rule = code.getText().indexOf("rule local-tcp:");
        waitUntil("the rule is highlighted in the text", () -> code.getStyleAtPosition(rule + 1).contains("deciding"));
    }
}
