// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import dev.rampart.link.BoxConnection;
import dev.rampart.link.BoxException;
import dev.rampart.link.FlowRecord;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moves one box's record stream into a {@link FlowStore}. Records arrive on the connection's
 * reader thread and only get queued there; a writer thread stores them in batches. It resumes
 * after the highest sequence already stored, skips anything at or below it (a replay after a
 * reconnect, a retried batch), and records every hole in the sequence as a {@link Gap} so that a
 * loss is visible instead of silent.
 */
public final class Collector implements AutoCloseable {

    /** Counters since start: records received, newly stored, skipped as already stored, and missed. */
    public record Stats(long received, long stored, long skipped, long missed, String lastError) {}

    private final String box;
    private final FlowStore store;
    private final int batchSize;
    private final BlockingQueue<FlowRecord> queue = new LinkedBlockingQueue<>();
    private final AtomicLong received = new AtomicLong(), processed = new AtomicLong(), stored = new AtomicLong(),
            skipped = new AtomicLong(), missed = new AtomicLong();
    private final Thread writer;
    private final AutoCloseable subscription;
    private volatile boolean stopping;
    private volatile String lastError = "";
    /** Highest seq stored; -1 before the first record of a box that has none stored. */
    private long last;

    private Collector(String box, FlowStore store, int batchSize, long last, BoxConnection conn) throws BoxException {
        this.box = box;
        this.store = store;
        this.batchSize = batchSize;
        this.last = last;
        this.writer = new Thread(this::run, "collector-" + box);
        writer.setDaemon(true);
        writer.start();
        this.subscription = conn.subscribe(r -> {
            received.incrementAndGet();
            queue.add(r);
        });
    }

    /** Subscribes to {@code conn}'s record stream and starts storing it under the name {@code box}. */
    public static Collector start(BoxConnection conn, String box, FlowStore store, int batchSize)
            throws BoxException, SQLException {
        if (batchSize <= 0) throw new IllegalArgumentException("batch size must be positive");
        return new Collector(box, store, batchSize, store.highestSeq(box).orElse(-1), conn);
    }

    public Stats stats() {
        return new Stats(received.get(), stored.get(), skipped.get(), missed.get(), lastError);
    }

    /** Waits until everything received so far is stored (or {@code timeout} passes); true when it is. */
    public boolean flush(Duration timeout) throws InterruptedException {
        long target = received.get(), deadline = System.nanoTime() + timeout.toNanos();
        while (processed.get() < target) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(5);
        }
        return true;
    }

    private void run() {
        List<FlowRecord> batch = new ArrayList<>(batchSize);
        while (!(stopping && queue.isEmpty())) {
            try {
                FlowRecord first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, batchSize - 1);
                store(batch);
                batch.clear();
            } catch (InterruptedException e) {
                stopping = true;
            }
        }
    }

    /** Stores one batch, retrying while the database fails; safe because inserts are idempotent. */
    private void store(List<FlowRecord> batch) throws InterruptedException {
        List<Flow> fresh = new ArrayList<>(batch.size());
        List<Gap> gaps = new ArrayList<>();
        long next = last, skip = 0, miss = 0;
        for (FlowRecord r : batch) {
            if (r.seq() <= next) {
                skip++;
                continue;
            }
            if (next >= 0 && r.seq() > next + 1) {
                gaps.add(new Gap(box, next + 1, r.seq() - 1, System.currentTimeMillis()));
                miss += r.seq() - 1 - next;
            }
            fresh.add(Flow.of(box, r));
            next = r.seq();
        }
        while (true) {
            try {
                int n = store.insert(fresh, gaps);
                stored.addAndGet(n);
                skipped.addAndGet(skip + (fresh.size() - n));
                missed.addAndGet(miss);
                last = next;
                processed.addAndGet(batch.size());
                return;
            } catch (SQLException e) {
                lastError = e.getMessage();
                if (stopping) {
                    processed.addAndGet(batch.size());
                    return;
                }
                Thread.sleep(500);
            }
        }
    }

    /** Stops the subscription, stores what was already received, and stops the writer. */
    @Override public void close() throws Exception {
        Exception failure = null;
        try {
            subscription.close();
        } catch (Exception e) {
            // A dead link cannot be unsubscribed from; what arrived is still stored below.
            failure = e;
        }
        stopping = true;
        writer.join(10_000);
        if (failure instanceof BoxException be && !(be instanceof dev.rampart.link.LinkLostException)) throw be;
    }
}
