// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Passwords and key passphrases against a real OpenSSH server. sshd checks passwords against
 * /etc/shadow; it runs in a mount namespace of its own where a test shadow file (the login user
 * with a known password) is bound over /etc/shadow, so the machine's accounts are never touched.
 */
class SshPasswordTest {
    static final String PASSWORD = "correct horse battery";
    static final String PASSPHRASE = "open sesame";

    @TempDir static Path dir;
    static Process sshd;
    static int port;
    static Tools.Agent agent;
    static Path encrypted, stranger, known;
    static String agentCommand;
    static final String USER = System.getProperty("user.name");

    @BeforeAll static void startSshd() throws Exception {
        Tools.need("/usr/sbin/sshd", "openssh-server");
        Tools.need("/usr/bin/unshare", "util-linux");
        Tools.need("/usr/bin/openssl", "openssl");
        agent = new Tools.Agent(Files.createDirectories(dir.resolve("agent")));
        agentCommand = Tools.rampartd() + " --stdio --socket " + agent.socket;
        Tools.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve("hostkey").toString()), 60);
        Tools.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", (stranger = dir.resolve("id_stranger")).toString()), 60);
        // 4 KDF rounds instead of ssh-keygen's 16: the same format, a quarter of the unlock time in the test.
        Tools.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", PASSPHRASE, "-a", "4", "-C", "rampart-test",
                "-f", (encrypted = dir.resolve("id_encrypted")).toString()), 60);
        Files.copy(dir.resolve("id_encrypted.pub"), dir.resolve("authorized_keys"));
        String hash = Tools.run(List.of("openssl", "passwd", "-6", "-salt", "rampartsalt", PASSWORD), 30).strip();
        Path shadow = Files.writeString(dir.resolve("shadow"), USER + ":" + hash + ":19000:0:99999:7:::\n");
        port = Tools.freePort();
        Path cfg = Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                "Port " + port, "ListenAddress 127.0.0.1", "HostKey " + dir.resolve("hostkey"),
                "PidFile " + dir.resolve("sshd.pid"), "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "UsePAM no", "StrictModes no", "PasswordAuthentication yes", "KbdInteractiveAuthentication no",
                "PubkeyAuthentication yes", "PermitRootLogin yes", "MaxAuthTries 10", ""));
        Files.createDirectories(Path.of("/run/sshd"));
        sshd = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c",
                "mount --bind \"$1\" /etc/shadow && exec /usr/sbin/sshd -D -e -f \"$2\"", "sh", shadow.toString(), cfg.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        for (int i = 0; i < 300; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                String[] k = Files.readString(dir.resolve("hostkey.pub")).trim().split(" ");
                known = Files.writeString(dir.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + k[0] + " " + k[1] + "\n");
                return;
            } catch (IOException e) {
                if (!sshd.isAlive()) fail("sshd in its own mount namespace exited: " + Files.readString(dir.resolve("sshd.log")));
                Tools.sleep(20);
            }
        }
        fail("sshd did not listen on " + port);
    }

    @AfterAll static void stop() throws Exception {
        if (sshd != null) {
            sshd.destroy();
            sshd.waitFor(5, TimeUnit.SECONDS);
        }
        if (agent != null) agent.close();
    }

    /** Answers from a script (null: declines), recording each question as "KIND what | problem". */
    static final class Scripted implements SshPrompts {
        final List<String> answers;
        final List<String> asked = new ArrayList<>();

        Scripted(String... answers) { this.answers = Arrays.asList(answers); }

        @Override public synchronized String ask(Secret kind, String what, String problem) {
            asked.add(kind + " " + what + (problem == null ? "" : " | " + problem));
            if (asked.size() > answers.size()) throw new AssertionError("unexpected question: " + kind + " " + what);
            return answers.get(asked.size() - 1);
        }
    }

    String dest() { return USER + "@127.0.0.1:" + port; }

    SshTransport.Options options(Path key, SshPrompts prompts) {
        return SshTransport.Options.of(USER, "127.0.0.1", port).withKnownHosts(known).withIdentities(List.of(key))
                .withSshConfig(dir.resolve("no-config")).withRemoteCommand(agentCommand).withAgentSocket(null).withPrompts(prompts);
    }

    BoxException refused(SshTransport.Options o) {
        return assertThrows(BoxException.class,
                () -> BoxConnection.connect(() -> SshTransport.open(o), BoxConnection.Options.DEFAULT.withReconnects(0)));
    }

    @Test void aPasswordIsAskedWhenNoKeyIsAcceptedAndLogsIn() throws Exception {
        Scripted p = new Scripted(PASSWORD);
        try (BoxConnection c = BoxConnection.connect(() -> SshTransport.open(options(stranger, p)))) {
            assertEquals(BoxStatus.PeerKind.SSH, c.status().peer().kind());
        }
        assertEquals(List.of("PASSWORD " + dest()), p.asked);
    }

    @Test void aWrongPasswordIsAskedAgainWithTheReason() throws Exception {
        Scripted p = new Scripted("guess", PASSWORD);
        try (BoxConnection c = BoxConnection.connect(() -> SshTransport.open(options(stranger, p)))) {
            assertEquals("sim", c.status().backend());
        }
        assertEquals(List.of("PASSWORD " + dest(), "PASSWORD " + dest() + " | The box refused that password for " + dest() + "."),
                p.asked);
    }

    @Test void wrongPasswordsAreRefusedWithOneSentence() {
        Scripted p = new Scripted("one", "two", "three");
        BoxException e = refused(options(stranger, p));
        assertEquals("SSH login to ssh://" + dest() + " refused: the password was wrong (3 tries)", e.getMessage());
        assertEquals(3, p.asked.size(), "asked three times, as OpenSSH does: " + p.asked);
    }

    @Test void decliningToAnswerStopsTheLogin() {
        BoxException e = refused(options(stranger, new Scripted((String) null)));
        assertEquals("SSH login to ssh://" + dest() + " cancelled: no password was given", e.getMessage());
    }

    @Test void batchUseNeverAsksAndNeverSendsAPassword() {
        BoxException e = refused(options(stranger, SshPrompts.NEVER));
        assertTrue(e.getMessage().startsWith("SSH login to ssh://" + dest() + " refused: no accepted key"), e.getMessage());
    }

    @Test void anEncryptedKeyIsUnlockedWithItsPassphraseAfterAWrongOne() throws Exception {
        Scripted p = new Scripted("not it", PASSPHRASE);
        try (BoxConnection c = BoxConnection.connect(() -> SshTransport.open(options(encrypted, p)))) {
            assertEquals(BoxStatus.PeerKind.SSH, c.status().peer().kind());
        }
        assertEquals(List.of("PASSPHRASE " + encrypted, "PASSPHRASE " + encrypted + " | That passphrase does not unlock " + encrypted + "."),
                p.asked, "the passphrase is checked against the key before anything is sent");
    }

    /** As with OpenSSH, a key that stays locked leaves the box's other ways in: here a password, declined. */
    @Test void wrongPassphrasesAreRefusedWithOneSentence() {
        Scripted p = new Scripted("a", "b", "c", null);
        BoxException e = refused(options(encrypted, p));
        assertEquals("SSH login to ssh://" + dest() + " refused: the passphrase of " + encrypted + " was wrong (3 tries)",
                e.getMessage());
        assertEquals("PASSWORD " + dest(), p.asked.get(3), p.asked.toString());
    }

    @Test void anEncryptedKeyWithNobodyToAskSaysToUseTheAgent() {
        BoxException e = refused(options(encrypted, SshPrompts.NEVER));
        assertEquals("SSH login to ssh://" + dest() + " refused: the key " + encrypted + " is encrypted and no ssh-agent holds it "
                + "(add it with: ssh-add " + encrypted + ")", e.getMessage());
    }

    /** A confirm after a push reconnects: the remembered answer is used, nobody is asked twice. */
    @Test void reconnectsOfOneConnectionReuseTheAnswer() throws Exception {
        Scripted person = new Scripted(PASSWORD);
        SshPrompts prompts = SshPrompts.remembering(person);
        try (BoxConnection c = BoxConnection.connect(Target.parse("ssh://" + USER + "@127.0.0.1:" + port)
                .factory(options(stranger, prompts)))) {
            c.reconnect();
            assertEquals("sim", c.status().backend());
        }
        assertEquals(1, person.asked.size(), person.asked.toString());
    }

    /**
     * The CLI on a terminal asks for the password as ssh does (no echo), and in a pipe never asks.
     * The terminal is a pty from util-linux's script(1); the CLI is a separate JVM on this test's
     * class path.
     */
    @Test void theCliAsksOnATerminalOnly() throws Exception {
        Tools.need("/usr/bin/script", "bsdutils");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cli = List.of(java, "-cp", System.getProperty("java.class.path"), "dev.rampart.link.cli.DevMain", "status",
                "--to", "ssh://" + USER + "@127.0.0.1:" + port, "--known-hosts", known.toString(), "-i", stranger.toString(),
                "--ssh-auth-sock", "none", "--ssh-config", dir.resolve("no-config").toString(), "--agent-command", agentCommand);
        String line = String.join(" ", cli.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
        Process p = new ProcessBuilder("script", "-qec", line, "/dev/null").redirectErrorStream(true).start();
        StringBuilder seen = new StringBuilder();
        java.io.InputStream out = p.getInputStream();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        boolean answered = false;
        while (System.nanoTime() < end) {
            if (out.available() > 0) {
                int n = out.read();
                if (n < 0) break;
                seen.append((char) n);
                if (!answered && seen.toString().contains("Password for " + dest() + ": ")) {
                    p.getOutputStream().write((PASSWORD + "\n").getBytes());
                    p.getOutputStream().flush();
                    answered = true;
                }
            } else if (!p.isAlive()) {
                break;
            } else {
                Tools.sleep(20);
            }
        }
        seen.append(new String(out.readAllBytes()));
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the CLI finished: " + seen);
        assertTrue(answered, "asked for the password on the terminal: " + seen);
        assertEquals(0, p.exitValue(), seen.toString());
        assertTrue(seen.toString().contains("backend sim"), seen.toString());
        assertFalse(seen.toString().contains(PASSWORD), "not echoed: " + seen);

        // The same command in a pipe: nothing is asked, keys only, the usual refusal.
        Process piped = new ProcessBuilder(cli).redirectErrorStream(true).start();
        piped.getOutputStream().close();
        String text = new String(piped.getInputStream().readAllBytes());
        assertTrue(piped.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, piped.exitValue(), text);
        assertTrue(text.contains("refused: no accepted key") && !text.contains("Password"), text);
    }
}
