// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * Rollups and the host index, kept in step with the blocks.
 *
 * <p>A box's sequence numbers are cut into aligned ranges, one size per level
 * ({@code flow_rollup_levels}: 2^18 and 2^22 by default). Blocks never cross a level-0 boundary,
 * so every block lies in one range of each level. A range is <em>sealed</em> once the box has
 * stored a number beyond it; every sealed range that holds records has a rollup row: the sums of
 * {@link Rollup} over exactly the records stored in it (level 0 from its blocks, higher levels
 * from the level below), and, at level 0, a host index. The one range of a box that holds its
 * highest number is not rolled up (it is still filling); queries decode its blocks.
 *
 * <p>Why sequence ranges and not minutes: a range is complete when the box moves past it, so a
 * rollup is written once, in the transaction that seals it, instead of being rewritten by every
 * small insert of a live collector; and a rollup's records are exactly the blocks in its range,
 * so a block stored twice, retried or rewritten by retention can be accounted for by rebuilding
 * the ranges it touches. Per-minute figures live inside the rollups (their MINUTES section).
 *
 * <p>The host index of a level-0 range answers "which of its blocks may hold address A" by
 * reading one short row: addresses are hashed into {@link #PARTS} partitions, and the row of a
 * partition lists, per block, a one-byte fingerprint of each of the block's addresses in it. A
 * block is a candidate when a fingerprint matches (about 2% of blocks that do not hold A; the
 * block's own Bloom filter, an independent hash, then rules out most of those).
 */
final class Rollups {
    static final int[] DEFAULT_SHIFTS = {18, 22};
    static final int PARTS = 256;

    /** Sequence-range sizes as powers of two, level 0 first. */
    final int[] shifts;

    Rollups(int[] shifts) {
        if (shifts.length == 0) throw new IllegalArgumentException("no rollup levels");
        for (int i = 0; i < shifts.length; i++)
            if (shifts[i] < 1 || shifts[i] > 40 || i > 0 && shifts[i] <= shifts[i - 1])
                throw new IllegalArgumentException("rollup levels must grow: " + Arrays.toString(shifts));
        this.shifts = shifts.clone();
    }

    static Rollups read(Connection c) throws SQLException {
        List<Integer> s = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq_shift FROM flow_rollup_levels ORDER BY lvl");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) s.add(rs.getInt(1));
        }
        return new Rollups(s.stream().mapToInt(Integer::intValue).toArray());
    }

    int levels() { return shifts.length; }

    long size(int level) { return 1L << shifts[level]; }

    long start(int level, long seq) { return Math.floorDiv(seq, size(level)) * size(level); }

    /** The first sequence number of the next level-0 range: where a block being filled must end. */
    long groupEnd(long seq) { return start(0, seq) + size(0); }

    // ---- keeping rollups exact --------------------------------------------------------------------

    /**
     * Brings up to date every range, at every level, that holds one of {@code seqs}: rebuilt when
     * sealed ({@code highest}, the box's highest stored number, lies beyond it), removed when not.
     * Called in the transaction that changed the blocks, with the numbers it added or removed
     * and the box's previous highest number (whose range the change may have sealed).
     */
    void refresh(Connection c, String box, Collection<Long> seqs, OptionalLong highest) throws SQLException {
        TreeSet<Long> starts = new TreeSet<>();
        for (long s : seqs) starts.add(start(0, s));
        for (int level = 0; level < levels(); level++) {
            TreeSet<Long> here = new TreeSet<>();
            for (long s : starts) here.add(start(level, s));
            for (long lo : here) {
                delete(c, box, level, lo);
                if (highest.isPresent() && highest.getAsLong() >= lo + size(level)) {
                    if (level == 0) buildGroup(c, box, lo);
                    else buildUpper(c, box, level, lo);
                }
            }
        }
    }

    private static void delete(Connection c, String box, int level, long lo) throws SQLException {
        List<String> sql = new ArrayList<>(List.of("DELETE FROM flow_rollups WHERE box = ? AND lvl = " + level + " AND first_seq = ?"));
        if (level == 0) sql.add("DELETE FROM flow_host_index WHERE box = ? AND first_seq = ?");
        for (String s : sql) {
            try (PreparedStatement ps = c.prepareStatement(s)) {
                ps.setString(1, box);
                ps.setLong(2, lo);
                ps.executeUpdate();
            }
        }
    }

    /** Level 0: the sums and host index of the blocks in [lo, lo + size). */
    private void buildGroup(Connection c, String box, long lo) throws SQLException {
        List<FlowBlock> blocks = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT b.first_seq, b.min_time, d.data FROM flow_blocks b "
                + "JOIN flow_data d ON d.box = b.box AND d.first_seq = b.first_seq "
                + "WHERE b.box = ? AND b.first_seq >= ? AND b.first_seq < ? ORDER BY b.first_seq")) {
            ps.setString(1, box);
            ps.setLong(2, lo);
            ps.setLong(3, lo + size(0));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) blocks.add(FlowBlock.decode(box, rs.getLong(1), rs.getLong(2), rs.getBytes(3)));
            }
        }
        if (blocks.isEmpty()) return;
        Rollup r = new Rollup();
        for (FlowBlock b : blocks) r.add(b, Long.MIN_VALUE, Long.MAX_VALUE, Rollup.ALL);
        insert(c, box, 0, lo, r);
        byte[][] parts = hostIndex(blocks, lo);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO flow_host_index (box, first_seq, part, data) VALUES (?, ?, ?, ?)")) {
            for (int p = 0; p < PARTS; p++) {
                if (parts[p] == null) continue;
                ps.setString(1, box);
                ps.setLong(2, lo);
                ps.setInt(3, p);
                ps.setBytes(4, parts[p]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * A higher level from the level below, only when the level below accounts for every record
     * stored in the range (else it would silently miss some).
     */
    private void buildUpper(Connection c, String box, int level, long lo) throws SQLException {
        long stored;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COALESCE(SUM(n), 0) FROM flow_blocks WHERE box = ? AND first_seq >= ? AND first_seq < ?")) {
            ps.setString(1, box);
            ps.setLong(2, lo);
            ps.setLong(3, lo + size(level));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                stored = rs.getLong(1);
            }
        }
        if (stored == 0) return;
        Rollup r = new Rollup();
        try (PreparedStatement ps = c.prepareStatement("SELECT n, min_time, max_time, data FROM flow_rollups "
                + "WHERE box = ? AND lvl = ? AND first_seq >= ? AND first_seq < ?")) {
            ps.setString(1, box);
            ps.setInt(2, level - 1);
            ps.setLong(3, lo);
            ps.setLong(4, lo + size(level));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) r.merge(rs.getBytes(4), rs.getLong(1), rs.getLong(2), rs.getLong(3), Rollup.ALL);
            }
        }
        if (r.n != stored) return;
        insert(c, box, level, lo, r);
    }

    private static void insert(Connection c, String box, int level, long lo, Rollup r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO flow_rollups (box, lvl, first_seq, n, min_time, max_time, data) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, box);
            ps.setInt(2, level);
            ps.setLong(3, lo);
            ps.setLong(4, r.n);
            ps.setLong(5, r.minTime);
            ps.setLong(6, r.maxTime);
            ps.setBytes(7, r.encode());
            ps.executeUpdate();
        }
    }

    /** Rollups whose records all lie before {@code cutoff} (retention removed them all), and their index rows. */
    static void deleteOlderThan(Connection c, long cutoff) throws SQLException {
        for (String sql : List.of(
                "DELETE FROM flow_host_index i WHERE EXISTS (SELECT 1 FROM flow_rollups r WHERE r.box = i.box "
                        + "AND r.lvl = 0 AND r.first_seq = i.first_seq AND r.max_time < ?)",
                "DELETE FROM flow_rollups WHERE max_time < ?")) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, cutoff);
                ps.executeUpdate();
            }
        }
    }

    /** The highest sequence number stored for a box. */
    static OptionalLong highest(Connection c, String box) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(last_seq) FROM flow_blocks WHERE box = ?")) {
            ps.setString(1, box);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
            }
        }
    }

    /**
     * Splits every stored block of a box that crosses a level-0 boundary (databases written
     * before rollups), then builds every sealed range: what the migration to rollups runs.
     */
    void buildAll(Connection c, String box) throws SQLException {
        List<long[]> crossing = new ArrayList<>();
        TreeSet<Long> starts = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT first_seq, last_seq, min_time FROM flow_blocks WHERE box = ?")) {
            ps.setString(1, box);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long first = rs.getLong(1), last = rs.getLong(2);
                    starts.add(start(0, first));
                    if (start(0, first) != start(0, last)) crossing.add(new long[] {first, rs.getLong(3)});
                }
            }
        }
        for (long[] k : crossing) {
            FlowBlock b;
            try (PreparedStatement ps = c.prepareStatement("SELECT data FROM flow_data WHERE box = ? AND first_seq = ?")) {
                ps.setString(1, box);
                ps.setLong(2, k[0]);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) throw new SQLException("flow block " + box + "#" + k[0] + " has a summary but no records");
                    b = FlowBlock.decode(box, k[0], k[1], rs.getBytes(1));
                }
            }
            List<Flow> all = new ArrayList<>(b.n);
            for (int i = 0; i < b.n; i++) all.add(b.flow(i));
            for (String table : List.of("flow_data", "flow_blocks")) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE box = ? AND first_seq = ?")) {
                    ps.setString(1, box);
                    ps.setLong(2, k[0]);
                    ps.executeUpdate();
                }
            }
            writeSplit(c, all);
            for (Flow f : all) starts.add(start(0, f.seq()));
        }
        refresh(c, box, starts, highest(c, box));
    }

    /** Writes records of one box, in sequence order, as blocks of at most TARGET that do not cross a level-0 boundary. */
    void writeSplit(Connection c, List<Flow> add) throws SQLException {
        int i = 0;
        while (i < add.size()) {
            long end = groupEnd(add.get(i).seq());
            int j = i;
            while (j < add.size() && j - i < FlowBlock.TARGET && add.get(j).seq() < end) j++;
            FlowStore.writeBlock(c, FlowBlock.encode(add.subList(i, j)));
            i = j;
        }
    }

    // ---- the host index ---------------------------------------------------------------------------

    /** Partition (high byte) and fingerprint (low byte) of an address: a hash independent of the blocks' Bloom probes. */
    static int indexKey(byte[] addr) {
        long h = FlowBlock.Bloom.hash(addr) ^ 0x243F6A8885A308D3L;
        h *= 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int) (h >>> 48);
    }

    /**
     * The index rows of a level-0 range, by partition (null: no address falls into it). A row is
     * a run of entries, one per block with addresses in the partition, in block order:
     * {@code varint} block start minus the previous entry's (from {@code lo}), {@code varint}
     * count, then that many one-byte fingerprints.
     */
    static byte[][] hostIndex(List<FlowBlock> blocks, long lo) {
        FlowBlock.Out[] out = new FlowBlock.Out[PARTS];
        long[] prev = new long[PARTS];
        for (FlowBlock b : blocks) {
            byte[][] addrs = b.addrs();
            int[] keys = new int[addrs.length];
            for (int i = 0; i < addrs.length; i++) keys[i] = indexKey(addrs[i]);
            Arrays.sort(keys);
            int i = 0;
            while (i < keys.length) {
                int part = keys[i] >>> 8, j = i;
                while (j < keys.length && keys[j] >>> 8 == part) j++;
                if (out[part] == null) out[part] = new FlowBlock.Out(64);
                out[part].varint(b.firstSeq - lo - prev[part]);
                prev[part] = b.firstSeq - lo;
                out[part].varint(j - i);
                for (int k = i; k < j; k++) out[part].u8(keys[k] & 0xFF);
                i = j;
            }
        }
        byte[][] rows = new byte[PARTS][];
        for (int p = 0; p < PARTS; p++) if (out[p] != null) rows[p] = out[p].toByteArray();
        return rows;
    }

    /** The first sequence numbers of the blocks an index row says may hold the address of {@code key}. */
    static List<Long> candidates(byte[] row, long lo, int key) {
        List<Long> out = new ArrayList<>();
        FlowBlock.In r = new FlowBlock.In(row, 0, row.length);
        int fp = key & 0xFF;
        long at = lo;
        try {
            while (r.pos < r.end) {
                at += r.varint();
                long count = r.varint();
                if (count > r.end - r.pos) throw new IllegalStateException("host index entry runs past the row's end");
                boolean hit = false;
                for (long k = 0; k < count; k++) hit |= r.u8() == fp;
                if (hit) out.add(at);
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IllegalStateException("host index row of range " + lo + " is truncated", e);
        }
        return out;
    }
}
