// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server from the Debian package: its own data directory, port and socket
 * directory under a temp dir, run as the postgres user when the tests run as root. Installed with
 * apt-get when missing (as root); when still missing the test fails under RAMPART_REQUIRE_TOOLS=1
 * and is skipped otherwise.
 */
final class PgServer implements AutoCloseable {
    final Path dir, data;
    final int port;
    private final Path bin;
    private int databases;

    private PgServer(Path bin) throws IOException {
        this.bin = bin;
        this.dir = Files.createTempDirectory("rampart-pg");
        this.data = dir.resolve("data");
        this.port = freePort();
        if (root()) run(List.of("chown", "postgres:postgres", dir.toString()));
        asPostgres(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres",
                "-N", "-E", "UTF8", "--locale=C"));
        asPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
    }

    static PgServer start() throws IOException {
        Path bin = find();
        if (bin == null && root()) {
            try {
                run(List.of("apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-qq", "--no-install-recommends", "postgresql"));
            } catch (IOException e) {
                // reported below as missing
            }
            bin = find();
        }
        if (bin == null) {
            String msg = "PostgreSQL is not installed (Debian package postgresql)";
            if ("1".equals(System.getenv("RAMPART_REQUIRE_TOOLS"))) Assertions.fail(msg);
            Assumptions.abort(msg);
        }
        return new PgServer(bin);
    }

    private static Path find() throws IOException {
        Path base = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(base)) return null;
        try (Stream<Path> s = Files.list(base)) {
            return s.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    // Debian names each major version's directory by its number: take the newest.
                    .max(Comparator.comparingInt(b -> major(b.getParent().getFileName().toString())))
                    .orElse(null);
        }
    }

    private static int major(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A new, empty database on this server; its JDBC URL. */
    synchronized String newDatabase() throws Exception {
        String name = "flows" + (++databases);
        try (Connection c = DriverManager.getConnection(url("postgres"), "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return url(name);
    }

    String url(String db) { return "jdbc:postgresql://127.0.0.1:" + port + "/" + db; }

    @Override public void close() throws IOException {
        try {
            asPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    private static boolean root() { return "root".equals(System.getProperty("user.name")); }

    private static void asPostgres(List<String> cmd) throws IOException {
        List<String> full = new ArrayList<>();
        if (root()) full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(cmd);
        run(full);
    }

    private static void run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(900, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "):\n" + out);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
