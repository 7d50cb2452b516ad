// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import dev.rampart.link.BoxConnection;
import dev.rampart.link.BoxException;
import dev.rampart.link.FlowRecord;
import dev.rampart.link.Transport;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moves one box's flow records into a {@link FlowStore}, losing nothing the box kept.
 *
 * <p>A connector thread connects to the box and asks for every record after the highest sequence
 * number the database accounts for (docs/protocol.md section 9, SUBSCRIBE_FROM); when the path
 * breaks or the box restarts it connects again with exponential backoff and asks again from there.
 * Records only get queued on the connection's reader thread; a writer thread stores them in
 * batches, idempotently by (box, seq), records the box's LOSS ranges as {@link Gap}s with their
 * reason, and only after the transaction committed acknowledges the batch, so the box deletes
 * nothing the database does not hold. Anything at or below what is already accounted for (a
 * replay after a reconnect) is skipped; a jump in the numbers that the box did not explain is
 * recorded as a gap "not received", so a loss is never silent.
 *
 * <p>An agent without a spool gets the original live SUBSCRIBE: no catch-up, no acknowledgement.
 */
public final class Collector implements AutoCloseable {

    /**
     * Counters since start: records received, newly stored, skipped as already stored, numbers
     * missing without explanation, numbers the box reported lost, the highest number
     * acknowledged to the box (-1: none), and sessions opened.
     */
    public record Stats(long received, long stored, long skipped, long missed, long lost, long acked, long sessions,
                        String lastError) {}

    /**
     * @param firstBackoff wait before the first reconnect after a failure; doubles up to maxBackoff
     */
    public record Options(int batchSize, Duration firstBackoff, Duration maxBackoff, BoxConnection.Options link) {
        public static final Options DEFAULT = new Options(1000, Duration.ofMillis(250), Duration.ofSeconds(30),
                BoxConnection.Options.DEFAULT.withReconnects(0).withRequestTimeout(Duration.ofSeconds(20)));

        public Options withBatchSize(int n) { return new Options(n, firstBackoff, maxBackoff, link); }
        public Options withBackoff(Duration first, Duration max) { return new Options(batchSize, first, max, link); }
    }

    private final String box;
    private final FlowStore store;
    private final Transport.Factory factory;
    private final Options options;
    /**
     * Bounded: when the database is slower than the box, the connection's reader blocks here, the
     * link stops acknowledging, and the box stops sending; the backlog waits in the box's spool,
     * not in this process's memory.
     */
    private final BlockingQueue<Object> queue;
    private final AtomicLong received = new AtomicLong(), processed = new AtomicLong(), stored = new AtomicLong(),
            skipped = new AtomicLong(), missed = new AtomicLong(), lost = new AtomicLong(), acked = new AtomicLong(-1),
            sessions = new AtomicLong();
    private final Thread writer, connector;
    private final Object wake = new Object();
    private volatile boolean stopping, connectorDone;
    private volatile String lastError = "";
    private volatile BoxConnection conn;
    private volatile boolean spoolMode;
    /** The box's next sequence number when the latest session subscribed (-1: no spool subscription yet). */
    private volatile long numberedAtSubscription = -1;
    /** Highest seq accounted for (stored or recorded lost); -1 before anything of this box. Written by the writer. */
    private volatile long last;

    private Collector(Transport.Factory factory, String box, FlowStore store, Options options, long last) {
        this.factory = factory;
        this.box = box;
        this.store = store;
        this.options = options;
        this.last = last;
        this.queue = new LinkedBlockingQueue<>(Math.max(10_000, 4 * options.batchSize()));
        this.writer = new Thread(this::writeLoop, "collector-writer-" + box);
        this.connector = new Thread(this::connectLoop, "collector-link-" + box);
        writer.setDaemon(true);
        connector.setDaemon(true);
    }

    /**
     * Starts collecting the box reached through {@code factory} into {@code store} under the name
     * {@code box}. Returns at once; the first connection is made in the background (see {@link #stats}).
     */
    public static Collector start(Transport.Factory factory, String box, FlowStore store, Options options)
            throws SQLException {
        if (options.batchSize() <= 0) throw new IllegalArgumentException("batch size must be positive");
        Collector c = new Collector(factory, box, store, options, store.highestCovered(box).orElse(-1));
        c.writer.start();
        c.connector.start();
        return c;
    }

    public Stats stats() {
        return new Stats(received.get(), stored.get(), skipped.get(), missed.get(), lost.get(), acked.get(),
                sessions.get(), lastError);
    }

    /**
     * The number the box would have given its next record when the latest session subscribed:
     * everything below it was already in the box's spool then. -1 until a spool subscription
     * succeeded (and always with an agent without a spool). A one-shot collection is complete
     * once {@link #accountedThrough} reaches this minus one.
     */
    public long numberedAtSubscription() { return numberedAtSubscription; }

    /** The highest sequence number stored or recorded lost so far (-1: none). */
    public long accountedThrough() { return last; }

