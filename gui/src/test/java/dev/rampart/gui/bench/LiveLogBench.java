// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.bench;

import dev.rampart.gui.Theme;
import dev.rampart.gui.connection.Box;
import dev.rampart.gui.logs.LogsView;
import dev.rampart.gui.logs.LogsViewModel;
import dev.rampart.gui.service.FxTaskRunner;
import dev.rampart.link.BoxConnection;
import dev.rampart.link.BoxException;
import dev.rampart.link.BoxStatus;
import dev.rampart.link.Counters;
import dev.rampart.link.FlowRecord;
import dev.rampart.link.LoadResult;
import java.util.ArrayList;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javafx.animation.AnimationTimer;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.beans.property.SimpleObjectProperty;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * The live log tab fed at a fixed record rate (default 5,000/s) for a while (default 60 s):
 * frame intervals of the FX thread (from an AnimationTimer) and its longest stall (the longest
 * wait of a runLater posted every 5 ms), then the heap after a GC. Not a unit test: run it as in
 * docs/benchmarks.md. Records come from a generator thread standing in for the link's reader, so
 * the figure is the view's cost, not the agent's.
 *
 * <p>Arguments: {@code [records/s] [seconds] [heap sample every N seconds]}; with the third, the
 * heap after a forced GC is printed every N seconds of the run (for the hour-long memory run; each
 * forced GC stalls the FX thread, so leave it out when measuring stalls).
 * {@code -Dbench.noCharts=true} drops the charts, to tell their cost from the table's. The load
 * average (/proc/loadavg) is printed at the start and end: the figures mean little without it.
 * {@code -Dbench.jfr=FILE} records a JFR profile of the measured part alone (not the start-up; its
 * own start stalls the FX thread, so the stall figures of such a run mean nothing).
 * {@code -Dbench.css=FILE} adds a stylesheet after the view's own. {@code -Dbench.warmup=SECONDS}
 * (default 5) is how long records stream before the measured part starts.
 */
public final class LiveLogBench {
    static int rate = 5000, seconds = 60, sampleEvery = 0;

    private LiveLogBench() {}

    // The launcher refuses a main class that extends Application when JavaFX is on the class path.
    public static void main(String[] args) {
        if (args.length > 0) rate = Integer.parseInt(args[0]);
        if (args.length > 1) seconds = Integer.parseInt(args[1]);
        if (args.length > 2) sampleEvery = Integer.parseInt(args[2]);
        Application.launch(App.class);
    }

    /** A box that only streams: records at {@link #rate} in 10 ms batches. */
    static final class Firehose implements Box {
        final AtomicBoolean on = new AtomicBoolean(true);
        @Override public String describe() { return "generator"; }
        @Override public BoxStatus status() {
            return new BoxStatus("bench", "generator", 0, BoxStatus.TableState.NONE, 0, 0, 0, 0,
                    new BoxStatus.Peer(BoxStatus.PeerKind.LOCAL, "", 0, "", 0), new long[3], 0, "", java.util.Optional.empty(),
                    java.util.Optional.empty());
        }
        @Override public Counters counters() throws BoxException { throw new BoxException("not used"); }
        @Override public LoadResult load(byte[] t, int c, BoxConnection.Progress p, BooleanSupplier x) throws BoxException {
            throw new BoxException("not used");
        }
        @Override public void reconnectAndConfirm(long g) { }
        @Override public long rollback() { return 0; }
        @Override public void close() { on.set(false); }

