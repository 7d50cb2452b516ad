// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store on an embedded H2 file, the default database. */
class H2FlowStoreTest extends FlowStoreContract {
    @TempDir Path dir;

    @Override FlowStore freshStore() throws Exception {
        return FlowStore.open(FlowStore.h2Url(dir.resolve("flows")), "", "", SMALL_LEVELS);
    }

    @Test void dataSurvivesReopeningAndTheMigrationRunsOnce() throws Exception {
        store.close();
        store = FlowStore.open(FlowStore.h2Url(dir.resolve("flows")), "", "");
        assertEquals(6, store.count());
        assertEquals(OptionalLong.of(5), store.highestSeq("b1"));
        assertTrue(Files.exists(dir.resolve("flows.mv.db")));
    }

    @Test void anUnsupportedUrlIsRefusedWithAClearMessage() {
        SQLException e = assertThrows(SQLException.class, () -> FlowStore.open("jdbc:mysql://x/y", "", ""));
        assertTrue(e.getMessage().contains("jdbc:h2") && e.getMessage().contains("jdbc:postgresql"), e.getMessage());
    }
}
