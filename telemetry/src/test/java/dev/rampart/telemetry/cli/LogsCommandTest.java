// SPDX-License-Identifier: GPL-3.0-or-later
package dev.rampart.telemetry.cli;

import dev.rampart.telemetry.Flow;
import dev.rampart.telemetry.FlowStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogsCommandTest {
    @TempDir Path dir;
    String url;

    static Flow row(long seq, long t, int verdict, String src, String dst, int dport) {
        return new Flow("b1", seq, t, 0, verdict, 6, 4, src, dst, 40000, dport, "eth0", "", 7, 1, 1, 0);
    }

    @BeforeEach void fill() throws Exception {
        url = FlowStore.h2Url(dir.resolve("flows"));
        try (FlowStore s = FlowStore.open(url, "", "")) {
            s.insert(List.of(row(1, 1_000, Flow.ACCEPT, "10.0.0.1", "10.0.0.2", 22), row(2, 2_000, Flow.DROP, "10.0.0.3", "10.0.0.1", 80),
                    row(3, 3_000, Flow.REJECT, "10.0.0.2", "10.0.0.3", 443)));
        }
    }

    record Run(int code, String out, String err) {}

    Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = new CommandLine(new LogsCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 2];
        all[0] = "--db";
        all[1] = url;
        System.arraycopy(args, 0, all, 2, args.length);
        int code = cl.execute(all);
        return new Run(code, out.toString(), err.toString());
    }

    @Test void csvExportHoldsExactlyTheMatchingRowsNewestFirst() {
        Run r = run("--addr", "10.0.0.1", "--export", "csv");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("box,seq,time_ms"));
        assertTrue(lines.get(1).startsWith("b1,2,2000,input,drop,6,10.0.0.3,40000,10.0.0.1,80,"), lines.get(1));
        assertTrue(lines.get(2).startsWith("b1,1,1000,"), lines.get(2));
    }

    @Test void negatedFiltersAndJsonExport() {
        Run r = run("--addr", "!10.0.0.1", "--verdict", "!accept", "--export", "json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("[\n{\"box\":\"b1\",\"seq\":3,"), r.out());
        assertEquals(1, r.out().split("\"seq\"").length - 1, r.out());
        assertEquals("[\n]\n", run("--src", "10.9.9.9", "--export", "json").out());
    }

    @Test void listingShowsTheNewestOldestFirst() {
        Run r = run("-n", "2");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(2, lines.size(), r.out());
        assertTrue(lines.get(0).contains("#2 ") && lines.get(1).contains("#3 "), r.out());
    }

    @Test void followPrintsOnlyRecordsStoredLaterThatMatch() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new LogsCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(new StringWriter()));
        Thread t = new Thread(() -> cl.execute("--db", url, "--follow", "--verdict", "drop"));
        t.setDaemon(true);
        t.start();
        try (FlowStore s = FlowStore.open(url, "", "")) {
            for (int i = 0; i < 500 && !out.toString().contains("#2 "); i++) Thread.sleep(10);
            s.insert(List.of(row(4, 4_000, Flow.ACCEPT, "10.0.0.5", "10.0.0.6", 1), row(5, 5_000, Flow.DROP, "10.0.0.7", "10.0.0.8", 2)));
            for (int i = 0; i < 500 && !out.toString().contains("#5 "); i++) Thread.sleep(10);
        } finally {
            t.interrupt();
            t.join(5_000);
        }
        List<String> lines = out.toString().lines().toList();
        assertEquals(2, lines.size(), out.toString());
        assertTrue(lines.get(0).contains("#2 ") && lines.get(1).contains("#5 "), out.toString());
    }

    @Test void badValuesGetAClearMessageAndNoStackTrace() {
        Run proto = run("--proto", "tpc");
        assertEquals(2, proto.code());
        assertTrue(proto.err().contains("--proto: 'tpc' is not a number from 0 to 255"), proto.err());
        Run addr = run("--src", "example.org");
        assertEquals(2, addr.code());
        assertTrue(addr.err().contains("--src: not an IP address"), addr.err());
        Run since = run("--since", "yesterday");
        assertTrue(since.err().contains("neither an age"), since.err());
        assertFalse((proto.err() + addr.err() + since.err()).contains("at dev.rampart"), "no stack trace");
    }
}
