// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.support;

import dev.rampart.gui.service.TaskRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/** Runs background work inline and holds timers until {@link #fireTimers()}: debouncing without waiting. */
public final class InlineTasks implements TaskRunner {
    private final List<Runnable> timers = new ArrayList<>();
    public int submitted;

    @Override
    public <T> void submit(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        submitted++;
        runNow(work, onSuccess, onFailure);
    }

    /** Does {@code work} here and now, then {@code onSuccess} with its value or {@code onFailure} with what it threw. */
    static <T> void runNow(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure) {
        T value;
        try {
            value = work.call();
        } catch (Exception e) {
            onFailure.accept(e);
            return;
        }
        onSuccess.accept(value);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable action) {
        timers.add(action);
        return () -> timers.remove(action);
    }

    @Override
    public void post(Runnable action) { action.run(); }

    public int pendingTimers() { return timers.size(); }

    public void fireTimers() {
        List<Runnable> due = new ArrayList<>(timers);
        timers.clear();
        due.forEach(Runnable::run);
    }
}
