// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import org.flywaydb.core.Flyway;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * The flow database: embedded H2 by default, PostgreSQL by JDBC URL. The schema is migrated by
 * Flyway on open. One connection, used by one thread at a time (methods are synchronized), which
 * is what an embedded database wants and enough for one collector plus one viewer.
 *
 * <p>Records are stored in blocks ({@link FlowBlock}): up to 1,024 consecutive records of one box
 * per row, with a summary row beside each (time span, verdicts present, a Bloom filter of its
 * addresses). Writes cost one row per block instead of four B-tree insertions per record; the
 * viewer's queries scan summaries newest first and decode only the blocks that can match.
 */
public final class FlowStore implements AutoCloseable {

    private enum Dialect { H2, POSTGRES }

    /** Held so the level sticks: Flyway's progress lines would clutter every CLI command's output. */
    private static final java.util.logging.Logger FLYWAY_LOG = java.util.logging.Logger.getLogger("org.flywaydb");
    static {
        FLYWAY_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    private static final String SUMMARY = "box, first_seq, n, min_time, max_time, verdicts";
    /** One block's encoded records, by its key. */
    private static final String DATA_SQL = "SELECT data FROM flow_data WHERE box = ? AND first_seq = ?";

    private final Connection db;
    private final Dialect dialect;

    private FlowStore(Connection db, Dialect dialect) {
        this.db = db;
        this.dialect = dialect;
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
                .locations("classpath:db/migration").javaMigrations(new V4__Flows_into_blocks()).load().migrate();
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
     * retry after a failure neither loses a gap nor records it twice. A record whose (box, seq) is
     * already stored is ignored, even when its content differs: the first copy stays.
     */
    public synchronized int insert(Collection<Flow> flows, Collection<Gap> gaps) throws SQLException {
        return insert(flows, gaps, List.of());
    }

    /**
     * As {@link #insert(Collection, Collection)}, and writes the box spool epochs given (new ones,
     * or changes to known ones) in the same transaction: an epoch's first records never exist
     * without the epoch that says which spool they came from.
     */
    public synchronized int insert(Collection<Flow> flows, Collection<Gap> gaps, Collection<SpoolEpoch> epochs)
            throws SQLException {
        if (flows.isEmpty() && gaps.isEmpty() && epochs.isEmpty()) return 0;
        int added = 0;
        try {
            Map<String, List<Flow>> byBox = new LinkedHashMap<>();
            for (Flow f : flows) byBox.computeIfAbsent(f.box(), b -> new ArrayList<>()).add(f);
            for (List<Flow> list : byBox.values()) added += insertBox(list);
            // Insert-if-absent as well: two collectors of one box may both report the same loss.
            try (PreparedStatement gs = db.prepareStatement(
                    "INSERT INTO flow_gaps (box, first_seq, last_seq, detected_ms, reason) SELECT ?, ?, ?, ?, ? "
                    + "WHERE NOT EXISTS (SELECT 1 FROM flow_gaps WHERE box = ? AND first_seq = ?)")) {
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
            }
            SpoolEpochs.write(db, epochs);
            db.commit();
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        }
        return added;
    }

    /** One box's records: drop the ones already stored, extend the box's newest block if it has room, write the rest. */
    private int insertBox(List<Flow> in) throws SQLException {
        String box = in.get(0).box();
        List<Flow> fresh = new ArrayList<>(in);
        // Stable: of two copies of one sequence number in a batch, the first given stays.
        fresh.sort(Comparator.comparingLong(Flow::seq));
        long lo = fresh.get(0).seq(), hi = fresh.get(fresh.size() - 1).seq();
        Set<Long> stored = new HashSet<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT b.first_seq, b.min_time, d.data FROM flow_blocks b "
                + "JOIN flow_data d ON d.box = b.box AND d.first_seq = b.first_seq "
                + "WHERE b.box = ? AND b.last_seq >= ? AND b.first_seq <= ?")) {
            ps.setString(1, box);
            ps.setLong(2, lo);
            ps.setLong(3, hi);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    FlowBlock b = FlowBlock.decode(box, rs.getLong(1), rs.getLong(2), rs.getBytes(3));
                    for (long q : b.seq()) if (q >= lo && q <= hi) stored.add(q);
                }
            }
        }
        List<Flow> add = new ArrayList<>(fresh.size());
        long prev = Long.MIN_VALUE;
        for (Flow f : fresh) {
            if (f.seq() == prev || stored.contains(f.seq())) continue;
            add.add(f);
            prev = f.seq();
        }
        if (add.isEmpty()) return 0;
        int added = add.size();
        // A collector that follows a box live inserts a few records at a time: grow the newest
        // block instead of leaving thousands of tiny ones for every query to step through.
        try (PreparedStatement ps = db.prepareStatement("SELECT b.first_seq, b.last_seq, b.n, b.min_time, d.data "
                + "FROM flow_blocks b JOIN flow_data d ON d.box = b.box AND d.first_seq = b.first_seq "
                + "WHERE b.box = ? ORDER BY b.last_seq DESC LIMIT 1")) {
            ps.setString(1, box);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getLong(2) < add.get(0).seq() && rs.getInt(3) < FlowBlock.TARGET) {
                    long first = rs.getLong(1);
                    FlowBlock tail = FlowBlock.decode(box, first, rs.getLong(4), rs.getBytes(5));
                    List<Flow> merged = new ArrayList<>(tail.n + add.size());
                    for (int i = 0; i < tail.n; i++) merged.add(tail.flow(i));
                    merged.addAll(add);
                    add = merged;
                    deleteBlock(box, first);
                }
            }
        }
        for (int i = 0; i < add.size(); i += FlowBlock.TARGET)
            writeBlock(db, FlowBlock.encode(add.subList(i, Math.min(add.size(), i + FlowBlock.TARGET))));
        return added;
    }

    /** Writes one block's summary and records; also used by the migration from one row per record. */
    static void writeBlock(Connection c, FlowBlock.Row r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO flow_blocks (box, first_seq, last_seq, n, min_time, "
                + "max_time, verdicts, bloom) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
             PreparedStatement ds = c.prepareStatement("INSERT INTO flow_data (box, first_seq, data) VALUES (?, ?, ?)")) {
            ps.setString(1, r.box());
            ps.setLong(2, r.firstSeq());
            ps.setLong(3, r.lastSeq());
            ps.setInt(4, r.count());
            ps.setLong(5, r.minTime());
            ps.setLong(6, r.maxTime());
            ps.setInt(7, r.verdicts());
            ps.setBytes(8, r.bloom());
            ps.executeUpdate();
            ds.setString(1, r.box());
            ds.setLong(2, r.firstSeq());
            ds.setBytes(3, r.data());
            ds.executeUpdate();
        }
    }

    private void deleteBlock(String box, long firstSeq) throws SQLException {
        for (String table : List.of("flow_data", "flow_blocks")) {
            try (PreparedStatement ps = db.prepareStatement("DELETE FROM " + table + " WHERE box = ? AND first_seq = ?")) {
                ps.setString(1, box);
                ps.setLong(2, firstSeq);
                ps.executeUpdate();
            }
        }
    }

    public synchronized List<Gap> gaps(String box) throws SQLException {
        return query("SELECT first_seq, last_seq, detected_ms, reason FROM flow_gaps WHERE box = ? ORDER BY first_seq",
                List.of(box), rs -> new Gap(box, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4)));
    }

    /** The spools a box's records came from, oldest epoch first; every box's when {@code box} is null. */
    public synchronized List<SpoolEpoch> epochs(String box) throws SQLException {
        try {
            return SpoolEpochs.read(db, box);
        } finally {
            db.commit();
        }
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
        return query("SELECT MAX(last_seq) FROM flow_blocks WHERE box = ?", List.of(box), rs -> {
            long v = rs.getLong(1);
            return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
        }).get(0);
    }

    /** How many blocks hold the records: a measure of how well small inserts were merged. */
    synchronized long blockCount() throws SQLException {
        return query("SELECT COUNT(*) FROM flow_blocks", List.of(), rs -> rs.getLong(1)).get(0);
    }

    public synchronized long count() throws SQLException {
        return query("SELECT COALESCE(SUM(n), 0) FROM flow_blocks", List.of(), rs -> rs.getLong(1)).get(0);
    }

    // ---- the viewer's queries -------------------------------------------------------------------------

    /** Viewer order: newest first, ties broken by box, then sequence number, both descending. */
    private static final Comparator<Flow> NEWEST = Comparator.comparingLong(Flow::timeMs)
            .thenComparing(Flow::box).thenComparingLong(Flow::seq).reversed();

    /** Newest first, {@code limit} rows after {@code after} (empty: from the newest). */
    public synchronized FlowPage newest(FlowFilter filter, Optional<Cursor> after, int limit) throws SQLException {
        if (limit <= 0) throw new IllegalArgumentException("page size must be positive");
        Optional<byte[]> host = filter.address().filter(m -> !m.negated()).map(m -> FlowBlock.raw(m.value()));
        Where w = blockWhere(filter);
        after.ifPresent(c -> {
            w.and("min_time <= ?");
            w.args.add(c.timeMs());
        });
        Predicate<FlowBlock.Row> maybe = summaryTest(filter);
        List<Flow> found = new ArrayList<>();
        try (PreparedStatement data = db.prepareStatement(DATA_SQL)) {
            summaries(w, host.isPresent(), r -> {
                // Every later block ends no later than this one: once the page's last row is
                // newer than this block's newest record, nothing further can enter the page.
                if (found.size() > limit && found.get(limit).timeMs() > r.maxTime()) return false;
                if (!maybe.test(r) || host.isPresent() && !FlowBlock.Bloom.mayContain(r.bloom(), host.get())) return true;
                FlowBlock b = FlowBlock.decode(r.box(), r.firstSeq(), r.minTime(), data(data, r));
                IntPredicate match = matcher(b, filter, after);
                for (int i = 0; i < b.n; i++) if (match.test(i)) found.add(b.flow(i));
                if (found.size() > limit) {
                    found.sort(NEWEST);
                    found.subList(limit + 1, found.size()).clear();
                }
                return true;
            });
        } finally {
            db.commit();
        }
        found.sort(NEWEST);
        if (found.size() <= limit) return new FlowPage(found, Optional.empty());
        List<Flow> page = List.copyOf(found.subList(0, limit));
        return new FlowPage(page, Optional.of(Cursor.of(page.get(limit - 1))));
    }

    /** Sources by bytes, then packets, in [fromMs, toMs). */
    public synchronized List<Talker> topTalkers(long fromMs, long toMs, int n) throws SQLException {
        AddressTotals totals = new AddressTotals();
        scan(fromMs, toMs, b -> {
            // Sum per dictionary entry first: a block names each busy address once.
            byte[][] addrs = b.addrs();
            long[] flows = new long[addrs.length], packets = new long[addrs.length], bytes = new long[addrs.length];
            long[] time = b.time(), pk = b.packets(), by = b.bytes();
            int[] src = b.src();
            for (int i = 0; i < b.n; i++) {
                if (time[i] < fromMs || time[i] >= toMs) continue;
                flows[src[i]]++;
                packets[src[i]] += pk[i];
                bytes[src[i]] += by[i];
            }
            for (int a = 0; a < addrs.length; a++) if (flows[a] != 0) totals.add(addrs[a], flows[a], packets[a], bytes[a]);
        });
        return totals.top(n);
    }

    /** One entry per minute of [fromMs, toMs) (rounded out to whole minutes), minutes without traffic included. */
    public synchronized List<DropMinute> dropsPerMinute(long fromMs, long toMs) throws SQLException {
        long first = Math.floorDiv(fromMs, 60_000L), last = Math.floorDiv(toMs - 1, 60_000L);
        Map<Long, long[]> byMinute = new TreeMap<>();
        for (long m = first; m <= last; m++) byMinute.put(m, new long[2]);
        scan(fromMs, toMs, b -> {
            long[] time = b.time(), packets = b.packets();
            byte[] verdict = b.verdict();
            for (int i = 0; i < b.n; i++) {
                if (time[i] < fromMs || time[i] >= toMs) continue;
                long[] t = byMinute.get(Math.floorDiv(time[i], 60_000L));
                t[0] += packets[i];
                if (verdict[i] != Flow.ACCEPT) t[1] += packets[i];
            }
        });
        List<DropMinute> out = new ArrayList<>(byMinute.size());
        byMinute.forEach((m, t) -> out.add(new DropMinute(m * 60_000L, t[0], t[1])));
        return out;
    }

    /** Traffic per rule in [fromMs, toMs), busiest first. */
    public synchronized List<RuleTraffic> perRule(long fromMs, long toMs) throws SQLException {
        Map<Long, long[]> byRule = new HashMap<>();
        scan(fromMs, toMs, b -> {
            long[] time = b.time(), rule = b.rule(), packets = b.packets(), bytes = b.bytes();
            for (int i = 0; i < b.n; i++) {
                if (time[i] < fromMs || time[i] >= toMs) continue;
                long[] t = byRule.computeIfAbsent(rule[i], k -> new long[] {0, 0, 0, Long.MIN_VALUE});
                t[0]++;
                t[1] += packets[i];
                t[2] += bytes[i];
                t[3] = Math.max(t[3], time[i]);
            }
        });
        return byRule.entrySet().stream()
                .sorted(Comparator.<Map.Entry<Long, long[]>>comparingLong(e -> -e.getValue()[1]).thenComparing(Map.Entry::getKey))
                .map(e -> new RuleTraffic(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2], e.getValue()[3]))
                .toList();
    }

    // ---- retention ----------------------------------------------------------------------------------

    /** Deletes flows older than {@code cutoffMs}; returns how many. */
    public synchronized int deleteOlderThan(long cutoffMs) throws SQLException {
        try {
            long whole = query("SELECT COALESCE(SUM(n), 0) FROM flow_blocks WHERE max_time < ?", List.of(cutoffMs),
                    rs -> rs.getLong(1)).get(0);
            for (String sql : List.of(
                    "DELETE FROM flow_data d WHERE EXISTS (SELECT 1 FROM flow_blocks b WHERE b.box = d.box "
                            + "AND b.first_seq = d.first_seq AND b.max_time < ?)",
                    "DELETE FROM flow_blocks WHERE max_time < ?")) {
                try (PreparedStatement ps = db.prepareStatement(sql)) {
                    ps.setLong(1, cutoffMs);
                    ps.executeUpdate();
                }
            }
            // Blocks that straddle the cutoff keep their newer records.
            long partial = 0;
            Where straddling = new Where();
            straddling.and("min_time < ?");
            straddling.and("max_time >= ?");
            straddling.args.addAll(List.of(cutoffMs, cutoffMs));
            List<FlowBlock> partly = new ArrayList<>();
            forEachBlock(straddling, partly::add);
            for (FlowBlock b : partly) {
                boolean[] drop = new boolean[b.n];
                for (int i = 0; i < b.n; i++) drop[i] = b.time()[i] < cutoffMs;
                partial += rewrite(b, drop);
            }
            db.commit();
            return Math.toIntExact(whole + partial);
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        }
    }

    /** Keeps the newest {@code maxRows} flows (in viewer order) and deletes the rest; returns how many went. */
    public synchronized int keepNewest(long maxRows) throws SQLException {
        if (maxRows < 0) throw new IllegalArgumentException("maxRows must not be negative");
        try {
            long excess = count() - maxRows;
            if (excess <= 0) {
                db.commit();
                return 0;
            }
            // Oldest first across blocks whose time spans may overlap (several boxes): merge them,
            // opening a block only once the oldest pending record is not older than its start.
            List<FlowBlock.Row> rows = query("SELECT " + SUMMARY + " FROM flow_blocks ORDER BY min_time", List.of(),
                    rs -> summary(rs, false));
            record Pos(FlowBlock b, int[] order, boolean[] drop, int at) {
                long time() { return b.time()[order[at]]; }
                long seq() { return b.seq()[order[at]]; }
            }
            PriorityQueue<Pos> oldest = new PriorityQueue<>(Comparator.comparingLong(Pos::time)
                    .thenComparing(p -> p.b().box).thenComparingLong(Pos::seq));
            List<Pos> opened = new ArrayList<>();
            int next = 0;
            long left = excess;
            while (left > 0) {
                while (next < rows.size() && (oldest.isEmpty() || rows.get(next).minTime() <= oldest.peek().time())) {
                    FlowBlock b = block(rows.get(next++));
                    int[] order = java.util.stream.IntStream.range(0, b.n).boxed()
                            .sorted(Comparator.<Integer>comparingLong(i -> b.time()[i]).thenComparingLong(i -> b.seq()[i]))
                            .mapToInt(Integer::intValue).toArray();
                    Pos p = new Pos(b, order, new boolean[b.n], 0);
                    opened.add(p);
                    oldest.add(p);
                }
                Pos p = oldest.poll();
                p.drop()[p.order()[p.at()]] = true;
                left--;
                if (p.at() + 1 < p.b().n) oldest.add(new Pos(p.b(), p.order(), p.drop(), p.at() + 1));
            }
            long gone = 0;
            for (Pos p : opened) gone += rewrite(p.b(), p.drop());
            db.commit();
            return Math.toIntExact(gone);
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        }
    }

    /** Replaces a block by the records not marked; returns how many were marked. */
    private int rewrite(FlowBlock b, boolean[] drop) throws SQLException {
        List<Flow> keep = new ArrayList<>(b.n);
        for (int i = 0; i < b.n; i++) if (!drop[i]) keep.add(b.flow(i));
        if (keep.size() == b.n) return 0;
        deleteBlock(b.box, b.firstSeq);
        if (!keep.isEmpty()) writeBlock(db, FlowBlock.encode(keep));
        return b.n - keep.size();
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
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(row.read(rs));
            }
        } finally {
            db.commit();
        }
        return out;
    }

    private static void bind(PreparedStatement ps, List<?> args) throws SQLException {
        int i = 1;
        for (Object a : args) ps.setObject(i++, a);
    }

    private static FlowBlock.Row summary(ResultSet rs, boolean withBloom) throws SQLException {
        return new FlowBlock.Row(rs.getString(1), rs.getLong(2), -1, rs.getInt(3), rs.getLong(4), rs.getLong(5),
                rs.getInt(6), withBloom ? rs.getBytes(7) : null, null);
    }

    private static byte[] data(PreparedStatement ps, FlowBlock.Row r) throws SQLException {
        ps.setString(1, r.box());
        ps.setLong(2, r.firstSeq());
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) throw new SQLException("flow block " + r.box() + "#" + r.firstSeq() + " has a summary but no records");
            return rs.getBytes(1);
        }
    }

    private FlowBlock block(FlowBlock.Row r) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(DATA_SQL)) {
            return FlowBlock.decode(r.box(), r.firstSeq(), r.minTime(), data(ps, r));
        }
    }

    @FunctionalInterface
    private interface BlockAction {
        void accept(FlowBlock b) throws SQLException;
    }

    @FunctionalInterface
    private interface SummaryAction {
        /** False stops the scan. */
        boolean accept(FlowBlock.Row r) throws SQLException;
    }

    private static final int SUMMARY_PAGE = 64;

    /**
     * Block summaries matching {@code w}, newest block first, read a page at a time by keyset so
     * that neither database materialises every summary when the caller stops after a few.
     */
    private void summaries(Where w, boolean withBloom, SummaryAction action) throws SQLException {
        String base = "SELECT " + SUMMARY + (withBloom ? ", bloom" : "") + " FROM flow_blocks";
        FlowBlock.Row last = null;
        while (true) {
            Where page = new Where();
            page.terms.addAll(w.terms);
            page.args.addAll(w.args);
            if (last != null) {
                page.and("(max_time < ? OR (max_time = ? AND (box < ? OR (box = ? AND first_seq < ?))))");
                page.args.addAll(List.of(last.maxTime(), last.maxTime(), last.box(), last.box(), last.firstSeq()));
            }
            List<FlowBlock.Row> rows = new ArrayList<>(SUMMARY_PAGE);
            try (PreparedStatement ps = db.prepareStatement(base + page.sql()
                    + " ORDER BY max_time DESC, box DESC, first_seq DESC LIMIT " + SUMMARY_PAGE)) {
                bind(ps, page.args);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) rows.add(summary(rs, withBloom));
                }
            }
            for (FlowBlock.Row r : rows) if (!action.accept(r)) return;
            if (rows.size() < SUMMARY_PAGE) return;
            last = rows.get(rows.size() - 1);
        }
    }

    private void forEachBlock(Where w, BlockAction action) throws SQLException {
        try (PreparedStatement data = db.prepareStatement(DATA_SQL)) {
            summaries(w, false, r -> {
                action.accept(FlowBlock.decode(r.box(), r.firstSeq(), r.minTime(), data(data, r)));
                return true;
            });
        }
    }

    /** Every block with a record in [fromMs, toMs), for the aggregate queries. */
    private void scan(long fromMs, long toMs, BlockAction action) throws SQLException {
        try {
            Where w = new Where();
            w.and("max_time >= ?");
            w.and("min_time < ?");
            w.args.addAll(List.of(fromMs, toMs));
            forEachBlock(w, action);
        } finally {
            db.commit();
        }
    }

    /** Strictly after the cursor in viewer order. */
    private static boolean before(FlowBlock b, int i, Cursor c) {
        long t = b.time()[i];
        if (t != c.timeMs()) return t < c.timeMs();
        int byBox = b.box.compareTo(c.box());
        return byBox != 0 ? byBox < 0 : b.seq()[i] < c.seq();
    }

    /** Conditions the block summary answers in SQL: box and time span. */
    private static Where blockWhere(FlowFilter f) {
        Where w = new Where();
        f.box().ifPresent(b -> { w.and("box = ?"); w.args.add(b); });
        f.from().ifPresent(t -> { w.and("max_time >= ?"); w.args.add(t); });
        f.to().ifPresent(t -> { w.and("min_time < ?"); w.args.add(t); });
        return w;
    }

    /** What the summary's verdict set rules out before a block is read. */
    private static Predicate<FlowBlock.Row> summaryTest(FlowFilter f) {
        return f.verdict().<Predicate<FlowBlock.Row>>map(m -> {
            int bit = 1 << Math.min(Math.max(m.value(), 0), 31);
            return m.negated() ? r -> (r.verdicts() & ~bit) != 0 : r -> (r.verdicts() & bit) != 0;
        }).orElse(r -> true);
    }

    /**
     * The filter (and the page's cursor) compiled against one block: dictionary lookups happen
     * once per block, so a record is tested by comparing small integers.
     */
    private static IntPredicate matcher(FlowBlock b, FlowFilter f, Optional<Cursor> after) {
        List<IntPredicate> all = new ArrayList<>();
        f.from().ifPresent(t -> { long[] time = b.time(); all.add(i -> time[i] >= t); });
        f.to().ifPresent(t -> { long[] time = b.time(); all.add(i -> time[i] < t); });
        f.address().ifPresent(m -> {
            int id = b.find(FlowBlock.raw(m.value()));
            all.add(sides(m.side(), m.negated(), b::src, b::dst, id));
        });
        f.port().ifPresent(m -> all.add(sides(m.side(), m.negated(), b::sport, b::dport, m.value())));
        f.proto().ifPresent(m -> { byte[] p = b.proto(); all.add(i -> ((p[i] & 0xFF) == m.value()) != m.negated()); });
        f.iface().ifPresent(m -> {
            int id = java.util.Arrays.asList(b.ifaces()).indexOf(m.value());
            all.add(sides(FlowFilter.Side.EITHER, m.negated(), b::in, b::out, id));
        });
        f.rule().ifPresent(m -> { long[] r = b.rule(); all.add(i -> (r[i] == m.value()) != m.negated()); });
        f.verdict().ifPresent(m -> { byte[] v = b.verdict(); all.add(i -> ((v[i] & 0xFF) == m.value()) != m.negated()); });
        after.ifPresent(c -> all.add(i -> before(b, i, c)));
        return i -> {
            for (IntPredicate p : all) if (!p.test(i)) return false;
            return true;
        };
    }

    /**
     * A side-aware match of an integer column pair (dictionary indexes or ports); negating
     * "either" means "on neither side", as the viewer promises. A value the block does not hold
     * (index -1) matches nothing, so its negation matches everything.
     */
    private static IntPredicate sides(FlowFilter.Side side, boolean negated, java.util.function.Supplier<int[]> srcCol,
                                      java.util.function.Supplier<int[]> dstCol, int value) {
        if (value < 0) return i -> negated;
        int[] s = side == FlowFilter.Side.DST ? null : srcCol.get(), d = side == FlowFilter.Side.SRC ? null : dstCol.get();
        return switch (side) {
            case SRC -> i -> (s[i] == value) != negated;
            case DST -> i -> (d[i] == value) != negated;
            case EITHER -> i -> (s[i] == value || d[i] == value) != negated;
        };
    }

    private static final class Where {
        final List<String> terms = new ArrayList<>();
        final List<Object> args = new ArrayList<>();

        void and(String term) { terms.add(term); }

        String sql() { return terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms); }
    }
}
