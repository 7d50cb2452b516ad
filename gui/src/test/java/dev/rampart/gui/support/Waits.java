// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting, off the FX thread, for a real agent to get somewhere (FxLookups waits on the FX thread). */
public final class Waits {
    private Waits() {}

    /** Polls {@code done} every 20 ms; fails the test, naming {@code what}, after {@code seconds}. */
    public static void until(String what, int seconds, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) fail("timed out waiting for " + what);
            Thread.sleep(20);
        }
    }
}
