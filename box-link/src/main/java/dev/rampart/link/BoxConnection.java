// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.zip.Deflater;

/**
 * A session with one box over any transport (docs/protocol.md): requests and responses, the
 * pushed record stream, and table uploads that are compressed, chunked and resumed after a
 * reconnect. Used by the CLI and the GUI. Thread-safe; requests may come from any thread.
 */
public final class BoxConnection implements AutoCloseable {

    /**
     * @param requestTimeout  how long one request may wait for its answer (beyond the link's own
     *                        failure detection)
     * @param reconnects      attempts to reopen a broken path before giving up (with backoff)
     * @param firstBackoff    wait before the first reconnect; doubles each time, up to 8 s
     * @param chunkBytes      compressed bytes per LOAD_CHUNK
     */
    public record Options(Duration requestTimeout, int reconnects, Duration firstBackoff, int chunkBytes, int maxPayload) {
        public static final Options DEFAULT = new Options(Duration.ofSeconds(60), 5, Duration.ofMillis(250), 32 * 1024,
                16384);
        public Options withReconnects(int n) { return new Options(requestTimeout, n, firstBackoff, chunkBytes, maxPayload); }
        public Options withChunkBytes(int n) { return new Options(requestTimeout, reconnects, firstBackoff, n, maxPayload); }
        public Options withRequestTimeout(Duration d) { return new Options(d, reconnects, firstBackoff, chunkBytes, maxPayload); }
    }

    /** Progress of an upload: compressed bytes the box holds, of the total. */
    @FunctionalInterface
    public interface Progress {
        void update(long sent, long total);
    }

    static final int STATUS = 1, LOAD_BEGIN = 2, LOAD_CHUNK = 3, LOAD_COMMIT = 4, CONFIRM = 5, ROLLBACK = 6,
            COUNTERS = 7, SUBSCRIBE = 8, PING = 9, LOAD_ABORT = 10, SUBSCRIBE_FROM = 11, ACK = 12,
            SUBSCRIBE_FLOWS = 13, SUBSCRIBE_NAMED = 14;
    static final int R_OK = 0x80, R_STATUS = 0x81, R_LOAD_OFFSET = 0x82, R_LOADED = 0x84, R_COUNTERS = 0x87,
            R_PONG = 0x89, R_SUBSCRIBED = 0x8B, R_ACKED = 0x8C, R_RECORDS = 0xC0, R_LOSS = 0xC1, R_FLOWS = 0xC2,
            R_NAMED_FLOWS = 0xC3, R_ERROR = 0xFF;

    /** The box's spool stream (docs/protocol.md section 9): records and lost ranges, in sequence order. */
    public interface SpoolListener {
        void records(List<FlowRecord> batch);

        void loss(Loss loss);
    }

    /** Sequence numbers {@code firstSeq .. firstSeq+count-1} have no record, for {@code reason}. */
    public record Loss(long firstSeq, long count, int reason, String text) {
        public static final int SPOOL_FULL = 1, CORRUPT = 2, DELETED = 3, MISSING = 4;
        public long lastSeq() { return firstSeq + count - 1; }
    }

    /** Where the box's spool stands when a subscription starts. */
    public record SpoolPosition(long spoolId, long oldestSeq, long nextSeq) {}

    /** After an acknowledgement: the oldest number the box still keeps, and segments it deleted. */
    public record AckResult(long oldestSeq, int segmentsDeleted) {}

    private final Transport.Factory factory;
    private final Options options;
    private final AtomicInteger nextId = new AtomicInteger(1);
    private volatile Session current;
    private volatile Consumer<FlowRecord> recordSink;
    private volatile SpoolListener spoolListener;
    /** The number after the last one delivered to the spool listener: where a resubscription starts. */
    private volatile long spoolNext;
    private final java.util.concurrent.atomic.AtomicLong unmatched = new java.util.concurrent.atomic.AtomicLong();
    private int reconnectCount;

    private BoxConnection(Transport.Factory factory, Options options) {
        this.factory = factory;
        this.options = options;
    }

