// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the rollups and host index of a database written before they existed: splits the
 * blocks that cross a level-0 range boundary, then rolls up every range each box has moved past.
 * In Java because rollups are sums over decoded blocks; Flyway runs it in the migration's
 * transaction, so a failure leaves the database as it was.
 */
public final class V6__Build_rollups extends BaseJavaMigration {

    @Override public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        Rollups levels = Rollups.read(c);
        List<String> boxes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT box FROM flow_blocks ORDER BY box");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) boxes.add(rs.getString(1));
        }
        for (String box : boxes) levels.buildAll(c, box);
    }
}
