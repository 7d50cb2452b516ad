// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import org.flywaydb.core.Flyway;

import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The flow database: embedded H2 by default, PostgreSQL by JDBC URL. The schema is migrated by
 * Flyway on open. One connection, used by one thread at a time (methods are synchronized), which
 * is what an embedded database wants and enough for one collector plus one viewer.
 */
public final class FlowStore implements AutoCloseable {

    private enum Dialect { H2, POSTGRES }

    private static final String COLUMNS = "box, seq, time_ms, hook, verdict, proto, family, src_addr, dst_addr, "
            + "src_port, dst_port, in_iface, out_iface, rule_id, generation, packets, bytes";
    private static final String PLACEHOLDERS = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";

    /** Held so the level sticks: Flyway's progress lines would clutter every CLI command's output. */
    private static final java.util.logging.Logger FLYWAY_LOG = java.util.logging.Logger.getLogger("org.flywaydb");
    static {
        FLYWAY_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private final Connection db;
    private final Dialect dialect;
    private final String insertSql;

    private FlowStore(Connection db, Dialect dialect) {
        this.db = db;
        this.dialect = dialect;
        // Insert-if-absent by (box, seq): a retried or replayed record is ignored, never stored twice.
        // H2 has no ON CONFLICT outside its PostgreSQL mode, and its MERGE ... USING measured 30%
        // slower here; in a plain batch each already stored row fails alone and H2 runs the rest
        // of the batch (see insert).
        this.insertSql = "INSERT INTO flows (" + COLUMNS + ") VALUES (" + PLACEHOLDERS + ")"
                + (dialect == Dialect.POSTGRES ? " ON CONFLICT (box, seq) DO NOTHING" : "");
    }

    /** The default database: an H2 file under the user's data directory ($XDG_DATA_HOME or ~/.local/share). */
    public static Path defaultLocation() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return base.resolve("rampart").resolve("flows");
    }

    public static String h2Url(Path file) {
        return "jdbc:h2:file:" + file.toAbsolutePath();
    }

    public static FlowStore openDefault() throws SQLException {
        return open(h2Url(defaultLocation()), "", "");
    }

    /** Opens (and migrates) the database at a JDBC URL: {@code jdbc:h2:...} or {@code jdbc:postgresql:...}. */
    public static FlowStore open(String url, String user, String password) throws SQLException {
        Dialect d;
        if (url.startsWith("jdbc:h2:")) d = Dialect.H2;
        else if (url.startsWith("jdbc:postgresql:")) d = Dialect.POSTGRES;
        else throw new SQLException("unsupported database URL '" + url + "' (use jdbc:h2:... or jdbc:postgresql:...)");
        Flyway.configure(FlowStore.class.getClassLoader()).dataSource(url, user, password)
                .locations("classpath:db/migration").load().migrate();
        Connection c = DriverManager.getConnection(url, user, password);
        c.setAutoCommit(false);
        return new FlowStore(c, d);
    }

    // ---- writing ------------------------------------------------------------------------------------

    /** Stores the flows not already stored (by box and seq) in one transaction; returns how many were new. */
    public synchronized int insert(Collection<Flow> flows) throws SQLException {
        return insert(flows, List.of());
    }

