// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry.cli;

import dev.rampart.telemetry.Cursor;
import dev.rampart.telemetry.Flow;
import dev.rampart.telemetry.FlowFilter;
import dev.rampart.telemetry.FlowFilter.Side;
import dev.rampart.telemetry.FlowPage;
import dev.rampart.telemetry.FlowStore;
import dev.rampart.telemetry.SpoolEpoch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code rampart logs}: the stored flow log, newest first, filtered; or followed live; or exported.
 * A filter value starting with '!' is negated ("--src !10.0.0.1": any source but that one).
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
        description = "Show stored flow records, newest first. A filter value starting with '!' is negated.")
public final class LogsCommand implements Callable<Integer> {
    public enum Format { csv, json }

    @Spec CommandSpec spec;

    @Option(names = "--db", paramLabel = "JDBC-URL", description = "flow database (default: the H2 file under ~/.local/share/rampart/flows)")
    String db;
    @Option(names = "--db-user", defaultValue = "", description = "database user") String dbUser;
    @Option(names = "--db-password", defaultValue = "", description = "database password", interactive = false) String dbPassword;

    @Option(names = "--box", description = "only records of this box") String box;
    @Option(names = "--since", paramLabel = "WHEN", description = "age like 15m, 2h, 3d, or an ISO-8601 instant") String since;
    @Option(names = "--until", paramLabel = "WHEN", description = "age or ISO-8601 instant (exclusive)") String until;
    @Option(names = "--src", paramLabel = "[!]ADDR") String src;
    @Option(names = "--dst", paramLabel = "[!]ADDR") String dst;
    @Option(names = "--addr", paramLabel = "[!]ADDR", description = "either side ('!': on neither side)") String addr;
    @Option(names = "--sport", paramLabel = "[!]PORT") String sport;
    @Option(names = "--dport", paramLabel = "[!]PORT") String dport;
    @Option(names = "--port", paramLabel = "[!]PORT", description = "either side") String port;
    @Option(names = "--proto", paramLabel = "[!]PROTO", description = "tcp, udp, icmp, icmpv6 or a number") String proto;
    @Option(names = "--iface", paramLabel = "[!]NAME") String iface;
    @Option(names = "--rule", paramLabel = "[!]ID", description = "stable rule id (decimal or 0x hex)") String rule;
    @Option(names = "--verdict", paramLabel = "[!]VERDICT", description = "accept, drop or reject") String verdict;
    @Option(names = {"-n", "--limit"}, defaultValue = "50", description = "rows to show (default: ${DEFAULT-VALUE}; export: all)") int limit;
    @Option(names = {"-f", "--follow"}, description = "keep printing new records as they are stored") boolean follow;
    @Option(names = "--export", paramLabel = "FORMAT", description = "write every matching record as csv or json") Format export;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    public static void main(String[] args) {
        System.exit(new CommandLine(new LogsCommand()).execute(args));
    }

    @Override public Integer call() throws Exception {
        FlowFilter f = filter();
        if (follow && export != null) throw new ParameterException(spec.commandLine(), "--follow and --export do not go together");
        if (limit <= 0) throw new ParameterException(spec.commandLine(), "--limit must be positive");
        PrintWriter out = spec.commandLine().getOut();
        String url = db != null ? db : FlowStore.h2Url(FlowStore.defaultLocation());
        FlowStore store;
        try {
            store = FlowStore.open(url, dbUser, dbPassword);
        } catch (SQLException e) {
            spec.commandLine().getErr().println("error: cannot open the flow database " + url + ": " + e.getMessage());
            return 1;
        }
        try (store) {
            if (export != null) return export(store, f, out);
            FlowPage page = store.newest(f, Optional.empty(), limit);
            List<Flow> rows = new ArrayList<>(page.rows());
            java.util.Collections.reverse(rows); // oldest of the page first, like a log
            // Restarts older than the page's first row belong to pages not shown.
            Restarts restarts = new Restarts(f, page.next().isPresent() && !rows.isEmpty() ? rows.get(0).timeMs() : Long.MIN_VALUE);
            restarts.print(store, rows, out);
            out.flush();
            if (follow) follow(store, f, rows.isEmpty() ? null : rows.get(rows.size() - 1), restarts, out);
            return 0;
        }
    }

