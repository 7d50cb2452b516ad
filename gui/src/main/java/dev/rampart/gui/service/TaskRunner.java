// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.service;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Where view-models send work that must not run on the UI thread (file I/O, compiles) and timers
 * (debouncing). Callbacks always come back on the UI thread, so view-models never lock; tests use an
 * implementation that runs everything inline.
 */
public interface TaskRunner {

    /** Runs {@code work} in the background, then {@code onSuccess} or {@code onFailure} on the UI thread. */
    <T> void submit(Callable<T> work, Consumer<T> onSuccess, Consumer<Throwable> onFailure);

    /** Runs {@code action} on the UI thread after {@code delay}, unless cancelled first. */
    Cancellable schedule(Duration delay, Runnable action);

    /** Runs {@code action} on the UI thread soon: how a worker hands over progress as it goes. */
    void post(Runnable action);

    /** A pending scheduled action. */
    interface Cancellable {
        void cancel();
    }
}
