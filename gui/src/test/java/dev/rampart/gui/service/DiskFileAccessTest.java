// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskFileAccessTest {
    @TempDir Path dir;
    final DiskFileAccess files = new DiskFileAccess();

    @Test
    void saveKeepsTheFilesPermissionsAndLeavesNoTempFile() throws Exception {
        Path f = dir.resolve("p.rampart");
        Files.writeString(f, "old");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        files.write(f, "new");
        assertEquals("new", files.read(f));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        try (var list = Files.list(dir)) {
            assertEquals(1, list.count());
        }
    }

    @Test
    void saveThroughASymlinkWritesTheFileItNames() throws Exception {
        Path real = dir.resolve("real.rampart");
        Files.writeString(real, "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.rampart"), real);
        files.write(link, "new");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new", Files.readString(real));
    }
}
