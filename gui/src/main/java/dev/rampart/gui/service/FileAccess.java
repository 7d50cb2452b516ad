// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.service;

import java.io.IOException;
import java.nio.file.Path;

/** Reading and writing policy files; called from the task runner's worker, never the UI thread. */
public interface FileAccess {
    String read(Path file) throws IOException;

    void write(Path file, String text) throws IOException;
}