    /**
     * Stores the new flows and the gaps a collector found in the same transaction, so that a
     * retry after a failure neither loses a gap nor records it twice.
     */
    public synchronized int insert(Collection<Flow> flows, Collection<Gap> gaps) throws SQLException {
        if (flows.isEmpty() && gaps.isEmpty()) return 0;
        int added = 0;
        try (PreparedStatement ps = db.prepareStatement(insertSql);
             // Insert-if-absent as well: two collectors of one box may both report the same loss.
             PreparedStatement gs = db.prepareStatement(
                     "INSERT INTO flow_gaps (box, first_seq, last_seq, detected_ms, reason) SELECT ?, ?, ?, ?, ? "
                     + "WHERE NOT EXISTS (SELECT 1 FROM flow_gaps WHERE box = ? AND first_seq = ?)")) {
            for (Flow f : flows) {
                int i = 1;
                ps.setString(i++, f.box());
                ps.setLong(i++, f.seq());
                ps.setLong(i++, f.timeMs());
                ps.setShort(i++, (short) f.hook());
                ps.setShort(i++, (short) f.verdict());
                ps.setShort(i++, (short) f.proto());
                ps.setShort(i++, (short) f.family());
                ps.setString(i++, f.src());
                ps.setString(i++, f.dst());
                ps.setInt(i++, f.srcPort());
                ps.setInt(i++, f.dstPort());
                ps.setString(i++, f.inIface());
                ps.setString(i++, f.outIface());
                ps.setLong(i++, f.ruleId());
                ps.setLong(i++, f.generation());
                ps.setLong(i++, f.packets());
                ps.setLong(i, f.bytes());
                ps.addBatch();
            }
            int[] counts;
            try {
                counts = flows.isEmpty() ? new int[0] : ps.executeBatch();
            } catch (BatchUpdateException e) {
                if (dialect != Dialect.H2 || !onlyDuplicates(e)) throw e;
                counts = e.getUpdateCounts();
            }
            for (int n : counts) {
                // SUCCESS_NO_INFO would hide duplicates; neither driver returns it for these statements.
                if (n == Statement.SUCCESS_NO_INFO) throw new SQLException("the driver did not say which rows were new");
                if (n > 0) added += n;
            }
            for (Gap g : gaps) {
                gs.setString(1, g.box());
                gs.setLong(2, g.firstSeq());
                gs.setLong(3, g.lastSeq());
                gs.setLong(4, g.detectedMs());
                gs.setString(5, g.reason());
                gs.setString(6, g.box());
                gs.setLong(7, g.firstSeq());
                gs.executeUpdate();
            }
            db.commit();
        } catch (SQLException e) {
            db.rollback();
            throw e;
        }
        return added;
    }

