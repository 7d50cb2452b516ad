// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Push benchmark (not a unit test): time to upload and commit a compiled 1k- and 10k-rule policy
 * over SSH on loopback and over a pseudo-serial line paced at 115200 baud (11 520 bytes/s, 8N1),
 * compressed. Run: java -cp ... dev.rampart.link.LinkBench [sshTarget-less]; needs sshd and socat.
 */
public final class LinkBench {
    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("linkbench");
        byte[] t1k = Policies.table(dir, "1k.rampart", Policies.many(1000));
        byte[] t10k = Policies.table(dir, "10k.rampart", Policies.many(10000));
        System.out.printf("tables: 1k rules %d bytes (%d compressed), 10k rules %d bytes (%d compressed)%n",
                t1k.length, BoxConnection.deflate(t1k).length, t10k.length, BoxConnection.deflate(t10k).length);
        try (Tools.Agent agent = new Tools.Agent(Files.createDirectories(dir.resolve("a")))) {
            for (byte[] t : List.of(t1k, t10k)) {
                try (BoxConnection c = BoxConnection.connect(agent.local())) {
                    long t0 = System.nanoTime();
                    c.load(t, 0, null, null);
                    System.out.printf("local socket: %d bytes in %.2f s%n", t.length, (System.nanoTime() - t0) / 1e9);
                }
            }
        }
        // SSH on loopback: a real sshd, rampartd --stdio relaying to the agent.
        Path sd = Files.createDirectories(dir.resolve("ssh"));
        Sshd.keygen("ed25519", sd.resolve("id_ed25519"));
        try (Sshd sshd = Sshd.start(sd, sd.resolve("id_ed25519.pub"));
             Tools.Agent agent = new Tools.Agent(Files.createDirectories(dir.resolve("sa")))) {
            Path known = sshd.knownHosts(sd.resolve("known_hosts"), sshd.hostPub);
            SshTransport.Options o = SshTransport.Options.of(System.getProperty("user.name"), "127.0.0.1", sshd.port)
                    .withKnownHosts(known).withIdentities(List.of(sd.resolve("id_ed25519"))).withSshConfig(sd.resolve("none"))
                    .withRemoteCommand(Tools.rampartd() + " --stdio --socket " + agent.socket);
            for (byte[] t : List.of(t1k, t10k)) {
                long t0 = System.nanoTime();
                try (BoxConnection c = BoxConnection.connect(() -> SshTransport.open(o))) {
                    long t1 = System.nanoTime();
                    c.load(t, 0, null, null);
                    System.out.printf("ssh loopback: %d bytes in %.2f s (+%.2f s to connect)%n", t.length,
                            (System.nanoTime() - t1) / 1e9, (t1 - t0) / 1e9);
                }
            }
        }
        // Serial: agent on a pty, relay pacing both directions at 11 520 bytes/s.
        Path agentTty = dir.resolve("agent-tty"), ra = dir.resolve("relay-a"), rb = dir.resolve("relay-b"), desk = dir.resolve("desk");
        Process s1 = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + agentTty, "pty,raw,echo=0,link=" + ra).start();
        Process s2 = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + rb, "pty,raw,echo=0,link=" + desk).start();
        for (int i = 0; i < 300 && !Files.exists(desk); i++) Thread.sleep(10);
        Thread.sleep(200);
        try (FaultyRelay relay = new FaultyRelay(new FileInputStream(ra.toFile()), new FileOutputStream(ra.toFile()),
                new FileInputStream(rb.toFile()), new FileOutputStream(rb.toFile()), 1);
             Tools.Agent agent = new Tools.Agent(Files.createDirectories(dir.resolve("s")), "--tty", agentTty.toString(),
                     "--baud", "115200", "--rate", "1")) {
            relay.bytesPerSecond = 11520;
            for (byte[] t : List.of(t1k, t10k)) {
                try (BoxConnection c = BoxConnection.connect(() -> SerialTransport.open(desk.toString(), 115200,
                        SerialTransport.Parity.NONE))) {
                    long t0 = System.nanoTime();
                    c.load(t, 0, null, null);
                    System.out.printf("serial 115200 (paced): %d bytes in %.2f s; link %s%n", t.length,
                            (System.nanoTime() - t0) / 1e9, c.linkStats());
                }
            }
        } finally {
            s1.destroy();
            s2.destroy();
        }
        System.exit(0);
    }
}
