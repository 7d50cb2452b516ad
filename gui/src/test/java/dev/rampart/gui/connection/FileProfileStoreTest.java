// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rampart.gui.deploy.FileDeployedSources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileProfileStoreTest {
    @TempDir Path dir;

    @Test
    void aFirstStartHasTheDemoBoxAndSavedProfilesComeBackAsTheyWere() throws IOException {
        FileProfileStore store = new FileProfileStore(dir.resolve("rampart/profiles.properties"));
        assertEquals(ProfileStore.Saved.FIRST_START, store.load());
        List<Profile> list = List.of(Profile.DEMO,
                new Profile("fw1 = office", Profile.Kind.SSH, "", "fw1.example", "admin", 2222, "/home/a/.ssh/id_ed25519", "", 115200),
                new Profile("console", Profile.Kind.SERIAL, "", "", "", 0, "", "/dev/ttyUSB0", 9600),
                new Profile("here", Profile.Kind.LOCAL, "/run/rampart/rampartd.sock", "", "", 0, "", "", 115200));
        store.save(new ProfileStore.Saved(list, "console"));
        assertEquals(new ProfileStore.Saved(list, "console"), store.load());
    }

    @Test
    void aHandEditedFileWithAMistakeSaysWhere() throws IOException {
        Path f = Files.writeString(dir.resolve("profiles.properties"), "profile.0.name=x\nprofile.0.kind=TELNET\n");
        assertEquals(f + ": profile.0.kind must be one of DEMO, LOCAL, SSH, SERIAL, not 'TELNET'",
                assertThrows(IOException.class, () -> new FileProfileStore(f).load()).getMessage());
        Files.writeString(f, "profile.0.name=x\nprofile.0.kind=SSH\nprofile.0.port=2 2\n");
        assertEquals(f + ": profile.0.port must be a number, not '2 2'",
                assertThrows(IOException.class, () -> new FileProfileStore(f).load()).getMessage());
    }

    @Test
    void deployedSourcesAreKeptPerBoxAndGeneration() throws IOException {
        FileDeployedSources s = new FileDeployedSources(dir.resolve("deployed"));
        s.record("fw1 / office", 0xabcL, "chain input policy drop { }\n");
        assertEquals(Optional.of("chain input policy drop { }\n"), s.source("fw1 / office", 0xabcL));
        assertEquals(Optional.empty(), s.source("fw1 / office", 0xabdL));
        assertEquals(Optional.empty(), s.source("other", 0xabcL));
    }
}
