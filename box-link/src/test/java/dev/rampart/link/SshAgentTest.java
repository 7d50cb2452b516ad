// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import dev.rampart.link.cli.DevMain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A real OpenSSH server on loopback, started by the test, with {@code rampartd --stdio} behind it
 * relaying to a sim-backend agent: host key checking, keys, config aliases and safe deploys.
 */
class SshAgentTest {
    @TempDir static Path dir;
    static Sshd sshd;
    static int port;
    static Tools.Agent agent;
    static Path ed25519, rsa, hostPub, otherHostPub, agentKey, stranger;
    static String agentCommand;

    @BeforeAll static void startSshd() throws Exception {
        agent = new Tools.Agent(Files.createDirectories(dir.resolve("agent")));
        agentCommand = Tools.rampartd() + " --stdio --socket " + agent.socket;
        Sshd.keygen("ed25519", dir.resolve("otherhost"));
        Sshd.keygen("ed25519", ed25519 = dir.resolve("id_ed25519"));
        Sshd.keygen("rsa", rsa = dir.resolve("id_rsa"));
        Sshd.keygen("ed25519", agentKey = dir.resolve("id_in_agent"));
        Sshd.keygen("ed25519", stranger = dir.resolve("id_stranger"));
        otherHostPub = dir.resolve("otherhost.pub");
        Files.writeString(dir.resolve("authorized_keys"),
                Files.readString(dir.resolve("id_ed25519.pub")) + Files.readString(dir.resolve("id_rsa.pub"))
                        + Files.readString(dir.resolve("id_in_agent.pub")));
        sshd = Sshd.start(dir, dir.resolve("authorized_keys"));
        port = sshd.port;
        hostPub = sshd.hostPub;
    }

    @AfterAll static void stop() throws Exception {
        if (sshd != null) sshd.close();
        if (agent != null) agent.close();
    }

    /** known_hosts holding {@code pub} for this server. */
    private static Path knownHosts(String name, Path pub) throws IOException {
        return sshd.knownHosts(dir.resolve(name), pub);
    }

    private static SshTransport.Options options(Path known, Path key) {
        return SshTransport.Options.of(System.getProperty("user.name"), "127.0.0.1", port).withKnownHosts(known)
                .withIdentities(List.of(key)).withSshConfig(dir.resolve("no-config")).withRemoteCommand(agentCommand);
    }

    @Test void unknownHostKeyIsRefusedWithoutTheFlag() throws Exception {
        Path known = dir.resolve("empty_known_hosts");
        BoxException e = assertThrows(BoxException.class,
                () -> BoxConnection.connect(() -> SshTransport.open(options(known, ed25519))));
        assertTrue(e.getMessage().contains("not in") && e.getMessage().contains("--accept-new-host-key"), e.getMessage());
        assertTrue(e.getMessage().contains("SHA256:"), "offers the fingerprint: " + e.getMessage());
        assertFalse(Files.exists(known) && !Files.readString(known).isBlank(), "nothing recorded");
    }

    @Test void acceptNewRecordsTheKeyAndTheBoxSeesTheSshClient() throws Exception {
        Path known = dir.resolve("new_known_hosts");
        try (BoxConnection c = BoxConnection.connect(() -> SshTransport.open(options(known, ed25519).withAcceptNewHostKey(true)))) {
            BoxStatus s = c.status();
            assertEquals(Transport.Kind.SSH, c.kind());
            assertEquals(BoxStatus.PeerKind.SSH, s.peer().kind());
            assertEquals("127.0.0.1", s.peer().clientAddress());
            assertEquals(port, s.peer().serverPort());
            assertTrue(s.peer().clientPort() > 0);
        }
        assertTrue(Files.readString(known).contains("[127.0.0.1]:" + port + " ssh-ed25519 "), Files.readString(known));
        // Recorded: strict checking now passes without the flag.
        try (BoxConnection c = BoxConnection.connect(() -> SshTransport.open(options(known, ed25519)))) {
            assertEquals("sim", c.status().backend());
        }
    }

    @Test void changedHostKeyIsRefusedEvenWithAcceptNew() throws Exception {
        Path known = knownHosts("wrong_known_hosts", otherHostPub);
        final Path k = known;
        String before = Files.readString(known);
        BoxException e = assertThrows(BoxException.class,
                () -> BoxConnection.connect(() -> SshTransport.open(options(known, ed25519).withAcceptNewHostKey(true))));
        assertTrue(e.getMessage().contains("NOT the one recorded"), e.getMessage());
        assertEquals(before, Files.readString(known), "known_hosts untouched");
    }

    @Test void rsaKeysWorkToo() throws Exception {
        Path known = knownHosts("kh_rsa", hostPub);
        try (BoxConnection c = BoxConnection.connect(() -> SshTransport.open(options(known, rsa)))) {
            assertArrayEquals(new byte[] {9, 8, 7}, c.ping(new byte[] {9, 8, 7}));
        }
    }

