// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import dev.rampart.link.BoxConnection;
import dev.rampart.link.BoxException;
import dev.rampart.link.BoxStatus;
import dev.rampart.link.FlowRecord;
import dev.rampart.link.Transport;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
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
 * <p>Every connection starts by reading the box's spool_id. A box whose spool was wiped or
 * replaced (a new spool_id, numbers from 0 again) begins a new {@link SpoolEpoch}: the numbers the
 * old spool was known to have handed out but never arrived become a gap "spool replaced on box",
 * and the new spool's records are stored above everything the box had, so neither spool's
 * records are mixed with or taken for copies of the other's.
 *
 * <p>An agent without a spool gets the original live SUBSCRIBE: no catch-up, no acknowledgement.
 */
public final class Collector implements AutoCloseable {

    /**
     * Counters since start: records received, newly stored, skipped as already stored, numbers
     * missing without explanation, numbers the box reported lost (or a replaced spool left
     * unreceived), the highest stored number acknowledged to the box (-1: none), and sessions opened.
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
    /** The connection and the spool epoch its records belong to; acknowledgements go only there. */
    private record Session(BoxConnection conn, SpoolEpoch epoch) {}
    /** The box's next sequence number when the latest session subscribed, as stored (-1: no spool subscription yet). */
    private volatile long numberedAtSubscription = -1;

    /** A queued record or LOSS with the epoch of the subscription it came from (null: an agent without a spool). */
    private record Item(SpoolEpoch epoch, Object what) {}

    /**
     * Epoch rows for the writer to commit with the next batch, and the gap a replaced spool left;
     * queued ahead of the records they concern.
     */
    record EpochNote(List<SpoolEpoch> rows, Gap gap) {}

    /** Where a subscription starts: the epoch, the box's number to ask from, and what to commit first (or null). */
    record Decision(SpoolEpoch epoch, long from, EpochNote note) {}

    private volatile Session session;
    private volatile boolean spoolMode;
    private final AtomicLong notesQueued = new AtomicLong(), notesDone = new AtomicLong();
    /** Highest stored seq accounted for (stored or recorded lost); -1 before anything of this box. Written by the writer. */
    private volatile long last;
    /** The box's current spool epoch as committed; null before the first. Written by the writer. */
    private volatile SpoolEpoch epoch;

    private Collector(Transport.Factory factory, String box, FlowStore store, Options options, long last, SpoolEpoch epoch) {
        this.factory = factory;
        this.box = box;
        this.store = store;
        this.options = options;
        this.last = last;
        this.epoch = epoch;
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
        List<SpoolEpoch> epochs = store.epochs(box);
        Collector c = new Collector(factory, box, store, options, store.highestCovered(box).orElse(-1),
                epochs.isEmpty() ? null : epochs.get(epochs.size() - 1));
        c.writer.start();
        c.connector.start();
        return c;
    }

    public Stats stats() {
        return new Stats(received.get(), stored.get(), skipped.get(), missed.get(), lost.get(), acked.get(),
                sessions.get(), lastError);
    }

    /**
     * The number the box would have given its next record when the latest session subscribed,
     * in stored numbering (see {@link #epoch()}): everything below it was already in the box's
     * spool then. -1 until a spool subscription succeeded (and always with an agent without a
     * spool). A one-shot collection is complete once {@link #accountedThrough} reaches this minus one.
     */
    public long numberedAtSubscription() { return numberedAtSubscription; }

    /**
     * The highest stored sequence number accounted for so far (-1: none). In the box's first
     * spool epoch it is the box's own number; after a spool was replaced, see {@link #epoch()}.
     */
    public long accountedThrough() { return last; }

    /** The spool epoch being collected (null before the first spool-capable connection). */
    public SpoolEpoch epoch() { return epoch; }

