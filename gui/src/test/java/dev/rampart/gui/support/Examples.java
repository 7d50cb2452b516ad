// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.support;

import java.nio.file.Path;

/** The repository's example policy; tests run with the gui module as working directory. */
public final class Examples {
    private Examples() {}

    public static Path office() {
        return Path.of(System.getProperty("user.dir")).resolve("../examples/office.rampart").toAbsolutePath().normalize();
    }
}
