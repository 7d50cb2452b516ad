// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.logs;

import dev.rampart.gui.connection.Box;
import dev.rampart.link.BoxConnection;
import dev.rampart.link.BoxException;
import dev.rampart.link.BoxStatus;
import dev.rampart.link.Counters;
import dev.rampart.link.FlowRecord;
import dev.rampart.link.LoadResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A box with a spool in miniature, for the live log's catch-up: numbered records kept from
 * {@code oldest} to {@code next - 1}, "records since N" served as the agent does (numbers older than
 * the oldest kept come as one lost range, reason "deleted"), and a live push of new ones.
 */
final class SpoolBox implements Box {
    final String name;
    final long spoolId;
    final List<FlowRecord> spool = new ArrayList<>();
    final List<String> calls = new ArrayList<>();
    long oldest;
    BoxConnection.SpoolListener listener;

    SpoolBox(String name, long spoolId) {
        this.name = name;
        this.spoolId = spoolId;
    }

    long next() { return oldest + spool.size(); }

    static FlowRecord record(long seq) {
        return new FlowRecord(seq, 1_000_000L + seq * 100, 1, seq % 3 == 0 ? 1 : 0, 6, new byte[] {10, 20, 3, (byte) seq},
                new byte[] {93, (byte) 184, (byte) 216, 34}, 40000 + (int) seq, 443, 0, 0x100);
    }

    /** The box numbers {@code n} more records; a subscriber gets them at once. */
    void produce(int n) {
        List<FlowRecord> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) batch.add(record(next() + batch.size()));
        spool.addAll(batch);
        if (listener != null) listener.records(batch);
    }

    /** A collector acknowledged and the box deleted everything below {@code seq}. */
    void deleteBelow(long seq) {
        while (oldest < seq && !spool.isEmpty()) {
            spool.remove(0);
            oldest++;
        }
    }

    @Override public String describe() { return name; }

    @Override
    public BoxStatus status() {
        return new BoxStatus("0.test", "sim", 0, BoxStatus.TableState.NONE, 0, 0, 0, 0,
                new BoxStatus.Peer(BoxStatus.PeerKind.LOCAL, "", 0, "", 0), new long[3], 0, "",
                Optional.of(new BoxStatus.Spool(spoolId, next(), oldest, 0, 0, 1 << 20, 0, 0, 1, 0)), Optional.empty());
    }

    @Override
    public SpoolSubscription subscribeFrom(long fromSeq, BoxConnection.SpoolListener l) throws BoxException {
        calls.add("subscribeFrom " + fromSeq);
        if (fromSeq > next()) throw new BoxException("the box refused: beyond the spool", 11, null);
        if (fromSeq < oldest) l.loss(new BoxConnection.Loss(fromSeq, oldest - fromSeq, BoxConnection.Loss.DELETED,
                "deleted from the spool after an acknowledgement"));
        List<FlowRecord> backlog = new ArrayList<>(spool.subList((int) (Math.max(fromSeq, oldest) - oldest), spool.size()));
        if (!backlog.isEmpty()) l.records(backlog);
        listener = l;
        return new SpoolSubscription(new BoxConnection.SpoolPosition(spoolId, oldest, next()), () -> {
            calls.add("unsubscribe");
            listener = null;
        });
    }

    @Override public Counters counters() { return new Counters(0, List.of()); }

    @Override
    public LoadResult load(byte[] table, int confirmSeconds, BoxConnection.Progress progress, BooleanSupplier cancelled)
            throws BoxException {
        throw new BoxException("not used");
    }

    @Override public void reconnectAndConfirm(long generation) { }

    @Override public long rollback() { return 0; }

    @Override
    public AutoCloseable subscribe(Consumer<FlowRecord> sink) throws BoxException {
        throw new BoxException("a box with a spool is read with subscribeFrom");
    }

    @Override public void close() { }
}