    /** Opens the transport and says hello; retries a failing path with backoff. */
    public static BoxConnection connect(Transport.Factory factory, Options options) throws BoxException {
        BoxConnection c = new BoxConnection(factory, options);
        c.current = c.openWithRetries(false);
        return c;
    }

    public static BoxConnection connect(Transport.Factory factory) throws BoxException {
        return connect(factory, Options.DEFAULT);
    }

    public Transport.Kind kind() { return current.transport.kind(); }
    public String describe() { return current.transport.describe(); }
    public int reconnects() { return reconnectCount; }
    /** Answers that matched no waiting request (a duplicate, or one that came after its timeout). */
    public long unmatchedResponses() { return unmatched.get(); }
    /** The link's statistics on this side (retransmissions, dropped frames): for tests and diagnostics. */
    public String linkStats() {
        Session s = current;
        synchronized (s.link) {
            return s.link.stats().toString();
        }
    }

    private Session openWithRetries(boolean reconnecting) throws BoxException {
        long backoff = options.firstBackoff().toMillis();
        BoxException last = null;
        for (int attempt = 0; attempt <= options.reconnects(); attempt++) {
            if (attempt > 0 || reconnecting) {
                sleep(backoff);
                backoff = Math.min(8000, backoff * 2);
            }
            try {
                Session s = new Session(factory.open());
                s.hello();
                if (reconnecting || attempt > 0) reconnectCount++;
                return s;
            } catch (LinkLostException e) {
                last = e;
            } catch (BoxException e) {
                // Refusals (host key, authentication, version) do not get better by retrying.
                if (!(e.getCause() instanceof IOException) || e.getMessage().startsWith("refusing")) throw e;
                last = e;
            }
        }
        throw last;
    }

    /** Drops the current path and opens a new one (with backoff): the deploy's proof that the box is still reachable. */
    public void reconnect() throws BoxException {
        Session old = current;
        if (old != null) {
            synchronized (old.link) {
                old.link.bye();
            }
            old.close();
        }
        current = openWithRetries(true);
        if (spoolListener != null)
            request(spoolRequest(), new Le.Out().u64(spoolNext).toArray(), R_SUBSCRIBED);
        else if (recordSink != null) request(SUBSCRIBE, new byte[] {1}, R_OK);
    }

