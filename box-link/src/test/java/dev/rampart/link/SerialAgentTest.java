// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.link;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * rampartd on one end of a pseudo-serial line (two socat pty pairs), the desktop on the other,
 * and a relay in between that damages bytes: text mode for a human, then framed mode, then a
 * line on which 1% of bytes are dropped, flipped or duplicated.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SerialAgentTest {
    static final int BAUD = 921600;
    @TempDir static Path dir;
    static final List<Process> socats = new ArrayList<>();
    static Tools.Agent agent;
    static FaultyRelay relay;
    static Path desk;

    @BeforeAll static void start() throws Exception {
        Tools.need("/usr/bin/socat", "socat");
        Path agentTty = dir.resolve("agent-tty"), relayA = dir.resolve("relay-a"), relayB = dir.resolve("relay-b");
        desk = dir.resolve("desk-tty");
        socat(agentTty, relayA);
        socat(relayB, desk);
        InputStream aIn = new FileInputStream(relayA.toFile());
        OutputStream aOut = new FileOutputStream(relayA.toFile());
        InputStream bIn = new FileInputStream(relayB.toFile());
        OutputStream bOut = new FileOutputStream(relayB.toFile());
        relay = new FaultyRelay(aIn, aOut, bIn, bOut, 20261122);
        agent = new Tools.Agent(Files.createDirectories(dir.resolve("agent")), "--tty", agentTty.toString(), "--baud",
                String.valueOf(BAUD), "--rate", "5");
    }

    private static void socat(Path a, Path b) throws Exception {
        Process p = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                .redirectErrorStream(true).redirectOutput(dir.resolve("socat.log").toFile()).start();
        socats.add(p);
        for (int i = 0; i < 300 && !(Files.exists(a) && Files.exists(b)); i++) Tools.sleep(10);
        assertTrue(Files.exists(a) && Files.exists(b), "socat made its pty pair");
    }

    @AfterAll static void stop() throws Exception {
        if (relay != null) relay.close();
        if (agent != null) agent.close();
        for (Process p : socats) {
            p.destroy();
            p.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static BoxConnection serial() throws BoxException {
        return BoxConnection.connect(() -> SerialTransport.open(desk.toString(), BAUD, SerialTransport.Parity.NONE),
                BoxConnection.Options.DEFAULT.withReconnects(0).withRequestTimeout(java.time.Duration.ofSeconds(60)));
    }

    /** Types a line at the agent's prompt the way a terminal would, and collects the answer up to the next prompt. */
    private static String type(SerialTransport t, String line) {
        // A guard against a hang, not a measurement: the agent answers in milliseconds.
        return assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> typeNow(t, line), "no answer to '" + line + "'");
    }

    private static String typeNow(SerialTransport t, String line) throws IOException {
        OutputStream out = t.output();
        InputStream in = t.input();
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[4096];
        long lastTyped = 0;
        // Whatever the agent printed before (banner, an old prompt) comes first; the answer follows
        // our echo. Like a person at a terminal, type the line again if nothing comes back.
        while (sb.indexOf(line + "\r\n") < 0 || !sb.toString().endsWith("rampart> ")) {
            if (System.nanoTime() - lastTyped > 3_000_000_000L) {
                out.write((line + "\r").getBytes(StandardCharsets.US_ASCII));
                lastTyped = System.nanoTime();
            }
            if (in.available() == 0) {
                Tools.sleep(20);
                continue;
            }
            int n = in.read(buf);
            if (n < 0) break;
            sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        }
        return sb.toString();
    }

    @Test @Order(1) void textModeForAHumanThenFramedForTheDesktopThenTextAgain() throws Exception {
        relay.perKind = 0;
        try (SerialTransport t = SerialTransport.open(desk.toString(), BAUD, SerialTransport.Parity.NONE)) {
            String help = type(t, "help");
            assertTrue(help.contains("rollback") && help.contains("tail"), help);
            String status = type(t, "status");
            assertTrue(status.contains("backend sim") && status.contains("table"), status);
            assertFalse(status.chars().anyMatch(ch -> ch == 0xF5), "no frame bytes in text mode");
        }
        try (BoxConnection c = serial()) {
            BoxStatus s = c.status();
            assertEquals(BoxStatus.PeerKind.SERIAL, s.peer().kind());
        }
        // The desktop said BYE: the technician gets the prompt back.
        try (SerialTransport t = SerialTransport.open(desk.toString(), BAUD, SerialTransport.Parity.NONE)) {
            String status = type(t, "status");
            assertTrue(status.contains("backend sim"), status);
        }
    }

    @Test @Order(2) void everyMessageArrivesOnceInOrderOverANoisyLine() throws Exception {
        // 1% of bytes hit: a third of them dropped, a third bit-flipped, a third duplicated.
        relay.perKind = 0.01 / 3;
        long faultsBefore = relay.faults.get();
        SplittableRandom rnd = new SplittableRandom(7);
        List<FlowRecord> records = java.util.Collections.synchronizedList(new ArrayList<>());
        byte[] table = Policies.table(dir, "serial.rampart", Policies.allowsSsh(22));
        try (BoxConnection c = serial()) {
            AutoCloseable sub = c.subscribe(records::add);
            for (int i = 0; i < 20; i++) {
                byte[] m = new byte[1 + rnd.nextInt(200)];
                rnd.nextBytes(m);
                try {
                    assertArrayEquals(m, c.ping(m), "ping " + i);
                } catch (BoxException e) {
                    throw new AssertionError("ping " + i + ": " + e.getMessage() + "; link " + c.linkStats() + "; relay faults "
                            + relay.faults.get() + "; agent log:\n" + agent.log(), e);
                }
            }
            LoadResult r = c.load(table, 30, null, null);
            c.confirm(r.generation());
            BoxStatus s = c.status();
            assertEquals(BoxStatus.TableState.CONFIRMED, s.state());
            assertEquals(r.generation(), s.runningGeneration());
            sub.close();
            assertEquals(0, c.unmatchedResponses(), "no answer arrived twice");
            long boxSawBad = s.linkErrors()[0] + s.linkErrors()[1];
            assertTrue(boxSawBad > 0, "the box dropped damaged frames: " + java.util.Arrays.toString(s.linkErrors()));
            System.out.printf("noisy serial: %d relay faults over %d bytes; desktop link %s; box dropped %s, resent %d%n",
                    relay.faults.get() - faultsBefore, relay.bytes.get(), c.linkStats(),
                    java.util.Arrays.toString(s.linkErrors()), s.boxRetransmits());
        }
        assertTrue(relay.faults.get() - faultsBefore > 20, "faults were injected");
        List<FlowRecord> copy;
        synchronized (records) {
            copy = new ArrayList<>(records);
        }
        assertFalse(copy.isEmpty(), "records were pushed");
        for (int i = 1; i < copy.size(); i++)
            assertEquals(copy.get(i - 1).seq() + 1, copy.get(i).seq(), "record stream gap or repeat at " + i);
    }
}