        @Override
        public AutoCloseable subscribe(Consumer<FlowRecord> sink) {
            Thread t = new Thread(() -> {
                long seq = 0, start = System.nanoTime();
                java.util.Random rnd = new java.util.Random(1);
                while (on.get()) {
                    long due = (System.nanoTime() - start) / 1_000_000L * rate / 1000;
                    for (; seq < due; seq++) {
                        byte[] src = {10, 20, 3, (byte) rnd.nextInt(200)}, dst = {(byte) (45 + rnd.nextInt(150)), 1, 2, 3};
                        sink.accept(new FlowRecord(seq, System.currentTimeMillis(), (int) (seq % 3), rnd.nextInt(3) == 0 ? 1 : 0, 6,
                                src, dst, 30000 + rnd.nextInt(30000), 443, seq % 7, 1));
                    }
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "firehose");
            t.setDaemon(true);
            t.start();
            return () -> on.set(false);
        }
    }

    public static final class App extends Application {
    @Override
    public void start(Stage stage) throws Exception {
        FxTaskRunner tasks = new FxTaskRunner("bench-box");
        Firehose box = new Firehose();
        SimpleObjectProperty<Box> boxes = new SimpleObjectProperty<>();
        LogsViewModel vm = new LogsViewModel(tasks, boxes, id -> id == 0 ? null : "rule-" + id, r -> { }, 20_000);
        FXMLLoader loader = new FXMLLoader(LogsView.class.getResource("logs.fxml"));
        loader.setControllerFactory(c -> new LogsView(vm));
        Parent root = loader.load();
        // -Dbench.css=FILE: one more stylesheet after the view's own, to compare styles without a rebuild.
        if (System.getProperty("bench.css") != null)
            root.getStylesheets().add(java.nio.file.Path.of(System.getProperty("bench.css")).toUri().toString());
        Scene scene = new Scene(root, 1400, 860);
        new Theme().apply(scene);
        stage.setScene(scene);
        stage.show();
        if (Boolean.getBoolean("bench.noCharts")) {
            javafx.scene.control.SplitPane sp = (javafx.scene.control.SplitPane) scene.lookup(".split-pane");
            sp.getItems().remove(1);
        }

        List<Long> frames = new ArrayList<>(), cpu = new ArrayList<>();
        long[] last = {0}, worstStall = {0}, lastCpu = {0};
        // CPU time of the FX thread between frames: what the work costs, whatever the machine's load
        // does to the wall-clock figures.
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        AnimationTimer timer = new AnimationTimer() {
            @Override public void handle(long now) {
                long c = threads.getCurrentThreadCpuTime();
                if (last[0] != 0) {
                    frames.add(now - last[0]);
                    cpu.add(c - lastCpu[0]);
                }
                last[0] = now;
                lastCpu[0] = c;
            }
        };
        // The stall in CPU time too: what the FX thread itself spent while the probe waited. On a
        // loaded machine the wall-clock stall is that times however long the thread waited for a core.
        long fxThread = Thread.currentThread().getId();
        long[] worstCpuStall = {0};
        // Every probe's wait, for the distribution: the longest alone is one extreme sample a minute.
        List<Long> waits = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread probe = new Thread(() -> {
            while (true) {
                long posted = System.nanoTime(), cpuAtPost = threads.getThreadCpuTime(fxThread);
                long[] cpuAtRun = {0};
                java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
                Platform.runLater(() -> {
                    cpuAtRun[0] = threads.getCurrentThreadCpuTime();
                    ran.countDown();
                });
                try {
                    ran.await();
                    long waited = System.nanoTime() - posted;
                    waits.add(waited);
                    // -Dbench.longWaits=true: each wait over 30 ms with the JVM's uptime, to set beside a GC log (-Xlog:gc).
                    if (waited > 30_000_000L && Boolean.getBoolean("bench.longWaits"))
                        System.out.printf("wait %.1f ms ending at uptime %.3f s%n", ms(waited),
                                java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
                    worstStall[0] = Math.max(worstStall[0], waited);
                    worstCpuStall[0] = Math.max(worstCpuStall[0], cpuAtRun[0] - cpuAtPost);
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "stall-probe");
        probe.setDaemon(true);

        // Warm up (JIT, first layout), then measure: 5 s unless -Dbench.warmup=SECONDS.
        boxes.set(box);
        tasks.schedule(java.time.Duration.ofSeconds(Integer.getInteger("bench.warmup", 5)), () -> {
            frames.clear();
            timer.start();
            probe.start();
            long received0 = vm.receivedProperty().get();
            long t0 = System.nanoTime();
            System.out.printf("load average at start: %s%n", loadAverage());
            jdk.jfr.Recording profile = startProfile();
            if (sampleEvery > 0) sampleHeap(tasks, vm, t0, () -> frames.size() + cpu.size() + waits.size());
            tasks.schedule(java.time.Duration.ofSeconds(seconds), () -> {
                timer.stop();
                probe.interrupt();
                stopProfile(profile);
                double secs = (System.nanoTime() - t0) / 1e9;
                long got = vm.receivedProperty().get() - received0;
                boxes.set(null);
                long[] f = frames.stream().mapToLong(Long::longValue).sorted().toArray();
                long[] cf = cpu.stream().mapToLong(Long::longValue).sorted().toArray();
                long cpuTotal = cpu.stream().mapToLong(Long::longValue).sum();
                long heap = heapAfterGc() >> 20;
                System.out.printf("live log, %d records/s offered for %.0f s: %.0f records/s taken in, %d kept%n", rate, secs,
                        got / secs, vm.rows().size());
                System.out.printf("frames: %d, median %.1f ms, p99 %.1f ms, max %.1f ms%n", f.length, ms(pct(f, 50)),
                        ms(pct(f, 99)), ms(f.length == 0 ? 0 : f[f.length - 1]));
                System.out.printf("longest FX-thread stall (runLater latency): %.1f ms; in FX-thread CPU time: %.1f ms%n",
                        ms(worstStall[0]), ms(worstCpuStall[0]));
                long[] w;
                synchronized (waits) {
                    w = waits.stream().mapToLong(Long::longValue).sorted().toArray();
                }
                long over50 = java.util.Arrays.stream(w).filter(x -> x > 50_000_000L).count(),
                        over30 = java.util.Arrays.stream(w).filter(x -> x > 30_000_000L).count();
                System.out.printf("probe waits: %d, median %.1f ms, p99 %.1f ms, p99.9 %.1f ms; %d over 30 ms, %d over 50 ms%n",
                        w.length, ms(pct(w, 50)), ms(pct(w, 99)), ms(w.length == 0 ? 0 : w[Math.min(w.length - 1, w.length * 999 / 1000)]),
                        over30, over50);
                System.out.printf("FX-thread CPU between frames: median %.2f ms, p99 %.1f ms, max %.1f ms; %.0f ms per second%n",
                        ms(pct(cf, 50)), ms(pct(cf, 99)), ms(cf.length == 0 ? 0 : cf[cf.length - 1]), ms(cpuTotal) / secs);
                System.out.printf("heap after GC: %d MiB%n", heap);
                System.out.printf("load average at end: %s%n", loadAverage());
                tasks.close();
                Platform.exit();
            });
        });
    }

    }

    /** Every {@link #sampleEvery} seconds: the heap after a forced GC, and what the log holds. */
    /**
     * {@code held} counts the bench's own samples: it keeps every frame interval, CPU reading and
     * probe wait as a boxed Long in a list (about 20 bytes each, some 330 a second), so over an hour
     * they are tens of MiB of the heap printed here, none of them the app's.
     */
    static void sampleHeap(FxTaskRunner tasks, LogsViewModel vm, long t0, java.util.function.IntSupplier held) {
        tasks.schedule(java.time.Duration.ofSeconds(sampleEvery), () -> {

            System.out.printf("at %4.0f s: heap after GC %d MiB (%,d of the bench's own samples in it), %,d records received, %,d kept, load %s%n",
                    (System.nanoTime() - t0) / 1e9, heapAfterGc() >> 20, held.getAsInt(), vm.receivedProperty().get(),
                    vm.rows().size(), loadAverage());
            sampleHeap(tasks, vm, t0, held);
        });
    }

    /**
     * What the full GC of System.gc() left in the heap, as that collection reports it (used minus
     * free read afterwards would also count what the generator allocated since: tens of MiB at
     * 5,000 records/s on a loaded machine).
     */
    static long heapAfterGc() {
        List<java.lang.management.GarbageCollectorMXBean> gcs = java.lang.management.ManagementFactory.getGarbageCollectorMXBeans();
        long[] before = gcs.stream().mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionCount).toArray();
        System.gc();
        // The full collection is the last one to end (a young one may run first; both list every pool).
        com.sun.management.GcInfo full = null;
        for (int i = 0; i < gcs.size(); i++) {
            if (gcs.get(i).getCollectionCount() == before[i] || !(gcs.get(i) instanceof com.sun.management.GarbageCollectorMXBean g))
                continue;
            com.sun.management.GcInfo info = g.getLastGcInfo();
            if (info != null && (full == null || info.getEndTime() > full.getEndTime())) full = info;
        }
        if (full == null) {
            Runtime rt = Runtime.getRuntime();
            return rt.totalMemory() - rt.freeMemory();
        }
        long live = 0;
        for (var e : full.getMemoryUsageAfterGc().entrySet())
            if (!e.getKey().contains("Metaspace") && !e.getKey().contains("Code") && !e.getKey().contains("Class"))
                live += e.getValue().getUsed();
        return live;
    }

    static jdk.jfr.Recording startProfile() {
        if (System.getProperty("bench.jfr") == null) return null;
        try {
            jdk.jfr.Recording r = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
            // An update of the table is tens of milliseconds: the profile's 10 ms samples see too little of it.
            r.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(2));
            r.start();
            return r;
        } catch (java.io.IOException | java.text.ParseException e) {
            throw new IllegalStateException("cannot start the JFR recording", e);
        }
    }

    static void stopProfile(jdk.jfr.Recording r) {
        if (r == null) return;
        try {
            r.stop();
            r.dump(java.nio.file.Path.of(System.getProperty("bench.jfr")));
        } catch (java.io.IOException e) {
            System.out.println("could not write the JFR recording: " + e.getMessage());
        }
    }

    static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    static long pct(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
    }

    static double ms(long ns) { return ns / 1e6; }

}
