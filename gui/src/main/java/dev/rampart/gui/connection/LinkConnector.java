// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.connection;

import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchChangedHostKeyException;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.JSchUnknownHostKeyException;
import dev.rampart.link.BoxConnection;
import dev.rampart.link.BoxException;
import dev.rampart.link.BoxStatus;
import dev.rampart.link.Counters;
import dev.rampart.link.FlowRecord;
import dev.rampart.link.LoadResult;
import dev.rampart.link.SerialTransport;
import dev.rampart.link.SshPrompts;
import dev.rampart.link.SshTransport;
import dev.rampart.link.Target;
import dev.rampart.link.Transport;
import dev.rampart.link.UnixSocketTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** Profiles to box-link connections: the demo agent, a local socket, SSH or a serial line. */
public final class LinkConnector implements Connector {
    /** A person is waiting: fail within seconds, not the CLI's patient minute. */
    static final BoxConnection.Options OPTIONS = BoxConnection.Options.DEFAULT.withReconnects(2)
            .withRequestTimeout(Duration.ofSeconds(20));

    private final DemoBox demo;
    private final Path knownHosts;
    private final java.util.function.UnaryOperator<SshTransport.Options> sshSettings;

    public LinkConnector(DemoBox demo, Path knownHosts) { this(demo, knownHosts, o -> o); }

    /** @param sshSettings adjusts every SSH connection's options (tests: another ssh config, the agent's command) */
    public LinkConnector(DemoBox demo, Path knownHosts, java.util.function.UnaryOperator<SshTransport.Options> sshSettings) {
        this.demo = demo;
        this.knownHosts = knownHosts;
        this.sshSettings = sshSettings;
    }

