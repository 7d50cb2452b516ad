// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.deploy;

import dev.rampart.gui.service.DiskFileAccess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code DIR/<profile>/<generation>.rampart}; the newest few per box are kept, enough to diff
 * against the table a rollback returns to.
 */
public final class FileDeployedSources implements DeployedSources {
    static final int KEEP = 10;
    private final Path dir;

    public FileDeployedSources(Path dir) { this.dir = dir; }

    private Path boxDir(String profile) {
        return dir.resolve(profile.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    @Override
    public Optional<String> source(String profile, long generation) throws IOException {
        Path f = boxDir(profile).resolve(Long.toHexString(generation) + ".rampart");
        return Files.exists(f) ? Optional.of(Files.readString(f, StandardCharsets.UTF_8)) : Optional.empty();
    }

    @Override
    public void record(String profile, long generation, String source) throws IOException {
        Path d = boxDir(profile);
        Files.createDirectories(d);
        new DiskFileAccess().write(d.resolve(Long.toHexString(generation) + ".rampart"), source);
        List<Path> all;
        try (Stream<Path> s = Files.list(d)) {
            all = s.filter(p -> p.toString().endsWith(".rampart"))
                    .sorted(Comparator.comparingLong((Path p) -> p.toFile().lastModified()).reversed()).toList();
        }
        for (Path old : all.subList(Math.min(KEEP, all.size()), all.size())) Files.deleteIfExists(old);
    }
}
