// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import dev.rampart.link.Tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server from the Debian package: its own data directory, port and socket
 * directory under a temp dir, run as the postgres user when the tests run as root. Installed with
 * apt-get when missing (as root, {@link Tools#install}); when still missing the test fails under
 * RAMPART_REQUIRE_TOOLS=1 and is skipped otherwise.
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
        this.port = Tools.freePort();
        if (Tools.root()) Tools.run(List.of("chown", "postgres:postgres", dir.toString()), 60);
        asPostgres(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres",
                "-N", "-E", "UTF8", "--locale=C"));
        asPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(),
                "-w", "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"));
    }

    static PgServer start() throws IOException {
        Path bin = find();
        if (bin == null) {
            Tools.install("postgresql");
            bin = find();
        }
        if (bin == null) Tools.missing("PostgreSQL is not installed (Debian package postgresql)");
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

    private static void asPostgres(List<String> cmd) throws IOException {
        List<String> full = new ArrayList<>();
        if (Tools.root()) full.addAll(List.of("runuser", "-u", "postgres", "--"));
        full.addAll(cmd);
        Tools.run(full, 900);
    }
}
