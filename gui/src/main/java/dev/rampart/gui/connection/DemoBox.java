// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.connection;

import dev.rampart.link.BoxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The demo box: the real agent, {@code rampartd --backend=sim}, on this machine. Its simulated
 * backend classifies generated office traffic with the same C core as the kernel module, so
 * deploys, counters and flow records are real; only the packets are made up. The agent is built
 * with make when missing, listens on a socket in a private temp directory, and keeps its tables in
 * the config directory so a confirmed deploy survives a restart of the app.
 *
 * <p>Its spool lives there too, and no collector drains it: the app acknowledges what its live
 * log took in ({@link LinkConnector}), or after about an hour of demo traffic the spool would be
 * full and the agent would stop keeping, and so streaming, new records.
 */
public final class DemoBox {
    private final Path stateDir;
    private final List<String> agentOptions;
    private Process process;
    private Path socket;

    public DemoBox(Path stateDir) { this(stateDir, List.of()); }

    /** With more options for the agent: tests make its spool small and its traffic fast. */
    DemoBox(Path stateDir, List<String> agentOptions) {
        this.stateDir = stateDir;
        this.agentOptions = List.copyOf(agentOptions);
    }

    /** The repository the app runs from: {@code -Drampart.home}, else the nearest parent of the working directory with the agent's sources. */
    static Path home() throws BoxException {
        String prop = System.getProperty("rampart.home");
        if (prop != null && !prop.isBlank()) return Path.of(prop).toAbsolutePath().normalize();
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("engine-kmod/agent/rampartd.mk"))) return p;
        }
        throw new BoxException("cannot find the agent's sources (engine-kmod/agent) to run the demo box: start the app "
                + "with gui/run from the Rampart repository, or pass -Drampart.home=REPO");
    }

    /**
     * The agent an installed app ships ({@code -Drampart.agent}, set by the package's launcher), or
     * null when the app runs from the repository and builds the agent itself.
     */
    static Path installedAgent() throws BoxException {
        String prop = System.getProperty("rampart.agent");
        if (prop == null || prop.isBlank()) return null;
        Path p = Path.of(prop).toAbsolutePath().normalize();
        if (!Files.isExecutable(p))
            throw new BoxException("the demo box's agent " + p + " (-Drampart.agent) is missing or not executable: "
                    + "reinstall the app");
        return p;
    }

    /** Starts the agent unless it runs already; returns its socket. */
    public synchronized Path start(Consumer<String> progress, BooleanSupplier cancelled) throws BoxException {
        if (process != null && process.isAlive() && Files.exists(socket)) return socket;
        Path binary = installedAgent();
        if (binary == null) binary = home().resolve("engine-kmod/agent/build/rampartd");
        if (!Files.isExecutable(binary)) {
            Path agentDir = home().resolve("engine-kmod/agent");
            progress.accept("Building the demo box's agent (make; a few seconds, once)...");
            build(agentDir, cancelled);
        }
        try {
            Files.createDirectories(stateDir);
            // A unix socket path is limited to 108 bytes: a short private directory, not the config dir.
            Path dir = Files.createTempDirectory("rampart-demo");
            dir.toFile().deleteOnExit();
            socket = dir.resolve("rampartd.sock");
            Path log = stateDir.resolveSibling("rampartd.log");
            progress.accept("Starting the demo box (rampartd --backend=sim)...");
            List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--backend=sim", "--state-dir", stateDir.toString(),
                    "--socket", socket.toString()));
            cmd.addAll(agentOptions);
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            // Should the app end without stop() (Ctrl+C in the terminal), the agent must not outlive it.
            Process started = process;
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "rampart-demo-box-stop"));
            for (int i = 0; i < 500 && !Files.exists(socket); i++) {
                if (!process.isAlive())
                    throw new BoxException("the demo box's agent exited at start (code " + process.exitValue() + "); its log: "
                            + log + "\n" + tail(log));
                if (cancelled.getAsBoolean()) {
                    stop();
                    throw new BoxException("cancelled");
                }
                Thread.sleep(10);
            }
            if (!Files.exists(socket)) {
                stop();
                throw new BoxException("the demo box's agent did not open its socket within 5 s; its log: " + log);
            }
            return socket;
        } catch (IOException e) {
            throw new BoxException("cannot start the demo box: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BoxException("interrupted");
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static void build(Path agentDir, BooleanSupplier cancelled) throws BoxException {
        List<String> cmd = new ArrayList<>(List.of("make", "-s", "-C", agentDir.toString(), "-f", "rampartd.mk", "build/rampartd"));
        try {
            Process make = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] out;
            // Output is small; read it after the exit so a cancel can stop make at any time.
            while (!make.waitFor(100, TimeUnit.MILLISECONDS)) {
                if (cancelled.getAsBoolean()) {
                    make.descendants().forEach(ProcessHandle::destroy);
                    make.destroy();
                    throw new BoxException("cancelled while building the demo box's agent");
                }
            }
            out = make.getInputStream().readAllBytes();
            if (make.exitValue() != 0)
                throw new BoxException("building the demo box's agent failed (" + String.join(" ", cmd) + "):\n"
                        + new String(out).strip() + "\n(it needs gcc, make and zlib1g-dev)");
        } catch (IOException e) {
            throw new BoxException("cannot build the demo box's agent: " + e.getMessage()
                    + " (it needs gcc, make and zlib1g-dev; gui/run installs them)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BoxException("interrupted");
        }
    }

    public synchronized void stop() {
        if (process == null) return;
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        process = null;
        try {
            if (socket != null) {
                Files.deleteIfExists(socket);
                Files.deleteIfExists(socket.getParent());
            }
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
