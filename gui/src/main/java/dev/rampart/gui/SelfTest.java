// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui;

import dev.rampart.gui.connection.ConnectionViewModel.State;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.util.Duration;

/**
 * {@code rampart-gui --self-test [POLICY]}: starts the whole app as a first start would (fresh
 * settings), and exits 0 once the demo box is connected and has sent its status and the policy
 * compiles, or 1 with the reason. It lets an installation be checked from a terminal (and the
 * installer test check the packaged app) without clicking through it.
 */
public final class SelfTest extends Application {
    private static final long LIMIT_NANOS = 120_000_000_000L;
    private RampartApp app;
    private long started;

    @Override
    public void start(Stage stage) {
        Path config;
        try {
            config = Files.createTempDirectory("rampart-self-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var args = getParameters().getUnnamed();
        app = new RampartApp(args.isEmpty() ? null : Path.of(args.get(0)).toAbsolutePath(), config);
        app.start(stage);
        started = System.nanoTime();
        Timeline poll = new Timeline(new KeyFrame(Duration.millis(250), e -> check()));
        poll.setCycleCount(Timeline.INDEFINITE);
        poll.play();
    }

    private void check() {
        var connection = app.connection();
        var analysis = app.editor().analysisProperty().get();
        if (connection.stateProperty().get() == State.FAILED) {
            finish(1, "self-test: the demo box did not connect: " + connection.messageProperty().get());
            return;
        }
        boolean connected = connection.stateProperty().get() == State.CONNECTED
                && connection.boxStatusProperty().get() != null;
        if (connected && analysis != null) {
            if (analysis.errorCount() > 0) {
                finish(1, "self-test: the policy " + app.editor().fileProperty().get() + " has "
                        + analysis.errorCount() + " errors");
                return;
            }
            var status = connection.boxStatusProperty().get();
            finish(0, "self-test: ok: demo box connected (" + status.agentVersion() + ", backend "
                    + status.backend() + ", generation " + status.runningGeneration() + "), policy "
                    + app.editor().fileProperty().get() + " compiles with " + analysis.warningCount() + " warnings");
            return;
        }
        if (System.nanoTime() - started > LIMIT_NANOS)
            finish(1, "self-test: timed out after 120 s (connection " + connection.stateProperty().get()
                    + ", policy " + (analysis == null ? "not analysed" : "analysed") + ")");
    }

    private void finish(int code, String message) {
        (code == 0 ? System.out : System.err).println(message);
        app.stop();
        Platform.exit();
        // The demo box's agent and the app's executors must not keep a failed check alive.
        System.exit(code);
    }
}
