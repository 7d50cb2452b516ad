// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.support;

import dev.rampart.gui.service.FileAccess;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Files in a map; a path not in it does not exist. */
public final class MemoryFiles implements FileAccess {
    public final Map<Path, String> files = new HashMap<>();

    @Override
    public String read(Path file) throws IOException {
        String s = files.get(file);
        if (s == null) throw new NoSuchFileException(file.toString());
        return s;
    }

    @Override
    public void write(Path file, String text) { files.put(file, text); }
}
