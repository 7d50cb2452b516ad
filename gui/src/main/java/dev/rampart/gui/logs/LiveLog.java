// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.logs;

import dev.rampart.telemetry.Flow;
import dev.rampart.telemetry.Talker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The live log's records and counts, kept away from the UI thread: a ring of the newest records
 * (a fixed array), the filtered newest-first copy the table shows, and the last minute's counts
 * for the charts. Records go into the ring as they arrive, on the link's thread, so memory stays
 * bounded by the ring however far behind the UI falls; a worker makes {@link Snapshot}s, and the UI
 * thread only ever receives finished ones. Methods are synchronized: the link's thread and the
 * worker meet here, for the microseconds a record takes or the millisecond a snapshot takes.
 */
final class LiveLog {
    /** What the UI shows after one batch: swapped in whole. */
    record Snapshot(Flow[] shown, int newOnTop, int kept, long received, int held, long droppedWhilePaused,
                    List<LogsViewModel.Second> seconds, List<Talker> talkers) {}

    private final int capacity;
    private final Flow[] ring;
    private int next, size;
    private long received;

    /** While paused: what was kept when the pause began (newest first, unfiltered); the table filters this. */
    private Flow[] frozen;
    private long receivedAtPause;
    private long droppedWhilePaused;

    /** Records taken in since the last snapshot, for telling the table how many rows are new on top. */
    private final List<Flow> sinceSnapshot = new ArrayList<>();
    private boolean wholeChange = true;

    private final TreeMap<Long, Bucket> perSecond = new TreeMap<>();
    private final Map<String, Integer> bySource = new HashMap<>();
    private long chartsDrawnAt = Long.MIN_VALUE;
    private List<LogsViewModel.Second> seconds;
    private List<Talker> talkers;

    LiveLog(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity " + capacity);
        this.capacity = capacity;
        this.ring = new Flow[capacity];
    }

    /** Records in the order the box numbered them (oldest first). */
    synchronized void take(List<Flow> oldestFirst) {
        for (Flow f : oldestFirst) put(f);
        count(oldestFirst);
    }

    synchronized void take(Flow f) {
        put(f);
        count(List.of(f));
    }

    private void put(Flow f) {
        ring[next] = f;
        next = next + 1 == capacity ? 0 : next + 1;
        if (size < capacity) size++;
        received++;
        if (frozen == null) {
            sinceSnapshot.add(f);
            // More new records than the table holds: every row changes anyway.
            if (sinceSnapshot.size() > capacity) {
                sinceSnapshot.clear();
                wholeChange = true;
            }
        }
    }

    /**
     * Freezes what the table shows: the records up to the {@code shownUpTo}-th received (the
     * snapshot on screen); later ones count as held.
     */
    synchronized void pause(long shownUpTo) {
        if (frozen != null) return;
        int unseen = (int) Math.max(0, Math.min(size, received - shownUpTo));
        Flow[] all = newestFirst(null);
        frozen = java.util.Arrays.copyOfRange(all, unseen, all.length);
        receivedAtPause = received - unseen;
        sinceSnapshot.clear();
    }

    synchronized void resume() {
        if (frozen == null) return;
        droppedWhilePaused += Math.max(0, received - receivedAtPause - capacity);
        frozen = null;
        wholeChange = true;
    }

    /** The next table contents under {@code filter} (null: everything), and the counts when they changed. */
    synchronized Snapshot snapshot(Predicate<Flow> filter, boolean filterChanged) {
        Flow[] shown;
        int newOnTop = -1;
        int held = 0;
        long dropped = droppedWhilePaused;
        if (frozen != null) {
            shown = filter == null ? frozen : keep(frozen, filter);
            // Unless the filter changed, the rows are those on screen: the table checks and keeps them.
            if (!filterChanged) newOnTop = 0;
            long since = received - receivedAtPause;
            held = (int) Math.min(since, capacity);
            dropped += Math.max(0, since - capacity);
        } else {
            shown = newestFirst(filter);
            if (!wholeChange && !filterChanged) {
                newOnTop = 0;
                for (Flow f : sinceSnapshot) if (filter == null || filter.test(f)) newOnTop++;
            }
            sinceSnapshot.clear();
            wholeChange = false;
        }
        Snapshot s = new Snapshot(shown, newOnTop, size, received, held, dropped, seconds, talkers);
        seconds = null;
        talkers = null;
        return s;
    }

    /** Newest first, unfiltered (tests and the benchmark). */
    synchronized List<Flow> kept() { return List.of(newestFirst(null)); }

    synchronized long received() { return received; }

    private Flow[] newestFirst(Predicate<Flow> filter) {
        Flow[] out = new Flow[size];
        int n = 0;
        for (int i = 0, at = next; i < size; i++) {
            at = at == 0 ? capacity - 1 : at - 1;
            Flow f = ring[at];
            if (filter == null || filter.test(f)) out[n++] = f;
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    private static Flow[] keep(Flow[] all, Predicate<Flow> filter) {
        Flow[] out = new Flow[all.length];
        int n = 0;
        for (Flow f : all) if (filter.test(f)) out[n++] = f;
        return java.util.Arrays.copyOf(out, n);
    }

    // ---- charts: records and denials per second, top sources, over the last minute -------------

    /** One second of records: totals and records per source, so a second leaving the window is subtracted whole. */
    private static final class Bucket {
        int total, denied;
        final Map<String, Integer> bySource = new HashMap<>();
    }

    private void count(List<Flow> batch) {
        if (batch.isEmpty()) return;
        long newest = Long.MIN_VALUE;
        for (Flow f : batch) {
            Bucket b = perSecond.computeIfAbsent(f.timeMs() / 1000, k -> new Bucket());
            b.total++;
            if (f.verdict() != Flow.ACCEPT) b.denied++;
            b.bySource.merge(f.src(), 1, Integer::sum);
            bySource.merge(f.src(), 1, Integer::sum);
            newest = Math.max(newest, f.timeMs());
        }
        // Counts, not records, are kept for the window: at 5,000 records/s a minute of records would
        // outweigh the table itself.
        // The charts move in whole seconds: expiring and redrawing once per second of records is enough.
        if (newest / 1000 == chartsDrawnAt) return;
        long cutoff = newest / 1000 - LogsViewModel.WINDOW_SECONDS;
        for (var old = perSecond.headMap(cutoff, true).entrySet().iterator(); old.hasNext(); ) {
            old.next().getValue().bySource.forEach((src, n) -> bySource.computeIfPresent(src, (k, v) -> v - n == 0 ? null : v - n));
            old.remove();
        }
        chartsDrawnAt = newest / 1000;
        List<LogsViewModel.Second> s = new ArrayList<>(perSecond.size());
        perSecond.forEach((sec, b) -> s.add(new LogsViewModel.Second(sec, b.total, b.denied)));
        seconds = s;
        talkers = bySource.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry::getKey))
                .limit(LogsViewModel.TOP).map(e -> new Talker(e.getKey(), e.getValue(), e.getValue(), 0)).toList();
    }
}
