// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The same contract against a real PostgreSQL server that the test starts and removes. */
class PostgresFlowStoreTest extends FlowStoreContract {
    static PgServer server;

    @BeforeAll static void startServer() throws Exception {
        server = PgServer.start();
    }

    @AfterAll static void stopServer() throws Exception {
        if (server != null) server.close();
    }

    @Override FlowStore freshStore() throws Exception {
        return FlowStore.open(server.newDatabase(), "postgres", "", SMALL_LEVELS);
    }

    @Test void randomDataAgreesWithAPlainList() throws Exception {
        try (FlowStore s = FlowStore.open(server.newDatabase(), "postgres", "", BlockStoreTest.SMALL_LEVELS)) {
            BlockStoreTest.agreesWithModel(s, 400, 6);
        }
    }
}
