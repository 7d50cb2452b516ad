// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Files on the local disk, UTF-8. */
public final class DiskFileAccess implements FileAccess {
    @Override
    public String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    /** Writes a temporary file next to the target and renames it, so a failed save never truncates the policy. */
    @Override
    public void write(Path file, String text) throws IOException {
        // Through a symlink to the file it names, and with that file's permissions: the rename
        // would otherwise replace the link, and a temp file is created private.
        Path target = Files.exists(file) ? file.toRealPath() : file.toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            if (Files.exists(target)) {
                try {
                    Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
                } catch (UnsupportedOperationException notPosix) {
                    // Other file systems keep their own defaults.
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
