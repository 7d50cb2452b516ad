// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui;

import javafx.application.Application;

/**
 * The entry point when JavaFX is on the class path rather than the module path: the JDK's
 * launcher refuses a main class that itself extends Application in that setup.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("--self-test")) {
            Application.launch(SelfTest.class, java.util.Arrays.copyOfRange(args, 1, args.length));
        } else if (args.length > 0 && args[0].equals("--screenshots")) {
            Application.launch(Screenshots.class, java.util.Arrays.copyOfRange(args, 1, args.length));
        } else {
            Application.launch(RampartApp.class, args);
        }
    }
}
