// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.bench;

import dev.rampart.gui.Theme;
import dev.rampart.gui.editor.EditorView;
import dev.rampart.gui.editor.EditorViewModel;
import dev.rampart.gui.editor.PolicyAnalysis;
import dev.rampart.gui.service.DiskFileAccess;
import dev.rampart.gui.service.FxTaskRunner;
import dev.rampart.gui.service.Dialogs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import javafx.animation.AnimationTimer;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.fxmisc.richtext.CodeArea;

/**
 * Opening a big policy from a file into both editor views: the time from the open until the text
 * is shown, its visible part highlighted and the rule table filled ("both views usable"), each as
 * the first frame that shows it (checked at every pulse); then until the compiler's diagnostics
 * are in and the whole text is highlighted. Also the FX thread's longest stall during the open. Not a unit test: run it as in docs/benchmarks.md.
 *
 * <p>Arguments: {@code [rules] [runs]}, default 10,000 rules and 5 runs (median reported). Each run
 * first opens a small policy, so the big one is never already shown.
 */
public final class EditorOpenBench {
    static int rules = 10_000, runs = 5;

    private EditorOpenBench() {}

    public static void main(String[] args) {
        if (args.length > 0) rules = Integer.parseInt(args[0]);
        if (args.length > 1) runs = Integer.parseInt(args[1]);
        Application.launch(App.class);
    }

    /**
     * A policy shaped like a large site's: a few hundred named nets, hosts, services and zones, and
     * {@code n} named rules in the forward chain that use them, with literal addresses, port ranges
     * and states mixed in. Seeded, so every run and machine opens the same text.
     */
    static String policy(int n) {
        SplittableRandom rnd = new SplittableRandom(7);
        StringBuilder sb = new StringBuilder("# Generated: ").append(n).append(" rules for the editor benchmark.\n");
        int nets = 300, hosts = 100, services = 60, zones = 12;
        for (int i = 0; i < nets; i++) sb.append("net n").append(i).append(" = 10.").append(i / 250).append('.').append(i % 250).append(".0/24\n");
        for (int i = 0; i < hosts; i++) sb.append("host h").append(i).append(" = 172.16.").append(i / 250).append('.').append(1 + i % 250).append('\n');
        for (int i = 0; i < services; i++) {
            sb.append("service s").append(i).append(" = tcp ").append(1000 + i * 7);
            if (i % 3 == 0) sb.append(", udp ").append(2000 + i);
            sb.append('\n');
        }
        for (int i = 0; i < zones; i++) sb.append("zone z").append(i).append(" = eth").append(i).append('\n');
        sb.append("set admins = 10.250.0.5, 10.250.0.6\n");
        sb.append("define mgmt_port = 2222\n\n");
        sb.append("chain input policy drop {\n  rule in-replies: state established, related accept\n  rule in-ssh: from @admins proto tcp dport $mgmt_port accept\n}\n\n");
        sb.append("chain forward policy drop {\n  rule replies: state established, related accept\n");
        for (int i = 0; i < n; i++) {
            sb.append("  rule r").append(i).append(": in z").append(rnd.nextInt(zones));
            sb.append(" from ");
            sb.append(rnd.nextInt(4) == 0 ? "192.168." + rnd.nextInt(256) + ".0/" + (24 + rnd.nextInt(9)) : "n" + rnd.nextInt(nets));
            sb.append(" to ");
            sb.append(rnd.nextInt(3) == 0 ? "h" + rnd.nextInt(hosts) : "n" + rnd.nextInt(nets));
            if (rnd.nextInt(4) == 0) {
                int lo = 1024 + rnd.nextInt(20000);
                sb.append(" proto tcp dport ").append(lo).append('-').append(lo + rnd.nextInt(500));
            } else {
                sb.append(" service s").append(rnd.nextInt(services));
            }
            sb.append(" state new ").append(rnd.nextInt(10) == 0 ? "drop log" : "accept");
            if (rnd.nextInt(20) == 0) sb.append(" comment \"ticket ").append(10000 + i).append('"');
            sb.append('\n');
        }
        sb.append("}\n\n");
        sb.append("test \"replies pass\": tcp 10.0.1.2:443 -> 10.0.2.3:50000 in eth0 out eth1 state established expect accept by replies\n");
        return sb.toString();
    }

    static final String SMALL = "net lan = 10.1.0.0/16\nchain forward policy drop {\n  rule a: from lan accept\n}\n";

    public static final class App extends Application {
        // text, visible part highlighted, table, both usable, diagnostics, worst stall, whole text highlighted,
        // FX-thread CPU until both usable, worker CPU until the diagnostics (CPU time: what a loaded machine inflates least)
        private final List<long[]> results = new ArrayList<>();
        private EditorView view;
        private FxTaskRunner tasks;
        private EditorViewModel vm;
        private CodeArea code;
        private TableView<?> table;
        private Path big, small;
        private String bigText;
        private volatile long worstStall;