    /** Waits until everything received so far is stored (or {@code timeout} passes); true when it is. */
    public boolean flush(Duration timeout) throws InterruptedException {
        long target = received.get(), notes = notesQueued.get(), deadline = System.nanoTime() + timeout.toNanos();
        while (processed.get() < target || notesDone.get() < notes) {
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
                drain();
                if (c.supportsSpool()) {
                    spoolMode = true;
                    BoxStatus.Spool sp = c.status().spool().orElseThrow(
                            () -> new BoxException("the box offers records since N but its STATUS carries no spool"));
                    Decision d = decide(box, store.epochs(box), last, sp.spoolId(), sp.nextSeq(), System.currentTimeMillis());
                    if (d.note() != null) note(d.note());
                    SpoolEpoch e = d.epoch();
                    session = new Session(c, e);
                    BoxConnection.SpoolPosition pos = c.subscribeFrom(d.from(), new BoxConnection.SpoolListener() {
                        @Override public void records(List<FlowRecord> batch) {
                            received.addAndGet(batch.size());
                            for (FlowRecord r : batch) enqueue(new Item(e, r));
                        }

                        @Override public void loss(BoxConnection.Loss l) {
                            received.incrementAndGet();
                            enqueue(new Item(e, l));
                        }
                    });
                    // One session talks to one running agent, so its spool cannot change under it;
                    // should it ever, nothing of this session may be stored under the wrong epoch.
                    if (pos.spoolId() != sp.spoolId())
                        throw new BoxException(String.format("the box's spool changed from %016x to %016x between STATUS "
                                + "and SUBSCRIBE_FROM", sp.spoolId(), pos.spoolId()));
                    if (pos.nextSeq() > e.knownNext()) note(new EpochNote(List.of(e.withKnownNext(pos.nextSeq())), null));
                    numberedAtSubscription = e.stored(pos.nextSeq());
                } else {
                    spoolMode = false;
                    session = new Session(c, null);
                    c.subscribe(r -> {
                        received.incrementAndGet();
                        enqueue(new Item(null, r));
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
            } catch (java.sql.SQLException e) {
                lastError = "reading the box's spool epochs: " + e.getMessage();
            } catch (RuntimeException e) {
                lastError = String.valueOf(e);
            } finally {
                if (c != null) {
                    if (stopping && c.isOpen()) leave(c);
                    session = null;
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

    private void enqueue(Item item) {
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            // Only a closing connection interrupts its reader; the box sends the item again next time.
            received.decrementAndGet();
            Thread.currentThread().interrupt();
        }
    }

    private void note(EpochNote n) throws InterruptedException {
        notesQueued.incrementAndGet();
        queue.put(n);
    }

    /** Waits until the writer has committed everything queued. */
    private void drain() throws InterruptedException {
        while (!stopping && (processed.get() < received.get() || notesDone.get() < notesQueued.get())) Thread.sleep(5);
    }

    /**
     * Which epoch a subscription to the spool {@code spoolId} (whose next number is {@code nextSeq})
     * belongs to, given the box's known epochs and the highest stored number accounted for.
     * The same spool with its numbers still ahead of what is stored carries on; anything else (a
     * new spool_id, or the same one gone back behind what was stored) begins a new epoch that
     * starts above everything accounted for, after a gap for the numbers the old spool was known
     * to have handed out but that never arrived.
     */
    static Decision decide(String box, List<SpoolEpoch> known, long last, long spoolId, long nextSeq, long now) {
        SpoolEpoch cur = known.isEmpty() ? null : known.get(known.size() - 1);
        if (cur == null) {
            // A new box, or a database from before spools were noted: its records are this spool's
            // unless the spool's numbers are behind them.
            if (last < 0 || nextSeq > last) {
                SpoolEpoch first = new SpoolEpoch(box, 1, OptionalLong.of(spoolId), 0, 0, nextSeq, now,
                        OptionalLong.empty(), null, -1, 0);
                return new Decision(first, last + 1, new EpochNote(List.of(first), null));
            }
            SpoolEpoch unnoted = new SpoolEpoch(box, 1, OptionalLong.empty(), 0, 0, last + 1, now, OptionalLong.empty(),
                    null, -1, 0);
            return replace(box, unnoted, List.of(unnoted), List.of(unnoted), last, spoolId, nextSeq, now);
        }
        long from = cur.boxSeq(last) + 1;
        if (cur.sameSpool(spoolId) && nextSeq >= from) return new Decision(cur, from, null);
        return replace(box, cur, known, List.of(), last, spoolId, nextSeq, now);
    }

    private static Decision replace(String box, SpoolEpoch cur, List<SpoolEpoch> known, List<SpoolEpoch> write, long last,
                                    long spoolId, long nextSeq, long now) {
        long lastBox = cur.boxSeq(last);
        long lost = Math.max(0, cur.knownNext() - 1 - lastBox);
        boolean back = cur.sameSpool(spoolId);
        long from = 0;
        if (back) {
            // Restored from an older copy: what it holds below nextSeq was stored already.
            from = nextSeq;
        } else {
            // A spool met before (a disk put back): carry on after what its epoch accounted for.
            for (int i = 0; i + 1 < known.size(); i++)
                if (known.get(i).sameSpool(spoolId)) from = known.get(i + 1).prevLastSeq() + 1;
            from = Math.min(from, nextSeq);
        }
        long start = last + lost + 1;
        String reason = back ? SpoolEpoch.WENT_BACK : SpoolEpoch.REPLACED;
        SpoolEpoch next = new SpoolEpoch(box, cur.epoch() + 1, OptionalLong.of(spoolId), start - from, from, nextSeq, now,
                OptionalLong.empty(), reason, lastBox, lost);
        List<SpoolEpoch> rows = new ArrayList<>(write);
        rows.add(next);
        return new Decision(next, from, new EpochNote(rows, lost > 0 ? new Gap(box, last + 1, last + lost, now, reason) : null));
    }

    /** A clean stop: no more records, store what came, and acknowledge it before closing. */
    private void leave(BoxConnection c) {
        try {
            c.unsubscribe();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (processed.get() < received.get() && System.nanoTime() < deadline) Thread.sleep(5);
            acknowledge().get(10, TimeUnit.SECONDS);
            // What the box holds beyond this point is known to exist: should this spool be gone
            // when the collector returns, the database can say how much of it never arrived.
            Session s = session;
            BoxStatus.Spool sp = s == null || s.epoch() == null ? null : c.status().spool().orElse(null);
            if (sp != null && s.epoch().sameSpool(sp.spoolId()) && sp.nextSeq() > s.epoch().knownNext())
                note(new EpochNote(List.of(s.epoch().withKnownNext(sp.nextSeq())), null));
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
        Map<Integer, SpoolEpoch> rows = new LinkedHashMap<>();
        SpoolEpoch cur = epoch;
        long next = last, skip = 0, miss = 0, gone = 0, notes = 0, now = System.currentTimeMillis();
        for (Object item : batch) {
            if (item instanceof EpochNote n) {
                notes++;
                for (SpoolEpoch r : n.rows()) {
                    SpoolEpoch m = cur != null && cur.epoch() == r.epoch() ? merge(cur, r) : r;
                    rows.put(m.epoch(), m);
                    if (cur == null || m.epoch() >= cur.epoch()) cur = m;
                }
                Gap g = n.gap();
                if (g != null && g.lastSeq() > next) {
                    gaps.add(g);
                    gone += g.count();
                }
                next = Math.max(next, cur.start() - 1);
                continue;
            }
            SpoolEpoch e = ((Item) item).epoch();
            Object o = ((Item) item).what();
            long base = e == null ? 0 : e.base(), lo, hi;
            if (o instanceof FlowRecord r) {
                lo = hi = base + r.seq();
            } else {
                BoxConnection.Loss l = (BoxConnection.Loss) o;
                lo = base + l.firstSeq();
                hi = base + l.lastSeq();
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
                Flow f = Flow.of(box, r);
                fresh.add(base == 0 ? f : renumbered(f, lo));
                if (e != null && cur != null && cur.epoch() == e.epoch() && cur.firstRecordMs().isEmpty()) {
                    cur = cur.withFirstRecordMs(r.timeMs());
                    rows.put(cur.epoch(), cur);
                }
            } else {
                BoxConnection.Loss l = (BoxConnection.Loss) o;
                gaps.add(new Gap(box, lo, hi, now, l.text()));
                gone += hi - lo + 1;
            }
            next = hi;
        }
        while (true) {
            try {
                int n = store.insert(fresh, gaps, rows.values());
                stored.addAndGet(n);
                skipped.addAndGet(skip + (fresh.size() - n));
                missed.addAndGet(miss);
                lost.addAndGet(gone);
                last = next;
                epoch = cur;
                processed.addAndGet(batch.size() - notes);
                notesDone.addAndGet(notes);
                return;
            } catch (SQLException e) {
                lastError = e.getMessage();
                if (stopping) {
                    processed.addAndGet(batch.size() - notes);
                    notesDone.addAndGet(notes);
                    return;
                }
                Thread.sleep(500);
            }
        }
    }

    /** An epoch row as the writer last had it, changed by a note: counts and times only grow. */
    private static SpoolEpoch merge(SpoolEpoch had, SpoolEpoch changed) {
        SpoolEpoch m = changed.withKnownNext(had.knownNext());
        return had.firstRecordMs().isPresent() && m.firstRecordMs().isEmpty() ? m.withFirstRecordMs(had.firstRecordMs().getAsLong()) : m;
    }

    private static Flow renumbered(Flow f, long seq) {
        return new Flow(f.box(), seq, f.timeMs(), f.hook(), f.verdict(), f.proto(), f.family(), f.src(), f.dst(), f.srcPort(),
                f.dstPort(), f.inIface(), f.outIface(), f.ruleId(), f.generation(), f.packets(), f.bytes());
    }

    /**
     * After a commit: the box may delete everything up to what the database now accounts for.
     * Not waited for: the answer comes behind records the reader may be blocked on until this
     * thread has stored them. A lost acknowledgement only delays deletion until the next one.
     * Only the connection to the spool being stored is told, in that spool's own numbers.
     */
    private java.util.concurrent.CompletableFuture<?> acknowledge() {
        Session s = session;
        SpoolEpoch e = epoch;
        long through = last;
        if (s == null || s.epoch() == null || e == null || s.epoch().epoch() != e.epoch() || through <= acked.get()
                || e.boxSeq(through) < 0)
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        BoxConnection c = s.conn();
        return c.ackAsync(e.boxSeq(through)).whenComplete((r, x) -> {
            if (x == null) acked.accumulateAndGet(through, Math::max);
            else lastError = "acknowledgement not delivered: " + x.getMessage();
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
