// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.link.BoxException;
import dev.rampart.link.BoxStatus;
import dev.rampart.link.Sshd;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connector against real things: the demo box's agent (built and started by DemoBox), a
 * real OpenSSH server on loopback in front of it, and serial device paths.
 */
class LinkConnectorTest {
    @TempDir static Path dir;
    static DemoBox demo;
    static Path socket;
    static Sshd sshd;
    static int port;

    static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + ": " + out);
    }

    @BeforeAll
    static void start() throws Exception {
        demo = new DemoBox(dir.resolve("demo/state"));
        socket = demo.start(s -> { }, () -> false);
        for (String k : List.of("otherhost", "id_ed25519", "stranger")) Sshd.keygen("ed25519", dir.resolve(k));
        sshd = Sshd.start(dir, dir.resolve("id_ed25519.pub"));
        port = sshd.port;
    }

    @AfterAll
    static void stop() throws Exception {
        if (sshd != null) sshd.close();
        if (passwordSshd != null) {
            passwordSshd.destroy();
            passwordSshd.waitFor(5, TimeUnit.SECONDS);
        }
        if (demo != null) demo.stop();
    }

    LinkConnector connector(Path knownHosts) throws BoxException {
        String agent = DemoBox.home().resolve("engine-kmod/agent/build/rampartd") + " --stdio --socket " + socket;
        return new LinkConnector(demo, knownHosts, o -> o.withSshConfig(dir.resolve("no-config")).withRemoteCommand(agent));
    }

    static Profile ssh(Path key) {
        return new Profile("lab", Profile.Kind.SSH, "", "127.0.0.1", System.getProperty("user.name"), port, key.toString(), "", 115200);
    }

    final List<String> steps = new ArrayList<>();

    @Test
    void theDemoProfileReachesTheAgent() throws Exception {
        try (Box b = connector(dir.resolve("kh0")).connect(Profile.DEMO, Connector.Trust.NONE, steps::add, () -> false)) {
            assertEquals("sim", b.status().backend());
            assertEquals(BoxStatus.PeerKind.LOCAL, b.status().peer().kind());
        }
        assertEquals(List.of("Connecting to demo box..."), steps, "the agent already ran: no build or start step");
    }

    @Test
    void anUnknownHostKeyIsAQuestionAndIsRecordedOnlyWhenTrusted() throws Exception {
        Path known = dir.resolve("kh1");
        LinkConnector c = connector(known);
        Profile p = ssh(dir.resolve("id_ed25519"));
        Connector.HostKeyException e = assertThrows(Connector.HostKeyException.class, () -> c.connect(p, Connector.Trust.NONE, steps::add, () -> false));
        assertEquals(Connector.HostKeyException.Problem.UNKNOWN, e.problem());
        assertTrue(e.getMessage().contains("SHA256:"), e.getMessage());
        assertFalse(Files.exists(known), "nothing recorded before the user agreed");
        try (Box b = c.connect(p, Connector.Trust.RECORD_NEW_KEY, steps::add, () -> false)) {
            assertEquals(BoxStatus.PeerKind.SSH, b.status().peer().kind());
        }
        try (Box b = c.connect(p, Connector.Trust.NONE, steps::add, () -> false)) {
            assertEquals("sim", b.status().backend(), "recorded: no question the second time");
        }
    }

    @Test
    void aChangedHostKeyIsRefusedAndReplacedOnlyWhenTheUserSaysSo() throws Exception {
        String[] other = Files.readString(dir.resolve("otherhost.pub")).trim().split(" ");
        Path known = Files.writeString(dir.resolve("kh2"), "[127.0.0.1]:" + port + " " + other[0] + " " + other[1] + "\n");
        LinkConnector c = connector(known);
        Profile p = ssh(dir.resolve("id_ed25519"));
        Connector.HostKeyException e = assertThrows(Connector.HostKeyException.class, () -> c.connect(p, Connector.Trust.NONE, steps::add, () -> false));
        assertEquals(Connector.HostKeyException.Problem.CHANGED, e.problem());
        assertThrows(Connector.HostKeyException.class, () -> c.connect(p, Connector.Trust.RECORD_NEW_KEY, steps::add, () -> false),
                "trusting a new key does not replace a changed one");
        try (Box b = c.connect(p, Connector.Trust.REPLACE_CHANGED_KEY, steps::add, () -> false)) {
            assertEquals(BoxStatus.PeerKind.SSH, b.status().peer().kind());
        }
        String[] real = Files.readString(dir.resolve("hostkey.pub")).trim().split(" ");
        String now = Files.readString(known);
        assertTrue(now.contains(real[1]) && !now.contains(other[1]), now);
    }

    @Test
    void wrongCredentialsAndBadFieldsSayWhatIsWrong() throws Exception {
        Path known = dir.resolve("kh3");
        LinkConnector c = connector(known);
        try (Box b = c.connect(ssh(dir.resolve("id_ed25519")), Connector.Trust.RECORD_NEW_KEY, steps::add, () -> false)) {
            assertEquals("sim", b.status().backend());
        }
        BoxException refused = assertThrows(BoxException.class,
                () -> c.connect(ssh(dir.resolve("stranger")), Connector.Trust.NONE, steps::add, () -> false));
        assertTrue(refused.getMessage().startsWith("SSH login to ssh://"), refused.getMessage());
        assertTrue(refused.getMessage().contains("refused: no accepted key"), refused.getMessage());
        BoxException noKey = assertThrows(BoxException.class,
                () -> c.connect(ssh(dir.resolve("missing")), Connector.Trust.NONE, steps::add, () -> false));
        assertEquals("Key file: cannot read " + dir.resolve("missing"), noKey.getMessage());
        Profile serial = new Profile("console", Profile.Kind.SERIAL, "", "", "", 0, "", dir.resolve("ttyNONE").toString(), 115200);
        BoxException noPort = assertThrows(BoxException.class, () -> c.connect(serial, Connector.Trust.NONE, steps::add, () -> false));
        assertEquals("Serial port " + dir.resolve("ttyNONE") + " does not exist: is the cable plugged in?", noPort.getMessage());
        // A port another program holds: a socat pty pair, one end opened first.
        Process socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + dir.resolve("ttyA"), "pty,raw,echo=0,link=" + dir.resolve("ttyB"))
                .redirectErrorStream(true).start();
        try {
            for (int i = 0; i < 200 && !Files.exists(dir.resolve("ttyA")); i++) Thread.sleep(10);
            try (dev.rampart.link.SerialTransport holder = dev.rampart.link.SerialTransport.open(dir.resolve("ttyA").toString(), 115200,
                    dev.rampart.link.SerialTransport.Parity.NONE)) {
                Profile busy = new Profile("console", Profile.Kind.SERIAL, "", "", "", 0, "", dir.resolve("ttyA").toString(), 115200);
                BoxException held = assertThrows(BoxException.class, () -> c.connect(busy, Connector.Trust.NONE, steps::add, () -> false));
                assertTrue(held.getMessage().startsWith("Serial port " + dir.resolve("ttyA") + " is busy"), held.getMessage());
            }
        } finally {
            socat.destroy();
        }
        Profile bad = new Profile("x", Profile.Kind.SSH, "", "", "", 0, "", "", 115200);
        assertEquals("profile 'x': Host: give the box's host name or address",
                assertThrows(BoxException.class, () -> c.connect(bad, Connector.Trust.NONE, steps::add, () -> false)).getMessage());
    }

    // ---- passwords and passphrases ------------------------------------------------------------

    static final String PASSWORD = "correct horse battery", PASSPHRASE = "open sesame";
    static Process passwordSshd;
    static int passwordPort;

    /**
     * A second sshd that also takes passwords. It checks them against /etc/shadow, so it runs in a
     * mount namespace of its own with a test shadow file (this user, a known password) bound over
     * the real one: the machine's accounts are never touched.
     */
    static synchronized int passwordSshd() throws Exception {
        if (passwordSshd != null) return passwordPort;
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", PASSPHRASE, "-a", "4", "-f", dir.resolve("encrypted").toString());
        Files.copy(dir.resolve("encrypted.pub"), dir.resolve("authorized_keys_pw"));
        Process h = new ProcessBuilder("openssl", "passwd", "-6", "-salt", "rampartsalt", PASSWORD).redirectErrorStream(true).start();
        String hash = new String(h.getInputStream().readAllBytes()).strip();
        if (!h.waitFor(30, TimeUnit.SECONDS) || h.exitValue() != 0) throw new IOException("openssl passwd: " + hash);
        Path shadow = Files.writeString(dir.resolve("shadow"), System.getProperty("user.name") + ":" + hash + ":19000:0:99999:7:::\n");
        try (ServerSocket s = new ServerSocket(0)) {
            passwordPort = s.getLocalPort();
        }
        Path cfg = Files.writeString(dir.resolve("sshd_config_pw"), String.join("\n", "Port " + passwordPort, "ListenAddress 127.0.0.1",
                "HostKey " + dir.resolve("hostkey"), "PidFile " + dir.resolve("sshd_pw.pid"),
                "AuthorizedKeysFile " + dir.resolve("authorized_keys_pw"), "UsePAM no", "StrictModes no",
                "PasswordAuthentication yes", "KbdInteractiveAuthentication no", "PermitRootLogin yes", "MaxAuthTries 10", ""));
        passwordSshd = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c",
                "mount --bind \"$1\" /etc/shadow && exec /usr/sbin/sshd -D -e -f \"$2\"", "sh", shadow.toString(), cfg.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd_pw.log").toFile()).start();
        for (int i = 0; i < 300; i++) {
            try (Socket s = new Socket("127.0.0.1", passwordPort)) {
                return passwordPort;
            } catch (IOException e) {
                if (!passwordSshd.isAlive()) throw new IOException("sshd exited: " + Files.readString(dir.resolve("sshd_pw.log")));
                Thread.sleep(20);
            }
        }
        throw new IOException("sshd did not start: " + Files.readString(dir.resolve("sshd_pw.log")));
    }

    /** The Box tab's view-model on the real connector, with dialogs answered from a script. */
    ConnectionViewModel viewModel(Path known, dev.rampart.gui.support.FakeDialogs dialogs, Profile p) throws Exception {
        ConnectionViewModelTest.MemoryStore store = new ConnectionViewModelTest.MemoryStore();
        store.saved = new ProfileStore.Saved(List.of(p), p.name());
        ConnectionViewModel vm = new ConnectionViewModel(new dev.rampart.gui.support.InlineTasks(), dialogs, store, connector(known));
        vm.loadProfiles();
        return vm;
    }

    static Profile passwordProfile(Path key) {
        return new Profile("pw", Profile.Kind.SSH, "", "127.0.0.1", System.getProperty("user.name"), passwordPort,
                key == null ? "" : key.toString(), "", 115200);
    }

    String dest() { return System.getProperty("user.name") + "@127.0.0.1:" + passwordPort; }

    @Test
    void aPasswordIsAskedInADialogAndAWrongOneAgainWithTheReason() throws Exception {
        passwordSshd();
        var dialogs = new dev.rampart.gui.support.FakeDialogs();
        dialogs.confirmAnswers.add(true); // the unknown host key
        dialogs.secretAnswers.add(java.util.Optional.of("guess"));
        dialogs.secretAnswers.add(java.util.Optional.of(PASSWORD));
        ConnectionViewModel vm = viewModel(dir.resolve("kh_pw1"), dialogs, passwordProfile(dir.resolve("stranger")));
        vm.connect();
        assertEquals(ConnectionViewModel.State.CONNECTED, vm.stateProperty().get(), vm.messageProperty().get());
        assertEquals(List.of("Password for " + dest(), "Password for " + dest() + " | The box refused that password for " + dest() + "."),
                dialogs.secretQuestions);
        assertEquals(BoxStatus.PeerKind.SSH, vm.boxProperty().get().status().peer().kind());
        vm.disconnect();
    }

    @Test
    void wrongPasswordsEndInOneSentenceAndConnectAsksAgain() throws Exception {
        passwordSshd();
        var dialogs = new dev.rampart.gui.support.FakeDialogs();
        dialogs.confirmAnswers.add(true);
        for (String w : List.of("a", "b", "c")) dialogs.secretAnswers.add(java.util.Optional.of(w));
        ConnectionViewModel vm = viewModel(dir.resolve("kh_pw2"), dialogs, passwordProfile(dir.resolve("stranger")));
        vm.connect();
        assertEquals(ConnectionViewModel.State.FAILED, vm.stateProperty().get());
        assertEquals("Could not connect to pw: SSH login to ssh://" + dest() + " refused: the password was wrong (3 tries)",
                vm.messageProperty().get());
        // Retrying is pressing Connect again: asked afresh (the host key is recorded by now).
        dialogs.secretAnswers.add(java.util.Optional.empty());
        vm.connect();
        assertEquals("Could not connect to pw: SSH login to ssh://" + dest() + " cancelled: no password was given",
                vm.messageProperty().get());
        assertEquals(4, dialogs.secretQuestions.size(), dialogs.secretQuestions.toString());
    }

    @Test
    void anEncryptedKeyIsUnlockedWithThePassphraseAskedInADialog() throws Exception {
        passwordSshd();
        var dialogs = new dev.rampart.gui.support.FakeDialogs();
        dialogs.confirmAnswers.add(true);
        dialogs.secretAnswers.add(java.util.Optional.of(PASSPHRASE));
        Path key = dir.resolve("encrypted");
        ConnectionViewModel vm = viewModel(dir.resolve("kh_pw3"), dialogs, passwordProfile(key));
        vm.connect();
        assertEquals(ConnectionViewModel.State.CONNECTED, vm.stateProperty().get(), vm.messageProperty().get());
        assertEquals(List.of("Passphrase for the key " + key), dialogs.secretQuestions);
        vm.disconnect();
    }
}
