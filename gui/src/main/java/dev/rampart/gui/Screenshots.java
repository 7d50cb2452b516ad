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
    private final Deque<Runnable> steps = new ArrayDeque<>();

    @Override
    public void start(Stage stage) {
        out = Path.of(getParameters().getUnnamed().get(0));
        app = new RampartApp(Path.of(getParameters().getUnnamed().get(1)).toAbsolutePath());
        app.start(stage);
        scene = stage.getScene();
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
        steps.add(Platform::exit);
        app.editor().analysisProperty().addListener((o, was, now) -> {
            if (was == null) next();
        });
    }

    /** Each step runs after a pause, so that layout, CSS and the debounced compile have settled. */
    private void next() {
        PauseTransition p = new PauseTransition(Duration.millis(1500));
        p.setOnFinished(e -> {
            Runnable step = steps.poll();
            if (step == null) return;
            step.run();
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
