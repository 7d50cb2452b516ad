// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import dev.rampart.link.Transport;
import dev.rampart.link.UnixSocketTransport;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * rampartd with its simulated backend (a traffic generator), built with make when needed. It can
 * be killed with SIGKILL and started again on the same state directory (and spool).
 */
final class SimAgent implements AutoCloseable {
    static final Path AGENT_DIR = Path.of(System.getProperty("rampart.agentDir", "../engine-kmod/agent")).toAbsolutePath().normalize();

    final Path dir, socket, log;
    private final List<String> args;
    private Process process;

    /** Generates {@code packetsPerSecond} simulated packets (about half become flow records without a table). */
    SimAgent(Path dir, int packetsPerSecond, String... extra) throws IOException, InterruptedException {
        this.dir = dir;
        this.socket = dir.resolve("rampartd.sock");
        this.log = dir.resolve("rampartd.log");
        for (String tool : List.of("/usr/bin/gcc", "/usr/bin/make", "/usr/include/zlib.h")) {
            if (!Files.exists(Path.of(tool))) {
                String msg = tool + " is missing: rampartd cannot be built";
                if ("1".equals(System.getenv("RAMPART_REQUIRE_TOOLS"))) Assertions.fail(msg);
                Assumptions.abort(msg);
            }
        }
        Process make = new ProcessBuilder("make", "-s", "-C", AGENT_DIR.toString(), "-f", "rampartd.mk", "build/rampartd")
                .redirectErrorStream(true).start();
        String out = new String(make.getInputStream().readAllBytes());
        if (!make.waitFor(300, TimeUnit.SECONDS) || make.exitValue() != 0) throw new IOException("building rampartd failed:\n" + out);
        args = new ArrayList<>(List.of(AGENT_DIR.resolve("build/rampartd").toString(), "--backend=sim", "--state-dir",
                dir.resolve("state").toString(), "--socket", socket.toString(), "--rate", Integer.toString(packetsPerSecond)));
        args.addAll(List.of(extra));
        start();
    }

    void start() throws IOException, InterruptedException {
        Files.deleteIfExists(socket);
        process = new ProcessBuilder(args).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        for (int i = 0; i < 500 && !Files.exists(socket); i++) {
            if (!process.isAlive()) throw new IOException("rampartd exited: " + Files.readString(log));
            Thread.sleep(10);
        }
        if (!Files.exists(socket)) throw new IOException("rampartd did not create its socket");
    }

    /** SIGKILL: no chance to flush or clean up. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    String log() throws IOException { return Files.readString(log); }

    Transport.Factory local() { return () -> UnixSocketTransport.open(socket); }

    @Override public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        }
    }
}