    /** Polls for rows after the last one shown; records arrive in batches, so once a second is enough. */
    private void follow(FlowStore store, FlowFilter f, Flow last, Restarts restarts, PrintWriter out) throws SQLException {
        Cursor shown = last == null ? null : new Cursor(last.timeMs(), last.box(), last.seq());
        while (!Thread.currentThread().isInterrupted()) {
            FlowFilter recent = shown == null ? f : f.since(shown.timeMs());
            List<Flow> fresh = new ArrayList<>();
            Optional<Cursor> at = Optional.empty();
            do {
                FlowPage p = store.newest(recent, at, 1000);
                for (Flow r : p.rows()) if (shown == null || after(r, shown)) fresh.add(r);
                at = p.next();
            } while (at.isPresent());
            java.util.Collections.reverse(fresh);
            restarts.print(store, fresh, out);
            out.flush();
            if (!fresh.isEmpty()) {
                Flow l = fresh.get(fresh.size() - 1);
                shown = new Cursor(l.timeMs(), l.box(), l.seq());
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                // Stopping is the normal end of following (the GUI stops its viewer thread this way).
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * A box's record stream restarting (its spool replaced), shown as a line of its own at its
     * place in time: just before the new spool's first record. Each is shown once.
     */
    private static final class Restarts {
        private final FlowFilter filter;
        private final long fromMs;
        private final java.util.Set<String> shown = new java.util.HashSet<>();

        Restarts(FlowFilter filter, long fromMs) {
            this.filter = filter;
            this.fromMs = fromMs;
        }

        /** Prints {@code rows} (oldest first) with the restarts that fall among them, and any later ones after them. */
        void print(FlowStore store, List<Flow> rows, PrintWriter out) throws SQLException {
            List<SpoolEpoch> due = new ArrayList<>();
            for (SpoolEpoch e : store.epochs(filter.box().orElse(null))) {
                long t = e.restartMs();
                if (!e.restart() || shown.contains(key(e)) || t < fromMs || filter.from().isPresent() && t < filter.from().get()
                        || filter.to().isPresent() && t >= filter.to().get()) continue;
                due.add(e);
            }
            due.sort(java.util.Comparator.comparingLong(SpoolEpoch::restartMs));
            int next = 0;
            for (Flow r : rows) {
                while (next < due.size() && due.get(next).restartMs() <= r.timeMs()) emit(due.get(next++), out);
                out.println(line(r));
            }
            while (next < due.size()) emit(due.get(next++), out);
        }

        private void emit(SpoolEpoch e, PrintWriter out) {
            shown.add(key(e));
            out.println(restartLine(e));
        }

        private static String key(SpoolEpoch e) { return e.box() + "#" + e.epoch(); }
    }

    static String restartLine(SpoolEpoch e) {
        String lost = e.prevLost() == 0 ? "nothing known to be lost"
                : e.prevLost() + " record" + (e.prevLost() == 1 ? "" : "s") + " it held never received";
        return String.format(Locale.ROOT, "%s %-8s -- record stream restarted: %s (spool %s, its #%d stored as #%d); "
                        + "the previous spool's last number accounted for: %s, %s", TIME.format(Instant.ofEpochMilli(e.restartMs())),
                e.box(), e.reason(), e.spoolText(), e.firstSeq(), e.start(), e.prevLastSeq() < 0 ? "none" : "#" + e.prevLastSeq(), lost);
    }

    private static boolean after(Flow r, Cursor c) {
        if (r.timeMs() != c.timeMs()) return r.timeMs() > c.timeMs();
        int b = r.box().compareTo(c.box());
        return b != 0 ? b > 0 : r.seq() > c.seq();
    }

    private int export(FlowStore store, FlowFilter f, PrintWriter out) throws SQLException {
        boolean json = export == Format.json;
        out.println(json ? "[" : "box,seq,time_ms,hook,verdict,proto,src,src_port,dst,dst_port,in_iface,out_iface,rule_id,generation,packets,bytes");
        Optional<Cursor> at = Optional.empty();
        boolean first = true;
        do {
            FlowPage p = store.newest(f, at, 5000);
            for (Flow r : p.rows()) {
                if (json) {
                    out.print(first ? "" : ",\n");
                    out.printf(Locale.ROOT, "{\"box\":%s,\"seq\":%d,\"time_ms\":%d,\"hook\":\"%s\",\"verdict\":\"%s\",\"proto\":%d,"
                                    + "\"src\":\"%s\",\"src_port\":%d,\"dst\":\"%s\",\"dst_port\":%d,\"in_iface\":%s,\"out_iface\":%s,"
                                    + "\"rule_id\":%d,\"generation\":%d,\"packets\":%d,\"bytes\":%d}",
                            jsonString(r.box()), r.seq(), r.timeMs(), r.hookName(), r.verdictName(), r.proto(), r.src(), r.srcPort(),
                            r.dst(), r.dstPort(), jsonString(r.inIface()), jsonString(r.outIface()), r.ruleId(), r.generation(),
                            r.packets(), r.bytes());
                } else {
                    out.printf(Locale.ROOT, "%s,%d,%d,%s,%s,%d,%s,%d,%s,%d,%s,%s,%d,%d,%d,%d%n", csv(r.box()), r.seq(), r.timeMs(),
                            r.hookName(), r.verdictName(), r.proto(), r.src(), r.srcPort(), r.dst(), r.dstPort(), csv(r.inIface()),
                            csv(r.outIface()), r.ruleId(), r.generation(), r.packets(), r.bytes());
                }
                first = false;
            }
            at = p.next();
        } while (at.isPresent());
        if (json) out.println(first ? "]" : "\n]");
        out.flush();
        return 0;
    }

    static String line(Flow r) {
        return String.format(Locale.ROOT, "%s %-8s #%-8d %-7s %-6s %-5s %s:%d -> %s:%d rule %d%s", TIME.format(Instant.ofEpochMilli(r.timeMs())),
                r.box(), r.seq(), r.hookName(), r.verdictName(), protoName(r.proto()), r.src(), r.srcPort(), r.dst(), r.dstPort(),
                r.ruleId(), r.packets() > 1 || r.bytes() > 0 ? " (" + r.packets() + " pkts, " + r.bytes() + " bytes)" : "");
    }

    private static String protoName(int p) {
        return switch (p) { case 6 -> "tcp"; case 17 -> "udp"; case 1 -> "icmp"; case 58 -> "icmp6"; default -> Integer.toString(p); };
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    // ---- filter options ---------------------------------------------------------------------------

    private FlowFilter filter() {
        FlowFilter f = FlowFilter.ALL;
        long now = System.currentTimeMillis();
        if (box != null) f = f.box(box);
        if (since != null || until != null) {
            long from = since == null ? Long.MIN_VALUE / 2 : when("--since", since, now);
            long to = until == null ? Long.MAX_VALUE / 2 : when("--until", until, now);
            f = f.between(from, to);
        }
        int addrs = (src != null ? 1 : 0) + (dst != null ? 1 : 0) + (addr != null ? 1 : 0);
        int ports = (sport != null ? 1 : 0) + (dport != null ? 1 : 0) + (port != null ? 1 : 0);
        if (addrs > 1) throw bad("give one of --src, --dst, --addr");
        if (ports > 1) throw bad("give one of --sport, --dport, --port");
        if (src != null) f = address(f, "--src", src, Side.SRC);
        if (dst != null) f = address(f, "--dst", dst, Side.DST);
        if (addr != null) f = address(f, "--addr", addr, Side.EITHER);
        if (sport != null) f = f.port(number("--sport", sport, 65535), Side.SRC, neg(sport));
        if (dport != null) f = f.port(number("--dport", dport, 65535), Side.DST, neg(dport));
        if (port != null) f = f.port(number("--port", port, 65535), Side.EITHER, neg(port));
        if (proto != null) {
            String p = strip(proto).toLowerCase(Locale.ROOT);
            int n = switch (p) { case "tcp" -> 6; case "udp" -> 17; case "icmp" -> 1; case "icmpv6", "icmp6" -> 58; default -> number("--proto", p, 255); };
            f = f.proto(n, neg(proto));
        }
        if (iface != null) f = f.iface(strip(iface), neg(iface));
        if (rule != null) {
            String r = strip(rule);
            try {
                f = f.rule(r.startsWith("0x") ? Long.parseLong(r.substring(2), 16) : Long.parseLong(r), neg(rule));
            } catch (NumberFormatException e) {
                throw bad("--rule: '" + rule + "' is not a rule id (decimal or 0x hex)");
            }
        }
        if (verdict != null) {
            int v = switch (strip(verdict).toLowerCase(Locale.ROOT)) {
                case "accept" -> Flow.ACCEPT; case "drop" -> Flow.DROP; case "reject" -> Flow.REJECT;
                default -> throw bad("--verdict: '" + verdict + "' is not accept, drop or reject");
            };
            f = f.verdict(v, neg(verdict));
        }
        return f;
    }

    private FlowFilter address(FlowFilter f, String opt, String v, Side side) {
        try {
            return f.address(strip(v), side, neg(v));
        } catch (IllegalArgumentException e) {
            throw bad(opt + ": " + e.getMessage() + " (give an IPv4 or IPv6 address, '!' in front to negate)");
        }
    }

    private int number(String opt, String v, int max) {
        String s = strip(v);
        try {
            int n = Integer.parseInt(s);
            if (n >= 0 && n <= max) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(opt + ": '" + v + "' is not a number from 0 to " + max);
    }

    private long when(String opt, String v, long now) {
        String s = v.trim();
        if (s.matches("\\d+[smhd]")) {
            long n = Long.parseLong(s.substring(0, s.length() - 1));
            Duration d = switch (s.charAt(s.length() - 1)) { case 's' -> Duration.ofSeconds(n); case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n); default -> Duration.ofDays(n); };
            return now - d.toMillis();
        }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw bad(opt + ": '" + v + "' is neither an age (15m, 2h, 3d) nor an ISO-8601 instant (2026-11-22T09:00:00Z)");
        }
    }

    private static boolean neg(String v) { return v.trim().startsWith("!"); }
    private static String strip(String v) { String t = v.trim(); return t.startsWith("!") ? t.substring(1).trim() : t; }
    private ParameterException bad(String msg) { return new ParameterException(spec.commandLine(), msg); }
}
