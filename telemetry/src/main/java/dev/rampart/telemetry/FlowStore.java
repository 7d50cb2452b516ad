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
    private final Rollups rollups;

    /** How an aggregate treats a rollup its window cuts: by block count, or always one way (tests check both against the model). */
    enum Edges { CHEAPER, ADD_INSIDE, TAKE_AWAY_OUTSIDE }

    private Edges edges = Edges.CHEAPER;

    synchronized void edges(Edges e) { edges = e; }

    private FlowStore(Connection db, Dialect dialect, Rollups rollups) {
        this.db = db;
        this.dialect = dialect;
        this.rollups = rollups;
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
        return open(url, user, password, null);
    }

    /**
     * With rollup levels other than the default ({@code shifts}: log2 of each level's range size):
     * for tests, whose data would not fill one default range. Only an empty database takes new
     * levels; one that holds records keeps the levels its rollups were built with.
     */
    static FlowStore open(String url, String user, String password, int[] shifts) throws SQLException {
        Dialect d;
        if (url.startsWith("jdbc:h2:")) d = Dialect.H2;
        else if (url.startsWith("jdbc:postgresql:")) d = Dialect.POSTGRES;
        else throw new SQLException("unsupported database URL '" + url + "' (use jdbc:h2:... or jdbc:postgresql:...)");
        Flyway.configure(FlowStore.class.getClassLoader()).dataSource(url, user, password)
                .locations("classpath:db/migration").javaMigrations(new V4__Flows_into_blocks(), new V6__Build_rollups())
                .load().migrate();
        Connection c = DriverManager.getConnection(url, user, password);
        try {
            c.setAutoCommit(false);
            Rollups levels = Rollups.read(c);
            if (shifts != null && !java.util.Arrays.equals(shifts, levels.shifts)) {
                levels = new Rollups(shifts);
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM flow_blocks")) {
                    rs.next();
                    if (rs.getLong(1) != 0) throw new SQLException("the flow database already holds records rolled up with levels "
                            + java.util.Arrays.toString(Rollups.read(c).shifts));
                    st.executeUpdate("DELETE FROM flow_rollup_levels");
                    for (int i = 0; i < shifts.length; i++)
                        st.executeUpdate("INSERT INTO flow_rollup_levels (lvl, seq_shift) VALUES (" + i + ", " + shifts[i] + ")");
                }
            }
            c.commit();
            return new FlowStore(c, d, levels);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
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
        // The ranges the new records fall into, and the one that held the box's highest number
        // before: their rollups are brought up to date below.
        Set<Long> touched = new java.util.TreeSet<>();
        long lastStart = Long.MIN_VALUE;
        for (Flow f : add) {
            long st = rollups.start(0, f.seq());
            if (st != lastStart) touched.add(lastStart = st);
        }
        OptionalLong highest = OptionalLong.of(add.get(add.size() - 1).seq());
        // A collector that follows a box live inserts a few records at a time: grow the newest
        // block instead of leaving thousands of tiny ones for every query to step through.
        try (PreparedStatement ps = db.prepareStatement("SELECT b.first_seq, b.last_seq, b.n, b.min_time, d.data "
                + "FROM flow_blocks b JOIN flow_data d ON d.box = b.box AND d.first_seq = b.first_seq "
                + "WHERE b.box = ? ORDER BY b.last_seq DESC LIMIT 1")) {
            ps.setString(1, box);
            try (ResultSet rs = ps.executeQuery()) {
                boolean any = rs.next();
                if (any) {
                    touched.add(rollups.start(0, rs.getLong(2)));
                    highest = OptionalLong.of(Math.max(highest.getAsLong(), rs.getLong(2)));
                }
                if (any && rs.getLong(2) < add.get(0).seq() && rs.getInt(3) < FlowBlock.TARGET
                        && rollups.start(0, rs.getLong(1)) == rollups.start(0, add.get(0).seq())) {
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
        rollups.writeSplit(db, add);
        rollups.refresh(db, box, touched, highest);
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

    /** How many ranges of a level are rolled up: for tests that must know rollups are there to be read. */
    synchronized long rollupRows(int level) throws SQLException {
        return query("SELECT COUNT(*) FROM flow_rollups WHERE lvl = ?", List.of(level), rs -> rs.getLong(1)).get(0);
    }

    /** How many rollups an aggregate over [fromMs, toMs) reads instead of blocks. */
    synchronized int rollupsUsed(long fromMs, long toMs) throws SQLException {
        try {
            return plan(fromMs, toMs, true).used().size();
        } finally {
            db.commit();
        }
    }

    /** The newest record's time, or empty when nothing is stored. */
    synchronized OptionalLong newestTime() throws SQLException {
        return query("SELECT MAX(max_time) FROM flow_blocks", List.of(), rs -> {
            long v = rs.getLong(1);
            return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
        }).get(0);
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
        if (host.isPresent()) return newestWithHost(filter, after, limit, host.get());
        Where w = blockWhere(filter);
        after.ifPresent(c -> {
            w.and("min_time <= ?");
            w.args.add(c.timeMs());
        });
        Predicate<FlowBlock.Row> maybe = summaryTest(filter);
        List<Flow> found = new ArrayList<>();
        try (PreparedStatement data = db.prepareStatement(DATA_SQL)) {
            summaries(w, r -> {
                // Every later block ends no later than this one: once the page's last row is
                // newer than this block's newest record, nothing further can enter the page.
                if (found.size() > limit && found.get(limit).timeMs() > r.maxTime()) return false;
                if (maybe.test(r)) take(data, r, filter, after, found, limit);
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

    /**
     * {@link #newest} for a filter that names a host: the blocks come from the host index of each
     * rolled-up range (only those that may hold the host) and from each box's range still filling,
     * merged newest first. A rare or absent host then costs a few index rows per range instead of
     * a pass over every block's Bloom filter.
     */
    private FlowPage newestWithHost(FlowFilter filter, Optional<Cursor> after, int limit, byte[] host) throws SQLException {
        long from = filter.from().orElse(Long.MIN_VALUE), to = filter.to().orElse(Long.MAX_VALUE);
        long upTo = after.map(Cursor::timeMs).orElse(Long.MAX_VALUE);
        int key = Rollups.indexKey(host);
        record Source(String box, long lo, long maxTime, boolean indexed) {}
        List<Source> sources = new ArrayList<>();
        try {
            Where rw = new Where();
            rw.and("lvl = 0");
            filter.box().ifPresent(b -> { rw.and("box = ?"); rw.args.add(b); });
            rw.and("max_time >= ?");
            rw.and("min_time < ?");
            rw.and("min_time <= ?");
            rw.args.addAll(List.of(from, to, upTo));
            try (PreparedStatement ps = db.prepareStatement("SELECT box, first_seq, max_time FROM flow_rollups" + rw.sql())) {
                bind(ps, rw.args);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) sources.add(new Source(rs.getString(1), rs.getLong(2), rs.getLong(3), true));
                }
            }
            for (SeqRange r : filling(filter.box())) sources.add(new Source(r.box(), r.lo(), Long.MAX_VALUE, false));
            sources.sort(Comparator.comparingLong(Source::maxTime).reversed());

            Comparator<FlowBlock.Row> newestBlock = Comparator.comparingLong(FlowBlock.Row::maxTime)
                    .thenComparing(FlowBlock.Row::box).thenComparingLong(FlowBlock.Row::firstSeq).reversed();
            PriorityQueue<FlowBlock.Row> pending = new PriorityQueue<>(newestBlock);
            Predicate<FlowBlock.Row> maybe = summaryTest(filter);
            List<Flow> found = new ArrayList<>();
            int next = 0;
            try (PreparedStatement data = db.prepareStatement(DATA_SQL);
                 PreparedStatement index = db.prepareStatement("SELECT data FROM flow_host_index WHERE box = ? AND first_seq = ? AND part = ?")) {
                while (true) {
                    // Open every source that may hold a block newer than the newest one pending.
                    while (next < sources.size() && (pending.isEmpty() || sources.get(next).maxTime() >= pending.peek().maxTime())) {
                        Source src = sources.get(next++);
                        if (!src.indexed()) {
                            for (FlowBlock.Row r : rangeSummaries(new SeqRange(src.box(), src.lo(), Long.MAX_VALUE), from, to, true))
                                if (r.minTime() <= upTo) pending.add(r);
                            continue;
                        }
                        index.setString(1, src.box());
                        index.setLong(2, src.lo());
                        index.setInt(3, key >>> 8);
                        byte[] row;
                        try (ResultSet rs = index.executeQuery()) {
                            row = rs.next() ? rs.getBytes(1) : null;
                        }
                        if (row == null) continue;
                        List<Long> firsts = Rollups.candidates(row, src.lo(), key);
                        // On a server, one query per range rather than per block: the round trip costs more
                        // than the row. Embedded H2 has no round trip, and does not look an IN list up
                        // in the primary key (it reads every block of the box), so it gets one key at a time.
                        int chunk = dialect == Dialect.POSTGRES ? 64 : 1;
                        for (int at = 0; at < firsts.size(); at += chunk) {
                            List<Long> some = firsts.subList(at, Math.min(firsts.size(), at + chunk));
                            int seen = 0;
                            try (PreparedStatement ps = db.prepareStatement("SELECT " + SUMMARY + ", bloom FROM flow_blocks WHERE box = ? AND first_seq IN ("
                                    + String.join(", ", java.util.Collections.nCopies(some.size(), "?")) + ")")) {
                                ps.setString(1, src.box());
                                for (int i = 0; i < some.size(); i++) ps.setLong(i + 2, some.get(i));
                                try (ResultSet rs = ps.executeQuery()) {
                                    while (rs.next()) {
                                        seen++;
                                        FlowBlock.Row r = summary(rs, true);
                                        if (r.maxTime() >= from && r.minTime() < to && r.minTime() <= upTo) pending.add(r);
                                    }
                                }
                            }
                            if (seen != some.size())
                                throw new SQLException("the host index of " + src.box() + "#" + src.lo() + " names blocks that are not stored");
                        }
                    }
                    FlowBlock.Row r = pending.poll();
                    if (r == null) break;
                    // Every block still to come ends no later than this one.
                    if (found.size() > limit && found.get(limit).timeMs() > r.maxTime()) break;
                    if (maybe.test(r) && FlowBlock.Bloom.mayContain(r.bloom(), host)) take(data, r, filter, after, found, limit);
                }
            }
            found.sort(NEWEST);
            if (found.size() <= limit) return new FlowPage(found, Optional.empty());
            List<Flow> page = List.copyOf(found.subList(0, limit));
            return new FlowPage(page, Optional.of(Cursor.of(page.get(limit - 1))));
        } finally {
            db.commit();
        }
    }

    /** Sources by bytes, then packets, in [fromMs, toMs). */
    public synchronized List<Talker> topTalkers(long fromMs, long toMs, int n) throws SQLException {
        try {
            Plan plan = plan(fromMs, toMs, true);
            Rollup edges = new Rollup();
            decodeEdges(plan, fromMs, toMs, edges, Rollup.SOURCES);
            List<Rollup.Cursor> streams = new ArrayList<>();
            streams.add(Rollup.of(edges));
            for (RollupRef r : plan.used()) streams.add(Rollup.sources(rollupData(r)));
            return best(streams, n);
        } finally {
            db.commit();
        }
    }

    /**
     * Merges sources given in address order (every stream sorted the same way), adding up each
     * address across streams and keeping the n best: sequential reads instead of hashing the
     * millions of entries an hour of rollups can hold.
     */
    private static List<Talker> best(List<Rollup.Cursor> streams, int n) {
        if (n <= 0) return List.of();
        Comparator<Talker> order = Comparator.comparingLong(Talker::bytes).reversed()
                .thenComparing(Comparator.comparingLong(Talker::packets).reversed()).thenComparing(Talker::address);
        PriorityQueue<Talker> top = new PriorityQueue<>(n + 1, order.reversed());
        // A binary heap of the streams by their current address: about log2(streams) comparisons
        // per entry instead of a pass over every stream.
        Rollup.Cursor[] heap = new Rollup.Cursor[streams.size()];
        int live = 0;
        for (Rollup.Cursor c : streams) if (c.next()) heap[live++] = c;
        for (int i = live / 2 - 1; i >= 0; i--) siftDown(heap, live, i);
        while (live > 0) {
            Rollup.Cursor m = heap[0];
            int len = m.len;
            long hi = m.hi, lo = m.lo, flows = 0, packets = 0, bytes = 0;
            while (live > 0 && heap[0].len == len && heap[0].hi == hi && heap[0].lo == lo) {
                Rollup.Cursor c = heap[0];
                flows += c.flows;
                packets += c.packets;
                bytes += c.bytes;
                if (!c.next()) heap[0] = heap[--live];
                siftDown(heap, live, 0);
            }
            // Sums with the records outside the window taken away can leave an address with none.
            if (flows == 0) continue;
            if (top.size() == n) {
                Talker weakest = top.peek();
                int cmp = Long.compare(bytes, weakest.bytes());
                if (cmp == 0) cmp = Long.compare(packets, weakest.packets());
                if (cmp < 0) continue;
                Talker t = new Talker(FlowBlock.text(AddressTotals.bytesOf(hi, lo, len)), flows, packets, bytes);
                if (cmp == 0 && t.address().compareTo(weakest.address()) >= 0) continue;
                top.poll();
                top.add(t);
            } else {
                top.add(new Talker(FlowBlock.text(AddressTotals.bytesOf(hi, lo, len)), flows, packets, bytes));
            }
        }
        List<Talker> out = new ArrayList<>(top);
        out.sort(order);
        return out;
    }

    private static void siftDown(Rollup.Cursor[] heap, int size, int i) {
        while (true) {
            int l = 2 * i + 1, r = l + 1, min = i;
            if (l < size && before(heap[l], heap[min])) min = l;
            if (r < size && before(heap[r], heap[min])) min = r;
            if (min == i) return;
            Rollup.Cursor t = heap[i];
            heap[i] = heap[min];
            heap[min] = t;
            i = min;
        }
    }

    private static boolean before(Rollup.Cursor a, Rollup.Cursor b) {
        return Rollup.compare(a.len, a.hi, a.lo, b.len, b.hi, b.lo) < 0;
    }

    /** One entry per minute of [fromMs, toMs) (rounded out to whole minutes), minutes without traffic included. */
    public synchronized List<DropMinute> dropsPerMinute(long fromMs, long toMs) throws SQLException {
        long first = Math.floorDiv(fromMs, 60_000L), last = Math.floorDiv(toMs - 1, 60_000L);
        Rollup sum = sums(fromMs, toMs, Rollup.MINUTES);
        List<DropMinute> out = new ArrayList<>();
        for (long m = first; m <= last; m++) {
            long[] t = sum.minutes.getOrDefault(m, new long[2]);
            out.add(new DropMinute(m * 60_000L, t[0], t[1]));
        }
        return out;
    }

    /** Traffic per rule in [fromMs, toMs), busiest first. */
    public synchronized List<RuleTraffic> perRule(long fromMs, long toMs) throws SQLException {
        Rollup sum = sums(fromMs, toMs, Rollup.RULES);
        return sum.rules.entrySet().stream()
                .sorted(Comparator.<Map.Entry<Long, long[]>>comparingLong(e -> -e.getValue()[1]).thenComparing(Map.Entry::getKey))
                .map(e -> new RuleTraffic(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2], e.getValue()[3]))
                .toList();
    }

    /** The small sums (minutes or rules) over [fromMs, toMs): rollups inside the window plus the edges' records. */
    private Rollup sums(long fromMs, long toMs, int what) throws SQLException {
        try {
            Plan plan = plan(fromMs, toMs, (what & Rollup.RULES) == 0);
            Rollup sum = new Rollup();
            decodeEdges(plan, fromMs, toMs, sum, what);
            for (RollupRef r : plan.used()) sum.merge(rollupData(r), r.n(), r.minTime(), r.maxTime(), what);
            return sum;
        } finally {
            db.commit();
        }
    }

    /** A stored rollup row's summary. */
    private record RollupRef(String box, int level, long lo, long n, long minTime, long maxTime) {}

    /** A box's sequence range [lo, hi) whose blocks a query decodes. */
    private record SeqRange(String box, long lo, long hi) {}

    /**
     * What an aggregate over a window reads: rollups (wholly inside it, or cut by it and listed in
     * {@code subtract}), the ranges whose blocks in the window it adds, and the ranges whose
     * blocks outside the window it takes away from their rollup.
     */
    private record Plan(List<RollupRef> used, List<SeqRange> decode, List<SeqRange> subtract) {}

    /**
     * The largest rollups wholly inside [fromMs, toMs), then the level-0 ranges that overlap the
     * window only in part, and each box's range still filling (never rolled up): every stored
     * record in the window is counted exactly once, by a rollup or by decoding its block.
     */
    private Plan plan(long fromMs, long toMs, boolean mayTakeAway) throws SQLException {
        List<RollupRef> rows = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT box, lvl, first_seq, n, min_time, max_time FROM flow_rollups "
                + "WHERE max_time >= ? AND min_time < ?")) {
            ps.setLong(1, fromMs);
            ps.setLong(2, toMs);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next())
                    rows.add(new RollupRef(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)));
            }
        }
        rows.sort(Comparator.comparingInt(RollupRef::level).reversed());
        Map<String, List<long[]>> covered = new HashMap<>();
        List<RollupRef> used = new ArrayList<>();
        List<SeqRange> decode = new ArrayList<>(), subtract = new ArrayList<>();
        for (RollupRef r : rows) {
            List<long[]> c = covered.computeIfAbsent(r.box(), k -> new ArrayList<>());
            if (c.stream().anyMatch(x -> x[0] <= r.lo() && r.lo() < x[1])) continue;
            if (r.minTime() >= fromMs && r.maxTime() < toMs) {
                used.add(r);
                c.add(new long[] {r.lo(), r.lo() + rollups.size(r.level())});
            } else if (r.level() == 0) {
                SeqRange range = new SeqRange(r.box(), r.lo(), r.lo() + rollups.size(0));
                if (mayTakeAway && edges != Edges.ADD_INSIDE && (edges == Edges.TAKE_AWAY_OUTSIDE || fewerOutside(range, fromMs, toMs))) {
                    used.add(r);
                    subtract.add(range);
                } else {
                    decode.add(range);
                }
            }
        }
        for (SeqRange tail : filling(Optional.empty())) decode.add(tail);
        return new Plan(used, decode, subtract);
    }

    /** Whether fewer blocks of a range reach outside [fromMs, toMs) than into it. */
    private boolean fewerOutside(SeqRange r, long fromMs, long toMs) throws SQLException {
        int inside = 0, outside = 0;
        try (PreparedStatement ps = db.prepareStatement("SELECT min_time, max_time FROM flow_blocks WHERE box = ? AND first_seq >= ? AND first_seq < ?")) {
            ps.setString(1, r.box());
            ps.setLong(2, r.lo());
            ps.setLong(3, r.hi());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long min = rs.getLong(1), max = rs.getLong(2);
                    if (max >= fromMs && min < toMs) inside++;
                    if (min < fromMs || max >= toMs) outside++;
                }
            }
        }
        return outside < inside;
    }

    /** Per box (or the one box asked for), the range holding its highest number when it has no rollup: its blocks are read directly. */
    private List<SeqRange> filling(Optional<String> box) throws SQLException {
        List<SeqRange> out = new ArrayList<>();
        Map<String, Long> highest = new LinkedHashMap<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT box, MAX(last_seq) FROM flow_blocks"
                + (box.isPresent() ? " WHERE box = ?" : "") + " GROUP BY box")) {
            if (box.isPresent()) ps.setString(1, box.get());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) highest.put(rs.getString(1), rs.getLong(2));
            }
        }
        try (PreparedStatement ps = db.prepareStatement("SELECT 1 FROM flow_rollups WHERE box = ? AND lvl = 0 AND first_seq = ?")) {
            for (Map.Entry<String, Long> e : highest.entrySet()) {
                long lo = rollups.start(0, e.getValue());
                ps.setString(1, e.getKey());
                ps.setLong(2, lo);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) out.add(new SeqRange(e.getKey(), lo, Long.MAX_VALUE));
                }
            }
        }
        return out;
    }

    private void decodeEdges(Plan plan, long fromMs, long toMs, Rollup into, int what) throws SQLException {
        try (PreparedStatement data = db.prepareStatement(DATA_SQL)) {
            for (SeqRange r : plan.decode()) {
                for (FlowBlock.Row row : rangeSummaries(r, fromMs, toMs, false))
                    into.add(FlowBlock.decode(row.box(), row.firstSeq(), row.minTime(), data(data, row)), fromMs, toMs, what);
            }
            for (SeqRange r : plan.subtract()) {
                try (PreparedStatement ps = db.prepareStatement("SELECT " + SUMMARY + " FROM flow_blocks "
                        + "WHERE box = ? AND first_seq >= ? AND first_seq < ? AND (min_time < ? OR max_time >= ?)")) {
                    ps.setString(1, r.box());
                    ps.setLong(2, r.lo());
                    ps.setLong(3, r.hi());
                    ps.setLong(4, fromMs);
                    ps.setLong(5, toMs);
                    List<FlowBlock.Row> rows = new ArrayList<>();
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) rows.add(summary(rs, false));
                    }
                    for (FlowBlock.Row row : rows) {
                        FlowBlock b = FlowBlock.decode(row.box(), row.firstSeq(), row.minTime(), data(data, row));
                        into.add(b, Long.MIN_VALUE, fromMs, what, -1);
                        into.add(b, toMs, Long.MAX_VALUE, what, -1);
                    }
                }
            }
        }
    }

    /** Summaries of the blocks of a sequence range that overlap [fromMs, toMs). */
    private List<FlowBlock.Row> rangeSummaries(SeqRange r, long fromMs, long toMs, boolean withBloom) throws SQLException {
        List<FlowBlock.Row> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT " + SUMMARY + (withBloom ? ", bloom" : "")
                + " FROM flow_blocks WHERE box = ? AND first_seq >= ? AND first_seq < ? AND max_time >= ? AND min_time < ?")) {
            ps.setString(1, r.box());
            ps.setLong(2, r.lo());
            ps.setLong(3, r.hi());
            ps.setLong(4, fromMs);
            ps.setLong(5, toMs);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(summary(rs, withBloom));
            }
        }
        return out;
    }

    private byte[] rollupData(RollupRef r) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("SELECT data FROM flow_rollups WHERE box = ? AND lvl = ? AND first_seq = ?")) {
            ps.setString(1, r.box());
            ps.setInt(2, r.level());
            ps.setLong(3, r.lo());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new SQLException("flow rollup " + r.box() + "#" + r.lo() + " (level " + r.level() + ") vanished");
                return rs.getBytes(1);
            }
        }
    }

    // ---- retention ----------------------------------------------------------------------------------

    /** Deletes flows older than {@code cutoffMs}; returns how many. */
    public synchronized int deleteOlderThan(long cutoffMs) throws SQLException {
        try {
            long whole = query("SELECT COALESCE(SUM(n), 0) FROM flow_blocks WHERE max_time < ?", List.of(cutoffMs),
                    rs -> rs.getLong(1)).get(0);
            // Rollups whose records are all older go with them; those that straddle the cutoff
            // are rebuilt from what the blocks keep.
            Map<String, Set<Long>> touched = new HashMap<>();
            try (PreparedStatement ps = db.prepareStatement("SELECT box, first_seq FROM flow_rollups WHERE min_time < ? AND max_time >= ?")) {
                ps.setLong(1, cutoffMs);
                ps.setLong(2, cutoffMs);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) touched.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getLong(2));
                }
            }
            Rollups.deleteOlderThan(db, cutoffMs);
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
                touched.computeIfAbsent(b.box, k -> new HashSet<>()).add(b.firstSeq);
            }
            refresh(touched);
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
            Map<String, Set<Long>> touched = new HashMap<>();
            for (Pos p : opened) {
                gone += rewrite(p.b(), p.drop());
                touched.computeIfAbsent(p.b().box, k -> new HashSet<>()).add(p.b().firstSeq);
            }
            refresh(touched);
            db.commit();
            return Math.toIntExact(gone);
        } catch (SQLException | RuntimeException e) {
            db.rollback();
            throw e;
        }
    }

    /** After retention: the rollups of the ranges holding these numbers, per box, made exact again. */
    private void refresh(Map<String, Set<Long>> touched) throws SQLException {
        for (Map.Entry<String, Set<Long>> e : touched.entrySet())
            rollups.refresh(db, e.getKey(), e.getValue(), Rollups.highest(db, e.getKey()));
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

    /**
     * Adds the records of block {@code r} that match to a page being gathered, keeping only the
     * newest {@code limit + 1} (one more than the page, to know whether another follows).
     */
    private static void take(PreparedStatement data, FlowBlock.Row r, FlowFilter filter, Optional<Cursor> after, List<Flow> found,
                             int limit) throws SQLException {
        FlowBlock b = FlowBlock.decode(r.box(), r.firstSeq(), r.minTime(), data(data, r));
        IntPredicate match = matcher(b, filter, after);
        for (int i = 0; i < b.n; i++) if (match.test(i)) found.add(b.flow(i));
        if (found.size() > limit) {
            found.sort(NEWEST);
            found.subList(limit + 1, found.size()).clear();
        }
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
    private void summaries(Where w, SummaryAction action) throws SQLException {
        String base = "SELECT " + SUMMARY + " FROM flow_blocks";
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
                    while (rs.next()) rows.add(summary(rs, false));
                }
            }
            for (FlowBlock.Row r : rows) if (!action.accept(r)) return;
            if (rows.size() < SUMMARY_PAGE) return;
            last = rows.get(rows.size() - 1);
        }
    }

    private void forEachBlock(Where w, BlockAction action) throws SQLException {
        try (PreparedStatement data = db.prepareStatement(DATA_SQL)) {
            summaries(w, r -> {
                action.accept(FlowBlock.decode(r.box(), r.firstSeq(), r.minTime(), data(data, r)));
                return true;
            });
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