    /** Waits until everything received so far is stored (or {@code timeout} passes); true when it is. */
    public boolean flush(Duration timeout) throws InterruptedException {
        long target = received.get(), deadline = System.nanoTime() + timeout.toNanos();
        while (processed.get() < target) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(5);
        }
        return true;
    }

    // ---- the connection --------------------------------------------------------------------------

    private void connectLoop() {
        long backoff = options.firstBackoff().toMillis();
        while (!stopping) {
            BoxConnection c = null;
            try {
                c = BoxConnection.connect(factory, options.link());
                // What is still queued from the last session decides where this one starts.
                while (!stopping && processed.get() < received.get()) Thread.sleep(5);
                long from = last + 1;
                if (c.supportsSpool()) {
                    spoolMode = true;
                    conn = c;
                    BoxConnection.SpoolPosition pos = c.subscribeFrom(from, new BoxConnection.SpoolListener() {
                        @Override public void records(List<FlowRecord> batch) {
                            received.addAndGet(batch.size());
                            for (FlowRecord r : batch) enqueue(r);
                        }

                        @Override public void loss(BoxConnection.Loss l) {
                            received.incrementAndGet();
                            enqueue(l);
                        }
                    });
                    numberedAtSubscription = pos.nextSeq();
                } else {
                    spoolMode = false;
                    conn = c;
                    c.subscribe(r -> {
                        received.incrementAndGet();
                        enqueue(r);
                    });
                }
                sessions.incrementAndGet();
                backoff = options.firstBackoff().toMillis();
                synchronized (wake) {
                    while (!stopping && c.isOpen()) wake.wait(100);
                }
                if (!stopping) lastError = "lost the box; reconnecting";
            } catch (BoxException e) {
                lastError = e.getMessage();
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                lastError = String.valueOf(e);
            } finally {
                if (c != null) {
                    if (stopping && c.isOpen()) leave(c);
                    conn = null;
                    c.close();
                }
            }
            if (stopping) break;
            try {
                synchronized (wake) {
                    wake.wait(backoff);
                }
            } catch (InterruptedException e) {
                break;
            }
            backoff = Math.min(options.maxBackoff().toMillis(), backoff * 2);
        }
        connectorDone = true;
    }

    private void enqueue(Object item) {
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            // Only a closing connection interrupts its reader; the box sends the item again next time.
            received.decrementAndGet();
            Thread.currentThread().interrupt();
        }
    }

    /** A clean stop: no more records, store what came, and acknowledge it before closing. */
    private void leave(BoxConnection c) {
        try {
            c.unsubscribe();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (processed.get() < received.get() && System.nanoTime() < deadline) Thread.sleep(5);
            acknowledge().get(10, TimeUnit.SECONDS);
        } catch (BoxException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // leaving anyway; the next session acknowledges
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- the database --------------------------------------------------------------------------------

    private void writeLoop() {
        List<Object> batch = new ArrayList<>(options.batchSize());
        while (!(connectorDone && queue.isEmpty())) {
            try {
                Object first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, options.batchSize() - 1);
                store(batch);
                batch.clear();
                acknowledge();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stores one batch, retrying while the database fails; safe because inserts are idempotent. */
    private void store(List<Object> batch) throws InterruptedException {
        List<Flow> fresh = new ArrayList<>(batch.size());
        List<Gap> gaps = new ArrayList<>();
        long next = last, skip = 0, miss = 0, gone = 0, now = System.currentTimeMillis();
        for (Object o : batch) {
            long lo, hi;
            if (o instanceof FlowRecord r) {
                lo = hi = r.seq();
            } else {
                BoxConnection.Loss l = (BoxConnection.Loss) o;
                lo = l.firstSeq();
                hi = l.lastSeq();
            }
            if (hi <= next) {
                skip++;
                continue;
            }
            lo = Math.max(lo, next + 1);
            // The live stream of an agent without a spool starts anywhere: no gap before its first record.
            if ((next >= 0 || spoolMode) && lo > next + 1) {
                gaps.add(new Gap(box, next + 1, lo - 1, now));
                miss += lo - 1 - next;
            }
            if (o instanceof FlowRecord r) {
                fresh.add(Flow.of(box, r));
            } else {
                BoxConnection.Loss l = (BoxConnection.Loss) o;
                gaps.add(new Gap(box, lo, hi, now, l.text()));
                gone += hi - lo + 1;
            }
            next = hi;
        }
        while (true) {
            try {
                int n = store.insert(fresh, gaps);
                stored.addAndGet(n);
                skipped.addAndGet(skip + (fresh.size() - n));
                missed.addAndGet(miss);
                lost.addAndGet(gone);
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

    /**
     * After a commit: the box may delete everything up to what the database now accounts for.
     * Not waited for: the answer comes behind records the reader may be blocked on until this
     * thread has stored them. A lost acknowledgement only delays deletion until the next one.
     */
    private java.util.concurrent.CompletableFuture<?> acknowledge() {
        BoxConnection c = conn;
        long through = last;
        if (c == null || !spoolMode || through <= acked.get()) return java.util.concurrent.CompletableFuture.completedFuture(null);
        return c.ackAsync(through).whenComplete((r, e) -> {
            if (e == null) acked.accumulateAndGet(through, Math::max);
            else lastError = "acknowledgement not delivered: " + e.getMessage();
        });
    }

    /** Stores what was already received, stops the writer and leaves the box. */
    @Override public void close() throws InterruptedException {
        stopping = true;
        synchronized (wake) {
            wake.notifyAll();
        }
        connector.join(20_000);
        connectorDone = true;
        writer.join(10_000);
    }
}