    @Test void sshConfigAliasesResolve() throws Exception {
        Path cfg = Files.writeString(dir.resolve("ssh_config"), "Host testbox\n  HostName 127.0.0.1\n  Port " + port
                + "\n  User " + System.getProperty("user.name") + "\n");
        SshTransport.Options o = new SshTransport.Options(null, "testbox", 0, knownHosts("kh_alias", hostPub), false,
                List.of(ed25519), cfg, agentCommand, 15_000);
        try (BoxConnection c = BoxConnection.connect(() -> SshTransport.open(o))) {
            assertEquals(port, c.status().peer().serverPort());
        }
    }

    /** A real ssh-agent holding the only authorised key offered: the login works through it alone. */
    @Test void sshAgentKeysAreOfferedBeforeKeyFiles() throws Exception {
        Tools.need("/usr/bin/ssh-agent", "openssh-client");
        Path sock = dir.resolve("ssh-agent.sock");
        Process a = new ProcessBuilder("ssh-agent", "-D", "-a", sock.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("ssh-agent.log").toFile()).start();
        try {
            for (int i = 0; i < 250 && !Files.exists(sock); i++) Tools.sleep(20);
            assertTrue(Files.exists(sock), "ssh-agent made no socket: " + Files.readString(dir.resolve("ssh-agent.log")));
            ProcessBuilder add = new ProcessBuilder("ssh-add", agentKey.toString()).redirectErrorStream(true);
            add.environment().put("SSH_AUTH_SOCK", sock.toString());
            Process p = add.start();
            String addOut = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "ssh-add: " + addOut);
            // The key file offered is not authorised: without the agent the login fails...
            Path known = knownHosts("kh_agent", hostPub);
            BoxException e = assertThrows(BoxException.class, () -> BoxConnection.connect(
                    () -> SshTransport.open(options(known, stranger).withAgentSocket(null)),
                    BoxConnection.Options.DEFAULT.withReconnects(0)));
            assertTrue(e.getMessage().contains("no accepted key"), e.getMessage());
            // ...with it, the agent's key logs in.
            try (BoxConnection c = BoxConnection.connect(() -> SshTransport.open(options(known, stranger).withAgentSocket(sock)))) {
                assertEquals(BoxStatus.PeerKind.SSH, c.status().peer().kind());
            }
            Run r = cli("status", "--to", "ssh://" + System.getProperty("user.name") + "@127.0.0.1:" + port,
                    "--known-hosts", known.toString(), "-i", stranger.toString(), "--ssh-auth-sock", sock.toString(),
                    "--ssh-config", dir.resolve("no-config").toString(), "--agent-command", agentCommand);
            assertEquals(0, r.exit(), r.out() + r.err());
            assertTrue(r.out().contains("backend sim"), r.out());
            Run missing = cli("status", "--to", "ssh://127.0.0.1:" + port, "--ssh-auth-sock", dir.resolve("nope").toString());
            assertEquals(2, missing.exit(), missing.out() + missing.err());
            assertTrue(missing.err().contains("no such socket"), missing.err());
        } finally {
            a.destroy();
            a.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private record Run(int exit, String out, String err) {}

    private static Run cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(new DevMain());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private static String[] push(Path policy, Path known, String... more) {
        List<String> a = new ArrayList<>(List.of("push", policy.toString(), "--to",
                "ssh://" + System.getProperty("user.name") + "@127.0.0.1:" + port, "--known-hosts", known.toString(),
                "-i", ed25519.toString(), "--ssh-config", dir.resolve("no-config").toString(), "--agent-command", agentCommand,
                "--confirm", "30s"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test void pushThatWouldCutTheSessionIsRefusedNamingTheRule() throws Exception {
        long before;
        try (BoxConnection c = BoxConnection.connect(agent.local())) {
            before = c.status().runningGeneration();
        }
        Path known = knownHosts("kh_push1", hostPub);
        Run r = cli(push(Policies.write(dir, "cut.rampart", Policies.cutsSsh(port)), known));
        assertEquals(1, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("lock you out") && r.err().contains("'no-remote-admin'"), r.err());
        assertTrue(r.err().contains("cut.rampart:2"), "names the source line: " + r.err());
        try (BoxConnection c = BoxConnection.connect(agent.local())) {
            assertEquals(before, c.status().runningGeneration(), "nothing was loaded");
        }
    }

    @Test void pushOverSshIsConfirmedAfterAReconnect() throws Exception {
        Path known = knownHosts("kh_push2", hostPub);
        Path policy = Policies.write(dir, "ok.rampart", Policies.allowsSsh(port));
        Run r = cli(push(policy, known));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("deployed and confirmed"), r.out());
        try (BoxConnection c = BoxConnection.connect(agent.local())) {
            BoxStatus s = c.status();
            assertEquals(BoxStatus.TableState.CONFIRMED, s.state());
            assertEquals(Long.toHexString(s.runningGeneration()), r.out().replaceAll("(?s).*generation ([0-9a-f]+).*", "$1"));
        }
        Run counters = cli("counters", "--to", "local:" + agent.socket, "--policy", policy.toString());
        assertEquals(0, counters.exit(), counters.err());
        assertTrue(counters.out().contains("admin-ssh") && counters.out().contains("ok.rampart:3"), counters.out());
    }
}