    private static void sleep(long ms) throws BoxException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BoxException("interrupted");
        }
    }

    // ---- requests -------------------------------------------------------------------------------

    /** One request and its answer; package-private so tests can send what the public API never would. */
    Le.In request(int type, byte[] body, int expect) throws BoxException {
        return request(current, type, body, expect);
    }

    private Le.In request(Session s, int type, byte[] body, int expect) throws BoxException {
        int id = nextId.getAndIncrement();
        if (id == 0) id = nextId.getAndIncrement();
        byte[] m = new Le.Out().u8(type).u32(id).bytes(body).toArray();
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        s.pending.put(id, f);
        s.send(m);
        byte[] r;
        try {
            r = f.get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            s.pending.remove(id);
            throw new LinkLostException("no answer from the box within " + options.requestTimeout().toSeconds() + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof BoxException be) throw be;
            throw new BoxException("request failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BoxException("interrupted");
        }
        Le.In in = new Le.In(r, 5);
        int rt = r[0] & 0xff;
        if (rt == R_ERROR) {
            int code = in.u16();
            throw new BoxException("the box refused: " + in.str(), code, null);
        }
        if (rt != expect)
            throw new BoxException("unexpected answer type 0x" + Integer.toHexString(rt) + " from the box (wanted 0x"
                    + Integer.toHexString(expect) + ")");
        return in;
    }

    public BoxStatus status() throws BoxException {
        Le.In in = request(STATUS, new byte[0], R_STATUS);
        String version = in.str(), backend = in.str();
        long running = in.i64();
        int st = in.u8();
        long confirmed = in.i64();
        int left = in.i32(), rules = in.i32();
        long uptime = in.i64();
        int pk = in.u8();
        String ca = in.str();
        int cp = in.u16();
        String sa = in.str();
        int sp = in.u16();
        long[] errs = {in.u32(), in.u32(), in.u32()};
        long retrans = in.u32();
        String last = in.atEnd() ? "" : in.str();
        java.util.Optional<BoxStatus.Spool> spool = java.util.Optional.empty();
        if (!in.atEnd())
            spool = java.util.Optional.of(new BoxStatus.Spool(in.i64(), in.i64(), in.i64(), in.i64(), in.i64(), in.i64(),
                    in.i64(), in.i64(), in.i32(), in.i32()));
        java.util.Optional<BoxStatus.KernelFlows> kflows = java.util.Optional.empty();
        if (!in.atEnd())
            kflows = java.util.Optional.of(new BoxStatus.KernelFlows(in.i64(), in.i64(), in.i64(), in.i64(), in.i64(), in.i64()));
        BoxStatus.PeerKind kind = pk == 1 ? BoxStatus.PeerKind.SSH : pk == 2 ? BoxStatus.PeerKind.SERIAL : BoxStatus.PeerKind.LOCAL;
        return new BoxStatus(version, backend, running, BoxStatus.TableState.values()[Math.min(st, 2)], confirmed, left,
                rules, uptime, new BoxStatus.Peer(kind, ca, cp, sa, sp), errs, retrans, last, spool, kflows);
    }

    public byte[] ping(byte[] data) throws BoxException {
        Le.In in = request(PING, data, R_PONG);
        return in.bytes(data.length);
    }

    public long confirm(long generation) throws BoxException {
        return request(CONFIRM, new Le.Out().u64(generation).toArray(), R_OK).i64();
    }

    public long rollback() throws BoxException {
        return request(ROLLBACK, new byte[0], R_OK).i64();
    }

    public Counters counters() throws BoxException {
        Le.In in = request(COUNTERS, new byte[0], R_COUNTERS);
        long gen = in.i64();
        int n = in.i32();
        List<Counters.RuleCounter> rules = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
            rules.add(new Counters.RuleCounter(in.u32(), in.i32(), in.i64(), in.i64(), in.i64()));
        return new Counters(gen, List.copyOf(rules));
    }

    /** True while the current path is up (the link has not failed or been closed). */
    public boolean isOpen() {
        Session s = current;
        return s != null && s.failure == null;
    }

    /** Whether the box keeps a spool and serves SUBSCRIBE_FROM and ACK (capability bit 4). */
    public boolean supportsSpool() {
        Session s = current;
        synchronized (s.link) {
            return (s.link.peerCapabilities() & Link.CAP_SPOOL) != 0;
        }
    }

    /** Whether the box streams records with their flow counters (SUBSCRIBE_FLOWS, capability bit 5). */
    public boolean supportsFlowCounters() {
        Session s = current;
        synchronized (s.link) {
            return (s.link.peerCapabilities() & Link.CAP_FLOWS) != 0;
        }
    }

    /** Whether the box's records name their interfaces (SUBSCRIBE_NAMED, capability bit 6). */
    public boolean supportsInterfaceNames() {
        Session s = current;
        synchronized (s.link) {
            return (s.link.peerCapabilities() & Link.CAP_IFNAMES) != 0;
        }
    }

    /** The richest form of the spool stream this box offers; all carry the same numbers. */
    private int spoolRequest() {
        return supportsInterfaceNames() ? SUBSCRIBE_NAMED : supportsFlowCounters() ? SUBSCRIBE_FLOWS : SUBSCRIBE_FROM;
    }

    /**
     * Streams the box's spool from {@code fromSeq} on: every number from there is delivered once,
     * in order, either in a record or inside a {@link Loss}. After a {@link #reconnect} the stream
     * resumes after the last number delivered. Refused (error 11) when {@code fromSeq} is beyond
     * the box's next number, i.e. its spool was reset.
     */
    public SpoolPosition subscribeFrom(long fromSeq, SpoolListener listener) throws BoxException {
        if (!supportsSpool()) throw new BoxException("this box's agent has no spool (it does not offer records since N)");
        recordSink = null;
        spoolNext = fromSeq;
        spoolListener = listener;
        try {
            // Same stream in every form; an agent with counters sends each record's packets and
            // bytes, one with names its interfaces' names as well.
            Le.In in = request(spoolRequest(), new Le.Out().u64(fromSeq).toArray(), R_SUBSCRIBED);
            return new SpoolPosition(in.i64(), in.i64(), in.i64());
        } catch (BoxException e) {
            spoolListener = null;
            throw e;
        }
    }

    /** Tells the box that every number up to and including {@code throughSeq} is stored for good. */
    public AckResult ack(long throughSeq) throws BoxException {
        Le.In in = request(ACK, new Le.Out().u64(throughSeq).toArray(), R_ACKED);
        return new AckResult(in.i64(), in.i32());
    }

    /**
     * {@link #ack} without waiting: the answer completes the future on the connection's reader
     * thread. For a consumer whose record listener may block that thread until the consumer has
     * caught up: waiting for the answer there would wait for itself.
     */
    public CompletableFuture<AckResult> ackAsync(long throughSeq) {
        Session s = current;
        int id = nextId.getAndIncrement();
        if (id == 0) id = nextId.getAndIncrement();
        int rid = id;
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        s.pending.put(rid, f);
        try {
            s.send(new Le.Out().u8(ACK).u32(rid).u64(throughSeq).toArray());
        } catch (BoxException e) {
            s.pending.remove(rid);
            return CompletableFuture.failedFuture(e);
        }
        return f.thenApply(r -> {
            try {
                Le.In in = new Le.In(r, 5);
                if ((r[0] & 0xff) == R_ERROR) {
                    int code = in.u16();
                    throw new java.util.concurrent.CompletionException(new BoxException("the box refused: " + in.str(), code, null));
                }
                return new AckResult(in.i64(), in.i32());
            } catch (BoxException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    /** Ends a subscription of either kind. */
    public void unsubscribe() throws BoxException {
        recordSink = null;
        spoolListener = null;
        request(SUBSCRIBE, new byte[] {0}, R_OK);
    }

    /** Receives pushed flow records until the returned handle is closed. */
    public AutoCloseable subscribe(Consumer<FlowRecord> sink) throws BoxException {
        recordSink = sink;
        request(SUBSCRIBE, new byte[] {1}, R_OK);
        return () -> {
            recordSink = null;
            request(SUBSCRIBE, new byte[] {0}, R_OK);
        };
    }

    /**
     * Uploads a table (compressed, in chunks, resumed after a broken path) and asks the box to
     * verify and swap it in. With {@code confirmSeconds > 0} the box reverts by itself unless
     * {@link #confirm} names the generation in time. A cancelled or failed upload leaves the
     * running table untouched.
     */
    public LoadResult load(byte[] table, int confirmSeconds, Progress progress, BooleanSupplier cancelled)
            throws BoxException {
        byte[] z = deflate(table);
        long uploadId = uploadId(z);
        int rawCrc = Frames.crc32c(table, 0, table.length);
        long resumedFrom = -1;
        int reconnectsBefore = reconnectCount;
        for (int attempt = 0; ; attempt++) {
            try {
                byte[] begin = new Le.Out().u64(uploadId).u32(z.length).u32(table.length).u32(rawCrc)
                        .u32(confirmSeconds).toArray();
                Le.In in = request(LOAD_BEGIN, begin, R_LOAD_OFFSET);
                in.i64();
                long have = in.u32();
                if (resumedFrom < 0) resumedFrom = have;
                if (progress != null) progress.update(have, z.length);
                while (have < z.length) {
                    if (cancelled != null && cancelled.getAsBoolean()) {
                        request(LOAD_ABORT, new Le.Out().u64(uploadId).toArray(), R_OK);
                        throw new BoxException("upload cancelled; the box keeps its current table");
                    }
                    int n = (int) Math.min(options.chunkBytes(), z.length - have);
                    byte[] chunk = new Le.Out().u64(uploadId).u32((int) have).bytes(z, (int) have, n).toArray();
                    Le.In r = request(LOAD_CHUNK, chunk, R_LOAD_OFFSET);
                    r.i64();
                    have = r.u32();
                    if (progress != null) progress.update(have, z.length);
                }
                Le.In r = request(LOAD_COMMIT, new Le.Out().u64(uploadId).toArray(), R_LOADED);
                return new LoadResult(r.i64(), r.i32(), r.i32(), z.length, table.length, resumedFrom,
                        reconnectCount - reconnectsBefore);
            } catch (LinkLostException e) {
                if (attempt >= options.reconnects()) throw e;
                reconnect();
            }
        }
    }

    static byte[] deflate(byte[] raw) {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION);
        d.setInput(raw);
        d.finish();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(raw.length / 3 + 64);
        byte[] buf = new byte[65536];
        while (!d.finished()) out.write(buf, 0, d.deflate(buf));
        d.end();
        return out.toByteArray();
    }

    /** The same compressed bytes name the same upload, so a retry after a reconnect resumes it. */
    static long uploadId(byte[] z) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(z);
            return Le.i64(h, 0);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override public void close() {
        Session s = current;
        if (s != null) {
            synchronized (s.link) {
                s.link.bye();
            }
            s.close();
        }
    }

    // ---- one transport with its link ---------------------------------------------------------------

    private final class Session implements Link.Listener {
        final Transport transport;
        final Link link;
        final Map<Integer, CompletableFuture<byte[]>> pending = new ConcurrentHashMap<>();
        final CompletableFuture<Void> established = new CompletableFuture<>();
        final ScheduledExecutorService ticker;
        final Thread reader;
        volatile BoxException failure;
        volatile boolean closed;
        /**
         * Pushed items wait here until the reader has left the link's lock: a listener may block
         * (a consumer applying backpressure) without stopping requests, acknowledgements and the
         * link's timers.
         */
        final java.util.concurrent.ConcurrentLinkedQueue<byte[]> pushes = new java.util.concurrent.ConcurrentLinkedQueue<>();

        Session(Transport t) throws BoxException {
            this.transport = t;
            try {
                this.link = new Link(t.output(), this, t.bitsPerSecond(), options.maxPayload());
            } catch (IOException e) {
                closeQuietly();
                throw new LinkLostException("cannot use " + t.describe() + ": " + e.getMessage(), e);
            }
            this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread th = new Thread(r, "box-link-timer");
                th.setDaemon(true);
                return th;
            });
            this.reader = new Thread(this::readLoop, "box-link-reader");
            this.reader.setDaemon(true);
        }

        private void closeQuietly() {
            try {
                transport.close();
            } catch (IOException ignored) {
                // closing a broken path: nothing left to do
            }
        }

        void hello() throws BoxException {
            reader.start();
            ticker.scheduleAtFixedRate(this::tick, 10, 10, TimeUnit.MILLISECONDS);
            synchronized (link) {
                link.start(System.currentTimeMillis(), ThreadLocalRandom.current().nextInt());
            }
            try {
                established.get(5, TimeUnit.MINUTES);
            } catch (ExecutionException e) {
                close();
                if (e.getCause() instanceof BoxException be) throw be;
                throw new LinkLostException(String.valueOf(e.getCause()), e.getCause());
            } catch (InterruptedException | TimeoutException e) {
                close();
                throw new LinkLostException("no hello answer from " + transport.describe());
            }
        }

        void send(byte[] m) throws BoxException {
            if (failure != null) throw failure;
            synchronized (link) {
                link.send(m, System.currentTimeMillis());
                if (link.writeFailure() != null) fail(new LinkLostException("lost " + transport.describe() + ": "
                        + link.writeFailure().getMessage(), link.writeFailure()));
            }
            if (failure != null) throw failure;
        }

        private void tick() {
            synchronized (link) {
                link.tick(System.currentTimeMillis());
                if (link.writeFailure() != null && failure == null)
                    fail(new LinkLostException("lost " + transport.describe() + ": " + link.writeFailure().getMessage(),
                            link.writeFailure()));
            }
        }

        private void readLoop() {
            byte[] buf = new byte[65536];
            try {
                InputStream in = transport.input();
                while (!closed) {
                    int n = in.read(buf, 0, buf.length);
                    if (n < 0) break;
                    synchronized (link) {
                        link.input(buf, 0, n, System.currentTimeMillis());
                    }
                    for (byte[] m; (m = pushes.poll()) != null; ) deliver(m);
                }
                if (!closed) fail(new LinkLostException("the box closed the connection (" + transport.describe() + ")"));
            } catch (IOException e) {
                if (!closed) fail(new LinkLostException("lost " + transport.describe() + ": " + e.getMessage(), e));
            }
        }

        void fail(BoxException e) {
            if (failure == null) failure = e;
            established.completeExceptionally(e);
            for (CompletableFuture<byte[]> f : pending.values()) f.completeExceptionally(failure);
            pending.clear();
        }

        void close() {
            closed = true;
            ticker.shutdownNow();
            closeQuietly();
            fail(new LinkLostException("connection closed"));
        }

        @Override public void message(byte[] m) {
            if (m.length < 5) return;
            int type = m[0] & 0xff, id = Le.i32(m, 1);
            if ((type == R_RECORDS || type == R_LOSS || type == R_FLOWS || type == R_NAMED_FLOWS) && id == 0) {
                pushes.add(m);
                return;
            }
            CompletableFuture<byte[]> f = pending.remove(id);
            if (f != null) f.complete(m);
            else unmatched.incrementAndGet();
        }

        private void deliver(byte[] m) {
            int type = m[0] & 0xff;
            SpoolListener sl = spoolListener;
            if (sl != null) {
                spoolItem(type, m, sl);
                return;
            }
            Consumer<FlowRecord> sink = recordSink;
            if (sink != null && type == R_RECORDS) parseRecords(m, sink);
        }

        @Override public void session() { established.complete(null); }

        @Override public void linkError(int code, String text) {
            if (!established.isDone())
                fail(new BoxException("the box refused the connection: " + text, code, null));
        }

        @Override public void bye() { fail(new LinkLostException("the box ended the session")); }

        @Override public void dead(String why) {
            fail(new LinkLostException(why + " (" + transport.describe() + ")"));
        }
    }

    private void spoolItem(int type, byte[] m, SpoolListener sl) {
        if (type == R_LOSS) {
            try {
                Le.In in = new Le.In(m, 5);
                Loss l = new Loss(in.i64(), in.i64(), in.u16(), in.str());
                spoolNext = l.firstSeq() + l.count();
                sl.loss(l);
            } catch (BoxException e) {
                // A malformed push is dropped; the collector sees the numbers as missing.
            }
            return;
        }
        List<FlowRecord> batch = new ArrayList<>();
        parseRecords(m, batch::add);
        if (batch.isEmpty()) return;
        spoolNext = batch.get(batch.size() - 1).seq() + 1;
        sl.records(batch);
    }

    static void parseRecords(byte[] m, Consumer<FlowRecord> sink) {
        int type = m[0] & 0xff;
        boolean named = type == R_NAMED_FLOWS, counted = type == R_FLOWS || named;
        try {
            Le.In in = new Le.In(m, 5);
            int n = in.i32();
            for (int i = 0; i < n; i++) {
                long seq = in.i64(), time = in.i64();
                int hook = in.u8(), verdict = in.u8(), proto = in.u8();
                boolean v4 = in.u8() != 0;
                byte[] src = in.bytes(16), dst = in.bytes(16);
                int sport = in.u16(), dport = in.u16();
                long rule = in.u32(), gen = in.i64();
                if (v4) {
                    src = java.util.Arrays.copyOfRange(src, 12, 16);
                    dst = java.util.Arrays.copyOfRange(dst, 12, 16);
                }
                if (!counted) {
                    sink.accept(new FlowRecord(seq, time, hook, verdict, proto, src, dst, sport, dport, rule, gen));
                    continue;
                }
                long packets = in.i64(), bytes = in.i64(), first = in.i64(), last = in.i64();
                long inIf = in.u32(), outIf = in.u32();
                int flags = in.u16();
                String inName = named ? in.str() : "", outName = named ? in.str() : "";
                // 0 packets: spooled before the box kept counters.
                sink.accept(new FlowRecord(seq, time, hook, verdict, proto, src, dst, sport, dport, rule, gen,
                        packets == 0 ? FlowRecord.UNKNOWN : packets, bytes, first, last, inIf, outIf, flags,
                        inName, outName));
            }
        } catch (BoxException e) {
            // A malformed push is dropped; requests still work.
        }
    }
}
