// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.support;

import dev.rampart.gui.service.TaskRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Holds submitted work until {@link #runAll}: what the UI thread sees while a worker is still busy
 * (a trace running when the user acts, a filter result not yet back). Posts run at once; timers
 * are kept in {@link #timers} and never fire, so a test can say none was set.
 */
public final class HeldTasks implements TaskRunner {
    private final List<Runnable> held = new ArrayList<>();
    public final List<Runnable> timers = new ArrayList<>();

    @Override
    public <T> void submit(Callable<T> work, Consumer<T> ok, Consumer<Throwable> failed) {
        held.add(() -> InlineTasks.runNow(work, ok, failed));
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable action) {
        timers.add(action);
        return () -> timers.remove(action);
    }

    @Override
    public void post(Runnable action) { action.run(); }

    public void runAll() {
        List<Runnable> now = new ArrayList<>(held);
        held.clear();
        now.forEach(Runnable::run);
    }
}