    public synchronized List<Gap> gaps(String box) throws SQLException {
        return query("SELECT first_seq, last_seq, detected_ms, reason FROM flow_gaps WHERE box = ? ORDER BY first_seq",
                List.of(box), rs -> new Gap(box, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4)));
    }

    /**
     * The highest sequence number of a box that is accounted for, stored as a flow or recorded as
     * lost: a collector asks the box for everything after it.
     */
    public synchronized OptionalLong highestCovered(String box) throws SQLException {
        OptionalLong flows = highestSeq(box);
        OptionalLong gaps = query("SELECT MAX(last_seq) FROM flow_gaps WHERE box = ?", List.of(box), rs -> {
            long v = rs.getLong(1);
            return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
        }).get(0);
        if (flows.isEmpty()) return gaps;
        if (gaps.isEmpty()) return flows;
        return OptionalLong.of(Math.max(flows.getAsLong(), gaps.getAsLong()));
    }

    /** The highest sequence number stored for a box: a collector resumes after it. */
    public synchronized OptionalLong highestSeq(String box) throws SQLException {
        return query("SELECT MAX(seq) FROM flows WHERE box = ?", List.of(box), rs -> {
            long v = rs.getLong(1);
            return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
        }).get(0);
    }

    public synchronized long count() throws SQLException {
        return query("SELECT COUNT(*) FROM flows", List.of(), rs -> rs.getLong(1)).get(0);
    }

    // ---- the viewer's queries -------------------------------------------------------------------------

    /** Newest first, {@code limit} rows after {@code after} (empty: from the newest). */
    public synchronized FlowPage newest(FlowFilter filter, Optional<Cursor> after, int limit) throws SQLException {
        if (limit <= 0) throw new IllegalArgumentException("page size must be positive");
        Where w = where(filter);
        after.ifPresent(c -> {
            w.and("(time_ms < ? OR (time_ms = ? AND (box < ? OR (box = ? AND seq < ?))))");
            w.args.add(c.timeMs());
            w.args.add(c.timeMs());
            w.args.add(c.box());
            w.args.add(c.box());
            w.args.add(c.seq());
        });
        String sql = "SELECT " + COLUMNS + " FROM flows" + w.sql() + " ORDER BY time_ms DESC, box DESC, seq DESC LIMIT ?";
        w.args.add(limit + 1);
        List<Flow> rows = query(sql, w.args, FlowStore::flow);
        if (rows.size() <= limit) return new FlowPage(rows, Optional.empty());
        List<Flow> page = rows.subList(0, limit);
        return new FlowPage(page, Optional.of(Cursor.of(page.get(limit - 1))));
    }

    /** Sources by bytes, then packets, in [fromMs, toMs). */
    public synchronized List<Talker> topTalkers(long fromMs, long toMs, int n) throws SQLException {
        String sql = "SELECT src_addr, COUNT(*), SUM(packets), SUM(bytes) FROM flows WHERE time_ms >= ? AND time_ms < ? "
                + "GROUP BY src_addr ORDER BY SUM(bytes) DESC, SUM(packets) DESC, src_addr LIMIT ?";
        return query(sql, List.of(fromMs, toMs, n),
                rs -> new Talker(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
    }

    /** One entry per minute of [fromMs, toMs) (rounded out to whole minutes), minutes without traffic included. */
    public synchronized List<DropMinute> dropsPerMinute(long fromMs, long toMs) throws SQLException {
        long first = Math.floorDiv(fromMs, 60_000L), last = Math.floorDiv(toMs - 1, 60_000L);
        Map<Long, DropMinute> byMinute = new LinkedHashMap<>();
        for (long m = first; m <= last; m++) byMinute.put(m, new DropMinute(m * 60_000L, 0, 0));
        // Integer division of non-negative BIGINTs truncates the same way on both databases.
        String sql = "SELECT time_ms / 60000, SUM(packets), SUM(CASE WHEN verdict <> 0 THEN packets ELSE 0 END) "
                + "FROM flows WHERE time_ms >= ? AND time_ms < ? GROUP BY time_ms / 60000";
        for (DropMinute d : query(sql, List.of(fromMs, toMs),
                rs -> new DropMinute(rs.getLong(1) * 60_000L, rs.getLong(2), rs.getLong(3)))) {
            byMinute.put(d.minuteMs() / 60_000L, d);
        }
        return List.copyOf(byMinute.values());
    }

    /** Traffic per rule in [fromMs, toMs), busiest first. */
    public synchronized List<RuleTraffic> perRule(long fromMs, long toMs) throws SQLException {
        String sql = "SELECT rule_id, COUNT(*), SUM(packets), SUM(bytes), MAX(time_ms) FROM flows "
                + "WHERE time_ms >= ? AND time_ms < ? GROUP BY rule_id ORDER BY SUM(packets) DESC, rule_id";
        return query(sql, List.of(fromMs, toMs),
                rs -> new RuleTraffic(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
    }

    // ---- retention ----------------------------------------------------------------------------------

    /** Deletes flows older than {@code cutoffMs}; returns how many. */
    public synchronized int deleteOlderThan(long cutoffMs) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("DELETE FROM flows WHERE time_ms < ?")) {
            ps.setLong(1, cutoffMs);
            int n = ps.executeUpdate();
            db.commit();
            return n;
        } catch (SQLException e) {
            db.rollback();
            throw e;
        }
    }

    /** Keeps the newest {@code maxRows} flows (in viewer order) and deletes the rest; returns how many went. */
    public synchronized int keepNewest(long maxRows) throws SQLException {
        if (maxRows < 0) throw new IllegalArgumentException("maxRows must not be negative");
        try {
            Cursor boundary = null;
            try (PreparedStatement ps = db.prepareStatement(
                    "SELECT time_ms, box, seq FROM flows ORDER BY time_ms DESC, box DESC, seq DESC LIMIT 1 OFFSET ?")) {
                ps.setLong(1, maxRows);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) boundary = new Cursor(rs.getLong(1), rs.getString(2), rs.getLong(3));
                }
            }
            if (boundary == null) {
                db.commit();
                return 0;
            }
            // The boundary row is the newest one to go: delete it and everything older.
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM flows WHERE time_ms < ? OR (time_ms = ? AND "
                    + "(box < ? OR (box = ? AND seq <= ?)))")) {
                ps.setLong(1, boundary.timeMs());
                ps.setLong(2, boundary.timeMs());
                ps.setString(3, boundary.box());
                ps.setString(4, boundary.box());
                ps.setLong(5, boundary.seq());
                int n = ps.executeUpdate();
                db.commit();
                return n;
            }
        } catch (SQLException e) {
            db.rollback();
            throw e;
        }
    }

    /** True when every failure in a batch is a primary-key clash: the rows were already stored. */
    private static boolean onlyDuplicates(BatchUpdateException e) {
        if (e.getUpdateCounts().length == 0) return false;
        for (SQLException x = e.getNextException(); x != null; x = x.getNextException())
            if (!"23505".equals(x.getSQLState())) return false;
        return "23505".equals(e.getSQLState()) || e.getNextException() != null;
    }

    @Override public synchronized void close() throws SQLException {
        db.close();
    }

    // ---- helpers ------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** A read: arguments bound in order, one value per row; the read-only transaction ends either way. */
    private <T> List<T> query(String sql, List<?> args, Row<T> row) throws SQLException {
        List<T> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            int i = 1;
            for (Object a : args) ps.setObject(i++, a);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(row.read(rs));
            }
        } finally {
            db.commit();
        }
        return out;
    }

    private static Flow flow(ResultSet rs) throws SQLException {
        return new Flow(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getShort(4), rs.getShort(5), rs.getShort(6),
                rs.getShort(7), rs.getString(8), rs.getString(9), rs.getInt(10), rs.getInt(11), rs.getString(12),
                rs.getString(13), rs.getLong(14), rs.getLong(15), rs.getLong(16), rs.getLong(17));
    }

    private static final class Where {
        final List<String> terms = new ArrayList<>();
        final List<Object> args = new ArrayList<>();

        void and(String term) { terms.add(term); }

        String sql() { return terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms); }

        /** column(s) = value, on one side or either, negated as asked ("either" negated: on neither side). */
        <T> void match(FlowFilter.Match<T> m, String srcCol, String dstCol) {
            String pos = switch (m.side()) {
                case SRC -> srcCol + " = ?";
                case DST -> dstCol + " = ?";
                case EITHER -> "(" + srcCol + " = ? OR " + dstCol + " = ?)";
            };
            and(m.negated() ? "NOT " + pos : pos);
            args.add(m.value());
            if (m.side() == FlowFilter.Side.EITHER) args.add(m.value());
        }

        <T> void single(FlowFilter.Match<T> m, String col) {
            and(col + (m.negated() ? " <> ?" : " = ?"));
            args.add(m.value());
        }
    }

    private static Where where(FlowFilter f) {
        Where w = new Where();
        f.box().ifPresent(b -> { w.and("box = ?"); w.args.add(b); });
        f.from().ifPresent(t -> { w.and("time_ms >= ?"); w.args.add(t); });
        f.to().ifPresent(t -> { w.and("time_ms < ?"); w.args.add(t); });
        f.address().ifPresent(m -> w.match(m, "src_addr", "dst_addr"));
        f.port().ifPresent(m -> w.match(m, "src_port", "dst_port"));
        f.proto().ifPresent(m -> w.single(m, "proto"));
        f.iface().ifPresent(m -> w.match(new FlowFilter.Match<>(m.value(), FlowFilter.Side.EITHER, m.negated()), "in_iface", "out_iface"));
        f.rule().ifPresent(m -> w.single(m, "rule_id"));
        f.verdict().ifPresent(m -> w.single(m, "verdict"));
        return w;
    }
}
