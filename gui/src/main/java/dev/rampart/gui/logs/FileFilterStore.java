// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.logs;

import dev.rampart.gui.service.DiskFileAccess;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Saved filters as a properties file next to the box profiles ({@code filter.N.name},
 * {@code filter.N.line}): readable and fixable by hand, written atomically so that a crash
 * mid-save keeps the previous list.
 */
public final class FileFilterStore implements FilterStore {
    private final Path file;

    public FileFilterStore(Path file) { this.file = file; }

    @Override
    public List<SavedFilter> load() throws IOException {
        if (!Files.exists(file)) return List.of();
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        List<SavedFilter> out = new ArrayList<>();
        for (int i = 0; p.containsKey("filter." + i + ".name"); i++) {
            String k = "filter." + i + ".";
            String name = p.getProperty(k + "name"), line = p.getProperty(k + "line");
            if (name.isBlank()) throw new IOException(file + ": " + k + "name is empty");
            if (line == null) throw new IOException(file + ": " + k + "line is missing (filter '" + name + "')");
            out.add(new SavedFilter(name, line));
        }
        return List.copyOf(out);
    }

    @Override
    public void save(List<SavedFilter> filters) throws IOException {
        Properties p = new Properties();
        for (int i = 0; i < filters.size(); i++) {
            p.setProperty("filter." + i + ".name", filters.get(i).name());
            p.setProperty("filter." + i + ".line", filters.get(i).line());
        }
        StringWriter w = new StringWriter();
        p.store(w, "Rampart live log filters");
        Files.createDirectories(file.toAbsolutePath().getParent());
        new DiskFileAccess().write(file, w.toString());
    }
}
