// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH server on a free loopback port, for the tests that log in over SSH (box-link's
 * and the desktop app's): its own ed25519 host key ({@code DIR/hostkey}, {@code DIR/hostkey.pub}),
 * config, pid file and log under DIR, public keys only. Installed with apt-get when missing.
 */
public final class Sshd implements AutoCloseable {
    public final Path dir, hostPub;
    public final int port;
    private final Process process;

    private Sshd(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.hostPub = dir.resolve("hostkey.pub");
    }

    /** Starts sshd accepting the keys in {@code authorizedKeys} and waits until it listens. */
    public static Sshd start(Path dir, Path authorizedKeys) throws IOException, InterruptedException {
        Tools.need("/usr/sbin/sshd", "openssh-server");
        keygen("ed25519", dir.resolve("hostkey"));
        int port = Tools.freePort();
        Path cfg = Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("hostkey"),
                "PidFile " + dir.resolve("sshd.pid"), "AuthorizedKeysFile " + authorizedKeys,
                "UsePAM no", "StrictModes no", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes", "PermitRootLogin prohibit-password", ""));
        // Privilege separation wants this directory; a fresh machine does not have it.
        Files.createDirectories(Path.of("/run/sshd"));
        Process p = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", cfg.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sshd.log").toFile()).start();
        Sshd s = new Sshd(dir, port, p);
        for (int i = 0; i < 300; i++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return s;
            } catch (IOException e) {
                if (!p.isAlive()) throw new IOException("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
                Thread.sleep(20);
            }
        }
        s.close();
        throw new IOException("sshd did not listen on " + port + ": " + Files.readString(dir.resolve("sshd.log")));
    }

    /** A new key pair without a passphrase: {@code file} and {@code file.pub}. */
    public static void keygen(String type, Path file) throws IOException {
        Tools.need("/usr/bin/ssh-keygen", "openssh-client");
        Tools.run(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", "rampart-test", "-f", file.toString()), 60);
    }

    /** A known_hosts file (at {@code file}) that holds the public key {@code pub} for this server. */
    public Path knownHosts(Path file, Path pub) throws IOException {
        String[] k = Files.readString(pub).trim().split(" ");
        return Files.writeString(file, "[127.0.0.1]:" + port + " " + k[0] + " " + k[1] + "\n");
    }

    @Override public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
    }
}