    public static Path defaultKnownHosts() { return Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"); }

    /** Without anyone to ask: SSH logins with keys only. */
    @Override
    public Box connect(Profile p, Trust trust, Consumer<String> progress, BooleanSupplier cancelled) throws BoxException {
        return connect(p, trust, SshPrompts.NEVER, progress, cancelled);
    }

    @Override
    public Box connect(Profile p, Trust trust, SshPrompts prompts, Consumer<String> progress, BooleanSupplier cancelled)
            throws BoxException {
        String problem = p.problem();
        if (problem != null) throw new BoxException("profile '" + p.name() + "': " + problem);
        Transport.Factory factory;
        String where;
        switch (p.kind()) {
            case DEMO -> {
                Path socket = demo.start(progress, cancelled);
                factory = () -> UnixSocketTransport.open(socket);
                where = "demo box";
            }
            case LOCAL -> {
                factory = () -> UnixSocketTransport.open(Path.of(p.socket()));
                where = "local agent " + p.socket();
            }
            case SSH -> {
                if (trust == Trust.REPLACE_CHANGED_KEY) forgetKey(p);
                SshTransport.Options o = sshSettings.apply(SshTransport.Options.of(p.user().isEmpty() ? null : p.user(), p.host(), p.port())
                        .withKnownHosts(knownHosts).withAcceptNewHostKey(trust != Trust.NONE)
                        .withIdentities(p.keyFile().isEmpty() ? List.of() : List.of(Path.of(p.keyFile())))
                        .withPrompts(prompts));
                if (!p.keyFile().isEmpty() && !Files.isReadable(Path.of(p.keyFile())))
                    throw new BoxException("Key file: cannot read " + p.keyFile());
                factory = new Target.Ssh(o.user(), o.host(), o.port()).factory(o);
                where = p.target();
            }
            case SERIAL -> {
                factory = () -> SerialTransport.open(p.device(), p.baud(), SerialTransport.Parity.NONE);
                where = p.target();
            }
            default -> throw new IllegalStateException(p.kind().name());
        }
        if (cancelled.getAsBoolean()) throw new BoxException("cancelled");
        progress.accept("Connecting to " + where + "...");
        BoxConnection c;
        try {
            c = BoxConnection.connect(factory, OPTIONS);
        } catch (BoxException e) {
            throw explain(p, e);
        }
        if (cancelled.getAsBoolean()) {
            c.close();
            throw new BoxException("cancelled");
        }
        return new LinkBox(c, where, p.kind() == Profile.Kind.DEMO);
    }

    /** Turns box-link's refusals into what the user can act on: a host key question, a busy port. */
    private BoxException explain(Profile p, BoxException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JSchUnknownHostKeyException)
                return new HostKeyException(HostKeyException.Problem.UNKNOWN, e.getMessage(), e);
            if (t instanceof JSchChangedHostKeyException)
                return new HostKeyException(HostKeyException.Problem.CHANGED, e.getMessage(), e);
        }
        if (p.kind() == Profile.Kind.SERIAL && (e.getMessage().startsWith("cannot open serial port")
                || e.getMessage().startsWith("no serial port"))) {
            Path dev = Path.of(p.device());
            if (!Files.exists(dev)) return new BoxException("Serial port " + p.device() + " does not exist: is the cable plugged in?", e);
            if (Files.isReadable(dev) && Files.isWritable(dev))
                return new BoxException("Serial port " + p.device() + " is busy: another program (minicom, screen, another "
                        + "Rampart window) holds it. Close that program and connect again.", e);
            return new BoxException("No permission to use " + p.device() + ": add yourself to its group (on Debian: "
                    + "dialout) and log in again.", e);
        }
        return e;
    }

    /** Removes the recorded keys of the profile's host, so the offered key can be recorded instead. */
    private void forgetKey(Profile p) throws BoxException {
        if (!Files.exists(knownHosts)) return;
        String host = p.port() > 0 && p.port() != 22 ? "[" + p.host() + "]:" + p.port() : p.host();
        try {
            JSch j = new JSch();
            j.setKnownHosts(knownHosts.toString());
            j.getHostKeyRepository().remove(host, null);
        } catch (JSchException e) {
            throw new BoxException("cannot update " + knownHosts + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void shutdown() { demo.stop(); }

    /**
     * A BoxConnection seen through the {@link Box} interface. For the demo box it also acknowledges
     * the records it delivered since N: nothing else drains that spool (see {@link DemoBox}). A
     * real box's spool is its collector's to acknowledge, after the records are stored for good;
     * the app never does that for it.
     */
    static final class LinkBox implements Box {
        /** How often the demo box is told what the app took in: a spool of 64 MiB holds minutes of that. */
        static final long ACK_EVERY_NS = 1_000_000_000L;

        private final BoxConnection c;
        private final String where;
        private final boolean acksDelivered;

        LinkBox(BoxConnection c, String where, boolean acksDelivered) {
            this.c = c;
            this.where = where;
            this.acksDelivered = acksDelivered;
        }

        @Override public String describe() { return where; }
        @Override public BoxStatus status() throws BoxException { return c.status(); }
        @Override public Counters counters() throws BoxException { return c.counters(); }

        @Override
        public LoadResult load(byte[] table, int confirmSeconds, BoxConnection.Progress progress, BooleanSupplier cancelled)
                throws BoxException {
            return c.load(table, confirmSeconds, progress, cancelled);
        }

        @Override
        public void reconnectAndConfirm(long generation) throws BoxException {
            c.reconnect();
            c.confirm(generation);
        }

        @Override public long rollback() throws BoxException { return c.rollback(); }
        @Override public AutoCloseable subscribe(Consumer<FlowRecord> sink) throws BoxException { return c.subscribe(sink); }

        @Override
        public SpoolSubscription subscribeFrom(long fromSeq, BoxConnection.SpoolListener listener) throws BoxException {
            BoxConnection.SpoolPosition at = c.subscribeFrom(fromSeq, acksDelivered ? acking(listener) : listener);
            // What comes before the app's starting point is of use to no one on the demo box. A spool
            // left full by an earlier run would stream nothing, and so never be acknowledged, unless
            // it is let go of here.
            if (acksDelivered && fromSeq > 0) c.ack(fromSeq - 1);
            return new SpoolSubscription(at, c::unsubscribe);
        }

        /**
         * Passes everything on, then acknowledges through the last number passed on, at most once
         * a second. Without waiting: the listener runs on the connection's reader thread, which is
         * the thread that reads the answer. A failed acknowledgement is repeated by the next one.
         */
        private BoxConnection.SpoolListener acking(BoxConnection.SpoolListener listener) {
            return new BoxConnection.SpoolListener() {
                long last = -1, lastAck = System.nanoTime();

                @Override public void records(java.util.List<dev.rampart.link.FlowRecord> batch) {
                    listener.records(batch);
                    if (!batch.isEmpty()) delivered(batch.get(batch.size() - 1).seq());
                }

                @Override public void loss(BoxConnection.Loss loss) {
                    listener.loss(loss);
                    delivered(loss.lastSeq());
                }

                private void delivered(long seq) {
                    last = Math.max(last, seq);
                    long now = System.nanoTime();
                    if (now - lastAck < ACK_EVERY_NS) return;
                    lastAck = now;
                    c.ackAsync(last).exceptionally(e -> null);
                }
            };
        }
        @Override public void close() { c.close(); }
    }
}
