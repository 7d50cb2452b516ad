// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.logs;

import dev.rampart.gui.connection.Box;
import dev.rampart.gui.service.TaskRunner;
import dev.rampart.link.BoxConnection;
import dev.rampart.link.BoxException;
import dev.rampart.link.BoxStatus;
import dev.rampart.link.FlowRecord;
import dev.rampart.telemetry.Flow;
import dev.rampart.telemetry.FlowFilter;
import dev.rampart.telemetry.Talker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.Predicate;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The live log: flow records streamed from the connected box, newest first, kept up to a fixed
 * number so memory stays bounded; pause/resume; a filter line, and filter lines saved under a
 * name; per-second totals and denials and the top talkers of the last minute; rules made from
 * records; and, after a reconnect to the same box, the records sent while disconnected.
 *
 * <p>Records go into a ring of the newest ones on the link's thread as they arrive (memory stays
 * bounded however busy the box and however slow the UI). Every {@link #PUMP} a worker filters the
 * ring and hands the UI thread a finished array that it swaps into the table with one change: a
 * busy box or a new filter over 20,000 records costs the UI thread the same few microseconds as a
 * quiet one.
 *
 * <p>When the box keeps a spool (its records are numbered, docs/protocol.md section 9) the log
 * subscribes with "records since N". Reconnected to the same spool, it asks for the numbers after
 * the last one it received, up to as many as it keeps, and says what it fetched, what it left out
 * and what the box reports lost, and why.
 */
public final class LogsViewModel {
    /** Two table updates a second: readable, and a busy box costs the UI thread the same as a quiet one. */
    static final Duration PUMP = Duration.ofMillis(500);
    static final int WINDOW_SECONDS = 60;
    static final int TOP = 6;
    /** Notices kept in the banner: the newest few say what matters. */
    static final int NOTICES = 4;

    public enum Field { SRC, DST, HOST, SPORT, DPORT, PROTO, VERDICT, RULE }

    /** Records and denials in one second of the box's clock. */
    public record Second(long second, int total, int denied) {}

    private final TaskRunner tasks;
    private final TaskRunner work;
    private final LongFunction<String> ruleNames;
    private final Consumer<NewRule> ruleSink;
    private final int capacity;
    private final FilterStore filterStore;

    private final LiveList shown = new LiveList();
    private final StringProperty filter = new SimpleStringProperty(this, "filter", "");
    private final StringProperty filterError = new SimpleStringProperty(this, "filterError", "");
    private final BooleanProperty paused = new SimpleBooleanProperty(this, "paused");
    private final LongProperty received = new SimpleLongProperty(this, "received");
    private final StringProperty status = new SimpleStringProperty(this, "status", "Not connected.");
    private final StringProperty notice = new SimpleStringProperty(this, "notice", "");
    private final ObservableList<Second> seconds = FXCollections.observableArrayList();
    private final ObservableList<Talker> talkers = FXCollections.observableArrayList();
    private final ObservableList<SavedFilter> savedFilters = FXCollections.observableArrayList();
    private final StringProperty savedFilterMessage = new SimpleStringProperty(this, "savedFilterMessage", "");

    private final List<String> notices = new ArrayList<>();
    /** Why the saved filters could not be read; saving then would overwrite what the file holds. */
    private String unreadable;
    private Predicate<Flow> predicate;

    /** The records of one box (one spool), which outlive a connection to it. */
    private Log log;
    /** The current subscription, null while disconnected. */
    private Stream stream;
    private TaskRunner.Cancellable pump;
    private boolean working;
    /** Results of requests older than {@code acceptFrom} are dropped: the pause or filter changed since. */
    private long requested, applied, acceptFrom;
    private LiveLog.Snapshot last;

    public LogsViewModel(TaskRunner tasks, ObservableValue<Box> boxes, LongFunction<String> ruleNames,
                         Consumer<NewRule> ruleSink, int capacity) {
        this(tasks, tasks, boxes, ruleNames, ruleSink, capacity, FilterStore.inMemory());
    }

    /**
     * @param tasks   box I/O (subscribing, closing)
     * @param work    taking records in, filtering and counting: its own thread in the app, so that a
     *                slow box request never holds up the table
     * @param filters where saved filters are kept
     */
    public LogsViewModel(TaskRunner tasks, TaskRunner work, ObservableValue<Box> boxes, LongFunction<String> ruleNames,
                         Consumer<NewRule> ruleSink, int capacity, FilterStore filters) {
        this.tasks = tasks;
        this.work = work;
        this.ruleNames = ruleNames;
        this.ruleSink = ruleSink;
        this.capacity = capacity;
        this.filterStore = filters;
        filter.addListener((o, was, now) -> applyFilter());
        paused.addListener((o, was, now) -> refresh(true));
        boxes.addListener((o, was, now) -> follow(now));
        follow(boxes.getValue());
        tasks.submit(filters::load, savedFilters::setAll, err -> {
            unreadable = err.getMessage();
            savedFilterMessage.set("Could not read the saved filters: " + err.getMessage());
        });
    }

    /** Newest first, filtered: what the table shows. */
    public ObservableList<Flow> shown() { return shown; }
    /** Newest first, unfiltered, at most the capacity (a copy). */
    public List<Flow> rows() { return log == null ? List.of() : log.live.kept(); }
    public StringProperty filterProperty() { return filter; }
    public StringProperty filterErrorProperty() { return filterError; }
    public BooleanProperty pausedProperty() { return paused; }
    public LongProperty receivedProperty() { return received; }
    public StringProperty statusProperty() { return status; }
    /** What the log missed or caught up on after a reconnect, and records the box reports lost; "" when nothing. */
    public StringProperty noticeProperty() { return notice; }
    /** The last minute, one entry per second with records, oldest first. */
    public ObservableList<Second> seconds() { return seconds; }
    /** The sources with the most records in the last minute, most first. */
    public ObservableList<Talker> talkers() { return talkers; }
    public ObservableList<SavedFilter> savedFilters() { return savedFilters; }
    /** What became of the last save or delete of a saved filter, or why it was refused. */
    public StringProperty savedFilterMessageProperty() { return savedFilterMessage; }

    public String ruleName(long id) {
        if (id == 0) return "(chain policy)";
        String n = ruleNames.apply(id);
        return n != null ? n : String.format("%08x", id);
    }

    // ---- the stream -------------------------------------------------------------------------

    /** One box's records: the ring, lost ranges not yet shown, and where its numbering stands. */
    private final class Log {
        final String name;
        /** The box's spool, when it has one: a reconnect to the same spool catches up. */
        final Long spoolId;
        final LiveLog live = new LiveLog(capacity);
        final ConcurrentLinkedQueue<BoxConnection.Loss> losses = new ConcurrentLinkedQueue<>();
        /** The number after the last one received (in a record or a lost range); -1 before any. */
        volatile long nextSeq = -1;
        long lost;
        /** After a reconnect: the numbers {@code catchUpFrom .. catchUpTo-1} were sent while disconnected. */
        long catchUpFrom = -1, catchUpTo = -1, notFetched, catchUpLost;
        int catchUpNotice = -1;

        Log(String name, Long spoolId) {
            this.name = name;
            this.spoolId = spoolId;
        }
    }

    /** One subscription; records from a subscription that is no longer current are ignored. */
    private static final class Stream {
        final Box box;
        final String name;
        volatile boolean current = true;
        AutoCloseable handle;

        Stream(Box box) {
            this.box = box;
            this.name = box.describe();
        }
    }

    /** What subscribing found: the log to fill (the same one when catching up) and what to tell. */
    private record Opened(Log log, AutoCloseable handle, boolean fresh, String notice) {}

    private void follow(Box now) {
        Stream old = stream;
        stream = null;
        if (pump != null) pump.cancel();
        pump = null;
        if (old != null) {
            old.current = false;
            AutoCloseable h = old.handle;
            if (h != null) tasks.submit(() -> { h.close(); return null; }, x -> { }, x -> { });
        }
        if (now == null) {
            if (log != null) {
                refresh(false);
                status.set(String.format("Disconnected from %s: the %,d records received until then stay%s.", log.name,
                        log.live.kept().size(), log.spoolId != null ? "; reconnecting fetches the ones sent meanwhile" : ""));
            } else {
                status.set("Not connected: the log shows the records of the connected box.");
            }
            return;
        }
        Stream s = new Stream(now);
        stream = s;
        Log prior = log;
        status.set("Subscribing to " + s.name + "...");
        tasks.submit(() -> open(s, prior), opened -> {
            if (s != stream) {
                s.current = false;
                tasks.submit(() -> { opened.handle().close(); return null; }, x -> { }, x -> { });
                return;
            }
            s.handle = opened.handle();
            if (opened.fresh()) start(opened.log());
            if (!opened.notice().isEmpty()) {
                if (opened.log().catchUpFrom >= 0) opened.log().catchUpNotice = notices.size();
                note(opened.notice());
            }
            updateStatus();
            schedulePump(s);
        }, err -> {
            if (s == stream) status.set("Could not subscribe to the records of " + s.name + ": " + err.getMessage());
        });
    }

    /** On the box worker: subscribes, from where the last log stopped when it is the same spool. */
    private Opened open(Stream s, Log prior) throws BoxException {
        Optional<BoxStatus.Spool> spool = s.box.status().spool();
        if (spool.isEmpty()) {
            Log l = new Log(s.name, null);
            AutoCloseable h = s.box.subscribe(r -> {
                if (!s.current) return;
                l.live.take(Flow.of(s.name, r));
                l.nextSeq = r.seq() + 1;
            });
            return new Opened(l, h, true, "");
        }
        BoxStatus.Spool sp = spool.get();
        long prev = prior == null ? -1 : prior.nextSeq;
        boolean same = prior != null && prior.spoolId != null && prior.spoolId == sp.spoolId() && prev >= 0
                && prev <= sp.nextSeq();
        String notice = "";
        if (!same && prior != null && prior.name.equals(s.name))
            notice = String.format("The record numbers of %s restarted (its spool is new, or this is another box): "
                    + "the log starts afresh.", s.name);
        Log l = same ? prior : new Log(s.name, sp.spoolId());
        long from = same ? prev : sp.nextSeq();
        long skipped = same ? Math.max(0, sp.nextSeq() - from - capacity) : 0;
        from += skipped;
        l.nextSeq = from;
        Box.SpoolSubscription sub = s.box.subscribeFrom(from, new BoxConnection.SpoolListener() {
            @Override public void records(List<FlowRecord> batch) {
                if (!s.current) return;
                List<Flow> in = new ArrayList<>(batch.size());
                long after = l.nextSeq;
                for (FlowRecord r : batch) {
                    // A number is delivered once per subscription; this guards the seam between two.
                    if (r.seq() < after) continue;
                    in.add(Flow.of(s.name, r));
                    after = r.seq() + 1;
                }
                l.live.take(in);
                // After the records are in: a worker that read this number finds them.
                l.nextSeq = after;
            }

            @Override public void loss(BoxConnection.Loss loss) {
                if (!s.current || loss.lastSeq() < l.nextSeq) return;
                l.losses.add(loss);
                l.nextSeq = loss.firstSeq() + loss.count();
            }
        });
        if (same) {
            long missed = sub.position().nextSeq() - prev;
            l.catchUpFrom = prev;
            l.catchUpTo = sub.position().nextSeq();
            l.notFetched = skipped;
            l.catchUpLost = 0;
            notice = missed == 0 ? String.format("Reconnected to %s: nothing was sent while disconnected.", s.name)
                    : catchUpText(l, s.name, from);
            if (missed == 0) l.catchUpFrom = -1;
        }
        return new Opened(l, sub.handle(), !same, notice);
    }

    /** {@code now}: the number after the last one taken in. */
    private String catchUpText(Log l, String name, long now) {
        long missed = l.catchUpTo - l.catchUpFrom, fetched = missed - l.notFetched;
        String s = now >= l.catchUpTo
                ? String.format("Reconnected to %s: caught up on the %,d records sent while disconnected (#%d-#%d)", name,
                        fetched, l.catchUpFrom + l.notFetched, l.catchUpTo - 1)
                : String.format("Reconnected to %s: fetching the %,d records sent while disconnected (%,d so far)", name,
                        fetched, Math.max(0, now - l.catchUpFrom - l.notFetched));
        if (l.catchUpLost > 0) s += String.format("; %,d of them were lost on the box", l.catchUpLost);
        if (l.notFetched > 0)
            s += String.format("; the %,d before them were not fetched: the log keeps the newest %,d", l.notFetched, capacity);
        return s + ".";
    }

    /** A fresh log: an empty table, counts from zero. */
    private void start(Log l) {
        log = l;
        last = null;
        notices.clear();
        notice.set("");
        shown.swap(new Flow[0], -1);
        seconds.clear();
        talkers.clear();
        received.set(0);
    }

    private void schedulePump(Stream s) {
        pump = tasks.schedule(PUMP, () -> {
            if (s != stream) return;
            refresh(false);
            schedulePump(s);
        });
    }

    /** Shows what arrived since the last batch (or holds it while paused), as the pump does. */
    public void drain() {
        working = false;
        refresh(false);
    }

    /**
     * Sends the worker to make the next table contents from the ring. {@code whole}: the filter or
     * the pause changed, so the answer must come even if a batch is under way.
     */
    private void refresh(boolean whole) {
        Log l = log;
        if (l == null || (working && !whole)) return;
        Predicate<Flow> p = predicate;
        boolean hold = paused.get();
        long version = ++requested;
        if (whole) acceptFrom = version;
        // What is on screen when the pause begins is what stays.
        long shownUpTo = last == null ? 0 : last.received();
        working = true;
        work.submit(() -> batch(l, p, hold, whole, shownUpTo), b -> {
            if (version == requested) working = false;
            if (l != log || version < applied || version < acceptFrom) return;
            applied = version;
            apply(l, b);
        }, err -> {
            working = false;
            status.set("The live log failed to take records in: " + err);
        });
    }

    /** {@code upTo}: every number below it was taken in with this batch or before. */
    private record Batch(LiveLog.Snapshot snapshot, List<BoxConnection.Loss> losses, long upTo) {}

    /** On the worker. */
    private static Batch batch(Log l, Predicate<Flow> p, boolean hold, boolean whole, long shownUpTo) {
        long upTo = l.nextSeq;
        List<BoxConnection.Loss> lost = new ArrayList<>();
        for (BoxConnection.Loss x; (x = l.losses.poll()) != null; ) lost.add(x);
        if (hold) l.live.pause(shownUpTo);
        else l.live.resume();
        return new Batch(l.live.snapshot(p, whole), lost, upTo);
    }

    private void apply(Log l, Batch b) {
        LiveLog.Snapshot s = b.snapshot();
        last = s;
        shown.swap(s.shown(), s.newOnTop());
        received.set(s.received());
        if (s.seconds() != null) seconds.setAll(s.seconds());
        if (s.talkers() != null && !s.talkers().equals(talkers)) talkers.setAll(s.talkers());
        for (BoxConnection.Loss x : b.losses()) {
            l.lost += x.count();
            if (l.catchUpFrom >= 0)
                l.catchUpLost += Math.max(0, Math.min(x.lastSeq() + 1, l.catchUpTo) - Math.max(x.firstSeq(), l.catchUpFrom));
            note(String.format("%,d record%s (#%d-#%d) lost on %s: %s.", x.count(), x.count() == 1 ? "" : "s", x.firstSeq(),
                    x.lastSeq(), l.name, why(x)));
        }
        if (l.catchUpFrom >= 0 && l.catchUpNotice >= 0 && l.catchUpNotice < notices.size()) {
            notices.set(l.catchUpNotice, catchUpText(l, l.name, b.upTo()));
            if (b.upTo() >= l.catchUpTo) l.catchUpFrom = -1;
            showNotices();
        }
        updateStatus();
    }

    static String why(BoxConnection.Loss x) {
        return switch (x.reason()) {
            case BoxConnection.Loss.SPOOL_FULL -> "the box's spool was full (no collector acknowledged records in time)";
            case BoxConnection.Loss.CORRUPT -> "a damaged spool segment on the box was set aside";
            case BoxConnection.Loss.DELETED -> "deleted from the box's spool after a collector acknowledged them "
                    + "(the flow store has them)";
            case BoxConnection.Loss.MISSING -> "missing from the box's spool (a spool file was removed)";
            default -> "the box says: " + x.text();
        };
    }

    private void note(String text) {
        notices.add(text);
        if (notices.size() > NOTICES) {
            notices.remove(0);
            if (log != null && log.catchUpNotice >= 0) log.catchUpNotice--;
        }
        showNotices();
    }

    private void showNotices() { notice.set(String.join("\n", notices)); }

    /** The banner's close button. */
    public void dismissNotice() {
        notices.clear();
        if (log != null) log.catchUpNotice = -1;
        notice.set("");
    }

    private void updateStatus() {
        Log l = log;
        if (l == null || stream == null) return;
        LiveLog.Snapshot s = last;
        int kept = s == null ? 0 : s.kept(), held = s == null ? 0 : s.held();
        long dropped = s == null ? 0 : s.droppedWhilePaused();
        String t = String.format("%,d records received from %s; %,d kept (newest %,d), %,d shown", received.get(),
                stream.name, kept, capacity, shown.size());
        if (paused.get()) t += String.format("; PAUSED, %,d new records held", held);
        if (dropped > 0) t += String.format("; %,d older records dropped while paused", dropped);
        if (l.lost > 0) t += String.format("; %,d lost on the box", l.lost);
        status.set(t);
    }

    // ---- filtering --------------------------------------------------------------------------

    private void applyFilter() {
        try {
            FlowFilter f = FilterQuery.parse(filter.get());
            predicate = FilterQuery.terms(filter.get()).isEmpty() ? null : FlowMatcher.of(f);
            filterError.set("");
        } catch (IllegalArgumentException e) {
            // The table keeps the last filter that made sense while the line is being typed.
            filterError.set(e.getMessage());
            return;
        }
        refresh(true);
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

    // ---- saved filters ----------------------------------------------------------------------

    /**
     * Saves the current filter line as {@code name} (replacing a saved filter of that name). A
     * blank name, an empty line or a line with an error is refused with a message; so is the save
     * when it cannot be written, and then the list on disk stays as it was.
     */
    public boolean saveFilter(String name) {
        String n = name == null ? "" : name.strip();
        String line = filter.get() == null ? "" : filter.get().strip();
        if (n.isEmpty()) return refuse("Give the filter a name to save it under.");
        if (line.isEmpty()) return refuse("The filter line is empty: type a filter, then save it.");
        try {
            FilterQuery.parse(line);
        } catch (IllegalArgumentException e) {
            return refuse("Not saved: the filter line has an error: " + e.getMessage());
        }
        List<SavedFilter> next = new ArrayList<>(savedFilters);
        int at = indexOfSaved(n);
        SavedFilter f = new SavedFilter(n, line);
        if (at >= 0) next.set(at, f);
        else next.add(f);
        return persist(next, (at >= 0 ? "Replaced '" : "Saved '") + n + "': " + line);
    }

    /** Puts a saved filter's line in the filter field. */
    public void useFilter(SavedFilter f) {
        if (f == null) return;
        filter.set(f.line());
        savedFilterMessage.set("");
    }

    /** By name, so the view can offer the name typed or picked. */
    public boolean deleteFilter(String name) {
        int at = indexOfSaved(name == null ? "" : name.strip());
        if (at < 0) return refuse("No saved filter is named '" + (name == null ? "" : name.strip()) + "'.");
        List<SavedFilter> next = new ArrayList<>(savedFilters);
        SavedFilter gone = next.remove(at);
        return persist(next, "Deleted '" + gone.name() + "'.");
    }

    private int indexOfSaved(String name) {
        for (int i = 0; i < savedFilters.size(); i++) if (savedFilters.get(i).name().equals(name)) return i;
        return -1;
    }

    private boolean refuse(String why) {
        savedFilterMessage.set(why);
        return false;
    }

    /** Writes in the background; the list shown changes only once the file has it. */
    private boolean persist(List<SavedFilter> next, String done) {
        if (unreadable != null)
            return refuse("Not saved: the saved filters could not be read (" + unreadable + "); fix or remove that file "
                    + "first, so that saving does not overwrite it.");
        List<SavedFilter> copy = List.copyOf(next);
        tasks.submit(() -> { filterStore.save(copy); return null; }, x -> {
            savedFilters.setAll(copy);
            savedFilterMessage.set(done);
        }, err -> savedFilterMessage.set("Could not save the filters (nothing changed): " + err.getMessage()));
        return true;
    }

    // ---- rules ------------------------------------------------------------------------------

    /** Opens a rule made from {@code flow} in the editor. */
    public void makeRule(Flow flow) {
        String decider = flow.ruleId() == 0 ? null : ruleNames.apply(flow.ruleId());
        ruleSink.accept(NewRule.from(flow, decider));
    }

    /** Record numbers the box reported lost since this log began (spool full, deleted, corrupt, missing). */
    public long lostOnBox() { return log == null ? 0 : log.lost; }

}
