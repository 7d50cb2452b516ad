// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real tools the tests drive (gcc, sshd, socat, PostgreSQL): installed with apt-get when missing
 * and we are root; when still missing the test fails under RAMPART_REQUIRE_TOOLS=1 (CI) and is
 * skipped otherwise. Shared with the other modules' tests through box-link's test jar.
 */
public final class Tools {
    private Tools() {}

    public static final Path REPO = Path.of(System.getProperty("rampart.agentDir", "../engine-kmod/agent")).toAbsolutePath()
            .normalize().getParent().getParent();
    public static final Path AGENT_DIR = REPO.resolve("engine-kmod/agent");

    public static boolean required() { return "1".equals(System.getenv("RAMPART_REQUIRE_TOOLS")); }

    public static boolean root() { return "root".equals(System.getProperty("user.name")); }

    /** Ensures {@code file} exists, installing {@code pkg} if it does not. */
    public static void need(String file, String pkg) {
        if (Files.exists(Path.of(file))) return;
        install(pkg);
        if (Files.exists(Path.of(file))) return;
        missing(file + " is missing (Debian package " + pkg + ")");
    }

    /** Installs a Debian package when we are root; quietly does nothing otherwise (the caller checks). */
    public static void install(String pkg) {
        if (!root()) return;
        try {
            run(List.of("apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-qq", "--no-install-recommends", pkg), 900);
        } catch (IOException e) {
            // the caller's check reports what is missing
        }
    }

    /** A tool the test needs is not there: a failure in CI (RAMPART_REQUIRE_TOOLS=1), a skipped test elsewhere. */
    public static void missing(String what) {
        if (required()) Assertions.fail(what);
        Assumptions.abort(what);
    }

    public static String run(List<String> cmd, int timeoutSeconds) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "):\n" + out);
        return out;
    }

    /** Builds rampartd (incremental make) and returns its path. */
    public static synchronized Path rampartd() throws IOException {
        need("/usr/bin/gcc", "gcc");
        need("/usr/bin/make", "make");
        need("/usr/include/zlib.h", "zlib1g-dev");
        run(List.of("make", "-s", "-C", AGENT_DIR.toString(), "-f", "rampartd.mk", "build/rampartd"), 300);
        return AGENT_DIR.resolve("build/rampartd");
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A running rampartd daemon with its own state dir and socket. */
    public static final class Agent implements AutoCloseable {
        public final Path dir, socket, stateDir;
        final List<String> extra;
        Process process;

        public Agent(Path dir, String... extra) throws IOException {
            this.dir = dir;
            this.socket = dir.resolve("rampartd.sock");
            this.stateDir = dir.resolve("state");
            this.extra = List.of(extra);
            start();
        }

        public void start() throws IOException {
            List<String> cmd = new ArrayList<>(List.of(rampartd().toString(), "--backend=sim", "--state-dir",
                    stateDir.toString(), "--socket", socket.toString()));
            cmd.addAll(extra);
            Files.deleteIfExists(socket);
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("rampartd.log").toFile())).start();
            for (int i = 0; i < 500 && !Files.exists(socket); i++) {
                if (!process.isAlive()) throw new IOException("rampartd exited: " + Files.readString(dir.resolve("rampartd.log")));
                sleep(10);
            }
            if (!Files.exists(socket)) throw new IOException("rampartd did not create its socket");
        }

        /** SIGKILL: no chance to clean up, like a crash or power loss of the process. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        public Transport.Factory local() { return () -> UnixSocketTransport.open(socket); }

        public String log() throws IOException { return Files.readString(dir.resolve("rampartd.log")); }

        @Override public void close() throws InterruptedException {
            if (process != null && process.isAlive()) {
                process.destroy();
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
            }
        }
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