        @Override
        public void start(Stage stage) throws Exception {
            Path dir = Files.createTempDirectory("rampart-editor-bench");
            bigText = policy(rules);
            big = dir.resolve("big.rampart");
            small = dir.resolve("small.rampart");
            Files.writeString(big, bigText);
            Files.writeString(small, SMALL);
            System.out.printf("policy: %d rules, %d lines, %,d chars%n", rules + 3, bigText.split("\n", -1).length, bigText.length());
            long a0 = System.nanoTime();
            PolicyAnalysis a = PolicyAnalysis.of(big.toString(), bigText, dir);
            System.out.printf("analysis off the FX thread (parse, compile, tests, styles), first run: %.0f ms, %d diagnostics%n",
                    (System.nanoTime() - a0) / 1e6, a.diagnostics().size());

            tasks = new FxTaskRunner("bench-editor");
            vm = new EditorViewModel(tasks, new NoDialogs(), new DiskFileAccess(), Duration.ofMillis(300));
            FXMLLoader loader = new FXMLLoader(EditorView.class.getResource("editor.fxml"));
            loader.setControllerFactory(c -> new EditorView(vm));
            Parent root = loader.load();
            view = loader.getController();
            code = view.codeArea();
            Scene scene = new Scene(root, 1400, 860);
            new Theme().apply(scene);
            stage.setScene(scene);
            stage.show();
            // A split pane's items become its children with its skin, made when the window shows.
            root.applyCss();
            table = (TableView<?>) root.lookup("#ruleTable");
            Thread probe = new Thread(() -> {
                while (true) {
                    long posted = System.nanoTime();
                    CountDownLatch ran = new CountDownLatch(1);
                    Platform.runLater(ran::countDown);
                    try {
                        ran.await();
                        worstStall = Math.max(worstStall, System.nanoTime() - posted);
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "stall-probe");
            probe.setDaemon(true);
            probe.start();
            // One unmeasured open warms up the JIT and the views' first layout, as a second open in a session would be.
            run(-1);
        }

        /** Opens the small policy, waits for it, then opens the big one and times it. */
        private void run(int index) {
            vm.load(small);
            whenTrue(() -> table.getItems().size() == 1 && code.getLength() == SMALL.length() && analysed(SMALL), t -> {
                worstStall = 0;
                long t0 = System.nanoTime();
                long[] r = new long[9];
                java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
                long fx0 = cpu.getCurrentThreadCpuTime(), worker0 = workerCpu();
                int lastRule = bigText.lastIndexOf("  rule r") + 2;
                int firstNet = bigText.indexOf("\nnet n0") + 1;
                vm.load(big);
                whenTrue(() -> {
                    long now = System.nanoTime() - t0;
                    if (r[0] == 0 && code.getLength() == bigText.length()) r[0] = now;
                    if (r[1] == 0 && r[0] != 0 && code.getStyleOfChar(firstNet + 1).contains("keyword")) r[1] = now;
                    if (r[6] == 0 && r[1] != 0 && view.styledAll() && code.getStyleOfChar(lastRule + 1).contains("keyword")) r[6] = now;
                    if (r[2] == 0 && table.getItems().size() == rules + 3) r[2] = now;
                    if (r[3] == 0 && r[1] != 0 && r[2] != 0) {
                        r[3] = now;
                        r[7] = cpu.getCurrentThreadCpuTime() - fx0;
                    }
                    if (r[4] == 0 && analysed(bigText)) {
                        r[4] = now;
                        r[8] = workerCpu() - worker0;
                    }
                    return r[3] != 0 && r[4] != 0 && r[6] != 0;
                }, t1 -> {
                    r[5] = worstStall;
                    if (index >= 0) {
                        results.add(r);
                        System.out.printf("run %d: text %.0f ms, highlighted %.0f ms, table %.0f ms, both usable %.0f ms, diagnostics %.0f ms,"
                                + " longest FX stall %.0f ms, all text highlighted %.0f ms; CPU: FX thread %.0f ms, worker %.0f ms%n",
                                index + 1, ms(r[0]), ms(r[1]), ms(r[2]), ms(r[3]), ms(r[4]), ms(r[5]), ms(r[6]), ms(r[7]), ms(r[8]));
                    }
                    if (index + 1 < runs) run(index + 1);
                    else finish();
                });
            });
        }

        /** CPU time of the editor's worker thread (read, parse, compile, tests, styles). */
        private long workerCpu() {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().equals("bench-editor")) return java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(t.getId());
            }
            return 0;
        }

        private boolean analysed(String text) {
            PolicyAnalysis a = vm.analysisProperty().get();
            return a != null && a.text().equals(text) && vm.textProperty().get().equals(text);
        }

        private void finish() {
            String[] names = {"text shown", "shown part highlighted", "table filled", "both views usable", "diagnostics in",
                "longest FX stall", "all text highlighted", "FX-thread CPU (usable)", "worker CPU (diagnostics)"};
            System.out.printf("median of %d runs (%d rules):%n", results.size(), rules + 3);
            for (int i = 0; i < names.length; i++) {
                int k = i;
                long[] v = results.stream().mapToLong(r -> r[k]).sorted().toArray();
                System.out.printf("  %-22s %6.0f ms  (min %.0f, max %.0f)%n", names[i], ms(v[v.length / 2]), ms(v[0]), ms(v[v.length - 1]));
            }
            tasks.close();
            Platform.exit();
        }

        /** Calls {@code then} at the first pulse where {@code condition} holds: the frame that shows it. */
        private void whenTrue(java.util.function.BooleanSupplier condition, java.util.function.LongConsumer then) {
            new AnimationTimer() {
                @Override
                public void handle(long now) {
                    if (condition.getAsBoolean()) {
                        stop();
                        then.accept(now);
                    }
                }
            }.start();
        }
    }

    static double ms(long ns) { return ns / 1e6; }

    /** The benchmark never asks anything; an error dialog would mean the run is broken. */
    static final class NoDialogs implements Dialogs {
        @Override public Optional<Path> chooseFileToOpen(Path initialDirectory) { return Optional.empty(); }
        @Override public Optional<Path> chooseFileToSave(Path suggestion) { return Optional.empty(); }
        @Override public boolean confirmDiscard(String what) { return true; }
        @Override public void showError(String title, String message) { throw new UncheckedIOException(new IOException(title + ": " + message)); }
        @Override public boolean confirm(String title, String message, String yes) { return true; }
    }
}
