// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.service;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javafx.application.Platform;

/**
 * The app's only background executor. One worker thread: compiles of successive edits then finish
 * in order, and a stale result can never overtake a newer one.
 */
public final class FxTaskRunner implements TaskRunner, AutoCloseable {
    private final ExecutorService worker;
    private final ScheduledExecutorService timer;

    public FxTaskRunner() { this("rampart-worker"); }

    /** A runner with its own worker thread named {@code name}: box I/O must not wait behind compiles, nor they behind it. */
    public FxTaskRunner(String name) {
        worker = Executors.newSingleThreadExecutor(r -> daemon(r, name));
        timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name + "-timer"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public <T> void submit(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        // After close (the app is ending) late requests from timers and callbacks are dropped.
        if (worker.isShutdown()) return;
        worker.execute(() -> {
            try {
                T value = work.call();
                Platform.runLater(() -> onSuccess.accept(value));
            } catch (Throwable t) {
                Platform.runLater(() -> onFailure.accept(t));
            }
        });
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable action) {
        AtomicBoolean cancelled = new AtomicBoolean();
        if (timer.isShutdown()) return () -> cancelled.set(true);
        ScheduledFuture<?> f = timer.schedule(() -> Platform.runLater(() -> {
            if (!cancelled.get()) action.run();
        }), delay.toMillis(), TimeUnit.MILLISECONDS);
        return () -> {
            // The flag covers an action already queued on the UI thread when cancel() is called.
            cancelled.set(true);
            f.cancel(false);
        };
    }

    @Override
    public void post(Runnable action) { Platform.runLater(action); }

    @Override
    public void close() {
        worker.shutdownNow();
        timer.shutdownNow();
    }
}
