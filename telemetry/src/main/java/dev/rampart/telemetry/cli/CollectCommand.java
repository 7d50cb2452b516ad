// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry.cli;

import dev.rampart.link.Target;
import dev.rampart.link.cli.TargetOptions;
import dev.rampart.telemetry.Collector;
import dev.rampart.telemetry.FlowStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code rampart collect}: the desktop's collector from the command line. Stores a box's flow
 * records in the flow database (the one {@code rampart logs} reads), asking for everything after
 * what the database already accounts for and acknowledging what it stored, so the box can free
 * its spool. With {@code --once} it stops when it holds everything the box had numbered when it
 * connected; otherwise it follows the box until interrupted, reconnecting when the path breaks.
 */
@Command(name = "collect", mixinStandardHelpOptions = true,
        description = {"Store a box's flow records in the flow database (what 'rampart logs' reads) and acknowledge them.",
                "Follows the box until interrupted; with --once, stops when everything the box held on connecting is stored."})
public final class CollectCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin TargetOptions target;

    @Option(names = "--db", paramLabel = "JDBC-URL", description = "flow database (default: the H2 file under ~/.local/share/rampart/flows)")
    String db;
    @Option(names = "--db-user", defaultValue = "", description = "database user") String dbUser;
    @Option(names = "--db-password", defaultValue = "", description = "database password", interactive = false) String dbPassword;
    @Option(names = "--box", paramLabel = "NAME",
            description = "name the records are stored under (default: the target's host, with its port if one is given)")
    String box;
    @Option(names = "--once", description = "stop once every record the box held when the collector connected is stored")
    boolean once;
    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "120",
            description = "with --once: give up after this long (default: ${DEFAULT-VALUE})")
    int waitSeconds;

    /** Counted down once the collector has stored and acknowledged what it received. */
    private final CountDownLatch closed = new CountDownLatch(1);

    public static void main(String[] args) {
        System.exit(new CommandLine(new CollectCommand()).execute(args));
    }

    @Override public Integer call() throws Exception {
        if (waitSeconds <= 0) throw new ParameterException(spec.commandLine(), "--wait must be positive");
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        String name;
        dev.rampart.link.Transport.Factory factory;
        try {
            name = box != null ? box : defaultName(Target.parse(target.target()));
            factory = target.factory();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (name.isBlank()) throw new ParameterException(spec.commandLine(), "--box: the name must not be empty");
        String url = db != null ? db : FlowStore.h2Url(FlowStore.defaultLocation());
        FlowStore store;
        try {
            store = FlowStore.open(url, dbUser, dbPassword);
        } catch (SQLException e) {
            err.println("rampart collect: cannot open the flow database " + url + ": " + e.getMessage());
            return 1;
        }
        try (store) {
            Collector.Options d = Collector.Options.DEFAULT;
            Collector c = Collector.start(factory, name, store, new Collector.Options(d.batchSize(), d.firstBackoff(), d.maxBackoff(),
                    d.link().withRequestTimeout(target.connectionOptions().requestTimeout())));
            int code;
            try {
                code = once ? once(c, name, err) : follow(c, name, out, err);
                // Closing stores what arrived and acknowledges it: the summary after it is final.
                c.close();
            } finally {
                closed.countDown();
            }
            if (code == 0) out.println(summary(name, c));
            return code;
        }
    }

    /** Waits until everything the box held at subscription is accounted for; fails on the first broken connection. */
    private int once(Collector c, String name, PrintWriter err) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        while (true) {
            Collector.Stats s = c.stats();
            long numbered = c.numberedAtSubscription();
            if (s.sessions() > 0 && numbered < 0) {
                err.println("rampart collect: the agent on " + target.target()
                        + " has no spool, so there is no 'everything it held' to stop at; run without --once to follow it");
                return 1;
            }
            if (numbered >= 0 && c.accountedThrough() >= numbered - 1) return 0;
            // One-shot use wants an answer, not a retry loop: the first failed connection is final.
            if (s.sessions() == 0 && !s.lastError().isEmpty()) {
                err.println("rampart collect: " + target.target() + ": " + s.lastError());
                return 1;
            }
            if (System.nanoTime() > deadline) {
                String why = s.lastError().isEmpty() ? "" : " (last error: " + s.lastError() + ")";
                if (numbered < 0) err.printf("rampart collect: %s did not answer the subscription within %d s%s%n", target.target(), waitSeconds, why);
                else err.printf("rampart collect: after %d s the database accounts for %s's records only through #%d of #%d%s%n",
                        waitSeconds, name, c.accountedThrough(), numbered - 1, why);
                return 1;
            }
            Thread.sleep(20);
        }
    }

    /** Runs until the process is interrupted (Ctrl-C, SIGTERM), printing what changed every few seconds. */
    private int follow(Collector c, String name, PrintWriter out, PrintWriter err) throws InterruptedException {
        Thread main = Thread.currentThread();
        // The hook wakes this thread and holds the JVM until call() has closed the collector, so
        // what arrived is stored and acknowledged before the process ends.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            main.interrupt();
            try {
                closed.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        out.println("collecting " + name + " from " + target.target() + " (Ctrl-C stops)");
        out.flush();
        String shown = "", error = "";
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Collector.Stats s = c.stats();
                if (!s.lastError().equals(error)) {
                    error = s.lastError();
                    if (!error.isEmpty()) err.println("rampart collect: " + error + " (retrying)");
                    err.flush();
                }
                String now = summary(name, c);
                if (!now.equals(shown)) {
                    out.println(now);
                    out.flush();
                    shown = now;
                }
                Thread.sleep(2000);
            }
        } catch (InterruptedException e) {
            // the normal end of following
        }
        Thread.interrupted(); // consumed: closing the collector below must be able to wait
        return 0;
    }

    private static String summary(String name, Collector c) {
        Collector.Stats s = c.stats();
        return String.format("%s: %d records stored, %d already stored, %d lost on the box, %d missing; "
                        + "the database accounts through #%d, acknowledged through #%d",
                name, s.stored(), s.skipped(), s.lost(), s.missed(), c.accountedThrough(), s.acked());
    }

    /** A box is known by where it is: its host (and port, when one is given), its serial device, or "local". */
    public static String defaultName(Target t) {
        if (t instanceof Target.Ssh s) return s.port() > 0 ? s.host() + ":" + s.port() : s.host();
        if (t instanceof Target.Serial s) return Path.of(s.device()).getFileName().toString();
        if (t instanceof Target.Local) return "local";
        return "exec";
    }
}
