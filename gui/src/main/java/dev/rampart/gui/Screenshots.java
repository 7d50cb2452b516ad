// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import dev.rampart.dsl.test.PolicyTests.TestResult;
import dev.rampart.gui.editor.RuleColumn;
import javafx.animation.PauseTransition;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javafx.util.Duration;
import javax.imageio.ImageIO;

/**
 * Drives the real app through its screens and saves each as a PNG, for the docs.
 * Started by {@code Launcher --screenshots OUT_DIR POLICY_FILE}, which gui/screenshots runs under Xvfb.
 */
public final class Screenshots extends Application {
    static final String WEB = "tcp 10.20.3.4:50000 -> 93.184.216.34:443 in lan0 out wan0 state new";

    private RampartApp app;
    private Scene scene;
    private Path out;
    private final Deque<Step> steps = new ArrayDeque<>();
    private long waitingSince;

    /** An action that runs once {@code ready} holds (the box answers asynchronously). */
    private record Step(java.util.function.BooleanSupplier ready, Runnable action) {}

    private final class Steps {
        void add(Runnable r) { steps.add(new Step(() -> true, r)); }
        void when(java.util.function.BooleanSupplier ready, Runnable r) { steps.add(new Step(ready, r)); }
    }

    @Override
    public void start(Stage stage) {
        out = Path.of(getParameters().getUnnamed().get(0));
        Path config;
        try {
            // A fresh config: the pictures show a first start on the demo box, whatever this machine has saved.
            config = Files.createTempDirectory("rampart-screenshots");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        app = new RampartApp(Path.of(getParameters().getUnnamed().get(1)).toAbsolutePath(), config);
        app.start(stage);
        scene = stage.getScene();
        Steps steps = new Steps();
        steps.add(() -> {
            app.simulation().packetProperty().set(WEB);
            app.simulation().simulate();
        });
        steps.add(() -> shoot("editor-simulation.png"));
        steps.add(() -> scene.getStylesheets().add(Theme.DARK));
        steps.add(() -> shoot("dark-theme.png"));
        steps.add(() -> scene.getStylesheets().remove(Theme.DARK));
        steps.add(() -> app.editor().textProperty().set(app.editor().textProperty().get()
                .replace("from nms proto udp", "from nmz proto udp")));
        steps.add(() -> {
            var code = app.mainView().editorView().codeArea();
            code.moveTo(code.getText().indexOf("nmz"));
            code.requestFollowCaret();
        });
        steps.add(() -> shoot("errors.png"));
        steps.add(() -> app.editor().textProperty().set(app.editor().textProperty().get()
                .replace("from nmz proto udp", "from nms proto udp")));
        steps.add(() -> app.editor().rows().stream().filter(r -> r.id().equals("lan-out")).findFirst()
                .ifPresent(r -> app.editor().editCell(r, RuleColumn.ACTION, "drop")));
        steps.add(() -> {
            @SuppressWarnings("unchecked")
            ListView<TestResult> tests = (ListView<TestResult>) scene.lookup(".test-list");
            tests.getItems().stream().filter(t -> !t.passed()).findFirst().ifPresent(t -> tests.getSelectionModel().select(t));
        });
        steps.add(() -> shoot("tests-failing.png"));
        steps.add(() -> app.editor().rows().stream().filter(r -> r.id().equals("lan-out")).findFirst()
                .ifPresent(r -> app.editor().editCell(r, RuleColumn.ACTION, "accept")));

        // The box screens, on the demo box the app connected to at start.
        steps.when(() -> app.connection().stateProperty().get() == dev.rampart.gui.connection.ConnectionViewModel.State.CONNECTED,
                () -> app.mainView().showTab("box"));
        steps.add(() -> shoot("box.png"));
        steps.when(() -> app.deploy().canPushBinding().get(), () -> app.mainView().showTab("deploy"));
        steps.add(() -> shoot("deploy-diff.png"));
        steps.add(() -> app.deploy().push());
        steps.when(() -> app.deploy().phaseProperty().get() == dev.rampart.gui.deploy.DeployViewModel.Phase.AWAITING_CONFIRM,
                () -> shoot("deploy-confirm.png"));
        steps.add(() -> app.deploy().confirm());
        steps.when(() -> app.deploy().phaseProperty().get() == dev.rampart.gui.deploy.DeployViewModel.Phase.CONFIRMED,
                () -> app.mainView().showTab("logs"));
        // Long enough for the charts to fill a few seconds.
        steps.add(() -> { });
        steps.add(() -> { });
        steps.add(() -> { });
        steps.add(() -> shoot("live-log.png"));
        steps.add(() -> scene.getStylesheets().add(Theme.DARK));
        steps.add(() -> shoot("live-log-dark.png"));
        steps.add(() -> scene.getStylesheets().remove(Theme.DARK));
        steps.add(() -> app.logs().filterProperty().set("verdict drop !dport 23"));
        steps.add(() -> shoot("live-log-filtered.png"));
        steps.add(() -> app.logs().clearFilter());
        // A flow a rule accepted: the prefilled rule drops it and goes right above that rule.
        steps.add(() -> app.logs().shown().stream().filter(f -> "lan-out".equals(app.logs().ruleName(f.ruleId()))).findFirst()
                .or(() -> app.logs().shown().stream().findFirst()).ifPresent(app.logs()::makeRule));
        steps.add(() -> { });
        steps.add(() -> shoot("rule-from-flow.png"));
        steps.add(() -> {
            app.stop();
            Platform.exit();
        });
        app.editor().analysisProperty().addListener((o, was, now) -> {
            if (was == null) next();
        });
    }

    /** Each step runs after a pause, so that layout, CSS and the debounced compile have settled. */
    private void next() {
        PauseTransition p = new PauseTransition(Duration.millis(1500));
        p.setOnFinished(e -> {
            Step step = steps.peek();
            if (step == null) return;
            if (!step.ready().getAsBoolean()) {
                if (waitingSince == 0) waitingSince = System.nanoTime();
                if (System.nanoTime() - waitingSince < 120_000_000_000L) {
                    next();
                    return;
                }
                System.err.println("screenshots: a step waited 2 minutes for the app; going on without it");
            }
            waitingSince = 0;
            steps.poll();
            step.action().run();
            next();
        });
        p.play();
    }

    private void shoot(String name) {
        WritableImage img = scene.snapshot(null);
        int w = (int) img.getWidth(), h = (int) img.getHeight();
        BufferedImage b = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        PixelReader r = img.getPixelReader();
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) b.setRGB(x, y, r.getArgb(x, y));
        try {
            Files.createDirectories(out);
            ImageIO.write(b, "png", out.resolve(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("wrote " + out.resolve(name));
    }
}
