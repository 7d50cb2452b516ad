// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry;

import dev.rampart.link.BoxConnection;
import dev.rampart.link.BoxStatus;
import dev.rampart.link.Target;
import dev.rampart.link.Tools;
import dev.rampart.telemetry.cli.CollectCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code rampart collect} against a real rampartd (sim backend): a one-shot collection stores
 * every number the box held when it connected, once, and acknowledges it; a second one stores
 * only what came since; a box that cannot be reached is one clear error, not a retry loop.
 */
class CollectCommandTest {
    @TempDir Path dir;
    Tools.Agent agent;

    @AfterEach void stop() throws Exception {
        if (agent != null) agent.close();
    }

    record Run(int code, String out, String err) {}

    Run collect(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(new CollectCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    String url() { return FlowStore.h2Url(dir.resolve("flows")); }

    BoxStatus.Spool spool() throws Exception {
        try (BoxConnection c = BoxConnection.connect(agent.local(), BoxConnection.Options.DEFAULT.withReconnects(3))) {
            return c.status().spool().orElseThrow();
        }
    }

    @Test void onceStoresWhatTheBoxHeldExactlyOnceAndAcknowledgesIt() throws Exception {
        agent = new Tools.Agent(dir, "--rate", "500", "--spool-sync-ms", "50");
        while (spool().nextSeq() < 200) Thread.sleep(50);
        long held = spool().nextSeq();
        String sock = "local:" + agent.socket;

        Run first = collect("--to", sock, "--db", url(), "--box", "b1", "--once");
        assertEquals(0, first.code(), first.err());
        long through1;
        try (FlowStore store = FlowStore.open(url(), "", "")) {
            List<Long> seqs = CollectorTest.seqs(store, "b1");
            through1 = store.highestCovered("b1").orElseThrow();
            assertTrue(through1 >= held - 1, "stored through " + through1 + ", the box held 0.." + (held - 1));
            assertEquals(through1 + 1, seqs.size(), "every number once, no gap");
            assertEquals(0L, seqs.get(0));
            assertEquals(through1, (long) seqs.get(seqs.size() - 1));
            assertTrue(store.gaps("b1").isEmpty(), store.gaps("b1").toString());
            assertTrue(first.out().contains("b1: " + seqs.size() + " records stored, 0 already stored, 0 lost on the box, 0 missing;"
                    + " the database accounts through #" + through1 + ", acknowledged through #" + through1), first.out());
        }
        assertEquals(through1 + 1, spool().ackedEnd(), "the box holds the acknowledgement");

        // Records keep coming; the second run asks from what the database holds.
        while (spool().nextSeq() < through1 + 100) Thread.sleep(50);
        Run second = collect("--to", sock, "--db", url(), "--box", "b1", "--once");
        assertEquals(0, second.code(), second.err());
        try (FlowStore store = FlowStore.open(url(), "", "")) {
            List<Long> seqs = CollectorTest.seqs(store, "b1");
            long through2 = store.highestCovered("b1").orElseThrow();
            assertTrue(through2 >= through1 + 99, "second run stored through " + through2);
            assertEquals(through2 + 1, seqs.size(), "still every number once");
            assertTrue(second.out().contains("b1: " + (through2 - through1) + " records stored, 0 already stored"), second.out());
        }
    }

    /** Without --once it follows the box until stopped (Ctrl-C interrupts it the same way), then stores and acknowledges. */
    @Test void followingStoresLiveRecordsUntilStoppedThenAcknowledges() throws Exception {
        agent = new Tools.Agent(dir, "--rate", "1000", "--spool-sync-ms", "50");
        StringWriter out = new StringWriter(), err = new StringWriter();
        int[] code = {-1};
        Thread t = new Thread(() -> {
            CommandLine cl = new CommandLine(new CollectCommand());
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(err));
            code[0] = cl.execute("--to", "local:" + agent.socket, "--db", url(), "--box", "live");
        });
        t.start();
        // It reports what it stored every 2 s while it runs.
        java.util.regex.Pattern stored = java.util.regex.Pattern.compile("(?m)^live: (\\d{3,}) records stored");
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!stored.matcher(out.toString()).find()) {
            assertTrue(t.isAlive() && System.nanoTime() < deadline, "no progress line with 100+ records: " + out + err);
            Thread.sleep(50);
        }
        t.interrupt();
        t.join(30_000);
        assertEquals(0, code[0], err.toString());
        String last = out.toString().lines().reduce((x, y) -> y).orElse("");
        try (FlowStore store = FlowStore.open(url(), "", "")) {
            long through = store.highestCovered("live").orElseThrow();
            assertEquals(through + 1, CollectorTest.seqs(store, "live").size(), "every number once, no gap");
            assertTrue(last.contains("the database accounts through #" + through + ", acknowledged through #" + through), out.toString());
            assertEquals(through + 1, spool().ackedEnd(), "what was stored when it stopped is acknowledged");
        }
        assertTrue(out.toString().startsWith("collecting live from local:" + agent.socket), out.toString());
    }

    @Test void anUnreachableBoxIsOneClearErrorWithTheTarget() {
        Path missing = dir.resolve("no-agent.sock");
        long t0 = System.nanoTime();
        Run r = collect("--to", "local:" + missing, "--db", url(), "--once");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.err().startsWith("rampart collect: local:" + missing + ": "), r.err());
        assertTrue(r.err().contains(missing.toString()), r.err());
        assertTrue(System.nanoTime() - t0 < 30_000_000_000L, "no retry loop for --once");
    }

    @Test void badOptionsAreUsageErrors() {
        Run r = collect("--to", "ftp://box", "--db", url(), "--once");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown target 'ftp://box'"), r.err());
        Run w = collect("--to", "local", "--db", url(), "--once", "--wait", "0");
        assertEquals(2, w.code());
        assertTrue(w.err().contains("--wait must be positive"), w.err());
    }

    @Test void aBoxIsNamedAfterWhereItIs() {
        assertEquals("fw1.example:2222", CollectCommand.defaultName(Target.parse("ssh://admin@fw1.example:2222")));
        assertEquals("fw1.example", CollectCommand.defaultName(Target.parse("ssh://fw1.example")));
        assertEquals("ttyUSB0", CollectCommand.defaultName(Target.parse("serial:/dev/ttyUSB0@9600")));
        assertEquals("local", CollectCommand.defaultName(Target.parse("local:/run/x.sock")));
    }
}
