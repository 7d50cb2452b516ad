// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves the records of a version-1 database (one row per record in {@code flows}) into blocks,
 * then drops the old table, so an existing flow database keeps everything it held. In Java
 * because the block encoding is not expressible in SQL; Flyway runs it in the migration's
 * transaction, so a failure leaves the old table as it was.
 */
public final class V4__Flows_into_blocks extends BaseJavaMigration {

    @Override public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        List<Flow> pending = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT box, seq, time_ms, hook, verdict, proto, family, src_addr, dst_addr, "
                     + "src_port, dst_port, in_iface, out_iface, rule_id, generation, packets, bytes FROM flows ORDER BY box, seq")) {
            while (rs.next()) {
                Flow f = new Flow(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getShort(4), rs.getShort(5),
                        rs.getShort(6), rs.getShort(7), rs.getString(8), rs.getString(9), rs.getInt(10), rs.getInt(11),
                        rs.getString(12), rs.getString(13), rs.getLong(14), rs.getLong(15), rs.getLong(16), rs.getLong(17));
                if (!pending.isEmpty() && (!pending.get(0).box().equals(f.box()) || pending.size() == FlowBlock.TARGET)) {
                    write(c, pending);
                    pending.clear();
                }
                pending.add(f);
            }
        }
        if (!pending.isEmpty()) write(c, pending);
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE flows");
        }
    }

    private static void write(Connection c, List<Flow> flows) throws SQLException {
        FlowStore.writeBlock(c, FlowBlock.encode(flows));
    }
}
