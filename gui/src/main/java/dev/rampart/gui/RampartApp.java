// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui;

import dev.rampart.gui.connection.ConnectionView;
import dev.rampart.gui.connection.ConnectionViewModel;
import dev.rampart.gui.connection.DemoBox;
import dev.rampart.gui.connection.FileProfileStore;
import dev.rampart.gui.connection.LinkConnector;
import dev.rampart.gui.deploy.DeployView;
import dev.rampart.gui.deploy.DeployViewModel;
import dev.rampart.gui.deploy.FileDeployedSources;
import dev.rampart.gui.editor.EditorViewModel;
import dev.rampart.gui.logs.FileFilterStore;
import dev.rampart.gui.logs.LogsView;
import dev.rampart.gui.logs.LogsViewModel;
import dev.rampart.gui.service.DiskFileAccess;
import dev.rampart.gui.service.FxDialogs;
import dev.rampart.gui.service.FxTaskRunner;
import dev.rampart.gui.simulation.CaptureView;
import dev.rampart.gui.simulation.CaptureViewModel;
import dev.rampart.gui.simulation.SimulationView;
import dev.rampart.gui.simulation.SimulationViewModel;
import dev.rampart.gui.editor.EditorView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javafx.application.Application;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.stage.Screen;
import javafx.stage.Stage;

/**
 * The desktop app. Opens the file named on the command line, or else the office example when run
 * from the repository, so that a first start shows a real policy.
 */
public class RampartApp extends Application {
    /** Long enough not to compile between keystrokes, short enough to feel live. */
    static final Duration TYPING_PAUSE = Duration.ofMillis(300);

    /** Records the live log keeps: about a minute of the demo box's stream, and bounded memory at any rate. */
    static final int LOG_CAPACITY = 20_000;

    private final Path initialFile;
    private final Path configDir;
    private FxTaskRunner tasks, boxTasks, traceTasks, logTasks;
    private EditorViewModel editor;
    private SimulationViewModel simulation;
    private CaptureViewModel capture;
    private ConnectionViewModel connection;
    private DeployViewModel deploy;
    private LogsViewModel logs;
    private MainView mainView;

    /** Used by the JavaFX launcher: the file comes from the command line. */
    public RampartApp() { this(null, null); }

    /**
     * Used by tests and embedders: opens {@code initialFile} (null: the default) and keeps profiles,
     * deployed sources and the demo box's state in {@code configDir} (null: the user's config dir).
     */
    public RampartApp(Path initialFile, Path configDir) {
        this.initialFile = initialFile;
        this.configDir = configDir;
    }

    public RampartApp(Path initialFile) { this(initialFile, null); }

    @Override
    public void start(Stage stage) {
        tasks = new FxTaskRunner();
        // Box I/O gets its own thread: a slow SSH connect must not hold up compiles, nor the reverse.
        boxTasks = new FxTaskRunner("rampart-box");
        FxDialogs dialogs = new FxDialogs(stage);
        editor = new EditorViewModel(tasks, dialogs, new DiskFileAccess(), TYPING_PAUSE);
        simulation = new SimulationViewModel(editor.analysisProperty());
        editor.highlightedProperty().bind(simulation.decidingProperty());
        // A capture trace can take seconds: on its own thread, so compiles and box I/O never wait behind it.
        traceTasks = new FxTaskRunner("rampart-trace");
        capture = new CaptureViewModel(traceTasks, dialogs, editor.analysisProperty(), simulation::highlight);
        Path config = configDir != null ? configDir : FileProfileStore.configDir();
        connection = new ConnectionViewModel(boxTasks, dialogs, new FileProfileStore(config.resolve("profiles.properties")),
                new LinkConnector(new DemoBox(config.resolve("demo-box").resolve("state")), LinkConnector.defaultKnownHosts()));
        deploy = new DeployViewModel(boxTasks, connection, editor.analysisProperty(), new FileDeployedSources(config.resolve("deployed")));
        editor.hitsProperty().bind(deploy.hitsProperty());
        // The editor's status line says why when the rule cannot go in; either way the Policy tab shows it.
        // The live log filters and counts on a thread of its own: a slow box request must not hold up its table.
        logTasks = new FxTaskRunner("rampart-log");
        logs = new LogsViewModel(boxTasks, logTasks, connection.boxProperty(), editor::ruleName, r -> {
            editor.insertRule(r.hook(), r.line(), r.before());
            mainView.showTab("policy");
        }, LOG_CAPACITY, new FileFilterStore(config.resolve("log-filters.properties")));
        Theme theme = new Theme();

        Map<Class<?>, Supplier<Object>> controllers = Map.of(
                MainView.class, () -> new MainView(editor, connection, stage, theme),
                EditorView.class, () -> new EditorView(editor),
                SimulationView.class, () -> new SimulationView(simulation),
                CaptureView.class, () -> new CaptureView(capture),
                ConnectionView.class, () -> new ConnectionView(connection),
                DeployView.class, () -> new DeployView(deploy),
                LogsView.class, () -> new LogsView(logs));
        FXMLLoader loader = new FXMLLoader(RampartApp.class.getResource("main.fxml"));
        loader.setControllerFactory(c -> {
            Supplier<Object> s = controllers.get(c);
            if (s == null) throw new IllegalStateException("no controller for " + c);
            return s.get();
        });
        Parent root;
        try {
            root = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("the app's own main.fxml did not load", e);
        }
        mainView = loader.getController();
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(root, Math.min(1400, screen.getWidth()), Math.min(860, screen.getHeight()));
        theme.apply(scene);
        stage.setScene(scene);
        stage.titleProperty().bind(editor.titleProperty());
        stage.setOnCloseRequest(e -> {
            if (!editor.mayDiscard()) e.consume();
        });
        stage.show();
        connection.loadProfiles();
        connection.connectIfDemo();

        Path file = fileToOpen();
        if (file != null) editor.load(file);
        else editor.statusProperty().set("No file given and examples/office.rampart not found: start typing, or File > Open");
    }

    private Path fileToOpen() {
        if (initialFile != null) return initialFile;
        List<String> args = getParameters() == null ? List.of() : getParameters().getUnnamed();
        if (!args.isEmpty()) return Path.of(args.get(0));
        Path example = Path.of("examples", "office.rampart");
        if (Files.isRegularFile(example)) return example.toAbsolutePath();
        // An installed app keeps the examples beside its jars (-Drampart.home, set by its launcher).
        String home = System.getProperty("rampart.home");
        if (home == null || home.isBlank()) return null;
        Path installed = Path.of(home, "examples", "office.rampart");
        return Files.isRegularFile(installed) ? installed : null;
    }

    @Override
    public void stop() {
        if (connection != null) connection.shutdown();
        if (tasks != null) tasks.close();
        if (boxTasks != null) boxTasks.close();
        if (traceTasks != null) traceTasks.close();
        if (logTasks != null) logTasks.close();
    }

    public EditorViewModel editor() { return editor; }

    public SimulationViewModel simulation() { return simulation; }

    public CaptureViewModel capture() { return capture; }

    public MainView mainView() { return mainView; }

    public ConnectionViewModel connection() { return connection; }

    public DeployViewModel deploy() { return deploy; }

    public LogsViewModel logs() { return logs; }
}
