// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;

/** The box_spools table (Flyway V7): read and written inside the caller's transaction. */
final class SpoolEpochs {
    private SpoolEpochs() {}

    private static final String COLUMNS = "box, epoch, spool_id, base_seq, first_seq, known_next, started_ms, "
            + "first_record_ms, reason, prev_last_seq, prev_lost";

    /** One box's epochs, or every box's (box null), in order of box and epoch. */
    static List<SpoolEpoch> read(Connection db, String box) throws SQLException {
        List<SpoolEpoch> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT " + COLUMNS + " FROM box_spools"
                + (box == null ? "" : " WHERE box = ?") + " ORDER BY box, epoch")) {
            if (box != null) ps.setString(1, box);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SpoolEpoch(rs.getString(1), rs.getInt(2), optional(rs, 3), rs.getLong(4), rs.getLong(5),
                            rs.getLong(6), rs.getLong(7), optional(rs, 8), rs.getString(9), rs.getLong(10), rs.getLong(11)));
                }
            }
        }
        return out;
    }

    /** Inserts each epoch or replaces the row it already has (known_next and first_record_ms change). */
    static void write(Connection db, Collection<SpoolEpoch> epochs) throws SQLException {
        if (epochs.isEmpty()) return;
        try (PreparedStatement up = db.prepareStatement("UPDATE box_spools SET spool_id = ?, base_seq = ?, first_seq = ?, "
                + "known_next = ?, started_ms = ?, first_record_ms = ?, reason = ?, prev_last_seq = ?, prev_lost = ? "
                + "WHERE box = ? AND epoch = ?");
             PreparedStatement in = db.prepareStatement("INSERT INTO box_spools (spool_id, base_seq, first_seq, known_next, "
                + "started_ms, first_record_ms, reason, prev_last_seq, prev_lost, box, epoch) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (SpoolEpoch e : epochs) {
                bind(up, e);
                if (up.executeUpdate() == 0) {
                    bind(in, e);
                    in.executeUpdate();
                }
            }
        }
    }

    private static void bind(PreparedStatement ps, SpoolEpoch e) throws SQLException {
        setOptional(ps, 1, e.spoolId());
        ps.setLong(2, e.base());
        ps.setLong(3, e.firstSeq());
        ps.setLong(4, e.knownNext());
        ps.setLong(5, e.startedMs());
        setOptional(ps, 6, e.firstRecordMs());
        if (e.reason() == null) ps.setNull(7, Types.VARCHAR);
        else ps.setString(7, e.reason());
        ps.setLong(8, e.prevLastSeq());
        ps.setLong(9, e.prevLost());
        ps.setString(10, e.box());
        ps.setInt(11, e.epoch());
    }

    private static OptionalLong optional(ResultSet rs, int col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
    }

    private static void setOptional(PreparedStatement ps, int i, OptionalLong v) throws SQLException {
        if (v.isPresent()) ps.setLong(i, v.getAsLong());
        else ps.setNull(i, Types.BIGINT);
    }
}
