// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.gui.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rampart.link.BoxException;
import dev.rampart.link.BoxStatus;
import dev.rampart.link.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
}
