// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.connection;

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
 * Profiles as a properties file ({@code profile.N.field=value}): readable and fixable by hand,
 * and written atomically so a crash mid-save never loses the list.
 */
public final class FileProfileStore implements ProfileStore {
    private final Path file;

    public FileProfileStore(Path file) { this.file = file; }

    /** {@code $XDG_CONFIG_HOME/rampart}, else {@code ~/.config/rampart}; {@code -Drampart.configDir} overrides both. */
    public static Path configDir() {
        String own = System.getProperty("rampart.configDir");
        if (own != null && !own.isBlank()) return Path.of(own);
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("rampart");
    }

    @Override
    public Saved load() throws IOException {
        if (!Files.exists(file)) return Saved.FIRST_START;
        Properties p = new Properties();
        p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
        List<Profile> list = new ArrayList<>();
        for (int i = 0; p.containsKey("profile." + i + ".name"); i++) {
            String k = "profile." + i + ".";
            Profile.Kind kind;
            try {
                kind = Profile.Kind.valueOf(p.getProperty(k + "kind", "SSH"));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + k + "kind must be one of DEMO, LOCAL, SSH, SERIAL, not '"
                        + p.getProperty(k + "kind") + "'");
            }
            list.add(new Profile(p.getProperty(k + "name"), kind, p.getProperty(k + "socket"), p.getProperty(k + "host"),
                    p.getProperty(k + "user"), number(p, k + "port", 0), p.getProperty(k + "key"),
                    p.getProperty(k + "device"), number(p, k + "baud", 115200)));
        }
        return new Saved(List.copyOf(list), p.getProperty("selected", list.isEmpty() ? "" : list.get(0).name()));
    }

    private int number(Properties p, String key, int dflt) throws IOException {
        String v = p.getProperty(key, "").strip();
        if (v.isEmpty()) return dflt;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IOException(file + ": " + key + " must be a number, not '" + v + "'");
        }
    }

    @Override
    public void save(Saved saved) throws IOException {
        Properties p = new Properties();
        for (int i = 0; i < saved.profiles().size(); i++) {
            Profile pr = saved.profiles().get(i);
            String k = "profile." + i + ".";
            p.setProperty(k + "name", pr.name());
            p.setProperty(k + "kind", pr.kind().name());
            p.setProperty(k + "socket", pr.socket());
            p.setProperty(k + "host", pr.host());
            p.setProperty(k + "user", pr.user());
            p.setProperty(k + "port", String.valueOf(pr.port()));
            p.setProperty(k + "key", pr.keyFile());
            p.setProperty(k + "device", pr.device());
            p.setProperty(k + "baud", String.valueOf(pr.baud()));
        }
        if (saved.selected() != null) p.setProperty("selected", saved.selected());
        StringWriter w = new StringWriter();
        p.store(w, "Rampart box profiles");
        Files.createDirectories(file.toAbsolutePath().getParent());
        new DiskFileAccess().write(file, w.toString());
    }
}
