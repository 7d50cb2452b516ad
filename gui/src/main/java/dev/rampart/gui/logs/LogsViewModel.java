// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.logs;

import dev.rampart.gui.connection.Box;
import dev.rampart.gui.service.TaskRunner;
import dev.rampart.telemetry.Flow;
import dev.rampart.telemetry.FlowFilter;
import dev.rampart.telemetry.Talker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * The live log: flow records streamed from the connected box, newest first, kept up to a fixed
 * number so memory stays bounded; pause/resume; a filter line; per-second totals and denials and
 * the top talkers of the last minute; and rules made from records.
 *
 * <p>Records arrive on the link's thread into a queue; the UI thread takes them in batches every
 * {@link #PUMP}, so a busy box costs the UI a few list operations per batch, not one per record.
 */
public final class LogsViewModel {
    /** Two table updates a second: readable, and a busy box costs the UI thread the same as a quiet one. */
    static final Duration PUMP = Duration.ofMillis(500);
    static final int WINDOW_SECONDS = 60;
    static final int TOP = 6;

    public enum Field { SRC, DST, HOST, SPORT, DPORT, PROTO, VERDICT, RULE }

    /** Records and denials in one second of the box's clock. */
    public record Second(long second, int total, int denied) {}

    private final TaskRunner tasks;
    private final LongFunction<String> ruleNames;
    private final Consumer<NewRule> ruleSink;
    private final int capacity;

    private final ObservableList<Flow> rows = FXCollections.observableArrayList();
    private final FilteredList<Flow> shown = new FilteredList<>(rows);
    private final StringProperty filter = new SimpleStringProperty(this, "filter", "");
    private final StringProperty filterError = new SimpleStringProperty(this, "filterError", "");
    private final BooleanProperty paused = new SimpleBooleanProperty(this, "paused");
    private final LongProperty received = new SimpleLongProperty(this, "received");
    private final StringProperty status = new SimpleStringProperty(this, "status", "Not connected.");
    private final ObservableList<Second> seconds = FXCollections.observableArrayList();
    private final ObservableList<Talker> talkers = FXCollections.observableArrayList();

    private final ConcurrentLinkedQueue<Flow> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inboxSize = new AtomicInteger();
    private final ArrayDeque<Flow> held = new ArrayDeque<>();
    private final ArrayDeque<Flow> window = new ArrayDeque<>();
    private final TreeMap<Long, int[]> perSecond = new TreeMap<>();
    private final Map<String, Integer> bySource = new HashMap<>();
    private long overflowed;
    private long chartsDrawnAt = Long.MIN_VALUE;

    private Box box;
    private AutoCloseable subscription;
    private TaskRunner.Cancellable pump;
    private int session;

    public LogsViewModel(TaskRunner tasks, ObservableValue<Box> boxes, LongFunction<String> ruleNames,
                         Consumer<NewRule> ruleSink, int capacity) {
        this.tasks = tasks;
        this.ruleNames = ruleNames;
        this.ruleSink = ruleSink;
        this.capacity = capacity;
        filter.addListener((o, was, now) -> applyFilter());
        paused.addListener((o, was, now) -> {
            if (!now) release();
            updateStatus();
        });
        boxes.addListener((o, was, now) -> follow(now));
        follow(boxes.getValue());
    }

    /** Newest first, filtered: what the table shows. */
    public ObservableList<Flow> shown() { return shown; }
    /** Newest first, unfiltered, at most the capacity. */
    public ObservableList<Flow> rows() { return rows; }
    public StringProperty filterProperty() { return filter; }
    public StringProperty filterErrorProperty() { return filterError; }
    public BooleanProperty pausedProperty() { return paused; }
    public LongProperty receivedProperty() { return received; }
    public StringProperty statusProperty() { return status; }
    /** The last minute, one entry per second with records, oldest first. */
    public ObservableList<Second> seconds() { return seconds; }
    /** The sources with the most records in the last minute, most first. */
    public ObservableList<Talker> talkers() { return talkers; }

    public String ruleName(long id) {
        if (id == 0) return "(chain policy)";
        String n = ruleNames.apply(id);
        return n != null ? n : String.format("%08x", id);
    }

    // ---- the stream -------------------------------------------------------------------------

    private void follow(Box now) {
        int mine = ++session;
        AutoCloseable old = subscription;
        subscription = null;
        if (pump != null) pump.cancel();
        pump = null;
        if (old != null) tasks.submit(() -> { old.close(); return null; }, x -> { }, x -> { });
        box = now;
        if (now == null) {
            status.set("Not connected: the log shows the records of the connected box.");
            return;
        }
        rows.clear();
        held.clear();
        window.clear();
        perSecond.clear();
        bySource.clear();
        seconds.clear();
        talkers.clear();
        inbox.clear();
        inboxSize.set(0);
        received.set(0);
        overflowed = 0;
        chartsDrawnAt = Long.MIN_VALUE;
        String name = now.describe();
        status.set("Subscribing to " + name + "...");
        tasks.submit(() -> now.subscribe(r -> {
            inbox.add(Flow.of(name, r));
            inboxSize.incrementAndGet();
        }), sub -> {
            if (mine != session) {
                tasks.submit(() -> { sub.close(); return null; }, x -> { }, x -> { });
                return;
            }
            subscription = sub;
            updateStatus();
            schedulePump(mine);
        }, err -> {
            if (mine == session) status.set("Could not subscribe to the box's records: " + err.getMessage());
        });
    }

    private void schedulePump(int mine) {
        pump = tasks.schedule(PUMP, () -> {
            if (mine != session) return;
            drain();
            schedulePump(mine);
        });
    }

    /** Takes what arrived since the last batch into the table (or the held list while paused) and the charts. */
    public void drain() {
        List<Flow> batch = new ArrayList<>();
        for (Flow f; (f = inbox.poll()) != null; ) {
            inboxSize.decrementAndGet();
            batch.add(f);
        }
        if (batch.isEmpty()) return;
        received.set(received.get() + batch.size());
        count(batch);
        Collections.reverse(batch);
        if (paused.get()) {
            for (int i = batch.size() - 1; i >= 0; i--) held.addFirst(batch.get(i));
            while (held.size() > capacity) {
                held.removeLast();
                overflowed++;
            }
        } else {
            show(batch);
        }
        updateStatus();
    }

    /** {@code newestFirst} goes on top; the oldest rows beyond the capacity go. */
    private void show(List<Flow> newestFirst) {
        List<Flow> add = newestFirst.size() > capacity ? newestFirst.subList(0, capacity) : newestFirst;
        int excess = rows.size() + add.size() - capacity;
        if (excess > 0) rows.remove(rows.size() - excess, rows.size());
        rows.addAll(0, add);
    }

    private void release() {
        if (held.isEmpty()) return;
        show(new ArrayList<>(held));
        held.clear();
    }

    private void updateStatus() {
        if (box == null) return;
        String s = String.format("%,d records received from %s; %,d kept (newest %,d), %,d shown", received.get(),
                box.describe(), rows.size(), capacity, shown.size());
        if (paused.get()) s += String.format("; PAUSED, %,d new records held", held.size());
        if (overflowed > 0) s += String.format("; %,d older records dropped while paused", overflowed);
        status.set(s);
    }

    // ---- charts -----------------------------------------------------------------------------

    private void count(List<Flow> batch) {
        long newest = Long.MIN_VALUE;
        for (Flow f : batch) {
            window.addLast(f);
            int[] c = perSecond.computeIfAbsent(f.timeMs() / 1000, k -> new int[2]);
            c[0]++;
            if (f.verdict() != Flow.ACCEPT) c[1]++;
            bySource.merge(f.src(), 1, Integer::sum);
            newest = Math.max(newest, f.timeMs());
        }
        long cutoff = newest / 1000 - WINDOW_SECONDS;
        while (!window.isEmpty() && window.peekFirst().timeMs() / 1000 <= cutoff) {
            Flow old = window.removeFirst();
            bySource.computeIfPresent(old.src(), (k, v) -> v == 1 ? null : v - 1);
        }
        perSecond.headMap(cutoff, true).clear();
        // The charts move in whole seconds: redrawing them once per second of records is enough.
        if (newest / 1000 == chartsDrawnAt) return;
        chartsDrawnAt = newest / 1000;
        List<Second> s = new ArrayList<>(perSecond.size());
        perSecond.forEach((sec, c) -> s.add(new Second(sec, c[0], c[1])));
        seconds.setAll(s);
        List<Talker> top = bySource.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry::getKey))
                .limit(TOP).map(e -> new Talker(e.getKey(), e.getValue(), e.getValue(), 0)).toList();
        if (!top.equals(talkers)) talkers.setAll(top);
    }

    // ---- filtering --------------------------------------------------------------------------

    private void applyFilter() {
        try {
            FlowFilter f = FilterQuery.parse(filter.get());
            shown.setPredicate(FilterQuery.terms(filter.get()).isEmpty() ? null : FlowMatcher.of(f));
            filterError.set("");
        } catch (IllegalArgumentException e) {
            // The table keeps the last filter that made sense while the line is being typed.
            filterError.set(e.getMessage());
        }
        updateStatus();
    }

    /** Click-to-filter: the value of {@code field} in {@code flow} becomes a condition of the filter line. */
    public void filterOn(Flow flow, Field field, boolean negated) {
        FilterQuery.Term t = switch (field) {
            case SRC -> new FilterQuery.Term("src", flow.src(), negated);
            case DST -> new FilterQuery.Term("dst", flow.dst(), negated);
            case HOST -> new FilterQuery.Term("host", flow.src(), negated);
            case SPORT -> new FilterQuery.Term("sport", String.valueOf(flow.srcPort()), negated);
            case DPORT -> new FilterQuery.Term("dport", String.valueOf(flow.dstPort()), negated);
            case PROTO -> new FilterQuery.Term("proto", FilterQuery.protoName(flow.proto()), negated);
            case VERDICT -> new FilterQuery.Term("verdict", flow.verdictName(), negated);
            case RULE -> new FilterQuery.Term("rule", flow.ruleId() == 0 ? "policy" : ruleNames.apply(flow.ruleId()) != null
                    ? ruleNames.apply(flow.ruleId()) : String.format("0x%08x", flow.ruleId()), negated);
        };
        filter.set(FilterQuery.with(filter.get(), t));
    }

    /** Either side is this host: {@code host ADDRESS}. */
    public void filterOnHost(String address, boolean negated) {
        filter.set(FilterQuery.with(filter.get(), new FilterQuery.Term("host", address, negated)));
    }

    public void clearFilter() { filter.set(""); }

    /** Opens a rule made from {@code flow} in the editor. */
    public void makeRule(Flow flow) {
        String decider = flow.ruleId() == 0 ? null : ruleNames.apply(flow.ruleId());
        ruleSink.accept(NewRule.from(flow, decider));
    }

    /** Records received but not yet taken in (for tests and the benchmark). */
    public int inboxSize() { return inboxSize.get(); }
}
